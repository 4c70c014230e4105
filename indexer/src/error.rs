//! The indexer's one error type.

use crate::problem::Problem;
use std::path::PathBuf;

/// Why a build or a load failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalogue has problems; each says where and what to write instead.
    #[error("the catalogue has {} problem(s):\n{}", .0.len(), list(.0))]
    Catalogue(Vec<Problem>),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A picture could not be decoded or encoded.
    #[error("{}: picture: {message}", path.display())]
    Image {
        /// The picture.
        path: PathBuf,
        /// The decoder's or encoder's message.
        message: String,
    },
    /// A sitemap could not be written.
    #[error("sitemap: {0}")]
    Sitemap(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The indexer's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
