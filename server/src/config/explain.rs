//! `dockerfile-ls rules --explain-config PATH`: where the configuration of a file comes from,
//! what it says, and which rules are on.

use std::fmt::Write as _;

use super::{FailLevel, Resolution, is_hadolint_code};
use crate::lint::{self, Level};

/// The explanation for the file labelled `label`, whose effective settings (with the command
/// line's layer on top) are `settings` and `fail_level`.
pub fn explain(
    label: &str,
    resolution: &Resolution,
    settings: &lint::Settings,
    fail_level: FailLevel,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "configuration for {label}");
    match &resolution.source {
        Some(source) => {
            let kind = match source.format {
                super::Format::Project => "dockerfile-ls",
                super::Format::Hadolint => "hadolint",
            };
            let _ = writeln!(out, "  file: {} ({kind})", source.path.display());
            for index in &resolution.overrides {
                if let Some(entry) = source.overrides.get(*index) {
                    let _ = writeln!(
                        out,
                        "  override {}: files {}",
                        index + 1,
                        entry.files.join(", ")
                    );
                }
            }
            for warning in &source.warnings {
                let _ = writeln!(out, "  warning: {warning}");
            }
        }
        None => {
            let _ = writeln!(out, "  file: none (defaults)");
        }
    }
    if let Some(error) = &resolution.error {
        let _ = writeln!(out, "  error: {error}");
    }
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let _ = writeln!(out, "  fail level: {}", fail_level.name());
    let _ = writeln!(out, "  target stages: {}", list(&settings.target_stages));
    if let Some(directory) = &settings.build_context {
        let _ = writeln!(out, "  build context: {}", directory.display());
    }
    let _ = writeln!(
        out,
        "  trusted registries: {}",
        if settings.trusted_registries.is_empty() {
            "any".to_string()
        } else {
            settings.trusted_registries.join(", ")
        }
    );
    let schema: Vec<String> = settings
        .label_schema
        .iter()
        .map(|(label, kind)| format!("{label}={}", kind.name()))
        .collect();
    let _ = writeln!(out, "  label schema: {}", list(&schema));
    let yes_no = |value: bool| if value { "yes" } else { "no" };
    let _ = writeln!(out, "  strict labels: {}", yes_no(settings.strict_labels));
    let _ = writeln!(
        out,
        "  experimental checks: {}",
        list(&settings.experimental)
    );
    let _ = writeln!(
        out,
        "  ignore pragmas: {}",
        if settings.disable_ignore_pragma {
            "disabled"
        } else {
            "honoured"
        }
    );
    let mut unmatched: Vec<&str> = settings
        .levels
        .keys()
        .chain(settings.ignore.iter())
        .map(String::as_str)
        .filter(|name| lint::find_rule(name).is_none())
        .collect();
    unmatched.sort_unstable();
    unmatched.dedup();
    if !unmatched.is_empty() {
        let described: Vec<String> = unmatched
            .iter()
            .map(|name| {
                if is_hadolint_code(name) {
                    format!("{name} (a hadolint check not implemented here)")
                } else {
                    format!("{name} (no such rule)")
                }
            })
            .collect();
        let _ = writeln!(out, "  names matching no rule: {}", described.join(", "));
    }
    let _ = writeln!(out);
    for rule in lint::rules::ALL {
        let configured = settings.ignore.iter().any(|name| rule.answers_to(name))
            || settings.levels.keys().any(|name| rule.answers_to(name));
        let (state, level) = match settings.level(rule) {
            Level::Off => ("off", "-"),
            Level::On(severity) => ("on", severity.name()),
        };
        let origin = if configured { "configured" } else { "default" };
        let _ = writeln!(out, "{state:<4} {level:<8} {:<28} {origin}", rule.name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigFile, Resolution};
    use std::path::Path;
    use std::sync::Arc;

    #[test]
    fn names_the_file_the_overrides_and_each_rules_state() {
        let file = ConfigFile::parse(
            Path::new("/repo/dockerfile-ls.toml"),
            "ignore = [\"DL3005\", \"Nope\"]\n[rules]\nMaintainerDeprecated = \"off\"\n[[overrides]]\nfiles = [\"legacy/**\"]\n[overrides.rules]\nImageTagLatest = \"error\"\n",
        )
        .unwrap();
        let (settings, fail_level, overrides) =
            file.settings_for(Path::new("/repo/legacy/Dockerfile"));
        let resolution = Resolution {
            settings: settings.clone(),
            fail_level,
            source: Some(Arc::new(file)),
            overrides,
            error: None,
        };
        let text = explain(
            "legacy/Dockerfile",
            &resolution,
            &settings,
            FailLevel::Warning,
        );
        assert!(
            text.contains("file: /repo/dockerfile-ls.toml (dockerfile-ls)"),
            "{text}"
        );
        assert!(text.contains("override 1: files legacy/**"), "{text}");
        assert!(
            text.contains("DL3005 (a hadolint check not implemented here)"),
            "{text}"
        );
        assert!(text.contains("Nope (no such rule)"), "{text}");
        let line = |rule: &str| {
            text.lines()
                .find(|line| line.split_whitespace().nth(2) == Some(rule))
                .unwrap_or_else(|| panic!("{rule} in {text}"))
                .split_whitespace()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            line("MaintainerDeprecated"),
            ["off", "-", "MaintainerDeprecated", "configured"]
        );
        assert_eq!(
            line("ImageTagLatest"),
            ["on", "error", "ImageTagLatest", "configured"]
        );
        assert_eq!(
            line("UnusedStage"),
            ["on", "warning", "UnusedStage", "default"]
        );
    }
}
