//! Document symbols: parser directives, global ARGs, and the stages with their instructions.

use crate::syntax::{Instruction, Keyword, SourceFile};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Directive,
    /// A global ARG (before the first FROM).
    Variable,
    Stage,
    Instruction,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers.
    pub span: Span,
    /// The part to select when the symbol is picked (the name).
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// A one-line summary of an instruction's arguments, shortened for outlines.
fn summary(instruction: &Instruction) -> Option<String> {
    let arguments = instruction
        .arguments()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if arguments.is_empty() {
        return None;
    }
    const LIMIT: usize = 60;
    if arguments.chars().count() <= LIMIT {
        return Some(arguments);
    }
    let cut: String = arguments.chars().take(LIMIT).collect();
    Some(format!("{cut}…"))
}

fn instruction_symbol(instruction: &Instruction) -> Symbol {
    let effective = instruction.effective();
    let name = match &instruction.onbuild {
        Some(inner) => format!("ONBUILD {}", inner.keyword.name()),
        None if instruction.keyword == Keyword::Unknown => {
            instruction.keyword_word.text.to_string()
        }
        None => instruction.keyword.name().to_string(),
    };
    Symbol {
        name,
        detail: summary(effective),
        kind: SymbolKind::Instruction,
        span: instruction.span.clone(),
        selection: instruction.keyword_word.span.clone(),
        children: Vec::new(),
    }
}

/// The outline of the file.
pub fn symbols(source: &SourceFile) -> Vec<Symbol> {
    outline(source).collect()
}

/// The same symbols one top-level symbol at a time (a stage with its instructions), for a
/// caller that writes each out and drops it: the whole outline of a large file at once is
/// megabytes.
pub fn outline(source: &SourceFile) -> impl Iterator<Item = Symbol> + '_ {
    let directives = source.file.directives.iter().map(|directive| Symbol {
        name: format!("# {}", directive.name),
        detail: Some(directive.value.clone()),
        kind: SymbolKind::Directive,
        span: directive.span.clone(),
        selection: directive.span.clone(),
        children: Vec::new(),
    });
    let instructions = source.instructions();
    let preamble = source.stages.preamble.clone().flat_map(move |index| {
        let instruction = &instructions[index];
        if instruction.keyword != Keyword::Arg {
            return vec![instruction_symbol(instruction)];
        }
        instruction
            .values
            .iter()
            .map(|value| Symbol {
                name: value.text.split('=').next().unwrap_or_default().to_string(),
                detail: Some("global ARG".into()),
                kind: SymbolKind::Variable,
                span: instruction.span.clone(),
                selection: value.span.clone(),
                children: Vec::new(),
            })
            .collect()
    });
    let stages = source.stages.stages.iter().map(move |stage| {
        let from = &instructions[stage.from];
        let end = stage
            .body
            .clone()
            .last()
            .map(|last| instructions[last].span.end)
            .unwrap_or(from.span.end);
        let selection = stage
            .name
            .as_ref()
            .or(stage.image.as_ref())
            .map(|word| word.span.clone())
            .unwrap_or(from.keyword_word.span.clone());
        let detail = match (&stage.name, &stage.image) {
            (Some(_), Some(image)) => Some(format!("FROM {}", image.text)),
            _ => Some(format!("stage {}", stage.index)),
        };
        let mut children = vec![instruction_symbol(from)];
        children.extend(
            stage
                .body
                .clone()
                .map(|index| instruction_symbol(&instructions[index])),
        );
        Symbol {
            name: stage.label(),
            detail,
            kind: SymbolKind::Stage,
            span: from.span.start..end,
            selection,
            children,
        }
    });
    directives.chain(preamble).chain(stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_hold_their_instructions() {
        let text = "# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM $BASE AS build\nRUN make\nFROM scratch\nCOPY --from=build /app /app\nONBUILD RUN x\n";
        let found = symbols(&SourceFile::parse(text));
        let names: Vec<_> = found
            .iter()
            .map(|symbol| (symbol.kind, symbol.name.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                (SymbolKind::Directive, "# syntax".to_string()),
                (SymbolKind::Variable, "BASE".to_string()),
                (SymbolKind::Stage, "build".to_string()),
                (SymbolKind::Stage, "scratch".to_string()),
            ]
        );
        let build = &found[2];
        assert_eq!(build.detail.as_deref(), Some("FROM $BASE"));
        assert_eq!(&text[build.selection.clone()], "build");
        assert_eq!(&text[build.span.clone()], "FROM $BASE AS build\nRUN make");
        let last = &found[3].children;
        assert_eq!(
            last.iter()
                .map(|child| child.name.as_str())
                .collect::<Vec<_>>(),
            vec!["FROM", "COPY", "ONBUILD RUN"]
        );
        // The detail is the arguments after the flags.
        assert_eq!(last[1].detail.as_deref(), Some("/app /app"));
    }
}
