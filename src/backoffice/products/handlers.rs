//! The editor's HTTP handlers: extract the merchant, find the shop's product (another
//! shop's id is a 404, like an unknown one), call the form and save steps, answer.
//!
//! File work — reading the shop's pictures and product files, parsing, the cross-file
//! checks over the catalogue, the atomic write and its fsync — runs on blocking threads,
//! off the async workers.

use super::counts::{set_stock, stock_levels};
use super::files::{Found, ShopFiles};
use super::form::{Errors, ProductForm};
use super::page::{Page, redraw, refused, rules, shown};
use super::{list, save};
use crate::AppState;
use crate::backoffice::auth::Merchant;
use crate::backoffice::content::{self, Publication};
use crate::backoffice::layout::{self, Section};
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use comptoir_indexer::draft::ProductDraft;
use maud::html;
use std::sync::Arc;

/// Runs `work` on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

/// The merchant's shop's files, checked against the live catalogue; 404 when the shop is
/// not in it.
async fn open_shop(state: &AppState, merchant: &Merchant) -> Result<ShopFiles, AppError> {
    let content = state.config.content.clone();
    let (catalogue, shop) = (Arc::clone(&merchant.catalogue), merchant.shop.clone());
    blocking(move || ShopFiles::open(&content, catalogue, &shop).ok_or_else(layout::not_found))
        .await
}

/// The shop's files and its product `id`; the back-office's 404 for another shop's or an
/// unknown id.
async fn open_product(
    state: &AppState,
    merchant: &Merchant,
    id: String,
) -> Result<(ShopFiles, Found), AppError> {
    let files = open_shop(state, merchant).await?;
    blocking(move || {
        let found = files.find(&id).ok_or_else(layout::not_found)?;
        Ok((files, found))
    })
    .await
}

/// What a save gave: the file written (and when it is online), or messages by field.
type Saved = Result<(save::Ready, Publication), Errors>;

/// Prepares a product file with `prepare`, then writes it atomically and tells the live
/// catalogue, on a blocking thread; hands the shop's files back for drawing.
async fn save_file(
    state: &AppState,
    files: ShopFiles,
    prepare: impl FnOnce(&ShopFiles) -> Result<save::Ready, Errors> + Send + 'static,
) -> Result<(ShopFiles, Saved), AppError> {
    let state = state.clone();
    blocking(move || {
        let saved = match prepare(&files) {
            Ok(ready) => {
                let path = state.config.content.join(&ready.path);
                content::write_file(&path, ready.text.as_bytes())
                    .map_err(|e| AppError::Internal(e.into()))?;
                Ok((ready, content::publish(&state, vec![path])))
            }
            Err(errors) => Err(errors),
        };
        Ok((files, saved))
    })
    .await
}

/// `GET /produits`.
pub async fn list(
    merchant: Merchant,
    Query(query): Query<list::ListQuery>,
) -> Result<Html<String>, AppError> {
    let today = merchant.today;
    let shop = merchant
        .catalogue
        .shops
        .iter()
        .position(|s| s.slug == merchant.shop);
    let products: Vec<_> = merchant
        .catalogue
        .products
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| Some(p.shop) == shop && query.keeps(p, today))
        .collect();
    let body = list::body(&query, &products, today, &layout::csrf_field(&merchant));
    let page = layout::page(&merchant, Section::Products, "Produits", body);
    Ok(Html(page.into_string()))
}

/// `GET /produits/nouveau`: an empty form, online by default.
pub async fn new(State(state): State<AppState>, merchant: Merchant) -> Result<Response, AppError> {
    let files = open_shop(&state, &merchant).await?;
    let form = ProductForm {
        published: true,
        ..ProductForm::default()
    };
    Ok(shown(&merchant, &files, &Page::new(&form, None)))
}

/// `POST /produits/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    merchant: Merchant,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = ProductForm::from_body(&body);
    merchant.check_csrf(&form.csrf)?;
    let files = open_shop(&state, &merchant).await?;
    if let Some(page) = redraw(&merchant, &files, &form, None) {
        return Ok(page);
    }
    let filled = form.clone();
    let (files, saved) = save_file(&state, files, move |files| {
        filled
            .to_draft(&ProductDraft::default(), &rules(files).as_rules())
            .and_then(|draft| save::create(files, draft, &filled.slug))
    })
    .await?;
    match saved {
        Ok((ready, publication)) => {
            set_stock(&state, &ProductDraft::default(), &ready.draft).await;
            Ok(saved_redirect(&ready.id, publication))
        }
        Err(errors) => {
            let page = Page::new(&form, None).errors(&errors);
            Ok(refused(&merchant, &files, &page))
        }
    }
}

/// `?enregistre=…`: the product was just saved, online now or at the next build.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Flags {
    enregistre: Option<String>,
}

/// The `enregistre` value of a save that waits for the next build.
const NEXT_BUILD: &str = "prochaine-publication";

/// `GET /produits/{id}`.
pub async fn show(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    Query(flags): Query<Flags>,
) -> Result<Response, AppError> {
    let (files, found) = open_product(&state, &merchant, id).await?;
    let levels = stock_levels(&state, &found.product).await?;
    let form = ProductForm::from_draft(&files.draft(&found, &levels), &found.stem);
    let mut page = Page::new(&form, Some(&found));
    page.notice = flags.enregistre.as_deref().map(|when| match when {
        NEXT_BUILD => Publication::NextBuild.french(),
        _ => Publication::Live.french(),
    });
    Ok(shown(&merchant, &files, &page))
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
    let (files, found) = open_product(&state, &merchant, id).await?;
    if let Some(page) = redraw(&merchant, &files, &form, Some(&found)) {
        return Ok(page);
    }
    let base = files.draft(&found, &stock_levels(&state, &found.product).await?);
    let (filled, before, product) = (form.clone(), base.clone(), found.clone());
    let (files, saved) = save_file(&state, files, move |files| {
        filled
            .to_draft(&before, &rules(files).as_rules())
            .and_then(|draft| save::update(files, &product, draft, &filled.slug))
    })
    .await?;
    match saved {
        Ok((ready, publication)) => {
            set_stock(&state, &base, &ready.draft).await;
            Ok(saved_redirect(&ready.id, publication))
        }
        Err(errors) => {
            let page = Page::new(&form, Some(&found)).errors(&errors);
            Ok(refused(&merchant, &files, &page))
        }
    }
}

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
    let (files, found) = open_product(&state, &merchant, id).await?;
    let mut draft = files.draft(&found, &stock_levels(&state, &found.product).await?);
    draft.published = switch.en_ligne == "1";
    let form = ProductForm::from_draft(&draft, &found.stem);
    let product = found.clone();
    let (files, saved) = save_file(&state, files, move |files| {
        save::update(files, &product, draft, "")
    })
    .await?;
    match saved {
        Ok(_) => Ok(Redirect::to("/espace-commercant/produits?publication=1").into_response()),
        Err(errors) => {
            let page = Page::new(&form, Some(&found)).errors(&errors);
            Ok(refused(&merchant, &files, &page))
        }
    }
}

/// `GET /produits/{id}/supprimer`: the confirmation step.
pub async fn confirm_delete(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (_, found) = open_product(&state, &merchant, id).await?;
    let p = &found.product;
    let body = html! {
        p { "Supprimer « " (p.title) " » ? Sa page disparaît du site et ses anciens liens répondent « produit retiré ». Pour le cacher seulement, mettez-le plutôt hors ligne." }
        form method="post" action={ "/espace-commercant/produits/" (p.id) "/supprimer" } {
            (layout::csrf_field(&merchant))
            button.button.danger type="submit" { "Supprimer définitivement" }
        }
        p { a href={ "/espace-commercant/produits/" (p.id) } { "Annuler" } }
    };
    let page = layout::page(&merchant, Section::Products, "Supprimer un produit", body);
    Ok(Html(page.into_string()))
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
    let (_, found) = open_product(&state, &merchant, id).await?;
    let path = state.config.content.join(&found.path);
    let publisher = state.clone();
    blocking(move || {
        content::remove_file(&path).map_err(|e| AppError::Internal(e.into()))?;
        content::publish(&publisher, vec![path]);
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/espace-commercant/produits?supprime=1").into_response())
}
