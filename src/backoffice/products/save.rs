//! Turning a checked draft into a product file: the id, file name and slug of a new
//! product, the alias kept when a slug changes, and the last check of the written text by
//! the indexer's parser and cross-file checks, whose problems come back as French messages
//! next to the form's fields.
//!
//! Writing the file and telling the live publisher is the handler's job
//! (`backoffice::content`); nothing here touches the disk but to see which names are free.

use super::files::{Found, ShopFiles};
use super::form::{Errors, GENERAL};
use comptoir_indexer::draft::ProductDraft;
use comptoir_indexer::problem::Problem;
use comptoir_indexer::slug;
use std::path::PathBuf;

/// A product file ready to be written.
#[derive(Debug)]
pub struct Ready {
    /// Its path, relative to `content/`.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The product's id.
    pub id: String,
    /// The draft it was written from.
    pub draft: ProductDraft,
}

/// The file of a new product: a free file name from `wanted` (the slug field, else the
/// title), the id `<shop>-<file name>` made unique, created and updated today.
///
/// # Errors
///
/// French messages by field, from the slug or from the indexer's checks.
pub fn create(files: &ShopFiles, mut draft: ProductDraft, wanted: &str) -> Result<Ready, Errors> {
    let base = if wanted.trim().is_empty() {
        slug::slugify(&draft.title)
    } else {
        checked_slug(wanted)?
    };
    if base.is_empty() {
        return Err(one(
            "title",
            "Le nom doit contenir au moins une lettre ou un chiffre.",
        ));
    }
    let stems = files.stems();
    let taken_slug =
        |s: &str| stems.iter().any(|t| t == s) || files.live_products().any(|p| p.slug == s);
    let stem = free_name(&base, taken_slug);
    let taken_id = |id: &str| files.catalogue.products.iter().any(|p| p.id == id);
    draft.id = free_name(&format!("{}-{stem}", files.slug()), taken_id);
    draft.slug = None;
    let today = crate::config::today();
    draft.created = Some(today);
    draft.updated = Some(today);
    finish(files, draft, &stem)
}

/// The new text of an existing product's file (which keeps its name). A new slug keeps
/// the old page's path as an alias, so old links answer with a 301.
///
/// # Errors
///
/// French messages by field, from the slug or from the indexer's checks.
pub fn update(
    files: &ShopFiles,
    found: &Found,
    mut draft: ProductDraft,
    wanted: &str,
) -> Result<Ready, Errors> {
    let old = &found.product.slug;
    let new = if wanted.trim().is_empty() {
        old.clone()
    } else {
        checked_slug(wanted)?
    };
    let path_of = |s: &str| format!("/boutiques/{}/{s}/", files.slug());
    if &new != old {
        let old_path = path_of(old);
        if !draft.aliases.contains(&old_path) {
            draft.aliases.push(old_path);
        }
    }
    // Back to an earlier slug: its path is the page again, no longer an alias.
    draft.aliases.retain(|a| *a != path_of(&new));
    draft.id.clone_from(&found.product.id);
    draft.slug = (new != found.stem).then_some(new);
    draft.updated = Some(crate::config::today());
    finish(files, draft, &found.stem)
}

/// The photo a product needs to go online (as the form says it: see `form::images`).
pub const PHOTO_TO_PUBLISH: &str = "Pour mettre ce produit en ligne, choisissez au moins une photo (ajoutez-en depuis la page Photos de la boutique).";

/// Writes the draft's text and checks it as the indexer will, and that a product online
/// has a photo (the indexer takes one without, as an import writes it offline).
fn finish(files: &ShopFiles, draft: ProductDraft, stem: &str) -> Result<Ready, Errors> {
    if draft.published && draft.images.is_empty() {
        return Err(one("images", PHOTO_TO_PUBLISH));
    }
    let text = draft.to_file();
    let problems = match files.parse(stem, &text) {
        Ok(parsed) => files.clashes(&parsed),
        Err(problems) => problems,
    };
    if !problems.is_empty() {
        return Err(problems
            .iter()
            .map(|p| (field_of(&text, p), french(p)))
            .map(|(field, message)| match field.as_str() {
                // A slug taken from the file name is reported on the `+++` line.
                GENERAL if message.contains("adresse") => ("slug".to_owned(), message),
                _ => (field, message),
            })
            .collect());
    }
    Ok(Ready {
        path: files.relative(stem),
        text,
        id: draft.id.clone(),
        draft,
    })
}

fn checked_slug(wanted: &str) -> Result<String, Errors> {
    let wanted = wanted.trim();
    if slug::is_valid(wanted) {
        return Ok(wanted.to_owned());
    }
    let message = format!(
        "L’adresse ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets, par exemple « {} ».",
        slug::slugify(wanted)
    );
    Err(one("slug", &message))
}

/// `base`, else `base-2`, `base-3`… the first that `taken` refuses.
fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

fn one(field: &str, message: &str) -> Errors {
    Errors::from([(field.to_owned(), message.to_owned())])
}

/// The form field a problem's line is about: the key on that line, within `[sale]` or the
/// n-th `[[variants]]` table.
fn field_of(text: &str, problem: &Problem) -> String {
    let Some(line) = problem.line else {
        return GENERAL.to_owned();
    };
    let mut table = String::new();
    let mut variants = 0;
    for (n, current) in text.lines().enumerate().take(line) {
        let current = current.trim();
        if current == "[sale]" {
            table = "sale_".to_owned();
        } else if current == "[[variants]]" {
            table = format!("v{variants}_");
            variants += 1;
        } else if n + 1 == line
            && let Some((key, _)) = current.split_once(" = ")
        {
            return form_field(&table, key);
        }
    }
    GENERAL.to_owned()
}

/// A file key as the form names it.
fn form_field(table: &str, key: &str) -> String {
    match (table, key) {
        ("", "id" | "aliases") => "slug".to_owned(),
        ("sale_", "price" | "from" | "until") => format!("sale_{key}"),
        ("", key) => key.to_owned(),
        (variant, key) => format!("{variant}{key}"),
    }
}

/// The problem as the merchant reads it, in French.
fn french(problem: &Problem) -> String {
    let message = problem.message.as_str();
    let known = [
        (
            "duplicate SKU",
            "Cette référence (SKU) est déjà celle d’un autre produit : choisissez-en une autre.",
        ),
        (
            "duplicate slug",
            "Cette adresse est déjà celle d’un autre produit de la boutique : choisissez-en une autre.",
        ),
        (
            "duplicate path",
            "Cette adresse mène déjà à un autre produit : choisissez-en une autre.",
        ),
        (
            "duplicate id",
            "Un autre produit porte déjà cet identifiant.",
        ),
        (
            "duplicate alias",
            "Une ancienne adresse de ce produit est déjà celle d’un autre produit.",
        ),
        (
            "alias ",
            "Une ancienne adresse de ce produit est aujourd’hui celle d’un autre produit.",
        ),
        ("no image", "Choisissez au moins une photo."),
        (
            "delivery mode",
            "Ce mode de livraison n’est pas proposé par la boutique.",
        ),
    ];
    known
        .iter()
        .find(|(start, _)| message.starts_with(start))
        .map_or_else(
            || {
                format!(
                    "Le catalogue refuse cette valeur ({message} — {}).",
                    problem.hint
                )
            },
            |(_, french)| (*french).to_owned(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const TEXT: &str = "+++\nid = \"a\"\ntitle = \"T\"\nprice = \"2.00\"\n\n[sale]\nprice = \"3.00\"\n\n[[variants]]\nsku = \"A\"\n\n[[variants]]\nsku = \"B\"\nstock = 1\n+++\n";

    fn at(line: usize, message: &str) -> Problem {
        Problem::new(Path::new("x.md"), Some(line), message, "")
    }

    #[test]
    fn problems_land_on_the_field_of_their_line() {
        let cases = [
            (3, "title"),
            (2, "slug"),
            (7, "sale_price"),
            (10, "v0_sku"),
            (13, "v1_sku"),
            (14, "v1_stock"),
        ];
        for (line, field) in cases {
            assert_eq!(field_of(TEXT, &at(line, "bad")), field, "line {line}");
        }
        let nowhere = Problem::new(Path::new("x.md"), None, "m", "h");
        assert_eq!(field_of(TEXT, &nowhere), GENERAL);
    }

    #[test]
    fn problems_are_said_in_french() {
        let said = french(&at(1, "duplicate SKU \"A\", already used at x.md:3"));
        assert!(said.contains("déjà celle d’un autre produit"), "{said}");
        assert!(french(&at(1, "something new")).starts_with("Le catalogue refuse"));
    }

    #[test]
    fn free_names_count_up() {
        let taken = ["pull", "pull-2"];
        assert_eq!(free_name("pull", |n| taken.contains(&n)), "pull-3");
        assert_eq!(free_name("gilet", |n| taken.contains(&n)), "gilet");
    }

    /// The valid fixture copied to a temp folder, opened as boutique-marguerite's files.
    fn fixture() -> (tempfile::TempDir, ShopFiles) {
        let dir = tempfile::tempdir().expect("temp dir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        copy(&fixture, dir.path());
        let catalogue = comptoir_indexer::load::load(dir.path()).expect("the fixture loads");
        let files = ShopFiles::open(
            dir.path(),
            std::sync::Arc::new(catalogue),
            "boutique-marguerite",
        )
        .expect("the shop");
        (dir, files)
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }

    fn cardigan() -> ProductDraft {
        ProductDraft {
            title: "Gilet torsadé".to_owned(),
            price: comptoir_indexer::Money::from_cents(8_900),
            category: "vetements".to_owned(),
            weight: 500,
            stock: 4,
            images: vec![comptoir_indexer::draft::ImageDraft {
                file: "pull.jpg".to_owned(),
                alt: None,
            }],
            published: true,
            ..ProductDraft::default()
        }
    }

    #[test]
    fn a_new_product_gets_a_free_file_name_and_id() {
        let (dir, files) = fixture();
        let first = create(&files, cardigan(), "").expect("valid");
        assert_eq!(
            first.path,
            Path::new("shops/boutique-marguerite/products/gilet-torsade.md")
        );
        assert_eq!(first.id, "boutique-marguerite-gilet-torsade");
        std::fs::write(dir.path().join(&first.path), &first.text).expect("write");
        let second = create(&files, cardigan(), "").expect("valid");
        assert_eq!(
            second.path,
            Path::new("shops/boutique-marguerite/products/gilet-torsade-2.md")
        );
        let taken = create(&files, cardigan(), "pull-marin").expect("valid");
        assert_eq!(
            taken.path,
            Path::new("shops/boutique-marguerite/products/pull-marin-2.md")
        );
        assert!(comptoir_indexer::load::load(dir.path()).is_ok());
    }

    #[test]
    fn a_new_slug_keeps_the_old_path_as_an_alias_and_back_again() {
        let (_dir, files) = fixture();
        let found = files.find("marguerite-pull-marin").expect("the pull");
        let moved = update(
            &files,
            &found,
            files.draft(&found, &Default::default()),
            "pull-breton",
        )
        .expect("valid");
        assert!(
            moved.text.contains("slug = \"pull-breton\"\n"),
            "{}",
            moved.text
        );
        assert_eq!(
            moved.draft.aliases,
            ["/boutiques/boutique-marguerite/pull-marin/"]
        );
        let back = update(&files, &found, moved.draft, "pull-marin").expect("valid");
        assert_eq!(back.draft.slug, None);
        assert!(back.draft.aliases.is_empty(), "{:?}", back.draft.aliases);
    }

    #[test]
    fn clashes_with_other_products_come_back_on_their_field() {
        let (_dir, files) = fixture();
        let found = files.find("marguerite-pull-marin").expect("the pull");
        let mut draft = files.draft(&found, &Default::default());
        draft.variants[1].sku = "ECHARPE-ROUGE".to_owned();
        let errors = update(&files, &found, draft, "").expect_err("a taken SKU");
        assert!(errors["v1_sku"].contains("autre produit"), "{errors:?}");
        let errors = update(
            &files,
            &found,
            files.draft(&found, &Default::default()),
            "echarpe-laine",
        )
        .expect_err("a taken slug");
        assert!(errors.contains_key("slug"), "{errors:?}");
    }

    #[test]
    fn another_shops_products_are_not_found() {
        let (_dir, files) = fixture();
        assert!(files.find("parc-baguette-tradition").is_none());
        assert!(files.find("marguerite-echarpe").is_some());
    }

    #[test]
    fn bad_slugs_are_refused_with_a_suggestion() {
        let errors = checked_slug("Pull Marin").expect_err("not a slug");
        assert!(errors["slug"].contains("« pull-marin »"), "{errors:?}");
        assert_eq!(checked_slug(" pull-marin "), Ok("pull-marin".to_owned()));
    }
}
