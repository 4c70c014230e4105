//! The five ways to receive a shop's goods: the rules, the fees and the capacity.
//!
//! For each shop of a cart, the modes offered are the shop's, narrowed by every line's
//! product and by what the town has configured ([`crate::pricing::ShopBasket::modes`]).
//! - click & collect: free, ready after the shop's preparation delay, in opening hours;
//! - parcel locker: the point's fee, a capacity of parcels per day;
//! - relay point: the point's fee, time slots with a capacity each;
//! - home delivery: served postcodes only, time slots with a capacity, a fee waived from
//!   a basket amount;
//! - postal shipping: a rate by weight band, an estimate in working days.
//!
//! [`options`] lists what a shopper can choose (days and slots with what is left, full ones
//! marked); [`plan`] checks a choice and prices it. Capacity is taken in the order's
//! transaction ([`crate::orders::place`]), not here.

pub mod calendar;
pub(crate) mod capacity;
mod options;
mod plan;

pub use capacity::Usage;
pub use options::{DayOption, ModeOption, ShopOptions, SlotOption, options, options_for_cart};
pub use plan::{Booking, DeliveryError, Plan, plan};

use comptoir_indexer::Money;
use comptoir_indexer::model::{DeliveryMode, DeliveryPoint, HomeDelivery, PointKind, Town};
use jiff::civil::Date;

/// Days a shopper can book ahead, today included.
pub const DAYS_AHEAD: i64 = 7;

/// What a shopper chose for one shop's goods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Collect at the shop.
    ClickCollect,
    /// A parcel locker, on a day.
    Locker {
        /// The point's id.
        point: String,
        /// The day.
        day: Date,
    },
    /// A relay point, in a slot.
    Relay {
        /// The point's id.
        point: String,
        /// The day.
        day: Date,
        /// The slot, as the town writes it (`"10:00-12:00"`).
        slot: String,
    },
    /// At home, in a slot.
    Home {
        /// The day.
        day: Date,
        /// The slot.
        slot: String,
    },
    /// By post.
    Post,
}

impl Choice {
    /// The mode chosen.
    #[must_use]
    pub fn mode(&self) -> DeliveryMode {
        match self {
            Self::ClickCollect => DeliveryMode::ClickCollect,
            Self::Locker { .. } => DeliveryMode::Locker,
            Self::Relay { .. } => DeliveryMode::Relay,
            Self::Home { .. } => DeliveryMode::Home,
            Self::Post => DeliveryMode::Post,
        }
    }

    /// Whether the mode needs the shopper's address.
    #[must_use]
    pub fn needs_address(&self) -> bool {
        matches!(self, Self::Home { .. } | Self::Post)
    }
}

/// Whether the town's delivery network supports `mode` at all.
#[must_use]
pub fn town_offers(town: &Town, mode: DeliveryMode) -> bool {
    match mode {
        DeliveryMode::ClickCollect => true,
        DeliveryMode::Locker => points(town, PointKind::Locker).next().is_some(),
        DeliveryMode::Relay => points(town, PointKind::Relay).next().is_some(),
        DeliveryMode::Home => town.home_delivery.is_some(),
        DeliveryMode::Post => town.postal.is_some(),
    }
}

/// The town's points of one kind.
pub fn points(town: &Town, kind: PointKind) -> impl Iterator<Item = &DeliveryPoint> {
    town.delivery_points.iter().filter(move |p| p.kind == kind)
}

/// The capacity a delivery uses: `locker:<point>`, `relay:<point>` or `home`.
#[must_use]
pub fn resource(mode: DeliveryMode, point: Option<&str>) -> Option<String> {
    match (mode, point) {
        (DeliveryMode::Locker, Some(point)) => Some(format!("locker:{point}")),
        (DeliveryMode::Relay, Some(point)) => Some(format!("relay:{point}")),
        (DeliveryMode::Home, _) => Some("home".to_owned()),
        _ => None,
    }
}

/// The home-delivery fee for a shop's basket of `subtotal`: waived from the town's
/// threshold.
#[must_use]
pub fn home_fee(home: &HomeDelivery, subtotal: Money) -> Money {
    match home.free_from {
        Some(from) if subtotal >= from => Money::default(),
        _ => home.fee,
    }
}

/// The days a shopper can book from `today`.
#[must_use]
pub fn bookable_days(today: Date) -> Vec<Date> {
    (0..DAYS_AHEAD)
        .filter_map(|d| today.checked_add(jiff::Span::new().days(d)).ok())
        .collect()
}
