//! CopyIgnoredFile: a `COPY`/`ADD` source that `.dockerignore` leaves out of the build
//! context (BuildKit's check of that name).

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::Keyword;
use crate::workspace::sources;

pub static RULE: Rule = Rule {
    name: "CopyIgnoredFile",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A COPY or ADD source is excluded by .dockerignore",
    documentation: "\
## What it does
Flags a `COPY` or `ADD` source that the build context's `.dockerignore` excludes, with \
BuildKit's own test: the source, cleaned, matched against the patterns as Docker matches \
them (a pattern that matches a parent directory counts).

The ignore file is the one the build uses: `<Dockerfile name>.dockerignore` beside the \
Dockerfile (`app.Dockerfile.dockerignore`), else `.dockerignore` at the root of the build \
context. The context is the one dockerfile-ls finds for the file (the configuration's \
`build-context`, a compose service or bake target that builds it, else the Dockerfile's \
directory; see the README's \"Build context\").

As in BuildKit, the check is skipped:
- when the ignore file has an exception (`!pattern`): whether an excluded directory still \
holds a file an exception brings back cannot be told from the patterns alone \
(`CopySourceNotFound` still looks at the files);
- for `COPY --from` (another stage, an image or a named context), URLs, Git sources and \
heredocs;
- for `.` and `/`, unless a pattern matches them as they are (`*`, `**`).

A source with a variable is checked once its value is known (an `ARG` default); one whose \
value a compose or bake build sets is not.

## Why
What `.dockerignore` excludes is not sent to the build: the `COPY` fails (\"not found\") or, \
for a directory, silently copies less than it seems to.

## Differences from BuildKit
BuildKit introduced this check as experimental (it ran only with \
`# check=experimental=CopyIgnoredFile`, and its own tests of that time expect nothing \
without it); current frontends report it on a plain `docker build` (docker/cli#6767, \
moby/buildkit#6930). dockerfile-ls reads the ignore file from disk and runs the check by \
default. \
`# check=skip=CopyIgnoredFile` or the configuration turns it off. BuildKit reports the whole \
instruction; dockerfile-ls underlines the source.

## Example
With `.dockerignore`:
```text
*.env
```
```dockerfile
FROM alpine
COPY app.env /etc/app.env
```

## Use instead
Remove the pattern, or copy what the build is meant to see:
```dockerfile
FROM alpine
COPY app.env.example /etc/app.env
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let Some(build) = context.build() else {
        return;
    };
    let Some(ignore) = &build.ignore else {
        return;
    };
    if ignore.error.is_some() || ignore.has_exceptions() {
        return;
    }
    for source in sources::all_sources(context.source, Some(build)) {
        let Some(path) = &source.path else {
            continue;
        };
        let Some(rule) = ignore.matches_or_parent_matches(path) else {
            continue;
        };
        let verb = match context.instructions()[source.instruction].keyword {
            Keyword::Add => "ADD",
            _ => "COPY",
        };
        let file = ignore
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".dockerignore".into());
        found.push(Diagnostic::new(
            &RULE,
            source.word.span.clone(),
            format!(
                "{verb} source `{path}` is excluded by {file} (line {}: `{}`), so the build does not see it",
                rule.line,
                rule.pattern.cleaned
            ),
        ));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lint::{self, Settings};
    use crate::syntax::SourceFile;
    use crate::workspace::Workspace;

    /// Lints `dockerfile` written as `Dockerfile` in a directory holding `files` (path,
    /// contents), with the build context the workspace finds for it; the findings of `rule`.
    pub fn lint_in(
        rule: &'static Rule,
        files: &[(&str, &str)],
        dockerfile: &str,
    ) -> Vec<lint::Diagnostic> {
        lint_in_with(rule, files, dockerfile, Settings::default())
    }

    /// [`lint_in`] with `settings` (their build context is the one found).
    pub fn lint_in_with(
        rule: &'static Rule,
        files: &[(&str, &str)],
        dockerfile: &str,
        settings: Settings,
    ) -> Vec<lint::Diagnostic> {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(".git")).unwrap();
        for (path, text) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let path = root.path().join("Dockerfile");
        std::fs::write(&path, dockerfile).unwrap();
        let workspace = Workspace::default();
        let settings = Settings {
            build: Some(workspace.context_for(&path, None)),
            ..settings
        };
        let source = SourceFile::parse(dockerfile);
        lint::lint(&source, &settings, crate::knowledge::distros::AS_OF)
            .into_iter()
            .filter(|finding| finding.rule == rule)
            .collect()
    }

    fn underlined(files: &[(&str, &str)], dockerfile: &str) -> Vec<String> {
        lint_in(&RULE, files, dockerfile)
            .iter()
            .map(|finding| dockerfile[finding.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn error_true_does_not_make_a_guessed_context_an_error() {
        // Nothing says which context the build sends: the Dockerfile's directory is a guess,
        // and another `.dockerignore` may be the real one.
        let found = lint_in(
            &RULE,
            &[(".dockerignore", "*.env\n"), ("app.env", "x")],
            "# check=error=true\nFROM alpine:3.20\nCOPY app.env /etc/\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn ignored_sources_are_flagged() {
        let files = [
            (".dockerignore", "*.env\nbuild/\n**/secret\n"),
            ("app.env", "x"),
            ("build/out", "x"),
            ("src/secret", "x"),
            ("src/main.go", "x"),
        ];
        let text = "FROM alpine\nCOPY app.env ./build/out src/secret src/main.go /app/\nADD build /b\nCOPY . /all\n";
        assert_eq!(
            underlined(&files, text),
            vec!["app.env", "./build/out", "src/secret", "build"]
        );
        let found = lint_in(&RULE, &files, text);
        assert_eq!(
            found[0].message,
            "COPY source `app.env` is excluded by .dockerignore (line 1: `*.env`), so the build does not see it"
        );
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[3].message.starts_with("ADD source"));
    }

    #[test]
    fn what_buildkit_skips_is_skipped() {
        // An exception anywhere: BuildKit does not check.
        let files = [(".dockerignore", "*.env\n!keep.env\n"), ("app.env", "x")];
        assert!(underlined(&files, "FROM a\nCOPY app.env /x\n").is_empty());
        let files = [(".dockerignore", "*.env\nsecrets\n")];
        let text = "FROM a AS b\nFROM a\nCOPY --from=b app.env /x\nADD https://example.com/a.env /y\nCOPY <<EOF /z\na.env\nEOF\nARG FILE=secrets\nCOPY $FILE /w\nCOPY ${OTHER}.env /v\n";
        assert_eq!(underlined(&files, text), vec!["$FILE"]);
        // `.` and `/` only for a catch-all.
        assert!(
            underlined(
                &[(".dockerignore", "*.md\n")],
                "FROM a\nCOPY . /\nCOPY / /r\n"
            )
            .is_empty()
        );
        assert_eq!(
            underlined(&[(".dockerignore", "*\n")], "FROM a\nCOPY . /\n"),
            vec!["."]
        );
        // No ignore file, no build context: nothing.
        assert!(underlined(&[("app.env", "x")], "FROM a\nCOPY app.env /x\n").is_empty());
        let source = SourceFile::parse("FROM a\nCOPY app.env /x\n");
        assert!(
            lint::lint(
                &source,
                &Settings::default(),
                crate::knowledge::distros::AS_OF
            )
            .iter()
            .all(|finding| finding.rule != &RULE)
        );
    }

    #[test]
    fn the_dockerfile_s_own_ignore_file_wins() {
        let files = [
            (".dockerignore", "*.txt\n"),
            ("Dockerfile.dockerignore", "*.md\n"),
            ("a.txt", "x"),
            ("b.md", "x"),
        ];
        assert_eq!(
            underlined(&files, "FROM a\nCOPY a.txt b.md /x/\n"),
            vec!["b.md"]
        );
    }
}
