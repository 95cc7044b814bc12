//! UndefinedVar: BuildKit's check for a variable BuildKit expands that nothing defines.

use crate::knowledge::stage_bases::{BaseKind, StageBase};
use crate::lint::buildkit::{is_windows_stage, stage_chain, suggest};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Keyword, SourceFile};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "UndefinedVar",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Variables should be defined before their use",
    documentation: "\
## What it does
Flags a variable that BuildKit expands (in `ENV`, `LABEL`, `COPY`, `ADD`, `WORKDIR`, \
`USER`, `VOLUME`, `STOPSIGNAL`, `ARG` defaults and `RUN --mount`) when nothing defines it at \
that point, with BuildKit's suggestion of the nearest defined name. This is BuildKit's build \
check of the same name.

Defined are: the `ARG`s and `ENV`s of the stage before the instruction, those of the stages \
it is built on (`FROM <stage>`), and the variables of the base image's config: `PATH` always, \
and what the catalog knows of an official image's `ENV` (`python` sets `PYTHON_VERSION`, \
`LANG`...; `golang` `GOLANG_VERSION`, `GOPATH`...; `node` `NODE_VERSION`...). A global `ARG` \
is not visible in a stage until the stage declares it again, and the proxy and platform \
variables (`HTTP_PROXY`, `TARGETARCH`) not until an `ARG` declares them.

The shell's variables are the shell's: `RUN`, `CMD` and `ENTRYPOINT` commands are not \
looked at. Where the base image's variables are unknown (an image the catalog does not know, \
a base chosen by a build argument, a Windows image), a name the file does not define may be \
the image's, and nothing is reported. Like BuildKit it looks at the stages the build runs \
(every stage, or with `targetStages` set the stages those targets and the last stage need).

## Why
An undefined variable expands to nothing: `COPY $SRC_DIR /app` copies the whole context, \
`ENV PATH=$PAHT:/opt/bin` loses the system path.

## Fixes
**Use NAME** (unsafe): renames the variable to the suggested one. Whether that is the \
variable meant is for the author to say.

## Example
```dockerfile
FROM alpine
ENV PATH=$PAHT:/opt/bin
```

## Use instead
```dockerfile
FROM alpine
ENV PATH=$PATH:/opt/bin
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Build arguments BuildKit never puts in the environment, so never reports.
const NOT_IN_ENVIRONMENT: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// A name defined in a stage: the name, and whether it has a value (only those are suggested,
/// as in BuildKit).
type Declared<'a> = (&'a str, bool);

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let instructions = source.instructions();
    let keywords = context.keywords();
    let global_defaults = global_defaults(source);
    let stages = &source.stages.stages;
    // What each stage defines by its end, kept for the stages that others are built on.
    let mut is_parent = vec![false; stages.len()];
    for stage in stages {
        if let Some(parent) = stage_chain(source, stage.index).nth(1) {
            is_parent[parent.index] = true;
        }
    }
    let mut at_end: Vec<Option<Vec<Declared>>> = vec![None; stages.len()];
    // One buffer for the stages nothing is built on (most of them).
    let mut scratch: Vec<Declared> = Vec::new();
    for stage in stages {
        let mut declared = std::mem::take(&mut scratch);
        declared.clear();
        if let Some(parent) = stage_chain(source, stage.index).nth(1)
            && let Some(parent_end) = &at_end[parent.index]
        {
            declared.extend_from_slice(parent_end);
        }
        let image = image_env(context, stage.index);
        let checked = context.checked_stages()[stage.index];
        for index in stage.body.clone() {
            let keyword = keywords[index];
            let expansions = if checked {
                source.expansions(index)
            } else {
                &[]
            };
            // Most instructions neither expand nor declare a variable: not read at all.
            if expansions.is_empty() && !matches!(keyword, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let instruction = &instructions[index];
            if !expansions.is_empty() {
                let mut pending = arg_declarations(instruction, &global_defaults);
                let mut next = 0;
                for expansion in expansions {
                    // The ARG words before this default are declared already.
                    while let Some((end, declaration)) = pending.get(next)
                        && *end <= expansion.span.start
                    {
                        declared.push(*declaration);
                        next += 1;
                    }
                    let name = expansion.name.as_str();
                    if declared.iter().any(|(known, _)| *known == name)
                        || NOT_IN_ENVIRONMENT.contains(&name)
                    {
                        continue;
                    }
                    let Some(image) = image else {
                        continue;
                    };
                    if name == "PATH" || image.contains(&name) {
                        continue;
                    }
                    let options = std::iter::once("PATH").chain(image.iter().copied()).chain(
                        declared
                            .iter()
                            .filter(|(_, has_value)| *has_value)
                            .map(|(known, _)| *known),
                    );
                    let suggestion = suggest(name, options);
                    found.push(finding(context, name, expansion.span.clone(), suggestion));
                }
                declared.extend(pending.drain(next..).map(|(_, declaration)| declaration));
            } else if instruction.keyword == Keyword::Arg {
                declared.extend(
                    instruction
                        .values
                        .iter()
                        .map(|word| arg_declaration(word, &global_defaults).1),
                );
            }
            if instruction.keyword == Keyword::Env {
                declared.extend(
                    instruction
                        .values
                        .chunks(2)
                        .map(|pair| (pair[0].text.as_str(), true)),
                );
            }
        }
        if is_parent[stage.index] {
            at_end[stage.index] = Some(declared);
        } else {
            scratch = declared;
        }
    }
}

/// The names of the global `ARG`s that have a default (a stage `ARG` of that name without one
/// takes it).
fn global_defaults(source: &SourceFile) -> Vec<&str> {
    source.instructions()[source.stages.preamble.clone()]
        .iter()
        .filter(|instruction| instruction.keyword == Keyword::Arg)
        .flat_map(|instruction| instruction.values.iter())
        .filter_map(|word| word.text.split_once('=').map(|(name, _)| name))
        .collect()
}

/// The names an `ARG` declares, each with where its word ends (later words see it).
fn arg_declarations<'a>(
    instruction: &'a crate::syntax::Instruction,
    global_defaults: &[&str],
) -> Vec<(usize, Declared<'a>)> {
    if instruction.keyword != Keyword::Arg {
        return Vec::new();
    }
    instruction
        .values
        .iter()
        .map(|word| arg_declaration(word, global_defaults))
        .collect()
}

/// The name one `ARG` word declares, and where the word ends.
fn arg_declaration<'a>(
    word: &'a crate::syntax::Word,
    global_defaults: &[&str],
) -> (usize, Declared<'a>) {
    let (name, has_default) = match word.text.split_once('=') {
        Some((name, _)) => (name, true),
        None => (word.text.as_str(), false),
    };
    let has_value = has_default || global_defaults.contains(&name);
    (word.span.end, (name, has_value))
}

/// The variables of the stage's base image config besides `PATH` (which BuildKit always
/// sets), when they are known.
fn image_env(context: &Context, stage: usize) -> Option<&'static [&'static str]> {
    if is_windows_stage(context, stage) {
        return None;
    }
    let base: &StageBase = context.stage_bases().get(stage)?;
    if base.from_variable {
        return None;
    }
    match &base.kind {
        BaseKind::Scratch => Some(&[]),
        BaseKind::Image { info, .. } => info.as_deref()?.entry?.env,
        _ => None,
    }
}

fn finding(context: &Context, name: &str, at: Span, suggestion: Option<&str>) -> Diagnostic {
    let mut message = format!("Usage of undefined variable '${name}'");
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(" (did you mean ${suggestion}?)"));
    }
    with_rename(
        Diagnostic::new(&RULE, at, message),
        context,
        name,
        suggestion,
    )
}

/// `diagnostic` (on a variable's name as written) with the fix that renames it to BuildKit's
/// suggestion, unsafe (the user may have meant another variable), where the name is written
/// plainly (no escapes inside it).
pub(crate) fn with_rename(
    diagnostic: Diagnostic,
    context: &Context,
    name: &str,
    suggestion: Option<&str>,
) -> Diagnostic {
    let at = diagnostic.span.clone();
    let exact = context.source.slice(&at) == name;
    diagnostic.fix_with(context, || {
        let suggestion = suggestion.filter(|_| exact)?;
        Some(
            Fix::new(
                format!("Use {suggestion}"),
                vec![Edit::replace(at, suggestion)],
            )
            .preferred(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::lint::testing::{apply_fix, run, run_with, underlined};

    #[test]
    fn flags_names_nothing_defines_yet() {
        let found = run(
            &RULE,
            "FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "Usage of undefined variable '$foo'");
        assert_eq!(
            run(&RULE, "FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n")[0].message,
            "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"
        );
        assert_eq!(
            run(&RULE, "FROM alpine\nENV PATH=$PAHT:/tmp/bin\n")[0].message,
            "Usage of undefined variable '$PAHT' (did you mean $PATH?)"
        );
        assert_eq!(
            underlined(
                &RULE,
                "FROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n"
            ),
            vec!["foo", "bar"]
        );
    }

    #[test]
    fn defined_names_are_fine() {
        for text in [
            "FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n",
            "FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
            "FROM alpine\nRUN echo $PATH $UNDEFINED\n",
            "FROM alpine\nCMD echo $UNDEFINED\n",
            "FROM alpine\nARG A=1 B=$A\n",
            "FROM python:3.12-slim\nENV V=$PYTHON_VERSION\n",
            "FROM golang:1.22\nWORKDIR $GOPATH/src\n",
            "FROM node:20-alpine\nLABEL node=$NODE_VERSION\n",
            "FROM alpine\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nENV X=$BUILDKIT_SBOM_SCAN_CONTEXT\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn global_and_predefined_arguments_need_a_declaration_in_the_stage() {
        assert_eq!(
            underlined(&RULE, "ARG V=1\nFROM alpine\nENV X=$V\n"),
            vec!["V"]
        );
        assert!(run(&RULE, "ARG V=1\nFROM alpine\nARG V\nENV X=$V\n").is_empty());
        assert_eq!(
            underlined(&RULE, "FROM alpine\nENV A=$TARGETARCH B=$HTTP_PROXY\n"),
            vec!["TARGETARCH", "HTTP_PROXY"]
        );
        // ENV values see what came before the instruction only.
        assert_eq!(underlined(&RULE, "FROM alpine\nENV A=1 B=$A\n"), vec!["A"]);
    }

    #[test]
    fn unknown_bases_keep_it_silent() {
        for text in [
            "FROM mycompany/base\nCOPY $foo .\n",
            "ARG BASE=alpine\nFROM $BASE\nCOPY $foo .\n",
            "FROM mycompany/base AS a\nFROM a\nCOPY $foo .\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY $foo .\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        // A name the file defines still counts there.
        assert!(run(&RULE, "FROM mycompany/base\nARG A=1\nCOPY $A .\n").is_empty());
    }

    #[test]
    fn target_stages_limit_the_stages_looked_at() {
        let text = "FROM alpine AS test\nCOPY $foo .\nFROM alpine AS app\nCOPY $bar .\n";
        let settings = Settings {
            target_stages: vec!["app".into()],
            ..Settings::default()
        };
        assert_eq!(run_with(&RULE, text, &settings).len(), 1);
    }

    #[test]
    fn renames_to_the_suggestion() {
        assert_eq!(
            apply_fix(&RULE, "FROM alpine\nENV PATH=$PAHT:/tmp/bin\n", "Use PATH"),
            "FROM alpine\nENV PATH=$PATH:/tmp/bin\n"
        );
    }
}
