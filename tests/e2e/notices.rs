//! eForms notices (issue 19): the contract notice of a call (a draft only its orderer reads
//! until published), the contract award notice (public once awarded, dated the contract's
//! conclusion once both have signed) and the contract modification notice of an amendment,
//! over GraphQL and `GET /notices/…`, with the subtype of the regime and service kind. Every
//! notice is written to `$EFORMS_OUT` (default: a temporary directory), where `.ci/run`
//! validates them with the eForms SDK's schemas and schematron rules.

use axum::body::Body;
use axum::http::Request;
use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, TestApp};
use serde_json::{Value, json};
use std::path::PathBuf;
use tower::ServiceExt;

const NOTICE: &str = "query($k:NoticeKind!,$c:ID,$k2:ID,$v:Int){ notice(kind:$k,callId:$c,contractId:$k2,version:$v) }";
const JUDGE: &str = "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }";
const AWARD: &str = "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Paras hinta-laatusuhde\"){ decidedAt } }";
const AMEND: &str = "mutation($id:ID!,$l:[ContractLineInput!]!,$f:NaiveDate){ amendContract(id:$id,lines:$l,reason:\"Asiakasmäärä kasvaa\",effectiveFrom:$f){ version totalValue } }";
const DETAILS: &str = "mutation($o:ID!,$i:OrganizationDetailsInput!){ updateOrganizationDetails(organizationId:$o,input:$i){ id streetAddress postalCode city nutsCode phone } }";

fn out_dir() -> PathBuf {
    let dir = std::env::var("EFORMS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("kilpailutus-eforms"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a notice for `.ci/run` to validate, named by database, test, stage and subtype.
fn write(name: &str, xml: &str) {
    let prefix = if kilpailutus_tests::on_postgres() {
        "pg"
    } else {
        "sqlite"
    };
    std::fs::write(out_dir().join(format!("{prefix}-{name}.xml")), xml).unwrap();
}

/// The subtype a notice declares.
fn subtype(xml: &str) -> &str {
    let start = xml
        .find("<cbc:SubTypeCode listName=\"notice-subtype\">")
        .expect("a subtype")
        + "<cbc:SubTypeCode listName=\"notice-subtype\">".len();
    &xml[start..start + xml[start..].find('<').expect("closed")]
}

async fn notice(app: &TestApp, token: Option<&str>, kind: &str, call: &str) -> Value {
    app.gql(token, NOTICE, json!({ "k": kind, "c": call }))
        .await
}

async fn xml_of(app: &TestApp, token: Option<&str>, kind: &str, call: &str) -> String {
    app.ok(token, NOTICE, json!({ "k": kind, "c": call })).await["notice"]
        .as_str()
        .expect("xml")
        .to_owned()
}

/// The latest modification notice of contract `kid`, read anonymously.
async fn modification_of(app: &TestApp, kid: &str) -> String {
    app.ok(
        None,
        NOTICE,
        json!({ "k": "CONTRACT_MODIFICATION_NOTICE", "k2": kid }),
    )
    .await["notice"]
        .as_str()
        .expect("xml")
        .to_owned()
}

/// An amount as notices write it: no trailing zeros after the decimal point.
fn normal(amount: &str) -> &str {
    if amount.contains('.') {
        amount.trim_end_matches('0').trim_end_matches('.')
    } else {
        amount
    }
}

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
}

/// `GET path`, with a bearer token when given: status, content type, body.
async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, String) {
    let mut req = Request::get(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ctype, String::from_utf8(body.to_vec()).unwrap())
}

/// A product with a CPV code and service kind; its id.
async fn product(app: &TestApp, admin: &str, code: &str, cpv: &str, kind: &str) -> String {
    app.ok(
        Some(admin),
        "mutation($i:ProductInput!){ createProduct(input:$i){ id } }",
        json!({ "i": { "code": code, "name": format!("Tuote {code}"), "unit": "hour", "category": "notices", "cpvCode": cpv, "serviceKind": kind } }),
    )
    .await["createProduct"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

struct Products {
    cleaning: String,
    home_care: String,
    other: String,
}

async fn products(app: &TestApp, m: &Market) -> Products {
    Products {
        cleaning: product(app, &m.admin, "SIIVOUS", "90910000-9", "GENERAL").await,
        home_care: product(
            app,
            &m.admin,
            "KOTIHOITO",
            "85312000-9",
            "SOCIAL_AND_HEALTH",
        )
        .await,
        other: product(app, &m.admin, "KULTTUURI", "92310000-7", "OTHER_SPECIFIC").await,
    }
}

fn input(app: &TestApp, products: &[&str], estimate: Option<&str>) -> Value {
    let mut i = app.call_input(products);
    if let Some(e) = estimate {
        i["estimatedValue"] = json!(e);
    }
    i
}

#[tokio::test]
async fn contract_notices_follow_the_regime_and_are_drafts_until_published() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let p = products(&app, &m).await;
    let cases = [
        (
            "eu-general",
            vec![p.cleaning.as_str()],
            Some("216000"),
            "16",
        ),
        (
            "eu-social",
            vec![p.home_care.as_str(), p.cleaning.as_str()],
            Some("750000"),
            "20",
        ),
        (
            "eu-other-specific",
            vec![p.other.as_str()],
            Some("900000.50"),
            "20",
        ),
        (
            "national",
            vec![p.cleaning.as_str()],
            Some("215999.99"),
            "E3",
        ),
        (
            "national-social",
            vec![p.home_care.as_str()],
            Some("400000"),
            "E3",
        ),
        (
            "voluntary-below",
            vec![p.cleaning.as_str()],
            Some("59999.99"),
            "E3",
        ),
        ("no-estimate", vec![p.home_care.as_str()], None, "E3"),
    ];
    for (name, lines, estimate, expected) in cases {
        let call = app
            .make_call(&m.orderer, input(&app, &lines, estimate), false)
            .await;
        // A draft: its orderer reads it; nobody else learns the call exists.
        let draft = xml_of(&app, Some(&m.orderer), "CONTRACT_NOTICE", &call.id).await;
        assert_eq!(subtype(&draft), expected, "{name}");
        for (who, token) in [
            ("anonymous", None),
            ("another orderer", Some(m.other_orderer.as_str())),
            ("a provider", Some(m.a.as_str())),
        ] {
            assert_eq!(
                code(&notice(&app, token, "CONTRACT_NOTICE", &call.id).await),
                "NOT_FOUND",
                "{name}: {who}"
            );
        }
        assert_eq!(
            code(&notice(&app, Some(&m.admin), "CONTRACT_NOTICE", &call.id).await),
            "FORBIDDEN",
            "a draft notice is the orderer's"
        );
        let (status, _, _) = get(&app, &format!("/notices/contract/{}", call.id), None).await;
        assert_eq!(status, 404, "{name}: the draft over HTTP");
        let (status, ctype, body) = get(
            &app,
            &format!("/notices/contract/{}", call.id),
            Some(&m.orderer),
        )
        .await;
        assert_eq!(
            (status, ctype.as_str()),
            (200, "application/xml; charset=utf-8")
        );
        assert_eq!(subtype(&body), expected);

        app.ok(
            Some(&m.orderer),
            kilpailutus_tests::PUBLISH_CALL,
            json!({ "id": call.id }),
        )
        .await;
        let public = xml_of(&app, None, "CONTRACT_NOTICE", &call.id).await;
        assert_eq!(subtype(&public), expected, "{name}");
        let (status, _, body) = get(&app, &format!("/notices/contract/{}", call.id), None).await;
        assert_eq!((status, body.as_str()), (200, public.as_str()));
        // From the data: the buyer, the CPV codes, the estimate, the deadline, the weights.
        assert!(public.contains("Hyvinvointilautakunta"), "{name}");
        assert!(public.contains(&format!(
            "<cbc:EndDate>{}Z</cbc:EndDate>",
            call.submission_deadline.format("%Y-%m-%d")
        )));
        assert!(public.contains("<efbc:ParameterNumeric>60</efbc:ParameterNumeric>"));
        assert!(public.contains("Staff competence"));
        if let Some(e) = estimate {
            assert!(
                public.contains(&format!(
                    "<cbc:EstimatedOverallContractAmount currencyID=\"EUR\">{}</cbc:EstimatedOverallContractAmount>",
                    normal(e)
                )),
                "{name}"
            );
        }
        let main_cpv = if lines[0] == p.home_care {
            "85312000"
        } else if lines[0] == p.other {
            "92310000"
        } else {
            "90910000"
        };
        assert!(public.contains(&format!(
            "<cac:MainCommodityClassification>\n          <cbc:ItemClassificationCode listName=\"cpv\">{main_cpv}</cbc:ItemClassificationCode>"
        )) || public.contains(&format!(">{main_cpv}<")), "{name}");
        write(&format!("cn-{name}-{expected}"), &public);
    }
}

#[tokio::test]
async fn a_contract_notice_says_nothing_of_the_bids_and_carries_the_calls_languages() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let p = products(&app, &m).await;
    let mut i = input(&app, &[p.home_care.as_str()], Some("800000"));
    i["titleSv"] = json!("Hemvård östra området 2027");
    i["descriptionSv"] = json!("Hemvård per timme");
    i["titleEn"] = json!("Home care, eastern district 2027");
    i["descriptionEn"] = json!("  ");
    let call = app.make_call(&m.orderer, i, true).await;
    let read = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ titleSv titleEn descriptionSv descriptionEn } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(
        read["call"],
        json!({ "titleSv": "Hemvård östra området 2027", "titleEn": "Home care, eastern district 2027", "descriptionSv": "Hemvård per timme", "descriptionEn": null }),
        "a blank translation is none"
    );
    let before = xml_of(&app, None, "CONTRACT_NOTICE", &call.id).await;
    assert!(
        before.contains("<cbc:ID>SWE</cbc:ID>"),
        "Swedish is a notice language"
    );
    assert!(
        !before.contains("<cbc:ID>ENG</cbc:ID>"),
        "English is not: the description has no translation"
    );
    assert!(before.contains("<cbc:Name languageID=\"SWE\">Hemvård östra området 2027</cbc:Name>"));
    write("cn-bilingual-20", &before);
    app.submit_bid(&m.a, &call, &["45", "8"]).await;
    app.submit_bid(&m.b, &call, &["46", "9"]).await;
    let after = xml_of(&app, None, "CONTRACT_NOTICE", &call.id).await;
    assert_eq!(before, after, "bids change nothing in the notice");
    // An award notice before an award: there is none, to anyone.
    for token in [None, Some(m.orderer.as_str()), Some(m.a.as_str())] {
        assert_eq!(
            code(&notice(&app, token, "CONTRACT_AWARD_NOTICE", &call.id).await),
            "INVALID_STATE"
        );
    }
    // The translations change as a change of the call (not a material one).
    app.clock.advance(TimeDelta::days(1));
    let changed = app
        .ok(
            Some(&m.orderer),
            "mutation($id:ID!,$c:CallChangeInput!){ changeCall(id:$id,change:$c,reason:\"Käännös\"){ titleSv descriptionEn version } }",
            json!({ "id": call.id, "c": { "titleSv": "", "descriptionEn": "Home care by the hour" } }),
        )
        .await;
    assert_eq!(
        changed["changeCall"],
        json!({ "titleSv": null, "descriptionEn": "Home care by the hour", "version": 2 })
    );
    let now = xml_of(&app, None, "CONTRACT_NOTICE", &call.id).await;
    assert!(now.contains("<cbc:ID>ENG</cbc:ID>") && !now.contains("<cbc:ID>SWE</cbc:ID>"));
    write("cn-english-20", &now);
}

/// Bids from both providers (A cheaper), A qualified and awarded; A's bid id.
async fn award(app: &TestApp, m: &Market, call: &CallFixture) -> String {
    let a = app.submit_bid(&m.a, call, &["45.50", "8"]).await;
    let mut b_bid = app.bid_input(call, &["47", "9"]);
    b_bid["annualTurnover"] = json!("60000000");
    app.ok(
        Some(&m.b),
        kilpailutus_tests::SUBMIT_BID,
        json!({ "i": b_bid }),
    )
    .await;
    app.clock.set(call.submission_deadline);
    let a_bid = a["id"].as_str().unwrap().to_owned();
    app.ok(
        Some(&m.orderer),
        JUDGE,
        json!({ "b": a_bid, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] }),
    )
    .await;
    app.ok(Some(&m.orderer), AWARD, json!({ "c": call.id, "b": a_bid }))
        .await;
    a_bid
}

/// The contract from the award, signed by both and activated; its id.
async fn conclude(app: &TestApp, m: &Market, call: &CallFixture) -> String {
    let kid = app.contract_after_standstill(&m.orderer, &call.id).await;
    m.sign_and_activate(app, &kid, &m.a, "10000000").await;
    kid
}

#[tokio::test]
async fn award_and_modification_notices_follow_the_contract() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let p = products(&app, &m).await;
    // The winner's own details, set by its user; the buyer's by the admin.
    let set = app
        .ok(
            Some(&m.a),
            DETAILS,
            json!({ "o": m.a_org, "i": { "streetAddress": "Kauppalankatu 3", "postalCode": "45100", "city": "Kouvola", "nutsCode": "FI1C7", "phone": "+358 40 123 4567" } }),
        )
        .await;
    assert_eq!(set["updateOrganizationDetails"]["nutsCode"], "FI1C7");
    app.ok(
        Some(&m.admin),
        DETAILS,
        json!({ "o": m.orderer_org, "i": { "streetAddress": "Torikatu 10", "postalCode": "45100", "city": "Kouvola", "phone": "020 615 11" } }),
    )
    .await;
    for (name, products, estimate, award_sub) in [
        ("eu-general", vec![p.cleaning.as_str()], "300000", "29"),
        ("eu-social", vec![p.home_care.as_str()], "750000", "33"),
        ("national", vec![p.cleaning.as_str()], "100000", "E4"),
    ] {
        app.clock.set(kilpailutus_tests::start_time());
        let call = app
            .make_call(&m.orderer, input(&app, &products, Some(estimate)), true)
            .await;
        let a_bid = award(&app, &m, &call).await;
        // Awarded: public, like the decision; the conclusion date is the decision's until the
        // contract is concluded.
        let awarded = xml_of(&app, None, "CONTRACT_AWARD_NOTICE", &call.id).await;
        assert_eq!(subtype(&awarded), award_sub, "{name}");
        for token in [
            Some(m.orderer.as_str()),
            Some(m.a.as_str()),
            Some(m.b.as_str()),
            Some(m.other_orderer.as_str()),
            Some(m.admin.as_str()),
        ] {
            assert_eq!(
                xml_of(&app, token, "CONTRACT_AWARD_NOTICE", &call.id).await,
                awarded,
                "{name}: the same notice for everyone"
            );
        }
        let decided = app.clock_now().format("%Y-%m-%d").to_string();
        assert!(
            awarded.contains(&format!("<cbc:IssueDate>{decided}Z</cbc:IssueDate>")),
            "{name}: dated the decision"
        );
        let (status, _, body) = get(&app, &format!("/notices/award/{}", call.id), None).await;
        assert_eq!((status, body.as_str()), (200, awarded.as_str()));
        assert!(
            awarded.contains(&format!("<cbc:ID>{}</cbc:ID>", call.id)),
            "the contract to be made is the call's"
        );
        write(&format!("can-awarded-{name}-{award_sub}"), &awarded);

        let kid = conclude(&app, &m, &call).await;
        let public = xml_of(&app, None, "CONTRACT_AWARD_NOTICE", &call.id).await;
        assert_eq!(subtype(&public), award_sub);
        let (status, _, body) = get(&app, &format!("/notices/award/{}", call.id), None).await;
        assert_eq!((status, body.as_str()), (200, public.as_str()));
        // The winner, its bid and price, both bids counted (A micro, B large by turnover).
        assert!(public.contains("Provider 1 Oy") && !public.contains("Provider 2 Oy"));
        assert!(public.contains(&format!("<cbc:ID>{a_bid}</cbc:ID>")));
        assert!(
            public.contains(&format!("<cbc:ID>{kid}</cbc:ID>")),
            "the contract's reference"
        );
        assert!(public.contains("Kauppalankatu 3") && public.contains("+358 40 123 4567"));
        assert!(public.contains("Torikatu 10"));
        assert!(public.contains("<cbc:PayableAmount currencyID=\"EUR\">45500</cbc:PayableAmount>"));
        for (stat, n) in [
            ("tenders", 2),
            ("t-micro", 1),
            ("t-large", 1),
            ("t-small", 0),
        ] {
            assert!(
                public.contains(&format!("<efbc:StatisticsCode listName=\"received-submission-type\">{stat}</efbc:StatisticsCode>\n                <efbc:StatisticsNumeric>{n}</efbc:StatisticsNumeric>")),
                "{name}: {stat} = {n}"
            );
        }
        assert!(public.contains(">micro</efbc:CompanySizeCode>"));
        if award_sub == "29" {
            // The price range of the admissible bids: B's capability was never judged, so B
            // is not ranked and its 47 000 is not published.
            assert!(public.contains(
                "<cbc:HigherTenderAmount currencyID=\"EUR\">45500</cbc:HigherTenderAmount>"
            ));
            assert!(!public.contains("47000"));
        }
        write(&format!("can-{name}-{award_sub}"), &public);

        // No amendment yet: no modification notice.
        let none = app
            .gql(
                None,
                NOTICE,
                json!({ "k": "CONTRACT_MODIFICATION_NOTICE", "k2": kid }),
            )
            .await;
        assert_eq!(code(&none), "INVALID_STATE");
        app.clock.advance(TimeDelta::days(30));
        let amended = app
            .ok(
                Some(&m.orderer),
                AMEND,
                json!({ "id": kid, "l": [
                    { "productId": products[0], "quantity": "1200", "unitPrice": "45.50" }
                ], "f": "2027-06-01" }),
            )
            .await;
        assert_eq!(amended["amendContract"]["version"], 2);
        let total = amended["amendContract"]["totalValue"]
            .as_str()
            .unwrap()
            .to_owned();
        let modification = modification_of(&app, &kid).await;
        assert_eq!(subtype(&modification), "38");
        assert!(modification.contains("Asiakasmäärä kasvaa"));
        let total_text = normal(&total);
        assert!(
            modification.contains(&format!(
                "<cbc:TotalAmount currencyID=\"EUR\">{total_text}</cbc:TotalAmount>"
            )),
            "{total}"
        );
        let (status, _, body) = get(&app, &format!("/notices/modification/{kid}/2"), None).await;
        assert_eq!((status, body.as_str()), (200, modification.as_str()));
        let (status, _, _) = get(&app, &format!("/notices/modification/{kid}/7"), None).await;
        assert_eq!(status, 404, "no such amendment");
        write(&format!("mod-{name}-38"), &modification);
    }
}

#[tokio::test]
async fn notice_arguments_and_organisation_details_are_checked() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for (vars, field) in [
        (json!({ "k": "CONTRACT_NOTICE" }), "callId"),
        (
            json!({ "k": "CONTRACT_NOTICE", "c": call.id, "k2": call.id }),
            "contractId",
        ),
        (json!({ "k": "CONTRACT_NOTICE", "k2": call.id }), "callId"),
        (
            json!({ "k": "CONTRACT_MODIFICATION_NOTICE", "c": call.id }),
            "contractId",
        ),
    ] {
        let e = app.error(None, NOTICE, vars.clone()).await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{vars}");
        assert_eq!(e["extensions"]["field"], field, "{vars}");
    }
    for id in ["00000000-0000-7000-8000-000000000000", "not-an-id"] {
        let answer = notice(&app, None, "CONTRACT_NOTICE", id).await;
        assert!(
            ["NOT_FOUND", "BAD_USER_INPUT"].contains(&code(&answer)),
            "{id}: {answer}"
        );
    }
    let (status, _, _) = get(&app, &format!("/notices/bogus/{}", call.id), None).await;
    assert_eq!(status, 404);
    // A contract made without a call has no notices.
    let direct = m.direct_contract(&app).await;
    let e = app
        .error(
            Some(&m.orderer),
            NOTICE,
            json!({ "k": "CONTRACT_MODIFICATION_NOTICE", "k2": direct }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "INVALID_STATE");
    for token in [None, Some(m.a.as_str()), Some(m.other_orderer.as_str())] {
        let e = app
            .error(
                token,
                NOTICE,
                json!({ "k": "CONTRACT_MODIFICATION_NOTICE", "k2": direct }),
            )
            .await;
        assert_eq!(
            e["extensions"]["code"], "NOT_FOUND",
            "not its party: the contract is not there"
        );
    }
    // Organisation details: one's own (or an admin any), checked, nothing written when bad.
    let e = app
        .error(
            Some(&m.a),
            DETAILS,
            json!({ "o": m.b_org, "i": { "city": "Kotka" } }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "FORBIDDEN");
    assert_eq!(
        app.error(
            None,
            DETAILS,
            json!({ "o": m.a_org, "i": { "city": "Kotka" } })
        )
        .await["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let events = app.count("audit_event").await;
    for (input, field) in [
        (json!({ "postalCode": "451" }), "postalCode"),
        (json!({ "nutsCode": "SE110" }), "nutsCode"),
        (json!({ "phone": "soita" }), "phone"),
        (json!({ "city": "x".repeat(101) }), "city"),
        (json!({ "streetAddress": "a\u{0}b" }), "streetAddress"),
    ] {
        let e = app
            .error(Some(&m.a), DETAILS, json!({ "o": m.a_org, "i": input }))
            .await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(e["extensions"]["field"], field);
    }
    assert_eq!(app.count("audit_event").await, events, "nothing written");
    let set = app
        .ok(
            Some(&m.admin),
            DETAILS,
            json!({ "o": m.b_org, "i": { "city": "Kotka", "nutsCode": "FI1C7" } }),
        )
        .await;
    assert_eq!(set["updateOrganizationDetails"]["city"], "Kotka");
    assert_eq!(app.count("audit_event").await, events + 1, "one event");
    app.ok(
        Some(&m.b),
        DETAILS,
        json!({ "o": m.b_org, "i": { "city": "Kotka" } }),
    )
    .await;
    assert_eq!(
        app.count("audit_event").await,
        events + 1,
        "no change, no event"
    );
    let cleared = app
        .ok(
            Some(&m.b),
            DETAILS,
            json!({ "o": m.b_org, "i": { "city": " " } }),
        )
        .await;
    assert_eq!(cleared["updateOrganizationDetails"]["city"], Value::Null);
    assert_eq!(
        cleared["updateOrganizationDetails"]["nutsCode"], "FI1C7",
        "kept"
    );
}

#[tokio::test]
async fn a_winner_is_named_with_its_own_business_id() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    // A provider the administrator made without a business ID wins.
    let (ext_org, _, ext) = app
        .member(&m.admin, "EXTERNAL_PROVIDER", "Nimetön Hoiva")
        .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let bid = app.submit_bid(&ext, &call, &["45", "8"]).await;
    let bid_id = bid["id"].as_str().unwrap();
    app.clock.set(call.submission_deadline);
    app.ok(
        Some(&m.orderer),
        JUDGE,
        json!({ "b": bid_id, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] }),
    )
    .await;
    app.ok(
        Some(&m.orderer),
        AWARD,
        json!({ "c": call.id, "b": bid_id }),
    )
    .await;
    let e = app
        .error(
            None,
            NOTICE,
            json!({ "k": "CONTRACT_AWARD_NOTICE", "c": call.id }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "INVALID_STATE");
    assert!(
        e["message"].as_str().unwrap().contains("business ID"),
        "{e}"
    );
    // Its user gives it one; one already taken is a CONFLICT; once given it stays.
    let taken = app
        .ok(
            Some(&m.a),
            "{ me { organization { businessId } } }",
            json!({}),
        )
        .await["me"]["organization"]["businessId"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = app
        .error(
            Some(&ext),
            DETAILS,
            json!({ "o": ext_org, "i": { "businessId": taken } }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "CONFLICT");
    let own = kilpailutus_tests::business_id(424_242);
    app.ok(
        Some(&ext),
        DETAILS,
        json!({ "o": ext_org, "i": { "businessId": own } }),
    )
    .await;
    let e = app
        .error(
            Some(&m.admin),
            DETAILS,
            json!({ "o": ext_org, "i": { "businessId": kilpailutus_tests::business_id(434_343) } }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "INVALID_STATE", "never changed");
    let xml = xml_of(&app, None, "CONTRACT_AWARD_NOTICE", &call.id).await;
    assert!(xml.contains(&format!("<cbc:CompanyID>{own}</cbc:CompanyID>")));
    // The winner gave no telephone or email: none is made up for it.
    let winner = &xml[xml.find("Nimetön Hoiva").unwrap()..];
    let winner = &winner[..winner.find("</efac:Organization>").unwrap()];
    assert!(
        !winner.contains("Telephone") && !winner.contains("ElectronicMail"),
        "{winner}"
    );
    write("can-own-business-id-E4", &xml);
}

/// A call in three lots: the contract notice has one lot per lot; the award notice, due once
/// every lot is decided, gives each lot's result (two won by A, one without a winner); the
/// modification notice of a lot's contract names that lot's contract.
#[tokio::test]
async fn a_call_in_lots_has_a_lot_per_lot_in_its_notices() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let p = products(&app, &m).await;
    let mut i = input(&app, &[], Some("300000"));
    i["lines"] = json!([]);
    i["lots"] = json!([
        { "title": "Koulut", "lines": [{ "productId": p.cleaning, "quantity": "1000" }] },
        { "title": "Päiväkodit", "lines": [{ "productId": p.cleaning, "quantity": "200" }] },
        { "title": "Virastot", "lines": [{ "productId": p.cleaning, "quantity": "300" }] }
    ]);
    let call = app.make_call(&m.orderer, i.clone(), true).await;
    let lots: Vec<String> = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ lots{ id } } }",
            json!({ "id": call.id }),
        )
        .await["call"]["lots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    let cn = xml_of(&app, None, "CONTRACT_NOTICE", &call.id).await;
    assert_eq!(subtype(&cn), "16");
    for n in 1..=3 {
        assert!(cn.contains(&format!("<cbc:ID schemeName=\"Lot\">LOT-000{n}</cbc:ID>")));
    }
    assert!(cn.contains(">Päiväkodit</cbc:Name>"));
    assert!(cn.contains("<cbc:MaximumLotsSubmittedNumeric>3</cbc:MaximumLotsSubmittedNumeric>"));
    write("lots-cn-16", &cn);
    // The same lots below the EU threshold: a national notice.
    let mut national = i.clone();
    national["estimatedValue"] = json!("100000");
    let below = app.make_call(&m.orderer, national, true).await;
    let e3 = xml_of(&app, None, "CONTRACT_NOTICE", &below.id).await;
    assert_eq!(subtype(&e3), "E3");
    write("lots-cn-E3", &e3);

    // A bids for lots 1 and 2, B for lots 1 and 3.
    let bid = |prices: &[(usize, &str)]| {
        let mut b = app.bid_input(&call, &[]);
        b["lines"] = json!(
            prices
                .iter()
                .map(|(k, p)| json!({ "callLineId": call.line_ids[*k], "unitPrice": p }))
                .collect::<Vec<_>>()
        );
        b
    };
    let mut ids = Vec::new();
    for (token, prices) in [
        (&m.a, vec![(0, "30"), (1, "31")]),
        (&m.b, vec![(0, "32"), (2, "33")]),
    ] {
        let b = app
            .ok(
                Some(token),
                kilpailutus_tests::SUBMIT_BID,
                json!({ "i": bid(&prices) }),
            )
            .await;
        ids.push(b["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    app.clock.set(call.submission_deadline);
    for b in &ids {
        app.ok(
            Some(&m.orderer),
            JUDGE,
            json!({ "b": b, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] }),
        )
        .await;
    }
    const AWARD_LOT: &str = "mutation($l:ID!,$b:ID!){ awardLot(lotId:$l,bidId:$b,justification:\"Paras hinta-laatusuhde\"){ decidedAt } }";
    for lot in &lots[..2] {
        app.ok(
            Some(&m.orderer),
            AWARD_LOT,
            json!({ "l": lot, "b": ids[0] }),
        )
        .await;
    }
    let early = notice(&app, None, "CONTRACT_AWARD_NOTICE", &call.id).await;
    assert_eq!(code(&early), "INVALID_STATE", "lot 3 is undecided");
    app.ok(
        Some(&m.orderer),
        "mutation($l:ID!){ declareLotUnsuccessful(lotId:$l,reason:\"Hinta ylitti budjetin\"){ number } }",
        json!({ "l": lots[2] }),
    )
    .await;
    let can = xml_of(&app, None, "CONTRACT_AWARD_NOTICE", &call.id).await;
    assert_eq!(subtype(&can), "29");
    assert_eq!(can.matches("<efac:LotResult>").count(), 3);
    assert_eq!(can.matches(">selec-w</cbc:TenderResultCode>").count(), 2);
    assert_eq!(can.matches(">clos-nw</cbc:TenderResultCode>").count(), 1);
    assert_eq!(
        can.matches("<efac:TenderingParty>").count(),
        3,
        "one tendering party (A) in two tenders and its own entry"
    );
    // A's bid is 30 000 for lot 1 and 6 200 for lot 2: the notice's total is their sum.
    assert!(can.contains("<cbc:TotalAmount currencyID=\"EUR\">36200</cbc:TotalAmount>"));
    write("lots-can-29", &can);

    // Lot 2's contract, concluded and amended: its modification notice.
    app.clock.advance(TimeDelta::days(15));
    let kid = app
        .ok(
            Some(&m.orderer),
            "mutation($l:ID!){ createContractFromLotAward(lotId:$l){ id } }",
            json!({ "l": lots[1] }),
        )
        .await["createContractFromLotAward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    m.sign_and_activate(&app, &kid, &m.a, "10000000").await;
    app.clock.advance(TimeDelta::days(30));
    app.ok(
        Some(&m.orderer),
        AMEND,
        json!({ "id": kid, "l": [
            { "productId": p.cleaning, "quantity": "250", "unitPrice": "31" }
        ], "f": "2027-06-01" }),
    )
    .await;
    let modification = modification_of(&app, &kid).await;
    assert_eq!(subtype(&modification), "38");
    assert!(modification.contains(
        "<efbc:ModifiedContractIdentifier schemeName=\"contract\">CON-0002</efbc:ModifiedContractIdentifier>"
    ));
    assert!(modification.contains("<cbc:ID schemeName=\"Lot\">LOT-0002</cbc:ID>"));
    assert!(!modification.contains("LOT-0001"));
    write("lots-modification-38", &modification);
}
