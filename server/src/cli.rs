//! The command line: `check`, `rules`, `rule`, `parse`; serving LSP is the default.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::analysis::format::FormatOptions;
use crate::analysis::hover::rule_markdown;
use crate::bytes::Decoded;
use crate::config;
use crate::knowledge::distros::Date;
use crate::lint::fix::{self, FixOptions};
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
    /// Apply the safe fixes to the files (standard input: print the fixed file).
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Print the changes `--fix` would make as a unified diff; write nothing.
    #[arg(long)]
    diff: bool,
    /// With --fix or --diff: apply the unsafe fixes too (each rule's documentation says which
    /// of its fixes are safe).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Skip a rule (name or hadolint code); may be repeated.
    #[arg(long = "ignore", value_name = "RULE")]
    ignore: Vec<String>,
    /// Set a rule's level: `RULE=off|hint|info|warning|error`; may be repeated.
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    rules: Vec<String>,
    /// A stage that is built on its own (`--target`), so it is not unused.
    #[arg(long = "target-stage", value_name = "NAME")]
    target_stages: Vec<String>,
    /// The build context of every file checked (what `docker build DIR` is given), instead of
    /// the configuration's `build-context`, a compose or bake build of the file, or the
    /// file's own directory.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
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

impl Format {
    /// The name `--format` takes.
    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Checkstyle => "checkstyle",
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
            complain(&format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}

/// One message on stderr, prefixed with the program's name.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "dockerfile-ls: {message}");
}

/// Standard output that goes quiet when its reader leaves (`dockerfile-ls check | head -1`):
/// the rest of the output is dropped and the command carries on to its usual exit status, so
/// `--fix` still fixes every file and the status still says whether findings remain. (Rust
/// ignores SIGPIPE, so a closed pipe shows up as a `BrokenPipe` error on a write.)
struct QuietPipe<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> QuietPipe<W> {
    fn new(inner: W) -> QuietPipe<W> {
        QuietPipe {
            inner,
            closed: false,
        }
    }

    /// `result`, with a broken pipe turned into success (and remembered).
    fn quiet<T>(&mut self, result: std::io::Result<T>, otherwise: T) -> std::io::Result<T> {
        match result {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(otherwise)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buffer.len());
        }
        let result = self.inner.write(buffer);
        self.quiet(result, buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.quiet(result, ())
    }
}

/// Standard output for a subcommand.
fn stdout() -> QuietPipe<std::io::StdoutLock<'static>> {
    QuietPipe::new(std::io::stdout().lock())
}

/// What went wrong in an IO error, without the OS error number the message would repeat.
fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        ErrorKind::NotADirectory => "a path component is not a directory".into(),
        _ => error.to_string(),
    }
}

/// Reads standard input whole.
fn read_stdin() -> std::result::Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read standard input: {}", io_message(&error)))?;
    Ok(bytes)
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
/// `--check` when a file would change, 2 when a file could not be found, read, written or
/// formatted, or a directory held no Dockerfile.
fn format_files(args: FormatArgs) -> Result<ExitCode> {
    let options = FormatOptions {
        tab_size: args.tab_size,
        insert_spaces: !args.tabs,
    };
    let paths = paths_or_here(&args.paths);
    let mut stdout = stdout();
    let mut failed = false;
    let (mut changed, mut unchanged) = (0, 0);
    for path in &paths {
        if path.as_os_str() == "-" {
            let text = match read_stdin().map(String::from_utf8) {
                Ok(Ok(text)) => text,
                Ok(Err(_)) => {
                    complain("-: not valid UTF-8; not formatted");
                    failed = true;
                    continue;
                }
                Err(message) => {
                    complain(&message);
                    failed = true;
                    continue;
                }
            };
            match formatted(&text, &options) {
                Ok(output) if args.check => {
                    if output != text {
                        writeln!(stdout, "would reformat -")?;
                        changed += 1;
                    }
                }
                Ok(output) => stdout.write_all(output.as_bytes())?,
                Err(message) => {
                    complain(&format!("-: {message}"));
                    failed = true;
                }
            }
            continue;
        }
        let found = match dockerfiles_in(path) {
            Ok(found) => found,
            Err(message) => {
                complain(&message);
                failed = true;
                continue;
            }
        };
        for file in found {
            let label = file.display().to_string();
            // Formatting rewrites the file: one that is not UTF-8 would lose its bad bytes.
            let text = match std::fs::read(&file).map(String::from_utf8) {
                Ok(Ok(text)) => text,
                Ok(Err(_)) => {
                    complain(&format!("{label}: not valid UTF-8; not formatted"));
                    failed = true;
                    continue;
                }
                Err(error) => {
                    complain(&format!("cannot read {label}: {}", io_message(&error)));
                    failed = true;
                    continue;
                }
            };
            let output = match formatted(&text, &options) {
                Ok(output) => output,
                Err(message) => {
                    complain(&format!("{label}: {message}"));
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
                complain(&format!("cannot write {label}: {}", io_message(&error)));
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

/// The paths given, or the current directory.
fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
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

/// The Dockerfiles `path` names: the file itself, or those found under the directory. A
/// directory without one is an error, as a path that does not exist is: in CI a wrong path
/// must not pass for a clean one.
fn dockerfiles_in(path: &Path) -> std::result::Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    collect(path, &mut found)?;
    if found.is_empty() {
        return Err(format!(
            "no Dockerfile found in {} (looked for Dockerfile, Containerfile, *.Dockerfile, \
             *.Containerfile, Dockerfile.*, Containerfile.*)",
            path.display()
        ));
    }
    Ok(found)
}

fn collect(path: &Path, found: &mut Vec<PathBuf>) -> std::result::Result<(), String> {
    let metadata = std::fs::metadata(path)
        .map_err(|error| format!("{}: {}", path.display(), io_message(&error)))?;
    if metadata.is_file() {
        found.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .map_err(|error| {
            format!(
                "cannot read directory {}: {}",
                path.display(),
                io_message(&error)
            )
        })?
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
    if let Some(directory) = &args.context
        && !directory.is_dir()
    {
        anyhow::bail!("--context {}: not a directory", directory.display());
    }
    let mut settings = lint::Settings {
        ignore: args.ignore.clone(),
        target_stages: args.target_stages.clone(),
        build_context: args.context.as_deref().map(crate::workspace::absolute),
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

/// What `check` does with the files besides reporting their findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Report the findings.
    Report,
    /// Fix the files (standard input: print the fixed file), then report what remains.
    Fix,
    /// Print the changes `Fix` would make as a diff; the findings are not printed.
    Diff,
}

impl Mode {
    /// The mode the flags ask for, or why they do not go together (`--fix` with `--diff` is
    /// refused by the argument parser).
    fn of(args: &CheckArgs) -> Result<Mode> {
        let mode = if args.fix {
            Mode::Fix
        } else if args.diff {
            Mode::Diff
        } else {
            Mode::Report
        };
        let text = matches!(args.format, Format::Text);
        if mode == Mode::Report && args.unsafe_fixes {
            anyhow::bail!("--unsafe-fixes applies fixes: use it with --fix or --diff");
        }
        if mode == Mode::Diff && !text {
            anyhow::bail!(
                "--diff prints a unified diff, not a report: it cannot be combined with --format {}",
                args.format.name()
            );
        }
        let stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
        if mode == Mode::Fix && stdin && !text {
            anyhow::bail!(
                "--fix on standard input prints the fixed file: it cannot be combined with --format {}",
                args.format.name()
            );
        }
        Ok(mode)
    }
}

/// A file to check: where it came from and its contents.
struct Input {
    /// `None` for standard input.
    path: Option<PathBuf>,
    label: String,
    contents: Decoded,
}

/// The inputs `paths` name; problems finding or reading them are reported on the way, and
/// make the second value true.
fn read_inputs(paths: &[PathBuf]) -> (Vec<Input>, bool) {
    let mut inputs = Vec::new();
    let mut failed = false;
    for path in paths {
        if path.as_os_str() == "-" {
            match read_stdin() {
                Ok(bytes) => inputs.push(Input {
                    path: None,
                    label: "-".into(),
                    contents: Decoded::new(bytes),
                }),
                Err(message) => {
                    complain(&message);
                    failed = true;
                }
            }
            continue;
        }
        let found = match dockerfiles_in(path) {
            Ok(found) => found,
            Err(message) => {
                complain(&message);
                failed = true;
                continue;
            }
        };
        for file in found {
            let label = file.display().to_string();
            match std::fs::read(&file) {
                Ok(bytes) => inputs.push(Input {
                    path: Some(file),
                    label,
                    contents: Decoded::new(bytes),
                }),
                Err(error) => {
                    complain(&format!("cannot read {label}: {}", io_message(&error)));
                    failed = true;
                }
            }
        }
    }
    (inputs, failed)
}

/// What `--fix` or `--diff` did over all files, for the summary on stderr.
#[derive(Debug, Default)]
struct Tally {
    fixed: usize,
    files: usize,
    remaining: usize,
    held_back: usize,
}

impl Tally {
    /// Counts a file whose fixes were applied (written, printed or shown as a diff).
    fn applied(&mut self, fixed: &fix::Fixed) {
        self.fixed += fixed.fixed;
        self.files += 1;
    }

    /// "Fixed 3 findings in 2 files; 5 remain (2 of them have unsafe fixes: --unsafe-fixes)".
    fn summary(&self, mode: Mode) -> String {
        let plural = |count: usize, word: &str| {
            format!("{count} {word}{}", if count == 1 { "" } else { "s" })
        };
        let (verb, remain) = match (mode, self.remaining) {
            (Mode::Diff, 0) => ("Would fix", "none would remain".to_string()),
            (Mode::Diff, count) => ("Would fix", format!("{count} would remain")),
            (_, 0) => ("Fixed", "none remain".to_string()),
            (_, 1) => ("Fixed", "1 remains".to_string()),
            (_, count) => ("Fixed", format!("{count} remain")),
        };
        let mut summary = format!(
            "{verb} {} in {}; {remain}",
            plural(self.fixed, "finding"),
            plural(self.files, "file")
        );
        if self.held_back > 0 {
            let have = if self.held_back == 1 { "has" } else { "have" };
            summary.push_str(&format!(
                " ({} of them {have} unsafe fixes: --unsafe-fixes applies them)",
                self.held_back
            ));
        }
        summary
    }
}

/// A file after `check` looked at it (and fixed it, if asked).
struct Checked {
    /// The text the findings are about, as the user is shown it (U+FFFD for bad bytes).
    shown: String,
    findings: Vec<lint::Diagnostic>,
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let mode = Mode::of(&args)?;
    let flags = settings_from(&args)?;
    let Some(mut configuration) = configuration(&args.config, &flags) else {
        return Ok(ExitCode::from(2));
    };
    let options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
        ..FixOptions::default()
    };
    let (inputs, mut failed) = read_inputs(&paths_or_here(&args.paths));
    // A broken configuration file stops the run before anything is checked or fixed.
    let Some(effective) = resolve_each(&mut configuration, &inputs) else {
        return Ok(ExitCode::from(2));
    };
    // One day for the whole run: the clock is read here, not in the rules.
    let today = Date::today();
    // Build contexts, compose and bake files, read once for the run.
    let workspace = crate::workspace::Workspace::default();
    let mut stdout = stdout();
    let mut tally = Tally::default();
    let mut failing = false;
    let mut files_json = Vec::new();
    let mut reported = Vec::new();
    for (input, mut effective) in inputs.into_iter().zip(effective) {
        if let Some(path) = &input.path {
            let origin = match (&args.context, &effective.resolution.source) {
                (None, Some(source)) => crate::workspace::Origin::Configured(source.path.clone()),
                _ => crate::workspace::Origin::CommandLine,
            };
            workspace.apply(path, &mut effective.settings, || origin);
        }
        let settings = &effective.settings;
        let fail_level = args
            .fail_level
            .map(config::FailLevel::from)
            .or(effective.fail_level)
            .unwrap_or(config::FailLevel::Warning);
        let checked = match mode {
            Mode::Report => {
                // Only the JSON and SARIF reports list fixes.
                let with_fixes = matches!(args.format, Format::Json | Format::Sarif);
                let text = &input.contents.text;
                let findings = lint::lint_with(
                    &SourceFile::new(text.clone(), None),
                    settings,
                    today,
                    with_fixes,
                );
                Checked {
                    shown: input.contents.shown(text).into_owned(),
                    findings,
                }
            }
            Mode::Fix | Mode::Diff => {
                let (checked, ok) = fix_input(
                    &input,
                    mode,
                    settings,
                    today,
                    options,
                    &mut tally,
                    &mut stdout,
                )?;
                failed |= !ok;
                checked
            }
        };
        failing |= checked
            .findings
            .iter()
            .any(|finding| fail_level.fails(finding.severity));
        let findings = shown_findings(checked.findings, &input.contents);
        let lines = Text::new(&checked.shown);
        match args.format {
            // The diff, or the fixed standard input, is the output.
            Format::Text if mode == Mode::Diff || (mode == Mode::Fix && input.path.is_none()) => {}
            Format::Text => {
                write_text(&mut stdout, &input.label, &checked.shown, &lines, &findings)?
            }
            Format::Json => files_json.push(file_json(&input.label, &lines, &findings)),
            Format::Sarif | Format::Github | Format::Gitlab | Format::Checkstyle => {
                reported.push(crate::report::FileReport {
                    path: input.label.clone(),
                    text: checked.shown,
                    diagnostics: findings,
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
    if mode != Mode::Report {
        let _ = writeln!(std::io::stderr().lock(), "{}", tally.summary(mode));
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Fixes one input (`Fix`: writes the file or prints standard input; `Diff`: prints the
/// diff) and counts what was done. The second value is false when fixing was refused or the
/// file could not be written. The findings are those of the file as it is afterwards: the
/// ones that remain after `Fix`, the file's own after `Diff` (nothing was written).
fn fix_input(
    input: &Input,
    mode: Mode,
    settings: &lint::Settings,
    today: Date,
    options: FixOptions,
    tally: &mut Tally,
    out: &mut impl Write,
) -> Result<(Checked, bool)> {
    let contents = &input.contents;
    let original = &contents.text;
    let source = SourceFile::new(original.clone(), None);
    let findings = lint::lint_with(&source, settings, today, true);
    // The file as it was, with its own findings.
    let unchanged = |findings: Vec<lint::Diagnostic>| Checked {
        shown: contents.shown(original).into_owned(),
        findings,
    };
    if contents.ambiguous {
        complain(&format!(
            "{}: not fixed: the file is not valid UTF-8 and already holds characters U+EF80 to \
             U+EFFF, which stand for its invalid bytes while fixing, so its bytes could not be \
             written back exactly",
            input.label
        ));
        if mode == Mode::Fix && input.path.is_none() {
            out.write_all(&contents.encode(original))?;
        }
        tally.remaining += findings.len();
        return Ok((unchanged(findings), false));
    }
    // Names the file in the engine's log lines (a fix loop that did not settle).
    let _span = tracing::warn_span!("fix", file = %input.label).entered();
    let fixed = fix::fix_source(&source, &findings, settings, today, options);
    let ok = match &fixed.refused {
        Some(reason) => {
            complain(&format!("{}: not fixed: {reason}", input.label));
            false
        }
        None => true,
    };
    let changed = fixed.text != *original;
    tally.held_back += fixed.unsafe_held_back;
    match (mode, &input.path) {
        (Mode::Diff, _) => {
            if changed {
                // Bad bytes go out as they are, so the diff applies to the file.
                let diff = unified_diff(&input.label, original, &fixed.text);
                out.write_all(&contents.encode(&diff))?;
                tally.applied(&fixed);
            }
            tally.remaining += fixed.remaining();
            return Ok((unchanged(findings), ok));
        }
        // A filter prints its input, fixed or not.
        (_, None) => out.write_all(&contents.encode(&fixed.text))?,
        (_, Some(path)) if changed => {
            if let Err(error) = std::fs::write(path, contents.encode(&fixed.text)) {
                complain(&format!(
                    "cannot write {}: {}",
                    input.label,
                    io_message(&error)
                ));
                tally.remaining += findings.len();
                return Ok((unchanged(findings), false));
            }
        }
        _ => {}
    }
    if changed {
        tally.applied(&fixed);
    }
    tally.remaining += fixed.remaining();
    let shown = contents.shown(&fixed.text).into_owned();
    Ok((
        Checked {
            shown,
            findings: fixed.findings,
        },
        ok,
    ))
}

/// Findings as the user is shown them: the stand-ins for bad bytes that messages and fixes
/// quote from the file shown as U+FFFD.
fn shown_findings(
    mut findings: Vec<lint::Diagnostic>,
    contents: &Decoded,
) -> Vec<lint::Diagnostic> {
    if contents.invalid_bytes == 0 {
        return findings;
    }
    let shown = |text: &mut String| {
        if let std::borrow::Cow::Owned(replaced) = contents.shown(text) {
            *text = replaced;
        }
    };
    for finding in &mut findings {
        shown(&mut finding.message);
        for fix in &mut finding.fixes {
            shown(&mut fix.title);
            for edit in &mut fix.edits {
                shown(&mut edit.new_text);
            }
        }
    }
    findings
}

fn unified_diff(label: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string()
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
                // The codes this finding answers to: its own when its rule has one per kind
                // of finding (LabelValueInvalid's DL3052 for a URL), none when no hadolint
                // code covers it, else all of the rule's.
                "aliases": diagnostic.codes(),
                "code": diagnostic.code(),
                "severity": diagnostic.severity.name(),
                "message": diagnostic.message,
                "range": range_json(lines, &diagnostic.span),
                // Manual fixes (a `# check=skip=` comment) are the editor's; the command line
                // never applies them, so it does not list them.
                "fixes": diagnostic.fixes.iter().filter(|fix| !fix.suppresses).map(|fix| json!({
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
    let mut out = stdout();
    if markdown {
        write!(out, "{}", rules_markdown())?;
        return Ok(out.flush()?);
    }
    for rule in lint::rules::ALL {
        let aliases = if rule.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", rule.aliases.join(", "))
        };
        writeln!(
            out,
            "{:<28} {:<14} {}{}",
            rule.name,
            rule.default_label(),
            rule.summary,
            aliases
        )?;
    }
    Ok(out.flush()?)
}

/// The Markdown rule reference, generated from the registry.
pub fn rules_markdown() -> String {
    let mut markdown = String::from(
        "# Rules\n\n<!-- Generated by `dockerfile-ls rules --markdown`; a test keeps it in sync. -->\n\nShellCheck's findings, which hadolint reports as SC codes, are out of scope: the shell rules here read `RUN` scripts for Dockerfile concerns only; run ShellCheck itself for the rest (`# hadolint ignore=SC...` comments are left alone).\n\n| rule | default | hadolint | what it flags |\n|---|---|---|---|\n",
    );
    for rule in lint::rules::ALL {
        markdown.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            rule.name,
            rule.name.to_ascii_lowercase(),
            rule.default_label(),
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
    let mut out = stdout();
    write!(out, "{}", rule_markdown(rule))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn parse(path: &Path) -> Result<()> {
    let bytes = if path.as_os_str() == "-" {
        read_stdin().map_err(anyhow::Error::msg)?
    } else {
        std::fs::read(path).map_err(|error| {
            anyhow::anyhow!("cannot read {}: {}", path.display(), io_message(&error))
        })?
    };
    // Bad bytes become U+FFFD, as Go's JSON encoder writes them in BuildKit's output.
    let text = String::from_utf8_lossy(&bytes);
    let file = crate::syntax::lower::lower(&text);
    let output = crate::buildkit_json::to_json(&text, &file);
    let mut out = stdout();
    writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
    Ok(out.flush()?)
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
}
