//! Document text: a rope of LSP lines, and the one place that converts between byte offsets and
//! editor positions (UTF-8 or UTF-16 columns).
//!
//! Everything else in the server speaks byte offsets into the document. Lines here are the LSP's
//! lines: they end at `\n`, `\r\n` or a lone `\r` (ropey's `cr_lines`), never at U+2028 and the
//! like, which is why ropey's default `unicode_lines` is off.

use ropey::Rope;
use std::ops::Range;

/// A byte range into a document.
pub type Span = Range<usize>;

/// How the columns of a [`Position`] count: the LSP lets the server pick one of the client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Columns count bytes of UTF-8 (offered by Neovim 0.11 and Helix).
    Utf8,
    /// Columns count UTF-16 code units (the LSP default; VS Code offers nothing else).
    #[default]
    Utf16,
    /// Columns count Unicode scalar values (what the command line reports).
    Utf32,
}

/// A zero-based line and column, the column counted in the negotiated [`PositionEncoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// One change from the editor: replace `range` (or everything, when `None`) with `text`.
#[derive(Clone, Debug)]
pub struct TextChange {
    pub range: Option<(Position, Position)>,
    pub text: String,
}

/// The byte-level description of an applied change, enough for tree-sitter's `InputEdit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

/// How many columns `text` takes in `encoding`.
fn columns(text: &str, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => text.len(),
        PositionEncoding::Utf16 if text.is_ascii() => text.len(),
        PositionEncoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => text.chars().count(),
    }
}

/// The text of one document.
#[derive(Clone, Debug, Default)]
pub struct Text {
    rope: Rope,
}

impl Text {
    pub fn new(text: &str) -> Self {
        Self {
            rope: Rope::from_str(text),
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// The number of LSP lines (an empty document and a document ending in a line break both
    /// have a last, empty line).
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// Applies one change and says which bytes it replaced. A range change converts its
    /// positions with `encoding`, clamping as [`Text::offset`] does, so no position panics.
    pub fn apply(&mut self, change: &TextChange, encoding: PositionEncoding) -> ByteEdit {
        let (start, old_end) = match change.range {
            Some((start, end)) => {
                let start = self.offset(start, encoding);
                let end = self.offset(end, encoding).max(start);
                (start, end)
            }
            None => (0, self.rope.len_bytes()),
        };
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(old_end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, &change.text);
        ByteEdit {
            start,
            old_end,
            new_end: start + change.text.len(),
        }
    }

    /// The byte offset of `position`. A line past the end clamps to the end of the document; a
    /// column past the end of its line clamps to the line's end (before its line break); a column
    /// inside a UTF-8 sequence or a surrogate pair snaps back to the start of that character.
    pub fn offset(&self, position: Position, encoding: PositionEncoding) -> usize {
        let line = position.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let line_start = self.rope.line_to_byte(line);
        let line_end = line_start + self.line_content_len(line);
        match encoding {
            PositionEncoding::Utf8 => {
                let wanted = (line_start + position.column as usize).min(line_end);
                // byte_to_char rounds down to the start of the character that holds the byte.
                self.rope.char_to_byte(self.rope.byte_to_char(wanted))
            }
            PositionEncoding::Utf16 => {
                let start_char = self.rope.byte_to_char(line_start);
                let end_char = self.rope.byte_to_char(line_end);
                let start_units = self.rope.char_to_utf16_cu(start_char);
                let end_units = self.rope.char_to_utf16_cu(end_char);
                let wanted = (start_units + position.column as usize).min(end_units);
                // utf16_cu_to_char rounds down inside a surrogate pair.
                self.rope.char_to_byte(self.rope.utf16_cu_to_char(wanted))
            }
            PositionEncoding::Utf32 => {
                let start_char = self.rope.byte_to_char(line_start);
                let end_char = self.rope.byte_to_char(line_end);
                let wanted = (start_char + position.column as usize).min(end_char);
                self.rope.char_to_byte(wanted)
            }
        }
    }

    /// The position of byte `offset` (clamped to the document, snapped back to a character
    /// boundary).
    pub fn position(&self, offset: usize, encoding: PositionEncoding) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(offset);
        let line_start = self.rope.line_to_byte(line);
        // Count the columns over the line's chunks: two descents of the rope, then only the
        // bytes of this line are read.
        let mut column = 0;
        let (chunks, mut chunk_start, _, _) = self.rope.chunks_at_byte(line_start);
        for chunk in chunks {
            if chunk_start >= offset {
                break;
            }
            let from = line_start.saturating_sub(chunk_start);
            let mut to = (offset - chunk_start).min(chunk.len());
            while !chunk.is_char_boundary(to) {
                to -= 1;
            }
            column += columns(&chunk[from..to], encoding);
            chunk_start += chunk.len();
        }
        Position::new(line as u32, column as u32)
    }

    /// The zero-based LSP line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.rope.byte_to_line(offset.min(self.rope.len_bytes()))
    }

    /// The byte range of line `line` without its line break (empty past the end).
    pub fn line_span(&self, line: usize) -> Span {
        if line >= self.rope.len_lines() {
            let end = self.rope.len_bytes();
            return end..end;
        }
        let start = self.rope.line_to_byte(line);
        start..start + self.line_content_len(line)
    }

    /// The byte length of line `line` without its line break (`\n`, `\r\n` or `\r`).
    fn line_content_len(&self, line: usize) -> usize {
        let slice = self.rope.line(line);
        let bytes = slice.len_bytes();
        let chars = slice.len_chars();
        let last = if chars > 0 {
            Some(slice.char(chars - 1))
        } else {
            None
        };
        match last {
            Some('\n') if chars > 1 && slice.char(chars - 2) == '\r' => bytes - 2,
            Some('\n') | Some('\r') => bytes - 1,
            _ => bytes,
        }
    }

    /// The whole text as one string (analysis works on contiguous snapshots), allocated once
    /// at its size: `Rope::to_string` grows a string by doubling, which on every keystroke in
    /// a large file copied the text several times and left the smaller buffers in the heap.
    pub fn to_string_lossless(&self) -> String {
        let mut text = String::with_capacity(self.rope.len_bytes());
        for chunk in self.rope.chunks() {
            text.push_str(chunk);
        }
        text
    }

    /// `previous` (this text before `edit`) made equal to this text by replacing only the
    /// edited bytes: the string of the next version without a second copy of the document.
    pub fn apply_to(&self, mut previous: String, edit: ByteEdit) -> String {
        // Borrowed when the inserted bytes lie in one chunk of the rope (a keystroke always).
        let inserted: std::borrow::Cow<str> = self.rope.byte_slice(edit.start..edit.new_end).into();
        // Room for what the edit adds and a few more keystrokes, not the doubling
        // `replace_range` would do: the string is the size of the document and lives as long
        // as its version.
        let grows = inserted.len().saturating_sub(edit.old_end - edit.start);
        if previous.capacity() - previous.len() < grows {
            previous.reserve_exact(grows + 4096);
        }
        previous.replace_range(edit.start..edit.old_end, &inserted);
        previous
    }

    /// Feeds tree-sitter: the chunk of text that starts at `offset`, without copying.
    pub fn chunk_at(&self, offset: usize) -> &[u8] {
        if offset >= self.rope.len_bytes() {
            return &[];
        }
        let (chunk, chunk_start, _, _) = self.rope.chunk_at_byte(offset);
        &chunk.as_bytes()[offset - chunk_start..]
    }
}

/// Converts byte spans of a snapshot's text into positions. It is built per snapshot so that a
/// result computed for version N is converted with version N's text, whatever came after.
#[derive(Clone, Debug)]
pub struct LineIndex {
    text: Text,
    encoding: PositionEncoding,
    /// Built on first use: a response converts thousands of offsets, and a table beats two
    /// rope descents per offset.
    lines: std::sync::Arc<std::sync::OnceLock<Lines>>,
}

/// Where each LSP line starts, and whether it is all ASCII (so a column is a byte count in
/// every encoding).
#[derive(Debug, Default)]
struct Lines {
    starts: Vec<usize>,
    ascii: Vec<bool>,
}

impl Lines {
    fn of(text: &Text) -> Lines {
        // Sized once: the rope counts LSP line breaks as it is built.
        let count = text.rope().len_lines();
        let mut lines = Lines {
            starts: Vec::with_capacity(count),
            ascii: Vec::with_capacity(count),
        };
        lines.starts.push(0);
        let mut ascii = true;
        let mut offset = 0;
        // A `\r` at the end of one chunk may pair with a `\n` at the start of the next.
        let mut pending_cr = false;
        for chunk in text.rope().chunks() {
            let bytes = chunk.as_bytes();
            let mut from = 0;
            if pending_cr {
                pending_cr = false;
                if bytes.first() == Some(&b'\n') {
                    from = 1;
                    lines.ascii.push(ascii);
                    lines.starts.push(offset + 1);
                } else {
                    // A lone `\r` ended the line at the end of the previous chunk.
                    lines.ascii.push(ascii);
                    lines.starts.push(offset);
                }
                ascii = true;
            }
            let mut line_start = from;
            for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[from..]).map(|at| at + from) {
                if at < line_start {
                    // The `\n` of a `\r\n` already handled.
                    continue;
                }
                ascii &= bytes[line_start..at].is_ascii();
                let end = if bytes[at] == b'\r' {
                    match bytes.get(at + 1) {
                        Some(b'\n') => at + 2,
                        Some(_) => at + 1,
                        None => {
                            // Decided by the next chunk's first byte.
                            pending_cr = true;
                            line_start = bytes.len();
                            break;
                        }
                    }
                } else {
                    at + 1
                };
                lines.ascii.push(ascii);
                lines.starts.push(offset + end);
                ascii = true;
                line_start = end;
            }
            if line_start < bytes.len() {
                ascii &= bytes[line_start..].is_ascii();
            }
            offset += bytes.len();
        }
        if pending_cr {
            lines.ascii.push(ascii);
            lines.starts.push(offset);
            ascii = true;
        }
        lines.ascii.push(ascii);
        lines
    }
}

impl LineIndex {
    pub fn new(text: Text, encoding: PositionEncoding) -> Self {
        Self {
            text,
            encoding,
            lines: Default::default(),
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let lines = self.lines.get_or_init(|| Lines::of(&self.text));
        let offset = offset.min(self.text.len());
        let line = lines.starts.partition_point(|start| *start <= offset) - 1;
        if lines.ascii[line] {
            return Position::new(line as u32, (offset - lines.starts[line]) as u32);
        }
        self.text.position(offset, self.encoding)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.text.offset(position, self.encoding)
    }

    pub fn range(&self, span: &Span) -> (Position, Position) {
        (self.position(span.start), self.position(span.end))
    }

    pub fn text(&self) -> &Text {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(line: u32, column: u32) -> Position {
        Position::new(line, column)
    }

    /// The line table agrees with the rope at every offset, across chunk boundaries, for
    /// every kind of line break and for non-ASCII lines.
    #[test]
    fn line_index_table_agrees_with_the_rope() {
        let pieces = [
            "RUN a", "\n", "\r\n", "\r", "é", "😀", " \\", "x", "\r\r\n", "",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..40 {
            let mut text = String::new();
            // Big enough for several rope chunks in later rounds.
            let count = if round < 30 { 20 } else { 3000 };
            for _ in 0..count {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            for encoding in [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ] {
                let index = LineIndex::new(Text::new(&text), encoding);
                for offset in 0..=text.len() + 1 {
                    assert_eq!(
                        index.position(offset),
                        index.text().position(offset, encoding),
                        "{text:?} at {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr_only() {
        let text = Text::new("a\nb\r\nc\rd\u{2028}e");
        assert_eq!(text.line_count(), 4);
        assert_eq!(text.line_span(0), 0..1);
        assert_eq!(text.line_span(1), 2..3);
        assert_eq!(text.line_span(2), 5..6);
        // U+2028 is not an LSP line break.
        assert_eq!(text.line_span(3), 7..text.len());
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_as_two() {
        let text = Text::new("RUN echo 😀x\n");
        // "RUN echo " is 9 units, the emoji 2, so "x" starts at column 11.
        assert_eq!(text.offset(utf16(0, 11), PositionEncoding::Utf16), 13);
        assert_eq!(text.position(13, PositionEncoding::Utf16), utf16(0, 11));
        assert_eq!(text.position(13, PositionEncoding::Utf8), utf16(0, 13));
        assert_eq!(text.position(13, PositionEncoding::Utf32), utf16(0, 10));
        assert_eq!(text.offset(utf16(0, 10), PositionEncoding::Utf32), 13);
    }

    #[test]
    fn positions_inside_a_character_snap_back() {
        let text = Text::new("😀界");
        // Column 1 in UTF-16 is inside the surrogate pair; byte 2 is inside the emoji.
        assert_eq!(text.offset(utf16(0, 1), PositionEncoding::Utf16), 0);
        assert_eq!(text.offset(utf16(0, 2), PositionEncoding::Utf8), 0);
        assert_eq!(text.offset(utf16(0, 5), PositionEncoding::Utf8), 4);
        assert_eq!(text.position(5, PositionEncoding::Utf16), utf16(0, 2));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = Text::new("FROM a\r\nRUN b\n");
        assert_eq!(text.offset(utf16(0, 99), PositionEncoding::Utf16), 6);
        assert_eq!(text.offset(utf16(1, 99), PositionEncoding::Utf8), 13);
        assert_eq!(
            text.offset(utf16(7, 3), PositionEncoding::Utf16),
            text.len()
        );
        assert_eq!(text.position(999, PositionEncoding::Utf16), utf16(2, 0));
    }

    #[test]
    fn apply_replaces_the_range_and_reports_bytes() {
        let mut text = Text::new("FROM alpine\nRUN x\n");
        let edit = text.apply(
            &TextChange {
                range: Some((utf16(1, 4), utf16(1, 5))),
                text: "apk add 界".into(),
            },
            PositionEncoding::Utf16,
        );
        assert_eq!(text.to_string_lossless(), "FROM alpine\nRUN apk add 界\n");
        assert_eq!(
            edit,
            ByteEdit {
                start: 16,
                old_end: 17,
                new_end: 16 + "apk add 界".len()
            }
        );
        let edit = text.apply(
            &TextChange {
                range: None,
                text: "FROM b".into(),
            },
            PositionEncoding::Utf16,
        );
        assert_eq!(text.to_string_lossless(), "FROM b");
        assert_eq!(edit.start, 0);
    }

    #[test]
    fn reversed_ranges_do_not_panic() {
        let mut text = Text::new("abc\ndef");
        text.apply(
            &TextChange {
                range: Some((utf16(1, 2), utf16(0, 1))),
                text: "X".into(),
            },
            PositionEncoding::Utf16,
        );
        assert_eq!(text.to_string_lossless(), "abc\ndeXf");
    }
}
