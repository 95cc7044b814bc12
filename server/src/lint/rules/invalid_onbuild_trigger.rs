//! InvalidOnbuildTrigger: `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`, which
//! BuildKit refuses as triggers.

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "InvalidOnbuildTrigger",
    aliases: &["DL3043"],
    severity: Severity::Error,
    summary: "ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER",
    documentation: "\
## What it does
Reports an `ONBUILD` whose trigger is `ONBUILD`, `FROM` or `MAINTAINER` (in any case).

## Why
BuildKit rejects these when it parses the `ONBUILD` instruction (\"Chaining ONBUILD via \
`ONBUILD ONBUILD` isn't allowed\", \"FROM isn't allowed as an ONBUILD trigger\"), so this \
build fails, not only the builds based on the image. A trigger runs in a stage that already \
has its `FROM`; chaining would run instructions two builds later, which Docker does not \
support. hadolint reports the same as DL3043.

## Example
```dockerfile
FROM node:20
ONBUILD ONBUILD RUN npm ci
ONBUILD MAINTAINER Jane
```

## Use instead
```dockerfile
FROM node:20
ONBUILD RUN npm ci
LABEL org.opencontainers.image.authors=\"Jane\"
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `ONBUILD` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(_pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    if parsed.trigger {
        return;
    }
    let Some(trigger) = parsed.instruction.onbuild.as_deref() else {
        return;
    };
    let message = match trigger.keyword {
        Keyword::Onbuild => {
            "ONBUILD cannot trigger another ONBUILD: write the trigger itself (`ONBUILD RUN ...`)"
        }
        Keyword::From => {
            "FROM cannot be an ONBUILD trigger: a build based on this image already has its FROM"
        }
        Keyword::Maintainer => {
            "MAINTAINER cannot be an ONBUILD trigger: set the author as a LABEL of this image"
        }
        _ => return,
    };
    found.push(Diagnostic::new(
        &RULE,
        trigger.keyword_word.span.clone(),
        message,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn chained_and_forbidden_triggers() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nONBUILD ONBUILD RUN x\nonbuild from b\nONBUILD Maintainer j\n"
            ),
            vec!["ONBUILD", "from", "Maintainer"]
        );
        assert!(run(&RULE, "FROM a\nONBUILD RUN x\nONBUILD COPY a b\nONBUILD\n").is_empty());
    }
}
