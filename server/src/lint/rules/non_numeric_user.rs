//! NonNumericUser: `USER name` instead of a numeric user id.

use crate::knowledge::distros::Family;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Keyword, ShellKind};

pub static RULE: Rule = Rule {
    name: "NonNumericUser",
    aliases: &["DL3066"],
    severity: Severity::Info,
    summary: "USER names a user rather than a numeric id",
    documentation: "\
## What it does
Flags a `USER` whose user is a name (`USER app`, `USER app:app`, `USER root`) rather than a \
numeric id (`USER 1000`, `USER 1000:1000`). A user that comes from a variable is judged by \
its value where that is known. Windows stages are left alone: Windows accounts \
(`ContainerUser`) have no numeric ids.

## Why
A name is looked up in the image's `/etc/passwd` when the container starts; the host and \
the orchestrator cannot see it. Kubernetes' `runAsNonRoot` refuses to start an image whose \
user is a name, because it cannot tell whether the name means uid 0; volume permissions \
are set by number too. A numeric id says exactly who the process runs as.

## Differences from hadolint
hadolint's DL3066 reads the user as written, so `USER \"1000\"`, `USER ${UID}` (whatever \
its value) and Windows accounts are findings there; here the user is read as BuildKit \
reads it, variables are expanded where their value is known (an unknown one is not \
judged), and Windows stages are skipped.

## Example
```dockerfile
FROM alpine:3.20
RUN adduser -D -u 10001 app
USER app
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN adduser -D -u 10001 app
USER 10001
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Accounts Windows images run as.
const WINDOWS_ACCOUNTS: [&str; 2] = ["ContainerUser", "ContainerAdministrator"];

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for (index, instruction) in context.instructions().iter().enumerate() {
        if instruction.keyword != Keyword::User {
            continue;
        }
        let Some(word) = instruction.values.first() else {
            continue;
        };
        // Most users are written plainly and numerically: judge those without expanding.
        let numeric = |text: &str| {
            let user = text.split(':').next().unwrap_or(text);
            user.is_empty() || user.bytes().all(|byte| byte.is_ascii_digit())
        };
        if numeric(&word.text) {
            continue;
        }
        let Some(value) = context.resolve_word(index, &word.text) else {
            continue;
        };
        if numeric(&value) {
            continue;
        }
        let user = value.split(':').next().unwrap_or(&value);
        if WINDOWS_ACCOUNTS
            .iter()
            .any(|account| account.eq_ignore_ascii_case(user))
            || on_windows(context, index)
        {
            continue;
        }
        let mut message = format!(
            "`{user}` is a name: the host and orchestrators such as Kubernetes cannot tell which user it is. Use its numeric id"
        );
        if value != word.text {
            message.push_str(&format!(" (`{}` reads as `{value}`)", word.text));
        }
        found.push(Diagnostic::new(&RULE, word.span.clone(), message));
    }
}

/// The instruction runs in a Windows stage: the catalog says so, or the stage's shell is
/// `cmd` or PowerShell.
fn on_windows(context: &Context, index: usize) -> bool {
    if matches!(
        context.source.shell_kind_at(index),
        ShellKind::Cmd | ShellKind::PowerShell
    ) {
        return true;
    }
    let Some(stage) = context.source.stages.stage_of(index) else {
        return false;
    };
    context.stage_bases()[stage.index]
        .info()
        .and_then(|info| info.distro)
        .is_some_and(|distro| distro.family == Family::Windows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::underlined;

    #[test]
    fn names_rather_than_ids() {
        let text = "FROM alpine:3.20\nUSER 12345\nUSER 1234:5678\nUSER foobar\nUSER foobar:barfoo\nUSER \"1000\"\nUSER root\nUSER :1\n";
        assert_eq!(
            underlined(&RULE, text),
            vec!["foobar", "foobar:barfoo", "root"]
        );
    }

    #[test]
    fn variables_and_windows() {
        let text = "FROM alpine:3.20\nARG UID=1000\nARG NAME=app\nARG OPEN\nUSER $UID\nUSER ${NAME}\nUSER $OPEN\n";
        assert_eq!(underlined(&RULE, text), vec!["${NAME}"]);
        let windows = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\nUSER builder\n";
        assert!(underlined(&RULE, windows).is_empty());
        let shell = "FROM example/custom:1\nSHELL [\"powershell\", \"-Command\"]\nUSER builder\n";
        assert!(underlined(&RULE, shell).is_empty());
    }
}
