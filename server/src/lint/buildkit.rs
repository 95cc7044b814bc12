//! What BuildKit's build checks share: the options of a `# check=` directive or comment, the
//! comments BuildKit attaches to an instruction, the "Skip RuleName here" fix, BuildKit's
//! "did you mean" and Go's `%q` quoting for messages that quote BuildKit's.
//!
//! BuildKit reads `# check=` in two places (frontend/dockerfile/linter): as the file's parser
//! directive, whose options apply to the whole file and whose errors fail the build, and in
//! the comments above an instruction, whose `skip` and `experimental` options apply to the
//! checks that instruction raises and whose errors are ignored.

use super::{Context, Edit, Fix};
use crate::knowledge::distros::Family;
use crate::syntax::{Base, Comment, SourceFile, Stage};
use crate::text::Span;

/// The options of one `# check=` value (`skip=A,B|all;error=true;experimental=C|all`), as
/// BuildKit's `ParseLintOptions` reads them. Rule names are compared exactly (they are
/// case-sensitive in BuildKit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    /// `error=true`: a check that fires fails the build.
    pub error: bool,
}

impl CheckOptions {
    /// Parses a value such as `skip=A,B;error=true`. The value ends at its first space (what
    /// follows is a remark). At most three `;`-separated options are read: a fourth stays part
    /// of the third's value, as in BuildKit. `Err` says what BuildKit would reject.
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let value = value.trim_start().split(' ').next().unwrap_or("").trim();
        let mut options = CheckOptions::default();
        if value.is_empty() {
            return Ok(options);
        }
        for part in value.splitn(3, ';') {
            let Some((key, list)) = part.split_once('=') else {
                return Err(format!(
                    "invalid check option {}: options are key=value (skip, error, experimental)",
                    go_quote(part)
                ));
            };
            match key.trim() {
                "skip" => match list.trim() {
                    "all" => options.skip_all = true,
                    list => options.skip = names(list),
                },
                "experimental" => match list.trim() {
                    "all" => options.experimental_all = true,
                    list => options.experimental = names(list),
                },
                "error" => {
                    options.error = parse_bool(list.trim()).ok_or_else(|| {
                        format!(
                            "invalid value for error in check option {}: use true or false",
                            go_quote(part)
                        )
                    })?;
                }
                key => {
                    return Err(format!(
                        "invalid check option {}: the options are skip, error and experimental",
                        go_quote(key)
                    ));
                }
            }
        }
        Ok(options)
    }

    /// True when these options skip the (non-experimental) check `name`.
    pub fn skips(&self, name: &str) -> bool {
        self.skip_all || self.skip.iter().any(|skipped| skipped == name)
    }

    /// True when these options turn on the experimental check `name`.
    pub fn enables(&self, name: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|enabled| enabled == name)
    }

    /// Adds the `skip` and `experimental` options of `other` (BuildKit's `WithMergedConfig`:
    /// a comment above an instruction can skip or enable checks, not change `error`).
    pub fn merged(&self, other: &CheckOptions) -> CheckOptions {
        let mut merged = self.clone();
        merged.skip_all |= other.skip_all;
        merged.skip.extend(other.skip.iter().cloned());
        merged.experimental_all |= other.experimental_all;
        merged
            .experimental
            .extend(other.experimental.iter().cloned());
        merged
    }
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(|name| name.trim().to_string())
        .collect()
}

use crate::knowledge::go_values::parse_bool;

/// The value of a `check` directive written in a comment's text (the text after `#`,
/// trimmed): `check=skip=A` or `CHECK = skip=A` give `skip=A`. BuildKit reads comments above
/// an instruction with its directive parser without the `#`.
pub fn check_value(comment: &str) -> Option<&str> {
    let name_end = comment
        .char_indices()
        .find(|(index, c)| !(c.is_ascii_alphabetic() || (*index > 0 && c.is_ascii_digit())))
        .map(|(index, _)| index)
        .unwrap_or(comment.len());
    let (name, rest) = comment.split_at(name_end);
    if !name.eq_ignore_ascii_case("check") {
        return None;
    }
    let value = rest.trim_start().strip_prefix('=')?.trim();
    (!value.is_empty()).then_some(value)
}

/// The file's `# check=` parser directive: where its value is, and the value.
pub fn check_directive(source: &SourceFile) -> Option<(&Span, &str)> {
    source
        .file
        .directives
        .iter()
        .find(|directive| directive.name == "check")
        .map(|directive| (&directive.value_span, directive.value.as_str()))
}

/// The options of the file's `# check=` directive; an invalid one gives the defaults (the
/// build fails, and [`InvalidCheckDirective`](super::rules::invalid_check_directive) says
/// why).
pub fn file_options(source: &SourceFile) -> CheckOptions {
    check_directive(source)
        .and_then(|(_, value)| CheckOptions::parse(value).ok())
        .unwrap_or_default()
}

/// The comments BuildKit attaches to instruction `index` (its `PrevComment`): the comment
/// lines since the previous instruction, blank lines between them allowed, an empty `#`
/// starting the list again, the file's parser directives left out.
pub fn preceding_comments(source: &SourceFile, index: usize) -> &[Comment] {
    let instructions = source.instructions();
    let Some(instruction) = instructions.get(index) else {
        return &[];
    };
    let after = index
        .checked_sub(1)
        .map(|previous| instructions[previous].span.end)
        .unwrap_or(0);
    let comments = &source.file.comments;
    let start = comments.partition_point(|comment| comment.span.start < after);
    let end = comments.partition_point(|comment| comment.span.start < instruction.span.start);
    let Some(between) = comments.get(start..end) else {
        return &[];
    };
    // Comments inside the previous instruction's continuation lines end before `after`; an
    // empty `#` starts the list again.
    let first = between
        .iter()
        .rposition(|comment| comment.text.is_empty() || comment.inside_instruction)
        .map(|at| at + 1)
        .unwrap_or(0);
    &between[first..]
}

/// The `# check=` comment BuildKit applies to instruction `index`: the first of its
/// [`preceding_comments`] that is a `check` directive, with its options (`Err` when it does
/// not parse: BuildKit then ignores it, and every later one).
pub fn instruction_check(
    source: &SourceFile,
    index: usize,
) -> Option<(&Comment, Result<CheckOptions, String>)> {
    preceding_comments(source, index)
        .iter()
        .find_map(|comment| Some((comment, CheckOptions::parse(check_value(&comment.text)?))))
}

/// "Skip RuleName here": `# check=skip=RuleName` on its own line directly above instruction
/// `index` (indented like it), or the name added to the `# check=` comment BuildKit already
/// reads for that instruction. A manual fix: it silences the finding, so the fix engine never
/// applies it. `None` when BuildKit would not read such a comment (the comment it reads does
/// not parse).
pub fn skip_here(source: &SourceFile, index: usize, rule: &str) -> Option<Fix> {
    let instruction = source.instructions().get(index)?;
    let title = format!("Skip {rule} here");
    if let Some((comment, options)) = instruction_check(source, index) {
        let options = options.ok()?;
        if options.skips(rule) {
            return None;
        }
        let edit = add_to_check_comment(source, comment, rule)?;
        return Some(Fix::suppression(title, vec![edit]));
    }
    let line_start = source.line_start(instruction.span.start);
    let indent = source.indent_before(instruction.span.start);
    let line_break = source.line_break();
    let mut text = String::new();
    // At the top of the file the comment would be read as the file's parser directive (for
    // every instruction, or a second `check` directive, which BuildKit rejects): a blank
    // line first ends the directives, and is no reset of the comments BuildKit attaches.
    if line_start == directives_end(source) {
        text.push_str(line_break);
    }
    text.push_str(indent);
    text.push_str("# check=skip=");
    text.push_str(rule);
    text.push_str(line_break);
    Some(Fix::suppression(
        title,
        vec![Edit::insert(line_start, text)],
    ))
}

/// Where the parser directives at the top of the file end: the start of the first line that
/// is not one (0 without directives).
fn directives_end(source: &SourceFile) -> usize {
    match source.file.directives.last() {
        Some(last) => source.whole_lines(&last.span).end,
        None => 0,
    }
}

/// The edit that adds `rule` to the `skip` list of a `# check=` comment, keeping its other
/// options and any remark after the value.
fn add_to_check_comment(source: &SourceFile, comment: &Comment, rule: &str) -> Option<Edit> {
    let text = source.slice(&comment.span);
    let value_start = text.find('=')? + 1;
    let value = &text[value_start..];
    let value = value.trim_start();
    let value_offset = comment.span.start + text.len() - value.len();
    let value_end = value.find(' ').unwrap_or(value.len());
    let options = &value[..value_end];
    // After the list of the `skip` option, or at the end with a new `skip` option.
    let mut at = 0;
    for part in options.split(';') {
        let end = at + part.len();
        if let Some((key, _)) = part.split_once('=')
            && key.trim() == "skip"
        {
            let list_end = end - (part.len() - part.trim_end().len());
            return Some(Edit::insert(value_offset + list_end, format!(",{rule}")));
        }
        at = end + 1;
    }
    let separator = if options.is_empty() { "" } else { ";" };
    Some(Edit::insert(
        value_offset + value_end,
        format!("{separator}skip={rule}"),
    ))
}

/// Stage `index` and the stages it is built on (`FROM <stage>`), nearest first: a stage
/// starts from the image config its parent ended with.
pub fn stage_chain(source: &SourceFile, index: usize) -> impl Iterator<Item = &Stage> {
    let stages = &source.stages.stages;
    let mut next = stages.get(index);
    std::iter::from_fn(move || {
        let stage = next?;
        // A stage can only be built on an earlier one, so the walk ends.
        next = match stage.base {
            Base::Stage(parent) if parent < stage.index => stages.get(parent),
            _ => None,
        };
        Some(stage)
    })
}

/// Whether stage `index` is built on a Windows image the catalog knows.
pub fn is_windows_stage(context: &Context, index: usize) -> bool {
    context
        .stage_bases()
        .get(index)
        .and_then(|base| base.info())
        .and_then(|info| info.distro)
        .is_some_and(|distro| distro.family == Family::Windows)
}

/// The build arguments BuildKit defines for `FROM` lines without a declaration, with the
/// value each has on a linux/amd64 build of the last stage (BuildKit's `defaultArgs`).
pub const FROM_ARGS: [(&str, &str); 11] = [
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDOSVERSION", ""),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETOSVERSION", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETSTAGE", ""),
];

/// The variables `FROM` lines see when no build argument is given: [`FROM_ARGS`], then each
/// global `ARG` with a default, its default expanded with what came before (BuildKit's
/// `buildMetaArgs` without build arguments). `None` when a default does not expand (BuildKit
/// then reports that error and checks nothing more).
pub fn from_defaults(source: &SourceFile) -> Option<Vec<(String, String)>> {
    let mut values: Vec<(String, String)> = FROM_ARGS
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let escape = source.file.escape;
    for index in source.stages.preamble.clone() {
        let instruction = &source.instructions()[index];
        if instruction.keyword != crate::syntax::Keyword::Arg {
            continue;
        }
        for word in &instruction.values {
            let Some((name, default)) = word.text.split_once('=') else {
                continue;
            };
            let value = expand(default, escape, &values)?;
            match values.iter_mut().find(|(known, _)| known == name) {
                Some(known) => known.1 = value,
                None => values.push((name.to_string(), value)),
            }
        }
    }
    Some(values)
}

/// `text` expanded by BuildKit's lexer with `values`; `None` on a lexer error.
pub fn expand(text: &str, escape: char, values: &[(String, String)]) -> Option<String> {
    let lookup = |name: &str| {
        values
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.clone())
    };
    crate::syntax::expand::process(crate::syntax::expand::Lexer::new(escape), text, &lookup)
        .ok()
        .map(|expansion| expansion.text)
}

/// The variables a Dockerfile word names, each with where its name is written: `text` is the
/// word as BuildKit reads it and `span` where it is written. When the written text is not the
/// word itself (it spans continuation lines), each name points at the whole word.
pub fn word_references(source: &SourceFile, text: &str, span: &Span) -> Vec<(String, Span)> {
    let exact = source.slice(span) == text;
    crate::syntax::expand::references(text, source.file.escape)
        .into_iter()
        .map(|reference| {
            let at = if exact {
                span.start + reference.name_range.start..span.start + reference.name_range.end
            } else {
                span.clone()
            };
            (reference.name, at)
        })
        .collect()
}

/// BuildKit's checks that run as BuildKit builds a stage (the others run as it parses the
/// file, on every stage): a stage the build skips does not get them, so they can only fail
/// a build (`# check=error=true`) in the stages it runs. The same checks look only at the
/// [`Context::checked_stages`](crate::lint::Context::checked_stages).
pub static RUN_AS_A_STAGE_IS_BUILT: &[&crate::lint::Rule] = &[
    &super::rules::json_args_recommended::RULE,
    &super::rules::legacy_key_value_format::RULE,
    &super::rules::multiple_instructions_disallowed::RULE,
    &super::rules::secrets_used_in_arg_or_env::RULE,
    &super::rules::undefined_var::RULE,
    &super::rules::workdir_relative_path::RULE,
    &super::rules::expose_proto_casing::RULE,
    &super::rules::expose_invalid_format::RULE,
    &super::rules::copy_ignored_file::RULE,
];

/// Every port of the checked stages' `EXPOSE` instructions that BuildKit reads and that is more
/// than a plain number (the only ones ExposeProtoCasing and ExposeInvalidFormat judge), given to
/// `each` with its word, its value and how it splits.
pub fn each_exposed_spec<'a>(
    context: &Context<'a>,
    mut each: impl FnMut(&'a crate::syntax::Word, &str, &crate::syntax::expose::PortSpec),
) {
    let source = context.source;
    for (index, instruction) in context.instructions_of(&[crate::syntax::Keyword::Expose]) {
        if !context.is_checked(index) {
            continue;
        }
        // Plain port numbers (`EXPOSE 8080`, the usual case) have nothing to report.
        let plain = |text: &str| {
            text.bytes()
                .all(|byte| byte.is_ascii_digit() || byte == b'-')
        };
        if instruction.values.iter().all(|word| plain(&word.text)) {
            continue;
        }
        for (word, value) in exposed_ports(source, index) {
            if let Ok(spec) = crate::syntax::expose::split(&value) {
                each(word, &value, &spec);
            }
        }
    }
}

/// The ports of the `EXPOSE` at `index` that BuildKit reads before it stops: each word with its
/// value (variables expanded; a word can give several), in BuildKit's order (sorted by the
/// written text), up to and including the first one it rejects. A word whose variables have no
/// value known here is left out.
pub fn exposed_ports(source: &SourceFile, index: usize) -> Vec<(&crate::syntax::Word, String)> {
    let instruction = &source.instructions()[index];
    let mut words: Vec<&crate::syntax::Word> = instruction.values.iter().collect();
    words.sort_by(|a, b| a.text.as_bytes().cmp(b.text.as_bytes()));
    let escape = source.file.escape;
    let mut scope = None;
    let mut ports = Vec::new();
    for word in words {
        let values: Vec<String> = if word.text.contains(['$', '\'', '"', escape]) {
            let scope = scope.get_or_insert_with(|| source.stages.scope_at(&source.file, index));
            match scope.expand(&word.text, escape) {
                Ok(resolution)
                    if resolution.unknown.is_empty() && resolution.undefined.is_empty() =>
                {
                    resolution
                        .text
                        .split_whitespace()
                        .map(str::to_string)
                        .collect()
                }
                _ => continue,
            }
        } else {
            vec![word.text.to_string()]
        };
        for value in values {
            let Ok(spec) = crate::syntax::expose::split(&value) else {
                return ports;
            };
            let rejected = crate::syntax::expose::validate(&spec).is_err();
            ports.push((word, value));
            if rejected {
                return ports;
            }
        }
    }
    ports
}

/// BuildKit's "did you mean": the first of `options` within an edit distance of 2 of `name`,
/// the closest winning (BuildKit's `suggest.Search`, case-sensitive as on Linux). `None` when
/// `name` is itself an option or nothing is close.
pub fn suggest<'a>(name: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best = None;
    let mut distance = 3;
    for option in options {
        if option == name {
            return None;
        }
        let here = strsim::levenshtein(name, option);
        if here < distance {
            distance = here;
            best = Some(option);
        }
    }
    best
}

/// `text` quoted as Go's `%q` writes it, for messages that quote BuildKit's.
pub fn go_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => quoted.push_str(&format!("\\x{:02x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::apply_edits;

    #[test]
    fn options_parse_as_buildkit_reads_them() {
        let options = CheckOptions::parse("skip=A,B;error=true").unwrap();
        assert_eq!(options.skip, vec!["A", "B"]);
        assert!(options.error && !options.skip_all);
        // The value ends at its first space, even inside a list.
        let options = CheckOptions::parse("skip=A, B").unwrap();
        assert!(options.skips("A") && !options.skips("B"));
        let options = CheckOptions::parse(" skip=all;experimental=all").unwrap();
        assert!(options.skip_all && options.experimental_all);
        // Spaces end the value: `skip = all` is `skip`, which BuildKit refuses.
        assert!(CheckOptions::parse("skip = all").is_err());
        // A remark after the first space is not read.
        assert!(
            CheckOptions::parse("skip=A because it is fine")
                .unwrap()
                .skips("A")
        );
        // A fourth option stays in the third's value.
        let options = CheckOptions::parse("error=false;skip=A;experimental=B;skip=C").unwrap();
        assert_eq!(options.experimental, vec!["B;skip=C"]);
        assert!(CheckOptions::parse("error=T").unwrap().error);
        assert!(CheckOptions::parse("error=yes").is_err());
        assert!(CheckOptions::parse("skip").is_err());
        assert!(CheckOptions::parse("ignore=A").is_err());
        // Names are case-sensitive.
        assert!(
            !CheckOptions::parse("skip=jsonargsrecommended")
                .unwrap()
                .skips("JSONArgsRecommended")
        );
    }

    #[test]
    fn check_values_in_comments() {
        assert_eq!(check_value("check=skip=A"), Some("skip=A"));
        assert_eq!(check_value("CHECK = skip=A  "), Some("skip=A"));
        assert_eq!(check_value("checks=skip=A"), None);
        assert_eq!(check_value("check skip=A"), None);
        assert_eq!(check_value("check="), None);
    }

    #[test]
    fn preceding_comments_follow_buildkit() {
        let text = "# check=skip=A\n# top\nFROM a\n# one\n\n# two\nRUN x \\\n  # inside\n  y\n# a\n#\n# b\nRUN z\n";
        let source = SourceFile::parse(text);
        let texts = |index: usize| -> Vec<&str> {
            preceding_comments(&source, index)
                .iter()
                .map(|comment| comment.text.as_str())
                .collect()
        };
        // The directive is not a comment; blank lines do not start the list again.
        assert_eq!(texts(0), vec!["top"]);
        assert_eq!(texts(1), vec!["one", "two"]);
        // Comments inside the RUN belong to it; an empty `#` starts the list again.
        assert_eq!(texts(2), vec!["b"]);
    }

    #[test]
    fn skip_here_inserts_or_extends_the_comment_buildkit_reads() {
        let apply = |text: &str, index: usize, rule: &str| {
            let source = SourceFile::parse(text);
            let fix = skip_here(&source, index, rule).unwrap();
            assert!(fix.suppresses && !fix.safe && !fix.preferred);
            apply_edits(text, &fix.edits).0
        };
        assert_eq!(
            apply("FROM a\n  CMD x\n", 1, "JSONArgsRecommended"),
            "FROM a\n  # check=skip=JSONArgsRecommended\n  CMD x\n"
        );
        assert_eq!(
            apply("FROM a\n# check=skip=A because\nCMD x\n", 1, "B"),
            "FROM a\n# check=skip=A,B because\nCMD x\n"
        );
        assert_eq!(
            apply("FROM a\n# check=error=true\nCMD x\n", 1, "B"),
            "FROM a\n# check=error=true;skip=B\nCMD x\n"
        );
        // At the top, a blank line keeps the comment from being the file's directive.
        assert_eq!(
            apply("FROM a AS B\n", 0, "StageNameCasing"),
            "\n# check=skip=StageNameCasing\nFROM a AS B\n"
        );
        assert_eq!(
            apply("# check=error=true\nFROM a AS B\n", 0, "StageNameCasing"),
            "# check=error=true\n\n# check=skip=StageNameCasing\nFROM a AS B\n"
        );
        // CRLF files get CRLF.
        assert_eq!(
            apply("FROM a\r\nCMD x\r\n", 1, "A"),
            "FROM a\r\n# check=skip=A\r\nCMD x\r\n"
        );
        // A comment BuildKit cannot read leaves nothing to add to.
        let source = SourceFile::parse("FROM a\n# check=bogus\nCMD x\n");
        assert!(skip_here(&source, 1, "A").is_none());
    }

    #[test]
    fn each_inserted_skip_is_read_by_the_instruction_below() {
        for (text, index) in [
            ("FROM a AS B\n", 0),
            ("# syntax=docker/dockerfile:1\nFROM a AS B\n", 0),
            ("FROM a\n  CMD x\n", 1),
            ("FROM a\n# note\n\n# check=experimental=all\nCMD x\n", 1),
        ] {
            let source = SourceFile::parse(text);
            let fix = skip_here(&source, index, "Rule").unwrap();
            let fixed = SourceFile::parse(&apply_edits(text, &fix.edits).0);
            let (_, options) = instruction_check(&fixed, index).unwrap();
            assert!(options.unwrap().skips("Rule"), "{text:?}");
            // The file's own directive did not change.
            assert_eq!(file_options(&fixed), file_options(&source), "{text:?}");
        }
    }

    #[test]
    fn suggestions_are_buildkits() {
        assert_eq!(suggest("PAHT", ["PATH", "HOME"]), Some("PATH"));
        assert_eq!(
            suggest("DIR_ASSET", ["DIR_BINARIES", "DIR_ASSETS"]),
            Some("DIR_ASSETS")
        );
        assert_eq!(suggest("foo", ["PATH"]), None);
        assert_eq!(suggest("PATH", ["PATH", "PATHS"]), None);
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
