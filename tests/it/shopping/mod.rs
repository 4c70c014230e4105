//! The shopper's side over HTTP, through the router: product page → cart → checkout →
//! confirmation → tracking, and what an abuser tries. Cookies are carried by hand
//! ([`Shopper`]).
//!
//! `on_both_databases!(name, …)` turns `async fn name(app: TestApp)` into `name::sqlite`
//! (the data folder's SQLite file) and `name::postgres` (a fresh database on the server at
//! `COMPTOIR_TEST_POSTGRES_URL`, dropped afterwards; skipped, saying so, when unset).
//! The server runs on the real clock, so tests choose among the options the form offers.

mod abuse;
mod capacity;
pub mod journey;

use crate::commerce::{POSTGRES_URL_VAR, execute, with_database};
use crate::helpers::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use comptoir::cart::CartId;
use sqlx::Row;
use std::future::Future;
use std::time::{Duration, Instant};

/// The fixture's public address: product pages post from there.
pub const SITE: &str = "https://www.exemple-ville.fr";

pub const BAGUETTE: &str = "parc-baguette-tradition";
pub const BRIE: &str = "ecoles-brie-meaux";
pub const COMTE: &str = "ecoles-comte-18";
pub const SCARF: &str = "ECHARPE-ROUGE";
pub const BAKERY: &str = "boulangerie-du-parc";
pub const CHEESE: &str = "fromagerie-des-ecoles";
pub const CLOTHES: &str = "boutique-marguerite";

/// Defines `$test::sqlite` and `$test::postgres` for each `async fn $test(app: TestApp)`.
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::shopping::run_sqlite(super::$test).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::shopping::run_postgres(super::$test).await;
            }
        }
    )*};
}
pub(crate) use on_both_databases;

/// Runs `test` against the fixture with its SQLite file.
pub async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    test(TestApp::with_database(None)).await;
}

/// Runs `test` against the fixture with a fresh PostgreSQL database, dropped afterwards.
pub async fn run_postgres<F, Fut>(test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin) = std::env::var(POSTGRES_URL_VAR) else {
        eprintln!("skipping PostgreSQL: {POSTGRES_URL_VAR} unset");
        return;
    };
    let name = format!("comptoir_http_{}", CartId::generate());
    execute(&admin, &format!("CREATE DATABASE {name}")).await;
    let app = TestApp::with_database(Some(&with_database(&admin, &name)));
    // Spawned so that a failing test still drops its database before failing.
    let outcome = tokio::spawn(test(app)).await;
    execute(&admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// A browser: keeps the cart cookie the server sets, posts forms from this site.
pub struct Shopper<'a> {
    pub app: &'a TestApp,
    /// `panier=…`, as the browser sends it back.
    pub cookie: Option<String>,
}

impl<'a> Shopper<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = self.request(Method::GET, path, &[]);
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// A form POST from a page of this site (`Origin` set), cookie included.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.post_with(path, &encode(fields), &[("origin", SITE)])
            .await
    }

    /// A form POST of `body` with `headers`, cookie included.
    pub async fn post_with(
        &mut self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let request = self
            .request(Method::POST, path, headers)
            .header("content-type", "application/x-www-form-urlencoded");
        self.send(request.body(Body::from(body.to_owned())).expect("request"))
            .await
    }

    /// Adds `quantity` of `sku` as a product page's form does.
    pub async fn add(&mut self, sku: &str, quantity: &str) -> TestResponse {
        self.post("/panier/ajouter", &[("sku", sku), ("quantity", quantity)])
            .await
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(cookie) = &self.cookie {
            builder = builder.header("cookie", cookie);
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder
    }

    async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let response = self.app.send(request).await;
        let set = response.header("set-cookie");
        if let Some(pair) = set.split(';').next().filter(|p| p.starts_with("panier=")) {
            self.cookie = Some(pair.to_owned());
        }
        response
    }
}

/// `application/x-www-form-urlencoded`.
pub fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The value of the first `input` matching `selector`.
pub fn value(page: &TestResponse, selector: &str) -> String {
    crate::helpers::attr(&page.html(), selector, "value")
        .unwrap_or_else(|| panic!("no {selector} in {}", page.text()))
}

/// The values of the radios of `shop`'s delivery group starting with `prefix` (a mode's
/// key), the disabled (full) ones left out.
pub fn radios(page: &TestResponse, shop: &str, prefix: &str) -> Vec<String> {
    let selector = format!(r#"input[type="radio"][name="livraison-{shop}"]:not([disabled])"#);
    let selector = scraper::Selector::parse(&selector).expect("selector");
    page.html()
        .select(&selector)
        .filter_map(|e| e.value().attr("value"))
        .filter(|v| v.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// Where a 303 goes.
pub fn location(response: &TestResponse) -> String {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    response.header("location").to_owned()
}

/// How many rows `table` has.
pub async fn count(app: &TestApp, table: &str) -> i64 {
    let db = app.state.db().await.expect("database");
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(db.pool())
        .await
        .expect("count")
        .try_get("n")
        .expect("n")
}

/// The stock of `sku`.
pub async fn stock(app: &TestApp, sku: &str) -> u32 {
    let db = app.state.db().await.expect("database");
    comptoir::stock::level(db, sku)
        .await
        .expect("stock")
        .unwrap_or(0)
}

/// The `.eml` files of the outbox once there are at least `n`, waiting up to 10 s (mail
/// goes out after the answer).
pub async fn outbox(app: &TestApp, n: usize) -> Vec<String> {
    let dir = app.data.join(comptoir::mail::OUTBOX_DIR);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mails: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if mails.len() >= n || Instant::now() > deadline {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
