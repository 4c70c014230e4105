//! Product pages: pictures, price, availability, variants, description, delivery, shop.

use super::layout::{Page, Site, layout};
use super::listing::price;
use super::{Rendered, file_of, images, jsonld, shop_path, text};
use crate::model::{Product, Variant};
use maud::{Markup, PreEscaped, html};

/// The page of product number `index`.
pub fn page(site: &Site<'_>, index: usize) -> Rendered {
    let catalogue = site.catalogue;
    let product = &catalogue.products[index];
    let shop = &catalogue.shops[product.shop];
    let path = catalogue.product_path(product);
    let mut trail = vec![("Accueil".to_owned(), "/".to_owned())];
    trail.extend(catalogue.category_crumbs(product.category));
    trail.push((product.title.clone(), path.clone()));
    let plain = text::markdown_text(&product.description);
    let description = text::cut_at_word(
        if plain.is_empty() {
            &product.title
        } else {
            &plain
        },
        text::META_DESCRIPTION_MAX,
    );
    let page = Page {
        title: format!(
            "{} – {} | {}",
            product.title, shop.name, catalogue.town.site_name
        ),
        description,
        path: path.clone(),
        og_type: "product",
        image: super::listing::first_image(catalogue, product),
        breadcrumbs: trail,
        json_ld: vec![jsonld::product(site, product, &path)],
        robots: None,
        body: body(site, product),
    };
    Rendered::new(file_of(&path), layout(site, page))
}

fn body(site: &Site<'_>, product: &Product) -> Markup {
    let catalogue = site.catalogue;
    let shop = &catalogue.shops[product.shop];
    let in_stock = product.total_stock() > 0;
    html! {
        article.product {
            div.gallery { (gallery(&shop.slug, product)) }
            div.summary {
                h1 { (product.title) }
                p.seller { "Vendu par " a href=(shop_path(catalogue, product.shop)) { (shop.name) } }
                (price(site, product))
                @if let Some(sale) = product.sale_on(site.today) {
                    p.sale { "Promotion jusqu’au " (text::french_date(sale.until)) }
                }
                p.availability.in-stock[in_stock].out-of-stock[!in_stock] {
                    @if in_stock { "En stock" } @else { "Épuisé" }
                }
                @if !product.variants.is_empty() { (variants(site, product)) }
                @if in_stock { (add_to_cart(site, product)) }
                h2 { "Retrait et livraison" }
                ul.modes { @for m in &product.delivery { li { (m.label()) } } }
            }
            section.description aria-labelledby="description" {
                h2 #description { "Description" }
                (PreEscaped(text::markdown_html(&product.description)))
                (details(product))
            }
        }
    }
}

fn gallery(shop: &str, product: &Product) -> Markup {
    html! {
        @for (i, image) in product.images.iter().enumerate() {
            @let variants = images::variants(shop, image);
            @if let Some(img) = images::pick(&variants, 640) {
                @let alt = image_alt(product, i);
                img src=(img.path) srcset=(images::srcset(&variants)) sizes="(min-width: 60em) 30rem, 100vw"
                    width=(img.width) height=(img.height) alt=(alt)
                    fetchpriority=[(i == 0).then_some("high")] loading=[(i > 0).then_some("lazy")];
            }
        }
    }
}

/// The merchant's alt text of picture `i`, else the title (and the photo's number after
/// the first), so that no picture is left without a text alternative.
fn image_alt(product: &Product, i: usize) -> String {
    match product.images.get(i).and_then(|image| image.alt.clone()) {
        Some(alt) => alt,
        None if i == 0 => product.title.clone(),
        None => format!("{} – photo {}", product.title, i + 1),
    }
}

fn variants(site: &Site<'_>, product: &Product) -> Markup {
    let has_color = product.variants.iter().any(|v| v.color.is_some());
    let has_size = product.variants.iter().any(|v| v.size.is_some());
    html! {
        table.variants {
            caption { "Coloris et tailles disponibles" }
            thead { tr {
                @if has_color { th scope="col" { "Coloris" } }
                @if has_size { th scope="col" { "Taille" } }
                th scope="col" { "Prix" }
                th scope="col" { "Disponibilité" }
            } }
            tbody { @for v in &product.variants { (variant_row(site, product, v, has_color, has_size)) } }
        }
    }
}

fn variant_row(
    site: &Site<'_>,
    product: &Product,
    v: &Variant,
    has_color: bool,
    has_size: bool,
) -> Markup {
    html! {
        tr {
            @if has_color { td { (v.color.as_deref().unwrap_or("—")) } }
            @if has_size { td { (v.size.as_deref().unwrap_or("—")) } }
            td { (product.price_on(site.today, Some(v))) }
            td { @if v.stock > 0 { "En stock" } @else { "Épuisé" } }
        }
    }
}

/// The add-to-cart form: a plain POST to the server, which checks the origin instead of
/// a per-visitor token (this page is the same file for everyone). A variant is chosen in
/// a list where sold-out ones (per the catalogue) are shown but cannot be picked.
fn add_to_cart(site: &Site<'_>, product: &Product) -> Markup {
    html! {
        form.add-to-cart method="post" action="/panier/ajouter" {
            @if product.variants.is_empty() {
                input type="hidden" name="sku" value=(product.id);
            } @else {
                div.field {
                    label for="sku" { (variant_label(product)) }
                    select #sku name="sku" {
                        @for v in &product.variants { (variant_option(site, product, v)) }
                    }
                }
            }
            div.field {
                label for="quantity" { "Quantité" }
                input #quantity type="number" name="quantity" value="1" min="1"
                    max=(crate::model::MAX_QUANTITY) inputmode="numeric" required;
            }
            button.button type="submit" { "Ajouter au panier" }
        }
    }
}

/// "Coloris et taille", "Coloris" or "Taille".
fn variant_label(product: &Product) -> &'static str {
    let has_color = product.variants.iter().any(|v| v.color.is_some());
    let has_size = product.variants.iter().any(|v| v.size.is_some());
    match (has_color, has_size) {
        (true, true) => "Coloris et taille",
        (true, false) => "Coloris",
        (false, true) => "Taille",
        (false, false) => "Modèle",
    }
}

fn variant_option(site: &Site<'_>, product: &Product, v: &Variant) -> Markup {
    let name: Vec<String> = [
        v.color.clone(),
        v.size.as_ref().map(|s| format!("taille {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let name = if name.is_empty() {
        v.sku.clone()
    } else {
        name.join(", ")
    };
    let sold_out = v.stock == 0;
    html! {
        option value=(v.sku) disabled[sold_out] {
            (name) " — " (product.price_on(site.today, Some(v)))
            @if sold_out { " — épuisé" }
        }
    }
}

fn details(product: &Product) -> Markup {
    html! {
        dl.details {
            @if let Some(brand) = &product.brand { dt { "Marque" } dd { (brand) } }
            @if let Some(gtin) = &product.gtin { dt { "Code-barres (GTIN)" } dd { (gtin) } }
            dt { "Poids" } dd { (weight(product.weight)) }
            @if !product.tags.is_empty() { dt { "Mots-clés" } dd { (product.tags.join(", ")) } }
            dt { "Référence" } dd { (product.id) }
        }
    }
}

fn weight(grams: u32) -> String {
    if grams >= 1000 {
        let kilos = f64::from(grams) / 1000.0;
        format!(
            "{} kg",
            format!("{kilos:.2}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .replace('.', ",")
        )
    } else {
        format!("{grams} g")
    }
}
