//! No panic and no internal error at any position: every position request the server answers
//! (hover, completion, signature help, definition, references, document highlight, prepare
//! rename, rename) at the positions of every corpus file, in UTF-8 and in UTF-16, and every
//! whole-document request (diagnostics, symbols, folding, selection ranges, semantic tokens
//! full and by range, links, inlay hints, formatting, code actions for the whole file and for
//! each line, each lazily offered action resolved).
//!
//! The requests go through the LSP handlers themselves (`State::answer`, what the protocol
//! loop runs once the parameters are parsed), position conversion and serialisation included,
//! so a conversion bug fails here too; only the JSON framing is skipped, to afford millions of
//! requests.
//!
//! Positions (computed here from the text, independently of the server's line index):
//! - every boundary before and after a non-ASCII character, and every column inside one (a
//!   UTF-8 client may point into a multi-byte character, a UTF-16 one between the halves of a
//!   surrogate pair): never sampled;
//! - the start of every `LINES`th line, a column past the end of those lines and of the last
//!   line, and lines past the last;
//! - one in `BOUNDARIES` of the places where the kind of character changes (word, blank, line
//!   break, each punctuation character on its own: every instruction, flag, word, `$`, `=`,
//!   `:` and `,` edge), and one in `BYTES` of all other places, picked by a hash of the file
//!   and the offset, so each file has its own sample and each run the same one.
//!
//! Asking at every position of the corpus (2.7 million characters, 43 million requests) would
//! take about an hour on two cores in a debug build (each navigation request rebuilds the
//! file's variable index); the sample asks 1.7 million requests in about two minutes, and the
//! places skipped are like places asked elsewhere in the corpus.
//!
//! Whole-document requests: code actions for the whole file and at the start of every line
//! (with that line's findings listed, as Neovim asks; in UTF-8 every action offered is
//! resolved), semantic tokens for the whole file and for every `LINES`th line.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use dockerfile_ls::lsp::rpc::{Error, Serialised};
use dockerfile_ls::lsp::server::{Answer, CodeActionRequest, State};
use dockerfile_ls_tests::{corpus_files, read_lossy};
use ls_types::*;
use serde_json::{Value, json};

/// One in this many boundaries is asked (see the module's docs).
const BOUNDARIES: u64 = 16;
/// One in this many other bytes is asked.
const BYTES: u64 = 96;
/// One in this many lines gets the requests asked per line.
const LINES: u32 = 8;

const URI: &str = "file:///corpus/Dockerfile";

fn uri() -> Uri {
    URI.parse().expect("a URI")
}

fn document() -> TextDocumentIdentifier {
    TextDocumentIdentifier { uri: uri() }
}

/// How a character is classed for the boundaries asked at.
fn class(character: char) -> u32 {
    match character {
        c if c.is_alphanumeric() || c == '_' => 0,
        ' ' | '\t' => 1,
        '\n' | '\r' => 2,
        c => c as u32 + 3,
    }
}

/// Whether the sampled place `offset` of the file named `seed` is asked: a hash, so that
/// the sample is spread evenly without following the file's own rhythm (every `BOUNDARIES`th
/// byte would meet the same columns of an indented file again and again).
fn sampled(seed: u64, offset: usize, one_in: u64) -> bool {
    let mut hash = seed ^ (offset as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    hash ^= hash >> 31;
    hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash ^= hash >> 29;
    hash.is_multiple_of(one_in)
}

/// The positions asked in one file (`seed` names it), in one encoding.
fn positions(text: &str, seed: u64, utf16: bool) -> Vec<Position> {
    let mut found = Vec::new();
    let (mut line, mut column) = (0u32, 0u32);
    let mut previous: Option<char> = None;
    let mut characters = text.char_indices().peekable();
    loop {
        let next = characters.peek().map(|(_, character)| *character);
        let offset = characters.peek().map_or(text.len(), |(at, _)| *at);
        let wide = |character: Option<char>| character.is_some_and(|c| !c.is_ascii());
        let boundary = match (previous, next) {
            (None, _) | (_, None) => true,
            (Some(before), Some(after)) => class(before) != class(after),
        };
        if (column == 0 && line % LINES == 0)
            || wide(previous)
            || wide(next)
            || (boundary && sampled(seed, offset, BOUNDARIES))
            || sampled(seed.rotate_left(17), offset, BYTES)
        {
            found.push(Position::new(line, column));
        }
        let Some((_, character)) = characters.next() else {
            break;
        };
        // Columns inside a character that is wider than one unit.
        let width = if utf16 {
            character.len_utf16()
        } else {
            character.len_utf8()
        } as u32;
        for inside in 1..width {
            found.push(Position::new(line, column + inside));
        }
        let ends_line = character == '\n'
            || (character == '\r' && characters.peek().map(|(_, c)| *c) != Some('\n'));
        if ends_line {
            if line % LINES == 0 {
                found.push(Position::new(line, column + 3));
            }
            line += 1;
            column = 0;
        } else if character != '\r' {
            column += width;
        }
        previous = Some(character);
    }
    found.push(Position::new(line, column + 5));
    found.push(Position::new(line + 1, 0));
    found.push(Position::new(line + 40, 7));
    found
}

/// What one request at one place went wrong with.
struct Failure {
    file: String,
    request: &'static str,
    /// The encoding and the position or range.
    at: String,
    /// Where it went wrong: the code location of a panic, "internal error", or what the
    /// answer lacked.
    kind: String,
    message: String,
}

/// Asks requests of one state, counting them and keeping what fails.
struct Asker<'a> {
    state: &'a State,
    file: &'a str,
    encoding: &'static str,
    /// Per request: how many were asked, and how long they took.
    asked: BTreeMap<&'static str, (usize, Duration)>,
    failures: Vec<Failure>,
}

thread_local! {
    /// Where the last panic on this thread happened (the hook keeps it; the test reports it).
    static PANICKED_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl Asker<'_> {
    /// Asks one request; `None` when it failed or was refused.
    fn ask<P, A: Answer>(
        &mut self,
        request: &'static str,
        at: impl Fn() -> String,
        handler: fn(&State, P) -> A,
        params: P,
    ) -> Option<Serialised> {
        let state = self.state;
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| state.answer(handler, params)));
        let asked = self.asked.entry(request).or_default();
        asked.0 += 1;
        asked.1 += started.elapsed();
        let (kind, message) = match outcome {
            Ok(Ok(answer)) => return Some(answer),
            // A refusal with a reason (rename where there is nothing to rename) is an answer.
            Ok(Err(error)) if error.code != Error::INTERNAL_ERROR => return None,
            Ok(Err(error)) => ("internal error".to_string(), error.to_string()),
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
                    .unwrap_or_default();
                let place = PANICKED_AT.with(|place| place.borrow().clone());
                (format!("panic at {place}"), message)
            }
        };
        self.fail(request, at(), kind, message);
        None
    }

    fn fail(&mut self, request: &'static str, at: String, kind: String, message: String) {
        self.failures.push(Failure {
            file: self.file.to_string(),
            request,
            at: format!("{} {at}", self.encoding),
            kind,
            message,
        });
    }
}

fn at_position(position: Position) -> impl Fn() -> String {
    move || format!("{}:{}", position.line, position.character)
}

fn whole_file() -> impl Fn() -> String {
    || "the whole file".to_string()
}

fn position_params(position: Position) -> TextDocumentPositionParams {
    TextDocumentPositionParams {
        text_document: document(),
        position,
    }
}

/// Capabilities of a client: UTF-8 with everything a rich client declares (Neovim 0.11's
/// kind), or UTF-16 with nothing optional (a plain client), so both sides of every
/// capability-dependent answer are asked.
fn capabilities(utf8: bool) -> ClientCapabilities {
    let rich = json!({
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {
            "diagnostic": {"dynamicRegistration": false},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "completion": {"completionItem": {"snippetSupport": true}},
            "foldingRange": {"lineFoldingOnly": true},
            "rename": {"prepareSupport": true},
            "codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}
        }
    });
    serde_json::from_value(if utf8 { rich } else { json!({}) }).expect("capabilities")
}

/// The start of every line (`\n`, `\r\n` and a lone `\r` end one, as editors count), as an
/// empty range: a cursor at column 0.
fn line_starts(text: &str) -> Vec<Range> {
    let bytes = text.as_bytes();
    let breaks = (0..bytes.len())
        .filter(|at| {
            bytes[*at] == b'\n' || (bytes[*at] == b'\r' && bytes.get(at + 1) != Some(&b'\n'))
        })
        .count();
    (0..=breaks as u32)
        .map(|line| Range::new(Position::new(line, 0), Position::new(line, 0)))
        .collect()
}

/// Every request on one file in one encoding.
fn ask_everything(asker: &mut Asker, text: &str, seed: u64, utf8: bool) {
    asker.state.open(uri(), 1, text);
    let whole = Range::new(Position::new(0, 0), Position::new(u32::MAX / 2, 0));

    // Whole-document requests.
    let report = asker.ask(
        "diagnostic",
        whole_file(),
        State::diagnostic,
        DocumentDiagnosticParams {
            text_document: document(),
            identifier: None,
            previous_result_id: None,
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    let diagnostics: Vec<Value> = report
        .and_then(|report| serde_json::from_slice::<Value>(&report.to_bytes()).ok())
        .and_then(|report| report["items"].as_array().cloned())
        .unwrap_or_default();
    asker.ask(
        "documentSymbol",
        whole_file(),
        State::document_symbol,
        DocumentSymbolParams {
            text_document: document(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    asker.ask(
        "foldingRange",
        whole_file(),
        State::folding_range,
        FoldingRangeParams {
            text_document: document(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    asker.ask(
        "semanticTokens/full",
        whole_file(),
        State::semantic_tokens_full,
        SemanticTokensParams {
            text_document: document(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    asker.ask(
        "documentLink",
        whole_file(),
        State::document_link,
        DocumentLinkParams {
            text_document: document(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    asker.ask(
        "inlayHint",
        whole_file(),
        State::inlay_hint,
        InlayHintParams {
            text_document: document(),
            range: whole,
            work_done_progress_params: Default::default(),
        },
    );
    for (tab_size, insert_spaces) in [(4, true), (2, false)] {
        let options = FormattingOptions {
            tab_size,
            insert_spaces,
            ..Default::default()
        };
        asker.ask(
            "formatting",
            whole_file(),
            State::formatting,
            DocumentFormattingParams {
                text_document: document(),
                options: options.clone(),
                work_done_progress_params: Default::default(),
            },
        );
        asker.ask(
            "rangeFormatting",
            whole_file(),
            State::range_formatting,
            DocumentRangeFormattingParams {
                text_document: document(),
                range: whole,
                options,
                work_done_progress_params: Default::default(),
            },
        );
    }
    // Code actions for the whole file, with every finding listed (as lspbench asks) ...
    code_actions(asker, whole, &diagnostics, utf8);
    // ... and for each line, the cursor at its start with the line's findings listed (as
    // Neovim asks); semantic tokens for each line too.
    for line in line_starts(text) {
        let listed: Vec<Value> = diagnostics
            .iter()
            .filter(|diagnostic| diagnostic["range"]["start"]["line"] == line.start.line)
            .cloned()
            .collect();
        code_actions(asker, line, &listed, utf8);
        if line.start.line % LINES != 0 {
            continue;
        }
        let whole_line = Range::new(line.start, Position::new(line.start.line + 1, 0));
        asker.ask(
            "semanticTokens/range",
            move || format!("line {}", line.start.line),
            State::semantic_tokens_range,
            SemanticTokensRangeParams {
                text_document: document(),
                range: whole_line,
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            },
        );
    }

    // Position requests.
    let positions = positions(text, seed, !utf8);
    asker.ask(
        "selectionRange",
        whole_file(),
        State::selection_range,
        SelectionRangeParams {
            text_document: document(),
            positions: positions.clone(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    for position in positions {
        let at = at_position(position);
        let here = position_params(position);
        asker.ask(
            "hover",
            &at,
            State::hover,
            HoverParams {
                text_document_position_params: here.clone(),
                work_done_progress_params: Default::default(),
            },
        );
        asker.ask(
            "completion",
            &at,
            State::completion,
            CompletionParams {
                text_document_position: here.clone(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
                context: None,
            },
        );
        asker.ask(
            "signatureHelp",
            &at,
            State::signature_help,
            SignatureHelpParams {
                context: None,
                text_document_position_params: here.clone(),
                work_done_progress_params: Default::default(),
            },
        );
        asker.ask(
            "definition",
            &at,
            State::goto_definition,
            GotoDefinitionParams {
                text_document_position_params: here.clone(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            },
        );
        asker.ask(
            "references",
            &at,
            State::references,
            ReferenceParams {
                text_document_position: here.clone(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
                context: ReferenceContext {
                    include_declaration: true,
                },
            },
        );
        asker.ask(
            "documentHighlight",
            &at,
            State::document_highlight,
            DocumentHighlightParams {
                text_document_position_params: here.clone(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            },
        );
        let renamable = asker.ask("prepareRename", &at, State::prepare_rename, here.clone());
        // Rename where prepare says there is something to rename, and once at every other
        // position with a name of our own (the server must refuse, not fail).
        if renamable.is_some_and(|answer| answer.to_bytes() != b"null") || position.character == 0 {
            asker.ask(
                "rename",
                &at,
                State::rename,
                RenameParams {
                    text_document_position: here,
                    new_name: "renamed_1".into(),
                    work_done_progress_params: Default::default(),
                },
            );
        }
    }
}

/// Code actions for `range` with `listed` in the context, built from JSON as the wire gives
/// them; a lazily offered action is resolved and must come back with an edit.
fn code_actions(asker: &mut Asker, range: Range, listed: &[Value], utf8: bool) {
    let params: CodeActionRequest = serde_json::from_value(json!({
        "textDocument": {"uri": URI},
        "range": range,
        "context": {"diagnostics": listed, "triggerKind": 1}
    }))
    .expect("code-action parameters");
    let at = move || {
        format!(
            "{}:{}-{}:{}",
            range.start.line, range.start.character, range.end.line, range.end.character
        )
    };
    let Some(answer) = asker.ask("codeAction", at, State::code_action, params) else {
        return;
    };
    if !utf8 {
        return;
    }
    let offered: Vec<CodeAction> =
        serde_json::from_slice(&answer.to_bytes()).expect("code actions");
    for action in offered {
        let title = action.title.clone();
        let resolved = asker.ask("codeAction/resolve", at, State::code_action_resolve, action);
        let resolved: Option<CodeAction> =
            resolved.and_then(|answer| serde_json::from_slice(&answer.to_bytes()).ok());
        if resolved.is_none_or(|action| action.edit.is_none()) {
            asker.fail(
                "codeAction/resolve",
                at(),
                "no edit".into(),
                format!("\"{title}\" was offered but resolved to no edit"),
            );
        }
    }
}

/// A number from a file's name, so each file samples its own places.
fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn no_request_fails_at_any_position_of_any_corpus_file() {
    let started = Instant::now();
    // Where each panic happened, for the report (the message alone rarely says).
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|location| location.to_string())
            .unwrap_or_default();
        PANICKED_AT.with(|kept| *kept.borrow_mut() = place);
    }));
    let files = corpus_files();
    let next = Mutex::new(files.iter());
    let asked: Mutex<BTreeMap<&str, (usize, Duration)>> = Mutex::default();
    let failures: Mutex<Vec<Failure>> = Mutex::default();
    let threads = std::thread::available_parallelism().map_or(2, |count| count.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(path) = lock(&next).next() {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let text = read_lossy(path);
                    for utf8 in [true, false] {
                        let state = State::for_client(capabilities(utf8));
                        let mut asker = Asker {
                            state: &state,
                            file: &name,
                            encoding: if utf8 { "utf-8" } else { "utf-16" },
                            asked: BTreeMap::new(),
                            failures: Vec::new(),
                        };
                        ask_everything(&mut asker, &text, seed(&name), utf8);
                        let mut totals = lock(&asked);
                        for (request, (count, time)) in asker.asked {
                            let total = totals.entry(request).or_default();
                            total.0 += count;
                            total.1 += time;
                        }
                        drop(totals);
                        lock(&failures).append(&mut asker.failures);
                    }
                }
            });
        }
    });
    let _ = std::panic::take_hook();
    let asked = asked.into_inner().unwrap_or_else(PoisonError::into_inner);
    let failures = failures
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let total: usize = asked.values().map(|(count, _)| count).sum();
    for (request, (count, time)) in &asked {
        eprintln!("{request:21} {count:8} asked, {:6.1} s", time.as_secs_f64());
    }
    eprintln!(
        "{} files, {total} requests in {:.0} s on {threads} threads, {} failed",
        files.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    // One line per request and kind of failure, with a few examples.
    let mut grouped: BTreeMap<(&str, &str), Vec<&Failure>> = BTreeMap::new();
    for failure in &failures {
        grouped
            .entry((failure.request, failure.kind.as_str()))
            .or_default()
            .push(failure);
    }
    let report: Vec<String> = grouped
        .iter()
        .map(|((request, kind), found)| {
            let examples: Vec<String> = found
                .iter()
                .take(3)
                .map(|failure| format!("{} at {}: {}", failure.file, failure.at, failure.message))
                .collect();
            format!(
                "{request}: {kind}, {} times, e.g.\n  {}",
                found.len(),
                examples.join("\n  ")
            )
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", report.join("\n"));
    assert!(total > 1_000_000, "only {total} requests were asked");
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
