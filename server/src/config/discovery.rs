//! Which configuration file is in force for a file, found by walking up from the file's
//! directory, and the cache that makes asking again free.
//!
//! In each directory, in this order: `dockerfile-ls.toml`, `.dockerfile-ls.toml`,
//! `.hadolint.yaml`, `.hadolint.yml`; the first directory that holds one decides (the nearest
//! file wins, and our file wins over hadolint's in the same directory). The walk stops after
//! the repository root (the first directory holding `.git`) and, when no repository holds it,
//! after the workspace folder the file is in (server only). With no file found, hadolint's
//! user-level files are tried: `$XDG_CONFIG_HOME/hadolint.yaml` (or `~/.config/`),
//! `~/.hadolint/hadolint.yaml`, `~/.hadolint/config.yaml`, `~/.hadolint.yaml` (each also
//! `.yml`), the order hadolint looks in.
//!
//! Files are parsed once and kept with their modification time; a watched-file event or
//! `revalidate` reloads what changed. A broken file keeps its last good parse for the server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ConfigFile, Problem, Resolution};

/// The names looked for in each directory, in order of precedence.
pub const FILE_NAMES: &[&str] = &[
    "dockerfile-ls.toml",
    ".dockerfile-ls.toml",
    ".hadolint.yaml",
    ".hadolint.yml",
];

/// True when `path` names a configuration file (by its name alone).
pub fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| FILE_NAMES.contains(&name))
}

/// hadolint's user-level files, in the order hadolint tries them, from the environment.
pub fn user_level_files() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute());
    user_level_files_in(home.as_deref(), xdg.as_deref())
}

fn user_level_files_in(home: Option<&Path>, xdg_config: Option<&Path>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut add = |directory: &Path, stem: &str| {
        for extension in ["yaml", "yml"] {
            let file = directory.join(format!("{stem}.{extension}"));
            if !files.contains(&file) {
                files.push(file);
            }
        }
    };
    if let Some(xdg) = xdg_config {
        add(xdg, "hadolint");
    }
    if let Some(home) = home {
        add(&home.join(".config"), "hadolint");
        add(&home.join(".hadolint"), "hadolint");
        add(&home.join(".hadolint"), "config");
        add(home, ".hadolint");
    }
    files
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

/// A configuration file as last read.
#[derive(Debug)]
struct Loaded {
    /// `None` when it could not be read (gone).
    stamp: Option<Stamp>,
    current: Result<Arc<ConfigFile>, Problem>,
    last_good: Option<Arc<ConfigFile>>,
}

/// How configuration files are chosen.
#[derive(Clone, Debug)]
enum Mode {
    /// Walk up from each file.
    Discover,
    /// One file for every file (`check --config FILE`).
    Explicit(PathBuf),
    /// No file at all (`check --isolated`).
    Isolated,
}

/// Finds, loads and caches configuration files. Cheap to ask again: every directory's answer
/// and every file's parse are kept until `forget` or `revalidate` says otherwise.
#[derive(Debug)]
pub struct Resolver {
    mode: Mode,
    user_level: Vec<PathBuf>,
    /// Workspace folders (absolute), each with whether a repository holds it.
    workspace_folders: Vec<(PathBuf, bool)>,
    /// Directory → the configuration file in force there (before user-level ones).
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// The first user-level file that exists, once looked for.
    user_level_found: Option<Option<PathBuf>>,
    loaded: HashMap<PathBuf, Loaded>,
    /// Without a last good parse, a broken file is an error (the CLI); with, it keeps working
    /// as it last was (the server).
    keep_last_good: bool,
}

impl Resolver {
    fn new(mode: Mode) -> Resolver {
        Resolver {
            mode,
            user_level: user_level_files(),
            workspace_folders: Vec::new(),
            nearest: HashMap::new(),
            user_level_found: None,
            loaded: HashMap::new(),
            keep_last_good: false,
        }
    }

    /// Walks up from each file.
    pub fn discover() -> Resolver {
        Resolver::new(Mode::Discover)
    }

    /// Uses `file` for every file.
    pub fn explicit(file: &Path) -> Resolver {
        Resolver::new(Mode::Explicit(absolute(file)))
    }

    /// Uses no configuration file.
    pub fn isolated() -> Resolver {
        Resolver::new(Mode::Isolated)
    }

    /// The server's resolver: a broken file keeps working as it last was.
    pub fn keeping_last_good(mut self) -> Resolver {
        self.keep_last_good = true;
        self
    }

    /// Replaces the user-level candidates (tests use their own home).
    pub fn with_user_level_files(mut self, files: Vec<PathBuf>) -> Resolver {
        self.user_level = files;
        self.user_level_found = None;
        self
    }

    /// The workspace folders the walk may stop at.
    pub fn set_workspace_folders(&mut self, folders: Vec<PathBuf>) {
        self.workspace_folders = folders
            .into_iter()
            .map(|folder| {
                let folder = absolute(&folder);
                let in_repository = folder.ancestors().any(has_repository);
                (folder, in_repository)
            })
            .collect();
        self.nearest.clear();
    }

    /// What the configuration says for `file` (any path; made absolute here).
    pub fn resolve(&mut self, file: &Path) -> Resolution {
        let file = absolute(file);
        let Some(config_path) = self.config_path_for(&file) else {
            return Resolution::default();
        };
        let (in_force, error) = self.load(&config_path);
        let mut resolution = Resolution {
            error,
            ..Resolution::default()
        };
        if let Some(config) = in_force {
            let (settings, fail_level, overrides) = config.settings_for(&file);
            resolution.settings = settings;
            resolution.fail_level = fail_level;
            resolution.overrides = overrides;
            resolution.source = Some(config);
        }
        resolution
    }

    /// The configuration file that decides for `file` (absolute), if any.
    pub fn config_path_for(&mut self, file: &Path) -> Option<PathBuf> {
        match &self.mode {
            Mode::Isolated => None,
            Mode::Explicit(path) => Some(path.clone()),
            Mode::Discover => {
                let directory = file.parent()?.to_path_buf();
                self.nearest(&directory).or_else(|| self.user_level())
            }
        }
    }

    /// The nearest configuration file at or above `directory`, within the walk's limits.
    fn nearest(&mut self, directory: &Path) -> Option<PathBuf> {
        if let Some(known) = self.nearest.get(directory) {
            return known.clone();
        }
        let found = match FILE_NAMES
            .iter()
            .map(|name| directory.join(name))
            .find(|candidate| candidate.is_file())
        {
            Some(file) => Some(file),
            None if self.stops_at(directory) => None,
            None => directory.parent().and_then(|parent| self.nearest(parent)),
        };
        self.nearest.insert(directory.to_path_buf(), found.clone());
        found
    }

    /// The walk ends here: a repository's root, or a workspace folder no repository holds.
    fn stops_at(&self, directory: &Path) -> bool {
        has_repository(directory)
            || self
                .workspace_folders
                .iter()
                .any(|(folder, in_repository)| !in_repository && folder == directory)
    }

    fn user_level(&mut self) -> Option<PathBuf> {
        if let Some(found) = &self.user_level_found {
            return found.clone();
        }
        let found = self.user_level.iter().find(|file| file.is_file()).cloned();
        self.user_level_found = Some(found.clone());
        found
    }

    /// The parse of `path` in force, and what is wrong with the file now if it is broken.
    fn load(&mut self, path: &Path) -> (Option<Arc<ConfigFile>>, Option<Problem>) {
        let keep_last_good = self.keep_last_good;
        let loaded = self
            .loaded
            .entry(path.to_path_buf())
            .or_insert_with(|| read(path, None));
        match &loaded.current {
            Ok(config) => (Some(config.clone()), None),
            Err(problem) => {
                let in_force = keep_last_good.then(|| loaded.last_good.clone()).flatten();
                (in_force, Some(problem.clone()))
            }
        }
    }

    /// A watched-file event for `path`: a configuration file appeared, changed or went away.
    /// The next `resolve` reads it again and walks again. Returns whether it was one of ours.
    pub fn forget(&mut self, path: &Path) -> bool {
        let path = absolute(path);
        let known = self.loaded.contains_key(&path) || self.user_level.contains(&path);
        if !is_config_file(&path) && !known {
            return false;
        }
        if !path.is_file() {
            // Gone: the walk will not find it, and it is nothing to report.
            self.loaded.remove(&path);
        } else if let Some(loaded) = self.loaded.get_mut(&path) {
            let last_good = loaded
                .current
                .as_ref()
                .ok()
                .cloned()
                .or(loaded.last_good.take());
            *loaded = read(&path, last_good);
        }
        self.nearest.clear();
        self.user_level_found = None;
        true
    }

    /// For clients that do not watch files: re-reads every loaded file whose modification time
    /// or size changed, and with `walk_again` forgets every directory's answer (a file may
    /// have appeared). Returns whether anything changed.
    pub fn revalidate(&mut self, walk_again: bool) -> bool {
        let before = self.loaded.len();
        self.loaded.retain(|path, _| path.is_file());
        let mut changed = self.loaded.len() != before;
        for (path, loaded) in self.loaded.iter_mut() {
            if stamp(path) == loaded.stamp {
                continue;
            }
            let last_good = loaded
                .current
                .as_ref()
                .ok()
                .cloned()
                .or(loaded.last_good.take());
            *loaded = read(path, last_good);
            changed = true;
        }
        if walk_again {
            self.nearest.clear();
            self.user_level_found = None;
        }
        changed
    }

    /// Every configuration file read so far that is broken now.
    pub fn broken(&self) -> Vec<Problem> {
        let mut problems: Vec<Problem> = self
            .loaded
            .values()
            .filter_map(|loaded| loaded.current.as_ref().err().cloned())
            .collect();
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        problems
    }
}

fn read(path: &Path, last_good: Option<Arc<ConfigFile>>) -> Loaded {
    let before = stamp(path);
    let current = ConfigFile::load(path).map(Arc::new);
    // An editor writing the file in place (truncate, then write) can be caught half way: the
    // text read may be a torn one (an empty file parses fine). Such a read is used for now but
    // never becomes the last good configuration, and the next revalidation reads it again.
    let settled = before.is_some() && stamp(path) == before;
    let stamp = if settled { before } else { None };
    let last_good = match &current {
        Ok(config) if settled => Some(config.clone()),
        _ => last_good,
    };
    if let Err(problem) = &current {
        tracing::info!("configuration: {problem}");
    }
    Loaded {
        stamp,
        current,
        last_good,
    }
}

fn has_repository(directory: &Path) -> bool {
    directory.join(".git").exists()
}

/// `path` made absolute against the current directory and cleaned of `.` and `..`, without
/// resolving links (so it compares with the paths editors send, and `--config ../x.toml`
/// gives a directory the Dockerfiles below it have as a prefix).
pub fn absolute(path: &Path) -> PathBuf {
    crate::workspace::absolute(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{self, Level};

    struct Tree(tempfile::TempDir);

    impl Tree {
        fn new(name: &str) -> Tree {
            Tree(tempfile::Builder::new().prefix(name).tempdir().unwrap())
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.0.path().join(relative)
        }

        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.path(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    fn resolver() -> Resolver {
        Resolver::discover().with_user_level_files(Vec::new())
    }

    fn level(resolution: &Resolution, rule: &str) -> Level {
        resolution.settings.level(lint::find_rule(rule).unwrap())
    }

    #[test]
    fn the_nearest_file_wins_and_the_walk_stops_at_the_repository() {
        let tree = Tree::new("nearest");
        tree.write("outside/dockerfile-ls.toml", "ignore = [\"DL3059\"]\n");
        std::fs::create_dir_all(tree.path("outside/repo/.git")).unwrap();
        let root = tree.write("outside/repo/dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        let nested = tree.write("outside/repo/svc/.hadolint.yaml", "ignored: [DL3007]\n");
        let mut resolver = resolver();
        let deep = resolver.resolve(&tree.path("outside/repo/a/b/c/Dockerfile"));
        assert_eq!(deep.source.as_ref().unwrap().path, root);
        assert_eq!(level(&deep, "DL4000"), Level::Off);
        // A repository without a file of its own does not reach the one above it.
        std::fs::create_dir_all(tree.path("outside/bare/.git")).unwrap();
        let bare = resolver.resolve(&tree.path("outside/bare/x/Dockerfile"));
        assert!(bare.source.is_none(), "the walk went past .git");
        let service = resolver.resolve(&tree.path("outside/repo/svc/x/Dockerfile"));
        assert_eq!(service.source.as_ref().unwrap().path, nested);
        assert_eq!(level(&service, "DL3007"), Level::Off);
        assert_ne!(level(&service, "DL4000"), Level::Off, "files do not stack");
    }

    #[test]
    fn our_file_wins_over_hadolints_in_one_directory() {
        let tree = Tree::new("precedence");
        std::fs::create_dir_all(tree.path(".git")).unwrap();
        tree.write(".hadolint.yaml", "ignored: [DL3007]\n");
        tree.write(".hadolint.yml", "ignored: [DL3006]\n");
        let mut resolver = resolver();
        let hadolint = resolver.resolve(&tree.path("Dockerfile"));
        assert!(hadolint.source.unwrap().path.ends_with(".hadolint.yaml"));
        let ours = tree.write(".dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        resolver.forget(&ours);
        let resolution = resolver.resolve(&tree.path("Dockerfile"));
        assert_eq!(resolution.source.unwrap().path, ours);
        let visible = tree.write("dockerfile-ls.toml", "");
        resolver.forget(&visible);
        assert_eq!(
            resolver
                .resolve(&tree.path("Dockerfile"))
                .source
                .unwrap()
                .path,
            visible
        );
    }

    #[test]
    fn a_workspace_folder_outside_any_repository_ends_the_walk() {
        let tree = Tree::new("workspace");
        tree.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        let mut resolver = resolver();
        assert!(
            resolver
                .resolve(&tree.path("ws/Dockerfile"))
                .source
                .is_some()
        );
        resolver.set_workspace_folders(vec![tree.path("ws")]);
        assert!(
            resolver
                .resolve(&tree.path("ws/Dockerfile"))
                .source
                .is_none()
        );
        // Inside a repository the walk goes on to the repository's root.
        std::fs::create_dir_all(tree.path(".git")).unwrap();
        resolver.set_workspace_folders(vec![tree.path("ws")]);
        assert!(
            resolver
                .resolve(&tree.path("ws/Dockerfile"))
                .source
                .is_some()
        );
    }

    #[test]
    fn user_level_files_come_last_in_hadolints_order() {
        let home = Path::new("/home/u");
        let files = user_level_files_in(Some(home), Some(Path::new("/xdg")));
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "/xdg/hadolint.yaml",
                "/xdg/hadolint.yml",
                "/home/u/.config/hadolint.yaml",
                "/home/u/.config/hadolint.yml",
                "/home/u/.hadolint/hadolint.yaml",
                "/home/u/.hadolint/hadolint.yml",
                "/home/u/.hadolint/config.yaml",
                "/home/u/.hadolint/config.yml",
                "/home/u/.hadolint.yaml",
                "/home/u/.hadolint.yml",
            ]
        );
        let tree = Tree::new("user");
        std::fs::create_dir_all(tree.path("repo/.git")).unwrap();
        let user = tree.write("home/.hadolint.yaml", "ignored: [DL4000]\n");
        let mut resolver = Resolver::discover()
            .with_user_level_files(vec![tree.path("home/.config/hadolint.yaml"), user.clone()]);
        let resolution = resolver.resolve(&tree.path("repo/Dockerfile"));
        assert_eq!(resolution.source.unwrap().path, user);
        let project = tree.write("repo/.hadolint.yml", "ignored: []\n");
        resolver.forget(&project);
        assert_eq!(
            resolver
                .resolve(&tree.path("repo/Dockerfile"))
                .source
                .unwrap()
                .path,
            project
        );
    }

    #[test]
    fn a_broken_file_is_an_error_and_the_server_keeps_the_last_good_one() {
        let tree = Tree::new("broken");
        std::fs::create_dir_all(tree.path(".git")).unwrap();
        let config = tree.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        let mut cli = resolver();
        let mut server = resolver().keeping_last_good();
        for resolver in [&mut cli, &mut server] {
            assert!(resolver.resolve(&tree.path("Dockerfile")).error.is_none());
        }
        std::fs::write(&config, "ignore = [\"DL4000\"\n").unwrap();
        for resolver in [&mut cli, &mut server] {
            assert!(resolver.forget(&config));
        }
        let failed = cli.resolve(&tree.path("Dockerfile"));
        let problem = failed.error.expect("the CLI sees the error");
        assert_eq!(problem.path, config);
        assert_eq!(problem.line, Some(1));
        assert!(failed.source.is_none());
        let kept = server.resolve(&tree.path("Dockerfile"));
        assert!(kept.error.is_some());
        assert_eq!(
            level(&kept, "DL4000"),
            Level::Off,
            "the last good one holds"
        );
        assert_eq!(server.broken().len(), 1);
        std::fs::write(&config, "ignore = [\"DL3007\"]\n").unwrap();
        server.forget(&config);
        let fixed = server.resolve(&tree.path("Dockerfile"));
        assert!(fixed.error.is_none() && server.broken().is_empty());
        assert_eq!(level(&fixed, "DL3007"), Level::Off);
        assert_ne!(level(&fixed, "DL4000"), Level::Off);
    }

    #[test]
    fn revalidation_notices_edits_and_new_files() {
        let tree = Tree::new("revalidate");
        std::fs::create_dir_all(tree.path(".git")).unwrap();
        let mut resolver = resolver();
        assert!(
            resolver
                .resolve(&tree.path("a/Dockerfile"))
                .source
                .is_none()
        );
        let config = tree.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        // Cached: the directory's answer stands until told.
        assert!(
            resolver
                .resolve(&tree.path("a/Dockerfile"))
                .source
                .is_none()
        );
        resolver.revalidate(true);
        assert!(
            resolver
                .resolve(&tree.path("a/Dockerfile"))
                .source
                .is_some()
        );
        // A different length is a different stamp even within one clock tick.
        std::fs::write(&config, "ignore = [\"DL4000\", \"DL3007\"]\n").unwrap();
        assert!(resolver.revalidate(false));
        let resolution = resolver.resolve(&tree.path("a/Dockerfile"));
        assert_eq!(level(&resolution, "DL3007"), Level::Off);
        assert!(!resolver.revalidate(false), "nothing changed since");
        std::fs::remove_file(&config).unwrap();
        assert!(resolver.revalidate(true));
        assert!(
            resolver
                .resolve(&tree.path("a/Dockerfile"))
                .source
                .is_none()
        );
        assert!(
            resolver.broken().is_empty(),
            "a deleted file is not a broken one"
        );
    }

    #[test]
    fn explicit_and_isolated_modes() {
        let tree = Tree::new("modes");
        std::fs::create_dir_all(tree.path(".git")).unwrap();
        tree.write("dockerfile-ls.toml", "ignore = [\"DL4000\"]\n");
        let other = tree.write("conf/other.yaml", "ignored: [DL3007]\n");
        let mut explicit = Resolver::explicit(&other);
        let resolution = explicit.resolve(&tree.path("Dockerfile"));
        assert_eq!(resolution.source.unwrap().path, other);
        let mut isolated = Resolver::isolated();
        assert!(isolated.resolve(&tree.path("Dockerfile")).source.is_none());
    }
}
