//! Configuration files: the project file (`dockerfile-ls.toml`), hadolint's `.hadolint.yaml`,
//! how they are found for a file, and how they, the editor's settings and the command line's
//! flags merge into the effective `lint::Settings` of that file.
//!
//! Precedence, lowest first: built-in defaults; the configuration file in force for the file
//! (its top-level keys, then each `[[overrides]]` entry whose globs match, in file order); then
//! the editor's settings (server) or the command line's flags (`check`). Every source is a
//! [`Layer`] and all merge the same way ([`Layer::apply`]).
//!
//! No LSP types here: the server and the CLI both call in.

pub mod command_line;
pub mod discovery;
pub mod explain;
pub mod hadolint;
pub mod project;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::lint::{self, LabelType, Level, Severity};

pub use discovery::Resolver;

/// The level at or above which a finding makes `check` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Hint,
    /// Never fail.
    None,
}

impl FailLevel {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailLevel::None => false,
            FailLevel::Error => severity >= Severity::Error,
            FailLevel::Warning => severity >= Severity::Warning,
            FailLevel::Info => severity >= Severity::Info,
            FailLevel::Hint => true,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FailLevel::Error => "error",
            FailLevel::Warning => "warning",
            FailLevel::Info => "info",
            FailLevel::Hint => "hint",
            FailLevel::None => "none",
        }
    }
}

/// A problem with a configuration file: fatal (the file is not used) or a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; `None` when the problem is with the file as a whole.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    /// `path:line: message`, the shape editors and terminals turn into links.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                formatter,
                "{}:{line}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(formatter, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
}

/// One source of settings, partial: what it does not say, it leaves to the layers below.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layer {
    /// Rule (name or alias) → level, in the order written.
    pub levels: Vec<(String, Level)>,
    pub ignore: Vec<String>,
    pub target_stages: Vec<String>,
    pub trusted_registries: Vec<String>,
    pub label_schema: BTreeMap<String, LabelType>,
    pub strict_labels: Option<bool>,
    pub experimental: Vec<String>,
    pub disable_ignore_pragma: Option<bool>,
    pub fail_level: Option<FailLevel>,
    /// The build context directory (absolute; resolved against the configuration file's
    /// directory when read from one).
    pub build_context: Option<PathBuf>,
}

impl Layer {
    /// Puts this layer on top of `settings` and `fail_level`. Levels replace the level of the
    /// same rule (by any of its names) and take it out of the ignore list, so a layer can turn
    /// back on what a lower one ignored; lists extend (without repeats); label types replace
    /// the same label's; set booleans and the fail level replace.
    pub fn apply(&self, settings: &mut lint::Settings, fail_level: &mut Option<FailLevel>) {
        for (name, level) in &self.levels {
            let same = |other: &String| same_rule(name, other);
            settings.ignore.retain(|ignored| !same(ignored));
            settings.levels.retain(|configured, _| !same(configured));
            settings.levels.insert(name.clone(), *level);
        }
        extend_unique(&mut settings.ignore, &self.ignore);
        extend_unique(&mut settings.target_stages, &self.target_stages);
        extend_unique(&mut settings.trusted_registries, &self.trusted_registries);
        extend_unique(&mut settings.experimental, &self.experimental);
        for (label, kind) in &self.label_schema {
            settings.label_schema.insert(label.clone(), *kind);
        }
        if let Some(strict) = self.strict_labels {
            settings.strict_labels = strict;
        }
        if let Some(disable) = self.disable_ignore_pragma {
            settings.disable_ignore_pragma = disable;
        }
        if let Some(level) = self.fail_level {
            *fail_level = Some(level);
        }
        if let Some(directory) = &self.build_context {
            settings.build_context = Some(directory.clone());
        }
    }

    /// The layer of settings made elsewhere (the editor's), with their levels, ignores and
    /// target stages.
    pub fn from_settings(settings: &lint::Settings) -> Layer {
        let mut levels: Vec<(String, Level)> = settings
            .levels
            .iter()
            .map(|(name, level)| (name.clone(), *level))
            .collect();
        // Deterministic: the map's order is not.
        levels.sort_by(|a, b| a.0.cmp(&b.0));
        Layer {
            levels,
            ignore: settings.ignore.clone(),
            target_stages: settings.target_stages.clone(),
            trusted_registries: settings.trusted_registries.clone(),
            label_schema: settings.label_schema.clone(),
            strict_labels: settings.strict_labels.then_some(true),
            experimental: settings.experimental.clone(),
            disable_ignore_pragma: settings.disable_ignore_pragma.then_some(true),
            fail_level: None,
            build_context: settings.build_context.clone(),
        }
    }

    /// Every rule name the layer mentions, as written.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.levels
            .iter()
            .map(|(name, _)| name.as_str())
            .chain(self.ignore.iter().map(String::as_str))
    }
}

/// True when two names mean the same rule: they are the same name, or one rule answers to both.
fn same_rule(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    lint::find_rule(a).is_some_and(|rule| rule.answers_to(b))
}

fn extend_unique(list: &mut Vec<String>, more: &[String]) {
    for item in more {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
}

/// True for names hadolint gives its rules and ShellCheck's (`DL3008`, `SC2086`): a
/// configuration written for hadolint names many we do not implement, which is no mistake.
pub fn is_hadolint_code(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() == 6
        && (bytes[..2].eq_ignore_ascii_case(b"DL") || bytes[..2].eq_ignore_ascii_case(b"SC"))
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// Whether a rule name in a configuration file deserves a warning: it names no rule, and is
/// not one of hadolint's codes (those we may simply not implement yet).
pub(crate) fn unknown_rule_name(name: &str) -> bool {
    lint::find_rule(name).is_none() && !is_hadolint_code(name)
}

/// Which kind of configuration file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `dockerfile-ls.toml` / `.dockerfile-ls.toml`.
    Project,
    /// `.hadolint.yaml` / `.hadolint.yml` (and hadolint's user-level files).
    Hadolint,
}

/// A `[[overrides]]` entry: settings for the files its globs match.
#[derive(Clone, Debug)]
pub struct Override {
    /// The globs as written (relative to the file's directory).
    pub files: Vec<String>,
    matcher: globset::GlobSet,
    pub layer: Layer,
}

impl Override {
    /// True when `relative` (a path below the configuration's directory, `/`-separated) is one
    /// the globs name.
    pub fn matches(&self, relative: &Path) -> bool {
        self.matcher.is_match(relative)
    }
}

/// A configuration file, read and checked.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub format: Format,
    /// The top-level keys.
    pub base: Layer,
    pub overrides: Vec<Override>,
    /// What was read but not understood or not honoured.
    pub warnings: Vec<Problem>,
}

impl ConfigFile {
    /// Reads `path` as the project file (`.toml`) or hadolint's (anything else: `.yaml`, `.yml`).
    pub fn load(path: &Path) -> Result<ConfigFile, Problem> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Problem::new(path, None, format!("cannot read: {error}")))?;
        ConfigFile::parse(path, &text)
    }

    /// `load` for text already in hand.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Problem> {
        let is_toml = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"));
        if is_toml {
            project::parse(path, text)
        } else {
            hadolint::parse(path, text)
        }
    }

    /// The directory the override globs are relative to.
    pub fn directory(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }

    /// The settings this file gives `file` (an absolute path): its top-level keys, then the
    /// overrides that match, in order. Also says which overrides matched (by index).
    pub fn settings_for(&self, file: &Path) -> (lint::Settings, Option<FailLevel>, Vec<usize>) {
        let mut settings = lint::Settings::default();
        let mut fail_level = None;
        self.base.apply(&mut settings, &mut fail_level);
        let mut matched = Vec::new();
        if let Ok(relative) = file.strip_prefix(self.directory()) {
            for (index, entry) in self.overrides.iter().enumerate() {
                if entry.matches(relative) {
                    entry.layer.apply(&mut settings, &mut fail_level);
                    matched.push(index);
                }
            }
        }
        (settings, fail_level, matched)
    }
}

/// Builds the matcher of an override's globs, relative to the configuration's directory:
/// `*` stays within one path component, `**` crosses any number, and a glob without a `/`
/// names a file at any depth (as in `.gitignore`: `Dockerfile.dev` matches `a/b/Dockerfile.dev`);
/// a glob ending in `/` names everything below that directory.
pub(crate) fn glob_set(
    path: &Path,
    globs: &[(String, Option<usize>)],
) -> Result<globset::GlobSet, Problem> {
    let mut builder = globset::GlobSetBuilder::new();
    for (glob, line) in globs {
        let mut pattern = glob.trim_start_matches("./").to_string();
        if pattern.is_empty() {
            return Err(Problem::new(path, *line, "an empty glob matches nothing"));
        }
        if pattern.ends_with('/') {
            pattern.push_str("**");
        }
        if !pattern.contains('/') {
            pattern = format!("**/{pattern}");
        }
        let compiled = globset::GlobBuilder::new(pattern.trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|error| {
                Problem::new(path, *line, format!("glob {glob:?}: {}", error.kind()))
            })?;
        builder.add(compiled);
    }
    builder
        .build()
        .map_err(|error| Problem::new(path, None, format!("globs: {error}")))
}

/// What the configuration says for one file.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// The file's settings from its configuration file (last good one when it is broken),
    /// before the editor's or the command line's layer.
    pub settings: lint::Settings,
    pub fail_level: Option<FailLevel>,
    /// The configuration file in force, if any.
    pub source: Option<Arc<ConfigFile>>,
    /// The overrides of `source` that matched (by index).
    pub overrides: Vec<usize>,
    /// The configuration file that should be in force is broken: what is wrong with it.
    pub error: Option<Problem>,
}

impl Resolution {
    /// The effective settings with `layer` (the editor's settings, the command line's flags)
    /// on top.
    pub fn with_layer(&self, layer: &Layer) -> (lint::Settings, Option<FailLevel>) {
        let mut settings = self.settings.clone();
        let mut fail_level = self.fail_level;
        layer.apply(&mut settings, &mut fail_level);
        (settings, fail_level)
    }

    /// The warnings of the file in force.
    pub fn warnings(&self) -> &[Problem] {
        self.source
            .as_ref()
            .map(|source| source.warnings.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str) -> &'static lint::Rule {
        lint::find_rule(name).unwrap()
    }

    #[test]
    fn a_higher_level_turns_back_on_what_a_lower_layer_ignored() {
        let mut settings = lint::Settings::default();
        let mut fail = None;
        let file = Layer {
            ignore: vec!["DL4000".into(), "UnusedStage".into()],
            levels: vec![("ConsecutiveRunInstructions".into(), Level::Off)],
            fail_level: Some(FailLevel::Error),
            ..Layer::default()
        };
        file.apply(&mut settings, &mut fail);
        assert_eq!(settings.level(rule("MaintainerDeprecated")), Level::Off);
        let editor = Layer {
            levels: vec![
                ("MaintainerDeprecated".into(), Level::On(Severity::Hint)),
                ("DL3059".into(), Level::On(Severity::Error)),
            ],
            ..Layer::default()
        };
        editor.apply(&mut settings, &mut fail);
        assert_eq!(
            settings.level(rule("MaintainerDeprecated")),
            Level::On(Severity::Hint)
        );
        assert_eq!(
            settings.level(rule("ConsecutiveRunInstructions")),
            Level::On(Severity::Error)
        );
        // One entry per rule: the alias replaced the name.
        assert_eq!(settings.levels.len(), 2, "{:?}", settings.levels);
        assert_eq!(settings.level(rule("UnusedStage")), Level::Off);
        assert_eq!(fail, Some(FailLevel::Error));
    }

    #[test]
    fn lists_extend_without_repeats_and_booleans_replace() {
        let mut settings = lint::Settings::default();
        let mut fail = None;
        for layer in [
            Layer {
                trusted_registries: vec!["docker.io".into()],
                strict_labels: Some(true),
                ..Layer::default()
            },
            Layer {
                trusted_registries: vec!["docker.io".into(), "ghcr.io".into()],
                strict_labels: Some(false),
                disable_ignore_pragma: Some(true),
                ..Layer::default()
            },
        ] {
            layer.apply(&mut settings, &mut fail);
        }
        assert_eq!(settings.trusted_registries, vec!["docker.io", "ghcr.io"]);
        assert!(!settings.strict_labels);
        assert!(settings.disable_ignore_pragma);
        assert_eq!(fail, None);
    }

    #[test]
    fn hadolint_codes_are_recognised() {
        for code in ["DL3008", "SC2086", "dl3008"] {
            assert!(is_hadolint_code(code), "{code}");
        }
        for name in ["DL30", "DL30081", "XX3008", "UnusedStage", "DL30a8", "€300"] {
            assert!(!is_hadolint_code(name), "{name}");
        }
        assert!(!unknown_rule_name("DL3008"));
        assert!(!unknown_rule_name("unusedstage"));
        assert!(unknown_rule_name("UnusedStages"));
    }

    #[test]
    fn problems_print_as_path_line_message() {
        let problem = Problem::new(Path::new("a/dockerfile-ls.toml"), Some(3), "bad");
        assert_eq!(problem.to_string(), "a/dockerfile-ls.toml:3: bad");
        let whole = Problem::new(Path::new("x.yaml"), None, "cannot read");
        assert_eq!(whole.to_string(), "x.yaml: cannot read");
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
    }
}
