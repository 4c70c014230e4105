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
