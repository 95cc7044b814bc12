//! InvalidStageName: a stage name BuildKit rejects (`FROM x AS 1st`).

use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::stages::stage_name;

pub static RULE: Rule = Rule {
    name: "InvalidStageName",
    aliases: &[],
    severity: Severity::Error,
    summary: "The stage name is not one BuildKit accepts",
    documentation: "\
## What it does
Reports a stage name (`FROM image AS <name>`) that, once lower-cased, does not start with a \
letter or holds a character other than letters, digits, `-`, `_` and `.` (BuildKit's \
`^[a-z][a-z0-9-_.]*$`).

## Why
BuildKit stops with \"invalid name for build stage: name can't start with a number or \
contain symbols\". Upper-case letters are accepted (the name is lower-cased; \
StageNameCasing suggests writing it so); `scratch` and `context` are reserved \
(ReservedStageName).

## Example
```dockerfile
FROM golang:1.22 AS 1-build
FROM golang:1.22 AS build:linux
```

## Use instead
```dockerfile
FROM golang:1.22 AS build-1
FROM golang:1.22 AS build-linux
```
",
    syntax: true,
    on_by_default: true,
    check,
};

/// `^[a-z][a-z0-9-_.]*$` on the lower-cased name.
pub fn is_valid_stage_name(name: &str) -> bool {
    // Go lower-cases Unicode; only ASCII letters can then match, so ASCII names need no copy.
    let lower = if name.is_ascii() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name.to_lowercase())
    };
    let mut chars = lower.chars().map(|c| c.to_ascii_lowercase());
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `FROM` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(_pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let instruction = parsed.instruction;
    // `ONBUILD FROM` is InvalidOnbuildTrigger's finding.
    if parsed.trigger || instruction.values.len() != 3 {
        return;
    }
    let Some(name) = stage_name(instruction) else {
        return;
    };
    if is_valid_stage_name(&name.text) {
        return;
    }
    found.push(Diagnostic::new(
        &RULE,
        name.span.clone(),
        format!(
            "`{}` is not a valid stage name: start with a letter, then use letters, digits, `-`, `_` or `.`",
            name.text
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn names_buildkit_rejects() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a AS 1st\nFROM a AS build:x\nFROM a AS -x\nFROM a AS caf\u{e9}\nFROM a AS _x\n"
            ),
            vec!["1st", "build:x", "-x", "caf\u{e9}", "_x"]
        );
    }

    #[test]
    fn names_buildkit_accepts() {
        assert!(
            run(
                &RULE,
                "FROM a AS build\nFROM a AS Build-2\nFROM a as b_c.d\nFROM a AS x9\nFROM a b\n"
            )
            .is_empty()
        );
    }
}
