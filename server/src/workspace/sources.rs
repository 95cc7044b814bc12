//! The sources of `COPY` and `ADD` that name files of the build context, read as BuildKit
//! reads them: every argument but the last (the destination); variables expanded in the
//! instruction's scope. Left out, since they do not read the context: sources of an
//! instruction with `--from` (a stage, an image or a named context), URLs and Git
//! repositories (`ADD`), heredocs, and everything under `ONBUILD` (it runs in another build).

use crate::syntax::{Instruction, Keyword, SourceFile, Word};

use super::context::BuildContext;

/// One source word of a `COPY`/`ADD`.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    pub word: &'a Word,
    /// The instruction's index.
    pub instruction: usize,
    /// The path as BuildKit reads it (variables expanded), or `None` when that cannot be told
    /// here (a variable without a known value, or one a compose or bake build sets).
    pub path: Option<String>,
}

/// True for a source that names no file of the context: a URL or a Git repository.
pub fn is_remote(text: &str) -> bool {
    text.contains("://") || text.starts_with("git@")
}

/// The context sources of instruction `index` (empty for any other instruction).
pub fn sources<'a>(
    source: &'a SourceFile,
    index: usize,
    build: Option<&BuildContext>,
) -> Vec<Source<'a>> {
    let Some(instruction) = source.instructions().get(index) else {
        return Vec::new();
    };
    if !reads_context(instruction) {
        return Vec::new();
    }
    let Some((_, words)) = instruction.values.split_last() else {
        return Vec::new();
    };
    let escape = source.file.escape;
    let mut scope = None;
    let mut found = Vec::with_capacity(words.len());
    for word in words {
        if word.text.starts_with("<<") && !instruction.heredocs.is_empty() {
            continue;
        }
        if is_remote(&word.text) {
            continue;
        }
        let path = if word.text.contains(['$', '\'', '"', escape]) {
            expanded(source, index, word, build, escape, &mut scope)
        } else {
            Some(word.text.to_string())
        };
        found.push(Source {
            word,
            instruction: index,
            path,
        });
    }
    found
}

/// True for a `COPY`/`ADD` that reads the build context (no `--from`, not wrapped in ONBUILD,
/// with a destination).
fn reads_context(instruction: &Instruction) -> bool {
    matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
        && instruction.flag("from").is_none()
        && instruction.values.len() >= 2
}

/// The word with variables expanded in the instruction's scope (built once per instruction,
/// only for words that need it); `None` when a value is unknown, or a build argument a
/// compose or bake build sets changes it.
fn expanded(
    source: &SourceFile,
    index: usize,
    word: &Word,
    build: Option<&BuildContext>,
    escape: char,
    scope: &mut Option<crate::syntax::Scope>,
) -> Option<String> {
    if let Some(build) = build {
        let names = crate::syntax::expand::references(&word.text, escape);
        if names.iter().any(|used| build.sets_argument(&used.name)) {
            return None;
        }
    }
    let scope = scope.get_or_insert_with(|| source.stages.scope_at(&source.file, index));
    let resolution = scope.expand(&word.text, escape).ok()?;
    (resolution.unknown.is_empty() && resolution.undefined.is_empty()).then_some(resolution.text)
}

/// Every context source of the file, in order.
pub fn all_sources<'a>(
    source: &'a SourceFile,
    build: Option<&'a BuildContext>,
) -> impl Iterator<Item = Source<'a>> + 'a {
    (0..source.instructions().len()).flat_map(move |index| {
        let instruction = &source.instructions()[index];
        if !reads_context(instruction) {
            return Vec::new();
        }
        sources(source, index, build)
    })
}

/// The context source whose word holds byte `offset`, if any.
pub fn source_at<'a>(
    source: &'a SourceFile,
    offset: usize,
    build: Option<&BuildContext>,
) -> Option<Source<'a>> {
    let instructions = source.instructions();
    let after = instructions.partition_point(|instruction| instruction.span.start <= offset);
    let index = after.checked_sub(1)?;
    sources(source, index, build)
        .into_iter()
        .find(|found| found.word.span.start <= offset && offset <= found.word.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(String, Option<String>)> {
        let source = SourceFile::parse(text);
        all_sources(&source, None)
            .map(|found| (found.word.text.to_string(), found.path))
            .collect()
    }

    #[test]
    fn which_words_are_context_sources() {
        let text = "FROM a AS b\nARG DIR=src\nARG OPEN\nFROM a\nCOPY go.mod go.sum ./\nCOPY --from=b /x /y\nADD https://e.com/f.tgz git@github.com:a/b.git /z\nCOPY <<EOF /w\nhi\nEOF\nONBUILD COPY . /app\nCOPY single\nCOPY a\\ b /e\nARG DIR=lib\nCOPY $DIR/a ${OPEN}/b /r\n";
        assert_eq!(
            paths(text),
            vec![
                ("go.mod".to_string(), Some("go.mod".to_string())),
                ("go.sum".to_string(), Some("go.sum".to_string())),
                // BuildKit splits on whitespace before it reads escapes.
                ("a\\".to_string(), Some("a".to_string())),
                ("b".to_string(), Some("b".to_string())),
                ("$DIR/a".to_string(), Some("lib/a".to_string())),
                ("${OPEN}/b".to_string(), None),
            ]
        );
    }

    #[test]
    fn the_source_under_the_cursor() {
        let text = "FROM a\nCOPY src/main.go /app/\n";
        let source = SourceFile::parse(text);
        let at = text.find("main").unwrap();
        let found = source_at(&source, at, None).unwrap();
        assert_eq!(found.path.as_deref(), Some("src/main.go"));
        assert!(source_at(&source, text.find("/app").unwrap(), None).is_none());
    }
}
