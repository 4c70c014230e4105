//! Naming an export's format from its header row alone: each platform's files have
//! columns no other has.

use super::Format;

/// The reason given for a file whose columns match no known export.
pub const UNKNOWN: &str = "format non reconnu : importez l’export CSV des produits de Shopify, \
WooCommerce ou PrestaShop, sans en renommer les colonnes";

/// Columns that identify each format (all must be present, case-insensitive), most specific
/// first. Shopify's: help.shopify.com "Using CSV files to import and export products";
/// WooCommerce's: its "Product CSV Import Schema"; PrestaShop's: its sample import files.
const SIGNATURES: [(Format, &[&str]); 6] = [
    (
        Format::Shopify2024,
        &["URL handle", "Title", "Option1 name"],
    ),
    (Format::ShopifyLegacy, &["Handle", "Title", "Option1 Name"]),
    (Format::WooCommerce, &["Type", "SKU", "Name", "Parent"]),
    (
        Format::PrestaShopCombinations,
        &["Product ID*", "Attribute (Name:Type:Position)*"],
    ),
    (Format::PrestaShopProducts, &["Product ID", "Name *"]),
    (Format::PrestaShopCategories, &["Category ID", "Name *"]),
];

/// The format whose signature columns `headers` all has.
#[must_use]
pub fn detect(headers: &[String]) -> Option<Format> {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    SIGNATURES
        .iter()
        .find(|(_, columns)| columns.iter().all(|c| has(c)))
        .map(|(format, _)| *format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backoffice::import::table::Table;
    use std::path::Path;

    fn detect_file(path: &str) -> Option<Format> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/imports");
        let bytes = std::fs::read(dir.join(path)).expect("test file");
        detect(&Table::read(path, &bytes).expect("table").headers)
    }

    #[test]
    fn every_real_export_is_recognised() {
        let cases = [
            ("shopify/apparel.csv", Format::ShopifyLegacy),
            ("shopify/home-and-garden.csv", Format::ShopifyLegacy),
            ("shopify/jewelery.csv", Format::ShopifyLegacy),
            (
                "shopify/product_template_2023_legacy_headers.csv",
                Format::ShopifyLegacy,
            ),
            (
                "shopify/stoa_new_format_2024_headers_example.csv",
                Format::Shopify2024,
            ),
            ("woocommerce/sample_products.csv", Format::WooCommerce),
            (
                "woocommerce/experimental_fashion_sample_9_products.csv",
                Format::WooCommerce,
            ),
            ("prestashop/products_import.csv", Format::PrestaShopProducts),
            (
                "prestashop/combinations_import.csv",
                Format::PrestaShopCombinations,
            ),
            (
                "prestashop/categories_import.csv",
                Format::PrestaShopCategories,
            ),
        ];
        for (file, format) in cases {
            assert_eq!(detect_file(file), Some(format), "{file}");
        }
    }

    #[test]
    fn other_files_are_not_guessed() {
        let headers = ["Nom".to_owned(), "Prix".to_owned()];
        assert_eq!(detect(&headers), None);
    }
}
