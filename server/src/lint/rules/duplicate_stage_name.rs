//! DuplicateStageName: two stages with the same name.

use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "DuplicateStageName",
    aliases: &["DL3024"],
    severity: Severity::Error,
    summary: "Two stages have the same name",
    documentation: "\
## What it does
Flags a stage whose name (compared without case, as BuildKit does) an earlier stage already has.

## Why
BuildKit refuses the file (`duplicate stage name`): `COPY --from` and `FROM` could not tell \
the stages apart.

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
                    "Duplicate stage name \"{}\": an earlier stage has it",
                    name.text
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
