//! Uploaded files kept between the preview and the confirmation, under
//! `<data>/imports/<shop>/<id>/`: the shop is part of the path, so a merchant can only
//! reach their own shop's uploads, and the id is random so it cannot be guessed.

use super::Upload;
use std::io;
use std::path::{Path, PathBuf};

/// Uploads older than this are removed when a new one is stored (abandoned previews).
const KEEP: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Hex digits of an upload id (128 random bits).
const ID_LEN: usize = 32;

/// What is kept of one upload.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Meta {
    aisle: String,
    names: Vec<String>,
}

/// A stored upload: its files and the aisle chosen for unmatched categories.
#[derive(Debug)]
pub struct Stored {
    /// The files, in upload order.
    pub files: Vec<Upload>,
    /// The default aisle's slug.
    pub aisle: String,
}

fn shop_dir(data: &Path, shop: &str) -> PathBuf {
    data.join("imports").join(shop)
}

/// Whether `id` looks like an id this module made (never a path).
fn valid_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Keeps `files` for `shop`; returns the upload's id.
///
/// # Errors
///
/// When the data folder cannot be written.
pub fn save(data: &Path, shop: &str, files: &[Upload], aisle: &str) -> io::Result<String> {
    remove_stale(&shop_dir(data, shop));
    let id = crate::cart::random_hex();
    let dir = shop_dir(data, shop).join(&id);
    std::fs::create_dir_all(&dir)?;
    for (i, file) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("{i}.csv")), &file.bytes)?;
    }
    let meta = Meta {
        aisle: aisle.to_owned(),
        names: files.iter().map(|f| f.name.clone()).collect(),
    };
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta)?)?;
    Ok(id)
}

/// The upload `id` of `shop`, if it exists (another shop's id is simply not found).
#[must_use]
pub fn load(data: &Path, shop: &str, id: &str) -> Option<Stored> {
    if !valid_id(id) {
        return None;
    }
    let dir = shop_dir(data, shop).join(id);
    let meta: Meta = serde_json::from_slice(&std::fs::read(dir.join("meta.json")).ok()?).ok()?;
    let files = meta
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Some(Upload {
                name: name.clone(),
                bytes: std::fs::read(dir.join(format!("{i}.csv"))).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Stored {
        files,
        aisle: meta.aisle,
    })
}

/// Forgets the upload `id` of `shop` (once imported).
pub fn remove(data: &Path, shop: &str, id: &str) {
    if valid_id(id) {
        let _ = std::fs::remove_dir_all(shop_dir(data, shop).join(id));
    }
}

/// Removes uploads older than [`KEEP`].
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > KEEP);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_found_only_by_its_shop_and_id() {
        let data = tempfile::tempdir().expect("temp dir");
        let files = [Upload {
            name: "a.csv".into(),
            bytes: b"x".to_vec(),
        }];
        let id = save(data.path(), "shop-a", &files, "mode").expect("saved");
        let stored = load(data.path(), "shop-a", &id).expect("found");
        assert_eq!(
            (stored.aisle.as_str(), stored.files[0].bytes.as_slice()),
            ("mode", &b"x"[..])
        );
        assert!(load(data.path(), "shop-b", &id).is_none());
        assert!(load(data.path(), "shop-a", "../shop-b").is_none());
        remove(data.path(), "shop-a", &id);
        assert!(load(data.path(), "shop-a", &id).is_none());
    }
}
