//! The build context over the protocol, in a real workspace on disk: ignored and missing
//! `COPY` sources reported, source completion from the context's files, definition opening a
//! source's file, compose and bake targets counted as built, a compose build argument in the
//! `ARG` hover, references and renames reaching compose and bake files, findings following
//! the disk (watched-file events, or saving for clients that do not watch), and compose and
//! bake documents left alone.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dockerfile_ls_tests::{Client, push_utf16};
use serde_json::{Value, json};

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The project: a compose service and a bake target build `app/Dockerfile`.
struct Project {
    root: tempfile::TempDir,
}

const DOCKERFILE: &str = "ARG BASE=alpine:3.19
FROM alpine AS build
COPY src/ /src/
COPY src/main.go /main.go
COPY secret.env /etc/app.env
COPY missing.txt /x
FROM build AS test
FROM build AS lint
FROM alpine
COPY --from=build /src /src
";

impl Project {
    fn new() -> Project {
        let root = tempfile::tempdir().unwrap();
        let project = Project { root };
        std::fs::create_dir_all(project.path(".git")).unwrap();
        project.write("app/Dockerfile", DOCKERFILE);
        project.write("app/.dockerignore", "*.env\n");
        project.write("app/src/main.go", "package main\n");
        project.write("app/secret.env", "TOKEN=x\n");
        project.write(
            "compose.yaml",
            "services:\n  web:\n    build:\n      context: app\n      target: test\n      args:\n        BASE: alpine:3.21\n",
        );
        project.write(
            "docker-bake.hcl",
            "target \"lint\" {\n  context = \"app\"\n  target = \"lint\"\n}\n",
        );
        project
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

async fn start(project: &Project, watching: bool) -> Client {
    let mut capabilities = push_utf16();
    if watching {
        capabilities["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
    }
    let folder = uri_of(project.root.path());
    let mut client = Client::in_process();
    client
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "project"}],
                "capabilities": capabilities
            }),
        )
        .await;
    client.notify("initialized", json!({})).await;
    if watching {
        client
            .wait_for(|message| message["method"] == "client/registerCapability")
            .await;
    }
    client
}

/// The rule and the underlined text of each finding.
fn findings(published: &Value) -> Vec<(String, u64)> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["code"].as_str().unwrap_or_default().to_string(),
                finding["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The published findings of rules about the build context and unused stages.
fn context_findings(published: &Value) -> Vec<(String, u64)> {
    findings(published)
        .into_iter()
        .filter(|(code, _)| {
            matches!(
                code.as_str(),
                "CopyIgnoredFile" | "CopySourceNotFound" | "UnusedStage"
            )
        })
        .collect()
}

/// Waits for `uri`'s findings to be `expected` (context rules only).
async fn until(client: &mut Client, uri: &str, expected: &[(&str, u64)]) -> Value {
    let expected: Vec<(String, u64)> = expected
        .iter()
        .map(|(code, line)| (code.to_string(), *line))
        .collect();
    loop {
        let published = client.diagnostics(uri).await;
        if context_findings(&published) == expected {
            return published;
        }
    }
}

fn position(text: &str, needle: &str, plus: usize) -> Value {
    let at = text.find(needle).unwrap() + plus;
    let line = text[..at].matches('\n').count();
    let column = at
        - text[..at]
            .rfind('\n')
            .map(|newline| newline + 1)
            .unwrap_or(0);
    json!({"line": line, "character": column})
}

#[tokio::test]
async fn the_build_context_in_the_editor() {
    let project = Project::new();
    let dockerfile = project.uri("app/Dockerfile");
    let mut client = start(&project, true).await;
    client.open(&dockerfile, 1, DOCKERFILE).await;
    // Ignored and missing sources; `test` (compose) and `lint` (bake) are built, so not unused.
    let published = until(
        &mut client,
        &dockerfile,
        &[("CopyIgnoredFile", 4), ("CopySourceNotFound", 5)],
    )
    .await;
    let message = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["code"] == "CopySourceNotFound")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("`missing.txt`")
            && message.contains(&format!("`{}`", project.path("app").display()))
            && message.contains("compose.yaml service `web`"),
        "{message}"
    );

    // Completion of a source: the context's files, directories first, not the ignored ones.
    let completion = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": dockerfile}, "position": position(DOCKERFILE, "COPY src/ ", 5)}),
        )
        .await;
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[0], "src/", "{labels:?}");
    assert!(labels.contains(&"Dockerfile"), "{labels:?}");
    assert!(!labels.contains(&"secret.env"), "{labels:?}");

    // Definition on a source opens the file.
    let definition = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": dockerfile}, "position": position(DOCKERFILE, "main.go", 2)}),
        )
        .await;
    assert_eq!(definition["uri"], project.uri("app/src/main.go"));

    // The ARG hover shows the value compose gives it.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": dockerfile}, "position": {"line": 0, "character": 5}}),
        )
        .await;
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("compose.yaml service `web`: `alpine:3.21`"),
        "{markdown}"
    );

    // The missing file appears: its finding goes.
    let created = project.write("app/missing.txt", "x");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri_of(&created), "type": 1}]}),
        )
        .await;
    until(&mut client, &dockerfile, &[("CopyIgnoredFile", 4)]).await;
    // .dockerignore no longer excludes the file.
    let ignore = project.write("app/.dockerignore", "*.log\n");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri_of(&ignore), "type": 2}]}),
        )
        .await;
    until(&mut client, &dockerfile, &[]).await;
    client.shutdown().await;
}

#[tokio::test]
async fn stages_named_by_compose_and_bake_targets() {
    let project = Project::new();
    let dockerfile = project.uri("app/Dockerfile");
    let mut client = start(&project, false).await;
    client.open(&dockerfile, 1, DOCKERFILE).await;
    until(
        &mut client,
        &dockerfile,
        &[("CopyIgnoredFile", 4), ("CopySourceNotFound", 5)],
    )
    .await;
    let on_test = position(DOCKERFILE, "AS test", 4);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": dockerfile}, "position": on_test, "context": {"includeDeclaration": true}}),
        )
        .await;
    let uris: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|location| location["uri"].as_str().unwrap())
        .collect();
    let compose = project.uri("compose.yaml");
    assert!(uris.contains(&compose.as_str()), "{uris:?}");
    let in_compose = references
        .as_array()
        .unwrap()
        .iter()
        .find(|location| location["uri"] == compose.as_str())
        .unwrap();
    assert_eq!(
        in_compose["range"],
        json!({"start": {"line": 4, "character": 14}, "end": {"line": 4, "character": 18}})
    );
    // Renaming the bake target's stage edits the bake file too.
    let on_lint = position(DOCKERFILE, "AS lint", 4);
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": dockerfile}, "position": on_lint, "newName": "check"}),
        )
        .await;
    let bake = project.uri("docker-bake.hcl");
    let bake_edits = &edit["changes"][bake.as_str()];
    assert_eq!(
        bake_edits,
        &json!([{"range": {"start": {"line": 2, "character": 12}, "end": {"line": 2, "character": 16}}, "newText": "check"}])
    );
    assert_eq!(edit["changes"][dockerfile.as_str()][0]["newText"], "check");
    client.shutdown().await;
}

#[tokio::test]
async fn compose_and_bake_documents_are_left_alone() {
    let project = Project::new();
    let mut client = start(&project, true).await;
    let compose = project.uri("compose.yaml");
    let bake = project.uri("docker-bake.hcl");
    for (uri, language, relative) in [
        (&compose, "dockercompose", "compose.yaml"),
        (&bake, "dockerbake", "docker-bake.hcl"),
    ] {
        let text = std::fs::read_to_string(project.path(relative)).unwrap();
        client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
            )
            .await;
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
            )
            .await;
        assert_eq!(hover, Value::Null);
        // Typing in them is kept in step, and still not linted as a Dockerfile.
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 2},
                       "contentChanges": [{"text": format!("FROM\n{text}")}]}),
            )
            .await;
    }
    let later = client.drain(Duration::from_millis(400)).await;
    assert!(
        !later.iter().any(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && (message["params"]["uri"] == compose.as_str()
                    || message["params"]["uri"] == bake.as_str())
        }),
        "{later:?}"
    );
    // The Dockerfile next to them is still linted.
    let dockerfile = project.uri("app/Dockerfile");
    client.open(&dockerfile, 1, DOCKERFILE).await;
    until(
        &mut client,
        &dockerfile,
        &[("CopyIgnoredFile", 4), ("CopySourceNotFound", 5)],
    )
    .await;
    client.shutdown().await;
}

#[tokio::test]
async fn without_watching_a_save_reads_the_disk_again() {
    let project = Project::new();
    let dockerfile = project.uri("app/Dockerfile");
    let mut client = start(&project, false).await;
    client.open(&dockerfile, 1, DOCKERFILE).await;
    until(
        &mut client,
        &dockerfile,
        &[("CopyIgnoredFile", 4), ("CopySourceNotFound", 5)],
    )
    .await;
    project.write("app/missing.txt", "x");
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": dockerfile}}),
        )
        .await;
    until(&mut client, &dockerfile, &[("CopyIgnoredFile", 4)]).await;
    // The compose file loses its target: `test` is unused again.
    project.write(
        "compose.yaml",
        "services:\n  web:\n    build:\n      context: app\n",
    );
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": project.uri("compose.yaml")}}),
        )
        .await;
    until(
        &mut client,
        &dockerfile,
        &[("CopyIgnoredFile", 4), ("UnusedStage", 6)],
    )
    .await;
    client.shutdown().await;
}
