//! The local-inventory feed of a click & collect shop: what can be picked up there, how
//! many, at what price, and how soon (Google's local inventory data specification,
//! <https://support.google.com/merchants/answer/3061342>). The shop's slug is its
//! `g:store_code`.

use super::{Item, Xml, price, sale_dates};
use crate::model::{Catalogue, DeliveryMode, Shop};
use jiff::civil::Date;

/// `g:pickup_method`: shoppers order online and pay at the counter (the marketplace's
/// only payment is on pickup, `PayOnDelivery` in the server), which Google calls
/// "reserve"; "buy" is for items paid online.
pub const PICKUP_METHOD: &str = "reserve";

/// The feed of shop number `shop`, or `None` when it offers no click & collect.
#[must_use]
pub fn feed(catalogue: &Catalogue, shop: usize, today: Date) -> Option<String> {
    let seller = &catalogue.shops[shop];
    if !seller.delivery.contains(&DeliveryMode::ClickCollect) {
        return None;
    }
    let title = format!("{} – {}", catalogue.town.site_name, seller.name);
    let description = format!("Retrait en boutique chez {}", seller.name);
    let mut xml = Xml::rss(catalogue, &title, &description);
    let sla = pickup_sla(seller);
    let products = catalogue
        .published()
        .filter(|p| p.shop == shop && p.delivery.contains(&DeliveryMode::ClickCollect));
    for product in products {
        for item in Item::of(product) {
            xml.open("item");
            xml.element("g:store_code", &seller.slug);
            xml.element("g:id", item.id());
            xml.element("g:availability", item.availability());
            xml.element("g:quantity", &item.stock().to_string());
            let (regular, sale) = item.prices(today);
            xml.element("g:price", &price(regular));
            if let Some((paid, sale)) = sale {
                xml.element("g:sale_price", &price(paid));
                xml.element(
                    "g:sale_price_effective_date",
                    &sale_dates(sale.from, sale.until),
                );
            }
            xml.element("g:pickup_method", PICKUP_METHOD);
            xml.element("g:pickup_sla", sla);
            xml.end("item");
        }
    }
    Some(xml.finish())
}

/// `g:pickup_sla`: "same day" when an order placed at opening is ready before the shop
/// closes on some day (its preparation time fits in its longest opening range), else
/// "next day".
#[must_use]
pub fn pickup_sla(shop: &Shop) -> &'static str {
    let longest = shop
        .hours
        .0
        .iter()
        .flatten()
        .map(|r| u32::from(r.closes.saturating_sub(r.opens)))
        .max()
        .unwrap_or(0);
    if shop.preparation_minutes <= longest {
        "same day"
    } else {
        "next day"
    }
}
