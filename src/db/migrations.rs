//! The schema's migrations, embedded in the binary and applied on open.
//!
//! One portable set for SQLite and PostgreSQL (`migrations/*.sql` at the repository root,
//! see its README). sqlx records what ran in `_sqlx_migrations` and refuses a database whose
//! applied migrations were edited afterwards.

use sqlx::AnyPool;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// Every migration: version, description, SQL. Append only; never edit one that shipped.
const MIGRATIONS: [(i64, &str, &str); 6] = [
    (
        1,
        "commerce",
        include_str!("../../migrations/0001_commerce.sql"),
    ),
    (
        2,
        "search queries",
        include_str!("../../migrations/0002_search_queries.sql"),
    ),
    (
        3,
        "accounts",
        include_str!("../../migrations/0003_accounts.sql"),
    ),
    (
        4,
        "order events",
        include_str!("../../migrations/0004_order_events.sql"),
    ),
    (
        5,
        "visits",
        include_str!("../../migrations/0005_visits.sql"),
    ),
    (
        6,
        "offers",
        include_str!("../../migrations/0006_offers.sql"),
    ),
];

/// The embedded migrations, as sqlx's source.
#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Applies the migrations not yet applied.
pub(super) async fn run(pool: &AnyPool) -> Result<(), sqlx::migrate::MigrateError> {
    Migrator::new(Embedded).await?.run(pool).await
}
