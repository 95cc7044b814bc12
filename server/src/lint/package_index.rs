//! Package indexes as state that flows through the RUNs of a stage and into the stages built
//! `FROM` it: `apt-get update` writes apt's lists, `apt-get install` reads them, and
//! `rm -rf /var/lib/apt/lists/*` removes them. A fix that removes an index is only right where
//! no later command reads it before something downloads it again.
//!
//! Commands whose effect cannot be seen (a script file run by the shell, `curl ... | sh`) may
//! read the index too: the answer is then [`Later::Unknown`], and a fix that depends on it is
//! not safe.

use crate::knowledge::package_managers::{self, ManagerId, PackageIndex, PackageManager};
use crate::lint::layers;
use crate::syntax::{Base, Command, Connector, Keyword, SourceFile};

/// What one command does to an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Downloads it and leaves it (`apt-get update`, `apk add --update`).
    Create,
    /// Reads it and fails without it (`apt-get install`, `apk add`).
    Need,
    /// Removes it (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`).
    Remove,
    /// Runs code this analysis cannot see (a script file, a download piped to a shell).
    Opaque,
}

/// One effect of one command of a RUN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub effect: Effect,
    /// The command's place among the RUN's commands, in the order they run.
    pub position: usize,
    /// Inside `if`, a loop or a function: it may not run.
    pub conditional: bool,
}

/// What the later commands of a build need of an index as one RUN leaves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Later {
    /// Nothing reads it before it is downloaded again or removed anyway.
    Unneeded,
    /// The RUN at this instruction index reads it.
    Needed(usize),
    /// Nothing visibly reads it, but the RUN at this index runs code that might.
    Unknown(usize),
}

/// The effect of `command` on `manager`'s index, if any.
pub fn effect(command: &Command, manager: &PackageManager) -> Option<Effect> {
    let index = manager.index.as_ref()?;
    if let Some(call) = package_managers::call(command) {
        if call.manager.id != manager.id {
            return None;
        }
        let subcommand = call.subcommand();
        let option = |options: &[&str]| options.iter().any(|option| call.has_argument(option));
        if index.created_by.contains(&subcommand) || option(index.creating_options) {
            return Some(Effect::Create);
        }
        if index.removed_by.contains(&subcommand) {
            return Some(Effect::Remove);
        }
        if index.needed_by.contains(&subcommand) && !option(index.self_sufficient_options) {
            return Some(Effect::Need);
        }
        return None;
    }
    if removes_index(command, index) {
        return Some(Effect::Remove);
    }
    runs_unseen_code(command).then_some(Effect::Opaque)
}

/// True when `command` is an `rm` of the index or a directory holding it.
fn removes_index(command: &Command, index: &PackageIndex) -> bool {
    layers::removed_paths(command).iter().any(|removed| {
        index
            .paths
            .iter()
            .any(|path| layers::path_removes(removed, path))
    })
}

/// Shells that run a script file given as their first argument.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// True when `command` runs code whose commands are not in the Dockerfile: a script file
/// (`./install.sh`, `bash /tmp/setup`, `. ./env.sh`) or a shell reading a pipe
/// (`curl ... | bash`). `sh -c '...'` is not: its script is parsed with the rest.
fn runs_unseen_code(command: &Command) -> bool {
    let Some(program) = command.program() else {
        return false;
    };
    if program.ends_with(".sh") || matches!(program, "source" | ".") {
        return true;
    }
    if !SHELLS.contains(&program) {
        return false;
    }
    let options = command
        .program_arguments()
        .iter()
        .take_while(|word| word.text.starts_with('-') && word.text != "-");
    if options.clone().any(|word| word.text.contains('c')) {
        return false;
    }
    let rest = command.program_arguments().len() - options.count();
    // `sh script` runs a file; `sh` alone (or `sh -s`) reads its input: a pipe or a heredoc.
    rest > 0 || command.connector == Connector::Pipe || command.words.len() == 1
}

/// The effects of RUN `index` (or `ONBUILD RUN`) on `manager`'s index, in the order its
/// commands run. Empty when the RUN keeps the index in a cache or tmpfs mount: what it does
/// there never reaches the layer.
pub fn events(source: &SourceFile, index: usize, manager: &PackageManager) -> Vec<Event> {
    let Some(package_index) = manager.index.as_ref() else {
        return Vec::new();
    };
    let instruction = source.instructions()[index].effective();
    if instruction.keyword != Keyword::Run {
        return Vec::new();
    }
    let mounts = layers::uncommitted_mounts(instruction);
    if package_index
        .paths
        .iter()
        .any(|path| layers::under_mount(path, &mounts))
    {
        return Vec::new();
    }
    source
        .scripts(index)
        .iter()
        .flat_map(|script| script.script.commands())
        .enumerate()
        .filter_map(|(position, command)| {
            effect(command, manager).map(|effect| Event {
                effect,
                position,
                conditional: command.nested,
            })
        })
        .collect()
}

/// True when RUN `index` installs with `manager` itself (it is not only downloading the index
/// for a later RUN): a call whose sub-command reads the index, whatever its options
/// (`apk add -U` downloads the index and reads it, `apk add --no-cache` fetches its own).
pub fn used_in_run(source: &SourceFile, index: usize, manager: &PackageManager) -> bool {
    let Some(package_index) = manager.index.as_ref() else {
        return false;
    };
    source
        .scripts(index)
        .iter()
        .flat_map(|script| script.script.commands())
        .filter_map(package_managers::call)
        .any(|call| {
            call.manager.id == manager.id && package_index.needed_by.contains(&call.subcommand())
        })
}

/// Whether anything after RUN `index` reads `manager`'s index as that RUN leaves it: the
/// later RUNs of its stage (`ONBUILD RUN`s included), then the stages built `FROM` it,
/// until a command downloads the index again or removes it.
pub fn needed_after(source: &SourceFile, index: usize, manager: &PackageManager) -> Later {
    let Some(stage) = source.stages.stage_of(index) else {
        return Later::Unneeded;
    };
    let mut visited = vec![false; source.stages.stages.len()];
    scan(source, stage.index, index + 1, manager, &mut visited)
}

/// Whether a RUN strictly between instructions `after` and `before` (of one stage) reads
/// `manager`'s index before something downloads or removes it: what moving a removal from
/// `before` up into `after` would break.
pub fn needed_between(
    source: &SourceFile,
    after: usize,
    before: usize,
    manager: &PackageManager,
) -> Later {
    let mut unknown = None;
    for at in after + 1..before {
        for event in events(source, at, manager) {
            match event.effect {
                Effect::Need => return Later::Needed(at),
                Effect::Opaque => {
                    unknown.get_or_insert(at);
                }
                Effect::Create | Effect::Remove if event.conditional => {}
                Effect::Create | Effect::Remove => return settle(unknown),
            }
        }
    }
    settle(unknown)
}

/// [`needed_after`] from instruction `from` of stage `stage` on.
fn scan(
    source: &SourceFile,
    stage: usize,
    from: usize,
    manager: &PackageManager,
    visited: &mut [bool],
) -> Later {
    if std::mem::replace(&mut visited[stage], true) {
        return Later::Unneeded;
    }
    let body = source.stages.stages[stage].body.clone();
    let mut unknown = None;
    for at in from.max(body.start)..body.end {
        for event in events(source, at, manager) {
            match event.effect {
                Effect::Need => return Later::Needed(at),
                Effect::Opaque => {
                    unknown.get_or_insert(at);
                }
                // A download or removal that may not run does not end the question.
                Effect::Create | Effect::Remove if event.conditional => {}
                Effect::Create | Effect::Remove => return settle(unknown),
            }
        }
    }
    let mut answer = settle(unknown);
    for child in &source.stages.stages {
        if child.base != Base::Stage(stage) {
            continue;
        }
        match scan(source, child.index, child.body.start, manager, visited) {
            Later::Needed(at) => return Later::Needed(at),
            Later::Unknown(at) if answer == Later::Unneeded => answer = Later::Unknown(at),
            _ => {}
        }
    }
    answer
}

fn settle(unknown: Option<usize>) -> Later {
    unknown.map_or(Later::Unneeded, Later::Unknown)
}

/// What is known of an index at one point of a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// As the base image left it, or after a command that may or may not have run.
    Unknown,
    Present,
    Absent,
}

/// Every command that reads an index that is certainly absent when it runs (the build would
/// fail there): the instruction and the manager. The state starts unknown at an image base,
/// absent at `scratch`, and as the parent left it at `FROM <stage>`. Fixes are checked against
/// this: a fixed file may not have a missing index the original did not have.
pub fn missing_indexes(source: &SourceFile) -> Vec<(usize, ManagerId)> {
    let mut missing = Vec::new();
    for manager in package_managers::MANAGERS
        .iter()
        .filter(|manager| manager.index.is_some())
    {
        let mut final_state: Vec<State> = Vec::with_capacity(source.stages.stages.len());
        for stage in &source.stages.stages {
            let mut state = match stage.base {
                Base::Stage(parent) => final_state.get(parent).copied().unwrap_or(State::Unknown),
                Base::Scratch => State::Absent,
                _ => State::Unknown,
            };
            for at in stage.body.clone() {
                for event in events(source, at, manager) {
                    state = match (event.effect, event.conditional) {
                        (Effect::Need, _) => {
                            if state == State::Absent {
                                missing.push((at, manager.id));
                            }
                            state
                        }
                        (Effect::Create, false) => State::Present,
                        (Effect::Remove, false) => State::Absent,
                        (Effect::Create | Effect::Remove, true) => State::Unknown,
                        (Effect::Opaque, _) => state,
                    };
                }
            }
            final_state.push(state);
        }
    }
    missing
}

/// True when `manager` has an index that later commands read.
pub fn has_index(id: ManagerId) -> bool {
    package_managers::manager(id).index.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::package_managers::manager;

    fn later(text: &str, line: usize, id: ManagerId) -> Later {
        let source = SourceFile::parse(text);
        let index = source
            .instructions()
            .iter()
            .position(|instruction| source.line_number(instruction.span.start) == line)
            .expect("an instruction on that line");
        needed_after(&source, index, manager(id))
    }

    /// The instruction index on `line` of `text`.
    fn at_line(text: &str, line: usize) -> usize {
        let source = SourceFile::parse(text);
        source
            .instructions()
            .iter()
            .position(|instruction| source.line_number(instruction.span.start) == line)
            .unwrap()
    }

    #[test]
    fn a_later_install_needs_the_lists() {
        let text = "FROM debian\nRUN apt-get update\nENV X=1\nRUN apt-get install -y curl\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Needed(at_line(text, 4))
        );
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n";
        assert_eq!(later(text, 2, ManagerId::Apt), Later::Unneeded);
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y b\n";
        assert_eq!(later(text, 2, ManagerId::Apt), Later::Unneeded);
    }

    #[test]
    fn stages_built_from_the_stage_count_and_others_do_not() {
        let text = "FROM debian AS base\nRUN apt-get update && apt-get install -y a\nFROM base\nRUN apt-get install -y b\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Needed(at_line(text, 4))
        );
        let text = "FROM debian AS base\nRUN apt-get update && apt-get install -y a\nFROM debian\nCOPY --from=base /x /x\nRUN apt-get install -y b\n";
        assert_eq!(later(text, 2, ManagerId::Apt), Later::Unneeded);
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nONBUILD RUN apt-get install -y b\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Needed(at_line(text, 3))
        );
    }

    #[test]
    fn scripts_make_the_answer_unknown_and_conditions_do_not_end_it() {
        let text =
            "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN ./install-more.sh\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Unknown(at_line(text, 3))
        );
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN curl -fsSL https://x/setup | bash -\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Unknown(at_line(text, 3))
        );
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN sh -c 'echo hi'\n";
        assert_eq!(later(text, 2, ManagerId::Apt), Later::Unneeded);
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN if [ -n \"$X\" ]; then apt-get update; fi && apt-get install -y b\n";
        assert_eq!(
            later(text, 2, ManagerId::Apt),
            Later::Needed(at_line(text, 3))
        );
    }

    #[test]
    fn apk_reads_its_index_unless_it_fetches_its_own() {
        let text = "FROM alpine\nRUN apk update && apk add a\nRUN apk add --no-cache b\n";
        assert_eq!(later(text, 2, ManagerId::Apk), Later::Unneeded);
        let text = "FROM alpine\nRUN apk update && apk add a\nRUN apk add b\n";
        assert_eq!(
            later(text, 2, ManagerId::Apk),
            Later::Needed(at_line(text, 3))
        );
        let text = "FROM alpine\nRUN apk update && apk add a\nRUN apk add -U b\n";
        assert_eq!(later(text, 2, ManagerId::Apk), Later::Unneeded);
    }

    #[test]
    fn cache_mounts_keep_the_index_out_of_the_layer() {
        let text = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN --mount=type=cache,target=/var/lib/apt apt-get install -y b\n";
        assert_eq!(later(text, 2, ManagerId::Apt), Later::Unneeded);
    }

    #[test]
    fn managers_that_fetch_their_own_metadata_have_no_index() {
        let text = "FROM centos:7\nRUN yum install -y a && yum clean all\nRUN yum install -y b\n";
        assert_eq!(later(text, 2, ManagerId::Yum), Later::Unneeded);
        assert!(!has_index(ManagerId::Yum));
        assert!(has_index(ManagerId::Apt));
    }

    #[test]
    fn a_missing_index_is_found_where_the_build_would_fail() {
        let source = SourceFile::parse(
            "FROM debian AS base\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y b\nFROM base\nRUN apt-get install -y c\nFROM debian\nRUN apt-get install -y d\n",
        );
        assert_eq!(
            missing_indexes(&source),
            vec![(2, ManagerId::Apt), (4, ManagerId::Apt)]
        );
        let source = SourceFile::parse(
            "FROM alpine\nRUN apk update && apk add a && rm -rf /var/cache/apk/*\nRUN apk add --no-cache b\nRUN if x; then apk update; fi; apk add c\n",
        );
        assert_eq!(missing_indexes(&source), vec![]);
    }

    #[test]
    fn a_run_that_only_downloads_does_not_use_the_index() {
        let source = SourceFile::parse(
            "FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y x\n",
        );
        assert!(!used_in_run(&source, 1, manager(ManagerId::Apt)));
        assert!(used_in_run(&source, 2, manager(ManagerId::Apt)));
    }
}
