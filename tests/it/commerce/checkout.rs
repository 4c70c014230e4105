//! Placing orders: all or nothing, never more than the stock, one order per idempotency
//! key, one sub-order per shop, numbers without gaps.

use super::{BAGUETTE, BAKERY, BRIE, CHEESE, CLOTHES, COMTE, Env, MORNING, SCARF_RED, WEDNESDAY};
use super::{checkout, on_both_databases, relay};
use comptoir::cart::{self, CartId};
use comptoir::delivery::{Choice, DeliveryError};
use comptoir::orders::{CheckoutError, Status};
use comptoir::stock;
use comptoir_indexer::Money;
use std::collections::BTreeSet;

async fn fifty_shoppers_race_for_the_last_ten(env: Env) {
    stock::set(&env.db, BAGUETTE, 10).await.expect("stock set");
    let env = std::sync::Arc::new(env);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let env = std::sync::Arc::clone(&env);
            tokio::spawn(async move {
                env.place(&checkout(
                    &[(BAGUETTE, 1)],
                    &[(BAKERY, Choice::ClickCollect)],
                ))
                .await
            })
        })
        .collect();
    let (mut numbers, mut refused) = (BTreeSet::new(), 0);
    for task in tasks {
        match task.await.expect("no panic") {
            Ok(placed) => assert!(numbers.insert(placed.order.number), "numbers are unique"),
            Err(CheckoutError::OutOfStock {
                left: 0, wanted: 1, ..
            }) => refused += 1,
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!((numbers.len(), refused), (10, 40));
    assert_eq!(env.stock(BAGUETTE).await, 0);
    assert_eq!(env.orders_of(BAKERY).await.len(), 10);
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("SC-2026-{n:06}")).collect();
    assert_eq!(numbers, expected, "numbered without gaps");
}

async fn the_same_idempotency_key_makes_one_order(env: Env) {
    let order = checkout(&[(BRIE, 2)], &[(CHEESE, Choice::ClickCollect)]);
    let first = env.place(&order).await.expect("placed");
    let second = env.place(&order).await.expect("answered");
    assert!(first.fresh && !second.fresh);
    assert_eq!(first.order, second.order);

    // A double click: both requests at once.
    let twice = checkout(&[(COMTE, 1)], &[(CHEESE, Choice::ClickCollect)]);
    let (a, b) = tokio::join!(env.place(&twice), env.place(&twice));
    let (a, b) = (a.expect("placed"), b.expect("placed"));
    assert_eq!(a.order.number, b.order.number);
    assert_eq!(
        usize::from(a.fresh) + usize::from(b.fresh),
        1,
        "exactly one of them placed it"
    );

    assert_eq!(env.orders_of(CHEESE).await.len(), 2);
    assert_eq!(
        (env.stock(BRIE).await, env.stock(COMTE).await),
        (6, 14),
        "stock taken once each"
    );
}

async fn a_checkout_failing_halfway_leaves_nothing(mut env: Env) {
    env.catalogue_mut()
        .town
        .delivery_points
        .iter_mut()
        .for_each(|p| p.capacity = 1);
    let cart_id = CartId::generate();
    cart::add(&env.db, &env.catalogue, &cart_id, BAGUETTE, 2)
        .await
        .expect("added");
    cart::add(&env.db, &env.catalogue, &cart_id, SCARF_RED, 1)
        .await
        .expect("added");
    cart::add(&env.db, &env.catalogue, &cart_id, BRIE, 1)
        .await
        .expect("added");
    let mut order = checkout(
        &[],
        &[
            (BAKERY, Choice::ClickCollect),
            (CLOTHES, Choice::Post),
            (CHEESE, relay(WEDNESDAY, MORNING)),
        ],
    );
    order.lines = cart::lines(&env.db, &cart_id).await.expect("lines");
    order.cart = Some(cart_id.clone());

    // Someone else takes the cheese shop's relay slot first.
    let other = checkout(&[(COMTE, 1)], &[(CHEESE, relay(WEDNESDAY, MORNING))]);
    let first = env.place(&other).await.expect("placed").order.number;
    assert_eq!(first, "SC-2026-000001");

    let error = env.place(&order).await.expect_err("the slot is full");
    let CheckoutError::Delivery {
        shop,
        error: DeliveryError::Full { .. },
        ..
    } = &error
    else {
        panic!("expected a full slot, got {error:?}");
    };
    assert_eq!(shop, CHEESE, "the error names the shop");
    assert!(
        error
            .french_message(super::TODAY)
            .starts_with("Fromagerie des Écoles : Le créneau du mercredi 11 mars")
    );
    assert_eq!(
        env.orders_of(BAKERY).await,
        Vec::<String>::new(),
        "no partial order"
    );
    assert_eq!(env.orders_of(CLOTHES).await, Vec::<String>::new());
    assert_eq!(
        (
            env.stock(BAGUETTE).await,
            env.stock(SCARF_RED).await,
            env.stock(BRIE).await
        ),
        (40, 3, 8)
    );
    assert_eq!(
        cart::lines(&env.db, &cart_id).await.expect("lines").len(),
        3,
        "the cart is kept"
    );

    order
        .choices
        .insert(CHEESE.to_owned(), relay(WEDNESDAY, super::EVENING));
    let placed = env.place(&order).await.expect("another slot works").order;
    assert_eq!(
        placed.number, "SC-2026-000002",
        "the failed attempt used no number"
    );
    assert_eq!(placed.shops.len(), 3, "one sub-order per shop");
    assert!(placed.shops.iter().all(|s| s.status == Status::Placed));
    assert_eq!(
        cart::lines(&env.db, &cart_id).await.expect("lines"),
        [],
        "the order emptied the cart"
    );
    assert_eq!(env.stock(BAGUETTE).await, 38);
}

async fn bad_checkouts_are_refused_before_anything_is_written(env: Env) {
    let empty = checkout(&[], &[]);
    assert!(matches!(
        env.place(&empty).await,
        Err(CheckoutError::EmptyCart)
    ));

    let mut nobody = checkout(&[(BRIE, 1)], &[(CHEESE, Choice::ClickCollect)]);
    nobody.contact.email = "pas-un-email".into();
    nobody.idempotency_key = "short".into();
    let Err(CheckoutError::Invalid { fields }) = env.place(&nobody).await else {
        panic!("invalid");
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    assert_eq!(names, ["email", "idempotency_key"]);

    let no_choice = checkout(
        &[(BRIE, 1), (BAGUETTE, 1)],
        &[(CHEESE, Choice::ClickCollect)],
    );
    let error = env
        .place(&no_choice)
        .await
        .expect_err("the bakery has no choice");
    assert!(
        matches!(&error, CheckoutError::NoChoice { shop, .. } if shop == BAKERY),
        "{error:?}"
    );

    let huge = checkout(&[(BRIE, 100)], &[(CHEESE, Choice::ClickCollect)]);
    assert!(matches!(
        env.place(&huge).await,
        Err(CheckoutError::Quantity { quantity: 100, .. })
    ));
    let unknown = checkout(&[("NOPE", 1)], &[]);
    assert!(matches!(
        env.place(&unknown).await,
        Err(CheckoutError::UnknownItem { .. })
    ));
    let too_many = checkout(&[(BRIE, 9)], &[(CHEESE, Choice::ClickCollect)]);
    let error = env.place(&too_many).await.expect_err("8 left");
    assert!(
        matches!(
            error,
            CheckoutError::OutOfStock {
                left: 8,
                wanted: 9,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .french_message(super::TODAY)
            .contains("Il ne reste que 8 « Brie de Meaux »")
    );

    let mut stale = checkout(&[(BRIE, 1)], &[(CHEESE, Choice::ClickCollect)]);
    stale.expected_total = Some(Money::from_cents(100));
    let error = env.place(&stale).await.expect_err("the total changed");
    assert!(
        matches!(error, CheckoutError::PriceChanged { total } if total == Money::from_cents(480))
    );

    assert_eq!(env.orders_of(CHEESE).await, Vec::<String>::new());
    assert_eq!(env.stock(BRIE).await, 8);
}

on_both_databases!(
    fifty_shoppers_race_for_the_last_ten,
    the_same_idempotency_key_makes_one_order,
    a_checkout_failing_halfway_leaves_nothing,
    bad_checkouts_are_refused_before_anything_is_written
);
