//! Notifications: every event queues mail for the right people in the transaction of its
//! change; a failed change queues nothing; the seal covers bid receipts; the worker delivers
//! over real SMTP (a server on 127.0.0.1), retries after the server was down, gives up after
//! the limit, never sends twice with two workers, and writes `.eml` files by default.

use chrono::TimeDelta;
use kilpailutus_tests::smtp::SmtpServer;
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const NOTIFICATIONS: &str =
    "{ notifications(first: 100) { recipient subject event status attempts body } }";
const SUBSCRIBE: &str = "mutation($c:String!){ subscribeToCategory(category:$c) }";

async fn events_of(app: &TestApp, token: &str) -> Vec<String> {
    let n = app.ok(Some(token), NOTIFICATIONS, json!({})).await;
    let mut e: Vec<String> = n["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["event"].as_str().unwrap().to_owned())
        .collect();
    e.sort();
    e
}

async fn count(app: &TestApp, status: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::notification::Entity::find()
        .filter(entity::notification::Column::Status.eq(status))
        .count(app.state.db.conn())
        .await
        .unwrap() as i64
}

#[tokio::test]
async fn every_event_tells_the_right_people() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    // B follows home care; A follows nothing.
    assert_eq!(
        app.ok(Some(&m.b), SUBSCRIBE, json!({ "c": "home care" }))
            .await["subscribeToCategory"],
        json!(["home care"])
    );
    assert_eq!(
        app.code(Some(&m.orderer), SUBSCRIBE, json!({ "c": "home care" }))
            .await,
        "FORBIDDEN"
    );
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    assert_eq!(events_of(&app, &m.b).await, ["call.published"]);
    // Receipts for submit, replace and withdraw go to the submitting user.
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["44", "8"]) }),
    )
    .await;
    app.ok(
        Some(&m.in_house),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["41", "7"]) }),
    )
    .await;
    app.ok(
        Some(&m.in_house),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": call.id }),
    )
    .await;
    app.ok(
        Some(&m.in_house),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["42", "7"]) }),
    )
    .await;
    assert_eq!(
        events_of(&app, &m.a).await,
        ["bid.replaced", "bid.submitted"]
    );
    assert_eq!(
        events_of(&app, &m.in_house).await,
        ["bid.replaced", "bid.submitted", "bid.withdrawn"]
    );
    let receipts = app.ok(Some(&m.a), NOTIFICATIONS, json!({})).await;
    let body = receipts["notifications"][0]["body"].as_str().unwrap();
    let mine = app
        .ok(
            Some(&m.a),
            "query($id:ID!){ call(id:$id){ myBid{ receipt } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert!(
        body.contains(mine["call"]["myBid"]["receipt"].as_str().unwrap()),
        "the receipt is in the mail: {body}"
    );
    // The answer goes to the asker.
    let q = app
        .ok(
            Some(&m.b),
            "mutation($c:ID!){ askQuestion(callId:$c,text:\"Night shifts?\"){ id } }",
            json!({ "c": call.id }),
        )
        .await;
    app.ok(
        Some(&m.orderer),
        "mutation($q:ID!){ answerQuestion(questionId:$q,answer:\"Yes\"){ id } }",
        json!({ "q": q["askQuestion"]["id"] }),
    )
    .await;
    assert_eq!(
        events_of(&app, &m.b).await,
        ["call.published", "question.answered"]
    );
    // 24 hours before the deadline: subscribed providers who have not bid (B) are reminded.
    app.clock
        .set(call.submission_deadline - TimeDelta::hours(23));
    assert_eq!(
        api::service::notifications::write_deadline_reminders(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        api::service::notifications::write_deadline_reminders(&app.state)
            .await
            .unwrap(),
        0,
        "once per call"
    );
    assert_eq!(
        events_of(&app, &m.b).await,
        ["call.deadline_soon", "call.published", "question.answered"]
    );
    // The award decision goes to every bidder, with the bidder's rank.
    app.clock.set(call.submission_deadline);
    let bids = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ bids{ id bidder{ id } } } }",
            json!({ "id": call.id }),
        )
        .await;
    for b in bids["call"]["bids"].as_array().unwrap() {
        app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": b["id"], "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    }
    let winner = bids["call"]["bids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bidder"]["id"] == m.in_house_org.as_str())
        .unwrap()["id"]
        .clone();
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Lowest price\"){ decidedAt } }", json!({ "c": call.id, "b": winner })).await;
    assert!(
        events_of(&app, &m.a)
            .await
            .contains(&"call.awarded".to_owned())
    );
    let award_mail = app.ok(Some(&m.a), NOTIFICATIONS, json!({})).await["notifications"][0].clone();
    assert_eq!(award_mail["event"], "call.awarded");
    assert!(
        award_mail["body"]
            .as_str()
            .unwrap()
            .contains("Your bid qualified and ranked 2"),
        "{award_mail}"
    );
    assert!(
        events_of(&app, &m.in_house)
            .await
            .contains(&"call.awarded".to_owned())
    );
    assert!(
        !events_of(&app, &m.b)
            .await
            .contains(&"call.awarded".to_owned()),
        "B did not bid"
    );
    // Contract activated: the producer. Deviation: the orderer.
    let cid = app.contract_after_standstill(&m.orderer, &call.id).await;
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"1000000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.sign_both(&cid, &m.orderer, &m.in_house).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": cid }),
    )
    .await;
    assert!(
        events_of(&app, &m.in_house)
            .await
            .contains(&"contract.activated".to_owned())
    );
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2027-02-03T10:00:00Z")
            .unwrap()
            .into(),
    );
    let report = json!({ "i": { "contractId": cid, "period": "2027-01", "lines": [{ "productId": m.products[0], "quantity": "1", "cost": "1" }], "feedbackCount": 0, "qualityMeasurements": [] } });
    app.ok(
        Some(&m.in_house),
        "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }",
        report,
    )
    .await;
    // The orderer also heard of B's question (without who asked: tests/questions_followup.rs).
    assert_eq!(
        events_of(&app, &m.orderer).await,
        ["contract.deviation", "contract.signed", "question.asked"]
    );
}

#[tokio::test]
async fn cancellation_and_unsuccessful_calls_tell_every_bidder() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let cancelled = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let failed = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for c in [&cancelled, &failed] {
        app.ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(c, &["45", "8"]) }),
        )
        .await;
    }
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"No budget\"){ id } }",
        json!({ "id": cancelled.id }),
    )
    .await;
    app.clock.set(failed.submission_deadline);
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"Too expensive\"){ id } }",
        json!({ "c": failed.id }),
    )
    .await;
    assert_eq!(
        events_of(&app, &m.a).await,
        [
            "bid.submitted",
            "bid.submitted",
            "call.cancelled",
            "call.unsuccessful"
        ]
    );
    assert!(events_of(&app, &m.b).await.is_empty());
}

#[tokio::test]
async fn a_failed_change_leaves_no_notification() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mut bad = app.bid_input(&call, &["45", "8"]);
    bad["subcontractingShare"] = json!("0.9");
    assert_eq!(
        app.code(Some(&m.a), SUBMIT_BID, json!({ "i": bad })).await,
        "BAD_USER_INPUT"
    );
    let d = app.ok(Some(&m.orderer), "mutation($i:DirectContractInput!){ createDirectContract(input:$i){ id } }", json!({ "i": {
        "producerId": m.in_house_org, "pricingModel": "UNIT_PRICE", "startDate": "2027-01-01", "endDate": "2027-12-31",
        "lines": [{ "productId": m.products[0], "quantity": "1", "unitPrice": "1" }] } })).await;
    let id = d["createDirectContract"]["id"].as_str().unwrap();
    app.sign_both(id, &m.orderer, &m.in_house).await;
    let signed = app.count("notification").await;
    assert_eq!(
        app.code(
            Some(&m.orderer),
            "mutation($id:ID!){ activateContract(id:$id){ id } }",
            json!({ "id": id })
        )
        .await,
        "BUDGET_EXCEEDED"
    );
    assert_eq!(app.count("notification").await, signed);
}

#[tokio::test]
async fn bid_receipts_are_the_bidders_alone_for_good() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    app.ok(Some(&m.b), SUBSCRIBE, json!({ "c": "home care" }))
        .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    assert_eq!(
        events_of(&app, &m.admin).await,
        ["call.published"],
        "the admin does not see the receipt"
    );
    assert!(events_of(&app, &m.orderer).await.is_empty());
    assert_eq!(events_of(&app, &m.b).await, ["call.published"]);
    assert_eq!(events_of(&app, &m.a).await, ["bid.submitted"]);
    assert_eq!(
        app.code(None, NOTIFICATIONS, json!({})).await,
        "UNAUTHENTICATED"
    );
    app.clock.set(call.submission_deadline);
    assert_eq!(events_of(&app, &m.admin).await, ["call.published"]);
    assert_eq!(events_of(&app, &m.a).await, ["bid.submitted"]);
}

async fn app_with_smtp(server: &SmtpServer) -> TestApp {
    let url = server.url();
    TestApp::with_config(move |c| c.smtp_url = Some(url)).await
}

#[tokio::test]
async fn the_worker_delivers_over_smtp_promptly() {
    let server = SmtpServer::start().await;
    let app = app_with_smtp(&server).await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let (handle, stop) = api::start_mail_worker(&app.state).unwrap();
    let mut waits = Vec::new();
    for (i, token) in [&m.a, &m.b, &m.in_house].iter().enumerate() {
        let t = Instant::now();
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45", "8"]) }),
        )
        .await;
        server.wait_for(i + 1, Duration::from_secs(10)).await;
        waits.push(t.elapsed());
    }
    let got = server.messages();
    println!("outbox to SMTP server, per message (commit → received): {waits:?}");
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|m| m.header("Subject").unwrap().starts_with("Bid received"))
    );
    assert!(
        got[0]
            .header("Message-ID")
            .unwrap()
            .ends_with("@kilpailutus>")
    );
    assert!(
        waits.iter().all(|w| *w < Duration::from_secs(2)),
        "{waits:?}"
    );
    let _ = stop.send(true);
    handle.await.unwrap();
    assert_eq!(count(&app, "SENT").await, 3);
}

#[tokio::test]
async fn a_failed_delivery_is_retried_after_the_server_comes_back_and_sent_once() {
    let probe = SmtpServer::start().await;
    let addr = probe.addr;
    let url = probe.url();
    probe.stop();
    let app = TestApp::with_config(move |c| c.smtp_url = Some(url)).await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    let w = app.mail_worker();
    assert_eq!(w.deliver_due().await.unwrap(), 1);
    let n = app.ok(Some(&m.a), NOTIFICATIONS, json!({})).await["notifications"][0].clone();
    assert_eq!(
        (n["status"].as_str(), n["attempts"].as_i64()),
        (Some("PENDING"), Some(1))
    );
    assert_eq!(
        w.deliver_due().await.unwrap(),
        0,
        "not due before the backoff"
    );
    let server = SmtpServer::start_on(addr).await;
    app.clock.advance(TimeDelta::seconds(2));
    assert_eq!(w.deliver_due().await.unwrap(), 1);
    assert_eq!(w.deliver_due().await.unwrap(), 0);
    assert_eq!(server.messages().len(), 1);
    let n = app.ok(Some(&m.a), NOTIFICATIONS, json!({})).await["notifications"][0].clone();
    assert_eq!(
        (n["status"].as_str(), n["attempts"].as_i64()),
        (Some("SENT"), Some(2))
    );
}

#[tokio::test]
async fn delivery_gives_up_after_the_limit_with_the_error_kept() {
    let probe = SmtpServer::start().await;
    let url = probe.url();
    probe.stop();
    let app = TestApp::with_config(move |c| c.smtp_url = Some(url)).await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    let w = app.mail_worker();
    for _ in 0..api::service::delivery::MAX_ATTEMPTS {
        assert_eq!(w.deliver_due().await.unwrap(), 1);
        app.clock.advance(TimeDelta::minutes(11));
    }
    assert_eq!(w.deliver_due().await.unwrap(), 0);
    assert_eq!(count(&app, "FAILED").await, 1);
    use sea_orm::EntityTrait;
    let row = entity::notification::Entity::find()
        .all(app.state.db.conn())
        .await
        .unwrap()
        .remove(0);
    assert_eq!(row.attempts, api::service::delivery::MAX_ATTEMPTS);
    assert!(row.last_error.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_never_send_a_message_twice() {
    let server = SmtpServer::start().await;
    let app = std::sync::Arc::new(app_with_smtp(&server).await);
    let m = Market::new(&app).await;
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"1000000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    // 30 providers subscribed to the category: publishing queues 30 mails at once.
    let mut tokens = Vec::new();
    for i in 0..30 {
        tokens.push(app.provider(500 + i).await.1);
    }
    for t in &tokens {
        app.ok(Some(t), SUBSCRIBE, json!({ "c": "home care" }))
            .await;
    }
    app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let (h1, s1) = api::start_mail_worker(&app.state).unwrap();
    let (h2, s2) = api::start_mail_worker(&app.state).unwrap();
    let got = server.wait_for(30, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = (s1.send(true), s2.send(true));
    let _ = (h1.await, h2.await);
    let got = if got.len() < server.messages().len() {
        server.messages()
    } else {
        got
    };
    let mut ids: Vec<String> = got
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(got.len(), 30, "exactly one message each");
    assert_eq!(ids.len(), 30);
    assert_eq!(count(&app, "SENT").await, 30);
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_eml_files() {
    let app = TestApp::new().await;
    assert!(app.state.config.smtp_url.is_none());
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    assert_eq!(app.mail_worker().deliver_due().await.unwrap(), 1);
    let dir = &app.state.config.mail_dir;
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("Subject: Bid received: Kotihoito"), "{text}");
    assert_eq!(count(&app, "SENT").await, 1);
    let _ = std::fs::remove_dir_all(dir);
    let _: Value = json!(null);
}

/// The awarded bidder is told it won whatever its rank; the others their rank and scores,
/// the disqualified their reasons; every mail has the justification and the standstill end.
#[tokio::test]
async fn the_award_mail_tells_the_awarded_bidder_it_won_even_below_rank_one() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    // A is cheapest (rank 1), B dearer (rank 2), the in-house producer does not qualify.
    let mut bid_of = std::collections::HashMap::new();
    for (token, price) in [(&m.a, "40"), (&m.b, "48")] {
        let b = app
            .ok(
                Some(token),
                SUBMIT_BID,
                json!({ "i": app.bid_input(&call, &[price, "8"]) }),
            )
            .await;
        bid_of.insert(
            token.clone(),
            b["submitBid"]["id"].as_str().unwrap().to_owned(),
        );
    }
    let mut weak = app.bid_input(&call, &["30", "8"]);
    weak["equityRatio"] = json!("0.1");
    app.ok(Some(&m.in_house), SUBMIT_BID, json!({ "i": weak }))
        .await;
    app.clock.set(call.submission_deadline);
    for token in [&m.a, &m.b] {
        app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": bid_of[token], "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    }
    let award = app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Better continuity of care\"){ standstillEndsAt ranking{ rank bidder{ id } } } }", json!({ "c": call.id, "b": bid_of[&m.b] })).await;
    assert_eq!(
        award["awardCall"]["ranking"][1]["bidder"]["id"],
        m.b_org.as_str()
    );
    let mail_of = |token: &String| {
        let (app, token) = (&app, token.clone());
        async move {
            let n = app.ok(Some(&token), NOTIFICATIONS, json!({})).await;
            n["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["event"] == "call.awarded")
                .map(|x| x["body"].as_str().unwrap().to_owned())
                .expect("an award mail")
        }
    };
    let won = mail_of(&m.b).await;
    assert!(won.contains("Your bid was awarded the contract."), "{won}");
    assert!(won.contains("It ranked 2"), "{won}");
    let first = mail_of(&m.a).await;
    assert!(
        !first.contains("Your bid was awarded the contract."),
        "{first}"
    );
    assert!(
        first.contains("ranked 1") && first.contains("awarded to another bid"),
        "{first}"
    );
    let out = mail_of(&m.in_house).await;
    assert!(!out.contains("Your bid was awarded the contract."), "{out}");
    assert!(
        out.contains("did not qualify") && out.contains("equity ratio"),
        "{out}"
    );
    for body in [&won, &first, &out] {
        assert!(
            body.contains("Justification: Better continuity of care"),
            "{body}"
        );
        assert!(body.contains("The standstill period ends at"), "{body}");
        assert!(body.contains("Market Court"), "{body}");
    }
}
