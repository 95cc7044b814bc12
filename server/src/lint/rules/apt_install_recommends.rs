//! AptInstallRecommends: `apt-get install` without `--no-install-recommends` installs the
//! packages' recommendations too.

use crate::knowledge::package_managers::{self, ManagerCall, ManagerId};
use crate::lint::run_commands::RunCommand;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "AptInstallRecommends",
    aliases: &["DL3015"],
    severity: Severity::Info,
    summary: "apt-get install also installs recommended packages",
    documentation: "\
## What it does
Flags `apt-get install` (and `apt install`) without `--no-install-recommends` or \
`-o APT::Install-Recommends=false`.

## Why
By default apt installs the packages a package recommends, not only those it needs: \
`apt-get install curl` brings in more than curl. The image is larger, has more to patch, \
and changes when a recommendation changes. Ask for what the image needs.

Compared with hadolint's DL3015: hadolint checks `apt-get` only; this rule also checks \
`apt install` and commands behind `sudo` or `env`.

## Fixes
**Add --no-install-recommends** (unsafe): it changes what is installed. A later step may \
rely on a recommended package (`ca-certificates` for `curl` to reach HTTPS sites is the \
classic case): build and test the image, and name such packages explicitly.

## Example
```dockerfile
FROM debian:bookworm
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \\
    && rm -rf /var/lib/apt/lists/*
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// True when the call turns recommendations off.
fn without_recommends(call: &ManagerCall) -> bool {
    let arguments = call.arguments();
    arguments.iter().enumerate().any(|(at, word)| {
        let text = word.text.as_str();
        text == "--no-install-recommends"
            || recommends_off(text.strip_prefix("-o").unwrap_or(text))
            || (matches!(text, "-o" | "--option")
                && arguments
                    .get(at + 1)
                    .is_some_and(|value| recommends_off(&value.text)))
    })
}

/// `APT::Install-Recommends=false` (or `0`, `no`).
fn recommends_off(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.eq_ignore_ascii_case("APT::Install-Recommends")
        && matches!(value.to_ascii_lowercase().as_str(), "false" | "0" | "no")
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if !matches!(run.program, "apt-get" | "apt") {
            continue;
        }
        let Some(call) = package_managers::call(run.command) else {
            continue;
        };
        let Some(at) = call.subcommand else {
            continue;
        };
        if call.manager.id != ManagerId::Apt
            || call.subcommand() != "install"
            || without_recommends(&call)
        {
            continue;
        }
        let words = &run.command.words;
        let span = match (
            run.exact_span(source, &words[call.program]),
            run.exact_span(source, &words[at]),
        ) {
            (Some(program), Some(subcommand)) => program.start..subcommand.end,
            _ => run.program_span(source),
        };
        let program = words[call.program]
            .text
            .rsplit('/')
            .next()
            .unwrap_or("apt-get");
        found.push(
            Diagnostic::new(
                &RULE,
                span,
                format!(
                    "`{program} install` also installs recommended packages: add --no-install-recommends"
                ),
            )
            .fix_with(context, || fix(context, run, at)),
        );
    }
}

fn fix(context: &Context, run: &RunCommand, subcommand: usize) -> Option<Fix> {
    let at = run
        .exact_span(context.source, &run.command.words[subcommand])?
        .end;
    Some(Fix::new(
        "Add --no-install-recommends",
        vec![Edit::insert(at, " --no-install-recommends")],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix_keeping_words, run, underlined};

    #[test]
    fn flags_installs_with_recommendations() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN apt-get install python\nRUN apt-get -y install python\nRUN sudo apt install -y x\nONBUILD RUN apt-get install -y y\n"
            ),
            vec![
                "apt-get install",
                "apt-get -y install",
                "apt install",
                "apt-get install"
            ]
        );
    }

    #[test]
    fn recommendations_turned_off_are_fine() {
        for script in [
            "apt-get install --no-install-recommends python",
            "apt-get -o APT::Install-Recommends=false install python",
            "apt-get -oAPT::Install-Recommends=0 install -y python",
            "apt-get update && apt-get upgrade -y",
            "apt-get install ./local.deb --no-install-recommends",
        ] {
            let text = format!("FROM a\nRUN {script}\n");
            assert!(underlined(&RULE, &text).is_empty(), "{script}");
        }
    }

    #[test]
    fn the_fix_turns_recommendations_off_and_is_unsafe() {
        let text = "FROM a\nRUN apt-get update \\\n && apt-get install -y curl\n";
        assert!(!run(&RULE, text)[0].fixes[0].safe);
        assert_eq!(
            apply_fix_keeping_words(&RULE, text, "Add --no-install-recommends", &[]),
            "FROM a\nRUN apt-get update \\\n && apt-get install --no-install-recommends -y curl\n"
        );
    }
}
