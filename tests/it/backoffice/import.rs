//! Catalogue import over HTTP: a Shopify export uploaded, previewed (products and row
//! errors, nothing written), confirmed (files written, products offline until the merchant
//! gives them a photo, then online), imported again
//! (nothing duplicated; a changed price updates the product), and never reachable from
//! another shop.

use super::{CHEESE, CLOTHES, MerchantClient, Part, edit, until, watching_app};
use crate::helpers::{TestApp, texts};
use axum::http::StatusCode;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TEMPLATE: &str = "shopify/product_template_2023_legacy_headers.csv";

fn export(name: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/imports");
    std::fs::read(dir.join(name)).expect("test data file")
}

fn products_dir(app: &TestApp) -> PathBuf {
    app.content.join("shops").join(CLOTHES).join("products")
}

fn product_files(app: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(products_dir(app))
        .expect("products folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

/// Uploads `bytes` as `name` into aisle `vetements`; returns the preview's path.
async fn upload(merchant: &mut MerchantClient<'_>, name: &str, bytes: Vec<u8>) -> String {
    let answer = merchant
        .post_multipart(
            "/espace-commercant/import",
            vec![
                Part::file("fichiers", name, "text/csv", bytes),
                Part::text("rayon", "vetements"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    answer.header("location").to_owned()
}

/// The preview's product rows as (title, action) and its row errors' line numbers.
async fn preview(
    merchant: &mut MerchantClient<'_>,
    path: &str,
) -> (Vec<(String, String)>, Vec<String>) {
    let page = merchant.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.html();
    let titles = texts(&html, "table.import-items tbody td:nth-child(2)");
    let actions = texts(&html, "table.import-items tbody td:nth-child(3)");
    let lines = texts(&html, "table.import-errors tbody td:nth-child(1)");
    (titles.into_iter().zip(actions).collect(), lines)
}

/// Waits until the back-office's catalogue (the stock page) lists `sku`.
async fn in_back_office(merchant: &mut MerchantClient<'_>, sku: &str) {
    seen_in_back_office(merchant, "/espace-commercant/stock", sku).await;
}

/// Waits until the back-office's page `path` says `text`.
async fn seen_in_back_office(merchant: &mut MerchantClient<'_>, path: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !merchant.get(path).await.text().contains(text) {
        assert!(Instant::now() < deadline, "{path} never said {text:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_export_is_previewed_then_imported_then_updated_without_duplicates() {
    let app = watching_app().await;
    let before = product_files(&app);
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let form = merchant.get("/espace-commercant/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("photos ne sont pas importées"));

    let path = upload(&mut merchant, "produits.csv", export(TEMPLATE)).await;
    let (items, errors) = preview(&mut merchant, &path).await;
    let expected = [
        (
            "Example T-Shirt (hors ligne jusqu’à sa première photo)",
            "à créer",
        ),
        (
            "Example Jeans (hors ligne jusqu’à sa première photo)",
            "à créer",
        ),
        (
            "Example Beanie (hors ligne jusqu’à sa première photo)",
            "à créer",
        ),
    ];
    let items_ref: Vec<(&str, &str)> = items
        .iter()
        .map(|(t, a)| (t.as_str(), a.as_str()))
        .collect();
    assert_eq!(items_ref, expected);
    assert_eq!(errors.len(), 14, "one per bad barcode: {errors:?}");
    assert_eq!(errors[0], "2");
    assert_eq!(
        product_files(&app),
        before,
        "nothing is written by the preview"
    );

    // Another shop's merchant cannot see nor confirm this upload.
    let mut other = MerchantClient::login(&app, CHEESE).await;
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.post(&path, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(product_files(&app), before);

    let done = merchant.post(&path, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(
        done.text().contains("3 produit(s) créé(s)"),
        "{}",
        done.text()
    );
    let shirt_file = products_dir(&app).join("example-shirt.md");
    let text = std::fs::read_to_string(&shirt_file).expect("the shirt's file");
    assert!(
        text.contains("sku = \"SRT_COT_111\"") && text.contains("category = \"vetements\""),
        "{text}"
    );
    assert!(
        text.contains("published = false"),
        "without a photo the shirt waits offline: {text}"
    );
    in_back_office(&mut merchant, "SRT_COT_111").await;
    assert_eq!(
        app.get("/boutiques/boutique-marguerite/example-shirt/")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a product without a photo is not on the site"
    );

    // One tap cannot put it online without a photo; the merchant is told why.
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("the shirt's id");
    let refused = merchant
        .post(
            &format!("/espace-commercant/produits/{id}/publication"),
            &[("en_ligne", "1")],
        )
        .await;
    assert!(
        refused
            .text()
            .contains("Pour mettre ce produit en ligne, choisissez au moins une photo"),
        "{}",
        refused.text()
    );
    assert!(
        std::fs::read_to_string(&shirt_file)
            .expect("the shirt's file")
            .contains("published = false"),
        "still offline"
    );

    // The merchant gives the shirt a photo and puts it online.
    let saved = edit(
        &mut merchant,
        id,
        &[
            ("images", "pull.jpg"),
            ("published", "on"),
            ("action", "enregistrer"),
        ],
    )
    .await;
    assert!(
        saved.status.is_redirection() || saved.status == StatusCode::OK,
        "{}",
        saved.text()
    );
    until(&app, "the imported shirt is online", async |app| {
        app.get("/boutiques/boutique-marguerite/example-shirt/")
            .await
            .status
            == StatusCode::OK
    })
    .await;
    let page = app
        .get("/boutiques/boutique-marguerite/example-shirt/")
        .await
        .text();
    assert!(
        page.contains("Example T-Shirt") && page.contains("25,00"),
        "price on the page"
    );
    // The back-office's catalogue follows too (the page may be served a moment before).
    seen_in_back_office(
        &mut merchant,
        "/espace-commercant/produits?q=Example+T-Shirt",
        "· En ligne",
    )
    .await;
    let after_first = product_files(&app);
    assert_eq!(after_first.len(), before.len() + 3);
    in_back_office(&mut merchant, "SRT_COT_433").await;

    // The same file again: everything is unchanged, nothing to confirm.
    let path = upload(&mut merchant, "produits.csv", export(TEMPLATE)).await;
    let (items, _) = preview(&mut merchant, &path).await;
    assert!(items.iter().all(|(_, a)| a == "inchangé"), "{items:?}");

    // A new price: the product is updated in place, not duplicated.
    let changed = String::from_utf8(export(TEMPLATE))
        .expect("utf-8")
        .replacen(",25,,TRUE", ",27.50,,TRUE", 1);
    let path = upload(&mut merchant, "produits.csv", changed.into_bytes()).await;
    let (items, _) = preview(&mut merchant, &path).await;
    assert_eq!(
        items[0],
        ("Example T-Shirt".to_owned(), "mis à jour".to_owned())
    );
    let done = merchant.post(&path, &[]).await;
    assert!(done.text().contains("1 mis à jour"), "{}", done.text());
    assert_eq!(product_files(&app), after_first, "no duplicate file");
    let text = std::fs::read_to_string(&shirt_file).expect("the shirt's file");
    assert!(text.contains("price = \"27.50\""), "{text}");
    until(&app, "the new price is online", async |app| {
        app.get("/boutiques/boutique-marguerite/example-shirt/")
            .await
            .text()
            .contains("27,50")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_no_export_is_refused_in_the_preview() {
    let app = watching_app().await;
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let path = upload(&mut merchant, "notes.csv", b"Nom,Prix\nA,1\n".to_vec()).await;
    let page = merchant.get(&path).await.text();
    assert!(page.contains("format non reconnu"), "{page}");
    assert!(page.contains("Rien à importer"));
    let no_file = merchant
        .post_multipart(
            "/espace-commercant/import",
            vec![Part::text("rayon", "vetements")],
        )
        .await;
    assert_eq!(no_file.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = no_file.html();
    assert_eq!(
        crate::helpers::attr(&html, "#f-fichiers", "aria-describedby").as_deref(),
        Some("f-fichiers-error")
    );
    assert!(texts(&html, "#f-fichiers-error")[0].contains("Choisissez le fichier CSV"));
    let no_token = merchant
        .browser
        .post_multipart_raw(
            "/espace-commercant/import",
            &[
                Part::file("fichiers", "a.csv", "text/csv", export(TEMPLATE)),
                Part::text("rayon", "vetements"),
            ],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prestashop_files_sent_together_and_a_woocommerce_export_are_previewed() {
    let app = watching_app().await;
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let answer = merchant
        .post_multipart(
            "/espace-commercant/import",
            vec![
                Part::file(
                    "fichiers",
                    "products_import.csv",
                    "text/csv",
                    export("prestashop/products_import.csv"),
                ),
                Part::file(
                    "fichiers",
                    "combinations_import.csv",
                    "text/csv",
                    export("prestashop/combinations_import.csv"),
                ),
                Part::text("rayon", "mode"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let page = merchant.get(answer.header("location")).await;
    let html = page.html();
    let titles = texts(&html, "table.import-items tbody td:nth-child(2)");
    assert_eq!(titles.len(), 7);
    assert_eq!(
        titles[0],
        "iPod Nano (hors ligne jusqu’à sa première photo)"
    );
    let prices = texts(&html, "table.import-items tbody td:nth-child(4)");
    assert!(
        prices[0].starts_with("120,00"),
        "100 € before VAT: {prices:?}"
    );
    let aisles = texts(&html, "table.import-items tbody td:nth-child(6)");
    assert!(
        aisles.iter().all(|a| a == "Mode"),
        "no aisle matches iPods: {aisles:?}"
    );
    let lines = texts(&html, "table.import-errors tbody td:nth-child(1)");
    assert!(
        lines.contains(&"combinations_import.csv : 2".to_owned()),
        "{lines:?}"
    );

    let path = upload(
        &mut merchant,
        "export-woo.csv",
        export("woocommerce/sample_products.csv"),
    )
    .await;
    let (items, errors) = preview(&mut merchant, &path).await;
    assert_eq!(items.len(), 14);
    assert!(items.iter().all(|(_, a)| a == "à créer"));
    assert!(
        errors.contains(&"14".to_owned()),
        "the downloadable album: {errors:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sku_of_another_shop_is_a_row_error_and_that_shop_is_untouched() {
    let app = watching_app().await;
    let bakery_file = app
        .content
        .join("shops/boulangerie-du-parc/products/baguette-tradition.md");
    let bakery_before = std::fs::read(&bakery_file).expect("the baguette");
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let csv = "Type,SKU,Name,Published,Regular price,Stock,Parent\n\
simple,parc-baguette-tradition,Baguette pirate,1,\"0,90\",10,\n\
simple,MARG-BONNET,Bonnet,1,\"19,90\",5,\n";
    let path = upload(&mut merchant, "woo.csv", csv.as_bytes().to_vec()).await;
    let page = merchant.get(&path).await;
    let html = page.html();
    assert_eq!(
        texts(&html, "table.import-items tbody td:nth-child(2)"),
        ["Bonnet (hors ligne jusqu’à sa première photo)"]
    );
    let reasons = texts(&html, "table.import-errors tbody td:nth-child(3)");
    assert!(
        reasons[0].contains("appartient déjà à la boutique"),
        "{reasons:?}"
    );
    let done = merchant.post(&path, &[]).await;
    assert!(
        done.text().contains("1 produit(s) créé(s)"),
        "{}",
        done.text()
    );
    assert_eq!(
        std::fs::read(&bakery_file).expect("the baguette"),
        bakery_before
    );
    let bonnet =
        std::fs::read_to_string(products_dir(&app).join("marg-bonnet.md")).expect("the new file");
    assert!(
        bonnet.contains("id = \"MARG-BONNET\"") && bonnet.contains("price = \"19.90\""),
        "{bonnet}"
    );
}
