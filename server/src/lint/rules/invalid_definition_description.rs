//! InvalidDefinitionDescription: BuildKit's experimental check that the comment above a named
//! stage or an `ARG` describes it.

use crate::lint::buildkit::preceding_comments;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Keyword, Word, stages::stage_name};

pub static RULE: Rule = Rule {
    name: "InvalidDefinitionDescription",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>` (experimental)",
    documentation: "\
## What it does
Flags a comment right above a named stage (`FROM image AS name`) or an `ARG` that does not \
start with the stage's or the argument's name. This is BuildKit's experimental build check of \
the same name: it runs only where `# check=experimental=InvalidDefinitionDescription` (or \
`experimental=all`) turns it on, as the file's directive or in a comment above an \
instruction, or where the `experimental` setting names it; `skip` does not turn it off.

The comments are those BuildKit attaches to the instruction: the comment lines since the \
previous instruction (blank lines between them do not separate them; a line with only `#` \
does), the last of them being the description.

## Why
`docker build --call=outline` and `--call=targets` show these comments as the descriptions of \
build arguments and targets; a comment that is not meant as one should be separated from the \
instruction.

## Example
```dockerfile
# check=experimental=InvalidDefinitionDescription
# the version to build
ARG VERSION=1.0
```

## Use instead
```dockerfile
# check=experimental=InvalidDefinitionDescription
# VERSION is the version to build
ARG VERSION=1.0
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for (index, instruction) in context.instructions_of(&[Keyword::From, Keyword::Arg]) {
        let (keyword, keys, at): (&str, Vec<String>, Option<&Word>) = match instruction.keyword {
            Keyword::From => match stage_name(instruction) {
                Some(name) => (
                    "FROM",
                    vec![name.text.to_lowercase().to_string()],
                    Some(name),
                ),
                None => continue,
            },
            Keyword::Arg => (
                "ARG",
                instruction
                    .values
                    .iter()
                    .map(|word| word.text.split('=').next().unwrap_or_default().to_string())
                    .collect(),
                instruction.values.first(),
            ),
            _ => continue,
        };
        let (Some(at), Some(last)) = (at, preceding_comments(source, index).last()) else {
            continue;
        };
        let first_word = last.text.split(' ').next().unwrap_or_default();
        if keys.is_empty() || keys.iter().any(|key| key == first_word) {
            continue;
        }
        let example = if keys.len() == 1 {
            keys[0].as_str()
        } else {
            "<arg_key>"
        };
        found.push(
            Diagnostic::new(
                &RULE,
                at.span.clone(),
                format!(
                    "Comment for {keyword} should follow the format: `# {example} <description>`"
                ),
            )
            .related(last.span.clone(), "the description comment"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::lint::testing::{run, run_with};

    #[test]
    fn runs_only_where_turned_on() {
        let text = "FROM a\n# not a description\nARG VERSION=1\n";
        assert!(run(&RULE, text).is_empty());
        let settings = Settings {
            experimental: vec!["InvalidDefinitionDescription".into()],
            ..Settings::default()
        };
        assert_eq!(run_with(&RULE, text, &settings).len(), 1);
        // A comment above the instruction can turn it on there; skip cannot turn it off.
        let text = "# check=skip=all\nFROM a\n# check=experimental=InvalidDefinitionDescription\nARG VERSION=1\n";
        assert_eq!(run(&RULE, text).len(), 1);
    }

    #[test]
    fn flags_comments_that_do_not_name_the_definition() {
        let text = "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n";
        let found = run(&RULE, text);
        let lines: Vec<(usize, &str)> = found
            .iter()
            .map(|finding| {
                (
                    text[..finding.span.start].matches('\n').count() + 1,
                    finding.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                (
                    3,
                    "Comment for ARG should follow the format: `# foo <description>`"
                ),
                (
                    5,
                    "Comment for FROM should follow the format: `# base <description>`"
                ),
                (
                    7,
                    "Comment for ARG should follow the format: `# version <description>`"
                ),
                (
                    9,
                    "Comment for ARG should follow the format: `# <arg_key> <description>`"
                ),
            ]
        );
        let good = "# check=experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n";
        assert!(run(&RULE, good).is_empty());
    }
}
