//! The live catalogue: a change in `content/` reaches the published build in place,
//! regenerating only what it affects.
//!
//! [`LiveSite`] keeps the catalogue of the live build in memory with what a full build
//! would compute again (listing order, offer parts, served paths, the index writer). For a
//! changed product file it re-parses that file and replaces, atomically and only when
//! their bytes differ: the product page, its shop's and aisles' listing pages, the home
//! page, the sitemaps (when an entry changed) and the redirects; it replaces the product's
//! search document in one commit. A removed product leaves a 410, a renamed one a 301
//! ([`crate::history`]). Changes to the town, the aisles, a shop or its pictures touch
//! nearly every page: they publish a new full build instead.
//!
//! A file that no longer parses is reported ([`LiveSite::errors`]) and its last good
//! version stays online; fixing the file recovers by itself. Stock counts from the
//! server ([`LiveSite::set_stock`]) re-render the products whose availability changed.

pub mod change;
mod order;
pub mod watch;

pub use order::ListingOrder;

use crate::history::{self, History, Served};
use crate::model::{Catalogue, Product, StockLevels};
use crate::output::Output;
use crate::parse::ParsedProduct;
use crate::pipeline::{self, BuildOptions, BuildReport, CATALOGUE_SNAPSHOT};
use crate::problem::Problem;
use crate::publish::DataDir;
use crate::render::{self, Asset, OfferParts, Site};
use crate::search::tantivy::{IndexWriter, Term};
use crate::{Error, feeds, search, sitemap};
use change::{Change, Kind, Subject};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The file of a build that counts its incremental updates (absent: none yet).
pub const GENERATION: &str = "generation";

/// What the live site is built from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The catalogue folder.
    pub content: PathBuf,
    /// The data folder.
    pub data: PathBuf,
    /// The site's static assets.
    pub assets: Vec<Asset>,
    /// Whether pages get precompressed copies.
    pub precompress_pages: bool,
    /// Today's date where the site is (sale prices change at midnight).
    pub today: fn() -> Date,
}

/// What one update did.
#[derive(Debug, Clone)]
pub struct Update {
    /// The build now live.
    pub build: PathBuf,
    /// Its update count (0 right after a full build).
    pub generation: u64,
    /// The catalogue it was made from.
    pub catalogue: Arc<Catalogue>,
    /// Whether a new full build was published.
    pub full: bool,
    /// URL paths whose content changed (pages and sitemaps), removed ones included.
    pub urls: Vec<String>,
    /// Files written or removed in the build's `site/`.
    pub files: usize,
    /// Time it took.
    pub took: Duration,
}

/// The live site and what keeps it up to date.
pub struct LiveSite {
    options: Options,
    build: PathBuf,
    generation: u64,
    today: Date,
    catalogue: Arc<Catalogue>,
    order: ListingOrder,
    offer_parts: OfferParts,
    served: Served,
    live_paths: HashSet<String>,
    history: History,
    writer: IndexWriter,
    fields: search::Fields,
    stock: StockLevels,
    images: HashMap<usize, HashMap<String, (u32, u32)>>,
    errors: BTreeMap<PathBuf, Vec<Problem>>,
    /// A change needing a full build failed to build: each batch tries again.
    rebuild_pending: bool,
}

/// One product before and after an update (catalogue indexes in the new catalogue).
struct Touched {
    before: Option<Arc<Product>>,
    after: Option<Arc<Product>>,
}

impl LiveSite {
    /// Builds `content/` in full and takes the build over. When the catalogue has
    /// problems, the live build (if any) stays and the problems are kept in
    /// [`Self::errors`] until a change fixes them.
    ///
    /// # Errors
    ///
    /// When nothing can be served: no valid catalogue and no build yet, or an I/O error.
    pub fn start(
        options: Options,
        stock: StockLevels,
    ) -> Result<(Self, Option<BuildReport>), Error> {
        let today = (options.today)();
        match full_build(&options, &stock, today) {
            Ok(report) => {
                let site = Self::open(
                    options,
                    stock,
                    &report.build,
                    Arc::clone(&report.catalogue),
                    today,
                )?;
                Ok((site, Some(report)))
            }
            Err(Error::Catalogue(problems)) => {
                let data = DataDir::new(&options.data);
                let live = data
                    .current()
                    .ok_or_else(|| Error::Catalogue(problems.clone()))?;
                let catalogue = read_snapshot(&live)?;
                let mut site = Self::open(options, stock, &live, Arc::new(catalogue), today)?;
                site.set_errors(problems);
                site.rebuild_pending = true;
                Ok((site, None))
            }
            Err(other) => Err(other),
        }
    }

    fn open(
        options: Options,
        stock: StockLevels,
        build: &Path,
        catalogue: Arc<Catalogue>,
        today: Date,
    ) -> Result<Self, Error> {
        let index = build.join(search::INDEX_DIR);
        let (writer, fields) = search::open_writer(&index).map_err(|e| Error::Io {
            path: index.clone(),
            source: std::io::Error::other(e),
        })?;
        let served = history::served(&catalogue);
        let live_paths = live_paths(&catalogue, &served);
        Ok(Self {
            build: build.to_path_buf(),
            generation: read_generation(build),
            today,
            order: ListingOrder::new(&catalogue),
            offer_parts: OfferParts::new(&catalogue),
            served,
            live_paths,
            history: History::read(build),
            writer,
            fields,
            stock,
            images: HashMap::new(),
            errors: BTreeMap::new(),
            rebuild_pending: false,
            catalogue,
            options,
        })
    }

    /// The catalogue now live.
    #[must_use]
    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(&self.catalogue)
    }

    /// The live build's folder.
    #[must_use]
    pub fn build(&self) -> &Path {
        &self.build
    }

    /// The problems of files that do not parse now, by path relative to `content/`;
    /// their last good version is what the site shows.
    #[must_use]
    pub fn errors(&self) -> &BTreeMap<PathBuf, Vec<Problem>> {
        &self.errors
    }

    fn set_errors(&mut self, problems: Vec<Problem>) {
        self.errors.clear();
        for problem in problems {
            let path = self.relative(&problem.path);
            self.errors.entry(path).or_default().push(problem);
        }
    }

    fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.options.content)
            .unwrap_or(path)
            .to_path_buf()
    }

    /// Applies a batch of changes: product files incrementally, anything else (or a new
    /// day) by a full build. `None` when nothing on the site changed (a file that does not
    /// parse, say: see [`Self::errors`]).
    ///
    /// # Errors
    ///
    /// When a file of the build cannot be written or the index cannot be updated; the
    /// files already replaced stay (each is whole), and the next update writes the rest.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Option<Update>, Error> {
        let started = Instant::now();
        let today = (self.options.today)();
        let offline = |c: &Change| self.in_offline_shop(c);
        if self.rebuild_pending
            || today != self.today
            || changes.iter().any(|c| !c.is_product() || offline(c))
        {
            return self.rebuild(started);
        }
        // Removals first, so a product renamed to a new file keeps its id.
        let mut ordered: Vec<&Change> = changes.iter().collect();
        ordered.sort_by_key(|c| c.kind != Kind::Removed);
        let before = Before::of(self);
        let mut next = (*self.catalogue).clone();
        let mut touched = Vec::new();
        for change in ordered {
            if let Some(t) = self.product_change(&mut next, &change.path) {
                touched.push(t);
            }
        }
        self.publish(&before, next, touched, started)
    }

    /// Takes new stock counts from the server: products whose availability changed are
    /// rendered and indexed again.
    ///
    /// # Errors
    ///
    /// As [`Self::apply`].
    pub fn set_stock(&mut self, levels: StockLevels) -> Result<Option<Update>, Error> {
        let started = Instant::now();
        let before = Before::of(self);
        let mut next = (*self.catalogue).clone();
        let mut touched = Vec::new();
        for (i, product) in self.catalogue.products.iter().enumerate() {
            if let Some(copy) = product.with_stock(&levels) {
                let available = |p: &Product| -> Vec<bool> {
                    if p.variants.is_empty() {
                        vec![p.stock > 0]
                    } else {
                        p.variants.iter().map(|v| v.stock > 0).collect()
                    }
                };
                let crossed = available(product) != available(&copy);
                next.products[i] = Arc::new(copy);
                if crossed {
                    touched.push(Touched {
                        before: Some(Arc::clone(product)),
                        after: Some(Arc::clone(&next.products[i])),
                    });
                }
            }
        }
        self.stock.extend(levels);
        if touched.is_empty() {
            // Counts changed without crossing zero: no page changes, but the catalogue
            // keeps them for the next update and the local-inventory feeds' quantities
            // (written with the next snapshot).
            self.catalogue = Arc::new(next);
            return Ok(None);
        }
        self.publish(&before, next, touched, started)
    }

    /// Whether `change` is a product of a shop that is not online (not on the pages: the
    /// in-place update only knows online products, so a full build takes it).
    fn in_offline_shop(&self, change: &Change) -> bool {
        matches!(&change.subject, Subject::Product { shop, .. }
            if self.catalogue.shops.iter().any(|s| &s.slug == shop && !s.online))
    }

    /// Reads one product file into `next`; `None` when the site does not change.
    fn product_change(&mut self, next: &mut Catalogue, relative: &Path) -> Option<Touched> {
        let Some(Subject::Product { shop, .. }) = change::subject(relative) else {
            return None;
        };
        let existing = find_source(next, relative);
        let file = self.options.content.join(relative);
        if !file.exists() {
            self.errors.remove(relative);
            let index = existing?;
            let before = next.products.remove(index);
            self.order.remove(index);
            return Some(Touched {
                before: Some(before),
                after: None,
            });
        }
        let parsed = match self.parse(next, &shop, &file) {
            Ok(parsed) => parsed,
            Err(problems) => {
                for p in &problems {
                    tracing::warn!(problem = %p, "the product file is not valid: its last good version stays online");
                }
                self.errors.insert(relative.to_path_buf(), problems);
                return None;
            }
        };
        self.errors.remove(relative);
        let mut product = parsed.product;
        if let Some(copy) = product.with_stock(&self.stock) {
            product = copy;
        }
        self.offer_parts.ensure(next, &product);
        let after = Arc::new(product);
        let before = existing.map(|index| {
            let before = next.products.remove(index);
            self.order.remove(index);
            before
        });
        if before.as_deref().is_some_and(|b| same_product(b, &after)) {
            // Saved without a change: put it back where it was.
            let before = before.unwrap_or_else(|| Arc::clone(&after));
            let index = insert_sorted(next, before);
            self.order.insert(&next.products, index);
            return None;
        }
        let index = insert_sorted(next, Arc::clone(&after));
        self.order.insert(&next.products, index);
        Some(Touched {
            before,
            after: Some(after),
        })
    }

    /// Parses a product file of shop `shop` against `next`, with the checks across files.
    fn parse(
        &mut self,
        next: &Catalogue,
        shop: &str,
        file: &Path,
    ) -> Result<ParsedProduct, Vec<Problem>> {
        let Some(shop_index) = next.shops.iter().position(|s| s.slug == shop) else {
            return Err(vec![Problem::new(
                file,
                None,
                format!("the shop {shop:?} is not on the site"),
                "check the shop's folder has a valid shop.toml",
            )]);
        };
        let content = &self.options.content;
        let images = self.images.entry(shop_index).or_insert_with(|| {
            let mut ignored = Vec::new();
            crate::load::image_sizes(
                &content.join("shops").join(shop).join("images"),
                &mut ignored,
            )
        });
        let categories: HashMap<String, usize> = next
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let parsed = crate::load::parse_product_file(
            content,
            file,
            shop_index,
            &next.shops[shop_index].delivery,
            images,
            &categories,
        )?;
        let replacing = find_source(next, &parsed.product.source);
        let problems = crate::unique::check_one(content, next, replacing, &parsed);
        if problems.is_empty() {
            Ok(parsed)
        } else {
            Err(problems)
        }
    }

    /// Writes what `touched` affects and makes `next` the live catalogue.
    fn publish(
        &mut self,
        before: &Before,
        next: Catalogue,
        touched: Vec<Touched>,
        started: Instant,
    ) -> Result<Option<Update>, Error> {
        if touched.is_empty() {
            return Ok(None);
        }
        let out = self.output()?;
        self.write_pictures(&next, &out, &touched)?;
        let site = Site::with_order(
            &next,
            &self.options.assets,
            self.today,
            self.order.order.clone(),
            self.offer_parts.clone(),
        );
        let mut written = Written::default();
        self.write_pages(before, &site, &out, &touched, &mut written)?;
        self.write_sitemaps(&next, &out, &touched, &mut written)?;
        self.write_history(&next, &touched)?;
        self.index(&next, &touched)?;
        self.generation += 1;
        self.catalogue = Arc::new(next);
        Ok(Some(Update {
            build: self.build.clone(),
            generation: self.generation,
            catalogue: Arc::clone(&self.catalogue),
            full: false,
            files: written.files,
            urls: written.urls.into_iter().collect(),
            took: started.elapsed(),
        }))
    }

    /// The resized variants of the pictures of the products saved: a picture added to
    /// `images/` and then chosen for a product has none in the build yet (the full
    /// build only resizes the pictures products use).
    fn write_pictures(
        &self,
        next: &Catalogue,
        out: &Output,
        touched: &[Touched],
    ) -> Result<(), Error> {
        let cache = DataDir::new(&self.options.data).image_cache();
        for product in touched.iter().filter_map(|t| t.after.as_ref()) {
            if product.published && !product.images.is_empty() {
                crate::imaging::write_shop_images(
                    &self.options.content,
                    &next.shops[product.shop].slug,
                    &product.images,
                    out.root(),
                    &cache,
                )?;
            }
        }
        Ok(())
    }

    /// The live build's site folder, to replace files in.
    fn output(&self) -> Result<Output, Error> {
        let root = self.build.join("site");
        Output::new(&root, self.options.precompress_pages)
            .map_err(|source| Error::Io { path: root, source })
    }

    /// Product pages, their shops' and aisles' listings, the home page.
    fn write_pages(
        &self,
        before: &Before,
        site: &Site<'_>,
        out: &Output,
        touched: &[Touched],
        written: &mut Written,
    ) -> Result<(), Error> {
        let catalogue = site.catalogue;
        let mut shops = BTreeSet::new();
        let mut aisles = BTreeSet::new();
        for t in touched {
            for p in t.before.iter().chain(&t.after) {
                shops.insert(p.shop);
                let mut current = Some(p.category);
                while let Some(c) = current {
                    aisles.insert(c);
                    current = catalogue.categories[c].parent;
                }
            }
            let new_path = t
                .after
                .as_ref()
                .filter(|p| p.published)
                .map(|p| catalogue.product_path(p));
            if let Some(before) = t.before.as_ref().filter(|p| p.published) {
                let old_path = catalogue.product_path(before);
                if new_path.as_ref() != Some(&old_path) && out.remove(&render::file_of(&old_path)) {
                    written.note(&old_path);
                }
            }
            if let Some(after) = t.after.as_ref().filter(|p| p.published) {
                let index = find_source(catalogue, &after.source).unwrap_or_default();
                let page = render::product_page(site, index);
                if out.replace(&page.file, page.html.as_bytes())? {
                    written.note(&catalogue.product_path(after));
                }
            }
        }
        let ids: HashSet<&str> = touched
            .iter()
            .flat_map(|t| t.before.iter().chain(&t.after))
            .map(|p| p.id.as_str())
            .collect();
        let now = (catalogue, site.order.as_slice());
        let then = (before.catalogue.as_ref(), before.order.as_slice());
        for shop in shops {
            let keep = |p: &Product| p.shop == shop;
            if let Some(which) =
                pages_to_render(positions(then, &keep, &ids), positions(now, &keep, &ids))
            {
                let base = render::shop_path(catalogue, shop);
                written.listing(out, &base, render::shop_listing(site, shop, which))?;
            }
        }
        for aisle in aisles {
            let keep_now = |p: &Product| catalogue.category_within(p.category, aisle);
            let keep_then = |p: &Product| before.catalogue.category_within(p.category, aisle);
            if let Some(which) = pages_to_render(
                positions(then, &keep_then, &ids),
                positions(now, &keep_now, &ids),
            ) {
                let base = catalogue.category_path(aisle);
                written.listing(out, &base, render::category_listing(site, aisle, which))?;
            }
        }
        // The home page and the shops index show products (newest, on sale, a picture).
        for (page, url) in [
            (render::home(site), "/"),
            (render::shops_index(site), "/boutiques/"),
        ] {
            if out.replace(&page.file, page.html.as_bytes())? {
                written.note(url);
            }
        }
        Ok(())
    }

    /// The sitemaps, when an entry of a touched product changed.
    fn write_sitemaps(
        &self,
        next: &Catalogue,
        out: &Output,
        touched: &[Touched],
        written: &mut Written,
    ) -> Result<(), Error> {
        let entry = |p: &Arc<Product>| p.published.then(|| sitemap::product_entry(next, p));
        let changed = touched
            .iter()
            .any(|t| t.before.as_ref().and_then(entry) != t.after.as_ref().and_then(entry));
        if !changed {
            return Ok(());
        }
        let pages = sitemap::page_entries(next);
        let products: Vec<_> = next
            .published()
            .map(|p| sitemap::product_entry(next, p))
            .collect();
        let files =
            sitemap::files(&next.town.base_url, &pages, &products).map_err(Error::Sitemap)?;
        for (name, xml) in &files {
            if out.replace(name, xml)? {
                written.note(&format!("/{name}"));
            }
        }
        // Fewer products may need fewer files.
        let mut n = files.len();
        while out.remove(&format!("sitemap-products-{n}.xml")) {
            written.note(&format!("/sitemap-products-{n}.xml"));
            n += 1;
        }
        Ok(())
    }

    /// Served paths, 301s and 410s of the touched products.
    fn write_history(&mut self, next: &Catalogue, touched: &[Touched]) -> Result<(), Error> {
        let mut before = Vec::new();
        for t in touched {
            if let Some(b) = &t.before {
                if let Some(path) = self.served.remove(&b.id) {
                    self.live_paths.remove(&path);
                    before.push((b.id.clone(), path));
                }
                for alias in &b.aliases {
                    self.live_paths.remove(alias);
                }
            }
        }
        for p in touched
            .iter()
            .filter_map(|t| t.after.as_ref())
            .filter(|p| p.published)
        {
            let path = next.product_path(p);
            self.live_paths.insert(path.clone());
            self.live_paths.extend(p.aliases.iter().cloned());
            self.served.insert(p.id.clone(), path);
        }
        let (served, live) = (&self.served, &self.live_paths);
        self.history.advance(
            before.iter().map(|(id, path)| (id.as_str(), path.as_str())),
            |id| served.get(id).map(String::as_str),
            |path| live.contains(path),
        );
        history::write(&self.build, &self.history.files(next)).map_err(|source| Error::Io {
            path: self.build.clone(),
            source,
        })?;
        Ok(())
    }

    /// Replaces the touched products' search documents, in one commit.
    fn index(&mut self, next: &Catalogue, touched: &[Touched]) -> Result<(), Error> {
        for t in touched {
            for p in t.before.iter().chain(&t.after) {
                self.writer
                    .delete_term(Term::from_field_text(self.fields.id, &p.id));
            }
        }
        let fail = |e: crate::search::tantivy::TantivyError| Error::Io {
            path: self.build.join(search::INDEX_DIR),
            source: std::io::Error::other(e),
        };
        for p in touched
            .iter()
            .filter_map(|t| t.after.as_ref())
            .filter(|p| p.published)
        {
            self.writer
                .add_document(search::document(next, &self.fields, p))
                .map_err(fail)?;
        }
        self.writer.commit().map_err(fail)?;
        Ok(())
    }

    /// Publishes a new full build and takes it over.
    fn rebuild(&mut self, started: Instant) -> Result<Option<Update>, Error> {
        let today = (self.options.today)();
        match full_build(&self.options, &self.stock, today) {
            Ok(report) => {
                let options = self.options.clone();
                let stock = std::mem::take(&mut self.stock);
                *self = Self::open(
                    options,
                    stock,
                    &report.build,
                    Arc::clone(&report.catalogue),
                    today,
                )?;
                Ok(Some(Update {
                    build: report.build,
                    generation: 0,
                    catalogue: report.catalogue,
                    full: true,
                    urls: report.urls,
                    files: report.pages,
                    took: started.elapsed(),
                }))
            }
            Err(Error::Catalogue(problems)) => {
                for p in &problems {
                    tracing::warn!(problem = %p, "the catalogue is not valid: the site stays as it was");
                }
                self.set_errors(problems);
                self.rebuild_pending = true;
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// What readers outside this process need of the live build now: see
    /// [`Snapshot::write`].
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            build: self.build.clone(),
            generation: self.generation,
            catalogue: Arc::clone(&self.catalogue),
            today: self.today,
            precompress_pages: self.options.precompress_pages,
        }
    }
}

/// The live build's catalogue at one generation, to be written for other readers.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The build.
    pub build: PathBuf,
    /// Its update count.
    pub generation: u64,
    /// Its catalogue.
    pub catalogue: Arc<Catalogue>,
    /// The day its prices are for.
    pub today: Date,
    /// Whether its pages have compressed copies.
    pub precompress_pages: bool,
}

impl Snapshot {
    /// Writes the catalogue snapshot, the served paths and the product feeds, then the
    /// generation, which tells servers reading this build from disk to reload. Slow on
    /// big catalogues: run it off the path of updates (the server does, keeping only the
    /// newest).
    ///
    /// # Errors
    ///
    /// When a file cannot be written.
    pub fn write(&self) -> Result<(), Error> {
        let io = |path: PathBuf| move |source| Error::Io { path, source };
        let snapshot_path = self.build.join(CATALOGUE_SNAPSHOT);
        let snapshot = serde_json::to_vec(&*self.catalogue).map_err(|e| Error::Io {
            path: snapshot_path.clone(),
            source: std::io::Error::other(e),
        })?;
        crate::output::replace_file(&snapshot_path, &snapshot)
            .map_err(io(snapshot_path.clone()))?;
        let paths = self.build.join(history::PATHS);
        crate::output::replace_file(&paths, history::paths_file(&self.catalogue).as_bytes())
            .map_err(io(paths.clone()))?;
        let site = self.build.join("site");
        let out = Output::new(&site, self.precompress_pages).map_err(io(site.clone()))?;
        write_feeds(&self.catalogue, self.today, &out)?;
        let generation = self.build.join(GENERATION);
        crate::output::replace_file(&generation, self.generation.to_string().as_bytes())
            .map_err(io(generation.clone()))?;
        Ok(())
    }
}

/// Files written and URLs changed by an update.
#[derive(Default)]
struct Written {
    files: usize,
    urls: BTreeSet<String>,
}

impl Written {
    fn note(&mut self, url: &str) {
        self.files += 1;
        self.urls.insert(url.to_owned());
    }

    /// Writes the rendered pages of a listing at `base`, and removes pages past its end.
    fn listing(&mut self, out: &Output, base: &str, listing: render::Listing) -> Result<(), Error> {
        for (n, page) in listing.rendered {
            if out.replace(&page.file, page.html.as_bytes())? {
                self.note(&render::page_path(base, n));
            }
        }
        let mut n = listing.pages + 1;
        while out.remove(&render::page_file(base, n)) {
            self.note(&render::page_path(base, n));
            n += 1;
        }
        Ok(())
    }
}

/// The product feeds, written whole (any product's price, stock or title is in them),
/// each file replaced only when its bytes differ. With their compressed copies they cost
/// 0.7 s for 1,000 products in the debug build (ARCHITECTURE.md): hence in the snapshot,
/// off the path of updates.
fn write_feeds(catalogue: &Catalogue, today: Date, out: &Output) -> Result<(), Error> {
    for (name, xml) in feeds::files(catalogue, today) {
        out.replace(&name, xml.as_bytes())?;
    }
    Ok(())
}

/// The catalogue and listing order before an update.
struct Before {
    catalogue: Arc<Catalogue>,
    order: Vec<usize>,
}

impl Before {
    fn of(site: &LiveSite) -> Self {
        Self {
            catalogue: Arc::clone(&site.catalogue),
            order: site.order.order.clone(),
        }
    }
}

/// A listing's length and the positions in it of the products named in `ids`.
fn positions(
    (catalogue, order): (&Catalogue, &[usize]),
    keep: &dyn Fn(&Product) -> bool,
    ids: &HashSet<&str>,
) -> (usize, Vec<usize>) {
    let mut len = 0;
    let mut found = Vec::new();
    for &i in order {
        let product = &catalogue.products[i];
        if keep(product) {
            if ids.contains(product.id.as_str()) {
                found.push(len);
            }
            len += 1;
        }
    }
    (len, found)
}

/// The pages of a listing an update changes, from its length and the touched products'
/// positions before and after: every page when the length changed (each page shows the
/// count and the page total) or when the first product may have (its picture is every
/// page's `og:image`); else the pages from the first to the last position involved, which
/// shift by one between them; none when no touched product is in the listing.
fn pages_to_render(
    (old_len, old): (usize, Vec<usize>),
    (new_len, new): (usize, Vec<usize>),
) -> Option<render::Pages> {
    let involved: Vec<usize> = old.into_iter().chain(new).collect();
    let (first, last) = (*involved.iter().min()?, *involved.iter().max()?);
    if old_len != new_len || first == 0 {
        return Some(render::Pages::All);
    }
    let page = |position: usize| position / render::PAGE_SIZE + 1;
    Some(render::Pages::Range(page(first), page(last)))
}

/// The full build of the live site's catalogue, with the server's stock counts.
fn full_build(options: &Options, stock: &StockLevels, today: Date) -> Result<BuildReport, Error> {
    pipeline::build(&BuildOptions {
        content: &options.content,
        data: &options.data,
        assets: &options.assets,
        today,
        precompress_pages: options.precompress_pages,
        stock: Some(stock),
    })
}

/// The catalogue snapshot of a build.
///
/// # Errors
///
/// When it is missing or unreadable.
pub fn read_snapshot(build: &Path) -> Result<Catalogue, Error> {
    let path = build.join(CATALOGUE_SNAPSHOT);
    let file = std::fs::File::open(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| Error::Io {
        path,
        source: std::io::Error::other(e),
    })
}

/// A build's update count (0 when it has had none).
#[must_use]
pub fn read_generation(build: &Path) -> u64 {
    std::fs::read_to_string(build.join(GENERATION))
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0)
}

/// Every path a shopper may ask for and get a product: pages and aliases.
fn live_paths(catalogue: &Catalogue, served: &Served) -> HashSet<String> {
    served
        .values()
        .cloned()
        .chain(
            catalogue
                .published()
                .flat_map(|p| p.aliases.iter().cloned()),
        )
        .collect()
}

/// The index of the product read from `source`, searching its shop's products only.
fn find_source(catalogue: &Catalogue, source: &Path) -> Option<usize> {
    let shop = match change::subject(source) {
        Some(Subject::Product { shop, .. }) => {
            catalogue.shops.iter().position(|s| s.slug == shop)?
        }
        _ => return None,
    };
    let start = catalogue.products.partition_point(|p| p.shop < shop);
    let end = catalogue.products.partition_point(|p| p.shop <= shop);
    (start..end).find(|&i| catalogue.products[i].source == source)
}

/// Inserts `product` at its place (shop, then slug); returns its index.
fn insert_sorted(catalogue: &mut Catalogue, product: Arc<Product>) -> usize {
    let key = (product.shop, product.slug.clone());
    let at = catalogue
        .products
        .partition_point(|p| (p.shop, &p.slug) < (key.0, &key.1));
    catalogue.products.insert(at, product);
    at
}

/// Whether two versions of a product would render the same (the file was saved as is).
fn same_product(a: &Product, b: &Product) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}
