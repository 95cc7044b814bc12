//! CdInsteadOfWorkdir: a RUN changes directory with `cd` where `WORKDIR` says it for the
//! instructions that follow.

use crate::lint::run_commands::RunCommand;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, layers};
use crate::syntax::{Base, Connector, Instruction, Keyword, ScriptOrigin};

pub static RULE: Rule = Rule {
    name: "CdInsteadOfWorkdir",
    aliases: &["DL3003"],
    severity: Severity::Warning,
    summary: "A RUN changes directory with cd instead of WORKDIR",
    documentation: "\
## What it does
Flags each `RUN` that runs `cd` (once per `RUN`, at its first `cd`), and offers to turn a \
leading `cd DIR &&` into a `WORKDIR` instruction.

## Why
`cd` lasts until the end of its `RUN`: the next instruction starts in the directory \
`WORKDIR` set, which surprises readers who expect the `cd` to hold. `WORKDIR` says where \
the following instructions run, once, where everyone sees it, and creates the directory \
if needed. Where a command needs another directory for a moment, absolute paths, `make -C`, \
`git -C` or a subshell `( cd dir && ... )` keep that explicit.

Compared with hadolint's DL3003: the same `RUN`s are flagged (hadolint also flags `cd` in a \
subshell), except that `cd` inside a `sh -c '...'` string, which hadolint does not read, is \
not flagged either, nor is a `cd` inside a command substitution (`$(cd dir && pwd)`), nor \
`cd` in a PowerShell or cmd `RUN`, which hadolint reads as if it were sh.

## Fixes
**Use `WORKDIR DIR`** turns `RUN cd /dir && rest` into `WORKDIR /dir` followed by \
`RUN rest` (and `RUN cd /dir` alone into `WORKDIR /dir`). Offered when the `cd` comes first, \
is joined to the rest by `&&`, and names an absolute directory without variables, quotes \
that matter or globs; not for `ONBUILD` or heredocs. The rest of the `RUN` runs in the same \
directory as before. What changes is the working directory of every later instruction of \
the stage, of the stages built `FROM` it, and of the image when the stage ships: \
- safe when nothing depends on it: no later `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, \
`ONBUILD`, relative `WORKDIR` or `COPY`/`ADD` to a relative destination comes before an \
absolute `WORKDIR` resets the directory, and, if nothing resets it, the stage neither ships \
nor has stages built on it (a builder read by `COPY --from`, whose sources are absolute);
- unsafe otherwise: later instructions would run in the new directory.

`WORKDIR` also creates the directory where `cd` would have failed; while every later command \
of the `RUN` is joined by `&&`, that only turns a failing build into one that runs. After a \
`;` or `||` something ran when the `cd` failed, and a later `cd -` needs the `OLDPWD` the \
removed `cd` set: the fix is unsafe there.

## Example
```dockerfile
FROM golang:1.22 AS build
COPY . /src
RUN cd /src && go build -o /out/app .
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
COPY . /src
WORKDIR /src
RUN go build -o /out/app .
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let mut last_reported = None;
    for run in context.noted_commands() {
        if run.program != "cd" || run.command.from_inline_script || last_reported == Some(run.index)
        {
            continue;
        }
        last_reported = Some(run.index);
        found.push(
            Diagnostic::new(
                &RULE,
                run.program_span(source),
                "`cd` only lasts until the end of this RUN: use WORKDIR to switch directories",
            )
            .fix_with(context, || fix(context, run)),
        );
    }
}

/// The directory of a `cd` that WORKDIR can name exactly: one absolute path argument
/// without anything BuildKit or the shell would read differently.
fn directory<'a>(run: &RunCommand<'a>) -> Option<&'a str> {
    let [argument] = run.command.program_arguments() else {
        return None;
    };
    let path = argument.text.as_str();
    let plain = path.starts_with('/')
        && !path.contains(|c: char| {
            c.is_whitespace() || matches!(c, '$' | '`' | '\\' | '"' | '\'' | '*' | '?' | '[' | '~')
        });
    plain.then_some(path)
}

fn fix(context: &Context, run: &RunCommand) -> Option<Fix> {
    let source = context.source;
    let instruction = &source.instructions()[run.index];
    if instruction.onbuild.is_some()
        || !instruction.heredocs.is_empty()
        || run.script.origin != ScriptOrigin::CommandLine
        || run.position != 0
        || run.sudo
    {
        return None;
    }
    let path = directory(run)?;
    let syntax = &run.script.script.syntax;
    if syntax.has_error || syntax.statements.first() != Some(&run.command.range) {
        return None;
    }
    let workdir = format!("WORKDIR {path}");
    let edits =
        match syntax.statements.get(1) {
            // `RUN cd /dir` alone: the instruction becomes the WORKDIR it meant.
            None => vec![Edit::replace(instruction.span.clone(), workdir.clone())],
            Some(rest) => {
                if syntax.top_level.first() != Some(&Connector::And) {
                    return None;
                }
                let removed = run.span(run.command.range.start..rest.start);
                // A comment line inside the removed continuation would go with it.
                if source.file.comments.iter().any(|comment| {
                    comment.span.start < removed.end && removed.start < comment.span.end
                }) {
                    return None;
                }
                let indent = source.indent_before(instruction.span.start);
                vec![
                    Edit::insert(
                        instruction.span.start,
                        format!("{workdir}{}{indent}", source.line_break()),
                    ),
                    Edit::delete(removed),
                ]
            }
        };
    let fix = Fix::new(format!("Use `{workdir}`"), edits).preferred();
    // Safe only where the `cd` failing could only have failed the build: every later command
    // joined by `&&` (after a `;` or `||` something ran when it failed), and nothing going
    // back with `cd -` (the shell starts without the OLDPWD the removed `cd` set).
    let chained = syntax
        .top_level
        .iter()
        .all(|connector| *connector == Connector::And);
    let text = &run.script.script.text;
    let returns = text.contains("cd -") || text.contains("OLDPWD");
    Some(
        if chained && !returns && nothing_depends_on_directory(context, run.index) {
            fix.safe()
        } else {
            fix
        },
    )
}

/// True when no instruction after `index` runs in, or resolves a path against, the working
/// directory it leaves: the later instructions of its stage up to an absolute `WORKDIR`,
/// and, when nothing resets it, the image (a stage that ships) and the stages built on it.
fn nothing_depends_on_directory(context: &Context, index: usize) -> bool {
    let source = context.source;
    let Some(stage) = source.stages.stage_of(index) else {
        return false;
    };
    for instruction in &source.instructions()[index + 1..stage.body.end] {
        match instruction.keyword {
            Keyword::Workdir => {
                return instruction
                    .values
                    .first()
                    .is_some_and(|path| path.text.starts_with('/') && !path.text.contains('$'));
            }
            Keyword::Copy | Keyword::Add if !absolute_destination(instruction) => return false,
            Keyword::Run
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Healthcheck
            | Keyword::Onbuild
            | Keyword::Unknown => return false,
            _ => {}
        }
    }
    let shipped = layers::shipped_stages(source, context.settings);
    let has_children = source
        .stages
        .stages
        .iter()
        .any(|other| matches!(other.base, Base::Stage(parent) if parent == stage.index));
    !shipped[stage.index] && !has_children
}

/// `COPY a /dest`: the destination is absolute (no variable could make it relative).
fn absolute_destination(instruction: &Instruction) -> bool {
    instruction
        .values
        .last()
        .is_some_and(|destination| destination.text.starts_with('/'))
        && instruction.heredocs.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_is_unsafe_where_a_failing_cd_did_not_fail_the_build() {
        // A builder whose later instructions do not care, the `RUN` varied.
        let safe = |script: &str| {
            let text = format!(
                "FROM golang AS build\nRUN {script}\nFROM scratch\nCOPY --from=build /out/app /app\n"
            );
            run(&RULE, &text)[0].fixes[0].safe
        };
        assert!(safe("cd /src && make"));
        assert!(!safe("cd /src && make || echo skipped"));
        assert!(!safe("cd /src && make; echo done"));
        assert!(!safe("cd /src/b && make && cd - && rm -rf /src/b"));
    }
    use crate::lint::testing::{run, underlined};
    use crate::syntax::lower::lower;

    #[test]
    fn flags_each_run_with_cd_once() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN cd /opt\nRUN make && cd /src && make && cd /\nRUN (cd x && make)\nONBUILD RUN cd /app\n"
            ),
            vec!["cd", "cd", "cd", "cd"]
        );
        for text in [
            "FROM a\nWORKDIR /opt\n",
            "FROM a\nRUN sh -c 'cd /x && make'\n",
            "FROM a\nRUN make -C /src\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }

    /// The fix of the only finding: whether it is safe and the text it makes, checked as
    /// BuildKit reads it: the same commands, the WORKDIR where the cd was.
    fn fixed(text: &str) -> (bool, String) {
        let safe = run(&RULE, text)[0].fixes[0].safe;
        // The cd and its directory move into WORKDIR; every other word stays.
        let directory = crate::lint::testing::shell_words(text)
            .into_iter()
            .skip_while(|word| word != "cd")
            .nth(1)
            .unwrap_or_default();
        let after = crate::lint::testing::apply_fix_keeping_words(
            &RULE,
            text,
            "Use `WORKDIR",
            &["cd", directory.as_str()],
        );
        (safe, after)
    }

    #[test]
    fn a_leading_cd_becomes_workdir() {
        let text = "FROM golang AS build\nRUN cd /src && go build -o /out/app . \\\n    && go vet\nFROM scratch\nCOPY --from=build /out/app /app\n";
        let (safe, after) = fixed(text);
        assert!(safe, "a builder whose later instructions do not care");
        assert_eq!(
            after,
            "FROM golang AS build\nWORKDIR /src\nRUN go build -o /out/app . \\\n    && go vet\nFROM scratch\nCOPY --from=build /out/app /app\n"
        );
        let lowered = lower(&after);
        assert_eq!(lowered.instructions[1].keyword, Keyword::Workdir);
        assert_eq!(lowered.instructions[1].values[0].text, "/src");
        assert_eq!(
            lowered.instructions[2].values[0].text,
            "go build -o /out/app .     && go vet"
        );
        // Flags and indentation stay.
        let (_, after) = fixed(
            "FROM a AS b\n  RUN --mount=type=cache,target=/root/.cache cd /src && make\nFROM c\n",
        );
        assert_eq!(
            after,
            "FROM a AS b\n  WORKDIR /src\n  RUN --mount=type=cache,target=/root/.cache make\nFROM c\n"
        );
        // Alone, the cd did nothing: the WORKDIR is what it meant.
        let (safe, after) = fixed("FROM a\nRUN cd /opt\n");
        assert!(!safe, "the image's working directory changes");
        assert_eq!(after, "FROM a\nWORKDIR /opt\n");
    }

    #[test]
    fn the_fix_is_unsafe_where_later_instructions_see_the_directory() {
        for text in [
            "FROM a\nRUN cd /src && make\nRUN make install\n",
            "FROM a\nRUN cd /src && make\nCOPY x y\n",
            "FROM a\nRUN cd /src && make\nCMD [\"./app\"]\n",
            "FROM a AS base\nRUN cd /src && make\nFROM base\nRUN ls\n",
            "FROM a AS build\nRUN cd /src && make\nWORKDIR lib\nFROM b\n",
        ] {
            assert!(!fixed(text).0, "{text}");
        }
        for text in [
            "FROM a\nRUN cd /src && make\nWORKDIR /app\nCMD [\"./app\"]\n",
            "FROM a AS build\nRUN cd /src && make\nCOPY x /y\nENV A=b\nFROM b\n",
        ] {
            assert!(fixed(text).0, "{text}");
        }
    }

    #[test]
    fn no_fix_where_workdir_would_read_differently() {
        for text in [
            "FROM a\nRUN make && cd /src\n",
            "FROM a\nRUN cd /src; make\n",
            "FROM a\nRUN cd $HOME && make\n",
            "FROM a\nRUN cd src && make\n",
            "FROM a\nRUN cd '/my dir' && make\n",
            "FROM a\nRUN cd - && make\n",
            "FROM a\nRUN cd /src \\\n# build it\n && make\n",
            "FROM a\nONBUILD RUN cd /src && make\n",
            "FROM a\nRUN sudo cd /src && make\n",
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].fixes.is_empty(), "{text}");
        }
    }
}
