//! `shops/<shop>/shop.toml`: one shop.

use super::fields::FileCtx;
use super::town::{RawAddress, RawGeo, address, geo};
use crate::model::{Acceptance, DeliveryMode, Hours, Image, OpeningRange, Shop, Trade, Weekday};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShop {
    name: Spanned<String>,
    trade: Spanned<String>,
    description: Spanned<String>,
    phone: Spanned<String>,
    email: Option<Spanned<String>>,
    charter_signed: Option<Spanned<toml::value::Datetime>>,
    charter: Option<Spanned<RawAcceptance>>,
    #[serde(default)]
    suspended: bool,
    suspended_reason: Option<Spanned<String>>,
    delivery: Spanned<Vec<Spanned<String>>>,
    preparation_minutes: u32,
    image: Option<Spanned<String>>,
    updated: Option<Spanned<toml::value::Datetime>>,
    address: RawAddress,
    geo: Spanned<RawGeo>,
    #[serde(default)]
    hours: RawHours,
}

/// `charter = { version = "2026-11", accepted = 2026-11-29, by = "anne@exemple.fr" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAcceptance {
    version: Spanned<String>,
    accepted: Spanned<toml::value::Datetime>,
    by: Spanned<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHours {
    monday: Option<Vec<Spanned<String>>>,
    tuesday: Option<Vec<Spanned<String>>>,
    wednesday: Option<Vec<Spanned<String>>>,
    thursday: Option<Vec<Spanned<String>>>,
    friday: Option<Vec<Spanned<String>>>,
    saturday: Option<Vec<Spanned<String>>>,
    sunday: Option<Vec<Spanned<String>>>,
}

/// Parses a `shop.toml`; `images` holds the sizes of the pictures in the shop's folder.
///
/// # Errors
///
/// Every problem found, with its line.
pub fn parse_shop(
    path: &Path,
    slug: &str,
    text: &str,
    images: &HashMap<String, (u32, u32)>,
) -> Result<Shop, Vec<crate::Problem>> {
    let mut ctx = FileCtx::new(path, text, 0);
    let shop = ctx
        .toml::<RawShop>(text, "see docs/catalogue.md")
        .and_then(|raw| convert(&mut ctx, slug, raw, images));
    match shop {
        Some(shop) if ctx.problems.is_empty() => Ok(shop),
        _ => Err(ctx.problems),
    }
}

fn convert(
    ctx: &mut FileCtx<'_>,
    slug: &str,
    raw: RawShop,
    images: &HashMap<String, (u32, u32)>,
) -> Option<Shop> {
    let trade = Trade::from_key(raw.trade.get_ref());
    if trade.is_none() {
        let hint = format!("use one of: {}", Trade::keys().join(", "));
        ctx.report(
            Some(&raw.trade.span()),
            format!("unknown trade {:?}", raw.trade.get_ref()),
            hint,
        );
    }
    let delivery = delivery_modes(ctx, &raw.delivery);
    let hours = hours(ctx, &raw.hours);
    let phone = ctx.phone(&raw.phone);
    let address = address(ctx, &raw.address);
    let geo = geo(ctx, &raw.geo);
    let charter_signed = raw
        .charter_signed
        .as_ref()
        .map(|d| ctx.date(d, "charter_signed"));
    // `Some(None)`: no acceptance written; `None`: one with a problem.
    let charter = match &raw.charter {
        Some(a) => acceptance(ctx, a.get_ref()).map(Some),
        None => Some(None),
    };
    let updated = raw.updated.as_ref().map(|d| ctx.date(d, "updated"));
    let image = raw.image.as_ref().map(|i| image(ctx, i, images));
    let (name, description) = (
        ctx.text(&raw.name, "name"),
        ctx.text(&raw.description, "description"),
    );
    Some(Shop {
        slug: slug.to_owned(),
        name: name?,
        trade: trade?,
        description: description?,
        phone: phone?,
        email: raw.email.map(|e| e.into_inner()),
        address: address?,
        geo: geo?,
        hours: hours?,
        delivery: delivery?,
        preparation_minutes: raw.preparation_minutes,
        charter_signed: charter_signed.flatten().or_else(|| {
            charter
                .as_ref()
                .and_then(|a| a.as_ref().map(|a| a.accepted))
        }),
        charter: charter?,
        suspended: raw.suspended,
        suspended_reason: raw
            .suspended_reason
            .map(|r| r.into_inner().trim().to_owned())
            .filter(|r| !r.is_empty()),
        online: true,
        image: image.flatten(),
        updated: updated.flatten(),
    })
}

/// Checks an acceptance of the charter.
fn acceptance(ctx: &mut FileCtx<'_>, raw: &RawAcceptance) -> Option<Acceptance> {
    let version = ctx.text(&raw.version, "charter.version");
    let accepted = ctx.date(&raw.accepted, "charter.accepted");
    let by = ctx.text(&raw.by, "charter.by");
    Some(Acceptance {
        version: version?,
        accepted: accepted?,
        by: by?,
    })
}

/// Checks a list of delivery mode names.
pub(super) fn delivery_modes(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<Vec<Spanned<String>>>,
) -> Option<Vec<DeliveryMode>> {
    let mut modes = Vec::new();
    for key in raw.get_ref() {
        match DeliveryMode::from_key(key.get_ref()) {
            Some(mode) if !modes.contains(&mode) => modes.push(mode),
            Some(_) => {}
            None => {
                let hint = "use click_collect, locker, relay, home or post";
                ctx.report(
                    Some(&key.span()),
                    format!("unknown delivery mode {:?}", key.get_ref()),
                    hint,
                );
                return None;
            }
        }
    }
    if modes.is_empty() {
        ctx.report(
            Some(&raw.span()),
            "no delivery mode",
            "list at least one, e.g. delivery = [\"click_collect\"]",
        );
        return None;
    }
    modes.sort();
    Some(modes)
}

/// Finds a picture in the shop's folder.
pub(super) fn image(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<String>,
    images: &HashMap<String, (u32, u32)>,
) -> Option<Image> {
    image_at(ctx, raw.get_ref(), &raw.span(), images)
}

/// Finds the picture `file`, written at `span`, in the shop's folder.
pub(super) fn image_at(
    ctx: &mut FileCtx<'_>,
    file: &str,
    span: &std::ops::Range<usize>,
    images: &HashMap<String, (u32, u32)>,
) -> Option<Image> {
    if let Some(&(width, height)) = images.get(file) {
        return Some(Image {
            file: file.to_owned(),
            width,
            height,
            alt: None,
        });
    }
    let hint =
        "put the picture (JPEG, PNG or WebP) in the shop's images/ folder, or fix the file name";
    ctx.report(Some(span), format!("missing image {file:?}"), hint);
    None
}

fn hours(ctx: &mut FileCtx<'_>, raw: &RawHours) -> Option<Hours> {
    let days = [
        &raw.monday,
        &raw.tuesday,
        &raw.wednesday,
        &raw.thursday,
        &raw.friday,
        &raw.saturday,
        &raw.sunday,
    ];
    let mut hours = Hours::default();
    let mut ok = true;
    for (day, ranges) in Weekday::ALL.into_iter().zip(days) {
        for range in ranges.iter().flatten() {
            match OpeningRange::parse(range.get_ref()) {
                Some(r) => hours.0[day as usize].push(r),
                None => {
                    ok = false;
                    let hint = format!(
                        "write {} = [\"09:00-12:30\", \"14:00-19:00\"]",
                        day.schema_name().to_lowercase()
                    );
                    ctx.report(
                        Some(&range.span()),
                        format!("bad opening hours {:?}", range.get_ref()),
                        hint,
                    );
                }
            }
        }
    }
    ok.then_some(hours)
}
