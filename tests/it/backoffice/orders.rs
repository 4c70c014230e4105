//! The orders section over HTTP: a shopper orders through the shop's pages, the merchant
//! sees the order under "Nouvelles", accepts it, marks it ready (the shopper gets an
//! e-mail), is refused a move out of order (in French, nothing changes), cancels with a
//! reason (stock back, e-mail with the reason, history with who and when), ships with a
//! tracking number; another shop's order is a 404 and stays as it was. On SQLite and
//! PostgreSQL.

use super::{BAKERY, CHEESE, CLOTHES, MerchantClient, outbox};
use crate::helpers::{TestApp, TestResponse, texts};
use crate::shopping::{Shopper, encode, location, on_both_databases, radios, stock, value};
use axum::http::StatusCode;
use comptoir::orders::{self, Status};

const BAGUETTE: &str = "parc-baguette-tradition";
const BRIE: &str = "ecoles-brie-meaux";
const SCARF: &str = "ECHARPE-ROUGE";

on_both_databases!(
    a_merchant_accepts_and_readies_an_order,
    cancelling_gives_the_stock_back_and_tells_the_shopper,
    a_parcel_is_shipped_with_its_tracking_number,
    another_shops_order_is_not_found_and_stays_as_it_was
);

/// Marie orders `lines` (SKU, quantity), each shop's first choice of `mode` (a mode's key);
/// returns the order number.
async fn order(app: &TestApp, lines: &[(&str, &str)], modes: &[(&str, &str)]) -> String {
    let mut marie = Shopper::new(app);
    for (sku, quantity) in lines {
        location(&marie.add(sku, quantity).await);
    }
    let form = marie.get("/commande").await;
    let mut fields: Vec<(String, String)> = ["csrf", "key", "expected_items"]
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                value(&form, &format!(r#"input[name="{n}"]"#)),
            )
        })
        .collect();
    for (name, v) in [
        ("name", "Marie Dupont"),
        ("email", "marie@exemple.fr"),
        ("phone", "06 12 34 56 78"),
        ("street", "3 rue des Imbergères"),
        ("postcode", "92330"),
        ("city", "Sceaux"),
    ] {
        fields.push((name.to_owned(), v.to_owned()));
    }
    for (shop, mode) in modes {
        let choice = radios(&form, shop, &format!("{mode}|"))
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{shop} offers {mode}"));
        fields.push((format!("livraison-{shop}"), choice));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let placed = marie.post_with("/commande", &encode(&pairs), &[]).await;
    let token = location(&placed)
        .trim_start_matches("/commande/confirmation/")
        .to_owned();
    let db = app.state.db().await.expect("database");
    orders::find_by_token(db, &token)
        .await
        .expect("read")
        .expect("the order")
        .number
}

/// Where `shop`'s part of `number` stands.
async fn status(app: &TestApp, number: &str, shop: &str) -> Status {
    let db = app.state.db().await.expect("database");
    let order = orders::find(db, number)
        .await
        .expect("read")
        .expect("order");
    order.shop(shop).expect("the shop's part").status
}

/// The mails whose text contains `needle`, waiting up to 10 s for one (sent after the
/// answer).
async fn mails_with(app: &TestApp, needle: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found: Vec<String> = outbox(app)
            .into_iter()
            .filter(|m| m.contains(needle))
            .collect();
        if !found.is_empty() || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn detail(number: &str) -> String {
    format!("/espace-commercant/commandes/{number}")
}

/// Posts the move to `to` from the detail page, with `extra` fields.
async fn act(
    merchant: &mut MerchantClient<'_>,
    number: &str,
    to: Status,
    extra: &[(&str, &str)],
) -> TestResponse {
    let mut fields = vec![("vers", to.key())];
    fields.extend_from_slice(extra);
    merchant.post(&detail(number), &fields).await
}

fn assert_moved(answer: &TestResponse, number: &str, to: Status) {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        format!("{}?fait={}", detail(number), to.key())
    );
}

async fn a_merchant_accepts_and_readies_an_order(app: TestApp) {
    let number = order(
        &app,
        &[(BAGUETTE, "2"), (BRIE, "1")],
        &[(BAKERY, "click_collect"), (CHEESE, "click_collect")],
    )
    .await;
    let mut bakery = MerchantClient::login(&app, BAKERY).await;

    let new = bakery
        .get("/espace-commercant/commandes?statut=nouvelles")
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(texts(&new.html(), "ul.orders li strong"), [number.as_str()]);
    let current = texts(&new.html(), r#"nav.tabs a[aria-current="page"]"#);
    assert_eq!(current, ["Nouvelles (1)"]);
    let done = bakery
        .get("/espace-commercant/commandes?statut=terminees")
        .await;
    assert!(texts(&done.html(), "ul.orders li").is_empty());

    let page = bakery.get(&detail(&number)).await;
    let text = page.text();
    assert!(text.contains("Baguette de tradition"), "{text}");
    assert!(!text.contains("Brie"), "only the bakery's lines: {text}");
    assert!(text.contains("Marie Dupont") && text.contains("06 12 34 56 78"));
    assert!(text.contains("Retrait en boutique"));

    assert_moved(
        &act(&mut bakery, &number, Status::Accepted, &[]).await,
        &number,
        Status::Accepted,
    );
    let accepted = bakery
        .get(&format!("{}?fait=accepted", detail(&number)))
        .await;
    assert!(accepted.text().contains("Commande acceptée"));
    assert_eq!(status(&app, &number, BAKERY).await, Status::Accepted);
    assert_eq!(
        status(&app, &number, CHEESE).await,
        Status::Placed,
        "the cheese shop's part waits"
    );

    assert_moved(
        &act(&mut bakery, &number, Status::Ready, &[]).await,
        &number,
        Status::Ready,
    );
    let mails = mails_with(&app, "elle vous attend").await;
    assert_eq!(mails.len(), 1, "one e-mail to the shopper");
    assert!(
        mails[0].contains(&number) && mails[0].contains("marie@exemple.fr"),
        "{}",
        mails[0]
    );

    let refused = act(&mut bakery, &number, Status::Shipped, &[("suivi", "6A123")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.text().contains("ne peut pas passer à « Expédiée »"),
        "{}",
        refused.text()
    );
    assert_eq!(
        status(&app, &number, BAKERY).await,
        Status::Ready,
        "unchanged"
    );

    assert_moved(
        &act(&mut bakery, &number, Status::Completed, &[]).await,
        &number,
        Status::Completed,
    );
    let history = texts(&bakery.get(&detail(&number)).await.html(), "ol.history li");
    assert_eq!(history.len(), 4, "placed, then three moves: {history:?}");
    let by = format!("par {BAKERY}@exemple.fr");
    assert!(
        history[1..].iter().all(|line| line.contains(&by)),
        "{history:?}"
    );
    assert!(
        history[3].contains("« Prête » → « Terminée »"),
        "{history:?}"
    );
}

async fn cancelling_gives_the_stock_back_and_tells_the_shopper(app: TestApp) {
    let number = order(&app, &[(BAGUETTE, "3")], &[(BAKERY, "click_collect")]).await;
    assert_eq!(stock(&app, BAGUETTE).await, 37);
    let mut bakery = MerchantClient::login(&app, BAKERY).await;

    let no_reason = act(&mut bakery, &number, Status::Cancelled, &[("motif", "  ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::helpers::attr(&no_reason.html(), "#f-motif", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(texts(&no_reason.html(), "#f-motif-error")[0].contains("Indiquez le motif"));
    assert_eq!(status(&app, &number, BAKERY).await, Status::Placed);

    let cancelled = act(
        &mut bakery,
        &number,
        Status::Cancelled,
        &[("motif", "Four en panne ce matin")],
    )
    .await;
    assert_moved(&cancelled, &number, Status::Cancelled);
    assert_eq!(status(&app, &number, BAKERY).await, Status::Cancelled);
    assert_eq!(stock(&app, BAGUETTE).await, 40, "the stock is back");
    let mails = mails_with(&app, "Four en panne ce matin").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&number) && mails[0].contains("marie@exemple.fr"));

    let page = bakery.get(&detail(&number)).await;
    let history = texts(&page.html(), "ol.history li");
    let last = history.last().expect("a history");
    assert!(
        last.contains("→ « Annulée »")
            && last.contains(&format!("par {BAKERY}@exemple.fr"))
            && last.contains("motif : Four en panne ce matin")
            && last.contains(" à "),
        "who, when and why: {history:?}"
    );
    assert!(
        texts(&page.html(), "section.actions").is_empty(),
        "nothing follows a cancelling"
    );
    let again = act(&mut bakery, &number, Status::Accepted, &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn a_parcel_is_shipped_with_its_tracking_number(app: TestApp) {
    let number = order(&app, &[(SCARF, "1")], &[(CLOTHES, "post")]).await;
    let mut shop = MerchantClient::login(&app, CLOTHES).await;
    act(&mut shop, &number, Status::Accepted, &[]).await;
    let page = shop.get(&detail(&number)).await;
    let buttons = texts(&page.html(), "section.actions button");
    assert_eq!(buttons, ["Marquer expédiée", "Annuler la commande"]);

    let missing = act(&mut shop, &number, Status::Shipped, &[("suivi", "")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(texts(&missing.html(), "#f-suivi-error")[0].contains("numéro de suivi"));
    assert_eq!(status(&app, &number, CLOTHES).await, Status::Accepted);

    let shipped = act(
        &mut shop,
        &number,
        Status::Shipped,
        &[("suivi", "6A12345678901")],
    )
    .await;
    assert_moved(&shipped, &number, Status::Shipped);
    let mails = mails_with(&app, "6A12345678901").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&number));
    let page = shop.get(&detail(&number)).await;
    assert!(
        page.text()
            .contains("Numéro de suivi : <strong>6A12345678901</strong>")
    );
    let db = app.state.db().await.expect("database");
    let order = orders::find(db, &number)
        .await
        .expect("read")
        .expect("order");
    let tracking = app
        .get(&format!("/commande/suivi/{}", order.tracking_token))
        .await;
    assert_eq!(
        texts(&tracking.html(), "p.tracking strong"),
        ["6A12345678901"],
        "the shopper's tracking page shows it"
    );
}

async fn another_shops_order_is_not_found_and_stays_as_it_was(app: TestApp) {
    let number = order(&app, &[(BRIE, "1")], &[(CHEESE, "click_collect")]).await;
    let mut bakery = MerchantClient::login(&app, BAKERY).await;
    for path in [detail(&number), detail("SC-2026-999999")] {
        assert_eq!(
            bakery.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for to in [Status::Accepted, Status::Cancelled] {
        let answer = act(&mut bakery, &number, to, &[("motif", "pas à moi")]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        status(&app, &number, CHEESE).await,
        Status::Placed,
        "unchanged"
    );
    assert_eq!(stock(&app, BRIE).await, 7, "nothing given back");
    let list = bakery.get("/espace-commercant/commandes").await;
    assert!(!list.text().contains(&number), "not in the bakery's list");
    let db = app.state.db().await.expect("database");
    assert!(
        orders::history(db, &number, CHEESE)
            .await
            .expect("read")
            .is_empty()
    );
}
