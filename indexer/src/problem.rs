//! Catalogue problems: what is wrong, where (file and line), and what to write instead.
//!
//! Loading collects every problem rather than stopping at the first, so a person fixing a
//! catalogue sees the whole list at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the content directory when possible.
    pub path: PathBuf,
    /// 1-based line number, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

impl Problem {
    /// A problem at `line` of `path`.
    pub fn new(
        path: &Path,
        line: Option<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            line,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

/// Converts byte offsets of one file into 1-based line numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Added to every line: the number of lines before the parsed text in its file.
    offset: usize,
}

impl LineIndex {
    /// Indexes `text`, whose first line is line `offset + 1` of its file.
    #[must_use]
    pub fn new(text: &str, offset: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts, offset }
    }

    /// The 1-based line in the file of byte `position` of the text.
    #[must_use]
    pub fn line(&self, position: usize) -> usize {
        self.starts.partition_point(|&start| start <= position) + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one_and_honour_the_offset() {
        let index = LineIndex::new("a\nbc\n\nd", 0);
        assert_eq!(
            [0, 1, 2, 4, 5, 6].map(|p| index.line(p)),
            [1, 1, 2, 2, 3, 4]
        );
        assert_eq!(LineIndex::new("a\nb", 1).line(2), 3);
    }

    #[test]
    fn displays_path_line_message_and_hint() {
        let p = Problem::new(
            Path::new("shops/a/products/b.md"),
            Some(4),
            "bad price \"x\"",
            "write price = \"1.30\"",
        );
        assert_eq!(
            p.to_string(),
            "shops/a/products/b.md:4: bad price \"x\" — write price = \"1.30\""
        );
    }
}
