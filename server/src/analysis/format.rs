//! Formatting: instruction keywords upper-case, one space after the keyword, continuation lines
//! indented relative to their own structure, trailing whitespace removed, at most one blank line
//! between instructions. Heredoc bodies, comments and everything inside quotes stay as written.
//!
//! The formatter only changes whitespace BuildKit or the shell ignores and the spelling of
//! keywords, which BuildKit reads case-insensitively; [`same_meaning`] states exactly what is
//! kept, and the corpus test checks it on every file.

use crate::lint::Edit;
use crate::syntax::lower::trim_continuation;
use crate::syntax::{Dockerfile, Instruction, Keyword, SourceFile};
use crate::text::Span;

/// How to indent continuation lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Columns per indentation level (and per tab when measuring existing indentation).
    pub tab_size: u32,
    /// Indent with spaces; with tabs otherwise.
    pub insert_spaces: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            tab_size: 4,
            insert_spaces: true,
        }
    }
}

impl FormatOptions {
    fn tab_size(&self) -> usize {
        self.tab_size.clamp(1, 16) as usize
    }

    /// Whitespace `columns` wide, one level of indentation included.
    fn indentation(&self, columns: usize) -> String {
        if self.insert_spaces {
            return " ".repeat(columns);
        }
        let tab = self.tab_size();
        let mut indentation = "\t".repeat(columns / tab);
        indentation.push_str(&" ".repeat(columns % tab));
        indentation
    }
}

/// The edits that format the whole document, in document order, none overlapping.
pub fn format(source: &SourceFile, options: &FormatOptions) -> Vec<Edit> {
    let mut formatter = Formatter {
        text: &source.text,
        file: &source.file,
        options: *options,
        edits: Vec::new(),
    };
    formatter.run();
    formatter.edits
}

/// The formatting edits on the lines `range` touches.
pub fn format_range(source: &SourceFile, range: &Span, options: &FormatOptions) -> Vec<Edit> {
    let text = source.text.as_str();
    let low = line_start(text, range.start.min(text.len()));
    let high = next_line_start(text, range.end.max(range.start).min(text.len()));
    format(source, options)
        .into_iter()
        .filter(|edit| edit.span.start >= low && edit.span.end <= high)
        .collect()
}

/// Formatting as the user types: after the escape character at the end of a line, the next
/// line becomes a continuation and gets its indentation (the indentation of the line above, or
/// one level under the instruction's first line). `offset` is the cursor after the character.
pub fn format_on_type(
    source: &SourceFile,
    offset: usize,
    typed: char,
    options: &FormatOptions,
) -> Vec<Edit> {
    let text = source.text.as_str();
    let escape = source.file.escape;
    if typed != escape || offset > text.len() {
        return Vec::new();
    }
    let start = line_start(text, offset.saturating_sub(1));
    let line = &text[start..line_content_end(text, start)];
    let (_, continues) = trim_continuation(line, escape);
    if !continues {
        return Vec::new();
    }
    let next = next_line_start(text, start);
    if next >= text.len() || next == start {
        return Vec::new();
    }
    let next_line = &text[next..line_content_end(text, next)];
    let blank = next_line.bytes().all(is_blank_byte);
    if blank || next_line.starts_with([' ', '\t']) {
        return Vec::new();
    }
    let Some(index) = crate::lint::instruction_at(source, start) else {
        return Vec::new();
    };
    let instruction = &source.instructions()[index];
    // The keyword's line gets one level; a continuation line passes its own indentation on.
    let indentation = if line_start(text, instruction.span.start) == start {
        options.indentation(options.tab_size())
    } else {
        let own: String = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .collect();
        if own.is_empty() {
            options.indentation(options.tab_size())
        } else {
            own
        }
    };
    vec![Edit::insert(next, indentation)]
}

/// True when formatting left everything BuildKit and the shell see as it was: directives,
/// instructions (keywords compared as BuildKit reads them, shell-form commands compared up to
/// whitespace outside quotes, which only separates words), heredoc bodies, comments and errors.
pub fn same_meaning(before: &Dockerfile, after: &Dockerfile) -> bool {
    let directives = |file: &Dockerfile| -> Vec<(String, String)> {
        file.directives
            .iter()
            .map(|directive| (directive.name.clone(), directive.value.clone()))
            .collect()
    };
    let comments = |file: &Dockerfile| -> Vec<String> {
        file.comments
            .iter()
            .map(|comment| comment.text.clone())
            .collect()
    };
    let errors = |file: &Dockerfile| -> Vec<String> {
        file.errors
            .iter()
            .map(|error| error.message.clone())
            .collect()
    };
    before.escape == after.escape
        && directives(before) == directives(after)
        && comments(before) == comments(after)
        && errors(before) == errors(after)
        && before.instructions.len() == after.instructions.len()
        && before
            .instructions
            .iter()
            .zip(&after.instructions)
            .all(|(one, other)| same_instruction(one, other, before.escape))
}

fn same_instruction(one: &Instruction, other: &Instruction, escape: char) -> bool {
    let keyword = |instruction: &Instruction| match instruction.keyword {
        Keyword::Unknown => instruction.keyword_word.text.to_string(),
        known => known.name().to_string(),
    };
    let flags = |instruction: &Instruction| -> Vec<String> {
        instruction
            .flags
            .iter()
            .map(|flag| flag.text.to_string())
            .collect()
    };
    // ONBUILD carries the values of the instruction it wraps.
    let shell_form = !one.json
        && matches!(
            one.effective().keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
    let values = |instruction: &Instruction| -> Vec<String> {
        instruction
            .values
            .iter()
            .map(|value| {
                if shell_form {
                    collapse_unquoted_whitespace(&value.text, escape)
                } else {
                    value.text.to_string()
                }
            })
            .collect()
    };
    let heredocs = |instruction: &Instruction| -> Vec<(String, u32, String, bool, bool)> {
        instruction
            .heredocs
            .iter()
            .map(|heredoc| {
                (
                    heredoc.name.clone(),
                    heredoc.file_descriptor,
                    heredoc.content.clone(),
                    heredoc.chomp,
                    heredoc.expand,
                )
            })
            .collect()
    };
    let inner_same = match (&one.onbuild, &other.onbuild) {
        (Some(one), Some(other)) => same_instruction(one, other, escape),
        (None, None) => true,
        _ => false,
    };
    keyword(one) == keyword(other)
        && one.json == other.json
        && flags(one) == flags(other)
        && values(one) == values(other)
        && heredocs(one) == heredocs(other)
        && inner_same
}

/// `text` with every run of spaces and tabs outside quotes made one space: what `sh -c`
/// splits into the same words.
fn collapse_unquoted_whitespace(text: &str, escape: char) -> String {
    let mut output = String::with_capacity(text.len());
    let mut quotes = QuoteTracker::new(escape, false);
    let mut in_space = false;
    for c in text.chars() {
        let outside = quotes.outside();
        quotes.feed(c);
        if outside && matches!(c, ' ' | '\t') && quotes.outside() {
            if !in_space {
                output.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        output.push(c);
    }
    output
}

/// Follows quotes through instruction text the way BuildKit's lexer and a POSIX shell both
/// read them: `'...'` takes everything literally, `"..."` honours the escape character, and the
/// escape character outside quotes escapes the next character. JSON arrays only have `"..."`
/// with `\` escapes.
#[derive(Clone, Copy, Debug)]
struct QuoteTracker {
    escape: char,
    json: bool,
    quote: Option<char>,
    escaped: bool,
}

impl QuoteTracker {
    fn new(escape: char, json: bool) -> QuoteTracker {
        QuoteTracker {
            escape: if json { '\\' } else { escape },
            json,
            quote: None,
            escaped: false,
        }
    }

    fn outside(&self) -> bool {
        self.quote.is_none() && !self.escaped
    }

    fn feed(&mut self, c: char) {
        if self.escaped {
            self.escaped = false;
            return;
        }
        match self.quote {
            None if c == self.escape && !self.json => self.escaped = true,
            None if c == '"' || (c == '\'' && !self.json) => self.quote = Some(c),
            None => {}
            Some('\'') if c == '\'' => self.quote = None,
            Some('\'') => {}
            Some(_) if c == self.escape => self.escaped = true,
            Some(_) if c == '"' => self.quote = None,
            Some(_) => {}
        }
    }

    fn feed_str(&mut self, text: &str) {
        for c in text.chars() {
            self.feed(c);
        }
    }
}

/// Instructions whose value is the rest of the line, whitespace and all: `MAINTAINER`,
/// `STOPSIGNAL`, `USER`, `WORKDIR`, and `ENV`/`LABEL` in the legacy `KEY value` form.
fn whitespace_is_content(instruction: &Instruction) -> bool {
    match instruction.keyword {
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => true,
        Keyword::Env | Keyword::Label => !instruction
            .arguments()
            .split_whitespace()
            .next()
            .is_some_and(|first| first.contains('=')),
        _ => false,
    }
}

fn ends_in_open_heredoc(instruction: &Instruction) -> bool {
    instruction
        .heredocs
        .last()
        .is_some_and(|heredoc| heredoc.end_span.is_empty())
}

fn is_blank_byte(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// The start of the line holding `offset` (lines end at `\n`, as BuildKit reads them).
fn line_start(text: &str, offset: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..offset.min(text.len())])
        .map(|at| at + 1)
        .unwrap_or(0)
}

/// Where the line after the one holding `offset` starts (the end of the text for the last).
fn next_line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memchr(b'\n', &text.as_bytes()[offset..])
        .map(|at| offset + at + 1)
        .unwrap_or(text.len())
}

/// The end of the content of the line starting at `start`, before `\n` or `\r\n`.
fn line_content_end(text: &str, start: usize) -> usize {
    let next = next_line_start(text, start);
    let mut end = next;
    if end > start && text.as_bytes()[end - 1] == b'\n' {
        end -= 1;
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
    }
    end
}

/// The width of leading spaces and tabs in columns, or `None` when the line starts with other
/// whitespace (left alone: it is not ours to interpret).
fn indentation_width(line: &str, tab_size: usize) -> (usize, usize) {
    let mut columns = 0;
    let mut bytes = 0;
    for byte in line.bytes() {
        match byte {
            b' ' => columns += 1,
            b'\t' => columns = (columns / tab_size + 1) * tab_size,
            _ => break,
        }
        bytes += 1;
    }
    (columns, bytes)
}

/// One physical line of an instruction's head (its keyword line and continuation lines).
struct HeadLine {
    start: usize,
    end: usize,
    kind: HeadLineKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeadLineKind {
    /// The line with the keyword.
    First,
    /// A continuation line whose leading whitespace may change (it separates words).
    Movable,
    /// A comment line inside the continuation (BuildKit drops it).
    Comment,
    /// A continuation line whose leading whitespace is part of a word or a quoted string.
    Fixed,
    Blank,
}

struct Formatter<'a> {
    text: &'a str,
    file: &'a Dockerfile,
    options: FormatOptions,
    edits: Vec<Edit>,
}

impl Formatter<'_> {
    fn run(&mut self) {
        let text = self.text;
        let mut position = 0;
        for instruction in &self.file.instructions {
            let head_start = line_start(text, instruction.span.start);
            if head_start < position {
                // Two instructions on one line cannot happen; never produce overlapping edits.
                continue;
            }
            self.gap(position, head_start, false);
            self.instruction(instruction);
            // An unterminated heredoc runs to the end of the file, blank lines included.
            position = if ends_in_open_heredoc(instruction) {
                text.len()
            } else {
                next_line_start(text, instruction.span.end)
            };
        }
        self.gap(position, text.len(), true);
        self.final_line_break();
    }

    fn push(&mut self, edit: Edit) {
        if self.text.get(edit.span.clone()) != Some(edit.new_text.as_str()) {
            self.edits.push(edit);
        }
    }

    /// Lines between instructions: comments, directives and blank lines.
    fn gap(&mut self, start: usize, end: usize, end_of_file: bool) {
        let text = self.text;
        let mut lines = Vec::new();
        let mut position = start;
        while position < end {
            let content_end = line_content_end(text, position);
            lines.push((position, content_end));
            position = next_line_start(text, position);
            if position == content_end {
                break;
            }
        }
        let is_blank = |&(start, end): &(usize, usize)| {
            text.as_bytes()[start..end]
                .iter()
                .copied()
                .all(is_blank_byte)
        };
        // Blank lines at the end of the file go, all of them.
        let mut keep = lines.len();
        if end_of_file {
            while keep > 0 && is_blank(&lines[keep - 1]) {
                keep -= 1;
            }
        }
        let mut blank_run = 0;
        for line in &lines[..keep] {
            if is_blank(line) {
                blank_run += 1;
                if blank_run > 1 {
                    let next = next_line_start(text, line.0);
                    self.push(Edit::delete(line.0..next));
                } else {
                    self.push(Edit::delete(line.0..line.1));
                }
                continue;
            }
            blank_run = 0;
            self.trailing_whitespace(line.0, line.1);
        }
        if keep < lines.len() {
            let from = lines[keep].0;
            self.push(Edit::delete(from..text.len()));
        }
    }

    fn trailing_whitespace(&mut self, start: usize, end: usize) {
        let line = &self.text[start..end];
        let kept = line.trim_end_matches([' ', '\t']).len();
        if kept < line.len() {
            self.push(Edit::delete(start + kept..end));
        }
    }

    /// The file ends with one line break, unless it ends inside an unterminated heredoc whose
    /// body would change.
    fn final_line_break(&mut self) {
        let text = self.text;
        if text.is_empty() || text.ends_with('\n') {
            return;
        }
        if self
            .file
            .instructions
            .last()
            .is_some_and(ends_in_open_heredoc)
        {
            return;
        }
        let line_break = if text.contains("\r\n") { "\r\n" } else { "\n" };
        match self.edits.last_mut() {
            Some(last) if last.span.end == text.len() => last.new_text.push_str(line_break),
            _ => self.edits.push(Edit::insert(text.len(), line_break)),
        }
    }

    fn instruction(&mut self, instruction: &Instruction) {
        let text = self.text;
        let first_start = line_start(text, instruction.span.start);
        let indent = &text[first_start..instruction.span.start];
        if !indent.is_empty() && indent.bytes().all(is_blank_byte) {
            self.push(Edit::delete(first_start..instruction.span.start));
        }
        self.keyword(instruction);
        // Heredoc bodies and terminators are never touched: the head ends with the logical
        // line when there are heredocs, else with the instruction.
        let head_end = if instruction.heredocs.is_empty() {
            instruction.span.end
        } else {
            instruction.head_span().end
        };
        let lines = self.head_lines(instruction, first_start, head_end);
        self.indent_continuations(&lines);
    }

    /// Upper-case keywords (and the one `ONBUILD` wraps), one space after each.
    fn keyword(&mut self, instruction: &Instruction) {
        let mut current = Some(instruction);
        while let Some(instruction) = current {
            let word = &instruction.keyword_word;
            if instruction.keyword == Keyword::Unknown {
                return;
            }
            self.push(Edit::replace(word.span.clone(), instruction.keyword.name()));
            self.single_space_after(word.span.end);
            current = instruction.onbuild.as_deref();
        }
    }

    fn single_space_after(&mut self, at: usize) {
        let bytes = self.text.as_bytes();
        let mut end = at;
        while end < bytes.len() && is_blank_byte(bytes[end]) {
            end += 1;
        }
        // At the end of the line the whitespace is trailing, and removed as such.
        if end == at || end == bytes.len() || matches!(bytes[end], b'\n' | b'\r') {
            return;
        }
        self.push(Edit::replace(at..end, " "));
    }

    /// Classifies the lines of an instruction's head and removes their trailing whitespace.
    fn head_lines(
        &mut self,
        instruction: &Instruction,
        first_start: usize,
        head_end: usize,
    ) -> Vec<HeadLine> {
        let text = self.text;
        let escape = self.file.escape;
        let mut quotes = QuoteTracker::new(escape, instruction.effective().json);
        let whitespace_is_content = whitespace_is_content(instruction.effective());
        let mut lines = Vec::new();
        // Whether the joined text so far ends in whitespace (then a continuation line may
        // start without any and still be a separate word).
        let mut joined_ends_in_space = false;
        let mut position = first_start;
        loop {
            let end = line_content_end(text, position);
            let first = position == first_start;
            let line = &text[position..end];
            let trimmed = line.trim_start();
            let kind = if first {
                HeadLineKind::First
            } else if trimmed.starts_with('#') {
                HeadLineKind::Comment
            } else if trimmed.is_empty() {
                HeadLineKind::Blank
            } else if whitespace_is_content
                || !quotes.outside()
                || !(line.starts_with([' ', '\t']) || joined_ends_in_space)
                || trimmed.len() + indentation_width(line, 1).1 != line.len()
            {
                HeadLineKind::Fixed
            } else {
                HeadLineKind::Movable
            };
            let mut trailing_is_safe = true;
            if matches!(
                kind,
                HeadLineKind::First | HeadLineKind::Movable | HeadLineKind::Fixed
            ) {
                let from = if first {
                    instruction.span.start.max(position)
                } else {
                    position
                };
                let (piece, continues) = trim_continuation(&text[from..end], escape);
                quotes.feed_str(piece);
                if let Some(last) = piece.chars().last() {
                    joined_ends_in_space = matches!(last, ' ' | '\t');
                }
                // Whitespace at the end of the last line inside an open quote is content.
                trailing_is_safe = continues || quotes.outside();
            }
            if trailing_is_safe {
                self.trailing_whitespace(position, end);
            }
            lines.push(HeadLine {
                start: position,
                end,
                kind,
            });
            let next = next_line_start(text, position);
            if end >= head_end || next >= text.len() || next == position {
                break;
            }
            position = next;
        }
        lines
    }

    /// Continuation lines move as a block: the least indented goes one level under the
    /// keyword and the others keep their indentation relative to it, so nested shell
    /// structure (`if`, loops, long argument lists) survives.
    fn indent_continuations(&mut self, lines: &[HeadLine]) {
        let tab_size = self.options.tab_size();
        let least = lines
            .iter()
            .filter(|line| line.kind == HeadLineKind::Movable)
            .map(|line| indentation_width(&self.text[line.start..line.end], tab_size).0)
            .min();
        let Some(least) = least else {
            return;
        };
        for line in lines {
            if !matches!(line.kind, HeadLineKind::Movable | HeadLineKind::Comment) {
                continue;
            }
            let content = &self.text[line.start..line.end];
            let (columns, bytes) = indentation_width(content, tab_size);
            if line.kind == HeadLineKind::Comment && !content[bytes..].starts_with('#') {
                continue;
            }
            let wanted = tab_size + columns.saturating_sub(least);
            let indentation = self.options.indentation(wanted);
            self.push(Edit::replace(line.start..line.start + bytes, indentation));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::apply_edits;
    use crate::syntax::lower::lower;

    fn formatted(text: &str) -> String {
        formatted_with(text, &FormatOptions::default())
    }

    fn formatted_with(text: &str, options: &FormatOptions) -> String {
        let source = SourceFile::new(text.to_string(), None);
        let edits = format(&source, options);
        let (output, applied) = apply_edits(text, &edits);
        assert_eq!(applied, edits.len(), "overlapping edits: {edits:?}");
        assert!(
            same_meaning(&source.file, &lower(&output)),
            "meaning changed:\n{text}\n---\n{output}"
        );
        let again = format(&SourceFile::new(output.clone(), None), options);
        assert!(again.is_empty(), "not idempotent on {output:?}: {again:?}");
        output
    }

    #[test]
    fn keywords_upper_case_with_one_space() {
        assert_eq!(
            formatted("from   alpine AS build\nrun\techo hi\nonbuild   copy a b\n"),
            "FROM alpine AS build\nRUN echo hi\nONBUILD COPY a b\n"
        );
        // Unknown instructions are the user's business.
        assert_eq!(
            formatted("FROM a\nfrobnicate  x\n"),
            "FROM a\nfrobnicate  x\n"
        );
    }

    #[test]
    fn continuations_keep_their_relative_structure() {
        let text = "FROM a\nRUN set -e; \\\n  if [ -f x ]; then \\\n      echo yes; \\\n  fi\n";
        assert_eq!(
            formatted(text),
            "FROM a\nRUN set -e; \\\n    if [ -f x ]; then \\\n        echo yes; \\\n    fi\n"
        );
        let text = "FROM a\nRUN apt-get update \\\n\t&& apt-get install -y \\\n\t\tcurl\n";
        assert_eq!(
            formatted(text),
            "FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl\n"
        );
        let tabs = FormatOptions {
            tab_size: 4,
            insert_spaces: false,
        };
        assert_eq!(
            formatted_with("FROM a\nRUN a \\\n  b \\\n    c\n", &tabs),
            "FROM a\nRUN a \\\n\tb \\\n\t  c\n"
        );
    }

    #[test]
    fn whitespace_that_is_part_of_a_word_stays() {
        // Joined without whitespace: `echo ab`. Indenting would make two words.
        let glued = "FROM a\nRUN echo a\\\nb\n";
        assert_eq!(formatted(glued), glued);
        // Inside quotes the indentation is part of the string.
        let quoted = "FROM a\nRUN echo \"one \\\n   two\" \\\n  && true\nENV A='x \\\n  y'\n";
        assert_eq!(
            formatted(quoted),
            "FROM a\nRUN echo \"one \\\n   two\" \\\n    && true\nENV A='x \\\n  y'\n"
        );
        // In the legacy `ENV KEY value` form the value keeps its whitespace.
        let legacy = "FROM a\nENV DEPS \\\n\t\tone \\\n\t\ttwo\nENV A=1 \\\n\tB=2\n";
        assert_eq!(
            formatted(legacy),
            "FROM a\nENV DEPS \\\n\t\tone \\\n\t\ttwo\nENV A=1 \\\n    B=2\n"
        );
        // JSON has no single quotes: the apostrophe does not open one.
        assert_eq!(
            formatted("FROM a\nCMD [\"it's\", \\\n  \"x\"]\n"),
            "FROM a\nCMD [\"it's\", \\\n    \"x\"]\n"
        );
    }

    #[test]
    fn blank_lines_trailing_whitespace_and_the_final_line_break() {
        assert_eq!(
            formatted("FROM a   \n\n\n\n# note  \nRUN x \\  \n  y\t\n   \n\n"),
            "FROM a\n\n# note\nRUN x \\\n    y\n"
        );
        assert_eq!(formatted("FROM a\r\nRUN b  "), "FROM a\r\nRUN b\r\n");
        // A blank line before directives keeps them from being directives: it stays.
        assert_eq!(
            formatted("\n\n# escape=`\nFROM a\n"),
            "\n# escape=`\nFROM a\n"
        );
        assert_eq!(formatted("  RUN x\n"), "RUN x\n");
    }

    #[test]
    fn heredocs_and_comments_inside_instructions() {
        let text =
            "FROM a\nrun <<EOF   \n  keep   \n\n\n   this\nEOF\nRUN a \\\n# comment  \n      b\n";
        assert_eq!(
            formatted(text),
            "FROM a\nRUN <<EOF\n  keep   \n\n\n   this\nEOF\nRUN a \\\n    # comment\n    b\n"
        );
        // An unterminated heredoc gets no line break: it would join its body.
        let open = "FROM a\nRUN <<EOF\nbody";
        assert_eq!(formatted(open), open);
    }

    #[test]
    fn escape_directive_changes_the_continuation_character() {
        let text = "# escape=`\nFROM a\nRUN dir C:\\ `\n  /s\n";
        assert_eq!(
            formatted(text),
            "# escape=`\nFROM a\nRUN dir C:\\ `\n    /s\n"
        );
    }

    #[test]
    fn range_and_on_type() {
        let text = "from a\nrun  x \\\n  y\nrun z\n";
        let source = SourceFile::new(text.to_string(), None);
        let second = text.find("run  x").unwrap();
        let edits = format_range(&source, &(second..second + 2), &FormatOptions::default());
        let (output, _) = apply_edits(text, &edits);
        assert_eq!(output, "from a\nRUN x \\\n  y\nrun z\n");

        let typed = "FROM a\nRUN apt-get update && \\\napt-get install x\n";
        let source = SourceFile::new(typed.to_string(), None);
        let after = typed.find("\\\n").unwrap() + 1;
        let edits = format_on_type(&source, after, '\\', &FormatOptions::default());
        let (output, _) = apply_edits(typed, &edits);
        assert_eq!(
            output,
            "FROM a\nRUN apt-get update && \\\n    apt-get install x\n"
        );
        assert!(format_on_type(&source, after, '`', &FormatOptions::default()).is_empty());
    }

    #[test]
    fn collapsing_whitespace_respects_quotes() {
        assert_eq!(
            collapse_unquoted_whitespace("echo  a \"b   c\"\t 'd  e' f\\  g", '\\'),
            "echo a \"b   c\" 'd  e' f\\  g"
        );
    }
}
