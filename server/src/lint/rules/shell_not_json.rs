//! ShellNotJson: `SHELL` written in shell form, which BuildKit rejects.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "ShellNotJson",
    aliases: &[],
    severity: Severity::Error,
    summary: "SHELL must be a JSON array",
    documentation: "\
## What it does
Reports a `SHELL` whose arguments are not a JSON array of strings: `SHELL /bin/bash -c`, or \
an array written with single quotes (`SHELL ['/bin/bash', '-c']`), which is not JSON.

## Why
BuildKit accepts `SHELL` only in exec form and stops the build with \"SHELL requires the \
arguments to be in JSON form\". An empty `SHELL` or `SHELL []` is reported by \
InvalidInstructionArguments.

## Fixes
**Write as a JSON array** (safe): the same words, as JSON strings. Offered when the \
arguments sit on one line and every word is plain (no quotes, escapes, brackets or commas \
in it), or when they are an array in single quotes; BuildKit then reads exactly the words \
that were written.

## Example
```dockerfile
FROM debian
SHELL /bin/bash -o pipefail -c
```

## Use instead
```dockerfile
FROM debian
SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `SHELL` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let escape = context.source.file.escape;
    let instruction = parsed.instruction;
    let arguments = instruction.arguments();
    if instruction.json || arguments.is_empty() {
        return;
    }
    let span = instruction.arguments_span();
    let single_quoted = parsed::single_quoted_array(arguments);
    let message = if single_quoted.is_some() {
        "SHELL must be a JSON array, and JSON strings take double quotes: `[\"/bin/sh\", \"-c\"]`"
    } else {
        "SHELL must be a JSON array of the shell and its options: `SHELL [\"/bin/bash\", \"-c\"]`"
    };
    let diagnostic = Diagnostic::new(&RULE, span.clone(), message);
    let diagnostic = diagnostic.fix_with(context, || {
        if context.source.slice(&span) != arguments {
            // Continuation lines or comments inside: not rewritten.
            return None;
        }
        let words: Vec<&str> = match single_quoted {
            Some(elements) => elements,
            None => {
                let words: Vec<&str> = arguments.split_whitespace().collect();
                let plain = |word: &&str| !word.contains(['\'', '"', '[', ']', ',', escape]);
                if !words.iter().all(plain) {
                    return None;
                }
                words
            }
        };
        Some(
            Fix::new(
                "Write as a JSON array",
                vec![Edit::replace(span.clone(), parsed::exec_form(words))],
            )
            .preferred()
            .safe(),
        )
    });
    found.push(parsed.finish(diagnostic));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn shell_form_and_single_quotes() {
        let text = "FROM a\nSHELL /bin/bash -o pipefail -c\n";
        assert_eq!(underlined(&RULE, text), vec!["/bin/bash -o pipefail -c"]);
        let fixed = apply_fix(&RULE, text, "Write as a JSON array");
        assert_eq!(
            fixed,
            "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
        );
        let shell = &SourceFile::parse(&fixed).file.instructions[1];
        assert!(shell.json);
        let fixed = apply_fix(
            &RULE,
            "FROM a\nSHELL ['cmd', '/S', '/C']\n",
            "Write as a JSON array",
        );
        assert_eq!(fixed, "FROM a\nSHELL [\"cmd\", \"/S\", \"/C\"]\n");
    }

    #[test]
    fn no_fix_where_words_are_not_plain() {
        let found = run(&RULE, "FROM a\nSHELL bash -c 'x y'\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes.is_empty());
        let found = run(&RULE, "FROM a\nSHELL [\"bash\" \"-c\"]\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes.is_empty());
    }

    #[test]
    fn json_and_empty_shells_are_not_this_rules() {
        assert!(run(&RULE, "FROM a\nSHELL [\"sh\", \"-c\"]\nSHELL\nSHELL []\n").is_empty());
    }
}
