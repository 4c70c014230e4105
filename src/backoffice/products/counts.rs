//! The stock counts the form shows and sets: the database's, not the file's initial
//! `stock` (which seeds the database once and never again).

use crate::AppState;
use crate::error::AppError;
use comptoir_indexer::draft::ProductDraft;
use comptoir_indexer::model::{Product, StockLevels};

/// The stock a merchant typed is what the shop sells: SKUs whose count changed in the form
/// (or are new) get it in the database, which the file's initial stock never changes again.
pub async fn set_stock(state: &AppState, before: &ProductDraft, after: &ProductDraft) {
    let changed: Vec<(String, u32)> = skus(after)
        .into_iter()
        .filter(|(sku, stock)| !skus(before).contains(&(sku.clone(), *stock)))
        .collect();
    if changed.is_empty() {
        return;
    }
    let Ok(db) = state.db().await else { return };
    for (sku, stock) in &changed {
        if let Err(e) = crate::stock::set(db, sku, *stock).await {
            tracing::error!(sku, error = %e, "cannot record the stock typed in the product form");
        }
    }
    crate::live::stock_changed(state, changed.into_iter().map(|(sku, _)| sku).collect()).await;
}

/// The database's stock counts of `product`'s SKUs (those it knows).
pub async fn stock_levels(state: &AppState, product: &Product) -> Result<StockLevels, AppError> {
    let skus: Vec<&str> = if product.variants.is_empty() {
        vec![product.id.as_str()]
    } else {
        product.variants.iter().map(|v| v.sku.as_str()).collect()
    };
    let db = state.db().await.map_err(|e| AppError::Internal(e.into()))?;
    crate::stock::levels(db, &skus)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// A draft's (SKU, stock) pairs: its variants', or its id's.
fn skus(draft: &ProductDraft) -> Vec<(String, u32)> {
    if draft.variants.is_empty() {
        vec![(draft.id.clone(), draft.stock)]
    } else {
        draft
            .variants
            .iter()
            .map(|v| (v.sku.clone(), v.stock))
            .collect()
    }
}
