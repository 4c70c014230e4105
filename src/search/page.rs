//! `/recherche`: the results page, drawn on the server in the site's layout. Facets are a
//! plain GET form (checkboxes with counts, price bounds) and links (aisles, price ranges),
//! so every state has a shareable URL and nothing needs JavaScript. `noindex,follow`.

use super::facets::{Facts, PRICE_RANGES};
use super::snippet::Piece;
use super::{Results, SearchParams, Sort};
use comptoir_indexer::Catalogue;
use comptoir_indexer::model::DeliveryMode;
use comptoir_indexer::money::Money;
use comptoir_indexer::render::{self, Page, Site, images};
use maud::{Markup, html};

/// The whole results page.
#[must_use]
pub fn results_page(
    site: &Site<'_>,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> String {
    let catalogue = site.catalogue;
    let heading = if params.q.trim().is_empty() {
        "Tous les produits".to_owned()
    } else {
        format!("Résultats pour « {} »", params.q.trim())
    };
    let body = html! {
        h1 { (heading) }
        p.result-count role="status" { (count_text(results.total)) }
        @if let Some(better) = &results.did_you_mean {
            p.did-you-mean {
                "Vouliez-vous dire : "
                a href=(SearchParams { q: better.clone(), ..SearchParams::default() }.with(|_| {}).url(catalogue, facts)) { strong { (better) } }
                " ?"
            }
        }
        @if results.partial && results.total > 0 {
            p.notice { "Aucun produit ne contient tous ces mots : voici ceux qui en contiennent le plus." }
        }
        div.search-layout {
            section.results aria-labelledby="resultats" {
                h2.visually-hidden #resultats { "Résultats" }
                p.to-filters { a href="#filtres" { "Affiner les résultats" } }
                (sort_form(catalogue, facts, params))
                @if results.hits.is_empty() {
                    p.empty { "Aucun produit ne correspond. Essayez un autre mot ou retirez un filtre." }
                } @else {
                    ul.cards { @for hit in &results.hits { (card(site, hit)) } }
                }
                (pagination(catalogue, facts, params, results))
            }
            (filters(catalogue, facts, params, results))
        }
    };
    let title = if params.q.trim().is_empty() {
        format!("Recherche – {}", catalogue.town.site_name)
    } else {
        format!(
            "{} – Recherche – {}",
            params.q.trim(),
            catalogue.town.site_name
        )
    };
    page(site, title, body)
}

/// A page saying why the request could not be used (400), with the search box.
#[must_use]
pub fn error_page(site: &Site<'_>, message: &str) -> String {
    let body = html! {
        h1 { "Recherche impossible" }
        p.error role="alert" { (message) }
        p { a href="/recherche" { "Recommencer la recherche" } }
    };
    page(
        site,
        format!("Recherche impossible – {}", site.catalogue.town.site_name),
        body,
    )
}

fn page(site: &Site<'_>, title: String, body: Markup) -> String {
    render::layout(
        site,
        Page {
            title,
            description: format!(
                "Rechercher parmi les produits des commerces de {}.",
                site.catalogue.town.name
            ),
            path: "/recherche".to_owned(),
            og_type: "website",
            image: None,
            breadcrumbs: vec![
                ("Accueil".to_owned(), "/".to_owned()),
                ("Recherche".to_owned(), "/recherche".to_owned()),
            ],
            json_ld: Vec::new(),
            robots: Some("noindex,follow"),
            body,
        },
    )
    .into_string()
}

fn count_text(total: usize) -> String {
    match total {
        0 => "Aucun produit".to_owned(),
        1 => "1 produit".to_owned(),
        n => format!("{n} produits"),
    }
}

/// Marked pieces of text.
#[must_use]
pub fn pieces(pieces: &[Piece]) -> Markup {
    html! {
        @for piece in pieces {
            @if piece.matched { mark { (piece.text) } } @else { (piece.text) }
        }
    }
}

fn card(site: &Site<'_>, hit: &super::Hit) -> Markup {
    let catalogue = site.catalogue;
    let product = &catalogue.products[hit.ord];
    let shop = &catalogue.shops[product.shop];
    let variants = product
        .images
        .first()
        .map(|i| images::variants(&shop.slug, i))
        .unwrap_or_default();
    html! {
        li.card {
            @if let Some(img) = images::pick(&variants, 320) {
                img src=(img.path) srcset=(images::srcset(&variants)) sizes="(min-width: 60em) 15rem, 45vw"
                    width=(img.width) height=(img.height) alt="" loading="lazy" decoding="async";
            }
            h3 { a href=(catalogue.product_path(product)) { (pieces(&hit.title)) } }
            p.shop { (shop.name) }
            (render::price(site, product))
            @if !hit.in_stock { p.stock-out { "Rupture de stock" } }
            @if hit.snippet.iter().any(|p| p.matched) { p.snippet { (pieces(&hit.snippet)) } }
        }
    }
}

fn sort_form(catalogue: &Catalogue, facts: &Facts, params: &SearchParams) -> Markup {
    let without_sort = params.with(|p| p.sort = Sort::Relevance);
    html! {
        form.sort method="get" action="/recherche" {
            @for (name, value) in form_urlencoded::parse(without_sort.query_string(catalogue, facts).as_bytes()) {
                input type="hidden" name=(name) value=(value);
            }
            label for="tri" { "Trier par" }
            select #tri name="tri" {
                @for sort in Sort::ALL {
                    option value=(sort.key()) selected[sort == params.sort] { (sort.label()) }
                }
            }
            button type="submit" { "Trier" }
        }
    }
}

fn filters(
    catalogue: &Catalogue,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> Markup {
    let counts = &results.counts;
    let f = &params.filters;
    html! {
        aside.facets aria-labelledby="filtres" {
            h2 #filtres { "Affiner" }
            (aisles(catalogue, facts, params, results))
            (price_links(catalogue, facts, params, results))
            form method="get" action="/recherche" {
                @if !params.q.is_empty() { input type="hidden" name="q" value=(params.q); }
                @if params.sort != Sort::Relevance { input type="hidden" name="tri" value=(params.sort.key()); }
                @if let Some(aisle) = f.aisle { input type="hidden" name="rayon" value=(catalogue.categories[aisle].slug); }
                (checkboxes("Boutique", "boutique", counts.shops.iter().map(|(&s, &n)| {
                    let shop = &catalogue.shops[s];
                    (shop.slug.clone(), shop.name.clone(), n, f.shops.contains(&s))
                })))
                (checkboxes("Couleur", "couleur", counts.colors.iter().map(|(&c, &n)| {
                    let v = &facts.colors[usize::from(c)];
                    (v.key.clone(), v.label.clone(), n, f.colors.contains(&c))
                })))
                (checkboxes("Taille", "taille", size_counts(facts, params, results)))
                (checkboxes("Retrait et livraison", "mode", DeliveryMode::ALL.into_iter().filter_map(|m| {
                    counts.modes.get(&m).map(|&n| (m.key().to_owned(), m.label().to_owned(), n, f.modes.contains(&m)))
                })))
                fieldset {
                    legend { "Disponibilité" }
                    div.check {
                        input #f-stock type="checkbox" name="stock" value="1" checked[f.in_stock];
                        label for="f-stock" { "En stock " span.count { "(" (counts.in_stock) ")" } }
                    }
                }
                fieldset.price-bounds {
                    legend { "Prix (€)" }
                    label for="f-prix-min" { "Minimum" }
                    input #f-prix-min type="text" inputmode="decimal" name="prix_min" size="6"
                        value=(f.price_min.map(Money::to_decimal).unwrap_or_default());
                    label for="f-prix-max" { "Maximum" }
                    input #f-prix-max type="text" inputmode="decimal" name="prix_max" size="6"
                        value=(f.price_max.map(Money::to_decimal).unwrap_or_default());
                }
                button type="submit" { "Filtrer" }
            }
            @if *f != super::Filters::default() {
                p { a href=(SearchParams { q: params.q.clone(), sort: params.sort, page: 1, ..SearchParams::default() }.url(catalogue, facts)) { "Retirer tous les filtres" } }
            }
        }
    }
}

/// Sizes in their natural order (counts are kept by index, already in that order).
fn size_counts<'a>(
    facts: &'a Facts,
    params: &'a SearchParams,
    results: &'a Results,
) -> impl Iterator<Item = (String, String, usize, bool)> + 'a {
    results.counts.sizes.iter().map(|(&s, &n)| {
        let v = &facts.sizes[usize::from(s)];
        (
            v.key.clone(),
            v.label.clone(),
            n,
            params.filters.sizes.contains(&s),
        )
    })
}

/// A group of checkboxes: (value, label, count, ticked); values no result has are left
/// out unless ticked.
fn checkboxes(
    legend: &str,
    name: &str,
    values: impl Iterator<Item = (String, String, usize, bool)>,
) -> Markup {
    let values: Vec<_> = values.filter(|(_, _, n, on)| *n > 0 || *on).collect();
    html! {
        @if !values.is_empty() {
            fieldset {
                legend { (legend) }
                @for (value, label, count, on) in &values {
                    @let id = format!("f-{name}-{value}");
                    div.check {
                        input id=(id) type="checkbox" name=(name) value=(value) checked[*on];
                        label for=(id) { (label) " " span.count { "(" (count) ")" } }
                    }
                }
            }
        }
    }
}

/// The aisle filter: the chosen aisle's trail (to widen) and its sub-aisles, or the top
/// aisles; each a link with its count.
fn aisles(
    catalogue: &Catalogue,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> Markup {
    let counts = &results.counts.aisles;
    let chosen = params.filters.aisle;
    let children: Vec<usize> = (0..catalogue.categories.len())
        .filter(|&c| {
            catalogue.categories[c].parent == chosen && counts.get(&c).is_some_and(|&n| n > 0)
        })
        .collect();
    let link = |aisle: Option<usize>| {
        params
            .with(|p| p.filters.aisle = aisle)
            .url(catalogue, facts)
    };
    html! {
        nav.aisle-facet aria-label="Rayons" {
            h3 { "Rayon" }
            ul {
                @if let Some(c) = chosen {
                    li { a href=(link(None)) { "Tous les rayons" } }
                    @for step in catalogue.category_trail(c) {
                        @let i = catalogue.categories.iter().position(|x| std::ptr::eq(x, step)).unwrap_or(c);
                        li {
                            @if i == c {
                                a href=(link(Some(i))) aria-current="true" { strong { (step.name) } " " span.count { "(" (counts.get(&i).copied().unwrap_or(0)) ")" } }
                            } @else {
                                a href=(link(Some(i))) { (step.name) " " span.count { "(" (counts.get(&i).copied().unwrap_or(0)) ")" } }
                            }
                        }
                    }
                }
                @for c in &children {
                    li.sub { a href=(link(Some(*c))) { (catalogue.categories[*c].name) " " span.count { "(" (counts[c]) ")" } } }
                }
            }
        }
    }
}

/// The price ranges as links that set both bounds.
fn price_links(
    catalogue: &Catalogue,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> Markup {
    html! {
        nav.price-facet aria-label="Tranches de prix" {
            h3 { "Tranche de prix" }
            ul {
                @for (i, &(from, to)) in PRICE_RANGES.iter().enumerate() {
                    @let n = results.counts.prices[i];
                    @if n > 0 {
                        @let min = (from > 0).then(|| Money::from_cents(from));
                        @let max = to.map(|to| Money::from_cents(to - 1));
                        @let url = params.with(|p| { p.filters.price_min = min; p.filters.price_max = max; }).url(catalogue, facts);
                        @let on = params.filters.price_min == min && params.filters.price_max == max;
                        li { a href=(url) aria-current=[on.then_some("true")] { (super::facets::price_label(i)) " " span.count { "(" (n) ")" } } }
                    }
                }
            }
        }
    }
}

fn pagination(
    catalogue: &Catalogue,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> Markup {
    let at = |page: usize| {
        let mut p = params.clone();
        p.page = page;
        p.url(catalogue, facts)
    };
    html! {
        @if results.pages > 1 {
            nav.pagination aria-label="Pages de résultats" {
                @if results.page > 1 { a rel="prev" href=(at(results.page - 1)) { "← Page précédente" } }
                span { "Page " (results.page) " sur " (results.pages) }
                @if results.page < results.pages { a rel="next" href=(at(results.page + 1)) { "Page suivante →" } }
            }
        }
    }
}
