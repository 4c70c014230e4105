//! Watching `content/` (notify): raw events are gathered until the folder has been quiet
//! for the debounce window, then sent as one batch of [`Change`]s.

use super::change::{Burst, Change, RawEvent};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the folder must stay quiet before a burst of events is judged.
pub const DEFAULT_QUIET: Duration = Duration::from_millis(50);
/// Longest a burst may last: a folder that never goes quiet is still published.
const LONGEST_BURST: Duration = Duration::from_secs(2);

/// One batch of changes.
#[derive(Debug)]
pub struct Batch {
    /// When the burst's first event arrived.
    pub first_event: Instant,
    /// When the burst was judged over (the debounce window ends here).
    pub settled: Instant,
    /// The changes, one per file.
    pub changes: Vec<Change>,
}

/// A running watcher; dropping it stops watching.
pub struct Watching {
    _watcher: RecommendedWatcher,
    /// Batches of changes, in order.
    pub batches: mpsc::Receiver<Batch>,
}

/// Watches `content` recursively, batching events that arrive less than `quiet` apart.
///
/// # Errors
///
/// When the folder cannot be watched (missing, or the system's watch limit is reached).
pub fn watch(content: &Path, quiet: Duration) -> notify::Result<Watching> {
    let content = content
        .canonicalize()
        .map_err(|e| notify::Error::io(e).add_path(content.to_path_buf()))?;
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(raw_tx)?;
    watcher.watch(&content, RecursiveMode::Recursive)?;
    let (tx, batches) = mpsc::channel();
    std::thread::Builder::new()
        .name("content-watch".into())
        .spawn(move || debounce(&content, &raw_rx, &tx, quiet))
        .map_err(notify::Error::io)?;
    Ok(Watching {
        _watcher: watcher,
        batches,
    })
}

/// Turns raw events into batches until either channel closes.
fn debounce(
    content: &Path,
    raw: &mpsc::Receiver<notify::Result<notify::Event>>,
    out: &mpsc::Sender<Batch>,
    quiet: Duration,
) {
    while let Ok(first) = raw.recv() {
        let first_event = Instant::now();
        let mut burst = Burst::default();
        add(&mut burst, content, first);
        loop {
            if first_event.elapsed() > LONGEST_BURST {
                break;
            }
            match raw.recv_timeout(quiet) {
                Ok(event) => add(&mut burst, content, event),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let settled = Instant::now();
        let changes = burst.changes(|p| content.join(p).exists());
        if !changes.is_empty()
            && out
                .send(Batch {
                    first_event,
                    settled,
                    changes,
                })
                .is_err()
        {
            return;
        }
    }
}

fn add(burst: &mut Burst, content: &Path, event: notify::Result<notify::Event>) {
    match event {
        Ok(event) => {
            for raw in RawEvent::from_notify(&event) {
                burst.add(content, raw);
            }
        }
        Err(error) => tracing::warn!(%error, "file watcher error"),
    }
}
