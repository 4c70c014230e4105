//! PrestaShop's import files (semicolon separated, French decimal commas accepted): the
//! products file, and the combinations file that gives their variants by `Product ID*`.
//! Prices are written without VAT: they are converted with the product's tax rule.

use super::table::{Row, Table};
use super::{Imported, ImportedProduct, ImportedVariant, RowError, html, values};
use comptoir_indexer::Money;
use std::collections::HashMap;

/// Reason given for a categories file.
pub const CATEGORIES_ONLY: &str = "ce fichier PrestaShop contient des catégories, pas des produits : importez le fichier des produits";
/// Reason given for a combinations file sent without its products file.
pub const COMBINATIONS_ALONE: &str = "ce fichier PrestaShop contient des déclinaisons : envoyez-le en même temps que le fichier des produits";

/// VAT per PrestaShop tax rule group, in per mille: the groups a French installation
/// creates (1: standard 20 %, 2: reduced 10 %, 3: reduced 5.5 %, 4: super-reduced 2.1 %);
/// 0 means no tax. Rates: French tax code (CGI), articles 278 to 281 nonies.
const TAX_RULES: [(&str, i64); 5] = [("0", 0), ("1", 200), ("2", 100), ("3", 55), ("4", 21)];

/// Reads a products file, with its combinations file when one came with it.
pub fn read(products: &Table, combinations: Option<&Table>, imported: &mut Imported) {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut read: Vec<(ImportedProduct, Vat)> = Vec::new();
    for row in &products.rows {
        if let Some((product, tax)) = product(products, row, &mut imported.errors) {
            by_id.insert(products.get(row, "Product ID").to_owned(), read.len());
            read.push((product, tax));
        }
    }
    if let Some(table) = combinations {
        for row in &table.rows {
            let id = table.get(row, "Product ID*");
            let Some(&i) = by_id.get(id) else {
                let reason = format!(
                    "produit n° {id} absent du fichier des produits : la déclinaison est ignorée"
                );
                imported
                    .errors
                    .push(table.row_error(row, "Product ID*", reason));
                continue;
            };
            let (product, vat) = &mut read[i];
            if let Some(v) = combination(table, row, product, *vat, &mut imported.errors) {
                product.variants.push(v);
            }
        }
    }
    imported.products.extend(read.into_iter().map(|(p, _)| p));
}

/// A product's price without VAT, in cents, and its VAT rate in per mille.
#[derive(Debug, Clone, Copy)]
struct Vat {
    base: i64,
    per_mille: i64,
}

/// A price without VAT plus `per_mille` VAT, rounded to the nearest cent.
fn with_tax(cents: i64, per_mille: i64) -> Money {
    Money::from_cents((cents * (1000 + per_mille) + 500) / 1000)
}

/// A product row, with its VAT rate.
fn product(table: &Table, row: &Row, errors: &mut Vec<RowError>) -> Option<(ImportedProduct, Vat)> {
    let title = table.get(row, "Name *");
    if title.is_empty() {
        errors.push(table.row_error(row, "Name *", "nom manquant : le produit est ignoré"));
        return None;
    }
    let rule = table.get(row, "Tax rules ID");
    let Some(&(_, tax)) = TAX_RULES
        .iter()
        .find(|(id, _)| *id == rule || rule.is_empty() && *id == "0")
    else {
        let reason = format!(
            "règle de taxe n° {rule} inconnue (1 : TVA 20 %, 2 : 10 %, 3 : 5,5 %, 4 : 2,1 %) : le produit est ignoré"
        );
        errors.push(table.row_error(row, "Tax rules ID", reason));
        return None;
    };
    let base = match values::price(table.get(row, "Price tax excluded")) {
        Ok(p) => p.cents(),
        Err(reason) => {
            errors.push(table.row_error(
                row,
                "Price tax excluded",
                format!("{reason} ; le produit est ignoré"),
            ));
            return None;
        }
    };
    let mut keep = |column: &str, result: Result<u32, String>| {
        result.unwrap_or_else(|reason| {
            errors.push(table.row_error(row, column, reason));
            0
        })
    };
    let weight = keep(
        "Weight",
        values::weight(table.get(row, "Weight"), values::GRAMS_PER_KG),
    );
    let stock = keep("Quantity", values::stock(table.get(row, "Quantity")));
    let gtin = values::gtin(table.get(row, "EAN13")).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, "EAN13", reason));
        None
    });
    let rewritten = table.get(row, "URL rewritten");
    let description = [table.get(row, "Description"), table.get(row, "Summary")]
        .into_iter()
        .find(|d| !d.is_empty())
        .unwrap_or_default();
    let product = ImportedProduct {
        line: row.line,
        handle: comptoir_indexer::slug::slugify(if rewritten.is_empty() {
            title
        } else {
            rewritten
        }),
        sku: Some(table.get(row, "Reference #").to_owned()).filter(|s| !s.is_empty()),
        title: title.to_owned(),
        description: html::to_markdown(description),
        price: with_tax(base, tax),
        category: table
            .get(row, "Categories (x,y,z...)")
            .split(',')
            .map(str::trim)
            .find(|c| !c.is_empty())
            .map(str::to_owned),
        tags: values::tags(table.get(row, "Tags (x,y,z...)")),
        brand: Some(table.get(row, "Manufacturer").to_owned()).filter(|m| !m.is_empty()),
        gtin,
        weight,
        stock,
        published: table.get(row, "Active (0/1)") != "0"
            && !table.get(row, "Visibility").eq_ignore_ascii_case("none"),
        images: table
            .get(row, "Image URLs (x,y,z...)")
            .split(',')
            .filter(|i| !i.trim().is_empty())
            .count(),
        variants: Vec::new(),
    };
    Some((
        product,
        Vat {
            base,
            per_mille: tax,
        },
    ))
}

/// A combination row of `product`.
fn combination(
    table: &Table,
    row: &Row,
    product: &ImportedProduct,
    vat: Vat,
    errors: &mut Vec<RowError>,
) -> Option<ImportedVariant> {
    let names: Vec<&str> = table
        .get(row, "Attribute (Name:Type:Position)*")
        .split(',')
        .map(|a| a.split(':').next().unwrap_or("").trim())
        .collect();
    let options: Vec<&str> = table
        .get(row, "Value (Value:Position)*")
        .split(',')
        .map(|v| v.rsplit_once(':').map_or(v, |(value, _)| value).trim())
        .collect();
    let pairs: Vec<(&str, &str)> = names.into_iter().zip(options).collect();
    let (color, size) = values::color_and_size(&pairs);
    if color.is_none() && size.is_none() {
        let reason = "déclinaison sans attribut : elle est ignorée";
        errors.push(table.row_error(row, "Value (Value:Position)*", reason));
        return None;
    }
    let impact = table.get(row, "Impact on price");
    let price = match impact_cents(impact) {
        Some(0) => None,
        Some(cents) => Some(with_tax(vat.base + cents, vat.per_mille)),
        None => {
            let reason =
                format!("impact sur le prix « {impact} » illisible : la déclinaison est ignorée");
            errors.push(table.row_error(row, "Impact on price", reason));
            return None;
        }
    };
    let stock = values::stock(table.get(row, "Quantity")).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, "Quantity", reason));
        0
    });
    let gtin = values::gtin(table.get(row, "EAN13")).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, "EAN13", reason));
        None
    });
    let reference = table.get(row, "Reference");
    Some(ImportedVariant {
        line: row.line,
        sku: if reference.is_empty() {
            values::variant_sku(&product.handle, color.as_deref(), size.as_deref())
        } else {
            reference.to_owned()
        },
        color,
        size,
        price,
        stock,
        gtin,
    })
}

/// A price impact in cents, possibly negative: `40`, `-5,50`; empty is 0.
fn impact_cents(text: &str) -> Option<i64> {
    if text.is_empty() {
        return Some(0);
    }
    let (sign, amount) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    values::price(amount).ok().map(|m| sign * m.cents())
}
