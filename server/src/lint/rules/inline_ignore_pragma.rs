//! InlineIgnorePragma: a `# hadolint ignore=` or `# dockerfile-ls ignore=` comment silences a
//! finding in place.

use crate::lint::suppress;
use crate::lint::{Context, Diagnostic, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "InlineIgnorePragma",
    aliases: &["DL1001"],
    severity: Severity::Info,
    summary: "An inline ignore comment silences findings",
    documentation: "\
## What it does
Off by default. Flags each comment that silences findings for the instruction below it: \
`# hadolint ignore=DL3008` and `# dockerfile-ls ignore=RuleName`. File-wide ones \
(`# hadolint global ignore=`) and BuildKit's `# check=skip=` are left alone.

## Why
Teams that want every exception in one reviewed place (the configuration file) turn this \
on, so that a suppression cannot slip into a Dockerfile unnoticed.

## Differences from hadolint
hadolint's DL1001 is off by default too (its level is `ignore`); it knows only its own \
comment. Our own `# dockerfile-ls ignore=` is flagged as well.

## Example
```dockerfile
FROM debian:12
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y curl
```

## Use instead
Pin the package, or ignore the rule in the configuration file.
",
    syntax: false,
    on_by_default: false,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for comment in &context.source.file.comments {
        if comment.inside_instruction || !suppress::is_inline_ignore(&comment.text) {
            continue;
        }
        found.push(Diagnostic::new(
            &RULE,
            comment.span.clone(),
            "This comment silences findings in place: ignore rules in the configuration instead",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_with;
    use crate::lint::{Level, Settings};

    #[test]
    fn inline_ignores_only() {
        let mut settings = Settings::default();
        settings
            .levels
            .insert("InlineIgnorePragma".into(), Level::On(Severity::Info));
        let text = "# hadolint global ignore=DL3006\nFROM scratch\n# hadolint ignore=DL3003\nRUN foo bar\n# dockerfile-ls ignore=ConsecutiveRunInstructions\nRUN x\n# hadolint shell=powershell\nRUN y\n# foobar\n# check=skip=all\nRUN z\n";
        let underlined: Vec<&str> = run_with(&RULE, text, &settings)
            .iter()
            .map(|diagnostic| &text[diagnostic.span.clone()])
            .collect();
        assert_eq!(
            underlined,
            vec![
                "# hadolint ignore=DL3003",
                "# dockerfile-ls ignore=ConsecutiveRunInstructions"
            ]
        );
    }
}
