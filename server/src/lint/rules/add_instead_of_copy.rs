//! AddInsteadOfCopy: `ADD` of local files and directories, which `COPY` does more plainly.

use crate::knowledge::archives;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Instruction, Keyword};

pub static RULE: Rule = Rule {
    name: "AddInsteadOfCopy",
    aliases: &["DL3020"],
    severity: Severity::Warning,
    summary: "ADD copies local files: use COPY",
    documentation: "\
## What it does
Flags an `ADD` whose sources are all local files or directories that are not archives by \
their name: what `COPY` does, without `ADD`'s extra powers. `ADD` of a URL or a git \
repository, of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.xz`, ... which `ADD` unpacks), \
and `ADD` with a flag only `ADD` has (`--checksum`, `--keep-git-dir`, `--unpack`) are left \
alone.

## Why
`ADD` downloads URLs, clones repositories and unpacks tar archives; which one happens \
depends on what the source turns out to be. `COPY` only copies. Using `COPY` for plain \
files says so, and a file that later turns into an archive is not silently unpacked.

## Fixes
**Replace ADD with COPY**: the keyword changes; the flags (`--chown`, `--chmod`, `--link`, \
`--exclude`) and sources stay, and mean the same to `COPY`. BuildKit decides whether to \
unpack a local file by its content, not its name, so the fix is safe only when every \
source is certainly not a tar archive: a directory (written with a trailing `/`, or `.`), a \
heredoc, or a file whose ending says what it is (`.sh`, `.json`, `.conf`, `.jar`, `.zip`, \
...). For other sources (a name without an ending, a variable, a wildcard) it is unsafe: \
check that none is a tar archive `ADD` would unpack.

## Differences from hadolint
hadolint's DL3020 is an error; `ADD` of a plain file builds and does what was meant, so \
here it is a warning. Git sources (`git@github.com:owner/repo.git`) are left alone, as are \
`ADD` instructions with `ADD`-only flags.

## Example
```dockerfile
FROM alpine:3.20
ADD entrypoint.sh /usr/local/bin/
```

## Use instead
```dockerfile
FROM alpine:3.20
COPY entrypoint.sh /usr/local/bin/
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// Flags only `ADD` has: the instruction needs `ADD`.
const ADD_ONLY_FLAGS: [&str; 3] = ["checksum", "keep-git-dir", "unpack"];

/// Flags `COPY` takes with the same meaning.
const SHARED_FLAGS: [&str; 6] = ["chown", "chmod", "link", "exclude", "parents", "from"];

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    for instruction in context.instructions() {
        let add = instruction.effective();
        if add.keyword != Keyword::Add {
            continue;
        }
        if add
            .flags
            .iter()
            .any(|flag| ADD_ONLY_FLAGS.contains(&flag.name.as_str()))
        {
            continue;
        }
        let Some((_, sources)) = add.values.split_last() else {
            continue;
        };
        if sources.is_empty() {
            continue;
        }
        let unquoted = |text: &str| text.trim_matches(['"', '\'']).to_string();
        if sources.iter().any(|source| {
            let source = unquoted(&source.text);
            archives::is_remote_source(&source) || archives::is_archive_name(&source)
        }) {
            continue;
        }
        let diagnostic = Diagnostic::new(
            &RULE,
            add.keyword_word.span.clone(),
            "ADD only copies local files here: use COPY, which does nothing else",
        )
        .fix_with(context, || fix(add));
        found.push(diagnostic);
    }
}

/// `ADD` → `COPY`, in the keyword's case; safe when no source could be a tar archive.
fn fix(add: &Instruction) -> Option<Fix> {
    if !add
        .flags
        .iter()
        .all(|flag| SHARED_FLAGS.contains(&flag.name.as_str()))
    {
        return None;
    }
    let written = &add.keyword_word.text;
    let keyword = if written.chars().all(|c| c.is_ascii_lowercase()) {
        "copy"
    } else {
        "COPY"
    };
    let (_, sources) = add.values.split_last()?;
    let plain = sources.iter().all(|source| {
        let text = source.text.trim_matches(['"', '\'']);
        text.starts_with("<<") || archives::is_certainly_plain(text)
    });
    let fix = Fix::new(
        "Replace ADD with COPY",
        vec![Edit::replace(add.keyword_word.span.clone(), keyword)],
    )
    .preferred();
    Some(if plain { fix.safe() } else { fix })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::SourceFile;

    #[test]
    fn plain_files_but_not_what_only_add_does() {
        let text = "FROM a\nADD file /usr/src/app/\nADD file.zip /x/\nADD \"file.zip\" /x/\nADD file.tar /x/\nADD file.gz /x/\nADD \"file.tgz\" /x/\nADD http://file.com /x/\nADD \"http://file.com\" /x/\nADD git@github.com:moby/buildkit.git /src\nADD --checksum=sha256:abc conf.json /x\nADD a.sh b.tar.xz /x/\nONBUILD ADD . /app\n";
        assert_eq!(underlined(&RULE, text), vec!["ADD", "ADD", "ADD", "ADD"]);
    }

    #[test]
    fn the_fix_is_safe_only_for_sources_that_cannot_be_tar_archives() {
        let fixed = apply_fix(
            &RULE,
            "FROM a\nADD --chown=1:1 --link conf/ run.sh /app/\n",
            "Replace",
        );
        assert_eq!(
            fixed,
            "FROM a\nCOPY --chown=1:1 --link conf/ run.sh /app/\n"
        );
        let copy = &SourceFile::parse(&fixed).file.instructions[1];
        assert_eq!(copy.keyword, Keyword::Copy);
        assert_eq!(copy.flags.len(), 2);
        assert!(run(&RULE, "FROM a\nADD conf/ /app/\n")[0].fixes[0].safe);
        assert!(run(&RULE, "FROM a\nadd <<EOF /app/x\nhi\nEOF\n")[0].fixes[0].safe);
        assert_eq!(
            apply_fix(&RULE, "FROM a\nadd x.json /app/\n", "Replace"),
            "FROM a\ncopy x.json /app/\n"
        );
        // `rootfs` may be a tar archive ADD unpacks: offered, not applied on save.
        assert!(!run(&RULE, "FROM a\nADD rootfs /\n")[0].fixes[0].safe);
        assert!(!run(&RULE, "FROM a\nADD $FILE /x\n")[0].fixes[0].safe);
        // ONBUILD ADD becomes ONBUILD COPY.
        assert_eq!(
            apply_fix(&RULE, "FROM a\nONBUILD ADD . /app\n", "Replace"),
            "FROM a\nONBUILD COPY . /app\n"
        );
    }
}
