//! Every route of the server, in one place.

pub mod files;
pub mod headers;
mod health;
mod search;

use crate::AppState;
use axum::Router;
use axum::routing::get;

/// The router: dynamic routes first, then the published build for everything else.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/recherche", get(search::results_page))
        .route("/api/search", get(search::search_json))
        .route("/api/suggest", get(search::suggest_json))
        .fallback(files::serve_file)
}
