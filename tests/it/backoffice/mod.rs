//! The merchant back-office over HTTP, through the router: accounts and sessions, the
//! isolation of shops, stock, and each section's pages. [`MerchantClient`] is a browser
//! signed in as one shop's merchant (cookies carried by hand, CSRF token read off a page).

mod auth;
mod charter;
mod import;
mod isolation;
mod orders;
mod photos;
mod products;
mod stock;

use crate::helpers::{TestApp, TestResponse, copy_dir, fixtures};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The password every test merchant gets.
pub const PASSWORD: &str = "levain et comté 1987";

/// The fixture's shops (tests/fixtures/valid).
pub const BAKERY: &str = "boulangerie-du-parc";
pub const CHEESE: &str = "fromagerie-des-ecoles";
pub const CLOTHES: &str = "boutique-marguerite";

/// One part of a `multipart/form-data` body.
#[allow(dead_code, reason = "for the photo and import uploads")]
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

#[allow(dead_code, reason = "for the photo and import uploads")]
impl Part {
    /// A text field.
    pub fn text(name: &str, value: &str) -> Self {
        Self {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            bytes: value.as_bytes().to_vec(),
        }
    }

    /// A file.
    pub fn file(name: &str, filename: &str, content_type: &str, bytes: Vec<u8>) -> Self {
        Self {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            bytes,
        }
    }
}

/// A browser: keeps the cookies the server sets, sends them back, comes from `ip`.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub ip: SocketAddr,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self::from_ip(app, "192.0.2.10")
    }

    pub fn from_ip(app: &'a TestApp, ip: &str) -> Self {
        Self {
            app,
            cookies: BTreeMap::new(),
            ip: SocketAddr::new(ip.parse().expect("an IP"), 50_000),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = self.request(Method::GET, path).body(Body::empty());
        self.send(request.expect("request")).await
    }

    /// A form POST with exactly `fields` (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = self
            .request(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body));
        self.send(request.expect("request")).await
    }

    /// A `multipart/form-data` POST of `parts` (no token added).
    #[allow(dead_code, reason = "for the photo and import uploads")]
    pub async fn post_multipart_raw(&mut self, path: &str, parts: &[Part]) -> TestResponse {
        let boundary = "----comptoir-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{filename}\""));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(kind) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {kind}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .request(Method::POST, path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body));
        self.send(request.expect("request")).await
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .extension(axum::extract::ConnectInfo(self.ip));
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header("cookie", cookie);
        }
        builder
    }

    async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let response = self.app.send(request).await;
        for value in response.headers.get_all("set-cookie") {
            let text = value.to_str().expect("ascii cookie");
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        response
    }

    /// The value of the first `input[name=csrf]` of the page at `path`.
    pub async fn csrf_of(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text());
        crate::helpers::attr(&page.html(), "input[name=csrf]", "value").expect("a CSRF field")
    }

    /// Logs in through the login form; returns the answer to the POST.
    pub async fn log_in(&mut self, email: &str, password: &str) -> TestResponse {
        let csrf = self.csrf_of("/espace-commercant/connexion").await;
        self.post_raw(
            "/espace-commercant/connexion",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }
}

/// Creates `email`, merchant of `shop`, with [`PASSWORD`] (unless it exists).
pub async fn merchant_account(app: &TestApp, shop: &str, email: &str) -> String {
    let db = app.state.db().await.expect("database");
    let role = comptoir::accounts::Role::Merchant {
        shop: shop.to_owned(),
    };
    match comptoir::accounts::create(db, email, &role).await {
        Ok(user) => {
            let phc = comptoir::accounts::password::hash(PASSWORD).expect("hash");
            comptoir::accounts::set_password_hash(db, &user.id, &phc)
                .await
                .expect("set password");
            user.id
        }
        Err(comptoir::accounts::AccountError::Taken(_)) => {
            let (user, _) = comptoir::accounts::by_email(db, email)
                .await
                .expect("database")
                .expect("the user");
            user.id
        }
        Err(e) => panic!("cannot create {email}: {e}"),
    }
}

/// A browser signed in as the merchant of one shop.
#[allow(dead_code, reason = "fields for the sections' tests")]
pub struct MerchantClient<'a> {
    pub browser: Browser<'a>,
    pub shop: String,
    pub email: String,
    csrf: String,
}

impl<'a> MerchantClient<'a> {
    /// Creates (or reuses) `<shop>@exemple.fr` for `shop` and signs in through the form.
    pub async fn login(app: &'a TestApp, shop: &str) -> Self {
        let email = format!("{shop}@exemple.fr");
        merchant_account(app, shop, &email).await;
        let mut browser = Browser::new(app);
        let answer = browser.log_in(&email, PASSWORD).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "login: {}",
            answer.text()
        );
        let csrf = browser.csrf_of("/espace-commercant/").await;
        Self {
            browser,
            shop: shop.to_owned(),
            email,
            csrf,
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.browser.get(path).await
    }

    /// A form POST of `fields` plus the session's CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let all: Vec<(&str, &str)> = all.into_iter().collect();
        self.browser.post_raw(path, &all).await
    }

    #[allow(dead_code, reason = "for the photo and import uploads")]
    /// A multipart POST of `parts` plus the session's CSRF token (first part).
    pub async fn post_multipart(&mut self, path: &str, parts: Vec<Part>) -> TestResponse {
        let mut all = vec![Part::text("csrf", &self.csrf)];
        all.extend(parts);
        self.browser.post_multipart_raw(path, &all).await
    }

    #[allow(dead_code, reason = "for forms posted by hand")]
    pub fn csrf(&self) -> String {
        self.csrf.clone()
    }
}

/// Polls `check` until it holds; fails after 10 s saying `what` (and the health report).
pub async fn until(app: &TestApp, what: &str, check: impl AsyncFn(&TestApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check(app).await {
        if Instant::now() > deadline {
            let health = app.get("/healthz").await.text();
            panic!("still not true after 10 s: {what} (healthz: {health})");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `valid` fixture served by a server that follows its content folder (the live
/// catalogue), as `comptoir demo` does.
pub async fn watching_app() -> TestApp {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| config.watch = Some(Duration::from_millis(30)),
    );
    app.state
        .start_publisher(Duration::from_millis(30))
        .await
        .expect("the publisher starts");
    app
}

/// The `.eml` files of the outbox, as text (quoted-printable soft breaks joined).
pub fn outbox(app: &TestApp) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(app.data.join("outbox")) else {
        return Vec::new();
    };
    let mut mails: Vec<(std::path::PathBuf, String)> = entries
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("eml");
            (e.path(), text.replace("=\r\n", "").replace("=\n", ""))
        })
        .collect();
    mails.sort();
    mails.into_iter().map(|(_, text)| text).collect()
}

/// The fields a browser would send for the page's product form, without the CSRF token
/// (the client adds it), with `changes` applied (an empty value removes the field).
pub fn form_fields(html: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let page = scraper::Html::parse_document(html);
    let select = |s: &str| scraper::Selector::parse(s).expect("selector");
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in page.select(&select("form.product-form input[name]")) {
        let e = input.value();
        let (name, value) = (e.attr("name").unwrap_or(""), e.attr("value").unwrap_or(""));
        if name == "csrf" || (e.attr("type") == Some("checkbox") && e.attr("checked").is_none()) {
            continue;
        }
        fields.push((name.to_owned(), value.to_owned()));
    }
    for area in page.select(&select("form.product-form textarea[name]")) {
        let name = area.value().attr("name").unwrap_or("");
        fields.push((name.to_owned(), area.text().collect()));
    }
    for chosen in page.select(&select("form.product-form select[name]")) {
        let value = chosen
            .select(&select("option[selected]"))
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("");
        fields.push((
            chosen.value().attr("name").unwrap_or("").to_owned(),
            value.to_owned(),
        ));
    }
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            fields.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    fields
}

/// Opens the product's form, changes `changes` and saves it.
pub async fn edit(
    client: &mut MerchantClient<'_>,
    id: &str,
    changes: &[(&str, &str)],
) -> TestResponse {
    let path = format!("/espace-commercant/produits/{id}");
    let form = client.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{path}");
    let fields = form_fields(&form.text(), changes);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    client.post(&path, &refs).await
}
