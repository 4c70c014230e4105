//! Visits per day, for the association's figures: page views of the site's HTML pages by
//! people, counted on the server, without cookies or personal data.
//!
//! A view is a `GET` answered 200 with an HTML page, outside the back-office, the API,
//! assets, pictures, feeds and sitemaps, from a user agent that is not a known robot
//! ([`ROBOT_MARKERS`]; an absent or empty one is a robot too) and not a prefetch. Nothing
//! about the visitor is kept: no address, no user agent, no URL, no time of day — only the
//! day (Paris time) and the kind of page ([`PageKind`]). Counts gather in memory and are
//! added to the `visits` table by [`VisitLog::flush`] (the server flushes every
//! [`crate::search::stats::FLUSH_EVERY`] and on shutdown), so a page never waits for a
//! write; [`per_day`] reads them back over a period.
//!
//! Not here: the answer's status and type are checked by [`super::observe`], which sees the
//! response.

use crate::db::{Db, Result};
use axum::http::{HeaderMap, Method, header};
use jiff::civil::Date;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

/// Lowercase pieces of user agents that are not people: search engines and other crawlers
/// (`bot`, `crawl`, `spider`, `slurp`, link previews), command-line and library clients,
/// headless browsers and audits (our own e2e suite runs headless Chromium and Lighthouse),
/// uptime monitors. A user agent containing any of them is not counted.
pub const ROBOT_MARKERS: [&str; 27] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "curl",
    "wget",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "axios",
    "node-fetch",
    "scrapy",
    "headless",
    "lighthouse",
    "pagespeed",
    "phantomjs",
    "facebookexternalhit",
    "embedly",
    "preview",
    "feedfetcher",
    "monitor",
    "uptime",
];

/// Paths that are never visits, whatever they answer (`/x` and everything under `/x/`).
const NOT_PAGES: [&str; 9] = [
    "/espace-commercant",
    "/admin",
    "/api",
    "/assets",
    "/images",
    "/feeds",
    "/healthz",
    "/metrics",
    "/robots.txt",
];

/// The kinds of pages counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    /// `/`.
    Home,
    /// A shop's page.
    Shop,
    /// An aisle (`/rayons/…`).
    Aisle,
    /// A product's page.
    Product,
    /// `/recherche`.
    Search,
    /// `/panier`.
    Cart,
    /// `/commande` and the confirmation.
    Checkout,
    /// Any other page (the list of shops, an order's tracking…).
    Other,
}

impl PageKind {
    /// Every kind, in the order of the figures.
    pub const ALL: [Self; 8] = [
        Self::Home,
        Self::Shop,
        Self::Aisle,
        Self::Product,
        Self::Search,
        Self::Cart,
        Self::Checkout,
        Self::Other,
    ];

    /// Its name in the database and in `/metrics`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Shop => "shop",
            Self::Aisle => "aisle",
            Self::Product => "product",
            Self::Search => "search",
            Self::Cart => "cart",
            Self::Checkout => "checkout",
            Self::Other => "other",
        }
    }

    /// The kind named `name` (an unknown name, from a later version, is `Other`).
    #[must_use]
    pub fn parse(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .unwrap_or(Self::Other)
    }

    /// The kind of page at `path` (without its query); `None` where no page is a visit.
    #[must_use]
    pub fn of_path(path: &str) -> Option<Self> {
        let excluded = NOT_PAGES
            .iter()
            .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
        let last = path.rsplit('/').next().unwrap_or_default();
        let file = last.contains('.') && !last.ends_with(".html");
        if excluded || file || last.starts_with("sitemap") {
            return None;
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Some(match segments.as_slice() {
            [] => Self::Home,
            ["boutiques", _] => Self::Shop,
            ["boutiques", _, _] => Self::Product,
            ["rayons", ..] => Self::Aisle,
            ["recherche"] => Self::Search,
            ["panier", ..] => Self::Cart,
            ["commande"] | ["commande", "confirmation", ..] => Self::Checkout,
            _ => Self::Other,
        })
    }
}

/// Whether a user agent is a robot's: absent, empty, or containing a [`ROBOT_MARKERS`].
#[must_use]
pub fn is_robot(user_agent: Option<&str>) -> bool {
    let agent = user_agent.unwrap_or_default().trim().to_ascii_lowercase();
    agent.is_empty() || ROBOT_MARKERS.iter().any(|m| agent.contains(m))
}

/// The kind of page a request would be a visit of, if answered with an HTML page; `None`
/// for other methods, robots, prefetches and paths that are not pages.
#[must_use]
pub fn candidate(method: &Method, path: &str, headers: &HeaderMap) -> Option<PageKind> {
    if method != Method::GET {
        return None;
    }
    let agent = headers
        .get(header::USER_AGENT)
        .map(|v| v.to_str().unwrap_or_default());
    // Browsers mark speculative loads (https://fetch.spec.whatwg.org/#sec-purpose-header).
    let prefetch = ["sec-purpose", "purpose", "x-moz"].iter().any(|h| {
        headers
            .get(*h)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("prefetch"))
    });
    if prefetch || is_robot(agent) {
        return None;
    }
    PageKind::of_path(path)
}

/// Views not yet written, by day and kind of page.
#[derive(Debug, Default)]
pub struct VisitLog {
    pending: Mutex<HashMap<(Date, PageKind), i64>>,
}

impl VisitLog {
    /// Counts one view of a page of `kind` on `day`.
    pub fn record(&self, day: Date, kind: PageKind) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        *pending.entry((day, kind)).or_default() += 1;
    }

    /// Adds the pending counts to the database, in one transaction; returns how many
    /// (day, kind) rows were written. Counts are kept for the next flush on failure.
    ///
    /// # Errors
    ///
    /// When the database cannot be written.
    pub async fn flush(&self, db: &Db) -> Result<usize> {
        let batch: Vec<((Date, PageKind), i64)> = self
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .collect();
        if batch.is_empty() {
            return Ok(0);
        }
        let written = write(db, &batch).await;
        if written.is_err() {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            for (key, views) in batch {
                *pending.entry(key).or_default() += views;
            }
        }
        written
    }
}

async fn write(db: &Db, batch: &[((Date, PageKind), i64)]) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    for ((day, kind), views) in batch {
        sqlx::query(
            "INSERT INTO visits (day, page, views) VALUES ($1, $2, $3) \
             ON CONFLICT (day, page) DO UPDATE SET views = visits.views + excluded.views",
        )
        .bind(day.to_string())
        .bind(kind.as_str())
        .bind(*views)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(batch.len())
}

/// One day's views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayVisits {
    /// The day (Paris time).
    pub day: Date,
    /// Views of every kind.
    pub total: i64,
    /// Views per kind of page (kinds without views left out).
    pub pages: BTreeMap<PageKind, i64>,
}

/// Views per day from `from` to `to` (both included), one entry for every day of the
/// period, days without views at 0, oldest first. Counts not yet flushed are not included.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn per_day(db: &Db, from: Date, to: Date) -> Result<Vec<DayVisits>> {
    let rows = sqlx::query(
        "SELECT day, page, views FROM visits WHERE day >= $1 AND day <= $2 ORDER BY day, page",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut stored: BTreeMap<String, BTreeMap<PageKind, i64>> = BTreeMap::new();
    for row in &rows {
        let (day, page, views): (String, String, i64) = (
            row.try_get("day")?,
            row.try_get("page")?,
            row.try_get("views")?,
        );
        *stored
            .entry(day)
            .or_default()
            .entry(PageKind::parse(&page))
            .or_default() += views;
    }
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let pages = stored.remove(&day.to_string()).unwrap_or_default();
        days.push(DayVisits {
            day,
            total: pages.values().sum(),
            pages,
        });
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_are_known_by_their_user_agent() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        for (agent, robot) in [
            (Some(firefox), false),
            (Some(safari), false),
            (None, true),
            (Some(""), true),
            (Some("   "), true),
            (
                Some("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
                true,
            ),
            (Some("Mozilla/5.0 (compatible; bingbot/2.0)"), true),
            (Some("Mozilla/5.0 (compatible; Yahoo! Slurp)"), true),
            (Some("curl/8.5.0"), true),
            (Some("Wget/1.21"), true),
            (Some("python-requests/2.31"), true),
            (
                Some("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0 Safari/537.36"),
                true,
            ),
            (
                Some("Mozilla/5.0 Chrome/126.0 Safari/537.36 Chrome-Lighthouse"),
                true,
            ),
            (Some("facebookexternalhit/1.1"), true),
        ] {
            assert_eq!(is_robot(agent), robot, "{agent:?}");
        }
    }

    #[test]
    fn pages_have_a_kind_and_other_files_none() {
        use PageKind::*;
        for (path, kind) in [
            ("/", Some(Home)),
            ("/boutiques/", Some(Other)),
            ("/boutiques/fromagerie/", Some(Shop)),
            ("/boutiques/fromagerie/comte/", Some(Product)),
            ("/rayons/alimentation/fromagerie/", Some(Aisle)),
            ("/recherche", Some(Search)),
            ("/panier", Some(Cart)),
            ("/commande", Some(Checkout)),
            ("/commande/confirmation/0123", Some(Checkout)),
            ("/commande/suivi/0123", Some(Other)),
            ("/espace-commercant/", None),
            ("/espace-commercant", None),
            ("/admin/statistiques", None),
            ("/api/search", None),
            ("/assets/site.0123.css", None),
            ("/images/comte-400.jpg", None),
            ("/feeds/google-merchant.xml", None),
            ("/sitemap.xml", None),
            ("/sitemap-products-1.xml", None),
            ("/robots.txt", None),
            ("/healthz", None),
            ("/metrics", None),
            ("/favicon.ico", None),
            ("/administration", Some(Other)),
        ] {
            assert_eq!(PageKind::of_path(path), kind, "{path}");
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in PageKind::ALL {
            assert_eq!(PageKind::parse(kind.as_str()), kind);
        }
        assert_eq!(PageKind::parse("later"), PageKind::Other);
    }
}
