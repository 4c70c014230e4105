//! Stock per SKU, in the database.
//!
//! A SKU is a variant's `sku`, or the `id` of a product without variants (the indexer
//! checks both kinds are unique together). The catalogue's `stock` field seeds a SKU the
//! first time it is seen and never after: from then on only orders, cancellations and the
//! merchants change it. Orders decrement it in their own transaction
//! ([`crate::orders::place`]); this module reads, seeds and sets it.

use crate::db::{self, Db, Result};
use comptoir_indexer::Catalogue;
use sqlx::Row;
use std::collections::HashMap;

/// Rows per multi-row statement: 3 parameters each, far below SQLite's and PostgreSQL's
/// limits on bound parameters (32,766 and 65,535).
const CHUNK: usize = 300;

/// Every SKU of the catalogue with its initial stock, unpublished products included (they
/// may be published later, with the stock seeded now).
#[must_use]
pub fn catalogue_skus(catalogue: &Catalogue) -> Vec<(&str, u32)> {
    let mut skus = Vec::new();
    for product in &catalogue.products {
        if product.variants.is_empty() {
            skus.push((product.id.as_str(), product.stock));
        }
        for variant in &product.variants {
            skus.push((variant.sku.as_str(), variant.stock));
        }
    }
    skus
}

/// Inserts the stock of SKUs never seen before; leaves known SKUs alone. Returns how many
/// SKUs were new. Run it after loading each catalogue.
///
/// # Errors
///
/// When the database fails; nothing is seeded then.
pub async fn seed(db: &Db, catalogue: &Catalogue) -> Result<u64> {
    let now = db::unix(jiff::Timestamp::now());
    let skus = catalogue_skus(catalogue);
    let mut tx = db.begin_write().await?;
    let mut seeded = 0;
    for chunk in skus.chunks(CHUNK) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", db::placeholders(i * 3 + 1, 3)))
            .collect();
        let sql = format!(
            "INSERT INTO stock (sku, quantity, seeded_at) VALUES {} ON CONFLICT (sku) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for &(sku, quantity) in chunk {
            query = query.bind(sku).bind(i64::from(quantity)).bind(now);
        }
        seeded += query.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(seeded)
}

/// The stock of each of `skus` that the database knows (unknown SKUs are absent: nothing
/// to sell).
///
/// # Errors
///
/// When the database fails.
pub async fn levels(db: &Db, skus: &[&str]) -> Result<HashMap<String, u32>> {
    let mut levels = HashMap::new();
    for chunk in skus.chunks(CHUNK) {
        let sql = format!(
            "SELECT sku, quantity FROM stock WHERE sku IN ({})",
            db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for sku in chunk {
            query = query.bind(*sku);
        }
        for row in query.fetch_all(db.pool()).await? {
            let quantity: i64 = row.try_get("quantity")?;
            levels.insert(row.try_get("sku")?, u32::try_from(quantity).unwrap_or(0));
        }
    }
    Ok(levels)
}

/// Every SKU's stock the database knows.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn all_levels(db: &Db) -> Result<HashMap<String, u32>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT sku, quantity FROM stock")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(sku, q)| (sku, u32::try_from(q).unwrap_or(0)))
        .collect())
}

/// The stock of one SKU, `None` if the database does not know it.
///
/// # Errors
///
/// When the database fails.
pub async fn level(db: &Db, sku: &str) -> Result<Option<u32>> {
    Ok(levels(db, &[sku]).await?.remove(sku))
}

/// Sets the stock of `sku` (a merchant's count), creating the row if needed.
///
/// # Errors
///
/// When the database fails.
pub async fn set(db: &Db, sku: &str, quantity: u32) -> Result<()> {
    let now = db::unix(jiff::Timestamp::now());
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO stock (sku, quantity, seeded_at) VALUES ($1, $2, $3)
         ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(sku)
    .bind(i64::from(quantity))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes `quantity` of `sku` inside `tx` if that many are left. Returns whether it did: a
/// conditional UPDATE, so two transactions racing for the last units cannot both succeed
/// (PostgreSQL re-checks the condition on the row a concurrent writer committed; SQLite
/// has one writer at a time).
pub(crate) async fn take(tx: &mut sqlx::AnyConnection, sku: &str, quantity: u32) -> Result<bool> {
    let done =
        sqlx::query("UPDATE stock SET quantity = quantity - $1 WHERE sku = $2 AND quantity >= $1")
            .bind(i64::from(quantity))
            .bind(sku)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts `quantity` of `sku` back (a cancelled order), inside `tx`.
pub(crate) async fn put_back(tx: &mut sqlx::AnyConnection, sku: &str, quantity: u32) -> Result<()> {
    sqlx::query("UPDATE stock SET quantity = quantity + $1 WHERE sku = $2")
        .bind(i64::from(quantity))
        .bind(sku)
        .execute(tx)
        .await?;
    Ok(())
}
