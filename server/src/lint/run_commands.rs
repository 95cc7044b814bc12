//! The commands of every `RUN` script, for the rules that read the shell: each command with the
//! instruction it belongs to and the script that maps its words back to the document.

use std::ops::Range;

use crate::knowledge::distros::Distro;
use crate::lint::Context;
use crate::syntax::{Command, RunScript, ShellWord, SourceFile};
use crate::text::Span;

/// One command of one RUN (or `ONBUILD RUN`) script.
#[derive(Clone, Copy, Debug)]
pub struct RunCommand<'a> {
    /// The instruction (`RUN`, or `ONBUILD` wrapping one).
    pub index: usize,
    pub script: &'a RunScript,
    pub command: &'a Command,
    /// The command's place among its script's commands.
    pub position: usize,
    /// The program's name without its directory, once `sudo`, `env` and the like are peeled
    /// off (`""` for a command of assignments only).
    pub program: &'a str,
    /// `sudo` is one of the wrappers peeled off.
    pub sudo: bool,
}

impl<'a> RunCommand<'a> {
    /// The document span of a range of the script.
    pub fn span(&self, range: Range<usize>) -> Span {
        self.script.script.span(range)
    }

    /// The document span of `word` when the document holds exactly the word as the script
    /// reads it there, so an edit next to it or of it lands where it should. A word of a
    /// `sh -c '...'` script written with escapes does not map exactly.
    pub fn exact_span(&self, source: &SourceFile, word: &ShellWord) -> Option<Span> {
        let span = self.span(word.range.clone());
        if !self.command.from_inline_script {
            // Exact unless the word runs across a line continuation, or the script is an
            // exec-form JSON string with escapes (its offsets are then the string's, not
            // the document's).
            let written = self.script.script.text.get(word.range.clone())?;
            return (source.text.get(span.clone())? == written).then_some(span);
        }
        // Offsets into an inline script hold only while its text is the document's: the
        // word must read as it is written.
        (!word.quoted && source.text.get(span.clone())? == word.text).then_some(span)
    }

    /// The word that names the program once `sudo`, `env` and the like are peeled off.
    pub fn program_word(&self) -> Option<&'a ShellWord> {
        self.command.words.get(self.command.program_index())
    }

    /// The command before this one in its script, when this one reads its output through a
    /// pipe (`yes | apt-get install x`).
    pub fn piped_from(&self) -> Option<&'a Command> {
        if self.command.connector != crate::syntax::Connector::Pipe {
            return None;
        }
        let previous = self.position.checked_sub(1)?;
        self.script.script.commands().get(previous)
    }

    /// Where the program word is in the document (the whole command when it cannot be
    /// mapped exactly): what a finding about the command underlines.
    pub fn program_span(&self, source: &SourceFile) -> Span {
        self.program_word()
            .and_then(|word| self.exact_span(source, word))
            .unwrap_or_else(|| self.span(self.command.range.clone()))
    }

    /// True when the command is in an `ONBUILD RUN`: it runs in the builds of other images,
    /// not in this one.
    pub fn is_onbuild(&self, source: &SourceFile) -> bool {
        source.instructions()[self.index].onbuild.is_some()
    }
}

/// The distribution the stage of instruction `index` is built on, when the catalog knows it
/// (certainly, or inferred from the image's name or default).
pub fn stage_distro(context: &Context, index: usize) -> Option<&'static Distro> {
    stage_distro_judged(context, index).map(|(distro, _)| distro)
}

/// [`stage_distro`], with whether a fix may count on it: the image or its tag names the
/// distribution, or it is the documented default of an image the catalog lists; not a guess
/// from a name, nor an `ARG` default a build can change.
pub fn stage_distro_judged(context: &Context, index: usize) -> Option<(&'static Distro, bool)> {
    let stage = context.source.stages.stage_of(index)?;
    let base = context.stage_bases().get(stage.index)?;
    let certainty = base.certainty()?;
    let info = base.info()?;
    let sure = certainty == crate::knowledge::catalog::Certainty::Certain
        || (info.entry.is_some() && !base.from_variable);
    Some((info.distro?, sure))
}

/// The commands of instruction `index`'s scripts (none unless it is a `RUN` or `ONBUILD RUN`
/// run by a POSIX shell), in the order they run: the command line, then heredoc scripts.
pub fn of_instruction(source: &SourceFile, index: usize) -> impl Iterator<Item = RunCommand<'_>> {
    source.scripts(index).iter().flat_map(move |script| {
        script
            .script
            .commands()
            .iter()
            .enumerate()
            .map(move |(position, command)| {
                let at = command.program_index();
                let program = command
                    .words
                    .get(at)
                    .map(|word| word.text.rsplit('/').next().unwrap_or(&word.text))
                    .unwrap_or("");
                let sudo = at > 0
                    && command.words[..at.min(command.words.len())]
                        .iter()
                        .any(|word| word.text.rsplit('/').next() == Some("sudo"));
                RunCommand {
                    index,
                    script,
                    command,
                    position,
                    program,
                    sudo,
                }
            })
    })
}

/// Every command of every RUN script of the file, in document order.
pub fn all(source: &SourceFile) -> impl Iterator<Item = RunCommand<'_>> {
    (0..source.instructions().len()).flat_map(move |index| of_instruction(source, index))
}

/// Programs some shell rule looks at. Most commands of a file (`make`, `mkdir`, `echo`) are
/// none of these: the rules share one walk over every command and then read only these. (A
/// `match`, not a list: it runs for every command of the file on every keystroke.)
fn noted_program(program: &str) -> bool {
    matches!(
        program,
        "apt"
            | "apt-get"
            | "cd"
            | "curl"
            | "dnf"
            | "dnf5"
            | "free"
            | "ifconfig"
            | "kill"
            | "ln"
            | "mount"
            | "nano"
            | "ps"
            | "service"
            | "shutdown"
            | "ssh"
            | "top"
            | "useradd"
            | "vim"
            | "wget"
            | "yum"
            | "zypper"
    )
}

/// The commands of the file the shell rules read: those running a [`noted_program`], and
/// those run through `sudo`. Built once per lint ([`crate::lint::Context::noted_commands`]).
pub fn noted(source: &SourceFile) -> Vec<RunCommand<'_>> {
    all(source)
        .filter(|run| run.sudo || noted_program(run.program))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_map_back_to_the_document() {
        let text = "FROM a\nRUN sudo apt-get install -y x && sh -c \"wget \\\"u\\\" v\"\nONBUILD RUN ps\nCOPY a b\n";
        let source = SourceFile::parse(text);
        let found: Vec<(usize, String, bool)> = all(&source)
            .map(|run| {
                (
                    run.index,
                    text[run.program_span(&source)].to_string(),
                    run.is_onbuild(&source),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (1, "apt-get".to_string(), false),
                (1, "sh".to_string(), false),
                (1, "wget".to_string(), false),
                (2, "ps".to_string(), true),
            ]
        );
        // An exec-form script with an escape maps to the JSON string only roughly.
        let text = "FROM a\nRUN [\"sh\", \"-c\", \"echo \\\"x\\\" && wget u\"]\n";
        let source_exec = SourceFile::parse(text);
        let wget = all(&source_exec).find(|run| run.program == "wget").unwrap();
        assert!(
            wget.exact_span(&source_exec, &wget.command.words[0])
                .is_none()
        );
        // After an escape, the inline script's words are not where the offset puts them.
        let wget = all(&source).nth(2).unwrap();
        assert_eq!(wget.command.words[1].text, "u");
        assert!(wget.exact_span(&source, &wget.command.words[1]).is_none());
        assert!(wget.exact_span(&source, &wget.command.words[0]).is_some());
    }
}
