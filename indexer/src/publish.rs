//! Publishing builds atomically.
//!
//! Layout of the data folder:
//!
//! ```text
//! data/builds/.staging-<id>/   a build being written (never served)
//! data/builds/<id>/site/       a complete build's public files
//! data/builds/<id>/redirects.tsv
//! data/current -> builds/<id>  the live build: a symlink replaced by rename(2)
//! data/cache/                  resized pictures, reused across builds
//! ```
//!
//! A build is written beside the live one and becomes live only by the atomic rename of
//! the `current` link, so a failed or killed build leaves the live site as it was. The
//! last few builds are kept so requests that started on an older build can finish.

use crate::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// Complete builds kept besides the live one.
const KEEP_BUILDS: usize = 2;
/// Name of the link to the live build.
const CURRENT: &str = "current";
/// Prefix of builds being written.
const STAGING_PREFIX: &str = ".staging-";

/// The data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl DataDir {
    /// The data folder at `root` (created when needed).
    #[must_use]
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    /// The folder of complete and staging builds.
    #[must_use]
    pub fn builds(&self) -> PathBuf {
        self.root.join("builds")
    }

    /// The resized-pictures cache.
    #[must_use]
    pub fn image_cache(&self) -> PathBuf {
        self.root.join("cache").join("images")
    }

    /// The live build's folder, if one was published.
    #[must_use]
    pub fn current(&self) -> Option<PathBuf> {
        let target = fs::read_link(self.root.join(CURRENT)).ok()?;
        let build = self.root.join(target);
        build.join("site").is_dir().then_some(build)
    }

    /// A new, empty staging folder for build `id`. Staging folders left by killed builds
    /// are removed first.
    ///
    /// # Errors
    ///
    /// When the folders cannot be created or cleaned.
    pub fn stage(&self, id: &str) -> Result<PathBuf, Error> {
        let builds = self.builds();
        fs::create_dir_all(&builds).map_err(io(&builds))?;
        for entry in fs::read_dir(&builds).map_err(io(&builds))?.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        let staging = builds.join(format!("{STAGING_PREFIX}{id}"));
        fs::create_dir_all(&staging).map_err(io(&staging))?;
        Ok(staging)
    }

    /// Makes the complete build in `staging` the live one, atomically, and prunes old builds.
    ///
    /// # Errors
    ///
    /// When a rename or the link fails; the live build is then unchanged.
    pub fn publish(&self, staging: &Path, id: &str) -> Result<PathBuf, Error> {
        let builds = self.builds();
        let build = builds.join(id);
        fs::rename(staging, &build).map_err(io(&build))?;
        sync_dir(&builds);
        let link = self.root.join(format!(".{CURRENT}-{id}"));
        let _ = fs::remove_file(&link);
        symlink(Path::new("builds").join(id), &link).map_err(io(&link))?;
        fs::rename(&link, self.root.join(CURRENT)).map_err(io(&link))?;
        sync_dir(&self.root);
        self.prune(id);
        Ok(build)
    }

    /// Removes complete builds older than the last [`KEEP_BUILDS`] (never the live one).
    fn prune(&self, live: &str) {
        let Ok(entries) = fs::read_dir(self.builds()) else {
            return;
        };
        let mut old: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.') && name != live)
            .collect();
        old.sort();
        let excess = old.len().saturating_sub(KEEP_BUILDS);
        for name in &old[..excess] {
            let _ = fs::remove_dir_all(self.builds().join(name));
        }
    }
}

#[cfg(unix)]
fn symlink(target: PathBuf, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: PathBuf, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "publishing needs symbolic links (Unix)",
    ))
}

/// Flushes a folder's entries to disk so a crash cannot lose a completed rename.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// A new build id: sortable by time, unique per process.
#[must_use]
pub fn new_build_id() -> String {
    let now = jiff::Timestamp::now();
    format!(
        "{}-{:09}-{}",
        now.strftime("%Y%m%dT%H%M%S"),
        now.subsec_nanosecond(),
        std::process::id()
    )
}
