//! Hover: what the thing under the cursor is, in Markdown.

use crate::knowledge::instructions::{self, MountType};
use crate::lint;
use crate::syntax::{Flag, Instruction, Keyword, SourceFile};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end && span.start < span.end
}

/// The hover at byte `offset`, if there is something to say.
pub fn hover(source: &SourceFile, offset: usize) -> Option<Hover> {
    if let Some(found) = directive_hover(source, offset) {
        return Some(found);
    }
    if let Some(found) = comment_hover(source, offset) {
        return Some(found);
    }
    let index = lint::instruction_at(source, offset)?;
    let instruction = &source.instructions()[index];
    instruction_hover(instruction, offset).or_else(|| {
        instruction
            .onbuild
            .as_deref()
            .and_then(|inner| instruction_hover(inner, offset))
    })
}

fn instruction_hover(instruction: &Instruction, offset: usize) -> Option<Hover> {
    if contains(&instruction.keyword_word.span, offset) {
        return keyword_hover(instruction.keyword, instruction.keyword_word.span.clone());
    }
    for flag in &instruction.flags {
        if contains(&flag.span, offset) {
            return flag_hover(instruction.keyword, flag, offset);
        }
    }
    None
}

/// The documentation of an instruction keyword.
pub fn keyword_markdown(keyword: Keyword) -> Option<String> {
    let info = instructions::instruction(keyword)?;
    let mut markdown = format!(
        "```dockerfile\n{}\n```\n\n{}\n\n{}",
        info.syntax.join("\n"),
        info.summary,
        info.details
    );
    if !info.flags.is_empty() {
        markdown.push_str("\n\nOptions: ");
        let names: Vec<String> = info
            .flags
            .iter()
            .map(|flag| format!("`--{}`", flag.name))
            .collect();
        markdown.push_str(&names.join(", "));
    }
    Some(markdown)
}

fn keyword_hover(keyword: Keyword, span: Span) -> Option<Hover> {
    Some(Hover {
        markdown: keyword_markdown(keyword)?,
        span,
    })
}

fn mount_markdown(mount: &MountType) -> String {
    let mut markdown = format!("**`--mount=type={}`**\n\n{}\n", mount.name, mount.summary);
    for key in mount.keys {
        markdown.push_str(&format!("\n- `{}`: {}", key.name, key.summary));
    }
    markdown
}

fn flag_hover(keyword: Keyword, flag: &Flag, offset: usize) -> Option<Hover> {
    if keyword == Keyword::Run && flag.name == "mount" {
        let value = flag.value.as_deref().unwrap_or("");
        let mount_type = value
            .split(',')
            .find_map(|field| field.strip_prefix("type="))
            .unwrap_or("bind");
        if let Some(mount) = instructions::mount_type(mount_type) {
            // Over one key: that key's documentation.
            if let Some(value_span) = &flag.value_span {
                let mut start = value_span.start;
                for field in value.split(',') {
                    let end = start + field.len();
                    if (start..=end).contains(&offset) {
                        let name = field.split('=').next().unwrap_or("");
                        if let Some(key) = mount.keys.iter().find(|key| key.name == name) {
                            return Some(Hover {
                                markdown: format!(
                                    "**`{}`** (`--mount=type={}`)\n\n{}",
                                    key.name, mount.name, key.summary
                                ),
                                span: start..end,
                            });
                        }
                    }
                    start = end + 1;
                }
            }
            return Some(Hover {
                markdown: mount_markdown(mount),
                span: flag.span.clone(),
            });
        }
    }
    let info = instructions::flag_info(keyword, &flag.name)?;
    let mut markdown = format!(
        "**`--{}{}`** ({})\n\n{}",
        info.name,
        if info.value.is_empty() {
            String::new()
        } else {
            format!(
                "={}",
                info.value
                    .trim_start_matches('[')
                    .trim_start_matches('=')
                    .trim_end_matches(']')
            )
        },
        keyword.name(),
        info.summary
    );
    if !info.values.is_empty() {
        markdown.push_str(&format!(
            "\n\nValues: {}",
            info.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Some(Hover {
        markdown,
        span: flag.span.clone(),
    })
}

fn directive_hover(source: &SourceFile, offset: usize) -> Option<Hover> {
    let directive = source
        .file
        .directives
        .iter()
        .find(|directive| contains(&directive.span, offset))?;
    let info = instructions::directive(&directive.name)?;
    Some(Hover {
        markdown: format!(
            "**Parser directive `{}`**\n\n```dockerfile\n{}\n```\n\n{}",
            info.name, info.syntax, info.summary
        ),
        span: directive.span.clone(),
    })
}

/// Over a rule name in a suppression comment (`# hadolint ignore=DL3059`): the rule's docs.
fn comment_hover(source: &SourceFile, offset: usize) -> Option<Hover> {
    let comment = source
        .file
        .comments
        .iter()
        .find(|comment| contains(&comment.span, offset))?;
    let text = source.slice(&comment.span);
    let relative = offset - comment.span.start;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let start = text[..relative]
        .rfind(|c: char| !is_name(c))
        .map(|at| at + 1)
        .unwrap_or(0);
    let end = text[relative..]
        .find(|c: char| !is_name(c))
        .map(|at| relative + at)
        .unwrap_or(text.len());
    let word = &text[start..end];
    let rule = lint::find_rule(word)?;
    Some(Hover {
        markdown: rule_markdown(rule),
        span: comment.span.start + start..comment.span.start + end,
    })
}

/// A rule's documentation for hovers and `dockerfile-ls rule NAME`.
pub fn rule_markdown(rule: &lint::Rule) -> String {
    let aliases = if rule.aliases.is_empty() {
        String::new()
    } else {
        format!(" (hadolint: {})", rule.aliases.join(", "))
    };
    format!(
        "# {}{}\n\n{}. Default severity: {}.\n\n{}",
        rule.name,
        aliases,
        rule.summary,
        rule.severity.name(),
        rule.documentation
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hover_at(text: &str) -> Option<Hover> {
        let offset = text.find("$0").expect("cursor");
        let text = text.replacen("$0", "", 1);
        hover(&SourceFile::parse(&text), offset)
    }

    #[test]
    fn keywords_flags_and_mount_keys() {
        let found = hover_at("FROM alpine\nR$0UN --mount=type=cache,target=/x true\n").unwrap();
        assert!(found.markdown.contains("RUN [OPTIONS] <command>"));
        let found =
            hover_at("FROM alpine\nRUN --mount=type=cache,sha$0ring=locked true\n").unwrap();
        assert!(found.markdown.contains("`locked`"), "{}", found.markdown);
        let found = hover_at("FROM alpine\nRUN --mo$0unt=type=secret,id=x true\n").unwrap();
        assert!(found.markdown.contains("type=secret"));
        let found = hover_at("FROM alpine\nCOPY --li$0nk a b\n").unwrap();
        assert!(found.markdown.contains("--link"));
        let found = hover_at("FROM alpine\nONBUILD CO$0PY a b\n").unwrap();
        assert!(found.markdown.starts_with("```dockerfile\nCOPY"));
    }

    #[test]
    fn directives_and_rule_names_in_comments() {
        let found = hover_at("# esc$0ape=`\nFROM a\n").unwrap();
        assert!(found.markdown.contains("escape"));
        let found = hover_at("FROM a\n# hadolint ignore=DL4$0000\nMAINTAINER x\n").unwrap();
        assert!(found.markdown.starts_with("# MaintainerDeprecated"));
        assert!(hover_at("FROM a\n# just$0 words\n").is_none());
    }
}
