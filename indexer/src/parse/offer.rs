//! `content/offers.toml`: the association's cross-shop offers, one `[[offer]]` table each
//! (an empty file means none). Every problem is reported with its line.

use super::fields::{FileCtx, RawAmount};
use crate::model::{Offer, OfferKind, Reduction};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    offer: Vec<RawOffer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    id: Spanned<String>,
    name: Spanned<String>,
    kind: Spanned<String>,
    starts: Option<Spanned<toml::value::Datetime>>,
    ends: Option<Spanned<toml::value::Datetime>>,
    min_shops: Option<Spanned<u32>>,
    percent: Option<Spanned<u32>>,
    amount: Option<Spanned<RawAmount>>,
    min_basket: Option<Spanned<RawAmount>>,
    aisles: Option<Spanned<Vec<String>>>,
    code: Option<Spanned<String>>,
    max_uses: Option<Spanned<u32>>,
}

/// Parses `offers.toml`; `aisles` are the aisle slugs of `categories.toml`.
///
/// # Errors
///
/// Every problem found, with its line.
pub fn parse_offers(
    path: &Path,
    text: &str,
    aisles: &HashSet<String>,
) -> Result<Vec<Offer>, Vec<crate::Problem>> {
    let mut ctx = FileCtx::new(path, text, 0);
    let hint = "see docs/catalogue.md (offers.toml)";
    let raw = ctx.toml::<RawFile>(text, hint).unwrap_or_default();
    let mut offers = Vec::new();
    let (mut ids, mut codes) = (HashSet::new(), HashSet::new());
    for raw in &raw.offer {
        let Some(offer) = offer(&mut ctx, raw, aisles) else {
            continue;
        };
        if !ids.insert(offer.id.clone()) {
            let message = format!("two offers have the id {:?}", offer.id);
            ctx.report(Some(&raw.id.span()), message, "give each offer its own id");
        }
        if let Some(code) = offer.code().filter(|c| !codes.insert(c.to_string())) {
            let message = format!("two offers have the code {code:?}");
            ctx.report(
                raw.code.as_ref().map(|c| c.span()).as_ref(),
                message,
                "give each code to one offer",
            );
        }
        offers.push(offer);
    }
    if ctx.problems.is_empty() {
        Ok(offers)
    } else {
        Err(ctx.problems)
    }
}

fn offer(ctx: &mut FileCtx<'_>, raw: &RawOffer, aisles: &HashSet<String>) -> Option<Offer> {
    let id = ctx.slug(&raw.id, "id");
    let name = ctx.text(&raw.name, "name");
    let starts = raw.starts.as_ref().and_then(|d| ctx.date(d, "starts"));
    let ends = raw.ends.as_ref().and_then(|d| ctx.date(d, "ends"));
    if let (Some(s), Some(e), Some(span)) = (starts, ends, raw.ends.as_ref())
        && e < s
    {
        ctx.report(
            Some(&span.span()),
            "ends is before starts",
            "write a last day on or after the first day",
        );
    }
    let kind = match raw.kind.get_ref().as_str() {
        "multi_shop" => multi_shop(ctx, raw),
        "bundle" => bundle(ctx, raw, aisles),
        "code" => code(ctx, raw),
        other => {
            let message = format!("unknown kind {other:?}");
            ctx.report(
                Some(&raw.kind.span()),
                message,
                "write kind = \"multi_shop\", \"bundle\" or \"code\"",
            );
            None
        }
    };
    Some(Offer {
        id: id?,
        name: name?,
        starts,
        ends,
        kind: kind?,
    })
}

fn multi_shop(ctx: &mut FileCtx<'_>, raw: &RawOffer) -> Option<OfferKind> {
    let min_shops = match &raw.min_shops {
        Some(n) if *n.get_ref() >= 2 => Some(*n.get_ref()),
        Some(n) => {
            ctx.report(
                Some(&n.span()),
                "min_shops must be 2 or more",
                "e.g. min_shops = 2",
            );
            None
        }
        None => {
            ctx.report(
                Some(&raw.kind.span()),
                "a multi_shop offer needs min_shops",
                "add min_shops = 2",
            );
            None
        }
    };
    let percent = percent(ctx, raw, true)?;
    let min_basket = raw.min_basket.as_ref().map(|m| ctx.money(m, "min_basket"));
    Some(OfferKind::MultiShop {
        min_shops: min_shops?,
        percent: percent?,
        min_basket: min_basket.flatten(),
    })
}

fn bundle(ctx: &mut FileCtx<'_>, raw: &RawOffer, known: &HashSet<String>) -> Option<OfferKind> {
    let Some(list) = &raw.aisles else {
        let hint = "add aisles = [\"vins-rouges\", \"fromagerie\", \"boulangerie\"]";
        ctx.report(Some(&raw.kind.span()), "a bundle needs aisles", hint);
        return None;
    };
    let mut ok = list.get_ref().len() >= 2;
    if !ok {
        ctx.report(
            Some(&list.span()),
            "a bundle needs at least 2 aisles",
            "list an aisle per item of the bundle",
        );
    }
    for aisle in list.get_ref() {
        if !known.contains(aisle) {
            let message = format!("unknown aisle {aisle:?}");
            ctx.report(
                Some(&list.span()),
                message,
                "use an aisle slug from categories.toml",
            );
            ok = false;
        }
    }
    let reduction = reduction(ctx, raw)??;
    ok.then(|| OfferKind::Bundle {
        aisles: list.get_ref().clone(),
        reduction,
    })
}

fn code(ctx: &mut FileCtx<'_>, raw: &RawOffer) -> Option<OfferKind> {
    let code = match &raw.code {
        Some(c) if is_code(c.get_ref()) => Some(c.get_ref().clone()),
        Some(c) => {
            let message = format!("bad code {:?}", c.get_ref());
            let hint =
                "use 3 to 30 uppercase letters, digits and hyphens, e.g. code = \"NOEL-2026\"";
            ctx.report(Some(&c.span()), message, hint);
            None
        }
        None => {
            ctx.report(
                Some(&raw.kind.span()),
                "a code offer needs code",
                "add code = \"NOEL-2026\"",
            );
            None
        }
    };
    let reduction = reduction(ctx, raw);
    let min_basket = raw.min_basket.as_ref().map(|m| ctx.money(m, "min_basket"));
    let max_uses = match &raw.max_uses {
        Some(n) if *n.get_ref() == 0 => {
            ctx.report(
                Some(&n.span()),
                "max_uses must be 1 or more",
                "remove it for no limit",
            );
            return None;
        }
        other => other.as_ref().map(|n| *n.get_ref()),
    };
    Some(OfferKind::Code {
        code: code?,
        reduction: reduction??,
        min_basket: min_basket.flatten(),
        max_uses,
    })
}

/// 3 to 30 uppercase ASCII letters, digits and hyphens.
#[must_use]
pub fn is_code(text: &str) -> bool {
    (3..=30).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// `percent` (1 to 100), required when `required`; `Some(None)` when absent and allowed.
fn percent(ctx: &mut FileCtx<'_>, raw: &RawOffer, required: bool) -> Option<Option<u32>> {
    match &raw.percent {
        Some(p) if (1..=100).contains(p.get_ref()) => Some(Some(*p.get_ref())),
        Some(p) => {
            ctx.report(
                Some(&p.span()),
                "percent must be between 1 and 100",
                "e.g. percent = 10",
            );
            Some(None)
        }
        None if required => {
            ctx.report(
                Some(&raw.kind.span()),
                "this offer needs percent",
                "add percent = 10",
            );
            Some(None)
        }
        None => Some(None),
    }
}

/// Exactly one of `percent` and `amount`.
fn reduction(ctx: &mut FileCtx<'_>, raw: &RawOffer) -> Option<Option<Reduction>> {
    match (&raw.percent, &raw.amount) {
        (Some(_), Some(amount)) => {
            ctx.report(
                Some(&amount.span()),
                "write percent or amount, not both",
                "remove one",
            );
            Some(None)
        }
        (None, Some(amount)) => Some(ctx.money(amount, "amount").map(Reduction::Amount)),
        (Some(_), None) => Some(percent(ctx, raw, true)?.map(Reduction::Percent)),
        (None, None) => {
            let hint = "add percent = 10 or amount = \"5.00\"";
            ctx.report(
                Some(&raw.kind.span()),
                "this offer needs percent or amount",
                hint,
            );
            Some(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::write_offers;
    use jiff::civil::date;

    fn aisles() -> HashSet<String> {
        ["vins-rouges", "fromagerie", "boulangerie"]
            .map(String::from)
            .into()
    }

    const FILE: &str = r#"
[[offer]]
id = "deux-boutiques"
name = "Deux boutiques"
kind = "multi_shop"
min_shops = 2
percent = 10
min_basket = "20.00"

[[offer]]
id = "panier-apero"
name = "Panier apéro"
kind = "bundle"
aisles = ["vins-rouges", "fromagerie", "boulangerie"]
amount = "3.00"

[[offer]]
id = "noel"
name = "Code de Noël"
kind = "code"
code = "NOEL-2026"
percent = 15
starts = 2026-12-01
ends = 2026-12-24
max_uses = 100
"#;

    #[test]
    fn the_three_kinds_parse_and_write_back() {
        let offers = parse_offers(Path::new("offers.toml"), FILE, &aisles()).expect("valid");
        assert_eq!(offers.len(), 3);
        assert_eq!(offers[2].starts, Some(date(2026, 12, 1)));
        assert_eq!(
            offers[1].kind,
            OfferKind::Bundle {
                aisles: vec![
                    "vins-rouges".into(),
                    "fromagerie".into(),
                    "boulangerie".into()
                ],
                reduction: Reduction::Amount(crate::Money::from_cents(300)),
            }
        );
        let written = write_offers(&offers);
        let again = parse_offers(Path::new("offers.toml"), &written, &aisles()).expect("valid");
        assert_eq!(again, offers);
        assert_eq!(
            parse_offers(Path::new("offers.toml"), "", &aisles()).expect("empty"),
            []
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = "[[offer]]\nid = \"x\"\nname = \"X\"\nkind = \"code\"\ncode = \"noel\"\npercent = 120\n\n[[offer]]\nid = \"y\"\nname = \"Y\"\nkind = \"bundle\"\naisles = [\"caviar\"]\namount = \"2\"\n";
        let problems = parse_offers(Path::new("offers.toml"), bad, &aisles()).expect_err("invalid");
        let found: Vec<(Option<usize>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Some(5), "bad code \"noel\""),
                (Some(6), "percent must be between 1 and 100"),
                (Some(12), "a bundle needs at least 2 aisles"),
                (Some(12), "unknown aisle \"caviar\""),
            ]
        );
    }
}
