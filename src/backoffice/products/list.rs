//! `/espace-commercant/produits`: the shop's products, searched by words (title, tags,
//! brand, SKU; accents and case ignored) and filtered (online, offline, out of stock, on
//! sale today), each row a link to its form.

use comptoir_indexer::model::Product;
use jiff::civil::Date;
use maud::{Markup, html};

/// The list's filters, from the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    /// Words to look for.
    #[serde(default)]
    pub q: String,
    /// One of [`FILTERS`]' keys, or empty for every product.
    #[serde(default)]
    pub filtre: String,
    /// Set after a product was deleted (the page says so).
    #[serde(default)]
    pub supprime: Option<String>,
    /// Set after a product was put online or offline.
    #[serde(default)]
    pub publication: Option<String>,
}

/// The filters: URL key and label.
pub const FILTERS: [(&str, &str); 5] = [
    ("", "Tous"),
    ("en-ligne", "En ligne"),
    ("hors-ligne", "Hors ligne"),
    ("rupture", "En rupture"),
    ("promotion", "En promotion"),
];

impl ListQuery {
    /// Whether `product` passes the filter and matches every word.
    #[must_use]
    pub fn keeps(&self, product: &Product, today: Date) -> bool {
        let filtered = match self.filtre.as_str() {
            "en-ligne" => product.published,
            "hors-ligne" => !product.published,
            "rupture" => product.total_stock() == 0,
            "promotion" => product.sale_on(today).is_some(),
            _ => true,
        };
        filtered && self.matches(product)
    }

    fn matches(&self, product: &Product) -> bool {
        let words = fold(&self.q);
        if words.is_empty() {
            return true;
        }
        let mut haystack = vec![product.title.as_str(), product.id.as_str()];
        haystack.extend(product.tags.iter().map(String::as_str));
        haystack.extend(product.brand.as_deref());
        haystack.extend(product.variants.iter().map(|v| v.sku.as_str()));
        let haystack = fold(&haystack.join(" "));
        words.split('-').all(|w| haystack.contains(w))
    }
}

/// Lowercase ASCII words joined by hyphens: "Crème Brûlée" → "creme-brulee".
fn fold(text: &str) -> String {
    comptoir_indexer::slug::slugify(text)
}

/// The list page's body: the search form, the filters and the rows, each with a button
/// that puts the product online or offline (`csrf`: the hidden field of those forms).
#[must_use]
pub fn body(query: &ListQuery, products: &[&Product], today: Date, csrf: &Markup) -> Markup {
    html! {
        @if query.supprime.is_some() {
            p.notice role="status" { "Produit supprimé : sa page quitte le site dans un instant." }
        }
        @if query.publication.is_some() {
            p.notice role="status" { "Enregistré : le site est mis à jour dans un instant." }
        }
        p { a.button href="/espace-commercant/produits/nouveau" { "Ajouter un produit" } }
        form.search-again method="get" action="/espace-commercant/produits" role="search" {
            // Not `q`: the site's header search field has that id.
            label for="produits-q" { "Rechercher un produit" }
            input #produits-q type="search" name="q" value=(query.q);
            label for="filtre" { "Afficher" }
            select #filtre name="filtre" {
                @for (key, label) in FILTERS {
                    option value=(key) selected[query.filtre == key] { (label) }
                }
            }
            button type="submit" { "Chercher" }
        }
        p role="status" { (count(products.len())) }
        @if !products.is_empty() {
            ul.product-rows { @for p in products { li { (row(p, today)) (switch(p, csrf)) } } }
        }
    }
}

fn count(n: usize) -> String {
    match n {
        0 => "Aucun produit ne correspond.".to_owned(),
        1 => "1 produit".to_owned(),
        n => format!("{n} produits"),
    }
}

fn row(p: &Product, today: Date) -> Markup {
    let sale = p.sale_on(today);
    html! {
        a href={ "/espace-commercant/produits/" (p.id) } { strong { (p.title) } }
        " · "
        @if let Some(sale) = sale {
            s { (p.price.to_french()) } " " (sale.price.to_french()) " (promotion)"
        } @else {
            (p.price.to_french())
        }
        " · "
        @match p.total_stock() {
            0 => span.error { "En rupture" },
            n => { "Stock : " (n) },
        }
        " · "
        @if p.published { "En ligne" } @else { span.hint { "Hors ligne" } }
    }
}

/// The one-tap form that puts a product online or offline.
fn switch(p: &Product, csrf: &Markup) -> Markup {
    let (value, label) = if p.published {
        ("0", "Mettre hors ligne")
    } else {
        ("1", "Mettre en ligne")
    };
    html! {
        form.publication method="post" action={ "/espace-commercant/produits/" (p.id) "/publication" } {
            (csrf)
            input type="hidden" name="en_ligne" value=(value);
            button.secondary type="submit" aria-label={ (label) " : " (p.title) } { (label) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comptoir_indexer::Money;
    use comptoir_indexer::model::Sale;

    fn product(title: &str, published: bool, stock: u32, sale: bool) -> Product {
        Product {
            id: comptoir_indexer::slug::slugify(title),
            slug: comptoir_indexer::slug::slugify(title),
            shop: 0,
            title: title.to_owned(),
            description: String::new(),
            price: Money::from_cents(1_000),
            sale: sale.then_some(Sale {
                price: Money::from_cents(800),
                from: Date::constant(2026, 11, 1),
                until: Date::constant(2026, 11, 30),
            }),
            category: 0,
            tags: vec!["fête".to_owned()],
            brand: None,
            gtin: None,
            weight: 100,
            stock,
            images: Vec::new(),
            delivery: Vec::new(),
            published,
            created: None,
            updated: Date::constant(2026, 1, 1),
            aliases: Vec::new(),
            variants: Vec::new(),
            source: "x.md".into(),
        }
    }

    #[test]
    fn filters_and_words_select_products() {
        let today = Date::constant(2026, 11, 15);
        let all = [
            product("Crème brûlée", true, 3, false),
            product("Bûche de Noël", false, 0, false),
            product("Galette des rois", true, 5, true),
        ];
        let kept = |q: &str, filtre: &str| -> Vec<&str> {
            let query = ListQuery {
                q: q.to_owned(),
                filtre: filtre.to_owned(),
                supprime: None,
                publication: None,
            };
            all.iter()
                .filter(|p| query.keeps(p, today))
                .map(|p| p.title.as_str())
                .collect()
        };
        assert_eq!(
            kept("", ""),
            ["Crème brûlée", "Bûche de Noël", "Galette des rois"]
        );
        assert_eq!(kept("CREME", ""), ["Crème brûlée"]);
        assert_eq!(kept("noel buche", ""), ["Bûche de Noël"]);
        assert_eq!(
            kept("fete", "en-ligne"),
            ["Crème brûlée", "Galette des rois"]
        );
        assert_eq!(kept("", "hors-ligne"), ["Bûche de Noël"]);
        assert_eq!(kept("", "rupture"), ["Bûche de Noël"]);
        assert_eq!(kept("", "promotion"), ["Galette des rois"]);
        assert!(kept("", "promotion").len() == 1 && kept("galette", "rupture").is_empty());
    }

    #[test]
    fn rows_link_to_the_form_and_say_the_state() {
        let today = Date::constant(2026, 11, 15);
        let p = product("Galette des rois", false, 0, true);
        let csrf = html! { input type="hidden" name="csrf" value="t"; };
        let page = body(&ListQuery::default(), &[&p], today, &csrf).into_string();
        assert!(
            page.contains(r#"href="/espace-commercant/produits/galette-des-rois""#),
            "{page}"
        );
        assert!(
            page.contains("En rupture")
                && page.contains("Hors ligne")
                && page.contains("promotion")
        );
        assert!(page.contains("1 produit"));
        assert!(
            page.contains(r#"action="/espace-commercant/produits/galette-des-rois/publication""#)
        );
        assert!(page.contains(r#"name="en_ligne" value="1""#) && page.contains("Mettre en ligne"));
    }
}
