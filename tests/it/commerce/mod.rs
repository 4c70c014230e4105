//! The database and the order engine (carts, stock, pricing, delivery, checkout, statuses,
//! e-mails), each test run on SQLite and on PostgreSQL.
//!
//! `on_both_databases!(name, …)` turns `async fn name(env: Env)` into two tests,
//! `name::sqlite` (a fresh file in a temp folder) and `name::postgres` (a fresh database on
//! the server at `COMPTOIR_TEST_POSTGRES_URL`, dropped afterwards, even when the test
//! fails; skipped, saying so, when the variable is unset). Each test has its own database,
//! so tests run in parallel. Time is fixed: Tuesday 10 March 2026, 09:00 in Sceaux.

mod cart;
mod checkout;
mod db;
mod delivery;
mod mail;
mod pricing;
mod search_stats;
mod status;

use comptoir::cart::{CartId, CartLine};
use comptoir::db::Db;
use comptoir::delivery::Choice;
use comptoir::orders::{self, Checkout, CheckoutError, Contact, OrderSettings, Placed};
use comptoir::{Config, stock};
use comptoir_indexer::Catalogue;
use comptoir_indexer::model::Address;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use sqlx::Connection;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

/// The variable naming the PostgreSQL server for tests (any database on it: each test
/// creates its own).
pub const POSTGRES_URL_VAR: &str = "COMPTOIR_TEST_POSTGRES_URL";

/// Defines `$test::sqlite` and `$test::postgres` for each `async fn $test(env: Env)`.
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::commerce::run_sqlite(super::$test).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::commerce::run_postgres(super::$test).await;
            }
        }
    )*};
}
pub(crate) use on_both_databases;

/// What a test gets: a migrated database with the fixture's stock, the fixture catalogue
/// (tests may change their copy), and a data folder of its own.
pub struct Env {
    pub db: Db,
    pub catalogue: Arc<Catalogue>,
    pub data: PathBuf,
    /// The URL to open the same database again (a restart).
    pub url: String,
    _dir: Arc<tempfile::TempDir>,
}

impl Env {
    /// The catalogue, to change for this test (before placing orders with it).
    pub fn catalogue_mut(&mut self) -> &mut Catalogue {
        Arc::make_mut(&mut self.catalogue)
    }

    /// Places `checkout` at [`now`] with the default settings.
    pub async fn place(&self, checkout: &Checkout) -> Result<Placed, CheckoutError> {
        self.place_at(checkout, now()).await
    }

    /// Places `checkout` at `at`.
    pub async fn place_at(
        &self,
        checkout: &Checkout,
        at: Timestamp,
    ) -> Result<Placed, CheckoutError> {
        orders::place(
            &self.db,
            &self.catalogue,
            checkout,
            &OrderSettings::default(),
            at,
        )
        .await
    }

    /// The stock of `sku`.
    pub async fn stock(&self, sku: &str) -> u32 {
        stock::level(&self.db, sku)
            .await
            .expect("stock read")
            .unwrap_or(0)
    }

    /// The order numbers with a sub-order of `shop`.
    pub async fn orders_of(&self, shop: &str) -> Vec<String> {
        orders::numbers_for_shop(&self.db, shop)
            .await
            .expect("orders read")
    }
}

/// The `valid` fixture catalogue.
pub fn fixture() -> Catalogue {
    let content = crate::helpers::fixtures().join("valid");
    comptoir_indexer::load::load(&content).expect("the fixture loads")
}

async fn env_for(db: Db, url: String, dir: tempfile::TempDir) -> Env {
    let catalogue = fixture();
    stock::seed(&db, &catalogue).await.expect("stock seeded");
    Env {
        db,
        catalogue: Arc::new(catalogue),
        data: dir.path().join("data"),
        url,
        _dir: Arc::new(dir),
    }
}

/// Runs `test` on a fresh SQLite file (the default database of a data folder).
pub async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::for_tests(dir.path().join("content"), dir.path().join("data"));
    let db = Db::open(&config).await.expect("SQLite opens");
    let url = format!(
        "sqlite://{}",
        config.data.join(comptoir::db::SQLITE_FILE).display()
    );
    test(env_for(db, url, dir).await).await;
}

/// Runs `test` on a fresh PostgreSQL database, dropped afterwards.
pub async fn run_postgres<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin) = std::env::var(POSTGRES_URL_VAR) else {
        eprintln!("skipping PostgreSQL: {POSTGRES_URL_VAR} unset");
        return;
    };
    let name = format!("comptoir_test_{}", CartId::generate());
    execute(&admin, &format!("CREATE DATABASE {name}")).await;
    let url = with_database(&admin, &name);
    let db = Db::open_url(&url).await.expect("PostgreSQL opens");
    let env = env_for(db, url, tempfile::tempdir().expect("temp dir")).await;
    // Spawned so that a failing test still drops its database before failing.
    let outcome = tokio::spawn(test(env)).await;
    execute(&admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

pub async fn execute(url: &str, sql: &str) {
    let mut conn = sqlx::postgres::PgConnection::connect(url)
        .await
        .expect("PostgreSQL reachable");
    sqlx::raw_sql(sql).execute(&mut conn).await.expect(sql);
    conn.close().await.expect("closed");
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// Today in the tests: Tuesday 10 March 2026.
pub const TODAY: Date = date(2026, 3, 10);

/// Wednesday, the day after.
pub const WEDNESDAY: Date = date(2026, 3, 11);

/// `hour:minute` on `day`, Sceaux time.
pub fn at(day: Date, hour: i8, minute: i8) -> Timestamp {
    day.at(hour, minute, 0, 0)
        .to_zoned(comptoir::delivery::calendar::paris())
        .expect("a valid time")
        .timestamp()
}

/// The tests' current time: Tuesday 09:00.
pub fn now() -> Timestamp {
    at(TODAY, 9, 0)
}

/// Marie, who lives in Sceaux.
pub fn marie() -> Contact {
    Contact {
        name: "Marie Dupont".into(),
        email: "marie@exemple.fr".into(),
        phone: "06 12 34 56 78".into(),
    }
}

/// A checkout of `lines` with `choices` by shop slug, Marie's details and a fresh key.
pub fn checkout(lines: &[(&str, u32)], choices: &[(&str, Choice)]) -> Checkout {
    Checkout {
        lines: lines
            .iter()
            .map(|(sku, quantity)| CartLine {
                sku: (*sku).to_owned(),
                quantity: *quantity,
            })
            .collect(),
        contact: marie(),
        address: Some(Address {
            street: "3 rue des Imbergères".into(),
            postcode: "92330".into(),
            city: "Sceaux".into(),
        }),
        choices: choices
            .iter()
            .map(|(shop, choice)| ((*shop).to_owned(), choice.clone()))
            .collect(),
        idempotency_key: format!("key-{}", CartId::generate()),
        ..Checkout::default()
    }
}

pub const BAKERY: &str = "boulangerie-du-parc";
pub const CLOTHES: &str = "boutique-marguerite";
pub const CHEESE: &str = "fromagerie-des-ecoles";
pub const BAGUETTE: &str = "parc-baguette-tradition";
pub const BRIE: &str = "ecoles-brie-meaux";
pub const COMTE: &str = "ecoles-comte-18";
pub const SCARF_RED: &str = "ECHARPE-ROUGE";
pub const SWEATER_ECRU: &str = "PULL-ECRU-M";

/// The relay point's morning slot on `day`.
pub fn relay(day: Date, slot: &str) -> Choice {
    Choice::Relay {
        point: "relais-blagis".into(),
        day,
        slot: slot.into(),
    }
}

/// The locker on `day`.
pub fn locker(day: Date) -> Choice {
    Choice::Locker {
        point: "consigne-robinson".into(),
        day,
    }
}

/// Home delivery on `day` in `slot`.
pub fn home(day: Date, slot: &str) -> Choice {
    Choice::Home {
        day,
        slot: slot.into(),
    }
}

pub const MORNING: &str = "10:00-12:00";
pub const EVENING: &str = "17:00-19:30";
