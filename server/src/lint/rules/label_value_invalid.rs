//! LabelValueInvalid: a label of the label schema holds a value of the wrong kind.

use crate::knowledge::label_values;
use crate::lint::labels;
use crate::lint::{Context, Diagnostic, LabelType, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "LabelValueInvalid",
    aliases: &["DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"],
    severity: Severity::Warning,
    summary: "A label of the label schema holds a value of the wrong kind",
    documentation: "\
## What it does
With a label schema configured (`label_schema`, hadolint's `label-schema`), flags a label \
whose value is not of the kind the schema gives it. Each finding answers to the hadolint \
code of its kind, so `# hadolint ignore=DL3055` or `--ignore DL3055` silences only hashes:

| kind | code | a value of the kind |
|---|---|---|
| `url` | DL3052 | an absolute URI by RFC 3986: a scheme, then what the grammar allows (`https://example.com/app`, `mailto:team@example.com`) |
| `rfc3339` | DL3053 | a date and time with an offset by RFC 3339's grammar (`2024-05-01T12:00:00Z`); a space for the `T` is not taken |
| `spdx` | DL3054 | an SPDX license expression of current identifiers in their exact case (`MIT`, `Apache-2.0 OR MIT`) |
| `hash` | DL3055 | a git commit hash, 40 or 7 lower-case hexadecimal digits |
| `semver` | DL3056 | a version by Semantic Versioning 2.0 (`1.2.3`, `2.0.1-rc.1+build.5`) |
| `email` | DL3058 | an address by RFC 5322 (`team@example.com`, a quoted local part, an address literal), without a display name |

The value is read as BuildKit stores it: quotes removed, variables expanded where their \
value is known (one from a build argument without a default is not judged). Empty values \
are `LabelEmpty`'s. Without a schema the rule finds nothing.

## Why
Labels are read by programs: a registry links the source URL, a scanner reads the licence, \
a release tool compares versions. A value they cannot parse is as good as missing.

## Differences from hadolint
- `spdx`: hadolint takes a single current identifier; OCI's \
`org.opencontainers.image.licenses` is defined as an SPDX expression, so expressions \
(`MIT OR Apache-2.0`, `... WITH ...`, `LicenseRef-...`) are taken here.
- `semver`: hadolint's parser lets some versions SemVer forbids through (`01.0.0`, \
`1.0.0-`); they are findings here.
- `email`: addresses with non-ASCII characters (RFC 6531) are taken here; hadolint \
rejects them.
- Values are read as BuildKit stores them (hadolint reads them as written), and `ONBUILD \
LABEL` values are checked too.

## Example
With `label_schema = { \"org.opencontainers.image.source\" = \"url\" }`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source=\"github.com/example/app\"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source=\"https://github.com/example/app\"
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The code and the name of the kind a finding reports.
fn kind_code(kind: LabelType) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        LabelType::Text => return None,
        LabelType::Url => ("DL3052", "an absolute URL"),
        LabelType::Rfc3339 => ("DL3053", "an RFC 3339 date and time"),
        LabelType::Spdx => ("DL3054", "an SPDX license expression"),
        LabelType::Hash => ("DL3055", "a git commit hash"),
        LabelType::Semver => ("DL3056", "a semantic version"),
        LabelType::Email => ("DL3058", "an e-mail address"),
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let schema = &context.settings.label_schema;
    if schema.values().all(|kind| *kind == LabelType::Text) {
        return;
    }
    for (index, instruction) in context.instructions().iter().enumerate() {
        for label in labels::labels(context, index, instruction.effective()) {
            let (Some(key), Some(value)) = (&label.key, &label.value) else {
                continue;
            };
            let Some(kind) = schema.get(key) else {
                continue;
            };
            let Some((code, described)) = kind_code(*kind) else {
                continue;
            };
            if value.is_empty() || label_values::fits(*kind, value) {
                continue;
            }
            found.push(
                Diagnostic::new(
                    &RULE,
                    label.value_span.clone(),
                    format!("Label `{key}` should be {described}, not `{value}`"),
                )
                .alias(code),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_with;
    use crate::lint::{Level, Settings};

    fn schema() -> Settings {
        let mut settings = Settings::default();
        for (key, kind) in [
            ("u", LabelType::Url),
            ("d", LabelType::Rfc3339),
            ("s", LabelType::Spdx),
            ("h", LabelType::Hash),
            ("v", LabelType::Semver),
            ("e", LabelType::Email),
            ("t", LabelType::Text),
        ] {
            settings.label_schema.insert(key.to_string(), kind);
        }
        settings
    }

    #[test]
    fn each_kind_answers_to_its_code() {
        let text = "FROM a\nLABEL u=example.com d=yesterday s=\"Apache 2.0\" h=HEAD v=v1 e=\"Jane <j@x.org>\" t=anything other=x\nLABEL u=https://example.com d=2024-05-01T12:00:00Z s=\"MIT OR Apache-2.0\" h=2dbfae9 v=1.0.0 e=j@x.org u=\"\"\n";
        let found = run_with(&RULE, text, &schema());
        let codes: Vec<(&str, &str)> = found
            .iter()
            .map(|diagnostic| (diagnostic.alias.unwrap(), &text[diagnostic.span.clone()]))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("DL3052", "example.com"),
                ("DL3053", "yesterday"),
                ("DL3054", "\"Apache 2.0\""),
                ("DL3055", "HEAD"),
                ("DL3056", "v1"),
                ("DL3058", "\"Jane <j@x.org>\""),
            ]
        );
        // One code off leaves the others.
        let mut settings = schema();
        settings.levels.insert("DL3055".into(), Level::Off);
        assert_eq!(run_with(&RULE, text, &settings).len(), 5);
    }

    #[test]
    fn values_from_variables_are_judged_when_known() {
        let text = "FROM a\nARG URL=example.com\nARG OPEN\nLABEL u=$URL\nLABEL u=$OPEN\n";
        assert_eq!(run_with(&RULE, text, &schema()).len(), 1);
    }
}
