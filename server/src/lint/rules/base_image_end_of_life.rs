//! BaseImageEndOfLife: a stage is built on a distribution release or a language runtime line
//! that no longer gets security updates.

use crate::knowledge::catalog::{self, ImageInfo};
use crate::knowledge::distros::Date;
use crate::knowledge::images::ImageReference;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};

pub static RULE: Rule = Rule {
    name: "BaseImageEndOfLife",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A FROM image is past its end of life",
    documentation: "\
## What it does
Looks up every `FROM` image in the offline catalog and reports the ones whose tag names a \
distribution release past the end of its support (free long-term support included, such as \
Debian LTS; paid extended support is not counted), or a language runtime line past its end \
of life (Python, Node.js, PHP, Ruby, Go). The message gives the date and a supported \
release; for a distribution's own image a fix rewrites the tag.

Tags that move (`latest`, `alpine`, `python:3`) and releases newer than the catalog are \
never reported. The catalog's dates were last checked on 2026-11-25; the check compares \
them with today's date.

## Why
An image past its end of life gets no security fixes: every new vulnerability stays open. \
Some also stop building: CentOS Linux mirrors moved to vault.centos.org, so `yum install` \
fails against the default repositories.

## Fixes
**Use IMAGE:TAG** (unsafe): a supported release of the same image. A new release \
changes what the image contains; test the build.

## Example
```dockerfile
FROM debian:buster-slim
FROM python:3.8-alpine3.12
```

## Use instead
```dockerfile
FROM debian:trixie-slim
FROM python:3.14-alpine3.24
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let today = context.today;
    for image in context.written_images() {
        let (word, written, reference) = (image.word, image.written, image.reference);
        let Some(info) = image.info else {
            continue;
        };
        let mut ended = Vec::new();
        let mut advice = Vec::new();
        if let (Some(distro), Some(release)) = (info.distro, info.release)
            && let Some(end) = release.end_of_life()
            && end < today
        {
            let mut what = format!(
                "{} {} reached its end of life on {end}",
                distro.name,
                release.label()
            );
            if release.extended_until.is_some() {
                what.push_str(" (LTS included)");
            }
            ended.push(what);
            if !release.note.is_empty() {
                advice.push(release.note.to_string());
            }
            match distro.suggested_release(today) {
                Some(suggested) => advice.push(format!(
                    "Use a supported release such as {} {}",
                    distro.name,
                    suggested.label()
                )),
                // Discontinued: say what to move to, or at least how its support ended.
                None if !distro.successor.is_empty() => advice.push(distro.successor.to_string()),
                None => advice.push(distro.lifecycle.to_string()),
            }
        }
        if let Some((runtime, line)) = info.runtime
            && let Some(end) = line.end_of_life
            && end < today
        {
            ended.push(format!(
                "{} {} reached its end of life on {end}",
                runtime.name, line.version
            ));
            if let Some(supported) = runtime.recommended(today) {
                advice.push(format!(
                    "Use a supported {} line such as {}",
                    runtime.name, supported.version
                ));
            }
        }
        if ended.is_empty() {
            continue;
        }
        let mut message = format!(
            "`{}`: {}, so it gets no security fixes. {}",
            reference.familiar(),
            ended.join(", and "),
            sentences(&advice)
        );
        if image.uses_variables() {
            message.push_str(&format!(
                " (`{}` reads as `{}`)",
                word.text,
                reference.familiar()
            ));
        }
        let diagnostic =
            Diagnostic::new(&RULE, word.span.clone(), message).fix_with(context, || {
                info.runtime
                    .is_none()
                    .then(|| retag_fix(reference, info, written, word.span.start, today))
                    .flatten()
            });
        found.push(diagnostic);
    }
}

/// Pieces of advice as sentences: each ends with one period, whether or not it came with one.
fn sentences(advice: &[String]) -> String {
    advice
        .iter()
        .map(|piece| format!("{}.", piece.trim_end().trim_end_matches('.')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// For a distribution's own image: the tag with the release word replaced by the suggested
/// release (`buster-slim` → `trixie-slim`, `3.12.1` → `3.24`), dated snapshot words dropped.
fn retag_fix(
    reference: &ImageReference,
    info: &ImageInfo,
    written: &str,
    word_start: usize,
    today: Date,
) -> Option<Fix> {
    if written.contains(['$', '"', '\'', '\\', '`']) {
        return None;
    }
    let distro = info.distro?;
    let release = info.release?;
    // Only where the tag names the release; `registry.access.redhat.com/ubi7/ubi` has it in the name.
    let (_, suggested) = catalog::suggested_tag(reference, info, today)?;
    if suggested.end_of_life().is_some_and(|end| end < today) || std::ptr::eq(suggested, release) {
        return None;
    }
    let tag = reference.tag.as_deref()?;
    let range = reference.tag_range.clone()?;
    let mut replaced = false;
    let mut words = Vec::new();
    for word in tag.split('-') {
        if !replaced && release.is_named_by(word) {
            let by_codename = release
                .codename
                .is_some_and(|codename| codename.eq_ignore_ascii_case(word));
            words.push(match (by_codename, suggested.codename) {
                (true, Some(codename)) => codename.to_string(),
                _ => suggested.version.to_string(),
            });
            replaced = true;
            continue;
        }
        // A dated snapshot of the old release (`buster-20240110`) has no counterpart.
        if replaced && word.len() >= 8 && word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        words.push(word.to_string());
    }
    if !replaced {
        return None;
    }
    let new_tag = words.join("-");
    let span = word_start + range.start..word_start + range.end;
    Some(Fix::new(
        format!(
            "Use {}:{new_tag} ({} {})",
            reference.familiar_name(),
            distro.name,
            suggested.label()
        ),
        vec![Edit::replace(span, new_tag)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    #[test]
    fn the_documentation_names_the_catalog_date() {
        let date = crate::knowledge::distros::AS_OF.to_string();
        assert!(
            RULE.documentation.contains(&date),
            "update the date in the documentation"
        );
    }

    #[test]
    fn ended_releases_are_reported_with_dates() {
        let text = "FROM debian:buster-slim\nFROM centos:7\nFROM alpine:3.24\nFROM ubuntu:latest\nFROM python:3\nFROM alpine:3.99\n";
        assert_eq!(
            underlined(&RULE, text),
            vec!["debian:buster-slim", "centos:7"]
        );
        let found = run(&RULE, text);
        assert!(
            found[0].message.contains(
                "Debian 10 (buster) reached its end of life on 2024-06-30 (LTS included)"
            ),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("Debian 13 (trixie)"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("2024-06-30"),
            "{}",
            found[1].message
        );
        assert!(
            found[1].message.contains("vault.centos.org"),
            "{}",
            found[1].message
        );
        // A discontinued distribution names what to move to.
        assert!(
            found[1].message.contains("`rockylinux:9`"),
            "{}",
            found[1].message
        );
        assert!(found[1].fixes.is_empty());
        // One period after each sentence, never two, and one at the end.
        for finding in &found {
            assert!(!finding.message.contains(".."), "{}", finding.message);
            assert!(finding.message.ends_with('.'), "{}", finding.message);
        }
    }

    #[test]
    fn runtimes_and_distributions_together() {
        let found = run(
            &RULE,
            "FROM python:3.8-alpine3.12\nFROM node:20-alpine3.24\nFROM golang:1.16\n",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].message.contains("Alpine Linux 3.12 reached its end of life on 2022-05-01, and Python 3.8 reached its end of life on 2024-10-07"), "{}", found[0].message);
        assert!(
            found[1]
                .message
                .contains("Node.js 20 reached its end of life on 2026-04-30"),
            "{}",
            found[1].message
        );
        assert!(
            found[1].message.contains("such as 24"),
            "{}",
            found[1].message
        );
        assert!(found[2].message.contains("Go 1.16"), "{}", found[2].message);
        assert!(found.iter().all(|diagnostic| diagnostic.fixes.is_empty()));
    }

    #[test]
    fn distribution_images_are_retagged() {
        let fixed = apply_fix(
            &RULE,
            "FROM debian:buster-20240110-slim AS base\n",
            "Use debian:trixie-slim",
        );
        assert_eq!(fixed, "FROM debian:trixie-slim AS base\n");
        let fixed = apply_fix(&RULE, "FROM ubuntu:18.04\n", "Use ubuntu:26.04");
        assert_eq!(fixed, "FROM ubuntu:26.04\n");
        let fixed = apply_fix(&RULE, "FROM alpine:3.12.1\n", "Use alpine:3.24");
        assert_eq!(fixed, "FROM alpine:3.24\n");
        let fixed = apply_fix(&RULE, "FROM oraclelinux:7-slim\n", "Use oraclelinux:9-slim");
        assert_eq!(fixed, "FROM oraclelinux:9-slim\n");
    }

    #[test]
    fn variables_are_read_through_their_defaults() {
        let found = run(
            &RULE,
            "ARG BASE=ubuntu:16.04\nFROM ${BASE} AS build\nFROM build\n",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("reads as `ubuntu:16.04`"),
            "{}",
            found[0].message
        );
        assert!(found[0].fixes.is_empty());
    }
}
