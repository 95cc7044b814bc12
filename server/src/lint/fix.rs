//! The fix engine behind `check --fix`, `check --diff` and the editor's fix-all: fixes applied
//! the way one-at-a-time application would apply them.
//!
//! Each round takes one fix per finding, keeps those that do not overlap a fix taken before
//! (the rest wait for the next round, when they are recomputed against the new text), applies
//! them, and lints again; rounds go on until no fix is left, at most [`MAX_ROUNDS`]. Fixes are
//! written against the text they were computed on, so two of them applied blind could
//! contradict each other (a merge and a cleanup in one pass made `update && rm && install`);
//! re-linting between rounds makes every fix see the result of the ones before.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use crate::knowledge::distros::Date;
use crate::lint::{Diagnostic, Edit, Fix, Settings, apply_edits, lint_with};
use crate::syntax::SourceFile;

/// Rounds before the engine gives up on reaching a fixed point. Real files settle in two or
/// three; a fix that undoes another or re-creates its own finding would otherwise loop.
pub const MAX_ROUNDS: usize = 25;

/// What the engine may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply unsafe fixes too (for findings that have no safe one).
    pub unsafe_fixes: bool,
    /// The bound on rounds (normally [`MAX_ROUNDS`]).
    pub max_rounds: usize,
}

impl Default for FixOptions {
    fn default() -> FixOptions {
        FixOptions {
            unsafe_fixes: false,
            max_rounds: MAX_ROUNDS,
        }
    }
}

/// What fixing a file came to.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text (the original when nothing was fixed or the result was refused).
    pub text: String,
    /// Findings whose fix was applied, over all rounds (a fix shared by several findings,
    /// such as one merge of three RUNs, counts for each).
    pub fixed: usize,
    /// The findings of `text`, with their fixes.
    pub findings: Vec<Diagnostic>,
    /// Of those, the ones with only unsafe fixes while unsafe fixes were not asked for.
    pub unsafe_held_back: usize,
    /// Rounds that changed the text.
    pub rounds: usize,
    /// False when the bound was hit with fixes still to apply.
    pub settled: bool,
    /// Why the fixes were not applied: the result would not parse where the original did.
    pub refused: Option<String>,
}

impl Fixed {
    /// The findings left in the text.
    pub fn remaining(&self) -> usize {
        self.findings.len()
    }
}

/// Fixes `text` under `settings`.
pub fn fix_text(text: &str, settings: &Settings, today: Date, options: FixOptions) -> Fixed {
    let source = SourceFile::new(text.to_string(), None);
    let findings = lint_with(&source, settings, today, true);
    fix_source(&source, &findings, settings, today, options)
}

/// Fixes `source`, whose findings (with fixes) are `findings`: the editor has them already.
pub fn fix_source(
    source: &SourceFile,
    findings: &[Diagnostic],
    settings: &Settings,
    today: Date,
    options: FixOptions,
) -> Fixed {
    fix_with(source, findings, options, |next| {
        lint_with(next, settings, today, true)
    })
}

/// The engine, with the lint it runs between rounds given (tests give their own rules).
fn fix_with(
    original: &SourceFile,
    findings: &[Diagnostic],
    options: FixOptions,
    mut lint: impl FnMut(&SourceFile) -> Vec<Diagnostic>,
) -> Fixed {
    let line_break = original.line_break();
    let errors_before = original.file.errors.len();
    // The current version: the original until a round changes it.
    let mut current: Option<SourceFile> = None;
    let mut findings = Cow::Borrowed(findings);
    let mut fixed = 0;
    let mut rounds = 0;
    let mut settled = true;
    loop {
        let chosen: Vec<(&Diagnostic, &Fix)> = findings
            .iter()
            .filter_map(|finding| Some((finding, chosen_fix(finding, options.unsafe_fixes)?)))
            .collect();
        let combined = combine(chosen.iter().map(|(_, fix)| *fix));
        if combined.edits.is_empty() {
            break;
        }
        if rounds == options.max_rounds {
            tracing::warn!(
                "fixes did not settle after {rounds} rounds; the rest are left (a bug: please report it)"
            );
            settled = false;
            break;
        }
        let source = current.as_ref().unwrap_or(original);
        let edits = with_line_break(combined.edits, line_break);
        let (next, _) = apply_edits(&source.text, &edits);
        if next == source.text {
            // Fixes that change nothing would be offered again and again.
            break;
        }
        rounds += 1;
        let next = SourceFile::new(next, None);
        if next.file.errors.len() > errors_before {
            let taken: Vec<(&Diagnostic, &Fix)> = chosen
                .iter()
                .zip(&combined.taken)
                .filter(|(_, taken)| **taken)
                .map(|(pair, _)| *pair)
                .collect();
            let reason = breaking_fix(source, &taken, line_break, errors_before).map_or_else(
                || "the fixes together would leave a file BuildKit cannot parse".to_string(),
                |(finding, fix)| {
                    format!(
                        "the fix \"{}\" of {} (line {}) would leave a file BuildKit cannot parse",
                        fix.title,
                        finding.rule.name,
                        source.line_number(finding.span.start)
                    )
                },
            );
            tracing::debug!("round {rounds}: {reason}");
            return refused(
                original,
                options,
                lint,
                &format!("{reason} (a bug: please report it)"),
            );
        }
        fixed += combined.taken.iter().filter(|taken| **taken).count();
        findings = Cow::Owned(lint(&next));
        current = Some(next);
    }
    let text = match current {
        Some(source) => source.text,
        None => original.text.clone(),
    };
    Fixed {
        text,
        fixed,
        unsafe_held_back: held_back(&findings, options),
        findings: findings.into_owned(),
        rounds,
        settled,
        refused: None,
    }
}

/// The first of `fixes` that alone makes `source` fail to parse where it did not.
fn breaking_fix<'a>(
    source: &SourceFile,
    fixes: &[(&'a Diagnostic, &'a Fix)],
    line_break: &str,
    errors_before: usize,
) -> Option<(&'a Diagnostic, &'a Fix)> {
    fixes.iter().copied().find(|(_, fix)| {
        let edits = with_line_break(fix.edits.clone(), line_break);
        let (text, _) = apply_edits(&source.text, &edits);
        crate::syntax::lower::lower(&text).errors.len() > errors_before
    })
}

/// The original left as it was, with why.
fn refused(
    original: &SourceFile,
    options: FixOptions,
    mut lint: impl FnMut(&SourceFile) -> Vec<Diagnostic>,
    reason: &str,
) -> Fixed {
    let findings = lint(original);
    Fixed {
        text: original.text.clone(),
        fixed: 0,
        unsafe_held_back: held_back(&findings, options),
        findings,
        rounds: 0,
        settled: true,
        refused: Some(reason.to_string()),
    }
}

/// Findings that only an unsafe fix would fix, when unsafe fixes were not asked for.
fn held_back(findings: &[Diagnostic], options: FixOptions) -> usize {
    if options.unsafe_fixes {
        return 0;
    }
    findings
        .iter()
        .filter(|finding| {
            chosen_fix(finding, false).is_none() && chosen_fix(finding, true).is_some()
        })
        .count()
}

/// The fix the engine applies for `finding`: a safe one (the preferred, else the first);
/// when `unsafe_fixes`, for a finding without a safe fix, its preferred (else first) fix.
/// Manual fixes (a `# check=skip=` comment) are never chosen: they silence, not mend.
pub fn chosen_fix(finding: &Diagnostic, unsafe_fixes: bool) -> Option<&Fix> {
    // A suppression silences the finding rather than fixing it: the user's call, never the
    // engine's.
    let usable =
        |fix: &&Fix| !fix.edits.is_empty() && !fix.suppresses && (fix.safe || unsafe_fixes);
    let best = |safe_only: bool| {
        let mut candidates = finding
            .fixes
            .iter()
            .filter(usable)
            .filter(move |fix| fix.safe || !safe_only);
        let first = candidates.next()?;
        Some(
            std::iter::once(first)
                .chain(candidates)
                .find(|fix| fix.preferred)
                .unwrap_or(first),
        )
    };
    best(true).or_else(|| best(false))
}

/// Edits that insert line breaks written as `\n`, converted to the file's `\r\n`.
fn with_line_break(mut edits: Vec<Edit>, line_break: &str) -> Vec<Edit> {
    if line_break == "\r\n" {
        for edit in &mut edits {
            if edit.new_text.contains('\n') {
                edit.new_text = edit.new_text.replace("\r\n", "\n").replace('\n', "\r\n");
            }
        }
    }
    edits
}

/// Fixes taken together.
#[derive(Debug, Default)]
pub struct Combined {
    /// The edits of the taken fixes: no two overlap.
    pub edits: Vec<Edit>,
    /// For each fix given, in order, whether its edits are among `edits` (a fix equal to one
    /// taken before counts as taken: it is the same change).
    pub taken: Vec<bool>,
}

/// The edits of `fixes` as one edit set: a fix that overlaps one taken before is left out
/// whole (for the next round), and a fix given several times is applied once.
pub fn combine<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> Combined {
    // Taken edit spans by start; an insertion counts as one byte wide so that two insertions
    // at one place clash.
    let mut spans: BTreeMap<usize, usize> = BTreeMap::new();
    let mut seen: HashSet<&'a [Edit]> = HashSet::new();
    let mut combined = Combined::default();
    let widened = |edit: &Edit| edit.span.start..edit.span.end.max(edit.span.start + 1);
    for fix in fixes {
        if seen.contains(fix.edits.as_slice()) {
            combined.taken.push(true);
            continue;
        }
        let clashes = fix.edits.iter().any(|edit| {
            let span = widened(edit);
            spans
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, end)| *end > span.start)
        });
        combined.taken.push(!clashes);
        if clashes {
            continue;
        }
        seen.insert(&fix.edits);
        for edit in &fix.edits {
            let span = widened(edit);
            // Keep the taken spans disjoint: coalesce with any this one touches.
            let (mut start, mut end) = (span.start, span.end);
            let touching: Vec<(usize, usize)> = spans
                .range(..=end)
                .rev()
                .take_while(|(_, other_end)| **other_end >= start)
                .map(|(other_start, other_end)| (*other_start, *other_end))
                .collect();
            for (other_start, other_end) in touching {
                spans.remove(&other_start);
                start = start.min(other_start);
                end = end.max(other_end);
            }
            spans.insert(start, end);
            combined.edits.push(edit.clone());
        }
    }
    combined
}

/// Edits that turn `before` into `after`, one per run of changed lines (a line diff): what an
/// editor applies to reach the engine's result without replacing the whole document, so
/// the cursor, folds and marks elsewhere stay where they were.
pub fn line_edits(before: &str, after: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::from_lines(before, after);
    let old_lines = diff.old_slices();
    let new_lines = diff.new_slices();
    // Byte offset of every old line's start, and one past the last.
    let mut starts = Vec::with_capacity(old_lines.len() + 1);
    let mut offset = 0;
    for line in old_lines {
        starts.push(offset);
        offset += line.len();
    }
    starts.push(offset);
    let mut edits: Vec<Edit> = Vec::new();
    for operation in diff.ops() {
        let (_, old_range, new_range) = operation.as_tag_tuple();
        if matches!(operation, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let span = starts[old_range.start]..starts[old_range.end];
        let new_text: String = new_lines[new_range].concat();
        // A deletion next to an insertion is one change.
        match edits.last_mut() {
            Some(last) if last.span.end == span.start => {
                last.span.end = span.end;
                last.new_text.push_str(&new_text);
            }
            _ => edits.push(Edit::replace(span, new_text)),
        }
    }
    edits
}

#[cfg(test)]
mod tests;
