//! Folding ranges: stages, instructions that span lines, heredoc bodies and comment blocks.
//!
//! Each range starts at the end of its first line, so the line that says what is folded (the
//! `FROM`, the keyword, the heredoc marker, the first comment) stays visible, and ends at the
//! end of its last line; a heredoc's terminator stays visible below its folded body.

use crate::syntax::SourceFile;
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Stage,
    Instruction,
    Heredoc,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    /// From the end of the first line to the end of the last line.
    pub span: Span,
    pub kind: FoldKind,
}

/// The end of the line holding `offset`, before its line break.
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let end = memchr::memchr(b'\n', &text.as_bytes()[offset..])
        .map(|at| offset + at)
        .unwrap_or(text.len());
    if end > offset && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// `offset` moved back over the line break just before it.
fn before_line_break(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    if offset > 0 && bytes[offset - 1] == b'\n' {
        offset -= 1;
    }
    if offset > 0 && bytes[offset - 1] == b'\r' {
        offset -= 1;
    }
    offset
}

/// A fold from the end of the line holding `start` to `end`, if that crosses a line break.
fn fold(text: &str, start: usize, end: usize, kind: FoldKind) -> Option<Fold> {
    let first_line_end = line_end(text, start);
    let has_line_break = text
        .as_bytes()
        .get(first_line_end..end)
        .is_some_and(|between| between.contains(&b'\n'));
    has_line_break.then_some(Fold {
        span: first_line_end..end,
        kind,
    })
}

/// Every folding range of the document, in document order.
pub fn folding_ranges(source: &SourceFile) -> Vec<Fold> {
    let text = source.text.as_str();
    let instructions = source.instructions();
    let mut folds = Vec::new();
    for stage in &source.stages.stages {
        let from = &instructions[stage.from];
        let last = stage.body.clone().last().unwrap_or(stage.from);
        folds.extend(fold(
            text,
            from.span.start,
            instructions[last].span.end,
            FoldKind::Stage,
        ));
    }
    for instruction in instructions {
        // With heredocs, the instruction's own fold is its head; each body folds on its own.
        let end = if instruction.heredocs.is_empty() {
            instruction.span.end
        } else {
            instruction.head_span().end
        };
        folds.extend(fold(
            text,
            instruction.span.start,
            end,
            FoldKind::Instruction,
        ));
        for heredoc in &instruction.heredocs {
            if heredoc.body_span.is_empty() {
                continue;
            }
            let start = before_line_break(text, heredoc.body_span.start);
            let end = before_line_break(text, heredoc.body_span.end);
            if end > start {
                folds.push(Fold {
                    span: start..end,
                    kind: FoldKind::Heredoc,
                });
            }
        }
    }
    // Comment lines that follow one another (outside instructions) fold as one block.
    let comments: Vec<&Span> = source
        .file
        .comments
        .iter()
        .filter(|comment| !comment.inside_instruction)
        .map(|comment| &comment.span)
        .collect();
    let mut index = 0;
    while index < comments.len() {
        let first = comments[index];
        let mut last = first;
        while let Some(next) = comments.get(index + 1) {
            let between = text.get(last.end..next.start).unwrap_or("\n\n");
            let adjacent = between.matches('\n').count() == 1
                && between
                    .bytes()
                    .all(|byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'));
            if !adjacent {
                break;
            }
            last = next;
            index += 1;
        }
        folds.extend(fold(text, first.start, last.end, FoldKind::Comment));
        index += 1;
    }
    folds.sort_by_key(|fold| (fold.span.start, std::cmp::Reverse(fold.span.end)));
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folds as `(kind, first line, last line)` (zero-based lines).
    fn folds(text: &str) -> Vec<(FoldKind, usize, usize)> {
        let line = |offset: usize| text[..offset].matches('\n').count();
        folding_ranges(&SourceFile::parse(text))
            .into_iter()
            .map(|fold| (fold.kind, line(fold.span.start), line(fold.span.end)))
            .collect()
    }

    #[test]
    fn stages_instructions_heredocs_and_comments() {
        let text = "# one\n# two\n\n# lone\nFROM a AS build\nRUN x \\\n  && y\nRUN <<EOF\nbody\nmore\nEOF\n\n# next stage\nFROM b\nCOPY --from=build \\\n  /a /b\n";
        assert_eq!(
            folds(text),
            vec![
                (FoldKind::Comment, 0, 1),
                (FoldKind::Stage, 4, 10),
                (FoldKind::Instruction, 5, 6),
                (FoldKind::Heredoc, 7, 9),
                (FoldKind::Stage, 13, 15),
                (FoldKind::Instruction, 14, 15),
            ]
        );
    }

    #[test]
    fn single_lines_do_not_fold_and_crlf_is_handled() {
        assert!(folds("FROM a\n").is_empty());
        let text = "FROM a\r\nRUN b \\\r\n  c\r\n";
        let found = folding_ranges(&SourceFile::parse(text));
        assert_eq!(found.len(), 2);
        // The fold starts before the `\r\n` of the first line.
        assert_eq!(&text[found[0].span.start..found[0].span.start + 2], "\r\n");
    }
}
