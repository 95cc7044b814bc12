//! InvalidVariableExpansion: a word BuildKit expands (`COPY`, `ENV`, `WORKDIR`, ...) that its
//! lexer cannot read: an unterminated quote, `${` without `}`, `${}`, or an unsupported
//! modifier such as `${NAME:x}`.

use crate::lint::parsed::{self, Parsed};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Instruction, Keyword, MountKey};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "InvalidVariableExpansion",
    aliases: &[],
    severity: Severity::Error,
    summary: "BuildKit cannot expand this word",
    documentation: "\
## What it does
Runs BuildKit's word lexer over every word BuildKit expands and reports what it rejects \
whatever the variables hold: an unterminated single or double quote, `${` without a closing \
`}`, `${}` or `${:...}`, and a modifier BuildKit does not support (`${NAME:x}`, `${NAME^}`; \
the supported ones are `:-` `-` `:+` `+` `:?` `?` `#` `##` `%` `%%` `/` `//`).

The words BuildKit expands are: the image and `--platform` of `FROM`; the sources, \
destination, `--chown`, `--chmod` and `--from` of `COPY` and `ADD` in shell form; the names \
and values of `ENV` and `LABEL`; `ARG` defaults; `EXPOSE`, `VOLUME` (shell form), `USER`, \
`WORKDIR` and `STOPSIGNAL` arguments; `RUN --mount` values. `RUN`, `CMD`, `ENTRYPOINT`, \
`SHELL` and `HEALTHCHECK` are not expanded by BuildKit (the shell reads them), so they are \
not checked. Inside `ONBUILD`, the trigger is reported as a warning.

## Why
BuildKit stops with \"failed to process ...: unexpected end of statement while looking for \
matching double-quote\" or \"unsupported modifier\" when it expands the word.

## Example
```dockerfile
FROM alpine
ENV GREETING=\"hello
WORKDIR /srv/${APP:default}
```

## Use instead
```dockerfile
FROM alpine
ENV GREETING=\"hello\"
WORKDIR /srv/${APP:-default}
```
",
    syntax: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for parsed in parsed::instructions(context) {
        for (text, span) in expanded_words(parsed) {
            if let Some(diagnostic) = problem(context, text, span) {
                found.push(parsed.finish(diagnostic));
            }
        }
    }
}

/// The words of `parsed` BuildKit runs through its lexer, with where they are written.
fn expanded_words<'a>(parsed: Parsed<'a>) -> Vec<(&'a str, Span)> {
    let instruction = parsed.instruction;
    let values = &instruction.values;
    let mut words: Vec<(&str, Span)> = Vec::new();
    let flag = |name: &str, words: &mut Vec<(&'a str, Span)>| flag_values(instruction, name, words);
    match instruction.keyword {
        Keyword::From => {
            words.extend(
                values
                    .first()
                    .map(|word| (word.text.as_str(), word.span.clone())),
            );
            flag("platform", &mut words);
        }
        Keyword::Copy | Keyword::Add => {
            if !instruction.json {
                words.extend(
                    values
                        .iter()
                        .filter(|word| !word.text.contains("<<"))
                        .map(|word| (word.text.as_str(), word.span.clone())),
                );
            }
            flag("chown", &mut words);
            flag("chmod", &mut words);
            if instruction.keyword == Keyword::Copy {
                flag("from", &mut words);
            }
        }
        Keyword::Env
        | Keyword::Label
        | Keyword::Expose
        | Keyword::User
        | Keyword::Workdir
        | Keyword::Stopsignal => {
            words.extend(
                values
                    .iter()
                    .map(|word| (word.text.as_str(), word.span.clone())),
            );
        }
        Keyword::Volume if !instruction.json => {
            words.extend(
                values
                    .iter()
                    .map(|word| (word.text.as_str(), word.span.clone())),
            );
        }
        Keyword::Arg => {
            for word in values.iter() {
                if let Some((name, default)) = word.text.split_once('=') {
                    let start = (word.span.start + name.len() + 1).min(word.span.end);
                    words.push((default, start..word.span.end));
                }
            }
        }
        Keyword::Run => {
            for mount in instruction.mounts() {
                for field in mount.fields {
                    if field.name == MountKey::From {
                        continue;
                    }
                    let (Some(std::borrow::Cow::Borrowed(value)), Some(span)) =
                        (field.value, field.value_span)
                    else {
                        continue;
                    };
                    words.push((value, span));
                }
            }
        }
        _ => {}
    }
    words
}

/// The values of `instruction`'s `--name` flags (quotes already removed by the flag reader).
fn flag_values<'a>(instruction: &'a Instruction, name: &str, words: &mut Vec<(&'a str, Span)>) {
    for flag in instruction.flags.iter().filter(|flag| flag.name == name) {
        if let (Some(value), Some(span)) = (&flag.value, &flag.value_span) {
            words.push((value.as_str(), span.clone()));
        }
    }
}

fn problem(context: &Context, text: &str, span: Span) -> Option<Diagnostic> {
    let escape = context.source.file.escape;
    let (error, range) = crate::syntax::expand::syntax_error(text, escape)?;
    let written = context.source.slice(&span) == text;
    let at = if written {
        span.start + range.start..span.start + range.end
    } else {
        span
    };
    let failing = &text[range];
    let message = if error.contains("single-quote") {
        format!(
            "the single quote in `{text}` is never closed: BuildKit cannot expand the word (close it, or escape it as `{escape}'`)"
        )
    } else if error.contains("double-quote") {
        format!(
            "the double quote in `{text}` is never closed: BuildKit cannot expand the word (close it, or escape it as `{escape}\"`)"
        )
    } else if error.contains("unsupported modifier") {
        format!(
            "`{failing}` uses a modifier BuildKit does not support: use `${{NAME:-default}}`, `${{NAME:+alternative}}`, `${{NAME:?message}}`, `#`, `%` or `/` patterns"
        )
    } else if error.contains("missing '}'") {
        format!("`{failing}` has no closing `}}`")
    } else if error.contains("bad substitution") {
        format!("`{failing}` is a bad substitution: a variable name must follow `${{`")
    } else {
        format!("BuildKit cannot expand `{text}`: {error}")
    };
    Some(Diagnostic::new(&RULE, at, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    fn at(text: &str) -> Vec<String> {
        underlined(&RULE, &format!("FROM a\n{text}\n"))
    }

    #[test]
    fn words_buildkit_cannot_expand() {
        assert_eq!(at("ENV A=\"x"), vec!["\"x"]);
        assert_eq!(at("ENV A=${B:x}"), vec!["${B:x}"]);
        assert_eq!(at("LABEL 'a=b"), vec!["'a"]);
        assert_eq!(at("WORKDIR /srv/${APP"), vec!["${APP"]);
        assert_eq!(at("USER ${}"), vec!["${"]);
        assert_eq!(at("COPY a'b /c/"), vec!["'b"]);
        assert_eq!(at("COPY --chown=${U:x} a /c/"), vec!["${U:x}"]);
        assert_eq!(at("ARG A=${B:x}"), vec!["${B:x}"]);
        assert_eq!(at("EXPOSE ${P:x}"), vec!["${P:x}"]);
        assert_eq!(at("VOLUME /a'b"), vec!["'b"]);
        assert_eq!(at("STOPSIGNAL ${S:x}"), vec!["${S:x}"]);
        assert_eq!(
            at("RUN --mount=type=cache,target=${T:x} true"),
            vec!["${T:x}"]
        );
        assert_eq!(underlined(&RULE, "FROM ${IMAGE:x}\n"), vec!["${IMAGE:x}"]);
    }

    #[test]
    fn words_buildkit_does_not_expand_or_reads_fine() {
        let text = "\
FROM a
RUN echo 'unterminated ${X:y}
CMD echo \"${X:y}
HEALTHCHECK CMD echo ${X:y}
SHELL [\"sh\", \"-c\"]
ENV A=\"b c\" D='e' F=${G:-h} I=${J:+k} L=${M?n}
LABEL \"x\"=\"y\"
COPY [\"a'b\", \"/c/\"]
WORKDIR \"/a b\"
COPY <<EOF /x
it's
EOF
ARG N
ARG O=${P%%.*}
";
        assert!(run(&RULE, text).is_empty(), "{:?}", underlined(&RULE, text));
    }

    #[test]
    fn backtick_escape_files() {
        assert!(run(&RULE, "# escape=`\nFROM a\nWORKDIR c:\\app\n").is_empty());
        assert_eq!(
            underlined(&RULE, "# escape=`\nFROM a\nENV A=`\"x\nENV B=\"x\n"),
            vec!["\"x"]
        );
    }
}
