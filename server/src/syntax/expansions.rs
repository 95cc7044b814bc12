//! The variables BuildKit itself expands in an instruction, as opposed to the shell's (BuildKit's
//! `Expand` of each command, and the `--mount` fields of `RUN`): where `$NAME` is replaced
//! before anything runs, so a name with no value becomes the empty string.
//!
//! Expanded: the keys and values of `ENV` and `LABEL`; the sources, destination and the
//! `--chown`, `--chmod` and `--checksum` flags of `COPY` and `ADD`, and the bodies of their
//! heredocs with an unquoted delimiter (read raw: quotes protect nothing there); the argument of
//! `WORKDIR`, `USER`, `VOLUME` and `STOPSIGNAL`; the defaults of `ARG`; the `--mount` flags of
//! `RUN`. Not expanded by BuildKit: `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK` commands (the
//! shell's job), `COPY --from`, `EXPOSE` (expanded, but BuildKit does not report unknown names
//! there), `FROM` (its own rules), `ONBUILD` (expanded in the image built from this one).

use compact_str::CompactString;

use super::expand;
use super::{Instruction, Keyword, SourceFile};
use crate::text::Span;

/// A variable BuildKit expands: its name and where the name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub name: CompactString,
    pub span: Span,
}

impl Expansion {
    pub fn shift(&mut self, delta: isize) {
        self.span = super::model::shift_span(&self.span, delta);
    }
}

/// The variables BuildKit expands in `instruction`, in document order.
pub fn expansions(source: &SourceFile, instruction: &Instruction) -> Vec<Expansion> {
    let mut found = Vec::new();
    match instruction.keyword {
        Keyword::Env
        | Keyword::Label
        | Keyword::Workdir
        | Keyword::User
        | Keyword::Volume
        | Keyword::Stopsignal => arguments(source, instruction, &mut found),
        Keyword::Copy | Keyword::Add => {
            for flag in &instruction.flags {
                if matches!(flag.name.as_str(), "chown" | "chmod" | "checksum") {
                    flag_value(source, flag, &mut found);
                }
            }
            arguments(source, instruction, &mut found);
            for heredoc in instruction.heredocs.iter().filter(|heredoc| heredoc.expand) {
                let body = source.slice(&heredoc.body_span);
                if !body.contains('$') {
                    continue;
                }
                // Read raw: quote characters are text there, so they become blanks of the same
                // length and protect nothing.
                let unquoted = body.replace(['\'', '"'], " ");
                for reference in expand::references(&unquoted, '\\') {
                    let start = heredoc.body_span.start + reference.name_range.start;
                    found.push(Expansion {
                        span: start..start + reference.name.len(),
                        name: reference.name.into(),
                    });
                }
            }
        }
        Keyword::Arg => {
            for word in &instruction.values {
                let Some((name, default)) = word.text.split_once('=') else {
                    continue;
                };
                let start = word.span.start + name.len() + 1;
                let exact = source.slice(&word.span) == word.text;
                references(source, default, start..word.span.end, exact, &mut found);
            }
        }
        Keyword::Run => {
            for flag in instruction.flags_named("mount") {
                flag_value(source, flag, &mut found);
            }
        }
        _ => {}
    }
    found.sort_by_key(|expansion| expansion.span.start);
    found
}

/// The references in the instruction's arguments (the text after the flags).
fn arguments(source: &SourceFile, instruction: &Instruction, found: &mut Vec<Expansion>) {
    let text = instruction.arguments();
    if !text.contains('$') {
        return;
    }
    let offset = instruction.arguments_range.start;
    for reference in expand::references(text, source.file.escape) {
        let range = reference.name_range.start + offset..reference.name_range.end + offset;
        found.push(Expansion {
            span: instruction.logical.document_span(range),
            name: reference.name.into(),
        });
    }
}

fn flag_value(source: &SourceFile, flag: &super::Flag, found: &mut Vec<Expansion>) {
    let (Some(value), Some(span)) = (&flag.value, &flag.value_span) else {
        return;
    };
    let exact = source.slice(span) == value.as_str();
    references(source, value, span.clone(), exact, found);
}

/// The references of `text`, written at `span` (name by name when `exact`, else the whole
/// span).
fn references(
    source: &SourceFile,
    text: &str,
    span: Span,
    exact: bool,
    found: &mut Vec<Expansion>,
) {
    if !text.contains('$') {
        return;
    }
    for reference in expand::references(text, source.file.escape) {
        let at = if exact {
            span.start + reference.name_range.start..span.start + reference.name_range.end
        } else {
            span.clone()
        };
        found.push(Expansion {
            name: reference.name.into(),
            span: at,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, index: usize) -> Vec<String> {
        let source = SourceFile::parse(text);
        expansions(&source, &source.instructions()[index])
            .into_iter()
            .map(|expansion| {
                assert_eq!(&text[expansion.span.clone()], expansion.name.as_str());
                expansion.name.to_string()
            })
            .collect()
    }

    #[test]
    fn finds_what_buildkit_expands() {
        assert_eq!(
            names("FROM a\nENV A=$B C=${D:-$E} '$F'\n", 1),
            vec!["B", "D", "E"]
        );
        assert_eq!(
            names("FROM a\nCOPY --chown=$U --from=$S $SRC /dst/$D\n", 1),
            vec!["U", "SRC", "D"]
        );
        assert_eq!(names("FROM a\nARG A=$B C $D=$E\n", 1), vec!["B", "E"]);
        assert_eq!(
            names("FROM a\nRUN --mount=type=cache,target=$CACHE echo $X\n", 1),
            vec!["CACHE"]
        );
        assert!(names("FROM a\nCMD echo $X\nEXPOSE $P\n", 1).is_empty());
        assert_eq!(names("FROM a\nWORKDIR \\\n  $APP\n", 1), vec!["APP"]);
    }

    #[test]
    fn heredocs_are_read_raw() {
        assert_eq!(
            names(
                "FROM a\nCOPY <<EOF /x\n'$A' \"$B\" \\$C\nEOF\nCOPY <<'EOF' /y\n$D\nEOF\n",
                1
            ),
            vec!["A", "B"]
        );
        assert!(names("FROM a\nCOPY <<'EOF' /y\n$D\nEOF\n", 1).is_empty());
    }
}
