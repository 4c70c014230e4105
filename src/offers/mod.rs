//! What the association's cross-shop offers take off a cart, and each shop's share.
//!
//! Pure: [`discounts`] is given the cart's available lines, the offers, the day and the
//! promo code typed (with how many orders used it), and says what applies, why in French,
//! and how the total splits between shops. The database side — the code kept on the
//! cart, the count of uses taken inside the order's transaction — is [`codes`].
//!
//! How offers combine (documented in `docs/catalogue.md`):
//! - of the automatic offers (several shops, bundles) running today, the one taking off
//!   the most applies (the first in the file on a tie);
//! - at most one promo code adds to it, computed on the items' total;
//! - percentages are rounded down to the cent, and the discounts together never exceed
//!   the items' total (the code's part is cut first).
//!
//! Each discount is split between shops pro rata to what it was computed on (the shops'
//! subtotals; for a bundle, its items), by largest remainder ([`allocate`]): the shares
//! are whole cents and add up exactly to the discount.

pub mod basket;
pub use basket::{for_cart, for_cart_now, hints};
pub mod codes;

use comptoir_indexer::Money;
use comptoir_indexer::model::{Offer, OfferKind, OfferState, Reduction};
use jiff::civil::Date;

/// One available cart line as offers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The shop's index in the catalogue.
    pub shop: usize,
    /// The product's aisle and every aisle above it (slugs).
    pub aisles: Vec<String>,
    /// Price of one, on the day.
    pub unit_price: Money,
    /// How many.
    pub quantity: u32,
}

/// The promo code a shopper typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInput<'a> {
    /// As typed (case and spaces do not matter).
    pub code: &'a str,
    /// Orders that used it so far.
    pub uses: u32,
}

/// What [`discounts`] needs besides the lines and offers.
pub struct Context<'a> {
    /// The day (Paris time).
    pub today: Date,
    /// The promo code, if one was typed.
    pub code: Option<CodeInput<'a>>,
    /// An aisle's name from its slug ("Vins rouges").
    pub aisle_name: &'a dyn Fn(&str) -> String,
}

/// One offer that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The offer's id.
    pub offer: String,
    /// How much it takes off.
    pub amount: Money,
    /// Why, in French ("−10 % : vos achats viennent de 2 boutiques").
    pub why: String,
}

/// Why a typed code does not apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// No offer has this code.
    #[error("unknown code {0:?}")]
    Unknown(String),
    /// It starts later.
    #[error("code {code:?} starts on {starts}")]
    NotYet {
        /// The code.
        code: String,
        /// Its first day.
        starts: Date,
    },
    /// It ended.
    #[error("code {0:?} has ended")]
    Expired(String),
    /// Every use was taken.
    #[error("code {0:?} was used as many times as allowed")]
    Exhausted(String),
    /// The basket is below the code's minimum.
    #[error("code {code:?} needs a basket of {min:?}")]
    BelowMinimum {
        /// The code.
        code: String,
        /// The least basket.
        min: Money,
    },
}

impl CodeError {
    /// What the shopper reads, with what to do.
    #[must_use]
    pub fn french_message(&self) -> String {
        match self {
            Self::Unknown(code) => {
                format!("Le code « {code} » n’existe pas : vérifiez son orthographe.")
            }
            Self::NotYet { code, starts } => format!(
                "Le code « {code} » n’est valable qu’à partir du {:02}/{:02}/{} : revenez ce jour-là ou retirez-le.",
                starts.day(),
                starts.month(),
                starts.year()
            ),
            Self::Expired(code) => {
                format!("Le code « {code} » a expiré : retirez-le pour commander.")
            }
            Self::Exhausted(code) => format!(
                "Le code « {code} » a déjà été utilisé autant de fois que prévu : retirez-le pour commander."
            ),
            Self::BelowMinimum { code, min } => format!(
                "Le code « {code} » demande au moins {} d’achats : complétez votre panier ou retirez-le.",
                min.to_french()
            ),
        }
    }
}

/// What the offers take off a cart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Discounts {
    /// The offers that apply: the best automatic one, then the code.
    pub applied: Vec<Applied>,
    /// Their total.
    pub total: Money,
    /// Each shop's share (shop index, amount), in shop order, summing to `total`.
    pub by_shop: Vec<(usize, Money)>,
    /// The code that applies, normalised.
    pub code: Option<String>,
    /// Why the typed code does not apply.
    pub code_error: Option<CodeError>,
}

impl Discounts {
    /// The share of the shop `shop`.
    #[must_use]
    pub fn of_shop(&self, shop: usize) -> Money {
        self.by_shop
            .iter()
            .find(|(s, _)| *s == shop)
            .map_or(Money::default(), |(_, m)| *m)
    }
}

/// A discount computed on `base` (shop, cents it was computed on).
struct Candidate {
    applied: Applied,
    base: Vec<(usize, i64)>,
}

/// What `offers` take off `lines` (see the module documentation for the rules).
#[must_use]
pub fn discounts(lines: &[Line], offers: &[Offer], cx: &Context<'_>) -> Discounts {
    let subtotals = subtotals(lines);
    let items: i64 = subtotals.iter().map(|(_, c)| c).sum();
    let automatic = offers
        .iter()
        .filter(|o| o.state_on(cx.today) == OfferState::Active)
        .filter_map(|o| automatic(o, lines, &subtotals, cx))
        .filter(|c| c.applied.amount.cents() > 0)
        .fold(None::<Candidate>, |best, c| match best {
            Some(b) if b.applied.amount >= c.applied.amount => Some(b),
            _ => Some(c),
        });
    let mut result = Discounts::default();
    let mut parts: Vec<Candidate> = automatic.into_iter().collect();
    if let Some(input) = cx.code {
        let left = items - parts.first().map_or(0, |c| c.applied.amount.cents());
        match code(input, offers, &subtotals, cx.today) {
            Ok(mut candidate) => {
                let amount = candidate.applied.amount.cents().min(left);
                candidate.applied.amount = Money::from_cents(amount);
                result.code = offers
                    .iter()
                    .find(|o| o.id == candidate.applied.offer)
                    .and_then(Offer::code)
                    .map(str::to_owned);
                parts.push(candidate);
            }
            Err(error) => result.code_error = Some(error),
        }
    }
    let mut by_shop: Vec<(usize, i64)> = subtotals.iter().map(|(s, _)| (*s, 0)).collect();
    for part in &parts {
        for (shop, share) in allocate(part.applied.amount.cents(), &part.base) {
            if let Some(slot) = by_shop.iter_mut().find(|(s, _)| *s == shop) {
                slot.1 += share;
            }
        }
    }
    result.total = Money::from_cents(parts.iter().map(|p| p.applied.amount.cents()).sum());
    result.by_shop = by_shop
        .into_iter()
        .map(|(s, c)| (s, Money::from_cents(c)))
        .collect();
    result.applied = parts.into_iter().map(|p| p.applied).collect();
    result
}

/// Each shop's subtotal in cents, in shop order.
fn subtotals(lines: &[Line]) -> Vec<(usize, i64)> {
    let mut shops: Vec<(usize, i64)> = Vec::new();
    for line in lines {
        let total = line.unit_price.cents() * i64::from(line.quantity);
        match shops.iter_mut().find(|(s, _)| *s == line.shop) {
            Some(slot) => slot.1 += total,
            None => shops.push((line.shop, total)),
        }
    }
    shops.sort_by_key(|(s, _)| *s);
    shops.retain(|(_, c)| *c > 0);
    shops
}

fn automatic(
    offer: &Offer,
    lines: &[Line],
    subtotals: &[(usize, i64)],
    cx: &Context<'_>,
) -> Option<Candidate> {
    match &offer.kind {
        OfferKind::MultiShop {
            min_shops,
            percent,
            min_basket,
        } => {
            let shops = u32::try_from(subtotals.len()).unwrap_or(u32::MAX);
            let items: i64 = subtotals.iter().map(|(_, c)| c).sum();
            if shops < *min_shops || min_basket.is_some_and(|m| items < m.cents()) {
                return None;
            }
            let why = format!("−{percent} % : vos achats viennent de {shops} boutiques");
            Some(candidate(
                offer,
                percent_of(items, *percent),
                why,
                subtotals.to_vec(),
            ))
        }
        OfferKind::Bundle { aisles, reduction } => {
            let base = bundle_items(lines, aisles)?;
            let worth: i64 = base.iter().map(|(_, c)| c).sum();
            let names: Vec<String> = aisles.iter().map(|a| (cx.aisle_name)(a)).collect();
            let why = format!(
                "{} : {} pour un article de chaque rayon ({})",
                offer.name,
                reduction.to_french(),
                names.join(", ")
            );
            Some(candidate(offer, reduce(worth, *reduction), why, base))
        }
        OfferKind::Code { .. } => None,
    }
}

fn candidate(offer: &Offer, cents: i64, why: String, base: Vec<(usize, i64)>) -> Candidate {
    Candidate {
        applied: Applied {
            offer: offer.id.clone(),
            amount: Money::from_cents(cents),
            why,
        },
        base,
    }
}

/// The bundle's items, one per aisle (the cheapest unit not taken by an earlier aisle),
/// as (shop, cents) in shop order; `None` when an aisle has none.
fn bundle_items(lines: &[Line], aisles: &[String]) -> Option<Vec<(usize, i64)>> {
    let mut left: Vec<u32> = lines.iter().map(|l| l.quantity).collect();
    let mut base: Vec<(usize, i64)> = Vec::new();
    for aisle in aisles {
        let pick = (0..lines.len())
            .filter(|&i| left[i] > 0 && lines[i].aisles.iter().any(|a| a == aisle))
            .min_by_key(|&i| (lines[i].unit_price, i))?;
        left[pick] -= 1;
        let (shop, cents) = (lines[pick].shop, lines[pick].unit_price.cents());
        match base.iter_mut().find(|(s, _)| *s == shop) {
            Some(slot) => slot.1 += cents,
            None => base.push((shop, cents)),
        }
    }
    base.sort_by_key(|(s, _)| *s);
    Some(base)
}

fn code(
    input: CodeInput<'_>,
    offers: &[Offer],
    subtotals: &[(usize, i64)],
    today: Date,
) -> Result<Candidate, CodeError> {
    let typed = comptoir_indexer::model::normalize_code(input.code);
    let found = offers.iter().find_map(|o| match &o.kind {
        OfferKind::Code {
            code,
            reduction,
            min_basket,
            max_uses,
        } if *code == typed => Some((o, *reduction, *min_basket, *max_uses)),
        _ => None,
    });
    let Some((offer, reduction, min_basket, max_uses)) = found else {
        return Err(CodeError::Unknown(typed));
    };
    let items: i64 = subtotals.iter().map(|(_, c)| c).sum();
    match offer.state_on(today) {
        OfferState::Upcoming => Err(CodeError::NotYet {
            code: typed,
            starts: offer.starts.unwrap_or(today),
        }),
        OfferState::Ended => Err(CodeError::Expired(typed)),
        OfferState::Active if max_uses.is_some_and(|m| input.uses >= m) => {
            Err(CodeError::Exhausted(typed))
        }
        OfferState::Active => match min_basket {
            Some(min) if items < min.cents() => Err(CodeError::BelowMinimum { code: typed, min }),
            _ => {
                let why = format!(
                    "{} : {} avec le code {typed}",
                    offer.name,
                    reduction.to_french()
                );
                Ok(candidate(
                    offer,
                    reduce(items, reduction),
                    why,
                    subtotals.to_vec(),
                ))
            }
        },
    }
}

/// `percent` of `cents`, rounded down to the cent.
fn percent_of(cents: i64, percent: u32) -> i64 {
    cents * i64::from(percent) / 100
}

/// What `reduction` takes off `cents` (never more than `cents`).
fn reduce(cents: i64, reduction: Reduction) -> i64 {
    match reduction {
        Reduction::Percent(p) => percent_of(cents, p),
        Reduction::Amount(a) => a.cents().min(cents),
    }
}

/// Splits `total` cents between `weights` (key, weight) pro rata, by largest remainder:
/// each share is the floor of its exact part, and the cents left go one each to the
/// largest remainders (the earliest key on a tie). The shares add up to `total`.
#[must_use]
pub fn allocate(total: i64, weights: &[(usize, i64)]) -> Vec<(usize, i64)> {
    let sum: i128 = weights.iter().map(|(_, w)| i128::from(*w)).sum();
    if sum <= 0 {
        return weights.iter().map(|(k, _)| (*k, 0)).collect();
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|(_, w)| {
            let product = i128::from(total) * i128::from(*w);
            (product / sum, product % sum)
        })
        .collect();
    let given: i128 = exact.iter().map(|(q, _)| q).sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    let left = usize::try_from(i128::from(total) - given).unwrap_or(0);
    let mut shares: Vec<i64> = exact
        .iter()
        .map(|(q, _)| i64::try_from(*q).unwrap_or(0))
        .collect();
    for &i in order.iter().take(left) {
        shares[i] += 1;
    }
    weights.iter().map(|(k, _)| *k).zip(shares).collect()
}

#[cfg(test)]
mod tests;
