//! The bridge from a priced cart to [`super::discounts`]: its available lines with their
//! shop and aisles, the catalogue's offers and aisle names, and the uses of the code.

use super::{CodeInput, Context, Discounts, Line, codes, discounts};
use crate::db::{Db, Result};
use crate::pricing::PricedCart;
use comptoir_indexer::model::{Catalogue, OfferKind, OfferState};
use jiff::civil::Date;

/// What the catalogue's offers take off `priced` on `today`, with `code` used `uses`
/// times so far.
#[must_use]
pub fn for_cart(
    catalogue: &Catalogue,
    priced: &PricedCart,
    today: Date,
    code: Option<CodeInput<'_>>,
) -> Discounts {
    let lines: Vec<Line> = priced
        .shops
        .iter()
        .flat_map(|basket| basket.available().map(move |l| (basket.shop, l)))
        .map(|(shop, l)| {
            let product = &catalogue.products[l.product];
            Line {
                shop,
                aisles: catalogue
                    .category_trail(product.category)
                    .iter()
                    .map(|c| c.slug.clone())
                    .collect(),
                unit_price: l.unit_price,
                quantity: l.quantity,
            }
        })
        .collect();
    let aisle_name = |slug: &str| {
        catalogue
            .categories
            .iter()
            .find(|c| c.slug == slug)
            .map_or_else(|| slug.to_owned(), |c| c.name.clone())
    };
    let cx = Context {
        today,
        code,
        aisle_name: &aisle_name,
    };
    discounts(&lines, &catalogue.offers, &cx)
}

/// [`for_cart`] with the uses of `code` read from the database.
///
/// # Errors
///
/// When the database fails.
pub async fn for_cart_now(
    db: &Db,
    catalogue: &Catalogue,
    priced: &PricedCart,
    today: Date,
    code: Option<&str>,
) -> Result<Discounts> {
    let uses = match code {
        Some(code) => {
            let normalised = comptoir_indexer::model::normalize_code(code);
            codes::uses(db, &normalised).await?
        }
        None => 0,
    };
    let input = code.map(|code| CodeInput { code, uses });
    Ok(for_cart(catalogue, priced, today, input))
}

/// What the cart lacks for the offers running on `today` that do not apply yet: another
/// shop for a multi-shop offer, the missing aisles of a bundle it has started.
#[must_use]
pub fn hints(
    catalogue: &Catalogue,
    priced: &PricedCart,
    discounts: &Discounts,
    today: Date,
) -> Vec<String> {
    let shops = priced
        .shops
        .iter()
        .filter(|b| b.subtotal.cents() > 0)
        .count();
    if shops == 0 {
        return Vec::new();
    }
    let applied = |id: &str| discounts.applied.iter().any(|a| a.offer == id);
    let has = |aisle: &str| {
        priced.shops.iter().flat_map(|b| b.available()).any(|l| {
            let category = catalogue.products[l.product].category;
            catalogue
                .category_trail(category)
                .iter()
                .any(|c| c.slug == aisle)
        })
    };
    let mut hints = Vec::new();
    for offer in catalogue
        .offers
        .iter()
        .filter(|o| o.state_on(today) == OfferState::Active && !applied(&o.id))
    {
        match &offer.kind {
            OfferKind::MultiShop {
                min_shops, percent, ..
            } if u32::try_from(shops).unwrap_or(u32::MAX) < *min_shops => {
                hints.push(format!(
                    "{} : −{percent} % sur vos achats dès {min_shops} boutiques. Ajoutez un article d’une autre boutique pour en profiter.",
                    offer.name
                ));
            }
            OfferKind::Bundle { aisles, reduction } if aisles.iter().any(|a| has(a)) => {
                let missing: Vec<String> = aisles
                    .iter()
                    .filter(|a| !has(a))
                    .filter_map(|a| catalogue.categories.iter().find(|c| &c.slug == a))
                    .map(|c| c.name.clone())
                    .collect();
                if !missing.is_empty() {
                    hints.push(format!(
                        "{} : {} en ajoutant un article de : {}.",
                        offer.name,
                        reduction.to_french(),
                        missing.join(", ")
                    ));
                }
            }
            _ => {}
        }
    }
    hints
}
