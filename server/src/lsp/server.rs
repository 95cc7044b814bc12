//! The language server: LSP requests and notifications in, analysis calls, LSP results out.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert;
use super::documents::{Documents, Pending, Snapshot};
use super::settings;
use crate::analysis::actions::Action;
use crate::analysis::{
    actions, completion, folding, format, hover, inlay_hints, links, navigation, selection,
    semantic_tokens, signature_help, symbols,
};
use crate::lint;
use crate::text::PositionEncoding;

/// What every handler shares.
/// A document's version and its full semantic tokens.
type VersionedTokens = (i32, Arc<Vec<SemanticToken>>);

pub struct State {
    documents: Documents,
    /// Set once by `initialize`.
    utf8: AtomicBool,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise we push them.
    pull: AtomicBool,
    pull_refresh: AtomicBool,
    /// The client shows nested document symbols.
    hierarchical_symbols: AtomicBool,
    /// The client accepts snippets in completion items.
    snippets: AtomicBool,
    /// The client folds whole lines only (no columns in folding ranges).
    line_folding_only: AtomicBool,
    /// The client resolves code actions' edits lazily (`codeAction/resolve`).
    resolve_edits: AtomicBool,
    /// The full semantic tokens of the last version asked for, per document: editors ask again
    /// on every scroll and focus.
    semantic_tokens: std::sync::Mutex<HashMap<Uri, VersionedTokens>>,
    configuration: AtomicBool,
    settings: RwLock<Arc<lint::Settings>>,
    /// Bumped on every settings change, so cached findings are recomputed.
    generation: AtomicU64,
    /// The version last published per document, so an older result never overwrites a newer.
    published: tokio::sync::Mutex<HashMap<Uri, i32>>,
}

impl State {
    fn encoding(&self) -> PositionEncoding {
        if self.utf8.load(Ordering::Acquire) {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        }
    }

    fn settings(&self) -> (Arc<lint::Settings>, u64) {
        let settings = self
            .settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        (settings, self.generation.load(Ordering::Acquire))
    }

    /// Takes new settings; true when they differ from the current ones.
    fn set_settings(&self, value: &Value) -> bool {
        let (parsed, warnings) = settings::parse(value);
        for warning in warnings {
            tracing::warn!("{warning}");
        }
        let mut current = self
            .settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if **current == parsed {
            return false;
        }
        *current = Arc::new(parsed);
        self.generation.fetch_add(1, Ordering::AcqRel);
        true
    }

    fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.documents.snapshot(uri, self.encoding())
    }

    /// The tree-sitter tree of `snapshot`'s version: the document's own when it is that
    /// version, else (the document moved on meanwhile) a fresh parse of the snapshot's text.
    fn tree(&self, uri: &Uri, snapshot: &Snapshot) -> Option<tree_sitter::Tree> {
        match self.documents.tree(uri) {
            Some((version, tree)) if version == snapshot.version => Some(tree),
            _ => crate::syntax::tree::parse(snapshot.index.text()),
        }
    }

    /// The full semantic tokens of `uri`, from the cache when its version has not changed.
    fn full_semantic_tokens(&self, uri: &Uri) -> Option<Arc<Vec<SemanticToken>>> {
        let snapshot = self.snapshot(uri)?;
        {
            let cache = self
                .semantic_tokens
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((version, tokens)) = cache.get(uri)
                && *version == snapshot.version
            {
                return Some(tokens.clone());
            }
        }
        let tree = self.tree(uri, &snapshot)?;
        let found = semantic_tokens::semantic_tokens(&snapshot.source, &tree, None);
        let encoded = Arc::new(convert::semantic_tokens(
            &snapshot.source.text,
            self.encoding(),
            &found,
        ));
        let mut cache = self
            .semantic_tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Documents closed since are forgotten here.
        cache.retain(|cached, _| self.documents.version(cached).is_some());
        cache.insert(uri.clone(), (snapshot.version, encoded.clone()));
        Some(encoded)
    }
}

/// An error reply with the reason a request cannot be done (LSP's RequestFailed).
fn request_failed(message: String) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub struct Server {
    client: Client,
    state: Arc<State>,
}

impl Server {
    pub fn new(client: Client) -> Server {
        Server {
            client,
            state: Arc::new(State {
                documents: Documents::default(),
                utf8: AtomicBool::new(false),
                pull: AtomicBool::new(false),
                pull_refresh: AtomicBool::new(false),
                hierarchical_symbols: AtomicBool::new(false),
                snippets: AtomicBool::new(false),
                line_folding_only: AtomicBool::new(false),
                resolve_edits: AtomicBool::new(false),
                semantic_tokens: std::sync::Mutex::new(HashMap::new()),
                configuration: AtomicBool::new(false),
                settings: RwLock::new(Arc::new(lint::Settings::default())),
                generation: AtomicU64::new(0),
                published: tokio::sync::Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Runs `work` on the blocking pool, where a panic is logged and becomes an error reply
    /// instead of taking the server down.
    async fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&State) -> T + Send + 'static,
    ) -> Result<T> {
        let state = self.state.clone();
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(&state)));
            tracing::debug!("{what}: {:?} of work", started.elapsed());
            result
        })
        .await;
        tracing::debug!("{what}: answered after {:?}", started.elapsed());
        result
            .map_err(|error| {
                tracing::error!("{what} failed: {error}");
                Error::internal_error()
            })?
            .map_err(|_| {
                tracing::error!("{what} panicked; the server keeps running");
                Error::internal_error()
            })
    }

    /// Analyses a new version and, for push clients, publishes its findings.
    fn schedule(&self, pending: Pending) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let uri = pending.uri.clone();
            let version = pending.version;
            let worker_state = state.clone();
            let worker_uri = uri.clone();
            let analysed = tokio::task::spawn_blocking(move || {
                std::panic::catch_unwind(AssertUnwindSafe(|| {
                    // A newer version arrived while this one waited: its own task will do
                    // the work, and this result would only be dropped.
                    if worker_state.documents.version(&worker_uri) != Some(version) {
                        return None;
                    }
                    let snapshot = worker_state
                        .documents
                        .build(pending, worker_state.encoding());
                    let (settings, generation) = worker_state.settings();
                    let findings = snapshot.diagnostics(&settings, generation);
                    // Pull clients ask for the findings; building them here warms the cache.
                    if worker_state.pull.load(Ordering::Acquire) {
                        return None;
                    }
                    Some(
                        findings
                            .iter()
                            .map(|finding| {
                                convert::diagnostic(&worker_uri, &snapshot.index, finding)
                            })
                            .collect::<Vec<_>>(),
                    )
                }))
            })
            .await;
            let items = match analysed {
                Ok(Ok(Some(items))) => items,
                Ok(Ok(None)) => return,
                _ => {
                    tracing::error!(
                        "analysis of {} version {version} panicked; the server keeps running",
                        uri.as_str()
                    );
                    return;
                }
            };
            publish(&state, &client, uri, version, items).await;
        });
    }

    /// Asks the client for settings; true when they changed.
    async fn fetch_settings(&self) -> bool {
        if !self.state.configuration.load(Ordering::Acquire) {
            return false;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(settings::SECTION.into()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(mut values) if !values.is_empty() => self.state.set_settings(&values.remove(0)),
            Ok(_) => false,
            Err(error) => {
                tracing::warn!("workspace/configuration failed: {error}");
                false
            }
        }
    }

    /// After a settings change: findings change for every open document.
    async fn refresh_all(&self) {
        if self.state.pull.load(Ordering::Acquire) {
            if self.state.pull_refresh.load(Ordering::Acquire)
                && let Err(error) = self.client.workspace_diagnostic_refresh().await
            {
                tracing::warn!("workspace/diagnostic/refresh failed: {error}");
            }
            return;
        }
        for uri in self.state.documents.uris() {
            let state = self.state.clone();
            let Some(snapshot) = state.snapshot(&uri) else {
                continue;
            };
            let (settings, generation) = state.settings();
            let items: Vec<Diagnostic> = snapshot
                .diagnostics(&settings, generation)
                .iter()
                .map(|finding| convert::diagnostic(&uri, &snapshot.index, finding))
                .collect();
            publish(&state, &self.client, uri, snapshot.version, items).await;
        }
    }
}

/// Publishes findings unless the document moved on or a newer result was already sent.
async fn publish(state: &State, client: &Client, uri: Uri, version: i32, items: Vec<Diagnostic>) {
    let mut published = state.published.lock().await;
    if state.documents.version(&uri) != Some(version) {
        return;
    }
    if published.get(&uri).is_some_and(|last| *last > version) {
        return;
    }
    published.insert(uri.clone(), version);
    client.publish_diagnostics(uri, items, Some(version)).await;
}

fn client_offers_utf8(params: &InitializeParams) -> bool {
    params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8))
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = client_offers_utf8(&params);
        self.state.utf8.store(utf8, Ordering::Release);
        let text_document = params.capabilities.text_document.as_ref();
        let pull = text_document.is_some_and(|capabilities| capabilities.diagnostic.is_some());
        self.state.pull.store(pull, Ordering::Release);
        let workspace = params.capabilities.workspace.as_ref();
        self.state.hierarchical_symbols.store(
            text_document
                .and_then(|capabilities| capabilities.document_symbol.as_ref())
                .and_then(|symbols| symbols.hierarchical_document_symbol_support)
                .unwrap_or(false),
            Ordering::Release,
        );
        self.state.snippets.store(
            text_document
                .and_then(|capabilities| capabilities.completion.as_ref())
                .and_then(|completion| completion.completion_item.as_ref())
                .and_then(|item| item.snippet_support)
                .unwrap_or(false),
            Ordering::Release,
        );
        self.state.line_folding_only.store(
            text_document
                .and_then(|capabilities| capabilities.folding_range.as_ref())
                .and_then(|folding| folding.line_folding_only)
                .unwrap_or(false),
            Ordering::Release,
        );
        let code_action = text_document.and_then(|capabilities| capabilities.code_action.as_ref());
        self.state.resolve_edits.store(
            code_action.is_some_and(|code_action| {
                code_action.data_support == Some(true)
                    && code_action.resolve_support.as_ref().is_some_and(|resolve| {
                        resolve.properties.iter().any(|property| property == "edit")
                    })
            }),
            Ordering::Release,
        );
        // LSP: `prepareProvider` may only be announced to clients that declare prepareSupport.
        let prepare_rename = text_document
            .and_then(|capabilities| capabilities.rename.as_ref())
            .and_then(|rename| rename.prepare_support)
            .unwrap_or(false);
        self.state.pull_refresh.store(
            workspace
                .and_then(|workspace| workspace.diagnostics.as_ref())
                .and_then(|diagnostics| diagnostics.refresh_support)
                .unwrap_or(false),
            Ordering::Release,
        );
        self.state.configuration.store(
            workspace
                .and_then(|workspace| workspace.configuration)
                .unwrap_or(false),
            Ordering::Release,
        );
        if let Some(options) = &params.initialization_options {
            self.state.set_settings(options);
        }

        tracing::info!(
            "initialize: client {:?}, positions {}, diagnostics {}",
            params.client_info.as_ref().map(|info| &info.name),
            if utf8 { "utf-8" } else { "utf-16" },
            if pull { "pulled" } else { "pushed" }
        );
        let capabilities = ServerCapabilities {
            position_encoding: Some(if utf8 {
                PositionEncodingKind::UTF8
            } else {
                PositionEncodingKind::UTF16
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(
                    ["$", "{", "-", "=", ",", ":", " "]
                        .iter()
                        .map(|character| character.to_string())
                        .collect(),
                ),
                ..CompletionOptions::default()
            }),
            signature_help_provider: Some(SignatureHelpOptions {
                trigger_characters: Some(vec![" ".into(), "=".into(), "[".into()]),
                retrigger_characters: Some(vec![",".into(), ":".into(), "/".into()]),
                ..SignatureHelpOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            rename_provider: Some(if prepare_rename {
                OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })
            } else {
                OneOf::Left(true)
            }),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            document_link_provider: Some(DocumentLinkOptions {
                resolve_provider: Some(false),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            }),
            inlay_hint_provider: Some(OneOf::Left(true)),
            selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: convert::semantic_tokens_legend(),
                    range: Some(true),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    ..SemanticTokensOptions::default()
                }),
            ),
            document_formatting_provider: Some(OneOf::Left(true)),
            document_range_formatting_provider: Some(OneOf::Left(true)),
            // BuildKit's escape character is `\` or, after `# escape=`, a backtick.
            document_on_type_formatting_provider: Some(DocumentOnTypeFormattingOptions {
                first_trigger_character: "\\".into(),
                more_trigger_character: Some(vec!["`".into()]),
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::REFACTOR_REWRITE,
                    convert::fix_all_kind(),
                    convert::merge_runs_kind(),
                ]),
                resolve_provider: Some(true),
                ..CodeActionOptions::default()
            })),
            diagnostic_provider: pull.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("dockerfile-ls".into()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    ..DiagnosticOptions::default()
                })
            }),
            ..ServerCapabilities::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "dockerfile-ls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Documents opened meanwhile were analysed with the old settings.
        if self.fetch_settings().await {
            self.refresh_all().await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let pending = self
            .state
            .documents
            .open(document.uri, document.version, &document.text);
        self.schedule(pending);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let changes: Vec<_> = params
            .content_changes
            .into_iter()
            .map(convert::text_change)
            .collect();
        let uri = params.text_document.uri;
        // Applied here, before any await, so changes keep their order.
        match self.state.documents.change(
            &uri,
            params.text_document.version,
            &changes,
            self.state.encoding(),
        ) {
            Ok(pending) => self.schedule(pending),
            Err(rejected) => tracing::warn!("change to {} ignored: {rejected:?}", uri.as_str()),
        }
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.state.documents.close(&uri) {
            tracing::warn!("close of unknown document {}", uri.as_str());
            return;
        }
        self.state.published.lock().await.remove(&uri);
        if !self.state.pull.load(Ordering::Acquire) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let inline = match &params.settings {
            Value::Object(object) if object.contains_key(settings::SECTION) => {
                Some(&params.settings)
            }
            Value::Object(object)
                if !object.is_empty()
                    && object
                        .keys()
                        .any(|key| settings::KEYS.contains(&key.as_str())) =>
            {
                Some(&params.settings)
            }
            _ => None,
        };
        let changed = match inline {
            Some(value) => self.state.set_settings(value),
            None => self.fetch_settings().await,
        };
        if changed {
            self.refresh_all().await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = self
            .run("textDocument/diagnostic", move |state| {
                let Some(snapshot) = state.snapshot(&uri) else {
                    return Vec::new();
                };
                let (settings, generation) = state.settings();
                snapshot
                    .diagnostics(&settings, generation)
                    .iter()
                    .map(|finding| convert::diagnostic(&uri, &snapshot.index, finding))
                    .collect()
            })
            .await?;
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        self.run("textDocument/hover", move |state| {
            let snapshot = state.snapshot(&position.text_document.uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let found = hover::hover(&snapshot.source, offset)?;
            Some(convert::markdown_hover(
                &snapshot.index,
                found.markdown,
                &found.span,
            ))
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.run("textDocument/documentLink", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            Some(
                links::document_links(&snapshot.source)
                    .iter()
                    .filter_map(|link| convert::document_link(&snapshot.index, link))
                    .collect(),
            )
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.run("textDocument/inlayHint", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            let span = convert::span(&snapshot.index, params.range);
            Some(
                inlay_hints::inlay_hints(&snapshot.source, span)
                    .iter()
                    .map(|hint| convert::inlay_hint(&snapshot.index, hint))
                    .collect(),
            )
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.run("textDocument/documentSymbol", move |state| {
            let uri = params.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let found = symbols::symbols(&snapshot.source);
            Some(if state.hierarchical_symbols.load(Ordering::Acquire) {
                DocumentSymbolResponse::Nested(
                    found
                        .iter()
                        .map(|symbol| convert::document_symbol(&snapshot.index, symbol))
                        .collect(),
                )
            } else {
                DocumentSymbolResponse::Flat(convert::flat_symbols(&uri, &snapshot.index, &found))
            })
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        self.run("textDocument/completion", move |state| {
            let snapshot = state.snapshot(&position.text_document.uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let snippets = state.snippets.load(Ordering::Acquire);
            let found = completion::completions(&snapshot.source, offset, snippets);
            let items = found
                .iter()
                .map(|item| convert::completion_item(&snapshot.index, item))
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let position = params.text_document_position_params;
        self.run("textDocument/signatureHelp", move |state| {
            let snapshot = state.snapshot(&position.text_document.uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let help = signature_help::signature_help(&snapshot.source, offset)?;
            Some(convert::signature_help(&help))
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        self.run("textDocument/definition", move |state| {
            let uri = position.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let found = navigation::definition(&snapshot.source, offset);
            let mut locations = convert::locations(&uri, &snapshot.index, &found);
            match locations.len() {
                0 => None,
                1 => locations.pop().map(GotoDefinitionResponse::Scalar),
                _ => Some(GotoDefinitionResponse::Array(locations)),
            }
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let include_declaration = params.context.include_declaration;
        self.run("textDocument/references", move |state| {
            let uri = position.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let found = navigation::references(&snapshot.source, offset, include_declaration);
            Some(convert::locations(&uri, &snapshot.index, &found))
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params;
        self.run("textDocument/documentHighlight", move |state| {
            let snapshot = state.snapshot(&position.text_document.uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let found = navigation::highlights(&snapshot.source, offset);
            Some(convert::document_highlights(&snapshot.index, &found))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let answer = self
            .run("textDocument/prepareRename", move |state| {
                let Some(snapshot) = state.snapshot(&params.text_document.uri) else {
                    return Ok(None);
                };
                let offset = convert::offset(&snapshot.index, params.position);
                let target = navigation::prepare_rename(&snapshot.source, offset)?;
                Ok(
                    target.map(|target| PrepareRenameResponse::RangeWithPlaceholder {
                        range: convert::range(&snapshot.index, &target.span),
                        placeholder: target.name,
                    }),
                )
            })
            .await?;
        answer.map_err(request_failed)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let new_name = params.new_name;
        let answer = self
            .run("textDocument/rename", move |state| {
                let uri = position.text_document.uri;
                let Some(snapshot) = state.snapshot(&uri) else {
                    return Ok(None);
                };
                let offset = convert::offset(&snapshot.index, position.position);
                let edits = navigation::rename(&snapshot.source, offset, &new_name)?;
                Ok(Some(convert::workspace_edit(&uri, &snapshot.index, &edits)))
            })
            .await?;
        answer.map_err(request_failed)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.run("textDocument/foldingRange", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            let found = folding::folding_ranges(&snapshot.source);
            let line_folding_only = state.line_folding_only.load(Ordering::Acquire);
            Some(convert::folding_ranges(
                &snapshot.index,
                &found,
                line_folding_only,
            ))
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        self.run("textDocument/selectionRange", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            let ranges = params
                .positions
                .iter()
                .map(|position| {
                    let offset = convert::offset(&snapshot.index, *position);
                    let chain = selection::selection_ranges(&snapshot.source, offset);
                    convert::selection_range(&snapshot.index, &chain)
                })
                .collect();
            Some(ranges)
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.run("textDocument/semanticTokens/full", move |state| {
            let tokens = state.full_semantic_tokens(&params.text_document.uri)?;
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: tokens.as_ref().clone(),
            }))
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.run("textDocument/semanticTokens/range", move |state| {
            let uri = params.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let tree = state.tree(&uri, &snapshot)?;
            let span = convert::span(&snapshot.index, params.range);
            let found = semantic_tokens::semantic_tokens(&snapshot.source, &tree, Some(span));
            let data = convert::semantic_tokens(&snapshot.source.text, state.encoding(), &found);
            Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            }))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.run("textDocument/formatting", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            let options = convert::format_options(&params.options);
            let edits = format::format(&snapshot.source, &options);
            Some(convert::text_edits(&snapshot.index, &edits))
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.run("textDocument/rangeFormatting", move |state| {
            let snapshot = state.snapshot(&params.text_document.uri)?;
            let options = convert::format_options(&params.options);
            let span = convert::span(&snapshot.index, params.range);
            let edits = format::format_range(&snapshot.source, &span, &options);
            Some(convert::text_edits(&snapshot.index, &edits))
        })
        .await
    }

    async fn on_type_formatting(
        &self,
        params: DocumentOnTypeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.run("textDocument/onTypeFormatting", move |state| {
            let position = params.text_document_position;
            let snapshot = state.snapshot(&position.text_document.uri)?;
            let offset = convert::offset(&snapshot.index, position.position);
            let typed = params.ch.chars().next()?;
            let options = convert::format_options(&params.options);
            let edits = format::format_on_type(&snapshot.source, offset, typed, &options);
            Some(convert::text_edits(&snapshot.index, &edits))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.run("textDocument/codeAction", move |state| {
            let uri = params.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let span = convert::span(&snapshot.index, params.range);
            let only = params.context.only.as_deref().unwrap_or(&[]);
            // The edit is computed when the user picks the action (`codeAction/resolve`) for
            // clients that can: a lightbulb request stays small.
            let lazy = state.resolve_edits.load(Ordering::Acquire);
            let (settings, generation) = state.settings();
            let findings = snapshot.diagnostics(&settings, generation);
            let found = code_actions(&snapshot, &findings, &span, only, !lazy);
            // Each finding converted once, however many actions name it.
            let mut converted: Vec<Option<Diagnostic>> = vec![None; findings.len()];
            let response: CodeActionResponse = found
                .iter()
                .map(|action| {
                    let diagnostics: Vec<Diagnostic> = action
                        .diagnostics
                        .iter()
                        .filter_map(|at| {
                            let finding = findings.get(*at)?;
                            let slot = converted.get_mut(*at)?;
                            Some(
                                slot.get_or_insert_with(|| {
                                    convert::diagnostic(&uri, &snapshot.index, finding)
                                })
                                .clone(),
                            )
                        })
                        .collect();
                    let mut action_lsp =
                        convert::code_action(&uri, &snapshot.index, action, &diagnostics, !lazy);
                    if lazy {
                        action_lsp.data = Some(serde_json::json!({
                            "uri": uri.as_str(),
                            "version": snapshot.version,
                            "start": span.start,
                            "end": span.end,
                            "kind": action_lsp.kind.as_ref().map(|kind| kind.as_str()),
                            "title": action.title,
                        }));
                    }
                    CodeActionOrCommand::CodeAction(action_lsp)
                })
                .collect();
            Some(response)
        })
        .await
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let data = action.data.clone();
        let resolved = self
            .run("codeAction/resolve", move |state| {
                let data = data?;
                let uri: Uri = data.get("uri")?.as_str()?.parse().ok()?;
                let version = data.get("version")?.as_i64()?;
                let start = data.get("start")?.as_u64()? as usize;
                let end = data.get("end")?.as_u64()? as usize;
                let kind = CodeActionKind::from(data.get("kind")?.as_str()?.to_string());
                let title = data.get("title")?.as_str()?.to_string();
                let snapshot = state.snapshot(&uri)?;
                if i64::from(snapshot.version) != version {
                    tracing::info!("codeAction/resolve for an outdated version of {uri:?}");
                    return None;
                }
                let (settings, generation) = state.settings();
                let findings = snapshot.diagnostics(&settings, generation);
                // Only the chosen kind is computed (not every file-wide action).
                let found = code_actions(&snapshot, &findings, &(start..end), &[kind], true);
                let chosen = found.into_iter().find(|action| action.title == title)?;
                Some(convert::workspace_edit(
                    &uri,
                    &snapshot.index,
                    &chosen.edits,
                ))
            })
            .await?;
        action.edit = resolved;
        Ok(action)
    }
}

/// The actions for `span`, of the kinds in `only` (all when empty). The file-wide actions come
/// with a lightbulb only where they would do something: fix-all where a finding with a safe fix
/// is, merge-all on a RUN that can merge; asked for by kind, they are always there. Without
/// `with_edits` (the client resolves them later) the file-wide actions are not computed, only
/// known to exist.
fn code_actions(
    snapshot: &Snapshot,
    findings: &[lint::Diagnostic],
    span: &crate::text::Span,
    only: &[CodeActionKind],
    with_edits: bool,
) -> Vec<Action> {
    let asked = |kind: &CodeActionKind| {
        only.iter().any(|wanted| {
            kind.as_str() == wanted.as_str()
                || kind.as_str().starts_with(&format!("{}.", wanted.as_str()))
        })
    };
    let wants = |kind: &CodeActionKind| only.is_empty() || asked(kind);
    let mut found = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        found.extend(actions::quick_fixes(findings, span));
    }
    let offer_fix_all = asked(&convert::fix_all_kind())
        || (only.is_empty() && actions::has_safe_fix_at(findings, span));
    if offer_fix_all {
        if with_edits {
            found.extend(actions::fix_all(findings));
        } else if findings
            .iter()
            .any(|finding| finding.fixes.iter().any(|fix| fix.safe))
        {
            found.push(actions::fix_all_placeholder());
        }
    }
    let near_merge = || {
        findings.iter().any(|finding| {
            finding.rule.name == crate::lint::rules::consecutive_run_instructions::RULE.name
                && finding.span.start <= span.end
                && span.start <= finding.span.end
        })
    };
    let offer_merge = asked(&convert::merge_runs_kind()) || (only.is_empty() && near_merge());
    if offer_merge {
        if with_edits {
            found.extend(actions::merge_all_runs(&snapshot.source));
        } else if findings.iter().any(|finding| {
            finding.rule.name == crate::lint::rules::consecutive_run_instructions::RULE.name
                && !finding.fixes.is_empty()
        }) {
            found.push(actions::merge_all_runs_placeholder());
        }
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE)
        && let Some(split) = actions::split_run(&snapshot.source, span.start)
    {
        found.push(split);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::LspService;

    #[tokio::test]
    async fn a_panic_in_analysis_becomes_an_error_reply() {
        let (service, _socket) = LspService::new(Server::new);
        let server = service.inner();
        let failed = server.run("test", |_| -> i32 { panic!("boom") }).await;
        assert!(failed.is_err());
        // And the next request works.
        assert_eq!(server.run("test", |_| 7).await.unwrap(), 7);
    }
}
