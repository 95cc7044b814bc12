//! InvalidStopSignal: a `STOPSIGNAL` BuildKit cannot read as a signal.

use crate::knowledge::signals;
use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "InvalidStopSignal",
    aliases: &[],
    severity: Severity::Error,
    summary: "STOPSIGNAL names no signal",
    documentation: "\
## What it does
Reports a `STOPSIGNAL` that is neither a signal name nor a number, the way BuildKit reads \
it: a name with or without the `SIG` prefix, in any case (`SIGTERM`, `TERM`, `sigterm`, \
`SIGRTMIN+3`), or a non-zero integer (`9`). A value with variables is judged by the build.

## Why
BuildKit stops with \"invalid signal\" when it sets the stop signal of the image.

## Fixes
**Change to SIGNAME** (unsafe): the nearest signal name, for a misspelt one; the spelling is \
a guess.

## Example
```dockerfile
FROM nginx
STOPSIGNAL SIGQUITE
```

## Use instead
```dockerfile
FROM nginx
STOPSIGNAL SIGQUIT
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The finding of one `STOPSIGNAL` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let escape = context.source.file.escape;
    let Some(value) = parsed.instruction.values.first() else {
        return;
    };
    let Some(signal) = parsed::literal(&value.text, escape) else {
        return;
    };
    if signals::is_valid(&signal) {
        return;
    }
    let suggestion = signals::suggestion(&signal);
    let mut message = format!("`{signal}` is not a signal");
    match &suggestion {
        Some(suggestion) => message.push_str(&format!(": did you mean `{suggestion}`?")),
        None => {
            message.push_str(": use a name such as `SIGTERM`, `SIGQUIT` or `SIGINT`, or a number")
        }
    }
    let diagnostic = Diagnostic::new(&RULE, value.span.clone(), message);
    let diagnostic = diagnostic.fix_with(context, || {
        let suggestion = suggestion?;
        (context.source.slice(&value.span) == value.text).then(|| {
            Fix::new(
                format!("Change to {suggestion}"),
                vec![Edit::replace(value.span.clone(), suggestion)],
            )
        })
    });
    found.push(parsed.finish(diagnostic));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn unknown_signals() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM a\nSTOPSIGNAL SIGFOO\nSTOPSIGNAL 0\nSTOPSIGNAL \"SIG TERM\"\n"
            ),
            vec!["SIGFOO", "0", "\"SIG TERM\""]
        );
        let fixed = apply_fix(&RULE, "FROM a\nSTOPSIGNAL SIGQUITE\n", "Change to SIGQUIT");
        assert_eq!(fixed, "FROM a\nSTOPSIGNAL SIGQUIT\n");
    }

    #[test]
    fn signals_buildkit_accepts() {
        assert!(
            run(
                &RULE,
                "FROM a\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL TERM\nSTOPSIGNAL sigterm\nSTOPSIGNAL 9\nSTOPSIGNAL \"SIGKILL\"\nSTOPSIGNAL $SIGNAL\nSTOPSIGNAL SIGRTMIN+3\n"
            )
            .is_empty()
        );
    }
}
