//! The shop's own photos page, `/espace-commercant/photos`: the pictures of its folder in
//! `content/shops/<shop>/images/`, which products show them, and an upload form. A new
//! product needs a picture before its file is valid, so its photos are sent here first
//! and the product form offers them.
//!
//! The build only makes variants of pictures a product or the shop uses, so this page
//! shows the kept files themselves (`/espace-commercant/photos/fichier/{file}`), read from
//! the merchant's own folder only.

use super::page::{SHOP_PHOTOS, ShopPhoto, ShopPhotosView};
use super::{Done, Refused, accept_upload, apply, store};
use crate::AppState;
use crate::backoffice::Merchant;
use crate::backoffice::layout::{self, Section, csrf_field};
use crate::error::AppError;
use crate::shopping;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /espace-commercant/photos`.
pub async fn show(
    State(state): State<AppState>,
    merchant: Merchant,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    draw(&state, &merchant, done.notice(), Vec::new(), StatusCode::OK).await
}

/// `POST /espace-commercant/photos/ajout` (multipart): keeps the photos in the shop's
/// folder, all or none.
pub async fn upload(
    State(state): State<AppState>,
    merchant: Merchant,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let photos = match accept_upload(multipart, &merchant).await? {
        Ok(photos) => photos,
        Err(Refused { errors, status }) => {
            return draw(&state, &merchant, None, errors, status).await;
        }
    };
    let dir = store::images_dir(&state.config.content, &merchant.shop);
    let existing = store::existing_files(&dir);
    let (changes, names) = store::add_to_shop(&merchant.shop, &existing, photos);
    apply(&state, changes).await?;
    tracing::info!(
        shop = merchant.shop,
        user = merchant.user_id,
        ?names,
        "shop photos added"
    );
    Ok(shopping::see_other(&format!("{SHOP_PHOTOS}?fait=ajout")))
}

/// `GET /espace-commercant/photos/fichier/{file}`: a picture of the merchant's folder; any
/// other name (another shop's, a path) is a 404.
pub async fn file(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let dir = store::images_dir(&state.config.content, &merchant.shop);
    let listed = store::existing_files(&dir).contains(&file) && is_picture(&file);
    if !listed {
        return Err(layout::not_found());
    }
    let bytes = tokio::fs::read(dir.join(&file))
        .await
        .map_err(|_| layout::not_found())?;
    let kind = match extension(&file).as_str() {
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "image/jpeg",
    };
    let mut response = ([(header::CONTENT_TYPE, kind)], bytes).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

async fn draw(
    state: &AppState,
    merchant: &Merchant,
    notice: Option<&'static str>,
    upload_errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let dir = store::images_dir(&state.config.content, &merchant.shop);
    let sizes = tokio::task::spawn_blocking(move || {
        comptoir_indexer::load::image_sizes(&dir, &mut Vec::new())
    })
    .await
    .map_err(shopping::internal)?;
    let mut photos: Vec<ShopPhoto> = sizes
        .into_iter()
        .map(|(file, size)| ShopPhoto {
            used_by: used_by(merchant, &file),
            file,
            size,
        })
        .collect();
    photos.sort_by(|a, b| a.file.cmp(&b.file));
    let view = ShopPhotosView {
        photos,
        notice,
        upload_errors,
        csrf: csrf_field(merchant),
    };
    let body = super::page::shop_body(&view);
    let page = layout::page(merchant, Section::Products, "Photos de la boutique", body);
    Ok(layout::respond(status, page))
}

/// Titles of the merchant's products that show `file`, in the live catalogue.
fn used_by(merchant: &Merchant, file: &str) -> Vec<String> {
    let catalogue = &merchant.catalogue;
    catalogue
        .products
        .iter()
        .filter(|p| catalogue.shops[p.shop].slug == merchant.shop)
        .filter(|p| p.images.iter().any(|i| i.file == file))
        .map(|p| p.title.clone())
        .collect()
}

fn extension(file: &str) -> String {
    file.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Only pictures are served from the folder (a stray file stays private).
fn is_picture(file: &str) -> bool {
    ["jpg", "jpeg", "png", "webp"].contains(&extension(file).as_str())
}
