//! The day's deliveries (`/admin/livraisons?jour=YYYY-MM-DD`, today in Paris by default):
//! every locker, relay slot and home-delivery slot with its parcels, places booked against
//! capacity; and the round sheet (`/admin/livraisons/tournee`), the same parcels as stops
//! in the order of the day, for the delivery person to print, tick and sign.

use crate::AppState;
use crate::backoffice::auth::Staff;
use crate::backoffice::layout;
use crate::delivery::{Usage, calendar, capacity, resource};
use crate::error::AppError;
use crate::orders::deliveries::{self, Delivery};
use crate::shopping;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use comptoir_indexer::model::{Catalogue, DeliveryMode, OpeningRange, PointKind};
use jiff::civil::Date;
use maud::{Markup, html};
use std::collections::BTreeSet;

/// `?jour=2026-11-30`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Day {
    jour: Option<String>,
}

impl Day {
    /// The day asked, today when none (or not a date).
    fn date(&self, today: Date) -> Date {
        self.jour
            .as_deref()
            .and_then(|d| d.parse().ok())
            .unwrap_or(today)
    }
}

/// Parcels of one place and slot: a locker's day, a relay's slot, or home deliveries in a
/// slot.
struct Group<'a> {
    mode: DeliveryMode,
    /// The point's name, or `Livraison à domicile`.
    title: String,
    /// The point's address (none for home delivery).
    address: Option<String>,
    slot: String,
    /// Places booked and capacity, when the town still has this place.
    booked: Option<(u32, u32)>,
    parcels: Vec<&'a Delivery>,
}

/// Every place and slot of the town, then the parcels of places it no longer has.
fn groups<'a>(
    catalogue: &Catalogue,
    day: Date,
    usage: &Usage,
    parcels: &'a [Delivery],
) -> Vec<Group<'a>> {
    let town = &catalogue.town;
    let mut groups = Vec::new();
    let mut add = |mode, point: Option<&str>, title: String, address, slot: &str, capacity: u32| {
        let key = resource(mode, point).unwrap_or_default();
        let mine: Vec<&Delivery> = parcels
            .iter()
            .filter(|d| d.mode == mode && d.point.as_deref() == point && d.slot == slot)
            .collect();
        groups.push(Group {
            mode,
            title,
            address,
            slot: slot.to_owned(),
            booked: Some((usage.taken(&key, day, slot), capacity)),
            parcels: mine,
        });
    };
    for point in &town.delivery_points {
        let address = Some(format!(
            "{}, {} {}",
            point.address.street, point.address.postcode, point.address.city
        ));
        match point.kind {
            PointKind::Locker => add(
                DeliveryMode::Locker,
                Some(point.id.as_str()),
                point.name.clone(),
                address,
                "",
                point.capacity,
            ),
            PointKind::Relay => {
                for slot in &point.slots {
                    add(
                        DeliveryMode::Relay,
                        Some(point.id.as_str()),
                        point.name.clone(),
                        address.clone(),
                        slot,
                        point.capacity,
                    );
                }
            }
        }
    }
    if let Some(home) = &town.home_delivery {
        for slot in &home.slots {
            add(
                DeliveryMode::Home,
                None,
                "Livraison à domicile".to_owned(),
                None,
                slot,
                home.capacity,
            );
        }
    }
    let placed: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| g.parcels.iter().map(|d| d.number.as_str()))
        .collect();
    for parcel in parcels
        .iter()
        .filter(|d| !placed.contains(d.number.as_str()))
    {
        groups.push(Group {
            mode: parcel.mode,
            title: format!(
                "{} (retiré du réseau)",
                parcel.point.as_deref().unwrap_or(parcel.mode.label())
            ),
            address: None,
            slot: parcel.slot.clone(),
            booked: None,
            parcels: vec![parcel],
        });
    }
    groups
}

/// `de 10:00 à 12:00`, or `toute la journée` for a locker.
fn slot_text(slot: &str) -> String {
    calendar::french_slot(slot).unwrap_or_else(|| "toute la journée".to_owned())
}

async fn load(state: &AppState, day: Date) -> Result<(Usage, Vec<Delivery>), AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let usage = capacity::usage(db, day, day)
        .await
        .map_err(shopping::internal)?;
    let parcels = deliveries::of_day(db, day)
        .await
        .map_err(shopping::internal)?;
    Ok((usage, parcels))
}

/// `GET /admin/livraisons`: the day's parcels by place and slot.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Day>,
) -> Result<Response, AppError> {
    let day = query.date(staff.today);
    let (usage, parcels) = load(&state, day).await?;
    let groups = groups(&staff.catalogue, day, &usage, &parcels);
    let title = format!("Livraisons du {}", calendar::french_day(day, staff.today));
    let body = html! {
        h1 { (title) }
        (day_links(day, "/admin/livraisons"))
        p {
            (parcels.len()) " colis à livrer. "
            a href={ "/admin/livraisons/tournee?jour=" (day) } { "Feuille de tournée à imprimer" }
        }
        @for group in &groups {
            section.delivery-group {
                h2 { (group.title) " — " (slot_text(&group.slot)) }
                @if let Some(address) = &group.address { p { (address) } }
                @if let Some((booked, capacity)) = group.booked {
                    p.booked { (booked) " réservé" @if booked > 1 { "s" } " sur " (capacity) }
                }
                @if group.parcels.is_empty() {
                    p { "Aucun colis." }
                } @else {
                    (parcel_table(group))
                }
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::super::page(&staff, &title, "/admin/livraisons", body),
    ))
}

fn parcel_table(group: &Group<'_>) -> Markup {
    html! {
        div.table-scroll {
            table {
                thead { tr { th { "Commande" } th { "Boutique" } th { "Statut" } th { "Client" } th { "Téléphone" } @if group.mode == DeliveryMode::Home { th { "Adresse" } } } }
                tbody {
                    @for parcel in &group.parcels {
                        tr {
                            td { (parcel.number) }
                            td { (parcel.shop_name) }
                            td { (parcel.status.label()) }
                            td { (parcel.name) }
                            td { a href={ "tel:" (parcel.phone.replace(' ', "")) } { (parcel.phone) } }
                            @if group.mode == DeliveryMode::Home {
                                td { @if let Some(a) = &parcel.address { (a.street) ", " (a.postcode) " " (a.city) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Previous day, today, next day.
fn day_links(day: Date, path: &str) -> Markup {
    let yesterday = day.yesterday().unwrap_or(day);
    let tomorrow = day.tomorrow().unwrap_or(day);
    html! {
        nav.day-links.no-print aria-label="Changer de jour" {
            a rel="prev" href={ (path) "?jour=" (yesterday) } { "← Jour précédent" }
            " · "
            a href=(path) { "Aujourd’hui" }
            " · "
            a rel="next" href={ (path) "?jour=" (tomorrow) } { "Jour suivant →" }
        }
    }
}

/// One stop of the round: a place in a slot and the parcels left there.
struct Stop<'a> {
    group: &'a Group<'a>,
    /// For home delivery, the one address of these parcels.
    address: String,
    parcels: Vec<&'a Delivery>,
}

/// The stops of the day: lockers first (deposited for the whole day), then by slot start;
/// at the same time, relay points before homes, homes by postcode and street.
fn stops<'a>(groups: &'a [Group<'a>]) -> Vec<Stop<'a>> {
    let mut stops = Vec::new();
    for group in groups.iter().filter(|g| !g.parcels.is_empty()) {
        if group.mode == DeliveryMode::Home {
            let mut addresses: Vec<String> =
                group.parcels.iter().map(|p| home_address(p)).collect();
            addresses.sort_by_key(|a| (postcode_of(a), a.clone()));
            addresses.dedup();
            for address in addresses {
                let parcels = group
                    .parcels
                    .iter()
                    .copied()
                    .filter(|p| home_address(p) == address)
                    .collect();
                stops.push(Stop {
                    group,
                    address,
                    parcels,
                });
            }
        } else {
            let address = group.address.clone().unwrap_or_default();
            stops.push(Stop {
                group,
                address,
                parcels: group.parcels.clone(),
            });
        }
    }
    stops.sort_by_key(|s| {
        let start = OpeningRange::parse(&s.group.slot).map_or(0, |r| r.opens);
        (start, s.group.mode == DeliveryMode::Home)
    });
    stops
}

fn home_address(parcel: &Delivery) -> String {
    parcel.address.as_ref().map_or_else(String::new, |a| {
        format!("{}, {} {}", a.street, a.postcode, a.city)
    })
}

fn postcode_of(address: &str) -> String {
    address.rsplit(", ").next().unwrap_or_default().to_owned()
}

/// `GET /admin/livraisons/tournee`: the printable round sheet of the day.
pub async fn sheet(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Day>,
) -> Result<Response, AppError> {
    let day = query.date(staff.today);
    let (usage, parcels) = load(&state, day).await?;
    let groups = groups(&staff.catalogue, day, &usage, &parcels);
    let stops = stops(&groups);
    let title = format!("Tournée du {}", calendar::french_day(day, staff.today));
    let body = html! {
        div.round-sheet {
            h1 { (title) }
            (day_links(day, "/admin/livraisons/tournee"))
            @if stops.is_empty() {
                p { "Aucune livraison ce jour-là." }
            } @else {
                (collection(&staff.catalogue, &parcels))
                ol.stops {
                    @for stop in &stops { (stop_sheet(stop)) }
                }
            }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        super::super::page(&staff, &title, "/admin/livraisons/tournee", body),
    ))
}

/// The shops to collect from before the round, with their address and parcel count.
fn collection(catalogue: &Catalogue, parcels: &[Delivery]) -> Markup {
    let shops: BTreeSet<(&str, &str)> = parcels
        .iter()
        .map(|p| (p.shop_name.as_str(), p.shop.as_str()))
        .collect();
    html! {
        section.collection {
            h2 { "À collecter avant la tournée" }
            ul {
                @for (name, slug) in &shops {
                    li {
                        strong { (name) }
                        @if let Some(shop) = catalogue.shops.iter().find(|s| s.slug == *slug) { ", " (shop.address.street) }
                        " : " (parcels.iter().filter(|p| p.shop == *slug).count()) " colis"
                    }
                }
            }
        }
    }
}

fn stop_sheet(stop: &Stop<'_>) -> Markup {
    let items: u32 = stop.parcels.iter().map(|p| p.items).sum();
    html! {
        li.stop {
            h2 { (stop.group.title) " — " (slot_text(&stop.group.slot)) }
            p.stop-address { (stop.address) " · " (items) " article" @if items > 1 { "s" } }
            table {
                thead { tr { th { "Commande" } th { "Boutique" } th { "Articles" } th { "Client" } th { "Téléphone" } th.tick { "Remis / signature" } } }
                tbody {
                    @for parcel in &stop.parcels {
                        tr {
                            td { (parcel.number) }
                            td { (parcel.shop_name) }
                            td { (parcel.items) }
                            td { (parcel.name) }
                            td { (parcel.phone) }
                            td.tick { "☐" }
                        }
                    }
                }
            }
        }
    }
}
