//! AssumeYesMissing: a package-manager command that asks for confirmation runs without the
//! switch that answers it (`apt-get install -y`, `yum -y`, `dnf -y`, `zypper -n`).

use crate::knowledge::package_commands;
use crate::knowledge::package_managers::{self, ManagerCall, ManagerId};
use crate::lint::run_commands::RunCommand;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::shell::Connector;

pub static RULE: Rule = Rule {
    name: "AssumeYesMissing",
    aliases: &["DL3014", "DL3030", "DL3034", "DL3038"],
    severity: Severity::Warning,
    summary: "A package-manager command will ask for a confirmation the build cannot give",
    documentation: "\
## What it does
Flags package-manager commands in a `RUN` that stop to ask \"Do you want to continue?\" \
unless told not to: `apt-get` and `apt` (DL3014) without `-y`, `yum` (DL3030) and `dnf` \
(DL3038) without `-y`, `zypper` (DL3034) without `--non-interactive` or `-y`. The commands \
that ask are those that install, remove or upgrade packages (`install`, `remove`, \
`purge`, `autoremove`, `upgrade`, `dist-upgrade`, `reinstall`, `downgrade`, `patch`, ...).

Answered already: `-y`, `--yes`, `--assume-yes`, `--assumeyes`, `-y` inside a cluster \
(`-qy`), apt's `-qq` / `-q=2` (quiet level 2 implies `-y`) and `-o APT::Get::Assume-Yes=true`, \
yum's and dnf's `--setopt=assumeyes=1`, zypper's `-n`, `--non-interactive`, `-y` and \
`--no-confirm`, and `yes | ...` feeding the answers.

Each finding answers to the code of its package manager: `# hadolint ignore=DL3030` \
silences yum's findings only.

## Why
A build has no terminal: the question is answered with end of input, the package manager \
aborts (\"Abort.\"), and the build fails, or it waits for an answer that never comes. \
Whether apt asks depends on what the command has to change, so a line that built \
yesterday can fail today.

Compared with hadolint (DL3014, DL3030, DL3034, DL3038): hadolint checks `install` \
commands only, and takes a lone `-q` as an answer, which it is not (apt's quiet level 1 \
still asks); this rule checks every command that asks, follows `sudo` and `env`, and knows \
`yes |`. hadolint's DL3038 also flags `microdnf`, which never asks (its `-y` \
is accepted and does nothing); this rule does not.

## Fixes
**Add -y** (`--non-interactive` for zypper, before its command): the command answers yes to \
the question it would otherwise fail on, and does nothing else differently: apt still \
refuses to remove essential packages or install unauthenticated ones with `-y`. Safe where \
the unanswered question failed the build (the command is a statement of its own and every \
statement of the `RUN` is joined by `&&`); unsafe after `;` or `||`, or inside a pipeline, \
`if` or loop, where the build went on without the change that `-y` now makes.

## Example
```dockerfile
FROM debian:bookworm
RUN apt-get update && apt-get install --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The hadolint code of a manager this rule checks.
fn code(manager: ManagerId) -> Option<&'static str> {
    Some(match manager {
        ManagerId::Apt => "DL3014",
        ManagerId::Yum => "DL3030",
        ManagerId::Zypper => "DL3034",
        ManagerId::Dnf => "DL3038",
        _ => return None,
    })
}

/// True when the sub-command asks before it changes packages.
fn asks(manager: ManagerId, subcommand: &str) -> bool {
    match manager {
        ManagerId::Apt => matches!(
            subcommand,
            "install"
                | "remove"
                | "purge"
                | "autoremove"
                | "autopurge"
                | "upgrade"
                | "dist-upgrade"
                | "full-upgrade"
                | "build-dep"
                | "reinstall"
                | "satisfy"
        ),
        ManagerId::Yum | ManagerId::Dnf => matches!(
            subcommand,
            "install"
                | "in"
                | "groupinstall"
                | "localinstall"
                | "reinstall"
                | "rei"
                | "update"
                | "up"
                | "upgrade"
                | "groupupdate"
                | "remove"
                | "rm"
                | "erase"
                | "groupremove"
                | "autoremove"
                | "downgrade"
                | "swap"
                | "distro-sync"
        ),
        ManagerId::Zypper => matches!(
            subcommand,
            "install"
                | "in"
                | "remove"
                | "rm"
                | "source-install"
                | "si"
                | "patch"
                | "update"
                | "up"
                | "dist-upgrade"
                | "dup"
                | "install-new-recommends"
                | "inr"
        ),
        _ => false,
    }
}

/// True when the call answers the question itself.
fn answered(call: &ManagerCall) -> bool {
    let yes: &[&str] = match call.manager.id {
        ManagerId::Apt => &["-y", "--yes", "--assume-yes", "-q=2", "--quiet=2"],
        ManagerId::Yum | ManagerId::Dnf => &["-y", "--assumeyes", "--assume-yes"],
        ManagerId::Zypper => &["-n", "--non-interactive", "-y", "--no-confirm"],
        _ => return true,
    };
    if package_commands::passes(call, yes) {
        return true;
    }
    let arguments = call.arguments();
    match call.manager.id {
        // Quiet level 2 (`-qq`, also inside a cluster such as `-qqy`) implies -y.
        ManagerId::Apt => arguments.iter().enumerate().any(|(at, word)| {
            let text = word.text.as_str();
            let short = text.starts_with('-') && !text.starts_with("--");
            (short && text.matches('q').count() >= 2)
                || assume_yes_option(text)
                || (matches!(text, "-o" | "--option")
                    && arguments
                        .get(at + 1)
                        .is_some_and(|value| assume_yes_option(&value.text)))
        }),
        ManagerId::Yum | ManagerId::Dnf => arguments.iter().any(|word| {
            word.text.strip_prefix("--setopt=").is_some_and(|setting| {
                matches!(
                    setting.to_ascii_lowercase().as_str(),
                    "assumeyes=1" | "assumeyes=true" | "assumeyes=yes"
                )
            })
        }),
        _ => false,
    }
}

/// `APT::Get::Assume-Yes=true` (after `-o`, or as `-oAPT::...`).
fn assume_yes_option(text: &str) -> bool {
    let setting = text.strip_prefix("-o").unwrap_or(text);
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.eq_ignore_ascii_case("APT::Get::Assume-Yes")
        && matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if !matches!(
            run.program,
            "apt-get" | "apt" | "yum" | "dnf" | "dnf5" | "zypper"
        ) {
            continue;
        }
        let Some(call) = package_managers::call(run.command) else {
            continue;
        };
        let Some(code) = code(call.manager.id) else {
            continue;
        };
        if !asks(call.manager.id, call.subcommand()) || answered(&call) {
            continue;
        }
        // `yes | apt-get install x` answers every question.
        if run
            .piped_from()
            .is_some_and(|previous| previous.program() == Some("yes"))
        {
            continue;
        }
        let words = &run.command.words;
        let program = &words[call.program].text;
        let program = program.rsplit('/').next().unwrap_or(program);
        let switch = if call.manager.id == ManagerId::Zypper {
            "--non-interactive"
        } else {
            "-y"
        };
        let span = call
            .subcommand
            .and_then(|at| {
                Some(
                    run.exact_span(source, &words[call.program])?.start
                        ..run.exact_span(source, &words[at])?.end,
                )
            })
            .unwrap_or_else(|| run.program_span(source));
        let message = format!(
            "`{program} {}` will ask for confirmation and the build cannot answer: add {switch}",
            call.subcommand()
        );
        found.push(
            Diagnostic::new(&RULE, span, message)
                .alias(code)
                .fix_with(context, || fix(context, run, &call, switch)),
        );
    }
}

/// `-y` right after the sub-command; zypper's `--non-interactive` right after `zypper`
/// (a global option goes before the command).
fn fix(context: &Context, run: &RunCommand, call: &ManagerCall, switch: &str) -> Option<Fix> {
    let words = &run.command.words;
    let after = if call.manager.id == ManagerId::Zypper {
        call.program
    } else {
        call.subcommand?
    };
    let at = run.exact_span(context.source, &words[after])?.end;
    let fix = Fix::new(
        format!("Add {switch}"),
        vec![Edit::insert(at, format!(" {switch}"))],
    )
    .preferred();
    // Safe where the unanswered question failed the build: the command is a statement of its
    // own (not inside a pipeline, `if` or loop) and every statement is joined by `&&`. After
    // `;` or `||`, or in `apt-get autoremove || true`, the build went on without the change,
    // which `-y` would now make.
    let syntax = &run.script.script.syntax;
    let fails_the_build = !syntax.has_error
        && syntax.statements.contains(&run.command.range)
        && syntax
            .top_level
            .iter()
            .all(|connector| *connector == Connector::And);
    Some(if fails_the_build { fix.safe() } else { fix })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix_keeping_words, run, underlined};

    #[test]
    fn the_fix_is_safe_only_where_the_question_failed_the_build() {
        let safe = |script: &str| {
            run(&RULE, &format!("FROM debian:bookworm\nRUN {script}\n"))[0].fixes[0].safe
        };
        assert!(safe("apt-get update && apt-get install curl"));
        assert!(!safe("apt-get autoremove || true"));
        assert!(!safe("apt-get remove x; apt-get clean"));
        assert!(!safe("apt-get install curl | tee /log"));
    }

    #[test]
    fn flags_commands_that_ask_without_an_answer() {
        let text = "FROM a\nRUN apt-get install python\nRUN yum install httpd && yum clean all\nRUN zypper install httpd=2.4\nRUN dnf install httpd && dnf clean all\nRUN sudo apt remove -q x\nONBUILD RUN apt-get upgrade\n";
        assert_eq!(
            underlined(&RULE, text),
            vec![
                "apt-get install",
                "yum install",
                "zypper install",
                "dnf install",
                "apt remove",
                "apt-get upgrade"
            ]
        );
        let codes: Vec<_> = run(&RULE, text)
            .iter()
            .map(|finding| finding.alias.unwrap())
            .collect();
        assert_eq!(
            codes,
            vec!["DL3014", "DL3030", "DL3034", "DL3038", "DL3014", "DL3014"]
        );
    }

    #[test]
    fn answered_or_harmless_commands_are_fine() {
        for script in [
            "apt-get install -yq python",
            "apt-get install -qq python",
            "apt-get -y install python",
            "apt-get --yes install python",
            "apt-get --assume-yes install python",
            "apt-get -q=2 install python",
            "apt-get -o APT::Get::Assume-Yes=true install python",
            "yes | apt-get install python",
            "apt-get update",
            "apt-get clean",
            "yum install -y httpd",
            "yum --assumeyes install httpd",
            "dnf --setopt=assumeyes=True install httpd",
            "zypper install -n httpd",
            "zypper --non-interactive install httpd",
            "zypper install --no-confirm httpd",
            "zypper -n in httpd",
            "zypper refresh",
            "notdnf install httpd",
            "bash -c `# not even a yum command`",
            "microdnf install httpd",
        ] {
            let text = format!("FROM a\nRUN {script}\n");
            assert!(underlined(&RULE, &text).is_empty(), "{script}");
        }
    }

    #[test]
    fn a_configured_code_touches_only_its_manager() {
        let text = "FROM a\n# hadolint ignore=DL3030\nRUN yum install x && apt-get install y\n";
        assert_eq!(underlined(&RULE, text), vec!["apt-get install"]);
    }

    /// Applies the fix and checks the command now answers the question, with every word
    /// kept, as BuildKit reads the file.
    fn fixed(text: &str) -> String {
        let after = apply_fix_keeping_words(&RULE, text, "Add", &[]);
        assert!(run(&RULE, &after).is_empty(), "{after}");
        after
    }

    #[test]
    fn the_fix_answers_yes() {
        assert_eq!(
            fixed(
                "FROM a\nRUN apt-get update && apt-get install --no-install-recommends \\\n    curl\n"
            ),
            "FROM a\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl\n"
        );
        assert_eq!(
            fixed("FROM a\nRUN sudo yum install x\n"),
            "FROM a\nRUN sudo yum install -y x\n"
        );
        assert_eq!(
            fixed("FROM a\nRUN zypper in x\n"),
            "FROM a\nRUN zypper --non-interactive in x\n"
        );
        assert_eq!(
            fixed("FROM a\nONBUILD RUN dnf upgrade\n"),
            "FROM a\nONBUILD RUN dnf upgrade -y\n"
        );
        let found = run(&RULE, "FROM a\nRUN apt-get install x\n");
        assert!(found[0].fixes[0].safe);
    }
}
