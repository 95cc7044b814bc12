//! What package-manager sub-commands do, the options a Dockerfile should pass them, and how
//! to say the same thing with another distribution's package manager.

use super::package_managers::{ManagerCall, ManagerId};
use crate::syntax::ShellWord;

/// What a package-manager call does, across managers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Install,
    Remove,
    /// Download the package index (`apt-get update`, `apk update`, `dnf makecache`).
    Refresh,
    /// Upgrade installed packages (`apt-get upgrade`, `yum update`).
    Upgrade,
    Clean,
    Other,
}

/// An option worth passing, with the spellings that count as passing it.
#[derive(Debug)]
pub struct Recommendation {
    pub spellings: &'static [&'static str],
    pub reason: &'static str,
    /// Worth it in some Dockerfiles only (`--virtual` for build dependencies).
    pub optional: bool,
}

/// Documentation of one sub-command.
#[derive(Debug)]
pub struct Subcommand {
    pub manager: ManagerId,
    pub names: &'static [&'static str],
    pub action: Action,
    pub summary: &'static str,
    pub recommended: &'static [Recommendation],
}

const ASSUME_YES: Recommendation = Recommendation {
    spellings: &["-y", "--yes", "--assumeyes", "--assume-yes", "-q=2", "-qq"],
    reason: "answer yes to prompts: a build cannot answer them",
    optional: false,
};

use ManagerId as M;

pub static SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        manager: M::Apt,
        names: &["install"],
        action: Action::Install,
        summary: "Installs packages and their dependencies from the package lists that `apt-get update` downloaded.",
        recommended: &[
            ASSUME_YES,
            Recommendation {
                spellings: &["--no-install-recommends"],
                reason: "skip recommended packages: smaller images, fewer surprises",
                optional: false,
            },
        ],
    },
    Subcommand {
        manager: M::Apt,
        names: &["update"],
        action: Action::Refresh,
        summary: "Downloads the package lists into /var/lib/apt/lists. Run it in the same `RUN` as `apt-get install` (a cached `update` layer serves stale lists), and remove the lists at the end.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Apt,
        names: &["upgrade", "dist-upgrade", "full-upgrade"],
        action: Action::Upgrade,
        summary: "Upgrades the installed packages. Prefer a newer base image; upgrading in a Dockerfile makes builds differ from day to day.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Apt,
        names: &["remove", "purge", "autoremove"],
        action: Action::Remove,
        summary: "Removes packages (`purge` also removes their configuration). Removing in a later layer does not make the image smaller.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Apt,
        names: &["clean", "autoclean"],
        action: Action::Clean,
        summary: "Deletes downloaded .deb files from /var/cache/apt/archives (Debian and Ubuntu images already do this after every install); the package lists stay.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Apk,
        names: &["add"],
        action: Action::Install,
        summary: "Installs packages. With `--no-cache` the index is fetched into memory and nothing is left in /var/cache/apk.",
        recommended: &[
            Recommendation {
                spellings: &["--no-cache"],
                reason: "fetch the index for this command only and leave no cache in the layer",
                optional: false,
            },
            Recommendation {
                spellings: &["--virtual", "-t"],
                reason: "for build-only packages: `--virtual .build-deps` lets `apk del .build-deps` remove them in the same RUN",
                optional: true,
            },
        ],
    },
    Subcommand {
        manager: M::Apk,
        names: &["update"],
        action: Action::Refresh,
        summary: "Downloads the package index into /var/cache/apk. Not needed with `apk add --no-cache`.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Apk,
        names: &["upgrade"],
        action: Action::Upgrade,
        summary: "Upgrades the installed packages. Prefer a newer base image.",
        recommended: &[Recommendation {
            spellings: &["--no-cache"],
            reason: "leave no index in the layer",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Apk,
        names: &["del"],
        action: Action::Remove,
        summary: "Removes packages (or a `--virtual` group). Only shrinks the image in the RUN that added them.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Apk,
        names: &["cache"],
        action: Action::Clean,
        summary: "Manages /var/cache/apk (`apk cache clean`).",
        recommended: &[],
    },
    Subcommand {
        manager: M::Yum,
        names: &["install", "groupinstall", "localinstall", "reinstall"],
        action: Action::Install,
        summary: "Installs packages; metadata and packages stay in /var/cache/yum until `yum clean all` in the same RUN.",
        recommended: &[
            ASSUME_YES,
            Recommendation {
                spellings: &["--setopt=tsflags=nodocs", "--nodocs"],
                reason: "skip documentation",
                optional: true,
            },
        ],
    },
    Subcommand {
        manager: M::Yum,
        names: &["update", "upgrade"],
        action: Action::Upgrade,
        summary: "Upgrades installed packages (with names: those packages). Prefer a newer base image.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Yum,
        names: &["remove", "erase"],
        action: Action::Remove,
        summary: "Removes packages.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Yum,
        names: &["makecache"],
        action: Action::Refresh,
        summary: "Downloads repository metadata into /var/cache/yum.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Yum,
        names: &["clean"],
        action: Action::Clean,
        summary: "Deletes cached metadata and packages; `yum clean all` at the end of the installing RUN.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Dnf,
        names: &["install", "in", "groupinstall", "reinstall", "rei"],
        action: Action::Install,
        summary: "Installs packages; metadata stays in /var/cache/dnf until `dnf clean all` in the same RUN.",
        recommended: &[
            ASSUME_YES,
            Recommendation {
                spellings: &[
                    "--setopt=install_weak_deps=False",
                    "--setopt=install_weak_deps=0",
                    "--no-install-recommends",
                ],
                reason: "skip weak dependencies (recommends)",
                optional: true,
            },
            Recommendation {
                spellings: &["--nodocs", "--setopt=tsflags=nodocs"],
                reason: "skip documentation",
                optional: true,
            },
        ],
    },
    Subcommand {
        manager: M::Dnf,
        names: &["update", "upgrade", "up", "distro-sync"],
        action: Action::Upgrade,
        summary: "Upgrades installed packages. Prefer a newer base image.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Dnf,
        names: &["remove", "erase", "autoremove"],
        action: Action::Remove,
        summary: "Removes packages.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Dnf,
        names: &["makecache"],
        action: Action::Refresh,
        summary: "Downloads repository metadata into /var/cache/dnf.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Dnf,
        names: &["clean"],
        action: Action::Clean,
        summary: "Deletes cached metadata and packages; `dnf clean all` at the end of the installing RUN.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Microdnf,
        names: &["install", "reinstall"],
        action: Action::Install,
        summary: "Installs packages with the minimal dnf; metadata stays cached until `microdnf clean all` in the same RUN.",
        recommended: &[
            ASSUME_YES,
            Recommendation {
                spellings: &["--nodocs"],
                reason: "skip documentation",
                optional: true,
            },
            Recommendation {
                spellings: &[
                    "--setopt=install_weak_deps=0",
                    "--setopt=install_weak_deps=False",
                ],
                reason: "skip weak dependencies",
                optional: true,
            },
        ],
    },
    Subcommand {
        manager: M::Microdnf,
        names: &["update", "upgrade"],
        action: Action::Upgrade,
        summary: "Upgrades installed packages.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Microdnf,
        names: &["remove"],
        action: Action::Remove,
        summary: "Removes packages.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Microdnf,
        names: &["makecache"],
        action: Action::Refresh,
        summary: "Downloads repository metadata.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Microdnf,
        names: &["clean"],
        action: Action::Clean,
        summary: "Deletes cached metadata; `microdnf clean all` at the end of the installing RUN.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Tdnf,
        names: &["install", "reinstall"],
        action: Action::Install,
        summary: "Installs packages; metadata stays in /var/cache/tdnf until `tdnf clean all`.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Tdnf,
        names: &["update", "upgrade", "distro-sync"],
        action: Action::Upgrade,
        summary: "Upgrades installed packages.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Tdnf,
        names: &["remove", "erase"],
        action: Action::Remove,
        summary: "Removes packages.",
        recommended: &[ASSUME_YES],
    },
    Subcommand {
        manager: M::Tdnf,
        names: &["makecache"],
        action: Action::Refresh,
        summary: "Downloads repository metadata.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Tdnf,
        names: &["clean"],
        action: Action::Clean,
        summary: "Deletes cached metadata and packages.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Zypper,
        names: &["install", "in", "source-install", "si"],
        action: Action::Install,
        summary: "Installs packages; repository metadata stays in /var/cache/zypp until `zypper clean --all`.",
        recommended: &[
            Recommendation {
                spellings: &["--non-interactive", "-n", "-y", "--no-confirm"],
                reason: "never prompt (`zypper -n install` or `install -y`)",
                optional: false,
            },
            Recommendation {
                spellings: &["--no-recommends"],
                reason: "skip recommended packages",
                optional: false,
            },
        ],
    },
    Subcommand {
        manager: M::Zypper,
        names: &["update", "up", "dist-upgrade", "dup", "patch"],
        action: Action::Upgrade,
        summary: "Upgrades installed packages.",
        recommended: &[Recommendation {
            spellings: &["--non-interactive", "-n", "-y", "--no-confirm"],
            reason: "never prompt",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Zypper,
        names: &["remove", "rm"],
        action: Action::Remove,
        summary: "Removes packages.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Zypper,
        names: &["refresh", "ref"],
        action: Action::Refresh,
        summary: "Downloads repository metadata into /var/cache/zypp.",
        recommended: &[],
    },
    Subcommand {
        manager: M::Zypper,
        names: &["clean", "cc"],
        action: Action::Clean,
        summary: "Deletes cached metadata and packages (`zypper clean --all`).",
        recommended: &[],
    },
    Subcommand {
        manager: M::Pip,
        names: &["install"],
        action: Action::Install,
        summary: "Installs Python packages; downloads and built wheels stay in ~/.cache/pip unless `--no-cache-dir` (or `PIP_NO_CACHE_DIR=1`).",
        recommended: &[Recommendation {
            spellings: &["--no-cache-dir"],
            reason: "leave no download cache in the layer",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Pip,
        names: &["uninstall"],
        action: Action::Remove,
        summary: "Removes Python packages.",
        recommended: &[Recommendation {
            spellings: &["-y", "--yes"],
            reason: "do not prompt",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Pip,
        names: &["download", "wheel"],
        action: Action::Other,
        summary: "Downloads packages or builds wheels into a directory.",
        recommended: &[Recommendation {
            spellings: &["--no-cache-dir"],
            reason: "leave no download cache in the layer",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Npm,
        names: &["ci", "clean-install"],
        action: Action::Install,
        summary: "Installs exactly what package-lock.json says, from a clean node_modules: the right command for images.",
        recommended: &[Recommendation {
            spellings: &["--omit=dev", "--only=production", "--production"],
            reason: "for runtime images: skip devDependencies",
            optional: true,
        }],
    },
    Subcommand {
        manager: M::Npm,
        names: &["install", "i", "add"],
        action: Action::Install,
        summary: "Installs dependencies and may update package-lock.json; `npm ci` is reproducible. Downloads stay in ~/.npm until `npm cache clean --force`.",
        recommended: &[Recommendation {
            spellings: &["--omit=dev", "--only=production", "--production"],
            reason: "for runtime images: skip devDependencies",
            optional: true,
        }],
    },
    Subcommand {
        manager: M::Yarn,
        names: &["install", ""],
        action: Action::Install,
        summary: "Installs dependencies from yarn.lock; the cache stays until `yarn cache clean`.",
        recommended: &[Recommendation {
            spellings: &["--frozen-lockfile", "--immutable"],
            reason: "fail instead of changing the lockfile",
            optional: false,
        }],
    },
    Subcommand {
        manager: M::Yarn,
        names: &["add"],
        action: Action::Install,
        summary: "Adds a dependency to package.json and installs it.",
        recommended: &[],
    },
];

/// The documentation of a call's sub-command.
pub fn subcommand(call: &ManagerCall) -> Option<&'static Subcommand> {
    let id = call.manager.id;
    if id == M::Pacman {
        return None;
    }
    let name = call.subcommand();
    SUBCOMMANDS
        .iter()
        .find(|known| known.manager == id && known.names.contains(&name))
}

/// What a call does.
pub fn action(call: &ManagerCall) -> Action {
    if call.manager.id == M::Pacman {
        return pacman_action(call);
    }
    subcommand(call)
        .map(|known| known.action)
        .unwrap_or(Action::Other)
}

/// pacman's operation is an option: `-S` installs, `-Syu` upgrades, `-R` removes, `-Sc`
/// cleans.
fn pacman_action(call: &ManagerCall) -> Action {
    let arguments = call.arguments();
    let has_packages = arguments.iter().any(|word| !word.text.starts_with('-'));
    for word in arguments {
        let text = word.text.as_str();
        if let Some(flags) = text.strip_prefix("-S").filter(|_| !text.starts_with("--")) {
            return if flags.contains('c') {
                Action::Clean
            } else if has_packages {
                Action::Install
            } else if flags.contains('u') {
                Action::Upgrade
            } else if flags.contains('y') {
                Action::Refresh
            } else {
                Action::Other
            };
        }
        if text.starts_with("-R") && !text.starts_with("--") {
            return Action::Remove;
        }
        if text.starts_with("-U") && !text.starts_with("--") {
            return Action::Install;
        }
    }
    Action::Other
}

/// True when the call passes one of `spellings` (also inside a cluster of short options
/// such as `-qy`).
pub fn passes(call: &ManagerCall, spellings: &[&str]) -> bool {
    call.arguments().iter().any(|word| {
        let text = word.text.as_str();
        spellings.iter().any(|spelling| {
            text == *spelling
                || text
                    .strip_prefix(spelling)
                    .is_some_and(|rest| rest.starts_with('='))
                || (spelling.len() == 2
                    && spelling.starts_with('-')
                    && text.len() > 2
                    && text.starts_with('-')
                    && !text.starts_with("--")
                    && text[1..].chars().all(|c| c.is_ascii_alphabetic())
                    && text[1..].contains(&spelling[1..]))
        })
    })
}

/// The command that performs `action` with `manager`, written the way a Dockerfile should:
/// non-interactive, and without leaving a cache where an option can avoid it.
pub fn command_for(manager: ManagerId, action: Action) -> Option<&'static str> {
    Some(match (manager, action) {
        (M::Apt, Action::Install) => "apt-get install -y --no-install-recommends",
        (M::Apt, Action::Remove) => "apt-get purge -y",
        (M::Apt, Action::Refresh) => "apt-get update",
        (M::Apt, Action::Upgrade) => "apt-get upgrade -y",
        (M::Apt, Action::Clean) => "rm -rf /var/lib/apt/lists/*",
        (M::Apk, Action::Install) => "apk add --no-cache",
        (M::Apk, Action::Remove) => "apk del",
        (M::Apk, Action::Refresh) => "apk update",
        (M::Apk, Action::Upgrade) => "apk upgrade --no-cache",
        (M::Apk, Action::Clean) => "rm -rf /var/cache/apk/*",
        (M::Dnf, Action::Install) => "dnf install -y",
        (M::Dnf, Action::Remove) => "dnf remove -y",
        (M::Dnf, Action::Refresh) => "dnf makecache",
        (M::Dnf, Action::Upgrade) => "dnf upgrade -y",
        (M::Dnf, Action::Clean) => "dnf clean all",
        (M::Yum, Action::Install) => "yum install -y",
        (M::Yum, Action::Remove) => "yum remove -y",
        (M::Yum, Action::Refresh) => "yum makecache",
        (M::Yum, Action::Upgrade) => "yum update -y",
        (M::Yum, Action::Clean) => "yum clean all",
        (M::Microdnf, Action::Install) => "microdnf install -y",
        (M::Microdnf, Action::Remove) => "microdnf remove -y",
        (M::Microdnf, Action::Refresh) => "microdnf makecache",
        (M::Microdnf, Action::Upgrade) => "microdnf upgrade -y",
        (M::Microdnf, Action::Clean) => "microdnf clean all",
        (M::Tdnf, Action::Install) => "tdnf install -y",
        (M::Tdnf, Action::Remove) => "tdnf remove -y",
        (M::Tdnf, Action::Refresh) => "tdnf makecache",
        (M::Tdnf, Action::Upgrade) => "tdnf upgrade -y",
        (M::Tdnf, Action::Clean) => "tdnf clean all",
        (M::Zypper, Action::Install) => "zypper --non-interactive install",
        (M::Zypper, Action::Remove) => "zypper --non-interactive remove",
        (M::Zypper, Action::Refresh) => "zypper refresh",
        (M::Zypper, Action::Upgrade) => "zypper --non-interactive update",
        (M::Zypper, Action::Clean) => "zypper clean --all",
        (M::Pacman, Action::Install) => "pacman -Syu --noconfirm --needed",
        (M::Pacman, Action::Remove) => "pacman -Rns --noconfirm",
        (M::Pacman, Action::Refresh) => "pacman -Sy",
        (M::Pacman, Action::Upgrade) => "pacman -Syu --noconfirm",
        (M::Pacman, Action::Clean) => "pacman -Scc --noconfirm",
        _ => return None,
    })
}

/// The words of a call after its sub-command, split into packages and options (an option's
/// value counts as part of the option).
pub fn split_arguments<'a>(call: &ManagerCall<'a>) -> (Vec<&'a ShellWord>, Vec<&'a ShellWord>) {
    let words = &call.command.words;
    let start = call
        .subcommand
        .map(|index| index + 1)
        .unwrap_or(call.program + 1);
    let mut packages = Vec::new();
    let mut options = Vec::new();
    let mut index = start;
    while let Some(word) = words.get(index) {
        if word.text.starts_with('-') && word.text.len() > 1 {
            options.push(word);
            if super::package_managers::option_takes_value(call.manager.id, &word.text)
                && let Some(value) = words.get(index + 1)
            {
                options.push(value);
                index += 1;
            }
        } else {
            packages.push(word);
        }
        index += 1;
    }
    (packages, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::package_managers::call;
    use crate::syntax::shell::parse;

    fn with_call<T>(script: &str, inspect: impl Fn(&ManagerCall) -> T) -> T {
        let syntax = parse(script);
        let found = syntax.commands.iter().find_map(call).expect("a call");
        inspect(&found)
    }

    #[test]
    fn actions_across_managers() {
        let cases = [
            ("apt-get install -y curl", Action::Install),
            ("apt-get update", Action::Refresh),
            ("apt dist-upgrade -y", Action::Upgrade),
            ("apk add --no-cache curl", Action::Install),
            ("apk --update add curl", Action::Install),
            ("apk del .deps", Action::Remove),
            ("yum -y update", Action::Upgrade),
            ("dnf makecache", Action::Refresh),
            ("microdnf clean all", Action::Clean),
            ("zypper -n in curl", Action::Install),
            ("pacman -S --noconfirm git", Action::Install),
            ("pacman -Syu --noconfirm", Action::Upgrade),
            ("pacman -Scc", Action::Clean),
            ("pacman -Rns git", Action::Remove),
            ("pip install x", Action::Install),
            ("npm ci", Action::Install),
            ("npm run build", Action::Other),
        ];
        for (script, expected) in cases {
            assert_eq!(with_call(script, action), expected, "{script}");
        }
    }

    #[test]
    fn recommended_options_are_detected() {
        assert!(with_call("apt-get install -qy curl", |call| passes(
            call,
            &["-y"]
        )));
        assert!(with_call("apt-get -y install curl", |call| passes(
            call,
            &["-y"]
        )));
        assert!(!with_call("apt-get install --yes-please x", |call| passes(
            call,
            &["--yes"]
        )));
        assert!(with_call("pip install --no-cache-dir x", |call| passes(
            call,
            &["--no-cache-dir"]
        )));
        assert!(with_call(
            "dnf install --setopt=install_weak_deps=False x",
            |call| { passes(call, &["--setopt=install_weak_deps=False"]) }
        ));
    }

    #[test]
    fn arguments_split_into_packages_and_options() {
        let (packages, options) =
            with_call("apk add --no-cache --virtual .deps gcc musl-dev", |call| {
                let (packages, options) = split_arguments(call);
                (
                    packages
                        .iter()
                        .map(|word| word.text.clone())
                        .collect::<Vec<_>>(),
                    options
                        .iter()
                        .map(|word| word.text.clone())
                        .collect::<Vec<_>>(),
                )
            });
        assert_eq!(packages, vec!["gcc", "musl-dev"]);
        assert_eq!(options, vec!["--no-cache", "--virtual", ".deps"]);
        for manager in [
            M::Apt,
            M::Apk,
            M::Dnf,
            M::Yum,
            M::Microdnf,
            M::Tdnf,
            M::Zypper,
            M::Pacman,
        ] {
            for action in [
                Action::Install,
                Action::Remove,
                Action::Refresh,
                Action::Upgrade,
                Action::Clean,
            ] {
                assert!(
                    command_for(manager, action).is_some(),
                    "{manager:?} {action:?}"
                );
            }
        }
        assert!(command_for(M::Pip, Action::Install).is_none());
    }
}
