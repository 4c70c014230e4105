//! Booked capacity of lockers, relay slots and home-delivery slots (`slot_bookings`).
//!
//! A booking is one parcel: one shop's order in one locker on one day, or in one slot. It is
//! taken by a conditional UPDATE inside the order's transaction, so two shoppers racing for
//! the last place cannot both get it (PostgreSQL re-checks the condition against the row a
//! concurrent writer committed; SQLite has one writer at a time), and released when the
//! order is cancelled.

use super::plan::Booking;
use crate::db::{Db, Result};
use jiff::civil::Date;
use sqlx::Row;
use std::collections::HashMap;

/// Places taken, by resource, day and slot (`""` for a locker's day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage(HashMap<(String, Date, String), u32>);

impl Usage {
    /// How many places of `resource` are taken on `day` in `slot`.
    #[must_use]
    pub fn taken(&self, resource: &str, day: Date, slot: &str) -> u32 {
        self.0
            .get(&(resource.to_owned(), day, slot.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Records `taken` places (for tests and previews).
    pub fn insert(&mut self, resource: &str, day: Date, slot: &str, taken: u32) {
        self.0
            .insert((resource.to_owned(), day, slot.to_owned()), taken);
    }
}

/// What is booked between `from` and `to` (both included).
///
/// # Errors
///
/// When the database fails.
pub async fn usage(db: &Db, from: Date, to: Date) -> Result<Usage> {
    let rows = sqlx::query(
        "SELECT resource, day, slot, taken FROM slot_bookings WHERE day >= $1 AND day <= $2",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut usage = Usage::default();
    for row in rows {
        let day: String = row.try_get("day")?;
        let taken: i64 = row.try_get("taken")?;
        if let Ok(day) = day.parse::<Date>() {
            let resource: String = row.try_get("resource")?;
            let slot: String = row.try_get("slot")?;
            usage.insert(&resource, day, &slot, u32::try_from(taken).unwrap_or(0));
        }
    }
    Ok(usage)
}

/// Takes one place of `booking` inside `tx` if its capacity allows. Returns whether it did.
pub(crate) async fn take(tx: &mut sqlx::AnyConnection, booking: &Booking) -> Result<bool> {
    let day = booking.day.to_string();
    sqlx::query(
        "INSERT INTO slot_bookings (resource, day, slot, taken) VALUES ($1, $2, $3, 0)
         ON CONFLICT (resource, day, slot) DO NOTHING",
    )
    .bind(&booking.resource)
    .bind(&day)
    .bind(&booking.slot)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE slot_bookings SET taken = taken + 1
         WHERE resource = $1 AND day = $2 AND slot = $3 AND taken < $4",
    )
    .bind(&booking.resource)
    .bind(&day)
    .bind(&booking.slot)
    .bind(i64::from(booking.capacity))
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives back one place of `resource` on `day` in `slot` inside `tx` (a cancelled order).
pub(crate) async fn release(
    tx: &mut sqlx::AnyConnection,
    resource: &str,
    day: Date,
    slot: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE slot_bookings SET taken = taken - 1
         WHERE resource = $1 AND day = $2 AND slot = $3 AND taken > 0",
    )
    .bind(resource)
    .bind(day.to_string())
    .bind(slot)
    .execute(tx)
    .await?;
    Ok(())
}
