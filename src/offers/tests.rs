//! Offers to the exact cent: the rules, their combination and the shops' shares.

use super::*;
use jiff::civil::date;

const TODAY: Date = date(2026, 11, 29);

fn line(shop: usize, aisles: &[&str], cents: i64, quantity: u32) -> Line {
    Line {
        shop,
        aisles: aisles.iter().map(|a| (*a).to_owned()).collect(),
        unit_price: Money::from_cents(cents),
        quantity,
    }
}

fn offer(id: &str, kind: OfferKind) -> Offer {
    Offer {
        id: id.into(),
        name: id.into(),
        starts: None,
        ends: None,
        kind,
    }
}

fn two_shops(percent: u32) -> Offer {
    offer(
        "deux-boutiques",
        OfferKind::MultiShop {
            min_shops: 2,
            percent,
            min_basket: None,
        },
    )
}

fn apero(reduction: Reduction) -> Offer {
    offer(
        "apero",
        OfferKind::Bundle {
            aisles: vec!["cave".into(), "fromagerie".into(), "boulangerie".into()],
            reduction,
        },
    )
}

fn code(code: &str, reduction: Reduction, max_uses: Option<u32>) -> Offer {
    offer(
        "code",
        OfferKind::Code {
            code: code.into(),
            reduction,
            min_basket: Some(Money::from_cents(2000)),
            max_uses,
        },
    )
}

fn name(slug: &str) -> String {
    slug.to_uppercase()
}

fn run(lines: &[Line], offers: &[Offer], typed: Option<CodeInput<'_>>) -> Discounts {
    let cx = Context {
        today: TODAY,
        code: typed,
        aisle_name: &name,
    };
    discounts(lines, offers, &cx)
}

fn shares(d: &Discounts) -> Vec<i64> {
    d.by_shop.iter().map(|(_, m)| m.cents()).collect()
}

#[test]
fn largest_remainder_splits_to_the_cent() {
    for (total, weights, expected) in [
        (100, vec![1, 1, 1], vec![34, 33, 33]),
        (1, vec![5, 5], vec![1, 0]),
        (561, vec![1235, 480, 3900], vec![123, 48, 390]),
        (7, vec![1, 2, 4], vec![1, 2, 4]),
        (0, vec![3, 4], vec![0, 0]),
        (10, vec![0, 0], vec![0, 0]),
        (200, vec![333, 333, 334], vec![67, 66, 67]),
    ] {
        let keyed: Vec<(usize, i64)> = weights.iter().copied().enumerate().collect();
        let got: Vec<i64> = allocate(total, &keyed)
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        assert_eq!(got, expected, "{total} over {weights:?}");
        if weights.iter().sum::<i64>() > 0 {
            assert_eq!(got.iter().sum::<i64>(), total);
        }
    }
}

#[test]
fn ten_percent_over_three_shops_sums_exactly() {
    let lines = [
        line(0, &["boulangerie"], 1235, 1),
        line(4, &["fromagerie"], 480, 1),
        line(7, &["mode"], 1300, 3),
    ];
    let d = run(&lines, &[two_shops(10)], None);
    // 56,15 € × 10 % = 5,615 € → 5,61 € (rounded down).
    assert_eq!(d.total, Money::from_cents(561));
    assert_eq!(shares(&d), [123, 48, 390]);
    assert_eq!(
        d.applied[0].why,
        "−10 % : vos achats viennent de 3 boutiques"
    );
}

#[test]
fn one_shop_gets_no_multi_shop_discount() {
    let lines = [
        line(0, &["boulangerie"], 130, 2),
        line(0, &["patisserie"], 350, 1),
    ];
    let d = run(&lines, &[two_shops(10)], None);
    assert_eq!((d.total, d.applied.len()), (Money::default(), 0));
}

#[test]
fn a_minimum_basket_is_checked_on_the_items_total() {
    let mut offer = two_shops(10);
    offer.kind = OfferKind::MultiShop {
        min_shops: 2,
        percent: 10,
        min_basket: Some(Money::from_cents(2000)),
    };
    let below = [line(0, &["a"], 999, 1), line(1, &["b"], 1000, 1)];
    assert_eq!(
        run(&below, std::slice::from_ref(&offer), None)
            .total
            .cents(),
        0
    );
    let at = [line(0, &["a"], 1000, 1), line(1, &["b"], 1000, 1)];
    assert_eq!(run(&at, &[offer], None).total.cents(), 200);
}

#[test]
fn a_bundle_takes_the_cheapest_item_of_each_aisle_once() {
    let lines = [
        line(2, &["vins-rouges", "cave"], 1450, 2),
        line(2, &["vins-blancs", "cave"], 990, 1),
        line(5, &["fromagerie"], 690, 1),
        line(0, &["boulangerie"], 130, 3),
    ];
    let d = run(
        &lines,
        &[apero(Reduction::Amount(Money::from_cents(300)))],
        None,
    );
    assert_eq!(d.total, Money::from_cents(300));
    // Items 9,90 + 6,90 + 1,30 = 18,10 €: 300 × 990/1810, 690/1810, 130/1810.
    assert_eq!(
        d.by_shop,
        vec![
            (0, Money::from_cents(22)),
            (2, Money::from_cents(164)),
            (5, Money::from_cents(114)),
        ]
    );
    assert_eq!(
        d.applied[0].why,
        "apero : −3,00\u{a0}€ pour un article de chaque rayon (CAVE, FROMAGERIE, BOULANGERIE)"
    );
    let percent = run(&lines, &[apero(Reduction::Percent(15))], None);
    assert_eq!(
        percent.total,
        Money::from_cents(271),
        "15 % of 18,10 € = 2,715 €"
    );
    let missing = run(&lines[..3], &[apero(Reduction::Percent(15))], None);
    assert_eq!(missing.total, Money::default(), "no bread, no bundle");
}

#[test]
fn the_best_automatic_offer_applies_and_a_code_adds_to_it() {
    let lines = [
        line(2, &["cave"], 1990, 1),
        line(5, &["fromagerie"], 690, 1),
        line(0, &["boulangerie"], 130, 1),
    ];
    let offers = [
        two_shops(10),
        apero(Reduction::Amount(Money::from_cents(300))),
        code("NOEL", Reduction::Amount(Money::from_cents(500)), Some(3)),
    ];
    let alone = run(&lines, &offers, None);
    assert_eq!(alone.applied.len(), 1);
    assert_eq!(
        (alone.applied[0].offer.as_str(), alone.total.cents()),
        ("apero", 300)
    );
    let typed = CodeInput {
        code: " noel ",
        uses: 2,
    };
    let both = run(&lines, &offers, Some(typed));
    assert_eq!(both.total.cents(), 800);
    assert_eq!(both.code.as_deref(), Some("NOEL"));
    assert_eq!(
        both.by_shop.iter().map(|(_, m)| m.cents()).sum::<i64>(),
        800
    );
    assert_eq!(both.applied[1].why, "code : −5,00\u{a0}€ avec le code NOEL");
}

#[test]
fn discounts_never_exceed_the_items() {
    let lines = [line(0, &["a"], 1200, 1), line(1, &["b"], 900, 1)];
    let offers = [
        two_shops(50),
        code("TOUT", Reduction::Amount(Money::from_cents(5000)), None),
    ];
    let d = run(
        &lines,
        &offers,
        Some(CodeInput {
            code: "TOUT",
            uses: 0,
        }),
    );
    assert_eq!(d.total.cents(), 2100);
    assert_eq!(shares(&d), [1200, 900]);
}

#[test]
fn a_code_is_refused_with_the_reason() {
    let lines = [line(0, &["a"], 1500, 1), line(1, &["b"], 900, 1)];
    let mut dated = code("ETE", Reduction::Percent(10), Some(2));
    let refused = |offers: &[Offer], typed: &str, uses| {
        run(&lines, offers, Some(CodeInput { code: typed, uses })).code_error
    };
    assert_eq!(
        refused(std::slice::from_ref(&dated), "HIVER", 0),
        Some(CodeError::Unknown("HIVER".into()))
    );
    assert_eq!(
        refused(std::slice::from_ref(&dated), "ete", 2),
        Some(CodeError::Exhausted("ETE".into()))
    );
    assert_eq!(refused(std::slice::from_ref(&dated), "ete", 1), None);
    dated.ends = Some(date(2026, 11, 28));
    assert_eq!(
        refused(std::slice::from_ref(&dated), "ETE", 0),
        Some(CodeError::Expired("ETE".into()))
    );
    dated.ends = None;
    dated.starts = Some(date(2026, 12, 1));
    let not_yet = refused(std::slice::from_ref(&dated), "ETE", 0).expect("refused");
    assert_eq!(
        not_yet.french_message(),
        "Le code « ETE » n’est valable qu’à partir du 01/12/2026 : revenez ce jour-là ou retirez-le."
    );
    dated.starts = None;
    let small = [line(0, &["a"], 1999, 1)];
    let d = run(
        &small,
        &[dated],
        Some(CodeInput {
            code: "ETE",
            uses: 0,
        }),
    );
    assert_eq!(
        d.code_error,
        Some(CodeError::BelowMinimum {
            code: "ETE".into(),
            min: Money::from_cents(2000)
        })
    );
    assert_eq!(d.total, Money::default());
}

#[test]
fn offers_outside_their_dates_do_not_apply() {
    let lines = [line(0, &["a"], 1000, 1), line(1, &["b"], 1000, 1)];
    let mut ended = two_shops(10);
    ended.ends = Some(date(2026, 11, 28));
    let mut upcoming = two_shops(20);
    upcoming.starts = Some(date(2026, 11, 30));
    assert_eq!(
        run(&lines, &[ended, upcoming], None).total,
        Money::default()
    );
}
