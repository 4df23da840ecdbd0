//! GraphiQL at `GET /graphql`, served from the binary: its page, React and GraphiQL's UMD
//! build are embedded from `api/graphiql/` (versions and refresh in its README) and served at
//! `/graphiql/…` under the portal's Content-Security-Policy, so the IDE loads nothing from
//! another origin and runs no inline script.

use crate::portal::{Asset, serve_asset};
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;

macro_rules! assets {
    ($($path:literal => $content_type:literal),* $(,)?) => {
        /// Every file GraphiQL's page loads, embedded.
        pub const ASSETS: &[Asset] = &[$(Asset {
            path: $path,
            content_type: $content_type,
            body: include_bytes!(concat!("../graphiql/", $path)),
        }),*];
    };
}

assets! {
    "index.html" => "text/html; charset=utf-8",
    "page.css" => "text/css; charset=utf-8",
    "init.js" => "text/javascript; charset=utf-8",
    "graphiql.min.css" => "text/css; charset=utf-8",
    "graphiql.min.js" => "text/javascript; charset=utf-8",
    "react.production.min.js" => "text/javascript; charset=utf-8",
    "react-dom.production.min.js" => "text/javascript; charset=utf-8",
}

/// The portal's policy ([`crate::portal::CSP`]) and one addition: `font-src data:`, because
/// `graphiql.min.css` carries its fonts as `data:` URLs.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `GET /graphql` (the page; `POST /graphql` is the API, routed in `http.rs`) and the files.
pub fn page() -> Response {
    serve_asset(ASSETS, "index.html", CSP)
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/graphiql/{*path}", get(file))
}

async fn file(Path(path): Path<String>) -> Response {
    serve_asset(ASSETS, &path, CSP)
}
