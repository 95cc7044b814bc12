//! Lowering: the document's lines grouped into instructions exactly as BuildKit's parser groups
//! them (parser directives, `\`/`` ` `` continuations, comment and blank lines inside
//! continuations, heredoc bodies), then each instruction split by [`arguments`].
//!
//! BuildKit reads lines split at `\n` only and drops trailing `\r`s, so a lone `\r` is not a line
//! break here even though it is one for the editor. Where BuildKit would reject the file, the
//! lowering records a [`SyntaxError`] and carries on with the most useful reading.

use compact_str::CompactString;

use super::arguments::{self, Parsed, Piece};
use super::expand::{self, Lexer};
use super::model::*;
use crate::text::ByteEdit;

/// A physical line: `start..end` is its text without trailing `\r`/`\n`, `next` where the
/// following line starts.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

struct Lines<'a> {
    text: &'a str,
    position: usize,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.position >= self.text.len() {
            return None;
        }
        let start = self.position;
        let rest = &self.text.as_bytes()[start..];
        let next = match memchr::memchr(b'\n', rest) {
            Some(index) => start + index + 1,
            None => self.text.len(),
        };
        let mut end = next;
        while end > start && matches!(self.text.as_bytes()[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        self.position = next;
        Some(Line { start, end, next })
    }
}

/// Recognises parser directives at the top of the file, as BuildKit's `DirectiveParser` does.
struct DirectiveParser {
    done: bool,
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` with Go's `\s` (`[\t\n\f\r ]`).
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let is_space = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let rest = line.strip_prefix('#')?.trim_start_matches(is_space);
    let name_end = rest
        .char_indices()
        .find(|(index, c)| {
            if *index == 0 {
                !c.is_ascii_alphabetic()
            } else {
                !c.is_ascii_alphanumeric()
            }
        })
        .map(|(index, _)| index)
        .unwrap_or(rest.len());
    if name_end == 0 {
        return None;
    }
    let (name, after) = rest.split_at(name_end);
    let after = after.trim_start_matches(is_space).strip_prefix('=')?;
    let value = after.trim_matches(is_space);
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

/// Lowers a whole document.
pub fn lower(text: &str) -> Dockerfile {
    Lowering::new(text).run()
}

/// Gives back most of a vector's unused capacity. A vector grown by doubling holds up to twice
/// what it needs (4,500 instructions of a 10,000-line file sat in room for 8,192: 0.6 MB) and a
/// version lives until the next one replaces it; a little room stays, so that typing a new
/// instruction does not reallocate every time.
fn trim_slack<T>(items: &mut Vec<T>) {
    let wanted = items.len() + items.len() / 16 + 8;
    if items.capacity() > wanted + items.len() / 16 {
        items.shrink_to(wanted);
    }
}

/// Lowers `text` after an edit, reusing `previous` (the lowering of the text before the edit):
/// only the instructions from the one holding the edit to the first line where the grouping
/// falls back in step with the old one are lowered again; the rest is moved over with its
/// spans shifted. The result equals `lower(text)`.
pub fn relower(previous: Dockerfile, text: &str, edit: ByteEdit) -> Dockerfile {
    relower_reusing(previous, text, edit).0
}

/// Which instructions of a re-lowered file are the old ones: the first `kept` stay where they
/// were, the next `fresh` were lowered again, and the rest are the old ones from `tail_from`
/// on, moved by `delta` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reuse {
    pub kept: usize,
    pub fresh: usize,
    pub tail_from: usize,
    pub delta: isize,
}

impl Reuse {
    /// The index before the edit of new instruction `index`, unless it was lowered again.
    pub fn old_index(&self, index: usize) -> Option<usize> {
        if index < self.kept {
            Some(index)
        } else if index >= self.kept + self.fresh {
            Some(index - self.kept - self.fresh + self.tail_from)
        } else {
            None
        }
    }

    /// True when new instruction `index` is an old one that moved.
    pub fn moved(&self, index: usize) -> bool {
        index >= self.kept + self.fresh && self.delta != 0
    }
}

/// [`relower`], also telling which instructions were reused.
pub fn relower_reusing(
    mut previous: Dockerfile,
    text: &str,
    edit: ByteEdit,
) -> (Dockerfile, Reuse) {
    let delta = edit.new_end as isize - edit.old_end as isize;
    // Restart at the last instruction that starts before the edit. Edits in or before the first
    // instruction may change the parser directives: lower everything again.
    let restart = previous
        .instructions
        .partition_point(|instruction| instruction.span.start <= edit.start);
    if restart < 2 || edit.start > text.len() {
        let file = lower(text);
        let reuse = Reuse {
            kept: 0,
            fresh: file.instructions.len(),
            tail_from: previous.instructions.len(),
            delta,
        };
        return (file, reuse);
    }
    let restart = restart - 1;
    let restart_line = line_start(text, previous.instructions[restart].span.start);
    let mut lowering = Lowering {
        text,
        lines: Lines {
            text,
            position: restart_line,
        },
        escape: previous.escape,
        directives: DirectiveParser { done: true },
        output: Dockerfile {
            escape: previous.escape,
            ..Dockerfile::default()
        },
    };
    // The old lowering at byte `old` is between instructions when no instruction's lines cover
    // it; from such a line on, the old result is the new one, shifted.
    let tail = |previous: &Dockerfile, old: usize| -> Option<usize> {
        let next = previous
            .instructions
            .partition_point(|instruction| instruction.span.start < old);
        let covered = next > 0 && previous.instructions[next - 1].span.end >= old;
        (!covered).then_some(next)
    };
    let mut resumed = None;
    while let Some(line) = lowering.lines.next() {
        lowering.instruction_from(line);
        let position = lowering.lines.position;
        if position > edit.new_end && position < text.len() {
            let old = (position as isize - delta) as usize;
            if let Some(next) = tail(&previous, old) {
                resumed = Some((old, next));
                break;
            }
        }
    }
    let fresh = lowering.output;
    let mut instructions = std::mem::take(&mut previous.instructions);
    let mut comments = std::mem::take(&mut previous.comments);
    let mut errors = std::mem::take(&mut previous.errors);
    let (old_resume, next) = resumed.unwrap_or((usize::MAX, instructions.len()));
    let reuse = Reuse {
        kept: restart,
        fresh: fresh.instructions.len(),
        tail_from: next,
        delta,
    };
    // In place: the kept tail stays where it is when as many instructions come back as went
    // (typing inside one), else it moves once within the buffer.
    instructions.splice(restart..next, fresh.instructions);
    if delta != 0 {
        for instruction in &mut instructions[restart + reuse.fresh..] {
            instruction.shift(delta);
        }
    }
    let keep = |start: usize| start < restart_line;
    let moved = |start: usize| start >= old_resume;
    let mut tail_comments: Vec<Comment> = comments
        .iter()
        .filter(|comment| moved(comment.span.start))
        .cloned()
        .collect();
    comments.retain(|comment| keep(comment.span.start));
    for comment in &mut tail_comments {
        comment.span = shift_span(&comment.span, delta);
    }
    comments.extend(fresh.comments);
    comments.extend(tail_comments);
    let mut tail_errors: Vec<SyntaxError> = errors
        .iter()
        .filter(|error| moved(error.span.start))
        .cloned()
        .collect();
    errors.retain(|error| keep(error.span.start));
    for error in &mut tail_errors {
        error.span = shift_span(&error.span, delta);
    }
    errors.extend(fresh.errors);
    errors.extend(tail_errors);
    trim_slack(&mut instructions);
    let file = Dockerfile {
        directives: previous.directives,
        escape: previous.escape,
        instructions,
        comments,
        errors,
    };
    (file, reuse)
}

/// The start of the line that holds `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map(|at| at + 1)
        .unwrap_or(0)
}

struct Lowering<'a> {
    text: &'a str,
    lines: Lines<'a>,
    escape: char,
    directives: DirectiveParser,
    output: Dockerfile,
}

impl<'a> Lowering<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            lines: Lines { text, position: 0 },
            escape: '\\',
            directives: DirectiveParser { done: false },
            output: Dockerfile {
                escape: '\\',
                ..Dockerfile::default()
            },
        }
    }

    fn run(mut self) -> Dockerfile {
        let mut first = true;
        while let Some(mut line) = self.lines.next() {
            if first && self.text[line.start..].starts_with('\u{feff}') {
                line.start += '\u{feff}'.len_utf8();
                line.end = line.end.max(line.start);
            }
            first = false;
            self.instruction_from(line);
        }
        self.output.escape = self.escape;
        trim_slack(&mut self.output.instructions);
        trim_slack(&mut self.output.comments);
        self.output
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        &self.text[start..end]
    }

    /// Handles a line outside any instruction: a directive, a comment, a blank line, or the
    /// first line of an instruction (which then consumes its continuation and heredoc lines).
    fn instruction_from(&mut self, line: Line) {
        let raw = self.slice(line.start, line.end);
        let trimmed = raw.trim_start();
        let trimmed_start = line.end - trimmed.len();
        if self.directive(trimmed, trimmed_start, line) {
            return;
        }
        let content = if trimmed.starts_with('#') {
            self.comment(trimmed_start, line.end, false);
            ""
        } else {
            trimmed
        };
        let (piece, mut continued) = trim_continuation(content, self.escape);
        if !continued && piece.is_empty() {
            return;
        }
        let mut text = String::with_capacity(piece.len());
        let mut segments = Vec::with_capacity(1);
        push_segment(&mut text, &mut segments, piece, trimmed_start);
        let mut last_end = line.end;
        while continued {
            let Some(next) = self.lines.next() else {
                break;
            };
            last_end = next.end;
            let raw = self.slice(next.start, next.end);
            let trimmed = raw.trim_start();
            if trimmed.starts_with('#') {
                self.comment(next.end - trimmed.len(), next.end, true);
                continue;
            }
            if trimmed.is_empty() {
                // BuildKit skips blank lines inside a continuation (with a warning).
                continue;
            }
            let (piece, more) = trim_continuation(raw, self.escape);
            push_segment(&mut text, &mut segments, piece, next.start);
            continued = more;
        }
        let logical = LogicalLine::new(text, segments);
        let mut parsed = arguments::parse_line(&logical.text, 0..logical.text.len(), self.escape);
        let error = parsed.error.take();
        let mut instruction = build_instruction(parsed, logical, trimmed_start..last_end);
        if let Some(message) = error {
            self.output.errors.push(SyntaxError {
                message,
                span: instruction.head_span(),
            });
        }
        let effective = instruction.effective();
        if effective.keyword.takes_heredocs() && !effective.json {
            self.read_heredocs(&mut instruction);
        }
        self.output.instructions.push(instruction);
    }

    /// A parser directive, if `trimmed` is one and directives are still allowed.
    fn directive(&mut self, trimmed: &str, trimmed_start: usize, line: Line) -> bool {
        if self.directives.done {
            return false;
        }
        let Some((name, value)) = match_directive(trimmed) else {
            self.directives.done = true;
            return false;
        };
        let name = name.to_ascii_lowercase();
        // BuildKit knows `syntax` and `escape`; `check` came with the build checks (v0.14).
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives.done = true;
            return false;
        }
        let value_start = trimmed_start + trimmed.rfind(value).unwrap_or(0);
        let directive = Directive {
            name: name.clone(),
            value: value.to_string(),
            span: trimmed_start..line.end,
            value_span: value_start..value_start + value.len(),
        };
        if self.output.directives.iter().any(|seen| seen.name == name) {
            self.output.errors.push(SyntaxError {
                message: format!("only one {name} parser directive can be used"),
                span: directive.span.clone(),
            });
        } else if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => self.output.errors.push(SyntaxError {
                    message: format!("invalid escape token '{value}' does not match ` or \\"),
                    span: directive.value_span.clone(),
                }),
            }
        }
        self.output.directives.push(directive);
        true
    }

    fn comment(&mut self, start: usize, end: usize, inside_instruction: bool) {
        let text = self.slice(start, end);
        self.output.comments.push(Comment {
            text: text[1..].trim().to_string(),
            span: start..end,
            inside_instruction,
        });
    }

    /// Reads the bodies of the heredocs the instruction's line opens, one after the other.
    fn read_heredocs(&mut self, instruction: &mut Instruction) {
        let mut heredocs = Vec::new();
        for (name, file_descriptor, chomp, expand) in heredocs_in(&instruction.logical.text) {
            let body_start = self.lines.position;
            let mut content = String::new();
            let mut terminated = None;
            for line in self.lines.by_ref() {
                let candidate = &self.text.as_bytes()[line.start..line.end];
                let candidate = if chomp {
                    let tabs = candidate.iter().take_while(|byte| **byte == b'\t').count();
                    &candidate[tabs..]
                } else {
                    candidate
                };
                if candidate == name.as_bytes() {
                    terminated = Some(line);
                    break;
                }
                content.push_str(&self.text[line.start..line.next]);
            }
            let (body_end, end_span) = match terminated {
                Some(line) => (line.start, line.start..line.end),
                None => {
                    let end = self.text.len();
                    self.output.errors.push(SyntaxError {
                        message: format!("unterminated heredoc {name}"),
                        span: instruction.head_span(),
                    });
                    (end, end..end)
                }
            };
            instruction.span.end = if terminated.is_some() {
                end_span.end
            } else {
                trim_line_break_end(self.text, body_end).max(instruction.span.end)
            };
            heredocs.push(Heredoc {
                name,
                file_descriptor,
                content,
                chomp,
                expand,
                body_span: body_start..body_end,
                end_span,
            });
            if terminated.is_none() {
                break;
            }
        }
        instruction.heredocs = heredocs.into_boxed_slice();
    }
}

/// The end of `text[..end]` without its trailing line breaks.
fn trim_line_break_end(text: &str, mut end: usize) -> usize {
    while end > 0 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn push_segment(
    text: &mut String,
    segments: &mut Vec<Segment>,
    piece: &str,
    document_start: usize,
) {
    // An empty first piece still anchors the line in the document (a lone `\` line).
    if piece.is_empty() && !segments.is_empty() {
        return;
    }
    segments.push(Segment::new(text.len(), document_start, piece.len()));
    text.push_str(piece);
}

/// BuildKit's line-continuation test: the line ends in the escape character (then only spaces
/// and tabs) and that character is not itself escaped, or the line is the escape character
/// alone. Returns the line without it and whether the instruction continues.
pub(crate) fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let stripped = line.trim_end_matches([' ', '\t']);
    let Some(before) = stripped.strip_suffix(escape) else {
        return (line, false);
    };
    if before.is_empty() {
        return ("", true);
    }
    if before.ends_with(escape) {
        return (line, false);
    }
    (before, true)
}

/// The heredocs a logical line opens: `(name, fd, chomp, expand)` for every word that is a
/// heredoc marker, found with BuildKit's lexer (raw quotes and escapes, unset variables kept as
/// written, `\` as escape). An
/// unbalanced quote anywhere on the line means BuildKit sees no heredoc at all.
pub fn heredocs_in(line: &str) -> Vec<(String, u32, bool, bool)> {
    if !line.contains("<<") {
        return Vec::new();
    }
    let lexer = Lexer {
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let Ok(expansion) = expand::process(lexer, line, &|_: &str| None) else {
        return Vec::new();
    };
    expansion
        .words
        .iter()
        .filter_map(|word| heredoc_marker(word))
        .collect()
}

/// `^(\d*)<<(-?)([^<]*)$` and BuildKit's reading of the delimiter word.
fn heredoc_marker(word: &str) -> Option<(String, u32, bool, bool)> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let file_descriptor = if digits == 0 {
        0
    } else {
        word[..digits].parse::<u32>().unwrap_or(u32::MAX)
    };
    let unset = |_: &str| None;
    let plain = Lexer {
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = expand::process(plain, rest, &unset).ok()?.words;
    if words.len() != 1 {
        return None;
    }
    let raw = Lexer {
        raw_quotes: true,
        ..plain
    };
    let raw_words = expand::process(raw, rest, &unset).ok()?.words;
    let quotes = |text: &str| text.matches(['\'', '"']).count();
    let expand = raw_words.len() == 1 && quotes(&words[0]) == quotes(&raw_words[0]);
    Some((words[0].clone(), file_descriptor, chomp, expand))
}

/// BuildKit reads flags byte by byte, so `é` in a flag becomes `Ã©` in what it reports. The
/// model's flag name and value undo that (every such char is one original byte).
fn recover_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || text.chars().any(|c| u32::from(c) > 0xff) {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = text.chars().map(|c| u32::from(c) as u8).collect();
    match String::from_utf8(bytes) {
        Ok(recovered) => std::borrow::Cow::Owned(recovered),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

fn build_instruction(
    parsed: Parsed,
    logical: LogicalLine,
    span: std::ops::Range<usize>,
) -> Instruction {
    let flags = parsed
        .flags
        .into_iter()
        .map(|flag| {
            let span = logical.document_span(flag.range.clone());
            let readable = recover_utf8(&flag.text);
            let body = readable.strip_prefix("--").unwrap_or(&readable);
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => {
                    (CompactString::from(name), Some(CompactString::from(value)))
                }
                None => (CompactString::from(body), None),
            };
            // The raw source of the flag locates the name and value when no quotes moved them.
            let source = &logical.text[flag.range.clone()];
            let name_start = flag.range.start + source.find(|c| c != '-').unwrap_or(0);
            let name_span = logical.document_span(name_start..name_start + name.len());
            let value_span = source
                .find('=')
                .map(|equals| logical.document_span(flag.range.start + equals + 1..flag.range.end));
            Flag {
                text: flag.text,
                name,
                value,
                span,
                name_span,
                value_span,
            }
        })
        .collect();
    let inner = parsed.inner.map(|inner| {
        let inner_span = logical.document_offset(inner.command.range.start)..span.end;
        Box::new(build_instruction(*inner, logical.clone(), inner_span))
    });
    let word = |piece: Piece| Word {
        span: logical.document_span(piece.range),
        text: piece.text,
    };
    let arguments_range = parsed.arguments.range.clone();
    let facts = LineFacts::of(&logical.text, &arguments_range);
    let values = parsed.values.into_iter().map(word).collect();
    Instruction {
        keyword: parsed.keyword,
        keyword_word: word(parsed.command),
        flags,
        json: parsed.json,
        values,
        onbuild: inner,
        heredocs: Box::default(),
        arguments_range,
        logical,
        span,
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(file: &Dockerfile) -> Vec<(String, Vec<String>)> {
        file.instructions
            .iter()
            .map(|instruction| {
                (
                    instruction.keyword_word.text.to_string(),
                    instruction
                        .values
                        .iter()
                        .map(|v| v.text.to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn continuations_comments_and_blank_lines() {
        let text = "FROM a\nRUN x \\\n  # note\n\n  y\nRUN echo \\\\\nRUN b\n";
        let file = lower(text);
        assert_eq!(
            texts(&file),
            vec![
                ("FROM".into(), vec!["a".into()]),
                ("RUN".into(), vec!["x   y".into()]),
                ("RUN".into(), vec!["echo \\\\".into()]),
                ("RUN".into(), vec!["b".into()]),
            ]
        );
        assert_eq!(file.comments.len(), 1);
        assert!(file.comments[0].inside_instruction);
        let run = &file.instructions[1];
        assert_eq!(&text[run.span.clone()], "RUN x \\\n  # note\n\n  y");
        // The value's span runs from `x` to `y` in the document.
        assert_eq!(&text[run.values[0].span.clone()], "x \\\n  # note\n\n  y");
    }

    #[test]
    fn escape_directive_switches_the_continuation_character() {
        let text = "# escape=`\nFROM a\nRUN dir `\n  c:\\ \nRUN b\n";
        let file = lower(text);
        assert_eq!(file.escape, '`');
        assert_eq!(file.directives[0].name, "escape");
        assert_eq!(file.instructions[1].values[0].text, "dir   c:\\");
    }

    #[test]
    fn directives_stop_at_the_first_other_line() {
        let file = lower("\n# escape=`\nFROM a\n");
        assert!(file.directives.is_empty());
        assert_eq!(file.escape, '\\');
        let file = lower("# syntax=docker/dockerfile:1\n# escape=`\n# escape=`\nFROM a\n");
        assert_eq!(file.directives.len(), 3);
        assert_eq!(file.errors.len(), 1);
    }

    #[test]
    fn heredocs_consume_their_bodies() {
        let text = "FROM a\nRUN <<EOF bash\nset -e\nEOF\nCOPY <<-\"A\" <<B /x\n\tone\n\tA\ntwo\nB\nRUN echo it's <<EOF\n";
        let file = lower(text);
        let run = &file.instructions[1];
        assert_eq!(run.heredocs[0].name, "EOF");
        assert_eq!(run.heredocs[0].content, "set -e\n");
        assert!(run.heredocs[0].expand);
        assert_eq!(&text[run.span.clone()], "RUN <<EOF bash\nset -e\nEOF");
        let copy = &file.instructions[2];
        assert_eq!(copy.heredocs.len(), 2);
        assert!(copy.heredocs[0].chomp);
        assert!(!copy.heredocs[0].expand);
        assert_eq!(copy.heredocs[0].content, "\tone\n");
        assert_eq!(copy.heredocs[1].content, "two\n");
        // An unbalanced quote hides the heredoc from BuildKit.
        assert!(file.instructions[3].heredocs.is_empty());
    }

    #[test]
    fn unterminated_heredoc_is_an_error_not_a_panic() {
        let file = lower("FROM a\nRUN <<EOF\nno end\n");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.instructions[1].heredocs[0].content, "no end\n");
    }

    #[test]
    fn flags_keep_buildkit_bytes_but_readable_values() {
        let file = lower("FROM a\nCOPY --from=bü /a /b\n");
        let flag = &file.instructions[1].flags[0];
        assert_eq!(flag.text, "--from=b\u{c3}\u{bc}");
        assert_eq!(flag.value.as_deref(), Some("bü"));
    }

    #[test]
    fn crlf_and_bom() {
        let file = lower("\u{feff}FROM a\r\nRUN b \\\r\n c\r\n");
        assert_eq!(texts(&file)[1].1, vec!["b  c".to_string()]);
        assert_eq!(file.instructions[0].span.start, 3);
    }
}
