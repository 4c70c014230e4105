//! The import pages: upload (the files and a default aisle), preview (what will be
//! created, updated or left, and every row error; nothing written yet), confirm (files
//! written, put online by the live catalogue).
//!
//! `GET /espace-commercant/import` → form; `POST` it → upload kept, 303 to
//! `/espace-commercant/import/<id>` (the preview, safe to reload); `POST` that → import.

use super::plan::{self, Action, Plan, Target};
use super::{Format, Upload, store};
use crate::AppState;
use crate::backoffice::layout::{self, Section, csrf_field};
use crate::backoffice::{Merchant, content};
use crate::error::AppError;
use crate::shopping;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

/// Largest upload: a few thousand products' CSV is well under this.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

/// Why pictures are not imported, as the merchant reads it.
const PHOTOS: &str = "Les photos ne sont pas importées : l’export ne contient que leurs adresses \
sur votre ancienne boutique, que nous ne téléchargeons pas. Les produits sans photo sont créés \
hors ligne ; ajoutez leurs photos depuis la fiche de chaque produit pour les mettre en ligne.";

/// `GET /espace-commercant/import`.
pub async fn form(merchant: Merchant) -> Response {
    upload_page(&merchant, None, StatusCode::OK)
}

/// Which field of the upload form is wrong, and why.
#[derive(Debug, Clone, Copy)]
enum Invalid {
    /// No file chosen.
    Files,
    /// An aisle not in the list.
    Aisle,
}

impl Invalid {
    const fn message(self) -> &'static str {
        match self {
            Self::Files => "Choisissez le fichier CSV exporté de votre ancienne boutique.",
            Self::Aisle => "Choisissez un rayon dans la liste.",
        }
    }
}

/// The upload form, with the error beside its field when there is one.
fn upload_page(merchant: &Merchant, invalid: Option<Invalid>, status: StatusCode) -> Response {
    let default = default_aisle(merchant);
    let files_error = matches!(invalid, Some(Invalid::Files)).then(|| Invalid::Files.message());
    let aisle_error = matches!(invalid, Some(Invalid::Aisle)).then(|| Invalid::Aisle.message());
    let body = html! {
        h1 { "Importer un catalogue" }
        p { "Envoyez l’export CSV de vos produits depuis Shopify (ancien ou nouveau modèle de colonnes), \
             WooCommerce ou PrestaShop (le fichier des produits, avec celui des déclinaisons s’il y en a). \
             Rien n’est enregistré avant que vous ayez vu et confirmé l’aperçu." }
        p { "Un produit de votre boutique qui a la même référence (SKU) ou le même identifiant est \
             mis à jour au lieu d’être créé une seconde fois ; un champ vide dans le fichier ne \
             l’efface pas." }
        p { (PHOTOS) }
        form method="post" action=(Section::Import.path()) enctype="multipart/form-data" {
            (csrf_field(merchant))
            div.field {
                label for="f-fichiers" { "Fichier(s) CSV" }
                input id="f-fichiers" name="fichiers" type="file" accept=".csv,text/csv" multiple required
                    aria-invalid=[files_error.map(|_| "true")]
                    aria-describedby=[files_error.map(|_| "f-fichiers-error")];
                @if let Some(message) = files_error { p.field-error id="f-fichiers-error" { (message) } }
            }
            div.field {
                label for="f-rayon" { "Rayon des produits dont la catégorie ne correspond à aucun de nos rayons" }
                select id="f-rayon" name="rayon"
                    aria-invalid=[aisle_error.map(|_| "true")]
                    aria-describedby=[aisle_error.map(|_| "f-rayon-error")] {
                    @for c in &merchant.catalogue.categories {
                        option value=(c.slug) selected[c.slug == default] { (c.name) }
                    }
                }
                @if let Some(message) = aisle_error { p.field-error id="f-rayon-error" { (message) } }
            }
            button.button type="submit" { "Voir l’aperçu" }
        }
    };
    let page = layout::page(merchant, Section::Import, "Importer un catalogue", body);
    layout::respond(status, page)
}

/// The aisle most of the shop's products are in, else the first one.
fn default_aisle(merchant: &Merchant) -> String {
    let catalogue = &merchant.catalogue;
    let shop = catalogue.shops.iter().position(|s| s.slug == merchant.shop);
    let mut counts = std::collections::HashMap::new();
    for p in catalogue.products.iter().filter(|p| Some(p.shop) == shop) {
        *counts.entry(p.category).or_insert(0) += 1;
    }
    let best = counts
        .into_iter()
        .max_by_key(|&(c, n)| (n, std::cmp::Reverse(c)));
    best.map(|(c, _)| c)
        .or((!catalogue.categories.is_empty()).then_some(0))
        .and_then(|c| catalogue.categories.get(c))
        .map(|c| c.slug.clone())
        .unwrap_or_default()
}

/// `POST /espace-commercant/import`: keeps the upload, then shows its preview.
pub async fn upload(
    State(state): State<AppState>,
    merchant: Merchant,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (mut csrf, mut aisle, mut files) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::Forbidden)?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|_| AppError::Forbidden)?;
        match (name.as_str(), file_name) {
            ("csrf", _) => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            ("rayon", _) => aisle = String::from_utf8_lossy(&bytes).into_owned(),
            ("fichiers", Some(file)) if !bytes.is_empty() => files.push(Upload {
                name: file,
                bytes: bytes.to_vec(),
            }),
            _ => {}
        }
    }
    merchant.check_csrf(&csrf)?;
    let invalid = if files.is_empty() {
        Some(Invalid::Files)
    } else if !merchant
        .catalogue
        .categories
        .iter()
        .any(|c| c.slug == aisle)
    {
        Some(Invalid::Aisle)
    } else {
        None
    };
    if invalid.is_some() {
        return Ok(upload_page(
            &merchant,
            invalid,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let id = store::save(state.data_dir(), &merchant.shop, &files, &aisle)
        .map_err(shopping::internal)?;
    Ok(shopping::see_other(&format!(
        "{}/{id}",
        Section::Import.path()
    )))
}

/// The plan of a stored upload against today's catalogue.
/// The plan of a stored upload against today's catalogue, and the formats recognised.
/// Reading and planning a few thousand rows is CPU work: it runs off the async workers.
async fn plan_of(
    state: &AppState,
    merchant: &Merchant,
    stored: store::Stored,
) -> Result<(Plan, Vec<Format>), AppError> {
    let catalogue = std::sync::Arc::clone(&merchant.catalogue);
    let content = state.config.content.clone();
    let (shop, today) = (merchant.shop.clone(), merchant.today);
    tokio::task::spawn_blocking(move || {
        let imported = super::read(&stored.files);
        let target = Target {
            catalogue: &catalogue,
            content: &content,
            shop: &shop,
            default_aisle: &stored.aisle,
            today,
        };
        let mut plan = plan::plan(&imported, &target);
        if stored.files.len() == 1 {
            for e in &mut plan.errors {
                e.file.clear();
            }
        }
        (plan, imported.formats)
    })
    .await
    .map_err(shopping::internal)
}

/// `GET /espace-commercant/import/<id>`: the preview.
pub async fn preview(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let stored =
        store::load(state.data_dir(), &merchant.shop, &id).ok_or_else(layout::not_found)?;
    let (plan, formats) = plan_of(&state, &merchant, stored).await?;
    let formats: Vec<&str> = formats.iter().map(|f| f.label()).collect();
    let body = html! {
        h1 { "Aperçu de l’import" }
        @if !formats.is_empty() { p { "Format reconnu : " (formats.join(", ")) "." } }
        (summary(&plan))
        p { (PHOTOS) }
        (confirm_form(&merchant, &id, &plan))
        (items_table(&plan))
        (errors_table(&plan))
    };
    let page = layout::page(&merchant, Section::Import, "Aperçu de l’import", body);
    Ok(layout::respond(StatusCode::OK, page))
}

fn summary(plan: &Plan) -> Markup {
    html! {
        ul.import-summary {
            li { strong { (plan.count(Action::Create)) } " à créer" }
            li { strong { (plan.count(Action::Update)) } " à mettre à jour" }
            li { strong { (plan.count(Action::Unchanged)) } " inchangé(s)" }
            li { strong { (plan.errors.len()) } " ligne(s) en erreur" }
        }
    }
}

fn confirm_form(merchant: &Merchant, id: &str, plan: &Plan) -> Markup {
    let writes = plan.count(Action::Create) + plan.count(Action::Update);
    html! {
        @if writes > 0 {
            form method="post" action=(format!("{}/{id}", Section::Import.path())) {
                (csrf_field(merchant))
                button.button type="submit" { "Importer " (writes) " produit(s)" }
                " "
                a href=(Section::Import.path()) { "Annuler" }
            }
        } @else {
            p { "Rien à importer. " a href=(Section::Import.path()) { "Envoyer un autre fichier" } }
        }
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Create => "à créer",
        Action::Update => "mis à jour",
        Action::Unchanged => "inchangé",
    }
}

fn items_table(plan: &Plan) -> Markup {
    html! {
        @if !plan.items.is_empty() {
            h2 { "Produits" }
            div.table-scroll role="region" aria-label="Produits de l’import" tabindex="0" {
                table.import-items {
                    thead { tr { th scope="col" { "Ligne" } th scope="col" { "Produit" } th scope="col" { "Action" }
                        th scope="col" { "Prix" } th scope="col" { "Déclinaisons" } th scope="col" { "Rayon" } th scope="col" { "Photos" } } }
                    tbody {
                        @for item in &plan.items {
                            tr {
                                td { (item.line) }
                                td { (item.draft.title) @if !item.draft.published { " (hors ligne" @if item.draft.images.is_empty() { " jusqu’à sa première photo" } ")" } }
                                td.{ "import-" (format!("{:?}", item.action).to_lowercase()) } { (action_label(item.action)) }
                                td { (item.draft.price.to_french()) }
                                td { (item.draft.variants.len()) }
                                td { (item.aisle) }
                                td { @if item.draft.images.is_empty() { "aucune" @if item.images_left > 0 { " (" (item.images_left) " non importée(s))" } } @else { (item.draft.images.len()) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn errors_table(plan: &Plan) -> Markup {
    html! {
        @if !plan.errors.is_empty() {
            h2 { "Lignes en erreur" }
            div.table-scroll role="region" aria-label="Lignes en erreur" tabindex="0" {
                table.import-errors {
                    thead { tr { th scope="col" { "Ligne" } th scope="col" { "Colonne" } th scope="col" { "Problème" } } }
                    tbody {
                        @for e in &plan.errors {
                            tr {
                                td { @if !e.file.is_empty() { (e.file) " : " } (e.line) }
                                td { (e.field) }
                                td { (e.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /espace-commercant/import/<id>`: writes the files, puts them online.
pub async fn confirm(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(id): Path<String>,
    body: Result<axum::extract::RawForm, axum::extract::rejection::RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    let stored =
        store::load(state.data_dir(), &merchant.shop, &id).ok_or_else(layout::not_found)?;
    let (plan, _) = plan_of(&state, &merchant, stored).await?;
    let written: Vec<&plan::Item> = plan
        .items
        .iter()
        .filter(|i| i.action != Action::Unchanged)
        .collect();
    let mut paths = Vec::new();
    for item in &written {
        let path = state.config.content.join(&item.path);
        content::write_file(&path, item.text.as_bytes()).map_err(shopping::internal)?;
        paths.push(path);
    }
    set_stock(&state, &written).await?;
    store::remove(state.data_dir(), &merchant.shop, &id);
    tracing::info!(
        shop = merchant.shop,
        user = merchant.user_id,
        files = paths.len(),
        "catalogue imported"
    );
    let publication = content::publish(&state, paths);
    let body = html! {
        h1 { "Import terminé" }
        p role="status" {
            (plan.count(Action::Create)) " produit(s) créé(s), "
            (plan.count(Action::Update)) " mis à jour, "
            (plan.count(Action::Unchanged)) " inchangé(s). " (publication.french())
        }
        p { a href=(Section::Products.path()) { "Voir mes produits" } " · " a href=(Section::Import.path()) { "Importer un autre fichier" } }
    };
    let page = layout::page(&merchant, Section::Import, "Import terminé", body);
    Ok(layout::respond(StatusCode::OK, page))
}

/// Sets the stock counts the file gives (a product file's stock only seeds new SKUs).
async fn set_stock(state: &AppState, items: &[&plan::Item]) -> Result<(), AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let mut skus = Vec::new();
    for item in items {
        let counts: Vec<(&str, u32)> = if item.draft.variants.is_empty() {
            vec![(item.draft.id.as_str(), item.draft.stock)]
        } else {
            item.draft
                .variants
                .iter()
                .map(|v| (v.sku.as_str(), v.stock))
                .collect()
        };
        for (sku, count) in counts {
            crate::stock::set(db, sku, count)
                .await
                .map_err(shopping::internal)?;
            skus.push(sku.to_owned());
        }
    }
    crate::live::stock_changed(state, skus).await;
    Ok(())
}
