//! The photos page of a product: its pictures in order, each with its alt text field and
//! buttons to move it up, down or off the product, then the upload form. Works without
//! JavaScript on a phone: every button is a plain form submission.
//!
//! The alt texts and the buttons live in two forms so that pressing Enter in an alt field
//! saves the texts (the first submit button of a form is its default) instead of moving
//! a picture; the buttons reach their form through the `form` attribute.

use super::intake::MAX_FILE_BYTES;
use super::store::MAX_ALT_CHARS;
use maud::{Markup, html};

/// Most files sent at once: a phone's multiple picker lets one choose a whole series;
/// the body limit of the upload route follows from it.
pub const MAX_FILES_PER_UPLOAD: usize = 10;

/// One picture as listed.
pub struct PhotoRow {
    /// File name in the shop's images folder (what the buttons send).
    pub file: String,
    /// The merchant's alt text.
    pub alt: Option<String>,
    /// The smallest served variant (path, width, height), when the live site has it.
    pub thumbnail: Option<(String, u32, u32)>,
}

/// What the page shows.
pub struct PhotosView<'a> {
    /// The product's id (in the URLs).
    pub id: &'a str,
    /// Its title (the alt text used when none is written).
    pub title: &'a str,
    /// Its pictures, main one first.
    pub photos: Vec<PhotoRow>,
    /// What the last action did ("Photos ajoutées.").
    pub notice: Option<&'static str>,
    /// Why the last edit was refused.
    pub edit_error: Option<String>,
    /// Why uploaded files were refused, one sentence per file.
    pub upload_errors: Vec<String>,
    /// The hidden CSRF field.
    pub csrf: Markup,
}

/// The URL of the photos page of product `id` (also where its edits are posted).
#[must_use]
pub fn photos_path(id: &str) -> String {
    format!("/espace-commercant/produits/{}/photos", url_segment(id))
}

/// The page's body.
#[must_use]
pub fn body(view: &PhotosView<'_>) -> Markup {
    let path = photos_path(view.id);
    html! {
        h1 { "Photos de « " (view.title) " »" }
        p {
            a href=(format!("/espace-commercant/produits/{}", url_segment(view.id))) { "Revenir au produit" }
            " · " a href=(SHOP_PHOTOS) { "Toutes les photos de la boutique" }
        }
        @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
        @if let Some(error) = &view.edit_error { p.field-error role="alert" { (error) } }
        (gallery(view, &path))
        (upload(view, &path))
    }
}

fn gallery(view: &PhotosView<'_>, path: &str) -> Markup {
    let last = view.photos.len().saturating_sub(1);
    html! {
        h2 { "Photos du produit, dans l’ordre" }
        p.hint { "La première est la photo principale, montrée dans les listes et les résultats de recherche." }
        form #photo-actions method="post" action=(path) { (view.csrf) }
        form.photos method="post" action=(path) {
            (view.csrf)
            ol.photo-list {
                @for (i, photo) in view.photos.iter().enumerate() {
                    li { (row(view.title, photo, i, last)) }
                }
            }
            button.button type="submit" name="action" value="enregistrer" { "Enregistrer les descriptions" }
        }
    }
}

fn row(title: &str, photo: &PhotoRow, i: usize, last: usize) -> Markup {
    let n = i + 1;
    let id = format!("alt-{n}");
    html! {
        @match &photo.thumbnail {
            Some((src, width, height)) => img src=(src) width=(width) height=(height) alt={ "Photo " (n) };
            None => p.photo-pending { "Photo " (n) " en préparation : elle s’affichera dans un instant." }
        }
        div.field {
            label for=(id) { "Description de la photo " (n) }
            input #(id) type="text" name={ "alt:" (photo.file) } value=[photo.alt.as_deref()]
                maxlength=(MAX_ALT_CHARS) aria-describedby={ (id) "-aide" };
            p.hint id={ (id) "-aide" } { "Ce qu’elle montre, pour qui ne la voit pas. Vide : « " (title) " »." }
        }
        div.photo-actions {
            @if i > 0 {
                button.secondary type="submit" form="photo-actions" name="action" value={ "monter:" (photo.file) } { "Monter" span.visually-hidden { " la photo " (n) } }
            }
            @if i < last {
                button.secondary type="submit" form="photo-actions" name="action" value={ "descendre:" (photo.file) } { "Descendre" span.visually-hidden { " la photo " (n) } }
            }
            @if last > 0 {
                button.secondary type="submit" form="photo-actions" name="action" value={ "retirer:" (photo.file) } { "Retirer" span.visually-hidden { " la photo " (n) } }
            }
        }
    }
}

fn upload(view: &PhotosView<'_>, path: &str) -> Markup {
    upload_form(&UploadForm {
        action: format!("{path}/ajout"),
        errors: &view.upload_errors,
        csrf: &view.csrf,
    })
}

/// The shop's photos page: the pictures of its folder, and the upload form.
pub const SHOP_PHOTOS: &str = "/espace-commercant/photos";

/// One picture of the shop's folder.
pub struct ShopPhoto {
    /// Its file name.
    pub file: String,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// Titles of the products that show it.
    pub used_by: Vec<String>,
}

/// What the shop's photos page shows.
pub struct ShopPhotosView {
    /// The folder's pictures, by name.
    pub photos: Vec<ShopPhoto>,
    /// What the last action did.
    pub notice: Option<&'static str>,
    /// Why uploaded files were refused.
    pub upload_errors: Vec<String>,
    /// The hidden CSRF field.
    pub csrf: Markup,
}

/// The shop's photos page's body: a new product picks its photos among these.
#[must_use]
pub fn shop_body(view: &ShopPhotosView) -> Markup {
    let form = UploadForm {
        action: format!("{SHOP_PHOTOS}/ajout"),
        errors: &view.upload_errors,
        csrf: &view.csrf,
    };
    html! {
        h1 { "Photos de la boutique" }
        p { "Envoyez ici les photos d’un nouveau produit, puis cochez-les dans sa fiche. "
            "L’ordre et les descriptions se règlent ensuite depuis la page Photos du produit." }
        @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
        (upload_form(&form))
        h2 { "Photos de la boutique (" (view.photos.len()) ")" }
        @if view.photos.is_empty() { p { "Aucune photo pour l’instant." } }
        ol.photo-list {
            @for photo in &view.photos {
                li {
                    img src={ (SHOP_PHOTOS) "/fichier/" (url_segment(&photo.file)) } width=(photo.size.0) height=(photo.size.1)
                        alt="" loading="lazy" decoding="async";
                    p { strong { (photo.file) } }
                    @if photo.used_by.is_empty() {
                        p.hint { "Pas encore utilisée : cochez-la dans la fiche d’un produit." }
                    } @else {
                        p.hint { "Montrée par : " (photo.used_by.join(", ")) }
                    }
                }
            }
        }
    }
}

/// The upload form, on the product's page and the shop's.
struct UploadForm<'a> {
    action: String,
    errors: &'a [String],
    csrf: &'a Markup,
}

fn upload_form(form: &UploadForm<'_>) -> Markup {
    let invalid = !form.errors.is_empty();
    let described = if invalid {
        "photos-aide photos-erreur"
    } else {
        "photos-aide"
    };
    html! {
        h2 { "Ajouter des photos" }
        form.upload method="post" action=(form.action) enctype="multipart/form-data" {
            (form.csrf)
            div.field {
                label for="photos" { "Photos à ajouter" }
                input #photos type="file" name="photos" multiple accept="image/jpeg,image/png,image/webp"
                    aria-invalid=[invalid.then_some("true")] aria-describedby=(described);
                p.hint #photos-aide {
                    "JPEG, PNG ou WebP, " (MAX_FILE_BYTES / (1024 * 1024)) " Mo au plus chacune, "
                    (MAX_FILES_PER_UPLOAD) " à la fois. La position GPS et les autres informations de l’appareil sont retirées."
                }
                @if invalid {
                    ul.field-error #photos-erreur role="alert" {
                        @for error in form.errors { li { (error) } }
                    }
                }
            }
            button.button type="submit" { "Envoyer les photos" }
        }
    }
}

/// A product id as one URL path segment (ids are slugs, but a file could say otherwise).
fn url_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(photos: Vec<PhotoRow>, upload_errors: Vec<String>) -> String {
        body(&PhotosView {
            id: "pull-marin",
            title: "Pull marin",
            photos,
            notice: None,
            edit_error: None,
            upload_errors,
            csrf: html! { input type="hidden" name="csrf" value="t"; },
        })
        .into_string()
    }

    fn photo(file: &str, alt: Option<&str>) -> PhotoRow {
        PhotoRow {
            file: file.to_owned(),
            alt: alt.map(str::to_owned),
            thumbnail: None,
        }
    }

    #[test]
    fn each_photo_has_its_alt_field_and_only_the_moves_it_can_make() {
        let html = view(
            vec![photo("a.jpg", Some("Vue de face")), photo("b.jpg", None)],
            vec![],
        );
        assert!(
            html.contains(r#"name="alt:a.jpg" value="Vue de face""#),
            "{html}"
        );
        assert!(html.contains(r#"<label for="alt-2">Description de la photo 2</label>"#));
        assert!(!html.contains(r#"value="monter:a.jpg""#));
        assert!(html.contains(r#"value="descendre:a.jpg""#));
        assert!(html.contains(r#"value="monter:b.jpg""#));
        assert!(!html.contains(r#"value="descendre:b.jpg""#));
        assert!(!html.contains("aria-invalid"));
    }

    #[test]
    fn a_single_photo_cannot_be_removed_and_upload_errors_sit_by_the_field() {
        let html = view(
            vec![photo("a.jpg", None)],
            vec!["« x.jpg » n’est pas une photo".into()],
        );
        assert!(!html.contains("retirer:"));
        assert!(
            html.contains(r#"aria-invalid="true" aria-describedby="photos-aide photos-erreur""#)
        );
        assert!(html.contains("« x.jpg » n’est pas une photo"));
        assert!(html.contains(r#"enctype="multipart/form-data""#));
    }
}
