//! Shared field checks: amounts, dates, slugs, GTINs, phone numbers, TOML errors.

use crate::money::Money;
use crate::problem::{LineIndex, Problem};
use crate::slug;
use jiff::civil::Date;
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// One file being parsed: where problems are reported and how to turn spans into lines.
pub struct FileCtx<'a> {
    path: &'a Path,
    lines: LineIndex,
    /// Every problem found so far in this file.
    pub problems: Vec<Problem>,
}

impl<'a> FileCtx<'a> {
    /// A context for `text` (starting at line `offset + 1`) of the file at `path`.
    #[must_use]
    pub fn new(path: &'a Path, text: &str, offset: usize) -> Self {
        Self {
            path,
            lines: LineIndex::new(text, offset),
            problems: Vec::new(),
        }
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.path
    }

    /// The line of a span.
    #[must_use]
    pub fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    /// Records a problem at a span (or the top of the file).
    pub fn report(
        &mut self,
        span: Option<&Range<usize>>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let line = span.map_or_else(|| self.lines.line(0), |s| self.line(s));
        self.problems
            .push(Problem::new(self.path, Some(line), message, hint));
    }

    /// Deserialises `text` as `T`, recording a TOML or schema error with its line.
    pub fn toml<T: for<'de> Deserialize<'de>>(&mut self, text: &str, hint: &str) -> Option<T> {
        match toml::from_str::<T>(text) {
            Ok(value) => Some(value),
            Err(error) => {
                let message = error.message().trim_end_matches('\n').replace('\n', " ");
                let hint = toml_hint(&message, hint);
                self.report(error.span().as_ref(), message, hint);
                None
            }
        }
    }

    /// Checks an amount; records a problem and returns `None` when it is not exact.
    pub fn money(&mut self, raw: &Spanned<RawAmount>, field: &str) -> Option<Money> {
        let hint = format!("write an amount in euros as a string, e.g. {field} = \"12.50\"");
        let parsed = match raw.get_ref() {
            RawAmount::Text(text) => Money::parse(text).map_err(|e| e.to_string()),
            RawAmount::Whole(euros) if (0..=1_000_000).contains(euros) => {
                Ok(Money::from_cents(euros * 100))
            }
            RawAmount::Whole(euros) => Err(format!("bad amount {euros}")),
            RawAmount::Float(f) => Err(format!("{field} = {f} is a float, which is not exact")),
        };
        match parsed {
            Ok(money) if money.cents() > 0 => Some(money),
            Ok(_) => {
                self.report(
                    Some(&raw.span()),
                    format!("{field} must be above zero"),
                    hint,
                );
                None
            }
            Err(message) => {
                self.report(Some(&raw.span()), message, hint);
                None
            }
        }
    }

    /// Checks a TOML date.
    pub fn date(&mut self, raw: &Spanned<toml::value::Datetime>, field: &str) -> Option<Date> {
        let value = raw.get_ref();
        let date = value
            .date
            .filter(|_| value.time.is_none() && value.offset.is_none());
        let parsed = date.and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok());
        if parsed.is_none() {
            let hint = format!("write a date without quotes, e.g. {field} = 2026-11-01");
            self.report(Some(&raw.span()), format!("{field} is not a date"), hint);
        }
        parsed
    }

    /// Checks a slug.
    pub fn slug(&mut self, raw: &Spanned<String>, field: &str) -> Option<String> {
        if slug::is_valid(raw.get_ref()) {
            return Some(raw.get_ref().clone());
        }
        let hint = format!(
            "use lowercase letters, digits and hyphens, e.g. {field} = \"{}\"",
            slug::slugify(raw.get_ref())
        );
        self.report(
            Some(&raw.span()),
            format!("bad {field} {:?}", raw.get_ref()),
            hint,
        );
        None
    }

    /// Checks a GTIN's length and check digit.
    pub fn gtin(&mut self, raw: &Spanned<String>) -> Option<String> {
        let text = raw.get_ref().trim();
        if gtin_is_valid(text) {
            return Some(text.to_owned());
        }
        let hint =
            "write the 8, 12, 13 or 14 digits printed under the barcode, or remove the field";
        self.report(
            Some(&raw.span()),
            format!("bad GTIN {text:?} (wrong length or check digit)"),
            hint,
        );
        None
    }

    /// Checks a non-empty text field.
    pub fn text(&mut self, raw: &Spanned<String>, field: &str) -> Option<String> {
        let text = raw.get_ref().trim();
        if text.is_empty() {
            self.report(
                Some(&raw.span()),
                format!("{field} is empty"),
                format!("write the {field}"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    /// Checks a French phone number and returns it in international form.
    pub fn phone(&mut self, raw: &Spanned<String>) -> Option<String> {
        let phone = french_phone(raw.get_ref());
        if phone.is_none() {
            let hint =
                "write a French number, e.g. phone = \"01 46 61 22 33\" or \"+33 1 46 61 22 33\"";
            self.report(
                Some(&raw.span()),
                format!("bad phone number {:?}", raw.get_ref()),
                hint,
            );
        }
        phone
    }
}

/// An amount as written in a file: a string, a whole number, or (refused) a float.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawAmount {
    /// `"12.50"`.
    Text(String),
    /// `12`.
    Whole(i64),
    /// `12.5`: refused.
    Float(f64),
}

fn toml_hint(message: &str, hint: &str) -> String {
    if message.starts_with("unknown field") {
        "remove it or fix its spelling".to_owned()
    } else if message.starts_with("missing field") {
        "add it; see docs/catalogue.md".to_owned()
    } else {
        hint.to_owned()
    }
}

/// Whether `text` is a GTIN-8, -12, -13 or -14 with a correct check digit (GS1 mod 10).
#[must_use]
pub fn gtin_is_valid(text: &str) -> bool {
    if ![8, 12, 13, 14].contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = text.bytes().map(|b| u32::from(b - b'0')).collect();
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// `01 46 61 22 33` or `+33 1 46 61 22 33` → `+33 1 46 61 22 33`.
#[must_use]
pub fn french_phone(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = if text.trim_start().starts_with('+') {
        digits.strip_prefix("33").map(|d| format!("0{d}"))?
    } else {
        digits
    };
    if national.len() != 10 || !national.starts_with('0') || national.starts_with("00") {
        return None;
    }
    let rest = &national[1..];
    let pairs: Vec<&str> = (1..rest.len())
        .step_by(2)
        .map(|i| &rest[i..i + 2])
        .collect();
    Some(format!("+33 {} {}", &rest[..1], pairs.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits() {
        for good in [
            "3017620422003",
            "9782070360024",
            "96385074",
            "036000291452",
            "10036000291459",
        ] {
            assert!(gtin_is_valid(good), "{good}");
        }
        for bad in ["3017620422004", "301762042200", "30176204220a3", ""] {
            assert!(!gtin_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn phones_become_international() {
        assert_eq!(
            french_phone("01 46 61 22 33").as_deref(),
            Some("+33 1 46 61 22 33")
        );
        assert_eq!(french_phone("+33 (0)1 46 61 22 33"), None);
        assert_eq!(
            french_phone("+33 1 46 61 22 33").as_deref(),
            Some("+33 1 46 61 22 33")
        );
        assert_eq!(
            french_phone("06.12.34.56.78").as_deref(),
            Some("+33 6 12 34 56 78")
        );
        assert_eq!(french_phone("12 34"), None);
    }
}
