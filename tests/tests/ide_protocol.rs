//! The IDE requests over an in-process duplex: completion, signature help, navigation, rename,
//! folding, selection, semantic tokens and formatting, in the shapes editors expect.

use dockerfile_ls_tests::{Client, neovim_like, push_utf16, read_message, write_message};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

const TEXT: &str = "# syntax=docker/dockerfile:1\nARG VERSION=3.20\nFROM alpine:${VERSION} AS build\nARG VERSION\nRUN apk add --no-cache curl \\\n  && echo 😀 $VERSION\n\nFROM scratch\nCOPY --from=build /a /a\n";

fn position(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

/// A client with the capabilities that change what the server answers, opened on `TEXT`.
async fn open_with(mut capabilities: Value) -> (Client, Value) {
    capabilities["textDocument"]["completion"] =
        json!({"completionItem": {"snippetSupport": true}});
    capabilities["textDocument"]["rename"] = json!({"prepareSupport": true});
    capabilities["textDocument"]["foldingRange"] = json!({"lineFoldingOnly": true});
    let mut client = Client::in_process();
    let result = client.initialize(capabilities).await;
    client.open(URI, 1, TEXT).await;
    (client, result)
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("a list of items")
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn capabilities_announce_every_ide_feature() {
    let (mut client, result) = open_with(push_utf16()).await;
    let capabilities = &result["capabilities"];
    for provider in [
        "completionProvider",
        "signatureHelpProvider",
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
        "semanticTokensProvider",
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
        "documentOnTypeFormattingProvider",
    ] {
        assert!(
            !capabilities[provider].is_null(),
            "{provider} missing: {capabilities}"
        );
    }
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
    assert_eq!(
        capabilities["documentOnTypeFormattingProvider"]["firstTriggerCharacter"],
        "\\"
    );
    let legend = &capabilities["semanticTokensProvider"]["legend"];
    assert_eq!(legend["tokenTypes"][0], "keyword");
    assert_eq!(capabilities["semanticTokensProvider"]["range"], true);
    client.shutdown().await;

    // Without prepareSupport, rename is announced without prepareProvider.
    let mut client = Client::in_process();
    let result = client.initialize(push_utf16()).await;
    assert_eq!(result["capabilities"]["renameProvider"], true);
    client.shutdown().await;
}

#[tokio::test]
async fn completion_items_are_text_edits_with_snippets_when_supported() {
    let (mut client, _) = open_with(push_utf16()).await;
    // The blank line 6: every instruction.
    let items = client
        .request("textDocument/completion", position(6, 0))
        .await;
    let run = items
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "RUN")
        .expect("RUN offered");
    assert_eq!(run["insertTextFormat"], 2);
    assert_eq!(run["textEdit"]["newText"], "RUN ${1:command}");
    assert_eq!(run["kind"], 14);
    assert_eq!(run["documentation"]["kind"], "markdown");
    // `$VERSION` after the emoji: UTF-16 columns, the replace range covers the typed name.
    let items = client
        .request("textDocument/completion", position(5, 15))
        .await;
    assert_eq!(labels(&items)[0], "VERSION");
    assert_eq!(
        items[0]["textEdit"]["range"],
        json!({"start": {"line": 5, "character": 14}, "end": {"line": 5, "character": 21}})
    );
    assert_eq!(items[0]["detail"], "ARG = 3.20");
    // `--from=`: the stages.
    let items = client
        .request("textDocument/completion", position(8, 12))
        .await;
    assert_eq!(labels(&items), vec!["build", "0"]);
    client.shutdown().await;

    // No snippet support: plain keywords.
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client.open(URI, 1, TEXT).await;
    let items = client
        .request("textDocument/completion", position(6, 0))
        .await;
    let run = items
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "RUN")
        .unwrap();
    assert_eq!(run["insertTextFormat"], 1);
    assert_eq!(run["textEdit"]["newText"], "RUN ");
    client.shutdown().await;
}

#[tokio::test]
async fn signature_help_marks_the_active_parameter() {
    let (mut client, _) = open_with(push_utf16()).await;
    let help = client
        .request("textDocument/signatureHelp", position(8, 19))
        .await;
    let active = help["activeSignature"].as_u64().unwrap() as usize;
    let signature = &help["signatures"][active];
    assert_eq!(signature["label"], "COPY [OPTIONS] <src> ... <dest>");
    let parameter = help["activeParameter"].as_u64().unwrap() as usize;
    assert_eq!(
        signature["parameters"][parameter]["label"],
        json!([15, 20]),
        "<src>"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn definition_references_highlights_and_rename() {
    let (mut client, _) = open_with(neovim_like()).await;
    // UTF-8 positions: on `VERSION` after the emoji (4 bytes) on line 5, declared again in
    // the stage on line 3.
    let definition = client
        .request("textDocument/definition", position(5, 17))
        .await;
    assert_eq!(definition["uri"], URI);
    assert_eq!(
        definition["range"],
        json!({"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 11}})
    );
    let mut params = position(1, 5);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params).await;
    assert_eq!(references.as_array().unwrap().len(), 4);
    let highlights = client
        .request("textDocument/documentHighlight", position(8, 13))
        .await;
    let kinds: Vec<u64> = highlights
        .as_array()
        .unwrap()
        .iter()
        .map(|highlight| highlight["kind"].as_u64().unwrap())
        .collect();
    assert_eq!(kinds, vec![3, 2]);
    let prepared = client
        .request("textDocument/prepareRename", position(2, 29))
        .await;
    assert_eq!(prepared["placeholder"], "build");
    let mut params = position(2, 29);
    params["newName"] = json!("builder");
    let edit = client.request("textDocument/rename", params).await;
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|edit| edit["newText"] == "builder"));
    client.shutdown().await;
}

/// Sends requests in order over a bare duplex and returns the response to the last one, error
/// replies included (the scripted client treats an error as a test failure).
async fn last_response(requests: &[(&str, Value)]) -> Value {
    let (client_read, mut client_write) = dockerfile_ls_tests::in_process_server();
    let mut reader = tokio::io::BufReader::new(client_read);
    let mut last = Value::Null;
    for (id, (method, params)) in requests.iter().enumerate() {
        let message = if let Some(notification) = method.strip_prefix('!') {
            json!({"jsonrpc": "2.0", "method": notification, "params": params})
        } else {
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        };
        write_message(&mut client_write, &message).await;
        if method.starts_with('!') {
            continue;
        }
        loop {
            let response = read_message(&mut reader).await.expect("a response");
            if response["id"] == json!(id) && response.get("method").is_none() {
                last = response;
                break;
            }
        }
    }
    last
}

#[tokio::test]
async fn rename_refusals_carry_the_reason() {
    let mut rename = position(2, 29);
    rename["newName"] = json!("not valid");
    let response = last_response(&[
        ("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}})),
        ("!initialized", json!({})),
        (
            "!textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
        ),
        ("textDocument/rename", rename),
    ])
    .await;
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains("not a valid stage name"), "{message}");
    assert_eq!(response["error"]["code"], -32803);
}

#[tokio::test]
async fn folding_and_selection_ranges() {
    let (mut client, _) = open_with(push_utf16()).await;
    let folds = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let folds = folds.as_array().unwrap();
    // The first stage (lines 2 to 5) folds once: its RUN starts on another line.
    assert_eq!(folds[0]["startLine"], 2);
    assert_eq!(folds[0]["endLine"], 5);
    assert_eq!(folds[0]["kind"], "region");
    assert!(
        folds
            .iter()
            .all(|fold| fold.get("startCharacter").is_none())
    );
    assert!(
        folds
            .iter()
            .any(|fold| fold["startLine"] == 4 && fold["endLine"] == 5)
    );
    let selection = client
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": 4, "character": 9}]}),
        )
        .await;
    let innermost = &selection[0];
    assert_eq!(
        innermost["range"],
        json!({"start": {"line": 4, "character": 8}, "end": {"line": 4, "character": 11}})
    );
    let mut depth = 0;
    let mut current = innermost;
    while !current["parent"].is_null() {
        current = &current["parent"];
        depth += 1;
    }
    assert!(depth >= 4, "{selection}");
    client.shutdown().await;
}

#[tokio::test]
async fn semantic_tokens_full_and_range() {
    let (mut client, _) = open_with(push_utf16()).await;
    let full = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let data = full["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    // The directive first: line 0, column 0, the whole line, a macro (index 12).
    assert_eq!(
        data[..5],
        [json!(0), json!(0), json!(28), json!(12), json!(0)]
    );
    // Asked again for the same version: the same answer.
    let again = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(again, full);
    let range = client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 8, "character": 0}, "end": {"line": 9, "character": 0}}}),
        )
        .await;
    let data = range["data"].as_array().unwrap();
    // COPY at line 8, column 0.
    assert_eq!(data[..3], [json!(8), json!(0), json!(4)]);
    client.shutdown().await;
}

#[tokio::test]
async fn formatting_range_and_on_type() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(
            URI,
            1,
            "from alpine\nrun   echo a \\\n  && echo b  \n\n\n\nCMD x\n",
        )
        .await;
    let options = json!({"tabSize": 4, "insertSpaces": true});
    let edits = client
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options}),
        )
        .await;
    let new_texts: Vec<&str> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|edit| edit["newText"].as_str().unwrap())
        .collect();
    assert!(new_texts.contains(&"FROM") && new_texts.contains(&"    "));
    let ranged = client
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "options": options, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}}}),
        )
        .await;
    assert_eq!(ranged.as_array().unwrap().len(), 1);
    client.change(URI, 2, (6, 0), (7, 0), "RUN a \\\nb\n").await;
    let typed = client
        .request(
            "textDocument/onTypeFormatting",
            json!({"textDocument": {"uri": URI}, "position": {"line": 6, "character": 7}, "ch": "\\", "options": options}),
        )
        .await;
    assert_eq!(
        typed,
        json!([{"range": {"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 0}}, "newText": "    "}])
    );
    client.shutdown().await;
}
