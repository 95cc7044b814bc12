//! Configuration files in the server: each open document's effective settings (its
//! configuration file, then the editor's settings), a generation per document so caches notice
//! a change to that document alone, the files to watch, and telling the user about broken
//! configuration files (`window/showMessage` once per broken state, diagnostics on the file).
//!
//! A keystroke never touches the disk: a document's settings are computed when it opens (or
//! when a configuration file changes) and looked up afterwards; the resolver caches every
//! directory's answer and every file's parse.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ls_types::{
    Diagnostic, DiagnosticSeverity, FileSystemWatcher, GlobPattern, MessageType, NumberOrString,
    Position, PublishDiagnosticsParams, Range, ShowMessageParams, Uri,
};

use super::lock;
use super::rpc::Client;
use crate::config::{self, Layer, Problem};
use crate::lint;

/// The id of our `workspace/didChangeWatchedFiles` registration.
pub const WATCH_REGISTRATION: &str = "dockerfile-ls/watched-files";

/// The globs the server asks the client to watch: the configuration files' names anywhere in
/// the workspace. (The build-context work adds its files here: `.dockerignore`, compose and
/// bake files.)
pub fn watched_globs() -> Vec<String> {
    config::discovery::FILE_NAMES
        .iter()
        .map(|name| format!("**/{name}"))
        .collect()
}

/// The watchers of the registration, one per glob (every kind of change).
pub fn watchers() -> Vec<FileSystemWatcher> {
    watched_globs()
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob),
            kind: None,
        })
        .collect()
}

/// The local path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|path| path.into_owned())
}

/// True when `uri` names a configuration file (which is never linted as a Dockerfile). Asked
/// on every request, so it reads the URI's last segment as it is (the names need no escaping).
pub fn is_config_document(uri: &Uri) -> bool {
    let text = uri.as_str();
    let name = text.rsplit('/').next().unwrap_or(text);
    config::discovery::FILE_NAMES.contains(&name)
}

/// One document's configuration.
struct Configured {
    settings: Arc<lint::Settings>,
    /// Changes whenever `settings` do; never reused (a counter for the whole server).
    generation: u64,
    /// What is wrong with the configuration file in force (its error, its warnings).
    problems: Vec<Problem>,
}

/// What the user was told last about configuration files.
#[derive(Default)]
struct Reported {
    /// Problems shown with `window/showMessage` and still present.
    shown: HashSet<String>,
    /// Diagnostics published per configuration file.
    published: HashMap<PathBuf, Vec<Problem>>,
}

/// Every open document's configuration, and the resolver behind it.
pub struct Configurations {
    resolver: Mutex<config::Resolver>,
    documents: Mutex<HashMap<Uri, Configured>>,
    next_generation: AtomicU64,
    reported: Mutex<Reported>,
    /// The client watches the configuration files for us (dynamic registration succeeded).
    watching: AtomicBool,
    /// Held for the whole of a reconfiguration.
    reconfiguring: Mutex<()>,
}

impl Default for Configurations {
    fn default() -> Configurations {
        Configurations {
            resolver: Mutex::new(config::Resolver::discover().keeping_last_good()),
            documents: Mutex::new(HashMap::new()),
            next_generation: AtomicU64::new(1),
            reported: Mutex::new(Reported::default()),
            watching: AtomicBool::new(false),
            reconfiguring: Mutex::new(()),
        }
    }
}

impl Configurations {
    /// The workspace folders, where the walk up stops when no repository holds them.
    pub fn set_workspace_folders(&self, folders: Vec<PathBuf>) {
        lock(&self.resolver).set_workspace_folders(folders);
    }

    pub fn set_watching(&self, watching: bool) {
        self.watching.store(watching, Ordering::Relaxed);
    }

    pub fn is_watching(&self) -> bool {
        self.watching.load(Ordering::Relaxed)
    }

    /// The effective settings of `uri` and their generation, computed now (with the editor's
    /// layer `editor` gives) if the document has none yet: true in the third place then.
    pub fn settings(
        &self,
        uri: &Uri,
        editor: impl FnOnce() -> Layer,
    ) -> (Arc<lint::Settings>, u64, bool) {
        if let Some(known) = lock(&self.documents).get(uri) {
            return (known.settings.clone(), known.generation, false);
        }
        let computed = self.compute(uri, &editor());
        let mut documents = lock(&self.documents);
        // Another thread may have computed it meanwhile: the first one stays.
        let entry = documents.entry(uri.clone()).or_insert(computed);
        (entry.settings.clone(), entry.generation, true)
    }

    /// The generation of `uri`'s settings, if it has any yet.
    pub fn generation(&self, uri: &Uri) -> Option<u64> {
        lock(&self.documents)
            .get(uri)
            .map(|configured| configured.generation)
    }

    fn compute(&self, uri: &Uri, editor: &Layer) -> Configured {
        let resolution = match path_of(uri) {
            Some(path) => lock(&self.resolver).resolve(&path),
            // Unsaved documents have no place on disk: defaults and the editor's settings.
            None => config::Resolution::default(),
        };
        let (settings, _) = resolution.with_layer(editor);
        let problems = resolution
            .error
            .iter()
            .chain(resolution.warnings())
            .cloned()
            .collect();
        Configured {
            settings: Arc::new(settings),
            generation: self.next_generation.fetch_add(1, Ordering::Relaxed),
            problems,
        }
    }

    /// A document closed.
    pub fn forget_document(&self, uri: &Uri) {
        lock(&self.documents).remove(uri);
    }

    /// A file changed on disk (watched-file event, or a configuration document saved): true
    /// when it is a configuration file, whose change may change documents' settings.
    pub fn file_changed(&self, uri: &Uri) -> bool {
        match path_of(uri) {
            Some(path) => lock(&self.resolver).forget(&path),
            None => false,
        }
    }

    /// For what the client does not watch: re-reads loaded files that changed on disk and,
    /// without watching, forgets every directory's answer (a file may have appeared). True
    /// when documents' settings may have changed.
    pub fn revalidate(&self) -> bool {
        let watching = self.is_watching();
        let changed = lock(&self.resolver).revalidate(!watching);
        changed || !watching
    }

    /// Recomputes the settings of `uris` (the open documents); returns those whose settings
    /// changed (they got a new generation; the others keep theirs, and their caches). A
    /// document that had none yet gets them without counting as changed: its own analysis,
    /// under way, takes them and publishes (counting it would publish it twice).
    pub fn reconfigure(&self, uris: &[Uri], editor: impl FnOnce() -> Layer) -> Vec<Uri> {
        // One at a time, each reading the editor's settings and the files once it holds the
        // lock: a reconfiguration that started before a change can then never finish after
        // the one the change started, putting stale settings back.
        let _one_at_a_time = lock(&self.reconfiguring);
        let editor = editor();
        let mut changed = Vec::new();
        for uri in uris {
            let computed = self.compute(uri, &editor);
            let mut documents = lock(&self.documents);
            match documents.get_mut(uri) {
                Some(known) if *known.settings == *computed.settings => {
                    known.problems = computed.problems;
                }
                Some(known) => {
                    *known = computed;
                    changed.push(uri.clone());
                }
                None => {
                    documents.insert(uri.clone(), computed);
                }
            }
        }
        changed
    }

    /// Tells the user what changed about the configuration files in force for open documents:
    /// `window/showMessage` for each problem not shown before (once per broken state: a problem
    /// fixed and broken again is shown again), and the problems as diagnostics on each file
    /// (cleared when fixed). Diagnostics on configuration files are always pushed.
    pub fn report(&self, client: &Client) {
        let mut current: HashMap<PathBuf, Vec<Problem>> = HashMap::new();
        for configured in lock(&self.documents).values() {
            for problem in &configured.problems {
                let list = current.entry(problem.path.clone()).or_default();
                if !list.contains(problem) {
                    list.push(problem.clone());
                }
            }
        }
        let broken: HashSet<String> = lock(&self.resolver)
            .broken()
            .iter()
            .map(ToString::to_string)
            .collect();
        let mut reported = lock(&self.reported);
        let mut now_shown = HashSet::new();
        for problem in current.values().flatten() {
            let text = problem.to_string();
            let error = broken.contains(&text);
            if !reported.shown.contains(&text) {
                let message = if error {
                    format!("{text} (the last good configuration stays in use)")
                } else {
                    text.clone()
                };
                client.notify(
                    "window/showMessage",
                    &ShowMessageParams {
                        typ: if error {
                            MessageType::ERROR
                        } else {
                            MessageType::WARNING
                        },
                        message,
                    },
                );
            }
            now_shown.insert(text);
        }
        reported.shown = now_shown;
        let paths: HashSet<PathBuf> = current
            .keys()
            .chain(reported.published.keys())
            .cloned()
            .collect();
        for path in paths {
            let now = current.remove(&path).unwrap_or_default();
            if reported.published.get(&path) == Some(&now) {
                continue;
            }
            publish_problems(client, &path, &now, &broken);
            if now.is_empty() {
                reported.published.remove(&path);
            } else {
                reported.published.insert(path, now);
            }
        }
    }
}

fn publish_problems(
    client: &Client,
    path: &std::path::Path,
    problems: &[Problem],
    broken: &HashSet<String>,
) {
    let Some(uri) = Uri::from_file_path(path) else {
        return;
    };
    let diagnostics = problems
        .iter()
        .map(|problem| {
            let line = problem.line.unwrap_or(1).saturating_sub(1) as u32;
            Diagnostic {
                range: Range::new(Position::new(line, 0), Position::new(line + 1, 0)),
                severity: Some(if broken.contains(&problem.to_string()) {
                    DiagnosticSeverity::ERROR
                } else {
                    DiagnosticSeverity::WARNING
                }),
                code: Some(NumberOrString::String("Configuration".into())),
                source: Some("dockerfile-ls".into()),
                message: problem.message.clone(),
                ..Diagnostic::default()
            }
        })
        .collect();
    client.notify(
        "textDocument/publishDiagnostics",
        &PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    );
}
