//! HealthcheckMissing: the image has no `HEALTHCHECK`.

use crate::lint::layers;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Base, Keyword};

pub static RULE: Rule = Rule {
    name: "HealthcheckMissing",
    aliases: &["DL3057"],
    severity: Severity::Info,
    summary: "The image has no HEALTHCHECK",
    documentation: "\
## What it does
Off by default. Flags the final stage (and each stage built on its own with `--target`) \
when neither it nor a stage it is built on (`FROM <stage>`) has a `HEALTHCHECK` \
(`HEALTHCHECK NONE` counts: it is a decision). A base image's own `HEALTHCHECK` cannot be \
seen here.

## Why
Without a health check Docker and Swarm only know whether the process runs, not whether \
it answers; a hung server stays \"up\". Orchestrators with their own probes (Kubernetes) \
ignore `HEALTHCHECK`, which is why most projects leave this rule off.

## Differences from hadolint
hadolint's DL3057 is off by default too (its level is `ignore`); turned on it flags every \
stage without one, builder stages included. Here only the stages that are images are \
flagged, at the info level.

## Example
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
```

## Use instead
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
HEALTHCHECK CMD curl -fs http://localhost/ || exit 1
```
",
    syntax: false,
    on_by_default: false,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let stages = &context.source.stages.stages;
    let instructions = context.instructions();
    let has_healthcheck = |index: usize| {
        stages[index]
            .body
            .clone()
            .any(|at| instructions[at].keyword == Keyword::Healthcheck)
    };
    let mut images: Vec<usize> = stages.len().checked_sub(1).into_iter().collect();
    images.extend(layers::target_stages(context.source, context.settings));
    images.sort_unstable();
    images.dedup();
    for image in images {
        let mut current = Some(image);
        let mut seen = Vec::new();
        let mut found_one = false;
        while let Some(index) = current.filter(|index| !seen.contains(index)) {
            seen.push(index);
            if has_healthcheck(index) {
                found_one = true;
                break;
            }
            current = match stages[index].base {
                Base::Stage(parent) => Some(parent),
                _ => None,
            };
        }
        if found_one {
            continue;
        }
        let stage = &stages[image];
        let span = stage
            .image
            .as_ref()
            .map(|word| word.span.clone())
            .unwrap_or_else(|| instructions[stage.from].keyword_word.span.clone());
        found.push(Diagnostic::new(
            &RULE,
            span,
            "The image has no HEALTHCHECK: Docker cannot tell whether it works, only whether it runs",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_with;
    use crate::lint::{Level, Settings};

    fn found(text: &str) -> usize {
        let mut settings = Settings::default();
        settings
            .levels
            .insert("DL3057".into(), Level::On(Severity::Info));
        run_with(&RULE, text, &settings).len()
    }

    #[test]
    fn images_without_a_healthcheck() {
        assert_eq!(found("FROM scratch\n"), 1);
        assert_eq!(found("FROM scratch\nHEALTHCHECK CMD /bin/bla\n"), 0);
        assert_eq!(
            found("FROM scratch AS base\nHEALTHCHECK CMD /bin/bla\nFROM base\n"),
            0
        );
        assert_eq!(
            found("FROM scratch AS base\nHEALTHCHECK CMD /bin/bla\nFROM scratch\n"),
            1
        );
        assert_eq!(found("FROM scratch\nHEALTHCHECK NONE\n"), 0);
        // Off until configured.
        assert!(crate::lint::testing::run(&RULE, "FROM scratch\n").is_empty());
    }
}
