//! The report formats CI systems ingest: SARIF 2.1.0 (GitHub code scanning), GitHub Actions
//! workflow commands, GitLab's Code Quality report and Checkstyle XML. Each is written from
//! the same per-file findings; positions are 1-based lines and columns counted in Unicode
//! scalar values, as in the text and JSON output.

mod checkstyle;
mod github;
mod gitlab;
mod sarif;

use std::io::Write;

use sha2::Digest;

use crate::lint::{self, Severity};
use crate::text::{PositionEncoding, Text};

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Sarif,
    Github,
    Gitlab,
    Checkstyle,
}

/// One checked file and its findings.
pub struct FileReport {
    /// The path as the user named it (`-` for standard input).
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<lint::Diagnostic>,
}

/// The path a report names: as the user gave it, without a leading `./` (GitHub and GitLab
/// match report paths against the repository's files literally).
fn report_path(path: &str) -> &str {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    path
}

/// Writes the report of `files` in `format`.
pub fn write(format: Format, out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    match format {
        Format::Sarif => sarif::write(out, files),
        Format::Github => github::write(out, files),
        Format::Gitlab => gitlab::write(out, files),
        Format::Checkstyle => checkstyle::write(out, files),
    }
}

/// 1-based line and column (Unicode scalar values) of a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Point {
    line: u32,
    column: u32,
}

/// A byte span as 1-based points; the end is the position just after the last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Region {
    start: Point,
    end: Point,
}

/// The lines of one file, for turning spans into regions.
struct Lines {
    text: Text,
}

impl Lines {
    fn new(text: &str) -> Lines {
        Lines {
            text: Text::new(text),
        }
    }

    fn point(&self, offset: usize) -> Point {
        let position = self.text.position(offset, PositionEncoding::Utf32);
        Point {
            line: position.line + 1,
            column: position.column + 1,
        }
    }

    fn region(&self, span: &std::ops::Range<usize>) -> Region {
        Region {
            start: self.point(span.start),
            end: self.point(span.end.max(span.start)),
        }
    }
}

/// A fingerprint that names a finding across runs and commits: its file, rule, message, the
/// text it flags and which of the identical findings in the file it is, but not its line (a
/// finding moved by an edit above it is the same finding; numbers in the message are left out
/// too, since messages name lines: "it can join the RUN on line 3"). SHA-256, hex, 32 digits.
struct Fingerprints {
    seen: std::collections::HashMap<[u8; 32], u32>,
}

impl Fingerprints {
    fn new() -> Fingerprints {
        Fingerprints {
            seen: std::collections::HashMap::new(),
        }
    }

    fn of(&mut self, path: &str, text: &str, diagnostic: &lint::Diagnostic) -> String {
        let flagged = text.get(diagnostic.span.clone()).unwrap_or("");
        // Whitespace inside the flagged text is not what the finding is about.
        let flagged: Vec<&str> = flagged.split_whitespace().collect();
        let message: String = diagnostic
            .message
            .chars()
            .filter(|character| !character.is_ascii_digit())
            .collect();
        let mut hasher = sha2::Sha256::new();
        for part in [path, diagnostic.rule.name, &message, &flagged.join(" ")] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let base: [u8; 32] = hasher.clone().finalize().into();
        let occurrence = self.seen.entry(base).or_insert(0);
        hasher.update(occurrence.to_le_bytes());
        *occurrence += 1;
        hasher
            .finalize()
            .iter()
            .take(16)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// The name of a severity in formats that know error, warning and a third, lower one.
fn three_levels(severity: Severity, lowest: &'static str) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => lowest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::SourceFile;

    pub(super) fn report(path: &str, text: &str) -> FileReport {
        let source = SourceFile::parse(text);
        FileReport {
            path: path.to_string(),
            text: text.to_string(),
            diagnostics: lint::lint(
                &source,
                &lint::Settings::default(),
                crate::knowledge::distros::AS_OF,
            ),
        }
    }

    #[test]
    fn fingerprints_survive_moves_and_tell_twins_apart() {
        let text = "FROM scratch\nMAINTAINER a\nMAINTAINER a\nRUN a\nRUN b\n";
        let moved = "FROM scratch\n\n\nMAINTAINER a\nMAINTAINER a\nRUN a\nRUN b\n";
        let prints = |text: &str| {
            let file = report("Dockerfile", text);
            let mut fingerprints = Fingerprints::new();
            file.diagnostics
                .iter()
                .map(|diagnostic| fingerprints.of(&file.path, text, diagnostic))
                .collect::<Vec<_>>()
        };
        let before = prints(text);
        // Two MAINTAINERs and a RUN whose message names the line of the one before.
        assert_eq!(before.len(), 3);
        assert_ne!(before[0], before[1]);
        assert_eq!(before, prints(moved));
        assert_eq!(before[0].len(), 32);
    }

    #[test]
    fn report_paths_lose_a_leading_dot_slash() {
        assert_eq!(report_path("./svc/Dockerfile"), "svc/Dockerfile");
        assert_eq!(report_path("././/a"), "a");
        assert_eq!(report_path("../a"), "../a");
        assert_eq!(report_path("/abs/a"), "/abs/a");
    }

    #[test]
    fn regions_count_characters_from_one() {
        let lines = Lines::new("ab\n😀x\n");
        assert_eq!(
            lines.region(&(3..8)),
            Region {
                start: Point { line: 2, column: 1 },
                end: Point { line: 2, column: 3 }
            }
        );
    }
}
