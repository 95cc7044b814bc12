//! Code actions: quick fixes from the findings under the cursor, and the file-wide fix-all.

use crate::lint::{Diagnostic, Edit};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
    /// `source.fixAll`: every safe fix of the file at once.
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// The finding this action fixes (index into the findings passed in).
    pub diagnostic: Option<usize>,
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Quick fixes of the findings that touch `range`.
pub fn quick_fixes(diagnostics: &[Diagnostic], range: &Span) -> Vec<Action> {
    let mut actions = Vec::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if !overlaps(&diagnostic.span, range) {
            continue;
        }
        for fix in &diagnostic.fixes {
            actions.push(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                preferred: fix.preferred,
                diagnostic: Some(index),
            });
        }
    }
    actions
}

/// The safe fixes of the whole file as one edit set (later fixes that overlap earlier ones
/// are left for the next run).
pub fn fix_all_edits(diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for diagnostic in diagnostics {
        let Some(fix) = diagnostic.fixes.iter().find(|fix| fix.safe) else {
            continue;
        };
        let clashes = fix.edits.iter().any(|edit| {
            taken.iter().any(|other| {
                edit.span.start < other.span.end.max(other.span.start + 1)
                    && other.span.start < edit.span.end.max(edit.span.start + 1)
            })
        });
        if !clashes {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken
}

/// The fix-all action, when there is anything to fix.
pub fn fix_all(diagnostics: &[Diagnostic]) -> Option<Action> {
    let edits = fix_all_edits(diagnostics);
    (!edits.is_empty()).then(|| Action {
        title: "Fix all auto-fixable problems".into(),
        kind: ActionKind::FixAll,
        edits,
        preferred: false,
        diagnostic: None,
    })
}
