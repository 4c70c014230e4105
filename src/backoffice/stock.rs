//! Stock counts from the shop floor: every SKU of the merchant's shop with its count and
//! one field to change it (one tap to save), a low-stock view, a text filter. A new count
//! goes to the database at once and, when it crosses zero, to the product's page and
//! search facets (through the live catalogue).

use super::Merchant;
use super::layout::{self, Section, csrf_field};
use crate::AppState;
use crate::error::AppError;
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{Catalogue, Product};
use maud::{Markup, html};
use std::collections::HashMap;

/// A count at or under this is "low" (the low-stock view lists it).
pub const LOW: u32 = 3;

/// Largest count a merchant may type.
pub const MAX_COUNT: u32 = 99_999;

/// One SKU of the shop.
#[derive(Debug, Clone)]
pub struct Line<'c> {
    /// The SKU.
    pub sku: &'c str,
    /// Its product.
    pub product: &'c Product,
    /// "bleu marine · M", or empty for a product without variants.
    pub variant: String,
    /// The count in the database (the catalogue's when the database has none yet).
    pub count: u32,
}

/// The SKUs of `shop`, in catalogue order, with their counts from `levels`.
#[must_use]
pub fn lines<'c>(
    catalogue: &'c Catalogue,
    shop: &str,
    levels: &HashMap<String, u32>,
) -> Vec<Line<'c>> {
    let Some(index) = catalogue.shops.iter().position(|s| s.slug == shop) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for product in catalogue.products.iter().filter(|p| p.shop == index) {
        if product.variants.is_empty() {
            let count = levels.get(&product.id).copied().unwrap_or(product.stock);
            lines.push(Line {
                sku: &product.id,
                product,
                variant: String::new(),
                count,
            });
        }
        for v in &product.variants {
            let variant = [v.color.as_deref(), v.size.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let count = levels.get(&v.sku).copied().unwrap_or(v.stock);
            lines.push(Line {
                sku: &v.sku,
                product,
                variant,
                count,
            });
        }
    }
    lines
}

/// `?vue=bas&q=…&enregistre=SKU`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct View {
    vue: Option<String>,
    q: Option<String>,
    enregistre: Option<String>,
}

impl View {
    fn low_only(&self) -> bool {
        self.vue.as_deref() == Some("bas")
    }

    fn query(&self) -> &str {
        self.q.as_deref().unwrap_or_default().trim()
    }

    fn back(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if self.low_only() {
            query.append_pair("vue", "bas");
        }
        if !self.query().is_empty() {
            query.append_pair("q", self.query());
        }
        query.finish()
    }
}

fn matches(line: &Line<'_>, words: &[String]) -> bool {
    let text = format!("{} {} {}", line.product.title, line.variant, line.sku).to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

async fn levels_of(
    state: &AppState,
    catalogue: &Catalogue,
    shop: &str,
) -> Result<HashMap<String, u32>, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let all = lines(catalogue, shop, &HashMap::new());
    let skus: Vec<&str> = all.iter().map(|l| l.sku).collect();
    crate::stock::levels(db, &skus)
        .await
        .map_err(shopping::internal)
}

/// `GET /espace-commercant/stock`.
pub async fn list(
    State(state): State<AppState>,
    merchant: Merchant,
    Query(view): Query<View>,
) -> Result<Response, AppError> {
    let levels = levels_of(&state, &merchant.catalogue, &merchant.shop).await?;
    Ok(draw(&merchant, &view, &levels, None, StatusCode::OK))
}

fn draw(
    merchant: &Merchant,
    view: &View,
    levels: &HashMap<String, u32>,
    error: Option<(&str, &str)>,
    status: StatusCode,
) -> Response {
    let words: Vec<String> = view
        .query()
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut shown: Vec<Line<'_>> = lines(&merchant.catalogue, &merchant.shop, levels)
        .into_iter()
        .filter(|l| !view.low_only() || l.count <= LOW)
        .filter(|l| matches(l, &words))
        .collect();
    if view.low_only() {
        shown.sort_by_key(|l| l.count);
    }
    let low = lines(&merchant.catalogue, &merchant.shop, levels)
        .iter()
        .filter(|l| l.count <= LOW)
        .count();
    let back = view.back();
    let body = html! {
        h1 { "Stock" }
        @if let Some(sku) = &view.enregistre {
            p.notice role="status" { "Stock de " (sku) " enregistré." }
        }
        @if let Some((_, message)) = error { (layout::alert(message)) }
        p.tabs {
            @if view.low_only() {
                a href="/espace-commercant/stock" { "Tout le stock" } " · "
                strong aria-current="page" { "Stock bas (" (low) ")" }
            } @else {
                strong aria-current="page" { "Tout le stock" } " · "
                a href="/espace-commercant/stock?vue=bas" { "Stock bas (" (low) ")" }
            }
        }
        form.filter method="get" action="/espace-commercant/stock" role="search" {
            @if view.low_only() { input type="hidden" name="vue" value="bas"; }
            label for="q" { "Chercher un produit ou une référence" }
            input id="q" name="q" type="search" value=(view.query());
            button.secondary type="submit" { "Filtrer" }
        }
        @if shown.is_empty() {
            p { @if view.low_only() { "Aucun article sous " (LOW + 1) " unités." } @else { "Aucun article." } }
        }
        ul.stock-lines {
            @for line in &shown { (row(merchant, line, &back, error)) }
        }
    };
    layout::respond(
        status,
        layout::page(merchant, Section::Stock, "Stock", body),
    )
}

fn row(merchant: &Merchant, line: &Line<'_>, back: &str, error: Option<(&str, &str)>) -> Markup {
    let id = format!("stock-{}", line.sku);
    let error = error.filter(|(sku, _)| *sku == line.sku).map(|(_, m)| m);
    let error_id = format!("{id}-error");
    html! {
        li.stock-line id={ "ligne-" (line.sku) } {
            form method="post" action="/espace-commercant/stock" {
                (csrf_field(merchant))
                input type="hidden" name="sku" value=(line.sku);
                input type="hidden" name="retour" value=(back);
                label for=(id) {
                    strong { (line.product.title) }
                    @if !line.variant.is_empty() { " — " (line.variant) }
                    small { " · réf. " (line.sku) }
                    @if line.count == 0 { " " span.stock-out { "épuisé" } }
                    @else if line.count <= LOW { " " span.stock-low { "stock bas" } }
                }
                input id=(id) name="quantite" type="number" inputmode="numeric" min="0" max=(MAX_COUNT)
                    value=(line.count) required
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
                button.button type="submit" { "Enregistrer" }
                @if let Some(message) = error { p.field-error id=(error_id) { (message) } }
            }
        }
    }
}

/// `POST /espace-commercant/stock`: sets one SKU's count.
pub async fn set(
    State(state): State<AppState>,
    merchant: Merchant,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields: Fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    let sku = fields.text("sku");
    let owned = lines(&merchant.catalogue, &merchant.shop, &HashMap::new())
        .iter()
        .any(|l| l.sku == sku);
    if !owned {
        return Err(layout::not_found());
    }
    let view: View = serde_urlencoded_view(fields.text("retour"));
    let Some(count) = parse_count(fields.text("quantite")) else {
        let levels = levels_of(&state, &merchant.catalogue, &merchant.shop).await?;
        let message = format!("Indiquez un nombre entier entre 0 et {MAX_COUNT}, par exemple 12.");
        return Ok(draw(
            &merchant,
            &view,
            &levels,
            Some((sku, &message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let db = state.db().await.map_err(shopping::internal)?;
    crate::stock::set(db, sku, count)
        .await
        .map_err(shopping::internal)?;
    tracing::info!(
        shop = merchant.shop,
        user = merchant.user_id,
        sku,
        count,
        "stock counted"
    );
    crate::live::stock_changed(&state, vec![sku.to_owned()]).await;
    let mut query = form_urlencoded::Serializer::new(view.back());
    query.append_pair("enregistre", sku);
    Ok(shopping::see_other(&format!(
        "/espace-commercant/stock?{}#ligne-{sku}",
        query.finish()
    )))
}

fn serde_urlencoded_view(query: &str) -> View {
    let fields = Fields::parse(query.as_bytes());
    View {
        vue: fields.get("vue").map(str::to_owned),
        q: fields.get("q").map(str::to_owned),
        enregistre: None,
    }
}

/// A typed count: digits only (spaces allowed), at most [`MAX_COUNT`].
#[must_use]
pub fn parse_count(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n <= MAX_COUNT)
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_are_whole_numbers_in_range() {
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count(" 1 200 "), Some(1200));
        assert_eq!(parse_count("0"), Some(0));
        for bad in ["", "-1", "1,5", "douze", "100000", "1e3"] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
    }
}
