//! What BuildKit parses after its line parser, for the rules that report the errors it raises
//! there: every instruction it turns into a command, and each `ONBUILD` trigger, which it
//! only parses when a later build starts `FROM` this image.
//!
//! An instruction the line parser already rejected (a `ParseError`) is left out: the build
//! stops there, and a second finding on the same words would only repeat it. A file whose
//! `# syntax=` names another frontend than Docker's is left out entirely: that frontend's
//! syntax is its own.

use crate::knowledge::frontend::Frontend;
use crate::lint::{Context, Diagnostic, Severity};
use crate::syntax::Instruction;

/// One instruction to check.
#[derive(Clone, Copy, Debug)]
pub struct Parsed<'a> {
    /// The index of the (outer) instruction in the file.
    pub index: usize,
    /// The instruction BuildKit parses: the trigger itself for an `ONBUILD` trigger.
    pub instruction: &'a Instruction,
    /// True for the instruction inside `ONBUILD`: this build stores it as text, and only
    /// builds based on the image parse it.
    pub trigger: bool,
}

impl Parsed<'_> {
    /// A finding as this instruction's place makes it: an error where this build fails, a
    /// warning (saying when it fails) inside an `ONBUILD` trigger.
    pub fn finish(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if self.trigger {
            diagnostic.severity = Severity::Warning;
            diagnostic.message.push_str(
                " (in an ONBUILD trigger: this build stores it, and builds FROM this image fail on it)",
            );
        }
        diagnostic
    }
}

/// The frontend the file asks for.
pub fn frontend(context: &Context) -> Frontend {
    Frontend::of(&context.source.file)
}

/// Every instruction (and `ONBUILD` trigger) BuildKit's Dockerfile frontend parses in this
/// file, in order; nothing when another frontend builds the file.
pub fn instructions<'a>(context: &'a Context) -> impl Iterator<Item = Parsed<'a>> + 'a {
    let frontend = frontend(context);
    let file = &context.source.file;
    let all = if frontend == Frontend::Other {
        &file.instructions[..0]
    } else {
        &file.instructions[..]
    };
    all.iter()
        .enumerate()
        .filter(move |(_, instruction)| !rejected_by_line_parser(context, instruction))
        .flat_map(|(index, instruction)| {
            let outer = Parsed {
                index,
                instruction,
                trigger: false,
            };
            let inner = instruction.onbuild.as_deref().map(|inner| Parsed {
                index,
                instruction: inner,
                trigger: true,
            });
            std::iter::once(outer).chain(inner)
        })
}

/// Whether BuildKit's line parser already rejected `instruction` (a `SyntaxError` inside it).
pub fn rejected_by_line_parser(context: &Context, instruction: &Instruction) -> bool {
    let errors = &context.source.file.errors;
    let first = errors.partition_point(|error| error.span.start < instruction.span.start);
    errors
        .get(first)
        .is_some_and(|error| error.span.start <= instruction.span.end)
}

/// What BuildKit reads from a Dockerfile word without variables: quotes and escapes removed
/// by its lexer. `None` when the word names a variable (its value is the build's) or the lexer
/// fails on it (InvalidVariableExpansion reports that).
pub fn literal(text: &str, escape: char) -> Option<std::borrow::Cow<'_, str>> {
    if text.contains('$') {
        return None;
    }
    if !text.contains(['\'', '"', escape]) {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let lexer = crate::syntax::expand::Lexer::new(escape);
    crate::syntax::expand::process(lexer, text, &|_: &str| None)
        .ok()
        .map(|expansion| std::borrow::Cow::Owned(expansion.text))
}

/// `words` as a JSON array of strings, the exec form BuildKit reads back as exactly these
/// words: `["/bin/sh", "-c"]`.
pub fn exec_form<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let strings: Vec<String> = words.into_iter().map(json_string).collect();
    format!("[{}]", strings.join(", "))
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut output = String::with_capacity(text.len() + 2);
    output.push('"');
    for c in text.chars() {
        match c {
            '"' => output.push_str("\\\""),
            '\\' => output.push_str("\\\\"),
            '\n' => output.push_str("\\n"),
            '\t' => output.push_str("\\t"),
            '\r' => output.push_str("\\r"),
            c if u32::from(c) < 0x20 => output.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => output.push(c),
        }
    }
    output.push('"');
    output
}

/// The elements of an array written with single quotes instead of JSON's double quotes
/// (`['a', 'b']`), which BuildKit takes for the shell form; `None` for anything else.
pub fn single_quoted_array(text: &str) -> Option<Vec<&str>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return None;
    }
    let mut elements = Vec::new();
    let mut rest = inner;
    loop {
        let body = rest.strip_prefix('\'')?;
        let close = body.find('\'')?;
        elements.push(&body[..close]);
        rest = body[close + 1..].trim_start();
        if rest.is_empty() {
            return Some(elements);
        }
        rest = rest.strip_prefix(',')?.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::distros::AS_OF;
    use crate::lint::Settings;
    use crate::syntax::{Keyword, SourceFile};

    fn listed(text: &str) -> Vec<(usize, Keyword, bool)> {
        let source = SourceFile::parse(text);
        let settings = Settings::default();
        let context = Context::new(&source, &settings, AS_OF);
        instructions(&context)
            .map(|parsed| (parsed.index, parsed.instruction.keyword, parsed.trigger))
            .collect()
    }

    #[test]
    fn triggers_follow_their_onbuild_and_rejected_lines_are_left_out() {
        assert_eq!(
            listed("FROM a\nONBUILD COPY x\nENV A\nRUN b\n"),
            vec![
                (0, Keyword::From, false),
                (1, Keyword::Onbuild, false),
                (1, Keyword::Copy, true),
                (3, Keyword::Run, false),
            ]
        );
        assert!(listed("# syntax=example.com/other:1\nFROM a\nCOPY x\n").is_empty());
        assert_eq!(listed("# syntax=docker/dockerfile:1.4\nFROM a\n").len(), 1);
    }

    #[test]
    fn exec_forms_read_back_as_the_same_words() {
        let words = ["sh", "-c", "echo \"$HOME\" \\ done\n\u{1}"];
        let json = exec_form(words);
        let source = SourceFile::parse(&format!("FROM a\nCMD {json}\n"));
        let cmd = &source.file.instructions[1];
        assert!(cmd.json);
        let read: Vec<&str> = cmd.values.iter().map(|value| value.text.as_str()).collect();
        assert_eq!(read, words);
        assert_eq!(
            single_quoted_array("['a', 'b c' ,'d']"),
            Some(vec!["a", "b c", "d"])
        );
        assert_eq!(single_quoted_array(" [ 'x' ] "), Some(vec!["x"]));
        for not in [
            "[]",
            "['a' 'b']",
            "['a',]",
            "[\"a\"]",
            "'a'",
            "['a]",
            "['a', b]",
        ] {
            assert_eq!(single_quoted_array(not), None, "{not}");
        }
    }
}
