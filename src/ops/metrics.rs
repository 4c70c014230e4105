//! The server's counters and histograms, kept in memory and written in the Prometheus text
//! exposition format (version 0.0.4,
//! <https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format>).
//!
//! Written by hand: a dozen families do not need a metrics library. Every label takes its
//! values from a bounded set (the router's route patterns, the kinds of files of the build,
//! HTTP methods and statuses, fixed reasons), never from a raw URL, a query or a user
//! agent, so the number of series stays small whatever clients send.
//!
//! Not here: who may read them ([`super::access`]) and what feeds the request counts
//! ([`super::observe`]).

use crate::orders::{CheckoutError, Placed};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The exposition format's content type.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Request latency buckets, in seconds: the Prometheus clients' defaults, from 1 ms (a
/// cached file) to 10 s (the request timeout is 30 s and lands in `+Inf`).
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
/// Build and publish buckets, in seconds: an edited product takes milliseconds, a full
/// build of a large catalogue minutes.
const BUILD_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0, 120.0, 600.0,
];

/// Observations counted in buckets, as Prometheus' histograms (cumulative when written).
#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: vec![0; bounds.len()],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, value: Duration) {
        let seconds = value.as_secs_f64();
        if let Some(i) = self.bounds.iter().position(|&b| seconds <= b) {
            self.counts[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &[(&str, &str)]) {
        let bucket = format!("{name}_bucket");
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(&self.counts) {
            cumulative += n;
            let le = bound.to_string();
            sample(out, &bucket, &[labels, &[("le", &le)]].concat(), cumulative);
        }
        sample(
            out,
            &bucket,
            &[labels, &[("le", "+Inf")]].concat(),
            self.count,
        );
        sample(out, &format!("{name}_sum"), labels, self.sum);
        sample(out, &format!("{name}_count"), labels, self.count);
    }
}

/// One route and method's answers.
#[derive(Debug, Clone)]
struct RouteStats {
    statuses: BTreeMap<u16, u64>,
    latency: Histogram,
}

/// A full build, or an update of the live one in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BuildKind {
    /// A whole new build published.
    Full,
    /// Changes applied to the live build (edited products, stock counts).
    Update,
}

impl BuildKind {
    fn label(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Update => "update",
        }
    }
}

/// Build and publish times of one kind.
#[derive(Debug, Clone)]
struct BuildStats {
    build: Histogram,
    publish: Histogram,
}

/// Everything `/metrics` reports, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str), RouteStats>>,
    searches: AtomicU64,
    zero_results: AtomicU64,
    orders_placed: AtomicU64,
    checkouts_refused: Mutex<BTreeMap<&'static str, u64>>,
    builds: Mutex<BTreeMap<BuildKind, BuildStats>>,
    build_failures: AtomicU64,
    visits: Mutex<BTreeMap<&'static str, u64>>,
}

/// A lock that survives a panic elsewhere: counts stay usable.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Metrics {
    /// Counts an answer of `route` (a bounded label, see [`super::observe`]) and its time.
    pub fn request(&self, route: &str, method: &'static str, status: u16, took: Duration) {
        let mut requests = locked(&self.requests);
        let stats = requests
            .entry((route.to_owned(), method))
            .or_insert_with(|| RouteStats {
                statuses: BTreeMap::new(),
                latency: Histogram::new(&LATENCY_BUCKETS),
            });
        *stats.statuses.entry(status).or_default() += 1;
        stats.latency.observe(took);
    }

    /// Counts a search that was answered, and whether it found nothing.
    pub fn search(&self, found: usize) {
        self.searches.fetch_add(1, Ordering::Relaxed);
        if found == 0 {
            self.zero_results.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a checkout: a new order, or a refusal by its reason (a form sent twice is
    /// the same order, not counted again).
    pub fn checkout(&self, outcome: &Result<Placed, CheckoutError>) {
        match outcome {
            Ok(placed) if placed.fresh => {
                self.orders_placed.fetch_add(1, Ordering::Relaxed);
            }
            Ok(_) => {}
            Err(error) => {
                *locked(&self.checkouts_refused)
                    .entry(refusal_reason(error))
                    .or_default() += 1
            }
        }
    }

    /// Records a build that was published: how long it took, and how long making it live
    /// took when known.
    pub fn build(&self, kind: BuildKind, took: Duration, publish: Option<Duration>) {
        let mut builds = locked(&self.builds);
        let stats = builds.entry(kind).or_insert_with(|| BuildStats {
            build: Histogram::new(&BUILD_BUCKETS),
            publish: Histogram::new(&BUILD_BUCKETS),
        });
        stats.build.observe(took);
        if let Some(publish) = publish {
            stats.publish.observe(publish);
        }
    }

    /// Counts a build or an update that failed (the site kept the last good one).
    pub fn build_failed(&self) {
        self.build_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a visit of a kind of page (see [`super::visits`]).
    pub fn visit(&self, page: &'static str) {
        *locked(&self.visits).entry(page).or_default() += 1;
    }

    /// Everything, in the exposition format; `catalogue_errors` is the number of problems
    /// in the catalogue's files now.
    #[must_use]
    pub fn render(&self, catalogue_errors: usize) -> String {
        let mut out = String::with_capacity(8 * 1024);
        self.render_requests(&mut out);
        let counter = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            family(out, name, "counter", help);
            sample(out, name, &[], value.load(Ordering::Relaxed));
        };
        counter(
            &mut out,
            "comptoir_search_queries_total",
            "Searches answered (first pages, with words), on the page and the API.",
            &self.searches,
        );
        counter(
            &mut out,
            "comptoir_search_zero_results_total",
            "Searches answered that found nothing.",
            &self.zero_results,
        );
        counter(
            &mut out,
            "comptoir_orders_placed_total",
            "Orders placed.",
            &self.orders_placed,
        );
        labelled(
            &mut out,
            "comptoir_checkouts_refused_total",
            "Checkouts refused, by reason.",
            "reason",
            &locked(&self.checkouts_refused),
        );
        self.render_builds(&mut out);
        counter(
            &mut out,
            "comptoir_build_failures_total",
            "Builds and live updates that failed (the last good build stays online).",
            &self.build_failures,
        );
        family(
            &mut out,
            "comptoir_catalogue_errors",
            "gauge",
            "Problems in the catalogue's files now (their last good version is online).",
        );
        sample(&mut out, "comptoir_catalogue_errors", &[], catalogue_errors);
        labelled(
            &mut out,
            "comptoir_visits_total",
            "Page views by people (robots, assets and the back-office left out), by kind of page.",
            "page",
            &locked(&self.visits),
        );
        out
    }

    fn render_requests(&self, out: &mut String) {
        let requests = locked(&self.requests).clone();
        let total = "comptoir_http_requests_total";
        family(
            out,
            total,
            "counter",
            "Requests answered, by route (the router's pattern, or the kind of file served), method and status.",
        );
        for ((route, method), stats) in &requests {
            for (status, n) in &stats.statuses {
                let status = status.to_string();
                let labels = [
                    ("route", route.as_str()),
                    ("method", method),
                    ("status", &status),
                ];
                sample(out, total, &labels, n);
            }
        }
        let latency = "comptoir_http_request_duration_seconds";
        family(
            out,
            latency,
            "histogram",
            "Time from the request to the response's head, by route and method.",
        );
        for ((route, method), stats) in &requests {
            let labels = [("route", route.as_str()), ("method", *method)];
            stats.latency.write(out, latency, &labels);
        }
    }

    fn render_builds(&self, out: &mut String) {
        let builds = locked(&self.builds).clone();
        let names = [
            (
                "comptoir_build_duration_seconds",
                "Time to build, by kind: a full build, or an update of the live build.",
            ),
            (
                "comptoir_publish_duration_seconds",
                "Time to make a build live: the switch of a full build, the server's swap of an update.",
            ),
        ];
        for (i, (name, help)) in names.into_iter().enumerate() {
            family(out, name, "histogram", help);
            for (kind, stats) in &builds {
                let histogram = if i == 0 { &stats.build } else { &stats.publish };
                histogram.write(out, name, &[("kind", kind.label())]);
            }
        }
    }
}

/// A checkout refusal's label.
fn refusal_reason(error: &CheckoutError) -> &'static str {
    match error {
        CheckoutError::Invalid { .. } => "invalid_form",
        CheckoutError::EmptyCart => "empty_cart",
        CheckoutError::Quantity { .. } => "quantity",
        CheckoutError::UnknownItem { .. } | CheckoutError::Withdrawn { .. } => "withdrawn",
        CheckoutError::OutOfStock { .. } => "out_of_stock",
        CheckoutError::NoChoice { .. } => "no_delivery_choice",
        CheckoutError::Delivery { .. } => "delivery",
        CheckoutError::PriceChanged { .. } => "price_changed",
        CheckoutError::PromoCode(_) => "promo_code",
        CheckoutError::Db(_) => "internal_error",
    }
}

/// `# HELP` and `# TYPE` lines.
fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A counter family with one label.
fn labelled(out: &mut String, name: &str, help: &str, label: &str, values: &BTreeMap<&str, u64>) {
    family(out, name, "counter", help);
    for (value, n) in values {
        sample(out, name, &[(label, value)], n);
    }
}

/// One sample line: `name{label="value",…} value`.
fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (label, value)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{label}=\"{}\"", escape(value));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// A label value with `\`, `"` and line feeds escaped, as the format requires.
fn escape(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        for (raw, escaped) in [
            ("/plain/{token}", "/plain/{token}"),
            ("a\"b", "a\\\"b"),
            ("a\\b", "a\\\\b"),
            ("a\nb", "a\\nb"),
        ] {
            assert_eq!(escape(raw), escaped);
        }
    }

    #[test]
    fn checkouts_and_builds_are_counted_by_outcome_and_kind() {
        let metrics = Metrics::default();
        metrics.checkout(&Err(CheckoutError::EmptyCart));
        metrics.checkout(&Err(CheckoutError::EmptyCart));
        metrics.checkout(&Err(CheckoutError::PriceChanged {
            total: comptoir_indexer::money::Money::from_cents(1250),
        }));
        metrics.build(BuildKind::Full, Duration::from_secs(3), None);
        metrics.build(
            BuildKind::Update,
            Duration::from_millis(20),
            Some(Duration::ZERO),
        );
        metrics.build_failed();
        let text = metrics.render(2);
        for line in [
            "comptoir_checkouts_refused_total{reason=\"empty_cart\"} 2",
            "comptoir_checkouts_refused_total{reason=\"price_changed\"} 1",
            "comptoir_orders_placed_total 0",
            "comptoir_build_duration_seconds_count{kind=\"full\"} 1",
            "comptoir_build_duration_seconds_bucket{kind=\"update\",le=\"0.025\"} 1",
            "comptoir_publish_duration_seconds_count{kind=\"full\"} 0",
            "comptoir_publish_duration_seconds_count{kind=\"update\"} 1",
            "comptoir_build_failures_total 1",
            "comptoir_catalogue_errors 2",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
    }

    #[test]
    fn histograms_are_cumulative_and_end_with_inf() {
        let mut h = Histogram::new(&LATENCY_BUCKETS);
        for ms in [0, 3, 3, 40, 20_000] {
            h.observe(Duration::from_millis(ms));
        }
        let mut out = String::new();
        h.write(&mut out, "x", &[("route", "/")]);
        assert!(
            out.contains("x_bucket{route=\"/\",le=\"0.001\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/\",le=\"0.005\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("x_bucket{route=\"/\",le=\"10\"} 4\n"), "{out}");
        assert!(
            out.contains("x_bucket{route=\"/\",le=\"+Inf\"} 5\n"),
            "{out}"
        );
        assert!(out.contains("x_count{route=\"/\"} 5\n"), "{out}");
    }
}
