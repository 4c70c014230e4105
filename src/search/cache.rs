//! Answers to searches already made on a build: the page or JSON drawn for the same words,
//! filters, sort and page on the same day, kept in memory (least recently used first out).
//!
//! Shoppers repeat each other: the same few hundred searches ("pain", "fromage",
//! "chocolat") make most of a town's traffic. An answer depends only on the build, the
//! day (prices follow promotions) and the parameters — stock is the catalogue's, not the
//! live counts — so it is kept with its [`SearchIndex`](super::SearchIndex), which a
//! publish replaces: nothing outlives the build it was drawn from.

use super::{QueryWord, SearchParams};
use axum::body::Bytes;
use jiff::civil::Date;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Which drawing of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `/recherche`'s HTML page.
    Page,
    /// `/api/search`'s JSON.
    Json,
}

/// What an answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey {
    /// The day searched (today's prices).
    pub today: Date,
    /// HTML or JSON.
    pub format: Format,
    /// Words, filters, sort and page.
    pub params: SearchParams,
}

/// A drawn answer, with what the search figures count of it.
#[derive(Debug)]
pub struct Answer {
    /// The response body.
    pub body: Bytes,
    /// The query's words.
    pub words: Vec<QueryWord>,
    /// Results across all pages.
    pub total: usize,
}

/// The answers kept for one build.
#[derive(Debug)]
pub struct Answers(Option<Mutex<LruCache<AnswerKey, Arc<Answer>>>>);

impl Answers {
    /// Keeps up to `size` answers (0: none).
    #[must_use]
    pub fn new(size: usize) -> Self {
        Self(NonZeroUsize::new(size).map(|size| Mutex::new(LruCache::new(size))))
    }

    /// The answer kept for `key`, if any.
    #[must_use]
    pub fn get(&self, key: &AnswerKey) -> Option<Arc<Answer>> {
        let mut kept = self.0.as_ref()?.lock().ok()?;
        kept.get(key).cloned()
    }

    /// Keeps `answer` for `key`.
    pub fn put(&self, key: AnswerKey, answer: Arc<Answer>) {
        if let Some(mut kept) = self.0.as_ref().and_then(|m| m.lock().ok()) {
            kept.put(key, answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(q: &str) -> AnswerKey {
        AnswerKey {
            today: jiff::civil::date(2026, 11, 29),
            format: Format::Json,
            params: SearchParams {
                q: q.to_owned(),
                page: 1,
                ..SearchParams::default()
            },
        }
    }

    fn answer(body: &'static str) -> Arc<Answer> {
        Arc::new(Answer {
            body: Bytes::from_static(body.as_bytes()),
            words: Vec::new(),
            total: 0,
        })
    }

    #[test]
    fn keeps_the_most_recently_used_answers() {
        let answers = Answers::new(2);
        answers.put(key("pain"), answer("1"));
        answers.put(key("miel"), answer("2"));
        assert!(answers.get(&key("pain")).is_some());
        answers.put(key("comte"), answer("3"));
        assert!(
            answers.get(&key("miel")).is_none(),
            "the least used goes first"
        );
        assert_eq!(
            answers.get(&key("pain")).map(|a| a.body.clone()),
            Some(Bytes::from("1"))
        );
        let other_day = AnswerKey {
            today: jiff::civil::date(2026, 11, 30),
            ..key("pain")
        };
        assert!(
            answers.get(&other_day).is_none(),
            "prices change with the day"
        );
    }

    #[test]
    fn a_size_of_zero_keeps_nothing() {
        let answers = Answers::new(0);
        answers.put(key("pain"), answer("1"));
        assert!(answers.get(&key("pain")).is_none());
    }
}
