//! LegacyKeyValueFormat: BuildKit's check for `ENV key value` and `LABEL key value`.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, Keyword, SourceFile};

pub static RULE: Rule = Rule {
    name: "LegacyKeyValueFormat",
    aliases: &[],
    severity: Severity::Warning,
    summary: "Legacy key/value format with whitespace separator should not be used",
    documentation: "\
## What it does
Flags `ENV` and `LABEL` written in the legacy form `ENV KEY value`, where the first run of \
whitespace separates the key from a value that runs to the end of the line. This is \
BuildKit's build check of the same name; it looks at the stages the build runs (every stage, \
or with `targetStages` set the stages those targets and the last stage need).

## Why
The legacy form sets one variable whose value is the whole rest of the line, spaces \
included: `ENV PATH /opt/bin:$PATH OTHER=1` sets `PATH` to `/opt/bin:...:$PATH OTHER=1`. The \
`KEY=value` form says where the value ends, and can set several variables at once.

## Fixes
**Write KEY=value** (safe): `ENV KEY=\"value with spaces\"`, the value in double quotes when it \
has whitespace, so BuildKit reads the same value (variables in it expand as before). Not \
offered when the value holds quotes or the escape character, whose meaning would change \
inside double quotes, or when comment lines sit inside the instruction.

## Example
```dockerfile
FROM alpine
ENV MY_VAR my value
LABEL maintainer Jane
```

## Use instead
```dockerfile
FROM alpine
ENV MY_VAR=\"my value\"
LABEL maintainer=Jane
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    for (index, instruction) in context.instructions_of(&[Keyword::Env, Keyword::Label]) {
        if !is_legacy(source, instruction) || !context.is_checked(index) {
            continue;
        }
        let [key, value] = &instruction.values[..] else {
            continue;
        };
        let name = &instruction.keyword_word.text;
        let diagnostic = Diagnostic::new(
            &RULE,
            key.span.start..value.span.end,
            format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            ),
        )
        .fix_with(context, || key_value_fix(source, instruction));
        found.push(diagnostic);
    }
}

/// `KEY value`: two values with no `=` between them.
fn is_legacy(source: &SourceFile, instruction: &Instruction) -> bool {
    let [key, value] = &instruction.values[..] else {
        return false;
    };
    key.span.end <= value.span.start
        && !source
            .slice(&(key.span.end..value.span.start))
            .contains('=')
}

fn key_value_fix(source: &SourceFile, instruction: &Instruction) -> Option<Fix> {
    let [key, value] = &instruction.values[..] else {
        return None;
    };
    let span = key.span.start..value.span.end;
    let inside = |comment: &crate::syntax::Comment| {
        comment.span.start >= span.start && comment.span.end <= span.end
    };
    if source.file.comments.iter().any(inside) || source.slice(&key.span) != key.text {
        return None;
    }
    let text = value.text.as_str();
    if text.contains(['\'', '"', source.file.escape]) {
        return None;
    }
    let value = if text.contains(char::is_whitespace) {
        format!("\"{text}\"")
    } else {
        text.to_string()
    };
    Some(
        Fix::new(
            "Write KEY=value",
            vec![Edit::replace(span, format!("{}={value}", key.text))],
        )
        .preferred()
        .safe(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn flags_the_legacy_form() {
        let text =
            "FROM scratch\nENV testkey value\nLABEL key value\nENV a=b\nLABEL c=d e=f\nENV g=\n";
        assert_eq!(underlined(&RULE, text), vec!["testkey value", "key value"]);
        assert_eq!(
            run(&RULE, "FROM a\nenv k v\n")[0].message,
            "\"env key=value\" should be used instead of legacy \"env key value\" format"
        );
    }

    #[test]
    fn the_fix_keeps_the_value() {
        for (text, expected) in [
            (
                "FROM a\nENV PATH /opt/bin:$PATH  X=1\n",
                "FROM a\nENV PATH=\"/opt/bin:$PATH  X=1\"\n",
            ),
            (
                "FROM a\nLABEL maintainer Jane\n",
                "FROM a\nLABEL maintainer=Jane\n",
            ),
            (
                "FROM a\nENV A one \\\n  two\n",
                "FROM a\nENV A=\"one   two\"\n",
            ),
        ] {
            let fixed = apply_fix(&RULE, text, "Write KEY=value");
            assert_eq!(fixed, expected);
            // BuildKit reads the same key and the same value.
            let before = SourceFile::parse(text);
            let after = SourceFile::parse(&fixed);
            let pair = |source: &SourceFile| {
                let scope = crate::syntax::Scope::default();
                let values = &source.instructions()[1].values;
                (
                    values[0].text.to_string(),
                    scope.expand(&values[1].text, '\\').unwrap().text,
                )
            };
            assert_eq!(pair(&before), pair(&after), "{text}");
        }
    }

    #[test]
    fn no_fix_where_quotes_would_change_the_value() {
        for text in [
            "FROM a\nENV A 'one two'\n",
            "FROM a\nENV A one\\ two\n",
            "FROM a\nENV A one \\\n  # note\n  two\n",
        ] {
            let found = run(&RULE, text);
            assert!(found[0].fixes.iter().all(|fix| fix.suppresses), "{text}");
        }
    }
}
