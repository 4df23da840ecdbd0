//! The deadline rush: many providers submit at once in the last seconds. No bid may be lost
//! or duplicated, and none may be taken in after the deadline.

use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::json;
use std::sync::Arc;

async fn providers(app: &Arc<TestApp>, from: u32, n: u32) -> Vec<(String, String)> {
    let tasks: Vec<_> = (from..from + n)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move { app.provider(i).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("registration task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_are_neither_lost_nor_duplicated() {
    let app = Arc::new(TestApp::new().await);
    let m = Market::new(&app).await;
    let call = Arc::new(
        app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
            .await,
    );
    let bidders = providers(&app, 100, 120).await;
    app.clock
        .set(call.submission_deadline - chrono::TimeDelta::seconds(2));
    let tasks: Vec<_> = bidders
        .iter()
        .enumerate()
        .map(|(i, (_, token))| {
            let (app, call, token) = (app.clone(), call.clone(), token.clone());
            tokio::spawn(async move {
                let price = format!("{}.{:02}", 40 + i % 10, i % 100);
                app.gql(
                    Some(&token),
                    SUBMIT_BID,
                    json!({ "i": app.bid_input(&call, &[&price, "8"]) }),
                )
                .await
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for t in tasks {
        let resp = t.await.expect("submission task");
        assert!(resp.get("errors").is_none(), "{resp}");
        acknowledged.push(
            resp["data"]["submitBid"]["bidder"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let stored = app.count("bid").await;
    let distinct = {
        let mut d = acknowledged.clone();
        d.sort();
        d.dedup();
        d.len()
    };
    println!(
        "deadline rush: submitted {}, acknowledged {}, stored {stored}, distinct bidders {distinct}",
        bidders.len(),
        acknowledged.len()
    );
    assert_eq!(acknowledged.len(), 120);
    assert_eq!(stored, 120);
    assert_eq!(distinct, 120);
    // The main chain did not move with any bid; the call's sealed log holds them all.
    let chain = app.audit_chain().await;
    assert_eq!(
        api::domain::audit::verify_chain(&chain).first_broken_seq,
        None
    );
    assert!(!chain.iter().any(|e| e.action.starts_with("bid.")));
    // After the deadline the orderer sees exactly those bids.
    app.clock.set(call.submission_deadline);
    let log = app
        .ok(
            Some(&m.orderer),
            "query($c:ID!){ sealedLog(callId:$c, first: 1000){ seq action } }",
            json!({ "c": call.id }),
        )
        .await;
    let log = log["sealedLog"].as_array().unwrap();
    assert_eq!(log.len(), 120);
    assert!(log.iter().all(|e| e["action"] == "bid.submit"));
    let verified = app
        .ok(
            Some(&m.admin),
            "{ verifyAuditChain { valid sealedEvents } }",
            json!({}),
        )
        .await;
    assert_eq!(
        verified["verifyAuditChain"],
        json!({ "valid": true, "sealedEvents": 120 })
    );
    let seen = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ bidCount bids{ id } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(seen["call"]["bidCount"], 120);
    assert_eq!(seen["call"]["bids"].as_array().unwrap().len(), 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_bid_is_taken_in_after_the_deadline_even_mid_rush() {
    let app = Arc::new(TestApp::new().await);
    let m = Market::new(&app).await;
    let call = Arc::new(
        app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
            .await,
    );
    let bidders = providers(&app, 300, 100).await;
    // The deadline falls while the rush is on: the clock is 1.4 s before it and moves 4 ms on
    // every reading, so it passes after 350 readings. Each submission reads it four times
    // (token, request, early check, final check under the call's lock): at most 300 readings
    // come before the first final check, which is in time; the last reading, the 400th, is not.
    app.clock
        .set(call.submission_deadline - chrono::TimeDelta::milliseconds(1400));
    app.clock.tick_on_read(chrono::TimeDelta::milliseconds(4));
    let tasks: Vec<_> = bidders
        .iter()
        .map(|(_, token)| {
            let (app, call, token) = (app.clone(), call.clone(), token.clone());
            tokio::spawn(async move {
                app.gql(
                    Some(&token),
                    SUBMIT_BID,
                    json!({ "i": app.bid_input(&call, &["45", "8"]) }),
                )
                .await
            })
        })
        .collect();
    let (mut acknowledged, mut refused) = (0, 0);
    for t in tasks {
        let resp = t.await.expect("submission task");
        match resp.get("errors") {
            None => {
                acknowledged += 1;
                let at: chrono::DateTime<chrono::Utc> = resp["data"]["submitBid"]["submittedAt"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(at < call.submission_deadline, "a bid was taken in at {at}");
            }
            Some(errors) => {
                refused += 1;
                assert_eq!(errors[0]["extensions"]["code"], "DEADLINE_PASSED", "{resp}");
            }
        }
    }
    let stored = app.count("bid").await;
    println!(
        "deadline falls mid-rush: submitted 100, acknowledged {acknowledged}, refused {refused}, stored {stored}"
    );
    assert!(
        acknowledged > 0 && refused > 0,
        "the deadline fell mid-rush"
    );
    assert_eq!(acknowledged + refused, 100);
    assert_eq!(stored, acknowledged as i64);
}
