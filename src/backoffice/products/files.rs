//! One shop's product files in `content/`: found by product id, parsed and checked exactly
//! as the indexer loads them, so the back-office never writes a file the site would refuse.
//!
//! The files are the truth: a product just saved is found on disk before the live
//! catalogue has applied it. The live catalogue gives the rest of the town (aisles, other
//! products for the uniqueness checks) and the stock counts the database holds.

use comptoir_indexer::Catalogue;
use comptoir_indexer::draft::ProductDraft;
use comptoir_indexer::model::{Product, StockLevels};
use comptoir_indexer::parse::{ParsedProduct, ProductContext};
use comptoir_indexer::problem::Problem;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A shop's product files and the catalogue they are checked against.
pub struct ShopFiles {
    /// The `content/` folder.
    pub content: PathBuf,
    /// The live catalogue.
    pub catalogue: Arc<Catalogue>,
    /// The shop's index in the catalogue.
    pub shop: usize,
    categories: HashMap<String, usize>,
    images: HashMap<String, (u32, u32)>,
}

/// A product file of the shop, read and parsed.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its path, relative to `content/`.
    pub path: PathBuf,
    /// Its file name without `.md`.
    pub stem: String,
    /// The product it holds.
    pub product: Product,
}

impl ShopFiles {
    /// The files of shop `slug`; `None` when the live catalogue has no such shop.
    #[must_use]
    pub fn open(content: &Path, catalogue: Arc<Catalogue>, slug: &str) -> Option<Self> {
        let shop = catalogue.shops.iter().position(|s| s.slug == slug)?;
        let categories = catalogue
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let images = comptoir_indexer::load::image_sizes(
            &content.join("shops").join(slug).join("images"),
            &mut Vec::new(),
        );
        Some(Self {
            content: content.to_path_buf(),
            catalogue,
            shop,
            categories,
            images,
        })
    }

    /// The shop's slug.
    #[must_use]
    pub fn slug(&self) -> &str {
        &self.catalogue.shops[self.shop].slug
    }

    /// `shops/<shop>/products/<stem>.md`, relative to `content/`.
    #[must_use]
    pub fn relative(&self, stem: &str) -> PathBuf {
        comptoir_indexer::draft::product_file(Path::new(""), self.slug(), stem)
    }

    /// Aisle slugs.
    #[must_use]
    pub fn category_slugs(&self) -> HashSet<String> {
        self.categories.keys().cloned().collect()
    }

    /// Picture files in the shop's folder, sorted.
    #[must_use]
    pub fn image_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.images.keys().cloned().collect();
        files.sort();
        files
    }

    /// The shop's product file holding product `id`, if any (the live catalogue says where
    /// it was; else every file of the shop is read).
    #[must_use]
    pub fn find(&self, id: &str) -> Option<Found> {
        let known = self
            .catalogue
            .products
            .iter()
            .find(|p| p.id == id && p.shop == self.shop)
            .and_then(|p| self.read(&p.source));
        known.filter(|f| f.product.id == id).or_else(|| {
            self.stems().into_iter().find_map(|stem| {
                self.read(&self.relative(&stem))
                    .filter(|f| f.product.id == id)
            })
        })
    }

    /// The file names (without `.md`) of the shop's products on disk.
    #[must_use]
    pub fn stems(&self) -> Vec<String> {
        let dir = self
            .content
            .join("shops")
            .join(self.slug())
            .join("products");
        let mut stems: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "md"))
                    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        stems.sort();
        stems
    }

    fn read(&self, relative: &Path) -> Option<Found> {
        let stem = relative.file_stem()?.to_string_lossy().into_owned();
        if !relative.starts_with(Path::new("shops").join(self.slug())) {
            return None;
        }
        let text = std::fs::read_to_string(self.content.join(relative)).ok()?;
        let parsed = self.parse(&stem, &text).ok()?;
        Some(Found {
            path: relative.to_path_buf(),
            stem,
            product: parsed.product,
        })
    }

    /// Parses `text` as the shop's file `<stem>.md`, as the loader would.
    ///
    /// # Errors
    ///
    /// The parser's problems.
    pub fn parse(&self, stem: &str, text: &str) -> Result<ParsedProduct, Vec<Problem>> {
        let cx = ProductContext {
            shop: self.shop,
            shop_delivery: &self.catalogue.shops[self.shop].delivery,
            categories: &self.categories,
            images: &self.images,
            modified: crate::config::today(),
        };
        comptoir_indexer::parse::parse_product(&self.relative(stem), stem, text, &cx)
    }

    /// What `parsed` would clash with among the other products: ids, SKUs, slugs, aliases.
    #[must_use]
    pub fn clashes(&self, parsed: &ParsedProduct) -> Vec<Problem> {
        let replacing = self
            .catalogue
            .products
            .iter()
            .position(|p| p.source == parsed.product.source || p.id == parsed.product.id);
        comptoir_indexer::unique::check_one(&self.content, &self.catalogue, replacing, parsed)
    }

    /// The draft of a product read from its file, with the stock the shop sells
    /// (`levels`: the database's counts) rather than the file's initial stock.
    #[must_use]
    pub fn draft(&self, found: &Found, levels: &StockLevels) -> ProductDraft {
        let counted = found.product.with_stock(levels);
        ProductDraft::from_product(counted.as_ref().unwrap_or(&found.product), &self.catalogue)
    }

    /// The shop's products in the live catalogue, in catalogue order.
    pub fn live_products(&self) -> impl Iterator<Item = &Product> {
        self.catalogue
            .products
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| p.shop == self.shop)
    }
}
