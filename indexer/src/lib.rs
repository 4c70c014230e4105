//! comptoir's indexer: the catalogue model, loading and validating `content/`, rendering
//! the pre-built pages, sitemaps, and publishing builds atomically.
//!
//! Data flows one way: [`load`] reads `content/` into a [`Catalogue`], [`pipeline::build`]
//! renders it into a staging folder and [`publish`] switches it live. The server uses this
//! crate for the shared page layout and URL rules, so each is defined once.

pub mod draft;
pub mod error;
pub mod feeds;
pub mod history;
mod imaging;
pub mod live;
pub mod load;
pub mod model;
pub mod money;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod problem;
pub mod publish;
pub mod render;
pub mod search;
pub mod sitemap;
pub mod slug;
pub mod synthetic;
pub mod unique;

pub use error::{Error, Result};
pub use model::Catalogue;
pub use money::Money;
pub use problem::Problem;
