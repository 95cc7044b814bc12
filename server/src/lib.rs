//! dockerfile-ls: a language server and linter for Dockerfiles. The binary is a thin shell around
//! this library; the layers depend inward: `lsp` → `analysis`, `lint` → `knowledge`, `syntax` →
//! `text`.

pub mod analysis;
pub mod buildkit_json;
pub mod bytes;
pub mod cli;
pub mod config;
pub mod knowledge;
pub mod lint;
pub mod lsp;
pub mod memo;
pub mod memory;
pub mod report;
pub mod syntax;
pub mod text;
pub mod workspace;

/// Locks a std mutex, taking the data of a poisoned one: a panic is logged where it happened,
/// and the data behind our locks is always left whole.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
