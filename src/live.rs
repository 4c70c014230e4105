//! Keeping the served site in step with `content/` and the stock (`serve --watch`, `demo`,
//! `watch`).
//!
//! One publisher thread owns the [`LiveSite`]: it takes batches of file changes from the
//! watcher and stock counts from the order routes, applies each, hands the result to the
//! server (which swaps its catalogue and search index at once), then writes what readers
//! outside this process need. Jobs run one at a time, in order.

use crate::AppState;
use crate::ops::metrics::BuildKind;
use anyhow::Context;
use comptoir_indexer::live::watch::{self, Batch};
use comptoir_indexer::live::{self, LiveSite, Options, Snapshot, Update};
use comptoir_indexer::model::StockLevels;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Work for the publisher.
#[derive(Debug)]
pub enum Job {
    /// Files of `content/` changed.
    Files(Batch),
    /// The database's stock counts of some SKUs (after an order, a cancellation, a
    /// merchant's count).
    Stock(StockLevels),
}

/// Where jobs are sent; cheap to clone.
#[derive(Debug, Clone)]
pub struct Publisher(mpsc::Sender<Job>);

impl Publisher {
    /// Queues a job (dropped, with a log line, when the publisher has stopped).
    pub fn send(&self, job: Job) {
        if self.0.send(job).is_err() {
            tracing::warn!("the live catalogue has stopped: the change waits for the next build");
        }
    }
}

/// The live site's options for `config`'s folders.
#[must_use]
pub fn options(content: &Path, data: &Path) -> Options {
    Options {
        content: content.to_path_buf(),
        data: data.to_path_buf(),
        assets: crate::assets::ASSETS.to_vec(),
        precompress_pages: false,
        today: crate::config::today,
    }
}

/// Builds the site in full, then keeps it up to date from `content/` (watched, changes
/// batched after `quiet`) and from stock counts, telling `state` after each update.
///
/// # Errors
///
/// When nothing can be served (no valid catalogue, no earlier build) or the folder
/// cannot be watched.
pub fn start(state: &AppState, stock: StockLevels, quiet: Duration) -> anyhow::Result<Publisher> {
    let config = &state.config;
    let (site, report) = LiveSite::start(options(&config.content, &config.data), stock)
        .context("cannot build the catalogue, and no earlier build can be served")?;
    if let Some(report) = &report {
        // The stages of `pipeline::build`; its last, "publish", switches `data/current`.
        let took = report.stages.iter().map(|(_, t)| *t).sum();
        let publish = report.stages.iter().find(|(s, _)| *s == "publish");
        state
            .metrics
            .build(BuildKind::Full, took, publish.map(|(_, t)| *t));
        tracing::info!(
            pages = report.pages,
            products = report.products,
            "published a full build"
        );
        state.pages_changed(&report.catalogue, &report.urls);
    }
    state.set_catalogue_errors(site.errors());
    let watching = watch::watch(&config.content, quiet)
        .with_context(|| format!("cannot watch {}", config.content.display()))?;
    let (jobs, inbox) = mpsc::channel();
    let forward = jobs.clone();
    std::thread::Builder::new()
        .name("content-batches".into())
        .spawn(move || {
            let watching = watching;
            while let Ok(batch) = watching.batches.recv() {
                if forward.send(Job::Files(batch)).is_err() {
                    return;
                }
            }
        })
        .context("cannot start the watcher thread")?;
    let (snapshots, to_write) = mpsc::channel::<Snapshot>();
    std::thread::Builder::new()
        .name("snapshot-writer".into())
        .spawn(move || write_snapshots(&to_write))
        .context("cannot start the snapshot thread")?;
    let publisher_state = state.clone();
    std::thread::Builder::new()
        .name("publisher".into())
        .spawn(move || run(site, &inbox, &publisher_state, &snapshots))
        .context("cannot start the publisher thread")?;
    tracing::info!(content = %config.content.display(), "watching the catalogue for changes");
    Ok(Publisher(jobs))
}

/// Writes the newest snapshot of each burst for readers outside this process.
fn write_snapshots(inbox: &mpsc::Receiver<Snapshot>) {
    while let Ok(mut snapshot) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            snapshot = newer;
        }
        if let Err(e) = snapshot.write() {
            tracing::error!(error = %e, "cannot write the catalogue snapshot");
        }
    }
}

/// Applies jobs until every sender is gone.
fn run(
    mut site: LiveSite,
    inbox: &mpsc::Receiver<Job>,
    state: &AppState,
    snapshots: &mpsc::Sender<Snapshot>,
) {
    while let Ok(job) = inbox.recv() {
        let applied = match job {
            Job::Files(batch) => {
                let debounce = batch.settled - batch.first_event;
                for change in &batch.changes {
                    tracing::info!(path = %change.path.display(), kind = ?change.kind, "catalogue file changed");
                }
                site.apply(&batch.changes).map(|u| (u, Some(debounce)))
            }
            Job::Stock(levels) => {
                let applied = site.set_stock(levels);
                if matches!(applied, Ok(None)) {
                    // Counts that cross no zero change no page, but the local-inventory
                    // feeds' quantities, written with the snapshot.
                    let _ = snapshots.send(site.snapshot());
                }
                applied.map(|u| (u, None))
            }
        };
        match applied {
            Ok((Some(update), debounce)) => {
                let installing = std::time::Instant::now();
                state.install(&update);
                state.pages_changed(&update.catalogue, &update.urls);
                let installed = installing.elapsed();
                let kind = if update.full {
                    BuildKind::Full
                } else {
                    BuildKind::Update
                };
                state.metrics.build(kind, update.took, Some(installed));
                log(&update, debounce, Some(installed));
                let _ = snapshots.send(site.snapshot());
            }
            Ok((None, _)) => {}
            Err(e) => {
                state.metrics.build_failed();
                tracing::error!(error = %e, "the update failed; the next change tries again");
            }
        }
        state.set_catalogue_errors(site.errors());
    }
}

/// Changed URLs named in the log line of an update (a full build may change them all).
const LOGGED_URLS: usize = 20;

fn log(update: &Update, debounce: Option<Duration>, install: Option<Duration>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    tracing::info!(
        full = update.full,
        generation = update.generation,
        files = update.files,
        took_ms = ms(update.took),
        install_ms = install.map(ms),
        debounce_ms = debounce.map(ms),
        changed = update.urls.len(),
        urls = ?&update.urls[..update.urls.len().min(LOGGED_URLS)],
        "site updated"
    );
}

/// `comptoir watch`: keeps the build of `content/` up to date for a server running
/// elsewhere (it reloads on the build's generation file), until interrupted.
///
/// # Errors
///
/// As [`start`].
pub fn watch_only(content: &Path, data: &Path, quiet: Duration) -> anyhow::Result<()> {
    let (mut site, _) = LiveSite::start(options(content, data), StockLevels::new())
        .context("cannot build the catalogue, and no earlier build can be served")?;
    report_errors(&site);
    let watching = watch::watch(content, quiet)
        .with_context(|| format!("cannot watch {}", content.display()))?;
    tracing::info!(content = %content.display(), "watching the catalogue for changes");
    while let Ok(batch) = watching.batches.recv() {
        let debounce = batch.settled - batch.first_event;
        match site.apply(&batch.changes) {
            Ok(Some(update)) => {
                site.snapshot()
                    .write()
                    .context("cannot write the catalogue snapshot")?;
                log(&update, Some(debounce), None);
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "the update failed; the next change tries again"),
        }
        report_errors(&site);
    }
    Ok(())
}

fn report_errors(site: &LiveSite) {
    for problem in site.errors().values().flatten() {
        tracing::warn!(%problem, "catalogue error");
    }
}

/// Asks the publisher to re-render products whose SKUs' stock may have crossed zero.
pub async fn stock_changed(state: &AppState, skus: Vec<String>) {
    let Some(publisher) = state.publisher() else {
        return;
    };
    let Ok(db) = state.db().await else {
        return;
    };
    let refs: Vec<&str> = skus.iter().map(String::as_str).collect();
    match crate::stock::levels(db, &refs).await {
        Ok(levels) => publisher.send(Job::Stock(levels)),
        Err(e) => tracing::warn!(error = %e, "cannot read the stock counts for the pages"),
    }
}

/// The build's update count, as [`live::read_generation`].
#[must_use]
pub fn generation(build: &Path) -> u64 {
    live::read_generation(build)
}
