//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
//! which GitHub shows as an annotation on the file and the pull request.
//!
//! `::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`, with GitHub's
//! escaping: in the message `%`, `\r` and `\n`; in the properties also `:` and `,`.

use std::io::Write;

use super::{FileReport, Lines, three_levels};

pub fn write(out: &mut impl Write, files: &[FileReport]) -> std::io::Result<()> {
    for file in files {
        let lines = Lines::new(&file.text);
        for diagnostic in &file.diagnostics {
            let region = lines.region(&diagnostic.span);
            // The codes this finding answers to (one of a rule's hadolint codes), as the JSON
            // output gives them.
            let codes = diagnostic.codes();
            let title = if codes.is_empty() {
                diagnostic.rule.name.to_string()
            } else {
                format!("{} ({})", diagnostic.rule.name, codes.join(", "))
            };
            writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                three_levels(diagnostic.severity, "notice"),
                escape_property(super::report_path(&file.path)),
                region.start.line,
                region.start.column,
                region.end.line,
                region.end.column,
                escape_property(&title),
                escape_data(&format!(
                    "{} ({})",
                    diagnostic.message,
                    diagnostic.rule.url()
                )),
            )?;
        }
    }
    Ok(())
}

/// A command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_finding() {
        let file =
            super::super::tests::report("dir,1/Dockerfile", "FROM scratch\nMAINTAINER 50%\n");
        let mut out = Vec::new();
        write(&mut out, std::slice::from_ref(&file)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "::warning file=dir%2C1/Dockerfile,line=2,col=1,endLine=2,endColumn=11,title=MaintainerDeprecated (DL4000)::{} ({})\n",
                file.diagnostics[0].message,
                file.diagnostics[0].rule.url()
            )
        );
    }
}
