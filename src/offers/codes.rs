//! Promo codes in the database: the code a cart holds (typed on the cart page, used at
//! checkout) and how many orders used each code.
//!
//! A use is taken by one conditional upsert inside the order's transaction
//! ([`take`]): two shoppers ordering at once cannot pass the code's limit together, and
//! an order that rolls back (or a form sent twice, answered with the first order) takes
//! nothing.

use crate::cart::CartId;
use crate::db::{Db, Result};
use sqlx::Row;
use std::collections::HashMap;

/// The code the cart `cart` holds, if any.
///
/// # Errors
///
/// When the database fails.
pub async fn of_cart(db: &Db, cart: &CartId) -> Result<Option<String>> {
    let row = sqlx::query("SELECT promo_code FROM carts WHERE id = $1")
        .bind(cart.as_str())
        .fetch_optional(db.pool())
        .await?;
    Ok(row
        .map(|r| r.try_get::<Option<String>, _>("promo_code"))
        .transpose()?
        .flatten())
}

/// Keeps `code` on the cart `cart` (`None` removes it); the cart must exist.
///
/// # Errors
///
/// When the database fails.
pub async fn set_on_cart(db: &Db, cart: &CartId, code: Option<&str>) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE carts SET promo_code = $2 WHERE id = $1")
        .bind(cart.as_str())
        .bind(code)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// How many orders used `code`.
///
/// # Errors
///
/// When the database fails.
pub async fn uses(db: &Db, code: &str) -> Result<u32> {
    let row = sqlx::query("SELECT uses FROM promo_code_uses WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    let uses = row.map(|r| r.try_get::<i64, _>("uses")).transpose()?;
    Ok(uses.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
}

/// How many orders used each code (codes never used are absent).
///
/// # Errors
///
/// When the database fails.
pub async fn all_uses(db: &Db) -> Result<HashMap<String, u32>> {
    let rows = sqlx::query("SELECT code, uses FROM promo_code_uses")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            let uses: i64 = r.try_get("uses")?;
            Ok((r.try_get("code")?, u32::try_from(uses).unwrap_or(u32::MAX)))
        })
        .collect()
}

/// One more use of `code` when fewer than `max` were taken (no limit: `None`); `false`
/// when the limit is reached. Inside the order's transaction.
pub(crate) async fn take(
    tx: &mut sqlx::AnyConnection,
    code: &str,
    max: Option<u32>,
) -> Result<bool> {
    let row = sqlx::query(
        "INSERT INTO promo_code_uses (code, uses) VALUES ($1, 1)
         ON CONFLICT (code) DO UPDATE SET uses = promo_code_uses.uses + 1
         WHERE promo_code_uses.uses < $2
         RETURNING uses",
    )
    .bind(code)
    .bind(max.map_or(i64::MAX, i64::from))
    .fetch_optional(tx)
    .await?;
    Ok(row.is_some())
}
