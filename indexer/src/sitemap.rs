//! Sitemaps: which canonical URLs exist and when their content last changed (computed
//! without I/O), then the XML files (a sitemap index and child sitemaps per page type).
//!
//! Limits from the sitemaps.org protocol (<https://www.sitemaps.org/protocol.html>):
//! at most 50,000 URLs and 50 MB (52,428,800 bytes) uncompressed per sitemap file.
//! Images use Google's image extension
//! (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/image-sitemaps>).

use crate::model::{Catalogue, Product};
use crate::render::{PAGE_SIZE, images, page_path};
use jiff::civil::Date;
use sitemap_rs::image::Image;
use sitemap_rs::sitemap::Sitemap;
use sitemap_rs::sitemap_index::SitemapIndex;
use sitemap_rs::url::Url;
use sitemap_rs::url_set::UrlSet;

/// Most URLs one sitemap may list (sitemaps.org protocol).
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;
/// Largest uncompressed sitemap file, in bytes (sitemaps.org protocol: 50 MiB).
pub const MAX_SITEMAP_BYTES: usize = 52_428_800;

/// One URL of a sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// URL path (`/boutiques/x/`), made absolute when written.
    pub path: String,
    /// Last significant change of the content behind it.
    pub lastmod: Date,
    /// URL paths of its pictures.
    pub images: Vec<String>,
}

/// The entries of the pages sitemap: home, shops index, shop and aisle pages (every page of
/// each listing, since each has its own canonical URL).
#[must_use]
pub fn page_entries(catalogue: &Catalogue) -> Vec<Entry> {
    let floor = Date::constant(2000, 1, 1);
    let mut shops: Vec<(usize, Date)> = catalogue
        .shops
        .iter()
        .map(|s| (0, s.updated.unwrap_or(floor)))
        .collect();
    let mut aisles: Vec<(usize, Date)> = vec![(0, floor); catalogue.categories.len()];
    for p in catalogue.published() {
        bump(&mut shops[p.shop], p.updated);
        let mut current = Some(p.category);
        while let Some(c) = current {
            bump(&mut aisles[c], p.updated);
            current = catalogue.categories[c].parent;
        }
    }
    // Shops that are not online (the charter not accepted) have no page.
    let shops: Vec<(usize, (usize, Date))> = catalogue
        .online_shops()
        .map(|(i, _)| (i, shops[i]))
        .collect();
    let newest = shops
        .iter()
        .map(|(_, s)| s)
        .chain(&aisles)
        .map(|s| s.1)
        .max()
        .unwrap_or(floor);
    let mut entries = vec![
        entry("/", newest),
        entry(
            "/boutiques/",
            shops.iter().map(|(_, s)| s.1).max().unwrap_or(floor),
        ),
    ];
    for (i, (count, lastmod)) in &shops {
        entries.extend(listing(
            &format!("/boutiques/{}/", catalogue.shops[*i].slug),
            *count,
            *lastmod,
        ));
    }
    for (i, (count, lastmod)) in aisles.iter().enumerate() {
        entries.extend(listing(&catalogue.category_path(i), *count, *lastmod));
    }
    entries
}

fn bump(slot: &mut (usize, Date), date: Date) {
    slot.0 += 1;
    slot.1 = slot.1.max(date);
}

fn entry(path: &str, lastmod: Date) -> Entry {
    Entry {
        path: path.to_owned(),
        lastmod,
        images: Vec::new(),
    }
}

fn listing(base: &str, count: usize, lastmod: Date) -> impl Iterator<Item = Entry> + '_ {
    (1..=count.div_ceil(PAGE_SIZE).max(1)).map(move |n| entry(&page_path(base, n), lastmod))
}

/// The entry of a product page, with its pictures.
#[must_use]
pub fn product_entry(catalogue: &Catalogue, product: &Product) -> Entry {
    let shop = &catalogue.shops[product.shop].slug;
    let images = product
        .images
        .iter()
        .filter_map(|i| images::variants(shop, i).pop())
        .map(|v| v.path)
        .collect();
    Entry {
        path: catalogue.product_path(product),
        lastmod: product.updated,
        images,
    }
}

/// The sitemap files: (file name, XML). The index `sitemap.xml` comes last and lists the
/// others; `pages` go to `sitemap-pages.xml`, `products` to as many
/// `sitemap-products-N.xml` as the limits require.
///
/// # Errors
///
/// When an entry is too long for the protocol or the XML cannot be written.
pub fn files(
    base_url: &str,
    pages: &[Entry],
    products: &[Entry],
) -> Result<Vec<(String, Vec<u8>)>, String> {
    use rayon::prelude::*;
    let mut sets: Vec<Rendered<'_>> = vec![(pages, urlset(base_url, pages)?)];
    let chunks: Vec<&[Entry]> = products.chunks(MAX_URLS_PER_SITEMAP).collect();
    let rendered: Vec<Rendered<'_>> = chunks
        .into_par_iter()
        .map(|chunk| urlset(base_url, chunk).map(|xml| (chunk, xml)))
        .collect::<Result<_, _>>()?;
    for (chunk, xml) in rendered {
        sets.extend(within_size_limit(base_url, chunk, xml)?);
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(sets.len() + 1);
    let mut children = Vec::with_capacity(sets.len());
    for (i, (entries, xml)) in sets.into_iter().enumerate() {
        let name = if i == 0 {
            "sitemap-pages.xml".to_owned()
        } else {
            format!("sitemap-products-{i}.xml")
        };
        let lastmod = entries.iter().map(|e| e.lastmod).max().and_then(zoned);
        children.push(Sitemap::new(format!("{base_url}/{name}"), lastmod));
        files.push((name, xml));
    }
    let index = SitemapIndex::new(children).map_err(|e| e.to_string())?;
    let mut xml = Vec::new();
    index.write(&mut xml).map_err(|e| e.to_string())?;
    files.push(("sitemap.xml".to_owned(), xml));
    Ok(files)
}

/// Entries and the sitemap XML that lists them.
type Rendered<'a> = (&'a [Entry], Vec<u8>);

/// Splits a rendered sitemap in halves until each is under [`MAX_SITEMAP_BYTES`].
fn within_size_limit<'a>(
    base_url: &str,
    chunk: &'a [Entry],
    xml: Vec<u8>,
) -> Result<Vec<Rendered<'a>>, String> {
    if xml.len() <= MAX_SITEMAP_BYTES || chunk.len() < 2 {
        return Ok(vec![(chunk, xml)]);
    }
    let (a, b) = chunk.split_at(chunk.len() / 2);
    let mut halves = within_size_limit(base_url, a, urlset(base_url, a)?)?;
    halves.extend(within_size_limit(base_url, b, urlset(base_url, b)?)?);
    Ok(halves)
}

fn zoned(date: Date) -> Option<jiff::Zoned> {
    date.to_zoned(jiff::tz::TimeZone::UTC).ok()
}

fn urlset(base_url: &str, entries: &[Entry]) -> Result<Vec<u8>, String> {
    let urls = entries
        .iter()
        .map(|e| {
            let mut builder = Url::builder(format!("{base_url}{}", e.path));
            if let Some(lastmod) = zoned(e.lastmod) {
                builder.last_modified(lastmod);
            }
            builder.images(
                e.images
                    .iter()
                    .map(|i| Image::new(format!("{base_url}{i}")))
                    .collect(),
            );
            builder.build().map_err(|err| err.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let set = UrlSet::new(urls).map_err(|e| e.to_string())?;
    let mut xml = Vec::with_capacity(entries.len() * 200);
    set.write(&mut xml).map_err(|e| e.to_string())?;
    Ok(xml)
}

/// `robots.txt`: everything crawlable but the cart, checkout, back-offices, APIs and
/// searches with filters; points to the sitemap index.
#[must_use]
pub fn robots(base_url: &str) -> String {
    format!(
        "User-agent: *\nDisallow: /panier\nDisallow: /commande\nDisallow: /espace-commercant/\nDisallow: /admin/\n\
         Disallow: /api/\nDisallow: /recherche?*&\n\nSitemap: {base_url}/sitemap.xml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                path: format!("/p/{i}/"),
                lastmod: Date::constant(2026, 1, 1 + (i % 28) as i8),
                images: vec![],
            })
            .collect()
    }

    #[test]
    fn products_split_at_the_protocol_limit() {
        let products = entries(MAX_URLS_PER_SITEMAP + 1);
        let files = files("https://x.fr", &entries(2), &products).unwrap_or_default();
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-pages.xml",
                "sitemap-products-1.xml",
                "sitemap-products-2.xml",
                "sitemap.xml"
            ]
        );
        let count = |xml: &[u8]| xml.windows(5).filter(|w| w == b"<url>").count();
        assert_eq!(count(&files[1].1), MAX_URLS_PER_SITEMAP);
        assert_eq!(count(&files[2].1), 1);
    }

    #[test]
    fn robots_names_the_sitemap_and_hides_private_paths() {
        let robots = robots("https://x.fr");
        assert!(robots.contains("Sitemap: https://x.fr/sitemap.xml"));
        assert!(robots.contains("Disallow: /panier"));
    }
}
