//! The product form's fields, read from a POST and turned into a [`ProductDraft`] with a
//! French message per bad field, and back (a draft shown in the form).
//!
//! Only what a person types is checked here (a price that is a price, a sale that ends
//! after it starts, a variant with a SKU…); the written file is then checked by the
//! indexer's own parser and cross-file checks in [`super::save`].

use comptoir_indexer::Money;
use comptoir_indexer::draft::{ImageDraft, ProductDraft, VariantDraft};
use comptoir_indexer::model::{DeliveryMode, Sale};
use std::collections::{BTreeMap, HashSet};

pub use super::values::french_amount;
use super::values::{amount, count, date, gtin, one_line};

/// Blank variant rows drawn under the filled ones (more with "Ajouter des lignes").
pub const BLANK_ROWS: usize = 3;

/// Blank variant rows after "Ajouter des lignes": enough for a range of sizes.
pub const MORE_ROWS: usize = 10;

/// What the merchant asked for with the form's submit button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Action {
    /// Save the product.
    #[default]
    Save,
    /// Draw the form again with the description rendered.
    Preview,
    /// Draw the form again with more blank variant rows.
    AddRows,
}

/// One colour × size row, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantRow {
    /// Colour.
    pub color: String,
    /// Size.
    pub size: String,
    /// SKU.
    pub sku: String,
    /// Price (empty: the product's).
    pub price: String,
    /// Stock.
    pub stock: String,
    /// GTIN.
    pub gtin: String,
}

impl VariantRow {
    fn is_blank(&self) -> bool {
        [
            &self.color,
            &self.size,
            &self.sku,
            &self.price,
            &self.stock,
            &self.gtin,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

/// Every field of the product form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductForm {
    /// The CSRF token the form carried.
    pub csrf: String,
    /// Which button was pressed.
    pub action: Action,
    /// Title.
    pub title: String,
    /// URL slug (empty for a new product: made from the title).
    pub slug: String,
    /// Markdown description.
    pub description: String,
    /// Price.
    pub price: String,
    /// Sale price.
    pub sale_price: String,
    /// First day of the sale, `YYYY-MM-DD`.
    pub sale_from: String,
    /// Last day of the sale.
    pub sale_until: String,
    /// Aisle slug.
    pub category: String,
    /// Tags, separated by commas.
    pub tags: String,
    /// Brand.
    pub brand: String,
    /// GTIN.
    pub gtin: String,
    /// Weight in grams.
    pub weight: String,
    /// Stock (products without variants).
    pub stock: String,
    /// Picture files chosen, in order.
    pub images: Vec<String>,
    /// Delivery modes ticked (keys).
    pub delivery: Vec<String>,
    /// "En ligne" ticked.
    pub published: bool,
    /// Filled variant rows, in order (blank rows dropped).
    pub variants: Vec<VariantRow>,
}

/// French messages by field name (the input's `name`); `GENERAL` for the whole form.
pub type Errors = BTreeMap<String, String>;

/// The key of a message about the whole form.
pub const GENERAL: &str = "_";

/// What a product is checked against: the shop and the catalogue around it.
pub struct Rules<'a> {
    /// Aisle slugs.
    pub categories: &'a HashSet<String>,
    /// The shop's delivery modes.
    pub shop_delivery: &'a [DeliveryMode],
    /// Picture files in the shop's folder.
    pub images: &'a HashSet<String>,
}

impl ProductForm {
    /// Reads a urlencoded form body. Variant rows are `v<n>_<field>`; blank rows are dropped.
    #[must_use]
    pub fn from_body(body: &[u8]) -> Self {
        let mut form = Self::default();
        let mut rows: BTreeMap<usize, VariantRow> = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            if let Some((row, field)) = variant_key(&key) {
                set_variant(rows.entry(row).or_default(), field, value);
            } else {
                form.set(&key, value);
            }
        }
        form.variants = rows.into_values().filter(|r| !r.is_blank()).collect();
        form
    }

    fn set(&mut self, key: &str, value: String) {
        match key {
            "csrf" => self.csrf = value,
            "action" => {
                self.action = match value.as_str() {
                    "apercu" => Action::Preview,
                    "lignes" => Action::AddRows,
                    _ => Action::Save,
                }
            }
            "title" => self.title = value,
            "slug" => self.slug = value,
            "description" => self.description = value,
            "price" => self.price = value,
            "sale_price" => self.sale_price = value,
            "sale_from" => self.sale_from = value,
            "sale_until" => self.sale_until = value,
            "category" => self.category = value,
            "tags" => self.tags = value,
            "brand" => self.brand = value,
            "gtin" => self.gtin = value,
            "weight" => self.weight = value,
            "stock" => self.stock = value,
            "images" => self.images.push(value),
            "delivery" => self.delivery.push(value),
            "published" => self.published = true,
            _ => {}
        }
    }

    /// The form showing `draft`.
    #[must_use]
    pub fn from_draft(draft: &ProductDraft, file_slug: &str) -> Self {
        let sale = draft.sale.as_ref();
        Self {
            title: draft.title.clone(),
            slug: draft.slug.clone().unwrap_or_else(|| file_slug.to_owned()),
            description: draft.description.clone(),
            price: french_amount(draft.price),
            sale_price: sale.map(|s| french_amount(s.price)).unwrap_or_default(),
            sale_from: sale.map(|s| s.from.to_string()).unwrap_or_default(),
            sale_until: sale.map(|s| s.until.to_string()).unwrap_or_default(),
            category: draft.category.clone(),
            tags: draft.tags.join(", "),
            brand: draft.brand.clone().unwrap_or_default(),
            gtin: draft.gtin.clone().unwrap_or_default(),
            weight: draft.weight.to_string(),
            stock: draft.stock.to_string(),
            images: draft.images.iter().map(|i| i.file.clone()).collect(),
            delivery: draft
                .delivery
                .as_ref()
                .map(|modes| modes.iter().map(|m| m.key().to_owned()).collect())
                .unwrap_or_default(),
            published: draft.published,
            variants: draft.variants.iter().map(row_of).collect(),
            ..Self::default()
        }
    }

    /// `base` (the product as it was, or a new one) with the form's fields, or a French
    /// message for each bad field.
    ///
    /// # Errors
    ///
    /// The messages, by field name.
    pub fn to_draft(&self, base: &ProductDraft, rules: &Rules<'_>) -> Result<ProductDraft, Errors> {
        let mut errors = Errors::new();
        let mut draft = base.clone();
        draft.title = one_line(&self.title);
        if draft.title.is_empty() {
            errors.insert("title".into(), "Indiquez le nom du produit.".into());
        }
        draft.description = self.description.replace("\r\n", "\n").trim().to_owned();
        draft.price = amount(&self.price, "price", &mut errors).unwrap_or_default();
        draft.sale = self.sale(draft.price, &mut errors);
        draft.category = self.category.trim().to_owned();
        if !rules.categories.contains(&draft.category) {
            errors.insert(
                "category".into(),
                "Choisissez un rayon dans la liste.".into(),
            );
        }
        draft.tags = self
            .tags
            .split(',')
            .map(one_line)
            .filter(|t| !t.is_empty())
            .collect();
        draft.brand = Some(one_line(&self.brand)).filter(|b| !b.is_empty());
        draft.gtin = gtin(&self.gtin, "gtin", &mut errors);
        draft.weight = count(
            &self.weight,
            "weight",
            "Indiquez le poids en grammes, par exemple 250.",
            &mut errors,
        );
        draft.stock = if self.stock.trim().is_empty() {
            0
        } else {
            count(
                &self.stock,
                "stock",
                "Indiquez le stock en nombre d’articles, par exemple 12.",
                &mut errors,
            )
        };
        draft.images = self.images(base, rules, &mut errors);
        draft.delivery = self.delivery(rules, &mut errors);
        draft.published = self.published;
        draft.variants = self.variant_drafts(&mut errors);
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }

    fn sale(&self, price: Money, errors: &mut Errors) -> Option<Sale> {
        let fields = [&self.sale_price, &self.sale_from, &self.sale_until];
        if fields.iter().all(|f| f.trim().is_empty()) {
            return None;
        }
        let sale_price = amount(&self.sale_price, "sale_price", errors);
        let from = date(&self.sale_from, "sale_from", errors);
        let until = date(&self.sale_until, "sale_until", errors);
        if sale_price.is_some_and(|p| p >= price) && !errors.contains_key("price") {
            errors.insert(
                "sale_price".into(),
                "Le prix soldé doit être inférieur au prix normal.".into(),
            );
        }
        if let (Some(from), Some(until)) = (from, until)
            && from > until
        {
            errors.insert(
                "sale_until".into(),
                "La promotion doit finir le jour où elle commence ou après.".into(),
            );
        }
        Some(Sale {
            price: sale_price?,
            from: from?,
            until: until?,
        })
    }

    /// The chosen pictures in the order given, keeping the alt text they had; at least one
    /// when the product is to be online.
    fn images(
        &self,
        base: &ProductDraft,
        rules: &Rules<'_>,
        errors: &mut Errors,
    ) -> Vec<ImageDraft> {
        let chosen: Vec<ImageDraft> = self
            .images
            .iter()
            .filter(|file| rules.images.contains(file.as_str()))
            .map(|file| {
                let alt = base
                    .images
                    .iter()
                    .find(|i| &i.file == file)
                    .and_then(|i| i.alt.clone());
                ImageDraft {
                    file: file.clone(),
                    alt,
                }
            })
            .collect();
        // Online means with a photo; a product waiting offline (imported, say) may have none.
        if chosen.is_empty() && self.published {
            errors.insert("images".into(), super::save::PHOTO_TO_PUBLISH.into());
        }
        chosen
    }

    /// `None` when every mode of the shop is ticked (the file then says nothing).
    fn delivery(&self, rules: &Rules<'_>, errors: &mut Errors) -> Option<Vec<DeliveryMode>> {
        let modes: Vec<DeliveryMode> = rules
            .shop_delivery
            .iter()
            .copied()
            .filter(|m| self.delivery.iter().any(|k| k == m.key()))
            .collect();
        if modes.is_empty() {
            errors.insert(
                "delivery".into(),
                "Cochez au moins un mode de livraison.".into(),
            );
        }
        (modes.len() != rules.shop_delivery.len()).then_some(modes)
    }

    fn variant_drafts(&self, errors: &mut Errors) -> Vec<VariantDraft> {
        let mut seen = HashSet::new();
        self.variants
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let key = |field: &str| format!("v{i}_{field}");
                let sku = one_line(&row.sku);
                if sku.is_empty() {
                    errors.insert(
                        key("sku"),
                        "Indiquez la référence (SKU) de cette ligne.".into(),
                    );
                } else if !seen.insert(sku.clone()) {
                    errors.insert(
                        key("sku"),
                        "Cette référence est déjà sur une autre ligne.".into(),
                    );
                }
                let (color, size) = (one_line(&row.color), one_line(&row.size));
                if color.is_empty() && size.is_empty() {
                    errors.insert(
                        key("size"),
                        "Indiquez une couleur, une taille ou les deux.".into(),
                    );
                }
                let price = if row.price.trim().is_empty() {
                    None
                } else {
                    amount(&row.price, &key("price"), errors)
                };
                let stock = count(
                    &row.stock,
                    &key("stock"),
                    "Indiquez le stock en nombre d’articles, par exemple 3.",
                    errors,
                );
                VariantDraft {
                    sku,
                    color: Some(color).filter(|c| !c.is_empty()),
                    size: Some(size).filter(|s| !s.is_empty()),
                    price,
                    stock,
                    gtin: gtin(&row.gtin, &key("gtin"), errors),
                }
            })
            .collect()
    }
}

/// `v12_sku` → (12, "sku").
fn variant_key(key: &str) -> Option<(usize, &str)> {
    let (row, field) = key.strip_prefix('v')?.split_once('_')?;
    Some((row.parse().ok()?, field))
}

fn set_variant(row: &mut VariantRow, field: &str, value: String) {
    match field {
        "color" => row.color = value,
        "size" => row.size = value,
        "sku" => row.sku = value,
        "price" => row.price = value,
        "stock" => row.stock = value,
        "gtin" => row.gtin = value,
        _ => {}
    }
}

fn row_of(v: &VariantDraft) -> VariantRow {
    VariantRow {
        color: v.color.clone().unwrap_or_default(),
        size: v.size.clone().unwrap_or_default(),
        sku: v.sku.clone(),
        price: v.price.map(french_amount).unwrap_or_default(),
        stock: v.stock.to_string(),
        gtin: v.gtin.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_fixture() -> (HashSet<String>, Vec<DeliveryMode>, HashSet<String>) {
        (
            ["vetements".to_owned()].into(),
            vec![DeliveryMode::ClickCollect, DeliveryMode::Post],
            ["pull.jpg".to_owned(), "dos.jpg".to_owned()].into(),
        )
    }

    fn body(fields: &[(&str, &str)]) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish()
            .into_bytes()
    }

    const GOOD: &[(&str, &str)] = &[
        ("csrf", "t"),
        ("title", "  Pull   marin "),
        ("description", "Un pull.\r\n\r\nChaud."),
        ("price", "59,00 €"),
        ("category", "vetements"),
        ("tags", "laine, , hiver"),
        ("weight", "400"),
        ("images", "dos.jpg"),
        ("images", "pull.jpg"),
        ("delivery", "post"),
        ("published", "on"),
        ("v0_sku", "PULL-S"),
        ("v0_size", "S"),
        ("v0_stock", "2"),
        ("v1_sku", ""),
        ("v1_size", ""),
        ("v2_sku", "PULL-M"),
        ("v2_size", "M"),
        ("v2_price", "61"),
        ("v2_stock", "3"),
    ];

    #[test]
    fn a_filled_form_becomes_a_draft() {
        let (categories, delivery, images) = rules_fixture();
        let rules = Rules {
            categories: &categories,
            shop_delivery: &delivery,
            images: &images,
        };
        let form = ProductForm::from_body(&body(GOOD));
        assert_eq!(form.csrf, "t");
        assert_eq!(form.variants.len(), 2, "the blank row is dropped");
        let draft = form
            .to_draft(&ProductDraft::default(), &rules)
            .expect("valid");
        assert_eq!(draft.title, "Pull marin");
        assert_eq!(draft.description, "Un pull.\n\nChaud.");
        assert_eq!(draft.price, Money::from_cents(5_900));
        assert_eq!(draft.tags, ["laine", "hiver"]);
        assert_eq!(
            draft
                .images
                .iter()
                .map(|i| i.file.as_str())
                .collect::<Vec<_>>(),
            ["dos.jpg", "pull.jpg"]
        );
        assert_eq!(draft.delivery, Some(vec![DeliveryMode::Post]));
        assert!(draft.published);
        assert_eq!(draft.variants[1].price, Some(Money::from_cents(6_100)));
        assert_eq!(draft.variants[1].stock, 3);
        let again = ProductForm::from_draft(&draft, "pull-marin");
        assert_eq!(again.to_draft(&ProductDraft::default(), &rules), Ok(draft));
    }

    #[test]
    fn every_bad_field_gets_its_french_message() {
        let (categories, delivery, images) = rules_fixture();
        let rules = Rules {
            categories: &categories,
            shop_delivery: &delivery,
            images: &images,
        };
        let cases: &[(&str, &str, &str)] = &[
            ("title", " ", "title"),
            ("price", "12.3.4", "price"),
            ("category", "pains", "category"),
            ("gtin", "3760123450011", "gtin"),
            ("weight", "lourd", "weight"),
            ("sale_price", "70", "sale_price"),
            ("sale_from", "demain", "sale_from"),
            ("v0_sku", "PULL-M", "v1_sku"),
            ("v0_size", "", "v0_size"),
            ("v2_stock", "-1", "v1_stock"),
        ];
        for (field, value, flagged) in cases {
            let mut fields: Vec<(&str, &str)> =
                GOOD.iter().filter(|(k, _)| k != field).copied().collect();
            fields.push((field, value));
            if field.starts_with("sale") {
                fields.extend(
                    [
                        ("sale_price", "49"),
                        ("sale_from", "2026-11-01"),
                        ("sale_until", "2026-11-30"),
                    ]
                    .iter()
                    .filter(|(k, _)| k != field),
                );
            }
            let errors = ProductForm::from_body(&body(&fields))
                .to_draft(&ProductDraft::default(), &rules)
                .expect_err(field);
            assert!(errors.contains_key(*flagged), "{field}: {errors:?}");
            assert!(errors.values().all(|m| m.ends_with('.')), "{errors:?}");
        }
    }

    #[test]
    fn no_picture_and_no_delivery_mode_are_refused() {
        let (categories, delivery, images) = rules_fixture();
        let rules = Rules {
            categories: &categories,
            shop_delivery: &delivery,
            images: &images,
        };
        let fields: Vec<(&str, &str)> = GOOD
            .iter()
            .filter(|(k, _)| *k != "images" && *k != "delivery")
            .copied()
            .collect();
        let errors = ProductForm::from_body(&body(&fields))
            .to_draft(&ProductDraft::default(), &rules)
            .expect_err("invalid");
        assert!(errors.contains_key("images") && errors.contains_key("delivery"));
    }

    #[test]
    fn the_buttons_are_told_apart() {
        for (value, action) in [
            ("apercu", Action::Preview),
            ("lignes", Action::AddRows),
            ("enregistrer", Action::Save),
        ] {
            assert_eq!(
                ProductForm::from_body(&body(&[("action", value)])).action,
                action
            );
        }
    }
}
