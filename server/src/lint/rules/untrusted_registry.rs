//! UntrustedRegistry: a `FROM` image from a registry the settings do not trust.

use crate::knowledge::images::DOCKER_HUB;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "UntrustedRegistry",
    aliases: &["DL3026"],
    severity: Severity::Warning,
    summary: "A FROM image comes from a registry that is not trusted",
    documentation: "\
## What it does
With trusted registries configured (`trusted_registries`, hadolint's `trustedRegistries`), \
flags a `FROM` image whose registry is not one of them. An entry may hold `*` wildcards \
(`*.example.com` trusts every subdomain, `*` every registry). An image written without a \
registry comes from Docker Hub, trusted as `docker.io` or `hub.docker.com`. Stages, \
`scratch` and images whose name comes from a variable without a known value are left \
alone; an image named through an `ARG` default is checked as the default reads. Without \
trusted registries the rule finds nothing.

## Why
Base images run with the build's privileges and end up in what is shipped. A team that \
mirrors or vets its base images wants every `FROM` to come from those registries; one \
from elsewhere bypasses the review.

## Differences from hadolint
hadolint's DL3026 is an error; the image builds, so here it is a warning (the default \
`--fail-level warning` still fails CI; configure `DL3026 = \"error\"` to make it one). \
Registries are found as Docker finds them: `localhost:5000/app` comes from \
`localhost:5000`, which hadolint reads as a Docker Hub image, and `index.docker.io` is \
Docker Hub.

## Example
With `trusted_registries = [\"registry.example.com\"]`:
```dockerfile
FROM ghcr.io/some/tool:1.2
```

## Use instead
```dockerfile
FROM registry.example.com/mirror/tool:1.2
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// `pattern` matches `registry`, a `*` in it standing for any run of characters.
fn matches(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let registry = registry.to_ascii_lowercase();
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = registry.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        // No `*`: the whole name.
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The registry is one the settings trust.
fn trusted(registry: &str, trusted: &[String]) -> bool {
    let names: &[&str] = if registry == DOCKER_HUB {
        &[DOCKER_HUB, "hub.docker.com"]
    } else {
        &[registry]
    };
    trusted
        .iter()
        .any(|pattern| names.iter().any(|name| matches(pattern, name)))
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let allowed = &context.settings.trusted_registries;
    if allowed.is_empty() {
        return;
    }
    for image in context.written_images() {
        let registry = &image.reference.registry;
        if trusted(registry, allowed) {
            continue;
        }
        let mut message = format!(
            "`{}` comes from `{registry}`, which is not a trusted registry",
            image.reference.familiar_name()
        );
        if image.uses_variables() {
            message.push_str(&format!(
                " (`{}` reads as `{}`)",
                image.word.text,
                image.reference.familiar()
            ));
        }
        found.push(Diagnostic::new(&RULE, image.word.span.clone(), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::lint::testing::run_with;

    fn underlined(text: &str, trusted: &[&str]) -> Vec<String> {
        let settings = Settings {
            trusted_registries: trusted.iter().map(|name| name.to_string()).collect(),
            ..Settings::default()
        };
        run_with(&RULE, text, &settings)
            .iter()
            .map(|diagnostic| text[diagnostic.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn registries_and_wildcards() {
        let text = "FROM x.com/debian\nFROM foo.random.com/debian\nFROM random.com/debian\nFROM ubuntu\nFROM docker.io/library/ubuntu\nFROM localhost:5000/a\nFROM a.b.random.com/x\n";
        assert!(underlined(text, &[]).is_empty());
        assert_eq!(
            underlined(text, &["*.random.com"]),
            vec![
                "x.com/debian",
                "random.com/debian",
                "ubuntu",
                "docker.io/library/ubuntu",
                "localhost:5000/a"
            ]
        );
        assert_eq!(
            underlined(text, &["docker.io"]),
            vec![
                "x.com/debian",
                "foo.random.com/debian",
                "random.com/debian",
                "localhost:5000/a",
                "a.b.random.com/x"
            ]
        );
        assert!(underlined(text, &["*"]).is_empty());
        assert_eq!(
            underlined(
                text,
                &[
                    "random*",
                    "hub.docker.com",
                    "x.com",
                    "localhost:5000",
                    "a.b.*.com"
                ]
            ),
            vec!["foo.random.com/debian"]
        );
    }

    #[test]
    fn stages_scratch_and_variables() {
        let text = "ARG BASE=ghcr.io/a/b:1\nARG OPEN\nFROM random.com/foo AS builder1\nFROM builder1 AS builder2\nFROM scratch\nFROM $BASE\nFROM $OPEN\n";
        assert_eq!(underlined(text, &["random.com"]), vec!["$BASE"]);
    }
}
