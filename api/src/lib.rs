//! galleon's read API and guest gallery page.
//!
//! The same [`router`] runs as the api Lambda (through `lambda_http`) and
//! as `galleon serve` (through [`serve`]). It only reads: gallery items and
//! events from DynamoDB, objects from S3. It never calls Instagram.
//!
//! - [`state`]: [`ApiState`], built once and shared by every request.
//! - [`routes`]: one handler per route; input is parsed at the edge.
//! - [`gallery`]: reading one page (one Query) and what it holds.
//! - [`view`] and [`html`]: the JSON item shape and the server-rendered
//!   page, both pure.
//! - [`cursor`], [`params`], [`media_key`]: the validated inputs.
//! - [`http_cache`]: ETags and cache lifetimes for CloudFront.
//! - [`error`]: the one error type and the status of each variant.

pub mod cursor;
pub mod error;
pub mod gallery;
pub mod html;
pub mod http_cache;
pub mod media_key;
pub mod params;
pub mod routes;
pub mod state;
pub mod view;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use error::ApiError;
pub use state::ApiState;

/// Every route of the read API, with a request span around each.
pub fn router(state: ApiState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<Body>| {
            // The path only: a query string holds cursors, not worth logging.
            let path = request.uri().path();
            tracing::info_span!("request", method = %request.method(), path)
        })
        .on_request(())
        .on_response(|response: &Response<Body>, latency: Duration, _: &Span| {
            let ms = latency.as_secs_f64() * 1000.0;
            tracing::info!(status = response.status().as_u16(), ms, "answered");
        })
        .on_failure(());
    Router::new()
        .route("/api/events/{event_id}/photos", get(routes::photos))
        .route("/api/openapi.json", get(routes::openapi))
        .route("/g/{event_id}", get(routes::gallery_page))
        .route("/media/{*key}", get(routes::media))
        .route("/static/gallery.js", get(routes::gallery_js))
        .route("/static/gallery.css", get(routes::gallery_css))
        .route("/static/favicon.svg", get(routes::favicon))
        .fallback(routes::not_found)
        .layer(trace)
        .with_state(state)
}

/// Serves the read API on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(addr: SocketAddr, state: ApiState) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("failed to bind {addr}"))?;
    serve_on(listener, state).await
}

/// Serves on a listener already bound (port 0 in tests and examples).
pub async fn serve_on(listener: TcpListener, state: ApiState) -> anyhow::Result<()> {
    let addr = listener
        .local_addr()
        .context("failed to read the bound address")?;
    tracing::info!(%addr, "serving the read API");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server failed")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
