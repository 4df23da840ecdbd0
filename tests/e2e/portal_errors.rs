//! The portal's errors and formats in a real browser (issue 15): errors beside their fields,
//! all at once, in the user's language from the API's `extensions.rule` and `params`;
//! percentages, Finnish time with its zone, rounded money with the exact amount on demand; a
//! readable benchmark; a confirmed, printable and downloadable bid receipt; notifications and
//! disqualification reasons worded in the user's language. Each journey of
//! `portal-tests/errors-journeys.mjs` runs at 1280 px and 390 px, in Finnish and English, with
//! axe-core on every state. Same harness as `tests/portal.rs`.

use chrono::{TimeDelta, Utc};
use kilpailutus_tests::{Market, PASSWORD, SUBMIT_BID, TestApp, business_id};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The browser, or None when it is not installed here (and not required).
fn browser_ready() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let ready = Path::new("/usr/bin/chromium").exists()
        && root
            .join("portal-tests/node_modules/playwright-core")
            .exists()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok();
    if ready {
        return Some(root);
    }
    assert!(
        std::env::var("BROWSER_TESTS").as_deref() != Ok("required"),
        "BROWSER_TESTS=required, but chromium, node or portal-tests/node_modules is missing"
    );
    eprintln!("browser journeys skipped: install chromium and run `npm ci --prefix portal-tests`");
    None
}

/// Runs one journey of portal-tests/errors-journeys.mjs against `base`; returns its RESULT.
async fn journey(root: &Path, name: &str, base: &str, params: Value) -> Value {
    let result =
        kilpailutus_tests::run_node_journey(root, "errors-journeys.mjs", name, base, &params).await;
    let axe = result["axe"].as_array().cloned().unwrap_or_default();
    assert!(
        axe.iter().all(|a| a["violations"] == 0),
        "axe violations: {axe:?}"
    );
    assert_eq!(
        result["variants"].as_array().map_or(0, Vec::len),
        4,
        "1280 px and 390 px, Finnish and English"
    );
    eprintln!("journey {name}: {} axe checks", axe.len());
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_beside_their_fields_formats_benchmark_and_receipt_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (_, c) = app.provider(3).await;
    // A decided call (no award) with three external bidders: the market for 2027.
    let decided = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for (token, price) in [(&m.a, "40"), (&m.b, "44"), (&c, "50")] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&decided, &[price, "8"]) }),
        )
        .await;
    }
    app.clock
        .set(decided.submission_deadline + TimeDelta::minutes(1));
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"over budget\"){ status } }",
        json!({ "c": decided.id }),
    )
    .await;
    app.clock.set(Utc::now());
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!("Kotihoito Läntinen alue 2027");
    let open = app.make_call(&m.orderer, input, true).await;
    let me = |token: String| {
        let app = &app;
        async move {
            app.ok(Some(&token), "{ me { email } }", json!({})).await["me"]["email"]
                .as_str()
                .expect("email")
                .to_owned()
        }
    };
    let provider = me(m.a.clone()).await;

    let bid = journey(
        &root,
        "bid",
        &base_of(&app).await,
        json!({ "email": provider, "password": PASSWORD, "callId": open.id, "callTitle": "Kotihoito Läntinen alue 2027" }),
    )
    .await;
    // What the browser showed is what the server stored: four versions, the ratio as 0.18.
    let mine = app
        .ok(
            Some(&m.a),
            "query($id:ID!){ call(id:$id){ myBid{ version receipt equityRatio annualTurnover creditRating } } }",
            json!({ "id": open.id }),
        )
        .await;
    let stored = &mine["call"]["myBid"];
    assert_eq!(stored["version"], 4, "one accepted bid per variant");
    assert_eq!(
        stored["equityRatio"]
            .as_str()
            .map(|s| s.trim_end_matches('0')),
        Some("0.18")
    );
    assert_eq!(stored["creditRating"], "AA");
    assert_eq!(bid["variants"][3]["receipt"], stored["receipt"]);

    let in_house = me(m.in_house.clone()).await;
    journey(
        &root,
        "benchmark",
        &base_of(&app).await,
        json!({ "email": in_house, "password": PASSWORD, "year": 2027 }),
    )
    .await;
    let cost = app
        .ok(
            Some(&m.in_house),
            "query($p:ID){ costCalculations(producerId:$p){ fiscalYear overheadRate unitCost } }",
            json!({ "p": m.in_house_org }),
        )
        .await;
    assert_eq!(cost["costCalculations"][0]["fiscalYear"], 2027);
    assert_eq!(
        cost["costCalculations"][0]["overheadRate"]
            .as_str()
            .map(|s| s.trim_end_matches('0')),
        Some("0.1"),
        "10 % was sent as 0.1"
    );

    journey(
        &root,
        "notifications",
        &base_of(&app).await,
        json!({ "email": provider, "password": PASSWORD, "callTitle": "Kotihoito Läntinen alue 2027" }),
    )
    .await;

    // Registering with three mistakes; the new-call form with every field missing, then a
    // quantity the server refuses, then deadlines typed in Finnish time, winter and summer.
    let good = business_id(515_151);
    let (body, check) = good.split_at(8);
    let bad = format!("{body}{}", (check.parse::<u32>().expect("digit") + 1) % 10);
    let organizations = app.count("organization").await;
    journey(
        &root,
        "register",
        &base_of(&app).await,
        json!({ "badBusinessId": bad, "expectedDigit": check }),
    )
    .await;
    assert_eq!(
        app.count("organization").await,
        organizations,
        "nothing was sent: the browser found every mistake"
    );
    let orderer = me(m.orderer.clone()).await;
    let made = journey(
        &root,
        "newCall",
        &base_of(&app).await,
        json!({ "email": orderer, "password": PASSWORD, "questionsDeadline": "2027-03-27T12:00", "submissionDeadline": "2027-06-15T12:00" }),
    )
    .await;
    for variant in made["variants"].as_array().expect("variants") {
        let c = app
            .ok(
                Some(&m.orderer),
                "query($id:ID!){ call(id:$id){ questionsDeadline submissionDeadline } }",
                json!({ "id": variant["callId"] }),
            )
            .await;
        let at = |k: &str| {
            c["call"][k]
                .as_str()
                .and_then(|s| s.parse::<chrono::DateTime<Utc>>().ok())
                .map(|d| d.to_rfc3339())
        };
        // 12.00 EET is 10.00 UTC; 12.00 EEST (summer time) is 09.00 UTC.
        assert_eq!(
            at("questionsDeadline").as_deref(),
            Some("2027-03-27T10:00:00+00:00")
        );
        assert_eq!(
            at("submissionDeadline").as_deref(),
            Some("2027-06-15T09:00:00+00:00")
        );
    }

    // After the deadline the orderer reads the reasons, worded from their codes.
    app.clock
        .set(open.submission_deadline + TimeDelta::minutes(1));
    let orderer = me(m.orderer.clone()).await;
    journey(
        &root,
        "reasons",
        &base_of(&app).await,
        json!({ "email": orderer, "password": PASSWORD, "callId": open.id, "callTitle": "Kotihoito Läntinen alue 2027" }),
    )
    .await;
}

/// Serves the real router on a free port of this machine.
async fn base_of(app: &TestApp) -> String {
    app.serve().await
}
