//! Raw file-system events under `content/` turned into a few kinds of catalogue change:
//! a product, shop, picture, the aisles, the charter, the offers or the town, added, changed, removed
//! or renamed.
//!
//! Editors save in several steps (a temporary file, a rename, a chmod), so events are
//! gathered in a [`Burst`] and each path is judged once at the end, from its first event
//! and whether it exists now.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// What a file of `content/` holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// `town.toml`.
    Town,
    /// `categories.toml`.
    Categories,
    /// `charte.md`, the quality charter (which shops are online).
    Charter,
    /// `offers.toml`, the association's cross-shop offers.
    Offers,
    /// `shops/<shop>/shop.toml`, or the shop's whole folder.
    Shop(String),
    /// `shops/<shop>/products/<slug>.md`.
    Product {
        /// The shop's folder.
        shop: String,
        /// The file's name without `.md`.
        slug: String,
    },
    /// `shops/<shop>/images/<file>`.
    Picture(String),
}

/// What happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// It appeared.
    Added,
    /// Its content changed.
    Changed,
    /// It disappeared.
    Removed,
    /// It appeared by a rename from another path of the same kind.
    Renamed {
        /// The old path, relative to `content/`.
        from: PathBuf,
    },
}

/// One change, relative to `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed.
    pub subject: Subject,
    /// How.
    pub kind: Kind,
    /// The file (or folder), relative to `content/`.
    pub path: PathBuf,
}

impl Change {
    /// Whether only one product is concerned (the rest needs a full rebuild).
    #[must_use]
    pub fn is_product(&self) -> bool {
        matches!(self.subject, Subject::Product { .. })
    }
}

/// The subject of `relative` (a path inside `content/`); `None` for files the catalogue
/// does not read: editors' temporary and backup files, anything unknown.
#[must_use]
pub fn subject(relative: &Path) -> Option<Subject> {
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.last().is_some_and(|name| scratch(name)) {
        return None;
    }
    match parts.as_slice() {
        ["town.toml"] => Some(Subject::Town),
        ["categories.toml"] => Some(Subject::Categories),
        [crate::model::CHARTER_FILE] => Some(Subject::Charter),
        [crate::model::OFFERS_FILE] => Some(Subject::Offers),
        ["shops", shop] | ["shops", shop, "shop.toml"] => Some(Subject::Shop((*shop).to_owned())),
        ["shops", shop, "products", file] => {
            let slug = file.strip_suffix(".md")?;
            Some(Subject::Product {
                shop: (*shop).to_owned(),
                slug: slug.to_owned(),
            })
        }
        ["shops", shop, "images", _] | ["shops", shop, "images"] => {
            Some(Subject::Picture((*shop).to_owned()))
        }
        _ => None,
    }
}

/// Editors' scratch files: hidden, backups, swap and lock files, our own temporary files.
fn scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".part", ".crdownload"]
            .iter()
            .any(|s| name.ends_with(s))
        || name.contains(".tmp-")
}

/// A raw event, as the watcher reports it (paths absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawEvent {
    /// A file or folder appeared (created, or renamed to here).
    Appeared(PathBuf),
    /// Its content or metadata changed.
    Modified(PathBuf),
    /// It disappeared (removed, or renamed away).
    Vanished(PathBuf),
    /// Renamed from one path to another, both known.
    Renamed(PathBuf, PathBuf),
}

impl RawEvent {
    /// The raw events of one `notify` event (access events and unknown ones that name no
    /// path give none).
    #[must_use]
    pub fn from_notify(event: &notify::Event) -> Vec<Self> {
        use notify::EventKind as E;
        use notify::event::{ModifyKind, RenameMode};
        let paths = event.paths.iter().cloned();
        match event.kind {
            E::Access(_) => Vec::new(),
            E::Create(_) | E::Modify(ModifyKind::Name(RenameMode::To)) => {
                paths.map(Self::Appeared).collect()
            }
            E::Remove(_) | E::Modify(ModifyKind::Name(RenameMode::From)) => {
                paths.map(Self::Vanished).collect()
            }
            E::Modify(ModifyKind::Name(RenameMode::Both)) if event.paths.len() == 2 => {
                vec![Self::Renamed(
                    event.paths[0].clone(),
                    event.paths[1].clone(),
                )]
            }
            _ => paths.map(Self::Modified).collect(),
        }
    }
}

/// The events of one burst, judged once it is over.
#[derive(Debug, Default)]
pub struct Burst {
    /// Each path's first event in the burst, and the path it was renamed from.
    first: BTreeMap<PathBuf, (First, Option<PathBuf>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum First {
    Appeared,
    Modified,
    Vanished,
}

impl Burst {
    /// Whether nothing was recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Records one event (paths relative to `content`; others are ignored).
    pub fn add(&mut self, content: &Path, event: RawEvent) {
        let relative = |p: &Path| p.strip_prefix(content).ok().map(Path::to_path_buf);
        match event {
            RawEvent::Appeared(p) => self.note(relative(&p), First::Appeared, None),
            RawEvent::Modified(p) => self.note(relative(&p), First::Modified, None),
            RawEvent::Vanished(p) => self.note(relative(&p), First::Vanished, None),
            RawEvent::Renamed(from, to) => {
                let from = relative(&from);
                self.note(from.clone(), First::Vanished, None);
                self.note(relative(&to), First::Appeared, from);
            }
        }
    }

    fn note(&mut self, path: Option<PathBuf>, first: First, from: Option<PathBuf>) {
        if let Some(path) = path {
            let slot = self.first.entry(path).or_insert((first, None));
            if slot.1.is_none() {
                slot.1 = from;
            }
        }
    }

    /// The changes of the burst; `exists` tells whether a path (relative to `content/`)
    /// exists now. A file created and deleted within the burst is no change.
    pub fn changes(self, exists: impl Fn(&Path) -> bool) -> Vec<Change> {
        let mut changes = Vec::new();
        for (path, (first, from)) in self.first {
            let Some(subject) = subject(&path) else {
                continue;
            };
            let kind = match (first, exists(&path)) {
                (First::Appeared, false) => continue,
                (_, false) => Kind::Removed,
                (First::Appeared, true) => match from {
                    Some(from) if subject_kind(&from) == subject_kind(&path) => {
                        Kind::Renamed { from }
                    }
                    _ => Kind::Added,
                },
                (First::Modified | First::Vanished, true) => Kind::Changed,
            };
            changes.push(Change {
                subject,
                kind,
                path,
            });
        }
        changes
    }
}

/// The kind of subject at `path`, shop names aside ("a product", "a shop"…).
fn subject_kind(path: &Path) -> Option<std::mem::Discriminant<Subject>> {
    subject(path).map(|s| std::mem::discriminant(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, EventKind, ModifyKind, RemoveKind, RenameMode};

    const CONTENT: &str = "/srv/content";

    fn product(shop: &str, slug: &str) -> Subject {
        Subject::Product {
            shop: shop.into(),
            slug: slug.into(),
        }
    }

    fn abs(relative: &str) -> PathBuf {
        Path::new(CONTENT).join(relative)
    }

    #[test]
    fn paths_map_onto_subjects() {
        let table: [(&str, Option<Subject>); 16] = [
            ("town.toml", Some(Subject::Town)),
            ("charte.md", Some(Subject::Charter)),
            ("offers.toml", Some(Subject::Offers)),
            ("categories.toml", Some(Subject::Categories)),
            ("shops/fromagerie", Some(Subject::Shop("fromagerie".into()))),
            (
                "shops/fromagerie/shop.toml",
                Some(Subject::Shop("fromagerie".into())),
            ),
            (
                "shops/fromagerie/products/comte.md",
                Some(product("fromagerie", "comte")),
            ),
            (
                "shops/fromagerie/images/comte.jpg",
                Some(Subject::Picture("fromagerie".into())),
            ),
            ("shops/fromagerie/products/comte.md~", None),
            ("shops/fromagerie/products/.comte.md.swp", None),
            ("shops/fromagerie/products/4913", None),
            ("shops/fromagerie/products/comte.md.tmp-1234", None),
            ("shops/fromagerie/products/notes.txt", None),
            ("shops/fromagerie/products/#comte.md#", None),
            ("README.md", None),
            ("shops/fromagerie/products/old/comte.md", None),
        ];
        for (path, expected) in table {
            assert_eq!(subject(Path::new(path)), expected, "{path}");
        }
    }

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        let mut event = notify::Event::new(kind);
        for p in paths {
            event = event.add_path(abs(p));
        }
        event
    }

    /// Runs a burst of notify events and judges it with `existing` files present.
    fn judge(events: &[notify::Event], existing: &[&str]) -> Vec<Change> {
        let mut burst = Burst::default();
        for e in events {
            for raw in RawEvent::from_notify(e) {
                burst.add(Path::new(CONTENT), raw);
            }
        }
        burst.changes(|p| existing.iter().any(|e| Path::new(e) == p))
    }

    fn change(subject: Subject, kind: Kind, path: &str) -> Change {
        Change {
            subject,
            kind,
            path: path.into(),
        }
    }

    #[test]
    fn bursts_of_editor_events_become_one_change_per_file() {
        let comte = "shops/fromagerie/products/comte.md";
        let brie = "shops/fromagerie/products/brie.md";
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let create = EventKind::Create(CreateKind::File);
        let remove = EventKind::Remove(RemoveKind::File);
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        let fromagerie = Subject::Shop("fromagerie".into());
        let cases: Vec<(&str, Vec<notify::Event>, Vec<&str>, Vec<Change>)> = vec![
            (
                "a plain save",
                vec![event(write, &[comte]), event(write, &[comte])],
                vec![comte],
                vec![change(product("fromagerie", "comte"), Kind::Changed, comte)],
            ),
            (
                "vim: backup, write, swap files",
                vec![
                    event(create, &["shops/fromagerie/products/4913"]),
                    event(remove, &["shops/fromagerie/products/4913"]),
                    event(rename, &[comte, "shops/fromagerie/products/comte.md~"]),
                    event(create, &[comte]),
                    event(write, &[comte]),
                    event(remove, &["shops/fromagerie/products/comte.md~"]),
                ],
                vec![comte],
                vec![change(product("fromagerie", "comte"), Kind::Changed, comte)],
            ),
            (
                "an atomic save through a temporary file",
                vec![
                    event(create, &["shops/fromagerie/products/.comte.md.tmp"]),
                    event(write, &["shops/fromagerie/products/.comte.md.tmp"]),
                    event(rename, &["shops/fromagerie/products/.comte.md.tmp", comte]),
                ],
                vec![comte],
                vec![change(product("fromagerie", "comte"), Kind::Added, comte)],
            ),
            (
                "a new product",
                vec![event(create, &[brie]), event(write, &[brie])],
                vec![brie],
                vec![change(product("fromagerie", "brie"), Kind::Added, brie)],
            ),
            (
                "a removed product",
                vec![event(remove, &[comte])],
                vec![],
                vec![change(product("fromagerie", "comte"), Kind::Removed, comte)],
            ),
            (
                "a renamed product",
                vec![event(rename, &[comte, brie])],
                vec![brie],
                vec![
                    change(
                        product("fromagerie", "brie"),
                        Kind::Renamed { from: comte.into() },
                        brie,
                    ),
                    change(product("fromagerie", "comte"), Kind::Removed, comte),
                ],
            ),
            (
                "created then deleted within the burst",
                vec![event(create, &[brie]), event(remove, &[brie])],
                vec![],
                vec![],
            ),
            (
                "a shop's details, a picture, the aisles and the town",
                vec![
                    event(write, &["shops/fromagerie/shop.toml"]),
                    event(create, &["shops/fromagerie/images/brie.jpg"]),
                    event(write, &["categories.toml"]),
                    event(write, &["town.toml"]),
                ],
                vec![
                    "shops/fromagerie/shop.toml",
                    "shops/fromagerie/images/brie.jpg",
                    "categories.toml",
                    "town.toml",
                ],
                vec![
                    change(Subject::Categories, Kind::Changed, "categories.toml"),
                    change(
                        Subject::Picture("fromagerie".into()),
                        Kind::Added,
                        "shops/fromagerie/images/brie.jpg",
                    ),
                    change(
                        fromagerie.clone(),
                        Kind::Changed,
                        "shops/fromagerie/shop.toml",
                    ),
                    change(Subject::Town, Kind::Changed, "town.toml"),
                ],
            ),
            (
                "a shop folder removed",
                vec![event(
                    EventKind::Remove(RemoveKind::Folder),
                    &["shops/fromagerie"],
                )],
                vec![],
                vec![change(fromagerie, Kind::Removed, "shops/fromagerie")],
            ),
            (
                "reading a file is no change",
                vec![event(
                    EventKind::Access(notify::event::AccessKind::Read),
                    &[comte],
                )],
                vec![comte],
                vec![],
            ),
        ];
        for (name, events, existing, expected) in cases {
            assert_eq!(judge(&events, &existing), expected, "{name}");
        }
    }
}
