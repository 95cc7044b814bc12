//! Configuration files in the server, over the protocol against a real workspace on disk:
//! discovery up the tree, per-path overrides, `.hadolint.yaml`, editor settings on top, file
//! watching registered at run time (a `didChangeWatchedFiles` round trip), re-reading on
//! save for clients that do not watch, and broken files reported without a crash.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dockerfile_ls_tests::{Client, neovim_like, push_utf16};
use serde_json::{Value, json};

/// A repository on disk.
struct Workspace {
    root: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".git")).unwrap();
        Workspace { root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn uri(&self, relative: &str) -> String {
        uri_of(&self.path(relative))
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .or_else(|| published["items"].as_array())
        .expect("a list")
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits until `uri`'s published findings are `expected` (rule names, in order); returns them.
async fn published(client: &mut Client, uri: &str, expected: &[&str]) -> Value {
    loop {
        let published = client.diagnostics(uri).await;
        if codes(&published) == expected {
            return published;
        }
    }
}

/// Client capabilities of an editor that watches files for its servers (VS Code, Neovim).
fn watching(mut capabilities: Value) -> Value {
    capabilities["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
    capabilities
}

async fn initialize_in(client: &mut Client, workspace: &Workspace, capabilities: Value) {
    let folder = uri_of(workspace.root.path());
    client
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "repo"}],
                "capabilities": capabilities
            }),
        )
        .await;
    client.notify("initialized", json!({})).await;
}

/// Tells the server a watched file changed (2), appeared (1) or went away (3).
async fn file_event(client: &mut Client, uri: &str, kind: u8) {
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri, "type": kind}]}),
        )
        .await;
}

const TEXT: &str = "FROM ubuntu\nMAINTAINER me\nRUN a\nRUN b\n";

#[tokio::test]
async fn discovery_overrides_and_editor_settings_on_top() {
    let workspace = Workspace::new();
    workspace.write(
        "dockerfile-ls.toml",
        "ignore = [\"DL4000\", \"DL3059\"]\n\n[[overrides]]\nfiles = [\"legacy/**\"]\n[overrides.rules]\nMaintainerDeprecated = \"error\"\nImageTagMissing = \"off\"\n",
    );
    let app = workspace.uri("services/app/deep/Dockerfile");
    let legacy = workspace.uri("legacy/Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, push_utf16()).await;
    client.open(&app, 1, TEXT).await;
    published(&mut client, &app, &["ImageTagMissing"]).await;
    client.open(&legacy, 1, TEXT).await;
    let found = published(&mut client, &legacy, &["MaintainerDeprecated"]).await;
    assert_eq!(
        found["diagnostics"][0]["severity"], 1,
        "the override's level"
    );
    // The editor's settings apply on top of the file: a level turns an ignored rule back on.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"dockerfileLs": {"rules": {"DL3059": "info"}, "ignore": ["ImageTagMissing"]}}}),
        )
        .await;
    published(&mut client, &app, &["ConsecutiveRunInstructions"]).await;
    published(
        &mut client,
        &legacy,
        &["MaintainerDeprecated", "ConsecutiveRunInstructions"],
    )
    .await;
    client.shutdown().await;
}

#[tokio::test]
async fn hadolint_configuration_in_the_editor() {
    let workspace = Workspace::new();
    workspace.write(
        ".hadolint.yaml",
        "ignored:\n  - DL3059\noverride:\n  style:\n    - DL4000\ntrustedRegistries: [docker.io]\nfailure-threshold: error\nformat: json\n",
    );
    let uri = workspace.uri("Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, push_utf16()).await;
    client.open(&uri, 1, TEXT).await;
    let found = published(
        &mut client,
        &uri,
        &["ImageTagMissing", "MaintainerDeprecated"],
    )
    .await;
    // style → hint (4).
    assert_eq!(found["diagnostics"][1]["severity"], 4);
    // The unsupported key is named in a warning, and on the file.
    let message = client
        .wait_for(|message| message["method"] == "window/showMessage")
        .await;
    assert_eq!(message["params"]["type"], 2);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains(".hadolint.yaml:8: `format` is not read"),
        "{message}"
    );
    let on_file = client.diagnostics(&workspace.uri(".hadolint.yaml")).await;
    assert_eq!(on_file["diagnostics"][0]["severity"], 2);
    assert_eq!(on_file["diagnostics"][0]["range"]["start"]["line"], 7);
    client.shutdown().await;
}

#[tokio::test]
async fn an_edited_configuration_applies_without_restart() {
    let workspace = Workspace::new();
    let config = workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    let uri = workspace.uri("app/Dockerfile");
    let other = workspace.uri("other/Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, watching(push_utf16())).await;
    // The server asks the client to watch the configuration files.
    let registration = client
        .wait_for(|message| message["method"] == "client/registerCapability")
        .await;
    let registration = &registration["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|watcher| watcher["globPattern"].as_str().unwrap())
        .collect();
    for name in [
        "dockerfile-ls.toml",
        ".dockerfile-ls.toml",
        ".hadolint.yaml",
        ".hadolint.yml",
    ] {
        assert!(globs.contains(&format!("**/{name}").as_str()), "{globs:?}");
    }
    client.open(&uri, 1, TEXT).await;
    published(
        &mut client,
        &uri,
        &["ImageTagMissing", "ConsecutiveRunInstructions"],
    )
    .await;
    // Edit the file on disk; the client tells the server.
    std::fs::write(&config, "ignore = [\"DL3059\"]\n").unwrap();
    file_event(&mut client, &uri_of(&config), 2).await;
    published(
        &mut client,
        &uri,
        &["ImageTagMissing", "MaintainerDeprecated"],
    )
    .await;
    // A nearer file appears: it wins for the documents below it.
    let nearer = workspace.write("app/.hadolint.yaml", "ignored: [DL3006]\n");
    file_event(&mut client, &uri_of(&nearer), 1).await;
    published(
        &mut client,
        &uri,
        &["MaintainerDeprecated", "ConsecutiveRunInstructions"],
    )
    .await;
    // A document the change does not govern is not published again.
    client.open(&other, 1, TEXT).await;
    published(
        &mut client,
        &other,
        &["ImageTagMissing", "MaintainerDeprecated"],
    )
    .await;
    std::fs::remove_file(&nearer).unwrap();
    file_event(&mut client, &uri_of(&nearer), 3).await;
    published(
        &mut client,
        &uri,
        &["ImageTagMissing", "MaintainerDeprecated"],
    )
    .await;
    let later = client.drain(Duration::from_millis(300)).await;
    assert!(
        !later
            .iter()
            .any(|message| message["params"]["uri"] == other.as_str()),
        "{later:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_broken_configuration_is_reported_once_and_the_last_good_one_holds() {
    let workspace = Workspace::new();
    let config = workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    let config_uri = uri_of(&config);
    let uri = workspace.uri("Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, watching(push_utf16())).await;
    client
        .wait_for(|message| message["method"] == "client/registerCapability")
        .await;
    client.open(&uri, 1, TEXT).await;
    published(
        &mut client,
        &uri,
        &["ImageTagMissing", "ConsecutiveRunInstructions"],
    )
    .await;
    // What the open started (a check of the loaded files) is over before the file is written:
    // a read racing with an in-place write could see a torn file.
    client.drain(Duration::from_millis(100)).await;
    std::fs::write(
        &config,
        "ignore = [\"DL4000\"]\n\n[rules]\nDL3006 = \"loud\"\n",
    )
    .unwrap();
    file_event(&mut client, &config_uri, 2).await;
    let message = client
        .wait_for(|message| message["method"] == "window/showMessage")
        .await;
    assert_eq!(message["params"]["type"], 1);
    let text = message["params"]["message"].as_str().unwrap();
    assert!(text.contains("dockerfile-ls.toml:4: "), "{text}");
    let on_file = client.diagnostics(&config_uri).await;
    assert_eq!(on_file["diagnostics"][0]["severity"], 1);
    assert_eq!(on_file["diagnostics"][0]["range"]["start"]["line"], 3);
    // The same broken state again: no second message; the document keeps the last good
    // configuration and is not even published again.
    std::fs::write(
        &config,
        "ignore = [\"DL4000\"]\n\n[rules]\nDL3006 = \"loud\"\n",
    )
    .unwrap();
    file_event(&mut client, &config_uri, 2).await;
    let quiet = client.drain(Duration::from_millis(300)).await;
    assert!(
        !quiet
            .iter()
            .any(|message| message["method"] == "window/showMessage"),
        "{quiet:?}"
    );
    assert!(
        !quiet
            .iter()
            .any(|message| message["params"]["uri"] == uri.as_str()),
        "the document's settings did not change: {quiet:?}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    assert!(hover["contents"].is_object(), "the server still answers");
    // Fixed: the file's diagnostics are cleared and the new configuration applies.
    std::fs::write(&config, "ignore = [\"DL3006\"]\n").unwrap();
    file_event(&mut client, &config_uri, 2).await;
    let cleared = client.diagnostics(&config_uri).await;
    assert_eq!(cleared["diagnostics"], json!([]));
    published(
        &mut client,
        &uri,
        &["MaintainerDeprecated", "ConsecutiveRunInstructions"],
    )
    .await;
    // Broken again: told again.
    std::fs::write(&config, "ignore = [\n").unwrap();
    file_event(&mut client, &config_uri, 2).await;
    let message = client
        .wait_for(|message| message["method"] == "window/showMessage")
        .await;
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("dockerfile-ls.toml:1: ")
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_document_opened_under_a_broken_file_gets_defaults_and_a_message() {
    let workspace = Workspace::new();
    workspace.write(".hadolint.yml", "ignored:\n  - [DL3006]\n");
    let uri = workspace.uri("Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, push_utf16()).await;
    client.open(&uri, 1, "FROM ubuntu\n").await;
    let message = client
        .wait_for(|message| message["method"] == "window/showMessage")
        .await;
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains(".hadolint.yml:2: ")
    );
    published(&mut client, &uri, &["ImageTagMissing"]).await;
    client.shutdown().await;
}

#[tokio::test]
async fn without_watching_a_save_reads_the_configuration_again() {
    let workspace = Workspace::new();
    let uri = workspace.uri("Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, push_utf16()).await;
    client.open(&uri, 1, TEXT).await;
    published(
        &mut client,
        &uri,
        &[
            "ImageTagMissing",
            "MaintainerDeprecated",
            "ConsecutiveRunInstructions",
        ],
    )
    .await;
    let early = client.drain(Duration::from_millis(100)).await;
    assert!(
        !early
            .iter()
            .any(|message| message["method"] == "client/registerCapability"),
        "a client without dynamic registration is not asked"
    );
    workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\", \"DL3059\"]\n");
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    published(&mut client, &uri, &["ImageTagMissing"]).await;
    client.shutdown().await;
}

#[tokio::test]
async fn multi_root_workspaces_use_the_nearest_file() {
    let root = tempfile::tempdir().unwrap();
    // No repository: each workspace folder ends the walk, so the file above both is not used.
    std::fs::write(
        root.path().join("dockerfile-ls.toml"),
        "ignore = [\"DL3006\"]\n",
    )
    .unwrap();
    let write = |relative: &str, text: &str| {
        let path = root.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    };
    write("one/dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    write("one/sub/.hadolint.yaml", "ignored: [DL3059]\n");
    write("two/README", "");
    let folder = |name: &str| uri_of(&root.path().join(name));
    let mut client = Client::in_process();
    client
        .request(
            "initialize",
            json!({"processId": null, "workspaceFolders": [
                {"uri": folder("one"), "name": "one"}, {"uri": folder("two"), "name": "two"}
            ], "capabilities": push_utf16()}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    let one = uri_of(&root.path().join("one/a/Dockerfile"));
    let sub = uri_of(&root.path().join("one/sub/Dockerfile"));
    let two = uri_of(&root.path().join("two/Dockerfile"));
    client.open(&one, 1, TEXT).await;
    client.open(&sub, 1, TEXT).await;
    client.open(&two, 1, TEXT).await;
    published(
        &mut client,
        &one,
        &["ImageTagMissing", "ConsecutiveRunInstructions"],
    )
    .await;
    published(
        &mut client,
        &sub,
        &["ImageTagMissing", "MaintainerDeprecated"],
    )
    .await;
    published(
        &mut client,
        &two,
        &[
            "ImageTagMissing",
            "MaintainerDeprecated",
            "ConsecutiveRunInstructions",
        ],
    )
    .await;
    client.shutdown().await;
}

#[tokio::test]
async fn pulled_results_change_only_for_documents_the_change_governs() {
    let workspace = Workspace::new();
    let config = workspace.write("a/dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    let a = workspace.uri("a/Dockerfile");
    let b = workspace.uri("b/Dockerfile");
    let mut capabilities = watching(neovim_like());
    capabilities["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, capabilities).await;
    client
        .wait_for(|message| message["method"] == "client/registerCapability")
        .await;
    client.open(&a, 1, TEXT).await;
    client.open(&b, 1, TEXT).await;
    let pull = |uri: &str, previous: Option<&str>| json!({"textDocument": {"uri": uri}, "previousResultId": previous});
    let first_a = client
        .request("textDocument/diagnostic", pull(&a, None))
        .await;
    let first_b = client
        .request("textDocument/diagnostic", pull(&b, None))
        .await;
    assert_eq!(
        codes(&first_a),
        ["ImageTagMissing", "ConsecutiveRunInstructions"]
    );
    std::fs::write(&config, "ignore = [\"DL3006\"]\n").unwrap();
    file_event(&mut client, &uri_of(&config), 2).await;
    client
        .wait_for(|message| message["method"] == "workspace/diagnostic/refresh")
        .await;
    let again_a = client
        .request(
            "textDocument/diagnostic",
            pull(&a, first_a["resultId"].as_str()),
        )
        .await;
    assert_eq!(again_a["kind"], "full");
    assert_eq!(
        codes(&again_a),
        ["MaintainerDeprecated", "ConsecutiveRunInstructions"]
    );
    let again_b = client
        .request(
            "textDocument/diagnostic",
            pull(&b, first_b["resultId"].as_str()),
        )
        .await;
    assert_eq!(again_b["kind"], "unchanged", "{again_b}");
    client.shutdown().await;
}

#[tokio::test]
async fn a_configuration_file_the_client_opens_is_not_linted_as_a_dockerfile() {
    let workspace = Workspace::new();
    workspace.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
    let config = workspace.uri("dockerfile-ls.toml");
    let uri = workspace.uri("Dockerfile");
    let mut client = Client::in_process();
    initialize_in(&mut client, &workspace, push_utf16()).await;
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": config, "languageId": "toml", "version": 1, "text": "ignore = [\"DL4000\"]\n"}}),
        )
        .await;
    client.open(&uri, 1, "FROM ubuntu\nMAINTAINER me\n").await;
    published(&mut client, &uri, &["ImageTagMissing"]).await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": config}}),
        )
        .await;
    assert!(symbols.is_null(), "{symbols}");
    let messages = client.drain(Duration::from_millis(200)).await;
    assert!(
        !messages
            .iter()
            .any(|message| message["params"]["uri"] == config.as_str()),
        "{messages:?}"
    );
    client.shutdown().await;
}
