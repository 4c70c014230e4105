//! The Google Merchant Center feed: one item per published product, or per variant with
//! `g:item_group_id`; the marketplace sells for many shops, so each item names its shop in
//! `g:external_seller_id` (<https://support.google.com/merchants/answer/11537846>).
//!
//! Attributes follow Google's product data specification
//! (<https://support.google.com/merchants/answer/7052112>), with its limits below.

use super::{Item, Xml, price, sale_dates};
use crate::model::{Catalogue, DeliveryMode, PointKind, Product};
use crate::render::{images, text};
use jiff::civil::Date;

/// Longest `title`, in characters (product data specification).
const MAX_TITLE: usize = 150;
/// Longest `description`, in characters.
const MAX_DESCRIPTION: usize = 5000;
/// Most `additional_image_link` values.
const MAX_ADDITIONAL_IMAGES: usize = 10;

/// The feed of every published product on `today` that has a picture (Merchant Center
/// refuses items without `image_link`; an imported product joins once its photos are
/// added).
#[must_use]
pub fn feed(catalogue: &Catalogue, today: Date) -> String {
    let town = &catalogue.town;
    let mut xml = Xml::rss(catalogue, &town.site_name, &town.description);
    for product in catalogue.published().filter(|p| !p.images.is_empty()) {
        let common = Common::of(catalogue, product);
        for item in Item::of(product) {
            write_item(&mut xml, &common, &item, today);
        }
    }
    xml.finish()
}

/// What every item of a product shares.
struct Common {
    description: String,
    link: String,
    images: Vec<String>,
    product_type: String,
    brand: String,
    seller: String,
    shipping: Vec<Shipping>,
}

impl Common {
    fn of(catalogue: &Catalogue, product: &Product) -> Self {
        let shop = &catalogue.shops[product.shop];
        let images = product
            .images
            .iter()
            .filter_map(|i| {
                images::variants(&shop.slug, i)
                    .pop()
                    .map(|v| catalogue.absolute(&v.path))
            })
            .collect();
        let product_type = catalogue
            .category_trail(product.category)
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(" > ");
        Self {
            description: text::cut_at_word(
                &text::markdown_text(&product.description),
                MAX_DESCRIPTION,
            ),
            link: catalogue.absolute(&catalogue.product_path(product)),
            images,
            product_type,
            // Google: products made by the shop itself carry the shop's name as brand.
            brand: product.brand.clone().unwrap_or_else(|| shop.name.clone()),
            seller: shop.slug.clone(),
            shipping: shipping(catalogue, product),
        }
    }
}

fn write_item(xml: &mut Xml, common: &Common, item: &Item<'_>, today: Date) {
    let product = item.product;
    xml.open("item");
    xml.element("g:id", item.id());
    xml.element("title", &text::cut_at_word(&title(item), MAX_TITLE));
    xml.element("description", &common.description);
    let link = match item.variant {
        Some(v) => format!("{}?variante={}", common.link, v.sku),
        None => common.link.clone(),
    };
    xml.element("link", &link);
    if let Some((main, more)) = common.images.split_first() {
        xml.element("g:image_link", main);
        for extra in more.iter().take(MAX_ADDITIONAL_IMAGES) {
            xml.element("g:additional_image_link", extra);
        }
    }
    xml.element("g:availability", item.availability());
    let (regular, sale) = item.prices(today);
    xml.element("g:price", &price(regular));
    if let Some((paid, sale)) = sale {
        xml.element("g:sale_price", &price(paid));
        xml.element(
            "g:sale_price_effective_date",
            &sale_dates(sale.from, sale.until),
        );
    }
    xml.element("g:brand", &common.brand);
    match item
        .variant
        .map_or(product.gtin.as_deref(), |v| v.gtin.as_deref())
    {
        Some(gtin) => xml.element("g:gtin", gtin),
        None => xml.element("g:identifier_exists", "no"),
    }
    xml.element("g:condition", "new");
    xml.element("g:product_type", &common.product_type);
    xml.element("g:external_seller_id", &common.seller);
    if let Some(v) = item.variant {
        xml.element("g:item_group_id", &product.id);
        if let Some(color) = &v.color {
            xml.element("g:color", color);
        }
        if let Some(size) = &v.size {
            xml.element("g:size", size);
        }
    }
    for s in &common.shipping {
        s.write(xml);
    }
    xml.end("item");
}

/// The product's title, with the variant's colour and size.
fn title(item: &Item<'_>) -> String {
    let mut parts = vec![item.product.title.as_str()];
    if let Some(v) = item.variant {
        parts.extend(v.color.as_deref());
        parts.extend(v.size.as_deref());
    }
    parts.join(" – ")
}

/// One `g:shipping` value: a service, its price, and the postcode it serves (none: all of
/// France).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shipping {
    service: &'static str,
    price: crate::Money,
    postcode: Option<String>,
}

impl Shipping {
    fn write(&self, xml: &mut Xml) {
        xml.open("g:shipping");
        xml.element("g:country", "FR");
        if let Some(code) = &self.postcode {
            xml.element("g:postal_code", code);
        }
        xml.element("g:service", self.service);
        xml.element("g:price", &price(self.price));
        xml.end("g:shipping");
    }
}

/// The ways `product` can reach a shopper, with their prices: postal shipping by weight
/// anywhere in France; lockers, relay points and home delivery in the town's postcodes.
/// Click & collect is not shipping: the local-inventory feeds carry it.
fn shipping(catalogue: &Catalogue, product: &Product) -> Vec<Shipping> {
    let town = &catalogue.town;
    let point_fee = |kind: PointKind| {
        town.delivery_points
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.fee)
            .min()
    };
    let mut out = Vec::new();
    for mode in &product.delivery {
        let fee = match mode {
            DeliveryMode::ClickCollect => None,
            DeliveryMode::Post => {
                let rate = town
                    .postal
                    .as_ref()
                    .and_then(|p| p.rate(product.weight.max(1)));
                out.extend(rate.map(|price| Shipping {
                    service: mode.label(),
                    price,
                    postcode: None,
                }));
                None
            }
            DeliveryMode::Home => town.home_delivery.as_ref().map(|h| h.fee),
            DeliveryMode::Locker => point_fee(PointKind::Locker),
            DeliveryMode::Relay => point_fee(PointKind::Relay),
        };
        if let Some(price) = fee {
            out.extend(town.postcodes.iter().map(|code| Shipping {
                service: mode.label(),
                price,
                postcode: Some(code.clone()),
            }));
        }
    }
    out
}
