//! `/commande` (the form; placing the order), `/commande/confirmation/<token>` and
//! `/commande/suivi/<token>`.
//!
//! Placing: the form's CSRF token is checked, the order is built from the cart's lines
//! (never from prices in the form) and placed in one transaction by [`orders::place`]. A
//! refusal draws the form again, refilled, with 422 and French messages; success answers
//! 303 to the confirmation, also for a form sent twice with the same idempotency key (one
//! order). E-mails go out after a fresh order without holding the shopper's answer; a
//! mail failure is logged and the order stands.

use super::cart::checked_form;
use crate::AppState;
use crate::cart::{self, CartId};
use crate::error::AppError;
use crate::offers;
use crate::orders::payment::PaymentStart;
use crate::orders::{self, CheckoutError, FieldError, OrderSettings, Placed};
use crate::pricing::{self, PricedCart};
use crate::shopping::checkout_form::{self, FormValues};
use crate::shopping::checkout_page::{CheckoutView, checkout_page};
use crate::shopping::order_page::{OrderPage, order_page};
use crate::shopping::{self, Counter, internal, private, see_other};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{Path, RawForm, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::Date;
use std::sync::Arc;

/// `GET /commande`: the form, for a cart that can be ordered (else back to `/panier`,
/// which says what to change).
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let Some(cart) = counter.key.cart_of(&headers) else {
        return Ok(see_other("/panier"));
    };
    let priced = priced_cart(&counter, &cart).await?;
    if !priced.is_orderable() {
        return Ok(see_other("/panier"));
    }
    let form = Form {
        cart: &cart,
        priced: &priced,
        values: &FormValues::fresh(),
    };
    draw(&state, &counter, &form, None, StatusCode::OK).await
}

/// `POST /commande`: places the order.
pub async fn place(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let (fields, cart) = match checked_form(&counter, &headers, body) {
        Ok(checked) => checked,
        Err(rejected) => return Ok(rejected.answer(&counter.site())),
    };
    let lines = cart::lines(&counter.db, &cart).await.map_err(internal)?;
    let mut checkout = checkout_form::checkout(&fields, &cart, lines);
    checkout.promo_code = offers::codes::of_cart(&counter.db, &cart)
        .await
        .map_err(internal)?;
    let settings = OrderSettings::from_config(&state.config);
    let placed = orders::place(
        &counter.db,
        &counter.catalogue,
        &checkout,
        &settings,
        Timestamp::now(),
    )
    .await;
    state.metrics.checkout(&placed);
    match placed {
        Ok(placed) => {
            if placed.fresh {
                let skus = checkout.lines.iter().map(|l| l.sku.clone()).collect();
                crate::live::stock_changed(&state, skus).await;
            }
            Ok(placed_answer(&state, &counter, placed).await)
        }
        Err(CheckoutError::EmptyCart) => Ok(see_other("/panier")),
        Err(CheckoutError::Db(e)) => Err(internal(e)),
        Err(error) => {
            let priced = priced_cart(&counter, &cart).await?;
            let mut values = FormValues::sent(&fields);
            if let CheckoutError::Invalid { fields } = &error
                && fields.iter().any(|f| f.field == "idempotency_key")
            {
                values.key = FormValues::fresh().key;
            }
            let form = Form {
                cart: &cart,
                priced: &priced,
                values: &values,
            };
            draw(
                &state,
                &counter,
                &form,
                Some(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /commande/confirmation/<token>`.
pub async fn confirmation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show_order(&state, &token, OrderPage::Confirmation).await
}

/// `GET /commande/suivi/<token>`.
pub async fn tracking(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show_order(&state, &token, OrderPage::Tracking).await
}

/// The 303 after an order: to the payment provider's page if it has one, else to the
/// confirmation. Sends the e-mails of a fresh order in the background.
async fn placed_answer(state: &AppState, counter: &Counter, placed: Placed) -> Response {
    if placed.fresh
        && let Some(mailer) = state.shopping.mailer(&state.config).await
    {
        let catalogue = Arc::clone(&counter.catalogue);
        let order = placed.order.clone();
        tokio::spawn(async move {
            let report = crate::mail::send_order_emails(mailer.as_ref(), &catalogue, &order).await;
            tracing::info!(
                order = order.number,
                sent = report.sent.len(),
                failed = report.failed.len(),
                "order e-mails"
            );
        });
    }
    match &placed.payment {
        Some(Ok(PaymentStart::Redirect { url, .. })) => see_other(url),
        _ => see_other(&OrderPage::Confirmation.path(&placed.order.tracking_token)),
    }
}

async fn priced_cart(counter: &Counter, cart: &CartId) -> Result<PricedCart, AppError> {
    let lines = cart::lines(&counter.db, cart).await.map_err(internal)?;
    pricing::price_with_stock(&counter.db, &counter.catalogue, &lines, counter.today)
        .await
        .map_err(internal)
}

/// The form's contents.
struct Form<'a> {
    cart: &'a CartId,
    priced: &'a PricedCart,
    values: &'a FormValues,
}

/// Draws the form with the options bookable now and what went wrong, if anything.
async fn draw(
    state: &AppState,
    counter: &Counter,
    form: &Form<'_>,
    error: Option<&CheckoutError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let code = offers::codes::of_cart(&counter.db, form.cart)
        .await
        .map_err(internal)?;
    let discounts = offers::for_cart_now(
        &counter.db,
        &counter.catalogue,
        form.priced,
        counter.today,
        code.as_deref(),
    )
    .await
    .map_err(internal)?;
    let options = crate::delivery::options_for_cart(
        &counter.db,
        &counter.catalogue,
        form.priced,
        Timestamp::now(),
    )
    .await
    .map_err(internal)?;
    let explained = explain(error, counter.today);
    let payment = OrderSettings::from_config(&state.config).payment.label();
    let csrf = counter.key.csrf_token(form.cart);
    let view = CheckoutView {
        priced: form.priced,
        discounts: &discounts,
        options: &options,
        values: form.values,
        csrf: &csrf,
        field_errors: &explained.fields,
        alert: explained.alert,
        shop_error: explained.shop,
        payment,
    };
    Ok(private(status, checkout_page(&counter.site(), &view)))
}

/// Where the form shows what went wrong.
#[derive(Default)]
struct Explained {
    fields: Vec<FieldError>,
    alert: Option<String>,
    shop: Option<(String, String)>,
}

fn explain(error: Option<&CheckoutError>, today: Date) -> Explained {
    let Some(error) = error else {
        return Explained::default();
    };
    let message = error.french_message(today);
    match error {
        CheckoutError::Invalid { fields } => Explained {
            fields: fields.clone(),
            alert: Some(message),
            shop: None,
        },
        CheckoutError::NoChoice { shop, .. } | CheckoutError::Delivery { shop, .. } => Explained {
            fields: Vec::new(),
            shop: Some((shop.clone(), message.clone())),
            alert: Some(message),
        },
        _ => Explained {
            alert: Some(message),
            ..Explained::default()
        },
    }
}

/// An order's page, found by its token; 404 for any other address.
async fn show_order(state: &AppState, token: &str, kind: OrderPage) -> Result<Response, AppError> {
    let counter = Counter::open(state).await?;
    let order = if is_token(token) {
        orders::find_by_token(&counter.db, token)
            .await
            .map_err(internal)?
    } else {
        None
    };
    let mut response = match order {
        Some(order) => private(StatusCode::OK, order_page(&counter.site(), &order, kind)),
        None => shopping::refusal(
            &counter.site(),
            StatusCode::NOT_FOUND,
            "Aucune commande ne correspond à cette adresse : vérifiez le lien de l’e-mail de confirmation.",
            &[("Retour à l’accueil", "/")],
        ),
    };
    // The token is the page's secret: never sent on as a referrer.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

/// Tracking tokens are 32 lowercase hex digits, like cart ids.
fn is_token(text: &str) -> bool {
    CartId::parse(text).is_some()
}
