//! Code actions: quick fixes from the findings under the cursor, and the file-wide fix-all.

use crate::knowledge::distros::Date;
use crate::lint::fix::{self, FixOptions};
use crate::lint::layers;
use crate::lint::rules::consecutive_run_instructions;
use crate::lint::{Diagnostic, Edit, Fix, Settings};
use crate::syntax::{Comment, Connector, Keyword, SourceFile, shell};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
    /// A file-wide source action other than fix-all.
    Source,
    /// `source.fixAll`: every safe fix of the file at once.
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// The findings this action fixes (indexes into the findings passed in): one fix shared
    /// by several findings (a merge of three RUNs) is one action.
    pub diagnostics: Vec<usize>,
}

/// Whether two spans touch (an empty span at either end of the other counts).
pub fn overlaps(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Fixes that silence findings one range may offer: more than this is not a place where one
/// silences a single check.
const MAX_SUPPRESSION_ACTIONS: usize = 8;

/// Quick fixes of the findings that touch `range` and of those in `listed` (indexes into
/// `diagnostics`: the findings the editor named, wherever they are); a fix several findings
/// share is offered once, for all of them.
///
/// Editors name findings beyond the range: Neovim asks with the cursor as an empty range and
/// every finding of the cursor's line, so the fix of a finding a few columns to the right
/// belongs in the menu too.
///
/// A range that holds findings of one rule with two or more different fixes (a selection over
/// many stages, many `MAINTAINER`s) gets one action for that rule instead: "Fix all 335
/// UnusedStage findings in the selection", applying the preferred (else the first) fix of
/// each. A menu of hundreds of "Remove stage …" entries helps no one, and the file-wide
/// fix-all is no substitute when only one rule's fixes are wanted. Such an action names no
/// single finding, so it carries none (clients use an action's diagnostics to tie it to the
/// finding under the cursor).
///
/// Fixes that silence a finding (`# check=skip=`) come after the repairs, only for rules that
/// are not grouped, and only when the range holds a few of them
/// ([`MAX_SUPPRESSION_ACTIONS`]): a selection over many findings is no place to silence them
/// one by one.
pub fn quick_fixes(diagnostics: &[Diagnostic], range: &Span, listed: &[usize]) -> Vec<Action> {
    let mut touched: Vec<usize> = (0..diagnostics.len())
        .filter(|index| overlaps(&diagnostics[*index].span, range))
        .chain(listed.iter().copied())
        .filter(|index| {
            diagnostics
                .get(*index)
                .is_some_and(|found| !found.fixes.is_empty())
        })
        .collect();
    touched.sort_unstable();
    touched.dedup();
    // Each rule's first touched finding and its main fix; a rule whose findings bring another
    // fix is grouped, its action placed at that first finding.
    let mut first: std::collections::HashMap<&str, (usize, &Fix)> =
        std::collections::HashMap::new();
    let mut grouped: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for index in touched.iter().copied() {
        let diagnostic = &diagnostics[index];
        let Some(main) = main_fix(diagnostic) else {
            continue;
        };
        let (_, earlier) = *first.entry(diagnostic.rule.name).or_insert((index, main));
        if (earlier.title.as_str(), earlier.edits.as_slice())
            != (main.title.as_str(), main.edits.as_slice())
        {
            grouped.insert(diagnostic.rule.name);
        }
    }
    let mut actions: Vec<Action> = Vec::new();
    // Suppressions come after the repairs.
    let mut silencing: Vec<Action> = Vec::new();
    let mut seen: std::collections::HashMap<(&str, &[Edit]), (bool, usize)> =
        std::collections::HashMap::new();
    for index in touched.iter().copied() {
        let diagnostic = &diagnostics[index];
        let rule = diagnostic.rule.name;
        let grouped_here = grouped.contains(rule);
        if grouped_here && first[rule].0 == index {
            actions.push(rule_group(diagnostics, &touched, rule));
        }
        // A selection over several findings of one rule is not where one of them is
        // silenced: a grouped rule offers its group action only.
        if grouped_here {
            continue;
        }
        for fix in &diagnostic.fixes {
            let key = (fix.title.as_str(), fix.edits.as_slice());
            if let Some((suppresses, at)) = seen.get(&key) {
                let list = if *suppresses {
                    &mut silencing
                } else {
                    &mut actions
                };
                list[*at].diagnostics.push(index);
                continue;
            }
            let list = if fix.suppresses {
                &mut silencing
            } else {
                &mut actions
            };
            seen.insert(key, (fix.suppresses, list.len()));
            list.push(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                preferred: fix.preferred,
                diagnostics: vec![index],
            });
        }
    }
    if silencing.len() <= MAX_SUPPRESSION_ACTIONS {
        actions.extend(silencing);
    }
    actions
}

/// The fix a finding's group action applies: the preferred repair, else the first; none
/// when the finding can only be silenced.
fn main_fix(diagnostic: &Diagnostic) -> Option<&Fix> {
    let mut repairs = diagnostic.fixes.iter().filter(|fix| !fix.suppresses);
    let first = repairs.next()?;
    Some(
        std::iter::once(first)
            .chain(repairs)
            .find(|fix| fix.preferred)
            .unwrap_or(first),
    )
}

/// One action applying the main fix of each of `rule`'s findings among `touched`.
fn rule_group(diagnostics: &[Diagnostic], touched: &[usize], rule: &str) -> Action {
    let members: Vec<&Fix> = touched
        .iter()
        .map(|index| &diagnostics[*index])
        .filter(|diagnostic| diagnostic.rule.name == rule)
        .filter_map(main_fix)
        .collect();
    let edits = combined_edits(members.iter().copied());
    Action {
        title: format!("Fix all {} {rule} findings in the selection", members.len()),
        kind: ActionKind::QuickFix,
        edits,
        preferred: false,
        diagnostics: Vec::new(),
    }
}

/// Whether any finding that touches `range`, or that the client listed (indexes into
/// `diagnostics`), has a safe fix: where "fix all" is worth offering without being asked for.
pub fn has_safe_fix_at(diagnostics: &[Diagnostic], range: &Span, listed: &[usize]) -> bool {
    let safe = |diagnostic: &Diagnostic| diagnostic.fixes.iter().any(|fix| fix.safe);
    diagnostics
        .iter()
        .any(|diagnostic| overlaps(&diagnostic.span, range) && safe(diagnostic))
        || listed
            .iter()
            .filter_map(|index| diagnostics.get(*index))
            .any(safe)
}

/// The edits of `fixes` as one edit set: a fix that overlaps one taken before is left out
/// whole, and a fix shared by several findings is applied once.
fn combined_edits<'a>(fixes: impl Iterator<Item = &'a Fix>) -> Vec<Edit> {
    fix::combine(fixes).edits
}

const FIX_ALL: &str = "Fix all auto-fixable problems";
const MERGE_ALL: &str = "Merge all consecutive RUN instructions in this file";

/// The fix-all action, when there is anything to fix: the result of the fix engine (what
/// `check --fix` writes), as edits of the lines it changes. `findings` are `source`'s, with
/// their fixes.
pub fn fix_all(
    source: &SourceFile,
    findings: &[Diagnostic],
    settings: &Settings,
    today: Date,
) -> Option<Action> {
    let fixed = fix::fix_source(source, findings, settings, today, FixOptions::default());
    if let Some(reason) = &fixed.refused {
        tracing::warn!("fix-all not offered: {reason}");
        return None;
    }
    let edits = fix::line_edits(&source.text, &fixed.text);
    (!edits.is_empty()).then(|| Action {
        edits,
        ..fix_all_placeholder()
    })
}

/// The fix-all action without its edits (for a client that resolves them later).
pub fn fix_all_placeholder() -> Action {
    Action {
        title: FIX_ALL.into(),
        kind: ActionKind::FixAll,
        edits: Vec::new(),
        preferred: false,
        diagnostics: Vec::new(),
    }
}

/// The merge-all action without its edits.
pub fn merge_all_runs_placeholder() -> Action {
    Action {
        title: MERGE_ALL.into(),
        kind: ActionKind::Source,
        edits: Vec::new(),
        preferred: false,
        diagnostics: Vec::new(),
    }
}

/// "Merge all consecutive RUN instructions in this file": every merge the
/// ConsecutiveRunInstructions rule can offer, as one action.
pub fn merge_all_runs(source: &SourceFile) -> Option<Action> {
    let indent = layers::continuation_indent(source);
    let edits: Vec<Edit> = consecutive_run_instructions::groups(source)
        .iter()
        .filter_map(|group| consecutive_run_instructions::merge(source, group, &indent))
        .collect();
    (!edits.is_empty()).then(|| Action {
        edits,
        ..merge_all_runs_placeholder()
    })
}

const MERGE_NEXT: &str = "Merge with the next RUN";
const MERGE_PREVIOUS: &str = "Merge with the previous RUN";

/// "Merge with the next RUN", with the cursor anywhere on a RUN of a group of consecutive RUNs
/// that could be one layer (the ConsecutiveRunInstructions rule's groups); on the group's last
/// RUN, or where the merge with the next cannot keep the meaning, "Merge with the previous
/// RUN". The first RUN of a group has no finding (the rule flags the RUNs that could join
/// it), so without this it would offer no merge at all.
///
/// Offered for a cursor or a selection within one instruction: a selection over several
/// instructions is what the file-wide merge is for.
pub fn merge_neighbour_run(source: &SourceFile, range: &Span) -> Option<Action> {
    let index = run_at(source, range)?;
    let group = consecutive_run_instructions::groups(source)
        .into_iter()
        .find(|group| group.members.contains(&index))?;
    let position = group.members.iter().position(|member| *member == index)?;
    let next = group
        .members
        .get(position + 1)
        .map(|next| (vec![index, *next], MERGE_NEXT));
    let previous = position
        .checked_sub(1)
        .map(|before| (vec![group.members[before], index], MERGE_PREVIOUS));
    let indent = layers::continuation_indent(source);
    next.into_iter()
        .chain(previous)
        .find_map(|(members, title)| {
            let pair = consecutive_run_instructions::RunGroup { members };
            let edit = consecutive_run_instructions::merge(source, &pair, &indent)?;
            Some(Action {
                title: title.into(),
                kind: ActionKind::Refactor,
                edits: vec![edit],
                preferred: false,
                diagnostics: Vec::new(),
            })
        })
}

/// The RUN instruction a range lies in: the one holding its start (a cursor in the indentation
/// before the keyword counts), when the range ends before the next instruction begins.
fn run_at(source: &SourceFile, range: &Span) -> Option<usize> {
    let bytes = source.text.as_bytes();
    let start = range.start.min(bytes.len());
    let indentation = bytes[start..]
        .iter()
        .take_while(|byte| matches!(byte, b' ' | b'\t'))
        .count();
    let index = crate::lint::instruction_at(source, start)
        .or_else(|| crate::lint::instruction_at(source, start + indentation))?;
    let instructions = source.instructions();
    let ends_inside = instructions
        .get(index + 1)
        .is_none_or(|next| range.end < next.span.start);
    (instructions[index].keyword == Keyword::Run && ends_inside).then_some(index)
}

/// "Split RUN at &&": a RUN whose script is an `&&` chain becomes one RUN per command, with
/// the same flags. Not offered when a command changes the shell's state for the next one
/// (`cd /src && make` would lose its `cd`), or for heredocs, exec form and non-POSIX shells.
pub fn split_run(source: &SourceFile, offset: usize) -> Option<Action> {
    let index = crate::lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[index];
    if instruction.keyword != Keyword::Run
        || !instruction.heredocs.is_empty()
        || !layers::posix(source, index)
    {
        return None;
    }
    let script = &layers::command_line(source, index)?.script;
    let syntax = &script.syntax;
    if syntax.statements.len() < 2
        || syntax.has_error
        || syntax.has_comment
        || syntax
            .top_level
            .iter()
            .any(|connector| *connector != Connector::And)
    {
        return None;
    }
    let last = syntax.statements.len() - 1;
    for range in &syntax.statements[..last] {
        if shell::parse_cached(&script.text[range.clone()]).changes_state {
            return None;
        }
    }
    let head = source.slice(&(instruction.span.start..instruction.arguments_span().start));
    let indent = source.indent_before(instruction.span.start);
    let newline = source.line_break();
    let comments: Vec<&Comment> = source
        .file
        .comments
        .iter()
        .filter(|comment| {
            comment.inside_instruction
                && comment.span.start > instruction.span.start
                && comment.span.end <= instruction.span.end
        })
        .collect();
    let mut text = String::new();
    let mut previous_end = instruction.span.start;
    for (number, range) in syntax.statements.iter().enumerate() {
        let span = script.span(range.clone());
        for comment in comments
            .iter()
            .filter(|comment| comment.span.start >= previous_end && comment.span.end <= span.start)
        {
            text.push_str(source.slice(&comment.span));
            text.push_str(newline);
            text.push_str(indent);
        }
        text.push_str(head);
        text.push_str(source.slice(&span).trim());
        if number < last {
            text.push_str(newline);
            text.push_str(indent);
        }
        previous_end = span.end;
    }
    Some(Action {
        title: format!(
            "Split RUN at && into {} RUN instructions",
            syntax.statements.len()
        ),
        kind: ActionKind::Refactor,
        edits: vec![Edit::replace(instruction.head_span(), text)],
        preferred: false,
        diagnostics: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::apply_edits;

    fn apply(text: &str, action: &Action) -> String {
        apply_edits(text, &action.edits).0
    }

    /// The findings of `text`, with their fixes.
    fn findings(text: &str) -> Vec<Diagnostic> {
        crate::lint::lint(
            &SourceFile::parse(text),
            &Default::default(),
            crate::knowledge::distros::AS_OF,
        )
    }

    fn titles(actions: &[Action]) -> Vec<&str> {
        actions.iter().map(|action| action.title.as_str()).collect()
    }

    #[test]
    fn a_selection_over_many_findings_of_a_rule_gets_one_action_for_the_rule() {
        let text = "FROM registry.example/base:1.0 AS one\nMAINTAINER me\nFROM registry.example/base:1.0 AS two\nFROM registry.example/base:1.0\nRUN true\n";
        let findings = findings(text);
        let unused = |finding: &&Diagnostic| finding.rule.name == "UnusedStage";
        assert_eq!(findings.iter().filter(unused).count(), 2);
        // The whole file: one action for both unused stages; the single MAINTAINER keeps its
        // own fix and names its finding; its "skip here" comes last.
        let actions = quick_fixes(&findings, &(0..text.len()), &[]);
        assert_eq!(
            titles(&actions),
            vec![
                "Fix all 2 UnusedStage findings in the selection",
                "Replace with the org.opencontainers.image.authors label",
                "Skip MaintainerDeprecated here",
            ]
        );
        assert!(actions[0].diagnostics.is_empty());
        assert!(!actions[0].preferred);
        assert_eq!(actions[1].diagnostics.len(), 1);
        assert_eq!(
            apply(text, &actions[0]),
            "FROM registry.example/base:1.0\nRUN true\n"
        );
        // At one stage's name: that stage's own fix, tied to its finding.
        let at = text.find("two").unwrap();
        let actions = quick_fixes(&findings, &(at..at), &[]);
        assert_eq!(titles(&actions), vec!["Remove stage \"two\""]);
        assert_eq!(actions[0].diagnostics.len(), 1);
    }

    #[test]
    fn skip_comments_are_offered_near_a_few_findings_only() {
        // One finding: its skip action, after its fix.
        let text = "FROM a\nMAINTAINER me\n";
        let actions = quick_fixes(&findings(text), &(8..8), &[]);
        assert_eq!(
            titles(&actions),
            vec![
                "Replace with the org.opencontainers.image.authors label",
                "Skip MaintainerDeprecated here"
            ]
        );
        // A selection over many findings: the rule's group action, and no skip actions.
        let text: String = std::iter::once("FROM a\n")
            .chain(std::iter::repeat_n("MAINTAINER me\nCMD x\n", 6))
            .collect();
        let actions = quick_fixes(&findings(&text), &(0..text.len()), &[]);
        assert!(
            actions
                .iter()
                .all(|action| !action.title.starts_with("Skip"))
        );
        assert!(!actions.is_empty());
    }

    #[test]
    fn the_fix_engine_never_applies_a_skip_comment() {
        // SecretsUsedInArgOrEnv has no fix but the skip comment.
        let text = "FROM a\nARG GITHUB_TOKEN\n";
        let settings = crate::lint::Settings::default();
        let today = crate::knowledge::distros::AS_OF;
        let options = FixOptions {
            unsafe_fixes: true,
            ..FixOptions::default()
        };
        let fixed = fix::fix_text(text, &settings, today, options);
        assert_eq!(fixed.text, text);
        assert_eq!(fixed.unsafe_held_back, 0);
        let findings = findings(text);
        let secret = findings
            .iter()
            .find(|finding| finding.rule.name == "SecretsUsedInArgOrEnv")
            .unwrap();
        assert!(secret.fixes.iter().any(|fix| fix.suppresses));
        assert!(fix::chosen_fix(secret, true).is_none());
    }

    #[test]
    fn fix_all_edits_reach_the_fix_engines_result_and_leave_other_lines_alone() {
        // The MAINTAINER fix and the layer fixes: the update moves into the install's RUN,
        // and only then can the next round clean up there, which one pass of fix-all missed.
        let text = "FROM debian:bookworm-slim\nMAINTAINER me\nRUN apt-get update\nRUN apt-get install -y curl\nLABEL a=b\n";
        let source = SourceFile::parse(text);
        let settings = crate::lint::Settings::default();
        let today = crate::knowledge::distros::AS_OF;
        let findings = crate::lint::lint(&source, &settings, today);
        let engine = fix::fix_text(text, &settings, today, FixOptions::default());
        assert!(engine.rounds >= 2, "{engine:?}");
        let action = fix_all(&source, &findings, &settings, today).expect("offered");
        assert_eq!(action.kind, ActionKind::FixAll);
        assert_eq!(apply(text, &action), engine.text);
        let untouched = text.find("LABEL").unwrap();
        assert!(action.edits.iter().all(|edit| edit.span.end <= untouched));
        // Once fixed, nothing is left to offer.
        let fixed = SourceFile::parse(&engine.text);
        let left = crate::lint::lint(&fixed, &settings, today);
        assert!(fix_all(&fixed, &left, &settings, today).is_none());
    }

    #[test]
    fn suppressions_come_after_the_repairs_and_are_never_grouped() {
        let text = "FROM registry.example/base:1.0\nMAINTAINER a\nMAINTAINER b\n";
        let findings = findings(text);
        let at = text.find("MAINTAINER a").unwrap();
        let titles_at = |range: &Span| {
            quick_fixes(&findings, range, &[])
                .into_iter()
                .map(|action| action.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            titles_at(&(at..at)),
            vec![
                "Replace with the org.opencontainers.image.authors label",
                "Skip MaintainerDeprecated here"
            ]
        );
        // A selection over both: the repairs grouped, nothing silenced.
        assert_eq!(
            titles_at(&(0..text.len())),
            vec!["Fix all 2 MaintainerDeprecated findings in the selection"]
        );
        let group = &quick_fixes(&findings, &(0..text.len()), &[])[0];
        assert!(
            group
                .edits
                .iter()
                .all(|edit| !edit.new_text.contains("check=skip"))
        );
    }

    #[test]
    fn listed_findings_get_their_fixes_wherever_the_range_is() {
        // Neovim's request: the cursor at column 0, the line's findings listed.
        let text = "FROM alpine:3.20\nRUN apk add curl\n";
        let findings = findings(text);
        let cache = findings
            .iter()
            .position(|finding| finding.rule.name == "PackageCacheNotCleaned")
            .expect("a cache finding");
        let line_start = text.find("RUN").unwrap();
        assert!(quick_fixes(&findings, &(line_start..line_start), &[]).is_empty());
        let actions = quick_fixes(&findings, &(line_start..line_start), &[cache]);
        assert!(
            titles(&actions).contains(&"Clean the apk cache in this layer"),
            "{:?}",
            titles(&actions)
        );
        assert!(
            actions
                .iter()
                .all(|action| action.diagnostics == vec![cache])
        );
        // Listed and under the range: offered once.
        let at = text.find("apk").unwrap();
        assert_eq!(
            quick_fixes(&findings, &(at..at), &[cache]),
            quick_fixes(&findings, &(at..at), &[])
        );
        // An index that names nothing is ignored.
        assert!(quick_fixes(&findings, &(line_start..line_start), &[99]).is_empty());
    }

    #[test]
    fn every_run_of_a_group_offers_to_merge_with_its_neighbour() {
        let text = "FROM a\nRUN one\n  RUN two\nRUN three\nCOPY x y\nRUN alone\n";
        let source = SourceFile::parse(text);
        let at = |needle: &str| text.find(needle).unwrap();
        // The first RUN, cursor at column 0: merged with the second only.
        let first = merge_neighbour_run(&source, &(at("RUN one")..at("RUN one")))
            .expect("offered on the first RUN");
        assert_eq!(first.title, "Merge with the next RUN");
        assert_eq!(first.kind, ActionKind::Refactor);
        assert_eq!(
            apply(text, &first),
            "FROM a\nRUN one \\\n    && two\nRUN three\nCOPY x y\nRUN alone\n"
        );
        // The middle one, cursor in its indentation: with the next.
        let line = at("  RUN two");
        let middle = merge_neighbour_run(&source, &(line..line)).expect("offered in the middle");
        assert_eq!(middle.title, "Merge with the next RUN");
        assert_eq!(
            apply(text, &middle),
            "FROM a\nRUN one\n  RUN two \\\n    && three\nCOPY x y\nRUN alone\n"
        );
        // The last one, cursor at its end: with the previous.
        let end = at("three") + "three".len();
        let last = merge_neighbour_run(&source, &(end..end)).expect("offered on the last");
        assert_eq!(last.title, "Merge with the previous RUN");
        assert_eq!(last.edits, middle.edits);
        // A RUN of no group, another instruction, a selection over two RUNs: nothing.
        for range in [
            at("alone")..at("alone"),
            at("COPY")..at("COPY"),
            at("one")..at("two"),
        ] {
            assert!(merge_neighbour_run(&source, &range).is_none(), "{range:?}");
        }
        // A selection within one RUN is fine.
        assert!(merge_neighbour_run(&source, &(at("RUN one")..at("one") + 3)).is_some());
    }

    #[test]
    fn a_run_whose_next_cannot_merge_offers_the_previous() {
        // The third RUN has a heredoc: the second merges with the first instead.
        let text = "FROM a\nRUN one\nRUN two\nRUN <<EOF\nthree\nEOF\n";
        let source = SourceFile::parse(text);
        let at = text.find("two").unwrap();
        let action = merge_neighbour_run(&source, &(at..at)).expect("offered");
        assert_eq!(action.title, "Merge with the previous RUN");
        assert_eq!(
            apply(text, &action),
            "FROM a\nRUN one \\\n    && two\nRUN <<EOF\nthree\nEOF\n"
        );
        let at = text.find("<<EOF").unwrap();
        assert!(merge_neighbour_run(&source, &(at..at)).is_none());
    }

    #[test]
    fn findings_sharing_one_fix_are_not_grouped() {
        // Three RUNs: two findings, one merge.
        let text = "FROM registry.example/base:1.0\nRUN a\nRUN b\nRUN c\n";
        let actions = quick_fixes(&findings(text), &(0..text.len()), &[]);
        assert_eq!(titles(&actions), vec!["Merge 3 RUN instructions"]);
        assert_eq!(actions[0].diagnostics.len(), 2);
    }

    #[test]
    fn split_at_and_keeps_flags_and_comments() {
        let text = "FROM a\n  RUN --mount=type=cache,target=/x apt-get update \\\n      # then\n      && apt-get install -y \\\n         curl\n";
        let source = SourceFile::parse(text);
        let action = split_run(&source, text.find("update").unwrap()).expect("offered");
        assert_eq!(action.kind, ActionKind::Refactor);
        assert_eq!(
            apply(text, &action),
            "FROM a\n  RUN --mount=type=cache,target=/x apt-get update\n  # then\n  RUN --mount=type=cache,target=/x apt-get install -y \\\n         curl\n"
        );
    }

    #[test]
    fn split_is_refused_where_it_would_change_meaning() {
        for text in [
            "FROM a\nRUN cd /src && make\n",
            "FROM a\nRUN a; b\n",
            "FROM a\nRUN a || b\n",
            "FROM a\nRUN single\n",
            "FROM a\nRUN [\"a\", \"&&\", \"b\"]\n",
        ] {
            let source = SourceFile::parse(text);
            assert!(
                split_run(&source, text.find("RUN").unwrap() + 1).is_none(),
                "{text}"
            );
        }
        // The last command may change state: nothing runs after it.
        let text = "FROM a\nRUN make && cd /out\n";
        assert!(split_run(&SourceFile::parse(text), 8).is_some());
    }

    #[test]
    fn merge_all_then_split_round_trips_the_commands() {
        let text = "FROM a\nRUN one\nRUN two\nCOPY x y\nRUN three\nRUN four\n";
        let source = SourceFile::parse(text);
        let merged = apply(text, &merge_all_runs(&source).expect("offered"));
        assert_eq!(
            merged,
            "FROM a\nRUN one \\\n    && two\nCOPY x y\nRUN three \\\n    && four\n"
        );
        let again = SourceFile::parse(&merged);
        let split = apply(
            &merged,
            &split_run(&again, merged.find("one").unwrap()).expect("offered"),
        );
        assert_eq!(
            split,
            "FROM a\nRUN one\nRUN two\nCOPY x y\nRUN three \\\n    && four\n"
        );
    }
}
