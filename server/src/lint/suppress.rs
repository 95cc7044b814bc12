//! Suppressions users already write: BuildKit's `# check=skip=A,B|all` (as the file's parser
//! directive, or as a comment right above an instruction), hadolint's `# hadolint ignore=DL3059`
//! and `# hadolint global ignore=...`, and our own `# dockerfile-ls ignore=Name` and
//! `# dockerfile-ls global ignore=Name`.

use super::{Diagnostic, instruction_at};
use crate::syntax::{Comment, SourceFile};

/// Names to skip; `all` skips everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct NameList {
    all: bool,
    names: Vec<String>,
}

impl NameList {
    fn parse(list: &str) -> NameList {
        let mut parsed = NameList::default();
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            if name.eq_ignore_ascii_case("all") {
                parsed.all = true;
            } else {
                parsed.names.push(name.to_string());
            }
        }
        parsed
    }

    fn extend(&mut self, other: NameList) {
        self.all |= other.all;
        self.names.extend(other.names);
    }

    fn covers(&self, diagnostic: &Diagnostic) -> bool {
        self.all || self.names.iter().any(|name| diagnostic.answers_to(name))
    }
}

/// What one comment asks for.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    /// Skip these rules in the whole file.
    File(NameList),
    /// Skip these rules for the next instruction.
    Next(NameList),
}

/// `skip=A,B` inside a `check` directive value such as `skip=A,B;error=true`.
fn check_skip_list(value: &str) -> Option<NameList> {
    value.split(';').find_map(|part| {
        let (key, list) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("skip")
            .then(|| NameList::parse(list))
    })
}

/// Reads `word =value` with optional spaces around `=`; returns the value.
fn after_key<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(key)?.trim_start();
    Some(rest.strip_prefix('=')?.trim())
}

fn parse_comment(text: &str) -> Option<Request> {
    let text = text.trim();
    if let Some(rest) = after_key(text, "check") {
        return check_skip_list(rest).map(Request::Next);
    }
    for tool in ["hadolint", "dockerfile-ls"] {
        let Some(rest) = text.strip_prefix(tool) else {
            continue;
        };
        let rest = rest.trim_start();
        if let Some(global) = rest.strip_prefix("global") {
            let list = after_key(global.trim_start(), "ignore")?;
            return Some(Request::File(NameList::parse(first_word(list))));
        }
        let list = after_key(rest, "ignore")?;
        return Some(Request::Next(NameList::parse(first_word(list))));
    }
    None
}

/// The comment (its text after `#`) silences findings of the instruction below it with
/// hadolint's or our own inline form (`hadolint ignore=DL3008`, `dockerfile-ls ignore=Name`);
/// not a file-wide one, and not BuildKit's `check=skip=`.
pub fn is_inline_ignore(comment: &str) -> bool {
    let text = comment.trim();
    if !text.starts_with("hadolint") && !text.starts_with("dockerfile-ls") {
        return false;
    }
    matches!(parse_comment(text), Some(Request::Next(list)) if list.all || !list.names.is_empty())
}

/// The list ends at whitespace (hadolint allows a trailing explanation).
fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

/// Everything the file's comments suppress.
#[derive(Debug, Default)]
pub struct Suppressions {
    file: NameList,
    /// Per instruction index.
    instructions: Vec<(usize, NameList)>,
}

impl Suppressions {
    pub fn collect(source: &SourceFile) -> Suppressions {
        let mut suppressions = Suppressions::default();
        for directive in &source.file.directives {
            if directive.name == "check"
                && let Some(list) = check_skip_list(&directive.value)
            {
                suppressions.file.extend(list);
            }
        }
        let comments: Vec<&Comment> = source
            .file
            .comments
            .iter()
            .filter(|comment| !comment.inside_instruction)
            .collect();
        for comment in comments {
            match parse_comment(&comment.text) {
                Some(Request::File(list)) => suppressions.file.extend(list),
                Some(Request::Next(list)) => {
                    if let Some(index) = instruction_below(source, comment) {
                        suppressions.instructions.push((index, list));
                    }
                }
                None => {}
            }
        }
        suppressions
    }

    pub fn suppresses(&self, source: &SourceFile, diagnostic: &Diagnostic) -> bool {
        if self.file.covers(diagnostic) {
            return true;
        }
        let Some(index) = instruction_at(source, diagnostic.span.start) else {
            return false;
        };
        self.instructions
            .iter()
            .any(|(at, list)| *at == index && list.covers(diagnostic))
    }
}

/// The instruction a comment sits directly above: only comment lines (no blank line) between.
fn instruction_below(source: &SourceFile, comment: &Comment) -> Option<usize> {
    let text = &source.text;
    let mut position = comment.span.end;
    loop {
        // Skip the line break after the current line.
        let rest = &text[position..];
        let line_break = rest.find('\n')?;
        position += line_break + 1;
        let line_end = text[position..]
            .find('\n')
            .map(|end| position + end)
            .unwrap_or(text.len());
        let line = text[position..line_end].trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            return None;
        }
        let instructions = source.instructions();
        let index = instructions.partition_point(|instruction| instruction.span.start < position);
        return instructions
            .get(index)
            .filter(|instruction| instruction.span.start < line_end)
            .map(|_| index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_comment_forms() {
        assert_eq!(
            parse_comment("hadolint ignore=DL3059,DL3008"),
            Some(Request::Next(NameList {
                all: false,
                names: vec!["DL3059".into(), "DL3008".into()]
            }))
        );
        assert!(matches!(
            parse_comment("hadolint global ignore = DL3006"),
            Some(Request::File(_))
        ));
        assert!(matches!(
            parse_comment("check=skip=all"),
            Some(Request::Next(NameList { all: true, .. }))
        ));
        assert!(matches!(
            parse_comment("dockerfile-ls ignore=ConsecutiveRunInstructions because"),
            Some(Request::Next(list)) if list.names == vec!["ConsecutiveRunInstructions".to_string()]
        ));
        assert_eq!(parse_comment("just a comment"), None);
        assert_eq!(
            check_skip_list("skip=A, B;error=true").unwrap().names,
            vec!["A".to_string(), "B".to_string()]
        );
    }

    #[test]
    fn a_comment_applies_to_the_instruction_right_below() {
        let source = SourceFile::parse(
            "FROM a\n# hadolint ignore=DL3059\n# more\nRUN a\n\n# check=skip=all\n\nRUN b\n",
        );
        let suppressions = Suppressions::collect(&source);
        assert_eq!(suppressions.instructions.len(), 1);
        assert_eq!(suppressions.instructions[0].0, 1);
    }
}
