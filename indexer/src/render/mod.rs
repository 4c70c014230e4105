//! Pre-rendered HTML pages (maud): home, shops, shop, aisles, products, 404.
//!
//! Each page is a pure function of the catalogue and the build date, returning its URL path
//! and HTML; the build stage decides where files go. The shared layout is public because
//! the server draws its dynamic pages (search, cart…) with the same head and chrome.

pub mod images;
mod jsonld;

pub use jsonld::OfferParts;
mod layout;
mod listing;
mod pages;
mod product;
mod shop;

pub use listing::{Listing, Pages, category_listing, category_pages, page_file};
pub use pages::{GONE_PAGE, home, shops as shops_index};
pub use shop::{listing as shop_listing, pages as shop_pages};
pub mod text;

pub use layout::{Asset, Page, Site, layout, listing_key};
pub use listing::{PAGE_SIZE, card, first_image, page_path, pagination, price};

use crate::model::Catalogue;

/// One rendered file: its URL path (`/boutiques/`), its file path in the build
/// (`boutiques/index.html`), and its content.
#[derive(Debug)]
pub struct Rendered {
    /// The file, relative to the build's site folder.
    pub file: String,
    /// HTML.
    pub html: String,
}

impl Rendered {
    fn new(file: String, html: maud::Markup) -> Self {
        Self {
            file,
            html: html.into_string(),
        }
    }
}

/// Every page of the site except product pages (rendered one by one, in parallel).
#[must_use]
pub fn site_pages(site: &Site<'_>) -> Vec<Rendered> {
    let mut pages = vec![
        pages::home(site),
        pages::shops(site),
        pages::not_found(site),
        pages::gone(site),
    ];
    pages.extend(
        site.catalogue
            .online_shops()
            .flat_map(|(i, _)| shop::pages(site, i)),
    );
    pages.extend(
        (0..site.catalogue.categories.len()).flat_map(|c| listing::category_pages(site, c)),
    );
    pages
}

/// The page of product number `index`.
#[must_use]
pub fn product_page(site: &Site<'_>, index: usize) -> Rendered {
    product::page(site, index)
}

/// The file of the page at URL `path`, e.g. `/boutiques/` → `boutiques/index.html`.
#[must_use]
pub fn file_of(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

/// The URL path of the page in `file`, the reverse of [`file_of`] and [`page_file`]:
/// `boutiques/index.html` → `/boutiques/`, `rayons/x/page-2.html` → `/rayons/x/?page=2`;
/// `None` for files that are no page of their own (the 404 and 410 pages).
#[must_use]
pub fn path_of(file: &str) -> Option<String> {
    let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
    let base = if dir.is_empty() {
        "/".to_owned()
    } else {
        format!("/{dir}/")
    };
    if name == "index.html" {
        return Some(base);
    }
    let n: usize = name
        .strip_prefix("page-")?
        .strip_suffix(".html")?
        .parse()
        .ok()?;
    Some(page_path(&base, n))
}

/// The URL path of the shop at `shop` in the catalogue (pages and the server share it).
pub fn shop_path(catalogue: &Catalogue, shop: usize) -> String {
    format!("/boutiques/{}/", catalogue.shops[shop].slug)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_of_files_reverse_files_of_paths() {
        for path in ["/", "/boutiques/", "/rayons/a/b/", "/rayons/a/?page=3"] {
            let file = match path.split_once("?page=") {
                Some((base, n)) => super::page_file(base, n.parse().unwrap_or(1)),
                None => super::file_of(path),
            };
            assert_eq!(super::path_of(&file).as_deref(), Some(path));
        }
        assert_eq!(super::path_of("404.html"), None);
    }
}
