//! The command line, run as a user would: output formats, exit codes, discovery, fixes.

use std::process::Output;

use dockerfile_ls_tests::{run_cli as run, run_cli_with_stdin};
use serde_json::Value;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn text_output_points_at_the_finding() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("Dockerfile"),
        "FROM registry.example/base:1.0\n\tMAINTAINER 😀 me\n",
    )
    .unwrap();
    let output = run(&["check", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Dockerfile:2:2: warning[MaintainerDeprecated] MAINTAINER is deprecated: use the org.opencontainers.image.authors label"
    );
    assert_eq!(lines.next().unwrap(), " 2 | \tMAINTAINER 😀 me");
    assert_eq!(lines.next().unwrap(), "   | \t^^^^^^^^^^");
    let output = run(
        &["check", "--fail-level", "error", "Dockerfile"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn json_output_uses_one_based_unicode_columns() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("Dockerfile"),
        "FROM registry.example/base:1.0 AS builder\nFROM scratch\nCOPY --from=bu😀ilder /x /y\n",
    )
    .unwrap();
    let output = run(
        &["check", "--format", "json", "Dockerfile"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let file = &report["files"][0];
    assert_eq!(file["path"], "Dockerfile");
    let diagnostic = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|diagnostic| diagnostic["rule"] == "InvalidStageReference")
        .expect("the misspelt stage is reported");
    assert_eq!(diagnostic["severity"], "warning");
    // `bu😀ilder` is 8 characters (9 UTF-16 units, 11 bytes).
    assert_eq!(
        diagnostic["range"]["start"],
        serde_json::json!({"line": 3, "column": 13})
    );
    assert_eq!(
        diagnostic["range"]["end"],
        serde_json::json!({"line": 3, "column": 21})
    );
    assert_eq!(diagnostic["fixes"][0]["title"], "Change to builder");
    assert_eq!(diagnostic["fixes"][0]["edits"][0]["newText"], "builder");
    assert_eq!(
        diagnostic["aliases"],
        serde_json::json!(["DL3022", "DL3023"])
    );
}

#[test]
fn directories_are_searched_for_dockerfiles() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path();
    std::fs::create_dir_all(root.join("services/api")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    for name in [
        "Dockerfile",
        "services/api/api.Dockerfile",
        "services/Dockerfile.dev",
        "services/Containerfile",
        ".git/Dockerfile",
        "README.md",
    ] {
        std::fs::write(
            root.join(name),
            "FROM registry.example/base:1.0\nMAINTAINER x\n",
        )
        .unwrap();
    }
    let output = run(&["check", "--format", "json", "."], root);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut paths: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            "./Dockerfile",
            "./services/Containerfile",
            "./services/Dockerfile.dev",
            "./services/api/api.Dockerfile"
        ]
    );
}

#[test]
fn usage_and_io_errors_exit_2_with_a_message() {
    let directory = tempfile::tempdir().unwrap();
    let output = run(&["check", "no/such/dir"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/dir"));
    let output = run(&["check", "--rule", "Nope=error", "."], directory.path());
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["rule", "Nope"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["check", "--format", "yaml"], directory.path());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn non_utf8_files_and_stdin_are_checked() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("Dockerfile"),
        b"FROM registry.example/base:1.0\nLABEL x=\xff\xfe\nMAINTAINER me\n",
    )
    .unwrap();
    let output = run(&["check", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("Dockerfile:3:1: warning[MaintainerDeprecated]"));
    let output = run_cli_with_stdin(
        &["check", "-"],
        b"FROM registry.example/base:1.0\nCOPPY x y\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("-:2:1: error[UnknownInstruction]"));
}

#[test]
fn fix_writes_safe_fixes_keeping_line_endings_and_diff_only_shows_them() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("Dockerfile");
    let original = "FROM registry.example/base:1.0\r\nMAINTAINER me\r\nCOPPY x y\r\n";
    std::fs::write(&path, original).unwrap();
    let output = run(&["check", "--diff", "Dockerfile"], directory.path());
    let diff = stdout(&output);
    assert!(diff.contains("-MAINTAINER me"), "{diff}");
    assert!(
        diff.contains("+LABEL org.opencontainers.image.authors=\"me\""),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "--diff must not write"
    );
    let output = run(&["check", "--fix", "Dockerfile"], directory.path());
    // The unsafe typo fix is not applied, so an error remains.
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "FROM registry.example/base:1.0\r\nLABEL org.opencontainers.image.authors=\"me\"\r\nCOPPY x y\r\n"
    );
    // Nothing left to fix: the file is not rewritten.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    run(&["check", "--fix", "Dockerfile"], directory.path());
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn rules_and_rule_documentation() {
    let directory = tempfile::tempdir().unwrap();
    let output = run(&["rules"], directory.path());
    assert!(stdout(&output).contains("MaintainerDeprecated"));
    let output = run(&["rule", "dl4000"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("# MaintainerDeprecated (hadolint: DL4000)"));
    assert!(text.contains("## What it does") && text.contains("## Use instead"));
    let output = run(&["--version"], directory.path());
    assert!(stdout(&output).starts_with("dockerfile-ls "));
}

#[test]
fn the_generated_rule_reference_is_in_sync() {
    let expected = dockerfile_ls::cli::rules_markdown();
    let path = dockerfile_ls_tests::workspace().join("docs/rules.md");
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}
