//! Product listings: cards, pagination (`?page=n`, each page its own canonical) and the
//! aisle pages.

use super::layout::{Page, Site, layout};
use super::{Rendered, images, text};
use crate::model::{Catalogue, Product};
use maud::{Markup, html};

/// Products per listing page.
pub const PAGE_SIZE: usize = 48;

/// The URL path of page `n` of a listing at `base` (`/rayons/x/` or `/rayons/x/?page=2`).
#[must_use]
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}?page={n}")
    }
}

/// The build file of page `n` of a listing at `base`.
#[must_use]
pub fn page_file(base: &str, n: usize) -> String {
    if n <= 1 {
        super::file_of(base)
    } else {
        format!("{}page-{n}.html", base.trim_start_matches('/'))
    }
}

/// A product card: picture, title, shop, price.
pub fn card(site: &Site<'_>, product: &Product) -> Markup {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop];
    let variants = product
        .images
        .first()
        .map(|i| images::variants(&shop.slug, i))
        .unwrap_or_default();
    let small = images::pick(&variants, 320);
    html! {
        li.card {
            @if let Some(img) = small {
                img src=(img.path) srcset=(images::srcset(&variants)) sizes="(min-width: 60em) 15rem, 45vw"
                    width=(img.width) height=(img.height) alt="" loading="lazy" decoding="async";
            }
            h3 { a href=(catalogue.product_path(product)) { (product.title) } }
            p.shop { (shop.name) }
            (price(site, product))
        }
    }
}

/// The price block: the sale price with the regular one struck through, "à partir de"
/// when variants differ.
pub fn price(site: &Site<'_>, product: &Product) -> Markup {
    let today = site.today;
    let lowest = product.lowest_price_on(today);
    let from = !product.variants.is_empty()
        && product
            .variants
            .iter()
            .any(|v| product.price_on(today, Some(v)) != lowest);
    let regular = if product.variants.is_empty() {
        product.price
    } else {
        lowest.max(product.price)
    };
    let on_sale = product.sale_on(today).is_some() && lowest < regular;
    html! {
        p.price {
            @if from { "À partir de " }
            @if on_sale {
                ins { span.visually-hidden { "Prix soldé : " } (lowest) }
                " " del { span.visually-hidden { "Prix normal : " } (regular) }
            } @else {
                (lowest)
            }
        }
    }
}

/// The navigation between pages of a listing.
pub fn pagination(base: &str, current: usize, pages: usize) -> Markup {
    html! {
        @if pages > 1 {
            nav.pagination aria-label="Pages" {
                @if current > 1 { a rel="prev" href=(page_path(base, current - 1)) { "← Page précédente" } }
                span { "Page " (current) " sur " (pages) }
                @if current < pages { a rel="next" href=(page_path(base, current + 1)) { "Page suivante →" } }
            }
        }
    }
}

/// Which pages of a listing to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    /// Every page.
    All,
    /// Pages `first..=last` (from 1), as far as the listing goes.
    Range(usize, usize),
}

/// Some pages of a listing: how many it has in all, and those rendered, by number.
#[derive(Debug)]
pub struct Listing {
    /// Pages in the whole listing.
    pub pages: usize,
    /// The pages rendered, with their numbers (from 1).
    pub rendered: Vec<(usize, Rendered)>,
}

impl Listing {
    /// The rendered pages alone.
    #[must_use]
    pub fn into_pages(self) -> Vec<Rendered> {
        self.rendered.into_iter().map(|(_, r)| r).collect()
    }
}

/// Renders the `which` pages of a paginated listing with `frame` drawing one page.
pub fn paginate(
    products: &[&Product],
    base: &str,
    which: Pages,
    mut frame: impl FnMut(usize, usize, &[&Product]) -> Markup,
) -> Listing {
    let pages = products.len().div_ceil(PAGE_SIZE).max(1);
    let (first, last) = match which {
        Pages::All => (1, pages),
        Pages::Range(first, last) => (first.max(1), last.min(pages)),
    };
    let rendered = (first..=last)
        .map(|n| {
            let chunk = products.chunks(PAGE_SIZE).nth(n - 1).unwrap_or(&[]);
            (n, Rendered::new(page_file(base, n), frame(n, pages, chunk)))
        })
        .collect();
    Listing { pages, rendered }
}

/// " – page 2" after a title, for pages past the first.
pub fn page_suffix(n: usize) -> String {
    if n > 1 {
        format!(" – page {n}")
    } else {
        String::new()
    }
}

/// A listing's description for page `n`: `… de la ville (page 2).` past the first page.
pub fn described_page(description: &str, n: usize) -> String {
    if n > 1 {
        format!("{} (page {n}).", description.trim_end_matches(['.', ' ']))
    } else {
        description.to_owned()
    }
}

/// Every page of aisle `category`.
pub fn category_pages(site: &Site<'_>, category: usize) -> Vec<Rendered> {
    category_listing(site, category, Pages::All).into_pages()
}

/// The `which` pages of aisle `category`.
pub fn category_listing(site: &Site<'_>, category: usize, which: Pages) -> Listing {
    let catalogue = site.catalogue;
    let c = &catalogue.categories[category];
    let base = catalogue.category_path(category);
    let products = site.listed(|p| catalogue.category_within(p.category, category));
    let children: Vec<(usize, &crate::model::Category)> = catalogue
        .categories
        .iter()
        .enumerate()
        .filter(|(_, child)| child.parent == Some(category))
        .collect();
    let mut trail = vec![("Accueil".to_owned(), "/".to_owned())];
    trail.extend(catalogue.category_crumbs(category));
    let image = products.first().and_then(|p| first_image(catalogue, p));
    paginate(&products, &base, which, |n, pages, chunk| {
        let mut crumbs = trail.clone();
        if n > 1
            && let Some(last) = crumbs.last_mut()
        {
            last.1 = page_path(&base, n);
        }
        let body = html! {
            h1 { (c.name) (page_suffix(n)) }
            p.lead { (c.description) }
            @if !children.is_empty() {
                nav.subcategories aria-label="Sous-rayons" {
                    ul { @for (i, child) in &children { li { a href=(catalogue.category_path(*i)) { (child.name) } } } }
                }
            }
            // The cards' titles are h3: this keeps the outline without a skipped level.
            h2.visually-hidden { "Produits" }
            p.count { (products.len()) " produit" @if products.len() > 1 { "s" } }
            ul.cards { @for p in chunk { (card(site, p)) } }
            (pagination(&base, n, pages))
        };
        let title = format!(
            "{}{} – {} | {}",
            c.name,
            page_suffix(n),
            catalogue.town.name,
            catalogue.town.site_name
        );
        let description = text::cut_at_word(
            &described_page(&c.description, n),
            text::META_DESCRIPTION_MAX,
        );
        layout(
            site,
            Page {
                title,
                description,
                path: page_path(&base, n),
                og_type: "website",
                image: image.clone(),
                breadcrumbs: crumbs,
                json_ld: Vec::new(),
                robots: None,
                body,
            },
        )
    })
}

/// The URL path of a product's main picture, at its widest.
pub fn first_image(catalogue: &Catalogue, product: &Product) -> Option<String> {
    let shop = &catalogue.shops[product.shop].slug;
    product
        .images
        .first()
        .and_then(|i| images::variants(shop, i).pop())
        .map(|v| v.path)
}
