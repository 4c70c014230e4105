//! The listing order (published products by folded title, then id), kept up to date one
//! product at a time instead of sorting the whole catalogue again.

use crate::model::{Catalogue, Product};
use crate::render::listing_key;

/// Published products' indexes in listing order, with every product's sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingOrder {
    /// Catalogue indexes of published products, in listing order.
    pub order: Vec<usize>,
    /// The sort key of every product, by catalogue index.
    keys: Vec<String>,
}

impl ListingOrder {
    /// The order of `catalogue`, sorted once.
    #[must_use]
    pub fn new(catalogue: &Catalogue) -> Self {
        let keys: Vec<String> = catalogue.products.iter().map(|p| listing_key(p)).collect();
        let mut order: Vec<usize> = (0..catalogue.products.len())
            .filter(|&i| catalogue.is_public(&catalogue.products[i]))
            .collect();
        order.sort_by(|&a, &b| {
            (&keys[a], &catalogue.products[a].id).cmp(&(&keys[b], &catalogue.products[b].id))
        });
        Self { order, keys }
    }

    /// Product `index` was replaced by `product` (same place in the catalogue).
    pub fn replace(&mut self, products: &[impl AsRef<Product>], index: usize) {
        self.order.retain(|&i| i != index);
        self.keys[index] = listing_key(products[index].as_ref());
        self.place(products, index);
    }

    /// `products[index]` was inserted (the products after it moved up by one).
    pub fn insert(&mut self, products: &[impl AsRef<Product>], index: usize) {
        for i in &mut self.order {
            if *i >= index {
                *i += 1;
            }
        }
        self.keys
            .insert(index, listing_key(products[index].as_ref()));
        self.place(products, index);
    }

    /// Product `index` was removed (the products after it moved down by one).
    pub fn remove(&mut self, index: usize) {
        self.order.retain(|&i| i != index);
        for i in &mut self.order {
            if *i > index {
                *i -= 1;
            }
        }
        self.keys.remove(index);
    }

    /// Puts `index` at its place in the order, if published.
    fn place(&mut self, products: &[impl AsRef<Product>], index: usize) {
        let product = products[index].as_ref();
        if !product.published {
            return;
        }
        let key = (&self.keys[index], &product.id);
        let at = self
            .order
            .partition_point(|&i| (&self.keys[i], &products[i].as_ref().id) < key);
        self.order.insert(at, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalogue;
    use std::sync::Arc;

    fn catalogue() -> Catalogue {
        let content =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/search");
        crate::load::load(&content).expect("the search fixture loads")
    }

    fn retitle(catalogue: &mut Catalogue, index: usize, title: &str) {
        Arc::make_mut(&mut catalogue.products[index]).title = title.to_owned();
    }

    #[test]
    fn one_product_at_a_time_gives_the_full_sort() {
        let mut catalogue = catalogue();
        let mut order = ListingOrder::new(&catalogue);

        retitle(&mut catalogue, 3, "Zzz dernier du rayon");
        order.replace(&catalogue.products, 3);
        assert_eq!(order, ListingOrder::new(&catalogue), "after a new title");

        retitle(&mut catalogue, 7, "Écharpe (accent plié)");
        order.replace(&catalogue.products, 7);
        assert_eq!(
            order,
            ListingOrder::new(&catalogue),
            "after an accented title"
        );

        let mut copy = (*catalogue.products[10]).clone();
        copy.id = "nouveau".into();
        copy.title = "Abricots secs".into();
        catalogue.products.insert(5, Arc::new(copy));
        order.insert(&catalogue.products, 5);
        assert_eq!(order, ListingOrder::new(&catalogue), "after an insertion");

        catalogue.products.remove(0);
        order.remove(0);
        assert_eq!(order, ListingOrder::new(&catalogue), "after a removal");

        Arc::make_mut(&mut catalogue.products[2]).published = false;
        order.replace(&catalogue.products, 2);
        assert_eq!(order, ListingOrder::new(&catalogue), "after unpublishing");
    }
}
