//! Carts: adding, changing, removing, bounds, and 30 days of life (across restarts).

use super::{BAGUETTE, COMTE, Env, SCARF_RED, on_both_databases};
use comptoir::cart::{self, CartError, CartId, CartLine};
use comptoir::db::Db;
use jiff::{SignedDuration, Timestamp};

fn line(sku: &str, quantity: u32) -> CartLine {
    CartLine {
        sku: sku.to_owned(),
        quantity,
    }
}

async fn cart_lifecycle(env: Env) {
    let (db, catalogue) = (&env.db, env.catalogue.as_ref());
    let id = CartId::generate();
    assert_eq!(
        cart::lines(db, &id).await.expect("lines"),
        [],
        "a new cart is empty"
    );

    assert_eq!(
        cart::add(db, catalogue, &id, BAGUETTE, 2)
            .await
            .expect("added"),
        2
    );
    assert_eq!(
        cart::add(db, catalogue, &id, COMTE, 1)
            .await
            .expect("added"),
        1
    );
    assert_eq!(
        cart::add(db, catalogue, &id, BAGUETTE, 3)
            .await
            .expect("added"),
        5,
        "additions add up"
    );
    cart::set_quantity(db, catalogue, &id, COMTE, 4)
        .await
        .expect("changed");
    cart::add(db, catalogue, &id, SCARF_RED, 1)
        .await
        .expect("a variant's SKU");
    assert_eq!(
        cart::lines(db, &id).await.expect("lines"),
        [line(BAGUETTE, 5), line(COMTE, 4), line(SCARF_RED, 1)]
    );

    cart::remove(db, &id, BAGUETTE).await.expect("removed");
    cart::set_quantity(db, catalogue, &id, SCARF_RED, 0)
        .await
        .expect("0 removes");
    assert_eq!(cart::lines(db, &id).await.expect("lines"), [line(COMTE, 4)]);

    let other = CartId::generate();
    cart::add(db, catalogue, &other, BAGUETTE, 1)
        .await
        .expect("another cart");
    cart::clear(db, &id).await.expect("cleared");
    assert_eq!(cart::lines(db, &id).await.expect("lines"), []);
    assert_eq!(
        cart::lines(db, &other).await.expect("lines"),
        [line(BAGUETTE, 1)],
        "carts are separate"
    );
}

async fn quantities_and_items_are_checked(env: Env) {
    let (db, catalogue) = (&env.db, env.catalogue.as_ref());
    let id = CartId::generate();
    for bad in [0, -1, 100, i64::MAX, i64::MIN] {
        let error = cart::add(db, catalogue, &id, BAGUETTE, bad)
            .await
            .expect_err("refused");
        assert!(
            matches!(error, CartError::Quantity { .. }),
            "{bad}: {error}"
        );
        assert!(error.french_message().contains("entre 1 et 99"));
    }
    for bad in [-1, 100] {
        let error = cart::set_quantity(db, catalogue, &id, BAGUETTE, bad)
            .await
            .expect_err("refused");
        assert!(
            matches!(error, CartError::Quantity { .. }),
            "{bad}: {error}"
        );
    }
    cart::add(db, catalogue, &id, BAGUETTE, 98)
        .await
        .expect("98 is fine");
    let error = cart::add(db, catalogue, &id, BAGUETTE, 2)
        .await
        .expect_err("100 in all");
    assert!(
        matches!(error, CartError::Quantity { given: 100 }),
        "{error}"
    );
    for unknown in ["NO-SUCH-SKU", "parc-flan", "marguerite-echarpe"] {
        // Unknown, unpublished, and a product with variants (its id is not a SKU).
        let error = cart::add(db, catalogue, &id, unknown, 1)
            .await
            .expect_err("not on sale");
        assert!(
            matches!(error, CartError::UnknownItem { .. }),
            "{unknown}: {error}"
        );
    }
    assert_eq!(
        cart::lines(db, &id).await.expect("lines"),
        [line(BAGUETTE, 98)],
        "refusals change nothing"
    );
}

async fn carts_survive_restarts_for_thirty_days(env: Env) {
    let id = CartId::generate();
    cart::add(&env.db, &env.catalogue, &id, COMTE, 2)
        .await
        .expect("added");
    env.db.close().await;
    let db = Db::open_url(&env.url).await.expect("opens again");
    assert_eq!(
        cart::lines(&db, &id).await.expect("lines"),
        [line(COMTE, 2)],
        "kept across a restart"
    );

    let in_29_days = Timestamp::now() + SignedDuration::from_hours(29 * 24);
    assert_eq!(
        cart::purge_expired(&db, in_29_days).await.expect("purged"),
        0
    );
    assert_eq!(cart::lines(&db, &id).await.expect("lines").len(), 1);
    let in_31_days = Timestamp::now() + SignedDuration::from_hours(31 * 24);
    assert_eq!(
        cart::purge_expired(&db, in_31_days).await.expect("purged"),
        1
    );
    assert_eq!(
        cart::lines(&db, &id).await.expect("lines"),
        [],
        "gone after 30 days"
    );
}

on_both_databases!(
    cart_lifecycle,
    quantities_and_items_are_checked,
    carts_survive_restarts_for_thirty_days
);
