//! ConsistentInstructionCasing: BuildKit's check that instruction keywords share one case.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Keyword, KeywordCase};

pub static RULE: Rule = Rule {
    name: "ConsistentInstructionCasing",
    aliases: &[],
    severity: Severity::Warning,
    summary: "All commands within the Dockerfile should use the same casing (either upper or lower)",
    documentation: "\
## What it does
Flags an instruction keyword that is not written in the case most keywords of the file use \
(all upper case or all lower case; a tie counts as upper case), and a keyword in mixed case \
(`From`). This is BuildKit's build check of the same name, and it counts the same keywords: \
those of the stages, from the first `FROM` on (the `ARG`s before it are neither counted nor \
flagged), not the instruction an `ONBUILD` wraps.

## Why
Keywords are read without case; one case for all of them keeps the file readable.

## Fixes
**Write the keyword in the majority's case** (safe): BuildKit reads `copy` and `COPY` alike.

## Example
```dockerfile
FROM alpine
run apk add curl
COPY . /app
```

## Use instead
```dockerfile
FROM alpine
RUN apk add curl
COPY . /app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The instructions that are counted: from the first `FROM` on, known keywords only.
fn counted<'a>(context: &'a Context) -> impl Iterator<Item = (usize, KeywordCase)> + 'a {
    let first = context.source.stages.preamble.end;
    let keywords = context.keywords();
    context
        .keyword_cases()
        .iter()
        .copied()
        .enumerate()
        .skip(first)
        .filter(move |(index, _)| keywords[*index] != Keyword::Unknown)
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let (mut lower, mut upper, mut mixed) = (0usize, 0usize, false);
    for (_, case) in counted(context) {
        match case {
            KeywordCase::Lower => lower += 1,
            KeywordCase::Upper => upper += 1,
            KeywordCase::Mixed => mixed = true,
        }
    }
    // One case throughout, the usual file: nothing to report.
    if !mixed && (lower == 0 || upper == 0) {
        return;
    }
    let majority_lower = lower > upper;
    let (casing, majority) = if majority_lower {
        ("lowercase", KeywordCase::Lower)
    } else {
        ("uppercase", KeywordCase::Upper)
    };
    for (index, case) in counted(context) {
        if case == majority {
            continue;
        }
        let instruction = &context.instructions()[index];
        let word = instruction.keyword_word.text.as_str();
        let wanted = if majority_lower {
            word.to_lowercase()
        } else {
            word.to_uppercase()
        };
        let span = instruction.keyword_word.span.clone();
        let diagnostic = Diagnostic::new(
            &RULE,
            span.clone(),
            format!("Command '{word}' should match the case of the command majority ({casing})"),
        )
        .fix_with(context, || {
            (context.source.slice(&span) == word).then(|| {
                Fix::new(
                    format!("Write {wanted} in {casing}"),
                    vec![Edit::replace(span.clone(), wanted.clone())],
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
    fn flags_keywords_against_the_majority() {
        assert_eq!(
            underlined(&RULE, "FROM a\ncopy x /y\nCOPY x /z\n"),
            vec!["copy"]
        );
        assert_eq!(
            underlined(&RULE, "from a\nCOPY x /y\ncopy x /z\n"),
            vec!["COPY"]
        );
        assert_eq!(
            underlined(&RULE, "from a\nCOPY x /y\nCOPY x /z\nCOPY x /w\n"),
            vec!["from"]
        );
        // Mixed case is always flagged; a tie counts as upper case.
        assert_eq!(
            run(&RULE, "From a as b\nFROM c AS d\n")[0].message,
            "Command 'From' should match the case of the command majority (uppercase)"
        );
        assert_eq!(underlined(&RULE, "frOM a\nfrom b\n"), vec!["frOM"]);
        assert!(underlined(&RULE, "from a\ncopy x /y\n").is_empty());
    }

    #[test]
    fn arguments_before_the_first_from_are_not_counted() {
        assert!(underlined(&RULE, "arg A\narg B\narg C\nFROM a\nRUN x\n").is_empty());
        // Nor the instruction ONBUILD wraps.
        assert!(underlined(&RULE, "FROM a\nONBUILD run x\n").is_empty());
    }

    #[test]
    fn fixes_to_the_majority() {
        assert_eq!(
            apply_fix(&RULE, "FROM a\nRun x\nRUN y\n", "Write RUN"),
            "FROM a\nRUN x\nRUN y\n"
        );
    }
}
