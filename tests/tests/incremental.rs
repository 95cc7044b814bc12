//! Property: after any sequence of edits, the rope holds the expected text and the
//! incrementally reparsed tree equals a fresh parse of that text; re-lowering, edited source
//! files and the server's document store equal what a fresh start makes of the same text.

use dockerfile_ls::lsp::documents::Documents;
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::syntax::lower::{lower, relower};
use dockerfile_ls::syntax::tree::{SyntaxTree, parse};
use dockerfile_ls::text::{Position, PositionEncoding, Text, TextChange};
use proptest::prelude::*;
use tree_sitter::{Node, Tree};

const SEED: &str = "# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS build\nRUN apk add --no-cache curl \\\n    && echo \"界 😀\"\nCOPY <<EOF /etc/x.conf\nkey=value\nEOF\nLABEL a=\"b\" \\\r\n      c=d\r\nCMD [\"sh\", \"-c\", \"echo hi\"]\n";

const PIECES: &[&str] = &[
    "a",
    "RUN ",
    "FROM ",
    "x",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\\\n",
    "\\",
    "`",
    "界",
    "😀",
    "é",
    "<<EOF\n",
    "EOF\n",
    "<<-'END'\n",
    "\tEND\n",
    "\"",
    "'",
    "[\"a\", \"b\"]",
    "# comment\n",
    "--mount=type=cache,target=/x ",
    "$VAR",
    "${A:-b}",
    "&& ",
    "SHELL [\"pwsh\", \"-c\"]\n",
    "ENV A=1 \\\n",
    "\u{2028}",
];

/// The position of char `index` of `text`, counted the LSP way: lines end at `\n`, `\r\n` or a
/// lone `\r`; columns in UTF-16 units or UTF-8 bytes.
fn position_of(text: &str, index: usize, encoding: PositionEncoding) -> Position {
    let mut line = 0;
    let mut column = 0;
    let mut previous = '\0';
    for c in text.chars().take(index) {
        match c {
            // The `\n` of a `\r\n` belongs to the line break the `\r` started.
            '\n' if previous == '\r' => {}
            '\n' | '\r' => {
                line += 1;
                column = 0;
            }
            _ => {
                column += match encoding {
                    PositionEncoding::Utf8 => c.len_utf8(),
                    _ => c.len_utf16(),
                };
            }
        }
        previous = c;
    }
    Position::new(line, column as u32)
}

fn byte_of(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map(|(byte, _)| byte)
        .unwrap_or(text.len())
}

/// Fails at the first node that differs in kind or byte range.
fn same_tree(a: Node, b: Node) -> Result<(), String> {
    if a.kind() != b.kind()
        || a.byte_range() != b.byte_range()
        || a.child_count() != b.child_count()
    {
        return Err(format!(
            "{} {:?} vs {} {:?}",
            a.kind(),
            a.byte_range(),
            b.kind(),
            b.byte_range()
        ));
    }
    for index in 0..a.child_count() {
        same_tree(a.child(index).unwrap(), b.child(index).unwrap())?;
    }
    Ok(())
}

fn check(tree: &Tree, text: &Text) -> Result<(), String> {
    let fresh = parse(text).ok_or("no fresh tree")?;
    same_tree(tree.root_node(), fresh.root_node())
}

#[derive(Clone, Debug)]
struct EditStep {
    at: usize,
    delete: usize,
    insert: String,
}

fn edit_step() -> impl Strategy<Value = EditStep> {
    (
        0usize..400,
        0usize..6,
        prop::collection::vec(prop::sample::select(PIECES), 0..3),
    )
        .prop_map(|(at, delete, pieces)| EditStep {
            at,
            delete,
            insert: pieces.concat(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, .. ProptestConfig::default() })]

    #[test]
    fn incremental_reparse_equals_a_fresh_parse(
        steps in prop::collection::vec(edit_step(), 1..12),
        utf8 in any::<bool>(),
        batch in any::<bool>(),
    ) {
        let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
        let mut expected = SEED.to_string();
        let mut text = Text::new(&expected);
        let mut syntax = SyntaxTree::new(&text);
        for step in &steps {
            let Some(change) = change_for(&mut expected, step, encoding) else {
                continue;
            };
            let before = text.clone();
            let edit = text.apply(&change, encoding);
            syntax.edit(&before, &text, edit);
            prop_assert_eq!(text.to_string_lossless(), expected.clone());
            if !batch {
                syntax.reparse(&text);
                prop_assert_eq!(check(syntax.tree().unwrap(), &text), Ok(()));
            }
        }
        syntax.reparse(&text);
        prop_assert_eq!(check(syntax.tree().unwrap(), &text), Ok(()));
    }
}

/// Applies `step` to `text` in bytes (positions spread over the text and kept on character
/// boundaries) and returns the edit it made.
fn apply_bytes(text: &mut String, step: &EditStep) -> dockerfile_ls::text::ByteEdit {
    let length = text.len();
    let start = (step.at * 7).min(length);
    let start = (0..=start)
        .rev()
        .find(|at| text.is_char_boundary(*at))
        .unwrap_or(0);
    let mut end = (start + step.delete * 3).min(length);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text.replace_range(start..end, &step.insert);
    dockerfile_ls::text::ByteEdit {
        start,
        old_end: end,
        new_end: start + step.insert.len(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    /// Re-lowering only around an edit gives exactly the full lowering.
    #[test]
    fn relowering_after_an_edit_equals_lowering_from_scratch(
        steps in prop::collection::vec(edit_step(), 1..8),
        seed in prop::sample::select(vec![SEED, LONG_SEED]),
    ) {
        let mut current = seed.to_string();
        let mut lowered = lower(&current);
        for step in &steps {
            let before = current.clone();
            let edit = apply_bytes(&mut current, step);
            let incremental = relower(lowered, &current, edit);
            let fresh = lower(&current);
            prop_assert!(incremental == fresh, "before:\n{before:?}\nafter:\n{current:?}\nincremental: {incremental:#?}\nfresh: {fresh:#?}");
            lowered = incremental;
        }
    }

    /// A source file made from the one before an edit, shell scripts and expansions carried
    /// over, equals one made from scratch: instructions, stages, every RUN's scripts, the
    /// variables BuildKit expands in each instruction and the variable index.
    #[test]
    fn an_edited_source_file_equals_a_fresh_one(
        steps in prop::collection::vec(edit_step(), 1..8),
        seed in prop::sample::select(vec![SEED, LONG_SEED, SHELL_SEED]),
    ) {
        let mut current = seed.to_string();
        let mut source = SourceFile::new(current.clone(), None);
        for step in &steps {
            // Scripts and expansions are carried over only from a version that had them.
            for index in 0..source.instructions().len() {
                source.scripts(index);
                source.expansions(index);
            }
            source.keywords();
            // The previous version's variable index must not leak into the next one.
            source.variables();
            let edit = apply_bytes(&mut current, step);
            source = SourceFile::edited(source, current.clone(), edit);
            let fresh = SourceFile::new(current.clone(), None);
            prop_assert!(source.file == fresh.file, "{current:?}");
            for index in 0..fresh.instructions().len() {
                prop_assert_eq!(source.scripts(index), fresh.scripts(index), "instruction {} of {:?}", index, current);
                prop_assert_eq!(source.expansions(index), fresh.expansions(index), "instruction {} of {:?}", index, current);
            }
            prop_assert!(source.variables() == fresh.variables(), "{current:?}");
            prop_assert_eq!(source.keywords(), fresh.keywords(), "{:?}", current);
            prop_assert_eq!(source.keyword_cases(), fresh.keyword_cases(), "{:?}", current);
            prop_assert_eq!(source.continued(), fresh.continued(), "{:?}", current);
        }
    }
}

/// The LSP change for `step` (its range clamped to `expected`, counted in chars), applied to
/// `expected` too; None, and `expected` untouched, where the range would split a `\r\n` (the
/// LSP has no position between the two).
fn change_for(
    expected: &mut String,
    step: &EditStep,
    encoding: PositionEncoding,
) -> Option<TextChange> {
    let chars: Vec<char> = expected.chars().collect();
    let start = step.at.min(chars.len());
    let end = (start + step.delete).min(chars.len());
    let splits = |index: usize| {
        index > 0 && index < chars.len() && chars[index - 1] == '\r' && chars[index] == '\n'
    };
    if splits(start) || splits(end) {
        return None;
    }
    let change = TextChange {
        range: Some((
            position_of(expected, start, encoding),
            position_of(expected, end, encoding),
        )),
        text: step.insert.clone(),
    };
    let (from, to) = (byte_of(expected, start), byte_of(expected, end));
    expected.replace_range(from..to, &step.insert);
    Some(change)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// The document store as the server drives it: several changes per notification, some
    /// versions analysed and others skipped (their edits compose into the next), each new
    /// version's text made by editing the previous one's. Every analysed snapshot holds the
    /// client's text, lowered and with scripts exactly as a fresh source file of that text.
    #[test]
    fn documents_follow_any_changes(
        batches in prop::collection::vec(prop::collection::vec(edit_step(), 1..4), 1..8),
        analysed in prop::collection::vec(any::<bool>(), 8),
        utf8 in any::<bool>(),
        seed in prop::sample::select(vec![SEED, LONG_SEED, SHELL_SEED]),
    ) {
        let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
        let uri: ls_types::Uri = "file:///w/Dockerfile".parse().unwrap();
        let documents = Documents::default();
        let mut expected = seed.to_string();
        let check = |snapshot: &dockerfile_ls::lsp::documents::Snapshot, expected: &str| -> Result<(), TestCaseError> {
            prop_assert_eq!(&snapshot.source.text, expected);
            let fresh = SourceFile::new(expected.to_string(), None);
            prop_assert!(snapshot.source.file == fresh.file, "{:?}", expected);
            for index in 0..fresh.instructions().len() {
                prop_assert_eq!(snapshot.source.scripts(index), fresh.scripts(index), "instruction {} of {:?}", index, expected);
            }
            Ok(())
        };
        let opened = documents.open(uri.clone(), 1, &expected);
        check(&documents.build(opened, encoding), &expected)?;
        for (number, batch) in batches.iter().enumerate() {
            let changes: Vec<TextChange> = batch
                .iter()
                .filter_map(|step| change_for(&mut expected, step, encoding))
                .collect();
            let pending = documents.change(&uri, number as i32 + 2, &changes, encoding).unwrap();
            if analysed[number] {
                // Dropped before the next change, as the server does, so it can be re-lowered.
                check(&documents.build(pending, encoding), &expected)?;
            }
        }
        check(&documents.snapshot(&uri, encoding).unwrap(), &expected)?;
    }
}

const SHELL_SEED: &str = "FROM a AS one\nRUN apt-get update && apt-get install -y curl\nRUN [\"sh\", \"-c\", \"apk add x\"]\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN dir\nFROM one\nRUN still cmd\nSHELL [\"/bin/bash\", \"-c\"]\nRUN <<EOF\nset -e\nyum install -y z\nEOF\nFROM b\nRUN echo \\\n  # note\n  done\nONBUILD RUN make\n";

const LONG_SEED: &str = "# escape=\\\nARG V=1\nFROM a:$V AS base\nRUN one \\\n  # c\n  two\n\n# between\nRUN <<EOF\nbody\nEOF\nCOPY <<A <<B /x\na\nA\nb\nB\nENV X=1 \\\n    Y=2\nFROM base\nONBUILD RUN x\nLABEL a=b\nCMD [\"a\"]\nRUN echo it's <<EOF\nnot a body\nEOF\nHEALTHCHECK CMD true\nRUN last\n";
