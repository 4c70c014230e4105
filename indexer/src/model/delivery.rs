//! The ways a shopper receives goods, and the town's delivery network.

use crate::money::Money;

/// How a shopper receives a shop's goods.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DeliveryMode {
    /// Click & collect in the shop.
    ClickCollect,
    /// The automatic parcel lockers.
    Locker,
    /// A relay point, in a time slot.
    Relay,
    /// Delivery at home in town, in a time slot.
    Home,
    /// Postal shipping anywhere in France.
    Post,
}

impl DeliveryMode {
    /// Every mode, in the order pages list them.
    pub const ALL: [Self; 5] = [
        Self::ClickCollect,
        Self::Locker,
        Self::Relay,
        Self::Home,
        Self::Post,
    ];

    /// The name written in catalogue files.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::ClickCollect => "click_collect",
            Self::Locker => "locker",
            Self::Relay => "relay",
            Self::Home => "home",
            Self::Post => "post",
        }
    }

    /// The mode named `key` in a catalogue file.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// What a French shopper reads.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::ClickCollect => "Retrait en boutique",
            Self::Locker => "Consigne automatique",
            Self::Relay => "Point relais",
            Self::Home => "Livraison à domicile",
            Self::Post => "Envoi postal",
        }
    }
}

/// Whether a delivery point is a locker or a staffed relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PointKind {
    /// Automatic parcel locker.
    Locker,
    /// Relay point with time slots.
    Relay,
}

/// A parcel locker or relay point.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DeliveryPoint {
    /// Stable slug.
    pub id: String,
    /// Locker or relay.
    pub kind: PointKind,
    /// Name shown to shoppers.
    pub name: String,
    /// Neighbourhood.
    pub neighbourhood: String,
    /// Street address.
    pub address: super::Address,
    /// Latitude and longitude.
    pub geo: super::Geo,
    /// Fee per shop order.
    pub fee: Money,
    /// Parcels per day (lockers) or per slot (relays).
    pub capacity: u32,
    /// Time slots (relays).
    pub slots: Vec<String>,
}

/// Delivery at home, in town.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HomeDelivery {
    /// Fee per shop order.
    pub fee: Money,
    /// Basket amount from which delivery is free.
    pub free_from: Option<Money>,
    /// Deliveries per slot.
    pub capacity: u32,
    /// Time slots.
    pub slots: Vec<String>,
}

/// One postal rate: parcels up to a weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostalBand {
    /// Upper weight bound, in grams (inclusive).
    pub up_to_grams: u32,
    /// Price.
    pub price: Money,
}

/// Postal shipping anywhere in France.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Postal {
    /// Fastest delivery, in working days.
    pub days_min: u32,
    /// Slowest delivery, in working days.
    pub days_max: u32,
    /// Rates by increasing weight.
    pub bands: Vec<PostalBand>,
}

impl Postal {
    /// The cheapest rate for a parcel of `grams`, if any band takes it.
    #[must_use]
    pub fn rate(&self, grams: u32) -> Option<Money> {
        self.bands
            .iter()
            .find(|b| grams <= b.up_to_grams)
            .map(|b| b.price)
    }
}
