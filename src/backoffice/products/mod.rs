//! The product catalogue editor (`/espace-commercant/produits`): the shop's products listed
//! and searched, each editable field by field, saved as its file in `content/` for the
//! live catalogue to put online.
//!
//! `form` reads the fields into a [`comptoir_indexer::draft::ProductDraft`], `save` names
//! and checks the file with the indexer's own parser, `files` finds the shop's files,
//! `edit`, `list` and `preview` draw the pages.

pub mod edit;
pub mod files;
pub mod form;
pub mod list;
pub mod preview;
pub mod save;
