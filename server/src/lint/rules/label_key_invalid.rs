//! LabelKeyInvalid: a label key that goes against Docker's advice for keys.

use crate::knowledge::label_values;
use crate::lint::labels;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "LabelKeyInvalid",
    aliases: &["DL3048"],
    severity: Severity::Hint,
    summary: "A label key goes against Docker's advice for keys",
    documentation: "\
## What it does
Flags a `LABEL` key that is not written the way Docker advises: lower-case letters, digits, \
`.` and `-` only (`_` is taken too, as hadolint does), starting with a letter, ending with a letter or a digit, without `..` or \
`--`, and outside the `com.docker.`, `io.docker.` and `org.dockerproject.` namespaces Docker \
reserves for itself. A key that names a variable that is not declared is flagged too \
(BuildKit expands it to nothing: `LABEL a$b=1` sets `a`); one whose variable has a value \
that cannot be known here is left alone.

## Why
Tools that read labels (registries, scanners, `docker inspect --format`) expect \
reverse-DNS keys such as `org.opencontainers.image.source`. Keys in other shapes work, but \
they are easy to misspell in queries, and keys in Docker's namespaces may clash with labels \
Docker sets.

## Differences from hadolint
hadolint's DL3048 (a style finding there, a hint here) checks the key as written; this rule \
checks it as BuildKit stores it, so `LABEL \"org.example.a\"=b` is fine. `ONBUILD LABEL` is \
checked too: the label reaches the images built from this one.

## Example
```dockerfile
FROM alpine:3.20
LABEL Vendor=\"Example Corp\"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.vendor=\"Example Corp\"
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let escape = context.source.file.escape;
    for (index, instruction) in context.instructions().iter().enumerate() {
        let label = instruction.effective();
        if label.keyword != Keyword::Label {
            continue;
        }
        // Keys are almost always written plainly: judge those as written, without expanding
        // anything (this runs on every keystroke); the rest as BuildKit stores them.
        let plain = label
            .values
            .chunks(2)
            .all(|pair| !pair[0].text.contains(['$', '"', '\'', escape]));
        if plain {
            for pair in label.values.chunks(2).filter(|pair| pair.len() == 2) {
                if let Some(problem) = label_values::key_problem(&pair[0].text) {
                    found.push(finding(&pair[0].span, &pair[0].text, problem));
                }
            }
            continue;
        }
        for label in labels::labels(context, index, label) {
            if label.key_uses_undeclared {
                let written = context.source.slice(&label.key_span);
                found.push(Diagnostic::new(
                    &RULE,
                    label.key_span.clone(),
                    format!(
                        "Label key `{written}` names a variable that is not declared: BuildKit drops it from the key. `$` has no place in a key"
                    ),
                ));
                continue;
            }
            let Some(key) = &label.key else {
                continue;
            };
            if let Some(problem) = label_values::key_problem(key) {
                found.push(finding(&label.key_span, key, problem));
            }
        }
    }
}

fn finding(span: &crate::text::Span, key: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(&RULE, span.clone(), format!("Label key `{key}` {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn keys_are_read_as_buildkit_stores_them() {
        let text = "FROM a\nLABEL com.docker.x=1 \"org.valid-key.label3\"=2 Vendor=3 invalid..dots=4\nONBUILD LABEL -bad=5\nARG K\nLABEL $K=6\nLABEL invalid$character=7\n";
        assert_eq!(
            underlined(&RULE, text),
            vec![
                "com.docker.x",
                "Vendor",
                "invalid..dots",
                "-bad",
                "invalid$character"
            ]
        );
    }
}
