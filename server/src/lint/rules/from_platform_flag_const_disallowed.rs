//! FromPlatformFlagConstDisallowed: BuildKit's check for `FROM --platform=linux/amd64`.

use crate::lint::buildkit::go_quote;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::stages::stage_name;

pub static RULE: Rule = Rule {
    name: "FromPlatformFlagConstDisallowed",
    aliases: &["DL3029"],
    severity: Severity::Warning,
    summary: "FROM --platform flag should not use a constant value",
    documentation: "\
## What it does
Flags `FROM --platform=` with a fixed platform (`linux/amd64`) instead of a variable. This is \
BuildKit's build check of the same name: like BuildKit it stays silent when the stage's name \
contains the platform's operating system or architecture (`AS build-amd64`), where pinning \
the platform is the stage's purpose, and for a value BuildKit could not read as a platform.

hadolint's DL3029 flags every `--platform`, variables included (`$BUILDPLATFORM`, which is \
the recommended use); we follow BuildKit.

## Why
A fixed platform builds the stage for that platform whatever `docker build --platform` asks \
for: on another architecture the stage runs emulated, or a multi-platform build ships the \
wrong binaries. `--platform=$BUILDPLATFORM` (tools that run during the build) or \
`$TARGETPLATFORM` say what is meant.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.22 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for instruction in context.froms() {
        if instruction.flag("platform").is_none() {
            continue;
        }
        let stage = stage_name(instruction)
            .map(|name| name.text.to_lowercase())
            .unwrap_or_default();
        for flag in instruction.flags_named("platform") {
            let Some(value) = &flag.value else {
                continue;
            };
            if !crate::syntax::expand::references(value, context.source.file.escape).is_empty() {
                continue;
            }
            let Some(platform) = crate::knowledge::platforms::parse(value) else {
                continue;
            };
            if stage.contains(&platform.os) || stage.contains(&platform.architecture) {
                continue;
            }
            let span = flag.value_span.clone().unwrap_or_else(|| flag.span.clone());
            found.push(Diagnostic::new(
                &RULE,
                span,
                format!(
                    "FROM --platform flag should not use constant value {}",
                    go_quote(value)
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
    fn flags_fixed_platforms_the_stage_name_does_not_explain() {
        assert_eq!(
            underlined(&RULE, "FROM --platform=linux/amd64 scratch\n"),
            vec!["linux/amd64"]
        );
        assert_eq!(
            run(&RULE, "FROM --platform=linux/amd64 scratch\n")[0].message,
            "FROM --platform flag should not use constant value \"linux/amd64\""
        );
        for text in [
            "FROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
            "FROM --platform=linux/amd64 scratch AS linux\n",
            "FROM --platform=$BUILDPLATFORM scratch\n",
            "FROM --platform=nonsense scratch\n",
            "FROM scratch\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        // The normalised architecture counts: x86_64 is amd64.
        assert!(run(&RULE, "FROM --platform=linux/x86_64 a AS build-amd64\n").is_empty());
    }
}
