//! The shell inside `RUN`: the script parsed with `tree-sitter-bash` into simple commands with
//! their arguments, each with a span that maps back to the document through the script's
//! [`LogicalLine`] (continuations joined, comment lines dropped).
//!
//! Parsing is shared by script text: identical scripts are parsed once, and on each keystroke
//! only the edited `RUN` is parsed again.

use std::ops::Range;
use std::sync::Arc;

use compact_str::CompactString;
use tree_sitter::{Node, Parser};

use super::model::{LogicalLine, Segment};
use crate::memo::Shared;
use crate::text::Span;

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    /// The first command of the script.
    Start,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a line break
    Sequence,
    /// after `&`
    Background,
    /// `|`
    Pipe,
}

/// A shell word: its value with quotes removed where that is certain, and its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// The word with quotes and backslash escapes removed; expansions are kept as written.
    pub text: CompactString,
    /// True when the word starts with a quote.
    pub quoted: bool,
    /// Range in the script text (the word as written is `script.text[range]`).
    pub range: Range<usize>,
}

/// One simple command, e.g. `sudo apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, String)>,
    /// The name and the arguments, as written (`words[0]` is the name).
    pub words: Vec<ShellWord>,
    /// Range of the whole command in the script text.
    pub range: Range<usize>,
    pub connector: Connector,
    /// Inside `if`, a loop, `case`, a function, a subshell or `{ }`: it may not run.
    pub nested: bool,
    /// Extracted from a `sh -c '...'` argument of another command.
    pub from_inline_script: bool,
}

impl Command {
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|word| word.text.as_str())
    }

    pub fn arguments(&self) -> &[ShellWord] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The command that does the work once wrappers are peeled off: `sudo`, `env X=y`,
    /// `nice`, `nohup`, `time`, `command`, `exec`, `xargs`-free only. Returns the index of the
    /// real command name in `words` and the assignments made by `env`.
    pub fn unwrapped(&self) -> (usize, Vec<(String, String)>) {
        let mut assignments = self.assignments.clone();
        let index = self.peel(|key, value| assignments.push((key.to_string(), value.to_string())));
        (index, assignments)
    }

    /// The index in `words` of the real command name (see [`Command::unwrapped`]).
    pub fn program_index(&self) -> usize {
        self.peel(|_, _| {})
    }

    /// Walks past the wrappers, telling `assign` each `env NAME=value`.
    fn peel(&self, mut assign: impl FnMut(&str, &str)) -> usize {
        let mut index = 0;
        while let Some(word) = self.words.get(index) {
            let name = word.text.rsplit('/').next().unwrap_or(&word.text);
            let skip_options = |mut at: usize, with_value: &[&str]| {
                while let Some(next) = self.words.get(at) {
                    if next.text == "--" {
                        return at + 1;
                    }
                    if !next.text.starts_with('-') || next.text == "-" {
                        break;
                    }
                    at += if with_value.contains(&next.text.as_str()) {
                        2
                    } else {
                        1
                    };
                }
                at
            };
            index = match name {
                "sudo" => skip_options(
                    index + 1,
                    &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
                ),
                "env" => {
                    let mut at = skip_options(index + 1, &["-u", "-C", "-S"]);
                    while let Some((key, value)) = self
                        .words
                        .get(at)
                        .and_then(|word| word.text.split_once('='))
                        .filter(|(key, _)| is_name(key))
                    {
                        assign(key, value);
                        at += 1;
                    }
                    at
                }
                "nice" => skip_options(index + 1, &["-n"]),
                // `command -v NAME` only asks whether NAME exists: it does not run it.
                "command"
                    if self
                        .words
                        .get(index + 1)
                        .is_some_and(|next| matches!(next.text.as_str(), "-v" | "-V")) =>
                {
                    return index;
                }
                "nohup" | "time" | "command" | "exec" | "eatmydata" => skip_options(index + 1, &[]),
                _ => return index,
            };
        }
        index.min(self.words.len())
    }

    /// The real command name after [`Command::unwrapped`], without a leading path.
    pub fn program(&self) -> Option<&str> {
        let index = self.program_index();
        self.words
            .get(index)
            .map(|word| word.text.rsplit('/').next().unwrap_or(&word.text))
    }

    /// The arguments of the real command.
    pub fn program_arguments(&self) -> &[ShellWord] {
        let index = self.program_index();
        self.words.get(index + 1..).unwrap_or(&[])
    }
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What the shell parse of one script text produced. Ranges are into that text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellSyntax {
    pub commands: Vec<Command>,
    /// Operators that join top-level statements, in order (`&&`, `||`, `;` or a line break,
    /// `&`); a pipeline is one statement.
    pub top_level: Vec<Connector>,
    /// The top-level statements, in order (one more than `top_level` operators).
    pub statements: Vec<Range<usize>>,
    /// The script changes the shell's own state for what follows it (`cd`, `set`, `export`,
    /// an assignment, ...): what runs after it in the same shell sees the change.
    pub changes_state: bool,
    /// The script has a `#` comment (text appended after it would be commented out).
    pub has_comment: bool,
    /// Simple commands with a literal name anywhere in the script, command substitutions
    /// and compound statements included (ShellCheck's count, which hadolint's DL3059 uses).
    /// Unlike [`ShellSyntax::commands`], `sh -c '...'` scripts are not looked into.
    pub simple_commands: usize,
    /// Where each pipe operator (`|`, `|&`) starts, anywhere in the script (command
    /// substitutions and compound statements included).
    pub pipes: Vec<usize>,
    /// Variables the script exports (`export NAME=value`, `export NAME`), in order.
    pub exports: Vec<Export>,
    /// The bash grammar could not make sense of part of the script.
    pub has_error: bool,
}

/// One variable an `export` statement puts into the environment of later commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: CompactString,
    /// The value assigned there, quotes removed; `None` for `export NAME` alone.
    pub value: Option<String>,
    /// Where the `export` statement ends in the script text.
    pub end: usize,
    /// Inside `if`, a loop, `case`, a function, a subshell or `{ }`: it may not run.
    pub nested: bool,
}

/// Commands that change the state of the shell that runs them.
const STATE_COMMANDS: &[&str] = &[
    "cd", "pushd", "popd", "set", "export", "unset", "umask", "alias", "unalias", "source", ".",
    "shopt", "trap", "ulimit", "declare", "typeset", "local", "readonly", "eval", "exec", "hash",
    "enable",
];

/// The top level of a script as it is walked.
#[derive(Default)]
struct TopLevel {
    connectors: Vec<Connector>,
    statements: Vec<Range<usize>>,
}

/// A script with its map back to the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub text: String,
    /// Maps script offsets to document offsets.
    pub map: LogicalLine,
    pub syntax: Arc<ShellSyntax>,
}

impl Script {
    /// Parses `text`, whose bytes map to the document through `map` (same length as `text`).
    pub fn new(text: String, map: LogicalLine) -> Self {
        let syntax = parse_cached(&text);
        Self { text, map, syntax }
    }

    /// A script that is one contiguous run of document bytes starting at `document_start`.
    pub fn contiguous(text: String, document_start: usize) -> Self {
        let map = LogicalLine::new(
            String::new(),
            vec![Segment::new(0, document_start, text.len())],
        );
        Self::new(text, map)
    }

    /// Moves the script's place in the document by `delta` bytes (text before it changed).
    pub fn shift(&mut self, delta: isize) {
        for segment in &mut self.map.segments {
            segment.shift(delta);
        }
    }

    /// The document span of a script range.
    pub fn span(&self, range: Range<usize>) -> Span {
        self.map.document_span(range)
    }

    pub fn commands(&self) -> &[Command] {
        &self.syntax.commands
    }
}

/// A sub-map of `map` for the script bytes `range` (offsets then start at 0).
pub fn submap(map: &LogicalLine, range: Range<usize>) -> LogicalLine {
    let mut segments = Vec::new();
    for segment in &map.segments {
        let start = segment.logical_start().max(range.start);
        let end = segment.logical_end().min(range.end);
        if start >= end {
            continue;
        }
        segments.push(Segment::new(
            start - range.start,
            segment.document_start() + (start - segment.logical_start()),
            end - start,
        ));
    }
    LogicalLine::new(String::new(), segments)
}

/// Parses a script, or returns the parse of the same text that a document still holds.
pub fn parse_cached(text: &str) -> Arc<ShellSyntax> {
    static PARSED: Shared<ShellSyntax> = Shared::new();
    PARSED.get_or_insert_with(text, || parse(text))
}

thread_local! {
    static PARSER: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
}

/// Parses a script with tree-sitter-bash (uncached).
pub fn parse(text: &str) -> ShellSyntax {
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut parser = Parser::new();
            if let Err(error) = parser.set_language(&tree_sitter_bash::LANGUAGE.into()) {
                tracing::error!("cannot load the bash grammar: {error}");
            }
            parser
        });
        parser.parse(text, None)
    });
    let Some(tree) = tree else {
        return ShellSyntax {
            has_error: true,
            ..ShellSyntax::default()
        };
    };
    let root = tree.root_node();
    let mut walker = Walker {
        text,
        commands: Vec::new(),
        exports: Vec::new(),
        pending: Connector::Start,
        changes_state: false,
    };
    let mut top_level = TopLevel::default();
    walker.statements(root, false, Some(&mut top_level));
    let census = Census::take(root, text);
    ShellSyntax {
        commands: exact(walker.commands),
        top_level: exact(top_level.connectors),
        statements: exact(top_level.statements),
        changes_state: walker.changes_state,
        has_comment: census.has_comment,
        simple_commands: census.simple_commands,
        pipes: exact(census.pipes),
        exports: exact(walker.exports),
        has_error: root.has_error(),
    }
}

/// `items` without spare capacity (memoised parses live as long as their documents).
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// What one walk over every node of a script's tree finds.
#[derive(Default)]
struct Census {
    has_comment: bool,
    simple_commands: usize,
    pipes: Vec<usize>,
}

impl Census {
    fn take(root: Node, text: &str) -> Census {
        let mut census = Census::default();
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(current) = stack.pop() {
            match current.kind() {
                "comment" => census.has_comment = true,
                "command" if has_literal_name(current, text) => census.simple_commands += 1,
                "|" | "|&"
                    if current
                        .parent()
                        .is_some_and(|parent| parent.kind() == "pipeline") =>
                {
                    census.pipes.push(current.start_byte());
                }
                _ => {}
            }
            stack.extend(current.children(&mut cursor));
        }
        // The walk visits later siblings first.
        census.pipes.sort_unstable();
        census
    }
}

/// A command whose name is written out (`make`, `/usr/bin/env`), not computed (`$CC`).
fn has_literal_name(command: Node, text: &str) -> bool {
    command
        .child_by_field_name("name")
        .is_some_and(|name| !text[name.byte_range()].contains(['$', '`']))
}

struct Walker<'a> {
    text: &'a str,
    commands: Vec<Command>,
    exports: Vec<Export>,
    /// The connector for the next command found.
    pending: Connector,
    changes_state: bool,
}

fn connector_of(kind: &str) -> Option<Connector> {
    Some(match kind {
        "&&" => Connector::And,
        "||" => Connector::Or,
        ";" | ";;" | "\n" => Connector::Sequence,
        "&" => Connector::Background,
        "|" | "|&" => Connector::Pipe,
        _ => return None,
    })
}

impl Walker<'_> {
    /// Walks the children of a statement container (program, list, pipeline, bodies).
    /// Walks the children of a statement container (program, list, pipeline, bodies); at the
    /// top level it also records the statements and the operators between them.
    fn statements(&mut self, node: Node, nested: bool, mut top_level: Option<&mut TopLevel>) {
        let mut cursor = node.walk();
        let mut previous_end: Option<usize> = None;
        for child in node.children(&mut cursor) {
            if let Some(connector) = connector_of(child.kind()) {
                self.pending = connector;
                if let Some(top) = top_level.as_deref_mut()
                    && connector != Connector::Pipe
                {
                    top.connectors.push(connector);
                }
                previous_end = None;
                continue;
            }
            if !child.is_named() || child.kind() == "comment" {
                continue;
            }
            // Two statements with nothing between them were separated by a line break.
            if let Some(end) = previous_end
                && child.start_byte() >= end
            {
                self.pending = Connector::Sequence;
                if let Some(top) = top_level.as_deref_mut() {
                    top.connectors.push(Connector::Sequence);
                }
            }
            match child.kind() {
                "list" => self.statements(child, nested, top_level.as_deref_mut()),
                "pipeline" => {
                    if let Some(top) = top_level.as_deref_mut() {
                        top.statements.push(child.byte_range());
                    }
                    self.statements(child, nested, None);
                }
                _ => {
                    if let Some(top) = top_level.as_deref_mut() {
                        top.statements.push(child.byte_range());
                    }
                    self.statement(child, nested);
                }
            }
            previous_end = Some(child.end_byte());
        }
    }

    fn statement(&mut self, node: Node, nested: bool) {
        match node.kind() {
            "command" => self.command(node, nested),
            "redirected_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    self.statement(body, nested);
                }
            }
            "negated_command" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.statement(child, nested);
                }
            }
            "list" | "pipeline" => self.statements(node, nested, None),
            "declaration_command" => {
                self.changes_state = true;
                self.declaration(node, nested);
            }
            "variable_assignment" | "variable_assignments" | "unset_command" => {
                self.changes_state = true;
            }
            "test_command" | "comment" => {}
            // Compound statements: their commands may not run (conditions, loops, functions).
            _ => self.compound(node),
        }
    }

    fn compound(&mut self, node: Node) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "command" | "redirected_statement" | "negated_command" => {
                    self.statement(child, true)
                }
                "list" | "pipeline" => self.statements(child, true, None),
                "declaration_command" => {
                    self.changes_state = true;
                    self.declaration(child, true);
                }
                "variable_assignment" | "unset_command" => {
                    self.changes_state = true;
                }
                "word" | "string" | "raw_string" | "concatenation" | "variable_name"
                | "simple_expansion" | "expansion" | "number" => {}
                _ => self.compound(child),
            }
        }
    }

    /// Records the variables of an `export` statement.
    fn declaration(&mut self, node: Node, nested: bool) {
        if !self.text[node.byte_range()].starts_with("export") {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            let (name, value) = match child.kind() {
                "variable_assignment" => (
                    child.child_by_field_name("name"),
                    child
                        .child_by_field_name("value")
                        .map(|value| unquote(value, self.text)),
                ),
                "variable_name" => (Some(child), None),
                _ => continue,
            };
            let Some(name) = name else {
                continue;
            };
            self.exports.push(Export {
                name: self.text[name.byte_range()].into(),
                value,
                end: node.end_byte(),
                nested,
            });
        }
    }

    fn word(&self, node: Node) -> ShellWord {
        let raw = &self.text[node.byte_range()];
        ShellWord {
            text: unquote(node, self.text).into(),
            quoted: raw.starts_with(['\'', '"']),
            range: node.byte_range(),
        }
    }

    fn command(&mut self, node: Node, nested: bool) {
        let mut command = Command {
            assignments: Vec::new(),
            words: Vec::new(),
            range: node.byte_range(),
            connector: std::mem::replace(&mut self.pending, Connector::Sequence),
            nested,
            from_inline_script: false,
        };
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => {
                    let name = child
                        .child_by_field_name("name")
                        .map(|name| self.text[name.byte_range()].to_string())
                        .unwrap_or_default();
                    let value = child
                        .child_by_field_name("value")
                        .map(|value| unquote(value, self.text))
                        .unwrap_or_default();
                    command.assignments.push((name, value));
                }
                "command_name" => {
                    let word = child.named_child(0).unwrap_or(child);
                    command.words.push(self.word(word));
                }
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" | "comment" => {}
                _ => command.words.push(self.word(child)),
            }
        }
        if command
            .program()
            .is_some_and(|program| STATE_COMMANDS.contains(&program))
        {
            self.changes_state = true;
        }
        // Kept for the life of the document: no spare capacity.
        command.words.shrink_to_fit();
        let inline = inline_script(&command);
        self.commands.push(command);
        if let Some((script_word, offset)) = inline {
            let inner = parse_cached(&script_word.text);
            for mut inner_command in inner.commands.iter().cloned() {
                inner_command.range = shift(inner_command.range, offset);
                for word in &mut inner_command.words {
                    word.range = shift(word.range.clone(), offset);
                }
                inner_command.nested |= nested;
                inner_command.from_inline_script = true;
                self.commands.push(inner_command);
            }
        }
    }
}

fn shift(range: Range<usize>, offset: usize) -> Range<usize> {
    range.start + offset..range.end + offset
}

/// `sh -c 'script'` (also bash, ash, dash, with `-e`, `-x`, `-ex` ...): the script word and
/// the script offset of its first character (the inner map is exact when the word is one
/// quoted string without escapes, which is the common case).
fn inline_script(command: &Command) -> Option<(ShellWord, usize)> {
    let index = command.program_index();
    let name = command
        .words
        .get(index)?
        .text
        .rsplit('/')
        .next()?
        .to_string();
    if !matches!(name.as_str(), "sh" | "bash" | "ash" | "dash" | "zsh") {
        return None;
    }
    let mut at = index + 1;
    let mut seen_c = false;
    while let Some(word) = command.words.get(at) {
        if word.text.starts_with('-') && !word.text.starts_with("--") {
            seen_c |= word.text.contains('c');
            at += 1;
            continue;
        }
        break;
    }
    if !seen_c {
        return None;
    }
    let word = command.words.get(at)?;
    let quote = usize::from(word.quoted);
    Some((word.clone(), word.range.start + quote))
}

/// The value of a word node with quotes removed (and `\` escapes outside single quotes).
fn unquote(node: Node, source: &str) -> String {
    let raw = &source[node.byte_range()];
    match node.kind() {
        "raw_string" => raw
            .strip_prefix('\'')
            .and_then(|inner| inner.strip_suffix('\''))
            .unwrap_or(raw)
            .to_string(),
        "string" => {
            let inner = raw
                .strip_prefix('"')
                .and_then(|inner| inner.strip_suffix('"'))
                .unwrap_or(raw);
            unescape(inner, true)
        }
        "concatenation" => {
            let mut cursor = node.walk();
            let mut text = String::new();
            let mut last = node.start_byte();
            for child in node.children(&mut cursor) {
                // Bytes between children (unusual) are kept as written.
                text.push_str(&source[last.min(child.start_byte())..child.start_byte()]);
                text.push_str(&unquote(child, source));
                last = child.end_byte();
            }
            text.push_str(&source[last.min(node.end_byte())..node.end_byte()]);
            text
        }
        "word" | "number" => unescape(raw, false),
        _ => raw.to_string(),
    }
}

/// Removes backslash escapes: inside double quotes only before `$`, `` ` ``, `"`, `\` and a
/// line break; outside quotes before anything.
fn unescape(text: &str, double_quoted: bool) -> String {
    let mut output = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            output.push(c);
            continue;
        }
        match chars.peek() {
            Some(&next) if !double_quoted || matches!(next, '$' | '`' | '"' | '\\' | '\n') => {
                chars.next();
                if next != '\n' {
                    output.push(next);
                }
            }
            _ => output.push(c),
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Connector, bool)> {
        parse(text)
            .commands
            .iter()
            .map(|command| {
                (
                    command.program().unwrap_or_default().to_string(),
                    command.connector,
                    command.nested,
                )
            })
            .collect()
    }

    #[test]
    fn commands_with_connectors() {
        let found = names(
            "set -e; apt-get update && sudo apt-get install -y a || true; env X=1 apk add x & rm -rf /x\nif [ -f x ]; then yum install x; fi",
        );
        assert_eq!(
            found,
            vec![
                ("set".into(), Connector::Start, false),
                ("apt-get".into(), Connector::Sequence, false),
                ("apt-get".into(), Connector::And, false),
                ("true".into(), Connector::Or, false),
                ("apk".into(), Connector::Sequence, false),
                ("rm".into(), Connector::Background, false),
                ("yum".into(), Connector::Sequence, true),
            ]
        );
    }

    #[test]
    fn env_and_sudo_unwrap() {
        let syntax =
            parse("sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y curl");
        let command = &syntax.commands[0];
        assert_eq!(command.program(), Some("apt-get"));
        let (_, assignments) = command.unwrapped();
        assert_eq!(
            assignments,
            vec![("DEBIAN_FRONTEND".into(), "noninteractive".into())]
        );
        assert_eq!(command.program_arguments()[0].text, "install");
        let lookup = parse("command -v ps >/dev/null || command apt-get update");
        let programs: Vec<_> = lookup
            .commands
            .iter()
            .filter_map(Command::program)
            .collect();
        assert_eq!(programs, vec!["command", "apt-get"]);
    }

    #[test]
    fn inline_scripts_are_one_level_deep() {
        let text = "sh -c 'apk add x && rm -rf /var/cache/apk/*'";
        let syntax = parse(text);
        let programs: Vec<_> = syntax
            .commands
            .iter()
            .filter_map(Command::program)
            .collect();
        assert_eq!(programs, vec!["sh", "apk", "rm"]);
        let apk = &syntax.commands[1];
        assert!(apk.from_inline_script);
        assert_eq!(&text[apk.range.clone()], "apk add x");
    }

    #[test]
    fn words_are_unquoted() {
        let syntax = parse(r#"pip install "a b" 'c' d\ e x"y"z"#);
        let words: Vec<_> = syntax.commands[0]
            .words
            .iter()
            .map(|w| w.text.clone())
            .collect();
        assert_eq!(words, vec!["pip", "install", "a b", "c", "d e", "xyz"]);
    }

    #[test]
    fn top_level_statements_state_and_comments() {
        let text = "cd /x && make | tee log; b || c & d # note";
        let syntax = parse(text);
        let statements: Vec<&str> = syntax
            .statements
            .iter()
            .map(|range| &text[range.clone()])
            .collect();
        assert_eq!(statements, vec!["cd /x", "make | tee log", "b", "c", "d"]);
        assert_eq!(
            syntax.top_level,
            vec![
                Connector::And,
                Connector::Sequence,
                Connector::Or,
                Connector::Background
            ]
        );
        assert!(syntax.changes_state);
        assert!(syntax.has_comment);
        let plain = parse("apt-get update && apt-get install -y x");
        assert!(!plain.changes_state && !plain.has_comment);
        assert!(parse("FOO=1").changes_state);
        assert!(parse("set -eux").changes_state);
        assert!(parse("if true; then cd /x; fi").changes_state);
    }

    #[test]
    fn simple_commands_are_counted_as_shellcheck_counts_them() {
        let count = |text: &str| parse(text).simple_commands;
        assert_eq!(count("make"), 1);
        assert_eq!(count("a && b; c | d"), 4);
        // Substitutions and compound statements count; tests, assignments and computed
        // names do not; nor does a `sh -c` script (a string to the shell).
        assert_eq!(count("echo $(date) `id`"), 3);
        assert_eq!(count("if [ -f x ]; then rm x; fi"), 1);
        assert_eq!(count("X=1 $CC -o x x.c"), 0);
        assert_eq!(count("FOO=1"), 0);
        assert_eq!(count("sh -c 'a && b'"), 1);
    }

    #[test]
    fn exports_are_recorded() {
        let syntax = parse("export A=1 B; if x; then export C=\"two words\"; fi; D=4");
        let exports: Vec<(&str, Option<&str>, bool)> = syntax
            .exports
            .iter()
            .map(|export| (export.name.as_str(), export.value.as_deref(), export.nested))
            .collect();
        assert_eq!(
            exports,
            vec![
                ("A", Some("1"), false),
                ("B", None, false),
                ("C", Some("two words"), true)
            ]
        );
    }

    #[test]
    fn pipes_are_found_wherever_they_are() {
        let text = "a | b && c || d; x=$(e |& f); case y in a|b) g;; esac";
        let pipes: Vec<&str> = parse(text)
            .pipes
            .iter()
            .map(|at| &text[*at..*at + 2])
            .collect();
        assert_eq!(pipes, vec!["| ", "|&"]);
        assert!(parse("a || b").pipes.is_empty());
    }

    #[test]
    fn line_breaks_separate_statements() {
        let found = names("apt-get update\napt-get install -y x");
        assert_eq!(found[1].1, Connector::Sequence);
        assert_eq!(parse("a\nb").top_level, vec![Connector::Sequence]);
    }

    #[test]
    fn submaps_shift_segments() {
        let map = LogicalLine::new(
            String::new(),
            vec![Segment::new(0, 10, 5), Segment::new(5, 20, 5)],
        );
        let sub = submap(&map, 3..8);
        assert_eq!(sub.document_offset(0), 13);
        assert_eq!(sub.document_offset(2), 20);
        assert_eq!(sub.document_end_offset(5), 23);
    }
}
