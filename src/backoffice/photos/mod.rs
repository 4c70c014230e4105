//! Product photos (issue 6, point 4): `/espace-commercant/produits/{id}/photos` lists a
//! product's pictures with their alt texts, moves and removes them, and takes new ones
//! from a phone, several at once.
//!
//! - [`intake`]: the checks (type read from the content, size) and the cleaning (EXIF
//!   orientation applied, metadata stripped by re-encoding, longest side capped);
//! - [`store`]: the names in `content/shops/<shop>/images/` and the product's `images`
//!   list, written through its draft;
//! - [`page`]: the pages; `shop`: the shop's own photos page (`/espace-commercant/photos`),
//!   where a new product's photos are sent before the product form picks them.
//!
//! The build's image stage makes the responsive variants from the kept JPEG, as for any
//! picture of `content/`. A product of another shop, or none, answers 404 and nothing is
//! written; every POST checks its CSRF token (the multipart one too) before writing.
//!
//! Not here: the product's other fields (`super::products`).

pub mod intake;
pub mod page;
mod shop;
pub mod store;

use super::Merchant;
use super::content;
use super::layout::{self, Section, csrf_field};
use crate::AppState;
use crate::error::AppError;
use crate::shopping::{self, Fields, form_limit};
use axum::Router;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::Product;
use comptoir_indexer::render::images;
use intake::{CleanPhoto, MAX_FILE_BYTES, Refusal};
use page::{MAX_FILES_PER_UPLOAD, PhotoRow, PhotosView, photos_path};
use std::collections::HashMap;
use std::sync::Arc;
use store::{Changes, Edit, Gallery};

/// Largest upload body: [`MAX_FILES_PER_UPLOAD`] files at [`MAX_FILE_BYTES`], plus 1 Mo for
/// the multipart framing and the CSRF field. Above it the server stops reading (413).
pub const MAX_UPLOAD_BYTES: usize = MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024;

/// The photo routes, merged into the back-office router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/espace-commercant/produits/{id}/photos",
            axum::routing::get(show).post(edit).layer(form_limit()),
        )
        .route(
            "/espace-commercant/produits/{id}/photos/ajout",
            axum::routing::post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(page::SHOP_PHOTOS, axum::routing::get(shop::show))
        .route(
            "/espace-commercant/photos/ajout",
            axum::routing::post(shop::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/espace-commercant/photos/fichier/{file}",
            axum::routing::get(shop::file),
        )
}

/// `?fait=…`: what the last action did, shown once after its redirect.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    fait: Option<String>,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        match self.fait.as_deref()? {
            "ajout" => Some("Photos ajoutées : le site les montre dans un instant."),
            "modification" => Some("Photos enregistrées : le site est mis à jour dans un instant."),
            _ => None,
        }
    }
}

/// `GET /espace-commercant/produits/{id}/photos`.
pub async fn show(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let product = owned(&merchant, &id)?;
    let gallery = read(&state, &merchant, &product).await?;
    let extra = Extra {
        notice: done.notice(),
        ..Extra::default()
    };
    Ok(draw(&state, &merchant, &gallery, extra, StatusCode::OK))
}

/// `POST /espace-commercant/produits/{id}/photos`: saves the alt texts sent and makes the
/// move or removal asked by the button pressed (`action` = `monter:<file>`, …).
pub async fn edit(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields: Fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    let product = owned(&merchant, &id)?;
    let alts: HashMap<String, String> = fields
        .with_prefix("alt:")
        .map(|(file, alt)| (file.to_owned(), alt.to_owned()))
        .collect();
    let gallery = read(&state, &merchant, &product).await?;
    let catalogue = Arc::clone(&merchant.catalogue);
    let in_use = |file: &str| store::used_elsewhere(&catalogue, product.shop, &product.id, file);
    let asked = action(fields.text("action"));
    match store::edit(
        &gallery,
        &merchant.shop,
        &alts,
        &asked,
        in_use,
        merchant.today,
    ) {
        Ok(changes) => {
            apply(&state, changes).await?;
            tracing::info!(
                shop = merchant.shop,
                user = merchant.user_id,
                product = product.id,
                ?asked,
                "photos edited"
            );
            Ok(shopping::see_other(&format!(
                "{}?fait=modification",
                photos_path(&id)
            )))
        }
        Err(refusal) => {
            let extra = Extra {
                edit_error: Some(refusal.to_string()),
                ..Extra::default()
            };
            Ok(draw(
                &state,
                &merchant,
                &gallery,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// `POST /espace-commercant/produits/{id}/photos/ajout` (multipart): checks and cleans
/// every file; writes them all and adds them to the product, or none when one is refused.
pub async fn upload(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let product = owned(&merchant, &id)?;
    let photos = match accept_upload(multipart, &merchant).await? {
        Ok(photos) => photos,
        Err(refused) => return refuse(&state, &merchant, &product, refused).await,
    };
    let gallery = read(&state, &merchant, &product).await?;
    let dir = store::images_dir(&state.config.content, &merchant.shop);
    let existing = store::existing_files(&dir);
    let count = photos.len();
    let changes = store::add(&gallery, &merchant.shop, &existing, photos, merchant.today);
    apply(&state, changes).await?;
    tracing::info!(
        shop = merchant.shop,
        user = merchant.user_id,
        product = product.id,
        count,
        "photos added"
    );
    Ok(shopping::see_other(&format!(
        "{}?fait=ajout",
        photos_path(&id)
    )))
}

/// The photos of an upload, every one accepted; else why the upload is refused as a
/// whole (nothing is written when one file is refused: the merchant sends them again).
async fn accept_upload(
    multipart: Result<Multipart, MultipartRejection>,
    merchant: &Merchant,
) -> Result<Result<Vec<CleanPhoto>, Refused>, AppError> {
    let mut multipart = multipart.map_err(|_| AppError::Forbidden)?;
    let received = match receive(&mut multipart, merchant).await? {
        Ok(received) => received,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut errors: Vec<String> = received.refusals.iter().map(Refusal::message).collect();
    if errors.is_empty() && received.photos.is_empty() {
        errors.push("Choisissez au moins une photo à envoyer.".to_owned());
    }
    if errors.is_empty() {
        return Ok(Ok(received.photos));
    }
    Ok(Err(Refused {
        errors,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    }))
}

/// The files of an upload, checked and cleaned; the CSRF token was checked.
#[derive(Default)]
struct Received {
    photos: Vec<CleanPhoto>,
    refusals: Vec<Refusal>,
}

/// An upload refused as a whole: the messages and the status of the page.
struct Refused {
    errors: Vec<String>,
    status: StatusCode,
}

/// Reads the parts: `csrf` (checked when met, and required), `photos` (each cleaned as it
/// comes, so one original at a time is held). Other parts are ignored.
async fn receive(
    multipart: &mut Multipart,
    merchant: &Merchant,
) -> Result<Result<Received, Refused>, AppError> {
    let mut received = Received::default();
    let (mut checked, mut files) = (false, 0);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Ok(Err(body_refused(&error))),
        };
        match field.name() {
            Some("csrf") => {
                let token = field.text().await.unwrap_or_default();
                merchant.check_csrf(&token)?;
                checked = true;
            }
            Some("photos") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = match read_capped(field).await {
                    Ok(Some(bytes)) => bytes,
                    Ok(None) => {
                        received.refusals.push(Refusal::TooLarge {
                            name: intake::display_name(&name),
                        });
                        continue;
                    }
                    Err(error) => return Ok(Err(body_refused(&error))),
                };
                // A file input left empty is sent as a part without name nor bytes.
                if name.is_empty() && bytes.is_empty() {
                    continue;
                }
                files += 1;
                if files > MAX_FILES_PER_UPLOAD {
                    let message =
                        format!("Envoyez {MAX_FILES_PER_UPLOAD} photos au plus à la fois.");
                    return Ok(Err(Refused {
                        errors: vec![message],
                        status: StatusCode::UNPROCESSABLE_ENTITY,
                    }));
                }
                let cleaned = tokio::task::spawn_blocking(move || intake::clean(&name, &bytes))
                    .await
                    .map_err(shopping::internal)?;
                match cleaned {
                    Ok(photo) => received.photos.push(photo),
                    Err(refusal) => received.refusals.push(refusal),
                }
            }
            _ => {}
        }
    }
    if !checked {
        return Err(AppError::Forbidden);
    }
    Ok(Ok(received))
}

/// A file part's bytes, or `None` past [`MAX_FILE_BYTES`] (the rest is skipped).
async fn read_capped(mut field: Field<'_>) -> Result<Option<Vec<u8>>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// The page's answer to a body that could not be read: too large, or cut off.
fn body_refused(error: &MultipartError) -> Refused {
    let status = error.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "L’envoi dépasse {} Mo : envoyez moins de photos à la fois.",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        )
    } else {
        tracing::info!(%error, "photo upload cut off");
        "L’envoi a été interrompu : vérifiez votre connexion, puis envoyez les photos à nouveau."
            .to_owned()
    };
    Refused {
        errors: vec![message],
        status,
    }
}

/// The page again with the upload's errors; nothing was written.
async fn refuse(
    state: &AppState,
    merchant: &Merchant,
    product: &Product,
    refused: Refused,
) -> Result<Response, AppError> {
    let gallery = read(state, merchant, product).await?;
    let extra = Extra {
        upload_errors: refused.errors,
        ..Extra::default()
    };
    Ok(draw(state, merchant, &gallery, extra, refused.status))
}

/// The product `id` of the merchant's shop in the live catalogue; 404 for any other.
fn owned(merchant: &Merchant, id: &str) -> Result<Arc<Product>, AppError> {
    let catalogue = &merchant.catalogue;
    catalogue
        .products
        .iter()
        .find(|p| p.id == id && catalogue.shops[p.shop].slug == merchant.shop)
        .cloned()
        .ok_or_else(layout::not_found)
}

/// The product's photos as its file says now.
async fn read(
    state: &AppState,
    merchant: &Merchant,
    product: &Product,
) -> Result<Gallery, AppError> {
    let content = state.config.content.clone();
    let catalogue = Arc::clone(&merchant.catalogue);
    let product = product.clone();
    tokio::task::spawn_blocking(move || store::read(&content, &catalogue, &product))
        .await
        .map_err(shopping::internal)?
        .map_err(shopping::internal)
}

/// Writes the changes into `content/` (pictures, then the product file, then removals)
/// and hands them to the live catalogue.
async fn apply(state: &AppState, changes: Changes) -> Result<(), AppError> {
    let content = state.config.content.clone();
    let written =
        tokio::task::spawn_blocking(move || -> std::io::Result<Vec<std::path::PathBuf>> {
            let mut paths = Vec::new();
            for (relative, bytes) in &changes.write {
                let path = content.join(relative);
                content::write_file(&path, bytes)?;
                paths.push(path);
            }
            for relative in &changes.remove {
                let path = content.join(relative);
                content::remove_file(&path)?;
                paths.push(path);
            }
            Ok(paths)
        })
        .await
        .map_err(shopping::internal)?
        .map_err(shopping::internal)?;
    content::publish(state, written);
    Ok(())
}

/// What the page shows besides the photos.
#[derive(Default)]
struct Extra {
    notice: Option<&'static str>,
    edit_error: Option<String>,
    upload_errors: Vec<String>,
}

fn draw(
    state: &AppState,
    merchant: &Merchant,
    gallery: &Gallery,
    extra: Extra,
    status: StatusCode,
) -> Response {
    let site = state.live().map(|live| live.site.clone());
    let photos = (gallery.product.images.iter())
        .map(|image| {
            let smallest = images::variants(&merchant.shop, image).into_iter().next();
            let served = smallest.filter(|v| {
                site.as_ref()
                    .is_some_and(|site| site.join(v.path.trim_start_matches('/')).is_file())
            });
            PhotoRow {
                file: image.file.clone(),
                alt: image.alt.clone(),
                thumbnail: served.map(|v| (v.path, v.width, v.height)),
            }
        })
        .collect();
    let view = PhotosView {
        id: &gallery.product.id,
        title: &gallery.product.title,
        photos,
        notice: extra.notice,
        edit_error: extra.edit_error,
        upload_errors: extra.upload_errors,
        csrf: csrf_field(merchant),
    };
    let title = format!("Photos de « {} »", gallery.product.title);
    layout::respond(
        status,
        layout::page(merchant, Section::Products, &title, page::body(&view)),
    )
}

/// The button pressed: `monter:<file>`, `descendre:<file>`, `retirer:<file>`; anything
/// else saves the alt texts.
fn action(value: &str) -> Edit {
    match value.split_once(':') {
        Some(("monter", file)) => Edit::Up(file.to_owned()),
        Some(("descendre", file)) => Edit::Down(file.to_owned()),
        Some(("retirer", file)) => Edit::Remove(file.to_owned()),
        _ => Edit::Save,
    }
}
