//! The engine over every file of `../shared/corpus`: BuildKit agreement, no panics, no false
//! syntax errors.

use std::process::Command;

use dockerfile_ls::analysis::hover;
use dockerfile_ls::lint;
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::{binary, corpus, corpus_files, read_lossy};
use serde_json::Value;

const FIELDS: [&str; 8] = [
    "cmd",
    "sub_cmd",
    "json",
    "flags",
    "value",
    "start_line",
    "end_line",
    "heredocs",
];

/// The oracle comes from Python bindings that pass strings through C: a string is cut at its
/// first NUL there. BuildKit itself keeps it; our output does too, so compare as the bindings
/// would show it.
fn as_bindings_show(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(text.split('\0').next().unwrap_or("").to_string()),
        Value::Array(items) => Value::Array(items.iter().map(as_bindings_show).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), as_bindings_show(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn parse_json_agrees_with_the_buildkit_oracle_on_every_instruction() {
    let binary = binary();
    let mut total = 0;
    let mut equal = 0;
    let mut files = 0;
    let mut differences = Vec::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let oracle_path = corpus()
            .join("oracle/buildkit")
            .join(format!("{name}.json"));
        let oracle: Value =
            serde_json::from_str(&std::fs::read_to_string(oracle_path).unwrap()).unwrap();
        if oracle["ok"] != Value::Bool(true) {
            continue;
        }
        files += 1;
        let output = Command::new(&binary)
            .args(["parse", "--json"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let ours: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            ours["ok"],
            Value::Bool(true),
            "{name}: we reject a file BuildKit accepts: {ours}"
        );
        let expected = oracle["instructions"].as_array().unwrap();
        let actual = ours["instructions"].as_array().unwrap();
        for (index, instruction) in expected.iter().enumerate() {
            total += 1;
            let want: serde_json::Map<String, Value> = FIELDS
                .iter()
                .map(|field| (field.to_string(), instruction[field].clone()))
                .collect();
            let got = actual.get(index).map(as_bindings_show);
            if got.as_ref() == Some(&Value::Object(want.clone())) {
                equal += 1;
            } else {
                differences.push(format!(
                    "{name} #{index}\n  oracle {}\n  ours   {}",
                    Value::Object(want),
                    got.unwrap_or(Value::Null)
                ));
            }
        }
        if actual.len() != expected.len() {
            differences.push(format!(
                "{name}: {} instructions, oracle {}",
                actual.len(),
                expected.len()
            ));
        }
    }
    let share = 100.0 * equal as f64 / total as f64;
    eprintln!(
        "BuildKit agreement: {equal}/{total} instructions equal ({share:.3}%) over {files} files"
    );
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn every_file_goes_through_the_engine_without_a_panic_or_a_false_syntax_error() {
    let mut checked = 0;
    let mut hovers = 0;
    let mut fixes = 0;
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = read_lossy(&path);
        let source = SourceFile::parse(&text);
        let settings = lint::Settings::default();
        let today = dockerfile_ls::knowledge::distros::AS_OF;
        let diagnostics = lint::lint(&source, &settings, today);
        // The findings the editor shows (built without fixes) are those code actions fix.
        let without: Vec<_> = lint::lint_with(&source, &settings, today, false);
        assert!(
            without.iter().all(|finding| finding.fixes.is_empty()),
            "{name}"
        );
        let bare = |found: &[lint::Diagnostic]| -> Vec<_> {
            found
                .iter()
                .map(|finding| lint::Diagnostic {
                    fixes: Vec::new(),
                    ..finding.clone()
                })
                .collect()
        };
        assert_eq!(bare(&diagnostics), without, "{name}");
        fixes += diagnostics
            .iter()
            .filter(|finding| !finding.fixes.is_empty())
            .count();
        for instruction in source.instructions() {
            for offset in [
                instruction.span.start,
                instruction.keyword_word.span.end.saturating_sub(1),
                instruction.span.end,
            ] {
                hovers += usize::from(hover::hover(&source, offset, today).is_some());
            }
            for flag in &instruction.flags {
                hover::hover(&source, flag.span.start + 2, today);
            }
        }
        for index in 0..source.instructions().len() {
            source.scripts(index);
        }
        let outline = dockerfile_ls::analysis::symbols::symbols(&source);
        assert!(
            source.instructions().is_empty() || !outline.is_empty(),
            "{name}: no symbols"
        );
        let oracle_path = corpus()
            .join("oracle/buildkit")
            .join(format!("{name}.json"));
        let oracle: Value =
            serde_json::from_str(&std::fs::read_to_string(oracle_path).unwrap()).unwrap();
        if oracle["ok"] == Value::Bool(true) {
            // The oracle is BuildKit's line parser: what it accepts, ParseError must accept.
            let line_parser: Vec<_> = diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.rule.name == "ParseError")
                .map(|diagnostic| diagnostic.message.clone())
                .collect();
            assert!(
                line_parser.is_empty(),
                "{name}: BuildKit parses it, yet: {line_parser:?}"
            );
            // What BuildKit rejects after the line parser: only in the files known not to
            // build, and there for certain.
            let build_errors: Vec<_> = diagnostics
                .iter()
                .filter(|diagnostic| {
                    diagnostic.rule.syntax && diagnostic.severity == lint::Severity::Error
                })
                .map(|diagnostic| diagnostic.message.clone())
                .collect();
            // (`no_error_is_reported_on_a_file_that_builds` checks the listed files do have
            // errors.)
            if !CANNOT_BUILD.iter().any(|(file, _)| *file == name) {
                assert!(
                    build_errors.is_empty(),
                    "{name}: BuildKit builds it, yet: {build_errors:?}"
                );
            }
        } else {
            assert!(
                diagnostics.iter().any(|diagnostic| diagnostic.rule.syntax),
                "{name}: BuildKit rejects it ({}), we found nothing",
                oracle["error"]
            );
        }
        checked += 1;
    }
    eprintln!("{checked} files linted, {hovers} instruction hovers, {fixes} findings with fixes");
    assert!(checked > 1000);
    assert!(fixes > 1000, "{fixes}");
}

/// Corpus files that BuildKit's line parser reads but that cannot build, each with the
/// reason: an error in them is true. (The BuildKit parser test files among them come from
/// BuildKit's own parser tests; the build rejects them when it parses the instructions.)
const CANNOT_BUILD: [(&str, &str); 7] = [
    (
        "buildkit@fdfa7b8__frontend__dockerfile__parser__testfiles__health__Dockerfile",
        "HEALTHCHECK without arguments, HEALTHCHECK CMD without a command, HEALTHCHECK CONNECT",
    ),
    (
        "buildkit__frontend__dockerfile__parser__testfiles__env__Dockerfile",
        "ENV name='a\\'b': a single quote is never closed, so the value cannot be expanded",
    ),
    (
        "buildkit__frontend__dockerfile__parser__testfiles__escapes__Dockerfile",
        "ADD \\conf\\\\\": an unterminated double quote in the source",
    ),
    (
        "buildkit__frontend__dockerfile__parser__testfiles__flags__Dockerfile",
        "COPY --user and --doit, CMD --doit: unknown flags",
    ),
    (
        "buildkit__frontend__dockerfile__parser__testfiles__jeztah-invalid-json-unterminated-bracket__Dockerfile",
        "a parser test file: CMD without any FROM, so no stage to build",
    ),
    (
        "buildkit__frontend__dockerfile__parser__testfiles__json__Dockerfile",
        "a parser test file: CMDs without any FROM, so no stage to build",
    ),
    (
        "docker-images__OracleDatabase__GDD__containerfiles__19.3.0__Dockerfile_19c",
        "a line continuation is missing, so `MAINPY=\"main.py\"` is read as an instruction BuildKit does not know",
    ),
];

/// An error-level finding says the build fails: on a file that builds, it is a false error.
/// Every corpus file BuildKit parses is taken to build, except the few listed in
/// [`CANNOT_BUILD`]; each of those must still have an error (else it leaves the list).
#[test]
fn no_error_is_reported_on_a_file_that_builds() {
    let settings = lint::Settings::default();
    let today = dockerfile_ls::knowledge::distros::AS_OF;
    let mut false_errors = Vec::new();
    let mut listed_with_errors = 0;
    let mut checked = 0;
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let oracle_path = corpus()
            .join("oracle/buildkit")
            .join(format!("{name}.json"));
        let oracle: Value =
            serde_json::from_str(&std::fs::read_to_string(oracle_path).unwrap()).unwrap();
        if oracle["ok"] != Value::Bool(true) {
            continue;
        }
        checked += 1;
        let source = SourceFile::parse(&read_lossy(&path));
        let errors: Vec<String> = lint::lint_with(&source, &settings, today, false)
            .into_iter()
            .filter(|finding| finding.severity == lint::Severity::Error)
            .map(|finding| {
                format!(
                    "{}:{}: {} {}",
                    name,
                    source.line_number(finding.span.start),
                    finding.rule.name,
                    finding.message
                )
            })
            .collect();
        if CANNOT_BUILD.iter().any(|(listed, _)| *listed == name) {
            assert!(
                !errors.is_empty(),
                "{name} is listed as unable to build, but no error is found in it"
            );
            listed_with_errors += 1;
            continue;
        }
        false_errors.extend(errors);
    }
    assert!(checked > 1000, "{checked}");
    assert_eq!(listed_with_errors, CANNOT_BUILD.len());
    assert!(
        false_errors.is_empty(),
        "{} error-level findings on files that build:\n{}",
        false_errors.len(),
        false_errors.join("\n")
    );
}
