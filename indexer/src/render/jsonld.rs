//! schema.org structured data as JSON-LD, following Google's documentation for merchant
//! listings (<https://developers.google.com/search/docs/appearance/structured-data/merchant-listing>),
//! local businesses, breadcrumbs and organizations.

use super::images;
use super::layout::Site;
use crate::model::{Catalogue, DeliveryMode, Product, Shop, Variant, Weekday};
use serde_json::{Value, json};

const IN_STOCK: &str = "https://schema.org/InStock";
const OUT_OF_STOCK: &str = "https://schema.org/OutOfStock";

/// `BreadcrumbList` for a trail of (name, path), positions from 1.
pub fn breadcrumbs(catalogue: &Catalogue, trail: &[(String, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, path))| json!({"@type": "ListItem", "position": i + 1, "name": name, "item": catalogue.absolute(path)}))
        .collect();
    json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
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
fn shipping_options(catalogue: &Catalogue, modes: &[DeliveryMode], grams: u32) -> Vec<Value> {
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

/// The `Product` (or `ProductGroup` with `hasVariant`) of a product page.
pub fn product(site: &Site<'_>, product: &Product, path: &str) -> Value {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop];
    let images: Vec<String> = product
        .images
        .iter()
        .filter_map(|i| {
            images::variants(&shop.slug, i)
                .last()
                .map(|v| catalogue.absolute(&v.path))
        })
        .collect();
    let description =
        super::text::cut_at_word(&super::text::markdown_text(&product.description), 5000);
    let mut value = json!({
        "@context": "https://schema.org",
        "name": product.title,
        "description": description,
        "image": images,
        "url": catalogue.absolute(path),
        "category": catalogue.category_trail(product.category).iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" > "),
    });
    if let Some(brand) = &product.brand {
        value["brand"] = json!({"@type": "Brand", "name": brand});
    }
    if product.variants.is_empty() {
        value["@type"] = json!("Product");
        value["sku"] = json!(product.id);
        set_gtin(&mut value, product.gtin.as_deref());
        value["offers"] = offer(site, product, None, &catalogue.absolute(path));
        return value;
    }
    value["@type"] = json!("ProductGroup");
    value["productGroupID"] = json!(product.id);
    let mut varies = Vec::new();
    if product.variants.iter().any(|v| v.color.is_some()) {
        varies.push("https://schema.org/color");
    }
    if product.variants.iter().any(|v| v.size.is_some()) {
        varies.push("https://schema.org/size");
    }
    value["variesBy"] = json!(varies);
    value["hasVariant"] = product
        .variants
        .iter()
        .map(|v| variant(site, product, v, path, &images))
        .collect();
    value
}

fn variant(
    site: &Site<'_>,
    product: &Product,
    variant: &Variant,
    path: &str,
    images: &[String],
) -> Value {
    let url = format!("{}?variante={}", site.catalogue.absolute(path), variant.sku);
    let name = [
        Some(product.title.as_str()),
        variant.color.as_deref(),
        variant.size.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" – ");
    let mut value = json!({"@type": "Product", "name": name, "sku": variant.sku, "image": images, "offers": offer(site, product, Some(variant), &url)});
    if let Some(color) = &variant.color {
        value["color"] = json!(color);
    }
    if let Some(size) = &variant.size {
        value["size"] = json!(size);
    }
    set_gtin(&mut value, variant.gtin.as_deref());
    value
}

fn set_gtin(value: &mut Value, gtin: Option<&str>) {
    if let Some(gtin) = gtin {
        value[format!("gtin{}", gtin.len())] = json!(gtin);
    }
}

/// One `Offer`: price on the build day, EUR, availability, seller, shipping, returns; a sale
/// shows the regular price as the strikethrough price.
fn offer(site: &Site<'_>, product: &Product, variant: Option<&Variant>, url: &str) -> Value {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop];
    let stock = variant.map_or(product.stock, |v| v.stock);
    let price = product.price_on(site.today, variant);
    let regular = variant.and_then(|v| v.price).unwrap_or(product.price);
    let mut value = json!({
        "@type": "Offer",
        "url": url,
        "price": price.to_decimal(),
        "priceCurrency": "EUR",
        "availability": if stock > 0 { IN_STOCK } else { OUT_OF_STOCK },
        "itemCondition": "https://schema.org/NewCondition",
        "seller": {"@type": "Organization", "name": shop.name, "url": catalogue.absolute(&super::shop_path(catalogue, product.shop))},
        "shippingDetails": shipping_options(catalogue, &product.delivery, product.weight),
        "hasMerchantReturnPolicy": return_policy(catalogue),
    });
    if let Some(sale) = product.sale_on(site.today).filter(|_| price < regular) {
        value["priceValidUntil"] = json!(sale.until.to_string());
        value["priceSpecification"] = json!({
            "@type": "UnitPriceSpecification",
            "priceType": "https://schema.org/StrikethroughPrice",
            "price": regular.to_decimal(),
            "priceCurrency": "EUR"
        });
    }
    value
}
