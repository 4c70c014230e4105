//! The association's console, under `/admin/`: for staff only (the [`Staff`] extractor:
//! anonymous visitors go to the login page, merchants get a 404). Same sessions,
//! passwords and CSRF rules as the back-office ([`crate::backoffice::auth`]).
//!
//! - [`shops`]: every shop with its merchants and charter status, inviting a merchant,
//!   suspending and reactivating a shop; [`new_shop`]: creating a shop.
//! - [`figures`]: visits, orders, revenue and searches over a period, and their CSV.
//! - [`network`]: the delivery network (points, slots, fees, rates) and the day's
//!   deliveries with the round sheet.
//! - [`offers`]: the cross-shop offers (`content/offers.toml`), created, edited and ended.

pub mod figures;
pub mod network;
pub mod new_shop;
pub mod offer_form;
pub mod offers;
pub mod shops;

use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::shopping::{self, form_limit};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use comptoir_indexer::render::Site;
use maud::{Markup, html};
use tower_http::set_header::SetResponseHeaderLayer;

/// The console's routes, written in full; merged into the main router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { shopping::see_other("/admin/") }))
        .route("/admin/", get(shops::list))
        .route("/admin/statistiques", get(figures::page::show))
        .route("/admin/statistiques.csv", get(figures::page::csv))
        .route(
            "/admin/offres",
            get(offers::list).post(offers::create).layer(form_limit()),
        )
        .route(
            "/admin/offres/{id}",
            get(offers::edit).post(offers::update).layer(form_limit()),
        )
        .route(
            "/admin/offres/{id}/terminer",
            post(offers::end).layer(form_limit()),
        )
        .route(
            "/admin/boutiques/{shop}/inviter",
            post(shops::invite).layer(form_limit()),
        )
        .route(
            "/admin/boutiques/nouvelle",
            get(new_shop::form)
                .post(new_shop::create)
                .layer(form_limit()),
        )
        .route(
            "/admin/boutiques/{shop}/suspendre",
            post(shops::suspend).layer(form_limit()),
        )
        .route(
            "/admin/boutiques/{shop}/reactiver",
            post(shops::reactivate).layer(form_limit()),
        )
        .merge(network::router())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        ))
}

/// A console page, in the site's frame, with the staff member's logout form.
#[must_use]
pub fn page(staff: &Staff, title: &str, path: &str, body: Markup) -> Markup {
    let site = Site::frame(&staff.catalogue, crate::assets::ASSETS, staff.today);
    let body = html! {
        div.backoffice {
            nav.backoffice-nav aria-label="Console de l’association" {
                p.backoffice-shop { strong { "Association" } " · " (staff.email) }
                ul {
                    @for (href, name) in [("/admin/", "Boutiques"), ("/admin/boutiques/nouvelle", "Nouvelle boutique"), ("/admin/statistiques", "Statistiques"), ("/admin/offres", "Offres"), ("/admin/livraison", "Livraison"), ("/admin/livraisons", "Livraisons du jour")] {
                        li { a href=(href) aria-current=[(href == path).then_some("page")] { (name) } }
                    }
                }
                form.logout method="post" action="/espace-commercant/deconnexion" {
                    (shopping::csrf_field(&staff.csrf()))
                    button.secondary type="submit" { "Se déconnecter" }
                }
            }
            (body)
        }
    };
    let trail = [("Console", "/admin/")];
    maud::PreEscaped(shopping::page(&site, title, path, &trail, body))
}
