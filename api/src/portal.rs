//! The web portal: plain HTML, CSS and JavaScript modules from `api/portal/`, embedded in the
//! binary at build time and served at `/` and `/portal/…` under a strict Content-Security-Policy
//! (no inline script or style, nothing from other origins). The portal is a client of
//! `POST /graphql` like any other; it has no endpoint of its own.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

macro_rules! assets {
    ($($path:literal => $content_type:literal),* $(,)?) => {
        /// Every file of the portal, embedded.
        pub const ASSETS: &[Asset] = &[$(Asset {
            path: $path,
            content_type: $content_type,
            body: include_bytes!(concat!("../portal/", $path)),
        }),*];
    };
}

assets! {
    "index.html" => "text/html; charset=utf-8",
    "style.css" => "text/css; charset=utf-8",
    "app.js" => "text/javascript; charset=utf-8",
    "api.js" => "text/javascript; charset=utf-8",
    "decimal.js" => "text/javascript; charset=utf-8",
    "dom.js" => "text/javascript; charset=utf-8",
    "forms.js" => "text/javascript; charset=utf-8",
    "documents.js" => "text/javascript; charset=utf-8",
    "i18n.js" => "text/javascript; charset=utf-8",
    "i18n/fi.json" => "application/json",
    "i18n/en.json" => "application/json",
    "pages/public.js" => "text/javascript; charset=utf-8",
    "pages/account.js" => "text/javascript; charset=utf-8",
    "pages/provider.js" => "text/javascript; charset=utf-8",
    "pages/notifications.js" => "text/javascript; charset=utf-8",
    "pages/orderer.js" => "text/javascript; charset=utf-8",
    "pages/report.js" => "text/javascript; charset=utf-8",
    "pages/inhouse.js" => "text/javascript; charset=utf-8",
    "pages/kit.js" => "text/javascript; charset=utf-8",
    "pages/contracts.js" => "text/javascript; charset=utf-8",
    "pages/budget.js" => "text/javascript; charset=utf-8",
    "pages/audit.js" => "text/javascript; charset=utf-8",
    "pages/settings.js" => "text/javascript; charset=utf-8",
    "pages/admin.js" => "text/javascript; charset=utf-8",
    "pages/remedies.js" => "text/javascript; charset=utf-8",
}

/// Scripts and styles only from this origin, no inline code, requests only to this origin,
/// no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The embedded files' total size in bytes.
pub fn embedded_bytes() -> usize {
    ASSETS.iter().map(|a| a.body.len()).sum()
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/portal/{*path}", get(file))
}

async fn index() -> Response {
    serve("index.html")
}

async fn file(Path(path): Path<String>) -> Response {
    serve(&path)
}

fn serve(path: &str) -> Response {
    serve_asset(ASSETS, path, CSP)
}

/// One of `assets` with its type and the security headers, or 404.
pub fn serve_asset(assets: &[Asset], path: &str, csp: &'static str) -> Response {
    let Some(asset) = assets.iter().find(|a| a.path == path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        asset.body,
    )
        .into_response()
}
