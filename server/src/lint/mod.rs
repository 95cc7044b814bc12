//! The lint engine: a registry of rules, each a pure function from a parsed file to findings
//! with byte spans and fixes; severities from settings; suppressions from comments.

pub mod buildkit;
pub mod fix;
pub mod labels;
pub mod layers;
pub mod package_index;
pub mod parsed;
pub mod rules;
pub mod run_commands;
pub mod suppress;

use std::collections::HashMap;

use serde::Deserialize;

use crate::knowledge::catalog::ImageInfo;
use crate::knowledge::images::ImageReference;
use crate::knowledge::stage_bases::{BaseKind, StageBase};
use crate::syntax::{Instruction, Keyword, KeywordCase, SourceFile, Stage, Word};
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
    /// It silences the finding (a `# check=skip=` comment) instead of repairing anything: an
    /// editor offers it, the fix engine never applies it, `--unsafe-fixes` included.
    pub suppresses: bool,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            preferred: false,
            safe: false,
            suppresses: false,
        }
    }

    /// A fix that silences its finding rather than repairing it (never safe, never preferred).
    pub fn suppression(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            suppresses: true,
            ..Fix::new(title, edits)
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
    /// The hadolint code of this finding when its rule has several and they mean different
    /// findings (MultipleInstructionsDisallowed: DL4003 for a second CMD, DL4004 for a second
    /// ENTRYPOINT), so that `# hadolint ignore=DL4003` or a configured `DL4003` touches only
    /// those. `None`: the finding answers to every alias of its rule; empty (set by
    /// [`Diagnostic::without_alias`]): to none of them.
    pub alias: Option<&'static str>,
    /// The instruction whose comments (`# check=skip=`, `# hadolint ignore=`) govern this
    /// finding when it is not the one its span is in. BuildKit reads the skip comment of the
    /// instruction that raised a check: a second `CMD` raises the finding that points at the
    /// first one.
    pub comments_from: Option<usize>,
}

/// The alias of a finding no hadolint code covers ([`Diagnostic::without_alias`]): no name
/// a user writes is empty, so it answers to none.
const NO_ALIAS: &str = "";

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
            alias: None,
            comments_from: None,
        }
    }

    /// Marks the finding as the one its rule reports under the hadolint code `code` (one of the
    /// rule's aliases).
    pub fn alias(mut self, code: &'static str) -> Diagnostic {
        debug_assert!(
            self.rule.aliases.contains(&code),
            "{code} is not an alias of {}",
            self.rule.name
        );
        self.alias = Some(code);
        self
    }

    /// Marks the finding as one none of its rule's hadolint codes covers (PackageCacheNotCleaned
    /// on npm, which hadolint does not check): only the rule's name configures or suppresses it,
    /// so `# hadolint ignore=DL3042` keeps meaning pip's finding alone.
    pub fn without_alias(mut self) -> Diagnostic {
        self.alias = Some(NO_ALIAS);
        self
    }

    /// The hadolint code this finding answers to, when it is one of its rule's codes.
    pub fn code(&self) -> Option<&'static str> {
        match self.alias {
            Some(NO_ALIAS) => None,
            Some(alias) => Some(alias),
            None => match self.rule.aliases {
                [only] => Some(only),
                _ => None,
            },
        }
    }

    /// Every hadolint code this finding answers to: its own, none, or all of its rule's.
    pub fn codes(&self) -> &'static [&'static str] {
        match self.alias {
            Some(NO_ALIAS) => &[],
            Some(_) => self
                .rule
                .aliases
                .iter()
                .position(|alias| Some(*alias) == self.alias)
                .map(|at| &self.rule.aliases[at..=at])
                .unwrap_or(&[]),
            None => self.rule.aliases,
        }
    }

    /// True when `name` names this finding: its rule's name, or its alias (any alias of the
    /// rule for a finding of no particular one), in any case.
    pub fn answers_to(&self, name: &str) -> bool {
        self.rule.name.eq_ignore_ascii_case(name)
            || match self.alias {
                Some(NO_ALIAS) => false,
                Some(alias) => alias.eq_ignore_ascii_case(name),
                None => self
                    .rule
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(name)),
            }
    }

    /// Says which instruction's comments govern the finding ([`Diagnostic::comments_from`]).
    pub fn comments_from(mut self, instruction: usize) -> Diagnostic {
        self.comments_from = Some(instruction);
        self
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
    /// The day support status is judged on (end of life, suggested releases). Rules read
    /// this, never the clock.
    pub today: crate::knowledge::distros::Date,
    /// Whether findings carry their fixes. Without, the findings are the same but `fixes` is
    /// empty: showing findings does not pay for building edits (a merged RUN, a removed
    /// stage) that only a code action or `check --fix` applies.
    pub fixes: bool,
    /// The base of every stage, resolved in the catalog once for all the image rules.
    bases: std::sync::OnceLock<Vec<StageBase>>,
    /// The RUN commands the shell rules read, found in one walk shared by them all.
    noted: std::sync::OnceLock<Vec<run_commands::RunCommand<'a>>>,
    /// The findings of the rules of build errors, made in one pass for all of them.
    build_errors: std::sync::OnceLock<Vec<Diagnostic>>,
    /// The stages BuildKit's checks look at ([`Context::checked_stages`]).
    checked: std::sync::OnceLock<Vec<bool>>,
    /// The stages a build runs ([`Context::built_stages`]).
    built: std::sync::OnceLock<Vec<bool>>,
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
            noted: std::sync::OnceLock::new(),
            build_errors: std::sync::OnceLock::new(),
            checked: std::sync::OnceLock::new(),
            built: std::sync::OnceLock::new(),
        }
    }

    /// The commands of every RUN script that run a program one of the shell rules looks at
    /// (`apt-get`, `wget`, `cd`, ...) or run through `sudo`, in document order: one walk over
    /// every command per lint, shared by those rules.
    pub fn noted_commands(&self) -> &[run_commands::RunCommand<'a>] {
        self.noted.get_or_init(|| run_commands::noted(self.source))
    }

    /// The stages BuildKit's checks that run as a stage is built look at (UndefinedVar,
    /// JSONArgsRecommended, ...): every stage, as `docker build --check` without `--target`
    /// does; when the settings name the stages that are built (`targetStages`), those, the
    /// last stage and every stage they need (all of them when a `--from=$VAR` could name
    /// any).
    pub fn checked_stages(&self) -> &[bool] {
        self.checked.get_or_init(|| {
            let count = self.source.stages.stages.len();
            if self.settings.target_stages.is_empty() {
                return vec![true; count];
            }
            layers::used_stages(self.source, self.settings).unwrap_or_else(|| vec![true; count])
        })
    }

    /// The stages a build runs: the last one (or those `targetStages` names) and every stage
    /// they need; all of them when a `--from=$VAR` could name any. BuildKit skips the others,
    /// so nothing in them can fail the build.
    pub fn built_stages(&self) -> &[bool] {
        self.built.get_or_init(|| {
            layers::used_stages(self.source, self.settings)
                .unwrap_or_else(|| vec![true; self.source.stages.stages.len()])
        })
    }

    /// Whether `diagnostic`, a finding of one of BuildKit's checks, fails the build under
    /// `# check=error=true`. BuildKit fails on the checks that ran: those it runs while
    /// parsing run on every stage, those it runs as it builds a stage
    /// ([`buildkit::RUN_AS_A_STAGE_IS_BUILT`]) not on the stages it skips. Where that is
    /// unsure the finding stays a warning: CopyIgnoredFile while the build context is only the
    /// guess of the Dockerfile's directory (the real build may send another `.dockerignore`).
    fn fails_build_with_error_true(&self, diagnostic: &Diagnostic) -> bool {
        let rule = diagnostic.rule;
        if rule.name == rules::copy_ignored_file::RULE.name
            && self.build().is_none_or(|build| {
                matches!(build.origin, crate::workspace::Origin::DockerfileDirectory)
            })
        {
            return false;
        }
        if !buildkit::RUN_AS_A_STAGE_IS_BUILT
            .iter()
            .any(|other| other.name == rule.name)
        {
            return true;
        }
        suppress::Suppressions::instruction_of(self.source, diagnostic)
            .and_then(|index| self.source.stages.stage_of(index))
            .is_none_or(|stage| self.built_stages()[stage.index])
    }

    /// The keyword of every instruction, one byte each ([`SourceFile::keywords`]): rules that
    /// look at a few kinds of instruction find them here and read only those.
    pub fn keywords(&self) -> &[Keyword] {
        self.source.keywords()
    }

    /// The case each instruction's keyword is written in.
    pub fn keyword_cases(&self) -> &[KeywordCase] {
        self.source.keyword_cases()
    }

    /// Whether each instruction runs over continuation lines.
    pub fn continued(&self) -> &[bool] {
        self.source.continued()
    }

    /// The instructions with one of `keywords`, with their indexes, in order.
    pub fn instructions_of<'b>(
        &'b self,
        keywords: &'b [Keyword],
    ) -> impl Iterator<Item = (usize, &'b Instruction)> + 'b {
        let instructions = self.source.instructions();
        self.keywords()
            .iter()
            .enumerate()
            .filter(move |(_, keyword)| keywords.contains(keyword))
            .map(move |(index, _)| (index, &instructions[index]))
    }

    /// The `FROM` instruction of every stage, in order.
    pub fn froms(&self) -> impl Iterator<Item = &Instruction> + '_ {
        let instructions = self.source.instructions();
        self.source
            .stages
            .stages
            .iter()
            .map(move |stage| &instructions[stage.from])
    }

    /// Whether instruction `index` is in a stage BuildKit's checks look at
    /// ([`Context::checked_stages`]); `false` before the first `FROM`.
    pub fn is_checked(&self, index: usize) -> bool {
        // Without targets every stage is checked: no stage to look up.
        if self.settings.target_stages.is_empty() {
            return index >= self.source.stages.preamble.end
                && index < self.source.instructions().len();
        }
        self.source
            .stages
            .stage_of(index)
            .is_some_and(|stage| self.checked_stages()[stage.index])
    }

    /// The base of every stage, in order, following `FROM <stage>` (a stage built on another
    /// gets the image that one is built on, with `via` naming the stages in between). For
    /// questions about the filesystem a stage starts from: its distribution, package
    /// managers, shell. Resolved in the catalog once per lint, shared by every rule; build
    /// arguments that compose or bake builds give (`FROM $BASE`) are applied.
    pub fn stage_bases(&self) -> &[StageBase] {
        self.bases.get_or_init(|| {
            let build = self.build();
            let arguments =
                |name: &str| build.and_then(|build| build.argument_value(name).map(str::to_string));
            let given = build.is_some_and(|build| build.builds.iter().any(|b| !b.args.is_empty()));
            crate::knowledge::stage_bases::stage_bases_in(
                self.source,
                given.then_some(&arguments as crate::knowledge::stage_bases::Arguments),
            )
        })
    }

    /// What the build sees outside the Dockerfile, when it is known ([`Settings::build`]):
    /// the context's files and `.dockerignore`, the compose and bake builds of this file and
    /// the build arguments they give. Rules read this, never the disk.
    pub fn build(&self) -> Option<&crate::workspace::BuildContext> {
        self.settings.build.as_deref()
    }

    /// The findings of every rule of what BuildKit rejects after its line parser (and of the
    /// two warnings beside them), made in one pass over the instructions the first time a rule
    /// asks ([`parsed::findings`]); each rule reports its own share.
    pub fn build_errors(&self) -> &[Diagnostic] {
        self.build_errors.get_or_init(|| parsed::findings(self))
    }

    /// Every image a stage's `FROM` names itself, in stage order: as written, as BuildKit
    /// reads it (variables expanded), and what the catalog knows. Stages built on another
    /// stage (`FROM builder`, or `FROM $BASE` naming one), `scratch` and references that do
    /// not resolve to an image are left out. For questions about what the user wrote: tags,
    /// digests, registries, support status. Rules use this rather than resolving `FROM`
    /// words themselves.
    pub fn written_images(&self) -> impl Iterator<Item = WrittenImage<'_>> {
        let stages = &self.source.stages.stages;
        stages
            .iter()
            .zip(self.stage_bases())
            .filter_map(|(stage, base)| {
                let word = stage.image.as_ref()?;
                if !base.via.is_empty() {
                    return None;
                }
                // A named context a compose or bake build passes stands in for the image.
                if self
                    .build()
                    .is_some_and(|build| build.is_named_context(&word.text))
                {
                    return None;
                }
                let BaseKind::Image { reference, info } = &base.kind else {
                    return None;
                };
                Some(WrittenImage {
                    stage,
                    word,
                    written: self.source.slice(&word.span),
                    reference,
                    info: info.as_deref(),
                    base,
                })
            })
    }
}

/// An image a stage's `FROM` names ([`Context::written_images`]).
#[derive(Clone, Copy, Debug)]
pub struct WrittenImage<'a> {
    /// The stage whose `FROM` names the image.
    pub stage: &'a Stage,
    /// The image word as BuildKit reads it (quotes removed, variables not expanded);
    /// `word.span` is where it is written: point findings there.
    pub word: &'a Word,
    /// The document text of the word, exactly as written. A fix may only rewrite it when
    /// it equals `word.text` and holds no `$`, quote or escape.
    pub written: &'a str,
    /// The reference with variables expanded, parsed as Docker parses it.
    pub reference: &'a ImageReference,
    /// What the catalog knows of the image, if anything.
    pub info: Option<&'a ImageInfo>,
    /// The stage's entry in [`Context::stage_bases`] (certainty, description).
    pub base: &'a StageBase,
}

impl WrittenImage<'_> {
    /// The word names variables (`FROM $BASE`, `alpine:${TAG}`): what it reads as depends on
    /// build arguments, so messages say what it reads as and fixes leave it alone.
    pub fn uses_variables(&self) -> bool {
        self.written.contains('$')
    }
}

impl Context<'_> {
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// A word of instruction `index` as BuildKit reads it: quotes and escapes removed,
    /// variables expanded in the instruction's scope. `None` when a variable's value cannot
    /// be known here (a build argument without a default). The scope, a walk of the stage,
    /// is only built for words that name variables.
    pub fn resolve_word(&self, index: usize, text: &str) -> Option<String> {
        let escape = self.source.file.escape;
        if !text.contains('$') {
            return crate::syntax::Scope::default().resolve(text, escape);
        }
        self.source
            .stages
            .scope_at(&self.source.file, index)
            .resolve(text, escape)
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
    /// False for rules users turn on when they want them (hadolint's version pinning, label
    /// schema): without a configured level such a rule is off.
    pub on_by_default: bool,
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
    /// The level without configuration: its severity, or off for a rule off by default.
    pub fn default_level(&self) -> Level {
        if self.on_by_default {
            Level::On(self.severity)
        } else {
            Level::Off
        }
    }

    /// The default for lists and docs: `warning`, or `off (hint)` for a rule off by default.
    pub fn default_label(&self) -> String {
        if self.on_by_default {
            self.severity.name().to_string()
        } else {
            format!("off ({})", self.severity.name())
        }
    }

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
    /// The build context the configuration names (`build-context`, absolute), if any; the
    /// workspace resolves it into [`Settings::build`].
    pub build_context: Option<std::path::PathBuf>,
    /// What the build sees outside the Dockerfile (its context's files, `.dockerignore`,
    /// the compose and bake builds of the file), filled in by the server or `check` for a
    /// file on disk. `None`: unknown, and the rules about it stay silent.
    pub build: Option<std::sync::Arc<crate::workspace::BuildContext>>,
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
        self.configured(|name| rule.answers_to(name))
            .unwrap_or(rule.default_level())
    }

    /// What the settings say for names `answers` accepts: off when one is ignored, else the
    /// level configured for one, else nothing.
    fn configured(&self, answers: impl Fn(&str) -> bool) -> Option<Level> {
        if self.ignore.iter().any(|name| answers(name)) {
            return Some(Level::Off);
        }
        self.levels
            .iter()
            .filter(|(name, _)| answers(name))
            // One answer whatever the map's order: `off` wins, then the highest level.
            .map(|(_, level)| *level)
            .min_by_key(|level| match level {
                Level::Off => None,
                Level::On(severity) => Some(std::cmp::Reverse(*severity)),
            })
    }

    /// Whether `rule` runs at all: not when it is off by name, nor when every alias of a rule
    /// with several is off (each finding is then judged by [`Settings::level_of`]); a rule off
    /// by default runs when its name or one of its codes is given a level.
    pub fn runs(&self, rule: &Rule) -> bool {
        let named = |name: &str| rule.name.eq_ignore_ascii_case(name);
        match self.configured(named) {
            Some(Level::Off) => return false,
            Some(Level::On(_)) => return true,
            None => {}
        }
        if rule.aliases.len() <= 1 {
            return self.level(rule) != Level::Off;
        }
        rule.aliases.iter().any(|alias| {
            match self.configured(|name| name.eq_ignore_ascii_case(alias)) {
                Some(level) => level != Level::Off,
                None => rule.on_by_default,
            }
        })
    }

    /// The configured level of one finding, if any: its own alias's first, then its rule's.
    pub fn level_of(&self, diagnostic: &Diagnostic) -> Option<Level> {
        if let Some(alias) = diagnostic.alias
            && alias != NO_ALIAS
            && let Some(level) = self.configured(|name| name.eq_ignore_ascii_case(alias))
        {
            return Some(level);
        }
        self.configured(|name| diagnostic.answers_to(name))
    }
}

/// Runs every enabled rule, applies suppressions and settings, and sorts by position.
/// Support status (end of life, suggested releases) is judged on `today`: the caller reads
/// the clock (the CLI once per run, the server once per version), so rules stay pure and
/// tests pass [`AS_OF`](crate::knowledge::distros::AS_OF) and do not age.
pub fn lint(
    source: &SourceFile,
    settings: &Settings,
    today: crate::knowledge::distros::Date,
) -> Vec<Diagnostic> {
    lint_with(source, settings, today, true)
}

/// [`lint`], with the findings' fixes or without ([`Context::fixes`]).
pub fn lint_with(
    source: &SourceFile,
    settings: &Settings,
    today: crate::knowledge::distros::Date,
    fixes: bool,
) -> Vec<Diagnostic> {
    let mut context = Context::new(source, settings, today);
    context.fixes = fixes;
    let suppressions = suppress::Suppressions::collect(source, settings);
    let mut all = Vec::new();
    // One buffer for every rule's findings: it grows to the largest rule's output once.
    let mut found = Vec::new();
    for rule in rules::ALL.iter().copied() {
        if !settings.runs(rule) {
            continue;
        }
        let kind = suppress::Kind::of(rule);
        if kind == suppress::Kind::Experimental && !suppressions.may_enable(rule) {
            continue;
        }
        (rule.check)(&context, &mut found);
        for mut diagnostic in found.drain(..) {
            if suppressions.suppresses(source, &diagnostic, kind) {
                continue;
            }
            // A configured level replaces the rule's default; a rule that chose a level for
            // one finding (say an error where it is certain) keeps it unless configured.
            match settings.level_of(&diagnostic) {
                Some(Level::Off) => continue,
                Some(Level::On(severity)) => diagnostic.severity = severity,
                // A rule off by default runs for the codes configured on: not the others.
                None if !rule.on_by_default => continue,
                None => {}
            }
            if kind != suppress::Kind::Other {
                // `# check=error=true`: the build fails on BuildKit's checks that ran.
                if suppressions.errors() && context.fails_build_with_error_true(&diagnostic) {
                    diagnostic.severity = Severity::Error;
                }
                // Experimental checks ignore `skip`: a skip comment would not silence them.
                if fixes
                    && kind == suppress::Kind::Check
                    && let Some(index) = suppress::Suppressions::instruction_of(source, &diagnostic)
                    && let Some(skip) = buildkit::skip_here(source, index, rule.name)
                {
                    diagnostic.fixes.push(skip);
                }
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
        lint(&source, settings, crate::knowledge::distros::AS_OF)
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

    /// Every shell word of every RUN script of `text`, as the shell reads it.
    pub fn shell_words(text: &str) -> Vec<String> {
        let source = SourceFile::parse(text);
        crate::lint::run_commands::all(&source)
            .flat_map(|run| run.command.words.iter().map(|word| word.text.to_string()))
            .collect()
    }

    /// [`apply_fix`], and checks that every shell word of the RUNs is still there (as many
    /// times as before): the fix added to the scripts or rewrote `except`, nothing else.
    pub fn apply_fix_keeping_words(
        rule: &'static Rule,
        text: &str,
        title: &str,
        except: &[&str],
    ) -> String {
        let fixed = apply_fix(rule, text, title);
        let mut after = shell_words(&fixed);
        for word in shell_words(text) {
            if except.contains(&word.as_str()) {
                continue;
            }
            let Some(at) = after.iter().position(|kept| *kept == word) else {
                panic!("the fix lost the word {word:?}:\n{fixed}");
            };
            after.remove(at);
        }
        fixed
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::distros::AS_OF;

    #[test]
    fn written_images_are_the_images_froms_name_themselves() {
        let text = "ARG BASE=alpine:3.20\nFROM $BASE AS build\nFROM build\nFROM scratch\nFROM $MISSING\nFROM node:20 AS web\n";
        let source = SourceFile::parse(text);
        let settings = Settings::default();
        let context = Context::new(&source, &settings, AS_OF);
        let images: Vec<(usize, &str, String, bool, bool)> = context
            .written_images()
            .map(|image| {
                (
                    image.stage.index,
                    image.written,
                    image.reference.familiar(),
                    image.uses_variables(),
                    image.info.is_some(),
                )
            })
            .collect();
        assert_eq!(
            images,
            vec![
                (0, "$BASE", "alpine:3.20".to_string(), true, true),
                (4, "node:20", "node:20".to_string(), false, true),
            ]
        );
        // The stage built on `build` still has a base: alpine, through stage 0.
        assert_eq!(context.stage_bases()[1].via, vec![0]);
    }

    static TWO_CODES: Rule = Rule {
        name: "TwoCodes",
        aliases: &["DL9001", "DL9002"],
        severity: Severity::Warning,
        summary: "",
        documentation: "",
        syntax: false,
        on_by_default: true,
        check: |_, _| {},
    };

    static OPT_IN: Rule = Rule {
        name: "OptIn",
        aliases: &["DL9003"],
        severity: Severity::Info,
        summary: "",
        documentation: "",
        syntax: false,
        on_by_default: false,
        check: |_, _| {},
    };

    #[test]
    fn a_rule_off_by_default_runs_once_configured() {
        let finding = Diagnostic::new(&OPT_IN, 0..1, "x");
        let settings = Settings::default();
        assert!(!settings.runs(&OPT_IN));
        assert_eq!(settings.level(&OPT_IN), Level::Off);
        let mut settings = Settings::default();
        settings
            .levels
            .insert("DL9003".into(), Level::On(Severity::Warning));
        assert!(settings.runs(&OPT_IN));
        assert_eq!(
            settings.level_of(&finding),
            Some(Level::On(Severity::Warning))
        );
    }

    /// A rule whose findings fall under different hadolint codes: each code configures and
    /// suppresses its own findings; the rule's name covers them all.
    #[test]
    fn findings_answer_to_their_own_alias() {
        let first = Diagnostic::new(&TWO_CODES, 0..1, "x").alias("DL9001");
        let second = Diagnostic::new(&TWO_CODES, 0..1, "y").alias("DL9002");
        let either = Diagnostic::new(&TWO_CODES, 0..1, "z");
        assert!(first.answers_to("dl9001") && !first.answers_to("DL9002"));
        assert!(first.answers_to("TwoCodes") && second.answers_to("twocodes"));
        assert!(either.answers_to("DL9001") && either.answers_to("DL9002"));
        let settings = Settings {
            ignore: vec!["DL9001".into()],
            ..Settings::default()
        };
        assert!(settings.runs(&TWO_CODES));
        assert_eq!(settings.level_of(&first), Some(Level::Off));
        assert_eq!(settings.level_of(&second), None);
        // Both codes off: the rule need not run; the name off: neither.
        let settings = Settings {
            ignore: vec!["DL9001".into(), "DL9002".into()],
            ..Settings::default()
        };
        assert!(!settings.runs(&TWO_CODES));
        let mut settings = Settings::default();
        settings.levels.insert("TwoCodes".into(), Level::Off);
        assert!(!settings.runs(&TWO_CODES));
        // An alias's own level beats the rule's.
        let mut settings = Settings::default();
        settings
            .levels
            .insert("TwoCodes".into(), Level::On(Severity::Error));
        settings
            .levels
            .insert("DL9002".into(), Level::On(Severity::Hint));
        assert_eq!(settings.level_of(&first), Some(Level::On(Severity::Error)));
        assert_eq!(settings.level_of(&second), Some(Level::On(Severity::Hint)));
        // Configured twice under names that both match: one answer, whatever the map order.
        let mut settings = Settings::default();
        settings
            .levels
            .insert("DL9001".into(), Level::On(Severity::Hint));
        settings.levels.insert("dl9001".into(), Level::Off);
        assert_eq!(settings.level_of(&first), Some(Level::Off));
        // Suppression comments by code.
        let source = SourceFile::parse("FROM a\n# hadolint ignore=DL9002\nRUN x\n");
        let suppressions = suppress::Suppressions::collect(&source, &Settings::default());
        let at = source.text.find("RUN").unwrap();
        let on_run = |diagnostic: Diagnostic| Diagnostic {
            span: at..at + 3,
            ..diagnostic
        };
        assert!(!suppressions.suppresses(&source, &on_run(first.clone()), suppress::Kind::Other));
        assert!(suppressions.suppresses(&source, &on_run(second.clone()), suppress::Kind::Other));
        assert!(suppressions.suppresses(&source, &on_run(either.clone()), suppress::Kind::Other));
        // A finding no code covers answers to the rule's name only.
        let neither = Diagnostic::new(&TWO_CODES, 0..1, "n").without_alias();
        assert!(!neither.answers_to("DL9001") && !neither.answers_to(""));
        assert!(neither.answers_to("TwoCodes"));
        assert!(!suppressions.suppresses(&source, &on_run(neither.clone()), suppress::Kind::Other));
        assert_eq!(
            (first.code(), either.code(), neither.code()),
            (Some("DL9001"), None, None)
        );
        let settings = Settings {
            ignore: vec!["DL9001".into(), "DL9002".into()],
            ..Settings::default()
        };
        assert_eq!(settings.level_of(&neither), None);
    }

    /// Rules and analysis judge support status on the day they are handed, so their results
    /// depend on their input only; the CLI and the server read the clock.
    #[test]
    fn no_rule_or_analysis_reads_the_clock() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut pending = vec![
            root.join("lint"),
            root.join("analysis"),
            root.join("syntax"),
        ];
        let mut read = 0;
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                pending.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|entry| entry.unwrap().path()),
                );
                continue;
            }
            if path.extension().is_some_and(|extension| extension == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Spelt in two pieces, so this file does not match itself.
                let clocks = [concat!("Date::", "today("), concat!("SystemTime::", "now(")];
                assert!(
                    !clocks.iter().any(|clock| text.contains(clock)),
                    "{} reads the clock: take the day from the caller (Context::today)",
                    path.display()
                );
                read += 1;
            }
        }
        assert!(read > 20, "only {read} files found");
    }
}
