//! A full build: load and validate `content/`, render every page in parallel, write the
//! pictures, sitemaps and robots.txt into a staging folder, then publish it atomically.

use crate::history::{self, History};
use crate::model::{Catalogue, StockLevels};
use crate::output::Output;
use crate::publish::{DataDir, new_build_id};
use crate::render::{self, Asset, Site};
use crate::{Error, feeds, load, sitemap};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The catalogue snapshot in a build folder: the exact catalogue its pages and index
/// were made from.
pub const CATALOGUE_SNAPSHOT: &str = "catalogue.json";

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
    /// Whether HTML pages get brotli/gzip copies too (for static hosts that do not
    /// compress); the server compresses pages without copies itself.
    pub precompress_pages: bool,
    /// Stock counts that override the catalogue's initial stock (the server's database),
    /// so pages say what can really be bought.
    pub stock: Option<&'a StockLevels>,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The published build's folder.
    pub build: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// Published products (one page each).
    pub products: usize,
    /// Pictures resized (not found in the cache).
    pub images_resized: usize,
    /// Bytes written (pages, sitemaps, compressed copies; pictures excluded).
    pub bytes: u64,
    /// Time spent in each stage: load, listings, products, sitemaps (and feeds), search,
    /// pictures, publish.
    pub stages: Vec<(&'static str, Duration)>,
    /// The catalogue the build was made from.
    pub catalogue: Arc<Catalogue>,
    /// URL paths of the pages whose content differs from the build live before (every
    /// page for a first build), and of products no longer served: what to tell search
    /// engines (IndexNow).
    pub urls: Vec<String>,
}

/// Builds the site from `options.content` and publishes it.
///
/// # Errors
///
/// [`Error::Catalogue`] with every problem when the catalogue is invalid; an I/O or image
/// error otherwise. The live build is left untouched on any error.
pub fn build(options: &BuildOptions<'_>) -> Result<BuildReport, Error> {
    let mut clock = Stages::start();
    let mut catalogue = load::load(options.content).map_err(Error::Catalogue)?;
    if let Some(levels) = options.stock {
        catalogue.apply_stock(levels);
    }
    clock.lap("load");
    let data = DataDir::new(options.data);
    let id = new_build_id();
    let staging = data.stage(&id)?;
    let root = staging.join("site");
    let out = Output::new(&root, options.precompress_pages).map_err(|source| Error::Io {
        path: root.clone(),
        source,
    })?;
    let site = Site::new(&catalogue, options.assets, options.today);
    let mut bytes = 0;
    for asset in options.assets {
        bytes += out.write(asset.path.trim_start_matches('/'), asset.bytes)?;
    }
    let changes = Changes::since(data.current());
    let listings = render::site_pages(&site);
    let (written, mut urls) = changes.write_pages(&out, listings.par_iter())?;
    bytes += written;
    clock.lap("listings");
    let products: Vec<usize> = (0..catalogue.products.len())
        .filter(|&i| catalogue.is_public(&catalogue.products[i]))
        .collect();
    let (written, changed) = changes.write_pages(
        &out,
        products.par_iter().map(|&i| render::product_page(&site, i)),
    )?;
    bytes += written;
    urls.extend(changed);
    urls.extend(changes.removed_products(&catalogue));
    clock.lap("products");
    bytes += write_sitemaps(&catalogue, &out)?;
    bytes += write_feeds(&catalogue, options.today, &out)?;
    write_history(&catalogue, &data, &staging)?;
    clock.lap("sitemaps");
    write_search(&catalogue, &staging)?;
    clock.lap("search");
    let images_resized =
        crate::imaging::write_images(options.content, &catalogue, out.root(), &data.image_cache())?;
    clock.lap("pictures");
    let build = data.publish(&staging, &id)?;
    clock.lap("publish");
    let pages = listings.len() + products.len();
    Ok(BuildReport {
        build,
        pages,
        products: products.len(),
        images_resized,
        bytes,
        stages: clock.laps,
        catalogue: Arc::new(catalogue),
        urls,
    })
}

/// Which pages a build changes, against the build live before it.
struct Changes {
    /// The live build's folder, if any.
    previous: Option<PathBuf>,
}

impl Changes {
    fn since(previous: Option<PathBuf>) -> Self {
        Self { previous }
    }

    /// Writes `pages`; returns the bytes written and the URL paths of pages that are new or
    /// differ from the previous build's (one read of the old file each, in parallel).
    fn write_pages<I>(&self, out: &Output, pages: I) -> Result<(u64, Vec<String>), Error>
    where
        I: ParallelIterator,
        I::Item: std::borrow::Borrow<render::Rendered>,
    {
        let written: Vec<(u64, Option<String>)> = pages
            .map(|page| {
                let page = std::borrow::Borrow::borrow(&page);
                let html = page.html.as_bytes();
                let changed = self.previous.as_ref().is_none_or(|build| {
                    fs::read(build.join("site").join(&page.file)).map_or(true, |old| old != html)
                });
                let url = changed.then(|| render::path_of(&page.file)).flatten();
                out.write(&page.file, html).map(|bytes| (bytes, url))
            })
            .collect::<Result<_, Error>>()?;
        let bytes = written.iter().map(|(b, _)| b).sum();
        Ok((bytes, written.into_iter().filter_map(|(_, u)| u).collect()))
    }

    /// Paths of products the previous build served and this one does not (now 301 or 410).
    fn removed_products(&self, catalogue: &Catalogue) -> Vec<String> {
        let Some(build) = &self.previous else {
            return Vec::new();
        };
        let now: HashSet<String> = history::served(catalogue).into_values().collect();
        history::read_served(build)
            .into_values()
            .filter(|path| !now.contains(path))
            .collect()
    }
}

/// Time spent in each stage of a build, in order.
struct Stages {
    laps: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Stages {
    fn start() -> Self {
        Self {
            laps: Vec::new(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

impl BuildReport {
    /// Time spent on pictures.
    #[must_use]
    pub fn pictures_time(&self) -> Duration {
        self.stages
            .iter()
            .filter(|(s, _)| *s == "pictures")
            .map(|(_, d)| *d)
            .sum()
    }

    /// Time spent on everything but pictures: loading, pages, sitemaps, publishing.
    #[must_use]
    pub fn pages_time(&self) -> Duration {
        self.stages
            .iter()
            .filter(|(s, _)| *s != "pictures")
            .map(|(_, d)| *d)
            .sum()
    }
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
    bytes += files
        .par_iter()
        .map(|(name, xml)| out.write_with_copies(name, xml))
        .sum::<Result<u64, Error>>()?;
    Ok(bytes)
}

/// The Merchant Center and local-inventory feeds (`feeds/`), with compressed copies.
fn write_feeds(catalogue: &Catalogue, today: Date, out: &Output) -> Result<u64, Error> {
    feeds::files(catalogue, today)
        .par_iter()
        .map(|(name, xml)| out.write_with_copies(name, xml.as_bytes()))
        .sum()
}

/// The search index (`index/`) and the catalogue snapshot it points into
/// (`catalogue.json`), which the server reads for facets, prices and carts.
fn write_search(catalogue: &Catalogue, build: &Path) -> Result<(), Error> {
    let dir = build.join(crate::search::INDEX_DIR);
    crate::search::write_index(catalogue, &dir).map_err(|e| Error::Io {
        path: dir.clone(),
        source: std::io::Error::other(e),
    })?;
    let path = build.join(CATALOGUE_SNAPSHOT);
    let file = fs::File::create(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    serde_json::to_writer(std::io::BufWriter::new(file), catalogue).map_err(|e| Error::Io {
        path,
        source: std::io::Error::other(e),
    })
}

/// The history of renamed and removed products, carried on from the live build, with
/// this build's served paths and redirects (see [`crate::history`]).
fn write_history(catalogue: &Catalogue, data: &DataDir, build: &Path) -> Result<(), Error> {
    let mut history = History::default();
    if let Some(live) = data.current() {
        history = History::read(&live);
        let before = history::read_served(&live);
        let now = history::served(catalogue);
        let live_paths: HashSet<&str> = now
            .values()
            .map(String::as_str)
            .chain(
                catalogue
                    .published()
                    .flat_map(|p| p.aliases.iter().map(String::as_str)),
            )
            .collect();
        history.advance(
            before.iter().map(|(id, path)| (id.as_str(), path.as_str())),
            |id| now.get(id).map(String::as_str),
            |path| live_paths.contains(path),
        );
    }
    let mut files = history.files(catalogue);
    files.push((history::PATHS, history::paths_file(catalogue)));
    history::write(build, &files).map_err(|source| Error::Io {
        path: build.to_path_buf(),
        source,
    })?;
    Ok(())
}
