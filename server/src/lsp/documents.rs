//! Open documents: text, version and tree, kept in step with the editor's changes, and the
//! parsed snapshot of each version that requests and diagnostics read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types::Uri;

use crate::lint::{self, Diagnostic};
use crate::syntax::SourceFile;
use crate::syntax::tree::SyntaxTree;
use crate::text::{LineIndex, PositionEncoding, Text, TextChange};

/// One version of a document, parsed, with its findings computed on demand.
pub struct Snapshot {
    pub version: i32,
    pub source: SourceFile,
    pub index: LineIndex,
    /// Findings, for the settings generation they were computed with.
    diagnostics: Mutex<Option<(u64, Arc<Vec<Diagnostic>>)>>,
}

impl Snapshot {
    pub fn new(
        version: i32,
        text: Text,
        tree: Option<tree_sitter::Tree>,
        encoding: PositionEncoding,
    ) -> Snapshot {
        let source = SourceFile::new(text.to_string_lossless(), tree);
        Snapshot {
            version,
            source,
            index: LineIndex::new(text, encoding),
            diagnostics: Mutex::new(None),
        }
    }

    /// The findings under `settings` (cached per settings generation).
    pub fn diagnostics(&self, settings: &lint::Settings, generation: u64) -> Arc<Vec<Diagnostic>> {
        let mut cached = self
            .diagnostics
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((at, diagnostics)) = cached.as_ref()
            && *at == generation
        {
            return diagnostics.clone();
        }
        let diagnostics = Arc::new(lint::lint(&self.source, settings));
        *cached = Some((generation, diagnostics.clone()));
        diagnostics
    }
}

struct Document {
    text: Text,
    version: i32,
    syntax: SyntaxTree,
    snapshot: Option<Arc<Snapshot>>,
}

/// Why a change was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    UnknownDocument,
    StaleVersion { current: i32, received: i32 },
}

/// What a snapshot is built from, taken under the lock and built outside it.
#[derive(Debug)]
pub struct Pending {
    pub uri: Uri,
    pub version: i32,
    text: Text,
    tree: Option<tree_sitter::Tree>,
}

#[derive(Default)]
pub struct Documents {
    open: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere never leaves a document half-edited: edits are applied whole.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn open(&self, uri: Uri, version: i32, text: &str) -> Pending {
        let text = Text::new(text);
        let syntax = SyntaxTree::new(&text);
        let pending = Pending {
            uri: uri.clone(),
            version,
            text: text.clone(),
            tree: syntax.tree().cloned(),
        };
        self.lock().insert(
            uri,
            Document {
                text,
                version,
                syntax,
                snapshot: None,
            },
        );
        pending
    }

    /// Applies changes in order. Never awaits, so changes apply in the order they arrived.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextChange],
        encoding: PositionEncoding,
    ) -> Result<Pending, Rejected> {
        let mut open = self.lock();
        let document = open.get_mut(uri).ok_or(Rejected::UnknownDocument)?;
        if version <= document.version {
            return Err(Rejected::StaleVersion {
                current: document.version,
                received: version,
            });
        }
        let mut whole = false;
        for change in changes {
            let before = document.text.clone();
            let edit = document.text.apply(change, encoding);
            if change.range.is_none() {
                whole = true;
            } else if !whole {
                document.syntax.edit(&before, &document.text, edit);
            }
        }
        if whole {
            document.syntax.replace(&document.text);
        } else {
            document.syntax.reparse(&document.text);
        }
        document.version = version;
        document.snapshot = None;
        Ok(Pending {
            uri: uri.clone(),
            version,
            text: document.text.clone(),
            tree: document.syntax.tree().cloned(),
        })
    }

    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.lock().get(uri).map(|document| document.version)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// The snapshot of the current version, built if needed (outside the lock).
    pub fn snapshot(&self, uri: &Uri, encoding: PositionEncoding) -> Option<Arc<Snapshot>> {
        let pending = {
            let open = self.lock();
            let document = open.get(uri)?;
            if let Some(snapshot) = &document.snapshot {
                return Some(snapshot.clone());
            }
            Pending {
                uri: uri.clone(),
                version: document.version,
                text: document.text.clone(),
                tree: document.syntax.tree().cloned(),
            }
        };
        Some(self.build(pending, encoding))
    }

    /// Builds the snapshot of `pending` and keeps it if that version is still current.
    pub fn build(&self, pending: Pending, encoding: PositionEncoding) -> Arc<Snapshot> {
        let snapshot = Arc::new(Snapshot::new(
            pending.version,
            pending.text,
            pending.tree,
            encoding,
        ));
        let mut open = self.lock();
        if let Some(document) = open.get_mut(&pending.uri)
            && document.version == pending.version
        {
            document.snapshot = Some(snapshot.clone());
        }
        snapshot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Position;

    fn uri() -> Uri {
        "file:///w/Dockerfile".parse().unwrap()
    }

    #[test]
    fn changes_apply_in_order_and_stale_versions_are_refused() {
        let documents = Documents::default();
        documents.open(uri(), 1, "FROM a\n");
        let change = |line, column, text: &str| TextChange {
            range: Some((Position::new(line, column), Position::new(line, column))),
            text: text.into(),
        };
        documents
            .change(
                &uri(),
                2,
                &[change(1, 0, "RUN x\n"), change(2, 0, "RUN y\n")],
                PositionEncoding::Utf16,
            )
            .unwrap();
        assert_eq!(
            documents
                .change(&uri(), 2, &[change(0, 0, "#")], PositionEncoding::Utf16)
                .unwrap_err(),
            Rejected::StaleVersion {
                current: 2,
                received: 2
            }
        );
        let snapshot = documents.snapshot(&uri(), PositionEncoding::Utf16).unwrap();
        assert_eq!(snapshot.source.text, "FROM a\nRUN x\nRUN y\n");
        assert_eq!(snapshot.version, 2);
        let unknown: Uri = "file:///w/other".parse().unwrap();
        assert_eq!(
            documents
                .change(&unknown, 9, &[], PositionEncoding::Utf16)
                .unwrap_err(),
            Rejected::UnknownDocument
        );
    }
}
