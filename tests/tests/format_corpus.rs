//! The formatter over every file of `../shared/corpus`: what BuildKit sees is unchanged, and a
//! second pass has nothing left to do.

use dockerfile_ls::analysis::format::{FormatOptions, format, same_meaning};
use dockerfile_ls::lint::apply_edits;
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::syntax::lower::lower;
use dockerfile_ls_tests::{corpus_files, read_lossy};

fn check_every_file(options: &FormatOptions) -> (usize, usize) {
    let mut changed = 0;
    let mut edits_total = 0;
    let mut failures = Vec::new();
    let files = corpus_files();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = read_lossy(path);
        let source = SourceFile::new(text.clone(), None);
        let edits = format(&source, options);
        let (output, applied) = apply_edits(&text, &edits);
        if applied != edits.len() {
            failures.push(format!("{name}: overlapping edits"));
            continue;
        }
        if !same_meaning(&source.file, &lower(&output)) {
            failures.push(format!("{name}: the lowering changed"));
            continue;
        }
        let again = format(&SourceFile::new(output.clone(), None), options);
        if !again.is_empty() {
            failures.push(format!(
                "{name}: a second pass still edits: {:?}",
                again.iter().take(3).collect::<Vec<_>>()
            ));
            continue;
        }
        changed += usize::from(output != text);
        edits_total += edits.len();
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    (changed, edits_total)
}

#[test]
fn formatting_every_corpus_file_keeps_its_meaning_and_is_idempotent() {
    let (changed, edits) = check_every_file(&FormatOptions::default());
    eprintln!("formatting changed {changed} corpus files with {edits} edits");
    assert!(changed > 0, "the corpus surely has something to format");
}

#[test]
fn formatting_with_tabs_and_two_spaces_is_just_as_safe() {
    check_every_file(&FormatOptions {
        tab_size: 2,
        insert_spaces: true,
    });
    check_every_file(&FormatOptions {
        tab_size: 8,
        insert_spaces: false,
    });
}
