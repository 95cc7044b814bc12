//! Conversions between the server's plain data (byte spans) and LSP types (positions in the
//! negotiated encoding).

use std::collections::HashMap;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::analysis::actions::{Action, ActionKind};
use crate::analysis::symbols::{Symbol, SymbolKind};
use crate::lint::{self, Severity, Tag};
use crate::text::{LineIndex, Position, Span, TextChange};

pub fn position(index: &LineIndex, offset: usize) -> lsp::Position {
    let position = index.position(offset);
    lsp::Position::new(position.line, position.column)
}

pub fn range(index: &LineIndex, span: &Span) -> lsp::Range {
    lsp::Range::new(position(index, span.start), position(index, span.end))
}

pub fn offset(index: &LineIndex, position: lsp::Position) -> usize {
    index.offset(Position::new(position.line, position.character))
}

pub fn span(index: &LineIndex, range: lsp::Range) -> Span {
    let start = offset(index, range.start);
    let end = offset(index, range.end);
    start.min(end)..end.max(start)
}

pub fn text_change(change: lsp::TextDocumentContentChangeEvent) -> TextChange {
    TextChange {
        range: change.range.map(|range| {
            (
                Position::new(range.start.line, range.start.character),
                Position::new(range.end.line, range.end.character),
            )
        }),
        text: change.text,
    }
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(uri: &Uri, index: &LineIndex, diagnostic: &lint::Diagnostic) -> lsp::Diagnostic {
    let tags: Vec<lsp::DiagnosticTag> = diagnostic
        .tags
        .iter()
        .map(|tag| match tag {
            Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
        })
        .collect();
    let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(index, &related.span)),
            message: related.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: range(index, &diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(lsp::NumberOrString::String(
            diagnostic.rule.name.to_string(),
        )),
        code_description: diagnostic
            .rule
            .url()
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("dockerfile-ls".into()),
        message: diagnostic.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

pub fn text_edits(index: &LineIndex, edits: &[lint::Edit]) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|edit| lsp::TextEdit::new(range(index, &edit.span), edit.new_text.clone()))
        .collect()
}

pub fn workspace_edit(uri: &Uri, index: &LineIndex, edits: &[lint::Edit]) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), text_edits(index, edits))])),
        ..lsp::WorkspaceEdit::default()
    }
}

/// The LSP kind of a fix-all action for this server.
pub fn fix_all_kind() -> lsp::CodeActionKind {
    lsp::CodeActionKind::new("source.fixAll.dockerfile-ls")
}

pub fn code_action(
    uri: &Uri,
    index: &LineIndex,
    action: &Action,
    diagnostics: &[lsp::Diagnostic],
) -> lsp::CodeAction {
    let kind = match action.kind {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::Refactor => lsp::CodeActionKind::REFACTOR_REWRITE,
        ActionKind::FixAll => fix_all_kind(),
        ActionKind::Source => lsp::CodeActionKind::new("source.mergeRunInstructions.dockerfile-ls"),
    };
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(kind),
        diagnostics: action
            .diagnostic
            .and_then(|at| diagnostics.get(at).cloned())
            .map(|diagnostic| vec![diagnostic]),
        edit: Some(workspace_edit(uri, index, &action.edits)),
        is_preferred: action.preferred.then_some(true),
        ..lsp::CodeAction::default()
    }
}

pub fn markdown_hover(index: &LineIndex, markdown: String, span: &Span) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range(index, span)),
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Directive => lsp::SymbolKind::KEY,
        SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
        SymbolKind::Stage => lsp::SymbolKind::CLASS,
        SymbolKind::Instruction => lsp::SymbolKind::FUNCTION,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the LSP type.
pub fn document_symbol(index: &LineIndex, symbol: &Symbol) -> lsp::DocumentSymbol {
    let children: Vec<lsp::DocumentSymbol> = symbol
        .children
        .iter()
        .map(|child| document_symbol(index, child))
        .collect();
    lsp::DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: range(index, &symbol.span),
        selection_range: range(index, &symbol.selection),
        children: (!children.is_empty()).then_some(children),
    }
}

/// Symbols for clients without nested outlines: every symbol, with its container's name.
#[allow(deprecated)] // `deprecated` is a required field of the LSP type.
pub fn flat_symbols(
    uri: &Uri,
    index: &LineIndex,
    symbols: &[Symbol],
) -> Vec<lsp::SymbolInformation> {
    let mut flat = Vec::new();
    let mut stack: Vec<(&Symbol, Option<String>)> =
        symbols.iter().rev().map(|symbol| (symbol, None)).collect();
    while let Some((symbol, container)) = stack.pop() {
        flat.push(lsp::SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), range(index, &symbol.selection)),
            container_name: container,
        });
        for child in symbol.children.iter().rev() {
            stack.push((child, Some(symbol.name.clone())));
        }
    }
    flat
}
