//! Conversions between the server's plain data (byte spans) and LSP types (positions in the
//! negotiated encoding).

use std::collections::HashMap;

use ls_types::{self as lsp, Uri};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::analysis::actions::{Action, ActionKind};
use crate::analysis::completion::{Completion, CompletionKind};
use crate::analysis::folding::{Fold, FoldKind};
use crate::analysis::format::FormatOptions;
use crate::analysis::navigation::Occurrence;
use crate::analysis::semantic_tokens::{Token, TokenType, modifiers as semantic_modifiers};
use crate::analysis::signature_help::SignatureHelp;
use crate::analysis::symbols::{Symbol, SymbolKind};
use crate::analysis::{inlay_hints, links};
use crate::lint::{self, Severity, Tag};
use crate::text::{LineIndex, Position, PositionEncoding, Span, TextChange};

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

/// The findings of a version as an LSP `Diagnostic[]`, serialised straight from the lint
/// model: the JSON `diagnostic` would give for each, without building the `ls_types` values.
/// Every keystroke publishes (or a pull client fetches) all findings of the file: on the
/// 10,000-line benchmark file, 873 of them, where copying each message, code and link into
/// `ls_types` first cost as much as writing the JSON.
pub struct DiagnosticsJson<'a> {
    pub uri: &'a Uri,
    pub index: &'a LineIndex,
    pub findings: &'a [lint::Diagnostic],
}

impl Serialize for DiagnosticsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|finding| DiagnosticJson {
            uri: self.uri,
            index: self.index,
            finding,
        }))
    }
}

struct DiagnosticJson<'a> {
    uri: &'a Uri,
    index: &'a LineIndex,
    finding: &'a lint::Diagnostic,
}

impl Serialize for DiagnosticJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Location<'a> {
            uri: &'a Uri,
            range: lsp::Range,
        }
        #[derive(Serialize)]
        struct Related<'a> {
            location: Location<'a>,
            message: &'a str,
        }
        let finding = self.finding;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("range", &range(self.index, &finding.span))?;
        map.serialize_entry("severity", &severity(finding.severity))?;
        match RuleJson::registered(finding.rule) {
            Some(rule) => {
                map.serialize_entry("code", &*rule.code)?;
                if let Some(link) = &rule.link {
                    map.serialize_entry("codeDescription", &**link)?;
                }
            }
            // Lint runs only registered rules; this is for completeness.
            None => map.serialize_entry("code", finding.rule.name)?,
        }
        map.serialize_entry("source", SOURCE)?;
        map.serialize_entry("message", &finding.message)?;
        if !finding.related.is_empty() {
            let related: Vec<Related> = finding
                .related
                .iter()
                .map(|related| Related {
                    location: Location {
                        uri: self.uri,
                        range: range(self.index, &related.span),
                    },
                    message: &related.message,
                })
                .collect();
            map.serialize_entry("relatedInformation", &related)?;
        }
        if !finding.tags.is_empty() {
            let tags: Vec<lsp::DiagnosticTag> = finding
                .tags
                .iter()
                .map(|tag| diagnostic_tag(*tag))
                .collect();
            map.serialize_entry("tags", &tags)?;
        }
        map.end()
    }
}

/// A rule's documentation page, and its `code` and `codeDescription` as JSON, made once per
/// registered rule: a document can have hundreds of findings, each written on every keystroke
/// (the JSON is written as it is rather than escaping the same link each time).
struct RuleJson {
    /// The rule's page, when its URL is a valid URI.
    page: Option<Uri>,
    code: Box<RawValue>,
    /// `{"href": page}`, with `page`.
    link: Option<Box<RawValue>>,
}

impl RuleJson {
    fn of(rule: &lint::Rule) -> Option<RuleJson> {
        #[derive(Serialize)]
        struct Link<'a> {
            href: &'a str,
        }
        let url = rule.url();
        let page = url.parse::<Uri>().ok();
        let link = match page {
            Some(_) => Some(serde_json::value::to_raw_value(&Link { href: &url }).ok()?),
            None => None,
        };
        Some(RuleJson {
            page,
            code: serde_json::value::to_raw_value(rule.name).ok()?,
            link,
        })
    }

    /// The JSON of a rule of `lint::rules::ALL` (by its address), made on first use.
    fn registered(rule: &'static lint::Rule) -> Option<&'static RuleJson> {
        static TABLE: std::sync::LazyLock<rustc_hash::FxHashMap<usize, RuleJson>> =
            std::sync::LazyLock::new(|| {
                lint::rules::ALL
                    .iter()
                    .filter_map(|rule| {
                        Some((*rule as *const lint::Rule as usize, RuleJson::of(rule)?))
                    })
                    .collect()
            });
        TABLE.get(&(rule as *const lint::Rule as usize))
    }
}

const SOURCE: &str = "dockerfile-ls";

fn diagnostic_tag(tag: Tag) -> lsp::DiagnosticTag {
    match tag {
        Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
        Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
    }
}

pub fn diagnostic(uri: &Uri, index: &LineIndex, diagnostic: &lint::Diagnostic) -> lsp::Diagnostic {
    let tags: Vec<lsp::DiagnosticTag> = diagnostic
        .tags
        .iter()
        .map(|tag| diagnostic_tag(*tag))
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
        code_description: RuleJson::registered(diagnostic.rule)
            .and_then(|rule| rule.page.clone())
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: diagnostic.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

/// A diagnostic a client lists in a code-action request's context, read only as far as it
/// takes to know whether it is one of our findings: its range, its code (a rule of ours, by
/// name) and its source. Messages, links and the rest are skipped without being copied: a
/// whole-file request on a large file lists every finding again (350 KB on the 10,000-line
/// benchmark file).
#[derive(serde::Deserialize)]
pub struct ListedDiagnostic {
    range: lsp::Range,
    #[serde(default)]
    code: ListedCode,
    #[serde(default)]
    source: ListedSource,
}

/// A listed diagnostic's code: the rule of ours it names, if any (a number, another tool's
/// code or anything else names none).
#[derive(Default)]
struct ListedCode(Option<&'static lint::Rule>);

/// A listed diagnostic's source: absent (some clients drop it), ours, or another tool's.
#[derive(Default)]
enum ListedSource {
    #[default]
    Unknown,
    Ours,
    Other,
}

/// What a listed diagnostic's `code` or `source` holds, read without keeping any of it.
struct Listed<T>(std::marker::PhantomData<T>);

/// How one kind of listed value is made from the string it holds (anything else makes the
/// default).
trait FromListedString: Default {
    fn from_listed(text: &str) -> Self;
}

impl FromListedString for ListedCode {
    fn from_listed(text: &str) -> ListedCode {
        ListedCode(rule_named(text))
    }
}

impl FromListedString for ListedSource {
    fn from_listed(text: &str) -> ListedSource {
        if text == SOURCE {
            ListedSource::Ours
        } else {
            ListedSource::Other
        }
    }
}

impl<'de, T: FromListedString> serde::de::Visitor<'de> for Listed<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from_listed(text))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(T::default())
    }
}

impl<'de> serde::Deserialize<'de> for ListedCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Listed(std::marker::PhantomData))
    }
}

impl<'de> serde::Deserialize<'de> for ListedSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Listed(std::marker::PhantomData))
    }
}

/// The registered rule named `name` (the `code` our diagnostics carry), by a table made once.
fn rule_named(name: &str) -> Option<&'static lint::Rule> {
    static TABLE: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, &'static lint::Rule>> =
        std::sync::LazyLock::new(|| {
            lint::rules::ALL
                .iter()
                .map(|rule| (rule.name, *rule))
                .collect()
        });
    TABLE.get(name).copied()
}

/// The findings outside `span` (indexes into `findings`) that the client lists: each listed
/// diagnostic of ours or of no stated source, whose code names a finding's rule and whose range
/// is that finding's range in the negotiated encoding. Other tools' diagnostics and ones we do
/// not know (an older version's) are left out. Findings that touch `span` are not looked for:
/// the request covers them anyway, and a whole-file request, which lists every finding, then
/// costs no matching at all.
pub fn listed_findings(
    index: &LineIndex,
    findings: &[lint::Diagnostic],
    listed: &[ListedDiagnostic],
    span: &Span,
) -> Vec<usize> {
    let outside: Vec<usize> = (0..findings.len())
        .filter(|at| !crate::analysis::actions::overlaps(&findings[*at].span, span))
        .collect();
    if outside.is_empty() || listed.is_empty() {
        return Vec::new();
    }
    let wanted: rustc_hash::FxHashSet<(&str, lsp::Range)> = listed
        .iter()
        .filter(|diagnostic| !matches!(diagnostic.source, ListedSource::Other))
        .filter_map(|diagnostic| Some((diagnostic.code.0?.name, diagnostic.range)))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let rules: rustc_hash::FxHashSet<&str> = wanted.iter().map(|(rule, _)| *rule).collect();
    // Only findings of a listed rule are converted to positions.
    outside
        .into_iter()
        .filter(|at| {
            let finding = &findings[*at];
            let rule = finding.rule.name;
            rules.contains(rule) && wanted.contains(&(rule, range(index, &finding.span)))
        })
        .collect()
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

/// The kind of "Merge all consecutive RUN instructions in this file".
pub fn merge_runs_kind() -> lsp::CodeActionKind {
    lsp::CodeActionKind::new("source.mergeRunInstructions.dockerfile-ls")
}

pub fn code_action(
    uri: &Uri,
    index: &LineIndex,
    action: &Action,
    // The action's findings, converted.
    diagnostics: &[lsp::Diagnostic],
    // False for a client that resolves the edit later (`codeAction/resolve`).
    with_edit: bool,
) -> lsp::CodeAction {
    let kind = match action.kind {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::Refactor => lsp::CodeActionKind::REFACTOR_REWRITE,
        ActionKind::FixAll => fix_all_kind(),
        ActionKind::Source => merge_runs_kind(),
    };
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then(|| diagnostics.to_vec()),
        edit: with_edit.then(|| workspace_edit(uri, index, &action.edits)),
        is_preferred: action.preferred.then_some(true),
        ..lsp::CodeAction::default()
    }
}

pub fn document_link(index: &LineIndex, link: &links::DocumentLink) -> Option<lsp::DocumentLink> {
    Some(lsp::DocumentLink {
        range: range(index, &link.span),
        target: Some(link.target.parse().ok()?),
        tooltip: Some(link.tooltip.clone()),
        data: None,
    })
}

pub fn inlay_hint(index: &LineIndex, hint: &inlay_hints::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: position(index, hint.offset),
        label: lsp::InlayHintLabel::String(hint.label.clone()),
        kind: Some(match hint.kind {
            inlay_hints::InlayHintKind::Type => lsp::InlayHintKind::TYPE,
            inlay_hints::InlayHintKind::Value => lsp::InlayHintKind::PARAMETER,
        }),
        text_edits: None,
        tooltip: hint.tooltip.clone().map(|tooltip| {
            lsp::InlayHintTooltip::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: tooltip,
            })
        }),
        padding_left: hint.padding_left.then_some(true),
        padding_right: None,
        data: None,
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

/// Nested document symbols serialised straight from the outline: the JSON `document_symbol`
/// would give for each, without building the `ls_types` tree (on the 10,000-line file, 4,900
/// symbols whose copies outlived the request as heap the process kept).
pub struct SymbolsJson<'a> {
    pub index: &'a LineIndex,
    pub symbols: &'a [Symbol],
}

impl Serialize for SymbolsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.symbols.iter().map(|symbol| SymbolJson {
            index: self.index,
            symbol,
        }))
    }
}

/// The nested outline of a file serialised one top-level symbol at a time
/// (`symbols::outline`): each stage is written out and dropped before the next is built.
pub struct OutlineJson<'a> {
    pub index: &'a LineIndex,
    pub source: &'a crate::syntax::SourceFile,
}

impl Serialize for OutlineJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Owned<'a> {
            index: &'a LineIndex,
            symbol: Symbol,
        }
        impl Serialize for Owned<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                SymbolJson {
                    index: self.index,
                    symbol: &self.symbol,
                }
                .serialize(serializer)
            }
        }
        serializer.collect_seq(
            crate::analysis::symbols::outline(self.source).map(|symbol| Owned {
                index: self.index,
                symbol,
            }),
        )
    }
}

struct SymbolJson<'a> {
    index: &'a LineIndex,
    symbol: &'a Symbol,
}

impl Serialize for SymbolJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let symbol = self.symbol;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &symbol.name)?;
        if let Some(detail) = &symbol.detail {
            map.serialize_entry("detail", detail)?;
        }
        map.serialize_entry("kind", &symbol_kind(symbol.kind))?;
        map.serialize_entry("range", &range(self.index, &symbol.span))?;
        map.serialize_entry("selectionRange", &range(self.index, &symbol.selection))?;
        if !symbol.children.is_empty() {
            map.serialize_entry(
                "children",
                &SymbolsJson {
                    index: self.index,
                    symbols: &symbol.children,
                },
            )?;
        }
        map.end()
    }
}

/// The `ls_types` form of a symbol: what `SymbolsJson` must write (tests compare them).
#[cfg(test)]
#[allow(deprecated)] // `deprecated` is a required field of the LSP type.
fn document_symbol(index: &LineIndex, symbol: &Symbol) -> lsp::DocumentSymbol {
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

/// The formatter's options from the editor's.
pub fn format_options(options: &lsp::FormattingOptions) -> FormatOptions {
    FormatOptions {
        tab_size: options.tab_size,
        insert_spaces: options.insert_spaces,
    }
}

fn completion_kind(kind: CompletionKind) -> lsp::CompletionItemKind {
    match kind {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Directive => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Flag => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Stage => lsp::CompletionItemKind::CLASS,
        CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Image => lsp::CompletionItemKind::MODULE,
        CompletionKind::Rule => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::File => lsp::CompletionItemKind::FILE,
        CompletionKind::Directory => lsp::CompletionItemKind::FOLDER,
    }
}

pub fn completion_item(index: &LineIndex, item: &Completion) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: item.label.clone(),
        kind: Some(completion_kind(item.kind)),
        detail: item.detail.clone(),
        documentation: item.documentation.clone().map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: item.sort.clone(),
        insert_text_format: Some(if item.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            range(index, &item.replace),
            item.insert.clone(),
        ))),
        tags: item
            .deprecated
            .then(|| vec![lsp::CompletionItemTag::DEPRECATED]),
        ..lsp::CompletionItem::default()
    }
}

/// `offset` bytes into the ASCII-or-not `text`, in UTF-16 code units (what parameter label
/// offsets count in).
fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

pub fn signature_help(help: &SignatureHelp) -> lsp::SignatureHelp {
    let signatures = help
        .signatures
        .iter()
        .map(|signature| lsp::SignatureInformation {
            label: signature.label.to_string(),
            documentation: signature
                .documentation
                .map(|text| lsp::Documentation::String(text.to_string())),
            parameters: Some(
                signature
                    .parameters
                    .iter()
                    .map(|parameter| lsp::ParameterInformation {
                        label: lsp::ParameterLabel::LabelOffsets([
                            utf16_len(&signature.label[..parameter.label.start]),
                            utf16_len(&signature.label[..parameter.label.end]),
                        ]),
                        documentation: Some(lsp::Documentation::MarkupContent(
                            lsp::MarkupContent {
                                kind: lsp::MarkupKind::Markdown,
                                value: parameter.documentation.to_string(),
                            },
                        )),
                    })
                    .collect(),
            ),
            active_parameter: None,
        })
        .collect();
    lsp::SignatureHelp {
        signatures,
        active_signature: Some(help.active_signature as u32),
        active_parameter: Some(help.active_parameter as u32),
    }
}

/// The top of the file or directory at `path`.
pub fn file_location(path: &std::path::Path) -> Option<lsp::Location> {
    let uri = Uri::from_file_path(path)?;
    Some(lsp::Location::new(uri, lsp::Range::default()))
}

/// A value's place in a compose or bake file, in the negotiated encoding.
pub fn place_range(
    place: &crate::workspace::builds::Place,
    encoding: crate::text::PositionEncoding,
) -> lsp::Range {
    let position = |at: &crate::workspace::builds::FilePosition| {
        let column = match encoding {
            crate::text::PositionEncoding::Utf8 => at.utf8,
            _ => at.utf16,
        };
        lsp::Position::new(at.line, column)
    };
    lsp::Range::new(position(&place.start), position(&place.end))
}

pub fn place_location(
    place: &crate::workspace::builds::Place,
    encoding: crate::text::PositionEncoding,
) -> Option<lsp::Location> {
    let uri = Uri::from_file_path(&place.file)?;
    Some(lsp::Location::new(uri, place_range(place, encoding)))
}

/// A link from a `COPY` source to its file.
pub fn file_link(
    index: &LineIndex,
    link: &crate::analysis::build_context::FileLink,
) -> Option<lsp::DocumentLink> {
    Some(lsp::DocumentLink {
        range: range(index, &link.span),
        target: Some(Uri::from_file_path(&link.path)?),
        tooltip: Some(link.tooltip.clone()),
        data: None,
    })
}

pub fn locations(uri: &Uri, index: &LineIndex, spans: &[Span]) -> Vec<lsp::Location> {
    spans
        .iter()
        .map(|span| lsp::Location::new(uri.clone(), range(index, span)))
        .collect()
}

pub fn document_highlights(
    index: &LineIndex,
    occurrences: &[Occurrence],
) -> Vec<lsp::DocumentHighlight> {
    occurrences
        .iter()
        .map(|occurrence| lsp::DocumentHighlight {
            range: range(index, &occurrence.span),
            kind: Some(if occurrence.declaration {
                lsp::DocumentHighlightKind::WRITE
            } else {
                lsp::DocumentHighlightKind::READ
            }),
        })
        .collect()
}

/// Folding ranges; with `line_folding_only` (the client folds whole lines) without columns,
/// and one range per start line, the widest, since such clients keep only one.
pub fn folding_ranges(
    index: &LineIndex,
    folds: &[Fold],
    line_folding_only: bool,
) -> Vec<lsp::FoldingRange> {
    let mut ranges: Vec<lsp::FoldingRange> = Vec::with_capacity(folds.len());
    for fold in folds {
        let start = index.position(fold.span.start);
        let end = index.position(fold.span.end);
        if end.line <= start.line {
            continue;
        }
        if line_folding_only
            && ranges
                .last()
                .is_some_and(|last| last.start_line == start.line)
        {
            continue;
        }
        let kind = match fold.kind {
            FoldKind::Comment => Some(lsp::FoldingRangeKind::Comment),
            FoldKind::Stage => Some(lsp::FoldingRangeKind::Region),
            FoldKind::Instruction | FoldKind::Heredoc => None,
        };
        ranges.push(lsp::FoldingRange {
            start_line: start.line,
            start_character: (!line_folding_only).then_some(start.column),
            end_line: end.line,
            end_character: (!line_folding_only).then_some(end.column),
            kind,
            collapsed_text: None,
        });
    }
    ranges
}

/// The chain of selection ranges, innermost first, as LSP's innermost-with-parents.
pub fn selection_range(index: &LineIndex, chain: &[Span]) -> lsp::SelectionRange {
    let mut current: Option<lsp::SelectionRange> = None;
    for span in chain.iter().rev() {
        current = Some(lsp::SelectionRange {
            range: range(index, span),
            parent: current.map(Box::new),
        });
    }
    current.unwrap_or(lsp::SelectionRange {
        range: lsp::Range::default(),
        parent: None,
    })
}

/// The legend: token types in [`TokenType::ALL`] order, modifiers in bit order.
pub fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    let token_types = TokenType::ALL
        .iter()
        .map(|token_type| match token_type {
            TokenType::Keyword => lsp::SemanticTokenType::KEYWORD,
            TokenType::Comment => lsp::SemanticTokenType::COMMENT,
            TokenType::String => lsp::SemanticTokenType::STRING,
            TokenType::Number => lsp::SemanticTokenType::NUMBER,
            TokenType::Operator => lsp::SemanticTokenType::OPERATOR,
            TokenType::Variable => lsp::SemanticTokenType::VARIABLE,
            TokenType::Parameter => lsp::SemanticTokenType::PARAMETER,
            TokenType::Property => lsp::SemanticTokenType::PROPERTY,
            TokenType::Type => lsp::SemanticTokenType::TYPE,
            TokenType::Class => lsp::SemanticTokenType::CLASS,
            TokenType::EnumMember => lsp::SemanticTokenType::ENUM_MEMBER,
            TokenType::Function => lsp::SemanticTokenType::FUNCTION,
            TokenType::Macro => lsp::SemanticTokenType::MACRO,
        })
        .collect();
    let token_modifiers = semantic_modifiers::NAMES
        .iter()
        .map(|name| match *name {
            "declaration" => lsp::SemanticTokenModifier::DECLARATION,
            "deprecated" => lsp::SemanticTokenModifier::DEPRECATED,
            _ => lsp::SemanticTokenModifier::DEFAULT_LIBRARY,
        })
        .collect();
    lsp::SemanticTokensLegend {
        token_types,
        token_modifiers,
    }
}

/// A forward walk over a text that knows the line and column (in an encoding) of where it is.
struct Walk<'a> {
    text: &'a str,
    encoding: PositionEncoding,
    position: usize,
    line: u32,
    column: u32,
}

impl Walk<'_> {
    fn width(&self, piece: &str) -> u32 {
        match self.encoding {
            PositionEncoding::Utf8 => piece.len() as u32,
            PositionEncoding::Utf16 if piece.is_ascii() => piece.len() as u32,
            PositionEncoding::Utf16 => utf16_len(piece),
            PositionEncoding::Utf32 => piece.chars().count() as u32,
        }
    }

    /// Moves to `target` (forward only), counting `\n`, `\r\n` and lone `\r` as line breaks.
    fn advance_to(&mut self, target: usize) {
        let bytes = self.text.as_bytes();
        let target = target.min(bytes.len());
        let mut run_start = self.position;
        let mut at = self.position;
        while at < target {
            let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[at..target]) else {
                break;
            };
            at += found;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at += 1;
            }
            at += 1;
            self.line += 1;
            self.column = 0;
            run_start = at;
        }
        if run_start < target
            && self.text.is_char_boundary(run_start)
            && self.text.is_char_boundary(target)
        {
            self.column += self.width(&self.text[run_start..target]);
        }
        self.position = target.max(run_start);
    }
}

/// Semantic tokens in LSP's relative encoding, tokens that span lines cut at each line break.
/// `tokens` are in document order; one forward walk over `text` gives every position, which is
/// what keeps a whole 10,000-line file cheap. Lines end at `\n`, `\r\n` or a lone `\r`, as in
/// [`crate::text`].
pub fn semantic_tokens(
    text: &str,
    encoding: PositionEncoding,
    tokens: &[Token],
) -> Vec<lsp::SemanticToken> {
    let bytes = text.as_bytes();
    let mut walk = Walk {
        text,
        encoding,
        position: 0,
        line: 0,
        column: 0,
    };
    let mut output = Vec::with_capacity(tokens.len());
    let (mut last_line, mut last_column) = (0u32, 0u32);
    for token in tokens {
        if token.start < walk.position || token.end > bytes.len() {
            continue;
        }
        let mut start = token.start;
        while start < token.end {
            walk.advance_to(start);
            // This piece ends at the token's end or at the next line break.
            let end = memchr::memchr2(b'\n', b'\r', &bytes[start..token.end])
                .map(|at| start + at)
                .unwrap_or(token.end);
            if end > start && text.is_char_boundary(end) {
                let delta_line = walk.line - last_line;
                let delta_start = if delta_line == 0 {
                    walk.column - last_column
                } else {
                    walk.column
                };
                output.push(lsp::SemanticToken {
                    delta_line,
                    delta_start,
                    length: walk.width(&text[start..end]),
                    token_type: token.token_type.index(),
                    token_modifiers_bitset: token.modifiers,
                });
                last_line = walk.line;
                last_column = walk.column;
            }
            // Past the line break (`\r\n` is one) to the next piece.
            let mut next = end;
            if next < token.end && bytes[next] == b'\r' {
                next += 1;
            }
            if next < token.end && bytes[next] == b'\n' {
                next += 1;
            }
            if next == end {
                break;
            }
            start = next;
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_written_straight_from_findings_equal_the_ls_types_ones() {
        // Related information (a duplicate stage), both tags, a message with quotes, and a
        // finding after non-ASCII text on its line (UTF-16 columns differ from bytes).
        let text = "FROM registry.example/base:1.0 AS dup\nMAINTAINER \"José ☃\" <j@x>\nFROM registry.example/base:1.0 AS dup\nLABEL x=\"ü\" \nRUN true\nRUN false\nFROM registry.example/base:1.0\n";
        let source = crate::syntax::SourceFile::parse(text);
        let findings = lint::lint(
            &source,
            &Default::default(),
            crate::knowledge::distros::AS_OF,
        );
        let has = |check: &dyn Fn(&lint::Diagnostic) -> bool| findings.iter().any(check);
        assert!(has(&|finding| !finding.related.is_empty()));
        assert!(has(&|finding| finding.tags.contains(&Tag::Unnecessary)));
        assert!(has(&|finding| finding.tags.contains(&Tag::Deprecated)));
        let uri: Uri = "file:///w/Docker%20file".parse().unwrap();
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let index = LineIndex::new(crate::text::Text::new(text), encoding);
            let built: Vec<lsp::Diagnostic> = findings
                .iter()
                .map(|finding| diagnostic(&uri, &index, finding))
                .collect();
            let written = serde_json::to_string(&DiagnosticsJson {
                uri: &uri,
                index: &index,
                findings: &findings,
            })
            .unwrap();
            assert_eq!(written, serde_json::to_string(&built).unwrap());
        }
    }

    #[test]
    fn symbols_written_straight_from_the_outline_equal_the_ls_types_ones() {
        let text = "# syntax=docker/dockerfile:1\nARG V=1\nFROM registry.example/base:1.0 AS b\u{e9}\nRUN echo \"\u{2603}\" \\\n  && true\nFROM b\u{e9}\nCOPY --from=b\u{e9} /a /b\n";
        let source = crate::syntax::SourceFile::parse(text);
        let found = crate::analysis::symbols::symbols(&source);
        assert!(found.iter().any(|symbol| !symbol.children.is_empty()));
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let index = LineIndex::new(crate::text::Text::new(text), encoding);
            let built: Vec<lsp::DocumentSymbol> = found
                .iter()
                .map(|symbol| document_symbol(&index, symbol))
                .collect();
            let written = serde_json::to_string(&SymbolsJson {
                index: &index,
                symbols: &found,
            })
            .unwrap();
            assert_eq!(written, serde_json::to_string(&built).unwrap());
            let streamed = serde_json::to_string(&OutlineJson {
                index: &index,
                source: &source,
            })
            .unwrap();
            assert_eq!(streamed, written);
        }
    }

    #[test]
    fn listed_diagnostics_are_matched_to_findings_by_rule_and_range() {
        // The finding sits after a wide character on its line: UTF-16 and UTF-8 columns differ.
        let text = "FROM alpine:3.20\nLABEL a=\"😀\"\nRUN apk add curl # 界\nMAINTAINER me\n";
        let source = crate::syntax::SourceFile::parse(text);
        let findings = lint::lint(
            &source,
            &Default::default(),
            crate::knowledge::distros::AS_OF,
        );
        let cache = findings
            .iter()
            .position(|finding| finding.rule.name == "PackageCacheNotCleaned")
            .expect("a cache finding");
        let uri: Uri = "file:///w/Dockerfile".parse().unwrap();
        // An empty range past the end, touching no finding.
        let nowhere = text.len() + 1..text.len() + 1;
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let index = LineIndex::new(crate::text::Text::new(text), encoding);
            // What the client got published, sent back whole, plus other tools' findings
            // and oddities: a numeric code, an object as code, no source, null source.
            let ours = serde_json::to_value(&DiagnosticsJson {
                uri: &uri,
                index: &index,
                findings: &findings,
            })
            .unwrap();
            let cache_range = ours[cache]["range"].clone();
            let mut sent = ours.as_array().unwrap().clone();
            sent.push(serde_json::json!({"range": cache_range, "code": "PackageCacheNotCleaned", "source": "hadolint", "message": "x"}));
            sent.push(serde_json::json!({"range": cache_range, "code": 3009, "message": "x"}));
            sent.push(serde_json::json!({"range": cache_range, "code": {"value": 1}, "source": null, "message": "x"}));
            sent.push(serde_json::json!({"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 3}}, "code": "PackageCacheNotCleaned", "message": "stale"}));
            let listed: Vec<ListedDiagnostic> =
                serde_json::from_value(serde_json::Value::Array(sent)).unwrap();
            let all: Vec<usize> = (0..findings.len()).collect();
            assert_eq!(listed_findings(&index, &findings, &listed, &nowhere), all);
            // One finding, without a source (some clients drop it): found by code and range.
            let alone: Vec<ListedDiagnostic> = serde_json::from_value(serde_json::json!([
                {"range": cache_range, "code": "PackageCacheNotCleaned", "message": "m"}
            ]))
            .unwrap();
            assert_eq!(
                listed_findings(&index, &findings, &alone, &nowhere),
                vec![cache]
            );
            // Under the range, it is not looked for (the range covers it).
            let cache_span = findings[cache].span.clone();
            assert!(listed_findings(&index, &findings, &alone, &cache_span).is_empty());
            // The same range under another source or another code names nothing.
            let others: Vec<ListedDiagnostic> = serde_json::from_value(serde_json::json!([
                {"range": cache_range, "code": "PackageCacheNotCleaned", "source": "hadolint"},
                {"range": cache_range, "code": "MaintainerDeprecated", "source": "dockerfile-ls"},
                {"range": cache_range, "code": "DL3019", "source": "dockerfile-ls"}
            ]))
            .unwrap();
            assert!(listed_findings(&index, &findings, &others, &nowhere).is_empty());
        }
    }

    fn token(start: usize, end: usize) -> Token {
        Token {
            start,
            end,
            token_type: TokenType::Keyword,
            modifiers: 0,
        }
    }

    fn encoded(text: &str, encoding: PositionEncoding, tokens: &[Token]) -> Vec<[u32; 3]> {
        semantic_tokens(text, encoding, tokens)
            .iter()
            .map(|token| [token.delta_line, token.delta_start, token.length])
            .collect()
    }

    #[test]
    fn semantic_tokens_count_lines_like_the_editor_and_split_at_line_breaks() {
        // CRLF, a lone CR and LF all end lines; a token spanning a line break is cut in two.
        let text = "RUN a\r\nRUN b\rRUN \"c\\\nd\"";
        let string_start = text.find('"').unwrap();
        let tokens = [
            token(0, 3),
            token(7, 10),
            token(13, 16),
            token(string_start, text.len()),
        ];
        assert_eq!(
            encoded(text, PositionEncoding::Utf16, &tokens),
            vec![[0, 0, 3], [1, 0, 3], [1, 0, 3], [0, 4, 3], [1, 0, 2]]
        );
    }

    #[test]
    fn semantic_token_columns_follow_the_encoding() {
        let text = "LABEL a=\"😀\" b=c";
        let b = text.find("b=").unwrap();
        let tokens = [token(b, b + 1)];
        assert_eq!(
            encoded(text, PositionEncoding::Utf16, &tokens),
            vec![[0, 13, 1]]
        );
        assert_eq!(
            encoded(text, PositionEncoding::Utf8, &tokens),
            vec![[0, 15, 1]]
        );
        let emoji = text.find('😀').unwrap();
        assert_eq!(
            encoded(text, PositionEncoding::Utf16, &[token(emoji, emoji + 4)]),
            vec![[0, 9, 2]]
        );
    }
}
