//! The command line: `check`, `rules`, `rule`, `parse`; serving LSP is the default.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::analysis::actions;
use crate::analysis::format::FormatOptions;
use crate::analysis::hover::rule_markdown;
use crate::config;
use crate::lint::{self, Level};
use crate::syntax::SourceFile;
use crate::text::{PositionEncoding, Text};

#[derive(Parser, Debug)]
#[command(
    name = "dockerfile-ls",
    version,
    about = "A language server and linter for Dockerfiles"
)]
pub struct Cli {
    /// Accepted for compatibility with editors that pass it; the server always uses stdio.
    #[arg(long, global = true, hide = true)]
    stdio: bool,
    /// Write logs to this file instead of stderr (level from DOCKERFILE_LS_LOG, e.g. `debug`).
    #[arg(long, global = true)]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the Language Server Protocol on stdin/stdout (the default).
    Serve,
    /// Lint Dockerfiles; directories are searched for Dockerfile, Containerfile, *.Dockerfile,
    /// *.dockerfile and Dockerfile.*; `-` reads standard input.
    Check(CheckArgs),
    /// List the rules.
    Rules {
        /// Print the Markdown rule reference (docs/rules.md).
        #[arg(long)]
        markdown: bool,
        /// Show the configuration in force for this file and which rules it turns on.
        #[arg(long, value_name = "PATH", conflicts_with = "markdown")]
        explain_config: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Show a rule's documentation (by name or hadolint code).
    Rule { name: String },
    /// Format Dockerfiles in place (directories are searched as for `check`); `-` formats
    /// standard input to standard output.
    Format(FormatArgs),
    /// Print what BuildKit's parser sees, as JSON.
    Parse {
        /// JSON output (the only format).
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories (default: the current directory).
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit with 1 when a finding at or above this level remains [default: the configuration's
    /// fail-level, else warning].
    #[arg(long, value_enum)]
    fail_level: Option<FailLevel>,
    /// Apply the safe fixes to the files.
    #[arg(long)]
    fix: bool,
    /// Show the safe fixes as a unified diff instead of writing them.
    #[arg(long)]
    diff: bool,
    /// Skip a rule (name or hadolint code); may be repeated.
    #[arg(long = "ignore", value_name = "RULE")]
    ignore: Vec<String>,
    /// Set a rule's level: `RULE=off|hint|info|warning|error`; may be repeated.
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    rules: Vec<String>,
    /// A stage that is built on its own (`--target`), so it is not unused.
    #[arg(long = "target-stage", value_name = "NAME")]
    target_stages: Vec<String>,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Which configuration file applies.
#[derive(clap::Args, Debug)]
pub struct ConfigArgs {
    /// Use this configuration file (dockerfile-ls.toml format, or hadolint's for .yaml/.yml)
    /// for every file instead of looking for one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Read no configuration file at all (dockerfile-ls.toml, .hadolint.yaml, hadolint's
    /// user-level files): defaults and the command line's flags only.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
}

#[derive(clap::Args, Debug)]
pub struct FormatArgs {
    /// Files or directories (default: the current directory).
    paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit with 1 if there are any.
    #[arg(long)]
    check: bool,
    /// Columns per indentation level of continuation lines.
    #[arg(long, default_value_t = 4, value_name = "COLUMNS")]
    tab_size: u32,
    /// Indent continuation lines with tabs instead of spaces.
    #[arg(long)]
    tabs: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF consumers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
}

impl Format {
    /// The report module's name for the formats it writes.
    fn report(self) -> Option<crate::report::Format> {
        match self {
            Format::Text | Format::Json => None,
            Format::Sarif => Some(crate::report::Format::Sarif),
            Format::Github => Some(crate::report::Format::Github),
            Format::Gitlab => Some(crate::report::Format::Gitlab),
            Format::Checkstyle => Some(crate::report::Format::Checkstyle),
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Info,
    Hint,
    None,
}

impl From<FailLevel> for config::FailLevel {
    fn from(level: FailLevel) -> config::FailLevel {
        match level {
            FailLevel::Error => config::FailLevel::Error,
            FailLevel::Warning => config::FailLevel::Warning,
            FailLevel::Info => config::FailLevel::Info,
            FailLevel::Hint => config::FailLevel::Hint,
            FailLevel::None => config::FailLevel::None,
        }
    }
}

/// Runs a subcommand other than `serve`; the exit code follows the README (0, 1, 2).
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Serve => unreachable_serve(),
        Command::Check(args) => check(args),
        Command::Rules {
            explain_config: Some(path),
            config,
            ..
        } => explain_config(&path, &config),
        Command::Rules { markdown, .. } => rules(markdown).map(|_| ExitCode::SUCCESS),
        Command::Rule { name } => rule(&name),
        Command::Format(args) => format_files(args),
        Command::Parse { json: _, file } => parse(&file).map(|_| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The formatted text of `text`, or why it is left alone.
fn formatted(text: &str, options: &FormatOptions) -> std::result::Result<String, String> {
    let source = SourceFile::new(text.to_string(), None);
    let edits = crate::analysis::format::format(&source, options);
    if edits.is_empty() {
        return Ok(text.to_string());
    }
    let (output, _) = lint::apply_edits(text, &edits);
    // The formatter promises not to change what BuildKit sees; checked here before writing.
    if !crate::analysis::format::same_meaning(&source.file, &crate::syntax::lower::lower(&output)) {
        return Err(
            "formatting would change what BuildKit sees; left as it is (a bug: please report it)"
                .into(),
        );
    }
    Ok(output)
}

/// `dockerfile-ls format [--check] PATHS`: exit 0 when done (or nothing would change), 1 with
/// `--check` when a file would change, 2 when a file could not be read, written or formatted.
fn format_files(args: FormatArgs) -> Result<ExitCode> {
    let options = FormatOptions {
        tab_size: args.tab_size,
        insert_spaces: !args.tabs,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut stdout = std::io::stdout().lock();
    let mut failed = false;
    let (mut changed, mut unchanged) = (0, 0);
    let complain = |message: String| {
        let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {message}");
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input (is it UTF-8?)")?;
            match formatted(&text, &options) {
                Ok(output) if args.check => {
                    if output != text {
                        writeln!(stdout, "would reformat -")?;
                        changed += 1;
                    }
                }
                Ok(output) => stdout.write_all(output.as_bytes())?,
                Err(message) => {
                    complain(format!("-: {message}"));
                    failed = true;
                }
            }
            continue;
        }
        let mut found = Vec::new();
        if let Err(error) = collect(path, &mut found) {
            complain(format!("{error:#}"));
            failed = true;
            continue;
        }
        for file in found {
            let label = file.display().to_string();
            // Formatting rewrites the file: one that is not UTF-8 would lose its bad bytes.
            let text = match std::fs::read(&file).map(String::from_utf8) {
                Ok(Ok(text)) => text,
                Ok(Err(_)) => {
                    complain(format!("{label}: not valid UTF-8; not formatted"));
                    failed = true;
                    continue;
                }
                Err(error) => {
                    complain(format!("cannot read {label}: {error}"));
                    failed = true;
                    continue;
                }
            };
            let output = match formatted(&text, &options) {
                Ok(output) => output,
                Err(message) => {
                    complain(format!("{label}: {message}"));
                    failed = true;
                    continue;
                }
            };
            if output == text {
                unchanged += 1;
                continue;
            }
            changed += 1;
            if args.check {
                writeln!(stdout, "would reformat {label}")?;
            } else if let Err(error) = std::fs::write(&file, &output) {
                complain(format!("cannot write {label}: {error}"));
                failed = true;
            }
        }
    }
    stdout.flush()?;
    // Standard input alone is a filter: its output says it all.
    if paths.iter().any(|path| path.as_os_str() != "-") {
        let verb = if args.check {
            "would be formatted"
        } else {
            "formatted"
        };
        let _ = writeln!(
            std::io::stderr().lock(),
            "{changed} file{} {verb}, {unchanged} unchanged",
            if changed == 1 { "" } else { "s" }
        );
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if args.check && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn unreachable_serve() -> Result<ExitCode> {
    anyhow::bail!("serve is handled by main")
}

/// Reads a file as UTF-8, replacing invalid bytes (the file is still checked).
fn read_lossy(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}

/// True for the file names `check` looks for in directories.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

fn collect(path: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let metadata = std::fs::metadata(path)
        .with_context(|| format!("{}: no such file or directory", path.display()))?;
    if metadata.is_file() {
        found.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read directory {}", path.display()))?
        .filter_map(|entry| entry.ok())
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            collect(&entry.path(), found)?;
        } else if kind.is_file() && is_dockerfile_name(&name) {
            found.push(entry.path());
        }
    }
    Ok(())
}

fn settings_from(args: &CheckArgs) -> Result<lint::Settings> {
    let mut settings = lint::Settings {
        ignore: args.ignore.clone(),
        target_stages: args.target_stages.clone(),
        ..lint::Settings::default()
    };
    for entry in &args.rules {
        let (name, level) = entry
            .split_once('=')
            .with_context(|| format!("--rule {entry}: expected RULE=LEVEL"))?;
        lint::find_rule(name).with_context(|| format!("--rule {entry}: unknown rule {name}"))?;
        let level = Level::parse(level).with_context(|| {
            format!("--rule {entry}: level must be off, hint, info, warning or error")
        })?;
        settings.levels.insert(name.to_string(), level);
    }
    for name in &settings.ignore {
        lint::find_rule(name).with_context(|| format!("--ignore {name}: unknown rule"))?;
    }
    Ok(settings)
}

/// A file to check: where it came from and its text.
struct Input {
    path: Option<PathBuf>,
    label: String,
    text: String,
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let flags = settings_from(&args)?;
    let Some(mut configuration) = configuration(&args.config, &flags) else {
        return Ok(ExitCode::from(2));
    };
    let mut inputs = Vec::new();
    let mut failed_io = false;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            inputs.push(Input {
                path: None,
                label: "-".into(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
            continue;
        }
        let mut found = Vec::new();
        if let Err(error) = collect(path, &mut found) {
            let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {error:#}");
            failed_io = true;
            continue;
        }
        for file in found {
            match read_lossy(&file) {
                Ok(text) => inputs.push(Input {
                    label: file.display().to_string(),
                    path: Some(file),
                    text,
                }),
                Err(error) => {
                    let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {error:#}");
                    failed_io = true;
                }
            }
        }
    }
    let Some(effective) = resolve_each(&mut configuration, &inputs) else {
        return Ok(ExitCode::from(2));
    };
    let mut stdout = std::io::stdout().lock();
    let mut failing = false;
    let mut files_json = Vec::new();
    let mut reported = Vec::new();
    for (input, effective) in inputs.into_iter().zip(effective) {
        let settings = &effective.settings;
        let fail_level = args
            .fail_level
            .map(config::FailLevel::from)
            .or(effective.fail_level)
            .unwrap_or(config::FailLevel::Warning);
        let mut text = input.text.clone();
        if args.fix || args.diff {
            match fix_text(&input.text, settings) {
                FixOutcome::Unchanged => {}
                FixOutcome::Fixed(fixed) => {
                    if args.diff {
                        write_diff(&mut stdout, &input.label, &input.text, &fixed)?;
                    } else if let Some(path) = &input.path {
                        std::fs::write(path, &fixed)
                            .with_context(|| format!("cannot write {}", path.display()))?;
                        text = fixed;
                    } else {
                        // Fixing standard input prints the fixed file.
                        stdout.write_all(fixed.as_bytes())?;
                        text = fixed;
                    }
                }
                FixOutcome::Broken(message) => {
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "dockerfile-ls: {}: not fixed: {message}",
                        input.label
                    );
                }
            }
        }
        let source = SourceFile::new(text.clone(), None);
        // Only the JSON and SARIF reports list fixes.
        let fixes = matches!(args.format, Format::Json | Format::Sarif);
        let today = crate::knowledge::distros::Date::today();
        let diagnostics = lint::lint_with(&source, settings, today, fixes);
        failing |= diagnostics
            .iter()
            .any(|diagnostic| fail_level.fails(diagnostic.severity));
        let lines = Text::new(&text);
        match args.format {
            Format::Text if !(args.diff || (args.fix && input.path.is_none())) => {
                write_text(&mut stdout, &input.label, &text, &lines, &diagnostics)?
            }
            Format::Text => {}
            Format::Json => files_json.push(file_json(&input.label, &lines, &diagnostics)),
            Format::Sarif | Format::Github | Format::Gitlab | Format::Checkstyle => {
                reported.push(crate::report::FileReport {
                    path: input.label.clone(),
                    text,
                    diagnostics,
                })
            }
        }
    }
    if let Format::Json = args.format {
        let report = json!({"version": 1, "files": files_json});
        writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?;
    }
    if let Some(format) = args.format.report() {
        crate::report::write(format, &mut stdout, &reported)?;
    }
    stdout.flush()?;
    Ok(if failed_io {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

enum FixOutcome {
    Unchanged,
    Fixed(String),
    Broken(String),
}

/// Applies safe fixes until none is left (at most ten rounds); refuses a result that BuildKit
/// could not parse.
fn fix_text(original: &str, settings: &lint::Settings) -> FixOutcome {
    let first = SourceFile::new(original.to_string(), None);
    let ending = first.line_break();
    let errors_before = first.file.errors.len();
    let mut text = original.to_string();
    for _ in 0..10 {
        let source = SourceFile::new(text.clone(), None);
        let diagnostics = lint::lint(&source, settings);
        let mut edits = actions::fix_all_edits(&diagnostics);
        if edits.is_empty() {
            break;
        }
        if ending == "\r\n" {
            for edit in &mut edits {
                edit.new_text = edit.new_text.replace("\r\n", "\n").replace('\n', "\r\n");
            }
        }
        text = lint::apply_edits(&text, &edits).0;
    }
    if text == original {
        return FixOutcome::Unchanged;
    }
    let errors_after = SourceFile::new(text.clone(), None).file.errors.len();
    if errors_after > errors_before {
        return FixOutcome::Broken("the fixed file would not parse".into());
    }
    FixOutcome::Fixed(text)
}

fn write_diff(out: &mut impl Write, label: &str, before: &str, after: &str) -> Result<()> {
    let diff = similar::TextDiff::from_lines(before, after);
    write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{label}"), &format!("b/{label}"))
    )?;
    Ok(())
}

fn write_text(
    out: &mut impl Write,
    label: &str,
    text: &str,
    lines: &Text,
    diagnostics: &[lint::Diagnostic],
) -> Result<()> {
    for diagnostic in diagnostics {
        let start = lines.position(diagnostic.span.start, PositionEncoding::Utf32);
        writeln!(
            out,
            "{label}:{}:{}: {}[{}] {}",
            start.line + 1,
            start.column + 1,
            diagnostic.severity.name(),
            diagnostic.rule.name,
            diagnostic.message
        )?;
        let line_span = lines.line_span(start.line as usize);
        let line = text.get(line_span.clone()).unwrap_or("");
        let end = diagnostic
            .span
            .end
            .min(line_span.end)
            .max(diagnostic.span.start);
        let width = text
            .get(diagnostic.span.start..end)
            .map(|part| part.chars().count())
            .unwrap_or(1)
            .max(1);
        let number = (start.line + 1).to_string();
        let gutter = " ".repeat(number.len());
        writeln!(out, " {number} | {line}")?;
        // Tabs stay tabs in the padding so the caret lines up in a terminal.
        let padding: String = line
            .chars()
            .take(start.column as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(out, " {gutter} | {padding}{}", "^".repeat(width))?;
    }
    Ok(())
}

fn position_json(lines: &Text, offset: usize) -> Value {
    let position = lines.position(offset, PositionEncoding::Utf32);
    json!({"line": position.line + 1, "column": position.column + 1})
}

fn range_json(lines: &Text, span: &std::ops::Range<usize>) -> Value {
    json!({"start": position_json(lines, span.start), "end": position_json(lines, span.end)})
}

fn file_json(label: &str, lines: &Text, diagnostics: &[lint::Diagnostic]) -> Value {
    let diagnostics: Vec<Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            json!({
                "rule": diagnostic.rule.name,
                "aliases": diagnostic.rule.aliases,
                "severity": diagnostic.severity.name(),
                "message": diagnostic.message,
                "range": range_json(lines, &diagnostic.span),
                "fixes": diagnostic.fixes.iter().map(|fix| json!({
                    "title": fix.title,
                    "safe": fix.safe,
                    "edits": fix.edits.iter().map(|edit| json!({
                        "range": range_json(lines, &edit.span),
                        "newText": edit.new_text,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"path": label, "diagnostics": diagnostics})
}

/// The run's configuration from `--config`/`--isolated` and the other flags; `None` (after
/// saying why on stderr) when `--config` names no file.
fn configuration(
    args: &ConfigArgs,
    flags: &lint::Settings,
) -> Option<config::command_line::Configuration> {
    let layer = config::Layer::from_settings(flags);
    match config::command_line::Configuration::new(args.config.as_deref(), args.isolated, layer) {
        Ok(configuration) => Some(configuration),
        Err(problem) => {
            let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {problem}");
            None
        }
    }
}

/// The configuration of every input, resolved before anything is linted: a broken
/// configuration file ends the run (exit 2) rather than checking some files with settings no
/// one meant. Each file's warnings go to stderr once. `None` when a configuration is broken.
fn resolve_each(
    configuration: &mut config::command_line::Configuration,
    inputs: &[Input],
) -> Option<Vec<config::command_line::Effective>> {
    let mut stderr = std::io::stderr().lock();
    let mut resolved = Vec::with_capacity(inputs.len());
    let mut broken = Vec::new();
    for input in inputs {
        match configuration.for_file(input.path.as_deref()) {
            Ok(effective) => {
                for warning in &effective.warnings {
                    let _ = writeln!(stderr, "dockerfile-ls: warning: {warning}");
                }
                resolved.push(effective);
            }
            Err(problem) if !broken.contains(&problem) => broken.push(problem),
            Err(_) => {}
        }
    }
    for problem in &broken {
        let _ = writeln!(stderr, "{problem}");
    }
    broken.is_empty().then_some(resolved)
}

/// `rules --explain-config PATH`.
fn explain_config(path: &Path, args: &ConfigArgs) -> Result<ExitCode> {
    let Some(mut configuration) = configuration(args, &lint::Settings::default()) else {
        return Ok(ExitCode::from(2));
    };
    let effective = match configuration.for_file(Some(path)) {
        Ok(effective) => effective,
        Err(problem) => {
            let _ = writeln!(std::io::stderr().lock(), "{problem}");
            return Ok(ExitCode::from(2));
        }
    };
    let fail_level = effective.fail_level.unwrap_or(config::FailLevel::Warning);
    let text = config::explain::explain(
        &path.display().to_string(),
        &effective.resolution,
        &effective.settings,
        fail_level,
    );
    write!(std::io::stdout().lock(), "{text}")?;
    Ok(ExitCode::SUCCESS)
}

fn rules(markdown: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if markdown {
        write!(out, "{}", rules_markdown())?;
        return Ok(());
    }
    for rule in lint::rules::ALL {
        let aliases = if rule.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", rule.aliases.join(", "))
        };
        writeln!(
            out,
            "{:<28} {:<8} {}{}",
            rule.name,
            rule.severity.name(),
            rule.summary,
            aliases
        )?;
    }
    Ok(())
}

/// The Markdown rule reference, generated from the registry.
pub fn rules_markdown() -> String {
    let mut markdown = String::from(
        "# Rules\n\n<!-- Generated by `dockerfile-ls rules --markdown`; a test keeps it in sync. -->\n\n| rule | default | hadolint | what it flags |\n|---|---|---|---|\n",
    );
    for rule in lint::rules::ALL {
        markdown.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            rule.name,
            rule.name.to_ascii_lowercase(),
            rule.severity.name(),
            rule.aliases.join(", "),
            rule.summary
        ));
    }
    for rule in lint::rules::ALL {
        // An explicit anchor, so links from diagnostics (`#rulename`) land on the section.
        markdown.push_str(&format!(
            "\n<a id=\"{}\"></a>\n",
            rule.name.to_ascii_lowercase()
        ));
        markdown.push_str(
            &rule_markdown(rule)
                .replacen("# ", "## ", 1)
                .replace("\n## ", "\n### "),
        );
    }
    markdown
}

fn rule(name: &str) -> Result<ExitCode> {
    let Some(rule) = lint::find_rule(name) else {
        anyhow::bail!("no rule named {name}; `dockerfile-ls rules` lists them");
    };
    write!(std::io::stdout().lock(), "{}", rule_markdown(rule))?;
    Ok(ExitCode::SUCCESS)
}

fn parse(path: &Path) -> Result<()> {
    let text = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        read_lossy(path)?
    };
    let file = crate::syntax::lower::lower(&text);
    let output = crate::buildkit_json::to_json(&text, &file);
    writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&output)?
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "x.dockerfile",
            "Dockerfile.dev",
            "dockerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in ["Dockerfiles", "README.md", "docker-compose.yml"] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn fixes_keep_crlf_line_endings() {
        let fixed = match fix_text("FROM a\r\nMAINTAINER me\r\n", &lint::Settings::default()) {
            FixOutcome::Fixed(fixed) => fixed,
            _ => panic!("expected a fix"),
        };
        assert_eq!(
            fixed,
            "FROM a\r\nLABEL org.opencontainers.image.authors=\"me\"\r\n"
        );
    }
}
