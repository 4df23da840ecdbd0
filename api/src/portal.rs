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
    "notices.js" => "text/javascript; charset=utf-8",
    "i18n.js" => "text/javascript; charset=utf-8",
    "i18n/fi.json" => "application/json",
    "i18n/sv.json" => "application/json",
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

#[cfg(test)]
mod tests {
    use super::ASSETS;
    use std::collections::BTreeSet;

    fn texts(lang: &str) -> serde_json::Map<String, serde_json::Value> {
        let path = format!("i18n/{lang}.json");
        let asset = ASSETS.iter().find(|a| a.path == path).unwrap();
        serde_json::from_slice(asset.body).unwrap()
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    /// The portal speaks Finnish, Swedish and English: every key in all three files, none
    /// empty, with the same placeholders.
    #[test]
    fn every_text_in_finnish_swedish_and_english() {
        let [fi, sv, en] = ["fi", "sv", "en"].map(texts);
        let keys = |m: &serde_json::Map<String, serde_json::Value>| -> BTreeSet<String> {
            m.keys().cloned().collect()
        };
        assert_eq!(keys(&fi), keys(&en), "fi and en keys");
        assert_eq!(keys(&sv), keys(&en), "sv and en keys");
        for (key, value) in &en {
            let en_text = value.as_str().unwrap();
            for (lang, other) in [("fi", &fi), ("sv", &sv)] {
                let text = other[key].as_str().unwrap();
                assert!(!text.trim().is_empty(), "{lang} {key}");
                assert_eq!(placeholders(text), placeholders(en_text), "{lang} {key}");
            }
        }
    }
}
