//! Where each shop's sub-order stands, and the moves allowed between statuses.
//!
//! ```text
//! placed → accepted → ready            → completed   (click & collect, locker, relay)
//!                   → out_for_delivery → completed   (home)
//!                   → shipped          → completed   (post)
//! placed, accepted, ready → cancelled  (stock and delivery capacity given back)
//! ```
//! A move is one transaction guarded by the status it starts from, so two merchants
//! clicking at once cannot both move the same sub-order; the same transaction records the
//! move in `order_events` (who, when, why, tracking number), which [`history`] reads back.

use super::payment;
use crate::db::{self, Db, DbError};
use comptoir_indexer::model::DeliveryMode;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;

/// A sub-order's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Just ordered; the shop has not seen it yet.
    Placed,
    /// The shop accepted it and prepares it.
    Accepted,
    /// Waiting for the shopper (shop, locker or relay point).
    Ready,
    /// On its way to the shopper's home.
    OutForDelivery,
    /// Handed to the post.
    Shipped,
    /// Collected or delivered.
    Completed,
    /// Cancelled; its stock and capacity were given back.
    Cancelled,
}

impl Status {
    /// Every status.
    pub const ALL: [Self; 7] = [
        Self::Placed,
        Self::Accepted,
        Self::Ready,
        Self::OutForDelivery,
        Self::Shipped,
        Self::Completed,
        Self::Cancelled,
    ];

    /// The stored name.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Placed => "placed",
            Self::Accepted => "accepted",
            Self::Ready => "ready",
            Self::OutForDelivery => "out_for_delivery",
            Self::Shipped => "shipped",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status stored as `key`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// What the shopper reads on the tracking page.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Placed => "Commande reçue",
            Self::Accepted => "En préparation",
            Self::Ready => "Prête à retirer",
            Self::OutForDelivery => "En cours de livraison",
            Self::Shipped => "Expédiée",
            Self::Completed => "Terminée",
            Self::Cancelled => "Annulée",
        }
    }

    /// Whether nothing can follow.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }

    /// The status after `accepted` for goods received by `mode`.
    #[must_use]
    pub const fn on_the_way(mode: DeliveryMode) -> Self {
        match mode {
            DeliveryMode::ClickCollect | DeliveryMode::Locker | DeliveryMode::Relay => Self::Ready,
            DeliveryMode::Home => Self::OutForDelivery,
            DeliveryMode::Post => Self::Shipped,
        }
    }

    /// Whether a sub-order received by `mode` may go from `self` to `to`.
    #[must_use]
    pub fn can_become(self, to: Self, mode: DeliveryMode) -> bool {
        match (self, to) {
            (Self::Placed, Self::Accepted) | (Self::Placed | Self::Accepted, Self::Cancelled) => {
                true
            }
            (Self::Accepted, next) => next == Self::on_the_way(mode),
            (Self::Ready, Self::Cancelled) => Self::on_the_way(mode) == Self::Ready,
            (from, Self::Completed) => from == Self::on_the_way(mode),
            _ => false,
        }
    }
}

/// Why a status change was refused.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// No such order, or the order has no sub-order for that shop.
    #[error("no sub-order of {shop} in order {number}")]
    NotFound {
        /// The order number.
        number: String,
        /// The shop's slug.
        shop: String,
    },
    /// The move is not allowed from where the sub-order stands.
    #[error("a {} sub-order cannot go from {} to {}", mode.key(), from.key(), to.key())]
    Refused {
        /// Its status.
        from: Status,
        /// The status asked.
        to: Status,
        /// Its delivery mode.
        mode: DeliveryMode,
    },
    /// Someone else changed it meanwhile: reload and try again.
    #[error("the sub-order changed meanwhile; reload it")]
    Changed,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StatusError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error.into())
    }
}

impl StatusError {
    /// What a merchant or shopper reads.
    #[must_use]
    pub fn french_message(&self) -> String {
        match self {
            Self::NotFound { .. } => "Commande introuvable.".to_owned(),
            Self::Refused { from, to, .. } => format!(
                "Une commande « {} » ne peut pas passer à « {} ».",
                from.label(),
                to.label()
            ),
            Self::Changed => "La commande a changé entre-temps : rechargez la page.".to_owned(),
            Self::Db(_) => {
                "Une erreur est survenue de notre côté. Réessayez dans un instant.".to_owned()
            }
        }
    }
}

/// Who changed a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A merchant user of the shop.
    Merchant {
        /// The user's id.
        user_id: String,
        /// The user's e-mail, as it was then.
        email: String,
    },
    /// The shopper (cancelling their order).
    Shopper,
    /// The marketplace itself.
    System,
}

impl Actor {
    /// The stored kind.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            Self::Merchant { .. } => "merchant",
            Self::Shopper => "shopper",
            Self::System => "system",
        }
    }

    /// Who it was, in French ("marie@boutique.fr", "le client", "la place de marché").
    #[must_use]
    pub fn french(&self) -> &str {
        match self {
            Self::Merchant { email, .. } => email,
            Self::Shopper => "le client",
            Self::System => "la place de marché",
        }
    }

    fn from_row(kind: &str, user_id: Option<String>, email: Option<String>) -> Self {
        match (kind, user_id, email) {
            ("merchant", Some(user_id), Some(email)) => Self::Merchant { user_id, email },
            ("shopper", _, _) => Self::Shopper,
            _ => Self::System,
        }
    }
}

/// A status change asked for: where to, by whom, when, and what the merchant said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The status asked.
    pub to: Status,
    /// Who asks.
    pub by: Actor,
    /// When (now, except in tests and imports).
    pub at: Timestamp,
    /// Why (cancelling).
    pub reason: Option<String>,
    /// The carrier's tracking number (shipping).
    pub tracking: Option<String>,
}

impl Change {
    /// A move to `to` by `by`, now.
    #[must_use]
    pub fn new(to: Status, by: Actor) -> Self {
        Self {
            to,
            by,
            at: Timestamp::now(),
            reason: None,
            tracking: None,
        }
    }

    /// The same, with the reason given.
    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The same, with the tracking number given.
    #[must_use]
    pub fn tracking(mut self, tracking: impl Into<String>) -> Self {
        self.tracking = Some(tracking.into());
        self
    }

    /// The same, made at `at`.
    #[must_use]
    pub const fn at(mut self, at: Timestamp) -> Self {
        self.at = at;
        self
    }
}

/// One recorded status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The status it left.
    pub from: Status,
    /// The status it reached.
    pub to: Status,
    /// Who moved it.
    pub by: Actor,
    /// When.
    pub at: Timestamp,
    /// Why (cancelling).
    pub reason: Option<String>,
    /// The tracking number (shipping).
    pub tracking: Option<String>,
}

/// What a status change needs to know of the sub-order.
struct Current {
    status: Status,
    mode: DeliveryMode,
    point: Option<String>,
    day: Option<Date>,
    slot: Option<String>,
}

/// Moves the sub-order of `shop` in order `number` as `change` says, and records the move
/// (who, when, why) in the same transaction; cancelling gives its stock and delivery
/// capacity back. Returns the status it had.
///
/// # Errors
///
/// [`StatusError`]: unknown sub-order, a move not allowed, a concurrent change, or the
/// database.
pub async fn set_status(
    db: &Db,
    number: &str,
    shop: &str,
    change: &Change,
) -> Result<Status, StatusError> {
    let mut tx = db.begin_write().await?;
    let current = current(&mut tx, number, shop).await?;
    let to = change.to;
    if !current.status.can_become(to, current.mode) {
        return Err(StatusError::Refused {
            from: current.status,
            to,
            mode: current.mode,
        });
    }
    let moved = sqlx::query(
        "UPDATE sub_orders SET status = $1, updated_at = $2,
           cancel_reason = COALESCE($3, cancel_reason),
           tracking_number = COALESCE($4, tracking_number)
         WHERE order_number = $5 AND shop = $6 AND status = $7",
    )
    .bind(to.key())
    .bind(db::unix(change.at))
    .bind(change.reason.as_deref())
    .bind(change.tracking.as_deref())
    .bind(number)
    .bind(shop)
    .bind(current.status.key())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(StatusError::Changed);
    }
    record(&mut tx, number, shop, current.status, change).await?;
    if to == Status::Cancelled {
        give_back(&mut tx, number, shop, &current).await?;
    }
    payment::settle(&mut tx, number).await?;
    tx.commit().await?;
    Ok(current.status)
}

/// Writes the event of `change` from `from`.
async fn record(
    tx: &mut sqlx::AnyConnection,
    number: &str,
    shop: &str,
    from: Status,
    change: &Change,
) -> Result<(), StatusError> {
    let (user_id, email) = match &change.by {
        Actor::Merchant { user_id, email } => (Some(user_id.as_str()), Some(email.as_str())),
        Actor::Shopper | Actor::System => (None, None),
    };
    sqlx::query(
        "INSERT INTO order_events (order_number, shop, from_status, to_status, actor, user_id,
           user_email, at, reason, tracking_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(number)
    .bind(shop)
    .bind(from.key())
    .bind(change.to.key())
    .bind(change.by.key())
    .bind(user_id)
    .bind(email)
    .bind(db::unix(change.at))
    .bind(change.reason.as_deref())
    .bind(change.tracking.as_deref())
    .execute(tx)
    .await?;
    Ok(())
}

/// The status changes of the sub-order of `shop` in order `number`, first move first.
///
/// # Errors
///
/// When the database fails.
pub async fn history(db: &Db, number: &str, shop: &str) -> Result<Vec<Event>, DbError> {
    let rows = sqlx::query(
        "SELECT from_status, to_status, actor, user_id, user_email, at, reason, tracking_number
         FROM order_events WHERE order_number = $1 AND shop = $2",
    )
    .bind(number)
    .bind(shop)
    .fetch_all(db.pool())
    .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        let from: String = row.try_get("from_status")?;
        let to: String = row.try_get("to_status")?;
        let kind: String = row.try_get("actor")?;
        let (Some(from), Some(to)) = (Status::from_key(&from), Status::from_key(&to)) else {
            continue;
        };
        events.push(Event {
            from,
            to,
            by: Actor::from_row(&kind, row.try_get("user_id")?, row.try_get("user_email")?),
            at: db::timestamp(row.try_get("at")?),
            reason: row.try_get("reason")?,
            tracking: row.try_get("tracking_number")?,
        });
    }
    // Statuses only move forward, so the status reached orders the moves (two in the
    // same second included).
    events.sort_by_key(|e| Status::ALL.iter().position(|&s| s == e.to));
    Ok(events)
}

/// Cancels every sub-order of `number` that can still be cancelled (the shopper's "cancel
/// my order"), recorded as the shopper's doing. Returns how many were.
///
/// # Errors
///
/// As [`set_status`]; sub-orders already past the point of cancelling are left as they are.
pub async fn cancel_order(db: &Db, number: &str) -> Result<usize, StatusError> {
    let shops: Vec<(String, String, String)> = sqlx::query(
        "SELECT shop, status, mode FROM sub_orders WHERE order_number = $1 ORDER BY shop",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("shop")?, r.try_get("status")?, r.try_get("mode")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut cancelled = 0;
    for (shop, status, mode) in shops {
        let (Some(status), Some(mode)) = (Status::from_key(&status), DeliveryMode::from_key(&mode))
        else {
            continue;
        };
        if status.can_become(Status::Cancelled, mode) {
            let change = Change::new(Status::Cancelled, Actor::Shopper);
            set_status(db, number, &shop, &change).await?;
            cancelled += 1;
        }
    }
    Ok(cancelled)
}

async fn current(
    tx: &mut sqlx::AnyConnection,
    number: &str,
    shop: &str,
) -> Result<Current, StatusError> {
    let not_found = || StatusError::NotFound {
        number: number.to_owned(),
        shop: shop.to_owned(),
    };
    let row = sqlx::query(
        "SELECT status, mode, point, day, slot FROM sub_orders WHERE order_number = $1 AND shop = $2",
    )
    .bind(number)
    .bind(shop)
    .fetch_optional(tx)
    .await?
    .ok_or_else(not_found)?;
    let status: String = row.try_get("status")?;
    let mode: String = row.try_get("mode")?;
    let day: Option<String> = row.try_get("day")?;
    Ok(Current {
        status: Status::from_key(&status).ok_or_else(not_found)?,
        mode: DeliveryMode::from_key(&mode).ok_or_else(not_found)?,
        point: row.try_get("point")?,
        day: day.and_then(|d| d.parse().ok()),
        slot: row.try_get("slot")?,
    })
}

/// Puts the sub-order's items back in stock and frees its delivery place.
async fn give_back(
    tx: &mut sqlx::AnyConnection,
    number: &str,
    shop: &str,
    current: &Current,
) -> Result<(), StatusError> {
    let lines =
        sqlx::query("SELECT sku, quantity FROM order_lines WHERE order_number = $1 AND shop = $2")
            .bind(number)
            .bind(shop)
            .fetch_all(&mut *tx)
            .await?;
    for line in lines {
        let sku: String = line.try_get("sku")?;
        let quantity: i64 = line.try_get("quantity")?;
        crate::stock::put_back(tx, &sku, u32::try_from(quantity).unwrap_or(0)).await?;
    }
    let resource = crate::delivery::resource(current.mode, current.point.as_deref());
    if let (Some(resource), Some(day)) = (resource, current.day) {
        let slot = current.slot.as_deref().unwrap_or_default();
        crate::delivery::capacity::release(tx, &resource, day, slot).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryMode::{ClickCollect, Home, Locker, Post, Relay};

    #[test]
    fn only_the_documented_moves_are_allowed() {
        use Status::{Accepted as A, Cancelled as X, Completed as C, OutForDelivery as O};
        use Status::{Placed as P, Ready as R, Shipped as S};
        let collect = [(P, A), (P, X), (A, R), (A, X), (R, C), (R, X)].as_slice();
        let allowed = [
            (ClickCollect, collect),
            (Locker, collect),
            (Relay, collect),
            (Home, [(P, A), (P, X), (A, O), (A, X), (O, C)].as_slice()),
            (Post, [(P, A), (P, X), (A, S), (A, X), (S, C)].as_slice()),
        ];
        for (mode, moves) in allowed {
            for from in Status::ALL {
                for to in Status::ALL {
                    let expected = moves.contains(&(from, to));
                    assert_eq!(
                        from.can_become(to, mode),
                        expected,
                        "{from:?} → {to:?} ({mode:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn keys_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::from_key(status.key()), Some(status));
        }
    }
}
