//! WgetAndCurl: one stage downloads with both `wget` and `curl`.

use crate::lint::run_commands::RunCommand;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "WgetAndCurl",
    aliases: &["DL4001"],
    severity: Severity::Warning,
    summary: "A stage uses both wget and curl",
    documentation: "\
## What it does
Flags, in a stage that runs both `wget` and `curl`, every `RUN` that runs one of them from \
the point where both have been used. `ONBUILD RUN`s are judged on their own: they run in \
another build.

Compared with hadolint's DL4001: commands inside a command substitution \
(`bash -c \"$(curl -fsSL URL)\"`) are not counted; commands behind `sudo` or `env`, and in \
heredoc and `sh -c` scripts, are.

## Why
Two download tools do the same job: the image carries both (and their libraries) where one \
would do, and readers have to know two sets of options. Pick one for the stage.

## Example
```dockerfile
FROM debian:bookworm
RUN wget -q https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
```

## Use instead
```dockerfile
FROM debian:bookworm
RUN curl -fsSLO https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The download tools a stage (or its `ONBUILD RUN`s) has used so far: the first RUN that
/// used each.
#[derive(Default)]
struct Seen {
    wget: Option<usize>,
    curl: Option<usize>,
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let noted = context.noted_commands();
    let mut next = 0;
    for stage in &source.stages.stages {
        // Two sequences per stage: its own RUNs, and its ONBUILD RUNs.
        let mut seen = [Seen::default(), Seen::default()];
        while let Some(run) = noted.get(next) {
            if run.index >= stage.body.end {
                break;
            }
            // The RUN's first download command; its other commands are skipped below.
            let index = run.index;
            let in_run: Vec<&RunCommand> = noted[next..]
                .iter()
                .take_while(|other| other.index == index)
                .collect();
            next += in_run.len();
            let tools: Vec<&&RunCommand> = in_run
                .iter()
                .filter(|other| matches!(other.program, "wget" | "curl"))
                .collect();
            let Some(first) = tools.first() else {
                continue;
            };
            let state = &mut seen[usize::from(first.is_onbuild(source))];
            for tool in &tools {
                let slot = if tool.program == "wget" {
                    &mut state.wget
                } else {
                    &mut state.curl
                };
                slot.get_or_insert(index);
            }
            let (Some(wget), Some(curl)) = (state.wget, state.curl) else {
                continue;
            };
            let line = |at: usize| source.line_number(source.instructions()[at].span.start);
            found.push(Diagnostic::new(
                &RULE,
                first.program_span(source),
                format!(
                    "This stage downloads with both wget (line {}) and curl (line {}): use one of them",
                    line(wget),
                    line(curl)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn flags_every_download_once_both_tools_were_used() {
        let text = "FROM a AS one\nRUN wget my.xyz\nRUN curl my.xyz\nRUN echo hello\nRUN wget foo.com && curl bar\n";
        assert_eq!(underlined(&RULE, text), vec!["curl", "wget"]);
        let found = run(&RULE, text);
        assert!(
            found[0].message.contains("wget (line 2) and curl (line 3)"),
            "{}",
            found[0].message
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN wget my.xyz && sudo curl localhost\n"),
            vec!["wget"]
        );
    }

    #[test]
    fn stages_and_onbuild_runs_are_judged_apart() {
        for text in [
            "FROM a AS one\nRUN wget my.xyz\nFROM scratch\nRUN curl localhost\n",
            "FROM a\nRUN wget my.xyz\nONBUILD RUN curl localhost\n",
            "FROM a\nRUN apt-get install -y wget curl && wget x\n",
        ] {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
        let text = "FROM a AS one\nRUN wget my.xyz\nRUN curl localhost\nFROM scratch\nRUN curl localhost\n";
        assert_eq!(run(&RULE, text).len(), 1);
        assert_eq!(
            underlined(&RULE, "FROM a\nONBUILD RUN wget x\nONBUILD RUN curl y\n"),
            vec!["curl"]
        );
    }
}
