//! LabelEmpty: a label of the label schema is set to nothing.

use crate::lint::labels;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "LabelEmpty",
    aliases: &["DL3051"],
    severity: Severity::Warning,
    summary: "A label of the label schema is empty",
    documentation: "\
## What it does
With a label schema configured (`label_schema`, hadolint's `label-schema`), flags a label \
of the schema set to an empty value, as BuildKit stores it (`LABEL a=\"\"`, or a variable \
known to be empty). Without a schema the rule finds nothing.

## Why
An empty label satisfies a check that the label exists and tells the reader nothing. It \
usually comes from a build argument nobody passed.

## Differences from hadolint
hadolint's DL3051 reads the value as written; this rule reads it as BuildKit stores it, \
variables expanded where their value is known (a value from a build argument without a \
default is not judged).

## Example
With `label_schema = { \"org.opencontainers.image.revision\" = \"hash\" }`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.revision=\"\"
```

## Use instead
```dockerfile
FROM alpine:3.20
ARG REVISION
LABEL org.opencontainers.image.revision=\"$REVISION\"
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
    for (index, instruction) in context.instructions().iter().enumerate() {
        for label in labels::labels(context, index, instruction.effective()) {
            let (Some(key), Some(value)) = (&label.key, &label.value) else {
                continue;
            };
            if !value.is_empty() || !schema.contains_key(key) {
                continue;
            }
            let span = if label.value_span.is_empty() {
                label.key_span.clone()
            } else {
                label.value_span.clone()
            };
            found.push(Diagnostic::new(
                &RULE,
                span,
                format!("Label `{key}` of the label schema is empty"),
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
    fn empty_schema_labels() {
        let mut settings = Settings::default();
        settings
            .label_schema
            .insert("emptylabel".to_string(), LabelType::Text);
        let text = "FROM a\nARG E=\nARG OPEN\nLABEL emptylabel=\"\" other=\"\"\nLABEL emptylabel=$E\nLABEL emptylabel=$OPEN\nLABEL emptylabel=foo\nLABEL emptylabel=\n";
        let underlined: Vec<&str> = run_with(&RULE, text, &settings)
            .iter()
            .map(|diagnostic| &text[diagnostic.span.clone()])
            .collect();
        assert_eq!(underlined, vec!["\"\"", "$E", "emptylabel"]);
    }
}
