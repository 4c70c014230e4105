//! One shop's fieldset of the checkout form: its items, then one radio button per way to
//! receive them — click & collect with the earliest pickup, each locker day, each relay
//! and home slot (full ones shown, disabled; few places left said), post with its fee
//! and delivery estimate. Modes with days sit in a `<details>` disclosure, open when one
//! of their radios is chosen; every radio's accessible name says its mode, day and slot.
//! Radios of home delivery and post carry `data-address` (the address is needed).

use super::cart_page::fee_text;
use super::checkout_form::{DELIVERY_PREFIX, choice_value};
use crate::delivery::{Choice, DayOption, ModeOption, calendar};
use crate::pricing::ShopBasket;
use comptoir_indexer::Money;
use comptoir_indexer::model::{Catalogue, Shop};
use jiff::civil::Date;
use maud::{Markup, html};

/// Slots with this many places left or fewer say so.
const FEW_PLACES: u32 = 3;

/// What the fieldset of one shop shows.
pub struct ShopChoice<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
    /// Today (dates carry their year when not this one's).
    pub today: Date,
    /// The shop's basket.
    pub basket: &'a ShopBasket,
    /// What it offers now.
    pub options: &'a [ModeOption],
    /// The radio value sent before, if any.
    pub chosen: Option<&'a str>,
    /// Why its choice was refused, if it was.
    pub error: Option<&'a str>,
}

/// The fieldset.
#[must_use]
pub fn shop_fieldset(view: &ShopChoice<'_>) -> Markup {
    let basket = view.basket;
    let shop = &view.catalogue.shops[basket.shop];
    let name = format!("{DELIVERY_PREFIX}{}", shop.slug);
    let error_id = format!("{name}-erreur");
    let radios = Radios {
        shop,
        today: view.today,
        name: &name,
        chosen: view.chosen,
        ids: format!("choix-{}", basket.shop),
    };
    html! {
        fieldset.delivery id=(name) aria-describedby=[view.error.map(|_| error_id.as_str())] {
            legend { (shop.name) " : comment recevoir vos articles ?" }
            p.items {
                @for (i, line) in basket.lines.iter().enumerate() {
                    @if i > 0 { ", " }
                    (line.quantity) " × " (line.title)
                    @if let Some(variant) = &line.variant { " (" (variant) ")" }
                }
                " — " strong { (basket.subtotal) }
            }
            @if let Some(message) = view.error { p.field-error id=(error_id) { (message) } }
            @if view.options.is_empty() {
                p.problem { "Cette boutique ne peut préparer aucune commande dans les jours qui viennent." }
            }
            @for (n, option) in view.options.iter().enumerate() { (radios.option(n, option)) }
        }
    }
}

/// The radio buttons of one shop's group.
struct Radios<'a> {
    shop: &'a Shop,
    today: Date,
    /// The group's name.
    name: &'a str,
    chosen: Option<&'a str>,
    /// The prefix of the radios' ids.
    ids: String,
}

/// One radio button.
struct Radio {
    id: String,
    value: String,
    /// Said by screen readers before the visible label (the mode, for day and slot radios).
    hidden: String,
    label: String,
    needs_address: bool,
    full: bool,
}

/// A mode offered on days (and slots).
struct Days<'a> {
    /// The disclosure's summary.
    title: String,
    /// The mode, as screen readers say it before each day.
    mode: &'a str,
    days: &'a [DayOption],
    fee: Money,
    needs_address: bool,
}

impl Radios<'_> {
    fn option(&self, n: usize, option: &ModeOption) -> Markup {
        let id = format!("{}-{n}", self.ids);
        match option {
            ModeOption::ClickCollect { ready_at } => self.radio(&Radio {
                id,
                value: choice_value(&Choice::ClickCollect, Money::default()),
                hidden: String::new(),
                label: format!(
                    "Retrait en boutique ({}) — gratuit — prête à partir du {}",
                    self.shop.address.street,
                    calendar::french_time(ready_at, self.today)
                ),
                needs_address: false,
                full: false,
            }),
            ModeOption::Locker {
                point,
                name,
                fee,
                days,
            } => {
                let days = Days {
                    title: format!("Consigne automatique : {name} — {}", fee_text(*fee)),
                    mode: "Consigne automatique",
                    days,
                    fee: *fee,
                    needs_address: false,
                };
                self.days(&id, &days, &|day, _| Choice::Locker {
                    point: point.clone(),
                    day,
                })
            }
            ModeOption::Relay {
                point,
                name,
                fee,
                days,
            } => {
                let days = Days {
                    title: format!("Point relais : {name} — {}", fee_text(*fee)),
                    mode: "Point relais",
                    days,
                    fee: *fee,
                    needs_address: false,
                };
                self.days(&id, &days, &|day, slot| Choice::Relay {
                    point: point.clone(),
                    day,
                    slot: slot.to_owned(),
                })
            }
            ModeOption::Home {
                fee,
                postcodes,
                days,
            } => {
                let price = if *fee == Money::default() {
                    "offerte".to_owned()
                } else {
                    fee.to_french()
                };
                let days = Days {
                    title: format!("Livraison à domicile ({}) — {price}", postcodes.join(", ")),
                    mode: "Livraison à domicile",
                    days,
                    fee: *fee,
                    needs_address: true,
                };
                self.days(&id, &days, &|day, slot| Choice::Home {
                    day,
                    slot: slot.to_owned(),
                })
            }
            ModeOption::Post {
                fee,
                earliest,
                latest,
            } => self.radio(&Radio {
                id,
                value: choice_value(&Choice::Post, *fee),
                hidden: String::new(),
                label: format!(
                    "Envoi postal — {} — livré entre le {} et le {}",
                    fee_text(*fee),
                    calendar::french_day(*earliest, self.today),
                    calendar::french_day(*latest, self.today)
                ),
                needs_address: true,
                full: false,
            }),
        }
    }

    /// A disclosure with one radio per day and slot.
    fn days(&self, id: &str, days: &Days<'_>, choose: &dyn Fn(Date, &str) -> Choice) -> Markup {
        let radios: Vec<Radio> = days
            .days
            .iter()
            .enumerate()
            .flat_map(|(d, day)| {
                day.slots.iter().enumerate().map(move |(s, slot)| Radio {
                    id: format!("{id}-{d}-{s}"),
                    value: choice_value(&choose(day.day, &slot.slot), days.fee),
                    hidden: format!("{}, ", days.mode),
                    label: slot_label(day.day, &slot.slot, slot.remaining, self.today),
                    needs_address: days.needs_address,
                    full: slot.full,
                })
            })
            .collect();
        let open = self
            .chosen
            .is_some_and(|chosen| radios.iter().any(|r| r.value == chosen));
        html! {
            details.mode open[open] {
                summary { (days.title) }
                @if radios.is_empty() { p.problem { "Aucune date possible dans les jours qui viennent." } }
                ul.slots { @for radio in &radios { li { (self.radio(radio)) } } }
            }
        }
    }

    fn radio(&self, radio: &Radio) -> Markup {
        let checked = !radio.full && self.chosen == Some(radio.value.as_str());
        html! {
            div.choice.full[radio.full] {
                input type="radio" id=(radio.id) name=(self.name) value=(radio.value)
                    checked[checked] disabled[radio.full]
                    data-address=[radio.needs_address.then_some("oui")];
                label for=(radio.id) {
                    @if !radio.hidden.is_empty() { span.visually-hidden { (radio.hidden) } }
                    (radio.label)
                    @if radio.full { " — complet" }
                }
            }
        }
    }
}

/// `mercredi 11 mars de 10:00 à 12:00 (plus que 2 places)`.
fn slot_label(day: Date, slot: &str, remaining: u32, today: Date) -> String {
    let mut label = calendar::french_day(day, today);
    if let Some(hours) = calendar::french_slot(slot) {
        label = format!("{label} {hours}");
    }
    if (1..=FEW_PLACES).contains(&remaining) {
        let places = if remaining == 1 { "place" } else { "places" };
        label = format!("{label} (plus que {remaining} {places})");
    }
    label
}
