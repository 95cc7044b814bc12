//! IDE features as pure functions of a parsed document: they take a [`SourceFile`] and byte
//! offsets and return plain data with byte spans. No LSP types, no IO.
//!
//! [`SourceFile`]: crate::syntax::SourceFile

pub mod actions;
pub mod hover;
pub mod symbols;
