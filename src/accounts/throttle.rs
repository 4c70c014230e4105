//! Login rate limits: after [`ACCOUNT_LIMIT`] failed logins on one account, or
//! [`ADDRESS_LIMIT`] from one network address, within [`WINDOW`], logins are refused
//! until the oldest failure leaves the window. Failures are rows in the database, so the
//! limit holds across restarts and across the servers of one deployment.

use crate::db::{self, Db, DbError};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

/// The window failures are counted over.
pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// Failed logins allowed per account in the window (guessing one merchant's password).
pub const ACCOUNT_LIMIT: i64 = 5;

/// Failed logins allowed per network address in the window (trying many accounts).
pub const ADDRESS_LIMIT: i64 = 20;

fn account(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn address(ip: &str) -> String {
    format!("ip:{ip}")
}

/// How long until a login for `email` from `ip` may be tried again; `None` when it may
/// be tried now.
///
/// # Errors
///
/// When the database fails.
pub async fn wait(
    db: &Db,
    email: &str,
    ip: &str,
    now: Timestamp,
) -> Result<Option<SignedDuration>, DbError> {
    let since = db::unix(now) - WINDOW.as_secs();
    let mut longest = None;
    for (subject, limit) in [
        (account(email), ACCOUNT_LIMIT),
        (address(ip), ADDRESS_LIMIT),
    ] {
        let row = sqlx::query(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE subject = $1 AND at > $2",
        )
        .bind(&subject)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
        let count: i64 = row.try_get(0)?;
        let oldest: Option<i64> = row.try_get(1)?;
        if count >= limit {
            let free_at = oldest.unwrap_or(since) + WINDOW.as_secs();
            let wait = SignedDuration::from_secs((free_at - db::unix(now)).max(1));
            longest = Some(longest.map_or(wait, |l: SignedDuration| l.max(wait)));
        }
    }
    Ok(longest)
}

/// Records a failed login for `email` from `ip`, and forgets failures older than the
/// window.
///
/// # Errors
///
/// When the database fails.
pub async fn failed(db: &Db, email: &str, ip: &str, now: Timestamp) -> Result<(), DbError> {
    let at = db::unix(now);
    let mut tx = db.begin_write().await?;
    for subject in [account(email), address(ip)] {
        sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
            .bind(subject)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(at - WINDOW.as_secs())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the failures of `email` after a successful login (the address's stay).
///
/// # Errors
///
/// When the database fails.
pub async fn succeeded(db: &Db, email: &str) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE subject = $1")
        .bind(account(email))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// "dans 12 minutes": a wait, rounded up to the minute, in French.
#[must_use]
pub fn french_wait(wait: SignedDuration) -> String {
    let minutes = (wait.as_secs() + 59) / 60;
    if minutes <= 1 {
        "dans une minute".to_owned()
    } else {
        format!("dans {minutes} minutes")
    }
}
