//! StageNameCasing: BuildKit's check that stage names are lower case.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::stages::Target;
use crate::syntax::{SourceFile, Stage};

pub static RULE: Rule = Rule {
    name: "StageNameCasing",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Stage names should be lowercase",
    documentation: "\
## What it does
Flags a stage name (`FROM image AS Name`) with upper-case letters. This is BuildKit's build \
check of the same name (`docker build --check`).

## Why
BuildKit compares stage names without case and stores them in lower case: `COPY --from=Build`, \
`FROM build` and `--target BUILD` all name the stage `Build`. Writing a name in one case \
everywhere avoids the impression that `Build` and `build` are different stages.

## Fixes
**Lowercase the stage name and its references** (safe): the name after `AS`, and every \
`FROM`, `COPY --from=` and `RUN --mount=from=` that names the stage as written (a reference \
built from variables is left as it is). BuildKit finds stages without case, so the build is \
the same, `--target` included.

## Example
```dockerfile
FROM golang:1.22 AS Builder
RUN go build -o /app .
FROM scratch
COPY --from=Builder /app /app
```

## Use instead
```dockerfile
FROM golang:1.22 AS builder
RUN go build -o /app .
FROM scratch
COPY --from=builder /app /app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for stage in &source.stages.stages {
        let Some(name) = &stage.name else {
            continue;
        };
        // Most names are lower case already: nothing to allocate for them.
        if name.text.is_ascii() && !name.text.bytes().any(|byte| byte.is_ascii_uppercase()) {
            continue;
        }
        let lower = name.text.to_lowercase();
        if name.text == lower {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &RULE,
            name.span.clone(),
            format!("Stage name '{}' should be lowercase", name.text),
        )
        .fix_with(context, || lowercase_fix(source, stage, &lower));
        found.push(diagnostic);
    }
}

/// Lowercases the name and every reference to the stage that is written as a plain name.
fn lowercase_fix(source: &SourceFile, stage: &Stage, lower: &str) -> Option<Fix> {
    let name = stage.name.as_ref()?;
    let mut edits = Vec::new();
    if source.slice(&name.span) == name.text {
        edits.push(Edit::replace(name.span.clone(), lower));
    }
    for other in &source.stages.stages {
        for dependency in &other.dependencies {
            if dependency.target != Target::Stage(stage.index) {
                continue;
            }
            let written = source.slice(&dependency.span);
            if written.eq_ignore_ascii_case(lower) && written != lower {
                edits.push(Edit::replace(dependency.span.clone(), lower));
            }
        }
    }
    (!edits.is_empty()).then(|| {
        Fix::new("Lowercase the stage name and its references", edits)
            .preferred()
            .safe()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_names_with_capitals() {
        assert_eq!(
            underlined(&RULE, "FROM a AS BadName\nFROM b AS good-name\nFROM c\n"),
            vec!["BadName"]
        );
    }

    #[test]
    fn the_fix_lowercases_every_plain_reference() {
        let text = "FROM a AS Build\nRUN x\nFROM Build AS next\nCOPY --from=BUILD /a /b\nRUN --mount=type=bind,from=Build,target=/x true\nONBUILD COPY --from=Build /c /d\nCOPY --from=${STAGE:-Build} /e /f\n";
        let fixed = apply_fix(&RULE, text, "Lowercase");
        assert_eq!(
            fixed,
            "FROM a AS build\nRUN x\nFROM build AS next\nCOPY --from=build /a /b\nRUN --mount=type=bind,from=build,target=/x true\nONBUILD COPY --from=build /c /d\nCOPY --from=${STAGE:-Build} /e /f\n"
        );
        // Every reference written as a name still names the first stage.
        let source = SourceFile::parse(&fixed);
        let stages = &source.stages.stages;
        assert_eq!(stages[1].base, crate::syntax::Base::Stage(0));
        let targets: Vec<&Target> = stages[1]
            .dependencies
            .iter()
            .map(|dependency| &dependency.target)
            .collect();
        assert_eq!(targets.len(), 5);
        assert!(
            targets[..4]
                .iter()
                .all(|target| **target == Target::Stage(0))
        );
    }
}
