//! A product as the back-office edits it, and its file written back in the catalogue format.
//!
//! The product form, the photo page and the CSV import all write products through
//! [`ProductDraft::to_file`], so the format of `shops/<shop>/products/<file>.md` is written
//! in one place: the field order of `docs/catalogue.md`, optional fields left out when empty
//! or at their default, strings escaped by the TOML writer, money as `"12.50"` strings and
//! dates as TOML dates, so a saved file reads (and diffs) like a hand-written one.
//!
//! Validation is not done here: the text is checked by [`crate::parse::parse_product`]
//! like any other file before anyone writes it.

use crate::model::{DeliveryMode, Product, Sale};
use crate::{Catalogue, Money};
use jiff::civil::Date;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml_writer::{ToTomlValue as _, TomlStringBuilder};

/// Every field of a product file, as the back-office edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductDraft {
    /// Stable id, unique in the catalogue.
    pub id: String,
    /// Title.
    pub title: String,
    /// URL slug, when it differs from the file name.
    pub slug: Option<String>,
    /// Regular price.
    pub price: Money,
    /// Aisle slug.
    pub category: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Brand.
    pub brand: Option<String>,
    /// GTIN.
    pub gtin: Option<String>,
    /// Weight in grams.
    pub weight: u32,
    /// Initial stock (products without variants).
    pub stock: u32,
    /// Pictures in the shop's images folder; the first is the main one.
    pub images: Vec<ImageDraft>,
    /// Delivery modes, when restricted from the shop's.
    pub delivery: Option<Vec<DeliveryMode>>,
    /// Shown on the site.
    pub published: bool,
    /// First put on sale.
    pub created: Option<Date>,
    /// Last significant change.
    pub updated: Option<Date>,
    /// Old paths answered with a 301.
    pub aliases: Vec<String>,
    /// Sale price and its dates.
    pub sale: Option<Sale>,
    /// Colour × size variants.
    pub variants: Vec<VariantDraft>,
    /// Description, Markdown.
    pub description: String,
}

/// A picture of a product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageDraft {
    /// File name in the shop's images folder.
    pub file: String,
    /// Text alternative, when written.
    pub alt: Option<String>,
}

/// One colour × size of a product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantDraft {
    /// Stock keeping unit, unique in the catalogue.
    pub sku: String,
    /// Colour.
    pub color: Option<String>,
    /// Size.
    pub size: Option<String>,
    /// Price, when it differs from the product's.
    pub price: Option<Money>,
    /// Initial stock.
    pub stock: u32,
    /// GTIN.
    pub gtin: Option<String>,
}

/// The path of a product's file: `content/shops/<shop>/products/<file_stem>.md`.
#[must_use]
pub fn product_file(content: &Path, shop: &str, file_stem: &str) -> PathBuf {
    content
        .join("shops")
        .join(shop)
        .join("products")
        .join(format!("{file_stem}.md"))
}

impl ProductDraft {
    /// The product file's text: `+++`, the TOML front matter in the order of
    /// `docs/catalogue.md`, `+++`, then the Markdown description.
    #[must_use]
    pub fn to_file(&self) -> String {
        let mut out = String::from("+++\n");
        self.write_fields(&mut out);
        if let Some(sale) = &self.sale {
            write_sale(&mut out, sale);
        }
        for variant in &self.variants {
            write_variant(&mut out, variant);
        }
        out.push_str("+++\n");
        let description = self.description.trim();
        if !description.is_empty() {
            out.push_str(description);
            out.push('\n');
        }
        out
    }

    fn write_fields(&self, out: &mut String) {
        field(out, "id", string(&self.id));
        field(out, "title", string(&self.title));
        if let Some(slug) = &self.slug {
            field(out, "slug", string(slug));
        }
        field(out, "price", money(self.price));
        field(out, "category", string(&self.category));
        if !self.tags.is_empty() {
            field(out, "tags", strings(&self.tags));
        }
        optional(out, "brand", self.brand.as_deref());
        optional(out, "gtin", self.gtin.as_deref());
        field(out, "weight", self.weight);
        if self.stock > 0 {
            field(out, "stock", self.stock);
        }
        field(out, "images", images(&self.images));
        if let Some(modes) = &self.delivery {
            let keys: Vec<&str> = modes.iter().map(|m| m.key()).collect();
            field(out, "delivery", strings(&keys));
        }
        if !self.published {
            field(out, "published", false);
        }
        if let Some(created) = self.created {
            field(out, "created", created);
        }
        if let Some(updated) = self.updated {
            field(out, "updated", updated);
        }
        if !self.aliases.is_empty() {
            field(out, "aliases", strings(&self.aliases));
        }
    }

    /// The draft of a product of `catalogue`: what its file says, with the shop's own
    /// delivery modes left implicit and the file name's slug left out.
    #[must_use]
    pub fn from_product(p: &Product, catalogue: &Catalogue) -> Self {
        let shop_delivery = catalogue.shops.get(p.shop).map(|s| s.delivery.as_slice());
        let file_stem = p.source.file_stem().map(|s| s.to_string_lossy());
        Self {
            id: p.id.clone(),
            title: p.title.clone(),
            slug: (file_stem.as_deref() != Some(p.slug.as_str())).then(|| p.slug.clone()),
            price: p.price,
            category: catalogue
                .categories
                .get(p.category)
                .map(|c| c.slug.clone())
                .unwrap_or_default(),
            tags: p.tags.clone(),
            brand: p.brand.clone(),
            gtin: p.gtin.clone(),
            weight: p.weight,
            stock: p.stock,
            images: p
                .images
                .iter()
                .map(|i| ImageDraft {
                    file: i.file.clone(),
                    alt: i.alt.clone(),
                })
                .collect(),
            delivery: (shop_delivery != Some(p.delivery.as_slice())).then(|| p.delivery.clone()),
            published: p.published,
            created: p.created,
            updated: Some(p.updated),
            aliases: p.aliases.clone(),
            sale: p.sale,
            variants: p.variants.iter().map(VariantDraft::from).collect(),
            description: p.description.clone(),
        }
    }
}

impl From<&crate::model::Variant> for VariantDraft {
    fn from(v: &crate::model::Variant) -> Self {
        Self {
            sku: v.sku.clone(),
            color: v.color.clone(),
            size: v.size.clone(),
            price: v.price,
            stock: v.stock,
            gtin: v.gtin.clone(),
        }
    }
}

fn write_sale(out: &mut String, sale: &Sale) {
    out.push_str("\n[sale]\n");
    field(out, "price", money(sale.price));
    field(out, "from", sale.from);
    field(out, "until", sale.until);
}

fn write_variant(out: &mut String, v: &VariantDraft) {
    out.push_str("\n[[variants]]\n");
    field(out, "sku", string(&v.sku));
    optional(out, "color", v.color.as_deref());
    optional(out, "size", v.size.as_deref());
    if let Some(price) = v.price {
        field(out, "price", money(price));
    }
    // A variant's stock is always written: it is what the shop sells of it.
    field(out, "stock", v.stock);
    optional(out, "gtin", v.gtin.as_deref());
}

/// One `key = value` line.
fn field(out: &mut String, key: &str, value: impl std::fmt::Display) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{key} = {value}");
}

fn optional(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        field(out, key, string(value));
    }
}

/// A TOML string on one line, so that no line of the front matter can read `+++`:
/// `"…"` when nothing needs escaping, else `'…'`, else `"…"` with escapes.
fn string(text: &str) -> String {
    let builder = TomlStringBuilder::new(text);
    builder
        .as_basic_pretty()
        .or_else(|| builder.as_literal())
        .unwrap_or_else(|| builder.as_basic())
        .to_toml_value()
}

fn strings<S: AsRef<str>>(list: &[S]) -> String {
    let items: Vec<String> = list.iter().map(|s| string(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// Money as the catalogue writes it: an exact string, `"12.50"`.
fn money(amount: Money) -> String {
    string(&amount.to_decimal())
}

/// Plain file names, or `{ file = "x.jpg", alt = "…" }` for a picture with alt text.
fn images(list: &[ImageDraft]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|image| match &image.alt {
            Some(alt) => format!(
                "{{ file = {}, alt = {} }}",
                string(&image.file),
                string(alt)
            ),
            None => string(&image.file),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn demo() -> Catalogue {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        match crate::load::load(&content) {
            Ok(catalogue) => catalogue,
            Err(problems) => panic!("the demo content does not load: {problems:?}"),
        }
    }

    /// Parses `text` as the file of `product` would be parsed by the loader.
    fn reparse(catalogue: &Catalogue, product: &Product, text: &str) -> Product {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let shop = &catalogue.shops[product.shop];
        let images = crate::load::image_sizes(
            &content.join("shops").join(&shop.slug).join("images"),
            &mut Vec::new(),
        );
        let categories = catalogue
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let cx = crate::parse::ProductContext {
            shop: product.shop,
            shop_delivery: &shop.delivery,
            categories: &categories,
            images: &images,
            modified: Date::constant(2000, 1, 1),
        };
        let stem = product
            .source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match crate::parse::parse_product(&product.source, &stem, text, &cx) {
            Ok(parsed) => parsed.product,
            Err(problems) => panic!("{} does not parse: {problems:?}\n{text}", product.id),
        }
    }

    #[test]
    fn every_demo_product_survives_a_round_trip() {
        let catalogue = demo();
        assert!(catalogue.products.len() > 100);
        for product in &catalogue.products {
            let text = ProductDraft::from_product(product, &catalogue).to_file();
            let again = reparse(&catalogue, product, &text);
            let (want, got) = (
                serde_json::to_value(product.as_ref()).ok(),
                serde_json::to_value(&again).ok(),
            );
            assert!(want.is_some());
            assert_eq!(
                want, got,
                "{} changed through its draft:\n{text}",
                product.id
            );
        }
    }

    fn sample() -> ProductDraft {
        ProductDraft {
            id: "blesdor-pull".to_owned(),
            title: "Pull \"marin\" d'hiver".to_owned(),
            price: Money::from_cents(5_900),
            category: "vetements".to_owned(),
            tags: vec!["laine".to_owned(), "hiver".to_owned()],
            weight: 400,
            images: vec![
                ImageDraft {
                    file: "pull.jpg".to_owned(),
                    alt: None,
                },
                ImageDraft {
                    file: "pull-dos.jpg".to_owned(),
                    alt: Some("Le dos du pull".to_owned()),
                },
            ],
            published: false,
            sale: Some(Sale {
                price: Money::from_cents(4_990),
                from: Date::constant(2026, 11, 1),
                until: Date::constant(2026, 11, 30),
            }),
            variants: vec![VariantDraft {
                sku: "PULL-M".to_owned(),
                size: Some("M".to_owned()),
                stock: 3,
                ..VariantDraft::default()
            }],
            description: "Un pull **chaud**.\n".to_owned(),
            ..ProductDraft::default()
        }
    }

    #[test]
    fn a_draft_is_written_in_the_documented_order_without_empty_fields() {
        let expected = r#"+++
id = "blesdor-pull"
title = "Pull \"marin\" d'hiver"
price = "59.00"
category = "vetements"
tags = ["laine", "hiver"]
weight = 400
images = ["pull.jpg", { file = "pull-dos.jpg", alt = "Le dos du pull" }]
published = false

[sale]
price = "49.90"
from = 2026-11-01
until = 2026-11-30

[[variants]]
sku = "PULL-M"
size = "M"
stock = 3
+++
Un pull **chaud**.
"#;
        assert_eq!(sample().to_file(), expected);
    }

    #[test]
    fn strings_stay_on_one_line_and_escaped() {
        for text in [
            "a\n+++\nb",
            "quote \" and ' both",
            "back\\slash",
            "tab\there",
        ] {
            let written = string(text);
            assert!(!written.contains('\n'), "{written}");
            let parsed: Result<toml::Table, _> = toml::from_str(&format!("v = {written}"));
            let value = parsed.ok().and_then(|t| t.get("v").cloned());
            assert_eq!(value, Some(toml::Value::String(text.to_owned())));
        }
    }

    #[test]
    fn product_files_live_in_their_shop_folder() {
        assert_eq!(
            product_file(Path::new("content"), "blesdor", "baguette"),
            Path::new("content/shops/blesdor/products/baguette.md")
        );
    }
}
