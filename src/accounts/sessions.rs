//! Signed-in sessions: a random token in the browser's cookie, its SHA-256 in the
//! database (a stolen database opens no session).
//!
//! A session ends after [`IDLE`] without a request, or [`MAX_AGE`] after login whatever
//! happens; logging out, a new password or a disabled account end it at once.

use super::{User, token_hash};
use crate::db::{self, Db, DbError};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

/// A session unused this long is over (a working day between two customers).
pub const IDLE: SignedDuration = SignedDuration::from_hours(12);

/// No session lives longer than this after login.
pub const MAX_AGE: SignedDuration = SignedDuration::from_hours(7 * 24);

/// `last_seen` is written at most this often (not on every request).
const TOUCH_EVERY: i64 = 60;

/// Opens a session for `user`; returns the token for the cookie.
///
/// # Errors
///
/// When the database fails.
pub async fn open(db: &Db, user: &str, now: Timestamp) -> Result<String, DbError> {
    let token = super::random_token();
    let now = db::unix(now);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash(&token))
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The user of a live session, `None` when the token is unknown, expired, or its account
/// disabled. Refreshes the session's idle clock.
///
/// # Errors
///
/// When the database fails.
pub async fn resolve(db: &Db, token: &str, now: Timestamp) -> Result<Option<User>, DbError> {
    let hash = token_hash(token);
    let Some(row) =
        sqlx::query("SELECT user_id, created_at, last_seen FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(db.pool())
            .await?
    else {
        return Ok(None);
    };
    let (user_id, created, seen): (String, i64, i64) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let now = db::unix(now);
    if now - seen > IDLE.as_secs() || now - created > MAX_AGE.as_secs() {
        close(db, token).await?;
        return Ok(None);
    }
    let Some(user) = super::by_id(db, &user_id).await?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    if now - seen >= TOUCH_EVERY {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}

/// Ends the session of `token` (logging out).
///
/// # Errors
///
/// When the database fails.
pub async fn close(db: &Db, token: &str) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
