//! Publishing is atomic: a new build replaces the live one in one step, and a build killed
//! midway (kill -9) leaves the old site serving.

use crate::helpers::{TestApp, copy_dir, fixtures};
use axum::http::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_new_build_is_served_without_a_restart() {
    let app = TestApp::new();
    let path = "/boutiques/fromagerie-des-ecoles/comte-18-mois/";
    assert!(app.get(path).await.text().contains("6,90"));
    let file = app
        .content
        .join("shops/fromagerie-des-ecoles/products/comte-18-mois.md");
    let text = std::fs::read_to_string(&file)
        .expect("read")
        .replace("price = \"6.90\"", "price = \"7.40\"");
    std::fs::write(&file, text).expect("write");
    app.build().expect("rebuild");
    let page = app.get(path).await.text();
    assert!(
        page.contains("7,40") && !page.contains("6,90"),
        "the running server serves the new build"
    );
}

#[tokio::test]
async fn a_build_killed_midway_leaves_the_old_site_serving() {
    let app = TestApp::with_content(|content| copy_dir(&fixtures().join("valid"), content));
    let live_before = std::fs::read_link(app.data.join("current")).expect("a live build");
    let big = app.content.parent().expect("temp dir").join("big");
    let options = comptoir_indexer::synthetic::Options {
        shops: 4,
        products: 4000,
        seed: 3,
    };
    comptoir_indexer::synthetic::write(&big, &options).expect("big catalogue");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args(["build", "--content"])
        .arg(&big)
        .arg("--data")
        .arg(&app.data)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start comptoir build");
    let builds = app.data.join("builds");
    let deadline = Instant::now() + Duration::from_secs(60);
    let staging = loop {
        let found = std::fs::read_dir(&builds).ok().and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(".staging-"))
                    && p.join("site/boutiques").is_dir()
            })
        });
        if let Some(found) = found {
            break found;
        }
        assert!(Instant::now() < deadline, "the build never started writing");
        assert!(
            child.try_wait().expect("poll child").is_none(),
            "the build finished before it could be killed"
        );
        std::thread::yield_now();
    };
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    assert!(
        staging.exists(),
        "the half-written build was left unpublished"
    );
    assert_eq!(
        std::fs::read_link(app.data.join("current")).expect("still live"),
        live_before
    );
    let page = app
        .get("/boutiques/fromagerie-des-ecoles/comte-18-mois/")
        .await;
    assert_eq!(page.status, StatusCode::OK, "the old site is still served");
    app.build().expect("the next build succeeds");
    assert!(!staging.exists(), "the next build cleans up the killed one");
}
