//! InvalidCheckDirective: a `# check=` directive BuildKit cannot read (the build fails), and
//! `# check=` comments BuildKit ignores.

use crate::lint::buildkit::{CheckOptions, check_directive, check_value, instruction_check};
use crate::lint::{Context, Diagnostic, Rule, Severity, rules};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "InvalidCheckDirective",
    aliases: &[],
    severity: Severity::Error,
    summary: "A `# check=` directive BuildKit cannot read",
    documentation: "\
## What it does
Reports a `# check=` parser directive that BuildKit cannot read: an option other than \
`skip`, `error` and `experimental`, one without `=`, or an `error` value that is not a \
boolean. BuildKit then fails the build (`failed to parse check options`), so this is an \
error.

It also warns about `# check=` comments above an instruction that BuildKit ignores without a \
word: one that does not parse, one after the first `# check=` comment above the same \
instruction (BuildKit reads only the first), and a check name in the wrong case \
(`skip=jsonargsrecommended`: names are case-sensitive, so nothing is skipped).

The value ends at its first space, in the directive and in comments: `skip=A, B` skips `A` \
only, and what follows a space is a remark.

## Why
A directive that fails the build is found before the build; a skip that skips nothing is \
found before the warning it was meant to silence comes back.

## Example
```dockerfile
# check=skip=StageNameCasing;warn=true
FROM alpine AS Build
```

## Use instead
```dockerfile
# check=skip=StageNameCasing;error=false
FROM alpine AS Build
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    if let Some((span, value)) = check_directive(source) {
        match CheckOptions::parse(value) {
            Err(reason) => found.push(Diagnostic::new(
                &RULE,
                span.clone(),
                format!("BuildKit cannot read this check directive and fails the build: {reason}"),
            )),
            Ok(options) => wrong_case(&options, span, found),
        }
    }
    let instructions = source.instructions();
    for comment in source
        .file
        .comments
        .iter()
        .filter(|comment| !comment.inside_instruction)
    {
        if check_value(&comment.text).is_none() {
            continue;
        }
        let index =
            instructions.partition_point(|instruction| instruction.span.start < comment.span.end);
        let Some((read, options)) = instruction_check(source, index) else {
            continue;
        };
        if !std::ptr::eq(read, comment) {
            found.push(
                Diagnostic::new(
                    &RULE,
                    comment.span.clone(),
                    "BuildKit ignores this check comment: only the first one above an instruction is read",
                )
                .severity(Severity::Warning)
                .related(read.span.clone(), "the one BuildKit reads"),
            );
            continue;
        }
        match options {
            Err(reason) => found.push(
                Diagnostic::new(
                    &RULE,
                    comment.span.clone(),
                    format!("BuildKit ignores this check comment: {reason}"),
                )
                .severity(Severity::Warning),
            ),
            Ok(options) => wrong_case(&options, &comment.span, found),
        }
    }
}

/// Warns about names that only match a check in another case.
fn wrong_case(options: &CheckOptions, span: &Span, found: &mut Vec<Diagnostic>) {
    for name in options.skip.iter().chain(&options.experimental) {
        let Some(rule) = rules::ALL
            .iter()
            .find(|rule| rule.name != name && rule.name.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        found.push(
            Diagnostic::new(
                &RULE,
                span.clone(),
                format!(
                    "No check is named \"{name}\": check names are case-sensitive (did you mean {}?)",
                    rule.name
                ),
            )
            .severity(Severity::Warning),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn a_directive_buildkit_cannot_read_is_an_error() {
        for text in [
            "# check=skip=A;warn=true\nFROM a\n",
            "# check=error=maybe\nFROM a\n",
            "# check=skip\nFROM a\n",
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].severity, Severity::Error);
        }
        assert!(
            run(
                &RULE,
                "# check=skip=A,B;error=true;experimental=all\nFROM a\n"
            )
            .is_empty()
        );
        assert!(run(&RULE, "# check=skip=all remark\nFROM a\n").is_empty());
    }

    #[test]
    fn comments_buildkit_ignores_are_warnings() {
        let text = "FROM a\n# check=bogus\nRUN x\n# check=skip=A\n# check=skip=B\nRUN y\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|finding| finding.severity == Severity::Warning)
        );
        assert_eq!(
            underlined(&RULE, text),
            vec!["# check=bogus", "# check=skip=B"]
        );
        let found = run(
            &RULE,
            "# check=skip=maintainerDeprecated\nFROM a\nMAINTAINER x\n",
        );
        assert_eq!(
            found[0].message,
            "No check is named \"maintainerDeprecated\": check names are case-sensitive (did you mean MaintainerDeprecated?)"
        );
    }
}
