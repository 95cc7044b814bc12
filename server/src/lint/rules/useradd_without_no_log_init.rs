//! UseraddWithoutNoLogInit: `useradd` with a high UID and without `--no-log-init` writes a
//! huge sparse log file into the layer.

use crate::lint::run_commands::RunCommand;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::ShellWord;

pub static RULE: Rule = Rule {
    name: "UseraddWithoutNoLogInit",
    aliases: &["DL3046"],
    severity: Severity::Warning,
    summary: "useradd with a high UID and without --no-log-init bloats the image",
    documentation: "\
## What it does
Flags `useradd` with a UID of six digits or more (`-u 123456`, `--uid=100000`, or a \
variable whose `ARG` or `ENV` value is one) and without `-l` / `--no-log-init`.

## Why
`useradd` reserves the new user's records in `/var/log/lastlog` and `/var/log/faillog`, \
files indexed by UID. For a UID of 1,000,000 that is a sparse file of hundreds of \
megabytes; image layers do not keep files sparse, so the layer grows by that much. \
`--no-log-init` leaves the logs alone; nothing in a container reads them.

Compared with hadolint's DL3046: hadolint judges the length of what follows `-u`, so \
`-u $NB_UID` counts as a high UID whatever its value; this rule reads the value of the \
variable from its `ARG` or `ENV` default and stays silent when it cannot know it.

## Fixes
**Add --no-log-init** (safe): the user is created the same way, without lastlog and \
faillog records.

## Example
```dockerfile
FROM debian:bookworm
RUN useradd -u 123456 app
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN useradd --no-log-init -u 123456 app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// useradd's short options that take a value.
const VALUE_OPTIONS: &str = "bcdefgGkKpRPuZ";

/// What the arguments say: the UID as written, and whether `--no-log-init` is among them.
fn read_options(arguments: &[ShellWord]) -> (Option<&str>, bool) {
    let mut uid = None;
    let mut no_log_init = false;
    let mut words = arguments.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            match name {
                "no-log-init" => no_log_init = true,
                "uid" => uid = value.or_else(|| words.next().map(|next| next.text.as_str())),
                _ => {}
            }
            continue;
        }
        let Some(cluster) = text.strip_prefix('-') else {
            continue;
        };
        for (at, option) in cluster.char_indices() {
            if option == 'l' {
                no_log_init = true;
            }
            if VALUE_OPTIONS.contains(option) {
                let rest = &cluster[at + option.len_utf8()..];
                let value = if rest.is_empty() {
                    words.next().map(|next| next.text.as_str())
                } else {
                    Some(rest)
                };
                if option == 'u' {
                    uid = value;
                }
                break;
            }
        }
    }
    (uid, no_log_init)
}

/// The UID as a number: written out, or the value of the `ARG`/`ENV` it names.
fn uid_value(context: &Context, index: usize, written: &str) -> Option<u64> {
    if let Ok(number) = written.parse() {
        return Some(number);
    }
    let name = written.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'))
        .unwrap_or(name);
    let scope = context.source.stages.scope_at(&context.source.file, index);
    scope.lookup(name)?.value.as_deref()?.parse().ok()
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if run.program != "useradd" {
            continue;
        }
        let (Some(written), false) = read_options(run.command.program_arguments()) else {
            continue;
        };
        // The variables of an ONBUILD RUN are those of the build that runs it.
        if written.starts_with('$') && run.is_onbuild(source) {
            continue;
        }
        let Some(uid) = uid_value(context, run.index, written) else {
            continue;
        };
        if uid < 100_000 {
            continue;
        }
        found.push(
            Diagnostic::new(
                &RULE,
                run.program_span(source),
                format!(
                    "useradd with UID {uid} and without --no-log-init writes a sparse log of that many records into the layer: add --no-log-init"
                ),
            )
            .fix_with(context, || fix(context, run)),
        );
    }
}

fn fix(context: &Context, run: &RunCommand) -> Option<Fix> {
    let at = run.exact_span(context.source, run.program_word()?)?.end;
    Some(
        Fix::new(
            "Add --no-log-init",
            vec![Edit::insert(at, " --no-log-init")],
        )
        .preferred()
        .safe(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix_keeping_words, run, underlined};

    #[test]
    fn flags_high_uids_without_no_log_init() {
        for script in [
            "useradd -u 123456 luser",
            "useradd --uid=100000 luser",
            "useradd -mu 123456 luser",
            "useradd -u123456 luser",
            "sudo useradd --uid 999999 -m luser",
        ] {
            let text = format!("FROM a\nRUN {script}\n");
            assert_eq!(underlined(&RULE, &text), vec!["useradd"], "{script}");
        }
        let text = "FROM a\nARG APP_UID=1000000\nRUN useradd -u ${APP_UID} app\n";
        assert_eq!(underlined(&RULE, text), vec!["useradd"]);
    }

    #[test]
    fn low_or_unknown_uids_and_no_log_init_are_fine() {
        for text in [
            "FROM a\nRUN useradd luser\n",
            "FROM a\nRUN useradd -u 12345 luser\n",
            "FROM a\nRUN useradd -l -u 123456 luser\n",
            "FROM a\nRUN useradd -rlu 123456 luser\n",
            "FROM a\nRUN useradd --no-log-init --uid 123456 luser\n",
            "FROM a\nRUN useradd -l luser\n",
            "FROM a\nARG NB_UID=1000\nRUN useradd -m -u $NB_UID jovyan\n",
            "FROM a\nRUN useradd -u $UNKNOWN app\n",
            "FROM a\nRUN useradd -c 'uid 123456' app\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_fix_adds_no_log_init() {
        let text = "FROM a\nRUN useradd -u 123456 luser\n";
        assert!(run(&RULE, text)[0].fixes[0].safe);
        assert_eq!(
            apply_fix_keeping_words(&RULE, text, "Add --no-log-init", &[]),
            "FROM a\nRUN useradd --no-log-init -u 123456 luser\n"
        );
    }
}
