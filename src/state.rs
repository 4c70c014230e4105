//! The application state: configuration and the live build, reloaded when a new build is
//! published (the `current` link changes) without a restart.

use crate::Config;
use comptoir_indexer::publish::DataDir;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// What the server knows of the published build.
#[derive(Debug)]
pub struct Live {
    /// The build's folder.
    pub build: PathBuf,
    /// Its public files.
    pub site: PathBuf,
    /// Old paths → canonical paths (product aliases).
    pub redirects: HashMap<String, String>,
}

impl Live {
    fn load(build: PathBuf) -> Self {
        let redirects = std::fs::read_to_string(build.join("redirects.tsv"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(from, to)| (from.to_owned(), to.to_owned()))
            .collect();
        Self {
            site: build.join("site"),
            build,
            redirects,
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState(Arc<App>);

/// The inside of [`AppState`].
pub struct App {
    /// The configuration.
    pub config: Config,
    data: DataDir,
    live: RwLock<Option<Arc<Live>>>,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// The state for `config`, with the live build loaded if there is one.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let data = DataDir::new(&config.data);
        Self(Arc::new(App {
            config,
            data,
            live: RwLock::new(None),
        }))
    }

    /// The live build, reloaded if another one was published since the last request.
    /// A request keeps the `Arc` it got, so a switch never mixes two builds in one answer.
    #[must_use]
    pub fn live(&self) -> Option<Arc<Live>> {
        let current = self.data.current()?;
        if let Ok(guard) = self.live.read()
            && let Some(live) = guard.as_ref()
            && live.build == current
        {
            return Some(Arc::clone(live));
        }
        let fresh = Arc::new(Live::load(current));
        if let Ok(mut guard) = self.live.write() {
            *guard = Some(Arc::clone(&fresh));
        }
        tracing::info!(build = %fresh.build.display(), "serving a newly published build");
        Some(fresh)
    }

    /// The data folder.
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.config.data
    }
}
