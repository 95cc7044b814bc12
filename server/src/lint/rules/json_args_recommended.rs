//! JSONArgsRecommended: BuildKit's check for `CMD` and `ENTRYPOINT` in shell form.

use crate::lint::buildkit::{is_windows_stage, stage_chain};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, Keyword, SourceFile, Stage};

pub static RULE: Rule = Rule {
    name: "JSONArgsRecommended",
    aliases: &["DL3025"],
    severity: Severity::Warning,
    summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    documentation: "\
## What it does
Flags `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`) in a stage where no `SHELL` \
instruction (in the stage or a stage it is built on) set the shell. This is BuildKit's build \
check of the same name.

Like BuildKit it stays silent after a `SHELL` instruction (the shell form is then a choice), \
and it looks at the stages the build runs: every stage, or with `targetStages` set the stages \
those targets and the last stage need. It also stays silent where we cannot know what BuildKit \
sees: on a Windows base image (which may set its shell in its config), and for arguments \
written like a JSON array with single quotes (`CMD ['app']`), which are reported as that \
mistake instead.

hadolint's DL3025 flags every shell-form `CMD` and `ENTRYPOINT`, `SHELL` or not.

## Why
In shell form the command runs as `/bin/sh -c \"...\"`: the shell is the container's process \
1 and does not pass on `SIGTERM`, so `docker stop` waits ten seconds and kills the process.

## Fixes
**Convert to exec form** (unsafe): `CMD [\"node\", \"server.js\"]`. Offered only when the \
command uses nothing of the shell (no variables, quotes, escapes, globs, redirections, \
operators, `~`, comments, leading `NAME=value` assignments or shell built-ins such as `exec` \
or `cd`), so the same program gets the same arguments. It is unsafe because what else uses the \
command can change: an `ENTRYPOINT` (of the base image, which this file does not show) \
receives `node server.js` instead of `/bin/sh -c \"node server.js\"`, and a converted \
`ENTRYPOINT` is given the `CMD` and `docker run` arguments that the shell form ignored. It is \
not offered for a `CMD` where this file sets an `ENTRYPOINT`, nor for an `ENTRYPOINT` with a \
`CMD` in its stage (their meaning would change). On a stage built on `scratch`, with no \
`ENTRYPOINT`, the conversion of a `CMD` is safe.

**Write `ENTRYPOINT []`** (unsafe), for an `ENTRYPOINT` or `CMD` with no arguments at all: \
BuildKit reads that as an empty shell form and stores `/bin/sh -c \"\"`, which runs nothing; \
`[]` clears what the base image set, which is what such a line usually means, but the image \
then runs something else.

## Example
```dockerfile
FROM node:20
CMD node server.js
```

## Use instead
```dockerfile
FROM node:20
CMD [\"node\", \"server.js\"]
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let instructions = source.instructions();
    let keywords = context.keywords();
    // Whether each stage ends with a SHELL set, for the stages built on it.
    let mut shell_at_end: Vec<bool> = Vec::with_capacity(source.stages.stages.len());
    for stage in &source.stages.stages {
        let mut shell = stage_chain(source, stage.index)
            .nth(1)
            .is_some_and(|parent| shell_at_end[parent.index]);
        let looked_at =
            context.checked_stages()[stage.index] && !is_windows_stage(context, stage.index);
        for index in stage.body.clone() {
            match keywords[index] {
                Keyword::Shell => shell = true,
                Keyword::Cmd | Keyword::Entrypoint if looked_at && !shell => {
                    let instruction = &instructions[index];
                    if !instruction.json && !single_quoted_array(instruction) {
                        found.push(finding(context, stage, index));
                    }
                }
                _ => {}
            }
        }
        shell_at_end.push(shell);
    }
}

fn finding(context: &Context, stage: &Stage, index: usize) -> Diagnostic {
    let instruction = &context.instructions()[index];
    let name = &instruction.keyword_word.text;
    if instruction.arguments().trim().is_empty() && instruction.heredocs.is_empty() {
        return bare(context, instruction);
    }
    Diagnostic::new(
        &RULE,
        instruction.head_span(),
        format!("JSON arguments recommended for {name} to prevent unintended behavior related to OS signals"),
    )
    .fix_with(context, || exec_form_fix(context.source, stage, index))
}

/// `ENTRYPOINT` or `CMD` with nothing after it: BuildKit reads an empty shell form, so the
/// image gets `/bin/sh -c ""`, which does nothing (given to such an entrypoint, the `CMD`
/// becomes the empty script's `$0` and never runs). The author most likely meant to clear
/// what the base image set, which is `[]`.
fn bare(context: &Context, instruction: &Instruction) -> Diagnostic {
    let name = &instruction.keyword_word.text;
    let keyword = instruction.keyword_word.span.clone();
    Diagnostic::new(
        &RULE,
        instruction.head_span(),
        format!(
            "{name} without arguments is an empty shell form: the image gets `/bin/sh -c \"\"`, \
             which runs nothing; `{name} []` clears the base image's {name} instead"
        ),
    )
    .fix_with(context, || {
        // Unsafe: the image's command changes from one that does nothing to the base
        // image's defaults being cleared, which is what the line most likely meant.
        Some(Fix::new(
            format!("Write {name} []"),
            vec![Edit::insert(keyword.end, " []")],
        ))
    })
}

/// `CMD ['app']`: a JSON array written with single quotes, which BuildKit reads as a shell
/// command; SingleQuotedExecForm reports that mistake, on exactly these (one of the two speaks).
fn single_quoted_array(instruction: &Instruction) -> bool {
    crate::lint::parsed::single_quoted_array(instruction.arguments().trim()).is_some()
}

/// Built-ins and reserved words of the shell: as the first word they mean nothing outside a
/// shell.
const SHELL_WORDS: &[&str] = &[
    ".", ":", "alias", "break", "builtin", "case", "cd", "command", "continue", "declare", "do",
    "done", "elif", "else", "esac", "eval", "exec", "exit", "export", "fi", "for", "function",
    "getopts", "hash", "if", "in", "local", "read", "readonly", "return", "select", "set", "shift",
    "source", "then", "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset",
    "until", "wait", "while",
];

/// The words of a shell command that means the same without a shell: plain words only.
fn plain_words(arguments: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = arguments.split_ascii_whitespace().collect();
    let first = words.first()?;
    let plain = |word: &&str| {
        word.bytes().all(|byte| {
            byte.is_ascii_alphanumeric()
                || matches!(
                    byte,
                    b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'+' | b'@' | b'%'
                )
        })
    };
    if !words.iter().all(plain) || first.contains('=') || SHELL_WORDS.contains(first) {
        return None;
    }
    Some(words)
}

fn exec_form_fix(source: &SourceFile, stage: &Stage, index: usize) -> Option<Fix> {
    let instructions = source.instructions();
    let instruction = &instructions[index];
    // The continuation lines and comments of the written command would be lost.
    if instruction.logical.segments.len() > 1 {
        return None;
    }
    let words = plain_words(instruction.arguments())?;
    let is_cmd = instruction.keyword == Keyword::Cmd;
    let in_chain = |keyword: Keyword| {
        stage_chain(source, stage.index).any(|stage| {
            stage
                .body
                .clone()
                .any(|at| instructions[at].keyword == keyword)
        })
    };
    let in_stage = |keyword: Keyword| {
        stage
            .body
            .clone()
            .any(|at| instructions[at].keyword == keyword)
    };
    if is_cmd && in_chain(Keyword::Entrypoint) || !is_cmd && in_stage(Keyword::Cmd) {
        return None;
    }
    let array = format!("[\"{}\"]", words.join("\", \""));
    let fix = Fix::new(
        "Convert to exec form (a JSON array)",
        vec![Edit::replace(instruction.arguments_span(), array)],
    )
    .preferred();
    let on_scratch = matches!(
        stage_chain(source, stage.index)
            .last()
            .map(|root| &root.base),
        Some(crate::syntax::Base::Scratch)
    );
    Some(if is_cmd && on_scratch {
        fix.safe()
    } else {
        fix
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::lint::testing::{apply_fix, run, run_with, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_shell_form_without_a_shell_instruction() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM scratch\nCMD mycommand\nENTRYPOINT mycommand\nCMD [\"ok\"]\n"
            ),
            vec!["CMD mycommand", "ENTRYPOINT mycommand"]
        );
        assert!(
            underlined(
                &RULE,
                "FROM scratch\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\n"
            )
            .is_empty()
        );
        // The shell carries over to the stages built on the stage.
        assert!(
            underlined(
                &RULE,
                "FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nENTRYPOINT mycommand\n"
            )
            .is_empty()
        );
        // But not to other stages, and not backwards.
        assert_eq!(
            underlined(
                &RULE,
                "FROM a AS one\nCMD x\nSHELL [\"sh\"]\nFROM b\nCMD y\n"
            ),
            vec!["CMD x", "CMD y"]
        );
        // HEALTHCHECK and ONBUILD are not looked at; single-quoted arrays are another mistake.
        assert!(
            underlined(
                &RULE,
                "FROM a\nHEALTHCHECK CMD curl x\nONBUILD CMD y\nCMD ['app']\n"
            )
            .is_empty()
        );
        assert_eq!(
            run(&RULE, "FROM a\ncmd x\n")[0].message,
            "JSON arguments recommended for cmd to prevent unintended behavior related to OS signals"
        );
    }

    #[test]
    fn target_stages_limit_the_stages_looked_at() {
        let text = "FROM a AS test\nCMD x\nFROM b AS app\nCMD y\n";
        assert_eq!(run(&RULE, text).len(), 2);
        let settings = Settings {
            target_stages: vec!["app".into()],
            ..Settings::default()
        };
        assert_eq!(run_with(&RULE, text, &settings).len(), 1);
    }

    #[test]
    fn windows_bases_are_left_alone() {
        assert!(
            underlined(
                &RULE,
                "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD app\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn converts_plain_commands_to_exec_form() {
        let fixed = apply_fix(
            &RULE,
            "FROM node:20\nCMD node server.js --port=8080\n",
            "Convert",
        );
        assert_eq!(
            fixed,
            "FROM node:20\nCMD [\"node\", \"server.js\", \"--port=8080\"]\n"
        );
        let parsed = SourceFile::parse(&fixed);
        let command = &parsed.instructions()[1];
        assert!(command.json);
        let words: Vec<&str> = command
            .values
            .iter()
            .map(|word| word.text.as_str())
            .collect();
        assert_eq!(words, vec!["node", "server.js", "--port=8080"]);
        let found = run(&RULE, "FROM node:20\nCMD node server.js\n");
        assert!(!found[0].fixes[0].safe);
        let found = run(&RULE, "FROM scratch\nCMD /app\n");
        assert!(found[0].fixes[0].safe);
    }

    #[test]
    fn a_bare_entrypoint_is_told_what_it_does_and_can_be_cleared() {
        let text = "FROM alpine:3.20\nCMD [\"sleep\", \"1\"]\nENTRYPOINT\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("/bin/sh -c"),
            "{}",
            found[0].message
        );
        assert!(!found[0].fixes[0].safe);
        let fixed = apply_fix(&RULE, text, "Write ENTRYPOINT []");
        assert_eq!(
            fixed,
            "FROM alpine:3.20\nCMD [\"sleep\", \"1\"]\nENTRYPOINT []\n"
        );
        let parsed = SourceFile::parse(&fixed);
        let entrypoint = &parsed.instructions()[2];
        assert!(entrypoint.json);
        assert!(entrypoint.values.is_empty());
        assert!(run(&RULE, &fixed).is_empty());
    }

    #[test]
    fn no_conversion_where_the_meaning_would_change() {
        for text in [
            "FROM a\nCMD echo $HOME\n",
            "FROM a\nCMD app > /log\n",
            "FROM a\nCMD app && other\n",
            "FROM a\nCMD \"app\"\n",
            "FROM a\nCMD ls *.txt\n",
            "FROM a\nCMD exec app\n",
            "FROM a\nCMD cd /x\n",
            "FROM a\nCMD FOO=1 app\n",
            "FROM a\nCMD app ~/x\n",
            "FROM a\nCMD app # note\n",
            "FROM a\nCMD app \\\n  --flag\n",
            "FROM a\nENTRYPOINT [\"tini\"]\nCMD app\n",
            "FROM a AS base\nENTRYPOINT [\"tini\"]\nFROM base\nCMD app\n",
            "FROM a\nENTRYPOINT app\nCMD [\"x\"]\n",
        ] {
            let found = run(&RULE, text);
            assert!(
                found
                    .iter()
                    .all(|finding| finding.fixes.iter().all(|fix| fix.suppresses)),
                "{text}"
            );
        }
    }
}
