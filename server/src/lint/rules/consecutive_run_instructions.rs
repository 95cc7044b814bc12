//! ConsecutiveRunInstructions: RUNs next to each other that could be one layer, with a merge
//! that keeps the shell's meaning.

use crate::lint::layers::{self, Grouping};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Keyword, SourceFile};

pub static RULE: Rule = Rule {
    name: "ConsecutiveRunInstructions",
    aliases: &["DL3059"],
    severity: Severity::Hint,
    summary: "Consecutive RUN instructions could be one layer",
    documentation: "\
## What it does
Flags a `RUN` that directly follows another `RUN` of the same stage with the same flags \
(comments between them are fine) when each of the two runs a single command, and offers to \
merge the run of such `RUN`s into one.

## Why
Every `RUN` adds a layer. Fewer layers mean a smaller image when a later command removes \
what an earlier one created, and fewer steps to cache and push. Keep separate RUNs where \
separate cache steps help (a slow download that rarely changes), and say so with \
`# dockerfile-ls ignore=ConsecutiveRunInstructions`.

A `RUN` that already chains commands (`apt-get update && apt-get install ...`, `a; b`, a \
pipe, a command substitution) shows that its author grouped commands into layers on \
purpose, so neither it nor the `RUN` after it is flagged, as in hadolint: \
`RUN a && b` then `RUN c` is fine; `RUN a && b`, `RUN c`, `RUN d` flags the `RUN d`. \
Commands are counted as ShellCheck counts them for hadolint: every command with a name \
written out, in substitutions and compound statements too, but not `[ ... ]` tests, bare \
assignments or the script of a `sh -c '...'` string; a script the shell grammar cannot \
read counts none, as ShellCheck's failed parse does. PowerShell and cmd `RUN`s are counted \
the same way, as hadolint does (it reads them as sh), which for them is a rough guess: the \
two disagree on some of those.

The merge keeps what the commands mean: parts are joined with `&&`; a part with its own \
`;`, `||` or `&` is grouped in `{ ...; }` so that a failure still stops the build; a part \
that changes the shell's state (`cd`, `set -e`, `export`, an assignment) runs in `( ... )` \
so that the change does not reach the next part, as it did not when it was its own RUN. \
Comments between the RUNs stay where they were, inside the continuation (BuildKit drops \
comment lines there, so the build is the same); blank lines between them go; flags are kept.

Not reported: RUNs with different flags (`--mount`, `--network`, `--security`), RUNs \
separated by any other instruction (a `SHELL` change included), exec-form RUNs (merging \
them would need a shell they do not use; hadolint flags them), `ONBUILD RUN`. No merge is \
offered when a RUN has a heredoc, when a part that is not the last ends in a shell comment \
(it would swallow the rest), or when the shell is not POSIX (PowerShell, cmd). The editor's \
\"Merge all consecutive RUN instructions\" action merges every group of consecutive RUNs, \
chained ones included.

## Fixes
**Merge N RUN instructions** (unsafe): it changes the layers and the build-cache steps \
the file chose, so `check --fix` and the editor's fix-all leave it alone; apply it from the \
editor or with `check --fix --unsafe-fixes`.

## Example
```dockerfile
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// RUN instructions, next to each other in one stage, with the same flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunGroup {
    pub members: Vec<usize>,
}

fn flags_of(source: &SourceFile, index: usize) -> Vec<&str> {
    source.instructions()[index]
        .flags
        .iter()
        .map(|flag| flag.text.as_str())
        .collect()
}

/// Every group of two or more consecutive RUNs that could be one layer.
pub fn groups(source: &SourceFile) -> Vec<RunGroup> {
    let instructions = source.instructions();
    let mut groups = Vec::new();
    for stage in &source.stages.stages {
        let mut current: Vec<usize> = Vec::new();
        for index in stage.body.clone() {
            let instruction = &instructions[index];
            let candidate = instruction.keyword == Keyword::Run && !instruction.json;
            let joins = candidate
                && current
                    .last()
                    .is_some_and(|previous| flags_of(source, *previous) == flags_of(source, index));
            if joins {
                current.push(index);
                continue;
            }
            if current.len() > 1 {
                groups.push(RunGroup {
                    members: std::mem::take(&mut current),
                });
            }
            current = if candidate { vec![index] } else { Vec::new() };
        }
        if current.len() > 1 {
            groups.push(RunGroup { members: current });
        }
    }
    groups
}

/// The edit that merges a group into one RUN, if it can be done without changing meaning.
pub fn merge(source: &SourceFile, group: &RunGroup, indent: &str) -> Option<Edit> {
    let instructions = source.instructions();
    let count = group.members.len();
    let mut parts = Vec::with_capacity(count);
    for (position, index) in group.members.iter().copied().enumerate() {
        let instruction = &instructions[index];
        if !instruction.heredocs.is_empty() || !layers::posix(source, index) {
            return None;
        }
        let script = layers::command_line(source, index)?;
        let syntax = &script.script.syntax;
        let grouping = layers::grouping(syntax, position, count);
        // A shell comment would swallow what comes after it: the next part, or the `; }` of
        // a group.
        if syntax.has_error
            || (syntax.has_comment && (position + 1 < count || grouping != Grouping::None))
        {
            return None;
        }
        let text = source.slice(&instruction.arguments_span());
        // A part ending in the escape character would continue into the next one.
        if text.trim_end().ends_with(source.file.escape) {
            return None;
        }
        parts.push(layers::wrap(text, grouping, source.file.escape));
    }
    let first = &instructions[group.members[0]];
    let last = &instructions[*group.members.last()?];
    let newline = source.line_break();
    let comments = &source.file.comments;
    // The keyword and flags as the user wrote them.
    let mut merged = source
        .slice(&(first.span.start..first.arguments_span().start))
        .to_string();
    for (position, part) in parts.iter().enumerate() {
        if position > 0 {
            merged.push(' ');
            merged.push(source.file.escape);
            merged.push_str(newline);
            // Comment lines between the two RUNs stay where they were (indented as the
            // continuation), now inside it: BuildKit drops comment lines there, so the build is the same.
            // Blank lines go (BuildKit warns about empty continuation lines).
            let before = &instructions[group.members[position - 1]];
            let after = &instructions[group.members[position]];
            let from = comments.partition_point(|comment| comment.span.start <= before.span.end);
            for comment in &comments[from..] {
                if comment.span.end > after.span.start {
                    break;
                }
                if !comment.inside_instruction {
                    merged.push_str(indent);
                    merged.push_str(source.slice(&comment.span));
                    merged.push_str(newline);
                }
            }
            merged.push_str(indent);
            merged.push_str("&& ");
        }
        merged.push_str(part);
    }
    Some(Edit::replace(first.span.start..last.span.end, merged))
}

/// The number of commands instruction `index` runs, counted as ShellCheck counts them for
/// hadolint's DL3059 (see [`ShellSyntax::simple_commands`](crate::syntax::shell::ShellSyntax)):
/// a script the shell grammar cannot read counts none, as ShellCheck's failed parse does.
fn command_count(source: &SourceFile, index: usize) -> usize {
    let count = |syntax: &crate::syntax::shell::ShellSyntax| {
        if syntax.has_error {
            0
        } else {
            syntax.simple_commands
        }
    };
    let scripts = source.scripts(index);
    if scripts.is_empty() {
        // PowerShell or cmd: hadolint still reads the text as shell.
        let text = source.instructions()[index].arguments();
        return count(&crate::syntax::shell::parse_cached(text));
    }
    scripts
        .iter()
        .map(|script| count(&script.script.syntax))
        .sum()
}

/// The parts of a group whose RUNs each run at most one command, two or more long: a RUN
/// that chains commands was made a layer of its own on purpose.
fn single_command_runs(source: &SourceFile, group: &RunGroup) -> Vec<RunGroup> {
    let mut runs = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for index in group.members.iter().copied() {
        if command_count(source, index) <= 1 {
            current.push(index);
            continue;
        }
        if current.len() > 1 {
            runs.push(RunGroup {
                members: std::mem::take(&mut current),
            });
        }
        current.clear();
    }
    if current.len() > 1 {
        runs.push(RunGroup { members: current });
    }
    runs
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let instructions = source.instructions();
    let mut indent = None;
    for group in groups(source)
        .iter()
        .flat_map(|group| single_command_runs(source, group))
    {
        // One fix for the whole group, built for its first finding and shared by the rest.
        let mut fix: Option<Option<Fix>> = None;
        let first_line = source.line_number(instructions[group.members[0]].span.start);
        for pair in group.members.windows(2) {
            let previous_line = source.line_number(instructions[pair[0]].span.start);
            let instruction = &instructions[pair[1]];
            let message = if previous_line == first_line {
                format!("This RUN makes another layer: it can join the RUN on line {previous_line}")
            } else {
                format!("This RUN makes another layer: it can join the RUNs from line {first_line}")
            };
            let diagnostic = Diagnostic::new(&RULE, instruction.keyword_word.span.clone(), message)
                .fix_with(context, || {
                    fix.get_or_insert_with(|| {
                        let indent =
                            indent.get_or_insert_with(|| layers::continuation_indent(source));
                        let edit = merge(source, &group, indent)?;
                        let title = format!("Merge {} RUN instructions", group.members.len());
                        // A merge rewrites the layer structure the user chose: their call,
                        // never a side effect of `--fix` (`--unsafe-fixes` applies it).
                        Some(Fix::new(title, vec![edit]).preferred())
                    })
                    .clone()
                });
            found.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Edit;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::lower::lower;

    /// BuildKit's view of the RUNs of a text: the values of every RUN.
    fn runs(text: &str) -> Vec<(Vec<String>, String)> {
        lower(text)
            .instructions
            .iter()
            .filter(|instruction| instruction.keyword == Keyword::Run)
            .map(|instruction| {
                (
                    instruction
                        .flags
                        .iter()
                        .map(|flag| flag.text.to_string())
                        .collect(),
                    instruction.values[0].text.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn flags_each_run_that_can_join_the_one_before() {
        let text = "FROM a\nRUN one\n# why\nRUN two\nRUN three\nCOPY x y\nRUN four\nRUN --network=none five\nRUN [\"six\"]\nRUN seven\n";
        assert_eq!(underlined(&RULE, text), vec!["RUN", "RUN"]);
        let found = run(&RULE, text);
        assert!(found[0].message.contains("line 2"));
        assert!(found[1].message.contains("from line 2"));
        assert_eq!(found[0].severity, Severity::Hint);
    }

    #[test]
    fn merge_keeps_commands_flags_and_comments() {
        let text = "FROM a\n  RUN --mount=type=cache,target=/root/.cache apt-get update\n  # install\n  RUN --mount=type=cache,target=/root/.cache apt-get install -y \\\n        curl\nRUN done\n";
        let fixed = apply_fix(
            &RULE,
            "FROM a\nRUN apt-get update\n# install\nRUN apt-get install -y curl\n",
            "Merge 2 RUN",
        );
        assert_eq!(
            fixed,
            "FROM a\nRUN apt-get update \\\n    # install\n    && apt-get install -y curl\n"
        );
        let fixed = apply_fix(&RULE, text, "Merge 2 RUN");
        assert_eq!(
            fixed,
            "FROM a\n  RUN --mount=type=cache,target=/root/.cache apt-get update \\\n        # install\n        && apt-get install -y \\\n        curl\nRUN done\n"
        );
        assert_eq!(
            runs(&fixed)[0].0,
            vec!["--mount=type=cache,target=/root/.cache"]
        );
        assert_eq!(
            runs(&fixed)[0].1,
            "apt-get update         && apt-get install -y         curl"
        );
    }

    /// Merges every group of the text as the editor's merge-all action does (chained RUNs
    /// are not findings, but the action still merges them), and checks the result parses.
    fn merged(text: &str) -> String {
        let source = SourceFile::parse(text);
        let edits: Vec<Edit> = groups(&source)
            .iter()
            .filter_map(|group| merge(&source, group, "    "))
            .collect();
        let (fixed, _) = crate::lint::apply_edits(text, &edits);
        assert!(SourceFile::parse(&fixed).file.errors.is_empty(), "{fixed}");
        fixed
    }

    #[test]
    fn merge_groups_operators_and_isolates_state() {
        let text = "FROM a\nRUN cd /src && make\nRUN yum -y update; yum clean all;\nRUN test -f x || true\nRUN set -e; echo last\n";
        let fixed = merged(text);
        assert_eq!(
            fixed,
            "FROM a\nRUN ( cd /src && make ) \\\n    && { yum -y update; yum clean all; } \\\n    && { test -f x || true; } \\\n    && { set -e; echo last; }\n"
        );
        let script = &runs(&fixed)[0].1;
        let syntax = crate::syntax::shell::parse(script);
        assert!(!syntax.has_error, "{script}");
        let programs: Vec<_> = syntax
            .commands
            .iter()
            .filter_map(|command| command.program())
            .collect();
        assert_eq!(
            programs,
            vec!["cd", "make", "yum", "yum", "test", "true", "set", "echo"]
        );
    }

    #[test]
    fn chained_runs_were_grouped_on_purpose() {
        // hadolint's heuristic: a RUN with more than one command is a deliberate layer.
        for text in [
            "FROM a\nRUN foo && bar\nRUN foobar\n",
            "FROM a\nRUN foo; bar\nRUN foobar\n",
            "FROM a\nRUN foobar\nRUN foo && bar\n",
            "FROM a\nRUN foobar\nRUN foo | bar\n",
            "FROM a\nRUN echo $(date)\nRUN foobar\n",
            "FROM a\nRUN <<EOF\na\nb\nEOF\nRUN c\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        let text =
            "FROM a\nRUN foo && bar\nRUN foo\nRUN bar\nRUN x; y\nRUN z\nRUN [ -f a ]\nRUN X=1\n";
        let found = run(&RULE, text);
        let lines: Vec<usize> = found
            .iter()
            .map(|finding| text[..finding.span.start].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![4, 7, 8]);
        assert_eq!(
            apply_fix(&RULE, text, "Merge 2 RUN"),
            "FROM a\nRUN foo && bar\nRUN foo \\\n    && bar\nRUN x; y\nRUN z\nRUN [ -f a ]\nRUN X=1\n"
        );
        // PowerShell RUNs are counted as hadolint counts them: as shell text.
        let text = "FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN choco install -y git\nRUN choco install -y nodejs\nRUN a; b\nRUN c\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }

    #[test]
    fn no_merge_where_it_would_change_meaning() {
        for text in [
            "FROM a\nRUN a # note\nRUN b\n",
            "FROM a\nRUN <<EOF\na\nEOF\nRUN b\n",
            "FROM a\nSHELL [\"powershell\", \"-c\"]\nRUN a\nRUN b\n",
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].fixes.is_empty(), "{text}");
        }
    }

    #[test]
    fn trailing_semicolons_and_continuations_are_tidied() {
        let fixed = merged("FROM a\nRUN a; b;\nRUN mkdir -p \\\n    /x \\\n;\n");
        assert_eq!(
            fixed,
            "FROM a\nRUN a; b \\\n    && { mkdir -p \\\n    /x; }\n"
        );
    }

    #[test]
    fn escape_character_and_crlf_are_respected() {
        let fixed = apply_fix(
            &RULE,
            "# escape=`\r\nFROM a\r\nRUN a\r\nRUN b\r\n",
            "Merge 2 RUN",
        );
        assert_eq!(fixed, "# escape=`\r\nFROM a\r\nRUN a `\r\n    && b\r\n");
    }
}
