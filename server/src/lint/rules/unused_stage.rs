//! UnusedStage: a stage that the final stage does not need, which BuildKit skips.

use crate::lint::layers;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, Tag};
use crate::syntax::SourceFile;
use crate::syntax::stages::{DependencyKind, Target};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "UnusedStage",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A stage the final image does not use",
    documentation: "\
## What it does
Flags a stage that the last stage does not depend on, directly or through other stages, by \
`FROM <stage>`, `COPY --from=<name or index>` or `RUN --mount=from=`.

## Why
BuildKit builds only the stages the target needs; everything else in the file is skipped, \
and only the last stage (or the `--target`) becomes the image. The classic mistake is two \
`FROM` lines expecting both images to be combined:

```dockerfile
FROM node:20 AS web
RUN npm ci && npm run build
FROM python:3.12
COPY . .
```

Here the node stage is never built. To use its files, copy them: \
`COPY --from=web /app/dist /app/static`.

Stages that are built on their own with `docker build --target NAME` are not unused: name \
them in the `targetStages` setting (or `--target-stage` on the command line). When a \
`--from` uses a variable, any stage may be the one it names, and nothing is reported.

## Fixes
**Remove stage NAME** (unsafe): deletes the stage. A stage built on its own by a script \
or CI job (`docker build --target`) that this file does not show would be lost; list such \
stages in `targetStages` instead.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /app .
FROM golang:1.22 AS lint
RUN golangci-lint run
FROM gcr.io/distroless/static
COPY --from=build /app /app
```

## Use instead
Remove the `lint` stage, or build it with `--target lint` and list it in `targetStages`.
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let stages = &source.stages.stages;
    if stages.len() < 2 {
        return;
    }
    let Some(used) = layers::used_stages(source, context.settings) else {
        return;
    };
    let last = stages.len() - 1;
    let numbered = numbered_references(source);
    for stage in stages {
        if used[stage.index] {
            continue;
        }
        let from = &source.instructions()[stage.from];
        let span = stage
            .name
            .as_ref()
            .map(|name| name.span.clone())
            .unwrap_or_else(|| from.head_span());
        let final_label = stages[last].label();
        let message = match &stage.name {
            Some(name) => format!(
                "Stage \"{}\" is never used: BuildKit skips it when it builds the final stage \"{final_label}\"; if you build it with --target, add it to targetStages",
                name.text
            ),
            None => format!(
                "This stage is discarded: only the last stage (\"{final_label}\") becomes the image and nothing copies from this one (use COPY --from to take its files)"
            ),
        };
        let diagnostic = Diagnostic::new(&RULE, span, message)
            .tag(Tag::Unnecessary)
            .fix_with(context, || removal(source, stage.index, &numbered));
        found.push(diagnostic);
    }
}

/// `COPY --from=<index>` and `RUN --mount=from=<index>` references: span, index, target.
fn numbered_references(source: &SourceFile) -> Vec<(Span, usize, usize)> {
    let mut found = Vec::new();
    for stage in &source.stages.stages {
        for dependency in &stage.dependencies {
            if dependency.kind == DependencyKind::From {
                continue;
            }
            if let (Ok(number), Target::Stage(target)) = (
                source.slice(&dependency.span).parse::<usize>(),
                &dependency.target,
            ) {
                found.push((dependency.span.clone(), number, *target));
            }
        }
    }
    found
}

/// Deletes the stage's lines and renumbers `--from=<index>` references to later stages.
fn removal(source: &SourceFile, index: usize, numbered: &[(Span, usize, usize)]) -> Option<Fix> {
    let stage = &source.stages.stages[index];
    let instructions = source.instructions();
    let from = &instructions[stage.from];
    let last = stage
        .body
        .clone()
        .last()
        .map(|at| &instructions[at])
        .unwrap_or(from);
    let mut edits = vec![Edit::delete(
        source.whole_lines(&(from.span.start..last.span.end)),
    )];
    for (span, number, target) in numbered {
        if *target > index {
            edits.push(Edit::replace(span.clone(), (number - 1).to_string()));
        }
    }
    let label = stage
        .name
        .as_ref()
        .map(|name| format!("\"{}\"", name.text))
        .unwrap_or_else(|| format!("{}", index));
    Some(Fix::new(format!("Remove stage {label}"), edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, run_with, underlined};

    #[test]
    fn stages_the_last_one_does_not_need() {
        let text = "FROM node:20 AS web\nRUN npm ci\nFROM golang AS build\nFROM build AS tools\nFROM alpine AS assets\nFROM python:3.12\nCOPY --from=tools /x /x\nRUN --mount=from=assets,target=/a true\n";
        assert_eq!(underlined(&RULE, text), vec!["web"]);
        let discarded = "FROM node:20\nRUN npm ci\nFROM python:3.12\nCOPY . .\n";
        let found = run(&RULE, discarded);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("only the last stage"));
        assert_eq!(found[0].tags, vec![Tag::Unnecessary]);
    }

    #[test]
    fn targets_single_stages_and_variables_are_quiet() {
        let text = "FROM golang AS lint\nFROM alpine\n";
        let settings = crate::lint::Settings {
            target_stages: vec!["lint".into()],
            ..crate::lint::Settings::default()
        };
        assert!(run_with(&RULE, text, &settings).is_empty());
        assert!(run(&RULE, "FROM alpine\nRUN x\n").is_empty());
        assert!(run(&RULE, "ARG FROM_STAGE=a\nFROM golang AS a\nFROM golang AS b\nFROM alpine\nARG FROM_STAGE\nCOPY --from=$OTHER /x /x\n").is_empty());
    }

    #[test]
    fn removal_renumbers_later_index_references() {
        let text = "FROM a AS unused\nRUN x\n\nFROM b\nRUN y\nFROM c\nCOPY --from=1 /y /y\n";
        let fixed = apply_fix(&RULE, text, "Remove stage \"unused\"");
        assert_eq!(fixed, "\nFROM b\nRUN y\nFROM c\nCOPY --from=0 /y /y\n");
    }
}
