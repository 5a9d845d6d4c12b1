//! `rapportsok serve`: the web page for people who never open a terminal. An axum server
//! on tokio, read-only: it searches the live generation of an index folder through a
//! [`LiveIndex`] (a nightly rebuild is picked up for new requests; requests in flight
//! finish on the generation they started with) and serves the corpus's source files.
//!
//! - [`handlers`]: the routes (pages, downloads, the JSON API, files, assets);
//! - [`pages`]: the HTML, as maud templates (escaped by default);
//! - [`params`]: the page's state in the URL, parsed by the library's request rules;
//! - [`files`]: which corpus files may be served;
//! - [`assets`]: the embedded stylesheet and script;
//! - [`feed`]: the Atom feed of a search (`/flode`).
//!
//! Every answer carries a strict Content-Security-Policy (no inline script or style,
//! nothing from another origin) and `X-Content-Type-Options: nosniff`; requests time out;
//! only GET and HEAD are answered. This module prints nothing: the CLI says where it
//! listens.

pub mod assets;
pub mod feed;
pub mod files;
pub mod handlers;
pub mod pages;
pub mod params;

use crate::searcher::LiveIndex;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The address `serve` binds when `--bind` is not given.
pub const DEFAULT_BIND: &str = "127.0.0.1:7700";
/// A request not answered by then is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often `CURRENT` is read to pick up a rebuild.
pub const REFRESH_EVERY: Duration = Duration::from_millis(500);
/// Most search requests worked on at once (the rest wait for a thread).
pub const MAX_BLOCKING: usize = 32;
/// The Content-Security-Policy of every answer: only this origin's files, no inline
/// script or style, no frames, forms only to this origin.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                       img-src 'self' data:; connect-src 'self'; form-action 'self'; \
                       base-uri 'none'; frame-ancestors 'none'";

/// Errors of `serve` itself (a request's errors are answered, not returned).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// The runtime could not start, or the server failed.
    #[error("the web server failed")]
    Io(#[from] std::io::Error),
}

/// What `serve` needs.
pub struct ServeOptions {
    /// The index followed (opened by the caller, so that its errors are the CLI's).
    pub live: LiveIndex,
    /// The corpus folder whose files `/fil/` serves.
    pub corpus: PathBuf,
    /// `host:port`; port 0 picks a free port.
    pub bind: String,
}

/// Serve until Ctrl-C or SIGTERM. `ready` is called with the bound address once the
/// server listens (the CLI prints the URL).
pub fn serve(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&opts.bind)
            .await
            .map_err(|source| ServeError::Bind {
                addr: opts.bind.clone(),
                source,
            })?;
        let live = Arc::new(opts.live);
        tokio::spawn(follow(Arc::clone(&live)));
        let state = Arc::new(handlers::AppState {
            live,
            corpus: opts.corpus,
        });
        ready(listener.local_addr()?);
        axum::serve(listener, app(state))
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    })
}

/// The router with its layers: security headers, timeout, compression, URL length.
pub fn app(state: Arc<handlers::AppState>) -> axum::Router {
    with_layers(handlers::router(state), REQUEST_TIMEOUT)
}

/// The layers every answer passes through, around `router`: a request not answered
/// within `timeout` is answered 503; every answer, errors included, carries the
/// security headers.
pub fn with_layers(router: axum::Router, timeout: Duration) -> axum::Router {
    router
        .layer(axum::middleware::from_fn(limit_query))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// A query string over [`params::MAX_QUERY_STRING`] is answered 414 before any work.
async fn limit_query(req: Request<axum::body::Body>, next: Next) -> Response {
    let too_long = req
        .uri()
        .query()
        .is_some_and(|q| q.len() > params::MAX_QUERY_STRING);
    if too_long {
        let message = format!(
            "Adressen är för lång (högst {} tecken efter ?). Korta sökningen.",
            params::MAX_QUERY_STRING
        );
        let body = pages::error_page("För lång adress", &message).into_string();
        return (
            StatusCode::URI_TOO_LONG,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
    }
    next.run(req).await
}

/// Move to a new generation when a build makes one live. An error (a `CURRENT` being
/// replaced, a generation that cannot be opened) keeps the searcher held; the next
/// round tries again.
async fn follow(live: Arc<LiveIndex>) {
    let mut tick = tokio::time::interval(REFRESH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let live = Arc::clone(&live);
        let _ = tokio::task::spawn_blocking(move || live.refresh()).await;
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    /// A request that takes longer than the timeout is answered 503, with the security
    /// headers; one that does not is answered.
    #[tokio::test]
    async fn slow_requests_time_out_with_the_headers() {
        let router = axum::Router::new()
            .route(
                "/slow",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    "late"
                }),
            )
            .route("/fast", axum::routing::get(|| async { "soon" }));
        let app = with_layers(router, Duration::from_millis(50));
        let get = |path: &str| Request::get(path).body(axum::body::Body::empty()).unwrap();
        let slow = app.clone().oneshot(get("/slow")).await.unwrap();
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            slow.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert!(slow.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        let fast = app.oneshot(get("/fast")).await.unwrap();
        assert_eq!(fast.status(), StatusCode::OK);
    }
}
