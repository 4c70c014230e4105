//! Checks that span files: product ids, SKUs, slugs within a shop, and aliases must be
//! unique, and an alias must not hide a real page.

use crate::load::NO_SHOP;
use crate::model::Shop;
use crate::parse::ParsedProduct;
use crate::problem::Problem;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a name was first seen.
type Seen<'a> = HashMap<&'a str, (&'a Path, usize)>;

/// Reports every duplicate among `products`.
pub fn check(
    content: &Path,
    shops: &[Shop],
    products: &[ParsedProduct],
    problems: &mut Vec<Problem>,
) {
    let (mut ids, mut skus, mut aliases): (Seen<'_>, Seen<'_>, Seen<'_>) = Default::default();
    let mut slugs: HashMap<(usize, &str), (&Path, usize)> = HashMap::new();
    let paths: Vec<PathBuf> = products
        .iter()
        .map(|p| content.join(&p.product.source))
        .collect();
    let canonical: HashMap<String, usize> = products
        .iter()
        .enumerate()
        .filter(|(_, p)| p.product.shop != NO_SHOP)
        .map(|(i, p)| {
            (
                format!(
                    "/boutiques/{}/{}/",
                    shops[p.product.shop].slug, p.product.slug
                ),
                i,
            )
        })
        .collect();
    for (parsed, path) in products.iter().zip(&paths) {
        let (product, lines) = (&parsed.product, &parsed.lines);
        let fresh_id = note(&mut ids, &product.id, (path, lines.id), "id", problems);
        if fresh_id && product.variants.is_empty() {
            note(
                &mut skus,
                &product.id,
                (path, lines.id),
                "SKU (the id of a product without variants)",
                problems,
            );
        }
        for (variant, line) in product.variants.iter().zip(&lines.skus) {
            note(&mut skus, &variant.sku, (path, *line), "SKU", problems);
        }
        if product.shop != NO_SHOP
            && let Some(first) = slugs.insert((product.shop, &product.slug), (path, lines.slug))
        {
            problems.push(duplicate("slug", &product.slug, first, (path, lines.slug)));
        }
        for (alias, line) in product.aliases.iter().zip(&lines.aliases) {
            note(&mut aliases, alias, (path, *line), "alias", problems);
            if canonical.contains_key(alias.as_str()) {
                let hint = "remove the alias: that path is a live product page";
                problems.push(Problem::new(
                    path,
                    Some(*line),
                    format!("alias {alias:?} is the path of a product"),
                    hint,
                ));
            }
        }
    }
}

/// Records `name`; reports it and returns false when it was already taken.
fn note<'a>(
    seen: &mut Seen<'a>,
    name: &'a str,
    at: (&'a Path, usize),
    what: &str,
    problems: &mut Vec<Problem>,
) -> bool {
    match seen.insert(name, at) {
        Some(first) => {
            seen.insert(name, first);
            problems.push(duplicate(what, name, first, at));
            false
        }
        None => true,
    }
}

fn duplicate(what: &str, name: &str, first: (&Path, usize), at: (&Path, usize)) -> Problem {
    let message = format!(
        "duplicate {what} {name:?}, already used at {}:{}",
        first.0.display(),
        first.1
    );
    Problem::new(
        at.0,
        Some(at.1),
        message,
        format!("give this product its own {what}"),
    )
}

/// The problems `parsed` would bring into `products` (where it replaces the one at
/// `replacing`, if any): an id, SKU, slug or alias another product already uses.
pub fn check_one(
    content: &Path,
    catalogue: &crate::Catalogue,
    replacing: Option<usize>,
    parsed: &ParsedProduct,
) -> Vec<Problem> {
    let (product, lines) = (&parsed.product, &parsed.lines);
    let path = content.join(&product.source);
    let mut problems = Vec::new();
    let mut taken = |what: &str, name: &str, line: usize, other: &crate::model::Product| {
        let first = content.join(&other.source);
        problems.push(duplicate(what, name, (&first, 1), (&path, line)));
    };
    let my_skus: Vec<(&str, usize)> = if product.variants.is_empty() {
        vec![(product.id.as_str(), lines.id)]
    } else {
        product
            .variants
            .iter()
            .zip(&lines.skus)
            .map(|(v, l)| (v.sku.as_str(), *l))
            .collect()
    };
    let own_path = catalogue.product_path(product);
    for (i, other) in catalogue.products.iter().enumerate() {
        if Some(i) == replacing {
            continue;
        }
        if other.id == product.id {
            taken("id", &product.id, lines.id, other);
        }
        if other.shop == product.shop && other.slug == product.slug {
            taken("slug", &product.slug, lines.slug, other);
        }
        for (sku, line) in &my_skus {
            let used = if other.variants.is_empty() {
                other.id == *sku
            } else {
                other.variants.iter().any(|v| v.sku == *sku)
            };
            if used {
                taken("SKU", sku, *line, other);
            }
        }
        for (alias, line) in product.aliases.iter().zip(&lines.aliases) {
            if other.aliases.contains(alias) {
                taken("alias", alias, *line, other);
            }
        }
        if other.aliases.contains(&own_path) {
            taken(
                "path (an alias of another product)",
                &own_path,
                lines.slug,
                other,
            );
        }
    }
    for (alias, line) in product.aliases.iter().zip(&lines.aliases) {
        if catalogue
            .products
            .iter()
            .enumerate()
            .any(|(i, p)| Some(i) != replacing && catalogue.product_path(p) == *alias)
        {
            problems.push(Problem::new(
                &path,
                Some(*line),
                format!("alias {alias:?} is the path of a product"),
                "remove the alias: that path is a live product page",
            ));
        }
    }
    problems
}
