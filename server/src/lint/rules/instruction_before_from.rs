//! InstructionBeforeFrom: only ARG may come before the first FROM.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "InstructionBeforeFrom",
    aliases: &["DL3061"],
    severity: Severity::Error,
    summary: "An instruction other than ARG comes before the first FROM",
    documentation: "\
## What it does
Flags instructions before the first `FROM`, other than `ARG`, and a file that has \
instructions but no `FROM` at all.

## Why
Every build step runs in a stage, and a stage starts with `FROM`. BuildKit stops with \
`no build stage in current context`. Only `ARG` may come first: it declares variables for \
the `FROM` lines.

## Example
```dockerfile
RUN echo hello
FROM alpine
```

## Use instead
```dockerfile
FROM alpine
RUN echo hello
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let instructions = context.instructions();
    let first_from = instructions
        .iter()
        .position(|instruction| instruction.keyword == Keyword::From);
    let end = first_from.unwrap_or(instructions.len());
    for instruction in &instructions[..end] {
        if matches!(instruction.keyword, Keyword::Arg | Keyword::Unknown) {
            continue;
        }
        let message = match first_from {
            Some(_) => format!(
                "{} before the first FROM: only ARG may come before FROM",
                instruction.keyword.name()
            ),
            None => format!(
                "{} without a FROM: this file has no build stage",
                instruction.keyword.name()
            ),
        };
        found.push(Diagnostic::new(
            &RULE,
            instruction.keyword_word.span.clone(),
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn only_arg_may_precede_from() {
        assert_eq!(
            underlined(&RULE, "ARG V=1\nRUN x\nFROM a:$V\nRUN y\n"),
            vec!["RUN"]
        );
        assert_eq!(underlined(&RULE, "ENV A=b\nCMD x\n"), vec!["ENV", "CMD"]);
        assert!(underlined(&RULE, "# c\nARG A\nFROM a\n").is_empty());
    }
}
