//! Fixes never leave an install without the package index it reads: every corpus file (and
//! the cases that once broke) is fixed to a fixed point, with safe fixes and with every fix,
//! and the index state is simulated per stage before and after
//! (`lint::package_index::missing_indexes`).

use std::collections::HashMap;

use dockerfile_ls::analysis::actions;
use dockerfile_ls::knowledge::package_managers::ManagerId;
use dockerfile_ls::lint::{self, Diagnostic, Fix, package_index};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::{corpus_files, read_lossy, workspace};

/// The fix a finding contributes: its first safe fix, or with `all` its preferred (else first)
/// fix.
fn chosen(diagnostic: &Diagnostic, all: bool) -> Option<&Fix> {
    if all {
        diagnostic
            .fixes
            .iter()
            .find(|fix| fix.preferred)
            .or(diagnostic.fixes.first())
    } else {
        diagnostic.fixes.iter().find(|fix| fix.safe)
    }
}

/// `text` with fixes applied round after round (non-overlapping ones together, then a fresh
/// lint) until nothing is left to fix.
fn fixed(text: &str, all: bool) -> String {
    let settings = lint::Settings::default();
    let mut text = text.to_string();
    for _ in 0..25 {
        let source = SourceFile::new(text.clone(), None);
        let findings = lint::lint_on(&source, &settings, dockerfile_ls::knowledge::distros::AS_OF);
        let fixes: Vec<Diagnostic> = findings
            .iter()
            .filter_map(|diagnostic| {
                let fix = chosen(diagnostic, all)?.clone();
                Some(Diagnostic {
                    fixes: vec![fix.safe()],
                    ..diagnostic.clone()
                })
            })
            .collect();
        let edits = actions::fix_all_edits(&fixes);
        if edits.is_empty() {
            return text;
        }
        text = lint::apply_edits(&text, &edits).0;
    }
    panic!("no fixed point after 25 rounds:\n{text}");
}

/// How many reads of a certainly missing index each manager has in `text`.
fn missing(text: &str) -> HashMap<ManagerId, usize> {
    let mut counts = HashMap::new();
    for (_, manager) in package_index::missing_indexes(&SourceFile::new(text.to_string(), None)) {
        *counts.entry(manager).or_insert(0) += 1;
    }
    counts
}

/// The files `text` breaks: where fixing adds a missing index or a BuildKit parse error.
fn check(label: &str, text: &str, all: bool) -> Option<String> {
    let after = fixed(text, all);
    let (before_missing, after_missing) = (missing(text), missing(&after));
    let more_missing = after_missing
        .iter()
        .any(|(manager, count)| count > before_missing.get(manager).unwrap_or(&0));
    let errors = |text: &str| SourceFile::new(text.to_string(), None).file.errors.len();
    if more_missing || errors(&after) > errors(text) {
        return Some(format!("{label} (all fixes: {all}):\n{after}"));
    }
    None
}

#[test]
fn fixes_never_leave_an_install_without_its_index() {
    let mut cases: Vec<(String, String)> = vec![
        (
            "examples/Dockerfile".into(),
            std::fs::read_to_string(workspace().join("examples/Dockerfile")).unwrap(),
        ),
        (
            "update, ENV, install".into(),
            "FROM debian:bookworm-slim\nRUN apt-get update\nENV X=1\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n".into(),
        ),
        (
            "update and install in two RUNs".into(),
            "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y ca-certificates curl\n".into(),
        ),
        (
            "apk index read by a child stage".into(),
            "FROM alpine:3.20 AS base\nRUN apk update && apk add curl\nFROM base\nRUN apk add git\n".into(),
        ),
    ];
    for path in corpus_files() {
        cases.push((path.display().to_string(), read_lossy(&path)));
    }
    let broken: Vec<String> = cases
        .iter()
        .flat_map(|(label, text)| [check(label, text, false), check(label, text, true)])
        .flatten()
        .collect();
    assert!(
        broken.is_empty(),
        "{} fixed files read a package index that is no longer there, or no longer parse:\n{}",
        broken.len(),
        broken.join("\n---\n")
    );
}

/// The simulation itself finds the break the old fixes made: a cleanup between the update and
/// the install.
#[test]
fn the_simulation_sees_a_removed_index() {
    let broken = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/* \\\n    && apt-get install -y curl\n";
    assert_eq!(missing(broken).get(&ManagerId::Apt), Some(&1));
    let broken = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nENV X=1\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(missing(broken).get(&ManagerId::Apt), Some(&1));
}

/// The examples file's safe fixes give the one RUN a reviewer would write.
#[test]
fn the_example_is_fixed_into_one_run() {
    let text = std::fs::read_to_string(workspace().join("examples/Dockerfile")).unwrap();
    let after = fixed(&text, false);
    assert!(
        after.contains(
            "RUN apt-get update && apt-get install -y ca-certificates curl && rm -rf /var/lib/apt/lists/*\n"
        ),
        "{after}"
    );
}
