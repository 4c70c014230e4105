//! Reading the values exports write: prices (dot or French comma), decimals, stock counts,
//! yes/no flags, tag lists, barcodes, and option columns turned into colour and size.

use comptoir_indexer::Money;

/// Grams in a kilogram (PrestaShop weights).
pub const GRAMS_PER_KG: f64 = 1000.0;
/// Grams in an avoirdupois pound (WooCommerce's default weight unit), by definition.
pub const GRAMS_PER_LB: f64 = 453.592_37;

/// A price in euros: `12`, `12.5`, `12,50`, `1 234,50 €`.
///
/// # Errors
///
/// A French reason when the text is not an amount with at most two decimals.
pub fn price(text: &str) -> Result<Money, String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    // Exports often write "689.00" but sometimes "12.500": trailing zeros carry no cents.
    let cleaned = match cleaned.split_once(['.', ',']) {
        Some((whole, fraction))
            if fraction.len() > 2 && fraction[2..].bytes().all(|b| b == b'0') =>
        {
            format!("{whole}.{}", &fraction[..2])
        }
        _ => cleaned,
    };
    Money::parse(&cleaned)
        .map_err(|_| format!("prix « {text} » illisible : écrivez un montant comme 12.50"))
}

/// A decimal number written with a dot or a French comma.
#[must_use]
pub fn decimal(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = cleaned.replace(',', ".");
    let cleaned = if cleaned.starts_with('.') {
        format!("0{cleaned}")
    } else {
        cleaned
    };
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

/// A weight in grams from a number of `unit_grams` units; empty is 0.
///
/// # Errors
///
/// A French reason when the text is not a number.
pub fn weight(text: &str, unit_grams: f64) -> Result<u32, String> {
    if text.is_empty() {
        return Ok(0);
    }
    let grams = decimal(text)
        .map(|n| (n * unit_grams).round())
        .filter(|g| *g <= f64::from(u32::MAX))
        .ok_or_else(|| format!("poids « {text} » illisible : il est ignoré"))?;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "rounded, checked non-negative and within u32"
    )]
    Ok(grams as u32)
}

/// A stock count; empty is 0, negative (oversold) is 0.
///
/// # Errors
///
/// A French reason when the text is not a whole number.
pub fn stock(text: &str) -> Result<u32, String> {
    if text.is_empty() {
        return Ok(0);
    }
    let whole = text.strip_suffix(".0").unwrap_or(text);
    match whole.parse::<i64>() {
        Ok(n) => Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX)),
        Err(_) => Err(format!("stock « {text} » illisible : mis à 0")),
    }
}

/// A yes/no flag as exports write it (`TRUE`, `true`, `1`, `yes`, `active`).
#[must_use]
pub fn flag(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "y" | "oui" | "active"
    )
}

/// Comma-separated tags, trimmed, without duplicates.
#[must_use]
pub fn tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// A GTIN / EAN / UPC barcode; empty is none.
///
/// # Errors
///
/// A French reason when the digits or the check digit are wrong.
pub fn gtin(text: &str) -> Result<Option<String>, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if comptoir_indexer::parse::gtin_is_valid(&digits) {
        Ok(Some(digits))
    } else {
        Err(format!(
            "code-barres « {text} » invalide (8, 12, 13 ou 14 chiffres, clé de contrôle vérifiée) : il est ignoré"
        ))
    }
}

/// Option names meaning a colour.
const COLOR_NAMES: [&str; 4] = ["color", "colour", "couleur", "coloris"];
/// Option names meaning a size.
const SIZE_NAMES: [&str; 4] = ["size", "taille", "pointure", "dimensions"];

/// Colour and size from a product's option (name, value) pairs. Options that are neither
/// (a "Disk space", a "Logo") go in the size as "Name value", joined with " / ".
#[must_use]
pub fn color_and_size(options: &[(&str, &str)]) -> (Option<String>, Option<String>) {
    let (mut color, mut sizes, mut others) = (None, Vec::new(), Vec::new());
    for &(name, value) in options.iter().filter(|(_, v)| !v.is_empty()) {
        let key = name.trim().to_lowercase();
        if COLOR_NAMES.contains(&key.as_str()) && color.is_none() {
            color = Some(value.to_owned());
        } else if SIZE_NAMES.contains(&key.as_str()) {
            sizes.push(value.to_owned());
        } else {
            others.push(format!("{} {value}", name.trim()));
        }
    }
    sizes.extend(others);
    let size = (!sizes.is_empty()).then(|| sizes.join(" / "));
    (color, size)
}

/// A SKU for a variant the source gave none: the product's key and its option values.
#[must_use]
pub fn variant_sku(handle: &str, color: Option<&str>, size: Option<&str>) -> String {
    let parts = [Some(handle), color, size];
    comptoir_indexer::slug::slugify(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_cents() {
        let cases = [
            ("50", Some(5000)),
            ("9.99", Some(999)),
            ("12,5", Some(1250)),
            ("689.00", Some(68900)),
            ("1 234,50 €", Some(123_450)),
            ("12.500", Some(1250)),
            ("12.345", None),
            ("abc", None),
            ("", None),
        ];
        for (text, cents) in cases {
            assert_eq!(price(text).ok().map(Money::cents), cents, "{text:?}");
        }
    }

    #[test]
    fn weights_stock_flags() {
        assert_eq!(weight("0.068357", GRAMS_PER_KG), Ok(68));
        assert_eq!(weight("0,5", GRAMS_PER_KG), Ok(500));
        assert_eq!(weight(".2", GRAMS_PER_LB), Ok(91));
        assert_eq!(weight("", GRAMS_PER_LB), Ok(0));
        assert!(weight("lourd", 1.0).is_err());
        assert_eq!(stock("-3"), Ok(0));
        assert_eq!(stock("12"), Ok(12));
        assert!(stock("beaucoup").is_err());
        assert!(flag("TRUE") && flag("1") && flag("active") && !flag("draft") && !flag(""));
    }

    #[test]
    fn tags_gtins_options() {
        assert_eq!(tags("Pot, Plants, pot,"), ["Pot", "Plants"]);
        assert_eq!(gtin("4006381333931"), Ok(Some("4006381333931".into())));
        assert_eq!(gtin(""), Ok(None));
        assert!(gtin("1234567890123").is_err());
        let (c, s) = color_and_size(&[("Color", "Blue"), ("Disk space", "16GB")]);
        assert_eq!(
            (c.as_deref(), s.as_deref()),
            (Some("Blue"), Some("Disk space 16GB"))
        );
        let (c, s) = color_and_size(&[("Size", "S"), ("Title", "")]);
        assert_eq!((c, s.as_deref()), (None, Some("S")));
        assert_eq!(
            variant_sku("example-shirt", Some("Green"), Some("S")),
            "example-shirt-green-s"
        );
    }
}
