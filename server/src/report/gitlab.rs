//! GitLab's Code Quality report: a JSON array with one issue per finding (`description`,
//! `check_name`, `fingerprint`, `severity`, `location.path`, `location.lines`), the subset of
//! the Code Climate format GitLab reads.

use std::io::Write;

use serde::Serialize;

use super::{FileReport, Fingerprints, Lines};
use crate::lint::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: LineRange,
}

#[derive(Serialize)]
struct LineRange {
    begin: u32,
    end: u32,
}

/// GitLab's five severities: an error breaks the build or its meaning (critical), a warning is a
/// real problem (major), info is worth knowing (minor), a hint is a suggestion (info).
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Hint => "info",
    }
}

pub fn write(out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    let mut fingerprints = Fingerprints::new();
    let mut issues = Vec::new();
    for file in files {
        let lines = Lines::new(&file.text);
        for diagnostic in &file.diagnostics {
            let region = lines.region(&diagnostic.span);
            issues.push(Issue {
                kind: "issue",
                description: &diagnostic.message,
                check_name: diagnostic.rule.name,
                fingerprint: fingerprints.of(
                    super::report_path(&file.path),
                    &file.text,
                    diagnostic,
                ),
                severity: severity(diagnostic.severity),
                location: Location {
                    path: super::report_path(&file.path),
                    lines: LineRange {
                        begin: region.start.line,
                        end: region.end.line,
                    },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
