//! The static assets of `site/`, fingerprinted and embedded by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/assets.rs"));
