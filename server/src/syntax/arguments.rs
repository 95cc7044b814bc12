//! How BuildKit's parser splits one logical line into keyword, flags and values, rule for rule:
//! flag extraction, JSON arrays, `KEY=value` words, whitespace splitting and the per-instruction
//! choice between them. Every piece keeps the logical offsets it came from.
//!
//! BuildKit walks flags byte by byte and treats the bytes 0x85 and 0xA0 as spaces (they are
//! `unicode.IsSpace` as runes); this module does the same so that its view matches BuildKit's
//! even on odd input.

use std::ops::Range;

use compact_str::CompactString;

use super::model::Keyword;

/// A piece of the logical line: its value and the logical range it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: CompactString,
    pub range: Range<usize>,
}

impl Piece {
    fn new(text: impl Into<CompactString>, range: Range<usize>) -> Self {
        Self {
            text: text.into(),
            range,
        }
    }
}

/// A flag as BuildKit extracts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagPiece {
    pub text: CompactString,
    pub range: Range<usize>,
}

/// The parsed arguments of one instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub command: Piece,
    pub keyword: Keyword,
    pub flags: Vec<FlagPiece>,
    /// Where the arguments after the flags (trimmed) are; its text is left empty.
    pub arguments: Piece,
    pub json: bool,
    pub values: Vec<Piece>,
    /// For ONBUILD: the wrapped instruction.
    pub inner: Option<Box<Parsed>>,
    /// What BuildKit would reject in this instruction.
    pub error: Option<String>,
}

impl Default for Piece {
    fn default() -> Self {
        Piece::new("", 0..0)
    }
}

/// `[\t\v\f\r ]`, BuildKit's `reWhitespace`.
fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `unicode.IsSpace(rune(b))` for one byte.
fn is_space_byte(byte: u8) -> bool {
    matches!(
        byte,
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0
    )
}

/// The start of `range` moved forward to a char boundary of `text`.
fn ceil_boundary(text: &str, mut index: usize) -> usize {
    while index < text.len() && !text.is_char_boundary(index) {
        index += 1;
    }
    index.min(text.len())
}

/// `strings.TrimSpace` on `line[range]`, as a range.
fn trim_range(line: &str, range: Range<usize>) -> Range<usize> {
    let slice = &line[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    if start >= end {
        return start..start;
    }
    start..end
}

/// Parses a whole logical line (`line[range]`) the way BuildKit's `newNodeFromLine` does.
pub fn parse_line(line: &str, range: Range<usize>, escape: char) -> Parsed {
    let trimmed = trim_range(line, range);
    let text = &line[trimmed.clone()];
    let split = text.char_indices().find(|(_, c)| is_split_space(*c));
    let (command, rest) = match split {
        None => (trimmed.clone(), None),
        Some((index, _)) => {
            let after = text[index..]
                .char_indices()
                .find(|(_, c)| !is_split_space(*c))
                .map(|(offset, _)| index + offset)
                .unwrap_or(text.len());
            (
                trimmed.start..trimmed.start + index,
                Some(trimmed.start + after..trimmed.end),
            )
        }
    };
    let mut parsed = Parsed {
        command: Piece::new(&line[command.clone()], command.clone()),
        ..Parsed::default()
    };
    let arguments = match rest {
        Some(rest) => {
            let (flags, arguments_start) = extract_flags(line, rest.clone());
            parsed.flags = flags;
            match arguments_start {
                Some(start) => trim_range(line, start..rest.end),
                None => rest.end..rest.end,
            }
        }
        None => command.end..command.end,
    };
    parsed.arguments = Piece::new(String::new(), arguments.clone());
    parsed.keyword = Keyword::parse(&parsed.command.text);
    let result = dispatch(parsed.keyword, line, arguments, escape);
    parsed.json = result.json;
    parsed.values = result.values;
    parsed.inner = result.inner;
    parsed.error = result.error;
    parsed
}

#[derive(Default)]
struct Dispatched {
    json: bool,
    values: Vec<Piece>,
    inner: Option<Box<Parsed>>,
    error: Option<String>,
}

fn dispatch(keyword: Keyword, line: &str, arguments: Range<usize>, escape: char) -> Dispatched {
    match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => maybe_json_to_list(line, arguments),
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            maybe_json(line, arguments)
        }
        Keyword::Arg => Dispatched {
            values: words(line, arguments, escape),
            ..Dispatched::default()
        },
        Keyword::Env => name_values(line, arguments, "ENV", escape),
        Keyword::Label => name_values(line, arguments, "LABEL", escape),
        Keyword::Expose | Keyword::From => Dispatched {
            values: split_whitespace(line, arguments),
            ..Dispatched::default()
        },
        Keyword::Healthcheck => health_config(line, arguments),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            Dispatched {
                values: whole_string(line, arguments),
                ..Dispatched::default()
            }
        }
        Keyword::Onbuild => {
            if arguments.is_empty() {
                return Dispatched::default();
            }
            let inner = parse_line(line, arguments, escape);
            Dispatched {
                json: inner.json,
                values: inner.values.clone(),
                error: inner.error.clone(),
                inner: Some(Box::new(inner)),
            }
        }
        // BuildKit's parser keeps unknown instructions with one empty value.
        Keyword::Unknown => Dispatched {
            values: vec![Piece::new("", arguments.start..arguments.start)],
            ..Dispatched::default()
        },
    }
}

/// BuildKit's `extractBuilderFlags`: leading `--words`, quotes removed, `\` escapes applied.
/// Returns the flags and where the remaining arguments start (`None`: nothing remains).
fn extract_flags(line: &str, range: Range<usize>) -> (Vec<FlagPiece>, Option<usize>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = &line.as_bytes()[..range.end];
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = range.start;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut position = range.start;
    let end = range.end;
    // Each byte becomes a char, as Go's `rune(line[pos])` does.
    let push_byte = |word: &mut String, byte: u8| word.push(char::from(byte));
    while position <= end {
        let byte = if position < end { bytes[position] } else { 0 };
        if phase == Phase::Spaces {
            if position == end {
                break;
            }
            if is_space_byte(byte) {
                position += 1;
                continue;
            }
            if byte != b'-' || position + 1 == end || bytes[position + 1] != b'-' {
                return (flags, Some(ceil_boundary(line, position)));
            }
            phase = Phase::Word;
            word_start = position;
        }
        if position == end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(FlagPiece {
                    text: std::mem::take(&mut word).into(),
                    range: ceil_boundary(line, word_start)..end,
                });
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte(byte) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (flags, Some(ceil_boundary(line, position)));
                }
                if blank_ok || !word.is_empty() {
                    flags.push(FlagPiece {
                        text: std::mem::take(&mut word).into(),
                        range: ceil_boundary(line, word_start)..ceil_boundary(line, position),
                    });
                }
                word.clear();
                blank_ok = false;
                position += 1;
                continue;
            }
            if byte == b'\'' || byte == b'"' {
                quote = byte;
                blank_ok = true;
                phase = Phase::Quote;
                position += 1;
                continue;
            }
            let mut current = byte;
            if byte == b'\\' {
                if position + 1 == end {
                    position += 1;
                    continue;
                }
                position += 1;
                current = bytes[position];
            }
            push_byte(&mut word, current);
            position += 1;
            continue;
        }
        // Inside quotes.
        if byte == quote {
            phase = Phase::Word;
            position += 1;
            continue;
        }
        let mut current = byte;
        if byte == b'\\' {
            if position + 1 == end {
                phase = Phase::Word;
                position += 1;
                continue;
            }
            position += 1;
            current = bytes[position];
        }
        push_byte(&mut word, current);
        position += 1;
    }
    (flags, None)
}

/// Why a JSON array was not taken.
enum JsonError {
    /// Not JSON at all: BuildKit falls back to the shell form.
    Syntax,
    /// Valid JSON with a non-string element: BuildKit rejects the file.
    NotStrings,
}

const NOT_STRINGS: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// BuildKit's `parseJSON`: the first JSON value of the arguments must be an array of strings;
/// whatever follows the array is ignored, as Go's `json.Decoder` does.
fn json_array(line: &str, range: Range<usize>) -> Result<Vec<Piece>, JsonError> {
    // BuildKit trims leading Unicode whitespace first (NBSP included).
    let text = &line[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let mut scanner = JsonScanner {
        bytes: line.as_bytes(),
        position: start,
        end: range.end,
        line,
    };
    if scanner.peek() != Some(b'[') {
        return Err(JsonError::Syntax);
    }
    scanner.position += 1;
    let mut strings = Vec::new();
    let mut all_strings = true;
    scanner.skip_whitespace();
    if scanner.peek() == Some(b']') {
        return Ok(strings);
    }
    loop {
        scanner.skip_whitespace();
        let start = scanner.position;
        match scanner.value()? {
            Some(text) => strings.push(Piece::new(text, start..scanner.position)),
            None => all_strings = false,
        }
        scanner.skip_whitespace();
        match scanner.next() {
            Some(b',') => continue,
            Some(b']') => break,
            _ => return Err(JsonError::Syntax),
        }
    }
    if !all_strings {
        return Err(JsonError::NotStrings);
    }
    Ok(strings)
}

struct JsonScanner<'a> {
    bytes: &'a [u8],
    position: usize,
    end: usize,
    line: &'a str,
}

impl JsonScanner<'_> {
    fn peek(&self) -> Option<u8> {
        (self.position < self.end).then(|| self.bytes[self.position])
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek();
        if byte.is_some() {
            self.position += 1;
        }
        byte
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    fn expect(&mut self, word: &[u8]) -> Result<(), JsonError> {
        for expected in word {
            if self.next() != Some(*expected) {
                return Err(JsonError::Syntax);
            }
        }
        Ok(())
    }

    /// One JSON value: `Some(text)` for a string, `None` for anything else that is valid.
    fn value(&mut self) -> Result<Option<String>, JsonError> {
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            Some(b'[') => {
                self.position += 1;
                self.skip_whitespace();
                if self.peek() == Some(b']') {
                    self.position += 1;
                    return Ok(None);
                }
                loop {
                    self.skip_whitespace();
                    self.value()?;
                    self.skip_whitespace();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b']') => return Ok(None),
                        _ => return Err(JsonError::Syntax),
                    }
                }
            }
            Some(b'{') => {
                self.position += 1;
                self.skip_whitespace();
                if self.peek() == Some(b'}') {
                    self.position += 1;
                    return Ok(None);
                }
                loop {
                    self.skip_whitespace();
                    if self.peek() != Some(b'"') {
                        return Err(JsonError::Syntax);
                    }
                    self.string()?;
                    self.skip_whitespace();
                    if self.next() != Some(b':') {
                        return Err(JsonError::Syntax);
                    }
                    self.skip_whitespace();
                    self.value()?;
                    self.skip_whitespace();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b'}') => return Ok(None),
                        _ => return Err(JsonError::Syntax),
                    }
                }
            }
            Some(b't') => self.expect(b"true").map(|_| None),
            Some(b'f') => self.expect(b"false").map(|_| None),
            Some(b'n') => self.expect(b"null").map(|_| None),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| None),
            _ => Err(JsonError::Syntax),
        }
    }

    fn number(&mut self) -> Result<(), JsonError> {
        let start = self.position;
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        match self.next() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.position += 1;
                }
            }
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if !matches!(self.next(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.position += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if !matches!(self.next(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.position += 1;
            }
        }
        // Go decodes numbers into float64: one that overflows is a decode error, which makes
        // BuildKit fall back to the shell form rather than reject the file.
        let text = &self.line[start..self.position];
        match text.parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(()),
            _ => Err(JsonError::Syntax),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = match self.next() {
                Some(byte @ b'0'..=b'9') => byte - b'0',
                Some(byte @ b'a'..=b'f') => byte - b'a' + 10,
                Some(byte @ b'A'..=b'F') => byte - b'A' + 10,
                _ => return Err(JsonError::Syntax),
            };
            value = value * 16 + u32::from(digit);
        }
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.position += 1;
        let mut text = String::new();
        loop {
            let start = self.position;
            // Copy the run of plain characters in one go.
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.position += 1;
            }
            text.push_str(&self.line[start..self.position]);
            match self.next() {
                Some(b'"') => return Ok(text),
                Some(b'\\') => match self.next() {
                    Some(b'"') => text.push('"'),
                    Some(b'\\') => text.push('\\'),
                    Some(b'/') => text.push('/'),
                    Some(b'b') => text.push('\u{8}'),
                    Some(b'f') => text.push('\u{c}'),
                    Some(b'n') => text.push('\n'),
                    Some(b'r') => text.push('\r'),
                    Some(b't') => text.push('\t'),
                    Some(b'u') => {
                        let first = self.hex4()?;
                        text.push(self.unicode_escape(first));
                    }
                    _ => return Err(JsonError::Syntax),
                },
                // A control character or the end of input inside a string.
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    /// Decodes `\uXXXX` (and a following low surrogate) the way Go does: a lone surrogate
    /// becomes U+FFFD.
    fn unicode_escape(&mut self, first: u32) -> char {
        if (0xd800..0xdc00).contains(&first) {
            let saved = self.position;
            if self.peek() == Some(b'\\') {
                self.position += 1;
                if self.next() == Some(b'u')
                    && let Ok(second) = self.hex4()
                    && (0xdc00..0xe000).contains(&second)
                {
                    let code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                    return char::from_u32(code).unwrap_or('\u{fffd}');
                }
            }
            self.position = saved;
            return '\u{fffd}';
        }
        char::from_u32(first).unwrap_or('\u{fffd}')
    }
}

/// `parseMaybeJSON`: a JSON array of strings, or the whole text as one value.
fn maybe_json(line: &str, range: Range<usize>) -> Dispatched {
    if range.is_empty() {
        return Dispatched::default();
    }
    match json_array(line, range.clone()) {
        Ok(values) => Dispatched {
            json: true,
            values,
            ..Dispatched::default()
        },
        Err(JsonError::NotStrings) => Dispatched {
            values: vec![Piece::new(&line[range.clone()], range)],
            error: Some(NOT_STRINGS.into()),
            ..Dispatched::default()
        },
        Err(JsonError::Syntax) => Dispatched {
            values: vec![Piece::new(&line[range.clone()], range)],
            ..Dispatched::default()
        },
    }
}

/// `parseMaybeJSONToList`: a JSON array of strings, or whitespace-separated words.
fn maybe_json_to_list(line: &str, range: Range<usize>) -> Dispatched {
    match json_array(line, range.clone()) {
        Ok(values) => Dispatched {
            json: true,
            values,
            ..Dispatched::default()
        },
        Err(JsonError::NotStrings) => Dispatched {
            values: split_whitespace(line, range),
            error: Some(NOT_STRINGS.into()),
            ..Dispatched::default()
        },
        Err(JsonError::Syntax) => Dispatched {
            values: split_whitespace(line, range),
            ..Dispatched::default()
        },
    }
}

/// `parseStringsWhitespaceDelimited`: split at runs of `[\t\v\f\r ]`.
fn split_whitespace(line: &str, range: Range<usize>) -> Vec<Piece> {
    if range.is_empty() {
        return Vec::new();
    }
    let text = &line[range.clone()];
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (index, c) in text.char_indices() {
        if is_split_space(c) {
            if !in_space {
                pieces.push(Piece::new(
                    &text[start..index],
                    range.start + start..range.start + index,
                ));
                in_space = true;
            }
        } else if in_space {
            start = index;
            in_space = false;
        }
    }
    if in_space {
        // The text ended in separators: Go's regexp.Split yields a last empty word.
        pieces.push(Piece::new("", range.end..range.end));
    } else {
        pieces.push(Piece::new(&text[start..], range.start + start..range.end));
    }
    pieces
}

/// `parseString`: the whole text as one value.
fn whole_string(line: &str, range: Range<usize>) -> Vec<Piece> {
    if range.is_empty() {
        return Vec::new();
    }
    vec![Piece::new(&line[range.clone()], range)]
}

/// `parseWords`: words separated by whitespace; quotes and escapes are kept in the words (they
/// are processed later, by the build), but quoted whitespace does not split.
pub fn words(line: &str, range: Range<usize>, escape: char) -> Vec<Piece> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let text = &line[range.clone()];
    let mut pieces = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut chars = text.char_indices().peekable();
    loop {
        let Some((position, c)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                pieces.push(Piece::new(word, range.start + word_start..range.end));
            }
            break;
        };
        let at_end_after =
            |chars: &mut std::iter::Peekable<std::str::CharIndices>| chars.peek().is_none();
        if phase == Phase::Spaces {
            if c.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            word_start = position;
        }
        if phase == Phase::Word {
            if c.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    pieces.push(Piece::new(
                        std::mem::take(&mut word),
                        range.start + word_start..range.start + position,
                    ));
                }
                word.clear();
                blank_ok = false;
                continue;
            }
            if c == '\'' || c == '"' {
                quote = c;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if c == escape {
                if at_end_after(&mut chars) {
                    // An escape at the very end is dropped.
                    continue;
                }
                word.push(c);
                if let Some((_, escaped)) = chars.next() {
                    word.push(escaped);
                }
                continue;
            }
            word.push(c);
            continue;
        }
        // Inside quotes.
        if c == quote {
            phase = Phase::Word;
        }
        if c == escape && quote != '\'' {
            if at_end_after(&mut chars) {
                phase = Phase::Word;
                continue;
            }
            word.push(c);
            if let Some((_, escaped)) = chars.next() {
                word.push(escaped);
            }
            continue;
        }
        word.push(c);
    }
    pieces
}

/// `parseNameVal` for ENV and LABEL: `KEY=value ...`, or the legacy `KEY value`.
fn name_values(line: &str, range: Range<usize>, instruction: &str, escape: char) -> Dispatched {
    let all = words(line, range.clone(), escape);
    let Some(first) = all.first() else {
        return Dispatched::default();
    };
    if !first.text.contains('=') {
        // Legacy form: the first run of whitespace separates the key from the value.
        let text = &line[range.clone()];
        let Some((index, _)) = text.char_indices().find(|(_, c)| is_split_space(*c)) else {
            return Dispatched {
                values: vec![Piece::new(text, range)],
                error: Some(format!("{instruction} must have two arguments")),
                ..Dispatched::default()
            };
        };
        let value_start = text[index..]
            .char_indices()
            .find(|(_, c)| !is_split_space(*c))
            .map(|(offset, _)| index + offset)
            .unwrap_or(text.len());
        return Dispatched {
            values: vec![
                Piece::new(&text[..index], range.start..range.start + index),
                Piece::new(&text[value_start..], range.start + value_start..range.end),
            ],
            ..Dispatched::default()
        };
    }
    let mut values = Vec::new();
    let mut error = None;
    for word in all {
        let Some((key, value)) = word.text.split_once('=') else {
            error.get_or_insert_with(|| {
                format!(
                    "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                    word.text
                )
            });
            values.push(word);
            continue;
        };
        let key_end = (word.range.start + key.len()).min(word.range.end);
        let value_start = (key_end + 1).min(word.range.end);
        values.push(Piece::new(key, word.range.start..key_end));
        values.push(Piece::new(value, value_start..word.range.end));
    }
    Dispatched {
        values,
        error,
        ..Dispatched::default()
    }
}

/// `parseHealthConfig`: the first word (`CMD` or `NONE`), then the command like CMD's.
fn health_config(line: &str, range: Range<usize>) -> Dispatched {
    let bytes = &line.as_bytes()[range.clone()];
    let separator = bytes
        .iter()
        .position(|byte| is_space_byte(*byte))
        .unwrap_or(bytes.len());
    if separator == 0 {
        return Dispatched::default();
    }
    let next = bytes[separator..]
        .iter()
        .position(|byte| !is_space_byte(*byte))
        .map(|offset| separator + offset)
        .unwrap_or(bytes.len());
    let separator = ceil_boundary(line, range.start + separator);
    let next = ceil_boundary(line, range.start + next).max(separator);
    let kind = Piece::new(&line[range.start..separator], range.start..separator);
    let mut command = maybe_json(line, next..range.end);
    command.values.insert(0, kind);
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (Vec<String>, Vec<String>, bool) {
        let parsed = parse_line(line, 0..line.len(), '\\');
        (
            parsed
                .flags
                .into_iter()
                .map(|flag| flag.text.into())
                .collect(),
            parsed
                .values
                .into_iter()
                .map(|piece| piece.text.into())
                .collect(),
            parsed.json,
        )
    }

    #[test]
    fn flags_lose_quotes_and_stop_at_the_first_plain_word() {
        let (flags, values, _) = split(r#"COPY --chown="a b" --x=\"q x y"#);
        assert_eq!(flags, vec!["--chown=a b", "--x=\"q"]);
        assert_eq!(values, vec!["x", "y"]);
        let (flags, values, _) = split("COPY -- --a b");
        assert!(flags.is_empty());
        assert_eq!(values, vec!["--a", "b"]);
    }

    #[test]
    fn exec_form_reads_the_first_json_array_only() {
        assert_eq!(split(r#"CMD ["a", "b\u00e9"] tail"#).1, vec!["a", "bé"]);
        assert!(split(r#"CMD ["a", "b"]"#).2);
        let (_, shell, json) = split(r#"CMD ["a", ]"#);
        assert!(!json);
        assert_eq!(shell, vec![r#"["a", ]"#]);
        let parsed = parse_line(r#"CMD ["a", 1]"#, 0..12, '\\');
        assert!(parsed.error.is_some());
    }

    #[test]
    fn env_pairs_and_legacy_form() {
        assert_eq!(split("ENV A=b C=\"d e\"").1, vec!["A", "b", "C", "\"d e\""]);
        assert_eq!(split("ENV X y z").1, vec!["X", "y z"]);
        assert!(parse_line("ENV PATH", 0..8, '\\').error.is_some());
        assert!(parse_line("ENV A=b C", 0..9, '\\').error.is_some());
    }

    #[test]
    fn healthcheck_and_onbuild() {
        let (flags, values, json) = split(r#"HEALTHCHECK --interval=5s CMD ["a"]"#);
        assert_eq!(flags, vec!["--interval=5s"]);
        assert_eq!(values, vec!["CMD", "a"]);
        assert!(json);
        let parsed = parse_line("ONBUILD RUN --mount=x echo hi", 0..29, '\\');
        let inner = parsed.inner.expect("inner");
        assert_eq!(inner.command.text, "RUN");
        assert_eq!(inner.flags[0].text, "--mount=x");
        assert_eq!(parsed.values[0].text, "echo hi");
    }

    #[test]
    fn unknown_instructions_have_one_empty_value() {
        assert_eq!(split("FOO bar").1, vec![""]);
        assert_eq!(split("FROM a  b").1, vec!["a", "b"]);
    }

    #[test]
    fn ranges_point_at_the_source() {
        let line = r#"RUN --mount=type=cache,target=/x  apt-get update"#;
        let parsed = parse_line(line, 0..line.len(), '\\');
        assert_eq!(
            &line[parsed.flags[0].range.clone()],
            "--mount=type=cache,target=/x"
        );
        assert_eq!(&line[parsed.values[0].range.clone()], "apt-get update");
        let line = r#"CMD ["a", "b c"]"#;
        let parsed = parse_line(line, 0..line.len(), '\\');
        assert_eq!(&line[parsed.values[1].range.clone()], "\"b c\"");
    }
}
