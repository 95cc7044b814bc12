//! NoEmptyContinuation: BuildKit's check for blank lines inside an instruction's
//! continuation lines.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, SourceFile};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "NoEmptyContinuation",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Empty continuation lines will become errors in a future release",
    documentation: "\
## What it does
Flags an instruction whose continuation lines (after a line ending in `\\`) include a blank \
line. This is BuildKit's build check of the same name; like BuildKit, it points at the last \
line of the instruction, once however many blank lines it holds, and names the blank lines \
beside the finding.

## Why
BuildKit skips such a line and carries on with the instruction, which hides where an \
instruction really ends: a blank line usually means the author thought it ended there. BuildKit \
says these lines will become errors in a future release.

## Fixes
**Remove the empty continuation lines** (safe): BuildKit skips them already, so the \
instruction means the same.

## Example
```dockerfile
FROM alpine
RUN apk add \\

    curl
```

## Use instead
```dockerfile
FROM alpine
RUN apk add \\
    curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let continued = context.continued();
    for (index, instruction) in context.instructions().iter().enumerate() {
        if !continued[index] {
            continue;
        }
        let blank = blank_lines(source, instruction);
        if blank.is_empty() {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &RULE,
            last_line(source, instruction),
            "Empty continuation line",
        );
        for line in &blank {
            diagnostic = diagnostic.related(line.start..line.start, "empty continuation line");
        }
        diagnostic = diagnostic.fix_with(context, || {
            let edits = blank.iter().cloned().map(Edit::delete).collect();
            Some(
                Fix::new("Remove the empty continuation lines", edits)
                    .preferred()
                    .safe(),
            )
        });
        found.push(diagnostic);
    }
}

/// The blank lines between the instruction's continuation lines, each with its line break.
fn blank_lines(source: &SourceFile, instruction: &Instruction) -> Vec<Span> {
    let mut blank = Vec::new();
    for pair in instruction.logical.segments.windows(2) {
        // What lies between two pieces: the end of a line (its escape and line break), then
        // whole lines BuildKit skipped (comments, blank lines).
        let gap = pair[0].document_end()..pair[1].document_start();
        let text = source.slice(&gap);
        if memchr::memchr_iter(b'\n', text.as_bytes()).count() < 2 {
            continue;
        }
        let Some(first_break) = text.find('\n') else {
            continue;
        };
        let mut start = gap.start + first_break + 1;
        for line in text[first_break + 1..].split_inclusive('\n') {
            let end = start + line.len();
            if line.ends_with('\n') && line.trim().is_empty() {
                blank.push(start..end);
            }
            start = end;
        }
    }
    blank
}

/// The last line of the instruction's head (where BuildKit reports the finding), without its
/// indentation.
fn last_line(source: &SourceFile, instruction: &Instruction) -> Span {
    let end = instruction.head_span().end;
    let start = source.line_start(end);
    let line = &source.text[start..end];
    (start + line.len() - line.trim_start().len())..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_the_last_line_of_an_instruction_with_blank_continuation_lines() {
        let text = "FROM scratch\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n  # comment\n.\n";
        assert_eq!(underlined(&RULE, text), vec!["."]);
        let found = run(&RULE, text);
        assert_eq!(found[0].related.len(), 1);
        let source = SourceFile::parse(text);
        // BuildKit reports line 4, the instruction's last line.
        assert_eq!(source.line_number(found[0].span.start), 4);
    }

    #[test]
    fn the_fix_removes_the_blank_lines_and_keeps_the_instruction() {
        let text = "FROM a\nRUN apk add \\\n  \n\r\n    curl \\\n\n    git\nRUN b\n";
        let fixed = apply_fix(&RULE, text, "Remove");
        assert_eq!(
            fixed,
            "FROM a\nRUN apk add \\\n    curl \\\n    git\nRUN b\n"
        );
        let before = SourceFile::parse(text);
        let after = SourceFile::parse(&fixed);
        assert_eq!(
            before.instructions()[1].logical.text,
            after.instructions()[1].logical.text
        );
    }
}
