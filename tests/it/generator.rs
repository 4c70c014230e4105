//! `gen-catalogue` writes a valid catalogue of the requested size.

use comptoir_indexer::synthetic::{Options, write};

#[test]
fn generated_catalogues_are_valid_and_of_the_requested_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("gen");
    write(
        &out,
        &Options {
            shops: 13,
            products: 500,
            seed: 42,
        },
    )
    .expect("generate");
    let catalogue =
        comptoir_indexer::load::load(&out).unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!((catalogue.shops.len(), catalogue.products.len()), (13, 500));
    assert!(
        catalogue.products.iter().any(|p| !p.variants.is_empty()),
        "clothes and shoes have variants"
    );
    assert!(
        catalogue.products.iter().any(|p| p.sale.is_some()),
        "some sale prices"
    );
    assert!(
        write(
            &out,
            &Options {
                shops: 1,
                products: 1,
                seed: 1
            }
        )
        .is_err(),
        "never writes over a catalogue"
    );
    let again = dir.path().join("again");
    write(
        &again,
        &Options {
            shops: 13,
            products: 500,
            seed: 42,
        },
    )
    .expect("generate again");
    let a = std::fs::read_to_string(out.join("categories.toml")).expect("read");
    let b = std::fs::read_to_string(again.join("categories.toml")).expect("read");
    assert_eq!(a, b, "the same seed writes the same catalogue");
}
