//! The catalogue model: validated towns, aisles, shops, products and offers.
//!
//! Pure data, no I/O: [`crate::load`] reads `content/` and builds these types, the
//! renderer and the server read them. Each type keeps what pages, structured data and
//! sitemaps need, already checked.

mod category;
mod charter;
mod delivery;
pub mod network;
mod offer;
mod product;
mod shop;
mod town;

pub use category::Category;
pub use charter::{Acceptance, CHARTER_FILE, Charter, Targets, basic_string, shop_online};
pub use delivery::{DeliveryMode, DeliveryPoint, HomeDelivery, PointKind, Postal, PostalBand};
pub use offer::{
    OFFERS_FILE, Offer, OfferKind, OfferState, Reduction, normalize_code, write_offers,
};
pub use product::{Image, MAX_QUANTITY, Product, Sale, StockLevels, Variant};
pub use shop::{Geo, Hours, OpeningRange, Shop, Trade, Weekday, write_suspension};
pub use town::{Address, Town};

use std::sync::Arc;

/// The whole validated catalogue of one town.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Catalogue {
    /// The town and its marketplace.
    pub town: Town,
    /// The aisles, parents before children, in file order.
    pub categories: Vec<Category>,
    /// The shops, sorted by slug.
    pub shops: Vec<Shop>,
    /// The products, sorted by shop then slug; shared, so a catalogue changed by one
    /// product is a cheap copy of the last one.
    pub products: Vec<Arc<Product>>,
    /// The quality charter (`charte.md`), when the town has one.
    #[serde(default)]
    pub charter: Option<Charter>,
    /// The association's cross-shop offers (`offers.toml`), in file order.
    #[serde(default)]
    pub offers: Vec<Offer>,
}

impl Catalogue {
    /// Takes every product's stock from `levels` where they name its SKUs.
    pub fn apply_stock(&mut self, levels: &StockLevels) {
        if levels.is_empty() {
            return;
        }
        for product in &mut self.products {
            if let Some(copy) = product.with_stock(levels) {
                *product = Arc::new(copy);
            }
        }
    }

    /// Products a shopper can see (published, in a shop that is online).
    pub fn published(&self) -> impl Iterator<Item = &Product> {
        self.products
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| self.is_public(p))
    }

    /// Whether shoppers see `product`: published by its shop, and the shop online (it
    /// accepted the current quality charter and is not suspended).
    #[must_use]
    pub fn is_public(&self, product: &Product) -> bool {
        product.published && self.shops.get(product.shop).is_none_or(|s| s.online)
    }

    /// The shops shoppers see (online), with their index.
    pub fn online_shops(&self) -> impl Iterator<Item = (usize, &Shop)> {
        self.shops.iter().enumerate().filter(|(_, s)| s.online)
    }

    /// Marks each shop online or not: under the current charter, and not suspended.
    pub fn apply_charter(&mut self) {
        for shop in &mut self.shops {
            shop.online =
                !shop.suspended && shop_online(self.charter.as_ref(), shop.charter.as_ref());
        }
    }

    /// The chain of aisles from the root down to `category` (inclusive).
    #[must_use]
    pub fn category_trail(&self, category: usize) -> Vec<&Category> {
        let mut trail = vec![&self.categories[category]];
        while let Some(parent) = trail.last().and_then(|c| c.parent) {
            trail.push(&self.categories[parent]);
        }
        trail.reverse();
        trail
    }

    /// Whether `category` is `ancestor` or lies below it.
    #[must_use]
    pub fn category_within(&self, category: usize, ancestor: usize) -> bool {
        let mut current = Some(category);
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            current = self.categories[c].parent;
        }
        false
    }

    /// The canonical path of an aisle: `/rayons/alimentation/boulangerie/`.
    #[must_use]
    pub fn category_path(&self, category: usize) -> String {
        let mut path = String::from("/rayons/");
        for c in self.category_trail(category) {
            path.push_str(&c.slug);
            path.push('/');
        }
        path
    }

    /// The breadcrumbs of an aisle: (name, path) from the root aisle down to `category`.
    #[must_use]
    pub fn category_crumbs(&self, category: usize) -> Vec<(String, String)> {
        let mut path = String::from("/rayons/");
        self.category_trail(category)
            .into_iter()
            .map(|c| {
                path.push_str(&c.slug);
                path.push('/');
                (c.name.clone(), path.clone())
            })
            .collect()
    }

    /// The canonical path of a product page: `/boutiques/<shop>/<product>/`.
    #[must_use]
    pub fn product_path(&self, product: &Product) -> String {
        format!(
            "/boutiques/{}/{}/",
            self.shops[product.shop].slug, product.slug
        )
    }

    /// An absolute URL on the marketplace's site.
    #[must_use]
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.town.base_url)
    }
}
