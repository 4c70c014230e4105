//! The live catalogue: edits of `content/` reach the served site without a full rebuild,
//! and give the same site a full build would.

use crate::helpers::{TestApp, copy_dir, fixtures, json_ld_of};
use comptoir_indexer::live::LiveSite;
use comptoir_indexer::live::change::{Change, Kind, subject};
use comptoir_indexer::model::StockLevels;
use comptoir_indexer::search::tantivy::{self, TantivyDocument, schema::Value as _};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The changes `paths` (relative to `content`) made, as the watcher would report them.
fn changes(content: &Path, paths: &[&str]) -> Vec<Change> {
    paths
        .iter()
        .map(|p| Change {
            subject: subject(Path::new(p)).expect("a catalogue file"),
            kind: if content.join(p).exists() {
                Kind::Changed
            } else {
                Kind::Removed
            },
            path: PathBuf::from(p),
        })
        .collect()
}

/// Replaces the line starting with `key =` in a product file's front matter.
fn set_field(file: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(file).expect("product file");
    let mut done = false;
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            if !done && line.starts_with(&format!("{key} =")) {
                done = true;
                format!("{key} = {value}")
            } else {
                line.to_owned()
            }
        })
        .collect();
    assert!(done, "{key} in {}", file.display());
    fs::write(file, edited.join("\n") + "\n").expect("write product");
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("read file");
                out.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    out
}

/// The ids of the live documents of the index in `build`.
fn indexed_ids(build: &Path) -> BTreeSet<String> {
    let (index, fields) =
        comptoir_indexer::search::open(&build.join("index")).expect("the index opens");
    let searcher = index.reader().expect("reader").searcher();
    let docs = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("all documents");
    docs.into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).expect("stored document");
            doc.get_first(fields.id)
                .and_then(|v| v.as_str())
                .expect("an id")
                .to_owned()
        })
        .collect()
}

/// The product files of a generated shop, sorted.
fn product_files(content: &Path, shop: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(content.join("shops").join(shop).join("products"))
        .expect("products")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| format!("shops/{shop}/products/{n}"))
        .collect()
}

#[test]
fn incremental_updates_give_the_same_site_as_a_full_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (content, data) = (dir.path().join("content"), dir.path().join("data"));
    comptoir_indexer::synthetic::write(
        &content,
        &comptoir_indexer::synthetic::Options {
            shops: 3,
            products: 180,
            seed: 5,
        },
    )
    .expect("generate");
    let options = comptoir::live::options(&content, &data);
    let (mut live, report) =
        LiveSite::start(options.clone(), StockLevels::new()).expect("the catalogue builds");
    assert!(report.is_some(), "a full build at start");
    let shop = live.catalogue().shops[0].slug.clone();
    let other_shop = live.catalogue().shops[1].slug.clone();
    let files_of_shop = product_files(&content, &shop);
    assert!(
        files_of_shop.len() > 48,
        "the shop's listing has several pages"
    );
    let file = |i: usize| files_of_shop[i].clone();
    let mut apply = |paths: &[&str]| {
        live.apply(&changes(&content, paths))
            .expect("the update is written")
    };

    set_field(&content.join(file(0)), "price", "\"123.45\"");
    let update = apply(&[&file(0)]).expect("a new price changes the site");
    assert!(!update.full, "one product is updated in place");
    assert!(
        update.urls.iter().any(|u| u.starts_with("/boutiques/")),
        "{:?}",
        update.urls
    );

    set_field(&content.join(file(40)), "title", "\"Aaa tout premier\"");
    apply(&[&file(40)]).expect("a new title moves the product in its listings");
    set_field(&content.join(file(41)), "title", "\"Mmm au milieu\"");
    apply(&[&file(41)]).expect("a new title moves the product across pages");

    let new_file = format!("shops/{shop}/products/zz-nouveau.md");
    let text = fs::read_to_string(content.join(file(1)))
        .expect("a product")
        .replacen("id = \"", "id = \"nouveau-", 1);
    fs::write(content.join(&new_file), text).expect("write a new product");
    apply(&[&new_file]).expect("a new product");

    fs::remove_file(content.join(file(2))).expect("remove a product");
    apply(&[&file(2)]).expect("a removed product");

    let renamed = format!("shops/{shop}/products/renomme.md");
    fs::rename(content.join(file(3)), content.join(&renamed)).expect("rename a product");
    apply(&[&file(3), &renamed]).expect("a renamed product");

    // A new picture (a full build: every page may show it), then a product that uses
    // it (in place): its resized variants must be in the build like any other's.
    let picture = format!("shops/{shop}/images/nouvelle-photo.jpg");
    fs::copy(
        content.join(format!("shops/{shop}/images/photo-0.jpg")),
        content.join(&picture),
    )
    .expect("copy a picture");
    let update = apply(&[&picture]).expect("a new picture");
    assert!(update.full, "a picture change takes a full build");
    set_field(&content.join(file(7)), "images", "[\"nouvelle-photo.jpg\"]");
    let update = apply(&[&file(7)]).expect("a product with the new picture");
    assert!(!update.full, "one product is updated in place");

    let moved = product_files(&content, &other_shop)[0].clone();
    set_field(&content.join(&moved), "category", "\"livres\"");
    apply(&[&moved]).expect("a product moved to another aisle");

    fs::write(
        content.join(file(5)),
        fs::read_to_string(content.join(file(5)))
            .expect("product")
            .replacen("+++\n", "+++\npublished = false\n", 1),
    )
    .expect("unpublish");
    apply(&[&file(5)]).expect("an unpublished product");

    let good = fs::read_to_string(content.join(file(6))).expect("product");
    set_field(&content.join(file(6)), "weight", "\"lourd\"");
    assert!(
        apply(&[&file(6)]).is_none(),
        "a broken file changes nothing on the site"
    );
    let reported: Vec<_> = live.errors().keys().cloned().collect();
    assert_eq!(reported, vec![PathBuf::from(file(6))]);
    fs::write(
        content.join(file(6)),
        good.replace("weight = ", "weight = 1"),
    )
    .expect("fix");
    live.apply(&changes(&content, &[&file(6)]))
        .expect("the update is written")
        .expect("the fixed file is published");
    assert!(live.errors().is_empty(), "fixing the file clears its error");

    let sold_out = live
        .catalogue()
        .products
        .iter()
        .find(|p| p.published && p.variants.is_empty() && p.stock > 0)
        .map(|p| p.id.clone())
        .expect("a product in stock");
    let levels = StockLevels::from([(sold_out.clone(), 0)]);
    live.set_stock(levels.clone())
        .expect("written")
        .expect("a product sold out is rendered again");
    live.snapshot().write().expect("persisted");

    let incremental = live.build().to_path_buf();
    let full = comptoir_indexer::pipeline::build(&comptoir_indexer::pipeline::BuildOptions {
        content: &content,
        data: &data,
        assets: &options.assets,
        today: (options.today)(),
        precompress_pages: false,
        stock: Some(&levels),
    })
    .expect("the final catalogue builds");
    assert_ne!(full.build, incremental);

    let (a, b) = (
        files(&incremental.join("site")),
        files(&full.build.join("site")),
    );
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "same files: only incremental {only_a:?}, only full {only_b:?}"
    );
    let differing: Vec<_> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(differing.is_empty(), "files differ: {differing:?}");
    for name in ["redirects.tsv", "gone.txt", "moved.tsv", "paths.tsv"] {
        assert_eq!(
            fs::read_to_string(incremental.join(name)).expect(name),
            fs::read_to_string(full.build.join(name)).expect(name),
            "{name}"
        );
    }
    assert_eq!(indexed_ids(&incremental), indexed_ids(&full.build));
    let gone = fs::read_to_string(full.build.join("gone.txt")).expect("gone");
    assert_eq!(
        gone.lines().count(),
        2,
        "the removed and the unpublished product: {gone}"
    );
    let moved_paths = fs::read_to_string(full.build.join("moved.tsv")).expect("moved");
    assert!(
        moved_paths.contains("/renomme/"),
        "the renamed product's old path: {moved_paths}"
    );
}

/// Polls `check` through the router until it holds, for at most ten seconds.
async fn until(app: &TestApp, what: &str, check: impl AsyncFn(&TestApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check(app).await {
        if Instant::now() > deadline {
            let health = app.get("/healthz").await.text();
            panic!("still not true after 10 s: {what} (healthz: {health})");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The search fixture, served by a server that watches its content folder.
async fn watching_app() -> TestApp {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("search"), content),
        |config| config.watch = Some(Duration::from_millis(30)),
    );
    app.state
        .start_publisher(Duration::from_millis(30))
        .await
        .expect("the publisher starts");
    app
}

const CROISSANT: &str = "shops/aux-bles-d-or/products/croissant.md";
const CROISSANT_PAGE: &str = "/boutiques/aux-bles-d-or/croissant/";

async fn json(app: &TestApp, path: &str) -> serde_json::Value {
    serde_json::from_slice(&app.get(path).await.body).expect("JSON")
}

#[tokio::test]
async fn a_watching_server_follows_edits_of_the_catalogue() {
    let app = watching_app().await;
    let page = app.get(CROISSANT_PAGE).await;
    assert_eq!(
        json_ld_of(&page.html(), "Product")["offers"]["price"],
        "1.10"
    );

    // A new price: the page, its JSON-LD, the results page and the API.
    set_field(&app.content.join(CROISSANT), "price", "\"1.35\"");
    until(&app, "the page shows the new price", async |app| {
        let page = app.get(CROISSANT_PAGE).await;
        json_ld_of(&page.html(), "Product")["offers"]["price"] == "1.35"
    })
    .await;
    assert!(app.get(CROISSANT_PAGE).await.text().contains("1,35"));
    // Files are replaced one by one, then the search index and the catalogue at once.
    until(&app, "the API shows the new price", async |app| {
        json(app, "/api/search?q=croissant").await["hits"][0]["price"]["cents"] == 135
    })
    .await;
    assert!(
        app.get("/recherche?q=croissant")
            .await
            .text()
            .contains("1,35")
    );

    // A new product: its page, its aisle, the sitemap, the search.
    let chouquette = "shops/aux-bles-d-or/products/chouquettes.md";
    fs::write(
        app.content.join(chouquette),
        "+++\nid = \"aux-bles-d-or-chouquettes\"\ntitle = \"Chouquettes au sucre perlé\"\n\
         price = \"2.40\"\ncategory = \"boulangerie\"\nweight = 200\nstock = 12\n\
         images = [\"produit.jpg\"]\nupdated = 2026-10-01\n+++\nLe sachet de douze chouquettes.\n",
    )
    .expect("write a product");
    until(&app, "the new product is online", async |app| {
        app.get("/boutiques/aux-bles-d-or/chouquettes/")
            .await
            .status
            == 200
    })
    .await;
    until(&app, "the new product is in its aisle", async |app| {
        app.get("/rayons/alimentation/boulangerie/")
            .await
            .text()
            .contains("Chouquettes au sucre perlé")
    })
    .await;
    until(&app, "the new product is in the sitemap", async |app| {
        app.get("/sitemap-products-1.xml")
            .await
            .text()
            .contains("/boutiques/aux-bles-d-or/chouquettes/")
    })
    .await;
    until(&app, "the search finds the new product", async |app| {
        json(app, "/api/search?q=chouquette").await["total"] == 1
    })
    .await;

    // Removed: 410, out of the sitemap and the search.
    fs::remove_file(app.content.join(chouquette)).expect("remove");
    until(&app, "the removed product answers 410", async |app| {
        app.get("/boutiques/aux-bles-d-or/chouquettes/")
            .await
            .status
            == 410
    })
    .await;
    until(
        &app,
        "the removed product leaves the sitemap",
        async |app| {
            !app.get("/sitemap-products-1.xml")
                .await
                .text()
                .contains("chouquettes")
        },
    )
    .await;
    until(
        &app,
        "the search forgets the removed product",
        async |app| json(app, "/api/search?q=chouquette").await["total"] == 0,
    )
    .await;

    // Renamed (a new slug): the old path answers 301 to the new one.
    let file = app.content.join(CROISSANT);
    let text = fs::read_to_string(&file).expect("product");
    fs::write(
        &file,
        text.replacen("+++\n", "+++\nslug = \"croissant-au-beurre\"\n", 1),
    )
    .expect("new slug");
    until(&app, "the old path redirects", async |app| {
        let old = app.get(CROISSANT_PAGE).await;
        old.status == 301
            && old.header("location") == "/boutiques/aux-bles-d-or/croissant-au-beurre/"
    })
    .await;

    // Broken: the last good version stays, the error is reported; fixed: recovered.
    let new_page = "/boutiques/aux-bles-d-or/croissant-au-beurre/";
    let good = fs::read_to_string(app.content.join(CROISSANT)).expect("product");
    set_field(&app.content.join(CROISSANT), "price", "\"un euro\"");
    until(&app, "the error is reported", async |app| {
        json(app, "/healthz").await["catalogue_errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    })
    .await;
    let health = json(&app, "/healthz").await;
    let error = &health["catalogue_errors"][0];
    assert_eq!(error["path"], CROISSANT, "{health}");
    assert!(error["line"].as_u64().is_some(), "{health}");
    let served = app.get(new_page).await;
    assert_eq!(served.status, 200);
    assert_eq!(
        json_ld_of(&served.html(), "Product")["offers"]["price"],
        "1.35"
    );
    fs::write(app.content.join(CROISSANT), good.replace("1.35", "1.50")).expect("fix");
    until(&app, "the fixed file is published", async |app| {
        json_ld_of(&app.get(new_page).await.html(), "Product")["offers"]["price"] == "1.50"
    })
    .await;
    until(&app, "the error is cleared", async |app| {
        json(app, "/healthz").await["catalogue_errors"] == serde_json::json!([])
    })
    .await;
}

#[tokio::test]
async fn stock_crossing_zero_renders_the_product_again() {
    let app = watching_app().await;
    let db = app.state.db().await.expect("database");
    let sku = "aux-bles-d-or-croissant";
    comptoir::stock::set(db, sku, 0).await.expect("sold out");
    comptoir::live::stock_changed(&app.state, vec![sku.to_owned()]).await;
    until(&app, "the page says sold out", async |app| {
        let page = app.get(CROISSANT_PAGE).await;
        json_ld_of(&page.html(), "Product")["offers"]["availability"]
            == "https://schema.org/OutOfStock"
    })
    .await;
    assert!(app.get(CROISSANT_PAGE).await.text().contains("Épuisé"));
    until(&app, "the search says sold out", async |app| {
        json(app, "/api/search?q=croissant").await["hits"][0]["in_stock"] == false
    })
    .await;

    comptoir::stock::set(db, sku, 8).await.expect("restocked");
    comptoir::live::stock_changed(&app.state, vec![sku.to_owned()]).await;
    until(&app, "the page says in stock again", async |app| {
        let page = app.get(CROISSANT_PAGE).await;
        json_ld_of(&page.html(), "Product")["offers"]["availability"]
            == "https://schema.org/InStock"
    })
    .await;
}
