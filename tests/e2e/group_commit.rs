//! Group commit (`service::work`): the process's writer runs queued mutations in savepoints of
//! one transaction and acknowledges them after its one commit. A failing mutation rolls back
//! alone and answers its own error; the others commit; times of receipt, the sealed log and
//! the main chain follow the order in which the units ran. (That a crash mid-batch loses
//! nothing acknowledged is shown with a killed process in `api/tests/group_commit_crash.rs`.)

use chrono::TimeDelta;
use kilpailutus_tests::{CallFixture, Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const ASK: &str = "mutation($c:ID!,$t:String!){ askQuestion(callId:$c,text:$t){ id } }";
/// A submission that asks for nothing the answer would have to read back.
const SUBMIT_SHORT: &str =
    "mutation($i:SubmitBidInput!){ submitBid(input:$i){ id version receipt } }";
const MY_BID: &str = "{ myBids { version receipt submittedAt totalPrice lines { unitPrice } } }";

/// Waits (in real time: tasks are queueing, the clock is not involved) until `n` units wait
/// for the writer.
async fn until_waiting(app: &TestApp, n: usize) {
    for _ in 0..2000 {
        if app.state.writer.waiting() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!(
        "only {} of {n} units queued for the writer",
        app.state.writer.waiting()
    );
}

/// Sends `query` as `token` from a task of its own and waits until it is the `n`th unit
/// waiting for the writer (the test holds the writer, so the queue's order is known).
async fn queue(
    app: &Arc<TestApp>,
    token: &str,
    query: &'static str,
    variables: Value,
    n: usize,
) -> tokio::task::JoinHandle<Value> {
    let (task_app, token) = (app.clone(), token.to_owned());
    let task = tokio::spawn(async move { task_app.gql(Some(&token), query, variables).await });
    until_waiting(app, n).await;
    task
}

/// An app with its market, one published call and `n` providers (their tokens), numbered from
/// `first`.
async fn call_with_providers(
    n: u32,
    first: u32,
) -> (Arc<TestApp>, Market, Arc<CallFixture>, Vec<String>) {
    let app = Arc::new(TestApp::new().await);
    let m = Market::new(&app).await;
    let call = Arc::new(
        app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
            .await,
    );
    let mut providers = Vec::new();
    for k in 0..n {
        providers.push(app.provider(first + k).await.1);
    }
    (app, m, call, providers)
}

/// The call's sealed log as its orderer reads it once opened.
async fn sealed_log(app: &TestApp, orderer: &str, call_id: &str) -> Vec<Value> {
    app.ok(
        Some(orderer),
        "query($c:ID!){ sealedLog(callId:$c, first: 100){ seq at action summary } }",
        json!({ "c": call_id }),
    )
    .await["sealedLog"]
        .as_array()
        .unwrap()
        .clone()
}

/// The whole audit chain verifies, with `sealed` events in the sealed logs.
async fn chain_verifies(app: &TestApp, admin: &str, sealed: usize) {
    let verified = app
        .ok(
            Some(admin),
            "{ verifyAuditChain { valid sealedEvents } }",
            json!({}),
        )
        .await;
    assert_eq!(
        verified["verifyAuditChain"],
        json!({ "valid": true, "sealedEvents": sealed })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_commits_its_units_in_the_order_they_ran_and_a_failing_one_rolls_back_alone() {
    let (app, m, call, providers) = call_with_providers(6, 700).await;
    // Everyone has a first bid; the batch replaces them.
    for token in &providers {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["50.00", "8"]) }),
        )
        .await;
    }
    let before: Vec<Value> = {
        let mut v = Vec::new();
        for token in &providers {
            v.push(app.ok(Some(token), MY_BID, json!({})).await["myBids"][0].clone());
        }
        v
    };
    // Every reading of the clock from now on is a millisecond later than the one before.
    app.clock.tick_on_read(TimeDelta::milliseconds(1));
    let (batches, units) = app.state.writer.committed();

    // The writer is held while eight mutations queue: six replacements (the fourth names a
    // document that does not exist, which the unit finds only after it has released the
    // earlier version's attachments) and two questions, which go to the main chain.
    let hold = app.state.writer.hold().await;
    let mut tasks = Vec::new();
    for (i, token) in providers.iter().enumerate() {
        let mut input = app.bid_input(&call, &[&format!("{}.25", 60 + i), "9"]);
        if i == 3 {
            input["documentIds"] = json!([uuid::Uuid::new_v4().to_string()]);
        }
        tasks.push(queue(&app, token, SUBMIT_BID, json!({ "i": input }), i + 1).await);
    }
    for (i, token) in providers.iter().take(2).enumerate() {
        let question = json!({ "c": call.id, "t": format!("Question {i} asked in the batch") });
        tasks.push(queue(&app, token, ASK, question, 7 + i).await);
    }
    drop(hold);
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.expect("task"));
    }

    // One batch: seven units committed in it; the failing one is not among them.
    let (batches_after, units_after) = app.state.writer.committed();
    assert_eq!(
        batches_after - batches,
        1,
        "the queued units ran as one batch"
    );
    assert_eq!(units_after - units, 7);
    for (i, a) in answers.iter().enumerate() {
        if i == 3 {
            assert_eq!(a["errors"][0]["extensions"]["code"], "NOT_FOUND", "{a}");
            assert!(
                a["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("documentIds[0]"),
                "{a}"
            );
        } else {
            assert!(a.get("errors").is_none(), "{a}");
        }
    }
    // The failed replacement left the earlier version as it was.
    let failed_now = app.ok(Some(&providers[3]), MY_BID, json!({})).await["myBids"][0].clone();
    assert_eq!(failed_now, before[3]);
    // The others are version 2, received in the order they queued.
    let mut received = Vec::new();
    for (i, token) in providers.iter().enumerate().filter(|(i, _)| *i != 3) {
        let now = app.ok(Some(token), MY_BID, json!({})).await["myBids"][0].clone();
        let acknowledged = &answers[i]["data"]["submitBid"];
        assert_eq!(now["version"], 2);
        assert_eq!(now["receipt"], acknowledged["receipt"]);
        assert_eq!(now["submittedAt"], acknowledged["submittedAt"]);
        received.push(now["submittedAt"].as_str().unwrap().to_owned());
    }
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    assert!(
        received.windows(2).all(|w| parse(&w[0]) < parse(&w[1])),
        "times of receipt follow the queue: {received:?}"
    );

    // The main chain holds the two questions in the order they ran, after everything before.
    let chain = app.audit_chain().await;
    assert_eq!(
        api::domain::audit::verify_chain(&chain).first_broken_seq,
        None
    );
    let asked: Vec<_> = chain
        .iter()
        .filter(|e| e.action == "question.ask")
        .collect();
    assert_eq!(asked.len(), 2);
    assert!(asked[0].seq < asked[1].seq && asked[0].at < asked[1].at);
    assert!(
        chain.windows(2).all(|w| w[0].at <= w[1].at),
        "the chain's times never go back"
    );

    // After the deadline, the sealed log shows every version in the order of receipt: the six
    // first bids, then the five replacements of the batch (the failed one left no event).
    app.clock.tick_on_read(TimeDelta::zero());
    app.clock.set(call.submission_deadline);
    let log = sealed_log(&app, &m.orderer, &call.id).await;
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..6], ["bid.submit"; 6]);
    assert_eq!(actions[6..], ["bid.replace"; 5]);
    let receipts_in_log: Vec<String> = log[6..]
        .iter()
        .map(|e| {
            let s: Value = match e["summary"].as_str() {
                Some(text) => serde_json::from_str(text).unwrap(),
                None => e["summary"].clone(),
            };
            s["receipt"].as_str().unwrap().to_owned()
        })
        .collect();
    let acknowledged: Vec<String> = answers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 6 && *i != 3)
        .map(|(_, a)| {
            a["data"]["submitBid"]["receipt"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(receipts_in_log, acknowledged);
    let at: HashMap<usize, String> = log
        .iter()
        .enumerate()
        .map(|(i, e)| (i, e["at"].as_str().unwrap().to_owned()))
        .collect();
    assert!((1..log.len()).all(|i| parse(&at[&(i - 1)]) <= parse(&at[&i])));
    chain_verifies(&app, &m.admin, 11).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_unit_whose_caller_went_away_rolls_back_and_the_batch_goes_on() {
    let (app, _m, call, providers) = call_with_providers(2, 720).await;
    let (a, b) = (providers[0].clone(), providers[1].clone());
    let (batches, units) = app.state.writer.committed();
    let hold = app.state.writer.hold().await;
    let input = |price| json!({ "i": app.bid_input(&call, &[price, "8"]) });
    let gone = queue(&app, &a, SUBMIT_BID, input("41.00"), 1).await;
    let stays = queue(&app, &b, SUBMIT_BID, input("42.00"), 2).await;
    // The first caller goes away while it waits: its unit never runs.
    gone.abort();
    drop(hold);
    let answer = stays.await.expect("task");
    assert!(answer.get("errors").is_none(), "{answer}");
    let (batches_after, units_after) = app.state.writer.committed();
    assert_eq!((batches_after - batches, units_after - units), (1, 1));
    assert_eq!(
        app.ok(Some(&a), MY_BID, json!({})).await["myBids"],
        json!([])
    );
    assert_eq!(
        app.ok(Some(&b), MY_BID, json!({})).await["myBids"][0]["version"],
        1
    );
}

/// Submissions without documents are buffered in the batch and stored together
/// (`service::bid_batch`): a batch of them costs a few statements whatever their number, a
/// bidder's second submission in the same batch replaces its first, a replacement gives the
/// earlier version's documents back, and a unit of another kind queued behind them reads
/// what they wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn buffered_submissions_are_stored_together_in_the_order_they_ran() {
    let (app, m, call, providers) = call_with_providers(12, 740).await;
    // Everyone has a first bid; the first provider's names a document.
    let doc =
        crate::documents::upload(&app, &providers[0], "Tarjous.pdf", crate::documents::PDF).await;
    for (i, token) in providers.iter().enumerate() {
        let mut input = app.bid_input(&call, &["50.00", "8"]);
        if i == 0 {
            input["documentIds"] = json!([doc["id"]]);
        }
        app.ok(Some(token), SUBMIT_BID, json!({ "i": input })).await;
    }
    app.clock.tick_on_read(TimeDelta::milliseconds(1));
    let (batches, units) = app.state.writer.committed();
    let statements = app.state.db.statement_count();

    // Held: every provider replaces its bid, then the second provider replaces it again.
    let hold = app.state.writer.hold().await;
    let mut tasks = Vec::new();
    let order: Vec<(usize, String)> = (0..12)
        .map(|i| (i, format!("{}.25", 60 + i)))
        .chain([(1, "99.75".to_owned())])
        .collect();
    for (n, (i, price)) in order.iter().enumerate() {
        let input = json!({ "i": app.bid_input(&call, &[price, "9"]) });
        tasks.push(queue(&app, &providers[*i], SUBMIT_SHORT, input, n + 1).await);
    }
    drop(hold);
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.expect("task"));
    }
    for a in &answers {
        assert!(a.get("errors").is_none(), "{a}");
    }
    let used = app.state.db.statement_count() - statements;
    let (batches_after, units_after) = app.state.writer.committed();
    assert_eq!((batches_after - batches, units_after - units), (1, 13));
    // Each submission reads the call and its bidder before it queues (two statements); the
    // batch then stores all thirteen in a fixed number of statements (twelve, with its
    // transaction and the chain's lock). One unit after another took about a dozen each.
    assert!(
        used <= 2 * 13 + 16,
        "{used} statements for 13 buffered submissions"
    );

    // The second provider's two submissions: versions 2 and 3, the stored bid is the last.
    let (second, third) = (
        &answers[1]["data"]["submitBid"],
        &answers[12]["data"]["submitBid"],
    );
    assert_eq!(
        (second["version"].clone(), third["version"].clone()),
        (json!(2), json!(3))
    );
    assert_ne!(second["receipt"], third["receipt"]);
    let now = app.ok(Some(&providers[1]), MY_BID, json!({})).await["myBids"][0].clone();
    assert_eq!(now["version"], 3);
    assert_eq!(now["receipt"], third["receipt"]);
    assert_eq!(now["lines"][0]["unitPrice"], "99.75");
    for (i, token) in providers.iter().enumerate().filter(|(i, _)| *i != 1) {
        let stored = app.ok(Some(token), MY_BID, json!({})).await["myBids"][0].clone();
        assert_eq!(stored["version"], 2, "provider {i}");
        assert_eq!(
            stored["receipt"],
            answers[i]["data"]["submitBid"]["receipt"]
        );
    }
    // The first provider's document went back to it with the replacement: the bid names none,
    // the receipt checks without it, and a new version may name the document again.
    let replaced = app
        .ok(
            Some(&providers[0]),
            crate::bids::FULL_BID,
            json!({ "id": answers[0]["data"]["submitBid"]["id"] }),
        )
        .await;
    assert_eq!(replaced["bid"]["documents"], json!([]));
    assert_eq!(
        crate::bids::recompute_receipt(&replaced["bid"]),
        answers[0]["data"]["submitBid"]["receipt"].as_str().unwrap()
    );
    let mut again = app.bid_input(&call, &["61.00", "9"]);
    again["documentIds"] = json!([doc["id"]]);
    let again = app
        .ok(Some(&providers[0]), SUBMIT_BID, json!({ "i": again }))
        .await;
    assert_eq!(again["submitBid"]["version"], 3);

    // A withdrawal queued behind a buffered replacement of the same bid reads it.
    let hold = app.state.writer.hold().await;
    let input = json!({ "i": app.bid_input(&call, &["70.00", "9"]) });
    let replace = queue(&app, &providers[2], SUBMIT_BID, input, 1).await;
    let withdraw = queue(
        &app,
        &providers[2],
        "mutation($c:ID!){ withdrawBid(callId:$c){ version status } }",
        json!({ "c": call.id }),
        2,
    )
    .await;
    drop(hold);
    let replaced = replace.await.expect("task");
    let withdrawn = withdraw.await.expect("task");
    assert_eq!(replaced["data"]["submitBid"]["version"], 3, "{replaced}");
    assert_eq!(
        withdrawn["data"]["withdrawBid"],
        json!({ "version": 3, "status": "WITHDRAWN" }),
        "{withdrawn}"
    );

    // After the deadline the sealed log holds every version in the order of receipt, and the
    // whole chain verifies.
    app.clock.tick_on_read(TimeDelta::zero());
    app.clock.set(call.submission_deadline);
    let log = sealed_log(&app, &m.orderer, &call.id).await;
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..12], ["bid.submit"; 12]);
    assert_eq!(actions[12..26], ["bid.replace"; 14]);
    assert_eq!(actions[26..], ["bid.replace", "bid.withdraw"]);
    chain_verifies(&app, &m.admin, 28).await;
}
