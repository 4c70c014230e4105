//! The shopper's side over HTTP: the cart, checkout, confirmation and tracking pages, and
//! what their routes share — the live catalogue with its stock seeded, the database, the
//! session key ([`session`]), the page frame and private responses, form bodies.
//!
//! Pages are drawn here with the indexer's layout and are never indexed; the routes
//! (`routes::cart`, `routes::checkout`) extract, call the domain ([`crate::cart`],
//! [`crate::orders`]) and respond. Not here: prices, stock, delivery rules, orders.

pub mod cart_page;
pub mod checkout_form;
pub mod checkout_page;
pub mod delivery_choice;
pub mod order_page;
pub mod session;

use crate::AppState;
use crate::db::Db;
use crate::error::AppError;
use crate::mail::Mailer;
use axum::extract::rejection::RawFormRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use comptoir_indexer::Catalogue;
use comptoir_indexer::render::{Page, Site, layout};
use jiff::civil::Date;
use maud::{Markup, html};
use session::SessionKey;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest form body accepted: the checkout form is about 1 KiB; anything far larger is
/// not a shopper's form.
pub const FORM_LIMIT: usize = 16 * 1024;

/// The body limit of the shopping routes (413 above [`FORM_LIMIT`]).
#[must_use]
pub fn form_limit() -> RequestBodyLimitLayer {
    RequestBodyLimitLayer::new(FORM_LIMIT)
}

/// What the shopping routes keep between requests, in [`crate::state::App`].
#[derive(Debug, Default)]
pub struct Shopping {
    key: tokio::sync::OnceCell<SessionKey>,
    /// The build whose catalogue last seeded the stock.
    seeded: tokio::sync::Mutex<Option<PathBuf>>,
    mailer: tokio::sync::OnceCell<Option<Arc<dyn Mailer>>>,
}

impl Shopping {
    /// The session key of the data folder `data`, read (or made) once.
    pub(crate) async fn key(&self, data: &std::path::Path) -> Result<&SessionKey, AppError> {
        self.key
            .get_or_try_init(|| async {
                let data = data.to_owned();
                tokio::task::spawn_blocking(move || SessionKey::load_or_create(&data))
                    .await
                    .map_err(|e| AppError::Internal(e.into()))?
                    .map_err(|e| AppError::Internal(e.into()))
            })
            .await
    }

    /// Seeds the stock of SKUs the catalogue of `build` is the first to name; once per
    /// build, and every request waits for it (a cart must not see an unseeded SKU as
    /// sold out).
    async fn seed(
        &self,
        db: &Db,
        build: &std::path::Path,
        catalogue: &Catalogue,
    ) -> Result<(), AppError> {
        let mut seeded = self.seeded.lock().await;
        if seeded.as_deref() == Some(build) {
            return Ok(());
        }
        let new = crate::stock::seed(db, catalogue).await.map_err(internal)?;
        tracing::info!(build = %build.display(), new, "stock seeded from the catalogue");
        *seeded = Some(build.to_owned());
        Ok(())
    }

    /// The configured mailer (`None`, logged, when the SMTP URL is malformed).
    pub async fn mailer(&self, config: &crate::Config) -> Option<Arc<dyn Mailer>> {
        self.mailer
            .get_or_init(|| async {
                crate::mail::from_config(config)
                    .inspect_err(|e| tracing::error!(error = %e, "no e-mails will be sent"))
                    .ok()
            })
            .await
            .clone()
    }
}

/// What a shopping request works with: the live catalogue (stock seeded), the database,
/// the session key and today in Paris.
pub struct Counter {
    /// The live build's catalogue.
    pub catalogue: Arc<Catalogue>,
    /// The database.
    pub db: Db,
    /// The key of cookies and CSRF tokens.
    pub key: SessionKey,
    /// Today, Paris time (sale prices, dates on pages).
    pub today: Date,
}

impl Counter {
    /// Opens the counter for one request.
    ///
    /// # Errors
    ///
    /// [`AppError::NoBuild`] before the first build; [`AppError::Internal`] when the
    /// database or the key cannot be had.
    pub async fn open(state: &AppState) -> Result<Self, AppError> {
        let live = state.live().ok_or(AppError::NoBuild)?;
        let catalogue = live.catalogue.clone().ok_or(AppError::NoBuild)?;
        let db = state.db().await.map_err(internal)?.clone();
        state.shopping.seed(&db, &live.build, &catalogue).await?;
        let key = state.shopping.key(state.data_dir()).await?.clone();
        Ok(Self {
            catalogue,
            db,
            key,
            today: crate::config::today(),
        })
    }

    /// The frame of a page drawn now.
    #[must_use]
    pub fn site(&self) -> Site<'_> {
        Site::frame(&self.catalogue, crate::assets::ASSETS, self.today)
    }
}

/// An internal failure, logged by [`AppError`].
pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(error.into())
}

/// A shopping page in the site's layout: `noindex` (it is one shopper's), breadcrumbs
/// from the home page.
#[must_use]
pub fn page(
    site: &Site<'_>,
    title: &str,
    path: &str,
    trail: &[(&str, &str)],
    body: Markup,
) -> String {
    let mut breadcrumbs = vec![("Accueil".to_owned(), "/".to_owned())];
    breadcrumbs.extend(
        trail
            .iter()
            .map(|(n, p)| ((*n).to_owned(), (*p).to_owned())),
    );
    layout(
        site,
        Page {
            title: format!("{title} – {}", site.catalogue.town.site_name),
            description: format!(
                "Vos achats chez les commerçants de {}.",
                site.catalogue.town.name
            ),
            path: path.to_owned(),
            og_type: "website",
            image: None,
            breadcrumbs,
            json_ld: Vec::new(),
            robots: Some("noindex,follow"),
            body,
        },
    )
    .into_string()
}

/// A page for one shopper: never stored by caches, never indexed.
#[must_use]
pub fn private(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

/// A 303 to `location` (after a POST, the browser GETs the result).
#[must_use]
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page saying why a request was refused, with ways on.
#[must_use]
pub fn refusal(
    site: &Site<'_>,
    status: StatusCode,
    message: &str,
    links: &[(&str, &str)],
) -> Response {
    let title = if status == StatusCode::NOT_FOUND {
        "Page introuvable"
    } else {
        "Demande refusée"
    };
    let body = html! {
        h1 { (title) }
        p.error role="alert" { (message) }
        ul.next-steps { @for (label, href) in links { li { a href=(href) { (label) } } } }
    };
    private(status, page(site, title, "/panier", &[], body))
}

/// The refusal of a POST whose CSRF token (or origin) does not check.
#[must_use]
pub fn forbidden(site: &Site<'_>) -> Response {
    refusal(
        site,
        StatusCode::FORBIDDEN,
        "Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis recommencez.",
        &[("Voir mon panier", "/panier"), ("Retour à l’accueil", "/")],
    )
}

/// The hidden CSRF field of a form drawn for the shopper.
#[must_use]
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(session::CSRF_FIELD) value=(token); }
}

/// A form body's fields, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The fields of an `application/x-www-form-urlencoded` body.
    #[must_use]
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or `""`.
    #[must_use]
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// Every field whose name starts with `prefix`, the prefix removed.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

/// Why a POSTed form was not taken; nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// The body is not a form, or too large (the status says which: 413, 415, 400).
    Body(StatusCode),
    /// The CSRF token or the origin does not check (403).
    Forbidden,
}

impl Rejected {
    /// The answer, in French.
    #[must_use]
    pub fn answer(self, site: &Site<'_>) -> Response {
        match self {
            Self::Forbidden => forbidden(site),
            Self::Body(status) => {
                let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    "Le formulaire envoyé est trop long."
                } else {
                    "Ce formulaire n’a pas pu être lu : rechargez la page, puis recommencez."
                };
                refusal(site, status, message, &[("Voir mon panier", "/panier")])
            }
        }
    }
}

/// The fields of a form POST.
///
/// # Errors
///
/// [`Rejected::Body`] when the body is too large (413) or not a form.
pub fn form_body(
    body: Result<axum::extract::RawForm, RawFormRejection>,
) -> Result<Fields, Rejected> {
    match body {
        Ok(axum::extract::RawForm(bytes)) => Ok(Fields::parse(&bytes)),
        Err(rejection) => Err(Rejected::Body(rejection.status())),
    }
}

/// The CSRF check of a drawn form: the request's cart and the form's token agree.
#[must_use]
pub fn csrf_ok(key: &SessionKey, cart: Option<&crate::cart::CartId>, fields: &Fields) -> bool {
    cart.is_some_and(|cart| key.csrf_ok(cart, fields.text(session::CSRF_FIELD)))
}
