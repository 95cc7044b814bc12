//! ExposeInvalidFormat: BuildKit's check for an `EXPOSE` port with a host address or host
//! port.

use crate::lint::buildkit::each_exposed_spec;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ExposeInvalidFormat",
    aliases: &[],
    severity: Severity::Warning,
    summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    documentation: "\
## What it does
Flags an `EXPOSE` port written with a host address or a host port (`127.0.0.1:80:80`, \
`8080:80`). This is BuildKit's build check of the same name; like BuildKit it reads the ports \
after variables are expanded, in sorted order, and stops at the first port BuildKit rejects \
(those are reported as errors).

hadolint's DL3011 is not this check: it flags port numbers above 65535, which BuildKit \
rejects outright.

## Why
`EXPOSE` documents the ports the container listens on; which host address and port they are \
published on is decided by `docker run -p`. BuildKit records the container port only and \
says the other forms will become errors in a future release.

## Fixes
**Keep the container port only** (safe): `127.0.0.1:8080:80/tcp` becomes `80/tcp`, which is \
what the image records already. Not offered for a port written with variables.

## Example
```dockerfile
FROM nginx
EXPOSE 127.0.0.1:8080:80
```

## Use instead
```dockerfile
FROM nginx
EXPOSE 80
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    each_exposed_spec(context, |word, value, spec| {
        if spec.ip.is_empty() && spec.host_port.is_empty() {
            return;
        }
        let diagnostic = Diagnostic::new(
                &RULE,
                word.span.clone(),
                format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{value}'"),
            )
            .fix_with(context, || {
                if source.slice(&word.span) != value {
                    return None;
                }
                let port = &value[spec.container_range.start..];
                Some(
                    Fix::new(
                        "Keep the container port only",
                        vec![Edit::replace(word.span.clone(), port)],
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
    fn flags_addresses_and_host_ports() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n"
            ),
            vec!["127.0.0.1:80:80", "[::1]:8080:8080", "5000:5000"]
        );
        assert_eq!(
            run(&RULE, "FROM a\nEXPOSE 0.0.0.0:1234-1236:1234-1236/tcp\n")[0].message,
            "EXPOSE instruction should not define an IP address or host-port mapping, found '0.0.0.0:1234-1236:1234-1236/tcp'"
        );
        assert!(underlined(&RULE, "FROM a\nEXPOSE 80/tcp 8080-8090\n").is_empty());
    }

    #[test]
    fn keeps_the_container_port() {
        assert_eq!(
            apply_fix(&RULE, "FROM a\nEXPOSE 127.0.0.1:8080:80/udp 9000\n", "Keep"),
            "FROM a\nEXPOSE 80/udp 9000\n"
        );
    }
}
