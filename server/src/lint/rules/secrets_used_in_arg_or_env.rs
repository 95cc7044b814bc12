//! SecretsUsedInArgOrEnv: BuildKit's check for ARG and ENV names that look like secrets.

use crate::lint::buildkit::go_quote;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Keyword, Word};

pub static RULE: Rule = Rule {
    name: "SecretsUsedInArgOrEnv",
    aliases: &["DL3064"],
    severity: Severity::Warning,
    summary: "Sensitive data should not be used in the ARG or ENV commands",
    documentation: "\
## What it does
Flags an `ARG` or `ENV` inside a stage whose name looks like it holds a secret. This is \
BuildKit's build check of the same name, with BuildKit's words: a name is flagged when one of \
its `_`-separated parts is, in any case, `apikey`, `auth`, `credential`, `credentials`, \
`key`, `password`, `pword`, `passwd`, `secret` or `token` (`GITHUB_TOKEN`, `api_key`, \
`DB_PASSWORD`), unless another part is `public`, `file` or `version` (`PUBLIC_KEY`, \
`KEY_FILE`, `TOKEN_VERSION`). `ARG`s before the first `FROM` are not looked at, as in \
BuildKit, nor stages the build does not run when `targetStages` is set.

hadolint's DL3064 is the same idea with other words: a list of well-known names \
(`AWS_SECRET_ACCESS_KEY`, `NPM_TOKEN`...) and the substrings `api_key`, `client_key`, \
`password`, `private`, `secret`, `token` and `username` anywhere in the name. We follow \
BuildKit's list.

## Why
Build arguments and environment variables are stored in the image: `docker history` shows \
`ARG` values of `RUN` steps and `docker inspect` every `ENV`. Secrets belong in a secret \
mount (`RUN --mount=type=secret,id=token ...`), which leaves nothing in the image.

## Example
```dockerfile
FROM alpine
ARG GITHUB_TOKEN
RUN git clone https://$GITHUB_TOKEN@github.com/org/repo
```

## Use instead
```dockerfile
FROM alpine
RUN --mount=type=secret,id=github_token \\
    git clone https://$(cat /run/secrets/github_token)@github.com/org/repo
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Parts of a name that make it look like a secret.
const SECRET_WORDS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Parts of a name that make it look like something else (a file, a public key).
const EXEMPT_WORDS: [&str; 3] = ["public", "file", "version"];

/// BuildKit's test: a `_`-separated part is a secret word and none is an exempt one.
pub fn looks_secret(name: &str) -> bool {
    let (mut secret, mut exempt) = (false, false);
    for part in name.split('_') {
        // No word is shorter than 3 or longer than 11 bytes.
        if !(3..=11).contains(&part.len()) {
            continue;
        }
        let is = |words: &[&str]| words.iter().any(|word| word.eq_ignore_ascii_case(part));
        // The first letter rules most parts out (this runs on every ARG and ENV name).
        match part.as_bytes()[0].to_ascii_lowercase() {
            b'a' | b'c' | b'k' | b's' | b't' => secret |= is(&SECRET_WORDS),
            b'p' => {
                secret |= is(&SECRET_WORDS);
                exempt |= is(&EXEMPT_WORDS);
            }
            b'f' | b'v' => exempt |= is(&EXEMPT_WORDS),
            _ => {}
        }
    }
    secret && !exempt
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for (index, instruction) in context.instructions_of(&[Keyword::Arg, Keyword::Env]) {
        let names: &mut dyn Iterator<Item = (&str, std::ops::Range<usize>)> =
            match instruction.keyword {
                Keyword::Arg => &mut instruction.values.iter().map(arg_name),
                Keyword::Env => &mut instruction
                    .values
                    .chunks(2)
                    .map(|pair| (pair[0].text.as_str(), pair[0].span.clone())),
                _ => continue,
            };
        let keyword = instruction.keyword.name();
        for (name, span) in names {
            if !looks_secret(name) || !context.is_checked(index) {
                continue;
            }
            found.push(Diagnostic::new(
                &RULE,
                span,
                format!(
                    "Do not use ARG or ENV instructions for sensitive data ({keyword} {})",
                    go_quote(name)
                ),
            ));
        }
    }
}

/// The name of an `ARG` word (`NAME` or `NAME=default`) and where it is written.
fn arg_name(word: &Word) -> (&str, std::ops::Range<usize>) {
    let name = word.text.split('=').next().unwrap_or_default();
    let end = (word.span.start + name.len()).min(word.span.end);
    (name, word.span.start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, underlined};

    #[test]
    fn flags_buildkits_words() {
        let text = "FROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\n";
        assert_eq!(
            underlined(&RULE, text),
            vec![
                "SECRET_PASSPHRASE",
                "SUPER_Secret",
                "password",
                "secret",
                "super_duper_secret_token",
                "auth",
                "apikey",
                "git_key"
            ]
        );
        assert_eq!(
            run(&RULE, "FROM a\nARG SECRET_PASSPHRASE\n")[0].message,
            "Do not use ARG or ENV instructions for sensitive data (ARG \"SECRET_PASSPHRASE\")"
        );
    }

    #[test]
    fn parts_are_whole_words_and_exemptions_win() {
        for name in ["MY_TOKEN", "api_KEY", "Credentials", "DB_PWORD"] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "TOKENS",
            "keys",
            "my-token",
            "KEY_FILE",
            "TOKEN_VERSION",
            "monkey",
            "AUTHOR",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn arguments_before_the_first_from_are_not_looked_at() {
        assert!(underlined(&RULE, "ARG GITHUB_TOKEN\nFROM a\n").is_empty());
    }
}
