//! The checkout form's fields: reading a POST into a [`Checkout`], and the values that
//! refill the form when it comes back with errors.
//!
//! Each shop's delivery is one radio group named `livraison-<shop slug>` whose value says
//! the whole choice and the fee the shopper saw: `click_collect|0`,
//! `locker|<point>|<day>|<fee>`, `relay|<point>|<day>|<slot>|<fee>`,
//! `home|<day>|<slot>|<fee>`, `post|<fee>` (fees in cents). The fees seen and the items'
//! total seen (`expected_items`) make the expected total: when prices or fees changed
//! since the form was drawn, the order stops so the shopper can review it. A sent fee is
//! only ever compared, never charged: prices come from the catalogue.

use super::Fields;
use crate::cart::{CartId, CartLine};
use crate::delivery::Choice;
use crate::orders::{Checkout, Contact};
use comptoir_indexer::Money;
use comptoir_indexer::model::Address;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The name of a shop's delivery radio group, before the shop's slug.
pub const DELIVERY_PREFIX: &str = "livraison-";

/// The hidden field with the items' total the shopper saw, in cents.
pub const EXPECTED_ITEMS: &str = "expected_items";

/// The hidden field with the idempotency key.
pub const KEY: &str = "key";

/// What the form shows in its fields (as sent, to refill it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues {
    /// Contact.
    pub name: String,
    /// Contact.
    pub email: String,
    /// Contact.
    pub phone: String,
    /// Address.
    pub street: String,
    /// Address.
    pub postcode: String,
    /// Address.
    pub city: String,
    /// The idempotency key, made when the form was first drawn and kept after.
    pub key: String,
    /// The radio value chosen for each shop, by slug.
    pub choices: BTreeMap<String, String>,
}

impl FormValues {
    /// A blank form with a new idempotency key.
    #[must_use]
    pub fn fresh() -> Self {
        Self {
            key: crate::cart::random_hex(),
            ..Self::default()
        }
    }

    /// The values the shopper sent.
    #[must_use]
    pub fn sent(fields: &Fields) -> Self {
        let value = |name| fields.text(name).to_owned();
        Self {
            name: value("name"),
            email: value("email"),
            phone: value("phone"),
            street: value("street"),
            postcode: value("postcode"),
            city: value("city"),
            key: value(KEY),
            choices: fields
                .with_prefix(DELIVERY_PREFIX)
                .map(|(shop, choice)| (shop.to_owned(), choice.to_owned()))
                .collect(),
        }
    }
}

/// The order `fields` ask for, with the cart's `lines` (never the form's).
#[must_use]
pub fn checkout(fields: &Fields, cart: &CartId, lines: Vec<CartLine>) -> Checkout {
    let values = FormValues::sent(fields);
    let mut choices = BTreeMap::new();
    let mut fees_seen = Some(0_i64);
    for (shop, value) in &values.choices {
        match parse_choice(value) {
            Some((choice, fee)) => {
                choices.insert(shop.clone(), choice);
                fees_seen = fees_seen.and_then(|sum| sum.checked_add(fee.cents()));
            }
            // Not one of ours: as if nothing was chosen, which the order refuses.
            None => fees_seen = None,
        }
    }
    let items_seen = fields.text(EXPECTED_ITEMS).trim().parse::<i64>().ok();
    let expected_total = items_seen
        .zip(fees_seen)
        .and_then(|(items, fees)| items.checked_add(fees))
        .map(Money::from_cents);
    let address = [&values.street, &values.postcode, &values.city]
        .iter()
        .any(|v| !v.trim().is_empty())
        .then(|| Address {
            street: values.street.clone(),
            postcode: values.postcode.clone(),
            city: values.city.clone(),
        });
    Checkout {
        lines,
        cart: Some(cart.clone()),
        contact: Contact {
            name: values.name,
            email: values.email,
            phone: values.phone,
        },
        address,
        choices,
        idempotency_key: values.key,
        expected_total,
        // The cart's, which the route reads: never the form's.
        promo_code: None,
    }
}

/// The radio value of `choice` seen with `fee`.
#[must_use]
pub fn choice_value(choice: &Choice, fee: Money) -> String {
    let fee = fee.cents();
    match choice {
        Choice::ClickCollect => format!("click_collect|{fee}"),
        Choice::Locker { point, day } => format!("locker|{point}|{day}|{fee}"),
        Choice::Relay { point, day, slot } => format!("relay|{point}|{day}|{slot}|{fee}"),
        Choice::Home { day, slot } => format!("home|{day}|{slot}|{fee}"),
        Choice::Post => format!("post|{fee}"),
    }
}

/// The choice and fee a radio value says, if it is one of ours.
#[must_use]
pub fn parse_choice(value: &str) -> Option<(Choice, Money)> {
    let parts: Vec<&str> = value.split('|').collect();
    let (last, rest) = parts.split_last()?;
    let fee = Money::from_cents(last.parse().ok().filter(|c: &i64| *c >= 0)?);
    let day = |text: &str| text.parse::<Date>().ok();
    let choice = match rest {
        ["click_collect"] => Choice::ClickCollect,
        ["locker", point, d] => Choice::Locker {
            point: (*point).to_owned(),
            day: day(d)?,
        },
        ["relay", point, d, slot] => Choice::Relay {
            point: (*point).to_owned(),
            day: day(d)?,
            slot: (*slot).to_owned(),
        },
        ["home", d, slot] => Choice::Home {
            day: day(d)?,
            slot: (*slot).to_owned(),
        },
        ["post"] => Choice::Post,
        _ => return None,
    };
    Some((choice, fee))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn choices_round_trip_through_radio_values() {
        let day = date(2026, 3, 11);
        let choices = [
            Choice::ClickCollect,
            Choice::Locker {
                point: "consigne".into(),
                day,
            },
            Choice::Relay {
                point: "relais".into(),
                day,
                slot: "10:00-12:00".into(),
            },
            Choice::Home {
                day,
                slot: "17:00-19:30".into(),
            },
            Choice::Post,
        ];
        for choice in choices {
            let value = choice_value(&choice, Money::from_cents(490));
            assert_eq!(
                parse_choice(&value),
                Some((choice, Money::from_cents(490))),
                "{value}"
            );
        }
        for bad in [
            "",
            "post",
            "post|-5",
            "post|abc",
            "teleport|0",
            "home|demain|10:00-12:00|0",
            "relay|r|2026-03-11|0",
        ] {
            assert_eq!(parse_choice(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_expected_total_adds_the_fees_seen_to_the_items_seen() {
        let body = "name=Marie&expected_items=1200&key=k&livraison-a=post%7C590&livraison-b=click_collect%7C0";
        let order = checkout(
            &Fields::parse(body.as_bytes()),
            &CartId::generate(),
            Vec::new(),
        );
        assert_eq!(order.expected_total, Some(Money::from_cents(1790)));
        assert_eq!(order.choices.len(), 2);
        assert_eq!(order.address, None);
        let tampered = "expected_items=1200&livraison-a=post%7Cfree";
        let order = checkout(
            &Fields::parse(tampered.as_bytes()),
            &CartId::generate(),
            Vec::new(),
        );
        assert_eq!((order.expected_total, order.choices.len()), (None, 0));
    }
}
