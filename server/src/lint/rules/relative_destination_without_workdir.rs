//! RelativeDestinationWithoutWorkdir: `COPY app.jar app.jar` in a stage that never set a
//! `WORKDIR`: where the file lands depends on the base image.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Base, Keyword};

pub static RULE: Rule = Rule {
    name: "RelativeDestinationWithoutWorkdir",
    aliases: &["DL3045"],
    severity: Severity::Warning,
    summary: "COPY or ADD to a relative destination before any WORKDIR",
    documentation: "\
## What it does
Flags a `COPY` or `ADD` whose destination is relative (`app/`, `.`, `config.yml`) in a stage \
where no `WORKDIR` has been set yet, neither in the stage nor in the stages it is built on \
(`FROM <stage>`, followed through the stage graph). Absolute destinations (`/app`, \
`C:\\\\app`, `c:/app`) and destinations that start with a variable are left alone.

## Why
A relative destination is resolved against the working directory, which this Dockerfile \
has not set: it comes from the base image (`/` for most, `/go` for `golang`, \
`/usr/src/app` for others) and changes when the base does. Set `WORKDIR` first, or write \
the destination in full.

## Differences from hadolint
hadolint's DL3045 checks `COPY` only; `ADD` resolves its destination the same way and is \
checked too. `ONBUILD COPY` runs in the images built from this one, whose working \
directory is theirs, and is left alone.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The destination does not depend on the working directory.
fn is_absolute(destination: &str) -> bool {
    let destination = destination.trim_matches(['"', '\'']);
    let bytes = destination.as_bytes();
    destination.starts_with(['/', '\\', '$'])
        // `c:\app`, `c:/app`, `C:`: a Windows drive.
        || (bytes.len() >= 2
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes.get(2), None | Some(b'\\' | b'/')))
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let stages = &context.source.stages.stages;
    let instructions = context.instructions();
    // Whether each stage ends with a WORKDIR set, its own or inherited.
    let mut ends_set: Vec<bool> = Vec::with_capacity(stages.len());
    for stage in stages {
        let mut set = match stage.base {
            Base::Stage(parent) => ends_set.get(parent).copied().unwrap_or(false),
            _ => false,
        };
        for index in stage.body.clone() {
            let instruction = &instructions[index];
            match instruction.keyword {
                Keyword::Workdir => set = true,
                Keyword::Copy | Keyword::Add if !set => {
                    let Some(destination) = instruction.values.last() else {
                        continue;
                    };
                    if instruction.values.len() < 2 || is_absolute(&destination.text) {
                        continue;
                    }
                    found.push(Diagnostic::new(
                        &RULE,
                        destination.span.clone(),
                        format!(
                            "`{}` is relative and no WORKDIR is set: where it lands depends on the base image. Set WORKDIR first or write an absolute path",
                            destination.text
                        ),
                    ));
                }
                _ => {}
            }
        }
        ends_set.push(set);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn relative_destinations_before_any_workdir() {
        let flagged = "FROM scratch\nCOPY bla.sh blubb.sh\nCOPY bla.sh \"blubb.sh\"\nCOPY a b\nADD x.tar.gz opt/\nCOPY bla.sh /usr/local/bin/blubb.sh\nCOPY bla.sh \"/usr/local/bin/blubb.sh\"\nCOPY bla.sh c:\\system32\\blubb.sh\nCOPY bla.sh \"d:\\mypath\\blubb.sh\"\nCOPY bla.sh c:/system32/blubb.sh\nCOPY hello.txt C:\nCOPY src.sh ${SRC_BASE_ENV}\nCOPY src.sh \"$SRC_BASE_ENV\"\nONBUILD COPY foo bar\nWORKDIR /usr\nCOPY later here\n";
        assert_eq!(
            underlined(&RULE, flagged),
            vec!["blubb.sh", "\"blubb.sh\"", "b", "opt/"]
        );
    }

    #[test]
    fn workdir_follows_the_stage_graph() {
        let set_in_base = "FROM debian:buster AS base1\nWORKDIR /usr\nFROM base1 AS base2\nRUN foo\nFROM base2\nCOPY foo bar\n";
        assert!(underlined(&RULE, set_in_base).is_empty());
        let other_stage =
            "FROM debian:buster AS stage1\nWORKDIR /usr\nFROM debian:buster\nCOPY foo bar\n";
        assert_eq!(underlined(&RULE, other_stage), vec!["bar"]);
        let between = "FROM debian:buster AS base\nWORKDIR /usr\nFROM debian:buster AS stage-inbetween\nRUN foo\nFROM base\nCOPY foo bar\n";
        assert!(underlined(&RULE, between).is_empty());
    }
}
