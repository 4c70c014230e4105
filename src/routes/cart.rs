//! `/panier` and its forms: add (from product pages), change a quantity, remove, and
//! type or remove a promo code.
//!
//! Adding is checked by origin (the product pages are static files and cannot carry a
//! per-visitor token, see [`crate::shopping::session`]); changing and removing by the
//! CSRF token of the cart page's forms. Each change renews the cart cookie and answers
//! 303 to `/panier`; a refused change changes nothing and says why, in French.

use crate::AppState;
use crate::cart::{self, CartError, CartId};
use crate::error::AppError;
use crate::offers::{self, CodeError};
use crate::pricing::{self, PricedCart};
use crate::shopping::cart_page::{CartView, cart_page};
use crate::shopping::session::{self, is_tls};
use crate::shopping::{
    self, Counter, Fields, Rejected, csrf_ok, form_body, internal, private, see_other,
};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{RawForm, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use comptoir_indexer::model::normalize_code;

/// `GET /panier`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let cart = counter.key.cart_of(&headers);
    let added = Fields::parse(query.unwrap_or_default().as_bytes())
        .get("ajoute")
        .map(str::to_owned);
    draw(&counter, cart.as_ref(), added.as_deref(), None).await
}

/// `POST /panier/code` (`code`; `retirer` removes the cart's code): a code that applies
/// is kept on the cart; one that does not is refused (422) with why, in French.
pub async fn code(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let (fields, cart) = match checked_form(&counter, &headers, body) {
        Ok(checked) => checked,
        Err(rejected) => return Ok(rejected.answer(&counter.site())),
    };
    let typed = normalize_code(fields.text("code"));
    let kept = if fields.get("retirer").is_some() || typed.is_empty() {
        None
    } else {
        let lines = cart::lines(&counter.db, &cart).await.map_err(internal)?;
        let priced = price(&counter, &lines).await?;
        let found = offers::for_cart_now(
            &counter.db,
            &counter.catalogue,
            &priced,
            counter.today,
            Some(&typed),
        )
        .await
        .map_err(internal)?;
        if let Some(error) = found.code_error {
            let page = Page {
                cart: Some(&cart),
                added: None,
                alert: None,
                typed: Some((typed.as_str(), error)),
            };
            let mut response = render(&counter, &page).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
        Some(typed)
    };
    offers::codes::set_on_cart(&counter.db, &cart, kept.as_deref())
        .await
        .map_err(internal)?;
    Ok(with_cookie(
        see_other("/panier#offres"),
        &counter,
        &cart,
        &headers,
    ))
}

/// `POST /panier/ajouter` (`sku`, `quantity`), from a product page of this site.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    // Origin instead of a token: see the module documentation of `session`.
    if !session::same_origin(&headers, &counter.catalogue.town.base_url) {
        return Ok(shopping::forbidden(&counter.site()));
    }
    let fields = match form_body(body) {
        Ok(fields) => fields,
        Err(rejected) => return Ok(rejected.answer(&counter.site())),
    };
    let sku = fields.text("sku").trim();
    let quantity = fields.get("quantity").map_or(Some(1), parse_quantity);
    let cart = counter
        .key
        .cart_of(&headers)
        .unwrap_or_else(CartId::generate);
    if let Err(refused) = add_line(&counter, &cart, sku, quantity).await {
        return refuse_addition(&counter, sku, refused);
    }
    let location = format!(
        "/panier?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("ajoute", sku)
            .finish()
    );
    Ok(with_cookie(see_other(&location), &counter, &cart, &headers))
}

/// `POST /panier/quantite` (`sku`, `quantity`; 0 removes the line).
pub async fn set_quantity(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let (fields, cart) = match checked_form(&counter, &headers, body) {
        Ok(checked) => checked,
        Err(rejected) => return Ok(rejected.answer(&counter.site())),
    };
    let sku = fields.text("sku").trim();
    let changed = match parse_quantity(fields.text("quantity")) {
        Some(quantity) => {
            cart::set_quantity(&counter.db, &counter.catalogue, &cart, sku, quantity).await
        }
        None => Err(CartError::Quantity { given: -1 }),
    };
    match changed {
        Ok(()) => Ok(with_cookie(see_other("/panier"), &counter, &cart, &headers)),
        Err(CartError::Db(e)) => Err(internal(e)),
        Err(refused) => {
            let mut response =
                draw(&counter, Some(&cart), None, Some(&refused.french_message())).await?;
            *response.status_mut() = status_of(&refused);
            Ok(response)
        }
    }
}

/// `POST /panier/retirer` (`sku`).
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let counter = Counter::open(&state).await?;
    let (fields, cart) = match checked_form(&counter, &headers, body) {
        Ok(checked) => checked,
        Err(rejected) => return Ok(rejected.answer(&counter.site())),
    };
    cart::remove(&counter.db, &cart, fields.text("sku").trim())
        .await
        .map_err(internal)?;
    Ok(with_cookie(see_other("/panier"), &counter, &cart, &headers))
}

/// The cart page for `cart` (none: empty), `added` confirmed, `alert` shown.
async fn draw(
    counter: &Counter,
    cart: Option<&CartId>,
    added: Option<&str>,
    alert: Option<&str>,
) -> Result<Response, AppError> {
    let page = Page {
        cart,
        added,
        alert,
        typed: None,
    };
    render(counter, &page).await
}

/// What the cart page shows besides the cart.
struct Page<'a> {
    cart: Option<&'a CartId>,
    added: Option<&'a str>,
    alert: Option<&'a str>,
    /// A code just typed and refused, with why.
    typed: Option<(&'a str, CodeError)>,
}

async fn price(counter: &Counter, lines: &[cart::CartLine]) -> Result<PricedCart, AppError> {
    pricing::price_with_stock(&counter.db, &counter.catalogue, lines, counter.today)
        .await
        .map_err(internal)
}

async fn render(counter: &Counter, page: &Page<'_>) -> Result<Response, AppError> {
    let (lines, held) = match page.cart {
        Some(cart) => (
            cart::lines(&counter.db, cart).await.map_err(internal)?,
            offers::codes::of_cart(&counter.db, cart)
                .await
                .map_err(internal)?,
        ),
        None => (Vec::new(), None),
    };
    let priced = price(counter, &lines).await?;
    let mut discounts = offers::for_cart_now(
        &counter.db,
        &counter.catalogue,
        &priced,
        counter.today,
        held.as_deref(),
    )
    .await
    .map_err(internal)?;
    if let Some((_, error)) = &page.typed {
        discounts.code_error = Some(error.clone());
    }
    let csrf = page.cart.map(|cart| counter.key.csrf_token(cart));
    let view = CartView {
        priced: &priced,
        csrf: csrf.as_deref(),
        added: page.added,
        alert: page.alert,
        discounts: &discounts,
        today: counter.today,
        held_code: held.as_deref(),
        typed_code: page.typed.as_ref().map(|(t, _)| *t),
    };
    Ok(private(StatusCode::OK, cart_page(&counter.site(), &view)))
}

/// The form of a POST drawn by the server, and the cart it was drawn for.
///
/// # Errors
///
/// [`Rejected`]: not a form, or a token that does not check (nothing changes).
pub(crate) fn checked_form(
    counter: &Counter,
    headers: &HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<(Fields, CartId), Rejected> {
    let fields = form_body(body)?;
    match counter.key.cart_of(headers) {
        Some(cart) if csrf_ok(&counter.key, Some(&cart), &fields) => Ok((fields, cart)),
        _ => Err(Rejected::Forbidden),
    }
}

/// `"3"` → 3; anything that is not a whole number → `None`.
fn parse_quantity(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// Why an addition is refused, before anything is written.
enum Refused {
    Cart(CartError),
    /// Fewer left than asked (maybe none).
    Stock {
        left: u32,
    },
}

async fn add_line(
    counter: &Counter,
    cart: &CartId,
    sku: &str,
    quantity: Option<i64>,
) -> Result<(), Refused> {
    let quantity = quantity.ok_or(Refused::Cart(CartError::Quantity { given: -1 }))?;
    let on_sale = pricing::find(&counter.catalogue, sku)
        .is_some_and(|i| counter.catalogue.is_public(i.product));
    if on_sale && (1..=i64::from(cart::MAX_QUANTITY)).contains(&quantity) {
        let left = crate::stock::level(&counter.db, sku)
            .await
            .map_err(|e| Refused::Cart(e.into()))?
            .unwrap_or(0);
        if i64::from(left) < quantity {
            return Err(Refused::Stock { left });
        }
    }
    cart::add(&counter.db, &counter.catalogue, cart, sku, quantity)
        .await
        .map(drop)
        .map_err(Refused::Cart)
}

fn refuse_addition(counter: &Counter, sku: &str, refused: Refused) -> Result<Response, AppError> {
    let (status, message) = match refused {
        Refused::Cart(CartError::Db(e)) => return Err(internal(e)),
        Refused::Cart(error) => (status_of(&error), error.french_message()),
        Refused::Stock { left: 0 } => (
            StatusCode::CONFLICT,
            "Cet article est épuisé : il ne peut pas être ajouté au panier.".to_owned(),
        ),
        Refused::Stock { left } => (
            StatusCode::CONFLICT,
            format!("Il n’en reste que {left} : choisissez une quantité plus petite."),
        ),
    };
    let product = pricing::find(&counter.catalogue, sku)
        .filter(|i| counter.catalogue.is_public(i.product))
        .map(|i| counter.catalogue.product_path(i.product));
    let mut links = Vec::new();
    if let Some(path) = product.as_deref() {
        links.push(("Retour au produit", path));
    }
    links.extend([
        ("Voir mon panier", "/panier"),
        ("Voir les boutiques", "/boutiques/"),
    ]);
    Ok(shopping::refusal(&counter.site(), status, &message, &links))
}

/// The status of a refused cart change.
fn status_of(error: &CartError) -> StatusCode {
    match error {
        CartError::Quantity { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        CartError::UnknownItem { .. } => StatusCode::NOT_FOUND,
        CartError::TooManyLines => StatusCode::CONFLICT,
        CartError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `response` with the cart cookie (renewed for 30 days).
fn with_cookie(
    mut response: Response,
    counter: &Counter,
    cart: &CartId,
    headers: &HeaderMap,
) -> Response {
    response.headers_mut().append(
        header::SET_COOKIE,
        counter.key.set_cookie(cart, is_tls(headers)),
    );
    response
}
