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

const METRICS_TOKEN: &str = "scraper-secret-0123456789";

fn get_metrics(token: Option<&str>) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::get("/metrics");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(axum::body::Body::empty()).unwrap()
}

/// Metrics count requests by operation type and errors by code; every response carries its
/// request id.
#[tokio::test]
async fn metrics_count_operation_types_and_errors_and_requests_carry_an_id() {
    let app = TestApp::with_config(|c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let body = json!({ "query": "query ProductsList { products { id } }", "operationName": "ProductsList" }).to_string();
    let req = post_graphql(Some("application/json"), &body);
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert!(
        resp.headers().get("x-request-id").is_some(),
        "every response carries its request id"
    );
    app.code(None, "query Broken { nope }", json!({})).await;
    let (status, text) = app.send(get_metrics(Some(METRICS_TOKEN))).await;
    assert_eq!(status, 200);
    for expected in [
        "graphql_requests_total{operation=\"query\"}",
        "graphql_request_duration_seconds_bucket{operation=\"query\"",
        "graphql_errors_total{code=\"BAD_USER_INPUT\"}",
        "outbox_notifications{status=\"pending\"}",
        "db_pool_connections",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("ProductsList"), "{text}");
}

/// A bid is counted with every other mutation: no label carries the operation's name.
#[tokio::test]
async fn metrics_never_carry_an_operation_name() {
    let app = TestApp::with_config(|c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let body = json!({ "query": "mutation SubmitBid { submitBid(input: {}) { id } }", "operationName": "SubmitBid" }).to_string();
    let (status, _) = app
        .send(post_graphql(Some("application/json"), &body))
        .await;
    assert_eq!(status, 200);
    let body = json!({ "query": "mutation SubmitBid($i:SubmitBidInput!) { submitBid(input: $i) { id } }", "operationName": "SubmitBid", "variables": { "i": {} } }).to_string();
    app.send(post_graphql(Some("application/json"), &body))
        .await;
    let (status, text) = app.send(get_metrics(Some(METRICS_TOKEN))).await;
    assert_eq!(status, 200);
    assert!(!text.contains("SubmitBid"), "{text}");
    assert!(
        text.contains("graphql_requests_total{operation=\"mutation\"}"),
        "{text}"
    );
    let labels: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.starts_with("graphql_requests_total{"))
        .filter_map(|l| l.split('"').nth(1))
        .collect();
    assert!(
        labels
            .iter()
            .all(|l| ["query", "mutation", "subscription", "cached", "invalid"].contains(l)),
        "{labels:?}"
    );
}

/// `/metrics` answers only the bearer of METRICS_TOKEN: not an anonymous caller, not a wrong
/// token, not an admin's token, not loopback; and without a configured token it is not there.
#[tokio::test]
async fn metrics_need_the_metrics_token() {
    use axum::extract::ConnectInfo;
    let app = TestApp::with_config(|c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let admin = app.admin().await;
    let (status, _) = app.send(get_metrics(None)).await;
    assert_eq!(status, 401, "no token");
    let (status, _) = app
        .send(get_metrics(Some("scraper-secret-0123456788")))
        .await;
    assert_eq!(status, 401, "a wrong token");
    let (status, _) = app.send(get_metrics(Some(&admin))).await;
    assert_eq!(status, 401, "an admin's token is not the metrics token");
    let mut local = get_metrics(None);
    let loopback: std::net::SocketAddr = "127.0.0.1:40000".parse().unwrap();
    local.extensions_mut().insert(ConnectInfo(loopback));
    let (status, _) = app.send(local).await;
    assert_eq!(status, 401, "loopback is no exemption");
    let (status, text) = app.send(get_metrics(Some(METRICS_TOKEN))).await;
    assert_eq!(status, 200);
    assert!(text.contains("db_pool_connections"), "{text}");

    let off = TestApp::new().await;
    let admin = off.admin().await;
    for token in [None, Some(METRICS_TOKEN), Some(admin.as_str())] {
        let (status, _) = off.send(get_metrics(token)).await;
        assert_eq!(status, 404, "no METRICS_TOKEN, no metrics");
    }
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

fn post_graphql(content_type: Option<&str>, body: &str) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post("/graphql");
    if let Some(t) = content_type {
        req = req.header("content-type", t);
    }
    req.body(axum::body::Body::from(body.to_owned())).unwrap()
}

/// A cross-site "simple" request (text/plain, a form, no type) cannot run a mutation: only
/// JSON is accepted, and anything else is 415 before the body is looked at.
#[tokio::test]
async fn only_json_requests_are_executed() {
    let app = TestApp::new().await;
    let register = json!({
        "query": "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }",
        "variables": { "i": { "organizationName": "Ristiin Oy", "businessId": "0201256-6", "email": "x@ristiin.example.fi", "password": "ristiin-password", "name": "R" } }
    })
    .to_string();
    for refused in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        let (status, body) = app.send(post_graphql(refused, &register)).await;
        assert_eq!(status, 415, "{refused:?}: {body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
        assert!(body["errors"][0]["message"].is_string(), "{body}");
    }
    let orgs = "{ organizations(kind: EXTERNAL_PROVIDER) { id } }";
    let admin = app.admin().await;
    assert_eq!(
        app.ok(Some(&admin), orgs, json!({})).await["organizations"],
        json!([]),
        "no refused request registered a provider"
    );
    let query = json!({ "query": "{ products { id } }" }).to_string();
    for accepted in [
        "application/json",
        "Application/JSON; charset=utf-8",
        "application/graphql-response+json",
    ] {
        let (status, body) = app.send(post_graphql(Some(accepted), &query)).await;
        assert_eq!(status, 200, "{accepted}: {body}");
        assert!(body.contains("\"products\""), "{body}");
    }
}

/// GraphQL over HTTP: a body that is not JSON, or JSON that is not a GraphQL request, is 400.
#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_400() {
    let app = TestApp::new().await;
    for body in [
        "{ products { id } }",
        "{\"query\":",
        "[]",
        "{\"nope\":1}",
        "{\"query\":5}",
    ] {
        let (status, text) = app.send(post_graphql(Some("application/json"), body)).await;
        assert_eq!(status, 400, "{body}: {text}");
        let text: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            text["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{text}"
        );
    }
}

/// A body that never finishes is answered 408 once the body read timeout has passed.
#[tokio::test]
async fn a_body_sent_too_slowly_gets_408() {
    use axum::body::{Body, Bytes, HttpBody};
    use http_body::Frame;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    /// The start of a JSON request, then nothing, ever.
    struct Stalled(bool);
    impl HttpBody for Stalled {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            if std::mem::replace(&mut self.0, true) {
                Poll::Pending
            } else {
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"{\"query\":")))))
            }
        }
    }
    let limit = std::time::Duration::from_millis(300);
    let app = TestApp::with_config(|c| c.body_read_timeout = limit).await;
    let req = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::new(Stalled(false)))
        .unwrap();
    let started = std::time::Instant::now();
    let (status, body) = app.send(req).await;
    assert_eq!(status, 408, "{body}");
    assert!(started.elapsed() < limit * 10, "{:?}", started.elapsed());
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}
