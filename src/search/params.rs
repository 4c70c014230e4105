//! A search request's parameters, read from the query string and checked against the
//! catalogue. Anything a shopper can type in the box is accepted (cut to
//! [`MAX_QUERY_CHARS`]); a parameter that no form of ours writes wrongly — a price that is
//! not an amount, an unknown aisle or sort — gets a French message saying what to write.

use super::facets::{Facts, Filters};
use comptoir_indexer::Catalogue;
use comptoir_indexer::model::DeliveryMode;
use comptoir_indexer::money::Money;

/// Longest query kept, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Highest page number served.
pub const MAX_PAGE: usize = 1_000;
/// Results per page.
pub const PAGE_SIZE: usize = 24;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Cheapest first.
    PriceAscending,
    /// Dearest first.
    PriceDescending,
    /// Newest first.
    Newest,
}

impl Sort {
    /// Every sort, in the order the page offers them.
    pub const ALL: [Self; 4] = [
        Self::Relevance,
        Self::PriceAscending,
        Self::PriceDescending,
        Self::Newest,
    ];

    /// The value in URLs.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Relevance => "pertinence",
            Self::PriceAscending => "prix-croissant",
            Self::PriceDescending => "prix-decroissant",
            Self::Newest => "nouveautes",
        }
    }

    /// What the shopper reads.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Pertinence",
            Self::PriceAscending => "Prix croissant",
            Self::PriceDescending => "Prix décroissant",
            Self::Newest => "Nouveautés",
        }
    }
}

/// One search request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchParams {
    /// The text typed, cut to [`MAX_QUERY_CHARS`].
    pub q: String,
    /// The filters.
    pub filters: Filters,
    /// The order.
    pub sort: Sort,
    /// Page number, from 1.
    pub page: usize,
}

/// A parameter we cannot use, with what to write instead (in French).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

impl SearchParams {
    /// Reads the parameters of `query` (the raw query string, without `?`).
    ///
    /// # Errors
    ///
    /// A [`ParamError`] naming the parameter and what it should be.
    pub fn parse(query: &str, catalogue: &Catalogue, facts: &Facts) -> Result<Self, ParamError> {
        let mut params = Self {
            page: 1,
            ..Self::default()
        };
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match name.as_ref() {
                "q" => params.q = value.chars().take(MAX_QUERY_CHARS).collect(),
                "rayon" if !value.is_empty() => {
                    params.filters.aisle = Some(aisle(catalogue, value)?);
                }
                "boutique" if !value.is_empty() => {
                    push_unique(&mut params.filters.shops, shop(catalogue, value)?);
                }
                "couleur" if !value.is_empty() => {
                    let color = facts.color(value).ok_or_else(|| {
                        ParamError(format!("Aucun produit n’a la couleur « {value} ».",))
                    })?;
                    push_unique(&mut params.filters.colors, color);
                }
                "taille" if !value.is_empty() => {
                    let size = facts.size(value).ok_or_else(|| {
                        ParamError(format!("Aucun produit n’a la taille « {value} »."))
                    })?;
                    push_unique(&mut params.filters.sizes, size);
                }
                "mode" if !value.is_empty() => {
                    push_unique(&mut params.filters.modes, mode(value)?);
                }
                "stock" => params.filters.in_stock = matches!(value, "1" | "oui" | "on"),
                "prix_min" if !value.is_empty() => {
                    params.filters.price_min = Some(price("prix_min", value)?);
                }
                "prix_max" if !value.is_empty() => {
                    params.filters.price_max = Some(price("prix_max", value)?);
                }
                "tri" if !value.is_empty() => params.sort = sort(value)?,
                "page" if !value.is_empty() => params.page = page(value)?,
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (params.filters.price_min, params.filters.price_max)
            && min > max
        {
            return Err(ParamError(format!(
                "Le prix minimum ({}) dépasse le prix maximum ({}) : inversez-les.",
                min.to_french(),
                max.to_french()
            )));
        }
        Ok(params)
    }
}

impl SearchParams {
    /// The query string that asks for these parameters again (shareable URLs, links that
    /// change one thing). Defaults are left out.
    #[must_use]
    pub fn query_string(&self, catalogue: &Catalogue, facts: &Facts) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        let f = &self.filters;
        if let Some(aisle) = f.aisle {
            out.append_pair("rayon", &catalogue.categories[aisle].slug);
        }
        for &shop in &f.shops {
            out.append_pair("boutique", &catalogue.shops[shop].slug);
        }
        for &c in &f.colors {
            out.append_pair("couleur", &facts.colors[usize::from(c)].key);
        }
        for &s in &f.sizes {
            out.append_pair("taille", &facts.sizes[usize::from(s)].key);
        }
        for mode in &f.modes {
            out.append_pair("mode", mode.key());
        }
        if f.in_stock {
            out.append_pair("stock", "1");
        }
        if let Some(min) = f.price_min {
            out.append_pair("prix_min", &min.to_decimal());
        }
        if let Some(max) = f.price_max {
            out.append_pair("prix_max", &max.to_decimal());
        }
        if self.sort != Sort::Relevance {
            out.append_pair("tri", self.sort.key());
        }
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }

    /// `/recherche?…` for these parameters.
    #[must_use]
    pub fn url(&self, catalogue: &Catalogue, facts: &Facts) -> String {
        let query = self.query_string(catalogue, facts);
        if query.is_empty() {
            "/recherche".to_owned()
        } else {
            format!("/recherche?{query}")
        }
    }

    /// A copy changed by `change`, back on page 1.
    #[must_use]
    pub fn with(&self, change: impl FnOnce(&mut Self)) -> Self {
        let mut copy = self.clone();
        copy.page = 1;
        change(&mut copy);
        copy
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn aisle(catalogue: &Catalogue, slug: &str) -> Result<usize, ParamError> {
    catalogue
        .categories
        .iter()
        .position(|c| c.slug == slug)
        .ok_or_else(|| {
            ParamError(format!(
                "Le rayon « {slug} » n’existe pas : choisissez un rayon dans la liste."
            ))
        })
}

fn shop(catalogue: &Catalogue, slug: &str) -> Result<usize, ParamError> {
    catalogue
        .shops
        .iter()
        .position(|s| s.slug == slug)
        .ok_or_else(|| {
            ParamError(format!(
                "La boutique « {slug} » n’existe pas : choisissez une boutique dans la liste."
            ))
        })
}

fn mode(key: &str) -> Result<DeliveryMode, ParamError> {
    DeliveryMode::from_key(key).ok_or_else(|| {
        ParamError(format!(
            "Mode de retrait inconnu « {key} » : écrivez click_collect, locker, relay, home ou post."
        ))
    })
}

fn price(name: &str, value: &str) -> Result<Money, ParamError> {
    let text = value.trim_end_matches('€').trim();
    Money::parse(text).map_err(|_| {
        ParamError(format!(
            "« {value} » n’est pas un prix pour {name} : écrivez un montant positif en euros, par exemple 12,50."
        ))
    })
}

fn sort(value: &str) -> Result<Sort, ParamError> {
    Sort::ALL
        .into_iter()
        .find(|s| s.key() == value)
        .ok_or_else(|| {
            ParamError(format!(
                "Tri inconnu « {value} » : écrivez pertinence, prix-croissant, prix-decroissant ou nouveautes."
            ))
        })
}

fn page(value: &str) -> Result<usize, ParamError> {
    match value.parse::<usize>() {
        Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        _ => Err(ParamError(format!(
            "Page « {value} » impossible : écrivez un numéro de page entre 1 et {MAX_PAGE}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_must_be_positive_amounts() {
        assert!(price("prix_min", "12,50").is_ok());
        assert!(price("prix_min", "12 €").is_ok());
        assert!(price("prix_min", "-3").is_err());
        assert!(price("prix_min", "abc").is_err());
    }

    #[test]
    fn pages_are_bounded() {
        assert_eq!(page("2"), Ok(2));
        assert!(page("0").is_err());
        assert!(page("-1").is_err());
        assert!(page("1001").is_err());
    }
}
