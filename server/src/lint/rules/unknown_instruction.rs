//! UnknownInstruction: a line that starts with something that is not an instruction.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, Keyword};

pub static RULE: Rule = Rule {
    name: "UnknownInstruction",
    aliases: &[],
    severity: Severity::Error,
    summary: "The line does not start with a Dockerfile instruction",
    documentation: "\
## What it does
Flags an instruction keyword BuildKit does not know, such as `COPPY` or a shell command \
that lost its `RUN` or its line continuation.

## Why
BuildKit's parser accepts any word there, but the build fails with `unknown instruction`. \
A missing `\\` at the end of the previous line is the usual cause: the next line of the \
script becomes an instruction of its own.

## Fixes
**Change to KEYWORD** (unsafe): the nearest instruction name. **Continue the \
INSTRUCTION above onto this line** (unsafe): adds the missing line continuation; not offered \
where this line itself runs on into the next instruction, or for `ENV`/`LABEL` when a word \
of the line is not a `KEY=value` pair.

## Example
```dockerfile
FROM debian
RUN apt-get update &&
    apt-get install -y curl
```

## Use instead
```dockerfile
FROM debian
RUN apt-get update && \\
    apt-get install -y curl
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Edit distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The known instruction closest to `word`, if it is close enough to be a typo.
pub fn suggestion(word: &str) -> Option<&'static str> {
    let upper = word.to_uppercase();
    Keyword::ALL
        .iter()
        .map(|keyword| (distance(&upper, keyword.name()), keyword.name()))
        .filter(|(distance, name)| *distance <= 2 && *distance < name.len() / 2 + 1)
        .min()
        .map(|(_, name)| name)
}

/// The instruction above looks cut short: a shell-form RUN ending in an operator, or an
/// ENV/LABEL followed by a `KEY=value` line.
fn missing_continuation(previous: &Instruction, current: &Instruction, context: &Context) -> bool {
    if !previous.heredocs.is_empty() || previous.json {
        return false;
    }
    match previous.keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {
            // A line that runs on into the next instruction would take it into the command.
            if context.source.slice(&current.head_span()).contains('\n') {
                return false;
            }
            let line = context.source.slice(&previous.head_span()).trim_end();
            line.ends_with("&&")
                || line.ends_with("||")
                || line.ends_with('|')
                || line.ends_with(';')
        }
        // Every word must be a `KEY=value` pair: a line that itself runs on into the next
        // instruction (`MAINPY=x \` above `ENV ...`) would make one broken ENV.
        Keyword::Env | Keyword::Label => {
            current.keyword_word.text.contains('=')
                && current
                    .arguments()
                    .split_whitespace()
                    .all(|word| word.contains('='))
        }
        _ => false,
    }
}

fn report(
    instruction: &Instruction,
    previous: Option<&Instruction>,
    context: &Context,
) -> Option<Diagnostic> {
    let keyword = &instruction.keyword_word;
    if keyword.text.is_empty() {
        return None;
    }
    let mut message = format!("Unknown instruction: {}", keyword.text);
    let mut fix = None;
    if let Some(name) = suggestion(&keyword.text) {
        message.push_str(&format!(" (did you mean {name}?)"));
        fix = Some(
            Fix::new(
                format!("Change to {name}"),
                vec![Edit::replace(keyword.span.clone(), name)],
            )
            .preferred(),
        );
    } else if let Some(previous) = previous
        && missing_continuation(previous, instruction, context)
    {
        message.push_str(&format!(
            " (is a line continuation missing at the end of the {} above?)",
            previous.keyword.name()
        ));
        let head = context.source.slice(&previous.head_span());
        let end = previous.head_span().start + head.trim_end().len();
        let escape = context.source.file.escape;
        fix = Some(
            Fix::new(
                format!(
                    "Continue the {} above onto this line",
                    previous.keyword.name()
                ),
                vec![Edit::insert(end, format!(" {escape}"))],
            )
            .preferred(),
        );
    }
    Some(Diagnostic::new(&RULE, keyword.span.clone(), message).fix_with(context, || fix))
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let instructions = context.instructions();
    for (index, instruction) in instructions.iter().enumerate() {
        let previous = index.checked_sub(1).map(|at| &instructions[at]);
        let target = match (&instruction.keyword, &instruction.onbuild) {
            (Keyword::Onbuild, Some(inner)) => inner.as_ref(),
            _ => instruction,
        };
        if target.keyword == Keyword::Unknown
            && let Some(diagnostic) = report(target, previous, context)
        {
            found.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn flags_unknown_words_and_suggests() {
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPPY x y\nONBUILD FOO bar\n"),
            vec!["COPPY", "FOO"]
        );
        let found = run(&RULE, "FROM a\nCOPPY x y\n");
        assert!(found[0].message.contains("did you mean COPY?"));
        assert_eq!(
            apply_fix(&RULE, "FROM a\nCOPPY x y\n", "Change to COPY"),
            "FROM a\nCOPY x y\n"
        );
    }

    #[test]
    fn missing_continuation_is_spotted() {
        let text = "FROM a\nRUN apt-get update &&\n    apt-get install -y curl\n";
        let fixed = apply_fix(&RULE, text, "Continue the RUN");
        assert_eq!(
            fixed,
            "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n"
        );
        let text = "FROM a\nENV A=1 \\\n    B=2\n    C=3 \\\n    D=4\n";
        let fixed = apply_fix(&RULE, text, "Continue the ENV");
        assert_eq!(
            fixed,
            "FROM a\nENV A=1 \\\n    B=2 \\\n    C=3 \\\n    D=4\n"
        );
    }

    #[test]
    fn no_continuation_that_would_swallow_the_next_instruction() {
        for text in [
            "FROM a\nENV A=1 \\\n    B=2\n    C=3 \\\n# note\nENV D=$A\n",
            "FROM a\nRUN make &&\n    make install \\\nCMD [\"x\"]\n",
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].fixes.is_empty(), "{text}: {:?}", found[0].fixes);
        }
    }

    #[test]
    fn known_instructions_in_any_case_are_fine() {
        assert!(run(&RULE, "from a\nrun x\nOnBuild Run y\nhealthcheck NONE\n").is_empty());
    }
}
