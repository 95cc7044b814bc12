//! FromAsCasing: BuildKit's check that `AS` is written in the case of `FROM`.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "FromAsCasing",
    aliases: &[],
    severity: Severity::Warning,
    summary: "The 'as' keyword should match the case of the 'from' keyword",
    documentation: "\
## What it does
Flags `AS` in `FROM image AS name` when its case differs from the `FROM` keyword's: \
`FROM image as name` or `from image AS name`. A `FROM` written in mixed case (`From`) is \
left to ConsistentInstructionCasing. This is BuildKit's build check of the same name.

## Why
Both keywords are read without case; writing them alike keeps the line readable.

## Fixes
**Write AS in the case of FROM** (safe): BuildKit reads `as` and `AS` alike.

## Example
```dockerfile
FROM debian:12 as builder
```

## Use instead
```dockerfile
FROM debian:12 AS builder
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for instruction in context.froms() {
        let [_, as_word, _] = &instruction.values[..] else {
            continue;
        };
        if !as_word.text.eq_ignore_ascii_case("as") {
            continue;
        }
        let from = instruction.keyword_word.text.as_str();
        let has_lower = from.bytes().any(|byte| byte.is_ascii_lowercase());
        let has_upper = from.bytes().any(|byte| byte.is_ascii_uppercase());
        let wanted = match (has_lower, has_upper) {
            (true, false) => "as",
            (false, true) => "AS",
            _ => continue,
        };
        if as_word.text == wanted {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &RULE,
            as_word.span.clone(),
            format!(
                "'{}' and '{from}' keywords' casing do not match",
                as_word.text
            ),
        )
        .fix_with(context, || {
            (context.source.slice(&as_word.span) == as_word.text).then(|| {
                Fix::new(
                    format!("Write {wanted} in the case of {from}"),
                    vec![Edit::replace(as_word.span.clone(), wanted)],
                )
                .preferred()
                .safe()
            })
        });
        found.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn flags_as_in_the_other_case() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a as one\nfrom b AS two\nFrom c as three\nFROM d AS four\nfrom e as five\nFROM f\n"
            ),
            vec!["as", "AS"]
        );
        assert_eq!(
            run(&RULE, "from a AS b\n")[0].message,
            "'AS' and 'from' keywords' casing do not match"
        );
    }

    #[test]
    fn fixes_to_the_case_of_from() {
        assert_eq!(
            apply_fix(&RULE, "FROM a as b\n", "Write AS"),
            "FROM a AS b\n"
        );
        assert_eq!(
            apply_fix(&RULE, "from a As b\n", "Write as"),
            "from a as b\n"
        );
    }
}
