//! RedundantTargetPlatform: BuildKit's check for `FROM --platform=$TARGETPLATFORM`.

use crate::lint::buildkit::{FROM_ARGS, expand, from_defaults, word_references};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, Tag};
use crate::syntax::{Flag, Keyword, SourceFile};

pub static RULE: Rule = Rule {
    name: "RedundantTargetPlatform",
    aliases: &["DL3065"],
    severity: Severity::Warning,
    summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    documentation: "\
## What it does
Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`, or any value that expands \
to it and uses no other variable). This is BuildKit's build check of the same name.

hadolint's DL3065 is the same check on the text: exactly `$TARGETPLATFORM` or \
`${TARGETPLATFORM}`.

## Why
A stage is built for the target platform unless `--platform` says otherwise, so the flag \
says nothing; `--platform=$BUILDPLATFORM` is the value that changes something (build tools \
that run on the build machine).

## Fixes
**Remove the --platform flag** (safe): BuildKit builds the stage for the target platform \
without it. The one difference is where the build failed anyway: without the flag, an \
implicit target platform that the base image does not offer may be replaced by one it does. \
Unsafe where the build may give `TARGETPLATFORM` a value of its own (a global \
`ARG TARGETPLATFORM=...`, which BuildKit lets replace the predefined one, or a compose or \
bake build argument): there the flag pins the stage to that value.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine
```

## Use instead
```dockerfile
FROM alpine
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let mut defaults: Option<Option<Vec<(String, String)>>> = None;
    for instruction in context.froms() {
        for flag in instruction.flags_named("platform") {
            let (Some(value), Some(span)) = (&flag.value, &flag.value_span) else {
                continue;
            };
            let references = word_references(source, value, span);
            if references.is_empty() || references.iter().any(|(name, _)| name != "TARGETPLATFORM")
            {
                continue;
            }
            let Some(values) = defaults.get_or_insert_with(|| from_defaults(source)) else {
                return;
            };
            let target = values
                .iter()
                .find(|(name, _)| name == "TARGETPLATFORM")
                .map(|(_, value)| value.as_str())
                .unwrap_or(FROM_ARGS[5].1);
            if expand(value, source.file.escape, values).as_deref() != Some(target) {
                continue;
            }
            found.push(
                Diagnostic::new(
                    &RULE,
                    flag.span.clone(),
                    format!("Setting platform to predefined {value} in FROM is redundant as this is the default behavior"),
                )
                .tag(Tag::Unnecessary)
                .fix_with(context, || {
                    let fix = remove_flag(source, flag);
                    Some(if target_platform_set(context) { fix } else { fix.safe() })
                }),
            );
        }
    }
}

/// Whether the build may give `TARGETPLATFORM` another value than the platform it builds
/// for: a global `ARG TARGETPLATFORM=...` default (BuildKit lets it replace the predefined
/// one) or a compose or bake build argument. Then the flag pins the stage to that value, and
/// removing it lets the stage follow the real target.
fn target_platform_set(context: &Context) -> bool {
    let source = context.source;
    let first_from = source.stages.stages.first().map_or(0, |stage| stage.from);
    let declared = source.instructions()[..first_from]
        .iter()
        .filter(|instruction| instruction.keyword == Keyword::Arg)
        .flat_map(|instruction| instruction.values.iter())
        .any(|word| word.text.starts_with("TARGETPLATFORM="));
    declared
        || context
            .build()
            .is_some_and(|build| build.argument_value("TARGETPLATFORM").is_some())
}

/// Removes the flag and the whitespace after it.
fn remove_flag(source: &SourceFile, flag: &Flag) -> Fix {
    let rest = &source.text[flag.span.end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Fix::new(
        "Remove the --platform flag",
        vec![Edit::delete(flag.span.start..flag.span.end + spaces)],
    )
    .preferred()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn the_fix_is_unsafe_where_a_global_arg_sets_the_target_platform() {
        let found = run(
            &RULE,
            "FROM --platform=$TARGETPLATFORM alpine:3.20\nRUN true\n",
        );
        assert!(found[0].fixes[0].safe);
        let found = run(
            &RULE,
            "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine:3.20\nRUN true\n",
        );
        assert_eq!(found.len(), 1);
        assert!(!found[0].fixes[0].safe);
    }

    #[test]
    fn flags_the_target_platform_alone() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM --platform=$TARGETPLATFORM scratch\nFROM --platform=${TARGETPLATFORM} scratch\n"
            ),
            vec!["--platform=$TARGETPLATFORM", "--platform=${TARGETPLATFORM}"]
        );
        assert_eq!(
            run(&RULE, "FROM --platform=${TARGETPLATFORM} scratch\n")[0].message,
            "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior"
        );
        for text in [
            "FROM --platform=$BUILDPLATFORM a\n",
            "FROM --platform=$TARGETOS/$TARGETARCH a\n",
            "FROM --platform=linux/amd64 a\n",
            "FROM --platform=$TARGETPLATFORM/x a\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn removes_the_flag() {
        assert_eq!(
            apply_fix(
                &RULE,
                "FROM --platform=$TARGETPLATFORM  alpine AS a\n",
                "Remove"
            ),
            "FROM alpine AS a\n"
        );
    }
}
