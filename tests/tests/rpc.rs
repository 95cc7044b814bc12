//! The JSON-RPC layer as a client meets it: lifecycle errors, error codes, ids echoed as sent,
//! one answer per request (cancelled or not), and cached answers that follow the document.

use dockerfile_ls_tests::{TIMEOUT, in_process_server, read_message, write_message};
use serde_json::{Value, json};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};

const URI: &str = "file:///w/Dockerfile";

/// A bare connection: what is sent is exactly what the test wrote.
struct Raw {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Raw {
    fn new() -> Raw {
        let (reader, writer) = in_process_server();
        Raw {
            reader: BufReader::new(reader),
            writer,
        }
    }

    async fn send(&mut self, message: Value) {
        write_message(&mut self.writer, &message).await;
    }

    async fn request(&mut self, id: Value, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next message, or `None` when the server closed the stream.
    async fn next(&mut self) -> Option<Value> {
        tokio::time::timeout(TIMEOUT, read_message(&mut self.reader))
            .await
            .expect("the server answers in time")
    }

    /// The reply to `id`, skipping notifications (and answering nothing: these tests do not
    /// declare `workspace/configuration`).
    async fn reply(&mut self, id: Value) -> Value {
        loop {
            let message = self.next().await.expect("a reply before the end");
            if message.get("method").is_none() && message["id"] == id {
                return message;
            }
        }
    }

    async fn call(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.request(json!(id), method, params).await;
        self.reply(json!(id)).await
    }

    async fn initialize(&mut self, capabilities: Value) {
        let reply = self
            .call(
                0,
                "initialize",
                json!({"processId": null, "capabilities": capabilities}),
            )
            .await;
        assert!(reply["result"]["capabilities"].is_object(), "{reply}");
        self.notify("initialized", json!({})).await;
    }

    async fn open(&mut self, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": version, "text": text}}),
        )
        .await;
    }
}

fn code(reply: &Value) -> i64 {
    reply["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {reply}"))
}

fn of_document() -> Value {
    json!({"textDocument": {"uri": URI}})
}

#[tokio::test]
async fn the_lifecycle_and_the_error_codes() {
    let mut raw = Raw::new();
    // Before initialize: requests are refused, notifications dropped.
    let early = raw
        .call(1, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(code(&early), -32002, "{early}");
    raw.open(1, "FROM alpine:3.20 AS build\n").await;
    raw.initialize(json!({})).await;
    let symbols = raw
        .call(2, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(
        symbols["result"],
        Value::Null,
        "a document opened before initialize is unknown"
    );

    let again = raw.call(3, "initialize", json!({"capabilities": {}})).await;
    assert_eq!(code(&again), -32600);
    let unknown = raw.call(4, "textDocument/noSuchThing", json!({})).await;
    assert_eq!(code(&unknown), -32601);
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("textDocument/noSuchThing")
    );
    let invalid = raw
        .call(5, "textDocument/documentSymbol", json!({"textDocument": 3}))
        .await;
    assert_eq!(code(&invalid), -32602);

    // A body that is not JSON: a parse error with a null id, and the server goes on.
    let garbage = b"{not json";
    raw.writer
        .write_all(format!("Content-Length: {}\r\n\r\n", garbage.len()).as_bytes())
        .await
        .unwrap();
    raw.writer.write_all(garbage).await.unwrap();
    let parse_error = raw.reply(Value::Null).await;
    assert_eq!(code(&parse_error), -32700);

    // String ids come back as strings, exactly.
    raw.open(1, "FROM alpine:3.20 AS build\nRUN true\n").await;
    raw.request(
        json!("symbols-1"),
        "textDocument/documentSymbol",
        of_document(),
    )
    .await;
    let named = raw.reply(json!("symbols-1")).await;
    assert_eq!(named["result"][0]["name"], "build", "{named}");

    let shutdown = raw.call(6, "shutdown", Value::Null).await;
    assert_eq!(shutdown["result"], Value::Null);
    assert!(shutdown.get("error").is_none());
    let late = raw
        .call(7, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(code(&late), -32600);
    raw.notify("exit", Value::Null).await;
    // After exit the server closes its end.
    while let Some(message) = raw.next().await {
        assert!(
            message.get("id").is_none(),
            "no reply after exit: {message}"
        );
    }
}

#[tokio::test]
async fn every_request_gets_exactly_one_answer_even_when_cancelled() {
    let mut raw = Raw::new();
    raw.initialize(json!({})).await;
    let text =
        "FROM alpine:3.20 AS build\nRUN apk add curl && \\\n    rm -rf /tmp/*\n".repeat(2000);
    raw.open(1, &text).await;
    // Selection ranges for thousands of positions: slow enough that the cancel, sent right
    // behind, finds the request still running.
    let positions: Vec<Value> = (0..3000)
        .map(|line| json!({"line": line, "character": 5}))
        .collect();
    let params = json!({"textDocument": {"uri": URI}, "positions": positions});
    for id in 10..20 {
        raw.request(json!(id), "textDocument/selectionRange", params.clone())
            .await;
        raw.notify("$/cancelRequest", json!({"id": id})).await;
    }
    // Every request is answered once: read until the server has been quiet for a while (the
    // cancelled ones keep computing, and their late results must be dropped).
    let mut answers = std::collections::HashMap::new();
    let quiet = std::time::Duration::from_secs(3);
    while let Ok(message) = tokio::time::timeout(quiet, read_message(&mut raw.reader)).await {
        let message = message.expect("the server keeps the stream open");
        if message.get("method").is_some() {
            continue;
        }
        let id = message["id"].as_i64().unwrap();
        let outcome = if message.get("error").is_some() {
            assert_eq!(code(&message), -32800, "{message}");
            "cancelled"
        } else {
            assert!(message["result"].is_array(), "{message}");
            "answered"
        };
        assert!(
            answers.insert(id, outcome).is_none(),
            "request {id} answered twice"
        );
    }
    assert_eq!(answers.len(), 10, "{answers:?}");
    assert!(
        answers.values().any(|outcome| *outcome == "cancelled"),
        "no request was still running when its cancel came: {answers:?}"
    );
}

#[tokio::test]
async fn cached_answers_follow_the_document_and_the_settings() {
    let mut raw = Raw::new();
    // Pull diagnostics, so the findings are asked for (and cached) like any answer.
    raw.initialize(json!({"textDocument": {"diagnostic": {}}}))
        .await;
    raw.open(1, "FROM alpine:3.20 AS build\nMAINTAINER me\n")
        .await;

    let first = raw
        .call(1, "textDocument/documentSymbol", of_document())
        .await;
    let second = raw
        .call(2, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(first["result"], second["result"]);
    assert_eq!(first["result"][0]["name"], "build");

    // An edit: the next answer is about the new text.
    raw.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 25}}, "text": "final"}
        ]}),
    )
    .await;
    let edited = raw
        .call(3, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(edited["result"][0]["name"], "final", "{edited}");

    let codes = |reply: &Value| -> Vec<String> {
        reply["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["code"].as_str().unwrap().to_string())
            .collect()
    };
    let before = raw.call(4, "textDocument/diagnostic", of_document()).await;
    assert!(
        codes(&before).contains(&"MaintainerDeprecated".to_string()),
        "{before}"
    );
    let repeated = raw.call(5, "textDocument/diagnostic", of_document()).await;
    assert_eq!(before["result"], repeated["result"]);
    // Asked again with the result id it got: nothing changed, so no list.
    let result_id = before["result"]["resultId"].clone();
    assert!(result_id.is_string(), "{before}");
    let again = raw
        .call(
            50,
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(again["result"]["kind"], "unchanged", "{again}");
    assert_eq!(again["result"]["resultId"], result_id);
    assert!(again["result"].get("items").is_none());
    // New settings, same version: the cached findings must not be served.
    raw.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfileLs": {"rules": {"MaintainerDeprecated": "off"}}}}),
    )
    .await;
    let after = raw
        .call(
            6,
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(after["result"]["kind"], "full", "{after}");
    assert_ne!(after["result"]["resultId"], result_id);
    assert!(
        !codes(&after).contains(&"MaintainerDeprecated".to_string()),
        "{after}"
    );

    // Closed and reopened with other text under the same version number: not the old answer.
    raw.notify("textDocument/didClose", of_document()).await;
    raw.open(2, "FROM alpine:3.20 AS other\n").await;
    let reopened = raw
        .call(7, "textDocument/documentSymbol", of_document())
        .await;
    assert_eq!(reopened["result"][0]["name"], "other", "{reopened}");
}

#[tokio::test]
async fn a_large_answer_is_whole_when_first_given_and_from_the_cache() {
    let mut raw = Raw::new();
    raw.initialize(
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}),
    )
    .await;
    // Hundreds of stages: an outline of a few hundred kilobytes, kept compressed.
    let text: String = (0..400)
        .map(|stage| {
            format!(
                "FROM alpine:3.20 AS stage{stage}\nRUN apk add --no-cache curl && echo ünïcode {stage}\nCOPY --from=stage{} /a /b\n",
                stage.max(1) - 1
            )
        })
        .collect();
    raw.open(1, &text).await;
    let first = raw
        .call(1, "textDocument/documentSymbol", of_document())
        .await;
    assert!(
        first["result"].to_string().len() > 128 * 1024,
        "a large answer"
    );
    // The answer is kept once it has been sent; give that a moment.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for id in 2..4 {
        let again = raw
            .call(id, "textDocument/documentSymbol", of_document())
            .await;
        assert_eq!(first["result"], again["result"]);
    }
    let stages = first["result"].as_array().expect("symbols");
    assert_eq!(stages.len(), 400);
    assert_eq!(stages[0]["name"], "stage0");
    assert_eq!(stages[399]["name"], "stage399");
    assert_eq!(
        stages[399]["children"][1]["detail"],
        "apk add --no-cache curl && echo ünïcode 399"
    );
}
