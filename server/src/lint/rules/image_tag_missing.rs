//! ImageTagMissing: `FROM image` without a tag or digest builds on whatever `latest` is that
//! day.

use crate::knowledge::catalog::{self, ImageInfo};
use crate::knowledge::distros::{Date, Family};
use crate::knowledge::images::ImageReference;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ImageTagMissing",
    aliases: &["DL3006"],
    severity: Severity::Warning,
    summary: "A FROM image has neither a tag nor a digest",
    documentation: "\
## What it does
Flags a `FROM` image with neither a tag nor a digest. Stage names, `scratch` and variables \
without a default are left alone; an image that comes from an `ARG` default is checked as \
the default reads.

For a distribution's own image (`alpine`, `debian`, `ubuntu`, ...) it offers to pin the \
release the catalog knows as current.

## Why
Without a tag Docker pulls `latest`, which moves: the same Dockerfile builds a different \
image next month, and a new major release of the base can break the build or the \
application without any change in the repository. Windows images have no `latest` at all, \
so the pull fails.

## Fixes
**Pin to IMAGE:TAG** (unsafe): the newest tag the catalog knows. That is not \
necessarily the image `latest` gives today: the build may change.

## Example
```dockerfile
FROM alpine
```

## Use instead
```dockerfile
FROM alpine:3.24
```
or pin the exact image with a digest: `FROM alpine:3.24@sha256:...`.
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
        if reference.tag.is_some() || reference.digest.is_some() {
            continue;
        }
        let name = reference.familiar_name();
        let windows = info
            .and_then(|info| info.distro)
            .is_some_and(|distro| distro.family == Family::Windows);
        let mut message = if windows {
            format!(
                "`{name}` has no tag, and Windows images have no `latest`: the pull fails. Name the release that matches the host, such as `{name}:ltsc2022`"
            )
        } else {
            format!(
                "`{name}` has no tag: the build uses whatever `latest` is that day. Pin a version"
            )
        };
        if written != reference.familiar_name() && image.uses_variables() {
            message.push_str(&format!(" (`{}` reads as `{name}`)", word.text));
        }
        let diagnostic = Diagnostic::new(&RULE, word.span.clone(), message)
            .fix_with(context, || {
                pin_fix(reference, info, written, word.span.end, today)
            });
        found.push(diagnostic);
    }
}

/// `alpine` → `alpine:3.24`, when the word is written without variables.
fn pin_fix(
    reference: &ImageReference,
    info: Option<&ImageInfo>,
    written: &str,
    end: usize,
    today: Date,
) -> Option<Fix> {
    if written.contains('$') {
        return None;
    }
    let (tag, release) = catalog::suggested_tag(reference, info?, today)?;
    let distro = info?.distro?;
    Some(
        Fix::new(
            format!(
                "Pin to {}:{tag} ({} {}, the newest release in the catalog)",
                written,
                distro.name,
                release.label()
            ),
            vec![Edit::insert(end, format!(":{tag}"))],
        )
        .preferred(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn untagged_images_are_flagged() {
        let text = "FROM alpine AS base\nFROM base\nFROM scratch\nFROM ubuntu:24.04\nFROM --platform=$BUILDPLATFORM golang\nFROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
        assert_eq!(underlined(&RULE, text), vec!["alpine", "golang"]);
    }

    #[test]
    fn variables_are_read_through_their_defaults() {
        let text = "ARG BASE=debian\nARG TAGGED=debian:12\nARG OPEN\nFROM $BASE\nFROM $TAGGED\nFROM $OPEN\nFROM ${OPEN}/app\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("`$BASE` reads as `debian`"),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
    }

    #[test]
    fn distribution_images_get_a_pin() {
        let fixed = apply_fix(&RULE, "FROM alpine\nRUN true\n", "Pin to alpine:3.24");
        assert_eq!(fixed, "FROM alpine:3.24\nRUN true\n");
        let fixed = apply_fix(&RULE, "FROM debian AS x\n", "Pin to debian:trixie");
        assert_eq!(fixed, "FROM debian:trixie AS x\n");
        // A language image's versions are not in the catalog: no fix.
        assert!(run(&RULE, "FROM python\n")[0].fixes.is_empty());
    }

    #[test]
    fn windows_images_have_no_latest() {
        let found = run(&RULE, "FROM mcr.microsoft.com/windows/servercore\n");
        assert!(
            found[0].message.contains("the pull fails"),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
    }
}
