//! Our analysis as Tantivy tokenizers: `fr_stem` and `fr_fold`, registered on every index
//! we open (Tantivy has no French analyser of its own).

use super::analysis::{self, Word};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the stemming analyser.
pub const STEM: &str = "fr_stem";
/// Name of the folding (unstemmed) analyser.
pub const FOLD: &str = "fr_fold";

/// Registers both analysers on `index`.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(STEM, French { stem: true });
    index.tokenizers().register(FOLD, French { stem: false });
}

/// Words of a text, stemmed or only folded.
#[derive(Debug, Clone, Copy)]
pub struct French {
    stem: bool,
}

/// The tokens of one text, computed up front.
pub struct Words {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for French {
    type TokenStream<'a> = Words;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Words {
        let tokens = analysis::words(text)
            .into_iter()
            .enumerate()
            .map(|(position, word)| token(position, word, self.stem))
            .collect();
        Words { tokens, next: 0 }
    }
}

fn token(position: usize, word: Word, stem: bool) -> Token {
    Token {
        offset_from: word.from,
        offset_to: word.to,
        position,
        text: if stem { word.stem() } else { word.folded },
        position_length: 1,
    }
}

impl TokenStream for Words {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
