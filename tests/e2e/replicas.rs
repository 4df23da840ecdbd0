//! Two replicas on one PostgreSQL database, as two `api` processes behind a load balancer
//! would run: each has its own connection pool, router, answer cache and mail worker. Load
//! split across both loses and duplicates nothing: a deadline rush through both stores every
//! acknowledged submission exactly once in one unbroken audit chain, a call racing to be
//! awarded through both is awarded once, and both mail workers together send every message
//! exactly once. (SQLite is one file for one process; this runs in the PostgreSQL pass.)

use api::domain::audit::verify_chain;
use kilpailutus_tests::smtp::SmtpServer;
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp, on_postgres};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

const PROVIDERS: u32 = 12;
const ROUNDS: usize = 3;
const JUDGE: &str = "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }";
const SCORE: &str =
    "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ totalScore } }";
const ASSIGN: &str =
    "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } } }";
const RESULTS: &str =
    "query($id:ID!){ call(id:$id){ evaluation{ results{ bid{ id } rank qualified } } } }";
const AWARD: &str = "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Best price-quality ratio\"){ decidedAt } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_share_a_rush_an_award_race_and_the_outbox_without_loss_or_duplicates() {
    if !on_postgres() {
        eprintln!("replicas share a PostgreSQL database: run by the PostgreSQL pass of .ci/run");
        return;
    }
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let a = Arc::new(TestApp::with_config(move |c| c.smtp_url = Some(url)).await);
    let b = Arc::new(a.replica().await);
    let replicas = [a.clone(), b.clone()];
    let m = Market::new(&a).await;
    let call = Arc::new(
        a.make_call(&m.orderer, a.call_input(&m.product_refs()), true)
            .await,
    );
    let mut providers = Vec::new();
    for n in 0..PROVIDERS {
        providers.push(replicas[n as usize % 2].provider(500 + n).await.1);
    }

    // The rush: every provider submits ROUNDS times through each replica, all at once.
    let mut rush = JoinSet::new();
    for (p, token) in providers.iter().enumerate() {
        for round in 0..ROUNDS {
            for app in &replicas {
                let (app, call, token) = (app.clone(), call.clone(), token.clone());
                let price = format!("{}.{:02}", 40 + p, round * 10 + 1);
                rush.spawn(async move {
                    let input = app.bid_input(&call, &[&price, "8"]);
                    app.gql(Some(&token), SUBMIT_BID, json!({ "i": input }))
                        .await
                });
            }
        }
    }
    let mut acknowledged = 0;
    while let Some(r) = rush.join_next().await {
        let r: Value = r.expect("task");
        assert!(r.get("errors").is_none(), "a submission failed: {r}");
        acknowledged += 1;
    }
    let expected = PROVIDERS as usize * ROUNDS * 2;
    assert_eq!(acknowledged, expected);
    let bids = entity::bid::Entity::find()
        .filter(entity::bid::Column::CallId.eq(call.id.as_str()))
        .all(b.state.db.conn())
        .await
        .expect("bids");
    assert_eq!(bids.len(), PROVIDERS as usize, "one bid per provider");
    assert!(
        bids.iter().all(|bid| bid.version == (ROUNDS * 2) as i32),
        "every acknowledged submission counted once: {:?}",
        bids.iter().map(|b| b.version).collect::<Vec<_>>()
    );
    let chain = a.audit_chain().await;
    assert_eq!(verify_chain(&chain).first_broken_seq, None);
    assert!(
        !chain.iter().any(|e| e.action.starts_with("bid.")),
        "bids never touch the main chain"
    );

    // Evaluation, then both replicas race to award the winner, three times each.
    a.clock
        .set(call.submission_deadline + chrono::TimeDelta::minutes(1));
    // The call's sealed log, opened by whichever replica reads first, holds one event per
    // submission, unbroken.
    let log = b
        .ok(
            Some(&m.orderer),
            "query($c:ID!){ sealedLog(callId:$c, first: 1000){ action } }",
            json!({ "c": call.id }),
        )
        .await;
    let bid_events = log["sealedLog"]
        .as_array()
        .expect("sealed log")
        .iter()
        .filter(|e| e["action"] == "bid.submit" || e["action"] == "bid.replace")
        .count();
    assert_eq!(bid_events, expected, "one sealed event per submission");
    a.ok(
        Some(&m.orderer),
        ASSIGN,
        json!({ "c": call.id, "u": m.orderer_user }),
    )
    .await;
    for (i, bid) in bids.iter().enumerate() {
        let app = &replicas[i % 2];
        let j = json!([{ "requirementId": call.requirement_ids[0], "met": true }]);
        app.ok(Some(&m.orderer), JUDGE, json!({ "b": bid.id, "j": j }))
            .await;
        let s: Vec<Value> = call
            .criterion_ids
            .iter()
            .map(|c| json!({ "criterionId": c, "points": 3 }))
            .collect();
        app.ok(Some(&m.orderer), SCORE, json!({ "b": bid.id, "s": s }))
            .await;
    }
    let results = b
        .ok(Some(&m.orderer), RESULTS, json!({ "id": call.id }))
        .await;
    let winner = results["call"]["evaluation"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["rank"] == 1)
        .expect("a first-ranked bid")["bid"]["id"]
        .as_str()
        .expect("bid id")
        .to_owned();
    let mut race = JoinSet::new();
    for _ in 0..3 {
        for app in &replicas {
            let (app, token, call_id, winner) = (
                app.clone(),
                m.orderer.clone(),
                call.id.clone(),
                winner.clone(),
            );
            race.spawn(async move {
                app.gql(Some(&token), AWARD, json!({ "c": call_id, "b": winner }))
                    .await
            });
        }
    }
    let mut awarded = 0;
    while let Some(r) = race.join_next().await {
        let r = r.expect("task");
        match r.get("errors") {
            None => awarded += 1,
            Some(e) => assert_eq!(e[0]["extensions"]["code"], "INVALID_STATE", "{r}"),
        }
    }
    assert_eq!(awarded, 1, "exactly one award succeeds");
    assert_eq!(a.count("award_decision").await, 1);

    // Both mail workers drain the one outbox at the same time.
    let mut workers = JoinSet::new();
    for app in &replicas {
        let worker = app.mail_worker();
        workers.spawn(async move {
            let mut idle = 0;
            while idle < 3 {
                match worker.deliver_due().await.expect("delivery round") {
                    0 => {
                        idle += 1;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    _ => idle = 0,
                }
            }
        });
    }
    while let Some(r) = workers.join_next().await {
        r.expect("worker");
    }
    let outbox = entity::notification::Entity::find()
        .all(a.state.db.conn())
        .await
        .expect("outbox");
    assert!(
        outbox.len() > expected,
        "receipts and award notices were queued"
    );
    assert!(
        outbox.iter().all(|n| n.status.as_str() == "SENT"),
        "all sent"
    );
    let received = smtp.wait_for(outbox.len(), Duration::from_secs(10)).await;
    assert_eq!(received.len(), outbox.len(), "each message sent once");
    let ids: HashSet<String> = received
        .iter()
        .filter_map(|r| r.header("Message-ID"))
        .collect();
    let expected_ids: HashSet<String> = outbox
        .iter()
        .map(|n| format!("<{}>", n.message_id))
        .collect();
    assert_eq!(ids, expected_ids, "no message twice, none missing");
    smtp.stop();
}
