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
use crate::analysis::{actions, hover, symbols};
use crate::lint;
use crate::text::PositionEncoding;

/// What every handler shares.
pub struct State {
    documents: Documents,
    /// Set once by `initialize`.
    utf8: AtomicBool,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise we push them.
    pull: AtomicBool,
    pull_refresh: AtomicBool,
    /// The client shows nested document symbols.
    hierarchical_symbols: AtomicBool,
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
                    let snapshot = worker_state
                        .documents
                        .build(pending, worker_state.encoding());
                    let (settings, generation) = worker_state.settings();
                    let findings = snapshot.diagnostics(&settings, generation);
                    findings
                        .iter()
                        .map(|finding| convert::diagnostic(&worker_uri, &snapshot.index, finding))
                        .collect::<Vec<_>>()
                }))
            })
            .await;
            let items = match analysed {
                Ok(Ok(items)) => items,
                _ => {
                    tracing::error!(
                        "analysis of {} version {version} panicked; the server keeps running",
                        uri.as_str()
                    );
                    return;
                }
            };
            if state.pull.load(Ordering::Acquire) {
                return;
            }
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
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, convert::fix_all_kind()]),
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

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.run("textDocument/codeAction", move |state| {
            let uri = params.text_document.uri;
            let snapshot = state.snapshot(&uri)?;
            let (settings, generation) = state.settings();
            let findings = snapshot.diagnostics(&settings, generation);
            let lsp_findings: Vec<Diagnostic> = findings
                .iter()
                .map(|finding| convert::diagnostic(&uri, &snapshot.index, finding))
                .collect();
            let only = params.context.only.as_deref().unwrap_or(&[]);
            let wants = |kind: &CodeActionKind| {
                only.is_empty()
                    || only.iter().any(|wanted| {
                        kind.as_str() == wanted.as_str()
                            || kind.as_str().starts_with(&format!("{}.", wanted.as_str()))
                    })
            };
            let span = convert::span(&snapshot.index, params.range);
            let mut found = Vec::new();
            if wants(&CodeActionKind::QUICKFIX) {
                found.extend(actions::quick_fixes(&findings, &span));
            }
            if wants(&convert::fix_all_kind())
                && let Some(all) = actions::fix_all(&findings)
            {
                found.push(all);
            }
            let response: CodeActionResponse = found
                .iter()
                .map(|action| {
                    CodeActionOrCommand::CodeAction(convert::code_action(
                        &uri,
                        &snapshot.index,
                        action,
                        &lsp_findings,
                    ))
                })
                .collect();
            Some(response)
        })
        .await
    }
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
