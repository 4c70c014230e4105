//! The delivery network in the console over HTTP: staff open a relay point with two slots,
//! `town.toml` keeps the rest of the file and still parses, the checkout offers the point,
//! a shopper books it, the day's deliveries and the round sheet list the order there; a
//! lowered capacity fills the slot; a booked slot or point cannot be removed; bad forms
//! write nothing; only staff get in.

use crate::admin::staff_account;
use crate::backoffice::{BAKERY, Browser, MerchantClient, PASSWORD, watching_app};
use crate::helpers::{TestApp, TestResponse, attr, texts};
use crate::shopping::journey::checkout_body;
use crate::shopping::{Shopper, location, radios};
use axum::http::StatusCode;
use std::time::{Duration, Instant};

const STAFF: &str = "equipe@association.fr";
const BAGUETTE: &str = "parc-baguette-tradition";
const POINT: &str = "relais-de-la-gare";
const NEW_POINT: &str = "/admin/livraison/points/nouveau";

fn town_toml(app: &TestApp) -> String {
    std::fs::read_to_string(app.content.join("town.toml")).expect("town.toml")
}

async fn staff(app: &TestApp) -> Browser<'_> {
    staff_account(app, STAFF).await;
    let mut staff = Browser::new(app);
    staff.log_in(STAFF, PASSWORD).await;
    staff
}

/// Posts `fields` to `path` with the CSRF token of the form at `form`.
async fn submit(
    staff: &mut Browser<'_>,
    form: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let page = staff.get(form).await;
    assert_eq!(page.status, StatusCode::OK, "{form}");
    let csrf = attr(&page.html(), "input[name=csrf]", "value").expect("csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    staff.post_raw(path, &all).await
}

fn relay(capacity: &'static str, slots: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("type", "relay"),
        ("nom", "Relais de la gare"),
        ("id", ""),
        ("quartier", "Robinson"),
        ("rue", "1 place de la Gare"),
        ("code_postal", "92330"),
        ("ville", "Sceaux"),
        ("lat", "48,77964"),
        ("lon", "2.28152"),
        ("frais", "1,20"),
        ("capacite", capacity),
        ("creneaux", slots),
    ]
}

/// The checkout form once it offers `prefix` for the bakery (the live catalogue publishes
/// a saved `town.toml` within a moment).
async fn checkout_offering(shopper: &mut Shopper<'_>, prefix: &str) -> TestResponse {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let form = shopper.get("/commande").await;
        if !radios(&form, BAKERY, prefix).is_empty() {
            return form;
        }
        assert!(
            Instant::now() < deadline,
            "the checkout never offered {prefix}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_open_a_relay_point_that_shoppers_then_book() {
    let app = watching_app().await;
    let before = town_toml(&app);
    let mut staff = staff(&app).await;
    let opened = submit(
        &mut staff,
        NEW_POINT,
        NEW_POINT,
        &relay("2", "18:00-20:00, 08:30-09:30"),
    )
    .await;
    assert_eq!(
        location(&opened),
        "/admin/livraison?enregistre=en-ligne#points"
    );
    let after = town_toml(&app);
    let head = before.split("[[delivery_points]]").next().expect("head");
    assert!(after.starts_with(head), "the town's own keys are kept");
    let postal = &before[before.find("[postal]").expect("postal")..];
    assert!(after.ends_with(postal), "the other sections are kept");
    assert!(after.contains("slots = [\"08:30-09:30\", \"18:00-20:00\"]"));
    let town = comptoir_indexer::parse::parse_town(&app.content.join("town.toml"), &after)
        .expect("town.toml still parses");
    assert_eq!(town.delivery_points.len(), 3);
    let overview = staff.get("/admin/livraison?enregistre=en-ligne").await;
    assert!(texts(&overview.html(), "#points td a").contains(&"Relais de la gare".to_owned()));

    let mut marie = Shopper::new(&app);
    location(&marie.add(BAGUETTE, "2").await);
    let prefix = format!("relay|{POINT}|");
    let form = checkout_offering(&mut marie, &prefix).await;
    let offered = radios(&form, BAKERY, &prefix);
    assert!(
        offered.iter().any(|v| v.contains("|18:00-20:00|")),
        "{offered:?}"
    );
    let choice = offered
        .iter()
        .find(|v| v.contains("|18:00-20:00|"))
        .expect("the evening slot")
        .clone();
    let day = choice.split('|').nth(2).expect("a day").to_owned();
    let placed = marie
        .post_with(
            "/commande",
            &checkout_body(&form, "marie@exemple.fr", &[(BAKERY, choice.clone())]),
            &[],
        )
        .await;
    assert!(location(&placed).starts_with("/commande/confirmation/"));
    let number = booked_number(&app).await;

    check_day_page(&mut staff, &day, &number).await;
    check_round_sheet(&mut staff, &day, &number).await;
    check_capacity_lowered(&mut staff, &mut marie, &choice).await;
    check_booked_slot_and_point_kept(&mut staff, &app, &number).await;
}

async fn booked_number(app: &TestApp) -> String {
    let db = app.state.db().await.expect("database");
    comptoir::orders::numbers_for_shop(db, BAKERY)
        .await
        .expect("numbers")
        .into_iter()
        .next()
        .expect("the order")
}

async fn check_day_page(staff: &mut Browser<'_>, day: &str, number: &str) {
    let page = staff.get(&format!("/admin/livraisons?jour={day}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let groups = texts(&html, "section.delivery-group");
    let ours = groups
        .iter()
        .find(|g| g.contains("Relais de la gare — de 18:00 à 20:00"))
        .expect("the new point's evening slot");
    assert!(ours.contains("1 réservé sur 2"), "{ours}");
    assert!(
        ours.contains(number) && ours.contains("Boulangerie du Parc"),
        "{ours}"
    );
    assert!(
        ours.contains("Marie Dupont") && ours.contains("06 12 34 56 78"),
        "{ours}"
    );
    let morning = groups
        .iter()
        .find(|g| g.contains("Relais de la gare — de 08:30 à 09:30"))
        .expect("the new point's morning slot");
    assert!(morning.contains("Aucun colis."), "{morning}");
    assert!(
        attr(&html, "a[rel=next]", "href")
            .is_some_and(|h| h.starts_with("/admin/livraisons?jour="))
    );
}

async fn check_round_sheet(staff: &mut Browser<'_>, day: &str, number: &str) {
    let sheet = staff
        .get(&format!("/admin/livraisons/tournee?jour={day}"))
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    let html = sheet.html();
    let stops = texts(&html, ".round-sheet li.stop");
    assert_eq!(stops.len(), 1, "{stops:?}");
    for expected in [
        "Relais de la gare — de 18:00 à 20:00",
        "1 place de la Gare, 92330 Sceaux",
        number,
        "Boulangerie du Parc",
        "06 12 34 56 78",
        "☐",
    ] {
        assert!(stops[0].contains(expected), "{expected} in {}", stops[0]);
    }
    assert!(texts(&html, ".collection li")[0].starts_with("Boulangerie du Parc"));
}

async fn check_capacity_lowered(staff: &mut Browser<'_>, marie: &mut Shopper<'_>, choice: &str) {
    let edit = format!("/admin/livraison/points/{POINT}");
    let mut fields = relay("1", "08:30-09:30, 18:00-20:00");
    fields.retain(|(n, _)| !matches!(*n, "type" | "id"));
    let saved = submit(staff, &edit, &edit, &fields).await;
    assert_eq!(location(&saved), format!("{edit}?enregistre=en-ligne"));
    location(&marie.add(BAGUETTE, "1").await);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let form = marie.get("/commande").await;
        let radio = format!(r#"input[value="{choice}"]"#);
        if attr(&form.html(), &radio, "disabled").is_some() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the booked slot never showed full"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn check_booked_slot_and_point_kept(staff: &mut Browser<'_>, app: &TestApp, number: &str) {
    let before = town_toml(app);
    let edit = format!("/admin/livraison/points/{POINT}");
    let mut fields = relay("1", "08:30-09:30");
    fields.retain(|(n, _)| !matches!(*n, "type" | "id"));
    let refused = submit(staff, &edit, &edit, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = texts(&refused.html(), "#f-creneaux-error").concat();
    assert!(
        message.starts_with("Le créneau 18:00-20:00 ne peut pas être retiré")
            && message.contains(number),
        "{message}"
    );
    let closed = submit(staff, &edit, &format!("{edit}/fermer"), &[]).await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let alert = texts(&closed.html(), "[role=alert]").concat();
    assert!(
        alert.starts_with("Ce point ne peut pas être fermé") && alert.contains(number),
        "{alert}"
    );
    assert_eq!(town_toml(app), before, "nothing written");
}

#[tokio::test]
async fn bad_network_forms_say_what_to_fix_and_write_nothing() {
    let app = TestApp::with_database(None);
    let before = town_toml(&app);
    let mut staff = staff(&app).await;
    let mut bad = relay("0", "12:00-10:00");
    for (name, value) in [
        ("id", "relais-blagis"),
        ("code_postal", "923"),
        ("frais", "un euro"),
    ] {
        bad.retain(|(n, _)| *n != name);
        bad.push((name, value));
    }
    let refused = submit(&mut staff, NEW_POINT, NEW_POINT, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    let error = |field: &str| texts(&html, &format!("#f-{field}-error")).concat();
    assert_eq!(
        error("id"),
        "Un point a déjà cet identifiant : choisissez-en un autre."
    );
    assert_eq!(
        error("capacite"),
        "Écrivez un nombre de colis d’au moins 1, par exemple 10."
    );
    assert_eq!(error("code_postal"), "Écrivez un code postal à 5 chiffres.");
    assert!(error("frais").starts_with("Écrivez un montant en euros"));
    assert!(error("creneaux").starts_with("Écrivez chaque créneau comme 10:00-12:00"));
    assert_eq!(
        attr(&html, "#f-code_postal", "value").as_deref(),
        Some("923"),
        "typed values stay"
    );

    let overlapping = relay("4", "10:00-12:00, 11:00-13:00");
    let refused = submit(&mut staff, NEW_POINT, NEW_POINT, &overlapping).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&refused.html(), "#f-creneaux-error")
            .concat()
            .starts_with("Deux créneaux se chevauchent")
    );

    let postal = "/admin/livraison/poste";
    let unsorted = [
        ("active", "oui"),
        ("jours_min", "2"),
        ("jours_max", "4"),
        ("poids-1", "2000"),
        ("prix-1", "8,90"),
        ("poids-2", "500"),
        ("prix-2", "5,90"),
    ];
    let refused = submit(&mut staff, postal, postal, &unsorted).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&refused.html(), "#f-poids-2-error")
            .concat()
            .starts_with("Rangez les tranches par poids croissant")
    );

    let home = "/admin/livraison/domicile";
    let bad_home = [
        ("active", "oui"),
        ("frais", "4,90"),
        ("capacite", "8"),
        ("creneaux", "10:00-12:00"),
        ("codes_postaux", "92330, 9234"),
    ];
    let refused = submit(&mut staff, home, home, &bad_home).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&refused.html(), "#f-codes_postaux-error")
            .concat()
            .starts_with("Écrivez des codes postaux à 5 chiffres")
    );

    assert_eq!(
        town_toml(&app),
        before,
        "town.toml is byte for byte the same"
    );
}

#[tokio::test]
async fn home_delivery_and_postal_rates_are_saved_in_town_toml() {
    let app = TestApp::with_database(None);
    let mut staff = staff(&app).await;
    let home = "/admin/livraison/domicile";
    let form = staff.get(home).await;
    assert_eq!(
        attr(&form.html(), "#f-frais", "value").as_deref(),
        Some("4,90")
    );
    let fields = [
        ("active", "oui"),
        ("frais", "3,50"),
        ("gratuit_des", ""),
        ("capacite", "5"),
        ("creneaux", "18:00-20:00"),
        ("codes_postaux", "92330, 92340"),
    ];
    let saved = submit(&mut staff, home, home, &fields).await;
    assert_eq!(
        location(&saved),
        format!("{home}?enregistre=prochaine-publication")
    );
    let postal = "/admin/livraison/poste";
    let fields = [
        ("active", "oui"),
        ("jours_min", "1"),
        ("jours_max", "3"),
        ("poids-1", "1000"),
        ("prix-1", "6,90"),
        ("poids-2", ""),
        ("prix-2", ""),
    ];
    location(&submit(&mut staff, postal, postal, &fields).await);
    let text = town_toml(&app);
    let town =
        comptoir_indexer::parse::parse_town(&app.content.join("town.toml"), &text).expect("parses");
    assert_eq!(town.postcodes, ["92330", "92340"]);
    let home = town.home_delivery.expect("offered");
    assert_eq!(
        (home.fee.cents(), home.free_from, home.capacity),
        (350, None, 5)
    );
    assert_eq!(home.slots, ["18:00-20:00"]);
    let postal = town.postal.expect("offered");
    assert_eq!(
        (postal.days_min, postal.days_max, postal.bands.len()),
        (1, 3, 1)
    );
    let page = staff.get("/admin/livraison").await;
    assert!(
        texts(&page.html(), "#poste li")
            .iter()
            .any(|t| t.starts_with("Jusqu’à 1000 g : 6,90")),
        "the overview shows the new band"
    );

    let edit = "/admin/livraison/points/relais-blagis";
    let closed = submit(&mut staff, edit, &format!("{edit}/fermer"), &[]).await;
    assert_eq!(
        location(&closed),
        "/admin/livraison?enregistre=prochaine-publication#points"
    );
    assert!(
        !town_toml(&app).contains("relais-blagis"),
        "no order held it"
    );
    assert_eq!(staff.get(edit).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_network_console_is_for_staff_only() {
    let app = TestApp::with_database(None);
    let before = town_toml(&app);
    let pages = [
        "/admin/livraison",
        NEW_POINT,
        "/admin/livraison/points/relais-blagis",
        "/admin/livraison/domicile",
        "/admin/livraison/poste",
        "/admin/livraisons",
        "/admin/livraisons/tournee",
    ];
    let posts = [
        NEW_POINT,
        "/admin/livraison/points/relais-blagis",
        "/admin/livraison/points/relais-blagis/fermer",
        "/admin/livraison/domicile",
        "/admin/livraison/poste",
    ];
    let mut anonymous = Browser::new(&app);
    for path in pages {
        let answer = anonymous.get(path).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            answer
                .header("location")
                .starts_with("/espace-commercant/connexion"),
            "{path}"
        );
    }
    for path in posts {
        let answer = anonymous.post_raw(path, &relay("1", "")).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
    }
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    for path in pages {
        assert_eq!(
            merchant.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in posts {
        assert_eq!(
            merchant.post(path, &relay("1", "")).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let mut staff = staff(&app).await;
    for path in posts {
        let mut forged = relay("1", "10:00-11:00");
        forged.push(("csrf", "faux"));
        assert_eq!(
            staff.post_raw(path, &forged).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(town_toml(&app), before, "nothing written");
    assert_eq!(
        staff.get("/admin/livraison/points/inconnu").await.status,
        StatusCode::NOT_FOUND
    );
}
