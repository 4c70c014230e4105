//! `/metrics`: refused to whoever the configuration does not allow, and counters that
//! follow requests, searches, builds, live updates and catalogue errors.

use super::exposition::value;
use super::{LOOPBACK, PRODUCT, app_with_token, get_from, scrape};
use crate::helpers::{TestApp, copy_dir, fixtures};
use axum::http::StatusCode;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const ELSEWHERE: [u8; 4] = [203, 0, 113, 9];

#[tokio::test]
async fn metrics_are_refused_from_elsewhere_and_without_the_token() {
    let open = app_with_token(None);
    assert_eq!(
        get_from(&open, "/metrics", LOOPBACK, &[]).await.status,
        StatusCode::OK
    );
    for (peer, headers) in [
        (ELSEWHERE, &[][..]),
        (LOOPBACK, &[("x-forwarded-for", "203.0.113.9")][..]),
        (LOOPBACK, &[("forwarded", "for=203.0.113.9")][..]),
    ] {
        let answer = get_from(&open, "/metrics", peer, headers).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{peer:?} {headers:?}");
        assert!(!answer.text().contains("comptoir_"));
    }
    // No peer address known (not a TCP connection): refused too.
    assert_eq!(open.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let locked = app_with_token(Some("jeton-de-la-supervision"));
    for headers in [
        &[][..],
        &[("authorization", "Bearer autre-jeton")][..],
        &[("authorization", "jeton-de-la-supervision")][..],
    ] {
        let answer = get_from(&locked, "/metrics", LOOPBACK, headers).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert!(answer.header("www-authenticate").starts_with("Bearer"));
        assert!(!answer.text().contains("comptoir_"));
    }
    let bearer = [("authorization", "Bearer jeton-de-la-supervision")];
    let answer = get_from(&locked, "/metrics", ELSEWHERE, &bearer).await;
    assert_eq!(answer.status, StatusCode::OK);
    super::exposition::parse(&answer.text());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_searches() {
    let app = app_with_token(None);
    let before = scrape(&app).await;
    let requests = "comptoir_http_requests_total";
    let page_ok = [("route", "page"), ("method", "GET"), ("status", "200")];
    let page_missing = [("route", "page"), ("method", "GET"), ("status", "404")];
    assert_eq!(value(&before, requests, &page_ok), 0.0);
    assert_eq!(value(&before, "comptoir_search_queries_total", &[]), 0.0);

    assert_eq!(app.get(PRODUCT).await.status, StatusCode::OK);
    assert_eq!(app.get("/nulle-part/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/recherche?q=comte").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/search?q=xylophone").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/recherche?q=comte&page=2").await.status,
        StatusCode::OK
    );

    let after = scrape(&app).await;
    assert_eq!(value(&after, requests, &page_ok), 1.0);
    assert_eq!(value(&after, requests, &page_missing), 1.0);
    let search_ok = [
        ("route", "/recherche"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert_eq!(value(&after, requests, &search_ok), 2.0);
    let api_ok = [
        ("route", "/api/search"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert_eq!(value(&after, requests, &api_ok), 1.0);
    // The first scrape is counted under its own route.
    let metrics_ok = [("route", "/metrics"), ("method", "GET"), ("status", "200")];
    assert_eq!(value(&after, requests, &metrics_ok), 1.0);
    // No raw URL became a label.
    assert!(
        after
            .keys()
            .all(|k| !k.contains("nulle-part") && !k.contains("comte"))
    );

    // Paging through results is not a new search.
    assert_eq!(value(&after, "comptoir_search_queries_total", &[]), 2.0);
    assert_eq!(
        value(&after, "comptoir_search_zero_results_total", &[]),
        1.0
    );

    let latency = "comptoir_http_request_duration_seconds";
    let page = [("route", "page"), ("method", "GET")];
    assert_eq!(value(&after, &format!("{latency}_count"), &page), 2.0);
    let inf = [("route", "page"), ("method", "GET"), ("le", "+Inf")];
    assert_eq!(value(&after, &format!("{latency}_bucket"), &inf), 2.0);
    let fast = [("route", "page"), ("method", "GET"), ("le", "0.001")];
    assert!(value(&after, &format!("{latency}_bucket"), &fast) <= 2.0);
    assert!(value(&after, &format!("{latency}_sum"), &page) > 0.0);
    assert_eq!(value(&after, "comptoir_catalogue_errors", &[]), 0.0);
    assert_eq!(
        value(&after, "comptoir_visits_total", &[("page", "product")]),
        0.0,
        "requests without a user agent are not visits"
    );
}

#[tokio::test]
async fn builds_live_updates_and_catalogue_errors_show_in_metrics() {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| config.watch = Some(Duration::from_millis(30)),
    );
    app.state
        .start_publisher(Duration::from_millis(30))
        .await
        .expect("the publisher starts");
    let started = scrape(&app).await;
    let full = [("kind", "full")];
    assert_eq!(
        value(&started, "comptoir_build_duration_seconds_count", &full),
        1.0
    );
    assert_eq!(
        value(&started, "comptoir_publish_duration_seconds_count", &full),
        1.0
    );

    let file = app
        .content
        .join("shops/fromagerie-des-ecoles/products/comte-18-mois.md");
    let text = std::fs::read_to_string(&file).expect("product file");
    std::fs::write(&file, text.replace("price = \"6.90\"", "price = \"7.20\"")).expect("edit");
    let update = [("kind", "update")];
    until(&app, "the update is timed", |m| {
        value(m, "comptoir_build_duration_seconds_count", &update) == 1.0
            && value(m, "comptoir_publish_duration_seconds_count", &update) == 1.0
    })
    .await;

    std::fs::write(&file, "+++\nid = \"ecoles-comte-18\"\nprice = \n+++\n").expect("break");
    until(&app, "the broken file is counted", |m| {
        value(m, "comptoir_catalogue_errors", &[]) >= 1.0
    })
    .await;
}

/// Scrapes until `check` holds, for at most ten seconds.
async fn until(app: &TestApp, what: &str, check: impl Fn(&BTreeMap<String, f64>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let series = scrape(app).await;
        if check(&series) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still not true after 10 s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
