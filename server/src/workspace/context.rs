//! A Dockerfile's build context as data: where it is and why, its files, the `.dockerignore`
//! in force, and the compose and bake builds of the Dockerfile. Rules and IDE features read
//! this snapshot and never the disk; the server and the CLI make it ([`super::Workspace`]).
//!
//! Also what a `COPY`/`ADD` source names in the context ([`BuildContext::resolve`]), with
//! BuildKit's rules: the path is taken relative to the context root (`/a`, `./a` and `a` are
//! the same, `..` cannot leave the root), wildcards follow Go's `filepath.Match` a component
//! at a time, and a wildcard that matches nothing copies nothing (BuildKit allows empty
//! wildcards) while a plain path that is missing fails the build.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::builds::BuildDefinition;
use super::dockerignore::IgnoreFile;
use super::files::{FileIndex, Kind, Presence};
use super::pattern::{self, ComponentPattern};

/// How the context directory was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The project configuration's `build-context` (the file that says so).
    Configured(PathBuf),
    /// `check --context DIR`.
    CommandLine,
    /// The first compose service or bake target that builds this Dockerfile (an index into
    /// [`BuildContext::builds`]).
    Build(usize),
    /// Nothing says otherwise: the Dockerfile's own directory (`docker build -f X X/..` is the
    /// usual call, and the most common `docker build .` beside the Dockerfile).
    DockerfileDirectory,
}

/// The build context of one Dockerfile.
#[derive(Clone, Debug)]
pub struct BuildContext {
    /// The context directory (absolute).
    pub root: PathBuf,
    pub origin: Origin,
    /// The context's files; `None` when the directory cannot be read (nothing is judged
    /// missing then).
    pub files: Option<Arc<FileIndex>>,
    /// The `.dockerignore` in force, if there is one.
    pub ignore: Option<Arc<IgnoreFile>>,
    /// Every compose service and bake target that builds this Dockerfile.
    pub builds: Vec<Arc<BuildDefinition>>,
}

impl PartialEq for BuildContext {
    /// The same context, the same index (by identity: a changed index is a new one), the same
    /// ignore file and builds.
    fn eq(&self, other: &BuildContext) -> bool {
        let same_files = match (&self.files, &other.files) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_files
            && self.root == other.root
            && self.origin == other.origin
            && self.ignore == other.ignore
            && self.builds == other.builds
    }
}

impl Eq for BuildContext {}

/// What a `COPY`/`ADD` source names in the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Cannot be told here (an unlisted directory, a link on the way, too much to look at).
    Unknown,
    /// Entries that match (relative paths with their kinds, at most [`MATCH_LIMIT`]), and how
    /// many in all. Empty: nothing matches.
    Found {
        matches: Vec<(String, Kind)>,
        total: usize,
    },
}

/// The most matches a source's answer lists.
pub const MATCH_LIMIT: usize = 200;

/// The most directory entries one wildcard source may look at (a keystroke must stay cheap).
const WILDCARD_WORK: usize = 20_000;

impl BuildContext {
    /// A context with no files known and no builds: `root` only.
    pub fn bare(root: &Path, origin: Origin) -> BuildContext {
        BuildContext {
            root: root.to_path_buf(),
            origin,
            files: None,
            ignore: None,
            builds: Vec::new(),
        }
    }

    /// How the context was found, for people: `` `/repo/app` (compose.yaml service `web`) ``.
    pub fn describe(&self) -> String {
        let how = match &self.origin {
            Origin::Configured(file) => format!("set by {}", file.display()),
            Origin::CommandLine => "set by --context".to_string(),
            Origin::Build(index) => match self.builds.get(*index) {
                Some(build) => format!("from {}", build.label()),
                None => "from a build file".to_string(),
            },
            Origin::DockerfileDirectory => "the Dockerfile's directory".to_string(),
        };
        format!("`{}` ({how})", self.root.display())
    }

    /// The stages compose and bake build (`target:`), each once.
    pub fn targets(&self) -> Vec<String> {
        let mut targets: Vec<String> = Vec::new();
        for build in &self.builds {
            if let Some(target) = &build.target
                && !targets
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(target))
            {
                targets.push(target.clone());
            }
        }
        targets
    }

    /// True when some build names `name` as a named context (`additional_contexts`,
    /// `contexts`): `COPY --from=name` and `FROM name` then read that, not a stage or image.
    pub fn is_named_context(&self, name: &str) -> bool {
        self.builds
            .iter()
            .any(|build| build.contexts.iter().any(|(known, _)| known == name))
    }

    /// The values builds give build argument `name`: each build that sets it, with the value
    /// (`None`: not known here).
    pub fn argument(&self, name: &str) -> Vec<(&BuildDefinition, Option<&str>)> {
        self.builds
            .iter()
            .filter_map(|build| {
                let (_, value) = build.args.iter().find(|(known, _)| known == name)?;
                Some((build.as_ref(), value.as_deref()))
            })
            .collect()
    }

    /// The value of build argument `name` when every build that sets it agrees on a known
    /// one; what the Dockerfile reads for it then.
    pub fn argument_value(&self, name: &str) -> Option<&str> {
        let values = self.argument(name);
        let (_, first) = values.first()?;
        let first = (*first)?;
        values
            .iter()
            .all(|(_, value)| *value == Some(first))
            .then_some(first)
    }

    /// True when any build sets `name` (known or not).
    pub fn sets_argument(&self, name: &str) -> bool {
        !self.argument(name).is_empty()
    }

    /// A source path as BuildKit reads it relative to the context root (cleaned, `.` for the
    /// root itself).
    pub fn relative(source: &str) -> String {
        let cleaned = pattern::clean(&format!("/{source}"));
        match cleaned.strip_prefix('/') {
            Some("") | None => ".".to_string(),
            Some(rest) => rest.to_string(),
        }
    }

    /// The absolute path of a context-relative path.
    pub fn absolute(&self, relative: &str) -> PathBuf {
        if relative == "." {
            self.root.clone()
        } else {
            self.root.join(relative)
        }
    }

    /// What `source` (as BuildKit reads it, variables expanded) names in the context, before
    /// `.dockerignore`.
    pub fn resolve(&self, source: &str) -> Resolved {
        let Some(files) = &self.files else {
            return Resolved::Unknown;
        };
        let relative = BuildContext::relative(source);
        if !pattern::has_wildcards(&relative) {
            let kind = match files.lookup(&relative) {
                Presence::Unknown => return Resolved::Unknown,
                Presence::Missing => {
                    return Resolved::Found {
                        matches: Vec::new(),
                        total: 0,
                    };
                }
                Presence::File => Kind::File,
                Presence::Directory => Kind::Directory,
                Presence::Link => Kind::Link,
            };
            return Resolved::Found {
                matches: vec![(relative, kind)],
                total: 1,
            };
        }
        resolve_wildcards(files, &relative)
    }

    /// Whether `.dockerignore` keeps `relative` (a path in the context) out of what the build
    /// sees: a file it excludes, or a directory it excludes with no exception reaching inside.
    pub fn ignored(&self, relative: &str, kind: Kind) -> bool {
        let Some(ignore) = &self.ignore else {
            return false;
        };
        if !ignore.excludes(relative) {
            return false;
        }
        kind != Kind::Directory || !ignore.may_include_below(relative)
    }
}

/// Wildcard sources, a component at a time (BuildKit matches the pattern against paths of as
/// many components with `filepath.Match`).
fn resolve_wildcards(files: &FileIndex, relative: &str) -> Resolved {
    let components: Vec<&str> = relative.split('/').collect();
    let mut current: Vec<(String, Kind)> = vec![(String::new(), Kind::Directory)];
    let mut work = 0;
    for (position, component) in components.iter().enumerate() {
        let last = position + 1 == components.len();
        let mut next = Vec::new();
        let literal = !pattern::has_wildcards(component);
        let compiled = match ComponentPattern::new(component) {
            Ok(compiled) => compiled,
            // BuildKit fails on a malformed pattern; that is not for this question.
            Err(_) => return Resolved::Unknown,
        };
        for (directory, kind) in &current {
            if *kind == Kind::Link {
                return Resolved::Unknown;
            }
            let Some(listing) = files.listing(directory) else {
                return Resolved::Unknown;
            };
            let join = |name: &str| {
                if directory.is_empty() {
                    name.to_string()
                } else {
                    format!("{directory}/{name}")
                }
            };
            if literal {
                if let Some(kind) = listing.get(component) {
                    next.push((join(component), kind));
                }
                continue;
            }
            work += listing.len();
            if work > WILDCARD_WORK {
                return Resolved::Unknown;
            }
            for (name, kind) in listing.iter() {
                if compiled.matches(name) {
                    next.push((join(name), kind));
                }
            }
        }
        if !last {
            next.retain(|(_, kind)| *kind != Kind::File);
        }
        current = next;
    }
    let total = current.len();
    current.truncate(MATCH_LIMIT);
    Resolved::Found {
        matches: current,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::files::{ENTRY_LIMIT, tests::tree};

    fn context(files: &[&str], ignore: &str) -> (tempfile::TempDir, BuildContext) {
        let root = tree(files);
        let ignore = (!ignore.is_empty()).then(|| {
            Arc::new(IgnoreFile::parse(
                &root.path().join(".dockerignore"),
                ignore,
            ))
        });
        let index = FileIndex::build(root.path(), ignore.as_deref(), ENTRY_LIMIT).unwrap();
        let context = BuildContext {
            root: root.path().to_path_buf(),
            origin: Origin::DockerfileDirectory,
            files: Some(Arc::new(index)),
            ignore,
            builds: Vec::new(),
        };
        (root, context)
    }

    fn names(resolved: &Resolved) -> Vec<&str> {
        match resolved {
            Resolved::Found { matches, .. } => {
                matches.iter().map(|(path, _)| path.as_str()).collect()
            }
            Resolved::Unknown => vec!["?"],
        }
    }

    #[test]
    fn sources_are_relative_to_the_root() {
        assert_eq!(BuildContext::relative("./a/b/"), "a/b");
        assert_eq!(BuildContext::relative("/a"), "a");
        assert_eq!(BuildContext::relative("../../a"), "a");
        assert_eq!(BuildContext::relative("."), ".");
        assert_eq!(BuildContext::relative("/"), ".");
    }

    #[test]
    fn plain_paths_and_wildcards() {
        let (_root, context) = context(
            &[
                "go.mod",
                "go.sum",
                "cmd/app/main.go",
                "cmd/tool/main.go",
                "README.md",
                "dist/",
            ],
            "",
        );
        assert_eq!(names(&context.resolve("go.mod")), vec!["go.mod"]);
        assert_eq!(names(&context.resolve("./cmd")), vec!["cmd"]);
        assert!(names(&context.resolve("missing.txt")).is_empty());
        assert_eq!(names(&context.resolve("go.*")), vec!["go.mod", "go.sum"]);
        assert_eq!(
            names(&context.resolve("cmd/*/main.go")),
            vec!["cmd/app/main.go", "cmd/tool/main.go"]
        );
        // A star stays within its component.
        assert!(names(&context.resolve("*.go")).is_empty());
        assert_eq!(names(&context.resolve("[Rr]EADME.md")), vec!["README.md"]);
        assert_eq!(names(&context.resolve(".")), vec!["."]);
        let unreadable = BuildContext::bare(Path::new("/nowhere"), Origin::CommandLine);
        assert_eq!(unreadable.resolve("x"), Resolved::Unknown);
    }

    #[test]
    fn ignored_paths() {
        let (_root, context) = context(
            &["secret.env", "docs/a.md", "docs/README.md", "vendor/x"],
            "*.env\ndocs\n!docs/README.md\nvendor\n",
        );
        assert!(context.ignored("secret.env", Kind::File));
        assert!(context.ignored("docs/a.md", Kind::File));
        assert!(!context.ignored("docs/README.md", Kind::File));
        // The exception reaches into docs: the directory is still sent.
        assert!(!context.ignored("docs", Kind::Directory));
        assert!(context.ignored("vendor", Kind::Directory));
        // Pruned by the walk: listed, contents unknown.
        assert_eq!(context.resolve("vendor/x"), Resolved::Unknown);
    }
}
