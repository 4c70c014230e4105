//! The page frame every page shares: head (title, description, canonical, Open Graph,
//! JSON-LD), skip link, header with the aisles, breadcrumbs, footer.

use crate::model::Catalogue;
use jiff::civil::Date;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// A static asset of `site/`, fingerprinted by the server's `build.rs`.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Logical name (`style.css`).
    pub name: &'static str,
    /// URL path with the content hash (`/assets/style.3f9a0c1b.css`).
    pub path: &'static str,
    /// The bytes.
    pub bytes: &'static [u8],
}

/// What every page is rendered from.
pub struct Site<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
    /// The fingerprinted assets.
    pub assets: &'a [Asset],
    /// Today, for sale prices.
    pub today: Date,
    /// Published products in listing order (title with accents folded, then id).
    pub order: Vec<usize>,
    /// JSON-LD shared by product offers, serialised once.
    pub offer_parts: super::jsonld::OfferParts,
    /// The search box's text (the query, on the results page).
    pub query: &'a str,
}

impl<'a> Site<'a> {
    /// The rendering context for `catalogue` on `today`.
    #[must_use]
    pub fn new(catalogue: &'a Catalogue, assets: &'a [Asset], today: Date) -> Self {
        let mut keyed: Vec<(String, usize)> = catalogue
            .products
            .iter()
            .enumerate()
            .filter(|(_, p)| catalogue.is_public(p))
            .map(|(i, p)| (listing_key(p), i))
            .collect();
        keyed.sort_by(|a, b| {
            (&a.0, &catalogue.products[a.1].id).cmp(&(&b.0, &catalogue.products[b.1].id))
        });
        Self {
            catalogue,
            assets,
            today,
            order: keyed.into_iter().map(|(_, i)| i).collect(),
            offer_parts: super::jsonld::OfferParts::new(catalogue),
            query: "",
        }
    }

    /// The rendering context with the listing order and offer parts already known (kept
    /// up to date by incremental updates rather than computed again).
    #[must_use]
    pub fn with_order(
        catalogue: &'a Catalogue,
        assets: &'a [Asset],
        today: Date,
        order: Vec<usize>,
        offer_parts: super::jsonld::OfferParts,
    ) -> Self {
        Self {
            catalogue,
            assets,
            today,
            order,
            offer_parts,
            query: "",
        }
    }

    /// The context of one dynamic page drawn by the server (search, cart): the chrome and
    /// product cards, without the listing order and offer cache a full build computes.
    #[must_use]
    pub fn frame(catalogue: &'a Catalogue, assets: &'a [Asset], today: Date) -> Self {
        Self {
            catalogue,
            assets,
            today,
            order: Vec::new(),
            offer_parts: super::jsonld::OfferParts::policy_only(catalogue),
            query: "",
        }
    }

    /// Published products kept by `keep`, in listing order.
    pub fn listed(
        &self,
        keep: impl Fn(&crate::model::Product) -> bool,
    ) -> Vec<&'a crate::model::Product> {
        let catalogue: &'a Catalogue = self.catalogue;
        self.order
            .iter()
            .map(|&i| catalogue.products[i].as_ref())
            .filter(|p| keep(p))
            .collect()
    }

    /// The fingerprinted path of an asset (its logical name when unknown).
    #[must_use]
    pub fn asset(&self, name: &str) -> String {
        self.assets
            .iter()
            .find(|a| a.name == name)
            .map_or_else(|| format!("/assets/{name}"), |a| a.path.to_owned())
    }
}

/// What listings sort products by (then by id): the title, lowercase, accents folded.
#[must_use]
pub fn listing_key(product: &crate::model::Product) -> String {
    deunicode::deunicode(&product.title).to_lowercase()
}

/// One page, before it is framed.
pub struct Page {
    /// The whole `<title>`.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// URL path of the canonical page (`/boutiques/`), made absolute in the head.
    pub path: String,
    /// `og:type`.
    pub og_type: &'static str,
    /// Absolute URL path of the page's picture.
    pub image: Option<String>,
    /// The trail, home first, the page itself last: (name, URL path).
    pub breadcrumbs: Vec<(String, String)>,
    /// JSON-LD objects (serialised) besides the breadcrumb list.
    pub json_ld: Vec<String>,
    /// `robots` meta, when not the default.
    pub robots: Option<&'static str>,
    /// The page's own content, inside `<main>`.
    pub body: Markup,
}

/// Frames `page` in the shared layout.
#[must_use]
pub fn layout(site: &Site<'_>, page: Page) -> Markup {
    let town = &site.catalogue.town;
    let canonical = site.catalogue.absolute(&page.path);
    let image = page.image.as_deref().map(|p| site.catalogue.absolute(p));
    let mut json_ld = page.json_ld;
    if page.breadcrumbs.len() > 1 {
        json_ld.push(super::jsonld::breadcrumbs(
            site.catalogue,
            &page.breadcrumbs,
        ));
    }
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) }
                meta name="description" content=(page.description);
                @if let Some(robots) = page.robots { meta name="robots" content=(robots); }
                @if page.robots.is_none() { link rel="canonical" href=(canonical); }
                link rel="stylesheet" href=(site.asset("style.css"));
                link rel="icon" href=(site.asset("favicon.svg")) type="image/svg+xml";
                meta property="og:site_name" content=(town.site_name);
                meta property="og:locale" content="fr_FR";
                meta property="og:title" content=(page.title);
                meta property="og:description" content=(page.description);
                meta property="og:type" content=(page.og_type);
                meta property="og:url" content=(canonical);
                @if let Some(image) = &image { meta property="og:image" content=(image); }
                @for value in &json_ld { script type="application/ld+json" { (json_script(value)) } }
                script src=(site.asset("search.js")) defer {}
            }
            body {
                a.skip href="#contenu" { "Aller au contenu" }
                (header(site))
                main #contenu tabindex="-1" {
                    @if page.breadcrumbs.len() > 1 { (breadcrumbs(&page.breadcrumbs)) }
                    (page.body)
                }
                (footer(site.catalogue))
            }
        }
    }
}

/// A JSON-LD object as script content: `</` escaped so the script cannot be closed early.
fn json_script(json: &str) -> PreEscaped<std::borrow::Cow<'_, str>> {
    if json.contains("</") {
        PreEscaped(std::borrow::Cow::Owned(json.replace("</", "<\\/")))
    } else {
        PreEscaped(std::borrow::Cow::Borrowed(json))
    }
}

fn header(site: &Site<'_>) -> Markup {
    let catalogue = site.catalogue;
    html! {
        header.site {
            div.bar {
                a.brand href="/" { span.name { (catalogue.town.site_name) } span.tagline { (catalogue.town.tagline) } }
                (search_box(site.query))
                a.cart-link href="/panier" { "Panier" }
            }
            nav aria-label="Rayons" {
                ul {
                    @for (i, c) in catalogue.categories.iter().enumerate().filter(|(_, c)| c.parent.is_none()) {
                        li { a href=(catalogue.category_path(i)) { (c.name) } }
                    }
                    li { a href="/boutiques/" { "Boutiques" } }
                }
            }
        }
    }
}

/// The search form: a plain GET form to `/recherche`; `search.js` turns it into an
/// autocomplete combobox when JavaScript runs.
fn search_box(query: &str) -> Markup {
    html! {
        form.search role="search" action="/recherche" method="get" {
            label.visually-hidden for="q" { "Rechercher un produit, une boutique ou un rayon" }
            input #q type="search" name="q" value=(query) placeholder="Pain, fromage, écharpe…"
                autocomplete="off" enterkeyhint="search" maxlength="200";
            button type="submit" { "Rechercher" }
        }
    }
}

fn breadcrumbs(trail: &[(String, String)]) -> Markup {
    html! {
        nav.breadcrumbs aria-label="Fil d’Ariane" {
            ol {
                @for (i, (name, path)) in trail.iter().enumerate() {
                    @if i + 1 == trail.len() {
                        li { a href=(path) aria-current="page" { (name) } }
                    } @else {
                        li { a href=(path) { (name) } }
                    }
                }
            }
        }
    }
}

fn footer(catalogue: &Catalogue) -> Markup {
    let town = &catalogue.town;
    html! {
        footer.site {
            div {
                p { strong { (town.site_name) } " — " (town.tagline) }
                p { (town.address.street) ", " (town.address.postcode) " " (town.address.city) }
                p { a href={ "tel:" (town.phone.replace(' ', "")) } { (super::text::national_phone(&town.phone)) } " · " a href={ "mailto:" (town.email) } { (town.email) } }
            }
            div {
                p { "Retrait en boutique, consigne automatique, points relais, livraison à domicile à "
                    (town.name) " et envoi partout en France." }
                p { "Retours acceptés sous " (town.return_days) " jours." }
            }
        }
    }
}
