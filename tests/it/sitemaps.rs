//! Sitemaps validate against the sitemaps.org and Google image schemas, list exactly the
//! canonical URLs of the site, and robots.txt points to them.

use crate::helpers::{TestApp, attr};
use axum::http::StatusCode;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn xsd(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/testdata/xsd")
        .join(name)
}

/// Validates `xml` against `schema` with xmllint; `None` when xmllint or the schema is absent.
fn xmllint(xml: &[u8], schema: &Path) -> Option<Result<(), String>> {
    if !schema.is_file() {
        eprintln!("SKIPPED schema check: {} not found", schema.display());
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("sitemap.xml");
    std::fs::write(&file, xml).ok()?;
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(&file)
        .output();
    match output {
        Err(_) => {
            eprintln!(
                "SKIPPED schema check: xmllint is not installed (apt-get install libxml2-utils)"
            );
            None
        }
        Ok(out) if out.status.success() => Some(Ok(())),
        Ok(out) => Some(Err(String::from_utf8_lossy(&out.stderr).into_owned())),
    }
}

fn locs(xml: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(xml);
    let selector = scraper::Selector::parse("loc").expect("selector");
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[tokio::test]
async fn sitemaps_validate_and_list_exactly_the_canonical_urls() {
    let app = TestApp::new();
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.header("content-type").starts_with("application/xml"));
    if let Some(result) = xmllint(&index.body, &xsd("siteindex.xsd")) {
        result.expect("sitemap.xml validates against siteindex.xsd");
    }
    let mut listed = BTreeSet::new();
    for child in locs(&index.text()) {
        let path = child.trim_start_matches("https://www.exemple-ville.fr");
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{child}");
        if let Some(result) = xmllint(&response.body, &xsd("sitemap-with-image.xsd")) {
            result.unwrap_or_else(|e| {
                panic!("{child} validates against sitemap-with-image.xsd: {e}")
            });
        }
        let gz = app.get(&format!("{path}.gz")).await;
        assert_eq!(
            (gz.status, gz.header("content-type")),
            (StatusCode::OK, "application/gzip"),
            "{path}.gz"
        );
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(gz.body.as_slice()),
            &mut unzipped,
        )
        .expect("gzip");
        assert_eq!(unzipped, response.body, "{path}.gz is the same sitemap");
        let text = response.text();
        for loc in locs(&text).into_iter().filter(|l| !l.contains("/images/")) {
            assert!(listed.insert(loc.clone()), "{loc} listed twice");
        }
    }
    assert_eq!(
        listed,
        canonical_urls(&app.site()),
        "the sitemaps list exactly the canonical URLs of the pages"
    );
}

/// The canonical URL of every HTML page of the build (except the 404 page).
fn canonical_urls(site: &Path) -> BTreeSet<String> {
    let mut urls = BTreeSet::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read build").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && !path.ends_with("404.html")
                && !path.ends_with("410.html")
            {
                let html = scraper::Html::parse_document(
                    &std::fs::read_to_string(&path).expect("read page"),
                );
                urls.insert(
                    attr(&html, r#"link[rel="canonical"]"#, "href")
                        .expect("every page has a canonical"),
                );
            }
        }
    }
    urls
}

#[tokio::test]
async fn products_carry_their_images_and_lastmod_from_content() {
    let app = TestApp::new();
    let xml = app.get("/sitemap-products-1.xml").await.text();
    let block = xml
        .split("<url>")
        .find(|b| b.contains("/comte-18-mois/"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        block.contains("<lastmod>2026-08-20"),
        "lastmod is the product's updated date, not the build time: {block}"
    );
    assert!(
        block.contains(
            "<image:loc>https://www.exemple-ville.fr/images/fromagerie-des-ecoles/comte-"
        ),
        "{block}"
    );
    assert!(
        !xml.contains("/flan-patissier/"),
        "unpublished products are not listed"
    );
    assert!(!xml.contains("/baguette/<"), "aliases are not listed");
}

#[tokio::test]
async fn robots_txt_points_to_the_sitemap_and_hides_private_pages() {
    let app = TestApp::new();
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.header("content-type").starts_with("text/plain"));
    let text = robots.text();
    assert!(text.contains("Sitemap: https://www.exemple-ville.fr/sitemap.xml"));
    for private in [
        "/panier",
        "/commande",
        "/espace-commercant/",
        "/admin/",
        "/recherche?*&",
    ] {
        assert!(
            text.lines().any(|l| l == format!("Disallow: {private}")),
            "robots.txt disallows {private}"
        );
    }
}
