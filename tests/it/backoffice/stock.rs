//! Stock from the back-office: the shop's SKUs with their counts, one field to change a
//! count, the low-stock view, French errors, and the product page following a count that
//! crosses zero.

use super::{BAKERY, CLOTHES, MerchantClient, until, watching_app};
use crate::helpers::{TestApp, texts};
use axum::http::StatusCode;
use comptoir::stock;

#[tokio::test]
async fn the_stock_page_lists_the_shops_skus_only_with_their_counts() {
    let app = TestApp::with_database(None);
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let page = merchant.get("/espace-commercant/stock").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let skus = texts(&html, ".stock-line small");
    assert_eq!(
        skus,
        [
            "· réf. ECHARPE-ROUGE",
            "· réf. ECHARPE-GRIS",
            "· réf. PULL-MARINE-S",
            "· réf. PULL-MARINE-M",
            "· réf. PULL-ECRU-M"
        ]
    );
    let counts = crate::helpers::attrs(&html, ".stock-line input[name=quantite]", "value");
    assert_eq!(counts, ["3", "1", "2", "0", "4"]);
    assert!(
        !page.text().contains("parc-baguette-tradition"),
        "no other shop's stock"
    );

    let low = merchant.get("/espace-commercant/stock?vue=bas").await;
    let skus = texts(&low.html(), ".stock-line small");
    assert_eq!(
        skus,
        [
            "· réf. PULL-MARINE-M",
            "· réf. ECHARPE-GRIS",
            "· réf. PULL-MARINE-S",
            "· réf. ECHARPE-ROUGE"
        ],
        "3 or fewer, emptiest first"
    );
    let search = merchant.get("/espace-commercant/stock?q=pull+ecru").await;
    assert_eq!(
        texts(&search.html(), ".stock-line small"),
        ["· réf. PULL-ECRU-M"]
    );
}

#[tokio::test]
async fn a_count_is_saved_in_one_tap_and_bad_counts_are_explained() {
    let app = TestApp::with_database(None);
    let mut merchant = MerchantClient::login(&app, CLOTHES).await;
    let saved = merchant
        .post(
            "/espace-commercant/stock",
            &[
                ("sku", "PULL-MARINE-M"),
                ("quantite", "7"),
                ("retour", "vue=bas"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        "/espace-commercant/stock?vue=bas&enregistre=PULL-MARINE-M#ligne-PULL-MARINE-M"
    );
    let db = app.state.db().await.expect("works");
    assert_eq!(
        stock::level(db, "PULL-MARINE-M").await.expect("works"),
        Some(7)
    );
    let page = merchant.get(saved.header("location")).await;
    assert!(page.text().contains("Stock de PULL-MARINE-M enregistré."));
    assert!(
        !texts(&page.html(), ".stock-line small").contains(&"· réf. PULL-MARINE-M".to_owned()),
        "no longer low"
    );

    for bad in ["-2", "sept", "1,5", "100000", ""] {
        let refused = merchant
            .post(
                "/espace-commercant/stock",
                &[("sku", "PULL-MARINE-M"), ("quantite", bad)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        let html = refused.html();
        assert_eq!(
            texts(&html, ".field-error"),
            ["Indiquez un nombre entier entre 0 et 99999, par exemple 12."]
        );
        assert_eq!(
            crate::helpers::attr(&html, "#stock-PULL-MARINE-M", "aria-invalid").as_deref(),
            Some("true")
        );
        assert_eq!(
            stock::level(db, "PULL-MARINE-M").await.expect("works"),
            Some(7),
            "{bad:?} changed nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_count_crossing_zero_reaches_the_product_page() {
    let app = watching_app().await;
    let page = "/boutiques/boulangerie-du-parc/baguette-tradition/";
    assert!(app.get(page).await.text().contains("in-stock"));
    let mut merchant = MerchantClient::login(&app, BAKERY).await;
    let saved = merchant
        .post(
            "/espace-commercant/stock",
            &[("sku", "parc-baguette-tradition"), ("quantite", "0")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    until(&app, "the baguette shows sold out", async |app| {
        app.get(page).await.text().contains("out-of-stock")
    })
    .await;
    merchant
        .post(
            "/espace-commercant/stock",
            &[("sku", "parc-baguette-tradition"), ("quantite", "25")],
        )
        .await;
    until(&app, "the baguette is back", async |app| {
        app.get(page).await.text().contains("in-stock")
    })
    .await;
}
