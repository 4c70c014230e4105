//! The town's quality charter and each shop's acceptance of it.
//!
//! The charter is `content/charte.md` (optional: a town without one asks nothing of its
//! shops). Its `version` changes when the text does; a shop is online only while its
//! `shop.toml` records the acceptance of the current version ([`Charter::accepted_by`]).
//! The rule lives here so the build, the live updates and the back-office agree.

use jiff::civil::Date;

/// The file of the charter, in `content/`.
pub const CHARTER_FILE: &str = "charte.md";

/// The quality charter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Charter {
    /// The version shops accept, e.g. `"2026-11"`.
    pub version: String,
    /// The commitments in figures, shown beside each shop's own.
    pub targets: Targets,
    /// The text, Markdown.
    pub body: String,
}

/// What the charter promises shoppers, in figures (each optional).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Targets {
    /// Orders accepted within this many hours.
    pub accept_within_hours: Option<u32>,
    /// Orders ready (or sent) within this many hours.
    pub ready_within_hours: Option<u32>,
    /// At most this share of orders cancelled, in percent.
    pub max_cancelled_percent: Option<u32>,
}

/// A shop's acceptance of a version of the charter (`charter = { … }` in `shop.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Acceptance {
    /// The version accepted.
    pub version: String,
    /// When.
    pub accepted: Date,
    /// By whom (the merchant's e-mail).
    pub by: String,
}

impl Charter {
    /// Whether a shop that accepted `acceptance` may be online under this charter: only
    /// the current version counts.
    #[must_use]
    pub fn accepted_by(&self, acceptance: Option<&Acceptance>) -> bool {
        acceptance.is_some_and(|a| a.version == self.version)
    }
}

/// Whether a shop with `acceptance` is online under `charter` (always, without one).
#[must_use]
pub fn shop_online(charter: Option<&Charter>, acceptance: Option<&Acceptance>) -> bool {
    charter.is_none_or(|c| c.accepted_by(acceptance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn only_the_current_version_puts_a_shop_online() {
        let charter = Charter {
            version: "2026-11".into(),
            targets: Targets::default(),
            body: String::new(),
        };
        let accepted = |version: &str| Acceptance {
            version: version.into(),
            accepted: date(2026, 11, 29),
            by: "anne@exemple.fr".into(),
        };
        let current = accepted("2026-11");
        let old = accepted("2025-01");
        for (charter, acceptance, online) in [
            (None, None, true),
            (None, Some(&old), true),
            (Some(&charter), None, false),
            (Some(&charter), Some(&old), false),
            (Some(&charter), Some(&current), true),
        ] {
            assert_eq!(shop_online(charter, acceptance), online, "{acceptance:?}");
        }
    }
}
