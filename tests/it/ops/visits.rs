//! Visits: people's page views counted, robots, files, the API, errors and the
//! back-office not; flushed to the database and read back per day on both engines.

use super::exposition::value;
use super::{FIREFOX, PRODUCT, app_with_token, browse, scrape};
use crate::helpers::attrs;
use axum::http::{Method, StatusCode};
use comptoir::ops::visits::{self, PageKind};
use jiff::civil::{Date, date};
use std::collections::BTreeMap;

const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

#[tokio::test]
async fn visits_count_people_on_pages_and_ignore_robots_files_and_the_back_office() {
    let app = app_with_token(None);
    let home = browse(&app, Method::GET, "/", Some(FIREFOX)).await;
    assert_eq!(home.status, StatusCode::OK);
    let product = browse(&app, Method::GET, PRODUCT, Some(FIREFOX)).await;
    assert_eq!(product.status, StatusCode::OK);
    assert_eq!(
        browse(&app, Method::GET, PRODUCT, Some(FIREFOX))
            .await
            .status,
        StatusCode::OK
    );
    let search = browse(&app, Method::GET, "/recherche?q=pain", Some(FIREFOX)).await;
    assert_eq!(search.status, StatusCode::OK);

    let stylesheet = attrs(&home.html(), "link[rel=stylesheet]", "href");
    let picture = attrs(&product.html(), "img", "src");
    let picture = picture
        .iter()
        .find(|s| s.starts_with("/images/"))
        .expect("a picture");
    let not_visits: Vec<(Method, &str, Option<&str>)> = vec![
        (Method::GET, PRODUCT, Some(GOOGLEBOT)),
        (Method::GET, "/", Some("curl/8.5.0")),
        (Method::GET, PRODUCT, Some("")),
        (Method::GET, PRODUCT, None),
        (Method::HEAD, PRODUCT, Some(FIREFOX)),
        (Method::GET, &stylesheet[0], Some(FIREFOX)),
        (Method::GET, picture, Some(FIREFOX)),
        (Method::GET, "/api/search?q=pain", Some(FIREFOX)),
        (Method::GET, "/sitemap.xml", Some(FIREFOX)),
        (Method::GET, "/nulle-part/", Some(FIREFOX)),
        (Method::GET, "/espace-commercant/connexion", Some(FIREFOX)),
    ];
    for (method, path, agent) in not_visits {
        let answer = browse(&app, method.clone(), path, agent).await;
        assert!(
            answer.status.as_u16() < 500,
            "{method} {path}: {}",
            answer.status
        );
    }
    // The back-office page is an HTML page answered 200, yet not a visit.
    let login = browse(
        &app,
        Method::GET,
        "/espace-commercant/connexion",
        Some(FIREFOX),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.header("content-type").starts_with("text/html"));

    let db = app.state.db().await.expect("database");
    assert_eq!(
        app.state.flush_visits().await.expect("flush"),
        3,
        "three kinds of page"
    );
    assert_eq!(app.state.flush_visits().await.expect("nothing left"), 0);
    let today = comptoir::config::today();
    let yesterday = today.yesterday().expect("a day before");
    let days = visits::per_day(db, yesterday, today)
        .await
        .expect("read back");
    assert_eq!(days.len(), 2);
    assert_eq!((days[0].day, days[0].total), (yesterday, 0));
    assert_eq!(days[1].day, today);
    let expected = BTreeMap::from([
        (PageKind::Home, 1),
        (PageKind::Product, 2),
        (PageKind::Search, 1),
    ]);
    assert_eq!(days[1].pages, expected);
    assert_eq!(days[1].total, 4);

    // A later flush adds to the day's counts.
    browse(&app, Method::GET, "/", Some(FIREFOX)).await;
    app.state.flush_visits().await.expect("flush");
    let days = visits::per_day(db, today, today).await.expect("read back");
    assert_eq!(days[0].pages[&PageKind::Home], 2);
    assert_eq!(days[0].total, 5);
    assert_eq!(
        value(
            &scrape(&app).await,
            "comptoir_visits_total",
            &[("page", "product")]
        ),
        2.0
    );
}

crate::commerce::on_both_databases!(visits_add_up_per_day_and_kind_of_page);

async fn visits_add_up_per_day_and_kind_of_page(env: crate::commerce::Env) {
    let log = visits::VisitLog::default();
    let (monday, tuesday, wednesday) = (date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11));
    log.record(monday, PageKind::Home);
    log.record(wednesday, PageKind::Product);
    log.record(wednesday, PageKind::Product);
    log.record(wednesday, PageKind::Cart);
    assert_eq!(
        log.flush(&env.db).await.expect("flush"),
        3,
        "three (day, page) rows"
    );
    log.record(wednesday, PageKind::Product);
    log.flush(&env.db).await.expect("second flush");

    let days = visits::per_day(&env.db, monday, wednesday)
        .await
        .expect("read");
    let totals: Vec<(Date, i64)> = days.iter().map(|d| (d.day, d.total)).collect();
    assert_eq!(totals, [(monday, 1), (tuesday, 0), (wednesday, 4)]);
    assert_eq!(
        days[2].pages,
        BTreeMap::from([(PageKind::Product, 3), (PageKind::Cart, 1)])
    );
    let tuesday_on = visits::per_day(&env.db, tuesday, wednesday)
        .await
        .expect("read");
    assert_eq!(tuesday_on.len(), 2, "days before the period are left out");
    assert!(
        visits::per_day(&env.db, wednesday, monday)
            .await
            .expect("read")
            .is_empty()
    );
}
