//! The editor's HTTP handlers: extract the merchant, find the shop's product (another
//! shop's id is a 404, like an unknown one), call the form and save steps, draw the page.

use super::edit::{self, EditView, Existing};
use super::files::{Found, ShopFiles};
use super::form::{Action, BLANK_ROWS, Errors, MORE_ROWS, ProductForm, Rules};
use super::{list, preview, save};
use crate::AppState;
use crate::backoffice::auth::Merchant;
use crate::backoffice::content::{self, Publication};
use crate::backoffice::layout::{self, Section};
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use comptoir_indexer::draft::ProductDraft;
use comptoir_indexer::model::{Product, StockLevels};
use maud::{Markup, html};

/// The merchant's shop's files, checked against the live catalogue; 404 when the shop is
/// not in it.
fn shop_files(state: &AppState, merchant: &Merchant) -> Result<ShopFiles, AppError> {
    ShopFiles::open(
        &state.config.content,
        std::sync::Arc::clone(&merchant.catalogue),
        &merchant.shop,
    )
    .ok_or_else(layout::not_found)
}

/// A back-office page of the products section.
fn page(merchant: &Merchant, title: &str, body: Markup) -> Html<String> {
    Html(layout::page(merchant, Section::Products, title, body).into_string())
}

/// The shop's product `id`, or the back-office's 404.
fn find(files: &ShopFiles, id: &str) -> Result<Found, AppError> {
    files.find(id).ok_or_else(layout::not_found)
}

/// `GET /produits`.
pub async fn list(
    State(state): State<AppState>,
    merchant: Merchant,
    Query(query): Query<list::ListQuery>,
) -> Result<Html<String>, AppError> {
    let files = shop_files(&state, &merchant)?;
    let today = merchant.today;
    let products: Vec<_> = files
        .live_products()
        .filter(|p| query.keeps(p, today))
        .collect();
    let body = list::body(&query, &products, today, &layout::csrf_field(&merchant));
    Ok(page(&merchant, "Produits", body))
}

/// `GET /produits/nouveau`: an empty form, online by default.
pub async fn new(
    State(state): State<AppState>,
    merchant: Merchant,
) -> Result<Html<String>, AppError> {
    let files = shop_files(&state, &merchant)?;
    let form = ProductForm {
        published: true,
        ..ProductForm::default()
    };
    Ok(Html(
        draw(&merchant, &files, &Page::new(&form, None)).into_string(),
    ))
}

/// `POST /produits/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    merchant: Merchant,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = ProductForm::from_body(&body);
    merchant.check_csrf(&form.csrf)?;
    let files = shop_files(&state, &merchant)?;
    if let Some(page) = redraw(&merchant, &files, &form, None) {
        return Ok(page);
    }
    let saved = form
        .to_draft(&ProductDraft::default(), &rules(&files).as_rules())
        .and_then(|draft| save::create(&files, draft, &form.slug));
    match saved {
        Ok(ready) => {
            let publication = write(&state, &ready)?;
            set_stock(&state, &ProductDraft::default(), &ready.draft).await;
            Ok(saved_redirect(&ready.id, publication))
        }
        Err(errors) => Ok(refused(
            &merchant,
            &files,
            &Page::new(&form, None).errors(&errors),
        )),
    }
}

/// `GET /produits/{id}`.
pub async fn show(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    Query(flags): Query<Flags>,
) -> Result<Html<String>, AppError> {
    let files = shop_files(&state, &merchant)?;
    let found = find(&files, &id)?;
    let levels = stock_levels(&state, &found.product).await?;
    let form = ProductForm::from_draft(&files.draft(&found, &levels), &found.stem);
    let mut page = Page::new(&form, Some(&found));
    page.notice = flags.enregistre.as_deref().map(|when| match when {
        NEXT_BUILD => Publication::NextBuild.french(),
        _ => Publication::Live.french(),
    });
    Ok(Html(draw(&merchant, &files, &page).into_string()))
}

/// `?enregistre=…`: the product was just saved, online now or at the next build.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Flags {
    enregistre: Option<String>,
}

/// `POST /produits/{id}`.
pub async fn update(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = ProductForm::from_body(&body);
    merchant.check_csrf(&form.csrf)?;
    let files = shop_files(&state, &merchant)?;
    let found = find(&files, &id)?;
    if let Some(page) = redraw(&merchant, &files, &form, Some(&found)) {
        return Ok(page);
    }
    let base = files.draft(&found, &stock_levels(&state, &found.product).await?);
    let saved = form
        .to_draft(&base, &rules(&files).as_rules())
        .and_then(|draft| save::update(&files, &found, draft, &form.slug));
    match saved {
        Ok(ready) => {
            let publication = write(&state, &ready)?;
            set_stock(&state, &base, &ready.draft).await;
            Ok(saved_redirect(&ready.id, publication))
        }
        Err(errors) => Ok(refused(
            &merchant,
            &files,
            &Page::new(&form, Some(&found)).errors(&errors),
        )),
    }
}

/// `GET /produits/{id}/supprimer`: the confirmation step.
pub async fn confirm_delete(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let files = shop_files(&state, &merchant)?;
    let found = find(&files, &id)?;
    let body = html! {
        p { "Supprimer « " (found.product.title) " » ? Sa page disparaît du site et ses anciens liens répondent « produit retiré ». Pour le cacher seulement, décochez plutôt « En ligne »." }
        form method="post" action={ "/espace-commercant/produits/" (found.product.id) "/supprimer" } {
            (layout::csrf_field(&merchant))
            button.button.danger type="submit" { "Supprimer définitivement" }
        }
        p { a href={ "/espace-commercant/produits/" (found.product.id) } { "Annuler" } }
    };
    Ok(page(&merchant, "Supprimer un produit", body))
}

/// A form that only carries the CSRF token.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /produits/{id}/supprimer`: removes the file; the live catalogue takes the page off.
pub async fn delete(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Result<Response, AppError> {
    merchant.check_csrf(&form.csrf)?;
    let files = shop_files(&state, &merchant)?;
    let found = find(&files, &id)?;
    let path = state.config.content.join(&found.path);
    content::remove_file(&path).map_err(|e| AppError::Internal(e.into()))?;
    content::publish(&state, vec![path]);
    Ok(Redirect::to("/espace-commercant/produits?supprime=1").into_response())
}

/// The list's one-tap form: `en_ligne` is `1` (put online) or `0` (take offline).
#[derive(Debug, serde::Deserialize)]
pub struct Switch {
    csrf: String,
    en_ligne: String,
}

/// `POST /produits/{id}/publication`: the product's file with `published` set; back to
/// the list. A file that no longer checks (its picture was removed…) opens in the form,
/// its problems beside the fields.
pub async fn publication(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    axum::Form(switch): axum::Form<Switch>,
) -> Result<Response, AppError> {
    merchant.check_csrf(&switch.csrf)?;
    let files = shop_files(&state, &merchant)?;
    let found = find(&files, &id)?;
    let mut draft = files.draft(&found, &stock_levels(&state, &found.product).await?);
    draft.published = switch.en_ligne == "1";
    match save::update(&files, &found, draft.clone(), "") {
        Ok(ready) => {
            write(&state, &ready)?;
            Ok(Redirect::to("/espace-commercant/produits?publication=1").into_response())
        }
        Err(errors) => {
            let form = ProductForm::from_draft(&draft, &found.stem);
            let page = Page::new(&form, Some(&found)).errors(&errors);
            Ok(refused(&merchant, &files, &page))
        }
    }
}

/// The form drawn again for "Aperçu" or "Ajouter des lignes"; `None` for "Enregistrer".
fn redraw(
    merchant: &Merchant,
    files: &ShopFiles,
    form: &ProductForm,
    found: Option<&Found>,
) -> Option<Response> {
    let mut page = Page::new(form, found);
    match form.action {
        Action::Save => return None,
        Action::Preview => page.preview = Some(preview::preview(&form.description)),
        Action::AddRows => page.blank_rows = MORE_ROWS,
    }
    Some(Html(draw(merchant, files, &page).into_string()).into_response())
}

fn refused(merchant: &Merchant, files: &ShopFiles, page: &Page<'_>) -> Response {
    let body = Html(draw(merchant, files, page).into_string());
    (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
}

/// The `enregistre` value of a save that waits for the next build.
const NEXT_BUILD: &str = "prochaine-publication";

fn saved_redirect(id: &str, publication: Publication) -> Response {
    let when = match publication {
        Publication::Live => "en-ligne",
        Publication::NextBuild => NEXT_BUILD,
    };
    Redirect::to(&format!(
        "/espace-commercant/produits/{id}?enregistre={when}"
    ))
    .into_response()
}

/// Writes the file atomically and tells the live catalogue.
fn write(state: &AppState, ready: &save::Ready) -> Result<Publication, AppError> {
    let path = state.config.content.join(&ready.path);
    content::write_file(&path, ready.text.as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
    Ok(content::publish(state, vec![path]))
}

/// The stock a merchant typed is what the shop sells: SKUs whose count changed in the form
/// (or are new) get it in the database, which the file's initial stock never changes again.
async fn set_stock(state: &AppState, before: &ProductDraft, after: &ProductDraft) {
    let changed: Vec<(String, u32)> = skus(after)
        .into_iter()
        .filter(|(sku, stock)| !skus(before).contains(&(sku.clone(), *stock)))
        .collect();
    if changed.is_empty() {
        return;
    }
    let Ok(db) = state.db().await else { return };
    for (sku, stock) in &changed {
        if let Err(e) = crate::stock::set(db, sku, *stock).await {
            tracing::error!(sku, error = %e, "cannot record the stock typed in the product form");
        }
    }
    crate::live::stock_changed(state, changed.into_iter().map(|(sku, _)| sku).collect()).await;
}

/// The database's stock counts of `product`'s SKUs (those it knows).
async fn stock_levels(state: &AppState, product: &Product) -> Result<StockLevels, AppError> {
    let skus: Vec<&str> = if product.variants.is_empty() {
        vec![product.id.as_str()]
    } else {
        product.variants.iter().map(|v| v.sku.as_str()).collect()
    };
    let db = state.db().await.map_err(|e| AppError::Internal(e.into()))?;
    crate::stock::levels(db, &skus)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// A draft's (SKU, stock) pairs: its variants', or its id's.
fn skus(draft: &ProductDraft) -> Vec<(String, u32)> {
    if draft.variants.is_empty() {
        vec![(draft.id.clone(), draft.stock)]
    } else {
        draft
            .variants
            .iter()
            .map(|v| (v.sku.clone(), v.stock))
            .collect()
    }
}

/// The sets a form is checked against, owned.
struct OwnedRules {
    categories: std::collections::HashSet<String>,
    delivery: Vec<comptoir_indexer::model::DeliveryMode>,
    images: std::collections::HashSet<String>,
}

impl OwnedRules {
    fn as_rules(&self) -> Rules<'_> {
        Rules {
            categories: &self.categories,
            shop_delivery: &self.delivery,
            images: &self.images,
        }
    }
}

fn rules(files: &ShopFiles) -> OwnedRules {
    OwnedRules {
        categories: files.category_slugs(),
        delivery: files.catalogue.shops[files.shop].delivery.clone(),
        images: files.image_files().into_iter().collect(),
    }
}

/// The form page's state beyond the fields.
struct Page<'a> {
    form: &'a ProductForm,
    found: Option<&'a Found>,
    errors: Errors,
    preview: Option<Markup>,
    blank_rows: usize,
    notice: Option<&'static str>,
}

impl<'a> Page<'a> {
    fn new(form: &'a ProductForm, found: Option<&'a Found>) -> Self {
        Self {
            form,
            found,
            errors: Errors::new(),
            preview: None,
            blank_rows: BLANK_ROWS,
            notice: None,
        }
    }

    fn errors(mut self, errors: &Errors) -> Self {
        self.errors.clone_from(errors);
        self
    }
}

/// The whole form page.
fn draw(merchant: &Merchant, files: &ShopFiles, page: &Page<'_>) -> Markup {
    let catalogue = &files.catalogue;
    let mut categories: Vec<(String, String)> = (0..catalogue.categories.len())
        .map(|i| {
            let trail: Vec<&str> = catalogue
                .category_trail(i)
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            (catalogue.categories[i].slug.clone(), trail.join(" › "))
        })
        .collect();
    categories.sort_by(|a, b| a.1.cmp(&b.1));
    let images = files.image_files();
    let (action, title, existing) = match page.found {
        Some(found) => (
            format!("/espace-commercant/produits/{}", found.product.id),
            found.product.title.as_str(),
            Some(Existing {
                id: &found.product.id,
                page: found
                    .product
                    .published
                    .then(|| catalogue.product_path(&found.product)),
            }),
        ),
        None => (
            "/espace-commercant/produits/nouveau".to_owned(),
            "Nouveau produit",
            None,
        ),
    };
    let body = edit::body(&EditView {
        form: page.form,
        errors: &page.errors,
        action: &action,
        csrf: layout::csrf_field(merchant),
        categories: &categories,
        shop_delivery: &catalogue.shops[files.shop].delivery,
        images: &images,
        preview: page.preview.clone(),
        blank_rows: page.blank_rows,
        existing,
        notice: page.notice,
    });
    layout::page(merchant, Section::Products, title, body)
}
