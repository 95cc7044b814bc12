//! MultipleInstructionsDisallowed: BuildKit's check for a `CMD`, `ENTRYPOINT` or
//! `HEALTHCHECK` that a later one of the same stage replaces.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, Tag};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "MultipleInstructionsDisallowed",
    aliases: &["DL4003", "DL4004", "DL3012"],
    severity: Severity::Warning,
    summary: "Multiple instructions of the same type should not be used in the same stage",
    documentation: "\
## What it does
Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later instruction of the same kind in the \
same stage replaces: only the last one is used. The finding points at the earlier, dead \
instruction, as BuildKit's build check of the same name does; a `# check=skip=` comment is \
read above the later one, as BuildKit reads it (one above the flagged instruction works too).

A stage built on another (`FROM base`) may set these again: that is how a stage changes what \
its base does, and it is not flagged.

hadolint's DL4003 (`CMD`), DL4004 (`ENTRYPOINT`) and DL3012 (`HEALTHCHECK`) are the same \
check, but they point at the later instruction; `# hadolint ignore=` above either one works.

## Why
The earlier instruction does nothing; a reader may think it does.

## Fixes
**Remove the earlier instruction** (safe): the image's configuration is the same without it \
(the last `CMD`, `ENTRYPOINT` and `HEALTHCHECK` win in every order they can be written in).

## Example
```dockerfile
FROM python:3.12
CMD [\"python\", \"app.py\"]
CMD [\"gunicorn\", \"app:app\"]
```

## Use instead
```dockerfile
FROM python:3.12
CMD [\"gunicorn\", \"app:app\"]
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let keywords = context.keywords();
    for stage in &source.stages.stages {
        if !context.checked_stages()[stage.index] {
            continue;
        }
        // The last CMD, ENTRYPOINT and HEALTHCHECK seen in the stage.
        let mut last: [Option<usize>; 3] = [None; 3];
        for index in stage.body.clone() {
            let slot = match keywords[index] {
                Keyword::Cmd => 0,
                Keyword::Entrypoint => 1,
                Keyword::Healthcheck => 2,
                _ => continue,
            };
            if let Some(earlier) = last[slot].replace(index) {
                found.push(finding(context, earlier, index));
            }
        }
    }
}

fn finding(context: &Context, earlier: usize, later: usize) -> Diagnostic {
    let source = context.source;
    let dead = &source.instructions()[earlier];
    let name = &source.instructions()[later].keyword_word.text;
    Diagnostic::new(
        &RULE,
        dead.span.clone(),
        format!("Multiple {name} instructions should not be used in the same stage because only the last one will be used"),
    )
    .tag(Tag::Unnecessary)
    .comments_from(later)
    .related(
        source.instructions()[later].keyword_word.span.clone(),
        "this one is used",
    )
    .fix_with(context, || {
        Some(
            Fix::new(
                format!("Remove the earlier {}", dead.keyword.name()),
                vec![Edit::delete(source.whole_lines(&dead.span))],
            )
            .preferred()
            .safe(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_the_earlier_instruction_of_each_kind() {
        let text = "FROM scratch\nENTRYPOINT [\"/a\"]\nENTRYPOINT [\"/b\"]\nCMD [\"/a\"]\nCOPY <<EOF /a.txt\nHello\nEOF\nCMD [\"/b\"]\nHEALTHCHECK CMD [\"/a\"]\nHEALTHCHECK NONE\n";
        assert_eq!(
            underlined(&RULE, text),
            vec![
                "ENTRYPOINT [\"/a\"]",
                "CMD [\"/a\"]",
                "HEALTHCHECK CMD [\"/a\"]"
            ]
        );
        let found = run(&RULE, text);
        assert_eq!(found[0].tags, vec![Tag::Unnecessary]);
        assert!(
            found[0]
                .message
                .starts_with("Multiple ENTRYPOINT instructions")
        );
        // A stage may replace what its base sets.
        assert!(
            underlined(
                &RULE,
                "FROM scratch AS a\nCMD [\"/a\"]\nFROM a AS b\nCMD [\"/b\"]\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_skip_comment_above_the_later_instruction_counts() {
        let text =
            "FROM a\nCMD [\"/a\"]\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"/b\"]\n";
        assert!(run(&RULE, text).is_empty());
        let text = "FROM a\n# hadolint ignore=DL4003\nCMD [\"/a\"]\nCMD [\"/b\"]\n";
        assert!(run(&RULE, text).is_empty());
    }

    #[test]
    fn removing_the_earlier_instruction_keeps_the_configuration() {
        let text = "FROM a\nCMD a\nENTRYPOINT [\"x\"]\nCMD [\"b\"]\n";
        let fixed = apply_fix(&RULE, text, "Remove the earlier CMD");
        assert_eq!(fixed, "FROM a\nENTRYPOINT [\"x\"]\nCMD [\"b\"]\n");
        let last = |text: &str, keyword: Keyword| {
            SourceFile::parse(text)
                .instructions()
                .iter()
                .rev()
                .find(|instruction| instruction.keyword == keyword)
                .map(|instruction| instruction.arguments().to_string())
        };
        for keyword in [Keyword::Cmd, Keyword::Entrypoint] {
            assert_eq!(last(text, keyword), last(&fixed, keyword));
        }
    }
}
