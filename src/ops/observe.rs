//! The middleware every request goes through once: counted and timed in [`super::Metrics`],
//! logged in one line, and counted as a visit when it is one ([`super::visits`]).
//!
//! A request is named by its route, never its URL: the router's pattern when a route
//! matched (`/commande/suivi/{token}`, so a tracking token never reaches a log), else the
//! kind of file of the build that was asked for ([`file_route`]). Query strings (what
//! shoppers searched for) are neither logged nor counted. The time is the time to the
//! response's head; a file's body streams afterwards.

use super::visits::{self, PageKind};
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// The `target` of request log lines, to filter them (`RUST_LOG=comptoir::access=off`).
pub const ACCESS_LOG: &str = "comptoir::access";

/// Counts, times and logs a request; counts a visit of an HTML page.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => file_route(request.uri().path()).to_owned(),
    };
    let visit = visits::candidate(request.method(), request.uri().path(), request.headers());
    let response = next.run(request).await;
    let took = started.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&route, method, status, took);
    if let Some(kind) = visit
        && is_html_page(&response)
    {
        count_visit(&state, kind);
    }
    tracing::info!(
        target: ACCESS_LOG,
        method,
        route,
        status,
        latency_ms = took.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

fn count_visit(state: &AppState, kind: PageKind) {
    state.visits.record(crate::config::today(), kind);
    state.metrics.visit(kind.as_str());
}

/// A 200 whose body is an HTML page.
fn is_html_page(response: &Response) -> bool {
    response.status() == axum::http::StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

/// The method as a label: the usual ones, every other method as `other`, so a client
/// inventing methods cannot add series.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 7] = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::DELETE, "DELETE"),
        (Method::PATCH, "PATCH"),
        (Method::OPTIONS, "OPTIONS"),
    ];
    KNOWN
        .iter()
        .find(|(m, _)| m == method)
        .map_or("other", |(_, label)| label)
}

/// The label of a request no route matched, by the kind of file of the build it asks
/// for: `page`, `asset`, `image`, `sitemap`, `robots`, `feed`, or `other` (a file with
/// another extension, such as a probe for `/wp-login.php`).
#[must_use]
pub fn file_route(path: &str) -> &'static str {
    let last = path.rsplit('/').next().unwrap_or_default();
    let extension = last.rsplit_once('.').map(|(_, e)| e);
    if path.starts_with("/assets/") {
        "asset"
    } else if path.starts_with("/images/") {
        "image"
    } else if path.starts_with("/feeds/") {
        "feed"
    } else if last.starts_with("sitemap") {
        "sitemap"
    } else if path == "/robots.txt" {
        "robots"
    } else if matches!(extension, None | Some("html")) {
        "page"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_labelled_by_kind() {
        for (path, label) in [
            ("/", "page"),
            ("/boutiques/fromagerie/comte/", "page"),
            ("/rayons/mode", "page"),
            ("/boutiques/x/page-2.html", "page"),
            ("/assets/site.0a1b.css", "asset"),
            ("/images/comte-800.jpg", "image"),
            ("/sitemap.xml", "sitemap"),
            ("/sitemap-products-2.xml.gz", "sitemap"),
            ("/robots.txt", "robots"),
            ("/feeds/google-merchant.xml", "feed"),
            ("/wp-login.php", "other"),
            ("/.env", "other"),
        ] {
            assert_eq!(file_route(path), label, "{path}");
        }
    }

    #[test]
    fn unusual_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(
            method_label(&Method::from_bytes(b"PROPFIND").expect("method")),
            "other"
        );
    }
}
