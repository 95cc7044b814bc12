//! The base-image catalog over every file of `../shared/corpus`: the share of stages whose
//! distribution and package manager it resolves, and every PackageManagerMismatch finding
//! (printed so a person can read them; the expected count is pinned so a change is seen).

use std::collections::HashMap;

use dockerfile_ls::knowledge::stage_bases::{BaseKind, stage_bases};
use dockerfile_ls::lint::{self, Settings};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::{corpus_files, read_lossy};

#[test]
fn the_catalog_resolves_the_stages_of_the_corpus() {
    let mut counted = 0usize;
    let mut resolved = 0usize;
    let mut unresolved_variables = 0usize;
    let mut unknown: HashMap<String, usize> = HashMap::new();
    for path in corpus_files() {
        let source = SourceFile::parse(&read_lossy(&path));
        for base in stage_bases(&source) {
            if let BaseKind::Unresolved(_) = base.kind {
                unresolved_variables += 1;
                continue;
            }
            counted += 1;
            if base.is_resolved() {
                resolved += 1;
                continue;
            }
            let name = match &base.kind {
                BaseKind::Image { reference, .. } => reference.familiar(),
                BaseKind::Invalid(text) => format!("(invalid) {text}"),
                _ => String::new(),
            };
            *unknown.entry(name).or_default() += 1;
        }
    }
    let share = resolved as f64 * 100.0 / counted.max(1) as f64;
    eprintln!(
        "catalog: {resolved} of {counted} stages resolved ({share:.1}%); {unresolved_variables} stages name a variable without a default"
    );
    let mut unknown: Vec<(String, usize)> = unknown.into_iter().collect();
    unknown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (name, count) in unknown.iter().take(40) {
        eprintln!("  unresolved {count:>3} {name}");
    }
    assert!(share >= 95.0, "only {share:.1}% of stages resolved");
}

#[test]
fn package_manager_mismatches_on_the_corpus() {
    let rule = lint::find_rule("PackageManagerMismatch").expect("the rule is registered");
    let mut findings = 0;
    for path in corpus_files() {
        let text = read_lossy(&path);
        let source = SourceFile::parse(&text);
        for diagnostic in lint::lint(
            &source,
            &Settings::default(),
            dockerfile_ls::knowledge::distros::AS_OF,
        ) {
            if diagnostic.rule != rule {
                continue;
            }
            findings += 1;
            let line = text[..diagnostic.span.start].matches('\n').count() + 1;
            eprintln!(
                "{}:{line}: {} {}",
                path.file_name().unwrap().to_string_lossy(),
                diagnostic.severity.name(),
                diagnostic.message
            );
        }
    }
    eprintln!("PackageManagerMismatch: {findings} findings");
    // Each finding was read: `apt-get` in a stage built on `golang:*-alpine` in two versions
    // of BuildKit's dockerfile-frontend Dockerfile (two calls each). A change here needs
    // reading again.
    assert_eq!(
        findings, 4,
        "the PackageManagerMismatch findings changed: read them"
    );
}
