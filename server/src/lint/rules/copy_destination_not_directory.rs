//! CopyDestinationNotDirectory: `COPY` or `ADD` of several sources to a destination that does
//! not end with `/`.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, Word};

pub static RULE: Rule = Rule {
    name: "CopyDestinationNotDirectory",
    aliases: &["DL3021"],
    severity: Severity::Warning,
    summary: "Several sources are copied to a destination without a trailing /",
    documentation: "\
## What it does
Flags a `COPY` or `ADD` with two or more sources whose destination does not end with `/`. \
`.`, `..` and paths ending in `/.` or `/..` name directories and are fine; a destination \
with variables is not judged.

## Why
BuildKit builds it, but what it builds depends on the image: when the destination does not \
exist, each source is copied to that one path in turn, and the last one wins \
(moby/buildkit#1853); the classic builder refused it (\"When using COPY with more than one \
source file, the destination must be a directory and end with a /\"). A trailing `/` says \
that the destination is a directory, which is what several sources need. hadolint reports \
the same as DL3021 (as an error there; a warning here, because BuildKit builds it).

## Fixes
**Add a trailing /** (unsafe): the destination becomes a directory holding every source, as \
meant; where it already was a directory nothing changes. Where it did not exist, BuildKit \
builds the instruction as written and makes the destination one file (the last source), so \
what later runs or copies that path changes: read the diff.

## Example
```dockerfile
FROM node:20
COPY package.json package-lock.json /app
```

## Use instead
```dockerfile
FROM node:20
COPY package.json package-lock.json /app/
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Whether `destination` names a directory by its spelling.
fn is_directory(destination: &str) -> bool {
    destination.ends_with(['/', '\\'])
        || matches!(destination, "." | "..")
        || destination.ends_with("/.")
        || destination.ends_with("/..")
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `COPY` or `ADD` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let instruction = parsed.instruction;
    if instruction.values.len() < 3 {
        return;
    }
    let Some(destination) = instruction.values.last() else {
        return;
    };
    if destination.text.contains('$') || is_directory(&destination.text) {
        return;
    }
    let keyword = instruction.keyword.name();
    let diagnostic = Diagnostic::new(
        &RULE,
        destination.span.clone(),
        format!(
            "{keyword} of several sources to `{}`: end the destination with `/` so it is a directory",
            destination.text
        ),
    );
    let diagnostic = diagnostic.fix_with(context, || {
        let at = slash_position(context, instruction, destination)?;
        Some(
            // Unsafe: where the destination does not exist, BuildKit builds this today and
            // makes it one file holding the last source; the `/` makes it a directory, and
            // whatever runs or copies that path later changes.
            Fix::new("Add a trailing /", vec![Edit::insert(at, "/")]).preferred(),
        )
    });
    found.push(parsed.finish(diagnostic));
}

/// Where a `/` ends the destination: after the word, or inside the closing quote of its JSON
/// string; `None` where the word is not written as read.
fn slash_position(
    context: &Context,
    instruction: &Instruction,
    destination: &Word,
) -> Option<usize> {
    let written = context.source.slice(&destination.span);
    if !instruction.json {
        return (written == destination.text).then_some(destination.span.end);
    }
    let inner = written.strip_prefix('"')?.strip_suffix('"')?;
    (inner == destination.text).then_some(destination.span.end - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn several_sources_to_a_file_path() {
        let text = "FROM a\nCOPY a b /app\nADD [\"x\", \"y\", \"/srv\"]\n";
        assert_eq!(underlined(&RULE, text), vec!["/app", "\"/srv\""]);
        let fixed = apply_fix(&RULE, "FROM a\nCOPY a b /app\n", "Add a trailing /");
        assert_eq!(fixed, "FROM a\nCOPY a b /app/\n");
        let fixed = apply_fix(
            &RULE,
            "FROM a\nADD [\"x\", \"y\", \"/srv\"]\n",
            "Add a trailing /",
        );
        assert_eq!(fixed, "FROM a\nADD [\"x\", \"y\", \"/srv/\"]\n");
        let add = &SourceFile::parse(&fixed).file.instructions[1];
        assert_eq!(add.values[2].text, "/srv/");
        let found = run(&RULE, "FROM a\nCOPY a b /app\n");
        assert_eq!(found[0].severity, Severity::Warning);
        // Where /app did not exist the build made it a file: a directory is another image.
        assert!(!found[0].fixes[0].safe);
    }

    #[test]
    fn directories_and_single_sources() {
        assert!(
            run(
                &RULE,
                "FROM a\nCOPY a b .\nCOPY a b ./\nCOPY a b ..\nCOPY a b /x/.\nCOPY a b /app/\nCOPY a /app\nCOPY a b $DIR\nCOPY *.json /app\nCOPY a b c:\\\\\n"
            )
            .is_empty()
        );
    }
}
