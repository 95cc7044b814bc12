//! What a build sees outside the Dockerfile: the build context (its files and `.dockerignore`),
//! and the compose and bake files that build the Dockerfile (targets, build arguments, named
//! contexts), read once and kept up to date from file-change events.
//!
//! [`Workspace`] is the one place that reads these from disk (the server holds one for its
//! lifetime, `check` one per run). What it hands out is a [`BuildContext`] snapshot per
//! Dockerfile: plain data that rules and IDE features read, never the disk.
//!
//! How a Dockerfile's context is found, in order:
//! 1. the project configuration's `build-context` (or `check --context DIR`);
//! 2. the first compose service or bake target whose Dockerfile is this file, among the compose
//!    and bake files of the workspace (the workspace folder holding the Dockerfile, else its
//!    repository, else its directory; found by a walk that honours `.gitignore`);
//! 3. the Dockerfile's own directory.
//!
//! Every compose service and bake target that builds the Dockerfile contributes its target
//! stage and build arguments, whichever gave the context.

pub mod bake;
pub mod builds;
pub mod compose;
pub mod context;
pub mod dockerignore;
pub mod files;
pub mod pattern;
pub mod sources;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use builds::BuildDefinition;
pub use context::{BuildContext, Origin};
use dockerignore::IgnoreFile;
use files::FileIndex;

/// How deep the search for compose and bake files goes below the workspace's root.
const SEARCH_DEPTH: usize = 6;

/// The most entries the search for compose and bake files looks at.
const SEARCH_LIMIT: usize = 200_000;

/// Contexts with fewer entries than this are walked again when a client that does not watch
/// files opens or saves a document; larger ones only change through file events.
const REWALK_LIMIT: usize = 20_000;

/// What happened to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Created,
    Changed,
    Deleted,
}

/// What identifies one content of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    length: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: metadata.modified().ok(),
        length: metadata.len(),
    })
}

/// A compose or bake file as last read: its builds (none when it does not parse).
struct Parsed {
    stamp: Option<Stamp>,
    builds: Arc<Vec<Arc<BuildDefinition>>>,
}

/// An ignore file as last read (`None`: there is no such file).
struct Ignore {
    stamp: Option<Stamp>,
    file: Option<Arc<IgnoreFile>>,
}

/// A context directory's index (`None`: the directory cannot be read), and the ignore file
/// whose exclusions it last left unwalked.
struct Indexed {
    files: Option<Arc<FileIndex>>,
    pruned_for: Option<PathBuf>,
}

/// A configured context: the directory and who set it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Configured {
    pub directory: PathBuf,
    pub origin: Origin,
}

#[derive(Default)]
struct State {
    folders: Vec<PathBuf>,
    /// Search root → the compose and bake files below it, sorted.
    discovered: HashMap<PathBuf, Vec<PathBuf>>,
    parsed: HashMap<PathBuf, Parsed>,
    ignores: HashMap<PathBuf, Ignore>,
    indexes: HashMap<PathBuf, Indexed>,
    /// The answers given, until something changes.
    resolved: HashMap<(PathBuf, Option<Configured>), Arc<BuildContext>>,
}

/// The workspace's build contexts, compose and bake files, cached.
#[derive(Default)]
pub struct Workspace {
    state: Mutex<State>,
}

/// `path` made absolute (against the current directory) and cleaned, as the maps key paths.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|directory| directory.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    PathBuf::from(pattern::clean(&joined.to_string_lossy()))
}

impl Workspace {
    /// The workspace folders (the server's); the search for compose and bake files starts at
    /// the one holding a Dockerfile.
    pub fn set_folders(&self, folders: Vec<PathBuf>) {
        let mut state = crate::lock(&self.state);
        state.folders = folders.iter().map(|folder| absolute(folder)).collect();
        state.resolved.clear();
    }

    /// The build context of the Dockerfile at `dockerfile`, with the context the configuration
    /// or the command line sets, if any. Reads the disk the first time a context, compose file
    /// or ignore file is needed; afterwards answers from memory.
    pub fn context_for(
        &self,
        dockerfile: &Path,
        configured: Option<Configured>,
    ) -> Arc<BuildContext> {
        let dockerfile = absolute(dockerfile);
        let mut state = crate::lock(&self.state);
        let key = (dockerfile.clone(), configured.clone());
        if let Some(known) = state.resolved.get(&key) {
            return known.clone();
        }
        let resolved = Arc::new(state.resolve(&dockerfile, configured));
        state.resolved.insert(key, resolved.clone());
        resolved
    }

    /// A file changed on disk (a watched-file event, or a document saved). Returns whether
    /// anything the workspace knows changed: the contexts it hands out may differ now.
    pub fn file_changed(&self, path: &Path, change: Change) -> bool {
        self.files_changed(&[(path.to_path_buf(), change)])
    }

    /// Several changes at once (one notification): each index is copied at most once.
    pub fn files_changed(&self, changes: &[(PathBuf, Change)]) -> bool {
        let mut state = crate::lock(&self.state);
        let mut changed = false;
        for (path, change) in changes {
            changed |= state.apply(&absolute(path), *change);
        }
        if changed {
            state.resolved.clear();
        }
        changed
    }

    /// For clients that do not watch files: re-reads the compose, bake and ignore files whose
    /// modification time or size changed, looks for new compose and bake files, and walks
    /// small contexts again. Returns whether anything changed.
    pub fn revalidate(&self) -> bool {
        let mut state = crate::lock(&self.state);
        let changed = state.revalidate();
        if changed {
            state.resolved.clear();
        }
        changed
    }

    /// Fills in what the build of the Dockerfile at `dockerfile` sees: `settings.build` (the
    /// context `settings.build_context` names, if any, else the one found) and the stages its
    /// compose and bake builds target, added to `settings.target_stages`. `configured_by`
    /// says who set `build_context` (for messages).
    pub fn apply(
        &self,
        dockerfile: &Path,
        settings: &mut crate::lint::Settings,
        configured_by: impl FnOnce() -> Origin,
    ) {
        let configured = settings.build_context.clone().map(|directory| Configured {
            directory,
            origin: configured_by(),
        });
        let build = self.context_for(dockerfile, configured);
        for target in build.targets() {
            if !settings
                .target_stages
                .iter()
                .any(|known| known.eq_ignore_ascii_case(&target))
            {
                settings.target_stages.push(target);
            }
        }
        settings.build = Some(build);
    }

    /// True for files the workspace reads (compose, bake and ignore files): a change to one
    /// may change contexts even when no index holds it.
    pub fn is_definition_file(path: &Path) -> bool {
        builds::tool_of(path).is_some() || dockerignore::is_ignore_file(path)
    }
}

impl State {
    fn resolve(&mut self, dockerfile: &Path, configured: Option<Configured>) -> BuildContext {
        let search_root = self.search_root(dockerfile);
        let builds: Vec<Arc<BuildDefinition>> = self
            .build_files(&search_root)
            .into_iter()
            .flat_map(|file| self.builds_of(&file).iter().cloned().collect::<Vec<_>>())
            .filter(|build| build.dockerfile == dockerfile)
            .collect();
        let (root, origin) = match configured {
            Some(configured) => (configured.directory, configured.origin),
            None => match builds.first() {
                Some(build) => (build.context.clone(), Origin::Build(0)),
                None => (
                    dockerfile.parent().unwrap_or(Path::new("/")).to_path_buf(),
                    Origin::DockerfileDirectory,
                ),
            },
        };
        let ignore = dockerignore::candidates(dockerfile, &root)
            .into_iter()
            .find_map(|candidate| self.ignore_file(&candidate));
        let files = self.index(&root, ignore.as_deref());
        BuildContext {
            root,
            origin,
            files,
            ignore,
            builds,
        }
    }

    /// Where compose and bake files for `dockerfile` are looked for: the innermost workspace
    /// folder holding it, else its repository's root, else its directory.
    fn search_root(&self, dockerfile: &Path) -> PathBuf {
        let directory = dockerfile.parent().unwrap_or(Path::new("/"));
        if let Some(folder) = self
            .folders
            .iter()
            .filter(|folder| directory.starts_with(folder))
            .max_by_key(|folder| folder.as_os_str().len())
        {
            return folder.clone();
        }
        directory
            .ancestors()
            .find(|ancestor| ancestor.join(".git").exists())
            .unwrap_or(directory)
            .to_path_buf()
    }

    /// The compose and bake files below `root`, found once.
    fn build_files(&mut self, root: &Path) -> Vec<PathBuf> {
        if let Some(known) = self.discovered.get(root) {
            return known.clone();
        }
        let found = discover(root);
        self.discovered.insert(root.to_path_buf(), found.clone());
        found
    }

    fn builds_of(&mut self, file: &Path) -> Arc<Vec<Arc<BuildDefinition>>> {
        if let Some(known) = self.parsed.get(file) {
            return known.builds.clone();
        }
        let parsed = read_builds(file);
        let builds = parsed.builds.clone();
        self.parsed.insert(file.to_path_buf(), parsed);
        builds
    }

    fn ignore_file(&mut self, path: &Path) -> Option<Arc<IgnoreFile>> {
        if let Some(known) = self.ignores.get(path) {
            return known.file.clone();
        }
        let read = read_ignore(path);
        let file = read.file.clone();
        self.ignores.insert(path.to_path_buf(), read);
        file
    }

    /// The index of `root`, walked the first time (leaving directories `ignore` excludes
    /// unwalked), and brought in line with `ignore` when another ignore file walked it.
    fn index(&mut self, root: &Path, ignore: Option<&IgnoreFile>) -> Option<Arc<FileIndex>> {
        let ignore_path = ignore.map(|file| file.path.clone());
        match self.indexes.get_mut(root) {
            Some(indexed) => {
                if indexed.pruned_for != ignore_path
                    && let Some(files) = &mut indexed.files
                {
                    Arc::make_mut(files).reconsider_pruned(ignore);
                    indexed.pruned_for = ignore_path;
                }
                indexed.files.clone()
            }
            None => {
                let started = std::time::Instant::now();
                let files = FileIndex::build(root, ignore, files::ENTRY_LIMIT).map(Arc::new);
                if let Some(files) = &files {
                    tracing::info!(
                        "indexed the build context {} ({} entries{}) in {:?}",
                        root.display(),
                        files.len(),
                        if files.truncated {
                            ", stopped at the cap"
                        } else {
                            ""
                        },
                        started.elapsed()
                    );
                }
                self.indexes.insert(
                    root.to_path_buf(),
                    Indexed {
                        files: files.clone(),
                        pruned_for: ignore_path,
                    },
                );
                files
            }
        }
    }

    /// One change on disk; true when something known changed.
    fn apply(&mut self, path: &Path, change: Change) -> bool {
        let mut changed = false;
        if builds::tool_of(path).is_some() {
            changed = true;
            for (root, files) in &mut self.discovered {
                if !path.starts_with(root) {
                    continue;
                }
                files.retain(|file| file != path);
                if change != Change::Deleted && path.is_file() {
                    files.push(path.to_path_buf());
                    files.sort();
                }
            }
            self.parsed.remove(path);
        }
        if dockerignore::is_ignore_file(path) {
            changed = true;
            let read = read_ignore(path);
            let file = read.file.clone();
            self.ignores.insert(path.to_path_buf(), read);
            for indexed in self.indexes.values_mut() {
                if indexed.pruned_for.as_deref() == Some(path)
                    && let Some(files) = &mut indexed.files
                {
                    Arc::make_mut(files).reconsider_pruned(file.as_deref());
                }
            }
        }
        if change == Change::Changed && !path.is_dir() {
            // New contents: the index holds names only.
            return changed;
        }
        for (root, indexed) in &mut self.indexes {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let Some(files) = &mut indexed.files else {
                continue;
            };
            let relative = relative.to_string_lossy();
            if relative.is_empty() {
                continue;
            }
            let ignore = indexed
                .pruned_for
                .as_ref()
                .and_then(|path| self.ignores.get(path))
                .and_then(|read| read.file.clone());
            if !files.would_change(&relative, ignore.as_deref()) {
                continue;
            }
            Arc::make_mut(files).refresh(&relative, ignore.as_deref());
            changed = true;
        }
        changed
    }

    fn revalidate(&mut self) -> bool {
        let mut changed = false;
        for (path, parsed) in &mut self.parsed {
            if stamp(path) != parsed.stamp {
                *parsed = read_builds(path);
                changed = true;
            }
        }
        for (path, ignore) in &mut self.ignores {
            if stamp(path) != ignore.stamp {
                *ignore = read_ignore(path);
                changed = true;
            }
        }
        for (root, files) in &mut self.discovered {
            let found = discover(root);
            if *files != found {
                *files = found;
                changed = true;
            }
        }
        let ignores = &self.ignores;
        for (root, indexed) in &mut self.indexes {
            let small = indexed
                .files
                .as_ref()
                .is_none_or(|files| files.len() < REWALK_LIMIT);
            if !small {
                continue;
            }
            let ignore = indexed
                .pruned_for
                .as_ref()
                .and_then(|path| ignores.get(path))
                .and_then(|read| read.file.clone());
            let files = FileIndex::build(root, ignore.as_deref(), files::ENTRY_LIMIT).map(Arc::new);
            let same = match (&files, &indexed.files) {
                (Some(new), Some(old)) => same_entries(new, old),
                (None, None) => true,
                _ => false,
            };
            if !same {
                indexed.files = files;
                changed = true;
            }
        }
        changed
    }
}

/// Whether two indexes of one root list the same entries.
fn same_entries(a: &FileIndex, b: &FileIndex) -> bool {
    a.len() == b.len() && a.fingerprint() == b.fingerprint()
}

fn read_builds(path: &Path) -> Parsed {
    let before = stamp(path);
    let builds = match std::fs::read_to_string(path) {
        Ok(text) => match builds::parse(path, &text) {
            Ok(found) => found.into_iter().map(Arc::new).collect(),
            Err(error) => {
                tracing::warn!("{}: {error}", path.display());
                Vec::new()
            }
        },
        Err(_) => Vec::new(),
    };
    Parsed {
        stamp: before,
        builds: Arc::new(builds),
    }
}

fn read_ignore(path: &Path) -> Ignore {
    let before = stamp(path);
    let file = std::fs::read(path).ok().map(|bytes| {
        let text = String::from_utf8_lossy(&bytes);
        Arc::new(IgnoreFile::parse(path, &text))
    });
    Ignore {
        stamp: before,
        file,
    }
}

/// The compose and bake files below `root`: a walk that honours `.gitignore` (and skips
/// `.git`), at most [`SEARCH_DEPTH`] deep and [`SEARCH_LIMIT`] entries.
fn discover(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        // The repository's ignore files, not the user's global one: finding it means parsing
        // `~/.gitconfig` with a regular expression (compiling it brought 0.6 MB of regex code
        // into the server's resident set), and a compose file the user hides from git
        // everywhere is still one that may build this Dockerfile.
        .git_global(false)
        .max_depth(Some(SEARCH_DEPTH))
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for (seen, entry) in walker.flatten().enumerate() {
        if seen >= SEARCH_LIMIT {
            tracing::info!(
                "stopped looking for compose and bake files in {} after {SEARCH_LIMIT} entries",
                root.display()
            );
            break;
        }
        if entry.file_type().is_some_and(|kind| kind.is_file())
            && builds::tool_of(entry.path()).is_some()
        {
            found.push(absolute(entry.path()));
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::files::tests::tree;

    #[test]
    fn the_context_comes_from_configuration_then_builds_then_the_directory() {
        let root = tree(&[
            ".git/",
            "app/Dockerfile",
            "app/src/main.go",
            "tools/Dockerfile",
            "deploy/compose.yaml",
            "lone/Dockerfile",
        ]);
        std::fs::write(
            root.path().join("deploy/compose.yaml"),
            "services:\n  app:\n    build:\n      context: ../app\n      target: runtime\n      args:\n        BASE: alpine\n",
        )
        .unwrap();
        let workspace = Workspace::default();
        let app = workspace.context_for(&root.path().join("app/Dockerfile"), None);
        assert_eq!(app.root, root.path().join("app"));
        assert_eq!(app.origin, Origin::Build(0));
        assert_eq!(app.targets(), vec!["runtime"]);
        assert_eq!(app.argument_value("BASE"), Some("alpine"));
        assert!(
            app.describe().contains("compose.yaml service `app`"),
            "{}",
            app.describe()
        );
        let lone = workspace.context_for(&root.path().join("lone/Dockerfile"), None);
        assert_eq!(lone.origin, Origin::DockerfileDirectory);
        assert!(lone.builds.is_empty());
        let configured = Configured {
            directory: root.path().to_path_buf(),
            origin: Origin::CommandLine,
        };
        let tools = workspace.context_for(&root.path().join("tools/Dockerfile"), Some(configured));
        assert_eq!(tools.root, root.path());
        // Asked again: the same answer, not a new one.
        let again = workspace.context_for(&root.path().join("app/Dockerfile"), None);
        assert!(Arc::ptr_eq(&app, &again));
    }

    #[test]
    fn events_update_files_ignore_files_and_builds() {
        let root = tree(&[".git/", "Dockerfile", "a.txt"]);
        let dockerfile = root.path().join("Dockerfile");
        let workspace = Workspace::default();
        let before = workspace.context_for(&dockerfile, None);
        assert!(before.ignore.is_none());
        assert!(matches!(
            before.resolve("b.txt"),
            context::Resolved::Found { total: 0, .. }
        ));
        // A new file.
        std::fs::write(root.path().join("b.txt"), "x").unwrap();
        assert!(workspace.file_changed(&root.path().join("b.txt"), Change::Created));
        let after = workspace.context_for(&dockerfile, None);
        assert!(matches!(
            after.resolve("b.txt"),
            context::Resolved::Found { total: 1, .. }
        ));
        assert_ne!(*before, *after);
        // The snapshot handed out before is unchanged.
        assert!(matches!(
            before.resolve("b.txt"),
            context::Resolved::Found { total: 0, .. }
        ));
        // A new .dockerignore.
        let ignore = root.path().join(".dockerignore");
        std::fs::write(&ignore, "a.txt\n").unwrap();
        assert!(workspace.file_changed(&ignore, Change::Created));
        let ignored = workspace.context_for(&dockerfile, None);
        assert!(ignored.ignore.as_ref().unwrap().excludes("a.txt"));
        // A new compose file naming a target.
        let compose = root.path().join("compose.yaml");
        std::fs::write(
            &compose,
            "services:\n  s:\n    build:\n      context: .\n      target: t\n",
        )
        .unwrap();
        assert!(workspace.file_changed(&compose, Change::Created));
        assert_eq!(
            workspace.context_for(&dockerfile, None).targets(),
            vec!["t"]
        );
        // A change to a file's contents changes nothing known.
        assert!(!workspace.file_changed(&root.path().join("a.txt"), Change::Changed));
        // Outside every context: nothing.
        assert!(!workspace.file_changed(Path::new("/elsewhere/x"), Change::Created));
    }

    #[test]
    fn revalidation_sees_what_was_not_announced() {
        let root = tree(&[".git/", "Dockerfile"]);
        let dockerfile = root.path().join("Dockerfile");
        let workspace = Workspace::default();
        let before = workspace.context_for(&dockerfile, None);
        std::fs::write(root.path().join("new.txt"), "x").unwrap();
        std::fs::write(
            root.path().join("docker-bake.hcl"),
            "target \"t\" {\n  target = \"stage\"\n}\n",
        )
        .unwrap();
        assert!(workspace.revalidate());
        let after = workspace.context_for(&dockerfile, None);
        assert!(matches!(
            after.resolve("new.txt"),
            context::Resolved::Found { total: 1, .. }
        ));
        assert_eq!(after.targets(), vec!["stage"]);
        assert!(!Arc::ptr_eq(&before, &after));
        assert!(!workspace.revalidate());
    }
}
