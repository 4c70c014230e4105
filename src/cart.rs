//! Carts: what a shopper means to buy, across shops, kept 30 days after the last change.
//!
//! A cart is an unguessable id (128 random bits, hex; the server puts it in a signed
//! cookie) and lines of (SKU, quantity). It stores no price: [`crate::pricing`] prices it
//! from the catalogue each time. Not here: the cookie, and checking stock (a cart may hold
//! more than is left; the page says so).

use crate::db::{self, Db, DbError};
use comptoir_indexer::Catalogue;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use std::fmt;

/// Most items of one line (a shop is not a wholesaler); the product pages' quantity field
/// says the same, from the catalogue model.
pub const MAX_QUANTITY: u32 = comptoir_indexer::model::MAX_QUANTITY;

/// Most lines in one cart.
pub const MAX_LINES: usize = 50;

/// How long a cart lives after its last change.
pub const LIFETIME: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A cart's id: 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CartId(String);

impl CartId {
    /// A fresh random id.
    ///
    /// # Panics
    ///
    /// When the operating system has no random source (never on supported systems).
    #[must_use]
    pub fn generate() -> Self {
        Self(random_hex())
    }

    /// The id written `text` (from a cookie), if it has the right shape.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let ok = text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Self(text.to_owned()))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 128 random bits as 32 hex digits (cart ids, tracking tokens).
///
/// # Panics
///
/// When the operating system has no random source.
#[must_use]
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    #[expect(
        clippy::expect_used,
        reason = "an OS without a random source cannot run a shop safely"
    )]
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One line: a SKU (a variant's, or the id of a product without variants) and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    /// The SKU.
    pub sku: String,
    /// How many, 1 to [`MAX_QUANTITY`].
    pub quantity: u32,
}

/// Why a cart change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// The quantity is not between 1 and 99.
    #[error("quantity {given} is outside 1..={MAX_QUANTITY}")]
    Quantity {
        /// What was asked (the resulting total for an addition).
        given: i64,
    },
    /// The SKU is not on sale (unknown, or its product unpublished).
    #[error("no product on sale has the SKU {sku:?}")]
    UnknownItem {
        /// The SKU.
        sku: String,
    },
    /// The cart already has [`MAX_LINES`] lines.
    #[error("a cart holds at most {MAX_LINES} lines")]
    TooManyLines,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for CartError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error.into())
    }
}

impl CartError {
    /// What the shopper reads.
    #[must_use]
    pub fn french_message(&self) -> String {
        match self {
            Self::Quantity { .. } => {
                format!("Choisissez une quantité entre 1 et {MAX_QUANTITY}.")
            }
            Self::UnknownItem { .. } => "Cet article n’est plus en vente.".to_owned(),
            Self::TooManyLines => format!(
                "Votre panier contient déjà {MAX_LINES} articles différents : commandez-les, puis continuez vos achats."
            ),
            Self::Db(_) => {
                "Une erreur est survenue de notre côté. Réessayez dans un instant.".to_owned()
            }
        }
    }
}

fn quantity(given: i64) -> Result<u32, CartError> {
    u32::try_from(given)
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
        .ok_or(CartError::Quantity { given })
}

fn check_on_sale(catalogue: &Catalogue, sku: &str) -> Result<(), CartError> {
    match crate::pricing::find(catalogue, sku) {
        Some(item) if catalogue.is_public(item.product) => Ok(()),
        _ => Err(CartError::UnknownItem {
            sku: sku.to_owned(),
        }),
    }
}

/// Adds `quantity` of `sku` (on top of what the cart has); creates the cart if needed.
/// Returns the line's new quantity.
///
/// # Errors
///
/// [`CartError`]: a quantity out of bounds (or a total above [`MAX_QUANTITY`]), a SKU not
/// on sale, a full cart, or the database.
pub async fn add(
    db: &Db,
    catalogue: &Catalogue,
    cart: &CartId,
    sku: &str,
    quantity: i64,
) -> Result<u32, CartError> {
    let wanted = self::quantity(quantity)?;
    check_on_sale(catalogue, sku)?;
    write_line(db, cart, sku, Write::Add(wanted)).await
}

/// Sets the quantity of `sku` (adding the line if needed); 0 removes the line.
///
/// # Errors
///
/// As [`add`].
pub async fn set_quantity(
    db: &Db,
    catalogue: &Catalogue,
    cart: &CartId,
    sku: &str,
    quantity: i64,
) -> Result<(), CartError> {
    if quantity == 0 {
        return remove(db, cart, sku).await;
    }
    let wanted = self::quantity(quantity)?;
    check_on_sale(catalogue, sku)?;
    write_line(db, cart, sku, Write::Set(wanted))
        .await
        .map(drop)
}

/// Removes the line of `sku`, if any.
///
/// # Errors
///
/// When the database fails.
pub async fn remove(db: &Db, cart: &CartId, sku: &str) -> Result<(), CartError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND sku = $2")
        .bind(cart.as_str())
        .bind(sku)
        .execute(&mut *tx)
        .await?;
    touch(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(())
}

/// Empties the cart.
///
/// # Errors
///
/// When the database fails.
pub async fn clear(db: &Db, cart: &CartId) -> Result<(), CartError> {
    let mut tx = db.begin_write().await?;
    clear_in(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(())
}

/// Empties the cart inside `tx` (an order taking it).
pub(crate) async fn clear_in(tx: &mut sqlx::AnyConnection, cart: &CartId) -> Result<(), DbError> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1")
        .bind(cart.as_str())
        .execute(&mut *tx)
        .await?;
    touch(tx, cart).await
}

/// The cart's lines, oldest first; none for an unknown or expired cart.
///
/// # Errors
///
/// When the database fails.
pub async fn lines(db: &Db, cart: &CartId) -> Result<Vec<CartLine>, CartError> {
    let oldest = db::unix(Timestamp::now() - LIFETIME);
    let rows = sqlx::query(
        "SELECT l.sku, l.quantity FROM cart_lines l JOIN carts c ON c.id = l.cart_id
         WHERE l.cart_id = $1 AND c.updated_at >= $2 ORDER BY l.position",
    )
    .bind(cart.as_str())
    .bind(oldest)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let quantity: i64 = row.try_get("quantity")?;
            Ok(CartLine {
                sku: row.try_get("sku")?,
                quantity: u32::try_from(quantity).unwrap_or(0),
            })
        })
        .collect()
}

/// Deletes the carts unchanged for [`LIFETIME`] before `now`. Returns how many.
///
/// # Errors
///
/// When the database fails.
pub async fn purge_expired(db: &Db, now: Timestamp) -> Result<u64, CartError> {
    let oldest = db::unix(now - LIFETIME);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "DELETE FROM cart_lines WHERE cart_id IN (SELECT id FROM carts WHERE updated_at < $1)",
    )
    .bind(oldest)
    .execute(&mut *tx)
    .await?;
    let purged = sqlx::query("DELETE FROM carts WHERE updated_at < $1")
        .bind(oldest)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(purged)
}

async fn line_quantity(
    tx: &mut sqlx::AnyConnection,
    cart: &CartId,
    sku: &str,
) -> Result<Option<u32>, CartError> {
    let row = sqlx::query("SELECT quantity FROM cart_lines WHERE cart_id = $1 AND sku = $2")
        .bind(cart.as_str())
        .bind(sku)
        .fetch_optional(tx)
        .await?;
    let quantity = row.map(|r| r.try_get::<i64, _>("quantity")).transpose()?;
    Ok(quantity.map(|q| u32::try_from(q).unwrap_or(0)))
}

async fn check_room(tx: &mut sqlx::AnyConnection, cart: &CartId) -> Result<(), CartError> {
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cart_lines WHERE cart_id = $1")
        .bind(cart.as_str())
        .fetch_one(tx)
        .await?
        .try_get("n")?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_LINES {
        return Err(CartError::TooManyLines);
    }
    Ok(())
}

/// A change of one line's quantity.
#[derive(Debug, Clone, Copy)]
enum Write {
    /// Add to the quantity.
    Add(u32),
    /// Replace it.
    Set(u32),
}

/// Adding is one conditional upsert, so two tabs adding at once cannot lose an addition
/// nor pass [`MAX_QUANTITY`] together, on either engine.
const ADD_SQL: &str =
    "INSERT INTO cart_lines (cart_id, sku, quantity, position, added_at)
     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = $1), $4)
     ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
     WHERE cart_lines.quantity + excluded.quantity <= $5
     RETURNING quantity";

const SET_SQL: &str =
    "INSERT INTO cart_lines (cart_id, sku, quantity, position, added_at)
     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = $1), $4)
     ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity
     WHERE excluded.quantity <= $5
     RETURNING quantity";

/// Writes the line of `sku`; returns its new quantity.
async fn write_line(db: &Db, cart: &CartId, sku: &str, write: Write) -> Result<u32, CartError> {
    let mut tx = db.begin_write().await?;
    let current = line_quantity(&mut tx, cart, sku).await?;
    if current.is_none() {
        check_room(&mut tx, cart).await?;
    }
    touch(&mut tx, cart).await?;
    let (sql, quantity) = match write {
        Write::Add(q) => (ADD_SQL, q),
        Write::Set(q) => (SET_SQL, q),
    };
    let written = sqlx::query(sql)
        .bind(cart.as_str())
        .bind(sku)
        .bind(i64::from(quantity))
        .bind(db::unix(Timestamp::now()))
        .bind(i64::from(MAX_QUANTITY))
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = written else {
        let given = i64::from(current.unwrap_or(0)) + i64::from(quantity);
        return Err(CartError::Quantity { given });
    };
    let quantity: i64 = row.try_get("quantity")?;
    tx.commit().await?;
    Ok(u32::try_from(quantity).unwrap_or(0))
}

/// Creates the cart or marks it changed now.
async fn touch(tx: &mut sqlx::AnyConnection, cart: &CartId) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO carts (id, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(cart.as_str())
    .bind(db::unix(Timestamp::now()))
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_hex_and_parse_back() {
        let (a, b) = (CartId::generate(), CartId::generate());
        assert_ne!(a, b);
        assert_eq!(CartId::parse(a.as_str()), Some(a));
        for bad in [
            "",
            "xyz",
            "ABCDEF0123456789ABCDEF0123456789",
            &"0".repeat(33),
        ] {
            assert_eq!(CartId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn quantities_are_bounded() {
        for (given, ok) in [
            (1, true),
            (99, true),
            (0, false),
            (-3, false),
            (100, false),
            (i64::MAX, false),
        ] {
            assert_eq!(quantity(given).is_ok(), ok, "{given}");
        }
    }
}
