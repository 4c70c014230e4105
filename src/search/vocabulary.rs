//! The words of the catalogue's titles, shops, aisles, brands and tags, with how many
//! products use each: what "Vouliez-vous dire : …" picks its corrections from.

use super::QueryWord;
use comptoir_indexer::search::Fields;
use comptoir_indexer::search::analysis::distance;
use comptoir_indexer::search::tantivy::Searcher;
use std::collections::{HashMap, HashSet};

/// Words shorter than this are never corrected.
const MIN_CORRECTED_CHARS: usize = 3;

/// Folded words → number of products using them, and the stems of those words.
pub struct Vocabulary {
    words: HashMap<String, u64>,
    stems: HashSet<String>,
}

impl Vocabulary {
    /// Reads the folded title and extra terms of every segment.
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    pub fn read(
        searcher: &Searcher,
        fields: &Fields,
    ) -> comptoir_indexer::search::tantivy::Result<Self> {
        let mut words: HashMap<String, u64> = HashMap::new();
        let mut stems = HashSet::new();
        for segment in searcher.segment_readers() {
            for field in [fields.title_exact, fields.extra_exact] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    if let Ok(word) = std::str::from_utf8(stream.key()) {
                        *words.entry(word.to_owned()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
            for field in [fields.title, fields.extra] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    if let Ok(stem) = std::str::from_utf8(stream.key()) {
                        stems.insert(stem.to_owned());
                    }
                }
            }
        }
        Ok(Self { words, stems })
    }

    /// The query with each unknown word replaced by the closest common known word, when
    /// at least one was replaced.
    #[must_use]
    pub fn correct(&self, query: &[QueryWord]) -> Option<String> {
        let mut changed = false;
        let corrected: Vec<&str> = query
            .iter()
            .map(|w| match self.closest(w) {
                Some(better) => {
                    changed = true;
                    better
                }
                None => w.folded.as_str(),
            })
            .collect();
        changed.then(|| corrected.join(" "))
    }

    /// The known word nearest to an unknown `word` (fewest edits, then most used). A word
    /// known by its stem (a plural) is not unknown.
    fn closest(&self, query: &QueryWord) -> Option<&str> {
        let word = query.folded.as_str();
        let chars = word.chars().count();
        if self.words.contains_key(word)
            || self.stems.contains(&query.stem)
            || chars < MIN_CORRECTED_CHARS
            || word.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let max = if chars >= 5 { 2 } else { 1 };
        self.words
            .iter()
            .filter(|(known, _)| known.len().abs_diff(word.len()) <= max)
            .filter_map(|(known, uses)| {
                let d = distance(known, word, max);
                (d <= max).then_some((d, std::cmp::Reverse(*uses), known.as_str()))
            })
            .min()
            .map(|(_, _, known)| known)
    }
}
