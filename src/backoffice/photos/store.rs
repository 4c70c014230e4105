//! Where a product's photos are kept: the pictures in `content/shops/<shop>/images/`,
//! named `<product-slug>-<n>.jpg`, and the product's `images` list, edited through its
//! [`ProductDraft`] so the file is written in the catalogue format.
//!
//! The product is read from its file, not from the live catalogue: a photo added a moment
//! ago is on disk before the live site has applied it. Nothing here writes: each edit
//! returns the [`Changes`] to make, which the handler writes atomically and publishes.

use super::intake::CleanPhoto;
use comptoir_indexer::Catalogue;
use comptoir_indexer::draft::{ImageDraft, ProductDraft};
use comptoir_indexer::model::{Image, Product};
use comptoir_indexer::parse::ProductContext;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Longest alt text kept, in characters: screen readers read it whole, so it should be a
/// sentence, not a description (WAI's alt decision tree suggests short alternatives).
pub const MAX_ALT_CHARS: usize = 200;

/// Longest stem of a picture named after the phone's file.
const MAX_NAME_CHARS: usize = 60;

/// A product's photos as its file says now.
#[derive(Debug, Clone)]
pub struct Gallery {
    /// The product file, relative to `content/`.
    pub file: PathBuf,
    /// The product as parsed from it (pictures with their sizes).
    pub product: Product,
    /// Its draft, to write it back.
    pub draft: ProductDraft,
}

/// Files to write and remove, relative to `content/`, in that order: pictures first, so
/// that the product file never names a picture that is not there yet.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files and their new bytes.
    pub write: Vec<(PathBuf, Vec<u8>)>,
    /// Files to delete afterwards.
    pub remove: Vec<PathBuf>,
}

/// What the merchant asked on the photos page, besides the alt texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Save the alt texts only.
    Save,
    /// Move this picture one place towards the front.
    Up(String),
    /// Move this picture one place towards the back.
    Down(String),
    /// Take this picture off the product.
    Remove(String),
}

/// An edit that cannot be made; the message is French, for the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefusal {
    /// Removing the last picture: the catalogue requires one.
    #[error(
        "Un produit garde au moins une photo : ajoutez la nouvelle photo avant de retirer celle-ci."
    )]
    LastPhoto,
}

/// Why a product's file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is gone or unreadable.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file does not parse (edited by hand since the live site loaded it).
    #[error("{} does not parse: {}", path.display(), problems.join("; "))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each problem, as `path:line: message — hint`.
        problems: Vec<String>,
    },
}

/// Reads `product` (of the live `catalogue`) afresh from its file under `content`.
///
/// # Errors
///
/// When the file cannot be read or no longer parses.
pub fn read(
    content: &Path,
    catalogue: &Catalogue,
    product: &Product,
) -> Result<Gallery, ReadError> {
    let path = content.join(&product.source);
    let text = std::fs::read_to_string(&path).map_err(|source| ReadError::Io {
        path: path.clone(),
        source,
    })?;
    let shop = &catalogue.shops[product.shop];
    let categories: HashMap<String, usize> = (catalogue.categories.iter().enumerate())
        .map(|(i, c)| (c.slug.clone(), i))
        .collect();
    let images =
        comptoir_indexer::load::image_sizes(&images_dir(content, &shop.slug), &mut Vec::new());
    let cx = ProductContext {
        shop: product.shop,
        shop_delivery: &shop.delivery,
        categories: &categories,
        images: &images,
        modified: product.updated,
    };
    let stem = product
        .source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let parsed = comptoir_indexer::parse::parse_product(
        &product.source,
        &stem.unwrap_or_default(),
        &text,
        &cx,
    )
    .map_err(|problems| ReadError::Invalid {
        path: product.source.clone(),
        problems: problems.iter().map(ToString::to_string).collect(),
    })?;
    let mut fresh = parsed.product;
    fresh.source.clone_from(&product.source);
    Ok(Gallery {
        file: product.source.clone(),
        draft: ProductDraft::from_product(&fresh, catalogue),
        product: fresh,
    })
}

/// `content/shops/<shop>/images`.
#[must_use]
pub fn images_dir(content: &Path, shop: &str) -> PathBuf {
    content.join("shops").join(shop).join("images")
}

/// Adds `photos` at the end of the gallery, as `<slug>-<n>.jpg` with the smallest numbers
/// whose stem no file of `existing` (the shop's folder) uses in any format: the build names
/// variants by stem, so `x-1.png` and `x-1.jpg` would share theirs.
#[must_use]
pub fn add(
    gallery: &Gallery,
    shop: &str,
    existing: &HashSet<String>,
    photos: Vec<CleanPhoto>,
    today: jiff::civil::Date,
) -> Changes {
    let taken: HashSet<&str> = existing.iter().map(|f| stem(f)).collect();
    let slug = &gallery.product.slug;
    let mut names = (1..)
        .map(|n| format!("{slug}-{n}"))
        .filter(|s| !taken.contains(s.as_str()));
    let mut draft = gallery.draft.clone();
    let mut changes = Changes::default();
    for (photo, stem) in photos.into_iter().zip(&mut names) {
        let file = format!("{stem}.jpg");
        changes.write.push((
            Path::new("shops").join(shop).join("images").join(&file),
            photo.jpeg,
        ));
        draft.images.push(ImageDraft { file, alt: None });
    }
    draft.updated = Some(today);
    changes
        .write
        .push((gallery.file.clone(), draft.to_file().into_bytes()));
    changes
}

/// Adds `photos` to the shop's folder without giving them to a product (the product form
/// then offers them), each named after its file on the phone (`IMG_0042.JPG` →
/// `img-0042.jpg`), numbered when the stem is taken; returns the changes and the names.
#[must_use]
pub fn add_to_shop(
    shop: &str,
    existing: &HashSet<String>,
    photos: Vec<CleanPhoto>,
) -> (Changes, Vec<String>) {
    let mut taken: HashSet<String> = existing.iter().map(|f| stem(f).to_owned()).collect();
    let mut changes = Changes::default();
    let mut names = Vec::new();
    for photo in photos {
        let slug = comptoir_indexer::slug::slugify(stem(&photo.name));
        let base: String = slug.chars().take(MAX_NAME_CHARS).collect();
        let base = base.trim_end_matches('-');
        let base = if base.is_empty() {
            "photo".to_owned()
        } else {
            base.to_owned()
        };
        let free = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|s| !taken.contains(s))
            .unwrap_or(base);
        let file = format!("{free}.jpg");
        taken.insert(free);
        changes.write.push((
            Path::new("shops").join(shop).join("images").join(&file),
            photo.jpeg,
        ));
        names.push(file);
    }
    (changes, names)
}

/// Applies the alt texts of the form (`alts`, by file name; an empty one falls back to the
/// title) and `edit`; `in_use` tells whether a picture is still used by another product
/// or the shop, in which case removing it from this product keeps the file.
///
/// # Errors
///
/// [`EditRefusal::LastPhoto`] when the edit would leave the product without a picture.
pub fn edit(
    gallery: &Gallery,
    shop: &str,
    alts: &HashMap<String, String>,
    edit: &Edit,
    in_use: impl Fn(&str) -> bool,
    today: jiff::civil::Date,
) -> Result<Changes, EditRefusal> {
    let mut draft = gallery.draft.clone();
    for image in &mut draft.images {
        if let Some(alt) = alts.get(&image.file) {
            image.alt = clean_alt(alt);
        }
    }
    let mut changes = Changes::default();
    let position = |file: &str| draft.images.iter().position(|i| i.file == file);
    match edit {
        Edit::Save => {}
        Edit::Up(file) => {
            if let Some(i) = position(file).filter(|i| *i > 0) {
                draft.images.swap(i - 1, i);
            }
        }
        Edit::Down(file) => {
            if let Some(i) = position(file).filter(|i| i + 1 < draft.images.len()) {
                draft.images.swap(i, i + 1);
            }
        }
        Edit::Remove(file) => {
            if let Some(i) = position(file) {
                if draft.images.len() == 1 {
                    return Err(EditRefusal::LastPhoto);
                }
                draft.images.remove(i);
                if !in_use(file) {
                    changes
                        .remove
                        .push(Path::new("shops").join(shop).join("images").join(file));
                }
            }
        }
    }
    if draft == gallery.draft {
        return Ok(changes);
    }
    draft.updated = Some(today);
    changes
        .write
        .push((gallery.file.clone(), draft.to_file().into_bytes()));
    Ok(changes)
}

/// An alt text as kept: spaces collapsed (a line break would end the TOML string), at
/// most [`MAX_ALT_CHARS`]; `None` when empty.
#[must_use]
pub fn clean_alt(alt: &str) -> Option<String> {
    let words: Vec<&str> = alt.split_whitespace().collect();
    let joined = words.join(" ");
    let kept: String = joined.chars().take(MAX_ALT_CHARS).collect();
    (!kept.is_empty()).then_some(kept)
}

/// Whether `file` of shop `shop` is used by a product other than `product_id` or as the
/// shop's picture, in the live catalogue.
#[must_use]
pub fn used_elsewhere(catalogue: &Catalogue, shop: usize, product_id: &str, file: &str) -> bool {
    let by_shop = catalogue.shops[shop]
        .image
        .as_ref()
        .is_some_and(|i| i.file == file);
    let by_product = catalogue
        .products
        .iter()
        .filter(|p| p.shop == shop && p.id != product_id)
        .any(|p| p.images.iter().any(|i: &Image| i.file == file));
    by_shop || by_product
}

/// The file names in a shop's images folder.
#[must_use]
pub fn existing_files(dir: &Path) -> HashSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    const TODAY: Date = Date::constant(2026, 11, 29);

    fn fixture() -> (PathBuf, Catalogue) {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let catalogue = comptoir_indexer::load::load(&content)
            .unwrap_or_else(|problems| panic!("the fixture does not load: {problems:?}"));
        (content, catalogue)
    }

    fn gallery(id: &str) -> (Catalogue, Gallery) {
        let (content, catalogue) = fixture();
        let product = catalogue.products.iter().find(|p| p.id == id).cloned();
        let product = product.unwrap_or_else(|| panic!("no product {id}"));
        let gallery = read(&content, &catalogue, &product).unwrap_or_else(|e| panic!("{e}"));
        (catalogue, gallery)
    }

    /// The `images = …` line of the product file a change writes.
    fn images_line(changes: &Changes, file: &Path) -> String {
        let written = changes.write.iter().find(|(path, _)| path == file);
        let text = written.map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
        let text = text.unwrap_or_default();
        text.lines()
            .find(|l| l.starts_with("images = "))
            .unwrap_or_default()
            .to_owned()
    }

    fn photo() -> CleanPhoto {
        CleanPhoto {
            name: "IMG_0042.JPG".to_owned(),
            jpeg: vec![0xFF, 0xD8],
            width: 1,
            height: 1,
        }
    }

    #[test]
    fn added_photos_take_free_numbers_after_the_pictures_in_place() {
        let (_, gallery) = gallery("marguerite-pull-marin");
        let existing: HashSet<String> = ["pull.jpg", "pull-marin-1.png", "pull-marin-3.jpg"]
            .map(String::from)
            .into();
        let changes = add(
            &gallery,
            "boutique-marguerite",
            &existing,
            vec![photo(), photo()],
            TODAY,
        );
        let written: Vec<&Path> = changes.write.iter().map(|(p, _)| p.as_path()).collect();
        let images = Path::new("shops/boutique-marguerite/images");
        assert_eq!(
            written,
            [
                &images.join("pull-marin-2.jpg"),
                &images.join("pull-marin-4.jpg"),
                &gallery.file
            ]
        );
        assert_eq!(
            images_line(&changes, &gallery.file),
            r#"images = ["pull.jpg", "pull-dos.jpg", "pull-marin-2.jpg", "pull-marin-4.jpg"]"#
        );
    }

    #[test]
    fn shop_photos_are_named_after_the_phone_files() {
        let existing: HashSet<String> = ["img-0042.png", "photo.jpg"].map(String::from).into();
        let mut unnamed = photo();
        unnamed.name = "%%.jpeg".to_owned();
        let mut tart = photo();
        tart.name = "Tarte aux Pommes.JPG".to_owned();
        let (changes, names) = add_to_shop("b", &existing, vec![photo(), photo(), unnamed, tart]);
        assert_eq!(
            names,
            [
                "img-0042-2.jpg",
                "img-0042-3.jpg",
                "photo-2.jpg",
                "tarte-aux-pommes.jpg"
            ]
        );
        assert_eq!(changes.write.len(), 4);
        assert_eq!(
            changes.write[0].0,
            Path::new("shops/b/images/img-0042-2.jpg")
        );
    }

    #[test]
    fn alt_texts_and_moves_rewrite_the_images_list() {
        let (_, gallery) = gallery("marguerite-pull-marin");
        let alts = HashMap::from([
            (
                "pull-dos.jpg".to_owned(),
                "  Le dos,\n côtes  anglaises ".to_owned(),
            ),
            ("pull.jpg".to_owned(), String::new()),
        ]);
        let up = Edit::Up("pull-dos.jpg".into());
        let changes = edit(
            &gallery,
            "boutique-marguerite",
            &alts,
            &up,
            |_| false,
            TODAY,
        );
        let changes = changes.unwrap_or_default();
        assert_eq!(
            images_line(&changes, &gallery.file),
            r#"images = [{ file = "pull-dos.jpg", alt = "Le dos, côtes anglaises" }, "pull.jpg"]"#
        );
        assert!(changes.remove.is_empty());
        let nothing = edit(
            &gallery,
            "boutique-marguerite",
            &HashMap::new(),
            &Edit::Down("pull-dos.jpg".into()),
            |_| false,
            TODAY,
        );
        assert_eq!(
            nothing,
            Ok(Changes::default()),
            "the last picture stays last"
        );
    }

    #[test]
    fn removing_deletes_the_file_unless_used_elsewhere_and_never_the_last_photo() {
        let (catalogue, gallery) = gallery("marguerite-pull-marin");
        let remove = Edit::Remove("pull.jpg".into());
        let changes = edit(
            &gallery,
            "boutique-marguerite",
            &HashMap::new(),
            &remove,
            |_| false,
            TODAY,
        );
        let changes = changes.unwrap_or_default();
        assert_eq!(
            images_line(&changes, &gallery.file),
            r#"images = ["pull-dos.jpg"]"#
        );
        assert_eq!(
            changes.remove,
            [Path::new("shops/boutique-marguerite/images/pull.jpg")]
        );
        let kept = edit(
            &gallery,
            "boutique-marguerite",
            &HashMap::new(),
            &remove,
            |_| true,
            TODAY,
        );
        assert!(kept.is_ok_and(|c| c.remove.is_empty()));

        let (_, single) = self::gallery("parc-croissant");
        let last = Edit::Remove("croissant.jpg".into());
        let refused = edit(
            &single,
            "boulangerie-du-parc",
            &HashMap::new(),
            &last,
            |_| false,
            TODAY,
        );
        assert_eq!(refused, Err(EditRefusal::LastPhoto));

        let shop = catalogue
            .shops
            .iter()
            .position(|s| s.slug == "boulangerie-du-parc");
        let shop = shop.unwrap_or_default();
        assert!(used_elsewhere(
            &catalogue,
            shop,
            "parc-croissant",
            "devanture.jpg"
        ));
        assert!(!used_elsewhere(
            &catalogue,
            shop,
            "parc-croissant",
            "croissant.jpg"
        ));
    }

    #[test]
    fn alt_texts_are_one_bounded_line() {
        assert_eq!(clean_alt(" \n "), None);
        assert_eq!(clean_alt("a\tb\r\nc").as_deref(), Some("a b c"));
        assert_eq!(
            clean_alt(&"é".repeat(300)).map(|a| a.chars().count()),
            Some(MAX_ALT_CHARS)
        );
    }
}
