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

/// `text` as a TOML basic string, quoted and escaped (TOML 1.0, "Basic strings").
#[must_use]
pub fn basic_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether a shop with `acceptance` is online under `charter` (always, without one).
#[must_use]
pub fn shop_online(charter: Option<&Charter>, acceptance: Option<&Acceptance>) -> bool {
    charter.is_none_or(|c| c.accepted_by(acceptance))
}

impl Acceptance {
    /// The `shop.toml` line that records it.
    #[must_use]
    pub fn toml_line(&self) -> String {
        format!(
            "charter = {{ version = {}, accepted = {}, by = {} }}",
            basic_string(&self.version),
            self.accepted,
            basic_string(&self.by)
        )
    }

    /// `shop_toml` (a `shop.toml`'s text) recording this acceptance instead of any other:
    /// the `charter = …` line replaced, else one added after `charter_signed`, else before
    /// the first table (`[address]`). Every other line is kept as written.
    #[must_use]
    pub fn write_into(&self, shop_toml: &str) -> String {
        let line = self.toml_line();
        let lines: Vec<&str> = shop_toml.lines().collect();
        let key = |l: &&str, name: &str| l.split_once('=').is_some_and(|(k, _)| k.trim() == name);
        let mut out: Vec<&str> = Vec::with_capacity(lines.len() + 1);
        if lines.iter().any(|l| key(l, "charter")) {
            out.extend(
                lines
                    .iter()
                    .map(|l| if key(l, "charter") { line.as_str() } else { l }),
            );
        } else {
            let at = lines
                .iter()
                .position(|l| key(l, "charter_signed"))
                .map(|i| i + 1)
                .or_else(|| lines.iter().position(|l| l.trim_start().starts_with('[')))
                .unwrap_or(lines.len());
            out.extend(&lines[..at]);
            out.push(&line);
            out.extend(&lines[at..]);
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }
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

    #[test]
    fn an_acceptance_is_written_into_shop_toml() {
        let acceptance = Acceptance {
            version: "2026-11".into(),
            accepted: date(2026, 11, 29),
            by: "anne \"la boulangère\"@exemple.fr".into(),
        };
        let line = r#"charter = { version = "2026-11", accepted = 2026-11-29, by = "anne \"la boulangère\"@exemple.fr" }"#;
        for (before, after) in [
            (
                "name = \"A\"\ncharter_signed = 2024-01-02\n\n[address]\nstreet = \"x\"\n",
                format!(
                    "name = \"A\"\ncharter_signed = 2024-01-02\n{line}\n\n[address]\nstreet = \"x\"\n"
                ),
            ),
            (
                "name = \"A\"\ncharter = { version = \"1\", accepted = 2025-01-01, by = \"b\" }\ndelivery = []\n",
                format!("name = \"A\"\n{line}\ndelivery = []\n"),
            ),
            (
                "name = \"A\"\n\n[address]\n",
                format!("name = \"A\"\n\n{line}\n[address]\n"),
            ),
            ("name = \"A\"", format!("name = \"A\"\n{line}\n")),
        ] {
            let written = acceptance.write_into(before);
            assert_eq!(written, after, "{before}");
            let value: toml::Table = toml::from_str(&written).expect("still TOML");
            assert_eq!(
                value["charter"]["by"].as_str(),
                Some(acceptance.by.as_str())
            );
        }
    }
}
