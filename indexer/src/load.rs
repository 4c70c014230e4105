//! Reading `content/` into a validated [`Catalogue`], or the list of every problem.
//!
//! The only I/O of catalogue loading: listing folders, reading files, reading image sizes.
//! Files are parsed by [`crate::parse`] in parallel; checks that span files (duplicate ids,
//! SKUs, slugs and aliases) run last.

use crate::model::{CHARTER_FILE, Catalogue, Charter, DeliveryMode, OFFERS_FILE, Offer, Shop};
use crate::parse::{self, ParsedProduct, ProductContext};
use crate::problem::Problem;
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Picture formats a catalogue may use.
const IMAGE_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// The shop index given to products whose `shop.toml` failed.
pub(crate) const NO_SHOP: usize = usize::MAX;

/// Loads and validates the catalogue in `content`.
///
/// # Errors
///
/// Every problem found in every file, each with its path and line, sorted by path.
pub fn load(content: &Path) -> Result<Catalogue, Vec<Problem>> {
    let mut problems = Vec::new();
    let (town_path, categories_path) = (content.join("town.toml"), content.join("categories.toml"));
    let town = read(&town_path, &mut problems)
        .and_then(|text| keep(parse::parse_town(&town_path, &text), &mut problems));
    let categories = read(&categories_path, &mut problems).and_then(|text| {
        keep(
            parse::parse_categories(&categories_path, &text),
            &mut problems,
        )
    });
    let index: HashMap<String, usize> = categories
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| (c.slug.clone(), i))
        .collect();
    let charter = read_charter(content, &mut problems);
    let offers = read_offers(content, &index, &mut problems);
    let (shops, parsed) = load_shops(content, &index, &mut problems);
    crate::unique::check(content, &shops, &parsed, &mut problems);
    match (town, categories) {
        (Some(town), Some(categories)) if problems.is_empty() => {
            let mut products: Vec<_> = parsed
                .into_iter()
                .map(|p| std::sync::Arc::new(p.product))
                .collect();
            products.sort_by(|a, b| (a.shop, &a.slug).cmp(&(b.shop, &b.slug)));
            let mut catalogue = Catalogue {
                town,
                categories,
                shops,
                products,
                charter: charter.flatten(),
                offers,
            };
            catalogue.apply_charter();
            Ok(catalogue)
        }
        _ => {
            problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            Err(problems)
        }
    }
}

/// The quality charter, when `content/charte.md` exists (`Some(None)`: no charter;
/// `None`: one with problems).
fn read_charter(content: &Path, problems: &mut Vec<Problem>) -> Option<Option<Charter>> {
    let path = content.join(CHARTER_FILE);
    if !path.exists() {
        return Some(None);
    }
    read(&path, problems)
        .and_then(|text| keep(parse::parse_charter(&path, &text), problems))
        .map(Some)
}

/// The offers of `content/offers.toml`; none without the file (or with problems, which
/// are recorded).
fn read_offers(
    content: &Path,
    aisles: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) -> Vec<Offer> {
    let path = content.join(OFFERS_FILE);
    if !path.exists() {
        return Vec::new();
    }
    let aisles = aisles.keys().cloned().collect();
    read(&path, problems)
        .and_then(|text| keep(parse::parse_offers(&path, &text, &aisles), problems))
        .unwrap_or_default()
}

fn keep<T>(result: Result<T, Vec<Problem>>, problems: &mut Vec<Problem>) -> Option<T> {
    result.map_err(|found| problems.extend(found)).ok()
}

fn read(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            let hint = "create it (see docs/catalogue.md) or check the --content folder";
            problems.push(Problem::new(
                path,
                None,
                format!("cannot read the file: {error}"),
                hint,
            ));
            None
        }
    }
}

/// A shop folder, read but not yet validated against the rest.
struct ShopDir {
    slug: String,
    dir: PathBuf,
    images: HashMap<String, (u32, u32)>,
    products: Vec<PathBuf>,
}

fn load_shops(
    content: &Path,
    categories: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) -> (Vec<Shop>, Vec<ParsedProduct>) {
    let dirs = shop_dirs(&content.join("shops"), problems);
    let dirs: Vec<_> = dirs.into_par_iter().map(read_shop_dir).collect();
    let mut shops = Vec::new();
    let mut jobs: Vec<(usize, Vec<DeliveryMode>, ShopDir)> = Vec::new();
    for (dir, mut found) in dirs {
        problems.append(&mut found);
        let path = dir.dir.join("shop.toml");
        let shop = read(&path, problems).and_then(|t| {
            keep(
                parse::parse_shop(&path, &dir.slug, &t, &dir.images),
                problems,
            )
        });
        // A shop that failed still has its products checked, under an index no shop has.
        let (index, delivery) = match &shop {
            Some(shop) => (shops.len(), shop.delivery.clone()),
            None => (NO_SHOP, DeliveryMode::ALL.to_vec()),
        };
        shops.extend(shop);
        jobs.push((index, delivery, dir));
    }
    let parsed: Vec<Result<ParsedProduct, Vec<Problem>>> = jobs
        .par_iter()
        .flat_map_iter(|(shop, delivery, dir)| {
            dir.products
                .iter()
                .map(move |file| (shop, delivery, dir, file))
        })
        .map(|(shop, delivery, dir, file)| {
            parse_product_file(content, file, *shop, delivery, &dir.images, categories)
        })
        .collect();
    let mut products = Vec::new();
    for result in parsed {
        match result {
            Ok(p) => products.push(p),
            Err(found) => problems.extend(found),
        }
    }
    (shops, products)
}

fn shop_dirs(shops: &Path, problems: &mut Vec<Problem>) -> Vec<(String, PathBuf)> {
    let entries = match fs::read_dir(shops) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Problem::new(
                shops,
                None,
                format!("cannot list the shops: {error}"),
                "create content/shops/<shop>/shop.toml",
            ));
            return Vec::new();
        }
    };
    let mut dirs: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    dirs.sort();
    dirs.retain(|(slug, dir)| {
        let ok = crate::slug::is_valid(slug);
        if !ok {
            let hint = format!("rename the folder to \"{}\"", crate::slug::slugify(slug));
            problems.push(Problem::new(
                dir,
                None,
                format!("shop folder {slug:?} is not a valid slug"),
                hint,
            ));
        }
        ok
    });
    dirs
}

fn read_shop_dir((slug, dir): (String, PathBuf)) -> (ShopDir, Vec<Problem>) {
    let mut problems = Vec::new();
    let images = image_sizes(&dir.join("images"), &mut problems);
    let mut products: Vec<PathBuf> = fs::read_dir(dir.join("products"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    products.sort();
    (
        ShopDir {
            slug,
            dir,
            images,
            products,
        },
        problems,
    )
}

/// Reads the size of every picture in a shop's images folder (headers only).
pub fn image_sizes(dir: &Path, problems: &mut Vec<Problem>) -> HashMap<String, (u32, u32)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return HashMap::new();
    };
    let mut sizes = HashMap::new();
    for path in entries.flatten().map(|e| e.path()) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match image::ImageReader::open(&path)
            .and_then(|r| r.with_guessed_format())
            .map(|r| r.into_dimensions())
        {
            Ok(Ok(size)) => {
                sizes.insert(name, size);
            }
            Ok(Err(error)) => problems.push(Problem::new(
                &path,
                None,
                format!("unreadable picture: {error}"),
                "save it again as JPEG, PNG or WebP",
            )),
            Err(error) => problems.push(Problem::new(
                &path,
                None,
                format!("cannot read the picture: {error}"),
                "check the file's permissions",
            )),
        }
    }
    sizes
}

pub(crate) fn parse_product_file(
    content: &Path,
    file: &Path,
    shop: usize,
    delivery: &[DeliveryMode],
    images: &HashMap<String, (u32, u32)>,
    categories: &HashMap<String, usize>,
) -> Result<ParsedProduct, Vec<Problem>> {
    let text = fs::read_to_string(file).map_err(|e| {
        vec![Problem::new(
            file,
            None,
            format!("cannot read the file: {e}"),
            "check it is UTF-8 text",
        )]
    })?;
    let file_slug = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cx = ProductContext {
        shop,
        shop_delivery: delivery,
        categories,
        images,
        modified: modified_date(file),
    };
    let mut parsed = parse::parse_product(file, &file_slug, &text, &cx)?;
    parsed.product.source = file.strip_prefix(content).unwrap_or(file).to_path_buf();
    Ok(parsed)
}

/// The day a file was last modified (UTC), used when it gives no `updated` date.
fn modified_date(file: &Path) -> Date {
    fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map_or(Date::constant(2026, 1, 1), |t| {
            t.to_zoned(jiff::tz::TimeZone::UTC).date()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo town (`content/` at the repository's root) keeps every shop online: each
    /// accepted its charter's current version.
    #[test]
    fn every_demo_shop_accepted_the_current_charter() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let catalogue = load(&content).expect("the demo content is valid");
        let charter = catalogue
            .charter
            .as_ref()
            .expect("the demo town has a charter");
        assert!(!charter.version.is_empty());
        let offline: Vec<&str> = catalogue
            .shops
            .iter()
            .filter(|s| !s.online)
            .map(|s| s.slug.as_str())
            .collect();
        assert_eq!(offline, Vec::<&str>::new());
        assert_eq!(catalogue.published().count(), {
            catalogue.products.iter().filter(|p| p.published).count()
        });
    }
}
