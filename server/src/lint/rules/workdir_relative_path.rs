//! WorkdirRelativePath: BuildKit's check for a relative `WORKDIR` before any absolute one.

use crate::lint::buildkit::{go_quote, is_windows_stage, stage_chain};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "WorkdirRelativePath",
    aliases: &["DL3000"],
    severity: Severity::Warning,
    summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    documentation: "\
## What it does
Flags the first `WORKDIR` of a stage when its path is relative and no `WORKDIR` came before \
it in the stage or in a stage it is built on. A relative path is resolved against the base \
image's working directory, which this file does not control. This is BuildKit's build check \
of the same name: later relative `WORKDIR`s are not flagged (fixing the first fixes them), and \
the path is read after variables are expanded; a path whose variables have no value known \
here is left alone. On a Windows base image, `C:\\app` and `\\app` are absolute too.

hadolint's DL3000 flags every relative `WORKDIR`, and none that starts with a variable.

## Why
`WORKDIR app` means `/app` on one base image and `/home/node/app` on another: changing the base \
image moves the files.

## Example
```dockerfile
FROM node:20
WORKDIR app
```

## Use instead
```dockerfile
FROM node:20
WORKDIR /app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let keywords = context.keywords();
    // Whether each stage ends with a WORKDIR set in this file, for the stages built on it.
    let mut set_at_end: Vec<bool> = Vec::with_capacity(source.stages.stages.len());
    for stage in &source.stages.stages {
        let mut set = stage_chain(source, stage.index)
            .nth(1)
            .is_some_and(|parent| set_at_end[parent.index]);
        for index in stage.body.clone() {
            if keywords[index] != Keyword::Workdir {
                continue;
            }
            if !std::mem::replace(&mut set, true) && context.checked_stages()[stage.index] {
                found.extend(relative(context, stage.index, index));
            }
        }
        set_at_end.push(set);
    }
}

/// The finding for the WORKDIR at `index` when its path, expanded, is relative.
fn relative(context: &Context, stage: usize, index: usize) -> Option<Diagnostic> {
    let source = context.source;
    let word = source.instructions()[index].values.first()?;
    // BuildKit expands the word: variables, quotes and escapes.
    let path = if word.text.contains(['$', '\'', '"', source.file.escape]) {
        let scope = source.stages.scope_at(&source.file, index);
        let resolution = scope.expand(&word.text, source.file.escape).ok()?;
        if !resolution.unknown.is_empty() || !resolution.undefined.is_empty() {
            return None;
        }
        resolution.text
    } else {
        word.text.to_string()
    };
    // `/app` is absolute everywhere; only what is not needs the base image's system.
    let absolute =
        path.starts_with('/') || (is_windows_stage(context, stage) && windows_absolute(&path));
    (!absolute).then(|| {
        Diagnostic::new(
            &RULE,
            word.span.clone(),
            format!(
                "Relative workdir {} can have unexpected results if the base image changes",
                go_quote(&path)
            ),
        )
    })
}

/// `\app`, `/app`, `C:\app`, `C:/app`.
fn windows_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    match bytes {
        [b'/' | b'\\', ..] => true,
        [drive, b':', b'/' | b'\\', ..] => drive.is_ascii_alphabetic(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn flags_the_first_relative_workdir_of_a_stage_chain() {
        assert_eq!(
            underlined(&RULE, "FROM scratch\nWORKDIR app/\nWORKDIR more\n"),
            vec!["app/"]
        );
        assert_eq!(
            run(&RULE, "FROM scratch\nWORKDIR app/\n")[0].message,
            "Relative workdir \"app/\" can have unexpected results if the base image changes"
        );
        assert!(
            underlined(
                &RULE,
                "FROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n"
            )
            .is_empty()
        );
        assert_eq!(
            underlined(&RULE, "FROM a AS one\nWORKDIR /app\nFROM b\nWORKDIR sub\n"),
            vec!["sub"]
        );
        assert!(underlined(&RULE, "FROM a\nWORKDIR \"/quoted\"\n").is_empty());
    }

    #[test]
    fn paths_are_read_after_expansion() {
        assert!(underlined(&RULE, "FROM a\nENV DIR=/srv\nWORKDIR $DIR/app\n").is_empty());
        assert_eq!(
            underlined(&RULE, "FROM a\nARG DIR=srv\nWORKDIR ${DIR}/app\n"),
            vec!["${DIR}/app"]
        );
        // A variable whose value is not known here, or that the base image may set.
        assert!(underlined(&RULE, "FROM a\nARG DIR\nWORKDIR $DIR\n").is_empty());
        assert!(underlined(&RULE, "FROM a\nWORKDIR $HOME/app\n").is_empty());
    }

    #[test]
    fn windows_paths() {
        assert!(
            windows_absolute("C:\\app") && windows_absolute("c:/app") && windows_absolute("\\app")
        );
        assert!(!windows_absolute("app") && !windows_absolute("C:app"));
        assert!(
            underlined(
                &RULE,
                "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\\\app\n"
            )
            .is_empty()
        );
    }
}
