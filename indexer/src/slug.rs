//! Slugs: the lowercase ASCII words of every URL (`pain-au-levain`).

/// Whether `text` is a valid slug: lowercase ASCII letters, digits and single hyphens,
/// neither starting nor ending with a hyphen.
#[must_use]
pub fn is_valid(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 120
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns any French text into a slug: `Crème brûlée à l'orange` → `creme-brulee-a-l-orange`.
#[must_use]
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_accents_ligatures_and_punctuation() {
        let cases = [
            ("Crème brûlée à l'orange", "creme-brulee-a-l-orange"),
            ("Œufs fermiers (x6)", "oeufs-fermiers-x6"),
            ("  Pull marin — bleu  ", "pull-marin-bleu"),
            ("Comté 18 mois", "comte-18-mois"),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug);
            assert!(is_valid(slug));
        }
    }

    #[test]
    fn validity_rejects_uppercase_spaces_and_stray_hyphens() {
        for bad in [
            "",
            "Pain",
            "pain levain",
            "-pain",
            "pain-",
            "pain--levain",
            "pain_levain",
            "pâte",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
