//! Shop pages: who the merchant is, where, when open, how they deliver, what they sell.

use super::layout::{Page, Site, layout};
use super::listing::{Listing, Pages, card, page_path, page_suffix, paginate, pagination};
use super::{Rendered, images, jsonld, shop_path, text};
use crate::model::{Shop, Weekday};
use maud::{Markup, html};

/// Every page of shop number `index`.
pub fn pages(site: &Site<'_>, index: usize) -> Vec<Rendered> {
    listing(site, index, Pages::All).into_pages()
}

/// The `which` pages of shop number `index`.
pub fn listing(site: &Site<'_>, index: usize, which: Pages) -> Listing {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[index];
    let base = shop_path(catalogue, index);
    let products = site.listed(|p| p.shop == index);
    let image = shop
        .image
        .as_ref()
        .and_then(|i| images::variants(&shop.slug, i).pop())
        .map(|v| v.path);
    paginate(&products, &base, which, |n, pages, chunk| {
        let path = page_path(&base, n);
        let body = html! {
            article.shop {
                h1 { (shop.name) (page_suffix(n)) }
                p.trade { (shop.trade.label()) " · " (shop.address.city) }
                @if n == 1 { (details(shop)) }
                h2 { "Les produits de " (shop.name) }
                ul.cards { @for p in chunk { (card(site, p)) } }
                (pagination(&base, n, pages))
            }
        };
        let title = format!(
            "{}, {} à {}{} | {}",
            shop.name,
            shop.trade.label().to_lowercase(),
            shop.address.city,
            page_suffix(n),
            catalogue.town.site_name
        );
        let description = text::cut_at_word(
            &super::listing::described_page(&shop.description, n),
            text::META_DESCRIPTION_MAX,
        );
        layout(
            site,
            Page {
                title,
                description,
                path: path.clone(),
                og_type: "business.business",
                image: image.clone().or_else(|| {
                    products
                        .first()
                        .and_then(|p| super::listing::first_image(catalogue, p))
                }),
                breadcrumbs: vec![
                    ("Accueil".into(), "/".into()),
                    ("Boutiques".into(), "/boutiques/".into()),
                    (shop.name.clone(), path),
                ],
                json_ld: vec![
                    jsonld::local_business(catalogue, shop, &base, image.clone()).to_string(),
                ],
                robots: None,
                body,
            },
        )
    })
}

fn details(shop: &Shop) -> Markup {
    let variants = shop
        .image
        .as_ref()
        .map(|i| images::variants(&shop.slug, i))
        .unwrap_or_default();
    html! {
        div.shop-details {
            @if let Some(img) = images::pick(&variants, 640) {
                img src=(img.path) srcset=(images::srcset(&variants)) sizes="(min-width: 60em) 30rem, 100vw"
                    width=(img.width) height=(img.height) alt={ "Devanture de " (shop.name) };
            }
            div {
                p { (shop.description) }
                h2 { "Adresse et contact" }
                address {
                    (shop.address.street) br; (shop.address.postcode) " " (shop.address.city) br;
                    a href={ "tel:" (shop.phone.replace(' ', "")) } { (text::national_phone(&shop.phone)) }
                    @if let Some(email) = &shop.email { br; a href={ "mailto:" (email) } { (email) } }
                }
                h2 { "Horaires d’ouverture" }
                (hours(shop))
                h2 { "Modes de retrait et de livraison" }
                ul.modes { @for m in &shop.delivery { li { (m.label()) } } }
                @if let Some(date) = shop.charter_signed {
                    p.charter { "Signataire de la charte qualité depuis le " (text::french_date(date)) "." }
                }
            }
        }
    }
}

fn hours(shop: &Shop) -> Markup {
    html! {
        table.hours {
            caption.visually-hidden { "Horaires d’ouverture de " (shop.name) }
            tbody {
                @for day in Weekday::ALL {
                    tr {
                        th scope="row" { (day.french()) }
                        td {
                            @let ranges = shop.hours.day(day);
                            @if ranges.is_empty() { "Fermé" }
                            @for (i, r) in ranges.iter().enumerate() {
                                @if i > 0 { ", " }
                                (text::french_time(r.opens)) " – " (text::french_time(r.closes))
                            }
                        }
                    }
                }
            }
        }
    }
}
