//! IndexNow (<https://www.indexnow.org/documentation>): after each publish, the URLs whose
//! pages changed are sent to a search engine in one batch, so shoppers find new prices
//! and products without waiting for a crawl.
//!
//! Off unless an endpoint is configured. The key is configured or made once (random) and
//! kept in the data folder; the server answers it at `/{key}.txt`, where the engine checks
//! it. Publishing never waits: [`IndexNow::submit`] queues the batch, and one background
//! task sends batches in order, at most [`MAX_URLS_PER_REQUEST`] URLs per request, trying
//! each request [`TRIES`] times with a growing pause; failures are logged and dropped.

mod http;

use anyhow::Context;
use axum::Router;
use axum::http::{Uri, header};
use axum::routing::get;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc;

/// Most URLs in one request (IndexNow documentation: "up to 10,000 URLs per post").
pub const MAX_URLS_PER_REQUEST: usize = 10_000;
/// Tries per request before giving up on it.
pub const TRIES: u32 = 3;
/// The file of the data folder that keeps the key made for this site.
pub const KEY_FILE: &str = "indexnow.key";
/// Default pause before the second try (doubled before the third).
pub const BACKOFF: Duration = Duration::from_secs(5);
/// Default time one request may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How IndexNow is configured.
#[derive(Debug, Clone)]
pub struct IndexNowConfig {
    /// Where batches are posted (`https://api.indexnow.org/indexnow`).
    pub endpoint: String,
    /// The key; `None` makes one, once, in the data folder.
    pub key: Option<String>,
    /// Pause before the second try (doubled before each next one).
    pub backoff: Duration,
    /// Time one request may take.
    pub timeout: Duration,
}

impl IndexNowConfig {
    /// Posting to `endpoint`, with a key from the data folder and the default timings.
    #[must_use]
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            key: None,
            backoff: BACKOFF,
            timeout: TIMEOUT,
        }
    }
}

/// URL paths changed by one publish, on the site at `base_url`.
#[derive(Debug, Clone)]
struct Batch {
    base_url: String,
    paths: Vec<String>,
}

/// The key, the endpoint and the queue of batches to send.
pub struct IndexNow {
    key: String,
    endpoint: Uri,
    backoff: Duration,
    timeout: Duration,
    queue: mpsc::UnboundedSender<Batch>,
    inbox: Mutex<Option<mpsc::UnboundedReceiver<Batch>>>,
}

impl IndexNow {
    /// Reads or makes the key and checks the endpoint.
    ///
    /// # Errors
    ///
    /// When the endpoint is not an http(s) URL, the configured key is not a valid
    /// IndexNow key, or the key file cannot be read or written.
    pub fn new(config: &IndexNowConfig, data: &Path) -> anyhow::Result<Self> {
        let endpoint: Uri = config.endpoint.parse().with_context(|| {
            format!(
                "COMPTOIR_INDEXNOW_ENDPOINT: {:?} is not a URL",
                config.endpoint
            )
        })?;
        anyhow::ensure!(
            matches!(endpoint.scheme_str(), Some("http" | "https")) && endpoint.host().is_some(),
            "COMPTOIR_INDEXNOW_ENDPOINT: {:?} is not an http:// or https:// URL",
            config.endpoint
        );
        let key = match &config.key {
            Some(key) => {
                anyhow::ensure!(
                    valid_key(key),
                    "COMPTOIR_INDEXNOW_KEY: a key is 8 to 128 letters, digits or hyphens"
                );
                key.clone()
            }
            None => key_from(data)?,
        };
        let (queue, inbox) = mpsc::unbounded_channel();
        Ok(Self {
            key,
            endpoint,
            backoff: config.backoff,
            timeout: config.timeout,
            queue,
            inbox: Mutex::new(Some(inbox)),
        })
    }

    /// The key, as served at `/{key}.txt`.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Queues the pages among `paths` (files such as sitemaps and feeds are left out) for
    /// the background task; returns at once.
    pub fn submit(&self, base_url: &str, paths: &[String]) {
        let paths: Vec<String> = paths.iter().filter(|p| is_page(p)).cloned().collect();
        if paths.is_empty() {
            return;
        }
        let batch = Batch {
            base_url: base_url.trim_end_matches('/').to_owned(),
            paths,
        };
        if self.queue.send(batch).is_err() {
            tracing::warn!("the IndexNow task has stopped: changed URLs not sent");
        }
    }

    /// Starts the task that sends queued batches, on the current Tokio runtime; once.
    pub fn spawn(&self) {
        let Some(mut inbox) = self.inbox.lock().ok().and_then(|mut i| i.take()) else {
            return;
        };
        let sender = Sender {
            key: self.key.clone(),
            endpoint: self.endpoint.clone(),
            backoff: self.backoff,
            timeout: self.timeout,
        };
        tokio::spawn(async move {
            while let Some(batch) = inbox.recv().await {
                sender.send(&batch).await;
            }
        });
    }
}

/// What the background task needs to post batches.
struct Sender {
    key: String,
    endpoint: Uri,
    backoff: Duration,
    timeout: Duration,
}

impl Sender {
    /// Posts `batch`, [`MAX_URLS_PER_REQUEST`] URLs at a time.
    async fn send(&self, batch: &Batch) {
        for chunk in batch.paths.chunks(MAX_URLS_PER_REQUEST) {
            let body = payload(&self.key, &batch.base_url, chunk);
            self.post_with_retries(&body, chunk.len()).await;
        }
    }

    async fn post_with_retries(&self, body: &[u8], urls: usize) {
        let mut pause = self.backoff;
        for attempt in 1..=TRIES {
            let outcome =
                tokio::time::timeout(self.timeout, http::post(&self.endpoint, body)).await;
            let (retry, error) = match outcome {
                Ok(Ok(status)) if (200..300).contains(&status) => {
                    tracing::info!(urls, status, attempt, "IndexNow: changed URLs sent");
                    return;
                }
                // 429 and 5xx may pass later; other statuses (403: key not found, 422:
                // URLs not on the key's host) will not.
                Ok(Ok(status)) => (status == 429 || status >= 500, format!("status {status}")),
                Ok(Err(e)) => (true, e.to_string()),
                Err(_) => (true, format!("no answer within {:?}", self.timeout)),
            };
            if !retry || attempt == TRIES {
                tracing::warn!(urls, attempt, %error, endpoint = %self.endpoint, "IndexNow: changed URLs not sent");
                return;
            }
            tracing::info!(urls, attempt, %error, "IndexNow: the request failed, trying again");
            tokio::time::sleep(pause).await;
            pause *= 2;
        }
    }
}

/// The JSON body of a request: `{host, key, keyLocation, urlList}`.
fn payload(key: &str, base_url: &str, paths: &[String]) -> Vec<u8> {
    let host = base_url
        .parse::<Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_owned))
        .unwrap_or_default();
    let urls: Vec<String> = paths.iter().map(|p| format!("{base_url}{p}")).collect();
    serde_json::to_vec(&serde_json::json!({
        "host": host,
        "key": key,
        "keyLocation": format!("{base_url}/{key}.txt"),
        "urlList": urls,
    }))
    .unwrap_or_default()
}

/// Whether a changed path is a page (`/boutiques/x/`, `/rayons/y/?page=2`) rather than a
/// file such as `/sitemap.xml`.
fn is_page(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    !path.rsplit('/').next().unwrap_or_default().contains('.')
}

/// IndexNow's key format: 8 to 128 characters among a–z, A–Z, 0–9 and `-`.
fn valid_key(key: &str) -> bool {
    (8..=128).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The key kept in the data folder, made (32 random hex digits) the first time.
fn key_from(data: &Path) -> anyhow::Result<String> {
    let path = data.join(KEY_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let key = text.trim();
        anyhow::ensure!(valid_key(key), "{} is not an IndexNow key", path.display());
        return Ok(key.to_owned());
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a key: {e}"))?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    std::fs::write(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

/// The route answering the key at `/{key}.txt`, as the engine fetches it.
pub fn router<S: Clone + Send + Sync + 'static>(key: &str) -> Router<S> {
    let body = key.to_owned();
    Router::new().route(
        &format!("/{key}.txt"),
        get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body) }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_are_sent() {
        for (path, page) in [
            ("/", true),
            ("/boutiques/x/croissant/", true),
            ("/rayons/a/?page=2", true),
            ("/sitemap.xml", false),
            ("/feeds/google-merchant.xml", false),
        ] {
            assert_eq!(is_page(path), page, "{path}");
        }
    }

    #[test]
    fn keys_follow_the_format() {
        assert!(valid_key("0123456789abcdef"));
        assert!(!valid_key("short"));
        assert!(!valid_key("with space 12345"));
    }

    #[test]
    fn payload_names_host_key_and_absolute_urls() {
        let body = payload("abcd1234", "https://www.exemple.fr", &["/a/".to_owned()]);
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(json["host"], "www.exemple.fr");
        assert_eq!(json["keyLocation"], "https://www.exemple.fr/abcd1234.txt");
        assert_eq!(json["urlList"][0], "https://www.exemple.fr/a/");
    }
}
