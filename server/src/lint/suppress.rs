//! Suppressions users already write: BuildKit's `# check=skip=A,B|all` (as the file's parser
//! directive, or as a comment right above an instruction), hadolint's `# hadolint ignore=DL3059`,
//! `# hadolint global ignore=...` and `# hadolint stage ignore=...` (hadolint 2.15: above a
//! `FROM`, for that stage), and our own `# dockerfile-ls ignore=Name`, `# dockerfile-ls global
//! ignore=Name` and `# dockerfile-ls stage ignore=Name`.
//!
//! The tools' comments are pragmas that the configuration can turn off (hadolint's
//! `disable-ignore-pragma`); BuildKit's `check=skip` is BuildKit's own setting, which the build
//! reads too, and always holds.

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
    /// Skip these rules in the stage the `FROM` right below starts.
    Stage(NameList),
}

/// Who wrote a request: BuildKit's `check` directive, or a linter's pragma.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    BuildKit,
    Pragma,
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

fn parse_comment(text: &str) -> Option<(Origin, Request)> {
    let text = text.trim();
    if let Some(rest) = after_key(text, "check") {
        return check_skip_list(rest).map(|list| (Origin::BuildKit, Request::Next(list)));
    }
    for tool in ["hadolint", "dockerfile-ls"] {
        let Some(rest) = text.strip_prefix(tool) else {
            continue;
        };
        // `# hadolint ignore=`, never `# hadolintish ignore=`.
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start();
        let scoped = |keyword: &str| -> Option<NameList> {
            let after = rest.strip_prefix(keyword)?;
            if !after.starts_with([' ', '\t']) {
                return None;
            }
            let list = after_key(after.trim_start(), "ignore")?;
            Some(NameList::parse(first_word(list)))
        };
        if let Some(list) = scoped("global") {
            return Some((Origin::Pragma, Request::File(list)));
        }
        if let Some(list) = scoped("stage") {
            return Some((Origin::Pragma, Request::Stage(list)));
        }
        let list = after_key(rest, "ignore")?;
        return Some((
            Origin::Pragma,
            Request::Next(NameList::parse(first_word(list))),
        ));
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
    matches!(parse_comment(text), Some((Origin::Pragma, Request::Next(list))) if list.all || !list.names.is_empty())
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
    /// Per stage: the range of instruction indices from its `FROM` to its last instruction.
    stages: Vec<(std::ops::Range<usize>, NameList)>,
}

impl Suppressions {
    /// The suppressions of `source`. Without `pragmas`, only BuildKit's `check=skip` counts
    /// (hadolint's `disable-ignore-pragma` turns off every `# hadolint ... ignore=` and our own
    /// `# dockerfile-ls ... ignore=`, the global and stage forms included, as hadolint does).
    pub fn collect(source: &SourceFile, pragmas: bool) -> Suppressions {
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
            let Some((origin, request)) = parse_comment(&comment.text) else {
                continue;
            };
            if origin == Origin::Pragma && !pragmas {
                continue;
            }
            match request {
                Request::File(list) => suppressions.file.extend(list),
                Request::Next(list) => {
                    if let Some(index) = instruction_below(source, comment) {
                        suppressions.instructions.push((index, list));
                    }
                }
                Request::Stage(list) => {
                    // Above anything but a `FROM` the pragma means nothing (hadolint 2.15).
                    if let Some(stage) = instruction_below(source, comment)
                        .and_then(|index| stage_from(source, index))
                    {
                        suppressions.stages.push((stage, list));
                    }
                }
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
            || self
                .stages
                .iter()
                .any(|(stage, list)| stage.contains(&index) && list.covers(diagnostic))
    }
}

/// The instructions of the stage whose `FROM` is instruction `index`: from the `FROM` to the
/// stage's last instruction. (hadolint 2.15 itself starts the range one line after the pragma
/// and ends it on the next stage's `FROM` line; we cover the stage the pragma names, its
/// `FROM` included, and nothing of the next.)
fn stage_from(source: &SourceFile, index: usize) -> Option<std::ops::Range<usize>> {
    source
        .stages
        .stages
        .iter()
        .find(|stage| stage.from == index)
        .map(|stage| stage.from..stage.body.end.max(stage.from + 1))
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

    fn request(text: &str) -> Option<Request> {
        parse_comment(text).map(|(_, request)| request)
    }

    #[test]
    fn parses_the_comment_forms() {
        assert_eq!(
            request("hadolint ignore=DL3059,DL3008"),
            Some(Request::Next(NameList {
                all: false,
                names: vec!["DL3059".into(), "DL3008".into()]
            }))
        );
        assert!(matches!(
            request("hadolint global ignore = DL3006"),
            Some(Request::File(_))
        ));
        assert!(matches!(
            request("hadolint stage ignore=DL3006"),
            Some(Request::Stage(list)) if list.names == vec!["DL3006".to_string()]
        ));
        assert!(matches!(
            request("dockerfile-ls stage ignore=UnusedStage"),
            Some(Request::Stage(_))
        ));
        assert_eq!(
            parse_comment("check=skip=all").map(|(origin, _)| origin),
            Some(Origin::BuildKit)
        );
        assert!(matches!(
            request("check=skip=all"),
            Some(Request::Next(NameList { all: true, .. }))
        ));
        assert!(matches!(
            request("dockerfile-ls ignore=ConsecutiveRunInstructions because"),
            Some(Request::Next(list)) if list.names == vec!["ConsecutiveRunInstructions".to_string()]
        ));
        assert_eq!(request("just a comment"), None);
        assert_eq!(request("hadolintish ignore=DL3006"), None);
        assert_eq!(request("hadolint stages ignore=DL3006"), None);
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
        let suppressions = Suppressions::collect(&source, true);
        assert_eq!(suppressions.instructions.len(), 1);
        assert_eq!(suppressions.instructions[0].0, 1);
    }

    /// The findings of the whole engine under `settings`, as (rule, line) pairs.
    fn findings(text: &str, settings: &crate::lint::Settings) -> Vec<(&'static str, usize)> {
        let source = SourceFile::parse(text);
        crate::lint::lint(&source, settings, crate::knowledge::distros::AS_OF)
            .iter()
            .map(|finding| {
                let line = text[..finding.span.start].matches('\n').count() + 1;
                (finding.rule.name, line)
            })
            .collect()
    }

    const STAGES: &str = "FROM alpine:3.20 AS build\nMAINTAINER a\n\n# hadolint stage ignore=DL4000\nFROM alpine:3.20 AS test\nMAINTAINER b\nRUN true\nMAINTAINER c\nFROM alpine:3.20\nMAINTAINER d\nCOPY --from=build /a /a\nCOPY --from=test /b /b\n";

    #[test]
    fn a_stage_pragma_covers_its_stage_and_nothing_else() {
        let maintainer_lines: Vec<usize> = findings(STAGES, &Default::default())
            .into_iter()
            .filter(|(rule, _)| *rule == "MaintainerDeprecated")
            .map(|(_, line)| line)
            .collect();
        assert_eq!(maintainer_lines, vec![2, 10]);
    }

    #[test]
    fn a_stage_pragma_above_anything_but_from_means_nothing() {
        let text = "FROM alpine:3.20\n# hadolint stage ignore=DL4000\nMAINTAINER a\nMAINTAINER b\n";
        let found: Vec<_> = findings(text, &Default::default())
            .into_iter()
            .filter(|(rule, _)| *rule == "MaintainerDeprecated")
            .collect();
        assert_eq!(
            found,
            vec![("MaintainerDeprecated", 3), ("MaintainerDeprecated", 4)]
        );
    }

    #[test]
    fn a_stage_pragma_covers_the_from_line_itself() {
        let text = "# hadolint stage ignore=DL3006\nFROM ubuntu\nFROM ubuntu AS two\n";
        let found: Vec<_> = findings(text, &Default::default())
            .into_iter()
            .filter(|(rule, _)| *rule == "ImageTagMissing")
            .collect();
        assert_eq!(found, vec![("ImageTagMissing", 3)]);
    }

    #[test]
    fn disabled_pragmas_keep_buildkit_skips() {
        let text = "# check=skip=ConsecutiveRunInstructions\n# hadolint global ignore=DL3006\nFROM ubuntu\n# hadolint ignore=DL4000\nMAINTAINER a\n# dockerfile-ls ignore=MaintainerDeprecated\nMAINTAINER b\nRUN a\nRUN b\n";
        let honoured = findings(text, &Default::default());
        assert!(honoured.is_empty(), "{honoured:?}");
        let settings = crate::lint::Settings {
            disable_ignore_pragma: true,
            ..Default::default()
        };
        let rules: Vec<&str> = findings(text, &settings)
            .into_iter()
            .map(|(rule, _)| rule)
            .collect();
        assert_eq!(
            rules,
            vec![
                "ImageTagMissing",
                "MaintainerDeprecated",
                "MaintainerDeprecated"
            ]
        );
    }
}
