//! hadolint's configuration file (`.hadolint.yaml`, `.hadolint.yml`, and its user-level
//! files), read the way hadolint 2.x reads it: `ignored`, `override` (`error`, `warning`,
//! `info`, `style` lists), `trustedRegistries` (a list or one name), `label-schema`,
//! `strict-labels`, `disable-ignore-pragma`, `failure-threshold` and `no-fail`.
//!
//! Severities map as error → error, warning → warning, info → info, style → hint; a failure
//! threshold of `ignore` or `none` never fails. `no-color` and `verbose` change only hadolint's
//! own output and are accepted without effect; any other key (`format`, keys of newer
//! hadolints) is named in a warning and skipped. A value of the wrong type is an error with
//! its line, as it is for hadolint.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use super::{ConfigFile, FailLevel, Format, Layer, Problem};
use crate::lint::{LabelType, Level, Severity};

/// Keys we read.
const HONOURED: &[&str] = &[
    "ignored",
    "override",
    "trustedRegistries",
    "trusted-registries",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "failure-threshold",
    "no-fail",
];

/// Keys that only shape hadolint's own output.
const WITHOUT_EFFECT: &[&str] = &["no-color", "verbose"];

/// A list, or a single value where hadolint accepts one (`trustedRegistries: docker.io`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Document {
    ignored: Option<Vec<String>>,
    #[serde(rename = "override")]
    overrides: Option<HashMap<Spanned<String>, Option<Vec<String>>>>,
    /// Current hadolint spells it `trustedRegistries`; 1.x spelled it `trusted-registries`.
    #[serde(rename = "trustedRegistries", alias = "trusted-registries")]
    trusted_registries: Option<OneOrMany>,
    #[serde(rename = "label-schema")]
    label_schema: Option<BTreeMap<String, Spanned<String>>>,
    #[serde(rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<Spanned<String>>,
    #[serde(rename = "no-fail")]
    no_fail: Option<bool>,
}

/// serde-saphyr's message without its ` at line L, column C` (the line is reported apart).
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn yaml_problem(path: &Path, error: &serde_saphyr::Error) -> Problem {
    let line = error
        .location()
        .map(|location| location.line() as usize)
        .filter(|line| *line > 0);
    Problem::new(path, line, plain_message(error))
}

fn spanned_line<T>(value: &Spanned<T>) -> Option<usize> {
    let line = value.referenced.line() as usize;
    (line > 0).then_some(line)
}

/// hadolint's severity names.
fn severity_level(name: &str) -> Option<Level> {
    Some(match name {
        "error" => Level::On(Severity::Error),
        "warning" => Level::On(Severity::Warning),
        "info" => Level::On(Severity::Info),
        "style" => Level::On(Severity::Hint),
        _ => return None,
    })
}

fn failure_threshold(name: &str) -> Option<FailLevel> {
    Some(match name {
        "error" => FailLevel::Error,
        "warning" => FailLevel::Warning,
        "info" => FailLevel::Info,
        "style" => FailLevel::Hint,
        "ignore" | "none" => FailLevel::None,
        _ => return None,
    })
}

/// Reads hadolint's file.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Problem> {
    let mut warnings = Vec::new();
    // A first pass for the keys alone: which ones we do not honour.
    let keys: Option<HashMap<Spanned<String>, IgnoredAny>> =
        serde_saphyr::from_str(text).map_err(|error| yaml_problem(path, &error))?;
    let mut keys: Vec<Spanned<String>> = keys.into_iter().flatten().map(|(key, _)| key).collect();
    keys.sort_by_key(|key| key.referenced.line());
    for key in &keys {
        let name = key.value.as_str();
        if HONOURED.contains(&name) || WITHOUT_EFFECT.contains(&name) {
            continue;
        }
        let message = if name == "format" {
            "`format` is not read from the configuration; pass `--format` to `dockerfile-ls check`"
                .to_string()
        } else {
            format!("unsupported key `{name}` ignored")
        };
        warnings.push(Problem::new(path, spanned_line(key), message));
    }
    let document: Option<Document> =
        serde_saphyr::from_str(text).map_err(|error| yaml_problem(path, &error))?;
    let document = document.unwrap_or_default();
    let mut layer = Layer::default();
    let mut overrides: Vec<_> = document.overrides.into_iter().flatten().collect();
    overrides.sort_by_key(|(severity, _)| severity.referenced.line());
    for (severity, names) in overrides {
        let Some(level) = severity_level(&severity.value) else {
            warnings.push(Problem::new(
                path,
                spanned_line(&severity),
                format!(
                    "`override` takes error, warning, info and style; `{}` ignored",
                    severity.value
                ),
            ));
            continue;
        };
        for name in names.into_iter().flatten() {
            layer.levels.push((name, level));
        }
    }
    layer.ignore = document.ignored.unwrap_or_default();
    layer.trusted_registries = document
        .trusted_registries
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    for (label, kind) in document.label_schema.into_iter().flatten() {
        let parsed = LabelType::parse(&kind.value).ok_or_else(|| {
            Problem::new(
                path,
                spanned_line(&kind),
                format!(
                    "label `{label}`: `{}` is not a label type (text, url, email, hash, rfc3339, semver, spdx)",
                    kind.value
                ),
            )
        })?;
        layer.label_schema.insert(label, parsed);
    }
    layer.strict_labels = document.strict_labels;
    layer.disable_ignore_pragma = document.disable_ignore_pragma;
    if let Some(threshold) = &document.failure_threshold {
        let level = failure_threshold(&threshold.value).ok_or_else(|| {
            Problem::new(
                path,
                spanned_line(threshold),
                format!(
                    "failure-threshold `{}`: expected error, warning, info, style, ignore or none",
                    threshold.value
                ),
            )
        })?;
        layer.fail_level = Some(level);
    }
    if document.no_fail == Some(true) {
        layer.fail_level = Some(FailLevel::None);
    }
    for name in layer.rule_names() {
        if super::unknown_rule_name(name) {
            warnings.push(Problem::new(
                path,
                None,
                format!("no rule is named {name:?} (`dockerfile-ls rules` lists them)"),
            ));
        }
    }
    Ok(ConfigFile {
        path: path.to_path_buf(),
        format: Format::Hadolint,
        base: layer,
        overrides: Vec::new(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint;

    fn load(text: &str) -> Result<ConfigFile, Problem> {
        parse(Path::new("/repo/.hadolint.yaml"), text)
    }

    fn level(file: &ConfigFile, rule: &str) -> Level {
        let (settings, _, _) = file.settings_for(Path::new("/repo/Dockerfile"));
        settings.level(lint::find_rule(rule).unwrap())
    }

    #[test]
    fn reads_hadolints_keys() {
        let file = load(
            "ignored:\n  - DL3059\n  - DL3008\noverride:\n  error:\n    - DL4000\n  style:\n    - DL3007\ntrustedRegistries:\n  - docker.io\n  - \"*.gcr.io\"\nlabel-schema:\n  author: text\n  version: semver\nstrict-labels: true\ndisable-ignore-pragma: true\nfailure-threshold: style\nno-color: true\n",
        )
        .unwrap();
        assert!(file.warnings.is_empty(), "{:?}", file.warnings);
        assert_eq!(level(&file, "ConsecutiveRunInstructions"), Level::Off);
        assert_eq!(
            level(&file, "MaintainerDeprecated"),
            Level::On(Severity::Error)
        );
        assert_eq!(level(&file, "ImageTagLatest"), Level::On(Severity::Hint));
        let (settings, fail, _) = file.settings_for(Path::new("/repo/Dockerfile"));
        assert_eq!(settings.trusted_registries, vec!["docker.io", "*.gcr.io"]);
        assert_eq!(settings.label_schema["version"], LabelType::Semver);
        assert!(settings.strict_labels && settings.disable_ignore_pragma);
        assert_eq!(fail, Some(FailLevel::Hint));
    }

    #[test]
    fn one_registry_alone_and_the_old_spelling_are_read() {
        let file = load("trustedRegistries: my-company.com:5000\n").unwrap();
        let (settings, _, _) = file.settings_for(Path::new("/repo/Dockerfile"));
        assert_eq!(settings.trusted_registries, vec!["my-company.com:5000"]);
        let file = load("trusted-registries: [a.io]\nno-fail: true\n").unwrap();
        let (settings, fail, _) = file.settings_for(Path::new("/repo/Dockerfile"));
        assert_eq!(settings.trusted_registries, vec!["a.io"]);
        assert_eq!(fail, Some(FailLevel::None));
    }

    #[test]
    fn unsupported_keys_are_named_in_warnings() {
        let file =
            load("format: json\nignored: [DL3059]\nshell: bash\noverride:\n  fatal: [DL3000]\n")
                .unwrap();
        let messages: Vec<String> = file.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("/repo/.hadolint.yaml:1: `format`"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains(":3: unsupported key `shell`"),
            "{messages:?}"
        );
        assert!(messages[2].contains(":5: `override` takes"), "{messages:?}");
        assert_eq!(level(&file, "DL3059"), Level::Off);
    }

    #[test]
    fn empty_and_comment_only_files_are_no_configuration() {
        for text in ["", "# nothing yet\n", "---\n"] {
            let file = load(text).unwrap();
            assert_eq!(file.base, Layer::default(), "{text:?}");
        }
    }

    #[test]
    fn wrong_values_are_errors_with_their_line() {
        let cases = [
            ("ignored:\n  - DL3008\n  - [a]\n", 3),
            ("ignored: [\n", 1),
            ("\nfailure-threshold: loud\n", 2),
            ("label-schema:\n  version: number\n", 2),
            ("- just\n- a list\n", 1),
            ("strict-labels: maybe\n", 1),
        ];
        for (text, line) in cases {
            let problem = load(text).unwrap_err();
            assert_eq!(problem.line, Some(line), "{text:?}: {problem}");
            assert!(!problem.message.contains(" at line "), "{problem}");
        }
    }
}
