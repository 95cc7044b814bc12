//! InvalidInstructionArguments: an instruction whose arguments BuildKit rejects when it parses
//! it: too few or too many, a `FROM` without `AS` before its stage name, a `HEALTHCHECK`
//! without a known type or command, an empty name or path.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Instruction, Keyword, Word};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "InvalidInstructionArguments",
    aliases: &[],
    severity: Severity::Error,
    summary: "BuildKit rejects the arguments of this instruction",
    documentation: "\
## What it does
Reports an instruction whose arguments BuildKit rejects when it parses the instruction, \
after its line parser:

- missing arguments: `ADD` and `COPY` need a source and a destination (`COPY a` has no \
destination), `ARG`, `ENV`, `LABEL`, `EXPOSE`, `VOLUME`, `ONBUILD`, `HEALTHCHECK` and \
`SHELL` need at least one argument, `USER`, `WORKDIR`, `STOPSIGNAL` and `MAINTAINER` one;
- `FROM` takes an image, optionally followed by `AS <name>`: `FROM a b`, `FROM a AS` (no \
name), `FROM a ASS b` (a word other than `AS`) and extra words after the name are rejected \
(BuildKit's message: \"FROM requires either one or three arguments\");
- `HEALTHCHECK` takes `CMD <command>` or `NONE`: another type, `CMD` without a command, and \
`NONE` followed by anything are rejected;
- an empty name in `ARG =x`, `ENV =x` or `LABEL =x`, an empty `VOLUME [\"\"]` path, and a \
heredoc as the destination of `ADD` or `COPY`.

A bare `ENTRYPOINT` (which resets the entrypoint), `CMD` and `RUN` are accepted, as BuildKit \
accepts them; `ENV NAME` without a value is the line parser's error (ParseError). Inside \
`ONBUILD`, the trigger is reported as a warning: builds based on the image fail on it.

## Why
BuildKit stops before the build starts, with messages such as `COPY requires at least two \
arguments`, `FROM requires either one or three arguments` or `Unknown type \"CHECK\" in \
HEALTHCHECK`.

## Example
```dockerfile
FROM golang:1.22 as
COPY main.go
HEALTHCHECK CMD
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
COPY main.go ./
HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one instruction ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(_pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    if let Some((span, message)) = problem(parsed) {
        found.push(parsed.finish(Diagnostic::new(&RULE, span, message)));
    }
}

/// From the first to the last of `words`.
fn covering(words: &[Word]) -> Span {
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => first.span.start..last.span.end,
        _ => 0..0,
    }
}

fn problem(parsed: Parsed) -> Option<(Span, String)> {
    let instruction = parsed.instruction;
    let keyword = instruction.keyword.name();
    let values = &instruction.values;
    let at_keyword = || instruction.keyword_word.span.clone();
    match instruction.keyword {
        Keyword::Add | Keyword::Copy => match values.len() {
            0 => Some((
                at_keyword(),
                format!("{keyword} needs a source and a destination: `{keyword} <src>... <dest>`"),
            )),
            1 => Some((
                values[0].span.clone(),
                format!(
                    "{keyword} needs a destination after its sources: `{keyword} {} <dest>`",
                    values[0].text
                ),
            )),
            _ => {
                // A heredoc destination opens a heredoc, which the lowering reads.
                if instruction.json || instruction.heredocs.is_empty() {
                    return None;
                }
                let destination = values.last()?;
                is_heredoc_marker(&destination.text).then(|| {
                    (
                        destination.span.clone(),
                        format!("a heredoc cannot be the destination of {keyword}: name a path after it"),
                    )
                })
            }
        },
        Keyword::Arg => {
            if values.is_empty() {
                return Some((at_keyword(), "ARG needs a name: `ARG NAME[=default]`".into()));
            }
            let blank = values.iter().find(|value| value.text.starts_with('='))?;
            Some((
                blank.span.clone(),
                "ARG has an empty name before `=`: `ARG NAME=value`".into(),
            ))
        }
        Keyword::Env | Keyword::Label => {
            if values.is_empty() {
                return Some((
                    at_keyword(),
                    format!("{keyword} needs at least one `key=value` pair"),
                ));
            }
            // An empty name is an `=` that starts a word: look at the line before the words.
            let arguments = instruction.arguments();
            if !(arguments.starts_with('=') || arguments.contains(" =") || arguments.contains("\t="))
            {
                return None;
            }
            let blank = values.iter().step_by(2).find(|key| key.text.is_empty())?;
            Some((
                blank.span.start..blank.span.end + 1,
                format!("{keyword} has an empty name before `=`: `{keyword} name=value`"),
            ))
        }
        Keyword::Expose => values.is_empty().then(|| {
            (
                at_keyword(),
                "EXPOSE needs at least one port: `EXPOSE 80` or `EXPOSE 53/udp`".into(),
            )
        }),
        Keyword::Volume => {
            if values.is_empty() {
                return Some((
                    at_keyword(),
                    "VOLUME needs at least one path: `VOLUME /data`".into(),
                ));
            }
            let empty = values.iter().find(|value| value.text.trim().is_empty())?;
            Some((empty.span.clone(), "a VOLUME path is empty".into()))
        }
        Keyword::Onbuild => instruction.onbuild.is_none().then(|| {
            (
                at_keyword(),
                "ONBUILD needs an instruction to run in builds based on this image: `ONBUILD RUN ...`"
                    .into(),
            )
        }),
        Keyword::Shell => (instruction.json && values.is_empty()
            || instruction.arguments().is_empty())
        .then(|| {
            (
                instruction.head_span(),
                "SHELL needs the shell and its options as a JSON array: `SHELL [\"/bin/bash\", \"-c\"]`"
                    .into(),
            )
        }),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            values.is_empty().then(|| {
                let form = match instruction.keyword {
                    Keyword::Maintainer => "MAINTAINER <name>",
                    Keyword::Stopsignal => "STOPSIGNAL <signal>",
                    Keyword::User => "USER <user>[:<group>]",
                    _ => "WORKDIR <path>",
                };
                (
                    at_keyword(),
                    format!("{keyword} needs exactly one argument: `{form}`"),
                )
            })
        }
        Keyword::From => from_problem(instruction),
        Keyword::Healthcheck => healthcheck_problem(instruction),
        _ => None,
    }
}

/// `FROM <image> [AS <name>]`: one word, or three with `AS` in the middle.
fn from_problem(instruction: &Instruction) -> Option<(Span, String)> {
    let values = &instruction.values;
    let is_as = |word: &Word| word.text.eq_ignore_ascii_case("as");
    match values.len() {
        0 => Some((
            instruction.keyword_word.span.clone(),
            "FROM needs an image: `FROM <image> [AS <name>]`".into(),
        )),
        1 => None,
        2 if is_as(&values[1]) => Some((
            values[1].span.clone(),
            format!(
                "`{}` needs a stage name after it: `FROM {} AS <name>`",
                values[1].text, values[0].text
            ),
        )),
        2 => Some((
            values[1].span.clone(),
            format!(
                "FROM takes one image; to name the stage, write `FROM {} AS {}`",
                values[0].text, values[1].text
            ),
        )),
        _ if !is_as(&values[1]) => Some((
            values[1].span.clone(),
            format!(
                "expected `AS` before the stage name, found `{}`: `FROM <image> AS <name>`",
                values[1].text
            ),
        )),
        3 => None,
        _ => Some((
            covering(&values[3..]),
            "FROM takes `<image> [AS <name>]`: these words come after the stage name".into(),
        )),
    }
}

/// `HEALTHCHECK CMD <command>` or `HEALTHCHECK NONE`.
fn healthcheck_problem(instruction: &Instruction) -> Option<(Span, String)> {
    let values = &instruction.values;
    let Some(kind) = values.first() else {
        return Some((
            instruction.keyword_word.span.clone(),
            "HEALTHCHECK needs `CMD <command>` or `NONE`".into(),
        ));
    };
    if kind.text.eq_ignore_ascii_case("none") {
        return (values.len() > 1).then(|| {
            (
                covering(&values[1..]),
                "HEALTHCHECK NONE takes no arguments".into(),
            )
        });
    }
    if !kind.text.eq_ignore_ascii_case("cmd") {
        return Some((
            kind.span.clone(),
            format!(
                "unknown HEALTHCHECK type `{}`: use `CMD <command>` or `NONE`",
                kind.text
            ),
        ));
    }
    (values.len() == 1).then(|| {
        (
            kind.span.clone(),
            "HEALTHCHECK CMD needs a command: `HEALTHCHECK CMD curl -f http://localhost/`".into(),
        )
    })
}

/// BuildKit's heredoc word test (`^(\d*)<<(-?)([^<]*)$` with a name after the marker).
fn is_heredoc_marker(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    !rest.is_empty() && !rest.contains('<')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    fn at(text: &str) -> Vec<String> {
        underlined(&RULE, &format!("FROM a\n{text}\n"))
    }

    #[test]
    fn missing_arguments() {
        assert_eq!(at("COPY a"), vec!["a"]);
        assert_eq!(at("ADD [\"a\"]"), vec!["\"a\""]);
        assert_eq!(at("COPY"), vec!["COPY"]);
        assert_eq!(at("ARG"), vec!["ARG"]);
        assert_eq!(at("ENV"), vec!["ENV"]);
        assert_eq!(at("LABEL"), vec!["LABEL"]);
        assert_eq!(at("EXPOSE"), vec!["EXPOSE"]);
        assert_eq!(at("VOLUME"), vec!["VOLUME"]);
        assert_eq!(at("VOLUME [\"\"]"), vec!["\"\""]);
        assert_eq!(at("ONBUILD"), vec!["ONBUILD"]);
        assert_eq!(at("SHELL"), vec!["SHELL"]);
        assert_eq!(at("SHELL []"), vec!["SHELL []"]);
        assert_eq!(at("USER"), vec!["USER"]);
        assert_eq!(at("WORKDIR"), vec!["WORKDIR"]);
        assert_eq!(at("STOPSIGNAL"), vec!["STOPSIGNAL"]);
        assert_eq!(at("MAINTAINER"), vec!["MAINTAINER"]);
        assert_eq!(at("ARG =x"), vec!["=x"]);
        assert_eq!(at("ENV A=b =c"), vec!["="]);
        assert_eq!(at("COPY <<EOF <<OUT\nx\nEOF\ny\nOUT"), vec!["<<OUT"]);
    }

    #[test]
    fn from_and_healthcheck_shapes() {
        assert_eq!(underlined(&RULE, "FROM\n"), vec!["FROM"]);
        assert_eq!(underlined(&RULE, "FROM a b\n"), vec!["b"]);
        assert_eq!(underlined(&RULE, "FROM a AS\n"), vec!["AS"]);
        assert_eq!(underlined(&RULE, "FROM a ASS b\n"), vec!["ASS"]);
        assert_eq!(underlined(&RULE, "FROM a AS b c d\n"), vec!["c d"]);
        assert_eq!(at("HEALTHCHECK"), vec!["HEALTHCHECK"]);
        assert_eq!(at("HEALTHCHECK CMD"), vec!["CMD"]);
        assert_eq!(at("HEALTHCHECK CMD []"), vec!["CMD"]);
        assert_eq!(at("HEALTHCHECK NONE x y"), vec!["x y"]);
        assert_eq!(at("HEALTHCHECK CHECK x"), vec!["CHECK"]);
        assert!(run(&RULE, "FROM a\nHEALTHCHECK --interval=5s\n").len() == 1);
    }

    #[test]
    fn what_buildkit_accepts() {
        let text = "\
ARG A B=c
FROM a AS b
from a as c
FROM a
ENTRYPOINT
CMD
RUN
ENV A=b C=d
ENV X y z
LABEL a=b
VOLUME /a /b
VOLUME [\"/c\"]
EXPOSE 80
USER a b
WORKDIR /app
STOPSIGNAL TERM
MAINTAINER x
HEALTHCHECK NONE
healthcheck cmd true
HEALTHCHECK CMD [\"true\"]
COPY a b .
COPY <<EOF /x
y
EOF
ADD [\"a\", \"b\"]
ONBUILD RUN x
SHELL [\"sh\", \"-c\"]
";
        assert!(run(&RULE, text).is_empty(), "{:?}", underlined(&RULE, text));
        // ENV NAME without a value is the line parser's error, not repeated here.
        assert!(run(&RULE, "FROM a\nENV PATH\n").is_empty());
    }

    #[test]
    fn onbuild_triggers_are_warnings() {
        let found = run(&RULE, "FROM a\nONBUILD COPY x\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
    }
}
