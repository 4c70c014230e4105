//! Product photos.

pub mod intake;
