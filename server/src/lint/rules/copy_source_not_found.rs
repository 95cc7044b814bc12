//! CopySourceNotFound: a `COPY`/`ADD` source that matches nothing the build context holds.

use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::workspace::context::Resolved;
use crate::workspace::pattern;
use crate::workspace::sources;

pub static RULE: Rule = Rule {
    name: "CopySourceNotFound",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A COPY or ADD source matches nothing in the build context",
    documentation: "\
## What it does
Looks up every `COPY` and `ADD` source in the build context as BuildKit would: relative to \
the context's root (a leading `/` or `./` changes nothing, `..` cannot leave it), wildcards \
(`*`, `?`, `[a-z]`) matched a path component at a time, and what `.dockerignore` excludes \
left out. It flags:
- a path that is not there: the build fails with \"failed to compute cache key: ... not found\";
- a wildcard that matches nothing: BuildKit then copies nothing, without an error;
- a source whose every match `.dockerignore` excludes (when `CopyIgnoredFile` does not \
already say so).

The message names the path and the context it looked in, and how that context was found: \
the configuration's `build-context` (or `check --context DIR`), else the first compose \
service or bake target that builds the Dockerfile, else the Dockerfile's directory.

It stays silent where it cannot know: a source with a variable whose value is not known \
(or that a compose or bake build sets), `COPY --from` (a stage, an image or a named context), \
URLs and Git sources, heredocs, `ONBUILD`, a context directory that cannot be read, and paths \
below a directory that was not indexed (excluded by `.dockerignore`, past the index's cap of \
300,000 entries, or behind a symbolic link).

## Why
A missing source is found by the build, minutes in, or in CI. Here it is found while typing, \
together with where the file was expected.

## Severity
A warning, not an error, although the build fails on a missing path: what is on disk now is \
not always what the build will see. Build outputs (`target/app.jar`, `dist/`) are often made \
by an earlier CI step, and the context may be set by a script dockerfile-ls cannot see. \
Create the file, set `build-context` in `dockerfile-ls.toml`, or turn the rule off for such \
files.

## Example
```dockerfile
FROM eclipse-temurin:21
COPY target/app.jar /app.jar
```
(with no `target/app.jar` in the context)

## Use instead
Build the file before the image, or copy it from a build stage:
```dockerfile
FROM maven:3-eclipse-temurin-21 AS build
COPY . /src
RUN mvn -f /src package
FROM eclipse-temurin:21
COPY --from=build /src/target/app.jar /app.jar
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
    if build.files.is_none() {
        return;
    }
    // What CopyIgnoredFile reports is left to it, while it runs.
    let copy_ignored = build
        .ignore
        .as_ref()
        .filter(|ignore| ignore.error.is_none() && !ignore.has_exceptions())
        .filter(|_| context.settings.runs(&super::copy_ignored_file::RULE));
    let root = build.describe();
    for source in sources::all_sources(context.source, Some(build)) {
        let Some(path) = &source.path else {
            continue;
        };
        if copy_ignored.is_some_and(|ignore| ignore.matches_or_parent_matches(path).is_some()) {
            continue;
        }
        let Resolved::Found { matches, total } = build.resolve(path) else {
            continue;
        };
        let wildcard = pattern::has_wildcards(path);
        let message = if total == 0 && wildcard {
            format!("`{path}` matches nothing in the build context {root}: the copy copies nothing")
        } else if total == 0 {
            format!(
                "`{path}` is not in the build context {root}: the build fails unless it is created first"
            )
        } else if total <= matches.len()
            && matches
                .iter()
                .all(|(relative, kind)| build.ignored(relative, *kind))
        {
            format!(
                "everything `{path}` names in the build context {root} is excluded by .dockerignore"
            )
        } else {
            continue;
        };
        found.push(Diagnostic::new(&RULE, source.word.span.clone(), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::copy_ignored_file::tests::{lint_in, lint_in_with};

    fn underlined(files: &[(&str, &str)], dockerfile: &str) -> Vec<String> {
        lint_in(&RULE, files, dockerfile)
            .iter()
            .map(|finding| dockerfile[finding.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn missing_paths_and_empty_wildcards() {
        let files = [("go.mod", "x"), ("cmd/app/main.go", "x")];
        let text = "FROM golang\nCOPY go.mod go.sum ./\nCOPY cmd/*/main.go *.txt /src/\nCOPY ./cmd /cmd\nADD /go.mod ../go.mod /x/\n";
        assert_eq!(underlined(&files, text), vec!["go.sum", "*.txt"]);
        let found = lint_in(&RULE, &files, text);
        assert!(
            found[0]
                .message
                .starts_with("`go.sum` is not in the build context `/")
                && found[0].message.contains("(the Dockerfile's directory)"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("matches nothing"),
            "{}",
            found[1].message
        );
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn silent_where_it_cannot_know() {
        // The exception keeps CopyIgnoredFile out of it: `vendor` stays pruned from the index,
        // and what is below it cannot be looked up.
        let files = [(".dockerignore", "vendor\n!keep\n"), ("vendor/a/b", "x")];
        let text = "FROM a AS b\nFROM a\nCOPY --from=b /nope /x\nADD https://example.com/f.tgz /y\nCOPY <<EOF /z\nEOF\nCOPY ${UNKNOWN}/x /w\nONBUILD COPY nope /v\nCOPY vendor/a/b /u\n";
        assert!(
            underlined(&files, text).is_empty(),
            "{:?}",
            underlined(&files, text)
        );
    }

    #[test]
    fn what_dockerignore_hides_when_copy_ignored_file_cannot_say() {
        // An exception keeps CopyIgnoredFile quiet; the files tell.
        let files = [
            (".dockerignore", "*.env\n!keep.env\n"),
            ("app.env", "x"),
            ("keep.env", "x"),
        ];
        let text = "FROM a\nCOPY app.env /x\nCOPY keep.env /y\nCOPY a*.env /z\n";
        assert_eq!(underlined(&files, text), vec!["app.env", "a*.env"]);
        // What CopyIgnoredFile reports is not reported twice.
        let files = [(".dockerignore", "*.env\n"), ("app.env", "x")];
        assert!(underlined(&files, "FROM a\nCOPY app.env /x\n").is_empty());
        // Unless CopyIgnoredFile is turned off: then it is reported here.
        let settings = crate::lint::Settings {
            ignore: vec!["CopyIgnoredFile".to_string()],
            ..crate::lint::Settings::default()
        };
        let found = lint_in_with(&RULE, &files, "FROM a\nCOPY app.env /x\n", settings);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn variables_with_known_values_are_looked_up() {
        let files = [("lib/a", "x")];
        let text = "FROM a\nARG DIR=lib\nCOPY $DIR/a $DIR/b /x/\n";
        assert_eq!(underlined(&files, text), vec!["$DIR/b"]);
    }
}
