//! `TestApp`: a fixture catalogue copied into a temp folder it owns, built and published,
//! and the router serving it; plus HTTP and HTML assertion helpers.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use comptoir::{AppState, Config, app};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A built site and the server for it.
pub struct TestApp {
    _dir: tempfile::TempDir,
    pub content: PathBuf,
    pub data: PathBuf,
    pub state: AppState,
}

/// An HTTP answer, body collected.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.text())
    }
}

impl TestApp {
    /// The `valid` fixture, built and published.
    pub fn new() -> Self {
        Self::with_content(|content| copy_dir(&fixtures().join("valid"), content))
    }

    /// A catalogue written by `fill` into the app's content folder, built and published.
    pub fn with_content(fill: impl FnOnce(&Path)) -> Self {
        let app = Self::unbuilt(fill);
        app.build().expect("the fixture builds");
        app
    }

    /// The `valid` fixture, built and published, with its database at `database_url`
    /// (`None`: the SQLite file of the data folder).
    pub fn with_database(database_url: Option<&str>) -> Self {
        let app = Self::unbuilt_with(
            |content| copy_dir(&fixtures().join("valid"), content),
            |config| config.database_url = database_url.map(comptoir::config::Secret::new),
        );
        app.build().expect("the fixture builds");
        app
    }

    /// A catalogue written by `fill`, not built.
    pub fn unbuilt(fill: impl FnOnce(&Path)) -> Self {
        Self::unbuilt_with(fill, |_| {})
    }

    /// A catalogue written by `fill`, not built, the configuration changed by `configure`.
    pub fn unbuilt_with(fill: impl FnOnce(&Path), configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (content, data) = (dir.path().join("content"), dir.path().join("data"));
        fill(&content);
        let mut config = Config::for_tests(content.clone(), data.clone());
        configure(&mut config);
        let state = AppState::new(config);
        Self {
            _dir: dir,
            content,
            data,
            state,
        }
    }

    /// Builds and publishes the content folder.
    pub fn build(&self) -> anyhow::Result<comptoir_indexer::pipeline::BuildReport> {
        self.build_with(false)
    }

    /// Builds and publishes, with or without brotli/gzip copies of the pages.
    pub fn build_with(
        &self,
        precompress_pages: bool,
    ) -> anyhow::Result<comptoir_indexer::pipeline::BuildReport> {
        let args = comptoir::cli::BuildArgs {
            content: self.content.clone(),
            data: self.data.clone(),
            precompress_pages,
        };
        comptoir::cli::build(&args)
    }

    /// The live build's site folder.
    pub fn site(&self) -> PathBuf {
        self.data.join("current").join("site")
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[]).await
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::empty()).expect("request"))
            .await
    }

    /// Sends `request` through the router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = app(self.state.clone())
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

/// Every `<script type="application/ld+json">` of a page, parsed strictly.
pub fn json_ld(html: &scraper::Html) -> Vec<serde_json::Value> {
    let selector =
        scraper::Selector::parse(r#"script[type="application/ld+json"]"#).expect("selector");
    html.select(&selector)
        .map(|s| {
            serde_json::from_str(&s.inner_html().replace("<\\/", "</")).expect("JSON-LD parses")
        })
        .collect()
}

/// The JSON-LD object of a given `@type`.
pub fn json_ld_of(html: &scraper::Html, kind: &str) -> serde_json::Value {
    json_ld(html)
        .into_iter()
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} JSON-LD"))
}

/// The `content` of the first element matching `selector`'s attribute `attr`.
pub fn attr(html: &scraper::Html, selector: &str, attr: &str) -> Option<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(attr))
        .map(str::to_owned)
}

/// The text of every element matching `selector`.
pub fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The attribute `attr` of every element matching `selector`.
pub fn attrs(html: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_owned)
        .collect()
}
