//! Signing in and out, and choosing a password through a one-time link (invitation or
//! reset). Pages shown before login carry a CSRF token tied to a nonce cookie; failures
//! are rate limited per account and per network address ([`accounts::throttle`]); the
//! answer to a wrong address and to a wrong password is the same.

use super::auth::{self, LINK_CSRF, PRELOGIN_COOKIE, PRELOGIN_CSRF, SESSION_COOKIE, set_cookie};
use super::layout::{self, alert, field};
use crate::AppState;
use crate::accounts::{self, links, password, sessions, throttle};
use crate::error::AppError;
use crate::shopping::{self, Fields, session::SessionKey};
use axum::extract::rejection::RawFormRejection;
use axum::extract::{FromRequestParts, Path, Query, RawForm};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;
use maud::{Markup, html};
use std::convert::Infallible;
use std::net::SocketAddr;

/// The prelogin cookie lives an hour: the time to type a password.
const PRELOGIN_SECONDS: i64 = 3600;

/// The network address of the client (`"local"` in tests and behind a Unix socket).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

/// `?suite=` of the login page: where to go after signing in.
#[derive(Debug, serde::Deserialize, Default)]
pub struct Next {
    suite: Option<String>,
}

/// Only back-office and console paths of this site (never `//other.site`).
fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| {
        (n.starts_with("/espace-commercant/") || n.starts_with("/admin/"))
            && !n.contains("//")
            && !n.contains('\\')
    })
}

/// Where a user lands after signing in without a destination.
fn home_of(user: &accounts::User) -> &'static str {
    match user.role {
        accounts::Role::Merchant { .. } => "/espace-commercant/",
        accounts::Role::Admin => "/admin/",
    }
}

struct Desk {
    catalogue: std::sync::Arc<comptoir_indexer::Catalogue>,
    db: crate::db::Db,
    key: SessionKey,
}

async fn desk(state: &AppState) -> Result<Desk, AppError> {
    let live = state.live().ok_or(AppError::NoBuild)?;
    let catalogue = live.catalogue.clone().ok_or(AppError::NoBuild)?;
    let db = state.db().await.map_err(shopping::internal)?.clone();
    let key = state.shopping.key(state.data_dir()).await?.clone();
    Ok(Desk { catalogue, db, key })
}

fn outside(desk: &Desk, status: StatusCode, title: &str, path: &str, body: Markup) -> Response {
    let page = layout::outside(&desk.catalogue, crate::config::today(), title, path, body);
    layout::respond(status, page)
}

/// The nonce of the prelogin cookie, or a new one (then `Some` cookie to set).
fn prelogin(headers: &HeaderMap) -> (String, bool) {
    match auth::cookie(headers, PRELOGIN_COOKIE) {
        Some(nonce) => (nonce.to_owned(), false),
        None => (accounts::random_token(), true),
    }
}

fn with_prelogin(
    mut response: Response,
    nonce: &str,
    fresh: bool,
    headers: &HeaderMap,
) -> Response {
    if fresh {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(PRELOGIN_COOKIE, nonce, PRELOGIN_SECONDS, headers),
        );
    }
    response
}

fn prelogin_ok(key: &SessionKey, headers: &HeaderMap, fields: &Fields) -> bool {
    auth::cookie(headers, PRELOGIN_COOKIE)
        .is_some_and(|nonce| key.tag_ok(PRELOGIN_CSRF, nonce, fields.text("csrf")))
}

fn login_form(token: &str, email: &str, next: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Espace commerçant" }
        p.lead { "Gérez votre boutique : produits, stock et commandes." }
        @if let Some(message) = error { (alert(message)) }
        form.account method="post" action="/espace-commercant/connexion" {
            (shopping::csrf_field(token))
            @if !next.is_empty() { input type="hidden" name="suite" value=(next); }
            div.field {
                label for="f-email" { "Adresse e-mail" }
                input id="f-email" name="email" type="email" autocomplete="username" required value=(email);
            }
            div.field {
                label for="f-password" { "Mot de passe" }
                input id="f-password" name="password" type="password" autocomplete="current-password" required;
            }
            button.button type="submit" { "Se connecter" }
        }
        p { a href="/espace-commercant/mot-de-passe-oublie" { "Mot de passe oublié ?" } }
    }
}

/// `GET /espace-commercant/connexion`.
pub async fn login_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    Query(next): Query<Next>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let (nonce, fresh) = prelogin(&headers);
    let token = desk.key.tag(PRELOGIN_CSRF, &nonce);
    let body = login_form(
        &token,
        "",
        safe_next(next.suite.as_deref()).unwrap_or_default(),
        None,
    );
    let page = outside(
        &desk,
        StatusCode::OK,
        "Connexion",
        "/espace-commercant/connexion",
        body,
    );
    Ok(with_prelogin(page, &nonce, fresh, &headers))
}

/// `POST /espace-commercant/connexion`: signs in, or says why not.
pub async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    if !prelogin_ok(&desk.key, &headers, &fields) {
        return Err(AppError::Forbidden);
    }
    let email = fields.text("email").trim().to_owned();
    let next = safe_next(fields.get("suite")).map(str::to_owned);
    let again = |status: StatusCode, message: &str| {
        let (nonce, fresh) = prelogin(&headers);
        let token = desk.key.tag(PRELOGIN_CSRF, &nonce);
        let body = login_form(
            &token,
            &email,
            next.as_deref().unwrap_or_default(),
            Some(message),
        );
        with_prelogin(
            outside(
                &desk,
                status,
                "Connexion",
                "/espace-commercant/connexion",
                body,
            ),
            &nonce,
            fresh,
            &headers,
        )
    };
    let now = Timestamp::now();
    if let Some(wait) = throttle::wait(&desk.db, &email, &ip, now)
        .await
        .map_err(shopping::internal)?
    {
        let message = format!(
            "Trop de tentatives de connexion. Réessayez {}, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ».",
            throttle::french_wait(wait)
        );
        return Ok(again(StatusCode::TOO_MANY_REQUESTS, &message));
    }
    let found = accounts::by_email(&desk.db, &email)
        .await
        .map_err(shopping::internal)?;
    let (user, phc) = match found {
        Some((user, phc)) if !user.disabled => (Some(user), phc),
        _ => (None, None),
    };
    let matches = password::verify_blocking(fields.text("password").to_owned(), phc).await;
    let Some(user) = user.filter(|_| matches) else {
        throttle::failed(&desk.db, &email, &ip, now)
            .await
            .map_err(shopping::internal)?;
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Adresse e-mail ou mot de passe incorrect.",
        ));
    };
    throttle::succeeded(&desk.db, &user.email)
        .await
        .map_err(shopping::internal)?;
    let token = sessions::open(&desk.db, &user.id, now)
        .await
        .map_err(shopping::internal)?;
    tracing::info!(user = user.id, "back-office login");
    let next = next.as_deref().unwrap_or(home_of(&user));
    Ok(signed_in(&token, next, &headers))
}

fn signed_in(token: &str, next: &str, headers: &HeaderMap) -> Response {
    let mut response = shopping::see_other(next);
    let cookies = response.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, token, sessions::MAX_AGE.as_secs(), headers),
    );
    cookies.append(
        header::SET_COOKIE,
        set_cookie(PRELOGIN_COOKIE, "", 0, headers),
    );
    response
}

/// `POST /espace-commercant/deconnexion`.
pub async fn logout(
    axum::extract::State(state): axum::extract::State<AppState>,
    merchant: super::Merchant,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    merchant.check_csrf(fields.text("csrf"))?;
    if let Some(token) = auth::cookie(&headers, SESSION_COOKIE) {
        let db = state.db().await.map_err(shopping::internal)?;
        sessions::close(db, token)
            .await
            .map_err(shopping::internal)?;
    }
    let mut response = shopping::see_other("/espace-commercant/connexion");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, &headers),
    );
    Ok(response)
}

fn forgot_form(token: &str, email: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Mot de passe oublié" }
        p { "Indiquez l’adresse de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe." }
        form.account method="post" action="/espace-commercant/mot-de-passe-oublie" {
            (shopping::csrf_field(token))
            (field("email", "Adresse e-mail", "email", email, error))
            button.button type="submit" { "Recevoir le lien" }
        }
    }
}

/// `GET /espace-commercant/mot-de-passe-oublie`.
pub async fn forgot_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let (nonce, fresh) = prelogin(&headers);
    let body = forgot_form(&desk.key.tag(PRELOGIN_CSRF, &nonce), "", None);
    let page = outside(
        &desk,
        StatusCode::OK,
        "Mot de passe oublié",
        "/espace-commercant/mot-de-passe-oublie",
        body,
    );
    Ok(with_prelogin(page, &nonce, fresh, &headers))
}

/// `POST /espace-commercant/mot-de-passe-oublie`: e-mails a reset link when the account
/// exists; the answer is the same either way (it must not tell who has an account).
pub async fn forgot(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    if !prelogin_ok(&desk.key, &headers, &fields) {
        return Err(AppError::Forbidden);
    }
    let email = fields.text("email");
    if accounts::normalise_email(email).is_none() {
        let token = desk.key.tag(
            PRELOGIN_CSRF,
            auth::cookie(&headers, PRELOGIN_COOKIE).unwrap_or_default(),
        );
        let body = forgot_form(
            &token,
            email,
            Some("Écrivez une adresse e-mail, par exemple marie@fromagerie.fr."),
        );
        return Ok(outside(
            &desk,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Mot de passe oublié",
            "/espace-commercant/mot-de-passe-oublie",
            body,
        ));
    }
    let found = accounts::by_email(&desk.db, email)
        .await
        .map_err(shopping::internal)?;
    if let Some((user, _)) = found.filter(|(user, _)| !user.disabled) {
        send_link(
            &state,
            &desk.db,
            &desk.catalogue,
            &user,
            links::Purpose::Reset,
        )
        .await?;
    }
    let body = html! {
        h1 { "Vérifiez votre messagerie" }
        p role="status" { "Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé avec un lien valable une heure." }
        p { a href="/espace-commercant/connexion" { "Retour à la connexion" } }
    };
    Ok(outside(
        &desk,
        StatusCode::OK,
        "Mot de passe oublié",
        "/espace-commercant/mot-de-passe-oublie",
        body,
    ))
}

/// Issues a password link for `user` and e-mails it. Returns the link (absolute).
///
/// # Errors
///
/// When the database fails. A failed e-mail is logged, not an error.
pub async fn send_link(
    state: &AppState,
    db: &crate::db::Db,
    catalogue: &comptoir_indexer::Catalogue,
    user: &accounts::User,
    purpose: links::Purpose,
) -> Result<String, AppError> {
    let token = links::issue(db, &user.id, purpose, Timestamp::now())
        .await
        .map_err(shopping::internal)?;
    let url = format!("{}{}", catalogue.town.base_url, links::path(&token));
    let Some(mailer) = state.shopping.mailer(&state.config).await else {
        return Ok(url);
    };
    match crate::mail::password_link(catalogue, &user.email, purpose, &url) {
        Ok(message) => {
            if let Err(error) = mailer.send(message).await {
                tracing::error!(user = user.id, %error, "the password link e-mail failed");
            }
        }
        Err(error) => {
            tracing::error!(user = user.id, %error, "cannot write the password link e-mail")
        }
    }
    Ok(url)
}

fn password_form(path: &str, token: &str, email: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Choisir votre mot de passe" }
        p { "Compte : " strong { (email) } }
        form.account method="post" action=(path) {
            (shopping::csrf_field(token))
            input type="text" name="username" value=(email) autocomplete="username" hidden;
            div.field {
                label for="f-password" { "Nouveau mot de passe (10 caractères au moins)" }
                input id="f-password" name="password" type="password" autocomplete="new-password" required minlength="10"
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "f-password-error")];
                @if let Some(message) = error { p.field-error id="f-password-error" { (message) } }
            }
            div.field {
                label for="f-confirm" { "Le même, une seconde fois" }
                input id="f-confirm" name="confirm" type="password" autocomplete="new-password" required;
            }
            button.button type="submit" { "Enregistrer et me connecter" }
        }
    }
}

fn expired_link(desk: &Desk, path: &str) -> Response {
    let body = html! {
        h1 { "Lien expiré" }
        p.error role="alert" { "Ce lien a expiré ou a déjà servi." }
        p { a href="/espace-commercant/mot-de-passe-oublie" { "Recevoir un nouveau lien" } }
    };
    outside(desk, StatusCode::GONE, "Lien expiré", path, body)
}

/// `GET /espace-commercant/mot-de-passe/{token}`.
pub async fn password_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let path = links::path(&token);
    let Some(user) = links::peek(&desk.db, &token, Timestamp::now())
        .await
        .map_err(shopping::internal)?
    else {
        return Ok(expired_link(&desk, &path));
    };
    let body = password_form(&path, &desk.key.tag(LINK_CSRF, &token), &user.email, None);
    Ok(outside(
        &desk,
        StatusCode::OK,
        "Choisir votre mot de passe",
        &path,
        body,
    ))
}

/// `POST /espace-commercant/mot-de-passe/{token}`: sets the password, signs in.
pub async fn set_password(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Result<RawForm, RawFormRejection>,
) -> Result<Response, AppError> {
    let desk = desk(&state).await?;
    let fields = shopping::form_body(body).map_err(|_| AppError::Forbidden)?;
    if !desk.key.tag_ok(LINK_CSRF, &token, fields.text("csrf")) {
        return Err(AppError::Forbidden);
    }
    let path = links::path(&token);
    let now = Timestamp::now();
    let Some(user) = links::peek(&desk.db, &token, now)
        .await
        .map_err(shopping::internal)?
    else {
        return Ok(expired_link(&desk, &path));
    };
    let new = fields.text("password");
    let problem = password::check_new(new, &user.email).err().or_else(|| {
        (new != fields.text("confirm")).then_some("Les deux mots de passe ne sont pas identiques.")
    });
    if let Some(message) = problem {
        let body = password_form(&path, fields.text("csrf"), &user.email, Some(message));
        return Ok(outside(
            &desk,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisir votre mot de passe",
            &path,
            body,
        ));
    }
    let phc = password::hash_blocking(new.to_owned())
        .await
        .map_err(AppError::Internal)?;
    let Some(user) = links::redeem(&desk.db, &token, &phc, now)
        .await
        .map_err(shopping::internal)?
    else {
        return Ok(expired_link(&desk, &path));
    };
    let session = sessions::open(&desk.db, &user.id, now)
        .await
        .map_err(shopping::internal)?;
    tracing::info!(user = user.id, "password set through a link");
    Ok(signed_in(&session, home_of(&user), &headers))
}
