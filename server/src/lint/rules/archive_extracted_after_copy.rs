//! ArchiveExtractedAfterCopy: `COPY app.tar.gz` then `RUN tar -x`: the archive stays in a
//! layer; `ADD` unpacks it in one step.

use crate::knowledge::archives;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Command, Keyword};

pub static RULE: Rule = Rule {
    name: "ArchiveExtractedAfterCopy",
    aliases: &["DL3010"],
    severity: Severity::Info,
    summary: "An archive is copied, then extracted by a later RUN",
    documentation: "\
## What it does
Flags a `COPY` of a local archive (by its name: `.tar`, `.tar.gz`, `.tgz`, `.xz`, ...) that a \
later `RUN` of the same stage extracts (`tar -x`, `tar --extract`, `gunzip`, `unxz`, \
`zcat`, ...), the archive named by its file name. `COPY --from` is left alone: it copies \
from another stage, not the build context.

## Why
The copied archive stays in the `COPY` layer even if the `RUN` deletes it: the image \
carries it and its contents. `ADD` unpacks a local tar archive into the destination in one \
layer.

## Differences from hadolint
The same as hadolint's DL3010. There is no fix: the `RUN` often does more than extract \
(`--strip-components`, moving files), which `ADD` cannot do.

## Example
```dockerfile
FROM debian:12
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
```

## Use instead
```dockerfile
FROM debian:12
ADD app.tar.gz /opt/
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Programs that unpack or decompress a file given to them.
const EXTRACTORS: [&str; 9] = [
    "unzip",
    "gunzip",
    "bunzip2",
    "unlzma",
    "unxz",
    "zgz",
    "uncompress",
    "zcat",
    "gzcat",
];

/// The last path component, without quotes; `\` separates too (Windows paths).
fn file_name(path: &str) -> &str {
    let path = path.trim_matches(['"', '\'']);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The command extracts an archive: `tar` with `x` among its short options or
/// `--extract`/`--get`, or one of the decompressors.
fn extracts(command: &Command) -> bool {
    let Some(program) = command.program() else {
        return false;
    };
    if EXTRACTORS.contains(&program) {
        return true;
    }
    program == "tar"
        && command.program_arguments().iter().enumerate().any(|(position, word)| {
            let text = word.text.as_str();
            text == "--extract"
                || text == "--get"
                || (text.starts_with('-') && !text.starts_with("--") && text.contains('x'))
                // `tar xzf file`: the old form, options without a dash first.
                || (position == 0 && !text.starts_with('-') && text.contains('x') && text.chars().all(|c| c.is_ascii_alphabetic()))
        })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let instructions = context.instructions();
    for stage in &context.source.stages.stages {
        // Archive file names copied so far in the stage, with the COPY that copied them.
        let mut copied: Vec<(String, usize)> = Vec::new();
        let mut reported: Vec<usize> = Vec::new();
        for index in stage.body.clone() {
            let instruction = &instructions[index];
            // `ONBUILD RUN` extracts in the images built from this one: the archive is
            // still in this image's layer.
            let keyword = match instruction.effective().keyword {
                Keyword::Run => Keyword::Run,
                _ => instruction.keyword,
            };
            match keyword {
                Keyword::Copy if instruction.flag("from").is_none() => {
                    remember(instruction, index, &mut copied);
                }
                Keyword::Run if !copied.is_empty() => {
                    for run_script in context.source.scripts(index) {
                        for command in run_script.script.commands() {
                            if !extracts(command) {
                                continue;
                            }
                            for word in command.program_arguments() {
                                let name = file_name(&word.text);
                                for (archive, at) in &copied {
                                    if archive == name && !reported.contains(at) {
                                        reported.push(*at);
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        reported.sort_unstable();
        for at in reported {
            let copy = &instructions[at];
            let span = copy
                .values
                .first()
                .map(|first| first.span.start)
                .unwrap_or(copy.keyword_word.span.start)
                ..copy
                    .values
                    .last()
                    .map(|last| last.span.end)
                    .unwrap_or(copy.span.end);
            found.push(Diagnostic::new(
                &RULE,
                span,
                "This archive is extracted by a later RUN, so it stays in this layer too: ADD unpacks a local tar archive in one step",
            ));
        }
    }
}

/// The archive names a `COPY` brings in: the destination's when it names an archive file,
/// else each source that does.
fn remember(copy: &crate::syntax::Instruction, index: usize, copied: &mut Vec<(String, usize)>) {
    let Some((destination, sources)) = copy.values.split_last() else {
        return;
    };
    let destination = destination.text.trim_matches(['"', '\'']);
    if archives::is_archive_name(destination) {
        copied.push((file_name(destination).to_string(), index));
        return;
    }
    for source in sources {
        let source = source.text.trim_matches(['"', '\'']);
        if archives::is_archive_name(source) {
            copied.push((file_name(source).to_string(), index));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn copied_archives_that_a_later_run_extracts() {
        let flagged = [
            "FROM a\nCOPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar\n",
            "FROM a\nCOPY packaged-app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo bar && echo something && tar -xf packaged-app.tar\n",
            "FROM a\nCOPY foo/bar/packaged-app.tar /foo.tar\nRUN tar -xf /foo.tar\n",
            "FROM a\nCOPY build\\foo\\bar.tar.gz \"C:\\Program Files\\Foo\"\nRUN tar -xf \"C:\\Program Files\\Foo\\bar.tar.gz\"\n",
            "FROM a\nCOPY app.tgz /tmp/\nRUN tar xzf /tmp/app.tgz\n",
            "FROM a\nCOPY data.xz /tmp/\nRUN unxz /tmp/data.xz\n",
            "FROM a\nCOPY app.tgz /tmp/\nONBUILD RUN tar --extract -f /tmp/app.tgz\n",
        ];
        for text in flagged {
            assert_eq!(underlined(&RULE, text).len(), 1, "{text}");
        }
        let fine = [
            "FROM a\nCOPY packaged-app.tar /usr/src/app\nFROM debian:11 AS newstage\nRUN tar -xf packaged-app.tar\n",
            "FROM a\nCOPY package.json /usr/src/app\nRUN tar -xf package.json\n",
            "FROM a\nCOPY --from=builder /usr/local/share/some.tar /opt/some.tar\nRUN tar -xf /opt/some.tar\n",
            "FROM a\nCOPY app.tar /tmp/\nRUN tar -cf other.tar /tmp/app.tar\n",
            "FROM a\nRUN tar -xf app.tar\nCOPY app.tar /tmp/\n",
        ];
        for text in fine {
            assert!(underlined(&RULE, text).is_empty(), "{text}");
        }
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nCOPY a.tar b.tar /tmp/\nRUN tar -xf /tmp/a.tar\n"
            ),
            vec!["a.tar b.tar /tmp/"]
        );
    }
}
