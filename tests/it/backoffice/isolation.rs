//! No route of the back-office lets one shop read or change another's things: every
//! attempt with another shop's ids answers 404, exactly like an unknown id, and nothing
//! changes.

use super::{BAKERY, CHEESE, CLOTHES, MerchantClient};
use crate::helpers::TestApp;
use axum::http::StatusCode;
use comptoir::stock;

#[tokio::test]
async fn another_shops_stock_cannot_be_changed() {
    let app = TestApp::with_database(None);
    let mut baker = MerchantClient::login(&app, BAKERY).await;
    let db = app.state.db().await.expect("works");
    for sku in [
        "ECHARPE-ROUGE",
        "PULL-MARINE-M",
        "ecoles-comte-18",
        "INCONNU",
    ] {
        let before = stock::level(db, sku).await.expect("works");
        let answer = baker
            .post(
                "/espace-commercant/stock",
                &[("sku", sku), ("quantite", "0")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{sku}");
        assert_eq!(
            stock::level(db, sku).await.expect("works"),
            before,
            "{sku} unchanged"
        );
    }
    let page = baker.get("/espace-commercant/stock?q=echarpe").await;
    assert!(
        !page.text().contains("ECHARPE"),
        "another shop's SKUs are not listed"
    );
    let mut clothes = MerchantClient::login(&app, CLOTHES).await;
    let mut cheese = MerchantClient::login(&app, CHEESE).await;
    let answer = cheese
        .post(
            "/espace-commercant/stock",
            &[("sku", "parc-baguette-tradition"), ("quantite", "1")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let own = clothes
        .post(
            "/espace-commercant/stock",
            &[("sku", "ECHARPE-ROUGE"), ("quantite", "9")],
        )
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "the shop's own SKU");
}

/// Every file of `content/` with its bytes, to prove nothing was written.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).expect("readable"));
            }
        }
    }
    files
}

/// A small real JPEG.
fn jpeg() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30]))
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encodes");
    bytes.into_inner()
}

/// The sweep: the baker tries every back-office route with the clothes shop's product,
/// SKU, picture and import: 404 each time, exactly like an unknown id, and neither the
/// catalogue's files nor the stock change.
#[tokio::test]
async fn every_route_answers_404_for_another_shops_things_and_changes_nothing() {
    use super::Part;
    let app = TestApp::with_database(None);
    // The clothes shop has an import waiting for confirmation.
    let mut clothes = MerchantClient::login(&app, CLOTHES).await;
    let csv = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/testdata/imports/shopify/apparel.csv"),
    )
    .expect("the Shopify export");
    let uploaded = clothes
        .post_multipart(
            "/espace-commercant/import",
            vec![
                Part::file("fichiers", "apparel.csv", "text/csv", csv),
                Part::text("rayon", "vetements"),
            ],
        )
        .await;
    assert_eq!(
        uploaded.status,
        StatusCode::SEE_OTHER,
        "{}",
        uploaded.text()
    );
    let import = uploaded.header("location").to_owned();
    assert_eq!(
        clothes.get(&import).await.status,
        StatusCode::OK,
        "the owner sees the preview"
    );

    let mut baker = MerchantClient::login(&app, BAKERY).await;
    let db = app.state.db().await.expect("database");
    let skus = ["ECHARPE-ROUGE", "PULL-MARINE-M", "PULL-ECRU-M"];
    let mut stock_before = Vec::new();
    for sku in skus {
        stock_before.push(stock::level(db, sku).await.expect("db"));
    }
    let files_before = snapshot(&app.content);

    let product = "/espace-commercant/produits/marguerite-pull-marin";
    let gets = [
        product.to_owned(),
        format!("{product}/supprimer"),
        format!("{product}/photos"),
        "/espace-commercant/photos/fichier/pull-dos.jpg".to_owned(),
        import.clone(),
        "/espace-commercant/produits/produit-inconnu".to_owned(),
        "/espace-commercant/import/0123456789abcdef0123456789abcdef".to_owned(),
    ];
    for path in &gets {
        let answer = baker.get(path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "GET {path}");
    }
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            product.to_owned(),
            vec![("title", "Piraté"), ("price", "1")],
        ),
        (format!("{product}/publication"), vec![("en_ligne", "0")]),
        (format!("{product}/supprimer"), vec![]),
        (
            format!("{product}/photos"),
            vec![("action", "remove:pull.jpg"), ("monter", "pull-dos.jpg")],
        ),
        (import.clone(), vec![]),
        (
            "/espace-commercant/stock".to_owned(),
            vec![("sku", "PULL-MARINE-M"), ("quantite", "0")],
        ),
    ];
    for (path, fields) in &posts {
        let answer = baker.post(path, fields).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    let upload = baker
        .post_multipart(
            &format!("{product}/photos/ajout"),
            vec![Part::file("photos", "photo.jpg", "image/jpeg", jpeg())],
        )
        .await;
    assert_eq!(
        upload.status,
        StatusCode::NOT_FOUND,
        "photo upload to another shop's product"
    );

    assert_eq!(
        snapshot(&app.content),
        files_before,
        "no file of content/ changed"
    );
    for (sku, before) in skus.iter().zip(stock_before) {
        assert_eq!(stock::level(db, sku).await.expect("db"), before, "{sku}");
    }
    assert_eq!(
        clothes.get(&import).await.status,
        StatusCode::OK,
        "the upload is still there for its owner"
    );
}
