//! `dockerfile-ls check` and the build context, with the real binary in real directory trees:
//! the Dockerfile's directory by default, a compose service's context, `build-context` in the
//! configuration, and `--context DIR` over all of them.

use std::path::{Path, PathBuf};
use std::process::Output;

use dockerfile_ls_tests::binary;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("repo/.git")).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    for (relative, text) in files {
        let path = root.path().join("repo").join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn run(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(binary())
        .args(args)
        .current_dir(root.join("repo"))
        .env("HOME", root.join("home"))
        .env("XDG_CONFIG_HOME", root.join("home/.config"))
        .output()
        .expect("the binary runs")
}

/// The context findings as (rule, message) from the JSON report.
fn context_findings(output: &Output) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| file["diagnostics"].as_array().unwrap().clone())
        .filter_map(|finding| {
            let rule = finding["rule"]
                .as_str()
                .or_else(|| finding["code"].as_str())?
                .to_string();
            let wanted = matches!(
                rule.as_str(),
                "CopyIgnoredFile" | "CopySourceNotFound" | "UnusedStage"
            );
            wanted.then(|| (rule, finding["message"].as_str().unwrap().to_string()))
        })
        .collect()
}

const DOCKERFILE: &str = "FROM alpine AS test\nFROM alpine\nCOPY src/main.go app.env /app/\n";

fn check(root: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--fail-level",
        "none",
        "app/Dockerfile",
    ];
    args.extend_from_slice(extra);
    context_findings(&run(root, &args))
}

fn repo(root: &Path) -> PathBuf {
    root.join("repo")
}

#[test]
fn the_dockerfile_s_directory_by_default() {
    let root = tree(&[
        ("app/Dockerfile", DOCKERFILE),
        ("app/src/main.go", "package main"),
        ("app/app.env", "X=1"),
        ("app/.dockerignore", "*.env\n"),
    ]);
    let found = check(root.path(), &[]);
    let rules: Vec<&str> = found.iter().map(|(rule, _)| rule.as_str()).collect();
    assert_eq!(rules, vec!["UnusedStage", "CopyIgnoredFile"], "{found:?}");
}

#[test]
fn a_compose_build_gives_the_context_and_the_target() {
    let root = tree(&[
        ("app/Dockerfile", DOCKERFILE),
        ("src/main.go", "package main"),
        (
            "compose.yaml",
            "services:\n  app:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n      target: test\n",
        ),
    ]);
    let found = check(root.path(), &[]);
    // `test` is built by compose; the context is the repository, which has src/ but no app.env.
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, message) = &found[0];
    assert_eq!(rule, "CopySourceNotFound");
    assert!(
        message.contains(&format!("`{}`", repo(root.path()).display()))
            && message.contains("compose.yaml service `app`"),
        "{message}"
    );
}

#[test]
fn the_configuration_and_the_command_line_set_the_context() {
    let root = tree(&[
        ("app/Dockerfile", DOCKERFILE),
        ("ctx/src/main.go", "package main"),
        ("ctx/app.env", "X=1"),
        ("other/app.env", "X=1"),
        (
            "dockerfile-ls.toml",
            "target-stages = [\"test\"]\nbuild-context = \"ctx\"\n",
        ),
    ]);
    assert!(check(root.path(), &[]).is_empty());
    // --context wins over the configuration.
    let found = check(root.path(), &["--context", "other"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("`src/main.go` is not in the build context")
            && found[0].1.contains("(set by --context)"),
        "{}",
        found[0].1
    );
    // A directory that is not there is a usage error.
    let output = run(
        root.path(),
        &["check", "--context", "nope", "app/Dockerfile"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--context nope: not a directory"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn standard_input_has_no_context() {
    use std::io::Write;
    let root = tree(&[]);
    let mut child = std::process::Command::new(binary())
        .args(["check", "--format", "json", "--fail-level", "none", "-"])
        .current_dir(repo(root.path()))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM alpine\nCOPY nothing /x\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(context_findings(&output).is_empty());
}
