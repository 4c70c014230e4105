//! Aisles ("rayons"): a tree of categories, each product in exactly one.

/// One aisle.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Category {
    /// Unique slug.
    pub slug: String,
    /// Name shown to shoppers.
    pub name: String,
    /// One-sentence description (meta description of the aisle page).
    pub description: String,
    /// Index of the parent aisle in [`super::Catalogue::categories`].
    pub parent: Option<usize>,
}
