//! The console's offer form: its fields as sent, and their check into an [`Offer`] with a
//! French message beside each field at fault.
//!
//! Pure: reading and writing `offers.toml` is [`super::offers`]'s.

use crate::shopping::Fields;
use comptoir_indexer::Money;
use comptoir_indexer::model::{Offer, OfferKind, Reduction, normalize_code};
use comptoir_indexer::parse::is_code;
use jiff::civil::Date;

/// Checkboxes of the bundle's aisles are named `rayon-<aisle slug>`.
pub const AISLE_PREFIX: &str = "rayon-";

/// The form's fields, as typed (to refill it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferForm {
    /// `multi_shop`, `bundle` or `code`.
    pub kind: String,
    /// The name shoppers read.
    pub name: String,
    /// `YYYY-MM-DD` or empty.
    pub starts: String,
    /// `YYYY-MM-DD` or empty.
    pub ends: String,
    /// Whole percentage, or empty.
    pub percent: String,
    /// Euros, or empty.
    pub amount: String,
    /// Shops needed (several shops).
    pub min_shops: String,
    /// Least basket in euros, or empty.
    pub min_basket: String,
    /// The bundle's aisles.
    pub aisles: Vec<String>,
    /// The promo code.
    pub code: String,
    /// Most uses, or empty.
    pub max_uses: String,
}

/// A field at fault and what staff read beside it.
pub type FieldError = (&'static str, String);

impl OfferForm {
    /// The fields sent.
    #[must_use]
    pub fn sent(fields: &Fields) -> Self {
        let text = |name| fields.text(name).trim().to_owned();
        Self {
            kind: text("kind"),
            name: text("name"),
            starts: text("starts"),
            ends: text("ends"),
            percent: text("percent"),
            amount: text("amount"),
            min_shops: text("min_shops"),
            min_basket: text("min_basket"),
            aisles: fields
                .with_prefix(AISLE_PREFIX)
                .map(|(slug, _)| slug.to_owned())
                .collect(),
            code: normalize_code(fields.text("code")),
            max_uses: text("max_uses"),
        }
    }

    /// The fields of `offer`, to edit it.
    #[must_use]
    pub fn of(offer: &Offer) -> Self {
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let money = |m: Option<Money>| m.map(Money::to_decimal).unwrap_or_default();
        let mut form = Self {
            name: offer.name.clone(),
            starts: date(offer.starts),
            ends: date(offer.ends),
            ..Self::default()
        };
        match &offer.kind {
            OfferKind::MultiShop {
                min_shops,
                percent,
                min_basket,
            } => {
                form.kind = "multi_shop".into();
                form.min_shops = min_shops.to_string();
                form.percent = percent.to_string();
                form.min_basket = money(*min_basket);
            }
            OfferKind::Bundle {
                aisles,
                reduction: r,
            } => {
                (form.percent, form.amount) = reduction_fields(*r);
                form.kind = "bundle".into();
                form.aisles = aisles.clone();
            }
            OfferKind::Code {
                code,
                reduction: r,
                min_basket,
                max_uses,
            } => {
                (form.percent, form.amount) = reduction_fields(*r);
                form.kind = "code".into();
                form.code = code.clone();
                form.min_basket = money(*min_basket);
                form.max_uses = max_uses.map(|m| m.to_string()).unwrap_or_default();
            }
        }
        form
    }

    /// The offer `id` these fields describe, or every field at fault.
    ///
    /// # Errors
    ///
    /// Each field's problem, in French. `is_aisle` says whether a slug is an aisle of the
    /// catalogue; `others` are the file's offers (a code belongs to one offer).
    pub fn check(
        &self,
        id: &str,
        is_aisle: &dyn Fn(&str) -> bool,
        others: &[Offer],
    ) -> Result<Offer, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.name.is_empty() || self.name.chars().count() > 80 {
            errors.push((
                "name",
                "Donnez un nom à l’offre (80 caractères au plus), par exemple « Panier apéro »."
                    .into(),
            ));
        }
        let starts = date(&self.starts, "starts", &mut errors);
        let ends = date(&self.ends, "ends", &mut errors);
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s
        {
            errors.push(("ends", "La fin doit venir après le début.".into()));
        }
        let kind = match self.kind.as_str() {
            "multi_shop" => self.multi_shop(&mut errors),
            "bundle" => self.bundle(is_aisle, &mut errors),
            "code" => self.code(others, id, &mut errors),
            _ => {
                errors.push(("kind", "Choisissez le type d’offre.".into()));
                None
            }
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(Offer {
                id: id.to_owned(),
                name: self.name.clone(),
                starts,
                ends,
                kind,
            }),
            _ => Err(errors),
        }
    }

    fn multi_shop(&self, errors: &mut Vec<FieldError>) -> Option<OfferKind> {
        let min_shops = match self.min_shops.parse::<u32>() {
            Ok(n) if (2..=50).contains(&n) => Some(n),
            _ => {
                errors.push((
                    "min_shops",
                    "Indiquez un nombre de boutiques, 2 ou plus.".into(),
                ));
                None
            }
        };
        let percent = percent(&self.percent, errors);
        let min_basket = optional_money(&self.min_basket, "min_basket", errors);
        Some(OfferKind::MultiShop {
            min_shops: min_shops?,
            percent: percent?,
            min_basket: min_basket?,
        })
    }

    fn bundle(
        &self,
        is_aisle: &dyn Fn(&str) -> bool,
        errors: &mut Vec<FieldError>,
    ) -> Option<OfferKind> {
        let known = self.aisles.iter().all(|a| is_aisle(a));
        if self.aisles.len() < 2 || !known {
            errors.push((
                "aisles",
                "Cochez au moins deux rayons : un article de chacun forme le panier.".into(),
            ));
        }
        let reduction = self.reduction(errors);
        Some(OfferKind::Bundle {
            aisles: self.aisles.clone(),
            reduction: reduction?,
        })
    }

    fn code(&self, others: &[Offer], id: &str, errors: &mut Vec<FieldError>) -> Option<OfferKind> {
        if !is_code(&self.code) {
            errors.push((
                "code",
                "Écrivez un code de 3 à 30 lettres, chiffres ou tirets, par exemple NOEL-2026."
                    .into(),
            ));
        } else if others
            .iter()
            .any(|o| o.id != id && o.code() == Some(self.code.as_str()))
        {
            errors.push((
                "code",
                "Une autre offre a déjà ce code : choisissez-en un autre.".into(),
            ));
        }
        let reduction = self.reduction(errors);
        let min_basket = optional_money(&self.min_basket, "min_basket", errors);
        let max_uses = match self.max_uses.as_str() {
            "" => Some(None),
            text => match text.parse::<u32>() {
                Ok(n) if n > 0 => Some(Some(n)),
                _ => {
                    errors.push((
                        "max_uses",
                        "Indiquez un nombre d’utilisations, 1 ou plus, ou laissez vide.".into(),
                    ));
                    None
                }
            },
        };
        Some(OfferKind::Code {
            code: self.code.clone(),
            reduction: reduction?,
            min_basket: min_basket?,
            max_uses: max_uses?,
        })
    }

    /// A percentage or an amount, not both.
    fn reduction(&self, errors: &mut Vec<FieldError>) -> Option<Reduction> {
        match (self.percent.is_empty(), self.amount.is_empty()) {
            (false, true) => percent(&self.percent, errors).map(Reduction::Percent),
            (true, false) => match Money::parse(&self.amount) {
                Ok(m) if m.cents() > 0 => Some(Reduction::Amount(m)),
                _ => {
                    errors.push((
                        "amount",
                        "Écrivez un montant en euros, par exemple 5,00.".into(),
                    ));
                    None
                }
            },
            _ => {
                errors.push((
                    "percent",
                    "Indiquez soit un pourcentage, soit un montant (pas les deux).".into(),
                ));
                None
            }
        }
    }
}

/// The percent and amount fields of `reduction` (one of them empty).
fn reduction_fields(reduction: Reduction) -> (String, String) {
    match reduction {
        Reduction::Percent(p) => (p.to_string(), String::new()),
        Reduction::Amount(a) => (String::new(), a.to_decimal()),
    }
}

fn percent(text: &str, errors: &mut Vec<FieldError>) -> Option<u32> {
    match text.parse::<u32>() {
        Ok(p) if (1..=100).contains(&p) => Some(p),
        _ => {
            errors.push((
                "percent",
                "Indiquez un pourcentage entier entre 1 et 100.".into(),
            ));
            None
        }
    }
}

/// `Some(None)` for an empty field.
fn optional_money(
    text: &str,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<Option<Money>> {
    if text.is_empty() {
        return Some(None);
    }
    match Money::parse(text) {
        Ok(m) if m.cents() > 0 => Some(Some(m)),
        _ => {
            errors.push((
                field,
                "Écrivez un montant en euros, par exemple 20,00, ou laissez vide.".into(),
            ));
            None
        }
    }
}

fn date(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<Date> {
    if text.is_empty() {
        return None;
    }
    let parsed = text.parse::<Date>().ok();
    if parsed.is_none() {
        errors.push((
            field,
            "Écrivez une date au format AAAA-MM-JJ, par exemple 2026-12-24.".into(),
        ));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_at_fault_is_named() {
        let form = OfferForm {
            kind: "code".into(),
            code: "x".into(),
            percent: "10".into(),
            amount: "5".into(),
            starts: "2026-12-24".into(),
            ends: "2026-12-01".into(),
            max_uses: "0".into(),
            ..OfferForm::default()
        };
        let errors = form.check("x", &|_| true, &[]).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "ends", "code", "percent", "max_uses"]);
    }

    #[test]
    fn a_bundle_needs_two_known_aisles_and_one_reduction() {
        let form = OfferForm {
            kind: "bundle".into(),
            name: "Panier apéro".into(),
            amount: "3,00".into(),
            aisles: vec!["cave".into(), "fromagerie".into()],
            ..OfferForm::default()
        };
        let offer = form.check("apero", &|a| a != "caviar", &[]).expect("valid");
        assert_eq!(OfferForm::of(&offer).amount, "3.00");
        let unknown = OfferForm {
            aisles: vec!["cave".into(), "caviar".into()],
            ..form
        };
        let errors = unknown
            .check("apero", &|a| a != "caviar", &[])
            .expect_err("invalid");
        assert_eq!(
            errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["aisles"]
        );
    }
}
