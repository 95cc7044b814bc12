//! The labels a `LABEL` instruction sets, read as BuildKit stores them (quotes removed,
//! variables expanded), for the label rules.

use crate::lint::Context;
use crate::syntax::{Instruction, Keyword, Scope};
use crate::text::Span;

/// One `key=value` of a `LABEL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The key as BuildKit stores it; `None` when it names a variable whose value cannot be
    /// known here.
    pub key: Option<String>,
    /// The value as BuildKit stores it; `None` when it cannot be known here.
    pub value: Option<String>,
    /// The key names a variable that is not declared at all, which BuildKit expands to
    /// nothing (`LABEL a$b=1` sets `a`).
    pub key_uses_undeclared: bool,
    /// Where the key is written.
    pub key_span: Span,
    /// Where the value is written.
    pub value_span: Span,
}

/// The labels `instruction` (number `index`) sets, when it is a `LABEL`. `ONBUILD LABEL`
/// sets nothing in this image and gives nothing here; pass its `effective()` instruction to
/// read the labels it gives the images built from this one.
pub fn labels(context: &Context, index: usize, instruction: &Instruction) -> Vec<Label> {
    if instruction.keyword != Keyword::Label {
        return Vec::new();
    }
    let escape = context.source.file.escape;
    // The scope costs a walk of the stage: only words that name variables need it.
    let needs_scope = instruction
        .values
        .iter()
        .any(|word| word.text.contains('$'));
    let scope = if needs_scope {
        context.source.stages.scope_at(&context.source.file, index)
    } else {
        Scope::default()
    };
    instruction
        .values
        .chunks(2)
        .filter_map(|pair| {
            let [key, value] = pair else {
                return None;
            };
            let undeclared = key.text.contains('$')
                && scope
                    .expand(&key.text, escape)
                    .is_ok_and(|resolution| !resolution.undefined.is_empty());
            Some(Label {
                key: scope.resolve(&key.text, escape),
                key_uses_undeclared: undeclared,
                value: scope.resolve(&value.text, escape),
                key_span: key.span.clone(),
                value_span: value.span.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::distros::AS_OF;
    use crate::lint::Settings;
    use crate::syntax::SourceFile;

    fn read(text: &str, index: usize) -> Vec<(Option<String>, Option<String>)> {
        let source = SourceFile::parse(text);
        let settings = Settings::default();
        let context = Context::new(&source, &settings, AS_OF);
        labels(&context, index, &source.instructions()[index])
            .into_iter()
            .map(|label| (label.key, label.value))
            .collect()
    }

    #[test]
    fn labels_read_as_buildkit_stores_them() {
        let some = |text: &str| Some(text.to_string());
        assert_eq!(
            read(
                "FROM a\nARG V=1.2\nARG OPEN\nLABEL \"a\"=\"b c\" version=$V other=${OPEN} 'd'='$V'\n",
                3
            ),
            vec![
                (some("a"), some("b c")),
                (some("version"), some("1.2")),
                (some("other"), None),
                (some("d"), some("$V")),
            ]
        );
        assert_eq!(
            read("FROM a\nLABEL legacy value with spaces\n", 1),
            vec![(some("legacy"), some("value with spaces"))]
        );
        assert!(read("FROM a\nONBUILD LABEL a=b\n", 1).is_empty());
    }
}
