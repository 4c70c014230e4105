//! One-time links to choose a password: the invitation a new user gets, and the reset a
//! user asks for when they forgot theirs. The link carries a random token; the database
//! keeps its SHA-256, when it expires, and when it was used (once only).

use super::{User, token_hash};
use crate::db::{self, Db, DbError};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A new account's first password.
    Invite,
    /// A forgotten password.
    Reset,
}

impl Purpose {
    const fn key(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }

    /// How long a link stays valid: a week to accept an invitation, an hour for a reset
    /// (it is asked for by whoever knows the address).
    #[must_use]
    pub const fn lifetime(self) -> SignedDuration {
        match self {
            Self::Invite => SignedDuration::from_hours(7 * 24),
            Self::Reset => SignedDuration::from_hours(1),
        }
    }
}

/// The path of a link's page, under the back-office.
#[must_use]
pub fn path(token: &str) -> String {
    format!("/espace-commercant/mot-de-passe/{token}")
}

/// Issues a link for `user`; returns its token. Earlier unused links of the same purpose
/// stop working.
///
/// # Errors
///
/// When the database fails.
pub async fn issue(
    db: &Db,
    user: &str,
    purpose: Purpose,
    now: Timestamp,
) -> Result<String, DbError> {
    let token = super::random_token();
    let at = db::unix(now);
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE password_links SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(at)
        .bind(user)
        .bind(purpose.key())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO password_links (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user)
    .bind(purpose.key())
    .bind(at)
    .bind(at + purpose.lifetime().as_secs())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The user a valid (unused, unexpired) link is for.
///
/// # Errors
///
/// When the database fails.
pub async fn peek(db: &Db, token: &str, now: Timestamp) -> Result<Option<User>, DbError> {
    let row = sqlx::query(
        "SELECT user_id FROM password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(db::unix(now))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user: String = row.try_get(0)?;
    Ok(super::by_id(db, &user).await?.filter(|u| !u.disabled))
}

/// Uses the link: sets the password hash `phc` and ends the user's sessions, once. `None`
/// when the link is unknown, expired or already used (a second click of the same link).
///
/// # Errors
///
/// When the database fails.
pub async fn redeem(
    db: &Db,
    token: &str,
    phc: &str,
    now: Timestamp,
) -> Result<Option<User>, DbError> {
    let Some(user) = peek(db, token, now).await? else {
        return Ok(None);
    };
    let at = db::unix(now);
    let mut tx = db.begin_write().await?;
    let used = sqlx::query(
        "UPDATE password_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(token_hash(token))
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(phc)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(User {
        has_password: true,
        ..user
    }))
}
