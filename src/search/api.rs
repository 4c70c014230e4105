//! `/api/search` and `/api/suggest`: the results page and the autocomplete as JSON.
//! The schema is documented in `docs/api.md`; field names are English, labels French.

use super::facets::{Facts, PRICE_RANGES};
use super::snippet::Piece;
use super::{Hit, Results, SearchParams, Suggestions};
use comptoir_indexer::Catalogue;
use comptoir_indexer::model::DeliveryMode;
use comptoir_indexer::render::images;
use jiff::civil::Date;
use serde::Serialize;

/// `/api/search`'s answer.
#[derive(Serialize)]
pub struct SearchResponse {
    query: String,
    total: usize,
    page: usize,
    pages: usize,
    page_size: usize,
    sort: &'static str,
    partial: bool,
    did_you_mean: Option<String>,
    hits: Vec<ProductJson>,
    facets: FacetsJson,
}

/// A product in an answer.
#[derive(Serialize)]
pub struct ProductJson {
    id: String,
    title: String,
    url: String,
    shop: Named,
    aisle: Named,
    price: PriceJson,
    in_stock: bool,
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet_html: Option<String>,
}

/// A shop or aisle: slug, name and page.
#[derive(Serialize)]
pub struct Named {
    slug: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct PriceJson {
    cents: i64,
    text: String,
    regular_cents: i64,
    on_sale: bool,
}

#[derive(Serialize)]
struct FacetValue {
    value: String,
    label: String,
    count: usize,
    selected: bool,
}

#[derive(Serialize)]
struct AisleValue {
    value: String,
    label: String,
    parent: Option<String>,
    count: usize,
    selected: bool,
}

#[derive(Serialize)]
struct PriceRange {
    min_cents: i64,
    max_cents: Option<i64>,
    label: String,
    count: usize,
}

#[derive(Serialize)]
struct FacetsJson {
    aisles: Vec<AisleValue>,
    shops: Vec<FacetValue>,
    colors: Vec<FacetValue>,
    sizes: Vec<FacetValue>,
    modes: Vec<FacetValue>,
    in_stock: FacetValue,
    prices: Vec<PriceRange>,
}

/// `/api/search`'s answer for `results`.
#[must_use]
pub fn search_response(
    catalogue: &Catalogue,
    facts: &Facts,
    today: Date,
    params: &SearchParams,
    results: &Results,
) -> SearchResponse {
    SearchResponse {
        query: params.q.clone(),
        total: results.total,
        page: results.page,
        pages: results.pages,
        page_size: super::params::PAGE_SIZE,
        sort: params.sort.key(),
        partial: results.partial,
        did_you_mean: results.did_you_mean.clone(),
        hits: results
            .hits
            .iter()
            .map(|hit| product_json(catalogue, today, hit.ord, hit.in_stock, Some(hit)))
            .collect(),
        facets: facets_json(catalogue, facts, params, results),
    }
}

/// A product's JSON; `hit` adds the marked title and snippet.
fn product_json(
    catalogue: &Catalogue,
    today: Date,
    ord: usize,
    in_stock: bool,
    hit: Option<&Hit>,
) -> ProductJson {
    let product = &catalogue.products[ord];
    let shop = &catalogue.shops[product.shop];
    let aisle = &catalogue.categories[product.category];
    let price = product.lowest_price_on(today);
    let regular = if product.variants.is_empty() {
        product.price
    } else {
        price.max(product.price)
    };
    let image = product
        .images
        .first()
        .and_then(|i| images::pick(&images::variants(&shop.slug, i), 320).map(|v| v.path.clone()));
    ProductJson {
        id: product.id.clone(),
        title: product.title.clone(),
        url: catalogue.product_path(product),
        shop: Named {
            slug: shop.slug.clone(),
            name: shop.name.clone(),
            url: format!("/boutiques/{}/", shop.slug),
        },
        aisle: Named {
            slug: aisle.slug.clone(),
            name: aisle.name.clone(),
            url: catalogue.category_path(product.category),
        },
        price: PriceJson {
            cents: price.cents(),
            text: price.to_french(),
            regular_cents: regular.cents(),
            on_sale: product.sale_on(today).is_some() && price < regular,
        },
        in_stock,
        image,
        title_html: hit.map(|h| html(&h.title)),
        snippet_html: hit.map(|h| html(&h.snippet)),
    }
}

/// Pieces as escaped HTML with `<mark>` around matched words.
fn html(pieces: &[Piece]) -> String {
    super::page::pieces(pieces).into_string()
}

fn facets_json(
    catalogue: &Catalogue,
    facts: &Facts,
    params: &SearchParams,
    results: &Results,
) -> FacetsJson {
    let counts = &results.counts;
    let f = &params.filters;
    FacetsJson {
        aisles: counts
            .aisles
            .iter()
            .map(|(&c, &count)| {
                let aisle = &catalogue.categories[c];
                AisleValue {
                    value: aisle.slug.clone(),
                    label: aisle.name.clone(),
                    parent: aisle.parent.map(|p| catalogue.categories[p].slug.clone()),
                    count,
                    selected: f.aisle == Some(c),
                }
            })
            .collect(),
        shops: counts
            .shops
            .iter()
            .map(|(&s, &count)| FacetValue {
                value: catalogue.shops[s].slug.clone(),
                label: catalogue.shops[s].name.clone(),
                count,
                selected: f.shops.contains(&s),
            })
            .collect(),
        colors: counts
            .colors
            .iter()
            .map(|(&c, &count)| FacetValue {
                value: facts.colors[usize::from(c)].key.clone(),
                label: facts.colors[usize::from(c)].label.clone(),
                count,
                selected: f.colors.contains(&c),
            })
            .collect(),
        sizes: counts
            .sizes
            .iter()
            .map(|(&s, &count)| FacetValue {
                value: facts.sizes[usize::from(s)].key.clone(),
                label: facts.sizes[usize::from(s)].label.clone(),
                count,
                selected: f.sizes.contains(&s),
            })
            .collect(),
        modes: DeliveryMode::ALL
            .into_iter()
            .filter_map(|m| {
                counts.modes.get(&m).map(|&count| FacetValue {
                    value: m.key().to_owned(),
                    label: m.label().to_owned(),
                    count,
                    selected: f.modes.contains(&m),
                })
            })
            .collect(),
        in_stock: FacetValue {
            value: "1".to_owned(),
            label: "En stock".to_owned(),
            count: counts.in_stock,
            selected: f.in_stock,
        },
        prices: PRICE_RANGES
            .iter()
            .zip(counts.prices)
            .enumerate()
            .map(|(range, (&(from, to), count))| PriceRange {
                min_cents: from,
                max_cents: to.map(|t| t - 1),
                label: super::facets::price_label(range),
                count,
            })
            .collect(),
    }
}

/// `/api/suggest`'s answer.
#[derive(Serialize)]
pub struct SuggestResponse {
    query: String,
    products: Vec<ProductJson>,
    aisles: Vec<Named>,
    shops: Vec<Named>,
}

/// `/api/suggest`'s answer for `suggestions`.
#[must_use]
pub fn suggest_response(
    catalogue: &Catalogue,
    today: Date,
    query: &str,
    suggestions: &Suggestions,
    in_stock: &dyn Fn(usize) -> bool,
) -> SuggestResponse {
    SuggestResponse {
        query: query.to_owned(),
        products: suggestions
            .products
            .iter()
            .map(|&ord| product_json(catalogue, today, ord, in_stock(ord), None))
            .collect(),
        aisles: suggestions
            .aisles
            .iter()
            .map(|&c| Named {
                slug: catalogue.categories[c].slug.clone(),
                name: catalogue.categories[c].name.clone(),
                url: catalogue.category_path(c),
            })
            .collect(),
        shops: suggestions
            .shops
            .iter()
            .map(|&s| Named {
                slug: catalogue.shops[s].slug.clone(),
                name: catalogue.shops[s].name.clone(),
                url: format!("/boutiques/{}/", catalogue.shops[s].slug),
            })
            .collect(),
    }
}
