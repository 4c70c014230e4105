//! Shopify's product CSV, both header generations: before 2024 (`Handle`, `Body (HTML)`,
//! `Variant Inventory Qty`, `Option1 Name`) and since (`URL handle`, `Description`,
//! `Inventory quantity`, `Option1 name`). One row per variant, the product's fields on its
//! first row; rows that only add a picture carry nothing else.
//! Source: help.shopify.com, "Using CSV files to import and export products".

use super::table::{Row, Table};
use super::{Format, Imported, ImportedProduct, ImportedVariant, html, values};
use std::collections::HashMap;

/// The column names of one header generation.
struct Columns {
    handle: &'static str,
    body: &'static str,
    category: &'static str,
    published: &'static str,
    sku: &'static str,
    grams: &'static str,
    quantity: &'static str,
    price: &'static str,
    barcode: &'static str,
    image: &'static str,
    option_name: [&'static str; 3],
    option_value: [&'static str; 3],
}

const LEGACY: Columns = Columns {
    handle: "Handle",
    body: "Body (HTML)",
    category: "Product Category",
    published: "Published",
    sku: "Variant SKU",
    grams: "Variant Grams",
    quantity: "Variant Inventory Qty",
    price: "Variant Price",
    barcode: "Variant Barcode",
    image: "Image Src",
    option_name: ["Option1 Name", "Option2 Name", "Option3 Name"],
    option_value: ["Option1 Value", "Option2 Value", "Option3 Value"],
};

const SINCE_2024: Columns = Columns {
    handle: "URL handle",
    body: "Description",
    category: "Product category",
    published: "Published on online store",
    sku: "SKU",
    grams: "Weight value (grams)",
    quantity: "Inventory quantity",
    price: "Price",
    barcode: "Barcode",
    image: "Product image URL",
    option_name: ["Option1 name", "Option2 name", "Option3 name"],
    option_value: ["Option1 value", "Option2 value", "Option3 value"],
};

/// The option value Shopify gives a product without variants.
const DEFAULT_TITLE: &str = "Default Title";

/// Reads a Shopify export into `imported`.
pub fn read(table: &Table, format: Format, imported: &mut Imported) {
    let cols = if format == Format::Shopify2024 {
        &SINCE_2024
    } else {
        &LEGACY
    };
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<&Row>> = HashMap::new();
    for row in &table.rows {
        let handle = table.get(row, cols.handle);
        if handle.is_empty() {
            let reason = "identifiant (handle) manquant : la ligne est ignorée";
            imported
                .errors
                .push(table.row_error(row, cols.handle, reason));
            continue;
        }
        groups.entry(handle).or_insert_with(|| {
            order.push(handle);
            Vec::new()
        });
        groups.entry(handle).or_default().push(row);
    }
    for handle in order {
        let rows = &groups[handle];
        if let Some(product) = product(table, cols, handle, rows, &mut imported.errors) {
            imported.products.push(product);
        }
    }
}

/// One product from its rows (the first carries the product's fields).
fn product(
    table: &Table,
    cols: &Columns,
    handle: &str,
    rows: &[&Row],
    errors: &mut Vec<super::RowError>,
) -> Option<ImportedProduct> {
    let first = rows[0];
    let title = table.get(first, "Title");
    if title.is_empty() {
        errors.push(table.row_error(first, "Title", "titre manquant : le produit est ignoré"));
        return None;
    }
    let status = table.get(first, "Status");
    let names: Vec<&str> = cols
        .option_name
        .iter()
        .map(|c| table.get(first, c))
        .collect();
    let mut product = ImportedProduct {
        line: first.line,
        handle: handle.to_owned(),
        title: title.to_owned(),
        description: html::to_markdown(table.get(first, cols.body)),
        category: category(table, cols, first),
        tags: values::tags(table.get(first, "Tags")),
        brand: Some(table.get(first, "Vendor").to_owned()).filter(|v| !v.is_empty()),
        published: values::flag(table.get(first, cols.published))
            && (status.is_empty() || status.eq_ignore_ascii_case("active")),
        images: rows
            .iter()
            .filter(|r| !table.get(r, cols.image).is_empty())
            .count(),
        ..ImportedProduct::default()
    };
    let variants: Vec<Line> = rows
        .iter()
        .filter(|r| is_variant_row(table, cols, r))
        .filter_map(|r| line(table, cols, &names, r, errors))
        .collect();
    let Some(head) = variants.first() else {
        let reason = "aucune ligne de prix pour ce produit : il est ignoré";
        errors.push(table.row_error(first, cols.price, reason));
        return None;
    };
    product.price = head.price;
    product.weight = variants.iter().map(|v| v.grams).max().unwrap_or(0);
    if variants.len() == 1 && head.color.is_none() && head.size.is_none() {
        product.sku = head.sku.clone();
        product.stock = head.stock;
        product.gtin = head.gtin.clone();
    } else {
        product.variants = variants
            .iter()
            .map(|v| v.to_variant(handle, product.price))
            .collect();
    }
    Some(product)
}

/// The source's category: its type, else the last level of its standard category.
fn category(table: &Table, cols: &Columns, row: &Row) -> Option<String> {
    let kind = table.get(row, "Type");
    let standard = table
        .get(row, cols.category)
        .rsplit('>')
        .next()
        .unwrap_or("")
        .trim();
    [kind, standard]
        .into_iter()
        .find(|c| !c.is_empty())
        .map(str::to_owned)
}

/// Whether a row is a variant (not a row that only adds a picture).
fn is_variant_row(table: &Table, cols: &Columns, row: &Row) -> bool {
    !table.get(row, cols.price).is_empty()
        || !table.get(row, cols.sku).is_empty()
        || cols
            .option_value
            .iter()
            .any(|c| !table.get(row, c).is_empty())
}

/// A variant row, read.
struct Line {
    line: u64,
    sku: Option<String>,
    color: Option<String>,
    size: Option<String>,
    price: comptoir_indexer::Money,
    stock: u32,
    gtin: Option<String>,
    grams: u32,
}

impl Line {
    fn to_variant(&self, handle: &str, base: comptoir_indexer::Money) -> ImportedVariant {
        ImportedVariant {
            line: self.line,
            sku: self.sku.clone().unwrap_or_else(|| {
                values::variant_sku(handle, self.color.as_deref(), self.size.as_deref())
            }),
            color: self.color.clone(),
            size: self.size.clone(),
            price: (self.price != base).then_some(self.price),
            stock: self.stock,
            gtin: self.gtin.clone(),
        }
    }
}

/// Reads a variant row; a bad price leaves it out, a bad optional field is dropped.
fn line(
    table: &Table,
    cols: &Columns,
    names: &[&str],
    row: &Row,
    errors: &mut Vec<super::RowError>,
) -> Option<Line> {
    let price = match values::price(table.get(row, cols.price)) {
        Ok(p) => p,
        Err(reason) => {
            errors.push(table.row_error(
                row,
                cols.price,
                format!("{reason} ; la ligne est ignorée"),
            ));
            return None;
        }
    };
    let options: Vec<(&str, &str)> = names
        .iter()
        .zip(&cols.option_value)
        .map(|(n, c)| (*n, table.get(row, c)))
        .filter(|(n, v)| !(n.eq_ignore_ascii_case("Title") && *v == DEFAULT_TITLE))
        .collect();
    let (color, size) = values::color_and_size(&options);
    let mut field = |column: &str, result: Result<u32, String>| {
        result.unwrap_or_else(|reason| {
            errors.push(table.row_error(row, column, reason));
            0
        })
    };
    let stock = field(cols.quantity, values::stock(table.get(row, cols.quantity)));
    let grams = field(cols.grams, values::weight(table.get(row, cols.grams), 1.0));
    let gtin = values::gtin(table.get(row, cols.barcode)).unwrap_or_else(|reason| {
        errors.push(table.row_error(row, cols.barcode, reason));
        None
    });
    let sku = Some(table.get(row, cols.sku).to_owned()).filter(|s| !s.is_empty());
    Some(Line {
        line: row.line,
        sku,
        color,
        size,
        price,
        stock,
        gtin,
        grams,
    })
}
