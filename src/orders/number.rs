//! Order numbers: `<prefix>-<year>-<sequence>`, e.g. `SC-2026-000123`.
//!
//! The prefix is configured (`--order-prefix`, `COMPTOIR_ORDER_PREFIX`) or derived from the
//! town's name: the first two letters of a one-word name (Sceaux → `SC`), else the
//! initials of its words without particles (Saint-Germain-en-Laye → `SGL`). The sequence
//! restarts each year, counted in `order_counters` inside the order's transaction, so
//! numbers have no gaps and no duplicates (a rolled-back order gives its number back).

use crate::db::Result;
use comptoir_indexer::model::Town;
use sqlx::Row;

/// Words left out of initials.
const PARTICLES: [&str; 14] = [
    "de", "du", "des", "la", "le", "les", "l", "d", "en", "sur", "sous", "et", "aux", "lès",
];

/// Longest prefix.
const MAX_PREFIX: usize = 6;

/// The prefix for `town`, or `configured` (uppercased, letters and digits kept) when it has
/// any letter or digit.
#[must_use]
pub fn prefix_for_town(town: &Town, configured: Option<&str>) -> String {
    let clean: String = configured
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(MAX_PREFIX)
        .collect();
    if clean.is_empty() {
        derive(&town.name)
    } else {
        clean
    }
}

fn derive(name: &str) -> String {
    let slug = comptoir_indexer::slug::slugify(name);
    let words: Vec<&str> = slug
        .split('-')
        .filter(|w| !w.is_empty() && !PARTICLES.contains(w))
        .collect();
    let prefix: String = match words.as_slice() {
        [] => "CMD".to_owned(),
        [one] => one.chars().take(2).collect(),
        many => many
            .iter()
            .filter_map(|w| w.chars().next())
            .take(MAX_PREFIX)
            .collect(),
    };
    prefix.to_ascii_uppercase()
}

/// The next number of `prefix` in `year`, taken inside the order's transaction `tx`.
///
/// # Errors
///
/// When the database fails.
pub(crate) async fn next_number(
    tx: &mut sqlx::AnyConnection,
    prefix: &str,
    year: i16,
) -> Result<String> {
    let series = format!("{prefix}-{year}");
    let value: i64 = sqlx::query(
        "INSERT INTO order_counters (series, last_value) VALUES ($1, 1)
         ON CONFLICT (series) DO UPDATE SET last_value = order_counters.last_value + 1
         RETURNING last_value",
    )
    .bind(&series)
    .fetch_one(tx)
    .await?
    .try_get("last_value")?;
    Ok(format!("{series}-{value:06}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_come_from_the_town_name() {
        let cases = [
            ("Sceaux", "SC"),
            ("Boulogne-Billancourt", "BB"),
            ("Saint-Germain-en-Laye", "SGL"),
            ("Le Plessis-Robinson", "PR"),
            ("Évry", "EV"),
            ("", "CMD"),
        ];
        for (name, prefix) in cases {
            assert_eq!(derive(name), prefix, "{name}");
        }
    }
}
