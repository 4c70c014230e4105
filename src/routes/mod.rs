//! Every route of the server, in one place.

mod cart;
mod checkout;
pub mod files;
pub mod headers;
mod health;
mod metrics;
mod search;
pub mod timeout;

use crate::AppState;
use crate::shopping::form_limit;
use axum::Router;
use axum::routing::{get, post};

/// The router: dynamic routes first, then the published build for everything else.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/recherche", get(search::results_page))
        .route("/api/search", get(search::search_json))
        .route("/api/suggest", get(search::suggest_json))
        .route("/panier", get(cart::show))
        .route("/panier/ajouter", post(cart::add).layer(form_limit()))
        .route(
            "/panier/quantite",
            post(cart::set_quantity).layer(form_limit()),
        )
        .route("/panier/retirer", post(cart::remove).layer(form_limit()))
        .route("/panier/code", post(cart::code).layer(form_limit()))
        .route(
            "/commande",
            get(checkout::form)
                .post(checkout::place)
                .layer(form_limit()),
        )
        .route(
            "/commande/confirmation/{token}",
            get(checkout::confirmation),
        )
        .route("/commande/suivi/{token}", get(checkout::tracking))
        .merge(crate::backoffice::router())
        .merge(crate::admin::router())
        .fallback(files::serve_file)
}
