//! Sub-order statuses: the allowed moves, cancelling (stock and slot given back), payment
//! on delivery, and the tracking token.

use super::{BAGUETTE, BAKERY, CLOTHES, Env, MORNING, SCARF_RED, WEDNESDAY};
use super::{checkout, on_both_databases, relay};
use comptoir::delivery::{Choice, DeliveryError};
use comptoir::orders::{self, CheckoutError, PaymentStatus, Status, StatusError};

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

    let refused = orders::set_status(&env.db, number, CLOTHES, Status::Shipped)
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
    let wrong_way = orders::set_status(&env.db, number, BAKERY, Status::OutForDelivery).await;
    orders::set_status(&env.db, number, BAKERY, Status::Accepted)
        .await
        .expect("accepted");
    assert!(matches!(wrong_way, Err(StatusError::Refused { .. })));
    assert!(
        matches!(
            orders::set_status(&env.db, number, BAKERY, Status::Shipped).await,
            Err(StatusError::Refused { .. })
        ),
        "a relay order is not shipped"
    );
    assert!(matches!(
        orders::set_status(&env.db, "SC-2026-999999", BAKERY, Status::Accepted).await,
        Err(StatusError::NotFound { .. })
    ));

    orders::set_status(&env.db, number, BAKERY, Status::Cancelled)
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
            orders::set_status(&env.db, number, BAKERY, Status::Accepted).await,
            Err(StatusError::Refused {
                from: Status::Cancelled,
                ..
            })
        ),
        "cancelled is final"
    );

    for status in [Status::Accepted, Status::Shipped, Status::Completed] {
        orders::set_status(&env.db, number, CLOTHES, status)
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
    orders::set_status(&env.db, &number, CLOTHES, Status::Accepted)
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

on_both_databases!(
    statuses_move_forward_and_cancelling_gives_back,
    cancelling_a_whole_order,
    the_tracking_token_finds_the_order
);
