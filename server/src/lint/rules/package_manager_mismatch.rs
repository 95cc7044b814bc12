//! PackageManagerMismatch: a RUN calls a package manager that the stage's base image does
//! not have (`apt-get` on Alpine, `apk` on Debian, `yum` where only `microdnf` exists,
//! anything on scratch or distroless).

use crate::knowledge::catalog::Certainty;
use crate::knowledge::distros::Family;
use crate::knowledge::package_commands::{self, Action};
use crate::knowledge::package_managers::{self, CallSite, ManagerCall, ManagerId};
use crate::knowledge::stage_bases::StageBase;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::memo::Attached;
use crate::syntax::shell::ShellSyntax;
use crate::syntax::{Base, Connector, Instruction, Keyword, Script, SourceFile};
use crate::text::Span;

pub static RULE: Rule = Rule {
    name: "PackageManagerMismatch",
    aliases: &[],
    severity: Severity::Error,
    summary: "A RUN calls a package manager the base image does not have",
    documentation: "\
## What it does
Follows each stage to its base image (through `FROM <stage>` and `ARG` defaults), looks the \
image up in the offline catalog, and flags package-manager commands in `RUN` that the image \
does not have: `apt-get` in an Alpine stage, `apk` on Debian, `yum` or `dnf` where a \
minimal image has only `microdnf`, `dnf` on CentOS 7 or Amazon Linux 2, and any package \
manager on `scratch`, distroless, BusyBox or `-micro` images.

Language package managers (`pip`, `npm`, `yarn`) are fine wherever they could have been \
installed; they are reported only on images without any package manager.

It is an error when the catalog is certain of the distribution (the image or its tag names \
it) and the stage is built (the last stage, one it needs, or one `targetStages` names), and a \
warning when the distribution is inferred (an image's default variant, an `ARG` default a \
build can override, an unknown image named like a distribution) or the stage is one BuildKit \
skips. Unknown images are not checked.

Not reported when:
- the command is guarded by a test of the distribution or of the program \
(`[ -f /etc/alpine-release ] && ...`, `command -v apt-get && ...`), or is one branch of a \
script that also calls a package manager the image has (`if`, `case`, `||`);
- an earlier `RUN` of the stage (or of a stage it is built on) installed that package \
manager;
- an earlier `COPY` or `ADD` to `/` filled an image that has no package manager (a root \
filesystem copied into `scratch`).

The fix rewrites the command for the image's own package manager, keeping the package \
names, which can differ between distributions: check them.

## Why
The build fails with `apt-get: not found`, usually after minutes of earlier steps, or the \
wrong base image was chosen. A mismatch often comes from switching a base image \
(`python:3.12` to `python:3.12-alpine`) without updating the `RUN` lines.

## Fixes
**Use MANAGER** (unsafe): the same action with the stage's package manager. Package \
names differ between distributions: check them.

## Example
```dockerfile
FROM python:3.12-alpine
RUN apt-get update && apt-get install -y --no-install-recommends gcc
```

## Use instead
```dockerfile
FROM python:3.12-alpine
RUN apk add --no-cache gcc
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// What the stage has done to its filesystem before a command.
#[derive(Clone, Debug, Default)]
struct StageState {
    /// Package managers installed so far (as packages, by any manager).
    installed: Vec<ManagerId>,
    /// A `COPY` or `ADD` to `/` replaced the filesystem.
    replaced_root: bool,
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let source = context.source;
    let bases = context.stage_bases();
    // A stage nothing needs is skipped, so its mismatch cannot fail the build.
    let built = context.built_stages();
    let mut end_states: Vec<StageState> = Vec::with_capacity(bases.len());
    for stage in &source.stages.stages {
        let is_built = built[stage.index];
        let mut state = match stage.base {
            Base::Stage(parent) => end_states.get(parent).cloned().unwrap_or_default(),
            _ => StageState::default(),
        };
        let base = &bases[stage.index];
        for index in stage.body.clone() {
            let instruction = source.instructions()[index].effective();
            if matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
                && copies_to_root(instruction)
            {
                state.replaced_root = true;
            }
            for run_script in source.scripts(index) {
                let script = &run_script.script;
                let commands = script.commands();
                for (position, site) in calls(script).iter().enumerate() {
                    let Some((site, installs)) = site else {
                        continue;
                    };
                    let call = site.on(&commands[position]);
                    if let Some(diagnostic) =
                        judge(context, base, &state, script, position, &call, is_built)
                    {
                        found.push(diagnostic);
                    }
                    for provided in installs.iter() {
                        if !state.installed.contains(provided) {
                            state.installed.push(*provided);
                        }
                    }
                }
            }
        }
        end_states.push(state);
    }
}

/// Per command of `script`: the package manager it calls, if any, and the package managers
/// it installs. A function of the script's parse, worked out once per parse and kept with it:
/// the same scripts come back on every keystroke.
type Calls = std::sync::Arc<[Option<(CallSite, Box<[ManagerId]>)>]>;

fn calls(script: &Script) -> Calls {
    static KNOWN: Attached<ShellSyntax, Calls> = Attached::new();
    KNOWN.get_or_insert_with(&script.syntax, || {
        script
            .commands()
            .iter()
            .map(|command| {
                let call = package_managers::call(command)?;
                let mut installs: Vec<ManagerId> = Vec::new();
                if package_commands::action(&call) == Action::Install {
                    let (packages, _) = package_commands::split_arguments(&call);
                    for word in packages {
                        if let Some(provided) = provides(&word.text)
                            && !installs.contains(&provided)
                        {
                            installs.push(provided);
                        }
                    }
                }
                Some((CallSite::of(&call), installs.into_boxed_slice()))
            })
            .collect()
    })
}

/// `COPY rootfs/ /`, `ADD rootfs.tar.gz /`: the destination is the root.
fn copies_to_root(instruction: &Instruction) -> bool {
    instruction.values.len() >= 2
        && instruction
            .values
            .last()
            .is_some_and(|destination| matches!(destination.text.as_str(), "/" | "/."))
}

/// The package manager a package of this name provides, if any (to notice one installed by an
/// earlier command).
fn provides(package: &str) -> Option<ManagerId> {
    Some(match package {
        "apt" | "apt-get" => ManagerId::Apt,
        "apk-tools" | "apk" => ManagerId::Apk,
        "yum" => ManagerId::Yum,
        "dnf" | "dnf5" => ManagerId::Dnf,
        "microdnf" => ManagerId::Microdnf,
        "zypper" => ManagerId::Zypper,
        "tdnf" => ManagerId::Tdnf,
        "pacman" => ManagerId::Pacman,
        "python3-pip" | "py3-pip" | "python-pip" | "py-pip" | "pip" => ManagerId::Pip,
        "npm" | "nodejs" | "nodejs-npm" | "nodejs-current" => ManagerId::Npm,
        "yarn" | "yarnpkg" => ManagerId::Yarn,
        _ => return None,
    })
}

/// Words that show a script checks which distribution or program it runs on.
const GUARDS: &[&str] = &[
    "command -v",
    "which ",
    "type ",
    "hash ",
    "os-release",
    "/etc/debian_version",
    "/etc/alpine-release",
    "/etc/redhat-release",
    "/etc/centos-release",
    "/etc/fedora-release",
    "/etc/system-release",
    "/etc/SuSE-release",
    "/etc/issue",
    "-x /usr/bin/",
    "-x /sbin/",
    "-x /bin/",
    "-f /usr/bin/",
    "-f /sbin/",
    "-e /usr/bin/",
];

/// True when the call is one choice of a script that handles several distributions.
fn guarded(script: &Script, position: usize, base: &StageBase, call: &ManagerCall) -> bool {
    let commands = script.commands();
    let command = &commands[position];
    let statement = script
        .syntax
        .statements
        .iter()
        .find(|range| range.start <= command.range.start && command.range.end <= range.end)
        .and_then(|range| script.text.get(range.clone()))
        .unwrap_or(&script.text);
    if GUARDS.iter().any(|guard| statement.contains(guard)) {
        return true;
    }
    // A branch of an `if` or `case` in a script that reads which system it is on
    // (`. /etc/os-release; if [ "$ID" = alpine ]; then ...`).
    if command.nested && GUARDS.iter().any(|guard| script.text.contains(guard)) {
        return true;
    }
    let alternative = command.nested
        || command.connector == Connector::Or
        || commands
            .get(position + 1)
            .is_some_and(|next| next.connector == Connector::Or);
    alternative
        && commands
            .iter()
            .filter_map(package_managers::call)
            .any(|other| {
                other.manager.system
                    && other.manager.id != call.manager.id
                    && base
                        .info()
                        .is_some_and(|info| info.may_have(other.manager.id))
            })
}

fn judge(
    context: &Context,
    base: &StageBase,
    state: &StageState,
    script: &Script,
    position: usize,
    call: &ManagerCall,
    is_built: bool,
) -> Option<Diagnostic> {
    let source = context.source;
    let certainty = base.certainty()?;
    let manager = call.manager;
    let info = base.info();
    let windows = info
        .and_then(|info| info.distro)
        .is_some_and(|distro| distro.family == Family::Windows);
    let has_managers = info.is_some_and(|info| !info.package_managers().is_empty());
    // A root filesystem copied into an image without a package manager brings its own; on a
    // distribution, files copied to `/` (`COPY --from=xx / /`) do not change it.
    if state.replaced_root && !has_managers {
        return None;
    }
    let allowed = match info {
        None => false,
        Some(info) if manager.system => info.may_have(manager.id),
        Some(_) => windows || has_managers,
    };
    if allowed {
        return None;
    }
    if state.installed.contains(&manager.id) {
        return None;
    }
    if guarded(script, position, base, call) {
        return None;
    }
    let command = &script.commands()[position];
    let program_word = command.words.get(call.program)?;
    let span = script.span(program_word.range.clone());
    let program = program_word
        .text
        .rsplit('/')
        .next()
        .unwrap_or(&program_word.text);
    let described = base.describe(source);
    let shell = info.map(|info| info.shell());
    let no_shell = base.is_scratch() || shell == Some(crate::knowledge::distros::Shell::None);
    let message = if windows {
        format!("`{program}` does not exist on Windows: this stage is built on {described}")
    } else if !has_managers {
        let shell_note = if no_shell { " and no shell" } else { "" };
        format!(
            "`{program}` is not available: this stage is built on {described}, which has no package manager{shell_note}"
        )
    } else {
        let names: Vec<String> = info
            .map(|info| info.package_managers())
            .unwrap_or(&[])
            .iter()
            .map(|id| format!("`{}`", package_managers::manager(*id).name))
            .collect();
        let verb = if names.len() == 1 { "is" } else { "are" };
        format!(
            "`{program}` is not available: this stage is built on {described}, whose package manager {verb} {}",
            names.join(" and ")
        )
    };
    let severity = match certainty {
        Certainty::Certain if is_built => Severity::Error,
        _ => Severity::Warning,
    };
    let target = info
        .and_then(|info| info.package_managers().first().copied())
        .filter(|_| manager.system);
    Some(
        Diagnostic::new(&RULE, span, message)
            .severity(severity)
            .fix_with(context, || {
                translation(source, script, position, call, target?)
            }),
    )
}

/// The document span of script bytes `range`, when it maps one-to-one (no escapes or
/// continuations inside), so an edit there replaces exactly those characters.
fn exact_span(source: &SourceFile, script: &Script, range: std::ops::Range<usize>) -> Option<Span> {
    let span = script.span(range.clone());
    (source.slice(&span) == script.text.get(range)?).then_some(span)
}

/// The span of a word to delete, with the blanks before it on its line.
fn deletion(source: &SourceFile, span: Span) -> Span {
    let bytes = source.text.as_bytes();
    let mut start = span.start;
    while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    start..span.end
}

/// The same call written for `target`: the program, sub-command and options replaced, the
/// package words kept in place (with their quoting and line breaks).
fn translation(
    source: &SourceFile,
    script: &Script,
    position: usize,
    call: &ManagerCall,
    target: ManagerId,
) -> Option<Fix> {
    if call.manager.id == ManagerId::Pacman || call.manager.id == target {
        return None;
    }
    let commands = script.commands();
    let command = &commands[position];
    let in_pipeline = matches!(command.connector, Connector::Pipe | Connector::Background)
        || commands
            .get(position + 1)
            .is_some_and(|next| matches!(next.connector, Connector::Pipe | Connector::Background));
    if in_pipeline {
        return None;
    }
    let action = package_commands::action(call);
    let replacement = package_commands::command_for(target, action)?;
    let subcommand = call.subcommand?;
    let (packages, options) = package_commands::split_arguments(call);
    let words = &command.words;
    let head_range = words[call.program].range.start..words[subcommand].range.end;
    let head = exact_span(source, script, head_range)?;
    let mut edits = Vec::new();
    match action {
        Action::Install | Action::Remove => {
            if packages.is_empty() {
                return None;
            }
            let mut text = replacement.to_string();
            let refreshed_before = commands[..position].iter().any(|earlier| {
                package_managers::call(earlier)
                    .is_some_and(|earlier| package_commands::action(&earlier) == Action::Refresh)
            });
            if action == Action::Install && target == ManagerId::Apt && !refreshed_before {
                text = format!("apt-get update && {text}");
            }
            edits.push(Edit::replace(head, text));
            for option in options {
                let span = exact_span(source, script, option.range.clone())?;
                edits.push(Edit::delete(deletion(source, span)));
            }
            // The cache is cleaned in the same RUN, unless a later command already cleans
            // up (its own finding translates it).
            let cleaned_after = commands[position + 1..].iter().any(|later| {
                later.program() == Some("rm")
                    || package_managers::call(later)
                        .is_some_and(|later| package_commands::action(&later) == Action::Clean)
            });
            if action == Action::Install && target != ManagerId::Apk && !cleaned_after {
                let last = words.last()?;
                let end = exact_span(source, script, last.range.clone())?.end;
                let cleanup = package_commands::command_for(target, Action::Clean)?;
                edits.push(Edit::insert(end, format!(" && {cleanup}")));
            }
        }
        Action::Refresh | Action::Upgrade | Action::Clean => {
            // Upgrading named packages has no one-word equivalent everywhere.
            if action == Action::Upgrade && !packages.is_empty() {
                return None;
            }
            let range = words[call.program].range.start..command.range.end;
            let span = exact_span(source, script, range)?;
            edits.push(Edit::replace(span, replacement));
        }
        Action::Other => return None,
    }
    let name = package_managers::manager(target).name;
    Some(Fix::new(
        format!(
            "Use {name}: `{replacement}` (check the package names: they can differ between distributions)"
        ),
        edits,
    ))
}

#[cfg(test)]
mod tests;
