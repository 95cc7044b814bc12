//! The lint engine: a registry of rules, each a pure function from a parsed file to findings
//! with byte spans and fixes; severities from settings; suppressions from comments.

pub mod layers;
pub mod rules;
pub mod suppress;

use std::collections::HashMap;

use serde::Deserialize;

use crate::syntax::{Instruction, SourceFile};
use crate::text::Span;

/// Where each rule's documentation lives (the section anchor is the rule name in lower case).
pub const RULES_DOCUMENT_URL: &str =
    "https://github.com/dockerfile-ls/dockerfile-ls/blob/main/docs/rules.md";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "hint" => Some(Severity::Hint),
            "info" | "information" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A severity setting: a level, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
            return Some(Level::Off);
        }
        Severity::parse(text).map(Level::On)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// The code does nothing useful (shown faded).
    Unnecessary,
    /// The code uses something deprecated (shown struck through).
    Deprecated,
}

/// A text replacement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> Edit {
        Edit {
            span,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit::replace(at..at, new_text)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }
}

/// A fix for a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The one to offer first.
    pub preferred: bool,
    /// Applied by `check --fix` (it cannot change what the build does beyond the finding).
    pub safe: bool,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            preferred: false,
            safe: false,
        }
    }

    pub fn preferred(mut self) -> Fix {
        self.preferred = true;
        self
    }

    pub fn safe(mut self) -> Fix {
        self.safe = true;
        self
    }
}

/// A related place shown with a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub tags: Vec<Tag>,
    pub fixes: Vec<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            span,
            tags: Vec::new(),
            fixes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn tag(mut self, tag: Tag) -> Diagnostic {
        self.tags.push(tag);
        self
    }

    pub fn fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    /// Adds the fix `build` makes, if any, when the lint wants fixes ([`Context::fixes`]);
    /// otherwise `build` is not run.
    pub fn fix_with(self, context: &Context, build: impl FnOnce() -> Option<Fix>) -> Diagnostic {
        match context.fixes.then(build).flatten() {
            Some(fix) => self.fix(fix),
            None => self,
        }
    }

    /// Gives back spare capacity: findings live as long as their version, and a message built
    /// by `format!` or a vector grown by one push holds about twice what it uses.
    fn shrink_to_fit(&mut self) {
        self.message.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.related.shrink_to_fit();
        self.fixes.shrink_to_fit();
        for fix in &mut self.fixes {
            fix.title.shrink_to_fit();
            fix.edits.shrink_to_fit();
            for edit in &mut fix.edits {
                edit.new_text.shrink_to_fit();
            }
        }
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
}

/// What a rule looks at.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub settings: &'a Settings,
    /// The day support status is judged on (end of life, suggested releases).
    pub today: crate::knowledge::distros::Date,
    /// Whether findings carry their fixes. Without, the findings are the same but `fixes` is
    /// empty: showing findings does not pay for building edits (a merged RUN, a removed
    /// stage) that only a code action or `check --fix` applies.
    pub fixes: bool,
    /// The base of every stage, resolved in the catalog once for all the image rules.
    bases: std::sync::OnceLock<Vec<crate::knowledge::stage_bases::StageBase>>,
}

impl<'a> Context<'a> {
    pub fn new(
        source: &'a SourceFile,
        settings: &'a Settings,
        today: crate::knowledge::distros::Date,
    ) -> Context<'a> {
        Context {
            source,
            settings,
            today,
            fixes: true,
            bases: std::sync::OnceLock::new(),
        }
    }

    /// The base of every stage, in order, following `FROM <stage>`.
    pub fn stage_bases(&self) -> &[crate::knowledge::stage_bases::StageBase] {
        self.bases
            .get_or_init(|| crate::knowledge::stage_bases::stage_bases(self.source))
    }

    /// The images the stages' own `FROM`s name (not ones inherited through `FROM <stage>`):
    /// each word as written, the reference with variables expanded, and what the catalog knows.
    pub fn own_images(
        &self,
    ) -> impl Iterator<
        Item = (
            &'a crate::syntax::Word,
            &crate::knowledge::images::ImageReference,
            Option<&crate::knowledge::catalog::ImageInfo>,
        ),
    > {
        let stages: &'a [crate::syntax::Stage] = &self.source.stages.stages;
        stages
            .iter()
            .zip(self.stage_bases())
            .filter_map(|(stage, base)| {
                let word = stage.image.as_ref()?;
                if !base.via.is_empty() {
                    return None;
                }
                match &base.kind {
                    crate::knowledge::stage_bases::BaseKind::Image { reference, info } => {
                        Some((word, &**reference, info.as_deref()))
                    }
                    _ => None,
                }
            })
    }
}

impl Context<'_> {
    pub fn text(&self) -> &str {
        &self.source.text
    }

    pub fn instructions(&self) -> &[Instruction] {
        self.source.instructions()
    }
}

/// A rule: its name, documentation and check.
pub struct Rule {
    /// PascalCase; BuildKit's name when BuildKit has the check.
    pub name: &'static str,
    /// hadolint codes for the same check.
    pub aliases: &'static [&'static str],
    pub severity: Severity,
    /// One line for lists.
    pub summary: &'static str,
    /// Markdown: What it does / Why / Example / Use instead.
    pub documentation: &'static str,
    /// True for checks of what BuildKit's parser itself rejects.
    pub syntax: bool,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}

impl Rule {
    /// The link to this rule's documentation.
    pub fn url(&self) -> String {
        format!("{RULES_DOCUMENT_URL}#{}", self.name.to_ascii_lowercase())
    }

    /// True when `name` is this rule's name or one of its aliases (case-insensitive).
    pub fn answers_to(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name))
    }
}

/// Looks a rule up by name or alias.
pub fn find_rule(name: &str) -> Option<&'static Rule> {
    rules::ALL
        .iter()
        .copied()
        .find(|rule| rule.answers_to(name))
}

/// Lint settings: the effective configuration for one file (project file, `.hadolint.yaml`,
/// editor settings or CLI flags, merged by the caller). Rules read these and nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Per rule (by name or alias): a severity or off.
    pub levels: HashMap<String, Level>,
    /// Rules to skip (names or aliases).
    pub ignore: Vec<String>,
    /// Stages built on their own (`--target`), so not unused.
    pub target_stages: Vec<String>,
    /// Registries images may come from (hadolint's `trustedRegistries`); empty: any.
    pub trusted_registries: Vec<String>,
    /// Labels every image must carry, with the kind of value each takes (hadolint's
    /// `label-schema`).
    pub label_schema: std::collections::BTreeMap<String, LabelType>,
    /// Labels outside the schema are findings too (hadolint's `strict-labels`).
    pub strict_labels: bool,
    /// Experimental BuildKit checks to run (names, or `all`), as `# check=experimental=` does.
    pub experimental: Vec<String>,
    /// Suppression comments (`# hadolint ignore=`, `# dockerfile-ls ignore=`) are not
    /// honoured (hadolint's `disable-ignore-pragma`).
    pub disable_ignore_pragma: bool,
}

/// The kind of value a label of the schema takes (hadolint's label types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelType {
    /// Any text.
    Text,
    /// An absolute URL.
    Url,
    /// An e-mail address.
    Email,
    /// A git commit hash.
    Hash,
    /// An RFC 3339 date and time.
    Rfc3339,
    /// A semantic version.
    Semver,
    /// An SPDX license expression.
    Spdx,
}

impl LabelType {
    /// hadolint's spelling of the type in `label-schema`.
    pub fn parse(text: &str) -> Option<LabelType> {
        Some(match text {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "email" => LabelType::Email,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "semver" => LabelType::Semver,
            "spdx" => LabelType::Spdx,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Email => "email",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Semver => "semver",
            LabelType::Spdx => "spdx",
        }
    }
}

impl Settings {
    /// The level of `rule`: off when ignored, else the configured severity, else its default.
    pub fn level(&self, rule: &Rule) -> Level {
        if self.ignore.iter().any(|name| rule.answers_to(name)) {
            return Level::Off;
        }
        self.levels
            .iter()
            .find(|(name, _)| rule.answers_to(name))
            .map(|(_, level)| *level)
            .unwrap_or(Level::On(rule.severity))
    }
}

/// Runs every enabled rule, applies suppressions and settings, and sorts by position.
pub fn lint(source: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
    lint_on(source, settings, crate::knowledge::distros::Date::today())
}

/// `lint`, judging support status on `today`.
pub fn lint_on(
    source: &SourceFile,
    settings: &Settings,
    today: crate::knowledge::distros::Date,
) -> Vec<Diagnostic> {
    lint_with(source, settings, today, true)
}

/// `lint_on`, with the findings' fixes or without ([`Context::fixes`]).
pub fn lint_with(
    source: &SourceFile,
    settings: &Settings,
    today: crate::knowledge::distros::Date,
    fixes: bool,
) -> Vec<Diagnostic> {
    let mut context = Context::new(source, settings, today);
    context.fixes = fixes;
    let suppressions = suppress::Suppressions::collect(source, !settings.disable_ignore_pragma);
    let mut all = Vec::new();
    // One buffer for every rule's findings: it grows to the largest rule's output once.
    let mut found = Vec::new();
    for rule in rules::ALL.iter().copied() {
        let Level::On(severity) = settings.level(rule) else {
            continue;
        };
        (rule.check)(&context, &mut found);
        for mut diagnostic in found.drain(..) {
            if suppressions.suppresses(source, &diagnostic) {
                continue;
            }
            // A configured level replaces the rule's default; a rule that chose a level for
            // one finding (say an error where it is certain) keeps it unless configured.
            if settings.levels.keys().any(|name| rule.answers_to(name)) {
                diagnostic.severity = severity;
            }
            diagnostic.shrink_to_fit();
            all.push(diagnostic);
        }
    }
    // Unstable (no scratch buffer the size of the findings), and still one order: findings
    // of one rule on one span are told apart by their messages.
    all.sort_unstable_by(|a, b| {
        (a.span.start, a.span.end, a.rule.name, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.rule.name,
            &b.message,
        ))
    });
    all.shrink_to_fit();
    all
}

/// Applies non-overlapping edits to `text` (in any order). Overlapping edits after the first
/// are skipped; the count of applied edits is returned with the text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut output = String::with_capacity(text.len());
    let mut position = 0;
    let mut applied = 0;
    for edit in sorted {
        if edit.span.start < position
            || edit.span.end > text.len()
            || edit.span.start > edit.span.end
        {
            continue;
        }
        output.push_str(&text[position..edit.span.start]);
        output.push_str(&edit.new_text);
        position = edit.span.end;
        applied += 1;
    }
    output.push_str(&text[position..]);
    (output, applied)
}

/// The index of the instruction whose span holds `offset`.
pub fn instruction_at(source: &SourceFile, offset: usize) -> Option<usize> {
    let instructions = source.instructions();
    let index = instructions.partition_point(|instruction| instruction.span.start <= offset);
    let candidate = index.checked_sub(1)?;
    (offset <= instructions[candidate].span.end).then_some(candidate)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for rule tests: run one rule, apply a fix and check the result.
    use super::*;
    use crate::syntax::SourceFile;

    pub fn run(rule: &'static Rule, text: &str) -> Vec<Diagnostic> {
        run_with(rule, text, &Settings::default())
    }

    /// Support status is judged on the catalog's date, so tests do not age.
    pub fn run_with(rule: &'static Rule, text: &str, settings: &Settings) -> Vec<Diagnostic> {
        let source = SourceFile::parse(text);
        lint_on(&source, settings, crate::knowledge::distros::AS_OF)
            .into_iter()
            .filter(|diagnostic| diagnostic.rule == rule)
            .collect()
    }

    /// The text each finding underlines.
    pub fn underlined(rule: &'static Rule, text: &str) -> Vec<String> {
        run(rule, text)
            .iter()
            .map(|diagnostic| text[diagnostic.span.clone()].to_string())
            .collect()
    }

    /// Applies the fix titled `title` of the first finding and checks that the result parses
    /// without errors and that the rule no longer fires there.
    pub fn apply_fix(rule: &'static Rule, text: &str, title: &str) -> String {
        let found = run(rule, text);
        let diagnostic = found.first().expect("the rule should fire");
        let fix = diagnostic
            .fixes
            .iter()
            .find(|fix| fix.title.starts_with(title))
            .unwrap_or_else(|| panic!("no fix titled {title:?} in {:?}", diagnostic.fixes));
        let (fixed, applied) = apply_edits(text, &fix.edits);
        assert_eq!(applied, fix.edits.len(), "overlapping edits in {fix:?}");
        let reparsed = SourceFile::parse(&fixed);
        assert!(
            reparsed.file.errors.is_empty(),
            "fix broke the file:\n{fixed}"
        );
        assert!(
            run(rule, &fixed).len() < found.len(),
            "the rule still fires after the fix:\n{fixed}"
        );
        fixed
    }
}
