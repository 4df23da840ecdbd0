//! Calls for tenders through GraphQL: drafting, visibility, publication, status from the
//! clock, cancellation, listing with cursors and filters, questions and answers, and the
//! statement count of the nested public list.

use chrono::TimeDelta;
use kilpailutus_tests::{CREATE_CALL, Market, PUBLISH_CALL, TestApp};
use serde_json::{Value, json};

const CALL: &str = "query($id:ID!){ call(id:$id){ id title status publishedAt orderer{ id } lines{ quantity product{ code } } criteria{ priceWeight qualityCriteria{ name weight maxPoints } minTurnoverRatio minEquityRatio minCreditRating capabilityRequirements{ text } maxSubcontractingShare } standstillDays contractStart contractEnd } }";
const CANCEL: &str =
    "mutation($id:ID!,$r:String!){ cancelCall(id:$id,reason:$r){ id status cancelReason } }";
const LIST: &str = "query($f:CallFilter,$n:Int,$a:String){ calls(filter:$f,first:$n,after:$a){ totalCount pageInfo{ hasNextPage endCursor } edges{ cursor node{ id title status } } } }";
const ASK: &str = "mutation($c:ID!,$t:String!){ askQuestion(callId:$c,text:$t){ id text answer } }";
const ANSWER: &str = "mutation($q:ID!,$a:String!){ answerQuestion(questionId:$q,answer:$a){ id text answer answeredAt } }";
const QUESTIONS: &str = "query($id:ID!){ call(id:$id){ questions{ id text answer } } }";

fn with(mut input: Value, key: &str, value: Value) -> Value {
    input[key] = value;
    input
}

#[tokio::test]
async fn a_draft_is_seen_only_by_its_orderer_organization_and_admins() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let seen = app
        .ok(Some(&m.orderer), CALL, json!({ "id": call.id }))
        .await;
    assert_eq!(seen["call"]["status"], "DRAFT");
    assert_eq!(seen["call"]["criteria"]["minCreditRating"], "A");
    assert_eq!(
        seen["call"]["criteria"]["qualityCriteria"][0],
        json!({ "name": "Staff competence", "weight": 30, "maxPoints": 10 })
    );
    assert_eq!(
        seen["call"]["lines"][1],
        json!({ "quantity": "12.5", "product": { "code": "KH-V" } })
    );
    assert_eq!(seen["call"]["standstillDays"], 14);
    assert!(app.ok(Some(&m.admin), CALL, json!({ "id": call.id })).await["call"].is_object());
    for token in [
        Some(m.other_orderer.as_str()),
        Some(m.a.as_str()),
        Some(m.in_house.as_str()),
        None,
    ] {
        assert!(app.ok(token, CALL, json!({ "id": call.id })).await["call"].is_null());
        assert_eq!(
            app.ok(token, LIST, json!({})).await["calls"]["totalCount"],
            0
        );
    }
    assert_eq!(
        app.ok(Some(&m.orderer), LIST, json!({})).await["calls"]["totalCount"],
        1
    );
}

#[tokio::test]
async fn only_orderer_users_create_calls() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let input = json!({ "i": app.call_input(&m.product_refs()) });
    assert_eq!(
        app.code(None, CREATE_CALL, input.clone()).await,
        "UNAUTHENTICATED"
    );
    for token in [&m.admin, &m.a, &m.in_house] {
        assert_eq!(
            app.code(Some(token), CREATE_CALL, input.clone()).await,
            "FORBIDDEN"
        );
    }
    assert_eq!(app.count("call_for_tenders").await, 0);
}

#[tokio::test]
async fn each_call_rule_is_a_bad_user_input_naming_its_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let base = app.call_input(&m.product_refs());
    let mut criteria = base["qualityCriteria"].clone();
    criteria[0]["maxPoints"] = json!(0);
    let mut heavy = base["qualityCriteria"].clone();
    heavy[0]["weight"] = json!(31);
    let late_questions = (app.clock_now() + TimeDelta::days(15)).to_rfc3339();
    for (input, field) in [
        (with(base.clone(), "lines", json!([])), "lines"),
        (
            with(
                base.clone(),
                "lines",
                json!([{ "productId": m.products[0], "quantity": "0" }]),
            ),
            "lines[0].quantity",
        ),
        (with(base.clone(), "qualityCriteria", heavy), "priceWeight"),
        (with(base.clone(), "priceWeight", json!(61)), "priceWeight"),
        (
            with(base.clone(), "qualityCriteria", criteria),
            "qualityCriteria[0].maxPoints",
        ),
        (
            with(base.clone(), "questionsDeadline", json!(late_questions)),
            "questionsDeadline",
        ),
        (
            with(base.clone(), "contractEnd", json!("2027-01-01")),
            "contractEnd",
        ),
        (
            with(base.clone(), "contractEnd", json!("2026-12-31")),
            "contractEnd",
        ),
        (
            with(base.clone(), "minTurnoverRatio", json!("2.5")),
            "minTurnoverRatio",
        ),
        (
            with(base.clone(), "minEquityRatio", json!("1.5")),
            "minEquityRatio",
        ),
        (
            with(base.clone(), "minEquityRatio", json!("-0.1")),
            "minEquityRatio",
        ),
        (
            with(base.clone(), "maxSubcontractingShare", json!("1.01")),
            "maxSubcontractingShare",
        ),
        (with(base.clone(), "title", json!(" ")), "title"),
    ] {
        let err = app
            .error(Some(&m.orderer), CREATE_CALL, json!({ "i": input }))
            .await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    let unknown = with(
        base.clone(),
        "lines",
        json!([{ "productId": "00000000-0000-7000-8000-000000000000", "quantity": "1" }]),
    );
    assert_eq!(
        app.code(Some(&m.orderer), CREATE_CALL, json!({ "i": unknown }))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(app.count("call_for_tenders").await, 0);
    assert_eq!(app.count("call_line").await, 0);
}

#[tokio::test]
async fn publishing_makes_a_call_public_once() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let id = json!({ "id": call.id });
    assert_eq!(
        app.code(None, PUBLISH_CALL, id.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&m.a), PUBLISH_CALL, id.clone()).await,
        "NOT_FOUND",
        "a draft is invisible to producers"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), PUBLISH_CALL, id.clone())
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(Some(&m.admin), PUBLISH_CALL, id.clone()).await,
        "FORBIDDEN"
    );
    let p = app.ok(Some(&m.orderer), PUBLISH_CALL, id.clone()).await;
    assert_eq!(p["publishCall"]["status"], "PUBLISHED");
    assert!(p["publishCall"]["publishedAt"].is_string());
    let public = app.ok(None, CALL, id.clone()).await;
    assert_eq!(public["call"]["status"], "PUBLISHED");
    assert_eq!(public["call"]["orderer"]["id"], m.orderer_org.as_str());
    assert_eq!(
        app.code(Some(&m.orderer), PUBLISH_CALL, id.clone()).await,
        "INVALID_STATE"
    );
    assert_eq!(
        app.code(Some(&m.other_orderer), PUBLISH_CALL, id).await,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn a_call_is_published_only_while_its_deadlines_are_ahead() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    app.clock.set(call.questions_deadline);
    let err = app
        .error(Some(&m.orderer), PUBLISH_CALL, json!({ "id": call.id }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(err["extensions"]["field"], "questionsDeadline");
    assert!(app.ok(None, CALL, json!({ "id": call.id })).await["call"].is_null());
}

#[tokio::test]
async fn the_status_reads_evaluation_once_the_deadline_has_passed() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let status = |v: Value| v["call"]["status"].as_str().unwrap().to_owned();
    app.clock
        .set(call.submission_deadline - TimeDelta::seconds(1));
    assert_eq!(
        status(app.ok(None, CALL, json!({ "id": call.id })).await),
        "PUBLISHED"
    );
    app.clock.set(call.submission_deadline);
    assert_eq!(
        status(app.ok(None, CALL, json!({ "id": call.id })).await),
        "EVALUATION"
    );
    let in_eval = app
        .ok(None, LIST, json!({ "f": { "status": "EVALUATION" } }))
        .await;
    assert_eq!(in_eval["calls"]["totalCount"], 1);
    assert_eq!(in_eval["calls"]["edges"][0]["node"]["status"], "EVALUATION");
    assert_eq!(
        app.ok(None, LIST, json!({ "f": { "status": "PUBLISHED" } }))
            .await["calls"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn the_orderer_cancels_a_call_with_a_reason_until_it_is_awarded() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let v = |r: &str| json!({ "id": call.id, "r": r });
    assert_eq!(
        app.code(Some(&m.other_orderer), CANCEL, v("no")).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(Some(&m.a), CANCEL, v("no")).await, "FORBIDDEN");
    assert_eq!(app.code(None, CANCEL, v("no")).await, "UNAUTHENTICATED");
    assert_eq!(
        app.error(Some(&m.orderer), CANCEL, v("  ")).await["extensions"]["field"],
        "reason"
    );
    let c = app
        .ok(
            Some(&m.orderer),
            CANCEL,
            v("Budget withdrawn by the council"),
        )
        .await;
    assert_eq!(c["cancelCall"]["status"], "CANCELLED");
    assert_eq!(
        c["cancelCall"]["cancelReason"],
        "Budget withdrawn by the council"
    );
    assert_eq!(
        app.code(Some(&m.orderer), CANCEL, v("again")).await,
        "INVALID_STATE"
    );
    // A cancelled call stays public, and reads CANCELLED after its deadline too.
    app.clock.set(call.submission_deadline + TimeDelta::days(1));
    assert_eq!(
        app.ok(None, CALL, json!({ "id": call.id })).await["call"]["status"],
        "CANCELLED"
    );
}

#[tokio::test]
async fn the_call_list_pages_by_cursor_and_filters() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mut ids = Vec::new();
    for (i, title) in [
        "Siivous 100% puhdas",
        "Kotihoito A",
        "Kotihoito B",
        "Ateriat",
        "Kuljetus",
    ]
    .iter()
    .enumerate()
    {
        let mut input = app.call_input(&m.product_refs());
        input["title"] = json!(title);
        if i == 3 {
            input["lines"] = json!([{ "productId": m.products[1], "quantity": "5" }]);
        }
        let token = if i == 4 { &m.other_orderer } else { &m.orderer };
        ids.push(app.make_call(token, input, true).await.id);
    }
    let page1 = app.ok(None, LIST, json!({ "n": 2 })).await["calls"].clone();
    assert_eq!(page1["totalCount"], 5);
    assert_eq!(page1["pageInfo"]["hasNextPage"], true);
    let titles = |p: &Value| {
        p["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&page1), ["Kuljetus", "Ateriat"], "newest first");
    let page2 = app
        .ok(
            None,
            LIST,
            json!({ "n": 2, "a": page1["pageInfo"]["endCursor"] }),
        )
        .await["calls"]
        .clone();
    assert_eq!(titles(&page2), ["Kotihoito B", "Kotihoito A"]);
    let page3 = app
        .ok(
            None,
            LIST,
            json!({ "n": 2, "a": page2["pageInfo"]["endCursor"] }),
        )
        .await["calls"]
        .clone();
    assert_eq!(titles(&page3), ["Siivous 100% puhdas"]);
    assert_eq!(page3["pageInfo"]["hasNextPage"], false);
    let app = &app;
    let count = |f: Value| async move {
        app.ok(None, LIST, json!({ "f": f })).await["calls"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        count(json!({ "search": "kotihoito" })).await,
        2,
        "case-insensitive"
    );
    assert_eq!(
        count(json!({ "search": "100%" })).await,
        1,
        "% is a literal"
    );
    assert_eq!(
        count(json!({ "search": "eastern district" })).await,
        5,
        "the description is searched too"
    );
    assert_eq!(count(json!({ "productId": m.products[0] })).await, 4);
    assert_eq!(count(json!({ "ordererId": m.orderer_org })).await, 4);
    assert_eq!(
        count(json!({ "ordererId": m.orderer_org, "search": "ateriat" })).await,
        1
    );
    assert_eq!(
        app.code(None, LIST, json!({ "a": "not-a-cursor" })).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.code(None, LIST, json!({ "n": -1 })).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(ids.len(), 5);
}

#[tokio::test]
async fn the_nested_public_list_runs_a_constant_number_of_statements() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let q = "{ calls(first: 50) { totalCount edges { node { id title status orderer { name } lines { quantity product { name code } } criteria { qualityCriteria { name } capabilityRequirements { text } } questions { text } bidCount } } } }";
    let mut counts = Vec::new();
    for batch in [3, 27] {
        for _ in 0..batch {
            app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
                .await;
        }
        // With a token: the anonymous path may answer from the public cache instead. The
        // token's status is read first, so the count is of the list alone.
        app.ok(Some(&m.a), "{ me { id } }", json!({})).await;
        let before = app.state.db.statement_count();
        let data = app.ok(Some(&m.a), q, json!({})).await;
        counts.push(app.state.db.statement_count() - before);
        assert_eq!(
            data["calls"]["edges"].as_array().unwrap().len(),
            if counts.len() == 1 { 3 } else { 30 }
        );
    }
    println!(
        "statements for calls(first: 50) with nested fields: {} with 3 calls, {} with 30 calls",
        counts[0], counts[1]
    );
    assert_eq!(
        counts[0], counts[1],
        "the statement count does not grow with the number of calls"
    );
    assert!(counts[0] <= 10, "{counts:?}");
}

#[tokio::test]
async fn producers_ask_questions_until_the_questions_deadline() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let draft = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), false)
        .await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let v = |c: &str| json!({ "c": c, "t": "May we subcontract night shifts?" });
    assert_eq!(app.code(None, ASK, v(&call.id)).await, "UNAUTHENTICATED");
    assert_eq!(
        app.code(Some(&m.orderer), ASK, v(&call.id)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.admin), ASK, v(&call.id)).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&m.a), ASK, v(&draft.id)).await,
        "INVALID_STATE"
    );
    assert_eq!(
        app.error(Some(&m.a), ASK, json!({ "c": call.id, "t": "" }))
            .await["extensions"]["field"],
        "text"
    );
    let q = app.ok(Some(&m.a), ASK, v(&call.id)).await;
    assert!(q["askQuestion"]["answer"].is_null());
    app.ok(Some(&m.in_house), ASK, v(&call.id)).await;
    app.clock.set(call.questions_deadline);
    assert_eq!(
        app.code(Some(&m.b), ASK, v(&call.id)).await,
        "DEADLINE_PASSED"
    );
    assert_eq!(app.count("question").await, 2);
}

#[tokio::test]
async fn answers_are_public_and_askers_are_never_shown() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let asked = app
        .ok(
            Some(&m.a),
            ASK,
            json!({ "c": call.id, "t": "Is Sunday work paid extra?" }),
        )
        .await;
    let qid = asked["askQuestion"]["id"].as_str().unwrap().to_owned();
    let n = |v: Value| v["call"]["questions"].as_array().unwrap().len();
    let id = json!({ "id": call.id });
    assert_eq!(
        n(app.ok(Some(&m.orderer), QUESTIONS, id.clone()).await),
        1,
        "the orderer sees what to answer"
    );
    assert_eq!(
        n(app.ok(Some(&m.a), QUESTIONS, id.clone()).await),
        1,
        "the asker sees its own question"
    );
    assert_eq!(n(app.ok(Some(&m.b), QUESTIONS, id.clone()).await), 0);
    assert_eq!(n(app.ok(None, QUESTIONS, id.clone()).await), 0);
    let v = json!({ "q": qid, "a": "Yes, by the collective agreement." });
    assert_eq!(
        app.code(Some(&m.other_orderer), ANSWER, v.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(app.code(Some(&m.a), ANSWER, v.clone()).await, "FORBIDDEN");
    assert_eq!(app.code(None, ANSWER, v.clone()).await, "UNAUTHENTICATED");
    app.clock.set(call.questions_deadline + TimeDelta::hours(1));
    let answered = app.ok(Some(&m.orderer), ANSWER, v).await;
    assert_eq!(
        answered["answerQuestion"]["answer"],
        "Yes, by the collective agreement."
    );
    let public = app.ok(None, QUESTIONS, id.clone()).await;
    assert_eq!(
        public["call"]["questions"],
        json!([{ "id": qid, "text": "Is Sunday work paid extra?", "answer": "Yes, by the collective agreement." }])
    );
    assert_eq!(n(app.ok(Some(&m.b), QUESTIONS, id).await), 1);
    // The Question type has no field naming the asker at all.
    let probe = app
        .gql(
            None,
            "query($id:ID!){ call(id:$id){ questions{ asker{ id } } } }",
            json!({ "id": call.id }),
        )
        .await;
    assert_eq!(probe["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_call_list_filters_by_the_category_of_the_calls_products() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let meals = app.product(&m.admin, "AT-1", "meals on wheels").await;
    let home_care = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let mixed = app
        .make_call(&m.orderer, app.call_input(&[&m.products[0], &meals]), true)
        .await;
    let ids = |d: &Value| -> Vec<String> {
        d["calls"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let by = |category: &str| json!({ "f": { "category": category } });
    let d = app.ok(None, LIST, by("meals on wheels")).await;
    assert_eq!(ids(&d), std::slice::from_ref(&mixed.id));
    assert_eq!(d["calls"]["totalCount"], 1);
    let d = app.ok(None, LIST, by("home care")).await;
    assert_eq!(ids(&d), [mixed.id.clone(), home_care.id.clone()]);
    assert_eq!(
        app.ok(None, LIST, by("dentistry")).await["calls"]["totalCount"],
        0
    );
    let combined = json!({ "f": { "category": "meals on wheels", "search": "itäinen" } });
    assert_eq!(
        ids(&app.ok(None, LIST, combined).await),
        std::slice::from_ref(&mixed.id)
    );
}
