//! Product photos.

pub mod intake;
pub mod page;
pub mod store;
