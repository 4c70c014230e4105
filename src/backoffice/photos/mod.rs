//! Product photos.

pub mod intake;
pub mod store;
