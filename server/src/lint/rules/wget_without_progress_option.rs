//! WgetWithoutProgressOption: `wget` prints its progress in the default style, which fills
//! build logs with dots.

use crate::knowledge::distros::Shell;
use crate::knowledge::package_commands::{self, Action};
use crate::knowledge::package_managers;
use crate::lint::run_commands::{self, RunCommand};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Base, ShellWord};

pub static RULE: Rule = Rule {
    name: "WgetWithoutProgressOption",
    aliases: &["DL3047"],
    severity: Severity::Info,
    summary: "wget without a progress option fills the build log",
    documentation: "\
## What it does
Flags `wget` in a `RUN` without `--progress=...`, `-q` / `--quiet`, `-nv` / \
`--no-verbose`, or a log file (`-o` / `--output-file`, `-a` / `--append-output`).

## Why
A build's output is not a terminal, so wget reports progress as lines of dots, one line \
per 50 KB: downloading a 500 MB archive writes ten thousand lines into the build log. \
`--progress=dot:giga` writes one line per 3 MB; `-nv` writes one line per file.

Compared with hadolint's DL3047: the options are read as wget reads them, so \
`-O/tmp/file` (an output document, not `-o`) is not mistaken for a log file option.

## Fixes
**Add --progress=dot:giga** (safe where the stage's wget is GNU wget: the stage is built \
on an image whose tools are GNU's (Debian, Ubuntu, SUSE, Arch) as its name, tag or catalog \
entry says, or an earlier command of the stage installed the `wget` package): only the log \
changes. On the Red Hat family the fix is unsafe: Fedora's `wget` is wget2 since Fedora 40, \
and wget2 2.1 rejects the option. BusyBox's \
wget (Alpine, BusyBox images) does not know the option: there no fix is offered. On an \
unknown base image, or in `ONBUILD`, the fix is unsafe for the same reason.

## Example
```dockerfile
FROM debian:bookworm
RUN wget https://example.com/big.tar.gz
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN wget --progress=dot:giga https://example.com/big.tar.gz
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// GNU wget's short options that take a value: in a cluster (`-qO-`) the rest of the word
/// after one of them is its value.
const VALUE_OPTIONS: &str = "OoaPtTwQUeiBDlARIX";

/// True when the arguments choose how progress is shown, silence wget, or send its messages
/// to a log file.
fn quiet_enough(arguments: &[ShellWord]) -> bool {
    arguments.iter().any(|word| {
        let text = word.text.as_str();
        if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            return matches!(
                name,
                "progress" | "quiet" | "no-verbose" | "output-file" | "append-output"
            );
        }
        let Some(cluster) = text.strip_prefix('-') else {
            return false;
        };
        // `-nv` and its kin are two-letter options of their own.
        if let Some(negated) = cluster.strip_prefix('n') {
            return negated == "v";
        }
        for option in cluster.chars() {
            if matches!(option, 'q' | 'o' | 'a') {
                return true;
            }
            if VALUE_OPTIONS.contains(option) {
                return false;
            }
        }
        false
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if run.program != "wget" || quiet_enough(run.command.program_arguments()) {
            continue;
        }
        found.push(
            Diagnostic::new(
                &RULE,
                run.program_span(source),
                "wget without a progress option writes a line of dots per 50 KB into the build log: add --progress=dot:giga or -nv",
            )
            .fix_with(context, || fix(context, run)),
        );
    }
}

/// Which wget the RUN runs, as far as the stage's base and earlier installs tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wget {
    Gnu,
    Busybox,
    Unknown,
}

fn which_wget(context: &Context, run: &RunCommand) -> Wget {
    let source = context.source;
    if run.is_onbuild(source) {
        return Wget::Unknown;
    }
    let distro = run_commands::stage_distro_judged(context, run.index);
    // Fedora's `wget` is wget2 since Fedora 40, and wget2 2.1 rejects the option: not known
    // to be GNU wget 1.x on any Red Hat family image.
    if distro.is_some_and(|(distro, _)| distro.family == crate::knowledge::distros::Family::RedHat)
    {
        return Wget::Unknown;
    }
    if installs_wget_before(context, run) {
        return Wget::Gnu;
    }
    match distro {
        Some((distro, _)) if distro.shell == Shell::BusyboxAsh => Wget::Busybox,
        Some((distro, true)) if matches!(distro.shell, Shell::Bash | Shell::Dash) => Wget::Gnu,
        _ => Wget::Unknown,
    }
}

/// True when a command of this stage (or a stage it is built on) before `run` installs the
/// `wget` package.
fn installs_wget_before(context: &Context, run: &RunCommand) -> bool {
    let source = context.source;
    let mut stage = source.stages.stage_of(run.index);
    let mut end = run.index + 1;
    while let Some(current) = stage {
        let start = current.body.start;
        let installs = (start..end).any(|index| {
            run_commands::of_instruction(source, index)
                .take_while(|other| index != run.index || other.position < run.position)
                .filter(|other| !other.is_onbuild(source))
                .any(|other| {
                    package_managers::call(other.command).is_some_and(|call| {
                        package_commands::action(&call) == Action::Install
                            && package_commands::split_arguments(&call)
                                .0
                                .iter()
                                .any(|package| names_wget(&package.text))
                    })
                })
        });
        if installs {
            return true;
        }
        stage = match current.base {
            Base::Stage(parent) => source.stages.stages.get(parent),
            _ => None,
        };
        end = stage.map(|parent| parent.body.end).unwrap_or(0);
    }
    false
}

/// `wget`, also pinned (`wget=1.21-1`, `wget~1`).
fn names_wget(package: &str) -> bool {
    package.split(['=', '<', '>', '~']).next() == Some("wget")
}

fn fix(context: &Context, run: &RunCommand) -> Option<Fix> {
    let wget = which_wget(context, run);
    if wget == Wget::Busybox {
        return None;
    }
    let at = run.exact_span(context.source, run.program_word()?)?.end;
    let fix = Fix::new(
        "Add --progress=dot:giga",
        vec![Edit::insert(at, " --progress=dot:giga")],
    )
    .preferred();
    Some(if wget == Wget::Gnu { fix.safe() } else { fix })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix_keeping_words, run, underlined};

    #[test]
    fn flags_wget_that_prints_dots() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN wget my.xyz\nRUN wget -O/tmp/x my.xyz && wget -nc y\nONBUILD RUN wget -O- z | sh\n"
            ),
            vec!["wget", "wget", "wget", "wget"]
        );
        assert_eq!(
            run(&RULE, "FROM a\nRUN wget x\n")[0].severity,
            Severity::Info
        );
    }

    #[test]
    fn quiet_or_logged_downloads_are_fine() {
        for script in [
            "wget --progress=dot:giga my.xyz",
            "wget -q my.xyz",
            "wget --quiet my.xyz",
            "wget -nv my.xyz",
            "wget --no-verbose my.xyz",
            "wget --output-file=/tmp/wget.log my.xyz",
            "wget -o /tmp/wget.log my.xyz",
            "wget --append-output=/tmp/wget.log my.xyz",
            "wget -a /tmp/wget.log my.xyz",
            "wget -qO- my.xyz | tar x",
            "apt-get install -y wget",
        ] {
            let text = format!("FROM a\nRUN {script}\n");
            assert!(underlined(&RULE, &text).is_empty(), "{script}");
        }
    }

    fn fixes(text: &str) -> Vec<(String, bool)> {
        run(&RULE, text)[0]
            .fixes
            .iter()
            .map(|fix| (fix.title.clone(), fix.safe))
            .collect()
    }

    #[test]
    fn the_fix_depends_on_which_wget_runs() {
        let text = "FROM debian:bookworm\nRUN wget https://example.com/x.tgz\n";
        assert_eq!(
            fixes(text),
            vec![("Add --progress=dot:giga".to_string(), true)]
        );
        assert_eq!(
            apply_fix_keeping_words(&RULE, text, "Add", &[]),
            "FROM debian:bookworm\nRUN wget --progress=dot:giga https://example.com/x.tgz\n"
        );
        // BusyBox's wget has no --progress.
        assert!(fixes("FROM alpine:3.20\nRUN wget https://example.com/x.tgz\n").is_empty());
        // Unless GNU wget was installed first, here or in the stage it is built on.
        for text in [
            "FROM alpine:3.20\nRUN apk add --no-cache wget && wget https://example.com/x\n",
            "FROM alpine:3.20 AS base\nRUN apk add --no-cache wget\nFROM base\nRUN wget https://example.com/x\n",
        ] {
            assert!(fixes(text)[0].1, "{text}");
        }
        // Installed after the download: BusyBox's wget ran.
        assert!(fixes("FROM alpine:3.20\nRUN wget x && apk add wget\n").is_empty());
        // Unknown base, or a distribution guessed from a name: offered, not safe.
        assert!(!fixes("FROM example.com/base\nRUN wget x\n")[0].1);
        assert!(!fixes("FROM someone/ubuntu:14.04\nRUN wget x\n")[0].1);
        assert!(fixes("FROM python:3.12\nRUN wget x\n")[0].1);
        // Fedora's wget is wget2, which 2.1 rejects --progress=dot:giga with.
        assert!(!fixes("FROM fedora:41\nRUN dnf install -y wget && wget x\n")[0].1);
    }
}
