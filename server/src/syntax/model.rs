//! The lowered model: each instruction as BuildKit's parser sees it, with the byte spans that
//! produced every part of it.

use compact_str::CompactString;

use crate::text::Span;

/// A Dockerfile lowered to BuildKit's view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) from the top of the file.
    pub directives: Vec<Directive>,
    /// The escape character in effect (`\` unless `# escape=` says otherwise).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Whole-line comments outside instructions and inside continuations, in document order.
    pub comments: Vec<Comment>,
    /// What BuildKit's parser would reject, in document order.
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// The whole directive line, without its line break.
    pub span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// From `#` to the end of the line.
    pub span: Span,
    /// True when the comment sits inside an instruction's continuation lines.
    pub inside_instruction: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// The instructions BuildKit knows. Anything else is `Unknown` (the parser keeps it; the build
/// rejects it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    #[default]
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup, as BuildKit's dispatch table does it.
    pub fn parse(word: &str) -> Keyword {
        if word.len() > 11 || word.is_empty() {
            // No keyword is longer; non-ASCII words are handled below.
            if word.is_ascii() {
                return Keyword::Unknown;
            }
        }
        if word.is_ascii() {
            return Keyword::ALL
                .into_iter()
                .find(|keyword| keyword.name().eq_ignore_ascii_case(word))
                .unwrap_or(Keyword::Unknown);
        }
        // Go's strings.ToLower maps a few non-ASCII letters to ASCII (the Kelvin sign to `k`).
        let lower = word.to_lowercase();
        Keyword::ALL
            .into_iter()
            .find(|keyword| keyword.name().eq_ignore_ascii_case(&lower))
            .unwrap_or(Keyword::Unknown)
    }

    /// The canonical upper-case spelling.
    pub fn name(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// Instructions whose arguments may open heredocs (BuildKit: ADD, COPY, RUN).
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Add | Keyword::Copy | Keyword::Run)
    }
}

/// A piece of text and the document bytes it came from. For words BuildKit rewrites (escapes
/// removed, JSON strings decoded) `text` is the rewritten value and `span` covers its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Short words (most of them) are kept inline, without an allocation of their own.
    pub text: CompactString,
    pub span: Span,
}

/// A `--name=value` flag after the instruction keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The flag as BuildKit reports it: quotes and escapes removed, e.g. `--chown=a b`.
    pub text: CompactString,
    /// The name without dashes, e.g. `mount`.
    pub name: CompactString,
    /// The value after `=`, if any.
    pub value: Option<CompactString>,
    /// The flag's source text.
    pub span: Span,
    /// The source of the name (after `--`).
    pub name_span: Span,
    /// The source of the value (after `=`), when it can be located.
    pub value_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub file_descriptor: u32,
    /// The body as BuildKit keeps it: every line with its line break.
    pub content: String,
    /// `<<-`: leading tabs are stripped from the body and terminator.
    pub chomp: bool,
    /// False when the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// The body lines.
    pub body_span: Span,
    /// The terminator line (empty at the end of an unterminated heredoc).
    pub end_span: Span,
}

/// The joined text of an instruction's lines (continuations removed, comment lines dropped),
/// with a map from every byte back to the document. It lives as long as its version, so it is
/// held in boxed slices (no spare capacity, two words less than vectors).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalLine {
    pub text: Box<str>,
    /// Pieces of `text`, each a contiguous run of document bytes, in order.
    pub segments: Box<[Segment]>,
}

/// A piece of a logical line: `length` bytes at `logical_start` in the line that come from
/// `document_start` in the document. Offsets are kept in 32 bits (a segment a physical line:
/// there are as many as the document has lines); a document beyond 4 GiB, which no editor
/// holds, would get saturated offsets rather than a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    logical_start: u32,
    document_start: u32,
    length: u32,
}

fn narrow(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl Segment {
    pub fn new(logical_start: usize, document_start: usize, length: usize) -> Segment {
        Segment {
            logical_start: narrow(logical_start),
            document_start: narrow(document_start),
            length: narrow(length),
        }
    }

    pub fn logical_start(&self) -> usize {
        self.logical_start as usize
    }

    pub fn document_start(&self) -> usize {
        self.document_start as usize
    }

    pub fn length(&self) -> usize {
        self.length as usize
    }

    /// The end of the piece in the logical line.
    pub fn logical_end(&self) -> usize {
        self.logical_start() + self.length()
    }

    /// The end of the piece in the document.
    pub fn document_end(&self) -> usize {
        self.document_start() + self.length()
    }

    /// Moves the piece's place in the document by `delta` bytes.
    pub fn shift(&mut self, delta: isize) {
        self.document_start = narrow((self.document_start() as isize + delta) as usize);
    }
}

impl LogicalLine {
    pub fn new(text: String, segments: Vec<Segment>) -> LogicalLine {
        LogicalLine {
            text: text.into_boxed_str(),
            segments: segments.into_boxed_slice(),
        }
    }

    /// The document offset of logical offset `offset`, for the start of a range.
    pub fn document_offset(&self, offset: usize) -> usize {
        let index = self
            .segments
            .partition_point(|segment| segment.logical_end() <= offset);
        match self.segments.get(index) {
            Some(segment) => segment.document_start() + (offset - segment.logical_start()),
            None => self.end_offset(),
        }
    }

    /// The document offset of logical offset `offset`, for the end of a range: an offset at a
    /// segment boundary maps to the end of the earlier segment, not the start of the next line.
    pub fn document_end_offset(&self, offset: usize) -> usize {
        let index = self
            .segments
            .partition_point(|segment| segment.logical_end() < offset);
        match self.segments.get(index) {
            Some(segment) if offset >= segment.logical_start() => {
                segment.document_start() + (offset - segment.logical_start())
            }
            Some(segment) => segment.document_start(),
            None => self.end_offset(),
        }
    }

    /// The logical offset of document offset `offset`, when the line holds that byte (an
    /// offset at the end of a piece maps to its end).
    pub fn logical_offset(&self, offset: usize) -> Option<usize> {
        let index = self
            .segments
            .partition_point(|segment| segment.document_end() < offset);
        let segment = self.segments.get(index)?;
        (offset >= segment.document_start())
            .then(|| segment.logical_start() + (offset - segment.document_start()))
    }

    /// Maps a logical range to the document span that covers it.
    pub fn document_span(&self, range: std::ops::Range<usize>) -> Span {
        if range.start >= range.end {
            let at = self.document_offset(range.start);
            return at..at;
        }
        self.document_offset(range.start)..self.document_end_offset(range.end)
    }

    fn end_offset(&self) -> usize {
        self.segments.last().map(Segment::document_end).unwrap_or(0)
    }
}

/// `span` moved by `delta` bytes.
pub fn shift_span(span: &Span, delta: isize) -> Span {
    let move_by = |offset: usize| (offset as isize + delta) as usize;
    move_by(span.start)..move_by(span.end)
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (BuildKit's `cmd`).
    pub keyword_word: Word,
    // Boxed slices rather than vectors: the model lives as long as its version, and most of
    // these are empty or short (a 10,000-line file has ~4,500 instructions).
    pub flags: Box<[Flag]>,
    /// Exec form: the arguments were a JSON array of strings.
    pub json: bool,
    /// The arguments, split the way BuildKit's parser splits them for this instruction.
    pub values: Box<[Word]>,
    /// For `ONBUILD`, the instruction it wraps.
    pub onbuild: Option<Box<Instruction>>,
    pub heredocs: Box<[Heredoc]>,
    /// Where the text after the flags (trimmed; BuildKit's argument string) sits in the
    /// logical line; [`Instruction::arguments`] gives the text.
    pub arguments_range: std::ops::Range<usize>,
    /// The logical line: keyword, flags and arguments with continuations joined.
    pub logical: LogicalLine,
    /// From the keyword to the end of the last line (heredoc terminator included), without
    /// the final line break.
    pub span: Span,
    /// What the text holds, worked out once when the instruction is lowered.
    pub facts: LineFacts,
}

/// Facts about an instruction's logical line, found when it is lowered (and carried over with
/// it when an edit elsewhere re-lowers the file), so that checks run on every keystroke can
/// skip the instructions they cannot apply to without reading the text again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineFacts {
    /// A quote or a `{` somewhere in the line: the only characters that can make BuildKit's
    /// word lexer fail (a `$` needs a `{` to fail).
    pub quote_or_brace: bool,
    /// The arguments start with `[` (an exec form, or an attempt at one).
    pub bracket_first: bool,
}

impl LineFacts {
    /// The facts of `line`, whose arguments are `line[arguments]`.
    pub fn of(line: &str, arguments: &std::ops::Range<usize>) -> LineFacts {
        LineFacts {
            quote_or_brace: memchr::memchr3(b'{', b'\'', b'"', line.as_bytes()).is_some(),
            bracket_first: line.as_bytes().get(arguments.start) == Some(&b'['),
        }
    }
}

impl Instruction {
    /// Moves every span by `delta` bytes (after an edit earlier in the document).
    pub fn shift(&mut self, delta: isize) {
        let shift = |span: &mut Span| *span = shift_span(span, delta);
        shift(&mut self.span);
        shift(&mut self.keyword_word.span);
        for flag in &mut self.flags {
            shift(&mut flag.span);
            shift(&mut flag.name_span);
            if let Some(value) = &mut flag.value_span {
                shift(value);
            }
        }
        for value in &mut self.values {
            shift(&mut value.span);
        }
        for heredoc in &mut self.heredocs {
            shift(&mut heredoc.body_span);
            shift(&mut heredoc.end_span);
        }
        for segment in &mut self.logical.segments {
            segment.shift(delta);
        }
        if let Some(inner) = &mut self.onbuild {
            inner.shift(delta);
        }
    }

    /// The instruction that does the work: the wrapped one for `ONBUILD`, else itself.
    pub fn effective(&self) -> &Instruction {
        match &self.onbuild {
            Some(inner) => inner,
            None => self,
        }
    }

    /// The text after the flags, trimmed (BuildKit's argument string).
    pub fn arguments(&self) -> &str {
        self.logical
            .text
            .get(self.arguments_range.clone())
            .unwrap_or("")
    }

    /// The document span of the arguments.
    pub fn arguments_span(&self) -> Span {
        self.logical.document_span(self.arguments_range.clone())
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|flag| flag.name == name)
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |flag| flag.name == name)
    }

    /// The `--mount` flags, each read into its fields the way BuildKit reads them (see
    /// [`Mount`](super::mount::Mount)). For `ONBUILD RUN`, ask [`Instruction::effective`].
    pub fn mounts(&self) -> impl Iterator<Item = super::mount::Mount<'_>> + '_ {
        self.flags_named("mount")
            .map(move |flag| super::mount::Mount::parse(self, flag))
    }

    /// The span of the first line of the instruction up to the end of its logical line
    /// (heredoc bodies excluded).
    pub fn head_span(&self) -> Span {
        let end = self
            .logical
            .segments
            .last()
            .map(Segment::document_end)
            .unwrap_or(self.span.end);
        self.span.start..end.max(self.span.start)
    }
}
