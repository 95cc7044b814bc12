//! Signature help: the forms of the instruction under the cursor (shell and exec form,
//! `ARG name[=default]`, `ENV key=value`, `HEALTHCHECK [OPTIONS] CMD`, `COPY [OPTIONS] <src>...
//! <dest>`, ...), the form in use first, and the parameter the cursor is on.

use crate::knowledge::instructions;
use crate::syntax::{Instruction, Keyword, SourceFile};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// Where the parameter is in its signature's label (byte offsets; labels are ASCII).
    pub label: Span,
    pub documentation: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: &'static str,
    pub documentation: Option<&'static str>,
    pub parameters: Vec<Parameter>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    pub active_parameter: usize,
}

/// One form: its label and its parameters, each written as it appears in the label.
struct Form {
    label: &'static str,
    parameters: &'static [(&'static str, &'static str)],
}

const OPTIONS: (&str, &str) = (
    "[OPTIONS]",
    "Flags such as `--chown`, `--mount`, `--platform`.",
);

const ADD_FORMS: &[Form] = &[
    Form {
        label: "ADD [OPTIONS] <src> ... <dest>",
        parameters: &[
            OPTIONS,
            (
                "<src>",
                "Files, directories, URLs or Git repositories to add; local archives are extracted.",
            ),
            (
                "<dest>",
                "Where to put them; a trailing `/` makes it a directory.",
            ),
        ],
    },
    Form {
        label: "ADD [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        parameters: &[
            OPTIONS,
            (
                "\"<src>\"",
                "A source, as a JSON string (for paths with spaces).",
            ),
            ("\"<dest>\"", "The destination, as a JSON string."),
        ],
    },
];

const COPY_FORMS: &[Form] = &[
    Form {
        label: "COPY [OPTIONS] <src> ... <dest>",
        parameters: &[
            OPTIONS,
            (
                "<src>",
                "Files or directories of the build context (or of `--from`).",
            ),
            (
                "<dest>",
                "Where to put them; a trailing `/` makes it a directory.",
            ),
        ],
    },
    Form {
        label: "COPY [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        parameters: &[
            OPTIONS,
            (
                "\"<src>\"",
                "A source, as a JSON string (for paths with spaces).",
            ),
            ("\"<dest>\"", "The destination, as a JSON string."),
        ],
    },
];

const RUN_FORMS: &[Form] = &[
    Form {
        label: "RUN [OPTIONS] <command>",
        parameters: &[
            OPTIONS,
            (
                "<command>",
                "A shell command line, run with `/bin/sh -c` (or `SHELL`).",
            ),
        ],
    },
    Form {
        label: "RUN [OPTIONS] [\"executable\", \"param\"...]",
        parameters: &[
            OPTIONS,
            ("\"executable\"", "The program, run without a shell."),
            ("\"param\"...", "Its arguments, as JSON strings."),
        ],
    },
    Form {
        label: "RUN [OPTIONS] <<EOF",
        parameters: &[
            OPTIONS,
            (
                "<<EOF",
                "A script on the following lines, up to a line `EOF`.",
            ),
        ],
    },
];

const CMD_FORMS: &[Form] = &[
    Form {
        label: "CMD [\"executable\", \"param\"...]",
        parameters: &[
            (
                "\"executable\"",
                "The program the container runs, without a shell.",
            ),
            ("\"param\"...", "Its arguments, as JSON strings."),
        ],
    },
    Form {
        label: "CMD [\"param\"...]",
        parameters: &[("\"param\"...", "Default arguments for the ENTRYPOINT.")],
    },
    Form {
        label: "CMD command param...",
        parameters: &[
            (
                "command",
                "Run with `/bin/sh -c`: the shell, not the command, gets the signals.",
            ),
            ("param...", "Its arguments."),
        ],
    },
];

const ENTRYPOINT_FORMS: &[Form] = &[
    Form {
        label: "ENTRYPOINT [\"executable\", \"param\"...]",
        parameters: &[
            (
                "\"executable\"",
                "The program the container runs; CMD gives it default arguments.",
            ),
            ("\"param\"...", "Its fixed arguments, as JSON strings."),
        ],
    },
    Form {
        label: "ENTRYPOINT command param...",
        parameters: &[
            (
                "command",
                "Run with `/bin/sh -c`: it ignores CMD and does not get SIGTERM.",
            ),
            ("param...", "Its arguments."),
        ],
    },
];

const ENV_FORMS: &[Form] = &[
    Form {
        label: "ENV <key>=<value> ...",
        parameters: &[
            ("<key>", "The variable's name."),
            ("<value>", "Its value; quote it when it has spaces."),
        ],
    },
    Form {
        label: "ENV <key> <value>",
        parameters: &[
            ("<key>", "The variable's name."),
            (
                "<value>",
                "The rest of the line (legacy form: prefer `<key>=<value>`).",
            ),
        ],
    },
];

const FROM_FORMS: &[Form] = &[Form {
    label: "FROM [--platform=<platform>] <image> [AS <name>]",
    parameters: &[
        (
            "--platform=<platform>",
            "The platform of the image, e.g. `$BUILDPLATFORM` or `linux/arm64`.",
        ),
        (
            "<image>",
            "An image (`name[:tag][@digest]`), an earlier stage, or `scratch`.",
        ),
        ("AS", "Names the stage."),
        (
            "<name>",
            "The stage's name, for `COPY --from` and `--target`.",
        ),
    ],
}];

const HEALTHCHECK_FORMS: &[Form] = &[
    Form {
        label: "HEALTHCHECK [OPTIONS] CMD <command>",
        parameters: &[
            (
                "[OPTIONS]",
                "`--interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries`.",
            ),
            ("CMD", "Then the check, in shell or exec form."),
            ("<command>", "Exit status 0 means healthy, 1 unhealthy."),
        ],
    },
    Form {
        label: "HEALTHCHECK NONE",
        parameters: &[("NONE", "Turns off the check inherited from the base image.")],
    },
];

const SIMPLE_FORMS: &[(Keyword, Form)] = &[
    (
        Keyword::Arg,
        Form {
            label: "ARG <name>[=<default value>]",
            parameters: &[
                (
                    "<name>",
                    "The build argument, set with `--build-arg name=value`.",
                ),
                ("<default value>", "Used when the build does not set it."),
            ],
        },
    ),
    (
        Keyword::Expose,
        Form {
            label: "EXPOSE <port>[/<protocol>] ...",
            parameters: &[
                ("<port>", "A port number or range."),
                ("<protocol>", "`tcp` (default), `udp` or `sctp`."),
            ],
        },
    ),
    (
        Keyword::Label,
        Form {
            label: "LABEL <key>=<value> ...",
            parameters: &[
                ("<key>", "Prefer `org.opencontainers.image.*` keys."),
                ("<value>", "Quote it when it has spaces."),
            ],
        },
    ),
    (
        Keyword::Maintainer,
        Form {
            label: "MAINTAINER <name>",
            parameters: &[(
                "<name>",
                "Deprecated: use `LABEL org.opencontainers.image.authors=...`.",
            )],
        },
    ),
    (
        Keyword::Onbuild,
        Form {
            label: "ONBUILD <INSTRUCTION>",
            parameters: &[(
                "<INSTRUCTION>",
                "Any instruction but ONBUILD, FROM and MAINTAINER.",
            )],
        },
    ),
    (
        Keyword::Shell,
        Form {
            label: "SHELL [\"executable\", \"param\"...]",
            parameters: &[
                ("\"executable\"", "The shell, e.g. `/bin/bash`."),
                (
                    "\"param\"...",
                    "Its arguments before the command, e.g. `-o`, `pipefail`, `-c`.",
                ),
            ],
        },
    ),
    (
        Keyword::Stopsignal,
        Form {
            label: "STOPSIGNAL <signal>",
            parameters: &[("<signal>", "A name such as `SIGTERM` or a number.")],
        },
    ),
    (
        Keyword::User,
        Form {
            label: "USER <user>[:<group>]",
            parameters: &[
                ("<user>", "A user name or UID."),
                ("<group>", "A group name or GID."),
            ],
        },
    ),
    (
        Keyword::Workdir,
        Form {
            label: "WORKDIR <path>",
            parameters: &[(
                "<path>",
                "An absolute path (a relative one is relative to the previous WORKDIR).",
            )],
        },
    ),
];

const VOLUME_FORMS: &[Form] = &[
    Form {
        label: "VOLUME [\"<path>\", ...]",
        parameters: &[("\"<path>\"", "A mount point, as a JSON string.")],
    },
    Form {
        label: "VOLUME <path> ...",
        parameters: &[("<path>", "A mount point.")],
    },
];

fn forms(keyword: Keyword) -> &'static [Form] {
    match keyword {
        Keyword::Add => ADD_FORMS,
        Keyword::Copy => COPY_FORMS,
        Keyword::Run => RUN_FORMS,
        Keyword::Cmd => CMD_FORMS,
        Keyword::Entrypoint => ENTRYPOINT_FORMS,
        Keyword::Env => ENV_FORMS,
        Keyword::From => FROM_FORMS,
        Keyword::Healthcheck => HEALTHCHECK_FORMS,
        Keyword::Volume => VOLUME_FORMS,
        _ => SIMPLE_FORMS
            .iter()
            .find(|(candidate, _)| *candidate == keyword)
            .map(|(_, form)| std::slice::from_ref(form))
            .unwrap_or(&[]),
    }
}

fn signature(keyword: Keyword, form: &Form) -> Signature {
    let mut parameters = Vec::new();
    let mut from = 0;
    for (text, documentation) in form.parameters {
        let start = form.label[from..]
            .find(text)
            .map(|at| from + at)
            .unwrap_or(0);
        from = start + text.len();
        parameters.push(Parameter {
            label: start..start + text.len(),
            documentation,
        });
    }
    Signature {
        label: form.label,
        documentation: instructions::instruction(keyword).map(|info| info.summary),
        parameters,
    }
}

/// Where the cursor is among the instruction's arguments.
struct Cursor<'a> {
    /// What is typed of the current word, up to the cursor.
    typed: &'a str,
    /// Arguments (after the flags) before the current word.
    position: usize,
    /// Arguments in all.
    count: usize,
    /// The current word is a flag.
    in_flags: bool,
}

/// The parser directives' signatures: the label and its parameters, as for [`Form`].
const DIRECTIVE_FORMS: &[(&str, Form)] = &[
    (
        "syntax",
        Form {
            label: "# syntax=<image reference>",
            parameters: &[(
                "<image reference>",
                "The frontend image, such as `docker/dockerfile:1` or `docker/dockerfile:1-labs`.",
            )],
        },
    ),
    (
        "escape",
        Form {
            label: "# escape=\\|`",
            parameters: &[(
                "\\|`",
                "The escape and line-continuation character: `\\` (the default) or `` ` ``.",
            )],
        },
    ),
    (
        "check",
        Form {
            label: "# check=skip=<rules>|all;error=true|false",
            parameters: &[
                (
                    "skip=<rules>|all",
                    "Build checks to skip, separated by commas, or `all`.",
                ),
                (
                    "error=true|false",
                    "Whether a failed check fails the build.",
                ),
            ],
        },
    ),
];

/// On a parser directive line (one the lowering took as a directive): its signature, the value
/// active (for `check`, the setting the cursor is in).
fn directive_help(source: &SourceFile, offset: usize) -> Option<SignatureHelp> {
    let directive = source
        .file
        .directives
        .iter()
        .find(|directive| directive.span.start <= offset && offset <= directive.span.end)?;
    let (_, form) = DIRECTIVE_FORMS
        .iter()
        .find(|(name, _)| *name == directive.name)?;
    let mut signature = signature(Keyword::Unknown, form);
    signature.documentation = instructions::directive(&directive.name).map(|info| info.summary);
    let before_cursor = source
        .text
        .get(directive.value_span.start..offset)
        .unwrap_or("");
    let setting = before_cursor.rsplit(';').next().unwrap_or("").trim_start();
    let active_parameter = usize::from(directive.name == "check" && setting.starts_with("error"));
    Some(SignatureHelp {
        signatures: vec![signature],
        active_signature: 0,
        active_parameter,
    })
}

/// The signature help at byte `offset`.
pub fn signature_help(source: &SourceFile, offset: usize) -> Option<SignatureHelp> {
    let text = source.text.as_str();
    let offset = offset.min(text.len());
    if let Some(help) = directive_help(source, offset) {
        return Some(help);
    }
    let index = crate::lint::instruction_at(source, offset)?;
    let mut instruction = &source.instructions()[index];
    if offset <= instruction.keyword_word.span.end {
        return None;
    }
    if let Some(inner) = &instruction.onbuild
        && offset > inner.keyword_word.span.end
    {
        instruction = inner;
    }
    // Not in a heredoc body: that is the script's, not the instruction's.
    if instruction
        .heredocs
        .iter()
        .any(|heredoc| heredoc.body_span.start <= offset && offset <= heredoc.end_span.end)
    {
        return None;
    }
    let bytes = text.as_bytes();
    let mut word_start = offset;
    while word_start > 0 && !bytes[word_start - 1].is_ascii_whitespace() {
        word_start -= 1;
    }
    let typed = &text[word_start..offset];
    let position = instruction
        .values
        .iter()
        .filter(|value| value.span.end < word_start)
        .count();
    let cursor = Cursor {
        typed,
        position,
        count: instruction.values.len(),
        in_flags: typed.starts_with('-') && position == 0,
    };
    let keyword = instruction.keyword;
    let (active_signature, active_parameter) = active(instruction, &cursor)?;
    let signatures: Vec<Signature> = forms(keyword)
        .iter()
        .map(|form| signature(keyword, form))
        .collect();
    if signatures.is_empty() {
        return None;
    }
    Some(SignatureHelp {
        active_signature: active_signature.min(signatures.len() - 1),
        signatures,
        active_parameter,
    })
}

/// The form in use and the parameter the cursor is on.
fn active(instruction: &Instruction, cursor: &Cursor) -> Option<(usize, usize)> {
    let arguments = instruction.arguments();
    let exec = instruction.json || arguments.starts_with('[');
    let typed = cursor.typed;
    let position = cursor.position;
    Some(match instruction.keyword {
        Keyword::Add | Keyword::Copy => {
            let form = usize::from(exec);
            if cursor.in_flags {
                (form, 0)
            } else {
                let count = cursor.count;
                let destination = (position + 1 == count && count >= 2)
                    || (position == count && count >= 1 && typed.is_empty());
                (form, if destination { 2 } else { 1 })
            }
        }
        Keyword::Run => {
            let form = if exec {
                1
            } else if arguments.contains("<<") {
                2
            } else {
                0
            };
            let parameter = match (cursor.in_flags, form) {
                (true, _) => 0,
                (false, 1) if position > 0 => 2,
                _ => 1,
            };
            (form, parameter)
        }
        Keyword::Cmd => match (exec, position) {
            (true, 0) => (0, 0),
            (true, _) => (0, 1),
            (false, 0) => (2, 0),
            (false, _) => (2, 1),
        },
        Keyword::Entrypoint => match (exec, position) {
            (true, 0) => (0, 0),
            (true, _) => (0, 1),
            (false, 0) => (1, 0),
            (false, _) => (1, 1),
        },
        Keyword::Env => {
            let legacy = !arguments
                .split_whitespace()
                .next()
                .unwrap_or("=")
                .contains('=');
            if legacy && !typed.contains('=') {
                (1, usize::from(position > 0))
            } else {
                (0, usize::from(typed.contains('=')))
            }
        }
        Keyword::Label => (0, usize::from(typed.contains('='))),
        Keyword::Arg => (0, usize::from(typed.contains('='))),
        Keyword::Expose => (0, usize::from(typed.contains('/'))),
        Keyword::User => (0, usize::from(typed.contains(':'))),
        Keyword::From => {
            if cursor.in_flags {
                (0, 0)
            } else {
                (0, (position + 1).min(3))
            }
        }
        Keyword::Healthcheck => {
            let none = instruction
                .values
                .first()
                .is_some_and(|first| first.text.eq_ignore_ascii_case("none"));
            if none {
                (1, 0)
            } else if cursor.in_flags {
                (0, 0)
            } else {
                (0, if position == 0 { 1 } else { 2 })
            }
        }
        Keyword::Volume => (usize::from(!exec), 0),
        Keyword::Shell => (0, usize::from(position > 0)),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::Workdir | Keyword::Onbuild => (0, 0),
        Keyword::Unknown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The active signature's label with the active parameter in brackets.
    fn help(fixture: &str) -> Option<String> {
        let offset = fixture.find("$0").expect("cursor");
        let text = fixture.replacen("$0", "", 1);
        let found = signature_help(&SourceFile::parse(&text), offset)?;
        let signature = &found.signatures[found.active_signature];
        let parameter = &signature.parameters[found.active_parameter].label;
        Some(format!(
            "{}«{}»{}",
            &signature.label[..parameter.start],
            &signature.label[parameter.clone()],
            &signature.label[parameter.end..]
        ))
    }

    #[test]
    fn copy_sources_and_destination() {
        assert_eq!(
            help("FROM a\nCOPY $0").unwrap(),
            "COPY [OPTIONS] «<src>» ... <dest>"
        );
        assert_eq!(
            help("FROM a\nCOPY --ch$0").unwrap(),
            "COPY «[OPTIONS]» <src> ... <dest>"
        );
        assert_eq!(
            help("FROM a\nCOPY a $0").unwrap(),
            "COPY [OPTIONS] <src> ... «<dest>»"
        );
        assert_eq!(
            help("FROM a\nCOPY a b$0").unwrap(),
            "COPY [OPTIONS] <src> ... «<dest>»"
        );
        assert_eq!(
            help("FROM a\nCOPY --from=x a $0b c").unwrap(),
            "COPY [OPTIONS] «<src>» ... <dest>"
        );
        assert_eq!(
            help("FROM a\nCOPY [\"a\", $0").unwrap(),
            "COPY [OPTIONS] [\"<src>\", ... «\"<dest>\"»]"
        );
    }

    #[test]
    fn run_cmd_and_entrypoint_forms() {
        assert_eq!(help("FROM a\nRUN $0").unwrap(), "RUN [OPTIONS] «<command>»");
        assert_eq!(
            help("FROM a\nRUN --mount=$0").unwrap(),
            "RUN «[OPTIONS]» <command>"
        );
        assert_eq!(
            help("FROM a\nRUN [\"sh\", $0").unwrap(),
            "RUN [OPTIONS] [\"executable\", «\"param\"...»]"
        );
        assert_eq!(
            help("FROM a\nRUN <<EOF$0\nx\nEOF\n").unwrap(),
            "RUN [OPTIONS] «<<EOF»"
        );
        assert_eq!(
            help("FROM a\nCMD [$0").unwrap(),
            "CMD [«\"executable\"», \"param\"...]"
        );
        assert_eq!(
            help("FROM a\nCMD nginx -g $0").unwrap(),
            "CMD command «param...»"
        );
        assert_eq!(
            help("FROM a\nENTRYPOINT $0").unwrap(),
            "ENTRYPOINT «command» param..."
        );
    }

    #[test]
    fn key_value_instructions() {
        assert_eq!(help("ARG NA$0").unwrap(), "ARG «<name>»[=<default value>]");
        assert_eq!(
            help("ARG NAME=$0").unwrap(),
            "ARG <name>[=«<default value>»]"
        );
        assert_eq!(
            help("FROM a\nENV A=1 B$0").unwrap(),
            "ENV «<key>»=<value> ..."
        );
        assert_eq!(
            help("FROM a\nENV A=1 B=$0").unwrap(),
            "ENV <key>=«<value>» ..."
        );
        assert_eq!(help("FROM a\nENV A $0").unwrap(), "ENV <key> «<value>»");
        assert_eq!(
            help("FROM a\nLABEL a=$0").unwrap(),
            "LABEL <key>=«<value>» ..."
        );
        assert_eq!(
            help("FROM a\nUSER app:$0").unwrap(),
            "USER <user>[:«<group>»]"
        );
        assert_eq!(
            help("FROM a\nEXPOSE 80/$0").unwrap(),
            "EXPOSE <port>[/«<protocol>»] ..."
        );
    }

    #[test]
    fn parser_directives() {
        assert_eq!(
            help("# syntax=docker/dockerfile:1$0\nFROM a\n").unwrap(),
            "# syntax=«<image reference>»"
        );
        assert_eq!(help("# esc$0ape=`\nFROM a\n").unwrap(), "# escape=«\\|`»");
        assert_eq!(
            help("#check=skip=JSONArgsRecommended$0\nFROM a\n").unwrap(),
            "# check=«skip=<rules>|all»;error=true|false"
        );
        assert_eq!(
            help("# check=skip=all;error=t$0\nFROM a\n").unwrap(),
            "# check=skip=<rules>|all;«error=true|false»"
        );
        let text = "# escape=`\nFROM a\n";
        let found = signature_help(&SourceFile::parse(text), 3).unwrap();
        assert!(
            found.signatures[0]
                .documentation
                .unwrap()
                .contains("escape")
        );
        // Ordinary comments, and directive-like lines after an instruction, are no directive.
        assert!(help("# just a comment$0\nFROM a\n").is_none());
        assert!(help("FROM a\n# escape=`$0\nRUN x\n").is_none());
        assert!(help("# a comment\n# syntax=x$0\nFROM a\n").is_none());
    }

    #[test]
    fn from_healthcheck_and_onbuild() {
        assert_eq!(
            help("FROM $0").unwrap(),
            "FROM [--platform=<platform>] «<image>» [AS <name>]"
        );
        assert_eq!(
            help("FROM --pl$0").unwrap(),
            "FROM [«--platform=<platform>»] <image> [AS <name>]"
        );
        assert_eq!(
            help("FROM a $0").unwrap(),
            "FROM [--platform=<platform>] <image> [«AS» <name>]"
        );
        assert_eq!(
            help("FROM a AS $0").unwrap(),
            "FROM [--platform=<platform>] <image> [AS «<name>»]"
        );
        assert_eq!(
            help("FROM a\nHEALTHCHECK --interval=5s $0").unwrap(),
            "HEALTHCHECK [OPTIONS] «CMD» <command>"
        );
        assert_eq!(
            help("FROM a\nHEALTHCHECK CMD curl $0").unwrap(),
            "HEALTHCHECK [OPTIONS] CMD «<command>»"
        );
        assert_eq!(
            help("FROM a\nHEALTHCHECK NONE$0").unwrap(),
            "HEALTHCHECK «NONE»"
        );
        assert_eq!(
            help("FROM a\nONBUILD $0").unwrap(),
            "ONBUILD «<INSTRUCTION>»"
        );
        assert_eq!(
            help("FROM a\nONBUILD COPY a $0").unwrap(),
            "COPY [OPTIONS] <src> ... «<dest>»"
        );
        assert!(help("FROM a\nRU$0N x").is_none());
    }
}
