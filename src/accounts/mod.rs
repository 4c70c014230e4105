//! The people who run the site: merchants (each belongs to one shop; a shop can have
//! several) and the association's staff, their passwords, sessions, one-time password
//! links and login rate limits. Everything lives in the database (`0003_accounts.sql`).
//!
//! Not here: HTTP (cookies, forms, pages) — see [`crate::backoffice`].

pub mod links;
pub mod password;
pub mod sessions;
pub mod throttle;

use crate::db::{self, Db, DbError};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What a user may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Runs the shop with this slug, and nothing else.
    Merchant {
        /// The shop's slug.
        shop: String,
    },
    /// The association's staff.
    Admin,
}

/// A user, as the back-office knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Random id.
    pub id: String,
    /// E-mail address, lowercased: the login.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// Whether a password was set (an invited user has none until they follow the link).
    pub has_password: bool,
    /// Whether the account was disabled (no login, sessions refused).
    pub disabled: bool,
}

impl User {
    /// The shop a merchant runs.
    #[must_use]
    pub fn shop(&self) -> Option<&str> {
        match &self.role {
            Role::Merchant { shop } => Some(shop),
            Role::Admin => None,
        }
    }
}

/// Why an account could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Someone already uses this address.
    #[error(
        "{0} already has an account: they can ask for a new password at /espace-commercant/mot-de-passe-oublie"
    )]
    Taken(String),
    /// The address is not one.
    #[error("{0:?} is not an e-mail address")]
    BadEmail(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error.into())
    }
}

/// `email` trimmed and lowercased, if it looks like an address.
#[must_use]
pub fn normalise_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(email)
}

/// 32 random bytes as hex: session tokens and link tokens.
#[must_use]
pub fn random_token() -> String {
    format!("{}{}", crate::cart::random_hex(), crate::cart::random_hex())
}

/// The SHA-256 of a token, hex: what the database keeps instead of the token.
#[must_use]
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a user without a password (they choose it by following an invitation link).
///
/// # Errors
///
/// [`AccountError::BadEmail`], [`AccountError::Taken`], or the database.
pub async fn create(db: &Db, email: &str, role: &Role) -> Result<User, AccountError> {
    let email = normalise_email(email).ok_or_else(|| AccountError::BadEmail(email.to_owned()))?;
    let id = crate::cart::random_hex();
    let (role_key, shop) = match role {
        Role::Merchant { shop } => ("merchant", Some(shop.as_str())),
        Role::Admin => ("admin", None),
    };
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, role, shop, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&email)
    .bind(role_key)
    .bind(shop)
    .bind(db::unix(jiff::Timestamp::now()))
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => tx.commit().await?,
        Err(e) if db::is_unique_violation(&e) => return Err(AccountError::Taken(email)),
        Err(e) => return Err(e.into()),
    }
    Ok(User {
        id,
        email,
        role: role.clone(),
        has_password: false,
        disabled: false,
    })
}

const USER_COLUMNS: &str = "id, email, role, shop, password_hash, disabled_at";

fn user_of(row: &sqlx::any::AnyRow) -> Result<(User, Option<String>), sqlx::Error> {
    let role = match (
        row.try_get::<String, _>("role")?.as_str(),
        row.try_get::<Option<String>, _>("shop")?,
    ) {
        ("merchant", Some(shop)) => Role::Merchant { shop },
        _ => Role::Admin,
    };
    let hash: Option<String> = row.try_get("password_hash")?;
    Ok((
        User {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            role,
            has_password: hash.is_some(),
            disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        },
        hash,
    ))
}

/// The user with this address and their password hash.
///
/// # Errors
///
/// When the database fails.
pub async fn by_email(db: &Db, email: &str) -> Result<Option<(User, Option<String>)>, DbError> {
    let Some(email) = normalise_email(email) else {
        return Ok(None);
    };
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(user_of).transpose()?)
}

/// The user with this id.
///
/// # Errors
///
/// When the database fails.
pub async fn by_id(db: &Db, id: &str) -> Result<Option<User>, DbError> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(user_of).transpose()?.map(|(user, _)| user))
}

/// The users of a shop, by address.
///
/// # Errors
///
/// When the database fails.
pub async fn of_shop(db: &Db, shop: &str) -> Result<Vec<User>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE shop = $1 ORDER BY email"
    ))
    .bind(shop)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| user_of(row).map(|(user, _)| user))
        .collect::<Result<_, _>>()?)
}

/// Sets a user's password hash and signs every session of theirs out (a new password
/// ends sessions opened with the old one).
///
/// # Errors
///
/// When the database fails.
pub async fn set_password_hash(db: &Db, user: &str, phc: &str) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(phc)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            normalise_email("  Marie@Fromagerie.FR "),
            Some("marie@fromagerie.fr".to_owned())
        );
        for bad in [
            "",
            "marie",
            "@fromagerie.fr",
            "marie@",
            "marie@local",
            "ma rie@x.fr",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let token = random_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, random_token());
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token);
    }
}
