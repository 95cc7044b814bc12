//! LinkOverBinSh: a RUN replaces `/bin/sh` with a link to another shell.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::ShellWord;

pub static RULE: Rule = Rule {
    name: "LinkOverBinSh",
    aliases: &["DL4005"],
    severity: Severity::Warning,
    summary: "A RUN replaces /bin/sh with a link to another shell",
    documentation: "\
## What it does
Flags `ln` commands whose link is `/bin/sh` (or `/usr/bin/sh`): \
`ln -sf /bin/bash /bin/sh`.

## Why
Every shell-form `RUN`, `CMD` and `ENTRYPOINT` runs `/bin/sh -c`. Replacing the file makes \
the rest of the build and every program of the image that calls `/bin/sh` (scripts, \
`system()`, package maintainer scripts) use another shell, without a trace in the \
Dockerfile's instructions. The `SHELL` instruction says which shell the following `RUN`s \
use, where a reader sees it, and leaves the image's `/bin/sh` alone.

Compared with hadolint's DL4005: hadolint flags an `ln` that names `/bin/sh` anywhere, \
also as the file a link points to (`ln -s /bin/sh /usr/local/bin/sh`, which changes nothing \
about `/bin/sh`); this rule flags the link name only, and also `/usr/bin/sh` (the same file \
on merged-`/usr` systems).

## Example
```dockerfile
FROM debian:bookworm
RUN ln -sf /bin/bash /bin/sh
RUN source /opt/env.sh && make
```

## Use instead
```dockerfile
FROM debian:bookworm
SHELL [\"/bin/bash\", \"-c\"]
RUN source /opt/env.sh && make
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The link an `ln` command makes, when it names it: the last operand of `ln TARGET LINK`
/// (not with `-t DIRECTORY`, where every operand is a target).
fn link_name(arguments: &[ShellWord]) -> Option<&ShellWord> {
    let mut operands = Vec::new();
    let mut options_done = false;
    let mut words = arguments.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if options_done || !text.starts_with('-') || text == "-" {
            operands.push(word);
            continue;
        }
        match text {
            "--" => options_done = true,
            "-t" | "--target-directory" => return None,
            _ if text.starts_with("--target-directory=") => return None,
            // Options that take the next word as their value.
            "-S" | "--suffix" => {
                words.next();
            }
            _ => {}
        }
    }
    match operands.as_slice() {
        [_, .., last] => Some(last),
        _ => None,
    }
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        if run.program != "ln" {
            continue;
        }
        let Some(link) = link_name(run.command.program_arguments()) else {
            continue;
        };
        if !matches!(link.text.as_str(), "/bin/sh" | "/usr/bin/sh") {
            continue;
        }
        let span = run
            .exact_span(source, link)
            .unwrap_or_else(|| run.span(run.command.range.clone()));
        found.push(Diagnostic::new(
            &RULE,
            span,
            format!(
                "Replacing {} changes the shell of every later RUN and of the image's programs: use SHELL to choose the shell RUN uses",
                link.text
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn flags_links_named_bin_sh() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN ln -sfv /bin/bash /bin/sh\nRUN ln -s -- /busybox/sh /usr/bin/sh\nONBUILD RUN ln -sf bash /bin/sh\n"
            ),
            vec!["/bin/sh", "/usr/bin/sh", "/bin/sh"]
        );
    }

    #[test]
    fn other_links_are_fine() {
        for text in [
            "FROM a\nRUN ln -sf /bin/true /sbin/initctl\n",
            "FROM a\nRUN ln -s foo bar && unrelated && something_with /bin/sh\n",
            "FROM a\nRUN ln -s /bin/sh /usr/local/bin/sh\n",
            "FROM a\nRUN ln -s -t /bin/sh /opt/tool\n",
            "FROM a\nRUN ln -s /bin/sh\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }
}
