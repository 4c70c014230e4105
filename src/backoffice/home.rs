//! The dashboard: what needs the merchant now — new orders, products out of stock or low —
//! with a link to each.

use super::Merchant;
use super::layout::{self, Section};
use super::stock::{self, LOW};
use crate::AppState;
use crate::error::AppError;
use crate::shopping;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use sqlx::Row;

/// Sub-orders of `shop` waiting for the merchant to accept them.
async fn new_orders(db: &crate::db::Db, shop: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) FROM sub_orders WHERE shop = $1 AND status = 'placed'")
        .bind(shop)
        .fetch_one(db.pool())
        .await?;
    row.try_get(0)
}

/// `GET /espace-commercant/`.
pub async fn dashboard(
    State(state): State<AppState>,
    merchant: Merchant,
) -> Result<Response, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let waiting = new_orders(db, &merchant.shop)
        .await
        .map_err(shopping::internal)?;
    let all = stock::lines(
        &merchant.catalogue,
        &merchant.shop,
        &std::collections::HashMap::new(),
    );
    let skus: Vec<&str> = all.iter().map(|l| l.sku).collect();
    let levels = crate::stock::levels(db, &skus)
        .await
        .map_err(shopping::internal)?;
    let lines = stock::lines(&merchant.catalogue, &merchant.shop, &levels);
    let out = lines.iter().filter(|l| l.count == 0).count();
    let low = lines
        .iter()
        .filter(|l| l.count > 0 && l.count <= LOW)
        .count();
    let index = merchant
        .catalogue
        .shops
        .iter()
        .position(|s| s.slug == merchant.shop);
    let products = merchant
        .catalogue
        .products
        .iter()
        .filter(|p| Some(p.shop) == index);
    let (online, offline) = products.fold((0, 0), |(on, off), p| {
        if p.published {
            (on + 1, off)
        } else {
            (on, off + 1)
        }
    });
    let suspended = merchant
        .catalogue
        .shops
        .iter()
        .find(|s| s.slug == merchant.shop && s.suspended);
    let body = html! {
        h1 { "Bonjour" }
        p.lead { "Votre boutique " strong { (merchant.shop_name) } " en un coup d’œil." }
        @if let Some(shop) = suspended {
            p.error role="alert" {
                "Votre boutique est suspendue par l’association : elle n’est pas en ligne."
                @if let Some(reason) = &shop.suspended_reason { " Raison : " (reason) "." }
                " Contactez l’association pour la réactiver."
            }
        } @else if merchant.published_shop().is_none() {
            p.error role="alert" {
                "Votre boutique n’est pas en ligne. "
                a href=(Section::Charter.path()) { "Voir la charte de qualité" }
            }
        }
        ul.tiles.dashboard {
            li { a href="/espace-commercant/commandes" { strong { (waiting) } span { @if waiting == 1 { " nouvelle commande" } @else { " nouvelles commandes" } } } }
            li { a href="/espace-commercant/stock?vue=bas" { strong { (out) } span { " épuisé" @if out != 1 { "s" } } } }
            li { a href="/espace-commercant/stock?vue=bas" { strong { (low) } span { " en stock bas" } } }
            li { a href="/espace-commercant/produits" { strong { (online) } span { " produit" @if online != 1 { "s" } " en ligne" @if offline > 0 { ", " (offline) " hors ligne" } } } }
        }
    };
    Ok(layout::respond(
        StatusCode::OK,
        layout::page(&merchant, Section::Home, "Espace commerçant", body),
    ))
}
