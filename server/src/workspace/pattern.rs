//! Go's path patterns, the two ways Docker uses them: `filepath.Match` for the wildcards of a
//! `COPY`/`ADD` source (one path component at a time), and moby/patternmatcher's reading of a
//! `.dockerignore` line (a whole relative path, `**` across directories). Also Go's
//! `filepath.Clean` and `filepath.Dir`, which both pass every path through.
//!
//! Neither `globset` nor the `ignore` crate's gitignore matcher means the same: in globset a
//! `**` must be a whole path component (Docker's `**file` matches `a/b/file`), and gitignore
//! matches a pattern without a slash at any depth (Docker's `foo` is `./foo` only) and lets a
//! pattern end at a directory with no way back in. So the patterns are compiled here, each into
//! a small token list matched with a table (no backtracking blow-up), following Docker's code
//! path for path: the same "match types", the same regular expression for the rest.

/// What a pattern token matches, one character of the path at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    Question,
    /// `[...]` / `[^...]`: one character in (or not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// Docker's `**/` in the middle of a pattern: nothing, or anything ending in `/`.
    Directories,
    /// Docker's trailing `**`: anything (but a line break, as Go's `.`).
    Anything,
}

/// A malformed pattern (Go's `filepath.ErrBadPattern`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("syntax error in pattern")
    }
}

/// Reads a character class after its `[`, as Go's `filepath.Match` does: an optional `^`,
/// then characters and `lo-hi` ranges (each may be `\`-escaped) up to `]`. Returns the token
/// and the characters consumed.
fn class(rest: &[char]) -> Result<(Token, usize), BadPattern> {
    let mut at = 0;
    let negated = rest.first() == Some(&'^');
    if negated {
        at += 1;
    }
    let mut ranges = Vec::new();
    loop {
        if rest.get(at) == Some(&']') && !ranges.is_empty() {
            return Ok((Token::Class { negated, ranges }, at + 1));
        }
        let (low, used) = class_char(&rest[at..])?;
        at += used;
        let mut high = low;
        if rest.get(at) == Some(&'-') {
            let (end, used) = class_char(&rest[at + 1..])?;
            at += 1 + used;
            high = end;
        }
        ranges.push((low, high));
    }
}

/// One character of a class (Go's `getEsc`): not `-` or `]` unescaped, not the end.
fn class_char(rest: &[char]) -> Result<(char, usize), BadPattern> {
    match rest {
        [] | ['-' | ']', ..] | ['\\'] => Err(BadPattern),
        ['\\', escaped, ..] => Ok((*escaped, 2)),
        [other, ..] => Ok((*other, 1)),
    }
}

/// Matches `tokens` against the whole of `text`: a table over (token, position), so stars do
/// not backtrack exponentially.
fn matches(tokens: &[Token], text: &[char]) -> bool {
    let width = text.len() + 1;
    // reachable[token * width + position]: the first `token` tokens can consume exactly
    // `text[..position]`.
    let mut reachable = vec![false; (tokens.len() + 1) * width];
    reachable[0] = true;
    for (index, token) in tokens.iter().enumerate() {
        let (before, after) = reachable.split_at_mut((index + 1) * width);
        let from = &before[index * width..];
        let to = &mut after[..width];
        for position in 0..width {
            if !from[position] {
                continue;
            }
            match token {
                Token::Literal(expected) => {
                    if text.get(position) == Some(expected) {
                        to[position + 1] = true;
                    }
                }
                Token::Question => {
                    if text
                        .get(position)
                        .is_some_and(|character| *character != '/')
                    {
                        to[position + 1] = true;
                    }
                }
                Token::Class { negated, ranges } => {
                    if let Some(character) = text.get(position) {
                        let inside = ranges
                            .iter()
                            .any(|(low, high)| low <= character && character <= high);
                        if inside != *negated {
                            to[position + 1] = true;
                        }
                    }
                }
                Token::Star => {
                    to[position] = true;
                    let mut end = position;
                    while end < text.len() && text[end] != '/' {
                        end += 1;
                        to[end] = true;
                    }
                }
                Token::Directories => {
                    to[position] = true;
                    for end in position..text.len() {
                        if text[end] == '\n' {
                            break;
                        }
                        if text[end] == '/' {
                            to[end + 1] = true;
                        }
                    }
                }
                Token::Anything => {
                    to[position] = true;
                    let mut end = position;
                    while end < text.len() && text[end] != '\n' {
                        end += 1;
                        to[end] = true;
                    }
                }
            }
        }
    }
    reachable[tokens.len() * width + text.len()]
}

/// One path component's pattern, as Go's `filepath.Match` reads it: `*`, `?`, `[...]` and
/// `\` escapes. What `COPY` and `ADD` sources use for their wildcards, component by component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentPattern {
    tokens: Vec<Token>,
}

impl ComponentPattern {
    pub fn new(pattern: &str) -> Result<ComponentPattern, BadPattern> {
        let characters: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut at = 0;
        while at < characters.len() {
            match characters[at] {
                '*' => {
                    // Consecutive stars mean one.
                    if tokens.last() != Some(&Token::Star) {
                        tokens.push(Token::Star);
                    }
                    at += 1;
                }
                '?' => {
                    tokens.push(Token::Question);
                    at += 1;
                }
                '[' => {
                    let (token, used) = class(&characters[at + 1..])?;
                    tokens.push(token);
                    at += 1 + used;
                }
                '\\' => {
                    let escaped = characters.get(at + 1).ok_or(BadPattern)?;
                    tokens.push(Token::Literal(*escaped));
                    at += 2;
                }
                other => {
                    tokens.push(Token::Literal(other));
                    at += 1;
                }
            }
        }
        Ok(ComponentPattern { tokens })
    }

    /// True when the whole of `name` (one component, no `/`) matches.
    pub fn matches(&self, name: &str) -> bool {
        let characters: Vec<char> = name.chars().collect();
        matches(&self.tokens, &characters)
    }
}

/// Whether `text` holds a wildcard as BuildKit's `containsWildcards` decides: `*`, `?` or `[`
/// not escaped by `\`.
pub fn has_wildcards(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'*' | b'?' | b'[' => return true,
            _ => at += 1,
        }
    }
    false
}

/// How a `.dockerignore` pattern is compared with a path (moby/patternmatcher's match types:
/// the cheap ones for the common shapes, the expression for the rest).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// No wildcard: the path is the pattern.
    Exact,
    /// `dir/**`: the path starts with `dir/`.
    Prefix(String),
    /// `**/name` or `**name`: the path ends with what follows `**` (and `**/name` also
    /// matches `name` itself).
    Suffix(String),
    Tokens(Vec<Token>),
}

/// One `.dockerignore` pattern, cleaned, without its `!`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    /// The pattern after `filepath.Clean`, as Docker compares it.
    pub cleaned: String,
    kind: Kind,
}

impl PathPattern {
    /// Compiles a cleaned pattern the way moby/patternmatcher turns it into a regular
    /// expression. The caller has checked it with [`validate`].
    pub fn new(cleaned: &str) -> PathPattern {
        let characters: Vec<char> = cleaned.chars().collect();
        let mut tokens = Vec::new();
        let mut kind = KindSoFar::Exact;
        let mut at = 0;
        let mut first = true;
        while at < characters.len() {
            let character = characters[at];
            at += 1;
            match character {
                '*' if characters.get(at) == Some(&'*') => {
                    at += 1;
                    // `**/` reads as `**`.
                    if characters.get(at) == Some(&'/') {
                        at += 1;
                    }
                    if at == characters.len() {
                        if kind == KindSoFar::Exact {
                            kind = KindSoFar::Prefix;
                        } else {
                            kind = KindSoFar::Expression;
                        }
                        tokens.push(Token::Anything);
                    } else {
                        tokens.push(Token::Directories);
                        kind = KindSoFar::Expression;
                    }
                    if first {
                        kind = KindSoFar::Suffix;
                    }
                }
                '*' => {
                    tokens.push(Token::Star);
                    kind = KindSoFar::Expression;
                }
                '?' => {
                    tokens.push(Token::Question);
                    kind = KindSoFar::Expression;
                }
                '\\' => match characters.get(at) {
                    Some(escaped) => {
                        tokens.push(Token::Literal(*escaped));
                        at += 1;
                        kind = KindSoFar::Expression;
                    }
                    None => tokens.push(Token::Literal('\\')),
                },
                '[' => {
                    // Checked by `validate`; a class that does not read is taken literally.
                    match class(&characters[at..]) {
                        Ok((token, used)) => {
                            tokens.push(token);
                            at += used;
                        }
                        Err(_) => tokens.push(Token::Literal('[')),
                    }
                    kind = KindSoFar::Expression;
                }
                other => tokens.push(Token::Literal(other)),
            }
            first = false;
        }
        let kind = match kind {
            KindSoFar::Exact => Kind::Exact,
            KindSoFar::Prefix => Kind::Prefix(cleaned[..cleaned.len() - 2].to_string()),
            KindSoFar::Suffix => Kind::Suffix(cleaned[2..].to_string()),
            KindSoFar::Expression => Kind::Tokens(tokens),
        };
        PathPattern {
            cleaned: cleaned.to_string(),
            kind,
        }
    }

    /// True when the pattern matches `path` (cleaned, `/`-separated, relative) exactly.
    pub fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Kind::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Tokens(tokens) => {
                let characters: Vec<char> = path.chars().collect();
                matches(tokens, &characters)
            }
        }
    }

    /// True when the pattern could match something below `directory` (a cleaned relative
    /// path): used to decide whether an excluded directory must still be walked because an
    /// exception might bring back something inside it. Errs on the side of yes.
    pub fn may_match_below(&self, directory: &str) -> bool {
        let literal_head: String = self
            .cleaned
            .chars()
            .take_while(|character| !matches!(character, '*' | '?' | '[' | '\\'))
            .collect();
        let prefix = format!("{directory}/");
        literal_head.starts_with(&prefix) || prefix.starts_with(&literal_head)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KindSoFar {
    Exact,
    Prefix,
    Suffix,
    Expression,
}

/// Checks a pattern's syntax the way Docker does (`filepath.Match(pattern, ".")`): a class
/// that does not close or a trailing `\` makes the whole ignore file unusable.
pub fn validate(pattern: &str) -> Result<(), BadPattern> {
    let characters: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    while at < characters.len() {
        match characters[at] {
            '[' => {
                let (_, used) = class(&characters[at + 1..])?;
                at += 1 + used;
            }
            '\\' => {
                if at + 1 >= characters.len() {
                    return Err(BadPattern);
                }
                at += 2;
            }
            _ => at += 1,
        }
    }
    Ok(())
}

/// Go's `filepath.Clean` for `/`-separated paths: one slash between elements, no `.`
/// elements, `..` resolved lexically (and dropped at the root), no trailing slash; `.` for
/// nothing.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(last) if *last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir`: everything before the last element, cleaned (`.` when there is none).
pub fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(at) => clean(&path[..at + 1]),
        None => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's own `filepath.Match` cases (the ones moby/patternmatcher also runs), for one
    /// component: pattern, name, match, or a syntax error.
    #[test]
    fn component_patterns_follow_go() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("[-x]", "x", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
        ];
        for (pattern, name, expected) in cases {
            let got = ComponentPattern::new(pattern).map(|compiled| compiled.matches(name));
            assert_eq!(&got, expected, "Match({pattern:?}, {name:?})");
        }
    }

    #[test]
    fn wildcards_are_found_as_buildkit_finds_them() {
        assert!(has_wildcards("src/*.go"));
        assert!(has_wildcards("a?"));
        assert!(has_wildcards("[ab]"));
        assert!(!has_wildcards("a\\*b"));
        assert!(!has_wildcards("plain/path.txt"));
    }

    /// moby/patternmatcher's table of single patterns (`exact` and `inexact` there are
    /// matches of the path or a parent; this is the exact part: `MatchesExact`).
    #[test]
    fn path_patterns_follow_moby_patternmatcher() {
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "file/", true),
            ("**", "/", true),
            ("**", "dir/file", true),
            ("**/**", "dir/file", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/dir2/file/", true),
            ("**/dir", "dir", true),
            ("**/dir", "dir/file", false),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/*", "dir/dir2/file/", false),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/file*.txt*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("**/**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/file.txt", true),
            ("a**/*.txt", "a/dir/file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a/*.txt**", "a/file.txt", true),
            ("a[b-d]e", "ae", false),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abcdef", false),
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "dir/dir2/foo/bar", true),
            ("abc/**", "abc", false),
            ("abc/**", "abc/def/ghi", true),
            ("**/.foo", ".foo", true),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a(b)c/def", "a(b)c/xyz", false),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
            (
                "dist/*.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            ("a\\*b", "a*b", true),
            ("*", "fileutils.go", true),
            ("*.go", "fileutils.go", true),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*", "ab/c", false),
        ];
        for (pattern, path, expected) in cases {
            let compiled = PathPattern::new(&clean(pattern));
            assert_eq!(
                compiled.matches(path),
                *expected,
                "pattern {pattern:?} path {path:?} ({compiled:?})"
            );
        }
    }

    #[test]
    fn syntax_errors_are_docker_s() {
        assert!(validate("a/[b-c]/*").is_ok());
        assert!(validate("[").is_err());
        assert!(validate("a\\").is_err());
        assert!(validate("[]a]").is_err());
    }

    #[test]
    fn clean_and_dir_follow_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("./a", "a"),
            ("a/", "a"),
            ("a//b", "a/b"),
            ("a/./b/", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("/", "/"),
            ("//", "/"),
            ("a/b/../..", "."),
            ("a/b/../../..", ".."),
        ];
        for (path, cleaned) in cases {
            assert_eq!(clean(path), cleaned, "Clean({path:?})");
        }
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("a"), ".");
        assert_eq!(dir("/"), "/");
        assert_eq!(dir("/a"), "/");
    }

    #[test]
    fn long_star_runs_stay_fast() {
        let pattern = PathPattern::new(&"*a".repeat(30));
        assert!(!pattern.matches(&"a".repeat(29)));
    }
}
