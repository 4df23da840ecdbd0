//! Sealed bids through GraphQL: submission with totals and a receipt a provider can
//! recompute, replacement, withdrawal, input rules and the states in which bidding is open.

use api::domain::audit::sha256_hex;
use chrono::TimeDelta;
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const WITHDRAW: &str = "mutation($c:ID!){ withdrawBid(callId:$c){ id status version } }";
pub(crate) const FULL_BID: &str = "query($id:ID!){ bid(id:$id){ id version submittedAt receipt documents{ id sha256 } lots{ number } bidder{ id } call{ id } annualTurnover equityRatio creditRating subcontractingShare lines{ callLine{ id } unitPrice } capabilityResponses{ requirement{ id } evidence } qualityResponses{ criterion{ id } text } } }";

/// Recomputes a receipt from what the API returns, as README.md tells a provider to: the canonical text from the API's answer, with `documents` (sorted
/// SHA-256) only when the bid has some, and `lots` (their numbers) only on a call in lots.
pub(crate) fn recompute_receipt(b: &Value) -> String {
    let mut lines: Vec<(String, String)> = b["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["callLine"]["id"].as_str().unwrap().to_owned(),
                l["unitPrice"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    lines.sort();
    let mut caps: Vec<(String, String)> = b["capabilityResponses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["requirement"]["id"].as_str().unwrap().to_owned(),
                r["evidence"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    caps.sort();
    let mut quals: Vec<(String, String)> = b["qualityResponses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["criterion"]["id"].as_str().unwrap().to_owned(),
                r["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    quals.sort();
    let s = |v: &str| serde_json::to_string(v).unwrap();
    let mut docs: Vec<String> = b["documents"]
        .as_array()
        .map(|d| d.iter().map(|x| s(x["sha256"].as_str().unwrap())).collect())
        .unwrap_or_default();
    docs.sort();
    let documents = if docs.is_empty() {
        String::new()
    } else {
        format!("\"documents\":[{}],", docs.join(","))
    };
    let mut numbers: Vec<i64> = b["lots"]
        .as_array()
        .map(|l| l.iter().filter_map(|x| x["number"].as_i64()).collect())
        .unwrap_or_default();
    numbers.sort_unstable();
    let lots = if numbers.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
        format!("\"lots\":[{}],", list.join(","))
    };
    let text = format!(
        "{{\"annualTurnover\":{},\"bidderId\":{},\"callId\":{},\"capabilityResponses\":[{}],\"creditRating\":{},{documents}\"equityRatio\":{},\"lines\":[{}],{lots}\"qualityResponses\":[{}],\"subcontractingShare\":{},\"submittedAt\":{},\"version\":{}}}",
        s(b["annualTurnover"].as_str().unwrap()),
        s(b["bidder"]["id"].as_str().unwrap()),
        s(b["call"]["id"].as_str().unwrap()),
        caps.iter()
            .map(|(id, e)| format!("{{\"evidence\":{},\"requirementId\":{}}}", s(e), s(id)))
            .collect::<Vec<_>>()
            .join(","),
        s(b["creditRating"].as_str().unwrap()),
        s(b["equityRatio"].as_str().unwrap()),
        lines
            .iter()
            .map(|(id, p)| format!("{{\"callLineId\":{},\"unitPrice\":{}}}", s(id), s(p)))
            .collect::<Vec<_>>()
            .join(","),
        quals
            .iter()
            .map(|(id, t)| format!("{{\"criterionId\":{},\"text\":{}}}", s(id), s(t)))
            .collect::<Vec<_>>()
            .join(","),
        s(b["subcontractingShare"].as_str().unwrap()),
        s(
            &chrono::DateTime::parse_from_rfc3339(b["submittedAt"].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        ),
        b["version"],
    );
    sha256_hex(&text)
}

#[tokio::test]
async fn a_provider_submits_a_priced_bid_and_gets_a_receipt_it_can_recompute() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let data = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8.1234"]) }),
        )
        .await;
    let b = &data["submitBid"];
    // 1000 x 45.50 + 12.5 x 8.1234 = 45 500 + 101.5425
    assert_eq!(b["totalPrice"], "45601.54250");
    assert_eq!(b["lines"][0]["lineTotal"], "45500.00");
    assert_eq!(b["lines"][1]["lineTotal"], "101.54250");
    assert_eq!(b["version"], 1);
    assert_eq!(b["status"], "SUBMITTED");
    assert_eq!(b["inHouse"], false);
    assert_eq!(b["bidder"]["id"], m.a_org.as_str());
    assert_eq!(
        b["submittedAt"],
        app.clock_now()
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    );
    let receipt = b["receipt"].as_str().unwrap();
    assert_eq!(receipt.len(), 64);
    let full = app.ok(Some(&m.a), FULL_BID, json!({ "id": b["id"] })).await;
    assert_eq!(recompute_receipt(&full["bid"]), receipt);
}

#[tokio::test]
async fn a_new_submission_replaces_the_bid_and_bumps_its_version() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let first = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45.50", "8"]) }),
        )
        .await;
    app.clock.advance(TimeDelta::hours(1));
    let second = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["44", "8"]) }),
        )
        .await;
    assert_eq!(second["submitBid"]["id"], first["submitBid"]["id"]);
    assert_eq!(second["submitBid"]["version"], 2);
    assert_eq!(second["submitBid"]["totalPrice"], "44100.00");
    assert_ne!(
        second["submitBid"]["receipt"],
        first["submitBid"]["receipt"]
    );
    assert_eq!(app.count("bid").await, 1);
    assert_eq!(app.count("bid_line").await, 2);
    let full = app
        .ok(
            Some(&m.a),
            FULL_BID,
            json!({ "id": second["submitBid"]["id"] }),
        )
        .await;
    assert_eq!(
        recompute_receipt(&full["bid"]),
        second["submitBid"]["receipt"].as_str().unwrap()
    );
}

#[tokio::test]
async fn an_in_house_producer_bids_like_anyone_and_is_flagged() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let b = app
        .ok(
            Some(&m.in_house),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["41", "7"]) }),
        )
        .await;
    assert_eq!(b["submitBid"]["inHouse"], true);
    assert_eq!(b["submitBid"]["bidder"]["id"], m.in_house_org.as_str());
}

#[tokio::test]
async fn a_bid_must_fit_its_call_and_a_refused_one_writes_nothing() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let other = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let good = app.bid_input(&call, &["45.50", "8"]);
    let mut missing_line = good.clone();
    missing_line["lines"].as_array_mut().unwrap().pop();
    let mut foreign_line = good.clone();
    foreign_line["lines"][0]["callLineId"] = json!(other.line_ids[0]);
    let mut negative = good.clone();
    negative["lines"][1]["unitPrice"] = json!("-1");
    let mut precise = good.clone();
    precise["lines"][0]["unitPrice"] = json!("45.12345");
    let mut foreign_requirement = good.clone();
    foreign_requirement["capabilityResponses"][0]["requirementId"] =
        json!(other.requirement_ids[0]);
    let mut foreign_criterion = good.clone();
    foreign_criterion["qualityResponses"][0]["criterionId"] = json!(other.criterion_ids[0]);
    let mut over_cap = good.clone();
    over_cap["subcontractingShare"] = json!("0.31");
    let mut bad_equity = good.clone();
    bad_equity["equityRatio"] = json!("1.5");
    let mut bad_turnover = good.clone();
    bad_turnover["annualTurnover"] = json!("-5");
    for (input, field) in [
        (missing_line, "lines"),
        (foreign_line, "lines[0].callLineId"),
        (negative, "lines[1].unitPrice"),
        (precise, "lines[0].unitPrice"),
        (foreign_requirement, "capabilityResponses[0]"),
        (foreign_criterion, "qualityResponses[0]"),
        (over_cap, "subcontractingShare"),
        (bad_equity, "equityRatio"),
        (bad_turnover, "annualTurnover"),
    ] {
        let err = app
            .error(Some(&m.a), SUBMIT_BID, json!({ "i": input }))
            .await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    let mut bad_rating = good.clone();
    bad_rating["creditRating"] = json!("AAAA");
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, json!({ "i": bad_rating }))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.count("bid").await, 0);
    assert_eq!(app.count("bid_line").await, 0);
}

#[tokio::test]
async fn only_producers_bid_and_only_on_an_open_call() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let cancelled = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"no money\"){ id } }",
        json!({ "id": cancelled.id }),
    )
    .await;
    let input = |c| json!({ "i": app.bid_input(c, &["45", "8"]) });
    assert_eq!(
        app.code(None, SUBMIT_BID, input(&call)).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.orderer), SUBMIT_BID, input(&call)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.admin), SUBMIT_BID, input(&call)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, input(&draft)).await,
        "INVALID_STATE"
    );
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, input(&cancelled)).await,
        "INVALID_STATE"
    );
    let mut unknown = app.bid_input(&call, &["45", "8"]);
    unknown["callId"] = json!("00000000-0000-7000-8000-000000000000");
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, json!({ "i": unknown }))
            .await,
        "NOT_FOUND"
    );
    app.clock
        .set(call.submission_deadline - TimeDelta::microseconds(1));
    app.ok(Some(&m.a), SUBMIT_BID, input(&call)).await;
    app.clock.set(call.submission_deadline);
    assert_eq!(
        app.code(Some(&m.b), SUBMIT_BID, input(&call)).await,
        "DEADLINE_PASSED"
    );
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, input(&call)).await,
        "DEADLINE_PASSED",
        "no replacing after the deadline"
    );
    assert_eq!(app.count("bid").await, 1);
}

#[tokio::test]
async fn a_bid_is_withdrawn_before_the_deadline_and_may_be_submitted_again() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let c = json!({ "c": call.id });
    assert_eq!(
        app.code(Some(&m.a), WITHDRAW, c.clone()).await,
        "NOT_FOUND",
        "no bid to withdraw"
    );
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    assert_eq!(
        app.code(Some(&m.orderer), WITHDRAW, c.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(None, WITHDRAW, c.clone()).await, "UNAUTHENTICATED");
    let w = app.ok(Some(&m.a), WITHDRAW, c.clone()).await;
    assert_eq!(w["withdrawBid"]["status"], "WITHDRAWN");
    assert_eq!(
        app.code(Some(&m.a), WITHDRAW, c.clone()).await,
        "INVALID_STATE"
    );
    let mine = app
        .ok(
            Some(&m.a),
            "query($id:ID!){ call(id:$id){ myBid{ status } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(mine["call"]["myBid"]["status"], "WITHDRAWN");
    let again = app
        .ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["44", "8"]) }),
        )
        .await;
    assert_eq!(again["submitBid"]["status"], "SUBMITTED");
    assert_eq!(again["submitBid"]["version"], 2);
    app.clock.set(call.submission_deadline);
    assert_eq!(app.code(Some(&m.a), WITHDRAW, c).await, "DEADLINE_PASSED");
}

#[tokio::test]
async fn my_bids_lists_the_organisations_own_bids_newest_first_and_nobody_elses() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let first = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let second = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let q =
        "query($n:Int){ myBids(first:$n){ id status version totalPrice call{ id } bidder{ id } } }";
    for (call, prices) in [(&first, ["45.50", "8"]), (&second, ["40", "8"])] {
        app.ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(call, &prices) }),
        )
        .await;
        app.clock.advance(TimeDelta::seconds(1));
    }
    app.ok(
        Some(&m.b),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&first, &["50", "9"]) }),
    )
    .await;
    app.ok(Some(&m.a), WITHDRAW, json!({ "c": first.id })).await;

    let mine = app.ok(Some(&m.a), q, json!({})).await;
    let list = mine["myBids"].as_array().unwrap();
    assert_eq!(list.len(), 2, "A's two bids, not B's");
    assert_eq!(list[0]["call"]["id"], second.id.as_str(), "newest first");
    assert_eq!(
        list[1]["status"], "WITHDRAWN",
        "withdrawn bids are listed too"
    );
    assert!(list.iter().all(|b| b["bidder"]["id"] == m.a_org.as_str()));
    assert_eq!(
        app.ok(Some(&m.a), q, json!({ "n": 1 })).await["myBids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.code(Some(&m.a), q, json!({ "n": -1 })).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(app.code(Some(&m.orderer), q, json!({})).await, "FORBIDDEN");
    assert_eq!(app.code(None, q, json!({})).await, "UNAUTHENTICATED");
}
