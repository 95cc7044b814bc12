//! What the layer rules share: which stages reach the image, the cache mounts of a RUN, and
//! how to edit RUN scripts so that the shell means what it meant before.

use crate::lint::{Edit, Settings};
use crate::syntax::Command;
use crate::syntax::shell::ShellSyntax;
use crate::syntax::stages::Target;
use crate::syntax::{Instruction, Keyword, RunScript, ScriptOrigin, ShellKind, SourceFile};

/// Stages whose layers end up in a built image: the last stage and the targets named in the
/// settings, and every stage they are based on (`FROM <stage>`), transitively. A stage that
/// is only read through `COPY --from` or `--mount=from=` ships none of its layers.
pub fn shipped_stages(source: &SourceFile, settings: &Settings) -> Vec<bool> {
    let stages = &source.stages.stages;
    let mut shipped = vec![false; stages.len()];
    let mut roots: Vec<usize> = stages.len().checked_sub(1).into_iter().collect();
    roots.extend(target_stages(source, settings));
    for root in roots {
        let mut current = Some(root);
        while let Some(index) = current {
            if std::mem::replace(&mut shipped[index], true) {
                break;
            }
            current = match stages[index].base {
                crate::syntax::Base::Stage(parent) => Some(parent),
                _ => None,
            };
        }
    }
    shipped
}

/// The stages the settings name as build targets.
pub fn target_stages(source: &SourceFile, settings: &Settings) -> Vec<usize> {
    source
        .stages
        .stages
        .iter()
        .filter(|stage| {
            stage.key.as_ref().is_some_and(|key| {
                settings
                    .target_stages
                    .iter()
                    .any(|target| target.eq_ignore_ascii_case(key))
            })
        })
        .map(|stage| stage.index)
        .collect()
}

/// Every stage something built needs: the last stage, the targets, and their dependencies of
/// every kind, transitively. `None` when a reference could not be resolved (a `--from=$VAR`
/// could name any stage).
pub fn used_stages(source: &SourceFile, settings: &Settings) -> Option<Vec<bool>> {
    let graph = &source.stages;
    if graph.stages.iter().any(|stage| {
        stage
            .dependencies
            .iter()
            .any(|dependency| matches!(dependency.target, Target::Unresolved(_)))
    }) {
        return None;
    }
    let mut used = vec![false; graph.stages.len()];
    let mut roots: Vec<usize> = graph.stages.len().checked_sub(1).into_iter().collect();
    roots.extend(target_stages(source, settings));
    for root in roots {
        graph.mark_reachable(root, &mut used);
    }
    // `FROM build-${TARGET}` picks a stage by a build argument: every stage the pattern can
    // name is used, not just the one the default names.
    loop {
        let mut more = Vec::new();
        for stage in graph.stages.iter().filter(|stage| used[stage.index]) {
            let Some(image) = stage
                .image
                .as_ref()
                .filter(|image| image.text.contains('$'))
            else {
                continue;
            };
            let pattern = variable_pattern(&image.text);
            for other in &graph.stages {
                if !used[other.index]
                    && other
                        .key
                        .as_ref()
                        .is_some_and(|key| glob_matches(&pattern, key))
                {
                    more.push(other.index);
                }
            }
        }
        if more.is_empty() {
            break;
        }
        for index in more {
            graph.mark_reachable(index, &mut used);
        }
    }
    Some(used)
}

/// `build-${TARGET}-$ARCH` as a pattern: every variable becomes `*`, lower case.
fn variable_pattern(text: &str) -> String {
    let mut pattern = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            pattern.extend(c.to_lowercase());
            continue;
        }
        if chars.peek() == Some(&'{') {
            for inner in chars.by_ref() {
                if inner == '}' {
                    break;
                }
            }
        } else {
            while chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphanumeric() || *next == '_')
            {
                chars.next();
            }
        }
        if !pattern.ends_with('*') {
            pattern.push('*');
        }
    }
    pattern
}

/// `*` matches any run of characters.
fn glob_matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(after) = text.strip_prefix(head) else {
                return false;
            };
            (0..=after.len())
                .filter(|at| after.is_char_boundary(*at))
                .any(|at| glob_matches(rest, &after[at..]))
        }
    }
}

/// The targets of a RUN's `type=cache` and `type=tmpfs` mounts: whatever is written there
/// never reaches the layer.
pub fn uncommitted_mounts(instruction: &Instruction) -> Vec<String> {
    instruction
        .mounts()
        .filter(|mount| mount.kind().keeps_writes_out_of_layer())
        .filter_map(|mount| {
            let target = mount.value(crate::syntax::MountKey::Target)?;
            let target = target.trim_end_matches('/');
            Some(if target.is_empty() { "/" } else { target }.to_string())
        })
        .collect()
}

/// True when `path` (which may start with `~/`) lies under one of the mount targets. A home
/// path matches a target anywhere that ends with the same sub-path (the user is not known).
pub fn under_mount(path: &str, mounts: &[String]) -> bool {
    let path = path.trim_end_matches('/');
    if let Some(relative) = path.strip_prefix("~/") {
        // `~/.cache/pip` is under `/home/app/.cache` and under `/root/.cache/pip`.
        let parts: Vec<&str> = relative.split('/').collect();
        return mounts.iter().any(|target| {
            (1..=parts.len())
                .any(|count| target.ends_with(&format!("/{}", parts[..count].join("/"))))
        });
    }
    mounts
        .iter()
        .any(|target| target == "/" || path == target || path.starts_with(&format!("{target}/")))
}

/// `rm` arguments as paths: globs at the end dropped, `$HOME` read as `~`.
pub fn removed_paths(command: &Command) -> Vec<String> {
    if command.program() != Some("rm") {
        return Vec::new();
    }
    command
        .program_arguments()
        .iter()
        .filter(|word| !word.text.starts_with('-'))
        .map(|word| {
            let path = word.text.replace("${HOME}", "~").replace("$HOME", "~");
            let path = path.trim_end_matches('*').trim_end_matches('/');
            path.to_string()
        })
        .collect()
}

/// True when removing `removed` removes `cache` (the same directory or a parent).
pub fn path_removes(removed: &str, cache: &str) -> bool {
    let cache = cache.trim_end_matches('/');
    if removed.is_empty() {
        return false;
    }
    if removed == cache || cache.starts_with(&format!("{removed}/")) {
        return true;
    }
    // A home-relative cache is root's when the RUN removes something under /root.
    match cache.strip_prefix("~/") {
        Some(relative) => path_removes(removed, &format!("/root/{relative}")),
        None => false,
    }
}

/// Instructions that neither change the filesystem nor what a RUN runs with: a command can
/// move across them without changing what it does.
pub fn neutral(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Label
            | Keyword::Expose
            | Keyword::Maintainer
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Healthcheck
            | Keyword::Stopsignal
    )
}

/// Instructions that change what a later RUN's commands run with (variables, user, working
/// directory, shell) or whether their changes are kept (`VOLUME`): a command moved across one
/// of these may do something else.
pub fn changes_run_environment(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Env
            | Keyword::Arg
            | Keyword::User
            | Keyword::Workdir
            | Keyword::Shell
            | Keyword::Volume
    )
}

/// The indentation of continuation lines in this file (the most common one), or four spaces.
pub fn continuation_indent(source: &SourceFile) -> String {
    // Files use a handful of indents: a list beats hashing every line.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for instruction in source.instructions() {
        let segments = &instruction.logical.segments;
        for segment in segments.iter().skip(1) {
            let line = &source.text[segment.document_start()..segment.document_end()];
            let indent = &line[..line.len() - line.trim_start().len()];
            if !indent.is_empty() && !indent.contains('\n') {
                match counts.iter_mut().find(|(seen, _)| *seen == indent) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((indent, 1)),
                }
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(indent, count)| (*count, std::cmp::Reverse(indent.len())))
        .map(|(indent, _)| indent.to_string())
        .unwrap_or_else(|| "    ".to_string())
}

/// How a script must be wrapped to be one part of an `&&` chain without changing what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    None,
    /// `{ ...; }`: its own `;`, `||` or `&` would otherwise bind to the chain.
    Braces,
    /// `( ... )`: it changes the shell's state (`cd`, `set -e`, variables), which must not
    /// leak into what follows, as it did not when it was its own RUN.
    Subshell,
}

/// The grouping part `position` of `count` parts needs in `first && second && ...`.
pub fn grouping(syntax: &ShellSyntax, position: usize, count: usize) -> Grouping {
    let last = position + 1 == count;
    if syntax.changes_state && !last {
        return Grouping::Subshell;
    }
    // The first part binds loosely on its right: `a; b && c` is `a; { b && c; }`, which
    // keeps its meaning.
    let loose = syntax
        .top_level
        .iter()
        .any(|connector| !matches!(connector, crate::syntax::Connector::And));
    if position > 0 && loose {
        return Grouping::Braces;
    }
    Grouping::None
}

/// `text` wrapped as `grouping` says, ready to stand next to `&&`: a trailing `;` is dropped
/// (`a; && b` and `{ a; ; }` are invalid) and a trailing `&` is grouped (`a & && b` is too).
pub fn wrap(text: &str, grouping: Grouping, escape: char) -> String {
    // Trailing whitespace, `;` operators and line continuations (`parallel \` then a line
    // with `;`), but not an escaped `\;` (an argument, as in `find -exec ... \;`).
    let mut body = text.trim_end();
    loop {
        let trimmed = if let Some(before) = body.strip_suffix(';')
            && !before.ends_with('\\')
        {
            before.trim_end()
        } else {
            // A continuation: the escape character, then a line break.
            let Some(before) = body.strip_suffix(escape) else {
                break;
            };
            let after = &text[body.len()..];
            if !after.starts_with(['\n', '\r', ' ', '\t']) || !after.contains('\n') {
                break;
            }
            before.trim_end()
        };
        if trimmed.len() == body.len() {
            break;
        }
        body = trimmed;
    }
    let background = body.ends_with('&') && !body.ends_with("&&");
    match grouping {
        Grouping::None if background => format!("{{ {body} }}"),
        Grouping::None => body.to_string(),
        Grouping::Braces if background => format!("{{ {body} }}"),
        Grouping::Braces => format!("{{ {body}; }}"),
        Grouping::Subshell => format!("( {body} )"),
    }
}

/// True when a RUN runs its shell-form script with a POSIX shell.
pub fn posix(source: &SourceFile, index: usize) -> bool {
    source.shell_kind_at(index) == ShellKind::Posix
}

/// The command-line script of a shell-form RUN (or ONBUILD RUN), if it has one.
pub fn command_line(source: &SourceFile, index: usize) -> Option<&RunScript> {
    let instruction = source.instructions()[index].effective();
    if instruction.keyword != Keyword::Run || instruction.json {
        return None;
    }
    source
        .scripts(index)
        .iter()
        .find(|script| script.origin == ScriptOrigin::CommandLine)
}

/// An edit that runs `command` after everything a RUN does, in the same layer, keeping the
/// RUN's exit status meaningful: ` && command` after the command line, or after the last line
/// of a heredoc script. `None` when that cannot be done cleanly (a shell comment would swallow
/// it, a trailing `&`, a non-POSIX shell, exec form).
pub fn append_to_run(source: &SourceFile, index: usize, command: &str) -> Option<Edit> {
    if !posix(source, index) {
        return None;
    }
    // ONBUILD RUN: the wrapped RUN's script, the wrapper's heredocs.
    let outer = &source.instructions()[index];
    let instruction = outer.effective();
    if instruction.keyword != Keyword::Run || instruction.json {
        return None;
    }
    let scripts = source.scripts(index);
    // A heredoc script runs after the command line: append to its last line.
    if let Some(heredoc) = scripts
        .iter()
        .rev()
        .find(|script| matches!(script.origin, ScriptOrigin::Heredoc(_)))
    {
        let body = &heredoc.script.text;
        let trimmed = body.trim_end();
        if trimmed.is_empty()
            || heredoc.script.syntax.has_comment
            || trimmed.ends_with(['\\', '&', ';'])
        {
            return None;
        }
        let at = heredoc.script.span(trimmed.len()..trimmed.len()).start;
        return Some(Edit::insert(at, format!(" && {command}")));
    }
    if !outer.heredocs.is_empty() {
        return None;
    }
    let script = scripts
        .iter()
        .find(|script| script.origin == ScriptOrigin::CommandLine)?;
    if script.script.syntax.has_comment || script.script.syntax.has_error {
        return None;
    }
    let text = script.script.text.trim_end();
    if text.ends_with('&') && !text.ends_with("&&") {
        return None;
    }
    if let Some(without) = text.strip_suffix(';') {
        let end = script.script.span(without.trim_end().len()..text.len());
        return Some(Edit::replace(end, format!(" && {command}")));
    }
    let at = script.script.span(text.len()..text.len()).start;
    Some(Edit::insert(at, format!(" && {command}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::parse;

    #[test]
    fn groupings_keep_meaning() {
        assert_eq!(grouping(&parse("a && b"), 1, 2), Grouping::None);
        assert_eq!(grouping(&parse("a; b"), 0, 2), Grouping::None);
        assert_eq!(grouping(&parse("a; b"), 1, 2), Grouping::Braces);
        assert_eq!(grouping(&parse("a || true"), 1, 2), Grouping::Braces);
        assert_eq!(grouping(&parse("cd /x && make"), 0, 2), Grouping::Subshell);
        assert_eq!(grouping(&parse("cd /x && make"), 1, 2), Grouping::None);
        assert_eq!(wrap("a; b;", Grouping::Braces, '\\'), "{ a; b; }");
        assert_eq!(wrap("a; b; ", Grouping::None, '\\'), "a; b");
        assert_eq!(
            wrap("mkdir -p \\\n  /x \\\n;", Grouping::Braces, '\\'),
            "{ mkdir -p \\\n  /x; }"
        );
        assert_eq!(wrap("serve &", Grouping::None, '\\'), "{ serve & }");
        assert_eq!(
            wrap("find . -exec cp {} /x \\;", Grouping::None, '\\'),
            "find . -exec cp {} /x \\;"
        );
        assert_eq!(
            wrap("find . -exec cp {} /x \\;", Grouping::Braces, '\\'),
            "{ find . -exec cp {} /x \\;; }"
        );
        assert_eq!(wrap("a &", Grouping::Braces, '\\'), "{ a & }");
        assert_eq!(
            wrap("cd /x && make", Grouping::Subshell, '\\'),
            "( cd /x && make )"
        );
    }

    #[test]
    fn mounts_that_keep_files_out_of_the_layer() {
        let source = SourceFile::parse(
            "FROM a\nRUN --mount=type=cache,target=/var/cache/apt/ --mount=type=tmpfs,dst=/tmp --mount=type=bind,target=/src apt-get update\n",
        );
        let mounts = uncommitted_mounts(&source.instructions()[1]);
        assert_eq!(
            mounts,
            vec!["/var/cache/apt".to_string(), "/tmp".to_string()]
        );
        assert!(under_mount("/var/cache/apt/archives", &mounts));
        assert!(!under_mount("/var/lib/apt/lists", &mounts));
        assert!(under_mount(
            "~/.cache/pip",
            &["/home/app/.cache/pip".to_string()]
        ));
        assert!(!under_mount("~/.cache/pip", &["/src".to_string()]));
    }

    #[test]
    fn appends_after_the_script() {
        let check = |text: &str, expected: &str| {
            let source = SourceFile::parse(text);
            let edit = append_to_run(&source, 1, "rm -rf /x").expect("an edit");
            let (fixed, _) = crate::lint::apply_edits(text, &[edit]);
            assert_eq!(fixed, expected);
        };
        check(
            "FROM a\nRUN a \\\n  && b\n",
            "FROM a\nRUN a \\\n  && b && rm -rf /x\n",
        );
        check(
            "FROM a\nRUN yum install x; \n",
            "FROM a\nRUN yum install x && rm -rf /x \n",
        );
        check(
            "FROM a\nRUN <<EOF\nset -e\napt-get update\nEOF\n",
            "FROM a\nRUN <<EOF\nset -e\napt-get update && rm -rf /x\nEOF\n",
        );
        let source = SourceFile::parse("FROM a\nRUN a # comment\n");
        assert!(append_to_run(&source, 1, "b").is_none());
    }

    #[test]
    fn shipped_and_used_stages() {
        let text = "FROM a AS base\nFROM base AS build\nFROM b AS tools\nFROM c AS unused\nFROM build\nCOPY --from=tools /x /x\n";
        let source = SourceFile::parse(text);
        assert_eq!(
            shipped_stages(&source, &Settings::default()),
            vec![true, true, false, false, true]
        );
        assert_eq!(
            used_stages(&source, &Settings::default()),
            Some(vec![true, true, true, false, true])
        );
        let settings = Settings {
            target_stages: vec!["Unused".into()],
            ..Settings::default()
        };
        assert!(used_stages(&source, &settings).unwrap()[3]);
        let chosen = SourceFile::parse(
            "ARG TARGET=one\nFROM a AS build-one\nFROM b AS build-two\nFROM c AS other\nFROM build-${TARGET}\n",
        );
        assert_eq!(
            used_stages(&chosen, &Settings::default()),
            Some(vec![true, true, false, true])
        );
        assert!(glob_matches("a*b*c", "axxbyyc") && !glob_matches("a*b", "ac"));
        let unresolved = SourceFile::parse("FROM a AS one\nFROM b\nCOPY --from=$X /a /a\n");
        assert_eq!(used_stages(&unresolved, &Settings::default()), None);
    }
}
