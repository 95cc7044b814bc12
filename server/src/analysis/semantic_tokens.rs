//! Semantic tokens: the captures of `queries/highlights.scm` over the tree-sitter tree, mapped
//! to token types by [`CAPTURES`], plus what the tree cannot see: parser directives, stage
//! references, and the variables and command names inside shell text and heredoc bodies.
//!
//! Tokens never overlap: an inner capture wins over the one around it, a later pattern over an
//! earlier one on the same node, and what comes from the lowered model over the tree.

use std::sync::OnceLock;

use tree_sitter::{Query, QueryCursor, StreamingIterator, Tree};

use crate::syntax::variables::Resolved;
use crate::syntax::{Keyword, SourceFile};
use crate::text::Span;

/// The highlight query, shipped in the binary and usable by editors as it is.
pub const HIGHLIGHTS: &str = include_str!("../../../queries/highlights.scm");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenType {
    Keyword,
    Comment,
    String,
    Number,
    Operator,
    Variable,
    Parameter,
    Property,
    Type,
    Class,
    EnumMember,
    Function,
    Macro,
}

impl TokenType {
    /// Every type, in the order of the legend the server announces.
    pub const ALL: [TokenType; 13] = [
        TokenType::Keyword,
        TokenType::Comment,
        TokenType::String,
        TokenType::Number,
        TokenType::Operator,
        TokenType::Variable,
        TokenType::Parameter,
        TokenType::Property,
        TokenType::Type,
        TokenType::Class,
        TokenType::EnumMember,
        TokenType::Function,
        TokenType::Macro,
    ];

    /// The position in [`TokenType::ALL`].
    pub fn index(self) -> u32 {
        TokenType::ALL
            .iter()
            .position(|candidate| *candidate == self)
            .unwrap_or(0) as u32
    }
}

/// Modifier bits, in the order of the legend.
pub mod modifiers {
    pub const DECLARATION: u32 = 1;
    pub const DEPRECATED: u32 = 1 << 1;
    pub const DEFAULT_LIBRARY: u32 = 1 << 2;
    /// The modifiers' names in bit order.
    pub const NAMES: [&str; 3] = ["declaration", "deprecated", "defaultLibrary"];
}

/// Capture name → token type and modifiers.
pub const CAPTURES: &[(&str, TokenType, u32)] = &[
    ("keyword", TokenType::Keyword, 0),
    (
        "keyword.deprecated",
        TokenType::Keyword,
        modifiers::DEPRECATED,
    ),
    ("comment", TokenType::Comment, 0),
    ("parameter", TokenType::Parameter, 0),
    ("property", TokenType::Property, 0),
    ("type", TokenType::Type, 0),
    ("constant", TokenType::EnumMember, 0),
    (
        "label.declaration",
        TokenType::Class,
        modifiers::DECLARATION,
    ),
    ("string", TokenType::String, 0),
    ("string.escape", TokenType::String, 0),
    ("string.delimiter", TokenType::Keyword, 0),
    ("variable", TokenType::Variable, 0),
    (
        "variable.declaration",
        TokenType::Variable,
        modifiers::DECLARATION,
    ),
    (
        "variable.builtin",
        TokenType::Variable,
        modifiers::DEFAULT_LIBRARY,
    ),
    ("operator", TokenType::Operator, 0),
    ("number", TokenType::Number, 0),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub token_type: TokenType,
    pub modifiers: u32,
}

/// The compiled query and, per capture index, its token type (`None`: not a token).
struct Highlights {
    query: Query,
    types: Vec<Option<(TokenType, u32)>>,
}

fn highlights() -> Option<&'static Highlights> {
    static HIGHLIGHTS_QUERY: OnceLock<Option<Highlights>> = OnceLock::new();
    HIGHLIGHTS_QUERY
        .get_or_init(|| {
            let query = match Query::new(&crate::syntax::tree::language(), HIGHLIGHTS) {
                Ok(query) => query,
                Err(error) => {
                    tracing::error!("queries/highlights.scm does not compile: {error}");
                    return None;
                }
            };
            let types = query
                .capture_names()
                .iter()
                .map(|name| {
                    CAPTURES
                        .iter()
                        .find(|(capture, _, _)| capture == name)
                        .map(|(_, token_type, modifiers)| (*token_type, *modifiers))
                })
                .collect();
            Some(Highlights { query, types })
        })
        .as_ref()
}

/// A token before overlaps are resolved: later `priority` wins on the same span.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    priority: usize,
    token_type: TokenType,
    modifiers: u32,
}

/// The tokens of `source` (with `tree`, its tree-sitter tree) that touch `range` (all of them
/// when `None`), in document order, none overlapping.
pub fn semantic_tokens(source: &SourceFile, tree: &Tree, range: Option<Span>) -> Vec<Token> {
    let text = source.text.as_str();
    let range = range.unwrap_or(0..text.len());
    let mut candidates = Vec::new();
    let mut overlay_priority = 0;
    if let Some(highlights) = highlights() {
        let mut cursor = QueryCursor::new();
        cursor.set_byte_range(range.clone());
        let mut matches = cursor.matches(&highlights.query, tree.root_node(), text.as_bytes());
        while let Some(found) = matches.next() {
            for capture in found.captures() {
                let Some(Some((token_type, modifiers))) =
                    highlights.types.get(capture.index as usize)
                else {
                    continue;
                };
                let node = capture.node;
                // Comments end with their line break in this grammar; tokens do not.
                let mut end = node.end_byte();
                while end > node.start_byte() && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
                    end -= 1;
                }
                candidates.push(Candidate {
                    start: node.start_byte(),
                    end,
                    priority: found.pattern_index,
                    token_type: *token_type,
                    modifiers: *modifiers,
                });
            }
        }
        overlay_priority = highlights.query.pattern_count();
    }
    overlay(source, &range, overlay_priority, &mut candidates);
    candidates.retain(|candidate| {
        candidate.start < range.end
            && candidate.end > range.start
            && candidate.start < candidate.end
    });
    flatten(candidates)
}

/// What the lowered model knows better than the tree: directives (the tree sees comments),
/// references to stages (the tree sees image names), and shell text.
fn overlay(source: &SourceFile, range: &Span, priority: usize, candidates: &mut Vec<Candidate>) {
    let mut push = |span: &Span, token_type: TokenType, modifiers: u32| {
        if span.start < range.end && span.end > range.start {
            candidates.push(Candidate {
                start: span.start,
                end: span.end,
                priority,
                token_type,
                modifiers,
            });
        }
    };
    for directive in &source.file.directives {
        push(&directive.span, TokenType::Macro, 0);
    }
    for stage in &source.stages.stages {
        if let Some(name) = &stage.name {
            push(&name.span, TokenType::Class, modifiers::DECLARATION);
        }
        for dependency in &stage.dependencies {
            if matches!(dependency.target, crate::syntax::Target::Stage(_)) {
                push(&dependency.span, TokenType::Class, 0);
            }
        }
    }
    let instructions = source.instructions();
    let first = instructions.partition_point(|instruction| instruction.span.end < range.start);
    let last = instructions.partition_point(|instruction| instruction.span.start < range.end);
    for (index, instruction) in instructions.iter().enumerate().take(last).skip(first) {
        if instruction.effective().keyword != Keyword::Run {
            continue;
        }
        for script in source.scripts(index) {
            let script = &script.script;
            for command in script.commands() {
                if let Some(name) = command.words.first() {
                    push(&script.span(name.range.clone()), TokenType::Function, 0);
                }
            }
        }
    }
    // Variables wherever BuildKit or a shell expands them, the shell's included.
    let variables = source.variables();
    let predefined = crate::syntax::stages::is_predefined_arg;
    let from = variables
        .references
        .partition_point(|reference| reference.span.end < range.start);
    for reference in &variables.references[from..] {
        if reference.span.start >= range.end {
            break;
        }
        let builtin = reference.resolved == Resolved::Predefined
            || (reference.resolved == Resolved::Unknown && predefined(&reference.name));
        let modifiers = if builtin {
            modifiers::DEFAULT_LIBRARY
        } else {
            0
        };
        push(&reference.span, TokenType::Variable, modifiers);
    }
    for declaration in &variables.declarations {
        push(
            &declaration.span,
            TokenType::Variable,
            modifiers::DECLARATION,
        );
    }
}

/// Resolves overlaps: sorted by start (the longer first on a tie, then by priority), each
/// token is painted over the ones it lies inside.
fn flatten(mut candidates: Vec<Candidate>) -> Vec<Token> {
    candidates.sort_by_key(|candidate| {
        (
            candidate.start,
            std::cmp::Reverse(candidate.end),
            candidate.priority,
        )
    });
    let mut tokens: Vec<Token> = Vec::with_capacity(candidates.len());
    let mut open: Vec<Candidate> = Vec::new();
    let mut position = 0;
    let emit = |tokens: &mut Vec<Token>, candidate: &Candidate, start: usize, end: usize| {
        if start < end {
            match tokens.last_mut() {
                // Pieces of one token split by an inner one that painted nothing join again.
                Some(last)
                    if last.end == start
                        && last.token_type == candidate.token_type
                        && last.modifiers == candidate.modifiers =>
                {
                    last.end = end
                }
                _ => tokens.push(Token {
                    start,
                    end,
                    token_type: candidate.token_type,
                    modifiers: candidate.modifiers,
                }),
            }
        }
    };
    for candidate in candidates {
        while let Some(top) = open.last().copied() {
            if top.end > candidate.start {
                break;
            }
            emit(&mut tokens, &top, position.max(top.start), top.end);
            position = position.max(top.end);
            open.pop();
        }
        if let Some(top) = open.last().copied() {
            emit(&mut tokens, &top, position.max(top.start), candidate.start);
        }
        position = position.max(candidate.start);
        open.push(candidate);
    }
    while let Some(top) = open.pop() {
        emit(&mut tokens, &top, position.max(top.start), top.end);
        position = position.max(top.end);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` tokenised, as `(text, type, modifiers)`.
    fn tokens(text: &str) -> Vec<(String, TokenType, u32)> {
        let source = SourceFile::parse(text);
        let tree = source.tree.clone().expect("tree");
        semantic_tokens(&source, &tree, None)
            .into_iter()
            .map(|token| {
                (
                    text[token.start..token.end].to_string(),
                    token.token_type,
                    token.modifiers,
                )
            })
            .collect()
    }

    fn find<'a>(
        found: &'a [(String, TokenType, u32)],
        text: &str,
    ) -> Vec<&'a (String, TokenType, u32)> {
        found.iter().filter(|(token, _, _)| token == text).collect()
    }

    /// The query's list of BuildKit's built-in ARGs is the stage graph's list.
    #[test]
    fn the_query_knows_every_predefined_arg() {
        let start = HIGHLIGHTS
            .find("(#any-of? @variable.builtin")
            .expect("the built-in list");
        let end = start + HIGHLIGHTS[start..].find("))").expect("its end");
        let mut listed: Vec<&str> = HIGHLIGHTS[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .collect();
        let mut known: Vec<&str> = crate::syntax::stages::PLATFORM_ARGS
            .iter()
            .chain(crate::syntax::stages::PROXY_ARGS.iter())
            .copied()
            .collect();
        listed.sort_unstable();
        known.sort_unstable();
        assert_eq!(listed, known);
    }

    #[test]
    fn every_query_compiles_and_every_capture_has_a_token_type() {
        let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/../queries");
        let mut checked = 0;
        for entry in std::fs::read_dir(directory).expect("queries/") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|extension| extension != "scm") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("readable");
            let query = Query::new(&crate::syntax::tree::language(), &source)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            for name in query.capture_names() {
                assert!(
                    CAPTURES.iter().any(|(capture, _, _)| capture == name),
                    "{}: @{name} has no token type",
                    path.display()
                );
            }
            checked += 1;
        }
        assert!(checked >= 1);
        // And the table has nothing the query does not use.
        let query = &highlights().expect("compiles").query;
        for (capture, _, _) in CAPTURES {
            assert!(
                query.capture_names().contains(capture),
                "@{capture} is unused"
            );
        }
    }

    #[test]
    fn instructions_flags_images_and_variables() {
        let text = "# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM --platform=$BUILDPLATFORM ${BASE}:3.20 AS build\nENV HOME_DIR=\"/app\"\nMAINTAINER me\nFROM scratch\nCOPY --from=build /a /b\nEXPOSE 80\n";
        let found = tokens(text);
        assert_eq!(
            found[0],
            ("# syntax=docker/dockerfile:1".into(), TokenType::Macro, 0)
        );
        assert_eq!(find(&found, "FROM")[0].1, TokenType::Keyword);
        assert_eq!(find(&found, "BASE")[0].2, modifiers::DECLARATION);
        assert_eq!(find(&found, "BASE")[1].1, TokenType::Variable);
        assert_eq!(
            find(&found, "BUILDPLATFORM")[0].2,
            modifiers::DEFAULT_LIBRARY
        );
        assert_eq!(find(&found, "build")[0].1, TokenType::Class);
        assert_eq!(find(&found, "build")[1].1, TokenType::Class);
        assert_eq!(find(&found, "MAINTAINER")[0].2, modifiers::DEPRECATED);
        assert_eq!(find(&found, "\"/app\"")[0].1, TokenType::String);
        assert_eq!(find(&found, "80")[0].1, TokenType::Number);
        assert_eq!(find(&found, "3.20")[0].1, TokenType::EnumMember);
        assert_eq!(find(&found, "--platform")[0].1, TokenType::Parameter);
        assert!(find(&found, "\n").is_empty());
        // Nothing overlaps, and everything is in order.
        let source = SourceFile::parse(text);
        let all = semantic_tokens(&source, source.tree.as_ref().unwrap(), None);
        for pair in all.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{pair:?}");
        }
    }

    #[test]
    fn shell_text_and_heredocs() {
        let text = "FROM a\nENV DIR=/x\nRUN cd \"$DIR\" && make ${TARGETARCH:-x} \\\n  && echo $HTTP_PROXY\nRUN <<EOF\nset -e\necho $DIR\nEOF\nCMD echo $DIR\n";
        let found = tokens(text);
        let dirs = find(&found, "DIR");
        assert_eq!(dirs.len(), 4);
        assert!(
            dirs.iter()
                .all(|(_, token_type, _)| *token_type == TokenType::Variable)
        );
        assert_eq!(find(&found, "cd")[0].1, TokenType::Function);
        assert_eq!(find(&found, "set")[0].1, TokenType::Function);
        assert_eq!(find(&found, "HTTP_PROXY")[0].2, modifiers::DEFAULT_LIBRARY);
        assert_eq!(find(&found, "TARGETARCH")[0].2, modifiers::DEFAULT_LIBRARY);
        assert_eq!(find(&found, "<<EOF")[0].1, TokenType::Keyword);
    }

    #[test]
    fn a_range_gives_the_tokens_inside_it() {
        let text = "FROM a\nRUN echo $HOME\nCOPY a b\n";
        let source = SourceFile::parse(text);
        let start = text.find("RUN").unwrap();
        let found = semantic_tokens(
            &source,
            source.tree.as_ref().unwrap(),
            Some(start..start + 14),
        );
        let words: Vec<&str> = found
            .iter()
            .map(|token| &text[token.start..token.end])
            .collect();
        assert_eq!(words, vec!["RUN", "echo", "HOME"]);
    }
}
