//! Parsing catalogue files: text in, validated model (or every problem found) out.
//!
//! Pure functions: the loader reads the files and hands their text here. Each file type
//! has its serde "raw" shape (`deny_unknown_fields`, spans kept where a later check needs
//! a line number) and a conversion that checks every field and collects every problem.

mod category;
mod charter;
mod fields;
mod offer;
mod product;
mod shop;
mod town;

pub use category::parse_categories;
pub use charter::parse_charter;
pub use fields::{FileCtx, gtin_is_valid};
pub use offer::{is_code, parse_offers};
pub use product::{Lines, ParsedProduct, ProductContext, parse_product};
pub use shop::parse_shop;
pub use town::parse_town;
