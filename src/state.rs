//! The application state: configuration and the live build, reloaded when a new build is
//! published (the `current` link changes) or the live one is updated in place (its
//! generation grows), without a restart. In-process updates are installed directly.

use crate::Config;
use crate::db::{Db, DbError};
use crate::search::SearchIndex;
use crate::search::stats::SearchLog;
use comptoir_indexer::Catalogue;
use comptoir_indexer::history;
use comptoir_indexer::live::Update;
use comptoir_indexer::problem::Problem;
use comptoir_indexer::publish::DataDir;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

/// What the server knows of the published build.
pub struct Live {
    /// The build's folder.
    pub build: PathBuf,
    /// Its public files.
    pub site: PathBuf,
    /// Its incremental updates so far.
    pub generation: u64,
    /// Old paths → canonical paths (product aliases, renamed products).
    pub redirects: HashMap<String, String>,
    /// Paths of products taken off the site (410).
    pub gone: HashSet<String>,
    /// The catalogue the build was made from (prices, stock, delivery), when readable.
    pub catalogue: Option<Arc<Catalogue>>,
    /// Its search index, when readable.
    pub search: Option<Arc<SearchIndex>>,
}

impl Live {
    fn load(build: PathBuf, search_cache: usize) -> Self {
        let generation = crate::live::generation(&build);
        let catalogue = read_catalogue(&build).map(Arc::new);
        Self::open(build, generation, catalogue, search_cache)
    }

    fn open(
        build: PathBuf,
        generation: u64,
        catalogue: Option<Arc<Catalogue>>,
        search_cache: usize,
    ) -> Self {
        let search = catalogue.as_deref().and_then(|c| {
            let dir = build.join(comptoir_indexer::search::INDEX_DIR);
            SearchIndex::open(&dir, c, search_cache)
                .inspect_err(|e| {
                    tracing::error!(dir = %dir.display(), error = %e, "cannot open the search index: rebuild with `comptoir build`");
                })
                .ok()
                .map(Arc::new)
        });
        let redirects = std::fs::read_to_string(build.join(history::REDIRECTS))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(from, to)| (from.to_owned(), to.to_owned()))
            .collect();
        let gone = std::fs::read_to_string(build.join(history::GONE))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        Self {
            site: build.join("site"),
            build,
            generation,
            redirects,
            gone,
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
    /// What `/metrics` reports.
    pub metrics: crate::ops::Metrics,
    /// Visits counted, not yet written.
    pub visits: crate::ops::visits::VisitLog,
    db: tokio::sync::OnceCell<Db>,
    /// What the cart and checkout routes keep: session key, seeded build, mailer.
    pub shopping: crate::shopping::Shopping,
    /// Catalogue files that do not parse now (their last good version is online).
    catalogue_errors: RwLock<Vec<CatalogueError>>,
    /// The live catalogue's publisher, when the server keeps the site up to date.
    publisher: OnceLock<crate::live::Publisher>,
    /// Where changed URLs are sent after each publish, when configured.
    indexnow: Option<crate::indexnow::IndexNow>,
}

/// A problem in a catalogue file, as `/healthz` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CatalogueError {
    /// The file, relative to `content/`.
    pub path: String,
    /// Its line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub hint: String,
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
        let indexnow = config.indexnow.as_ref().and_then(|c| {
            crate::indexnow::IndexNow::new(c, &config.data)
                .inspect_err(|e| tracing::error!(error = %format!("{e:#}"), "IndexNow is off"))
                .ok()
        });
        Self(Arc::new(App {
            config,
            data,
            live: RwLock::new(None),
            search_permits: tokio::sync::Semaphore::new(search_concurrency()),
            search_log: SearchLog::default(),
            metrics: crate::ops::Metrics::default(),
            visits: crate::ops::visits::VisitLog::default(),
            db: tokio::sync::OnceCell::new(),
            shopping: crate::shopping::Shopping::default(),
            catalogue_errors: RwLock::new(Vec::new()),
            publisher: OnceLock::new(),
            indexnow,
        }))
    }

    /// Serves `update` from now on: its catalogue and a search index reopened on it.
    pub fn install(&self, update: &Update) {
        self.keep_newest(Arc::new(Live::open(
            update.build.clone(),
            update.generation,
            Some(Arc::clone(&update.catalogue)),
            self.config.search_cache,
        )));
    }

    /// Records the catalogue's current problems (file → problems).
    pub fn set_catalogue_errors(&self, errors: &BTreeMap<PathBuf, Vec<Problem>>) {
        let list = errors
            .iter()
            .flat_map(|(path, problems)| {
                problems.iter().map(move |p| CatalogueError {
                    path: path.display().to_string(),
                    line: p.line,
                    message: p.message.clone(),
                    hint: p.hint.clone(),
                })
            })
            .collect();
        if let Ok(mut guard) = self.catalogue_errors.write() {
            *guard = list;
        }
    }

    /// The catalogue's current problems.
    #[must_use]
    pub fn catalogue_errors(&self) -> Vec<CatalogueError> {
        self.catalogue_errors
            .read()
            .map(|g| g.clone())
            .unwrap_or_default()
    }

    /// Starts keeping the site up to date (see [`crate::live::start`]); once.
    ///
    /// # Errors
    ///
    /// As [`crate::live::start`].
    pub async fn start_publisher(&self, quiet: std::time::Duration) -> anyhow::Result<()> {
        let stock = match self.db().await {
            Ok(db) => crate::stock::all_levels(db).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot read the stock counts: pages use the catalogue's");
                Default::default()
            }),
            Err(_) => Default::default(),
        };
        if let Some(indexnow) = &self.indexnow {
            indexnow.spawn();
        }
        let state = self.clone();
        let publisher =
            tokio::task::spawn_blocking(move || crate::live::start(&state, stock, quiet)).await??;
        let _ = self.publisher.set(publisher);
        Ok(())
    }

    /// IndexNow, when configured.
    #[must_use]
    pub fn indexnow(&self) -> Option<&crate::indexnow::IndexNow> {
        self.indexnow.as_ref()
    }

    /// Tells search engines (IndexNow, when configured) which pages a publish changed;
    /// returns at once.
    pub fn pages_changed(&self, catalogue: &Catalogue, paths: &[String]) {
        if let Some(indexnow) = &self.indexnow {
            indexnow.submit(&catalogue.town.base_url, paths);
        }
    }

    /// The publisher, when the site is kept up to date.
    #[must_use]
    pub fn publisher(&self) -> Option<&crate::live::Publisher> {
        self.publisher.get()
    }

    /// The live build, reloaded if another one was published since the last request.
    /// A request keeps the `Arc` it got, so a switch never mixes two builds in one answer.
    #[must_use]
    pub fn live(&self) -> Option<Arc<Live>> {
        let current = self.data.current()?;
        if let Ok(guard) = self.live.read()
            && let Some(live) = guard.as_ref()
            && live.build == current
            && live.generation >= crate::live::generation(&current)
        {
            return Some(Arc::clone(live));
        }
        let fresh = self.keep_newest(Arc::new(Live::load(current, self.config.search_cache)));
        tracing::info!(build = %fresh.build.display(), generation = fresh.generation, "serving the live build");
        Some(fresh)
    }

    /// Stores `fresh` unless an update of the same build at least as recent was installed
    /// meanwhile (a load from disk can finish after the publisher installed a newer one);
    /// returns the one kept.
    fn keep_newest(&self, fresh: Arc<Live>) -> Arc<Live> {
        let Ok(mut guard) = self.live.write() else {
            return fresh;
        };
        if let Some(existing) = guard.as_ref()
            && existing.build == fresh.build
            && existing.generation >= fresh.generation
        {
            return Arc::clone(existing);
        }
        *guard = Some(Arc::clone(&fresh));
        fresh
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

    /// Writes the visits counted since the last flush.
    ///
    /// # Errors
    ///
    /// When the database cannot be opened or written (the counts are kept).
    pub async fn flush_visits(&self) -> Result<usize, DbError> {
        self.visits.flush(self.db().await?).await
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
