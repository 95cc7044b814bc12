//! AptInsteadOfAptGet: a RUN uses `apt`, the interactive front end, instead of `apt-get` or
//! `apt-cache`.

use crate::knowledge::distros::Family;
use crate::knowledge::package_managers;
use crate::lint::run_commands::{self, RunCommand};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "AptInsteadOfAptGet",
    aliases: &["DL3027"],
    severity: Severity::Warning,
    summary: "A RUN uses apt instead of apt-get or apt-cache",
    documentation: "\
## What it does
Flags `apt` commands in a `RUN` (`apt install`, `sudo apt update`) and offers the \
`apt-get` or `apt-cache` command that does the same.

## Why
`apt` is made for people at a terminal: its output and options may change between \
releases (it says so: \"apt does not have a stable CLI interface. Use with caution in \
scripts.\"). `apt-get` and `apt-cache` are the stable interfaces for scripts, and a \
Dockerfile is a script.

## Fixes
**Use apt-get** / **Use apt-cache** replaces the program, and the sub-command where \
`apt-get` names it differently:
- `update`, `install`, `remove`, `purge`, `autoremove`, `dist-upgrade`, `clean`, \
`autoclean`, `source`, `build-dep`, `download`, `changelog`, `check` and `satisfy` mean the \
same to `apt-get`; `full-upgrade` is `apt-get dist-upgrade`; `search`, `show`, `showsrc`, \
`policy`, `depends`, `rdepends` and `madison` are `apt-cache` commands. Safe where the \
stage is built on a Debian or Ubuntu image the catalog knows (by name, tag or catalog \
entry; not a guess from a third-party image's name or an `ARG` default). One difference remains: \
`apt` deletes the packages it downloaded after installing them, `apt-get` leaves them in \
/var/cache/apt/archives; Debian's and Ubuntu's images delete them after every install \
anyway (`/etc/apt/apt.conf.d/docker-clean`), other images may not, so elsewhere (an \
unknown base, `ONBUILD`) the fix is unsafe.
- `upgrade` is `apt-get upgrade --with-new-pkgs` (`apt upgrade` installs new dependencies, \
`apt-get upgrade` does not): unsafe, worth a look.
- `list`, `edit-sources` and other commands have no `apt-get` counterpart: no fix.

## Example
```dockerfile
FROM ubuntu:24.04
RUN apt update && apt install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// What `apt SUBCOMMAND` is in the stable tools: the program, the sub-command to write when
/// it differs, and whether the meaning is the same.
fn counterpart(subcommand: &str) -> Option<(&'static str, Option<&'static str>, bool)> {
    Some(match subcommand {
        "update" | "install" | "remove" | "purge" | "autoremove" | "dist-upgrade" | "clean"
        | "autoclean" | "source" | "build-dep" | "download" | "changelog" | "check" | "satisfy" => {
            ("apt-get", None, true)
        }
        "full-upgrade" => ("apt-get", Some("dist-upgrade"), true),
        "upgrade" => ("apt-get", Some("upgrade --with-new-pkgs"), false),
        "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" | "madison" => {
            ("apt-cache", None, true)
        }
        _ => return None,
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if run.program != "apt" {
            continue;
        }
        let subcommand = package_managers::call(run.command)
            .map(|call| call.subcommand())
            .unwrap_or("");
        let replacement = counterpart(subcommand).map(|(program, _, _)| program);
        let message = match replacement {
            Some(program) => format!(
                "Use {program} in scripts: apt is an interactive front end without a stable command line"
            ),
            None => "Use apt-get or apt-cache in scripts: apt is an interactive front end without a stable command line".to_string(),
        };
        found.push(
            Diagnostic::new(&RULE, run.program_span(source), message)
                .fix_with(context, || fix(context, run)),
        );
    }
}

fn fix(context: &Context, run: &RunCommand) -> Option<Fix> {
    let source = context.source;
    let call = package_managers::call(run.command)?;
    let at = call.subcommand?;
    let (program, subcommand, same) = counterpart(call.subcommand())?;
    let words = &run.command.words;
    let program_span = run.exact_span(source, &words[call.program])?;
    // `/usr/bin/apt`: only the name changes.
    let name = program_span.end.checked_sub("apt".len())?;
    if source.text.get(name..program_span.end) != Some("apt") {
        return None;
    }
    let mut edits = vec![Edit::replace(name..program_span.end, program)];
    if let Some(subcommand) = subcommand {
        edits.push(Edit::replace(
            run.exact_span(source, &words[at])?,
            subcommand,
        ));
    }
    let shown = subcommand.unwrap_or(call.subcommand());
    let fix = Fix::new(format!("Use `{program} {shown}`"), edits).preferred();
    // `apt-get` keeps downloaded packages where `apt` deletes them: the official Debian and
    // Ubuntu images delete them after each install; elsewhere the layer may grow.
    let cleans_packages = !run.is_onbuild(source)
        && run_commands::stage_distro_judged(context, run.index)
            .is_some_and(|(distro, sure)| sure && distro.family == Family::Debian);
    Some(if same && cleans_packages {
        fix.safe()
    } else {
        fix
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix_keeping_words, run, underlined};

    #[test]
    fn flags_apt_wherever_it_runs() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM ubuntu\nRUN apt update && sudo /usr/bin/apt install -y python3\nONBUILD RUN apt list --installed\n"
            ),
            vec!["apt", "/usr/bin/apt", "apt"]
        );
        for text in [
            "FROM ubuntu\nRUN apt-get install -y apt\n",
            "FROM ubuntu\nRUN apt-cache policy curl && apt-key list\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }

    /// The fix of the first finding: its title, whether it is safe, and the text after it.
    fn fixed(text: &str) -> (String, bool, String) {
        let fix = run(&RULE, text)[0].fixes[0].clone();
        // The program (and full-upgrade) change; every other word stays.
        let after = apply_fix_keeping_words(
            &RULE,
            text,
            &fix.title,
            &["apt", "/usr/bin/apt", "full-upgrade"],
        );
        (fix.title, fix.safe, after)
    }

    #[test]
    fn fixes_keep_the_meaning() {
        assert_eq!(
            fixed("FROM debian:bookworm\nRUN apt -y install --no-install-recommends curl\n"),
            (
                "Use `apt-get install`".to_string(),
                true,
                "FROM debian:bookworm\nRUN apt-get -y install --no-install-recommends curl\n"
                    .to_string()
            )
        );
        assert_eq!(
            fixed("FROM ubuntu:24.04\nRUN sudo /usr/bin/apt full-upgrade -y\n").2,
            "FROM ubuntu:24.04\nRUN sudo /usr/bin/apt-get dist-upgrade -y\n"
        );
        assert_eq!(
            fixed("FROM debian:bookworm\nRUN apt show curl\n").2,
            "FROM debian:bookworm\nRUN apt-cache show curl\n"
        );
        // Installs new dependencies in both spellings, but worth a look: unsafe.
        let (_, safe, after) = fixed("FROM debian:bookworm\nRUN apt upgrade -y\n");
        assert!(!safe);
        assert_eq!(
            after,
            "FROM debian:bookworm\nRUN apt-get upgrade --with-new-pkgs -y\n"
        );
        // An unknown base may keep the packages apt-get downloads: unsafe.
        assert!(!fixed("FROM scratch\nRUN apt install -y curl\n").1);
        assert!(!fixed("FROM debian\nONBUILD RUN apt install -y curl\n").1);
    }

    #[test]
    fn no_fix_without_a_counterpart() {
        for text in [
            "FROM debian\nRUN apt list --upgradable\n",
            "FROM debian\nRUN apt\n",
            "FROM debian\nRUN sh -c \"echo \\\"x\\\" && apt install y\"\n",
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].fixes.is_empty(), "{text}");
        }
    }
}
