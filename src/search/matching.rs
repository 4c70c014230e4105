//! Text matching: which products a query's words find, and how well.
//!
//! Each query word becomes the best of several ways to match it, each with a fixed score,
//! so the order is the one shoppers expect rather than BM25's: the exact word, then its
//! stem (plural, feminine), then a prefix (the last word, as you type), then one typo,
//! then two — each in the title above the shop/aisle/brand/tags above the description.
//! A stem is almost the word (a plural), so a stemmed match in the title still beats an
//! exact one in the tags; prefixes and typos never beat an exact word of a lighter field.
//! Words are all required; when that finds nothing the best partial matches are returned.
//!
//! Queries are built from our analyser's words, never parsed: shopper text such as
//! `l'écharpe`, `"pain` or `-` is no syntax error here.

use super::QueryWord;
use comptoir_indexer::Catalogue;
use comptoir_indexer::search::tantivy::collector::{Collector, SegmentCollector};
use comptoir_indexer::search::tantivy::columnar::Column;
use comptoir_indexer::search::tantivy::query::{
    BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use comptoir_indexer::search::tantivy::schema::IndexRecordOption;
use comptoir_indexer::search::tantivy::{
    DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term,
};
use comptoir_indexer::search::{self as index, Fields};
use std::collections::HashMap;
use std::sync::Arc;

/// Field weights: title, extra (shop, aisles, brand, tags…), description.
const FIELD_WEIGHTS: [f32; 3] = [3.0, 2.0, 1.0];
/// Match kinds, best first, with their scores before the field weight.
const EXACT: f32 = 100.0;
const STEMMED: f32 = 90.0;
const PREFIX: f32 = 45.0;
const ONE_TYPO: f32 = 30.0;
const TWO_TYPOS: f32 = 20.0;
/// Shortest last word completed as a prefix (a 1-letter prefix matches everything).
const MIN_PREFIX_CHARS: usize = 2;

/// The query for one word: the best of its ways to match.
fn word_query(fields: &Fields, word: &QueryWord, last: bool) -> Box<dyn Query> {
    let mut ways: Vec<Box<dyn Query>> = Vec::new();
    for ((stemmed, exact), weight) in fields.texts().into_iter().zip(FIELD_WEIGHTS) {
        let exact_term = Term::from_field_text(exact, &word.folded);
        ways.push(scored(term(exact_term.clone()), EXACT * weight));
        ways.push(scored(
            term(Term::from_field_text(stemmed, &word.stem)),
            STEMMED * weight,
        ));
        if last && word.folded.chars().count() >= MIN_PREFIX_CHARS {
            ways.push(scored(
                Box::new(FuzzyTermQuery::new_prefix(exact_term.clone(), 0, true)),
                PREFIX * weight,
            ));
        }
        if word.typos >= 1 {
            ways.push(scored(
                Box::new(FuzzyTermQuery::new(exact_term.clone(), 1, true)),
                ONE_TYPO * weight,
            ));
        }
        if word.typos >= 2 {
            ways.push(scored(
                Box::new(FuzzyTermQuery::new(exact_term, 2, true)),
                TWO_TYPOS * weight,
            ));
        }
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(ways, 0.05))
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn scored(query: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, score))
}

/// The whole query: every word required (`all`), or any of them.
#[must_use]
pub fn query(fields: &Fields, words: &[QueryWord], all: bool) -> BooleanQuery {
    let occur = if all { Occur::Must } else { Occur::Should };
    let last = words.len().saturating_sub(1);
    BooleanQuery::new(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| (occur, word_query(fields, w, i == last && w.prefix)))
            .collect(),
    )
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
pub fn ords(
    searcher: &Searcher,
    catalogue: &Catalogue,
) -> comptoir_indexer::search::tantivy::Result<Ords> {
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

/// Collects every matching product as (catalogue index, score).
pub struct Everything<'a>(pub &'a Ords);

/// [`Everything`] in one segment.
pub struct SegmentHits {
    ords: Arc<[u32]>,
    hits: Vec<(usize, Score)>,
}

impl Collector for Everything<'_> {
    type Fruit = Vec<(usize, Score)>;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> comptoir_indexer::search::tantivy::Result<SegmentHits> {
        let ords = self.0.get(segment as usize).cloned().ok_or_else(|| {
            comptoir_indexer::search::tantivy::TantivyError::InternalError(format!(
                "segment {segment} was not mapped to the catalogue"
            ))
        })?;
        Ok(SegmentHits {
            ords,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(usize, Score)>>,
    ) -> comptoir_indexer::search::tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<(usize, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(&ord) = self.ords.get(doc as usize)
            && ord != NO_PRODUCT
        {
            self.hits.push((ord as usize, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}
