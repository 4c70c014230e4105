//! Checkout benchmark: orders per second with concurrent shoppers, on SQLite or PostgreSQL.
//!
//! ```text
//! cargo run --release --example checkout_bench -- [--orders 2000] [--shoppers 16]
//!     [--database-url postgres://user:password@host/any_db] [--retry-every 10]
//! ```
//!
//! Each shopper is a tokio task calling `orders::place` (the same call as `POST /commande`,
//! without HTTP) in a loop. Every order has 5 lines from 3 shops of `tests/fixtures/valid`,
//! with 3 ways to receive them: a relay-point slot (bakery), click & collect (cheese) and a
//! home-delivery slot (clothes), days and slots spread over six days; stock and capacities
//! are raised so that nothing runs out. Every `--retry-every`-th order is sent again with
//! its idempotency key, as a browser retrying a POST, and must give the same order back.
//!
//! SQLite: a fresh file in a temporary folder. PostgreSQL (`--database-url`, or
//! `COMPTOIR_BENCH_DATABASE_URL`): a fresh database created on that server, dropped at
//! the end. Prints orders/s, p50/p99/max latency of placing an order, then checks that
//! the database holds exactly one order per attempt (3 sub-orders, 5 lines each, numbers
//! unique) and that stock went down by what was sold; exits with 1 otherwise.

use anyhow::{Context, Result, bail};
use clap::Parser;
use comptoir::cart::{CartId, CartLine};
use comptoir::db::Db;
use comptoir::delivery::Choice;
use comptoir::orders::{self, Checkout, Contact, OrderSettings};
use comptoir_indexer::Catalogue;
use comptoir_indexer::model::Address;
use jiff::civil::{Date, date};
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The 5 lines of every order (SKU, quantity): bakery, cheese ×2, clothes ×2.
const LINES: [(&str, u32); 5] = [
    ("parc-baguette-tradition", 2),
    ("ecoles-brie-meaux", 1),
    ("ecoles-comte-18", 1),
    ("ECHARPE-ROUGE", 1),
    ("PULL-ECRU-M", 1),
];

/// Stock given to each SKU before the run: more than any run sells.
const STOCK: u32 = 100_000_000;

/// Slots of the fixture's relay point and home delivery.
const SLOTS: [&str; 2] = ["10:00-12:00", "17:00-19:30"];

/// Orders are placed on Tuesday 10 March 2026 at 09:00, Sceaux time (as in the tests), so
/// the same choices are valid whatever the day the benchmark runs.
const TODAY: Date = date(2026, 3, 10);

#[derive(Debug, Parser)]
struct Args {
    /// Orders to place (attempts; retries not counted).
    #[arg(long, default_value_t = 2000)]
    orders: usize,
    /// Concurrent shoppers.
    #[arg(long, default_value_t = 16)]
    shoppers: usize,
    /// A PostgreSQL server (any database on it: a fresh one is made); default SQLite.
    #[arg(long, env = "COMPTOIR_BENCH_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Send every N-th order twice with the same idempotency key (0: never).
    #[arg(long, default_value_t = 10)]
    retry_every: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let catalogue = Arc::new(catalogue()?);
    let (db, cleanup) = open(args.database_url.as_deref()).await?;
    let outcome = run(&args, &db, &catalogue).await;
    db.close().await;
    cleanup.finish().await?;
    if !outcome? {
        std::process::exit(1);
    }
    Ok(())
}

/// The fixture, with delivery capacities raised so that no slot fills up.
fn catalogue() -> Result<Catalogue> {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let mut catalogue = comptoir_indexer::load::load(&content)
        .map_err(|problems| anyhow::anyhow!("the fixture does not load: {problems:?}"))?;
    for point in &mut catalogue.town.delivery_points {
        point.capacity = STOCK;
    }
    if let Some(home) = &mut catalogue.town.home_delivery {
        home.capacity = STOCK;
    }
    Ok(catalogue)
}

/// What to undo after the run.
enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Cleanup {
    async fn finish(self) -> Result<()> {
        match self {
            Self::Sqlite(dir) => Ok(dir.close()?),
            Self::Postgres { admin, name } => {
                execute(&admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await
            }
        }
    }
}

async fn open(postgres: Option<&str>) -> Result<(Db, Cleanup)> {
    match postgres {
        None => {
            let dir = tempfile::tempdir()?;
            let db = Db::open_sqlite(&dir.path().join(comptoir::db::SQLITE_FILE)).await?;
            Ok((db, Cleanup::Sqlite(dir)))
        }
        Some(admin) => {
            let name = format!("comptoir_bench_{}", CartId::generate());
            execute(admin, &format!("CREATE DATABASE {name}")).await?;
            let url = with_database(admin, &name);
            let db = Db::open_url(&url).await?;
            let cleanup = Cleanup::Postgres {
                admin: admin.to_owned(),
                name,
            };
            Ok((db, cleanup))
        }
    }
}

async fn execute(url: &str, sql: &str) -> Result<()> {
    let mut conn = sqlx::postgres::PgConnection::connect(url)
        .await
        .context("cannot reach the PostgreSQL server")?;
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .context(sql.to_owned())?;
    conn.close().await?;
    Ok(())
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
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

/// Places the orders, prints the figures; returns whether the database checks out.
async fn run(args: &Args, db: &Db, catalogue: &Arc<Catalogue>) -> Result<bool> {
    comptoir::stock::seed(db, catalogue).await?;
    for (sku, _) in LINES {
        comptoir::stock::set(db, sku, STOCK).await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let shoppers: Vec<_> = (0..args.shoppers.max(1))
        .map(|_| {
            let (db, catalogue, next) = (db.clone(), Arc::clone(catalogue), Arc::clone(&next));
            let (orders, retry_every) = (args.orders, args.retry_every);
            tokio::spawn(async move { shopper(&db, &catalogue, &next, orders, retry_every).await })
        })
        .collect();
    let mut done = Done::default();
    for shopper in shoppers {
        done.merge(shopper.await??);
    }
    let elapsed = started.elapsed();
    report(args, db, elapsed, &mut done);
    check(db, args.orders, &done).await
}

/// What the shoppers did.
#[derive(Default)]
struct Done {
    latencies: Vec<Duration>,
    numbers: Vec<String>,
    retries: usize,
}

impl Done {
    fn merge(&mut self, other: Self) {
        self.latencies.extend(other.latencies);
        self.numbers.extend(other.numbers);
        self.retries += other.retries;
    }
}

async fn shopper(
    db: &Db,
    catalogue: &Catalogue,
    next: &AtomicUsize,
    orders: usize,
    retry_every: usize,
) -> Result<Done> {
    let settings = OrderSettings::default();
    let now = TODAY
        .at(9, 0, 0, 0)
        .to_zoned(comptoir::delivery::calendar::paris())?
        .timestamp();
    let mut done = Done::default();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= orders {
            return Ok(done);
        }
        let checkout = checkout(i)?;
        let start = Instant::now();
        let placed = orders::place(db, catalogue, &checkout, &settings, now).await?;
        done.latencies.push(start.elapsed());
        if !placed.fresh {
            bail!("order {i} was not placed fresh");
        }
        if retry_every > 0 && i.is_multiple_of(retry_every) {
            let again = orders::place(db, catalogue, &checkout, &settings, now).await?;
            if again.fresh || again.order.number != placed.order.number {
                bail!("retrying order {i} with its key placed another order");
            }
            done.retries += 1;
        }
        done.numbers.push(placed.order.number);
    }
}

/// Order `i`: the 5 lines, Marie's details, a relay slot, click & collect, a home slot.
fn checkout(i: usize) -> Result<Checkout> {
    // Wednesday to Monday: on Tuesday the clothes shop is not ready before the morning slot.
    let offset = 1 + i64::try_from(i % 6)?;
    let day = TODAY.checked_add(jiff::Span::new().days(offset))?;
    let slot = SLOTS[(i / 6) % SLOTS.len()].to_owned();
    let choices = BTreeMap::from([
        (
            "boulangerie-du-parc".to_owned(),
            Choice::Relay {
                point: "relais-blagis".into(),
                day,
                slot: slot.clone(),
            },
        ),
        ("fromagerie-des-ecoles".to_owned(), Choice::ClickCollect),
        ("boutique-marguerite".to_owned(), Choice::Home { day, slot }),
    ]);
    Ok(Checkout {
        lines: LINES
            .iter()
            .map(|(sku, quantity)| CartLine {
                sku: (*sku).to_owned(),
                quantity: *quantity,
            })
            .collect(),
        cart: None,
        promo_code: None,
        contact: Contact {
            name: "Marie Dupont".into(),
            email: "marie@exemple.fr".into(),
            phone: "06 12 34 56 78".into(),
        },
        address: Some(Address {
            street: "3 rue des Imbergères".into(),
            postcode: "92330".into(),
            city: "Sceaux".into(),
        }),
        choices,
        idempotency_key: format!("bench-{i:08}-{}", CartId::generate()),
        expected_total: None,
    })
}

fn report(args: &Args, db: &Db, elapsed: Duration, done: &mut Done) {
    done.latencies.sort_unstable();
    let at = |q: f64| {
        let last = done.latencies.len().saturating_sub(1);
        let index = ((done.latencies.len() as f64 * q) as usize).min(last);
        done.latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let seconds = elapsed.as_secs_f64();
    let rate = done.numbers.len() as f64 / seconds;
    println!(
        "{:?}: {} orders ({} retried with the same key) by {} shoppers in {seconds:.2} s: {rate:.0} orders/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        db.backend(),
        done.numbers.len(),
        done.retries,
        args.shoppers,
        at(0.50),
        at(0.99),
        at(1.0),
    );
}

/// Exactly one order per attempt, 3 sub-orders and 5 lines each, unique numbers, and the
/// stock sold.
async fn check(db: &Db, attempts: usize, done: &Done) -> Result<bool> {
    let count = |table: &'static str| async move {
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(db.pool())
            .await?;
        Ok::<i64, anyhow::Error>(row.try_get("n")?)
    };
    let attempts = i64::try_from(attempts)?;
    let counted = (
        count("orders").await?,
        count("sub_orders").await?,
        count("order_lines").await?,
    );
    let unique: HashSet<&String> = done.numbers.iter().collect();
    let mut ok = counted == (attempts, 3 * attempts, 5 * attempts)
        && i64::try_from(unique.len())? == attempts;
    for (sku, quantity) in LINES {
        let left = comptoir::stock::level(db, sku).await?.unwrap_or(0);
        let sold = i64::from(STOCK) - i64::from(left);
        ok &= sold == attempts * i64::from(quantity);
    }
    println!(
        "check: {attempts} attempts → {} orders, {} sub-orders, {} lines, {} unique numbers, stock down by what was sold: {}",
        counted.0,
        counted.1,
        counted.2,
        unique.len(),
        if ok {
            "OK (no lost or duplicate order)"
        } else {
            "FAILED"
        }
    );
    Ok(ok)
}
