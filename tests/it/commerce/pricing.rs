//! Prices come from the catalogue on the day (sales by date, a variant's own price), lines
//! that cannot be ordered are shown as such, and delivery fees add up per shop.

use super::{
    BAGUETTE, BAKERY, BRIE, CHEESE, CLOTHES, Env, MORNING, SCARF_RED, SWEATER_ECRU, TODAY,
    WEDNESDAY,
};
use super::{checkout, home, locker, on_both_databases, relay};
use comptoir::cart::CartLine;
use comptoir::delivery::Choice;
use comptoir::pricing::{self, Availability};
use comptoir::stock;
use comptoir_indexer::Money;
use jiff::civil::date;

fn lines(items: &[(&str, u32)]) -> Vec<CartLine> {
    items
        .iter()
        .map(|(sku, quantity)| CartLine {
            sku: (*sku).to_owned(),
            quantity: *quantity,
        })
        .collect()
}

fn euros(cents: i64) -> Money {
    Money::from_cents(cents)
}

async fn totals_with_sale_prices_and_fees(env: Env) {
    let (db, catalogue) = (&env.db, env.catalogue.as_ref());
    let cart = lines(&[(BAGUETTE, 3), (SCARF_RED, 1), (SWEATER_ECRU, 1), (BRIE, 2)]);

    let priced = pricing::price_with_stock(db, catalogue, &cart, TODAY)
        .await
        .expect("priced");
    assert!(priced.is_orderable());
    let bakery = &priced.shops[0];
    assert_eq!(
        (bakery.lines[0].unit_price, bakery.lines[0].regular_price),
        (euros(110), euros(130)),
        "on sale"
    );
    assert_eq!(bakery.subtotal, euros(330));
    let clothes = priced
        .shops
        .iter()
        .find(|b| catalogue.shops[b.shop].slug == CLOTHES)
        .expect("clothes");
    let prices: Vec<Money> = clothes.lines.iter().map(|l| l.unit_price).collect();
    assert_eq!(
        prices,
        [euros(2900), euros(8500)],
        "the sale does not apply to a variant's own price"
    );
    assert_eq!(clothes.lines[1].variant.as_deref(), Some("écru, taille M"));
    assert_eq!(clothes.subtotal, euros(11_400));
    assert_eq!(clothes.weight_grams, 180 + 600);
    assert_eq!(priced.items_total, euros(330 + 11_400 + 960));

    let before_the_sale = pricing::price_with_stock(db, catalogue, &cart, date(2025, 12, 31))
        .await
        .expect("priced");
    assert_eq!(
        before_the_sale.items_total,
        euros(390 + 3900 + 8500 + 960),
        "regular prices before the sale"
    );

    // Fees: locker 1,90 €; home free from 60 € (114 € of clothes); relay 0,90 €.
    let order = checkout(
        &[(BAGUETTE, 3), (SCARF_RED, 1), (SWEATER_ECRU, 1), (BRIE, 2)],
        &[
            (BAKERY, locker(TODAY)),
            (CLOTHES, home(WEDNESDAY, MORNING)),
            (CHEESE, relay(TODAY, MORNING)),
        ],
    );
    let placed = env.place(&order).await.expect("placed").order;
    let fees: Vec<(String, Money)> = placed
        .shops
        .iter()
        .map(|s| (s.shop.clone(), s.fee))
        .collect();
    assert_eq!(
        fees,
        [
            (BAKERY.to_owned(), euros(190)),
            (CLOTHES.to_owned(), euros(0)),
            (CHEESE.to_owned(), euros(90))
        ]
    );
    assert_eq!(
        (placed.items_total, placed.fees_total, placed.total),
        (euros(12_690), euros(280), euros(12_970))
    );
    let scarf = &placed.shop(CLOTHES).expect("clothes").lines[0];
    assert_eq!(
        (scarf.unit_price, scarf.total, scarf.variant.as_deref()),
        (euros(2900), euros(2900), Some("rouge"))
    );
}

async fn home_delivery_is_charged_below_its_threshold_and_post_by_weight(env: Env) {
    let small = checkout(&[(SCARF_RED, 1)], &[(CLOTHES, home(WEDNESDAY, MORNING))]);
    let placed = env.place(&small).await.expect("placed").order;
    assert_eq!(
        (placed.fees_total, placed.total),
        (euros(490), euros(2900 + 490)),
        "29 € is below 60 €"
    );

    let light = checkout(&[(SCARF_RED, 1)], &[(CLOTHES, Choice::Post)]);
    assert_eq!(
        env.place(&light).await.expect("placed").order.fees_total,
        euros(590),
        "180 g: first band"
    );
    let heavier = checkout(
        &[(SCARF_RED, 1), (SWEATER_ECRU, 1)],
        &[(CLOTHES, Choice::Post)],
    );
    assert_eq!(
        env.place(&heavier).await.expect("placed").order.fees_total,
        euros(890),
        "780 g: second band"
    );
}

async fn lines_that_cannot_be_ordered_are_shown_not_dropped(env: Env) {
    let (db, catalogue) = (&env.db, env.catalogue.as_ref());
    stock::set(db, BRIE, 1).await.expect("stock set");
    let cart = lines(&[
        (BAGUETTE, 1),
        ("parc-croissant", 2),
        ("parc-flan", 1),
        (BRIE, 2),
        ("GONE", 1),
    ]);
    let priced = pricing::price_with_stock(db, catalogue, &cart, TODAY)
        .await
        .expect("priced");
    assert!(!priced.is_orderable());
    let availability: Vec<(&str, Availability)> = priced
        .shops
        .iter()
        .flat_map(|b| &b.lines)
        .map(|l| (l.sku.as_str(), l.availability))
        .collect();
    assert_eq!(
        availability,
        [
            (BAGUETTE, Availability::Available),
            ("parc-croissant", Availability::Short { left: 0 }),
            ("parc-flan", Availability::Withdrawn),
            (BRIE, Availability::Short { left: 1 }),
        ]
    );
    assert_eq!(priced.unknown, lines(&[("GONE", 1)]));
    assert_eq!(
        priced.items_total,
        euros(110),
        "only what can be ordered counts"
    );
}

on_both_databases!(
    totals_with_sale_prices_and_fees,
    home_delivery_is_charged_below_its_threshold_and_post_by_weight,
    lines_that_cannot_be_ordered_are_shown_not_dropped
);
