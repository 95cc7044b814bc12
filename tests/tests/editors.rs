//! The editor packages in `editors/`, each proven in the real editor: Neovim 0.11 (headless),
//! Helix 25.01 (in tmux) and VS Code (code-server in headless Chromium) drive the built server
//! through the shipped configuration, and the VS Code extension's settings stay in step with the
//! server's. The editors come from `.ci/install-editors`; when one is missing the test fails and
//! says so, it never skips.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use dockerfile_ls::lsp::settings;
use dockerfile_ls_tests::{binary, workspace};
use serde_json::Value;

/// The editors run one at a time: CI has two cores, and a browser, an editor server and a
/// language server already share them.
static ONE_EDITOR_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Waits until no other editor runs (a failed test before does not stop the others).
fn my_turn() -> MutexGuard<'static, ()> {
    ONE_EDITOR_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Settings of the VS Code extension that are for the client, not the server.
const CLIENT_SETTINGS: &[&str] = &["server.path", "trace.server"];

/// Where `.ci/install-editors` puts the editors.
fn editors_prefix() -> PathBuf {
    std::env::var_os("DOCKERFILE_LS_EDITORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/dockerfile-ls-editors"))
}

/// `path`, which must exist; otherwise the test fails with what to run.
fn installed(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is not installed ({} is missing): run .ci/install-editors",
        path.display()
    );
    path
}

fn on_path(program: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|directory| directory.join(program))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| panic!("{program} is not on PATH: run .ci/install-editors"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

/// Runs a harness to its end (killing it after `limit`), and fails the test with its output unless
/// it exited 0. Returns its standard output.
fn run(what: &str, command: &mut Command, limit: Duration) -> String {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{what}: cannot start {command:?}: {error}"));
    // Read both pipes on threads, so a chatty harness never blocks on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let seconds = started.elapsed().as_secs_f64();
    match status {
        Some(status) if status.success() => {
            eprintln!("{what}: passed in {seconds:.1} s\n{stderr}");
            stdout
        }
        Some(status) => panic!(
            "{what} failed ({status}) after {seconds:.1} s\n--- stderr\n{stderr}\n--- stdout\n{stdout}"
        ),
        None => panic!(
            "{what} did not finish within {limit:?}\n--- stderr\n{stderr}\n--- stdout\n{stdout}"
        ),
    }
}

fn neovim(mode: &str) {
    let nvim = installed(editors_prefix().join("bin/nvim"), "Neovim 0.11");
    let server = binary();
    let _turn = my_turn();
    run(
        &format!("Neovim ({mode})"),
        Command::new("bash")
            .arg(workspace().join("editors/neovim/test/run"))
            .arg(mode)
            .env("NVIM", nvim)
            .env("DOCKERFILE_LS", server),
        Duration::from_secs(180),
    );
}

/// `vim.lsp.enable('dockerfile_ls')` with the shipped lsp/dockerfile_ls.lua and settings.
#[test]
fn neovim_with_vim_lsp_enable() {
    neovim("enable");
}

/// The README's `vim.lsp.start` block for Neovim 0.8 to 0.10, run as it stands.
#[test]
fn neovim_with_the_readme_vim_lsp_start() {
    neovim("readme");
}

#[test]
fn helix() {
    let hx = installed(editors_prefix().join("bin/hx"), "Helix 25.01");
    on_path("tmux");
    let python = on_path("python3");
    let server = binary();
    let _turn = my_turn();
    run(
        "Helix",
        Command::new(python)
            .arg(workspace().join("editors/helix/test/test_helix.py"))
            .env("HX", hx)
            .env("DOCKERFILE_LS", server),
        Duration::from_secs(180),
    );
}

fn vscode_extension_dir() -> PathBuf {
    let extension = workspace().join("editors/vscode");
    installed(
        extension.join("node_modules/.bin/vsce"),
        "The VS Code extension's npm packages",
    );
    extension
}

fn npm(extension: &Path, what: &str, script: &str) -> String {
    run(
        what,
        Command::new(on_path("npm"))
            .args(["run", "--silent", script])
            .current_dir(extension),
        Duration::from_secs(300),
    )
}

/// The extension's server lookup: the setting, then the bundled binary, then PATH.
#[test]
fn vscode_extension_finds_the_server() {
    let extension = vscode_extension_dir();
    npm(&extension, "the extension's unit tests", "test:unit");
}

/// The built .vsix in real VS Code: the error for a wrong server path and its fix in the Settings
/// editor, the Problems panel, the hover widget, the Quick Fix, the saved file, fix all on save, the restart
/// command and the trace. Screenshots and logs stay in target/editors/vscode.
#[test]
fn vscode() {
    let code_server = installed(
        editors_prefix().join("bin/code-server"),
        "code-server (VS Code)",
    );
    let chromium = on_path("chromium");
    let extension = vscode_extension_dir();
    let server = binary();
    let out = target_dir().join("editors/vscode");
    std::fs::remove_dir_all(&out).ok();
    std::fs::create_dir_all(&out).expect("output folder");
    let _turn = my_turn();
    npm(&extension, "packaging the extension", "package");
    let vsix = installed(
        extension.join("dist/dockerfile-ls.vsix"),
        "the packaged .vsix",
    );
    run(
        "VS Code",
        Command::new(on_path("node"))
            .arg(extension.join("test/e2e.mjs"))
            .arg("--out")
            .arg(&out)
            .env("CODE_SERVER", code_server)
            .env("CHROMIUM", chromium)
            .env("VSIX", vsix)
            .env("DOCKERFILE_LS", server),
        Duration::from_secs(420),
    );
    assert!(
        out.join("5-quick-fix.png").is_file(),
        "no screenshot in {}",
        out.display()
    );
}

/// `contributes.configuration` of the extension mirrors the server's settings one to one, and
/// the other editors' docs name every one of them.
#[test]
fn editor_settings_follow_the_server() {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("editors/vscode/package.json"))
            .expect("editors/vscode/package.json"),
    )
    .expect("package.json is JSON");
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("contributes.configuration.properties");
    let prefix = format!("{}.", settings::SECTION);
    let mut mirrored = BTreeSet::new();
    for key in properties.keys() {
        let name = key
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{key} is outside the {} section", settings::SECTION));
        if !CLIENT_SETTINGS.contains(&name) {
            mirrored.insert(name.to_string());
        }
    }
    let server: BTreeSet<String> = settings::KEYS.iter().map(|key| key.to_string()).collect();
    assert_eq!(
        mirrored, server,
        "editors/vscode/package.json contributes.configuration (left) must mirror the server's \
         settings (lsp/settings.rs KEYS, right)"
    );
    for client in CLIENT_SETTINGS {
        assert!(
            properties.contains_key(&format!("{prefix}{client}")),
            "{prefix}{client} is missing"
        );
    }
    // The extension sends exactly these keys to the server.
    let source = std::fs::read_to_string(workspace().join("editors/vscode/src/extension.ts"))
        .expect("extension.ts");
    for key in settings::KEYS {
        assert!(
            source.contains(&format!("{key}: configuration.get('{key}'")),
            "editors/vscode/src/extension.ts does not pass {key} to the server"
        );
        for doc in [
            "editors/neovim/README.md",
            "editors/neovim/lsp/dockerfile_ls.lua",
            "editors/helix/languages.toml",
        ] {
            let text = std::fs::read_to_string(workspace().join(doc)).expect(doc);
            assert!(
                text.contains(key),
                "{doc} does not mention the setting {key}"
            );
        }
    }
}
