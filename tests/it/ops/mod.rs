//! Operations: `/metrics` (who may read it, that it is valid exposition text whose
//! counters follow the requests), visits per day (people's page views only, flushed and
//! read back), and request logs as JSON.
//!
//! `exposition` reads the Prometheus text format strictly; the helpers here send requests
//! as the real server receives them (with the peer's address) and with user agents.

mod exposition;
mod logs;
mod metrics;
mod visits;

use crate::helpers::{TestApp, TestResponse, copy_dir, fixtures};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use std::collections::BTreeMap;
use std::net::SocketAddr;

pub const PRODUCT: &str = "/boutiques/fromagerie-des-ecoles/comte-18-mois/";
pub const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
pub const LOOPBACK: [u8; 4] = [127, 0, 0, 1];

/// The `valid` fixture, with `/metrics` behind `token` when given.
pub fn app_with_token(token: Option<&str>) -> TestApp {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| config.metrics_token = token.map(comptoir::config::Secret::new),
    );
    app.build().expect("the fixture builds");
    app
}

/// `GET path` from `peer`, as the real server sees it (it records the peer's address).
pub async fn get_from(
    app: &TestApp,
    path: &str,
    peer: [u8; 4],
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut builder = Request::builder().uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 50_000))));
    app.send(request).await
}

/// `GET`/`HEAD path` with `agent` as the user agent (`None`: no such header).
pub async fn browse(
    app: &TestApp,
    method: Method,
    path: &str,
    agent: Option<&str>,
) -> TestResponse {
    let headers: Vec<(&str, &str)> = agent.map(|a| ("user-agent", a)).into_iter().collect();
    app.request(method, path, &headers).await
}

/// `/metrics` read from the loopback interface, parsed.
pub async fn scrape(app: &TestApp) -> BTreeMap<String, f64> {
    let answer = get_from(app, "/metrics", LOOPBACK, &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    exposition::parse(&answer.text())
}
