//! Paying for an order: the [`PaymentProvider`] seam and the one provider implemented,
//! [`PayOnDelivery`] ("payer au retrait / à la livraison").
//!
//! A provider is called once, after the order is committed (never inside the transaction:
//! an outside service must not hold database locks). An online provider (a later issue)
//! returns a page to send the shopper to; paying on delivery has nothing to do now, and
//! the order is settled when every shop has handed its goods over.

use super::Status;
use crate::db::Result;
use comptoir_indexer::Money;
use sqlx::Row;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Where payment of an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    /// Not started yet (the provider has not been called).
    Pending,
    /// To be paid at pickup or delivery.
    Due,
    /// Waiting for the shopper to pay online.
    AwaitingShopper,
    /// Paid.
    Paid,
    /// Nothing to pay: every sub-order was cancelled.
    Cancelled,
    /// The provider refused or failed.
    Failed,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Due,
        Self::AwaitingShopper,
        Self::Paid,
        Self::Cancelled,
        Self::Failed,
    ];

    /// The stored name.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Due => "due",
            Self::AwaitingShopper => "awaiting_shopper",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }

    /// The status stored as `key`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// What the shopper reads.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pending => "Paiement en attente",
            Self::Due => "À régler au retrait ou à la livraison",
            Self::AwaitingShopper => "En attente de votre paiement",
            Self::Paid => "Payée",
            Self::Cancelled => "Rien à régler",
            Self::Failed => "Le paiement a échoué",
        }
    }
}

/// What a provider is asked to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// The order number.
    pub number: String,
    /// The amount.
    pub amount: Money,
    /// The shopper's e-mail.
    pub email: String,
}

/// What happens next, as the provider says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStart {
    /// Nothing now: the shopper pays at pickup or delivery.
    Deferred,
    /// Send the shopper to `url` to pay.
    Redirect {
        /// The provider's payment page.
        url: String,
        /// The provider's reference.
        reference: String,
    },
}

impl PaymentStart {
    fn status(&self) -> PaymentStatus {
        match self {
            Self::Deferred => PaymentStatus::Due,
            Self::Redirect { .. } => PaymentStatus::AwaitingShopper,
        }
    }

    fn reference(&self) -> Option<&str> {
        match self {
            Self::Deferred => None,
            Self::Redirect { reference, .. } => Some(reference),
        }
    }
}

/// Why a provider could not start a payment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payment provider failed: {0}")]
pub struct PaymentError(pub String);

/// The future a provider returns.
pub type PaymentFuture<'a> =
    Pin<Box<dyn Future<Output = Result<PaymentStart, PaymentError>> + Send + 'a>>;

/// A way to pay. Implementations must be cheap to share (`Arc<dyn PaymentProvider>`).
pub trait PaymentProvider: Send + Sync + fmt::Debug {
    /// The name stored with the order (`on_delivery`).
    fn key(&self) -> &'static str;

    /// What the shopper reads on the checkout page.
    fn label(&self) -> &'static str;

    /// Starts collecting `request` for a committed order.
    fn start<'a>(&'a self, request: &'a PaymentRequest) -> PaymentFuture<'a>;
}

/// Paying at pickup or delivery: each shop collects its part when it hands the goods over.
#[derive(Debug, Clone, Copy, Default)]
pub struct PayOnDelivery;

impl PaymentProvider for PayOnDelivery {
    fn key(&self) -> &'static str {
        "on_delivery"
    }

    fn label(&self) -> &'static str {
        "Payer au retrait ou à la livraison"
    }

    fn start<'a>(&'a self, _request: &'a PaymentRequest) -> PaymentFuture<'a> {
        Box::pin(async { Ok(PaymentStart::Deferred) })
    }
}

/// Records what the provider said about order `number`.
pub(super) async fn record(
    db: &crate::db::Db,
    number: &str,
    outcome: &std::result::Result<PaymentStart, PaymentError>,
) -> Result<()> {
    let (status, reference) = match outcome {
        Ok(start) => (start.status(), start.reference()),
        Err(_) => (PaymentStatus::Failed, None),
    };
    sqlx::query("UPDATE orders SET payment_status = $1, payment_reference = $2 WHERE number = $3")
        .bind(status.key())
        .bind(reference)
        .bind(number)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// After a status change inside `tx`: an order whose sub-orders are all cancelled has
/// nothing to pay; one paid on delivery whose sub-orders are all over (some completed) is
/// paid.
pub(super) async fn settle(tx: &mut sqlx::AnyConnection, number: &str) -> Result<()> {
    let rows = sqlx::query("SELECT status FROM sub_orders WHERE order_number = $1")
        .bind(number)
        .fetch_all(&mut *tx)
        .await?;
    let statuses: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("status"))
        .collect::<std::result::Result<_, _>>()?;
    let (completed, cancelled) = (Status::Completed.key(), Status::Cancelled.key());
    let over = statuses.iter().all(|s| s == completed || s == cancelled);
    let settled = if statuses.iter().all(|s| s == cancelled) {
        PaymentStatus::Cancelled
    } else if over {
        PaymentStatus::Paid
    } else {
        return Ok(());
    };
    sqlx::query("UPDATE orders SET payment_status = $1 WHERE number = $2 AND payment_status = $3")
        .bind(settled.key())
        .bind(number)
        .bind(PaymentStatus::Due.key())
        .execute(tx)
        .await?;
    Ok(())
}
