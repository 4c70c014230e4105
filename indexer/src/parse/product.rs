//! `shops/<shop>/products/<product>.md`: TOML front matter between `+++` lines, then the
//! Markdown description.

use super::fields::{FileCtx, RawAmount};
use super::shop::{delivery_modes, image_at};
use crate::model::{DeliveryMode, Product, Sale, Variant};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    id: Spanned<String>,
    title: Spanned<String>,
    slug: Option<Spanned<String>>,
    price: Spanned<RawAmount>,
    category: Spanned<String>,
    #[serde(default)]
    tags: Vec<String>,
    brand: Option<String>,
    gtin: Option<Spanned<String>>,
    weight: u32,
    #[serde(default)]
    stock: u32,
    images: Spanned<Vec<Spanned<RawImage>>>,
    delivery: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default = "yes")]
    published: bool,
    created: Option<Spanned<toml::value::Datetime>>,
    updated: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    sale: Option<Spanned<RawSale>>,
    #[serde(default)]
    variants: Vec<Spanned<RawVariant>>,
}

const fn yes() -> bool {
    true
}

/// One entry of `images`: a file name, or `{ file = "…", alt = "…" }` with a text
/// alternative.
struct RawImage {
    file: String,
    alt: Option<String>,
}

impl<'de> Deserialize<'de> for RawImage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawImageVisitor)
    }
}

/// The inline-table form of an image, with the same strictness as the rest of the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImageTable {
    file: String,
    alt: Option<String>,
}

struct RawImageVisitor;

impl<'de> serde::de::Visitor<'de> for RawImageVisitor {
    type Value = RawImage;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(r#"a file name or a table { file = "photo.jpg", alt = "what it shows" }"#)
    }

    fn visit_str<E: serde::de::Error>(self, file: &str) -> Result<RawImage, E> {
        Ok(RawImage {
            file: file.to_owned(),
            alt: None,
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawImage, A::Error> {
        let table = RawImageTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(RawImage {
            file: table.file,
            alt: table.alt,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSale {
    price: Spanned<RawAmount>,
    from: Spanned<toml::value::Datetime>,
    until: Spanned<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    sku: Spanned<String>,
    color: Option<String>,
    size: Option<String>,
    price: Option<Spanned<RawAmount>>,
    #[serde(default)]
    stock: u32,
    gtin: Option<Spanned<String>>,
}

/// What a product file is checked against: the rest of the catalogue.
pub struct ProductContext<'a> {
    /// Index of the product's shop.
    pub shop: usize,
    /// The shop's delivery modes.
    pub shop_delivery: &'a [DeliveryMode],
    /// Aisle slugs and their indexes.
    pub categories: &'a HashMap<String, usize>,
    /// Pictures in the shop's folder and their sizes.
    pub images: &'a HashMap<String, (u32, u32)>,
    /// Date used when the file gives no `updated` (its modification date).
    pub modified: Date,
}

/// Parses one product file. `file_slug` is its name without `.md`; `path` is relative to
/// `content/`.
///
/// # Errors
///
/// Every problem found in the file, with its line.
pub fn parse_product(
    path: &Path,
    file_slug: &str,
    text: &str,
    cx: &ProductContext<'_>,
) -> Result<ParsedProduct, Vec<crate::Problem>> {
    let Some((front, body, offset)) = split_front_matter(text) else {
        let mut ctx = FileCtx::new(path, text, 0);
        ctx.report(
            None,
            "no front matter",
            "start the file with a line +++, the TOML fields, then another +++ line",
        );
        return Err(ctx.problems);
    };
    let mut ctx = FileCtx::new(path, front, offset);
    let product = ctx
        .toml::<RawProduct>(front, "see docs/catalogue.md")
        .and_then(|raw| {
            let lines = Lines {
                id: ctx.line(&raw.id.span()),
                slug: raw.slug.as_ref().map_or(1, |s| ctx.line(&s.span())),
                skus: raw
                    .variants
                    .iter()
                    .map(|v| ctx.line(&v.get_ref().sku.span()))
                    .collect(),
                aliases: raw.aliases.iter().map(|a| ctx.line(&a.span())).collect(),
            };
            convert(&mut ctx, raw, file_slug, body, cx)
                .map(|product| ParsedProduct { product, lines })
        });
    match product {
        Some(product) if ctx.problems.is_empty() => Ok(product),
        _ => Err(ctx.problems),
    }
}

/// A product and the lines of the fields that cross-file checks report on.
#[derive(Debug)]
pub struct ParsedProduct {
    /// The product.
    pub product: Product,
    /// Where its identifiers are written.
    pub lines: Lines,
}

/// Line numbers of a product's identifiers, for duplicate reports.
#[derive(Debug, Default)]
pub struct Lines {
    /// `id`.
    pub id: usize,
    /// `slug` (line 1 when the file name is the slug).
    pub slug: usize,
    /// Each variant's `sku`.
    pub skus: Vec<usize>,
    /// Each alias.
    pub aliases: Vec<usize>,
}

/// Splits `+++\n<toml>+++\n<markdown>`; returns the TOML, the body and the TOML's line offset.
pub(super) fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\r\n")
        .or_else(|| text.strip_prefix("+++\n"))?;
    let mut position = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..position], &rest[position + line.len()..], 1));
        }
        position += line.len();
    }
    None
}

fn convert(
    ctx: &mut FileCtx<'_>,
    raw: RawProduct,
    file_slug: &str,
    body: &str,
    cx: &ProductContext<'_>,
) -> Option<Product> {
    let id = ctx.text(&raw.id, "id");
    let slug = match &raw.slug {
        Some(s) => ctx.slug(s, "slug"),
        None => file_slug_checked(ctx, file_slug),
    };
    let price = ctx.money(&raw.price, "price");
    let category = category(ctx, &raw.category, cx.categories);
    let images = images(ctx, &raw.images, cx.images);
    let delivery = match &raw.delivery {
        Some(d) => restricted_modes(ctx, d, cx.shop_delivery),
        None => Some(cx.shop_delivery.to_vec()),
    };
    let gtin = raw.gtin.as_ref().map(|g| ctx.gtin(g));
    let created = raw.created.as_ref().map(|d| ctx.date(d, "created"));
    let updated = raw.updated.as_ref().map(|d| ctx.date(d, "updated"));
    let sale = raw.sale.as_ref().map(|s| sale(ctx, s, price));
    let variants = variants(ctx, &raw.variants);
    aliases(ctx, &raw.aliases);
    let title = ctx.text(&raw.title, "title");
    Some(Product {
        id: id?,
        slug: slug?,
        shop: cx.shop,
        title: title?,
        description: body.trim().to_owned(),
        price: price?,
        sale: sale.flatten(),
        category: category?,
        tags: raw
            .tags
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        brand: raw.brand.filter(|b| !b.trim().is_empty()),
        gtin: gtin.flatten(),
        weight: raw.weight,
        stock: raw.stock,
        images: images?,
        delivery: delivery?,
        published: raw.published,
        created: created.flatten(),
        updated: updated.flatten().unwrap_or(cx.modified),
        aliases: raw.aliases.into_iter().map(Spanned::into_inner).collect(),
        variants: variants?,
        source: ctx.path().to_path_buf(),
    })
}

fn file_slug_checked(ctx: &mut FileCtx<'_>, file_slug: &str) -> Option<String> {
    if crate::slug::is_valid(file_slug) {
        return Some(file_slug.to_owned());
    }
    let hint = format!(
        "rename the file {}.md or add slug = \"{}\"",
        crate::slug::slugify(file_slug),
        crate::slug::slugify(file_slug)
    );
    ctx.report(
        None,
        format!("the file name {file_slug:?} is not a valid slug"),
        hint,
    );
    None
}

fn category(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<String>,
    categories: &HashMap<String, usize>,
) -> Option<usize> {
    let found = categories.get(raw.get_ref()).copied();
    if found.is_none() {
        let mut known: Vec<&String> = categories.keys().collect();
        known.sort_by_key(|k| strsim_distance(k, raw.get_ref()));
        let hint = match known.first() {
            Some(best) => {
                format!("use an aisle slug from categories.toml, e.g. category = \"{best}\"")
            }
            None => "declare the aisle in categories.toml".to_owned(),
        };
        ctx.report(
            Some(&raw.span()),
            format!("unknown category {:?}", raw.get_ref()),
            hint,
        );
    }
    found
}

/// A cheap edit distance, only used to suggest the closest known name.
fn strsim_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

fn images(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<Vec<Spanned<RawImage>>>,
    known: &HashMap<String, (u32, u32)>,
) -> Option<Vec<crate::model::Image>> {
    let found: Vec<_> = raw.get_ref().iter().map(|i| image(ctx, i, known)).collect();
    found.into_iter().collect()
}

/// One picture of the product: found in the shop's folder, with its alt text if any.
fn image(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<RawImage>,
    known: &HashMap<String, (u32, u32)>,
) -> Option<crate::model::Image> {
    let entry = raw.get_ref();
    let alt = match entry.alt.as_deref().map(str::trim) {
        Some("") => {
            let hint = "describe what the picture shows, or write the file name alone";
            ctx.report(Some(&raw.span()), "the image's alt is empty", hint);
            return None;
        }
        alt => alt.map(str::to_owned),
    };
    let image = image_at(ctx, &entry.file, &raw.span(), known)?;
    Some(crate::model::Image { alt, ..image })
}

fn restricted_modes(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<Vec<Spanned<String>>>,
    shop: &[DeliveryMode],
) -> Option<Vec<DeliveryMode>> {
    let modes = delivery_modes(ctx, raw)?;
    if let Some(extra) = modes.iter().find(|m| !shop.contains(m)) {
        let offered: Vec<&str> = shop.iter().map(|m| m.key()).collect();
        let hint = format!("the shop offers only: {}", offered.join(", "));
        ctx.report(
            Some(&raw.span()),
            format!("delivery mode {:?} is not offered by the shop", extra.key()),
            hint,
        );
        return None;
    }
    Some(modes)
}

fn sale(
    ctx: &mut FileCtx<'_>,
    raw: &Spanned<RawSale>,
    price: Option<crate::Money>,
) -> Option<Sale> {
    let s = raw.get_ref();
    let sale_price = ctx.money(&s.price, "price")?;
    let (from, until) = (ctx.date(&s.from, "from")?, ctx.date(&s.until, "until")?);
    if from > until {
        ctx.report(
            Some(&s.until.span()),
            "the sale ends before it starts",
            "make until the same day as from or later",
        );
        return None;
    }
    if price.is_some_and(|p| sale_price >= p) {
        let hint = "a sale price must be below the regular price; lower it or remove [sale]";
        ctx.report(
            Some(&s.price.span()),
            "sale price is not below the price",
            hint,
        );
        return None;
    }
    Some(Sale {
        price: sale_price,
        from,
        until,
    })
}

fn variants(ctx: &mut FileCtx<'_>, raw: &[Spanned<RawVariant>]) -> Option<Vec<Variant>> {
    let mut variants = Vec::new();
    let mut ok = true;
    for entry in raw {
        let v = entry.get_ref();
        let sku = ctx.text(&v.sku, "sku");
        let price = v.price.as_ref().map(|p| ctx.money(p, "price"));
        let gtin = v.gtin.as_ref().map(|g| ctx.gtin(g));
        if v.color.is_none() && v.size.is_none() {
            ctx.report(
                Some(&entry.span()),
                "a variant needs a color or a size",
                "add color = \"…\" or size = \"…\"",
            );
            ok = false;
        }
        // A bad price or GTIN has been reported: the file fails, so flattening is safe.
        let Some(sku) = sku else {
            ok = false;
            continue;
        };
        let (price, gtin) = (price.flatten(), gtin.flatten());
        variants.push(Variant {
            sku,
            color: v.color.clone(),
            size: v.size.clone(),
            price,
            stock: v.stock,
            gtin,
        });
    }
    ok.then_some(variants)
}

fn aliases(ctx: &mut FileCtx<'_>, raw: &[Spanned<String>]) {
    for alias in raw {
        let path = alias.get_ref();
        let ok = path.starts_with('/')
            && !path.contains("..")
            && !path.contains(['?', '#', ' ', '\\'])
            && path.len() > 1;
        if !ok {
            let hint =
                "write an absolute path on this site, e.g. \"/boutiques/ma-boutique/ancien-nom/\"";
            ctx.report(Some(&alias.span()), format!("bad alias {path:?}"), hint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_its_line_offset() {
        let (front, body, offset) =
            split_front_matter("+++\nid = \"a\"\n+++\nHello").unwrap_or_default();
        assert_eq!((front, body, offset), ("id = \"a\"\n", "Hello", 1));
        assert!(split_front_matter("id = 1").is_none());
        assert!(split_front_matter("+++\nid = 1\n").is_none());
    }

    /// Parses a product whose `images = …` line is `images`, in a shop holding
    /// `a.jpg` and `b.jpg`.
    fn parse_images(images: &str) -> Result<Vec<crate::model::Image>, Vec<crate::Problem>> {
        let text = format!(
            "+++\nid = \"p\"\ntitle = \"Pain\"\nprice = \"1.00\"\ncategory = \"pain\"\n\
             weight = 100\n{images}\n+++\nBon.\n"
        );
        let categories = HashMap::from([("pain".to_owned(), 0)]);
        let files = HashMap::from([
            ("a.jpg".to_owned(), (800, 600)),
            ("b.jpg".to_owned(), (600, 800)),
        ]);
        let cx = ProductContext {
            shop: 0,
            shop_delivery: &[DeliveryMode::ClickCollect],
            categories: &categories,
            images: &files,
            modified: jiff::civil::date(2026, 1, 1),
        };
        parse_product(Path::new("p.md"), "p", &text, &cx).map(|p| p.product.images)
    }

    #[test]
    fn images_are_file_names_or_tables_with_alt_text() {
        let images =
            parse_images(r#"images = ["a.jpg", { file = "b.jpg", alt = " Le pain tranché " }]"#)
                .unwrap_or_default();
        let found: Vec<_> = images
            .iter()
            .map(|i| (i.file.as_str(), i.alt.as_deref(), i.width))
            .collect();
        assert_eq!(
            found,
            [
                ("a.jpg", None, 800),
                ("b.jpg", Some("Le pain tranché"), 600)
            ]
        );
        let table_without_alt = parse_images(r#"images = [{ file = "a.jpg" }]"#);
        assert_eq!(table_without_alt.map(|i| i[0].alt.clone()), Ok(None));
    }

    #[test]
    fn bad_image_entries_are_reported_on_their_line() {
        let cases = [
            (
                r#"images = [{ file = "a.jpg", alt = "  " }]"#,
                "the image's alt is empty",
            ),
            (
                r#"images = [{ file = "c.jpg", alt = "Pain" }]"#,
                "missing image \"c.jpg\"",
            ),
            (
                r#"images = [{ file = "a.jpg", texte = "Pain" }]"#,
                "unknown field `texte`",
            ),
            (r#"images = [{ alt = "Pain" }]"#, "missing field `file`"),
            ("images = [12]", "a file name or a table"),
        ];
        for (images, expected) in cases {
            let problems = parse_images(images).err().unwrap_or_default();
            assert_eq!(problems.len(), 1, "{images}: {problems:?}");
            assert!(
                problems[0].message.contains(expected),
                "{images}: {problems:?}"
            );
            assert_eq!(problems[0].line, Some(7), "{images}");
        }
    }

    #[test]
    fn closest_name_distance() {
        assert_eq!(strsim_distance("pains", "pain"), 1);
        assert_eq!(strsim_distance("boulangerie", "boulangerie"), 0);
    }
}
