//! Serving the published build: redirects, conditional GET, HEAD, compression, caching,
//! security headers, 404s, and no way out of the build folder.

use crate::helpers::TestApp;
use axum::http::{Method, StatusCode};
use std::io::Read;

const PRODUCT: &str = "/boutiques/fromagerie-des-ecoles/comte-18-mois/";

#[tokio::test]
async fn aliases_and_directory_paths_answer_301_to_the_canonical_url() {
    let app = TestApp::new();
    let alias = app.get("/boutiques/boulangerie-du-parc/baguette/").await;
    assert_eq!(alias.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        alias.header("location"),
        "/boutiques/boulangerie-du-parc/baguette-tradition/"
    );
    let bare = app.get("/boutiques/boulangerie-du-parc").await;
    assert_eq!(
        (bare.status, bare.header("location")),
        (
            StatusCode::MOVED_PERMANENTLY,
            "/boutiques/boulangerie-du-parc/"
        )
    );
}

#[tokio::test]
async fn conditional_requests_get_304() {
    let app = TestApp::new();
    let first = app.get(PRODUCT).await;
    assert_eq!(first.status, StatusCode::OK);
    let (etag, modified) = (
        first.header("etag").to_owned(),
        first.header("last-modified").to_owned(),
    );
    assert!(etag.starts_with('"') && !modified.is_empty());
    let by_etag = app
        .request(Method::GET, PRODUCT, &[("if-none-match", &etag)])
        .await;
    assert_eq!(by_etag.status, StatusCode::NOT_MODIFIED);
    assert!(by_etag.body.is_empty());
    assert_eq!(by_etag.header("etag"), etag);
    let by_date = app
        .request(Method::GET, PRODUCT, &[("if-modified-since", &modified)])
        .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);
    let stale = app
        .request(Method::GET, PRODUCT, &[("if-none-match", "\"other\"")])
        .await;
    assert_eq!(stale.status, StatusCode::OK);
    let old_date = app
        .request(
            Method::GET,
            PRODUCT,
            &[("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")],
        )
        .await;
    assert_eq!(old_date.status, StatusCode::OK);
}

#[tokio::test]
async fn head_answers_headers_without_a_body() {
    let app = TestApp::new();
    let get = app.get(PRODUCT).await;
    let head = app.request(Method::HEAD, PRODUCT, &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.body.len().to_string());
    assert_eq!(head.header("etag"), get.header("etag"));
    let post = app.request(Method::POST, PRODUCT, &[]).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn brotli_and_gzip_are_chosen_by_accept_encoding() {
    let app = TestApp::new();
    let plain = app.get(PRODUCT).await;
    assert_eq!(plain.header("content-encoding"), "");
    assert_eq!(plain.header("vary"), "accept-encoding");
    let br = app
        .request(
            Method::GET,
            PRODUCT,
            &[("accept-encoding", "gzip, deflate, br")],
        )
        .await;
    assert_eq!(br.header("content-encoding"), "br");
    let mut decoded = Vec::new();
    brotli::Decompressor::new(br.body.as_slice(), 4096)
        .read_to_end(&mut decoded)
        .expect("valid brotli");
    assert_eq!(decoded, plain.body);
    let gz = app
        .request(Method::GET, PRODUCT, &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(gz.body.as_slice())
        .read_to_end(&mut decoded)
        .expect("valid gzip");
    assert_eq!(decoded, plain.body);
    assert_ne!(
        gz.header("etag"),
        plain.header("etag"),
        "each encoding has its own validator"
    );
    let refused = app
        .request(
            Method::GET,
            PRODUCT,
            &[("accept-encoding", "br;q=0, gzip;q=0")],
        )
        .await;
    assert_eq!(refused.header("content-encoding"), "");
}

#[tokio::test]
async fn cache_control_is_immutable_for_fingerprinted_assets_and_short_for_html() {
    let app = TestApp::new();
    let html = app.get("/").await;
    assert!(html.header("cache-control").contains("max-age=60"));
    let page = html.html();
    let css = crate::helpers::attr(&page, r#"link[rel="stylesheet"]"#, "href").expect("stylesheet");
    assert!(
        css.starts_with("/assets/style.")
            && css.ends_with(".css")
            && css.len() > "/assets/style..css".len() + 7,
        "{css}"
    );
    let asset = app.get(&css).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.header("content-type"), "text/css; charset=utf-8");
    assert_eq!(
        asset.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::new();
    for path in ["/", PRODUCT, "/nulle-part/", "/healthz"] {
        let response = app.get(path).await;
        let csp = response.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_get_the_404_page_with_status_404() {
    let app = TestApp::new();
    let missing = app
        .get("/boutiques/boulangerie-du-parc/gateau-imaginaire/")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header("content-type").starts_with("text/html"));
    assert!(missing.text().contains("Page introuvable"));
    assert_eq!(
        app.get("/404.html").await.status,
        StatusCode::NOT_FOUND,
        "the 404 page has no URL of its own"
    );
    assert_eq!(
        app.get("/boutiques/boulangerie-du-parc/flan-patissier/")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "unpublished"
    );
}

#[tokio::test]
async fn paths_that_try_to_leave_the_build_get_404() {
    let app = TestApp::new();
    std::fs::write(app.data.join("secret.txt"), "secret").expect("write a file outside the site");
    let attempts = [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/boutiques/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%00",
        "/.%2e/.%2e/redirects.tsv",
        "/../redirects.tsv",
        "/index.html.br",
        "/%zz",
    ];
    for attempt in attempts {
        let response = app.get(attempt).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{attempt}");
        assert!(!response.text().contains("secret"), "{attempt}");
    }
}

#[tokio::test]
async fn healthz_names_the_live_build() {
    let app = TestApp::new();
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&health.body).expect("JSON");
    assert_eq!(body["status"], "ok");
    let unbuilt = TestApp::unbuilt(|content| {
        crate::helpers::copy_dir(&crate::helpers::fixtures().join("valid"), content)
    });
    assert_eq!(
        unbuilt.get("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        unbuilt.get("/").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn pages_can_be_precompressed_for_static_hosts() {
    let app = TestApp::unbuilt(|content| {
        crate::helpers::copy_dir(&crate::helpers::fixtures().join("valid"), content)
    });
    app.build().expect("build");
    let page = app
        .site()
        .join("boutiques/fromagerie-des-ecoles/comte-18-mois/index.html");
    assert!(
        !page.with_extension("html.br").exists(),
        "by default the server compresses pages itself"
    );
    assert!(app.site().join("sitemap.xml.gz").exists() && app.site().join("robots.txt").exists());
    app.build_with(true).expect("build with copies");
    let page = app
        .site()
        .join("boutiques/fromagerie-des-ecoles/comte-18-mois/index.html");
    assert!(page.with_extension("html.br").is_file() && page.with_extension("html.gz").is_file());
    let br = app
        .request(Method::GET, PRODUCT, &[("accept-encoding", "br")])
        .await;
    let copy = std::fs::read(page.with_extension("html.br")).expect("read copy");
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, copy, "the copy is sent as is");
}
