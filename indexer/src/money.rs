//! Exact amounts of money in euros, held as integer cents.
//!
//! Catalogue files write prices as strings (`"12.50"`, `"12,50"`) or whole euros (`12`);
//! TOML floats are refused because they are not exact. Formatting follows French usage
//! (`12,50 €`) for pages and the dot notation (`12.50`) for structured data.

use std::fmt;

/// An amount of money in euro cents; never negative in the catalogue.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(i64);

/// Why a written amount is not a price.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not digits with an optional decimal part of one or two digits.
    #[error("bad amount {0:?}")]
    Malformed(String),
    /// Too large to be a shop price.
    #[error("amount {0:?} is too large")]
    TooLarge(String),
}

/// The largest amount a catalogue may hold: one million euros.
const MAX_CENTS: i64 = 100_000_000;

impl Money {
    /// An amount from a number of cents.
    #[must_use]
    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// The amount in cents.
    #[must_use]
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses `"12"`, `"12.5"`, `"12.50"` or `"12,50"` (euros, at most two decimals).
    ///
    /// # Errors
    ///
    /// [`MoneyError`] when the text is not such an amount or exceeds a million euros.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let trimmed = text.trim();
        let malformed = || MoneyError::Malformed(text.to_owned());
        let (whole, fraction) = match trimmed.split_once(['.', ',']) {
            Some((w, f)) => (w, Some(f)),
            None => (trimmed, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f) || f.len() > 2) {
            return Err(malformed());
        }
        if whole.len() > 9 {
            return Err(MoneyError::TooLarge(text.to_owned()));
        }
        let euros: i64 = whole.parse().map_err(|_| malformed())?;
        let cents: i64 = match fraction {
            None => 0,
            Some(f) if f.len() == 1 => f.parse::<i64>().map_err(|_| malformed())? * 10,
            Some(f) => f.parse().map_err(|_| malformed())?,
        };
        let total = euros * 100 + cents;
        if total > MAX_CENTS {
            return Err(MoneyError::TooLarge(text.to_owned()));
        }
        Ok(Self(total))
    }

    /// The amount as schema.org and feeds want it: `12.50`.
    #[must_use]
    pub fn to_decimal(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// The amount as a French reader expects it: `1 234,50 €` (narrow no-break spaces).
    #[must_use]
    pub fn to_french(self) -> String {
        let euros = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        format!("{grouped},{:02}\u{a0}€", self.0 % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_french())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_french_and_english_notations() {
        let cases = [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            ("12,50", 1250),
            ("0.99", 99),
            (" 3.20 ", 320),
            ("1000000", 100_000_000),
        ];
        for (text, cents) in cases {
            assert_eq!(Money::parse(text), Ok(Money::from_cents(cents)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        for text in [
            "",
            "abc",
            "1.2.3",
            "1.234",
            "-1",
            "1e3",
            ".50",
            "12.",
            "€12",
            "1000000.01",
        ] {
            assert!(Money::parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn formats_for_readers_and_for_machines() {
        assert_eq!(Money::from_cents(1250).to_decimal(), "12.50");
        assert_eq!(Money::from_cents(5).to_decimal(), "0.05");
        assert_eq!(Money::from_cents(1250).to_french(), "12,50\u{a0}€");
        assert_eq!(
            Money::from_cents(123_456_78).to_french(),
            "123\u{202f}456,78\u{a0}€"
        );
    }
}
