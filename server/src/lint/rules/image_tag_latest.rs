//! ImageTagLatest: `FROM image:latest` names a tag that moves.

use crate::knowledge::catalog;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ImageTagLatest",
    aliases: &["DL3007"],
    severity: Severity::Warning,
    summary: "A FROM image uses the latest tag",
    documentation: "\
## What it does
Flags a `FROM` image tagged `latest` (or `latest-...`) without a digest. An image pinned by \
digest (`image:latest@sha256:...`) is exact and is not reported; an image that comes from an \
`ARG` default is checked as the default reads.

For a distribution's own image it offers the release the catalog knows as current.

## Why
`latest` is not the newest release: it is whatever the publisher last pointed it at, and it \
moves. Builds stop being reproducible, and a major upgrade of the base arrives unannounced.

## Fixes
**Pin to IMAGE:TAG** (unsafe): the newest tag the catalog knows. That is not \
necessarily the image `latest` gives today: the build may change.

## Example
```dockerfile
FROM ubuntu:latest
```

## Use instead
```dockerfile
FROM ubuntu:26.04
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let today = context.today;
    for image in context.written_images() {
        let (word, written, reference, info) =
            (image.word, image.written, image.reference, image.info);
        if reference.digest.is_some() {
            continue;
        }
        let Some(tag) = &reference.tag else {
            continue;
        };
        if tag != "latest" && !tag.starts_with("latest-") {
            continue;
        }
        let mut message = format!(
            "`{}` moves with every release of the image: pin a version",
            reference.familiar()
        );
        if image.uses_variables() {
            message.push_str(&format!(
                " (`{}` reads as `{}`)",
                word.text,
                reference.familiar()
            ));
        }
        // The tag is only rewritten where the word is written as it reads.
        let pin = || {
            if written != word.text
                || written.contains(['$', '"', '\'', '\\', '`'])
                || tag != "latest"
            {
                return None;
            }
            let info = info?;
            let (pinned, release) = catalog::suggested_tag(reference, info, today)?;
            let (Some(range), Some(distro)) = (&reference.tag_range, info.distro) else {
                return None;
            };
            let span = word.span.start + range.start..word.span.start + range.end;
            Some(
                Fix::new(
                    format!(
                        "Pin to {}:{pinned} ({} {}, the newest release in the catalog)",
                        reference.familiar_name(),
                        distro.name,
                        release.label()
                    ),
                    vec![Edit::replace(span, pinned)],
                )
                .preferred(),
            )
        };
        found.push(Diagnostic::new(&RULE, word.span.clone(), message).fix_with(context, pin));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn latest_tags_are_flagged_unless_pinned_by_digest() {
        let text = "FROM ubuntu:latest AS base\nFROM base\nFROM node:latest-alpine\nFROM alpine:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM alpine\nFROM alpine:3.20\n";
        assert_eq!(
            underlined(&RULE, text),
            vec!["ubuntu:latest", "node:latest-alpine"]
        );
    }

    #[test]
    fn variables_and_fixes() {
        let found = run(&RULE, "ARG TAG=latest\nFROM alpine:$TAG\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("reads as `alpine:latest`"),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
        let fixed = apply_fix(&RULE, "FROM ubuntu:latest\n", "Pin to ubuntu:26.04");
        assert_eq!(fixed, "FROM ubuntu:26.04\n");
        let fixed = apply_fix(
            &RULE,
            "FROM docker.io/library/debian:latest\n",
            "Pin to debian:trixie",
        );
        assert_eq!(fixed, "FROM docker.io/library/debian:trixie\n");
        assert!(run(&RULE, "FROM node:latest\n")[0].fixes.is_empty());
    }
}
