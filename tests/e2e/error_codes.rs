//! Machine-readable errors: every BAD_USER_INPUT error carries `extensions.rule` and
//! `extensions.params` beside `field` and the English `message`, and a bid's evaluation lists
//! its disqualification reasons as codes with their figures (`reasonCodes`).

use kilpailutus_tests::{Market, PASSWORD, SUBMIT_BID, TestApp, business_id};
use serde_json::{Value, json};

const REGISTER: &str = "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }";

#[tokio::test]
async fn bad_input_carries_a_rule_code_and_its_parameters() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut i = app.bid_input(&call, &["45.50", "8"]);
        edit(&mut i);
        json!({ "i": i })
    };
    let cases: Vec<(Value, &str, &str, Value)> = vec![
        (
            with(&|i| i["lines"][0]["unitPrice"] = json!("-1")),
            "lines[0].unitPrice",
            "NEGATIVE",
            json!({}),
        ),
        (
            with(&|i| i["lines"][1]["unitPrice"] = json!("8.12345")),
            "lines[1].unitPrice",
            "TOO_MANY_DECIMALS",
            json!({ "max": 4 }),
        ),
        (
            with(&|i| i["equityRatio"] = json!("35")),
            "equityRatio",
            "OUT_OF_RANGE",
            json!({ "min": 0, "max": 1 }),
        ),
        (
            with(&|i| i["subcontractingShare"] = json!("0.5")),
            "subcontractingShare",
            "ABOVE_CAP",
            json!({ "max": "0.3" }),
        ),
    ];
    for (vars, field, rule, params) in cases {
        let e = app.error(Some(&m.a), SUBMIT_BID, vars).await;
        assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{e}");
        assert_eq!(e["extensions"]["field"], field, "{e}");
        assert_eq!(e["extensions"]["rule"], rule, "{e}");
        assert_eq!(e["extensions"]["params"], params, "{e}");
        assert!(
            e["message"].as_str().unwrap_or("").starts_with(field),
            "{e}"
        );
    }

    // A business ID with a wrong check digit names the right one.
    let good = business_id(424_242);
    let (body, check) = good.split_at(8);
    let digit: u32 = check.parse().expect("digit");
    let bad = format!("{body}{}", (digit + 1) % 10);
    let e = app
        .error(None, REGISTER, json!({ "i": { "organizationName": "X Oy", "businessId": bad, "email": "x@x.example.fi", "password": PASSWORD, "name": "X" } }))
        .await;
    assert_eq!(e["extensions"]["field"], "businessId", "{e}");
    assert_eq!(e["extensions"]["rule"], "CHECK_DIGIT", "{e}");
    assert_eq!(
        e["extensions"]["params"],
        json!({ "expected": check }),
        "{e}"
    );
    let e = app
        .error(None, REGISTER, json!({ "i": { "organizationName": "X Oy", "businessId": good, "email": "x@x.example.fi", "password": "short", "name": "X" } }))
        .await;
    assert_eq!(e["extensions"]["rule"], "TOO_SHORT", "{e}");
    assert_eq!(e["extensions"]["params"], json!({ "min": 8 }), "{e}");
    let e = app
        .error(None, REGISTER, json!({ "i": { "organizationName": "x".repeat(300), "businessId": good, "email": "x@x.example.fi", "password": PASSWORD, "name": "X" } }))
        .await;
    assert_eq!(e["extensions"]["rule"], "TOO_LONG", "{e}");
    assert!(e["extensions"]["params"]["max"].is_number(), "{e}");

    // A value of the wrong type is refused by GraphQL itself: still a rule, INVALID.
    let e = app
        .error(
            Some(&m.a),
            SUBMIT_BID,
            with(&|i| i["lines"][0]["unitPrice"] = json!("")),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{e}");
    assert_eq!(e["extensions"]["rule"], "INVALID", "{e}");
}

#[tokio::test]
async fn disqualification_reasons_have_codes_and_figures() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(Some(&m.admin), "mutation($o:ID!,$r:ID!){ recordGrant(ordererId:$o,recipientId:$r,fiscalYear:2027,amount:\"5000\"){ id } }", json!({ "o": m.orderer_org, "r": m.a_org })).await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45.50", "8"]) }),
    )
    .await;
    let mut weak = app.bid_input(&call, &["45.50", "8"]);
    weak["creditRating"] = json!("B");
    weak["annualTurnover"] = json!("50000");
    weak["equityRatio"] = json!("0.18");
    app.ok(Some(&m.b), SUBMIT_BID, json!({ "i": weak })).await;
    app.clock.set(call.submission_deadline);
    let e = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ evaluation{ results{ bid{ bidder{ id } } disqualificationReasons reasonCodes{ code actual required requirementId year message } } } } }",
            json!({ "id": call.id }),
        )
        .await;
    let results = e["call"]["evaluation"]["results"]
        .as_array()
        .expect("results")
        .clone();
    let of = |org: &str| -> Value {
        results
            .iter()
            .find(|r| r["bid"]["bidder"]["id"] == org)
            .expect("the bidder's result")
            .clone()
    };
    let b = of(&m.b_org);
    assert_eq!(
        b["reasonCodes"],
        json!([
            { "code": "TURNOVER_BELOW", "actual": "50000.00", "required": "68400.00", "requirementId": null, "year": null,
              "message": "annual turnover 50000.00 is below the required 68400.00 (1.5 x the bid's annual value 45600.00)" },
            { "code": "EQUITY_RATIO_BELOW", "actual": "0.18", "required": "0.2", "requirementId": null, "year": null,
              "message": "equity ratio 0.18 is below the required 0.2" },
            { "code": "CREDIT_RATING_BELOW", "actual": "B", "required": "A", "requirementId": null, "year": null,
              "message": "credit rating B is below the required A" },
            { "code": "CAPABILITY_NOT_JUDGED", "actual": null, "required": null, "requirementId": null, "year": null,
              "message": "capability not yet judged" },
        ])
    );
    // The sentences are unchanged and in the same order.
    let messages: Vec<Value> = b["reasonCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|r| r["message"].clone())
        .collect();
    assert_eq!(b["disqualificationReasons"], json!(messages));
    let a = of(&m.a_org);
    let codes: Vec<&str> = a["reasonCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert_eq!(codes, ["CAPABILITY_NOT_JUDGED", "GRANT_HOLDER"]);
    assert_eq!(a["reasonCodes"][1]["year"], 2027);

    // A requirement judged not met names the requirement.
    let bid = app.my_bid_id(&m.a, &call.id).await;
    let judged = app
        .ok(
            Some(&m.orderer),
            "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ reasonCodes{ code requirementId required } } }",
            json!({ "b": bid, "j": [{ "requirementId": call.requirement_ids[0], "met": false }] }),
        )
        .await;
    assert_eq!(
        judged["judgeCapability"]["reasonCodes"][0],
        json!({ "code": "CAPABILITY_NOT_MET", "requirementId": call.requirement_ids[0], "required": "Licensed practical nurses on every shift" })
    );
}
