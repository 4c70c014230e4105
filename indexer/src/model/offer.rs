//! Cross-shop offers launched by the association (`content/offers.toml`): a percentage
//! off the basket when buying from several shops, a bundle across aisles, and promo codes.
//!
//! Pure data and the rules that only need a date: whether an offer runs on a given day
//! ([`Offer::state_on`]) and the file's text for a list of offers ([`write_offers`]). How
//! much an offer takes off a cart is the server's (`comptoir::offers`).

use super::charter::basic_string;
use crate::money::Money;
use jiff::civil::Date;

/// The file of the offers, in `content/`.
pub const OFFERS_FILE: &str = "offers.toml";

/// How much an offer takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Reduction {
    /// A whole percentage, 1 to 100.
    Percent(u32),
    /// A fixed amount.
    Amount(Money),
}

impl Reduction {
    /// `−10 %` or `−5,00 €`.
    #[must_use]
    pub fn to_french(self) -> String {
        match self {
            Self::Percent(p) => format!("−{p} %"),
            Self::Amount(a) => format!("−{}", a.to_french()),
        }
    }
}

/// What an offer is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OfferKind {
    /// A percentage off the whole basket when it holds items from `min_shops` shops.
    MultiShop {
        /// Shops needed, at least 2.
        min_shops: u32,
        /// Percentage off, 1 to 100.
        percent: u32,
        /// The basket's least total, if any.
        min_basket: Option<Money>,
    },
    /// One item from each of `aisles` (an aisle includes its sub-aisles), once per cart.
    Bundle {
        /// Aisle slugs, at least 2.
        aisles: Vec<String>,
        /// Off the bundle's items (one of each aisle).
        reduction: Reduction,
    },
    /// A code the shopper types in the cart.
    Code {
        /// Uppercase letters, digits and hyphens.
        code: String,
        /// Off the basket.
        reduction: Reduction,
        /// The basket's least total, if any.
        min_basket: Option<Money>,
        /// Most orders that may use it, all shoppers together.
        max_uses: Option<u32>,
    },
}

/// One offer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Offer {
    /// A slug, unique in the file.
    pub id: String,
    /// What shoppers read ("Panier apéro").
    pub name: String,
    /// First day it runs (Paris time); none: already.
    pub starts: Option<Date>,
    /// Last day it runs (Paris time); none: until ended.
    pub ends: Option<Date>,
    /// What it is.
    pub kind: OfferKind,
}

/// Where an offer stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OfferState {
    /// It runs.
    Active,
    /// It starts later.
    Upcoming,
    /// It has ended.
    Ended,
}

impl Offer {
    /// Where the offer stands on `today`.
    #[must_use]
    pub fn state_on(&self, today: Date) -> OfferState {
        if self.starts.is_some_and(|s| today < s) {
            OfferState::Upcoming
        } else if self.ends.is_some_and(|e| today > e) {
            OfferState::Ended
        } else {
            OfferState::Active
        }
    }

    /// The promo code, for code offers.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        match &self.kind {
            OfferKind::Code { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A promo code as shoppers may type it: trimmed, uppercase.
#[must_use]
pub fn normalize_code(text: &str) -> String {
    text.trim().to_uppercase()
}

/// The text of `offers.toml` holding `offers`, in order (parsed back to the same offers).
#[must_use]
pub fn write_offers(offers: &[Offer]) -> String {
    let mut text = String::from(
        "# Cross-shop offers, written by the association's console (/admin/offres).\n\
         # Format: docs/catalogue.md, \"offers.toml\".\n",
    );
    for offer in offers {
        text.push_str("\n[[offer]]\n");
        let mut line = |key: &str, value: String| {
            text.push_str(&format!("{key} = {value}\n"));
        };
        line("id", basic_string(&offer.id));
        line("name", basic_string(&offer.name));
        if let Some(starts) = offer.starts {
            line("starts", starts.to_string());
        }
        if let Some(ends) = offer.ends {
            line("ends", ends.to_string());
        }
        let money = |m: Money| basic_string(&m.to_decimal());
        let reduction = |r: Reduction| match r {
            Reduction::Percent(p) => ("percent", p.to_string()),
            Reduction::Amount(a) => ("amount", money(a)),
        };
        match &offer.kind {
            OfferKind::MultiShop {
                min_shops,
                percent,
                min_basket,
            } => {
                line("kind", basic_string("multi_shop"));
                line("min_shops", min_shops.to_string());
                line("percent", percent.to_string());
                if let Some(min) = min_basket {
                    line("min_basket", money(*min));
                }
            }
            OfferKind::Bundle {
                aisles,
                reduction: r,
            } => {
                line("kind", basic_string("bundle"));
                let list: Vec<String> = aisles.iter().map(|a| basic_string(a)).collect();
                line("aisles", format!("[{}]", list.join(", ")));
                let (key, value) = reduction(*r);
                line(key, value);
            }
            OfferKind::Code {
                code,
                reduction: r,
                min_basket,
                max_uses,
            } => {
                line("kind", basic_string("code"));
                line("code", basic_string(code));
                let (key, value) = reduction(*r);
                line(key, value);
                if let Some(min) = min_basket {
                    line("min_basket", money(*min));
                }
                if let Some(max) = max_uses {
                    line("max_uses", max.to_string());
                }
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn an_offer_runs_from_its_first_to_its_last_day() {
        let offer = Offer {
            id: "noel".into(),
            name: "Noël".into(),
            starts: Some(date(2026, 12, 1)),
            ends: Some(date(2026, 12, 24)),
            kind: OfferKind::MultiShop {
                min_shops: 2,
                percent: 10,
                min_basket: None,
            },
        };
        for (day, state) in [
            (date(2026, 11, 30), OfferState::Upcoming),
            (date(2026, 12, 1), OfferState::Active),
            (date(2026, 12, 24), OfferState::Active),
            (date(2026, 12, 25), OfferState::Ended),
        ] {
            assert_eq!(offer.state_on(day), state, "{day}");
        }
    }
}
