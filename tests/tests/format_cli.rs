//! `dockerfile-ls format [--check] PATHS` as a user runs it: what it writes, what it prints and
//! its exit status.

use dockerfile_ls_tests::{run_cli as run, run_cli_with_stdin};

const MESSY: &str =
    "from alpine\nrun  apk add curl \\\n  && rm -rf /var/cache/apk/*  \n\n\n\nCMD [\"sh\"]";
const TIDY: &str =
    "FROM alpine\nRUN apk add curl \\\n    && rm -rf /var/cache/apk/*\n\nCMD [\"sh\"]\n";

#[test]
fn check_lists_what_would_change_and_writes_nothing() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("Dockerfile"), MESSY).unwrap();
    std::fs::write(directory.path().join("api.Dockerfile"), TIDY).unwrap();
    let output = run(&["format", "--check", "."], directory.path());
    assert_eq!(output.status.code(), Some(1));
    let listed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(listed.trim(), "would reformat ./Dockerfile");
    assert_eq!(
        std::fs::read_to_string(directory.path().join("Dockerfile")).unwrap(),
        MESSY
    );
}

#[test]
fn format_writes_the_files_and_a_second_run_finds_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("Dockerfile");
    std::fs::write(&path, MESSY).unwrap();
    let output = run(&["format", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TIDY);
    let output = run(&["format", "--check", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let output = run_cli_with_stdin(&["format", "-"], MESSY.as_bytes());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), TIDY);
}

#[test]
fn missing_and_undecodable_files_exit_with_2() {
    let directory = tempfile::tempdir().unwrap();
    let output = run(&["format", "missing/Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    std::fs::write(
        directory.path().join("Dockerfile"),
        b"FROM a\nRUN echo \xff\n",
    )
    .unwrap();
    let output = run(&["format", "Dockerfile"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not valid UTF-8"));
}
