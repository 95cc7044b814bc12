//! What every instruction, flag and parser directive means: the text behind hovers, completion
//! and signature help. Written for this project from BuildKit's documented behaviour.

use super::frontend::Since;
use crate::syntax::Keyword;

/// How BuildKit reads a flag (its `BFlags` types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--name=<value>`, once.
    Value,
    /// `--name=<value>`, any number of times (`--mount`, `--exclude`).
    Repeatable,
    /// A boolean: `--name`, `--name=true` or `--name=false` (any case), once.
    Switch,
}

/// One flag of an instruction.
#[derive(Debug)]
pub struct FlagInfo {
    pub name: &'static str,
    /// How the value looks, e.g. `<stage|image|context>`; empty for a switch.
    pub value: &'static str,
    pub summary: &'static str,
    /// Values to offer in completion.
    pub values: &'static [&'static str],
    pub kind: FlagKind,
    /// The Dockerfile frontend that brought the flag, where an older one still in use rejects
    /// it; `None` where every frontend that matters knows it.
    pub since: Option<Since>,
}

/// One instruction.
#[derive(Debug)]
pub struct InstructionInfo {
    pub keyword: Keyword,
    /// The forms, one per line, e.g. `RUN [OPTIONS] <command>`.
    pub syntax: &'static [&'static str],
    pub summary: &'static str,
    /// A longer explanation in Markdown.
    pub details: &'static str,
    pub flags: &'static [FlagInfo],
}

/// A key of `RUN --mount=...` for one mount type.
#[derive(Debug)]
pub struct MountKey {
    pub name: &'static str,
    pub summary: &'static str,
    pub values: &'static [&'static str],
}

#[derive(Debug)]
pub struct MountType {
    pub name: &'static str,
    pub summary: &'static str,
    pub keys: &'static [MountKey],
}

const fn flag(
    name: &'static str,
    value: &'static str,
    summary: &'static str,
    values: &'static [&'static str],
) -> FlagInfo {
    FlagInfo {
        name,
        value,
        summary,
        values,
        kind: FlagKind::Value,
        since: None,
    }
}

impl FlagInfo {
    const fn switch(self) -> FlagInfo {
        FlagInfo {
            kind: FlagKind::Switch,
            ..self
        }
    }

    const fn repeatable(self) -> FlagInfo {
        FlagInfo {
            kind: FlagKind::Repeatable,
            ..self
        }
    }

    const fn since(self, since: Since) -> FlagInfo {
        FlagInfo {
            since: Some(since),
            ..self
        }
    }
}

const fn key(
    name: &'static str,
    summary: &'static str,
    values: &'static [&'static str],
) -> MountKey {
    MountKey {
        name,
        summary,
        values,
    }
}

const PLATFORMS: &[&str] = &[
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
];

// Versions: the Dockerfile reference's "minimum Dockerfile version" of each option. `--chmod`
// came in 1.2, `--link` in 1.4, `ADD --checksum` in 1.6 (1.5-labs), `ADD --unpack` in 1.17,
// `--exclude` in 1.19 and `COPY --parents` in 1.20 (both 1.7-labs), `RUN --mount` in 1.2 and
// `RUN --network` in 1.3 (both in the experimental channel before).
const CHMOD: Since = Since::stable(1, 2).labs(1, 0);
const LINK: Since = Since::stable(1, 4);
const EXCLUDE: Since = Since::stable(1, 19).labs(1, 7);

const COPY_FLAGS: &[FlagInfo] = &[
    flag(
        "from",
        "<stage|image|context>",
        "Copy from a build stage (by name or index), an image or a named build context instead of the build context.",
        &[],
    ),
    flag(
        "chown",
        "<user>[:<group>]",
        "Owner of the copied files (names or numeric ids; Linux only).",
        &[],
    ),
    flag(
        "chmod",
        "<perms>",
        "Permissions of the copied files, octal (`755`) or symbolic (`u=rwx,go=rx`).",
        &[],
    )
    .since(CHMOD),
    flag(
        "link",
        "[=<bool>]",
        "Copy into a layer of its own that does not depend on the layers below, so it survives base-image changes in the cache.",
        &["true", "false"],
    )
    .switch()
    .since(LINK),
    flag(
        "parents",
        "[=<bool>]",
        "Keep the parent directories of the sources below the destination (`COPY --parents ./a/b/c /dst` gives `/dst/a/b/c`).",
        &["true", "false"],
    )
    .switch()
    .since(Since::stable(1, 20).labs(1, 7)),
    flag(
        "exclude",
        "<pattern>",
        "Leave out files matching the pattern; may be repeated.",
        &[],
    )
    .repeatable()
    .since(EXCLUDE),
];

const ADD_FLAGS: &[FlagInfo] = &[
    flag(
        "chown",
        "<user>[:<group>]",
        "Owner of the added files (names or numeric ids; Linux only).",
        &[],
    ),
    flag(
        "chmod",
        "<perms>",
        "Permissions of the added files, octal or symbolic.",
        &[],
    )
    .since(CHMOD),
    flag(
        "link",
        "[=<bool>]",
        "Add into an independent layer (see `COPY --link`).",
        &["true", "false"],
    )
    .switch()
    .since(LINK),
    flag(
        "checksum",
        "<algorithm:hash>",
        "Verify a remote source against a checksum (`sha256:...`), or a Git source against a commit.",
        &[],
    )
    .since(Since::stable(1, 6).labs(1, 5)),
    flag(
        "keep-git-dir",
        "[=<bool>]",
        "For a Git source, keep the `.git` directory.",
        &["true", "false"],
    )
    .switch(),
    flag(
        "unpack",
        "[=<bool>]",
        "Whether to extract a local or remote archive (local archives are extracted by default, URLs are not).",
        &["true", "false"],
    )
    .switch()
    .since(Since::stable(1, 17)),
    flag(
        "exclude",
        "<pattern>",
        "Leave out files matching the pattern; may be repeated.",
        &[],
    )
    .repeatable()
    .since(EXCLUDE),
];

const RUN_FLAGS: &[FlagInfo] = &[
    flag(
        "mount",
        "type=<bind|cache|secret|ssh|tmpfs>[,<key>=<value>...]",
        "Mount something while this command runs; nothing under the mount point ends up in the layer.",
        &[
            "type=cache,target=",
            "type=bind,source=,target=",
            "type=secret,id=",
            "type=ssh",
            "type=tmpfs,target=",
        ],
    )
    .repeatable()
    .since(Since::stable(1, 2).labs(1, 0)),
    flag(
        "network",
        "<default|none|host>",
        "The network the command runs in: `none` for no network, `host` needs the `network.host` entitlement.",
        &["default", "none", "host"],
    )
    .since(Since::stable(1, 3).labs(1, 0)),
    flag(
        "security",
        "<insecure|sandbox>",
        "`insecure` runs the command with full privileges (needs the `security.insecure` entitlement).",
        &["insecure", "sandbox"],
    ),
    flag(
        "device",
        "<name>[,required]",
        "Make a device (a CDI device name such as `vendor.com/class=name`) available to the command.",
        &[],
    )
    .repeatable(),
];

const FROM_FLAGS: &[FlagInfo] = &[flag(
    "platform",
    "<os/arch[/variant]>",
    "The platform of the image to pull, e.g. `$BUILDPLATFORM` for a build stage that runs natively while cross-compiling.",
    PLATFORMS,
)];

const HEALTHCHECK_FLAGS: &[FlagInfo] = &[
    flag(
        "interval",
        "<duration>",
        "Time between checks (default `30s`).",
        &["30s", "10s", "1m"],
    ),
    flag(
        "timeout",
        "<duration>",
        "How long a check may take before it counts as failed (default `30s`).",
        &["30s", "10s", "5s"],
    ),
    flag(
        "start-period",
        "<duration>",
        "Grace period after start: failures do not count yet (default `0s`).",
        &["0s", "30s", "1m"],
    ),
    flag(
        "start-interval",
        "<duration>",
        "Time between checks during the start period (default `5s`).",
        &["5s", "1s"],
    ),
    flag(
        "retries",
        "<n>",
        "Consecutive failures before the container is unhealthy (default `3`).",
        &["3", "5"],
    ),
];

pub static MOUNT_TYPES: &[MountType] = &[
    MountType {
        name: "cache",
        summary: "A persistent cache directory shared between builds (package caches, compiler caches). Its content is never in the image.",
        keys: &[
            key(
                "target",
                "Where to mount (required). Aliases: `dst`, `destination`.",
                &[],
            ),
            key(
                "id",
                "Cache identity; builds with the same id share the cache (defaults to the target).",
                &[],
            ),
            key(
                "sharing",
                "How concurrent builds share it: `shared` (default), `private` or `locked` (one at a time; right for apt).",
                &["shared", "private", "locked"],
            ),
            key("from", "Stage or image to seed the cache from.", &[]),
            key("source", "Path inside `from` to mount.", &[]),
            key(
                "mode",
                "File mode of a new cache directory (default `0755`).",
                &["0755", "0777"],
            ),
            key(
                "uid",
                "Owner id of a new cache directory (default `0`).",
                &["0"],
            ),
            key(
                "gid",
                "Group id of a new cache directory (default `0`).",
                &["0"],
            ),
            key(
                "readonly",
                "Mount read-only. Alias: `ro`.",
                &["true", "false"],
            ),
        ],
    },
    MountType {
        name: "bind",
        summary: "Bind a directory of the build context, a stage or an image, read-only by default. The default type.",
        keys: &[
            key(
                "target",
                "Where to mount (required). Aliases: `dst`, `destination`.",
                &[],
            ),
            key("source", "Path inside `from` (default: its root).", &[]),
            key(
                "from",
                "Stage, image or named context to mount (default: the build context).",
                &[],
            ),
            key(
                "readwrite",
                "Allow writes; they are discarded after the command. Alias: `rw`.",
                &["true", "false"],
            ),
        ],
    },
    MountType {
        name: "secret",
        summary: "A secret file (or environment variable) available to this command only, never stored in a layer.",
        keys: &[
            key(
                "id",
                "The secret's id, as passed with `--secret id=...` (defaults to the target's base name).",
                &[],
            ),
            key(
                "target",
                "Where to mount the file (default `/run/secrets/<id>`). Alias: `dst`.",
                &[],
            ),
            key(
                "env",
                "Expose the secret as this environment variable instead of (or as well as) a file.",
                &[],
            ),
            key(
                "required",
                "Fail the build when the secret is not provided.",
                &["true", "false"],
            ),
            key("mode", "File mode (default `0400`).", &["0400"]),
            key("uid", "Owner id (default `0`).", &["0"]),
            key("gid", "Group id (default `0`).", &["0"]),
        ],
    },
    MountType {
        name: "ssh",
        summary: "Access to the SSH agent or keys given with `--ssh`, for cloning private repositories.",
        keys: &[
            key(
                "id",
                "The SSH agent socket or keys id (default `default`).",
                &["default"],
            ),
            key(
                "target",
                "Socket path (default `/run/buildkit/ssh_agent.${N}`).",
                &[],
            ),
            key(
                "required",
                "Fail the build when no agent is provided.",
                &["true", "false"],
            ),
            key("mode", "Socket mode (default `0600`).", &["0600"]),
            key("uid", "Owner id (default `0`).", &["0"]),
            key("gid", "Group id (default `0`).", &["0"]),
        ],
    },
    MountType {
        name: "tmpfs",
        summary: "An in-memory file system for this command only.",
        keys: &[
            key(
                "target",
                "Where to mount (required). Aliases: `dst`, `destination`.",
                &[],
            ),
            key("size", "Maximum size, in bytes.", &[]),
        ],
    },
];

/// Every instruction, in alphabetical order.
pub static INSTRUCTIONS: &[InstructionInfo] = &[
    InstructionInfo {
        keyword: Keyword::Add,
        syntax: &[
            "ADD [OPTIONS] <src> ... <dest>",
            "ADD [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        ],
        summary: "Adds files, URLs or Git repositories to the image.",
        details: "Like `COPY`, plus: sources may be URLs or Git repositories, and local tar archives are extracted. Prefer `COPY` for plain files: its behaviour is predictable.",
        flags: ADD_FLAGS,
    },
    InstructionInfo {
        keyword: Keyword::Arg,
        syntax: &["ARG <name>[=<default value>] [<name>[=<default value>]...]"],
        summary: "Declares a build argument.",
        details: "Set with `docker build --build-arg name=value`. Before the first `FROM` an ARG is global: visible in `FROM` lines, and in a stage only after it is declared again there without a value. Values are visible in the image history: do not pass secrets this way.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Cmd,
        syntax: &[
            "CMD [\"executable\", \"param\"...]",
            "CMD [\"param\"...]  (default parameters to ENTRYPOINT)",
            "CMD command param...",
        ],
        summary: "Sets the default command of a container.",
        details: "Only the last `CMD` counts. The exec form runs the program directly and receives signals; the shell form runs under `/bin/sh -c`.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Copy,
        syntax: &[
            "COPY [OPTIONS] <src> ... <dest>",
            "COPY [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        ],
        summary: "Copies files from the build context, a stage or an image into the image.",
        details: "Sources are relative to the build context (or to `--from`). A destination ending in `/` is a directory. Heredocs (`COPY <<EOF /file`) create files inline.",
        flags: COPY_FLAGS,
    },
    InstructionInfo {
        keyword: Keyword::Entrypoint,
        syntax: &[
            "ENTRYPOINT [\"executable\", \"param\"...]",
            "ENTRYPOINT command param...",
        ],
        summary: "Sets the program a container runs; `CMD` supplies its default arguments.",
        details: "Use the exec form: in the shell form the program runs under `/bin/sh -c` as a child, does not receive `SIGTERM`, and ignores `CMD` and `docker run` arguments.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Env,
        syntax: &[
            "ENV <key>=<value> [<key>=<value>...]",
            "ENV <key> <value>  (legacy)",
        ],
        summary: "Sets environment variables for the rest of the stage and for containers.",
        details: "Variables persist in the image and in stages based on this one. Use `ARG` for values only the build needs, and `RUN VAR=x cmd` for one command.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Expose,
        syntax: &["EXPOSE <port>[/<protocol>] ..."],
        summary: "Documents the ports the container listens on.",
        details: "It publishes nothing by itself: use `docker run -p`. The protocol is `tcp` (default), `udp` or `sctp`.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::From,
        syntax: &["FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]"],
        summary: "Starts a build stage from a base image or an earlier stage.",
        details: "Each `FROM` starts a stage; only the last stage (or the `--target`) forms the image, and BuildKit builds only the stages it needs. `FROM scratch` starts from an empty file system. Global `ARG`s may be used in the image reference.",
        flags: FROM_FLAGS,
    },
    InstructionInfo {
        keyword: Keyword::Healthcheck,
        syntax: &["HEALTHCHECK [OPTIONS] CMD <command>", "HEALTHCHECK NONE"],
        summary: "Tells the runtime how to check that the container still works.",
        details: "The command's exit status decides: 0 healthy, 1 unhealthy. `NONE` turns off a check inherited from the base image. Only the last `HEALTHCHECK` counts.",
        flags: HEALTHCHECK_FLAGS,
    },
    InstructionInfo {
        keyword: Keyword::Label,
        syntax: &["LABEL <key>=<value> [<key>=<value>...]"],
        summary: "Adds metadata to the image.",
        details: "Prefer the `org.opencontainers.image.*` keys (`authors`, `source`, `version`, `licenses`, ...), which registries and tools understand.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Maintainer,
        syntax: &["MAINTAINER <name>"],
        summary: "Deprecated: sets the image author.",
        details: "Use `LABEL org.opencontainers.image.authors=\"...\"` instead.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Onbuild,
        syntax: &["ONBUILD <INSTRUCTION>"],
        summary: "Registers an instruction to run when another build uses this image as its base.",
        details: "The trigger runs right after the child's `FROM`. `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Run,
        syntax: &[
            "RUN [OPTIONS] <command>",
            "RUN [OPTIONS] [\"executable\", \"param\"...]",
            "RUN [OPTIONS] <<EOF ... EOF",
        ],
        summary: "Runs a command and commits the result as a new layer.",
        details: "Each `RUN` is a layer: files deleted by a later `RUN` still ship in the earlier one. Install and clean up in the same `RUN`, or use `--mount=type=cache` for package caches.",
        flags: RUN_FLAGS,
    },
    InstructionInfo {
        keyword: Keyword::Shell,
        syntax: &["SHELL [\"executable\", \"param\"...]"],
        summary: "Changes the shell used by the shell form of RUN, CMD and ENTRYPOINT.",
        details: "The default is `[\"/bin/sh\", \"-c\"]` on Linux and `[\"cmd\", \"/S\", \"/C\"]` on Windows. Set `[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` to make pipelines fail when any part fails.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Stopsignal,
        syntax: &["STOPSIGNAL <signal>"],
        summary: "Sets the signal sent to stop the container.",
        details: "A name (`SIGTERM`, `SIGINT`, `SIGQUIT`) or a number. The default is `SIGTERM`.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::User,
        syntax: &["USER <user>[:<group>]", "USER <UID>[:<GID>]"],
        summary: "Sets the user for the rest of the stage and for containers.",
        details: "Applies to later `RUN`, `CMD` and `ENTRYPOINT`. Running as a non-root user limits what a compromised process can do.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Volume,
        syntax: &["VOLUME [\"/data\"]", "VOLUME /data ..."],
        summary: "Declares mount points for external volumes.",
        details: "Changes a later `RUN` makes inside a declared volume are discarded by the classic builder. Declare volumes late.",
        flags: &[],
    },
    InstructionInfo {
        keyword: Keyword::Workdir,
        syntax: &["WORKDIR <path>"],
        summary: "Sets the working directory for the rest of the stage and for containers.",
        details: "Created if it does not exist. Use absolute paths: a relative one is relative to the previous `WORKDIR`. Prefer it to `RUN cd ...`, which lasts for one command only.",
        flags: &[],
    },
];

/// The description of `keyword`.
pub fn instruction(keyword: Keyword) -> Option<&'static InstructionInfo> {
    INSTRUCTIONS.iter().find(|info| info.keyword == keyword)
}

/// The flag `name` of `keyword`.
pub fn flag_info(keyword: Keyword, name: &str) -> Option<&'static FlagInfo> {
    instruction(keyword)?
        .flags
        .iter()
        .find(|flag| flag.name == name)
}

pub fn mount_type(name: &str) -> Option<&'static MountType> {
    MOUNT_TYPES.iter().find(|mount| mount.name == name)
}

/// A parser directive.
#[derive(Debug)]
pub struct DirectiveInfo {
    pub name: &'static str,
    pub syntax: &'static str,
    pub summary: &'static str,
}

pub static DIRECTIVES: &[DirectiveInfo] = &[
    DirectiveInfo {
        name: "syntax",
        syntax: "# syntax=<frontend image>",
        summary: "Chooses the Dockerfile frontend BuildKit uses, e.g. `docker/dockerfile:1` for the latest stable 1.x syntax. Must be on the first lines, before any instruction or other comment.",
    },
    DirectiveInfo {
        name: "escape",
        syntax: "# escape=<\\ or `>",
        summary: "Sets the escape and line-continuation character; `` ` `` suits Windows paths such as `C:\\Windows`. Must come before any instruction or other comment.",
    },
    DirectiveInfo {
        name: "check",
        syntax: "# check=skip=<Rule>[,<Rule>...]|all[;error=true][;experimental=<Rule>[,...]|all]",
        summary: "Configures BuildKit's build checks: which to skip (names are case-sensitive), whether a failed check fails the build, which experimental checks run. The value ends at its first space. The same comment right above an instruction skips or enables checks for that instruction only. dockerfile-ls reads it as BuildKit does.",
    },
];

pub fn directive(name: &str) -> Option<&'static DirectiveInfo> {
    DIRECTIVES
        .iter()
        .find(|info| info.name.eq_ignore_ascii_case(name))
}

/// An ARG BuildKit defines for every build without a declaration.
#[derive(Debug)]
pub struct PredefinedArg {
    pub name: &'static str,
    pub summary: &'static str,
    /// A proxy ARG: passed to `RUN` without a declaration. The others (platform ARGs) are
    /// visible in `FROM` lines, and in a stage once declared with `ARG NAME`.
    pub proxy: bool,
}

const PROXY_SUMMARY: &str = "A proxy setting: BuildKit passes it to `RUN` commands without an `ARG` declaration when the build sets it (`--build-arg`), and leaves it out of the image's history.";

/// BuildKit's predefined ARGs: the platform ARGs, then the proxy ARGs.
pub static PREDEFINED_ARGS: &[PredefinedArg] = &[
    PredefinedArg {
        name: "TARGETPLATFORM",
        summary: "The platform of the build result, such as `linux/arm64` (set with `--platform`).",
        proxy: false,
    },
    PredefinedArg {
        name: "TARGETOS",
        summary: "The OS part of `TARGETPLATFORM`, such as `linux` or `windows`.",
        proxy: false,
    },
    PredefinedArg {
        name: "TARGETARCH",
        summary: "The architecture part of `TARGETPLATFORM`, such as `amd64` or `arm64`.",
        proxy: false,
    },
    PredefinedArg {
        name: "TARGETVARIANT",
        summary: "The variant part of `TARGETPLATFORM`, such as `v7` for `linux/arm/v7` (empty when there is none).",
        proxy: false,
    },
    PredefinedArg {
        name: "BUILDPLATFORM",
        summary: "The platform of the machine running the build, such as `linux/amd64`.",
        proxy: false,
    },
    PredefinedArg {
        name: "BUILDOS",
        summary: "The OS part of `BUILDPLATFORM`, such as `linux`.",
        proxy: false,
    },
    PredefinedArg {
        name: "BUILDARCH",
        summary: "The architecture part of `BUILDPLATFORM`, such as `amd64`.",
        proxy: false,
    },
    PredefinedArg {
        name: "BUILDVARIANT",
        summary: "The variant part of `BUILDPLATFORM` (empty when there is none).",
        proxy: false,
    },
    PredefinedArg {
        name: "HTTP_PROXY",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "http_proxy",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "HTTPS_PROXY",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "https_proxy",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "FTP_PROXY",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "ftp_proxy",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "NO_PROXY",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "no_proxy",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "ALL_PROXY",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
    PredefinedArg {
        name: "all_proxy",
        summary: PROXY_SUMMARY,
        proxy: true,
    },
];

/// The predefined ARG `name` (case-sensitive, as BuildKit compares it).
pub fn predefined_arg(name: &str) -> Option<&'static PredefinedArg> {
    PREDEFINED_ARGS.iter().find(|arg| arg.name == name)
}

/// The signals `STOPSIGNAL` accepts by name.
pub static SIGNALS: &[&str] = &[
    "SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH",
    "SIGSTOP", "SIGCONT", "SIGABRT", "SIGALRM", "SIGPIPE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_documented() {
        for keyword in Keyword::ALL {
            let info = instruction(keyword).unwrap_or_else(|| panic!("{keyword:?}"));
            assert!(info.syntax[0].starts_with(keyword.name()));
        }
    }

    #[test]
    fn the_stage_graphs_predefined_args_are_documented() {
        use crate::syntax::stages::{PLATFORM_ARGS, PROXY_ARGS};
        for name in PLATFORM_ARGS {
            assert!(predefined_arg(name).is_some_and(|arg| !arg.proxy), "{name}");
        }
        for name in PROXY_ARGS.iter() {
            assert!(predefined_arg(name).is_some_and(|arg| arg.proxy), "{name}");
        }
    }

    #[test]
    fn current_buildkit_flags_are_known() {
        for (keyword, name) in [
            (Keyword::Copy, "parents"),
            (Keyword::Copy, "exclude"),
            (Keyword::Copy, "link"),
            (Keyword::Add, "checksum"),
            (Keyword::Add, "keep-git-dir"),
            (Keyword::Add, "unpack"),
            (Keyword::Run, "security"),
            (Keyword::Healthcheck, "start-interval"),
        ] {
            assert!(flag_info(keyword, name).is_some(), "{keyword:?} --{name}");
        }
        assert!(
            mount_type("cache")
                .unwrap()
                .keys
                .iter()
                .any(|key| key.name == "sharing")
        );
        assert!(
            mount_type("secret")
                .unwrap()
                .keys
                .iter()
                .any(|key| key.name == "env")
        );
    }
}
