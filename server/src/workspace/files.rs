//! The files of a build context, indexed once: every directory's listing (names and kinds,
//! sorted), kept compact (one string of names and 8 bytes an entry per directory) so a context
//! of 100,000 files costs a few megabytes, and answered from memory, so no keystroke touches
//! the disk. The index is immutable and shared (`Arc`); a change on disk makes a new one that
//! shares every listing the change did not touch.
//!
//! The walk is a plain `read_dir` walk rather than the `ignore` crate's walker: a build context
//! is not what git tracks (`.gitignore`d build outputs are sent to the build, so no gitignore
//! filtering), the index wants one listing per directory (what `read_dir` gives), and the only
//! pruning is by `.dockerignore`, with Docker's own rules. Symbolic links are listed and not
//! followed. The walk stops after a cap of entries; a directory it did not list (cap, pruned by
//! `.dockerignore`, unreadable, behind a link) is *unknown*, and questions about it get "don't
//! know" rather than "missing".

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dockerignore::IgnoreFile;

/// The most entries indexed for one context. Past this the walk stops and the rest is unknown.
pub const ENTRY_LIMIT: usize = 300_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Directory,
    /// A symbolic link (the build follows it; the index does not).
    Link,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    start: u32,
    length: u16,
    kind: Kind,
}

/// One directory's entries, sorted by name.
#[derive(Debug, Default)]
pub struct Listing {
    names: String,
    entries: Vec<Entry>,
}

impl Listing {
    fn from_entries(mut found: Vec<(String, Kind)>) -> Listing {
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let mut names = String::with_capacity(found.iter().map(|(name, _)| name.len()).sum());
        let mut entries = Vec::with_capacity(found.len());
        for (name, kind) in found {
            // Names longer than any file system allows are not kept.
            let Ok(length) = u16::try_from(name.len()) else {
                continue;
            };
            entries.push(Entry {
                start: names.len() as u32,
                length,
                kind,
            });
            names.push_str(&name);
        }
        Listing { names, entries }
    }

    fn name(&self, entry: &Entry) -> &str {
        let start = entry.start as usize;
        &self.names[start..start + entry.length as usize]
    }

    /// The entries, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Kind)> + '_ {
        self.entries
            .iter()
            .map(move |entry| (self.name(entry), entry.kind))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kind of the entry called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<Kind> {
        self.entries
            .binary_search_by(|entry| self.name(entry).cmp(name))
            .ok()
            .map(|at| self.entries[at].kind)
    }
}

/// What the index knows of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    File,
    Directory,
    /// A symbolic link: the build follows it, so it exists as far as anyone can tell here.
    Link,
    /// Certainly not in the context.
    Missing,
    /// Below a directory that was not listed.
    Unknown,
}

/// The files of one context directory.
#[derive(Clone)]
pub struct FileIndex {
    pub root: PathBuf,
    /// Relative directory path (`""` for the root, no trailing slash) → its listing.
    directories: HashMap<Arc<str>, Arc<Listing>>,
    entries: usize,
    /// The walk stopped at [`ENTRY_LIMIT`].
    pub truncated: bool,
}

impl std::fmt::Debug for FileIndex {
    /// The root and the counts: an index may hold 100,000 names.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FileIndex")
            .field("root", &self.root)
            .field("directories", &self.directories.len())
            .field("entries", &self.entries)
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// Reads one directory: its entries with their kinds, `None` when it cannot be read.
fn read_directory(path: &Path) -> Option<Vec<(String, Kind)>> {
    let reader = std::fs::read_dir(path).ok()?;
    let mut found = Vec::new();
    for entry in reader.flatten() {
        // Names that are not UTF-8 cannot be written in a Dockerfile we can read either.
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let kind = if file_type.is_symlink() {
            Kind::Link
        } else if file_type.is_dir() {
            Kind::Directory
        } else {
            Kind::File
        };
        found.push((name, kind));
    }
    Some(found)
}

fn join(directory: &str, name: &str) -> String {
    if directory.is_empty() {
        name.to_string()
    } else {
        format!("{directory}/{name}")
    }
}

/// Whether the walk skips `directory` (relative): `.dockerignore` excludes it and no exception
/// could bring anything inside it back. Such a directory is listed in its parent but unknown.
fn pruned(ignore: Option<&IgnoreFile>, directory: &str) -> bool {
    ignore.is_some_and(|ignore| ignore.excludes(directory) && !ignore.may_include_below(directory))
}

impl FileIndex {
    /// Walks `root` (at most `limit` entries). `None` when the root itself cannot be read.
    pub fn build(root: &Path, ignore: Option<&IgnoreFile>, limit: usize) -> Option<FileIndex> {
        let mut index = FileIndex {
            root: root.to_path_buf(),
            directories: HashMap::new(),
            entries: 0,
            truncated: false,
        };
        let top = read_directory(root)?;
        index.insert_listing(String::new(), top);
        let mut pending = index.subdirectories("", ignore);
        index.walk(&mut pending, ignore, limit);
        Some(index)
    }

    /// Lists the directories in `pending` and everything below them, depth first, until the
    /// index holds `limit` entries.
    fn walk(&mut self, pending: &mut Vec<String>, ignore: Option<&IgnoreFile>, limit: usize) {
        while let Some(directory) = pending.pop() {
            if self.entries >= limit {
                self.truncated = true;
                return;
            }
            let Some(found) = read_directory(&self.root.join(&directory)) else {
                continue;
            };
            self.insert_listing(directory.clone(), found);
            pending.extend(self.subdirectories(&directory, ignore));
        }
    }

    fn insert_listing(&mut self, directory: String, found: Vec<(String, Kind)>) {
        let listing = Listing::from_entries(found);
        self.entries += listing.len();
        if let Some(old) = self
            .directories
            .insert(Arc::from(directory.as_str()), Arc::new(listing))
        {
            self.entries -= old.len();
        }
    }

    /// The subdirectories of a listed `directory` the walk should list.
    fn subdirectories(&self, directory: &str, ignore: Option<&IgnoreFile>) -> Vec<String> {
        let Some(listing) = self.directories.get(directory) else {
            return Vec::new();
        };
        listing
            .iter()
            .filter(|(_, kind)| *kind == Kind::Directory)
            .map(|(name, _)| join(directory, name))
            .filter(|path| !pruned(ignore, path) && !self.directories.contains_key(path.as_str()))
            .collect()
    }

    /// How many entries are indexed.
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The listing of `directory` (relative, cleaned; `.` or `""` for the root), if it was
    /// listed.
    pub fn listing(&self, directory: &str) -> Option<&Listing> {
        let key = if directory == "." { "" } else { directory };
        self.directories.get(key).map(Arc::as_ref)
    }

    /// What the index knows of `path` (relative to the root, cleaned, `/`-separated; `.` is
    /// the root).
    pub fn lookup(&self, path: &str) -> Presence {
        if path == "." || path.is_empty() {
            return Presence::Directory;
        }
        let mut directory = String::new();
        let mut components = path.split('/').peekable();
        while let Some(component) = components.next() {
            let Some(listing) = self.listing(&directory) else {
                return Presence::Unknown;
            };
            let kind = listing.get(component);
            let last = components.peek().is_none();
            match (kind, last) {
                (None, _) => return Presence::Missing,
                (Some(Kind::File), true) => return Presence::File,
                (Some(Kind::Directory), true) => return Presence::Directory,
                (Some(Kind::Link), true) => return Presence::Link,
                // A file in the middle of a path: nothing can be below it.
                (Some(Kind::File), false) => return Presence::Missing,
                // Links are not followed.
                (Some(Kind::Link), false) => return Presence::Unknown,
                (Some(Kind::Directory), false) => directory = join(&directory, component),
            }
        }
        Presence::Unknown
    }

    /// Brings the index up to date with the disk at `relative` (a path that appeared, changed
    /// or went away): its parent is listed again, a new directory walked (within the cap), a
    /// gone one forgotten with everything below it.
    pub fn refresh(&mut self, relative: &str, ignore: Option<&IgnoreFile>) {
        let relative = relative.trim_matches('/');
        if relative.is_empty() || relative == "." {
            return;
        }
        let parent = match relative.rfind('/') {
            Some(at) => &relative[..at],
            None => "",
        };
        if self.listing(parent).is_none() {
            // Its parent is unknown (pruned, past the cap) or itself new: refresh that first.
            if !parent.is_empty() {
                self.refresh(parent, ignore);
            }
            return;
        }
        let Some(found) = read_directory(&self.root.join(parent)) else {
            self.forget_below(parent);
            return;
        };
        self.insert_listing(parent.to_string(), found);
        // Listings of directories that went away, at any depth below the parent's children.
        let children: Vec<String> = self
            .listing(parent)
            .map(|listing| {
                listing
                    .iter()
                    .filter(|(_, kind)| *kind == Kind::Directory)
                    .map(|(name, _)| join(parent, name))
                    .collect()
            })
            .unwrap_or_default();
        let stale: Vec<Arc<str>> = self
            .directories
            .keys()
            .filter(|key| {
                let key: &str = key;
                key.len() > parent.len()
                    && (parent.is_empty() || key.starts_with(&format!("{parent}/")))
                    && !children
                        .iter()
                        .any(|child| key == child.as_str() || key.starts_with(&format!("{child}/")))
            })
            .cloned()
            .collect();
        for key in stale {
            if let Some(old) = self.directories.remove(&key) {
                self.entries -= old.len();
            }
        }
        if self.listing(parent).and_then(|listing| {
            let name = &relative[parent.len()..].trim_start_matches('/');
            listing.get(name)
        }) == Some(Kind::Directory)
            && !pruned(ignore, relative)
        {
            // New or changed: list it and what it holds again.
            self.forget_below(relative);
            let mut pending = vec![relative.to_string()];
            self.walk(&mut pending, ignore, ENTRY_LIMIT);
        }
    }

    /// Whether the disk at `relative` differs from what the index says, so that
    /// [`FileIndex::refresh`] would change it: a change below a directory the index does not
    /// list (excluded by `.dockerignore`, past the cap) changes nothing as long as the
    /// directory is still there. Looks at the disk for the path only.
    pub fn would_change(&self, relative: &str, ignore: Option<&IgnoreFile>) -> bool {
        let relative = relative.trim_matches('/');
        let components: Vec<&str> = relative.split('/').collect();
        let mut directory = String::new();
        for (position, component) in components.iter().enumerate() {
            let Some(listing) = self.listing(&directory) else {
                return true;
            };
            let child = join(&directory, component);
            let last = position + 1 == components.len();
            let on_disk = std::fs::symlink_metadata(self.root.join(&child))
                .ok()
                .map(|metadata| {
                    let file_type = metadata.file_type();
                    if file_type.is_symlink() {
                        Kind::Link
                    } else if file_type.is_dir() {
                        Kind::Directory
                    } else {
                        Kind::File
                    }
                });
            let known = listing.get(component);
            if known != on_disk {
                return true;
            }
            match known {
                None => return false,
                Some(Kind::Directory) if self.listing(&child).is_none() => {
                    // Unknown contents: only a directory that should now be walked matters.
                    return last && !pruned(ignore, &child) && !self.truncated;
                }
                Some(Kind::Directory) if !last => directory = child,
                _ => return false,
            }
        }
        false
    }

    /// Drops the listings of `directory` and everything below it.
    fn forget_below(&mut self, directory: &str) {
        let prefix = format!("{directory}/");
        let gone: Vec<Arc<str>> = self
            .directories
            .keys()
            .filter(|key| &***key == directory || key.starts_with(&prefix))
            .cloned()
            .collect();
        for key in gone {
            if let Some(old) = self.directories.remove(&key) {
                self.entries -= old.len();
            }
        }
    }

    /// A hash of every listed directory and entry: equal indexes of one root have equal
    /// fingerprints.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut keys: Vec<&Arc<str>> = self.directories.keys().collect();
        keys.sort();
        let mut hasher = rustc_hash::FxHasher::default();
        for key in keys {
            key.hash(&mut hasher);
            for (name, kind) in self.directories[key].iter() {
                name.hash(&mut hasher);
                (kind as u8).hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// Lists directories that the walk left unknown because `.dockerignore` excluded them but
    /// that `ignore` (the ignore file now) no longer prunes.
    pub fn reconsider_pruned(&mut self, ignore: Option<&IgnoreFile>) {
        let mut pending = Vec::new();
        for (directory, listing) in &self.directories {
            for (name, kind) in listing.iter() {
                if kind != Kind::Directory {
                    continue;
                }
                let path = join(directory, name);
                if !self.directories.contains_key(path.as_str()) && !pruned(ignore, &path) {
                    pending.push(path);
                }
            }
        }
        if !self.truncated {
            self.walk(&mut pending, ignore, ENTRY_LIMIT);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Writes `files` (relative paths; a trailing `/` makes a directory) below a new tempdir.
    pub fn tree(files: &[&str]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for file in files {
            let path = root.path().join(file);
            if file.ends_with('/') {
                std::fs::create_dir_all(&path).unwrap();
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "x").unwrap();
            }
        }
        root
    }

    #[test]
    fn lookups_say_file_directory_missing_or_unknown() {
        let root = tree(&[
            "a.txt",
            "src/main.go",
            "src/lib/x.go",
            "empty/",
            "node_modules/p/i.js",
        ]);
        let ignore = IgnoreFile::parse(&root.path().join(".dockerignore"), "node_modules\n");
        let index = FileIndex::build(root.path(), Some(&ignore), ENTRY_LIMIT).unwrap();
        assert_eq!(index.lookup("a.txt"), Presence::File);
        assert_eq!(index.lookup("src"), Presence::Directory);
        assert_eq!(index.lookup("src/lib/x.go"), Presence::File);
        assert_eq!(index.lookup("src/lib/y.go"), Presence::Missing);
        assert_eq!(index.lookup("nope/x"), Presence::Missing);
        assert_eq!(index.lookup("a.txt/x"), Presence::Missing);
        assert_eq!(index.lookup("empty"), Presence::Directory);
        assert_eq!(index.lookup("."), Presence::Directory);
        // Pruned by .dockerignore: listed, not walked.
        assert_eq!(index.lookup("node_modules"), Presence::Directory);
        assert_eq!(index.lookup("node_modules/p/i.js"), Presence::Unknown);
        let names: Vec<&str> = index
            .listing("src")
            .unwrap()
            .iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, vec!["lib", "main.go"]);
        // a.txt, src, empty, node_modules, main.go, lib, x.go
        assert_eq!(index.len(), 7);
    }

    #[test]
    fn the_cap_leaves_the_rest_unknown() {
        let root = tree(&["a/1", "a/2", "b/1", "b/2", "c/1"]);
        let index = FileIndex::build(root.path(), None, 4).unwrap();
        assert!(index.truncated);
        let unknown = ["a/1", "b/1", "c/1"]
            .iter()
            .filter(|path| index.lookup(path) == Presence::Unknown)
            .count();
        assert!(unknown >= 1, "{index:?}");
        assert_eq!(index.lookup("d"), Presence::Missing);
        assert!(FileIndex::build(&root.path().join("nope"), None, 10).is_none());
    }

    #[test]
    fn refresh_follows_the_disk() {
        let root = tree(&["a.txt", "src/main.go"]);
        let mut index = FileIndex::build(root.path(), None, ENTRY_LIMIT).unwrap();
        std::fs::write(root.path().join("b.txt"), "x").unwrap();
        index.refresh("b.txt", None);
        assert_eq!(index.lookup("b.txt"), Presence::File);
        // A new directory tree, announced by its top only.
        std::fs::create_dir_all(root.path().join("new/deep")).unwrap();
        std::fs::write(root.path().join("new/deep/f"), "x").unwrap();
        index.refresh("new", None);
        assert_eq!(index.lookup("new/deep/f"), Presence::File);
        // Announced by the deepest file only.
        std::fs::create_dir_all(root.path().join("other/deep")).unwrap();
        std::fs::write(root.path().join("other/deep/g"), "x").unwrap();
        index.refresh("other/deep/g", None);
        assert_eq!(index.lookup("other/deep/g"), Presence::File);
        // Gone, with everything below.
        std::fs::remove_dir_all(root.path().join("src")).unwrap();
        index.refresh("src", None);
        assert_eq!(index.lookup("src/main.go"), Presence::Missing);
        assert!(index.listing("src").is_none());
        std::fs::remove_file(root.path().join("a.txt")).unwrap();
        index.refresh("a.txt", None);
        assert_eq!(index.lookup("a.txt"), Presence::Missing);
        let fresh = FileIndex::build(root.path(), None, ENTRY_LIMIT).unwrap();
        assert_eq!(index.len(), fresh.len());
    }

    #[test]
    fn changes_inside_unlisted_directories_change_nothing() {
        let root = tree(&["a.txt", "node_modules/p/i.js"]);
        let ignore = IgnoreFile::parse(Path::new("/x/.dockerignore"), "node_modules\n");
        let index = FileIndex::build(root.path(), Some(&ignore), ENTRY_LIMIT).unwrap();
        std::fs::write(root.path().join("node_modules/p/new.js"), "x").unwrap();
        assert!(!index.would_change("node_modules/p/new.js", Some(&ignore)));
        assert!(!index.would_change("a.txt", Some(&ignore)));
        assert!(!index.would_change("never/there", Some(&ignore)));
        std::fs::write(root.path().join("b.txt"), "x").unwrap();
        assert!(index.would_change("b.txt", Some(&ignore)));
        std::fs::remove_file(root.path().join("a.txt")).unwrap();
        assert!(index.would_change("a.txt", Some(&ignore)));
        std::fs::remove_dir_all(root.path().join("node_modules")).unwrap();
        assert!(index.would_change("node_modules/p/new.js", Some(&ignore)));
    }

    #[test]
    fn a_directory_no_longer_ignored_is_walked() {
        let root = tree(&["build/out.bin", "src/a"]);
        let ignore = IgnoreFile::parse(Path::new("/x/.dockerignore"), "build\n");
        let mut index = FileIndex::build(root.path(), Some(&ignore), ENTRY_LIMIT).unwrap();
        assert_eq!(index.lookup("build/out.bin"), Presence::Unknown);
        index.reconsider_pruned(None);
        assert_eq!(index.lookup("build/out.bin"), Presence::File);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_not_followed() {
        let root = tree(&["real/f"]);
        std::os::unix::fs::symlink(root.path().join("real"), root.path().join("link")).unwrap();
        let index = FileIndex::build(root.path(), None, ENTRY_LIMIT).unwrap();
        assert_eq!(index.lookup("link"), Presence::Link);
        assert_eq!(index.lookup("link/f"), Presence::Unknown);
    }
}
