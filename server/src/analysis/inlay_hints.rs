//! Inlay hints: after each `FROM`, the distribution and package manager the stage runs on
//! (`alpine 3.20 · apk`), and after each `$VAR` in a `FROM`, the value it reads as.

use crate::syntax::variables;

use crate::knowledge::catalog::Certainty;
use crate::knowledge::package_managers;
use crate::knowledge::stage_bases::{BaseKind, StageBase};
use crate::syntax::SourceFile;
use crate::syntax::stages::VariableKind;
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlayHintKind {
    /// What something is (the stage's distribution).
    Type,
    /// A value (what a variable reads as).
    Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (before the character at this byte offset).
    pub offset: usize,
    pub label: String,
    pub kind: InlayHintKind,
    pub tooltip: Option<String>,
    pub padding_left: bool,
}

/// The hints of the `FROM` instructions that start inside `range`.
pub fn inlay_hints(source: &SourceFile, range: Span) -> Vec<InlayHint> {
    inlay_hints_in(source, range, None)
}

/// [`inlay_hints`] knowing the build context: a `$VAR` a compose or bake build sets shows
/// that value (and the distribution follows it).
pub fn inlay_hints_in(
    source: &SourceFile,
    range: Span,
    build: Option<&crate::workspace::BuildContext>,
) -> Vec<InlayHint> {
    let given = |name: &str| build.and_then(|build| build.argument_value(name).map(str::to_string));
    let set = build.is_some_and(|build| build.builds.iter().any(|b| !b.args.is_empty()));
    let arguments = set.then_some(&given as crate::knowledge::stage_bases::Arguments);
    let stages = &source.stages.stages;
    let in_range = |index: usize| {
        let span = &source.instructions()[index].span;
        span.start <= range.end && range.start <= span.end
    };
    let mut hints = Vec::new();
    for stage in stages {
        if !in_range(stage.from) {
            continue;
        }
        if let Some(word) = &stage.image {
            let written = source.slice(&word.span);
            for (name, reference) in variables::dockerfile_references(written, source.file.escape) {
                let declared = source
                    .stages
                    .global
                    .lookup(&name)
                    .is_some_and(|variable| variable.kind == VariableKind::GlobalArg);
                if declared && let Some(value) = given(&name) {
                    let origin = build
                        .and_then(|build| build.argument(&name).first().map(|(b, _)| b.label()))
                        .unwrap_or_default();
                    hints.push(InlayHint {
                        offset: word.span.start + reference.end,
                        label: format!("= {value}"),
                        kind: InlayHintKind::Value,
                        tooltip: Some(format!("Build argument {name}, set by {origin}")),
                        padding_left: false,
                    });
                    continue;
                }
                let value = source
                    .stages
                    .global
                    .lookup(&name)
                    .filter(|variable| variable.kind != VariableKind::Predefined)
                    .and_then(|variable| variable.value.clone());
                if let Some(value) = value {
                    hints.push(InlayHint {
                        offset: word.span.start + reference.end,
                        label: format!("= {value}"),
                        kind: InlayHintKind::Value,
                        tooltip: Some(format!("The default of ARG {name}")),
                        padding_left: false,
                    });
                }
            }
        }
        // Only the stages on screen are resolved (each one walks its own chain of stages).
        if let Some(base) =
            crate::knowledge::stage_bases::stage_base_in(source, stage.index, arguments)
            && let Some((label, tooltip)) = distribution_label(source, &base)
        {
            let head = source.instructions()[stage.from].head_span();
            hints.push(InlayHint {
                offset: head.end,
                label,
                kind: InlayHintKind::Type,
                tooltip: Some(tooltip),
                padding_left: true,
            });
        }
    }
    hints
}

/// `alpine 3.20 · apk`, and a tooltip that says where it comes from; `None` for scratch
/// (obvious) and for what the catalog does not know.
fn distribution_label(source: &SourceFile, base: &StageBase) -> Option<(String, String)> {
    if !matches!(base.kind, BaseKind::Image { .. }) {
        return None;
    }
    let info = base.info()?;
    let mut label = info.short_label()?;
    let managers = info.package_managers();
    let windows = info
        .distro
        .is_some_and(|distro| distro.family == crate::knowledge::distros::Family::Windows);
    if let Some(first) = managers.first() {
        label.push_str(" · ");
        label.push_str(package_managers::manager(*first).name);
    } else if !windows {
        label.push_str(" · no package manager");
    }
    let mut tooltip = base.describe(source).replace('`', "");
    if base.certainty() == Some(Certainty::Inferred) {
        tooltip.push_str(" (inferred)");
    }
    Some((label, tooltip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<(String, String)> {
        let source = SourceFile::parse(text);
        inlay_hints(&source, 0..text.len())
            .into_iter()
            .map(|hint| {
                (
                    text[..hint.offset].lines().last().unwrap_or("").to_string(),
                    hint.label,
                )
            })
            .collect()
    }

    #[test]
    fn distributions_after_from_and_values_after_variables() {
        let text = "ARG BASE=alpine:3.20\nARG TAG=12\nFROM $BASE AS build\nFROM build\nFROM debian:${TAG}-slim\nFROM scratch\nFROM myorg/app\nFROM python:3.12\nFROM gcr.io/distroless/static-debian12\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n";
        assert_eq!(
            labels(text),
            vec![
                ("FROM $BASE".to_string(), "= alpine:3.20".to_string()),
                (
                    "FROM $BASE AS build".to_string(),
                    "alpine 3.20 · apk".to_string()
                ),
                ("FROM build".to_string(), "alpine 3.20 · apk".to_string()),
                ("FROM debian:${TAG}".to_string(), "= 12".to_string()),
                (
                    "FROM debian:${TAG}-slim".to_string(),
                    "debian 12 slim · apt".to_string()
                ),
                ("FROM python:3.12".to_string(), "debian · apt".to_string()),
                (
                    "FROM gcr.io/distroless/static-debian12".to_string(),
                    "distroless 12 · no package manager".to_string()
                ),
                (
                    "FROM mcr.microsoft.com/windows/servercore:ltsc2022".to_string(),
                    "servercore ltsc2022".to_string()
                ),
            ]
        );
    }

    #[test]
    fn only_the_requested_range() {
        let text = "FROM alpine:3.20\nRUN true\nFROM debian:12\n";
        let source = SourceFile::parse(text);
        let hints = inlay_hints(&source, 20..text.len());
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].label, "debian 12 · apt");
        let tooltip = hints[0].tooltip.as_deref().unwrap();
        assert!(
            tooltip.contains("debian:12 (Debian 12 (bookworm))"),
            "{tooltip}"
        );
        assert!(inlay_hints(&source, 17..20).is_empty());
    }
}
