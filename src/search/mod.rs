//! Product search over the published build's Tantivy index: matching, facets, sorting,
//! pagination, snippets, "did you mean" and autocomplete suggestions.
//!
//! Tantivy finds and scores the products a query's words match ([`matching`]); everything
//! after that — filters, disjunctive facet counts, sorts — runs over the build's
//! catalogue snapshot in memory ([`facets`]), which holds the same products by index.
//! The HTML page and the JSON API ([`page`], [`api`]) draw the same [`Results`].

pub mod api;
pub mod cache;
pub mod facets;
mod matching;
pub mod page;
pub mod params;
pub mod snippet;
pub mod stats;
mod vocabulary;

pub use facets::{Counts, Facts, Filters};
pub use params::{ParamError, SearchParams, Sort};

use comptoir_indexer::Catalogue;
use comptoir_indexer::money::Money;
use comptoir_indexer::search::analysis::{self, typos_allowed};
use comptoir_indexer::search::tantivy::{IndexReader, ReloadPolicy, Score, Searcher};
use comptoir_indexer::search::{self as index, Fields};
use jiff::civil::Date;
use snippet::Piece;
use std::path::Path;
use vocabulary::Vocabulary;

/// Words of a query looked at; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 10;
/// Below this many results, a corrected query is suggested.
const FEW_RESULTS: usize = 3;
/// Snippet length, in characters.
const SNIPPET_CHARS: usize = 160;

/// One word of a query, in the forms the index holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Accent-folded.
    pub folded: String,
    /// Folded stem.
    pub stem: String,
    /// Typos allowed.
    pub typos: u8,
    /// Whether it may be the start of a longer word (the last word, still being typed).
    /// Numbers (sizes, GTINs) take no typos.
    pub prefix: bool,
}

impl QueryWord {
    /// The words of a query; the last is a prefix unless the text ends with a space.
    #[must_use]
    pub fn parse(text: &str) -> Vec<Self> {
        let words = analysis::words(text);
        let typing = text.chars().last().is_some_and(char::is_alphanumeric);
        let count = words.len().min(MAX_QUERY_WORDS);
        words
            .into_iter()
            .take(count)
            .enumerate()
            .map(|(i, w)| Self {
                stem: w.stem(),
                typos: if w.folded.bytes().any(|b| b.is_ascii_digit()) {
                    0
                } else {
                    typos_allowed(&w.folded)
                },
                prefix: typing && i + 1 == count,
                folded: w.folded,
            })
            .collect()
    }
}

/// The search index of the live build, with what the server knows of its products.
pub struct SearchIndex {
    /// One fixed view of the index: a new [`SearchIndex`] is made for each update.
    searcher: Searcher,
    /// For each segment, each document's index in the catalogue.
    ords: matching::Ords,
    fields: Fields,
    facts: Facts,
    vocabulary: Vocabulary,
    /// Each product's place among equal matches (see [`tie_ranks`]).
    rank: Vec<u32>,
    /// Answers to searches already made on this build.
    pub answers: cache::Answers,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index in the catalogue.
    pub ord: usize,
    /// The title, matched words marked.
    pub title: Vec<Piece>,
    /// Part of the description, matched words marked.
    pub snippet: Vec<Piece>,
    /// Today's price (the lowest across variants).
    pub price: Money,
    /// Whether it can be bought now.
    pub in_stock: bool,
}

/// A page of results, with its facets.
#[derive(Debug, Clone)]
pub struct Results {
    /// The query's words.
    pub words: Vec<QueryWord>,
    /// Results across all pages.
    pub total: usize,
    /// This page (from 1).
    pub page: usize,
    /// Pages in all.
    pub pages: usize,
    /// This page's results.
    pub hits: Vec<Hit>,
    /// Whether not every word could be matched (best partial matches shown).
    pub partial: bool,
    /// A corrected query, when this one finds little.
    pub did_you_mean: Option<String>,
    /// Facet counts.
    pub counts: Counts,
}

/// What an autocomplete shows for a few letters.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    /// Best products (catalogue indexes).
    pub products: Vec<usize>,
    /// Aisles whose name matches.
    pub aisles: Vec<usize>,
    /// Shops whose name or trade matches.
    pub shops: Vec<usize>,
}

impl SearchIndex {
    /// Opens the index in `dir`, made from `catalogue`, keeping up to `cache` answers
    /// (0: none).
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    pub fn open(
        dir: &Path,
        catalogue: &Catalogue,
        cache: usize,
    ) -> comptoir_indexer::search::tantivy::Result<Self> {
        let (index, fields) = index::open(dir)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        // Independent, and each a pass over every product: side by side on the cores.
        let ((facts, rank), read) = rayon::join(
            || rayon::join(|| Facts::new(catalogue), || tie_ranks(catalogue)),
            || {
                let vocabulary = Vocabulary::read(&searcher, &fields)?;
                Ok::<_, comptoir_indexer::search::tantivy::TantivyError>((
                    vocabulary,
                    matching::ords(&searcher, catalogue)?,
                ))
            },
        );
        let (vocabulary, ords) = read?;
        Ok(Self {
            ords,
            searcher,
            fields,
            facts,
            vocabulary,
            rank,
            answers: cache::Answers::new(cache),
        })
    }

    /// The facets of every product.
    #[must_use]
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Runs `params` on `today`; `in_stock` tells whether a product can be bought now.
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    pub fn search(
        &self,
        catalogue: &Catalogue,
        today: Date,
        params: &SearchParams,
        in_stock: &dyn Fn(usize) -> bool,
    ) -> comptoir_indexer::search::tantivy::Result<Results> {
        let words = QueryWord::parse(&params.q);
        let (scored, partial) = self.matching(catalogue, &words)?;
        // Only the results up to this page are kept, best first, in a heap as small as
        // those pages: one pass over the candidates filters, counts and ranks.
        let mut best = Best::new(params.page * params::PAGE_SIZE);
        let mut total: usize = 0;
        let counts = self.facts.filter(
            &params.filters,
            self.candidates(catalogue, today, &scored, in_stock),
            |candidate| {
                total += 1;
                best.offer(self.sort_key(params.sort, candidate), *candidate);
            },
        );
        let pages = total.div_ceil(params::PAGE_SIZE).max(1);
        let page = params.page;
        let hits = best
            .into_sorted()
            .iter()
            .skip((page - 1) * params::PAGE_SIZE)
            .map(|candidate| hit(catalogue, &words, candidate))
            .collect();
        let did_you_mean = if total < FEW_RESULTS || partial {
            self.better_query(catalogue, today, params, &words, (total, partial), in_stock)?
        } else {
            None
        };
        Ok(Results {
            words,
            total,
            page,
            pages,
            hits,
            partial,
            did_you_mean,
            counts,
        })
    }

    /// A corrected query that finds more than `total` results with the same filters (or
    /// any, when only partial matches were found).
    fn better_query(
        &self,
        catalogue: &Catalogue,
        today: Date,
        params: &SearchParams,
        words: &[QueryWord],
        (total, partial_before): (usize, bool),
        in_stock: &dyn Fn(usize) -> bool,
    ) -> comptoir_indexer::search::tantivy::Result<Option<String>> {
        let Some(better) = self.vocabulary.correct(words) else {
            return Ok(None);
        };
        let (scored, still_partial) = self.matching(catalogue, &QueryWord::parse(&better))?;
        if still_partial {
            return Ok(None);
        }
        let mut kept: usize = 0;
        self.facts.filter(
            &params.filters,
            self.candidates(catalogue, today, &scored, in_stock),
            |_| kept += 1,
        );
        Ok((kept > total || (partial_before && kept > 0)).then_some(better))
    }

    /// The scored products as the facets see them.
    fn candidates<'a>(
        &self,
        catalogue: &Catalogue,
        today: Date,
        scored: &'a [(usize, Score)],
        in_stock: &'a dyn Fn(usize) -> bool,
    ) -> impl Iterator<Item = facets::Candidate> + 'a {
        let prices = self.facts.prices(catalogue, today);
        scored.iter().map(move |&(ord, score)| facets::Candidate {
            ord,
            price: prices[ord],
            in_stock: in_stock(ord),
            score,
        })
    }

    /// Products, aisles and shops for the first letters of a query.
    ///
    /// # Errors
    ///
    /// When the index cannot be read.
    pub fn suggest(
        &self,
        catalogue: &Catalogue,
        q: &str,
        limit: usize,
    ) -> comptoir_indexer::search::tantivy::Result<Suggestions> {
        let words = QueryWord::parse(q);
        if words.is_empty() {
            return Ok(Suggestions::default());
        }
        let (mut scored, _) = self.matching(catalogue, &words)?;
        let best = |a: &(usize, Score), b: &(usize, Score)| {
            b.1.total_cmp(&a.1)
                .then(self.rank[a.0].cmp(&self.rank[b.0]))
        };
        if limit < scored.len() {
            scored.select_nth_unstable_by(limit, best);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(best);
        let named = |name: &str| {
            let found = analysis::words(name);
            words.iter().enumerate().all(|(i, q)| {
                found.iter().any(|w| {
                    w.folded == q.folded
                        || w.stem() == q.stem
                        || (i + 1 == words.len() && q.prefix && w.folded.starts_with(&q.folded))
                })
            })
        };
        Ok(Suggestions {
            products: scored.iter().take(limit).map(|&(ord, _)| ord).collect(),
            aisles: (0..catalogue.categories.len())
                .filter(|&c| named(&catalogue.categories[c].name))
                .take(limit)
                .collect(),
            shops: (0..catalogue.shops.len())
                .filter(|&s| {
                    let shop = &catalogue.shops[s];
                    named(&format!("{} {}", shop.name, shop.trade.label()))
                })
                .take(limit)
                .collect(),
        })
    }

    /// The products `words` match with their scores; every published product (score 0)
    /// for an empty query. The flag tells whether only some words could be matched.
    fn matching(
        &self,
        catalogue: &Catalogue,
        words: &[QueryWord],
    ) -> comptoir_indexer::search::tantivy::Result<(Vec<(usize, Score)>, bool)> {
        if words.is_empty() {
            let all = (0..catalogue.products.len())
                .filter(|&i| catalogue.is_public(&catalogue.products[i]))
                .map(|i| (i, 0.0))
                .collect();
            return Ok((all, false));
        }
        let all = matching::find(&self.searcher, &self.ords, &self.fields, words, true)?;
        if !all.is_empty() || words.len() == 1 {
            return Ok((all, false));
        }
        let some = matching::find(&self.searcher, &self.ords, &self.fields, words, false)?;
        Ok((some, true))
    }

    /// A candidate's place for `sort` as one integer, smallest first: the sort's own
    /// criterion, then relevance (score, in stock first, then [`tie_ranks`]).
    fn sort_key(&self, sort: Sort, candidate: &facets::Candidate) -> u128 {
        // Scores are positive: their bits order like the numbers; inverted for "best first".
        let relevance = (u64::from(u32::MAX - candidate.score.max(0.0).to_bits()) << 32)
            | (u64::from(!candidate.in_stock) << 31)
            | u64::from(self.rank[candidate.ord] & 0x7fff_ffff);
        let first: u64 = match sort {
            Sort::Relevance => 0,
            Sort::PriceAscending => u64::try_from(candidate.price.cents()).unwrap_or(0),
            Sort::PriceDescending => u64::MAX - u64::try_from(candidate.price.cents()).unwrap_or(0),
            Sort::Newest => {
                let day = self.facts.newest(candidate.ord);
                let days = i64::from(day.year()) * 372
                    + i64::from(day.month()) * 31
                    + i64::from(day.day());
                u64::MAX - u64::try_from(days).unwrap_or(0)
            }
        };
        (u128::from(first) << 64) | u128::from(relevance)
    }
}

/// The `size` candidates with the smallest sort keys (keys are unique: they end with the
/// product's tie rank).
struct Best {
    size: usize,
    heap: std::collections::BinaryHeap<Keyed>,
}

/// A candidate and its sort key, ordered by the key.
struct Keyed(u128, facets::Candidate);

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Keyed {}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl Best {
    fn new(size: usize) -> Self {
        Self {
            size,
            heap: std::collections::BinaryHeap::with_capacity(size.min(4_096) + 1),
        }
    }

    /// Keeps `candidate` if it is among the best so far.
    fn offer(&mut self, key: u128, candidate: facets::Candidate) {
        if self.heap.len() < self.size {
            self.heap.push(Keyed(key, candidate));
        } else if self.heap.peek().is_some_and(|worst| key < worst.0) {
            self.heap.pop();
            self.heap.push(Keyed(key, candidate));
        }
    }

    /// The kept candidates, best first.
    fn into_sorted(self) -> Vec<facets::Candidate> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Keyed(_, c)| c)
            .collect()
    }
}

/// A result with its marked title and snippet.
fn hit(catalogue: &Catalogue, words: &[QueryWord], candidate: &facets::Candidate) -> Hit {
    let product = &catalogue.products[candidate.ord];
    let description = comptoir_indexer::render::text::markdown_text(&product.description);
    Hit {
        ord: candidate.ord,
        title: snippet::highlight(&product.title, words),
        snippet: snippet::snippet(&description, words, SNIPPET_CHARS),
        price: candidate.price,
        in_stock: candidate.in_stock,
    }
}

/// Each product's rank among equally good matches: shorter titles first (the word is more
/// of what the product is), then alphabetical with accents folded, then id.
fn tie_ranks(catalogue: &Catalogue) -> Vec<u32> {
    use rayon::prelude::*;
    let mut order: Vec<(usize, String, usize)> = catalogue
        .products
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let words = analysis::words(&p.title).len();
            (words, comptoir_indexer::slug::slugify(&p.title), i)
        })
        .collect();
    order.par_sort_unstable_by(|a, b| {
        (a.0, &a.1, &catalogue.products[a.2].id).cmp(&(b.0, &b.1, &catalogue.products[b.2].id))
    });
    let mut rank = vec![0; catalogue.products.len()];
    for (r, (_, _, i)) in order.into_iter().enumerate() {
        rank[i] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    rank
}
