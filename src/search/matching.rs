//! Text matching: which products a query's words find, and how well.
//!
//! Each query word is matched in several ways, each with a fixed score, so the order is
//! the one shoppers expect rather than BM25's: the exact word, then its stem (plural,
//! feminine), then a prefix (the last word, as you type), then one typo, then two — each
//! in the title above the shop/aisle/brand/tags above the description. A stem is almost
//! the word (a plural), so a stemmed match in the title still beats an exact one in the
//! tags; prefixes and typos never beat an exact word of a lighter field. A word's score is
//! its best way plus a twentieth of the others (a word found in the title *and* the
//! description beats one found in the title alone). Words are all required; when that
//! finds nothing the best partial matches are returned.
//!
//! Queries are built from our analyser's words, never parsed: shopper text such as
//! `l'écharpe`, `"pain` or `-` is no syntax error here.
//!
//! The matching reads Tantivy's term dictionaries and posting lists directly. Each word's
//! terms are looked up once per field — the exact word, the stem, the prefix's
//! completions, the words within its typo budget (one Levenshtein automaton per word,
//! shared by the fields) — and every matching document gets one bit per way it matched.
//! A word's score is then a lookup of its bits, and the words are intersected over plain
//! arrays: no scorer tree, no heap of posting cursors.

use super::QueryWord;
use comptoir_indexer::Catalogue;
use comptoir_indexer::search::tantivy::columnar::Column;
use comptoir_indexer::search::tantivy::postings::TermInfo;
use comptoir_indexer::search::tantivy::query::{DfaWrapper, FuzzyTermQuery};
use comptoir_indexer::search::tantivy::schema::IndexRecordOption;
use comptoir_indexer::search::tantivy::{
    DocId, InvertedIndexReader, Score, Searcher, SegmentReader, Term,
};
use comptoir_indexer::search::{self as index, Fields};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

type Result<T> = comptoir_indexer::search::tantivy::Result<T>;

/// Field weights: title, extra (shop, aisles, brand, tags…), description.
const FIELD_WEIGHTS: [f32; FIELDS] = [3.0, 2.0, 1.0];
const FIELDS: usize = 3;
/// Match kinds, best first, with their scores before the field weight.
const KIND_SCORES: [f32; 5] = [EXACT, STEMMED, PREFIX, ONE_TYPO, TWO_TYPOS];
const EXACT: f32 = 100.0;
const STEMMED: f32 = 90.0;
const PREFIX: f32 = 45.0;
const ONE_TYPO: f32 = 30.0;
const TWO_TYPOS: f32 = 20.0;
/// Indexes in [`KIND_SCORES`].
const K_EXACT: usize = 0;
const K_STEMMED: usize = 1;
const K_PREFIX: usize = 2;
const K_ONE_TYPO: usize = 3;
const K_TWO_TYPOS: usize = 4;
/// Share of a word's other ways added to its best one.
const TIE_BREAKER: f32 = 0.05;
/// Shortest last word completed as a prefix (a 1-letter prefix matches everything).
const MIN_PREFIX_CHARS: usize = 2;

/// The ways one document matched one word: bit `kind × 3 + field`.
type Ways = u16;

fn way(kind: usize, field: usize) -> Ways {
    1 << (kind * FIELDS + field)
}

/// A word's score for each set of ways.
fn word_score(ways: Ways) -> Score {
    static TABLE: OnceLock<Vec<Score>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..1usize << (KIND_SCORES.len() * FIELDS))
            .map(|bits| {
                let scores = (0..KIND_SCORES.len() * FIELDS)
                    .filter(|bit| bits & (1 << bit) != 0)
                    .map(|bit| KIND_SCORES[bit / FIELDS] * FIELD_WEIGHTS[bit % FIELDS]);
                let (best, sum) = scores.fold((0.0f32, 0.0f32), |(b, s), x| (b.max(x), s + x));
                best + (sum - best) * TIE_BREAKER
            })
            .collect()
    });
    table[usize::from(ways)]
}

/// One query word, ready to be looked up in every segment.
struct Plan<'w> {
    word: &'w QueryWord,
    /// Whether its completions count (the last word, long enough, still being typed).
    prefix: bool,
    /// The words within its typo budget.
    typos: Option<DfaWrapper>,
}

impl<'w> Plan<'w> {
    fn new(fields: &Fields, word: &'w QueryWord, last: bool) -> Result<Self> {
        let typos = if word.typos >= 1 {
            let term = Term::from_field_text(fields.title_exact, &word.folded);
            Some(FuzzyTermQuery::new(term, word.typos, true).automaton()?)
        } else {
            None
        };
        Ok(Self {
            word,
            prefix: last && word.prefix && word.folded.chars().count() >= MIN_PREFIX_CHARS,
            typos,
        })
    }

    /// The folded terms of one field this word matches, each with its ways.
    fn folded_terms(
        &self,
        index: &InvertedIndexReader,
        field: usize,
    ) -> Result<BTreeMap<Vec<u8>, (TermInfo, Ways)>> {
        let folded = self.word.folded.as_bytes();
        let mut terms: BTreeMap<Vec<u8>, (TermInfo, Ways)> = BTreeMap::new();
        let mut add = |key: &[u8], info: &TermInfo, ways: Ways| {
            terms.entry(key.to_vec()).or_insert((info.clone(), 0)).1 |= ways;
        };
        if let Some(info) = index.terms().get(folded)? {
            add(folded, &info, way(K_EXACT, field));
        }
        if self.prefix {
            let mut stream = index.terms().range().ge(folded).into_stream()?;
            while stream.advance() && stream.key().starts_with(folded) {
                add(stream.key(), stream.value(), way(K_PREFIX, field));
            }
        }
        if let Some(automaton) = &self.typos {
            let mut stream = index.terms().search(automaton).into_stream()?;
            while stream.advance() {
                let ways = self.typo_ways(stream.key(), field);
                add(stream.key(), stream.value(), ways);
            }
        }
        Ok(terms)
    }

    /// The typo ways of a term the automaton matched (within the word's budget).
    fn typo_ways(&self, key: &[u8], field: usize) -> Ways {
        let one = way(K_ONE_TYPO, field);
        if self.word.typos < 2 {
            return one;
        }
        let two = way(K_TWO_TYPOS, field);
        let close = std::str::from_utf8(key).is_ok_and(|term| {
            comptoir_indexer::search::analysis::distance(term, &self.word.folded, 1) <= 1
        });
        if close { one | two } else { two }
    }
}

/// Every document of one segment that a word matches, with its ways; reused word after
/// word. While few documents are marked, they are also listed, so that clearing and
/// ordering them is quick; past [`DENSE`] of the segment, a scan of the whole array is
/// cheaper than the list, which stops growing.
struct WordMatches {
    ways: Vec<Ways>,
    touched: Vec<DocId>,
    dense: bool,
}

/// Share of a segment (1 in 16) past which a word's documents are found by a scan.
const DENSE: usize = 16;

impl WordMatches {
    fn new(max_doc: DocId) -> Self {
        Self {
            ways: vec![0; max_doc as usize],
            touched: Vec::new(),
            dense: false,
        }
    }

    /// Marks every document of a posting list.
    fn mark(&mut self, index: &InvertedIndexReader, info: &TermInfo, ways: Ways) -> Result<()> {
        if (self.touched.len() + info.doc_freq as usize) * DENSE >= self.ways.len() {
            self.dense = true;
        }
        let mut postings =
            index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                return Ok(());
            }
            if self.dense {
                for &doc in docs {
                    self.ways[doc as usize] |= ways;
                }
            } else {
                for &doc in docs {
                    let slot = &mut self.ways[doc as usize];
                    if *slot == 0 {
                        self.touched.push(doc);
                    }
                    *slot |= ways;
                }
            }
            postings.advance();
        }
    }

    /// Marks the documents `plan` matches in `segment`.
    fn fill(&mut self, segment: &SegmentReader, fields: &Fields, plan: &Plan) -> Result<()> {
        for (field, (stemmed, exact)) in fields.texts().into_iter().enumerate() {
            let stemmed_index = segment.inverted_index(stemmed)?;
            if let Some(info) = stemmed_index.terms().get(plan.word.stem.as_bytes())? {
                self.mark(&stemmed_index, &info, way(K_STEMMED, field))?;
            }
            let exact_index = segment.inverted_index(exact)?;
            for (info, ways) in plan.folded_terms(&exact_index, field)?.values() {
                self.mark(&exact_index, info, *ways)?;
            }
        }
        Ok(())
    }

    /// The marked documents with this word's score, in increasing order (so that what
    /// follows reads the products' facts in memory order).
    fn scored(&mut self) -> Vec<(DocId, Score)> {
        if !self.dense {
            self.touched.sort_unstable();
            return self
                .touched
                .iter()
                .map(|&doc| (doc, word_score(self.ways[doc as usize])))
                .collect();
        }
        // Half the documents may match, at random: written without a branch to mispredict.
        let mut out = vec![(0, 0.0); self.ways.len()];
        let mut n = 0;
        for (doc, &ways) in (0..).zip(&self.ways) {
            out[n] = (doc, word_score(ways));
            n += usize::from(ways != 0);
        }
        out.truncate(n);
        out
    }

    /// Adds this word's score to each of `hits`, dropping those it does not match.
    fn intersect(&self, hits: &mut Vec<(DocId, Score)>) {
        let mut n = 0;
        for i in 0..hits.len() {
            let (doc, score) = hits[i];
            let ways = self.ways[doc as usize];
            hits[n] = (doc, score + word_score(ways));
            n += usize::from(ways != 0);
        }
        hits.truncate(n);
    }

    /// Adds this word's score to every document it matches.
    fn add_to(&self, scores: &mut [Score]) {
        if self.dense {
            for (score, &ways) in scores.iter_mut().zip(&self.ways) {
                *score += word_score(ways);
            }
        } else {
            for &doc in &self.touched {
                scores[doc as usize] += word_score(self.ways[doc as usize]);
            }
        }
    }

    fn clear(&mut self) {
        if self.dense {
            self.ways.fill(0);
        } else {
            for &doc in &self.touched {
                self.ways[doc as usize] = 0;
            }
        }
        self.touched.clear();
        self.dense = false;
    }
}

/// The documents of one segment matching every word (`all`) or any, with their scores.
fn segment_matches(
    segment: &SegmentReader,
    fields: &Fields,
    plans: &[Plan],
    all: bool,
) -> Result<Vec<(DocId, Score)>> {
    let mut word = WordMatches::new(segment.max_doc());
    let mut hits: Vec<(DocId, Score)> = Vec::new();
    if all {
        for (i, plan) in plans.iter().enumerate() {
            word.fill(segment, fields, plan)?;
            if i == 0 {
                hits = word.scored();
            } else {
                word.intersect(&mut hits);
            }
            word.clear();
            if hits.is_empty() {
                break;
            }
        }
    } else {
        let mut scores: Vec<Score> = vec![0.0; segment.max_doc() as usize];
        for plan in plans {
            word.fill(segment, fields, plan)?;
            word.add_to(&mut scores);
            word.clear();
        }
        hits = (0..)
            .zip(scores)
            .filter(|(_, score)| *score > 0.0)
            .collect();
    }
    if let Some(alive) = segment.alive_bitset() {
        hits.retain(|(doc, _)| alive.is_alive(*doc));
    }
    Ok(hits)
}

/// The products matching every word of `words` (`all`) or any of them, as (catalogue
/// index, score).
///
/// # Errors
///
/// When the index cannot be read.
pub fn find(
    searcher: &Searcher,
    ords: &Ords,
    fields: &Fields,
    words: &[QueryWord],
    all: bool,
) -> Result<Vec<(usize, Score)>> {
    let last = words.len().saturating_sub(1);
    let plans = words
        .iter()
        .enumerate()
        .map(|(i, w)| Plan::new(fields, w, i == last))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (segment, ords) in searcher.segment_readers().iter().zip(ords) {
        out.extend(
            segment_matches(segment, fields, &plans, all)?
                .into_iter()
                .filter_map(|(doc, score)| {
                    let ord = *ords.get(doc as usize)?;
                    (ord != NO_PRODUCT).then_some((ord as usize, score))
                }),
        );
    }
    Ok(out)
}

/// For each segment of a searcher, each document's index in the catalogue
/// ([`NO_PRODUCT`] for a document whose product is not in it).
pub type Ords = Vec<Arc<[u32]>>;

/// The catalogue index of a document whose product the catalogue does not hold.
const NO_PRODUCT: u32 = u32::MAX;

/// Maps every document of `searcher` to its product in `catalogue`, by the product key.
///
/// # Errors
///
/// When a segment has no key column (an index from an older version: rebuild).
pub fn ords(searcher: &Searcher, catalogue: &Catalogue) -> Result<Ords> {
    let by_key: HashMap<u64, u32> = catalogue
        .products
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((index::product_key(&p.id), u32::try_from(i).ok()?)))
        .collect();
    searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            let keys: Column<u64> = segment.fast_fields().u64(index::KEY_FIELD)?;
            Ok((0..segment.max_doc())
                .map(|doc| {
                    keys.first(doc)
                        .and_then(|k| by_key.get(&k).copied())
                        .unwrap_or(NO_PRODUCT)
                })
                .collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_scores_its_best_way_plus_a_twentieth_of_the_others() {
        let title_exact = way(K_EXACT, 0);
        let description_exact = way(K_EXACT, 2);
        assert!((word_score(title_exact) - 300.0).abs() < 1e-3);
        assert!((word_score(title_exact | description_exact) - 305.0).abs() < 1e-3);
        // A plural in the title beats the exact word in the tags.
        assert!(word_score(way(K_STEMMED, 0)) > word_score(way(K_EXACT, 1)));
        // A typo never beats an exact word of a lighter field.
        assert!(word_score(way(K_ONE_TYPO, 0)) < word_score(way(K_EXACT, 2)));
        assert!(word_score(way(K_TWO_TYPOS, 0)) < word_score(way(K_ONE_TYPO, 0)));
        assert_eq!(word_score(0), 0.0);
    }
}
