//! Which cart a browser holds, and proof that a form came from this site.
//!
//! - **The cart cookie** `panier` is `<cart id>.<MAC>`, the MAC an HMAC-SHA-256 of the id
//!   under the server's secret key. A cookie whose MAC does not check is ignored (the
//!   visitor starts a new, empty cart), never an error. It is `HttpOnly` (scripts cannot
//!   read it), `SameSite=Lax` (browsers do not send it with cross-site POSTs), `Secure`
//!   when the request came over TLS, and lives 30 days like the cart, renewed with each
//!   change.
//! - **CSRF**: every form the server draws carries `csrf`, an HMAC of the cart id under
//!   the same key with another label, checked in constant time on every POST. No valid
//!   cart cookie, no valid token.
//! - **Add to cart** from a pre-rendered product page cannot carry a per-visitor token:
//!   the page is one file for everyone, maybe served by a CDN. That route alone checks
//!   instead that the `Origin` header (or `Referer` when a browser sends no `Origin`)
//!   names this site ([`same_origin`]); browsers set both themselves and a page of another
//!   site cannot forge them. A POST naming neither is refused. See OWASP's Cross-Site
//!   Request Forgery Prevention Cheat Sheet, "Verifying Origin With Standard Headers".
//! - **The key**: 32 random bytes in `<data>/secret.key` (mode 0600), made on first use.
//!   Deleting it forgets every cart cookie (the carts stay in the database until they
//!   expire).

use crate::cart::{self, CartId};
use axum::http::header::{COOKIE, HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, HeaderValue};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The key file in the data folder.
pub const KEY_FILE: &str = "secret.key";

/// The cart cookie's name.
pub const COOKIE_NAME: &str = "panier";

/// The hidden field of every form the server draws.
pub const CSRF_FIELD: &str = "csrf";

/// Bytes of the key: as long as SHA-256's output, as RFC 2104 §3 recommends.
const KEY_BYTES: usize = 32;

/// What each MAC is for, so one can never stand for another.
const COOKIE_LABEL: &str = "cart-cookie";
const CSRF_LABEL: &str = "csrf";

type HmacSha256 = Hmac<Sha256>;

/// Why the key could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read or written.
    #[error(
        "cannot read or create the secret key {path}: {source} (check the data folder's permissions)"
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not 32 bytes long.
    #[error(
        "the secret key {path} has {len} bytes instead of {KEY_BYTES}: delete it to make a new one (shoppers' cart cookies will be forgotten)"
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: usize,
    },
}

/// The server's secret key, for cart cookies and CSRF tokens. Never printed.
#[derive(Clone)]
pub struct SessionKey([u8; KEY_BYTES]);

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

impl SessionKey {
    /// A key from its bytes.
    #[must_use]
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    /// The key of the data folder `data`, made (random, mode 0600) if it has none yet.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the file cannot be read or written, or is not a key.
    pub fn load_or_create(data: &Path) -> Result<Self, KeyError> {
        let path = data.join(KEY_FILE);
        let io = |source| KeyError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) => return Self::parse(&path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        std::fs::create_dir_all(data).map_err(io)?;
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| io(std::io::Error::other(e.to_string())))?;
        // Written whole under another name, then linked into place: linking fails if
        // another server made the key meanwhile, and nobody ever reads half a key.
        let partial = data.join(format!(".{KEY_FILE}.{}", cart::random_hex()));
        write_private(&partial, &bytes).map_err(io)?;
        let linked = std::fs::hard_link(&partial, &path);
        let _ = std::fs::remove_file(&partial);
        match linked {
            Ok(()) => {
                tracing::info!(path = %path.display(), "made a new secret key for cart cookies");
                Ok(Self(bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::parse(&path, &std::fs::read(&path).map_err(io)?)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn parse(path: &Path, bytes: &[u8]) -> Result<Self, KeyError> {
        let key = <[u8; KEY_BYTES]>::try_from(bytes).map_err(|_| KeyError::Malformed {
            path: path.to_owned(),
            len: bytes.len(),
        })?;
        Ok(Self(key))
    }

    fn mac(&self, label: &str, value: &str) -> HmacSha256 {
        #[expect(clippy::expect_used, reason = "HMAC takes keys of any length")]
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("any key length");
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac
    }

    fn sign(&self, label: &str, value: &str) -> String {
        hex(&self.mac(label, value).finalize().into_bytes())
    }

    /// The MAC (hex) of `value` for the purpose `label`: tokens of the back-office forms.
    #[must_use]
    pub fn tag(&self, label: &str, value: &str) -> String {
        self.sign(label, value)
    }

    /// Whether `tag` is [`SessionKey::tag`] of `value` for `label`, in constant time.
    #[must_use]
    pub fn tag_ok(&self, label: &str, value: &str, tag: &str) -> bool {
        self.verify(label, value, tag)
    }

    /// Whether `tag` (hex) is the MAC of `value`, compared in constant time.
    fn verify(&self, label: &str, value: &str, tag: &str) -> bool {
        unhex(tag).is_some_and(|tag| self.mac(label, value).verify_slice(&tag).is_ok())
    }

    /// The cart cookie's value for `cart`.
    #[must_use]
    pub fn cookie_value(&self, cart: &CartId) -> String {
        format!("{cart}.{}", self.sign(COOKIE_LABEL, cart.as_str()))
    }

    /// The cart a cookie's value names, if its MAC checks.
    #[must_use]
    pub fn cart_of_cookie(&self, value: &str) -> Option<CartId> {
        let (id, tag) = value.split_once('.')?;
        let cart = CartId::parse(id)?;
        self.verify(COOKIE_LABEL, cart.as_str(), tag)
            .then_some(cart)
    }

    /// The CSRF token of the forms drawn for `cart`.
    #[must_use]
    pub fn csrf_token(&self, cart: &CartId) -> String {
        self.sign(CSRF_LABEL, cart.as_str())
    }

    /// Whether `token` is `cart`'s CSRF token (constant time).
    #[must_use]
    pub fn csrf_ok(&self, cart: &CartId, token: &str) -> bool {
        self.verify(CSRF_LABEL, cart.as_str(), token)
    }

    /// The cart of the request's cookie, if one is validly signed.
    #[must_use]
    pub fn cart_of(&self, headers: &HeaderMap) -> Option<CartId> {
        cookies(headers, COOKIE_NAME).find_map(|value| self.cart_of_cookie(value))
    }

    /// The `Set-Cookie` value that gives the browser `cart` for 30 days.
    #[must_use]
    pub fn set_cookie(&self, cart: &CartId, secure: bool) -> HeaderValue {
        let max_age = cart::LIFETIME.as_secs();
        let secure = if secure { "; Secure" } else { "" };
        let cookie = format!(
            "{COOKIE_NAME}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.cookie_value(cart)
        );
        // Hex digits, a dot and fixed attributes: always a valid header value.
        HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The values of the cookies named `name` in the request's `Cookie` headers.
fn cookies<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(move |pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n == name).then(|| value.trim_matches('"'))
        })
}

/// Whether the request reached us over TLS: the server itself speaks plain HTTP behind a
/// proxy that says so with `X-Forwarded-Proto` or `Forwarded` (RFC 7239).
#[must_use]
pub fn is_tls(headers: &HeaderMap) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header("x-forwarded-proto").is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
        || header("forwarded").is_some_and(|f| {
            f.split([';', ','])
                .any(|part| part.trim().eq_ignore_ascii_case("proto=https"))
        })
}

/// Whether the request's `Origin` (or, when absent, `Referer`) is this site: the host the
/// request was sent to, or the catalogue's public address `base_url` (a proxy may rewrite
/// `Host`). No `Origin` nor `Referer`, or `Origin: null`, is not.
#[must_use]
pub fn same_origin(headers: &HeaderMap, base_url: &str) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let Some((_, authority)) = header(ORIGIN)
        .or_else(|| header(REFERER))
        .and_then(origin_of)
    else {
        return false;
    };
    let host = header(HOST).is_some_and(|h| h.trim().eq_ignore_ascii_case(authority));
    let public =
        origin_of(base_url).is_some_and(|(_, public)| public.eq_ignore_ascii_case(authority));
    host || public
}

/// The scheme and authority (`host[:port]`) of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty() && !authority.contains('@')).then_some((scheme, authority))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SessionKey {
        SessionKey::from_bytes([byte; KEY_BYTES])
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    #[test]
    fn cookies_name_their_cart_only_with_the_right_key() {
        let cart = CartId::generate();
        let value = key(1).cookie_value(&cart);
        assert_eq!(key(1).cart_of_cookie(&value), Some(cart.clone()));
        assert_eq!(key(2).cart_of_cookie(&value), None, "another key");
        let other = CartId::generate();
        let (_, tag) = value.split_once('.').expect("id.tag");
        let swapped = format!("{other}.{tag}");
        for forged in [
            swapped.as_str(),
            cart.as_str(),
            "",
            "x.y",
            &value[..value.len() - 1],
        ] {
            assert_eq!(key(1).cart_of_cookie(forged), None, "{forged:?}");
        }
        let sent = headers(&[(
            "cookie",
            &format!("theme=dark; panier=bad.00; panier={value}"),
        )]);
        assert_eq!(key(1).cart_of(&sent), Some(cart));
    }

    #[test]
    fn csrf_tokens_belong_to_one_cart_and_differ_from_the_cookie() {
        let (a, b) = (CartId::generate(), CartId::generate());
        let token = key(1).csrf_token(&a);
        assert!(key(1).csrf_ok(&a, &token));
        assert!(!key(1).csrf_ok(&b, &token));
        assert!(!key(2).csrf_ok(&a, &token));
        let cookie_tag = key(1)
            .cookie_value(&a)
            .split_once('.')
            .map(|(_, t)| t.to_owned());
        assert!(!key(1).csrf_ok(&a, &cookie_tag.unwrap_or_default()));
        for bad in ["", "zz", &token.to_uppercase()[..4]] {
            assert!(!key(1).csrf_ok(&a, bad), "{bad:?}");
        }
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_tls() {
        let cart = CartId::generate();
        let plain = key(1).set_cookie(&cart, false);
        let plain = plain.to_str().expect("ascii");
        assert!(plain.starts_with("panier="));
        for attribute in ["Path=/", "Max-Age=2592000", "HttpOnly", "SameSite=Lax"] {
            assert!(plain.contains(attribute), "{plain}");
        }
        assert!(!plain.contains("Secure"));
        assert!(
            key(1)
                .set_cookie(&cart, true)
                .to_str()
                .is_ok_and(|c| c.ends_with("; Secure"))
        );
        assert!(is_tls(&headers(&[("x-forwarded-proto", "https")])));
        assert!(is_tls(&headers(&[(
            "forwarded",
            "for=1.2.3.4;proto=https"
        )])));
        assert!(!is_tls(&headers(&[("x-forwarded-proto", "http")])));
    }

    #[test]
    fn only_this_site_may_post_without_a_token() {
        let base = "https://www.exemple-ville.fr";
        let cases: [(&[(&'static str, &str)], bool); 9] = [
            (&[("origin", "https://www.exemple-ville.fr")], true),
            (
                &[
                    ("origin", "http://127.0.0.1:8080"),
                    ("host", "127.0.0.1:8080"),
                ],
                true,
            ),
            (
                &[
                    ("referer", "https://www.exemple-ville.fr/boutiques/x/"),
                    ("host", "a"),
                ],
                true,
            ),
            (
                &[
                    ("origin", "https://evil.example"),
                    ("host", "www.exemple-ville.fr"),
                ],
                false,
            ),
            (
                &[("origin", "https://www.exemple-ville.fr.evil.example")],
                false,
            ),
            (
                &[("origin", "null"), ("host", "www.exemple-ville.fr")],
                false,
            ),
            (&[("host", "www.exemple-ville.fr")], false),
            (
                &[(
                    "referer",
                    "https://evil.example/?https://www.exemple-ville.fr",
                )],
                false,
            ),
            (&[("origin", "https://x@www.exemple-ville.fr")], false),
        ];
        for (pairs, ok) in cases {
            assert_eq!(same_origin(&headers(pairs), base), ok, "{pairs:?}");
        }
    }

    #[test]
    fn the_key_is_made_once_private_and_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let first = SessionKey::load_or_create(&data).expect("made");
        let again = SessionKey::load_or_create(&data).expect("read");
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(data.join(KEY_FILE))
                .expect("key")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(data.join(KEY_FILE), b"short").expect("write");
        assert!(matches!(
            SessionKey::load_or_create(&data),
            Err(KeyError::Malformed { len: 5, .. })
        ));
    }
}
