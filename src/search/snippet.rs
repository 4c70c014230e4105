//! Snippets: the part of a text around the words a query matched, those words marked.
//!
//! A text word matches a query word the way the index does: same folded word, same stem,
//! the query's last word as a prefix, or within the query word's typo budget. The result is
//! a list of pieces; pages draw them with maud, which escapes the text.

use super::QueryWord;
use comptoir_indexer::search::analysis::{self, distance};

/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 60;

/// A piece of text, marked when it is a matched word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    /// The text, unescaped.
    pub text: String,
    /// Whether it matched a query word.
    pub matched: bool,
}

/// Whether a word of a text matches one of the query words.
fn matches(word: &analysis::Word, query: &[QueryWord]) -> bool {
    let last = query.len().saturating_sub(1);
    query.iter().enumerate().any(|(i, q)| {
        word.folded == q.folded
            || (q.prefix && i == last && q.folded.len() >= 2 && word.folded.starts_with(&q.folded))
            || (q.typos > 0 && distance(&word.folded, &q.folded, q.typos.into()) <= q.typos.into())
            || (shares_start(&word.folded, &q.stem) && word.stem() == q.stem)
    })
}

/// Whether a word may have `stem` as its stem: stemming is the costly test, and a French
/// stem keeps its word's first letters (`chevaux` → `cheval`).
fn shares_start(folded: &str, stem: &str) -> bool {
    let n = stem.len().min(3);
    folded.as_bytes().get(..n) == stem.as_bytes().get(..n)
}

/// The whole of `text`, matched words marked.
#[must_use]
pub fn highlight(text: &str, query: &[QueryWord]) -> Vec<Piece> {
    pieces(text, query, 0, text.len())
}

/// About `max_chars` of `text` around its first match (its start when nothing matches),
/// cut at words, with `…` where it was cut.
#[must_use]
pub fn snippet(text: &str, query: &[QueryWord], max_chars: usize) -> Vec<Piece> {
    let words = analysis::words(text);
    let matched: Vec<bool> = words.iter().map(|w| matches(w, query)).collect();
    let first = words
        .iter()
        .zip(&matched)
        .find(|(_, m)| **m)
        .map_or(0, |(w, _)| w.from);
    let start = if first == 0 {
        0
    } else {
        word_start_before(text, first, LEAD_CHARS)
    };
    let end = word_end_after(text, start, max_chars);
    let inside = words
        .iter()
        .zip(&matched)
        .filter(|(w, _)| w.from >= start && w.to <= end)
        .map(|(w, m)| (w.from, w.to, *m));
    let mut out = cut(text, inside, start, end);
    if start > 0 {
        out.insert(0, plain("…"));
    }
    if end < text.len() {
        out.push(plain("…"));
    }
    out
}

fn plain(text: &str) -> Piece {
    Piece {
        text: text.to_owned(),
        matched: false,
    }
}

/// `text[from..to]` cut into pieces at matched words.
fn pieces(text: &str, query: &[QueryWord], from: usize, to: usize) -> Vec<Piece> {
    let words = analysis::words(&text[from..to]);
    let spans = words
        .iter()
        .map(|w| (from + w.from, from + w.to, matches(w, query)));
    cut(text, spans, from, to)
}

/// `text[from..to]` cut at the spans `(start, end, matched)`, in order.
fn cut(
    text: &str,
    spans: impl Iterator<Item = (usize, usize, bool)>,
    from: usize,
    to: usize,
) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = from;
    for (start, end, matched) in spans.filter(|s| s.2) {
        if start > at {
            out.push(plain(&text[at..start]));
        }
        out.push(Piece {
            text: text[start..end].to_owned(),
            matched,
        });
        at = end;
    }
    if at < to {
        out.push(plain(&text[at..to]));
    }
    out
}

/// The start of a word about `lead` characters before `at`.
fn word_start_before(text: &str, at: usize, lead: usize) -> usize {
    let before = &text[..at];
    let back = before.char_indices().rev().nth(lead).map_or(0, |(i, _)| i);
    if back == 0 {
        return 0;
    }
    before[back..]
        .find(char::is_whitespace)
        .map_or(at, |space| back + space + 1)
}

/// The end of the last whole word within `max_chars` of `start`.
fn word_end_after(text: &str, start: usize, max_chars: usize) -> usize {
    let rest = &text[start..];
    let Some((limit, _)) = rest.char_indices().nth(max_chars) else {
        return text.len();
    };
    rest[..limit]
        .rfind(char::is_whitespace)
        .map_or(start + limit, |space| start + space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Vec<QueryWord> {
        QueryWord::parse(text)
    }

    fn marked(pieces: &[Piece]) -> Vec<&str> {
        pieces
            .iter()
            .filter(|p| p.matched)
            .map(|p| p.text.as_str())
            .collect()
    }

    #[test]
    fn marks_exact_stemmed_typo_and_prefix_words() {
        let text = "Écharpes en laine, tricotées à Bourgogne ; chocolat offert.";
        assert_eq!(marked(&highlight(text, &query("echarpe"))), ["Écharpes"]);
        assert_eq!(marked(&highlight(text, &query("bourgone"))), ["Bourgogne"]);
        assert_eq!(marked(&highlight(text, &query("choco"))), ["chocolat"]);
        assert_eq!(marked(&highlight(text, &query("laines"))), ["laine"]);
    }

    #[test]
    fn snippet_starts_near_the_match_and_keeps_the_text() {
        let text = format!("{} Le comté affiné dix-huit mois.", "Avant. ".repeat(40));
        let pieces = snippet(&text, &query("comte"), 80);
        assert_eq!(pieces.first().map(|p| p.text.as_str()), Some("…"));
        assert_eq!(marked(&pieces), ["comté"]);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.chars().count() <= 84, "{joined}");
    }
}
