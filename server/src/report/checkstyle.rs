//! Checkstyle XML: `<checkstyle>` with a `<file name>` per checked file and an `<error line
//! column severity message source>` per finding, the format Jenkins, Bitbucket and reviewdog
//! read. Severities: error, warning, info (hints are info).

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use super::{FileReport, Lines, three_levels};

pub fn write(out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    let mut writer = Writer::new_with_indent(&mut *out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("checkstyle")
        .with_attribute(("version", "4.3"))
        .write_inner_content(|writer| {
            for file in files {
                let lines = Lines::new(&file.text);
                let element = writer
                    .create_element("file")
                    .with_attribute(("name", xml_text(super::report_path(&file.path)).as_str()));
                if file.diagnostics.is_empty() {
                    element.write_empty()?;
                    continue;
                }
                element.write_inner_content(|writer| {
                    for diagnostic in &file.diagnostics {
                        let start = lines.point(diagnostic.span.start);
                        let line = start.line.to_string();
                        let column = start.column.to_string();
                        let message = xml_text(&diagnostic.message);
                        let source = format!("dockerfile-ls.{}", diagnostic.rule.name);
                        writer
                            .create_element("error")
                            .with_attribute(("line", line.as_str()))
                            .with_attribute(("column", column.as_str()))
                            .with_attribute(("severity", three_levels(diagnostic.severity, "info")))
                            .with_attribute(("message", message.as_str()))
                            .with_attribute(("source", source.as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    writeln!(out)
}

/// `text` with the characters XML 1.0 cannot carry at all (control characters other than tab,
/// line feed and carriage return) replaced; quick-xml escapes the rest.
fn xml_text(text: &str) -> String {
    text.chars()
        .map(|character| match character {
            '\t' | '\n' | '\r' => character,
            control if control < ' ' => char::REPLACEMENT_CHARACTER,
            '\u{FFFE}' | '\u{FFFF}' => char::REPLACEMENT_CHARACTER,
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(xml_text("a\u{1}b\tc"), "a\u{FFFD}b\tc");
    }
}
