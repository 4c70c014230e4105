//! What shoppers look for: searches counted per normalised query and per day, and those
//! that found nothing — the association's view of local demand no shop meets yet.
//!
//! Nothing personal is kept: no address, no cookie, no time of day; a query is reduced to
//! its folded words (`Écharpes  LAINE!` → `echarpes laine`). Counts gather in memory and
//! are added to the database by [`SearchLog::flush`] (the server flushes every
//! [`FLUSH_EVERY`] and on shutdown), so a search never waits for a write.

use super::QueryWord;
use crate::db::{Db, Result};
use jiff::civil::Date;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How often the server writes the counts.
pub const FLUSH_EVERY: Duration = Duration::from_secs(30);
/// Longest normalised query kept, in characters.
const MAX_RECORDED_CHARS: usize = 100;

/// A day and a normalised query.
type Key = (Date, String);
/// Searches, and searches that found nothing.
type Tally = (i64, i64);

/// Searches not yet written, by day and query.
#[derive(Debug, Default)]
pub struct SearchLog {
    pending: Mutex<HashMap<Key, Tally>>,
}

/// One query's counts over a period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueryCount {
    /// The normalised query.
    pub query: String,
    /// Searches.
    pub searches: i64,
    /// Searches that found nothing.
    pub zero_results: i64,
}

/// The normalised form of a query's words; `None` for a query without words.
#[must_use]
pub fn normalise(words: &[QueryWord]) -> Option<String> {
    let text: String = words
        .iter()
        .map(|w| w.folded.as_str())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_RECORDED_CHARS)
        .collect();
    (!text.is_empty()).then_some(text)
}

impl SearchLog {
    /// Counts one search on `day` that found `total` products.
    pub fn record(&self, day: Date, words: &[QueryWord], total: usize) {
        let Some(query) = normalise(words) else {
            return;
        };
        if let Ok(mut pending) = self.pending.lock() {
            let counts = pending.entry((day, query)).or_default();
            counts.0 += 1;
            counts.1 += i64::from(total == 0);
        }
    }

    /// Adds the pending counts to the database, in one transaction; returns how many
    /// (day, query) rows were written. Counts are kept for the next flush on failure.
    ///
    /// # Errors
    ///
    /// When the database cannot be written.
    pub async fn flush(&self, db: &Db) -> Result<usize> {
        let batch: Vec<(Key, Tally)> = match self.pending.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let written = write(db, &batch).await;
        if written.is_err()
            && let Ok(mut pending) = self.pending.lock()
        {
            for (key, (searches, zero)) in batch {
                let counts = pending.entry(key).or_default();
                counts.0 += searches;
                counts.1 += zero;
            }
        }
        written
    }
}

async fn write(db: &Db, batch: &[(Key, Tally)]) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    for ((day, query), (searches, zero)) in batch {
        sqlx::query(
            "INSERT INTO search_queries (day, query, searches, zero_results) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day, query) DO UPDATE SET \
             searches = search_queries.searches + excluded.searches, \
             zero_results = search_queries.zero_results + excluded.zero_results",
        )
        .bind(day.to_string())
        .bind(query.as_str())
        .bind(*searches)
        .bind(*zero)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(batch.len())
}

/// The most asked queries between two days (included), most asked first.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn top_queries(db: &Db, from: Date, to: Date, limit: i64) -> Result<Vec<QueryCount>> {
    counts(db, from, to, limit, false).await
}

/// The queries that found nothing between two days (included), most asked first.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn zero_result_queries(
    db: &Db,
    from: Date,
    to: Date,
    limit: i64,
) -> Result<Vec<QueryCount>> {
    counts(db, from, to, limit, true).await
}

async fn counts(
    db: &Db,
    from: Date,
    to: Date,
    limit: i64,
    only_zero: bool,
) -> Result<Vec<QueryCount>> {
    let having = if only_zero {
        "HAVING CAST(SUM(zero_results) AS BIGINT) > 0"
    } else {
        ""
    };
    let order = if only_zero { "zeros" } else { "total" };
    let sql = format!(
        "SELECT query, CAST(SUM(searches) AS BIGINT) AS total, \
         CAST(SUM(zero_results) AS BIGINT) AS zeros FROM search_queries \
         WHERE day >= $1 AND day <= $2 GROUP BY query {having} \
         ORDER BY {order} DESC, query ASC LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(QueryCount {
                query: row.try_get("query")?,
                searches: row.try_get("total")?,
                zero_results: row.try_get("zeros")?,
            })
        })
        .collect()
}
