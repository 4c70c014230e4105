//! The product catalogue editor (`/espace-commercant/produits`): the shop's products listed
//! and searched, each editable field by field, saved as its file in `content/` for the
//! live catalogue to put online.
//!
//! `form` reads the fields into a [`comptoir_indexer::draft::ProductDraft`], `save` names
//! and checks the file with the indexer's own parser, `files` finds the shop's files,
//! `edit`, `list` and `preview` draw the pages, `page` puts the form in the back-office
//! frame, `counts` reads and sets the stock in the database, `handlers` answer HTTP.

mod counts;
pub mod edit;
pub mod files;
pub mod form;
mod handlers;
pub mod list;
mod page;
pub mod preview;
pub mod save;
pub mod values;

use crate::AppState;
use axum::Router;
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest product form: a long description and a few dozen variant rows fit well within.
pub const FORM_LIMIT: usize = 128 * 1024;

/// The editor's routes (`/espace-commercant/produits…`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace-commercant/produits", get(handlers::list))
        .route(
            "/espace-commercant/produits/nouveau",
            get(handlers::new).post(handlers::create),
        )
        .route(
            "/espace-commercant/produits/{id}",
            get(handlers::show).post(handlers::update),
        )
        .route(
            "/espace-commercant/produits/{id}/publication",
            axum::routing::post(handlers::publication),
        )
        .route(
            "/espace-commercant/produits/{id}/supprimer",
            get(handlers::confirm_delete).post(handlers::delete),
        )
        .layer(RequestBodyLimitLayer::new(FORM_LIMIT))
}
