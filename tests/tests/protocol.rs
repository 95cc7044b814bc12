//! The server over an in-process duplex: the protocol as editors drive it.

use std::time::Duration;

use dockerfile_ls_tests::{
    Client, neovim_like, neovim_like_with_code_actions, push_utf16, push_utf16_lazy_code_actions,
    strings,
};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .or_else(|| diagnostics["items"].as_array())
        .expect("a list")
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn utf16_client_gets_pushed_versioned_diagnostics() {
    let mut client = Client::in_process();
    let result = client.initialize(push_utf16()).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
    assert!(
        result["capabilities"]["diagnosticProvider"].is_null(),
        "push clients must not be offered pull"
    );
    client
        .open(URI, 1, "FROM registry.example/base:1.0\nMAINTAINER 😀 me\n")
        .await;
    let published = client.diagnostics(URI).await;
    assert_eq!(published["version"], 1);
    assert_eq!(codes(&published), vec!["MaintainerDeprecated"]);
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["source"], "dockerfile-ls");
    assert_eq!(diagnostic["severity"], 2);
    assert_eq!(diagnostic["tags"], json!([2]));
    assert!(
        diagnostic["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#maintainerdeprecated")
    );
    assert_eq!(
        diagnostic["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 10}})
    );
    client.shutdown().await;
}

#[tokio::test]
async fn incremental_edits_in_utf16_land_where_the_editor_meant() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(
            URI,
            1,
            "FROM registry.example/base:1.0\nLABEL a=\"😀\" b=c\n",
        )
        .await;
    assert!(codes(&client.diagnostics(URI).await).is_empty());
    // Column 15 in UTF-16 is after `b=c` (the emoji counts 2): insert a line after it.
    client
        .change(URI, 2, (1, 15), (1, 15), "\nMAINTAINER x")
        .await;
    let published = client.diagnostics_at(URI, 2).await;
    assert_eq!(published["version"], 2);
    assert_eq!(codes(&published), vec!["MaintainerDeprecated"]);
    assert_eq!(
        published["diagnostics"][0]["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    // Hover on the keyword of the new line uses the edited text.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 3}}),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("MAINTAINER <name>")
    );
    client.shutdown().await;
}

#[tokio::test]
async fn utf8_client_pulls_diagnostics_and_is_never_pushed_to() {
    let mut client = Client::in_process();
    let result = client.initialize(neovim_like()).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(result["capabilities"]["diagnosticProvider"].is_object());
    client
        .open(
            URI,
            1,
            "FROM registry.example/base:1.0\nRUN echo 界 && \\\n  true\nMAINTAINER x\n",
        )
        .await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(&report), vec!["MaintainerDeprecated"]);
    // UTF-8 columns: `界` is 3 bytes.
    client.change(URI, 2, (1, 12), (1, 12), "X").await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(codes(&report), vec!["MaintainerDeprecated"]);
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}}),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("RUN [OPTIONS]")
    );
    let pushed: Vec<Value> = client
        .drain(Duration::from_millis(200))
        .await
        .into_iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        pushed.is_empty(),
        "a pull client got pushes too: {pushed:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn stale_and_unknown_changes_are_ignored() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(URI, 5, "FROM registry.example/base:1.0\n")
        .await;
    client.diagnostics(URI).await;
    // Version 5 again and version 3: both older than or equal to what we have.
    client
        .change(URI, 5, (1, 0), (1, 0), "MAINTAINER a\n")
        .await;
    client
        .change(URI, 3, (1, 0), (1, 0), "MAINTAINER b\n")
        .await;
    client
        .change("file:///work/other", 9, (0, 0), (0, 0), "x")
        .await;
    client.change(URI, 6, (1, 0), (1, 0), "RUN ok\n").await;
    let published = client.diagnostics_at(URI, 6).await;
    assert_eq!(published["version"], 6);
    assert!(
        codes(&published).is_empty(),
        "stale edits were applied: {published}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 1}}),
        )
        .await;
    assert!(hover["contents"]["value"].as_str().unwrap().contains("RUN"));
    client.shutdown().await;
}

#[tokio::test]
async fn close_clears_and_positions_past_the_end_clamp() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(URI, 1, "FROM registry.example/base:1.0\nMAINTAINER x\n")
        .await;
    assert_eq!(codes(&client.diagnostics(URI).await).len(), 1);
    // An edit whose range lies past the end of the document: it appends.
    client
        .change(URI, 2, (40, 7), (99, 0), "MAINTAINER y\n")
        .await;
    let published = client.diagnostics_at(URI, 2).await;
    assert_eq!(codes(&published).len(), 2);
    // A hover far past the end: no answer, no error.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1000, "character": 1000}}),
        )
        .await;
    assert!(hover.is_null());
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let cleared = client
        .wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["version"].is_null()
        })
        .await;
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    client.shutdown().await;
}

#[tokio::test]
async fn quick_fix_and_fix_all_edit_the_document() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(URI, 1, "FROM registry.example/base:1.0\nMAINTAINER me\n")
        .await;
    let published = client.diagnostics(URI).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                "context": {"diagnostics": published["diagnostics"]}
            }),
        )
        .await;
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|action| action["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "MaintainerDeprecated");
    let edit = &fix["edit"]["changes"][URI][0];
    assert_eq!(
        edit["newText"],
        "LABEL org.opencontainers.image.authors=\"me\""
    );
    let fix_all = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.fixAll"]}
            }),
        )
        .await;
    assert_eq!(fix_all.as_array().unwrap().len(), 1);
    assert_eq!(fix_all[0]["kind"], "source.fixAll.dockerfile-ls");
    client.shutdown().await;
}

#[tokio::test]
async fn settings_change_severity_and_ignore_rules() {
    let mut client = Client::in_process();
    client.configuration = json!({"rules": {"MaintainerDeprecated": "error"}});
    client.initialize(push_utf16()).await;
    client
        .open(URI, 1, "FROM registry.example/base:1.0\nMAINTAINER me\n")
        .await;
    let mut published = client.diagnostics(URI).await;
    // The first publish may predate the configuration answer; wait for the configured one.
    while published["diagnostics"][0]["severity"] != 1 {
        published = client.diagnostics(URI).await;
    }
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"dockerfileLs": {"ignore": ["DL4000"], "bogus": 1}}}),
        )
        .await;
    let mut published = client.diagnostics(URI).await;
    while !codes(&published).is_empty() {
        published = client.diagnostics(URI).await;
    }
    client.shutdown().await;
}

#[tokio::test]
async fn document_symbols_nest_when_the_client_can_show_it() {
    let text =
        "ARG V=1\nFROM alpine:$V AS build\nRUN make\nFROM scratch\nCOPY --from=build /a /a\n";
    let mut client = Client::in_process();
    let mut capabilities = push_utf16();
    capabilities["textDocument"]["documentSymbol"] =
        json!({"hierarchicalDocumentSymbolSupport": true});
    client.initialize(capabilities).await;
    client.open(URI, 1, text).await;
    let nested = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(strings(&nested, "name"), vec!["V", "build", "scratch"]);
    assert_eq!(nested[1]["children"][1]["name"], "RUN");
    assert_eq!(
        nested[1]["selectionRange"]["start"],
        json!({"line": 1, "character": 18})
    );
    client.shutdown().await;

    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client.open(URI, 1, text).await;
    let flat = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let flat = flat.as_array().unwrap();
    assert!(
        flat.iter()
            .all(|symbol| symbol.get("children").is_none() && symbol["location"]["uri"] == URI)
    );
    let run = flat.iter().find(|symbol| symbol["name"] == "RUN").unwrap();
    assert_eq!(run["containerName"], "build");
    client.shutdown().await;
}

#[tokio::test]
async fn layer_fixes_refactorings_and_file_wide_actions() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    let text = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\nRUN curl -V && echo done\n";
    client.open(URI, 1, text).await;
    let published = client.diagnostics(URI).await;
    let codes = codes(&published);
    assert!(
        codes.contains(&"ConsecutiveRunInstructions".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"PackageCacheNotCleaned".to_string()),
        "{codes:?}"
    );
    let request = |line: u32, only: Value| {
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": line, "character": 5}, "end": {"line": line, "character": 5}},
            "context": {"diagnostics": published["diagnostics"], "only": only}
        })
    };
    // On the apt-get update line: the lists are for the next RUN, so no cleanup here (it would
    // break the install) and no cache mount (the next RUN could not see the lists); the
    // download moves into the RUN that reads it.
    let actions = client
        .request("textDocument/codeAction", request(1, json!(["quickfix"])))
        .await;
    let titles: Vec<(&str, bool)> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|action| {
            (
                action["title"].as_str().unwrap(),
                action["isPreferred"] == true,
            )
        })
        .collect();
    assert!(
        titles.contains(&("Move `apt-get update` into the RUN on line 3", true)),
        "{titles:?}"
    );
    assert!(
        titles.iter().all(|(title, _)| !title.starts_with("Clean")
            && !title.starts_with("Use a BuildKit cache mount")),
        "{titles:?}"
    );
    // On the second RUN: the merge with the one before and the split refactoring.
    let refactors = client
        .request("textDocument/codeAction", request(3, json!(["refactor"])))
        .await;
    assert_eq!(
        strings(&refactors, "title"),
        vec![
            "Merge with the previous RUN",
            "Split RUN at && into 2 RUN instructions"
        ]
    );
    assert_eq!(
        strings(&refactors, "kind"),
        vec!["refactor.rewrite", "refactor.rewrite"]
    );
    // File-wide: fix-all and the merge-all source action.
    let source = client
        .request("textDocument/codeAction", request(0, json!(["source"])))
        .await;
    assert_eq!(
        strings(&source, "kind"),
        vec![
            "source.fixAll.dockerfile-ls",
            "source.mergeRunInstructions.dockerfile-ls"
        ]
    );
    let merge = &source[1]["edit"]["changes"][URI][0];
    // The merge-all action merges chained RUNs too, which the rule does not flag.
    assert_eq!(
        merge["newText"],
        "RUN apt-get update \\\n    && apt-get install -y curl \\\n    && curl -V && echo done"
    );
    client.shutdown().await;
}

/// A client that resolves edits lazily gets actions without edits, then the edit on
/// `codeAction/resolve`; the file-wide actions come with a lightbulb only where they apply.
#[tokio::test]
async fn code_action_edits_are_resolved_lazily_for_clients_that_can() {
    let mut client = Client::in_process();
    let result = client.initialize(push_utf16_lazy_code_actions()).await;
    assert_eq!(
        result["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    let text = "FROM registry.example/base:1.0\nRUN make\nRUN make install\nLABEL a=b\n";
    client.open(URI, 1, text).await;
    let published = client.diagnostics(URI).await;
    // With the findings that start on the cursor's line, as Neovim sends them.
    let at = |line: u32| {
        let on_line: Vec<&Value> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|diagnostic| diagnostic["range"]["start"]["line"] == line)
            .collect();
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": line, "character": 1}, "end": {"line": line, "character": 1}},
            "context": {"diagnostics": on_line}
        })
    };
    // On the second RUN: the merge (shared by nothing else) and merge-all, no edits; no
    // fix-all lightbulb, since a merge is not a safe fix.
    let actions = client.request("textDocument/codeAction", at(2)).await;
    assert_eq!(
        strings(&actions, "title"),
        vec![
            "Merge 2 RUN instructions",
            "Merge all consecutive RUN instructions in this file",
        ]
    );
    assert!(
        actions
            .as_array()
            .unwrap()
            .iter()
            .all(|action| action.get("edit").is_none())
    );
    assert_eq!(
        actions[0]["diagnostics"][0]["code"],
        "ConsecutiveRunInstructions"
    );
    let resolved = client
        .request("codeAction/resolve", actions[0].clone())
        .await;
    assert_eq!(
        resolved["edit"]["changes"][URI][0]["newText"],
        "RUN make \\\n    && make install"
    );
    // On LABEL, with nothing to fix there: no file-wide actions pushed at the user.
    let quiet = client.request("textDocument/codeAction", at(3)).await;
    assert_eq!(quiet, json!([]));
    // After an edit, resolving the old action yields no edit rather than a wrong one.
    client.change(URI, 2, (3, 0), (3, 0), "# note\n").await;
    client.diagnostics_at(URI, 2).await;
    let stale = client
        .request("codeAction/resolve", actions[0].clone())
        .await;
    assert!(stale.get("edit").is_none(), "{stale}");
    client.shutdown().await;
}

/// Neovim 0.10 and 0.11 ask with the cursor as an empty range and list the findings of the
/// whole cursor line (those that start on it) in the context: each listed finding gets its
/// fixes, and the first RUN of a pair, which has no finding, offers the merge.
#[tokio::test]
async fn neovim_style_requests_get_the_fixes_of_the_line_and_the_merge() {
    let mut client = Client::in_process();
    client.initialize(neovim_like_with_code_actions()).await;
    // `apk add` is on line 1, from column 4; the pair's finding is on line 2's `RUN`.
    let text = "FROM alpine:3.20\nRUN apk add curl\nRUN echo done\n";
    client.open(URI, 1, text).await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let on_line = |line: u64| -> Vec<Value> {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["range"]["start"]["line"] == line)
            .cloned()
            .collect()
    };
    let cache = on_line(1);
    assert_eq!(
        cache
            .iter()
            .map(|item| item["code"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["PackageCacheNotCleaned"]
    );
    assert_eq!(cache[0]["range"]["start"]["character"], 4);
    // Another tool's finding on the same line rides along, as Neovim sends every attached
    // server's: it is not ours and changes nothing.
    let mut listed = cache.clone();
    listed.push(json!({
        "range": cache[0]["range"], "code": "DL3018", "source": "hadolint", "severity": 2,
        "message": "Pin versions in apk add"
    }));
    let at_column_0 = |line: u32, diagnostics: Vec<Value>| {
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
            "context": {"diagnostics": diagnostics, "triggerKind": 1}
        })
    };
    let actions = client
        .request("textDocument/codeAction", at_column_0(1, listed))
        .await;
    let offered: Vec<(&str, &str)> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|action| {
            (
                action["title"].as_str().unwrap(),
                action["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        offered.contains(&("Clean the apk cache in this layer", "quickfix")),
        "{offered:?}"
    );
    assert!(
        offered.contains(&("Merge with the next RUN", "refactor.rewrite")),
        "{offered:?}"
    );
    // The listed finding's safe fix brings fix-all along, as the cursor on it would.
    assert!(
        offered.contains(&(
            "Fix all auto-fixable problems",
            "source.fixAll.dockerfile-ls"
        )),
        "{offered:?}"
    );
    let clean = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"] == "Clean the apk cache in this layer")
        .unwrap();
    assert_eq!(clean["diagnostics"][0]["code"], "PackageCacheNotCleaned");
    // Resolved lazily from what `data` remembers: the listed finding outside the range too.
    let resolved = client.request("codeAction/resolve", clean.clone()).await;
    let edits = resolved["edit"]["changes"][URI].as_array().expect("edits");
    assert!(
        !edits.is_empty() && edits.iter().all(|edit| edit["range"]["start"]["line"] == 1),
        "{resolved}"
    );
    let merge = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"] == "Merge with the next RUN")
        .unwrap();
    let resolved = client.request("codeAction/resolve", merge.clone()).await;
    assert_eq!(
        resolved["edit"]["changes"][URI],
        json!([{
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 13}},
            "newText": "RUN apk add curl \\\n    && echo done"
        }])
    );
    // The same cursor without the line's findings: only what lies under the cursor (the
    // answer kept for the request above is not taken for this one).
    let bare = client
        .request("textDocument/codeAction", at_column_0(1, Vec::new()))
        .await;
    assert_eq!(strings(&bare, "title"), vec!["Merge with the next RUN"]);
    // The second RUN of the pair: its finding's merge, once (the same edit is not offered
    // again as a refactoring) ...
    let second = client
        .request("textDocument/codeAction", at_column_0(2, on_line(2)))
        .await;
    assert_eq!(
        strings(&second, "title")
            .into_iter()
            .filter(|title| title.starts_with("Merge"))
            .collect::<Vec<_>>(),
        vec![
            "Merge 2 RUN instructions",
            "Merge all consecutive RUN instructions in this file"
        ]
    );
    // ... and asked for refactorings only, the merge with the previous RUN.
    let mut refactors = at_column_0(2, on_line(2));
    refactors["context"]["only"] = json!(["refactor"]);
    let refactors = client.request("textDocument/codeAction", refactors).await;
    assert_eq!(
        strings(&refactors, "title"),
        vec!["Merge with the previous RUN"]
    );
    client.shutdown().await;
}

/// A selection over several findings of one rule offers one action for the rule, resolved
/// like any other.
#[tokio::test]
async fn a_selection_gets_one_action_per_rule_with_many_findings() {
    let mut client = Client::in_process();
    client.initialize(push_utf16_lazy_code_actions()).await;
    let text = "FROM registry.example/base:1.0\nMAINTAINER a\nMAINTAINER b\n";
    client.open(URI, 1, text).await;
    let published = client.diagnostics(URI).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}},
                "context": {"diagnostics": published["diagnostics"], "only": ["quickfix"]}
            }),
        )
        .await;
    assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
    assert_eq!(
        actions[0]["title"],
        "Fix all 2 MaintainerDeprecated findings in the selection"
    );
    assert!(actions[0].get("diagnostics").is_none());
    let resolved = client
        .request("codeAction/resolve", actions[0].clone())
        .await;
    assert_eq!(
        strings(&resolved["edit"]["changes"][URI], "newText"),
        vec![
            "LABEL org.opencontainers.image.authors=\"a\"",
            "LABEL org.opencontainers.image.authors=\"b\""
        ]
    );
    client.shutdown().await;
}

/// Two actions with one title ("Skip RuleName here" above two instructions) each resolve to
/// their own edit.
#[tokio::test]
async fn actions_that_share_a_title_resolve_to_their_own_edits() {
    let mut client = Client::in_process();
    client.initialize(push_utf16_lazy_code_actions()).await;
    let text = "FROM alpine:3.20\nARG API_TOKEN\nARG DB_PASSWORD\n";
    client.open(URI, 1, text).await;
    let published = client.diagnostics(URI).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 5}},
                "context": {"diagnostics": published["diagnostics"], "only": ["quickfix"]}
            }),
        )
        .await;
    let skips: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|action| action["title"] == "Skip SecretsUsedInArgOrEnv here")
        .collect();
    assert_eq!(skips.len(), 2, "{actions}");
    let mut lines = Vec::new();
    for skip in skips {
        let resolved = client.request("codeAction/resolve", skip.clone()).await;
        let edit = &resolved["edit"]["changes"][URI][0];
        assert_eq!(
            edit["newText"], "# check=skip=SecretsUsedInArgOrEnv\n",
            "{resolved}"
        );
        lines.push(edit["range"]["start"]["line"].as_u64().unwrap());
    }
    assert_eq!(lines, vec![1, 2]);
    client.shutdown().await;
}

/// A repeated request is answered from the cache only while its document and the settings
/// are what the answer was computed for.
#[tokio::test]
async fn repeated_requests_see_edits_and_settings_changes() {
    let mut client = Client::in_process();
    client.initialize(push_utf16()).await;
    client
        .open(URI, 1, "FROM registry.example/base:1.0\nMAINTAINER me\n")
        .await;
    let published = client.diagnostics(URI).await;
    let symbols = json!({"textDocument": {"uri": URI}});
    let first = client
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    let again = client
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    assert_eq!(first, again);
    client.change(URI, 2, (2, 0), (2, 0), "RUN true\n").await;
    let edited = client
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    assert_ne!(strings(&first, "name"), strings(&edited, "name"));
    assert!(strings(&edited, "name").contains(&"RUN"), "{edited}");
    // Same code-action parameters before and after a settings change that turns the rule off.
    let actions = json!({
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
        "context": {"diagnostics": published["diagnostics"], "only": ["quickfix"]}
    });
    let before = client
        .request("textDocument/codeAction", actions.clone())
        .await;
    // The label fix, and the comment that skips the check there.
    assert_eq!(
        strings(&before, "title"),
        vec![
            "Replace with the org.opencontainers.image.authors label",
            "Skip MaintainerDeprecated here"
        ],
        "{before}"
    );
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"dockerfileLs": {"rules": {"MaintainerDeprecated": "off"}}}}),
        )
        .await;
    let after = client.request("textDocument/codeAction", actions).await;
    assert_eq!(after, json!([]));
    client.shutdown().await;
}

#[tokio::test]
async fn document_links_and_inlay_hints() {
    let mut client = Client::in_process();
    let result = client.initialize(push_utf16()).await;
    assert!(result["capabilities"]["documentLinkProvider"].is_object());
    assert_eq!(result["capabilities"]["inlayHintProvider"], true);
    let text = "ARG V=3.20\nFROM alpine:${V} AS base\nFROM base\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n";
    client.open(URI, 1, text).await;
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let targets: Vec<(u64, &str)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|link| {
            (
                link["range"]["start"]["line"].as_u64().unwrap(),
                link["target"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        targets,
        vec![
            (1, "https://hub.docker.com/_/alpine"),
            (3, "https://hub.docker.com/_/nginx")
        ]
    );
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}}}),
        )
        .await;
    let labels: Vec<(u64, &str)> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|hint| {
            (
                hint["position"]["line"].as_u64().unwrap(),
                hint["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        labels
            .iter()
            .any(|(line, label)| *line == 1 && label.contains("alpine")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|(line, label)| *line == 1 && label.contains("3.20")),
        "{labels:?}"
    );
    client.shutdown().await;
}

/// `text` with LSP text edits applied (positions in UTF-16 code units, as for a
/// `push_utf16` client).
fn apply_text_edits(text: &str, edits: &Value) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let Some(start) = line_starts.get(line) else {
            return text.len();
        };
        let mut units = position["character"].as_u64().unwrap() as usize;
        let mut offset = *start;
        for character in text[*start..].chars() {
            if units == 0 || character == '\n' {
                break;
            }
            units = units.saturating_sub(character.len_utf16());
            offset += character.len_utf8();
        }
        offset
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .as_array()
        .expect("edits")
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap(),
            )
        })
        .collect();
    // From the end, so earlier offsets stay valid.
    spans.sort_by_key(|(start, end, _)| std::cmp::Reverse((*start, *end)));
    let mut result = text.to_string();
    for (start, end, new_text) in spans {
        result.replace_range(start..end, new_text);
    }
    result
}

/// The editor's fix-all applies what `check --fix` writes, on a file whose fixes take two
/// rounds (the cleanup is only offered once the update has moved into the install's RUN),
/// for clients that resolve edits lazily and for
/// those that take them inline.
#[tokio::test]
async fn fix_all_applies_what_check_fix_writes() {
    use dockerfile_ls::lint::fix::{FixOptions, fix_text};
    let text = "FROM debian:bookworm-slim\nMAINTAINER me\nRUN apt-get update\nRUN apt-get install -y ca-certificates curl\nLABEL a=b\n";
    let engine = fix_text(
        text,
        &Default::default(),
        dockerfile_ls::knowledge::distros::Date::today(),
        FixOptions::default(),
    );
    assert!(
        engine.rounds >= 2,
        "the case needs a file whose fixes take two rounds: pick another ({} rounds)",
        engine.rounds
    );
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("Dockerfile"), text).unwrap();
    dockerfile_ls_tests::run_cli(&["check", "--fix", "Dockerfile"], directory.path());
    let written = std::fs::read_to_string(directory.path().join("Dockerfile")).unwrap();
    assert_ne!(written, text);
    for lazy in [true, false] {
        let mut client = Client::in_process();
        client
            .initialize(if lazy {
                push_utf16_lazy_code_actions()
            } else {
                push_utf16()
            })
            .await;
        client.open(URI, 1, text).await;
        client.diagnostics(URI).await;
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": URI},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "context": {"diagnostics": [], "only": ["source.fixAll"]}
                }),
            )
            .await;
        assert_eq!(
            strings(&actions, "kind"),
            vec!["source.fixAll.dockerfile-ls"]
        );
        let action = if lazy {
            assert!(actions[0].get("edit").is_none(), "{actions}");
            client
                .request("codeAction/resolve", actions[0].clone())
                .await
        } else {
            actions[0].clone()
        };
        let edits = &action["edit"]["changes"][URI];
        assert_eq!(apply_text_edits(text, edits), written, "lazy: {lazy}");
        // Only the changed lines are edited: the LABEL line at the end is not rewritten.
        assert!(
            edits
                .as_array()
                .unwrap()
                .iter()
                .all(|edit| edit["range"]["end"]["line"].as_u64().unwrap() <= 4),
            "{edits}"
        );
        client.shutdown().await;
    }
}
