//! `RUN --mount=...` read the way BuildKit reads it: the one parser of mount fields that rules,
//! the stage graph and the IDE features share.
//!
//! BuildKit (`frontend/dockerfile/instructions/commands_runmount.go`, `parseMount`) reads the
//! flag's value as one CSV record (Go's `encoding/csv`: fields split at commas, a field may be
//! wrapped in double quotes, `""` inside quotes is one quote, a quote elsewhere is an error),
//! then splits each field at its first `=`. Keys are case-insensitive and have aliases
//! (`dst` is `target`); `type` defaults to `bind`; a later field overrides an earlier one of
//! the same key. `readonly`, `readwrite` and `required` may be written without a value.
//! Values are kept as written: BuildKit expands variables in them at build time (except in
//! `from`, which it refuses to expand).
//!
//! Use [`Instruction::mounts`](super::Instruction::mounts) for the mounts of an instruction,
//! with document spans for every field; [`Mount::parse_text`] reads a bare value (completion
//! reads what is typed so far).

use std::borrow::Cow;
use std::ops::Range;

use super::model::{Flag, Instruction};
use crate::text::Span;

/// The kinds of mount BuildKit knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    /// A `type=` BuildKit rejects ("unsupported mount type").
    Unknown,
}

impl MountType {
    pub const ALL: [MountType; 5] = [
        MountType::Bind,
        MountType::Cache,
        MountType::Tmpfs,
        MountType::Secret,
        MountType::Ssh,
    ];

    /// A `type=` value; BuildKit lower-cases it first.
    pub fn parse(value: &str) -> MountType {
        MountType::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(value))
            .unwrap_or(MountType::Unknown)
    }

    /// The lower-case name (`""` for `Unknown`).
    pub fn name(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
            MountType::Unknown => "",
        }
    }

    /// Nothing written under the target reaches the layer (BuildKit mounts the directory
    /// from elsewhere for the command only): cache and tmpfs mounts.
    pub fn keeps_writes_out_of_layer(self) -> bool {
        matches!(self, MountType::Cache | MountType::Tmpfs)
    }
}

/// The keys BuildKit reads, aliases folded into one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MountKey {
    Type,
    From,
    /// `source` or `src`.
    Source,
    /// `target`, `dst` or `destination`.
    Target,
    /// `readonly` or `ro`.
    ReadOnly,
    /// `readwrite` or `rw`.
    ReadWrite,
    Required,
    Size,
    Id,
    Sharing,
    Mode,
    Uid,
    Gid,
    /// `env` (secret mounts: expose the secret as an environment variable).
    Env,
    /// A key BuildKit rejects ("unexpected key").
    Unknown,
}

impl MountKey {
    /// A key as written, case-insensitive as BuildKit lower-cases it.
    pub fn parse(key: &str) -> MountKey {
        let lower;
        let key = if key.bytes().any(|byte| byte.is_ascii_uppercase()) {
            lower = key.to_ascii_lowercase();
            lower.as_str()
        } else {
            key
        };
        match key {
            "type" => MountKey::Type,
            "from" => MountKey::From,
            "source" | "src" => MountKey::Source,
            "target" | "dst" | "destination" => MountKey::Target,
            "readonly" | "ro" => MountKey::ReadOnly,
            "readwrite" | "rw" => MountKey::ReadWrite,
            "required" => MountKey::Required,
            "size" => MountKey::Size,
            "id" => MountKey::Id,
            "sharing" => MountKey::Sharing,
            "mode" => MountKey::Mode,
            "uid" => MountKey::Uid,
            "gid" => MountKey::Gid,
            "env" => MountKey::Env,
            _ => MountKey::Unknown,
        }
    }

    /// The canonical spelling (`target` for `dst`; `""` for `Unknown`), as the knowledge
    /// tables name keys.
    pub fn name(self) -> &'static str {
        match self {
            MountKey::Type => "type",
            MountKey::From => "from",
            MountKey::Source => "source",
            MountKey::Target => "target",
            MountKey::ReadOnly => "readonly",
            MountKey::ReadWrite => "readwrite",
            MountKey::Required => "required",
            MountKey::Size => "size",
            MountKey::Id => "id",
            MountKey::Sharing => "sharing",
            MountKey::Mode => "mode",
            MountKey::Uid => "uid",
            MountKey::Gid => "gid",
            MountKey::Env => "env",
            MountKey::Unknown => "",
        }
    }

    /// Keys BuildKit accepts without `=value` (meaning true).
    pub fn is_switch(self) -> bool {
        matches!(
            self,
            MountKey::ReadOnly | MountKey::ReadWrite | MountKey::Required
        )
    }
}

/// One field of a mount: `key=value`, or a bare `key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountField<'a> {
    /// The key as written (CSV quotes removed, case kept).
    pub key: Cow<'a, str>,
    /// What BuildKit takes the key for.
    pub name: MountKey,
    /// The value as BuildKit reads it (CSV quotes removed, variables not expanded); `None`
    /// for a field without `=`.
    pub value: Option<Cow<'a, str>>,
    /// The whole field in the document (its CSV quotes included).
    pub span: Span,
    pub key_span: Span,
    pub value_span: Option<Span>,
}

/// Why BuildKit would refuse to read the mount at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountError {
    pub message: &'static str,
    pub span: Span,
}

/// One `--mount` flag, read into fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount<'a> {
    /// In written order; a key may repeat (the last one counts).
    pub fields: Vec<MountField<'a>>,
    /// The value is not a CSV record BuildKit reads (the fields are then read leniently,
    /// quotes as plain characters), or the flag has no value.
    pub error: Option<MountError>,
    /// The whole `--mount=...` flag (for [`Mount::parse_text`], the text).
    pub span: Span,
}

/// A field found by the CSV reader: where it is in the value, and its text without quotes.
struct RawField {
    /// The field as written, quotes included.
    range: Range<usize>,
    /// Inside the quotes (the same as `range` for an unquoted field).
    inner: Range<usize>,
    quoted: bool,
}

/// Splits `text` the way Go's `csv.Reader` reads one record with its default options. On a
/// quoting error the fields are still returned, split at every comma outside well-formed
/// quotes, and the first error is given with its byte range.
fn split_record(text: &str) -> (Vec<RawField>, Option<(&'static str, Range<usize>)>) {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut error = None;
    let mut start = 0;
    loop {
        if bytes.get(start) == Some(&b'"') {
            match closing_quote(bytes, start + 1) {
                Some(close) if matches!(bytes.get(close + 1), None | Some(b',')) => {
                    fields.push(RawField {
                        range: start..close + 1,
                        inner: start + 1..close,
                        quoted: true,
                    });
                    if close + 1 == bytes.len() {
                        break;
                    }
                    start = close + 2;
                    continue;
                }
                Some(close) => {
                    error.get_or_insert((
                        "extraneous or missing \" in quoted field",
                        close..close + 1,
                    ));
                }
                None => {
                    error.get_or_insert(("unterminated quoted field", start..bytes.len()));
                }
            }
        }
        let end = memchr::memchr(b',', &bytes[start..])
            .map(|at| start + at)
            .unwrap_or(bytes.len());
        if let Some(at) = memchr::memchr(b'"', &bytes[start..end]) {
            error.get_or_insert(("bare \" in unquoted field", start + at..start + at + 1));
        }
        fields.push(RawField {
            range: start..end,
            inner: start..end,
            quoted: false,
        });
        if end == bytes.len() {
            break;
        }
        start = end + 1;
    }
    (fields, error)
}

/// The quote that closes a quoted field opened before `from` (`""` is an escaped quote).
fn closing_quote(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memchr(b'"', bytes.get(from..)?)?;
        if bytes.get(at + 1) == Some(&b'"') {
            from = at + 2;
            continue;
        }
        return Some(at);
    }
}

impl<'a> Mount<'a> {
    /// Reads `flag` (a `--mount` of `instruction`), with document spans for every field.
    pub fn parse(instruction: &Instruction, flag: &'a Flag) -> Mount<'a> {
        let Some(value) = flag.value.as_deref() else {
            return Mount {
                fields: Vec::new(),
                error: Some(MountError {
                    message: "--mount needs a value",
                    span: flag.span.clone(),
                }),
                span: flag.span.clone(),
            };
        };
        let locate = Locator::new(instruction, flag, value);
        Mount::read(value, flag.span.clone(), |range| locate.span(range))
    }

    /// Reads a bare mount value; spans are byte ranges of `text`.
    pub fn parse_text(text: &'a str) -> Mount<'a> {
        Mount::read(text, 0..text.len(), |range| range)
    }

    fn read(value: &'a str, span: Span, locate: impl Fn(Range<usize>) -> Span) -> Mount<'a> {
        if value.is_empty() {
            return Mount {
                fields: Vec::new(),
                error: Some(MountError {
                    message: "empty --mount value",
                    span: span.clone(),
                }),
                span,
            };
        }
        let (raw_fields, error) = split_record(value);
        let fields = raw_fields
            .into_iter()
            .map(|raw| field(value, raw, &locate))
            .collect();
        Mount {
            fields,
            error: error.map(|(message, range)| MountError {
                message,
                span: locate(range),
            }),
            span,
        }
    }

    /// The mount type: the last `type=` field, `bind` without one.
    pub fn kind(&self) -> MountType {
        self.get(MountKey::Type)
            .and_then(|field| field.value.as_deref())
            .map(MountType::parse)
            .unwrap_or(MountType::Bind)
    }

    /// The field of `key` that counts: the last one (BuildKit lets a later field override).
    pub fn get(&self, key: MountKey) -> Option<&MountField<'a>> {
        self.fields.iter().rev().find(|field| field.name == key)
    }

    /// The value of `key` that counts, as written.
    pub fn value(&self, key: MountKey) -> Option<&str> {
        self.get(key).and_then(|field| field.value.as_deref())
    }

    /// Every field of `key`, in written order (overridden ones too).
    pub fn fields_named(&self, key: MountKey) -> impl Iterator<Item = &MountField<'a>> {
        self.fields.iter().filter(move |field| field.name == key)
    }

    /// The field whose span holds `offset` (its end included, where a cursor sits).
    pub fn field_at(&self, offset: usize) -> Option<&MountField<'a>> {
        self.fields
            .iter()
            .find(|field| field.span.start <= offset && offset <= field.span.end)
    }

    /// Read-only as BuildKit decides it: `readonly`/`ro` and `readwrite`/`rw` (the last one
    /// wins), else read-only for every type but `cache` and `tmpfs`. An unreadable boolean
    /// (a build error) counts as not given.
    pub fn read_only(&self) -> bool {
        let explicit = self.fields.iter().rev().find_map(|field| {
            let flag = match &field.value {
                None => true,
                Some(value) => parse_bool(value)?,
            };
            match field.name {
                MountKey::ReadOnly => Some(flag),
                MountKey::ReadWrite => Some(!flag),
                _ => None,
            }
        });
        explicit.unwrap_or(!self.kind().keeps_writes_out_of_layer())
    }
}

/// Go's `strconv.ParseBool` (also [`crate::knowledge::go_values::parse_bool`]).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// One CSV field of `value` as a mount field.
fn field<'a>(
    value: &'a str,
    raw: RawField,
    locate: &impl Fn(Range<usize>) -> Span,
) -> MountField<'a> {
    let inner = &value[raw.inner.clone()];
    // `=` is not a quote, so the first `=` of the decoded field is the first one written.
    let equals = inner.find('=').map(|at| raw.inner.start + at);
    let key_end = equals.unwrap_or(raw.inner.end);
    let decode = |range: Range<usize>| -> Cow<'a, str> {
        let text = &value[range];
        if raw.quoted && text.contains("\"\"") {
            Cow::Owned(text.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(text)
        }
    };
    let key = decode(raw.inner.start..key_end);
    MountField {
        name: MountKey::parse(&key),
        key,
        value: equals.map(|at| decode(at + 1..raw.inner.end)),
        span: locate(raw.range.clone()),
        key_span: locate(raw.inner.start..key_end),
        value_span: equals.map(|at| locate(at + 1..raw.inner.end)),
    }
}

/// Maps byte ranges of a flag's value to the document. Exact through the logical line when
/// the value is written as BuildKit reads it (across line continuations too); when the flag
/// extraction removed quotes or escapes, offsets are counted from the value's start and kept
/// inside it.
struct Locator<'i> {
    instruction: &'i Instruction,
    /// Where the value starts in the logical line, when it is written as read.
    logical_start: Option<usize>,
    /// The document span of the value (the flag's end when it cannot be located).
    value_span: Span,
}

impl<'i> Locator<'i> {
    fn new(instruction: &'i Instruction, flag: &Flag, value: &str) -> Locator<'i> {
        let value_span = flag
            .value_span
            .clone()
            .unwrap_or(flag.span.end..flag.span.end);
        let logical = &instruction.logical;
        let logical_start = flag.value_span.as_ref().and_then(|span| {
            let start = logical.logical_offset(span.start)?;
            let written = logical.text.get(start..start + value.len())?;
            (written == value).then_some(start)
        });
        Locator {
            instruction,
            logical_start,
            value_span,
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        match self.logical_start {
            Some(start) => self
                .instruction
                .logical
                .document_span(start + range.start..start + range.end),
            None => {
                let limit = self.value_span.end;
                let at = |offset: usize| (self.value_span.start + offset).min(limit);
                at(range.start)..at(range.end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::SourceFile;

    fn keys_and_values(text: &str) -> Vec<(String, Option<String>)> {
        Mount::parse_text(text)
            .fields
            .iter()
            .map(|field| {
                (
                    field.key.to_string(),
                    field.value.as_ref().map(|value| value.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn fields_are_a_csv_record() {
        assert_eq!(
            keys_and_values(r#"type=bind,"source=a,b",target=/x"#),
            vec![
                ("type".into(), Some("bind".into())),
                ("source".into(), Some("a,b".into())),
                ("target".into(), Some("/x".into())),
            ]
        );
        assert_eq!(
            keys_and_values(r#""id=say ""hi""",ro"#),
            vec![
                ("id".into(), Some(r#"say "hi""#.into())),
                ("ro".into(), None),
            ]
        );
        // A trailing comma is one more, empty, field; `=` splits at the first one.
        assert_eq!(
            keys_and_values("target=/a=b,"),
            vec![("target".into(), Some("/a=b".into())), ("".into(), None),]
        );
        assert!(
            Mount::parse_text(r#"type=cache,"target=/x"#)
                .error
                .is_some()
        );
        assert!(
            Mount::parse_text(r#"type=cache,target="/x""#)
                .error
                .is_some()
        );
        assert!(
            Mount::parse_text(r#""type=cache"x,target=/x"#)
                .error
                .is_some()
        );
        assert!(Mount::parse_text("").error.is_some());
        assert!(Mount::parse_text("type=cache,target=/x").error.is_none());
    }

    #[test]
    fn keys_are_case_insensitive_with_aliases_and_the_last_one_counts() {
        let mount = Mount::parse_text("TYPE=Cache,Dst=/one,destination=/two,SRC=s,Rw");
        assert_eq!(mount.kind(), MountType::Cache);
        assert_eq!(mount.value(MountKey::Target), Some("/two"));
        assert_eq!(mount.fields_named(MountKey::Target).count(), 2);
        assert_eq!(mount.value(MountKey::Source), Some("s"));
        assert_eq!(mount.get(MountKey::ReadWrite).unwrap().value, None);
        assert_eq!(Mount::parse_text("target=/x").kind(), MountType::Bind);
        assert_eq!(Mount::parse_text("type=nfs").kind(), MountType::Unknown);
        assert_eq!(MountKey::parse("bogus"), MountKey::Unknown);
    }

    #[test]
    fn read_only_follows_buildkit_defaults() {
        assert!(Mount::parse_text("target=/x").read_only());
        assert!(!Mount::parse_text("type=cache,target=/x").read_only());
        assert!(!Mount::parse_text("target=/x,rw").read_only());
        assert!(!Mount::parse_text("target=/x,readonly=false").read_only());
        assert!(Mount::parse_text("type=tmpfs,target=/x,ro=1").read_only());
    }

    #[test]
    fn fields_carry_their_document_spans() {
        let text = "FROM a\nRUN --mount=type=cache,target=/root/.cache,from=build true\n";
        let source = SourceFile::new(text.to_string(), None);
        let mount = source.instructions()[1].mounts().next().unwrap();
        assert_eq!(source.slice(&mount.fields[1].span), "target=/root/.cache");
        assert_eq!(source.slice(&mount.fields[1].key_span), "target");
        assert_eq!(
            source.slice(
                mount
                    .get(MountKey::From)
                    .unwrap()
                    .value_span
                    .as_ref()
                    .unwrap()
            ),
            "build"
        );
    }

    #[test]
    fn spans_follow_line_continuations_and_stay_inside_quoted_flags() {
        // BuildKit joins the lines: the flag is `--mount=type=cache,target=/x`.
        let text = "FROM a\nRUN --mount=type=cache,\\\ntarget=/x true\n";
        let source = SourceFile::new(text.to_string(), None);
        let mount = source.instructions()[1].mounts().next().unwrap();
        assert_eq!(mount.value(MountKey::Target), Some("/x"));
        assert_eq!(source.slice(&mount.fields[1].span), "target=/x");
        // Quotes the flag extraction removed: spans are approximate but inside the value.
        let text = "FROM a\nRUN --mount=\"type=cache,target=/y\" true\n";
        let source = SourceFile::new(text.to_string(), None);
        let flag = &source.instructions()[1].flags[0];
        let mount = source.instructions()[1].mounts().next().unwrap();
        assert_eq!(mount.value(MountKey::Target), Some("/y"));
        let value_span = flag.value_span.clone().unwrap();
        for field in &mount.fields {
            assert!(value_span.start <= field.span.start && field.span.end <= value_span.end);
        }
    }
}
