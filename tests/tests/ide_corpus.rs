//! The IDE features over every file of `../shared/corpus`: no panic, and results that hold
//! together (tokens in order and on character boundaries, folds that fold, selections that
//! nest, references that come back to where they started, renames that keep the file parsing).

use dockerfile_ls::analysis::{
    completion, folding, navigation, selection, semantic_tokens, signature_help,
};
use dockerfile_ls::lint::apply_edits;
use dockerfile_ls::lsp::convert;
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::text::PositionEncoding;
use dockerfile_ls_tests::{corpus_files, read_lossy};

/// Offsets worth poking at in one file: around every keyword, flag, argument and heredoc.
fn interesting_offsets(source: &SourceFile) -> Vec<usize> {
    let mut offsets = Vec::new();
    for instruction in source.instructions() {
        offsets.push(instruction.span.start);
        offsets.push(instruction.keyword_word.span.end);
        offsets.push(instruction.keyword_word.span.end + 1);
        for flag in &instruction.flags {
            offsets.push(flag.name_span.start + 1);
            if let Some(value) = &flag.value_span {
                offsets.push(value.start);
                offsets.push(value.end);
            }
        }
        for value in instruction.values.iter().take(4) {
            offsets.push(value.span.start);
            offsets.push(value.span.end);
        }
        for heredoc in &instruction.heredocs {
            offsets.push(heredoc.body_span.start);
            offsets.push(heredoc.end_span.end);
        }
        offsets.push(instruction.span.end);
    }
    let text = &source.text;
    for (at, _) in text.match_indices('$').take(40) {
        offsets.push(at + 1);
        offsets.push(at + 2);
    }
    offsets.retain(|offset| *offset <= text.len() && text.is_char_boundary(*offset));
    offsets.sort_unstable();
    offsets.dedup();
    // Long files: every third offset is plenty (and keeps the debug-build test quick).
    if offsets.len() > 90 {
        offsets = offsets.into_iter().step_by(3).collect();
    }
    offsets
}

#[test]
fn every_feature_holds_together_on_every_corpus_file() {
    let mut files = 0;
    let mut counts = [0usize; 5];
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = read_lossy(&path);
        let source = SourceFile::parse(&text);
        let tree = source.tree.clone().expect("a tree");

        let tokens = semantic_tokens::semantic_tokens(&source, &tree, None);
        for pair in tokens.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "{name}: overlapping tokens {pair:?}"
            );
        }
        for token in &tokens {
            assert!(
                token.start < token.end
                    && text.is_char_boundary(token.start)
                    && text.is_char_boundary(token.end),
                "{name}: bad token {token:?}"
            );
        }
        let encoded = convert::semantic_tokens(&text, PositionEncoding::Utf16, &tokens);
        assert!(
            encoded.len() >= tokens.len(),
            "{name}: tokens lost in encoding"
        );
        counts[0] += tokens.len();

        for fold in folding::folding_ranges(&source) {
            assert!(
                fold.span.start < fold.span.end && text[fold.span.clone()].contains('\n'),
                "{name}: a fold that folds nothing: {fold:?}"
            );
            counts[1] += 1;
        }

        let mut renames_left = 3;
        for offset in interesting_offsets(&source) {
            counts[2] += completion::completions(
                &source,
                offset,
                true,
                dockerfile_ls::knowledge::distros::AS_OF,
            )
            .len();
            signature_help::signature_help(&source, offset);
            let chain = selection::selection_ranges(&source, offset);
            for pair in chain.windows(2) {
                assert!(
                    pair[1].start <= pair[0].start && pair[0].end <= pair[1].end,
                    "{name}: selection ranges do not nest at {offset}: {chain:?}"
                );
            }
            let references = navigation::references(&source, offset, true);
            // Every reference leads back to the same set.
            if let Some(first) = references.first() {
                let again = navigation::references(&source, first.start, true);
                assert_eq!(
                    references, again,
                    "{name}: references from {offset} and {}",
                    first.start
                );
                counts[3] += references.len();
            }
            if renames_left == 0 {
                continue;
            }
            if let Ok(Some(target)) = navigation::prepare_rename(&source, offset) {
                renames_left -= 1;
                let new_name = format!("{}_renamed", target.name.replace(['.', '-'], "_"));
                if let Ok(edits) = navigation::rename(&source, offset, &new_name) {
                    let (renamed, _) = apply_edits(&text, &edits);
                    let after = SourceFile::new(renamed, None);
                    assert!(
                        after.file.errors.len() <= source.file.errors.len(),
                        "{name}: renaming {} to {new_name} broke the file",
                        target.name
                    );
                    assert_eq!(after.instructions().len(), source.instructions().len());
                    counts[4] += 1;
                }
            }
        }
        files += 1;
    }
    eprintln!(
        "{files} files: {} tokens, {} folds, {} completion items, {} references, {} renames",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    assert!(files > 1000);
    assert!(counts.iter().all(|count| *count > 0), "{counts:?}");
}
