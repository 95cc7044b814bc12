//! LastUserRoot: the image runs as root because the last `USER` it gets is root.

use crate::lint::layers;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Base, Keyword};

pub static RULE: Rule = Rule {
    name: "LastUserRoot",
    aliases: &["DL3002"],
    severity: Severity::Warning,
    summary: "The image runs as root: its last USER is root",
    documentation: "\
## What it does
Flags the `USER root` (or `USER 0`, `root:group`, `0:0`) that decides who the built image \
runs as: the last `USER` of the final stage, or of the stage it is built on (`FROM \
<stage>`) when the final stage sets none. Stages built on their own (`--target`) count as \
images too. A user that comes from a variable is judged by its value where that is known.

## Why
A container runs its process as the image's user. Root inside the container is root on \
the host's kernel: a compromised process, or a volume mounted from the host, gets far \
more than it needs. Switching to root to install packages is fine; switch back before the \
stage ends.

## Differences from hadolint
hadolint's DL3002 flags every stage whose last `USER` is root, builder stages included. \
Only the stages whose user an image keeps are flagged here: a builder stage that runs as \
root and whose files are copied out does not make the image run as root.

## Example
```dockerfile
FROM debian:12
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:12
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
USER 1000
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// `root`, `0`, `root:…` and `0:…`: the user part is root.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let stages = &context.source.stages.stages;
    let instructions = context.instructions();
    let mut images: Vec<usize> = stages.len().checked_sub(1).into_iter().collect();
    images.extend(layers::target_stages(context.source, context.settings));
    let mut reported: Vec<usize> = Vec::new();
    for image in images {
        // The last USER along the image's chain of stages, newest first.
        let mut current = Some(image);
        let mut seen = Vec::new();
        let user = loop {
            let Some(index) = current.filter(|index| !seen.contains(index)) else {
                break None;
            };
            seen.push(index);
            let stage = &stages[index];
            let last = stage
                .body
                .clone()
                .rev()
                .find(|at| instructions[*at].keyword == Keyword::User);
            if last.is_some() {
                break last;
            }
            current = match stage.base {
                Base::Stage(parent) => Some(parent),
                _ => None,
            };
        };
        let Some(at) = user else {
            continue;
        };
        let Some(word) = instructions[at].values.first() else {
            continue;
        };
        let Some(value) = context.resolve_word(at, &word.text) else {
            continue;
        };
        if !is_root(&value) || reported.contains(&at) {
            continue;
        }
        reported.push(at);
        let mut message = String::from(
            "The image runs as root: switch to an unprivileged user after the steps that need root",
        );
        if value != word.text {
            message.push_str(&format!(" (`{}` reads as `{value}`)", word.text));
        }
        found.push(Diagnostic::new(&RULE, word.span.clone(), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::lint::testing::{run_with, underlined};

    #[test]
    fn the_user_the_image_keeps() {
        assert_eq!(underlined(&RULE, "FROM scratch\nUSER root\n"), vec!["root"]);
        assert_eq!(underlined(&RULE, "FROM scratch\nUSER 0:0\n"), vec!["0:0"]);
        assert_eq!(
            underlined(&RULE, "FROM scratch\nUSER root:root\n"),
            vec!["root:root"]
        );
        assert!(underlined(&RULE, "FROM scratch\nUSER foo\n").is_empty());
        assert!(underlined(&RULE, "FROM scratch\nUSER root\nRUN x\nUSER foo\n").is_empty());
        assert!(underlined(&RULE, "FROM scratch\nUSER rooted\n").is_empty());
        // Through the stage the final stage is built on.
        assert_eq!(
            underlined(&RULE, "FROM debian AS base\nUSER root\nFROM base\nRUN x\n"),
            vec!["root"]
        );
        // A builder's user does not reach the image.
        assert!(
            underlined(
                &RULE,
                "FROM debian AS build\nUSER root\nFROM scratch\nUSER foo\n"
            )
            .is_empty()
        );
        // Variables are read through their values.
        assert_eq!(
            underlined(&RULE, "FROM debian\nARG RUNNER=root\nUSER $RUNNER\n"),
            vec!["$RUNNER"]
        );
        assert!(underlined(&RULE, "FROM debian\nARG RUNNER\nUSER $RUNNER\n").is_empty());
    }

    #[test]
    fn targets_are_images_too() {
        let text = "FROM debian AS tools\nUSER root\nFROM scratch\nUSER 1000\n";
        let settings = Settings {
            target_stages: vec!["tools".into()],
            ..Settings::default()
        };
        assert_eq!(run_with(&RULE, text, &settings).len(), 1);
    }
}
