//! What a merchant types in one field, read: amounts in euros (`12,50 €`), dates (a date
//! field's `2026-11-30` or a typed `30/11/2026`), counts, GTINs and one-line text. A bad
//! value leaves its French message under the field's name.

use super::form::Errors;
use comptoir_indexer::Money;
use jiff::civil::Date;

/// `12,50`: how a French merchant writes a price.
#[must_use]
pub fn french_amount(amount: Money) -> String {
    amount.to_decimal().replace('.', ",")
}

/// Text on one line, spaces collapsed (single-line fields never hold a line break).
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn amount(text: &str, field: &str, errors: &mut Errors) -> Option<Money> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let parsed = Money::parse(&cleaned).ok().filter(|m| m.cents() > 0);
    if parsed.is_none() {
        let message = if cleaned.is_empty() {
            "Indiquez un prix en euros, par exemple 12,50."
        } else {
            "Ce prix n’est pas un montant en euros : écrivez par exemple 12,50."
        };
        errors.insert(field.into(), message.into());
    }
    parsed
}

/// A date as a date field sends it (`2026-11-30`) or as a French merchant types it where
/// browsers show a plain text field (`30/11/2026`).
pub fn date(text: &str, field: &str, errors: &mut Errors) -> Option<Date> {
    let text = text.trim();
    let french = || {
        let mut parts = text.split('/').map(|p| p.trim().parse::<i16>().ok());
        let (day, month, year) = (parts.next()??, parts.next()??, parts.next()??);
        let day = i8::try_from(day).ok()?;
        let month = i8::try_from(month).ok()?;
        Date::new(year, month, day).ok()
    };
    let parsed = text.parse::<Date>().ok().or_else(french);
    if parsed.is_none() {
        errors.insert(
            field.into(),
            "Indiquez une date, par exemple 30/11/2026.".into(),
        );
    }
    parsed
}

pub fn count(text: &str, field: &str, message: &str, errors: &mut Errors) -> u32 {
    match text.trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errors.insert(field.into(), message.into());
            0
        }
    }
}

pub fn gtin(text: &str, field: &str, errors: &mut Errors) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return None;
    }
    if !comptoir_indexer::parse::gtin_is_valid(&digits) {
        errors.insert(
            field.into(),
            "Ce code-barres (GTIN) n’est pas valide : recopiez les 8, 12, 13 ou 14 chiffres sous le code-barres.".into(),
        );
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_date_fields_send_them_or_as_the_french_write_them() {
        let mut errors = Errors::new();
        let want = Some(Date::constant(2026, 11, 30));
        assert_eq!(date("2026-11-30", "d", &mut errors), want);
        assert_eq!(date(" 30/11/2026 ", "d", &mut errors), want);
        assert!(errors.is_empty());
        assert_eq!(date("31/02/2026", "d", &mut errors), None);
        assert!(errors.contains_key("d"));
    }

    #[test]
    fn amounts_are_read_as_french_merchants_write_them() {
        let mut errors = Errors::new();
        for text in ["12,50", "12.5", " 12,50 € ", "12,50€"] {
            assert_eq!(
                amount(text, "p", &mut errors),
                Some(Money::from_cents(1_250)),
                "{text}"
            );
        }
        assert!(errors.is_empty());
        for text in ["", "0", "douze", "12,505"] {
            assert_eq!(amount(text, text, &mut errors), None, "{text}");
            assert!(errors.contains_key(text), "{text}");
        }
        assert_eq!(french_amount(Money::from_cents(1_250)), "12,50");
    }
}
