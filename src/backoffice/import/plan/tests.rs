//! The plan over the `valid` fixture: creations, updates that erase nothing, another
//! shop's SKU refused, duplicates within a file, files the catalogue would refuse.

use super::*;
use crate::backoffice::import::{Imported, ImportedVariant};
use comptoir_indexer::Money;

fn fixture() -> (PathBuf, Catalogue) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let catalogue = comptoir_indexer::load::load(&content).expect("the valid fixture");
    (content, catalogue)
}

fn plan_of(products: Vec<ImportedProduct>) -> Plan {
    let (content, catalogue) = fixture();
    let target = Target {
        catalogue: &catalogue,
        content: &content,
        shop: "boutique-marguerite",
        default_aisle: "mode",
        today: Date::constant(2026, 11, 29),
    };
    plan(
        &Imported {
            products,
            ..Imported::default()
        },
        &target,
    )
}

fn simple(handle: &str, sku: &str, cents: i64) -> ImportedProduct {
    ImportedProduct {
        line: 2,
        handle: handle.into(),
        sku: Some(sku.into()).filter(|s: &String| !s.is_empty()),
        title: "Bonnet".into(),
        price: Money::from_cents(cents),
        published: true,
        stock: 4,
        ..ImportedProduct::default()
    }
}

#[test]
fn a_new_product_is_created_in_the_matching_aisle_without_pictures() {
    let mut p = simple("bonnet-laine", "", 2500);
    p.category = Some("Vêtements".into());
    p.images = 2;
    let plan = plan_of(vec![p]);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let item = &plan.items[0];
    assert_eq!(item.action, Action::Create);
    assert_eq!(
        item.path,
        Path::new("shops/boutique-marguerite/products/bonnet-laine.md")
    );
    assert_eq!(item.draft.id, "boutique-marguerite-bonnet-laine");
    assert_eq!(
        (item.draft.category.as_str(), item.aisle.as_str()),
        ("vetements", "Vêtements")
    );
    assert!(
        item.text.contains("images = []") && item.text.contains("price = \"25.00\""),
        "{}",
        item.text
    );
    assert_eq!(item.images_left, 2);
    let unmatched = plan_of(vec![simple("gants", "", 1500)]);
    assert_eq!(
        unmatched.items[0].draft.category, "mode",
        "the default aisle"
    );
}

#[test]
fn a_sku_of_the_shop_updates_its_product_and_keeps_its_file() {
    let mut p = simple("pull", "", 8900);
    p.title = "Pull marin".into();
    p.variants = vec![ImportedVariant {
        line: 2,
        sku: "PULL-MARINE-S".into(),
        color: Some("bleu marine".into()),
        size: Some("S".into()),
        stock: 2,
        ..ImportedVariant::default()
    }];
    let plan = plan_of(vec![p]);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let item = &plan.items[0];
    assert_eq!(item.action, Action::Update);
    assert_eq!(
        item.path,
        Path::new("shops/boutique-marguerite/products/pull-marin.md")
    );
    assert_eq!(item.draft.id, "marguerite-pull-marin", "the id is kept");
    assert_eq!(item.draft.price.cents(), 8900);
    let skus: Vec<&str> = item.draft.variants.iter().map(|v| v.sku.as_str()).collect();
    assert_eq!(
        skus,
        ["PULL-MARINE-S", "PULL-MARINE-M", "PULL-ECRU-M"],
        "variants not in the file are kept"
    );
    assert_eq!(
        item.draft.brand.as_deref(),
        Some("Atelier de Bretagne"),
        "an empty field erases nothing"
    );
    assert!(!item.draft.images.is_empty(), "its pictures are kept");
}

#[test]
fn another_shops_sku_is_a_row_error_and_nothing_is_planned() {
    let plan = plan_of(vec![simple("baguette", "parc-baguette-tradition", 130)]);
    assert!(plan.items.is_empty());
    assert_eq!(plan.errors.len(), 1);
    assert!(
        plan.errors[0]
            .reason
            .contains("appartient déjà à la boutique"),
        "{}",
        plan.errors[0].reason
    );
}

#[test]
fn a_product_twice_in_the_file_is_planned_once() {
    let plan = plan_of(vec![
        simple("bonnet", "BONNET-1", 2500),
        simple("bonnet-bis", "BONNET-1", 2500),
    ]);
    assert_eq!(plan.items.len(), 1);
    assert!(
        plan.errors[0].reason.contains("déjà présent plus haut"),
        "{:?}",
        plan.errors
    );
}

#[test]
fn a_product_the_catalogue_would_refuse_is_a_row_error() {
    let mut p = simple("bonnet", "", 2500);
    p.title = "  ".into();
    let plan = plan_of(vec![p]);
    assert!(plan.items.is_empty());
    assert_eq!(
        plan.errors[0].reason,
        "le produit serait refusé par le catalogue (titre vide) : il est ignoré"
    );
}
