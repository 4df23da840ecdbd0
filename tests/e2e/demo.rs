//! `api demo` (issue 19): the demo municipality seeded through the API into a fresh database,
//! and every page of the portal has something real to show: calls in every state, bids, an
//! award, a contract with monthly reports, users in Finnish and Swedish.

use kilpailutus_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn the_demo_municipality_is_seeded_through_the_api() {
    // A database with no administrator either: the demo makes its own.
    let app = TestApp::with_config(|c| c.admin = None).await;
    let config = app.state.config.as_ref().clone();
    let credentials = api::demo::seed(config.clone(), app.options.clone())
        .await
        .expect("seeded");
    assert!(credentials.len() >= 7, "{credentials:?}");
    // The demo's story ends now, by the real clock.
    app.clock.set(chrono::Utc::now());
    let login = |email: &str| {
        let c = credentials.iter().find(|c| c.email == email).unwrap();
        let (app, password) = (&app, c.password.clone());
        let email = email.to_owned();
        async move { app.login(&email, &password).await }
    };
    // Calls in every state.
    let welfare = login("tilaaja@kouvola.example.fi").await;
    let education = login("sivistys@kouvola.example.fi").await;
    let mut statuses = Vec::new();
    for token in [&welfare, &education] {
        let me = app
            .ok(Some(token), "{ me { organization { id } } }", json!({}))
            .await;
        let org = me["me"]["organization"]["id"].clone();
        let d = app
            .ok(
                Some(token),
                "query($o:ID){ myCalls: calls(first: 50, filter: { ordererId: $o }) { edges { node { status } } } }",
                json!({ "o": org }),
            )
            .await;
        for e in d["myCalls"]["edges"].as_array().unwrap() {
            statuses.push(e["node"]["status"].as_str().unwrap().to_owned());
        }
    }
    statuses.sort();
    statuses.dedup();
    assert_eq!(
        statuses,
        [
            "AWARDED",
            "CANCELLED",
            "CONTRACTED",
            "DRAFT",
            "EVALUATION",
            "PUBLISHED",
            "UNSUCCESSFUL"
        ],
        "{statuses:?}"
    );
    // A contract with monthly reports, and products with CPV codes.
    let k = app
        .ok(
            Some(&welfare),
            "{ contracts { status reports { period } } }",
            json!({}),
        )
        .await;
    let active = &k["contracts"][0];
    assert_eq!(active["status"], "ACTIVE");
    assert!(!active["reports"].as_array().unwrap().is_empty(), "{k}");
    let products = app.ok(None, "{ products { cpvCode } }", json!({})).await;
    assert!(
        products["products"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["cpvCode"].is_string())
    );
    // The Swedish-speaking provider reads Swedish.
    let sv = login("anbud@osterberg.example.fi").await;
    let me = app.ok(Some(&sv), "{ me { language } }", json!({})).await;
    assert_eq!(me["me"]["language"], "SV");
    let mails = app.mail(&sv).await;
    assert!(
        mails.iter().any(|(_, body)| body.contains("anbud")),
        "{mails:?}"
    );
    // The contracted call's notices, public: its contract notice and, the contract concluded,
    // its award notice, in Finnish and Swedish (written for .ci/run to validate).
    let contracted = app
        .ok(
            None,
            "{ calls(first: 50, filter: { status: CONTRACTED }) { edges { node { id titleSv } } } }",
            json!({}),
        )
        .await;
    let call = &contracted["calls"]["edges"][0]["node"];
    assert_eq!(call["titleSv"], "Hemvård östra området");
    let prefix = if kilpailutus_tests::on_postgres() {
        "pg"
    } else {
        "sqlite"
    };
    let dir = std::env::var("EFORMS_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("kilpailutus-eforms"));
    std::fs::create_dir_all(&dir).unwrap();
    for kind in ["CONTRACT_NOTICE", "CONTRACT_AWARD_NOTICE"] {
        let n = app
            .ok(
                None,
                "query($k:NoticeKind!,$c:ID){ notice(kind:$k,callId:$c) }",
                json!({ "k": kind, "c": call["id"] }),
            )
            .await;
        let xml = n["notice"].as_str().unwrap();
        assert!(
            xml.contains("languageID=\"SWE\">Hemvård östra området<"),
            "{xml}"
        );
        assert!(xml.contains("Torikatu 10"));
        std::fs::write(dir.join(format!("{prefix}-demo-{kind}.xml")), xml).unwrap();
    }
    // A second run refuses: the database is no longer empty.
    let again = api::demo::seed(config, app.options.clone()).await;
    assert!(again.unwrap_err().to_string().contains("empty database"));
}
