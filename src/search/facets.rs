//! Facets: what each product offers to filter on, the filters a shopper ticked, and the
//! counts shown beside each value.
//!
//! Counts are disjunctive within a group and conjunctive across groups, as Algolia and
//! Meilisearch do: a value's count is the number of results it would give if ticked with
//! the other groups' filters unchanged. So ticking "rouge" still shows how many are
//! "bleu". One pass over the candidates does it: a product failing no group is a result and
//! counts in every group; one failing exactly one group counts in that group only.

use comptoir_indexer::Catalogue;
use comptoir_indexer::model::DeliveryMode;
use comptoir_indexer::money::Money;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The price ranges offered as links, in cents: `[from, to)`, `to` open-ended when `None`.
pub const PRICE_RANGES: [(i64, Option<i64>); 5] = [
    (0, Some(1_000)),
    (1_000, Some(2_000)),
    (2_000, Some(5_000)),
    (5_000, Some(10_000)),
    (10_000, None),
];

/// One filter group, as a bit in a product's "fails" mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Group {
    /// Aisle (hierarchical).
    Aisle = 1,
    /// Shop.
    Shop = 2,
    /// Colour of a variant.
    Color = 4,
    /// Size of a variant.
    Size = 8,
    /// Delivery mode.
    Mode = 16,
    /// In stock only.
    Stock = 32,
    /// Price between a minimum and a maximum.
    Price = 64,
}

/// What one product offers to the facets.
#[derive(Debug, Clone)]
struct Product {
    colors: Vec<u16>,
    sizes: Vec<u16>,
    newest: Date,
}

/// The facts every search reads for each candidate, packed (12 bytes a product, so a
/// pass over tens of thousands of candidates stays in the processor's cache); colours and
/// sizes are looked up in [`Product`] only for the products that have some.
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// Its aisle (counts reach the aisles above when the tally ends).
    aisle: u32,
    shop: u32,
    /// Its delivery modes, a bit each.
    modes: u8,
    /// Whether it has colours or sizes ([`HAS_COLORS`], [`HAS_SIZES`]).
    variants: u8,
}

const HAS_COLORS: u8 = 1;
const HAS_SIZES: u8 = 2;

/// A facet value shared by many products (a colour, a size): its URL value and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// In URLs: a slug.
    pub key: String,
    /// As written in the catalogue (first spelling seen).
    pub label: String,
}

/// The facets of every product of a catalogue, by product index.
#[derive(Debug)]
pub struct Facts {
    products: Vec<Product>,
    hot: Vec<Hot>,
    /// Colours, sorted by key.
    pub colors: Vec<Value>,
    /// Sizes, in a natural order (numbers by value, then letters).
    pub sizes: Vec<Value>,
    /// Each aisle's parent.
    parents: Vec<Option<usize>>,
    shop_count: usize,
    /// Whether the catalogue gives each product some stock.
    stocked: Vec<bool>,
    /// Today's prices, by product.
    prices: std::sync::RwLock<Option<(Date, std::sync::Arc<Vec<Money>>)>>,
}

/// The filters of one search, resolved against the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// Aisle (itself or below).
    pub aisle: Option<usize>,
    /// Shops (any of).
    pub shops: Vec<usize>,
    /// Colour indexes in [`Facts::colors`] (any of).
    pub colors: Vec<u16>,
    /// Size indexes in [`Facts::sizes`] (any of).
    pub sizes: Vec<u16>,
    /// Delivery modes (any of).
    pub modes: Vec<DeliveryMode>,
    /// In stock only.
    pub in_stock: bool,
    /// Lowest price (included).
    pub price_min: Option<Money>,
    /// Highest price (included).
    pub price_max: Option<Money>,
}

/// A candidate product as the filters see it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Index in the catalogue.
    pub ord: usize,
    /// Today's price (lowest across variants).
    pub price: Money,
    /// Whether it can be bought now.
    pub in_stock: bool,
    /// How well it matches the query.
    pub score: f32,
}

/// Counts per value of every group.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Per aisle index, ancestors included.
    pub aisles: BTreeMap<usize, usize>,
    /// Per shop index.
    pub shops: BTreeMap<usize, usize>,
    /// Per colour index.
    pub colors: BTreeMap<u16, usize>,
    /// Per size index.
    pub sizes: BTreeMap<u16, usize>,
    /// Per delivery mode.
    pub modes: BTreeMap<DeliveryMode, usize>,
    /// Products in stock.
    pub in_stock: usize,
    /// Per entry of [`PRICE_RANGES`].
    pub prices: [usize; PRICE_RANGES.len()],
}

fn mode_bit(mode: DeliveryMode) -> u8 {
    1 << (mode as u8)
}

impl Facts {
    /// The facets of every product of `catalogue`.
    #[must_use]
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut colors = Interner::default();
        let mut sizes = Interner::default();
        for p in &catalogue.products {
            for v in &p.variants {
                if let Some(c) = &v.color {
                    colors.add(c);
                }
                if let Some(s) = &v.size {
                    sizes.add(s);
                }
            }
        }
        let colors = colors.finish(|a, b| a.key.cmp(&b.key));
        let sizes = sizes.finish(size_order);
        let products: Vec<Product> = catalogue
            .products
            .iter()
            .map(|p| Product {
                colors: indexes(
                    &colors,
                    p.variants.iter().filter_map(|v| v.color.as_deref()),
                ),
                sizes: indexes(&sizes, p.variants.iter().filter_map(|v| v.size.as_deref())),
                newest: p.created.unwrap_or(p.updated).max(p.updated),
            })
            .collect();
        let hot = catalogue
            .products
            .iter()
            .zip(&products)
            .map(|(p, facts)| Hot {
                aisle: u32::try_from(p.category).unwrap_or(u32::MAX),
                shop: u32::try_from(p.shop).unwrap_or(u32::MAX),
                modes: p.delivery.iter().fold(0, |bits, m| bits | mode_bit(*m)),
                variants: if facts.colors.is_empty() {
                    0
                } else {
                    HAS_COLORS
                } | if facts.sizes.is_empty() { 0 } else { HAS_SIZES },
            })
            .collect();
        Self {
            products,
            hot,
            colors,
            sizes,
            parents: catalogue.categories.iter().map(|c| c.parent).collect(),
            shop_count: catalogue.shops.len(),
            stocked: catalogue
                .products
                .iter()
                .map(|p| p.total_stock() > 0)
                .collect(),
            prices: std::sync::RwLock::new(None),
        }
    }

    /// Whether the catalogue gives product `ord` some stock.
    #[must_use]
    pub fn catalogue_in_stock(&self, ord: usize) -> bool {
        self.stocked.get(ord).copied().unwrap_or(false)
    }

    /// Every product's price on `today` (the lowest across variants), computed once a day.
    #[must_use]
    pub fn prices(&self, catalogue: &Catalogue, today: Date) -> std::sync::Arc<Vec<Money>> {
        if let Ok(cached) = self.prices.read()
            && let Some((day, prices)) = cached.as_ref()
            && *day == today
        {
            return std::sync::Arc::clone(prices);
        }
        let prices = std::sync::Arc::new(
            catalogue
                .products
                .iter()
                .map(|p| p.lowest_price_on(today))
                .collect::<Vec<_>>(),
        );
        if let Ok(mut cached) = self.prices.write() {
            *cached = Some((today, std::sync::Arc::clone(&prices)));
        }
        prices
    }

    /// The colour whose key is `key`.
    #[must_use]
    pub fn color(&self, key: &str) -> Option<u16> {
        find(&self.colors, key)
    }

    /// The size whose key is `key`.
    #[must_use]
    pub fn size(&self, key: &str) -> Option<u16> {
        find(&self.sizes, key)
    }

    /// When the product was put online or last changed, for "newest first".
    #[must_use]
    pub fn newest(&self, ord: usize) -> Date {
        self.products[ord].newest
    }

    /// The groups `candidate` fails, as a mask of [`Group`] bits.
    fn fails(&self, filters: &Filters, within: &[bool], candidate: &Candidate) -> u8 {
        let p = self.hot[candidate.ord];
        let mut mask = 0;
        if filters.aisle.is_some() && !within.get(p.aisle as usize).copied().unwrap_or(false) {
            mask |= Group::Aisle as u8;
        }
        if !filters.shops.is_empty() && !filters.shops.contains(&(p.shop as usize)) {
            mask |= Group::Shop as u8;
        }
        if !filters.colors.is_empty()
            && (p.variants & HAS_COLORS == 0
                || !self.products[candidate.ord]
                    .colors
                    .iter()
                    .any(|c| filters.colors.contains(c)))
        {
            mask |= Group::Color as u8;
        }
        if !filters.sizes.is_empty()
            && (p.variants & HAS_SIZES == 0
                || !self.products[candidate.ord]
                    .sizes
                    .iter()
                    .any(|s| filters.sizes.contains(s)))
        {
            mask |= Group::Size as u8;
        }
        if !filters.modes.is_empty() && !filters.modes.iter().any(|m| p.modes & mode_bit(*m) != 0) {
            mask |= Group::Mode as u8;
        }
        if filters.in_stock && !candidate.in_stock {
            mask |= Group::Stock as u8;
        }
        let too_low = filters.price_min.is_some_and(|min| candidate.price < min);
        let too_high = filters.price_max.is_some_and(|max| candidate.price > max);
        if too_low || too_high {
            mask |= Group::Price as u8;
        }
        mask
    }

    /// Counts every facet value over `candidates`, and hands each one passing every
    /// filter to `keep`.
    pub fn filter(
        &self,
        filters: &Filters,
        candidates: impl IntoIterator<Item = Candidate>,
        mut keep: impl FnMut(&Candidate),
    ) -> Counts {
        let mut tally = Tally::new(self);
        let within = self.within(filters.aisle);
        let unfiltered = *filters == Filters::default();
        for candidate in candidates {
            let mask = if unfiltered {
                0
            } else {
                self.fails(filters, &within, &candidate)
            };
            if mask == 0 {
                keep(&candidate);
            }
            if mask.count_ones() <= 1 {
                self.count(&candidate, mask, &mut tally);
            }
        }
        tally.into_counts(&self.parents)
    }

    /// For each aisle, whether it is `aisle` or lies below it.
    fn within(&self, aisle: Option<usize>) -> Vec<bool> {
        let Some(aisle) = aisle else {
            return Vec::new();
        };
        (0..self.parents.len())
            .map(|mut c| {
                loop {
                    if c == aisle {
                        break true;
                    }
                    match self.parents[c] {
                        Some(parent) => c = parent,
                        None => break false,
                    }
                }
            })
            .collect()
    }

    /// Counts `candidate` in every group, or only in the one group it fails.
    fn count(&self, candidate: &Candidate, mask: u8, tally: &mut Tally) {
        let p = self.hot[candidate.ord];
        let counts_in = |group: Group| mask == 0 || mask == group as u8;
        if counts_in(Group::Aisle)
            && let Some(n) = tally.aisles.get_mut(p.aisle as usize)
        {
            *n += 1;
        }
        if counts_in(Group::Shop)
            && let Some(n) = tally.shops.get_mut(p.shop as usize)
        {
            *n += 1;
        }
        if p.variants & HAS_COLORS != 0 && counts_in(Group::Color) {
            for &c in &self.products[candidate.ord].colors {
                tally.colors[usize::from(c)] += 1;
            }
        }
        if p.variants & HAS_SIZES != 0 && counts_in(Group::Size) {
            for &s in &self.products[candidate.ord].sizes {
                tally.sizes[usize::from(s)] += 1;
            }
        }
        if counts_in(Group::Mode) {
            tally.mode_sets[usize::from(p.modes)] += 1;
        }
        if counts_in(Group::Stock) && candidate.in_stock {
            tally.in_stock += 1;
        }
        if counts_in(Group::Price)
            && let Some(range) = price_range(candidate.price)
        {
            tally.prices[range] += 1;
        }
    }
}

/// Counts while filtering, by dense index (no map on the hot path).
struct Tally {
    /// Per aisle, the products of that aisle itself (not below).
    aisles: Vec<usize>,
    shops: Vec<usize>,
    colors: Vec<usize>,
    sizes: Vec<usize>,
    /// Per set of delivery modes (a bit mask), the products offering exactly that set.
    mode_sets: [usize; 1 << DeliveryMode::ALL.len()],
    in_stock: usize,
    prices: [usize; PRICE_RANGES.len()],
}

impl Tally {
    fn new(facts: &Facts) -> Self {
        Self {
            aisles: vec![0; facts.parents.len()],
            shops: vec![0; facts.shop_count],
            colors: vec![0; facts.colors.len()],
            sizes: vec![0; facts.sizes.len()],
            mode_sets: [0; 1 << DeliveryMode::ALL.len()],
            in_stock: 0,
            prices: [0; PRICE_RANGES.len()],
        }
    }

    fn into_counts(mut self, parents: &[Option<usize>]) -> Counts {
        // Each aisle's own count goes up to every aisle above it (parents come before their
        // children in the catalogue, so walking backwards adds finished subtotals).
        for c in (0..self.aisles.len()).rev() {
            if let Some(parent) = parents[c] {
                self.aisles[parent] += self.aisles[c];
            }
        }
        let mut modes = [0; DeliveryMode::ALL.len()];
        for (set, n) in self.mode_sets.iter().enumerate() {
            for (i, mode) in DeliveryMode::ALL.into_iter().enumerate() {
                if set & usize::from(mode_bit(mode)) != 0 {
                    modes[i] += n;
                }
            }
        }
        fn nonzero<K: Ord>(values: Vec<usize>, key: impl Fn(usize) -> K) -> BTreeMap<K, usize> {
            values
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(i, n)| (key(i), n))
                .collect()
        }
        let small = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        Counts {
            aisles: nonzero(self.aisles, |i| i),
            shops: nonzero(self.shops, |i| i),
            colors: nonzero(self.colors, small),
            sizes: nonzero(self.sizes, small),
            modes: nonzero(modes.to_vec(), |i| DeliveryMode::ALL[i]),
            in_stock: self.in_stock,
            prices: self.prices,
        }
    }
}

/// The entry of [`PRICE_RANGES`] holding `price`.
#[must_use]
pub fn price_range(price: Money) -> Option<usize> {
    let cents = price.cents();
    PRICE_RANGES
        .iter()
        .position(|(from, to)| cents >= *from && to.is_none_or(|to| cents < to))
}

/// What a shopper reads for entry `range` of [`PRICE_RANGES`].
#[must_use]
pub fn price_label(range: usize) -> String {
    match PRICE_RANGES[range] {
        (0, Some(to)) => format!("Moins de {}", Money::from_cents(to).to_french()),
        (from, Some(to)) => format!(
            "De {} à {}",
            Money::from_cents(from).to_french(),
            Money::from_cents(to).to_french()
        ),
        (from, None) => format!("Plus de {}", Money::from_cents(from).to_french()),
    }
}

/// Distinct values by slug, keeping the first spelling seen.
#[derive(Default)]
struct Interner {
    seen: BTreeMap<String, String>,
}

impl Interner {
    fn add(&mut self, label: &str) {
        let key = comptoir_indexer::slug::slugify(label);
        if !key.is_empty() {
            self.seen.entry(key).or_insert_with(|| label.to_owned());
        }
    }

    fn finish(self, order: impl FnMut(&Value, &Value) -> std::cmp::Ordering) -> Vec<Value> {
        let mut values: Vec<Value> = self
            .seen
            .into_iter()
            .map(|(key, label)| Value { key, label })
            .collect();
        values.sort_by(order);
        values
    }
}

/// Sizes in the order a shopper reads them: numbers by value, then the usual letters.
fn size_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    const LETTERS: [&str; 9] = ["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "tu"];
    let rank = |v: &Value| {
        let number = v.key.split('-').next().and_then(|n| n.parse::<f64>().ok());
        match (number, LETTERS.iter().position(|l| *l == v.key)) {
            (Some(n), _) => (0, n, 0),
            (None, Some(i)) => (1, 0.0, i),
            (None, None) => (2, 0.0, 0),
        }
    };
    let (ra, rb) = (rank(a), rank(b));
    ra.0.cmp(&rb.0)
        .then(ra.1.total_cmp(&rb.1))
        .then(ra.2.cmp(&rb.2))
        .then_with(|| a.key.cmp(&b.key))
}

fn find(values: &[Value], key: &str) -> Option<u16> {
    values
        .iter()
        .position(|v| v.key == key)
        .and_then(|i| u16::try_from(i).ok())
}

fn indexes<'a>(values: &[Value], labels: impl Iterator<Item = &'a str>) -> Vec<u16> {
    let mut out: Vec<u16> = labels
        .filter_map(|l| find(values, &comptoir_indexer::slug::slugify(l)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
