//! Our rules against hadolint 2.15: on the corpus (`../shared/corpus/oracle/hadolint`), per
//! hadolint code, how many findings agree, how many only hadolint has and how many only we
//! have, with recall and precision; every difference must fall into a class the rule's
//! documentation explains, and the test fails on one it cannot explain. Then the coverage of
//! hadolint's DL codes by our aliases, and our own fixtures of hadolint's spec cases
//! (`hadolint_spec.txt`).

use std::collections::{BTreeMap, BTreeSet};

use dockerfile_ls::lint::{self, Settings};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::{corpus, corpus_files, read_lossy};
use serde_json::Value;

/// The hadolint codes of the layer and shell rules compared on the corpus.
const CODES: [&str; 23] = [
    "DL3001", "DL3003", "DL3004", "DL3009", "DL3014", "DL3015", "DL3019", "DL3027", "DL3030",
    "DL3032", "DL3034", "DL3035", "DL3036", "DL3038", "DL3040", "DL3042", "DL3046", "DL3047",
    "DL3059", "DL3060", "DL4001", "DL4005", "DL4006",
];

/// Why a finding is on one side only: a class a rule's documentation explains, or
/// [`UNEXPLAINED`].
type Explain = fn(&Difference) -> &'static str;

/// One finding only one side has.
struct Difference<'a> {
    source: &'a SourceFile,
    text: &'a str,
    code: &'a str,
    line: usize,
    /// Only we have it (else only hadolint).
    ours_only: bool,
    hadolint_failed: bool,
    /// Our findings in the file, by code and instruction line.
    ours: &'a BTreeSet<(String, usize)>,
    /// hadolint's findings in the file, likewise.
    theirs: &'a BTreeSet<(String, usize)>,
}

impl Difference<'_> {
    /// The instruction hadolint or we reported on.
    fn instruction(&self) -> Option<(usize, &dockerfile_ls::syntax::Instruction)> {
        let index = self.source.instructions().iter().position(|instruction| {
            self.text[..instruction.span.start].matches('\n').count() + 1 == self.line
        })?;
        Some((index, &self.source.instructions()[index]))
    }
}

/// Tallies `codes` over the corpus: agree, only hadolint, only ours, per code, with
/// `settings` (rules off by default turned on); prints recall, precision and the classes of
/// the differences, and returns the differences `explain` could not place.
fn tally(codes: &[&str], settings: &Settings, explain: Explain) -> Vec<String> {
    // code -> (agree, only hadolint, only ours)
    let mut tally: BTreeMap<&str, (usize, usize, usize)> =
        codes.iter().map(|code| (*code, (0, 0, 0))).collect();
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let oracle: Value = serde_json::from_str(
            &std::fs::read_to_string(
                corpus()
                    .join("oracle/hadolint")
                    .join(format!("{name}.json")),
            )
            .unwrap(),
        )
        .unwrap();
        let hadolint_failed = oracle
            .as_array()
            .unwrap()
            .iter()
            .any(|finding| finding["code"] == "DL1000");
        let text = read_lossy(&path);
        let source = SourceFile::parse(&text);
        // hadolint's parser sometimes starts an instruction a line later than BuildKit (after
        // a line holding only a continuation): compare the instructions' first lines.
        let first_line = |line: usize| -> usize {
            source
                .instructions()
                .iter()
                .map(|instruction| {
                    let start = text[..instruction.span.start].matches('\n').count() + 1;
                    let end = start + text[instruction.span.clone()].matches('\n').count();
                    (start, end)
                })
                .find(|(start, end)| *start <= line && line <= *end)
                .map_or(line, |(start, _)| start)
        };
        let theirs: BTreeSet<(String, usize)> = oracle
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| codes.contains(&finding["code"].as_str().unwrap_or("")))
            .map(|finding| {
                (
                    finding["code"].as_str().unwrap().to_string(),
                    first_line(finding["line"].as_u64().unwrap() as usize),
                )
            })
            .collect();
        let mut ours: BTreeSet<(String, usize)> = BTreeSet::new();
        for diagnostic in lint::lint(&source, settings, dockerfile_ls::knowledge::distros::AS_OF) {
            let Some(code) = diagnostic.code().filter(|code| codes.contains(code)) else {
                continue;
            };
            // hadolint reports an instruction's first line; a finding before the first
            // instruction (a comment) keeps its own.
            let at = match lint::instruction_at(&source, diagnostic.span.start) {
                Some(index) => source.instructions()[index].span.start,
                None => diagnostic.span.start,
            };
            let line = text[..at].matches('\n').count() + 1;
            ours.insert((code.to_string(), line));
        }
        for finding in theirs.union(&ours) {
            let entry = tally.get_mut(finding.0.as_str()).unwrap();
            let (in_theirs, in_ours) = (theirs.contains(finding), ours.contains(finding));
            match (in_theirs, in_ours) {
                (true, true) => entry.0 += 1,
                (true, false) => entry.1 += 1,
                _ => entry.2 += 1,
            }
            if in_theirs != in_ours {
                let side = if in_theirs {
                    "only hadolint"
                } else {
                    "only ours"
                };
                let difference = Difference {
                    source: &source,
                    text: &text,
                    code: &finding.0,
                    line: finding.1,
                    ours_only: in_ours,
                    hadolint_failed,
                    ours: &ours,
                    theirs: &theirs,
                };
                let class = if hadolint_failed {
                    "hadolint could not parse the file"
                } else {
                    explain(&difference)
                };
                let key = format!("{} {side}: {class}", finding.0);
                samples
                    .entry(key)
                    .or_default()
                    .push(format!("{name}:{}", finding.1));
            }
        }
    }
    eprintln!("code     agree  only-hadolint  only-ours  recall  precision");
    for (code, (agree, theirs, ours)) in &tally {
        let ratio = |part: usize, whole: usize| {
            if whole == 0 {
                "-".to_string()
            } else {
                format!("{:.2}", part as f64 / whole as f64)
            }
        };
        eprintln!(
            "{code}   {agree:>6}  {theirs:>13}  {ours:>9}  {:>6}  {:>9}",
            ratio(*agree, agree + theirs),
            ratio(*agree, agree + ours)
        );
    }
    let mut unexplained = Vec::new();
    for (key, list) in &samples {
        eprintln!(
            "{key}: {} e.g. {}",
            list.len(),
            list.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        );
        if key.ends_with(UNEXPLAINED) {
            unexplained.extend(list.iter().cloned());
        }
    }
    unexplained
}

#[test]
fn shell_and_layer_rules_against_hadolint() {
    let unexplained = tally(&CODES, &Settings::default(), |difference| {
        explain_difference(
            difference.source,
            difference.text,
            &(difference.code.to_string(), difference.line),
            difference.ours_only,
            difference.hadolint_failed,
        )
    });
    assert!(
        unexplained.is_empty(),
        "differences no documented class explains: {unexplained:?}"
    );
}

const UNEXPLAINED: &str = "UNEXPLAINED";

/// The codes of PackageCacheNotCleaned's findings.
const CACHE_CODES: [&str; 7] = [
    "DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060",
];

/// Why the shell rules (and DL3059) and hadolint disagree on one finding: the classes the
/// rules' documentation names.
fn explain_shell(source: &SourceFile, index: usize, code: &str, ours_only: bool) -> &'static str {
    use dockerfile_ls::lint::run_commands;
    let runs: Vec<run_commands::RunCommand> = run_commands::of_instruction(source, index).collect();
    let scripts = source.scripts(index);
    let instruction = &source.instructions()[index];
    let text = instruction.logical.text.as_ref();
    // hadolint reads PowerShell and cmd as if they were sh; these rules do not.
    let not_posix = scripts.is_empty()
        && instruction.effective().keyword == dockerfile_ls::syntax::Keyword::Run;
    let hidden = runs.iter().any(|run| {
        run.command.from_inline_script
            || !matches!(
                run.script.origin,
                dockerfile_ls::syntax::ScriptOrigin::CommandLine
            )
    });
    let wrapped = runs
        .iter()
        .any(|run| run.command.program_index() > 0 && !run.program.is_empty());
    match (code, ours_only) {
        ("DL3059", _) if not_posix || text.contains("powershell") => {
            "hadolint counts the commands of PowerShell RUNs with a POSIX shell parser"
        }
        (_, false) if not_posix => "the RUN is PowerShell or cmd, which this rule does not read",
        ("DL3003" | "DL4001", false) if text.contains("$(") => {
            "the command runs inside a command substitution, which the shell view does not list"
        }
        ("DL3014" | "DL3030" | "DL3034" | "DL3038", true) => {
            let beyond_install = runs.iter().any(|run| {
                dockerfile_ls::knowledge::package_managers::call(run.command).is_some_and(|call| {
                    matches!(
                        call.subcommand(),
                        "remove"
                            | "purge"
                            | "autoremove"
                            | "upgrade"
                            | "dist-upgrade"
                            | "full-upgrade"
                            | "update"
                            | "up"
                            | "erase"
                            | "reinstall"
                            | "downgrade"
                            | "patch"
                            | "dup"
                    )
                })
            });
            if beyond_install {
                "hadolint checks install only; remove, autoremove and upgrade ask too"
            } else if runs.iter().any(|run| run.program == "apt") {
                "apt (not apt-get) asks too"
            } else if wrapped || hidden {
                "hadolint does not see commands behind sudo/env or in heredoc and sh -c scripts"
            } else {
                UNEXPLAINED
            }
        }
        ("DL3038", false) if runs.iter().any(|run| run.program == "microdnf") => {
            "microdnf never asks (its -y does nothing)"
        }
        ("DL3015", true) if runs.iter().any(|run| run.program == "apt") => {
            "hadolint checks apt-get only; apt install installs recommendations too"
        }
        ("DL3046", false) if text.contains('$') => {
            "the UID is a variable whose ARG or ENV value is low"
        }
        ("DL4005", true) if text.contains("/usr/bin/sh") => {
            "/usr/bin/sh is /bin/sh on merged-/usr systems"
        }
        ("DL4006", false)
            if scripts.iter().any(|script| {
                script.script.commands().iter().any(|command| {
                    command.program() == Some("set")
                        && command.words.iter().any(|word| word.text == "pipefail")
                })
            }) =>
        {
            "the script runs set -o pipefail before the pipe"
        }
        ("DL4006", false)
            if source.stages.stage_of(index).is_some_and(|stage| {
                matches!(stage.base, dockerfile_ls::syntax::Base::Stage(_))
            }) =>
        {
            "the SHELL with pipefail comes from the stage this one is built on"
        }
        ("DL4006", false) if text.contains("windows") || text.contains("Out-Null") => {
            "the RUN is PowerShell or cmd, which this rule does not read"
        }
        (_, true) if hidden => "hadolint does not read heredoc or sh -c scripts",
        (_, true) if wrapped => "hadolint does not see commands behind sudo, env or command",
        _ => UNEXPLAINED,
    }
}

/// Why we and hadolint disagree on one finding: the classes the rules' documentation names.
fn explain_difference(
    source: &SourceFile,
    text: &str,
    finding: &(String, usize),
    ours_only: bool,
    hadolint_failed: bool,
) -> &'static str {
    if hadolint_failed {
        return "hadolint could not parse the file";
    }
    let (code, line) = (finding.0.as_str(), finding.1);
    let Some(index) = source
        .instructions()
        .iter()
        .position(|instruction| text[..instruction.span.start].matches('\n').count() + 1 == line)
    else {
        return UNEXPLAINED;
    };
    let instruction = &source.instructions()[index];
    let run_text: &str = &instruction.logical.text;
    if !CACHE_CODES.contains(&code) {
        return explain_shell(source, index, code, ours_only);
    }
    let stage = source.stages.stage_of(index).map(|stage| stage.index);
    let last = source.stages.stages.len().checked_sub(1);
    let heredoc_or_inline = source.scripts(index).iter().any(|script| {
        !matches!(
            script.origin,
            dockerfile_ls::syntax::ScriptOrigin::CommandLine
        ) || script
            .script
            .commands()
            .iter()
            .any(|command| command.from_inline_script)
    });
    if ours_only {
        if stage != last {
            return "the stage is the base of the final stage: its layers ship";
        }
        if code == "DL3009" && run_text.contains("/var/lib/apt/lists") {
            return "a later apt-get update writes the lists again after they were removed";
        }
        if code == "DL3019"
            && (run_text.contains("apk update")
                || run_text.contains("apk upgrade")
                || run_text.contains("apk --update"))
        {
            return "apk update/upgrade fills the cache even when apk add has --no-cache";
        }
        if heredoc_or_inline {
            return "hadolint does not read heredoc or sh -c scripts";
        }
        if code == "DL3040" && run_text.contains("microdnf") {
            return "hadolint misses microdnf in some chains";
        }
        if code == "DL3060" && !run_text.contains("yarn install") {
            return "a bare `yarn` installs too";
        }
        if code == "DL3040" && !run_text.contains("install") {
            return "hadolint looks at dnf install only; swap, reinstall and upgrade fill the cache too";
        }
        if code == "DL3032" && run_text.contains(';') {
            return "hadolint misses yum after `;` chains";
        }
        return UNEXPLAINED;
    }
    let shipped = dockerfile_ls::lint::layers::shipped_stages(source, &Settings::default());
    if stage.is_some_and(|stage| !shipped[stage]) {
        return "the stage is a builder: its layers do not reach the image";
    }
    if !dockerfile_ls::lint::layers::uncommitted_mounts(instruction.effective()).is_empty() {
        return "a cache mount keeps the cache out of the layer";
    }
    if code == "DL3042" {
        let scope = source.stages.scope_at(&source.file, index);
        if scope.lookup("PIP_NO_CACHE_DIR").is_some() || run_text.contains("PIP_NO_CACHE_DIR") {
            return "PIP_NO_CACHE_DIR is set";
        }
        if run_text.contains("--no-cache-dir") {
            return "every pip call that fills the cache has --no-cache-dir";
        }
    }
    if code == "DL3009" && !run_text.contains("update") {
        return "no apt-get update in this RUN: it writes no lists";
    }
    if code == "DL3009" && run_text.contains("dist-clean") {
        return "apt-get dist-clean (apt 3) removes the lists; hadolint does not know it";
    }
    if code == "DL3009" && run_text.contains("/var/lib/apt/lists") {
        return "the lists are removed in a form hadolint does not accept (rm -r of the directory)";
    }
    if run_text.contains(" clean") || run_text.contains("rm -rf /var/cache") {
        return "the cache is cleaned in a form hadolint does not accept";
    }
    UNEXPLAINED
}

/// The codes of the image, COPY/ADD, ENV, label and version-pinning rules that hadolint
/// reports on the corpus (DL3057 and DL1001 are off in hadolint too; the label-schema codes
/// need a schema the corpus has none of).
const OTHER_CODES: [&str; 18] = [
    "DL3002", "DL3006", "DL3007", "DL3008", "DL3010", "DL3013", "DL3016", "DL3018", "DL3020",
    "DL3028", "DL3033", "DL3041", "DL3044", "DL3045", "DL3048", "DL3062", "DL3066", "DL3067",
];

#[test]
fn other_rules_against_hadolint() {
    let mut settings = Settings::default();
    // The version-pinning family is off by default: measured turned on.
    settings.levels.insert(
        "PackageVersionNotPinned".into(),
        lint::Level::On(lint::Severity::Warning),
    );
    let unexplained = tally(&OTHER_CODES, &settings, explain_other);
    assert!(
        unexplained.is_empty(),
        "differences no documented class explains: {unexplained:?}"
    );
}

/// The classes of difference the rules' documentation explains, for [`OTHER_CODES`].
fn explain_other(difference: &Difference) -> &'static str {
    let code = difference.code;
    // hadolint counts a continuation line before the instruction into it.
    let other_side = if difference.ours_only {
        difference.theirs
    } else {
        difference.ours
    };
    let shifted = |line: usize| other_side.contains(&(code.to_string(), line));
    if shifted(difference.line + 1) || shifted(difference.line.saturating_sub(1)) {
        return "the same finding, hadolint numbering the instruction one line off";
    }
    let Some((index, instruction)) = difference.instruction() else {
        return UNEXPLAINED;
    };
    let source = difference.source;
    let written = &difference.text[instruction.span.clone()];
    let logical: &str = &instruction.logical.text;
    let posix = source.shell_kind_at(index) == dockerfile_ls::syntax::ShellKind::Posix;
    let stage = source.stages.stage_of(index);
    let shipped = dockerfile_ls::lint::layers::shipped_stages(source, &Settings::default());
    // A comment line inside the instruction: hadolint stops reading it there.
    let comment_inside = written
        .lines()
        .skip(1)
        .any(|line| line.trim_start().starts_with('#'));
    match (code, difference.ours_only) {
        ("DL3002", false) if stage.is_some_and(|stage| !shipped[stage.index]) => {
            "a builder stage runs as root: its user does not reach the image"
        }
        ("DL3006" | "DL3007", _) if written.contains('$') => {
            "the image comes from a variable: hadolint reads the word, we read its ARG default"
        }
        ("DL3007", true) if logical.contains(":latest-") => "a `latest-` tag variant moves too",
        (_, false) if !posix => "the RUN runs in PowerShell or cmd: not read as POSIX shell",
        (_, true) if comment_inside => {
            "a comment line inside the RUN: hadolint stops reading there"
        }
        ("DL3008", true)
            if logical.contains("apt install")
                || logical.contains("apt -y install")
                || logical.contains("apt-get install") && logical.contains("sudo") =>
        {
            "`apt install`: hadolint only sees a command named apt-get"
        }
        ("DL3010", true) if difference.text[instruction.span.end..].contains("tar x") => {
            "tar's old option form (`tar xzf`)"
        }
        ("DL3013", false) if logical.contains("pipx") => {
            "pipx installs applications, not pip packages"
        }
        ("DL3016", true) if logical.contains("@latest") => "`@latest` is not a pin",
        ("DL3028", true) if logical.contains("--no-document") || logical.contains(" -N ") => {
            "gem options that take no value are read as such"
        }
        ("DL3041", true) if logical.contains("dnf5") || logical.contains("tdnf") => {
            "dnf5 and tdnf install as dnf does"
        }
        ("DL3041" | "DL3033", false) if logical.contains(".rpm") || logical.contains("-$") => {
            "a local .rpm file or a version from a variable is a pin"
        }
        ("DL3044", true) => {
            "a variable set earlier in the same ENV and before it: the old value is used"
        }
        ("DL3045", true) if instruction.keyword == dockerfile_ls::syntax::Keyword::Add => {
            "ADD resolves a relative destination as COPY does"
        }
        ("DL3062", false) if logical.contains("-tags") || logical.contains("-ldflags") => {
            "go options with values (`-tags`, `-ldflags`) are read as such"
        }
        ("DL3062", true) if logical.contains("/go install") || logical.contains("bin/go ") => {
            "go called by its path"
        }
        ("DL3066", false)
            if logical.contains("Container")
                || stage.is_some_and(|stage| {
                    difference.source.stages.stages[stage.index]
                        .image
                        .as_ref()
                        .is_some_and(|image| {
                            image.text.contains("windows") || image.text.contains("nanoserver")
                        })
                }) =>
        {
            "a Windows account: Windows has no numeric user ids"
        }
        ("DL3066", false) if logical.contains('$') => {
            "the user comes from a variable without a known value: not judged"
        }
        ("DL3066", true) if logical.contains('$') => {
            "the user comes from an ARG default that names a user: hadolint skips ARG variables"
        }
        ("DL3067", false)
            if stage.is_some_and(|stage| stage.base == dockerfile_ls::syntax::Base::Scratch) =>
        {
            "copied into a FROM scratch stage: flattening, nothing to overwrite"
        }
        _ => UNEXPLAINED,
    }
}

/// hadolint 2.15's rules: every DL code its `src/Hadolint/Process.hs` runs (DL1000, its
/// parse error, is not a rule).
const HADOLINT_CODES: [&str; 71] = [
    "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
    "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018",
    "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027",
    "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037",
    "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046", "DL3047",
    "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056",
    "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064", "DL3065",
    "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

/// The fewest codes our aliases must cover. A floor: raise it as rules land, never lower it.
const COVERED_AT_LEAST: usize = 71;

#[test]
fn hadolint_codes_are_covered_by_aliases() {
    let mut covered = Vec::new();
    let mut missing = Vec::new();
    for code in HADOLINT_CODES {
        match lint::rules::ALL
            .iter()
            .find(|rule| rule.aliases.contains(&code))
        {
            Some(rule) => covered.push(format!("{code}={}", rule.name)),
            None => missing.push(code),
        }
    }
    eprintln!(
        "{} of {} hadolint codes covered by an alias:\n  {}\nnot covered: {}",
        covered.len(),
        HADOLINT_CODES.len(),
        covered.join("\n  "),
        missing.join(", ")
    );
    assert!(
        covered.len() >= COVERED_AT_LEAST,
        "only {} codes covered, the floor is {COVERED_AT_LEAST}",
        covered.len()
    );
    // Every alias of ours is a code hadolint has (or its parse error).
    for rule in lint::rules::ALL {
        for alias in rule.aliases {
            assert!(
                HADOLINT_CODES.contains(alias) || *alias == "DL1000",
                "{} has alias {alias}, which hadolint 2.15 does not have",
                rule.name
            );
        }
    }
}

/// One case of `hadolint_spec.txt`.
struct SpecCase {
    code: String,
    /// hadolint's verdict.
    catches: bool,
    /// Why we deliberately disagree, if we do.
    differs: Option<String>,
    settings: Settings,
    text: String,
}

fn spec_cases() -> Vec<SpecCase> {
    let fixtures = std::fs::read_to_string(
        dockerfile_ls_tests::workspace().join("tests/tests/hadolint_spec.txt"),
    )
    .unwrap();
    let mut cases: Vec<SpecCase> = Vec::new();
    for line in fixtures.lines() {
        if let Some(header) = line.strip_prefix("=== ") {
            let mut words = header.split_whitespace();
            let code = words.next().unwrap().to_string();
            let catches = match words.next() {
                Some("catches") => true,
                Some("catches-not") => false,
                other => panic!("{header}: expected catches or catches-not, found {other:?}"),
            };
            let mut settings = Settings::default();
            // Rules off by default (the pinning family, DL3057, DL1001) run for their code.
            settings
                .levels
                .insert(code.clone(), lint::Level::On(lint::Severity::Warning));
            for option in header.split('[').skip(1) {
                let option = option.split(']').next().unwrap();
                let (key, value) = option.split_once('=').unwrap_or((option, ""));
                match key {
                    "trusted" => {
                        settings.trusted_registries =
                            value.split(',').map(str::to_string).collect();
                    }
                    "schema" => {
                        for entry in value.split(',') {
                            let (key, kind) = entry.split_once(':').unwrap();
                            settings
                                .label_schema
                                .insert(key.to_string(), lint::LabelType::parse(kind).unwrap());
                        }
                    }
                    "strict" => settings.strict_labels = true,
                    other => panic!("{header}: unknown option {other}"),
                }
            }
            let differs = header
                .split_once("(differs: ")
                .map(|(_, why)| why.trim_end_matches(')').to_string());
            cases.push(SpecCase {
                code,
                catches,
                differs,
                settings,
                text: String::new(),
            });
        } else if let Some(case) = cases.last_mut() {
            case.text.push_str(line);
            case.text.push('\n');
        }
    }
    cases
}

#[test]
fn hadolint_spec_cases_agree() {
    let cases = spec_cases();
    assert!(cases.len() > 250, "only {} cases", cases.len());
    // code -> (cases, agree, deliberate differences)
    let mut per_code: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let source = SourceFile::parse(case.text.trim_end());
        let ours = lint::lint(
            &source,
            &case.settings,
            dockerfile_ls::knowledge::distros::AS_OF,
        )
        .iter()
        .any(|diagnostic| diagnostic.answers_to(&case.code));
        let entry = per_code.entry(case.code.clone()).or_default();
        entry.0 += 1;
        let expected = case.catches != case.differs.is_some();
        if ours == case.catches {
            entry.1 += 1;
        } else if case.differs.is_some() {
            entry.2 += 1;
        }
        if ours != expected {
            wrong.push(format!(
                "{} {} (hadolint {}):\n{}",
                case.code,
                if ours { "catches" } else { "does not catch" },
                if case.catches { "catches" } else { "does not" },
                case.text
            ));
        }
    }
    let (total, agree) = per_code.values().fold((0, 0), |(total, agree), entry| {
        (total + entry.0, agree + entry.1)
    });
    eprintln!("code     cases  agree  deliberate");
    for (code, (count, agreeing, deliberate)) in &per_code {
        eprintln!("{code}   {count:>5}  {agreeing:>5}  {deliberate:>10}");
    }
    for case in cases.iter().filter(|case| case.differs.is_some()) {
        eprintln!("{}: {}", case.code, case.differs.as_deref().unwrap_or(""));
    }
    eprintln!(
        "{agree} of {total} cases agree with hadolint ({:.1}%)",
        100.0 * agree as f64 / total as f64
    );
    assert!(
        wrong.is_empty(),
        "cases that do not behave as documented:\n{}",
        wrong.join("\n")
    );
    assert!(agree * 100 >= total * 90, "below 90% agreement");
}
