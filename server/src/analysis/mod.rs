//! IDE features as pure functions of a parsed document: they take a [`SourceFile`] and byte
//! offsets and return plain data with byte spans. No LSP types, no IO.
//!
//! [`SourceFile`]: crate::syntax::SourceFile

pub mod actions;
pub mod build_context;
pub mod completion;
pub mod folding;
pub mod format;
pub mod hover;
pub mod inlay_hints;
pub mod links;
pub mod navigation;
pub mod selection;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;
