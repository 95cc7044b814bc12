//! Configuration files as `dockerfile-ls check` reads them, with the real binary in real
//! directory trees: discovery up the tree, per-path overrides, `.hadolint.yaml`, `--config`,
//! `--isolated`, broken files, and `rules --explain-config`.

use std::path::PathBuf;
use std::process::Output;

use dockerfile_ls_tests::binary;

/// A repository on disk (with `.git`) and an empty home directory, so no user-level hadolint
/// file of the machine running the tests takes part.
struct Workspace {
    root: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.path().join("home")).unwrap();
        Workspace { root }
    }

    fn repo(&self) -> PathBuf {
        self.root.path().join("repo")
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// Writes `text` at `relative`, below the repository.
    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.repo().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Runs the binary in `directory` (relative to the repository).
    fn run(&self, directory: &str, args: &[&str]) -> Output {
        std::process::Command::new(binary())
            .args(args)
            .current_dir(self.repo().join(directory))
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .output()
            .expect("the binary runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The rules that fired, per `path:line`, from the text output.
fn findings(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| {
            let (place, rest) = line.split_once(": ")?;
            let rule = rest.split_once('[')?.1.split_once(']')?.0;
            let mut place = place.rsplitn(3, ':');
            let _column = place.next()?;
            let line = place.next()?;
            let path = place.next()?.trim_start_matches("./");
            Some(format!("{path}:{line} {rule}"))
        })
        .collect()
}

const MANY: &str = "FROM ubuntu\nMAINTAINER me\nRUN a\nRUN b\n";

#[test]
fn the_project_file_is_found_up_the_tree_and_not_past_the_repository() {
    let workspace = Workspace::new();
    // Above the repository: must not count.
    std::fs::write(
        workspace.root.path().join("dockerfile-ls.toml"),
        "ignore = [\"ImageTagMissing\"]\n",
    )
    .unwrap();
    workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    workspace.write("services/api/deep/Dockerfile", MANY);
    let output = workspace.run("services/api", &["check", "."]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        [
            "deep/Dockerfile:1 ImageTagMissing",
            "deep/Dockerfile:4 ConsecutiveRunInstructions"
        ]
    );
    // From the repository's root, and naming the file, the same.
    let output = workspace.run("", &["check", "services/api/deep/Dockerfile"]);
    assert_eq!(findings(&output).len(), 2, "{}", stdout(&output));
    // Without a file in the repository, the one above it still does not count.
    std::fs::remove_file(workspace.repo().join("dockerfile-ls.toml")).unwrap();
    let output = workspace.run("services/api", &["check", "."]);
    assert_eq!(
        findings(&output),
        [
            "deep/Dockerfile:1 ImageTagMissing",
            "deep/Dockerfile:2 MaintainerDeprecated",
            "deep/Dockerfile:4 ConsecutiveRunInstructions"
        ]
    );
}

#[test]
fn overrides_apply_to_the_paths_their_globs_match() {
    let workspace = Workspace::new();
    workspace.write(
        "dockerfile-ls.toml",
        "ignore = [\"ConsecutiveRunInstructions\"]\n\n[[overrides]]\nfiles = [\"legacy/**\"]\nignore = [\"MaintainerDeprecated\"]\n\n[[overrides]]\nfiles = [\"Dockerfile.dev\"]\n[overrides.rules]\nImageTagMissing = \"off\"\nConsecutiveRunInstructions = \"hint\"\n",
    );
    workspace.write("app/Dockerfile", MANY);
    workspace.write("legacy/old/Dockerfile", MANY);
    workspace.write("tools/Dockerfile.dev", MANY);
    let output = workspace.run("", &["check", "--fail-level", "none", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        findings(&output),
        [
            "app/Dockerfile:1 ImageTagMissing",
            "app/Dockerfile:2 MaintainerDeprecated",
            "legacy/old/Dockerfile:1 ImageTagMissing",
            "tools/Dockerfile.dev:2 MaintainerDeprecated",
            "tools/Dockerfile.dev:4 ConsecutiveRunInstructions",
        ]
    );
    assert!(stdout(&output).contains("tools/Dockerfile.dev:4:1: hint[ConsecutiveRunInstructions]"));
}

#[test]
fn hadolint_configuration_is_honoured() {
    let workspace = Workspace::new();
    workspace.write(
        ".hadolint.yaml",
        "ignored:\n  - DL3059\noverride:\n  error:\n    - DL4000\n  style:\n    - DL3006\ntrustedRegistries:\n  - docker.io\n  - my-company.com:5000\nfailure-threshold: error\n",
    );
    workspace.write("Dockerfile", MANY);
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(
        findings(&output),
        [
            "Dockerfile:1 ImageTagMissing",
            "Dockerfile:2 MaintainerDeprecated"
        ]
    );
    let text = stdout(&output);
    assert!(
        text.contains("Dockerfile:1:6: hint[ImageTagMissing]"),
        "{text}"
    );
    assert!(
        text.contains("Dockerfile:2:1: error[MaintainerDeprecated]"),
        "{text}"
    );
    // failure-threshold: error, and an error remains.
    assert_eq!(output.status.code(), Some(1));
    // Without the error, the style finding alone does not fail the run.
    workspace.write("Dockerfile", "FROM ubuntu\n");
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(findings(&output), ["Dockerfile:1 ImageTagMissing"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    // The command line's --fail-level wins over the file's threshold.
    let output = workspace.run("", &["check", "--fail-level", "hint", "Dockerfile"]);
    assert_eq!(output.status.code(), Some(1));
    // The trusted registries are read and passed on (no rule reads them yet).
    let output = workspace.run("", &["rules", "--explain-config", "Dockerfile"]);
    let text = stdout(&output);
    assert!(
        text.contains("trusted registries: docker.io, my-company.com:5000"),
        "{text}"
    );
    assert!(text.contains("(hadolint)"), "{text}");
    assert!(text.contains("fail level: error"), "{text}");
}

#[test]
fn our_file_wins_over_hadolints_in_the_same_directory() {
    let workspace = Workspace::new();
    workspace.write(".hadolint.yaml", "ignored: [DL3006]\n");
    workspace.write(".dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    workspace.write("Dockerfile", "FROM ubuntu\nMAINTAINER me\n");
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(findings(&output), ["Dockerfile:1 ImageTagMissing"]);
}

#[test]
fn unsupported_hadolint_keys_are_named_in_a_warning() {
    let workspace = Workspace::new();
    workspace.write(
        ".hadolint.yml",
        "format: json\nignored: [DL4000]\nsomething-new: true\nno-color: true\n",
    );
    workspace.write("Dockerfile", "FROM scratch\nMAINTAINER me\n");
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(findings(&output).is_empty());
    let warnings = stderr(&output);
    assert!(
        warnings.contains(".hadolint.yml:1: `format` is not read"),
        "{warnings}"
    );
    assert!(
        warnings.contains(".hadolint.yml:3: unsupported key `something-new` ignored"),
        "{warnings}"
    );
    assert!(!warnings.contains("no-color"), "{warnings}");
    // Once per configuration file, however many files it serves.
    workspace.write("b/Dockerfile", "FROM scratch\n");
    let output = workspace.run("", &["check", "."]);
    assert_eq!(stderr(&output).matches("something-new").count(), 1);
}

#[test]
fn a_broken_configuration_stops_the_run_naming_the_file_and_line() {
    let workspace = Workspace::new();
    workspace.write(
        "dockerfile-ls.toml",
        "ignore = [\"DL4000\"]\n\n[rules]\nDL3006 = \"loud\"\n",
    );
    workspace.write("Dockerfile", MANY);
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "", "nothing is linted");
    let message = stderr(&output);
    assert!(message.starts_with("dockerfile-ls.toml:4: "), "{message}");
    assert!(message.contains("unknown variant `loud`"), "{message}");
    // Broken YAML, named relative to where the command runs.
    std::fs::remove_file(workspace.repo().join("dockerfile-ls.toml")).unwrap();
    workspace.write("sub/.hadolint.yaml", "ignored:\n  - DL3006\n  - [nested]\n");
    workspace.write("sub/Dockerfile", MANY);
    let output = workspace.run("", &["check", "sub"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("sub/.hadolint.yaml:3: "),
        "{}",
        stderr(&output)
    );
    // --isolated does not read it.
    let output = workspace.run("", &["check", "--isolated", "sub"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn an_explicit_file_replaces_discovery_and_isolated_reads_none() {
    let workspace = Workspace::new();
    workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    workspace.write("ci/lint.yaml", "ignored: [DL3006, DL3059]\n");
    workspace.write("Dockerfile", MANY);
    let output = workspace.run("", &["check", "--config", "ci/lint.yaml", "Dockerfile"]);
    assert_eq!(findings(&output), ["Dockerfile:2 MaintainerDeprecated"]);
    let output = workspace.run("", &["check", "--isolated", "Dockerfile"]);
    assert_eq!(findings(&output).len(), 3, "{}", stdout(&output));
    let output = workspace.run("", &["check", "--config", "missing.toml", "Dockerfile"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing.toml: no such configuration file"));
    let output = workspace.run(
        "",
        &["check", "--config", "a.toml", "--isolated", "Dockerfile"],
    );
    assert_eq!(output.status.code(), Some(2), "clap refuses the pair");
}

#[test]
fn flags_apply_on_top_of_the_file() {
    let workspace = Workspace::new();
    workspace.write(
        "dockerfile-ls.toml",
        "ignore = [\"DL4000\", \"ConsecutiveRunInstructions\"]\nfail-level = \"error\"\n",
    );
    workspace.write("Dockerfile", MANY);
    // The file's fail level: warnings do not fail.
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(output.status.code(), Some(0));
    // A level on the command line turns back on what the file ignores.
    let output = workspace.run("", &["check", "--rule", "DL4000=info", "Dockerfile"]);
    assert_eq!(
        findings(&output),
        [
            "Dockerfile:1 ImageTagMissing",
            "Dockerfile:2 MaintainerDeprecated"
        ]
    );
    let output = workspace.run("", &["check", "--ignore", "DL3006", "Dockerfile"]);
    assert!(findings(&output).is_empty());
}

#[test]
fn hadolints_user_level_file_counts_when_the_project_has_none() {
    let workspace = Workspace::new();
    let user = workspace.home().join(".config/hadolint.yaml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, "ignored: [DL4000]\n").unwrap();
    workspace.write("Dockerfile", "FROM scratch\nMAINTAINER me\n");
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert!(findings(&output).is_empty(), "{}", stdout(&output));
    // A project file wins.
    workspace.write(".hadolint.yaml", "ignored: []\n");
    let output = workspace.run("", &["check", "Dockerfile"]);
    assert_eq!(findings(&output), ["Dockerfile:2 MaintainerDeprecated"]);
}

#[test]
fn pragmas_can_be_disabled_and_stage_ignores_work() {
    let workspace = Workspace::new();
    let text = "FROM alpine:3.21 AS build\n# hadolint ignore=DL4000\nMAINTAINER a\n\n# hadolint stage ignore=DL4000\nFROM alpine:3.21\nMAINTAINER b\nCOPY --from=build /a /a\n";
    workspace.write("Dockerfile", text);
    let output = workspace.run(
        "",
        &["check", "--rule", "BaseImageEndOfLife=off", "Dockerfile"],
    );
    assert!(findings(&output).is_empty(), "{}", stdout(&output));
    workspace.write(".hadolint.yaml", "disable-ignore-pragma: true\n");
    let output = workspace.run(
        "",
        &["check", "--rule", "BaseImageEndOfLife=off", "Dockerfile"],
    );
    assert_eq!(
        findings(&output),
        [
            "Dockerfile:3 MaintainerDeprecated",
            "Dockerfile:7 MaintainerDeprecated"
        ]
    );
}

#[test]
fn explain_config_marks_the_rules_the_configuration_turns_off() {
    let workspace = Workspace::new();
    workspace.write(
        "dockerfile-ls.toml",
        "ignore = [\"DL3005\"]\n[[overrides]]\nfiles = [\"legacy/**\"]\n[overrides.rules]\nMaintainerDeprecated = \"off\"\n",
    );
    let output = workspace.run("", &["rules", "--explain-config", "legacy/Dockerfile"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("override 1: files legacy/**"), "{text}");
    assert!(
        text.contains("DL3005 (a hadolint check not implemented here)"),
        "{text}"
    );
    let state = |rule: &str| -> Vec<String> {
        text.lines()
            .find(|line| line.split_whitespace().nth(2) == Some(rule))
            .unwrap_or_else(|| panic!("{rule}: {text}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(state("MaintainerDeprecated")[0], "off");
    assert_eq!(state("ImageTagMissing")[0], "on");
    let output = workspace.run("", &["rules", "--explain-config", "app/Dockerfile"]);
    assert!(!stdout(&output).contains("override 1"));
}
