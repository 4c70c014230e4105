//! The `Product` / `ProductGroup` JSON-LD of product pages, written straight from typed
//! structs (one per page, so no intermediate `Value` trees). The parts shared by many
//! offers — the return policy and the shipping details for a set of delivery modes and a
//! postal weight band — are serialised once per build ([`OfferParts`]).

use super::{return_policy, shipping_options};
use crate::model::{Catalogue, Product, Variant};
use crate::render::images;
use crate::render::layout::Site;
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::HashMap;

const IN_STOCK: &str = "https://schema.org/InStock";
const OUT_OF_STOCK: &str = "https://schema.org/OutOfStock";
const NEW_CONDITION: &str = "https://schema.org/NewCondition";

/// Serialised JSON shared by offers, computed once per build.
#[derive(Debug, Clone)]
pub struct OfferParts {
    return_policy: Box<RawValue>,
    shipping: HashMap<(u8, usize), Box<RawValue>>,
}

/// The key of a product's shipping details: its delivery modes as bits and its postal band.
fn shipping_key(catalogue: &Catalogue, product: &Product) -> (u8, usize) {
    let modes = product
        .delivery
        .iter()
        .fold(0u8, |bits, m| bits | (1 << (*m as u8)));
    let band = catalogue.town.postal.as_ref().map_or(0, |p| {
        p.bands
            .iter()
            .take_while(|b| b.up_to_grams < product.weight.max(1))
            .count()
    });
    (modes, band)
}

fn raw(value: &serde_json::Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string())
        .unwrap_or_else(|_| RawValue::from_string("null".to_owned()).unwrap_or_default())
}

impl OfferParts {
    /// Serialises the return policy and the shipping details every product needs.
    #[must_use]
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut shipping = HashMap::new();
        for product in catalogue.published() {
            shipping
                .entry(shipping_key(catalogue, product))
                .or_insert_with(|| {
                    raw(&serde_json::Value::Array(shipping_options(
                        catalogue,
                        &product.delivery,
                        product.weight,
                    )))
                });
        }
        Self {
            return_policy: raw(&return_policy(catalogue)),
            shipping,
        }
    }

    /// Adds the shipping details `product` needs, if no other product needed them yet
    /// (incremental updates keep one `OfferParts` across changes).
    pub fn ensure(&mut self, catalogue: &Catalogue, product: &Product) {
        self.shipping
            .entry(shipping_key(catalogue, product))
            .or_insert_with(|| {
                raw(&serde_json::Value::Array(shipping_options(
                    catalogue,
                    &product.delivery,
                    product.weight,
                )))
            });
    }

    /// Only the return policy, for contexts that render no product page (the server's
    /// dynamic pages): shipping details are then left out.
    #[must_use]
    pub fn policy_only(catalogue: &Catalogue) -> Self {
        Self {
            return_policy: raw(&return_policy(catalogue)),
            shipping: HashMap::new(),
        }
    }

    fn shipping(&self, catalogue: &Catalogue, product: &Product) -> Option<&RawValue> {
        self.shipping
            .get(&shipping_key(catalogue, product))
            .map(AsRef::as_ref)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "str::is_empty")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    image: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    brand: Option<Brand<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    #[serde(flatten)]
    gtin: Gtin<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offers: Option<Offer<'a>>,
    #[serde(rename = "productGroupID", skip_serializing_if = "Option::is_none")]
    product_group_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    varies_by: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_variant: Vec<ProductLd<'a>>,
}

#[derive(Serialize)]
struct Brand<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// `gtin8` … `gtin14`: the property named after the code's length.
#[derive(Serialize, Default)]
struct Gtin<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin8: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin12: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin13: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin14: Option<&'a str>,
}

impl<'a> Gtin<'a> {
    fn of(code: Option<&'a str>) -> Self {
        let mut gtin = Self::default();
        match code.map(str::len) {
            Some(8) => gtin.gtin8 = code,
            Some(12) => gtin.gtin12 = code,
            Some(13) => gtin.gtin13 = code,
            Some(14) => gtin.gtin14 = code,
            _ => {}
        }
        gtin
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Offer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    price: String,
    price_currency: &'static str,
    availability: &'static str,
    item_condition: &'static str,
    seller: Seller<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_details: Option<&'a RawValue>,
    has_merchant_return_policy: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_specification: Option<Strikethrough>,
}

#[derive(Serialize)]
struct Seller<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// Google's way to show a sale: the regular price as a `StrikethroughPrice`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Strikethrough {
    #[serde(rename = "@type")]
    kind: &'static str,
    price_type: &'static str,
    price: String,
    price_currency: &'static str,
}

/// The `Product` (or `ProductGroup` with `hasVariant`) of a product page, as JSON text.
pub fn product(site: &Site<'_>, product: &Product, path: &str) -> String {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop].slug;
    let images: Vec<String> = product
        .images
        .iter()
        .filter_map(|i| {
            images::variants(shop, i)
                .pop()
                .map(|v| catalogue.absolute(&v.path))
        })
        .collect();
    let description = crate::render::text::cut_at_word(
        &crate::render::text::markdown_text(&product.description),
        5000,
    );
    let url = catalogue.absolute(path);
    let category = catalogue
        .category_trail(product.category)
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(" > ");
    let mut ld = ProductLd {
        context: "https://schema.org",
        kind: "Product",
        name: product.title.clone(),
        description: Some(&description),
        image: &images,
        url: Some(&url),
        category: Some(&category),
        brand: product.brand.as_deref().map(|name| Brand {
            kind: "Brand",
            name,
        }),
        sku: None,
        gtin: Gtin::default(),
        color: None,
        size: None,
        offers: None,
        product_group_id: None,
        varies_by: Vec::new(),
        has_variant: Vec::new(),
    };
    if product.variants.is_empty() {
        ld.sku = Some(&product.id);
        ld.gtin = Gtin::of(product.gtin.as_deref());
        ld.offers = Some(offer(site, product, None, url.clone()));
    } else {
        ld.kind = "ProductGroup";
        ld.product_group_id = Some(&product.id);
        if product.variants.iter().any(|v| v.color.is_some()) {
            ld.varies_by.push("https://schema.org/color");
        }
        if product.variants.iter().any(|v| v.size.is_some()) {
            ld.varies_by.push("https://schema.org/size");
        }
        ld.has_variant = product
            .variants
            .iter()
            .map(|v| variant(site, product, v, &url, &images))
            .collect();
    }
    serde_json::to_string(&ld).unwrap_or_default()
}

fn variant<'a>(
    site: &'a Site<'_>,
    product: &'a Product,
    variant: &'a Variant,
    url: &str,
    images: &'a [String],
) -> ProductLd<'a> {
    let name = [
        Some(product.title.as_str()),
        variant.color.as_deref(),
        variant.size.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" – ");
    ProductLd {
        context: "",
        kind: "Product",
        name,
        description: None,
        image: images,
        url: None,
        category: None,
        brand: None,
        sku: Some(&variant.sku),
        gtin: Gtin::of(variant.gtin.as_deref()),
        color: variant.color.as_deref(),
        size: variant.size.as_deref(),
        offers: Some(offer(
            site,
            product,
            Some(variant),
            format!("{url}?variante={}", variant.sku),
        )),
        product_group_id: None,
        varies_by: Vec::new(),
        has_variant: Vec::new(),
    }
}

/// One `Offer`: price on the build day, EUR, availability, seller, shipping, returns; a sale
/// shows the regular price as the strikethrough price.
fn offer<'a>(
    site: &'a Site<'_>,
    product: &'a Product,
    variant: Option<&Variant>,
    url: String,
) -> Offer<'a> {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop];
    let stock = variant.map_or(product.stock, |v| v.stock);
    let price = product.price_on(site.today, variant);
    let regular = variant.and_then(|v| v.price).unwrap_or(product.price);
    let sale = product.sale_on(site.today).filter(|_| price < regular);
    Offer {
        kind: "Offer",
        url,
        price: price.to_decimal(),
        price_currency: "EUR",
        availability: if stock > 0 { IN_STOCK } else { OUT_OF_STOCK },
        item_condition: NEW_CONDITION,
        seller: Seller {
            kind: "Organization",
            name: &shop.name,
            url: catalogue.absolute(&crate::render::shop_path(catalogue, product.shop)),
        },
        shipping_details: site.offer_parts.shipping(catalogue, product),
        has_merchant_return_policy: &site.offer_parts.return_policy,
        price_valid_until: sale.map(|s| s.until.to_string()),
        price_specification: sale.map(|_| Strikethrough {
            kind: "UnitPriceSpecification",
            price_type: "https://schema.org/StrikethroughPrice",
            price: regular.to_decimal(),
            price_currency: "EUR",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_property_follows_the_code_length() {
        let json = |code| serde_json::to_string(&Gtin::of(Some(code))).unwrap_or_default();
        assert_eq!(json("96385074"), r#"{"gtin8":"96385074"}"#);
        assert_eq!(json("3760123450010"), r#"{"gtin13":"3760123450010"}"#);
    }
}
