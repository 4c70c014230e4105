//! What an abuser (or an unlucky shopper) tries: forms without their token, posts from
//! another site, tampered prices, bad quantities, huge bodies, double submissions,
//! guessed tracking links, forged cookies, a product sold out meanwhile.

use super::journey::{checkout_body, three_modes};
use super::{
    BAGUETTE, BRIE, CHEESE, COMTE, SCARF, SITE, Shopper, count, location, on_both_databases,
    radios, stock, value,
};
use crate::helpers::{TestApp, texts};
use axum::http::StatusCode;
use comptoir::cart::CartId;

on_both_databases!(
    forms_without_their_token_change_nothing,
    other_sites_cannot_add_to_the_cart,
    bad_quantities_and_unknown_items_add_nothing,
    prices_sent_by_the_browser_are_ignored,
    oversized_bodies_get_413,
    one_idempotency_key_makes_one_order,
    tracking_needs_the_exact_token,
    a_forged_cookie_is_a_new_empty_cart,
    a_product_sold_out_meanwhile_is_marked_and_not_ordered,
);

/// The quantities shown in the cart, by SKU order of the page.
async fn quantities(shopper: &mut Shopper<'_>) -> Vec<String> {
    let page = shopper.get("/panier").await;
    let selector = scraper::Selector::parse(r#"input[name="quantity"]"#).expect("selector");
    page.html()
        .select(&selector)
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect()
}

async fn forms_without_their_token_change_nothing(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "1").await);
    let page = marie.get("/panier").await;
    let token = value(&page, r#"input[name="csrf"]"#);
    let other_cart = {
        let mut paul = Shopper::new(&app);
        location(&paul.add(COMTE, "1").await);
        value(&paul.get("/panier").await, r#"input[name="csrf"]"#)
    };
    for csrf in [None, Some("0".repeat(64)), Some(other_cart.clone())] {
        let mut fields = vec![("sku", BRIE), ("quantity", "5")];
        if let Some(csrf) = &csrf {
            fields.push(("csrf", csrf));
        }
        let changed = marie.post("/panier/quantite", &fields).await;
        assert_eq!(changed.status, StatusCode::FORBIDDEN, "{csrf:?}");
        assert!(changed.text().contains("Ce formulaire a expiré"));
        let removed = marie.post("/panier/retirer", &fields).await;
        assert_eq!(removed.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(quantities(&mut marie).await, ["1"], "nothing changed");

    let form = marie.get("/commande").await;
    let body = checkout_body(
        &form,
        "marie@exemple.fr",
        &[(CHEESE, radios(&form, CHEESE, "click_collect|")[0].clone())],
    );
    let forged = body.replace(&token, &other_cart);
    assert_eq!(
        marie.post_with("/commande", &forged, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(&app, "orders").await, 0);

    // The genuine token works.
    let set = marie
        .post(
            "/panier/quantite",
            &[("sku", BRIE), ("quantity", "2"), ("csrf", &token)],
        )
        .await;
    assert_eq!(location(&set), "/panier");
    assert_eq!(quantities(&mut marie).await, ["2"]);
}

async fn other_sites_cannot_add_to_the_cart(app: TestApp) {
    let mut marie = Shopper::new(&app);
    let body = super::encode(&[("sku", BRIE), ("quantity", "1")]);
    for headers in [
        &[
            ("origin", "https://evil.example"),
            ("host", "www.exemple-ville.fr"),
        ][..],
        &[("origin", "null")],
        &[("referer", "https://evil.example/page")],
        &[],
    ] {
        let refused = marie.post_with("/panier/ajouter", &body, headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(refused.header("set-cookie"), "");
    }
    assert_eq!(count(&app, "cart_lines").await, 0);
    for headers in [
        &[("referer", "https://www.exemple-ville.fr/boutiques/")][..],
        &[
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080"),
        ],
        &[("origin", SITE)],
    ] {
        let added = marie.post_with("/panier/ajouter", &body, headers).await;
        assert_eq!(
            location(&added),
            format!("/panier?ajoute={BRIE}"),
            "{headers:?}"
        );
    }
    assert_eq!(quantities(&mut marie).await, ["3"]);
}

async fn bad_quantities_and_unknown_items_add_nothing(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(COMTE, "1").await);
    let cases = [
        (
            BRIE,
            "0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez une quantité entre 1 et 99.",
        ),
        (
            BRIE,
            "-1",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez une quantité entre 1 et 99.",
        ),
        (
            BRIE,
            "1000",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez une quantité entre 1 et 99.",
        ),
        (
            BRIE,
            "abc",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez une quantité entre 1 et 99.",
        ),
        (
            BRIE,
            "",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez une quantité entre 1 et 99.",
        ),
        (BRIE, "9", StatusCode::CONFLICT, "Il n’en reste que 8"),
        (
            "NO-SUCH-SKU",
            "1",
            StatusCode::NOT_FOUND,
            "Cet article n’est plus en vente.",
        ),
        (
            "PULL-MARINE-M",
            "1",
            StatusCode::CONFLICT,
            "Cet article est épuisé",
        ),
    ];
    for (sku, quantity, status, message) in cases {
        let refused = marie.add(sku, quantity).await;
        assert_eq!(refused.status, status, "{sku} × {quantity:?}");
        assert!(
            refused.text().contains(message),
            "{sku} × {quantity:?}: {}",
            refused.text()
        );
    }
    let token = value(&marie.get("/panier").await, r#"input[name="csrf"]"#);
    for quantity in ["-1", "100", "deux"] {
        let refused = marie
            .post(
                "/panier/quantite",
                &[("sku", COMTE), ("quantity", quantity), ("csrf", &token)],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{quantity}"
        );
        assert!(
            refused
                .text()
                .contains("Choisissez une quantité entre 1 et 99.")
        );
    }
    assert_eq!(quantities(&mut marie).await, ["1"], "only the comté, once");
    assert_eq!(count(&app, "cart_lines").await, 1);
}

async fn prices_sent_by_the_browser_are_ignored(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "2").await);
    let form = marie.get("/commande").await;
    let collect = radios(&form, CHEESE, "click_collect|")[0].clone();
    let honest = checkout_body(&form, "marie@exemple.fr", &[(CHEESE, collect.clone())]);

    // A lower total, or a lower fee, than the catalogue's: refused for review, not charged.
    let items = value(&form, r#"input[name="expected_items"]"#);
    let cheaper = honest.replace(&format!("expected_items={items}"), "expected_items=1");
    let refused = marie.post_with("/commande", &cheaper, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .contains("Le total de votre commande a changé (9,60")
    );
    let free_relay = radios(&form, CHEESE, "relay|")[0]
        .rsplit_once('|')
        .map(|(v, _)| format!("{v}|0"));
    let body = checkout_body(
        &form,
        "marie@exemple.fr",
        &[(CHEESE, free_relay.expect("relay"))],
    );
    assert_eq!(
        marie.post_with("/commande", &body, &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(count(&app, "orders").await, 0);

    // Price fields the form never had are ignored.
    let tampered = format!("{honest}&price=0.01&unit_price=1&total=0&items_total=0&fee=0");
    let placed = marie.post_with("/commande", &tampered, &[]).await;
    let token = location(&placed)
        .rsplit('/')
        .next()
        .map(str::to_owned)
        .expect("token");
    let db = app.state.db().await.expect("database");
    let order = comptoir::orders::find_by_token(db, &token)
        .await
        .expect("read")
        .expect("order");
    assert_eq!(order.total.cents(), 960, "2 × 4,80 € from the catalogue");
    assert_eq!(order.shops[0].lines[0].unit_price.cents(), 480);
}

async fn oversized_bodies_get_413(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "1").await);
    let huge = format!("sku={BRIE}&quantity=1&filler={}", "x".repeat(20 * 1024));
    for path in [
        "/panier/ajouter",
        "/panier/quantite",
        "/panier/retirer",
        "/commande",
    ] {
        let refused = marie.post_with(path, &huge, &[("origin", SITE)]).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
    }
    assert_eq!(quantities(&mut marie).await, ["1"]);
}

async fn one_idempotency_key_makes_one_order(app: TestApp) {
    let mut marie = Shopper::new(&app);
    for sku in [BAGUETTE, BRIE, SCARF] {
        location(&marie.add(sku, "1").await);
    }
    let form = marie.get("/commande").await;
    let body = checkout_body(&form, "marie@exemple.fr", &three_modes(&form));
    let first = location(&marie.post_with("/commande", &body, &[]).await);
    let again = location(&marie.post_with("/commande", &body, &[]).await);
    assert_eq!(first, again, "the same confirmation");
    assert_eq!(
        (count(&app, "orders").await, count(&app, "sub_orders").await),
        (1, 3)
    );
    assert_eq!(stock(&app, BRIE).await, 7, "taken once");
}

async fn tracking_needs_the_exact_token(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "1").await);
    let form = marie.get("/commande").await;
    let collect = radios(&form, CHEESE, "click_collect|")[0].clone();
    let placed = marie
        .post_with(
            "/commande",
            &checkout_body(&form, "marie@exemple.fr", &[(CHEESE, collect)]),
            &[],
        )
        .await;
    let token = location(&placed)
        .rsplit('/')
        .next()
        .map(str::to_owned)
        .expect("token");
    let stranger = Shopper::new(&app)
        .get(&format!("/commande/suivi/{token}"))
        .await;
    assert_eq!(stranger.status, StatusCode::OK, "the link alone is enough");
    let guessed = CartId::generate();
    for path in [
        format!("/commande/suivi/{guessed}"),
        format!("/commande/confirmation/{guessed}"),
        format!("/commande/suivi/{}", token.to_uppercase()),
        format!("/commande/suivi/{}", &token[..31]),
        "/commande/suivi/..%2F..%2Fetc%2Fpasswd".to_owned(),
        "/commande/suivi/".to_owned(),
    ] {
        let response = marie.get(&path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
}

async fn a_forged_cookie_is_a_new_empty_cart(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "1").await);
    let genuine = marie.cookie.clone().expect("a cookie");
    let (id, mac) = genuine
        .trim_start_matches("panier=")
        .split_once('.')
        .expect("id.mac");
    let flipped = if mac.starts_with('0') { "1" } else { "0" };
    let forged = format!("panier={id}.{flipped}{}", &mac[1..]);
    let mut mallory = Shopper::new(&app);
    mallory.cookie = Some(forged.clone());
    let page = mallory.get("/panier").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Votre panier est vide."));
    location(&mallory.add(COMTE, "1").await);
    let fresh = mallory.cookie.clone().expect("a new cookie");
    assert_ne!(fresh, forged);
    assert!(
        !fresh.contains(id),
        "a new cart, not the one named by the forged cookie"
    );
    assert_eq!(
        quantities(&mut marie).await,
        ["1"],
        "Marie's cart is untouched"
    );
}

async fn a_product_sold_out_meanwhile_is_marked_and_not_ordered(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(COMTE, "2").await);
    location(&marie.add(BRIE, "1").await);
    let form = marie.get("/commande").await;
    let collect = radios(&form, CHEESE, "click_collect|")[0].clone();
    let db = app.state.db().await.expect("database");
    comptoir::stock::set(db, COMTE, 0).await.expect("sold out");

    let cart = marie.get("/panier").await;
    {
        let html = cart.html();
        assert_eq!(
            texts(&html, ".line.unavailable .problem"),
            ["Épuisé : retirez-le de votre panier pour commander."]
        );
        assert!(crate::helpers::attr(&html, r#"a[href="/commande"]"#, "href").is_none());
    }
    assert_eq!(location(&marie.get("/commande").await), "/panier");

    let refused = marie
        .post_with(
            "/commande",
            &checkout_body(&form, "marie@exemple.fr", &[(CHEESE, collect)]),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&refused.html(), r#"[role="alert"]"#)
            .concat()
            .contains("« Comté 18 mois » (Fromagerie des Écoles) est épuisé : retirez-le de votre panier pour commander."),
        "{}",
        refused.text()
    );
    assert_eq!(count(&app, "orders").await, 0);
    assert_eq!((stock(&app, COMTE).await, stock(&app, BRIE).await), (0, 8));
}
