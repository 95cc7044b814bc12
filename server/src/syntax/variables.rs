//! Every `ARG`/`ENV` declaration and every `$NAME`/`${NAME}` reference of a document, each
//! reference resolved with BuildKit's scoping, in one pass over the file.
//!
//! The scoping is [`StageGraph::scope_at`]'s, computed stage by stage instead of per
//! instruction: global ARGs are visible in `FROM` lines (with the platform ARGs), a stage sees
//! the ENVs of the stage it is based on, its own ARG and ENV declarations from where they are
//! made, and the proxy ARGs; a later declaration of a name shadows an earlier one.
//!
//! References are found where something expands them: BuildKit in the arguments and flags of
//! most instructions (and in `COPY`/`ADD` heredocs with an unquoted delimiter), the shell in
//! `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK` commands and in the heredocs a `RUN` hands to
//! it. At run time only ENVs exist, so `CMD`/`ENTRYPOINT`/`HEALTHCHECK` never reference an ARG.
//!
//! References in Dockerfile words are found by BuildKit's own lexer ([`expand::references`]);
//! references in shell text by [`shell_references`], which knows what the shell does not
//! expand (`$(...)`, `#` comments, `$$`).
//!
//! The index is built once per version and kept on the [`SourceFile`]:
//! [`SourceFile::variables`].
//!
//! [`StageGraph::scope_at`]: crate::syntax::StageGraph::scope_at

use std::collections::HashMap;
use std::ops::Range;

use super::expand;
use super::stages::{PLATFORM_ARGS, PROXY_ARGS, VariableKind};
use super::{Base, Instruction, Keyword, ScriptOrigin, SourceFile};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub name: String,
    /// The name where it is declared.
    pub span: Span,
    pub instruction: usize,
    pub kind: VariableKind,
    /// `ARG NAME=default` or any ENV; false for `ARG NAME`.
    pub has_value: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Declaration number N.
    Declaration(usize),
    /// A platform or proxy ARG BuildKit defines without a declaration.
    Predefined,
    /// Nothing by that name is in scope (it expands to nothing, or it is the shell's own).
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// The name, without `$`, `{` or modifiers.
    pub span: Span,
    pub instruction: usize,
    pub resolved: Resolved,
}

/// Declarations and references of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VariableIndex {
    pub declarations: Vec<Declaration>,
    /// In document order.
    pub references: Vec<Reference>,
    /// Union-find parents: declarations that must be renamed together share a root.
    parents: Vec<usize>,
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The ranges of the names a shell expands in script `text` (`$NAME`, `${NAME}`, `${NAME:-x}`,
/// `${#NAME}`), outside single quotes and not escaped (with `\\`, and with the `# escape=`
/// character too, which BuildKit leaves in the script). `#` comments, `$(...)`, `$$` and the
/// positional and special parameters reference nothing.
pub fn shell_references(text: &str, escape: char) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let escape = if escape.is_ascii() {
        escape as u8
    } else {
        b'\\'
    };
    let mut found = Vec::new();
    let mut single = false;
    let mut double = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if single {
            single = byte != b'\'';
            index += 1;
            continue;
        }
        // The shell escapes with `\` whatever `# escape=` says.
        if byte == escape || byte == b'\\' {
            index += 2;
            continue;
        }
        match byte {
            b'\'' if !double => single = true,
            b'"' => double = !double,
            b'#' if !double && (index == 0 || bytes[index - 1].is_ascii_whitespace()) => {
                index = memchr::memchr(b'\n', &bytes[index..])
                    .map(|at| index + at)
                    .unwrap_or(bytes.len());
                continue;
            }
            b'$' => {
                let mut start = index + 1;
                if bytes.get(start) == Some(&b'{') {
                    start += 1;
                    if matches!(bytes.get(start), Some(b'#' | b'!')) {
                        start += 1;
                    }
                }
                if bytes.get(start).copied().is_some_and(is_name_start) {
                    let mut end = start + 1;
                    while bytes.get(end).copied().is_some_and(is_name_byte) {
                        end += 1;
                    }
                    found.push(start..end);
                    index = end;
                    continue;
                }
                if bytes.get(index + 1) == Some(&b'$') {
                    index += 2;
                    continue;
                }
            }
            _ => {}
        }
        index += 1;
    }
    found
}

/// The variables a Dockerfile word references, as BuildKit's lexer finds them: each name with
/// the range of the whole reference, `$NAME`, or `${NAME:-default}` up to its closing brace.
pub fn dockerfile_references(text: &str, escape: char) -> Vec<(String, Range<usize>)> {
    expand::references(text, escape)
        .into_iter()
        .map(|reference| (reference.name, reference.range))
        .collect()
}

/// The ranges of the names Dockerfile word `text` references (see [`expand::references`]).
fn dockerfile_names(text: &str, escape: char) -> impl Iterator<Item = Range<usize>> {
    expand::references(text, escape)
        .into_iter()
        .map(|reference| reference.name_range)
}

/// Scope while walking a stage: name → declaration, the latest declaration winning.
#[derive(Clone, Default)]
struct Scope {
    names: HashMap<String, usize>,
}

impl VariableIndex {
    /// Builds the index of `source`.
    pub fn build(source: &SourceFile) -> VariableIndex {
        let mut index = VariableIndex::default();
        let file = &source.file;
        let instructions = &file.instructions;
        let graph = &source.stages;
        // Global ARGs: visible to later global ARG defaults and to every FROM.
        let mut global = Scope::default();
        let mut arg_by_name: HashMap<String, usize> = HashMap::new();
        for at in graph.preamble.clone() {
            let instruction = &instructions[at];
            index.scan(source, at, instruction, &mut global, true);
        }
        for at in 0..index.declarations.len() {
            let name = index.declarations[at].name.clone();
            match arg_by_name.get(&name) {
                Some(&first) => index.union(first, at),
                None => {
                    arg_by_name.insert(name, at);
                }
            }
        }
        // The ENVs each stage ends with, for the stages based on it.
        let mut final_env: Vec<Scope> = Vec::with_capacity(graph.stages.len());
        for stage in &graph.stages {
            let from = &instructions[stage.from];
            index.scan(source, stage.from, from, &mut global.clone(), false);
            let mut scope = match stage.base {
                Base::Stage(parent) if parent < final_env.len() => final_env[parent].clone(),
                _ => Scope::default(),
            };
            let inherited = scope.clone();
            let first_own = index.declarations.len();
            for at in stage.body.clone() {
                index.scan(source, at, &instructions[at], &mut scope, false);
            }
            // Rename families: a name declared again in the same stage, or again in a stage
            // based on one that set it, is the same variable; so is every ARG of one name
            // (they all take `--build-arg NAME`).
            let mut in_stage: HashMap<String, usize> = HashMap::new();
            for own in first_own..index.declarations.len() {
                let name = index.declarations[own].name.clone();
                if let Some(&first) = in_stage.get(&name) {
                    index.union(first, own);
                } else {
                    in_stage.insert(name.clone(), own);
                }
                if let Some(&parent) = inherited.names.get(&name) {
                    index.union(parent, own);
                }
                if index.declarations[own].kind == VariableKind::Arg {
                    match arg_by_name.get(&name) {
                        Some(&first) => index.union(first, own),
                        None => {
                            arg_by_name.insert(name, own);
                        }
                    }
                }
            }
            scope.names.retain(|_, declaration| {
                index.declarations[*declaration].kind == VariableKind::Env
            });
            final_env.push(scope);
        }
        index
    }

    fn root(&self, mut declaration: usize) -> usize {
        while self.parents[declaration] != declaration {
            declaration = self.parents[declaration];
        }
        declaration
    }

    fn union(&mut self, one: usize, other: usize) {
        let (one, other) = (self.root(one), self.root(other));
        if one != other {
            self.parents[other.max(one)] = one.min(other);
        }
    }

    /// True when the two declarations are one variable for renaming.
    pub fn same_variable(&self, one: usize, other: usize) -> bool {
        self.root(one) == self.root(other)
    }

    fn declare(&mut self, declaration: Declaration, scope: &mut Scope) {
        let id = self.declarations.len();
        scope.names.insert(declaration.name.clone(), id);
        self.declarations.push(declaration);
        self.parents.push(id);
    }

    fn resolve(&self, name: &str, scope: &Scope, predefined: &[&str]) -> Resolved {
        match scope.names.get(name) {
            Some(declaration) => Resolved::Declaration(*declaration),
            None if predefined.contains(&name) => Resolved::Predefined,
            None => Resolved::Unknown,
        }
    }

    /// Records the references of instruction `at` under `scope`, then its declarations.
    fn scan(
        &mut self,
        source: &SourceFile,
        at: usize,
        instruction: &Instruction,
        scope: &mut Scope,
        preamble: bool,
    ) {
        let escape = source.file.escape;
        let keyword = instruction.keyword;
        // Triggers run in the child build, with its scope: nothing to resolve here.
        if keyword == Keyword::Onbuild {
            return;
        }
        let is_from = keyword == Keyword::From;
        let predefined: &[&str] = if is_from || preamble {
            &PLATFORM_ARGS
        } else {
            &PROXY_ARGS
        };
        let logical = &instruction.logical;
        let arguments = instruction.arguments_range.clone();
        let command_form = matches!(
            keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
        let mut found: Vec<(String, Span)> = Vec::new();
        // Flags are BuildKit's to expand, for every instruction.
        let flags_end = arguments.start.min(logical.text.len());
        let flags_text = &logical.text[..flags_end];
        for range in dockerfile_names(flags_text, escape) {
            let span = logical.document_span(range.clone());
            found.push((flags_text[range].to_string(), span));
        }
        let argument_text = logical.text.get(arguments.clone()).unwrap_or("");
        if command_form {
            if !instruction.json {
                for range in shell_references(argument_text, escape) {
                    let name = argument_text[range.clone()].to_string();
                    let span = logical
                        .document_span(range.start + arguments.start..range.end + arguments.start);
                    found.push((name, span));
                }
            }
        } else if keyword != Keyword::Unknown && keyword != Keyword::Shell {
            for range in dockerfile_names(argument_text, escape) {
                let name = argument_text[range.clone()].to_string();
                let span = logical
                    .document_span(range.start + arguments.start..range.end + arguments.start);
                found.push((name, span));
            }
        }
        let scripts = source.scripts(at);
        for (number, heredoc) in instruction.heredocs.iter().enumerate() {
            let is_script = scripts
                .iter()
                .any(|script| script.origin == ScriptOrigin::Heredoc(number));
            if !(is_script || heredoc.expand) {
                continue;
            }
            let body = source.slice(&heredoc.body_span);
            let ranges: Vec<Range<usize>> = if keyword == Keyword::Run {
                shell_references(body, escape)
            } else {
                dockerfile_names(body, escape).collect()
            };
            for range in ranges {
                let span =
                    heredoc.body_span.start + range.start..heredoc.body_span.start + range.end;
                found.push((body[range].to_string(), span));
            }
        }
        if keyword == Keyword::Run && instruction.json {
            for script in scripts
                .iter()
                .filter(|script| script.origin == ScriptOrigin::ExecForm)
            {
                let script = &script.script;
                for range in shell_references(&script.text, escape) {
                    let span = script.span(range.clone());
                    found.push((script.text[range].to_string(), span));
                }
            }
        }
        let runtime_only = matches!(
            keyword,
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
        // ARG defaults see the ARGs declared before them in the same instruction (keyed by the
        // end of their word); ENV values see only what came before the instruction.
        let mut pending_args: Vec<(usize, Declaration)> = Vec::new();
        if keyword == Keyword::Arg {
            for value in &instruction.values {
                let name = value.text.split('=').next().unwrap_or_default();
                if name.is_empty() {
                    continue;
                }
                let start = value.span.start;
                pending_args.push((
                    value.span.end,
                    Declaration {
                        name: name.to_string(),
                        span: start..(start + name.len()).min(value.span.end),
                        instruction: at,
                        kind: if preamble {
                            VariableKind::GlobalArg
                        } else {
                            VariableKind::Arg
                        },
                        has_value: value.text.contains('='),
                    },
                ));
            }
        }
        found.sort_by_key(|(_, span)| span.start);
        let mut next_arg = 0;
        for (name, span) in found {
            while let Some((end, _)) = pending_args.get(next_arg)
                && *end <= span.start
            {
                let declaration = pending_args[next_arg].1.clone();
                self.declare(declaration, scope);
                next_arg += 1;
            }
            let mut resolved = self.resolve(&name, scope, predefined);
            if runtime_only
                && let Resolved::Declaration(declaration) = resolved
                && self.declarations[declaration].kind != VariableKind::Env
            {
                resolved = Resolved::Unknown;
            }
            self.references.push(Reference {
                name,
                span,
                instruction: at,
                resolved,
            });
        }
        for (_, declaration) in pending_args.drain(next_arg..) {
            self.declare(declaration, scope);
        }
        if keyword == Keyword::Env {
            for pair in instruction.values.chunks(2) {
                let [name, _] = pair else {
                    continue;
                };
                self.declare(
                    Declaration {
                        name: name.text.to_string(),
                        span: name.span.clone(),
                        instruction: at,
                        kind: VariableKind::Env,
                        has_value: true,
                    },
                    scope,
                );
            }
        }
    }

    /// The declaration whose name holds `offset`.
    pub fn declaration_at(&self, offset: usize) -> Option<usize> {
        self.declarations.iter().position(|declaration| {
            declaration.span.start <= offset && offset <= declaration.span.end
        })
    }

    /// The reference whose name holds `offset`.
    pub fn reference_at(&self, offset: usize) -> Option<&Reference> {
        let after = self
            .references
            .partition_point(|reference| reference.span.start <= offset);
        let candidate = &self.references[after.checked_sub(1)?];
        (offset <= candidate.span.end).then_some(candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell_names(text: &str, escape: char) -> Vec<&str> {
        shell_references(text, escape)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    fn dockerfile_names_of(text: &str, escape: char) -> Vec<&str> {
        dockerfile_names(text, escape)
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn lexers_find_names_outside_single_quotes() {
        assert_eq!(
            shell_names("a $A ${B:-$C} '$D' \"$E\" \\$F ${#G} $1 $$ $(H) $I_J", '\\'),
            vec!["A", "B", "C", "E", "G", "I_J"]
        );
        assert_eq!(shell_names("echo $A # and $B", '\\'), vec!["A"]);
        // With `# escape=``, BuildKit escapes with the backtick; the shell still with `\`.
        assert_eq!(dockerfile_names_of("`$A \\$B $C", '`'), vec!["B", "C"]);
        assert_eq!(shell_names("`$A \\$B $C", '`'), vec!["C"]);
        // BuildKit does not know `#` comments.
        assert_eq!(
            dockerfile_names_of("a#$A '$B' \"$C\"", '\\'),
            vec!["A", "C"]
        );
    }

    #[test]
    fn references_resolve_with_buildkit_scoping() {
        let text = "ARG V=1\nFROM alpine:$V AS base\nARG V\nENV E=$V\nRUN echo $V $E $HTTP_PROXY $TARGETARCH\nFROM base\nRUN echo $E $V\nCMD echo $E\n";
        let source = SourceFile::parse(text);
        let index = VariableIndex::build(&source);
        let resolved: Vec<(String, Resolved)> = index
            .references
            .iter()
            .map(|reference| (reference.name.clone(), reference.resolved))
            .collect();
        let declaration = |name: &str, nth: usize| -> Resolved {
            let found = index
                .declarations
                .iter()
                .enumerate()
                .filter(|(_, declaration)| declaration.name == name)
                .nth(nth)
                .unwrap()
                .0;
            Resolved::Declaration(found)
        };
        assert_eq!(
            resolved,
            vec![
                ("V".into(), declaration("V", 0)),
                ("V".into(), declaration("V", 1)),
                ("V".into(), declaration("V", 1)),
                ("E".into(), declaration("E", 0)),
                ("HTTP_PROXY".into(), Resolved::Predefined),
                ("TARGETARCH".into(), Resolved::Unknown),
                // The child stage inherits E, not the ARG.
                ("E".into(), declaration("E", 0)),
                ("V".into(), Resolved::Unknown),
                ("E".into(), declaration("E", 0)),
            ]
        );
        // The global ARG and its re-declaration are one variable.
        assert!(index.same_variable(0, 1));
    }

    #[test]
    fn heredocs_and_run_time_commands() {
        let text = "FROM a\nARG A=1\nENV B=2\nRUN <<EOF\necho $A\nEOF\nCOPY <<'X' /x\n$A\nX\nCMD echo $A $B\n";
        let source = SourceFile::parse(text);
        let index = VariableIndex::build(&source);
        let found: Vec<(&str, bool)> = index
            .references
            .iter()
            .map(|reference| {
                (
                    reference.name.as_str(),
                    matches!(reference.resolved, Resolved::Declaration(_)),
                )
            })
            .collect();
        assert_eq!(found, vec![("A", true), ("A", false), ("B", true)]);
    }

    #[test]
    fn references_in_words() {
        let found = dockerfile_references("${REGISTRY:-docker.io}/$NAME:\\$x-'$y'${A}", '\\');
        let names: Vec<(String, Range<usize>)> = found;
        assert_eq!(
            names,
            vec![
                ("REGISTRY".to_string(), 0..22),
                ("NAME".to_string(), 23..28),
                ("A".to_string(), 37..41),
            ]
        );
        assert!(dockerfile_references("a$1b", '\\').is_empty());
        assert_eq!(dockerfile_references("`$X", '`').len(), 0);
    }
}
