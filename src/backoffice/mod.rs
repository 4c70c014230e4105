//! The merchant back-office (placeholder until the foundation lands).

pub mod photos;
