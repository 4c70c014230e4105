//! The home page, the shops index and the 404 page.

use super::layout::{Page, Site, layout};
use super::listing::{card, first_image};
use super::{Rendered, jsonld, shop_path, text};
use crate::model::Shop;
use maud::html;

/// Products shown in each home page strip.
const HOME_STRIP: usize = 8;

/// The home page: aisles, shops, current sales, newest products.
pub fn home(site: &Site<'_>) -> Rendered {
    let catalogue = site.catalogue;
    let town = &catalogue.town;
    let on_sale: Vec<_> = site
        .listed(|p| p.sale_on(site.today).is_some())
        .into_iter()
        .take(HOME_STRIP)
        .collect();
    let mut newest = site.listed(|_| true);
    let newest_first = |a: &&crate::model::Product, b: &&crate::model::Product| {
        (b.created, &a.id).cmp(&(a.created, &b.id))
    };
    if newest.len() > HOME_STRIP {
        newest.select_nth_unstable_by(HOME_STRIP, newest_first);
        newest.truncate(HOME_STRIP);
    }
    newest.sort_by(newest_first);
    let body = html! {
        section.hero {
            h1 { (town.site_name) }
            p.lead { (town.description) }
        }
        section aria-labelledby="rayons" {
            h2 #rayons { "Les rayons" }
            ul.tiles {
                @for (i, c) in catalogue.categories.iter().enumerate().filter(|(_, c)| c.parent.is_none()) {
                    li { a href=(catalogue.category_path(i)) { strong { (c.name) } span { (c.description) } } }
                }
            }
        }
        @if !on_sale.is_empty() {
            section aria-labelledby="promotions" {
                h2 #promotions { "Promotions du moment" }
                ul.cards { @for p in &on_sale { (card(site, p)) } }
            }
        }
        section aria-labelledby="nouveautes" {
            h2 #nouveautes { "Nouveautés" }
            ul.cards { @for p in &newest { (card(site, p)) } }
        }
        section aria-labelledby="boutiques" {
            h2 #boutiques { (catalogue.online_shops().count()) " boutiques de " (town.name) }
            p { a href="/boutiques/" { "Voir toutes les boutiques" } }
        }
    };
    let page = Page {
        title: format!("{} – {}", town.site_name, town.tagline),
        description: text::cut_at_word(&town.description, text::META_DESCRIPTION_MAX),
        path: "/".to_owned(),
        og_type: "website",
        image: on_sale
            .first()
            .or(newest.first())
            .and_then(|p| first_image(catalogue, p)),
        breadcrumbs: vec![("Accueil".into(), "/".into())],
        json_ld: vec![jsonld::online_store(catalogue).to_string()],
        robots: None,
        body,
    };
    Rendered::new("index.html".to_owned(), layout(site, page))
}

/// The shops index, grouped by trade.
pub fn shops(site: &Site<'_>) -> Rendered {
    let catalogue = site.catalogue;
    let town = &catalogue.town;
    let shops: Vec<(usize, &Shop)> = catalogue.online_shops().collect();
    let mut trades: Vec<&str> = shops.iter().map(|(_, s)| s.trade.label()).collect();
    trades.sort_unstable();
    trades.dedup();
    let body = html! {
        h1 { "Les boutiques de " (town.name) }
        p.lead { (shops.len()) " commerces indépendants, à retrouver en ligne et en ville." }
        @for trade in &trades {
            section {
                h2 { (trade) }
                ul.shops {
                    @for (i, shop) in shops.iter().filter(|(_, s)| s.trade.label() == *trade) {
                        li {
                            a href=(shop_path(catalogue, *i)) { (shop.name) }
                            span { (shop.address.street) }
                        }
                    }
                }
            }
        }
    };
    let page = Page {
        title: format!("Les boutiques de {} | {}", town.name, town.site_name),
        description: text::cut_at_word(
            &format!(
                "Les {} commerces indépendants de {} en ligne : {}.",
                shops.len(),
                town.name,
                trades.join(", ").to_lowercase()
            ),
            text::META_DESCRIPTION_MAX,
        ),
        path: "/boutiques/".to_owned(),
        og_type: "website",
        image: shops_image(site),
        breadcrumbs: vec![
            ("Accueil".into(), "/".into()),
            ("Boutiques".into(), "/boutiques/".into()),
        ],
        json_ld: Vec::new(),
        robots: None,
        body,
    };
    Rendered::new("boutiques/index.html".to_owned(), layout(site, page))
}

/// The first shop front, else the first product picture: the shops index's `og:image`.
fn shops_image(site: &Site<'_>) -> Option<String> {
    let catalogue = site.catalogue;
    let front = catalogue.online_shops().find_map(|(_, s)| {
        s.image
            .as_ref()
            .and_then(|i| super::images::variants(&s.slug, i).pop())
    });
    front.map(|v| v.path).or_else(|| {
        site.listed(|_| true)
            .first()
            .and_then(|p| first_image(catalogue, p))
    })
}

/// The page served with status 404.
pub fn not_found(site: &Site<'_>) -> Rendered {
    let catalogue = site.catalogue;
    let body = html! {
        h1 { "Page introuvable" }
        p { "Cette page n’existe pas ou plus. Le produit a peut-être été retiré de la vente." }
        ul {
            li { a href="/" { "Retour à l’accueil" } }
            li { a href="/boutiques/" { "Voir les boutiques" } }
        }
    };
    let page = Page {
        title: format!("Page introuvable | {}", catalogue.town.site_name),
        description: "Cette page n’existe pas ou plus.".to_owned(),
        path: "/404.html".to_owned(),
        og_type: "website",
        image: None,
        breadcrumbs: Vec::new(),
        json_ld: Vec::new(),
        robots: Some("noindex"),
        body,
    };
    Rendered::new("404.html".to_owned(), layout(site, page))
}

/// The page served with status 410 at the path of a product taken off the site.
pub fn gone(site: &Site<'_>) -> Rendered {
    let catalogue = site.catalogue;
    let body = html! {
        h1 { "Ce produit n’est plus en vente" }
        p { "La boutique l’a retiré du site. D’autres produits vous attendent peut-être dans le même rayon." }
        form.search-again method="get" action="/recherche" role="search" {
            label for="q-gone" { "Chercher un autre produit" }
            input #q-gone type="search" name="q" autocomplete="off";
            button.button type="submit" { "Rechercher" }
        }
        ul {
            li { a href="/" { "Retour à l’accueil" } }
            li { a href="/boutiques/" { "Voir les boutiques" } }
        }
    };
    let page = Page {
        title: format!("Produit retiré de la vente | {}", catalogue.town.site_name),
        description: "Ce produit n’est plus en vente.".to_owned(),
        path: "/410.html".to_owned(),
        og_type: "website",
        image: None,
        breadcrumbs: Vec::new(),
        json_ld: Vec::new(),
        robots: Some("noindex"),
        body,
    };
    Rendered::new(GONE_PAGE.to_owned(), layout(site, page))
}

/// The file of the 410 page.
pub const GONE_PAGE: &str = "410.html";
