//! The product search index (Tantivy): its schema, its French analysers and its build.
//!
//! One document per published product. Each text is indexed twice: stemmed (`fr_stem`)
//! and folded without stemming (`fr_fold`), so a query can tell an exact word from a
//! stemmed match and match typos and prefixes on real words (`bourgone` → `bourgogne`).
//! Texts are split by weight: the title, then `extra` (shop, aisles, brand, tags, colours,
//! sizes, GTINs), then the description. `key` is a hash of the product's id: the server
//! maps it to the product in the catalogue snapshot, where it finds everything else
//! (facets, prices, cards); `id` lets an incremental update replace one document.
//! `facets` holds the product's facet paths (`/rayon/…`, `/boutique/…`, `/couleur/…`,
//! `/taille/…`, `/mode/…`) for tools that read the index alone.

pub mod analysis;
mod tokenizer;
mod write;

/// The search engine, for the server (one version across the workspace).
pub use tantivy;
pub use tokenizer::{FOLD, STEM, register};
pub use write::{document, open_writer, write_index};

use tantivy::schema::{
    FAST, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// The index's folder in a build.
pub const INDEX_DIR: &str = "index";
/// The fast field holding each document's [`product_key`].
pub const KEY_FIELD: &str = "key";

/// A product's key in the index: a stable 64-bit hash of its id.
#[must_use]
pub fn product_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The product's [`product_key`] (fast field): how the server finds a document's
    /// product in the catalogue, whatever its position after incremental updates.
    pub key: Field,
    /// Product id (for deletes and debugging).
    pub id: Field,
    /// Title, stemmed.
    pub title: Field,
    /// Title, folded.
    pub title_exact: Field,
    /// Shop, aisles, brand, tags, colours, sizes, codes, stemmed.
    pub extra: Field,
    /// The same, folded.
    pub extra_exact: Field,
    /// Description as plain text, stemmed.
    pub description: Field,
    /// The same, folded.
    pub description_exact: Field,
    /// Facet paths.
    pub facets: Field,
}

/// Text fields by weight, each as (stemmed, folded).
impl Fields {
    /// The (stemmed, folded) pairs, title first.
    #[must_use]
    pub fn texts(&self) -> [(Field, Field); 3] {
        [
            (self.title, self.title_exact),
            (self.extra, self.extra_exact),
            (self.description, self.description_exact),
        ]
    }
}

/// The schema and its fields.
#[must_use]
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(true),
        )
    };
    let fields = Fields {
        key: builder.add_u64_field(KEY_FIELD, FAST),
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", text(STEM)),
        title_exact: builder.add_text_field("title_exact", text(FOLD)),
        extra: builder.add_text_field("extra", text(STEM)),
        extra_exact: builder.add_text_field("extra_exact", text(FOLD)),
        description: builder.add_text_field("description", text(STEM)),
        description_exact: builder.add_text_field("description_exact", text(FOLD)),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
    };
    (builder.build(), fields)
}

/// Opens the index in `dir` with our analysers registered.
///
/// # Errors
///
/// When the folder holds no readable index.
pub fn open(dir: &std::path::Path) -> tantivy::Result<(tantivy::Index, Fields)> {
    let index = tantivy::Index::open_in_dir(dir)?;
    register(&index);
    let (_, fields) = schema();
    Ok((index, fields))
}
