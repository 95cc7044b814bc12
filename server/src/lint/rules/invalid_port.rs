//! InvalidPort: an `EXPOSE` port BuildKit cannot read: not a number from 0 to 65535, a range
//! that runs backwards, an unknown protocol.

use crate::knowledge::ports;
use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "InvalidPort",
    aliases: &["DL3011"],
    severity: Severity::Error,
    summary: "EXPOSE names a port or protocol BuildKit rejects",
    documentation: "\
## What it does
Reads each `EXPOSE` word as BuildKit does (`[[ip:]host-port:]port[-end][/protocol]`) and \
reports what it rejects: a port that is not a number from 0 to 65535 (`80a`, `70000`), a \
range whose end comes before its start (`90-80`) or that is not `start-end`, a protocol \
other than `tcp`, `udp` and `sctp` (in any case), a `/protocol` without a port, an IP that is \
not an address, and host and container ranges of different sizes. Words with variables are \
judged by the build.

A host port or IP in `EXPOSE` (`8080:80`) and an upper-case protocol are accepted by \
BuildKit, which warns about them (ExposeInvalidFormat and ExposeProtoCasing); they are not \
reported here. hadolint's DL3011 (ports outside 0–65535) is this rule's alias.

## Why
BuildKit stops with \"invalid containerPort\", \"invalid proto\" or \"invalid range \
specified for port\" when it records the exposed ports.

## Example
```dockerfile
FROM nginx
EXPOSE 80/tcpp 443 70000
```

## Use instead
```dockerfile
FROM nginx
EXPOSE 80/tcp 443 7000
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The findings of one `EXPOSE` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let escape = context.source.file.escape;
    for word in parsed.instruction.values.iter() {
        let Some(text) = parsed::literal(&word.text, escape) else {
            continue;
        };
        // BuildKit splits the expanded word into words again.
        for port in text.split_whitespace() {
            let Err(error) = ports::parse(port) else {
                continue;
            };
            // Exact spans where the word is written as read, else the whole word.
            let written = context.source.slice(&word.span);
            let span = if written == port {
                word.span.start + error.range.start..word.span.start + error.range.end
            } else {
                word.span.clone()
            };
            found.push(parsed.finish(Diagnostic::new(&RULE, span, error.message)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, run_with, underlined};

    #[test]
    fn a_stage_the_build_skips_gets_warnings() {
        // BuildKit reads EXPOSE as it builds a stage: `debug` is never built (the last stage
        // needs nothing of it), so the build does not fail on its port; once it is the
        // target, it does.
        let text =
            "FROM alpine:3.20 AS debug\nEXPOSE 99999\nFROM alpine:3.20 AS release\nEXPOSE 70000\n";
        let severities = |settings: &crate::lint::Settings| -> Vec<Severity> {
            run_with(&RULE, text, settings)
                .iter()
                .map(|finding| finding.severity)
                .collect()
        };
        assert_eq!(
            severities(&crate::lint::Settings::default()),
            vec![Severity::Warning, Severity::Error]
        );
        let debug = crate::lint::Settings {
            target_stages: vec!["debug".to_string()],
            ..crate::lint::Settings::default()
        };
        assert_eq!(severities(&debug)[0], Severity::Error);
        assert!(
            run(&RULE, text)[0]
                .message
                .contains("stage this build skips")
        );
    }

    #[test]
    fn ports_and_protocols_buildkit_rejects() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nEXPOSE 80/tcpp 70000 90-80 http /udp \"8o\"\n"
            ),
            vec!["tcpp", "70000", "90-80", "http", "/udp", "\"8o\""]
        );
    }

    #[test]
    fn ports_buildkit_accepts() {
        assert!(
            run(
                &RULE,
                "FROM a\nEXPOSE 80 443/tcp 53/UDP 9/sctp 8000-8010 0 65535 8080:80 $PORT ${P:-80}/tcp \"81\"\n"
            )
            .is_empty()
        );
    }
}
