//! A shop's service figures, the ones its quality charter speaks of: how fast it accepts
//! an order and has it ready, and how many orders end cancelled, over a recent window.
//!
//! Computed from the orders' placing times and the status history (`order_events`); the
//! arithmetic ([`Figures::from_sub_orders`], [`median`]) is pure and tested here.

use super::Status;
use crate::db::{self, Db, Result};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use std::collections::BTreeMap;

/// One sub-order as the figures see it: when placed, and when it reached each status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Unix seconds when the order was placed.
    pub placed_at: i64,
    /// Unix seconds when it was accepted.
    pub accepted_at: Option<i64>,
    /// Unix seconds when it was ready, out for delivery or shipped.
    pub ready_at: Option<i64>,
    /// Whether it ended cancelled.
    pub cancelled: bool,
}

/// A shop's figures over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Days looked back.
    pub days: u32,
    /// Sub-orders placed in the window.
    pub orders: u32,
    /// Median time from placing to acceptance (of those accepted).
    pub to_accept: Option<SignedDuration>,
    /// Median time from placing to ready, out for delivery or shipped (of those that were).
    pub to_ready: Option<SignedDuration>,
    /// Sub-orders cancelled (by anyone).
    pub cancelled: u32,
}

impl Figures {
    /// The figures of `timelines`, a window of `days`.
    #[must_use]
    pub fn from_sub_orders(days: u32, timelines: &[Timeline]) -> Self {
        let waits = |pick: fn(&Timeline) -> Option<i64>| {
            let seconds: Vec<i64> = timelines
                .iter()
                .filter_map(|t| pick(t).map(|at| (at - t.placed_at).max(0)))
                .collect();
            median(seconds).map(SignedDuration::from_secs)
        };
        Self {
            days,
            orders: count(timelines.len()),
            to_accept: waits(|t| t.accepted_at),
            to_ready: waits(|t| t.ready_at),
            cancelled: count(timelines.iter().filter(|t| t.cancelled).count()),
        }
    }

    /// The share of cancelled orders, in percent (none without orders).
    #[must_use]
    pub fn cancelled_percent(&self) -> Option<f64> {
        (self.orders > 0).then(|| f64::from(self.cancelled) * 100.0 / f64::from(self.orders))
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The median of `values` (the mean of the two middle ones for an even count, rounded
/// down); `None` when empty.
#[must_use]
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some(i64::midpoint(values[n / 2 - 1], values[n / 2])),
    }
}

/// The figures of the shop `slug` over the `days` days before `now`.
///
/// # Errors
///
/// When the database fails.
pub async fn figures(db: &Db, slug: &str, days: u32, now: Timestamp) -> Result<Figures> {
    let since = db::unix(now) - i64::from(days) * 86_400;
    let rows = sqlx::query(
        "SELECT s.order_number, o.placed_at, s.status, e.to_status, e.at
         FROM sub_orders s JOIN orders o ON o.number = s.order_number
         LEFT JOIN order_events e ON e.order_number = s.order_number AND e.shop = s.shop
         WHERE s.shop = $1 AND o.placed_at >= $2 AND o.placed_at <= $3",
    )
    .bind(slug)
    .bind(since)
    .bind(db::unix(now))
    .fetch_all(db.pool())
    .await?;
    let mut timelines: BTreeMap<String, Timeline> = BTreeMap::new();
    for row in &rows {
        let timeline = timelines.entry(row.try_get("order_number")?).or_default();
        timeline.placed_at = row.try_get("placed_at")?;
        let status: String = row.try_get("status")?;
        timeline.cancelled = status == Status::Cancelled.key();
        let to: Option<String> = row.try_get("to_status")?;
        let at: Option<i64> = row.try_get("at")?;
        match (to.as_deref().and_then(Status::from_key), at) {
            (Some(Status::Accepted), Some(at)) => timeline.accepted_at = Some(at),
            (Some(Status::Ready | Status::OutForDelivery | Status::Shipped), Some(at)) => {
                timeline.ready_at = Some(at);
            }
            _ => {}
        }
    }
    let timelines: Vec<Timeline> = timelines.into_values().collect();
    Ok(Figures::from_sub_orders(days, &timelines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        for (values, expected) in [
            (vec![], None),
            (vec![7], Some(7)),
            (vec![9, 1, 5], Some(5)),
            (vec![10, 1, 4, 6], Some(5)),
            (vec![1, 2], Some(1)),
        ] {
            assert_eq!(median(values.clone()), expected, "{values:?}");
        }
    }

    #[test]
    fn figures_of_three_orders() {
        let hour = 3600;
        let timelines = [
            Timeline {
                placed_at: 0,
                accepted_at: Some(hour),
                ready_at: Some(3 * hour),
                cancelled: false,
            },
            Timeline {
                placed_at: 10 * hour,
                accepted_at: Some(13 * hour),
                ready_at: None,
                cancelled: true,
            },
            Timeline {
                placed_at: 20 * hour,
                ..Timeline::default()
            },
        ];
        let figures = Figures::from_sub_orders(30, &timelines);
        assert_eq!(figures.orders, 3);
        assert_eq!(figures.to_accept, Some(SignedDuration::from_hours(2)));
        assert_eq!(figures.to_ready, Some(SignedDuration::from_hours(3)));
        assert_eq!(figures.cancelled, 1);
        let share = figures.cancelled_percent().expect("orders");
        assert!((share - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(Figures::from_sub_orders(30, &[]).cancelled_percent(), None);
    }
}
