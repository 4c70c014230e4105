//! French text analysis, shared by the index and the queries so both see the same words.
//!
//! Text is cut into words (letters and digits; an apostrophe inside a word is kept long
//! enough to remove elisions: `l’écharpe` → `écharpe`), lowercased, and stop words from our
//! own list are dropped. That list keeps words that change what a shopper wants (`sans`,
//! `pas`): "pain sans gluten" is not "pain gluten". Each word then has two forms:
//! - **folded**: accents and ligatures folded (`crème` → `creme`, `œufs` → `oeufs`), for
//!   exact, prefix and typo matching;
//! - **stem**: the Snowball French stem of the accented word, folded afterwards (the
//!   stemmer needs the accents): `écharpes` → `echarp`, `chevaux` → `cheval`.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// Words longer than this (in bytes) are not indexed nor searched: no real word is.
pub const MAX_WORD_BYTES: usize = 48;

/// Elided articles and pronouns, written before an apostrophe.
const ELISIONS: [&str; 13] = [
    "l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Our stop words, folded and sorted: articles, pronouns, prepositions and conjunctions
/// that say nothing about a product. Not `sans`, `pas`, `plus`, `moins`…
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle",
    "elles", "en", "est", "et", "il", "ils", "je", "l", "la", "le", "les", "leur", "leurs", "lui",
    "ma", "mes", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pour", "qu", "que",
    "qui", "sa", "se", "ses", "son", "sont", "sur", "ta", "tes", "ton", "un", "une", "vos",
    "votre", "vous", "y",
];

/// One word of a text, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first character in the text.
    pub from: usize,
    /// Byte offset just past it.
    pub to: usize,
    /// Lowercase, accents kept, elision removed.
    pub lower: String,
    /// Accent-folded form.
    pub folded: String,
}

impl Word {
    /// The folded Snowball stem.
    #[must_use]
    pub fn stem(&self) -> String {
        stem(&self.lower)
    }
}

/// The words of `text` that carry meaning, in order.
#[must_use]
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for (from, raw) in raw_words(text) {
        push_parts(&mut out, from, raw);
    }
    out
}

/// Whether a folded word is one of our stop words.
#[must_use]
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

/// Accents and ligatures folded, lowercase: `Œufs fraîches` → `oeufs fraiches`.
#[must_use]
pub fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    deunicode::deunicode(&lower)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The folded French stem of a lowercase word.
#[must_use]
pub fn stem(lower: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    let stemmer = STEMMER.get_or_init(|| Stemmer::create(Algorithm::French));
    fold(&stemmer.stem(lower))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Runs of letters and digits, an apostrophe between two of them included.
fn raw_words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inside = c.is_alphanumeric()
            || (is_apostrophe(c)
                && start.is_some()
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

/// Splits a raw word at its apostrophes, drops elided articles and stop words.
fn push_parts(out: &mut Vec<Word>, from: usize, raw: &str) {
    let mut offset = from;
    let mut rest = raw;
    loop {
        let cut = rest.char_indices().find(|(_, c)| is_apostrophe(*c));
        let (part, next) = match cut {
            Some((i, c)) => (&rest[..i], Some(&rest[i + c.len_utf8()..])),
            None => (rest, None),
        };
        let lower = part.to_lowercase();
        let elided = next.is_some() && ELISIONS.contains(&lower.as_str());
        if !elided && !part.is_empty() && part.len() <= MAX_WORD_BYTES {
            let folded = fold(&lower);
            if !folded.is_empty() && !is_stop_word(&folded) {
                out.push(Word {
                    from: offset,
                    to: offset + part.len(),
                    lower,
                    folded,
                });
            }
        }
        match (cut, next) {
            (Some((i, c)), Some(next)) => {
                offset += i + c.len_utf8();
                rest = next;
            }
            _ => break,
        }
    }
}

/// Damerau–Levenshtein distance (adjacent transpositions cost one), stopping early past
/// `max`: returns `max + 1` when the words are further apart.
#[must_use]
pub fn distance(a: &str, b: &str, max: usize) -> usize {
    // Folded words are ASCII: compared as bytes, without collecting characters.
    if a.is_ascii() && b.is_ascii() {
        return edit_distance(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance(&a, &b, max)
}

/// [`distance`] over letters; three rows of the table, on the stack for words of usual
/// lengths.
fn edit_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    const SHORT: usize = 48;
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let width = b.len() + 1;
    let mut stack = [0usize; 3 * SHORT];
    let mut heap = Vec::new();
    let cells: &mut [usize] = if width <= SHORT {
        &mut stack[..3 * width]
    } else {
        heap.resize(3 * width, 0);
        &mut heap
    };
    for (j, cell) in cells[..width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3 * width, (i + 2) % 3 * width, (i + 1) % 3 * width);
        cells[cur] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (cells[prev + j] + 1)
                .min(cells[cur + j - 1] + 1)
                .min(cells[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(cells[prev2 + j - 2] + 1);
            }
            cells[cur + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return max + 1;
        }
    }
    cells[a.len() % 3 * width + b.len()].min(max + 1)
}

/// Typos allowed in a word, as Meilisearch does: none under 5 letters, 1 from 5, 2 from 9.
#[must_use]
pub fn typos_allowed(folded: &str) -> u8 {
    match folded.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.folded).collect()
    }

    fn stems(text: &str) -> Vec<String> {
        words(text).iter().map(Word::stem).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn french_words_table() {
        let table: &[(&str, &[&str], &[&str])] = &[
            // text, folded words, stems
            ("L’écharpe", &["echarpe"], &["echarp"]),
            ("l'écharpe", &["echarpe"], &["echarp"]),
            (
                "écharpes en laine",
                &["echarpes", "laine"],
                &["echarp", "lain"],
            ),
            (
                "pain sans gluten",
                &["pain", "sans", "gluten"],
                &["pain", "san", "gluten"],
            ),
            ("pas de sucre", &["pas", "sucre"], &["pas", "sucr"]),
            ("Crème fraîche", &["creme", "fraiche"], &["crem", "fraich"]),
            ("creme fraiche", &["creme", "fraiche"], &["crem", "fraich"]),
            ("Œufs", &["oeufs"], &["oeuf"]),
            ("oeufs", &["oeufs"], &["oeuf"]),
            ("chevaux", &["chevaux"], &["cheval"]),
            ("journaux", &["journaux"], &["journal"]),
            ("d’huile d'olive", &["huile", "olive"], &["huil", "oliv"]),
            ("qu'il", &[], &[]),
            ("jusqu’à Noël", &["noel"], &["noel"]),
            (
                "pain au chocolat",
                &["pain", "chocolat"],
                &["pain", "chocolat"],
            ),
            (
                "chaussures enfant 32",
                &["chaussures", "enfant", "32"],
                &["chaussur", "enfant", "32"],
            ),
            ("T-shirt", &["t", "shirt"], &["t", "shirt"]),
            (
                "Bourgogne rouge",
                &["bourgogne", "rouge"],
                &["bourgogn", "roug"],
            ),
            ("  ", &[], &[]),
            (
                "'quoted' -minus AND:x*",
                &["quoted", "minus", "and", "x"],
                &["quoted", "minus", "and", "x"],
            ),
        ];
        for (text, want_folded, want_stems) in table {
            assert_eq!(&folded(text), want_folded, "folded words of {text:?}");
            assert_eq!(&stems(text), want_stems, "stems of {text:?}");
        }
    }

    #[test]
    fn plural_and_singular_share_a_stem() {
        for (a, b) in [
            ("écharpe", "écharpes"),
            ("chaussure", "chaussures"),
            ("bougie", "bougies"),
            ("bocal", "bocaux"),
            ("fromage", "fromages"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Un bon pain d’épices, moelleux";
        let found = words(text);
        let spans: Vec<&str> = found.iter().map(|w| &text[w.from..w.to]).collect();
        assert_eq!(spans, ["bon", "pain", "épices", "moelleux"]);
    }

    #[test]
    fn overlong_words_are_dropped() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert!(words(&format!("pain {long}")).len() == 1);
    }

    #[test]
    fn distances() {
        assert_eq!(distance("bourgone", "bourgogne", 2), 1);
        assert_eq!(distance("chocolta", "chocolat", 2), 1);
        assert_eq!(distance("echarpe", "echarpe", 2), 0);
        assert_eq!(distance("fromage", "frmoge", 2), 2);
        assert_eq!(distance("pain", "vin", 1), 2);
        assert_eq!(distance("", "abc", 5), 3);
        // Accented words (not folded) count letters, not bytes.
        assert_eq!(distance("crème", "creme", 2), 1);
        assert_eq!(distance("œuf", "oeuf", 2), 2);
        let long = "a".repeat(60);
        assert_eq!(distance(&long, &format!("{long}b"), 2), 1);
    }

    #[test]
    fn typo_budget_follows_word_length() {
        assert_eq!(typos_allowed("pain"), 0);
        assert_eq!(typos_allowed("laine"), 1);
        assert_eq!(typos_allowed("bourgone"), 1);
        assert_eq!(typos_allowed("chocolats"), 2);
    }

    /// Snowball's own vocabulary and expected stems (before our accent folding).
    #[test]
    fn stemmer_matches_snowball_vocabulary() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/testdata/snowball-french");
        let (Ok(voc), Ok(expected)) = (
            std::fs::read_to_string(dir.join("voc.txt")),
            std::fs::read_to_string(dir.join("output.txt")),
        ) else {
            eprintln!("skipping: {} not found", dir.display());
            return;
        };
        let stemmer = Stemmer::create(Algorithm::French);
        let mut checked = 0;
        for (word, want) in voc.lines().zip(expected.lines()) {
            assert_eq!(stemmer.stem(word), want, "stem of {word:?}");
            checked += 1;
        }
        assert_eq!(checked, 20_403);
    }
}
