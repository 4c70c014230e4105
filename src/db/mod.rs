//! The database: carts, stock, orders and delivery capacity, through sqlx.
//!
//! SQLite is the default (the file `comptoir.db` in the data folder, created on first start,
//! in WAL mode); PostgreSQL is used when the configured URL starts with `postgres://` or
//! `postgresql://`. Every query goes through [`sqlx::Any`] with `$1`-style placeholders,
//! which both drivers accept (sqlx's SQLite driver maps `$N` to the N-th argument), so there
//! is one code path for both engines. Migrations (see `migrations/README.md`) run on open.
//!
//! Not here: what the tables mean. Each domain module ([`crate::cart`], [`crate::stock`],
//! [`crate::orders`], [`crate::delivery`]) owns its queries.

mod migrations;

use crate::Config;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The SQLite file's name in the data folder.
pub const SQLITE_FILE: &str = "comptoir.db";

/// How long a SQLite writer waits for another to finish before giving up. Checkouts are
/// serialised on SQLite (one writer at a time), so a burst of shoppers queues here.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections per pool: SQLite has one writer anyway; PostgreSQL's default server allows
/// 100 connections, shared by every node of a deployment.
const MAX_CONNECTIONS: u32 = 10;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Why the database could not be opened or queried.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names an engine comptoir does not support.
    #[error(
        "unsupported database URL {scheme:?}: use postgres://… (COMPTOIR_DATABASE_URL or DATABASE_URL), sqlite://…, or unset it for the SQLite file in the data folder"
    )]
    UnsupportedUrl {
        /// The URL's scheme.
        scheme: String,
    },
    /// The data folder could not be created.
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database could not be reached or opened.
    #[error(
        "cannot open the {backend:?} database: {source} (check the URL and that the server runs)"
    )]
    Open {
        /// The engine.
        backend: Backend,
        /// Why.
        source: sqlx::Error,
    },
    /// A migration failed; the database is left at the last migration that succeeded.
    #[error("cannot migrate the database: {0} (see migrations/README.md)")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
}

/// Shorthand for results of this module.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// A pool of connections to the migrated database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Opens the configured database (see [`Config::database_url`]), creating the SQLite
    /// file if needed, and applies the migrations.
    ///
    /// # Errors
    ///
    /// [`DbError`] when the URL is not supported, the server cannot be reached, or a
    /// migration fails.
    pub async fn open(config: &Config) -> Result<Self> {
        match &config.database_url {
            Some(url) => Self::open_url(url.expose()).await,
            None => Self::open_sqlite(&config.data.join(SQLITE_FILE)).await,
        }
    }

    /// Opens `postgres://…`, `postgresql://…` or `sqlite://…` and applies the migrations.
    ///
    /// # Errors
    ///
    /// As [`Db::open`].
    pub async fn open_url(url: &str) -> Result<Self> {
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        match scheme {
            "postgres" | "postgresql" => Self::open_postgres(url).await,
            "sqlite" => {
                let options =
                    SqliteConnectOptions::from_str(url).map_err(|source| DbError::Open {
                        backend: Backend::Sqlite,
                        source,
                    })?;
                Self::open_sqlite_with(options).await
            }
            _ => Err(DbError::UnsupportedUrl {
                scheme: scheme.to_owned(),
            }),
        }
    }

    /// Opens (creating it if needed) the SQLite file at `path` and applies the migrations.
    ///
    /// # Errors
    ///
    /// As [`Db::open`].
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        Self::open_sqlite_with(SqliteConnectOptions::new().filename(path)).await
    }

    async fn open_sqlite_with(options: SqliteConnectOptions) -> Result<Self> {
        let open_error = |source| DbError::Open {
            backend: Backend::Sqlite,
            source,
        };
        // WAL is a property of the file: set it once, with the native driver, before the
        // pool opens (sqlx's `Any` URLs cannot carry pragmas).
        let options = options
            .create_if_missing(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let first = options.clone().journal_mode(SqliteJournalMode::Wal);
        first.connect().await.map_err(open_error)?.close().await?;
        let any = AnyConnectOptions::from_url(&options.to_url_lossy()).map_err(open_error)?;
        let pool = pool_options()
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // `Any` URLs lose these per-connection settings; foreign keys are on
                    // by default in sqlx. NORMAL is durable enough in WAL mode
                    // (https://www.sqlite.org/pragma.html#pragma_synchronous).
                    let busy = SQLITE_BUSY_TIMEOUT.as_millis();
                    conn.execute(&*format!(
                        "PRAGMA busy_timeout = {busy}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"
                    ))
                    .await
                    .map(drop)
                })
            })
            .connect_with(any)
            .await
            .map_err(open_error)?;
        Self::migrated(pool, Backend::Sqlite).await
    }

    async fn open_postgres(url: &str) -> Result<Self> {
        let pool = pool_options()
            .connect(url)
            .await
            .map_err(|source| DbError::Open {
                backend: Backend::Postgres,
                source,
            })?;
        Self::migrated(pool, Backend::Postgres).await
    }

    async fn migrated(pool: AnyPool, backend: Backend) -> Result<Self> {
        migrations::run(&pool).await?;
        Ok(Self { pool, backend })
    }

    /// The engine.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for queries of the domain modules.
    #[must_use]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that read first and then tried to write could fail
    /// with "database is locked" when another writer went first, whatever the timeout.
    ///
    /// # Errors
    ///
    /// When no connection can be had or the lock is not granted within the busy timeout.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn pool_options() -> AnyPoolOptions {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new().max_connections(MAX_CONNECTIONS)
}

/// A timestamp as stored: unix seconds.
#[must_use]
pub fn unix(at: jiff::Timestamp) -> i64 {
    at.as_second()
}

/// A stored timestamp (unix seconds) back; out-of-range values become the epoch.
#[must_use]
pub fn timestamp(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Whether `error` is a unique-constraint violation (on either engine).
#[must_use]
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// `$first, $first+1, …` for `count` parameters, for `IN (…)` and multi-row `VALUES`.
#[must_use]
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn numbers_placeholders_from_the_first() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(4, 1), "$4");
        assert_eq!(placeholders(1, 0), "");
    }
}
