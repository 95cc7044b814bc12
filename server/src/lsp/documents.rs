//! Open documents: text, version and tree, kept in step with the editor's changes, and the
//! parsed snapshot of each version that requests and diagnostics read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ls_types::Uri;

use crate::lint::{self, Diagnostic};
use crate::syntax::SourceFile;
use crate::syntax::tree::SyntaxTree;
use crate::text::{ByteEdit, LineIndex, PositionEncoding, Text, TextChange};

/// Findings kept with the settings generation they were computed for, and whether they carry
/// their fixes.
struct Findings {
    generation: u64,
    with_fixes: bool,
    list: Arc<Vec<Diagnostic>>,
}

/// One version of a document, parsed, with its findings computed on demand.
pub struct Snapshot {
    pub version: i32,
    pub source: SourceFile,
    pub index: LineIndex,
    /// The day findings, hovers and completions judge support status on (one day for the
    /// whole version).
    today: crate::knowledge::distros::Date,
    /// The findings: first without fixes (all the editor shows), then, once a code action
    /// asks, the same findings with their fixes in their place (one list, not two).
    findings: Mutex<Option<Findings>>,
}

impl Snapshot {
    /// Parses `text`, re-lowering from `previous` (the snapshot an edit was made to) when it
    /// is given and no one else holds it.
    pub fn new(
        version: i32,
        text: Text,
        previous: Option<(Arc<Snapshot>, ByteEdit)>,
        encoding: PositionEncoding,
    ) -> Snapshot {
        let reusable = previous.and_then(|(snapshot, edit)| match Arc::try_unwrap(snapshot) {
            Ok(snapshot) => Some((snapshot, edit)),
            Err(_) => {
                tracing::debug!(
                    "version {version}: the previous version is still in use: parsed afresh"
                );
                None
            }
        });
        let source = match reusable {
            Some((snapshot, edit)) => {
                let mut source = snapshot.source;
                let contents = text.apply_to(std::mem::take(&mut source.text), edit);
                SourceFile::edited(source, contents, edit)
            }
            None => SourceFile::new(text.to_string_lossless(), None),
        };
        Snapshot {
            version,
            source,
            index: LineIndex::new(text, encoding),
            today: crate::knowledge::distros::Date::today(),
            findings: Mutex::new(None),
        }
    }

    /// The day this version is judged on (support status in findings, hovers and
    /// completions): read from the clock once, when the version is made.
    pub fn today(&self) -> crate::knowledge::distros::Date {
        self.today
    }

    /// The findings under `settings` (cached per settings generation). They may carry their
    /// fixes, if a code action asked for them first; nothing that shows findings reads them.
    pub fn diagnostics(&self, settings: &lint::Settings, generation: u64) -> Arc<Vec<Diagnostic>> {
        self.findings(settings, generation, false)
    }

    /// The same findings, in the same order, each with its fixes.
    pub fn fixable(&self, settings: &lint::Settings, generation: u64) -> Arc<Vec<Diagnostic>> {
        self.findings(settings, generation, true)
    }

    fn findings(
        &self,
        settings: &lint::Settings,
        generation: u64,
        fixes: bool,
    ) -> Arc<Vec<Diagnostic>> {
        let mut cached = super::lock(&self.findings);
        if let Some(known) = cached.as_ref()
            && known.generation == generation
            && (known.with_fixes || !fixes)
        {
            return known.list.clone();
        }
        let list = Arc::new(lint::lint_with(&self.source, settings, self.today, fixes));
        *cached = Some(Findings {
            generation,
            with_fixes: fixes,
            list: list.clone(),
        });
        list
    }
}

struct Document {
    /// Distinct for every open, so a reopened document is never taken for the one before.
    serial: u64,
    text: Text,
    version: i32,
    /// Edited on every change, reparsed only when a request needs the tree.
    syntax: SyntaxTree,
    tree_current: bool,
    snapshot: Option<Arc<Snapshot>>,
    /// The snapshot of an earlier version and the edit (all changes since, composed) that
    /// leads from it to the current text; `None` after a whole-document change.
    base: Option<(Arc<Snapshot>, ByteEdit)>,
}

/// Why a change was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    UnknownDocument,
    StaleVersion { current: i32, received: i32 },
}

/// What a snapshot is built from, taken under the lock and built outside it.
pub struct Pending {
    pub uri: Uri,
    pub version: i32,
    text: Text,
    base: Option<(Arc<Snapshot>, ByteEdit)>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Pending")
            .field("version", &self.version)
            .finish()
    }
}

/// One edit after another, as one: `first` turns text A into B, `second` B into C; the result
/// turns A into C.
fn compose(first: ByteEdit, second: ByteEdit) -> ByteEdit {
    let start = first.start.min(second.start);
    let end_in_middle = first.new_end.max(second.old_end);
    ByteEdit {
        start,
        old_end: first.old_end + (end_in_middle - first.new_end),
        new_end: end_in_middle + second.new_end - second.old_end,
    }
}

#[derive(Default)]
pub struct Documents {
    open: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere never leaves a document half-edited: edits are applied whole.
        super::lock(&self.open)
    }

    pub fn open(&self, uri: Uri, version: i32, text: &str) -> Pending {
        let text = Text::new(text);
        // Parsed when a request first needs the tree; diagnostics do not.
        let syntax = SyntaxTree::unparsed();
        let pending = Pending {
            uri: uri.clone(),
            version,
            text: text.clone(),
            base: None,
        };
        static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.lock().insert(
            uri,
            Document {
                serial: OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                text,
                version,
                syntax,
                tree_current: false,
                snapshot: None,
                base: None,
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
        // The snapshot of the last version, or the base that version was to be built from.
        let mut base = match document.snapshot.take() {
            Some(snapshot) => Some((snapshot, None)),
            None => document
                .base
                .take()
                .map(|(snapshot, edit)| (snapshot, Some(edit))),
        };
        for change in changes {
            let before = document.text.clone();
            let edit = document.text.apply(change, encoding);
            if change.range.is_none() {
                // A whole-document change: nothing to reuse, reparse from scratch.
                base = None;
                document.syntax.replace(&document.text);
                continue;
            }
            document.syntax.edit(&before, &document.text, edit);
            document.tree_current = false;
            base = base.map(|(snapshot, previous)| {
                let composed = match previous {
                    Some(previous) => compose(previous, edit),
                    None => edit,
                };
                (snapshot, Some(composed))
            });
        }
        document.version = version;
        document.base = base.and_then(|(snapshot, edit)| edit.map(|edit| (snapshot, edit)));
        Ok(Pending {
            uri: uri.clone(),
            version,
            text: document.text.clone(),
            base: document.base.clone(),
        })
    }

    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.lock().get(uri).map(|document| document.version)
    }

    /// The opening and the version of `uri`: together they name one text for good.
    pub fn identity(&self, uri: &Uri) -> Option<(u64, i32)> {
        self.lock()
            .get(uri)
            .map(|document| (document.serial, document.version))
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
                base: document.base.clone(),
            }
        };
        Some(self.build(pending, encoding))
    }

    /// The tree-sitter tree of the current version (reparsed now if edits came since).
    pub fn tree(&self, uri: &Uri) -> Option<(i32, tree_sitter::Tree)> {
        let mut open = self.lock();
        let document = open.get_mut(uri)?;
        if !document.tree_current {
            document.syntax.reparse(&document.text);
            document.tree_current = true;
        }
        Some((document.version, document.syntax.tree()?.clone()))
    }

    /// Builds the snapshot of `pending` and keeps it if that version is still current.
    pub fn build(&self, pending: Pending, encoding: PositionEncoding) -> Arc<Snapshot> {
        let Pending {
            uri,
            version,
            text,
            mut base,
        } = pending;
        {
            let mut open = self.lock();
            if let Some(document) = open.get_mut(&uri)
                && document.version == version
            {
                // A request built this version already: share it (and its findings).
                if let Some(snapshot) = &document.snapshot {
                    return snapshot.clone();
                }
                // The document keeps a reference to the base until the snapshot replaces it;
                // drop that one first so the base can be taken apart and re-lowered instead
                // of copied.
                document.base = None;
            }
        }
        let snapshot = Arc::new(Snapshot::new(version, text, base.take(), encoding));
        let mut open = self.lock();
        match open.get_mut(&uri) {
            Some(document) if document.version == version => match &document.snapshot {
                // Built meanwhile by another thread: keep the first, drop ours.
                Some(first) => first.clone(),
                None => {
                    document.snapshot = Some(snapshot.clone());
                    snapshot
                }
            },
            _ => snapshot,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Position, Span};

    fn uri() -> Uri {
        "file:///w/Dockerfile".parse().unwrap()
    }

    #[test]
    fn composed_edits_describe_the_whole_change() {
        // "abcdef": replace "cd" by "XYZ" → "abXYZef"; then insert "!" at 6 → "abXYZe!f".
        let first = ByteEdit {
            start: 2,
            old_end: 4,
            new_end: 5,
        };
        let second = ByteEdit {
            start: 6,
            old_end: 6,
            new_end: 7,
        };
        let both = compose(first, second);
        assert_eq!(
            both,
            ByteEdit {
                start: 2,
                old_end: 5,
                new_end: 7
            }
        );
        let mut text = String::from("abcdef");
        text.replace_range(
            both.start..both.old_end,
            &"abXYZe!f"[both.start..both.new_end],
        );
        assert_eq!(text, "abXYZe!f");
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
        // The next edit re-lowers from this snapshot and gives the same as a fresh parse.
        drop(snapshot);
        documents
            .change(&uri(), 3, &[change(1, 4, "more ")], PositionEncoding::Utf16)
            .unwrap();
        let snapshot = documents.snapshot(&uri(), PositionEncoding::Utf16).unwrap();
        assert_eq!(snapshot.source.text, "FROM a\nRUN more x\nRUN y\n");
        assert_eq!(
            snapshot.source.file,
            crate::syntax::lower::lower("FROM a\nRUN more x\nRUN y\n")
        );
        assert!(documents.tree(&uri()).is_some());
        let unknown: Uri = "file:///w/other".parse().unwrap();
        assert_eq!(
            documents
                .change(&unknown, 9, &[], PositionEncoding::Utf16)
                .unwrap_err(),
            Rejected::UnknownDocument
        );
    }

    #[test]
    fn findings_with_fixes_take_the_place_of_those_without() {
        let documents = Documents::default();
        let opened = documents.open(uri(), 1, "FROM alpine:3.20\nRUN a\nRUN b\nMAINTAINER me\n");
        let snapshot = documents.build(opened, PositionEncoding::Utf16);
        let settings = lint::Settings::default();
        let shown = snapshot.diagnostics(&settings, 0);
        assert!(shown.len() >= 2 && shown.iter().all(|finding| finding.fixes.is_empty()));
        let fixable = snapshot.fixable(&settings, 0);
        assert!(fixable.iter().any(|finding| !finding.fixes.is_empty()));
        // The same findings in the same order, fixes apart.
        let without_fixes = |list: &[Diagnostic]| -> Vec<(String, Span)> {
            list.iter()
                .map(|finding| (finding.message.clone(), finding.span.clone()))
                .collect()
        };
        assert_eq!(without_fixes(&shown), without_fixes(&fixable));
        // From now on one list serves both, until the settings change.
        assert!(Arc::ptr_eq(&snapshot.diagnostics(&settings, 0), &fixable));
        assert!(Arc::ptr_eq(&snapshot.fixable(&settings, 0), &fixable));
        let changed = snapshot.diagnostics(&settings, 1);
        assert!(!Arc::ptr_eq(&changed, &fixable));
        assert!(changed.iter().all(|finding| finding.fixes.is_empty()));
    }
}
