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
