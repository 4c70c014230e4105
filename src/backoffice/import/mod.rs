//! Catalogue import: a CSV exported from Shopify, WooCommerce or PrestaShop becomes
//! products of the merchant's shop.
//!
//! The pipeline is pure until the merchant confirms: [`table`] reads the CSV (BOM, CRLF,
//! quoted line breaks, rows with too many fields), [`detect`] names the format from the
//! header row, one module per format ([`shopify`], [`woocommerce`], [`prestashop`]) maps
//! rows to [`ImportedProduct`]s with per-row errors, and [`plan`] decides what each product
//! becomes in the catalogue (created, updated, unchanged) and validates the files with the
//! indexer's own parser. Only the page's confirm step writes files.
//!
//! Pictures are not imported: the exports only name URLs on the old shop's servers, which
//! the server does not fetch (an upload must not make it download arbitrary addresses).
//! Products come in without photos, so offline: the preview says so, and each goes online
//! once the merchant gives it a photo (the product form requires one, as the product
//! pages and their structured data need one).

pub mod detect;
pub mod html;
pub mod page;
pub mod plan;
pub mod prestashop;
pub mod shopify;
pub mod store;
pub mod table;
pub mod values;
pub mod woocommerce;

use comptoir_indexer::Money;

/// A source export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Shopify's product CSV before 2024 (`Handle`, `Variant Inventory Qty`, `Option1 Name`).
    ShopifyLegacy,
    /// Shopify's product CSV since 2024 (`URL handle`, `Inventory quantity`, `Option1 name`).
    Shopify2024,
    /// WooCommerce's product CSV (variable products: a parent row and variation rows).
    WooCommerce,
    /// PrestaShop's product import file (semicolon separated).
    PrestaShopProducts,
    /// PrestaShop's combinations import file (the variants of its products file).
    PrestaShopCombinations,
    /// PrestaShop's categories file: no product in it.
    PrestaShopCategories,
}

impl Format {
    /// The name a merchant reads in the preview.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::ShopifyLegacy => "Shopify (ancien modèle de colonnes)",
            Self::Shopify2024 => "Shopify (modèle de colonnes 2024)",
            Self::WooCommerce => "WooCommerce",
            Self::PrestaShopProducts => "PrestaShop (produits)",
            Self::PrestaShopCombinations => "PrestaShop (déclinaisons)",
            Self::PrestaShopCategories => "PrestaShop (catégories)",
        }
    }
}

/// A problem with one row of the file, shown in the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file's name, when several files are imported together.
    pub file: String,
    /// The line in the file where the row starts (1 = the header row).
    pub line: u64,
    /// The column concerned, as the file names it (empty for the whole row).
    pub field: String,
    /// What is wrong and what was done, in French.
    pub reason: String,
}

/// One product read from an export, before it is matched with the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedProduct {
    /// The line where the product starts.
    pub line: u64,
    /// The source's key for the product (Shopify handle, WooCommerce SKU, PrestaShop
    /// rewritten URL): gives the product's id and file name, and finds it again on re-import.
    pub handle: String,
    /// The product's own SKU (products without variants), when the source gives one.
    pub sku: Option<String>,
    /// Its name.
    pub title: String,
    /// Its description, as Markdown.
    pub description: String,
    /// The price a shopper pays, in cents.
    pub price: Money,
    /// The source's category or type, matched against our aisles by name.
    pub category: Option<String>,
    /// Keywords.
    pub tags: Vec<String>,
    /// The brand (Shopify vendor, PrestaShop manufacturer).
    pub brand: Option<String>,
    /// GTIN / EAN barcode, check digit verified.
    pub gtin: Option<String>,
    /// Weight in grams.
    pub weight: u32,
    /// Units in stock (products without variants).
    pub stock: u32,
    /// Whether the source shows it to shoppers.
    pub published: bool,
    /// How many pictures the source names (not imported).
    pub images: usize,
    /// Colour × size variants.
    pub variants: Vec<ImportedVariant>,
}

/// A variant read from an export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedVariant {
    /// The line of its row.
    pub line: u64,
    /// Its SKU (generated from the product and option values when the source has none).
    pub sku: String,
    /// Colour.
    pub color: Option<String>,
    /// Size (or the other option the source gives, e.g. "Disk space 16GB").
    pub size: Option<String>,
    /// Its price when it differs from the product's, in cents.
    pub price: Option<Money>,
    /// Units in stock.
    pub stock: u32,
    /// GTIN / EAN barcode.
    pub gtin: Option<String>,
}

/// What a file (or a set of files exported together) gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The formats recognised, one per file.
    pub formats: Vec<Format>,
    /// The products, in file order.
    pub products: Vec<ImportedProduct>,
    /// Problems with rows; a row in error is left out (or, for a bad optional field, the
    /// field is).
    pub errors: Vec<RowError>,
}

/// An uploaded file: its name and bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file name the browser sent.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Reads exported files into products and row errors. PrestaShop's products and
/// combinations files are joined when uploaded together.
#[must_use]
pub fn read(files: &[Upload]) -> Imported {
    let mut imported = Imported::default();
    let mut tables = Vec::new();
    for file in files {
        match table::Table::read(&file.name, &file.bytes) {
            Ok(t) => match detect::detect(&t.headers) {
                Some(format) => {
                    imported.formats.push(format);
                    tables.push((format, t));
                }
                None => imported
                    .errors
                    .push(file_error(&file.name, detect::UNKNOWN)),
            },
            Err(reason) => imported.errors.push(file_error(&file.name, &reason)),
        }
    }
    let (mut combinations, mut products_file) = (None, None);
    for (format, t) in tables {
        imported.errors.extend(t.errors.iter().cloned());
        match format {
            Format::ShopifyLegacy | Format::Shopify2024 => {
                shopify::read(&t, format, &mut imported);
            }
            Format::WooCommerce => woocommerce::read(&t, &mut imported),
            Format::PrestaShopProducts => products_file = Some(t),
            Format::PrestaShopCombinations => combinations = Some(t),
            Format::PrestaShopCategories => {
                imported
                    .errors
                    .push(file_error(&t.name, prestashop::CATEGORIES_ONLY));
            }
        }
    }
    match (products_file, combinations) {
        (Some(p), c) => prestashop::read(&p, c.as_ref(), &mut imported),
        (None, Some(c)) => imported
            .errors
            .push(file_error(&c.name, prestashop::COMBINATIONS_ALONE)),
        (None, None) => {}
    }
    drop_duplicate_variants(&mut imported);
    imported
}

/// Leaves out a variant whose SKU an earlier variant of the same product has.
fn drop_duplicate_variants(imported: &mut Imported) {
    for product in &mut imported.products {
        let mut seen = std::collections::HashMap::new();
        product
            .variants
            .retain(|v| match seen.insert(v.sku.clone(), v.line) {
                None => true,
                Some(first) => {
                    seen.insert(v.sku.clone(), first);
                    imported.errors.push(RowError {
                        file: String::new(),
                        line: v.line,
                        field: "SKU".to_owned(),
                        reason: format!(
                            "SKU « {} » déjà utilisé ligne {first} : la déclinaison est ignorée",
                            v.sku
                        ),
                    });
                    false
                }
            });
    }
}

/// An error about a whole file (line 1, no field).
fn file_error(file: &str, reason: &str) -> RowError {
    RowError {
        file: file.to_owned(),
        line: 1,
        field: String::new(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests;
