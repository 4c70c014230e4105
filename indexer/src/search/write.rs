//! Writes the search index of a catalogue into a build folder, in one commit, and the
//! documents an incremental update replaces.

use super::{Fields, register, schema};
use crate::model::{Catalogue, Product};
use crate::render::text::markdown_text;
use rayon::prelude::*;
use std::path::Path;
use tantivy::schema::Facet;
use tantivy::{Index, IndexWriter, TantivyDocument};

/// Memory for the indexing threads, in bytes per thread.
const WRITER_MEMORY_PER_THREAD: usize = 48 * 1024 * 1024;
/// Memory of the one-thread writer that applies incremental updates.
const UPDATE_WRITER_MEMORY: usize = 16 * 1024 * 1024;

/// Indexes every published product of `catalogue` into `dir` (created empty).
/// Returns the number of documents.
///
/// # Errors
///
/// When the folder cannot be written.
pub fn write_index(catalogue: &Catalogue, dir: &Path) -> tantivy::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    register(&index);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let threads = if catalogue.products.len() < 5_000 {
        1
    } else {
        threads
    };
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
    let documents: Vec<TantivyDocument> = catalogue
        .products
        .par_iter()
        .filter(|p| catalogue.is_public(p))
        .map(|p| document(catalogue, &fields, p))
        .collect();
    let count = documents.len();
    for doc in documents {
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(count)
}

/// A one-thread writer on the index in `dir`, for incremental updates (one per index:
/// a second one fails with `LockBusy`).
///
/// # Errors
///
/// When the index cannot be opened or is locked by another writer.
pub fn open_writer(dir: &Path) -> tantivy::Result<(IndexWriter, Fields)> {
    let (index, fields) = super::open(dir)?;
    let writer = index.writer_with_num_threads(1, UPDATE_WRITER_MEMORY)?;
    Ok((writer, fields))
}

/// One published product's document.
#[must_use]
pub fn document(catalogue: &Catalogue, f: &Fields, p: &Product) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.key, super::product_key(&p.id));
    doc.add_text(f.id, &p.id);
    doc.add_text(f.title, &p.title);
    doc.add_text(f.title_exact, &p.title);
    let extra = extra_text(catalogue, p);
    doc.add_text(f.extra, &extra);
    doc.add_text(f.extra_exact, &extra);
    let description = markdown_text(&p.description);
    doc.add_text(f.description, &description);
    doc.add_text(f.description_exact, &description);
    for facet in facets(catalogue, p) {
        doc.add_facet(f.facets, facet);
    }
    doc
}

/// Everything a shopper may type about a product besides its title and description.
#[must_use]
pub fn extra_text(catalogue: &Catalogue, p: &Product) -> String {
    let shop = &catalogue.shops[p.shop];
    let mut parts: Vec<&str> = vec![&shop.name, shop.trade.label()];
    parts.extend(
        catalogue
            .category_trail(p.category)
            .iter()
            .map(|c| c.name.as_str()),
    );
    parts.extend(p.brand.as_deref());
    parts.extend(p.tags.iter().map(String::as_str));
    parts.extend(p.gtin.as_deref());
    for v in &p.variants {
        parts.extend(v.color.as_deref());
        parts.extend(v.size.as_deref());
        parts.extend(v.gtin.as_deref());
    }
    parts.join(" · ")
}

/// The product's facet paths; the aisle as its full path only (never a parent beside it).
fn facets(catalogue: &Catalogue, p: &Product) -> Vec<Facet> {
    let mut aisle = vec!["rayon".to_owned()];
    aisle.extend(
        catalogue
            .category_trail(p.category)
            .iter()
            .map(|c| c.slug.clone()),
    );
    let mut out = vec![
        Facet::from_path(aisle),
        Facet::from_path(["boutique", catalogue.shops[p.shop].slug.as_str()]),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for v in &p.variants {
        if let Some(c) = &v.color {
            seen.insert(("couleur", c.as_str()));
        }
        if let Some(s) = &v.size {
            seen.insert(("taille", s.as_str()));
        }
    }
    out.extend(seen.into_iter().map(|(k, v)| Facet::from_path([k, v])));
    out.extend(
        p.delivery
            .iter()
            .map(|m| Facet::from_path(["mode", m.key()])),
    );
    out
}
