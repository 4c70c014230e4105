//! The product form's page in the back-office frame: the aisles, pictures and delivery
//! modes of the shop around the fields, and the answers that draw it (a redraw for
//! "Aperçu" and "Ajouter des lignes", a 422 with the messages).

use super::edit::{self, EditView, Existing};
use super::files::{Found, ShopFiles};
use super::form::{Action, BLANK_ROWS, Errors, MORE_ROWS, ProductForm, Rules};
use super::preview;
use crate::backoffice::auth::Merchant;
use crate::backoffice::layout::{self, Section};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

/// The sets a form is checked against, owned.
pub struct OwnedRules {
    categories: std::collections::HashSet<String>,
    delivery: Vec<comptoir_indexer::model::DeliveryMode>,
    images: std::collections::HashSet<String>,
}

impl OwnedRules {
    pub fn as_rules(&self) -> Rules<'_> {
        Rules {
            categories: &self.categories,
            shop_delivery: &self.delivery,
            images: &self.images,
        }
    }
}

pub fn rules(files: &ShopFiles) -> OwnedRules {
    OwnedRules {
        categories: files.category_slugs(),
        delivery: files.catalogue.shops[files.shop].delivery.clone(),
        images: files.image_files().into_iter().collect(),
    }
}

/// The form page's state beyond the fields.
pub struct Page<'a> {
    pub form: &'a ProductForm,
    pub found: Option<&'a Found>,
    pub errors: Errors,
    pub preview: Option<Markup>,
    pub blank_rows: usize,
    pub notice: Option<&'static str>,
}

impl<'a> Page<'a> {
    pub fn new(form: &'a ProductForm, found: Option<&'a Found>) -> Self {
        Self {
            form,
            found,
            errors: Errors::new(),
            preview: None,
            blank_rows: BLANK_ROWS,
            notice: None,
        }
    }

    pub fn errors(mut self, errors: &Errors) -> Self {
        self.errors.clone_from(errors);
        self
    }
}

/// The whole form page.
pub fn draw(merchant: &Merchant, files: &ShopFiles, page: &Page<'_>) -> Markup {
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
    // The title is read first by screen readers: it says the form was refused.
    let title = if page.errors.is_empty() {
        title.to_owned()
    } else {
        format!("Erreur : {title}")
    };
    layout::page(merchant, Section::Products, &title, body)
}

/// The page, 200.
pub fn shown(merchant: &Merchant, files: &ShopFiles, page: &Page<'_>) -> Response {
    Html(draw(merchant, files, page).into_string()).into_response()
}

/// The form drawn again for "Aperçu" or "Ajouter des lignes"; `None` for "Enregistrer".
pub fn redraw(
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
    Some(shown(merchant, files, &page))
}

/// The form with its messages, 422: nothing was written.
pub fn refused(merchant: &Merchant, files: &ShopFiles, page: &Page<'_>) -> Response {
    let body = Html(draw(merchant, files, page).into_string());
    (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
}
