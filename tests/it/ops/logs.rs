//! Request logs: one JSON object per line, one line per request, with its route and
//! never its query or a token; the real binary with `--log-format json`.

use super::{FIREFOX, app_with_token};
use crate::helpers::TestApp;
use axum::http::StatusCode;
use comptoir::ops::logging::{LogFormat, subscriber};
use comptoir::ops::visits::{self, PageKind};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A writer into a shared buffer, for the log.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn json_logs_have_one_line_per_request_with_its_route_and_no_query() {
    let app = app_with_token(None);
    let captured = Captured::default();
    let writer = captured.clone();
    let filter = tracing_subscriber::EnvFilter::new("info");
    let _guard = tracing::subscriber::set_default(subscriber(LogFormat::Json, filter, move || {
        writer.clone()
    }));
    assert_eq!(
        app.get("/recherche?q=xylophone").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/commande/suivi/0123456789abcdef0123456789abcdef")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let text = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["target"] == comptoir::ops::observe::ACCESS_LOG)
        .collect();
    assert_eq!(requests.len(), 2, "{text}");
    assert_eq!(requests[0]["route"], "/recherche");
    assert_eq!(requests[0]["method"], "GET");
    assert_eq!(requests[0]["status"], 200);
    assert!(
        requests[0]["latency_ms"]
            .as_f64()
            .is_some_and(|ms| ms >= 0.0)
    );
    assert_eq!(requests[1]["route"], "/commande/suivi/{token}");
    assert_eq!(requests[1]["status"], 404);
    assert!(!text.contains("xylophone"), "no search words in the log");
    assert!(
        !text.contains("0123456789abcdef"),
        "no tracking token in the log"
    );
}

/// `GET path` over TCP with a browser's user agent; the whole answer.
fn tcp_get(address: &str, path: &str) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {FIREFOX}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[tokio::test]
async fn the_real_server_logs_json_serves_metrics_locally_and_writes_visits_on_shutdown() {
    use std::io::BufRead;
    let app = TestApp::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--content",
        ])
        .arg(&app.content)
        .arg("--data")
        .arg(&app.data)
        .env("RUST_LOG", "info")
        .env_remove("COMPTOIR_METRICS_TOKEN")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start comptoir serve");
    let stderr = child.stderr.take().expect("stderr");
    let (lines, log) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen: Vec<serde_json::Value> = Vec::new();
    let address = loop {
        let line = log
            .recv_timeout(Duration::from_secs(30))
            .expect("the server logs where it listens within 30 s");
        let json: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let message = json["message"].as_str().unwrap_or_default().to_owned();
        seen.push(json);
        if let Some(address) = message.strip_prefix("serving on http://") {
            break address.to_owned();
        }
    };
    let page = tcp_get(&address, "/boutiques/fromagerie-des-ecoles/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page:.200}");
    let metrics = tcp_get(&address, "/metrics");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics:.200}");
    assert!(
        metrics.contains("comptoir_visits_total{page=\"shop\"} 1"),
        "{metrics}"
    );

    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(stopped.success());
    let exit = child.wait().expect("the server stops");
    assert!(exit.success(), "{exit}");
    for line in std::iter::from_fn(|| log.recv_timeout(Duration::from_secs(10)).ok()) {
        seen.push(serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")));
    }
    let requests: Vec<(&str, u64)> = seen
        .iter()
        .filter(|l| l["target"] == comptoir::ops::observe::ACCESS_LOG)
        .map(|l| {
            (
                l["route"].as_str().unwrap_or_default(),
                l["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(requests, [("page", 200), ("/metrics", 200)]);

    // The visit was written to the database when the server stopped.
    let config = comptoir::Config::for_tests(app.content.clone(), app.data.clone());
    let db = comptoir::db::Db::open(&config).await.expect("database");
    let today = comptoir::config::today();
    let days = visits::per_day(&db, today, today).await.expect("read");
    assert_eq!(days[0].pages.get(&PageKind::Shop), Some(&1), "{days:?}");
}
