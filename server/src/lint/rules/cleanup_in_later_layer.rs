//! CleanupInLaterLayer: a RUN that only deletes caches or temporary files an earlier RUN of
//! the stage created. The files stay in the earlier layer; the image is no smaller.

use crate::knowledge::package_managers::{self, ManagerId};
use crate::lint::layers;
use crate::lint::package_index;
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity, Tag};
use crate::syntax::{Command, Keyword, SourceFile};

pub static RULE: Rule = Rule {
    name: "CleanupInLaterLayer",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A RUN deletes files that an earlier layer keeps anyway",
    documentation: "\
## What it does
Flags a `RUN` whose only effect is deleting package caches or temporary files that an \
earlier `RUN` of the same stage created: `yum clean all`, `rm -rf /var/cache/yum`, \
`apt-get clean`, `rm -rf /var/lib/apt/lists/*`, `rm -rf /tmp/*`, `apk del .build-deps` of \
packages added with `--virtual` in another layer. The fix moves the cleanup into that \
earlier `RUN`.

## Why
Each `RUN` is a layer, and a layer can only add to what is below it: deleting a file in a \
later layer hides it, but its bytes are still in the image, in the earlier layer. The \
cleanup must happen in the `RUN` that created the files.

Only stages whose layers reach the image are checked (see `PackageCacheNotCleaned`). A \
cleanup is only reported when an earlier `RUN` of the stage used that package manager (or \
wrote to that temporary directory): deleting something a base image left behind is a \
different matter.

## Fixes
**Move the cleanup into the RUN on line N**: appends the cleanup to the RUN that created \
the files and removes the cleanup RUN. The cleanup then runs earlier, so what stands between \
no longer sees the files: the fix is not offered when a RUN between reads a package index \
the cleanup removes, nor for temporary files and virtual packages (`apk del .build-deps`) \
when any RUN stands between (it may use them). It is safe unless an instruction between \
changes what the cleanup runs with (`ENV`, `ARG`, `USER`, `WORKDIR`, `SHELL`, `VOLUME`), \
or a script between might read a removed index.

## Example
```dockerfile
FROM centos:7
RUN yum install -y httpd
RUN yum clean all && rm -rf /var/cache/yum
```

## Use instead
```dockerfile
FROM centos:7
RUN yum install -y httpd && yum clean all && rm -rf /var/cache/yum
```
",
    syntax: false,
    on_by_default: true,
    check,
};

/// What one cleanup command deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Deletes {
    Cache(ManagerId),
    Temporary(String),
    Virtual(String),
}

const TEMPORARY: &[&str] = &["/tmp", "/var/tmp"];

/// Commands that change nothing (they may sit in a cleanup RUN).
fn is_noop(command: &Command) -> bool {
    matches!(
        command.program(),
        Some("set" | "true" | ":" | "echo" | "sync")
    )
}

/// What a command deletes, or `None` when it does anything else.
fn deletes(command: &Command) -> Option<Vec<Deletes>> {
    if let Some(call) = package_managers::call(command) {
        if call.cleans_cache() {
            return Some(vec![Deletes::Cache(call.manager.id)]);
        }
        if call.manager.id == ManagerId::Apt && matches!(call.subcommand(), "clean" | "autoclean") {
            return Some(vec![Deletes::Cache(ManagerId::Apt)]);
        }
        if call.manager.id == ManagerId::Apk && call.subcommand() == "del" {
            let names: Vec<Deletes> = call
                .arguments()
                .iter()
                .skip_while(|word| word.text != "del")
                .skip(1)
                .filter(|word| !word.text.starts_with('-'))
                .map(|word| Deletes::Virtual(word.text.to_string()))
                .collect();
            return (!names.is_empty()).then_some(names);
        }
        return None;
    }
    if command.program() != Some("rm") {
        return None;
    }
    let paths: Vec<&str> = command
        .program_arguments()
        .iter()
        .map(|word| word.text.as_str())
        .filter(|word| !word.starts_with('-'))
        .collect();
    if paths.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    for path in paths {
        let path = path.trim_end_matches('*').trim_end_matches('/');
        let cache = package_managers::MANAGERS.iter().find(|manager| {
            manager.cache_paths.iter().any(|cache| {
                path == *cache
                    || path.starts_with(&format!("{cache}/"))
                    || (cache.starts_with(path)
                        && path.len() > 5
                        && cache[path.len()..].starts_with('/'))
            })
        });
        if let Some(manager) = cache {
            found.push(Deletes::Cache(manager.id));
            continue;
        }
        let temporary = TEMPORARY
            .iter()
            .find(|directory| path == **directory || path.starts_with(&format!("{directory}/")));
        match temporary {
            Some(directory) => found.push(Deletes::Temporary((*directory).to_string())),
            None => return None,
        }
    }
    Some(found)
}

/// The earlier RUN of the stage that created what `item` deletes.
fn creator(source: &SourceFile, stage_start: usize, index: usize, item: &Deletes) -> Option<usize> {
    (stage_start..index).rev().find(|at| {
        let instruction = &source.instructions()[*at];
        if instruction.keyword != Keyword::Run {
            return false;
        }
        let commands = source
            .scripts(*at)
            .iter()
            .flat_map(|script| script.script.commands());
        match item {
            Deletes::Cache(id) => commands.filter_map(package_managers::call).any(|call| {
                let family = |other: ManagerId| {
                    matches!(other, ManagerId::Yum | ManagerId::Dnf | ManagerId::Microdnf)
                };
                (call.manager.id == *id || (family(*id) && family(call.manager.id)))
                    && call.fills_cache()
            }),
            Deletes::Virtual(name) => commands.filter_map(package_managers::call).any(|call| {
                call.manager.id == ManagerId::Apk
                    && call.subcommand() == "add"
                    && call.arguments().windows(2).any(|pair| {
                        matches!(pair[0].text.as_str(), "--virtual" | "-t") && pair[1].text == *name
                    })
            }),
            Deletes::Temporary(directory) => {
                instruction.logical.text.contains(&format!("{directory}/"))
            }
        }
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
            if let Some(diagnostic) = judge(context, stage.body.start, index) {
                found.push(diagnostic);
            }
        }
    }
}

fn judge(context: &Context, stage_start: usize, index: usize) -> Option<Diagnostic> {
    let source = context.source;
    let instruction = &source.instructions()[index];
    if instruction.keyword != Keyword::Run || !layers::posix(source, index) {
        return None;
    }
    let commands: Vec<&Command> = source
        .scripts(index)
        .iter()
        .flat_map(|script| script.script.commands())
        .collect();
    let mut items = Vec::new();
    for command in &commands {
        if is_noop(command) {
            continue;
        }
        items.extend(deletes(command)?);
    }
    if items.is_empty() {
        return None;
    }
    let mut creators = Vec::new();
    for item in &items {
        let at = creator(source, stage_start, index, item)?;
        if !creators.contains(&at) {
            creators.push(at);
        }
    }
    creators.sort_unstable();
    let lines: Vec<String> = creators
        .iter()
        .map(|at| {
            source
                .line_number(source.instructions()[*at].span.start)
                .to_string()
        })
        .collect();
    let message = format!(
        "This deletes nothing from the image: the files stay in the layer of line {}",
        lines.join(" and line ")
    );
    let mut diagnostic =
        Diagnostic::new(&RULE, instruction.head_span(), message).tag(Tag::Unnecessary);
    diagnostic = diagnostic.fix_with(context, || match creators.as_slice() {
        [only] => move_fix(source, index, *only, &items, &commands),
        _ => None,
    });
    Some(diagnostic)
}

/// Appends the cleanup to the RUN that created the files and removes the cleanup RUN.
///
/// The cleanup then runs earlier, so the RUNs between the two no longer see what it deletes:
/// not offered when one of them reads a package index it removes, or (for temporary files and
/// virtual packages, whose readers cannot be known) when any RUN stands between. Safe when
/// nothing between changes what the cleanup runs with and no script between might read an
/// index it removes.
fn move_fix(
    source: &SourceFile,
    index: usize,
    target: usize,
    items: &[Deletes],
    commands: &[&Command],
) -> Option<Fix> {
    let instruction = &source.instructions()[index];
    if !instruction.flags.is_empty() || !instruction.heredocs.is_empty() {
        return None;
    }
    let script = layers::command_line(source, index)?;
    if script.script.syntax.has_comment {
        return None;
    }
    let cleanup = source.slice(&instruction.arguments_span());
    if cleanup.trim_end().ends_with(source.file.escape) {
        return None;
    }
    let between = &source.instructions()[target + 1..index];
    let mut safe = !between
        .iter()
        .any(|instruction| layers::changes_run_environment(instruction.keyword));
    // Temporary files and virtual packages may be used by anything that runs between, and a
    // COPY into /tmp between would now be kept.
    if items
        .iter()
        .any(|item| matches!(item, Deletes::Temporary(_) | Deletes::Virtual(_)))
    {
        if between
            .iter()
            .any(|instruction| instruction.effective().keyword == Keyword::Run)
        {
            return None;
        }
        safe &= between
            .iter()
            .all(|instruction| layers::neutral(instruction.keyword));
    }
    for manager in package_managers::MANAGERS {
        let removes = commands.iter().any(|command| {
            package_index::effect(command, manager) == Some(package_index::Effect::Remove)
        });
        if !removes {
            continue;
        }
        match package_index::needed_between(source, target, index, manager) {
            package_index::Later::Needed(_) => return None,
            package_index::Later::Unknown(_) => safe = false,
            package_index::Later::Unneeded => {}
        }
    }
    // As the last part of the earlier RUN's chain: grouped if it has its own operators.
    let wrapped = layers::wrap(
        cleanup,
        layers::grouping(&script.script.syntax, 1, 2),
        source.file.escape,
    );
    let append = layers::append_to_run(source, target, &wrapped)?;
    let line = source.line_number(source.instructions()[target].span.start);
    let fix = Fix::new(
        format!("Move the cleanup into the RUN on line {line}"),
        vec![append, Edit::delete(source.whole_lines(&instruction.span))],
    )
    .preferred();
    Some(if safe { fix.safe() } else { fix })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run};

    #[test]
    fn cleanups_after_the_fact_are_flagged() {
        for (text, line) in [
            (
                "FROM centos:7\nRUN yum install -y httpd\nRUN yum clean all && rm -rf /var/cache/yum\n",
                2,
            ),
            (
                "FROM debian\nRUN apt-get update && apt-get install -y x\nCOPY a b\nRUN apt-get clean; rm -rf /var/lib/apt/lists/*\n",
                2,
            ),
            (
                "FROM alpine\nRUN apk add --virtual .build-deps gcc && make\nRUN apk del .build-deps\n",
                2,
            ),
            (
                "FROM debian\nRUN curl -o /tmp/x.tgz https://example.com && tar xf /tmp/x.tgz\nRUN set -e; rm -rf /tmp/*\n",
                2,
            ),
            (
                "FROM python\nRUN pip install flask\nRUN rm -rf /root/.cache/pip\n",
                2,
            ),
        ] {
            let found = run(&RULE, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(
                found[0].message.ends_with(&format!("line {line}")),
                "{}",
                found[0].message
            );
            assert_eq!(found[0].tags, vec![Tag::Unnecessary]);
        }
    }

    #[test]
    fn real_work_or_unrelated_cleanups_are_not_flagged() {
        for text in [
            "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
            "FROM debian\nRUN rm -rf /var/lib/apt/lists/*\n",
            "FROM debian\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/* && make\n",
            "FROM alpine\nRUN apk add gcc\nRUN apk del gcc\n",
            "FROM debian AS build\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\nFROM scratch\nCOPY --from=build /x /x\n",
            "FROM debian\nRUN apt-get update\nRUN rm -rf /opt/app\n",
        ] {
            assert!(run(&RULE, text).is_empty(), "{text}");
        }
    }

    /// The first finding's fixes: title and whether each is safe.
    fn fixes_of(text: &str) -> Vec<(String, bool)> {
        run(&RULE, text)[0]
            .fixes
            .iter()
            .map(|fix| (fix.title.clone(), fix.safe))
            .collect()
    }

    #[test]
    fn the_cleanup_does_not_move_before_what_still_reads_it() {
        for text in [
            // Whatever runs between may use the build dependencies or the downloads.
            "FROM alpine\nRUN apk add --virtual .build gcc make\nRUN make -C /src\nRUN apk del .build\n",
            "FROM debian\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz\nRUN make -C /src install\nRUN rm -rf /tmp/*\n",
        ] {
            assert_eq!(run(&RULE, text).len(), 1, "{text}");
            assert_eq!(fixes_of(text), vec![], "{text}");
        }
        // A script between might read the lists: offered, not safe.
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN ./more.sh\nRUN rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(
            fixes_of(text),
            vec![("Move the cleanup into the RUN on line 2".to_string(), false)]
        );
        // A cache nobody reads: safe even with a RUN between.
        let text = "FROM centos:7\nRUN yum install -y a\nRUN make\nRUN yum clean all\n";
        assert_eq!(
            fixes_of(text),
            vec![("Move the cleanup into the RUN on line 2".to_string(), true)]
        );
        // An instruction between that changes the environment: not safe.
        let text = "FROM centos:7\nRUN yum install -y a\nENV TMPDIR=/x\nRUN yum clean all\n";
        assert!(!fixes_of(text)[0].1);
    }

    #[test]
    fn the_fix_moves_the_cleanup_into_the_earlier_run() {
        let fixed = apply_fix(
            &RULE,
            "FROM centos:7\nRUN yum install -y httpd\nEXPOSE 80\nRUN yum clean all; rm -rf /var/cache/yum\nCMD [\"httpd\"]\n",
            "Move the cleanup into the RUN on line 2",
        );
        assert_eq!(
            fixed,
            "FROM centos:7\nRUN yum install -y httpd && { yum clean all; rm -rf /var/cache/yum; }\nEXPOSE 80\nCMD [\"httpd\"]\n"
        );
        let fixed = apply_fix(
            &RULE,
            "FROM debian\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\n",
            "Move the cleanup",
        );
        assert_eq!(
            fixed,
            "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n"
        );
    }
}
