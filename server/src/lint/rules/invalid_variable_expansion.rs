//! InvalidVariableExpansion: a word BuildKit expands (`COPY`, `ENV`, `WORKDIR`, ...) that its
//! lexer cannot read: an unterminated quote, `${` without `}`, `${}`, or an unsupported
//! modifier such as `${NAME:x}`.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Keyword, MountKey};
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
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The findings of one instruction that expands words ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let instruction = parsed.instruction;
    // Only a quote or a `${` can fail the lexer (a `$` followed by anything else reads as a
    // name or as itself): one look at the whole line skips most instructions, `$NAME` and all
    // (a RUN counts only through its --mount values).
    let nothing_to_lex = if instruction.keyword == Keyword::Run {
        !parsed.has_flags
    } else {
        !instruction.facts.quote_or_brace
    };
    if nothing_to_lex {
        return;
    }
    for (text, span) in expanded_words(parsed) {
        if let Some(diagnostic) = problem(pass.context, text, span) {
            found.push(parsed.finish(diagnostic));
        }
    }
}

/// The words of `parsed` BuildKit runs through its lexer that could fail there (they hold a
/// quote or a `$`), with where they are written. Most words hold neither, so most instructions
/// allocate nothing here.
fn expanded_words<'a>(parsed: Parsed<'a>) -> Vec<(&'a str, Span)> {
    let instruction = parsed.instruction;
    let values = &instruction.values;
    let mut words: Vec<(&str, Span)> = Vec::new();
    let mut add = |text: &'a str, span: Span| {
        if memchr::memchr3(b'{', b'\'', b'"', text.as_bytes()).is_some() {
            words.push((text, span));
        }
    };
    let flags = |name: &'static str| {
        instruction
            .flags
            .iter()
            .filter(move |flag| flag.name == name)
            .filter_map(|flag| Some((flag.value.as_deref()?, flag.value_span.clone()?)))
    };
    match instruction.keyword {
        Keyword::From => {
            if let Some(image) = values.first() {
                add(&image.text, image.span.clone());
            }
            for (value, span) in flags("platform") {
                add(value, span);
            }
        }
        Keyword::Copy | Keyword::Add => {
            if !instruction.json {
                for word in values.iter().filter(|word| !word.text.contains("<<")) {
                    add(&word.text, word.span.clone());
                }
            }
            let from: &[&'static str] = if instruction.keyword == Keyword::Copy {
                &["chown", "chmod", "from"]
            } else {
                &["chown", "chmod"]
            };
            for name in from {
                for (value, span) in flags(name) {
                    add(value, span);
                }
            }
        }
        Keyword::Env
        | Keyword::Label
        | Keyword::Expose
        | Keyword::User
        | Keyword::Workdir
        | Keyword::Stopsignal => {
            for word in values.iter() {
                add(&word.text, word.span.clone());
            }
        }
        Keyword::Volume if !instruction.json => {
            for word in values.iter() {
                add(&word.text, word.span.clone());
            }
        }
        Keyword::Arg => {
            for word in values.iter() {
                if let Some((name, default)) = word.text.split_once('=') {
                    let start = (word.span.start + name.len() + 1).min(word.span.end);
                    add(default, start..word.span.end);
                }
            }
        }
        Keyword::Run => {
            for mount in instruction.mounts() {
                for field in mount.fields {
                    if field.name == MountKey::From {
                        continue;
                    }
                    if let (Some(std::borrow::Cow::Borrowed(value)), Some(span)) =
                        (field.value, field.value_span)
                    {
                        add(value, span);
                    }
                }
            }
        }
        _ => {}
    }
    words
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
