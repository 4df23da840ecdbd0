//! OCDS 1.1 output for a call at each stage (published, awarded, contracted, with monthly
//! transactions), over GraphQL and `GET /ocds/calls/{id}/…`. Sealed bid data never appears
//! before the deadline. The packages are written to `$OCDS_OUT` (default: a temporary
//! directory) where `.ci/run` validates them against the official OCDS 1.1.5 schemas.

use axum::body::Body;
use axum::http::Request;
use chrono::{TimeDelta, TimeZone, Utc};
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};
use std::path::PathBuf;

fn out_dir() -> PathBuf {
    let dir = std::env::var("OCDS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("kilpailutus-ocds"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, body) = app
        .send(Request::get(path).body(Body::empty()).unwrap())
        .await;
    (
        status.as_u16(),
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

/// Writes both packages of this stage and returns the release package.
async fn stage(app: &TestApp, call_id: &str, name: &str, tag: &str) -> Value {
    let (status, releases) = get_json(app, &format!("/ocds/calls/{call_id}/releases.json")).await;
    assert_eq!(status, 200);
    let (status, record) = get_json(app, &format!("/ocds/calls/{call_id}/record.json")).await;
    assert_eq!(status, 200);
    let via_graphql = app
        .ok(
            None,
            "query($id:ID!){ ocdsReleasePackage(callId:$id) }",
            json!({ "id": call_id }),
        )
        .await;
    assert_eq!(
        via_graphql["ocdsReleasePackage"], releases,
        "GraphQL and HTTP give the same package"
    );
    let prefix = if kilpailutus_tests::on_postgres() {
        "pg"
    } else {
        "sqlite"
    };
    let dir = out_dir();
    std::fs::write(
        dir.join(format!("{prefix}-{name}-releases.json")),
        serde_json::to_string_pretty(&releases).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("{prefix}-{name}-record.json")),
        serde_json::to_string_pretty(&record).unwrap(),
    )
    .unwrap();
    let tags: Vec<&str> = releases["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tag"][0].as_str().unwrap())
        .collect();
    assert_eq!(tags.last().copied(), Some(tag), "{tags:?}");
    assert_eq!(record["records"][0]["releases"], releases["releases"]);
    releases
}

#[tokio::test]
async fn a_call_is_published_as_ocds_at_every_stage() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    assert_eq!(
        get_json(&app, &format!("/ocds/calls/{}/releases.json", draft.id))
            .await
            .0,
        404,
        "a draft is not public"
    );
    assert_eq!(get_json(&app, "/ocds/calls/nope/record.json").await.0, 404);
    assert_eq!(
        app.code(
            None,
            "query($id:ID!){ ocdsReleasePackage(callId:$id) }",
            json!({ "id": draft.id })
        )
        .await,
        "NOT_FOUND"
    );

    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let a = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8.1234"]) }),
        )
        .await;
    app.ok(
        Some(&m.b),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["47.77", "9"]) }),
    )
    .await;
    // Published, with sealed bids: nothing of them shows.
    let published = stage(&app, &call.id, "1-published", "tender").await;
    let text = published.to_string();
    for secret in [
        "45.5",
        "47.77",
        m.a_org.as_str(),
        m.b_org.as_str(),
        "tenderers",
        "numberOfTenderers",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked before the deadline"
        );
    }
    let release = &published["releases"][0];
    assert_eq!(release["ocid"], format!("ocds-kilpailutus-{}", call.id));
    assert_eq!(release["tender"]["items"][1]["quantity"], json!(12.5));
    assert_eq!(
        release["tender"]["items"][0]["classification"]["id"],
        "KH-H"
    );
    assert_eq!(
        release["parties"][0]["roles"],
        json!(["buyer", "procuringEntity"])
    );

    // Awarded.
    app.clock.set(call.submission_deadline);
    let a_bid = a["submitBid"]["id"].as_str().unwrap().to_owned();
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": a_bid, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Best value\"){ decidedAt } }", json!({ "c": call.id, "b": a_bid })).await;
    let awarded = stage(&app, &call.id, "2-awarded", "award").await;
    let tender = &awarded["releases"][0]["tender"];
    assert_eq!(tender["numberOfTenderers"], 2);
    assert_eq!(tender["status"], "complete");
    assert_eq!(
        awarded["releases"][1]["awards"][0]["value"],
        json!({ "amount": 45601.5425, "currency": "EUR" })
    );
    assert_eq!(
        awarded["releases"][1]["awards"][0]["suppliers"][0]["id"],
        m.a_org.as_str()
    );

    // Contracted.
    app.clock.advance(TimeDelta::days(15));
    let k = app
        .ok(
            Some(&m.orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
            json!({ "c": call.id }),
        )
        .await;
    let kid = k["createContractFromAward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"100000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.sign_both(&kid, &m.orderer, &m.a).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": kid }),
    )
    .await;
    let contracted = stage(&app, &call.id, "3-contracted", "contract").await;
    assert_eq!(
        contracted["releases"][2]["contracts"][0]["status"],
        "active"
    );

    // Implementation: two monthly reports become transactions.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 3, 9, 0, 0).unwrap());
    for (period, hours) in [("2027-01", "80"), ("2027-02", "76")] {
        app.ok(Some(&m.a), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }", json!({ "i": {
            "contractId": kid, "period": period, "lines": [{ "productId": m.products[0], "quantity": hours, "cost": "3000" }],
            "feedbackCount": 3, "feedbackAverage": "4.5", "qualityMeasurements": [] } })).await;
    }
    let implemented = stage(&app, &call.id, "4-implementation", "implementation").await;
    let tx = &implemented["releases"][3]["contracts"][0]["implementation"]["transactions"];
    assert_eq!(
        tx[0]["value"],
        json!({ "amount": 3640.0, "currency": "EUR" }),
        "80 h x 45.50"
    );
    assert_eq!(tx[1]["date"], "2027-02-28T23:59:59Z");
    let (_, record) = get_json(&app, &format!("/ocds/calls/{}/record.json", call.id)).await;
    let compiled = &record["records"][0]["compiledRelease"];
    assert_eq!(compiled["tag"], json!(["compiled"]));
    assert_eq!(compiled["contracts"][0]["status"], "active");
    assert_eq!(
        compiled["contracts"][0]["implementation"]["transactions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The contract ends on 31 December 2027: from the next day its status reads terminated,
    // without any write; an anonymous answer cached before must not outlive that.
    let q = "query($id:ID!){ ocdsReleasePackage(callId:$id) }";
    let status =
        |v: &Value| v["ocdsReleasePackage"]["releases"][2]["contracts"][0]["status"].clone();
    assert_eq!(
        status(&app.ok(None, q, json!({ "id": call.id })).await),
        "active"
    );
    assert_eq!(
        status(&app.ok(None, q, json!({ "id": call.id })).await),
        "active"
    );
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 1).unwrap());
    assert_eq!(
        status(&app.ok(None, q, json!({ "id": call.id })).await),
        "terminated"
    );
}

#[tokio::test]
async fn a_cancelled_call_is_a_tender_cancellation() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"No budget\"){ id } }",
        json!({ "id": call.id }),
    )
    .await;
    let cancelled = stage(&app, &call.id, "5-cancelled", "tenderCancellation").await;
    assert_eq!(cancelled["releases"][0]["tender"]["status"], "cancelled");
}

/// LUMP_SUM pays by time: the realisation is the value's share of the days covered (100 %,
/// forecast = value, whatever the quantities), and each reported month's OCDS transaction
/// is the value x that month's contract days / contract days, in cents.
#[tokio::test]
async fn a_lump_sum_contract_is_paid_by_time_in_the_realisation_and_in_ocds() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut input = app.call_input(&m.product_refs());
    input["pricingModel"] = json!("LUMP_SUM");
    let call = app.make_call(&m.orderer, input, true).await;
    let a = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8"]) }),
        )
        .await;
    let a_bid = a["submitBid"]["id"].as_str().unwrap().to_owned();
    app.clock.set(call.submission_deadline);
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": a_bid, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Only bid\"){ decidedAt } }", json!({ "c": call.id, "b": a_bid })).await;
    app.clock.advance(TimeDelta::days(15));
    let k = app
        .ok(
            Some(&m.orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id pricingModel totalValue } }",
            json!({ "c": call.id }),
        )
        .await;
    // 1 000 h x 45.50 + 12.5 x 8 = 45 600.00 over 2027 (365 days).
    assert_eq!(k["createContractFromAward"]["pricingModel"], "LUMP_SUM");
    assert_eq!(k["createContractFromAward"]["totalValue"], "45600.00");
    let kid = k["createContractFromAward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"100000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.sign_both(&kid, &m.orderer, &m.a).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": kid }),
    )
    .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 3, 9, 0, 0).unwrap());
    // Far fewer hours than contracted: a UNIT_PRICE contract would read UNDER.
    for (period, hours) in [("2027-01", "10"), ("2027-02", "5")] {
        app.ok(Some(&m.a), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }", json!({ "i": {
            "contractId": kid, "period": period, "lines": [{ "productId": m.products[0], "quantity": hours, "cost": "3000" }],
            "feedbackCount": 3, "feedbackAverage": "4.5", "qualityMeasurements": [] } })).await;
    }
    let c = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ realization{ contractedValue deliveredValue percent forecastValue status } reports{ period lines{ quantity } } } }",
            json!({ "id": kid }),
        )
        .await;
    let r = &c["contract"]["realization"];
    // Days covered: 1 January – 28 February, 59 days: 45 600 x 59 / 365 = 7370.9589…
    assert!(
        r["deliveredValue"].as_str().unwrap().starts_with("7370.95"),
        "{r}"
    );
    assert_eq!(r["percent"], "100.00");
    assert_eq!(r["forecastValue"], "45600.00");
    assert_eq!(r["status"], "ON_TRACK");
    assert_eq!(
        c["contract"]["reports"][0]["lines"][0]["quantity"], "10",
        "quantities are still shown"
    );
    let implemented = stage(&app, &call.id, "lump-sum", "implementation").await;
    let tx = &implemented["releases"][3]["contracts"][0]["implementation"]["transactions"];
    // January: 45 600 x 31 / 365 = 3872.876… -> 3872.88; February: x 28 / 365 = 3498.08.
    assert_eq!(
        tx[0]["value"],
        json!({ "amount": 3872.88, "currency": "EUR" })
    );
    assert_eq!(
        tx[1]["value"],
        json!({ "amount": 3498.08, "currency": "EUR" })
    );
}
