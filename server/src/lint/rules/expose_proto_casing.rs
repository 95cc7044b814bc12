//! ExposeProtoCasing: BuildKit's check for an `EXPOSE` protocol written in upper case.

use crate::lint::buildkit::each_exposed_spec;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ExposeProtoCasing",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Protocol in EXPOSE instruction should be lowercase",
    documentation: "\
## What it does
Flags an `EXPOSE` port whose protocol is not in lower case (`80/TCP`). This is BuildKit's \
build check of the same name; like BuildKit it reads the ports after variables are expanded, \
in sorted order, and stops at the first port BuildKit rejects (those are reported as errors).

## Why
BuildKit records the protocol in lower case whatever is written; writing it so keeps the file \
and the image alike.

## Fixes
**Write the protocol in lower case** (safe): the image records the same port. Not offered \
for a port written with variables.

## Example
```dockerfile
FROM nginx
EXPOSE 80/TCP
```

## Use instead
```dockerfile
FROM nginx
EXPOSE 80/tcp
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    each_exposed_spec(context, |word, value, spec| {
        if spec.protocol == spec.protocol.to_ascii_lowercase() {
            return;
        }
        let diagnostic = Diagnostic::new(
            &RULE,
            word.span.clone(),
            format!("Defined protocol '{value}' in EXPOSE instruction should be lowercase"),
        )
        .fix_with(context, || {
            // Only a port written as it is read (no variables, quotes or escapes).
            if source.slice(&word.span) != value {
                return None;
            }
            let range = spec.protocol_range.clone();
            let at = word.span.start + range.start..word.span.start + range.end;
            Some(
                Fix::new(
                    "Write the protocol in lower case",
                    vec![Edit::replace(at, spec.protocol.to_ascii_lowercase())],
                )
                .preferred()
                .safe(),
            )
        });
        found.push(diagnostic);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn flags_protocols_not_in_lower_case() {
        assert_eq!(
            underlined(&RULE, "FROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n"),
            vec!["80/TcP", "8080/TCP"]
        );
        assert_eq!(
            run(&RULE, "FROM scratch\nEXPOSE 8080/TCP\n")[0].message,
            "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase"
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nEXPOSE 8080-8090/TCP\n"),
            vec!["8080-8090/TCP"]
        );
        assert!(underlined(&RULE, "FROM a\nEXPOSE 80 443/udp\n").is_empty());
        // Variables are expanded first.
        assert_eq!(
            underlined(&RULE, "FROM a\nENV P=80/TCP\nEXPOSE $P\n"),
            vec!["$P"]
        );
    }

    #[test]
    fn reading_stops_at_the_first_rejected_port() {
        // Sorted, `80/foo` comes before `90/TCP`: BuildKit fails there.
        assert!(underlined(&RULE, "FROM a\nEXPOSE 90/TCP 80/foo\n").is_empty());
        assert_eq!(
            underlined(&RULE, "FROM a\nEXPOSE 70/TCP 80/foo\n"),
            vec!["70/TCP"]
        );
    }

    #[test]
    fn lowercases_the_protocol() {
        assert_eq!(
            apply_fix(&RULE, "FROM a\nEXPOSE 127.0.0.1:80:80/TCP\n", "Write"),
            "FROM a\nEXPOSE 127.0.0.1:80:80/tcp\n"
        );
    }
}
