//! What the shopper sends at checkout, its validation, and the plan of the order: every
//! line priced from the catalogue, every shop's delivery checked and priced.
//!
//! Pure: the database is [`super::place`]'s. Errors name the field, line or shop at fault
//! and say in French what to do ([`CheckoutError::french_message`]).

use crate::cart::{CartId, CartLine, MAX_QUANTITY};
use crate::db::DbError;
use crate::delivery::{self, Choice, DeliveryError, Plan};
use crate::offers::{CodeError, Discounts};
use crate::pricing::{Availability, PricedCart, ShopBasket};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Address, Catalogue};
use jiff::Zoned;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Who orders.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// E-mail, for the confirmation.
    pub email: String,
    /// Phone, for the shops.
    pub phone: String,
}

/// A checkout form, as the shopper sent it (prices are never taken from it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checkout {
    /// What to order (the cart's lines).
    pub lines: Vec<CartLine>,
    /// The cart to empty in the same transaction, if the lines come from one.
    pub cart: Option<CartId>,
    /// Who orders.
    pub contact: Contact,
    /// The address, needed when a shop's choice is home delivery or post.
    pub address: Option<Address>,
    /// The delivery choice of each shop, by shop slug.
    pub choices: BTreeMap<String, Choice>,
    /// A key the form carries: the same key twice places one order.
    pub idempotency_key: String,
    /// The total the shopper saw, if the form sends it: a different total now (a price or
    /// fee changed meanwhile) stops the order so the shopper can review it.
    pub expected_total: Option<Money>,
    /// The promo code the cart holds, if any.
    pub promo_code: Option<String>,
}

/// A problem with one form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field: `name`, `email`, `phone`, `street`, `postcode`, `city`, `idempotency_key`.
    pub field: &'static str,
    /// What the shopper reads next to it.
    pub message: &'static str,
}

/// Why an order was not placed. Nothing was written when it is returned.
#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    /// Form fields are missing or malformed.
    #[error("invalid fields: {}", fields.iter().map(|f| f.field).collect::<Vec<_>>().join(", "))]
    Invalid {
        /// Each field's problem.
        fields: Vec<FieldError>,
    },
    /// Nothing to order.
    #[error("the cart is empty")]
    EmptyCart,
    /// A line's quantity is out of bounds.
    #[error("quantity {quantity} of {sku} is outside 1..={MAX_QUANTITY}")]
    Quantity {
        /// The SKU.
        sku: String,
        /// The quantity.
        quantity: u32,
    },
    /// The catalogue no longer has this SKU.
    #[error("unknown SKU {sku:?}")]
    UnknownItem {
        /// The SKU.
        sku: String,
    },
    /// The product was withdrawn from sale.
    #[error("{sku} is no longer on sale")]
    Withdrawn {
        /// The SKU.
        sku: String,
        /// Its title.
        title: String,
    },
    /// Not enough left.
    #[error("{sku}: {wanted} wanted, {left} left")]
    OutOfStock {
        /// The SKU.
        sku: String,
        /// Its title.
        title: String,
        /// The shop's name.
        shop_name: String,
        /// Quantity asked.
        wanted: u32,
        /// Quantity left.
        left: u32,
    },
    /// A shop has no delivery choice.
    #[error("no delivery choice for {shop}")]
    NoChoice {
        /// The shop's slug.
        shop: String,
        /// Its name.
        shop_name: String,
    },
    /// A shop's delivery choice is refused (including a slot that just filled up).
    #[error("delivery for {shop}: {error}")]
    Delivery {
        /// The shop's slug.
        shop: String,
        /// Its name.
        shop_name: String,
        /// Why.
        error: DeliveryError,
    },
    /// The total differs from the one the shopper saw.
    #[error("the total is now {total:?}")]
    PriceChanged {
        /// The total now.
        total: Money,
    },
    /// The cart's promo code does not apply (any more).
    #[error(transparent)]
    PromoCode(CodeError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for CheckoutError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error.into())
    }
}

impl CheckoutError {
    /// What the shopper reads (`today` decides whether dates carry their year).
    #[must_use]
    pub fn french_message(&self, today: Date) -> String {
        match self {
            Self::Invalid { .. } => "Vérifiez les champs signalés.".to_owned(),
            Self::EmptyCart => "Votre panier est vide.".to_owned(),
            Self::Quantity { .. } => format!("Choisissez une quantité entre 1 et {MAX_QUANTITY}."),
            Self::UnknownItem { .. } => {
                "Un article de votre panier n’est plus en vente : retirez-le pour commander.".to_owned()
            }
            Self::Withdrawn { title, .. } => {
                format!("« {title} » n’est plus en vente : retirez-le de votre panier pour commander.")
            }
            Self::OutOfStock { title, shop_name, left: 0, .. } => {
                format!("« {title} » ({shop_name}) est épuisé : retirez-le de votre panier pour commander.")
            }
            Self::OutOfStock { title, shop_name, left, .. } => format!(
                "Il ne reste que {left} « {title} » ({shop_name}) : réduisez la quantité pour commander."
            ),
            Self::NoChoice { shop_name, .. } => {
                format!("Choisissez comment recevoir les articles de {shop_name}.")
            }
            Self::Delivery { shop_name, error, .. } => {
                format!("{shop_name} : {}", error.french_message(today))
            }
            Self::PriceChanged { total } => format!(
                "Le total de votre commande a changé ({}) : vérifiez-le, puis validez à nouveau.",
                total.to_french()
            ),
            Self::PromoCode(error) => error.french_message(),
            Self::Db(_) => {
                "Une erreur est survenue de notre côté : votre commande n’est pas passée. Réessayez dans un instant.".to_owned()
            }
        }
    }
}

/// Checks the form's fields; the address only when some choice needs it.
///
/// # Errors
///
/// [`CheckoutError::Invalid`] with every field at fault.
pub fn validate(checkout: &Checkout) -> Result<(), CheckoutError> {
    let mut fields = Vec::new();
    let mut check = |field, ok: bool, message| {
        if !ok {
            fields.push(FieldError { field, message });
        }
    };
    let contact = &checkout.contact;
    let name = contact.name.trim();
    check(
        "name",
        !name.is_empty() && name.chars().count() <= 100,
        "Indiquez votre nom (100 caractères au plus).",
    );
    check(
        "email",
        is_email(contact.email.trim()),
        "Indiquez une adresse e-mail valide, par exemple marie@exemple.fr.",
    );
    check(
        "phone",
        is_phone(&contact.phone),
        "Indiquez un numéro de téléphone, par exemple 06 12 34 56 78.",
    );
    check(
        "idempotency_key",
        is_key(&checkout.idempotency_key),
        "Le formulaire a expiré : rechargez la page.",
    );
    if checkout.choices.values().any(Choice::needs_address) {
        let address = checkout.address.as_ref();
        let filled = |f: fn(&Address) -> &str| address.is_some_and(|a| !f(a).trim().is_empty());
        check(
            "street",
            filled(|a| &a.street),
            "Indiquez le numéro et la rue.",
        );
        check(
            "postcode",
            address.is_some_and(|a| is_postcode(a.postcode.trim())),
            "Indiquez un code postal à cinq chiffres.",
        );
        check("city", filled(|a| &a.city), "Indiquez la ville.");
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(CheckoutError::Invalid { fields })
    }
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    text.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@')
}

fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +.-()".contains(c));
    allowed && (10..=15).contains(&digits)
}

fn is_postcode(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_key(text: &str) -> bool {
    (16..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A checked order, before it is written.
#[derive(Debug, Clone)]
pub(crate) struct OrderPlan {
    /// Each shop's basket and delivery.
    pub shops: Vec<(ShopBasket, Plan)>,
    /// Items, all shops.
    pub items_total: Money,
    /// Delivery fees, all shops.
    pub fees_total: Money,
    /// What the offers take off the items, and each shop's share.
    pub discounts: Discounts,
}

impl OrderPlan {
    /// What the shopper pays: the items less the discounts, plus the fees.
    pub fn total(&self) -> Money {
        Money::from_cents(
            self.items_total.cents() - self.discounts.total.cents() + self.fees_total.cents(),
        )
    }
}

/// Checks every line of `priced`, the promo code of `discounts` and every shop's choice
/// at `now`.
pub(crate) fn plan(
    catalogue: &Catalogue,
    checkout: &Checkout,
    priced: PricedCart,
    discounts: Discounts,
    now: &Zoned,
) -> Result<OrderPlan, CheckoutError> {
    check_lines(catalogue, checkout, &priced)?;
    if let Some(error) = discounts.code_error.clone() {
        return Err(CheckoutError::PromoCode(error));
    }
    let postcode = checkout.address.as_ref().map(|a| a.postcode.trim());
    let mut shops = Vec::new();
    for basket in priced.shops {
        let shop = &catalogue.shops[basket.shop];
        let Some(choice) = checkout.choices.get(&shop.slug) else {
            return Err(CheckoutError::NoChoice {
                shop: shop.slug.clone(),
                shop_name: shop.name.clone(),
            });
        };
        let plan = delivery::plan(catalogue, &basket, choice, postcode, now).map_err(|error| {
            CheckoutError::Delivery {
                shop: shop.slug.clone(),
                shop_name: shop.name.clone(),
                error,
            }
        })?;
        shops.push((basket, plan));
    }
    let fees = shops.iter().map(|(_, p)| p.fee.cents()).sum();
    let plan = OrderPlan {
        shops,
        items_total: priced.items_total,
        fees_total: Money::from_cents(fees),
        discounts,
    };
    match checkout.expected_total {
        Some(seen) if seen != plan.total() => Err(CheckoutError::PriceChanged {
            total: plan.total(),
        }),
        _ => Ok(plan),
    }
}

fn check_lines(
    catalogue: &Catalogue,
    checkout: &Checkout,
    priced: &PricedCart,
) -> Result<(), CheckoutError> {
    if checkout.lines.is_empty() {
        return Err(CheckoutError::EmptyCart);
    }
    if let Some(line) = checkout
        .lines
        .iter()
        .find(|l| !(1..=MAX_QUANTITY).contains(&l.quantity))
    {
        return Err(CheckoutError::Quantity {
            sku: line.sku.clone(),
            quantity: line.quantity,
        });
    }
    if let Some(line) = priced.unknown.first() {
        return Err(CheckoutError::UnknownItem {
            sku: line.sku.clone(),
        });
    }
    for basket in &priced.shops {
        for line in &basket.lines {
            match line.availability {
                Availability::Available => {}
                Availability::Withdrawn => {
                    return Err(CheckoutError::Withdrawn {
                        sku: line.sku.clone(),
                        title: line.title.clone(),
                    });
                }
                Availability::Short { left } => {
                    return Err(CheckoutError::OutOfStock {
                        sku: line.sku.clone(),
                        title: line.title.clone(),
                        shop_name: catalogue.shops[basket.shop].name.clone(),
                        wanted: line.quantity,
                        left,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_fields_are_checked() {
        for (email, ok) in [
            ("marie@exemple.fr", true),
            ("marie@exemple", false),
            ("@exemple.fr", false),
            ("marie exemple.fr", false),
            ("a b@c.fr", false),
        ] {
            assert_eq!(is_email(email), ok, "{email}");
        }
        for (phone, ok) in [
            ("06 12 34 56 78", true),
            ("+33 6 12 34 56 78", true),
            ("0612", false),
            ("06 12 34 56 7x", false),
        ] {
            assert_eq!(is_phone(phone), ok, "{phone}");
        }
        for (postcode, ok) in [("92330", true), ("9233", false), ("92a30", false)] {
            assert_eq!(is_postcode(postcode), ok, "{postcode}");
        }
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut checkout = Checkout::default();
        checkout.choices.insert("boutique".into(), Choice::Post);
        let Err(CheckoutError::Invalid { fields }) = validate(&checkout) else {
            panic!("an empty form is invalid");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(
            names,
            [
                "name",
                "email",
                "phone",
                "idempotency_key",
                "street",
                "postcode",
                "city"
            ]
        );
    }
}
