//! ZypperDistUpgrade: `zypper dist-upgrade` in a RUN.

use crate::knowledge::package_managers::{self, ManagerId};
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ZypperDistUpgrade",
    aliases: &["DL3035"],
    severity: Severity::Warning,
    summary: "A RUN upgrades the whole distribution with zypper dist-upgrade",
    documentation: "\
## What it does
Flags `zypper dist-upgrade` (`zypper dup`) in a `RUN`.

## Why
`dist-upgrade` moves every package to what the repositories offer today, vendor changes \
and removals included: two builds of the same Dockerfile a week apart contain different \
software, and the image no longer matches the release its base image names. Use a newer \
base image for a newer distribution, and `zypper patch` or `zypper update` for fixes to \
the one you have.

## Example
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive dist-upgrade
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive patch
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if run.program != "zypper" {
            continue;
        }
        let Some(call) = package_managers::call(run.command) else {
            continue;
        };
        let Some(at) = call.subcommand.filter(|_| {
            call.manager.id == ManagerId::Zypper
                && matches!(call.subcommand(), "dist-upgrade" | "dup")
        }) else {
            continue;
        };
        let words = &run.command.words;
        let span = match (
            run.exact_span(source, &words[call.program]),
            run.exact_span(source, &words[at]),
        ) {
            (Some(program), Some(subcommand)) => program.start..subcommand.end,
            _ => run.span(run.command.range.clone()),
        };
        found.push(Diagnostic::new(
            &RULE,
            span,
            "Do not use `zypper dist-upgrade` in a build: use a newer base image, or `zypper patch` for fixes",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn flags_dist_upgrade_in_every_spelling() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN zypper dist-upgrade\nRUN zypper -n dup --no-recommends\nONBUILD RUN zypper dup\n"
            ),
            vec!["zypper dist-upgrade", "zypper -n dup", "zypper dup"]
        );
    }

    #[test]
    fn other_zypper_commands_are_fine() {
        for text in [
            "FROM a\nRUN zypper -n patch && zypper -n update\n",
            "FROM a\nRUN zypper install -y dup\n",
            "FROM a\nRUN apt-get dist-upgrade -y\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }
}
