//! The page's stylesheet and script, embedded in the binary (`include_str!`): no CDN, no
//! build step, and a page that works offline on a municipal intranet. The paths carry
//! the package version, so a new release is not served from a stale browser cache.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The stylesheet's URL.
pub const CSS_PATH: &str = concat!("/static/app-", env!("CARGO_PKG_VERSION"), ".css");
/// The script's URL.
pub const JS_PATH: &str = concat!("/static/app-", env!("CARGO_PKG_VERSION"), ".js");

/// The stylesheet.
pub const CSS: &str = include_str!("assets/style.css");
/// The script (the page works without it).
pub const JS: &str = include_str!("assets/app.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// `GET /static/app-<version>.css`.
pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

/// `GET /static/app-<version>.js`.
pub async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}
