//! MaintainerDeprecated: MAINTAINER is deprecated in favour of a label.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, Tag};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "MaintainerDeprecated",
    aliases: &["DL4000"],
    severity: Severity::Warning,
    summary: "MAINTAINER is deprecated",
    documentation: "\
## What it does
Flags `MAINTAINER` and offers to turn it into the `org.opencontainers.image.authors` label. \
This is BuildKit's build check of the same name; hadolint's DL4000 is the same check.

## Why
`MAINTAINER` has been deprecated since Docker 1.13. A label carries the same information, \
is read by registries and tools through the OCI annotation key, and can be inspected like \
any other label.

## Fixes
**Replace with the org.opencontainers.image.authors label** (safe): the same text as a \
`LABEL`, quoted and escaped so that BuildKit reads one key and one value with nothing \
expanded. The image then records its maintainer as that label instead of the deprecated \
Author field of the image config.

## Example
```dockerfile
FROM alpine
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
FROM alpine
LABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The value as a double-quoted LABEL value: the escape character, `\"` and `$` escaped so
/// BuildKit reads back exactly the original text.
fn quoted(value: &str, escape: char) -> String {
    let mut output = String::from("\"");
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            output.push(escape);
        }
        output.push(c);
    }
    output.push('"');
    output
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for instruction in context.instructions() {
        if instruction.keyword != Keyword::Maintainer {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            &RULE,
            instruction.keyword_word.span.clone(),
            "MAINTAINER is deprecated: use the org.opencontainers.image.authors label",
        )
        .tag(Tag::Deprecated);
        diagnostic = diagnostic.fix_with(context, || {
            let value = instruction.values.first()?;
            let label = format!(
                "LABEL org.opencontainers.image.authors={}",
                quoted(&value.text, context.source.file.escape)
            );
            Some(
                Fix::new(
                    "Replace with the org.opencontainers.image.authors label",
                    vec![Edit::replace(instruction.head_span(), label)],
                )
                .preferred()
                .safe(),
            )
        });
        found.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_and_fixes_with_the_same_value() {
        let text = "FROM a\nmaintainer \"Jane\" <j@x> $HOME \\\n  tail\nRUN x\n";
        assert_eq!(underlined(&RULE, text), vec!["maintainer"]);
        let fixed = apply_fix(&RULE, text, "Replace with");
        assert_eq!(
            fixed,
            "FROM a\nLABEL org.opencontainers.image.authors=\"\\\"Jane\\\" <j@x> \\$HOME   tail\"\nRUN x\n"
        );
        // BuildKit reads the label as one key and one value.
        let label = &SourceFile::parse(&fixed).file.instructions[1];
        assert_eq!(label.values.len(), 2);
    }

    #[test]
    fn backtick_escape_files_use_backticks() {
        let fixed = apply_fix(
            &RULE,
            "# escape=`\nFROM a\nMAINTAINER a\"b\n",
            "Replace with",
        );
        assert!(fixed.contains("authors=\"a`\"b\""), "{fixed}");
    }
}
