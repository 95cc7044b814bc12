//! LabelMissing: an image lacks a label the configured label schema requires.

use crate::lint::labels;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Base, Target};

pub static RULE: Rule = Rule {
    name: "LabelMissing",
    aliases: &["DL3049"],
    severity: Severity::Info,
    summary: "An image lacks a label the label schema requires",
    documentation: "\
## What it does
With a label schema configured (`label_schema`, hadolint's `label-schema`), flags each stage \
that ends without one of the schema's labels. A stage has a label when one of its own \
`LABEL`s sets it or the stage it is built on (`FROM <stage>`) has it. Stages that other \
stages build on or copy from (`FROM <stage>`, `COPY --from`, `RUN --mount=from=`) are \
intermediate steps and are not flagged: the stages built from them are. Without a schema \
the rule finds nothing.

## Why
A schema says what every image a team publishes must carry (a source URL, a revision, a \
licence). An image that goes out without them cannot be traced back by the tools that read \
them.

## Differences from hadolint
hadolint's DL3049 keeps the stages a later stage copies from out of it too, but flags a \
stage that a later stage builds on unless that one happens to set the label without an \
`AS` name; here any stage another builds on is left to the stages built from it. An \
`ONBUILD LABEL` labels the images built from this one, not this one, in both.

## Example
With `label_schema = { \"org.opencontainers.image.source\" = \"url\" }`:
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source=\"https://github.com/example/app\"
RUN apk add --no-cache curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let schema = &context.settings.label_schema;
    if schema.is_empty() {
        return;
    }
    let stages = &context.source.stages.stages;
    let instructions = context.instructions();
    // Which stages another stage builds on or reads from.
    let mut used = vec![false; stages.len()];
    for stage in stages {
        for dependency in &stage.dependencies {
            if let Target::Stage(target) = dependency.target
                && target != stage.index
            {
                used[target] = true;
            }
        }
    }
    // The labels each stage ends with: its own and those of the stage it is built on.
    let mut set: Vec<Vec<&str>> = Vec::with_capacity(stages.len());
    for stage in stages {
        let mut keys: Vec<&str> = match stage.base {
            Base::Stage(parent) => set.get(parent).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        for index in stage.body.clone() {
            for label in labels::labels(context, index, &instructions[index]) {
                if let Some((key, _)) = label
                    .key
                    .as_deref()
                    .and_then(|key| schema.get_key_value(key))
                    && !keys.contains(&key.as_str())
                {
                    keys.push(key);
                }
            }
        }
        set.push(keys);
    }
    for stage in stages {
        if used[stage.index] {
            continue;
        }
        let span = stage
            .image
            .as_ref()
            .map(|image| image.span.clone())
            .unwrap_or_else(|| instructions[stage.from].keyword_word.span.clone());
        for key in schema.keys() {
            if set[stage.index].contains(&key.as_str()) {
                continue;
            }
            found.push(Diagnostic::new(
                &RULE,
                span.clone(),
                format!(
                    "The image of stage `{}` has no label `{key}`, which the label schema requires",
                    stage.label()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_with;
    use crate::lint::{LabelType, Settings};

    fn underlined(text: &str) -> Vec<String> {
        let mut settings = Settings::default();
        settings
            .label_schema
            .insert("foo".to_string(), LabelType::Text);
        run_with(&RULE, text, &settings)
            .iter()
            .map(|diagnostic| text[diagnostic.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn stages_that_end_without_the_label() {
        assert_eq!(underlined("FROM baseimage\n"), vec!["baseimage"]);
        assert_eq!(
            underlined("FROM one\nLABEL bar=x\nFROM two\n"),
            vec!["one", "two"]
        );
        assert!(underlined("FROM one\nLABEL foo=x\n").is_empty());
        // Inherited from the stage it is built on.
        assert!(underlined("FROM a AS base\nLABEL foo=x\nFROM base\n").is_empty());
        // A stage others build on or copy from is an intermediate step.
        assert!(underlined("FROM a AS base\nFROM base\nLABEL foo=x\n").is_empty());
        assert!(
            underlined("FROM a AS build\nFROM b\nCOPY --from=build /x /x\nLABEL foo=x\n")
                .is_empty()
        );
        assert_eq!(
            underlined("FROM a AS build\nFROM b\nLABEL foo=x\n"),
            vec!["a"]
        );
        // ONBUILD LABEL labels the images built from this one.
        assert_eq!(underlined("FROM a\nONBUILD LABEL foo=x\n"), vec!["a"]);
    }

    #[test]
    fn nothing_without_a_schema() {
        assert!(crate::lint::testing::run(&RULE, "FROM a\n").is_empty());
    }
}
