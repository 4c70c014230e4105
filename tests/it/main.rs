//! Integration tests: build sites from fixture catalogues into temp folders and drive the
//! server over HTTP (in process, through the router).

mod admin;
mod admin_shops;
mod backoffice;
mod commerce;
mod figures;
mod generator;
mod helpers;
mod live;
mod network;
mod offers;
mod ops;
mod process;
mod publishing;
mod reach;
mod search;
mod seo;
mod serving;
mod shopping;
mod sitemaps;
mod validation;
