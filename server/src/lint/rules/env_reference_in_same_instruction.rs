//! EnvReferenceInSameInstruction: `ENV A=1 B=$A`: `B` gets the value `A` had before the
//! instruction, not `1`.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::expand;
use crate::syntax::{Keyword, Word};

pub static RULE: Rule = Rule {
    name: "EnvReferenceInSameInstruction",
    aliases: &["DL3044"],
    severity: Severity::Warning,
    summary: "ENV uses a variable the same ENV sets",
    documentation: "\
## What it does
Flags a reference in an `ENV` value to a variable the same `ENV` sets in another pair: \
`ENV A=1 B=$A`. BuildKit expands every value of an `ENV` with the variables as they were \
before the instruction, so `B` gets the old `A` (empty if there was none), not `1`. A \
variable referring to itself (`ENV PATH=/opt/bin:$PATH`) means its old value and is fine; a \
reference to a variable set later in the same `ENV` is flagged only when the variable had \
no value before it.

## Why
Reading the line left to right suggests `B` is `1`; the image says otherwise, and nothing \
fails until the program that reads `B` does.

## Differences from hadolint
hadolint's DL3044 is an error; the Dockerfile builds, so here it is a warning. hadolint \
skips a variable that an earlier `ARG` or `ENV` declared; here `ENV A=2 B=$A` after \
`ENV A=1` is still flagged, because `B` becomes `1`, not `2`. References are found with \
BuildKit's own lexer (not in single quotes, not escaped).

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
```

## Use instead
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/opt/app
ENV APP_BIN=$APP_HOME/bin
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let escape = context.source.file.escape;
    for (index, instruction) in context.instructions().iter().enumerate() {
        let env = instruction.effective();
        if env.keyword != Keyword::Env || env.values.len() < 4 {
            continue;
        }
        let pairs: Vec<(&Word, &Word)> = env
            .values
            .chunks(2)
            .filter_map(|pair| match pair {
                [name, value] => Some((name, value)),
                _ => None,
            })
            .collect();
        for (position, (name, value)) in pairs.iter().enumerate() {
            // Lexing is only worth it where another pair's name appears at all (this runs on
            // every keystroke, and most values name none).
            let names_another = pairs.iter().enumerate().any(|(other, (other_name, _))| {
                other != position && value.text.contains(other_name.text.as_str())
            });
            if !names_another {
                continue;
            }
            for reference in expand::references(&value.text, escape) {
                let set_before = pairs[..position]
                    .iter()
                    .any(|(other, _)| other.text == reference.name);
                let set_after = reference.name != name.text
                    && pairs[position + 1..]
                        .iter()
                        .any(|(other, _)| other.text == reference.name);
                // Set later in the ENV: a surprise only when it had no value before.
                let flagged =
                    set_before || (set_after && !declared_before(context, index, &reference.name));
                if !flagged {
                    continue;
                }
                // Point at the reference when the value is written as it reads.
                let written = context.source.slice(&value.span);
                let span = if written == value.text {
                    value.span.start + reference.range.start..value.span.start + reference.range.end
                } else {
                    value.span.clone()
                };
                let when = if set_before { "earlier" } else { "later" };
                found.push(Diagnostic::new(
                    &RULE,
                    span,
                    format!(
                        "`${}` here is its value from before this ENV, not the one set {when} in it: set `{}` in an ENV of its own first",
                        reference.name, reference.name
                    ),
                ));
            }
        }
    }
}

/// `name` has a value before instruction `index` (an `ARG` or `ENV` in scope).
fn declared_before(context: &Context, index: usize, name: &str) -> bool {
    context
        .source
        .stages
        .scope_at(&context.source.file, index)
        .lookup(name)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn references_to_the_same_instruction() {
        let cases: &[(&str, &[&str])] = &[
            ("ENV BLA=\"blubb\"\nENV BLUBB=\"${BLA}/blubb\"", &[]),
            ("ENV BLA=\"blubb\" BLUBB=\"${FOOBLA}/blubb\"", &[]),
            ("ENV BLA=\"blubb\" BLUBB=\"${BLAFOO}/blubb\"", &[]),
            ("ENV BLA=\"blubb\" BLUBB=\"$FOOBLA/blubb\"", &[]),
            ("ENV BLA=\"blubb\" BLUBB=\"$BLAFOO/blubb\"", &[]),
            ("ENV BLA=\"blubb\" BLUBB=\"$BLA/$BLAFOO/blubb\"", &["$BLA"]),
            ("ENV BLA=\"blubb\" BLUBB=\"BLA/$BLAFOO/BLA\"", &[]),
            ("ARG BLA\nENV BLA=${BLA}", &[]),
            ("ENV PATH=/bla:${PATH}", &[]),
            ("ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}", &["${PATH}"]),
            ("ENV BLA=\"blubb\" BLUBB=\"${BLA}/blubb\"", &["${BLA}"]),
            ("ENV BLA=\"blubb\" BLUBB=\"$BLA\"", &["$BLA"]),
            ("ENV BLA=blubb BLUBB='$BLA'", &[]),
            ("ENV BLA=blubb BLUBB=\\$BLA", &[]),
            // Set later: flagged only when there was no value before.
            ("ENV B=$A A=1", &["$A"]),
            ("ENV A=0\nENV B=$A A=1", &[]),
            // The old value, though an earlier ENV set one.
            ("ENV A=1\nENV A=2 B=$A", &["$A"]),
        ];
        for (body, expected) in cases {
            let text = format!("FROM scratch\n{body}\n");
            assert_eq!(underlined(&RULE, &text), *expected, "{body}");
        }
    }
}
