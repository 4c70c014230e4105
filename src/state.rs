//! The application state: configuration and the live build, reloaded when a new build is
//! published (the `current` link changes) without a restart.

use crate::Config;
use crate::db::{Db, DbError};
use crate::search::SearchIndex;
use crate::search::stats::SearchLog;
use comptoir_indexer::Catalogue;
use comptoir_indexer::publish::DataDir;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// What the server knows of the published build.
pub struct Live {
    /// The build's folder.
    pub build: PathBuf,
    /// Its public files.
    pub site: PathBuf,
    /// Old paths → canonical paths (product aliases).
    pub redirects: HashMap<String, String>,
    /// The catalogue the build was made from (prices, stock, delivery), when readable.
    pub catalogue: Option<Arc<Catalogue>>,
    /// Its search index, when readable.
    pub search: Option<Arc<SearchIndex>>,
}

impl Live {
    fn load(build: PathBuf) -> Self {
        let catalogue = read_catalogue(&build).map(Arc::new);
        let search = catalogue.as_deref().and_then(|c| {
            let dir = build.join(comptoir_indexer::search::INDEX_DIR);
            SearchIndex::open(&dir, c)
                .inspect_err(|e| {
                    tracing::error!(dir = %dir.display(), error = %e, "cannot open the search index: rebuild with `comptoir build`");
                })
                .ok()
                .map(Arc::new)
        });
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
            catalogue,
            search,
        }
    }
}

/// The build's catalogue snapshot; `None` (logged) when missing or unreadable.
fn read_catalogue(build: &Path) -> Option<Catalogue> {
    let path = build.join(comptoir_indexer::pipeline::CATALOGUE_SNAPSHOT);
    let read = std::fs::File::open(&path)
        .map_err(anyhow::Error::from)
        .and_then(|f| Ok(serde_json::from_reader(std::io::BufReader::new(f))?));
    read.inspect_err(|e| {
        tracing::error!(path = %path.display(), error = %e, "cannot read the catalogue snapshot: rebuild with `comptoir build`");
    })
    .ok()
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
    /// Searches running at once (each on a blocking thread); more wait their turn.
    pub search_permits: tokio::sync::Semaphore,
    /// Searches counted, not yet written.
    pub search_log: SearchLog,
    db: tokio::sync::OnceCell<Db>,
    /// What the cart and checkout routes keep: session key, seeded build, mailer.
    pub shopping: crate::shopping::Shopping,
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
            search_permits: tokio::sync::Semaphore::new(search_concurrency()),
            search_log: SearchLog::default(),
            db: tokio::sync::OnceCell::new(),
            shopping: crate::shopping::Shopping::default(),
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

    /// The database, opened (and migrated) on first use.
    ///
    /// # Errors
    ///
    /// When it cannot be opened; the next call tries again.
    pub async fn db(&self) -> Result<&Db, DbError> {
        self.db.get_or_try_init(|| Db::open(&self.config)).await
    }

    /// Writes the search counts gathered since the last flush.
    ///
    /// # Errors
    ///
    /// When the database cannot be opened or written (the counts are kept).
    pub async fn flush_search_log(&self) -> Result<usize, DbError> {
        self.search_log.flush(self.db().await?).await
    }

    /// Runs `work` on a blocking thread once a search permit is free.
    ///
    /// # Errors
    ///
    /// When the work panicked or the permits were closed.
    pub async fn search_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.search_permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }

    /// The data folder.
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.config.data
    }
}

/// Searches allowed at once: two per core.
fn search_concurrency() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}
