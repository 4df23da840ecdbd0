//! HTTP: `POST /graphql`, GraphiQL at `GET /graphql` (see `graphiql.rs`), `GET /healthz`, `/metrics`, the OCDS
//! files, and the web portal at `/` (see `portal.rs`).

use crate::auth::Caller;
use crate::error::{AppError, error_response, finish_response};
use crate::graphql::{AppSchema, RequestTime, build_schema, loaders};
use crate::state::AppState;
use axum::Extension;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
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
        .merge(crate::graphiql::routes())
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
    request: axum::extract::Request,
) -> axum::response::Response {
    // First, before the body is read or anything is looked up: only JSON is a GraphQL request
    // here, so a cross-site "simple" request (text/plain, a form) never runs a mutation.
    // (Multipart uploads, when they come, will be accepted only with an Authorization header.)
    if !is_json_request(&headers) {
        crate::metrics::graphql_request("invalid", 0.0, &[]);
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::bad_input(
                "content-type",
                "must be application/json or application/graphql-response+json",
            ),
        );
    }
    let body = match read_body(request, http.state.config.body_read_timeout).await {
        Ok(body) => body,
        Err(response) => return response,
    };
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
    let request = match parse_request(&body) {
        Ok(r) => r,
        Err(why) => {
            crate::metrics::graphql_request("invalid", 0.0, &[]);
            return refused(
                StatusCode::BAD_REQUEST,
                AppError::bad_input("body", format!("is not a GraphQL request ({why})")),
            );
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
    let operation = operation_kind(&request.query, request.operation_name.as_deref());
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
    crate::metrics::graphql_request(operation, started.elapsed().as_secs_f64(), &codes);
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

/// A JSON object with a non-empty `query` string (serde alone would take `[]` or `{}`).
fn parse_request(body: &[u8]) -> Result<async_graphql::Request, String> {
    let request: async_graphql::Request =
        serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if !body.trim_ascii_start().starts_with(b"{") || request.query.trim().is_empty() {
        return Err("a JSON object with a `query` string is expected".to_owned());
    }
    Ok(request)
}

/// Whether the `Content-Type` names JSON: `application/json` or
/// `application/graphql-response+json`, in any case, with or without parameters.
fn is_json_request(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    ["application/json", "application/graphql-response+json"]
        .iter()
        .any(|t| essence.eq_ignore_ascii_case(t))
}

/// Reads the whole body within `limit`: 408 after it, 413 past [`MAX_BODY_BYTES`], 400 when
/// the body breaks off.
async fn read_body(
    request: axum::extract::Request,
    limit: std::time::Duration,
) -> Result<axum::body::Bytes, axum::response::Response> {
    use axum::extract::FromRequest;
    match tokio::time::timeout(limit, axum::body::Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) => Err(rejection.into_response()),
        Err(_) => {
            tracing::info!(seconds = limit.as_secs(), "request body too slow");
            Err(refused(
                StatusCode::REQUEST_TIMEOUT,
                AppError::bad_input("body", format!("was not received within {limit:?}")),
            ))
        }
    }
}

/// A GraphQL-style error body `{"errors":[{"message","extensions":{"code"}}]}` with an HTTP
/// status, for requests refused before they are parsed.
fn refused(status: StatusCode, err: AppError) -> axum::response::Response {
    (status, json_response(&error_response(err))).into_response()
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

/// The metrics label of a request: the type of the operation it runs (`query`, `mutation`,
/// `subscription`), or `invalid`. Never the client-chosen operation name, so a bid is counted
/// with every other mutation.
fn operation_kind(query: &str, name: Option<&str>) -> &'static str {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return "invalid";
    };
    let ty = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    match ty {
        Some(OperationType::Query) => "query",
        Some(OperationType::Mutation) => "mutation",
        Some(OperationType::Subscription) => "subscription",
        None => "invalid",
    }
}

async fn count_response(response: axum::response::Response) -> axum::response::Response {
    crate::metrics::http_response(response.status().as_u16());
    response
}

/// Metrics are operational data (request counts could hint at activity on sealed calls):
/// served only to `Authorization: Bearer <METRICS_TOKEN>`, whatever the caller's address
/// (behind a reverse proxy every caller is the proxy); without a configured token, 404.
async fn metrics_text(State(http): State<Http>, headers: HeaderMap) -> axum::response::Response {
    let Some(expected) = http.state.config.metrics_token.as_deref() else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|given| same_secret(given, expected)) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need the bearer token METRICS_TOKEN",
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::render(&http.state).await,
    )
        .into_response()
}

/// Compares two secrets in time that depends on neither: both are hashed to 32 bytes first,
/// and every byte is compared.
fn same_secret(given: &str, expected: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(given), Sha256::digest(expected));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

async fn graphiql() -> axum::response::Response {
    crate::graphiql::page()
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
