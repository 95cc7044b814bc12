//! DuplicateStageName: two stages with the same name.

use crate::lint::buildkit::go_quote;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "DuplicateStageName",
    aliases: &["DL3024"],
    severity: Severity::Warning,
    summary: "Stage names should be unique",
    documentation: "\
## What it does
Flags a stage whose name (compared without case, as BuildKit does) an earlier stage already \
has. This is BuildKit's build check of the same name.

## Why
`COPY --from`, `FROM` and `--target` cannot tell the stages apart: BuildKit builds the file \
(it warns) and picks one of them for the name, which a reader cannot tell from the file.

Older Dockerfile frontends refused the file; current BuildKit warns, so this is a warning. \
hadolint's DL3024 is the same check, but compares names exactly: to it `AS Build` and \
`AS build` are two names.

## Example
```dockerfile
FROM golang AS build
FROM node AS build
```

## Use instead
```dockerfile
FROM golang AS build-api
FROM node AS build-web
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let stages = &context.source.stages.stages;
    // The first stage with each name.
    let mut firsts: rustc_hash::FxHashMap<&str, &crate::syntax::Stage> = Default::default();
    for stage in stages {
        let (Some(name), Some(key)) = (&stage.name, &stage.key) else {
            continue;
        };
        let first = *firsts.entry(key.as_str()).or_insert(stage);
        if std::ptr::eq(first, stage) {
            continue;
        }
        let first_name = first
            .name
            .as_ref()
            .map(|name| name.span.clone())
            .unwrap_or_default();
        found.push(
            Diagnostic::new(
                &RULE,
                name.span.clone(),
                format!(
                    "Duplicate stage name {}: stage names should be unique",
                    go_quote(key)
                ),
            )
            .related(first_name, "first defined here"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn names_compare_without_case() {
        assert_eq!(
            underlined(&RULE, "FROM a AS build\nFROM b AS Build\nFROM c AS other\n"),
            vec!["Build"]
        );
        assert!(underlined(&RULE, "FROM a AS one\nFROM b AS two\n").is_empty());
    }
}
