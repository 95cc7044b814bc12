//! LabelNotInSchema: with strict labels, a label the label schema does not list.

use crate::lint::labels;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "LabelNotInSchema",
    aliases: &["DL3050"],
    severity: Severity::Info,
    summary: "A label the strict label schema does not list",
    documentation: "\
## What it does
With strict labels configured (`strict_labels`, hadolint's `strict-labels`), flags each \
`LABEL` key the label schema does not list. Without strict labels the rule finds nothing.

## Why
A strict schema is a closed list: a label outside it is a typo of a schema label or one \
nobody agreed to publish.

## Differences from hadolint
hadolint's DL3050 reports the instruction once; this rule points at each key outside the \
schema. `ONBUILD LABEL` keys are checked too: they label the images built from this one.

## Example
With `label_schema = { \"org.opencontainers.image.source\" = \"url\" }` and \
`strict_labels = true`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source=\"https://github.com/example/app\" team=web
```

## Use instead
Add `team` to the schema, or leave the label out.
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    if !context.settings.strict_labels {
        return;
    }
    let schema = &context.settings.label_schema;
    for (index, instruction) in context.instructions().iter().enumerate() {
        for label in labels::labels(context, index, instruction.effective()) {
            let Some(key) = &label.key else {
                continue;
            };
            if schema.contains_key(key) {
                continue;
            }
            found.push(Diagnostic::new(
                &RULE,
                label.key_span.clone(),
                format!("Label `{key}` is not in the label schema"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_with;
    use crate::lint::{LabelType, Settings};

    #[test]
    fn keys_outside_a_strict_schema() {
        let text = "FROM a\nLABEL required=foo other=bar\n";
        let mut settings = Settings::default();
        settings
            .label_schema
            .insert("required".to_string(), LabelType::Text);
        assert!(run_with(&RULE, text, &settings).is_empty());
        settings.strict_labels = true;
        let found = run_with(&RULE, text, &settings);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "other");
    }
}
