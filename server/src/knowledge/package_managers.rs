//! Package managers: how to recognise their install commands in a shell command, where they
//! leave caches, and how to clean up in the same layer or use a BuildKit cache mount.

use crate::syntax::{Command, ShellWord};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ManagerId {
    Apt,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Tdnf,
    Pacman,
    Pip,
    Npm,
    Yarn,
}

/// How a manager's cache is avoided or removed.
#[derive(Debug)]
pub struct PackageManager {
    pub id: ManagerId,
    /// The name people know it by.
    pub name: &'static str,
    /// Program names that run it (`apt-get`, `apt`).
    pub programs: &'static [&'static str],
    /// Installs software from a distribution (as opposed to a language's packages).
    pub system: bool,
    /// Sub-commands that download packages or indexes into the cache.
    pub fills_cache: &'static [&'static str],
    /// Where the cache lives.
    pub cache_paths: &'static [&'static str],
    /// A command that empties the cache, as it is usually written.
    pub cleanup: &'static str,
    /// Sub-commands (`clean`) whose arguments (`all`) make a cleanup.
    pub clean_commands: &'static [(&'static str, &'static [&'static str])],
    /// An option of the install command that keeps the cache out of the layer.
    pub no_cache_option: Option<&'static str>,
    /// An environment variable that does the same (`PIP_NO_CACHE_DIR`).
    pub no_cache_environment: Option<&'static str>,
    /// The `--mount` to add for a BuildKit cache mount.
    pub cache_mount: &'static str,
    /// The package index later commands read, when removing it breaks them (apt's lists,
    /// apk's APKINDEX). Managers that fetch missing metadata on their own (yum, dnf) and
    /// language managers have none: removing their cache only costs a download.
    pub index: Option<PackageIndex>,
    /// How to install in one layer, for hovers.
    pub install_example: &'static str,
    /// What a hover says about it.
    pub summary: &'static str,
}

/// A package index: state that flows from the RUN that downloads it to the RUNs that read it.
#[derive(Debug)]
pub struct PackageIndex {
    /// Where it lives; removing one of these (or a parent) removes the index.
    pub paths: &'static [&'static str],
    /// Sub-commands that download it and leave it behind.
    pub created_by: &'static [&'static str],
    /// Sub-commands that read it and fail without it.
    pub needed_by: &'static [&'static str],
    /// Options that make any call download the index first and leave it (`apk add -U`).
    pub creating_options: &'static [&'static str],
    /// Options that make a call fetch what it needs itself without leaving an index
    /// (`apk add --no-cache`).
    pub self_sufficient_options: &'static [&'static str],
    /// Clean-up sub-commands that remove the index too (`apt-get dist-clean`, `zypper clean`).
    pub removed_by: &'static [&'static str],
}

pub static MANAGERS: &[PackageManager] = &[
    PackageManager {
        id: ManagerId::Apt,
        name: "apt",
        programs: &["apt-get", "apt", "aptitude"],
        system: true,
        fills_cache: &[
            "update",
            "install",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "build-dep",
            "source",
            "download",
        ],
        cache_paths: &["/var/lib/apt/lists", "/var/cache/apt"],
        cleanup: "rm -rf /var/lib/apt/lists/*",
        // apt 3 (Debian 13, Ubuntu 25.04) removes the lists too with `dist-clean`.
        clean_commands: &[("dist-clean", &[])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked",
        index: Some(PackageIndex {
            paths: &["/var/lib/apt/lists"],
            created_by: &["update"],
            needed_by: &[
                "install",
                "upgrade",
                "dist-upgrade",
                "full-upgrade",
                "build-dep",
                "source",
                "download",
                "reinstall",
                "satisfy",
            ],
            creating_options: &[],
            self_sufficient_options: &[],
            removed_by: &["dist-clean"],
        }),
        install_example: "apt-get update && apt-get install -y --no-install-recommends PACKAGE && rm -rf /var/lib/apt/lists/*",
        summary: "Debian and Ubuntu's package manager. `apt-get update` downloads package lists to /var/lib/apt/lists; remove them in the same RUN (Debian and Ubuntu images already delete downloaded .deb files).",
    },
    PackageManager {
        id: ManagerId::Apk,
        name: "apk",
        programs: &["apk"],
        system: true,
        fills_cache: &["add", "update", "upgrade", "fix"],
        cache_paths: &["/var/cache/apk"],
        cleanup: "rm -rf /var/cache/apk/*",
        clean_commands: &[("cache", &["clean", "purge"])],
        no_cache_option: Some("--no-cache"),
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/apk",
        index: Some(PackageIndex {
            // Alpine images keep no index; `apk update` writes APKINDEX files here.
            paths: &["/var/cache/apk"],
            created_by: &["update"],
            needed_by: &["add", "upgrade", "fix", "search", "fetch", "dot", "policy"],
            creating_options: &["-U", "--update", "--update-cache"],
            self_sufficient_options: &["--no-cache"],
            removed_by: &[],
        }),
        install_example: "apk add --no-cache PACKAGE",
        summary: "Alpine's package manager. `apk add --no-cache` fetches the index into memory and leaves no cache in the layer.",
    },
    PackageManager {
        id: ManagerId::Yum,
        name: "yum",
        programs: &["yum"],
        system: true,
        fills_cache: &[
            "install",
            "update",
            "upgrade",
            "groupinstall",
            "makecache",
            "reinstall",
            "localinstall",
            "downgrade",
            "swap",
        ],
        cache_paths: &["/var/cache/yum"],
        cleanup: "yum clean all",
        clean_commands: &[(
            "clean",
            &["all", "packages", "metadata", "dbcache", "expire-cache"],
        )],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/yum,sharing=locked",
        index: None,
        install_example: "yum install -y PACKAGE && yum clean all",
        summary: "The package manager of CentOS 7, RHEL 7 and Amazon Linux 2 (a front end to dnf on newer releases). Its metadata and packages stay in /var/cache/yum until `yum clean all`.",
    },
    PackageManager {
        id: ManagerId::Dnf,
        name: "dnf",
        programs: &["dnf", "dnf5"],
        system: true,
        // `in`, `up` and `rei` are dnf's own short names for install, upgrade, reinstall.
        fills_cache: &[
            "install",
            "in",
            "update",
            "upgrade",
            "up",
            "rei",
            "groupinstall",
            "makecache",
            "reinstall",
            "distro-sync",
            "downgrade",
            "swap",
            "builddep",
        ],
        cache_paths: &["/var/cache/dnf", "/var/cache/libdnf5"],
        cleanup: "dnf clean all",
        clean_commands: &[("clean", &["all", "packages", "metadata", "dbcache"])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/dnf,sharing=locked",
        index: None,
        install_example: "dnf install -y PACKAGE && dnf clean all",
        summary: "The package manager of Fedora, RHEL 8+, Rocky, AlmaLinux and CentOS Stream. Metadata stays in /var/cache/dnf until `dnf clean all`.",
    },
    PackageManager {
        id: ManagerId::Microdnf,
        name: "microdnf",
        programs: &["microdnf"],
        system: true,
        fills_cache: &[
            "install",
            "update",
            "upgrade",
            "makecache",
            "reinstall",
            "download",
        ],
        cache_paths: &["/var/cache/yum", "/var/cache/dnf"],
        cleanup: "microdnf clean all",
        clean_commands: &[("clean", &["all"])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/yum,sharing=locked",
        index: None,
        install_example: "microdnf install -y PACKAGE && microdnf clean all",
        summary: "The small dnf of UBI minimal and other minimal RHEL-family images. Metadata stays in its cache until `microdnf clean all`.",
    },
    PackageManager {
        id: ManagerId::Zypper,
        name: "zypper",
        programs: &["zypper"],
        system: true,
        fills_cache: &[
            "install",
            "in",
            "update",
            "up",
            "dist-upgrade",
            "dup",
            "refresh",
            "ref",
            "patch",
            "source-install",
            "si",
        ],
        cache_paths: &["/var/cache/zypp"],
        cleanup: "zypper clean --all",
        clean_commands: &[("clean", &[]), ("cc", &[])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/zypp,sharing=locked",
        index: Some(PackageIndex {
            // zypper refreshes repositories marked for it on its own, but not every
            // repository is: a later install is treated as needing the metadata.
            paths: &["/var/cache/zypp"],
            created_by: &["refresh", "ref"],
            needed_by: &[
                "install",
                "in",
                "update",
                "up",
                "dist-upgrade",
                "dup",
                "patch",
                "source-install",
                "si",
                "search",
                "se",
            ],
            creating_options: &[],
            self_sufficient_options: &[],
            removed_by: &["clean", "cc"],
        }),
        install_example: "zypper --non-interactive install PACKAGE && zypper clean --all",
        summary: "openSUSE's and SLE's package manager. Repository metadata stays in /var/cache/zypp until `zypper clean --all`.",
    },
    PackageManager {
        id: ManagerId::Tdnf,
        name: "tdnf",
        programs: &["tdnf"],
        system: true,
        fills_cache: &["install", "update", "upgrade", "makecache", "reinstall"],
        cache_paths: &["/var/cache/tdnf"],
        cleanup: "tdnf clean all",
        clean_commands: &[("clean", &["all"])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/tdnf,sharing=locked",
        index: None,
        install_example: "tdnf install -y PACKAGE && tdnf clean all",
        summary: "The dnf-compatible package manager of VMware Photon OS and Azure Linux.",
    },
    PackageManager {
        id: ManagerId::Pacman,
        name: "pacman",
        programs: &["pacman"],
        system: true,
        fills_cache: &["-S", "-Sy", "-Syu", "-Syyu", "-Su"],
        cache_paths: &["/var/cache/pacman/pkg"],
        cleanup: "pacman -Scc --noconfirm",
        clean_commands: &[("-Scc", &[]), ("-Sc", &[])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/var/cache/pacman/pkg,sharing=locked",
        index: None,
        install_example: "pacman -Syu --noconfirm PACKAGE && pacman -Scc --noconfirm",
        summary: "Arch Linux's package manager. Downloaded packages stay in /var/cache/pacman/pkg until `pacman -Scc`.",
    },
    PackageManager {
        id: ManagerId::Pip,
        name: "pip",
        programs: &["pip", "pip3", "pip2"],
        system: false,
        fills_cache: &["install", "download", "wheel"],
        cache_paths: &["/root/.cache/pip", "~/.cache/pip"],
        cleanup: "rm -rf /root/.cache/pip",
        clean_commands: &[("cache", &["purge"])],
        no_cache_option: Some("--no-cache-dir"),
        no_cache_environment: Some("PIP_NO_CACHE_DIR"),
        cache_mount: "--mount=type=cache,target=/root/.cache/pip",
        index: None,
        install_example: "pip install --no-cache-dir PACKAGE",
        summary: "Python's package installer. Downloads and built wheels stay in ~/.cache/pip unless it runs with `--no-cache-dir` (or `PIP_NO_CACHE_DIR=1`).",
    },
    PackageManager {
        id: ManagerId::Npm,
        name: "npm",
        programs: &["npm"],
        system: false,
        fills_cache: &[
            "install",
            "i",
            "ci",
            "add",
            "update",
            "up",
            "install-clean",
            "install-ci-test",
            "it",
            "cit",
        ],
        cache_paths: &["/root/.npm", "~/.npm"],
        cleanup: "npm cache clean --force",
        clean_commands: &[("cache", &["clean"])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/root/.npm",
        index: None,
        install_example: "npm ci && npm cache clean --force",
        summary: "Node.js's package manager. Downloaded tarballs stay in ~/.npm/_cacache until `npm cache clean --force`.",
    },
    PackageManager {
        id: ManagerId::Yarn,
        name: "yarn",
        programs: &["yarn", "yarnpkg"],
        system: false,
        fills_cache: &["install", "add", "upgrade", ""],
        cache_paths: &[
            "/usr/local/share/.cache/yarn",
            "/root/.cache/yarn",
            "~/.cache/yarn",
        ],
        cleanup: "yarn cache clean",
        clean_commands: &[("cache", &["clean"])],
        no_cache_option: None,
        no_cache_environment: None,
        cache_mount: "--mount=type=cache,target=/usr/local/share/.cache/yarn",
        index: None,
        install_example: "yarn install --frozen-lockfile && yarn cache clean",
        summary: "Yarn (classic). Downloaded packages stay in its cache (/usr/local/share/.cache/yarn as root) until `yarn cache clean`.",
    },
];

pub fn manager(id: ManagerId) -> &'static PackageManager {
    MANAGERS
        .iter()
        .find(|manager| manager.id == id)
        .unwrap_or(&MANAGERS[0])
}

/// The manager a program name (without its path) belongs to. pip also runs as the
/// versioned `pip3.12`.
pub fn by_program(program: &str) -> Option<&'static PackageManager> {
    let versioned_pip = program.strip_prefix("pip").is_some_and(|version| {
        version.starts_with(|c: char| c.is_ascii_digit())
            && version.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    if versioned_pip {
        return Some(manager(ManagerId::Pip));
    }
    MANAGERS
        .iter()
        .find(|manager| manager.programs.contains(&program))
}

/// A package-manager command found in a shell command.
#[derive(Debug, Clone, Copy)]
pub struct ManagerCall<'a> {
    pub manager: &'static PackageManager,
    /// Index in `command.words` of the program word.
    pub program: usize,
    /// Index of the sub-command word (`install`), if any.
    pub subcommand: Option<usize>,
    pub command: &'a Command,
}

/// Where a command calls a package manager: a `ManagerCall` without the command, to keep
/// with a parsed script.
#[derive(Debug, Clone, Copy)]
pub struct CallSite {
    pub manager: &'static PackageManager,
    pub program: usize,
    pub subcommand: Option<usize>,
}

impl CallSite {
    pub fn of(call: &ManagerCall) -> CallSite {
        CallSite {
            manager: call.manager,
            program: call.program,
            subcommand: call.subcommand,
        }
    }

    /// The call on `command` (the command it was found in).
    pub fn on<'a>(&self, command: &'a Command) -> ManagerCall<'a> {
        ManagerCall {
            manager: self.manager,
            program: self.program,
            subcommand: self.subcommand,
            command,
        }
    }
}

impl<'a> ManagerCall<'a> {
    /// The sub-command (`install`), or `""` for a bare `yarn`.
    pub fn subcommand(&self) -> &'a str {
        self.subcommand
            .and_then(|index| self.command.words.get(index))
            .map(|word| word.text.as_str())
            .unwrap_or("")
    }

    /// The words after the program.
    pub fn arguments(&self) -> &'a [ShellWord] {
        self.command.words.get(self.program + 1..).unwrap_or(&[])
    }

    pub fn has_argument(&self, option: &str) -> bool {
        self.arguments().iter().any(|word| {
            word.text == option
                || word
                    .text
                    .strip_prefix(option)
                    .is_some_and(|rest| rest.starts_with('='))
        })
    }

    /// True when this call puts packages or indexes into the cache.
    pub fn fills_cache(&self) -> bool {
        let subcommand = self.subcommand();
        if self.manager.id == ManagerId::Pacman {
            return self.arguments().iter().any(|word| {
                word.text.starts_with("-S")
                    && !word.text.contains('c')
                    && !word.text.contains('s')
                    && !word.text.contains('i')
            });
        }
        self.manager.fills_cache.contains(&subcommand)
    }

    /// True when this call empties the cache (`yum clean all`, `apk cache clean`).
    pub fn cleans_cache(&self) -> bool {
        let subcommand = self.subcommand();
        self.manager
            .clean_commands
            .iter()
            .any(|(command, arguments)| {
                if self.manager.id == ManagerId::Pacman {
                    return self.arguments().iter().any(|word| word.text == *command);
                }
                command == &subcommand
                    && (arguments.is_empty()
                        || self
                            .arguments()
                            .iter()
                            .any(|word| arguments.contains(&word.text.as_str())))
            })
    }
}

/// Options of a manager that take a value (so the word after them is not the sub-command).
pub fn option_takes_value(manager: ManagerId, option: &str) -> bool {
    match manager {
        ManagerId::Apt => matches!(
            option,
            "-o" | "-c" | "-t" | "--target-release" | "--option" | "--config-file"
        ),
        ManagerId::Apk => matches!(
            option,
            "-X" | "--repository"
                | "-p"
                | "--root"
                | "--cache-dir"
                | "--arch"
                | "--keys-dir"
                | "--repositories-file"
                | "-t"
                | "--virtual"
        ),
        ManagerId::Yum | ManagerId::Dnf | ManagerId::Microdnf | ManagerId::Tdnf => matches!(
            option,
            "-c" | "--config"
                | "--installroot"
                | "--releasever"
                | "--enablerepo"
                | "--disablerepo"
                | "--setopt"
                | "-d"
                | "-e"
                | "--exclude"
                | "-x"
                | "--repo"
                | "--repoid"
                | "--nodocs-x"
        ),
        ManagerId::Zypper => matches!(
            option,
            "-r" | "--repo" | "--root" | "-R" | "-D" | "--reposd-dir" | "-C" | "--cache-dir"
        ),
        ManagerId::Npm | ManagerId::Yarn => matches!(
            option,
            "--prefix" | "--cwd" | "--registry" | "--cache" | "--cache-folder"
        ),
        ManagerId::Pip => matches!(
            option,
            "--python" | "--log" | "--proxy" | "--cache-dir" | "--timeout" | "--retries"
        ),
        ManagerId::Pacman => false,
    }
}

/// The package-manager call a command makes, if any: `sudo apt-get install`, `env X=y apk add`,
/// `python3 -m pip install`, `pip3 install`.
pub fn call(command: &Command) -> Option<ManagerCall<'_>> {
    let mut index = command.program_index();
    let mut program = command.words.get(index)?.text.rsplit('/').next()?;
    // `python -m pip ...`
    if program.starts_with("python") {
        let words = &command.words;
        let module = words
            .iter()
            .skip(index + 1)
            .position(|word| word.text == "-m")?;
        let at = index + 1 + module + 1;
        if words.get(at)?.text != "pip" {
            return None;
        }
        index = at;
        program = "pip";
    }
    let manager = by_program(program)?;
    let mut subcommand = None;
    let mut at = index + 1;
    while let Some(word) = command.words.get(at) {
        let text = word.text.as_str();
        if manager.id == ManagerId::Pacman {
            break;
        }
        if text.starts_with('-') {
            at += if option_takes_value(manager.id, text) {
                2
            } else {
                1
            };
            continue;
        }
        subcommand = Some(at);
        break;
    }
    Some(ManagerCall {
        manager,
        program: index,
        subcommand,
        command,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::parse;

    fn first_call(script: &str) -> (ManagerId, String, bool, bool) {
        let syntax = parse(script);
        let found = syntax.commands.iter().find_map(call).expect("a call");
        (
            found.manager.id,
            found.subcommand().to_string(),
            found.fills_cache(),
            found.cleans_cache(),
        )
    }

    #[test]
    fn recognises_calls_through_wrappers() {
        assert_eq!(
            first_call("sudo -E apt-get -o Dpkg::Options::=--force-confold install -y x"),
            (ManagerId::Apt, "install".into(), true, false)
        );
        assert_eq!(
            first_call("env DEBIAN_FRONTEND=noninteractive apt install x"),
            (ManagerId::Apt, "install".into(), true, false)
        );
        assert_eq!(
            first_call("python3 -m pip install -r r.txt"),
            (ManagerId::Pip, "install".into(), true, false)
        );
        assert_eq!(
            first_call("/usr/bin/pip3 install x"),
            (ManagerId::Pip, "install".into(), true, false)
        );
        assert_eq!(
            first_call("pip3.12 install x"),
            (ManagerId::Pip, "install".into(), true, false)
        );
        assert_eq!(
            first_call("dnf -y in x"),
            (ManagerId::Dnf, "in".into(), true, false)
        );
        for program in ["pipx", "pipenv", "pip-compile"] {
            assert!(by_program(program).is_none(), "{program}");
        }
        assert_eq!(
            first_call("apk --update add --virtual .deps gcc"),
            (ManagerId::Apk, "add".into(), true, false)
        );
        assert_eq!(
            first_call("yum clean all"),
            (ManagerId::Yum, "clean".into(), false, true)
        );
        assert_eq!(
            first_call("apk cache clean"),
            (ManagerId::Apk, "cache".into(), false, true)
        );
        assert_eq!(
            first_call("yarn"),
            (ManagerId::Yarn, String::new(), true, false)
        );
        assert_eq!(
            first_call("zypper -n in curl"),
            (ManagerId::Zypper, "in".into(), true, false)
        );
        assert_eq!(
            first_call("zypper clean -a"),
            (ManagerId::Zypper, "clean".into(), false, true)
        );
        assert_eq!(
            first_call("pacman -Syu --noconfirm git"),
            (ManagerId::Pacman, String::new(), true, false)
        );
        assert_eq!(
            first_call("pacman -Scc --noconfirm"),
            (ManagerId::Pacman, String::new(), false, true)
        );
        assert!(
            parse("python3 setup.py install")
                .commands
                .iter()
                .all(|command| call(command).is_none())
        );
    }
}
