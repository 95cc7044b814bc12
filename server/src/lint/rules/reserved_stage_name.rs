//! ReservedStageName: a stage named `scratch` or `context`.

use crate::lint::buildkit::go_quote;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::stages::RESERVED_STAGE_NAMES;

pub static RULE: Rule = Rule {
    name: "ReservedStageName",
    aliases: &["DL3063"],
    severity: Severity::Warning,
    summary: "Reserved words should not be used as stage names",
    documentation: "\
## What it does
Flags a stage named `scratch` or `context`, in any case (BuildKit stores stage names in lower \
case). This is BuildKit's build check of the same name.

## Why
`scratch` already means the empty image and `context` the build context (`--build-context`); \
a stage of that name is confusing where the name is used. BuildKit builds the file and warns.

hadolint's DL3063 is the same check, but compares the name exactly: it does not flag \
`AS Scratch`.

## Example
```dockerfile
FROM alpine AS scratch
```

## Use instead
```dockerfile
FROM alpine AS base
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for stage in &context.source.stages.stages {
        let Some(name) = &stage.name else {
            continue;
        };
        let Some(key) = RESERVED_STAGE_NAMES
            .iter()
            .find(|reserved| reserved.eq_ignore_ascii_case(&name.text))
        else {
            continue;
        };
        found.push(Diagnostic::new(
            &RULE,
            name.span.clone(),
            format!(
                "Stage name should not use the same name as reserved stage {}",
                go_quote(key)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn scratch_and_context_are_reserved() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a AS Scratch\nFROM b AS context\nFROM c AS scratchy\n"
            ),
            vec!["Scratch", "context"]
        );
    }
}
