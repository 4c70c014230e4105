//! Pricing a cart from the published catalogue, never from the request.
//!
//! Each line is resolved to its product, variant and shop, priced on `today` (sale prices
//! by date, a variant's own price), checked against the stock, and grouped by shop with
//! subtotals, weights and the delivery modes every line of the shop allows. A line whose
//! product disappeared, was withdrawn or ran short is kept and marked, not dropped, and
//! does not count in the totals. Delivery fees are [`crate::delivery`]'s.

use crate::cart::CartLine;
use crate::db::{Db, Result};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Catalogue, DeliveryMode, Product, Variant};
use jiff::civil::Date;
use std::collections::HashMap;

/// A SKU resolved in the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Item<'c> {
    /// Index of the product in [`Catalogue::products`].
    pub index: usize,
    /// The product.
    pub product: &'c Product,
    /// The variant, for products that have variants.
    pub variant: Option<&'c Variant>,
}

impl Item<'_> {
    /// The variant as shoppers read it: "bleu marine, taille S".
    #[must_use]
    pub fn variant_label(&self) -> Option<String> {
        let variant = self.variant?;
        let parts: Vec<String> = [
            variant.color.clone(),
            variant.size.as_ref().map(|s| format!("taille {s}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// The product or variant sold under `sku`, published or not.
#[must_use]
pub fn find<'c>(catalogue: &'c Catalogue, sku: &str) -> Option<Item<'c>> {
    catalogue
        .products
        .iter()
        .enumerate()
        .find_map(|(index, product)| {
            if product.variants.is_empty() {
                (product.id == sku).then_some(Item {
                    index,
                    product,
                    variant: None,
                })
            } else {
                let variant = product.variants.iter().find(|v| v.sku == sku)?;
                Some(Item {
                    index,
                    product,
                    variant: Some(variant),
                })
            }
        })
}

/// Whether a line can be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// On sale, enough in stock.
    Available,
    /// The product is no longer shown on the site.
    Withdrawn,
    /// Fewer left than the line asks (maybe none).
    Short {
        /// How many are left.
        left: u32,
    },
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// The SKU.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// Index of the product in [`Catalogue::products`].
    pub product: usize,
    /// The product's title.
    pub title: String,
    /// The variant ("bleu marine, taille S").
    pub variant: Option<String>,
    /// Price of one, on the day.
    pub unit_price: Money,
    /// Price of one without the sale (equal to `unit_price` when there is none).
    pub regular_price: Money,
    /// `unit_price × quantity`.
    pub total: Money,
    /// Weight of the line, in grams.
    pub weight_grams: u32,
    /// Whether it can be ordered.
    pub availability: Availability,
}

/// The lines of one shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopBasket {
    /// Index of the shop in [`Catalogue::shops`].
    pub shop: usize,
    /// Its lines, in cart order.
    pub lines: Vec<PricedLine>,
    /// Total of the available lines.
    pub subtotal: Money,
    /// Weight of the available lines, in grams.
    pub weight_grams: u32,
    /// Delivery modes the shop offers for every available line, in page order.
    pub modes: Vec<DeliveryMode>,
}

impl ShopBasket {
    /// The lines that can be ordered.
    pub fn available(&self) -> impl Iterator<Item = &PricedLine> {
        self.lines
            .iter()
            .filter(|l| l.availability == Availability::Available)
    }
}

/// A priced cart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PricedCart {
    /// One basket per shop, in catalogue order.
    pub shops: Vec<ShopBasket>,
    /// Lines whose SKU the catalogue no longer has.
    pub unknown: Vec<CartLine>,
    /// Total of the available lines, before delivery fees.
    pub items_total: Money,
}

impl PricedCart {
    /// Whether every line can be ordered (and there is at least one).
    #[must_use]
    pub fn is_orderable(&self) -> bool {
        self.unknown.is_empty()
            && !self.shops.is_empty()
            && self
                .shops
                .iter()
                .flat_map(|s| &s.lines)
                .all(|l| l.availability == Availability::Available)
    }

    /// The basket of the shop at `shop`, if the cart has one.
    #[must_use]
    pub fn basket(&self, shop: usize) -> Option<&ShopBasket> {
        self.shops.iter().find(|b| b.shop == shop)
    }
}

/// Prices `lines` on `today` against the stock levels `stock` (a SKU absent from it has
/// none left).
#[must_use]
pub fn price(
    catalogue: &Catalogue,
    lines: &[CartLine],
    stock: &HashMap<String, u32>,
    today: Date,
) -> PricedCart {
    let mut cart = PricedCart::default();
    for line in lines {
        let Some(item) = find(catalogue, &line.sku) else {
            cart.unknown.push(line.clone());
            continue;
        };
        let public = catalogue.is_public(item.product);
        let priced = price_line(item, public, line, stock, today);
        let shop = item.product.shop;
        match cart.shops.iter_mut().find(|b| b.shop == shop) {
            Some(basket) => basket.lines.push(priced),
            None => cart.shops.push(ShopBasket {
                shop,
                lines: vec![priced],
                subtotal: Money::default(),
                weight_grams: 0,
                modes: Vec::new(),
            }),
        }
    }
    cart.shops.sort_by_key(|b| b.shop);
    for basket in &mut cart.shops {
        sum_basket(catalogue, basket);
    }
    cart.items_total = Money::from_cents(cart.shops.iter().map(|b| b.subtotal.cents()).sum());
    cart
}

/// Prices `lines` with the database's stock levels.
///
/// # Errors
///
/// When the database fails.
pub async fn price_with_stock(
    db: &Db,
    catalogue: &Catalogue,
    lines: &[CartLine],
    today: Date,
) -> Result<PricedCart> {
    let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
    let stock = crate::stock::levels(db, &skus).await?;
    Ok(price(catalogue, lines, &stock, today))
}

/// `public`: whether shoppers may still buy the product (published, shop online).
fn price_line(
    item: Item<'_>,
    public: bool,
    line: &CartLine,
    stock: &HashMap<String, u32>,
    today: Date,
) -> PricedLine {
    let product = item.product;
    let unit_price = product.price_on(today, item.variant);
    let regular_price = item.variant.and_then(|v| v.price).unwrap_or(product.price);
    let left = stock.get(&line.sku).copied().unwrap_or(0);
    let availability = if !public {
        Availability::Withdrawn
    } else if left < line.quantity {
        Availability::Short { left }
    } else {
        Availability::Available
    };
    PricedLine {
        sku: line.sku.clone(),
        quantity: line.quantity,
        product: item.index,
        title: product.title.clone(),
        variant: item.variant_label(),
        unit_price,
        regular_price,
        total: Money::from_cents(unit_price.cents() * i64::from(line.quantity)),
        weight_grams: product.weight.saturating_mul(line.quantity),
        availability,
    }
}

fn sum_basket(catalogue: &Catalogue, basket: &mut ShopBasket) {
    let shop = &catalogue.shops[basket.shop];
    let mut modes: Vec<DeliveryMode> = DeliveryMode::ALL
        .into_iter()
        .filter(|m| shop.delivery.contains(m) && crate::delivery::town_offers(&catalogue.town, *m))
        .collect();
    let (mut subtotal, mut weight) = (0, 0u32);
    for line in basket.available() {
        subtotal += line.total.cents();
        weight = weight.saturating_add(line.weight_grams);
        modes.retain(|m| catalogue.products[line.product].delivery.contains(m));
    }
    basket.subtotal = Money::from_cents(subtotal);
    basket.weight_grams = weight;
    basket.modes = modes;
}
