//! IDE features that know the build context: `COPY`/`ADD` sources completed from the
//! context's files (directories first, what `.dockerignore` excludes left out), opened
//! (definition and document links) and explained (hover: what a source matches, and what
//! `.dockerignore` drops); the values compose and bake builds give build arguments; the
//! places in compose and bake files that name a stage (`target:`). Pure functions of the
//! document and the [`BuildContext`] snapshot.

use std::path::PathBuf;

use crate::analysis::completion::{Completion, CompletionKind};
use crate::syntax::stages::Target;
use crate::syntax::{Keyword, SourceFile};
use crate::text::Span;
use crate::workspace::builds::Place;
use crate::workspace::context::Resolved;
use crate::workspace::files::Kind;
use crate::workspace::{BuildContext, sources};

/// How many names a hover lists.
const NAMES_SHOWN: usize = 8;

/// How many places a definition offers for a wildcard source.
const DEFINITIONS_SHOWN: usize = 20;

/// A link from a source to a file or directory of the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLink {
    pub span: Span,
    pub path: PathBuf,
    pub tooltip: String,
}

/// Context entries (relative path and kind).
type Entries = Vec<(String, Kind)>;

/// The entries a source names that the build sees (`.dockerignore` applied), those it drops,
/// and how many match in all; `None` when that cannot be told.
fn seen_and_dropped(build: &BuildContext, path: &str) -> Option<(Entries, Entries, usize)> {
    let Resolved::Found { matches, total } = build.resolve(path) else {
        return None;
    };
    let (dropped, seen): (Vec<_>, Vec<_>) = matches
        .into_iter()
        .partition(|(relative, kind)| build.ignored(relative, *kind));
    Some((seen, dropped, total))
}

fn display(relative: &str, kind: Kind) -> String {
    if kind == Kind::Directory && relative != "." {
        format!("{relative}/")
    } else {
        relative.to_string()
    }
}

fn name_list(entries: &[(String, Kind)]) -> String {
    let mut names: Vec<String> = entries
        .iter()
        .take(NAMES_SHOWN)
        .map(|(relative, kind)| format!("`{}`", display(relative, *kind)))
        .collect();
    if entries.len() > NAMES_SHOWN {
        names.push(format!("and {} more", entries.len() - NAMES_SHOWN));
    }
    names.join(", ")
}

/// The hover over a `COPY`/`ADD` source: the context it is looked up in, what it matches
/// (how many, the first names; a directory's entries), and what `.dockerignore` drops.
pub fn source_hover(
    source: &SourceFile,
    offset: usize,
    build: &BuildContext,
) -> Option<(String, Span)> {
    let found = sources::source_at(source, offset, Some(build))?;
    let span = found.word.span.clone();
    let mut markdown = format!(
        "**`{}`** — a source in the build context {}\n\n",
        found.word.text,
        build.describe()
    );
    let Some(path) = &found.path else {
        markdown.push_str("Its value depends on a build argument: it is looked up at build time.");
        return Some((markdown, span));
    };
    if build.files.is_none() {
        markdown.push_str("The context's directory cannot be read.");
        return Some((markdown, span));
    }
    let Some((seen, dropped, total)) = seen_and_dropped(build, path) else {
        markdown.push_str("Not known here: it is below a directory that was not indexed.");
        return Some((markdown, span));
    };
    if total == 0 {
        markdown.push_str("Matches nothing in the context.");
        return Some((markdown, span));
    }
    match (seen.as_slice(), total) {
        ([(relative, Kind::Directory)], 1) => {
            markdown.push_str(&directory_text(build, relative));
        }
        ([(relative, kind)], 1) => {
            let what = match kind {
                Kind::Link => "a symbolic link",
                _ => "a file",
            };
            markdown.push_str(&format!("Matches {what}: `{relative}`."));
        }
        _ => {
            let count = if total == 1 {
                "1 entry".to_string()
            } else {
                format!("{total} entries")
            };
            markdown.push_str(&format!("Matches {count}"));
            if !seen.is_empty() {
                markdown.push_str(&format!(": {}", name_list(&seen)));
            }
            markdown.push('.');
        }
    }
    if !dropped.is_empty() {
        markdown.push_str(&format!(
            "\n\n`.dockerignore` excludes {}: the build does not see {}.",
            name_list(&dropped),
            if dropped.len() == 1 { "it" } else { "them" }
        ));
    }
    Some((markdown, span))
}

/// What a directory source copies: its entries, and those `.dockerignore` drops.
fn directory_text(build: &BuildContext, relative: &str) -> String {
    let Some(listing) = build
        .files
        .as_ref()
        .and_then(|files| files.listing(relative))
    else {
        return format!("A directory: `{}`.", display(relative, Kind::Directory));
    };
    let join = |name: &str| {
        if relative == "." {
            name.to_string()
        } else {
            format!("{relative}/{name}")
        }
    };
    let (dropped, kept): (Vec<_>, Vec<_>) = listing
        .iter()
        .map(|(name, kind)| (join(name), kind))
        .partition(|(path, kind)| build.ignored(path, *kind));
    let mut text = format!(
        "A directory: its contents are copied ({} {}",
        kept.len(),
        if kept.len() == 1 { "entry" } else { "entries" }
    );
    if !kept.is_empty() {
        text.push_str(&format!(": {}", name_list(&kept)));
    }
    text.push_str(").");
    if !dropped.is_empty() {
        text.push_str(&format!(
            "\n\n`.dockerignore` excludes {}: the build does not see {}.",
            name_list(&dropped),
            if dropped.len() == 1 { "it" } else { "them" }
        ));
    }
    text
}

/// The files and directories a source names (for `textDocument/definition`): the one it
/// names, or the first matches of a wildcard.
pub fn source_definition(source: &SourceFile, offset: usize, build: &BuildContext) -> Vec<PathBuf> {
    let Some(found) = sources::source_at(source, offset, Some(build)) else {
        return Vec::new();
    };
    let Some(path) = &found.path else {
        return Vec::new();
    };
    let Resolved::Found { matches, .. } = build.resolve(path) else {
        return Vec::new();
    };
    matches
        .iter()
        .take(DEFINITIONS_SHOWN)
        .map(|(relative, _)| build.absolute(relative))
        .collect()
}

/// A link for every source that names exactly one file or directory of the context.
pub fn source_links(source: &SourceFile, build: &BuildContext) -> Vec<FileLink> {
    let mut links = Vec::new();
    for found in sources::all_sources(source, Some(build)) {
        let Some(path) = &found.path else {
            continue;
        };
        let Resolved::Found { matches, total: 1 } = build.resolve(path) else {
            continue;
        };
        let (relative, kind) = &matches[0];
        let what = if *kind == Kind::Directory {
            "directory"
        } else {
            "file"
        };
        links.push(FileLink {
            span: found.word.span.clone(),
            path: build.absolute(relative),
            tooltip: format!(
                "Open the {what} `{}` of the build context",
                display(relative, *kind)
            ),
        });
    }
    links
}

/// Completion of a `COPY`/`ADD` source from the context's files: `None` when the cursor is
/// not on a source (the destination, a flag, `--from`, exec form), so other completion runs.
pub fn source_completions(
    source: &SourceFile,
    offset: usize,
    build: &BuildContext,
) -> Option<Vec<Completion>> {
    let text = source.text.as_str();
    let index = crate::lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[index];
    if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
        || instruction.json
        || instruction.flag("from").is_some()
        || offset <= instruction.keyword_word.span.end
    {
        return None;
    }
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && !bytes[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
        end += 1;
    }
    let typed = &text[start..offset];
    if typed.starts_with('-')
        || typed.starts_with("<<")
        || typed.contains('$')
        || typed.contains("://")
        || instruction
            .flags
            .iter()
            .any(|flag| flag.span.start <= start && start < flag.span.end)
    {
        return None;
    }
    // The last argument is the destination: a source is a word with another after it, or
    // the first word.
    let before = instruction
        .values
        .iter()
        .filter(|value| value.span.end < start)
        .count();
    let after = instruction
        .values
        .iter()
        .filter(|value| value.span.start > end.max(start))
        .count();
    if before > 0 && after == 0 {
        return None;
    }
    let (directory_part, name_start) = match typed.rfind('/') {
        Some(at) => (&typed[..=at], start + at + 1),
        None => ("", start),
    };
    let directory = BuildContext::relative(directory_part);
    let listing = build.files.as_ref()?.listing(&directory)?;
    let replace = name_start..end;
    let mut items = Vec::new();
    for (name, kind) in listing.iter() {
        let relative = if directory == "." {
            name.to_string()
        } else {
            format!("{directory}/{name}")
        };
        if build.ignored(&relative, kind) {
            continue;
        }
        let (label, completion_kind, group) = match kind {
            Kind::Directory => (format!("{name}/"), CompletionKind::Directory, 0),
            _ => (name.to_string(), CompletionKind::File, 1),
        };
        items.push((group, name.to_string(), label, completion_kind));
    }
    items.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Some(
        items
            .into_iter()
            .enumerate()
            .map(|(position, (_, _, label, kind))| Completion {
                insert: label.clone(),
                detail: Some(match kind {
                    CompletionKind::Directory => "directory in the build context".to_string(),
                    _ => "file in the build context".to_string(),
                }),
                label,
                kind,
                documentation: None,
                snippet: false,
                replace: replace.clone(),
                sort: Some(format!("{position:04}")),
                deprecated: false,
            })
            .collect(),
    )
}

/// What builds give build argument `name`, as a hover section; `None` when no build sets it.
pub fn argument_markdown(build: &BuildContext, name: &str) -> Option<String> {
    let values = build.argument(name);
    if values.is_empty() {
        return None;
    }
    let mut markdown = String::from("\n\n**Set by the builds of this Dockerfile**\n");
    for (definition, value) in values {
        let value = match value {
            Some(value) => format!("`{value}`"),
            None => "a value from the environment, not known here".to_string(),
        };
        markdown.push_str(&format!("- {}: {value}\n", definition.label()));
    }
    Some(markdown)
}

/// The variable a hover at `offset` is about, if it is an `ARG` a build may set: a
/// declaration's name, or a `$NAME` reference.
pub fn argument_at(source: &SourceFile, offset: usize) -> Option<String> {
    use crate::syntax::stages::VariableKind;
    use crate::syntax::variables::Resolved;
    let variables = source.variables();
    if let Some(at) = variables.declaration_at(offset) {
        let declaration = &variables.declarations[at];
        return (declaration.kind != VariableKind::Env).then(|| declaration.name.clone());
    }
    let reference = variables.reference_at(offset)?;
    match reference.resolved {
        Resolved::Declaration(at) => {
            let declaration = &variables.declarations[at];
            (declaration.kind != VariableKind::Env).then(|| declaration.name.clone())
        }
        _ => None,
    }
}

/// The stage named or referred to at `offset`: its name word, `FROM <stage>`, or
/// `--from=<stage>`.
pub fn stage_at(source: &SourceFile, offset: usize) -> Option<usize> {
    let within = |span: &Span| span.start <= offset && offset <= span.end;
    for stage in &source.stages.stages {
        if stage.name.as_ref().is_some_and(|name| within(&name.span)) {
            return Some(stage.index);
        }
        for dependency in &stage.dependencies {
            if let Target::Stage(target) = dependency.target
                && within(&dependency.span)
            {
                return Some(target);
            }
        }
    }
    None
}

/// Where compose and bake files name stage `index` as their `target`.
pub fn target_places(source: &SourceFile, index: usize, build: &BuildContext) -> Vec<Place> {
    let Some(name) = source
        .stages
        .stages
        .get(index)
        .and_then(|stage| stage.name.as_ref())
    else {
        return Vec::new();
    };
    build
        .builds
        .iter()
        .filter(|definition| {
            definition
                .target
                .as_deref()
                .is_some_and(|target| target.eq_ignore_ascii_case(&name.text))
        })
        .filter_map(|definition| definition.target_place.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn setup(
        files: &[(&str, &str)],
        dockerfile: &str,
    ) -> (tempfile::TempDir, SourceFile, std::sync::Arc<BuildContext>) {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(".git")).unwrap();
        for (path, text) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let path = root.path().join("Dockerfile");
        std::fs::write(&path, dockerfile).unwrap();
        let build = Workspace::default().context_for(&path, None);
        (root, SourceFile::parse(dockerfile), build)
    }

    #[test]
    fn completion_offers_the_context_directories_first_and_not_ignored_files() {
        let files = [
            (".dockerignore", "*.env\nnode_modules\n.git\n"),
            ("src/main.go", "x"),
            ("go.mod", "x"),
            ("app.env", "x"),
            ("node_modules/x", "x"),
            ("docs/a.md", "x"),
        ];
        let text = "FROM a\nCOPY  /app/\nCOPY src/ /x\nCOPY go.mod /d\n";
        let (_root, source, build) = setup(&files, text);
        let at = text.find("  /app").unwrap() + 1;
        let found = source_completions(&source, at, &build).unwrap();
        let labels: Vec<&str> = found.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["docs/", "src/", ".dockerignore", "Dockerfile", "go.mod"]
        );
        // Inside a directory: its entries, replacing only the name.
        let at = text.find("src/").unwrap() + 4;
        let found = source_completions(&source, at, &build).unwrap();
        assert_eq!(found[0].label, "main.go");
        assert_eq!(found[0].replace, at..at);
        // The destination is left to other completion.
        let at = text.find("/d\n").unwrap() + 1;
        assert!(source_completions(&source, at, &build).is_none());
    }

    #[test]
    fn hover_definition_and_links() {
        let files = [
            // `*.env` would be the root's only: Docker's patterns are not gitignore's.
            (".dockerignore", "**/*.env\n"),
            ("conf/a.yaml", "x"),
            ("conf/b.env", "x"),
            ("main.go", "x"),
        ];
        let text = "FROM a\nCOPY conf /c\nCOPY main.go *.go nope /x/\n";
        let (root, source, build) = setup(&files, text);
        let (markdown, span) = source_hover(&source, text.find("conf").unwrap(), &build).unwrap();
        assert_eq!(&text[span], "conf");
        assert!(markdown.contains("1 entry: `conf/a.yaml`"), "{markdown}");
        assert!(markdown.contains("excludes `conf/b.env`"), "{markdown}");
        let (markdown, _) = source_hover(&source, text.find("nope").unwrap(), &build).unwrap();
        assert!(markdown.contains("Matches nothing"), "{markdown}");
        let definition = source_definition(&source, text.find("main.go").unwrap(), &build);
        assert_eq!(definition, vec![root.path().join("main.go")]);
        let links = source_links(&source, &build);
        let targets: Vec<&PathBuf> = links.iter().map(|link| &link.path).collect();
        assert_eq!(
            targets,
            vec![
                &root.path().join("conf"),
                &root.path().join("main.go"),
                &root.path().join("main.go")
            ]
        );
    }

    #[test]
    fn stages_named_by_compose_targets() {
        let compose = "services:\n  web:\n    build:\n      context: .\n      target: runtime\n      args:\n        BASE: alpine:3.20\n";
        let text = "ARG BASE=debian\nFROM $BASE AS runtime\nFROM runtime\n";
        let (_root, source, build) = setup(&[("compose.yaml", compose)], text);
        let stage = stage_at(&source, text.find("runtime").unwrap()).unwrap();
        assert_eq!(stage, 0);
        assert_eq!(stage_at(&source, text.rfind("runtime").unwrap()), Some(0));
        let places = target_places(&source, stage, &build);
        assert_eq!(places.len(), 1);
        assert_eq!(&compose[places[0].span.clone()], "runtime");
        assert_eq!(argument_at(&source, 5).as_deref(), Some("BASE"));
        let markdown = argument_markdown(&build, "BASE").unwrap();
        assert!(
            markdown.contains("compose.yaml service `web`: `alpine:3.20`"),
            "{markdown}"
        );
    }
}
