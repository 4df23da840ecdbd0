//! Classification and thresholds (issue 19): a product's CPV code (checked against the CPV
//! 2008 list with its check digit) and service kind; a call's estimated value and the notice
//! regime that follows from it at each threshold (one cent below it and at it); and each
//! user's language.

use kilpailutus_tests::{Market, TestApp};
use serde_json::{Value, json};

const PRODUCT: &str =
    "mutation($i:ProductInput!){ createProduct(input:$i){ id code cpvCode serviceKind } }";
const CALL: &str =
    "mutation($i:CreateCallInput!){ createCall(input:$i){ id estimatedValue regime } }";

fn product(code: &str, cpv: Option<&str>, kind: Option<&str>) -> Value {
    let mut i = json!({ "code": code, "name": format!("Tuote {code}"), "unit": "hour", "category": "home care" });
    if let Some(c) = cpv {
        i["cpvCode"] = json!(c);
    }
    if let Some(k) = kind {
        i["serviceKind"] = json!(k);
    }
    json!({ "i": i })
}

#[tokio::test]
async fn a_products_cpv_code_is_checked_against_the_list_with_its_check_digit() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let made = app
        .ok(
            Some(&admin),
            PRODUCT,
            product("KH-1", Some(" 85312000-9 "), Some("SOCIAL_AND_HEALTH")),
        )
        .await;
    assert_eq!(made["createProduct"]["cpvCode"], "85312000-9");
    assert_eq!(made["createProduct"]["serviceKind"], "SOCIAL_AND_HEALTH");
    let plain = app
        .ok(Some(&admin), PRODUCT, product("KH-2", None, None))
        .await;
    assert_eq!(plain["createProduct"]["cpvCode"], Value::Null);
    assert_eq!(
        plain["createProduct"]["serviceKind"], "GENERAL",
        "the default"
    );
    let before = app.count("product").await;
    for (i, (cpv, rule)) in [
        ("85312000", "CPV_FORMAT"),
        ("85312000-", "CPV_FORMAT"),
        ("8531200-9", "CPV_FORMAT"),
        ("85312000-99", "CPV_FORMAT"),
        ("85312000-8", "CPV_UNKNOWN"),
        ("99999999-9", "CPV_UNKNOWN"),
    ]
    .into_iter()
    .enumerate()
    {
        let e = app
            .error(
                Some(&admin),
                PRODUCT,
                product(&format!("X-{i}"), Some(cpv), None),
            )
            .await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{cpv}: {e}");
        assert_eq!(e["extensions"]["field"], "cpvCode", "{cpv}");
        assert_eq!(e["extensions"]["rule"], rule, "{cpv}");
    }
    assert_eq!(app.count("product").await, before, "nothing written");
    let listed = app
        .ok(None, "{ products { code cpvCode serviceKind } }", json!({}))
        .await;
    assert!(
        listed["products"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["cpvCode"] == "85312000-9")
    );
}

/// The regime at each threshold, one cent below it and at it, through the API: a call follows
/// its highest-threshold service kind.
#[tokio::test]
async fn the_regime_at_each_threshold() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let admin = &m.admin;
    let id = |v: &Value| v["createProduct"]["id"].as_str().unwrap().to_owned();
    let general = id(&app
        .ok(
            Some(admin),
            PRODUCT,
            product("SIIV-1", Some("90919200-4"), None),
        )
        .await);
    let social = id(&app
        .ok(
            Some(admin),
            PRODUCT,
            product("KOTI-1", Some("85312000-9"), Some("SOCIAL_AND_HEALTH")),
        )
        .await);
    let other = id(&app
        .ok(
            Some(admin),
            PRODUCT,
            product("RUOK-1", Some("55524000-9"), Some("OTHER_SPECIFIC")),
        )
        .await);
    let cases: [(&[&str], &str, &str); 13] = [
        (&[&general], "59999.99", "BELOW_NATIONAL"),
        (&[&general], "60000", "NATIONAL"),
        (&[&general], "215999.99", "NATIONAL"),
        (&[&general], "216000.00", "EU"),
        (&[&social], "399999.99", "BELOW_NATIONAL"),
        (&[&social], "400000", "NATIONAL"),
        (&[&social], "749999.99", "NATIONAL"),
        (&[&social], "750000", "EU"),
        (&[&other], "299999.99", "BELOW_NATIONAL"),
        (&[&other], "300000", "NATIONAL"),
        (&[&other], "750000", "EU"),
        // Cleaning with home care is judged as home care.
        (&[&general, &social], "350000", "BELOW_NATIONAL"),
        (&[&general, &other], "300000", "NATIONAL"),
    ];
    for (products, value, regime) in cases {
        let mut input = app.call_input(products);
        input["estimatedValue"] = json!(value);
        let c = app.ok(Some(&m.orderer), CALL, json!({ "i": input })).await;
        assert_eq!(c["createCall"]["regime"], regime, "{products:?} {value}");
    }
    // No estimate: no notice known to be due.
    let c = app
        .ok(
            Some(&m.orderer),
            CALL,
            json!({ "i": app.call_input(&[&general]) }),
        )
        .await;
    assert_eq!(c["createCall"]["estimatedValue"], Value::Null);
    assert_eq!(c["createCall"]["regime"], "BELOW_NATIONAL");
    // Negative or in fractions of a cent: refused, nothing written.
    let calls = app.count("call_for_tenders").await;
    for bad in ["-1", "100.001"] {
        let mut input = app.call_input(&[&general]);
        input["estimatedValue"] = json!(bad);
        let e = app
            .error(Some(&m.orderer), CALL, json!({ "i": input }))
            .await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{bad}");
        assert_eq!(e["extensions"]["field"], "estimatedValue", "{bad}");
    }
    assert_eq!(app.count("call_for_tenders").await, calls);
}

/// A published call's estimate may change like its other fields; it is not a material change.
#[tokio::test]
async fn changing_the_estimate_is_a_change_of_its_own_and_not_material() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.submit_bid(&m.a, &call, &["45", "8"]).await;
    let changed = app
        .ok(
            Some(&m.orderer),
            "mutation($id:ID!,$c:CallChangeInput!){ changeCall(id:$id,change:$c,reason:\"Arvio tarkentui\"){ version estimatedValue regime changes{ fields } } }",
            json!({ "id": call.id, "c": { "estimatedValue": "250000" } }),
        )
        .await["changeCall"]
        .clone();
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["estimatedValue"], "250000.00");
    assert_eq!(changed["regime"], "EU", "general services, 216 000 or more");
    assert_eq!(changed["changes"][0]["fields"], json!(["estimatedValue"]));
    let mine = app
        .ok(
            Some(&m.a),
            "query($id:ID!){ call(id:$id){ myBid{ current } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(mine["call"]["myBid"]["current"], true, "not material");
    let public = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ estimatedValue regime } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(public["call"]["regime"], "EU");
}

#[tokio::test]
async fn every_user_has_a_language() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let me = "{ me { language } }";
    assert_eq!(
        app.ok(Some(&admin), me, json!({})).await["me"]["language"],
        "FI"
    );
    let registered = app
        .ok(
            None,
            "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token user{ language } } }",
            json!({ "i": { "organizationName": "Städ Ab", "businessId": kilpailutus_tests::business_id(4242), "email": "info@stad.example.fi", "password": kilpailutus_tests::PASSWORD, "name": "Anna", "language": "SV" } }),
        )
        .await["registerProvider"]
        .clone();
    assert_eq!(registered["user"]["language"], "SV");
    let token = registered["token"].as_str().unwrap();
    let set = "mutation($l:Language!){ setMyLanguage(language:$l){ language } }";
    assert_eq!(
        app.ok(Some(token), set, json!({ "l": "EN" })).await["setMyLanguage"]["language"],
        "EN"
    );
    assert_eq!(
        app.ok(Some(token), me, json!({})).await["me"]["language"],
        "EN"
    );
    // The same language again changes nothing and appends nothing.
    let chain = app.audit_chain().await.len();
    app.ok(Some(token), set, json!({ "l": "EN" })).await;
    assert_eq!(app.audit_chain().await.len(), chain);
    assert_eq!(
        app.code(None, set, json!({ "l": "FI" })).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(token), set, json!({ "l": "DE" })).await,
        "BAD_USER_INPUT"
    );
    let org = app
        .create_org(&admin, "Tekninen lautakunta", "ORDERER")
        .await;
    let made = app
        .ok(
            Some(&admin),
            "mutation($i:CreateUserInput!){ createUser(input:$i){ language } }",
            json!({ "i": { "email": "tekla@kunta.example.fi", "password": kilpailutus_tests::PASSWORD, "name": "Tekla", "role": "ORDERER", "organizationId": org, "language": "SV" } }),
        )
        .await;
    assert_eq!(made["createUser"]["language"], "SV");
}

/// Each recipient is written in their language: the receipt of a Swedish-speaking provider in
/// Swedish, of a provider who gave none in Finnish, and in English after `setMyLanguage`.
#[tokio::test]
async fn notifications_are_written_in_the_recipients_language() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let register = |n: u32, language: Option<&str>| {
        let mut i = json!({ "organizationName": format!("Tarjoaja {n} Oy"), "businessId": kilpailutus_tests::business_id(n * 31 + 7), "email": format!("t{n}@tarjoaja.example.fi"), "password": kilpailutus_tests::PASSWORD, "name": "Myyjä" });
        if let Some(l) = language {
            i["language"] = json!(l);
        }
        let app = &app;
        async move {
            app.ok(
                None,
                "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }",
                json!({ "i": i }),
            )
            .await["registerProvider"]["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let sv = register(1, Some("SV")).await;
    let fi = register(2, None).await;
    for token in [&sv, &fi] {
        app.submit_bid(token, &call, &["45", "8"]).await;
    }
    let receipt = |token: String| {
        let app = &app;
        async move {
            app.mail(&token)
                .await
                .into_iter()
                .find(|(e, _)| e.starts_with("bid."))
                .unwrap()
                .1
        }
    };
    let sv_body = receipt(sv.clone()).await;
    assert!(sv_body.contains("Vi har tagit emot ert anbud"), "{sv_body}");
    assert!(sv_body.contains("Kvitto (SHA-256)") && sv_body.contains("(finsk tid)"));
    let fi_body = receipt(fi.clone()).await;
    assert!(fi_body.contains("Vastaanotimme tarjouksenne"), "{fi_body}");
    assert!(fi_body.contains("Kuittaus (SHA-256)") && fi_body.contains("(Suomen aikaa)"));
    // The language chosen later is the next mail's.
    app.ok(
        Some(&sv),
        "mutation{ setMyLanguage(language: EN){ language } }",
        json!({}),
    )
    .await;
    app.ok(
        Some(&sv),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": call.id }),
    )
    .await;
    let newest = app.mail(&sv).await.into_iter().next().unwrap();
    assert_eq!(newest.0, "bid.withdrawn");
    assert!(newest.1.contains("We withdrew your bid"), "{}", newest.1);
}
