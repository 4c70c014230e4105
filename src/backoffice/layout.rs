//! The back-office's page frame: the site's layout (same stylesheet, skip link, `lang="fr"`)
//! with the back-office navigation, never indexed nor cached; and the pieces every form
//! shares (CSRF field, labelled fields with their error beside them).

use super::auth::Merchant;
use crate::error::AppError;
use crate::shopping;
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::Catalogue;
use comptoir_indexer::render::Site;
use jiff::civil::Date;
use maud::{Markup, html};

/// Where a back-office page sits in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The dashboard.
    Home,
    /// The catalogue.
    Products,
    /// Stock counts.
    Stock,
    /// Orders.
    Orders,
    /// CSV import.
    Import,
    /// The quality charter and service figures.
    Charter,
}

impl Section {
    const ALL: [Self; 6] = [
        Self::Home,
        Self::Products,
        Self::Stock,
        Self::Orders,
        Self::Import,
        Self::Charter,
    ];

    const fn label(self) -> &'static str {
        match self {
            Self::Home => "Tableau de bord",
            Self::Products => "Produits",
            Self::Stock => "Stock",
            Self::Orders => "Commandes",
            Self::Import => "Import",
            Self::Charter => "Charte",
        }
    }

    /// The section's address.
    #[must_use]
    pub const fn path(self) -> &'static str {
        match self {
            Self::Home => "/espace-commercant/",
            Self::Products => "/espace-commercant/produits",
            Self::Stock => "/espace-commercant/stock",
            Self::Orders => "/espace-commercant/commandes",
            Self::Import => "/espace-commercant/import",
            Self::Charter => "/espace-commercant/charte",
        }
    }
}

/// A back-office page of `merchant`'s, in `section`.
#[must_use]
pub fn page(merchant: &Merchant, section: Section, title: &str, body: Markup) -> Markup {
    let site = Site::frame(&merchant.catalogue, crate::assets::ASSETS, merchant.today);
    let mut trail = vec![("Espace commerçant", Section::Home.path())];
    if section != Section::Home {
        trail.push((section.label(), section.path()));
    }
    let body = html! {
        div.backoffice {
            nav.backoffice-nav aria-label="Espace commerçant" {
                p.backoffice-shop { strong { (merchant.shop_name) } " · " (merchant.email) }
                ul {
                    @for s in Section::ALL {
                        li {
                            @if s == section {
                                a href=(s.path()) aria-current="page" { (s.label()) }
                            } @else {
                                a href=(s.path()) { (s.label()) }
                            }
                        }
                    }
                }
                form.logout method="post" action="/espace-commercant/deconnexion" {
                    (csrf_field(merchant))
                    button.secondary type="submit" { "Se déconnecter" }
                }
            }
            (body)
        }
    };
    maud::PreEscaped(shopping::page(&site, title, section.path(), &trail, body))
}

/// A page shown before login (login, password links), in the site's frame.
#[must_use]
pub fn outside(
    catalogue: &Catalogue,
    today: Date,
    title: &str,
    path: &str,
    body: Markup,
) -> Markup {
    let site = Site::frame(catalogue, crate::assets::ASSETS, today);
    let trail = [("Espace commerçant", "/espace-commercant/")];
    maud::PreEscaped(shopping::page(&site, title, path, &trail, body))
}

/// A drawn page as a private answer (never cached, never indexed).
#[must_use]
pub fn respond(status: StatusCode, page: Markup) -> Response {
    shopping::private(status, page.into_string())
}

/// The hidden CSRF field of a signed-in form.
#[must_use]
pub fn csrf_field(merchant: &Merchant) -> Markup {
    shopping::csrf_field(&merchant.csrf())
}

/// The one "not found" of the back-office: unknown, and other shops' things alike.
#[must_use]
pub fn not_found() -> AppError {
    AppError::NotFound
}

/// A labelled input with its error beside it (`aria-invalid`, `aria-describedby`).
#[must_use]
pub fn field(name: &str, label: &str, kind: &str, value: &str, error: Option<&str>) -> Markup {
    let id = format!("f-{name}");
    let error_id = format!("{id}-error");
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(message) = error { p.field-error id=(error_id) { (message) } }
        }
    }
}

/// A message for the whole form, read out when the page loads.
#[must_use]
pub fn alert(message: &str) -> Markup {
    html! { p.error role="alert" { (message) } }
}
