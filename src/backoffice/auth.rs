//! Who is signed in: the session cookie, the [`Merchant`] every back-office handler
//! takes, and the CSRF tokens of back-office forms.
//!
//! - **The session cookie** `comptoir_session` holds a random token (the database keeps
//!   its SHA-256, see [`crate::accounts::sessions`]). `HttpOnly`, `SameSite=Lax`, `Secure`
//!   when the request came over TLS, `Path=/`.
//! - **CSRF**: a signed-in form carries `csrf` = HMAC of the session under the server's
//!   key ([`SessionKey::tag`]); forms shown before login (login, forgotten password) carry
//!   the HMAC of a random nonce kept in the short-lived `comptoir_prelogin` cookie; a
//!   password link's form, the HMAC of the link's token. Every POST checks its token in
//!   constant time before anything else.

use crate::AppState;
use crate::accounts::{self, Role};
use crate::error::AppError;
use crate::shopping::session::{SessionKey, is_tls};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use comptoir_indexer::Catalogue;
use jiff::civil::Date;
use std::sync::Arc;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "comptoir_session";

/// The cookie carrying the nonce of forms shown before login.
pub const PRELOGIN_COOKIE: &str = "comptoir_prelogin";

/// Labels of the MACs, so one token never stands for another.
pub(crate) const SESSION_CSRF: &str = "backoffice-csrf";
pub(crate) const PRELOGIN_CSRF: &str = "backoffice-prelogin";
pub(crate) const LINK_CSRF: &str = "backoffice-password-link";

/// A merchant signed in, with what every back-office page needs. Handlers take it as an
/// extractor: without a live session of a merchant, the request is answered with a 303 to
/// the login page (which comes back here afterwards).
#[derive(Clone)]
pub struct Merchant {
    /// The user's id.
    pub user_id: String,
    /// The user's address (their login).
    pub email: String,
    /// The slug of the shop they run: every query of theirs is scoped to it.
    pub shop: String,
    /// The shop's name (its slug when the catalogue does not list it).
    pub shop_name: String,
    /// The live catalogue.
    pub catalogue: Arc<Catalogue>,
    /// Today, in Paris.
    pub today: Date,
    key: SessionKey,
    session: String,
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant")
            .field("email", &self.email)
            .field("shop", &self.shop)
            .finish_non_exhaustive()
    }
}

impl Merchant {
    /// The CSRF token of this session's forms.
    #[must_use]
    pub fn csrf(&self) -> String {
        self.key.tag(SESSION_CSRF, &self.session)
    }

    /// Checks a form's CSRF token.
    ///
    /// # Errors
    ///
    /// [`AppError::Forbidden`] (403, French message) when it does not check.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if self.key.tag_ok(SESSION_CSRF, &self.session, token) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The catalogue's shop of this merchant, if published (online: it accepted the
    /// quality charter's current version).
    #[must_use]
    pub fn published_shop(&self) -> Option<&comptoir_indexer::model::Shop> {
        self.catalogue
            .shops
            .iter()
            .find(|s| s.slug == self.shop && s.online)
    }
}

/// Not signed in as a merchant: go to the login page, then come back.
#[derive(Debug)]
pub struct SignIn {
    back_to: String,
}

impl IntoResponse for SignIn {
    fn into_response(self) -> Response {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("suite", &self.back_to)
            .finish();
        crate::shopping::see_other(&format!("/espace-commercant/connexion?{query}"))
    }
}

/// Why a back-office request has no merchant.
#[derive(Debug)]
pub enum Refused {
    /// Nobody (or not a merchant) is signed in.
    SignIn(SignIn),
    /// The server cannot tell (no build, database down).
    Error(AppError),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn(sign_in) => sign_in.into_response(),
            Self::Error(error) => error.into_response(),
        }
    }
}

/// What a live session gives: the user, the key of their forms, the catalogue.
struct Signed {
    user: accounts::User,
    session: String,
    key: SessionKey,
    catalogue: Arc<Catalogue>,
}

/// The user of the request's session, or the way to the login page.
async fn signed(parts: &Parts, state: &AppState) -> Result<Signed, Refused> {
    let back_to = parts
        .uri
        .path_and_query()
        .map_or("/espace-commercant/", |p| p.as_str())
        .to_owned();
    let sign_in = || {
        Refused::SignIn(SignIn {
            back_to: back_to.clone(),
        })
    };
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Err(sign_in());
    };
    let db = state.db().await.map_err(|e| Refused::Error(internal(e)))?;
    let user = accounts::sessions::resolve(db, token, jiff::Timestamp::now())
        .await
        .map_err(|e| Refused::Error(internal(e)))?;
    let Some(user) = user else {
        return Err(sign_in());
    };
    let live = state.live().ok_or(Refused::Error(AppError::NoBuild))?;
    let catalogue = live
        .catalogue
        .clone()
        .ok_or(Refused::Error(AppError::NoBuild))?;
    let key = state
        .shopping
        .key(state.data_dir())
        .await
        .map_err(Refused::Error)?
        .clone();
    Ok(Signed {
        user,
        session: accounts::token_hash(token),
        key,
        catalogue,
    })
}

impl FromRequestParts<AppState> for Merchant {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let signed = signed(parts, state).await?;
        let Role::Merchant { shop } = signed.user.role else {
            // Staff have their own console; the back-office of shops is not theirs.
            return Err(Refused::Error(AppError::NotFound));
        };
        let shop_name = signed
            .catalogue
            .shops
            .iter()
            .find(|s| s.slug == shop)
            .map_or_else(|| shop.clone(), |s| s.name.clone());
        Ok(Self {
            user_id: signed.user.id,
            email: signed.user.email,
            shop,
            shop_name,
            catalogue: signed.catalogue,
            today: crate::config::today(),
            key: signed.key,
            session: signed.session,
        })
    }
}

/// A member of the association's staff signed in: the extractor of `/admin/` handlers.
/// Anonymous visitors are sent to the login page; merchants get a 404.
#[derive(Clone)]
pub struct Staff {
    /// The user's id.
    pub user_id: String,
    /// The user's address.
    pub email: String,
    /// The live catalogue.
    pub catalogue: Arc<Catalogue>,
    /// Today, in Paris.
    pub today: Date,
    key: SessionKey,
    session: String,
}

impl std::fmt::Debug for Staff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staff")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl Staff {
    /// The CSRF token of this session's forms.
    #[must_use]
    pub fn csrf(&self) -> String {
        self.key.tag(SESSION_CSRF, &self.session)
    }

    /// Checks a form's CSRF token.
    ///
    /// # Errors
    ///
    /// [`AppError::Forbidden`] when it does not check.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if self.key.tag_ok(SESSION_CSRF, &self.session, token) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refused> {
        let signed = signed(parts, state).await?;
        if signed.user.role != Role::Admin {
            return Err(Refused::Error(AppError::NotFound));
        }
        Ok(Self {
            user_id: signed.user.id,
            email: signed.user.email,
            catalogue: signed.catalogue,
            today: crate::config::today(),
            key: signed.key,
            session: signed.session,
        })
    }
}

fn internal(error: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(error.into())
}

/// The value of the cookie `name`, if the request carries it.
#[must_use]
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure over TLS; `max_age` 0 deletes it.
#[must_use]
pub fn set_cookie(name: &str, value: &str, max_age: i64, request: &HeaderMap) -> HeaderValue {
    let secure = if is_tls(request) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("comptoir_session=; Max-Age=0"))
}
