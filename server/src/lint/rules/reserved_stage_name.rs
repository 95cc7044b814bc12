//! ReservedStageName: a stage named `scratch` or `context`.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::stages::RESERVED_STAGE_NAMES;

pub static RULE: Rule = Rule {
    name: "ReservedStageName",
    aliases: &[],
    severity: Severity::Error,
    summary: "A stage uses a reserved name",
    documentation: "\
## What it does
Flags a stage named `scratch` or `context`.

## Why
`scratch` already means the empty image and `context` the build context; BuildKit refuses \
these names for stages.

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
        let key = name.text.to_lowercase();
        if RESERVED_STAGE_NAMES.contains(&key.as_str()) {
            found.push(Diagnostic::new(
                &RULE,
                name.span.clone(),
                format!("\"{}\" is reserved and cannot name a stage", name.text),
            ));
        }
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
