//! PointlessContainerCommand: a RUN uses a program that has nothing to do in an image build
//! (an editor, an SSH client, a service manager, a process viewer).

use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "PointlessContainerCommand",
    aliases: &["DL3001"],
    severity: Severity::Info,
    summary: "A RUN uses a program that makes no sense in an image build",
    documentation: "\
## What it does
Flags commands of a `RUN` that make no sense while building an image: `vim` and `nano` \
(editors waiting for a terminal), `ssh`, `service` and `shutdown` (no service manager runs \
in a build, and nothing started outlives the `RUN`), `ps`, `top` and `free` (they show the \
build container, which is gone afterwards), `kill`, `mount` and `ifconfig` (processes, \
mounts and network settings of a build do not reach the image).

## Why
A `RUN` runs one command in a throw-away container and keeps only the files it changed. \
A service started there is stopped when the `RUN` ends; an editor has no terminal to draw \
on; a mount is gone from the image. Such commands are usually left over from an \
interactive session. Edit files with `sed` or `COPY` them, start services from the \
`ENTRYPOINT` or `CMD`, and mount with `RUN --mount`.

Compared with hadolint's DL3001: hadolint's list is `free`, `kill`, `mount`, `ps`, \
`service`, `shutdown`, `ssh`, `top` and `vim`; this rule adds `ifconfig` (which hadolint's \
own message names) and `nano`. hadolint only sees a program that is the command's first \
word; this rule also finds it behind `sudo` or `env`.

## Example
```dockerfile
FROM debian:bookworm
RUN service nginx start
```

## Use instead
```dockerfile
FROM debian:bookworm
CMD [\"nginx\", \"-g\", \"daemon off;\"]
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Why `program` has nothing to do in a build, if it is one of those programs.
fn reason(program: &str) -> Option<&'static str> {
    Some(match program {
        "vim" | "nano" => "an editor waits for a terminal the build does not have",
        "ssh" => {
            "a build has no terminal to log in with; reach private hosts with RUN --mount=type=ssh"
        }
        "service" | "shutdown" => {
            "no service manager runs in a build, and what a RUN starts stops when it ends"
        }
        "ps" | "top" | "free" => "it shows the build container, which is gone after the RUN",
        "kill" => "processes do not outlive the RUN that started them",
        "mount" => "mounts made in a RUN do not reach the image; use RUN --mount",
        "ifconfig" => "the build container's network settings do not reach the image",
        _ => return None,
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for run in context.noted_commands() {
        let Some(reason) = reason(run.program) else {
            continue;
        };
        found.push(Diagnostic::new(
            &RULE,
            run.program_span(source),
            format!(
                "`{}` makes no sense in an image build: {reason}",
                run.program
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn flags_programs_without_a_purpose_in_a_build() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nRUN top\nRUN service nginx start && sudo vim /etc/x\nONBUILD RUN ps aux\n"
            ),
            vec!["top", "service", "vim", "ps"]
        );
        let found = run(&RULE, "FROM a\nRUN /sbin/shutdown -h now\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0].message.starts_with("`shutdown` makes no sense"));
    }

    #[test]
    fn installing_those_programs_is_fine() {
        for text in [
            "FROM a\nRUN apt-get install -y ssh vim procps\n",
            "FROM a\nRUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts\n",
            "FROM a\nCMD top\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
    }
}
