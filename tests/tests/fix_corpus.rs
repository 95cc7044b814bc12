//! The fix engine over every file of `../shared/corpus`: it settles before its bound, never
//! leaves more parse errors than the file had, never leaves an install without the package
//! index it reads (the index state is simulated per stage before and after), and a second run
//! has nothing left to do.

use std::collections::BTreeMap;

use dockerfile_ls::bytes::Decoded;
use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::fix::{FixOptions, fix_text};
use dockerfile_ls::lint::{Settings, package_index};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::syntax::lower::lower;
use dockerfile_ls_tests::corpus_files;

fn check_every_file(options: FixOptions) {
    let settings = Settings::default();
    let files = corpus_files();
    let mut failures = Vec::new();
    let mut rounds: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut changed, mut fixed) = (0, 0);
    let mut refused = Vec::new();
    let started = std::time::Instant::now();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let contents = Decoded::new(std::fs::read(path).unwrap());
        let text = &contents.text;
        // Support status is judged on the catalog's date, so the test does not age.
        let result = fix_text(text, &settings, AS_OF, options);
        *rounds.entry(result.rounds).or_default() += 1;
        if !result.settled {
            failures.push(format!(
                "{name}: no fixed point in {} rounds",
                result.rounds
            ));
            continue;
        }
        if let Some(reason) = &result.refused {
            // The engine kept the file as it was: a fix that breaks parsing. A safe one is
            // the worst bug; an unsafe one is listed for its rule to mend.
            refused.push(format!("{name}: {reason}"));
            continue;
        }
        let errors_before = lower(text).errors.len();
        let errors_after = lower(&result.text).errors.len();
        if errors_after > errors_before {
            failures.push(format!(
                "{name}: {errors_after} parse errors after fixing, {errors_before} before"
            ));
            continue;
        }
        // Every read of an index that is certainly absent: a fix may not add one.
        let missing = |text: &str| {
            let mut found =
                package_index::missing_indexes(&SourceFile::new(text.to_string(), None))
                    .into_iter()
                    .map(|(_, manager)| manager)
                    .collect::<Vec<_>>();
            found.sort();
            found
        };
        let (missing_before, missing_after) = (missing(text), missing(&result.text));
        if missing_after.iter().any(|manager| {
            missing_after
                .iter()
                .filter(|other| *other == manager)
                .count()
                > missing_before
                    .iter()
                    .filter(|other| *other == manager)
                    .count()
        }) {
            failures.push(format!(
                "{name}: an install no longer finds the package index it reads:\n{}",
                result.text
            ));
            continue;
        }
        let again = fix_text(&result.text, &settings, AS_OF, options);
        if again.text != result.text || again.fixed != 0 {
            failures.push(format!(
                "{name}: fixing the fixed file changes it again ({} more fixed)",
                again.fixed
            ));
            continue;
        }
        if result.text != *text {
            changed += 1;
            fixed += result.fixed;
            // Bytes outside the edits are kept: the stand-ins of bad bytes go back.
            let bytes = contents.encode(&result.text);
            if Decoded::new(bytes).text != result.text {
                failures.push(format!("{name}: the fixed bytes do not read back"));
            }
        }
    }
    eprintln!(
        "{options:?}: {changed} of {} files changed, {fixed} findings fixed, {} refused, \
         rounds per file {rounds:?}, {:.1} s",
        files.len(),
        refused.len(),
        started.elapsed().as_secs_f64()
    );
    for refusal in &refused {
        eprintln!("refused: {refusal}");
    }
    if !options.unsafe_fixes {
        failures.extend(refused);
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(changed > 0, "the corpus surely has something to fix");
}

#[test]
fn safe_fixes_over_the_corpus_settle_parse_and_are_idempotent() {
    check_every_file(FixOptions::default());
}

#[test]
fn unsafe_fixes_over_the_corpus_settle_parse_and_are_idempotent() {
    check_every_file(FixOptions {
        unsafe_fixes: true,
        ..FixOptions::default()
    });
}
