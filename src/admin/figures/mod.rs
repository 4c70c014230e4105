//! The association's figures (`/admin/statistiques`): visits, orders, revenue, average
//! basket and conversion per day over a period, per shop and per delivery mode.
//!
//! - this module: the period, the database reads and the sums (small pure functions);
//! - [`chart`]: the bar chart, drawn on the server as inline SVG;
//! - [`page`]: the page and the CSV export.
//!
//! Revenue is items plus delivery fees of the sub-orders that are not cancelled; an order
//! counts when at least one of its sub-orders is not cancelled.

pub mod chart;
pub mod page;

use crate::db::{Db, Result};
use crate::delivery::calendar::paris;
use crate::ops::visits::DayVisits;
use comptoir_indexer::model::DeliveryMode;
use jiff::ToSpan;
use jiff::civil::Date;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Longest period, in days.
pub const MAX_DAYS: i64 = 366;
/// Days of the default period (ending today).
pub const DEFAULT_DAYS: i64 = 7;

/// A period of whole days, Paris time, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

impl Period {
    /// The period `?du=…&au=…` names, the last 7 days by default; a French message when a
    /// date is not a `YYYY-MM-DD` day, is after the other or the period is too long.
    ///
    /// # Errors
    ///
    /// The message to show.
    pub fn parse(du: Option<&str>, au: Option<&str>, today: Date) -> Result<Self, String> {
        let day = |text: Option<&str>, name: &str| -> Result<Option<Date>, String> {
            match text.map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(t) => t.parse::<Date>().map(Some).map_err(|_| {
                    format!("La date {name} « {t} » n’est pas valide : écrivez-la AAAA-MM-JJ, par exemple 2026-11-02.")
                }),
            }
        };
        let to = day(au, "de fin")?.unwrap_or(today);
        let from = match day(du, "de début")? {
            Some(from) => from,
            None => to
                .checked_sub((DEFAULT_DAYS - 1).days())
                .map_err(|_| "La date de fin est trop ancienne.".to_owned())?,
        };
        if from > to {
            return Err("La date de début doit précéder la date de fin.".to_owned());
        }
        let period = Self { from, to };
        if period.days() > MAX_DAYS {
            return Err(format!("La période ne peut pas dépasser {MAX_DAYS} jours."));
        }
        Ok(period)
    }

    /// Number of days, both ends included.
    #[must_use]
    pub fn days(&self) -> i64 {
        self.to
            .since(self.from)
            .map_or(0, |span| i64::from(span.get_days()))
            + 1
    }

    /// Every day of the period, oldest first.
    #[must_use]
    pub fn each_day(&self) -> Vec<Date> {
        let mut days = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            days.push(day);
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        days
    }

    /// Unix seconds of the first instant of the period and of the day after it.
    fn bounds(&self) -> (i64, i64) {
        let start = |day: Date| {
            day.to_zoned(paris())
                .map_or(i64::MAX, |z| z.timestamp().as_second())
        };
        let end = self.to.tomorrow().map_or(i64::MAX, start);
        (start(self.from), end)
    }
}

/// One sub-order placed during the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubOrder {
    /// Day it was placed (Paris time).
    pub day: Date,
    /// Its order's number.
    pub order: String,
    /// The shop's slug.
    pub shop: String,
    /// The shop's name.
    pub shop_name: String,
    /// Delivery mode.
    pub mode: String,
    /// What the shopper pays the shop: items less its share of the offers' discount, plus
    /// the fee, in cents.
    pub revenue: i64,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

/// The sub-orders placed during `period`.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn sub_orders(db: &Db, period: Period) -> Result<Vec<SubOrder>> {
    let (start, end) = period.bounds();
    let rows = sqlx::query(
        "SELECT o.number, o.placed_at, s.shop, s.shop_name, s.mode, s.items_total, s.fee, s.discount, s.status \
         FROM orders o JOIN sub_orders s ON s.order_number = o.number \
         WHERE o.placed_at >= $1 AND o.placed_at < $2 ORDER BY o.placed_at, s.shop",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    let mut subs = Vec::with_capacity(rows.len());
    for row in &rows {
        let placed: i64 = row.try_get("placed_at")?;
        let items: i64 = row.try_get("items_total")?;
        let fee: i64 = row.try_get("fee")?;
        let discount: i64 = row.try_get("discount")?;
        let status: String = row.try_get("status")?;
        subs.push(SubOrder {
            day: day_of(placed),
            order: row.try_get("number")?,
            shop: row.try_get("shop")?,
            shop_name: row.try_get("shop_name")?,
            mode: row.try_get("mode")?,
            revenue: items - discount + fee,
            cancelled: status == "cancelled",
        });
    }
    Ok(subs)
}

/// The Paris day of a unix time.
fn day_of(seconds: i64) -> Date {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_zoned(paris()).date())
        .unwrap_or_default()
}

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The day.
    pub day: Date,
    /// Page views.
    pub visits: i64,
    /// Orders with a sub-order not cancelled.
    pub orders: i64,
    /// Revenue in cents.
    pub revenue: i64,
}

/// Sub-orders and revenue of one shop or one delivery mode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Share {
    /// Shown name.
    pub name: String,
    /// Sub-orders not cancelled.
    pub sub_orders: i64,
    /// Revenue in cents.
    pub revenue: i64,
}

/// The period's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The period.
    pub period: Period,
    /// Every day of the period.
    pub days: Vec<Day>,
    /// Per shop, by slug.
    pub shops: BTreeMap<String, Share>,
    /// Per delivery mode.
    pub modes: BTreeMap<String, Share>,
    /// Cancelled sub-orders left out.
    pub cancelled: i64,
}

impl Figures {
    /// Sums visits and sub-orders over the period.
    #[must_use]
    pub fn sum(period: Period, visits: &[DayVisits], subs: &[SubOrder]) -> Self {
        let views: BTreeMap<Date, i64> = visits.iter().map(|v| (v.day, v.total)).collect();
        let mut orders: BTreeMap<Date, BTreeSet<&str>> = BTreeMap::new();
        let mut revenue: BTreeMap<Date, i64> = BTreeMap::new();
        let mut shops: BTreeMap<String, Share> = BTreeMap::new();
        let mut modes: BTreeMap<String, Share> = BTreeMap::new();
        let mut cancelled = 0;
        for sub in subs {
            if sub.cancelled {
                cancelled += 1;
                continue;
            }
            orders.entry(sub.day).or_default().insert(&sub.order);
            *revenue.entry(sub.day).or_default() += sub.revenue;
            for (map, key, name) in [
                (&mut shops, &sub.shop, &sub.shop_name),
                (&mut modes, &sub.mode, &mode_name(&sub.mode).to_owned()),
            ] {
                let share = map.entry(key.clone()).or_default();
                share.name.clone_from(name);
                share.sub_orders += 1;
                share.revenue += sub.revenue;
            }
        }
        let days = period
            .each_day()
            .into_iter()
            .map(|day| Day {
                day,
                visits: views.get(&day).copied().unwrap_or(0),
                orders: orders
                    .get(&day)
                    .map_or(0, |o| i64::try_from(o.len()).unwrap_or(i64::MAX)),
                revenue: revenue.get(&day).copied().unwrap_or(0),
            })
            .collect();
        Self {
            period,
            days,
            shops,
            modes,
            cancelled,
        }
    }

    /// Visits over the period.
    #[must_use]
    pub fn visits(&self) -> i64 {
        self.days.iter().map(|d| d.visits).sum()
    }

    /// Orders over the period.
    #[must_use]
    pub fn orders(&self) -> i64 {
        self.days.iter().map(|d| d.orders).sum()
    }

    /// Revenue over the period, in cents.
    #[must_use]
    pub fn revenue(&self) -> i64 {
        self.days.iter().map(|d| d.revenue).sum()
    }
}

/// Revenue divided by orders, rounded to the cent; `None` without orders.
#[must_use]
pub fn average(revenue: i64, orders: i64) -> Option<i64> {
    (orders > 0).then(|| (revenue + orders / 2) / orders)
}

/// The French name of a delivery mode.
#[must_use]
pub fn mode_name(mode: &str) -> &str {
    DeliveryMode::from_key(mode).map_or(mode, |m| m.label())
}

/// Cents in French: `"1 234,50 €"` (no-break spaces).
#[must_use]
pub fn euros(cents: i64) -> String {
    format!("{}\u{a0}€", amount(cents))
}

/// Cents as a French decimal without the sign: `"1 234,50"`.
#[must_use]
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02}", cents % 100)
}

/// Orders per visit as a French percentage (`"2,5 %"`), `"—"` without visits.
#[must_use]
pub fn conversion(orders: i64, visits: i64) -> String {
    if visits <= 0 {
        return "—".to_owned();
    }
    let tenths = (orders * 1000 + visits / 2) / visits;
    format!("{},{}\u{a0}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn french_money_and_rates() {
        assert_eq!(euros(123_450), "1\u{a0}234,50\u{a0}€");
        assert_eq!(euros(5), "0,05\u{a0}€");
        assert_eq!(amount(100_000_000), "1\u{a0}000\u{a0}000,00");
        assert_eq!(conversion(1, 0), "—");
        assert_eq!(conversion(1, 40), "2,5\u{a0}%");
        assert_eq!(average(1001, 2), Some(501));
        assert_eq!(average(10, 0), None);
    }

    #[test]
    fn periods() {
        let today = date(2026, 11, 29);
        let p = Period::parse(None, None, today).expect("default");
        assert_eq!((p.from, p.to, p.days()), (date(2026, 11, 23), today, 7));
        assert!(Period::parse(Some("2026-13-01"), None, today).is_err());
        assert!(Period::parse(Some("2026-11-10"), Some("2026-11-01"), today).is_err());
        assert!(Period::parse(Some("2024-01-01"), Some("2026-01-01"), today).is_err());
        let p = Period::parse(Some("2025-11-29"), Some("2026-11-29"), today).expect("366");
        assert_eq!(p.days(), 366);
    }
}
