//! A slot that fills up while the shopper fills the form: shown full (disabled) on the next
//! form, and the stale form refused with the message beside the shop's choice.

use super::journey::checkout_body;
use super::{BRIE, CHEESE, COMTE, Shopper, count, location, on_both_databases, radios};
use crate::helpers::{TestApp, TestResponse, attr, texts};
use axum::http::StatusCode;
use comptoir::cart::{CartId, CartLine};
use comptoir::orders::{self, Checkout, Contact, OrderSettings};
use comptoir::shopping::checkout_form::parse_choice;
use comptoir_indexer::model::Address;
use std::collections::BTreeMap;

on_both_databases!(a_slot_filled_meanwhile_is_shown_full_and_refused);

/// The fixture's relay point takes 10 parcels per slot.
const RELAY_CAPACITY: usize = 10;

async fn a_slot_filled_meanwhile_is_shown_full_and_refused(app: TestApp) {
    let mut marie = Shopper::new(&app);
    location(&marie.add(BRIE, "1").await);
    let form = marie.get("/commande").await;
    let slot = radios(&form, CHEESE, "relay|")[0].clone();

    // Others take every place of that slot meanwhile.
    let (choice, _) = parse_choice(&slot).expect("one of ours");
    let live = app.state.live().expect("a build");
    let catalogue = live.catalogue.as_ref().expect("the snapshot");
    let db = app.state.db().await.expect("database");
    for n in 0..RELAY_CAPACITY {
        let other = Checkout {
            lines: vec![CartLine {
                sku: COMTE.into(),
                quantity: 1,
            }],
            contact: Contact {
                name: format!("Client {n}"),
                email: "client@exemple.fr".into(),
                phone: "06 00 00 00 00".into(),
            },
            address: None::<Address>,
            choices: BTreeMap::from([(CHEESE.to_owned(), choice.clone())]),
            idempotency_key: format!("other-{}", CartId::generate()),
            ..Checkout::default()
        };
        orders::place(
            db,
            catalogue,
            &other,
            &OrderSettings::default(),
            jiff::Timestamp::now(),
        )
        .await
        .expect("placed");
    }

    check_full(&marie.get("/commande").await, &slot);
    let stale = marie
        .post_with(
            "/commande",
            &checkout_body(&form, "marie@exemple.fr", &[(CHEESE, slot)]),
            &[],
        )
        .await;
    check_refused_beside_the_shop(&stale);
    assert_eq!(count(&app, "orders").await, 10, "only the others'");
}

fn check_full(form: &TestResponse, slot: &str) {
    let html = form.html();
    let radio = format!(r#"input[value="{slot}"]"#);
    assert_eq!(
        attr(&html, &radio, "disabled").as_deref(),
        Some(""),
        "shown, disabled"
    );
    let id = attr(&html, &radio, "id").expect("an id");
    assert!(texts(&html, &format!(r#"label[for="{id}"]"#))[0].ends_with("— complet"));
}

fn check_refused_beside_the_shop(stale: &TestResponse) {
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = stale.html();
    let fieldset = format!("#livraison-{CHEESE}");
    let error_id = format!("livraison-{CHEESE}-erreur");
    assert_eq!(
        attr(&html, &fieldset, "aria-describedby").as_deref(),
        Some(error_id.as_str())
    );
    let beside = texts(&html, &format!("#{error_id}")).concat();
    assert!(
        beside.starts_with("Fromagerie des Écoles : Le créneau du")
            && beside.ends_with("est complet : choisissez-en un autre."),
        "{beside}"
    );
    assert_eq!(texts(&html, r#"[role="alert"] p"#), [beside]);
}
