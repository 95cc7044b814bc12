//! PackageCacheNotCleaned: a package manager fills its cache in a layer that ships, and the
//! same RUN neither cleans it nor keeps it in a cache mount.

use crate::knowledge::package_managers::{self, ManagerCall, ManagerId, PackageManager};
use crate::lint::layers;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Command, Keyword, RunScript, ShellWord, SourceFile};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "PackageCacheNotCleaned",
    aliases: &[
        "DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060",
    ],
    severity: Severity::Warning,
    summary: "A package manager leaves its cache in the layer",
    documentation: "\
## What it does
Finds package-manager commands in each `RUN` (apt-get and apt, apk, yum, dnf, microdnf, \
zypper, tdnf, pacman, pip, npm, yarn), through `sudo`, `env X=y`, `&&`/`;` chains, \
`sh -c '...'` and heredoc scripts, and flags the ones that leave downloaded indexes or \
packages in the layer.

## Why
A file written by a `RUN` stays in that layer for good: deleting it in a later `RUN` does not \
shrink the image. Package lists and caches are often tens of megabytes. Clean up in the \
same `RUN`, tell the manager not to cache, or put the cache in a BuildKit cache mount, where \
it also speeds up the next build.

Not reported when the same `RUN`:
- removes the cache (`rm -rf /var/lib/apt/lists/*`, `rm -rf /var/cache/apk/*`, \
`rm -rf /root/.cache/pip`, ...) or cleans it (`yum clean all`, `dnf clean all`, \
`zypper clean`, `apk cache clean`, `npm cache clean --force`, `yarn cache clean`, \
`pip cache purge`);
- runs `apk add --no-cache` or `pip install --no-cache-dir`, or pip runs with \
`PIP_NO_CACHE_DIR` set (by `ENV`, or before the command);
- mounts the cache directory with `--mount=type=cache` or `--mount=type=tmpfs`.

Not reported in a stage whose layers do not reach the image: a stage that is only read \
through `COPY --from` (a builder) ships none of its layers. The last stage, the stages it is \
based on through `FROM`, and the stages named in the `targetStages` setting do ship.

A cleanup only counts when it comes after the last command that fills the cache: \
`rm -rf /var/lib/apt/lists/* && apt-get update` leaves the lists.

Compared with hadolint (DL3009, DL3019, DL3032, DL3036, DL3040, DL3042, DL3060), on the \
project's corpus every difference falls in one of these classes:
- hadolint reports builder stages, whose layers never reach the image; this rule does not;
- hadolint does not report stages the final stage is based on (`FROM base`), whose layers \
do ship; this rule does;
- hadolint does not see cache mounts or `PIP_NO_CACHE_DIR` set by `ENV`;
- hadolint accepts fewer cleanups: this rule also takes `rm -r /var/lib/apt/lists`, \
`apt-get dist-clean` (apt 3), `microdnf clean all`, `rm -rf /var/cache/apk/*`;
- hadolint does not read heredoc or `sh -c` scripts, looks at `dnf install` only (not \
`swap`, `reinstall`, `upgrade`), misses some `microdnf` and `yum` calls after `;`, treats \
`apk update` followed by `apk add --no-cache` as clean (the index stays in \
/var/cache/apk), and misses a bare `yarn`;
- hadolint does not notice a cleanup that comes before a later `apt-get update`.

For apt this rule looks for `apt-get update`, which is what writes the lists. npm, pacman \
and tdnf have no hadolint counterpart.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
    && rm -rf /var/lib/apt/lists/*
```
or, with BuildKit, a cache mount (Debian and Ubuntu images delete downloaded packages \
through `/etc/apt/apt.conf.d/docker-clean`; remove that file if you want them kept in the \
cache):
```dockerfile
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl
```
",
    syntax: false,
    check,
};

/// A call, the script it is in, and its place among the RUN's commands.
struct Found<'a> {
    script: &'a RunScript,
    call: ManagerCall<'a>,
    position: usize,
}

/// Managers whose `clean` empties the same cache (yum is dnf on newer systems).
fn same_family(a: ManagerId, b: ManagerId) -> bool {
    let rpm = |id| matches!(id, ManagerId::Yum | ManagerId::Dnf | ManagerId::Microdnf);
    a == b || (rpm(a) && rpm(b))
}

/// Paths a RUN must remove for the manager's cache to be gone (for apt, the lists: Debian
/// and Ubuntu images already delete downloaded packages).
fn essential_paths(manager: &PackageManager) -> &'static [&'static str] {
    match manager.id {
        ManagerId::Apt => &manager.cache_paths[..1],
        _ => manager.cache_paths,
    }
}

/// `rm` arguments as paths: globs at the end dropped, `$HOME` read as `~`.
fn removed_paths(command: &Command) -> Vec<String> {
    if command.program() != Some("rm") {
        return Vec::new();
    }
    command
        .program_arguments()
        .iter()
        .filter(|word| !word.text.starts_with('-'))
        .map(|word| {
            let path = word.text.replace("${HOME}", "~").replace("$HOME", "~");
            let path = path.trim_end_matches('*').trim_end_matches('/');
            path.to_string()
        })
        .collect()
}

/// True when removing `removed` removes `cache` (the same directory or a parent).
fn removes(removed: &str, cache: &str) -> bool {
    let cache = cache.trim_end_matches('/');
    if removed.is_empty() {
        return false;
    }
    if removed == cache || cache.starts_with(&format!("{removed}/")) {
        return true;
    }
    // A home-relative cache is root's when the RUN removes something under /root.
    match cache.strip_prefix("~/") {
        Some(relative) => removes(removed, &format!("/root/{relative}")),
        None => false,
    }
}

/// True when the call writes the cache this rule is about. For apt that is `update`, which
/// writes the lists; downloaded packages are deleted by Debian's and Ubuntu's images.
fn fills(call: &ManagerCall) -> bool {
    match call.manager.id {
        ManagerId::Apt => call.subcommand() == "update",
        _ => call.fills_cache(),
    }
}

fn truthy_environment(context: &Context, index: usize, variable: &str, calls: &[&Found]) -> bool {
    let scope = context.source.stages.scope_at(&context.source.file, index);
    if scope
        .lookup(variable)
        .is_some_and(|found| found.kind == crate::syntax::stages::VariableKind::Env)
    {
        return true;
    }
    calls.iter().any(|found| {
        let (_, assignments) = found.call.command.unwrapped();
        assignments.iter().any(|(name, _)| name == variable)
    })
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let shipped = layers::shipped_stages(source, context.settings);
    for stage in &source.stages.stages {
        if !shipped[stage.index] {
            continue;
        }
        for index in stage.body.clone() {
            // ONBUILD RUN too: it runs, and ships, in the image built from this one.
            if source.instructions()[index].effective().keyword != Keyword::Run {
                continue;
            }
            check_run(context, index, found);
        }
    }
}

fn check_run(context: &Context, index: usize, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let instruction = source.instructions()[index].effective();
    let scripts = source.scripts(index);
    // Commands in the order they run: the command line, then the heredoc scripts.
    let commands: Vec<(&RunScript, &Command)> = scripts
        .iter()
        .flat_map(|script| {
            script
                .script
                .commands()
                .iter()
                .map(move |command| (script, command))
        })
        .collect();
    let calls: Vec<Found> = commands
        .iter()
        .enumerate()
        .filter_map(|(position, (script, command))| {
            package_managers::call(command).map(|call| Found {
                script,
                call,
                position,
            })
        })
        .collect();
    let mounts = layers::uncommitted_mounts(instruction);
    let mut reported: Vec<ManagerId> = Vec::new();
    for first in &calls {
        let manager = first.call.manager;
        if reported.contains(&manager.id) || !fills(&first.call) {
            continue;
        }
        let own: Vec<&Found> = calls
            .iter()
            .filter(|other| other.call.manager.id == manager.id)
            .collect();
        let filling: Vec<&Found> = own
            .iter()
            .copied()
            .filter(|other| fills(&other.call) && !keeps_no_cache(other))
            .collect();
        let Some(first) = filling.first() else {
            continue;
        };
        if manager
            .no_cache_environment
            .is_some_and(|variable| truthy_environment(context, index, variable, &own))
        {
            continue;
        }
        // Only a cleanup after the last command that fills the cache counts.
        let last_fill = filling
            .iter()
            .map(|found| found.position)
            .max()
            .unwrap_or(0);
        let cleaned = calls.iter().any(|other| {
            other.position > last_fill
                && same_family(other.call.manager.id, manager.id)
                && other.call.cleans_cache()
        }) || commands.iter().enumerate().skip(last_fill + 1).any(
            |(_, (_, command))| {
                removed_paths(command).iter().any(|removed| {
                    essential_paths(manager)
                        .iter()
                        .any(|cache| removes(removed, cache))
                })
            },
        );
        if cleaned {
            continue;
        }
        if essential_paths(manager)
            .iter()
            .any(|cache| layers::under_mount(cache, &mounts))
        {
            continue;
        }
        reported.push(manager.id);
        found.push(report(context, index, manager, first, &filling));
    }
}

/// The call already avoids the cache (`apk add --no-cache`, `pip install --no-cache-dir`).
fn keeps_no_cache(found: &Found) -> bool {
    found
        .call
        .manager
        .no_cache_option
        .is_some_and(|option| found.call.has_argument(option))
}

/// The document span of a word of a call, when the script maps it exactly.
fn word_span(found: &Found, word: &ShellWord) -> Option<Span> {
    let span = found.script.script.span(word.range.clone());
    (span.len() == word.range.len()).then_some(span)
}

fn report(
    context: &Context,
    index: usize,
    manager: &'static PackageManager,
    first: &Found,
    filling: &[&Found],
) -> Diagnostic {
    let source = context.source;
    let call = &first.call;
    let words = &call.command.words;
    let start = first
        .script
        .script
        .span(words[call.program].range.clone())
        .start;
    let end_word = call
        .subcommand
        .map(|at| &words[at])
        .unwrap_or(&words[call.program]);
    let end = first
        .script
        .script
        .span(end_word.range.clone())
        .end
        .max(start);
    let program = &words[call.program].text;
    let what = if call.subcommand().is_empty() {
        program.to_string()
    } else {
        format!("{program} {}", call.subcommand())
    };
    let cache = essential_paths(manager).join(" and ");
    let remedy = match manager.no_cache_option {
        Some(option) => format!("use {option}, clean up in the same RUN, or use a cache mount"),
        None => format!(
            "run `{}` in the same RUN, or use a cache mount",
            manager.cleanup
        ),
    };
    let message = format!("`{what}` leaves its cache ({cache}) in this layer: {remedy}");
    Diagnostic::new(&RULE, start..end, message)
        .fix_with(context, || clean_fix(source, index, manager, filling))
        .fix_with(context, || mount_fix(context, index, manager))
}

/// "Clean the cache in this layer": the no-cache option at each call, or the cleanup
/// command after the script.
fn clean_fix(
    source: &SourceFile,
    index: usize,
    manager: &PackageManager,
    filling: &[&Found],
) -> Option<Fix> {
    let title = format!("Clean the {} cache in this layer", manager.name);
    let option_works = manager.no_cache_option.is_some()
        && filling.iter().all(|found| {
            !(found.call.manager.id == ManagerId::Apk
                && matches!(found.call.subcommand(), "update"))
        });
    if option_works && let Some(option) = manager.no_cache_option {
        let mut edits = Vec::new();
        for found in filling {
            let at = found.call.subcommand?;
            let span = word_span(found, &found.call.command.words[at])?;
            edits.push(Edit::insert(span.end, format!(" {option}")));
        }
        return Some(Fix::new(title, edits).preferred().safe());
    }
    let cleanup = match manager.id {
        ManagerId::Apt => "rm -rf /var/lib/apt/lists/*",
        _ => manager.cleanup,
    };
    let edit = layers::append_to_run(source, index, cleanup)?;
    Some(Fix::new(title, vec![edit]).preferred().safe())
}

/// True when the RUN's user is root (no `USER`, or `USER root`/`0`), so home paths are known.
fn runs_as_root(source: &SourceFile, index: usize) -> bool {
    let Some(stage) = source.stages.stage_of(index) else {
        return true;
    };
    let user = (stage.body.start..index)
        .rev()
        .map(|at| &source.instructions()[at])
        .find(|instruction| instruction.keyword == Keyword::User);
    match user.and_then(|instruction| instruction.values.first()) {
        None => matches!(
            stage.base,
            crate::syntax::Base::Image(_) | crate::syntax::Base::Scratch
        ),
        Some(value) => matches!(value.text.split(':').next(), Some("root" | "0")),
    }
}

/// "Use a BuildKit cache mount": the mount(s) before the command, nothing removed.
fn mount_fix(context: &Context, index: usize, manager: &PackageManager) -> Option<Fix> {
    let source = context.source;
    let outer = &source.instructions()[index];
    let instruction = outer.effective();
    if !manager.system && !runs_as_root(source, index) {
        return None;
    }
    let mut edits = vec![Edit::insert(
        instruction.arguments_span().start,
        format!("{} ", manager.cache_mount),
    )];
    if manager.id == ManagerId::Apt {
        // Debian and Ubuntu images delete downloaded packages after each install; say how to
        // keep them in the cache, without doing it behind the user's back.
        let line_start = source.line_start(outer.span.start);
        let indent = source.indent_before(outer.span.start);
        let newline = source.line_break();
        edits.push(Edit::insert(
            line_start,
            format!("{indent}# Debian and Ubuntu images delete downloaded packages (/etc/apt/apt.conf.d/docker-clean); remove that file to keep them in the cache.{newline}"),
        ));
    }
    Some(Fix::new(
        format!("Use a BuildKit cache mount for {}", manager.name),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};
    use crate::syntax::lower::lower;

    /// Every shell word of every command of every RUN, as the shell sees it.
    fn words_of_runs(text: &str) -> Vec<String> {
        let source = SourceFile::parse(text);
        (0..source.instructions().len())
            .flat_map(|index| source.scripts(index).to_vec())
            .flat_map(|script| {
                script
                    .script
                    .commands()
                    .iter()
                    .flat_map(|command| {
                        command
                            .words
                            .iter()
                            .map(|word| word.text.to_string())
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Applies a fix and checks that every word of the RUNs is still there.
    fn fixed(text: &str, title: &str) -> String {
        let before = words_of_runs(text);
        let after_text = apply_fix(&RULE, text, title);
        let after = words_of_runs(&after_text);
        for word in &before {
            assert!(after.contains(word), "lost {word:?} in\n{after_text}");
        }
        after_text
    }

    #[test]
    fn every_manager_is_recognised() {
        let cases = [
            (
                "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
                "apt-get update",
            ),
            ("FROM ubuntu\nRUN sudo apt update\n", "apt update"),
            ("FROM alpine\nRUN apk add curl\n", "apk add"),
            ("FROM centos:7\nRUN yum install -y curl\n", "yum install"),
            ("FROM fedora\nRUN dnf -y install curl\n", "dnf -y install"),
            (
                "FROM ubi9-minimal\nRUN microdnf install -y curl\n",
                "microdnf install",
            ),
            (
                "FROM opensuse/leap\nRUN zypper -n in curl\n",
                "zypper -n in",
            ),
            ("FROM photon\nRUN tdnf install -y curl\n", "tdnf install"),
            (
                "FROM archlinux\nRUN pacman -Syu --noconfirm curl\n",
                "pacman",
            ),
            (
                "FROM python\nRUN env X=1 pip install flask\n",
                "pip install",
            ),
            (
                "FROM python\nRUN python3 -m pip install flask\n",
                "pip install",
            ),
            ("FROM node\nRUN npm ci\n", "npm ci"),
            (
                "FROM node\nRUN yarn install --frozen-lockfile\n",
                "yarn install",
            ),
            ("FROM node\nRUN sh -c 'yarn'\n", "yarn"),
            (
                "FROM debian\nRUN <<EOF\nset -e\napt-get update\nEOF\n",
                "apt-get update",
            ),
            (
                "FROM python\nONBUILD RUN pip install -r requirements.txt\n",
                "pip install",
            ),
        ];
        for (text, underline) in cases {
            assert_eq!(
                underlined(&RULE, text),
                vec![underline.to_string()],
                "{text}"
            );
        }
    }

    #[test]
    fn cleaned_layers_are_fine() {
        for text in [
            "FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            "FROM debian\nRUN apt-get update; apt-get install -y curl; rm -rf /var/lib/apt/lists\n",
            "FROM debian:trixie\nRUN apt-get update; apt-get install -y curl; apt-get dist-clean\n",
            "FROM alpine\nRUN apk add --no-cache curl\n",
            "FROM alpine\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n",
            "FROM centos\nRUN yum install -y curl && yum clean all\n",
            "FROM centos:8\nRUN yum install -y curl && dnf clean all\n",
            "FROM fedora\nRUN dnf install -y curl && rm -rf /var/cache/dnf\n",
            "FROM opensuse/leap\nRUN zypper in -y curl && zypper clean -a\n",
            "FROM python\nRUN pip install --no-cache-dir flask\n",
            "FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
            "FROM python\nRUN PIP_NO_CACHE_DIR=off pip install flask\n",
            "FROM python\nRUN pip install flask && rm -rf ~/.cache/pip\n",
            "FROM python\nRUN pip install flask && rm -rf $HOME/.cache\n",
            "FROM node\nRUN npm ci && npm cache clean --force\n",
            "FROM node\nRUN yarn && yarn cache clean\n",
            "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
            "FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
            "FROM alpine\nRUN --mount=type=tmpfs,target=/var/cache/apk apk add curl\n",
            "FROM debian\nRUN apt-get install -y ./local.deb\n",
        ] {
            assert!(
                run(&RULE, text).is_empty(),
                "{text}: {:?}",
                run(&RULE, text)
            );
        }
    }

    #[test]
    fn a_cleanup_before_the_install_does_not_count() {
        assert_eq!(
            underlined(
                &RULE,
                "FROM centos:7\nRUN yum clean all && yum makecache && yum install -y x\n"
            ),
            vec!["yum makecache"]
        );
        assert_eq!(
            underlined(
                &RULE,
                "FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n"
            ),
            vec!["apt-get update"]
        );
    }

    #[test]
    fn only_stages_that_ship_are_checked() {
        let text = "FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian AS base\nRUN apt-get update\nFROM base\nCOPY --from=build /out /out\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "apt-get update");
        assert!(found[0].span.start > text.find("AS base").unwrap());
        let settings = crate::lint::Settings {
            target_stages: vec!["build".into()],
            ..crate::lint::Settings::default()
        };
        assert_eq!(
            crate::lint::testing::run_with(&RULE, text, &settings).len(),
            2
        );
    }

    #[test]
    fn clean_fixes_append_or_add_the_option() {
        assert_eq!(
            fixed(
                "FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl\n",
                "Clean the apt cache"
            ),
            "FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        );
        assert_eq!(
            fixed(
                "FROM alpine\nRUN apk add curl && apk add --virtual .b gcc\n",
                "Clean the apk cache"
            ),
            "FROM alpine\nRUN apk add --no-cache curl && apk add --no-cache --virtual .b gcc\n"
        );
        assert_eq!(
            fixed(
                "FROM alpine\nRUN apk update && apk add curl\n",
                "Clean the apk cache"
            ),
            "FROM alpine\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n"
        );
        assert_eq!(
            fixed(
                "FROM python\nRUN pip3 install -r requirements.txt\n",
                "Clean the pip cache"
            ),
            "FROM python\nRUN pip3 install --no-cache-dir -r requirements.txt\n"
        );
        assert_eq!(
            fixed(
                "FROM centos\nRUN yum -y install x; \n",
                "Clean the yum cache"
            ),
            "FROM centos\nRUN yum -y install x && yum clean all \n"
        );
        assert_eq!(
            fixed("FROM node\nRUN npm ci\n", "Clean the npm cache"),
            "FROM node\nRUN npm ci && npm cache clean --force\n"
        );
        assert_eq!(
            fixed("FROM node\nONBUILD RUN npm ci\n", "Clean the npm cache"),
            "FROM node\nONBUILD RUN npm ci && npm cache clean --force\n"
        );
        assert_eq!(
            fixed_mount("FROM node\nONBUILD RUN npm ci\n"),
            "FROM node\nONBUILD RUN --mount=type=cache,target=/root/.npm npm ci\n"
        );
        assert_eq!(
            fixed("FROM node\nRUN yarn install\n", "Clean the yarn cache"),
            "FROM node\nRUN yarn install && yarn cache clean\n"
        );
        assert_eq!(
            fixed("FROM fedora\nRUN dnf install -y x\n", "Clean the dnf cache"),
            "FROM fedora\nRUN dnf install -y x && dnf clean all\n"
        );
        assert_eq!(
            fixed(
                "FROM ubi\nRUN microdnf install -y x\n",
                "Clean the microdnf cache"
            ),
            "FROM ubi\nRUN microdnf install -y x && microdnf clean all\n"
        );
        assert_eq!(
            fixed(
                "FROM suse\nRUN zypper install -y x\n",
                "Clean the zypper cache"
            ),
            "FROM suse\nRUN zypper install -y x && zypper clean --all\n"
        );
        assert_eq!(
            fixed(
                "FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y x\nEOF\n",
                "Clean the apt cache"
            ),
            "FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y x && rm -rf /var/lib/apt/lists/*\nEOF\n"
        );
    }

    #[test]
    fn cache_mount_fixes_add_mounts_and_keep_everything() {
        let text = "FROM debian\n  RUN --network=host apt-get update && apt-get install -y curl\n";
        let fixed = fixed(text, "Use a BuildKit cache mount for apt");
        assert_eq!(
            fixed,
            "FROM debian\n  # Debian and Ubuntu images delete downloaded packages (/etc/apt/apt.conf.d/docker-clean); remove that file to keep them in the cache.\n  RUN --network=host --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n"
        );
        let run_flags: Vec<_> = lower(&fixed).instructions[1]
            .flags
            .iter()
            .map(|flag| flag.text.clone())
            .collect();
        assert_eq!(run_flags.len(), 3);
        assert_eq!(
            fixed_mount("FROM python\nRUN pip install x\n"),
            "FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n"
        );
        // A non-root user's cache is elsewhere: no mount fix for pip.
        let found = run(&RULE, "FROM python\nUSER app\nRUN pip install x\n");
        assert!(
            found[0]
                .fixes
                .iter()
                .all(|fix| !fix.title.starts_with("Use a BuildKit"))
        );
    }

    fn fixed_mount(text: &str) -> String {
        fixed(text, "Use a BuildKit cache mount")
    }
}
