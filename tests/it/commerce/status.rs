//! Sub-order statuses: the allowed moves, cancelling (stock and slot given back), payment
//! on delivery, and the tracking token.

use super::{BAGUETTE, BAKERY, CLOTHES, Env, MORNING, SCARF_RED, WEDNESDAY};
use super::{checkout, now, on_both_databases, relay};
use comptoir::delivery::{Choice, DeliveryError};
use comptoir::orders::{self, Actor, Change, CheckoutError, PaymentStatus, Status, StatusError};

/// A move to `to` made by the marketplace.
fn by_system(to: Status) -> Change {
    Change::new(to, Actor::System)
}

async fn statuses_move_forward_and_cancelling_gives_back(mut env: Env) {
    env.catalogue_mut()
        .town
        .delivery_points
        .iter_mut()
        .for_each(|p| p.capacity = 1);
    let order = checkout(
        &[(BAGUETTE, 4), (SCARF_RED, 2)],
        &[(BAKERY, relay(WEDNESDAY, MORNING)), (CLOTHES, Choice::Post)],
    );
    let placed = env.place(&order).await.expect("placed").order;
    let number = placed.number.as_str();
    assert_eq!(placed.payment_method, "on_delivery");
    assert_eq!(placed.payment_status, PaymentStatus::Due);
    assert_eq!(
        (env.stock(BAGUETTE).await, env.stock(SCARF_RED).await),
        (36, 1)
    );
    let full = env
        .place(&checkout(
            &[(BAGUETTE, 1)],
            &[(BAKERY, relay(WEDNESDAY, MORNING))],
        ))
        .await;
    assert!(matches!(
        full,
        Err(CheckoutError::Delivery {
            error: DeliveryError::Full { .. },
            ..
        })
    ));

    let refused = orders::set_status(&env.db, number, CLOTHES, &by_system(Status::Shipped))
        .await
        .expect_err("not accepted yet");
    assert!(
        matches!(
            refused,
            StatusError::Refused {
                from: Status::Placed,
                to: Status::Shipped,
                ..
            }
        ),
        "{refused}"
    );
    assert!(
        refused
            .french_message()
            .contains("« Commande reçue » ne peut pas passer à « Expédiée »")
    );
    let wrong_way =
        orders::set_status(&env.db, number, BAKERY, &by_system(Status::OutForDelivery)).await;
    orders::set_status(&env.db, number, BAKERY, &by_system(Status::Accepted))
        .await
        .expect("accepted");
    assert!(matches!(wrong_way, Err(StatusError::Refused { .. })));
    assert!(
        matches!(
            orders::set_status(&env.db, number, BAKERY, &by_system(Status::Shipped)).await,
            Err(StatusError::Refused { .. })
        ),
        "a relay order is not shipped"
    );
    assert!(matches!(
        orders::set_status(
            &env.db,
            "SC-2026-999999",
            BAKERY,
            &by_system(Status::Accepted)
        )
        .await,
        Err(StatusError::NotFound { .. })
    ));

    orders::set_status(&env.db, number, BAKERY, &by_system(Status::Cancelled))
        .await
        .expect("cancelled");
    assert_eq!(env.stock(BAGUETTE).await, 40, "stock given back");
    env.place(&checkout(
        &[(BAGUETTE, 1)],
        &[(BAKERY, relay(WEDNESDAY, MORNING))],
    ))
    .await
    .expect("the slot is free again");
    assert!(
        matches!(
            orders::set_status(&env.db, number, BAKERY, &by_system(Status::Accepted)).await,
            Err(StatusError::Refused {
                from: Status::Cancelled,
                ..
            })
        ),
        "cancelled is final"
    );

    for status in [Status::Accepted, Status::Shipped, Status::Completed] {
        orders::set_status(&env.db, number, CLOTHES, &by_system(status))
            .await
            .expect("moved");
    }
    let order = orders::find(&env.db, number)
        .await
        .expect("read")
        .expect("found");
    let statuses: Vec<Status> = order.shops.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [Status::Cancelled, Status::Completed]);
    assert_eq!(
        order.payment_status,
        PaymentStatus::Paid,
        "paid on delivery once every part is over"
    );
    assert_eq!(env.stock(SCARF_RED).await, 1, "delivered goods stay sold");
}

async fn cancelling_a_whole_order(env: Env) {
    let order = checkout(
        &[(BAGUETTE, 2), (SCARF_RED, 1)],
        &[
            (BAKERY, Choice::ClickCollect),
            (CLOTHES, Choice::ClickCollect),
        ],
    );
    let number = env.place(&order).await.expect("placed").order.number;
    orders::set_status(&env.db, &number, CLOTHES, &by_system(Status::Accepted))
        .await
        .expect("accepted");
    assert_eq!(
        orders::cancel_order(&env.db, &number)
            .await
            .expect("cancelled"),
        2
    );
    let order = orders::find(&env.db, &number)
        .await
        .expect("read")
        .expect("found");
    assert!(order.shops.iter().all(|s| s.status == Status::Cancelled));
    assert_eq!(order.payment_status, PaymentStatus::Cancelled);
    let history = orders::history(&env.db, &number, BAKERY)
        .await
        .expect("read");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].to, &history[0].by),
        (Status::Cancelled, &Actor::Shopper)
    );
    assert_eq!(
        (env.stock(BAGUETTE).await, env.stock(SCARF_RED).await),
        (40, 3)
    );
    assert_eq!(
        orders::cancel_order(&env.db, &number)
            .await
            .expect("nothing left"),
        0
    );
}

async fn the_tracking_token_finds_the_order(env: Env) {
    let placed = env
        .place(&checkout(
            &[(BAGUETTE, 1)],
            &[(BAKERY, Choice::ClickCollect)],
        ))
        .await
        .expect("placed");
    let token = &placed.order.tracking_token;
    assert_eq!(token.len(), 32, "128 random bits");
    let tracked = orders::find_by_token(&env.db, token)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(tracked, placed.order);
    assert_eq!(
        orders::find_by_token(&env.db, &"0".repeat(32))
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        orders::find_by_token(&env.db, &placed.order.number)
            .await
            .expect("read"),
        None,
        "the number is not the token"
    );
}

/// Anne, a merchant of the bakery.
fn anne() -> Actor {
    Actor::Merchant {
        user_id: "u-anne".into(),
        email: "anne@boulangerie.fr".into(),
    }
}

async fn each_move_is_recorded_and_counted_in_the_figures(env: Env) {
    let minutes = |m: i64| jiff::SignedDuration::from_mins(m);
    let placed = now();
    let loaf = || checkout(&[(BAGUETTE, 1)], &[(BAKERY, Choice::ClickCollect)]);
    let first = env
        .place_at(&loaf(), placed)
        .await
        .expect("placed")
        .order
        .number;
    let second = env
        .place_at(&loaf(), placed + minutes(60))
        .await
        .expect("placed")
        .order
        .number;
    let moves = [
        (
            &first,
            Change::new(Status::Accepted, anne()).at(placed + minutes(30)),
        ),
        (
            &first,
            Change::new(Status::Ready, anne()).at(placed + minutes(120)),
        ),
        (
            &second,
            Change::new(Status::Accepted, anne()).at(placed + minutes(150)),
        ),
        (
            &second,
            Change::new(Status::Cancelled, anne())
                .reason("Four en panne")
                .at(placed + minutes(180)),
        ),
    ];
    for (number, change) in &moves {
        orders::set_status(&env.db, number, BAKERY, change)
            .await
            .expect("moved");
    }

    let history = orders::history(&env.db, &second, BAKERY)
        .await
        .expect("read");
    let seen: Vec<_> = history
        .iter()
        .map(|e| (e.from, e.to, e.by.french().to_owned(), e.reason.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                Status::Placed,
                Status::Accepted,
                "anne@boulangerie.fr".into(),
                None
            ),
            (
                Status::Accepted,
                Status::Cancelled,
                "anne@boulangerie.fr".into(),
                Some("Four en panne".into())
            ),
        ]
    );
    assert_eq!(history[1].at, placed + minutes(180));
    let order = orders::find(&env.db, &second)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        order.shops[0].cancel_reason.as_deref(),
        Some("Four en panne")
    );

    let later = placed + jiff::SignedDuration::from_hours(24);
    let figures = orders::figures(&env.db, BAKERY, 30, later)
        .await
        .expect("figures");
    assert_eq!(figures.orders, 2);
    assert_eq!(
        figures.to_accept,
        Some(minutes(60)),
        "median of 30 and 90 minutes"
    );
    assert_eq!(figures.to_ready, Some(minutes(120)));
    assert_eq!(figures.cancelled, 1);
    let much_later = placed + jiff::SignedDuration::from_hours(24 * 40);
    let old = orders::figures(&env.db, BAKERY, 30, much_later)
        .await
        .expect("figures");
    assert_eq!(old.orders, 0, "older orders are out of the window");
    assert_eq!(
        orders::figures(&env.db, BAKERY, 90, much_later)
            .await
            .expect("figures")
            .orders,
        2
    );
}

on_both_databases!(
    statuses_move_forward_and_cancelling_gives_back,
    cancelling_a_whole_order,
    each_move_is_recorded_and_counted_in_the_figures,
    the_tracking_token_finds_the_order
);
