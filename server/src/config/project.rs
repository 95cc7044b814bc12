//! The project file, `dockerfile-ls.toml` (or `.dockerfile-ls.toml`): our own keys, checked
//! strictly (an unknown key or a bad value is an error with its line), with a JSON schema in
//! `schemas/dockerfile-ls.schema.json` for editors.
//!
//! ```toml
//! fail-level = "warning"
//! ignore = ["DL3059"]
//! target-stages = ["test"]
//! trusted-registries = ["docker.io", "ghcr.io"]
//! strict-labels = false
//! experimental = []
//! disable-ignore-pragma = false
//! build-context = "."
//!
//! [rules]
//! ImageTagLatest = "error"
//!
//! [label-schema]
//! "org.opencontainers.image.version" = "semver"
//!
//! [[overrides]]
//! files = ["legacy/**"]
//! ignore = ["MaintainerDeprecated"]
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigFile, FailLevel, Format, Layer, Override, Problem, line_of};
use crate::lint::{LabelType, Level, Severity};

/// A level as the file spells it.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LevelName {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl LevelName {
    fn level(self) -> Level {
        match self {
            LevelName::Off => Level::Off,
            LevelName::Hint => Level::On(Severity::Hint),
            LevelName::Info => Level::On(Severity::Info),
            LevelName::Warning => Level::On(Severity::Warning),
            LevelName::Error => Level::On(Severity::Error),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FailLevelName {
    Error,
    Warning,
    Info,
    Hint,
    None,
}

impl FailLevelName {
    fn level(self) -> FailLevel {
        match self {
            FailLevelName::Error => FailLevel::Error,
            FailLevelName::Warning => FailLevel::Warning,
            FailLevelName::Info => FailLevel::Info,
            FailLevelName::Hint => FailLevel::Hint,
            FailLevelName::None => FailLevel::None,
        }
    }
}

/// hadolint's label types.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LabelTypeName {
    Text,
    Url,
    Email,
    Hash,
    Rfc3339,
    Semver,
    Spdx,
}

impl LabelTypeName {
    fn label_type(self) -> LabelType {
        match self {
            LabelTypeName::Text => LabelType::Text,
            LabelTypeName::Url => LabelType::Url,
            LabelTypeName::Email => LabelType::Email,
            LabelTypeName::Hash => LabelType::Hash,
            LabelTypeName::Rfc3339 => LabelType::Rfc3339,
            LabelTypeName::Semver => LabelType::Semver,
            LabelTypeName::Spdx => LabelType::Spdx,
        }
    }
}

/// The keys of the file's top level and of each `[[overrides]]` entry, declared once.
macro_rules! with_setting_keys {
    ($(#[$attribute:meta])* struct $name:ident { $($extra:tt)* }) => {
        $(#[$attribute])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        struct $name {
            $($extra)*
            /// Rule (name or hadolint code) → off, hint, info, warning or error.
            rules: Option<BTreeMap<Spanned<String>, LevelName>>,
            /// Rules to skip.
            ignore: Option<Vec<Spanned<String>>>,
            /// Stages built on their own (`docker build --target`), so not unused.
            target_stages: Option<Vec<String>>,
            /// Registries images may come from (hadolint's `trustedRegistries`).
            trusted_registries: Option<Vec<String>>,
            /// Labels every image must carry, with the type of value each takes.
            label_schema: Option<BTreeMap<String, LabelTypeName>>,
            /// Labels outside the schema are findings too.
            strict_labels: Option<bool>,
            /// Experimental BuildKit checks to run (names, or `all`).
            experimental: Option<Vec<String>>,
            /// `# hadolint ignore=` and `# dockerfile-ls ignore=` comments are not honoured.
            disable_ignore_pragma: Option<bool>,
            /// `check` fails when a finding at or above this level remains.
            fail_level: Option<FailLevelName>,
            /// The build context directory, relative to the file's directory.
            build_context: Option<Spanned<String>>,
        }

        impl $name {
            fn layer(&self, path: &Path, text: &str, warnings: &mut Vec<Problem>) -> Layer {
                let mut warn_unknown = |name: &Spanned<String>| {
                    if super::unknown_rule_name(name.get_ref()) {
                        warnings.push(Problem::new(
                            path,
                            Some(line_of(text, name.span().start)),
                            format!(
                                "no rule is named {:?} (`dockerfile-ls rules` lists them)",
                                name.get_ref()
                            ),
                        ));
                    }
                };
                let mut levels = Vec::new();
                for (name, level) in self.rules.iter().flatten() {
                    warn_unknown(name);
                    levels.push((name.get_ref().clone(), level.level()));
                }
                let mut ignore = Vec::new();
                for name in self.ignore.iter().flatten() {
                    warn_unknown(name);
                    ignore.push(name.get_ref().clone());
                }
                Layer {
                    levels,
                    ignore,
                    target_stages: self.target_stages.clone().unwrap_or_default(),
                    trusted_registries: self.trusted_registries.clone().unwrap_or_default(),
                    label_schema: self
                        .label_schema
                        .iter()
                        .flatten()
                        .map(|(label, kind)| (label.clone(), kind.label_type()))
                        .collect(),
                    strict_labels: self.strict_labels,
                    experimental: self.experimental.clone().unwrap_or_default(),
                    disable_ignore_pragma: self.disable_ignore_pragma,
                    fail_level: self.fail_level.map(FailLevelName::level),
                    build_context: self.build_context.as_ref().map(|directory| {
                        let base = path.parent().unwrap_or(Path::new("/"));
                        let joined = base.join(directory.get_ref());
                        std::path::PathBuf::from(crate::workspace::pattern::clean(
                            &joined.to_string_lossy(),
                        ))
                    }),
                }
            }
        }
    };
}

with_setting_keys! {
    /// The whole file.
    struct Document {
        /// Editors' schema association (taplo, Even Better TOML); not read.
        #[serde(rename = "$schema")]
        #[allow(dead_code)]
        schema: Option<String>,
        /// Settings for some paths only.
        overrides: Option<Vec<Spanned<OverrideEntry>>>,
    }
}

with_setting_keys! {
    /// One `[[overrides]]` entry.
    struct OverrideEntry {
        /// Globs relative to the file's directory.
        files: Vec<Spanned<String>>,
    }
}

/// Reads the project file's text.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Problem> {
    let document: Document = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| line_of(text, span.start));
        Problem::new(path, line, error.message().trim().to_string())
    })?;
    let mut warnings = Vec::new();
    let base = document.layer(path, text, &mut warnings);
    let mut overrides = Vec::new();
    for entry in document.overrides.iter().flatten() {
        let line = line_of(text, entry.span().start);
        let entry = entry.get_ref();
        if entry.files.is_empty() {
            return Err(Problem::new(
                path,
                Some(line),
                "an override needs `files`, a list of globs",
            ));
        }
        let globs: Vec<(String, Option<usize>)> = entry
            .files
            .iter()
            .map(|glob| {
                (
                    glob.get_ref().clone(),
                    Some(line_of(text, glob.span().start)),
                )
            })
            .collect();
        overrides.push(Override {
            files: globs.iter().map(|(glob, _)| glob.clone()).collect(),
            matcher: super::glob_set(path, &globs)?,
            layer: entry.layer(path, text, &mut warnings),
        });
    }
    Ok(ConfigFile {
        path: path.to_path_buf(),
        format: Format::Project,
        base,
        overrides,
        warnings,
    })
}

/// The keys the loader knows, as serde sees them: of the top level, and of an override entry.
/// (Read from the derived `Deserialize` itself, so the list cannot drift from the code; the
/// schema test compares it with the published JSON schema.)
pub fn known_keys() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        struct_fields::<Document>(),
        struct_fields::<OverrideEntry>(),
    )
}

/// The field names a derived `Deserialize` asks for: a deserializer that records them and
/// stops.
fn struct_fields<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    use serde::de::{self, Visitor};

    struct Recorder(Vec<&'static str>);

    impl<'de> de::Deserializer<'de> for &mut Recorder {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut recorder = Recorder(Vec::new());
    let _ = T::deserialize(&mut recorder);
    recorder.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint;

    fn load(text: &str) -> Result<ConfigFile, Problem> {
        parse(Path::new("/repo/dockerfile-ls.toml"), text)
    }

    #[test]
    fn reads_every_key() {
        let file = load(
            r#"
"$schema" = "https://example.invalid/schema.json"
fail-level = "info"
ignore = ["DL3059"]
target-stages = ["test"]
trusted-registries = ["docker.io"]
strict-labels = true
experimental = ["all"]
disable-ignore-pragma = true
build-context = "services/.."

[rules]
MaintainerDeprecated = "error"
DL3007 = "off"

[label-schema]
"org.opencontainers.image.version" = "semver"

[[overrides]]
files = ["legacy/**", "Dockerfile.dev"]
ignore = ["MaintainerDeprecated"]
fail-level = "none"
build-context = "legacy"
"#,
        )
        .unwrap();
        assert!(file.warnings.is_empty(), "{:?}", file.warnings);
        let (settings, fail, matched) = file.settings_for(Path::new("/repo/app/Dockerfile"));
        assert!(matched.is_empty());
        assert_eq!(fail, Some(FailLevel::Info));
        assert_eq!(settings.target_stages, vec!["test"]);
        assert_eq!(settings.trusted_registries, vec!["docker.io"]);
        assert!(settings.strict_labels && settings.disable_ignore_pragma);
        assert_eq!(settings.experimental, vec!["all"]);
        assert_eq!(settings.build_context.as_deref(), Some(Path::new("/repo")));
        assert_eq!(
            settings.label_schema["org.opencontainers.image.version"],
            LabelType::Semver
        );
        let maintainer = lint::find_rule("MaintainerDeprecated").unwrap();
        assert_eq!(settings.level(maintainer), Level::On(Severity::Error));
        let latest = lint::find_rule("ImageTagLatest").unwrap();
        assert_eq!(settings.level(latest), Level::Off);
        let consecutive = lint::find_rule("ConsecutiveRunInstructions").unwrap();
        assert_eq!(settings.level(consecutive), Level::Off);

        let (legacy, fail, matched) = file.settings_for(Path::new("/repo/legacy/a/Dockerfile"));
        assert_eq!(matched, vec![0]);
        assert_eq!(legacy.level(maintainer), Level::Off);
        assert_eq!(
            legacy.build_context.as_deref(),
            Some(Path::new("/repo/legacy"))
        );
        assert_eq!(fail, Some(FailLevel::None));
        let (deep, _, matched) = file.settings_for(Path::new("/repo/x/y/Dockerfile.dev"));
        assert_eq!(matched, vec![0]);
        assert_eq!(deep.level(maintainer), Level::Off);
    }

    #[test]
    fn globs_keep_stars_within_a_directory() {
        let file = load(
            "[[overrides]]\nfiles = [\"svc/*/Dockerfile\", \"docs/\"]\nfail-level = \"none\"\n",
        )
        .unwrap();
        let matched = |path: &str| !file.settings_for(Path::new(path)).2.is_empty();
        assert!(matched("/repo/svc/api/Dockerfile"));
        assert!(!matched("/repo/svc/api/v2/Dockerfile"));
        assert!(!matched("/repo/other/svc/api/Dockerfile"));
        assert!(matched("/repo/docs/examples/Dockerfile"));
        // Outside the file's directory nothing matches.
        assert!(!matched("/elsewhere/svc/api/Dockerfile"));
    }

    #[test]
    fn mistakes_are_errors_with_their_line() {
        let cases = [
            ("fail-level = \"loud\"\n", 1, "unknown variant"),
            ("ignore = []\ncolour = true\n", 2, "unknown field"),
            (
                "[rules]\nMaintainerDeprecated = \"errors\"\n",
                2,
                "unknown variant",
            ),
            (
                "[label-schema]\nversion = \"number\"\n",
                2,
                "unknown variant",
            ),
            ("ignore = [\n", 1, "array"),
            ("\n[[overrides]]\nfiles = []\n", 2, "needs `files`"),
            ("[[overrides]]\nfiles = [\"a/[b\"]\n", 2, "glob"),
            (
                "[[overrides]]\nfiles = [\"a\"]\noverrides = []\n",
                3,
                "unknown field",
            ),
        ];
        for (text, line, message) in cases {
            let problem = load(text).unwrap_err();
            assert_eq!(problem.line, Some(line), "{text:?}: {problem}");
            assert!(problem.message.contains(message), "{text:?}: {problem}");
        }
    }

    #[test]
    fn unknown_rule_names_are_warnings_and_hadolint_codes_are_not() {
        let file =
            load("ignore = [\"DL3008\", \"SC2086\"]\n[rules]\nUnusedStages = \"off\"\n").unwrap();
        assert_eq!(file.warnings.len(), 1, "{:?}", file.warnings);
        assert_eq!(file.warnings[0].line, Some(3));
        assert!(file.warnings[0].message.contains("UnusedStages"));
    }

    #[test]
    fn the_known_keys_come_from_the_loader() {
        let (top, entry) = known_keys();
        assert!(top.contains(&"fail-level") && top.contains(&"overrides"));
        assert!(entry.contains(&"files") && !entry.contains(&"overrides"));
        assert_eq!(top.len(), entry.len() + 1, "{top:?} / {entry:?}");
    }
}
