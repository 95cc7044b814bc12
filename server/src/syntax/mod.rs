//! Syntax: the tree-sitter tree, the lowering to BuildKit's model, the shell inside `RUN`, and
//! the stage graph. [`SourceFile`] bundles them for one version of one document.

pub mod arguments;
pub mod expand;
pub mod expansions;
pub mod expose;
pub mod lower;
pub mod model;
pub mod mount;
pub mod shell;
pub mod stages;
pub mod tree;
pub mod variables;

use std::sync::OnceLock;

pub use model::*;
pub use mount::{Mount, MountError, MountField, MountKey, MountType};
pub use shell::{Command, Connector, Script, ShellWord};
pub use stages::{Base, Scope, Stage, StageGraph, Target};

use crate::text::Span;

/// Which shell runs a `RUN` in shell form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellKind {
    /// `/bin/sh -c` (the default) or another POSIX shell named by `SHELL`.
    Posix,
    /// `SHELL ["powershell", ...]` or `pwsh`.
    PowerShell,
    /// `SHELL ["cmd", "/S", "/C"]`.
    Cmd,
    /// Something else named by `SHELL`.
    Other(String),
}

impl ShellKind {
    fn from_program(program: &str) -> ShellKind {
        let name = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(program)
            .to_ascii_lowercase();
        let name = name.strip_suffix(".exe").unwrap_or(&name);
        match name {
            "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" => ShellKind::Posix,
            "powershell" | "pwsh" => ShellKind::PowerShell,
            "cmd" => ShellKind::Cmd,
            other => ShellKind::Other(other.to_string()),
        }
    }
}

/// The shell of every instruction: an index per instruction into the few distinct kinds a
/// file has (four bytes each instead of a `ShellKind` each).
#[derive(Debug)]
struct ShellKinds {
    /// `distinct[0]` is `Posix`, the default.
    distinct: Vec<ShellKind>,
    at: Vec<u32>,
}

impl ShellKinds {
    /// The kind of instruction `index` (`Posix` past the end).
    fn get(&self, index: usize) -> &ShellKind {
        let id = self.at.get(index).copied().unwrap_or(0);
        &self.distinct[id as usize]
    }

    /// The index of `kind`, added if new.
    fn id(&mut self, kind: ShellKind) -> u32 {
        let found = self.distinct.iter().position(|known| *known == kind);
        let index = found.unwrap_or_else(|| {
            self.distinct.push(kind);
            self.distinct.len() - 1
        });
        index as u32
    }
}

/// Where a RUN script comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptOrigin {
    /// The shell-form command line.
    CommandLine,
    /// The body of heredoc number N.
    Heredoc(usize),
    /// The script argument of an exec-form `["sh", "-c", "..."]`.
    ExecForm,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunScript {
    pub origin: ScriptOrigin,
    pub script: Script,
}

/// The case an instruction keyword is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeywordCase {
    Lower,
    Upper,
    /// Neither (`From`).
    Mixed,
}

impl KeywordCase {
    /// Without allocating for the usual ASCII keyword.
    pub fn of(word: &str) -> KeywordCase {
        if word.is_ascii() {
            let (mut has_lower, mut has_upper) = (false, false);
            for byte in word.bytes() {
                has_lower |= byte.is_ascii_lowercase();
                has_upper |= byte.is_ascii_uppercase();
            }
            return match (has_lower, has_upper) {
                (_, false) => KeywordCase::Lower,
                (false, true) => KeywordCase::Upper,
                (true, true) => KeywordCase::Mixed,
            };
        }
        if word == word.to_lowercase() {
            KeywordCase::Lower
        } else if word == word.to_uppercase() {
            KeywordCase::Upper
        } else {
            KeywordCase::Mixed
        }
    }
}

/// What several rules ask of every instruction, a few bytes each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct InstructionFacts {
    keywords: Vec<Keyword>,
    cases: Vec<KeywordCase>,
    continued: Vec<bool>,
}

impl InstructionFacts {
    fn of(instructions: &[Instruction]) -> InstructionFacts {
        let mut facts = InstructionFacts {
            keywords: Vec::with_capacity(instructions.len()),
            cases: Vec::with_capacity(instructions.len()),
            continued: Vec::with_capacity(instructions.len()),
        };
        for instruction in instructions {
            facts.push(instruction);
        }
        facts
    }

    fn push(&mut self, instruction: &Instruction) {
        self.keywords.push(instruction.keyword);
        self.cases
            .push(KeywordCase::of(&instruction.keyword_word.text));
        self.continued.push(instruction.logical.segments.len() > 1);
    }

    /// The facts of the next version: those of the instructions the edit left alone are
    /// copied, only the lowered-again ones are read.
    fn carried(self, instructions: &[Instruction], reuse: &lower::Reuse) -> InstructionFacts {
        let mut facts = InstructionFacts {
            keywords: Vec::with_capacity(instructions.len()),
            cases: Vec::with_capacity(instructions.len()),
            continued: Vec::with_capacity(instructions.len()),
        };
        for (index, instruction) in instructions.iter().enumerate() {
            match reuse
                .old_index(index)
                .filter(|old| *old < self.keywords.len())
            {
                Some(old) => {
                    facts.keywords.push(self.keywords[old]);
                    facts.cases.push(self.cases[old]);
                    facts.continued.push(self.continued[old]);
                }
                None => facts.push(instruction),
            }
        }
        facts
    }
}

/// One version of a document, parsed and lowered.
pub struct SourceFile {
    pub text: String,
    pub file: Dockerfile,
    pub stages: StageGraph,
    pub tree: Option<tree_sitter::Tree>,
    /// Per instruction (boxed: kept for the life of the version, mostly empty).
    scripts: OnceLock<Vec<Box<[RunScript]>>>,
    /// Per instruction, the variables BuildKit expands ([`SourceFile::expansions`]).
    expansions: OnceLock<Vec<Box<[expansions::Expansion]>>>,
    shell_kinds: OnceLock<ShellKinds>,
    /// A few bytes about every instruction ([`SourceFile::keywords`]).
    facts: OnceLock<InstructionFacts>,
    /// Every ARG/ENV declaration and `$NAME` reference, resolved ([`SourceFile::variables`]).
    variables: OnceLock<variables::VariableIndex>,
    line_starts: OnceLock<Vec<usize>>,
    line_break: OnceLock<&'static str>,
}

impl std::fmt::Debug for SourceFile {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SourceFile")
            .field("instructions", &self.file.instructions.len())
            .finish()
    }
}

impl SourceFile {
    /// Lowers `text`; `tree` is the document's tree-sitter tree when there is one.
    pub fn new(text: String, tree: Option<tree_sitter::Tree>) -> SourceFile {
        let file = lower::lower(&text);
        SourceFile::with_lowered(text, file, tree)
    }

    /// Wraps an already lowered `file` of `text`.
    fn with_lowered(text: String, file: Dockerfile, tree: Option<tree_sitter::Tree>) -> SourceFile {
        let stages = StageGraph::build(&file);
        SourceFile {
            text,
            file,
            stages,
            tree,
            scripts: OnceLock::new(),
            expansions: OnceLock::new(),
            shell_kinds: OnceLock::new(),
            facts: OnceLock::new(),
            variables: OnceLock::new(),
            line_starts: OnceLock::new(),
            line_break: OnceLock::new(),
        }
    }

    /// The next version of `previous` after `edit` made `text`: only the instructions around
    /// the edit are lowered again, and the shell scripts of the others (when `previous` had
    /// them) are moved over instead of being rebuilt. Equals `SourceFile::new(text, None)`.
    /// The variable index is not carried over: an edit anywhere can change the scope of every
    /// reference after it (and the numbering of declarations), so it is built again when the
    /// new version is first asked for it.
    pub fn edited(previous: SourceFile, text: String, edit: crate::text::ByteEdit) -> SourceFile {
        let SourceFile {
            file,
            scripts,
            shell_kinds,
            expansions,
            facts,
            ..
        } = previous;
        let (file, reuse) = lower::relower_reusing(file, &text, edit);
        let source = SourceFile::with_lowered(text, file, None);
        if let Some(old) = facts.into_inner() {
            let _ = source
                .facts
                .set(old.carried(&source.file.instructions, &reuse));
        }
        // The expansions of an instruction depend on it alone: those of the instructions the
        // edit did not touch move over.
        if let Some(mut old) = expansions.into_inner() {
            let all = (0..source.file.instructions.len())
                .map(|index| {
                    match reuse
                        .old_index(index)
                        .and_then(|at| old.get_mut(at).map(std::mem::take))
                    {
                        Some(mut kept) => {
                            if reuse.moved(index) {
                                for expansion in kept.iter_mut() {
                                    expansion.shift(reuse.delta);
                                }
                            }
                            kept
                        }
                        None => source.compute_expansions(index),
                    }
                })
                .collect();
            let _ = source.expansions.set(all);
        }
        let (Some(mut old_scripts), Some(old_kinds)) =
            (scripts.into_inner(), shell_kinds.into_inner())
        else {
            return source;
        };
        let kinds = source.shell_kinds();
        let all = (0..source.file.instructions.len())
            .map(|index| {
                // An instruction that did not change keeps its scripts unless a SHELL above
                // it changed which shell runs them.
                let reused = reuse
                    .old_index(index)
                    .filter(|old| old_kinds.get(*old) == kinds.get(index))
                    .and_then(|old| old_scripts.get_mut(old).map(std::mem::take));
                match reused {
                    Some(mut scripts) => {
                        if reuse.moved(index) {
                            for run_script in &mut scripts {
                                run_script.script.shift(reuse.delta);
                            }
                        }
                        scripts
                    }
                    None => source.compute_scripts(index, kinds.get(index)),
                }
            })
            .collect();
        let _ = source.scripts.set(all);
        source
    }

    /// Lowers `text` and parses it with tree-sitter too.
    pub fn parse(text: &str) -> SourceFile {
        let tree = tree::parse(&crate::text::Text::new(text));
        SourceFile::new(text.to_string(), tree)
    }

    pub fn instructions(&self) -> &[Instruction] {
        &self.file.instructions
    }

    /// The 1-based line of byte `offset` (lines end at `\n`), in O(log n) after the first call.
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|start| *start <= offset)
    }

    /// Where the line holding byte `offset` starts (just after the `\n` before it).
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts()[self.line_number(offset) - 1]
    }

    /// The whitespace from the start of `offset`'s line up to `offset` (the indent of an
    /// instruction that starts there).
    pub fn indent_before(&self, offset: usize) -> &str {
        let before = &self.text[self.line_start(offset)..offset];
        &before[..before.len() - before.trim_start().len()]
    }

    /// `span` widened to whole lines: from its line's start to just after the line break that
    /// ends it (or the end of the text).
    pub fn whole_lines(&self, span: &Span) -> Span {
        let end = memchr::memchr(b'\n', &self.text.as_bytes()[span.end..])
            .map(|at| span.end + at + 1)
            .unwrap_or(self.text.len());
        self.line_start(span.start)..end
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // Counted first, so the table is made at its size (one per version).
            let breaks = || memchr::memchr_iter(b'\n', self.text.as_bytes());
            let mut starts = Vec::with_capacity(breaks().count() + 1);
            starts.push(0);
            starts.extend(breaks().map(|at| at + 1));
            starts
        })
    }

    /// The line break the file uses most: `\r\n` or `\n`.
    pub fn line_break(&self) -> &'static str {
        self.line_break.get_or_init(|| self.count_line_breaks())
    }

    fn count_line_breaks(&self) -> &'static str {
        let starts = &self.line_starts()[1..];
        let bytes = self.text.as_bytes();
        let crlf = starts
            .iter()
            .filter(|start| **start >= 2 && bytes[**start - 2] == b'\r')
            .count();
        if crlf * 2 > starts.len() {
            "\r\n"
        } else {
            "\n"
        }
    }

    pub fn slice(&self, span: &Span) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }

    /// The shell kind of every instruction, in one pass: each stage starts with the shell of
    /// the stage it is based on, and `SHELL` changes it from there on.
    fn shell_kinds(&self) -> &ShellKinds {
        self.shell_kinds.get_or_init(|| self.compute_shell_kinds())
    }

    fn compute_shell_kinds(&self) -> ShellKinds {
        let mut kinds = ShellKinds {
            distinct: vec![ShellKind::Posix],
            at: vec![0; self.file.instructions.len()],
        };
        let mut final_kind: Vec<u32> = Vec::with_capacity(self.stages.stages.len());
        for stage in &self.stages.stages {
            let mut current = match &stage.base {
                Base::Stage(parent) => final_kind.get(*parent).copied().unwrap_or(0),
                _ => 0,
            };
            kinds.at[stage.from] = current;
            for index in stage.body.clone() {
                kinds.at[index] = current;
                let instruction = &self.file.instructions[index];
                if instruction.keyword == Keyword::Shell && instruction.json {
                    let kind = instruction
                        .values
                        .first()
                        .map(|program| ShellKind::from_program(&program.text))
                        .unwrap_or(ShellKind::Posix);
                    current = kinds.id(kind);
                }
            }
            final_kind.push(current);
        }
        kinds
    }

    /// The keyword of every instruction, one byte each: for rules that look at a few kinds of
    /// instruction, which then read only those (a pass over the 4,500 instructions of a
    /// 10,000-line file costs more than most rules). Kept per version, carried over by
    /// [`SourceFile::edited`].
    pub fn keywords(&self) -> &[Keyword] {
        &self.facts().keywords
    }

    /// The case each instruction's keyword is written in.
    pub fn keyword_cases(&self) -> &[KeywordCase] {
        &self.facts().cases
    }

    /// Whether each instruction runs over continuation lines.
    pub fn continued(&self) -> &[bool] {
        &self.facts().continued
    }

    fn facts(&self) -> &InstructionFacts {
        self.facts
            .get_or_init(|| InstructionFacts::of(&self.file.instructions))
    }

    /// The variables BuildKit itself expands in instruction `index` (not the shell's), in
    /// document order ([`expansions::expansions`]). Computed for every instruction on first
    /// use; [`SourceFile::edited`] carries those of unchanged instructions over.
    pub fn expansions(&self, index: usize) -> &[expansions::Expansion] {
        let all = self.expansions.get_or_init(|| {
            (0..self.file.instructions.len())
                .map(|index| self.compute_expansions(index))
                .collect()
        });
        all.get(index).map(|found| &found[..]).unwrap_or(&[])
    }

    fn compute_expansions(&self, index: usize) -> Box<[expansions::Expansion]> {
        expansions::expansions(self, &self.file.instructions[index]).into_boxed_slice()
    }

    /// Every `ARG`/`ENV` declaration and `$NAME` reference of this version, each reference
    /// resolved with BuildKit's scoping; built on first use, once per version.
    pub fn variables(&self) -> &variables::VariableIndex {
        self.variables
            .get_or_init(|| variables::VariableIndex::build(self))
    }

    /// The kind of shell for instruction `index` (`Posix` when only the default is known).
    pub fn shell_kind_at(&self, index: usize) -> ShellKind {
        self.shell_kinds().get(index).clone()
    }

    /// The shell scripts of instruction `index` (a `RUN`, or `ONBUILD RUN`), parsed with the
    /// bash grammar. Empty for other instructions and for non-POSIX shells.
    pub fn scripts(&self, index: usize) -> &[RunScript] {
        let all = self.scripts.get_or_init(|| {
            let kinds = self.shell_kinds();
            (0..self.file.instructions.len())
                .map(|index| self.compute_scripts(index, kinds.get(index)))
                .collect()
        });
        all.get(index).map(|scripts| &scripts[..]).unwrap_or(&[])
    }

    fn compute_scripts(&self, index: usize, shell: &ShellKind) -> Box<[RunScript]> {
        let instruction = self.file.instructions[index].effective();
        if instruction.keyword != Keyword::Run || *shell != ShellKind::Posix {
            return Box::default();
        }
        let outer = &self.file.instructions[index];
        let mut scripts = Vec::new();
        if instruction.json {
            if let Some(script) = exec_form_script(instruction, &self.text) {
                scripts.push(RunScript {
                    origin: ScriptOrigin::ExecForm,
                    script,
                });
            }
            return scripts.into_boxed_slice();
        }
        let range = instruction.arguments_range.clone();
        let line = instruction.logical.text.get(range.clone()).unwrap_or("");
        if !line.is_empty() {
            let map = shell::submap(&instruction.logical, range);
            scripts.push(RunScript {
                origin: ScriptOrigin::CommandLine,
                script: Script::new(line.to_string(), map),
            });
        }
        if !outer.heredocs.is_empty() && heredoc_bodies_are_scripts(line) {
            for (number, heredoc) in outer.heredocs.iter().enumerate() {
                scripts.push(RunScript {
                    origin: ScriptOrigin::Heredoc(number),
                    script: Script::contiguous(heredoc.content.clone(), heredoc.body_span.start),
                });
            }
        }
        scripts.into_boxed_slice()
    }
}

/// A RUN's heredoc bodies are shell scripts when the command line is only the heredoc marker
/// (BuildKit runs the body with the shell) or a POSIX shell reading it (`bash <<EOF`,
/// `sh -e <<EOF`). Bodies fed to other programs (`python3 <<EOF`) are not shell.
fn heredoc_bodies_are_scripts(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let markers = words.iter().filter(|word| word.contains("<<")).count();
    let others: Vec<&&str> = words
        .iter()
        .filter(|word| !word.contains("<<") && !word.starts_with('-'))
        .collect();
    markers > 0
        && match others.as_slice() {
            [] => true,
            [program] => ShellKind::from_program(program) == ShellKind::Posix,
            _ => false,
        }
}

/// `RUN ["sh", "-c", "script"]`: the script, mapped to its JSON string when it has no escapes.
fn exec_form_script(instruction: &Instruction, text: &str) -> Option<Script> {
    let values = &instruction.values;
    let program = values.first()?;
    if ShellKind::from_program(&program.text) != ShellKind::Posix {
        return None;
    }
    let position = values.iter().position(|value| {
        value.text.starts_with('-') && !value.text.starts_with("--") && value.text.contains('c')
    })?;
    let script = values.get(position + 1)?;
    let source = text.get(script.span.clone()).unwrap_or("");
    // The JSON source is `"script"`; without escapes the script starts one byte in.
    let exact = source.len() == script.text.len() + 2;
    let start = if exact {
        script.span.start + 1
    } else {
        script.span.start
    };
    Some(Script::contiguous(script.text.to_string(), start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_scripts_map_back_to_the_document() {
        let text = "FROM a\nRUN apt-get update \\\n    # comment\n    && apt-get install -y curl\n";
        let source = SourceFile::parse(text);
        let scripts = source.scripts(1);
        assert_eq!(scripts.len(), 1);
        let script = &scripts[0].script;
        let install = &script.commands()[1];
        let span = script.span(install.words[0].range.clone());
        assert_eq!(&text[span], "apt-get");
        let whole = script.span(install.range.clone());
        assert_eq!(&text[whole], "apt-get install -y curl");
    }

    #[test]
    fn heredoc_and_exec_form_scripts() {
        let text = "FROM a\nRUN <<EOF\napk add x\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN [\"sh\", \"-c\", \"apk add y\"]\n";
        let source = SourceFile::parse(text);
        let heredoc = &source.scripts(1)[1];
        assert_eq!(heredoc.origin, ScriptOrigin::Heredoc(0));
        let apk = &heredoc.script.commands()[0];
        assert_eq!(&text[heredoc.script.span(apk.range.clone())], "apk add x");
        assert!(
            source
                .scripts(2)
                .iter()
                .all(|s| s.origin == ScriptOrigin::CommandLine)
        );
        let exec = &source.scripts(3)[0];
        assert_eq!(
            &text[exec.script.span(exec.script.commands()[0].range.clone())],
            "apk add y"
        );
    }

    #[test]
    fn shell_kinds_follow_stages_and_shell_instructions() {
        let text = "FROM a AS base\nRUN one\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN two\nFROM base\nRUN three\nFROM b\nRUN four\n";
        let source = SourceFile::parse(text);
        let kinds = source.shell_kinds();
        assert_eq!(kinds.get(1), &ShellKind::Posix);
        assert_eq!(kinds.get(3), &ShellKind::Cmd);
        assert_eq!(kinds.get(5), &ShellKind::Cmd);
        assert_eq!(kinds.get(7), &ShellKind::Posix);
        // SHELL to PowerShell and back to cmd: one entry per distinct kind.
        let text =
            "FROM a\nSHELL [\"cmd\"]\nSHELL [\"pwsh\"]\nSHELL [\"cmd\"]\nRUN x\nFROM b\nRUN y\n";
        let source = SourceFile::parse(text);
        let kinds = source.shell_kinds();
        assert_eq!(kinds.distinct.len(), 3);
        assert_eq!(kinds.get(4), &ShellKind::Cmd);
        assert_eq!(kinds.get(6), &ShellKind::Posix);
        assert_eq!(kinds.get(99), &ShellKind::Posix);
    }

    #[test]
    fn shell_instruction_switches_off_bash_parsing() {
        let text =
            "FROM a AS base\nSHELL [\"powershell\", \"-Command\"]\nFROM base\nRUN Get-Item x\n";
        let source = SourceFile::parse(text);
        assert_eq!(source.shell_kind_at(3), ShellKind::PowerShell);
        assert!(source.scripts(3).is_empty());
    }
}
