//! The delivery network's view of orders: the sub-orders to bring to a locker, a relay
//! point or a home on a day (the association's day page and round sheet), and those still
//! to come on a point or slot (a point or slot cannot be removed under them).

use super::Status;
use crate::db::{Db, Result};
use comptoir_indexer::model::{Address, DeliveryMode};
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

/// One shop's parcel to deliver on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `SC-2026-000123`.
    pub number: String,
    /// The shop's slug, where the parcel is collected.
    pub shop: String,
    /// The shop's name when the order was placed.
    pub shop_name: String,
    /// Locker, relay or home.
    pub mode: DeliveryMode,
    /// The locker or relay point's id.
    pub point: Option<String>,
    /// The slot (`""` for a locker's day).
    pub slot: String,
    /// Where it stands.
    pub status: Status,
    /// The shopper's name.
    pub name: String,
    /// The shopper's phone.
    pub phone: String,
    /// The shopper's address (home delivery).
    pub address: Option<Address>,
    /// Items in the parcel.
    pub items: u32,
}

/// The parcels (not cancelled) to bring to lockers, relay points and homes on `day`, by
/// order number.
///
/// # Errors
///
/// When the database fails.
pub async fn of_day(db: &Db, day: Date) -> Result<Vec<Delivery>> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back for the `Any` driver.
    let rows = sqlx::query(
        "SELECT s.order_number, s.shop, s.shop_name, s.mode, s.point, s.slot, s.status,
           o.name, o.phone, o.street, o.postcode, o.city,
           CAST((SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l
                 WHERE l.order_number = s.order_number AND l.shop = s.shop) AS BIGINT) AS items
         FROM sub_orders s JOIN orders o ON o.number = s.order_number
         WHERE s.day = $1 AND s.mode IN ('locker', 'relay', 'home') AND s.status <> 'cancelled'
         ORDER BY s.order_number, s.shop",
    )
    .bind(day.to_string())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(delivery).collect::<Result<_, _>>()?)
}

fn delivery(row: &AnyRow) -> Result<Delivery, sqlx::Error> {
    let mode: String = row.try_get("mode")?;
    let status: String = row.try_get("status")?;
    let items: i64 = row.try_get("items")?;
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
    let slot: Option<String> = row.try_get("slot")?;
    Ok(Delivery {
        number: row.try_get("order_number")?,
        shop: row.try_get("shop")?,
        shop_name: row.try_get("shop_name")?,
        mode: DeliveryMode::from_key(&mode).ok_or_else(|| decode("mode", &mode))?,
        point: row.try_get("point")?,
        slot: slot.unwrap_or_default(),
        status: Status::from_key(&status).ok_or_else(|| decode("status", &status))?,
        name: row.try_get("name")?,
        phone: row.try_get("phone")?,
        address,
        items: u32::try_from(items).unwrap_or(0),
    })
}

fn decode(column: &str, detail: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: detail.to_owned().into(),
    }
}

/// Where booked parcels are looked for: a mode, and optionally a point and a slot.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// Locker, relay or home.
    pub mode: DeliveryMode,
    /// The point's id (any point: `None`).
    pub point: Option<&'a str>,
    /// The slot (any slot: `None`).
    pub slot: Option<&'a str>,
}

/// The orders still to deliver at `place` from `from` on (neither cancelled nor
/// completed): their numbers and days, soonest first.
///
/// # Errors
///
/// When the database fails.
pub async fn upcoming(db: &Db, place: Place<'_>, from: Date) -> Result<Vec<(String, Date)>> {
    let rows = sqlx::query(
        "SELECT order_number, day FROM sub_orders
         WHERE mode = $1 AND ($2 = '' OR point = $2) AND ($3 = '' OR slot = $3)
           AND day >= $4 AND status NOT IN ('cancelled', 'completed')
         ORDER BY day, order_number",
    )
    .bind(place.mode.key())
    .bind(place.point.unwrap_or(""))
    .bind(place.slot.unwrap_or(""))
    .bind(from.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut upcoming = Vec::with_capacity(rows.len());
    for row in &rows {
        let day: String = row.try_get("day")?;
        if let Ok(day) = day.parse() {
            upcoming.push((row.try_get("order_number")?, day));
        }
    }
    Ok(upcoming)
}
