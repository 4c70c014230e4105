//! The association's figures (`/admin/statistiques`) and their CSV export.

use crate::backoffice::{BAKERY, Browser, MerchantClient, PASSWORD};
use crate::helpers::{TestApp, attrs, texts};
use axum::http::StatusCode;
use comptoir::accounts::{self, Role};
use comptoir::db::Db;

async fn staff_account(app: &TestApp, email: &str) {
    let db = app.state.db().await.expect("database");
    let user = accounts::create(db, email, &Role::Admin)
        .await
        .expect("created");
    let phc = accounts::password::hash(PASSWORD).expect("hash");
    accounts::set_password_hash(db, &user.id, &phc)
        .await
        .expect("password");
}

async fn staff(app: &TestApp) -> Browser<'_> {
    staff_account(app, "equipe@association.fr").await;
    let mut browser = Browser::new(app);
    browser.log_in("equipe@association.fr", PASSWORD).await;
    browser
}

/// Unix seconds of `day` at `hour`:`minute`, Paris time.
fn paris(day: &str, hour: i8, minute: i8) -> i64 {
    let day: jiff::civil::Date = day.parse().expect("day");
    day.at(hour, minute, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").expect("tz"))
        .expect("zoned")
        .timestamp()
        .as_second()
}

async fn order(db: &Db, number: &str, placed_at: i64, subs: &[(&str, &str, i64, i64, &str)]) {
    let items: i64 = subs.iter().map(|s| s.2).sum();
    let fees: i64 = subs.iter().map(|s| s.3).sum();
    sqlx::query(
        "INSERT INTO orders (number, idempotency_key, tracking_token, placed_at, price_day, name, \
         email, phone, items_total, fees_total, total, payment_method, payment_status) \
         VALUES ($1, $2, $3, $4, '2026-03-01', 'Marie', 'marie@exemple.fr', '0600000000', $5, $6, $7, \
         'on_pickup', 'pending')",
    )
    .bind(number)
    .bind(format!("key-{number}"))
    .bind(format!("token-{number}"))
    .bind(placed_at)
    .bind(items)
    .bind(fees)
    .bind(items + fees)
    .execute(db.pool())
    .await
    .expect("order");
    for (shop, mode, items, fee, status) in subs {
        sqlx::query(
            "INSERT INTO sub_orders (order_number, shop, shop_name, mode, items_total, fee, \
             weight_grams, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(number)
        .bind(*shop)
        .bind(shop.replace('-', " "))
        .bind(*mode)
        .bind(*items)
        .bind(*fee)
        .bind(*status)
        .bind(placed_at)
        .execute(db.pool())
        .await
        .expect("sub-order");
    }
}

async fn row(db: &Db, sql: &str, values: (&str, &str, i64)) {
    sqlx::query(sql)
        .bind(values.0)
        .bind(values.1)
        .bind(values.2)
        .execute(db.pool())
        .await
        .expect("row");
}

/// Visits, orders and searches from 2026-02-28 to 2026-03-04; the period asked is
/// 2026-03-01 to 2026-03-03.
async fn known_data(app: &TestApp) {
    let db = app.state.db().await.expect("database");
    let visit = "INSERT INTO visits (day, page, views) VALUES ($1, $2, $3)";
    for v in [
        ("2026-02-28", "home", 500),
        ("2026-03-01", "home", 30),
        ("2026-03-01", "shop", 10),
        ("2026-03-03", "product", 20),
        ("2026-03-04", "home", 700),
    ] {
        row(db, visit, v).await;
    }
    let search = "INSERT INTO search_queries (day, query, searches, zero_results) VALUES ($1, $2, $3, $3 * 0)";
    row(db, search, ("2026-03-02", "pain", 5)).await;
    row(db, search, ("2026-02-01", "caviar", 9)).await;
    let unsold =
        "INSERT INTO search_queries (day, query, searches, zero_results) VALUES ($1, $2, $3, $3)";
    row(db, unsold, ("2026-03-03", "truffe", 3)).await;

    order(
        db,
        "SC-2026-000001",
        paris("2026-03-01", 10, 0),
        &[
            ("boulangerie-du-parc", "click_collect", 1250, 0, "completed"),
            ("fromagerie-des-ecoles", "home", 120_000, 490, "placed"),
        ],
    )
    .await;
    order(
        db,
        "SC-2026-000002",
        paris("2026-03-03", 18, 0),
        &[("boulangerie-du-parc", "click_collect", 860, 0, "ready")],
    )
    .await;
    // Cancelled: neither an order nor revenue.
    order(
        db,
        "SC-2026-000003",
        paris("2026-03-03", 9, 0),
        &[("fromagerie-des-ecoles", "locker", 5000, 300, "cancelled")],
    )
    .await;
    // Half past midnight in Paris on the 4th is still the 3rd in UTC: outside the period.
    order(
        db,
        "SC-2026-000004",
        paris("2026-03-04", 0, 30),
        &[("boulangerie-du-parc", "click_collect", 999, 0, "placed")],
    )
    .await;
    order(
        db,
        "SC-2026-000005",
        paris("2026-02-28", 23, 59),
        &[("boulangerie-du-parc", "click_collect", 777, 0, "placed")],
    )
    .await;
}

/// The cells of each row of the table body matching `table`, joined with `|`.
fn rows(html: &scraper::Html, table: &str) -> Vec<String> {
    let row = scraper::Selector::parse(&format!("{table} tbody tr")).expect("selector");
    let cell = scraper::Selector::parse("th, td").expect("selector");
    html.select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

const PERIOD: &str = "du=2026-03-01&au=2026-03-03";

#[tokio::test]
async fn figures_are_for_staff_only() {
    let app = TestApp::with_database(None);
    let mut anonymous = Browser::new(&app);
    for path in ["/admin/statistiques", "/admin/statistiques.csv"] {
        let answer = anonymous.get(path).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            answer
                .header("location")
                .starts_with("/espace-commercant/connexion?suite="),
            "{path}"
        );
    }
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    for path in ["/admin/statistiques", "/admin/statistiques.csv"] {
        assert_eq!(merchant.get(path).await.status, StatusCode::NOT_FOUND);
    }
    let mut staff = staff(&app).await;
    let page = staff.get("/admin/statistiques").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert!(
        attrs(&html, "nav a", "href").contains(&"/admin/statistiques".to_owned()),
        "in the console's menu"
    );
    assert_eq!(
        texts(&html, "#tableau-jours tbody tr").len(),
        7,
        "the last 7 days by default"
    );
    assert_eq!(texts(&html, "#conversion"), ["—"], "no visits");
}

#[tokio::test]
async fn figures_show_the_exact_counts_revenue_and_basket() {
    let app = TestApp::with_database(None);
    known_data(&app).await;
    let mut staff = staff(&app).await;
    let page = staff.get(&format!("/admin/statistiques?{PERIOD}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(texts(&html, "#visites"), ["60"]);
    assert_eq!(texts(&html, "#commandes"), ["2"]);
    assert_eq!(texts(&html, "#chiffre-affaires"), ["1 226,00 €"]);
    assert_eq!(texts(&html, "#panier-moyen"), ["613,00 €"]);
    assert_eq!(texts(&html, "#conversion"), ["3,3 %"]);
    assert!(texts(&html, "#annulations")[0].contains("annulées"));

    // The table and the chart agree, day by day.
    assert_eq!(
        rows(&html, "#tableau-jours"),
        [
            "01/03/2026|40|1|1 217,40 €|1 217,40 €",
            "02/03/2026|0|0|0,00 €|—",
            "03/03/2026|20|1|8,60 €|8,60 €",
        ]
    );
    assert_eq!(texts(&html, "#tableau-jours caption").len(), 1);
    assert_eq!(texts(&html, "#tableau-jours th[scope=col]").len(), 5);
    assert_eq!(texts(&html, "#tableau-jours th[scope=row]").len(), 3);
    let svg = "#par-jour svg[role=img]";
    assert_eq!(
        attrs(&html, svg, "aria-labelledby"),
        ["graphique-jours-titre graphique-jours-desc"]
    );
    assert_eq!(
        texts(&html, "#graphique-jours-titre"),
        ["Visites et commandes par jour"]
    );
    assert_eq!(
        attrs(&html, "svg rect.bar-visits", "data-valeur"),
        ["40", "0", "20"]
    );
    assert_eq!(
        attrs(&html, "svg rect.bar-orders", "data-valeur"),
        ["1", "0", "1"]
    );
    assert_eq!(
        attrs(&html, "svg rect.bar-visits", "data-jour"),
        ["2026-03-01", "2026-03-02", "2026-03-03"]
    );

    assert_eq!(
        rows(&html, "#tableau-par-boutique"),
        [
            "boulangerie du parc|2|21,10 €",
            "fromagerie des ecoles|1|1 204,90 €",
        ]
    );
    assert_eq!(
        rows(&html, "#tableau-par-mode"),
        [
            "Retrait en boutique|2|21,10 €",
            "Livraison à domicile|1|1 204,90 €",
        ]
    );
    assert_eq!(
        rows(&html, "#tableau-recherches"),
        ["pain|5|0", "truffe|3|3"]
    );
    assert_eq!(rows(&html, "#tableau-sans-resultat"), ["truffe|3|3"]);
    assert_eq!(
        attrs(&html, "#export-csv", "href"),
        ["/admin/statistiques.csv?du=2026-03-01&au=2026-03-03"]
    );
}

#[tokio::test]
async fn figures_export_the_days_as_csv() {
    let app = TestApp::with_database(None);
    known_data(&app).await;
    let mut staff = staff(&app).await;
    let csv = staff
        .get(&format!("/admin/statistiques.csv?{PERIOD}"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        csv.header("content-disposition")
            .contains("statistiques-2026-03-01-2026-03-03.csv")
    );
    let text = csv.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "Jour;Visites;Commandes;Chiffre d'affaires (€);Panier moyen (€);Conversion (%)",
            "2026-03-01;40;1;1217,40;1217,40;2,5",
            "2026-03-02;0;0;0,00;;",
            "2026-03-03;20;1;8,60;8,60;5,0",
        ]
    );
}

#[tokio::test]
async fn figures_refuse_bad_dates_in_french() {
    let app = TestApp::with_database(None);
    let mut staff = staff(&app).await;
    for (query, message) in [
        ("du=2026-02-30&au=2026-03-03", "n’est pas valide"),
        ("du=hier&au=2026-03-03", "AAAA-MM-JJ"),
        ("du=2026-03-04&au=2026-03-01", "doit précéder"),
        ("du=2024-01-01&au=2026-01-01", "366 jours"),
    ] {
        let page = staff.get(&format!("/admin/statistiques?{query}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let alert = texts(&page.html(), "[role=alert]");
        assert!(
            alert.len() == 1 && alert[0].contains(message),
            "{query}: {alert:?}"
        );
        let csv = staff.get(&format!("/admin/statistiques.csv?{query}")).await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(csv.text().contains(message), "{query}");
    }
}
