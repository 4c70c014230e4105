//! What an import will do to the catalogue, decided before anything is written: each
//! imported product becomes a file to create, a file to update (its SKU, id or handle
//! matches a product of the merchant's shop) or nothing (unchanged). A product whose SKU or
//! id belongs to another shop is a row error: another shop's product is never touched.
//! Every file is checked with the indexer's own parser and cross-file uniqueness check.
//! The only I/O: whether a new file's name is already taken on disk (by a file the
//! catalogue refused, which must not be overwritten).

use super::{Imported, ImportedProduct, RowError};
use comptoir_indexer::Catalogue;
use comptoir_indexer::draft::{ProductDraft, VariantDraft, product_file};
use comptoir_indexer::model::Product;
use comptoir_indexer::parse::{ProductContext, parse_product};
use comptoir_indexer::slug::slugify;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What happens to one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new file.
    Create,
    /// An existing product of the shop, changed.
    Update,
    /// An existing product of the shop, already as imported.
    Unchanged,
}

/// One product of the plan.
#[derive(Debug, Clone)]
pub struct Item {
    /// The line where it starts in the file.
    pub line: u64,
    /// What happens.
    pub action: Action,
    /// The product as it will be written.
    pub draft: ProductDraft,
    /// Its file, relative to `content/`.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The aisle's name.
    pub aisle: String,
    /// Pictures the source named, not imported.
    pub images_left: usize,
}

/// The whole import, ready to confirm.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Products, in file order.
    pub items: Vec<Item>,
    /// Row errors of the file and of the plan.
    pub errors: Vec<RowError>,
}

impl Plan {
    /// How many products get `action`.
    #[must_use]
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// Where the plan is made: the catalogue, the shop, the aisle for unmatched categories.
pub struct Target<'a> {
    /// The live catalogue.
    pub catalogue: &'a Catalogue,
    /// The `content/` folder.
    pub content: &'a Path,
    /// The merchant's shop (slug).
    pub shop: &'a str,
    /// The aisle slug given to products whose category matches none of ours.
    pub default_aisle: &'a str,
    /// Today (creation and update dates).
    pub today: Date,
}

/// Plans `imported` into `target`.
#[must_use]
pub fn plan(imported: &Imported, target: &Target<'_>) -> Plan {
    let mut plan = Plan {
        items: Vec::new(),
        errors: imported.errors.clone(),
    };
    let Some(shop) = target
        .catalogue
        .shops
        .iter()
        .position(|s| s.slug == target.shop)
    else {
        plan.errors.push(RowError {
            file: String::new(),
            line: 1,
            field: String::new(),
            reason: "votre boutique n’est pas encore dans le catalogue publié : rien ne peut être importé pour l’instant".into(),
        });
        return plan;
    };
    let mut taken = Taken::default();
    let lookup = Lookup::new(target.catalogue, shop);
    for product in &imported.products {
        match item(product, target, &lookup, &mut taken) {
            Ok(item) => plan.items.push(item),
            Err(error) => plan.errors.push(error),
        }
    }
    plan.errors
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    plan
}

/// Ids, SKUs, file names and existing products already used by earlier rows of the file.
#[derive(Default)]
struct Taken {
    /// Ids and SKUs.
    names: HashSet<String>,
    /// File names (without `.md`) of the files planned.
    stems: HashSet<String>,
    existing: HashSet<usize>,
}

/// A row error about a product.
fn error(product: &ImportedProduct, field: &str, reason: String) -> RowError {
    RowError {
        file: String::new(),
        line: product.line,
        field: field.to_owned(),
        reason,
    }
}

/// Plans one product.
fn item(
    product: &ImportedProduct,
    target: &Target<'_>,
    lookup: &Lookup,
    taken: &mut Taken,
) -> Result<Item, RowError> {
    let shop = lookup.shop;
    let catalogue = target.catalogue;
    let handle_id = format!("{}-{}", target.shop, slugify(&product.handle));
    let id = match (&product.sku, product.variants.is_empty()) {
        (Some(sku), true) => sku.clone(),
        _ => handle_id.clone(),
    };
    let skus = skus(product, &id);
    if let Some(sku) = skus.iter().find(|s| taken.names.contains(*s)) {
        return Err(error(
            product,
            "SKU",
            format!("SKU « {sku} » déjà présent plus haut dans le fichier : produit ignoré"),
        ));
    }
    if let Some((other, sku)) = owner_elsewhere(catalogue, shop, &id, &skus) {
        let name = &catalogue.shops[other.shop].name;
        return Err(error(
            product,
            "SKU",
            format!(
                "« {sku} » appartient déjà à la boutique {name} : produit ignoré, changez ce SKU"
            ),
        ));
    }
    let existing = find_existing(catalogue, shop, product, [&id, &handle_id], &skus);
    if let Some(i) = existing
        && !taken.existing.insert(i)
    {
        return Err(error(
            product,
            "",
            "ce produit apparaît deux fois dans le fichier : la seconde fois est ignorée".into(),
        ));
    }
    let (mut draft, path, action) = match existing {
        Some(i) => updated(product, target, &catalogue.products[i]),
        None => created(product, target, shop, id, &taken.stems),
    };
    // A product goes online with a photo, as the product form requires: one imported
    // without any waits offline for the merchant's photos.
    draft.published &= !draft.images.is_empty();
    let text = draft.to_file();
    validate(target, lookup, existing, &path, &text)
        .map_err(|reason| error(product, "", reason))?;
    taken.names.extend(skus);
    taken.names.insert(draft.id.clone());
    taken.stems.insert(stem(&path));
    let aisle = catalogue
        .categories
        .iter()
        .find(|c| c.slug == draft.category)
        .map_or_else(String::new, |c| c.name.clone());
    Ok(Item {
        line: product.line,
        action,
        draft,
        path,
        text,
        aisle,
        images_left: product.images,
    })
}

/// The SKUs a product will be sold under: its variants', or its id.
fn skus(product: &ImportedProduct, id: &str) -> Vec<String> {
    if product.variants.is_empty() {
        vec![id.to_owned()]
    } else {
        product.variants.iter().map(|v| v.sku.clone()).collect()
    }
}

/// The SKUs of a catalogue product.
fn product_skus(p: &Product) -> Vec<&str> {
    if p.variants.is_empty() {
        vec![p.id.as_str()]
    } else {
        p.variants.iter().map(|v| v.sku.as_str()).collect()
    }
}

/// A product of another shop using `id` or one of `skus`, with the name it uses.
fn owner_elsewhere<'a>(
    catalogue: &'a Catalogue,
    shop: usize,
    id: &str,
    skus: &[String],
) -> Option<(&'a Product, String)> {
    catalogue
        .products
        .iter()
        .filter(|p| p.shop != shop)
        .find_map(|p| {
            let theirs = product_skus(p);
            let clash = std::iter::once(id)
                .chain(skus.iter().map(String::as_str))
                .find(|s| *s == p.id || theirs.contains(s));
            clash.map(|s| (p.as_ref(), s.to_owned()))
        })
}

/// The shop's product this import row updates: same id, a shared SKU, or same slug.
fn find_existing(
    catalogue: &Catalogue,
    shop: usize,
    product: &ImportedProduct,
    ids: [&String; 2],
    skus: &[String],
) -> Option<usize> {
    let slug = slugify(&product.handle);
    catalogue.products.iter().position(|p| {
        p.shop == shop
            && (ids.contains(&&p.id)
                || product_skus(p).iter().any(|s| skus.iter().any(|k| k == s))
                || p.slug == slug)
    })
}

/// The file stem of a path.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The aisle for an imported category: ours with the same slug or name, else the default.
fn aisle(catalogue: &Catalogue, category: Option<&str>, default: &str) -> String {
    let wanted = category.map(slugify).unwrap_or_default();
    catalogue
        .categories
        .iter()
        .find(|c| !wanted.is_empty() && (c.slug == wanted || slugify(&c.name) == wanted))
        .map_or_else(|| default.to_owned(), |c| c.slug.clone())
}

/// The variants as the catalogue writes them.
fn variants(product: &ImportedProduct) -> Vec<VariantDraft> {
    product
        .variants
        .iter()
        .map(|v| VariantDraft {
            sku: v.sku.clone(),
            color: v.color.clone(),
            size: v.size.clone(),
            price: v.price,
            stock: v.stock,
            gtin: v.gtin.clone(),
        })
        .collect()
}

/// A new product's draft and file: named after its handle, or the handle with a number
/// when a product of the shop (or an earlier row) already has that name.
fn created(
    product: &ImportedProduct,
    target: &Target<'_>,
    shop: usize,
    id: String,
    stems: &HashSet<String>,
) -> (ProductDraft, PathBuf, Action) {
    let base = match slugify(&product.handle) {
        s if s.is_empty() => slugify(&product.title),
        s => s,
    };
    let stem = free_stem(target, shop, &base, stems);
    let draft = ProductDraft {
        id,
        title: product.title.clone(),
        price: product.price,
        category: aisle(
            target.catalogue,
            product.category.as_deref(),
            target.default_aisle,
        ),
        tags: product.tags.clone(),
        brand: product.brand.clone(),
        gtin: product.gtin.clone(),
        weight: product.weight,
        stock: product.stock,
        published: product.published,
        created: Some(target.today),
        updated: Some(target.today),
        variants: variants(product),
        description: product.description.clone(),
        ..ProductDraft::default()
    };
    let path = relative(target, &stem);
    (draft, path, Action::Create)
}

/// `base`, or `base-2`, `base-3`…: the first name no product of the shop, no earlier row
/// and no file on disk (one the catalogue refused, say) has.
fn free_stem(target: &Target<'_>, shop: usize, base: &str, stems: &HashSet<String>) -> String {
    let used = |name: &str| {
        stems.contains(name)
            || target.content.join(relative(target, name)).exists()
            || target
                .catalogue
                .products
                .iter()
                .any(|p| p.shop == shop && p.slug == name)
    };
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !used(name))
        .unwrap_or_else(|| base.to_owned())
}

/// An existing product with the imported fields. An import adds and changes, never
/// erases: a field the file leaves empty keeps its value, variants the file does not name
/// are kept, and so are the aisle, pictures, sale, delivery modes, dates and aliases.
fn updated(
    product: &ImportedProduct,
    target: &Target<'_>,
    existing: &Product,
) -> (ProductDraft, PathBuf, Action) {
    let before = ProductDraft::from_product(existing, target.catalogue);
    let mut after = before.clone();
    after.title.clone_from(&product.title);
    after.price = product.price;
    after.stock = product.stock;
    after.published = product.published;
    if !product.description.is_empty() {
        after.description.clone_from(&product.description);
    }
    if !product.tags.is_empty() {
        after.tags.clone_from(&product.tags);
    }
    after.brand = product.brand.clone().or(after.brand);
    after.gtin = product.gtin.clone().or(after.gtin);
    if product.weight > 0 {
        after.weight = product.weight;
    }
    let mut merged = variants(product);
    let named: HashSet<String> = merged.iter().map(|v| v.sku.clone()).collect();
    merged.extend(
        before
            .variants
            .iter()
            .filter(|v| !named.contains(&v.sku))
            .cloned(),
    );
    after.variants = merged;
    after.sale = after.sale.filter(|s| s.price < after.price);
    let action = if after == before {
        Action::Unchanged
    } else {
        after.updated = Some(target.today);
        Action::Update
    };
    (after, existing.source.clone(), action)
}

/// `shops/<shop>/products/<stem>.md`.
fn relative(target: &Target<'_>, stem: &str) -> PathBuf {
    product_file(Path::new(""), target.shop, stem)
}

/// What the parser needs to know of the catalogue, computed once per plan.
struct Lookup {
    /// The shop's index.
    shop: usize,
    /// Aisle slugs and their indexes.
    categories: HashMap<String, usize>,
    /// The shop's pictures (the ones its products use) and their sizes.
    images: HashMap<String, (u32, u32)>,
}

impl Lookup {
    fn new(catalogue: &Catalogue, shop: usize) -> Self {
        Self {
            shop,
            categories: catalogue
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.slug.clone(), i))
                .collect(),
            images: catalogue
                .products
                .iter()
                .filter(|p| p.shop == shop)
                .flat_map(|p| p.images.iter())
                .map(|i| (i.file.clone(), (i.width, i.height)))
                .collect(),
        }
    }
}

/// The French for the indexer's problems an import can meet (matched by their start);
/// others are shown as the indexer words them.
fn french(message: &str) -> &str {
    const KNOWN: [(&str, &str); 8] = [
        ("title is empty", "titre vide"),
        ("id is empty", "identifiant vide"),
        ("sku is empty", "SKU de déclinaison vide"),
        (
            "a variant needs a color or a size",
            "déclinaison sans couleur ni taille",
        ),
        ("duplicate SKU", "SKU déjà utilisé par un autre produit"),
        (
            "duplicate id",
            "identifiant déjà utilisé par un autre produit",
        ),
        (
            "duplicate slug",
            "adresse déjà utilisée par un autre produit de la boutique",
        ),
        ("bad GTIN", "code-barres invalide"),
    ];
    KNOWN
        .iter()
        .find(|(start, _)| message.starts_with(start))
        .map_or(message, |(_, french)| french)
}

/// Checks a file's text as `comptoir build` would, and against the rest of the catalogue.
fn validate(
    target: &Target<'_>,
    lookup: &Lookup,
    replacing: Option<usize>,
    path: &Path,
    text: &str,
) -> Result<(), String> {
    let catalogue = target.catalogue;
    let cx = ProductContext {
        shop: lookup.shop,
        shop_delivery: &catalogue.shops[lookup.shop].delivery,
        categories: &lookup.categories,
        images: &lookup.images,
        modified: target.today,
    };
    let refused = |problems: Vec<comptoir_indexer::Problem>| {
        let messages: Vec<&str> = problems.iter().map(|p| french(&p.message)).collect();
        format!(
            "le produit serait refusé par le catalogue ({}) : il est ignoré",
            messages.join(" ; ")
        )
    };
    let parsed = parse_product(path, &stem(path), text, &cx).map_err(refused)?;
    let problems =
        comptoir_indexer::unique::check_one(target.content, catalogue, replacing, &parsed);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(refused(problems))
    }
}

#[cfg(test)]
mod tests;
