//! A full build: load and validate `content/`, render every page in parallel, write the
//! pictures, sitemaps and robots.txt into a staging folder, then publish it atomically.

use crate::model::Catalogue;
use crate::output::Output;
use crate::publish::{DataDir, new_build_id};
use crate::render::{self, Asset, Site};
use crate::{Error, load, sitemap};
use jiff::civil::Date;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a build needs.
#[derive(Debug, Clone)]
pub struct BuildOptions<'a> {
    /// The catalogue folder.
    pub content: &'a Path,
    /// The data folder (builds, cache).
    pub data: &'a Path,
    /// The site's static assets.
    pub assets: &'a [Asset],
    /// The day prices are computed for.
    pub today: Date,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The published build's folder.
    pub build: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// Products in the catalogue.
    pub products: usize,
    /// Pictures resized (not found in the cache).
    pub images_resized: usize,
    /// Bytes written (pages, sitemaps, compressed copies; pictures excluded).
    pub bytes: u64,
    /// Time spent on pages and sitemaps.
    pub pages_time: Duration,
    /// Time spent on pictures.
    pub images_time: Duration,
}

/// Builds the site from `options.content` and publishes it.
///
/// # Errors
///
/// [`Error::Catalogue`] with every problem when the catalogue is invalid; an I/O or image
/// error otherwise. The live build is left untouched on any error.
pub fn build(options: &BuildOptions<'_>) -> Result<BuildReport, Error> {
    let catalogue = load::load(options.content).map_err(Error::Catalogue)?;
    let data = DataDir::new(options.data);
    let id = new_build_id();
    let staging = data.stage(&id)?;
    let site = staging.join("site");
    let out = Output::new(&site).map_err(|source| Error::Io {
        path: site.clone(),
        source,
    })?;
    let started = Instant::now();
    let (pages, bytes) = write_site(&catalogue, options, &out)?;
    let pages_time = started.elapsed();
    let started = Instant::now();
    let images_resized =
        crate::imaging::write_images(options.content, &catalogue, out.root(), &data.image_cache())?;
    let images_time = started.elapsed();
    write_redirects(&catalogue, &staging)?;
    let build = data.publish(&staging, &id)?;
    Ok(BuildReport {
        build,
        pages,
        products: catalogue.products.len(),
        images_resized,
        bytes,
        pages_time,
        images_time,
    })
}

/// Writes pages, assets, sitemaps and robots.txt; returns (pages, bytes).
fn write_site(
    catalogue: &Catalogue,
    options: &BuildOptions<'_>,
    out: &Output,
) -> Result<(usize, u64), Error> {
    let site = Site::new(catalogue, options.assets, options.today);
    let mut bytes = 0;
    for asset in options.assets {
        bytes += out.write(asset.path.trim_start_matches('/'), asset.bytes)?;
    }
    let others = render::site_pages(&site);
    let listed: Vec<usize> = (0..catalogue.products.len())
        .filter(|&i| catalogue.products[i].published)
        .collect();
    bytes += others
        .par_iter()
        .map(|p| out.write(&p.file, p.html.as_bytes()))
        .sum::<Result<u64, Error>>()?;
    bytes += listed
        .par_iter()
        .map(|&i| {
            let page = render::product_page(&site, i);
            out.write(&page.file, page.html.as_bytes())
        })
        .sum::<Result<u64, Error>>()?;
    bytes += write_sitemaps(catalogue, out)?;
    Ok((others.len() + listed.len(), bytes))
}

fn write_sitemaps(catalogue: &Catalogue, out: &Output) -> Result<u64, Error> {
    let pages = sitemap::page_entries(catalogue);
    let products: Vec<_> = catalogue
        .published()
        .map(|p| sitemap::product_entry(catalogue, p))
        .collect();
    let files =
        sitemap::files(&catalogue.town.base_url, &pages, &products).map_err(Error::Sitemap)?;
    let mut bytes = out.write(
        "robots.txt",
        sitemap::robots(&catalogue.town.base_url).as_bytes(),
    )?;
    for (name, xml) in files {
        bytes += out.write(&name, &xml)?;
    }
    Ok(bytes)
}

/// `redirects.tsv`: one `old path<TAB>canonical path` line per alias.
fn write_redirects(catalogue: &Catalogue, build: &Path) -> Result<(), Error> {
    let mut text = String::new();
    for product in catalogue.published() {
        for alias in &product.aliases {
            text.push_str(&format!("{alias}\t{}\n", catalogue.product_path(product)));
        }
    }
    let path = build.join("redirects.tsv");
    fs::write(&path, text).map_err(|source| Error::Io { path, source })
}
