//! The merchant back-office, under `/espace-commercant/`: a shop run from a phone.
//!
//! - [`auth`]: the session cookie, the [`Merchant`] extractor every page takes, CSRF.
//! - [`login`]: signing in and out, password links (invitation, reset), rate limits.
//! - [`layout`]: the page frame and form pieces; [`content`]: writing `content/` files.
//! - [`home`]: the dashboard; [`stock`]: counts per SKU and the low-stock view.
//! - [`products`]: the catalogue editor (list, create, edit, delete products).
//! - [`photos`]: product photos (upload, order, alt texts).
//! - [`orders`]: the shop's sub-orders, their moves and history; [`charter`]: the quality
//!   charter, its acceptance and the shop's service figures.
//!
//! **Isolation**: a merchant belongs to one shop. Every handler takes [`Merchant`] and
//! looks things up through `merchant.shop`; what belongs to another shop answers exactly
//! like what does not exist ([`layout::not_found`], 404) and nothing changes.
//!
//! Not here: accounts in the database ([`crate::accounts`]).

pub mod auth;
pub mod charter;
pub mod content;
pub mod home;
pub mod import;
pub mod layout;
pub mod login;
pub mod orders;
pub mod photos;
pub mod products;
pub mod stock;

pub use auth::Merchant;

use crate::AppState;
use crate::shopping::form_limit;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

/// The back-office's routes, written in full (`/espace-commercant/…`); merged into the
/// main router. Every response is `no-store` and `noindex`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/espace-commercant",
            get(|| async { crate::shopping::see_other("/espace-commercant/") }),
        )
        .route("/espace-commercant/", get(home::dashboard))
        .route(
            "/espace-commercant/connexion",
            get(login::login_page)
                .post(login::login)
                .layer(form_limit()),
        )
        .route(
            "/espace-commercant/deconnexion",
            post(login::logout).layer(form_limit()),
        )
        .route(
            "/espace-commercant/mot-de-passe-oublie",
            get(login::forgot_page)
                .post(login::forgot)
                .layer(form_limit()),
        )
        .route(
            "/espace-commercant/mot-de-passe/{token}",
            get(login::password_page)
                .post(login::set_password)
                .layer(form_limit()),
        )
        .merge(photos::routes())
        .route(
            "/espace-commercant/import",
            get(import::page::form)
                .post(import::page::upload)
                .layer(DefaultBodyLimit::max(import::page::UPLOAD_LIMIT)),
        )
        .route(
            "/espace-commercant/import/{id}",
            get(import::page::preview)
                .post(import::page::confirm)
                .layer(form_limit()),
        )
        .route(
            "/espace-commercant/stock",
            get(stock::list).post(stock::set).layer(form_limit()),
        )
        .merge(products::router())
        .route("/espace-commercant/commandes", get(orders::list))
        .route(
            "/espace-commercant/commandes/{number}",
            get(orders::detail).post(orders::change).layer(form_limit()),
        )
        .route(
            "/espace-commercant/charte",
            get(charter::show).post(charter::accept).layer(form_limit()),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        ))
}
