//! ParseError: what BuildKit's parser itself rejects.

use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ParseError",
    aliases: &["DL1000"],
    severity: Severity::Error,
    summary: "BuildKit cannot parse this instruction",
    documentation: "\
## What it does
Reports what BuildKit's Dockerfile parser rejects before any build starts: an `ENV` or `LABEL` \
without a value, an exec-form JSON array with something other than strings in it, a heredoc \
that never ends, a repeated or invalid parser directive.

## Why
`docker build` stops at the first of these with a parse error; nothing else in the file runs.

## Example
```dockerfile
FROM alpine
ENV PATH
CMD [\"echo\", 1]
```

## Use instead
```dockerfile
FROM alpine
ENV PATH=/usr/local/bin:$PATH
CMD [\"echo\", \"1\"]
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for error in &context.source.file.errors {
        found.push(Diagnostic::new(
            &RULE,
            error.span.clone(),
            error.message.clone(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn reports_what_buildkit_rejects() {
        assert_eq!(underlined(&RULE, "FROM a\nENV PATH\n"), vec!["ENV PATH"]);
        assert_eq!(run(&RULE, "FROM a\nCMD [\"a\", 1]\n").len(), 1);
        assert_eq!(run(&RULE, "FROM a\nRUN <<EOF\nunterminated\n").len(), 1);
        assert_eq!(run(&RULE, "# escape=x\nFROM a\n").len(), 1);
    }

    #[test]
    fn valid_files_are_quiet() {
        assert!(
            run(
                &RULE,
                "FROM a\nENV A=b C=d\nENV X y z\nCMD [\"a\"]\nRUN <<EOF\nx\nEOF\n"
            )
            .is_empty()
        );
        assert!(run(&RULE, "FROM a\nCMD [\"a\", 1\n").is_empty());
    }
}
