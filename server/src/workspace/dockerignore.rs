//! `.dockerignore` files with Docker's semantics: how the file is read (moby/patternmatcher's
//! `ignorefile.ReadAll`), which patterns exclude a path (`MatchesOrParentMatches`: the last
//! pattern that matches the path or one of its parent directories decides, `!` patterns bring
//! paths back), and which ignore file a Dockerfile's build uses.
//!
//! Docker's rules, as its code and documentation have them:
//! - lines starting with `#` are comments; every line is trimmed; empty lines are skipped;
//! - `!` at the start makes an exception (spaces after it are trimmed);
//! - each pattern goes through `filepath.Clean`, so `./a`, `a/` and `a//b` mean `a`, `a`,
//!   `a/b`; a leading `/` is dropped (`/a` is `a`), except for `/` itself;
//! - a pattern is matched against the whole path relative to the context (`foo` is `./foo`
//!   only, unlike `.gitignore`), `*` and `?` stay within a component, `**` crosses any number
//!   of directories, and a pattern that matches a parent directory excludes what it holds;
//! - a bare `!` or a malformed class makes the build fail.

use std::path::{Path, PathBuf};

use super::pattern::{self, PathPattern};

/// One pattern line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub pattern: PathPattern,
    /// `!pattern`: brings back what earlier patterns excluded.
    pub exception: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// A `.dockerignore` file, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreFile {
    pub path: PathBuf,
    pub rules: Vec<Rule>,
    /// Why Docker would refuse the file (a bare `!`, a malformed pattern), with its line:
    /// nothing is matched then, since the build itself fails first.
    pub error: Option<(usize, String)>,
}

/// The pattern lines of an ignore file as Docker's `ReadAll` returns them, each with its
/// 1-based line: the BOM dropped, comments and blank lines skipped, `!` kept in front of the
/// cleaned pattern.
pub fn read_patterns(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let exception = pattern.starts_with('!');
        if exception {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = pattern::clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if exception {
            cleaned.insert(0, '!');
        }
        found.push((index + 1, cleaned));
    }
    found
}

impl IgnoreFile {
    /// Reads the text of the ignore file at `path`.
    pub fn parse(path: &Path, text: &str) -> IgnoreFile {
        let mut rules = Vec::new();
        let mut error = None;
        for (line, written) in read_patterns(text) {
            // patternmatcher.New trims and cleans once more, then takes the `!` off.
            let cleaned = pattern::clean(written.trim());
            let (exception, body) = match cleaned.strip_prefix('!') {
                Some(body) => (true, body),
                None => (false, cleaned.as_str()),
            };
            if exception && body.is_empty() {
                error = Some((line, "a `!` with no pattern after it".to_string()));
                break;
            }
            if pattern::validate(body).is_err() {
                error = Some((line, format!("malformed pattern {body:?}")));
                break;
            }
            rules.push(Rule {
                pattern: PathPattern::new(body),
                exception,
                line,
            });
        }
        if error.is_some() {
            rules.clear();
        }
        IgnoreFile {
            path: path.to_path_buf(),
            rules,
            error,
        }
    }

    /// True when a pattern is an exception (`!`): BuildKit's CopyIgnoredFile is then silent.
    pub fn has_exceptions(&self) -> bool {
        self.rules.iter().any(|rule| rule.exception)
    }

    /// Whether Docker leaves `path` (relative to the context, `/`-separated) out of the
    /// context: `MatchesOrParentMatches` after `filepath.Clean`. `.` is never excluded.
    pub fn excludes(&self, path: &str) -> bool {
        let path = pattern::clean(path);
        if path == "." {
            return false;
        }
        self.rule_for(&path).is_some_and(|rule| !rule.exception)
    }

    /// moby/patternmatcher's `MatchesOrParentMatches` on `filepath.Clean(path)`, as BuildKit's
    /// CopyIgnoredFile calls it: unlike [`IgnoreFile::excludes`], `.` and a leading `/` are
    /// compared as they are (so `.` and `/` only match catch-all patterns).
    pub fn matches_or_parent_matches(&self, path: &str) -> Option<&Rule> {
        self.rule_for(&pattern::clean(path))
            .filter(|rule| !rule.exception)
    }

    /// The rule that decides about `path` (cleaned), if any: the last one that matched it or
    /// one of its parent directories, as moby/patternmatcher walks them.
    pub fn rule_for(&self, path: &str) -> Option<&Rule> {
        let parent = pattern::dir(path);
        let parents: Vec<&str> = parent.split('/').collect();
        let mut matched: Option<&Rule> = None;
        for rule in &self.rules {
            let excluded_so_far = matched.is_some_and(|rule| !rule.exception);
            // An inclusion only matters while the path is not excluded yet, an exception only
            // once it is.
            if rule.exception != excluded_so_far {
                continue;
            }
            let mut hit = rule.pattern.matches(path);
            if !hit && parent != "." {
                hit = (1..=parents.len())
                    .any(|count| rule.pattern.matches(&parents[..count].join("/")));
            }
            if hit {
                matched = Some(rule);
            }
        }
        matched
    }

    /// Whether an exception could bring back something below the excluded `directory`: the
    /// walk of the context must then look inside it.
    pub fn may_include_below(&self, directory: &str) -> bool {
        self.rules
            .iter()
            .any(|rule| rule.exception && rule.pattern.may_match_below(directory))
    }
}

/// The ignore file a build of `dockerfile` with context `root` uses: `<Dockerfile name>.dockerignore`
/// beside the Dockerfile, else `.dockerignore` at the context's root (Docker's documentation,
/// "Filename and location"). Only the candidates; which exists is for the caller to see.
pub fn candidates(dockerfile: &Path, root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let (Some(directory), Some(name)) = (dockerfile.parent(), dockerfile.file_name()) {
        let mut specific = name.to_os_string();
        specific.push(".dockerignore");
        found.push(directory.join(specific));
    }
    found.push(root.join(".dockerignore"));
    found
}

/// True for a path named like an ignore file (`.dockerignore`, `X.dockerignore`).
pub fn is_ignore_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.ends_with(".dockerignore"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> IgnoreFile {
        IgnoreFile::parse(Path::new("/c/.dockerignore"), text)
    }

    /// moby/patternmatcher's `ignorefile` test, line for line.
    #[test]
    fn lines_are_read_as_docker_reads_them() {
        let text = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
        let patterns: Vec<String> = read_patterns(text)
            .into_iter()
            .map(|(_, pattern)| pattern)
            .collect();
        assert_eq!(
            patterns,
            vec![
                "test1",
                "test2",
                "a/file/here",
                "lastfile",
                "!inverted/abs/path",
                "!",
                "!"
            ]
        );
        // Those two bare `!` make the file unusable, as they make the build fail.
        let read = file(text);
        assert_eq!(read.error.as_ref().map(|error| error.0), Some(8));
        assert!(!read.excludes("test1"));
        // A BOM, `./` and a trailing slash.
        let read = file("\u{feff}./build/\n  # not a comment: a pattern\n");
        assert_eq!(read.rules[0].pattern.cleaned, "build");
        assert_eq!(read.rules[1].pattern.cleaned, "# not a comment: a pattern");
    }

    /// moby/patternmatcher's multi-pattern and exception cases, and Docker's documented
    /// examples.
    #[test]
    fn exceptions_and_parents() {
        let cases: &[(&str, &str, bool)] = &[
            ("**\n!util/docker/web\n", "util/docker/web/foo", false),
            (
                "**\n!util/docker/web\nutil/docker/web/foo\n",
                "util/docker/web/foo",
                true,
            ),
            (
                "**\n!dist/*.whl\n",
                "dist/proxy.py-2.4.0-py3-none-any.whl",
                false,
            ),
            ("!fileutils.go\n*.go\n", "fileutils.go", true),
            ("docs\n!docs/README.md\n", "docs/README.md", false),
            ("docs/\n!docs/README.md\n", "docs/README.md", false),
            ("docs/*\n!docs/README.md\n", "docs/README.md", false),
            ("*.go\n!fileutils.go\n", "fileutils.go", false),
            ("*.go\n", ".", false),
            // A pattern matching a parent directory excludes what is inside.
            ("**/dir\n", "dir/file", true),
            ("**/dir2/*\n", "dir/dir2/file/x", true),
            ("node_modules\n", "node_modules/a/b.js", true),
            // Docker's documentation: `*/temp*`, `*/*/temp*`, `temp?`.
            ("*/temp*\n", "somedir/temporary.txt", true),
            ("*/temp*\n", "somedir/temp", true),
            ("*/temp*\n", "temp", false),
            ("*/*/temp*\n", "somedir/subdir/temporary.txt", true),
            ("temp?\n", "tempa", true),
            ("temp?\n", "dir/tempa", false),
            // `*.md` then `!README*.md` then `README-secret.md`.
            (
                "*.md\n!README*.md\nREADME-secret.md\n",
                "README-secret.md",
                true,
            ),
            ("*.md\n!README*.md\nREADME-secret.md\n", "README.md", false),
            ("*.md\n!README*.md\nREADME-secret.md\n", "CHANGES.md", true),
            (
                "*.md\nREADME-secret.md\n!README*.md\n",
                "README-secret.md",
                false,
            ),
            // Not gitignore: a name without a slash is at the root only.
            ("foo\n", "a/foo", false),
            ("/foo\n", "foo", true),
        ];
        for (text, path, excluded) in cases {
            assert_eq!(file(text).excludes(path), *excluded, "{text:?} on {path:?}");
        }
    }

    /// BuildKit checks `.` and `/` sources too: only catch-all patterns exclude them.
    #[test]
    fn the_whole_context_only_for_catch_alls() {
        assert!(!file("*.go\nfoo\n").excludes("/"));
        assert!(file("*\n").excludes("/"));
        assert!(file("**\n").excludes("/"));
        assert!(!file("*\n").excludes("."));
        // BuildKit's check compares `.` as it is.
        assert!(file("*\n").matches_or_parent_matches("./").is_some());
        assert!(file("app\n").matches_or_parent_matches("/app").is_none());
        assert!(file("app\n").matches_or_parent_matches("./app/x").is_some());
    }

    #[test]
    fn exceptions_reach_into_excluded_directories() {
        let read = file("docs\n!docs/README.md\nvendor\n");
        assert!(read.has_exceptions());
        assert!(read.may_include_below("docs"));
        assert!(!read.may_include_below("vendor"));
        assert!(file("!**/keep\n").may_include_below("anything"));
    }

    #[test]
    fn the_dockerfile_s_own_ignore_file_comes_first() {
        let found = candidates(Path::new("/repo/app/build.Dockerfile"), Path::new("/repo"));
        assert_eq!(
            found,
            vec![
                PathBuf::from("/repo/app/build.Dockerfile.dockerignore"),
                PathBuf::from("/repo/.dockerignore")
            ]
        );
        assert!(is_ignore_file(Path::new("/x/Dockerfile.dockerignore")));
        assert!(!is_ignore_file(Path::new("/x/Dockerfile")));
    }
}
