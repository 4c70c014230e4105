//! The server's configuration, parsed once in `main` and carried in the app state.

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
}

impl Config {
    /// A configuration for tests: the given data folder, an ephemeral port.
    #[must_use]
    pub fn for_tests(content: PathBuf, data: PathBuf) -> Self {
        Self {
            content,
            data,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// Today in France (sale prices change at midnight, Paris time).
#[must_use]
pub fn today() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned(tz).date()
}
