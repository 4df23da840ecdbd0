//! Hostile input: numbers, text and lists a client should never be able to use to break an
//! evaluation, answer INTERNAL, or differ between SQLite and PostgreSQL. Each is refused
//! with BAD_USER_INPUT naming the field, and nothing is written.

use kilpailutus_tests::{CREATE_CALL, Market, SUBMIT_BID, TestApp};
use serde_json::json;

#[tokio::test]
async fn an_overflowing_unit_price_is_refused_and_the_evaluation_still_answers() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    // 7 x 10^28: two such bids overflowed every sum of the evaluation and dropped the
    // connection of call.evaluation, judgeCapability and benchmark.
    for token in [&m.a, &m.b] {
        let err = app
            .error(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &["70000000000000000000000000000", "8"]) }),
            )
            .await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], "lines[0].unitPrice", "{err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .contains("12 integer digits"),
            "{err}"
        );
    }
    assert_eq!(app.count("bid").await, 0);
    // The largest prices accepted evaluate, judge and benchmark without trouble.
    let mut bids = Vec::new();
    for token in [&m.a, &m.b] {
        let b = app
            .ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &["999999999999.9999", "999999999999.9999"]) }),
            )
            .await;
        bids.push(b["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    app.clock.set(call.submission_deadline);
    let e = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ evaluation{ results{ qualified totalScore disqualificationReasons } } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(
        e["call"]["evaluation"]["results"].as_array().unwrap().len(),
        2
    );
    let judged = app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": bids[0], "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    assert!(judged["judgeCapability"]["qualified"].is_boolean());
    let bench = app
        .ok(
            Some(&m.admin),
            "query($p:ID!){ benchmark(productId:$p,fiscalYear:2027){ marketCount } }",
            json!({ "p": m.products[0] }),
        )
        .await;
    assert_eq!(bench["benchmark"]["marketCount"], 0);
}

#[tokio::test]
async fn every_decimal_is_bounded_with_its_field_named_in_literals_and_variables() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let org = app.create_org(&admin, "Tilaaja", "ORDERER").await;
    // A literal argument, a variable holding the value, and a variable inside a literal.
    for (query, vars, field) in [
        (
            format!("mutation{{ setAppropriation(ordererId:\"{org}\",fiscalYear:2027,amount:\"1e13\"){{ amount }} }}"),
            json!({}),
            "amount",
        ),
        (
            "mutation($o:ID!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:$a){ amount } }".to_owned(),
            json!({ "o": org, "a": "0.00000000001" }),
            "amount",
        ),
        (
            "mutation($o:ID!,$a:Decimal!){ recordGrant(ordererId:$o,recipientId:$o,fiscalYear:2027,amount:$a){ id } }".to_owned(),
            json!({ "o": org, "a": 1e15 }),
            "amount",
        ),
    ] {
        let err = app.error(Some(&admin), &query, vars).await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    assert_eq!(app.count("appropriation").await, 0);
}

#[tokio::test]
async fn ratios_and_quantities_are_bounded_at_the_input() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mut bad = app.bid_input(&call, &["45", "8"]);
    bad["equityRatio"] = json!("-0.5");
    let err = app.error(Some(&m.a), SUBMIT_BID, json!({ "i": bad })).await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(err["extensions"]["field"], "equityRatio");
    let mut huge = app.call_input(&m.product_refs());
    huge["lines"][0]["quantity"] = json!("1000000000");
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": huge }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(err["extensions"]["field"], "lines[0].quantity");
    let mut points = app.call_input(&m.product_refs());
    points["qualityCriteria"][0]["maxPoints"] = json!(2_000_000_000);
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": points }))
        .await;
    assert_eq!(err["extensions"]["field"], "qualityCriteria[0].maxPoints");
    let mut forever = app.call_input(&m.product_refs());
    forever["contractEnd"] = json!("9999-12-31");
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": forever }))
        .await;
    assert_eq!(err["extensions"]["field"], "contractEnd");
    assert_eq!(app.count("bid").await, 0);
    assert_eq!(app.count("call_for_tenders").await, 1);
}

#[tokio::test]
async fn text_with_a_nul_or_control_character_is_refused_alike_on_both_databases() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["title"] = json!("Kotihoito\u{0}2027");
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": input }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "title");
    assert_eq!(err["extensions"]["rule"], "CONTROL_CHARACTERS", "{err}");
    assert_eq!(app.count("call_for_tenders").await, 0);
    // An anonymous search, as a literal and as a variable.
    let err = app
        .error(
            None,
            r#"{ calls(filter:{search:"a\u0000"}){ totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    let err = app
        .error(
            None,
            "query($s:String){ calls(filter:{search:$s}){ totalCount } }",
            json!({ "s": "\u{1b}[31m" }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    // A product name.
    let err = app
        .error(
            Some(&m.admin),
            "mutation{ createProduct(input:{code:\"X1\",name:\"a\\u0000b\",unit:\"h\",category:\"c\"}){ id } }",
            json!({}),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "name");
    // Tab and newline are text.
    let mut ok = app.call_input(&m.product_refs());
    ok["description"] = json!("Rivi 1\n\tRivi 2");
    app.ok(Some(&m.orderer), CREATE_CALL, json!({ "i": ok }))
        .await;
}

/// A document the server has seen (and keeps parsed, `graphql::parsed`) is checked again with
/// every new set of variables: the same mutation text, accepted once, is refused the next time
/// its variables carry a NUL or an out-of-range decimal, and writes nothing.
#[tokio::test]
async fn a_document_seen_before_is_checked_again_with_new_variables() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let ok = app.call_input(&m.product_refs());
    app.ok(Some(&m.orderer), CREATE_CALL, json!({ "i": ok }))
        .await;
    assert_eq!(app.count("call_for_tenders").await, 1);
    let mut nul = app.call_input(&m.product_refs());
    nul["title"] = json!("Kotihoito\u{0}2027");
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": nul }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "title", "{err}");
    let mut huge = app.call_input(&m.product_refs());
    huge["lines"][0]["quantity"] = json!("1234567890123456.5");
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": huge }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "lines[0].quantity", "{err}");
    assert_eq!(
        app.count("call_for_tenders").await,
        1,
        "nothing more written"
    );
}

#[tokio::test]
async fn a_very_long_search_is_a_clear_error_not_an_internal_one() {
    let app = TestApp::new().await;
    let err = app
        .error(
            None,
            "query($s:String){ calls(filter:{search:$s}){ totalCount } }",
            json!({ "s": "kotihoito ".repeat(6000) }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "filter.search");
}

#[tokio::test]
async fn a_call_with_thirty_thousand_lines_is_refused_clearly() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["lines"] = json!(
        (0..30_000)
            .map(|i| json!({ "productId": m.products[i % 2], "quantity": "1" }))
            .collect::<Vec<_>>()
    );
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": input }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("at most"),
        "{err}"
    );
    // 501 lines: the call's own limit, with its field.
    let mut input = app.call_input(&m.product_refs());
    input["lines"] = json!(
        (0..501)
            .map(|i| json!({ "productId": m.products[i % 2], "quantity": "1" }))
            .collect::<Vec<_>>()
    );
    let err = app
        .error(Some(&m.orderer), CREATE_CALL, json!({ "i": input }))
        .await;
    assert_eq!(err["extensions"]["field"], "lines", "{err}");
    assert_eq!(app.count("call_for_tenders").await, 0);
}
