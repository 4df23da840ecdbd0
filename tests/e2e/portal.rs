//! The web portal: its files are embedded in the binary and served at `/` under a strict
//! Content-Security-Policy, and real users' journeys pass in Debian's headless Chromium
//! (driven by playwright-core, every page checked with axe-core; `portal-tests/`).
//!
//! The browser journeys need `node`, `/usr/bin/chromium` and `npm ci --prefix portal-tests`;
//! `.ci/run` installs them and sets `BROWSER_TESTS=required`, so there a missing browser
//! fails the test instead of skipping it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeDelta, Utc};
use http_body_util::BodyExt;
use kilpailutus_tests::{Market, PASSWORD, SUBMIT_BID, TestApp, business_id};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

async fn fetch(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let req = Request::get(path).body(Body::empty()).expect("request");
    let res = app.router.clone().oneshot(req).await.expect("response");
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("portal dir") {
        let entry = entry.expect("entry");
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().expect("type").is_dir() {
            files_under(&entry.path(), &format!("{name}/"), out);
        } else {
            out.insert(name);
        }
    }
}

#[tokio::test]
async fn the_portal_is_embedded_and_served_under_a_strict_content_security_policy() {
    let app = TestApp::new().await;
    let (status, headers, body) = fetch(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    let html = String::from_utf8(body).unwrap();
    // Every script is a file of this origin: no inline code, no event-handler attributes.
    for tag in html.split("<script").skip(1) {
        assert!(
            tag.trim_start()
                .starts_with("type=\"module\" src=\"/portal/"),
            "inline or foreign script: {tag}"
        );
    }
    assert!(
        !html.contains(" onclick=") && !html.contains(" style="),
        "inline handler or style"
    );

    // Every file of api/portal is embedded and served with its type; nothing else is.
    let mut on_disk = BTreeSet::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("api/portal"),
        "",
        &mut on_disk,
    );
    let embedded: BTreeSet<String> = api::portal::ASSETS
        .iter()
        .map(|a| a.path.to_owned())
        .collect();
    assert_eq!(on_disk, embedded, "api/portal and the embedded list differ");
    for asset in api::portal::ASSETS {
        let (status, headers, body) = fetch(&app, &format!("/portal/{}", asset.path)).await;
        assert_eq!(status, StatusCode::OK, "{}", asset.path);
        assert_eq!(headers[header::CONTENT_TYPE], asset.content_type);
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(body, asset.body);
    }
    assert_eq!(
        fetch(&app, "/portal/nothing.js").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        fetch(&app, "/portal/../Cargo.toml").await.0,
        StatusCode::NOT_FOUND
    );
    eprintln!(
        "embedded portal: {} files, {} bytes",
        api::portal::ASSETS.len(),
        api::portal::embedded_bytes()
    );
}

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
    eprintln!(
        "browser journeys skipped: install chromium and run `npm ci --prefix portal-tests` (.ci/run does)"
    );
    None
}

/// Runs one journey of portal-tests/journeys.mjs against `base`; returns its RESULT.
async fn journey(root: &Path, name: &str, base: &str, params: Value) -> Value {
    let result =
        kilpailutus_tests::run_node_journey(root, "journeys.mjs", name, base, &params).await;
    eprintln!(
        "journey {}: axe {}",
        result["axe"].as_array().map_or(0, Vec::len),
        result["axe"]
    );
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_bids_an_orderer_awards_the_provider_sees_its_rank_and_in_house_benchmarks_in_a_real_browser()
 {
    let Some(root) = browser_ready() else { return };
    // Each combination of width and language on its own server with its own data.
    for (width, lang) in RUNS {
        provider_story(&root, width, lang).await;
    }
}

/// The story of the test above at `width` px in `lang`, on a fresh server.
async fn provider_story(root: &Path, width: u32, lang: &str) {
    let root = root.to_owned();
    let journey = |root: &Path, name: &str, base: &str, mut params: Value| {
        params["width"] = json!(width);
        params["lang"] = json!(lang);
        let (root, name, base) = (root.to_owned(), name.to_owned(), base.to_owned());
        async move {
            eprintln!("journey {name} at {width} px in {lang}");
            journey(&root, &name, &base, params).await
        }
    };
    let app = TestApp::new().await;
    // The browser runs on real time; so does the server's clock until the test moves it.
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!("Kotihoito Eteläinen alue 2027");
    let call = app.make_call(&m.orderer, input, true).await;
    let other = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let base = app.serve().await;

    let email = "maija@myyja.example.fi";
    let good = business_id(424_242);
    let (body, check) = good.split_at(8);
    let bad = format!("{body}{}", (check.parse::<u32>().expect("digit") + 1) % 10);
    let result = journey(&root, "provider", &base, json!({
        "company": "Myyjä Hoiva Oy", "businessId": good, "badBusinessId": bad, "email": email, "password": PASSWORD,
        "search": "Eteläinen", "callTitle": "Kotihoito Eteläinen alue 2027",
        "question": "Sisältyvätkö yökäynnit tuntihintaan?",
        // 1000 x 45,50 + 12,5 x 8 and then 1000 x 41,25 + 12,5 x 8, in this language and the other.
        "prices": [money(lang, "45,50", "45.50"), "8"], "expectedTotal": money(lang, "45\u{a0}600,00 €", "45,600.00 €"),
        "replacementPrice": money(lang, "41,25", "41.25"), "expectedReplacementTotal": money(lang, "41\u{a0}350,00 €", "41,350.00 €"),
        "expectedReplacementTotalOther": money(lang, "41,350.00 €", "41\u{a0}350,00 €"),
    })).await;

    // What the browser showed is what the server stored.
    let provider = app.login(email, PASSWORD).await;
    let mine = app
        .ok(
            Some(&provider),
            "query($id:ID!){ call(id:$id){ myBid{ id version receipt totalPrice } } }",
            json!({ "id": call.id }),
        )
        .await;
    let bid = &mine["call"]["myBid"];
    assert_eq!(bid["version"], 2);
    assert_eq!(bid["totalPrice"], "41350.00");
    assert_eq!(result["receipts"][1], bid["receipt"]);
    assert_ne!(result["receipts"][0], result["receipts"][1]);
    assert_eq!(app.count("question").await, 1);

    // Two more bids; after the deadline the orderer evaluates and awards in the browser.
    for (token, prices) in [(&m.a, ["45.50", "8"]), (&m.b, ["50", "9"])] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &prices) }),
        )
        .await;
    }
    app.clock
        .set(call.submission_deadline + TimeDelta::minutes(1));
    let me_of = |token: String| {
        let app = &app;
        async move {
            app.ok(Some(&token), "{ me { email name } }", json!({}))
                .await["me"]
                .clone()
        }
    };
    let orderer = me_of(m.orderer.clone()).await;
    journey(&root, "orderer", &base, json!({
        "email": orderer["email"], "password": PASSWORD, "evaluatorName": orderer["name"],
        "callTitle": "Kotihoito Eteläinen alue 2027", "bidders": ["Myyjä Hoiva Oy", "Provider 1 Oy", "Provider 2 Oy"],
        "points": 4, "winner": "Myyjä Hoiva Oy", "justification": "Halvin, laatu tasavertainen",
        "question": "Sisältyvätkö yökäynnit tuntihintaan?", "answer": "Eivät sisälly; yökäynnit ovat erillinen tuote.",
    }))
    .await;
    let award = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ status award{ bid{ id } justification } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(award["call"]["status"], "AWARDED");
    assert_eq!(
        award["call"]["award"]["justification"],
        "Halvin, laatu tasavertainen"
    );
    assert_eq!(
        award["call"]["award"]["bid"]["id"], bid["id"],
        "the first-ranked bid won"
    );
    assert_eq!(app.count("bid_score").await, 6, "three bids x two criteria");
    let answered = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ questions{ answer } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(
        answered["call"]["questions"][0]["answer"],
        "Eivät sisälly; yökäynnit ovat erillinen tuote."
    );
    journey(&root, "rank", &base, json!({ "email": email, "password": PASSWORD, "callTitle": "Kotihoito Eteläinen alue 2027", "rank": 1 })).await;

    // The in-house producer saves a cost calculation and opens the benchmark: its own cost
    // 38 000 x 1.1 / 1 000 = 41.80 against the market's bids on the product (unit prices
    // 41.25, 45.50 and 50: median 45.50).
    let in_house = me_of(m.in_house.clone()).await;
    journey(
        &root,
        "inhouse",
        &base,
        json!({
            "email": in_house["email"], "password": PASSWORD, "year": 2027,
            "expectedUnitCost": money(lang, "41,80 €", "41.80 €"), "expectedMedian": money(lang, "45,50 €", "45.50 €"),
        }),
    )
    .await;

    // After the standstill the orderer makes the contract and activates it in the browser
    // (the budget has room), then meets an error on the new-call form.
    app.ok(
        Some(&m.admin),
        "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"1000000\"){ amount } }",
        json!({ "o": m.orderer_org }),
    )
    .await;
    app.clock.advance(TimeDelta::days(15));
    let made = journey(&root, "contract", &base, json!({
        "email": orderer["email"], "password": PASSWORD, "callTitle": "Kotihoito Eteläinen alue 2027", "producer": "Myyjä Hoiva Oy",
        "providerEmail": email,
        "questionsDeadline": "2027-04-01T12:00", "submissionDeadline": "2027-04-15T12:00",
    }))
    .await;
    assert_eq!(
        made["quantityInvalid"], "true",
        "the quantity's error is shown beside it"
    );
    let published = app
        .ok(
            None,
            "query{ calls(filter:{search:\"Ateriapalvelu\"}){ edges{ node{ status } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        published["calls"]["edges"][0]["node"]["status"],
        "PUBLISHED"
    );
    let contracts = app
        .ok(
            Some(&m.orderer),
            "{ contracts { id status totalValue call { id } } }",
            json!({}),
        )
        .await;
    let contract = &contracts["contracts"][0];
    assert_eq!(contract["status"], "ACTIVE");
    assert_eq!(contract["call"]["id"], call.id.as_str());
    assert_eq!(contract["totalValue"], "41350.00");

    // The provider reports two months; the orderer reads the realisation on the contract page.
    app.clock.set(
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 2, 12, 0, 0)
            .single()
            .expect("date"),
    );
    // Market's products are KH-H and KH-V, in that order.
    let (kh, kv) = (&m.products[0], &m.products[1]);
    for period in ["2027-01", "2027-02"] {
        app.ok(
            Some(&provider),
            "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }",
            json!({ "i": { "contractId": contract["id"], "period": period, "feedbackCount": 12, "feedbackAverage": "4.2",
                "lines": [{ "productId": kh, "quantity": "80", "cost": "3300" }, { "productId": kv, "quantity": "1", "cost": "8" }],
                "qualityMeasurements": [] } }),
        )
        .await;
    }
    journey(&root, "realisation", &base, json!({
        "email": orderer["email"], "password": PASSWORD, "contractId": contract["id"], "producer": "Myyjä Hoiva Oy", "reportedMonth": "2027-02",
    }))
    .await;

    // An expired session keeps the half-filled bid (on a call still open on the server's clock).
    app.clock.set(Utc::now());
    journey(&root, "expiry", &base, json!({
        "email": email, "password": PASSWORD, "callId": other.id, "callTitle": "Kotihoito itäinen alue 2027", "draftPrice": money(lang, "39,90", "39.90"),
    }))
    .await;

    // Signing out calls `logout`: the token the tab held is refused afterwards.
    let out = journey(
        &root,
        "signout",
        &base,
        json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    let token = out["token"].as_str().expect("the tab's token");
    assert_eq!(
        app.code(Some(token), "{ me { id } }", json!({})).await,
        "UNAUTHENTICATED"
    );
}

/// GraphiQL is served from the binary: its page names no other host, runs no inline script,
/// and it and every file it loads carry the CSP, which differs from the portal's only by
/// `font-src data:` (GraphiQL's fonts are `data:` URLs in its CSS).
#[tokio::test]
async fn graphiql_is_embedded_and_served_under_the_content_security_policy() {
    let app = TestApp::new().await;
    let (status, headers, body) = fetch(&app, "/graphql").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert_eq!(csp, api::graphiql::CSP);
    assert_eq!(
        csp.replace(" font-src data:;", ""),
        api::portal::CSP,
        "the portal's policy, plus fonts from data: URLs"
    );
    let html = String::from_utf8(body).unwrap();
    assert!(html.to_lowercase().contains("graphiql"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("//unpkg"),
        "GraphiQL's page names another host: {html}"
    );
    for tag in html.split("<script").skip(1) {
        assert!(
            tag.trim_start().starts_with("src=\"/graphiql/"),
            "inline or foreign script: {tag}"
        );
    }
    assert!(
        !html.contains("<style") && !html.contains(" style="),
        "inline style"
    );

    let mut on_disk = BTreeSet::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("api/graphiql"),
        "",
        &mut on_disk,
    );
    on_disk.retain(|f| f != "README.md" && f != "LICENSE");
    let embedded: BTreeSet<String> = api::graphiql::ASSETS
        .iter()
        .map(|a| a.path.to_owned())
        .collect();
    assert_eq!(
        on_disk, embedded,
        "api/graphiql and the embedded list differ"
    );
    for asset in api::graphiql::ASSETS {
        let (status, headers, body) = fetch(&app, &format!("/graphiql/{}", asset.path)).await;
        assert_eq!(status, StatusCode::OK, "{}", asset.path);
        assert_eq!(headers[header::CONTENT_TYPE], asset.content_type);
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], api::graphiql::CSP);
        assert_eq!(body, asset.body);
    }
    for path in [
        "/graphiql/README.md",
        "/graphiql/LICENSE",
        "/graphiql/../Cargo.toml",
    ] {
        assert_eq!(fetch(&app, path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
}

/// GraphiQL renders in a real browser with nothing from another origin and no CSP
/// violation or console error, and runs a query against this server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_a_query_in_a_real_browser_under_its_policy() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let product = app.product(&admin, "KH-1", "kotihoito").await;
    let base = app.serve().await;
    let result = journey(
        &root,
        "graphiql",
        &base,
        json!({ "query": "{ products { id } }" }),
    )
    .await;
    assert_eq!(result["csp"], api::graphiql::CSP);
    assert_eq!(
        result["result"],
        json!({ "data": { "products": [{ "id": product }] } })
    );
}

/// Runs journey `name` of `portal-tests/<script>` at `width` px in `lang`; returns its RESULT
/// after checking that it checked at least one state, that no state had an axe violation and,
/// at 390 px, that none scrolled sideways.
async fn checked_journey(
    script: &str,
    root: &Path,
    name: &str,
    base: &str,
    width: u32,
    lang: &str,
    mut params: Value,
) -> Value {
    params["width"] = json!(width);
    params["lang"] = json!(lang);
    let started = std::time::Instant::now();
    let result = kilpailutus_tests::run_node_journey(root, script, name, base, &params).await;
    let states = result["states"].as_array().expect("states");
    assert!(!states.is_empty(), "no state was checked");
    for s in states {
        assert_eq!(s["violations"], 0, "{s}");
        if width <= 390 {
            assert!(
                s["scrollWidth"].as_u64().expect("scrollWidth") <= u64::from(width),
                "{s}"
            );
        }
    }
    eprintln!(
        "{script} {name} at {width} px in {lang}: {} states in {:.1} s: {states:?}",
        states.len(),
        started.elapsed().as_secs_f64()
    );
    result
}

/// The work that was API-only has pages: an orderer amends and terminates contracts, makes a
/// direct contract, reads its appropriations, portfolio and audit log and declares a tie; the
/// administration sets appropriations and verifies the chain; a producer reports a month and
/// follows categories. Every page works at 1280 px and at 390 px, in Finnish and in English
/// (each combination with its own data), at 390 px without sideways scrolling, with a compact header whose menu opens from a button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_pages_and_the_narrow_layout_work_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    // Providers 3 and 4 exist too: each combination declares a tie to another provider.
    for n in [3, 4] {
        app.provider(n).await;
    }
    let title = "Kotihoitopalveluidenjärjestämissopimus Eteläinen alue 2027";
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!(title);
    let call = app.make_call(&m.orderer, input, true).await;
    for (token, prices) in [(&m.a, ["45.50", "8"]), (&m.b, ["50", "9"])] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &prices) }),
        )
        .await;
    }
    // A call whose deadline has passed, for the orderer's evaluation page (the widest table).
    app.clock.set(Utc::now() - TimeDelta::days(20));
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!("Kotihoito pohjoinen alue 2027");
    let closed = app.make_call(&m.orderer, input, true).await;
    for (token, prices) in [(&m.a, ["45.50", "8"]), (&m.b, ["50", "9"])] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&closed, &prices) }),
        )
        .await;
    }
    app.clock.set(Utc::now());
    let today = Utc::now().date_naive();
    let year = chrono::Datelike::year(&today);
    for y in [year - 1, year, year + 1] {
        app.ok(
            Some(&m.admin),
            "mutation($o:ID!,$y:Int!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:\"10000000\"){ amount } }",
            json!({ "o": m.orderer_org, "y": y }),
        )
        .await;
    }
    let (kh, kv) = (&m.products[0], &m.products[1]);
    let made = app
        .ok(
            Some(&m.orderer),
            "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id } }",
            json!({ "i": { "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE",
                "startDate": (today - TimeDelta::days(70)).to_string(), "endDate": (today + TimeDelta::days(300)).to_string(),
                "lines": [{ "productId": kh, "quantity": "100", "unitPrice": "40" }, { "productId": kv, "quantity": "10", "unitPrice": "8" }] } }),
        )
        .await;
    let contract = made["createDirectContract"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.sign_both(&contract, &m.orderer, &m.in_house).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": contract }),
    )
    .await;
    let orderer = email_of(&app, m.orderer.clone()).await;
    let in_house = email_of(&app, m.in_house.clone()).await;
    let provider = email_of(&app, m.a.clone()).await;

    let base = app.serve().await;

    let runs = RUNS;
    for (width, lang) in runs {
        checked_journey("pages-journeys.mjs", &root, "layout", &base, width, lang, json!({
            "callTitle": title, "callId": call.id, "contractId": contract, "closedId": closed.id, "closedTitle": "Kotihoito pohjoinen alue 2027", "producer": "Kotihoidon liikelaitos",
            "providerEmail": provider, "inHouseEmail": in_house, "ordererEmail": orderer, "password": PASSWORD,
        }))
        .await;
    }

    // The orderer: in-house share 100 %, a direct contract after an error beside its end
    // date, that draft terminated, the active contract amended (+10 hours x 40 = +400).
    let mut directs = Vec::new();
    for ((width, lang), (quantity, tie)) in runs.into_iter().zip([
        ("110", "Provider 1 Oy"),
        ("120", "Provider 2 Oy"),
        ("130", "Provider 3 Oy"),
        ("140", "Provider 4 Oy"),
    ]) {
        let delta = money(lang, "400,00 €", "400.00 €");
        let r = checked_journey("pages-journeys.mjs", &root, "orderer", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "producer": "Kotihoidon liikelaitos", "contractId": contract,
            "directStart": (today + TimeDelta::days(30)).to_string(), "directBadEnd": (today + TimeDelta::days(20)).to_string(),
            "directEnd": (today + TimeDelta::days(200)).to_string(), "terminationReason": format!("Palvelu siirtyy ({lang})"),
            "newQuantity": quantity, "amendReason": format!("Lisää käyntejä ({lang})"), "expectedDelta": delta, "tieTo": tie,
            // From the contract's start (nothing is reported yet): the whole change counts.
            "effectiveFrom": (today - TimeDelta::days(70)).to_string(),
        }))
        .await;
        assert_eq!(r["share"], "100.00", "all of the year's value is in-house");
        assert_eq!(r["endInvalid"], "true", "the end date's error is beside it");
        assert_eq!(
            r["reasonInvalid"], "true",
            "the reason's error is beside it"
        );
        assert!(
            r["more"].as_u64().expect("rows") > 3,
            "the next page shows more events"
        );
        directs.push(r["direct"].as_str().expect("direct id").to_owned());
    }
    let k = app
        .ok(Some(&m.orderer), "query($id:ID!){ contract(id:$id){ version totalValue amendments{ reason valueDelta } } }", json!({ "id": contract }))
        .await;
    assert_eq!(k["contract"]["version"], 5);
    assert_eq!(
        k["contract"]["amendments"][1]["reason"],
        "Lisää käyntejä (en)"
    );
    assert_eq!(k["contract"]["amendments"][1]["valueDelta"], "400.00");
    for id in &directs {
        let d = app
            .ok(
                Some(&m.orderer),
                "query($id:ID!){ contract(id:$id){ status procedure terminationReason } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(d["contract"]["status"], "TERMINATED");
        assert_eq!(d["contract"]["procedure"], "IN_HOUSE");
    }
    let ties = app
        .ok(
            Some(&m.orderer),
            "{ me { declaredTies { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(ties["me"]["declaredTies"].as_array().map(Vec::len), Some(4));

    // The administration: an appropriation (after an error beside the amount), the chain verified.
    for ((width, lang), y) in runs
        .into_iter()
        .zip([year + 2, year + 3, year + 4, year + 5])
    {
        let shown = money(lang, "250\u{a0}000,00 €", "250,000.00 €");
        let r = checked_journey("pages-journeys.mjs", &root, "admin", &base, width, lang, json!({
            "email": kilpailutus_tests::ADMIN_EMAIL, "password": kilpailutus_tests::ADMIN_PASSWORD,
            "orderer": "Hyvinvointilautakunta", "year": y, "amount": "250000", "expectedAmount": shown,
        }))
        .await;
        assert_eq!(r["amountInvalid"], "true");
        let a = app
            .ok(
                Some(&m.admin),
                "query($y:Int!){ appropriations(fiscalYear:$y){ amount } }",
                json!({ "y": y }),
            )
            .await;
        assert_eq!(a["appropriations"][0]["amount"], "250000");
    }

    // The in-house producer reports last month (after an error beside the period) and follows
    // a category; then stops following it.
    let period = (today - TimeDelta::days(40)).format("%Y-%m").to_string();
    for (width, lang) in runs {
        let r = checked_journey("pages-journeys.mjs", &root, "producer", &base, width, lang, json!({
            "email": in_house, "password": PASSWORD, "orderer": "Hyvinvointilautakunta", "period": period,
            "lines": [["KH-H", "80", "3300"], ["KH-V", "1", "8"]], "category": "home care",
        }))
        .await;
        assert_eq!(r["periodInvalid"], "true");
    }
    let reports = app
        .ok(
            Some(&m.in_house),
            "query($id:ID!){ contract(id:$id){ reports{ period feedbackCount lines{ cost } } } }",
            json!({ "id": contract }),
        )
        .await;
    assert_eq!(
        reports["contract"]["reports"].as_array().map(Vec::len),
        Some(1),
        "the second report replaced the first"
    );
    assert_eq!(reports["contract"]["reports"][0]["period"], period.as_str());
    assert_eq!(reports["contract"]["reports"][0]["feedbackCount"], 7);
    let subs = app
        .ok(Some(&m.in_house), "{ myCategorySubscriptions }", json!({}))
        .await;
    assert_eq!(subs["myCategorySubscriptions"], json!([]));
}

/// Runs one journey of portal-tests/eval-journeys.mjs (issue 15) at a width and in a
/// language; returns its RESULT. Every state it passes is checked with axe-core.
async fn eval_journey(
    root: &Path,
    name: &str,
    base: &str,
    width: u32,
    lang: &str,
    mut params: Value,
) -> Value {
    params["width"] = json!(width);
    params["lang"] = json!(lang);
    let result =
        kilpailutus_tests::run_node_journey(root, "eval-journeys.mjs", name, base, &params).await;
    let axe = result["axe"].as_array().cloned().unwrap_or_default();
    assert!(!axe.is_empty(), "no state was checked");
    assert!(
        axe.iter().all(|a| a["violations"] == 0),
        "{}",
        result["axe"]
    );
    eprintln!(
        "journey {name} at {width} px in {lang}: axe {}",
        result["axe"]
    );
    result
}

/// Issue 15 in the browser: every journey at 1280 and 390 px, in Finnish and English (each
/// combination with its own calls; at 390 px no sideways scrolling): the evaluation page
/// keeps its judgements, scores and order; "not judged" is its own state and only changed
/// requirements are sent; the award, activation, cancellation, unsuccessful call and
/// withdrawal are confirmed in a dialog with a summary; a corrected answer is shown as
/// edited; a question appears in the list at once and is counted for the orderer; the
/// new-call form removes rows and keeps its draft.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evaluation_keeps_its_state_and_steps_with_legal_weight_are_confirmed_in_a_real_browser()
 {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (_, c) = app.provider(3).await;
    let call_with = |title: &str| {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        input["capabilityRequirements"] =
            json!(["Sairaanhoitajat joka vuorossa", "Oma kotihoidon toiminimi"]);
        input
    };
    // Each journey runs in all four combinations, each with its own calls.
    let mut sets = Vec::new();
    for (i, (width, lang)) in RUNS.into_iter().enumerate() {
        let place = PLACES[i];
        let mut made = Vec::new();
        for title in [
            format!("Arviointi {place} 2027"),
            format!("Keskeytettävä {place} 2027"),
            format!("Tuloksetonta {place} 2027"),
            format!("Peruttava tarjous {place} 2027"),
        ] {
            made.push((
                app.make_call(&m.orderer, call_with(&title), true).await,
                title,
            ));
        }
        let mut made = made.into_iter();
        let mut next = || made.next().expect("call");
        sets.push(EvalSet {
            width,
            lang,
            place,
            eval: next(),
            cancel: next(),
            fail: next(),
            withdraw: next(),
        });
    }
    let base = app.serve().await;
    let question = "Sisältyvätkö yökäynnit tuntihintaan?";
    for call in sets.iter().map(|s| &s.eval.0) {
        app.ok(
            Some(&m.a),
            "mutation($c:ID!,$t:String!){ askQuestion(callId:$c,text:$t){ id } }",
            json!({ "c": call.id, "t": question }),
        )
        .await;
        for (token, prices) in [
            (&m.a, ["45.50", "8"]),
            (&m.b, ["50", "9"]),
            (&c, ["40", "8"]),
        ] {
            app.ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(call, &prices) }),
            )
            .await;
        }
    }
    for call in sets.iter().flat_map(|s| [&s.fail.0, &s.withdraw.0]) {
        app.ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(call, &["45.50", "8"]) }),
        )
        .await;
    }
    let me = |token: String| {
        let app = &app;
        async move {
            app.ok(Some(&token), "{ me { email name } }", json!({}))
                .await["me"]
                .clone()
        }
    };
    let orderer = me(m.orderer.clone()).await;
    let provider = me(m.a.clone()).await;

    // Before the deadline: the provider asks (the list shows it at once) and withdraws its bid.
    for set in &sets {
        let (call, title) = &set.withdraw;
        eval_journey(&root, "provider", &base, set.width, set.lang, json!({
            "email": provider["email"], "password": PASSWORD, "callId": call.id, "callTitle": title,
            "question": "Onko lisätyö sallittua?", "total": money(set.lang, "45\u{a0}600,00 €", "45,600.00 €"),
        }))
        .await;
        let withdrawn = app
            .ok(
                Some(&m.a),
                "query($id:ID!){ call(id:$id){ myBid{ status } questions{ text } } }",
                json!({ "id": call.id }),
            )
            .await;
        assert_eq!(withdrawn["call"]["myBid"]["status"], "WITHDRAWN");
        assert_eq!(
            withdrawn["call"]["questions"][0]["text"],
            "Onko lisätyö sallittua?"
        );
    }
    // The new-call form keeps its draft and removes rows; the call is made once, as left.
    for set in &sets {
        let title = format!("Luonnos säilyy {} 2027", set.place);
        let calls_before = app.count("call_for_tenders").await;
        eval_journey(
            &root,
            "draft",
            &base,
            set.width,
            set.lang,
            json!({
                "email": orderer["email"], "password": PASSWORD, "title": title,
            }),
        )
        .await;
        assert_eq!(app.count("call_for_tenders").await, calls_before + 1);
        let drafted = app
            .ok(
                Some(&m.orderer),
                "query($s:String!){ calls(filter:{search:$s}){ edges{ node{ status lines{ quantity } criteria{ qualityCriteria{ name } capabilityRequirements{ text } } } } } }",
                json!({ "s": title }),
            )
            .await;
        assert_eq!(
            drafted["calls"]["edges"][0]["node"],
            json!({ "status": "DRAFT", "lines": [{ "quantity": "100" }],
                "criteria": { "qualityCriteria": [{ "name": "Laatu" }], "capabilityRequirements": [{ "text": "Jäävä vaatimus" }] } }),
            "what was removed from the form is not in the call"
        );
    }

    // After the deadline: the evaluation.
    let last_deadline = sets
        .iter()
        .map(|s| s.withdraw.0.submission_deadline)
        .max()
        .expect("sets");
    app.clock.set(last_deadline + TimeDelta::minutes(1));
    for set in &sets {
        let ((call, title), width, lang) = (&set.eval, set.width, set.lang);
        let total = money(lang, "45\u{a0}600,00 €", "45,600.00 €");
        let judged_before = app.count("capability_judgement").await;
        eval_journey(&root, "evaluation", &base, width, lang, json!({
            "email": orderer["email"], "password": PASSWORD, "evaluatorName": orderer["name"],
            "callId": call.id, "callTitle": title, "question": question,
            "answer": "Eivät sisälly.", "correctedAnswer": "Sisältyvät, korjattu vastaus.",
            "bidders": ["Provider 1 Oy", "Provider 2 Oy", "Provider 3 Oy"], "points": [4, 4, 4],
            "winner": "Provider 1 Oy", "winnerTotal": total, "justification": "Halvin soveltuva tarjous",
        }))
        .await;
        // Three bids x two requirements, each judged once as the page showed them.
        assert_eq!(app.count("capability_judgement").await, judged_before + 6);
        let after = app
            .ok(
                Some(&m.orderer),
                "query($id:ID!){ call(id:$id){ status award{ bid{ bidder{ name } } justification }
                  questions{ answer answerEditedAt }
                  evaluation{ report{ rows{ bidder{ name } capability{ met } } } } } }",
                json!({ "id": call.id }),
            )
            .await;
        let call_now = &after["call"];
        assert_eq!(call_now["status"], "AWARDED");
        assert_eq!(call_now["award"]["bid"]["bidder"]["name"], "Provider 1 Oy");
        assert_eq!(
            call_now["questions"][0]["answer"],
            "Sisältyvät, korjattu vastaus."
        );
        assert!(call_now["questions"][0]["answerEditedAt"].is_string());
        let mut met: Vec<(String, Value)> = call_now["evaluation"]["report"]["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    r["bidder"]["name"].as_str().unwrap_or_default().to_owned(),
                    r["capability"].clone(),
                )
            })
            .collect();
        met.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            met.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>(),
            [
                json!([{ "met": true }, { "met": true }]),
                json!([{ "met": true }, { "met": true }]),
                json!([{ "met": true }, { "met": false }]),
            ],
            "the first requirement was not overwritten by the second save"
        );
    }

    // Cancelling one call and declaring another unsuccessful, each confirmed with its reason.
    for set in &sets {
        let (to_cancel, to_fail) = (&set.cancel.0, &set.fail.0);
        eval_journey(
            &root,
            "ending",
            &base,
            set.width,
            set.lang,
            json!({
                "email": orderer["email"], "password": PASSWORD,
                "cancelId": to_cancel.id, "cancelReason": "Tarve muuttui",
                "unsuccessfulId": to_fail.id, "unsuccessfulReason": "Ainoa tarjous ylitti budjetin",
            }),
        )
        .await;
        for (id, status) in [(&to_cancel.id, "CANCELLED"), (&to_fail.id, "UNSUCCESSFUL")] {
            let s = app
                .ok(
                    None,
                    "query($id:ID!){ call(id:$id){ status } }",
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(s["call"]["status"], status);
        }
    }

    // After the standstill: the contract's activation shows the appropriation still free
    // (topped up before each activation so that 1 000 000 is free each time).
    app.clock.advance(TimeDelta::days(15));
    for (i, set) in sets.iter().enumerate() {
        let amount = 1_000_000 + 45_600 * i;
        app.ok(
            Some(&m.admin),
            "mutation($o:ID!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:$a){ amount } }",
            json!({ "o": m.orderer_org, "a": amount.to_string() }),
        )
        .await;
        let made = app
            .ok(
                Some(&m.orderer),
                "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
                json!({ "c": set.eval.0.id }),
            )
            .await;
        let contract_id = made["createContractFromAward"]["id"].clone();
        // Both parties sign through the API (the provider journey signs in the browser).
        let id = contract_id.as_str().expect("id");
        app.sign_both(id, &m.orderer, &m.a).await;
        eval_journey(&root, "activation", &base, set.width, set.lang, json!({
            "email": orderer["email"], "password": PASSWORD, "contractId": contract_id, "producer": "Provider 1 Oy",
            "expected": ["2027", money(set.lang, "45\u{a0}600,00 €", "45,600.00 €"), money(set.lang, "1\u{a0}000\u{a0}000,00 €", "1,000,000.00 €")],
        }))
        .await;
    }
    let budget = app
        .ok(
            Some(&m.orderer),
            "{ appropriations(fiscalYear: 2027) { available } }",
            json!({}),
        )
        .await;
    assert_eq!(budget["appropriations"][0]["available"], "954400.00");
}

/// The four combinations every issue-15 journey runs in: width in px and language.
const RUNS: [(u32, &str); 4] = [(1280, "fi"), (1280, "en"), (390, "fi"), (390, "en")];
/// A distinct place name per combination, for the titles of its own calls.
const PLACES: [&str; 4] = ["Pohjoinen", "Läntinen", "Itäinen", "Eteläinen"];

/// `fi` or `en` as the portal formats it in `lang`.
fn money<'a>(lang: &str, fi: &'a str, en: &'a str) -> &'a str {
    if lang == "en" { en } else { fi }
}

/// One combination's own calls (each with its title) for the evaluation journeys.
struct EvalSet {
    width: u32,
    lang: &'static str,
    place: &'static str,
    eval: (kilpailutus_tests::CallFixture, String),
    cancel: (kilpailutus_tests::CallFixture, String),
    fail: (kilpailutus_tests::CallFixture, String),
    withdraw: (kilpailutus_tests::CallFixture, String),
}

/// The leftovers of issue 15: a contract's amounts of many decimals show rounded to cents
/// with the exact value on demand (unit prices exact); the new-call form finds format and
/// range errors (a quantity's decimals, weights not summing to 100, max points, a ratio as a
/// percentage, deadlines and dates in the wrong order) all at once without sending; the
/// orderer's header is one line at 1280 px with every link shown; report months in words.
/// At 1280 and 390 px, in Finnish and English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_rounded_new_call_checks_one_line_header_and_months_in_words_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let today = Utc::now().date_naive();
    let year = chrono::Datelike::year(&today);
    for y in [year - 1, year, year + 1] {
        app.ok(
            Some(&m.admin),
            "mutation($o:ID!,$y:Int!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:\"10000000\"){ amount } }",
            json!({ "o": m.orderer_org, "y": y }),
        )
        .await;
    }
    let (kh, kv) = (&m.products[0], &m.products[1]);
    let made = app
        .ok(
            Some(&m.orderer),
            "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id lines { lineTotal } } }",
            json!({ "i": { "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE",
                "startDate": (today - TimeDelta::days(70)).to_string(), "endDate": (today + TimeDelta::days(300)).to_string(),
                "lines": [{ "productId": kh, "quantity": "3.333", "unitPrice": "1.2345" }, { "productId": kv, "quantity": "10", "unitPrice": "8" }] } }),
        )
        .await;
    let contract = made["createDirectContract"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let exact = made["createDirectContract"]["lines"][0]["lineTotal"]
        .as_str()
        .expect("lineTotal")
        .to_owned();
    assert_eq!(exact, "4.1145885", "the line total keeps every digit");
    let total = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ totalValue } }",
            json!({ "id": contract }),
        )
        .await["contract"]["totalValue"]
        .as_str()
        .expect("totalValue")
        .to_owned();
    assert_eq!(total, "84.1145885", "the total keeps every digit");
    app.sign_both(&contract, &m.orderer, &m.in_house).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": contract }),
    )
    .await;
    let period = (today - TimeDelta::days(40)).format("%Y-%m").to_string();
    app.ok(
        Some(&m.in_house),
        "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }",
        json!({ "i": { "contractId": contract, "period": period,
            "lines": [{ "productId": kh, "quantity": "1", "cost": "1.2345" }], "feedbackCount": 0, "qualityMeasurements": [] } }),
    )
    .await;
    let orderer = email_of(&app, m.orderer.clone()).await;
    let in_house = email_of(&app, m.in_house.clone()).await;

    let base = app.serve().await;

    for (width, lang) in [(1280, "fi"), (390, "en"), (1280, "en"), (390, "fi")] {
        let (point, bad) = if lang == "fi" {
            (",", "1,23456")
        } else {
            (".", "1.23456")
        };
        let r = checked_journey("leftovers-journeys.mjs", &root, "orderer", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "producer": "Kotihoidon liikelaitos", "contractId": contract,
            "exactLineTotal": exact, "exactTotal": total, "unitPriceShown": format!("1{point}2345 €"), "period": period, "badQuantity": bad,
        }))
        .await;
        assert_eq!(r["shownLine"], format!("4{point}11 €"), "{r}");
        assert!(
            r["exactTitle"]
                .as_str()
                .expect("title")
                .contains(&format!("4{point}1145885")),
            "{r}"
        );
        if width == 1280 {
            assert!(r["headerHeight"].as_f64().expect("height") < 60.0, "{r}");
        }
        let invalid: BTreeSet<String> = r["invalid"]
            .as_array()
            .expect("invalid")
            .iter()
            .map(|v| v.as_str().expect("name").to_owned())
            .collect();
        for name in [
            "lines[0].quantity",
            "priceWeight",
            "qualityCriteria[0].maxPoints",
            "minEquityRatio",
            "questionsDeadline",
            "contractEnd",
        ] {
            assert!(invalid.contains(name), "{name} not in error: {r}");
        }
        assert_eq!(r["focused"], "lines[0].quantity", "{r}");
        assert_eq!(r["sent"], 0, "{r}");
    }
    for (width, lang) in [(1280, "fi"), (390, "en")] {
        checked_journey("leftovers-journeys.mjs", &root, "producer", &base, width, lang, json!({
            "email": in_house, "password": PASSWORD, "orderer": "Hyvinvointilautakunta", "contractId": contract, "period": period,
        }))
        .await;
    }
}

/// A number or amount written in Finnish ("45 500,00 €", "12,5 hour") as the portal writes
/// it in `lang` (English: "45,500.00 €", "12.5 hour").
fn in_lang(lang: &str, fi: &str) -> String {
    if lang == "en" {
        fi.replace(',', ".").replace('\u{a0}', ",")
    } else {
        fi.to_owned()
    }
}

/// The text of one cell of a journey's table: an amount rounded to cents gives what it shows.
fn cell_text(cell: &Value) -> String {
    match cell {
        Value::String(s) => s.clone(),
        other => other["shown"]
            .as_str()
            .or(other["text"].as_str())
            .unwrap_or_default()
            .to_owned(),
    }
}

fn rows_text(table: &Value) -> Vec<Vec<String>> {
    table
        .as_array()
        .unwrap_or_else(|| panic!("not a table: {table}"))
        .iter()
        .map(|r| r.as_array().expect("row").iter().map(cell_text).collect())
        .collect()
}

/// Issue 15, the evaluation report for the minutes: a call with four bids (an in-house one;
/// distinct unit prices, one of four decimals; capability met, not met and one requirement
/// left unjudged; points from two evaluators, some missing; an abnormally low bid), and the
/// same call awarded. At 1280 and 390 px in Finnish and English the call page folds each
/// bid's unit prices in a <details>, and the report shows the call, every bid's lines
/// (unit prices exact), judgements, each evaluator's points, scores, rank and the decision;
/// Print calls window.print and the print style hides the header, navigation and buttons.
/// Before the deadline neither the API nor the report shows any bid or unit price.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evaluation_report_shows_every_bids_unit_prices_and_points_and_prints_in_a_real_browser()
 {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (_, c) = app.provider(3).await;
    let mut evaluators = Vec::new();
    for (name, email) in [
        ("Eeva Arvioija", "eeva.arvioija@kunta.example.fi"),
        ("Olli Arvioija", "olli.arvioija@kunta.example.fi"),
    ] {
        let made = app
            .ok(
                Some(&m.admin),
                "mutation($i:CreateUserInput!){ createUser(input:$i){ id } }",
                json!({ "i": { "email": email, "password": PASSWORD, "name": name, "role": "ORDERER", "organizationId": m.orderer_org } }),
            )
            .await;
        let id = made["createUser"]["id"].as_str().expect("id").to_owned();
        evaluators.push((id, app.login(email, PASSWORD).await));
    }
    let requirements = ["Sairaanhoitajat joka vuorossa", "Oma kotihoidon toiminimi"];
    let now = app.clock_now();
    let call_with = |title: &str, days: i64| {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        input["capabilityRequirements"] = json!(requirements);
        input["submissionDeadline"] = json!((now + TimeDelta::days(days)).to_rfc3339());
        input
    };
    let (open_title, awarded_title, sealed_title) = (
        "Arviointiraportti kotihoito 2027",
        "Ratkaistu kotihoito 2027",
        "Suljettu kotihoito 2027",
    );
    let open = app
        .make_call(&m.orderer, call_with(open_title, 14), true)
        .await;
    let awarded = app
        .make_call(&m.orderer, call_with(awarded_title, 14), true)
        .await;
    let sealed = app
        .make_call(&m.orderer, call_with(sealed_title, 30), true)
        .await;
    // Provider 1, the in-house producer, provider 2 (a unit price of four decimals) and
    // provider 3 (the lowest, abnormally low); the lines are 1000 and 12.5 hours.
    let bidders = [
        (&m.a, ["45.50", "8"]),
        (&m.in_house, ["41", "7"]),
        (&m.b, ["50.125", "8.1234"]),
        (&c, ["30", "5"]),
    ];
    let mut bids: Vec<Vec<String>> = Vec::new();
    for call in [&open, &awarded, &sealed] {
        let mut ids = Vec::new();
        for (token, prices) in &bidders {
            let d = app
                .ok(
                    Some(token),
                    SUBMIT_BID,
                    json!({ "i": app.bid_input(call, prices) }),
                )
                .await;
            ids.push(d["submitBid"]["id"].as_str().expect("bid").to_owned());
        }
        bids.push(ids);
    }

    // Before the deadline the API shows the orderer no bid and no line; a bidder its own only.
    let sealed_now = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ bidCount bids{ id lines{ unitPrice } } evaluation{ results{ bid{ id } } } } }",
            json!({ "id": sealed.id }),
        )
        .await;
    assert_eq!(
        sealed_now["call"],
        json!({ "bidCount": null, "bids": [], "evaluation": null })
    );
    let own = app
        .ok(
            Some(&m.a),
            "query($id:ID!){ call(id:$id){ bids{ lines{ unitPrice } } } }",
            json!({ "id": sealed.id }),
        )
        .await;
    assert_eq!(
        own["call"]["bids"],
        json!([{ "lines": [{ "unitPrice": "45.50" }, { "unitPrice": "8" }] }])
    );
    for token in [&m.orderer, &m.a] {
        let other = app
            .ok(
                Some(token),
                "query($id:ID!){ bid(id:$id){ lines{ unitPrice } } }",
                json!({ "id": bids[2][2] }),
            )
            .await;
        assert!(
            other["bid"].is_null(),
            "a sealed bid's lines leaked: {other}"
        );
    }

    // After the deadline of the two evaluated calls (the third stays sealed): evaluators,
    // judgements (provider 2: the first requirement not met, the second left unjudged) and
    // points (provider 2 scored by one evaluator on one criterion only).
    app.clock
        .set(open.submission_deadline + TimeDelta::minutes(1));
    let points: [[(Option<i32>, Option<i32>); 2]; 4] = [
        [(Some(8), Some(4)), (Some(6), Some(5))],
        [(Some(10), Some(5)), (Some(9), Some(5))],
        [(Some(9), None), (None, None)],
        [(Some(5), Some(2)), (Some(7), Some(3))],
    ];
    for (call, ids) in [(&open, &bids[0]), (&awarded, &bids[1])] {
        for (user, _) in &evaluators {
            app.ok(
                Some(&m.orderer),
                "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } } }",
                json!({ "c": call.id, "u": user }),
            )
            .await;
        }
        for (i, bid) in ids.iter().enumerate() {
            let judgements = if i == 2 {
                json!([{ "requirementId": call.requirement_ids[0], "met": false }])
            } else {
                json!(
                    call.requirement_ids
                        .iter()
                        .map(|r| json!({ "requirementId": r, "met": true }))
                        .collect::<Vec<_>>()
                )
            };
            app.ok(
                Some(&m.orderer),
                "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
                json!({ "b": bid, "j": judgements }),
            )
            .await;
            for ((_, token), (staff, plan)) in evaluators.iter().zip(points[i]) {
                let scores: Vec<Value> = [staff, plan]
                    .iter()
                    .zip(&call.criterion_ids)
                    .filter_map(|(p, c)| p.map(|p| json!({ "criterionId": c, "points": p })))
                    .collect();
                if scores.is_empty() {
                    continue;
                }
                app.ok(
                    Some(token),
                    "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ totalScore } }",
                    json!({ "b": bid, "s": scores }),
                )
                .await;
            }
        }
    }
    let justification = "Kokonaistaloudellisesti edullisin; alhainen hinta selvitetty";
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!,$b:ID!,$j:String!){ awardCall(callId:$c,bidId:$b,justification:$j){ decidedAt } }",
        json!({ "c": awarded.id, "b": bids[1][3], "j": justification }),
    )
    .await;
    let evaluated = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ status bids{ id lines{ unitPrice lineTotal } }
              evaluation{ results{ bid{ bidder{ name } } rank priceScore qualityScore totalScore qualified abnormallyLow } } } }",
            json!({ "id": open.id }),
        )
        .await;
    let results = evaluated["call"]["evaluation"]["results"]
        .as_array()
        .expect("results")
        .clone();
    let order: Vec<&str> = results
        .iter()
        .map(|r| r["bid"]["bidder"]["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        order,
        [
            "Provider 3 Oy",
            "Kotihoidon liikelaitos",
            "Provider 1 Oy",
            "Provider 2 Oy"
        ]
    );
    let b_lines = evaluated["call"]["bids"]
        .as_array()
        .expect("bids")
        .iter()
        .find(|b| b["id"] == bids[0][2].as_str())
        .expect("provider 2's bid")["lines"]
        .clone();
    assert_eq!(
        b_lines[1],
        json!({ "unitPrice": "8.1234", "lineTotal": "101.54250" })
    );
    let email = |token: String| {
        let app = &app;
        async move {
            app.ok(Some(&token), "{ me { email } }", json!({})).await["me"]["email"]
                .as_str()
                .expect("email")
                .to_owned()
        }
    };
    let orderer = email(m.orderer.clone()).await;
    let other = email(m.other_orderer.clone()).await;

    let base = app.serve().await;

    // The unit prices (exact) and line totals (rounded to cents) per bidder, in Finnish.
    let lines_fi: [(&str, [[&str; 4]; 2]); 4] = [
        (
            "Provider 3 Oy",
            [
                [
                    "KH-H Product KH-H",
                    "1\u{a0}000 hour",
                    "30,00 €",
                    "30\u{a0}000,00 €",
                ],
                ["KH-V Product KH-V", "12,5 hour", "5,00 €", "62,50 €"],
            ],
        ),
        (
            "Kotihoidon liikelaitos",
            [
                [
                    "KH-H Product KH-H",
                    "1\u{a0}000 hour",
                    "41,00 €",
                    "41\u{a0}000,00 €",
                ],
                ["KH-V Product KH-V", "12,5 hour", "7,00 €", "87,50 €"],
            ],
        ),
        (
            "Provider 1 Oy",
            [
                [
                    "KH-H Product KH-H",
                    "1\u{a0}000 hour",
                    "45,50 €",
                    "45\u{a0}500,00 €",
                ],
                ["KH-V Product KH-V", "12,5 hour", "8,00 €", "100,00 €"],
            ],
        ),
        (
            "Provider 2 Oy",
            [
                [
                    "KH-H Product KH-H",
                    "1\u{a0}000 hour",
                    "50,125 €",
                    "50\u{a0}125,00 €",
                ],
                ["KH-V Product KH-V", "12,5 hour", "8,1234 €", "101,54 €"],
            ],
        ),
    ];
    // Each evaluator's points per criterion, the mean and the weighted score, in Finnish.
    let points_fi: [[[&str; 5]; 2]; 4] = [
        [
            ["Staff competence (0–10)", "5", "7", "6,00", "18,00"],
            ["Quality plan (0–5)", "2", "3", "2,50", "5,00"],
        ],
        [
            ["Staff competence (0–10)", "10", "9", "9,50", "28,50"],
            ["Quality plan (0–5)", "5", "5", "5,00", "10,00"],
        ],
        [
            ["Staff competence (0–10)", "8", "6", "7,00", "21,00"],
            ["Quality plan (0–5)", "4", "5", "4,50", "9,00"],
        ],
        [
            ["Staff competence (0–10)", "9", "–", "9,00", "27,00"],
            ["Quality plan (0–5)", "–", "–", "–", "0,00"],
        ],
    ];
    for (width, lang) in RUNS {
        let texts: Value = serde_json::from_str(
            &std::fs::read_to_string(root.join(format!("api/portal/i18n/{lang}.json")))
                .expect("texts"),
        )
        .expect("json");
        let tx = |key: &str| texts[key].as_str().expect(key).to_owned();
        let r = checked_journey("report-journeys.mjs", &root, "report", &base, width, lang, json!({
            "email": orderer, "otherEmail": other, "password": PASSWORD,
            "sealedId": sealed.id, "sealedTitle": sealed_title, "openId": open.id, "openTitle": open_title,
            "awardedId": awarded.id, "awardedTitle": awarded_title, "manageBidder": "Provider 2 Oy",
        }))
        .await;
        assert_eq!(r["states"].as_array().map(Vec::len), Some(7), "{r}");
        // Other users, and the sealed call.
        assert_eq!(r["otherOrdererBids"], 0);
        let sealed_text = r["sealedText"].as_str().expect("sealed");
        let sealed_start = tx("report.sealed");
        let sealed_start = sealed_start.split('{').next().expect("text");
        assert!(sealed_text.starts_with(sealed_start), "{sealed_text}");
        assert_eq!(r["sealedBids"], 0);
        assert_eq!(r["sealedTables"], json!([tx("call.criteria")]), "{r}");
        assert_eq!(r["sealedManage"], json!({ "reportLinks": 0, "details": 0 }));
        // The call page's unit prices, one <details> per bid, by bidder name.
        let summaries: Vec<String> = [
            "Kotihoidon liikelaitos",
            "Provider 1 Oy",
            "Provider 2 Oy",
            "Provider 3 Oy",
        ]
        .iter()
        .map(|b| tx("orderer.unitPrices").replace("{bidder}", b))
        .collect();
        assert_eq!(r["manageDetails"], json!(summaries));
        let expect_lines = |fi: &[[&str; 4]; 2]| -> Vec<Vec<String>> {
            fi.iter()
                .map(|row| row.iter().map(|c| in_lang(lang, c)).collect())
                .collect()
        };
        assert_eq!(rows_text(&r["manageLines"]), expect_lines(&lines_fi[3].1));
        assert_eq!(r["manageLines"][1][3]["exact"], "101.54250", "{r}");

        // The report: the call, the ranking in the API's order, every bid's block.
        let open_r = &r["open"];
        assert_eq!(open_r["call"][tx("calls.orderer")], "Hyvinvointilautakunta");
        assert_eq!(open_r["call"][tx("report.reference")], open.id.as_str());
        assert!(
            !r["openPrintedAt"].as_str().unwrap_or_default().is_empty(),
            "{r}"
        );
        assert_eq!(open_r["requirements"], json!(requirements));
        assert_eq!(
            rows_text(&open_r["criteria"]),
            [
                vec![tx("call.price"), "60 %".into(), "–".into()],
                vec!["Staff competence".into(), "30 %".into(), "10".into()],
                vec!["Quality plan".into(), "10 %".into(), "5".into()],
            ]
        );
        let mut names: Vec<String> = open_r["evaluators"]
            .as_array()
            .expect("evaluators")
            .iter()
            .map(|v| v.as_str().expect("name").to_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["Eeva Arvioija", "Olli Arvioija"]);
        let ranking = rows_text(&open_r["ranking"]);
        let score = |v: &Value| {
            in_lang(
                lang,
                &v.as_str().map_or("–".into(), |s| s.replace('.', ",")),
            )
        };
        for (row, api) in ranking.iter().zip(&results) {
            let rank = api["rank"].as_i64().map_or("–".into(), |n| n.to_string());
            assert_eq!(row[0], rank, "{row:?}");
            assert!(row[1].starts_with(api["bid"]["bidder"]["name"].as_str().expect("name")));
            assert_eq!(row[3], score(&api["priceScore"]), "{row:?}");
            assert_eq!(row[4], score(&api["qualityScore"]), "{row:?}");
            assert_eq!(row[5], score(&api["totalScore"]), "{row:?}");
        }
        assert_eq!(ranking.len(), 4);
        assert_eq!(
            ranking.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
            ["1", "2", "3", "–"]
        );
        assert!(ranking[1][1].ends_with(&format!("({})", tx("orderer.inHouse"))));
        assert!(
            ranking[0][2].contains(&tx("orderer.abnormallyLow")),
            "{ranking:?}"
        );
        assert!(ranking[3][6].contains(&tx("orderer.notJudgedYet")));
        let open_bids = open_r["bids"].as_array().expect("bids");
        assert_eq!(open_bids.len(), 4);
        for (i, bid) in open_bids.iter().enumerate() {
            let (name, lines) = &lines_fi[i];
            let heading = if i < 3 {
                format!("{}. {name}", i + 1)
            } else {
                (*name).to_owned()
            };
            assert_eq!(bid["heading"], heading.as_str());
            assert_eq!(rows_text(&bid["lines"]), expect_lines(lines), "{name}");
            assert_eq!(
                rows_text(&bid["points"]),
                points_fi[i]
                    .iter()
                    .map(|row| row.iter().map(|c| in_lang(lang, c)).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
                "{name}"
            );
            let columns = bid["pointsColumns"].as_array().expect("columns");
            assert_eq!(columns.len(), 5);
            let evaluator_columns: BTreeSet<&str> =
                columns[1..3].iter().filter_map(Value::as_str).collect();
            assert_eq!(
                evaluator_columns,
                BTreeSet::from(["Eeva Arvioija", "Olli Arvioija"])
            );
            let judged: Vec<(String, String)> = bid["capability"]
                .as_array()
                .expect("capability")
                .iter()
                .map(|row| {
                    (
                        cell_text(&row[0]),
                        row[1]["met"].as_str().expect("met").to_owned(),
                    )
                })
                .collect();
            let met: [&str; 2] = if i == 3 {
                ["false", "null"]
            } else {
                ["true", "true"]
            };
            assert_eq!(
                judged,
                requirements
                    .iter()
                    .zip(met)
                    .map(|(q, m)| ((*q).to_owned(), m.to_owned()))
                    .collect::<Vec<_>>(),
                "{name}"
            );
            let facts = &bid["facts"];
            assert_eq!(
                facts[tx("report.inHouse")],
                tx(if i == 1 { "orderer.yes" } else { "orderer.no" })
            );
            assert_eq!(
                facts.get(tx("report.abnormallyLow")).is_some(),
                i == 0,
                "{facts}"
            );
        }
        // Provider 2: the states of its capability in words, its reason in the user's language.
        let b_rows = rows_text(&open_bids[3]["capability"]);
        assert_eq!(b_rows[0][1], tx("orderer.notMet"));
        assert_eq!(b_rows[1][1], tx("orderer.notJudged"));
        let qualified = open_bids[3]["facts"][tx("orderer.qualified")]
            .as_str()
            .expect("qualified");
        assert!(
            qualified.contains(&tx("orderer.notJudgedYet")),
            "{qualified}"
        );
        assert!(
            qualified
                .contains(&tx("reason.CAPABILITY_NOT_MET").replace("{required}", requirements[0])),
            "{qualified}"
        );
        assert_eq!(open_r["decision"], tx("report.noAward"));
        // Printing.
        assert_eq!(r["printed"], true, "{r}");
        let print = &r["print"];
        assert_eq!(print["header"], false, "{print}");
        assert_eq!(print["nav"], false, "{print}");
        assert_eq!(print["buttons"], 0, "{print}");
        assert_eq!(print["backLink"], false, "{print}");
        assert_eq!(print["main"], true, "{print}");
        assert_eq!(print["bids"], 4, "{print}");
        assert_eq!(print["bidBreak"], "avoid", "{print}");
        assert_eq!(print["color"], "rgb(0, 0, 0)", "{print}");
        assert_eq!(print["background"], "rgb(255, 255, 255)", "{print}");
        assert_eq!(print["thBackground"], "rgb(255, 255, 255)", "{print}");
        assert_eq!(print["exactShown"], true, "{print}");
        assert!(
            print["exactText"]
                .as_str()
                .expect("exact")
                .contains(&in_lang(lang, "50\u{a0}226,5425")),
            "{print}"
        );
        // The awarded call: the decision with its justification and times.
        let decision = &r["awarded"]["decision"];
        assert_eq!(
            decision[tx("orderer.winner")],
            "Provider 3 Oy",
            "{decision}"
        );
        assert_eq!(decision[tx("orderer.justification")], justification);
        for key in ["report.decidedAt", "report.standstillEnds"] {
            let at = decision[tx(key)].as_str().expect("time");
            assert!(
                at.contains("20") && (at.contains("EET") || at.contains("EEST")),
                "{at}"
            );
        }
    }
    // The opened sealed log (from the call page and from its anchor in the audit log) and
    // the call's open data, at both widths in both languages' pair.
    let api_log = app
        .ok(
            Some(&m.orderer),
            "query($c:ID!){ sealedLog(callId:$c){ seq action } }",
            json!({ "c": open.id }),
        )
        .await;
    let api_events = api_log["sealedLog"].as_array().expect("log").len();
    assert!(api_events >= 4, "{api_log}");
    for (width, lang) in [(1280, "fi"), (390, "en")] {
        let r = checked_journey(
            "report-journeys.mjs",
            &root,
            "opendata",
            &base,
            width,
            lang,
            json!({
                "email": orderer, "password": PASSWORD, "openId": open.id, "openTitle": open_title,
                "sealedId": sealed.id, "sealedTitle": sealed_title,
            }),
        )
        .await;
        let rows = r["sealedRows"].as_array().expect("rows");
        assert_eq!(rows.len(), api_events, "{r}");
        let actions: Vec<&str> = rows
            .iter()
            .map(|row| row[2].as_str().expect("action"))
            .collect();
        assert_eq!(
            actions.iter().filter(|a| **a == "bid.submit").count(),
            4,
            "{actions:?}"
        );
        assert_eq!(r["fromAnchor"], json!(api_events), "{r}");
        assert_eq!(r["sealedEmpty"], 0, "{r}");
        for key in ["call.ocdsReleases", "call.ocdsRecord"] {
            let o = &r["ocds"][key];
            assert_eq!(o["status"], 200, "{o}");
            assert!(
                o["type"]
                    .as_str()
                    .expect("type")
                    .starts_with("application/json"),
                "{o}"
            );
        }
        assert!(
            r["ocds"]["call.ocdsReleases"]["keys"]
                .as_array()
                .expect("keys")
                .contains(&json!("releases")),
            "{r}"
        );
        assert!(
            r["ocds"]["call.ocdsRecord"]["keys"]
                .as_array()
                .expect("keys")
                .contains(&json!("records")),
            "{r}"
        );
    }
}

/// The portal's texts in `lang`, as the journeys read them.
fn texts(root: &Path, lang: &str) -> Value {
    let file = root.join(format!("api/portal/i18n/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(file).expect("i18n file")).expect("i18n json")
}

/// The names of the fields a journey found in error, and the field that had the focus.
fn invalid_fields(report: &Value) -> (BTreeSet<String>, String) {
    let names = report["errors"]
        .as_object()
        .expect("errors")
        .keys()
        .cloned()
        .collect();
    (names, report["focused"].as_str().unwrap_or("").to_owned())
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Issue 15, the administration's pages: organisations by kind and a new one (a wrong check
/// digit and a missing name beside their fields before anything is sent, a taken business ID
/// beside its field from the API), its users (three errors at once, a taken e-mail, a user
/// created and then disabled after a confirmation, an administrator's own account refused in
/// words), the catalogue (missing and too long fields, a taken code, a new product, a
/// category), a grant on the budget page typed in the language's number format with a
/// confirmation; and a user changing their password (a mismatch, a wrong current password
/// beside its field with the session kept, then success with a fresh token). At 1280 and
/// 390 px in Finnish and English, axe-core clean in every state; afterwards the API shows
/// that exactly the organisation, user, product and grant were written, the disabled user
/// cannot log in, and the old password and tokens fail while the new ones work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administration_pages_and_the_password_change_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let grant_year = chrono::Datelike::year(&Utc::now().date_naive()) + 1;
    let me = app
        .ok(
            Some(&m.admin),
            "{ me { name organization { id name } } }",
            json!({}),
        )
        .await["me"]
        .clone();
    let taken_email = app
        .ok(Some(&m.orderer), "{ me { email } }", json!({}))
        .await["me"]["email"]
        .as_str()
        .expect("email")
        .to_owned();
    let admin_email = kilpailutus_tests::ADMIN_EMAIL;

    let base = app.serve().await;

    const ORGS: &str = "{ organizations { id name kind businessId email } }";
    const GRANTS: &str = "query($y:Int!){ grants(fiscalYear:$y){ fiscalYear amount orderer{ name } recipient{ id name } } }";
    const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";
    for (i, (width, lang)) in [(1280, "fi"), (390, "en"), (1280, "en"), (390, "fi")]
        .into_iter()
        .enumerate()
    {
        let l = texts(&root, lang);
        let text = |key: &str| l[key].as_str().expect(key).to_owned();
        let tag = format!("{width}{lang}");
        let org_name = format!("Hoivakoti {tag} Oy");
        let good_id = business_id(40_000 + i as u32 * 977);
        let bad_id = {
            let (body, digit) = good_id.split_at(8);
            let d: u32 = digit.parse().expect("check digit");
            format!("{body}{}", (d + 1) % 10)
        };
        let user_name = format!("Hoitaja {tag}");
        let user_email = format!("hoitaja.{tag}@hoivakoti.example.fi");
        let code = format!("AP-{tag}");
        let category = format!("kotiapu {tag}");
        let (typed, shown) = if lang == "fi" {
            ("12 345,67", "12\u{a0}345,67 €")
        } else {
            ("12,345.67", "12,345.67 €")
        };
        let before = [
            app.count("organization").await,
            app.count("app_user").await,
            app.count("product").await,
            app.count("municipal_grant").await,
        ];

        let r = checked_journey("admin-journeys.mjs", &root, "admin", &base, width, lang, json!({
            "email": admin_email, "password": kilpailutus_tests::ADMIN_PASSWORD,
            "adminOrgId": me["organization"]["id"], "adminOrgName": me["organization"]["name"], "adminName": me["name"],
            "org": { "name": org_name, "kind": "EXTERNAL_PROVIDER", "businessId": good_id, "badBusinessId": bad_id,
                "takenBusinessId": business_id(7919 + 13), "email": format!("info@{tag}.hoivakoti.example.fi") },
            "user": { "name": user_name, "email": user_email, "takenEmail": taken_email, "role": "PRODUCER", "password": PASSWORD },
            "product": { "code": code, "takenCode": "KH-H", "name": format!("Kotiapu {tag}"), "unit": "käynti", "category": category,
                "description": "Siivous ja asiointi" },
            "grant": { "orderer": "Hyvinvointilautakunta", "recipient": org_name,
                "recipientOption": format!("{org_name} ({})", text("kind.EXTERNAL_PROVIDER")),
                "year": grant_year, "amountTyped": typed, "amountShown": shown },
        }))
        .await;

        // What the browser showed.
        if width == 1280 {
            assert!(r["headerHeight"].as_f64().expect("height") < 60.0, "{r}");
        }
        let kinds = r["orderersListed"].as_array().expect("listed");
        assert!(!kinds.is_empty(), "{r}");
        assert!(kinds.iter().all(|k| *k == text("kind.ORDERER")), "{r}");
        assert_eq!(
            r["liveBusinessIdError"],
            text("account.businessId.checksum"),
            "{r}"
        );
        assert_eq!(
            invalid_fields(&r["orgClientErrors"]),
            (set(&["name", "businessId"]), "name".into()),
            "{r}"
        );
        assert_eq!(r["orgSentAfterClientErrors"], 0, "{r}");
        assert_eq!(
            r["takenBusinessIdError"],
            text("error.CONFLICT.businessId"),
            "{r}"
        );
        assert_eq!(r["orgFocusAfterConflict"], "businessId", "{r}");
        assert_eq!(
            r["orgNotice"],
            l["admin.organizationCreated"]
                .as_str()
                .expect("text")
                .replace("{name}", &org_name),
            "{r}"
        );
        assert_eq!(r["rolePreselected"], "PRODUCER", "{r}");
        assert_eq!(
            invalid_fields(&r["userClientErrors"]),
            (set(&["name", "role", "password"]), "name".into()),
            "{r}"
        );
        assert_eq!(
            r["userClientErrors"]["errors"]["role"],
            text("rule.ROLE_FOR_KIND")
                .replace("{kind}", &text("kind.EXTERNAL_PROVIDER"))
                .replace("{role}", &text("role.PRODUCER")),
            "{r}"
        );
        assert_eq!(r["userSentAfterClientErrors"], 0, "{r}");
        assert_eq!(r["takenEmailError"], text("error.CONFLICT.email"), "{r}");
        assert_eq!(r["userFocusAfterConflict"], "email", "{r}");
        assert_eq!(r["disableSentAfterCancel"], 0, "{r}");
        assert_eq!(r["userStatus"], "disabled", "{r}");
        assert_eq!(r["ownAccountError"], text("rule.OWN_ACCOUNT"), "{r}");
        assert_eq!(
            invalid_fields(&r["productClientErrors"]),
            (set(&["code", "name", "category"]), "code".into()),
            "{r}"
        );
        assert_eq!(
            r["productClientErrors"]["errors"]["name"],
            text("rule.TOO_LONG").replace("{max}", "200"),
            "{r}"
        );
        assert_eq!(r["productSentAfterClientErrors"], 0, "{r}");
        assert_eq!(r["takenCodeError"], text("error.CONFLICT.code"), "{r}");
        assert_eq!(r["productsOfCategory"], json!([category]), "{r}");
        assert_eq!(
            invalid_fields(&r["grantClientErrors"]).0,
            set(&["recipientId", "amount"]),
            "{r}"
        );
        assert_eq!(
            r["grantClientErrors"]["errors"]["amount"],
            text("rule.NOT_POSITIVE"),
            "{r}"
        );
        assert_eq!(r["grantSentAfterCancel"], 0, "{r}");
        assert!(
            r["grantDialog"].as_str().expect("dialog").contains(shown),
            "{r}"
        );
        assert_eq!(
            r["sent"],
            json!({ "login": 1, "createOrganization": 2, "createUser": 2, "setUserDisabled": 2, "createProduct": 2, "recordGrant": 1 }),
            "{r}"
        );

        // What the API holds: exactly one organisation, user, product and grant more.
        let after = [
            app.count("organization").await,
            app.count("app_user").await,
            app.count("product").await,
            app.count("municipal_grant").await,
        ];
        assert_eq!(after, before.map(|n| n + 1), "one of each was written");
        let orgs = app.ok(Some(&m.admin), ORGS, json!({})).await;
        let made: Vec<&Value> = orgs["organizations"]
            .as_array()
            .expect("orgs")
            .iter()
            .filter(|o| o["name"] == org_name.as_str())
            .collect();
        assert_eq!(made.len(), 1, "{orgs}");
        let org = made[0];
        assert_eq!(org["kind"], "EXTERNAL_PROVIDER");
        assert_eq!(org["businessId"], good_id.as_str());
        let users = app
            .ok(
                Some(&m.admin),
                "query($o:ID!){ users(organizationId:$o){ totalCount edges{ node{ name email role disabled } } } }",
                json!({ "o": org["id"] }),
            )
            .await;
        assert_eq!(users["users"]["totalCount"], 1, "{users}");
        assert_eq!(
            users["users"]["edges"][0]["node"],
            json!({ "name": user_name, "email": user_email, "role": "PRODUCER", "disabled": true })
        );
        assert_eq!(
            app.code(None, LOGIN, json!({ "e": user_email, "p": PASSWORD }))
                .await,
            "UNAUTHENTICATED",
            "a disabled user cannot log in"
        );
        app.admin().await;
        let products = app
            .ok(
                None,
                "query($c:String){ products(category:$c){ code name unit category description } }",
                json!({ "c": category }),
            )
            .await;
        assert_eq!(
            products["products"],
            json!([{ "code": code, "name": format!("Kotiapu {tag}"), "unit": "käynti", "category": category, "description": "Siivous ja asiointi" }])
        );
        let grants = app
            .ok(Some(&m.admin), GRANTS, json!({ "y": grant_year }))
            .await;
        let grant: Vec<&Value> = grants["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .filter(|g| g["recipient"]["id"] == org["id"])
            .collect();
        assert_eq!(grant.len(), 1, "{grants}");
        assert_eq!(grant[0]["amount"], "12345.67");
        assert_eq!(grant[0]["orderer"]["name"], "Hyvinvointilautakunta");

        // A user of an orderer or a producer changes the password and stays signed in.
        let (org_id, role) = if i % 2 == 0 {
            (&m.orderer_org, "ORDERER")
        } else {
            (&m.in_house_org, "PRODUCER")
        };
        let email = format!("vaihtaja.{tag}@kunta.example.fi");
        let (_, other_session) = app.create_user(&m.admin, org_id, role, &email).await;
        let new_password = format!("uusi-salasana-{tag}");
        let p = checked_journey(
            "admin-journeys.mjs",
            &root,
            "password",
            &base,
            width,
            lang,
            json!({
                "email": email, "password": PASSWORD, "newPassword": new_password,
            }),
        )
        .await;
        assert_eq!(
            invalid_fields(&p["clientErrors"]).0,
            set(&["newPassword", "repeatPassword"]),
            "{p}"
        );
        assert_eq!(
            p["clientErrors"]["errors"]["repeatPassword"],
            text("rule.MISMATCH"),
            "{p}"
        );
        assert_eq!(p["sentAfterClientErrors"], 0, "{p}");
        assert_eq!(
            p["wrongCurrentError"],
            text("error.UNAUTHENTICATED.currentPassword"),
            "{p}"
        );
        assert_eq!(p["focusAfterWrong"], "currentPassword", "{p}");
        assert_eq!(p["stillSignedIn"], true, "{p}");
        assert_eq!(p["fieldsCleared"], true, "{p}");
        assert_eq!(p["signedInAfter"], true, "{p}");
        assert!(p["who"].as_str().expect("who").contains(&email), "{p}");
        assert_eq!(p["sent"], json!({ "login": 1, "changePassword": 2 }), "{p}");
        let (old, fresh) = (
            p["tokenBefore"].as_str().expect("token"),
            p["tokenAfter"].as_str().expect("token"),
        );
        assert_ne!(old, fresh, "{p}");
        for revoked in [old, other_session.as_str()] {
            assert_eq!(
                app.code(Some(revoked), "{ me { id } }", json!({})).await,
                "UNAUTHENTICATED"
            );
        }
        assert_eq!(
            app.ok(Some(fresh), "{ me { email } }", json!({})).await["me"]["email"],
            email.as_str(),
            "the session went on with the fresh token"
        );
        assert_eq!(
            app.code(None, LOGIN, json!({ "e": email, "p": PASSWORD }))
                .await,
            "UNAUTHENTICATED",
            "the old password fails"
        );
        app.login(&email, &new_password).await;
    }
}

/// Issue 17 in the browser: on an awarded call a bidder reads the deadlines and the
/// instructions and sends a correction request (confirmed first); the orderer rejects it with
/// reasons and records an appeal. At 1280 px in Finnish and 390 px in English, axe-core
/// clean in every state; afterwards the API holds what the pages did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_decisions_remedies_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (orderer, bidder) = (
        email_of(&app, m.orderer.clone()).await,
        email_of(&app, m.a.clone()).await,
    );
    // One awarded call per run, A ranked first and awarded, B second.
    let calls = awarded_calls(
        &app,
        &m,
        &["Kotihoito oikaisu 2027", "Home care remedies 2027"],
    )
    .await;
    let base = app.serve().await;
    let filed = filed_minute_ago(&app);
    for ((title, call, _), (width, lang)) in calls.iter().zip([(1280, "fi"), (390, "en")]) {
        let text = format!("Laatupisteet on laskettu väärin ({lang})");
        let r = checked_journey("remedies-journeys.mjs", &root, "bidder", &base, width, lang, json!({
            "email": bidder, "password": PASSWORD, "callId": call.id, "callTitle": title, "text": text,
        }))
        .await;
        assert_eq!(
            r["documentLink"],
            format!("/calls/{}/decision.html", call.id),
            "{r}"
        );
        checked_journey("remedies-journeys.mjs", &root, "orderer", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title, "text": text,
            "decision": format!("Pisteet tarkistettiin ({lang})"), "appellant": "Provider 2 Oy",
            "caseNumber": format!("MAO:{width}/2027"), "filedAt": filed,
        }))
        .await;
        let seen = app
            .ok(Some(&m.orderer), "query($id:ID!){ call(id:$id){ correctionRequests{ text status decision } appeals{ caseNumber status appellant{ id } } } }", json!({ "id": call.id }))
            .await;
        assert_eq!(seen["call"]["correctionRequests"][0]["text"], text.as_str());
        assert_eq!(seen["call"]["correctionRequests"][0]["status"], "REJECTED");
        assert_eq!(
            seen["call"]["appeals"][0]["caseNumber"],
            format!("MAO:{width}/2027")
        );
        assert_eq!(
            seen["call"]["appeals"][0]["appellant"]["id"],
            m.b_org.as_str()
        );
    }
}

/// A published call per title with two bids, A's (ranked first) and B's, both qualified and
/// A's awarded; the clock is at the last call's deadline.
async fn awarded_calls<'a>(
    app: &TestApp,
    m: &Market,
    titles: &[&'a str],
) -> Vec<(&'a str, kilpailutus_tests::CallFixture, Vec<String>)> {
    let mut calls = Vec::new();
    for title in titles {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        let call = app.make_call(&m.orderer, input, true).await;
        let mut bids = Vec::new();
        for (token, price) in [(&m.a, "40"), (&m.b, "48")] {
            let b = app
                .ok(
                    Some(token),
                    SUBMIT_BID,
                    json!({ "i": app.bid_input(&call, &[price, "8"]) }),
                )
                .await;
            bids.push(b["submitBid"]["id"].as_str().expect("id").to_owned());
        }
        calls.push((*title, call, bids));
    }
    if let Some((_, last, _)) = calls.last() {
        app.clock.set(last.submission_deadline);
    }
    for (_, call, bids) in &calls {
        for b in bids {
            app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
                json!({ "b": b, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
        }
        app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Paras hinta-laatusuhde\"){ decidedAt } }",
            json!({ "c": call.id, "b": bids[0] })).await;
    }
    calls
}

/// A minute before the server's clock, in Finnish time for a `datetime-local` input (an
/// appeal is filed no later than now).
fn filed_minute_ago(app: &TestApp) -> String {
    (app.state.now() - TimeDelta::minutes(1))
        .with_timezone(&chrono_tz_helsinki())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Issue 17's whole remedy path in the browser, at 390 px in English: B asks for a
/// correction of the award to A; the orderer accepts it (the award is withdrawn, the call is
/// in evaluation again), awards anew and records B's appeal, and is offered no contract while
/// it is pending; after the standstill the API refuses the contract too; the orderer records
/// the appeal dismissed and makes the contract, both parties sign it and it is activated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_remedy_path_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (orderer, a, b) = (
        email_of(&app, m.orderer.clone()).await,
        email_of(&app, m.a.clone()).await,
        email_of(&app, m.b.clone()).await,
    );
    let calls = awarded_calls(&app, &m, &["Home care, the whole remedy path"]).await;
    let (title, call, _) = &calls[0];
    let first_award = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ award{ decidedAt } } }",
            json!({ "id": call.id }),
        )
        .await["call"]["award"]["decidedAt"]
        .clone();
    let base = app.serve().await;
    let (width, lang) = (390, "en");
    let text = "The quality points of our bid were added up wrong";
    checked_journey(
        "remedies-journeys.mjs",
        &root,
        "bidder",
        &base,
        width,
        lang,
        json!({
            "email": b, "password": PASSWORD, "callId": call.id, "callTitle": title, "text": text,
        }),
    )
    .await;
    app.clock.advance(TimeDelta::hours(2));
    checked_journey("remedies-journeys.mjs", &root, "accept", &base, width, lang, json!({
        "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title, "text": text,
        "decision": "The points were checked; the decision is made again with fuller reasons",
        "winnerLabel": "1. Provider 1 Oy", "winner": "Provider 1 Oy",
        "justification": "Best price-quality ratio; quality points re-checked",
        "appellant": "Provider 2 Oy", "caseNumber": "MAO:17/2027", "filedAt": filed_minute_ago(&app),
    }))
    .await;
    let q = "query($id:ID!){ call(id:$id){ status award{ decidedAt } correctionRequests{ status } appeals{ id status } } }";
    let seen = app.ok(Some(&m.orderer), q, json!({ "id": call.id })).await["call"].clone();
    assert_eq!(seen["status"], "AWARDED");
    assert_ne!(seen["award"]["decidedAt"], first_award, "a new award");
    assert_eq!(seen["correctionRequests"][0]["status"], "ACCEPTED");
    assert_eq!(seen["appeals"][0]["status"], "PENDING");
    // After the new standstill the contract is still refused while the appeal is pending.
    app.clock.advance(TimeDelta::days(15));
    assert_eq!(
        app.code(
            Some(&m.orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
            json!({ "c": call.id })
        )
        .await,
        "INVALID_STATE"
    );
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"100000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    let r = checked_journey("remedies-journeys.mjs", &root, "contract", &base, width, lang, json!({
        "email": orderer, "providerEmail": a, "password": PASSWORD, "callId": call.id,
        "callTitle": title, "outcome": "Dismissed by the Market Court", "producer": "Provider 1 Oy",
    }))
    .await;
    let k = app
        .ok(Some(&m.orderer), "query($id:ID!){ contract(id:$id){ status producer{ id } signatures{ organization{ id } } } }", json!({ "id": r["contractId"] }))
        .await["contract"]
        .clone();
    assert_eq!(k["status"], "ACTIVE", "{k}");
    assert_eq!(k["producer"]["id"], m.a_org.as_str());
    assert_eq!(k["signatures"].as_array().map(Vec::len), Some(2));
    let seen = app.ok(Some(&m.orderer), q, json!({ "id": call.id })).await["call"].clone();
    assert_eq!(seen["status"], "CONTRACTED");
    assert_eq!(seen["appeals"][0]["status"], "DISMISSED");
}

/// Issue 18's changes in the browser: on a published call with a bid, the orderer changes the
/// submission deadline and a quantity with a reason (refused without one, then confirmed with
/// the material warning) and sees the change listed; the bidder sees the change on the call's
/// page and that its bid is no longer current. Each page at 1280 px in Finnish and 390 px in
/// English, axe-core clean in every state; afterwards the API holds what the pages did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_a_published_call_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (orderer, bidder) = (
        email_of(&app, m.orderer.clone()).await,
        email_of(&app, m.a.clone()).await,
    );
    let base = app.serve().await;
    let runs = [
        ("Kotihoito muutos 2027", (1280, "fi"), (390, "en")),
        ("Home care changes 2027", (390, "en"), (1280, "fi")),
    ];
    for (title, (ow, ol), (pw, pl)) in runs {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        let call = app.make_call(&m.orderer, input, true).await;
        app.ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["40", "8"]) }),
        )
        .await;
        let later = (call.submission_deadline + TimeDelta::days(7))
            .with_timezone(&chrono_tz_helsinki())
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let reason = format!("Tuntimäärä tarkentui ({ol})");
        let quantity = if ol == "fi" { "1 200" } else { "1,200" };
        checked_journey(
            "changes-journeys.mjs",
            &root,
            "orderer",
            &base,
            ow,
            ol,
            json!({
                "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title,
                "submissionDeadline": later, "quantity": quantity, "reason": reason,
            }),
        )
        .await;
        let seen = app
            .ok(Some(&m.a), "query($id:ID!){ call(id:$id){ version submissionDeadline lines{ quantity } changes{ fields reason } myBid{ current } } }", json!({ "id": call.id }))
            .await["call"]
            .clone();
        assert_eq!(seen["version"], 2, "{seen}");
        assert_eq!(seen["lines"][0]["quantity"], "1200", "{seen}");
        assert_eq!(
            seen["changes"][0]["fields"],
            json!(["submissionDeadline", "lines"]),
            "{seen}"
        );
        assert_eq!(seen["changes"][0]["reason"], reason.as_str());
        assert_eq!(seen["myBid"]["current"], false);
        checked_journey("changes-journeys.mjs", &root, "provider", &base, pw, pl, json!({
            "email": bidder, "password": PASSWORD, "callId": call.id, "callTitle": title, "reason": reason,
        }))
        .await;
    }
}

/// The email address of the user a token is for.
async fn email_of(app: &TestApp, token: String) -> Value {
    app.ok(Some(&token), "{ me { email } }", json!({})).await["me"]["email"].clone()
}

/// Finnish time for a `datetime-local` input: UTC+2, or UTC+3 in summer (last Sunday of
/// March to last Sunday of October, at 01:00 UTC), as the portal reads it.
fn chrono_tz_helsinki() -> chrono::FixedOffset {
    use chrono::Datelike;
    let now = Utc::now();
    let last_sunday = |month: u32| {
        let mut d = chrono::NaiveDate::from_ymd_opt(now.year(), month, 31).expect("day");
        while d.weekday() != chrono::Weekday::Sun {
            d = d.pred_opt().expect("day");
        }
        d.and_hms_opt(1, 0, 0).expect("time").and_utc()
    };
    let summer = now >= last_sunday(3) && now < last_sunday(10);
    chrono::FixedOffset::east_opt(if summer { 3 } else { 2 } * 3600).expect("offset")
}

/// Documents in a real browser: the orderer adds one to a published call, anyone downloads it,
/// a provider attaches a file to its bid (its hash beside the verified receipt), the orderer
/// reads it after the deadline, and a party attaches a document to a contract. Each journey
/// at 390 px and 1280 px, in Finnish and English, axe-clean in every state.
#[tokio::test]
async fn documents_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let (orderer, bidder, in_house) = (
        email_of(&app, m.orderer.clone()).await,
        email_of(&app, m.a.clone()).await,
        email_of(&app, m.in_house.clone()).await,
    );
    let base = app.serve().await;
    let runs = [
        ("Kotihoito asiakirjat 2027", "fi", 1280, "en", 390),
        ("Home care documents 2027", "en", 390, "fi", 1280),
    ];
    for (title, ol, ow, pl, pw) in runs {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        let call = app.make_call(&m.orderer, input, true).await;
        let file_name = format!("Palvelukuvaus {ol}.pdf");
        let reason = format!("Palvelukuvaus lisätty ({ol})");
        checked_journey(
            "documents-journeys.mjs",
            &root,
            "orderer",
            &base,
            ow,
            ol,
            json!({
                "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title,
                "fileName": file_name, "reason": reason,
            }),
        )
        .await;
        let seen = app
            .ok(None, "query($id:ID!){ call(id:$id){ version changes{ fields } documents{ name sha256 } } }", json!({ "id": call.id }))
            .await["call"]
            .clone();
        assert_eq!(seen["version"], 2, "{seen}");
        assert_eq!(seen["changes"][0]["fields"], json!(["documentIds"]));
        assert_eq!(seen["documents"][0]["name"], file_name.as_str());
        let sha = seen["documents"][0]["sha256"].as_str().unwrap().to_owned();
        checked_journey(
            "documents-journeys.mjs",
            &root,
            "visitor",
            &base,
            pw,
            pl,
            json!({
                "callId": call.id, "callTitle": title, "fileName": file_name, "sha256": sha,
            }),
        )
        .await;
        let offer_text = format!("Tarjouskirje: hinnat voimassa 2027 ({pl})\n");
        let offer_sha = api::domain::audit::sha256_hex(&offer_text);
        let offer_name = format!("Tarjouskirje {pl}.txt");
        checked_journey("documents-journeys.mjs", &root, "provider", &base, pw, pl, json!({
            "email": bidder, "password": PASSWORD, "callId": call.id, "callTitle": title,
            "prices": ["45", "8"], "offerName": offer_name, "offerText": offer_text, "offerSha256": offer_sha,
        }))
        .await;
        let mine = app.my_bid_id(&m.a, &call.id).await;
        let full = app
            .ok(Some(&m.a), crate::bids::FULL_BID, json!({ "id": mine }))
            .await;
        assert_eq!(full["bid"]["documents"][0]["sha256"], offer_sha.as_str());
        assert_eq!(
            crate::bids::recompute_receipt(&full["bid"]),
            full["bid"]["receipt"].as_str().unwrap()
        );
        app.clock.set(call.submission_deadline);
        checked_journey("documents-journeys.mjs", &root, "opened", &base, ow, ol, json!({
            "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title,
            "bidder": "Provider 1 Oy", "offerName": offer_name, "offerText": offer_text, "offerSha256": offer_sha,
        }))
        .await;
        app.clock.set(Utc::now());
        let k = m.direct_contract(&app).await;
        let signed = format!("Allekirjoitettu sopimus {pl}.pdf");
        checked_journey(
            "documents-journeys.mjs",
            &root,
            "contract",
            &base,
            pw,
            pl,
            json!({
                "email": in_house, "password": PASSWORD, "contractId": k, "fileName": signed,
            }),
        )
        .await;
        let docs = app
            .ok(
                Some(&m.orderer),
                "query($id:ID!){ contract(id:$id){ documents{ name } } }",
                json!({ "id": k }),
            )
            .await;
        assert_eq!(docs["contract"]["documents"][0]["name"], signed.as_str());
    }
}

/// A Swedish-speaking provider's journey, from registration to the receipt's e-mail, all in
/// Swedish (issue 19): the portal in Swedish at 390 px, axe-clean in every state; the user's
/// language SV; the receipt mail written in Swedish with the receipt the page showed.
#[tokio::test]
async fn a_swedish_speaking_provider_from_registration_to_the_receipt_mail_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    // The call in Finnish with a Swedish translation: the portal and the mails show the
    // Swedish-speaking provider the Swedish title.
    let title = "Hemvård östra området 2027";
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!("Kotihoito itäinen alue 2027");
    input["titleSv"] = json!(title);
    input["descriptionSv"] = json!("Hemvård per timme i östra området");
    let call = app.make_call(&m.orderer, input, true).await;
    let base = app.serve().await;
    let email = "anna@hemvard.example.fi";
    for (width, lang) in [(390, "sv")] {
        let r = checked_journey("swedish-journeys.mjs", &root, "provider", &base, width, lang, json!({
            "organization": "Hemvård Ab", "businessId": business_id(515_151), "name": "Anna Berg",
            "email": email, "password": PASSWORD, "callId": call.id, "callTitle": title,
            // 1000 x 45 + 12,5 x 8
            "prices": ["45", "8"], "expectedTotal": "45\u{a0}100,00 €",
        }))
        .await;
        assert_eq!(r["states"].as_array().map(Vec::len), Some(5), "{r}");
        let token = app.login(email, PASSWORD).await;
        let me = app.ok(Some(&token), "{ me { language } }", json!({})).await;
        assert_eq!(me["me"]["language"], "SV");
        let mails = app.mail(&token).await;
        let (_, body) = mails
            .iter()
            .find(|(e, _)| e == "bid.submitted")
            .expect("the receipt's mail");
        assert!(body.contains("Vi har tagit emot ert anbud"), "{body}");
        assert!(
            body.contains(&format!(
                "Kvitto (SHA-256): {}",
                r["receipt"].as_str().unwrap()
            )),
            "{body}"
        );
    }
}

/// eForms notices in the portal (issue 19): the orderer saves a draft call's contract notice
/// (with its Swedish translation) and sets the board's address for notices in the settings,
/// at 1280 px in Finnish and at 390 px in English; axe-clean in every state.
#[tokio::test]
async fn an_orderer_saves_a_draft_notice_and_sets_the_boards_address_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    let app = TestApp::new().await;
    app.clock.set(Utc::now());
    let m = Market::new(&app).await;
    let orderer = app
        .ok(Some(&m.orderer), "{ me { email } }", json!({}))
        .await["me"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    for (i, (width, lang)) in [(1280, "fi"), (390, "en")].into_iter().enumerate() {
        let title = format!("Kotihoito itäinen alue {i}");
        let title_sv = format!("Hemvård östra området {i}");
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        input["titleSv"] = json!(title_sv);
        input["descriptionSv"] = json!("Hemvård per timme");
        let call = app.make_call(&m.orderer, input, false).await;
        let base = app.serve().await;
        let street = format!("Torikatu {}", 10 + i);
        let r = checked_journey(
            "notices-journeys.mjs",
            &root,
            "orderer",
            &base,
            width,
            lang,
            json!({
                "email": orderer, "password": PASSWORD, "callId": call.id, "callTitle": title,
                "titleSv": title_sv, "street": street,
            }),
        )
        .await;
        assert_eq!(
            r["swedish"], true,
            "the notice carries the Swedish title: {r}"
        );
        assert_eq!(r["states"].as_array().map(Vec::len), Some(3), "{r}");
        let org = app
            .ok(
                Some(&m.orderer),
                "{ me { organization { streetAddress postalCode city nutsCode phone } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            org["me"]["organization"],
            json!({ "streetAddress": street, "postalCode": "45100", "city": "Kouvola", "nutsCode": "FI1C7", "phone": "+358 20 615 11" })
        );
        let notice = app
            .ok(
                Some(&m.orderer),
                "query($c:ID){ notice(kind:CONTRACT_NOTICE,callId:$c) }",
                json!({ "c": call.id }),
            )
            .await;
        assert!(
            notice["notice"].as_str().unwrap().contains(&street),
            "the notice names the board's address"
        );
    }
}

/// Lots (osa-alueet) in the browser: the orderer divides a new call into two lots in the
/// form and publishes it; a provider bids for the first lot only (the second lot's prices
/// are not asked) and its receipt names the lot; after the deadline the orderer judges and
/// scores the bid, compares it lot by lot, awards the first lot and declares the second
/// unsuccessful, and the call's page shows both; the provider asks for a correction of the
/// first lot's award and the orderer rejects it (the request names its lot); after the lot's
/// standstill the lot's contract is made. At 1280 px in Finnish and 390 px in English, each
/// with its own server, axe-core clean in every state; afterwards the API holds what the pages
/// did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_in_lots_from_the_form_to_each_lots_decision_in_a_real_browser() {
    let Some(root) = browser_ready() else { return };
    for (width, lang) in [(1280, "fi"), (390, "en")] {
        let app = TestApp::new().await;
        app.clock.set(Utc::now());
        let m = Market::new(&app).await;
        let (orderer, provider) = (
            email_of(&app, m.orderer.clone()).await,
            email_of(&app, m.a.clone()).await,
        );
        let evaluator =
            app.ok(Some(&m.orderer), "{ me { name } }", json!({})).await["me"]["name"].clone();
        let base = app.serve().await;
        let local = |days: i64| {
            (app.state.now() + TimeDelta::days(days))
                .with_timezone(&chrono_tz_helsinki())
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let title = format!("Kotihoito osa-alueittain {width} {lang}");
        let lots = json!([
            { "title": "Itäinen alue", "quantity": "1000" },
            { "title": "Läntinen alue", "quantity": "500" }
        ]);
        let requirement = "Sairaanhoitajat joka vuorossa";
        let r = checked_journey("lots-journeys.mjs", &root, "create", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "title": title, "description": "Kotihoito kahdella alueella",
            "lots": lots, "questionsDeadline": local(7), "submissionDeadline": local(14),
            "criterion": "Laatu", "requirement": requirement,
        }))
        .await;
        let call_id = r["callId"].as_str().expect("callId").to_owned();
        let q = "query($id:ID!){ call(id:$id){ status submissionDeadline lines{ id } lots{ number title lines{ quantity product{ id } } } } }";
        let call = app.ok(Some(&m.orderer), q, json!({ "id": call_id })).await["call"].clone();
        assert_eq!(call["status"], "PUBLISHED", "{call}");
        assert_eq!(
            call["lots"],
            json!([
                { "number": 1, "title": "Itäinen alue", "lines": [{ "quantity": "1000", "product": { "id": m.products[0] } }] },
                { "number": 2, "title": "Läntinen alue", "lines": [{ "quantity": "500", "product": { "id": m.products[1] } }] }
            ]),
            "{call}"
        );

        let r = checked_journey("lots-journeys.mjs", &root, "bid", &base, width, lang, json!({
            "email": provider, "password": PASSWORD, "callId": call_id, "callTitle": title, "lots": lots,
            "price": "45", "expectedTotal": money(lang, "45\u{a0}000,00 €", "45,000.00 €"),
            "turnover": "5000000", "equity": "35", "requirement": requirement,
            "evidence": "Kolme sairaanhoitajaa jokaisessa vuorossa",
        }))
        .await;
        let mine = app
            .ok(Some(&m.a), "query($id:ID!){ call(id:$id){ myBid{ id receipt totalPrice lots{ number } lines{ callLine{ id } } } } }", json!({ "id": call_id }))
            .await["call"]["myBid"]
            .clone();
        assert_eq!(mine["lots"], json!([{ "number": 1 }]), "{mine}");
        assert_eq!(mine["totalPrice"], "45000.00", "{mine}");
        assert_eq!(mine["lines"].as_array().map(Vec::len), Some(1), "{mine}");
        assert_eq!(r["receipt"], mine["receipt"]);

        // Past the deadline the orderer decides each lot.
        let deadline: chrono::DateTime<Utc> = call["submissionDeadline"]
            .as_str()
            .expect("deadline")
            .parse()
            .expect("instant");
        app.clock.set(deadline + TimeDelta::minutes(1));
        let reason = format!("Alueelle ei saatu tarjouksia ({lang})");
        let justification = format!("Ainoa soveltuva tarjous ({lang})");
        checked_journey("lots-journeys.mjs", &root, "decide", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "callId": call_id, "callTitle": title, "lots": lots,
            "bidder": "Provider 1 Oy", "winnerLabel": "1. Provider 1 Oy", "evaluatorName": evaluator, "points": 8,
            "justification": justification, "reason": reason,
        }))
        .await;
        let q = "query($id:ID!){ call(id:$id){ status lots{ award{ justification bid{ id } ranking{ rank bidder{ id } } } unsuccessfulReason } } }";
        let seen = app.ok(Some(&m.orderer), q, json!({ "id": call_id })).await["call"].clone();
        assert_eq!(seen["status"], "AWARDED", "{seen}");
        assert_eq!(seen["lots"][0]["award"]["bid"]["id"], mine["id"], "{seen}");
        assert_eq!(
            seen["lots"][0]["award"]["justification"],
            justification.as_str()
        );
        assert_eq!(
            seen["lots"][0]["award"]["ranking"],
            json!([{ "rank": 1, "bidder": { "id": m.a_org } }])
        );
        assert!(seen["lots"][1]["award"].is_null(), "{seen}");
        assert_eq!(seen["lots"][1]["unsuccessfulReason"], reason.as_str());

        // The provider asks for a correction of the first lot's award; the orderer rejects it.
        let text = format!("Osa-alueen 1 laatupisteet on laskettu väärin ({lang})");
        let decision = format!("Pisteet tarkistettiin ({lang})");
        checked_journey("lots-journeys.mjs", &root, "request", &base, width, lang, json!({
            "email": provider, "password": PASSWORD, "callId": call_id, "callTitle": title, "lots": lots, "text": text,
        }))
        .await;
        checked_journey("lots-journeys.mjs", &root, "reject", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "callId": call_id, "callTitle": title, "lots": lots,
            "text": text, "decision": decision,
        }))
        .await;
        let q = "query($id:ID!){ call(id:$id){ correctionRequests{ text status decision requester{ id } lot{ number } } } }";
        let seen = app.ok(Some(&m.orderer), q, json!({ "id": call_id })).await["call"].clone();
        assert_eq!(
            seen["correctionRequests"],
            json!([{ "text": text, "status": "REJECTED", "decision": decision, "requester": { "id": m.a_org }, "lot": { "number": 1 } }]),
            "{seen}"
        );

        // After the lot's standstill, its contract.
        app.clock.advance(TimeDelta::days(15));
        let r = checked_journey("lots-journeys.mjs", &root, "contract", &base, width, lang, json!({
            "email": orderer, "password": PASSWORD, "callId": call_id, "callTitle": title, "bidder": "Provider 1 Oy",
        }))
        .await;
        let k = app
            .ok(Some(&m.orderer), "query($id:ID!){ contract(id:$id){ totalValue producer{ id } lot{ number } call{ id } } }", json!({ "id": r["contractId"] }))
            .await["contract"]
            .clone();
        assert_eq!(
            k,
            json!({ "totalValue": "45000.00", "producer": { "id": m.a_org }, "lot": { "number": 1 }, "call": { "id": call_id } })
        );
    }
}
