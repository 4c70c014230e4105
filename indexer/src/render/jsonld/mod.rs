//! schema.org structured data as JSON-LD, following Google's documentation for merchant
//! listings (<https://developers.google.com/search/docs/appearance/structured-data/merchant-listing>),
//! local businesses, breadcrumbs and organizations.

mod product;

pub use product::{OfferParts, product};

use crate::model::{Catalogue, DeliveryMode, Shop, Weekday};
use serde::Serialize;
use serde_json::{Value, json};

/// One step of a `BreadcrumbList`.
#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: String,
}

/// `BreadcrumbList` for a trail of (name, path), positions from 1, as JSON text.
pub fn breadcrumbs(catalogue: &Catalogue, trail: &[(String, String)]) -> String {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "itemListElement")]
        items: Vec<ListItem<'a>>,
    }
    let items = trail
        .iter()
        .enumerate()
        .map(|(i, (name, path))| ListItem {
            kind: "ListItem",
            position: i + 1,
            name,
            item: catalogue.absolute(path),
        })
        .collect();
    let list = List {
        context: "https://schema.org",
        kind: "BreadcrumbList",
        items,
    };
    serde_json::to_string(&list).unwrap_or_default()
}

/// Coordinates as text with six decimals: Google asks for at least five.
fn degrees(value: f64) -> String {
    format!("{value:.6}")
}

fn postal_address(street: &str, postcode: &str, city: &str) -> Value {
    json!({"@type": "PostalAddress", "streetAddress": street, "postalCode": postcode, "addressLocality": city, "addressCountry": "FR"})
}

/// The marketplace's return policy (France).
pub fn return_policy(catalogue: &Catalogue) -> Value {
    json!({
        "@type": "MerchantReturnPolicy",
        "applicableCountry": "FR",
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": catalogue.town.return_days,
        "returnMethod": ["https://schema.org/ReturnInStore", "https://schema.org/ReturnByMail"],
        "returnFees": "https://schema.org/FreeReturn"
    })
}

/// The marketplace as an `OnlineStore`, with its shipping and return policies.
pub fn online_store(catalogue: &Catalogue) -> Value {
    let town = &catalogue.town;
    let shipping: Vec<Value> = shipping_options(catalogue, &DeliveryMode::ALL, 0)
        .into_iter()
        .map(|details| json!({"@type": "ShippingService", "name": details["name"].clone(), "shippingConditions": {
            "@type": "ShippingConditions", "shippingDestination": details["shippingDestination"].clone(),
            "shippingRate": details["shippingRate"].clone(), "transitTime": details["deliveryTime"]["transitTime"].clone()
        }}))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "OnlineStore",
        "name": town.site_name,
        "url": catalogue.absolute("/"),
        "description": town.description,
        "email": town.email,
        "telephone": town.phone,
        "address": postal_address(&town.address.street, &town.address.postcode, &town.address.city),
        "areaServed": {"@type": "Country", "name": "FR"},
        "hasMerchantReturnPolicy": return_policy(catalogue),
        "hasShippingService": shipping
    })
}

/// A shop as the most specific `LocalBusiness` subtype.
pub fn local_business(
    catalogue: &Catalogue,
    shop: &Shop,
    path: &str,
    image: Option<String>,
) -> Value {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": shop.trade.schema_type(),
        "@id": catalogue.absolute(path),
        "name": shop.name,
        "description": shop.description,
        "url": catalogue.absolute(path),
        "telephone": shop.phone,
        "address": postal_address(&shop.address.street, &shop.address.postcode, &shop.address.city),
        "geo": {"@type": "GeoCoordinates", "latitude": degrees(shop.geo.lat), "longitude": degrees(shop.geo.lon)},
        "openingHoursSpecification": opening_hours(shop),
    });
    if let Some(image) = image {
        value["image"] = json!(catalogue.absolute(&image));
    }
    if let Some(email) = &shop.email {
        value["email"] = json!(email);
    }
    value
}

fn opening_hours(shop: &Shop) -> Vec<Value> {
    let mut specs: Vec<(Vec<&str>, String, String)> = Vec::new();
    for day in Weekday::ALL {
        for range in shop.hours.day(day) {
            let (opens, closes) = (
                crate::model::OpeningRange::format(range.opens),
                crate::model::OpeningRange::format(range.closes),
            );
            match specs
                .iter_mut()
                .find(|(_, o, c)| *o == opens && *c == closes)
            {
                Some((days, ..)) => days.push(day.schema_name()),
                None => specs.push((vec![day.schema_name()], opens, closes)),
            }
        }
    }
    specs
        .into_iter()
        .map(|(days, opens, closes)| json!({"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes}))
        .collect()
}

/// `OfferShippingDetails` for each way the product can travel, cheapest first.
pub(crate) fn shipping_options(
    catalogue: &Catalogue,
    modes: &[DeliveryMode],
    grams: u32,
) -> Vec<Value> {
    let town = &catalogue.town;
    let local =
        json!({"@type": "DefinedRegion", "addressCountry": "FR", "postalCode": town.postcodes});
    let mut options = Vec::new();
    if let Some(postal) = town
        .postal
        .as_ref()
        .filter(|_| modes.contains(&DeliveryMode::Post))
        && let Some(rate) = postal.rate(grams.max(1))
    {
        let region = json!({"@type": "DefinedRegion", "addressCountry": "FR"});
        options.push(shipping(
            "Envoi postal",
            region,
            rate,
            (0, 1),
            (postal.days_min, postal.days_max),
        ));
    }
    if let Some(home) = town
        .home_delivery
        .as_ref()
        .filter(|_| modes.contains(&DeliveryMode::Home))
    {
        options.push(shipping(
            "Livraison à domicile",
            local.clone(),
            home.fee,
            (0, 1),
            (0, 1),
        ));
    }
    let pickup_fee = town
        .delivery_points
        .iter()
        .filter(|p| {
            let mode = match p.kind {
                crate::model::PointKind::Locker => DeliveryMode::Locker,
                crate::model::PointKind::Relay => DeliveryMode::Relay,
            };
            modes.contains(&mode)
        })
        .map(|p| p.fee)
        .min();
    if let Some(fee) = pickup_fee {
        options.push(shipping(
            "Consigne ou point relais",
            local,
            fee,
            (0, 1),
            (0, 1),
        ));
    }
    options
}

fn shipping(
    name: &str,
    region: Value,
    rate: crate::Money,
    handling: (u32, u32),
    transit: (u32, u32),
) -> Value {
    json!({
        "@type": "OfferShippingDetails",
        "name": name,
        "shippingRate": {"@type": "MonetaryAmount", "value": rate.to_decimal(), "currency": "EUR"},
        "shippingDestination": region,
        "deliveryTime": {
            "@type": "ShippingDeliveryTime",
            "handlingTime": {"@type": "QuantitativeValue", "minValue": handling.0, "maxValue": handling.1, "unitCode": "DAY"},
            "transitTime": {"@type": "QuantitativeValue", "minValue": transit.0, "maxValue": transit.1, "unitCode": "DAY"}
        }
    })
}
