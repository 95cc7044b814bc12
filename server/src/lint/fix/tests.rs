//! Tests of the fix engine: rounds, overlaps, the bound, unsafe fixes, refusals, bytes.

use super::*;
use crate::knowledge::distros::AS_OF;
use crate::lint::{Rule, Severity};

/// A rule for findings made up by the tests' own lint functions.
static TEST_RULE: Rule = Rule {
    name: "TestRule",
    aliases: &[],
    severity: Severity::Warning,
    summary: "a finding made up by a test",
    documentation: "",
    syntax: false,
    on_by_default: true,
    check: |_, _| {},
};

/// A finding on `span` with `fixes`.
fn finding(span: std::ops::Range<usize>, fixes: Vec<Fix>) -> Diagnostic {
    let mut finding = Diagnostic::new(&TEST_RULE, span, "made up");
    finding.fixes = fixes;
    finding
}

/// A safe fix replacing `span` with `text`.
fn safe(span: std::ops::Range<usize>, text: &str) -> Fix {
    Fix::new("replace", vec![Edit::replace(span, text)]).safe()
}

/// Runs the engine with `lint` as the only rule set.
fn run(
    text: &str,
    options: FixOptions,
    mut lint: impl FnMut(&SourceFile) -> Vec<Diagnostic>,
) -> Fixed {
    let source = SourceFile::new(text.to_string(), None);
    let findings = lint(&source);
    fix_with(&source, &findings, options, lint)
}

/// A finding on every occurrence of `word`, whose fix replaces it with `replacement`.
fn replace_every(
    source: &SourceFile,
    word: &str,
    replacement: &str,
) -> impl Iterator<Item = Diagnostic> {
    let replacement = replacement.to_string();
    source
        .text
        .match_indices(word)
        .map(|(at, found)| at..at + found.len())
        .collect::<Vec<_>>()
        .into_iter()
        .map(move |span| finding(span.clone(), vec![safe(span, &replacement)]))
}

#[test]
fn a_fix_that_enables_another_is_applied_in_the_next_round() {
    // `alpha` becomes `beta`, which a second rule then turns into `gamma`.
    let lint = |source: &SourceFile| {
        let mut found: Vec<Diagnostic> = replace_every(source, "alpha", "beta").collect();
        found.extend(replace_every(source, "beta", "gamma"));
        found
    };
    let fixed = run("FROM a\nRUN alpha\n", FixOptions::default(), lint);
    assert_eq!(fixed.text, "FROM a\nRUN gamma\n");
    assert_eq!(fixed.rounds, 2);
    assert_eq!(fixed.fixed, 2);
    assert_eq!(fixed.remaining(), 0);
    assert!(fixed.settled);
}

#[test]
fn overlapping_fixes_are_taken_in_separate_rounds() {
    // One fix rewrites the whole RUN, another only its argument: they overlap, so the
    // argument's fix waits for the next round and is computed against the rewritten RUN.
    let lint = |source: &SourceFile| {
        let mut found = Vec::new();
        if let Some(at) = source.text.find("RUN make") {
            let span = at..at + "RUN make".len();
            found.push(finding(span.clone(), vec![safe(span, "RUN  make")]));
        }
        found.extend(replace_every(source, "make", "ninja"));
        found
    };
    let fixed = run("FROM a\nRUN make\n", FixOptions::default(), lint);
    assert_eq!(fixed.text, "FROM a\nRUN  ninja\n");
    assert_eq!(fixed.rounds, 2);
    assert_eq!(fixed.fixed, 2);
}

#[test]
fn a_fix_shared_by_several_findings_is_applied_once_and_counted_for_each() {
    let lint = |source: &SourceFile| {
        let Some(at) = source.text.find("RUN a\nRUN b") else {
            return Vec::new();
        };
        let merge = safe(at..at + "RUN a\nRUN b".len(), "RUN a && b");
        vec![
            finding(at..at + 5, vec![merge.clone()]),
            finding(at + 6..at + 11, vec![merge]),
        ]
    };
    let fixed = run("FROM x\nRUN a\nRUN b\n", FixOptions::default(), lint);
    assert_eq!(fixed.text, "FROM x\nRUN a && b\n");
    assert_eq!((fixed.fixed, fixed.rounds), (2, 1));
}

#[test]
fn fixes_that_never_settle_stop_at_the_bound() {
    // Each round's fix brings a new finding: a loop that only the bound ends.
    let lint = |source: &SourceFile| {
        let end = source.text.len();
        vec![finding(end..end, vec![safe(end..end, "# again\n")])]
    };
    let options = FixOptions {
        max_rounds: 3,
        ..FixOptions::default()
    };
    let fixed = run("FROM a\n", options, lint);
    assert!(!fixed.settled);
    assert_eq!(fixed.rounds, 3);
    assert_eq!(fixed.text, "FROM a\n# again\n# again\n# again\n");
    assert_eq!(fixed.remaining(), 1);
}

#[test]
fn a_fix_that_changes_nothing_ends_the_rounds() {
    let lint = |source: &SourceFile| replace_every(source, "same", "same").collect();
    let fixed = run("FROM same\n", FixOptions::default(), lint);
    assert!(fixed.settled);
    assert_eq!(fixed.rounds, 0);
    assert_eq!(fixed.fixed, 0);
}

#[test]
fn unsafe_fixes_are_held_back_and_counted_unless_asked_for() {
    let lint = |source: &SourceFile| {
        let mut found = Vec::new();
        // Only an unsafe fix.
        if let Some(at) = source.text.find("risky") {
            let span = at..at + 5;
            found.push(finding(
                span.clone(),
                vec![Fix::new("unsafe", vec![Edit::replace(span, "done")])],
            ));
        }
        // A safe fix and a preferred unsafe one: the safe one wins.
        if let Some(at) = source.text.find("both") {
            let span = at..at + 4;
            found.push(finding(
                span.clone(),
                vec![
                    Fix::new("unsafe", vec![Edit::replace(span.clone(), "unsafe")]).preferred(),
                    safe(span, "safe"),
                ],
            ));
        }
        found
    };
    let text = "FROM a\nRUN risky both\n";
    let fixed = run(text, FixOptions::default(), lint);
    assert_eq!(fixed.text, "FROM a\nRUN risky safe\n");
    assert_eq!((fixed.fixed, fixed.remaining()), (1, 1));
    assert_eq!(fixed.unsafe_held_back, 1);
    let options = FixOptions {
        unsafe_fixes: true,
        ..FixOptions::default()
    };
    let fixed = run(text, options, lint);
    assert_eq!(fixed.text, "FROM a\nRUN done safe\n");
    assert_eq!((fixed.fixed, fixed.remaining()), (2, 0));
    assert_eq!(fixed.unsafe_held_back, 0);
}

#[test]
fn a_result_that_would_not_parse_is_refused() {
    // The fix opens a heredoc that nothing closes.
    let lint = |source: &SourceFile| replace_every(source, "RUN make", "RUN <<EOF").collect();
    let text = "FROM a\nRUN make\n";
    let fixed = run(text, FixOptions::default(), lint);
    assert_eq!(
        fixed.refused.as_deref(),
        Some(
            "the fix \"replace\" of TestRule (line 2) would leave a file BuildKit cannot parse (a bug: please report it)"
        )
    );
    assert_eq!(fixed.text, text);
    assert_eq!((fixed.fixed, fixed.rounds, fixed.remaining()), (0, 0, 1));
    // A file that already had the error may keep it.
    let text = "FROM a\nRUN <<EOF\nRUN make\n";
    let lint = |source: &SourceFile| replace_every(source, "make", "ninja").collect();
    let fixed = run(text, FixOptions::default(), lint);
    assert!(fixed.refused.is_none());
    assert_eq!(fixed.text, "FROM a\nRUN <<EOF\nRUN ninja\n");
}

#[test]
fn real_rules_keep_crlf_line_endings() {
    let fixed = fix_text(
        "FROM a\r\nMAINTAINER me\r\n",
        &Settings::default(),
        AS_OF,
        FixOptions::default(),
    );
    assert_eq!(
        fixed.text,
        "FROM a\r\nLABEL org.opencontainers.image.authors=\"me\"\r\n"
    );
    assert_eq!(fixed.fixed, 1);
}

#[test]
fn new_line_breaks_follow_a_crlf_file() {
    let lint = |source: &SourceFile| replace_every(source, "a && b", "a \\\n    && b").collect();
    let fixed = run("FROM x\r\nRUN a && b\r\n", FixOptions::default(), lint);
    assert_eq!(fixed.text, "FROM x\r\nRUN a \\\r\n    && b\r\n");
}

#[test]
fn bytes_that_are_not_utf8_survive_fixing_byte_for_byte() {
    // A CRLF file with a Latin-1 byte in a LABEL, and a MAINTAINER to fix on another line
    // (and one inside the fixed line, which the fix carries along).
    let original: &[u8] =
        b"FROM a\r\nLABEL description=\"caf\xe9\"\r\nMAINTAINER Jos\xe9 <j@example.com>\r\n";
    let decoded = crate::bytes::Decoded::new(original.to_vec());
    assert!(!decoded.ambiguous);
    let fixed = fix_text(
        &decoded.text,
        &Settings::default(),
        AS_OF,
        FixOptions::default(),
    );
    assert_eq!(fixed.fixed, 1);
    assert_eq!(
        decoded.encode(&fixed.text),
        b"FROM a\r\nLABEL description=\"caf\xe9\"\r\nLABEL org.opencontainers.image.authors=\"Jos\xe9 <j@example.com>\"\r\n"
    );
}

#[test]
fn line_edits_touch_only_the_lines_that_changed() {
    let before = "FROM a\nRUN one\nRUN two\nLABEL x=y\nRUN three";
    let after = "FROM a\nRUN one \\\n    && two\nLABEL x=y\nRUN four\n";
    let edits = line_edits(before, after);
    assert_eq!(apply_edits(before, &edits).0, after);
    assert_eq!(edits.len(), 2);
    // The unchanged LABEL line between them is not part of an edit.
    let label = before.find("LABEL").unwrap();
    assert!(
        edits
            .iter()
            .all(|edit| edit.span.end <= label || edit.span.start >= label + "LABEL x=y\n".len())
    );
    assert!(line_edits(before, before).is_empty());
}

#[test]
fn suppressions_are_never_applied() {
    // A finding whose only fix silences it: offered in an editor, never applied here, and not
    // counted as held back either (no option would apply it).
    let lint = |source: &SourceFile| {
        source
            .text
            .find("RUN")
            .map(|at| {
                finding(
                    at..at + 3,
                    vec![Fix::suppression(
                        "Skip TestRule here",
                        vec![Edit::insert(at, "# check=skip=TestRule\n")],
                    )],
                )
            })
            .into_iter()
            .collect()
    };
    for unsafe_fixes in [false, true] {
        let options = FixOptions {
            unsafe_fixes,
            ..FixOptions::default()
        };
        let fixed = run("FROM a\nRUN x\n", options, lint);
        assert_eq!(fixed.text, "FROM a\nRUN x\n");
        assert_eq!((fixed.fixed, fixed.remaining()), (0, 1));
        assert_eq!(fixed.unsafe_held_back, 0);
    }
}
