//! The audit chain from the first mutation: every mutation appends one linked event in its
//! own transaction, a failed one appends nothing, and concurrent writers keep one chain.

use api::domain::audit::verify_chain;
use kilpailutus_tests::TestApp;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn each_mutation_appends_one_linked_event() {
    let app = TestApp::new().await;
    let bootstrap = app.audit_chain().await;
    assert_eq!(
        bootstrap
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["organization.create", "user.create"]
    );
    assert_eq!(bootstrap[0].prev_hash, "0".repeat(64));
    let admin = app.admin().await;
    let (orderer_org, orderer_user, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let (house, _, in_house) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let p = app.product(&admin, "KH-1", "home care").await;
    app.ok(Some(&admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"10\"){ amount } }", json!({ "o": orderer_org })).await;
    app.ok(Some(&admin), "mutation($o:ID!,$r:ID!){ recordGrant(ordererId:$o,recipientId:$r,fiscalYear:2027,amount:\"5\"){ id } }", json!({ "o": orderer_org, "r": house })).await;
    app.ok(Some(&in_house), "mutation($p:ID!){ saveCostCalculation(input:{productId:$p,fiscalYear:2027,volume:\"1\",directCosts:\"1\",overheadRate:\"0\"}){ id } }", json!({ "p": p })).await;
    app.ok(
        Some(&orderer),
        "mutation($o:ID!){ declareTie(organizationId:$o){ id } }",
        json!({ "o": house }),
    )
    .await;
    let chain = app.audit_chain().await;
    let actions: Vec<_> = chain.iter().skip(2).map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "organization.create",
            "user.create",
            "organization.create",
            "user.create",
            "product.create",
            "appropriation.set",
            "grant.record",
            "cost_calculation.save",
            "user.declare_tie",
        ]
    );
    assert_eq!(verify_chain(&chain).first_broken_seq, None);
    let tie = chain.last().unwrap();
    assert_eq!(tie.actor.as_deref(), Some(orderer_user.as_str()));
    assert_eq!(tie.entity, "user");
    assert!(
        !chain.iter().any(|e| e.summary.contains("argon2")),
        "no password hash is ever logged"
    );
}

#[tokio::test]
async fn a_failed_mutation_appends_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    app.product(&admin, "KH-1", "home care").await;
    let before = app.audit_chain().await;
    let q = "mutation{ createProduct(input:{code:\"KH-1\",name:\"n\",unit:\"u\",category:\"c\"}){ id } }";
    assert_eq!(app.code(Some(&admin), q, json!({})).await, "CONFLICT");
    assert_eq!(app.audit_chain().await, before);
}

#[tokio::test]
async fn tampering_with_a_stored_event_breaks_the_chain() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for code in ["A", "B", "C"] {
        app.product(&admin, code, "c").await;
    }
    assert_eq!(
        verify_chain(&app.audit_chain().await).first_broken_seq,
        None
    );
    let db = app.state.db.conn();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE audit_event SET summary = '{\"code\":\"forged\"}' WHERE seq = 4",
    ))
    .await
    .unwrap();
    assert_eq!(
        verify_chain(&app.audit_chain().await).first_broken_seq,
        Some(4)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_mutations_keep_one_unbroken_chain() {
    let app = Arc::new(TestApp::new().await);
    let admin = Arc::new(app.admin().await);
    let writers = 32;
    let mut tasks = Vec::new();
    for i in 0..writers {
        let (app, admin) = (app.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            app.ok(
                Some(&admin),
                "mutation($c:String!){ createProduct(input:{code:$c,name:\"n\",unit:\"u\",category:\"c\"}){ id } }",
                json!({ "c": format!("P-{i}") }),
            )
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let chain = app.audit_chain().await;
    assert_eq!(chain.len(), 2 + writers);
    let seqs: Vec<i64> = chain.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=(2 + writers as i64)).collect::<Vec<_>>(),
        "no gap, no duplicate"
    );
    assert_eq!(verify_chain(&chain).first_broken_seq, None, "no fork");
    assert_eq!(app.count("product").await, writers as i64);
}

const EVENTS: &str = "query($e:String,$i:String,$n:Int){ auditEvents(entity:$e,entityId:$i,first:$n){ seq action entity entityId actor hash prevHash } }";
const VERIFY: &str = "{ verifyAuditChain { valid events firstBrokenSeq } }";

async fn exec(app: &TestApp, sql: &str) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db.conn();
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn audit_events_are_for_admins_and_the_orderer_and_hide_sealed_bids() {
    let app = TestApp::new().await;
    let m = kilpailutus_tests::Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let other_call = app
        .make_call(&m.other_orderer, app.call_input(&m.product_refs()), true)
        .await;
    let bid = app
        .ok(
            Some(&m.a),
            kilpailutus_tests::SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45", "8"]) }),
        )
        .await;
    let bid_id = bid["submitBid"]["id"].as_str().unwrap().to_owned();
    let actions = |v: &serde_json::Value| {
        v["auditEvents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    // Before the deadline the bid's events are hidden from everyone, the admin included.
    for token in [&m.admin, &m.orderer] {
        let all = app.ok(Some(token), EVENTS, json!({ "n": 500 })).await;
        assert!(
            !actions(&all).iter().any(|a| a.starts_with("bid.")),
            "{all}"
        );
        let by_id = app
            .ok(Some(token), EVENTS, json!({ "e": "bid", "i": bid_id }))
            .await;
        assert!(by_id["auditEvents"].as_array().unwrap().is_empty());
    }
    // The orderer sees its own organisation's events only; newest first.
    let own = app
        .ok(Some(&m.orderer), EVENTS, json!({ "e": "call" }))
        .await;
    let ids: Vec<&str> = own["auditEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entityId"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|i| *i == call.id), "{own}");
    assert_eq!(actions(&own), ["call.publish", "call.create"]);
    let theirs = app
        .ok(
            Some(&m.orderer),
            EVENTS,
            json!({ "e": "call", "i": other_call.id }),
        )
        .await;
    assert!(theirs["auditEvents"].as_array().unwrap().is_empty());
    let admin = app
        .ok(
            Some(&m.admin),
            EVENTS,
            json!({ "e": "call", "i": other_call.id }),
        )
        .await;
    assert_eq!(actions(&admin), ["call.publish", "call.create"]);
    assert_eq!(app.code(Some(&m.a), EVENTS, json!({})).await, "FORBIDDEN");
    assert_eq!(app.code(None, EVENTS, json!({})).await, "UNAUTHENTICATED");
    // After the deadline the call's sealed log is anchored in the main chain, and the bid's
    // events are read from the sealed log.
    app.clock.set(call.submission_deadline);
    let by_call = app
        .ok(
            Some(&m.orderer),
            EVENTS,
            json!({ "e": "call", "i": call.id }),
        )
        .await;
    assert_eq!(
        actions(&by_call),
        ["call.bids_opened", "call.publish", "call.create"]
    );
    let log = app
        .ok(
            Some(&m.orderer),
            "query($c:ID!){ sealedLog(callId:$c){ seq action entity entityId actor } }",
            json!({ "c": call.id }),
        )
        .await;
    let log = log["sealedLog"].as_array().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (&log[0]["seq"], &log[0]["action"], &log[0]["entityId"]),
        (&json!(1), &json!("bid.submit"), &json!(bid_id))
    );
    assert!(log[0]["actor"].is_string());
    let v = app.ok(Some(&m.admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], true);
}

#[tokio::test]
async fn every_capability_records_itself_in_the_chain() {
    let app = TestApp::new().await;
    let m = kilpailutus_tests::Market::new(&app).await;
    app.ok(
        Some(&m.b),
        "mutation{ subscribeToCategory(category:\"home care\") }",
        json!({}),
    )
    .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let q = app
        .ok(
            Some(&m.b),
            "mutation($c:ID!){ askQuestion(callId:$c,text:\"?\"){ id } }",
            json!({ "c": call.id }),
        )
        .await;
    app.ok(
        Some(&m.orderer),
        "mutation($q:ID!){ answerQuestion(questionId:$q,answer:\"!\"){ id } }",
        json!({ "q": q["askQuestion"]["id"] }),
    )
    .await;
    let bid = app
        .ok(
            Some(&m.a),
            kilpailutus_tests::SUBMIT_BID,
            json!({ "i": app.bid_input(&call, &["45", "8"]) }),
        )
        .await;
    let bid_id = bid["submitBid"]["id"].as_str().unwrap().to_owned();
    app.ok(
        Some(&m.orderer),
        "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } } }",
        json!({ "c": call.id, "u": m.orderer_user }),
    )
    .await;
    app.clock.set(call.submission_deadline);
    app.ok(Some(&m.orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }", json!({ "b": bid_id, "j": [{ "requirementId": call.requirement_ids[0], "met": true }] })).await;
    app.ok(
        Some(&m.orderer),
        "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ rank } }",
        json!({ "b": bid_id, "s": [{ "criterionId": call.criterion_ids[0], "points": 5 }] }),
    )
    .await;
    app.ok(Some(&m.orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"ok\"){ decidedAt } }", json!({ "c": call.id, "b": bid_id })).await;
    let cid = app.contract_after_standstill(&m.orderer, &call.id).await;
    app.ok(Some(&m.admin), "mutation($o:ID!){ setAppropriation(ordererId:$o,fiscalYear:2027,amount:\"1000000\"){ amount } }", json!({ "o": m.orderer_org })).await;
    app.sign_both(&cid, &m.orderer, &m.a).await;
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": cid }),
    )
    .await;
    let lines = json!([{ "productId": m.products[0], "quantity": "1000", "unitPrice": "44" }, { "productId": m.products[1], "quantity": "12.5", "unitPrice": "8" }]);
    app.ok(Some(&m.orderer), "mutation($id:ID!,$l:[ContractLineInput!]!){ amendContract(id:$id,lines:$l,reason:\"cheaper\"){ version } }", json!({ "id": cid, "l": lines })).await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2027-02-02T10:00:00Z")
            .unwrap()
            .into(),
    );
    app.ok(Some(&m.a), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }", json!({ "i": { "contractId": cid, "period": "2027-01", "lines": [], "feedbackCount": 0, "qualityMeasurements": [] } })).await;
    app.mail_worker().deliver_due().await.unwrap();
    let chain = app.audit_chain().await;
    let actions: std::collections::BTreeSet<&str> =
        chain.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "user.subscribe",
        "call.create",
        "call.publish",
        "question.ask",
        "question.answer",
        "call.bids_opened",
        "call.assign_evaluator",
        "bid.judge_capability",
        "bid.score",
        "call.award",
        "contract.create",
        "appropriation.set",
        "contract.activate",
        "contract.amend",
        "contract.report",
        "notification.sent",
    ] {
        assert!(
            actions.contains(expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert_eq!(verify_chain(&chain).first_broken_seq, None);
    let _ = std::fs::remove_dir_all(&app.state.config.mail_dir);
}

#[tokio::test]
async fn verify_audit_chain_finds_a_changed_a_deleted_and_a_reordered_row() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for code in ["A", "B", "C", "D", "E"] {
        app.product(&admin, code, "c").await;
    }
    let ok = app.ok(Some(&admin), VERIFY, json!({})).await;
    assert_eq!(
        ok["verifyAuditChain"],
        json!({ "valid": true, "events": 7, "firstBrokenSeq": null })
    );
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    assert_eq!(
        app.code(Some(&orderer), VERIFY, json!({})).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(None, VERIFY, json!({})).await, "UNAUTHENTICATED");
    // Reordered: rows 3 and 4 swap places.
    exec(&app, "UPDATE audit_event SET seq = -1 WHERE seq = 3").await;
    exec(&app, "UPDATE audit_event SET seq = 3 WHERE seq = 4").await;
    exec(&app, "UPDATE audit_event SET seq = 4 WHERE seq = -1").await;
    assert_eq!(
        app.ok(Some(&admin), VERIFY, json!({})).await["verifyAuditChain"]["firstBrokenSeq"],
        3
    );
    exec(&app, "UPDATE audit_event SET seq = -1 WHERE seq = 3").await;
    exec(&app, "UPDATE audit_event SET seq = 3 WHERE seq = 4").await;
    exec(&app, "UPDATE audit_event SET seq = 4 WHERE seq = -1").await;
    assert_eq!(
        app.ok(Some(&admin), VERIFY, json!({})).await["verifyAuditChain"]["valid"],
        true
    );
    // Changed: a summary is rewritten.
    exec(
        &app,
        "UPDATE audit_event SET summary = '{\"code\":\"X\"}' WHERE seq = 5",
    )
    .await;
    let v = app.ok(Some(&admin), VERIFY, json!({})).await;
    assert_eq!(v["verifyAuditChain"]["valid"], false);
    assert_eq!(v["verifyAuditChain"]["firstBrokenSeq"], 5);
    // Deleted: a row vanishes before the changed one.
    exec(&app, "DELETE FROM audit_event WHERE seq = 2").await;
    assert_eq!(
        app.ok(Some(&admin), VERIFY, json!({})).await["verifyAuditChain"]["firstBrokenSeq"],
        2
    );
}

/// The unit of work every mutation runs in: work that records no audit event is refused and
/// rolled back; work that says it changed nothing is rolled back without error; recorded
/// events are appended in order, after the work's own writes, and move the chain's head;
/// queued mail wakes the mail worker only once the unit has committed.
#[tokio::test]
async fn the_unit_of_work_refuses_work_without_an_audit_event_and_appends_what_it_recorded() {
    use api::service::audit::AuditEntry;
    use api::service::work;
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::new().await;
    let state = &app.state;
    let insert = |id: &'static str| {
        Statement::from_string(
            state.db.backend(),
            format!(
                "INSERT INTO category_subscription (user_id, category, created_at) SELECT id, '{id}', created_at FROM app_user LIMIT 1"
            ),
        )
    };
    let events = app.count("audit_event").await;
    let subscriptions = app.count("category_subscription").await;

    // A write with no audit event: INTERNAL, and the write is gone.
    let refused = work::run(state, |w| {
        Box::pin(async move {
            w.conn().execute_raw(insert("unaudited")).await?;
            Ok(())
        })
    })
    .await;
    let err = refused.expect_err("work without an audit event must be refused");
    assert_eq!(err.code(), "INTERNAL", "{err}");
    assert_eq!(app.count("category_subscription").await, subscriptions);
    assert_eq!(app.count("audit_event").await, events);

    // Nothing to do: rolled back, no error, no event.
    let unchanged = work::run(state, |w| {
        Box::pin(async move {
            w.conn().execute_raw(insert("rolled-back")).await?;
            w.unchanged();
            Ok(7)
        })
    })
    .await
    .expect("unchanged work is not an error");
    assert_eq!(unchanged, 7);
    assert_eq!(app.count("category_subscription").await, subscriptions);
    assert_eq!(app.count("audit_event").await, events);

    // Two events, in the order recorded, after the work's write; the head moves by two.
    let head_before = api::service::audit::head_seq(state.db.conn())
        .await
        .expect("head");
    let now = state.now();
    work::run(state, |w| {
        Box::pin(async move {
            w.conn().execute_raw(insert("audited")).await?;
            w.audit(now, AuditEntry::system("test.first", "test", "a"))?;
            w.audit(
                now,
                AuditEntry::system("test.second", "test", "b").summary(json!({ "n": 2 })),
            )?;
            Ok(())
        })
    })
    .await
    .expect("audited work commits");
    assert_eq!(app.count("category_subscription").await, subscriptions + 1);
    let head_after = api::service::audit::head_seq(state.db.conn())
        .await
        .expect("head");
    assert_eq!(head_after, head_before + 2);
    let chain = app.audit_chain().await;
    let last: Vec<&str> = chain
        .iter()
        .rev()
        .take(2)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(last, ["test.second", "test.first"]);
    assert!(verify_chain(&chain).first_broken_seq.is_none());

    // Mail wakes the worker after the commit, not when the work fails.
    use sea_orm::EntityTrait;
    let admin = entity::user::Entity::find()
        .one(state.db.conn())
        .await
        .expect("users")
        .expect("the bootstrap admin");
    let mail = api::email::outbox::Mail {
        event: "test.mail",
        texts: std::array::from_fn(|_| ("s".into(), "b".into())),
        private: true,
        sealed_call: None,
    };
    let notifications = app.count("notification").await;
    for fail in [true, false] {
        let notified = state.mail_wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let (admin, mail) = (&admin, &mail);
        let result = work::run(state, |w| {
            Box::pin(async move {
                w.mail(now, std::slice::from_ref(admin), mail)?;
                if fail {
                    return Err(api::error::AppError::InvalidState(
                        "fails after queuing".into(),
                    ));
                }
                w.audit(now, AuditEntry::system("test.mail", "test", "c"))?;
                Ok(())
            })
        })
        .await;
        assert_eq!(result.is_err(), fail);
        let woke = tokio::time::timeout(std::time::Duration::from_millis(50), notified.as_mut())
            .await
            .is_ok();
        assert_eq!(woke, !fail, "woken after a unit that failed: {fail}");
    }
    assert_eq!(app.count("notification").await, notifications + 1);
}
