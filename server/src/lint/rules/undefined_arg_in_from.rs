//! UndefinedArgInFrom: BuildKit's check for a `FROM` that uses a variable no global `ARG`
//! declares.

use crate::lint::buildkit::{FROM_ARGS, suggest, word_references};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Keyword, SourceFile};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "UndefinedArgInFrom",
    aliases: &[],
    severity: Severity::Warning,
    summary: "FROM command must use declared ARGs",
    documentation: "\
## What it does
Flags a variable in a `FROM` line (the image or `--platform`) that no `ARG` before the first \
`FROM` declares and that BuildKit does not define itself (`BUILDPLATFORM`, `TARGETPLATFORM`, \
`TARGETOS`, `TARGETARCH`, `TARGETVARIANT`, `TARGETSTAGE`, their `BUILD` forms and the \
`*OSVERSION` ones), with BuildKit's suggestion of the nearest declared name. This is \
BuildKit's build check of the same name; it looks at every stage.

## Why
An undeclared variable expands to nothing: `FROM alpine:$VERSON` becomes `FROM alpine:`, and \
`FROM --platform=$BULIDPLATFORM` an empty platform, which fails the build. Only global `ARG`s \
(before the first `FROM`) are visible in `FROM` lines; an `ARG` inside a stage is not.

## Fixes
**Use NAME** (unsafe): renames the variable to the suggested one. Whether that is the \
variable meant is for the author to say.

## Example
```dockerfile
ARG VERSION=3.20
FROM alpine:${VERSON}
```

## Use instead
```dockerfile
ARG VERSION=3.20
FROM alpine:${VERSION}
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let global = global_names(source);
    let defined =
        |name: &str| global.contains(&name) || FROM_ARGS.iter().any(|(known, _)| *known == name);
    let mut all_declared: rustc_hash::FxHashMap<&str, bool> = Default::default();
    for instruction in context.froms() {
        let mut words: Vec<(&str, &Span)> = Vec::new();
        if let Some(image) = instruction.values.first() {
            words.push((&image.text, &image.span));
        }
        for flag in instruction.flags_named("platform") {
            if let (Some(value), Some(span)) = (&flag.value, &flag.value_span) {
                words.push((value, span));
            }
        }
        for (text, span) in words {
            if !text.contains('$') {
                continue;
            }
            // Many stages use one text (`$REGISTRY/base`): whether it names an undeclared
            // variable is worked out once.
            let clean = *all_declared.entry(text).or_insert_with(|| {
                crate::syntax::expand::references(text, source.file.escape)
                    .iter()
                    .all(|reference| defined(&reference.name))
            });
            if clean {
                continue;
            }
            let mut seen: Vec<String> = Vec::new();
            for (name, at) in word_references(source, text, span) {
                if defined(&name) || seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                let options = global
                    .iter()
                    .copied()
                    .chain(FROM_ARGS.iter().map(|(known, _)| *known));
                let suggestion = suggest(&name, options);
                found.push(finding(context, &name, at, suggestion));
            }
        }
    }
}

/// The names the `ARG`s before the first `FROM` declare, in order.
fn global_names(source: &SourceFile) -> Vec<&str> {
    source.instructions()[source.stages.preamble.clone()]
        .iter()
        .filter(|instruction| instruction.keyword == Keyword::Arg)
        .flat_map(|instruction| instruction.values.iter())
        .map(|word| word.text.split('=').next().unwrap_or_default())
        .collect()
}

fn finding(context: &Context, name: &str, at: Span, suggestion: Option<&str>) -> Diagnostic {
    let mut message = format!("FROM argument '{name}' is not declared");
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(" (did you mean {suggestion}?)"));
    }
    super::undefined_var::with_rename(
        Diagnostic::new(&RULE, at, message),
        context,
        name,
        suggestion,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn flags_undeclared_variables_with_buildkits_suggestion() {
        let found = run(
            &RULE,
            "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"
        );
        let found = run(
            &RULE,
            "ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n",
        );
        assert_eq!(
            found[0].message,
            "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)"
        );
        assert_eq!(
            underlined(
                &RULE,
                "ARG tag=latest\nFROM busybox:${tag}${version} AS b\n"
            ),
            vec!["version"]
        );
        assert_eq!(
            run(
                &RULE,
                "ARG tag=latest\nFROM busybox:${tag}${version} AS b\n"
            )[0]
            .message,
            "FROM argument 'version' is not declared"
        );
    }

    #[test]
    fn declared_and_predefined_variables_are_fine() {
        for text in [
            "ARG base=scratch\nFROM $base\n",
            "ARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n",
            "FROM --platform=$BUILDPLATFORM scratch\n",
            "ARG DEBUG\nFROM scratch${DEBUG}\n",
            "ARG DEBUG\nFROM scra${DEBUG:-tch}\n",
            "FROM --platform=$TARGETOS/$TARGETARCH alpine\n",
            "FROM alpine AS a\nARG LATER\nFROM b\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        // An ARG inside a stage is not visible in FROM lines.
        assert_eq!(underlined(&RULE, "FROM a\nARG V=1\nFROM b:$V\n"), vec!["V"]);
    }

    #[test]
    fn renames_to_the_suggestion() {
        assert_eq!(
            apply_fix(
                &RULE,
                "ARG VERSION=3.20\nFROM alpine:${VERSON}\n",
                "Use VERSION"
            ),
            "ARG VERSION=3.20\nFROM alpine:${VERSION}\n"
        );
    }
}
