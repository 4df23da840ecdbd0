//! HTTP: `POST /graphql`, GraphiQL at `GET /graphql`, and `GET /healthz`.

use crate::auth::Caller;
use crate::error::{AppError, error_response, finish_response};
use crate::graphql::{AppSchema, RequestTime, build_schema, loaders};
use crate::state::AppState;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Extension;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

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

pub fn router(state: AppState) -> Router {
    let schema = build_schema(state.clone());
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(healthz))
        .route("/ocds/calls/{id}/releases.json", get(ocds_releases))
        .route("/ocds/calls/{id}/record.json", get(ocds_record))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(Http { state, schema })
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
    request: GraphQLRequest,
) -> GraphQLResponse {
    let caller = match caller_from_headers(&http.state, &headers) {
        Ok(c) => c,
        Err(e) => return error_response(e).into(),
    };
    let client = ClientAddr(connect.map(|Extension(ConnectInfo(addr))| addr.ip()));
    let request = request
        .into_inner()
        .data(caller)
        .data(client)
        .data(RequestTime(http.state.now()));
    let request = loaders::attach(request, http.state.db.conn());
    finish_response(http.schema.execute(request).await).into()
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
