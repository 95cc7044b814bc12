//! Completion, offline and aware of where the cursor is: parser directives on the first lines,
//! instructions at the start of a line (only `FROM` and `ARG` before the first `FROM`), flags and
//! their values (every `--mount` type with its keys), stage names and indexes, variables in
//! scope after `$`, base images and tags after `FROM`, signals after `STOPSIGNAL`, rule names
//! in suppression comments.

use crate::analysis::hover::keyword_markdown;
use crate::knowledge::catalog::{self, BaseRule, ImageEntry};
use crate::knowledge::distros::{self, Date};
use crate::knowledge::instructions::{self, SIGNALS};
use crate::knowledge::runtimes;
use crate::syntax::stages::VariableKind;
use crate::syntax::{Instruction, Keyword, Mount, MountKey, Scope, SourceFile};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Directive,
    Flag,
    Value,
    Stage,
    Variable,
    Image,
    Rule,
    /// A file of the build context.
    File,
    /// A directory of the build context.
    Directory,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text that replaces `replace`; a snippet (`${1:name}`) when `snippet` is true.
    pub insert: String,
    pub snippet: bool,
    /// What the user has typed of the item so far, through the end of the word.
    pub replace: Span,
    /// Sorts among the items (the label when `None`).
    pub sort: Option<String>,
    pub deprecated: bool,
}

impl Completion {
    fn new(label: impl Into<String>, kind: CompletionKind, replace: &Span) -> Completion {
        let label = label.into();
        Completion {
            insert: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            snippet: false,
            replace: replace.clone(),
            sort: None,
            deprecated: false,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Completion {
        self.detail = Some(detail.into());
        self
    }

    fn documentation(mut self, documentation: impl Into<String>) -> Completion {
        self.documentation = Some(documentation.into());
        self
    }

    fn insert(mut self, insert: impl Into<String>) -> Completion {
        self.insert = insert.into();
        self
    }

    fn sort(mut self, position: usize) -> Completion {
        self.sort = Some(format!("{position:04}"));
        self
    }
}

/// The images the catalog knows by a plain name (patterns such as `gcr.io/distroless/*` are
/// left out), with their title and description.
fn catalog_images() -> impl Iterator<Item = (&'static str, &'static ImageEntry)> {
    catalog::IMAGES.iter().filter_map(|entry| {
        let name = entry.names.iter().find(|name| !name.contains('*'))?;
        Some((*name, entry))
    })
}

/// Tags worth offering for an image of the catalog: for a distribution, its releases still
/// supported today (by version and code name); for a language image, its supported release
/// lines, plain and in the common slim and Alpine variants; `latest` for any.
fn catalog_tags(entry: &ImageEntry, today: Date) -> Vec<(String, String)> {
    let supported = |end: Option<Date>| end.is_none_or(|end| end >= today);
    let mut tags = Vec::new();
    if let BaseRule::Distro(id) = entry.base {
        for release in distros::distro(id).releases.iter().rev() {
            if !supported(release.end_of_life()) {
                continue;
            }
            tags.push((release.version.to_string(), release.label()));
            if let Some(codename) = release.codename {
                tags.push((codename.to_ascii_lowercase(), release.label()));
            }
        }
    }
    if let Some(id) = entry.runtime {
        let runtime = runtimes::runtime(id);
        for release in runtime.releases.iter().rev() {
            if !supported(release.end_of_life) {
                continue;
            }
            let version = release.version;
            tags.push((version.to_string(), format!("{} {version}", runtime.name)));
            for variant in ["slim", "alpine"] {
                tags.push((
                    format!("{version}-{variant}"),
                    format!("{} {version}, {variant}", runtime.name),
                ));
            }
        }
    }
    tags.push((
        "latest".to_string(),
        "what the image's publisher tags latest".to_string(),
    ));
    let mut seen = std::collections::HashSet::new();
    tags.retain(|(tag, _)| seen.insert(tag.clone()));
    tags
}

/// Snippets for instructions (the text after the keyword).
fn keyword_snippet(keyword: Keyword) -> &'static str {
    match keyword {
        Keyword::Add => "${1:source} ${2:destination}",
        Keyword::Arg => "${1:NAME}",
        Keyword::Cmd => "[\"${1:executable}\"]",
        Keyword::Copy => "${1:source} ${2:destination}",
        Keyword::Entrypoint => "[\"${1:executable}\"]",
        Keyword::Env => "${1:NAME}=${2:value}",
        Keyword::Expose => "${1:port}",
        Keyword::From => "${1:image}",
        Keyword::Healthcheck => "--interval=${1:30s} --timeout=${2:10s} CMD ${3:command}",
        Keyword::Label => "${1:key}=${2:value}",
        Keyword::Maintainer => "${1:name}",
        Keyword::Onbuild => "${1:INSTRUCTION}",
        Keyword::Run => "${1:command}",
        Keyword::Shell => "[\"${1:/bin/sh}\", \"${2:-c}\"]",
        Keyword::Stopsignal => "${1:SIGTERM}",
        Keyword::User => "${1:user}",
        Keyword::Volume => "[\"${1:/data}\"]",
        Keyword::Workdir => "${1:/path}",
        Keyword::Unknown => "",
    }
}

fn is_word_byte(byte: u8) -> bool {
    !byte.is_ascii_whitespace()
}

/// The line of `offset`: its start and the text from there to the cursor.
fn line_before(text: &str, offset: usize) -> (usize, &str) {
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..offset])
        .map(|at| at + 1)
        .unwrap_or(0);
    (start, &text[start..offset])
}

/// The span of the word around `offset` made of bytes accepted by `part` (back to its start,
/// forward to its end).
fn word_around(text: &str, offset: usize, part: impl Fn(u8) -> bool) -> Span {
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && part(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && part(bytes[end]) {
        end += 1;
    }
    start..end
}

/// Completions at byte `offset`, in the order to show them (`sort` says so to the client too).
/// `snippets`: the client accepts snippet syntax; `today`: the day image tags are judged
/// supported on (the caller's clock, so analysis stays pure).
pub fn completions(
    source: &SourceFile,
    offset: usize,
    snippets: bool,
    today: Date,
) -> Vec<Completion> {
    let mut found = unsorted_completions(source, offset, snippets, today);
    // Items without an explicit position sort by label, between the ones placed before
    // (positions below 500) and after.
    found.sort_by_cached_key(|item| {
        item.sort
            .clone()
            .unwrap_or_else(|| format!("0500{}", item.label))
    });
    for (position, item) in found.iter_mut().enumerate() {
        item.sort = Some(format!("{position:04}"));
    }
    found
}

fn unsorted_completions(
    source: &SourceFile,
    offset: usize,
    snippets: bool,
    today: Date,
) -> Vec<Completion> {
    let text = source.text.as_str();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if let Some(found) = heredoc_completions(source, offset) {
        return found;
    }
    let (line_start, before) = line_before(text, offset);
    let trimmed = before.trim_start();
    if trimmed.starts_with('#') && !in_instruction_head(source, offset) {
        return comment_completions(source, offset, line_start, before);
    }
    let index = crate::lint::instruction_at(source, offset);
    let instruction = index.map(|at| &source.instructions()[at]);
    // At the keyword, or on a line of its own with nothing but a word being typed.
    let at_keyword = match instruction {
        Some(instruction) => offset <= instruction.keyword_word.span.end,
        None => trimmed.bytes().all(|byte| byte.is_ascii_alphabetic()),
    };
    if at_keyword {
        let replace = word_around(text, offset, |byte| byte.is_ascii_alphabetic());
        let mut found = keyword_completions(source, offset, &replace, snippets, None);
        if source
            .stages
            .stages
            .first()
            .is_none_or(|stage| source.instructions()[stage.from].span.start >= offset)
            && instruction.is_none_or(|_| index == Some(0))
            && source.file.directives.is_empty()
            && line_start == 0
        {
            found.extend(directive_items(source, &replace, snippets));
        }
        return found;
    }
    let (Some(index), Some(instruction)) = (index, instruction) else {
        return Vec::new();
    };
    argument_completions(source, index, instruction, offset, snippets, today)
}

/// True when `offset` is inside an instruction's head (a `#` there is an argument, not a
/// comment, unless the line is a comment line inside the continuation).
fn in_instruction_head(source: &SourceFile, offset: usize) -> bool {
    let Some(index) = crate::lint::instruction_at(source, offset) else {
        return false;
    };
    let instruction = &source.instructions()[index];
    let comment_line = source
        .file
        .comments
        .iter()
        .any(|comment| comment.span.start <= offset && offset <= comment.span.end);
    offset > instruction.keyword_word.span.end && !comment_line
}

fn keyword_completions(
    source: &SourceFile,
    offset: usize,
    replace: &Span,
    snippets: bool,
    inside_onbuild: Option<()>,
) -> Vec<Completion> {
    let before_first_from = source
        .stages
        .stages
        .first()
        .is_none_or(|stage| offset <= source.instructions()[stage.from].span.start);
    let mut found = Vec::new();
    for keyword in Keyword::ALL {
        if before_first_from
            && inside_onbuild.is_none()
            && !matches!(keyword, Keyword::From | Keyword::Arg)
        {
            continue;
        }
        if inside_onbuild.is_some()
            && matches!(
                keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            )
        {
            continue;
        }
        let name = keyword.name();
        let summary = instructions::instruction(keyword)
            .map(|info| info.summary)
            .unwrap_or_default();
        let mut item = Completion::new(name, CompletionKind::Keyword, replace)
            .detail(summary)
            .insert(format!("{name} "));
        if let Some(markdown) = keyword_markdown(keyword) {
            item = item.documentation(markdown);
        }
        if snippets {
            item.insert = format!("{name} {}", keyword_snippet(keyword));
            item.snippet = true;
        }
        if keyword == Keyword::Maintainer {
            item.deprecated = true;
            item.sort = Some(format!("0800{name}"));
        }
        found.push(item);
    }
    found
}

/// Parser directives, offered at the very top of the file.
fn directive_items(source: &SourceFile, replace: &Span, snippets: bool) -> Vec<Completion> {
    let mut found = Vec::new();
    for (position, info) in instructions::DIRECTIVES.iter().enumerate() {
        if source
            .file
            .directives
            .iter()
            .any(|directive| directive.name == info.name)
        {
            continue;
        }
        let value = match info.name {
            "syntax" => "docker/dockerfile:1",
            "escape" => "`",
            _ => "skip=",
        };
        let mut item = Completion::new(
            format!("# {}=", info.name),
            CompletionKind::Directive,
            replace,
        )
        .detail(info.syntax)
        .documentation(info.summary)
        .insert(format!("# {}={value}", info.name))
        .sort(900 + position);
        if snippets {
            item.insert = format!("# {}=${{1:{value}}}", info.name);
            item.snippet = true;
        }
        found.push(item);
    }
    found
}

/// In a comment line: directive names and values on the first lines; rule names after
/// `ignore=` and `skip=` in suppression comments.
fn comment_completions(
    source: &SourceFile,
    offset: usize,
    line_start: usize,
    before: &str,
) -> Vec<Completion> {
    let text = source.text.as_str();
    let replace = word_around(text, offset, |byte| {
        byte.is_ascii_alphanumeric()
            || byte == b'_'
            || byte == b'-'
            || byte == b'/'
            || byte == b'.'
            || byte == b':'
    });
    let directive_region = source
        .instructions()
        .first()
        .is_none_or(|first| line_start < first.span.start)
        && !source
            .file
            .comments
            .iter()
            .any(|comment| comment.span.start < line_start);
    let after_hash = before.trim_start().trim_start_matches('#').trim_start();
    if let Some(rules_typed) = after_hash
        .rsplit_once("ignore=")
        .or_else(|| after_hash.rsplit_once("skip="))
        .map(|(_, rules)| rules)
    {
        let replace = offset - rules_typed.rsplit(',').next().unwrap_or("").len()..replace.end;
        let named: Vec<&str> = rules_typed.split(',').collect();
        let mut found = Vec::new();
        for rule in crate::lint::rules::ALL {
            if named.contains(&rule.name) {
                continue;
            }
            let aliases = if rule.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", rule.aliases.join(", "))
            };
            found.push(
                Completion::new(rule.name, CompletionKind::Rule, &replace)
                    .detail(format!("{}{aliases}", rule.summary)),
            );
        }
        if after_hash.contains("check=") && !rules_typed.contains(',') {
            found.push(
                Completion::new("all", CompletionKind::Value, &replace)
                    .detail("skip every BuildKit check"),
            );
        }
        return found;
    }
    if !directive_region {
        return Vec::new();
    }
    // `# syntax=` and friends: after the `=`, the values; before it, the names.
    if let Some((name, _)) = after_hash.split_once('=') {
        let value_start = offset - after_hash.len() + name.len() + 1;
        let replace = value_start..replace.end.max(offset);
        let values: &[(&str, &str)] = match name.trim().to_ascii_lowercase().as_str() {
            "syntax" => &[
                ("docker/dockerfile:1", "the latest stable 1.x syntax"),
                ("docker/dockerfile:1-labs", "1.x with experimental features"),
            ],
            "escape" => &[
                ("\\", "the default"),
                ("`", "for Windows paths such as C:\\Windows"),
            ],
            "check" => &[
                ("skip=", "checks to skip"),
                ("error=true", "fail the build on a check"),
                ("experimental=", "experimental checks to run"),
            ],
            _ => &[],
        };
        return values
            .iter()
            .map(|(value, detail)| {
                Completion::new(*value, CompletionKind::Value, &replace).detail(*detail)
            })
            .collect();
    }
    let replace = offset - after_hash.len()..replace.end.max(offset);
    // Inside an existing directive's name, its `=` is already there.
    let before_equals = text.as_bytes().get(replace.end) == Some(&b'=');
    instructions::DIRECTIVES
        .iter()
        .enumerate()
        .filter(|(_, info)| {
            // A directive given elsewhere is not offered again; the one being edited is.
            !source.file.directives.iter().any(|directive| {
                directive.name == info.name
                    && !(directive.span.start <= offset && offset <= directive.span.end)
            })
        })
        .map(|(position, info)| {
            Completion::new(info.name, CompletionKind::Directive, &replace)
                .detail(info.syntax)
                .documentation(info.summary)
                .insert(if before_equals {
                    info.name.to_string()
                } else {
                    format!("{}=", info.name)
                })
                .sort(position)
        })
        .collect()
}

/// In a heredoc body the shell (or BuildKit) expands variables: offer them after `$`.
fn heredoc_completions(source: &SourceFile, offset: usize) -> Option<Vec<Completion>> {
    let index = crate::lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[index];
    let in_body = instruction.heredocs.iter().any(|heredoc| {
        !heredoc.body_span.is_empty()
            && heredoc.body_span.start <= offset
            && offset <= heredoc.body_span.end
    });
    in_body.then(|| variable_completions(source, index, instruction, offset).unwrap_or_default())
}

/// After `$` or `${`: the variables in scope, with their values.
fn variable_completions(
    source: &SourceFile,
    index: usize,
    instruction: &Instruction,
    offset: usize,
) -> Option<Vec<Completion>> {
    let text = source.text.as_str();
    let name = word_around(text, offset, |byte| {
        byte.is_ascii_alphanumeric() || byte == b'_'
    });
    let name = name.start..offset.max(name.start);
    let bytes = text.as_bytes();
    let (braced, dollar) = match name.start.checked_sub(1).map(|at| bytes[at]) {
        Some(b'$') => (false, name.start - 1),
        Some(b'{') if name.start >= 2 && bytes[name.start - 2] == b'$' => (true, name.start - 2),
        _ => return None,
    };
    // `$$` is the shell's process id, and an escaped `\$` is no variable.
    if dollar > 0 && (bytes[dollar - 1] == b'$' || bytes[dollar - 1] as char == source.file.escape)
    {
        return None;
    }
    let word_end = word_around(text, offset, |byte| {
        byte.is_ascii_alphanumeric() || byte == b'_'
    })
    .end;
    let replace = name.start..word_end;
    let closed = bytes.get(word_end) == Some(&b'}');
    let scope: Scope = source.stages.scope_at(&source.file, index);
    let runtime_only = matches!(
        instruction.effective().keyword,
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
    );
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (position, variable) in scope.variables.iter().rev().enumerate() {
        if !seen.insert(variable.name.clone()) {
            continue;
        }
        if runtime_only && variable.kind != VariableKind::Env {
            continue;
        }
        let kind = match variable.kind {
            VariableKind::GlobalArg => "global ARG",
            VariableKind::Arg => "ARG",
            VariableKind::Env => "ENV",
            VariableKind::Predefined => "set by BuildKit",
        };
        let detail = match &variable.value {
            Some(value) => format!("{kind} = {value}"),
            None if variable.kind == VariableKind::Predefined => kind.to_string(),
            None => format!("{kind} (no value here)"),
        };
        let insert = if braced && !closed {
            format!("{}}}", variable.name)
        } else {
            variable.name.clone()
        };
        let mut item = Completion::new(variable.name.clone(), CompletionKind::Variable, &replace)
            .detail(detail)
            .insert(insert)
            .sort(position);
        if variable.kind == VariableKind::Predefined
            && let Some(info) = instructions::predefined_arg(&variable.name)
        {
            item = item.documentation(info.summary);
        }
        found.push(item);
    }
    // Every proxy ARG BuildKit passes to a stage's commands, not only the ones the scope lists.
    let in_stage = source
        .stages
        .stage_of(index)
        .is_some_and(|stage| stage.from != index);
    if in_stage && !runtime_only {
        let position = found.len();
        for info in instructions::PREDEFINED_ARGS
            .iter()
            .filter(|info| info.proxy && !seen.contains(info.name))
        {
            let insert = if braced && !closed {
                format!("{}}}", info.name)
            } else {
                info.name.to_string()
            };
            found.push(
                Completion::new(info.name, CompletionKind::Variable, &replace)
                    .detail("set by BuildKit")
                    .documentation(info.summary)
                    .insert(insert)
                    .sort(position),
            );
        }
    }
    Some(found)
}

fn argument_completions(
    source: &SourceFile,
    index: usize,
    instruction: &Instruction,
    offset: usize,
    snippets: bool,
    today: Date,
) -> Vec<Completion> {
    if let Some(found) = variable_completions(source, index, instruction, offset) {
        return found;
    }
    let text = source.text.as_str();
    // `ONBUILD |`: the instruction to register.
    if let Some(inner) = &instruction.onbuild {
        if offset <= inner.keyword_word.span.end {
            let replace = word_around(text, offset, |byte| byte.is_ascii_alphabetic());
            return keyword_completions(source, offset, &replace, snippets, Some(()));
        }
        return instruction_arguments(source, index, inner, offset, snippets, today);
    }
    if instruction.keyword == Keyword::Onbuild {
        let replace = word_around(text, offset, |byte| byte.is_ascii_alphabetic());
        return keyword_completions(source, offset, &replace, snippets, Some(()));
    }
    instruction_arguments(source, index, instruction, offset, snippets, today)
}

fn instruction_arguments(
    source: &SourceFile,
    index: usize,
    instruction: &Instruction,
    offset: usize,
    snippets: bool,
    today: Date,
) -> Vec<Completion> {
    let text = source.text.as_str();
    let word = word_around(text, offset, is_word_byte);
    let typed = &text[word.start..offset];
    // Flags come before the first argument.
    let before_arguments = instruction
        .values
        .iter()
        .all(|value| value.span.start >= word.start)
        || instruction
            .values
            .iter()
            .any(|value| value.span.start == word.start && typed.starts_with('-'));
    if typed.starts_with("--") && before_arguments {
        if let Some((name, _)) = typed[2..].split_once('=') {
            return flag_value_completions(
                source,
                index,
                instruction,
                name,
                word.start + 2 + name.len() + 1,
                offset,
                &word,
            );
        }
        return flag_completions(instruction, &word, snippets);
    }
    if typed == "-" && before_arguments {
        return flag_completions(instruction, &word, snippets);
    }
    // Which argument the cursor is on (arguments before the current word).
    let position = instruction
        .values
        .iter()
        .filter(|value| value.span.end < word.start)
        .count();
    let keyword = instruction.keyword;
    match keyword {
        Keyword::From => from_completions(source, index, position, offset, &word, today),
        Keyword::Stopsignal if position == 0 => SIGNALS
            .iter()
            .enumerate()
            .map(|(order, signal)| {
                Completion::new(*signal, CompletionKind::Value, &word)
                    .detail("signal")
                    .sort(order)
            })
            .collect(),
        Keyword::Healthcheck if position == 0 => vec![
            Completion::new("CMD", CompletionKind::Keyword, &word)
                .detail("the command that checks the container")
                .insert("CMD "),
            Completion::new("NONE", CompletionKind::Keyword, &word)
                .detail("turn off the check inherited from the base image"),
        ],
        Keyword::Arg if source.stages.stage_of(index).is_some() => {
            arg_name_completions(source, index, &word)
        }
        _ => Vec::new(),
    }
}

/// `ARG |` in a stage: the global ARGs and BuildKit's platform ARGs, to bring into scope.
fn arg_name_completions(source: &SourceFile, index: usize, word: &Span) -> Vec<Completion> {
    let scope = source.stages.scope_at(&source.file, index);
    let mut found = Vec::new();
    for (order, variable) in source.stages.global.variables.iter().enumerate() {
        if scope.lookup(&variable.name).is_some() {
            continue;
        }
        let detail = match (&variable.kind, &variable.value) {
            (VariableKind::Predefined, _) => "set by BuildKit".to_string(),
            (_, Some(value)) => format!("global ARG = {value}"),
            (_, None) => "global ARG".to_string(),
        };
        let order = if variable.kind == VariableKind::Predefined {
            100 + order
        } else {
            order
        };
        found.push(
            Completion::new(variable.name.clone(), CompletionKind::Variable, word)
                .detail(detail)
                .sort(order),
        );
    }
    found
}

fn flag_completions(instruction: &Instruction, word: &Span, snippets: bool) -> Vec<Completion> {
    let Some(info) = instructions::instruction(instruction.keyword) else {
        return Vec::new();
    };
    let repeatable = ["mount", "exclude"];
    let mut found = Vec::new();
    for (order, flag) in info.flags.iter().enumerate() {
        let present = instruction
            .flags
            .iter()
            .any(|existing| existing.name == flag.name && existing.span != *word);
        if present && !repeatable.contains(&flag.name) {
            continue;
        }
        let switch = flag.value.starts_with('[');
        let label = format!("--{}", flag.name);
        let mut item = Completion::new(label.clone(), CompletionKind::Flag, word)
            .detail(flag.value)
            .documentation(flag.summary)
            .insert(if switch {
                label.clone()
            } else {
                format!("{label}=")
            })
            .sort(order);
        if snippets && !switch {
            let choices: Vec<&str> = if flag.name == "mount" {
                instructions::MOUNT_TYPES
                    .iter()
                    .map(|mount| mount.name)
                    .collect()
            } else {
                flag.values.to_vec()
            };
            // Snippet choices cannot hold `$`, `,`, `|` or `}`: such values stay plain.
            let writable = choices
                .iter()
                .all(|choice| !choice.contains(['$', ',', '|', '}', '\\']));
            if !choices.is_empty() && writable {
                let prefix = if flag.name == "mount" { "type=" } else { "" };
                item.insert = format!("{label}={prefix}${{1|{}|}}", choices.join(","));
                item.snippet = true;
            }
        }
        found.push(item);
    }
    found
}

/// Stage names and indexes for `--from=` and `from=`, leaving out the stage itself.
fn stage_items(source: &SourceFile, index: usize, replace: &Span) -> Vec<Completion> {
    let current = source.stages.stage_of(index).map(|stage| stage.index);
    let mut found = Vec::new();
    for stage in &source.stages.stages {
        if Some(stage.index) == current {
            continue;
        }
        let image = stage
            .image
            .as_ref()
            .map(|image| image.text.as_str())
            .unwrap_or("");
        if let Some(name) = &stage.name {
            found.push(
                Completion::new(name.text.clone(), CompletionKind::Stage, replace)
                    .detail(format!("stage {}: FROM {image}", stage.index))
                    .sort(stage.index),
            );
        }
        found.push(
            Completion::new(stage.index.to_string(), CompletionKind::Stage, replace)
                .detail(format!("stage {} by index: {}", stage.index, stage.label()))
                .sort(500 + stage.index),
        );
    }
    found
}

fn flag_value_completions(
    source: &SourceFile,
    index: usize,
    instruction: &Instruction,
    name: &str,
    value_start: usize,
    offset: usize,
    word: &Span,
) -> Vec<Completion> {
    let text = source.text.as_str();
    let value_start = value_start.min(offset);
    let replace = value_start..word.end;
    let keyword = instruction.keyword;
    if keyword == Keyword::Run && name == "mount" {
        return mount_completions(source, index, &text[value_start..offset], value_start, word);
    }
    if name == "from" && matches!(keyword, Keyword::Copy | Keyword::Add) {
        return stage_items(source, index, &replace);
    }
    let Some(flag) = instructions::flag_info(keyword, name) else {
        return Vec::new();
    };
    flag.values
        .iter()
        .enumerate()
        .map(|(order, value)| {
            Completion::new(*value, CompletionKind::Value, &replace)
                .detail(format!("--{name}"))
                .sort(order)
        })
        .collect()
}

/// `--mount=type=cache,|`: the keys of the mount type not given yet; after `key=`, its values.
fn mount_completions(
    source: &SourceFile,
    index: usize,
    typed: &str,
    value_start: usize,
    word: &Span,
) -> Vec<Completion> {
    // The whole value as far as it is written, read as BuildKit reads it; spans are relative
    // to `value_start`.
    let whole = &source.text[value_start..word.end];
    let mount = Mount::parse_text(whole);
    let cursor = typed.len();
    let Some(current) = mount.field_at(cursor) else {
        return Vec::new();
    };
    let at = |range: &Span| value_start + range.start..value_start + range.end;
    let before_cursor = &whole[current.span.start..cursor];
    if let (Some((key, _)), Some(value_span)) = (before_cursor.split_once('='), &current.value_span)
    {
        let replace = at(value_span);
        let key = MountKey::parse(key);
        if key == MountKey::Type {
            return instructions::MOUNT_TYPES
                .iter()
                .enumerate()
                .map(|(order, mount)| {
                    Completion::new(mount.name, CompletionKind::Value, &replace)
                        .detail(mount.summary)
                        .sort(order)
                })
                .collect();
        }
        if key == MountKey::From {
            return stage_items(source, index, &replace);
        }
        let Some(info) = instructions::mount_type(mount.kind().name()) else {
            return Vec::new();
        };
        return info
            .keys
            .iter()
            .find(|candidate| candidate.name == key.name())
            .map(|found| {
                found
                    .values
                    .iter()
                    .enumerate()
                    .map(|(order, value)| {
                        Completion::new(*value, CompletionKind::Value, &replace)
                            .detail(found.summary)
                            .sort(order)
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
    let replace = at(&current.span);
    // Keys given in the other fields are not offered again (`dst=` gives `target`).
    let given = |key: MountKey| {
        mount
            .fields
            .iter()
            .any(|field| field.name == key && field.span != current.span)
    };
    let mut found = Vec::new();
    if !given(MountKey::Type) {
        found.push(
            Completion::new("type", CompletionKind::Flag, &replace)
                .detail("bind (default), cache, secret, ssh or tmpfs")
                .insert("type=")
                .sort(0),
        );
    }
    if let Some(info) = instructions::mount_type(mount.kind().name()) {
        for (order, key) in info.keys.iter().enumerate() {
            if given(MountKey::parse(key.name)) {
                continue;
            }
            found.push(
                Completion::new(key.name, CompletionKind::Flag, &replace)
                    .detail(format!("--mount=type={}", info.name))
                    .documentation(key.summary)
                    .insert(format!("{}=", key.name))
                    .sort(order + 1),
            );
        }
    }
    found
}

/// `FROM |`: images and earlier stages; `FROM image:|`: its tags; `FROM image |`: `AS`.
fn from_completions(
    source: &SourceFile,
    index: usize,
    position: usize,
    offset: usize,
    word: &Span,
    today: Date,
) -> Vec<Completion> {
    let text = source.text.as_str();
    if position == 1 {
        return vec![
            Completion::new("AS", CompletionKind::Keyword, word)
                .detail("name this stage")
                .insert("AS "),
        ];
    }
    if position != 0 {
        return Vec::new();
    }
    let typed = &text[word.start..offset];
    if let Some((image, _)) = typed.split_once(':') {
        let replace = word.start + image.len() + 1..word.end;
        let Some((_, entry)) = catalog_images().find(|(name, _)| *name == image) else {
            return Vec::new();
        };
        return catalog_tags(entry, today)
            .into_iter()
            .enumerate()
            .map(|(order, (tag, detail))| {
                Completion::new(tag, CompletionKind::Value, &replace)
                    .detail(detail)
                    .sort(order)
            })
            .collect();
    }
    if typed.contains('@') {
        return Vec::new();
    }
    let mut found = Vec::new();
    if typed.is_empty() && source.instructions()[index].flag("platform").is_none() {
        let documentation = instructions::flag_info(Keyword::From, "platform")
            .map(|flag| flag.summary)
            .unwrap_or_default();
        found.push(
            Completion::new("--platform=", CompletionKind::Flag, word)
                .detail("the platform of the image, e.g. $BUILDPLATFORM")
                .documentation(documentation)
                .sort(90),
        );
    }
    let current = source
        .stages
        .stage_of(index)
        .map(|stage| stage.index)
        .unwrap_or(usize::MAX);
    for stage in &source.stages.stages {
        if stage.index >= current {
            break;
        }
        if let Some(name) = &stage.name {
            found.push(
                Completion::new(name.text.clone(), CompletionKind::Stage, word)
                    .detail(format!(
                        "stage {}: FROM {}",
                        stage.index,
                        stage
                            .image
                            .as_ref()
                            .map(|image| image.text.as_str())
                            .unwrap_or("")
                    ))
                    .sort(stage.index),
            );
        }
    }
    for (order, (name, entry)) in catalog_images().enumerate() {
        let order = if name == "scratch" { 99 } else { 100 + order };
        found.push(
            Completion::new(name, CompletionKind::Image, word)
                .detail(entry.title)
                .documentation(entry.description)
                .sort(order),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(fixture: &str) -> Vec<Completion> {
        complete_with(fixture, false)
    }

    fn complete_with(fixture: &str, snippets: bool) -> Vec<Completion> {
        let offset = fixture.find("$0").expect("cursor");
        let text = fixture.replacen("$0", "", 1);
        // Supported tags are judged on the catalog's date, so the tests do not age.
        completions(&SourceFile::parse(&text), offset, snippets, distros::AS_OF)
    }

    fn labels(fixture: &str) -> Vec<String> {
        complete(fixture)
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn an_empty_file_offers_from_arg_and_directives() {
        let found = labels("$0");
        assert_eq!(
            found,
            vec!["ARG", "FROM", "# syntax=", "# escape=", "# check="]
        );
        let found = complete_with("F$0", true);
        let from = found.iter().find(|item| item.label == "FROM").unwrap();
        assert!(from.snippet && from.insert == "FROM ${1:image}");
        assert_eq!(from.replace, 0..1);
        // Before the first FROM, only ARG and FROM; after it, everything.
        assert_eq!(labels("ARG A\n$0\nFROM a\n"), vec!["ARG", "FROM"]);
        let all = labels("FROM a\nR$0\n");
        assert_eq!(all.len(), Keyword::ALL.len());
        let items = complete("FROM a\nru$0\n");
        assert_eq!(items[0].replace, 7..9);
    }

    #[test]
    fn onbuild_leaves_out_what_it_must() {
        let found = labels("FROM a\nONBUILD $0\n");
        assert!(found.contains(&"RUN".to_string()));
        for excluded in ["ONBUILD", "FROM", "MAINTAINER"] {
            assert!(!found.contains(&excluded.to_string()), "{excluded}");
        }
    }

    #[test]
    fn directives_and_their_values() {
        assert_eq!(labels("# $0\nFROM a\n"), vec!["syntax", "escape", "check"]);
        assert_eq!(
            labels("# syntax=docker/dockerfile:1\n# esc$0\nFROM a\n"),
            vec!["escape", "check"]
        );
        assert!(labels("# escape=$0\nFROM a\n").contains(&"`".to_string()));
        // Rule names in suppression comments.
        let rules = labels("FROM a\n# hadolint ignore=DL3059,$0\nMAINTAINER x\n");
        assert!(rules.contains(&"MaintainerDeprecated".to_string()));
        assert!(labels("FROM a\n# just words $0\n").is_empty());
    }

    #[test]
    fn flags_and_their_values() {
        let found = labels("FROM a\nCOPY --$0 a b\n");
        for flag in [
            "--from",
            "--chown",
            "--chmod",
            "--link",
            "--parents",
            "--exclude",
        ] {
            assert!(found.contains(&flag.to_string()), "{flag}: {found:?}");
        }
        let found = labels("FROM a\nADD --$0 a b\n");
        for flag in ["--checksum", "--keep-git-dir", "--unpack"] {
            assert!(found.contains(&flag.to_string()), "{flag}");
        }
        // A flag already given is not offered again, except the repeatable ones.
        let found = labels("FROM a\nRUN --network=none --mount=type=cache,target=/x --$0 true\n");
        assert!(!found.contains(&"--network".to_string()));
        assert!(found.contains(&"--mount".to_string()));
        assert_eq!(
            labels("FROM a\nRUN --network=$0 true\n"),
            vec!["default", "none", "host"]
        );
        assert_eq!(
            labels("FROM a\nRUN --security=$0\n"),
            vec!["insecure", "sandbox"]
        );
        assert!(labels("FROM --platform=$0 a\n").contains(&"linux/arm64".to_string()));
        let found = complete_with("FROM a\nRUN --mo$0\n", true);
        assert_eq!(
            found[0].insert,
            "--mount=type=${1|cache,bind,secret,ssh,tmpfs|}"
        );
        let found = labels("FROM a\nHEALTHCHECK --$0\n");
        assert!(found.contains(&"--start-interval".to_string()));
        assert_eq!(
            labels("FROM a\nHEALTHCHECK --interval=5s $0\n"),
            vec!["CMD", "NONE"]
        );
    }

    #[test]
    fn mount_types_keys_and_values() {
        assert_eq!(
            labels("FROM a\nRUN --mount=type=$0 true\n"),
            vec!["cache", "bind", "secret", "ssh", "tmpfs"]
        );
        let keys = labels("FROM a\nRUN --mount=type=cache,$0 true\n");
        assert!(keys.contains(&"sharing".to_string()) && keys.contains(&"target".to_string()));
        assert!(!keys.contains(&"type".to_string()));
        let keys = labels("FROM a\nRUN --mount=type=secret,id=x,$0 true\n");
        assert!(keys.contains(&"env".to_string()) && keys.contains(&"required".to_string()));
        assert!(!keys.contains(&"id".to_string()));
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,sharing=$0,target=/x true\n"),
            vec!["shared", "private", "locked"]
        );
        let item = &complete("FROM a\nRUN --mount=type=cache,sharing=lo$0,target=/x true\n")[0];
        assert_eq!(item.replace.len(), 2);
        assert!(labels("FROM a\nRUN --mount=type=tmpfs,$0\n").contains(&"size".to_string()));
        // `dst` is `target`, and `TYPE` is `type`.
        let keys = labels("FROM a\nRUN --mount=TYPE=cache,dst=/x,$0 true\n");
        assert!(keys.contains(&"sharing".to_string()));
        assert!(!keys.contains(&"target".to_string()) && !keys.contains(&"type".to_string()));
    }

    #[test]
    fn stages_after_from_flags() {
        let found = labels(
            "FROM golang AS build\nFROM alpine AS test\nFROM scratch\nCOPY --from=$0 /a /a\n",
        );
        assert_eq!(found, vec!["build", "test", "0", "1"]);
        let found =
            labels("FROM golang AS build\nFROM scratch\nRUN --mount=type=bind,from=$0 true\n");
        assert_eq!(found, vec!["build", "0"]);
    }

    #[test]
    fn images_tags_and_stages_after_from() {
        let found = labels("FROM golang AS build\nFROM $0\n");
        assert_eq!(found[0], "build");
        assert!(found.contains(&"alpine".to_string()) && found.contains(&"scratch".to_string()));
        // Supported releases from the catalog, by version and code name.
        let tags = labels("FROM debian:$0\n");
        assert!(tags.contains(&"bookworm".to_string()), "{tags:?}");
        assert!(tags.contains(&"latest".to_string()));
        let tags = complete("FROM python:3.1$0\n");
        assert_eq!(tags[0].replace, 12..15);
        assert!(tags.iter().any(|item| item.label.ends_with("-slim")));
        assert_eq!(labels("FROM alpine $0\n"), vec!["AS"]);
        assert!(labels("FROM alpine AS $0\n").is_empty());
    }

    #[test]
    fn variables_in_scope_with_their_values() {
        let text = "ARG BASE=alpine\nFROM ${BA$0\n";
        let found = complete(text);
        assert_eq!(found[0].label, "BASE");
        assert_eq!(found[0].detail.as_deref(), Some("global ARG = alpine"));
        assert_eq!(found[0].insert, "BASE}");
        assert!(found.iter().any(|item| item.label == "TARGETPLATFORM"));
        let found = labels("ARG V=1\nFROM a\nARG V\nENV HOME_DIR=/app\nRUN echo $$0\n");
        assert_eq!(&found[..2], &["HOME_DIR", "V"]);
        assert!(found.contains(&"HTTP_PROXY".to_string()));
        // CMD runs later, where only ENVs exist.
        assert_eq!(
            labels("FROM a\nARG A=1\nENV B=2\nCMD echo $$0\n"),
            vec!["B"]
        );
        assert_eq!(
            labels("FROM a\nENV B=2\nRUN <<EOF\necho $$0\nEOF\n")[0],
            "B"
        );
        assert!(labels("FROM a\nENV B=2\nRUN echo \\$$0\n").is_empty());
    }

    #[test]
    fn every_proxy_arg_after_dollar_in_run() {
        let found = labels("FROM a\nRUN curl -x $$0\n");
        for proxy in instructions::PREDEFINED_ARGS.iter().filter(|arg| arg.proxy) {
            assert!(found.contains(&proxy.name.to_string()), "{}", proxy.name);
        }
        let item = complete("FROM a\nRUN echo ${al$0\n")
            .into_iter()
            .find(|item| item.label == "all_proxy")
            .unwrap();
        assert_eq!(item.insert, "all_proxy}");
        // Not in FROM, nor where only ENVs exist.
        assert!(!labels("FROM $$0\n").contains(&"ALL_PROXY".to_string()));
        assert!(!labels("FROM a\nCMD echo $$0\n").contains(&"ALL_PROXY".to_string()));
    }

    #[test]
    fn platform_flag_after_from() {
        let found = labels("FROM golang AS build\nFROM $0\n");
        assert_eq!(&found[..2], &["build", "--platform="]);
        assert!(labels("FROM $0 alpine\n").contains(&"--platform=".to_string()));
        assert!(!labels("FROM --platform=linux/amd64 $0\n").contains(&"--platform=".to_string()));
        assert!(!labels("FROM al$0\n").contains(&"--platform=".to_string()));
    }

    #[test]
    fn the_directive_being_edited_is_offered() {
        let found = complete("# esc$0ape=`\nFROM a\n");
        let labels: Vec<&str> = found.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(labels, vec!["syntax", "escape", "check"]);
        // The `=` is already there; the whole name is replaced.
        assert_eq!(found[1].insert, "escape");
        assert_eq!(found[1].replace, 2..8);
        // Another line's directive is still left out.
        assert_eq!(
            self::labels("# escape=`\n# s$0\nFROM a\n"),
            vec!["syntax", "check"]
        );
    }

    #[test]
    fn signals_arg_names_and_nothing_in_paths() {
        assert_eq!(labels("FROM a\nSTOPSIGNAL $0\n")[0], "SIGTERM");
        let found = labels("ARG VERSION=1\nFROM a\nARG $0\n");
        assert_eq!(found[0], "VERSION");
        assert!(found.contains(&"TARGETARCH".to_string()));
        assert!(labels("FROM a\nCOPY a $0\n").is_empty());
        assert!(labels("FROM a\nRUN apt-get $0\n").is_empty());
    }
}
