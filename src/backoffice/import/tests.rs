//! Each real export of `../shared/testdata/imports/`, read as a merchant uploads it: the
//! exact products, variants, prices in cents and row errors it gives.

use super::{Format, Imported, ImportedProduct, Upload, read};
use std::path::Path;

/// Reads the named files of the shared test data, as one upload.
pub fn import(paths: &[&str]) -> Imported {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/imports");
    let files: Vec<Upload> = paths
        .iter()
        .map(|p| Upload {
            name: (*p).to_owned(),
            bytes: std::fs::read(dir.join(p)).expect("test data file"),
        })
        .collect();
    read(&files)
}

fn product<'a>(imported: &'a Imported, handle: &str) -> &'a ImportedProduct {
    imported
        .products
        .iter()
        .find(|p| p.handle == handle)
        .unwrap_or_else(|| panic!("no product {handle}"))
}

/// A variant as (SKU, colour, size, own price in cents, stock).
type VariantRow<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<i64>, u32);

/// Each variant of `p`.
fn variants(p: &ImportedProduct) -> Vec<VariantRow<'_>> {
    p.variants
        .iter()
        .map(|v| {
            let price = v.price.map(comptoir_indexer::Money::cents);
            (
                v.sku.as_str(),
                v.color.as_deref(),
                v.size.as_deref(),
                price,
                v.stock,
            )
        })
        .collect()
}

/// (line, field) of each row error.
fn errors(imported: &Imported) -> Vec<(u64, &str)> {
    let mut e: Vec<(u64, &str)> = imported
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    e.sort_unstable();
    e
}

#[test]
fn shopify_apparel_gives_20_products_and_generated_variant_skus() {
    let i = import(&["shopify/apparel.csv"]);
    assert_eq!(i.formats, [Format::ShopifyLegacy]);
    assert_eq!(i.products.len(), 20);
    assert!(i.errors.is_empty(), "{:?}", i.errors);
    let shirt = product(&i, "ocean-blue-shirt");
    assert_eq!(
        (shirt.title.as_str(), shirt.price.cents(), shirt.stock),
        ("Ocean Blue Shirt", 5000, 1)
    );
    assert!(shirt.variants.is_empty() && shirt.published && shirt.images == 1);
    assert_eq!(shirt.brand.as_deref(), Some("partners-demo"));
    assert_eq!(shirt.tags, ["men"]);
    let top = product(&i, "classic-varsity-top");
    assert_eq!(top.price.cents(), 6000);
    assert_eq!(
        variants(top),
        [
            ("classic-varsity-top-small", None, Some("Small"), None, 1),
            ("classic-varsity-top-medium", None, Some("Medium"), None, 1),
            ("classic-varsity-top-large", None, Some("Large"), None, 1),
        ]
    );
    assert_eq!(product(&i, "led-high-tops").line, 23);
}

#[test]
fn shopify_home_and_garden_keeps_prices_per_variant_and_html_as_text() {
    let i = import(&["shopify/home-and-garden.csv"]);
    assert_eq!(i.products.len(), 20);
    assert!(i.errors.is_empty());
    let pot = product(&i, "clay-plant-pot");
    assert_eq!(pot.price.cents(), 999);
    assert_eq!(pot.description, "Classic blown clay pot for plants");
    assert_eq!(pot.category.as_deref(), Some("Outdoor"));
    assert_eq!(pot.tags, ["Pot", "Plants"]);
    assert_eq!(
        variants(pot),
        [
            ("clay-plant-pot-regular", None, Some("Regular"), None, 1),
            ("clay-plant-pot-large", None, Some("Large"), Some(1599), 3),
        ]
    );
    let sofa = product(&i, "cream-sofa");
    assert_eq!((sofa.price.cents(), sofa.stock), (50_000, 4));
}

#[test]
fn shopify_jewellery_colours_and_picture_only_rows() {
    let i = import(&["shopify/jewelery.csv"]);
    assert_eq!(i.products.len(), 20);
    assert!(i.errors.is_empty());
    // Line breaks inside quoted descriptions: kept, and the line numbers still match the file.
    let pendant = product(&i, "choker-with-gold-pendant");
    assert_eq!(pendant.line, 14);
    assert!(
        pendant.description.contains('\n'),
        "{:?}",
        pendant.description
    );
    assert_eq!(product(&i, "choker-with-triangle").line, 23);
    let anchor = product(&i, "leather-anchor");
    assert_eq!(anchor.price.cents(), 6999);
    assert_eq!(anchor.images, 3, "the third row only adds a picture");
    assert_eq!(
        variants(anchor),
        [
            ("leather-anchor-gold", Some("Gold"), None, None, 1),
            ("leather-anchor-silver", Some("Silver"), None, Some(5500), 0),
        ]
    );
    assert_eq!(product(&i, "boho-earrings").weight, 28);
}

#[test]
fn shopify_2023_template_colour_by_size_skus_barcodes_and_drafts() {
    let i = import(&["shopify/product_template_2023_legacy_headers.csv"]);
    assert_eq!(i.products.len(), 3);
    let shirt = product(&i, "example-shirt");
    assert_eq!((shirt.price.cents(), shirt.weight), (2500, 145));
    assert!(
        shirt
            .description
            .starts_with("This t-shirt is as simple as it gets.")
    );
    let v = variants(shirt);
    assert_eq!(v.len(), 12);
    assert_eq!(v[0], ("SRT_COT_111", Some("Green"), Some("S"), None, 0));
    assert_eq!(v[11], ("SRT_COT_433", Some("Purple"), Some("L"), None, 0));
    assert_eq!(shirt.variants[5].gtin.as_deref(), Some("777979207524"));
    let pants = product(&i, "example-pants");
    assert!(!pants.published, "status draft");
    assert_eq!(
        variants(pants)[0],
        ("PNT_DEN_285", None, Some("28"), None, 20)
    );
    let hat = product(&i, "example-hat");
    assert_eq!(hat.sku.as_deref(), Some("HAT_GRY_275"));
    assert_eq!((hat.price.cents(), hat.stock, hat.weight), (1799, 50, 72));
    // Fourteen barcodes with a wrong check digit: each dropped, with a row error.
    let lines: Vec<u64> = i.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 8, 9, 11, 12, 13, 14, 15, 16, 18]);
    assert!(i.errors.iter().all(|e| e.field == "Variant Barcode"));
}

#[test]
fn shopify_2024_export_with_shifted_rows_gives_row_errors_not_a_crash() {
    let i = import(&["shopify/stoa_new_format_2024_headers_example.csv"]);
    assert_eq!(i.formats, [Format::Shopify2024]);
    assert!(i.products.is_empty());
    let lines: Vec<u64> = i.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, (2..=29).collect::<Vec<u64>>());
    assert!(
        i.errors[0].reason.contains("58 champs"),
        "{}",
        i.errors[0].reason
    );
}

#[test]
fn shopify_2024_headers_are_mapped() {
    let csv = "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option2 name,Option2 value,Price,Inventory quantity,Weight value (grams),Product image URL\n\
Pantalon,pantalon-ski,\"<p>Coupe droite.</p>\",stOa,Apparel > Pants,,\"Ski, Hiver\",TRUE,Active,STOA-S,4006381333931,Couleur,Noir,Taille,S,689.00,10,420,https://x/1.png\n\
,pantalon-ski,,,,,,,,STOA-M,,,Noir,,M,699.00,3,440,\n";
    let i = read(&[Upload {
        name: "new.csv".into(),
        bytes: csv.as_bytes().to_vec(),
    }]);
    assert!(i.errors.is_empty(), "{:?}", i.errors);
    let p = product(&i, "pantalon-ski");
    assert_eq!(
        (p.price.cents(), p.weight, p.published),
        (68_900, 440, true)
    );
    assert_eq!(
        (p.category.as_deref(), p.description.as_str()),
        (Some("Pants"), "Coupe droite.")
    );
    assert_eq!(
        variants(p),
        [
            ("STOA-S", Some("Noir"), Some("S"), None, 10),
            ("STOA-M", Some("Noir"), Some("M"), Some(69_900), 3)
        ]
    );
    assert_eq!(p.variants[0].gtin.as_deref(), Some("4006381333931"));
}

#[test]
fn woocommerce_sample_joins_variations_to_their_parent() {
    let i = import(&["woocommerce/sample_products.csv"]);
    assert_eq!(i.formats, [Format::WooCommerce]);
    let handles: Vec<&str> = i.products.iter().map(|p| p.handle.as_str()).collect();
    assert_eq!(handles.len(), 14);
    assert!(!handles.contains(&"woo-album") && !handles.contains(&"logo-collection"));
    let tee = product(&i, "woo-vneck-tee");
    assert_eq!(
        (tee.price.cents(), tee.weight, tee.category.as_deref()),
        (2000, 227, Some("Tshirts"))
    );
    assert_eq!(
        variants(tee),
        [
            ("woo-vneck-tee-red", Some("Red"), None, None, 0),
            ("woo-vneck-tee-green", Some("Green"), None, None, 0),
            ("woo-vneck-tee-blue", Some("Blue"), None, Some(1500), 0),
        ]
    );
    let hoodie = product(&i, "woo-hoodie");
    assert_eq!(hoodie.price.cents(), 4200, "the red one's sale price");
    assert_eq!(
        variants(hoodie)[3],
        (
            "woo-hoodie-blue-logo",
            Some("Blue"),
            Some("Logo Yes"),
            Some(4500),
            0
        )
    );
    let belt = product(&i, "woo-belt");
    assert_eq!(
        (belt.price.cents(), belt.sku.as_deref()),
        (5500, Some("woo-belt"))
    );
    assert!(
        !product(&i, "woo-hoodie-with-pocket").published,
        "hidden from the catalogue"
    );
    let kinds: Vec<(u64, &str)> = errors(&i)
        .into_iter()
        .filter(|(_, f)| *f == "Type")
        .collect();
    assert_eq!(
        kinds,
        [(14, "Type"), (15, "Type"), (24, "Type"), (25, "Type")]
    );
    assert_eq!(errors(&i).iter().filter(|(_, f)| *f == "Stock").count(), 19);
}

#[test]
fn woocommerce_fashion_builds_variants_from_attributes_and_refuses_a_priceless_product() {
    let i = import(&["woocommerce/experimental_fashion_sample_9_products.csv"]);
    assert_eq!(i.products.len(), 8);
    let sweater = product(&i, "woo-fashion-sweater");
    assert_eq!(sweater.price.cents(), 1600);
    let v = variants(sweater);
    assert_eq!(v.len(), 6);
    assert_eq!(
        v[0],
        (
            "woo-fashion-sweater-green-large",
            Some("Green"),
            Some("Large"),
            None,
            0
        )
    );
    assert_eq!(
        v[5],
        (
            "woo-fashion-sweater-beige-small",
            Some("Beige"),
            Some("Small"),
            None,
            0
        )
    );
    assert_eq!(product(&i, "woo-fashion-shirt").stock, 10);
    assert!(
        product(&i, "woo-fashion-socks").variants.is_empty(),
        "no size values"
    );
    assert_eq!(
        errors(&i),
        [
            (2, "Attribute 1 value(s)"),
            (5, "Regular price"),
            (20, "Stock"),
            (23, "Stock"),
            (26, "Stock")
        ]
    );
}

#[test]
fn prestashop_products_with_combinations_prices_with_vat() {
    let i = import(&[
        "prestashop/products_import.csv",
        "prestashop/combinations_import.csv",
    ]);
    assert_eq!(
        i.formats,
        [Format::PrestaShopProducts, Format::PrestaShopCombinations]
    );
    assert_eq!(i.products.len(), 7);
    let nano = product(&i, "ipod-nano");
    assert_eq!(
        (nano.title.as_str(), nano.price.cents(), nano.weight),
        ("iPod Nano", 12_000, 68)
    );
    assert_eq!(nano.tags, ["apple", "ipod", "nano"]);
    assert_eq!(nano.description, "New design.");
    let v = variants(nano);
    assert_eq!(v.len(), 15, "the first combination has a field too many");
    assert_eq!(
        v[0],
        (
            "RP-Nano-Blue-8GB",
            Some("Blue"),
            Some("Disk space 8GB"),
            None,
            10
        )
    );
    assert_eq!(
        v[1],
        (
            "RP-Nano-Yellow-16GB",
            Some("Yellow"),
            Some("Disk space 16GB"),
            Some(16_800),
            10
        )
    );
    let shure = product(
        &i,
        "shure-se210-sound-isolating-earphones-for-ipod-and-iphone",
    );
    assert_eq!(shure.price.cents(), 13_750, "125 € + 10 % VAT");
    assert!(!product(&i, "ipod-touch").published, "visibility none");
    assert_eq!(
        product(&i, "macbook-air").variants.len(),
        2,
        "two SKUs repeated"
    );
    let e = errors(&i);
    assert!(e.contains(&(2, "")), "{e:?}");
    assert!(
        e.contains(&(23, "SKU")) && e.contains(&(25, "SKU")),
        "{e:?}"
    );
    assert_eq!(e.iter().filter(|(_, f)| *f == "EAN13").count(), 7 + 19);
}

#[test]
fn prestashop_files_alone_say_what_to_send() {
    let i = import(&["prestashop/categories_import.csv"]);
    assert!(i.products.is_empty());
    assert!(i.errors[0].reason.contains("catégories"));
    let i = import(&["prestashop/combinations_import.csv"]);
    assert!(i.products.is_empty());
    assert!(
        i.errors
            .iter()
            .any(|e| e.reason.contains("fichier des produits"))
    );
}

#[test]
fn prestashop_french_decimal_commas() {
    let csv = "Product ID;Active (0/1);Name *;Categories (x,y,z...);Price tax excluded;Tax rules ID;Weight;Quantity;Reference #;URL rewritten\n\
1;1;Confiture;Épicerie;4,50;3;0,35;12;CONF-1;confiture-abricot\n";
    let i = read(&[Upload {
        name: "p.csv".into(),
        bytes: csv.as_bytes().to_vec(),
    }]);
    assert!(i.errors.is_empty(), "{:?}", i.errors);
    let p = product(&i, "confiture-abricot");
    assert_eq!(
        (p.price.cents(), p.weight, p.stock),
        (475, 350, 12),
        "4,50 € + 5.5 % VAT"
    );
    assert_eq!(p.sku.as_deref(), Some("CONF-1"));
}

#[test]
fn unknown_and_empty_files_are_file_errors() {
    let i = read(&[Upload {
        name: "x.csv".into(),
        bytes: b"Nom,Prix\nA,1\n".to_vec(),
    }]);
    assert!(i.products.is_empty());
    assert!(i.errors[0].reason.contains("format non reconnu"));
    let i = read(&[Upload {
        name: "vide.csv".into(),
        bytes: Vec::new(),
    }]);
    assert!(i.errors[0].reason.contains("vide"));
}
