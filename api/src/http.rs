//! HTTP: `POST /graphql`, GraphiQL at `GET /graphql`, `GET /healthz`, `/metrics`, the OCDS
//! files, and the web portal at `/` (see `portal.rs`).

use crate::auth::Caller;
use crate::error::{AppError, error_response, finish_response};
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
}

/// Largest request body accepted; a larger one gets 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// A request taking longer is answered 503 and its work dropped.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    crate::metrics::handle();
    let schema = build_schema(state.clone());
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/ocds/calls/{id}/releases.json", get(ocds_releases))
        .route("/ocds/calls/{id}/record.json", get(ocds_record))
        .merge(crate::portal::routes())
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
        .with_state(Http { state, schema })
}

/// The caller named by the `Authorization` header. No header is anonymous; a header that is
/// not a valid, unexpired, unrevoked bearer token is an error, never silently anonymous.
/// Whether the token is revoked (an older token version, or a disabled user) is answered by
/// the per-process status cache, or the database when the cache's entry is too old.
pub async fn caller_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Caller, AppError> {
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
    let now = state.now();
    let (actor, version) = state.keys.verify(token, now)?;
    crate::service::identity::ensure_token_current(state, &actor.user_id, version, now).await?;
    Ok(Caller::User(actor))
}

async fn graphql(
    State(http): State<Http>,
    connect: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let caller = match caller_from_headers(&http.state, &headers).await {
        Ok(c) => c,
        Err(e) => return json_response(&error_response(e)),
    };
    let now = http.state.now();
    // Anonymous reads may be answered from the cache (see `public_cache`).
    let cache_seq = match caller {
        Caller::Anonymous => match crate::service::audit::head_seq(http.state.db.conn()).await {
            Ok(seq) => {
                if let Some(hit) = http.state.public_cache.get(seq, now, &body) {
                    crate::metrics::graphql_request("cached", 0.0, &[]);
                    return json_bytes(hit.as_ref().clone());
                }
                Some(seq)
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
    let cacheable = cache_seq.is_some() && only_queries(&request.query);
    // One computation per question at a time: concurrent misses on the same question (a
    // burst after a write, or at start) wait for the first and take its answer.
    let _flight = match (cacheable, cache_seq) {
        (true, Some(seq)) => {
            let guard = http.state.public_cache.flight(&body).lock_owned().await;
            if let Some(hit) = http.state.public_cache.get(seq, now, &body) {
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
    let response = finish_response(http.schema.execute(request).await);
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
    let bytes = serde_json::to_vec(&response).unwrap_or_default();
    if let (true, Some(seq)) = (cacheable && response.errors.is_empty(), cache_seq) {
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
        cache.put(seq, body.to_vec(), std::sync::Arc::new(bytes.clone()));
    }
    json_bytes(bytes)
}

/// Whether a document holds queries only (mutations are never cached).
fn only_queries(query: &str) -> bool {
    use async_graphql::parser::types::OperationType;
    match async_graphql::parser::parse_query(query) {
        Ok(doc) => doc
            .operations
            .iter()
            .all(|(_, op)| op.node.ty == OperationType::Query),
        Err(_) => false,
    }
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
        caller_from_headers(&http.state, &headers).await,
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
