//! Hover: what the thing under the cursor is, in Markdown.

use crate::knowledge::catalog::{self, Certainty, ImageInfo};
use crate::knowledge::distros::{AS_OF, Date, Libc};
use crate::knowledge::images::ImageReference;
use crate::knowledge::instructions::{self, MountType, PredefinedArg};
use crate::knowledge::package_commands;
use crate::knowledge::package_managers::{self, ManagerId};
use crate::knowledge::stage_bases::{BaseKind, StageBase, stage_base};
use crate::lint;
use crate::syntax::stages::{DependencyKind, Target, Variable, VariableKind};
use crate::syntax::variables::{Declaration, Resolved};
use crate::syntax::{Base, Flag, Instruction, Keyword, Mount, SourceFile};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end && span.start < span.end
}

/// The hover at byte `offset`, if there is something to say; support status is judged on
/// `today` (the caller's clock, so analysis stays pure).
pub fn hover(source: &SourceFile, offset: usize, today: Date) -> Option<Hover> {
    hover_in(source, offset, today, None)
}

/// [`hover`] knowing the build context: a `COPY`/`ADD` source says what it matches there,
/// an `ARG` what the compose and bake builds set it to, a `FROM $BASE` what it reads as
/// under those build arguments.
pub fn hover_in(
    source: &SourceFile,
    offset: usize,
    today: Date,
    build: Option<&crate::workspace::BuildContext>,
) -> Option<Hover> {
    use crate::analysis::build_context;
    if let Some(build) = build
        && let Some((markdown, span)) = build_context::source_hover(source, offset, build)
    {
        return Some(Hover { markdown, span });
    }
    let arguments =
        |name: &str| build.and_then(|build| build.argument_value(name).map(str::to_string));
    let given = build.is_some_and(|build| build.builds.iter().any(|b| !b.args.is_empty()));
    let arguments = given.then_some(&arguments as crate::knowledge::stage_bases::Arguments);
    let mut found = hover_without_build(source, offset, today, arguments)?;
    if let Some(build) = build
        && let Some(name) = build_context::argument_at(source, offset)
        && let Some(more) = build_context::argument_markdown(build, &name)
    {
        found.markdown.push_str(&more);
    }
    Some(found)
}

fn hover_without_build(
    source: &SourceFile,
    offset: usize,
    today: Date,
    arguments: Option<crate::knowledge::stage_bases::Arguments>,
) -> Option<Hover> {
    if let Some(found) = directive_hover(source, offset) {
        return Some(found);
    }
    if let Some(found) = comment_hover(source, offset) {
        return Some(found);
    }
    let index = lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[index];
    // In a FROM, the image word's own hover says what its `$VAR` makes of the image.
    if instruction.keyword == Keyword::From
        && let Some(found) = from_hover(source, index, offset, today, arguments)
    {
        return Some(found);
    }
    if let Some(found) = variable_hover(source, index, offset) {
        return Some(found);
    }
    if let Some(found) = base_image_hover(source, index, offset, today, arguments) {
        return Some(found);
    }
    instruction_hover(instruction, offset).or_else(|| {
        instruction
            .onbuild
            .as_deref()
            .and_then(|inner| instruction_hover(inner, offset))
    })
}

fn instruction_hover(instruction: &Instruction, offset: usize) -> Option<Hover> {
    if contains(&instruction.keyword_word.span, offset) {
        return keyword_hover(instruction.keyword, instruction.keyword_word.span.clone());
    }
    for flag in &instruction.flags {
        if contains(&flag.span, offset) {
            return flag_hover(instruction, flag, offset);
        }
    }
    None
}

/// The documentation of an instruction keyword.
pub fn keyword_markdown(keyword: Keyword) -> Option<String> {
    let info = instructions::instruction(keyword)?;
    let mut markdown = format!(
        "```dockerfile\n{}\n```\n\n{}\n\n{}",
        info.syntax.join("\n"),
        info.summary,
        info.details
    );
    if !info.flags.is_empty() {
        markdown.push_str("\n\nOptions: ");
        let names: Vec<String> = info
            .flags
            .iter()
            .map(|flag| format!("`--{}`", flag.name))
            .collect();
        markdown.push_str(&names.join(", "));
    }
    Some(markdown)
}

fn keyword_hover(keyword: Keyword, span: Span) -> Option<Hover> {
    Some(Hover {
        markdown: keyword_markdown(keyword)?,
        span,
    })
}

fn mount_markdown(mount: &MountType) -> String {
    let mut markdown = format!("**`--mount=type={}`**\n\n{}\n", mount.name, mount.summary);
    for key in mount.keys {
        markdown.push_str(&format!("\n- `{}`: {}", key.name, key.summary));
    }
    markdown
}

fn flag_hover(instruction: &Instruction, flag: &Flag, offset: usize) -> Option<Hover> {
    let keyword = instruction.keyword;
    if keyword == Keyword::Run && flag.name == "mount" {
        let mount = Mount::parse(instruction, flag);
        if let Some(info) = instructions::mount_type(mount.kind().name()) {
            // Over one key: that key's documentation.
            let key = flag
                .value_span
                .is_some()
                .then(|| mount.field_at(offset))
                .flatten()
                .and_then(|field| {
                    let key = info.keys.iter().find(|key| key.name == field.name.name())?;
                    Some((key, field.span.clone()))
                });
            if let Some((key, span)) = key {
                return Some(Hover {
                    markdown: format!(
                        "**`{}`** (`--mount=type={}`)\n\n{}",
                        key.name, info.name, key.summary
                    ),
                    span,
                });
            }
            return Some(Hover {
                markdown: mount_markdown(info),
                span: flag.span.clone(),
            });
        }
    }
    let info = instructions::flag_info(keyword, &flag.name)?;
    let mut markdown = format!(
        "**`--{}{}`** ({})\n\n{}",
        info.name,
        if info.value.is_empty() {
            String::new()
        } else {
            format!(
                "={}",
                info.value
                    .trim_start_matches('[')
                    .trim_start_matches('=')
                    .trim_end_matches(']')
            )
        },
        keyword.name(),
        info.summary
    );
    if !info.values.is_empty() {
        markdown.push_str(&format!("\n\nValues: {}", code_list(info.values.iter())));
    }
    Some(Hover {
        markdown,
        span: flag.span.clone(),
    })
}

fn directive_hover(source: &SourceFile, offset: usize) -> Option<Hover> {
    let directive = source
        .file
        .directives
        .iter()
        .find(|directive| contains(&directive.span, offset))?;
    let info = instructions::directive(&directive.name)?;
    Some(Hover {
        markdown: format!(
            "**Parser directive `{}`**\n\n```dockerfile\n{}\n```\n\n{}",
            info.name, info.syntax, info.summary
        ),
        span: directive.span.clone(),
    })
}

/// Over a rule name in a suppression comment (`# hadolint ignore=DL3059`): the rule's docs.
fn comment_hover(source: &SourceFile, offset: usize) -> Option<Hover> {
    let comment = source
        .file
        .comments
        .iter()
        .find(|comment| contains(&comment.span, offset))?;
    let text = source.slice(&comment.span);
    let relative = offset - comment.span.start;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    // The word starts after the last character that is not part of a name, which may be wider
    // than one byte (`# 界DL3059`).
    let start = text[..relative]
        .char_indices()
        .rfind(|(_, c)| !is_name(*c))
        .map(|(at, c)| at + c.len_utf8())
        .unwrap_or(0);
    let end = text[relative..]
        .find(|c: char| !is_name(c))
        .map(|at| relative + at)
        .unwrap_or(text.len());
    let word = &text[start..end];
    let rule = lint::find_rule(word)?;
    Some(Hover {
        markdown: rule_markdown(rule),
        span: comment.span.start + start..comment.span.start + end,
    })
}

/// Hovers that read the image catalog and the stage graph: the image, stage or `$VAR` a
/// `FROM` names, the stage or image in `--from`, and a package-manager command in `RUN`.
fn base_image_hover(
    source: &SourceFile,
    index: usize,
    offset: usize,
    today: Date,
    arguments: Option<crate::knowledge::stage_bases::Arguments>,
) -> Option<Hover> {
    let instruction = source.instructions()[index].effective();
    match instruction.keyword {
        Keyword::From => from_hover(source, index, offset, today, arguments),
        Keyword::Copy | Keyword::Add => reference_hover(source, index, offset, today),
        Keyword::Run => reference_hover(source, index, offset, today)
            .or_else(|| package_manager_hover(source, index, offset)),
        _ => None,
    }
}

/// The 1-based line of a byte offset.
fn from_hover(
    source: &SourceFile,
    index: usize,
    offset: usize,
    today: Date,
    arguments: Option<crate::knowledge::stage_bases::Arguments>,
) -> Option<Hover> {
    let stage = source
        .stages
        .stages
        .iter()
        .find(|stage| stage.from == index)?;
    if let Some(name) = &stage.name
        && contains(&name.span, offset)
    {
        return Some(Hover {
            markdown: stage_markdown(source, stage.index),
            span: name.span.clone(),
        });
    }
    let word = stage.image.as_ref()?;
    if !contains(&word.span, offset) {
        return None;
    }
    let written = source.slice(&word.span);
    for (name, range) in
        crate::syntax::variables::dockerfile_references(written, source.file.escape)
    {
        let span = word.span.start + range.start..word.span.start + range.end;
        if contains(&span, offset) {
            return Some(Hover {
                markdown: variable_markdown(source, stage.index, &name),
                span,
            });
        }
    }
    if let Base::Stage(parent) = stage.base {
        return Some(Hover {
            markdown: stage_markdown(source, parent),
            span: word.span.clone(),
        });
    }
    let base = crate::knowledge::stage_bases::stage_base_in(source, stage.index, arguments)?;
    Some(Hover {
        markdown: base_markdown(source, &base, today),
        span: word.span.clone(),
    })
}

/// `COPY --from=<stage or image>` and `RUN --mount=...,from=<stage or image>`.
fn reference_hover(source: &SourceFile, index: usize, offset: usize, today: Date) -> Option<Hover> {
    let stage = source.stages.stage_of(index)?;
    let dependency = stage.dependencies.iter().find(|dependency| {
        dependency.instruction == index
            && dependency.kind != DependencyKind::From
            && contains(&dependency.span, offset)
    })?;
    let markdown = match &dependency.target {
        Target::Stage(target) => stage_markdown(source, *target),
        Target::Image(text) => {
            let reference = ImageReference::parse(text)?;
            let info = catalog::resolve(&reference);
            image_markdown(&reference, info.as_ref(), today)
        }
        Target::Missing(_) | Target::Unresolved(_) => return None,
    };
    Some(Hover {
        markdown,
        span: dependency.span.clone(),
    })
}

/// One line about what a stage runs on: `` `alpine:3.20` (Alpine Linux 3.20) · `apk` · musl ``.
fn environment_line(source: &SourceFile, base: &StageBase) -> String {
    let mut parts = vec![base.describe(source)];
    let Some(info) = base.info() else {
        if base.is_scratch() {
            parts.push("no shell, no package manager".to_string());
        }
        return parts.join(" · ");
    };
    if info.distro.is_some() {
        let managers = info.package_managers();
        parts.push(if managers.is_empty() {
            "no package manager".to_string()
        } else {
            code_list(
                managers
                    .iter()
                    .map(|id| package_managers::manager(*id).name),
            )
        });
        if let (Some(reference), Some(libc)) = (base.reference(), info.libc()) {
            let libc = catalog::libc_of(reference, info).unwrap_or(libc);
            if libc != Libc::Windows {
                parts.push(libc.name().to_string());
            }
        }
    }
    parts.join(" · ")
}

fn stage_markdown(source: &SourceFile, stage_index: usize) -> String {
    let Some(stage) = source.stages.stages.get(stage_index) else {
        return String::new();
    };
    let from = &source.instructions()[stage.from];
    let head = source.slice(&from.head_span());
    let first_line = head.lines().next().unwrap_or(head);
    let mut markdown = format!(
        "**Stage `{}`** (stage {}, line {})\n\n```dockerfile\n{first_line}\n```\n",
        stage.label(),
        stage.index,
        source.line_number(from.span.start)
    );
    if let Some(base) = stage_base(source, stage_index) {
        markdown.push_str(&format!("\nBuilt on {}\n", environment_line(source, &base)));
    }
    let mut users = Vec::new();
    for other in &source.stages.stages {
        for dependency in &other.dependencies {
            if dependency.target != Target::Stage(stage_index) {
                continue;
            }
            let how = match dependency.kind {
                DependencyKind::From => "`FROM`",
                DependencyKind::CopyFrom => "`--from`",
                DependencyKind::MountFrom => "`--mount from=`",
            };
            users.push(format!(
                "line {} ({how})",
                source.line_number(dependency.span.start)
            ));
        }
    }
    if !users.is_empty() {
        markdown.push_str(&format!("\nUsed on {}\n", users.join(", ")));
    }
    markdown
}

fn variable_markdown(source: &SourceFile, stage_index: usize, name: &str) -> String {
    let global = &source.stages.global;
    let mut markdown = match global.lookup(name) {
        Some(variable) if variable.kind == VariableKind::Predefined => format!(
            "**`${name}`** is set by BuildKit for every build (the {} platform, such as `linux/amd64`).\n",
            if name.starts_with("BUILD") {
                "build machine's"
            } else {
                "target"
            }
        ),
        Some(variable) => {
            let line = variable
                .definition
                .as_ref()
                .map(|span| format!(" on line {}", source.line_number(span.start)))
                .unwrap_or_default();
            match &variable.value {
                Some(value) => format!(
                    "**`${name}`** = `{value}`\n\nThe default of `ARG {name}`{line}; a build can override it with `--build-arg {name}=...`.\n"
                ),
                None => format!(
                    "**`${name}`** has no default (declared by `ARG {name}`{line}): the image is chosen at build time with `--build-arg {name}=...`.\n"
                ),
            }
        }
        None => format!(
            "**`${name}`** is not declared by an `ARG` before the first `FROM`: BuildKit expands it to an empty string.\n"
        ),
    };
    if let Some(base) = stage_base(source, stage_index) {
        markdown.push_str(&format!(
            "\n`FROM` reads as {}\n",
            environment_line(source, &base)
        ));
    }
    markdown
}

/// Over an `ARG`/`ENV` declaration or a `$NAME` that BuildKit or the shell expands: what the
/// variable is, its value at that point and where it is declared.
fn variable_hover(source: &SourceFile, index: usize, offset: usize) -> Option<Hover> {
    let instruction = &source.instructions()[index];
    if !matches!(instruction.keyword, Keyword::Arg | Keyword::Env)
        && !source.slice(&instruction.span).contains('$')
    {
        return None;
    }
    let variables = source.variables();
    if let Some(at) = variables.declaration_at(offset) {
        let declaration = &variables.declarations[at];
        return Some(Hover {
            markdown: declaration_markdown(source, declaration, None),
            span: declaration.span.clone(),
        });
    }
    let reference = variables.reference_at(offset)?;
    let markdown = match reference.resolved {
        Resolved::Declaration(at) => declaration_markdown(
            source,
            &variables.declarations[at],
            Some(reference.instruction),
        ),
        Resolved::Predefined => {
            predefined_markdown(instructions::predefined_arg(&reference.name)?, None)
        }
        Resolved::Unknown => unknown_variable_markdown(source, reference)?,
    };
    Some(Hover {
        markdown,
        span: reference.span.clone(),
    })
}

/// What a declaration gives its variable, as BuildKit resolves it.
enum DeclaredValue {
    Known(String),
    /// A stage `ARG NAME` that takes the global ARG's value; the global's line.
    FromGlobal(String, usize),
    /// `ARG NAME` without a default (and no global one).
    Unset,
    /// `ARG TARGETARCH` and friends in a stage.
    Predefined(&'static PredefinedArg),
    /// Written value, and the ARGs without a value it depends on.
    Open(String, Vec<String>),
}

/// The value `declaration` gives its variable. The scope before the declaring instruction is
/// [`StageGraph::scope_at`]'s; an `ARG` also sees the ARGs declared before it in the same
/// instruction, an `ENV` does not (BuildKit expands all of an `ENV` with the scope before it).
///
/// [`StageGraph::scope_at`]: crate::syntax::StageGraph::scope_at
fn declared_value(source: &SourceFile, declaration: &Declaration) -> DeclaredValue {
    let escape = source.file.escape;
    let instruction = &source.instructions()[declaration.instruction];
    let mut scope = source
        .stages
        .scope_at(&source.file, declaration.instruction);
    let expand = |scope: &crate::syntax::Scope, text: &str| match scope.expand(text, escape) {
        Ok(resolution) if resolution.unknown.is_empty() => DeclaredValue::Known(resolution.text),
        Ok(resolution) => DeclaredValue::Open(text.to_string(), resolution.unknown),
        Err(_) => DeclaredValue::Open(text.to_string(), Vec::new()),
    };
    if declaration.kind == VariableKind::Env {
        return instruction
            .values
            .chunks(2)
            .find(|pair| pair[0].span == declaration.span)
            .and_then(|pair| pair.get(1))
            .map(|value| expand(&scope, &value.text))
            .unwrap_or(DeclaredValue::Known(String::new()));
    }
    let global = &source.stages.global;
    for value in &instruction.values {
        let (name, default) = match value.text.split_once('=') {
            Some((name, default)) => (name, Some(default)),
            None => (value.text.as_str(), None),
        };
        let found = match default {
            Some(default) => expand(&scope, default),
            None if declaration.kind == VariableKind::GlobalArg => DeclaredValue::Unset,
            None => match global.lookup(name) {
                Some(variable) if variable.kind == VariableKind::Predefined => {
                    match instructions::predefined_arg(name) {
                        Some(info) => DeclaredValue::Predefined(info),
                        None => DeclaredValue::Unset,
                    }
                }
                Some(Variable {
                    value: Some(value),
                    definition: Some(definition),
                    ..
                }) => {
                    DeclaredValue::FromGlobal(value.clone(), source.line_number(definition.start))
                }
                _ => DeclaredValue::Unset,
            },
        };
        if value.span.start == declaration.span.start {
            return found;
        }
        scope.variables.push(Variable {
            name: name.to_string(),
            value: match found {
                DeclaredValue::Known(text) | DeclaredValue::FromGlobal(text, _) => Some(text),
                _ => None,
            },
            kind: declaration.kind,
            definition: Some(value.span.clone()),
            instruction: Some(declaration.instruction),
        });
    }
    DeclaredValue::Unset
}

/// A value in inline code, whatever backticks it holds.
fn inline_code(text: &str) -> String {
    if text.is_empty() {
        return "an empty string".to_string();
    }
    let mut fence = "`".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') || fence.len() > 1 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The hover of a variable declared by `declaration`, seen from instruction `from` (`None`
/// on the declaration itself).
fn declaration_markdown(
    source: &SourceFile,
    declaration: &Declaration,
    from: Option<usize>,
) -> String {
    let name = &declaration.name;
    let line = source.line_number(declaration.span.start);
    let global_line = source
        .stages
        .global
        .lookup(name)
        .filter(|variable| variable.kind == VariableKind::GlobalArg)
        .and_then(|variable| variable.definition.as_ref())
        .map(|span| source.line_number(span.start));
    let kind = match declaration.kind {
        VariableKind::GlobalArg => {
            format!("global build argument: `ARG` before the first `FROM`, declared on line {line}")
        }
        VariableKind::Arg => match global_line {
            Some(global) => format!(
                "build argument: `ARG` declared on line {line}, re-declaring the global `ARG {name}` of line {global}"
            ),
            None => format!("build argument: `ARG` declared on line {line}"),
        },
        _ => {
            let here = from.and_then(|at| source.stages.stage_of(at));
            let there = source.stages.stage_of(declaration.instruction);
            match (here, there) {
                (Some(here), Some(there)) if here.index != there.index => format!(
                    "environment variable: `ENV` declared on line {line} in stage `{}`, inherited here",
                    there.label()
                ),
                _ => format!("environment variable: `ENV` declared on line {line}"),
            }
        }
    };
    let mut markdown = format!("**`${name}`** — {kind}\n\n");
    let is_arg = declaration.kind != VariableKind::Env;
    let override_note = format!("`--build-arg {name}=...` overrides it");
    match declared_value(source, declaration) {
        DeclaredValue::Known(value) if is_arg => markdown.push_str(&format!(
            "Default: {} ({override_note}).\n",
            inline_code(&value)
        )),
        DeclaredValue::Known(value) => {
            markdown.push_str(&format!("Value: {}\n", inline_code(&value)));
        }
        DeclaredValue::FromGlobal(value, global) => markdown.push_str(&format!(
            "Value: {}, the default of the global `ARG` on line {global} ({override_note}).\n",
            inline_code(&value)
        )),
        DeclaredValue::Unset => markdown.push_str(&format!(
            "No default: set with `--build-arg {name}=...`; without it, it is empty.\n"
        )),
        DeclaredValue::Predefined(info) => {
            markdown.push_str(&predefined_markdown(info, Some(line)));
        }
        DeclaredValue::Open(written, unknown) => {
            let names: Vec<String> = unknown.iter().map(|name| format!("`${name}`")).collect();
            markdown.push_str(&format!("Value: {}", inline_code(&written)));
            if names.is_empty() {
                markdown.push('\n');
            } else {
                markdown.push_str(&format!(
                    ", with {} set only at build time.\n",
                    names.join(", ")
                ));
            }
        }
    }
    match declaration.kind {
        VariableKind::GlobalArg => markdown.push_str(&format!(
            "\nVisible in `FROM` lines; a stage sees it only after `ARG {name}`.\n"
        )),
        VariableKind::Env => markdown.push_str(
            "\nSet for the rest of the stage, the stages based on it, and the container at run time.\n",
        ),
        _ => {}
    }
    markdown
}

/// A predefined ARG; `declared` is the line of the stage's `ARG NAME` that brings it in.
fn predefined_markdown(info: &PredefinedArg, declared: Option<usize>) -> String {
    let mut markdown = match declared {
        Some(_) => String::new(),
        None => format!("**`${}`** — set by BuildKit\n\n", info.name),
    };
    markdown.push_str(info.summary);
    markdown.push('\n');
    if let Some(line) = declared {
        markdown.push_str(&format!(
            "\nSet by BuildKit; `ARG {}` on line {line} brings it into this stage.\n",
            info.name
        ));
    }
    markdown
}

/// A `$NAME` nothing declares before it: BuildKit expands it to nothing. A shell variable (in a
/// command) gets no hover, except a BuildKit ARG the stage did not bring in.
fn unknown_variable_markdown(
    source: &SourceFile,
    reference: &crate::syntax::variables::Reference,
) -> Option<String> {
    let name = &reference.name;
    let instruction = source.instructions()[reference.instruction].effective();
    let runtime = matches!(
        instruction.keyword,
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
    );
    let in_flag = instruction
        .flags
        .iter()
        .any(|flag| contains(&flag.span, reference.span.start));
    let shell = !in_flag && (runtime || instruction.keyword == Keyword::Run);
    let in_stage = source
        .stages
        .stage_of(reference.instruction)
        .is_some_and(|stage| stage.from != reference.instruction);
    if let Some(info) = instructions::predefined_arg(name) {
        if info.proxy && in_stage && !runtime {
            return Some(predefined_markdown(info, None));
        }
        if !info.proxy && in_stage && !runtime {
            return Some(format!(
                "**`${name}`** — set by BuildKit, but not in scope here: declare `ARG {name}` in this stage to use it; until then it is empty.\n\n{}\n",
                info.summary
            ));
        }
    }
    if shell {
        return None;
    }
    Some(format!(
        "**`${name}`** is not declared by an `ARG` or `ENV` before this point: BuildKit expands it to an empty string.\n"
    ))
}

/// The hover of a stage's base: the image (or scratch), reached through stages and ARGs.
fn base_markdown(source: &SourceFile, base: &StageBase, today: Date) -> String {
    match &base.kind {
        BaseKind::Scratch => scratch_markdown(),
        BaseKind::Image { reference, info } => {
            let mut markdown = String::new();
            let stage = &source.stages.stages[base.root];
            if let Some(word) = &stage.image
                && word.text.contains('$')
            {
                markdown.push_str(&format!(
                    "`{}` reads as `{}` (from `ARG` defaults; a build can override them).\n\n",
                    word.text,
                    reference.familiar()
                ));
            }
            markdown.push_str(&image_markdown(reference, info.as_deref(), today));
            markdown
        }
        BaseKind::Unresolved(text) => format!(
            "**`{text}`**: a build argument without a default chooses the image at build time, so its distribution is unknown here.\n"
        ),
        BaseKind::Invalid(text) => format!("**`{text}`** is not a valid image reference.\n"),
    }
}

fn scratch_markdown() -> String {
    let distro = crate::knowledge::distros::distro(crate::knowledge::distros::DistroId::Scratch);
    format!(
        "**`scratch`** — {}\n\n{}\n\n- **Shell:** none: only exec-form `RUN [\"...\"]` of a binary copied in works\n- **Package manager:** none\n\n[Documentation]({})\n",
        distro.name, distro.description, distro.homepage
    )
}

/// What the catalog knows about an image, in Markdown, with its support status on `today`.
pub fn image_markdown(reference: &ImageReference, info: Option<&ImageInfo>, today: Date) -> String {
    let name = reference.familiar();
    let Some(info) = info else {
        let mut markdown = format!(
            "**`{name}`** — not in the catalog: its distribution and package manager are unknown.\n"
        );
        if let Some(page) = crate::analysis::links::image_url(reference) {
            markdown.push_str(&format!("\n[Image page]({page})\n"));
        }
        return markdown;
    };
    if info
        .distro
        .is_some_and(|distro| distro.id == crate::knowledge::distros::DistroId::Scratch)
        && info
            .entry
            .is_none_or(|entry| entry.names.contains(&"scratch"))
    {
        return scratch_markdown();
    }
    let mut markdown = match info.entry {
        Some(entry) => format!("**`{name}`** — {}\n\n{}\n", entry.title, entry.description),
        None => format!(
            "**`{name}`** — not in the catalog; its name suggests {}.\n",
            info.distro_label().unwrap_or_default()
        ),
    };
    let mut facts = Vec::new();
    if let Some(distro) = info.distro {
        let mut text = info.distro_label().unwrap_or_default();
        if info.certainty == Certainty::Inferred && info.entry.is_some() {
            text.push_str(" (the image's default: the tag does not name a distribution)");
        } else if info.certainty == Certainty::Inferred {
            text.push_str(" (inferred from the name)");
        }
        facts.push(format!(
            "- **Distribution:** {text} — {}",
            distro.description
        ));
        let libc = catalog::libc_of(reference, info).unwrap_or(distro.libc);
        facts.push(format!("- **C library:** {}", libc.name()));
        facts.push(format!("- **`/bin/sh`:** {}", info.shell().name()));
        let managers = info.package_managers();
        facts.push(format!(
            "- **Package manager:** {}",
            if managers.is_empty() {
                "none".to_string()
            } else {
                code_list(
                    managers
                        .iter()
                        .map(|id| package_managers::manager(*id).name),
                )
            }
        ));
        facts.push(format!("- **Default user:** {}", distro.default_user));
        facts.push(format!("- **Support:** {}", support_text(info, today)));
    } else {
        facts.push(
            "- **Distribution:** not known for this tag; the catalog cannot tell from it"
                .to_string(),
        );
    }
    if let Some((runtime, line)) = info.runtime {
        let status = match line.end_of_life {
            Some(end) if end < today => {
                format!("**ended on {end}**: no more fixes, security ones included")
            }
            Some(end) => format!("supported until {end}"),
            None => "no end of life in the catalog".to_string(),
        };
        facts.push(format!(
            "- **{} {}:** {status} ([release lines]({}))",
            runtime.name, line.version, runtime.lifecycle_page
        ));
    }
    markdown.push('\n');
    markdown.push_str(&facts.join("\n"));
    markdown.push('\n');
    if let Some(first) = info.package_managers().first() {
        let manager = package_managers::manager(*first);
        markdown.push_str(&format!(
            "\nInstall and clean up in one layer (cache: {}):\n```dockerfile\nRUN {}\n```\n",
            code_list(manager.cache_paths.iter()),
            manager.install_example
        ));
    }
    let mut links = Vec::new();
    let page = info
        .entry
        .and_then(|entry| entry.page())
        .or_else(|| crate::analysis::links::image_url(reference));
    if let Some(page) = page {
        links.push(format!("[Image page]({page})"));
    }
    if let Some(homepage) = info
        .entry
        .map(|entry| entry.homepage)
        .filter(|page| !page.is_empty())
    {
        links.push(format!("[Homepage]({homepage})"));
    }
    if let Some(distro) = info.distro {
        links.push(format!("[{}]({})", distro.name, distro.homepage));
    }
    markdown.push_str(&format!(
        "\n{}\n\n*Catalog as of {AS_OF}.*\n",
        links.join(" · ")
    ));
    markdown
}

/// The support status of the image's release on `today`.
fn support_text(info: &ImageInfo, today: Date) -> String {
    let Some(distro) = info.distro else {
        return String::new();
    };
    let Some(release) = info.release else {
        if distro.rolling {
            return format!("rolling release. {}", distro.lifecycle);
        }
        return match &info.unlisted_version {
            Some(version) => format!(
                "release {version} is not in the catalog (newer than {AS_OF}, or mistyped). {}",
                distro.lifecycle
            ),
            None => format!(
                "the tag does not name a release: it moves with the image. {}",
                distro.lifecycle
            ),
        };
    };
    let mut text = match (release.support_until, release.extended_until) {
        (Some(until), _) if release.end_of_life().is_some_and(|end| end < today) => {
            let end = release.end_of_life().unwrap_or(until);
            format!("**ended on {end}**: no more security updates")
        }
        (Some(until), Some(extended)) if until < today => {
            format!("regular security support ended on {until}; long-term support until {extended}")
        }
        (Some(until), Some(extended)) => {
            format!("supported until {until}, long-term support until {extended}")
        }
        (Some(until), None) => format!("supported until {until}"),
        (None, _) => "no end of support in the catalog".to_string(),
    };
    if info.moving {
        text.push_str(&format!(
            " (the tag moves; today it is {} {})",
            distro.name,
            release.label()
        ));
    }
    if !release.note.is_empty() {
        text.push_str(". ");
        text.push_str(release.note);
    }
    text
}

/// Over a package-manager command in `RUN`: what it does here, the options worth passing,
/// and where its cache lives.
fn package_manager_hover(source: &SourceFile, index: usize, offset: usize) -> Option<Hover> {
    for run_script in source.scripts(index) {
        let script = &run_script.script;
        for command in script.commands() {
            let Some(call) = package_managers::call(command) else {
                continue;
            };
            let first = command.words.get(call.program)?;
            let last = call
                .subcommand
                .and_then(|at| command.words.get(at))
                .unwrap_or(first);
            let span = script.span(first.range.start..last.range.end);
            if !contains(&span, offset) {
                continue;
            }
            return Some(Hover {
                markdown: package_manager_markdown(source, index, &call),
                span,
            });
        }
    }
    None
}

fn package_manager_markdown(
    source: &SourceFile,
    index: usize,
    call: &package_managers::ManagerCall,
) -> String {
    let manager = call.manager;
    let subcommand = package_commands::subcommand(call);
    let shown = match call.subcommand() {
        "" => call.command.words[call.program].text.to_string(),
        name => format!("{} {name}", call.command.words[call.program].text),
    };
    let mut markdown = format!("**`{shown}`** ({})\n\n", manager.name);
    if let Some(subcommand) = subcommand {
        markdown.push_str(subcommand.summary);
        markdown.push_str("\n\n");
    }
    markdown.push_str(manager.summary);
    markdown.push('\n');
    if let Some(stage) = source.stages.stage_of(index)
        && let Some(base) = stage_base(source, stage.index)
    {
        markdown.push_str(&format!(
            "\n**Here:** {}\n",
            here_text(source, &base, manager.id)
        ));
    }
    if let Some(subcommand) = subcommand
        && !subcommand.recommended.is_empty()
    {
        markdown.push_str("\n**Recommended options:**\n");
        for recommendation in subcommand.recommended {
            let passed = package_commands::passes(call, recommendation.spellings);
            let status = match (passed, recommendation.optional) {
                (true, _) => " (passed)",
                (false, true) => "",
                (false, false) => " (**not passed**)",
            };
            markdown.push_str(&format!(
                "- `{}` — {}{status}\n",
                recommendation.spellings[0], recommendation.reason
            ));
        }
    }
    markdown.push_str(&format!(
        "\n**Cache:** {}. Clean it in the same `RUN` (`{}`) or keep it out of the layer with a cache mount:\n```dockerfile\nRUN {} \\\n    {}\n```\n",
        code_list(manager.cache_paths.iter()),
        manager.cleanup,
        manager.cache_mount,
        cached_install(manager)
    ));
    markdown
}

/// The install example without what a cache mount makes pointless: the cleanup (it would
/// empty the mount) and the option that disables the cache.
fn cached_install(manager: &package_managers::PackageManager) -> String {
    let mut example = manager
        .install_example
        .replace(&format!(" && {}", manager.cleanup), "");
    if let Some(option) = manager.no_cache_option {
        example = example.replace(&format!(" {option}"), "");
    }
    example
}

/// Whether a language package manager comes with the image or has to be installed.
fn language_here_text(described: &str, info: &ImageInfo, manager: ManagerId) -> String {
    let name = package_managers::manager(manager).name;
    let runtime = info.entry.and_then(|entry| entry.runtime);
    let ships = match manager {
        ManagerId::Pip => {
            runtime == Some(crate::knowledge::runtimes::RuntimeId::Python)
                || info
                    .entry
                    .is_some_and(|entry| entry.names.contains(&"pypy"))
        }
        ManagerId::Npm | ManagerId::Yarn => {
            runtime == Some(crate::knowledge::runtimes::RuntimeId::Node)
        }
        _ => false,
    };
    if ships {
        return format!("this stage is built on {described}, which comes with `{name}`.");
    }
    match info.package_managers().first() {
        Some(own) => format!(
            "this stage is built on {described}, which does not come with `{name}`: install it with `{}` first, or start from an image that has it.",
            package_managers::manager(*own).name
        ),
        None if info
            .distro
            .is_some_and(|distro| distro.family == crate::knowledge::distros::Family::Windows) =>
        {
            format!("this stage is built on {described}; `{name}` has to be installed first.")
        }
        None => format!(
            "this stage is built on {described}, which has no package manager to install `{name}` with."
        ),
    }
}

/// Whether the stage's image has the manager.
fn here_text(source: &SourceFile, base: &StageBase, manager: ManagerId) -> String {
    let described = base.describe(source);
    let Some(info) = base.info() else {
        return match base.kind {
            BaseKind::Scratch => format!("this stage is built on {described}: nothing can run."),
            _ => format!(
                "this stage is built on {described}; the catalog cannot tell which package managers it has."
            ),
        };
    };
    if info.distro.is_none() {
        return format!(
            "this stage is built on {described}; the catalog cannot tell which package managers it has."
        );
    }
    let wanted = package_managers::manager(manager);
    let name = wanted.name;
    if !wanted.system {
        return language_here_text(&described, info, manager);
    }
    if info.may_have(manager) {
        return format!("this stage is built on {described}, which has `{name}`.");
    }
    match info.package_managers().first() {
        Some(own) => {
            let own = package_managers::manager(*own);
            format!(
                "this stage is built on {described}, which does not have `{name}`: use `{}` (`{}`).",
                own.name, own.install_example
            )
        }
        None if !package_managers::manager(manager).system => format!(
            "this stage is built on {described}, which has no package manager to install `{name}` with."
        ),
        None => format!("this stage is built on {described}, which has no package manager."),
    }
}

/// A rule's documentation for hovers and `dockerfile-ls rule NAME`.
pub fn rule_markdown(rule: &lint::Rule) -> String {
    let aliases = if rule.aliases.is_empty() {
        String::new()
    } else {
        format!(" (hadolint: {})", rule.aliases.join(", "))
    };
    let default = if rule.on_by_default {
        format!("Default severity: {}.", rule.severity.name())
    } else {
        format!(
            "Off by default: give it a level in the configuration to turn it on (severity {} then).",
            rule.severity.name()
        )
    };
    format!(
        "# {}{}\n\n{}. {default}\n\n{}",
        rule.name, aliases, rule.summary, rule.documentation
    )
}

/// `a`, `b`, `c`: items as inline code, comma-separated.
fn code_list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(text: &str) -> Option<Hover> {
        let offset = text.find("$0").expect("cursor");
        let text = text.replacen("$0", "", 1);
        hover(&SourceFile::parse(&text), offset, AS_OF)
    }

    /// The hovered text and the Markdown, with support judged on the catalog's date so the
    /// snapshots do not age.
    fn snapshot(text: &str) -> String {
        let offset = text.find("$0").expect("cursor");
        let text = text.replacen("$0", "", 1);
        let found = hover(&SourceFile::parse(&text), offset, AS_OF).expect("a hover");
        format!("hovered: {}\n\n{}", &text[found.span], found.markdown)
    }

    #[test]
    fn image_hovers() {
        insta::assert_snapshot!("image_alpine", snapshot("FROM alpine:3$0.22\n"));
        insta::assert_snapshot!(
            "image_language_default",
            snapshot("FROM --platform=$BUILDPLATFORM python:3.1$04 AS build\n")
        );
        insta::assert_snapshot!(
            "image_language_tagged",
            snapshot("FROM node:20-alpi$0ne3.20\n")
        );
        insta::assert_snapshot!("image_end_of_life", snapshot("FROM centos:$07\n"));
        insta::assert_snapshot!(
            "image_minimal",
            snapshot("FROM registry.access.redhat.com/ubi9/ubi-mini$0mal:9.4\n")
        );
        insta::assert_snapshot!(
            "image_distroless",
            snapshot("FROM gcr.io/distroless/static-$0debian12:nonroot\n")
        );
        insta::assert_snapshot!("image_unknown", snapshot("FROM ghcr.io/owner/a$0pp:1.0\n"));
        insta::assert_snapshot!("image_scratch", snapshot("FROM scr$0atch\n"));
        insta::assert_snapshot!(
            "image_windows",
            snapshot("FROM mcr.microsoft.com/windows/nanoserver:ltsc$02022\n")
        );
    }

    #[test]
    fn stage_and_variable_hovers() {
        let stages = "FROM golang:1.22-alpine AS builder\nRUN go build\nFROM builder AS test\nFROM scratch\nCOPY --from=builder /app /app\n";
        let at = |marker: &str| {
            stages.replacen(marker, &format!("{}$0{}", &marker[..3], &marker[3..]), 1)
        };
        insta::assert_snapshot!("stage_in_from", snapshot(&at("builder AS test")));
        insta::assert_snapshot!("stage_in_copy_from", snapshot(&at("builder /app")));
        insta::assert_snapshot!("stage_name", snapshot(&at("builder\nRUN")));
        insta::assert_snapshot!(
            "variable_with_default",
            snapshot("ARG BASE=alpine:3.20\nFROM $BA$0SE AS base\n")
        );
        insta::assert_snapshot!(
            "variable_without_default",
            snapshot("ARG IMAGE\nFROM ${IMA$0GE}\n")
        );
        insta::assert_snapshot!(
            "image_through_variable",
            snapshot("ARG TAG=3.20\nFROM alp$0ine:$TAG\n")
        );
        insta::assert_snapshot!(
            "image_in_copy_from",
            snapshot("FROM alpine:3.22\nCOPY --from=nginx:1.2$07-alpine /etc/nginx /etc/nginx\n")
        );
    }

    #[test]
    fn package_manager_hovers() {
        insta::assert_snapshot!(
            "apk_add",
            snapshot("FROM alpine:3.22\nRUN apk a$0dd curl\n")
        );
        insta::assert_snapshot!(
            "apt_get_mismatch",
            snapshot("FROM alpine:3.22\nRUN apt-g$0et install -y curl\n")
        );
        insta::assert_snapshot!(
            "apt_get_install",
            snapshot(
                "FROM debian:trixie\nRUN apt-get update && apt-get ins$0tall -y --no-install-recommends curl\n"
            )
        );
        insta::assert_snapshot!(
            "pip_install",
            snapshot("FROM python:3.14-slim\nRUN pip in$0stall -r requirements.txt\n")
        );
        // Not on a package manager: the instruction's own hover, or nothing.
        assert!(hover_at("FROM alpine\nRUN ech$0o hi\n").is_none());
    }

    #[test]
    fn keywords_flags_and_mount_keys() {
        let found = hover_at("FROM alpine\nR$0UN --mount=type=cache,target=/x true\n").unwrap();
        assert!(found.markdown.contains("RUN [OPTIONS] <command>"));
        let found =
            hover_at("FROM alpine\nRUN --mount=type=cache,sha$0ring=locked true\n").unwrap();
        assert!(found.markdown.contains("`locked`"), "{}", found.markdown);
        // Aliases and upper-case keys read as BuildKit reads them.
        let found = hover_at("FROM alpine\nRUN --mount=type=cache,D$0st=/x true\n").unwrap();
        assert!(
            found.markdown.starts_with("**`target`**"),
            "{}",
            found.markdown
        );
        let found = hover_at("FROM alpine\nRUN --mo$0unt=type=secret,id=x true\n").unwrap();
        assert!(found.markdown.contains("type=secret"));
        let found = hover_at("FROM alpine\nCOPY --li$0nk a b\n").unwrap();
        assert!(found.markdown.contains("--link"));
        let found = hover_at("FROM alpine\nONBUILD CO$0PY a b\n").unwrap();
        assert!(found.markdown.starts_with("```dockerfile\nCOPY"));
    }

    #[test]
    fn variable_declarations_and_references() {
        insta::assert_snapshot!(
            "variable_arg_redeclared",
            snapshot("ARG VERSION=1.2\nFROM alpine\nARG VER$0SION\nRUN echo $VERSION\n")
        );
        insta::assert_snapshot!(
            "variable_env_reference",
            snapshot("FROM alpine\nENV APP=/srv/app\nWORKDIR ${AP$0P:-/x}\n")
        );
        insta::assert_snapshot!(
            "variable_arg_without_default",
            snapshot("FROM alpine\nARG TOKEN\nRUN echo $TO$0KEN\n")
        );
        insta::assert_snapshot!(
            "variable_predefined",
            snapshot("FROM alpine\nRUN curl --proxy \"$HTTPS_PR$0OXY\" x\n")
        );
        let markdown = |fixture: &str| hover_at(fixture).map(|found| found.markdown);
        // ENV, legacy and `=` forms, declaration and references in any instruction.
        let found = markdown("FROM a\nENV HOME_DIR /ho$0me/app\n");
        assert!(found.is_none(), "{found:?}");
        let found = markdown("FROM a\nENV HOME$0_DIR /home/app\n").unwrap();
        assert!(found.contains("`ENV` declared on line 2"), "{found}");
        assert!(found.contains("Value: `/home/app`"), "{found}");
        for instruction in [
            "USER $NA$0ME",
            "COPY a /$NA$0ME/",
            "LABEL x=${NA$0ME}",
            "RUN echo \"$NA$0ME\"",
            "CMD echo $NA$0ME",
        ] {
            let fixture = format!("FROM a\nENV NAME=app\n{instruction}\n");
            let found = markdown(&fixture).unwrap_or_default();
            assert!(found.contains("Value: `app`"), "{instruction}: {found}");
        }
        // A stage ARG's value from the global ARG; a default that reads earlier ARGs and ENVs.
        let found = markdown("ARG A=1\nFROM a\nARG A\nENV B=$A-x\nRUN echo $$0B\n").unwrap();
        assert!(found.contains("Value: `1-x`"), "{found}");
        let found = markdown("FROM a\nARG A=1 B=${A}2\nRUN echo $B$0\n").unwrap();
        assert!(found.contains("Default: `12`"), "{found}");
        let found = markdown("FROM a\nARG A=1 B$0=${A}2\n").unwrap();
        assert!(found.contains("Default: `12`"), "{found}");
        // An ENV inherited from the parent stage.
        let found = markdown("FROM a AS base\nENV P=/opt\nFROM base\nRUN ls $P$0\n").unwrap();
        assert!(found.contains("in stage `base`, inherited here"), "{found}");
        // Depends on an ARG without a default.
        let found = markdown("FROM a\nARG V\nENV W=v$V\nRUN echo $W$0\n").unwrap();
        assert!(found.contains("Value: `v$V`"), "{found}");
        assert!(found.contains("`$V` set only at build time"), "{found}");
        // Heredoc bodies where variables expand.
        let found = markdown("FROM a\nENV N=1\nRUN <<EOF\necho $N$0\nEOF\n").unwrap();
        assert!(found.contains("Value: `1`"), "{found}");
        let found = markdown("FROM a\nENV N=1\nCOPY <<EOF /x\n$N$0\nEOF\n").unwrap();
        assert!(found.contains("Value: `1`"), "{found}");
        assert!(markdown("FROM a\nENV N=1\nCOPY <<'EOF' /x\n$N$0\nEOF\n").is_none());
        // Predefined ARGs: the platform ones in FROM and once declared, every proxy one.
        let found = markdown("FROM --platform=$BUILDPL$0ATFORM a\n").unwrap();
        assert!(found.contains("machine running the build"), "{found}");
        let found = markdown("FROM a\nARG TARGET$0ARCH\n").unwrap();
        assert!(found.contains("Set by BuildKit; `ARG TARGETARCH` on line 2"));
        let found = markdown("FROM a\nRUN echo $TARGETOS$0\n").unwrap();
        assert!(found.contains("declare `ARG TARGETOS`"), "{found}");
        for proxy in instructions::PREDEFINED_ARGS.iter().filter(|arg| arg.proxy) {
            let fixture = format!("FROM a\nRUN echo ${}$0\n", proxy.name);
            let found = markdown(&fixture).unwrap_or_default();
            assert!(found.contains("proxy setting"), "{}: {found}", proxy.name);
        }
        // Undeclared: empty for BuildKit; the shell's own variables get nothing.
        let found = markdown("FROM a\nWORKDIR /$NOPE$0\n").unwrap();
        assert!(found.contains("expands it to an empty string"), "{found}");
        assert!(markdown("FROM a\nRUN for f in *; do echo $f$0; done\n").is_none());
        assert!(markdown("FROM a\nARG A=1\nCMD echo $A$0\n").is_none());
        // Escaped, `$$` and single quotes are no reference.
        assert!(markdown("FROM a\nENV N=1\nRUN echo \\$N$0\n").is_none());
        assert!(markdown("FROM a\nENV N=1\nRUN echo $$N$0\n").is_none());
        assert!(markdown("FROM a\nENV N=1\nRUN echo '$N$0'\n").is_none());
        assert!(markdown("# escape=`\nFROM a\nENV N=1\nWORKDIR `$N$0\n").is_none());
        let found = markdown("# escape=`\nFROM a\nENV N=1\nWORKDIR \\$N$0\n").unwrap();
        assert!(found.contains("Value: `1`"), "{found}");
    }

    /// Hovers a `$NAME` of a corpus file, found by its 1-based line and text.
    fn corpus_hover(file: &str, line: usize, needle: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/dockerfiles")
            .join(file);
        let text = std::fs::read_to_string(&path).expect("the corpus is in ../shared/corpus");
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let at = line_start + text[line_start..].find(needle).expect("on that line");
        let offset = at + needle.find(|c: char| c.is_ascii_alphabetic()).unwrap() + 1;
        hover(&SourceFile::parse(&text), offset, AS_OF)
            .expect("a hover")
            .markdown
    }

    #[test]
    fn variables_of_corpus_files() {
        let found = corpus_hover("php__8.3__bookworm__fpm__Dockerfile", 58, "$PHP_CFLAGS");
        assert!(
            found.contains(
                "Value: `-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64`"
            ),
            "{found}"
        );
        assert!(found.contains("declared on line 57"), "{found}");
        let found = corpus_hover("argo-cd__Dockerfile", 19, "${GIT_APT_VERSION}");
        assert!(found.contains("Default: `1:2.47.3-0+deb13u1`"), "{found}");
        assert!(found.contains("declared on line 12"), "{found}");
        let found = corpus_hover("argo-cd__Dockerfile", 50, "$ARGOCD_USER_ID");
        assert!(found.contains("Value: `999`"), "{found}");
        assert!(found.contains("declared on line 44"), "{found}");
    }

    #[test]
    fn directives_and_rule_names_in_comments() {
        let found = hover_at("# esc$0ape=`\nFROM a\n").unwrap();
        assert!(found.markdown.contains("escape"));
        let found = hover_at("FROM a\n# hadolint ignore=DL4$0000\nMAINTAINER x\n").unwrap();
        assert!(found.markdown.starts_with("# MaintainerDeprecated"));
        assert!(hover_at("FROM a\n# just$0 words\n").is_none());
    }

    #[test]
    fn a_rule_name_after_a_wide_character_in_a_comment() {
        // Each cursor right after a multi-byte character, and the name that follows one.
        for text in [
            "FROM a\n# ignore=é$0\n",
            "FROM a\n# 😀$0\n",
            "FROM a\n# hadolint ignore=界$0DL4000\n",
            "FROM a\n# hadolint ignore=界DL4$0000\n",
        ] {
            let found = hover_at(text);
            if text.contains("DL4") {
                let found = found.expect("a hover");
                assert!(
                    found.markdown.starts_with("# MaintainerDeprecated"),
                    "{text}"
                );
                let cleaned = text.replacen("$0", "", 1);
                assert_eq!(&cleaned[found.span], "DL4000");
            } else {
                assert!(found.is_none(), "{text}");
            }
        }
    }
}
