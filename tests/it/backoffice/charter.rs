//! The quality charter over HTTP: a shop that has not accepted the current version is not
//! on the built site (page, products, search, sitemaps) while the others are; its merchant
//! reads the charter, accepts it (written to `shop.toml`, recorded in the database) and the
//! next build puts the shop online. The service figures come from the recorded times.

use super::{BAKERY, CHEESE, CLOTHES, MerchantClient};
use crate::helpers::{TestApp, texts};
use crate::shopping::on_both_databases;
use axum::http::StatusCode;
use comptoir::orders::{self, Actor, Change, Checkout, Contact, OrderSettings, Status};
use comptoir_indexer::model::Acceptance;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

const VERSION: &str = "2026-11";
const BAGUETTE: &str = "parc-baguette-tradition";

on_both_databases!(
    a_shop_goes_online_once_its_merchant_accepts_the_charter,
    the_figures_come_from_the_recorded_times
);

/// A charter in the app's content, accepted by the cheese shop and the clothes shop (not
/// the bakery), then built.
fn charter_for_all_but_the_bakery(app: &TestApp) {
    let charter = format!(
        "+++\nversion = \"{VERSION}\"\n[targets]\naccept_within_hours = 4\n+++\n# Charte qualité\n\nNous répondons à chaque commande **dans les 4 heures**.\n"
    );
    std::fs::write(app.content.join("charte.md"), charter).expect("charter written");
    for shop in [CHEESE, CLOTHES] {
        let path = app.content.join("shops").join(shop).join("shop.toml");
        let text = std::fs::read_to_string(&path).expect("shop.toml");
        let acceptance = Acceptance {
            version: VERSION.into(),
            accepted: jiff::civil::date(2026, 11, 2),
            by: format!("{shop}@exemple.fr"),
        };
        std::fs::write(&path, acceptance.write_into(&text)).expect("shop.toml written");
    }
    app.build()
        .expect("a shop without acceptance does not fail the build");
}

async fn search_finds(app: &TestApp, sku_id: &str) -> bool {
    let answer = app.get("/api/search?q=baguette").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("json");
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .any(|h| h["id"] == sku_id)
}

async fn on_the_site(
    app: &TestApp,
    product_path: &str,
) -> (StatusCode, StatusCode, bool, bool, bool) {
    let shops = app.get("/boutiques/").await.text();
    let sitemap = app.get("/sitemap-pages.xml").await.text();
    (
        app.get(&format!("/boutiques/{BAKERY}/")).await.status,
        app.get(product_path).await.status,
        shops.contains("Boulangerie du Parc"),
        sitemap.contains(&format!("/boutiques/{BAKERY}/")),
        search_finds(app, BAGUETTE).await,
    )
}

async fn a_shop_goes_online_once_its_merchant_accepts_the_charter(app: TestApp) {
    let live = app.state.live().expect("a build");
    let catalogue = live.catalogue.clone().expect("the snapshot");
    let baguette = catalogue
        .products
        .iter()
        .find(|p| p.id == BAGUETTE)
        .expect("baguette");
    let product_path = catalogue.product_path(baguette);
    charter_for_all_but_the_bakery(&app);

    let offline = on_the_site(&app, &product_path).await;
    assert_eq!(offline.0, StatusCode::NOT_FOUND, "no shop page");
    assert_eq!(offline.1, StatusCode::GONE, "its product pages left");
    assert_eq!(
        (offline.2, offline.3, offline.4),
        (false, false, false),
        "not listed, in the sitemap or found"
    );
    assert_eq!(
        app.get(&format!("/boutiques/{CHEESE}/")).await.status,
        StatusCode::OK,
        "the others stay"
    );

    let mut bakery = MerchantClient::login(&app, BAKERY).await;
    let page = bakery.get("/espace-commercant/charte").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(
        text.contains("Pas encore acceptée : votre boutique n’est pas en ligne."),
        "{text}"
    );
    assert!(
        text.contains("<strong>dans les 4 heures</strong>"),
        "the Markdown is rendered"
    );

    let unticked = bakery
        .post("/espace-commercant/charte", &[("version", VERSION)])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stale = bakery
        .post(
            "/espace-commercant/charte",
            &[("version", "2020-01"), ("accepte", "oui")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let shop_toml = app.content.join("shops").join(BAKERY).join("shop.toml");
    assert!(
        !std::fs::read_to_string(&shop_toml)
            .expect("read")
            .contains("charter =")
    );

    let accepted = bakery
        .post(
            "/espace-commercant/charte",
            &[("version", VERSION), ("accepte", "oui")],
        )
        .await;
    assert_eq!(
        accepted.status,
        StatusCode::SEE_OTHER,
        "{}",
        accepted.text()
    );
    let written = std::fs::read_to_string(&shop_toml).expect("read");
    let by = format!("{BAKERY}@exemple.fr");
    assert!(
        written.contains(&format!(
            "charter = {{ version = \"{VERSION}\", accepted = "
        )) && written.contains(&by),
        "{written}"
    );
    let db = app.state.db().await.expect("database");
    let row = sqlx::query("SELECT user_email, version FROM charter_acceptances WHERE shop = $1")
        .bind(BAKERY)
        .fetch_one(db.pool())
        .await
        .expect("recorded");
    assert_eq!(row.try_get::<String, _>("user_email").expect("email"), by);
    assert_eq!(
        row.try_get::<String, _>("version").expect("version"),
        VERSION
    );
    let standing = bakery.get(accepted.header("location")).await;
    assert!(
        standing.text().contains(&format!("par {by}")),
        "{}",
        standing.text()
    );
    assert!(
        texts(&standing.html(), "form.accept").is_empty(),
        "nothing left to accept"
    );

    app.build().expect("built");
    let online = on_the_site(&app, &product_path).await;
    assert_eq!(online, (StatusCode::OK, StatusCode::OK, true, true, true));
}

/// Marie's click & collect order of one baguette, placed at `at`.
async fn placed_at(app: &TestApp, at: Timestamp) -> String {
    let live = app.state.live().expect("a build");
    let catalogue = live.catalogue.clone().expect("the snapshot");
    let db = app.state.db().await.expect("database");
    comptoir::stock::seed(db, &catalogue).await.expect("stock");
    let checkout = Checkout {
        lines: vec![comptoir::cart::CartLine {
            sku: BAGUETTE.into(),
            quantity: 1,
        }],
        contact: Contact {
            name: "Marie Dupont".into(),
            email: "marie@exemple.fr".into(),
            phone: "06 12 34 56 78".into(),
        },
        choices: [(BAKERY.to_owned(), comptoir::delivery::Choice::ClickCollect)].into(),
        idempotency_key: format!("key-{}", comptoir::cart::CartId::generate()),
        ..Checkout::default()
    };
    orders::place(db, &catalogue, &checkout, &OrderSettings::default(), at)
        .await
        .expect("placed")
        .order
        .number
}

async fn the_figures_come_from_the_recorded_times(app: TestApp) {
    let minutes = SignedDuration::from_mins;
    let start = Timestamp::now() - SignedDuration::from_hours(50);
    let first = placed_at(&app, start).await;
    let second = placed_at(&app, start + minutes(60)).await;
    let anne = Actor::Merchant {
        user_id: "u-anne".into(),
        email: "anne@exemple.fr".into(),
    };
    let moves = [
        (
            &first,
            Change::new(Status::Accepted, anne.clone()).at(start + minutes(30)),
        ),
        (
            &first,
            Change::new(Status::Ready, anne.clone()).at(start + minutes(150)),
        ),
        (
            &second,
            Change::new(Status::Accepted, anne.clone()).at(start + minutes(150)),
        ),
        (
            &second,
            Change::new(Status::Cancelled, anne)
                .reason("Rupture")
                .at(start + minutes(200)),
        ),
    ];
    let db = app.state.db().await.expect("database");
    for (number, change) in &moves {
        orders::set_status(db, number, BAKERY, change)
            .await
            .expect("moved");
    }

    let mut bakery = MerchantClient::login(&app, BAKERY).await;
    let page = bakery.get("/espace-commercant/charte").await;
    assert_eq!(page.status, StatusCode::OK);
    let cells = texts(&page.html(), "section.figures tbody td");
    assert_eq!(
        cells,
        [
            "2", "2", "—", "1 h 00", "1 h 00", "—", "2 h 30", "2 h 30", "—", "1 (50 %)",
            "1 (50 %)", "—",
        ],
        "medians of 30 and 90 minutes, one order ready after 150"
    );
    let cheese = MerchantClient::login(&app, CHEESE).await;
    let mut cheese = cheese;
    let theirs = texts(
        &cheese.get("/espace-commercant/charte").await.html(),
        "section.figures tbody td",
    );
    assert_eq!(theirs[..2], ["0", "0"], "each shop its own figures");
}

/// With the live catalogue (`serve --watch`, `demo`): a new charter takes the shops that
/// have not accepted it off the site, and accepting it puts the shop back, no build run
/// by hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_site_follows_the_charter_and_its_acceptance() {
    let app = super::watching_app().await;
    let shop_page = format!("/boutiques/{BAKERY}/");
    super::until(&app, "the site is up", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::OK
    })
    .await;
    let charter = format!("+++\nversion = \"{VERSION}\"\n+++\nNous répondons vite.\n");
    std::fs::write(app.content.join("charte.md"), charter).expect("charter written");
    super::until(&app, "the bakery leaves the site", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::NOT_FOUND
    })
    .await;

    let mut bakery = MerchantClient::login(&app, BAKERY).await;
    let accepted = bakery
        .post(
            "/espace-commercant/charte",
            &[("version", VERSION), ("accepte", "oui")],
        )
        .await;
    assert_eq!(
        accepted.status,
        StatusCode::SEE_OTHER,
        "{}",
        accepted.text()
    );
    assert_eq!(
        accepted.header("location"),
        "/espace-commercant/charte?acceptee=en-ligne"
    );
    super::until(&app, "the bakery is back online", async |app: &TestApp| {
        app.get(&shop_page).await.status == StatusCode::OK
    })
    .await;
    let page = bakery.get("/espace-commercant/charte").await;
    assert!(
        page.text().contains("Votre boutique est en ligne."),
        "{}",
        page.text()
    );
}
