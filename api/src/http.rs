//! HTTP: `POST /graphql`, GraphiQL at `GET /graphql`, `GET /healthz`, `/metrics`, the OCDS
//! files, and the web portal at `/` (see `portal.rs`).

use crate::auth::Caller;
use crate::error::{AppError, error_response, finish_response};
use crate::graphql::cost::{self, Admitted};
use crate::graphql::{AppSchema, RequestTime, build_schema, loaders};
use crate::state::AppState;
use async_graphql::http::GraphiQLSource;
use axum::Extension;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The client's address, when the server knows it (behind a proxy: the proxy's).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

#[derive(Clone)]
struct Http {
    state: AppState,
    schema: AppSchema,
    cost: std::sync::Arc<crate::graphql::cost::CostModel>,
    /// Long documents being parsed or executed, at most [`LONG_AT_ONCE`].
    long: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Largest request body accepted; a larger one gets 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// A request taking longer is answered 503 and its work dropped.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    crate::metrics::handle();
    let schema = build_schema(state.clone());
    let cost = crate::graphql::cost::CostModel::from_sdl(&schema.sdl()).unwrap_or_else(|e| {
        // Unreachable (the SDL is async-graphql's own); prices every list at 1 if it were.
        tracing::error!(error = %e, "cost model: cannot read the schema");
        Default::default()
    });
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/ocds/calls/{id}/releases.json", get(ocds_releases))
        .route("/ocds/calls/{id}/record.json", get(ocds_record))
        .merge(crate::portal::routes())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::map_response(count_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::DEBUG)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(Http {
            state,
            schema,
            cost: std::sync::Arc::new(cost),
            long: std::sync::Arc::new(tokio::sync::Semaphore::new(LONG_AT_ONCE)),
        })
}

/// The caller named by the `Authorization` header. No header is anonymous; a header that is
/// not a valid, unexpired bearer token is an error, never silently anonymous.
pub fn caller_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let invalid =
        || AppError::Unauthenticated("the Authorization header must be `Bearer <token>`".into());
    let text = value.to_str().map_err(|_| invalid())?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(invalid)?;
    Ok(Caller::User(state.keys.verify(token, state.now())?))
}

async fn graphql(
    State(http): State<Http>,
    connect: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let caller = match caller_from_headers(&http.state, &headers) {
        Ok(c) => c,
        Err(e) => return json_response(&error_response(e)),
    };
    let now = http.state.now();
    // Anonymous reads may be answered from the cache (see `public_cache`).
    let cache_seq = match caller {
        Caller::Anonymous => match crate::service::audit::head_seq(http.state.db.conn()).await {
            Ok(seq) => {
                let key = crate::public_cache::Key::of(&body);
                if let Some(hit) = http.state.public_cache.get(seq, now, &key) {
                    crate::metrics::graphql_request("cached", 0.0, &[]);
                    return json_bytes(hit.as_ref().clone());
                }
                Some((seq, key))
            }
            Err(e) => {
                tracing::warn!(error = %e, "public cache: cannot read the chain head");
                None
            }
        },
        Caller::User(_) => None,
    };
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return json_response(&error_response(AppError::bad_input(
                "body",
                format!("is not a GraphQL request ({e})"),
            )));
        }
    };
    // A long document is parsed, validated and executed on the blocking pool, a few at a time.
    let long = request.query.len() > LONG_DOCUMENT_BYTES;
    let _long_turn = match long {
        true => http.long.clone().acquire_owned().await.ok(),
        false => None,
    };
    let (request, admitted) = match admit(&http, request, long).await {
        Ok(admitted) => admitted,
        Err(refusal) => return json_response(&refusal),
    };
    let cacheable = cache_seq.is_some() && admitted.only_queries;
    // One computation per question at a time: concurrent misses on the same question (a
    // burst after a write, or at start) wait for the first and take its answer.
    let _flight = match (cacheable, cache_seq) {
        (true, Some((seq, key))) => {
            let guard = http.state.public_cache.flight(&key).lock_owned().await;
            if let Some(hit) = http.state.public_cache.get(seq, now, &key) {
                crate::metrics::graphql_request("cached", 0.0, &[]);
                return json_bytes(hit.as_ref().clone());
            }
            Some(guard)
        }
        _ => None,
    };
    let client = ClientAddr(connect.map(|Extension(ConnectInfo(addr))| addr.ip()));
    let request = request.data(caller).data(client).data(RequestTime(now));
    let request = loaders::attach(request, http.state.db.conn());
    let operation = operation_label(request.operation_name.as_deref());
    let started = std::time::Instant::now();
    let response = finish_response(execute(&http, request, long).await);
    let codes: Vec<String> = response
        .errors
        .iter()
        .filter_map(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .map(|c| c.to_string().trim_matches('"').to_owned())
        })
        .collect();
    crate::metrics::graphql_request(&operation, started.elapsed().as_secs_f64(), &codes);
    let limit = http.state.config.max_response_bytes;
    let (bytes, fits) = match json_capped(&response, limit) {
        Some(bytes) => (bytes, true),
        None => {
            tracing::info!(limit, "response too large: refused");
            let rule = format!("too large: ask for fewer items (at most {limit} bytes)");
            let refusal = error_response(AppError::bad_input("response", rule));
            (serde_json::to_vec(&refusal).unwrap_or_default(), false)
        }
    };
    if let (true, Some((seq, key))) = (cacheable && fits && response.errors.is_empty(), cache_seq) {
        let cache = &http.state.public_cache;
        if !cache.knows(seq, now) {
            let conn = http.state.db.conn();
            let deadline = crate::service::calls::next_deadline(conn, now).await;
            let completion = crate::service::contracts::next_completion(conn, now).await;
            match (deadline, completion) {
                (Ok(d), Ok(c)) => cache.reset(seq, [d, c].into_iter().flatten().min()),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!(error = %e, "public cache: next change")
                }
            }
        }
        cache.put(seq, key, std::sync::Arc::new(bytes.clone()));
    }
    json_bytes(bytes)
}

/// Documents longer than this are parsed, priced, validated and executed on the blocking
/// pool, off the async workers: parsing 2 MiB takes about a second in a debug build.
const LONG_DOCUMENT_BYTES: usize = 16 * 1024;
/// How many long documents are worked on at once; more wait their turn (within the timeout).
const LONG_AT_ONCE: usize = 2;

/// Parses and prices the request before async-graphql sees it (see `graphql::cost`), off
/// the async workers when it is long. The parsed document goes on with the request, so
/// async-graphql does not parse it again; a refusal is the answer to send.
async fn admit(
    http: &Http,
    request: async_graphql::Request,
    long: bool,
) -> Result<(async_graphql::Request, Admitted), Box<async_graphql::Response>> {
    let model = http.cost.clone();
    let refuse = |response| Box::new(finish_response(response));
    let price = move |mut request: async_graphql::Request| {
        let doc = async_graphql::parser::parse_query(&request.query)
            .map_err(|e| refuse(async_graphql::Response::from_errors(vec![e.into()])))?;
        let admitted =
            cost::price(&model, &doc, &request.variables).map_err(|e| refuse(error_response(e)))?;
        request.set_parsed_query(doc);
        Ok((request, admitted))
    };
    if !long {
        return price(request);
    }
    tokio::task::spawn_blocking(move || price(request))
        .await
        .map_err(|e| {
            refuse(error_response(AppError::Internal(anyhow::anyhow!(
                "pricing: {e}"
            ))))
        })?
}

/// Executes an admitted request: a long document on the blocking pool (async-graphql
/// validates it in one go, which can take long for a 2 MiB argument list).
async fn execute(
    http: &Http,
    request: async_graphql::Request,
    long: bool,
) -> async_graphql::Response {
    if !long {
        return execute_caught(http.schema.execute(request)).await;
    }
    let schema = http.schema.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(execute_caught(schema.execute(request))))
        .await
        .unwrap_or_else(|e| error_response(AppError::Internal(anyhow::anyhow!("executing: {e}"))))
}

/// Runs a schema execution; a panic in it becomes an internal error with an id (logged),
/// never a dropped connection.
async fn execute_caught(
    execution: impl std::future::Future<Output = async_graphql::Response>,
) -> async_graphql::Response {
    use futures_util::FutureExt;
    match std::panic::AssertUnwindSafe(execution).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => error_response(AppError::Internal(anyhow::anyhow!(
            "panic: {}",
            panic_text(panic.as_ref())
        ))),
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// A panic outside the GraphQL execution: logged with an id, answered 500 with the id only.
fn panic_response(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let id = uuid::Uuid::new_v4();
    tracing::error!(error_id = %id, panic = panic_text(panic.as_ref()), "handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal error (id {id})"),
    )
        .into_response()
}

/// The response as JSON, or `None` when it would be longer than `limit` bytes (serialising
/// stops there: no more than `limit` bytes are ever held).
fn json_capped(response: &async_graphql::Response, limit: usize) -> Option<Vec<u8>> {
    struct Capped(Vec<u8>, usize);
    impl std::io::Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0.len() + buf.len() > self.1 {
                return Err(std::io::Error::other("response too large"));
            }
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Capped(Vec::new(), limit);
    serde_json::to_writer(&mut out, response).ok()?;
    Some(out.0)
}

fn json_bytes(bytes: Vec<u8>) -> axum::response::Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

fn json_response(response: &async_graphql::Response) -> axum::response::Response {
    json_bytes(serde_json::to_vec(response).unwrap_or_default())
}

/// A bounded label for metrics: the first 100 well-formed operation names, then "other".
fn operation_label(name: Option<&str>) -> String {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let Some(name) = name.filter(|n| {
        !n.is_empty() && n.len() <= 64 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }) else {
        return if name.is_none() {
            "anonymous".to_owned()
        } else {
            "other".to_owned()
        };
    };
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    let set = seen.get_or_insert_with(HashSet::new);
    if set.contains(name) || set.len() < 100 {
        set.insert(name.to_owned());
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

async fn count_response(response: axum::response::Response) -> axum::response::Response {
    crate::metrics::http_response(response.status().as_u16());
    response
}

/// Metrics are operational data (request counts could hint at activity on sealed calls):
/// served to a scraper on the same host (loopback) or to an ADMIN token only.
async fn metrics_text(
    State(http): State<Http>,
    connect: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
) -> axum::response::Response {
    let local = connect.is_some_and(|Extension(ConnectInfo(a))| a.ip().is_loopback());
    let admin = matches!(
        caller_from_headers(&http.state, &headers),
        Ok(Caller::User(ref a)) if a.role == entity::Role::Admin
    );
    if !local && !admin {
        return (
            StatusCode::FORBIDDEN,
            "metrics are for the local scraper or an admin token",
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::render(&http.state).await,
    )
        .into_response()
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Kilpailutus GraphQL")
            .finish(),
    )
}

async fn healthz(State(http): State<Http>) -> impl IntoResponse {
    match http.state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn ocds_releases(
    State(http): State<Http>,
    Path(id): Path<String>,
) -> axum::response::Response {
    ocds_json(crate::service::ocds::release_package(&http.state, &id).await)
}

async fn ocds_record(State(http): State<Http>, Path(id): Path<String>) -> axum::response::Response {
    ocds_json(crate::service::ocds::record_package(&http.state, &id).await)
}

/// Public OCDS JSON; 404 for anything that is not a published call.
fn ocds_json(result: Result<serde_json::Value, AppError>) -> axum::response::Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(AppError::NotFound(m)) => (StatusCode::NOT_FOUND, m).into_response(),
        Err(e) => {
            let id = uuid::Uuid::new_v4();
            tracing::error!(error_id = %id, error = %e, "OCDS export");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("internal error (id {id})"),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(error: &async_graphql::ServerError) -> Option<&async_graphql::Value> {
        error.extensions.as_ref().and_then(|x| x.get("code"))
    }

    #[tokio::test]
    async fn a_panicking_execution_becomes_an_internal_error_with_an_id() {
        let execution = async {
            if uuid::Uuid::new_v4().is_nil() {
                return async_graphql::Response::new(async_graphql::Value::Null);
            }
            panic!("secret detail")
        };
        let response = execute_caught(execution).await;
        let error = &response.errors[0];
        assert_eq!(
            code(error),
            Some(&async_graphql::Value::String("INTERNAL".into()))
        );
        assert!(
            error.message.starts_with("internal error (id "),
            "{}",
            error.message
        );
        assert!(!error.message.contains("secret"));
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_500_with_an_id() {
        use tower::ServiceExt;
        let app = Router::new()
            .route(
                "/boom",
                get(|| async {
                    if uuid::Uuid::new_v4().is_nil() {
                        return "never";
                    }
                    panic!("secret detail")
                }),
            )
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                panic_response,
            ));
        let request = axum::http::Request::get("/boom")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with("internal error (id "), "{text}");
        assert!(!text.contains("secret"));
    }

    #[test]
    fn a_response_is_serialised_only_up_to_the_cap() {
        let response = async_graphql::Response::new(async_graphql::Value::String("x".repeat(100)));
        let whole = serde_json::to_vec(&response).unwrap();
        assert_eq!(json_capped(&response, whole.len()), Some(whole.clone()));
        assert_eq!(json_capped(&response, whole.len() - 1), None);
    }
}
