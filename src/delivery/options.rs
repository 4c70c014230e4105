//! What a shopper can choose for each shop of a cart: modes, days and slots with the
//! places left, full ones marked (shown, not offered).

use super::capacity::{self, Usage};
use super::{bookable_days, calendar, home_fee, points, resource};
use crate::db::{Db, Result};
use crate::pricing::{PricedCart, ShopBasket};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Catalogue, DeliveryMode, DeliveryPoint, HomeDelivery, PointKind};
use jiff::civil::Date;
use jiff::{Timestamp, Zoned};

/// A slot (or a locker's whole day, `slot == ""`) and the places left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotOption {
    /// The slot as the town writes it, `""` for a whole day.
    pub slot: String,
    /// Places left.
    pub remaining: u32,
    /// No place left: show it, do not offer it.
    pub full: bool,
}

/// A day and its slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOption {
    /// The day.
    pub day: Date,
    /// Its slots, in the town's order.
    pub slots: Vec<SlotOption>,
}

/// One way to receive a shop's goods, with what can be booked.
#[derive(Debug, Clone, PartialEq)]
pub enum ModeOption {
    /// Collect at the shop, from `ready_at`.
    ClickCollect {
        /// Earliest pickup.
        ready_at: Zoned,
    },
    /// One parcel locker.
    Locker {
        /// The point's id.
        point: String,
        /// Its name.
        name: String,
        /// Fee.
        fee: Money,
        /// Days from when the order is ready (one whole-day slot each).
        days: Vec<DayOption>,
    },
    /// One relay point.
    Relay {
        /// The point's id.
        point: String,
        /// Its name.
        name: String,
        /// Fee.
        fee: Money,
        /// Days and slots starting after the order is ready.
        days: Vec<DayOption>,
    },
    /// Home delivery.
    Home {
        /// Fee for this basket (zero above the town's threshold).
        fee: Money,
        /// Postcodes served.
        postcodes: Vec<String>,
        /// Days and slots.
        days: Vec<DayOption>,
    },
    /// Postal shipping.
    Post {
        /// Rate for the basket's weight.
        fee: Money,
        /// Earliest arrival.
        earliest: Date,
        /// Latest arrival.
        latest: Date,
    },
}

impl ModeOption {
    /// The mode.
    #[must_use]
    pub fn mode(&self) -> DeliveryMode {
        match self {
            Self::ClickCollect { .. } => DeliveryMode::ClickCollect,
            Self::Locker { .. } => DeliveryMode::Locker,
            Self::Relay { .. } => DeliveryMode::Relay,
            Self::Home { .. } => DeliveryMode::Home,
            Self::Post { .. } => DeliveryMode::Post,
        }
    }

    /// The days offered (none for click & collect and post).
    #[must_use]
    pub fn days(&self) -> &[DayOption] {
        match self {
            Self::Locker { days, .. } | Self::Relay { days, .. } | Self::Home { days, .. } => days,
            Self::ClickCollect { .. } | Self::Post { .. } => &[],
        }
    }
}

/// The options of one shop.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopOptions {
    /// Index of the shop in [`Catalogue::shops`].
    pub shop: usize,
    /// Its options, in page order; empty when nothing can deliver these items (a shop
    /// without opening hours ahead, a parcel too heavy for the only mode…).
    pub options: Vec<ModeOption>,
}

/// The options of each shop of `cart` at `now`, with the places booked so far.
///
/// # Errors
///
/// When the database fails.
pub async fn options_for_cart(
    db: &Db,
    catalogue: &Catalogue,
    cart: &PricedCart,
    now: Timestamp,
) -> Result<Vec<ShopOptions>> {
    let now = calendar::in_paris(now);
    let days = bookable_days(now.date());
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let usage = capacity::usage(db, *first, *last).await?;
    Ok(cart
        .shops
        .iter()
        .map(|basket| ShopOptions {
            shop: basket.shop,
            options: options(catalogue, basket, &now, &usage),
        })
        .collect())
}

/// The options of one shop's `basket` at `now`, given what is booked (`usage`).
#[must_use]
pub fn options(
    catalogue: &Catalogue,
    basket: &ShopBasket,
    now: &Zoned,
    usage: &Usage,
) -> Vec<ModeOption> {
    let shop = &catalogue.shops[basket.shop];
    let Some(ready) = calendar::ready_at(&shop.hours, shop.preparation_minutes, now) else {
        return Vec::new();
    };
    let offer = Offer {
        catalogue,
        basket,
        usage,
        ready,
        now,
    };
    basket
        .modes
        .iter()
        .flat_map(|mode| offer.mode(*mode))
        .collect()
}

/// What [`options`] works from.
struct Offer<'a> {
    catalogue: &'a Catalogue,
    basket: &'a ShopBasket,
    usage: &'a Usage,
    ready: Zoned,
    now: &'a Zoned,
}

impl Offer<'_> {
    /// The options of `mode`: one per point for lockers and relays.
    fn mode(&self, mode: DeliveryMode) -> Vec<ModeOption> {
        let town = &self.catalogue.town;
        match mode {
            DeliveryMode::ClickCollect => vec![ModeOption::ClickCollect {
                ready_at: self.ready.clone(),
            }],
            DeliveryMode::Locker => points(town, PointKind::Locker)
                .map(|p| self.locker(p))
                .collect(),
            DeliveryMode::Relay => points(town, PointKind::Relay)
                .map(|p| self.relay(p))
                .collect(),
            DeliveryMode::Home => town.home_delivery.iter().map(|h| self.home(h)).collect(),
            DeliveryMode::Post => self.post().into_iter().collect(),
        }
    }

    fn locker(&self, point: &DeliveryPoint) -> ModeOption {
        let key = resource(DeliveryMode::Locker, Some(&point.id)).unwrap_or_default();
        let days = bookable_days(self.now.date())
            .into_iter()
            .filter(|day| *day >= self.ready.date())
            .map(|day| DayOption {
                day,
                slots: vec![slot_option(self.usage, &key, day, "", point.capacity)],
            })
            .collect();
        ModeOption::Locker {
            point: point.id.clone(),
            name: point.name.clone(),
            fee: point.fee,
            days,
        }
    }

    fn relay(&self, point: &DeliveryPoint) -> ModeOption {
        let key = resource(DeliveryMode::Relay, Some(&point.id)).unwrap_or_default();
        let days = self.slot_days(&key, &point.slots, point.capacity);
        ModeOption::Relay {
            point: point.id.clone(),
            name: point.name.clone(),
            fee: point.fee,
            days,
        }
    }

    fn home(&self, home: &HomeDelivery) -> ModeOption {
        ModeOption::Home {
            fee: home_fee(home, self.basket.subtotal),
            postcodes: self.catalogue.town.postcodes.clone(),
            days: self.slot_days("home", &home.slots, home.capacity),
        }
    }

    fn post(&self) -> Option<ModeOption> {
        let postal = self.catalogue.town.postal.as_ref()?;
        let fee = postal.rate(self.basket.weight_grams)?;
        let shipped = self.ready.date();
        Some(ModeOption::Post {
            fee,
            earliest: calendar::add_working_days(shipped, postal.days_min),
            latest: calendar::add_working_days(shipped, postal.days_max),
        })
    }

    /// Days with the slots that start once the order is ready; days without any are left
    /// out.
    fn slot_days(&self, resource: &str, slots: &[String], capacity: u32) -> Vec<DayOption> {
        let ready = self.ready.timestamp();
        bookable_days(self.now.date())
            .into_iter()
            .map(|day| DayOption {
                day,
                slots: slots
                    .iter()
                    .filter(|slot| {
                        calendar::slot_start(day, slot).is_some_and(|s| s.timestamp() >= ready)
                    })
                    .map(|slot| slot_option(self.usage, resource, day, slot, capacity))
                    .collect(),
            })
            .filter(|d| !d.slots.is_empty())
            .collect()
    }
}

fn slot_option(usage: &Usage, resource: &str, day: Date, slot: &str, capacity: u32) -> SlotOption {
    let remaining = capacity.saturating_sub(usage.taken(resource, day, slot));
    SlotOption {
        slot: slot.to_owned(),
        remaining,
        full: remaining == 0,
    }
}
