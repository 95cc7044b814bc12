//! Which packages an install command names without a version, manager by manager, with
//! hadolint's idea of what counts as pinned (DL3008, DL3013, DL3016, DL3018, DL3028, DL3033,
//! DL3037, DL3041, DL3062) where it is right, and the managers' own syntax where hadolint
//! reads it loosely.

use super::package_managers::{self, ManagerCall, ManagerId};
use crate::syntax::{Command, ShellWord};

/// The package ecosystems whose installs can be pinned, each with its hadolint code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    Apt,
    Pip,
    Npm,
    Apk,
    Gem,
    Yum,
    Zypper,
    Dnf,
    Go,
}

impl Ecosystem {
    /// hadolint's code for unpinned installs of this ecosystem.
    pub fn code(self) -> &'static str {
        match self {
            Ecosystem::Apt => "DL3008",
            Ecosystem::Pip => "DL3013",
            Ecosystem::Npm => "DL3016",
            Ecosystem::Apk => "DL3018",
            Ecosystem::Gem => "DL3028",
            Ecosystem::Yum => "DL3033",
            Ecosystem::Zypper => "DL3037",
            Ecosystem::Dnf => "DL3041",
            Ecosystem::Go => "DL3062",
        }
    }

    /// How a pinned package is written, for messages.
    pub fn pinned_form(self) -> &'static str {
        match self {
            Ecosystem::Apt => "apt-get install PACKAGE=VERSION",
            Ecosystem::Pip => "pip install PACKAGE==VERSION (or -r requirements.txt)",
            Ecosystem::Npm => "npm install PACKAGE@VERSION",
            Ecosystem::Apk => "apk add PACKAGE=VERSION",
            Ecosystem::Gem => "gem install GEM:VERSION (or -v VERSION)",
            Ecosystem::Yum => "yum install PACKAGE-VERSION",
            Ecosystem::Zypper => "zypper install PACKAGE=VERSION",
            Ecosystem::Dnf => "dnf install PACKAGE-VERSION",
            Ecosystem::Go => "go install PACKAGE@VERSION",
        }
    }
}

/// The packages `command` installs without a version, and their ecosystem.
pub fn unpinned(command: &Command) -> Option<(Ecosystem, Vec<&ShellWord>)> {
    if let Some(found) = gem_or_go(command) {
        return Some(found);
    }
    let call = package_managers::call(command)?;
    let subcommand = call.subcommand();
    let ecosystem = match call.manager.id {
        ManagerId::Apt if subcommand == "install" => Ecosystem::Apt,
        ManagerId::Pip if subcommand == "install" => Ecosystem::Pip,
        ManagerId::Npm if matches!(subcommand, "install" | "i" | "add") => Ecosystem::Npm,
        ManagerId::Apk if subcommand == "add" => Ecosystem::Apk,
        ManagerId::Yum if subcommand == "install" || module_install(&call) => Ecosystem::Yum,
        ManagerId::Zypper if matches!(subcommand, "install" | "in") => Ecosystem::Zypper,
        ManagerId::Dnf | ManagerId::Microdnf | ManagerId::Tdnf
            if subcommand == "install" || module_install(&call) =>
        {
            Ecosystem::Dnf
        }
        _ => return None,
    };
    let (packages, options) = split(&call, ecosystem);
    let module = module_install(&call);
    let unpinned: Vec<&ShellWord> = match ecosystem {
        Ecosystem::Pip if skips_pip(&options) => Vec::new(),
        Ecosystem::Yum | Ecosystem::Dnf if module => packages
            .into_iter()
            .filter(|word| word.text != "install" && !word.text.contains(':'))
            .collect(),
        _ => packages
            .into_iter()
            .filter(|word| !pinned(ecosystem, &word.text))
            .collect(),
    };
    Some((ecosystem, unpinned))
}

/// `yum module install`, `dnf module install`: modules pin a stream with `name:stream`.
fn module_install(call: &ManagerCall) -> bool {
    call.subcommand() == "module"
        && call
            .subcommand
            .and_then(|at| call.command.words.get(at + 1))
            .is_some_and(|word| word.text == "install")
}

/// The packages and options of a call after its sub-command (as
/// [`split_arguments`](super::package_commands::split_arguments) splits them), knowing more
/// of the options that take a value.
fn split<'a>(
    call: &ManagerCall<'a>,
    ecosystem: Ecosystem,
) -> (Vec<&'a ShellWord>, Vec<&'a ShellWord>) {
    let extra: &[&str] = match ecosystem {
        Ecosystem::Pip => &[
            "-i",
            "--index-url",
            "--extra-index-url",
            "-f",
            "--find-links",
            "-t",
            "--target",
            "--prefix",
            "--root",
            "--src",
            "-e",
            "--editable",
            "--trusted-host",
            "--platform",
            "--python-version",
            "--implementation",
            "--abi",
            "--no-binary",
            "--only-binary",
            "--progress-bar",
            "--upgrade-strategy",
            "-b",
            "--build",
            "-c",
            "--constraint",
            "-r",
            "--requirement",
            "--cert",
            "--client-cert",
            "--report",
            "--config-settings",
            "-C",
            "--global-option",
        ],
        Ecosystem::Npm => &[
            "--loglevel",
            "--userconfig",
            "--globalconfig",
            "--tag",
            "-w",
            "--workspace",
            "--omit",
            "--include",
            "--otp",
            "--save-prefix",
            "--install-strategy",
            "--before",
        ],
        Ecosystem::Apt => &["--target-release", "-t"],
        _ => &[],
    };
    let words = &call.command.words;
    let start = call.subcommand.map(|at| at + 1).unwrap_or(call.program + 1);
    let mut packages = Vec::new();
    let mut options = Vec::new();
    let mut index = start;
    while let Some(word) = words.get(index) {
        let text = word.text.as_str();
        if text.starts_with('-') && text.len() > 1 {
            options.push(word);
            let takes_value = extra.contains(&text)
                || package_managers::option_takes_value(call.manager.id, text);
            if takes_value && let Some(value) = words.get(index + 1) {
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

/// pip installs from a requirements or constraints file: the file pins, not the command.
fn skips_pip(options: &[&ShellWord]) -> bool {
    options.iter().any(|word| {
        let text = word.text.as_str();
        ["-r", "--requirement", "-c", "--constraint"]
            .iter()
            .any(|option| {
                text == *option
                    || text
                        .strip_prefix(option)
                        .is_some_and(|rest| rest.starts_with('='))
            })
            || (text.starts_with("-r") && !text.starts_with("--") && text.len() > 2)
    })
}

/// The package, as written, names a version (or a file or source that fixes one).
pub fn pinned(ecosystem: Ecosystem, package: &str) -> bool {
    match ecosystem {
        Ecosystem::Apt => package.contains(['=', '/']) || package.ends_with(".deb"),
        Ecosystem::Pip => pip_pinned(package),
        Ecosystem::Npm => npm_pinned(package),
        Ecosystem::Apk => package.contains(['=', '~', '<', '>']) || package.ends_with(".apk"),
        Ecosystem::Gem => package.contains(':') || package.ends_with(".gem"),
        Ecosystem::Zypper => package.contains(['=', '<', '>']) || package.ends_with(".rpm"),
        Ecosystem::Yum | Ecosystem::Dnf => rpm_pinned(package),
        Ecosystem::Go => go_pinned(package, false),
    }
}

/// `name==1.2`, `name>=1,<2`, a VCS URL with `@ref`, a wheel or sdist file, a path or URL.
fn pip_pinned(package: &str) -> bool {
    const OPERATORS: [&str; 6] = ["==", ">=", "<=", "!=", "~=", "==="];
    const VCS: [&str; 4] = ["git+", "hg+", "svn+", "bzr+"];
    let vcs = VCS.iter().any(|prefix| package.starts_with(prefix)) || package.starts_with("git://");
    if vcs {
        // `@` after the host part names a revision (`git+https://host/repo.git@v1.0`).
        return package
            .rsplit_once('/')
            .is_some_and(|(_, last)| last.contains('@'));
    }
    OPERATORS.iter().any(|operator| package.contains(operator))
        || package.contains(['<', '>'])
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"]
            .iter()
            .any(|ending| package.ends_with(ending))
        || package.contains('/')
        || package == "."
}

/// `name@1.2`, `@scope/name@1.2`, a tarball, a folder, a git URL or GitHub shorthand with a
/// `#commit`. `@latest` moves with every release: not a pin.
fn npm_pinned(package: &str) -> bool {
    const GIT: [&str; 7] = [
        "git://",
        "git+ssh://",
        "git+http://",
        "git+https://",
        "github:",
        "gitlab:",
        "bitbucket:",
    ];
    if GIT.iter().any(|prefix| package.starts_with(prefix)) {
        return package.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|ending| package.ends_with(ending))
    {
        return true;
    }
    if ["/", "./", "../", "~/"]
        .iter()
        .any(|prefix| package.starts_with(prefix))
        || package.starts_with("file:")
        || package.starts_with("http://")
        || package.starts_with("https://")
    {
        return true;
    }
    let name = match package.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').map(|(_, rest)| rest).unwrap_or(""),
        None => package,
    };
    if !name.contains('@') && name.contains('/') {
        // `owner/repo`: GitHub shorthand, pinned by a `#commit`.
        return name.contains('#');
    }
    match name.split_once('@') {
        Some((_, version)) => !version.is_empty() && version != "latest",
        None => false,
    }
}

/// `name-version` as rpm writes it: after the name, dash-separated parts made of version
/// characters, one of them starting with a digit (`tomcat-9.0.1`, `openssl-1:1.1.1k`); a
/// variable stands for a version (`tomcat-$VERSION`). An `.rpm` file is pinned by its content.
fn rpm_pinned(package: &str) -> bool {
    if package.ends_with(".rpm") {
        return true;
    }
    let mut parts = package.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return false;
    }
    let version_character =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '~' | '^' | '_' | ':' | '+');
    // A variable standing for a whole part (`-$VERSION`, `-${GIT_VER}`) is a version; one in
    // the middle of a name (`pgvector_${PG_MAJOR}`) is not.
    rest.iter()
        .all(|part| part.starts_with('$') || part.chars().all(version_character))
        && rest
            .iter()
            .any(|part| part.starts_with('$') || part.starts_with(|c: char| c.is_ascii_digit()))
}

/// `module@v1.2.3` (not `@latest`, `@none`, `@upgrade` or `@patch`, which move), a local
/// package (`.`, `./cmd/x`, `/src`), or a `.go` file given to `go run`.
fn go_pinned(package: &str, run: bool) -> bool {
    if package == "."
        || package.starts_with("./")
        || package.starts_with("../")
        || package.starts_with('/')
    {
        return true;
    }
    if run && package.ends_with(".go") {
        return true;
    }
    match package.rsplit_once('@') {
        Some((_, version)) => !matches!(version, "" | "latest" | "none" | "upgrade" | "patch"),
        None => false,
    }
}

/// Options of `go build`/`install`/`get`/`run` that take a value.
const GO_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-C",
    "-p",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-tags",
    "-mod",
    "-modfile",
    "-installsuffix",
    "-overlay",
    "-pkgdir",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-pgo",
    "-exec",
    "-covermode",
    "-coverpkg",
];

/// `gem install` options that take a value.
const GEM_VALUE_OPTIONS: &[&str] = &[
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-p",
    "--http-proxy",
    "--platform",
    "-g",
    "--file",
    "--build-root",
    "--document",
    "-P",
    "--trust-policy",
    "--target-rbconfig",
];

/// `gem install` options that take none.
const GEM_SWITCHES: &[&str] = &[
    "-N",
    "--no-document",
    "--no-ri",
    "--no-rdoc",
    "-f",
    "--force",
    "--no-force",
    "-w",
    "--wrappers",
    "--no-wrappers",
    "-l",
    "--local",
    "-r",
    "--remote",
    "-b",
    "--both",
    "--user-install",
    "--no-user-install",
    "-E",
    "--env-shebang",
    "--conservative",
    "--minimal-deps",
    "--pre",
    "--prerelease",
    "--ignore-dependencies",
    "--development",
    "--development-all",
    "--default",
    "--explain",
    "--lock",
    "--suggestions",
    "--no-suggestions",
    "-q",
    "--quiet",
    "-V",
    "--verbose",
    "--clear-sources",
    "--update-sources",
    "--post-install-message",
    "--no-post-install-message",
    "--vendor",
];

/// `gem install`/`gem i` and `go install`/`get`/`run`, which the package-manager table does
/// not cover.
fn gem_or_go(command: &Command) -> Option<(Ecosystem, Vec<&ShellWord>)> {
    let program = command.program()?;
    let arguments = command.program_arguments();
    match program {
        "gem" => {
            let (subcommand, rest) = arguments.split_first()?;
            if !matches!(subcommand.text.as_str(), "install" | "i") {
                return None;
            }
            Some((Ecosystem::Gem, gem_unpinned(rest)))
        }
        "go" => {
            let position = arguments
                .iter()
                .position(|word| !word.text.starts_with('-'))?;
            let subcommand = arguments[position].text.as_str();
            if !matches!(subcommand, "install" | "get" | "run") {
                return None;
            }
            let run = subcommand == "run";
            let mut packages = Vec::new();
            let mut index = position + 1;
            while let Some(word) = arguments.get(index) {
                let text = word.text.as_str();
                if text == "--" {
                    break;
                }
                if text.starts_with('-') {
                    index += if GO_VALUE_OPTIONS.contains(&text) {
                        2
                    } else {
                        1
                    };
                    continue;
                }
                packages.push(word);
                // `go run PACKAGE ARGS...`: the rest are the program's arguments.
                if run {
                    break;
                }
                index += 1;
            }
            let unpinned = packages
                .into_iter()
                .filter(|word| !go_pinned(&word.text, run))
                .collect();
            Some((Ecosystem::Go, unpinned))
        }
        _ => None,
    }
}

/// The gems named without a version. `-v`/`--version` pins the whole command; after `--`
/// come build options for the gem, not gems.
fn gem_unpinned(arguments: &[ShellWord]) -> Vec<&ShellWord> {
    let mut gems = Vec::new();
    let mut index = 0;
    while let Some(word) = arguments.get(index) {
        let text = word.text.as_str();
        if text == "--" {
            break;
        }
        if text == "-v"
            || text == "--version"
            || text.starts_with("--version=")
            || (text.starts_with("-v") && !text.starts_with("--"))
        {
            return Vec::new();
        }
        if text.starts_with('-') {
            let option = text.split('=').next().unwrap_or(text);
            // An option we do not know is taken to have a value, as hadolint does.
            let has_value = !text.contains('=')
                && (GEM_VALUE_OPTIONS.contains(&option) || !GEM_SWITCHES.contains(&option));
            index += if has_value { 2 } else { 1 };
            continue;
        }
        gems.push(word);
        index += 1;
    }
    gems.into_iter()
        .filter(|word| !pinned(Ecosystem::Gem, &word.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::parse;

    /// The unpinned packages of the first command that installs, as `(code, words)`.
    fn unpinned_in(script: &str) -> Option<(&'static str, Vec<String>)> {
        let syntax = parse(script);
        syntax.commands.iter().find_map(|command| {
            let (ecosystem, words) = unpinned(command)?;
            Some((
                ecosystem.code(),
                words.iter().map(|word| word.text.to_string()).collect(),
            ))
        })
    }

    fn flags(script: &str) -> Vec<String> {
        unpinned_in(script)
            .map(|(_, words)| words)
            .unwrap_or_default()
    }

    #[test]
    fn apt() {
        assert_eq!(
            unpinned_in("apt-get install -y python"),
            Some(("DL3008", vec!["python".into()]))
        );
        for pinned in [
            "apt-get -yqq --no-install-recommends install nodejs=0.10",
            "apt-get install -y python-demjson=2.2.2* wget=1.16.1* git=1:2.5.0*",
            "apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb",
            "apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1",
            "apt-get install -y -o Dpkg::Options::=--force-confold python=1",
            "apt-get install -y python/bullseye",
            "apt-get -y upgrade",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
        assert_eq!(
            flags("sudo apt install -y curl $PKGS"),
            vec!["curl", "$PKGS"]
        );
    }

    #[test]
    fn pip() {
        for unpinned in [
            "pip2 install MySQL_python",
            "pip3 install MySQL_python",
            "pip install MySQL_python",
            "python -m pip install example",
            "python -m pip install --index-url url example",
            "pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext",
            "pip install --upgrade pip",
            "pip3.11 install foo",
            "pip install --no-index --find-links=/wheels foo",
        ] {
            assert_eq!(flags(unpinned).len(), 1, "{unpinned}");
        }
        for pinned in [
            "pip3 install MySQL_python==1.2.2",
            "pip3 install mypkg.whl",
            "pip3 install mypkg.tar.gz",
            "pip install -r requirements.txt",
            "pip install --requirement requirements.txt",
            "pip install .",
            "pip install MySQL_python~=1.2.2",
            "pip install MySQL_python===1.2.2",
            "pip install --ignore-installed MySQL_python==1.2.2",
            "pip3 install --build /opt/yamllint yamllint==1.20.0",
            "pip3 install --prefix /opt/yamllint yamllint==1.20.0",
            "pip3 install --root /opt/yamllint yamllint==1.20.0",
            "pip3 install --target /opt/yamllint yamllint==1.20.0",
            "pip3 install --trusted-host host example==1.2.2",
            "pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext",
            "pip install 'alabaster>=0.7'",
            "pip install 'alabaster<0.7'",
            "pip install 'alabaster!=0.7'",
            "pip install MySQL_python==1.2.2 --user",
            "pip install --index-url https://eg.com/foo --extra-index-url https://ex-eg.io/foo foobar==1.0.0",
            "pip install pykafka --constraint http://foo.bar.baz",
            "pip install pykafka -c http://foo.bar.baz",
            "pip install -e ./src",
            "pip download foo",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
    }

    #[test]
    fn npm() {
        for unpinned in [
            "npm install express",
            "npm install @myorg/privatepackage",
            "npm install express sax@0.1.1",
            "npm install --global express",
            "npm install git+ssh://git@github.com:npm/npm.git",
            "npm install git+http://isaacs@github.com/npm/npm",
            "npm install git://github.com/npm/npm.git",
            "npm install --registry https://example.com express",
            "npm install --registry=https://example.com express",
            "npm install express@latest",
            "npm i -g typescript",
        ] {
            assert_eq!(flags(unpinned).len(), 1, "{unpinned}");
        }
        for pinned in [
            "npm install",
            "npm install --progress=false",
            "npm ci",
            "npm install express@4.1.1",
            "npm install @myorg/privatepackage@\">=0.1.0\"",
            "npm install express@\"4.1.1\" sax@0.1.1",
            "npm install -g express@\"4.1.1\"",
            "npm install package-v1.2.3.tgz",
            "npm install ./folder",
            "npm install ~/folder",
            "npm install git+ssh://git@github.com:npm/npm.git#v1.0.27",
            "npm install git+http://isaacs@github.com/npm/npm#semver:^5.0",
            "npm run --crazy install",
            "npm install --loglevel verbose sax@0.1.1",
            "npm install @myorg/privatepackage@\">=0.1.0 <0.2.0\"",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
    }

    #[test]
    fn apk_gem_and_rpm_managers() {
        assert_eq!(flags("apk add flex"), vec!["flex"]);
        assert_eq!(
            flags("apk add --no-cache flex=2.6.4-r1 libffi python2=2.7.13-r1"),
            vec!["libffi"]
        );
        for pinned in [
            "apk add --no-cache git~2.52.0",
            "apk add --virtual build-dependencies python-dev=1.1.1 build-base=2.2.2",
            "apk add --no-cache --repository https://nl.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0",
            "apk add --no-cache -X https://nl.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0",
            "apk add mypackage-1.1.1.apk",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
        assert_eq!(flags("gem i bundler"), vec!["bundler"]);
        assert_eq!(flags("gem i bunlder:1 nokogiri"), vec!["nokogiri"]);
        assert_eq!(flags("gem install --no-document rails"), vec!["rails"]);
        for pinned in [
            "gem install bundler:1",
            "gem install bundler -v '2.0.1'",
            "gem install bundler --version '2.0.1'",
            "gem install bundler --version='2.0.1'",
            "gem install bundler:2.0.1 -- --use-system-libraries=true",
            "gem install bundler:2.0.1 -- --use-system-libraries true",
            "gem install bundler:2.0.1 --use-system-libraries true",
            "gem install ./local.gem",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
        assert_eq!(
            unpinned_in("yum install -y tomcat && yum clean all"),
            Some(("DL3033", vec!["tomcat".into()]))
        );
        assert_eq!(flags("yum module install -y tomcat"), vec!["tomcat"]);
        assert_eq!(flags("yum install -y rpm-sign"), vec!["rpm-sign"]);
        assert_eq!(
            flags("microdnf install percona-pgvector_${PG_MAJOR}"),
            vec!["percona-pgvector_${PG_MAJOR}"]
        );
        assert_eq!(
            unpinned_in("microdnf install -y tomcat"),
            Some(("DL3041", vec!["tomcat".into()]))
        );
        for pinned in [
            "yum install -y tomcat-9.2",
            "yum install -y openssl-1:1.1.1k",
            "yum install -y rpm-sign-4.16.1.3",
            "yum install -y gcc-c++-1.1.1",
            "yum module install -y tomcat:9",
            "yum install -y \"git-core-${GIT_VER}\"",
            "yum install -y tomcat-$VERSION",
            "microdnf install -y MariaDB-server-debuginfo-${MARIADB_VERSION}",
            "yum install -y --enablerepo epel tomcat-1",
            "yum install -y /tmp/local.rpm",
            "dnf install -y tomcat-9.0.1",
            "dnf module install -y tomcat:9",
            "notdnf install tomcat",
            "dnf group install -y Development",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
        assert_eq!(flags("zypper install -y tomcat"), vec!["tomcat"]);
        assert_eq!(flags("zypper -n in tomcat"), vec!["tomcat"]);
        for pinned in [
            "zypper install -y tomcat=9.0.39",
            "zypper install -y tomcat\\>=9.0",
            "zypper install -y tomcat\\<9.0",
            "zypper install -y tomcat-9.0.39-1.rpm",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
    }

    #[test]
    fn go() {
        for unpinned in [
            "go install example.com/pkg",
            "go install example.com/pkg@latest",
            "go get example.com/pkg",
            "go run example.com/pkg",
            "go install -v example.com/a@v1 example.com/b",
            "CGO_ENABLED=0 go install example.com/pkg",
        ] {
            assert_eq!(flags(unpinned).len(), 1, "{unpinned}");
        }
        for pinned in [
            "go install example.com/pkg@v1.2.3",
            "go run ./cmd/x",
            "go run main.go arg",
            "go install ./...",
            "go install .",
            "go build -o x .",
            "go get -d -v ./...",
            "go install -ldflags \"-s\" example.com/pkg@v1",
            "go run example.com/pkg@v1 foo bar",
            "go mod download",
            "go install github.com/a/b/cmd/x@$VERSION",
        ] {
            assert!(flags(pinned).is_empty(), "{pinned}");
        }
    }
}
