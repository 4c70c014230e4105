//! Product feeds for Google: the Merchant Center feed of every published product
//! ([`merchant`]) and one local-inventory feed per click & collect shop ([`local`]),
//! computed from the catalogue without I/O. The build writes them beside the sitemaps
//! (`site/feeds/…`), and the live catalogue rewrites them with every update in place.
//!
//! Both are RSS 2.0 with Google's `g:` namespace
//! (<https://support.google.com/merchants/answer/160589>): products are items, attributes
//! are `g:` elements. Prices are written `12.50 EUR`, as Google's product data
//! specification asks (<https://support.google.com/merchants/answer/7052112>).

pub mod local;
pub mod merchant;

use crate::model::{Catalogue, Product, Variant};
use crate::money::Money;
use jiff::civil::Date;

/// The Merchant Center feed, relative to the build's site folder.
pub const MERCHANT_FEED: &str = "feeds/google-merchant.xml";
/// Google's namespace for product attributes.
pub const GOOGLE_NAMESPACE: &str = "http://base.google.com/ns/1.0";

/// The local-inventory feed of the shop `slug`, relative to the build's site folder.
#[must_use]
pub fn local_inventory_file(slug: &str) -> String {
    format!("feeds/local-inventory/{slug}.xml")
}

/// Every feed file of the catalogue on `today`: (file relative to the site folder, XML).
#[must_use]
pub fn files(catalogue: &Catalogue, today: Date) -> Vec<(String, String)> {
    let mut files = vec![(MERCHANT_FEED.to_owned(), merchant::feed(catalogue, today))];
    for (i, shop) in catalogue.online_shops() {
        if let Some(xml) = local::feed(catalogue, i, today) {
            files.push((local_inventory_file(&shop.slug), xml));
        }
    }
    files
}

/// One item of a feed: a product without variants, or one variant of a product.
pub(crate) struct Item<'a> {
    pub product: &'a Product,
    pub variant: Option<&'a Variant>,
}

impl<'a> Item<'a> {
    /// The items of `product`: itself, or each of its variants.
    pub fn of(product: &'a Product) -> Vec<Self> {
        if product.variants.is_empty() {
            return vec![Self {
                product,
                variant: None,
            }];
        }
        product
            .variants
            .iter()
            .map(|v| Self {
                product,
                variant: Some(v),
            })
            .collect()
    }

    /// The item's id: the SKU (a product without variants is sold under its id).
    pub fn id(&self) -> &'a str {
        self.variant.map_or(&self.product.id, |v| &v.sku)
    }

    /// Stock counted by the build (the server's counts when it had them).
    pub fn stock(&self) -> u32 {
        self.variant.map_or(self.product.stock, |v| v.stock)
    }

    /// `in_stock` or `out_of_stock`, Google's availability values.
    pub fn availability(&self) -> &'static str {
        if self.stock() > 0 {
            "in_stock"
        } else {
            "out_of_stock"
        }
    }

    /// The regular price, and the sale price when a sale lowers it on `today`.
    pub fn prices(&self, today: Date) -> (Money, Option<(Money, crate::model::Sale)>) {
        let regular = self
            .variant
            .and_then(|v| v.price)
            .unwrap_or(self.product.price);
        let paid = self.product.price_on(today, self.variant);
        let sale = self
            .product
            .sale_on(today)
            .filter(|_| paid < regular)
            .map(|s| (paid, s));
        (regular, sale)
    }
}

/// `12.50 EUR`.
pub(crate) fn price(amount: Money) -> String {
    format!("{} EUR", amount.to_decimal())
}

/// Google's `sale_price_effective_date`: an ISO 8601 interval from the first day's start
/// to the last day's end, Paris time (the site's prices change at midnight there).
pub(crate) fn sale_dates(from: Date, until: Date) -> String {
    format!("{}/{}", paris(from, 0, 0), paris(until, 23, 59))
}

fn paris(date: Date, hour: i8, minute: i8) -> String {
    let time = date.at(hour, minute, 0, 0);
    match jiff::tz::TimeZone::get("Europe/Paris").and_then(|tz| time.to_zoned(tz)) {
        Ok(zoned) => zoned.strftime("%Y-%m-%dT%H:%M%:z").to_string(),
        Err(_) => format!("{time}Z"),
    }
}

/// An XML document under construction: elements with escaped text.
pub(crate) struct Xml(String);

impl Xml {
    /// An RSS 2.0 document with the `g:` namespace, its channel opened.
    pub fn rss(catalogue: &Catalogue, title: &str, description: &str) -> Self {
        let mut xml = Self(String::with_capacity(1 << 16));
        xml.0.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        xml.0.push('\n');
        xml.0.push_str(&format!(
            r#"<rss version="2.0" xmlns:g="{GOOGLE_NAMESPACE}">"#
        ));
        xml.0.push_str("\n<channel>\n");
        xml.element("title", title);
        xml.element("link", &catalogue.absolute("/"));
        xml.element("description", description);
        xml
    }

    /// `<name>text</name>` and a new line.
    pub fn element(&mut self, name: &str, text: &str) {
        self.open(name);
        escape_into(&mut self.0, text);
        self.close(name);
        self.0.push('\n');
    }

    /// `<name>`.
    pub fn open(&mut self, name: &str) {
        self.0.push('<');
        self.0.push_str(name);
        self.0.push('>');
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
    }

    /// `</name>` and a new line.
    pub fn end(&mut self, name: &str) {
        self.close(name);
        self.0.push('\n');
    }

    /// Closes the channel and the document.
    pub fn finish(mut self) -> String {
        self.0.push_str("</channel>\n</rss>\n");
        self.0
    }
}

/// Appends `text` with XML's five special characters escaped, and characters XML 1.0
/// forbids (control characters) left out.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut out = String::new();
        escape_into(&mut out, "Pâté & \"rillettes\" <maison>\u{1}");
        assert_eq!(out, "Pâté &amp; &quot;rillettes&quot; &lt;maison&gt;");
    }

    /// A generated catalogue.
    fn generated(shops: usize, products: usize) -> (tempfile::TempDir, Catalogue) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let content = dir.path().join("content");
        let options = crate::synthetic::Options {
            shops,
            products,
            seed: 3,
        };
        crate::synthetic::write(&content, &options).unwrap_or_else(|e| panic!("generate: {e}"));
        let catalogue = crate::load::load(&content).unwrap_or_else(|p| panic!("load: {p:?}"));
        (dir, catalogue)
    }

    #[test]
    fn feeds_hold_every_published_item_and_one_local_feed_per_click_and_collect_shop() {
        let (_dir, mut catalogue) = generated(30, 1000);
        let today = Date::constant(2026, 11, 29);
        let started = std::time::Instant::now();
        let files = files(&catalogue, today);
        // The live catalogue rewrites them with every snapshot: the times printed are in
        // ARCHITECTURE.md (debug build, shared 2-core machine).
        let rendered = started.elapsed();
        let bytes: usize = files.iter().map(|(_, xml)| xml.len()).sum();
        let started = std::time::Instant::now();
        for (_, xml) in &files {
            let _ = crate::output::brotli_bytes(xml.as_bytes());
            let _ = crate::output::gzip_bytes(xml.as_bytes());
        }
        eprintln!(
            "feeds of 1,000 products: {bytes} bytes rendered in {rendered:?}, compressed copies in {:?}",
            started.elapsed()
        );
        let items: usize = catalogue.published().map(|p| p.variants.len().max(1)).sum();
        assert_eq!(files[0].0, MERCHANT_FEED);
        assert_eq!(files[0].1.matches("<item>").count(), items);
        let collecting = |c: &Catalogue| {
            c.shops
                .iter()
                .filter(|s| {
                    s.delivery
                        .contains(&crate::model::DeliveryMode::ClickCollect)
                })
                .count()
        };
        assert_eq!(files.len(), 1 + collecting(&catalogue));
        catalogue.shops[0]
            .delivery
            .retain(|m| *m != crate::model::DeliveryMode::ClickCollect);
        assert!(local::feed(&catalogue, 0, today).is_none());
        assert_eq!(
            super::files(&catalogue, today).len(),
            1 + collecting(&catalogue)
        );
    }

    #[test]
    fn pickup_is_same_day_when_preparation_fits_in_an_opening() {
        let (_dir, catalogue) = generated(1, 5);
        let mut shop = catalogue.shops[0].clone();
        let range = |opens, closes| crate::model::OpeningRange { opens, closes };
        shop.hours = crate::model::Hours(Default::default());
        shop.hours.0[2] = vec![range(9 * 60, 12 * 60), range(14 * 60, 19 * 60)];
        for (minutes, sla) in [(30, "same day"), (300, "same day"), (301, "next day")] {
            shop.preparation_minutes = minutes;
            assert_eq!(local::pickup_sla(&shop), sla, "{minutes} minutes");
        }
    }

    #[test]
    fn sale_dates_follow_paris_time() {
        let winter = sale_dates(Date::constant(2026, 11, 1), Date::constant(2026, 11, 30));
        assert_eq!(winter, "2026-11-01T00:00+01:00/2026-11-30T23:59+01:00");
        let summer = sale_dates(Date::constant(2026, 7, 1), Date::constant(2026, 7, 14));
        assert_eq!(summer, "2026-07-01T00:00+02:00/2026-07-14T23:59+02:00");
    }
}
