//! The language server: LSP requests and notifications in, analysis calls, LSP results out.
//!
//! Messages are handled in the order they arrive: a document change is applied before the next
//! message is read, so a request always sees the edits sent before it. Requests then run on the
//! blocking pool, where a panic becomes an error reply and the server keeps answering.

use std::collections::HashMap;
use std::hash::Hasher;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, RwLock};

use ls_types::*;
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use super::configuration::{self, Configurations};
use super::documents::{Documents, Pending, Snapshot};
use super::rpc::{self, Client, Error, Id, Outgoing, Result, Serialised};
use super::settings;
use super::{convert, lock};
use crate::analysis::actions::{Action, ActionKind};
use crate::analysis::{
    actions, build_context, completion, folding, format, hover, inlay_hints, links, navigation,
    selection, semantic_tokens, signature_help, symbols,
};
use crate::lint;
use crate::text::PositionEncoding;

/// The serialised answers to the document-wide requests of one version of a document, under one
/// settings generation. Editors ask the same question again and again while nothing changed
/// (symbols for the outline and the breadcrumbs, tokens on every focus, folding on every
/// scroll); on a large file the answer is megabytes of JSON, so it is kept as bytes, large
/// ones compressed.
struct Answers {
    /// The document's opening and version (`Documents::identity`).
    identity: (u64, i32),
    generation: u64,
    /// (method, hash of the parameters' JSON, answer)
    entries: Vec<(String, u64, Serialised)>,
}

/// At most this many answers are kept per document (the oldest goes first).
const ANSWERS_PER_DOCUMENT: usize = 16;

/// Where a cacheable request's answer is filed.
struct AnswerKey {
    uri: Uri,
    identity: (u64, i32),
    generation: u64,
    method: String,
    hash: u64,
}

/// What the client said it can do, read once from `initialize`.
#[derive(Clone, Copy, Debug, Default)]
struct ClientSupport {
    utf8: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise we push them.
    pull: bool,
    pull_refresh: bool,
    /// The client shows nested document symbols.
    hierarchical_symbols: bool,
    /// The client accepts snippets in completion items.
    snippets: bool,
    /// The client folds whole lines only (no columns in folding ranges).
    line_folding_only: bool,
    /// The client resolves code actions' edits lazily (`codeAction/resolve`).
    resolve_edits: bool,
    /// The client answers `workspace/configuration`.
    configuration: bool,
    /// The client understands `prepareRename`.
    prepare_rename: bool,
    /// The client accepts `workspace/didChangeWatchedFiles` registered at run time.
    watch_files: bool,
}

impl ClientSupport {
    fn of(params: &InitializeParams) -> ClientSupport {
        let capabilities = &params.capabilities;
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let code_action = text_document.and_then(|text| text.code_action.as_ref());
        ClientSupport {
            utf8: capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.as_ref())
                .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8)),
            pull: text_document.is_some_and(|text| text.diagnostic.is_some()),
            pull_refresh: workspace
                .and_then(|workspace| workspace.diagnostics.as_ref())
                .and_then(|diagnostics| diagnostics.refresh_support)
                .unwrap_or(false),
            hierarchical_symbols: text_document
                .and_then(|text| text.document_symbol.as_ref())
                .and_then(|symbols| symbols.hierarchical_document_symbol_support)
                .unwrap_or(false),
            snippets: text_document
                .and_then(|text| text.completion.as_ref())
                .and_then(|completion| completion.completion_item.as_ref())
                .and_then(|item| item.snippet_support)
                .unwrap_or(false),
            line_folding_only: text_document
                .and_then(|text| text.folding_range.as_ref())
                .and_then(|folding| folding.line_folding_only)
                .unwrap_or(false),
            resolve_edits: code_action.is_some_and(|code_action| {
                code_action.data_support == Some(true)
                    && code_action.resolve_support.as_ref().is_some_and(|resolve| {
                        resolve.properties.iter().any(|property| property == "edit")
                    })
            }),
            configuration: workspace
                .and_then(|workspace| workspace.configuration)
                .unwrap_or(false),
            prepare_rename: text_document
                .and_then(|text| text.rename.as_ref())
                .and_then(|rename| rename.prepare_support)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|workspace| workspace.did_change_watched_files.as_ref())
                .and_then(|watched| watched.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

/// What every handler shares. The protocol loop (`Server`) owns one; tests may make their own
/// (`State::for_client`) to call the handlers with typed parameters, without the wire.
pub struct State {
    documents: Documents,
    /// Set once by `initialize`, before any other request is read.
    client: std::sync::OnceLock<ClientSupport>,
    /// The editor's settings, and a generation bumped on every change.
    settings: RwLock<(Arc<lint::Settings>, u64)>,
    /// Each open document's effective settings (configuration file, then the editor's) with a
    /// generation of its own, so cached findings and answers of that document are recomputed
    /// when, and only when, its settings change.
    configurations: Configurations,
    /// The version last published per document, so an older result never overwrites a newer.
    published: Mutex<HashMap<Uri, i32>>,
    answers: Mutex<HashMap<Uri, Answers>>,
}

impl State {
    /// A state after `initialize` with `capabilities`, holding no document: what a test needs
    /// to call the handlers directly.
    pub fn for_client(capabilities: ClientCapabilities) -> State {
        let state = State::new();
        state.initialize(InitializeParams {
            capabilities,
            ..InitializeParams::default()
        });
        state
    }

    /// Opens a document as `textDocument/didOpen` does; its snapshot is built by the first
    /// request that needs it.
    pub fn open(&self, uri: Uri, version: i32, text: &str) {
        self.documents.open(uri, version, text);
    }

    /// Runs `handler` and serialises its answer: what the protocol loop does for a request
    /// once its parameters are parsed (on the blocking pool, under `catch_unwind`).
    pub fn answer<P, A: Answer>(
        &self,
        handler: fn(&State, P) -> A,
        params: P,
    ) -> Result<Serialised> {
        handler(self, params)
            .into_result()
            .and_then(|result| Serialised::of(&result))
    }

    fn new() -> State {
        State {
            documents: Documents::default(),
            client: std::sync::OnceLock::new(),
            settings: RwLock::new((Arc::new(lint::Settings::default()), 0)),
            configurations: Configurations::default(),
            published: Mutex::new(HashMap::new()),
            answers: Mutex::new(HashMap::new()),
        }
    }

    fn client(&self) -> ClientSupport {
        self.client.get().copied().unwrap_or_default()
    }

    fn encoding(&self) -> PositionEncoding {
        if self.client().utf8 {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        }
    }

    /// The editor's settings, as the top layer of every document's configuration.
    fn editor_layer(&self) -> crate::config::Layer {
        let settings = self
            .settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        crate::config::Layer::from_settings(&settings.0)
    }

    /// The effective settings of `uri` (its configuration file, the editor's settings on top)
    /// and their generation.
    fn settings(&self, uri: &Uri) -> (Arc<lint::Settings>, u64) {
        let (settings, generation, _) = self.configurations.settings(uri, || self.editor_layer());
        (settings, generation)
    }

    /// The generation of `uri`'s settings (0 before it has any).
    fn generation(&self, uri: &Uri) -> u64 {
        self.configurations.generation(uri).unwrap_or(0)
    }

    /// Takes new settings; true when they differ from the current ones (every open document's
    /// settings are then recomputed).
    fn set_settings(&self, value: &Value) -> bool {
        let (parsed, warnings) = settings::parse(value);
        for warning in warnings {
            tracing::warn!("{warning}");
        }
        let mut current = self
            .settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *current.0 == parsed {
            return false;
        }
        *current = (Arc::new(parsed), current.1 + 1);
        drop(current);
        self.configurations
            .reconfigure(&self.dockerfile_uris(), || self.editor_layer());
        true
    }

    /// Whether `uri` is a Dockerfile: not a configuration file, compose or bake file, which a
    /// client may show us (and which are kept in step) but which are never linted.
    fn is_dockerfile(&self, uri: &Uri) -> bool {
        !configuration::is_config_document(uri) && !self.configurations.is_other_language(uri)
    }

    /// The open Dockerfiles ([`State::is_dockerfile`]).
    fn dockerfile_uris(&self) -> Vec<Uri> {
        let mut uris = self.documents.uris();
        uris.retain(|uri| self.is_dockerfile(uri));
        uris
    }

    /// The parsed current version of a Dockerfile; `None` for the other documents a client
    /// shows us ([`State::is_dockerfile`]).
    fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        if !self.is_dockerfile(uri) {
            return None;
        }
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

    /// Publishes the findings of `uri`'s current version.
    fn publish_current(&self, client: &Client, uri: Uri) {
        let Some(snapshot) = self.snapshot(&uri) else {
            return;
        };
        let (settings, generation) = self.settings(&uri);
        let findings = snapshot.diagnostics(&settings, generation);
        self.publish(client, uri, &snapshot, &findings);
    }

    /// Publishes findings of `snapshot` unless the document moved on or a newer result was
    /// already sent.
    fn publish(
        &self,
        client: &Client,
        uri: Uri,
        snapshot: &Snapshot,
        findings: &[lint::Diagnostic],
    ) {
        #[derive(Serialize)]
        struct Params<'a> {
            uri: &'a Uri,
            diagnostics: convert::DiagnosticsJson<'a>,
            version: i32,
        }
        let version = snapshot.version;
        let mut published = lock(&self.published);
        if self.documents.version(&uri) != Some(version) {
            return;
        }
        if published.get(&uri).is_some_and(|last| *last > version) {
            return;
        }
        // About 400 bytes a finding (range, code, link, message).
        client.notify_sized(
            "textDocument/publishDiagnostics",
            &Params {
                uri: &uri,
                diagnostics: convert::DiagnosticsJson {
                    uri: &uri,
                    index: &snapshot.index,
                    findings,
                },
                version,
            },
            256 + 448 * findings.len(),
        );
        published.insert(uri, version);
    }

    /// The key of a cacheable request: its document's current version and settings generation,
    /// and a hash of the parameters exactly as the client wrote them.
    fn answer_key(&self, method: &str, uri: &Uri, params: &RawValue) -> Option<AnswerKey> {
        let identity = self.documents.identity(uri)?;
        Some(AnswerKey {
            uri: uri.clone(),
            identity,
            generation: self.generation(uri),
            method: method.to_owned(),
            hash: params_hash(params.get()),
        })
    }

    /// The answer kept for `method` with exactly these parameter bytes, if the document they
    /// name (the bytes hold its URI) is still at the version it was computed for and the
    /// settings are unchanged.
    fn known_answer(&self, method: &str, params: &str) -> Option<Serialised> {
        let hash = params_hash(params);
        let answers = lock(&self.answers);
        answers.iter().find_map(|(uri, cached)| {
            if cached.generation != self.generation(uri) {
                return None;
            }
            let (_, _, bytes) = cached
                .entries
                .iter()
                .find(|(kept, kept_hash, _)| kept == method && *kept_hash == hash)?;
            (self.documents.identity(uri) == Some(cached.identity)).then(|| bytes.clone())
        })
    }

    /// Keeps an answer computed for `key`, if the document and the settings are still what they
    /// were when the request came (within one opening versions only grow, so the answer was
    /// computed for them).
    fn keep_answer(&self, key: AnswerKey, answer: Serialised) {
        if self.documents.identity(&key.uri) != Some(key.identity)
            || self.generation(&key.uri) != key.generation
        {
            return;
        }
        let mut answers = lock(&self.answers);
        answers.retain(|uri, _| self.documents.version(uri).is_some());
        let cached = answers.entry(key.uri).or_insert_with(|| Answers {
            identity: key.identity,
            generation: key.generation,
            entries: Vec::new(),
        });
        if cached.identity != key.identity || cached.generation != key.generation {
            *cached = Answers {
                identity: key.identity,
                generation: key.generation,
                entries: Vec::new(),
            };
        }
        if cached.entries.len() >= ANSWERS_PER_DOCUMENT {
            cached.entries.remove(0);
        }
        cached.entries.push((key.method, key.hash, answer));
    }
}

/// What a handler gives back: an answer to serialise, or a refusal with its reason.
pub trait Answer {
    type Value: Serialize;
    fn into_result(self) -> Result<Self::Value>;
}

impl<T: Serialize> Answer for Option<T> {
    type Value = Option<T>;
    fn into_result(self) -> Result<Option<T>> {
        Ok(self)
    }
}

impl<T: Serialize> Answer for Result<T> {
    type Value = T;
    fn into_result(self) -> Result<T> {
        self
    }
}

/// Parameters of a request about one document.
trait OfDocument {
    fn document(&self) -> &Uri;
}

macro_rules! of_document {
    ($($params:ty),* $(,)?) => {
        $(impl OfDocument for $params {
            fn document(&self) -> &Uri {
                &self.text_document.uri
            }
        })*
    };
}

of_document!(
    DocumentDiagnosticParams,
    DocumentLinkParams,
    InlayHintParams,
    DocumentSymbolParams,
    FoldingRangeParams,
    SemanticTokensParams,
    SemanticTokensRangeParams,
    DocumentFormattingParams,
    DocumentRangeFormattingParams,
    CodeActionRequest,
);

/// The parts of `textDocument/codeAction`'s parameters we read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeActionRequest {
    text_document: TextDocumentIdentifier,
    range: Range,
    #[serde(default)]
    context: CodeActionRequestContext,
}

#[derive(Deserialize, Default)]
struct CodeActionRequestContext {
    #[serde(default)]
    only: Option<Vec<CodeActionKind>>,
    /// The findings the client ties to the request, which may lie outside the range (Neovim
    /// sends every finding of the cursor's line with the cursor as the range).
    #[serde(default)]
    diagnostics: Vec<convert::ListedDiagnostic>,
}

/// A pulled diagnostics report (`textDocument/diagnostic`), its findings serialised straight
/// from the lint model (`convert::DiagnosticsJson`).
pub enum PulledReport {
    Full {
        result_id: Option<String>,
        found: Option<(Uri, Arc<Snapshot>, Arc<Vec<lint::Diagnostic>>)>,
    },
    Unchanged {
        result_id: String,
    },
}

impl Serialize for PulledReport {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match self {
            PulledReport::Unchanged { result_id } => {
                map.serialize_entry("kind", "unchanged")?;
                map.serialize_entry("resultId", result_id)?;
            }
            PulledReport::Full { result_id, found } => {
                map.serialize_entry("kind", "full")?;
                if let Some(result_id) = result_id {
                    map.serialize_entry("resultId", result_id)?;
                }
                match found {
                    Some((uri, snapshot, findings)) => map.serialize_entry(
                        "items",
                        &convert::DiagnosticsJson {
                            uri,
                            index: &snapshot.index,
                            findings,
                        },
                    )?,
                    None => map.serialize_entry("items", &[(); 0])?,
                }
            }
        }
        map.end()
    }
}

/// A `textDocument/documentSymbol` answer: nested symbols serialised straight from the outline,
/// a stage at a time (`convert::OutlineJson`), or the flat list for clients without nesting.
pub enum Outline {
    Nested(Arc<Snapshot>),
    Flat(Vec<SymbolInformation>),
}

impl Serialize for Outline {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Outline::Nested(snapshot) => convert::OutlineJson {
                index: &snapshot.index,
                source: &snapshot.source,
            }
            .serialize(serializer),
            Outline::Flat(symbols) => symbols.serialize(serializer),
        }
    }
}

/// The hash that keys a cached answer: of the parameters exactly as the client wrote them.
fn params_hash(params: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(params.as_bytes());
    hasher.finish()
}

/// Where the connection is in LSP's lifecycle.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests are refused, notifications dropped.
    Starting,
    Running,
    /// After `shutdown`: only `exit` is welcome.
    ShutDown,
}

pub struct Server {
    client: Client,
    state: Arc<State>,
    phase: Phase,
    /// Requests being worked on (by their id's JSON), so a cancelled one is answered once.
    in_flight: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl Server {
    pub fn new(client: Client) -> Server {
        Server {
            client,
            state: Arc::new(State::new()),
            phase: Phase::Starting,
            in_flight: Arc::default(),
        }
    }

    /// The client asked for `shutdown` (before `exit`, or before it went away).
    pub fn was_shut_down(&self) -> bool {
        self.phase == Phase::ShutDown
    }

    fn reply_error(&self, id: &RawValue, error: Error) {
        self.client.send(Outgoing::error(Some(id), &error));
    }

    /// Answers a request on the blocking pool with `work`'s result, serialised there too.
    fn spawn<P, A>(&self, id: Id, method: &str, params: Option<&RawValue>, work: fn(&State, P) -> A)
    where
        P: DeserializeOwned + Send + 'static,
        A: Answer + 'static,
    {
        if let Some(parsed) = self.parse(&id, method, params) {
            self.run(id, method, parsed, None, work);
        }
    }

    /// Like `spawn`, for an answer that depends only on the document, the settings and the
    /// parameters: asked again while nothing changed, it is sent again without any work.
    fn spawn_cached<P, A>(
        &self,
        id: Id,
        method: &str,
        params: Option<&RawValue>,
        work: fn(&State, P) -> A,
    ) where
        P: DeserializeOwned + OfDocument + Send + 'static,
        A: Answer + 'static,
    {
        if params.is_some_and(|raw| self.send_known(&id, method, raw.get())) {
            return;
        }
        let Some(parsed) = self.parse::<P>(&id, method, params) else {
            return;
        };
        let key = params.and_then(|raw| self.state.answer_key(method, parsed.document(), raw));
        self.run(id, method, parsed, key, work);
    }

    /// Sends the answer kept for `method` with exactly these parameter bytes, if there is one
    /// for the document's current version and settings.
    fn send_known(&self, id: &RawValue, method: &str, params: &str) -> bool {
        let Some(answer) = self.state.known_answer(method, params) else {
            return false;
        };
        tracing::debug!("{method}: answered from the cache");
        self.client.send(Outgoing::result(id, answer));
        true
    }

    fn parse<P: DeserializeOwned>(
        &self,
        id: &RawValue,
        method: &str,
        params: Option<&RawValue>,
    ) -> Option<P> {
        rpc::params(params)
            .map_err(|error| {
                tracing::warn!("{method}: {error}");
                self.reply_error(id, error);
            })
            .ok()
    }

    fn run<P, A>(
        &self,
        id: Id,
        method: &str,
        parsed: P,
        key: Option<AnswerKey>,
        work: fn(&State, P) -> A,
    ) where
        P: Send + 'static,
        A: Answer + 'static,
    {
        let method = method.to_owned();
        let token = id.get().to_string();
        lock(&self.in_flight).insert(token.clone());
        let state = self.state.clone();
        let client = self.client.clone();
        let in_flight = self.in_flight.clone();
        let started = std::time::Instant::now();
        tokio::task::spawn_blocking(move || {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| state.answer(work, parsed)));
            let (reply, answer) = match outcome {
                Ok(Ok(answer)) => (Outgoing::result(&id, answer.clone()), Some(answer)),
                Ok(Err(error)) => (Outgoing::error(Some(&id), &error), None),
                Err(_) => {
                    tracing::error!("{method} panicked; the server keeps running");
                    (Outgoing::error(Some(&id), &Error::internal_error()), None)
                }
            };
            tracing::debug!("{method}: answered after {:?}", started.elapsed());
            // A cancelled request was answered already.
            if lock(&in_flight).remove(&token) {
                client.send(reply);
            }
            if let (Some(key), Some(answer)) = (key, answer) {
                state.keep_answer(key, answer);
            }
            crate::memory::release_free_pages();
        });
    }

    /// `$/cancelRequest`: a request still being worked on is answered as cancelled now.
    fn cancel(&self, params: Option<&RawValue>) {
        #[derive(Deserialize)]
        struct CancelParams<'a> {
            #[serde(borrow)]
            id: &'a RawValue,
        }
        let Some(params) = params else { return };
        let Ok(cancel) = serde_json::from_str::<CancelParams>(params.get()) else {
            return;
        };
        if lock(&self.in_flight).remove(cancel.id.get()) {
            self.reply_error(
                cancel.id,
                Error::new(Error::REQUEST_CANCELLED, "cancelled by the client"),
            );
        }
    }

    /// Analyses a new version and, for push clients, publishes its findings.
    fn schedule(&self, pending: Pending) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::task::spawn_blocking(move || {
            let uri = pending.uri.clone();
            let version = pending.version;
            let analysed = std::panic::catch_unwind(AssertUnwindSafe(|| {
                // A newer version arrived while this one waited: its own task will do the
                // work, and this result would only be dropped.
                if state.documents.version(&uri) != Some(version) {
                    return;
                }
                let started = std::time::Instant::now();
                let snapshot = state.documents.build(pending, state.encoding());
                let built = started.elapsed();
                let (settings, generation, fresh) =
                    state.configurations.settings(&uri, || state.editor_layer());
                if fresh {
                    // A document's first settings: its configuration file may be broken.
                    state.configurations.report(&client);
                }
                let findings = snapshot.diagnostics(&settings, generation);
                let linted = started.elapsed();
                // Pull clients ask for the findings; building them here warms the cache.
                if state.client().pull {
                    return;
                }
                state.publish(&client, uri.clone(), &snapshot, &findings);
                tracing::debug!(
                    "version {version}: built {built:?}, linted {:?}, published {:?}",
                    linted - built,
                    started.elapsed() - linted
                );
            }));
            if analysed.is_err() {
                tracing::error!(
                    "analysis of {} version {version} panicked; the server keeps running",
                    uri.as_str()
                );
            }
            // The version before this one has been freed: its pages go back to the system
            // instead of staying resident as holes in the heap.
            crate::memory::release_free_pages();
        });
    }

    /// Settings may have changed. Settings the client sends along apply now, before the next
    /// message is read (a request right after sees them); otherwise they are asked for. Either
    /// way every open document's findings are then brought up to date.
    fn settings_changed(&self, told: Option<Value>) {
        let changed_now = told.map(|value| self.state.set_settings(&value));
        if changed_now == Some(false) {
            return;
        }
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let changed = match changed_now {
                Some(changed) => changed,
                None => fetch_settings(&state, &client).await,
            };
            if changed {
                refresh_all(state, client).await;
            }
        });
    }
}

/// Asks the client for settings; true when they changed.
async fn fetch_settings(state: &State, client: &Client) -> bool {
    if !state.client().configuration {
        return false;
    }
    let params = ConfigurationParams {
        items: vec![ConfigurationItem {
            scope_uri: None,
            section: Some(settings::SECTION.into()),
        }],
    };
    match client
        .request::<_, Vec<Value>>("workspace/configuration", &params)
        .await
    {
        Ok(mut values) if !values.is_empty() => state.set_settings(&values.remove(0)),
        Ok(_) => false,
        Err(error) => {
            tracing::warn!("workspace/configuration failed: {error}");
            false
        }
    }
}

/// After a settings change: findings change for every open document.
async fn refresh_all(state: Arc<State>, client: Client) {
    let uris = state.documents.uris();
    let reported = state.clone();
    let reporter = client.clone();
    let _ = tokio::task::spawn_blocking(move || reported.configurations.report(&reporter)).await;
    refresh(state, client, uris).await;
}

/// Configuration files may have changed on disk: with `revalidate`, loaded files are checked
/// for changes first (clients that do not watch files). Every open document's settings are
/// recomputed; the documents whose settings changed are published again (or the client is asked
/// to pull again), and the user hears about broken files.
async fn configuration_changed(state: Arc<State>, client: Client, revalidate: bool) {
    let worker = state.clone();
    let reporter = client.clone();
    let changed = tokio::task::spawn_blocking(move || {
        if revalidate && !worker.configurations.revalidate() {
            return Vec::new();
        }
        let uris = worker.dockerfile_uris();
        let changed = worker
            .configurations
            .reconfigure(&uris, || worker.editor_layer());
        worker.configurations.report(&reporter);
        changed
    })
    .await
    .unwrap_or_default();
    if !changed.is_empty() {
        tracing::info!("configuration changed for {} document(s)", changed.len());
        refresh(state, client, changed).await;
    }
}

/// The findings of `uris` changed: publish them again, or ask a pulling client to pull.
async fn refresh(state: Arc<State>, client: Client, uris: Vec<Uri>) {
    if state.client().pull {
        if state.client().pull_refresh
            && let Err(error) = client
                .request::<_, Value>("workspace/diagnostic/refresh", &())
                .await
        {
            tracing::warn!("workspace/diagnostic/refresh failed: {error}");
        }
        return;
    }
    let _ = tokio::task::spawn_blocking(move || {
        for uri in uris {
            state.publish_current(&client, uri);
        }
    })
    .await;
}

/// Asks the client to watch the configuration files for us (LSP: dynamic registration of
/// `workspace/didChangeWatchedFiles`); without it they are re-read on open and save.
async fn register_watchers(state: Arc<State>, client: Client) {
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: configuration::WATCH_REGISTRATION.into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers: configuration::watchers(),
            })
            .ok(),
        }],
    };
    match client
        .request::<_, Value>("client/registerCapability", &params)
        .await
    {
        Ok(_) => state.configurations.set_watching(true),
        Err(error) => tracing::warn!("registering file watchers failed: {error}"),
    }
}

impl rpc::Handler for Server {
    fn request(&mut self, id: Id, method: &str, params: Option<&RawValue>) {
        match (self.phase, method) {
            (Phase::Starting, "initialize") => {
                match rpc::params::<InitializeParams>(params) {
                    Ok(params) => {
                        let result = self.state.initialize(params);
                        self.phase = Phase::Running;
                        match Serialised::of(&result) {
                            Ok(answer) => self.client.send(Outgoing::result(&id, answer)),
                            Err(error) => self.reply_error(&id, error),
                        }
                    }
                    Err(error) => self.reply_error(&id, error),
                }
                return;
            }
            (Phase::Starting, _) => {
                return self.reply_error(
                    &id,
                    Error::new(Error::SERVER_NOT_INITIALIZED, "initialize first"),
                );
            }
            (Phase::Running, "initialize") => {
                return self.reply_error(
                    &id,
                    Error::new(Error::INVALID_REQUEST, "already initialized"),
                );
            }
            (Phase::ShutDown, _) => {
                return self.reply_error(
                    &id,
                    Error::new(Error::INVALID_REQUEST, "the server is shut down"),
                );
            }
            (Phase::Running, "shutdown") => {
                tracing::info!("shutdown");
                self.phase = Phase::ShutDown;
                return self
                    .client
                    .send(Outgoing::result(&id, Serialised::plain(&b"null"[..])));
            }
            (Phase::Running, _) => {}
        }
        match method {
            "textDocument/diagnostic" => self.spawn_cached(id, method, params, State::diagnostic),
            "textDocument/hover" => self.spawn(id, method, params, State::hover),
            "textDocument/documentLink" => {
                self.spawn_cached(id, method, params, State::document_link)
            }
            "textDocument/inlayHint" => self.spawn_cached(id, method, params, State::inlay_hint),
            "textDocument/documentSymbol" => {
                self.spawn_cached(id, method, params, State::document_symbol)
            }
            "textDocument/completion" => self.spawn(id, method, params, State::completion),
            "textDocument/signatureHelp" => self.spawn(id, method, params, State::signature_help),
            "textDocument/definition" => self.spawn(id, method, params, State::goto_definition),
            "textDocument/references" => self.spawn(id, method, params, State::references),
            "textDocument/documentHighlight" => {
                self.spawn(id, method, params, State::document_highlight)
            }
            "textDocument/prepareRename" => self.spawn(id, method, params, State::prepare_rename),
            "textDocument/rename" => self.spawn(id, method, params, State::rename),
            "textDocument/foldingRange" => {
                self.spawn_cached(id, method, params, State::folding_range)
            }
            "textDocument/selectionRange" => self.spawn(id, method, params, State::selection_range),
            "textDocument/semanticTokens/full" => {
                self.spawn_cached(id, method, params, State::semantic_tokens_full)
            }
            "textDocument/semanticTokens/range" => {
                self.spawn_cached(id, method, params, State::semantic_tokens_range)
            }
            "textDocument/formatting" => self.spawn_cached(id, method, params, State::formatting),
            "textDocument/rangeFormatting" => {
                self.spawn_cached(id, method, params, State::range_formatting)
            }
            "textDocument/onTypeFormatting" => {
                self.spawn(id, method, params, State::on_type_formatting)
            }
            "textDocument/codeAction" => self.spawn_cached(id, method, params, State::code_action),
            "codeAction/resolve" => self.spawn(id, method, params, State::code_action_resolve),
            _ => {
                tracing::debug!("unknown request {method}");
                self.reply_error(
                    &id,
                    Error::new(Error::METHOD_NOT_FOUND, format!("unknown method {method}")),
                );
            }
        }
    }

    fn answer_known(&mut self, id: &RawValue, method: &str, params: &str) -> bool {
        self.phase == Phase::Running && self.send_known(id, method, params)
    }

    fn notification(&mut self, method: &str, params: Option<&RawValue>) -> bool {
        match method {
            "exit" => return false,
            "$/cancelRequest" => self.cancel(params),
            _ if self.phase != Phase::Running => {
                tracing::debug!("{method} ignored: not initialized or shut down");
            }
            "initialized" => {
                // Documents opened meanwhile were analysed with the old settings.
                self.settings_changed(None);
                if self.state.client().watch_files {
                    tokio::spawn(register_watchers(self.state.clone(), self.client.clone()));
                }
            }
            "textDocument/didOpen" => {
                if let Some(params) =
                    notification_params::<DidOpenTextDocumentParams>(method, params)
                {
                    let document = params.text_document;
                    let uri = document.uri.clone();
                    // Compose and bake files sent by a client that routes them here are kept
                    // in step and never claimed.
                    self.state
                        .configurations
                        .opened(&uri, document.language_id.as_str());
                    let pending =
                        self.state
                            .documents
                            .open(document.uri, document.version, &document.text);
                    if self.state.is_dockerfile(&uri) {
                        self.schedule(pending);
                    }
                    // Configuration files edited while the client was not watching.
                    self.configuration_changed(true);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(params) =
                    notification_params::<DidChangeWatchedFilesParams>(method, params)
                {
                    self.watched_files_changed(params);
                }
            }
            "textDocument/didChange" => {
                if let Some(params) =
                    notification_params::<DidChangeTextDocumentParams>(method, params)
                {
                    self.did_change(params);
                }
            }
            "textDocument/didClose" => {
                if let Some(params) =
                    notification_params::<DidCloseTextDocumentParams>(method, params)
                {
                    self.did_close(params);
                }
            }
            "workspace/didChangeConfiguration" => {
                if let Some(params) =
                    notification_params::<DidChangeConfigurationParams>(method, params)
                {
                    self.settings_changed(inline_settings(params.settings));
                }
            }
            "textDocument/didSave" => {
                if let Some(params) =
                    notification_params::<DidSaveTextDocumentParams>(method, params)
                {
                    let uri = params.text_document.uri;
                    // A configuration file saved in the editor: read it now, watched or not.
                    let changed = self.state.configurations.file_changed(&uri);
                    // So is a compose, bake or ignore file, off the protocol loop.
                    let is_definition = configuration::path_of(&uri)
                        .is_some_and(|path| crate::workspace::Workspace::is_definition_file(&path));
                    if is_definition {
                        self.workspace_changed(changed, vec![(uri, FileChangeType::CHANGED)], true);
                    } else {
                        self.configuration_changed(!changed);
                    }
                }
            }
            _ => tracing::debug!("notification {method} ignored"),
        }
        true
    }
}

/// The workspace folders of `initialize` (or its deprecated root), as paths.
#[allow(deprecated)] // `root_uri`: still what some clients send instead of folders.
fn workspace_folders(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut uris: Vec<&Uri> = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|folder| &folder.uri)
        .collect();
    if uris.is_empty()
        && let Some(root) = &params.root_uri
    {
        uris.push(root);
    }
    uris.into_iter()
        .filter_map(configuration::path_of)
        .collect()
}

fn notification_params<P: DeserializeOwned>(method: &str, params: Option<&RawValue>) -> Option<P> {
    rpc::params(params)
        .map_err(|error| tracing::warn!("{method} ignored: {error}"))
        .ok()
}

/// Settings sent inside `didChangeConfiguration` (ours, under our section or at the top);
/// `None` when the client only says something changed and must be asked.
fn inline_settings(settings: Value) -> Option<Value> {
    match &settings {
        Value::Object(object) if object.contains_key(settings::SECTION) => Some(settings),
        Value::Object(object)
            if !object.is_empty()
                && object
                    .keys()
                    .any(|key| settings::KEYS.contains(&key.as_str())) =>
        {
            Some(settings)
        }
        _ => None,
    }
}

impl Server {
    /// See [`configuration_changed`].
    fn configuration_changed(&self, revalidate: bool) {
        tokio::spawn(configuration_changed(
            self.state.clone(),
            self.client.clone(),
            revalidate,
        ));
    }

    /// `workspace/didChangeWatchedFiles`: configuration files that changed are read again,
    /// build contexts, ignore, compose and bake files looked at again, and the documents they
    /// govern re-published.
    fn watched_files_changed(&self, params: DidChangeWatchedFilesParams) {
        let mut configuration = false;
        for change in &params.changes {
            configuration |= self.state.configurations.file_changed(&change.uri);
        }
        let changes: Vec<(Uri, FileChangeType)> = params
            .changes
            .into_iter()
            .map(|change| (change.uri, change.typ))
            .collect();
        self.workspace_changed(configuration, changes, false);
    }

    /// Build contexts, ignore, compose and bake files that changed: read off the protocol
    /// loop (a new directory may need a walk), then every open document's context is looked
    /// at again. When neither they nor the configuration (`configuration`) changed anything,
    /// `revalidate` still checks the configuration files' stamps (a client that does not
    /// watch them).
    fn workspace_changed(
        &self,
        configuration: bool,
        changes: Vec<(Uri, FileChangeType)>,
        revalidate: bool,
    ) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let worker = state.clone();
            let workspace = tokio::task::spawn_blocking(move || {
                worker.configurations.workspace_changed(&changes)
            })
            .await
            .unwrap_or(false);
            if configuration || workspace {
                configuration_changed(state, client, false).await;
            } else if revalidate {
                configuration_changed(state, client, true).await;
            }
        });
    }

    fn did_change(&self, params: DidChangeTextDocumentParams) {
        let changes: Vec<_> = params
            .content_changes
            .into_iter()
            .map(convert::text_change)
            .collect();
        let uri = params.text_document.uri;
        match self.state.documents.change(
            &uri,
            params.text_document.version,
            &changes,
            self.state.encoding(),
        ) {
            // The other documents a client shows us are kept in step, never linted.
            Ok(pending) if self.state.is_dockerfile(&uri) => self.schedule(pending),
            Ok(_) => {}
            Err(rejected) => tracing::warn!("change to {} ignored: {rejected:?}", uri.as_str()),
        }
    }

    fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.state.documents.close(&uri) {
            tracing::warn!("close of unknown document {}", uri.as_str());
            return;
        }
        lock(&self.state.published).remove(&uri);
        lock(&self.state.answers).remove(&uri);
        self.state.configurations.forget_document(&uri);
        // A configuration file no open document uses any more is no longer reported.
        self.state.configurations.report(&self.client);
        if !self.state.client().pull {
            self.client.notify(
                "textDocument/publishDiagnostics",
                &PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                },
            );
        }
    }
}

/// The request handlers: pure functions of the state and the parameters. Each converts the
/// positions in, calls the analysis, converts the result out; `State::answer` runs one as the
/// protocol loop does.
impl State {
    pub fn initialize(&self, params: InitializeParams) -> InitializeResult {
        let client = ClientSupport::of(&params);
        // The protocol loop refuses a second `initialize`, so this is the first.
        let _ = self.client.set(client);
        let (utf8, pull, prepare_rename) = (client.utf8, client.pull, client.prepare_rename);
        self.configurations
            .set_workspace_folders(workspace_folders(&params));
        if let Some(options) = &params.initialization_options {
            self.set_settings(options);
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
                    ["$", "{", "-", "=", ",", ":", " ", "/"]
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
        InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "dockerfile-ls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        }
    }

    /// Pulled findings, with a result id naming the opening, the version and the settings, so
    /// a client asking again about the same state is told `unchanged` instead of getting the
    /// whole list again.
    pub fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<PulledReport> {
        let uri = &params.text_document.uri;
        let (Some((serial, _)), Some(snapshot)) =
            (self.documents.identity(uri), self.snapshot(uri))
        else {
            return Ok(PulledReport::Full {
                result_id: None,
                found: None,
            });
        };
        let (settings, generation) = self.settings(uri);
        let result_id = format!("{serial}.{}.{generation}", snapshot.version);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(PulledReport::Unchanged { result_id });
        }
        let findings = snapshot.diagnostics(&settings, generation);
        Ok(PulledReport::Full {
            result_id: Some(result_id),
            found: Some((uri.clone(), snapshot, findings)),
        })
    }

    pub fn hover(&self, params: HoverParams) -> Option<Hover> {
        let position = params.text_document_position_params;
        let snapshot = self.snapshot(&position.text_document.uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let (settings, _) = self.settings(&position.text_document.uri);
        let build = settings.build.as_deref();
        let found = hover::hover_in(&snapshot.source, offset, snapshot.today(), build)?;
        Some(convert::markdown_hover(
            &snapshot.index,
            found.markdown,
            &found.span,
        ))
    }

    pub fn document_link(&self, params: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        let (settings, _) = self.settings(&params.text_document.uri);
        let mut found: Vec<DocumentLink> = links::document_links(&snapshot.source)
            .iter()
            .filter_map(|link| convert::document_link(&snapshot.index, link))
            .collect();
        if let Some(build) = settings.build.as_deref() {
            found.extend(
                build_context::source_links(&snapshot.source, build)
                    .iter()
                    .filter_map(|link| convert::file_link(&snapshot.index, link)),
            );
        }
        Some(found)
    }

    pub fn inlay_hint(&self, params: InlayHintParams) -> Option<Vec<InlayHint>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        let span = convert::span(&snapshot.index, params.range);
        let (settings, _) = self.settings(&params.text_document.uri);
        Some(
            inlay_hints::inlay_hints_in(&snapshot.source, span, settings.build.as_deref())
                .iter()
                .map(|hint| convert::inlay_hint(&snapshot.index, hint))
                .collect(),
        )
    }

    pub fn document_symbol(&self, params: DocumentSymbolParams) -> Option<Outline> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        Some(if self.client().hierarchical_symbols {
            Outline::Nested(snapshot)
        } else {
            let found = symbols::symbols(&snapshot.source);
            Outline::Flat(convert::flat_symbols(&uri, &snapshot.index, &found))
        })
    }

    pub fn completion(&self, params: CompletionParams) -> Option<CompletionResponse> {
        let position = params.text_document_position;
        let snapshot = self.snapshot(&position.text_document.uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let snippets = self.client().snippets;
        let (settings, _) = self.settings(&position.text_document.uri);
        // A COPY/ADD source: the build context's files; elsewhere the usual completion.
        let found = settings
            .build
            .as_deref()
            .and_then(|build| build_context::source_completions(&snapshot.source, offset, build))
            .unwrap_or_else(|| {
                completion::completions(&snapshot.source, offset, snippets, snapshot.today())
            });
        let items = found
            .iter()
            .map(|item| convert::completion_item(&snapshot.index, item))
            .collect();
        Some(CompletionResponse::Array(items))
    }

    pub fn signature_help(&self, params: SignatureHelpParams) -> Option<SignatureHelp> {
        let position = params.text_document_position_params;
        let snapshot = self.snapshot(&position.text_document.uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let help = signature_help::signature_help(&snapshot.source, offset)?;
        Some(convert::signature_help(&help))
    }

    pub fn goto_definition(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let (settings, _) = self.settings(&uri);
        // A COPY/ADD source opens its file (or the files a wildcard matches).
        let files = settings
            .build
            .as_deref()
            .map(|build| build_context::source_definition(&snapshot.source, offset, build))
            .unwrap_or_default();
        let mut locations: Vec<Location> = files
            .iter()
            .filter_map(|path| convert::file_location(path))
            .collect();
        if locations.is_empty() {
            let found = navigation::definition(&snapshot.source, offset);
            locations = convert::locations(&uri, &snapshot.index, &found);
        }
        match locations.len() {
            0 => None,
            1 => locations.pop().map(GotoDefinitionResponse::Scalar),
            _ => Some(GotoDefinitionResponse::Array(locations)),
        }
    }

    pub fn references(&self, params: ReferenceParams) -> Option<Vec<Location>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let found =
            navigation::references(&snapshot.source, offset, params.context.include_declaration);
        let mut locations = convert::locations(&uri, &snapshot.index, &found);
        // A stage is also named by the compose and bake builds that target it.
        let (settings, _) = self.settings(&uri);
        if let Some(build) = settings.build.as_deref()
            && let Some(stage) = build_context::stage_at(&snapshot.source, offset)
        {
            locations.extend(
                build_context::target_places(&snapshot.source, stage, build)
                    .iter()
                    .filter_map(|place| convert::place_location(place, self.encoding())),
            );
        }
        Some(locations)
    }

    pub fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Option<Vec<DocumentHighlight>> {
        let position = params.text_document_position_params;
        let snapshot = self.snapshot(&position.text_document.uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let found = navigation::highlights(&snapshot.source, offset);
        Some(convert::document_highlights(&snapshot.index, &found))
    }

    pub fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some(snapshot) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.index, params.position);
        let target =
            navigation::prepare_rename(&snapshot.source, offset).map_err(Error::request_failed)?;
        Ok(
            target.map(|target| PrepareRenameResponse::RangeWithPlaceholder {
                range: convert::range(&snapshot.index, &target.span),
                placeholder: target.name,
            }),
        )
    }

    pub fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let Some(snapshot) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.index, position.position);
        let edits = navigation::rename(&snapshot.source, offset, &params.new_name)
            .map_err(Error::request_failed)?;
        let mut edit = convert::workspace_edit(&uri, &snapshot.index, &edits);
        // Renaming a stage renames the compose and bake targets that name it too.
        let (settings, _) = self.settings(&uri);
        if let Some(build) = settings.build.as_deref()
            && let Some(stage) = build_context::stage_at(&snapshot.source, offset)
            && let Some(changes) = edit.changes.as_mut()
        {
            for place in build_context::target_places(&snapshot.source, stage, build) {
                let Some(file) = Uri::from_file_path(&place.file) else {
                    continue;
                };
                changes.entry(file).or_default().push(TextEdit {
                    range: convert::place_range(&place, self.encoding()),
                    new_text: params.new_name.clone(),
                });
            }
        }
        Ok(Some(edit))
    }

    pub fn folding_range(&self, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        let found = folding::folding_ranges(&snapshot.source);
        let line_folding_only = self.client().line_folding_only;
        Some(convert::folding_ranges(
            &snapshot.index,
            &found,
            line_folding_only,
        ))
    }

    pub fn selection_range(&self, params: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
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
    }

    pub fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Option<SemanticTokensResult> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let tree = self.tree(&uri, &snapshot)?;
        let found = semantic_tokens::semantic_tokens(&snapshot.source, &tree, None);
        let data = convert::semantic_tokens(&snapshot.source.text, self.encoding(), &found);
        Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        }))
    }

    pub fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Option<SemanticTokensRangeResult> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let tree = self.tree(&uri, &snapshot)?;
        let span = convert::span(&snapshot.index, params.range);
        let found = semantic_tokens::semantic_tokens(&snapshot.source, &tree, Some(span));
        let data = convert::semantic_tokens(&snapshot.source.text, self.encoding(), &found);
        Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        }))
    }

    pub fn formatting(&self, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        let options = convert::format_options(&params.options);
        let edits = format::format(&snapshot.source, &options);
        Some(convert::text_edits(&snapshot.index, &edits))
    }

    pub fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Option<Vec<TextEdit>> {
        let snapshot = self.snapshot(&params.text_document.uri)?;
        let options = convert::format_options(&params.options);
        let span = convert::span(&snapshot.index, params.range);
        let edits = format::format_range(&snapshot.source, &span, &options);
        Some(convert::text_edits(&snapshot.index, &edits))
    }

    pub fn on_type_formatting(
        &self,
        params: DocumentOnTypeFormattingParams,
    ) -> Option<Vec<TextEdit>> {
        let position = params.text_document_position;
        let snapshot = self.snapshot(&position.text_document.uri)?;
        let offset = convert::offset(&snapshot.index, position.position);
        let typed = params.ch.chars().next()?;
        let options = convert::format_options(&params.options);
        let edits = format::format_on_type(&snapshot.source, offset, typed, &options);
        Some(convert::text_edits(&snapshot.index, &edits))
    }

    pub fn code_action(&self, params: CodeActionRequest) -> Option<CodeActionResponse> {
        let uri = params.text_document.uri;
        let snapshot = self.snapshot(&uri)?;
        let span = convert::span(&snapshot.index, params.range);
        let only = params.context.only.as_deref().unwrap_or(&[]);
        // The edit is computed when the user picks the action (`codeAction/resolve`) for
        // clients that can: a lightbulb request stays small.
        let lazy = self.client().resolve_edits;
        let (settings, generation) = self.settings(&uri);
        let findings = snapshot.fixable(&settings, generation);
        let listed = convert::listed_findings(
            &snapshot.index,
            &findings,
            &params.context.diagnostics,
            &span,
        );
        let found = code_actions(&snapshot, &findings, &settings, &span, &listed, only, !lazy);
        let data = lazy.then(|| action_data(&uri, snapshot.version, &span, &findings, &listed));
        // Each finding converted once, however many actions name it.
        let mut converted: Vec<Option<Diagnostic>> = vec![None; findings.len()];
        let response: CodeActionResponse = found
            .iter()
            .enumerate()
            .map(|(position, action)| {
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
                if let Some(data) = &data {
                    // The client sends the action back whole (title and kind included). Two
                    // actions may share a title ("Skip RuleName here" above two
                    // instructions): which of them it is, is remembered too.
                    let same_title = found[..position]
                        .iter()
                        .filter(|earlier| earlier.title == action.title)
                        .count();
                    let mut data = data.clone();
                    if same_title > 0 {
                        data["nth"] = same_title.into();
                    }
                    action_lsp.data = Some(data);
                }
                CodeActionOrCommand::CodeAction(action_lsp)
            })
            .collect();
        Some(response)
    }

    pub fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        action.edit = self.resolve_edit(&action);
        Ok(action)
    }

    /// The edit of a lazily offered action, recomputed from its title, its kind and what its
    /// `data` remembers.
    fn resolve_edit(&self, action: &CodeAction) -> Option<WorkspaceEdit> {
        let data = action.data.as_ref()?;
        let uri: Uri = data.get("uri")?.as_str()?.parse().ok()?;
        let version = data.get("version")?.as_i64()?;
        let start = data.get("start")?.as_u64()? as usize;
        let end = data.get("end")?.as_u64()? as usize;
        let kind = action.kind.clone()?;
        let title = action.title.as_str();
        let snapshot = self.snapshot(&uri)?;
        if i64::from(snapshot.version) != version {
            tracing::info!("codeAction/resolve for an outdated version of {uri:?}");
            return None;
        }
        let (settings, generation) = self.settings(&uri);
        let findings = snapshot.fixable(&settings, generation);
        let listed = resolve_listed(data.get("listed"), &findings);
        // Only the chosen kind is computed (not every file-wide action).
        let found = code_actions(
            &snapshot,
            &findings,
            &settings,
            &(start..end),
            &listed,
            &[kind],
            true,
        );
        let nth = data.get("nth").and_then(|nth| nth.as_u64()).unwrap_or(0) as usize;
        let chosen = found
            .into_iter()
            .filter(|action| action.title == title)
            .nth(nth)?;
        Some(convert::workspace_edit(
            &uri,
            &snapshot.index,
            &chosen.edits,
        ))
    }
}

/// What a lazily offered action carries for `codeAction/resolve` to compute the same actions
/// again (the client sends the action back whole, title and kind included): the document, its
/// version, the range, and the listed findings outside the range as `[rule, start, end]`.
fn action_data(
    uri: &Uri,
    version: i32,
    span: &crate::text::Span,
    findings: &[lint::Diagnostic],
    listed: &[usize],
) -> Value {
    let mut data = serde_json::json!({
        "uri": uri.as_str(),
        "version": version,
        "start": span.start,
        "end": span.end,
    });
    if !listed.is_empty() {
        let listed: Vec<Value> = listed
            .iter()
            .map(|at| &findings[*at])
            .map(|finding| {
                serde_json::json!([finding.rule.name, finding.span.start, finding.span.end])
            })
            .collect();
        data["listed"] = Value::Array(listed);
    }
    data
}

/// The findings a lazily offered action's `data` lists as `[rule, start, end]`, by index.
fn resolve_listed(listed: Option<&Value>, findings: &[lint::Diagnostic]) -> Vec<usize> {
    let Some(Value::Array(listed)) = listed else {
        return Vec::new();
    };
    let wanted: Vec<(&str, u64, u64)> = listed
        .iter()
        .filter_map(|entry| {
            Some((
                entry.get(0)?.as_str()?,
                entry.get(1)?.as_u64()?,
                entry.get(2)?.as_u64()?,
            ))
        })
        .collect();
    (0..findings.len())
        .filter(|at| {
            let finding = &findings[*at];
            wanted.iter().any(|(rule, start, end)| {
                finding.rule.name == *rule
                    && finding.span.start as u64 == *start
                    && finding.span.end as u64 == *end
            })
        })
        .collect()
}

/// The actions for `span` and the findings in `listed`, of the kinds in `only` (all when
/// empty). The file-wide actions come with a lightbulb only where they would do something:
/// fix-all where a finding with a safe fix is, merge-all on a RUN that can merge; asked for by
/// kind, they are always there. Without `with_edits` (the client resolves them later) the
/// file-wide actions are not computed, only known to exist.
fn code_actions(
    snapshot: &Snapshot,
    findings: &[lint::Diagnostic],
    settings: &lint::Settings,
    span: &crate::text::Span,
    listed: &[usize],
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
        found.extend(actions::quick_fixes(findings, span, listed));
    }
    let offer_fix_all = asked(&convert::fix_all_kind())
        || (only.is_empty() && actions::has_safe_fix_at(findings, span, listed));
    if offer_fix_all {
        if with_edits {
            // The fix engine's result, as `check --fix` would write it.
            found.extend(actions::fix_all(
                &snapshot.source,
                findings,
                settings,
                snapshot.today(),
            ));
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
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        // Not when a quick fix offered already makes the same merge (the last RUN of a pair).
        if let Some(merge) = actions::merge_neighbour_run(&snapshot.source, span)
            && !found
                .iter()
                .any(|action| action.kind == ActionKind::QuickFix && action.edits == merge.edits)
        {
            found.push(merge);
        }
        if let Some(split) = actions::split_run(&snapshot.source, span.start) {
            found.push(split);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> (Server, tokio::sync::mpsc::UnboundedReceiver<Outgoing>) {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        (Server::new(Client::new(sender)), receiver)
    }

    fn id(value: i64) -> Id {
        RawValue::from_string(value.to_string()).unwrap()
    }

    fn reply(message: Outgoing) -> Value {
        serde_json::from_slice(&message.to_bytes()).unwrap()
    }

    #[tokio::test]
    async fn a_panic_in_a_handler_becomes_an_error_reply_and_the_next_request_works() {
        let (mut server, mut replies) = server();
        server.phase = Phase::Running;
        server.spawn(id(1), "test", None, |_, ()| -> Result<i32> {
            panic!("boom")
        });
        let failed = reply(replies.recv().await.unwrap());
        assert_eq!(failed["id"], 1);
        assert_eq!(failed["error"]["code"], Error::INTERNAL_ERROR);
        server.spawn(id(2), "test", None, |_, ()| Ok(7));
        let answered = reply(replies.recv().await.unwrap());
        assert_eq!(answered["result"], 7);
    }
}
