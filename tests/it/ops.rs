//! Operations: `/metrics` (who may read it, that it is valid exposition text whose
//! counters follow the requests), visits per day (people's page views only, flushed and
//! read back), and request logs as JSON.

use crate::helpers::{TestApp, TestResponse, attrs, copy_dir, fixtures};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use comptoir::ops::logging::{LogFormat, subscriber};
use comptoir::ops::visits::{self, PageKind};
use jiff::civil::{Date, date};
use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PRODUCT: &str = "/boutiques/fromagerie-des-ecoles/comte-18-mois/";
const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const LOOPBACK: [u8; 4] = [127, 0, 0, 1];
const ELSEWHERE: [u8; 4] = [203, 0, 113, 9];

/// The `valid` fixture, with `/metrics` behind `token` when given.
fn app_with_token(token: Option<&str>) -> TestApp {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| config.metrics_token = token.map(comptoir::config::Secret::new),
    );
    app.build().expect("the fixture builds");
    app
}

/// `GET path` from `peer`, as the real server sees it (it records the peer's address).
async fn get_from(
    app: &TestApp,
    path: &str,
    peer: [u8; 4],
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut builder = Request::builder().uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 50_000))));
    app.send(request).await
}

async fn browse(app: &TestApp, method: Method, path: &str, agent: Option<&str>) -> TestResponse {
    let headers: Vec<(&str, &str)> = agent.map(|a| ("user-agent", a)).into_iter().collect();
    app.request(method, path, &headers).await
}

/// Parses exposition text strictly (every line a comment or a sample of a declared
/// family, no series twice) into series → value, labels sorted by name.
fn parse_exposition(text: &str) -> BTreeMap<String, f64> {
    assert!(text.ends_with('\n'), "ends with a line feed");
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut series = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            assert!(types.insert(name.into(), kind.into()).is_none(), "{line}");
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (name, labels, value) = parse_sample(line);
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s)
                    .filter(|f| types.get(*f).is_some_and(|k| k == "histogram"))
            })
            .unwrap_or(&name);
        assert!(types.contains_key(family), "undeclared family: {line}");
        let key = format!("{name}{{{}}}", labels.join(","));
        assert!(series.insert(key, value).is_none(), "series twice: {line}");
    }
    series
}

/// A sample line: its name, its labels (`k="v"`, sorted) and its value.
fn parse_sample(line: &str) -> (String, Vec<String>, f64) {
    let name_end = line.find(['{', ' ']).expect("name then labels or value");
    let name = &line[..name_end];
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !name.starts_with(|c: char| c.is_ascii_digit()),
        "metric name: {line}"
    );
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.rfind("} ").expect("labels close");
        let mut body = &inner[..close];
        while !body.is_empty() {
            let (label, after) = body.split_once("=\"").expect("label=\"value\"");
            assert!(
                label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next().expect("closing quote") {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next().expect("escape").1 {
                        'n' => value.push('\n'),
                        c @ ('\\' | '"') => value.push(c),
                        c => panic!("bad escape \\{c} in {line}"),
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.push(format!("{label}=\"{value}\""));
            body = after[end + 1..]
                .strip_prefix(',')
                .unwrap_or(&after[end + 1..]);
        }
        rest = &inner[close + 1..];
    }
    let value = rest.trim_start_matches(' ');
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().unwrap_or_else(|_| panic!("value of {line}")),
    };
    labels.sort();
    (name.to_owned(), labels, value)
}

/// The value of a series (labels in any order), 0 when absent.
fn value(series: &BTreeMap<String, f64>, name: &str, labels: &[(&str, &str)]) -> f64 {
    let mut labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    labels.sort();
    series
        .get(&format!("{name}{{{}}}", labels.join(",")))
        .copied()
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp) -> BTreeMap<String, f64> {
    let answer = get_from(app, "/metrics", LOOPBACK, &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    parse_exposition(&answer.text())
}

#[tokio::test]
async fn metrics_are_refused_from_elsewhere_and_without_the_token() {
    let open = app_with_token(None);
    assert_eq!(
        get_from(&open, "/metrics", LOOPBACK, &[]).await.status,
        StatusCode::OK
    );
    for (peer, headers) in [
        (ELSEWHERE, &[][..]),
        (LOOPBACK, &[("x-forwarded-for", "203.0.113.9")][..]),
        (LOOPBACK, &[("forwarded", "for=203.0.113.9")][..]),
    ] {
        let answer = get_from(&open, "/metrics", peer, headers).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{peer:?} {headers:?}");
        assert!(!answer.text().contains("comptoir_"));
    }
    // No peer address known (not a TCP connection): refused too.
    assert_eq!(open.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let locked = app_with_token(Some("jeton-de-la-supervision"));
    for headers in [
        &[][..],
        &[("authorization", "Bearer autre-jeton")][..],
        &[("authorization", "jeton-de-la-supervision")][..],
    ] {
        let answer = get_from(&locked, "/metrics", LOOPBACK, headers).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert!(answer.header("www-authenticate").starts_with("Bearer"));
        assert!(!answer.text().contains("comptoir_"));
    }
    let bearer = [("authorization", "Bearer jeton-de-la-supervision")];
    let answer = get_from(&locked, "/metrics", ELSEWHERE, &bearer).await;
    assert_eq!(answer.status, StatusCode::OK);
    parse_exposition(&answer.text());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_searches() {
    let app = app_with_token(None);
    let before = scrape(&app).await;
    let requests = "comptoir_http_requests_total";
    let page_ok = [("route", "page"), ("method", "GET"), ("status", "200")];
    let page_missing = [("route", "page"), ("method", "GET"), ("status", "404")];
    assert_eq!(value(&before, requests, &page_ok), 0.0);
    assert_eq!(value(&before, "comptoir_search_queries_total", &[]), 0.0);

    assert_eq!(app.get(PRODUCT).await.status, StatusCode::OK);
    assert_eq!(app.get("/nulle-part/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/recherche?q=comte").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/search?q=xylophone").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/recherche?q=comte&page=2").await.status,
        StatusCode::OK
    );

    let after = scrape(&app).await;
    assert_eq!(value(&after, requests, &page_ok), 1.0);
    assert_eq!(value(&after, requests, &page_missing), 1.0);
    let search_ok = [
        ("route", "/recherche"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert_eq!(value(&after, requests, &search_ok), 2.0);
    let api_ok = [
        ("route", "/api/search"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert_eq!(value(&after, requests, &api_ok), 1.0);
    // The first scrape is counted under its own route.
    let metrics_ok = [("route", "/metrics"), ("method", "GET"), ("status", "200")];
    assert_eq!(value(&after, requests, &metrics_ok), 1.0);
    // No raw URL became a label.
    assert!(
        after
            .keys()
            .all(|k| !k.contains("nulle-part") && !k.contains("comte"))
    );

    // Paging through results is not a new search.
    assert_eq!(value(&after, "comptoir_search_queries_total", &[]), 2.0);
    assert_eq!(
        value(&after, "comptoir_search_zero_results_total", &[]),
        1.0
    );

    let latency = "comptoir_http_request_duration_seconds";
    let page = [("route", "page"), ("method", "GET")];
    assert_eq!(value(&after, &format!("{latency}_count"), &page), 2.0);
    let inf = [("route", "page"), ("method", "GET"), ("le", "+Inf")];
    assert_eq!(value(&after, &format!("{latency}_bucket"), &inf), 2.0);
    let fast = [("route", "page"), ("method", "GET"), ("le", "0.001")];
    assert!(value(&after, &format!("{latency}_bucket"), &fast) <= 2.0);
    assert!(value(&after, &format!("{latency}_sum"), &page) > 0.0);
    assert_eq!(value(&after, "comptoir_catalogue_errors", &[]), 0.0);
    assert_eq!(
        value(&after, "comptoir_visits_total", &[("page", "product")]),
        0.0,
        "requests without a user agent are not visits"
    );
}

#[tokio::test]
async fn visits_count_people_on_pages_and_ignore_robots_files_and_the_back_office() {
    let app = app_with_token(None);
    let home = browse(&app, Method::GET, "/", Some(FIREFOX)).await;
    assert_eq!(home.status, StatusCode::OK);
    let product = browse(&app, Method::GET, PRODUCT, Some(FIREFOX)).await;
    assert_eq!(product.status, StatusCode::OK);
    assert_eq!(
        browse(&app, Method::GET, PRODUCT, Some(FIREFOX))
            .await
            .status,
        StatusCode::OK
    );
    let search = browse(&app, Method::GET, "/recherche?q=pain", Some(FIREFOX)).await;
    assert_eq!(search.status, StatusCode::OK);

    let stylesheet = attrs(&home.html(), "link[rel=stylesheet]", "href");
    let picture = attrs(&product.html(), "img", "src");
    let picture = picture
        .iter()
        .find(|s| s.starts_with("/images/"))
        .expect("a picture");
    let not_visits: Vec<(Method, &str, Option<&str>)> = vec![
        (Method::GET, PRODUCT, Some(GOOGLEBOT)),
        (Method::GET, "/", Some("curl/8.5.0")),
        (Method::GET, PRODUCT, Some("")),
        (Method::GET, PRODUCT, None),
        (Method::HEAD, PRODUCT, Some(FIREFOX)),
        (Method::GET, &stylesheet[0], Some(FIREFOX)),
        (Method::GET, picture, Some(FIREFOX)),
        (Method::GET, "/api/search?q=pain", Some(FIREFOX)),
        (Method::GET, "/sitemap.xml", Some(FIREFOX)),
        (Method::GET, "/nulle-part/", Some(FIREFOX)),
        (Method::GET, "/espace-commercant/connexion", Some(FIREFOX)),
    ];
    for (method, path, agent) in not_visits {
        let answer = browse(&app, method.clone(), path, agent).await;
        assert!(
            answer.status.as_u16() < 500,
            "{method} {path}: {}",
            answer.status
        );
    }
    // The back-office page is an HTML page answered 200, yet not a visit.
    let login = browse(
        &app,
        Method::GET,
        "/espace-commercant/connexion",
        Some(FIREFOX),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.header("content-type").starts_with("text/html"));

    let db = app.state.db().await.expect("database");
    assert_eq!(
        app.state.flush_visits().await.expect("flush"),
        3,
        "three kinds of page"
    );
    assert_eq!(app.state.flush_visits().await.expect("nothing left"), 0);
    let today = comptoir::config::today();
    let yesterday = today.yesterday().expect("a day before");
    let days = visits::per_day(db, yesterday, today)
        .await
        .expect("read back");
    assert_eq!(days.len(), 2);
    assert_eq!((days[0].day, days[0].total), (yesterday, 0));
    assert_eq!(days[1].day, today);
    let expected = BTreeMap::from([
        (PageKind::Home, 1),
        (PageKind::Product, 2),
        (PageKind::Search, 1),
    ]);
    assert_eq!(days[1].pages, expected);
    assert_eq!(days[1].total, 4);

    // A later flush adds to the day's counts.
    browse(&app, Method::GET, "/", Some(FIREFOX)).await;
    app.state.flush_visits().await.expect("flush");
    let days = visits::per_day(db, today, today).await.expect("read back");
    assert_eq!(days[0].pages[&PageKind::Home], 2);
    assert_eq!(days[0].total, 5);
    assert_eq!(
        value(
            &scrape(&app).await,
            "comptoir_visits_total",
            &[("page", "product")]
        ),
        2.0
    );
}

#[tokio::test]
async fn builds_live_updates_and_catalogue_errors_show_in_metrics() {
    let app = TestApp::unbuilt_with(
        |content| copy_dir(&fixtures().join("valid"), content),
        |config| config.watch = Some(Duration::from_millis(30)),
    );
    app.state
        .start_publisher(Duration::from_millis(30))
        .await
        .expect("the publisher starts");
    let started = scrape(&app).await;
    let full = [("kind", "full")];
    assert_eq!(
        value(&started, "comptoir_build_duration_seconds_count", &full),
        1.0
    );
    assert_eq!(
        value(&started, "comptoir_publish_duration_seconds_count", &full),
        1.0
    );

    let file = app
        .content
        .join("shops/fromagerie-des-ecoles/products/comte-18-mois.md");
    let text = std::fs::read_to_string(&file).expect("product file");
    std::fs::write(&file, text.replace("price = \"6.90\"", "price = \"7.20\"")).expect("edit");
    let update = [("kind", "update")];
    until(&app, "the update is timed", |m| {
        value(m, "comptoir_build_duration_seconds_count", &update) == 1.0
            && value(m, "comptoir_publish_duration_seconds_count", &update) == 1.0
    })
    .await;

    std::fs::write(&file, "+++\nid = \"ecoles-comte-18\"\nprice = \n+++\n").expect("break");
    until(&app, "the broken file is counted", |m| {
        value(m, "comptoir_catalogue_errors", &[]) >= 1.0
    })
    .await;
}

/// Scrapes until `check` holds, for at most ten seconds.
async fn until(app: &TestApp, what: &str, check: impl Fn(&BTreeMap<String, f64>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let series = scrape(app).await;
        if check(&series) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still not true after 10 s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

crate::commerce::on_both_databases!(visits_add_up_per_day_and_kind_of_page);

async fn visits_add_up_per_day_and_kind_of_page(env: crate::commerce::Env) {
    let log = visits::VisitLog::default();
    let (monday, tuesday, wednesday) = (date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11));
    log.record(monday, PageKind::Home);
    log.record(wednesday, PageKind::Product);
    log.record(wednesday, PageKind::Product);
    log.record(wednesday, PageKind::Cart);
    assert_eq!(
        log.flush(&env.db).await.expect("flush"),
        3,
        "three (day, page) rows"
    );
    log.record(wednesday, PageKind::Product);
    log.flush(&env.db).await.expect("second flush");

    let days = visits::per_day(&env.db, monday, wednesday)
        .await
        .expect("read");
    let totals: Vec<(Date, i64)> = days.iter().map(|d| (d.day, d.total)).collect();
    assert_eq!(totals, [(monday, 1), (tuesday, 0), (wednesday, 4)]);
    assert_eq!(
        days[2].pages,
        BTreeMap::from([(PageKind::Product, 3), (PageKind::Cart, 1)])
    );
    let tuesday_on = visits::per_day(&env.db, tuesday, wednesday)
        .await
        .expect("read");
    assert_eq!(tuesday_on.len(), 2, "days before the period are left out");
    assert!(
        visits::per_day(&env.db, wednesday, monday)
            .await
            .expect("read")
            .is_empty()
    );
}

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
