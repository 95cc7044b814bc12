//! What `ADD` does with a source: downloads a URL, clones a git repository, unpacks a local
//! tar archive (plain or compressed); other files and directories it copies as `COPY` does.

/// Endings of archives `ADD` unpacks (tar, plain or compressed) or of compressed files, as
/// hadolint lists them. BuildKit decides by the content, not the name; a name is what a
/// linter can see.
pub const ARCHIVE_ENDINGS: [&str; 15] = [
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

/// The path names an archive by its ending.
pub fn is_archive_name(path: &str) -> bool {
    // Every ending has a dot: a name without one is no archive (the common case, checked
    // once rather than per ending).
    let Some((_, extension)) = path.rsplit_once('.') else {
        return false;
    };
    ARCHIVE_ENDINGS
        .iter()
        .any(|ending| ending[1..] == *extension)
}

/// The source is fetched rather than read from the build context: a URL (`https://…`) or a
/// git repository (`git@host:…`, `ssh://…`, `github.com/owner/repo`), which only `ADD` can do.
pub fn is_remote_source(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@") || source.starts_with("github.com/")
}

/// Endings of files that are never tar archives in practice: scripts, configuration, text,
/// source code, Java and Python packages (zip files, which `ADD` does not unpack), keys and
/// certificates, native binaries.
const PLAIN_FILE_ENDINGS: &[&str] = &[
    ".sh",
    ".bash",
    ".ps1",
    ".bat",
    ".cmd",
    ".py",
    ".rb",
    ".pl",
    ".php",
    ".js",
    ".mjs",
    ".cjs",
    ".ts",
    ".go",
    ".rs",
    ".java",
    ".c",
    ".h",
    ".cpp",
    ".lua",
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".xml",
    ".ini",
    ".cfg",
    ".conf",
    ".config",
    ".properties",
    ".env",
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".css",
    ".csv",
    ".sql",
    ".lock",
    ".mod",
    ".sum",
    ".service",
    ".repo",
    ".list",
    ".jar",
    ".war",
    ".ear",
    ".zip",
    ".whl",
    ".egg",
    ".pem",
    ".crt",
    ".cer",
    ".key",
    ".pub",
    ".asc",
    ".gpg",
    ".so",
    ".dll",
    ".exe",
    ".msi",
    ".png",
    ".jpg",
    ".svg",
    ".ico",
];

/// `ADD` would certainly copy the source as it is, as `COPY` does: a directory (written
/// with a trailing `/`, or `.`) or a file whose ending says it is not a tar archive. A source
/// without such an ending could be a tar archive that `ADD` unpacks (BuildKit looks at the
/// content, not the name).
pub fn is_certainly_plain(source: &str) -> bool {
    if source.contains(['$', '*', '?', '[']) && !source.ends_with('/') {
        let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
        return !name.contains('$') && has_plain_ending(name);
    }
    source == "."
        || source.ends_with('/')
        || source.ends_with('\\')
        || has_plain_ending(source.rsplit(['/', '\\']).next().unwrap_or(source))
}

fn has_plain_ending(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    PLAIN_FILE_ENDINGS
        .iter()
        .any(|ending| lower.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_by_name() {
        assert!(
            is_archive_name("file.tar.gz") && is_archive_name("a.tgz") && is_archive_name("x.xz")
        );
        assert!(!is_archive_name("file.zip") && !is_archive_name("file"));
        assert!(is_remote_source("https://example.com/a.tar.gz"));
        assert!(is_remote_source("git@github.com:moby/buildkit.git"));
        assert!(!is_remote_source("src/"));
        for plain in [
            "run.sh",
            "conf/",
            ".",
            "app.JAR",
            "lib/*.so",
            "C:\\app\\",
            "requirements.txt",
        ] {
            assert!(is_certainly_plain(plain), "{plain}");
        }
        for unsure in [
            "file",
            "rootfs.tar",
            "src",
            "$FILE",
            "*",
            "data.bin",
            "bin/*",
        ] {
            assert!(!is_certainly_plain(unsure), "{unsure}");
        }
    }
}
