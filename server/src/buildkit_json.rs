//! `dockerfile-ls parse --json`: the lowered model in the shape of BuildKit's parser output
//! (`{"ok": true, "instructions": [{cmd, sub_cmd, json, flags, value, start_line, end_line,
//! heredocs}]}`), so it can be compared with BuildKit itself.

use serde_json::{Value, json};

use crate::syntax::{Dockerfile, Instruction, Keyword};

/// BuildKit counts lines split at `\n` only, from 1.
fn line_number(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1
}

fn instruction_json(text: &str, instruction: &Instruction) -> Value {
    let effective = instruction.effective();
    let text_or_null = |value: &str| {
        if value.is_empty() {
            Value::Null
        } else {
            Value::String(value.to_string())
        }
    };
    let sub_cmd = instruction
        .onbuild
        .as_ref()
        .map(|inner| text_or_null(&inner.keyword_word.text))
        .unwrap_or(Value::Null);
    // BuildKit keeps ONBUILD's heredocs on the wrapper node, where its bindings do not look.
    let heredocs: Vec<Value> = if instruction.keyword == Keyword::Onbuild {
        Vec::new()
    } else {
        instruction
            .heredocs
            .iter()
            .map(|heredoc| {
                json!({
                    "name": heredoc.name,
                    "file_descriptor": heredoc.file_descriptor,
                    "content": heredoc.content,
                })
            })
            .collect()
    };
    json!({
        "cmd": text_or_null(&instruction.keyword_word.text),
        "sub_cmd": sub_cmd,
        "json": effective.json,
        "flags": instruction.flags.iter().map(|flag| flag.text.clone()).collect::<Vec<_>>(),
        "value": effective.values.iter().map(|value| value.text.clone()).collect::<Vec<_>>(),
        "start_line": line_number(text, instruction.span.start),
        "end_line": line_number(text, instruction.span.end),
        "heredocs": heredocs,
    })
}

/// The BuildKit-shaped JSON of a lowered file. A file BuildKit would reject is reported as
/// `{"ok": false, "error": ...}` with the first error, as BuildKit stops there.
pub fn to_json(text: &str, file: &Dockerfile) -> Value {
    if let Some(error) = file.errors.first() {
        return json!({
            "ok": false,
            "error_type": "ParseError",
            "error": error.message,
            "line": line_number(text, error.span.start),
        });
    }
    if file.instructions.is_empty() {
        return json!({
            "ok": false,
            "error_type": "ParseError",
            "error": "file with no instructions",
            "line": 1,
        });
    }
    json!({
        "ok": true,
        "instructions": file
            .instructions
            .iter()
            .map(|instruction| instruction_json(text, instruction))
            .collect::<Vec<_>>(),
    })
}
