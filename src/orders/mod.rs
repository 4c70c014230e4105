//! Orders: one per checkout, split into one sub-order per shop.
//!
//! [`place`] turns a cart and the shopper's choices into an order in one transaction
//! (prices from the catalogue, stock and delivery capacity taken, idempotent); [`status`]
//! moves each shop's sub-order along placed → accepted → ready / out for delivery /
//! shipped → completed, or cancelled (stock and capacity given back); [`payment`] is the
//! seam for payment providers. Reading an order back is [`find`], [`find_by_token`] (the
//! tracking page), [`numbers_for_shop`], and for the back-office [`for_shop`],
//! [`counts_for_shop`], [`history`] and the service [`figures`] of the quality charter;
//! [`deliveries`] reads them as the delivery network sees them (per day, point and slot).
//!
//! Not here: e-mails ([`crate::mail`]), pages and forms (the routes).

pub mod checkout;
pub mod deliveries;
mod figures;
mod number;
pub mod payment;
mod place;
mod read;
pub mod status;

pub use checkout::{Checkout, CheckoutError, Contact, FieldError};
pub use figures::{Figures, figures};
pub use number::prefix_for_town;
pub use payment::{PayOnDelivery, PaymentProvider, PaymentStatus};
pub use place::{OrderSettings, Placed, place};
pub use read::{
    SHOP_LIST_LIMIT, ShopOrder, counts_for_shop, find, find_by_token, for_shop, numbers_for_shop,
};
pub use status::{Actor, Change, Event, Status, StatusError, cancel_order, history, set_status};

use comptoir_indexer::Money;
use comptoir_indexer::model::{Address, DeliveryMode};
use jiff::Timestamp;
use jiff::civil::Date;

/// A placed order, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// `SC-2026-000123`.
    pub number: String,
    /// The secret in the tracking page's address.
    pub tracking_token: String,
    /// When it was placed.
    pub placed_at: Timestamp,
    /// The day whose prices it was charged (Paris time).
    pub price_day: Date,
    /// Who ordered.
    pub contact: Contact,
    /// Where to deliver (home delivery and post).
    pub address: Option<Address>,
    /// Items, all shops.
    pub items_total: Money,
    /// Delivery fees, all shops.
    pub fees_total: Money,
    /// What the offers took off the items, all shops.
    pub discount_total: Money,
    /// Each offer applied: its amount and why, in French.
    pub discounts: Vec<(Money, String)>,
    /// The promo code used, if any.
    pub promo_code: Option<String>,
    /// What the shopper pays: items less discounts, plus fees.
    pub total: Money,
    /// The payment provider's key (`on_delivery`).
    pub payment_method: String,
    /// Where payment stands.
    pub payment_status: PaymentStatus,
    /// The provider's reference, if any.
    pub payment_reference: Option<String>,
    /// One per shop, by shop slug.
    pub shops: Vec<SubOrder>,
}

impl Order {
    /// The sub-order of the shop `slug`.
    #[must_use]
    pub fn shop(&self, slug: &str) -> Option<&SubOrder> {
        self.shops.iter().find(|s| s.shop == slug)
    }
}

/// One shop's part of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct SubOrder {
    /// The shop's slug.
    pub shop: String,
    /// The shop's name when the order was placed.
    pub shop_name: String,
    /// How the shopper receives it.
    pub mode: DeliveryMode,
    /// The locker or relay point's id.
    pub point: Option<String>,
    /// The day of delivery or deposit.
    pub day: Option<Date>,
    /// The slot (`"10:00-12:00"`).
    pub slot: Option<String>,
    /// When the shop said it would be ready (the pickup time for click & collect).
    pub ready_at: Option<Timestamp>,
    /// The shop's items.
    pub items_total: Money,
    /// The delivery fee.
    pub fee: Money,
    /// The shop's share of the order's discount.
    pub discount: Money,
    /// The parcel's weight.
    pub weight_grams: u32,
    /// Where it stands.
    pub status: Status,
    /// Last status change.
    pub updated_at: Timestamp,
    /// Why the shop cancelled it.
    pub cancel_reason: Option<String>,
    /// The carrier's tracking number, once shipped.
    pub tracking_number: Option<String>,
    /// Its lines.
    pub lines: Vec<OrderLine>,
}

/// One line of a sub-order, with the price charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// The SKU.
    pub sku: String,
    /// The product's id.
    pub product_id: String,
    /// The product's title when ordered.
    pub title: String,
    /// The variant when ordered ("bleu marine, taille S").
    pub variant: Option<String>,
    /// How many.
    pub quantity: u32,
    /// Price of one, charged.
    pub unit_price: Money,
    /// Line total.
    pub total: Money,
}
