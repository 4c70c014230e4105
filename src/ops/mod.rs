//! Running the site: what the operators watch, not what shoppers see.
//!
//! - [`metrics`]: counters and latency histograms, written in Prometheus' text format at
//!   `/metrics` (behind [`access`]);
//! - [`observe`]: the middleware that counts, times and logs every request once, by its
//!   route (never its raw URL), and counts visits;
//! - [`visits`]: page views per day without cookies or personal data, for the
//!   association's figures;
//! - [`logging`]: the log format, text or JSON.
//!
//! Not here: search counts per query ([`crate::search::stats`]).

pub mod access;
pub mod logging;
pub mod metrics;
pub mod observe;
pub mod visits;

pub use metrics::Metrics;
pub use observe::observe;
