//! BuildKit's word lexer: quote removal, escapes, `$VAR` / `${VAR...}` expansion and word
//! splitting, with the same results and the same errors as BuildKit's `shell.Lex`.
//!
//! It serves three masters: heredoc detection in the parser (raw quotes and escapes, nothing
//! set), variable resolution in the stage graph (`FROM $BASE`, `${VERSION:-1}`), and
//! [`references`]: where a Dockerfile word names variables, for the variable index (the
//! shell's own `$NAME`s in `RUN` scripts are the shell's, found by
//! [`shell_references`](super::variables::shell_references)).

/// Options of one lexer run, named after BuildKit's `Lex` fields.
#[derive(Clone, Copy, Debug)]
pub struct Lexer {
    pub escape: char,
    /// Keep quote characters in the output.
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Leave `$NAME` as written when NAME is not set (instead of expanding to nothing).
    pub skip_unset_env: bool,
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Self {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
        }
    }
}

/// What a lexer run produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The word with quotes removed and variables expanded.
    pub text: String,
    /// The same, split into words at unquoted whitespace.
    pub words: Vec<String>,
    /// Variables the text used that were set.
    pub matched: Vec<String>,
    /// Variables the text used that were not set.
    pub unmatched: Vec<String>,
}

/// A variable a Dockerfile word names, with byte ranges into the word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    /// The name alone (no `$`, braces or modifier).
    pub name_range: std::ops::Range<usize>,
    /// The whole reference: `$NAME`, or `${NAME...}` up to its closing brace.
    pub range: std::ops::Range<usize>,
}

/// A reference seen while lexing, in char positions.
struct Seen {
    name: String,
    name_start: usize,
    dollar: usize,
    end: usize,
}

const EOF: Option<char> = None;

struct State<'a, F: Fn(&str) -> Option<String>> {
    lexer: Lexer,
    raw_escapes: bool,
    chars: Vec<char>,
    position: usize,
    lookup: &'a F,
    matched: Vec<String>,
    unmatched: Vec<String>,
    /// Every named reference, when asked for ([`references`]).
    seen: Option<Vec<Seen>>,
    /// Where the innermost construct that failed (a quote, a `$`) starts, in chars.
    failed_at: Option<usize>,
}

#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }

    fn add_string(&mut self, text: &str) {
        for c in text.chars() {
            self.add_char(c);
        }
    }

    fn add_raw_string(&mut self, text: &str) {
        self.word.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(std::mem::take(&mut self.word));
        }
        self.words
    }
}

/// Runs the lexer over `source`. `lookup` answers a variable's value, `None` when unset.
pub fn process<F: Fn(&str) -> Option<String>>(
    lexer: Lexer,
    source: &str,
    lookup: &F,
) -> Result<Expansion, String> {
    let mut state = State {
        lexer,
        raw_escapes: lexer.raw_escapes,
        chars: source.chars().collect(),
        position: 0,
        lookup,
        matched: Vec::new(),
        unmatched: Vec::new(),
        seen: None,
        failed_at: None,
    };
    let (text, words) = state
        .process_until(None, lexer.raw_escapes)
        .map_err(|error| format!("failed to process \"{source}\": {error}"))?;
    Ok(Expansion {
        text,
        words,
        matched: state.matched,
        unmatched: state.unmatched,
    })
}

/// The variables Dockerfile word `text` names, in order, as BuildKit's lexer finds them:
/// outside single quotes, not escaped with `escape`, in `${NAME:-default}` defaults too.
/// Positional and special parameters (`$1`, `$@`) name no variable. Where BuildKit would stop
/// at an error (`${}`), lexing resumes after it, so an editor still sees the names beyond.
pub fn references(text: &str, escape: char) -> Vec<VariableUse> {
    if !text.contains('$') {
        return Vec::new();
    }
    // Nothing is set: expansions cost nothing, and a `${NAME:?}` that stops the lexer is
    // resumed after, like any error.
    let lookup = |_: &str| None;
    let mut state = State {
        lexer: Lexer::new(escape),
        raw_escapes: false,
        chars: text.chars().collect(),
        position: 0,
        lookup: &lookup,
        matched: Vec::new(),
        unmatched: Vec::new(),
        seen: Some(Vec::new()),
        failed_at: None,
    };
    while state.position < state.chars.len() {
        let before = state.position;
        if state.process_until(None, false).is_err() && state.position == before {
            state.position += 1;
        }
    }
    // Char positions to byte offsets, in one pass (none needed for ASCII text).
    let mut offsets = Vec::new();
    if !text.is_ascii() {
        offsets.reserve(state.chars.len() + 1);
        let mut offset = 0;
        for c in &state.chars {
            offsets.push(offset);
            offset += c.len_utf8();
        }
        offsets.push(offset);
    }
    let byte = |position: usize| match offsets.len() {
        0 => position.min(text.len()),
        count => offsets[position.min(count - 1)],
    };
    state
        .seen
        .unwrap_or_default()
        .into_iter()
        .map(|seen| {
            let name_start = byte(seen.name_start);
            VariableUse {
                name_range: name_start..name_start + seen.name.len(),
                range: byte(seen.dollar)..byte(seen.end),
                name: seen.name,
            }
        })
        .collect()
}

/// What BuildKit's lexer would reject in Dockerfile word `text` whatever the variables hold:
/// an unterminated quote, a `${` without `}`, `${}`, an unsupported modifier (`${NAME:x}`).
/// The message is the lexer's; the range (bytes of `text`) runs from the construct that fails
/// (its quote or `$`) to where the lexer gave up. A `${NAME?message}` that fails only when the
/// variable is unset is not reported: every variable counts as set here.
pub fn syntax_error(text: &str, escape: char) -> Option<(String, std::ops::Range<usize>)> {
    // Without a quote or a `${` the lexer cannot fail: a `$` before anything else is a name
    // or itself.
    if memchr::memchr3(b'{', b'\'', b'"', text.as_bytes()).is_none() || surely_lexes(text, escape) {
        return None;
    }
    let lookup = |_: &str| Some("x".to_string());
    let mut state = State {
        lexer: Lexer::new(escape),
        raw_escapes: false,
        chars: text.chars().collect(),
        position: 0,
        lookup: &lookup,
        matched: Vec::new(),
        unmatched: Vec::new(),
        seen: None,
        failed_at: None,
    };
    let error = state.process_until(None, false).err()?;
    let start = state.failed_at.unwrap_or(0);
    let end = state.position.max(start + 1).min(state.chars.len());
    let byte = |position: usize| -> usize {
        state.chars[..position.min(state.chars.len())]
            .iter()
            .map(|c| c.len_utf8())
            .sum()
    };
    Some((error, byte(start)..byte(end)))
}

/// A quick scan that proves the lexer cannot fail on `text`: every quote closes and every
/// `${` is `${NAME}` or `${NAME}` with a `-`, `:-`, `+` or `:+` default of plain characters.
/// `false` proves nothing (the lexer then decides); it is only ever `true` where the lexer
/// succeeds, which keeps the check of every expanded word cheap on each keystroke.
fn surely_lexes(text: &str, escape: char) -> bool {
    // Every character that matters is ASCII, so bytes do (a non-ASCII escape proves nothing).
    let Ok(escape) = u8::try_from(escape) else {
        return false;
    };
    let bytes = text.as_bytes();
    let mut position = 0;
    // `None` outside quotes, else the open quote.
    let mut quote: Option<u8> = None;
    while position < bytes.len() {
        let byte = bytes[position];
        position += 1;
        match quote {
            Some(b'\'') if byte == b'\'' => quote = None,
            Some(b'\'') => {}
            // The escaped byte is literal (inside double quotes the lexer escapes only `"`,
            // `$` and the escape character, the only special ones there).
            _ if byte == escape => position += 1,
            Some(_) if byte == b'"' => quote = None,
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            _ if byte == b'$' => match simple_substitution(&bytes[position..], escape) {
                Some(length) => position += length,
                None => return false,
            },
            _ => {}
        }
    }
    quote.is_none()
}

/// After a `$` (`rest` follows it): the bytes of a substitution the lexer surely reads, `0`
/// for anything but `${`; `None` for a `${` other than `${NAME}`, `${NAME-x}`, `${NAME:-x}`,
/// `${NAME+x}` and `${NAME:+x}` with a default of plain characters.
fn simple_substitution(rest: &[u8], escape: u8) -> Option<usize> {
    if rest.first() != Some(&b'{') {
        return Some(0);
    }
    if !rest
        .get(1)
        .is_some_and(|byte| byte.is_ascii_alphabetic() || *byte == b'_')
    {
        return None;
    }
    let mut position = 2;
    loop {
        match rest.get(position)? {
            byte if byte.is_ascii_alphanumeric() || *byte == b'_' => position += 1,
            b'}' => return Some(position + 1),
            b':' if matches!(rest.get(position + 1), Some(b'-' | b'+')) => {
                position += 2;
                break;
            }
            b'-' | b'+' => {
                position += 1;
                break;
            }
            _ => return None,
        }
    }
    while let Some(byte) = rest.get(position) {
        match byte {
            b'}' => return Some(position + 1),
            b'\'' | b'"' | b'$' | b'{' => return None,
            byte if *byte == escape => return None,
            _ => position += 1,
        }
    }
    None
}

impl<F: Fn(&str) -> Option<String>> State<'_, F> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.position += 1;
        }
        c
    }

    fn env(&mut self, name: &str) -> Option<String> {
        let value = (self.lookup)(name);
        if self.seen.is_some() {
            return value;
        }
        let list = if value.is_some() {
            &mut self.matched
        } else {
            &mut self.unmatched
        };
        if !list.iter().any(|known| known == name) {
            list.push(name.to_string());
        }
        value
    }

    /// Whether the expanded text is wanted (not when only references are looked for).
    fn output(&self) -> bool {
        self.seen.is_none()
    }

    fn process_until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), String> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let result = self.process_until_inner(stop);
        self.raw_escapes = saved;
        result
    }

    fn process_until_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        let mut words = Words::default();
        // Finding references needs neither the text nor its words: nothing is allocated.
        let output = self.output();
        while let Some(c) = self.peek() {
            if stop == Some(c) {
                self.next();
                return Ok((result, words.finish()));
            }
            let start = self.position;
            match c {
                '$' => {
                    let value = self.noting_failure(start, |state| state.process_dollar())?;
                    if output {
                        result.push_str(&value);
                        words.add_string(&value);
                    }
                }
                '\'' | '"' => {
                    let value = self.noting_failure(start, |state| {
                        if c == '"' {
                            state.process_double_quote()
                        } else {
                            state.process_single_quote()
                        }
                    })?;
                    if output {
                        result.push_str(&value);
                        words.add_raw_string(&value);
                    }
                }
                _ => {
                    self.next();
                    if c != self.lexer.escape {
                        if output {
                            words.add_char(c);
                            result.push(c);
                        }
                        continue;
                    }
                    if self.raw_escapes && output {
                        words.add_raw_char(c);
                        result.push(c);
                    }
                    // The escape character escapes the next one, except at the end.
                    match self.next() {
                        None => break,
                        Some(escaped) if output => {
                            words.add_raw_char(escaped);
                            result.push(escaped);
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, words.finish()))
    }

    /// Runs `step`, which starts at char `start`; when it fails and nothing inside it noted a
    /// failure already, notes `start` as where the failing construct begins.
    fn noting_failure(
        &mut self,
        start: usize,
        step: impl FnOnce(&mut Self) -> Result<String, String>,
    ) -> Result<String, String> {
        let result = step(self);
        if result.is_err() && self.failed_at.is_none() {
            self.failed_at = Some(start);
        }
        result
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        let mut result = String::new();
        let quote = self.next();
        if self.lexer.raw_quotes {
            result.extend(quote);
        }
        loop {
            match self.next() {
                EOF => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) if self.output() => result.push(c),
                Some(_) => {}
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        let mut result = String::new();
        let quote = self.next();
        if self.lexer.raw_quotes {
            result.extend(quote);
        }
        loop {
            match self.peek() {
                EOF => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let start = self.position;
                    let value = self.noting_failure(start, |state| state.process_dollar())?;
                    if self.output() {
                        result.push_str(&value);
                    }
                }
                Some(_) => {
                    let mut c = self.next().unwrap_or_default();
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            result.push(c);
                        }
                        match self.peek() {
                            // An escape at the very end is dropped.
                            EOF => continue,
                            Some(next)
                                if next == '"' || next == '$' || next == self.lexer.escape =>
                            {
                                c = next;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    if self.output() {
                        result.push(c);
                    }
                }
            }
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(digit) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }

    fn process_dollar(&mut self) -> Result<String, String> {
        let dollar = self.position;
        let first = self.seen.as_ref().map(Vec::len);
        let result = self.process_dollar_inner();
        // The reference's own entry is the first one it added (nested defaults come after).
        if let (Some(first), Some(seen)) = (first, self.seen.as_mut())
            && let Some(entry) = seen.get_mut(first)
            && entry.dollar == dollar
        {
            entry.end = self.position;
        }
        result
    }

    /// Notes the name just read (from char `name_start`) of the reference at `dollar`.
    fn note(&mut self, name: &str, name_start: usize, dollar: usize) {
        let Some(seen) = self.seen.as_mut() else {
            return;
        };
        if name
            .chars()
            .next()
            .is_some_and(|first| first.is_alphabetic() || first == '_')
        {
            seen.push(Seen {
                name: name.to_string(),
                name_start,
                dollar,
                end: self.position,
            });
        }
    }

    fn process_dollar_inner(&mut self) -> Result<String, String> {
        let dollar = self.position;
        self.next();
        if self.peek() != Some('{') {
            let name_start = self.position;
            let name = self.process_name();
            self.note(&name, name_start, dollar);
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.env(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            EOF => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            _ => {}
        }
        let name_start = self.position;
        let name = self.process_name();
        self.note(&name, name_start, dollar);
        let mut operator = self.next();
        let mut operator_text: String = operator.into_iter().collect();
        match operator {
            Some('}') => Ok(match self.env(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = operator == Some(':');
                if null_is_unset {
                    operator = self.next();
                    operator_text.extend(operator);
                }
                let raw = matches!(operator, Some('#' | '%'));
                let word = match self.process_until(Some('}'), raw) {
                    Ok((word, _)) => word,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '}'".into());
                    }
                    Err(error) => return Err(error),
                };
                let value = self.env(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{operator_text}{word}}}"));
                }
                let unset = value.is_none() || (null_is_unset && value.as_deref() == Some(""));
                match operator {
                    Some('-') => Ok(if unset {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    Some('+') => Ok(if unset { String::new() } else { word }),
                    Some('?') => match value {
                        None => Err(format!(
                            "{name}: {}",
                            if word.is_empty() {
                                "is not allowed to be unset"
                            } else {
                                &word
                            }
                        )),
                        Some(value) if null_is_unset && value.is_empty() => Err(format!(
                            "{name}: {}",
                            if word.is_empty() {
                                "is not allowed to be empty"
                            } else {
                                &word
                            }
                        )),
                        Some(value) => Ok(value),
                    },
                    Some(trim @ ('%' | '#')) => {
                        let (greedy, pattern) = match word.strip_prefix(trim) {
                            Some(rest) => (true, rest.to_string()),
                            None => (false, word),
                        };
                        let value = value.unwrap_or_default();
                        Ok(if trim == '%' {
                            trim_suffix(&pattern, &value, greedy)
                        } else {
                            trim_prefix(&pattern, &value, greedy)
                        })
                    }
                    _ => Err(format!(
                        "unsupported modifier ({operator_text}) in substitution"
                    )),
                }
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pattern = match self.process_until(Some('/'), true) {
                    Ok((pattern, _)) => pattern,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '/' in ${}".into());
                    }
                    Err(error) => return Err(error),
                };
                let replacement = match self.process_until(Some('}'), true) {
                    Ok((replacement, _)) => replacement,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '}'".into());
                    }
                    Err(error) => return Err(error),
                };
                let value = self.env(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                Ok(replace_pattern(
                    &value.unwrap_or_default(),
                    &pattern,
                    &replacement,
                    replace_all,
                ))
            }
            _ => Err(format!(
                "unsupported modifier ({operator_text}) in substitution"
            )),
        }
    }
}

/// A shell glob (`*`, `?`, `\` escapes; no brackets) compiled to a matcher over chars.
#[derive(Debug)]
enum PatternItem {
    Any,
    One,
    Literal(char),
}

fn compile_pattern(pattern: &str) -> Vec<PatternItem> {
    let mut items = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => items.push(PatternItem::Any),
            '?' => items.push(PatternItem::One),
            '\\' => match chars.next() {
                Some(escaped) => items.push(PatternItem::Literal(escaped)),
                None => items.push(PatternItem::Literal('\\')),
            },
            _ => items.push(PatternItem::Literal(c)),
        }
    }
    items
}

/// The lengths (in chars) of the prefixes of `text` that `items` matches entirely.
fn prefix_matches(items: &[PatternItem], text: &[char]) -> Vec<usize> {
    // Positions reachable after consuming each item, as a set of char indexes.
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for item in items {
        let mut next = vec![false; text.len() + 1];
        for (index, _) in reachable.iter().enumerate().filter(|(_, on)| **on) {
            match item {
                PatternItem::Any => next[index..].iter_mut().for_each(|slot| *slot = true),
                PatternItem::One if index < text.len() => next[index + 1] = true,
                PatternItem::Literal(c) if text.get(index) == Some(c) => next[index + 1] = true,
                _ => {}
            }
        }
        reachable = next;
    }
    reachable
        .iter()
        .enumerate()
        .filter(|(_, on)| **on)
        .map(|(index, _)| index)
        .collect()
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> String {
    let items = compile_pattern(pattern);
    let chars: Vec<char> = value.chars().collect();
    let matches = prefix_matches(&items, &chars);
    let cut = if greedy {
        matches.last()
    } else {
        matches.first()
    };
    match cut {
        Some(&cut) => chars[cut..].iter().collect(),
        None => value.to_string(),
    }
}

fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> String {
    let items = compile_pattern(pattern);
    let chars: Vec<char> = value.chars().collect();
    // The shortest suffix starts latest; the longest starts earliest.
    let starts: Vec<usize> = (0..=chars.len())
        .filter(|start| prefix_matches(&items, &chars[*start..]).contains(&(chars.len() - start)))
        .collect();
    let cut = if greedy {
        starts.first()
    } else {
        starts.last()
    };
    match cut {
        Some(&cut) => chars[..cut].iter().collect(),
        None => value.to_string(),
    }
}

fn replace_pattern(value: &str, pattern: &str, replacement: &str, all: bool) -> String {
    let items = compile_pattern(pattern);
    let chars: Vec<char> = value.chars().collect();
    let mut output = String::new();
    let mut index = 0;
    let mut replaced = false;
    while index <= chars.len() {
        let longest = if replaced && !all {
            None
        } else {
            prefix_matches(&items, &chars[index..])
                .last()
                .copied()
                .filter(|length| *length > 0)
        };
        match longest {
            Some(length) => {
                output.push_str(replacement);
                index += length;
                replaced = true;
            }
            None => {
                if let Some(c) = chars.get(index) {
                    output.push(*c);
                }
                index += 1;
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(source: &str, vars: &[(&str, &str)]) -> Result<String, String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        process(Lexer::new('\\'), source, &lookup).map(|expansion| expansion.text)
    }

    #[test]
    fn expands_variables_with_modifiers() {
        let vars = [("A", "x"), ("E", "")];
        assert_eq!(expand("$A-${A}", &vars).unwrap(), "x-x");
        assert_eq!(expand("${B:-def}", &vars).unwrap(), "def");
        assert_eq!(expand("${E:-def}", &vars).unwrap(), "def");
        assert_eq!(expand("${E-def}", &vars).unwrap(), "");
        assert_eq!(expand("${A:+alt}", &vars).unwrap(), "alt");
        assert_eq!(expand("${B:+alt}", &vars).unwrap(), "");
        assert!(
            expand("${B:?need B}", &vars)
                .unwrap_err()
                .contains("B: need B")
        );
        assert!(expand("${A", &vars).is_err());
        assert!(expand("${A:-x", &vars).unwrap_err().contains("missing '}'"));
        assert!(
            expand("${}", &vars)
                .unwrap_err()
                .contains("bad substitution")
        );
    }

    #[test]
    fn pattern_modifiers() {
        let vars = [("V", "1.22.3-alpine")];
        assert_eq!(expand("${V%.*}", &vars).unwrap(), "1.22");
        assert_eq!(expand("${V%%.*}", &vars).unwrap(), "1");
        assert_eq!(expand("${V#*.}", &vars).unwrap(), "22.3-alpine");
        assert_eq!(expand("${V##*.}", &vars).unwrap(), "3-alpine");
        assert_eq!(expand("${V/./_}", &vars).unwrap(), "1_22.3-alpine");
        assert_eq!(expand("${V//./_}", &vars).unwrap(), "1_22_3-alpine");
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            expand(r#"'$A' "b\"c" d\ e"#, &[("A", "x")]).unwrap(),
            r#"$A b"c d e"#
        );
        let lexer = Lexer {
            raw_quotes: true,
            raw_escapes: true,
            ..Lexer::new('\\')
        };
        let words = process(lexer, r#"cat <<'EOF' "a b" c\ d"#, &|_: &str| None)
            .unwrap()
            .words;
        assert_eq!(words, vec!["cat", "<<'EOF'", "\"a b\"", r"c\ d"]);
        assert!(process(lexer, "it's", &|_: &str| None).is_err());
    }

    #[test]
    fn references_with_their_ranges() {
        let text = "${REGISTRY:-docker.io}/$NAME:\\$x-'$y'${A:-$B}é$C";
        let found = references(text, '\\');
        for reference in &found {
            assert_eq!(&text[reference.name_range.clone()], reference.name);
        }
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|reference| (reference.name.as_str(), &text[reference.range.clone()]))
            .collect();
        assert_eq!(
            names,
            vec![
                ("REGISTRY", "${REGISTRY:-docker.io}"),
                ("NAME", "$NAME"),
                ("A", "${A:-$B}"),
                ("B", "$B"),
                ("C", "$C"),
            ]
        );
        // Positional parameters are no variables; `${}` stops BuildKit but not the search.
        assert!(references("a$1b $@", '\\').is_empty());
        let after_error: Vec<String> = references("${} $D", '\\')
            .into_iter()
            .map(|found| found.name)
            .collect();
        assert_eq!(after_error, vec!["D"]);
        assert!(references("`$X", '`').is_empty());
    }

    #[test]
    fn the_quick_scan_only_passes_what_the_lexer_reads() {
        let words = [
            "plain",
            "$A/${B}",
            "${A:-x}",
            "${A-x}${B:+y}",
            "'a\\'b'",
            "\"x\\\"y\"",
            "a\\'b",
            "\"${A}\"",
            "${A:x}",
            "${A",
            "${}",
            "'open",
            "\"open",
            "\"a\\",
            "${A:-'q'}",
            "${1}",
            "${A%.*}",
            "$$",
            "${A:-x",
            "'\"'",
            "\"'\"",
            "${A:-$B}",
            "x\\",
        ];
        for word in words {
            for escape in ['\\', '`'] {
                let lexes = process(Lexer::new(escape), word, &|_: &str| Some("x".into())).is_ok();
                if surely_lexes(word, escape) {
                    assert!(
                        lexes,
                        "{word} ({escape}) passed the scan but fails the lexer"
                    );
                }
            }
        }
        assert!(surely_lexes("${VERSION:-1.0}/$HOME \"a b\" 'c'", '\\'));
    }

    #[test]
    fn syntax_errors_point_at_the_failing_construct() {
        let at = |text: &str| {
            let (message, range) = syntax_error(text, '\\').expect(text);
            (message, text[range].to_string())
        };
        assert_eq!(at("a'b").1, "'b");
        assert_eq!(at("x \"y z").1, "\"y z");
        assert_eq!(at("${A:x}").1, "${A:x}");
        assert!(at("${A:x}").0.contains("unsupported modifier"));
        assert_eq!(at("p${A").1, "${A");
        assert_eq!(at("${}").1, "${");
        assert_eq!(at("${A:-'b}").1, "'b}");
        assert_eq!(at("é'é").1, "'é");
        for fine in [
            "plain",
            "$A ${B:-c} ${C:+d} ${D?e}",
            "'$x' \"y\"",
            "a\\'b",
            "${A%%.*}",
        ] {
            assert_eq!(syntax_error(fine, '\\'), None, "{fine}");
        }
        // With the backtick escape, a backslash is an ordinary character.
        assert_eq!(
            syntax_error("c:\\'", '`').map(|(_, range)| range),
            Some(3..4)
        );
    }
}
