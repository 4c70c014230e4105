//! Writing the catalogue from the back-office: files of `content/` replaced atomically
//! (a reader — the build, the watcher, an editor — sees the old file or the new one,
//! never half of one), then put online by the live catalogue.

use crate::AppState;
use std::io;
use std::path::{Path, PathBuf};

/// The folder of `shop` in `content/`.
#[must_use]
pub fn shop_dir(state: &AppState, shop: &str) -> PathBuf {
    state.config.content.join("shops").join(shop)
}

/// Writes `bytes` to `path` through a temporary file in the same folder (named so the
/// watcher ignores it) and a rename; creates the folders. Nothing is written when the file
/// already holds `bytes`.
///
/// # Errors
///
/// When the folder or the file cannot be written.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", crate::cart::random_hex()));
    let temporary = path.with_file_name(name);
    std::fs::write(&temporary, bytes)?;
    std::fs::File::open(&temporary)?.sync_all()?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Removes `path`; a file already gone is not an error.
///
/// # Errors
///
/// When the file exists and cannot be removed.
pub fn remove_file(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// When written files reach the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// The live catalogue watches `content/`: online within a second.
    Live,
    /// The server does not watch `content/`: online at the next `comptoir build`.
    NextBuild,
}

impl Publication {
    /// What the merchant reads after saving.
    #[must_use]
    pub const fn french(self) -> &'static str {
        match self {
            Self::Live => "Enregistré : le site est mis à jour dans un instant.",
            Self::NextBuild => {
                "Enregistré : le site sera mis à jour à la prochaine publication du catalogue."
            }
        }
    }
}

/// Tells when the files just written in `content/` (`paths`) will be online. The live
/// catalogue's watcher sees them by itself; without one they wait for the next build.
pub fn publish(state: &AppState, paths: Vec<PathBuf>) -> Publication {
    if state.publisher().is_some() {
        tracing::debug!(files = paths.len(), "back-office wrote content files");
        Publication::Live
    } else {
        tracing::info!(
            files = paths.len(),
            "back-office wrote content files; they go online with the next build (serve --watch publishes them at once)"
        );
        Publication::NextBuild
    }
}
