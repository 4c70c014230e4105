//! Placing an order: one transaction that takes the stock and the delivery places and
//! writes the order with one sub-order per shop, or writes nothing.
//!
//! Race safety on both engines: stock and capacity are taken by conditional UPDATEs whose
//! affected rows are checked; the order number comes from a counter row, which also
//! serialises concurrent checkouts on PostgreSQL (SQLite has one writer at a time); the
//! idempotency key is a unique column, so a retried form finds the first order instead of
//! making a second.

use super::checkout::{self, Checkout, CheckoutError, OrderPlan};
use super::number::{next_number, prefix_for_town};
use super::payment::{self, PayOnDelivery, PaymentProvider, PaymentRequest, PaymentStart};
use super::{Order, Status, read};
use crate::Config;
use crate::db::{self, Db};
use crate::delivery::{DeliveryError, calendar};
use crate::offers::{self, CodeError};
use crate::pricing::{self, PricedLine, ShopBasket};
use comptoir_indexer::model::{Catalogue, OfferKind};
use jiff::Timestamp;
use std::sync::Arc;

/// What placing orders needs besides the database and the catalogue.
#[derive(Debug, Clone)]
pub struct OrderSettings {
    /// The order numbers' prefix; `None` derives it from the town's name.
    pub prefix: Option<String>,
    /// How shoppers pay.
    pub payment: Arc<dyn PaymentProvider>,
}

impl OrderSettings {
    /// The configured prefix, payment on pickup or delivery.
    #[must_use]
    pub fn from_config(config: &Config) -> Self {
        Self {
            prefix: config.order_prefix.clone(),
            payment: Arc::new(PayOnDelivery),
        }
    }
}

impl Default for OrderSettings {
    fn default() -> Self {
        Self {
            prefix: None,
            payment: Arc::new(PayOnDelivery),
        }
    }
}

/// A placed order.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The order.
    pub order: Order,
    /// Whether this call placed it (`false`: the idempotency key had placed it before;
    /// do not send the e-mails again).
    pub fresh: bool,
    /// What the payment provider said (`None` for an order placed before).
    pub payment: Option<Result<PaymentStart, payment::PaymentError>>,
}

/// Places the order `checkout` describes at `now`, pricing it from `catalogue`.
///
/// # Errors
///
/// [`CheckoutError`] naming the field, line or shop at fault; nothing is written then
/// (no order, no stock or capacity taken).
pub async fn place(
    db: &Db,
    catalogue: &Catalogue,
    checkout: &Checkout,
    settings: &OrderSettings,
    now: Timestamp,
) -> Result<Placed, CheckoutError> {
    checkout::validate(checkout)?;
    if let Some(placed) = placed_before(db, checkout).await? {
        return Ok(placed);
    }
    let paris = calendar::in_paris(now);
    let priced = pricing::price_with_stock(db, catalogue, &checkout.lines, paris.date()).await?;
    let code = checkout.promo_code.as_deref();
    let discounts = offers::for_cart_now(db, catalogue, &priced, paris.date(), code).await?;
    let plan = checkout::plan(catalogue, checkout, priced, discounts, &paris)?;
    let prefix = prefix_for_town(&catalogue.town, settings.prefix.as_deref());
    let provider = settings.payment.as_ref();
    let write = Write {
        catalogue,
        checkout,
        plan: &plan,
        provider,
        now,
    };
    let number = match write.run(db, &prefix, paris.year()).await {
        Ok(number) => number,
        // The same key committed meanwhile (a double click): answer with that order.
        Err(CheckoutError::Db(db::DbError::Query(e))) if db::is_unique_violation(&e) => {
            return placed_before(db, checkout)
                .await?
                .ok_or(CheckoutError::Db(e.into()));
        }
        Err(other) => return Err(other),
    };
    let outcome = start_payment(db, provider, &number, &plan, checkout).await?;
    let order = read::find(db, &number).await?.ok_or(not_found())?;
    Ok(Placed {
        order,
        fresh: true,
        payment: Some(outcome),
    })
}

/// The order already placed with the checkout's idempotency key, if any.
async fn placed_before(db: &Db, checkout: &Checkout) -> Result<Option<Placed>, CheckoutError> {
    let order = read::find_by_key(db, &checkout.idempotency_key).await?;
    Ok(order.map(|order| Placed {
        order,
        fresh: false,
        payment: None,
    }))
}

fn not_found() -> CheckoutError {
    CheckoutError::Db(sqlx::Error::RowNotFound.into())
}

/// Calls the provider for the committed order `number` and records what it said; a
/// provider's failure is logged and recorded, and the order stands.
async fn start_payment(
    db: &Db,
    provider: &dyn PaymentProvider,
    number: &str,
    plan: &OrderPlan,
    checkout: &Checkout,
) -> Result<Result<PaymentStart, payment::PaymentError>, CheckoutError> {
    let request = PaymentRequest {
        number: number.to_owned(),
        amount: plan.total(),
        email: checkout.contact.email.trim().to_owned(),
    };
    let outcome = provider.start(&request).await;
    if let Err(error) = &outcome {
        tracing::error!(number, %error, "the payment provider failed");
    }
    payment::record(db, number, &outcome).await?;
    Ok(outcome)
}

/// The writing half of [`place`].
struct Write<'a> {
    catalogue: &'a Catalogue,
    checkout: &'a Checkout,
    plan: &'a OrderPlan,
    provider: &'a dyn PaymentProvider,
    now: Timestamp,
}

impl Write<'_> {
    /// The transaction; dropping it on an error rolls everything back.
    async fn run(&self, db: &Db, prefix: &str, year: i16) -> Result<String, CheckoutError> {
        let mut tx = db.begin_write().await?;
        let number = next_number(&mut tx, prefix, year).await?;
        self.insert_order(&mut tx, &number).await?;
        self.take_stock(&mut tx).await?;
        self.take_places(&mut tx).await?;
        self.take_code(&mut tx).await?;
        for (basket, plan) in &self.plan.shops {
            self.insert_sub_order(&mut tx, &number, basket, plan)
                .await?;
        }
        if let Some(cart) = &self.checkout.cart {
            crate::cart::clear_in(&mut tx, cart).await?;
        }
        tx.commit().await?;
        Ok(number)
    }

    async fn insert_order(
        &self,
        tx: &mut sqlx::AnyConnection,
        number: &str,
    ) -> Result<(), CheckoutError> {
        let (contact, address) = (&self.checkout.contact, self.checkout.address.as_ref());
        let needs_address = self
            .checkout
            .choices
            .values()
            .any(crate::delivery::Choice::needs_address);
        let address = address.filter(|_| needs_address);
        let day = calendar::in_paris(self.now).date();
        sqlx::query(
            "INSERT INTO orders (number, idempotency_key, tracking_token, placed_at, price_day,
               name, email, phone, street, postcode, city, items_total, fees_total, total,
               payment_method, payment_status, discount_total, promo_code, discount_notes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
               $17, $18, $19)",
        )
        .bind(number)
        .bind(&self.checkout.idempotency_key)
        .bind(crate::cart::random_hex())
        .bind(db::unix(self.now))
        .bind(day.to_string())
        .bind(contact.name.trim())
        .bind(contact.email.trim())
        .bind(contact.phone.trim())
        .bind(address.map(|a| a.street.trim().to_owned()))
        .bind(address.map(|a| a.postcode.trim().to_owned()))
        .bind(address.map(|a| a.city.trim().to_owned()))
        .bind(self.plan.items_total.cents())
        .bind(self.plan.fees_total.cents())
        .bind(self.plan.total().cents())
        .bind(self.provider.key())
        .bind(payment::PaymentStatus::Pending.key())
        .bind(self.plan.discounts.total.cents())
        .bind(self.plan.discounts.code.clone())
        .bind(notes(&self.plan.discounts))
        .execute(tx)
        .await?;
        Ok(())
    }

    /// Takes every line's stock, SKUs in order (the same lock order in every transaction).
    async fn take_stock(&self, tx: &mut sqlx::AnyConnection) -> Result<(), CheckoutError> {
        let mut lines: Vec<(&ShopBasket, &PricedLine)> = self
            .plan
            .shops
            .iter()
            .flat_map(|(b, _)| b.lines.iter().map(move |l| (b, l)))
            .collect();
        lines.sort_by(|a, b| a.1.sku.cmp(&b.1.sku));
        for (basket, line) in lines {
            if !crate::stock::take(tx, &line.sku, line.quantity).await? {
                let left: Option<i64> =
                    sqlx::query_scalar("SELECT quantity FROM stock WHERE sku = $1")
                        .bind(&line.sku)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(CheckoutError::OutOfStock {
                    sku: line.sku.clone(),
                    title: line.title.clone(),
                    shop_name: self.catalogue.shops[basket.shop].name.clone(),
                    wanted: line.quantity,
                    left: left.and_then(|l| u32::try_from(l).ok()).unwrap_or(0),
                });
            }
        }
        Ok(())
    }

    /// Takes each shop's locker day or slot, under its capacity.
    async fn take_places(&self, tx: &mut sqlx::AnyConnection) -> Result<(), CheckoutError> {
        for (basket, plan) in &self.plan.shops {
            let Some(booking) = &plan.booking else {
                continue;
            };
            if !crate::delivery::capacity::take(tx, booking).await? {
                let shop = &self.catalogue.shops[basket.shop];
                return Err(CheckoutError::Delivery {
                    shop: shop.slug.clone(),
                    shop_name: shop.name.clone(),
                    error: DeliveryError::Full {
                        day: booking.day,
                        slot: booking.slot.clone(),
                    },
                });
            }
        }
        Ok(())
    }

    /// One use of the promo code, under its limit.
    async fn take_code(&self, tx: &mut sqlx::AnyConnection) -> Result<(), CheckoutError> {
        let Some(code) = &self.plan.discounts.code else {
            return Ok(());
        };
        let max = self.catalogue.offers.iter().find_map(|o| match &o.kind {
            OfferKind::Code {
                code: c, max_uses, ..
            } if c == code => Some(*max_uses),
            _ => None,
        });
        if offers::codes::take(tx, code, max.flatten()).await? {
            Ok(())
        } else {
            Err(CheckoutError::PromoCode(CodeError::Exhausted(code.clone())))
        }
    }

    async fn insert_sub_order(
        &self,
        tx: &mut sqlx::AnyConnection,
        number: &str,
        basket: &ShopBasket,
        plan: &crate::delivery::Plan,
    ) -> Result<(), CheckoutError> {
        let shop = &self.catalogue.shops[basket.shop];
        sqlx::query(
            "INSERT INTO sub_orders (order_number, shop, shop_name, mode, point, day, slot, ready_at,
               items_total, fee, weight_grams, status, updated_at, discount)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(number)
        .bind(&shop.slug)
        .bind(&shop.name)
        .bind(plan.mode.key())
        .bind(plan.point.clone())
        .bind(plan.day.map(|d| d.to_string()))
        .bind(plan.slot.clone())
        .bind(db::unix(plan.ready_at.timestamp()))
        .bind(basket.subtotal.cents())
        .bind(plan.fee.cents())
        .bind(i64::from(basket.weight_grams))
        .bind(Status::Placed.key())
        .bind(db::unix(self.now))
        .bind(self.plan.discounts.of_shop(basket.shop).cents())
        .execute(&mut *tx)
        .await?;
        self.insert_lines(tx, number, basket).await
    }

    async fn insert_lines(
        &self,
        tx: &mut sqlx::AnyConnection,
        number: &str,
        basket: &ShopBasket,
    ) -> Result<(), CheckoutError> {
        let shop = &self.catalogue.shops[basket.shop].slug;
        for (position, line) in (0_i64..).zip(&basket.lines) {
            sqlx::query(
                "INSERT INTO order_lines (order_number, shop, position, sku, product_id, title,
                   variant, quantity, unit_price, total)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(number)
            .bind(shop)
            .bind(position)
            .bind(&line.sku)
            .bind(&self.catalogue.products[line.product].id)
            .bind(&line.title)
            .bind(line.variant.clone())
            .bind(i64::from(line.quantity))
            .bind(line.unit_price.cents())
            .bind(line.total.cents())
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }
}

/// The discounts applied, one a line: cents, a tab, the French explanation (read back by
/// [`read`]).
fn notes(discounts: &offers::Discounts) -> String {
    discounts
        .applied
        .iter()
        .map(|a| format!("{}\t{}", a.amount.cents(), a.why))
        .collect::<Vec<_>>()
        .join("\n")
}
