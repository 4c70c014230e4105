//! Fingerprints the static assets in `site/`: each file gets a content hash in its URL
//! (`/assets/style.3f9a0c1b.css`) so browsers and CDNs may cache it forever, and the bytes
//! are embedded in the binary so `comptoir` runs with nothing else installed.
//!
//! Writes `$OUT_DIR/assets.rs` with one `Asset` per file, sorted by name.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<()> {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
    println!("cargo:rerun-if-changed={}", site.display());
    let mut files: Vec<_> = std::fs::read_dir(&site)
        .with_context(|| format!("cannot list {}", site.display()))?
        .collect::<Result<Vec<_>, _>>()
        .context("cannot read an entry of site/")?
        .into_iter()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut code = String::from(
        "/// The fingerprinted files of `site/`.\npub static ASSETS: &[comptoir_indexer::render::Asset] = &[\n",
    );
    for path in &files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .context("asset names must be UTF-8")?;
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        writeln!(
            code,
            "    comptoir_indexer::render::Asset {{ name: {name:?}, path: \"/assets/{stem}.{:08x}.{ext}\", bytes: include_bytes!({:?}) }},",
            hash >> 32,
            path.display().to_string()
        )?;
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").context("cargo sets OUT_DIR")?).join("assets.rs");
    std::fs::write(&out, code).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}
