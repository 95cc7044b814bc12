//! The stage graph: build stages, their names and bases, the stages each one reads from
//! (`FROM <stage>`, `COPY --from`, `RUN --mount=from=`), and the `ARG`/`ENV` variables in
//! scope at every instruction, resolved with BuildKit's rules.

use std::collections::HashMap;

use super::expand::{self, Lexer};
use super::model::{Dockerfile, Instruction, Keyword, Word};
use super::mount::{Mount, MountKey};
use crate::text::Span;

/// ARGs BuildKit defines for every build; usable in `FROM` without a declaration, and inside a
/// stage once declared with `ARG NAME`.
pub const PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Proxy ARGs BuildKit passes to `RUN` without a declaration.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Whether `name` is one of BuildKit's predefined ARGs (platform or proxy).
pub fn is_predefined_arg(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name) || PROXY_ARGS.contains(&name)
}

/// Stage names BuildKit reserves.
pub const RESERVED_STAGE_NAMES: [&str; 2] = ["scratch", "context"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariableKind {
    /// `ARG` before the first `FROM`.
    GlobalArg,
    /// `ARG` inside a stage.
    Arg,
    Env,
    /// Defined by BuildKit (platform and proxy ARGs).
    Predefined,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// The value, once expanded; `None` when it has none or it cannot be known here.
    pub value: Option<String>,
    pub kind: VariableKind,
    /// The name where it is declared (`None` for predefined ones and inherited ENVs).
    pub definition: Option<Span>,
    /// The declaring instruction.
    pub instruction: Option<usize>,
}

/// Variables in scope at one point, later declarations shadowing earlier ones.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub variables: Vec<Variable>,
}

impl Scope {
    pub fn lookup(&self, name: &str) -> Option<&Variable> {
        self.variables
            .iter()
            .rev()
            .find(|variable| variable.name == name)
    }

    fn set(&mut self, variable: Variable) {
        self.variables.retain(|known| known.name != variable.name);
        self.variables.push(variable);
    }

    /// Expands `$VAR` references the way BuildKit expands instruction arguments: a variable
    /// that is not declared expands to nothing (its `${VAR:-default}` applies); one that is
    /// declared without a known value (an `ARG` without default, a platform ARG) stays as
    /// `${VAR}` and is listed in `unknown`.
    pub fn expand(&self, text: &str, escape: char) -> Result<Resolution, String> {
        // Nothing to expand, unquote or unescape: the common case, without the lexer.
        if !text.contains(['$', '\'', '"', escape]) {
            return Ok(Resolution {
                text: text.to_string(),
                unknown: Vec::new(),
                undefined: Vec::new(),
            });
        }
        let unknown = std::cell::RefCell::new(Vec::new());
        let lookup = |name: &str| match self.lookup(name) {
            Some(variable) => match &variable.value {
                Some(value) => Some(value.clone()),
                None => {
                    unknown.borrow_mut().push(name.to_string());
                    Some(format!("${{{name}}}"))
                }
            },
            None => None,
        };
        let expansion = expand::process(Lexer::new(escape), text, &lookup)?;
        let mut unknown = unknown.into_inner();
        unknown.dedup();
        Ok(Resolution {
            text: expansion.text,
            unknown,
            undefined: expansion.unmatched,
        })
    }

    /// Like [`Scope::expand`], but `None` when a variable's value cannot be known.
    pub fn resolve(&self, text: &str, escape: char) -> Option<String> {
        let resolution = self.expand(text, escape).ok()?;
        resolution.unknown.is_empty().then_some(resolution.text)
    }
}

/// The result of expanding variables in one word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub text: String,
    /// Declared variables whose value is not known here.
    pub unknown: Vec<String>,
    /// Variables used but never declared (they expand to nothing).
    pub undefined: Vec<String>,
}

/// What a stage's `FROM` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference, variables expanded.
    Image(String),
    /// `scratch`: an empty filesystem.
    Scratch,
    /// A variable with no known value.
    Unresolved(String),
}

/// How one stage reads from another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    From,
    CopyFrom,
    MountFrom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Stage(usize),
    /// A stage index or name that no stage has (BuildKit treats a name as an image).
    Missing(String),
    Image(String),
    /// A variable with no known value.
    Unresolved(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub kind: DependencyKind,
    pub target: Target,
    /// The reference as written (`builder` in `--from=builder`).
    pub span: Span,
    pub instruction: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the `FROM` instruction.
    pub from: usize,
    /// The instructions after `FROM` up to the next `FROM`.
    pub body: std::ops::Range<usize>,
    /// The name after `AS`, as written.
    pub name: Option<Word>,
    /// The name as BuildKit compares it (lower case).
    pub key: Option<String>,
    /// The image word as written.
    pub image: Option<Word>,
    pub platform: Option<Word>,
    pub base: Base,
    pub dependencies: Vec<Dependency>,
}

impl Stage {
    /// A label for people: the name, else the image, else the index.
    pub fn label(&self) -> String {
        match (&self.name, &self.image) {
            (Some(name), _) => name.text.to_string(),
            (None, Some(image)) => image.text.to_string(),
            (None, None) => format!("stage {}", self.index),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct StageGraph {
    pub stages: Vec<Stage>,
    /// Global ARGs (before the first FROM), with their values.
    pub global: Scope,
    /// Instructions before the first FROM.
    pub preamble: std::ops::Range<usize>,
    escape: char,
}

/// The `AS name` of a FROM, if the FROM has the three-argument form.
pub fn stage_name(instruction: &Instruction) -> Option<&Word> {
    match &instruction.values[..] {
        [_, keyword, name] if keyword.text.eq_ignore_ascii_case("as") => Some(name),
        _ => None,
    }
}

impl StageGraph {
    pub fn build(file: &Dockerfile) -> StageGraph {
        let instructions = &file.instructions;
        let first_from = instructions
            .iter()
            .position(|instruction| instruction.keyword == Keyword::From)
            .unwrap_or(instructions.len());
        let froms = instructions[first_from..]
            .iter()
            .filter(|instruction| instruction.keyword == Keyword::From)
            .count();
        let mut graph = StageGraph {
            // One per FROM, made at its size: the graph is rebuilt for every version.
            stages: Vec::with_capacity(froms),
            global: Scope::default(),
            preamble: 0..first_from,
            escape: file.escape,
        };
        for name in PLATFORM_ARGS {
            graph.global.set(Variable {
                name: name.to_string(),
                value: None,
                kind: VariableKind::Predefined,
                definition: None,
                instruction: None,
            });
        }
        for index in graph.preamble.clone() {
            let instruction = &instructions[index];
            if instruction.keyword == Keyword::Arg {
                let mut scope = graph.global.clone();
                declare_args(
                    &mut scope,
                    instruction,
                    index,
                    VariableKind::GlobalArg,
                    None,
                    file.escape,
                );
                graph.global = scope;
            }
        }
        let froms: Vec<usize> = (first_from..instructions.len())
            .filter(|index| instructions[*index].keyword == Keyword::From)
            .collect();
        // Names of the stages so far: a FROM may only name an earlier stage.
        let mut earlier: HashMap<String, usize> = HashMap::new();
        for (stage_index, from) in froms.iter().copied().enumerate() {
            let end = froms
                .get(stage_index + 1)
                .copied()
                .unwrap_or(instructions.len());
            let instruction = &instructions[from];
            let image = instruction.values.first().cloned();
            let name = stage_name(instruction).cloned();
            let platform = instruction.flag("platform").map(|flag| Word {
                text: flag.value.clone().unwrap_or_default(),
                span: flag.value_span.clone().unwrap_or(flag.span.clone()),
            });
            let base = match &image {
                None => Base::Unresolved(String::new()),
                Some(image) => graph.base_of(&image.text, &earlier),
            };
            let mut dependencies = Vec::new();
            if let (Base::Stage(parent), Some(image)) = (&base, &image) {
                dependencies.push(Dependency {
                    kind: DependencyKind::From,
                    target: Target::Stage(*parent),
                    span: image.span.clone(),
                    instruction: from,
                });
            }
            let key = name.as_ref().map(|name| name.text.as_str().to_lowercase());
            if let Some(key) = &key {
                earlier.insert(key.clone(), stage_index);
            }
            graph.stages.push(Stage {
                index: stage_index,
                from,
                body: from + 1..end,
                key,
                name,
                image,
                platform,
                base,
                dependencies,
            });
        }
        // References by name may point at any stage, so they are resolved once all exist; a
        // repeated name means its first stage.
        let names = graph.by_name();
        for stage_index in 0..graph.stages.len() {
            let body = graph.stages[stage_index].body.clone();
            let mut found = Vec::new();
            for index in body {
                let instruction = instructions[index].effective();
                let references = stage_references(instruction);
                if references.is_empty() {
                    continue;
                }
                // Only references with variables need the scope, which is costly to build.
                let needs_scope = references
                    .iter()
                    .any(|(_, reference)| reference.text.contains(['$', '\'', '"', file.escape]));
                let scope = if needs_scope {
                    graph.scope_at(file, index)
                } else {
                    Scope::default()
                };
                for (kind, reference) in references {
                    let target = graph.target_of(&reference.text, &scope, &names);
                    found.push(Dependency {
                        kind,
                        target,
                        span: reference.span.clone(),
                        instruction: index,
                    });
                }
            }
            graph.stages[stage_index].dependencies.extend(found);
        }
        graph
    }

    /// The stage a `FROM` word names (earlier stages only, as BuildKit requires), else the
    /// image it names once global ARGs are expanded.
    fn base_of(&self, text: &str, earlier: &HashMap<String, usize>) -> Base {
        let expanded = match self.global.resolve(text, self.escape) {
            Some(expanded) if !expanded.is_empty() => expanded,
            _ => return Base::Unresolved(text.to_string()),
        };
        let key = expanded.to_lowercase();
        if let Some(index) = earlier.get(&key) {
            return Base::Stage(*index);
        }
        if key == "scratch" {
            return Base::Scratch;
        }
        Base::Image(expanded)
    }

    fn target_of(&self, text: &str, scope: &Scope, names: &HashMap<String, usize>) -> Target {
        // A variable that is unknown here, or not declared at all, leaves the target open.
        let expanded = match scope.expand(text, self.escape) {
            Ok(resolution) if resolution.unknown.is_empty() && resolution.undefined.is_empty() => {
                resolution.text
            }
            _ => return Target::Unresolved(text.to_string()),
        };
        if let Ok(index) = expanded.parse::<usize>() {
            return match self.stages.get(index) {
                Some(_) => Target::Stage(index),
                None => Target::Missing(expanded),
            };
        }
        if let Some(index) = names.get(&expanded.to_lowercase()) {
            return Target::Stage(*index);
        }
        if looks_like_image(&expanded) {
            Target::Image(expanded)
        } else {
            Target::Missing(expanded)
        }
    }

    /// The global ARGs with build arguments applied, as BuildKit reads them for `FROM`: each
    /// global `ARG` in order, taking the value `argument` gives its name if any, else its
    /// default expanded with the ARGs before it. Arguments for names no global `ARG` declares
    /// change nothing (BuildKit ignores them in `FROM`).
    pub fn global_with(
        &self,
        file: &Dockerfile,
        argument: &dyn Fn(&str) -> Option<String>,
    ) -> Scope {
        let mut scope = Scope::default();
        for variable in &self.global.variables {
            if variable.kind == VariableKind::Predefined {
                scope.set(variable.clone());
            }
        }
        for index in self.preamble.clone() {
            let instruction = &file.instructions[index];
            if instruction.keyword != Keyword::Arg {
                continue;
            }
            for value in &instruction.values {
                let (name, default) = match value.text.split_once('=') {
                    Some((name, default)) => (name, Some(default)),
                    None => (value.text.as_str(), None),
                };
                let resolved = match argument(name) {
                    Some(given) => Some(given),
                    None => default.and_then(|default| scope.resolve(default, self.escape)),
                };
                scope.set(Variable {
                    name: name.to_string(),
                    value: resolved,
                    kind: VariableKind::GlobalArg,
                    definition: Some(value.span.start..value.span.start + name.len()),
                    instruction: Some(index),
                });
            }
        }
        scope
    }

    /// What the `FROM` word `text` of stage `stage` names when the global ARGs are `scope`
    /// (see [`StageGraph::global_with`]): an earlier stage, scratch or an image.
    pub fn base_in(&self, text: &str, scope: &Scope, stage: usize) -> Base {
        let expanded = match scope.resolve(text, self.escape) {
            Some(expanded) if !expanded.is_empty() => expanded,
            _ => return Base::Unresolved(text.to_string()),
        };
        let key = expanded.to_lowercase();
        let earlier = self.stages[..stage.min(self.stages.len())]
            .iter()
            .rev()
            .find(|candidate| candidate.key.as_deref() == Some(key.as_str()));
        if let Some(earlier) = earlier {
            return Base::Stage(earlier.index);
        }
        if key == "scratch" {
            return Base::Scratch;
        }
        Base::Image(expanded)
    }

    /// The stage that instruction `index` belongs to.
    pub fn stage_of(&self, index: usize) -> Option<&Stage> {
        // Stages are in document order: the last one starting at or before `index`.
        let after = self.stages.partition_point(|stage| stage.from <= index);
        let stage = self.stages.get(after.checked_sub(1)?)?;
        (index < stage.body.end).then_some(stage)
    }

    /// The variables visible to instruction `index` (for a FROM: the global ARGs).
    pub fn scope_at(&self, file: &Dockerfile, index: usize) -> Scope {
        let Some(stage) = self.stage_of(index) else {
            // Before the first FROM: the global ARGs declared so far.
            let mut scope = Scope::default();
            for variable in &self.global.variables {
                if variable.instruction.is_none_or(|at| at < index) {
                    scope.variables.push(variable.clone());
                }
            }
            return scope;
        };
        if stage.from == index {
            return self.global.clone();
        }
        let mut scope = self.inherited_env(file, stage);
        for name in PROXY_ARGS {
            scope.set(Variable {
                name: name.to_string(),
                value: None,
                kind: VariableKind::Predefined,
                definition: None,
                instruction: None,
            });
        }
        for at in stage.body.start..index {
            let instruction = &file.instructions[at];
            match instruction.keyword {
                Keyword::Arg => declare_args(
                    &mut scope,
                    instruction,
                    at,
                    VariableKind::Arg,
                    Some(&self.global),
                    self.escape,
                ),
                Keyword::Env => declare_env(&mut scope, instruction, at, self.escape),
                _ => {}
            }
        }
        scope
    }

    /// ENV variables a stage inherits from the stage it is based on.
    fn inherited_env(&self, file: &Dockerfile, stage: &Stage) -> Scope {
        let mut seen = vec![stage.index];
        let mut chain = Vec::new();
        let mut current = stage;
        while let Base::Stage(parent) = current.base {
            if seen.contains(&parent) {
                break;
            }
            seen.push(parent);
            chain.push(parent);
            current = &self.stages[parent];
        }
        let mut scope = Scope::default();
        for parent in chain.into_iter().rev() {
            let parent = &self.stages[parent];
            for at in parent.body.clone() {
                let instruction = &file.instructions[at];
                match instruction.keyword {
                    Keyword::Env => declare_env(&mut scope, instruction, at, self.escape),
                    // The parent's ARGs give its ENVs their values (`ARG DIR=/x` then
                    // `ENV DIR=$DIR`); only the ENVs are kept below.
                    Keyword::Arg => declare_args(
                        &mut scope,
                        instruction,
                        at,
                        VariableKind::Arg,
                        Some(&self.global),
                        self.escape,
                    ),
                    _ => {}
                }
            }
        }
        scope
            .variables
            .retain(|variable| variable.kind == VariableKind::Env);
        for variable in &mut scope.variables {
            variable.definition = None;
        }
        scope
    }

    /// The stages the final stage needs, transitively (the final stage included).
    pub fn reachable_from_last(&self) -> Vec<bool> {
        let mut reachable = vec![false; self.stages.len()];
        let Some(last) = self.stages.len().checked_sub(1) else {
            return reachable;
        };
        self.mark_reachable(last, &mut reachable);
        reachable
    }

    /// Marks `start` and every stage it depends on.
    pub fn mark_reachable(&self, start: usize, reachable: &mut [bool]) {
        let mut stack = vec![start];
        while let Some(index) = stack.pop() {
            if std::mem::replace(&mut reachable[index], true) {
                continue;
            }
            for dependency in &self.stages[index].dependencies {
                if let Target::Stage(target) = dependency.target
                    && !reachable[target]
                {
                    stack.push(target);
                }
            }
        }
    }

    /// Stages keyed by lower-case name (the first one when a name repeats).
    pub fn by_name(&self) -> HashMap<String, usize> {
        let mut names = HashMap::new();
        for stage in &self.stages {
            if let Some(key) = &stage.key {
                names.entry(key.clone()).or_insert(stage.index);
            }
        }
        names
    }
}

/// True when a `--from` value reads as an image reference rather than a stage name.
fn looks_like_image(text: &str) -> bool {
    text.contains([':', '/', '@', '.'])
}

/// The stage references of one instruction: `COPY --from=X` and `RUN --mount=...,from=X`.
pub fn stage_references(instruction: &Instruction) -> Vec<(DependencyKind, Word)> {
    let mut references = Vec::new();
    match instruction.keyword {
        Keyword::Copy | Keyword::Add => {
            for flag in instruction.flags_named("from") {
                if let (Some(value), Some(span)) = (&flag.value, &flag.value_span) {
                    references.push((
                        DependencyKind::CopyFrom,
                        Word {
                            text: value.clone(),
                            span: span.clone(),
                        },
                    ));
                }
            }
        }
        Keyword::Run => {
            // A value that cannot be located has no place to point a reference at.
            let located = instruction
                .flags_named("mount")
                .filter(|flag| flag.value_span.is_some());
            for flag in located {
                let mount = Mount::parse(instruction, flag);
                for field in mount.fields_named(MountKey::From) {
                    if let (Some(stage), Some(span)) = (&field.value, &field.value_span) {
                        references.push((
                            DependencyKind::MountFrom,
                            Word {
                                text: stage.as_ref().into(),
                                span: span.clone(),
                            },
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    references
}

/// Adds the ARGs of one instruction to `scope`. A stage ARG without a default takes the global
/// ARG's value, as BuildKit does.
fn declare_args(
    scope: &mut Scope,
    instruction: &Instruction,
    index: usize,
    kind: VariableKind,
    global: Option<&Scope>,
    escape: char,
) {
    for value in &instruction.values {
        let (name, default) = match value.text.split_once('=') {
            Some((name, default)) => (name, Some(default)),
            None => (value.text.as_str(), None),
        };
        let value_text = match default {
            Some(default) => scope.resolve(default, escape),
            None => global
                .and_then(|global| global.lookup(name))
                .filter(|global| global.kind == VariableKind::GlobalArg)
                .and_then(|global| global.value.clone()),
        };
        scope.set(Variable {
            name: name.to_string(),
            value: value_text,
            kind,
            definition: Some(value.span.start..value.span.start + name.len()),
            instruction: Some(index),
        });
    }
}

/// Adds the variables of one ENV instruction to `scope` (values expanded with what came before).
fn declare_env(scope: &mut Scope, instruction: &Instruction, index: usize, escape: char) {
    let before = scope.clone();
    for pair in instruction.values.chunks(2) {
        let [name, value] = pair else {
            continue;
        };
        let resolved = before.resolve(&value.text, escape);
        scope.set(Variable {
            name: name.text.to_string(),
            value: resolved,
            kind: VariableKind::Env,
            definition: Some(name.span.clone()),
            instruction: Some(index),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lower::lower;

    #[test]
    fn stages_bases_and_dependencies() {
        let text = "ARG BASE=alpine:3.20\nFROM $BASE AS Builder\nRUN x\nFROM builder AS test\nFROM scratch\nCOPY --from=builder /a /a\nRUN --mount=type=cache,target=/c,from=test true\nCOPY --from=0 /b /b\nCOPY --from=nginx:1 /c /c\n";
        let file = lower(text);
        let graph = StageGraph::build(&file);
        assert_eq!(graph.stages.len(), 3);
        assert_eq!(graph.stages[0].base, Base::Image("alpine:3.20".into()));
        assert_eq!(graph.stages[1].base, Base::Stage(0));
        assert_eq!(graph.stages[2].base, Base::Scratch);
        let targets: Vec<_> = graph.stages[2]
            .dependencies
            .iter()
            .map(|dependency| dependency.target.clone())
            .collect();
        assert_eq!(
            targets,
            vec![
                Target::Stage(0),
                Target::Stage(1),
                Target::Stage(0),
                Target::Image("nginx:1".into())
            ]
        );
        assert_eq!(graph.reachable_from_last(), vec![true, true, true]);
        // BuildKit reads mount keys in any case.
        let file = lower("FROM a AS one\nFROM b\nRUN --mount=FROM=one,target=/x true\n");
        let graph = StageGraph::build(&file);
        assert_eq!(graph.stages[1].dependencies[0].target, Target::Stage(0));
    }

    #[test]
    fn scopes_follow_buildkit() {
        let text = "ARG V=1\nARG U\nFROM a\nARG V\nENV P=/x:$V Q=${W:-d}\nRUN x\nFROM a\nRUN y\n";
        let file = lower(text);
        let graph = StageGraph::build(&file);
        let scope = graph.scope_at(&file, 5);
        assert_eq!(scope.lookup("V").unwrap().value.as_deref(), Some("1"));
        assert_eq!(scope.lookup("P").unwrap().value.as_deref(), Some("/x:1"));
        assert_eq!(scope.lookup("Q").unwrap().value.as_deref(), Some("d"));
        // A global ARG is not visible in a stage that does not re-declare it.
        let scope = graph.scope_at(&file, 7);
        assert!(scope.lookup("V").is_none());
        assert!(scope.lookup("HTTP_PROXY").is_some());
        // In FROM, the global ARGs and the platform ARGs are visible.
        let scope = graph.scope_at(&file, 2);
        assert!(scope.lookup("TARGETARCH").is_some());
        assert_eq!(scope.lookup("U").unwrap().value, None);
    }

    #[test]
    fn build_arguments_change_what_from_names() {
        let text = "ARG TAG=3.19\nARG BASE=alpine:$TAG\nARG OPEN\nFROM $BASE AS one\nFROM ${OPEN}\nFROM $STAGE\n";
        let file = lower(text);
        let graph = StageGraph::build(&file);
        let given = |name: &str| match name {
            "TAG" => Some("3.20".to_string()),
            "OPEN" => Some("one".to_string()),
            "STAGE" => Some("x".to_string()),
            _ => None,
        };
        let scope = graph.global_with(&file, &given);
        assert_eq!(
            graph.base_in("$BASE", &scope, 0),
            Base::Image("alpine:3.20".into())
        );
        assert_eq!(graph.base_in("${OPEN}", &scope, 1), Base::Stage(0));
        // Not declared: the argument does not reach FROM (the word reads as empty).
        assert_eq!(
            graph.base_in("$STAGE", &scope, 2),
            Base::Unresolved("$STAGE".into())
        );
        let none = graph.global_with(&file, &|_: &str| None);
        assert_eq!(
            graph.base_in("$BASE", &none, 0),
            Base::Image("alpine:3.19".into())
        );
    }

    #[test]
    fn inherited_envs_take_their_values_from_the_parents_args() {
        let text = "FROM a AS base
ARG DIR=/work
ENV DIR=$DIR
FROM base
WORKDIR $DIR
";
        let file = lower(text);
        let graph = StageGraph::build(&file);
        let scope = graph.scope_at(&file, 4);
        assert_eq!(scope.lookup("DIR").unwrap().value.as_deref(), Some("/work"));
        assert_eq!(scope.lookup("DIR").unwrap().kind, VariableKind::Env);
    }

    #[test]
    fn unresolved_and_missing_references() {
        let file = lower("FROM $IMG\nFROM a\nCOPY --from=buidler /a /a\nCOPY --from=7 /a /a\n");
        let graph = StageGraph::build(&file);
        assert_eq!(graph.stages[0].base, Base::Unresolved("$IMG".into()));
        let targets: Vec<_> = graph.stages[1]
            .dependencies
            .iter()
            .map(|dependency| dependency.target.clone())
            .collect();
        assert_eq!(
            targets,
            vec![
                Target::Missing("buidler".into()),
                Target::Missing("7".into())
            ]
        );
    }
}
