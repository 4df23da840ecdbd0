//! Hardening: depth, complexity and cost limits, the body limit, the response cap, login
//! throttling per account and client address (the address is set on the request as the
//! server would from the connection; `api/tests/binary.rs` checks it over a real connection).

use axum::body::Body;
use axum::http::Request;
use kilpailutus_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};
use serde_json::json;
use std::net::IpAddr;
use std::sync::Arc;

const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";

#[tokio::test]
async fn a_depth_bomb_gets_a_clean_error() {
    let app = TestApp::new().await;
    let mut q = String::from("id");
    for _ in 0..12 {
        q = format!("call {{ bids {{ {q} }} }}");
    }
    let query = format!("query($id:ID!){{ bid(id:$id) {{ {q} }} }}");
    let err = app.error(None, &query, json!({ "id": "x" })).await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("nested too deep"),
        "{err}"
    );
}

#[tokio::test]
async fn an_oversized_query_is_refused_by_complexity() {
    let app = TestApp::new().await;
    let fields: String = (0..2100)
        .map(|i| format!("f{i}: products {{ id }} "))
        .collect();
    let err = app.error(None, &format!("{{ {fields} }}"), json!({})).await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{err}"
    );
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_before_any_work() {
    let app = TestApp::new().await;
    let mut query = String::from("fragment F0 on Query{ products{id} } ");
    for i in 1..=26 {
        query.push_str(&format!(
            "fragment F{i} on Query{{...F{p} ...F{p}}} ",
            p = i - 1
        ));
    }
    query.push_str("query { ...F26 }");
    assert!(query.len() < 1000, "{}", query.len());
    let started = std::time::Instant::now();
    let err = app.error(None, &query, json!({})).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        err["message"].as_str().unwrap().contains("too complex"),
        "{err}"
    );
}

#[tokio::test]
async fn twenty_aliases_of_a_full_page_of_calls_are_refused() {
    let app = TestApp::new().await;
    let one = "calls(first:100){edges{node{id title description lines{id quantity}}}}";
    let aliases: String = (0..20).map(|i| format!("c{i}:{one} ")).collect();
    let query = format!("{{ {aliases}}}");
    let err = app.error(None, &query, json!({})).await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        err["message"].as_str().unwrap().contains("too complex"),
        "{err}"
    );
    // The page size may come from a variable too.
    let query = format!(
        "query($n:Int){{ {} }}",
        (0..20)
            .map(|i| format!("c{i}:calls(first:$n){{edges{{node{{id title status}}}}}} "))
            .collect::<String>()
    );
    assert_eq!(
        app.code(None, &query, json!({ "n": 100 })).await,
        "BAD_USER_INPUT"
    );
    app.ok(None, &query, json!({ "n": 5 })).await;
    // A call's description may be 20,000 characters: it counts for more than one field.
    let descriptions: String = (0..4)
        .map(|i| format!("d{i}:calls(first:100){{edges{{node{{description}}}}}} "))
        .collect();
    let err = app
        .error(None, &format!("{{ {descriptions}}}"), json!({}))
        .await;
    assert!(
        err["message"].as_str().unwrap().contains("too complex"),
        "{err}"
    );
}

#[tokio::test]
async fn an_answer_over_the_response_cap_is_replaced_by_an_error() {
    let query = "{ __schema { types { name description fields { name description } } } }";
    let app = TestApp::new().await;
    let whole = app.gql(None, query, json!({})).await.to_string();
    let app = TestApp::with_config(|c| c.max_response_bytes = whole.len() / 2).await;
    let (status, body) = app
        .send(
            Request::post("/graphql")
                .header("content-type", "application/json")
                .body(Body::from(json!({ "query": query }).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(status.as_u16(), 200);
    assert!(body.len() < 1000, "a part was sent: {} bytes", body.len());
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(answer["data"].is_null(), "{answer}");
    let err = &answer["errors"][0];
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("too large: ask for fewer items"),
        "{err}"
    );
}

#[tokio::test]
async fn a_long_document_is_answered_from_the_blocking_pool() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    app.product(&admin, "KH-1", "home care").await;
    let comment = format!("# {}\n", "x".repeat(40 * 1024));
    let data = app
        .ok(
            None,
            &format!("{comment}{{ products {{ code }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(data["products"][0]["code"], "KH-1");
    let err = app
        .error(None, &format!("{comment}{{ products {{ code }}"), json!({}))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
}

/// On this test's single thread, an answer computed on the async worker would hold
/// `/healthz` until it is done.
#[tokio::test]
async fn a_two_mebibyte_document_does_not_hold_the_async_worker() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let list = "1,".repeat(1024 * 1024 - 100);
    let body = json!({ "query": format!("{{ __typename(a: [{list}1]) }}") }).to_string();
    let heavy = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let started = std::time::Instant::now();
    let worker = tokio::spawn(app.router.clone().oneshot(heavy));
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (status, _) = app.get("/healthz").await;
    let waited = started.elapsed();
    assert_eq!(status.as_u16(), 200);
    assert!(
        !worker.is_finished(),
        "the heavy request should still be running"
    );
    assert!(waited < std::time::Duration::from_millis(500), "{waited:?}");
    let (parts, _) = worker.await.unwrap().unwrap().into_parts();
    assert_eq!(parts.status.as_u16(), 200);
}

#[tokio::test]
async fn a_three_mebibyte_body_gets_413() {
    let app = TestApp::new().await;
    let filler = "x".repeat(3 * 1024 * 1024);
    let body = json!({ "query": "{ me { id } }", "variables": { "pad": filler } }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap();
    let (status, _) = app.send(req).await;
    assert_eq!(status.as_u16(), 413);
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_account_for_a_while() {
    let app = TestApp::new().await;
    for _ in 0..10 {
        assert_eq!(
            app.code(
                None,
                LOGIN,
                json!({ "e": ADMIN_EMAIL, "p": "wrong-password" })
            )
            .await,
            "UNAUTHENTICATED"
        );
    }
    // Locked now, even with the right password; the answer says when to retry.
    let err = app
        .error(
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "TOO_MANY_REQUESTS");
    let retry = err["extensions"]["retryAfter"].as_i64().unwrap();
    assert!(retry > 0 && retry <= 5 * 60, "{err}");
    // When the window has passed, the right password works again.
    app.clock.advance(chrono::TimeDelta::seconds(retry));
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

/// Each attempt is counted before its password is checked, atomically, so a burst of
/// concurrent wrong logins gets no more checks than the limit: here 30 at once for one
/// account from one address, half of them through a second replica on the same database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_logins_get_at_most_ten_password_checks() {
    let app = Arc::new(TestApp::new().await);
    let replica = Arc::new(app.replica().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let target = if i % 2 == 0 {
            app.clone()
        } else {
            replica.clone()
        };
        tasks.spawn(async move {
            let resp = target
                .gql_from(
                    ip("198.51.100.7"),
                    None,
                    LOGIN,
                    json!({ "e": ADMIN_EMAIL, "p": format!("wrong-password-{i}") }),
                )
                .await;
            resp["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("<none>")
                .to_owned()
        });
    }
    let mut codes = Vec::new();
    while let Some(code) = tasks.join_next().await {
        codes.push(code.unwrap());
    }
    let checked = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
    let refused = codes.iter().filter(|c| *c == "TOO_MANY_REQUESTS").count();
    println!("concurrent wrong logins checked per account: {checked} of 30");
    assert_eq!(checked + refused, 30, "{codes:?}");
    assert!(checked <= 10, "{checked} password checks: {codes:?}");
    assert_eq!(checked, 10, "the first ten are checked: {codes:?}");
}

/// Failures from one address lock that address out of the account, never the owner elsewhere.
#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_owner_out_from_another() {
    let app = TestApp::new().await;
    let attacker = ip("203.0.113.66");
    for _ in 0..12 {
        app.gql_from(
            attacker,
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": "wrong-password" }),
        )
        .await;
    }
    let from_attacker = app
        .gql_from(
            attacker,
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(
        from_attacker["errors"][0]["extensions"]["code"], "TOO_MANY_REQUESTS",
        "{from_attacker}"
    );
    let owner = app
        .gql_from(
            ip("192.0.2.10"),
            None,
            LOGIN,
            json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
        )
        .await;
    assert!(owner["errors"].is_null(), "{owner}");
    assert!(owner["data"]["login"]["token"].is_string());
}

/// A successful login clears the count for that account and address.
#[tokio::test]
async fn a_successful_login_clears_the_count_for_its_account_and_address() {
    let app = TestApp::new().await;
    let home = ip("192.0.2.10");
    let attempt =
        |p: &'static str| app.gql_from(home, None, LOGIN, json!({ "e": ADMIN_EMAIL, "p": p }));
    for _ in 0..9 {
        assert_eq!(
            attempt("wrong-password").await["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
    }
    assert!(attempt(ADMIN_PASSWORD).await["errors"].is_null());
    for _ in 0..9 {
        assert_eq!(
            attempt("wrong-password").await["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
    }
    assert!(attempt(ADMIN_PASSWORD).await["errors"].is_null());
}
