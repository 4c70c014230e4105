//! The server's configuration, parsed once in `main` and carried in the app state.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where things are and where to listen.
#[derive(Debug, Clone)]
pub struct Config {
    /// The catalogue folder.
    pub content: PathBuf,
    /// The data folder (published builds).
    pub data: PathBuf,
    /// Listening address.
    pub addr: SocketAddr,
    /// The database: `postgres://…` for PostgreSQL, `sqlite://…` for another SQLite file;
    /// `None` is the SQLite file `comptoir.db` in the data folder.
    pub database_url: Option<Secret>,
    /// The SMTP server for e-mails (`smtp://…`, `smtps://…`); `None` writes them as `.eml`
    /// files in `<data>/outbox/`.
    pub smtp_url: Option<Secret>,
    /// The order numbers' prefix (`SC` in `SC-2026-000123`); `None` derives it from the
    /// town's name.
    pub order_prefix: Option<String>,
    /// Whether the server keeps the site up to date from `content/` (built in full at
    /// start, then incrementally), with the debounce window of the file watcher.
    pub watch: Option<std::time::Duration>,
    /// Where to send the URLs each publish changed (IndexNow); `None`: not sent.
    pub indexnow: Option<crate::indexnow::IndexNowConfig>,
    /// The bearer token `/metrics` asks for; `None` serves it to loopback connections only
    /// (see [`crate::ops::access`]).
    pub metrics_token: Option<Secret>,
    /// Search results kept in memory for repeated searches, per build (0: none).
    pub search_cache: usize,
}

/// Search answers kept by default (a results page is about 25 KB: 50 MB at most).
pub const SEARCH_CACHE: usize = 2_000;

impl Config {
    /// A configuration for tests: the given data folder, an ephemeral port.
    #[must_use]
    pub fn for_tests(content: PathBuf, data: PathBuf) -> Self {
        Self {
            content,
            data,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: None,
            smtp_url: None,
            order_prefix: None,
            watch: None,
            indexnow: None,
            metrics_token: None,
            search_cache: SEARCH_CACHE,
        }
    }
}

/// A setting that may hold a password (a database or SMTP URL): never printed in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that needs it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Today in France (sale prices change at midnight, Paris time).
#[must_use]
pub fn today() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned(tz).date()
}
