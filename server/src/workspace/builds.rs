//! Build definitions: what a compose service or a bake target says about building one
//! Dockerfile (its context, the stage it builds, its build arguments and named contexts), read
//! from the compose and bake files of a workspace. Values that depend on variables stay
//! unknown unless the variable's default is written out literally.

use std::path::{Path, PathBuf};

/// A position in a compose or bake file, in the units each client may ask for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilePosition {
    /// 0-based line.
    pub line: u32,
    /// 0-based column in bytes.
    pub utf8: u32,
    /// 0-based column in UTF-16 code units.
    pub utf16: u32,
}

/// Where a value is written in a compose or bake file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    /// Byte range of the value (quotes excluded).
    pub span: std::ops::Range<usize>,
    pub start: FilePosition,
    pub end: FilePosition,
}

/// The position of byte `offset` of `text`.
pub fn position(text: &str, offset: usize) -> FilePosition {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line_start = before.rfind('\n').map(|at| at + 1).unwrap_or(0);
    let column = &before[line_start..];
    FilePosition {
        line: before.matches('\n').count() as u32,
        utf8: column.len() as u32,
        utf16: column.encode_utf16().count() as u32,
    }
}

/// The place of `span` in `text` (the file at `file`), with quotes around it left out.
pub fn place(file: &Path, text: &str, span: std::ops::Range<usize>) -> Place {
    let mut span = span.start.min(text.len())..span.end.min(text.len());
    if let Some(written) = text.get(span.clone())
        && written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')))
    {
        span = span.start + 1..span.end - 1;
    }
    Place {
        file: file.to_path_buf(),
        start: position(text, span.start),
        end: position(text, span.end),
        span,
    }
}

/// Which tool reads the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    Compose,
    Bake,
}

impl Tool {
    /// What one build is called in the tool's files.
    pub fn unit(self) -> &'static str {
        match self {
            Tool::Compose => "service",
            Tool::Bake => "target",
        }
    }
}

/// One build of a Dockerfile, as a compose service or a bake target describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildDefinition {
    /// The compose or bake file.
    pub file: PathBuf,
    pub tool: Tool,
    /// The service's or target's name.
    pub name: String,
    /// The build context (absolute).
    pub context: PathBuf,
    /// The Dockerfile it builds (absolute).
    pub dockerfile: PathBuf,
    /// The stage it builds (`target:`).
    pub target: Option<String>,
    /// Where that stage is written, when it is known (for references and renames).
    pub target_place: Option<Place>,
    /// Build arguments, in order; `None` where the value is not known here (taken from the
    /// environment, or a variable without a literal default).
    pub args: Vec<(String, Option<String>)>,
    /// Named contexts (`additional_contexts`, `contexts`): name and value as written.
    pub contexts: Vec<(String, String)>,
}

impl BuildDefinition {
    /// `compose.yaml service "web"`, for messages and hovers.
    pub fn label(&self) -> String {
        let file = self
            .file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{file} {} `{}`", self.tool.unit(), self.name)
    }
}

/// The names compose looks for (its default files and their overrides).
pub const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];

/// The names bake looks for besides compose's.
pub const BAKE_NAMES: &[&str] = &[
    "docker-bake.hcl",
    "docker-bake.json",
    "docker-bake.override.hcl",
    "docker-bake.override.json",
];

/// Which tool reads a file of this name, if any.
pub fn tool_of(path: &Path) -> Option<Tool> {
    let name = path.file_name()?.to_str()?;
    if COMPOSE_NAMES.contains(&name) {
        Some(Tool::Compose)
    } else if BAKE_NAMES.contains(&name) {
        Some(Tool::Bake)
    } else {
        None
    }
}

/// Reads a compose or bake file's text into its builds; `Err` with a message when it does not
/// parse (the file is then left out).
pub fn parse(path: &Path, text: &str) -> Result<Vec<BuildDefinition>, String> {
    let is_json = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    match tool_of(path) {
        Some(Tool::Compose) => super::compose::parse(path, text),
        Some(Tool::Bake) if is_json => super::bake::parse_json(path, text),
        Some(Tool::Bake) => super::bake::parse_hcl(path, text),
        None => Ok(Vec::new()),
    }
}

/// True for a build context that is not a local directory (a Git or HTTP URL).
pub fn is_remote(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@") || context.starts_with("github.com/")
}

/// `relative` (as written in a file in `base`) made absolute and cleaned.
pub fn resolve_path(base: &Path, relative: &str) -> PathBuf {
    let joined = if Path::new(relative).is_absolute() {
        PathBuf::from(relative)
    } else {
        base.join(relative)
    };
    let text = joined.to_string_lossy();
    PathBuf::from(super::pattern::clean(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_and_bytes() {
        let text = "a\nb: \"é𝄞x\"\n";
        let at = text.find('x').unwrap();
        assert_eq!(
            position(text, at),
            FilePosition {
                line: 1,
                utf8: 10,
                utf16: 7
            }
        );
        let quoted = text.find('"').unwrap();
        let place = place(Path::new("/f"), text, quoted..text.rfind('"').unwrap() + 1);
        assert_eq!(&text[place.span.clone()], "é𝄞x");
    }

    #[test]
    fn paths_resolve_against_the_file() {
        assert_eq!(
            resolve_path(Path::new("/repo/deploy"), "../app/./x"),
            PathBuf::from("/repo/app/x")
        );
        assert_eq!(
            resolve_path(Path::new("/repo"), "/abs"),
            PathBuf::from("/abs")
        );
        assert!(is_remote("https://github.com/a/b.git"));
        assert!(is_remote("git@github.com:a/b.git"));
        assert!(!is_remote("./app"));
    }
}
