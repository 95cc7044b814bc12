//! Suppressions users already write: BuildKit's `# check=` (as the file's parser directive,
//! or as a comment above an instruction), hadolint's `# hadolint ignore=DL3059`,
//! `# hadolint global ignore=...` and `# hadolint stage ignore=...` (hadolint 2.15: above a
//! `FROM`, for that stage), and our own `# dockerfile-ls ignore=Name`, `# dockerfile-ls global
//! ignore=Name` and `# dockerfile-ls stage ignore=Name`.
//!
//! The tools' comments are pragmas that the configuration can turn off (hadolint's
//! `disable-ignore-pragma`); BuildKit's `check=` is BuildKit's own setting, which the build
//! reads too, and always holds.
//!
//! `# check=` works as in BuildKit: `skip=all` skips BuildKit's checks (not our own rules, which
//! BuildKit does not know; a `skip` list may name one of those exactly), names are compared
//! exactly, experimental checks run only where `experimental=` names them and ignore `skip`,
//! and a comment above an instruction is read the way BuildKit attaches comments to it
//! ([`buildkit::preceding_comments`]): its first `check` comment counts, blank lines between
//! it and the instruction allowed.

use super::buildkit::{self, CheckOptions};
use super::{Diagnostic, Rule, Settings, instruction_at, rules};
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

/// What a `# hadolint` or `# dockerfile-ls` comment asks for.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    /// Skip these rules in the whole file.
    File(NameList),
    /// Skip these rules for the next instruction.
    Next(NameList),
    /// Skip these rules in the stage the `FROM` right below starts.
    Stage(NameList),
}

/// Reads `word =value` with optional spaces around `=`; returns the value.
fn after_key<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(key)?.trim_start();
    Some(rest.strip_prefix('=')?.trim())
}

fn parse_comment(text: &str) -> Option<Request> {
    let text = text.trim();
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
            return Some(Request::File(list));
        }
        if let Some(list) = scoped("stage") {
            return Some(Request::Stage(list));
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
    matches!(parse_comment(comment), Some(Request::Next(list)) if list.all || !list.names.is_empty())
}

/// The list ends at whitespace (hadolint allows a trailing explanation).
fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

/// What kind of rule a finding comes from, for `# check=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One of BuildKit's build checks.
    Check,
    /// One of BuildKit's experimental checks: off unless `experimental=` names it.
    Experimental,
    /// Ours (or an error BuildKit raises): `# check=skip=all` does not reach it.
    Other,
}

impl Kind {
    pub fn of(rule: &Rule) -> Kind {
        if rules::EXPERIMENTAL
            .iter()
            .any(|check| check.name == rule.name)
        {
            Kind::Experimental
        } else if rules::BUILDKIT_CHECKS
            .iter()
            .any(|check| check.name == rule.name)
        {
            Kind::Check
        } else {
            Kind::Other
        }
    }
}

/// Everything the file's comments, its `# check=` directive and the settings suppress.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// The file's `# check=` directive, with the experimental checks the settings turn on.
    checks: CheckOptions,
    /// The `# check=` comments above instructions, by instruction index, in order.
    instruction_checks: Vec<(usize, CheckOptions)>,
    /// `# hadolint global ignore=`, `# dockerfile-ls global ignore=`.
    file: NameList,
    /// `# hadolint ignore=`, `# dockerfile-ls ignore=`, by instruction index.
    instructions: Vec<(usize, NameList)>,
    /// `# hadolint stage ignore=`, `# dockerfile-ls stage ignore=`: per stage, the range of
    /// instruction indices from its `FROM` to its last instruction.
    stages: Vec<(std::ops::Range<usize>, NameList)>,
}

impl Suppressions {
    pub fn collect(source: &SourceFile, settings: &Settings) -> Suppressions {
        let mut suppressions = Suppressions {
            checks: buildkit::file_options(source),
            ..Suppressions::default()
        };
        for name in &settings.experimental {
            if name.eq_ignore_ascii_case("all") {
                suppressions.checks.experimental_all = true;
            } else {
                suppressions.checks.experimental.push(name.clone());
            }
        }
        let comments = source
            .file
            .comments
            .iter()
            .filter(|comment| !comment.inside_instruction);
        for comment in comments {
            if buildkit::check_value(&comment.text).is_some() {
                suppressions.add_check_comment(source, comment);
                continue;
            }
            if settings.disable_ignore_pragma {
                continue;
            }
            // hadolint's `disable-ignore-pragma` turns off every `# hadolint ... ignore=` and
            // our own `# dockerfile-ls ... ignore=`, the global and stage forms included.
            match parse_comment(&comment.text) {
                Some(Request::File(list)) => suppressions.file.extend(list),
                Some(Request::Next(list)) => {
                    if let Some(index) = instruction_below(source, comment) {
                        suppressions.instructions.push((index, list));
                    }
                }
                Some(Request::Stage(list)) => {
                    // Above anything but a `FROM` the pragma means nothing (hadolint 2.15).
                    if let Some(stage) = instruction_below(source, comment)
                        .and_then(|index| stage_from(source, index))
                    {
                        suppressions.stages.push((stage, list));
                    }
                }
                None => {}
            }
        }
        suppressions
    }

    /// Records the options of a `# check=` comment for the instruction it belongs to, when it
    /// is the one BuildKit reads for that instruction and it parses.
    fn add_check_comment(&mut self, source: &SourceFile, comment: &Comment) {
        let instructions = source.instructions();
        let index =
            instructions.partition_point(|instruction| instruction.span.start < comment.span.end);
        if index >= instructions.len()
            || self
                .instruction_checks
                .last()
                .is_some_and(|(at, _)| *at == index)
        {
            return;
        }
        let Some((read, Ok(options))) = buildkit::instruction_check(source, index) else {
            return;
        };
        if !std::ptr::eq(read, comment) {
            return;
        }
        self.instruction_checks.push((index, options));
    }

    /// The `# check=` options in effect for instruction `index` (the file's, merged with the
    /// comment above it).
    fn checks_at(&self, index: Option<usize>) -> std::borrow::Cow<'_, CheckOptions> {
        let comment = index.and_then(|index| {
            self.instruction_checks
                .binary_search_by_key(&index, |(at, _)| *at)
                .ok()
                .map(|found| &self.instruction_checks[found].1)
        });
        match comment {
            Some(options) => std::borrow::Cow::Owned(self.checks.merged(options)),
            None => std::borrow::Cow::Borrowed(&self.checks),
        }
    }

    /// Whether the experimental check `rule` may fire anywhere (it runs only then).
    pub fn may_enable(&self, rule: &Rule) -> bool {
        self.checks.enables(rule.name)
            || self
                .instruction_checks
                .iter()
                .any(|(_, options)| options.enables(rule.name))
    }

    /// `error=true` in the file's `# check=` directive: BuildKit's checks fail the build.
    pub fn errors(&self) -> bool {
        self.checks.error
    }

    /// The instruction whose comments govern `diagnostic`.
    pub fn instruction_of(source: &SourceFile, diagnostic: &Diagnostic) -> Option<usize> {
        diagnostic
            .comments_from
            .or_else(|| instruction_at(source, diagnostic.span.start))
    }

    pub fn suppresses(&self, source: &SourceFile, diagnostic: &Diagnostic, kind: Kind) -> bool {
        let rule = diagnostic.rule;
        if self.file.covers(diagnostic) {
            return true;
        }
        // The instruction the finding is in, and the one that raised it when that is another:
        // comments above either count.
        let at = instruction_at(source, diagnostic.span.start);
        let from = diagnostic.comments_from.filter(|from| Some(*from) != at);
        let present: Vec<usize> = at.into_iter().chain(from).collect();
        let by_check = |index: Option<usize>| {
            let checks = self.checks_at(index);
            match kind {
                Kind::Experimental => !checks.enables(rule.name),
                Kind::Check => checks.skips(rule.name),
                Kind::Other => checks.skip.iter().any(|name| name == rule.name),
            }
        };
        let checked = if present.is_empty() {
            by_check(None)
        } else if kind == Kind::Experimental {
            // Enabled above either instruction.
            present.iter().all(|index| by_check(Some(*index)))
        } else {
            present.iter().any(|index| by_check(Some(*index)))
        };
        if checked {
            return true;
        }
        present.iter().any(|index| {
            self.instructions
                .iter()
                .any(|(at, list)| at == index && list.covers(diagnostic))
                || self
                    .stages
                    .iter()
                    .any(|(stage, list)| stage.contains(index) && list.covers(diagnostic))
        })
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
    use crate::lint::find_rule;

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
            parse_comment("dockerfile-ls ignore=ConsecutiveRunInstructions because"),
            Some(Request::Next(list)) if list.names == vec!["ConsecutiveRunInstructions".to_string()]
        ));
        assert_eq!(parse_comment("just a comment"), None);
    }

    #[test]
    fn a_hadolint_comment_applies_to_the_instruction_right_below() {
        let source = SourceFile::parse(
            "FROM a\n# hadolint ignore=DL3059\n# more\nRUN a\n\n# hadolint ignore=all\n\nRUN b\n",
        );
        let suppressions = Suppressions::collect(&source, &Settings::default());
        assert_eq!(suppressions.instructions.len(), 1);
        assert_eq!(suppressions.instructions[0].0, 1);
    }

    #[test]
    fn check_comments_are_read_as_buildkit_attaches_them() {
        let source = SourceFile::parse(
            "FROM a\n# check=skip=A\n\n# check=skip=B\nRUN a\n# check=bogus\n# check=skip=C\nRUN b\n# check=skip=D\n#\nRUN c\n",
        );
        let suppressions = Suppressions::collect(&source, &Settings::default());
        // The first check comment counts, across a blank line; one that does not parse hides
        // the ones after it; an empty `#` starts again.
        let skipped: Vec<(usize, Vec<String>)> = suppressions
            .instruction_checks
            .iter()
            .map(|(index, options)| (*index, options.skip.clone()))
            .collect();
        assert_eq!(skipped, vec![(1, vec!["A".to_string()])]);
    }

    #[test]
    fn kinds_of_rules() {
        assert_eq!(
            Kind::of(find_rule("MaintainerDeprecated").unwrap()),
            Kind::Check
        );
        assert_eq!(
            Kind::of(find_rule("ConsecutiveRunInstructions").unwrap()),
            Kind::Other
        );
    }

    #[test]
    fn parses_the_stage_form_and_rejects_lookalikes() {
        assert!(matches!(
            parse_comment("hadolint stage ignore=DL3006"),
            Some(Request::Stage(list)) if list.names == vec!["DL3006".to_string()]
        ));
        assert!(matches!(
            parse_comment("dockerfile-ls stage ignore=UnusedStage"),
            Some(Request::Stage(_))
        ));
        assert_eq!(parse_comment("hadolintish ignore=DL3006"), None);
        assert_eq!(parse_comment("hadolint stages ignore=DL3006"), None);
        assert!(is_inline_ignore(" hadolint ignore=DL3008"));
        assert!(!is_inline_ignore("hadolint global ignore=DL3008"));
        assert!(!is_inline_ignore("check=skip=all"));
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
