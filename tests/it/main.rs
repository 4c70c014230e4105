//! Integration tests: build sites from fixture catalogues into temp folders and drive the
//! server over HTTP (in process, through the router).

mod generator;
mod helpers;
mod process;
mod publishing;
mod seo;
mod serving;
mod sitemaps;
mod validation;
