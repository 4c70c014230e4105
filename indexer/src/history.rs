//! What the site once served and no longer does, carried from build to build: the paths of
//! removed (or unpublished) products answer 410 Gone, the old paths of renamed products
//! answer 301 to the new one.
//!
//! Each build records the path of every published product (`paths.tsv`); the next build,
//! full or incremental, compares the catalogue with it. Files in a build folder:
//!
//! ```text
//! paths.tsv      id<TAB>path of each published product
//! moved.tsv      old path<TAB>new path of renamed products
//! gone.txt       one path per line: removed products
//! redirects.tsv  what the server answers 301 for: product aliases and moved paths
//! ```

use crate::model::Catalogue;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

/// Served product paths by id.
pub const PATHS: &str = "paths.tsv";
/// Renamed products' old paths.
pub const MOVED: &str = "moved.tsv";
/// Removed products' paths.
pub const GONE: &str = "gone.txt";
/// Every 301 the server answers (aliases and moved paths).
pub const REDIRECTS: &str = "redirects.tsv";

/// Product ids → the path each was served at.
pub type Served = HashMap<String, String>;

/// Renamed and removed products' paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Old path → the product's current path.
    pub moved: BTreeMap<String, String>,
    /// Paths of products no longer on the site.
    pub gone: BTreeSet<String>,
}

impl History {
    /// The history recorded in `build` (empty when there is none).
    #[must_use]
    pub fn read(build: &Path) -> Self {
        let moved = read_pairs(&build.join(MOVED)).into_iter().collect();
        let gone = fs::read_to_string(build.join(GONE))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        Self { moved, gone }
    }

    /// Brings the history from what was served `before` (product id, path) to now:
    /// `path_of` gives a product's path now (`None`: no longer on the site), `is_live`
    /// whether a path is served now (a product page or an alias). A product whose path
    /// changed leaves a 301, one that left the site a 410; paths served again stop being
    /// moved or gone. Only the products that may have changed need to be in `before`.
    pub fn advance<'a>(
        &mut self,
        before: impl IntoIterator<Item = (&'a str, &'a str)>,
        path_of: impl Fn(&str) -> Option<&'a str>,
        is_live: impl Fn(&str) -> bool,
    ) {
        for (id, old) in before {
            match path_of(id) {
                Some(new) if new != old => {
                    self.moved.insert(old.to_owned(), new.to_owned());
                }
                Some(_) => {}
                None => {
                    self.gone.insert(old.to_owned());
                }
            }
        }
        // A product renamed twice: every old path leads to the newest one; renamed, then
        // removed: every old path is gone.
        let before_moved = std::mem::take(&mut self.moved);
        for (from, first) in &before_moved {
            let mut to = first;
            for _ in 0..before_moved.len() {
                match before_moved.get(to) {
                    Some(next) if !is_live(to) => to = next,
                    _ => break,
                }
            }
            if is_live(to) {
                self.moved.insert(from.clone(), to.clone());
            } else {
                self.gone.insert(from.clone());
            }
        }
        self.moved.retain(|from, _| !is_live(from));
        let moved = &self.moved;
        self.gone
            .retain(|path| !is_live(path) && !moved.contains_key(path));
    }

    /// The files of this history and `catalogue`'s redirects (aliases and moved paths),
    /// by name; `paths.tsv` is written apart ([`paths_file`]).
    #[must_use]
    pub fn files(&self, catalogue: &Catalogue) -> Vec<(&'static str, String)> {
        let mut redirects: Vec<(String, String)> = catalogue
            .published()
            .filter(|p| !p.aliases.is_empty())
            .flat_map(|p| {
                let to = catalogue.product_path(p);
                p.aliases.iter().map(move |a| (a.clone(), to.clone()))
            })
            .chain(self.moved.clone())
            .collect();
        redirects.sort();
        vec![
            (MOVED, pairs(&self.moved)),
            (
                GONE,
                self.gone
                    .iter()
                    .map(|p| format!("{p}\n"))
                    .collect::<String>(),
            ),
            (REDIRECTS, pairs(redirects.iter().map(|(a, b)| (a, b)))),
        ]
    }
}

/// `paths.tsv`: each published product's id and path, sorted by id.
#[must_use]
pub fn paths_file(catalogue: &Catalogue) -> String {
    let mut paths: Vec<(&str, String)> = catalogue
        .published()
        .map(|p| (p.id.as_str(), catalogue.product_path(p)))
        .collect();
    paths.sort();
    pairs(paths)
}
/// Each published product's path, by id.
#[must_use]
pub fn served(catalogue: &Catalogue) -> Served {
    catalogue
        .published()
        .map(|p| (p.id.clone(), catalogue.product_path(p)))
        .collect()
}

/// The served paths recorded in `build` (empty when none are).
#[must_use]
pub fn read_served(build: &Path) -> Served {
    read_pairs(&build.join(PATHS)).into_iter().collect()
}

fn read_pairs(path: &Path) -> Vec<(String, String)> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

fn pairs<A: std::fmt::Display, B: std::fmt::Display>(
    items: impl IntoIterator<Item = (A, B)>,
) -> String {
    items
        .into_iter()
        .map(|(a, b)| format!("{a}\t{b}\n"))
        .collect()
}

/// Writes `files` into `build`, each replaced atomically; returns whether any changed.
///
/// # Errors
///
/// When a file cannot be written.
pub fn write(build: &Path, files: &[(&'static str, String)]) -> io::Result<bool> {
    let mut changed = false;
    for (name, text) in files {
        changed |= crate::output::replace_file(&build.join(name), text.as_bytes())?;
    }
    Ok(changed)
}
