//! Questions as the orderer works with them: the orderer hears of a new question without
//! learning who asked, sees how many are unanswered, and may correct a published answer,
//! which is then shown as edited.

use chrono::TimeDelta;
use kilpailutus_tests::{Market, TestApp};
use serde_json::{Value, json};

const ASK: &str = "mutation($c:ID!,$t:String!){ askQuestion(callId:$c,text:$t){ id } }";
const ANSWER: &str = "mutation($q:ID!,$a:String!){ answerQuestion(questionId:$q,answer:$a){ id answer answeredAt answerEditedAt } }";
const PUBLIC: &str =
    "query($id:ID!){ call(id:$id){ questions{ id answer answerEditedAt } unansweredQuestions } }";
const NOTIFICATIONS: &str = "query{ notifications{ event subject body } }";

fn rows(v: &Value, key: &str) -> Vec<Value> {
    v[key].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_new_question_is_told_to_the_orderer_without_naming_the_asker() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let before = app.count("notification").await;
    app.ok(
        Some(&m.a),
        ASK,
        json!({ "c": call.id, "t": "Is Sunday work paid extra?" }),
    )
    .await;
    let mine = app.ok(Some(&m.orderer), NOTIFICATIONS, json!({})).await;
    let asked: Vec<Value> = rows(&mine, "notifications")
        .into_iter()
        .filter(|n| n["event"] == "question.asked")
        .collect();
    assert_eq!(asked.len(), 1, "{mine}");
    let text = format!("{} {}", asked[0]["subject"], asked[0]["body"]);
    assert!(text.contains("Kotihoito itäinen alue 2027"), "{text}");
    assert!(text.contains("Is Sunday work paid extra?"), "{text}");
    for secret in ["Provider 1 Oy", "Seller 1", "bids1@provider1.example.fi"] {
        assert!(!text.contains(secret), "the asker is named: {text}");
    }
    // Only the orderer's users are told: not the asker, not another orderer.
    for other in [&m.a, &m.b, &m.other_orderer] {
        let theirs = app.ok(Some(other), NOTIFICATIONS, json!({})).await;
        assert!(
            rows(&theirs, "notifications")
                .iter()
                .all(|n| n["event"] != "question.asked"),
            "{theirs}"
        );
    }
    assert_eq!(app.count("notification").await, before + 1);
    // A refused question queues nothing.
    app.clock.set(call.questions_deadline);
    assert_eq!(
        app.code(Some(&m.b), ASK, json!({ "c": call.id, "t": "Too late?" }))
            .await,
        "DEADLINE_PASSED"
    );
    assert_eq!(app.count("notification").await, before + 1);
    assert_eq!(app.count("question").await, 1);
}

#[tokio::test]
async fn unanswered_questions_are_counted_for_the_calls_orderer_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let id = json!({ "id": call.id });
    let unanswered = |v: Value| v["call"]["unansweredQuestions"].clone();
    assert_eq!(
        unanswered(app.ok(Some(&m.orderer), PUBLIC, id.clone()).await),
        json!(0)
    );
    let q = app
        .ok(Some(&m.a), ASK, json!({ "c": call.id, "t": "First?" }))
        .await;
    app.ok(Some(&m.b), ASK, json!({ "c": call.id, "t": "Second?" }))
        .await;
    assert_eq!(
        unanswered(app.ok(Some(&m.orderer), PUBLIC, id.clone()).await),
        json!(2)
    );
    for other in [None, Some(&m.a), Some(&m.b), Some(&m.other_orderer)] {
        assert_eq!(
            unanswered(app.ok(other.map(String::as_str), PUBLIC, id.clone()).await),
            Value::Null
        );
    }
    app.ok(
        Some(&m.orderer),
        ANSWER,
        json!({ "q": q["askQuestion"]["id"], "a": "Yes." }),
    )
    .await;
    assert_eq!(
        unanswered(app.ok(Some(&m.orderer), PUBLIC, id.clone()).await),
        json!(1)
    );
    // The orderer's list reads it for every call at once.
    let list = app
        .ok(
            Some(&m.orderer),
            "query($f:CallFilter){ calls(filter:$f,first:10){ edges{ node{ id unansweredQuestions } } } }",
            json!({ "f": { "ordererId": m.orderer_org } }),
        )
        .await;
    assert_eq!(
        list["calls"]["edges"][0]["node"]["unansweredQuestions"],
        json!(1)
    );
}

#[tokio::test]
async fn a_corrected_answer_is_shown_as_edited_with_its_time() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let q = app
        .ok(
            Some(&m.a),
            ASK,
            json!({ "c": call.id, "t": "Night shifts?" }),
        )
        .await;
    let qid = q["askQuestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let first = app
        .ok(Some(&m.orderer), ANSWER, json!({ "q": qid, "a": "No." }))
        .await;
    assert_eq!(first["answerQuestion"]["answerEditedAt"], Value::Null);
    let public = app.ok(None, PUBLIC, json!({ "id": call.id })).await;
    assert_eq!(
        public["call"]["questions"][0]["answerEditedAt"],
        Value::Null
    );
    // A refused edit changes nothing.
    let events = app.count("audit_event").await;
    assert_eq!(
        app.code(
            Some(&m.other_orderer),
            ANSWER,
            json!({ "q": qid, "a": "Maybe." })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.a), ANSWER, json!({ "q": qid, "a": "Maybe." }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(app.count("audit_event").await, events);
    let public = app.ok(None, PUBLIC, json!({ "id": call.id })).await;
    assert_eq!(public["call"]["questions"][0]["answer"], "No.");
    assert_eq!(
        public["call"]["questions"][0]["answerEditedAt"],
        Value::Null
    );
    app.clock.advance(TimeDelta::hours(2));
    let edited = app
        .ok(
            Some(&m.orderer),
            ANSWER,
            json!({ "q": qid, "a": "Yes, nights are included." }),
        )
        .await;
    let at = edited["answerQuestion"]["answerEditedAt"].clone();
    assert!(at.is_string(), "{edited}");
    assert_ne!(at, first["answerQuestion"]["answeredAt"]);
    let public = app.ok(None, PUBLIC, json!({ "id": call.id })).await;
    assert_eq!(
        public["call"]["questions"][0],
        json!({ "id": qid, "answer": "Yes, nights are included.", "answerEditedAt": at })
    );
}

#[tokio::test]
async fn the_orderers_list_counts_unanswered_questions_in_a_constant_number_of_statements() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let q = "query($f:CallFilter){ calls(filter:$f,first:50){ edges{ node{ id unansweredQuestions } } } }";
    let filter = json!({ "f": { "ordererId": m.orderer_org } });
    let mut counts = Vec::new();
    for batch in [3, 27] {
        for i in 0..batch {
            let call = app
                .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
                .await;
            if i % 2 == 0 {
                app.ok(Some(&m.a), ASK, json!({ "c": call.id, "t": "Any?" }))
                    .await;
            }
        }
        app.ok(Some(&m.orderer), "{ me { id } }", json!({})).await;
        let before = app.state.db.statement_count();
        let data = app.ok(Some(&m.orderer), q, filter.clone()).await;
        counts.push(app.state.db.statement_count() - before);
        let total: i64 = rows(&data["calls"], "edges")
            .iter()
            .map(|e| e["node"]["unansweredQuestions"].as_i64().unwrap_or(-100))
            .sum();
        assert_eq!(total, if counts.len() == 1 { 2 } else { 2 + 14 });
    }
    assert_eq!(
        counts[0], counts[1],
        "the statement count does not grow with the number of calls"
    );
}
