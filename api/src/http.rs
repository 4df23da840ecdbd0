//! HTTP: `POST /graphql`, GraphiQL at `GET /graphql` (see `graphiql.rs`), `GET /healthz`, `/metrics`, the OCDS
//! files, and the web portal at `/` (see `portal.rs`).

use crate::auth::{Caller, ClientAddr};
use crate::error::{AppError, error_response, finish_response};
use crate::graphql::cost::{self, Admitted};
use crate::graphql::{AppSchema, RequestTime, build_schema, loaders};
use crate::state::AppState;
use axum::Extension;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
struct Http {
    state: AppState,
    schema: AppSchema,
    cost: std::sync::Arc<crate::graphql::cost::CostModel>,
    /// The check of every string, list and decimal a request carries (`input_guard`).
    guard: std::sync::Arc<crate::graphql::input_guard::InputGuard>,
    /// The short documents clients send, kept parsed (`graphql::parsed`).
    documents: std::sync::Arc<crate::graphql::parsed::ParsedDocuments>,
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
    // /graphql takes uploads: its body limit is an upload's (a JSON body is held to
    // MAX_BODY_BYTES by the handler itself); every other route keeps MAX_BODY_BYTES.
    let graphql_route = Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(
            usize::try_from(MAX_UPLOAD_REQUEST_BYTES).unwrap_or(usize::MAX),
        ));
    let limited = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/ocds/calls/{id}/releases.json", get(ocds_releases))
        .route("/ocds/calls/{id}/record.json", get(ocds_record))
        .route("/calls/{id}/decision.html", get(decision_page))
        .route("/lots/{id}/decision.html", get(decision_page))
        .route("/documents/{id}", get(document_download))
        .route("/notices/{kind}/{id}", get(notice_xml))
        .route("/notices/{kind}/{id}/{version}", get(notice_version_xml))
        .merge(crate::portal::routes())
        .merge(crate::graphiql::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    graphql_route
        .merge(limited)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
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
            guard: Default::default(),
            documents: Default::default(),
            long: std::sync::Arc::new(tokio::sync::Semaphore::new(LONG_AT_ONCE)),
        })
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
    // here, so a cross-site "simple" request (text/plain, a form) never runs a mutation; a
    // multipart upload is taken only with an Authorization header, which a cross-site form
    // cannot send.
    if is_multipart(&headers) && headers.contains_key(header::AUTHORIZATION) {
        let now = http.state.now();
        return match multipart_request(&http, &headers, request).await {
            Ok((request, caller)) => run(&http, connect, request, caller, (None, None), now).await,
            Err(response) => response,
        };
    }
    if !is_json_request(&headers) {
        crate::metrics::graphql_request("invalid", 0.0, &[]);
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::bad_input(
                "content-type",
                "must be application/json or application/graphql-response+json (or multipart/form-data for an upload, with an Authorization header)",
            ),
        );
    }
    // A JSON body past the limit is refused on its Content-Length, before it is read.
    if content_length(&headers).is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::bad_input("body", format!("must be at most {MAX_BODY_BYTES} bytes")),
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
    // The chain head this request reads at: anonymous reads may be answered from the cache,
    // and every read-only request builds its answer from the cache's parts (`public_cache`).
    // A signed-in request reads it once it is known to be read-only (`run`).
    let head = match &caller {
        Caller::Anonymous => chain_head(&http).await,
        _ => None,
    };
    let cache_seq = match (&caller, head) {
        (Caller::Anonymous, Some(seq)) => {
            let key = crate::public_cache::Key::of(&body);
            if let Some(hit) = http.state.public_cache.get(seq, now, &key) {
                crate::metrics::graphql_request("cached", 0.0, &[]);
                return json_bytes(hit.as_ref().clone());
            }
            Some((seq, key))
        }
        _ => None,
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
    run(&http, connect, request, caller, (head, cache_seq), now).await
}

/// Runs a parsed request for `caller`: admission (cost), execution, metrics, the response
/// cap, and the public cache when `cache_seq` says the answer may be kept.
async fn run(
    http: &Http,
    connect: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    request: async_graphql::Request,
    caller: Caller,
    (head, cache_seq): (Option<i64>, Option<(i64, crate::public_cache::Key)>),
    now: chrono::DateTime<chrono::Utc>,
) -> axum::response::Response {
    // A long document is parsed, validated and executed on the blocking pool, a few at a time.
    let long = request.query.len() > LONG_DOCUMENT_BYTES;
    let _long_turn = match long {
        true => http.long.clone().acquire_owned().await.ok(),
        false => None,
    };
    let (request, admitted) = match admit(http, request, long).await {
        Ok(admitted) => admitted,
        Err(refusal) => return json_response(&refusal),
    };
    let cacheable = cache_seq.is_some() && admitted.only_queries;
    let head = match (head, admitted.only_queries) {
        (None, true) => chain_head(http).await,
        (head, _) => head,
    };
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
    // A read-only request reads the cache's parts at its head (after learning, once per head,
    // until when they hold); a request that writes reads the database only.
    let parts = match (admitted.only_queries, head) {
        (true, Some(seq)) => know(http, seq, now)
            .await
            .then(|| crate::public_cache::Parts {
                cache: http.state.public_cache.clone(),
                seq,
                now,
            }),
        _ => None,
    };
    let request = loaders::attach(request.data(parts.clone()), http.state.db.conn(), parts);
    // Labelled by operation type only (the document was parsed once, in `admit`): a bid
    // mutation is counted with every other mutation.
    let operation = if admitted.only_queries {
        "query"
    } else {
        "mutation"
    };
    let started = std::time::Instant::now();
    let response = finish_response(execute(http, request, long).await);
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
        know(http, seq, now).await;
        cache.put(seq, key, std::sync::Arc::new(bytes.clone()));
    }
    json_bytes(bytes)
}

/// The main chain's head now, or nothing (logged) when it cannot be read: the request is then
/// answered from the database alone.
async fn chain_head(http: &Http) -> Option<i64> {
    match crate::service::audit::head_seq(http.state.db.conn()).await {
        Ok(seq) => Some(seq),
        Err(e) => {
            tracing::warn!(error = %e, "public cache: cannot read the chain head");
            None
        }
    }
}

/// Makes the public cache current for the chain head `seq` at `now`, learning the next moment
/// a public answer changes without a write when it does not know it yet. False when that could
/// not be read (nothing is kept then).
async fn know(http: &Http, seq: i64, now: chrono::DateTime<chrono::Utc>) -> bool {
    let cache = &http.state.public_cache;
    if cache.knows(seq, now) {
        return true;
    }
    let conn = http.state.db.conn();
    let deadline = crate::service::calls::next_deadline(conn, now).await;
    let completion = crate::service::contracts::next_completion(conn, now).await;
    match (deadline, completion) {
        (Ok(d), Ok(c)) => {
            cache.reset(seq, [d, c].into_iter().flatten().min());
            cache.knows(seq, now)
        }
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "public cache: next change");
            false
        }
    }
}

/// The most bytes of a multipart upload request: 20 files of 25 MiB and the operations.
pub const MAX_UPLOAD_REQUEST_BYTES: u64 = crate::domain::document::MAX_FILE_BYTES
    * crate::domain::document::MAX_FILES_PER_OBJECT as u64
    + MAX_BODY_BYTES as u64;

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Whether the `Content-Type` is `multipart/form-data`.
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim())
        .is_some_and(|e| e.eq_ignore_ascii_case("multipart/form-data"))
}

/// A GraphQL multipart request (operations, map, files): only with a valid Authorization
/// header; each file streamed to a temporary file, at most 25 MiB and 20 files.
async fn multipart_request(
    http: &Http,
    headers: &HeaderMap,
    request: axum::extract::Request,
) -> Result<(async_graphql::Request, Caller), axum::response::Response> {
    let caller = caller_from_headers(&http.state, headers)
        .await
        .map_err(|e| json_response(&error_response(e)))?;
    if content_length(headers).is_some_and(|n| n > MAX_UPLOAD_REQUEST_BYTES) {
        return Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::bad_input(
                "body",
                format!("must be at most {MAX_UPLOAD_REQUEST_BYTES} bytes"),
            ),
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    match crate::upload::read(&content_type, request.into_body()).await {
        Ok(r) => Ok((r, caller)),
        Err(crate::upload::Refused::TooLarge(field, rule)) => Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::bad_input(field, rule),
        )),
        Err(crate::upload::Refused::Malformed(field, rule)) => Err(refused(
            StatusCode::BAD_REQUEST,
            AppError::bad_input(field, rule),
        )),
    }
}

/// `GET /documents/{id}` with the Bearer token: the content, to those who may read the
/// document (404 to anyone else, whether it exists or not); `ETag` (the SHA-256),
/// `If-None-Match`, one byte range; always as an attachment, never sniffed, under a CSP.
async fn document_download(
    State(http): State<Http>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> axum::response::Response {
    let caller = match caller_from_headers(&http.state, &headers).await {
        Ok(c) => c,
        Err(e) => {
            return (StatusCode::UNAUTHORIZED, json_response(&error_response(e))).into_response();
        }
    };
    let d = match crate::service::documents::readable(&http.state, &caller, &id).await {
        Ok(d) => d,
        Err(e) => {
            let status = if e.code() == "NOT_FOUND" {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            return (status, json_response(&error_response(e))).into_response();
        }
    };
    let etag = format!("\"{}\"", d.sha256);
    let size = u64::try_from(d.size).unwrap_or(0);
    let mut builder = axum::http::Response::builder()
        .header(header::ETAG, &etag)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CACHE_CONTROL, "private, no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        )
        .header(header::CONTENT_DISPOSITION, attachment(&d.name));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    if matches {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, end) = match crate::domain::document::range(range, size) {
        Ok(Some((s, e))) => {
            builder = builder.header(header::CONTENT_RANGE, format!("bytes {s}-{e}/{size}"));
            (StatusCode::PARTIAL_CONTENT, s, e)
        }
        Ok(None) => (StatusCode::OK, 0, size.saturating_sub(1)),
        Err(crate::domain::document::Unsatisfiable) => {
            return builder
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                .body(Body::empty())
                .unwrap_or_default();
        }
    };
    let length = if size == 0 { 0 } else { end - start + 1 };
    let store = crate::service::documents::DatabaseBlobs(http.state.db.conn().clone());
    let sha = d.sha256.clone();
    let stream = futures_util::stream::try_unfold(0u64, move |n| {
        let (store, sha) = (store.clone(), sha.clone());
        async move {
            use crate::service::documents::BlobStore;
            if size == 0 {
                return Ok::<_, AppError>(None);
            }
            Ok(store
                .piece(&sha, start, end, n)
                .await?
                .map(|bytes| (axum::body::Bytes::from(bytes), n + 1)))
        }
    });
    builder
        .status(status)
        .header(header::CONTENT_TYPE, &d.content_type)
        .header(header::CONTENT_LENGTH, length)
        .body(Body::from_stream(stream))
        .unwrap_or_default()
}

/// `Content-Disposition: attachment` with the name, ASCII-safe and as RFC 5987 UTF-8.
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A JSON object with a non-empty `query` string (serde alone would take `[]` or `{}`).
pub(crate) fn parse_request(body: &[u8]) -> Result<async_graphql::Request, String> {
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

/// Documents longer than this are parsed, priced, validated and executed on the blocking
/// pool, off the async workers: parsing 2 MiB takes about a second in a debug build.
const LONG_DOCUMENT_BYTES: usize = 16 * 1024;
/// How many long documents are worked on at once; more wait their turn (within the timeout).
const LONG_AT_ONCE: usize = 2;

/// Parses the request, prices it (`graphql::cost`) and checks its inputs
/// (`graphql::input_guard`) before async-graphql sees it, off the async workers when it is
/// long. The parsed document goes on with the request, so async-graphql does not parse it
/// again; a refusal is the answer to send.
async fn admit(
    http: &Http,
    request: async_graphql::Request,
    long: bool,
) -> Result<(async_graphql::Request, Admitted), Box<async_graphql::Response>> {
    let (model, guard, documents) = (
        http.cost.clone(),
        http.guard.clone(),
        http.documents.clone(),
    );
    let refuse = |response| Box::new(finish_response(response));
    let price = move |mut request: async_graphql::Request| {
        let doc = documents
            .parse(&request.query)
            .map_err(|e| refuse(async_graphql::Response::from_errors(vec![e.into()])))?;
        let admitted =
            cost::price(&model, &doc, &request.variables).map_err(|e| refuse(error_response(e)))?;
        guard
            .check(&doc, &request.variables)
            .map_err(|e| refuse(async_graphql::Response::from_errors(vec![e])))?;
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
    // Most answers fit in 16 KiB: reserved at once rather than grown by copying.
    let mut out = Capped(Vec::with_capacity(limit.min(16 * 1024)), limit);
    serde_json::to_writer(&mut out, response).ok()?;
    Some(out.0)
}

fn json_bytes(bytes: Vec<u8>) -> axum::response::Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

fn json_response(response: &async_graphql::Response) -> axum::response::Response {
    json_bytes(serde_json::to_vec(response).unwrap_or_default())
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

/// An eForms notice as XML (`Query.notice`): `/notices/contract/{callId}`,
/// `/notices/award/{callId}`, `/notices/modification/{contractId}[/{version}]`. A draft
/// needs the orderer's bearer token.
async fn notice_xml(
    State(http): State<Http>,
    Path((kind, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> axum::response::Response {
    notice_response(&http, &kind, &id, None, &headers).await
}

async fn notice_version_xml(
    State(http): State<Http>,
    Path((kind, id, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> axum::response::Response {
    let Ok(version) = version.parse::<i32>() else {
        return (StatusCode::NOT_FOUND, "no such notice").into_response();
    };
    notice_response(&http, &kind, &id, Some(version), &headers).await
}

async fn notice_response(
    http: &Http,
    kind: &str,
    id: &str,
    version: Option<i32>,
    headers: &HeaderMap,
) -> axum::response::Response {
    use crate::domain::eforms::Kind;
    use crate::service::notices::Subject;
    let (kind, subject) = match (kind, version) {
        ("contract", None) => (Kind::Contract, Subject::Call(id)),
        ("award", None) => (Kind::Award, Subject::Call(id)),
        ("modification", v) => (Kind::Modification, Subject::Contract(id, v)),
        _ => return (StatusCode::NOT_FOUND, "no such notice").into_response(),
    };
    let caller = match caller_from_headers(&http.state, headers).await {
        Ok(c) => c,
        Err(e) => {
            return (StatusCode::UNAUTHORIZED, json_response(&error_response(e))).into_response();
        }
    };
    let cx = crate::service::Cx {
        state: &http.state,
        caller: &caller,
    };
    match crate::service::notices::notice(cx, kind, subject).await {
        Ok(n) => (
            [
                (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
                (
                    header::CACHE_CONTROL,
                    if n.draft {
                        "private, no-store"
                    } else {
                        "no-cache"
                    },
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            n.xml,
        )
            .into_response(),
        Err(e) => {
            let status = match e.code() {
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "INVALID_STATE" => StatusCode::CONFLICT,
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (status, json_response(&error_response(e))).into_response()
        }
    }
}

/// The award decision as a printable page; 404 for a call without an award.
async fn decision_page(
    State(http): State<Http>,
    Path(id): Path<String>,
) -> axum::response::Response {
    match crate::service::remedies::decision_document(&http.state, &id).await {
        Ok(d) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    axum::http::header::CONTENT_SECURITY_POLICY,
                    crate::decision::CSP,
                ),
            ],
            crate::decision::render(&d),
        )
            .into_response(),
        Err(AppError::NotFound(m)) => (StatusCode::NOT_FOUND, m).into_response(),
        Err(e) => {
            let id = uuid::Uuid::new_v4();
            tracing::error!(error_id = %id, error = %e, "decision document");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("internal error (id {id})"),
            )
                .into_response()
        }
    }
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
