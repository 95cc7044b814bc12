//! InvalidImageReference: a `FROM` image BuildKit cannot parse as a reference, or that is
//! empty once variables are expanded.

use crate::knowledge::images;
use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::expand::{self, Lexer};
use crate::syntax::stages::Scope;

pub static RULE: Rule = Rule {
    name: "InvalidImageReference",
    aliases: &[],
    severity: Severity::Error,
    summary: "FROM names an image reference BuildKit rejects",
    documentation: "\
## What it does
Reads the image of every `FROM` as Docker parses references and reports what it rejects:

- an empty tag (`alpine:`) or one that is not up to 128 letters, digits, `_`, `.` and `-` \
starting with a letter, digit or `_`;
- a repository with upper-case letters (`Alpine`), an empty path component (`a//b`), or a \
component that is not lower-case letters and digits separated by `.`, `_`, `__` or dashes;
- a registry host that is not a host name or `[IPv6]` address, or a port that is not digits;
- a digest other than `sha256`, `sha384` or `sha512` with its exact number of lower-case \
hexadecimal digits;
- a name longer than 255 characters, or a 64-digit hexadecimal image ID;
- an image that is empty once variables are expanded, because the variables it uses are not \
global `ARG`s (declared before the first `FROM`) and so always expand to nothing \
(`FROM ${BASE_IMAGE}` with no `ARG BASE_IMAGE` above).

An image with variables is otherwise judged by the build (a build argument may give it \
any value; InvalidDefaultArgInFrom judges the defaults). A name that is a stage (in any \
case) and `scratch` are not image references. A file whose `# syntax=` names another \
frontend is not checked.

## Why
BuildKit stops with \"invalid reference format\" or \"base name should not be blank\" \
before it pulls anything.

## Example
```dockerfile
FROM Alpine:3.20
FROM python: AS test
```

## Use instead
```dockerfile
FROM alpine:3.20
FROM python:3.12 AS test
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `FROM` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let escape = context.source.file.escape;
    let instruction = parsed.instruction;
    if parsed.trigger {
        return;
    }
    let Some(image) = instruction.values.first() else {
        return;
    };
    if image.text.contains('$') {
        if let Some(message) = always_empty(&context.source.stages.global, &image.text, escape) {
            found.push(Diagnostic::new(&RULE, image.span.clone(), message));
        }
        return;
    }
    let Some(reference) = parsed::literal(&image.text, escape) else {
        return;
    };
    if reference.eq_ignore_ascii_case("scratch") || pass.is_stage_name(&reference) {
        return;
    }
    let Some(problem) = images::check_reference(&reference) else {
        return;
    };
    let written = context.source.slice(&image.span);
    let span = if written == reference {
        image.span.start + problem.range.start..image.span.start + problem.range.end
    } else {
        image.span.clone()
    };
    // An empty range (an empty path component) underlines the whole image.
    let span = if span.is_empty() {
        image.span.clone()
    } else {
        span
    };
    found.push(Diagnostic::new(
        &RULE,
        span,
        format!("invalid image reference `{reference}`: {}", problem.message),
    ));
}

/// A variable lookup for the lexer.
type Lookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// A message when `text` expands to nothing whatever the build arguments are: every variable
/// it names is undeclared before the first `FROM` (so BuildKit expands it to nothing), which
/// is tried with the declared ones set to a value, empty and unset.
fn always_empty(global: &Scope, text: &str, escape: char) -> Option<String> {
    if has_literal_text(text) {
        return None;
    }
    let lexer = Lexer::new(escape);
    let declared = |name: &str| global.lookup(name).is_some();
    let probes: [&Lookup; 3] = [
        &|name: &str| declared(name).then(|| "x".to_string()),
        &|name: &str| declared(name).then(String::new),
        &|_: &str| None,
    ];
    let mut undeclared = Vec::new();
    for probe in probes {
        let expansion = expand::process(lexer, text, &probe).ok()?;
        if !expansion.text.trim().is_empty() {
            return None;
        }
        for name in expansion.unmatched {
            if !declared(&name) && !undeclared.contains(&name) {
                undeclared.push(name);
            }
        }
    }
    let names = undeclared
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(if names.is_empty() {
        format!("the image `{text}` is empty once expanded")
    } else {
        format!(
            "the image `{text}` is empty: {names} is not a global ARG (declared before the first FROM), so it expands to nothing"
        )
    })
}

/// Whether `text` has a character outside every `$NAME` and `${...}` (and is no quoting
/// puzzle): then it cannot expand to nothing, and the lexer need not run.
fn has_literal_text(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                let mut depth = 0;
                for inner in chars.by_ref() {
                    match inner {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '$' => {
                while chars
                    .next_if(|c| c.is_alphanumeric() || *c == '_')
                    .is_some()
                {}
            }
            '\'' | '"' | '\\' | '`' => return false,
            c if c.is_whitespace() => {}
            _ => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn references_docker_rejects() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM alpine:\nFROM Alpine:3.20\nFROM a//b\nFROM alpine@sha256:abc\nFROM alpine:-x AS t\nFROM \"Bad\"\n"
            ),
            vec![":", "Alpine", "a//b", "sha256:abc", "-x", "\"Bad\""]
        );
    }

    #[test]
    fn empty_images_after_expansion() {
        let text = "ARG TAG=1\nFROM ${BASE_IMAGE}\nFROM $UNDECLARED$ALSO\n";
        assert_eq!(
            underlined(&RULE, text),
            vec!["${BASE_IMAGE}", "$UNDECLARED$ALSO"]
        );
        let found = run(&RULE, text);
        assert!(
            found[0]
                .message
                .contains("`BASE_IMAGE` is not a global ARG")
        );
        // Declared (with or without a default), predefined, defaulted: the build decides.
        assert!(
            run(
                &RULE,
                "ARG BASE\nARG IMAGE=alpine\nFROM $BASE\nFROM ${IMAGE}:3\nFROM ${X:-alpine}\nFROM $TARGETPLATFORM\n"
            )
            .is_empty()
        );
        // A stage-local ARG is not in scope for FROM.
        assert_eq!(underlined(&RULE, "FROM a\nARG X=b\nFROM $X\n"), vec!["$X"]);
    }

    #[test]
    fn stages_scratch_and_valid_references() {
        assert!(
            run(
                &RULE,
                "FROM alpine:3.20 AS Build\nFROM BUILD\nFROM scratch\nFROM SCRATCH\nFROM localhost:5000/a/b:c\nFROM \"alpine\"\nFROM MyRegistry/app\n"
            )
            .is_empty()
        );
    }
}
