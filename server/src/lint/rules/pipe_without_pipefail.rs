//! PipeWithoutPipefail: a RUN pipes commands into each other while the shell ignores
//! failures left of the last pipe.

use crate::knowledge::distros::{Family, Shell};
use crate::lint::run_commands;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Base, Command, Instruction, Keyword, RunScript, ScriptOrigin};

pub static RULE: Rule = Rule {
    name: "PipeWithoutPipefail",
    aliases: &["DL4006"],
    severity: Severity::Warning,
    summary: "A RUN pipes commands without pipefail",
    documentation: "\
## What it does
Flags each `RUN` with a pipe (`curl -fsSL URL | tar xz`) where a failure of a command \
left of the last `|` would not fail the build: neither the `SHELL` in effect runs with \
`-o pipefail` (in a shell that has the option: bash, zsh, ksh, ash, or `sh` where the \
image's `/bin/sh` is BusyBox `ash` or bash), nor the script runs `set -o pipefail` before \
the pipe.

## Why
A pipeline's exit status is its last command's: in `curl -fsSL $URL | tar xz`, a failed \
download still lets the build go on and produce an image without the files. With \
`pipefail` the pipeline fails when any of its commands fails.

Which shell runs the `RUN` matters. BusyBox `ash` (Alpine's `/bin/sh`) and bash (the Red \
Hat family's `/bin/sh`) know `set -o pipefail`; `dash`, Debian's and Ubuntu's `/bin/sh`, \
does not and stops with an error on it, so there `SHELL` must name bash. The catalog of \
base images says which `/bin/sh` a stage has; where it does not know (an unknown image, \
`scratch`, `ONBUILD`), the finding stays, as in hadolint, and no fix is offered.

Not flagged: `RUN`s run by PowerShell or cmd (a `SHELL` naming them, or a Windows base \
image), exec-form `RUN`s, pipes inside `sh -c '...'` strings.

Compared with hadolint's DL4006: hadolint only looks at `SHELL`, so it also flags a `RUN` \
that runs `set -o pipefail` first, takes `SHELL [\"/bin/sh\", \"-o\", \"pipefail\", ...]` \
as wrong even where `/bin/sh` is `ash`, and forgets a `SHELL` at every `FROM`, also \
`FROM <stage>`, which inherits it; this rule reads the script and follows the stage.

## Fixes
Both are unsafe: with `pipefail`, a pipeline that used to succeed can fail, for example \
`yes | command` (`yes` dies of SIGPIPE), `grep pattern file | wc -l` with no match, or \
`cat big | head -1`. Check the pipelines of the `RUN`s concerned.
- **Start the RUN with `set -o pipefail`**: offered where the shell running the `RUN` has \
the option (`ash`, bash, or a `SHELL` naming such a shell). It touches this `RUN` only.
- **Run RUNs with bash and pipefail**: a `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \
\"-c\"]` line before the first flagged `RUN` of the stage (every finding under the same \
`SHELL` offers the same line, so it is added once), offered where the base image has bash \
(Debian, Ubuntu, the Red Hat family, SUSE, Arch) and no `SHELL` of the file is in effect \
(a second one would drop the options the file chose, such as `-e`). It changes the shell of \
every later `RUN` of the stage and of the stages built on it.

## Example
```dockerfile
FROM debian:bookworm
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
```

## Use instead
```dockerfile
FROM debian:bookworm
SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Shells that know `set -o pipefail`, by program name.
fn has_pipefail(program: &str) -> bool {
    matches!(program, "bash" | "zsh" | "ksh" | "mksh" | "ash")
}

/// The SHELL instruction in effect at each instruction of a stage: the last one of the
/// stage before it, else the one in effect at the end of the stage it is built on.
fn shells_in_effect(context: &Context) -> Vec<Option<usize>> {
    let source = context.source;
    let instructions = source.instructions();
    let mut in_effect = vec![None; instructions.len()];
    let mut at_end: Vec<Option<usize>> = Vec::with_capacity(source.stages.stages.len());
    for stage in &source.stages.stages {
        let mut current = match stage.base {
            Base::Stage(parent) => at_end.get(parent).copied().flatten(),
            _ => None,
        };
        for index in stage.body.clone() {
            in_effect[index] = current;
            let instruction = &instructions[index];
            if instruction.keyword == Keyword::Shell && instruction.json {
                current = Some(index);
            }
        }
        at_end.push(current);
    }
    in_effect
}

/// The shell a RUN runs with, as far as it can be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunShell {
    /// A `SHELL` with `-o pipefail` in a shell that has the option.
    Pipefail,
    /// A shell that has the option, run without it.
    Capable,
    /// Debian's `dash`: no pipefail, but bash is there.
    Dash,
    /// Not a POSIX shell (cmd on a Windows base).
    Foreign,
    Unknown,
}

/// `SHELL ["/bin/bash", "-eo", "pipefail", "-c"]`: the program and whether `-o pipefail` is
/// among its options (`-o` alone or ending a cluster, then `pipefail`).
fn shell_instruction(instruction: &Instruction) -> (&str, bool) {
    let values = &instruction.values;
    let program = values
        .first()
        .map(|word| word.text.rsplit('/').next().unwrap_or(&word.text))
        .unwrap_or("");
    let pipefail = values.windows(2).skip(1).any(|pair| {
        let option = pair[0].text.as_str();
        option.starts_with('-')
            && !option.starts_with("--")
            && option.ends_with('o')
            && pair[1].text == "pipefail"
    });
    (program, pipefail)
}

fn run_shell(context: &Context, index: usize, shell: Option<usize>) -> RunShell {
    let source = context.source;
    if source.instructions()[index].onbuild.is_some() {
        return RunShell::Unknown;
    }
    let distro = run_commands::stage_distro(context, index);
    let sh = match distro.map(|distro| distro.shell) {
        Some(Shell::BusyboxAsh | Shell::Bash) => RunShell::Capable,
        Some(Shell::Dash) => RunShell::Dash,
        Some(Shell::Cmd) => RunShell::Foreign,
        _ => RunShell::Unknown,
    };
    let Some(shell) = shell else {
        return sh;
    };
    match shell_instruction(&source.instructions()[shell]) {
        (program, true) if has_pipefail(program) => RunShell::Pipefail,
        (program, false) if has_pipefail(program) => RunShell::Capable,
        // `sh` is the image's /bin/sh; with `-o pipefail` it works where that has it.
        ("sh", true) if sh == RunShell::Capable => RunShell::Pipefail,
        ("sh", _) => sh,
        ("dash", _) if sh == RunShell::Dash => RunShell::Dash,
        _ => RunShell::Unknown,
    }
}

/// `set -o pipefail` (also `set -eo pipefail`, `set -o errexit -o pipefail`).
fn sets_pipefail(command: &Command) -> bool {
    if command.program() != Some("set") {
        return false;
    }
    command.program_arguments().windows(2).any(|pair| {
        let option = pair[0].text.as_str();
        option.starts_with('-')
            && !option.starts_with("--")
            && option.ends_with('o')
            && pair[1].text == "pipefail"
    })
}

/// The first pipe of the script that no `set -o pipefail` before it covers.
fn unprotected_pipe(script: &RunScript) -> Option<usize> {
    let syntax = &script.script.syntax;
    let first = *syntax.pipes.first()?;
    let protected_from = syntax
        .commands
        .iter()
        .filter(|command| !command.nested && !command.from_inline_script)
        .find(|command| sets_pipefail(command))
        .map(|command| command.range.end);
    match protected_from {
        Some(end) => syntax.pipes.iter().copied().find(|pipe| *pipe < end),
        None => Some(first),
    }
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let mut shells = None;
    // The first flagged RUN under each SHELL of each stage: every finding under that SHELL
    // offers the same SHELL line, before it, so fixing them all adds the line once.
    let mut first_flagged: Vec<((usize, Option<usize>), usize)> = Vec::new();
    for (index, instruction) in source.instructions().iter().enumerate() {
        if instruction.effective().keyword != Keyword::Run {
            continue;
        }
        let scripts = source.scripts(index);
        let Some((script, pipe)) = scripts
            .iter()
            .filter(|script| script.origin != ScriptOrigin::ExecForm)
            .find_map(|script| Some((script, unprotected_pipe(script)?)))
        else {
            continue;
        };
        let shells = shells.get_or_insert_with(|| shells_in_effect(context));
        let shell = run_shell(context, index, shells[index]);
        let own_shell = shells[index].is_some();
        if matches!(shell, RunShell::Pipefail | RunShell::Foreign) {
            continue;
        }
        let group = (
            source.stages.stage_of(index).map_or(0, |stage| stage.index),
            shells[index],
        );
        let shell_at = match first_flagged.iter().find(|(known, _)| *known == group) {
            Some((_, first)) => *first,
            None => {
                first_flagged.push((group, index));
                index
            }
        };
        let width = if script.script.text[pipe..].starts_with("|&") {
            2
        } else {
            1
        };
        let remedy = match shell {
            RunShell::Capable => "start the RUN with `set -o pipefail &&`",
            RunShell::Dash => {
                "dash, this image's /bin/sh, has no pipefail: put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it"
            }
            _ => "set pipefail with SHELL or `set -o pipefail` if the shell has the option",
        };
        found.push(
            Diagnostic::new(
                &RULE,
                script.script.span(pipe..pipe + width),
                format!("A failure left of this pipe does not fail the build: {remedy}"),
            )
            .fix_with(context, || set_fix(script, shell))
            // Not over a SHELL the file chose: a new one would drop its options (`-e`, ...).
            .fix_with(context, || {
                shell_fix(context, shell_at, shell).filter(|_| !own_shell)
            }),
        );
    }
}

/// "Start the RUN with `set -o pipefail`": where the shell has the option.
fn set_fix(script: &RunScript, shell: RunShell) -> Option<Fix> {
    if shell != RunShell::Capable
        || script.origin != ScriptOrigin::CommandLine
        || script.script.syntax.has_error
    {
        return None;
    }
    let first = script.script.syntax.statements.first()?;
    let at = script.script.span(first.start..first.start).start;
    Some(
        Fix::new(
            "Start the RUN with `set -o pipefail`",
            vec![Edit::insert(at, "set -o pipefail && ")],
        )
        .preferred(),
    )
}

/// "Run RUNs with bash and pipefail": a SHELL line before the RUN at `index` (the first
/// flagged one under the same SHELL of the stage), where the image has bash.
fn shell_fix(context: &Context, index: usize, shell: RunShell) -> Option<Fix> {
    if !matches!(shell, RunShell::Dash | RunShell::Capable) {
        return None;
    }
    let distro = run_commands::stage_distro(context, index)?;
    if !matches!(
        distro.family,
        Family::Debian | Family::RedHat | Family::Suse | Family::Arch
    ) {
        return None;
    }
    let source = context.source;
    let instruction = &source.instructions()[index];
    let indent = source.indent_before(instruction.span.start);
    let fix = Fix::new(
        "Run RUNs with bash and pipefail (SHELL)",
        vec![Edit::insert(
            instruction.span.start,
            format!(
                "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]{}{indent}",
                source.line_break()
            ),
        )],
    );
    Some(if shell == RunShell::Dash {
        fix.preferred()
    } else {
        fix
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, apply_fix_keeping_words, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_the_first_unprotected_pipe() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM scratch\nRUN wget -O - https://some.site | wc -l > /number\nRUN a && b |& c\nRUN x=$(a | b)\n"
            ),
            vec!["|", "|&", "|"]
        );
        let found = run(&RULE, "FROM scratch\nRUN a | b\n");
        assert!(
            found[0].fixes.is_empty(),
            "no fix where the shell is unknown"
        );
    }

    #[test]
    fn pipefail_set_by_shell_or_script_is_fine() {
        for text in [
            "FROM scratch\nRUN wget -O - https://some.site && wc -l file > /number\n",
            "FROM scratch\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM scratch\nSHELL [\"/bin/bash\", \"-e\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM scratch\nSHELL [\"/bin/bash\", \"-o\", \"errexit\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM scratch\nSHELL [\"/usr/local/bin/zsh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM scratch\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n",
            "FROM scratch\nSHELL [\"cmd.exe\", \"/c\"]\nRUN dir | more\n",
            "FROM scratch\nRUN set -euxo pipefail; a | b\n",
            "FROM alpine:3.20\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            "FROM scratch AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
            "FROM scratch\nRUN [\"sh\", \"-c\", \"a | b\"]\n",
            "FROM scratch\nRUN bash -c 'a | b'\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn pipefail_that_does_not_apply_is_no_protection() {
        for text in [
            // Set after the pipe, or inside a condition that may not run.
            "FROM scratch\nRUN a | b; set -o pipefail\n",
            "FROM scratch\nRUN if x; then set -o pipefail; fi; a | b\n",
            // `sh` where /bin/sh is unknown, or dash.
            "FROM scratch\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            // A later SHELL without it, a new stage, or an ONBUILD RUN's other build.
            "FROM scratch\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nSHELL [\"/bin/sh\", \"-c\"]\nRUN a | b\n",
            "FROM scratch AS one\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM scratch\nRUN a | b\n",
            "FROM scratch\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nONBUILD RUN a | b\n",
        ] {
            assert_eq!(underlined(&RULE, text), vec!["|"], "{text}");
        }
    }

    /// The titles of the first finding's fixes (none is safe).
    fn fixes(text: &str) -> Vec<String> {
        let found = run(&RULE, text);
        assert!(found[0].fixes.iter().all(|fix| !fix.safe));
        found[0].fixes.iter().map(|fix| fix.title.clone()).collect()
    }

    /// The commands of every RUN, as the shell reads them.
    fn programs(text: &str) -> Vec<String> {
        let source = SourceFile::parse(text);
        crate::lint::run_commands::all(&source)
            .map(|run| run.program.to_string())
            .collect()
    }

    #[test]
    fn fixes_follow_the_shell_the_image_has() {
        // Debian: dash has no pipefail; bash is there.
        let text = "FROM debian:bookworm\n  RUN curl -fsSL https://x | tar xz\n";
        assert_eq!(fixes(text), vec!["Run RUNs with bash and pipefail (SHELL)"]);
        let after = apply_fix_keeping_words(&RULE, text, "Run RUNs with bash", &[]);
        assert_eq!(
            after,
            "FROM debian:bookworm\n  SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n  RUN curl -fsSL https://x | tar xz\n"
        );
        let shell = &crate::syntax::lower::lower(&after).instructions[1];
        assert_eq!(shell.keyword, Keyword::Shell);
        assert_eq!(shell.values.len(), 4);
        // Alpine: ash has it; the RUN itself can set it.
        let text = "FROM alpine:3.20\nRUN apk add curl && curl -fsSL https://x | tar xz\n";
        assert_eq!(fixes(text), vec!["Start the RUN with `set -o pipefail`"]);
        let after = apply_fix(&RULE, text, "Start the RUN");
        assert_eq!(
            after,
            "FROM alpine:3.20\nRUN set -o pipefail && apk add curl && curl -fsSL https://x | tar xz\n"
        );
        let mut expected = programs(text);
        expected.insert(0, "set".into());
        assert_eq!(programs(&after), expected);
        // Rocky: /bin/sh is bash; both work, the local one first.
        assert_eq!(
            fixes("FROM rockylinux:9\nRUN a | b\n"),
            vec![
                "Start the RUN with `set -o pipefail`",
                "Run RUNs with bash and pipefail (SHELL)"
            ]
        );
        // Under a SHELL the file chose, no second SHELL that would drop its options.
        assert_eq!(
            fixes("FROM rockylinux:9\nSHELL [\"/bin/bash\", \"-eux\", \"-c\"]\nRUN a | b\n"),
            vec!["Start the RUN with `set -o pipefail`"]
        );
        // Every finding under one SHELL offers the same line, so fixing all adds it once.
        let text = "FROM debian:bookworm\nRUN a | b\nRUN c\nRUN d | e\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].fixes, found[1].fixes);
        let fixed = crate::lint::fix::fix_text(
            text,
            &crate::lint::Settings::default(),
            crate::knowledge::distros::AS_OF,
            crate::lint::fix::FixOptions {
                unsafe_fixes: true,
                ..Default::default()
            },
        );
        assert_eq!(
            fixed.text,
            "FROM debian:bookworm\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nRUN c\nRUN d | e\n"
        );
        // Heredoc scripts and ONBUILD: no fix.
        assert!(fixes("FROM alpine:3.20\nRUN <<EOF\na | b\nEOF\n").is_empty());
        assert!(fixes("FROM alpine:3.20\nONBUILD RUN a | b\n").is_empty());
    }
}
