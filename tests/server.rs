//! The HTTP surface: health, GraphiQL, the exported schema, and error codes for bad requests.

use kilpailutus_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, "ok");
}

#[tokio::test]
async fn get_graphql_serves_graphiql() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(body.to_lowercase().contains("graphiql"), "{body}");
}

#[test]
fn schema_graphql_is_the_running_schema() {
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql exists");
    assert!(
        file == api::sdl(),
        "schema.graphql is stale: run `cargo run -p api -- export-schema schema.graphql`"
    );
}

#[tokio::test]
async fn malformed_requests_get_bad_user_input() {
    let app = TestApp::new().await;
    assert_eq!(
        app.code(None, "{ products { nope } }", json!({})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.code(None, "{ products ", json!({})).await,
        "BAD_USER_INPUT"
    );
    let admin = app.admin().await;
    let bad_decimal =
        "mutation{ setAppropriation(ordererId:\"x\",fiscalYear:2027,amount:\"1,5\"){ amount } }";
    assert_eq!(
        app.code(Some(&admin), bad_decimal, json!({})).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_malformed_authorization_header_is_unauthenticated() {
    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::new().await;
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .body(Body::from(json!({ "query": "{ me { id } }" }).to_string()))
        .unwrap();
    let (_, body) = app.send(req).await;
    let resp: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(resp["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn metrics_count_operations_and_errors_for_an_admin_and_requests_carry_an_id() {
    use axum::body::Body;
    use axum::http::Request;
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let body = json!({ "query": "query ProductsList { products { id } }", "operationName": "ProductsList" }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert!(
        resp.headers().get("x-request-id").is_some(),
        "every response carries its request id"
    );
    app.code(None, "query Broken { nope }", json!({})).await;
    let (status, _) = app.get("/metrics").await;
    assert_eq!(status, 403, "not for anonymous remote callers");
    let req = Request::get("/metrics")
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::empty())
        .unwrap();
    let (status, text) = app.send(req).await;
    assert_eq!(status, 200);
    assert!(
        text.contains("graphql_requests_total{operation=\"ProductsList\"}"),
        "{text}"
    );
    assert!(
        text.contains("graphql_request_duration_seconds_bucket{operation=\"ProductsList\""),
        "{text}"
    );
    assert!(
        text.contains("graphql_errors_total{code=\"BAD_USER_INPUT\"}"),
        "{text}"
    );
    assert!(
        text.contains("outbox_notifications{status=\"pending\"}"),
        "{text}"
    );
    assert!(text.contains("db_pool_connections"), "{text}");
}

/// Anonymous answers are cached, but never served after a write or past a deadline.
#[tokio::test]
async fn cached_public_answers_are_never_stale() {
    let app = TestApp::new().await;
    let m = kilpailutus_tests::Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let list = "{ calls(first: 10) { totalCount edges { node { id status bidCount } } } }";
    let one = "query($id:ID!){ call(id:$id){ status bidCount } }";
    let first = app.ok(None, list, json!({})).await;
    assert_eq!(first["calls"]["totalCount"], 1);
    assert_eq!(
        app.ok(None, list, json!({})).await,
        first,
        "the same answer again"
    );
    // A write anywhere is seen at once.
    app.make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    assert_eq!(
        app.ok(None, list, json!({})).await["calls"]["totalCount"],
        2
    );
    // A bid is a write too, yet reveals nothing before the deadline.
    assert!(app.ok(None, one, json!({ "id": call.id })).await["call"]["bidCount"].is_null());
    app.ok(
        Some(&m.a),
        kilpailutus_tests::SUBMIT_BID,
        json!({ "i": app.bid_input(&call, &["45", "8"]) }),
    )
    .await;
    assert!(app.ok(None, one, json!({ "id": call.id })).await["call"]["bidCount"].is_null());
    // The deadline changes the answer without any write.
    app.clock.set(call.submission_deadline);
    let after = app.ok(None, one, json!({ "id": call.id })).await;
    assert_eq!(after["call"]["status"], "EVALUATION");
    assert_eq!(after["call"]["bidCount"], 1);
    // Mutations are never answered from the cache.
    let register = "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }";
    let input = json!({ "i": { "organizationName": "Uusi Oy", "businessId": "0201256-6", "email": "uusi@uusi.example.fi", "password": "uusi-password", "name": "U" } });
    app.ok(None, register, input.clone()).await;
    assert_eq!(app.code(None, register, input).await, "CONFLICT");
}
