//! Reading orders back: by number, by tracking token, by idempotency key, by shop (the
//! merchant's list and its counts per status).

use super::checkout::Contact;
use super::payment::PaymentStatus;
use super::{Order, OrderLine, Status, SubOrder};
use crate::db::{self, Db, Result};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Address, DeliveryMode};
use sqlx::Row;
use sqlx::any::AnyRow;

const ORDER_COLUMNS: &str = "number, tracking_token, placed_at, price_day, name, email, phone,
    street, postcode, city, items_total, fees_total, total, payment_method, payment_status,
    payment_reference, discount_total, promo_code, discount_notes";

/// The order numbered `number`.
///
/// # Errors
///
/// When the database fails.
pub async fn find(db: &Db, number: &str) -> Result<Option<Order>> {
    find_where(db, "number", number).await
}

/// The order whose tracking token is `token` (the tracking page's secret).
///
/// # Errors
///
/// When the database fails.
pub async fn find_by_token(db: &Db, token: &str) -> Result<Option<Order>> {
    find_where(db, "tracking_token", token).await
}

/// The order placed with the idempotency key `key`.
pub(crate) async fn find_by_key(db: &Db, key: &str) -> Result<Option<Order>> {
    find_where(db, "idempotency_key", key).await
}

/// The numbers of the orders with a sub-order of the shop `slug`, newest first.
///
/// # Errors
///
/// When the database fails.
pub async fn numbers_for_shop(db: &Db, slug: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT s.order_number FROM sub_orders s JOIN orders o ON o.number = s.order_number
         WHERE s.shop = $1 ORDER BY o.placed_at DESC, s.order_number DESC",
    )
    .bind(slug)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("order_number"))
        .collect::<Result<_, _>>()?)
}

/// `column` is one of ours, never the shopper's.
async fn find_where(db: &Db, column: &'static str, value: &str) -> Result<Option<Order>> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE {column} = $1");
    let Some(row) = sqlx::query(&sql)
        .bind(value)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let mut order = order(&row)?;
    order.shops = sub_orders(db, &order.number).await?;
    Ok(Some(order))
}

fn money(row: &AnyRow, column: &str) -> Result<Money, sqlx::Error> {
    row.try_get::<i64, _>(column).map(Money::from_cents)
}

fn order(row: &AnyRow) -> Result<Order, sqlx::Error> {
    let street: Option<String> = row.try_get("street")?;
    let postcode: Option<String> = row.try_get("postcode")?;
    let city: Option<String> = row.try_get("city")?;
    let address = match (street, postcode, city) {
        (Some(street), Some(postcode), Some(city)) => Some(Address {
            street,
            postcode,
            city,
        }),
        _ => None,
    };
    let price_day: String = row.try_get("price_day")?;
    let payment_status: String = row.try_get("payment_status")?;
    Ok(Order {
        number: row.try_get("number")?,
        tracking_token: row.try_get("tracking_token")?,
        placed_at: db::timestamp(row.try_get("placed_at")?),
        price_day: price_day.parse().map_err(|e| decode("price_day", e))?,
        contact: Contact {
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
        },
        address,
        items_total: money(row, "items_total")?,
        fees_total: money(row, "fees_total")?,
        discount_total: money(row, "discount_total")?,
        discounts: discount_notes(&row.try_get::<String, _>("discount_notes")?),
        promo_code: row.try_get("promo_code")?,
        total: money(row, "total")?,
        payment_method: row.try_get("payment_method")?,
        payment_status: PaymentStatus::from_key(&payment_status)
            .ok_or_else(|| decode("payment_status", payment_status.clone()))?,
        payment_reference: row.try_get("payment_reference")?,
        shops: Vec::new(),
    })
}

/// `cents<TAB>why` lines, as [`super::place`] writes them.
fn discount_notes(text: &str) -> Vec<(Money, String)> {
    text.lines()
        .filter_map(|line| {
            let (cents, why) = line.split_once('\t')?;
            Some((Money::from_cents(cents.parse().ok()?), why.to_owned()))
        })
        .collect()
}

fn decode(column: &str, detail: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: detail.to_string().into(),
    }
}

async fn sub_orders(db: &Db, number: &str) -> Result<Vec<SubOrder>> {
    let rows = sqlx::query(
        "SELECT shop, shop_name, mode, point, day, slot, ready_at, items_total, fee, weight_grams,
           status, updated_at, cancel_reason, tracking_number, discount
         FROM sub_orders WHERE order_number = $1 ORDER BY shop",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await?;
    let mut lines = lines(db, number).await?;
    let mut subs = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut sub = sub_order(row)?;
        sub.lines = lines.remove(&sub.shop).unwrap_or_default();
        subs.push(sub);
    }
    Ok(subs)
}

fn sub_order(row: &AnyRow) -> Result<SubOrder, sqlx::Error> {
    let mode: String = row.try_get("mode")?;
    let status: String = row.try_get("status")?;
    let day: Option<String> = row.try_get("day")?;
    let ready_at: Option<i64> = row.try_get("ready_at")?;
    let weight: i64 = row.try_get("weight_grams")?;
    Ok(SubOrder {
        shop: row.try_get("shop")?,
        shop_name: row.try_get("shop_name")?,
        mode: DeliveryMode::from_key(&mode).ok_or_else(|| decode("mode", &mode))?,
        point: row.try_get("point")?,
        day: day
            .map(|d| d.parse())
            .transpose()
            .map_err(|e| decode("day", e))?,
        slot: row.try_get("slot")?,
        ready_at: ready_at.map(db::timestamp),
        items_total: money(row, "items_total")?,
        fee: money(row, "fee")?,
        discount: money(row, "discount")?,
        weight_grams: u32::try_from(weight).unwrap_or(0),
        status: Status::from_key(&status).ok_or_else(|| decode("status", &status))?,
        updated_at: db::timestamp(row.try_get("updated_at")?),
        cancel_reason: row.try_get("cancel_reason")?,
        tracking_number: row.try_get("tracking_number")?,
        lines: Vec::new(),
    })
}

/// The order's lines, by shop slug, in position order.
async fn lines(db: &Db, number: &str) -> Result<std::collections::HashMap<String, Vec<OrderLine>>> {
    let rows = sqlx::query(
        "SELECT shop, sku, product_id, title, variant, quantity, unit_price, total
         FROM order_lines WHERE order_number = $1 ORDER BY shop, position",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await?;
    let mut by_shop: std::collections::HashMap<String, Vec<OrderLine>> = Default::default();
    for row in &rows {
        let quantity: i64 = row.try_get("quantity")?;
        let line = OrderLine {
            sku: row.try_get("sku")?,
            product_id: row.try_get("product_id")?,
            title: row.try_get("title")?,
            variant: row.try_get("variant")?,
            quantity: u32::try_from(quantity).unwrap_or(0),
            unit_price: money(row, "unit_price")?,
            total: money(row, "total")?,
        };
        by_shop.entry(row.try_get("shop")?).or_default().push(line);
    }
    Ok(by_shop)
}

/// One line of a shop's order list: the sub-order and who ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopOrder {
    /// `SC-2026-000123`.
    pub number: String,
    /// When it was placed.
    pub placed_at: jiff::Timestamp,
    /// The shopper's name.
    pub name: String,
    /// How the shopper receives it.
    pub mode: DeliveryMode,
    /// The day of delivery or deposit.
    pub day: Option<jiff::civil::Date>,
    /// The slot (`"10:00-12:00"`).
    pub slot: Option<String>,
    /// The shop's items.
    pub items_total: Money,
    /// Where it stands.
    pub status: Status,
}

/// The most orders a list shows (the newest).
pub const SHOP_LIST_LIMIT: i64 = 200;

/// The sub-orders of the shop `slug` in `status` (every status: `None`), newest first, at
/// most [`SHOP_LIST_LIMIT`].
///
/// # Errors
///
/// When the database fails.
pub async fn for_shop(db: &Db, slug: &str, status: Option<Status>) -> Result<Vec<ShopOrder>> {
    let rows = sqlx::query(
        "SELECT s.order_number, o.placed_at, o.name, s.mode, s.day, s.slot, s.items_total, s.status
         FROM sub_orders s JOIN orders o ON o.number = s.order_number
         WHERE s.shop = $1 AND ($2 = '' OR s.status = $2)
         ORDER BY o.placed_at DESC, s.order_number DESC LIMIT $3",
    )
    .bind(slug)
    .bind(status.map_or("", Status::key))
    .bind(SHOP_LIST_LIMIT)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(shop_order).collect::<Result<_, _>>()?)
}

fn shop_order(row: &AnyRow) -> Result<ShopOrder, sqlx::Error> {
    let mode: String = row.try_get("mode")?;
    let status: String = row.try_get("status")?;
    let day: Option<String> = row.try_get("day")?;
    Ok(ShopOrder {
        number: row.try_get("order_number")?,
        placed_at: db::timestamp(row.try_get("placed_at")?),
        name: row.try_get("name")?,
        mode: DeliveryMode::from_key(&mode).ok_or_else(|| decode("mode", &mode))?,
        day: day.and_then(|d| d.parse().ok()),
        slot: row.try_get("slot")?,
        items_total: money(row, "items_total")?,
        status: Status::from_key(&status).ok_or_else(|| decode("status", &status))?,
    })
}

/// How many sub-orders of the shop `slug` stand in each status (absent: none).
///
/// # Errors
///
/// When the database fails.
pub async fn counts_for_shop(
    db: &Db,
    slug: &str,
) -> Result<std::collections::HashMap<Status, u32>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM sub_orders WHERE shop = $1 GROUP BY status")
            .bind(slug)
            .fetch_all(db.pool())
            .await?;
    let mut counts = std::collections::HashMap::new();
    for row in &rows {
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        if let Some(status) = Status::from_key(&status) {
            counts.insert(status, u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    Ok(counts)
}
