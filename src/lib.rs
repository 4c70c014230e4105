//! comptoir's server and command line.
//!
//! The server serves the build that the indexer published (pages, pictures, sitemaps) and
//! does what must be dynamic. [`app`] builds the router from an [`AppState`]; `main` and the
//! tests share it.

pub mod accounts;
pub mod admin;
pub mod assets;
pub mod backoffice;
pub mod cart;
pub mod cli;
pub mod config;
pub mod db;
pub mod delivery;
pub mod error;
pub mod indexnow;
pub mod live;
pub mod mail;
pub mod offers;
pub mod ops;
pub mod orders;
pub mod pricing;
pub mod routes;
pub mod search;
pub mod shopping;
pub mod state;
pub mod stock;

pub use config::Config;
pub use state::AppState;

use anyhow::Context;
use axum::Router;

/// The whole application: every route, with security headers and time limits
/// ([`routes::timeout`]: 30 s, 10 min for uploads), each request
/// counted, timed and logged once by [`ops::observe`] (outermost, so timeouts count too;
/// it replaces tower-http's `TraceLayer`, whose spans carry the raw URL).
pub fn app(state: AppState) -> Router {
    let mut router = routes::router();
    if let Some(indexnow) = state.indexnow() {
        router = router.merge(indexnow::router(indexnow.key()));
    }
    router
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(routes::headers::security_headers))
        .layer(axum::middleware::from_fn(routes::timeout::limit))
        .layer(axum::middleware::from_fn_with_state(state, ops::observe))
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
///
/// # Errors
///
/// When the address cannot be bound.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let state = AppState::new(config);
    state
        .db()
        .await
        .context("cannot open the database (see --database-url)")?;
    if let Some(quiet) = state.config.watch {
        state.start_publisher(quiet).await?;
    }
    if state.live().is_none() {
        tracing::warn!(
            "no build is published yet: run `comptoir build` (pages answer 503 until then)"
        );
    }
    tracing::info!(
        "serving on http://{}",
        listener.local_addr().context("no local address")?
    );
    let flusher = tokio::spawn(flush_counts(state.clone()));
    let service = app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped");
    flusher.abort();
    if let Err(e) = state.flush_search_log().await {
        tracing::error!(error = %e, "search counts of the last seconds were not written");
    }
    if let Err(e) = state.flush_visits().await {
        tracing::error!(error = %e, "visits of the last seconds were not written");
    }
    served
}

/// Writes the search counts and the visits every [`search::stats::FLUSH_EVERY`].
async fn flush_counts(state: AppState) {
    let mut every = tokio::time::interval(search::stats::FLUSH_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = state.flush_search_log().await {
            tracing::warn!(error = %e, "cannot write the search counts yet; kept for the next try");
        }
        if let Err(e) = state.flush_visits().await {
            tracing::warn!(error = %e, "cannot write the visits yet; kept for the next try");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
