//! The real binary over stdio: only framed JSON-RPC reaches stdout, and it exits cleanly.

use std::process::Stdio;

use dockerfile_ls_tests::{TIMEOUT, binary, read_message, write_message};
use serde_json::json;
use tokio::io::{AsyncReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn stdout_carries_nothing_but_framed_json() {
    let mut child = Command::new(binary())
        .arg("--stdio")
        .env("DOCKERFILE_LS_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let uri = "file:///w/Dockerfile";
    // A client waits for the initialize reply before it sends anything else (LSP spec).
    write_message(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    )
    .await;
    let reply = read_message(&mut stdout).await.expect("initialize reply");
    assert_eq!(reply["result"]["serverInfo"]["name"], "dockerfile-ls");
    let messages = [
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": "FROM a\nMAINTAINER x\n"}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}}),
    ];
    for message in &messages {
        write_message(&mut stdin, message).await;
    }
    // Read until the hover answer and the diagnostics have both come.
    let mut seen_hover = false;
    let mut seen_diagnostics = false;
    while !(seen_hover && seen_diagnostics) {
        let message = tokio::time::timeout(TIMEOUT, read_message(&mut stdout))
            .await
            .expect("the server answers")
            .expect("a framed message");
        assert_eq!(message["jsonrpc"], "2.0");
        seen_hover |= message["id"] == 2
            && message["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|text| text.contains("FROM"));
        seen_diagnostics |= message["method"] == "textDocument/publishDiagnostics";
    }
    write_message(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    )
    .await;
    let reply = read_message(&mut stdout).await.expect("shutdown reply");
    assert_eq!(reply["id"], 3);
    write_message(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"})).await;
    drop(stdin);
    // Nothing but frames until the end of stdout.
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).await.unwrap();
    assert!(
        rest.is_empty(),
        "stray bytes on stdout: {:?}",
        String::from_utf8_lossy(&rest)
    );
    let status = child.wait().await.unwrap();
    assert!(status.success(), "exit status {status}");
    // The logs went to stderr.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    assert!(
        stderr.contains("initialize"),
        "expected logs on stderr, got {stderr:?}"
    );
    // At the level DOCKERFILE_LS_LOG asked for.
    assert!(
        stderr.contains(" DEBUG "),
        "expected debug logs, got {stderr:?}"
    );
}

/// LSP: `exit` without `shutdown` first ends the server with status 1, as does a client that
/// just goes away.
#[tokio::test]
async fn leaving_without_shutdown_exits_with_status_1() {
    for say_exit in [true, false] {
        let mut child = Command::new(binary())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        write_message(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        )
        .await;
        read_message(&mut stdout).await.expect("initialize reply");
        if say_exit {
            write_message(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"})).await;
        }
        drop(stdin);
        let status = tokio::time::timeout(TIMEOUT, child.wait())
            .await
            .expect("the server ends")
            .unwrap();
        assert_eq!(status.code(), Some(1), "exit said: {say_exit}");
    }
}
