//! The command line, run as a user would: output formats, exit codes, discovery, fixes.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use dockerfile_ls_tests::{binary, run_cli as run, run_cli_with_stdin};
use serde_json::Value;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A directory holding `files` (name, contents).
fn directory_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = directory.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    directory
}

fn read(directory: &Path, name: &str) -> Vec<u8> {
    std::fs::read(directory.join(name)).unwrap()
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
    // The finding names no particular one of the rule's two codes.
    assert_eq!(diagnostic["code"], Value::Null);
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
    // Said once, naming the path (it used to repeat itself: "no such file or directory: No
    // such file or directory (os error 2)").
    assert_eq!(
        stderr(&output),
        "dockerfile-ls: no/such/dir: no such file or directory\n"
    );
    for command in [
        &["format", "no/such/dir"][..],
        &["format", "--check", "no/such/dir"],
    ] {
        let output = run(command, directory.path());
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&output).starts_with("dockerfile-ls: no/such/dir: no such file or directory\n"),
            "{command:?}: {}",
            stderr(&output)
        );
    }
    let output = run(&["parse", "--json", "nope"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "dockerfile-ls: cannot read nope: no such file or directory\n"
    );
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
        b"FROM registry.example/base:1.0\nCOPPY x /y\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("-:2:1: error[UnknownInstruction]"));
}

#[test]
fn fix_writes_safe_fixes_keeping_line_endings_and_diff_only_shows_them() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("Dockerfile");
    let original = "FROM registry.example/base:1.0\r\nMAINTAINER me\r\nCOPPY x /y\r\n";
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
        "FROM registry.example/base:1.0\r\nLABEL org.opencontainers.image.authors=\"me\"\r\nCOPPY x /y\r\n"
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

const CLEAN_ME: &[u8] = b"FROM registry.example/base:1.0\nMAINTAINER me\n";
const WITH_TYPO: &[u8] = b"FROM registry.example/base:1.0\nMAINTAINER me\nCOPPY x /y\n";
const LABEL: &[u8] =
    b"FROM registry.example/base:1.0\nLABEL org.opencontainers.image.authors=\"me\"\n";

#[test]
fn fix_reports_what_it_fixed_and_what_remains_and_holds_back_unsafe_fixes() {
    // `x`, which the fixed COPY reads, is in the build context (else CopySourceNotFound remains).
    let directory = directory_with(&[
        ("a/Dockerfile", CLEAN_ME),
        ("b/Dockerfile", WITH_TYPO),
        ("b/x", b""),
    ]);
    let root = directory.path();
    let output = run(&["check", "--fix", "."], root);
    assert_eq!(
        stderr(&output),
        "Fixed 2 findings in 2 files; 1 remains (1 of them has unsafe fixes: --unsafe-fixes applies them)\n"
    );
    // The typo's fix is unsafe: its error remains.
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("./b/Dockerfile:3:1: error[UnknownInstruction]"));
    assert_eq!(read(root, "a/Dockerfile"), LABEL);
    let output = run(&["check", "--fix", "--unsafe-fixes", "."], root);
    assert_eq!(stderr(&output), "Fixed 1 finding in 1 file; none remain\n");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        read(root, "b/Dockerfile"),
        b"FROM registry.example/base:1.0\nLABEL org.opencontainers.image.authors=\"me\"\nCOPY x /y\n"
    );
}

#[test]
fn diff_shows_what_fix_would_do_and_says_so_on_stderr() {
    let directory = directory_with(&[("Dockerfile", WITH_TYPO), ("x", b"")]);
    let root = directory.path();
    let output = run(&["check", "--diff", "Dockerfile"], root);
    assert_eq!(
        stderr(&output),
        "Would fix 1 finding in 1 file; 1 would remain (1 of them has unsafe fixes: --unsafe-fixes applies them)\n"
    );
    assert!(stdout(&output).contains("+LABEL org.opencontainers.image.authors=\"me\""));
    assert!(!stdout(&output).contains("+COPY"));
    let output = run(&["check", "--diff", "--unsafe-fixes", "Dockerfile"], root);
    assert!(stdout(&output).contains("-COPPY x /y\n"));
    assert!(stdout(&output).contains("+COPY x /y\n"));
    assert_eq!(
        stderr(&output),
        "Would fix 2 findings in 1 file; none would remain\n"
    );
    // Nothing is written, and the file's own findings decide the exit status.
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(read(root, "Dockerfile"), WITH_TYPO);
}

#[test]
fn fix_writes_back_every_byte_it_did_not_edit() {
    // CRLF, a Latin-1 byte in a LABEL no fix touches, another in the MAINTAINER the fix
    // rewrites, and a stray continuation byte in a last line without a line break.
    let original: &[u8] = b"FROM registry.example/base:1.0\r\nLABEL description=\"caf\xe9\"\r\nMAINTAINER Jos\xe9\r\nRUN true\r\n# \x80";
    let expected: &[u8] = b"FROM registry.example/base:1.0\r\nLABEL description=\"caf\xe9\"\r\nLABEL org.opencontainers.image.authors=\"Jos\xe9\"\r\nRUN true\r\n# \x80";
    let directory = directory_with(&[("Dockerfile", original)]);
    let root = directory.path();
    // What the user is shown has U+FFFD for the bad bytes, in the line and in the fix.
    let output = run(&["check", "Dockerfile"], root);
    assert!(
        stdout(&output).contains(" 3 | MAINTAINER Jos\u{fffd}\n"),
        "{}",
        stdout(&output)
    );
    let output = run(&["check", "--format", "json", "Dockerfile"], root);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["files"][0]["diagnostics"][0]["fixes"][0]["edits"][0]["newText"],
        "LABEL org.opencontainers.image.authors=\"Jos\u{fffd}\""
    );
    // The diff carries the bytes as they are, so it applies to the file.
    let output = run(&["check", "--diff", "Dockerfile"], root);
    let diff = output.stdout;
    assert!(
        diff.windows(17)
            .any(|window| window == b"-MAINTAINER Jos\xe9\r"),
        "{}",
        String::from_utf8_lossy(&diff)
    );
    let output = run(&["check", "--fix", "Dockerfile"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(root, "Dockerfile"), expected);
    // Standard input too.
    let output = run_cli_with_stdin(&["check", "--fix", "-"], original);
    assert_eq!(output.stdout, expected);
}

#[test]
fn a_file_whose_bytes_could_not_be_written_back_exactly_is_not_fixed() {
    // Not UTF-8, and already holding U+EF80, the character that stands for byte 0x80.
    let original: &[u8] = b"FROM registry.example/base:1.0\nMAINTAINER \xee\xbe\x80 \xff\n";
    let directory = directory_with(&[("Dockerfile", original)]);
    let output = run(&["check", "--fix", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "dockerfile-ls: Dockerfile: not fixed: the file is not valid UTF-8 and already holds"
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(read(directory.path(), "Dockerfile"), original);
}

#[test]
fn fixing_standard_input_prints_the_file_even_when_nothing_changes() {
    let output = run_cli_with_stdin(&["check", "--fix", "-"], LABEL);
    assert_eq!(output.stdout, LABEL);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "Fixed 0 findings in 0 files; none remain\n"
    );
}

#[test]
fn a_directory_without_dockerfiles_is_an_error() {
    let directory = directory_with(&[("README.md", b"# not a Dockerfile\n")]);
    let root = directory.path();
    for command in [&["check"][..], &["check", "."], &["format", "."]] {
        let output = run(command, root);
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&output).starts_with("dockerfile-ls: no Dockerfile found in ."),
            "{command:?}: {}",
            stderr(&output)
        );
    }
    // Other paths are still checked, and the exit status says one was wrong.
    std::fs::create_dir(root.join("app")).unwrap();
    std::fs::write(root.join("app/Dockerfile"), CLEAN_ME).unwrap();
    std::fs::create_dir(root.join("empty")).unwrap();
    let output = run(&["check", "app", "empty"], root);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("app/Dockerfile:2:1: warning[MaintainerDeprecated]"));
}

#[test]
fn flags_that_do_not_go_together_are_refused() {
    let directory = directory_with(&[("Dockerfile", CLEAN_ME)]);
    let root = directory.path();
    let cases: [(&[&str], &str); 4] = [
        (&["check", "--fix", "--diff"], "cannot be used with"),
        (
            &["check", "--diff", "--format", "json"],
            "dockerfile-ls: --diff prints a unified diff, not a report: it cannot be combined with --format json\n",
        ),
        (
            &["check", "--unsafe-fixes"],
            "dockerfile-ls: --unsafe-fixes applies fixes: use it with --fix or --diff\n",
        ),
        (
            &["check", "--fix", "--format", "json", "-"],
            "dockerfile-ls: --fix on standard input prints the fixed file: it cannot be combined with --format json\n",
        ),
    ];
    for (arguments, message) in cases {
        let output = run(arguments, root);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        assert!(
            stderr(&output).contains(message),
            "{arguments:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{arguments:?}");
    }
    assert_eq!(read(root, "Dockerfile"), CLEAN_ME);
}

/// Runs the binary with its standard output a pipe nobody reads any more.
fn run_into_closed_pipe(arguments: &[&str], directory: &Path, input: &[u8]) -> Output {
    use std::io::Write;
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(binary())
        .args(arguments)
        .current_dir(directory)
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that does not read its input may be gone before it is written.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let directory = directory_with(&[("Dockerfile", CLEAN_ME)]);
    let root = directory.path();
    // Each command finishes with the exit status it would have had, and says nothing.
    let cases: [(&[&str], i32); 6] = [
        (&["check", "Dockerfile"], 1),
        (&["rules"], 0),
        (&["rules", "--markdown"], 0),
        (&["rule", "DL4000"], 0),
        (&["parse", "--json", "Dockerfile"], 0),
        (&["format", "-"], 0),
    ];
    for (arguments, status) in cases {
        let output = run_into_closed_pipe(arguments, root, CLEAN_ME);
        assert_eq!(stderr(&output), "", "{arguments:?}");
        assert_eq!(output.status.code(), Some(status), "{arguments:?}");
    }
    // `--fix` still fixes the file when its report cannot be written.
    let output = run_into_closed_pipe(&["check", "--fix", "Dockerfile"], root, b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(root, "Dockerfile"), LABEL);
}

#[test]
fn check_piped_into_head_stops_quietly() {
    use std::io::BufRead;
    // Far more output than a pipe holds, so the check is still writing when `head` leaves.
    let mut text = b"FROM registry.example/base:1.0\n".to_vec();
    for _ in 0..5000 {
        text.extend_from_slice(b"MAINTAINER me\n");
    }
    let directory = directory_with(&[("Dockerfile", &text)]);
    let mut child = Command::new(binary())
        .args(["check", "."])
        .current_dir(directory.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("./Dockerfile:2:1: warning[MaintainerDeprecated]"));
    let output = child.wait_with_output().unwrap();
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn the_readme_installs_with_the_lock_file() {
    let readme =
        std::fs::read_to_string(dockerfile_ls_tests::workspace().join("README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --path server"));
    assert!(!readme.contains("cargo install --path"));
}
