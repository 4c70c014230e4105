//! WooCommerce's product CSV: one row per product, and for a variable product a parent
//! row followed (anywhere) by one `variation` row per variant, naming its parent by SKU or
//! `id:<ID>`. Attributes are numbered columns (`Attribute 1 name`, `Attribute 1 value(s)`).
//! Source: WooCommerce's "Product CSV Import Schema".

use super::table::{Row, Table};
use super::{Imported, ImportedProduct, ImportedVariant, RowError, html, values};
use comptoir_indexer::Money;
use std::collections::HashMap;

/// Why a stock left empty is set to 0.
const UNTRACKED: &str =
    "stock non suivi dans l’export : mis à 0, à saisir ensuite dans la page Stock";

/// Reads a WooCommerce export into `imported`.
pub fn read(table: &Table, imported: &mut Imported) {
    let weight_unit = weight_unit(table);
    let mut products: Vec<(ImportedProduct, bool)> = Vec::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut variations = Vec::new();
    for row in &table.rows {
        let kind = table.get(row, "Type").to_ascii_lowercase();
        if kind == "variation" {
            variations.push(row);
            continue;
        }
        if let Some(reason) = unsupported(&kind) {
            imported.errors.push(table.row_error(row, "Type", reason));
            continue;
        }
        if let Some(product) = product(table, row, &weight_unit, &mut imported.errors) {
            for key in [
                format!("id:{}", table.get(row, "ID")),
                product.handle.clone(),
            ] {
                keys.insert(key, products.len());
            }
            products.push((product, kind == "variable"));
        }
    }
    for row in variations {
        let parent = table.get(row, "Parent");
        match keys.get(parent) {
            Some(&i) if products[i].1 => {
                if let Some(v) = variation(table, row, &products[i].0, &mut imported.errors) {
                    products[i].0.variants.push(v);
                }
            }
            _ => {
                let reason = format!(
                    "produit parent « {parent} » introuvable dans le fichier : la déclinaison est ignorée"
                );
                imported.errors.push(table.row_error(row, "Parent", reason));
            }
        }
    }
    for (mut product, variable) in products {
        if variable && !finish_variable(table, &mut product, &mut imported.errors) {
            continue;
        }
        imported.products.push(product);
    }
}

/// Why a product type is not imported, if it is not.
fn unsupported(kind: &str) -> Option<&'static str> {
    if kind.contains("downloadable") || kind.contains("virtual") {
        Some("produit virtuel ou téléchargeable : non pris en charge, il est ignoré")
    } else if kind.contains("grouped") {
        Some("produit groupé : importez les produits qui le composent, il est ignoré")
    } else if kind.contains("external") {
        Some("produit externe (vendu sur un autre site) : il est ignoré")
    } else if kind == "simple" || kind == "variable" {
        None
    } else {
        Some("type de produit inconnu : il est ignoré")
    }
}

/// Grams per unit of the weight column (`Weight (kg)`, `Weight (lbs)`…), with its name.
fn weight_unit(table: &Table) -> (String, f64) {
    const UNITS: [(&str, f64); 4] = [
        ("kg", values::GRAMS_PER_KG),
        ("g", 1.0),
        ("lbs", values::GRAMS_PER_LB),
        ("oz", values::GRAMS_PER_LB / 16.0),
    ];
    UNITS
        .iter()
        .map(|(unit, grams)| (format!("Weight ({unit})"), *grams))
        .find(|(column, _)| table.has(column))
        .unwrap_or_else(|| ("Weight (kg)".to_owned(), values::GRAMS_PER_KG))
}

/// A simple or variable product's row.
fn product(
    table: &Table,
    row: &Row,
    (weight_column, grams): &(String, f64),
    errors: &mut Vec<RowError>,
) -> Option<ImportedProduct> {
    let title = table.get(row, "Name");
    if title.is_empty() {
        errors.push(table.row_error(row, "Name", "nom manquant : le produit est ignoré"));
        return None;
    }
    let price = product_price(table, row, errors)?;
    let sku = table.get(row, "SKU");
    let weight = values::weight(table.get(row, weight_column), *grams).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, weight_column, reason));
        0
    });
    let description = [
        table.get(row, "Description"),
        table.get(row, "Short description"),
    ]
    .into_iter()
    .find(|d| !d.is_empty())
    .unwrap_or_default();
    Some(ImportedProduct {
        line: row.line,
        handle: if sku.is_empty() {
            comptoir_indexer::slug::slugify(title)
        } else {
            sku.to_owned()
        },
        sku: Some(sku.to_owned()).filter(|s| !s.is_empty()),
        title: title.to_owned(),
        description: html::to_markdown(description),
        price,
        category: category(table.get(row, "Categories")),
        tags: values::tags(table.get(row, "Tags")),
        brand: None,
        gtin: gtin(table, row, errors),
        weight,
        stock: stock(table, row, errors),
        published: table.get(row, "Published") == "1"
            && !table
                .get(row, "Visibility in catalog")
                .eq_ignore_ascii_case("hidden"),
        images: table
            .get(row, "Images")
            .split(',')
            .filter(|i| !i.trim().is_empty())
            .count(),
        variants: Vec::new(),
    })
}

/// A product row's price; a variable product may leave it to its variations (0 until then).
fn product_price(table: &Table, row: &Row, errors: &mut Vec<RowError>) -> Option<Money> {
    let variable = table.get(row, "Type").eq_ignore_ascii_case("variable");
    let reason = match price(table, row) {
        Ok(Some(price)) => return Some(price),
        Ok(None) if variable => return Some(Money::default()),
        Ok(None) => "prix manquant : le produit est ignoré".to_owned(),
        Err(reason) => format!("{reason} ; le produit est ignoré"),
    };
    errors.push(table.row_error(row, "Regular price", reason));
    None
}

/// The price a shopper pays: the sale price when there is one, else the regular price.
fn price(table: &Table, row: &Row) -> Result<Option<Money>, String> {
    let text = [
        table.get(row, "Sale price"),
        table.get(row, "Regular price"),
    ]
    .into_iter()
    .find(|p| !p.is_empty());
    text.map(values::price).transpose()
}

/// The first category's deepest level: `Clothing > Accessories, Sale` → `Accessories`.
fn category(text: &str) -> Option<String> {
    let first = text.split(',').next().unwrap_or("");
    let last = first.rsplit('>').next().unwrap_or("").trim();
    (!last.is_empty()).then(|| last.to_owned())
}

/// The stock: the `Stock` column, 0 when the product is out of stock or not tracked.
fn stock(table: &Table, row: &Row, errors: &mut Vec<RowError>) -> u32 {
    let text = table.get(row, "Stock");
    let in_stock = table.get(row, "In stock?");
    if text.is_empty() {
        let tracked_elsewhere = table.get(row, "Type").eq_ignore_ascii_case("variable");
        if in_stock == "1" && !tracked_elsewhere {
            errors.push(table.row_error(row, "Stock", UNTRACKED));
        }
        return 0;
    }
    values::stock(text).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, "Stock", reason));
        0
    })
}

/// The barcode column newer WooCommerce versions export.
fn gtin(table: &Table, row: &Row, errors: &mut Vec<RowError>) -> Option<String> {
    const COLUMN: &str = "GTIN, UPC, EAN, or ISBN";
    values::gtin(table.get(row, COLUMN)).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, COLUMN, reason));
        None
    })
}

/// The (name, value) attribute pairs of a row.
fn attributes<'a>(table: &Table, row: &'a Row) -> Vec<(String, &'a str)> {
    (1..)
        .map(|n| {
            (
                format!("Attribute {n} name"),
                format!("Attribute {n} value(s)"),
            )
        })
        .take_while(|(name, _)| table.has(name))
        .map(|(name, value)| (table.get(row, &name).to_owned(), table.get(row, &value)))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

/// A variation row of `parent`.
fn variation(
    table: &Table,
    row: &Row,
    parent: &ImportedProduct,
    errors: &mut Vec<RowError>,
) -> Option<ImportedVariant> {
    let price = match price(table, row) {
        Ok(p) => p,
        Err(reason) => {
            errors.push(table.row_error(
                row,
                "Regular price",
                format!("{reason} ; la déclinaison est ignorée"),
            ));
            return None;
        }
    };
    let attributes = attributes(table, row);
    let pairs: Vec<(&str, &str)> = attributes.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let (color, size) = values::color_and_size(&pairs);
    if color.is_none() && size.is_none() {
        let reason = "déclinaison sans couleur ni taille : elle est ignorée";
        errors.push(table.row_error(row, "Attribute 1 value(s)", reason));
        return None;
    }
    let sku = table.get(row, "SKU");
    Some(ImportedVariant {
        line: row.line,
        sku: if sku.is_empty() {
            values::variant_sku(&parent.handle, color.as_deref(), size.as_deref())
        } else {
            sku.to_owned()
        },
        color,
        size,
        price,
        stock: stock(table, row, errors),
        gtin: gtin(table, row, errors),
    })
}

/// Settles a variable product's price and variants; false when it cannot be imported.
/// Without variation rows its variants are every combination of its attribute values.
fn finish_variable(
    table: &Table,
    product: &mut ImportedProduct,
    errors: &mut Vec<RowError>,
) -> bool {
    let row = table.rows.iter().find(|r| r.line == product.line);
    if product.variants.is_empty()
        && let Some(row) = row
    {
        product.variants = combinations(table, row, product);
        if !product.variants.is_empty() {
            let reason = "déclinaisons créées d’après les attributs, sans stock : saisissez-le ensuite dans la page Stock";
            errors.push(table.row_error(row, "Attribute 1 value(s)", reason));
        }
    }
    if product.price == Money::default() {
        match product.variants.iter().find_map(|v| v.price) {
            Some(first) => product.price = first,
            None => {
                if let Some(row) = row {
                    errors.push(table.row_error(
                        row,
                        "Regular price",
                        "prix manquant : le produit est ignoré",
                    ));
                }
                return false;
            }
        }
    }
    let base = product.price;
    for v in &mut product.variants {
        v.price = v.price.filter(|p| *p != base);
    }
    true
}

/// Every combination of a parent row's attribute values (`Green, Beige` × `S, M`).
fn combinations(table: &Table, row: &Row, product: &ImportedProduct) -> Vec<ImportedVariant> {
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (name, list) in attributes(table, row) {
        let options: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if options.is_empty() {
            continue;
        }
        combos = combos
            .into_iter()
            .flat_map(|c| {
                let name = &name;
                options.iter().map(move |o| {
                    let mut next = c.clone();
                    next.push((name.clone(), (*o).to_owned()));
                    next
                })
            })
            .collect();
    }
    combos
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|c| {
            let pairs: Vec<(&str, &str)> =
                c.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let (color, size) = values::color_and_size(&pairs);
            ImportedVariant {
                line: row.line,
                sku: values::variant_sku(&product.handle, color.as_deref(), size.as_deref()),
                color,
                size,
                ..ImportedVariant::default()
            }
        })
        .collect()
}
