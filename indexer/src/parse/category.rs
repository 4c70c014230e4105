//! `categories.toml`: the aisle tree.

use super::fields::FileCtx;
use crate::model::Category;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    slug: Spanned<String>,
    name: Spanned<String>,
    description: Spanned<String>,
    parent: Option<Spanned<String>>,
}

/// Parses `categories.toml`; parents must be declared before their children.
///
/// # Errors
///
/// Every problem found, with its line.
pub fn parse_categories(path: &Path, text: &str) -> Result<Vec<Category>, Vec<crate::Problem>> {
    let mut ctx = FileCtx::new(path, text, 0);
    let Some(raw) = ctx.toml::<RawFile>(text, "see docs/catalogue.md") else {
        return Err(ctx.problems);
    };
    let mut categories = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for entry in &raw.category {
        let c = entry.get_ref();
        let (slug, name, description) = (
            ctx.slug(&c.slug, "slug"),
            ctx.text(&c.name, "name"),
            ctx.text(&c.description, "description"),
        );
        let parent = c.parent.as_ref().and_then(|p| parent(&mut ctx, p, &index));
        let (Some(slug), Some(name), Some(description)) = (slug, name, description) else {
            continue;
        };
        if index.contains_key(&slug) {
            ctx.report(
                Some(&c.slug.span()),
                format!("duplicate aisle slug {slug:?}"),
                "give each aisle its own slug",
            );
            continue;
        }
        index.insert(slug.clone(), categories.len());
        categories.push(Category {
            slug,
            name,
            description,
            parent,
        });
    }
    if categories.is_empty() && ctx.problems.is_empty() {
        ctx.report(
            None,
            "no aisle declared",
            "add at least one [[category]] with slug, name and description",
        );
    }
    if ctx.problems.is_empty() {
        Ok(categories)
    } else {
        Err(ctx.problems)
    }
}

fn parent(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<String>,
    index: &HashMap<String, usize>,
) -> Option<usize> {
    let found = index.get(raw.get_ref()).copied();
    if found.is_none() {
        let hint = "use the slug of an aisle declared above this one";
        ctx.report(
            Some(&raw.span()),
            format!("unknown parent aisle {:?}", raw.get_ref()),
            hint,
        );
    }
    found
}
