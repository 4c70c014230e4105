//! Cross-shop offers over HTTP: staff launch an offer in the console, a shopper sees it
//! in the cart and gets it at checkout, each shop's sub-order carrying its share to the
//! cent; promo codes refused outside their dates or past their uses; the console closed
//! to merchants and anonymous visitors.

use crate::admin::staff_account;
use crate::backoffice::{Browser, MerchantClient, PASSWORD};
use crate::helpers::{TestApp, TestResponse, attr, texts};
use crate::shopping::journey::checkout_body;
use crate::shopping::{
    BAGUETTE, BAKERY, CHEESE, COMTE, Shopper, count, location, on_both_databases, radios,
};
use axum::http::StatusCode;
use comptoir::orders::{self, Order};
use comptoir_indexer::Money;

const STAFF: &str = "equipe@association.fr";

on_both_databases!(
    staff_launch_a_two_shop_offer_that_a_shopper_gets,
    a_code_is_used_no_more_than_allowed
);

/// An amount as [`texts`] reads it (its spaces made plain).
fn euros(cents: i64) -> String {
    Money::from_cents(cents).to_french().replace('\u{a0}', " ")
}

/// Relay for the bakery, click & collect for the cheese shop.
fn two_modes(form: &TestResponse) -> Vec<(&'static str, String)> {
    let first = |shop, mode| {
        radios(form, shop, mode)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{shop} offers {mode}"))
    };
    vec![
        (BAKERY, first(BAKERY, "relay|")),
        (CHEESE, first(CHEESE, "click_collect|")),
    ]
}

/// Two baguettes on sale (2,20 €) and a comté (6,90 €): 9,10 € from two shops.
async fn fill_cart(shopper: &mut Shopper<'_>) {
    for (sku, quantity) in [(BAGUETTE, "2"), (COMTE, "1")] {
        location(&shopper.add(sku, quantity).await);
    }
}

/// Places the cart's order; the answer to the POST and the body sent.
async fn place(shopper: &mut Shopper<'_>, email: &str) -> (TestResponse, String) {
    let form = shopper.get("/commande").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    let body = checkout_body(&form, email, &two_modes(&form));
    (shopper.post_with("/commande", &body, &[]).await, body)
}

async fn order_of(app: &TestApp, confirmation: &str) -> Order {
    let token = confirmation.rsplit('/').next().expect("a token");
    let db = app.state.db().await.expect("database");
    orders::find_by_token(db, token)
        .await
        .expect("database")
        .expect("the order")
}

async fn staff_browser(app: &TestApp) -> Browser<'_> {
    staff_account(app, STAFF).await;
    let mut staff = Browser::new(app);
    staff.log_in(STAFF, PASSWORD).await;
    staff
}

async fn staff_launch_a_two_shop_offer_that_a_shopper_gets(app: TestApp) {
    let mut staff = staff_browser(&app).await;
    let csrf = staff.csrf_of("/admin/offres").await;
    let offer = [
        ("csrf", csrf.as_str()),
        ("kind", "multi_shop"),
        ("name", "Deux boutiques"),
        ("min_shops", "2"),
        ("percent", "15"),
    ];
    let refused = staff
        .post_raw("/admin/offres", &[("csrf", &csrf), ("kind", "multi_shop")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&refused.html(), ".field-error")
            .iter()
            .any(|t| t.starts_with("Donnez un nom à l’offre")),
        "{}",
        refused.text()
    );
    let created = staff.post_raw("/admin/offres", &offer).await;
    assert_eq!(
        location(&created),
        "/admin/offres?enregistree=prochaine-publication#offre-deux-boutiques"
    );
    app.build().expect("the offer is published");
    let listed = staff.get("/admin/offres").await;
    assert_eq!(
        texts(&listed.html(), "#offre-deux-boutiques .offer-rule"),
        ["−15 % sur le panier dès 2 boutiques"]
    );

    let mut marie = Shopper::new(&app);
    location(&marie.add(BAGUETTE, "2").await);
    let one_shop = marie.get("/panier").await;
    assert!(
        texts(&one_shop.html(), ".offer-hint")
            .iter()
            .any(|t| t.contains("Ajoutez un article d’une autre boutique")),
        "{}",
        one_shop.text()
    );
    location(&marie.add(COMTE, "1").await);
    let cart = marie.get("/panier").await;
    // 9,10 € × 15 % = 1,365 € → 1,36 €.
    assert_eq!(
        texts(&cart.html(), ".offers .applied li"),
        [format!(
            "−15 % : vos achats viennent de 2 boutiques : −{}",
            euros(136)
        )]
    );
    assert_eq!(
        texts(&cart.html(), ".cart-summary .total"),
        [format!("Total des articles : {}", euros(774))]
    );

    let (placed, _) = place(&mut marie, "marie@exemple.fr").await;
    let order = order_of(&app, &location(&placed)).await;
    assert_eq!(order.discount_total, Money::from_cents(136));
    // Pro rata 2,20 € and 6,90 €: 32,88 and 103,12 cents; the cent left to the bakery.
    let shares: Vec<(&str, i64)> = order
        .shops
        .iter()
        .map(|s| (s.shop.as_str(), s.discount.cents()))
        .collect();
    assert_eq!(shares, [(BAKERY, 33), (CHEESE, 103)]);
    assert_eq!(
        order.total.cents(),
        910 - 136 + order.fees_total.cents(),
        "the shopper pays the items less the discount, plus the fees"
    );
    let confirmation = marie.get(&location(&placed)).await;
    assert!(
        confirmation
            .text()
            .contains("−15 % : vos achats viennent de 2 boutiques"),
        "the order page says why"
    );
}

/// An offers file with a code usable once, one that ended and one not started.
fn write_codes(app: &TestApp) {
    let today = comptoir::config::today();
    let (yesterday, tomorrow) = (
        today.yesterday().expect("a day"),
        today.tomorrow().expect("a day"),
    );
    let text = format!(
        "[[offer]]\nid = \"une-fois\"\nname = \"Bienvenue\"\nkind = \"code\"\ncode = \"UNE-FOIS\"\namount = \"2.00\"\nmax_uses = 1\n\n\
         [[offer]]\nid = \"passe\"\nname = \"Passé\"\nkind = \"code\"\ncode = \"PASSE\"\npercent = 5\nends = {yesterday}\n\n\
         [[offer]]\nid = \"bientot\"\nname = \"Bientôt\"\nkind = \"code\"\ncode = \"BIENTOT\"\npercent = 5\nstarts = {tomorrow}\n"
    );
    std::fs::write(app.content.join("offers.toml"), text).expect("offers.toml");
    app.build().expect("the offers are published");
}

async fn type_code(shopper: &mut Shopper<'_>, code: &str) -> TestResponse {
    let cart = shopper.get("/panier").await;
    let csrf = attr(&cart.html(), "form.promo-code input[name=csrf]", "value").expect("csrf");
    shopper
        .post("/panier/code", &[("csrf", &csrf), ("code", code)])
        .await
}

async fn uses(app: &TestApp) -> i64 {
    let db = app.state.db().await.expect("database");
    let all = comptoir::offers::codes::all_uses(db).await.expect("uses");
    all.get("UNE-FOIS").copied().map_or(0, i64::from)
}

async fn a_code_is_used_no_more_than_allowed(app: TestApp) {
    write_codes(&app);
    let mut marie = Shopper::new(&app);
    fill_cart(&mut marie).await;
    for (typed, message) in [
        ("inconnu", "Le code « INCONNU » n’existe pas"),
        ("passe", "Le code « PASSE » a expiré"),
        (
            "bientot",
            "Le code « BIENTOT » n’est valable qu’à partir du",
        ),
    ] {
        let refused = type_code(&mut marie, typed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        let alert = texts(&refused.html(), "#code-erreur").join(" ");
        assert!(alert.starts_with(message), "{typed}: {alert}");
    }
    assert_eq!(
        location(&type_code(&mut marie, " une-fois ").await),
        "/panier#offres"
    );
    let cart = marie.get("/panier").await;
    assert_eq!(
        texts(&cart.html(), ".offers .applied li"),
        [format!(
            "Bienvenue : −{0} avec le code UNE-FOIS : −{0}",
            euros(200)
        )]
    );

    // Paul types the code too before Marie orders: only one order gets it.
    let mut paul = Shopper::new(&app);
    fill_cart(&mut paul).await;
    location(&type_code(&mut paul, "UNE-FOIS").await);

    let (placed, body) = place(&mut marie, "marie@exemple.fr").await;
    let confirmation = location(&placed);
    let again = marie.post_with("/commande", &body, &[]).await;
    assert_eq!(
        location(&again),
        confirmation,
        "the same order, not a second"
    );
    let order = order_of(&app, &confirmation).await;
    assert_eq!(order.discount_total, Money::from_cents(200));
    assert_eq!(order.promo_code.as_deref(), Some("UNE-FOIS"));
    let shares: i64 = order.shops.iter().map(|s| s.discount.cents()).sum();
    assert_eq!(shares, 200, "the shops' shares add up to the discount");
    assert_eq!(uses(&app).await, 1, "a form sent twice counts once");

    let (refused, _) = place(&mut paul, "paul@exemple.fr").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .contains("Le code « UNE-FOIS » a déjà été utilisé autant de fois que prévu"),
        "{}",
        refused.text()
    );
    assert_eq!((count(&app, "orders").await, uses(&app).await), (1, 1));
}

#[tokio::test]
async fn only_staff_reach_the_offers() {
    let app = TestApp::with_database(None);
    let mut anonymous = Browser::new(&app);
    for answer in [
        anonymous.get("/admin/offres").await,
        anonymous.post_raw("/admin/offres", &[("name", "x")]).await,
    ] {
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert!(
            answer
                .header("location")
                .starts_with("/espace-commercant/connexion")
        );
    }
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    assert_eq!(
        merchant.get("/admin/offres").await.status,
        StatusCode::NOT_FOUND
    );
    let posted = merchant
        .post("/admin/offres", &[("kind", "code"), ("name", "x")])
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let mut staff = staff_browser(&app).await;
    let forged = staff
        .post_raw("/admin/offres", &[("csrf", "faux"), ("name", "x")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!app.content.join("offers.toml").exists(), "nothing written");
}
