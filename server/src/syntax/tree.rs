//! The tree-sitter boundary: an incremental `tree-sitter-containerfile` tree kept in step with
//! the document text. The tree gives structure for highlighting, folding and selection; the
//! BuildKit view of the file comes from [`super::lower`].

use tree_sitter::{InputEdit, Language, Node, Parser, Point, Tree};

use crate::text::{ByteEdit, Text};

/// The Containerfile grammar.
pub fn language() -> Language {
    tree_sitter_containerfile::LANGUAGE.into()
}

/// A parser and the current tree of one document.
pub struct SyntaxTree {
    parser: Parser,
    tree: Option<Tree>,
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SyntaxTree")
            .field(
                "tree",
                &self.tree.as_ref().map(|tree| tree.root_node().to_sexp()),
            )
            .finish()
    }
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    // The grammar is compiled into the binary; its ABI is checked by the tests.
    if let Err(error) = parser.set_language(&language()) {
        tracing::error!("cannot load the Containerfile grammar: {error}");
    }
    parser
}

/// Parses `text` from scratch.
pub fn parse(text: &Text) -> Option<Tree> {
    parse_with(&mut new_parser(), text, None)
}

fn parse_with(parser: &mut Parser, text: &Text, old: Option<&Tree>) -> Option<Tree> {
    let mut read = |offset: usize, _: Point| text.chunk_at(offset);
    parser.parse_with_options(&mut read, old, None)
}

/// The tree-sitter point of byte `offset`: rows count `\n` only, columns count bytes.
fn point_at(text: &Text, offset: usize) -> Point {
    let rope = text.rope();
    let offset = offset.min(rope.len_bytes());
    let mut row = 0;
    let mut line_start = 0;
    let mut chunk_start = 0;
    for chunk in rope.chunks() {
        if chunk_start >= offset {
            break;
        }
        let bytes = chunk.as_bytes();
        let take = (offset - chunk_start).min(bytes.len());
        for index in memchr::memchr_iter(b'\n', &bytes[..take]) {
            row += 1;
            line_start = chunk_start + index + 1;
        }
        chunk_start += bytes.len();
    }
    Point::new(row, offset - line_start)
}

impl SyntaxTree {
    pub fn new(text: &Text) -> Self {
        let mut parser = new_parser();
        let tree = parse_with(&mut parser, text, None);
        Self { parser, tree }
    }

    /// A parser with no tree yet: the first [`SyntaxTree::reparse`] parses from scratch.
    pub fn unparsed() -> Self {
        Self {
            parser: new_parser(),
            tree: None,
        }
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Tells the tree about one change. `before` is the text before the change and `after` the
    /// text after it; call [`SyntaxTree::reparse`] once all changes of a batch are in.
    pub fn edit(&mut self, before: &Text, after: &Text, edit: ByteEdit) {
        let Some(tree) = self.tree.as_mut() else {
            return;
        };
        tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.old_end,
            new_end_byte: edit.new_end,
            start_position: point_at(before, edit.start),
            old_end_position: point_at(before, edit.old_end),
            new_end_position: point_at(after, edit.new_end),
        });
    }

    /// Reparses `text`, reusing the edited tree. The result is the tree a fresh parse gives:
    /// tree-sitter's error recovery can place an ERROR node differently when it reuses old
    /// nodes, so a tree with errors is parsed again from scratch (the lowering does not read
    /// the tree; highlighting, folding and selection then agree with a fresh open).
    pub fn reparse(&mut self, text: &Text) {
        let tree = parse_with(&mut self.parser, text, self.tree.as_ref());
        self.tree = match tree {
            Some(tree) if tree.root_node().has_error() => parse_with(&mut self.parser, text, None),
            other => other,
        };
    }

    /// Drops the old tree and parses `text` from scratch (after a whole-document change).
    pub fn replace(&mut self, text: &Text) {
        self.tree = parse_with(&mut self.parser, text, None);
    }
}

/// The innermost named node that covers `offset` (for selection ranges and hovers).
pub fn node_at(tree: &Tree, offset: usize) -> Option<Node<'_>> {
    tree.root_node()
        .named_descendant_for_byte_range(offset, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{PositionEncoding, TextChange};

    #[test]
    fn grammar_loads_and_parses_a_dockerfile() {
        let text = Text::new("FROM alpine:3.20\nRUN apk add --no-cache curl\n");
        let tree = parse(&text).expect("tree");
        assert!(!tree.root_node().has_error());
        assert_eq!(tree.root_node().named_child_count(), 2);
    }

    #[test]
    fn incremental_edit_matches_a_fresh_parse() {
        let mut text = Text::new("FROM alpine\nRUN echo hi\n");
        let mut syntax = SyntaxTree::new(&text);
        let before = text.clone();
        let edit = text.apply(
            &TextChange {
                range: Some((
                    crate::text::Position::new(1, 4),
                    crate::text::Position::new(1, 8),
                )),
                text: "apk add 界 \\\n  x".into(),
            },
            PositionEncoding::Utf16,
        );
        syntax.edit(&before, &text, edit);
        syntax.reparse(&text);
        let fresh = parse(&text).unwrap();
        assert_eq!(
            syntax.tree().unwrap().root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn points_count_newlines_only() {
        let text = Text::new("a\rb\nc界d");
        assert_eq!(point_at(&text, 3), Point::new(0, 3));
        assert_eq!(point_at(&text, 5), Point::new(1, 1));
        assert_eq!(point_at(&text, 8), Point::new(1, 4));
    }
}
