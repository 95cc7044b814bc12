//! SARIF 2.1.0 (the `serde-sarif` types, generated from the OASIS schema): one run whose tool
//! lists every rule (id, summary, documentation, help link, default level) and one result per
//! finding, with its location, a fingerprint that survives line moves, and its fixes as SARIF
//! fixes (artifact changes of replacements). GitHub code scanning reads this.

use std::collections::BTreeMap;
use std::io::Write;

use serde_sarif::sarif;

use super::{FileReport, Fingerprints, Lines, Region};
use crate::lint::{self, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
    }
}

fn rule_descriptor(rule: &lint::Rule) -> sarif::ReportingDescriptor {
    let level = serde_json::to_value(level(rule.severity)).unwrap_or_default();
    sarif::ReportingDescriptor::builder()
        .id(rule.name)
        .name(rule.name)
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(format!("{} See {}", rule.summary, rule.url()))
                .markdown(rule.documentation)
                .build(),
        )
        .help_uri(rule.url())
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(level)
                .build(),
        )
        .build()
}

/// A path as a URI reference: relative paths stay relative (GitHub resolves them against the
/// repository), absolute ones become `file://` URIs; anything outside the unreserved set is
/// percent-encoded.
fn uri(path: &str) -> String {
    let forward = path.replace('\\', "/");
    let mut encoded = String::with_capacity(forward.len());
    for byte in forward.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    if forward.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn region(region: Region) -> sarif::Region {
    sarif::Region::builder()
        .start_line(i64::from(region.start.line))
        .start_column(i64::from(region.start.column))
        .end_line(i64::from(region.end.line))
        .end_column(i64::from(region.end.column))
        .build()
}

fn artifact(path: &str) -> sarif::ArtifactLocation {
    sarif::ArtifactLocation::builder().uri(uri(path)).build()
}

fn fix(path: &str, lines: &Lines, fix: &lint::Fix) -> sarif::Fix {
    let replacements: Vec<sarif::Replacement> = fix
        .edits
        .iter()
        .map(|edit| {
            sarif::Replacement::builder()
                .deleted_region(region(lines.region(&edit.span)))
                .inserted_content(
                    sarif::ArtifactContent::builder()
                        .text(edit.new_text.clone())
                        .build(),
                )
                .build()
        })
        .collect();
    sarif::Fix::builder()
        .description(sarif::Message::builder().text(fix.title.clone()).build())
        .artifact_changes(vec![
            sarif::ArtifactChange::builder()
                .artifact_location(artifact(path))
                .replacements(replacements)
                .build(),
        ])
        .build()
}

pub fn write(out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    let rules: Vec<&'static lint::Rule> = lint::rules::ALL.to_vec();
    let mut fingerprints = Fingerprints::new();
    let mut results = Vec::new();
    for file in files {
        let lines = Lines::new(&file.text);
        for diagnostic in &file.diagnostics {
            let index = rules
                .iter()
                .position(|rule| rule.name == diagnostic.rule.name)
                .map(|index| index as i64);
            let location = sarif::Location::builder()
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(artifact(super::report_path(&file.path)))
                        .region(region(lines.region(&diagnostic.span)))
                        .build(),
                )
                .build();
            let mut partial = BTreeMap::new();
            partial.insert(
                "dockerfileLsFingerprint/v1".to_string(),
                fingerprints.of(super::report_path(&file.path), &file.text, diagnostic),
            );
            // Repairs only: a "skip this check here" comment silences the finding, as the
            // JSON output leaves out too.
            let fixes: Vec<sarif::Fix> = diagnostic
                .fixes
                .iter()
                .filter(|each| !each.suppresses)
                .map(|each| fix(super::report_path(&file.path), &lines, each))
                .collect();
            let mut result = sarif::Result::builder()
                .rule_id(diagnostic.rule.name)
                .level(level(diagnostic.severity))
                .message(
                    sarif::Message::builder()
                        .text(diagnostic.message.clone())
                        .build(),
                )
                .locations(vec![location])
                .partial_fingerprints(partial)
                .build();
            result.rule_index = index;
            result.fixes = (!fixes.is_empty()).then_some(fixes);
            results.push(result);
        }
    }
    let driver = sarif::ToolComponent::builder()
        .name("dockerfile-ls")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/dockerfile-ls/dockerfile-ls")
        .rules(
            rules
                .iter()
                .map(|rule| rule_descriptor(rule))
                .collect::<Vec<_>>(),
        )
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("svc/api/Dockerfile"), "svc/api/Dockerfile");
        assert_eq!(uri("a b/Dockerfile#1"), "a%20b/Dockerfile%231");
        assert_eq!(uri("/tmp/x/Dockerfile"), "file:///tmp/x/Dockerfile");
        assert_eq!(uri("dir\\Dockerfile"), "dir/Dockerfile");
    }
}
