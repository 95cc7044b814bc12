//! InvalidDefaultArgInFrom: BuildKit's check for a `FROM` whose variables, at their default
//! values, give no valid image name.

use crate::knowledge::images::ImageReference;
use crate::lint::buildkit::{expand, from_defaults};
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "InvalidDefaultArgInFrom",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Default value for global ARG results in an empty or invalid base image name",
    documentation: "\
## What it does
Flags a `FROM` image built from variables that, with no build argument given (each global \
`ARG` at its default, BuildKit's own variables at the values of a linux/amd64 build), \
expands to an empty or invalid image reference: `ARG VERSION` then `FROM alpine:$VERSION` \
gives `alpine:`. This is BuildKit's build check of the same name.

A `FROM` without variables that is not a valid reference is left to the check of image \
references (BuildKit reports it with this check too, and then fails the build).

## Why
The file builds only when every build passes the argument. A default makes `docker build .` \
work and documents the expected value.

## Example
```dockerfile
ARG VERSION
FROM alpine:$VERSION
```

## Use instead
```dockerfile
ARG VERSION=3.20
FROM alpine:$VERSION
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let mut values = None;
    // Many stages use one image text (`$REGISTRY/base:$VERSION`): each is judged once.
    let mut judged: rustc_hash::FxHashMap<&str, bool> = Default::default();
    for instruction in context.froms() {
        let Some(image) = instruction.values.first() else {
            continue;
        };
        if !image.text.contains('$') {
            continue;
        }
        if let Some(valid) = judged.get(image.text.as_str()) {
            if !valid {
                found.push(finding(image));
            }
            continue;
        }
        // Computed once, and only for a file with a FROM built from variables. A default that
        // does not expand stops the check, as in BuildKit.
        let Some(values) = values.get_or_insert_with(|| from_defaults(source)) else {
            return;
        };
        let Some(expanded) = expand(&image.text, source.file.escape, values) else {
            return;
        };
        let valid = ImageReference::parse(&expanded).is_some();
        judged.insert(&image.text, valid);
        if !valid {
            found.push(finding(image));
        }
    }
}

fn finding(image: &crate::syntax::Word) -> Diagnostic {
    Diagnostic::new(
        &RULE,
        image.span.clone(),
        format!(
            "Default value for ARG {} results in empty or invalid base image name",
            image.text
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn flags_defaults_that_give_no_image() {
        assert_eq!(
            underlined(&RULE, "ARG VERSION\nFROM busybox:$VERSION\n"),
            vec!["busybox:$VERSION"]
        );
        assert_eq!(
            run(&RULE, "ARG IMAGE\nFROM $IMAGE\n")[0].message,
            "Default value for ARG $IMAGE results in empty or invalid base image name"
        );
        assert_eq!(
            underlined(&RULE, "ARG SFX=\"box:\"\nFROM busy${SFX}\n"),
            vec!["busy${SFX}"]
        );
        for text in [
            "ARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n",
            "ARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
            "\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t",
            "FROM --platform=$BUILDPLATFORM golang:1.22-$TARGETOS AS build\n",
            "ARG BASE=build\nFROM alpine AS build\nFROM ${BASE}\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
    }
}
