//! The whole journey: a loaf, a cheese and a scarf from three shops, one cart, three ways
//! to receive them, one order split per shop, its pages and its e-mails.

use super::{
    BAGUETTE, BAKERY, BRIE, CHEESE, CLOTHES, SCARF, Shopper, count, encode, location,
    on_both_databases, outbox, radios, stock, value,
};
use crate::helpers::{TestApp, TestResponse, attr, texts};
use axum::http::StatusCode;
use comptoir::orders;
use comptoir_indexer::model::DeliveryMode;

on_both_databases!(a_shopper_orders_from_three_shops);

/// The checkout form's hidden fields, Marie's details with `email`, an address, and
/// `choices` (shop slug, radio value).
pub fn checkout_body(form: &TestResponse, email: &str, choices: &[(&str, String)]) -> String {
    let hidden = ["csrf", "key", "expected_items"]
        .map(|name| (name, value(form, &format!(r#"input[name="{name}"]"#))));
    let mut fields: Vec<(String, String)> = hidden
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    for (name, v) in [
        ("name", "Marie Dupont"),
        ("email", email),
        ("phone", "06 12 34 56 78"),
        ("street", "3 rue des Imbergères"),
        ("postcode", "92330"),
        ("city", "Sceaux"),
    ] {
        fields.push((name.to_owned(), v.to_owned()));
    }
    for (shop, choice) in choices {
        fields.push((format!("livraison-{shop}"), choice.clone()));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    encode(&pairs)
}

/// Relay (with a slot) for the bakery, click & collect for the cheese, post for the scarf.
pub fn three_modes(form: &TestResponse) -> Vec<(&'static str, String)> {
    let first = |shop, mode| {
        radios(form, shop, mode)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{shop} offers {mode}"))
    };
    vec![
        (BAKERY, first(BAKERY, "relay|")),
        (CHEESE, first(CHEESE, "click_collect|")),
        (CLOTHES, first(CLOTHES, "post|")),
    ]
}

async fn a_shopper_orders_from_three_shops(app: TestApp) {
    let mut marie = Shopper::new(&app);
    for (sku, quantity) in [(BAGUETTE, "2"), (BRIE, "1"), (SCARF, "1")] {
        let added = marie.add(sku, quantity).await;
        assert_eq!(location(&added), format!("/panier?ajoute={sku}"));
        assert!(added.header("set-cookie").contains("HttpOnly"));
    }

    let cart = marie.get(&format!("/panier?ajoute={SCARF}")).await;
    check_cart(&cart);

    let form = marie.get("/commande").await;
    assert_eq!(form.status, StatusCode::OK);
    let choices = three_modes(&form);
    let bad = marie
        .post_with(
            "/commande",
            &checkout_body(&form, "marie-at-exemple.fr", &choices),
            &[],
        )
        .await;
    check_refilled_with_the_email_error(&bad, &choices);
    assert_eq!(count(&app, "orders").await, 0);

    let placed = marie
        .post_with(
            "/commande",
            &checkout_body(&bad, "marie@exemple.fr", &choices),
            &[],
        )
        .await;
    let confirmation_path = location(&placed);
    assert!(confirmation_path.starts_with("/commande/confirmation/"));
    let confirmation = marie.get(&confirmation_path).await;
    let (number, tracking_path) = check_confirmation(&confirmation);
    let tracking = marie.get(&tracking_path).await;
    check_tracking(&tracking);

    let token = tracking_path.trim_start_matches("/commande/suivi/");
    let db = app.state.db().await.expect("database");
    let order = orders::find_by_token(db, token)
        .await
        .expect("read")
        .expect("the order");
    assert_eq!(order.number, number);
    let modes: Vec<(&str, DeliveryMode, bool)> = order
        .shops
        .iter()
        .map(|s| (s.shop.as_str(), s.mode, s.slot.is_some()))
        .collect();
    assert_eq!(
        modes,
        [
            (BAKERY, DeliveryMode::Relay, true),
            (CLOTHES, DeliveryMode::Post, false),
            (CHEESE, DeliveryMode::ClickCollect, false)
        ]
    );
    assert_eq!(
        (count(&app, "orders").await, count(&app, "sub_orders").await),
        (1, 3)
    );
    assert_eq!(
        (
            stock(&app, BAGUETTE).await,
            stock(&app, BRIE).await,
            stock(&app, SCARF).await
        ),
        (38, 7, 2),
        "stock taken"
    );
    let emptied = marie.get("/panier").await;
    assert!(emptied.text().contains("Votre panier est vide."));

    // The shopper and the one shop with an e-mail address (the bakery).
    let mails = outbox(&app, 2).await;
    assert_eq!(mails.len(), 2);
    let to = |address: &str| {
        mails.iter().any(|m| {
            m.lines()
                .any(|l| l.starts_with("To: ") && l.contains(address))
        })
    };
    assert!(to("marie@exemple.fr") && to("bonjour@boulangerie-du-parc.example"));
    assert!(
        mails.iter().any(|m| m.contains(&number)),
        "the number is in the e-mails"
    );
}

/// Three shops with their subtotals (sale prices), the addition confirmed, fees of the
/// modes, the total and the way to checkout; private and not indexed.
fn check_cart(cart: &TestResponse) {
    assert_eq!(cart.status, StatusCode::OK);
    let html = cart.html();
    assert_eq!(
        texts(&html, ".basket h2"),
        [
            "Boulangerie du Parc",
            "Boutique Marguerite",
            "Fromagerie des Écoles"
        ]
    );
    assert_eq!(
        texts(&html, ".subtotal strong"),
        ["2,20 €", "29,00 €", "4,80 €"],
        "sale prices, by shop"
    );
    assert_eq!(
        texts(&html, ".confirm"),
        ["« Écharpe en laine d'agneau » est dans votre panier."]
    );
    assert!(
        texts(&html, ".line .unit del").concat().contains("39,00"),
        "the scarf's regular price is struck through"
    );
    assert!(texts(&html, ".modes li").contains(&"Point relais : 0,90 €".to_owned()));
    assert_eq!(texts(&html, ".total strong"), ["36,00 €"]);
    assert_eq!(
        attr(&html, "a.button", "href").as_deref(),
        Some("/commande")
    );
    assert_eq!(
        attr(&html, r#"meta[name="robots"]"#, "content").as_deref(),
        Some("noindex,follow")
    );
    assert_eq!(cart.header("cache-control"), "no-store");
}

/// 422, the message beside the e-mail field, the summary, every field and choice refilled.
fn check_refilled_with_the_email_error(bad: &TestResponse, choices: &[(&str, String)]) {
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(
        attr(&html, "#email", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&html, "#email", "aria-describedby").as_deref(),
        Some("email-erreur")
    );
    assert!(texts(&html, "#email-erreur")[0].contains("adresse e-mail valide"));
    assert_eq!(texts(&html, r#".error-summary[role="alert"] li"#).len(), 1);
    assert_eq!(value(bad, "#name"), "Marie Dupont", "refilled");
    assert_eq!(value(bad, "#email"), "marie-at-exemple.fr", "refilled");
    assert_eq!(attr(&html, "#name", "aria-invalid"), None);
    for (shop, choice) in choices {
        let checked = format!(r#"input[name="livraison-{shop}"][checked]"#);
        assert_eq!(
            attr(&html, &checked, "value").as_ref(),
            Some(choice),
            "{shop}"
        );
    }
}

/// The order number, payment on delivery, not indexed, no referrer; returns the number and
/// the tracking link.
fn check_confirmation(confirmation: &TestResponse) -> (String, String) {
    assert_eq!(confirmation.status, StatusCode::OK);
    let html = confirmation.html();
    let number = texts(&html, ".order-number").concat();
    assert!(
        number.starts_with("SC-") && number.len() == "SC-2026-000001".len(),
        "{number}"
    );
    assert!(
        texts(&html, ".payment")
            .concat()
            .contains("À régler au retrait ou à la livraison")
    );
    assert_eq!(
        attr(&html, r#"meta[name="robots"]"#, "content").as_deref(),
        Some("noindex,follow")
    );
    assert_eq!(confirmation.header("referrer-policy"), "no-referrer");
    let tracking = attr(&html, r#"a[href^="/commande/suivi/"]"#, "href").expect("tracking link");
    (number, tracking)
}

/// Each shop's status, the relay point, the total with the fees.
fn check_tracking(tracking: &TestResponse) {
    assert_eq!(tracking.status, StatusCode::OK);
    let html = tracking.html();
    assert_eq!(
        texts(&html, ".sub-order .status"),
        ["Statut : Commande reçue"; 3]
    );
    assert!(
        texts(&html, ".sub-order .delivery")
            .concat()
            .contains("Point relais : Relais des Blagis")
    );
    assert_eq!(
        texts(&html, ".total strong"),
        ["42,80 €"],
        "36,00 € + relay 0,90 € + post 5,90 €"
    );
}

#[tokio::test]
async fn product_pages_offer_the_add_to_cart_form() {
    let app = TestApp::new();
    let page = app.get("/boutiques/boutique-marguerite/pull-marin/").await;
    let html = page.html();
    assert_eq!(
        attr(&html, "form.add-to-cart", "action").as_deref(),
        Some("/panier/ajouter")
    );
    assert_eq!(
        attr(&html, "form.add-to-cart", "method").as_deref(),
        Some("post")
    );
    assert_eq!(texts(&html, r#"label[for="sku"]"#), ["Coloris et taille"]);
    assert_eq!(
        texts(&html, "#sku option"),
        [
            "bleu marine, taille S — 79,00 €",
            "bleu marine, taille M — 79,00 € — épuisé",
            "écru, taille M — 85,00 €"
        ]
    );
    assert_eq!(
        attr(&html, "#sku option[disabled]", "value").as_deref(),
        Some("PULL-MARINE-M")
    );
    assert_eq!(texts(&html, r#"label[for="quantity"]"#), ["Quantité"]);
    assert_eq!(
        texts(&html, "form.add-to-cart button"),
        ["Ajouter au panier"]
    );
    assert_eq!(
        attr(&html, "header a.cart-link", "href").as_deref(),
        Some("/panier")
    );

    let single = app
        .get("/boutiques/boulangerie-du-parc/baguette-tradition/")
        .await
        .html();
    assert_eq!(
        attr(&single, r#"form.add-to-cart input[name="sku"]"#, "value").as_deref(),
        Some(BAGUETTE)
    );
}
