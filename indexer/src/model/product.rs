//! Products, their variants and sale prices.

use super::DeliveryMode;
use crate::money::Money;
use jiff::civil::Date;
use std::path::PathBuf;

/// A picture in a shop's images folder, with its real size.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Image {
    /// File name in `content/shops/<shop>/images/`.
    pub file: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Text alternative written by the merchant (`{ file = "…", alt = "…" }`); pages
    /// fall back to one made from the product's title when it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// A sale price valid between two dates, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sale {
    /// The reduced price.
    pub price: Money,
    /// First day.
    pub from: Date,
    /// Last day.
    pub until: Date,
}

/// One sellable version of a product (a colour × size).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// Stock keeping unit, unique in the catalogue.
    pub sku: String,
    /// Colour, as shoppers say it.
    pub color: Option<String>,
    /// Size.
    pub size: Option<String>,
    /// Price, when it differs from the product's.
    pub price: Option<Money>,
    /// Initial stock.
    pub stock: u32,
    /// GTIN, when known.
    pub gtin: Option<String>,
}

/// Stock counts by SKU (a product's id for a product without variants), as the server's
/// database keeps them; they override the catalogue's initial stock.
pub type StockLevels = std::collections::HashMap<String, u32>;

/// Most items of one line of a cart (a shop is not a wholesaler): the server's cart refuses
/// more, and the product page's quantity field says so.
pub const MAX_QUANTITY: u32 = 99;

/// A product of a shop.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Product {
    /// Stable id, unique in the catalogue.
    pub id: String,
    /// URL slug, unique in its shop.
    pub slug: String,
    /// Index of its shop in [`super::Catalogue::shops`].
    pub shop: usize,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description: String,
    /// Regular price.
    pub price: Money,
    /// Sale price, if any.
    pub sale: Option<Sale>,
    /// Index of its aisle in [`super::Catalogue::categories`].
    pub category: usize,
    /// Tags.
    pub tags: Vec<String>,
    /// Brand.
    pub brand: Option<String>,
    /// GTIN, when known.
    pub gtin: Option<String>,
    /// Weight in grams.
    pub weight: u32,
    /// Initial stock (products without variants).
    pub stock: u32,
    /// Pictures; the first is the main one.
    pub images: Vec<Image>,
    /// Delivery modes (the shop's, possibly restricted).
    pub delivery: Vec<DeliveryMode>,
    /// Shown on the site.
    pub published: bool,
    /// First put on sale.
    pub created: Option<Date>,
    /// Last significant change (falls back to the file's modification date).
    pub updated: Date,
    /// Old paths answered with a 301.
    pub aliases: Vec<String>,
    /// Colour × size variants; empty for a single-item product.
    pub variants: Vec<Variant>,
    /// The file it comes from, relative to `content/`.
    pub source: PathBuf,
}

impl Product {
    /// The sale in force on `today`, if any.
    #[must_use]
    pub fn sale_on(&self, today: Date) -> Option<Sale> {
        self.sale.filter(|s| s.from <= today && today <= s.until)
    }

    /// What a shopper pays on `today` for the product (or a variant's own price).
    #[must_use]
    pub fn price_on(&self, today: Date, variant: Option<&Variant>) -> Money {
        let regular = variant.and_then(|v| v.price).unwrap_or(self.price);
        match self.sale_on(today) {
            Some(sale) if variant.and_then(|v| v.price).is_none() => sale.price.min(regular),
            _ => regular,
        }
    }

    /// The lowest price on `today` across variants (the "from" price).
    #[must_use]
    pub fn lowest_price_on(&self, today: Date) -> Money {
        if self.variants.is_empty() {
            return self.price_on(today, None);
        }
        self.variants
            .iter()
            .map(|v| self.price_on(today, Some(v)))
            .min()
            .unwrap_or(self.price)
    }

    /// A copy with the stock of its SKUs taken from `levels` (the database's counts),
    /// or `None` when none differs.
    #[must_use]
    pub fn with_stock(&self, levels: &StockLevels) -> Option<Self> {
        let differs = |sku: &str, stock: u32| levels.get(sku).is_some_and(|&l| l != stock);
        let changed = if self.variants.is_empty() {
            differs(&self.id, self.stock)
        } else {
            self.variants.iter().any(|v| differs(&v.sku, v.stock))
        };
        if !changed {
            return None;
        }
        let mut copy = self.clone();
        if let Some(&level) = levels.get(&copy.id) {
            copy.stock = level;
        }
        for v in &mut copy.variants {
            if let Some(&level) = levels.get(&v.sku) {
                v.stock = level;
            }
        }
        Some(copy)
    }

    /// Total initial stock across variants.
    #[must_use]
    pub fn total_stock(&self) -> u32 {
        if self.variants.is_empty() {
            self.stock
        } else {
            self.variants.iter().map(|v| v.stock).sum()
        }
    }
}
