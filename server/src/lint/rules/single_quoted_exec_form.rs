//! SingleQuotedExecForm: an exec-form array written with single quotes (`CMD ['x']`), which is
//! not JSON, so BuildKit runs it as a shell command.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::Keyword;
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "SingleQuotedExecForm",
    aliases: &[],
    severity: Severity::Warning,
    summary: "An exec-form array uses single quotes, so it is shell form",
    documentation: "\
## What it does
Flags the arguments of `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK CMD`, `COPY`, `ADD` and \
`VOLUME` written as an array with single quotes: `CMD ['nginx', '-g', 'daemon off;']`. \
(`SHELL` written so is an error: ShellNotJson.)

## Why
The exec form is a JSON array, and JSON strings take double quotes. BuildKit does not read \
`['nginx', '-g']` as JSON, so it takes the shell form: `CMD` and `ENTRYPOINT` run \
`/bin/sh -c \"['nginx', '-g']\"`, which fails when the container starts (`[nginx,: not \
found`); `RUN` fails the build the same way; `COPY` and `ADD` copy a file called `[a,`; \
`VOLUME` declares paths with brackets and commas in them.

## Fixes
**Write as a JSON array** (safe): the same elements in double quotes, with `\"` and `\\` \
escaped as JSON needs, so BuildKit reads exactly the words between the single quotes as the \
exec form that was meant. Offered when the array is on one line.

## Example
```dockerfile
FROM nginx
CMD ['nginx', '-g', 'daemon off;']
```

## Use instead
```dockerfile
FROM nginx
CMD [\"nginx\", \"-g\", \"daemon off;\"]
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one instruction that has an exec form ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let instruction = parsed.instruction;
    if instruction.json || !instruction.facts.quote_or_brace {
        return;
    }
    if instruction.keyword != Keyword::Healthcheck && !instruction.facts.bracket_first {
        return;
    }
    let text = match instruction.keyword {
        Keyword::Healthcheck => match &instruction.values[..] {
            [kind, command] if kind.text.eq_ignore_ascii_case("cmd") => command.text.as_str(),
            _ => return,
        },
        _ => instruction.arguments(),
    };
    let Some(elements) = parsed::single_quoted_array(text) else {
        return;
    };
    let span: Span = match instruction.keyword {
        Keyword::Healthcheck => instruction.values[1].span.clone(),
        _ => instruction.arguments_span(),
    };
    let keyword = instruction.keyword.name();
    let diagnostic = Diagnostic::new(
        &RULE,
        span.clone(),
        format!(
            "{keyword} is written as an array in single quotes, which is not JSON: BuildKit takes it for the shell form; use double quotes"
        ),
    );
    let diagnostic = diagnostic.fix_with(context, || {
        // One line, written as read: no continuation or comment inside.
        if context.source.slice(&span) != text {
            return None;
        }
        Some(
            Fix::new(
                "Write as a JSON array",
                vec![Edit::replace(span.clone(), parsed::exec_form(elements))],
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
    fn single_quoted_arrays() {
        let text = "FROM a\nCMD ['nginx', '-g', 'daemon off;']\nENTRYPOINT ['x']\nRUN ['a']\nCOPY ['a', 'b']\nVOLUME ['/v']\nHEALTHCHECK CMD ['true']\n";
        assert_eq!(
            underlined(&RULE, text),
            vec![
                "['nginx', '-g', 'daemon off;']",
                "['x']",
                "['a']",
                "['a', 'b']",
                "['/v']",
                "['true']"
            ]
        );
    }

    #[test]
    fn the_fix_reads_back_as_the_same_words() {
        let fixed = apply_fix(
            &RULE,
            "FROM a\nENTRYPOINT ['sh', '-c', 'echo \"$HOME\" \\ done']\n",
            "Write as a JSON array",
        );
        assert_eq!(
            fixed,
            "FROM a\nENTRYPOINT [\"sh\", \"-c\", \"echo \\\"$HOME\\\" \\\\ done\"]\n"
        );
        let entrypoint = &SourceFile::parse(&fixed).file.instructions[1];
        assert!(entrypoint.json);
        let words: Vec<&str> = entrypoint.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(words, vec!["sh", "-c", "echo \"$HOME\" \\ done"]);
    }

    #[test]
    fn json_and_shell_forms_are_fine() {
        assert!(
            run(
                &RULE,
                "FROM a\nCMD [\"x\"]\nCMD echo 'a'\nCMD []\nRUN echo ['a']\nSHELL ['sh']\nHEALTHCHECK NONE\n"
            )
            .is_empty()
        );
    }
}
