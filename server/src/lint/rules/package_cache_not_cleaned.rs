//! PackageCacheNotCleaned: a package manager fills its cache in a layer that ships, and the
//! same RUN neither cleans it nor keeps it in a cache mount.

use crate::knowledge::package_managers::{self, ManagerCall, ManagerId, PackageManager};
use crate::lint::layers;
use crate::lint::package_index::{self, Effect, Later};
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
`PIP_NO_CACHE_DIR` set (by `ENV` in the stage or a stage it is built on, before the \
command, or by an earlier `export` in the script; pip takes any value, `0` and `false` \
included, as the option given);
- mounts the cache directory with `--mount=type=cache` or `--mount=type=tmpfs`. For apt \
that is the lists (/var/lib/apt/lists or a parent); once the stage has removed \
`/etc/apt/apt.conf.d/docker-clean` (the hook with which Debian's and Ubuntu's images delete \
downloaded packages), /var/cache/apt must be a mount too, or the packages stay in the layer.

Not reported in a stage whose layers do not reach the image: a stage that is only read \
through `COPY --from` (a builder) ships none of its layers. The last stage, the stages it is \
based on through `FROM`, and the stages named in the `targetStages` setting do ship. \
`ONBUILD RUN`s are checked where their stage ships (they run in the builds of images made \
from it).

A cleanup only counts when it comes after the last command that fills the cache: \
`rm -rf /var/lib/apt/lists/* && apt-get update` leaves the lists. A cleanup counts for the \
manager whose cache it empties: `yum clean all` and `dnf clean all` for both (yum is dnf on \
newer systems), `microdnf clean all` for microdnf only (dnf keeps its cache in \
/var/cache/dnf, microdnf in /var/cache/yum).

Each finding answers to its manager's hadolint code: apt DL3009, apk DL3019, yum DL3032, \
zypper DL3036, dnf and microdnf DL3040, pip DL3042, yarn DL3060; `# hadolint ignore=DL3042` \
or `--ignore DL3042` silences pip's findings only. npm, pacman and tdnf have no hadolint \
code: only the rule's name silences theirs.

Compared with hadolint (DL3009, DL3019, DL3032, DL3036, DL3040, DL3042, DL3060), on the \
project's corpus and on hadolint's own test cases every difference falls in one of these \
classes:
- hadolint reports builder stages, whose layers never reach the image (and every \
`ONBUILD RUN`, wherever it is); this rule does not;
- hadolint does not report stages the final stage is based on (`FROM base`), whose layers \
do ship; this rule does;
- hadolint does not see every cache mount, nor `PIP_NO_CACHE_DIR` set by `ENV` in some \
cases; it takes `PIP_NO_CACHE_DIR=0` (or `false`, `no`, `off`) as leaving the cache on, \
which pip does not;
- hadolint accepts fewer cleanups: this rule also takes `rm -r /var/lib/apt/lists`, \
`apt-get dist-clean` (apt 3), `rm -rf /var/cache/apk/*`, `yum clean all` after dnf; it does \
not take `rm -rf /var/cache/yum` after dnf, which keeps its cache in /var/cache/dnf (or \
/var/cache/libdnf5);
- hadolint does not read heredoc or `sh -c` scripts, looks at `dnf install` only (not \
`swap`, `reinstall`, `upgrade`, `in`), misses some `microdnf` and `yum` calls after `;`, \
treats `apk update` followed by `apk add --no-cache` as clean (the index stays in \
/var/cache/apk), and misses a bare `yarn`;
- hadolint does not notice a cleanup that comes before a later `apt-get update`.

For apt this rule looks for `apt-get update`, which is what writes the lists. npm, pacman \
and tdnf have no hadolint counterpart.

## Fixes
- **Clean the cache in this layer** (safe): `--no-cache` / `--no-cache-dir` at each call, or \
the cleanup command appended to the RUN. Package indexes are state later RUNs read \
(`apt-get install` reads the lists `apt-get update` wrote; `apk add` reads the index \
`apk update` wrote; zypper is treated the same way): where the cleanup removes an index, it \
is only offered when this RUN installs with it and no later RUN of the stage, `ONBUILD RUN` \
or stage built `FROM` this one reads it before downloading it again. When a later RUN runs \
code the rule cannot read (a script file, `curl ... | sh`) the fix is offered but not safe. \
yum, dnf, microdnf, tdnf, pacman, pip, npm and yarn fetch what they miss, so their cleanup is \
always safe.
- **Move `apt-get update` into the RUN on line N** (safe when only `LABEL`, `EXPOSE`, \
`CMD`, `ENTRYPOINT`, `HEALTHCHECK`, `STOPSIGNAL` or `MAINTAINER` stand between, else \
unsafe): for a RUN that only downloads the index for a later RUN, the download moves into \
that RUN, right before the first command that reads it; the next fix then cleans up there. \
Not offered across a `USER`, into a RUN with `--network`, from a RUN with flags or more \
than the one command, or into a condition.
- **Use a BuildKit cache mount** (unsafe: it changes how the build caches): the cache \
moves into a mount, out of the layer; only the mounts the RUN lacks are added (BuildKit \
refuses two mounts at one target). Not offered where a later RUN reads the index. For a \
RUN whose apt lists are already a mount while docker-clean is gone, **Mount /var/cache/apt \
as a cache too** (unsafe, for the same reason) adds the one missing mount.

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
    on_by_default: true,
    check,
};

/// A call, the script it is in, and its place among the RUN's commands.
struct Found<'a> {
    script: &'a RunScript,
    call: ManagerCall<'a>,
    position: usize,
}

/// Managers whose `clean` empties the same cache (yum is dnf on newer systems). microdnf
/// keeps its own cache: `microdnf clean all` leaves dnf's.
fn same_family(a: ManagerId, b: ManagerId) -> bool {
    let rpm = |id| matches!(id, ManagerId::Yum | ManagerId::Dnf);
    a == b || (rpm(a) && rpm(b))
}

/// The hadolint code of a manager's finding, so that `# hadolint ignore=DL3042` silences
/// pip's finding only. npm, pacman and tdnf have none.
pub fn code(manager: ManagerId) -> Option<&'static str> {
    Some(match manager {
        ManagerId::Apt => "DL3009",
        ManagerId::Apk => "DL3019",
        ManagerId::Yum => "DL3032",
        ManagerId::Zypper => "DL3036",
        ManagerId::Dnf | ManagerId::Microdnf => "DL3040",
        ManagerId::Pip => "DL3042",
        ManagerId::Yarn => "DL3060",
        ManagerId::Npm | ManagerId::Pacman | ManagerId::Tdnf => return None,
    })
}

/// Paths a RUN must remove for the manager's cache to be gone (for apt, the lists: Debian
/// and Ubuntu images already delete downloaded packages).
fn essential_paths(manager: &PackageManager) -> &'static [&'static str] {
    match manager.id {
        ManagerId::Apt => &manager.cache_paths[..1],
        _ => manager.cache_paths,
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

/// True when `variable` (`PIP_NO_CACHE_DIR`) is in the environment of the calls: set by
/// `ENV` in the stage (or one it is built on), before the command (`X=1 pip ...`,
/// `env X=1 pip ...`), or exported earlier in the same script. pip takes any value as the
/// option given (`0` and `false` too, for compatibility); an empty one is no value.
fn no_cache_environment(context: &Context, index: usize, variable: &str, calls: &[&Found]) -> bool {
    let scope = context.source.stages.scope_at(&context.source.file, index);
    if scope.lookup(variable).is_some_and(|found| {
        found.kind == crate::syntax::stages::VariableKind::Env && found.value.as_deref() != Some("")
    }) {
        return true;
    }
    calls.iter().any(|found| {
        let (_, assignments) = found.call.command.unwrapped();
        let assigned = assignments
            .iter()
            .any(|(name, value)| name == variable && !value.is_empty());
        let exported = found.script.script.syntax.exports.iter().any(|export| {
            export.name == variable
                && !export.nested
                && export.end <= found.call.command.range.start
                && export.value.as_deref() != Some("")
        });
        assigned || exported
    })
}

/// True when a RUN of the stage up to `index` (or of a stage it is built on) removed
/// `/etc/apt/apt.conf.d/docker-clean`, the hook with which Debian's and Ubuntu's images
/// delete downloaded packages: from then on apt keeps them in /var/cache/apt/archives.
fn keeps_downloaded_packages(source: &SourceFile, index: usize) -> bool {
    let mut stage = source.stages.stage_of(index);
    let mut end = index + 1;
    while let Some(current) = stage {
        let removed = (current.body.start..end).any(|at| {
            source.scripts(at).iter().any(|script| {
                script.script.commands().iter().any(|command| {
                    layers::removed_paths(command).iter().any(|removed| {
                        layers::path_removes(removed, "/etc/apt/apt.conf.d/docker-clean")
                    })
                })
            })
        });
        if removed {
            return true;
        }
        stage = match current.base {
            crate::syntax::Base::Stage(parent) => source.stages.stages.get(parent),
            _ => None,
        };
        end = stage.map(|parent| parent.body.end).unwrap_or(0);
    }
    false
}

/// Where apt keeps downloaded packages when the image no longer deletes them.
const APT_ARCHIVES: &str = "/var/cache/apt/archives";

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
            .is_some_and(|variable| no_cache_environment(context, index, variable, &own))
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
                layers::removed_paths(command).iter().any(|removed| {
                    essential_paths(manager)
                        .iter()
                        .any(|cache| layers::path_removes(removed, cache))
                })
            },
        );
        if cleaned {
            continue;
        }
        let mounted = essential_paths(manager)
            .iter()
            .any(|cache| layers::under_mount(cache, &mounts));
        // With docker-clean gone, apt keeps the packages it downloads: a mount of the lists
        // alone leaves them in the layer.
        let archives_left = mounted
            && manager.id == ManagerId::Apt
            && !layers::under_mount(APT_ARCHIVES, &mounts)
            && keeps_downloaded_packages(context.source, index);
        if mounted && !archives_left {
            continue;
        }
        reported.push(manager.id);
        let diagnostic = if archives_left {
            archives_report(context, index, &calls, &mounts)
        } else {
            report(context, index, manager, first, &filling)
        };
        found.push(match code(manager.id) {
            Some(code) => diagnostic.alias(code),
            None => diagnostic.without_alias(),
        });
    }
}

/// The finding for a RUN that keeps apt's lists in a cache mount while the packages apt
/// downloads stay in the layer (docker-clean removed): it points at the first command that
/// downloads packages, and its fix mounts /var/cache/apt too.
fn archives_report(
    context: &Context,
    index: usize,
    calls: &[Found],
    mounts: &[String],
) -> Diagnostic {
    let downloads = calls
        .iter()
        .filter(|found| found.call.manager.id == ManagerId::Apt)
        .find(|found| {
            matches!(
                crate::knowledge::package_commands::action(&found.call),
                crate::knowledge::package_commands::Action::Install
                    | crate::knowledge::package_commands::Action::Upgrade
            )
        })
        .or_else(|| {
            calls
                .iter()
                .find(|found| found.call.manager.id == ManagerId::Apt)
        });
    let span = downloads
        .map(|found| {
            let words = &found.call.command.words;
            let program = found
                .script
                .script
                .span(words[found.call.program].range.clone());
            let last = found.call.subcommand.unwrap_or(found.call.program);
            let end = found.script.script.span(words[last].range.clone()).end;
            program.start..end.max(program.start)
        })
        .unwrap_or_else(|| {
            context.source.instructions()[index]
                .keyword_word
                .span
                .clone()
        });
    let message = "apt keeps downloaded packages in /var/cache/apt/archives once /etc/apt/apt.conf.d/docker-clean is removed, and only the lists are in a cache mount: mount /var/cache/apt as a cache too";
    Diagnostic::new(&RULE, span, message).fix_with(context, || {
        let instruction = context.source.instructions()[index].effective();
        // Only the mount that is missing: a second mount of the same target is an error.
        let missing = "--mount=type=cache,target=/var/cache/apt,sharing=locked";
        if layers::under_mount("/var/cache/apt", mounts) {
            return None;
        }
        Some(Fix::new(
            "Mount /var/cache/apt as a cache too",
            vec![Edit::insert(
                instruction.arguments_span().start,
                format!("{missing} "),
            )],
        ))
    })
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
    let later = if manager.index.is_some() {
        package_index::needed_after(source, index, manager)
    } else {
        Later::Unneeded
    };
    let used_here = package_index::used_in_run(source, index, manager);
    let message = match later {
        // The download is meant for a later RUN: the repair is one RUN, not a cleanup here.
        Later::Needed(reader) if manager.index.is_some() && !used_here => {
            let line = source.line_number(source.instructions()[reader].span.start);
            format!(
                "`{what}` leaves its index ({cache}) in this layer for the RUN on line {line}: download, install and clean up in one RUN"
            )
        }
        _ => {
            let remedy = match manager.no_cache_option {
                Some(option) => {
                    format!("use {option}, clean up in the same RUN, or use a cache mount")
                }
                None => format!(
                    "run `{}` in the same RUN, or use a cache mount",
                    manager.cleanup
                ),
            };
            format!("`{what}` leaves its cache ({cache}) in this layer: {remedy}")
        }
    };
    let judged = Judged {
        index,
        manager,
        later,
        used_here,
    };
    Diagnostic::new(&RULE, start..end, message)
        .fix_with(context, || move_download_fix(source, &judged, first))
        .fix_with(context, || clean_fix(source, &judged, filling))
        .fix_with(context, || mount_fix(context, &judged))
}

/// What the fixes of one finding need to know about its RUN.
struct Judged {
    /// The RUN.
    index: usize,
    manager: &'static PackageManager,
    /// Whether a later command reads the manager's index as this RUN leaves it.
    later: Later,
    /// Whether the RUN reads the index itself.
    used_here: bool,
}

impl Judged {
    /// Whether a fix that takes the index out of this layer may be offered, and if so whether
    /// it is safe: never where a later command reads the index, and not safe where a later
    /// command runs code that might.
    fn removal(&self) -> Option<bool> {
        if self.manager.index.is_none() {
            return Some(true);
        }
        match self.later {
            Later::Needed(_) => None,
            Later::Unknown(_) => Some(false),
            Later::Unneeded => Some(true),
        }
    }
}

/// "Clean the cache in this layer": the no-cache option at each call, or the cleanup
/// command after the script. Where the cleanup removes an index, it is only offered when this
/// RUN reads the index itself (cleaning up right after an `apt-get update` alone is no repair)
/// and nothing later reads it ([`package_index::needed_after`]).
fn clean_fix(source: &SourceFile, judged: &Judged, filling: &[&Found]) -> Option<Fix> {
    let manager = judged.manager;
    let title = format!("Clean the {} cache in this layer", manager.name);
    let option_works = manager.no_cache_option.is_some()
        && filling.iter().all(|found| {
            !(found.call.manager.id == ManagerId::Apk
                && matches!(found.call.subcommand(), "update"))
        });
    let removes_index = manager.index.is_some()
        && (!option_works
            || filling.iter().any(|found| {
                package_index::effect(found.call.command, manager) == Some(Effect::Create)
            }));
    let safe = if removes_index {
        if !judged.used_here {
            return None;
        }
        judged.removal()?
    } else {
        true
    };
    let fix = if option_works && let Some(option) = manager.no_cache_option {
        let mut edits = Vec::new();
        for found in filling {
            let at = found.call.subcommand?;
            let span = word_span(found, &found.call.command.words[at])?;
            edits.push(Edit::insert(span.end, format!(" {option}")));
        }
        Fix::new(title, edits).preferred()
    } else {
        let cleanup = match manager.id {
            ManagerId::Apt => "rm -rf /var/lib/apt/lists/*",
            _ => manager.cleanup,
        };
        let edit = layers::append_to_run(source, judged.index, cleanup)?;
        Fix::new(title, vec![edit]).preferred()
    };
    Some(if safe { fix.safe() } else { fix })
}

/// "Move `apt-get update` into the RUN on line N": a RUN that only downloads the index for a
/// later RUN (the classic `RUN apt-get update` on its own line) is removed, and the download
/// runs in the RUN that reads the index, right before the command that reads it. Safe when
/// only instructions that change nothing a command sees stand between the two.
fn move_download_fix(source: &SourceFile, judged: &Judged, first: &Found) -> Option<Fix> {
    let Later::Needed(reader) = judged.later else {
        return None;
    };
    if judged.used_here {
        return None;
    }
    let index = judged.index;
    let instructions = source.instructions();
    let download = &instructions[index];
    // Only a RUN that is this one command, with nothing that would need to move with it.
    let script = layers::command_line(source, index)?;
    let commands = script.script.commands();
    if download.onbuild.is_some()
        || !download.flags.is_empty()
        || !download.heredocs.is_empty()
        || commands.len() != 1
        || first.call.command.nested
        || script.script.syntax.has_comment
        || source.stages.stage_of(reader).map(|stage| stage.index)
            != source.stages.stage_of(index).map(|stage| stage.index)
    {
        return None;
    }
    let target = &instructions[reader];
    if target.onbuild.is_some() || target.flag("network").is_some() {
        return None;
    }
    let between = &instructions[index + 1..reader];
    // The download must run as the same user.
    if between
        .iter()
        .any(|instruction| instruction.keyword == Keyword::User)
    {
        return None;
    }
    // The first command of the reading RUN that reads the index, where a statement starts.
    let (reading_script, reading) = source.scripts(reader).iter().find_map(|run_script| {
        let syntax = &run_script.script.syntax;
        run_script.script.commands().iter().find_map(|command| {
            (package_index::effect(command, judged.manager) == Some(Effect::Need)
                && !command.nested
                && syntax
                    .statements
                    .iter()
                    .any(|statement| statement.start == command.range.start))
            .then_some((run_script, command))
        })
    })?;
    let at = reading_script.script.span(reading.range.clone()).start;
    let text = &script.script.text[commands[0].range.clone()];
    let line = source.line_number(target.span.start);
    let fix = Fix::new(
        format!("Move `{text}` into the RUN on line {line}"),
        vec![
            Edit::delete(source.whole_lines(&download.span)),
            Edit::insert(at, format!("{text} && ")),
        ],
    )
    .preferred();
    Some(
        if between
            .iter()
            .all(|instruction| layers::neutral(instruction.keyword))
        {
            fix.safe()
        } else {
            fix
        },
    )
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

/// "Use a BuildKit cache mount": the mount(s) before the command, nothing removed. The index
/// then lives in the mount, out of the layer: not offered where a later RUN reads it.
fn mount_fix(context: &Context, judged: &Judged) -> Option<Fix> {
    let (index, manager) = (judged.index, judged.manager);
    if manager.index.is_some() && !judged.used_here {
        return None;
    }
    judged.removal()?;
    let source = context.source;
    let outer = &source.instructions()[index];
    let instruction = outer.effective();
    if !manager.system && !runs_as_root(source, index) {
        return None;
    }
    // Only the mounts the RUN lacks: BuildKit refuses two mounts at one target.
    let mounted = layers::uncommitted_mounts(instruction);
    let missing: Vec<&str> = manager
        .cache_mount
        .split_whitespace()
        .filter(|mount| {
            mount
                .split(',')
                .find_map(|field| field.strip_prefix("target="))
                .is_none_or(|target| !mounted.iter().any(|done| done == target))
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut edits = vec![Edit::insert(
        instruction.arguments_span().start,
        format!("{} ", missing.join(" ")),
    )];
    if manager.id == ManagerId::Apt && !keeps_downloaded_packages(source, index) {
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
    fn each_finding_answers_to_its_managers_code() {
        let text = "FROM python\nRUN pip install flask && npm ci && apt-get update && dnf in x && microdnf install y\n";
        let found = run(&RULE, text);
        let codes: Vec<Option<&str>> = found.iter().map(|finding| finding.code()).collect();
        assert_eq!(
            codes,
            vec![
                Some("DL3042"),
                None,
                Some("DL3009"),
                Some("DL3040"),
                Some("DL3040")
            ]
        );
        let ignored = "FROM python\n# hadolint ignore=DL3042\nRUN pip install flask && npm ci && apt-get update\n";
        assert_eq!(underlined(&RULE, ignored), vec!["npm ci", "apt-get update"]);
        let settings = crate::lint::Settings {
            ignore: vec!["DL3009".into(), "DL3042".into()],
            ..crate::lint::Settings::default()
        };
        let found = crate::lint::testing::run_with(&RULE, text, &settings);
        assert_eq!(found.len(), 3, "npm and the two dnf-family findings stay");
    }

    #[test]
    fn pip_sees_no_cache_dir_from_the_environment() {
        for text in [
            "FROM python\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n",
            "FROM python\nRUN export PIP_NO_CACHE_DIR=false; pip install flask\n",
            "FROM python AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n",
            "FROM python\nRUN env PIP_NO_CACHE_DIR=0 pip install flask\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        for text in [
            // Not exported, exported after the install, empty, or in another stage.
            "FROM python\nRUN PIP_NO_CACHE_DIR=1; pip install flask\n",
            "FROM python\nRUN pip install flask && export PIP_NO_CACHE_DIR=1\n",
            "FROM python\nRUN PIP_NO_CACHE_DIR= pip install flask\n",
            "FROM python AS base\nENV PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install six\n",
            "FROM python\nRUN pip3.12 install flask\n",
        ] {
            assert_eq!(run(&RULE, text).len(), 1, "{text}");
        }
    }

    #[test]
    fn dnf_and_microdnf_clean_their_own_caches() {
        for text in [
            "FROM fedora\nRUN dnf in -y x\n",
            "FROM fedora\nRUN dnf up -y\n",
            "FROM fedora\nRUN dnf rei -y x\n",
            "FROM fedora\nRUN dnf install -y x && microdnf clean all\n",
            "FROM fedora\nRUN dnf install -y x && rm -rf /var/cache/yum/*\n",
        ] {
            assert_eq!(run(&RULE, text).len(), 1, "{text}");
        }
        for text in [
            "FROM ubi-minimal\nRUN microdnf install -y x && microdnf clean all\n",
            "FROM ubi-minimal\nRUN microdnf install -y x && rm -rf /var/cache/yum/*\n",
            "FROM fedora\nRUN dnf install -y x && yum clean all\n",
            "FROM fedora\nRUN dnf install -y x && rm -rf /var/cache/dnf\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn apt_mounts_must_hold_the_packages_once_docker_clean_is_gone() {
        for text in [
            "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n",
            "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y x\n",
            "FROM debian\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
        // Only the packages' cache in a mount: the lists stay.
        let text = "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y x\n";
        assert_eq!(underlined(&RULE, text), vec!["apt-get update"]);
        assert_eq!(
            fixed_mount(text),
            "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y x\n"
        );
        // Only the lists in a mount, docker-clean gone: the packages stay.
        let text = "FROM debian\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n";
        let found = run(&RULE, text);
        assert_eq!(underlined(&RULE, text), vec!["apt-get install"]);
        assert_eq!(found[0].code(), Some("DL3009"));
        assert_eq!(
            apply_fix(&RULE, text, "Mount /var/cache/apt"),
            "FROM debian\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y x\n"
        );
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

    /// Applies the first finding's "Move ..." fix: the finding stays (the moved download is
    /// cleaned up by the next round's fix), the file still parses and keeps every word.
    fn moved(text: &str) -> String {
        let found = run(&RULE, text);
        let fix = found[0]
            .fixes
            .iter()
            .find(|fix| fix.title.starts_with("Move"))
            .expect("a move fix");
        let (after, applied) = crate::lint::apply_edits(text, &fix.edits);
        assert_eq!(applied, fix.edits.len());
        assert!(SourceFile::parse(&after).file.errors.is_empty(), "{after}");
        let mut before_words = words_of_runs(text);
        let mut after_words = words_of_runs(&after);
        before_words.sort();
        after_words.sort();
        assert_eq!(before_words, after_words, "{after}");
        after
    }

    /// The titles of the fixes of the first finding, each with whether it is safe.
    fn fixes_of(text: &str) -> Vec<(String, bool)> {
        run(&RULE, text)[0]
            .fixes
            .iter()
            .map(|fix| (fix.title.clone(), fix.safe))
            .collect()
    }

    #[test]
    fn no_cleanup_where_a_later_run_reads_the_index() {
        // The lists are read by the next RUN: removing them here breaks that install.
        for text in [
            "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n",
            "FROM debian AS base\nRUN apt-get update && apt-get install -y a\nFROM base\nRUN apt-get install -y b\n",
            "FROM debian\nRUN apt-get update && apt-get install -y a\nONBUILD RUN apt-get install -y b\n",
            "FROM alpine\nRUN apk update && apk add a\nRUN apk add b\n",
            // `--no-cache` would stop `-U` from leaving the index the next `apk add` reads.
            "FROM alpine\nRUN apk add -U a\nRUN apk add b\n",
        ] {
            let fixes = fixes_of(text);
            assert!(
                fixes.iter().all(|(title, _)| !title.starts_with("Clean")
                    && !title.starts_with("Use a BuildKit")),
                "{text}: {fixes:?}"
            );
        }
        // What later RUNs read is downloaded again there: the cleanup is safe.
        for text in [
            "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n",
            "FROM alpine\nRUN apk update && apk add a\nRUN apk add --no-cache b\n",
            "FROM alpine\nRUN apk add a\nRUN apk add b\n",
            "FROM centos:7\nRUN yum install -y a\nRUN yum install -y b && yum clean all\n",
        ] {
            let fixes = fixes_of(text);
            assert!(
                fixes
                    .iter()
                    .any(|(title, safe)| title.starts_with("Clean") && *safe),
                "{text}: {fixes:?}"
            );
        }
    }

    #[test]
    fn a_script_that_might_read_the_index_makes_the_cleanup_unsafe() {
        for text in [
            "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN ./install-more.sh\n",
            "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN curl -fsSL https://deb.example/setup | bash -\n",
        ] {
            assert_eq!(
                fixes_of(text)[0],
                ("Clean the apt cache in this layer".to_string(), false),
                "{text}"
            );
        }
    }

    #[test]
    fn an_update_alone_moves_into_the_run_that_installs() {
        // Side by side: the download joins the install, then a second round cleans up.
        let text = "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y ca-certificates curl\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("for the RUN on line 3"),
            "{}",
            found[0].message
        );
        assert_eq!(
            fixes_of(text),
            vec![(
                "Move `apt-get update` into the RUN on line 3".to_string(),
                true
            )]
        );
        let joined = moved(text);
        assert_eq!(
            joined,
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y ca-certificates curl\n"
        );
        assert_eq!(
            fixed(&joined, "Clean the apt cache"),
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y ca-certificates curl && rm -rf /var/lib/apt/lists/*\n"
        );
        // The issue's case: the file cleans up in the install's RUN, an ENV stands between.
        // No cleanup after the update (it would break the install); moving the update past
        // the ENV is offered but not safe (the update would see the new variable).
        let text = "FROM debian:bookworm-slim\nRUN apt-get update\nENV X=1\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(
            fixes_of(text),
            vec![(
                "Move `apt-get update` into the RUN on line 4".to_string(),
                false
            )]
        );
        assert_eq!(
            moved(text),
            "FROM debian:bookworm-slim\nENV X=1\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        );
        // Only metadata between: safe. Into the middle of a chain, before the first reader.
        let text = "FROM debian\nRUN apt-get update -qq\nLABEL a=b\nRUN mkdir -p /x; apt-get install -y curl\n";
        assert!(fixes_of(text)[0].1);
        assert_eq!(
            moved(text),
            "FROM debian\nLABEL a=b\nRUN mkdir -p /x; apt-get update -qq && apt-get install -y curl\n"
        );
    }

    #[test]
    fn the_download_stays_where_moving_it_would_change_it() {
        for text in [
            // Another user could not run apt-get update.
            "FROM debian\nRUN apt-get update\nUSER app\nRUN sudo apt-get install -y curl\n",
            // No network in the reading RUN.
            "FROM debian\nRUN apt-get update\nRUN --network=none apt-get install -y ./x.deb\n",
            // Flags of the download's RUN would be lost.
            "FROM debian\nRUN --mount=type=secret,id=auth apt-get update\nRUN apt-get install -y curl\n",
            // The RUN does more than download.
            "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n",
            // The reader is inside a condition.
            "FROM debian\nRUN apt-get update\nRUN if true; then apt-get install -y curl; fi\n",
        ] {
            let fixes = fixes_of(text);
            assert!(
                fixes.iter().all(|(title, _)| !title.starts_with("Move")),
                "{text}: {fixes:?}"
            );
            assert!(
                fixes.iter().all(|(title, _)| !title.starts_with("Clean")),
                "{text}: {fixes:?}"
            );
        }
    }

    fn fixed_mount(text: &str) -> String {
        fixed(text, "Use a BuildKit cache mount")
    }
}
