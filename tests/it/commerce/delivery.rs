//! Each delivery mode's rules: opening hours and preparation, served postcodes, slot
//! capacity (full slots shown but refused), weight bands, modes a product restricts.

use super::{
    BAGUETTE, BAKERY, BRIE, CHEESE, CLOTHES, EVENING, Env, MORNING, SCARF_RED, SWEATER_ECRU, TODAY,
    WEDNESDAY,
};
use super::{at, checkout, home, locker, now, on_both_databases, relay};
use comptoir::cart::CartLine;
use comptoir::delivery::{self, Choice, DeliveryError, ModeOption};
use comptoir::orders::CheckoutError;
use comptoir::{pricing, stock};
use comptoir_indexer::Money;
use comptoir_indexer::model::{Address, DeliveryMode};
use jiff::Timestamp;
use jiff::civil::date;

/// The options of the one shop of a cart of `items`, at `when`.
async fn options(env: &Env, items: &[(&str, u32)], when: Timestamp) -> Vec<ModeOption> {
    let lines: Vec<CartLine> = items
        .iter()
        .map(|(sku, quantity)| CartLine {
            sku: (*sku).to_owned(),
            quantity: *quantity,
        })
        .collect();
    let day = delivery::calendar::in_paris(when).date();
    let priced = pricing::price_with_stock(&env.db, &env.catalogue, &lines, day)
        .await
        .expect("priced");
    let mut shops = delivery::options_for_cart(&env.db, &env.catalogue, &priced, when)
        .await
        .expect("options");
    assert_eq!(shops.len(), 1);
    shops.remove(0).options
}

fn delivery_error(result: Result<impl std::fmt::Debug, CheckoutError>) -> DeliveryError {
    match result {
        Err(CheckoutError::Delivery { error, .. }) => error,
        other => panic!("expected a delivery error, got {other:?}"),
    }
}

async fn click_and_collect_follows_preparation_and_opening_hours(env: Env) {
    let ready = |options: &[ModeOption]| match options.first() {
        Some(ModeOption::ClickCollect { ready_at }) => ready_at.timestamp(),
        other => panic!("click & collect comes first: {other:?}"),
    };
    // The cheese shop: Tuesday 09:00-13:00 and 16:00-19:30, 20 minutes to prepare.
    assert_eq!(
        ready(&options(&env, &[(BRIE, 1)], now()).await),
        at(TODAY, 9, 20)
    );
    assert_eq!(
        ready(&options(&env, &[(BRIE, 1)], at(TODAY, 12, 50)).await),
        at(TODAY, 16, 20),
        "not after closing"
    );
    // Closed Wednesday to Friday: Saturday 08:30 + 20 minutes.
    assert_eq!(
        ready(&options(&env, &[(BRIE, 1)], at(TODAY, 19, 20)).await),
        at(date(2026, 3, 14), 8, 50)
    );

    let placed = env
        .place(&checkout(&[(BRIE, 1)], &[(CHEESE, Choice::ClickCollect)]))
        .await
        .expect("placed");
    let sub = placed
        .order
        .shop(CHEESE)
        .expect("the cheese shop's part")
        .clone();
    assert_eq!(
        (sub.mode, sub.fee, sub.ready_at),
        (
            DeliveryMode::ClickCollect,
            Money::default(),
            Some(at(TODAY, 9, 20))
        )
    );
}

async fn slots_start_after_the_order_is_ready_within_a_week(env: Env) {
    // The clothes shop is ready at 11:00 (opens 10:00, one hour to prepare).
    let error = delivery_error(
        env.place(&checkout(
            &[(SCARF_RED, 1)],
            &[(CLOTHES, relay(TODAY, MORNING))],
        ))
        .await,
    );
    assert_eq!(
        error,
        DeliveryError::TooSoon {
            day: TODAY,
            slot: MORNING.into()
        }
    );
    assert!(
        error
            .french_message(TODAY)
            .contains("mardi 10 mars de 10:00 à 12:00"),
        "{}",
        error.french_message(TODAY)
    );
    let error = delivery_error(
        env.place(&checkout(
            &[(SCARF_RED, 1)],
            &[(CLOTHES, relay(TODAY, "08:00-09:00"))],
        ))
        .await,
    );
    assert!(
        matches!(error, DeliveryError::UnknownSlot { .. }),
        "{error:?}"
    );
    let next_week = date(2026, 3, 17);
    let error = delivery_error(
        env.place(&checkout(
            &[(SCARF_RED, 1)],
            &[(CLOTHES, relay(next_week, MORNING))],
        ))
        .await,
    );
    assert_eq!(error, DeliveryError::TooFar { day: next_week });
    let yesterday = date(2026, 3, 9);
    let error = delivery_error(
        env.place(&checkout(
            &[(SCARF_RED, 1)],
            &[(CLOTHES, locker(yesterday))],
        ))
        .await,
    );
    assert!(matches!(error, DeliveryError::TooSoon { .. }), "{error:?}");

    let listed = options(&env, &[(SCARF_RED, 1)], now()).await;
    let Some(ModeOption::Relay { days, fee, .. }) =
        listed.iter().find(|o| o.mode() == DeliveryMode::Relay)
    else {
        panic!("relay offered: {listed:?}");
    };
    assert_eq!(*fee, Money::from_cents(90));
    let today: Vec<&str> = days[0].slots.iter().map(|s| s.slot.as_str()).collect();
    assert_eq!(
        (days[0].day, today),
        (TODAY, vec![EVENING]),
        "the morning slot starts too soon"
    );
    assert_eq!(days.len(), 7, "a week ahead");
    env.place(&checkout(
        &[(SCARF_RED, 1)],
        &[(CLOTHES, relay(TODAY, EVENING))],
    ))
    .await
    .expect("evening is fine");
}

async fn relay_slots_and_lockers_have_a_capacity(mut env: Env) {
    let town = &mut env.catalogue_mut().town;
    town.delivery_points.iter_mut().for_each(|p| p.capacity = 2);
    for _ in 0..2 {
        env.place(&checkout(
            &[(BRIE, 1)],
            &[(CHEESE, relay(WEDNESDAY, MORNING))],
        ))
        .await
        .expect("placed");
        env.place(&checkout(&[(BAGUETTE, 1)], &[(BAKERY, locker(WEDNESDAY))]))
            .await
            .expect("placed");
    }
    let listed = options(&env, &[(BAGUETTE, 1)], now()).await;
    let slot = |mode: DeliveryMode, slot: &str| {
        let option = listed.iter().find(|o| o.mode() == mode).expect("offered");
        let day = option
            .days()
            .iter()
            .find(|d| d.day == WEDNESDAY)
            .expect("Wednesday listed");
        day.slots
            .iter()
            .find(|s| s.slot == slot)
            .expect("slot listed")
            .clone()
    };
    assert_eq!(
        (
            slot(DeliveryMode::Relay, MORNING).remaining,
            slot(DeliveryMode::Relay, MORNING).full
        ),
        (0, true)
    );
    assert_eq!(
        (
            slot(DeliveryMode::Relay, EVENING).remaining,
            slot(DeliveryMode::Relay, EVENING).full
        ),
        (2, false)
    );
    assert_eq!(
        (
            slot(DeliveryMode::Locker, "").remaining,
            slot(DeliveryMode::Locker, "").full
        ),
        (0, true)
    );

    let error = delivery_error(
        env.place(&checkout(
            &[(BRIE, 1)],
            &[(CHEESE, relay(WEDNESDAY, MORNING))],
        ))
        .await,
    );
    assert_eq!(
        error,
        DeliveryError::Full {
            day: WEDNESDAY,
            slot: MORNING.into()
        }
    );
    let error = delivery_error(
        env.place(&checkout(&[(BAGUETTE, 1)], &[(BAKERY, locker(WEDNESDAY))]))
            .await,
    );
    assert_eq!(
        error,
        DeliveryError::Full {
            day: WEDNESDAY,
            slot: String::new()
        }
    );
    assert_eq!(
        error.french_message(TODAY),
        "La consigne est complète le mercredi 11 mars : choisissez un autre jour."
    );
    env.place(&checkout(
        &[(BRIE, 1)],
        &[(CHEESE, relay(WEDNESDAY, EVENING))],
    ))
    .await
    .expect("another slot");
    env.place(&checkout(&[(BAGUETTE, 1)], &[(BAKERY, locker(TODAY))]))
        .await
        .expect("another day");
}

async fn home_delivery_serves_the_town_postcodes_only(mut env: Env) {
    let mut order = checkout(&[(BRIE, 1)], &[(CHEESE, home(WEDNESDAY, MORNING))]);
    order.address = Some(Address {
        street: "1 rue de Rivoli".into(),
        postcode: "75001".into(),
        city: "Paris".into(),
    });
    let error = delivery_error(env.place(&order).await);
    assert!(
        matches!(&error, DeliveryError::NotServed { postcode, .. } if postcode == "75001"),
        "{error:?}"
    );
    assert!(
        error
            .french_message(TODAY)
            .contains("ne dessert pas le 75001 (seulement : 92330)")
    );

    order.address = None;
    let Err(CheckoutError::Invalid { fields }) = env.place(&order).await else {
        panic!("an address is needed");
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
    assert_eq!(names, ["street", "postcode", "city"]);

    env.catalogue_mut()
        .town
        .home_delivery
        .as_mut()
        .expect("home delivery")
        .capacity = 1;
    env.place(&checkout(
        &[(BRIE, 1)],
        &[(CHEESE, home(WEDNESDAY, MORNING))],
    ))
    .await
    .expect("served");
    let error = delivery_error(
        env.place(&checkout(
            &[(SCARF_RED, 1)],
            &[(CLOTHES, home(WEDNESDAY, MORNING))],
        ))
        .await,
    );
    assert!(
        matches!(error, DeliveryError::Full { .. }),
        "the slot is shared by every shop: {error:?}"
    );
}

async fn post_is_priced_by_weight_with_an_estimate(mut env: Env) {
    let listed = options(&env, &[(SCARF_RED, 1)], now()).await;
    let post = listed
        .iter()
        .find(|o| o.mode() == DeliveryMode::Post)
        .expect("post offered");
    // Ready Tuesday at 11:00; 2 to 4 working days.
    let expected = ModeOption::Post {
        fee: Money::from_cents(590),
        earliest: date(2026, 3, 12),
        latest: date(2026, 3, 16),
    };
    assert_eq!(post, &expected);

    let products = &mut env.catalogue_mut().products;
    products
        .iter_mut()
        .filter(|p| p.id == "marguerite-pull-marin")
        .for_each(|p| std::sync::Arc::make_mut(p).weight = 1500);
    let listed = options(&env, &[(SWEATER_ECRU, 2)], now()).await;
    assert!(
        listed.iter().all(|o| o.mode() != DeliveryMode::Post),
        "3 kg is above every band"
    );
    let error = delivery_error(
        env.place(&checkout(&[(SWEATER_ECRU, 2)], &[(CLOTHES, Choice::Post)]))
            .await,
    );
    assert_eq!(error, DeliveryError::TooHeavy { grams: 3000 });
}

async fn a_product_can_narrow_its_shop_modes(env: Env) {
    stock::set(&env.db, "parc-croissant", 5)
        .await
        .expect("stock set");
    let listed = options(&env, &[(BAGUETTE, 1), ("parc-croissant", 2)], now()).await;
    let modes: Vec<DeliveryMode> = listed.iter().map(ModeOption::mode).collect();
    assert_eq!(
        modes,
        [DeliveryMode::ClickCollect],
        "croissants are collected only"
    );
    let error = delivery_error(
        env.place(&checkout(
            &[(BAGUETTE, 1), ("parc-croissant", 2)],
            &[(BAKERY, locker(TODAY))],
        ))
        .await,
    );
    assert_eq!(
        error,
        DeliveryError::NotOffered {
            mode: DeliveryMode::Locker
        }
    );
    let error = delivery_error(
        env.place(&checkout(&[(BRIE, 1)], &[(CHEESE, Choice::Post)]))
            .await,
    );
    assert_eq!(
        error,
        DeliveryError::NotOffered {
            mode: DeliveryMode::Post
        },
        "the cheese shop does not post"
    );
}

on_both_databases!(
    click_and_collect_follows_preparation_and_opening_hours,
    slots_start_after_the_order_is_ready_within_a_week,
    relay_slots_and_lockers_have_a_capacity,
    home_delivery_serves_the_town_postcodes_only,
    post_is_priced_by_weight_with_an_estimate,
    a_product_can_narrow_its_shop_modes
);
