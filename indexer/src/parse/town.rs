//! `town.toml`: the marketplace and its delivery network.

use super::fields::{FileCtx, RawAmount};
use crate::model::OpeningRange;
use crate::model::{
    Address, DeliveryPoint, Geo, HomeDelivery, PointKind, Postal, PostalBand, Town,
};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTown {
    name: Spanned<String>,
    site_name: Spanned<String>,
    base_url: Spanned<String>,
    tagline: Spanned<String>,
    description: Spanned<String>,
    email: Spanned<String>,
    phone: Spanned<String>,
    postcodes: Vec<Spanned<String>>,
    return_days: u32,
    address: RawAddress,
    #[serde(default)]
    delivery_points: Vec<RawPoint>,
    home_delivery: Option<RawHome>,
    postal: Option<RawPostal>,
}

/// An address table, shared by the town and shops.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAddress {
    street: Spanned<String>,
    postcode: Spanned<String>,
    city: Spanned<String>,
}

/// A latitude/longitude table.
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGeo {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    id: Spanned<String>,
    kind: Spanned<String>,
    name: Spanned<String>,
    neighbourhood: Spanned<String>,
    street: Spanned<String>,
    postcode: Spanned<String>,
    city: Spanned<String>,
    geo: Spanned<RawGeo>,
    fee: Spanned<RawAmount>,
    capacity: u32,
    #[serde(default)]
    slots: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHome {
    fee: Spanned<RawAmount>,
    free_from: Option<Spanned<RawAmount>>,
    capacity: u32,
    slots: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPostal {
    days_min: u32,
    days_max: u32,
    bands: Vec<Spanned<RawBand>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    up_to_grams: u32,
    price: Spanned<RawAmount>,
}

/// Parses `town.toml`.
///
/// # Errors
///
/// Every problem found, with its line.
pub fn parse_town(path: &Path, text: &str) -> Result<Town, Vec<crate::Problem>> {
    let mut ctx = FileCtx::new(path, text, 0);
    let town = ctx
        .toml::<RawTown>(text, "see docs/catalogue.md")
        .and_then(|raw| convert(&mut ctx, raw));
    match town {
        Some(town) if ctx.problems.is_empty() => Ok(town),
        _ => Err(ctx.problems),
    }
}

fn convert(ctx: &mut FileCtx<'_>, raw: RawTown) -> Option<Town> {
    let base_url = base_url(ctx, &raw.base_url);
    let phone = ctx.phone(&raw.phone);
    let address = address(ctx, &raw.address);
    for code in &raw.postcodes {
        postcode(ctx, code);
    }
    let points = delivery_points(ctx, &raw.delivery_points);
    let home_delivery = raw.home_delivery.as_ref().and_then(|h| home(ctx, h));
    let postal = raw.postal.as_ref().and_then(|p| postal(ctx, p));
    Some(Town {
        name: ctx.text(&raw.name, "name")?,
        site_name: ctx.text(&raw.site_name, "site_name")?,
        base_url: base_url?,
        tagline: ctx.text(&raw.tagline, "tagline")?,
        description: ctx.text(&raw.description, "description")?,
        email: ctx.text(&raw.email, "email")?,
        phone: phone?,
        address: address?,
        postcodes: raw
            .postcodes
            .iter()
            .map(|p| p.get_ref().trim().to_owned())
            .collect(),
        return_days: raw.return_days,
        delivery_points: points?,
        home_delivery,
        postal,
    })
}

fn base_url(ctx: &mut FileCtx<'_>, raw: &Spanned<String>) -> Option<String> {
    let url = raw.get_ref().trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains('/') && !host.contains(' ') => {
            Some(url.to_owned())
        }
        _ => {
            let hint = "write the site's origin without a trailing slash, e.g. base_url = \"https://www.sceaux-boutiques.fr\"";
            ctx.report(Some(&raw.span()), format!("bad base_url {url:?}"), hint);
            None
        }
    }
}

fn postcode(ctx: &mut FileCtx<'_>, raw: &Spanned<String>) -> Option<String> {
    let code = raw.get_ref().trim();
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(code.to_owned());
    }
    ctx.report(
        Some(&raw.span()),
        format!("bad postcode {code:?}"),
        "write the five digits, e.g. \"92330\"",
    );
    None
}

/// Checks an address table.
pub(super) fn address(ctx: &mut FileCtx<'_>, raw: &RawAddress) -> Option<Address> {
    let street = ctx.text(&raw.street, "street");
    let postcode = postcode(ctx, &raw.postcode);
    let city = ctx.text(&raw.city, "city");
    Some(Address {
        street: street?,
        postcode: postcode?,
        city: city?,
    })
}

/// Checks a geo table: plausible coordinates with at least five decimals.
pub(super) fn geo(ctx: &mut FileCtx<'_>, raw: &Spanned<RawGeo>) -> Option<Geo> {
    let RawGeo { lat, lon } = *raw.get_ref();
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        let hint = "write degrees in WGS 84, e.g. geo = { lat = 48.77689, lon = 2.29045 }";
        ctx.report(
            Some(&raw.span()),
            format!("coordinates {lat}, {lon} are out of range"),
            hint,
        );
        return None;
    }
    Some(Geo { lat, lon })
}

/// Checks time slots such as `"10:00-12:00"`.
pub(super) fn slots(ctx: &mut FileCtx<'_>, raw: &[Spanned<String>]) -> Option<Vec<String>> {
    let mut ok = true;
    for slot in raw {
        if OpeningRange::parse(slot.get_ref()).is_none() {
            ctx.report(
                Some(&slot.span()),
                format!("bad time slot {:?}", slot.get_ref()),
                "write \"HH:MM-HH:MM\", e.g. \"10:00-12:00\"",
            );
            ok = false;
        }
    }
    ok.then(|| raw.iter().map(|s| s.get_ref().trim().to_owned()).collect())
}

fn delivery_points(ctx: &mut FileCtx<'_>, raw: &[RawPoint]) -> Option<Vec<DeliveryPoint>> {
    let mut seen = HashSet::new();
    let points: Vec<Option<DeliveryPoint>> = raw
        .iter()
        .map(|p| {
            let id = ctx.slug(&p.id, "id");
            if let Some(id) = &id
                && !seen.insert(id.clone())
            {
                ctx.report(
                    Some(&p.id.span()),
                    format!("duplicate delivery point id {id:?}"),
                    "give each point its own id",
                );
            }
            point(ctx, p, id)
        })
        .collect();
    points.into_iter().collect()
}

fn point(ctx: &mut FileCtx<'_>, raw: &RawPoint, id: Option<String>) -> Option<DeliveryPoint> {
    let kind = match raw.kind.get_ref().as_str() {
        "locker" => Some(PointKind::Locker),
        "relay" => Some(PointKind::Relay),
        other => {
            ctx.report(
                Some(&raw.kind.span()),
                format!("unknown delivery point kind {other:?}"),
                "write kind = \"locker\" or kind = \"relay\"",
            );
            None
        }
    };
    let address = address(
        ctx,
        &RawAddress {
            street: raw.street.clone(),
            postcode: raw.postcode.clone(),
            city: raw.city.clone(),
        },
    );
    let geo = geo(ctx, &raw.geo);
    let fee = free_or_money(ctx, &raw.fee, "fee");
    let slots = slots(ctx, &raw.slots);
    let name = ctx.text(&raw.name, "name");
    let neighbourhood = ctx.text(&raw.neighbourhood, "neighbourhood");
    Some(DeliveryPoint {
        id: id?,
        kind: kind?,
        name: name?,
        neighbourhood: neighbourhood?,
        address: address?,
        geo: geo?,
        fee: fee?,
        capacity: raw.capacity,
        slots: slots?,
    })
}

/// A fee may be zero, unlike a price.
fn free_or_money(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<RawAmount>,
    field: &str,
) -> Option<crate::Money> {
    match raw.get_ref() {
        RawAmount::Whole(0) => Some(crate::Money::from_cents(0)),
        RawAmount::Text(t) if crate::Money::parse(t).is_ok_and(|m| m.cents() == 0) => {
            Some(crate::Money::from_cents(0))
        }
        _ => ctx.money(raw, field),
    }
}

fn home(ctx: &mut FileCtx<'_>, raw: &RawHome) -> Option<HomeDelivery> {
    let fee = free_or_money(ctx, &raw.fee, "fee");
    let free_from = raw.free_from.as_ref().map(|f| ctx.money(f, "free_from"));
    let slots = slots(ctx, &raw.slots);
    Some(HomeDelivery {
        fee: fee?,
        free_from: free_from.flatten(),
        capacity: raw.capacity,
        slots: slots?,
    })
}

fn postal(ctx: &mut FileCtx<'_>, raw: &RawPostal) -> Option<Postal> {
    let mut bands = Vec::new();
    for band in &raw.bands {
        let price = ctx.money(&band.get_ref().price, "price")?;
        let up_to_grams = band.get_ref().up_to_grams;
        if bands
            .last()
            .is_some_and(|b: &PostalBand| b.up_to_grams >= up_to_grams)
        {
            ctx.report(
                Some(&band.span()),
                "postal bands must go by increasing weight",
                "sort the bands by up_to_grams",
            );
        }
        bands.push(PostalBand { up_to_grams, price });
    }
    if raw.days_min > raw.days_max {
        ctx.report(None, "postal days_min is above days_max", "swap them");
    }
    Some(Postal {
        days_min: raw.days_min,
        days_max: raw.days_max,
        bands,
    })
}
