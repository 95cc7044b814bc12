//! CopyWholeFilesystem: `COPY --from=stage / /` copies another image's whole filesystem over
//! this one.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Base, Keyword, Target};

pub static RULE: Rule = Rule {
    name: "CopyWholeFilesystem",
    aliases: &["DL3067"],
    severity: Severity::Warning,
    summary: "COPY --from copies another image's whole filesystem over this one",
    documentation: "\
## What it does
Flags `COPY --from=<stage or image> / /`: the root of another stage or image copied onto \
the root of this one (also written `/.`, `//`, or `.` for the source). A stage built \
`FROM scratch` is left alone: copying a filesystem into an empty stage is how images are \
flattened, and there is nothing to overwrite. That holds for a stage of this file (`--from=rootfs`); a \
`--from` naming an image is flagged everywhere.

## Why
Every file of the other image lands on top of this one: its `/etc/passwd`, its package \
database, its libraries, replacing this image's own and leaving the two half-merged. \
Copy the directories you need (`COPY --from=build /app /app`).

Images made only to be copied whole (such as `tonistiigi/xx`, a few scripts on an empty \
filesystem) are meant for this; suppress the finding there (`# check=skip=CopyWholeFilesystem` \
or `# hadolint ignore=DL3067` above the `COPY`).

## Differences from hadolint
hadolint's DL3067 flags only `/` and `/` exactly and also flags copies of a stage into a \
`FROM scratch` stage.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app ./cmd/app
FROM debian:12
COPY --from=build / /
```

## Use instead
```dockerfile
FROM debian:12
COPY --from=build /out/app /usr/local/bin/app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// The path names the root: `/`, `//`, `/.`, `/./`.
fn is_root(path: &str) -> bool {
    path.starts_with('/') && path.split('/').all(|part| part.is_empty() || part == ".")
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for stage in &context.source.stages.stages {
        for index in stage.body.clone() {
            let instruction = &context.instructions()[index];
            if instruction.keyword != Keyword::Copy || instruction.flag("from").is_none() {
                continue;
            }
            let Some((destination, sources)) = instruction.values.split_last() else {
                continue;
            };
            let whole = |text: &str| {
                let text = text.trim_matches(['"', '\'']);
                is_root(text) || text == "." || text == "./"
            };
            if sources.is_empty()
                || !is_root(destination.text.trim_matches(['"', '\'']))
                || !sources.iter().any(|source| whole(&source.text))
            {
                continue;
            }
            // Flattening a stage of this file into an empty one overwrites nothing.
            let from_stage = stage.dependencies.iter().any(|dependency| {
                dependency.instruction == index && matches!(dependency.target, Target::Stage(_))
            });
            if stage.base == Base::Scratch && from_stage {
                continue;
            }
            let span = instruction.values[0].span.start..destination.span.end;
            found.push(Diagnostic::new(
                &RULE,
                span,
                "This copies the other image's whole filesystem over this one: copy the directories you need",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn the_root_onto_the_root() {
        let text = "FROM a AS build\nFROM debian:12\nCOPY --from=build / /\nCOPY --from=build \"/\" \"/\"\nCOPY --from=build [\"/\", \"/\"]\nCOPY --link --from=build / /.\nCOPY / /\nCOPY --from=build /app /\nCOPY --from=build / /app\nCOPY --from=build ./ /\n";
        assert_eq!(
            underlined(&RULE, text),
            vec!["/ /", "\"/\" \"/\"", "\"/\", \"/\"", "/ /.", "./ /"]
        );
    }

    #[test]
    fn flattening_into_scratch_is_fine() {
        assert!(
            underlined(
                &RULE,
                "FROM ubuntu:24.04 AS rootfs\nFROM scratch\nCOPY --from=rootfs / /\n"
            )
            .is_empty()
        );
        // An image is not flattened by this file: flagged.
        assert_eq!(
            underlined(&RULE, "FROM scratch\nCOPY --from=build / /\n"),
            vec!["/ /"]
        );
    }
}
