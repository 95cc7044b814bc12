//! What BuildKit parses after its line parser, for the rules that report the errors it raises
//! there: every instruction it turns into a command, and each `ONBUILD` trigger, which it
//! only parses when a later build starts `FROM` this image.
//!
//! An instruction the line parser already rejected (a `ParseError`) is left out: the build
//! stops there, and a second finding on the same words would only repeat it. A file whose
//! `# syntax=` names another frontend than Docker's is left out entirely: that frontend's
//! syntax is its own.

use crate::knowledge::frontend::Frontend;
use crate::lint::{Context, Diagnostic, Rule, Severity};
use crate::syntax::{Instruction, Keyword, SourceFile};

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
    /// The instruction has flags (most have none; rules of flags skip the rest unread).
    pub has_flags: bool,
    /// Set for the checks of what BuildKit reads only as it builds a stage (expanded words,
    /// `--mount` values, ports, signals) when the build skips the instruction's stage: the
    /// build does not fail on them there.
    pub skipped_stage: bool,
}

impl Parsed<'_> {
    /// A finding as this instruction's place makes it: an error where this build fails, a
    /// warning (saying when it fails) inside an `ONBUILD` trigger.
    pub fn finish(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if self.skipped_stage && diagnostic.severity == Severity::Error {
            diagnostic.severity = Severity::Warning;
            diagnostic
                .message
                .push_str(" (in a stage this build skips: building that stage fails on it)");
            return diagnostic;
        }
        // Only what fails a build fails the builds on this image; a warning stays as it is.
        if self.trigger && diagnostic.severity == Severity::Error {
            diagnostic.severity = Severity::Warning;
            diagnostic.message.push_str(
                " (in an ONBUILD trigger: this build stores it, and builds FROM this image fail on it)",
            );
        }
        diagnostic
    }
}

/// What one pass over a file shares between the rules' checks of each instruction.
pub struct Pass<'c, 'a> {
    pub context: &'c Context<'a>,
    /// The frontend `# syntax=` asks for.
    pub frontend: Frontend,
    /// The stages' names (lower case), collected when first asked.
    stage_names: std::cell::OnceCell<Vec<String>>,
}

impl Pass<'_, '_> {
    /// Whether `word` names a stage of the file (as BuildKit compares them, in any case).
    pub fn is_stage_name(&self, word: &str) -> bool {
        let names = self.stage_names.get_or_init(|| {
            let stages = &self.context.source.stages.stages;
            stages
                .iter()
                .filter_map(|stage| stage.key.clone())
                .collect()
        });
        let lower = word.to_lowercase();
        names.contains(&lower)
    }
}

/// Every finding of the rules of build errors, in one pass over the instructions: each
/// instruction (and `ONBUILD` trigger) BuildKit parses is read once, by every rule that
/// checks its keyword, while it is in the cache. Made once per lint
/// ([`Context::build_errors`](crate::lint::Context::build_errors)); each rule then takes its
/// own findings ([`report`]). Nothing when another frontend builds the file.
pub fn findings(context: &Context) -> Vec<Diagnostic> {
    let file = &context.source.file;
    let frontend = Frontend::of(file);
    let mut found = Vec::new();
    if frontend == Frontend::Other {
        return found;
    }
    let pass = Pass {
        context,
        frontend,
        stage_names: std::cell::OnceCell::new(),
    };
    let errors = !file.errors.is_empty();
    for (index, instruction) in file.instructions.iter().enumerate() {
        if errors && rejected_by_line_parser(context.source, instruction) {
            continue;
        }
        let triggers = instruction.onbuild.as_deref().map(|inner| (inner, true));
        for (instruction, trigger) in std::iter::once((instruction, false)).chain(triggers) {
            let parsed = Parsed {
                index,
                instruction,
                trigger,
                has_flags: !instruction.flags.is_empty(),
                skipped_stage: false,
            };
            check(&pass, parsed, &mut found);
        }
    }
    found
}

/// Runs the checks of every rule that reads `parsed`'s keyword.
fn check(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    use super::rules::*;
    let keyword = parsed.instruction.keyword;
    if parsed.has_flags {
        invalid_flag::check_instruction(pass, parsed, found);
    }
    if !matches!(
        keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Unknown
    ) {
        invalid_instruction_arguments::check_instruction(pass, parsed, found);
    }
    // BuildKit parses every stage, but expands words, reads `--mount` values, ports and
    // signals only as it builds a stage: in a stage the build skips, those are warnings. A
    // FROM's image and platform, and the global ARGs, are read for every stage.
    let context = pass.context;
    let skipped = context
        .source
        .stages
        .stage_of(parsed.index)
        .is_some_and(|stage| !context.built_stages()[stage.index]);
    let built = Parsed {
        skipped_stage: skipped,
        ..parsed
    };
    match keyword {
        Keyword::Run => {
            invalid_mount::check_instruction(pass, built, found);
            invalid_variable_expansion::check_instruction(pass, built, found);
            single_quoted_exec_form::check_instruction(pass, parsed, found);
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
            single_quoted_exec_form::check_instruction(pass, parsed, found);
        }
        Keyword::Copy | Keyword::Add => {
            invalid_variable_expansion::check_instruction(pass, built, found);
            copy_destination_not_directory::check_instruction(pass, parsed, found);
            single_quoted_exec_form::check_instruction(pass, parsed, found);
        }
        Keyword::Volume => {
            invalid_variable_expansion::check_instruction(pass, built, found);
            single_quoted_exec_form::check_instruction(pass, parsed, found);
        }
        Keyword::From => {
            invalid_stage_name::check_instruction(pass, parsed, found);
            invalid_image_reference::check_instruction(pass, parsed, found);
            invalid_variable_expansion::check_instruction(pass, parsed, found);
        }
        Keyword::Expose => {
            invalid_port::check_instruction(pass, built, found);
            invalid_variable_expansion::check_instruction(pass, built, found);
        }
        Keyword::Stopsignal => {
            invalid_stop_signal::check_instruction(pass, built, found);
            invalid_variable_expansion::check_instruction(pass, built, found);
        }
        Keyword::Onbuild => invalid_onbuild_trigger::check_instruction(pass, parsed, found),
        Keyword::Shell => shell_not_json::check_instruction(pass, parsed, found),
        Keyword::Env | Keyword::Label | Keyword::Arg | Keyword::User | Keyword::Workdir => {
            invalid_variable_expansion::check_instruction(pass, built, found);
        }
        Keyword::Maintainer | Keyword::Unknown => {}
    }
}

/// Adds `rule`'s findings from the one pass ([`findings`]) to `found`.
pub fn report(context: &Context, rule: &'static Rule, found: &mut Vec<Diagnostic>) {
    found.extend(
        context
            .build_errors()
            .iter()
            .filter(|diagnostic| std::ptr::eq(diagnostic.rule, rule))
            .cloned(),
    );
}

/// Whether BuildKit's line parser already rejected `instruction` (a `SyntaxError` inside it).
pub fn rejected_by_line_parser(source: &SourceFile, instruction: &Instruction) -> bool {
    let errors = &source.file.errors;
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
    // BuildKit's argument strings are trimmed: the `[` comes first.
    if text.as_bytes().first() != Some(&b'[') || memchr::memchr(b'\'', text.as_bytes()).is_none() {
        return None;
    }
    let inner = text.trim_end().strip_prefix('[')?.strip_suffix(']')?.trim();
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

    fn found(text: &str) -> Vec<(&'static str, usize, Severity)> {
        let source = SourceFile::parse(text);
        let settings = crate::lint::Settings::default();
        let context = Context::new(&source, &settings, crate::knowledge::distros::AS_OF);
        findings(&context)
            .iter()
            .map(|finding| {
                let line = source.line_number(finding.span.start);
                (finding.rule.name, line, finding.severity)
            })
            .collect()
    }

    #[test]
    fn triggers_are_warnings_and_rejected_lines_or_other_frontends_are_skipped() {
        assert_eq!(
            found("FROM a\nONBUILD COPY x\nENV --x A\nRUN --network=bad b\n"),
            vec![
                ("InvalidInstructionArguments", 2, Severity::Warning),
                ("InvalidFlag", 4, Severity::Error),
            ]
        );
        assert!(found("# syntax=example.com/other:1\nFROM a\nCOPY x\n").is_empty());
        assert_eq!(
            found("# syntax=docker/dockerfile:1.4\nFROM a\nCOPY x\n").len(),
            1
        );
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
        assert_eq!(single_quoted_array("[ 'x' ] "), Some(vec!["x"]));
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
