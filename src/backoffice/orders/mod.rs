//! The shop's orders: the list of its sub-orders by status (with counts), one order's
//! detail (lines, delivery, the shopper's contact, the history of its status), and the
//! moves a merchant makes — accept, ready, handed over / delivered, shipped with a
//! tracking number, cancelled with a reason.
//!
//! Each move goes through [`crate::orders::set_status`] (allowed transitions only, recorded
//! with who and when, stock and delivery place given back on cancelling); the shopper is
//! told by e-mail ([`crate::mail::send_status_email`]) after the answer, and a cancelling
//! puts the stock back on the pages ([`crate::live::stock_changed`]).
//!
//! Isolation: an order number without a sub-order of the merchant's shop is a 404 for
//! every route, exactly like a number that does not exist.

mod pages;

use super::Merchant;
use super::layout;
use crate::AppState;
use crate::error::AppError;
use crate::orders::{self, Actor, Change, Order, Status, StatusError};
use crate::shopping::{self, Fields};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// Longest cancel reason a merchant may write.
pub const MAX_REASON: usize = 500;

/// Longest tracking number (carriers' numbers are 11 to 15 characters; margin for others).
pub const MAX_TRACKING: usize = 60;

/// `?statut=nouvelles`: one status's tab.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    statut: Option<String>,
}

/// `?fait=accepted`: the move just made, for the notice.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DetailQuery {
    fait: Option<String>,
}

/// `GET /espace-commercant/commandes`.
pub async fn list(
    State(state): State<AppState>,
    merchant: Merchant,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let tab = query.statut.as_deref().and_then(pages::status_of_tab);
    let counts = orders::counts_for_shop(db, &merchant.shop)
        .await
        .map_err(shopping::internal)?;
    let shown = orders::for_shop(db, &merchant.shop, tab)
        .await
        .map_err(shopping::internal)?;
    let body = pages::list(&merchant, tab, &counts, &shown);
    Ok(layout::respond(
        StatusCode::OK,
        layout::page(&merchant, layout::Section::Orders, "Commandes", body),
    ))
}

/// `GET /espace-commercant/commandes/{number}`.
pub async fn detail(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(number): Path<String>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, AppError> {
    let order = own_order(&state, &merchant, &number).await?;
    let done = query.fait.as_deref().and_then(Status::from_key);
    let notice = done.map(pages::done_notice);
    draw(
        &state,
        &merchant,
        &order,
        notice.as_deref(),
        &Problems::default(),
        StatusCode::OK,
    )
    .await
}

/// What was wrong with a posted move.
#[derive(Debug, Default)]
pub struct Problems {
    /// For the whole form.
    pub alert: Option<String>,
    /// Beside the reason field.
    pub reason: Option<String>,
    /// Beside the tracking number field.
    pub tracking: Option<String>,
    /// What the merchant typed, shown again.
    pub typed_reason: String,
    /// What the merchant typed, shown again.
    pub typed_tracking: String,
}

/// `POST /espace-commercant/commandes/{number}`: one move (`vers` = the status asked,
/// `motif` when cancelling, `suivi` when shipping).
pub async fn change(
    State(state): State<AppState>,
    merchant: Merchant,
    Path(number): Path<String>,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields: Fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    let order = own_order(&state, &merchant, &number).await?;
    let Some(to) = Status::from_key(fields.text("vers")) else {
        let problems = Problems {
            alert: Some("Choisissez une action parmi celles proposées.".to_owned()),
            ..Problems::default()
        };
        return draw(
            &state,
            &merchant,
            &order,
            None,
            &problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let change = match checked_change(&merchant, to, &fields) {
        Ok(change) => change,
        Err(problems) => {
            return draw(
                &state,
                &merchant,
                &order,
                None,
                &problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let db = state.db().await.map_err(shopping::internal)?;
    match orders::set_status(db, &number, &merchant.shop, &change).await {
        Ok(_) => {}
        Err(StatusError::NotFound { .. }) => return Err(layout::not_found()),
        Err(StatusError::Db(e)) => return Err(shopping::internal(e)),
        Err(refused @ (StatusError::Refused { .. } | StatusError::Changed)) => {
            let problems = Problems {
                alert: Some(refused.french_message()),
                ..Problems::default()
            };
            let order = own_order(&state, &merchant, &number).await?;
            return draw(
                &state,
                &merchant,
                &order,
                None,
                &problems,
                StatusCode::CONFLICT,
            )
            .await;
        }
    }
    tracing::info!(
        order = number,
        shop = merchant.shop,
        user = merchant.user_id,
        to = to.key(),
        "order moved"
    );
    after_move(&state, &merchant, &number, to).await?;
    Ok(shopping::see_other(&format!(
        "/espace-commercant/commandes/{number}?fait={}",
        to.key()
    )))
}

/// The change the form asks for, or what is missing (a reason, a tracking number).
fn checked_change(merchant: &Merchant, to: Status, fields: &Fields) -> Result<Change, Problems> {
    let by = Actor::Merchant {
        user_id: merchant.user_id.clone(),
        email: merchant.email.clone(),
    };
    let reason = fields.text("motif").trim();
    let tracking = fields.text("suivi").trim();
    let mut problems = Problems {
        typed_reason: reason.to_owned(),
        typed_tracking: tracking.to_owned(),
        ..Problems::default()
    };
    let mut change = Change::new(to, by);
    if to == Status::Cancelled {
        if reason.is_empty() {
            problems.reason = Some(
                "Indiquez le motif de l’annulation : le client le recevra par e-mail.".to_owned(),
            );
        } else if reason.chars().count() > MAX_REASON {
            problems.reason = Some(format!("Le motif doit tenir en {MAX_REASON} caractères."));
        } else {
            change = change.reason(reason);
        }
    }
    if to == Status::Shipped {
        if tracking.is_empty() {
            problems.tracking =
                Some("Indiquez le numéro de suivi du colis, par exemple 6A12345678901.".to_owned());
        } else if tracking.chars().count() > MAX_TRACKING {
            problems.tracking = Some(format!(
                "Le numéro de suivi doit tenir en {MAX_TRACKING} caractères."
            ));
        } else {
            change = change.tracking(tracking);
        }
    }
    if problems.reason.is_some() || problems.tracking.is_some() {
        return Err(problems);
    }
    Ok(change)
}

/// After a move: the shopper's e-mail (in the background) and, when cancelled, the stock
/// back on the pages.
async fn after_move(
    state: &AppState,
    merchant: &Merchant,
    number: &str,
    to: Status,
) -> Result<(), AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let Some(order) = orders::find(db, number).await.map_err(shopping::internal)? else {
        return Ok(());
    };
    if to == Status::Cancelled {
        let skus = order
            .shop(&merchant.shop)
            .map(|sub| sub.lines.iter().map(|l| l.sku.clone()).collect())
            .unwrap_or_default();
        crate::live::stock_changed(state, skus).await;
    }
    if let Some(mailer) = state.shopping.mailer(&state.config).await {
        let catalogue = Arc::clone(&merchant.catalogue);
        let shop = merchant.shop.clone();
        tokio::spawn(async move {
            crate::mail::send_status_email(mailer.as_ref(), &catalogue, &order, &shop).await;
        });
    }
    Ok(())
}

/// The order `number` if the merchant's shop has a part in it; else the back-office's 404.
async fn own_order(state: &AppState, merchant: &Merchant, number: &str) -> Result<Order, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    orders::find(db, number)
        .await
        .map_err(shopping::internal)?
        .filter(|o| o.shop(&merchant.shop).is_some())
        .ok_or_else(layout::not_found)
}

async fn draw(
    state: &AppState,
    merchant: &Merchant,
    order: &Order,
    notice: Option<&str>,
    problems: &Problems,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = state.db().await.map_err(shopping::internal)?;
    let history = orders::history(db, &order.number, &merchant.shop)
        .await
        .map_err(shopping::internal)?;
    let Some(sub) = order.shop(&merchant.shop) else {
        return Err(layout::not_found());
    };
    let body = pages::detail(merchant, order, sub, &history, notice, problems);
    let title = format!("Commande {}", order.number);
    Ok(layout::respond(
        status,
        layout::page(merchant, layout::Section::Orders, &title, body),
    ))
}
