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
    Diagnostic, DiagnosticSeverity, FileChangeType, FileSystemWatcher, GlobPattern, MessageType,
    NumberOrString, Position, PublishDiagnosticsParams, Range, ShowMessageParams, Uri, WatchKind,
};

use super::lock;
use super::rpc::Client;
use crate::config::{self, Layer, Problem};
use crate::lint;

/// The id of our `workspace/didChangeWatchedFiles` registration.
pub const WATCH_REGISTRATION: &str = "dockerfile-ls/watched-files";

/// The glob for every file of the workspace, watched for files that appear or go away (a
/// build context's index lists names, not contents).
pub const EVERY_FILE: &str = "**/*";

/// The globs the server asks the client to watch: the configuration files' names anywhere in
/// the workspace, ignore files, compose and bake files (every kind of change), and
/// [`EVERY_FILE`] for the build contexts' files (creation and deletion).
pub fn watched_globs() -> Vec<String> {
    let mut globs: Vec<String> = config::discovery::FILE_NAMES
        .iter()
        .chain(crate::workspace::builds::COMPOSE_NAMES)
        .chain(crate::workspace::builds::BAKE_NAMES)
        .map(|name| format!("**/{name}"))
        .collect();
    globs.push("**/.dockerignore".to_string());
    globs.push("**/*.dockerignore".to_string());
    globs.push(EVERY_FILE.to_string());
    globs
}

/// The watchers of the registration, one per glob: every kind of change, but only creation
/// and deletion for [`EVERY_FILE`].
pub fn watchers() -> Vec<FileSystemWatcher> {
    watched_globs()
        .into_iter()
        .map(|glob| FileSystemWatcher {
            kind: (glob == EVERY_FILE).then_some(WatchKind::Create | WatchKind::Delete),
            glob_pattern: GlobPattern::String(glob),
        })
        .collect()
}

/// The language ids of files that are not Dockerfiles but that clients may send to a
/// Dockerfile server (Docker's own tooling, Helix): compose and bake files.
pub const OTHER_LANGUAGES: &[&str] = &["dockercompose", "dockerbake"];

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
    /// Build contexts, compose and bake files: each document's settings carry its context.
    workspace: crate::workspace::Workspace,
    /// Open documents that are no Dockerfiles (compose and bake files): kept in step, never
    /// linted or answered.
    other_languages: Mutex<HashSet<Uri>>,
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
            workspace: crate::workspace::Workspace::default(),
            other_languages: Mutex::new(HashSet::new()),
        }
    }
}

impl Configurations {
    /// The workspace folders, where the walk up stops when no repository holds them.
    pub fn set_workspace_folders(&self, folders: Vec<PathBuf>) {
        self.workspace.set_folders(folders.clone());
        lock(&self.resolver).set_workspace_folders(folders);
    }

    /// Notes the language of an opened document; true when it is no Dockerfile (a compose or
    /// bake file by its language id or its name).
    pub fn opened(&self, uri: &Uri, language: &str) -> bool {
        let by_name =
            path_of(uri).is_some_and(|path| crate::workspace::builds::tool_of(&path).is_some());
        let other = OTHER_LANGUAGES.contains(&language) || by_name;
        let mut others = lock(&self.other_languages);
        if other {
            others.insert(uri.clone());
        } else {
            others.remove(uri);
        }
        other
    }

    /// True for an open document that is no Dockerfile ([`Configurations::opened`]).
    pub fn is_other_language(&self, uri: &Uri) -> bool {
        lock(&self.other_languages).contains(uri)
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
        let (mut settings, _) = resolution.with_layer(editor);
        if let Some(path) = path_of(uri) {
            let configured_by = resolution
                .source
                .as_ref()
                .map(|source| source.path.clone())
                .unwrap_or_default();
            self.workspace.apply(&path, &mut settings, || {
                crate::workspace::Origin::Configured(configured_by)
            });
        }
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
        lock(&self.other_languages).remove(uri);
    }

    /// Files that changed on disk (watched-file events, a document saved): true when the
    /// workspace knew something about them (a context's files, an ignore, compose or bake
    /// file), so documents' build contexts may have changed.
    pub fn workspace_changed(&self, changes: &[(Uri, FileChangeType)]) -> bool {
        let changes: Vec<(PathBuf, crate::workspace::Change)> = changes
            .iter()
            .filter_map(|(uri, kind)| {
                let change = match *kind {
                    FileChangeType::CREATED => crate::workspace::Change::Created,
                    FileChangeType::DELETED => crate::workspace::Change::Deleted,
                    _ => crate::workspace::Change::Changed,
                };
                Some((path_of(uri)?, change))
            })
            .collect();
        !changes.is_empty() && self.workspace.files_changed(&changes)
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
        if !watching {
            // Compose, bake and ignore files, and small contexts, are read again too.
            self.workspace.revalidate();
        }
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
