//! The seal's side paths (DESIGN "The seal's side paths, closed"): before the opening, the
//! number of bids and who bid cannot be inferred from audit sequence numbers or counts,
//! reminders, cancellation notices, the notification list or who asked a question. Each
//! test failed on the code before the sealed logs.

use chrono::TimeDelta;
use kilpailutus_tests::{Market, SUBMIT_BID, TestApp};
use serde_json::{Value, json};

const EVENTS: &str = "{ auditEvents(first: 500){ seq action entity entityId actor summary } }";
const VERIFY: &str = "{ verifyAuditChain { valid events firstBrokenSeq sealedEvents } }";
const SEALED_LOG: &str =
    "query($c:ID!){ sealedLog(callId:$c){ seq action entity entityId actor hash prevHash } }";
const NOTIFICATIONS: &str = "{ notifications(first: 200){ recipient event } }";
const SUBSCRIBE: &str = "mutation($c:String!){ subscribeToCategory(category:$c) }";

async fn events(app: &TestApp, token: &str) -> Vec<Value> {
    app.ok(Some(token), EVENTS, json!({})).await["auditEvents"]
        .as_array()
        .unwrap()
        .clone()
}

async fn notification_events(app: &TestApp, token: &str) -> Vec<String> {
    let mut e: Vec<String> = app.ok(Some(token), NOTIFICATIONS, json!({})).await["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["event"].as_str().unwrap().to_owned())
        .collect();
    e.sort();
    e
}

#[tokio::test]
async fn bids_leave_no_trace_in_the_main_chain_until_the_opening() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    // Mail of the call's publication is delivered first, so what follows is the bids only.
    app.mail_worker().deliver_due().await.unwrap();
    let before = events(&app, &m.admin).await;
    let verified_before = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    // Submit, replace, withdraw, submit again; the receipts are mailed.
    for (token, prices) in [
        (&m.a, ["45", "8"]),
        (&m.a, ["44", "8"]),
        (&m.b, ["47", "9"]),
    ] {
        app.ok(
            Some(token),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &prices) }),
        )
        .await;
    }
    app.ok(
        Some(&m.b),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": call.id }),
    )
    .await;
    assert_eq!(app.mail_worker().deliver_due().await.unwrap(), 4);
    // The admin and the orderer see exactly the same trail and count: no gap, no new event.
    assert_eq!(events(&app, &m.admin).await, before);
    assert_eq!(
        app.ok(Some(&m.admin), VERIFY, json!({})).await,
        verified_before
    );
    let seqs: Vec<i64> = before.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = (1..=seqs.len() as i64).rev().collect();
    assert_eq!(seqs, expected, "no gaps in the admin's sequence numbers");
    // Before the opening the sealed log reads empty to the orderer and the admin alike.
    for token in [&m.orderer, &m.admin] {
        assert_eq!(
            app.ok(Some(token), SEALED_LOG, json!({ "c": call.id }))
                .await["sealedLog"],
            json!([])
        );
    }
    assert_eq!(
        app.code(Some(&m.a), SEALED_LOG, json!({ "c": call.id }))
            .await,
        "FORBIDDEN"
    );
    // After the deadline: one anchor event, with no actor, at the deadline.
    app.clock
        .set(call.submission_deadline + TimeDelta::hours(1));
    let after = events(&app, &m.admin).await;
    assert_eq!(after.len(), before.len() + 1);
    let anchor = &after[0];
    assert_eq!(anchor["action"], "call.bids_opened");
    assert_eq!(anchor["entityId"], call.id.as_str());
    assert!(anchor["actor"].is_null());
    let log = app
        .ok(Some(&m.orderer), SEALED_LOG, json!({ "c": call.id }))
        .await;
    let log = log["sealedLog"].as_array().unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "bid.submit",
            "bid.replace",
            "bid.submit",
            "bid.withdraw",
            "notification.sent",
            "notification.sent",
            "notification.sent",
            "notification.sent"
        ]
    );
    assert_eq!(
        anchor["summary"],
        json!({ "callId": call.id, "count": 8, "headHash": log[7]["hash"] })
    );
    let v = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], true);
    assert_eq!(v["verifyAuditChain"]["sealedEvents"], 8);
    // Pages of the log.
    let page = app
        .ok(
            Some(&m.admin),
            "query($c:ID!){ sealedLog(callId:$c, first: 3, afterSeq: 2){ seq } }",
            json!({ "c": call.id }),
        )
        .await;
    assert_eq!(
        page["sealedLog"],
        json!([{ "seq": 3 }, { "seq": 4 }, { "seq": 5 }])
    );
}

#[tokio::test]
async fn the_anchor_is_the_same_whichever_path_opens_the_bids() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let by_read = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let by_tick = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    for call in [&by_read, &by_tick] {
        app.ok(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(call, &["45", "8"]) }),
        )
        .await;
    }
    app.clock
        .set(by_read.submission_deadline + TimeDelta::minutes(5));
    // A read opens one; the background tick the other.
    let read = app
        .ok(
            None,
            "query($id:ID!){ call(id:$id){ bidCount } }",
            json!({ "id": by_read.id }),
        )
        .await;
    assert_eq!(read["call"]["bidCount"], 1);
    app.clock.advance(TimeDelta::minutes(5));
    assert_eq!(api::service::seal::open_due(&app.state).await.unwrap(), 1);
    assert_eq!(api::service::seal::open_due(&app.state).await.unwrap(), 0);
    let chain = app.audit_chain().await;
    let anchors: Vec<_> = chain
        .iter()
        .filter(|e| e.action == "call.bids_opened")
        .collect();
    assert_eq!(anchors.len(), 2);
    for (a, call) in anchors.iter().zip([&by_read, &by_tick]) {
        assert_eq!(a.entity_id, call.id);
        assert_eq!(
            a.at, call.submission_deadline,
            "the anchor is dated at the deadline"
        );
        assert_eq!(a.actor, None);
        let s: Value = serde_json::from_str(&a.summary).unwrap();
        assert_eq!(s["count"], 1);
        assert_eq!(s["callId"], call.id.as_str());
    }
    // Both logs hold one event each (the same submission), so their anchors differ only by
    // the call and the log's head.
    let strip = |s: &str| {
        let mut v: Value = serde_json::from_str(s).unwrap();
        v["callId"] = json!(null);
        v["headHash"] = json!(null);
        v
    };
    assert_eq!(strip(&anchors[0].summary), strip(&anchors[1].summary));
    // A second read changes nothing.
    let n = chain.len();
    app.ok(
        Some(&m.orderer),
        "query($id:ID!){ call(id:$id){ bidCount bids{ id } evaluation{ results{ rank } } } }",
        json!({ "id": by_read.id }),
    )
    .await;
    assert_eq!(app.audit_chain().await.len(), n);
}

#[tokio::test]
async fn a_bid_after_the_opening_is_refused_even_if_the_clock_were_early() {
    // Opening takes the call's lock and reads the clock under it; a submission that gets
    // the lock afterwards finds the log anchored and is refused.
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.clock.set(call.submission_deadline);
    assert_eq!(api::service::seal::open_due(&app.state).await.unwrap(), 1);
    assert_eq!(
        app.code(
            Some(&m.a),
            SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45", "8"]) })
        )
        .await,
        "DEADLINE_PASSED"
    );
}

#[tokio::test]
async fn a_tampered_sealed_log_fails_verification_at_its_anchor() {
    let app = TestApp::new().await;
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
    app.clock.set(call.submission_deadline);
    let v = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], true);
    let anchor_seq = app
        .audit_chain()
        .await
        .iter()
        .find(|e| e.action == "call.bids_opened")
        .unwrap()
        .seq;
    // An event slipped into the log after the opening.
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db.conn();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE sealed_event SET summary = '{{}}' WHERE call_id = '{}'",
            call.id
        ),
    ))
    .await
    .unwrap();
    let v = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], false);
    assert_eq!(v["verifyAuditChain"]["firstBrokenSeq"], anchor_seq);
}

#[tokio::test]
async fn reminders_go_to_every_subscriber_whether_it_bid_or_not() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    for token in [&m.a, &m.b] {
        app.ok(Some(token), SUBSCRIBE, json!({ "c": "home care" }))
            .await;
    }
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    app.clock
        .set(call.submission_deadline - TimeDelta::hours(23));
    assert_eq!(
        api::service::notifications::write_deadline_reminders(&app.state)
            .await
            .unwrap(),
        2
    );
    for token in [&m.a, &m.b] {
        assert!(
            notification_events(&app, token)
                .await
                .contains(&"call.deadline_soon".to_owned())
        );
    }
    // The admin's list shows both reminders, and the orderer's trail counts two recipients.
    let admin = notification_events(&app, &m.admin).await;
    assert_eq!(
        admin.iter().filter(|e| *e == "call.deadline_soon").count(),
        2
    );
    let reminder = events(&app, &m.orderer)
        .await
        .into_iter()
        .find(|e| e["action"] == "call.deadline_reminder")
        .unwrap();
    assert_eq!(reminder["summary"], json!({ "recipients": 2 }));
}

#[tokio::test]
async fn a_call_cancelled_before_its_deadline_keeps_its_bidders_sealed_for_good() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    app.mail_worker().deliver_due().await.unwrap();
    app.ok(
        Some(&m.a),
        SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ cancelCall(id:$id,reason:\"No budget\"){ status } }",
        json!({ "id": call.id }),
    )
    .await;
    let trail = events(&app, &m.admin).await;
    assert_eq!(app.mail_worker().deliver_due().await.unwrap(), 2);
    // The bidder is told; nobody else sees the notice or its delivery.
    assert_eq!(
        notification_events(&app, &m.a).await,
        ["bid.submitted", "call.cancelled"]
    );
    assert!(
        !notification_events(&app, &m.admin)
            .await
            .contains(&"call.cancelled".to_owned())
    );
    assert_eq!(events(&app, &m.admin).await, trail, "deliveries are sealed");
    // Long after the deadline nothing opens.
    app.clock
        .set(call.submission_deadline + TimeDelta::days(30));
    assert_eq!(api::service::seal::open_due(&app.state).await.unwrap(), 0);
    assert_eq!(events(&app, &m.admin).await, trail);
    for token in [&m.admin, &m.orderer] {
        assert_eq!(
            app.ok(Some(token), SEALED_LOG, json!({ "c": call.id }))
                .await["sealedLog"],
            json!([])
        );
        let c = app
            .ok(
                Some(token),
                "query($id:ID!){ call(id:$id){ status bidCount bids{ id } } }",
                json!({ "id": call.id }),
            )
            .await;
        assert_eq!(c["call"]["status"], "CANCELLED");
        assert_eq!(c["call"]["bids"], json!([]));
    }
    let v = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], true);
    assert_eq!(v["verifyAuditChain"]["sealedEvents"], 0);
}

#[tokio::test]
async fn askers_are_visible_to_their_own_organisation_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let q = app
        .ok(
            Some(&m.b),
            "mutation($c:ID!){ askQuestion(callId:$c,text:\"Night shifts?\"){ id } }",
            json!({ "c": call.id }),
        )
        .await;
    let qid = q["askQuestion"]["id"].as_str().unwrap().to_owned();
    app.ok(
        Some(&m.orderer),
        "mutation($q:ID!){ answerQuestion(questionId:$q,answer:\"Yes\"){ id } }",
        json!({ "q": qid }),
    )
    .await;
    app.mail_worker().deliver_due().await.unwrap();
    let b_user = app.ok(Some(&m.b), "{ me { id email } }", json!({})).await;
    let (b_id, b_email) = (
        b_user["me"]["id"].as_str().unwrap().to_owned(),
        b_user["me"]["email"].as_str().unwrap().to_owned(),
    );
    for token in [&m.orderer, &m.admin] {
        let trail = events(&app, token).await;
        let asked = trail
            .iter()
            .find(|e| e["action"] == "question.ask")
            .unwrap();
        assert!(asked["actor"].is_null(), "{asked}");
        // From the question on (the admin's trail also holds the users' creation).
        let since: Vec<&Value> = trail
            .iter()
            .filter(|e| e["seq"].as_i64() >= asked["seq"].as_i64())
            .collect();
        assert!(
            since.len() >= 2,
            "ask and answer (and, for the admin, the delivery): {since:?}"
        );
        let text = serde_json::to_string(&since).unwrap();
        assert!(!text.contains(&b_id), "the asker's id is in the trail");
        assert!(
            !text.contains(&b_email),
            "the asker's address is in the trail"
        );
    }
    // The answer notice is the asker's alone.
    assert!(
        !notification_events(&app, &m.admin)
            .await
            .contains(&"question.answered".to_owned())
    );
    assert!(
        notification_events(&app, &m.b)
            .await
            .contains(&"question.answered".to_owned())
    );
}
