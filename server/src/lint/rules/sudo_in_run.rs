//! SudoInRun: a RUN command runs through `sudo`.

use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "SudoInRun",
    aliases: &["DL3004"],
    severity: Severity::Warning,
    summary: "A RUN command runs through sudo",
    documentation: "\
## What it does
Flags commands of a `RUN` that run through `sudo` (`sudo apt-get install`, \
`env X=1 sudo -E make install`), in the command line, heredoc scripts and `sh -c` scripts.

## Why
A build runs as the user the last `USER` named, root unless said otherwise: `sudo` is not \
needed to act as root, and it is often not installed. When it is, its behaviour depends on \
`/etc/sudoers`, terminals and environment rules that differ between images, so the same \
line can prompt, drop variables or fail. To run as root, put `USER root` before the `RUN` \
(and switch back after); to run a program as another user at run time, use a tool like \
`gosu` or `su-exec` in the entrypoint.

Compared with hadolint's DL3004: hadolint reports this as an error; here it is a warning, \
because a Dockerfile whose image has `sudo` builds, and error-level findings are kept for \
what fails the build. hadolint only sees `sudo` where it is the command's first word; this \
rule also finds it behind `env`, `nice` and the like.

## Example
```dockerfile
FROM debian:bookworm
USER app
RUN sudo apt-get update
```

## Use instead
```dockerfile
FROM debian:bookworm
USER root
RUN apt-get update
USER app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands().iter().filter(|run| run.sudo) {
        let Some(word) = run
            .command
            .words
            .iter()
            .find(|word| word.text.rsplit('/').next() == Some("sudo"))
        else {
            continue;
        };
        let span = run
            .exact_span(source, word)
            .unwrap_or_else(|| run.span(run.command.range.clone()));
        // `sudo -u app cmd` runs as another user, not as root.
        let other_user = run.command.words[..run.command.program_index()]
            .iter()
            .any(|word| {
                matches!(word.text.as_str(), "-u" | "--user")
                    || word.text.starts_with("--user=")
                    || (word.text.starts_with("-u") && !word.text.starts_with("--"))
            });
        let remedy = if other_user {
            "put USER before the RUN to run it as that user"
        } else {
            "the RUN runs as root unless USER says otherwise"
        };
        found.push(Diagnostic::new(
            &RULE,
            span,
            format!(
                "Do not use sudo in a RUN: it behaves differently from image to image; {remedy}"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn flags_sudo_wherever_it_wraps_a_command() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN apt-get update && sudo apt-get install -y x\n"
            ),
            vec!["sudo"]
        );
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN env HOME=/root /usr/bin/sudo -E make install\n"
            ),
            vec!["/usr/bin/sudo"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nONBUILD RUN sudo make\n"),
            vec!["sudo"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN <<EOF\nsudo make\nEOF\n"),
            vec!["sudo"]
        );
    }

    #[test]
    fn installing_or_naming_sudo_is_fine() {
        for text in [
            "FROM a\nRUN apt-get install -y sudo\n",
            "FROM a\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app\n",
            "FROM a\nCMD sudo service start\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_message_fits_the_user_sudo_switches_to() {
        let found =
            crate::lint::testing::run(&RULE, "FROM a\nRUN sudo -E -u app -H make\nRUN sudo make\n");
        assert!(
            found[0]
                .message
                .ends_with("put USER before the RUN to run it as that user")
        );
        assert!(
            found[1]
                .message
                .ends_with("the RUN runs as root unless USER says otherwise")
        );
    }

    #[test]
    fn it_is_a_warning_not_an_error() {
        let found = crate::lint::testing::run(&RULE, "FROM a\nRUN sudo make\n");
        assert_eq!(found[0].severity, Severity::Warning);
    }
}
