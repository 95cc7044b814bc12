//! Navigation: definition, references, document highlights and rename for stage names (`AS`,
//! `FROM`, `COPY --from`, `RUN --mount=from=`), `ARG`/`ENV` variables (with BuildKit's scoping,
//! see [`variables`]) and heredoc delimiters.
//!
//! Rename keeps the file meaning what it meant: a variable is renamed with every declaration it
//! shares a value with (all ARGs of one name answer to one `--build-arg`; a name declared again
//! in a stage, or in a stage based on it, is the same variable), and names BuildKit gives a
//! value to, or that would clash, are refused with the reason.
//!
//! [`variables`]: super::variables

use crate::lint::Edit;
use crate::syntax::stages::{RESERVED_STAGE_NAMES, VariableKind, is_predefined_arg};
use crate::syntax::variables::{Resolved, VariableIndex};
use crate::syntax::{SourceFile, Target};
use crate::text::Span;

/// What a name under the cursor stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    Stage(usize),
    /// The declaration family of a variable (any declaration of it).
    Variable(usize),
    /// A platform or proxy ARG BuildKit defines.
    Predefined(String),
    /// Heredoc number `heredoc` of instruction `instruction`.
    Heredoc {
        instruction: usize,
        heredoc: usize,
    },
}

/// One place a symbol's name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    /// Where the name is declared (`AS name`, `ARG NAME`, `ENV NAME=`, `<<EOF`).
    pub declaration: bool,
    /// Renaming the symbol rewrites this one (a stage referenced by index is not).
    pub renamable: bool,
}

fn holds(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The stage a reference text names, when it names it by its name (not by index).
fn names_stage(text: &str, name: &str) -> bool {
    text.eq_ignore_ascii_case(name)
}

/// The heredoc markers (`<<EOF`, `<<-"EOF"`) of instruction `index`: the span of each name.
fn heredoc_markers(source: &SourceFile, index: usize) -> Vec<Span> {
    let instruction = &source.instructions()[index];
    let logical = &instruction.logical;
    let text = logical.text.as_bytes();
    let mut markers = Vec::new();
    let mut wanted = instruction.heredocs.iter();
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&text[at..], b"<<") {
        let mut start = at + found + 2;
        at = start;
        let Some(heredoc) = wanted.as_slice().first() else {
            break;
        };
        if text.get(start) == Some(&b'-') {
            start += 1;
        }
        while text
            .get(start)
            .is_some_and(|byte| matches!(byte, b'"' | b'\''))
        {
            start += 1;
        }
        let name = heredoc.name.as_bytes();
        if text.get(start..start + name.len()) == Some(name) {
            markers.push(logical.document_span(start..start + name.len()));
            wanted.next();
            at = start + name.len();
        }
    }
    markers
}

/// The name part of a heredoc's terminator line (after the tabs `<<-` strips).
fn terminator_name(source: &SourceFile, index: usize, heredoc: usize) -> Option<Span> {
    let heredoc = source.instructions()[index].heredocs.get(heredoc)?;
    let end = heredoc.end_span.end;
    let start = end.checked_sub(heredoc.name.len())?;
    (start >= heredoc.end_span.start && !heredoc.end_span.is_empty()).then_some(start..end)
}

/// The symbol whose name holds `offset`.
pub fn symbol_at(source: &SourceFile, index: &VariableIndex, offset: usize) -> Option<Symbol> {
    if let Some(reference) = index.reference_at(offset) {
        return match reference.resolved {
            Resolved::Declaration(declaration) => Some(Symbol::Variable(declaration)),
            Resolved::Predefined => Some(Symbol::Predefined(reference.name.clone())),
            Resolved::Unknown => None,
        };
    }
    if let Some(declaration) = index.declaration_at(offset) {
        return Some(Symbol::Variable(declaration));
    }
    for stage in &source.stages.stages {
        if stage
            .name
            .as_ref()
            .is_some_and(|name| holds(&name.span, offset))
        {
            return Some(Symbol::Stage(stage.index));
        }
        for dependency in &stage.dependencies {
            if holds(&dependency.span, offset)
                && let Target::Stage(target) = dependency.target
            {
                return Some(Symbol::Stage(target));
            }
        }
    }
    let at = crate::lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[at];
    for (number, marker) in heredoc_markers(source, at).iter().enumerate() {
        if holds(marker, offset) {
            return Some(Symbol::Heredoc {
                instruction: at,
                heredoc: number,
            });
        }
    }
    for number in 0..instruction.heredocs.len() {
        if terminator_name(source, at, number).is_some_and(|span| holds(&span, offset)) {
            return Some(Symbol::Heredoc {
                instruction: at,
                heredoc: number,
            });
        }
    }
    None
}

/// Every occurrence of `symbol`, in document order.
pub fn occurrences(source: &SourceFile, index: &VariableIndex, symbol: &Symbol) -> Vec<Occurrence> {
    let mut found = Vec::new();
    match symbol {
        Symbol::Stage(target) => {
            let stage = &source.stages.stages[*target];
            let name = stage.name.as_ref().map(|name| name.text.as_str());
            if let Some(word) = &stage.name {
                found.push(Occurrence {
                    span: word.span.clone(),
                    declaration: true,
                    renamable: true,
                });
            }
            for other in &source.stages.stages {
                for dependency in &other.dependencies {
                    if dependency.target != Target::Stage(*target) {
                        continue;
                    }
                    let written = source.slice(&dependency.span);
                    // A reference through a variable is not this name written out.
                    if written.contains('$') {
                        continue;
                    }
                    found.push(Occurrence {
                        span: dependency.span.clone(),
                        declaration: false,
                        renamable: name.is_some_and(|name| names_stage(written, name)),
                    });
                }
            }
        }
        Symbol::Variable(declaration) => {
            for (at, candidate) in index.declarations.iter().enumerate() {
                if index.same_variable(at, *declaration) {
                    found.push(Occurrence {
                        span: candidate.span.clone(),
                        declaration: true,
                        renamable: true,
                    });
                }
            }
            for reference in &index.references {
                if let Resolved::Declaration(target) = reference.resolved
                    && index.same_variable(target, *declaration)
                {
                    found.push(Occurrence {
                        span: reference.span.clone(),
                        declaration: false,
                        renamable: true,
                    });
                }
            }
        }
        Symbol::Predefined(name) => {
            for reference in &index.references {
                if reference.resolved == Resolved::Predefined && reference.name == *name {
                    found.push(Occurrence {
                        span: reference.span.clone(),
                        declaration: false,
                        renamable: false,
                    });
                }
            }
        }
        Symbol::Heredoc {
            instruction,
            heredoc,
        } => {
            if let Some(marker) = heredoc_markers(source, *instruction).get(*heredoc) {
                found.push(Occurrence {
                    span: marker.clone(),
                    declaration: true,
                    renamable: true,
                });
            }
            if let Some(span) = terminator_name(source, *instruction, *heredoc) {
                found.push(Occurrence {
                    span,
                    declaration: false,
                    renamable: true,
                });
            }
        }
    }
    found.sort_by_key(|occurrence| occurrence.span.start);
    found.dedup_by_key(|occurrence| occurrence.span.clone());
    found
}

/// Where the thing under the cursor is declared.
pub fn definition(source: &SourceFile, offset: usize) -> Vec<Span> {
    let index = source.variables();
    let Some(symbol) = symbol_at(source, index, offset) else {
        return Vec::new();
    };
    match symbol {
        Symbol::Stage(target) => {
            let stage = &source.stages.stages[target];
            let span = stage
                .name
                .as_ref()
                .or(stage.image.as_ref())
                .map(|word| word.span.clone())
                .unwrap_or_else(|| source.instructions()[stage.from].keyword_word.span.clone());
            vec![span]
        }
        Symbol::Variable(declaration) => {
            // On a reference: the declaration in scope. On `ARG NAME` in a stage, which takes
            // its value from the global ARG: that global ARG.
            let on_reference = index.reference_at(offset).is_some();
            let found = &index.declarations[declaration];
            if !on_reference && found.kind == VariableKind::Arg && !found.has_value {
                let global = index.declarations.iter().find(|candidate| {
                    candidate.kind == VariableKind::GlobalArg && candidate.name == found.name
                });
                if let Some(global) = global {
                    return vec![global.span.clone()];
                }
            }
            vec![found.span.clone()]
        }
        Symbol::Predefined(_) => Vec::new(),
        Symbol::Heredoc {
            instruction,
            heredoc,
        } => heredoc_markers(source, instruction)
            .get(heredoc)
            .cloned()
            .into_iter()
            .collect(),
    }
}

/// Every place the thing under the cursor is written; declarations only when asked for.
pub fn references(source: &SourceFile, offset: usize, include_declaration: bool) -> Vec<Span> {
    let index = source.variables();
    let Some(symbol) = symbol_at(source, index, offset) else {
        return Vec::new();
    };
    occurrences(source, index, &symbol)
        .into_iter()
        .filter(|occurrence| include_declaration || !occurrence.declaration)
        .map(|occurrence| occurrence.span)
        .collect()
}

/// The occurrences to highlight for the name under the cursor.
pub fn highlights(source: &SourceFile, offset: usize) -> Vec<Occurrence> {
    let index = source.variables();
    match symbol_at(source, index, offset) {
        Some(symbol) => occurrences(source, index, &symbol),
        None => Vec::new(),
    }
}

/// What a rename starts from: the name under the cursor and its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    pub span: Span,
    pub name: String,
}

/// The name that can be renamed at `offset`; `Ok(None)` when there is nothing there, `Err`
/// with the reason when there is a name that cannot be renamed.
pub fn prepare_rename(source: &SourceFile, offset: usize) -> Result<Option<RenameTarget>, String> {
    let index = source.variables();
    Ok(rename_target(source, index, offset)?.map(|(_, target, _)| target))
}

/// The symbol at `offset`, where its name is and all its occurrences, if it can be renamed.
fn rename_target(
    source: &SourceFile,
    index: &VariableIndex,
    offset: usize,
) -> Result<Option<(Symbol, RenameTarget, Vec<Occurrence>)>, String> {
    let Some(symbol) = symbol_at(source, index, offset) else {
        return Ok(None);
    };
    let all = occurrences(source, index, &symbol);
    let Some(here) = all
        .iter()
        .find(|occurrence| holds(&occurrence.span, offset))
    else {
        return Ok(None);
    };
    match &symbol {
        Symbol::Predefined(name) => {
            return Err(format!(
                "{name} is defined by BuildKit and cannot be renamed"
            ));
        }
        Symbol::Variable(declaration) => {
            let name = &index.declarations[*declaration].name;
            if is_predefined_arg(name) {
                return Err(format!(
                    "{name} gets its value from BuildKit; renaming it would lose that value"
                ));
            }
        }
        Symbol::Stage(target) if source.stages.stages[*target].name.is_none() => {
            return Err("this stage has no name; add `AS name` to its FROM to rename it".into());
        }
        Symbol::Stage(_) if !here.renamable => {
            return Err("this refers to the stage by index; rename the stage at its `AS`".into());
        }
        _ => {}
    }
    let target = RenameTarget {
        span: here.span.clone(),
        name: source.slice(&here.span).to_string(),
    };
    Ok(Some((symbol, target, all)))
}

fn is_identifier(name: &str, extra: &[u8]) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(|first| {
        first.is_ascii_alphabetic() || (*first == b'_' && !extra.contains(&b'.'))
    }) && bytes
        .iter()
        .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'_' || extra.contains(byte))
}

/// The edits that rename the name at `offset` to `new_name`, or why they cannot be made.
pub fn rename(source: &SourceFile, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
    let index = source.variables();
    let Some((symbol, target, all)) = rename_target(source, index, offset)? else {
        return Err("there is nothing to rename here".into());
    };
    match &symbol {
        Symbol::Stage(target_stage) => check_stage_name(source, *target_stage, new_name)?,
        Symbol::Variable(declaration) => check_variable_name(index, *declaration, new_name)?,
        Symbol::Heredoc {
            instruction,
            heredoc,
        } => check_heredoc_name(source, *instruction, *heredoc, new_name)?,
        Symbol::Predefined(_) => return Err("this name cannot be renamed".into()),
    }
    if new_name == target.name {
        return Ok(Vec::new());
    }
    Ok(all
        .into_iter()
        .filter(|occurrence| occurrence.renamable)
        .map(|occurrence| Edit::replace(occurrence.span, new_name))
        .collect())
}

fn check_stage_name(source: &SourceFile, target: usize, new_name: &str) -> Result<(), String> {
    // BuildKit: `^[a-z][a-z0-9-_.]*$`, compared in lower case.
    if !is_identifier(new_name, b"-_.") || !new_name.as_bytes()[0].is_ascii_alphabetic() {
        return Err(format!(
            "\"{new_name}\" is not a valid stage name: start with a letter, then use letters, digits, '-', '_' or '.'"
        ));
    }
    let key = new_name.to_ascii_lowercase();
    if RESERVED_STAGE_NAMES.contains(&key.as_str()) {
        return Err(format!("\"{new_name}\" is reserved by BuildKit"));
    }
    let taken = source
        .stages
        .stages
        .iter()
        .any(|stage| stage.index != target && stage.key.as_deref() == Some(key.as_str()));
    if taken {
        return Err(format!("a stage named \"{new_name}\" already exists"));
    }
    Ok(())
}

fn check_variable_name(
    index: &VariableIndex,
    declaration: usize,
    new_name: &str,
) -> Result<(), String> {
    if !is_identifier(new_name, b"") {
        return Err(format!(
            "\"{new_name}\" is not a valid variable name: start with a letter or '_', then use letters, digits or '_'"
        ));
    }
    if is_predefined_arg(new_name) {
        return Err(format!("{new_name} is defined by BuildKit"));
    }
    let clash = index
        .declarations
        .iter()
        .enumerate()
        .any(|(at, candidate)| candidate.name == new_name && !index.same_variable(at, declaration));
    let used = index
        .references
        .iter()
        .any(|reference| reference.name == new_name);
    if clash || used {
        return Err(format!(
            "the name {new_name} is already used in this file; renaming would mix the two"
        ));
    }
    Ok(())
}

fn check_heredoc_name(
    source: &SourceFile,
    instruction: usize,
    heredoc: usize,
    new_name: &str,
) -> Result<(), String> {
    if !is_identifier(new_name, b"") {
        return Err(format!(
            "\"{new_name}\" is not a good heredoc delimiter: use letters, digits and '_'"
        ));
    }
    let instruction = &source.instructions()[instruction];
    let Some(this) = instruction.heredocs.get(heredoc) else {
        return Err("there is nothing to rename here".into());
    };
    // A body line equal to the new delimiter would end the heredoc early.
    let ends_early = this.content.lines().any(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if this.chomp {
            line.trim_start_matches('\t')
        } else {
            line
        };
        line == new_name
    });
    if ends_early {
        return Err(format!(
            "the body has a line \"{new_name}\": it would end the heredoc there"
        ));
    }
    let taken = instruction
        .heredocs
        .iter()
        .enumerate()
        .any(|(at, other)| at != heredoc && other.name == new_name);
    if taken {
        return Err(format!(
            "this instruction already has a heredoc named {new_name}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::apply_edits;

    /// The fixture with `$0` removed and the offset where it was.
    fn fixture(text: &str) -> (SourceFile, usize) {
        let offset = text.find("$0").expect("cursor");
        (SourceFile::parse(&text.replacen("$0", "", 1)), offset)
    }

    fn texts(source: &SourceFile, spans: &[Span]) -> Vec<(usize, String)> {
        spans
            .iter()
            .map(|span| {
                let line = source.text[..span.start].matches('\n').count();
                (line, source.slice(span).to_string())
            })
            .collect()
    }

    #[test]
    fn stage_names_in_as_from_copy_and_mount() {
        let text = "FROM alpine AS Bui$0lder\nFROM builder\nFROM scratch\nCOPY --from=builder /a /a\nCOPY --from=0 /b /b\nRUN --mount=type=cache,from=BUILDER,target=/c true\n";
        let (source, offset) = fixture(text);
        let found = references(&source, offset, true);
        assert_eq!(
            texts(&source, &found),
            vec![
                (0, "Builder".into()),
                (1, "builder".into()),
                (3, "builder".into()),
                (4, "0".into()),
                (5, "BUILDER".into()),
            ]
        );
        let at_copy = source.text.find("=builder").unwrap() + 3;
        assert_eq!(
            texts(&source, &definition(&source, at_copy)),
            vec![(0, "Builder".into())]
        );
        let edits = rename(&source, at_copy, "build").unwrap();
        let (renamed, _) = apply_edits(&source.text, &edits);
        assert_eq!(
            renamed,
            "FROM alpine AS build\nFROM build\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nRUN --mount=type=cache,from=build,target=/c true\n"
        );
        let by_index = source.text.find("=0").unwrap() + 1;
        assert!(
            prepare_rename(&source, by_index)
                .unwrap_err()
                .contains("index")
        );
    }

    #[test]
    fn stage_rename_refuses_bad_names() {
        let (source, offset) = fixture("FROM a AS o$0ne\nFROM b AS two\nCOPY --from=one /a /a\n");
        assert!(
            rename(&source, offset, "Two")
                .unwrap_err()
                .contains("already exists")
        );
        assert!(
            rename(&source, offset, "scratch")
                .unwrap_err()
                .contains("reserved")
        );
        assert!(
            rename(&source, offset, "9lives")
                .unwrap_err()
                .contains("not a valid")
        );
        assert!(
            rename(&source, offset, "with space")
                .unwrap_err()
                .contains("not a valid")
        );
        assert_eq!(rename(&source, offset, "first.stage-1").unwrap().len(), 2);
    }

    #[test]
    fn variables_follow_buildkit_scoping() {
        let text = "ARG VER$0SION=1\nFROM alpine:${VERSION} AS a\nARG VERSION\nRUN echo $VERSION\nFROM alpine\nRUN echo $VERSION\n";
        let (source, offset) = fixture(text);
        let found = references(&source, offset, true);
        // The last RUN's stage never declares VERSION: that one is something else (empty).
        assert_eq!(
            texts(&source, &found),
            vec![
                (0, "VERSION".into()),
                (1, "VERSION".into()),
                (2, "VERSION".into()),
                (3, "VERSION".into()),
            ]
        );
        // From the use in the stage to its declaration there, and on to the global one.
        let use_in_stage = source.text.find("echo $VERSION").unwrap() + 7;
        assert_eq!(
            texts(&source, &definition(&source, use_in_stage)),
            vec![(2, "VERSION".into())]
        );
        let redeclared = source.text.find("ARG VERSION\n").unwrap() + 5;
        assert_eq!(
            texts(&source, &definition(&source, redeclared)),
            vec![(0, "VERSION".into())]
        );
        let edits = rename(&source, use_in_stage, "APP_VERSION").unwrap();
        let (renamed, _) = apply_edits(&source.text, &edits);
        assert_eq!(
            renamed,
            "ARG APP_VERSION=1\nFROM alpine:${APP_VERSION} AS a\nARG APP_VERSION\nRUN echo $APP_VERSION\nFROM alpine\nRUN echo $VERSION\n"
        );
    }

    #[test]
    fn env_highlights_and_refusals() {
        let text = "FROM a AS base\nENV HO$0ME_DIR=/app\nWORKDIR $HOME_DIR\nFROM base\nRUN cd \"${HOME_DIR}\" && echo $TARGETARCH $HTTP_PROXY\n";
        let (source, offset) = fixture(text);
        let found = highlights(&source, offset);
        assert_eq!(found.len(), 3);
        assert!(found[0].declaration && !found[1].declaration);
        assert!(
            rename(&source, offset, "2BAD")
                .unwrap_err()
                .contains("not a valid")
        );
        assert!(
            rename(&source, offset, "TARGETOS")
                .unwrap_err()
                .contains("BuildKit")
        );
        let proxy = source.text.find("HTTP_PROXY").unwrap();
        assert!(
            prepare_rename(&source, proxy)
                .unwrap_err()
                .contains("BuildKit")
        );
        assert_eq!(references(&source, proxy, true).len(), 1);
        // TARGETARCH is not declared in the stage: it is empty there, nothing to navigate to.
        let arch = source.text.find("TARGETARCH").unwrap();
        assert!(references(&source, arch, true).is_empty());
    }

    #[test]
    fn variable_rename_refuses_a_name_in_use() {
        let (source, offset) = fixture("FROM a\nARG O$0NE=1\nARG TWO=2\nRUN echo $ONE $TWO\n");
        assert!(
            rename(&source, offset, "TWO")
                .unwrap_err()
                .contains("already used")
        );
        let (renamed, _) = apply_edits(&source.text, &rename(&source, offset, "FIRST").unwrap());
        assert_eq!(
            renamed,
            "FROM a\nARG FIRST=1\nARG TWO=2\nRUN echo $FIRST $TWO\n"
        );
    }

    #[test]
    fn heredoc_delimiters() {
        let text = "FROM a\nRUN <<-\"E$0OF\" bash\n\techo hi\n\tDONE\n\tEOF\nCOPY <<A <<B /x/\na\nA\nb\nB\n";
        let (source, offset) = fixture(text);
        let found = references(&source, offset, true);
        assert_eq!(
            texts(&source, &found),
            vec![(1, "EOF".into()), (4, "EOF".into())]
        );
        let (renamed, _) = apply_edits(&source.text, &rename(&source, offset, "END").unwrap());
        assert!(renamed.starts_with("FROM a\nRUN <<-\"END\" bash\n\techo hi\n\tDONE\n\tEND\n"));
        assert!(
            rename(&source, offset, "DONE")
                .unwrap_err()
                .contains("end the heredoc")
        );
        let second = source.text.find("\nB\n").unwrap() + 1;
        assert_eq!(
            texts(&source, &definition(&source, second)),
            vec![(5, "B".into())]
        );
        assert!(
            rename(&source, second, "A")
                .unwrap_err()
                .contains("already has")
        );
    }
}
