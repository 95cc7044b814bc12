//! Selection ranges: from the word under the cursor outwards to its argument, the instruction,
//! the stage and the whole document, each range holding the one before.

use crate::syntax::{Instruction, Mount, SourceFile};
use crate::text::Span;

fn holds(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The key and the value of `KEY=value` text at `start`, as spans (the value may be empty).
fn key_and_value(text: &str, start: usize) -> Vec<Span> {
    match text.find('=') {
        Some(at) => vec![start..start + at, start + at + 1..start + text.len()],
        None => Vec::new(),
    }
}

/// Spans inside one instruction (the wrapped one for `ONBUILD` included) that hold `offset`.
fn instruction_spans(
    source: &SourceFile,
    index: usize,
    instruction: &Instruction,
    offset: usize,
    found: &mut Vec<Span>,
) {
    found.push(instruction.keyword_word.span.clone());
    for flag in &instruction.flags {
        if !holds(&flag.span, offset) {
            continue;
        }
        found.push(flag.span.clone());
        found.push(flag.name_span.clone());
        let Some(value_span) = &flag.value_span else {
            continue;
        };
        found.push(value_span.clone());
        if flag.name != "mount" {
            continue;
        }
        // `--mount=type=cache,target=/x`: each `key=value` field, then its key or value.
        let mount = Mount::parse(instruction, flag);
        if let Some(field) = mount.field_at(offset) {
            found.push(field.span.clone());
            if let Some(value_span) = &field.value_span {
                found.push(field.key_span.clone());
                found.push(value_span.clone());
            }
        }
    }
    for word in &instruction.values {
        found.push(word.span.clone());
        let written = source.slice(&word.span);
        // `ARG NAME=default` is one word: its name and its default are selectable on their own.
        if written.len() == word.span.len() && !instruction.json {
            found.extend(key_and_value(written, word.span.start));
        }
    }
    if !instruction.arguments_range.is_empty() {
        found.push(instruction.arguments_span());
    }
    for script in source.scripts(index) {
        let script = &script.script;
        for command in script.commands() {
            let command_span = script.span(command.range.clone());
            if !holds(&command_span, offset) {
                continue;
            }
            found.push(command_span);
            for word in &command.words {
                found.push(script.span(word.range.clone()));
            }
        }
    }
    for heredoc in &instruction.heredocs {
        if holds(&heredoc.body_span, offset) && offset < heredoc.body_span.end {
            found.push(heredoc.body_span.clone());
            let text = source.text.as_str();
            let line_start = source.line_start(offset).max(heredoc.body_span.start);
            let line_end = text[offset..]
                .find('\n')
                .map(|at| offset + at)
                .unwrap_or(text.len());
            found.push(line_start..line_end);
        }
        found.push(heredoc.end_span.clone());
    }
    if let Some(inner) = &instruction.onbuild {
        found.push(inner.span.start..instruction.span.end);
        instruction_spans(source, index, inner, offset, found);
    }
}

/// The ranges around `offset`, innermost first, each strictly holding the one before.
pub fn selection_ranges(source: &SourceFile, offset: usize) -> Vec<Span> {
    let text = source.text.as_str();
    let offset = offset.min(text.len());
    let mut found = Vec::new();
    if let Some(index) = crate::lint::instruction_at(source, offset) {
        let instruction = &source.instructions()[index];
        instruction_spans(source, index, instruction, offset, &mut found);
        found.push(instruction.span.clone());
        if let Some(stage) = source.stages.stage_of(index) {
            let last = stage.body.clone().last().unwrap_or(stage.from);
            found.push(
                source.instructions()[stage.from].span.start..source.instructions()[last].span.end,
            );
        }
    }
    for comment in &source.file.comments {
        if holds(&comment.span, offset) {
            found.push(comment.span.clone());
        }
    }
    for directive in &source.file.directives {
        if holds(&directive.span, offset) {
            found.push(directive.value_span.clone());
            found.push(directive.span.clone());
        }
    }
    found.push(0..text.len());
    found.retain(|span| holds(span, offset) && span.start <= span.end);
    found.sort_by_key(|span| (span.len(), std::cmp::Reverse(span.start)));
    let mut chain: Vec<Span> = Vec::new();
    for span in found {
        match chain.last() {
            Some(last) if span.start <= last.start && last.end <= span.end && span != *last => {
                chain.push(span)
            }
            Some(_) => {}
            None => chain.push(span),
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(fixture: &str) -> Vec<String> {
        let offset = fixture.find("$0").expect("cursor");
        let text = fixture.replacen("$0", "", 1);
        let source = SourceFile::parse(&text);
        selection_ranges(&source, offset)
            .into_iter()
            .map(|span| text[span].to_string())
            .collect()
    }

    #[test]
    fn word_argument_instruction_stage_document() {
        let text = "FROM a AS b\nRUN apt-get ins$0tall -y curl && rm -rf /x\nFROM c\n";
        assert_eq!(
            chain(text),
            vec![
                "install",
                "apt-get install -y curl",
                "apt-get install -y curl && rm -rf /x",
                "RUN apt-get install -y curl && rm -rf /x",
                "FROM a AS b\nRUN apt-get install -y curl && rm -rf /x",
                "FROM a AS b\nRUN apt-get install -y curl && rm -rf /x\nFROM c\n",
            ]
        );
    }

    #[test]
    fn mount_fields_and_key_values() {
        let text = "FROM a\nRUN --mount=type=cache,tar$0get=/root true\n";
        let found = chain(text);
        assert_eq!(
            &found[..4],
            &[
                "target",
                "target=/root",
                "type=cache,target=/root",
                "--mount=type=cache,target=/root"
            ]
        );
        let found = chain("FROM a\nARG NAME=def$0ault\n");
        assert_eq!(&found[..2], &["default", "NAME=default"]);
    }

    #[test]
    fn heredoc_lines() {
        let found = chain("FROM a\nRUN <<EOF\necho o$0ne\necho two\nEOF\n");
        assert_eq!(found[0], "one");
        assert!(found.contains(&"echo one".to_string()));
        assert!(found.contains(&"echo one\necho two\n".to_string()));
    }
}
