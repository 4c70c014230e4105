//! Checking one shop's delivery choice against the rules, and pricing it.

use super::{Choice, DAYS_AHEAD, calendar, resource};
use crate::pricing::ShopBasket;
use comptoir_indexer::Money;
use comptoir_indexer::model::{Catalogue, DeliveryMode, DeliveryPoint, PointKind};
use jiff::Zoned;
use jiff::civil::Date;

/// One place of limited capacity that an order takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// `locker:<point>`, `relay:<point>` or `home`.
    pub resource: String,
    /// The day.
    pub day: Date,
    /// The slot (`""` for a locker, whose capacity is per day).
    pub slot: String,
    /// Places in all.
    pub capacity: u32,
}

/// A valid choice, priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The mode.
    pub mode: DeliveryMode,
    /// The locker or relay point's id.
    pub point: Option<String>,
    /// The day of delivery or deposit.
    pub day: Option<Date>,
    /// The slot.
    pub slot: Option<String>,
    /// When the shop has the order ready (the pickup time for click & collect).
    pub ready_at: Zoned,
    /// The fee for this shop's order.
    pub fee: Money,
    /// The capacity it takes, if any.
    pub booking: Option<Booking>,
    /// Postal delivery: earliest and latest arrival.
    pub estimate: Option<(Date, Date)>,
}

/// Why a delivery choice cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The mode is not offered for this shop's items.
    #[error("{} is not offered for these items", mode.key())]
    NotOffered {
        /// The mode.
        mode: DeliveryMode,
    },
    /// The shop opens too little in the next two weeks to prepare an order.
    #[error("the shop cannot prepare an order in the next two weeks")]
    NoOpening,
    /// No point of that kind has that id.
    #[error("no delivery point {point:?} for this mode")]
    UnknownPoint {
        /// The id.
        point: String,
    },
    /// The point or home delivery has no such slot.
    #[error("no slot {slot:?}")]
    UnknownSlot {
        /// The slot.
        slot: String,
    },
    /// The slot (or locker day) starts before the order can be ready, or is past.
    #[error("{day} {slot} is before the order can be ready")]
    TooSoon {
        /// The day.
        day: Date,
        /// The slot (`""` for a locker day).
        slot: String,
    },
    /// The day is beyond the booking window.
    #[error("{day} is more than {DAYS_AHEAD} days ahead")]
    TooFar {
        /// The day.
        day: Date,
    },
    /// Home delivery and post need the shopper's address.
    #[error("an address is needed")]
    AddressNeeded,
    /// Home delivery does not serve that postcode.
    #[error("home delivery does not serve {postcode}")]
    NotServed {
        /// The shopper's postcode.
        postcode: String,
        /// The postcodes served.
        served: Vec<String>,
    },
    /// Heavier than the heaviest postal band.
    #[error("{grams} g is above the heaviest postal band")]
    TooHeavy {
        /// The parcel's weight.
        grams: u32,
    },
    /// Every place of that day or slot is taken.
    #[error("{day} {slot} is full")]
    Full {
        /// The day.
        day: Date,
        /// The slot (`""` for a locker day).
        slot: String,
    },
}

impl DeliveryError {
    /// What the shopper reads (`today` decides whether dates carry their year).
    #[must_use]
    pub fn french_message(&self, today: Date) -> String {
        let when = |day: &Date, slot: &str| {
            let day = calendar::french_day(*day, today);
            match calendar::french_slot(slot) {
                Some(hours) => format!("le créneau du {day} {hours}"),
                None => format!("le {day}"),
            }
        };
        match self {
            Self::NotOffered { mode } => format!(
                "« {} » n’est pas proposé pour ces articles : choisissez un autre mode.",
                mode.label()
            ),
            Self::NoOpening => {
                "La boutique ne peut pas préparer de commande dans les deux semaines à venir."
                    .to_owned()
            }
            Self::UnknownPoint { .. } => {
                "Ce point de retrait n’existe plus : choisissez-en un autre.".to_owned()
            }
            Self::UnknownSlot { .. } => {
                "Ce créneau n’est pas proposé : choisissez-en un autre.".to_owned()
            }
            Self::TooSoon { day, slot } => format!(
                "La commande ne peut pas être prête pour {} : choisissez plus tard.",
                when(day, slot)
            ),
            Self::TooFar { .. } => format!(
                "On réserve au plus {DAYS_AHEAD} jours à l’avance : choisissez une date plus proche."
            ),
            Self::AddressNeeded => "Indiquez votre adresse pour ce mode de livraison.".to_owned(),
            Self::NotServed { postcode, served } => format!(
                "La livraison à domicile ne dessert pas le {postcode} (seulement : {}) : choisissez un autre mode.",
                served.join(", ")
            ),
            Self::TooHeavy { grams } => format!(
                "Le colis pèse {} kg, trop pour l’envoi postal : choisissez un autre mode ou retirez des articles.",
                kilograms(*grams)
            ),
            Self::Full { day, slot } if slot.is_empty() => format!(
                "La consigne est complète le {} : choisissez un autre jour.",
                calendar::french_day(*day, today)
            ),
            Self::Full { day, slot } => format!(
                "Le créneau du {} {} est complet : choisissez-en un autre.",
                calendar::french_day(*day, today),
                calendar::french_slot(slot).unwrap_or_default()
            ),
        }
    }
}

/// `1,25` for 1250 g.
fn kilograms(grams: u32) -> String {
    format!("{},{:02}", grams / 1000, (grams % 1000) / 10)
}

/// Checks `choice` for the shop's `basket` at `now` and prices it. `postcode` is the
/// shopper's, when given. Capacity is not checked here: it is taken in the order's
/// transaction.
///
/// # Errors
///
/// [`DeliveryError`] naming what to change.
pub fn plan(
    catalogue: &Catalogue,
    basket: &ShopBasket,
    choice: &Choice,
    postcode: Option<&str>,
    now: &Zoned,
) -> Result<Plan, DeliveryError> {
    let mode = choice.mode();
    if !basket.modes.contains(&mode) {
        return Err(DeliveryError::NotOffered { mode });
    }
    let shop = &catalogue.shops[basket.shop];
    let ready_at = calendar::ready_at(&shop.hours, shop.preparation_minutes, now)
        .ok_or(DeliveryError::NoOpening)?;
    let rules = Rules {
        catalogue,
        basket,
        now,
        base: Plan {
            mode,
            point: None,
            day: None,
            slot: None,
            ready_at,
            fee: Money::default(),
            booking: None,
            estimate: None,
        },
    };
    match choice {
        Choice::ClickCollect => Ok(rules.base),
        Choice::Locker { point, day } => rules.locker(point, *day),
        Choice::Relay { point, day, slot } => rules.relay(point, *day, slot),
        Choice::Home { day, slot } => rules.home(*day, slot, postcode),
        Choice::Post => rules.post(postcode),
    }
}

/// One shop's basket at one time, and the plan every mode starts from (ready time set).
struct Rules<'a> {
    catalogue: &'a Catalogue,
    basket: &'a ShopBasket,
    now: &'a Zoned,
    base: Plan,
}

impl Rules<'_> {
    fn locker(self, point: &str, day: Date) -> Result<Plan, DeliveryError> {
        let p = self.point(PointKind::Locker, point)?;
        self.check_window(day)?;
        if day < self.base.ready_at.date() {
            return Err(DeliveryError::TooSoon {
                day,
                slot: String::new(),
            });
        }
        let booking = Booking {
            resource: resource(DeliveryMode::Locker, Some(&p.id)).unwrap_or_default(),
            day,
            slot: String::new(),
            capacity: p.capacity,
        };
        Ok(Plan {
            point: Some(p.id.clone()),
            fee: p.fee,
            ..self.booked(booking)
        })
    }

    fn relay(self, point: &str, day: Date, slot: &str) -> Result<Plan, DeliveryError> {
        let p = self.point(PointKind::Relay, point)?;
        let resource = resource(DeliveryMode::Relay, Some(&p.id)).unwrap_or_default();
        let booking = self.slot_booking(resource, (&p.slots, p.capacity), day, slot)?;
        Ok(Plan {
            point: Some(p.id.clone()),
            fee: p.fee,
            ..self.booked(booking)
        })
    }

    fn home(self, day: Date, slot: &str, postcode: Option<&str>) -> Result<Plan, DeliveryError> {
        let town = &self.catalogue.town;
        let Some(home) = &town.home_delivery else {
            return Err(DeliveryError::NotOffered {
                mode: DeliveryMode::Home,
            });
        };
        let postcode = postcode.ok_or(DeliveryError::AddressNeeded)?;
        if !town.postcodes.iter().any(|p| p == postcode) {
            return Err(DeliveryError::NotServed {
                postcode: postcode.to_owned(),
                served: town.postcodes.clone(),
            });
        }
        let resource = resource(DeliveryMode::Home, None).unwrap_or_default();
        let booking = self.slot_booking(resource, (&home.slots, home.capacity), day, slot)?;
        let fee = super::home_fee(home, self.basket.subtotal);
        Ok(Plan {
            fee,
            ..self.booked(booking)
        })
    }

    fn post(self, postcode: Option<&str>) -> Result<Plan, DeliveryError> {
        let Some(postal) = &self.catalogue.town.postal else {
            return Err(DeliveryError::NotOffered {
                mode: DeliveryMode::Post,
            });
        };
        postcode.ok_or(DeliveryError::AddressNeeded)?;
        let grams = self.basket.weight_grams;
        let fee = postal
            .rate(grams)
            .ok_or(DeliveryError::TooHeavy { grams })?;
        let shipped = self.base.ready_at.date();
        let estimate = (
            calendar::add_working_days(shipped, postal.days_min),
            calendar::add_working_days(shipped, postal.days_max),
        );
        Ok(Plan {
            fee,
            estimate: Some(estimate),
            ..self.base
        })
    }

    fn point(&self, kind: PointKind, id: &str) -> Result<&DeliveryPoint, DeliveryError> {
        super::points(&self.catalogue.town, kind)
            .find(|p| p.id == id)
            .ok_or_else(|| DeliveryError::UnknownPoint {
                point: id.to_owned(),
            })
    }

    /// `day` must be in the booking window (today and the days after).
    fn check_window(&self, day: Date) -> Result<(), DeliveryError> {
        let today = self.now.date();
        if super::bookable_days(today).contains(&day) {
            Ok(())
        } else if day < today {
            Err(DeliveryError::TooSoon {
                day,
                slot: String::new(),
            })
        } else {
            Err(DeliveryError::TooFar { day })
        }
    }

    /// A place in one of `slots` (with `capacity` each), which must start once the order
    /// is ready.
    fn slot_booking(
        &self,
        resource: String,
        (slots, capacity): (&[String], u32),
        day: Date,
        slot: &str,
    ) -> Result<Booking, DeliveryError> {
        let unknown = || DeliveryError::UnknownSlot {
            slot: slot.to_owned(),
        };
        if !slots.iter().any(|s| s == slot) {
            return Err(unknown());
        }
        self.check_window(day)?;
        let starts = calendar::slot_start(day, slot).ok_or_else(unknown)?;
        if starts.timestamp() < self.base.ready_at.timestamp() {
            return Err(DeliveryError::TooSoon {
                day,
                slot: slot.to_owned(),
            });
        }
        Ok(Booking {
            resource,
            day,
            slot: slot.to_owned(),
            capacity,
        })
    }

    /// The base plan with `booking` taken.
    fn booked(self, booking: Booking) -> Plan {
        Plan {
            day: Some(booking.day),
            slot: Some(booking.slot.clone()).filter(|s| !s.is_empty()),
            booking: Some(booking),
            ..self.base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_read_in_kilograms() {
        assert_eq!(kilograms(2500), "2,50");
        assert_eq!(kilograms(60), "0,06");
    }
}
