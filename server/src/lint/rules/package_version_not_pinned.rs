//! PackageVersionNotPinned: a package installed without a version (hadolint's version
//! pinning family).

use std::sync::Arc;

use crate::knowledge::version_pins::{self, Ecosystem};
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::memo::Attached;
use crate::syntax::Script;
use crate::syntax::shell::ShellSyntax;

pub static RULE: Rule = Rule {
    name: "PackageVersionNotPinned",
    aliases: &[
        "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062",
    ],
    severity: Severity::Warning,
    summary: "A package is installed without a version",
    documentation: "\
## What it does
Off by default. Flags each package an install command names without a version. Each \
finding answers to the hadolint code of its package manager, so `--rule DL3008=warning` \
turns on apt alone, and `# hadolint ignore=DL3013` silences pip alone:

| code | command | pinned |
|---|---|---|
| DL3008 | `apt-get install`, `apt install` | `pkg=1.2*`, a release (`pkg/bookworm`), a `.deb` file |
| DL3013 | `pip install` (`pip3`, `pip3.12`, `python -m pip`) | `pkg==1.2` and the other version operators, a VCS URL with `@ref`, a wheel, sdist or path; a command with `-r`/`--requirement` or `-c`/`--constraint` is left alone: the file pins |
| DL3016 | `npm install` (`i`, `add`) | `pkg@1.2`, `@scope/pkg@1.2`, a tarball, a folder, a git URL or GitHub shorthand with `#commit`; `npm install` and `npm ci` without packages read the lockfile |
| DL3018 | `apk add` | `pkg=1.2-r0`, `pkg~1.2`, `pkg<2`, `pkg>1`, an `.apk` file |
| DL3028 | `gem install` (`i`) | `gem:1.2`, or `-v`/`--version` for the command, a `.gem` file |
| DL3033 | `yum install`, `yum module install` | `pkg-1.2` (after the name, dash-separated version parts, one starting with a digit, or a variable), an `.rpm` file; modules `name:stream` |
| DL3037 | `zypper install` (`in`) | `pkg=1.2`, `pkg>=1.2`, `pkg<2`, an `.rpm` file |
| DL3041 | `dnf`, `microdnf`, `dnf5`, `tdnf` `install`, `module install` | as yum |
| DL3062 | `go install`, `go get`, `go run` | `module@v1.2.3` (not `@latest`, `@none`, `@upgrade`, `@patch`), a local package (`.`, `./cmd/x`), a `.go` file to `go run` |

Commands are found through the shell: after `&&`, inside `if`, behind `sudo` or `env`, in \
heredoc scripts and `sh -c` strings, and in `ONBUILD RUN`.

## Why
An unpinned package is whatever the repository serves on the day of the build: the same \
Dockerfile builds different images, and a release that breaks the application arrives \
without a change in the repository. Most projects rely on a pinned base image and a \
lockfile instead, and keep this rule off (it is off by default, as the configurations of \
most well-known projects that run hadolint switch it off); turn it on per manager where \
reproducibility matters more than security updates.

## Differences from hadolint
The same codes and the same idea of a pin, read through the shell rather than word \
matching:
- `apt install` and `sudo apt-get install` are checked (hadolint only sees a command named \
`apt-get`); so are `npm i`, `npm add`, `dnf5` and `tdnf`.
- Options are known with their values (`pip install -i URL pkg`, `gem install --no-document \
rails`, `npm --prefix /app install x`), so the words after them are read as what they are.
- Versions from variables count as pins (`tomcat-$VERSION`, `pkg@$VERSION`), as do local \
`.rpm`, `.gem` and `.zip` files; `npm install pkg@latest` is not a pin.
- `go run main.go` runs a local file: not a finding (hadolint flags it).
- An exec-form `RUN [\"apt-get\", \"install\", \"x\"]` is not read (hadolint reads it).

## Example
```dockerfile
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```
",
    syntax: false,
    on_by_default: false,
    check,
};

/// Per command of a script that installs unpinned packages: the command's position, its
/// ecosystem, and the positions of the unpinned words. Worked out once per parse.
type Unpinned = Arc<[(usize, Ecosystem, Box<[usize]>)]>;

fn unpinned(script: &Script) -> Unpinned {
    static KNOWN: Attached<ShellSyntax, Unpinned> = Attached::new();
    KNOWN.get_or_insert_with(&script.syntax, || {
        script
            .commands()
            .iter()
            .enumerate()
            .filter_map(|(position, command)| {
                let (ecosystem, words) = version_pins::unpinned(command)?;
                if words.is_empty() {
                    return None;
                }
                let indexes = words
                    .iter()
                    .filter_map(|word| {
                        command
                            .words
                            .iter()
                            .position(|candidate| std::ptr::eq(candidate, *word))
                    })
                    .collect();
                Some((position, ecosystem, indexes))
            })
            .collect()
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for index in 0..context.instructions().len() {
        for run_script in context.source.scripts(index) {
            let script = &run_script.script;
            let commands = script.commands();
            for (position, ecosystem, words) in unpinned(script).iter() {
                let command = &commands[*position];
                for word in words.iter().filter_map(|at| command.words.get(*at)) {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            script.span(word.range.clone()),
                            format!(
                                "`{}` is installed without a version: pin it ({})",
                                word.text,
                                ecosystem.pinned_form()
                            ),
                        )
                        .alias(ecosystem.code()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{run, run_with};
    use crate::lint::{Level, Settings};

    fn on(codes: &[&str]) -> Settings {
        let mut settings = Settings::default();
        for code in codes {
            settings
                .levels
                .insert(code.to_string(), Level::On(Severity::Warning));
        }
        settings
    }

    #[test]
    fn off_until_configured_then_per_code() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl=7 wget \\\n  && pip install requests\nONBUILD RUN apk add git\n";
        assert!(run(&RULE, text).is_empty());
        let found = run_with(&RULE, text, &on(&["PackageVersionNotPinned"]));
        let spans: Vec<(&str, &str)> = found
            .iter()
            .map(|diagnostic| (diagnostic.alias.unwrap(), &text[diagnostic.span.clone()]))
            .collect();
        assert_eq!(
            spans,
            vec![
                ("DL3008", "wget"),
                ("DL3013", "requests"),
                ("DL3018", "git")
            ]
        );
        // One code on: only its findings.
        let found = run_with(&RULE, text, &on(&["DL3013"]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].alias, Some("DL3013"));
    }

    #[test]
    fn heredocs_and_inline_scripts() {
        let text = "FROM golang:1.22\nRUN <<EOF\ngo install example.com/tool\nEOF\nRUN sh -c 'gem install rails'\n";
        let found = run_with(&RULE, text, &on(&["PackageVersionNotPinned"]));
        let codes: Vec<&str> = found
            .iter()
            .map(|diagnostic| diagnostic.alias.unwrap())
            .collect();
        assert_eq!(codes, vec!["DL3062", "DL3028"]);
    }
}
