//! dockerfile-ls: a language server and linter for Dockerfiles. The binary is a thin shell around
//! this library; the layers depend inward: `lsp` → `analysis`, `lint` → `knowledge`, `syntax` →
//! `text`.

pub mod analysis;
pub mod buildkit_json;
pub mod cli;
pub mod knowledge;
pub mod lint;
pub mod lsp;
pub mod memo;
pub mod memory;
pub mod syntax;
pub mod text;
