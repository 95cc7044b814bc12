//! The image catalog: which images exist, what they are, and which distribution (release,
//! variant) a tag of each runs on: `python:3.12-alpine3.20` → Alpine 3.20,
//! `node:20-bookworm-slim` → Debian 12 slim, `golang` → Debian (the image's default).
//!
//! Unknown images stay unknown: [`resolve`] returns `None` rather than a guess, except for an
//! image whose name is a distribution's (`myregistry/ubuntu`), which is reported as inferred.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::distros::{self, Distro, DistroId, Libc, Release, Shell, Variant, is_version};
use super::images::ImageReference;
use super::package_managers::ManagerId;
use super::runtimes::{self, Runtime, RuntimeId, RuntimeRelease};

/// How sure the catalog is about an image's distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Certainty {
    /// The name or tag says it (`alpine`, `python:3.12-alpine`, `gcr.io/distroless/...`).
    Certain,
    /// A default or a convention says it (an untagged `python` is Debian; an `ARG` default
    /// that a build can override; an image named like a distribution).
    Inferred,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageKind {
    /// A distribution's own image.
    OperatingSystem,
    /// A language runtime or toolchain.
    Language,
    /// A server or application.
    Application,
    /// A tool or build helper.
    Tool,
    /// Only files (binaries, scripts) on an empty filesystem: nothing runs in it.
    FilesOnly,
}

/// What a tag word (or an image's default) says about the distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    pub distro: Option<DistroId>,
    pub release: Option<&'static str>,
    pub variant: Option<Variant>,
}

const fn on(distro: DistroId) -> Hint {
    Hint {
        distro: Some(distro),
        release: None,
        variant: None,
    }
}

const fn on_release(distro: DistroId, release: &'static str) -> Hint {
    Hint {
        distro: Some(distro),
        release: Some(release),
        variant: None,
    }
}

const fn on_variant(distro: DistroId, release: Option<&'static str>, variant: Variant) -> Hint {
    Hint {
        distro: Some(distro),
        release,
        variant: Some(variant),
    }
}

const fn variant_only(variant: Variant) -> Hint {
    Hint {
        distro: None,
        release: None,
        variant: Some(variant),
    }
}

/// How an image's tags map to a distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseRule {
    /// A distribution's own image: the tag (and the name after a wildcard) names a release.
    Distro(DistroId),
    /// Tag words may name a distribution (`-alpine3.20`, `-bookworm`, `-windowsservercore-
    /// ltsc2022`); otherwise the image's default, if the catalog knows it.
    Tagged(Option<Hint>),
    /// Always the same base, whatever the tag.
    Fixed(Hint),
    /// `gcr.io/distroless/<name>-debianN[:debug]`.
    GoogleDistroless,
    /// `cgr.dev/chainguard/<name>`: `-dev` tags have apk and a shell, others neither.
    Chainguard,
    /// `openjdk`: Debian up to 16, Oracle Linux slim from 17.
    OpenJdk,
    /// `mysql`: Oracle Linux slim from 5.7, Debian before.
    Mysql,
}

#[derive(Debug)]
pub struct ImageEntry {
    /// Names as Docker prints them (`python`, `bitnami/minideb`, `gcr.io/distroless/*`); a
    /// trailing `/*` matches every image under that path.
    pub names: &'static [&'static str],
    pub title: &'static str,
    pub description: &'static str,
    pub kind: ImageKind,
    pub base: BaseRule,
    /// Image-specific tag words (`wordpress:cli` is Alpine).
    pub words: &'static [(&'static str, Hint)],
    /// The C library when it is not the distribution's (static images).
    pub libc: Option<Libc>,
    pub runtime: Option<RuntimeId>,
    /// The environment variables the image's config sets besides `PATH`, over all its tags
    /// (old and Windows tags included), when the catalog knows them for certain; `None` when
    /// it does not. BuildKit's UndefinedVar treats these as defined.
    pub env: Option<&'static [&'static str]>,
    /// The image's page; Docker Hub pages are derived from the name when empty.
    pub page: &'static str,
    pub homepage: &'static str,
}

impl ImageEntry {
    const DEFAULT: ImageEntry = ImageEntry {
        names: &[],
        title: "",
        description: "",
        kind: ImageKind::Application,
        base: BaseRule::Tagged(None),
        words: &[],
        libc: None,
        runtime: None,
        env: None,
        page: "",
        homepage: "",
    };

    /// The image's page: the catalog's, else Docker Hub's for a Docker Hub name.
    pub fn page(&self) -> Option<String> {
        if !self.page.is_empty() {
            return Some(self.page.to_string());
        }
        let name = self.names.first()?;
        if name.contains('*') {
            return None;
        }
        hub_page(name)
    }
}

/// The Docker Hub page of a familiar name (`alpine`, `bitnami/minideb`); `None` for other
/// registries.
pub fn hub_page(familiar_name: &str) -> Option<String> {
    let first = familiar_name.split('/').next().unwrap_or("");
    if familiar_name.contains('/') && (first.contains(['.', ':']) || first == "localhost") {
        return None;
    }
    Some(if familiar_name.contains('/') {
        format!("https://hub.docker.com/r/{familiar_name}")
    } else {
        format!("https://hub.docker.com/_/{familiar_name}")
    })
}

/// What the catalog knows about one image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// The catalog entry; `None` when only the name suggested the distribution.
    pub entry: Option<&'static ImageEntry>,
    pub distro: Option<&'static Distro>,
    pub release: Option<&'static Release>,
    /// A version the tag names that the catalog does not list (newer than the catalog, or
    /// a typo).
    pub unlisted_version: Option<String>,
    pub variant: Variant,
    pub certainty: Certainty,
    /// The language runtime line the tag names (`python:3.8` → Python 3.8).
    pub runtime: Option<(&'static Runtime, &'static RuntimeRelease)>,
    /// The tag moves (`latest`, no tag, a bare major version): the release is what it
    /// points to today.
    pub moving: bool,
}

impl PartialEq for ImageEntry {
    fn eq(&self, other: &ImageEntry) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ImageEntry {}

impl PartialEq for Distro {
    fn eq(&self, other: &Distro) -> bool {
        self.id == other.id
    }
}

impl Eq for Distro {}

impl PartialEq for Release {
    fn eq(&self, other: &Release) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Release {}

impl PartialEq for Runtime {
    fn eq(&self, other: &Runtime) -> bool {
        self.id == other.id
    }
}

impl Eq for Runtime {}

impl PartialEq for RuntimeRelease {
    fn eq(&self, other: &RuntimeRelease) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for RuntimeRelease {}

impl ImageInfo {
    /// The package managers the image has (the first is the one to use).
    pub fn package_managers(&self) -> &'static [ManagerId] {
        let Some(distro) = self.distro else {
            return &[];
        };
        match self.variant {
            Variant::Distroless | Variant::Micro | Variant::Debug => &[],
            Variant::Minimal => self
                .release
                .and_then(|release| release.minimal_managers)
                .unwrap_or(distro.minimal_managers),
            Variant::Standard | Variant::Slim | Variant::Any => self
                .release
                .and_then(|release| release.package_managers)
                .unwrap_or(distro.package_managers),
        }
    }

    /// True when `manager` may exist here: it is one of the image's managers, an alias the
    /// distribution may have, or, when the release is unknown, a manager of any release.
    pub fn may_have(&self, manager: ManagerId) -> bool {
        if self.package_managers().contains(&manager) {
            return true;
        }
        let Some(distro) = self.distro else {
            return true;
        };
        if matches!(
            self.variant,
            Variant::Distroless | Variant::Micro | Variant::Debug
        ) {
            return false;
        }
        if distro.possible_managers.contains(&manager) {
            return true;
        }
        if self.variant == Variant::Any {
            let minimal = self
                .release
                .and_then(|release| release.minimal_managers)
                .unwrap_or(distro.minimal_managers);
            if minimal.contains(&manager) {
                return true;
            }
        }
        if self.release.is_some() {
            return false;
        }
        distro.releases.iter().any(|release| {
            let lists = match self.variant {
                Variant::Minimal => [release.minimal_managers, None],
                Variant::Any => [release.package_managers, release.minimal_managers],
                _ => [release.package_managers, None],
            };
            lists.iter().flatten().any(|list| list.contains(&manager))
        })
    }

    pub fn shell(&self) -> Shell {
        let Some(distro) = self.distro else {
            return Shell::None;
        };
        match self.variant {
            Variant::Distroless => Shell::None,
            Variant::Debug => Shell::BusyboxAsh,
            _ => distro.shell,
        }
    }

    pub fn libc(&self) -> Option<Libc> {
        if let Some(libc) = self.entry.and_then(|entry| entry.libc) {
            return Some(libc);
        }
        self.distro.map(|distro| distro.libc)
    }

    /// `alpine 3.20`, `debian 12`, `ubi 9 minimal`, `scratch`.
    pub fn short_label(&self) -> Option<String> {
        let distro = self.distro?;
        let mut label = distro.key.to_string();
        if let Some(release) = self.release {
            label.push(' ');
            label.push_str(release.version);
        } else if let Some(version) = &self.unlisted_version {
            label.push(' ');
            label.push_str(version);
        }
        if let Some(variant) = self.variant_name() {
            label.push(' ');
            label.push_str(variant);
        }
        Some(label)
    }

    /// The variant's name, unless the distribution says it already (distroless).
    fn variant_name(&self) -> Option<&'static str> {
        let name = self.variant.name()?;
        let redundant = self.distro.is_some_and(|distro| distro.key == name);
        (!redundant).then_some(name)
    }

    /// `Alpine Linux 3.20`, `Debian 12 (bookworm), slim`.
    pub fn distro_label(&self) -> Option<String> {
        let distro = self.distro?;
        let mut label = distro.name.to_string();
        if let Some(release) = self.release {
            label.push(' ');
            label.push_str(&release.label());
        } else if let Some(version) = &self.unlisted_version {
            label.push(' ');
            label.push_str(version);
        }
        if let Some(variant) = self.variant_name() {
            label.push_str(", ");
            label.push_str(variant);
        }
        Some(label)
    }
}

/// Tag words that say something whatever the image: the variant words of Ubuntu's chiseled
/// and Microsoft's distroless images.
const GLOBAL_VARIANT_WORDS: &[(&str, Variant)] = &[
    ("distroless", Variant::Distroless),
    ("chiseled", Variant::Distroless),
];

/// Tag words that name a JDK vendor's image, and so its distribution, when no distribution
/// is named (`maven:3-amazoncorretto-21`).
const WEAK_WORDS: &[(&str, Hint)] = &[
    ("amazoncorretto", on(DistroId::AmazonLinux)),
    ("corretto", on(DistroId::AmazonLinux)),
    ("temurin", on(DistroId::Ubuntu)),
    ("sapmachine", on(DistroId::Ubuntu)),
    ("ibmjava", on(DistroId::Ubuntu)),
    ("semeru", on(DistroId::Ubuntu)),
];

/// Registries that mirror Docker Hub's official images under `library/` or
/// `docker/library/`.
const HUB_MIRRORS: &[(&str, &str)] = &[
    ("public.ecr.aws", "docker/library/"),
    ("mirror.gcr.io", "library/"),
    ("registry.hub.docker.com", "library/"),
    ("registry-1.docker.io", "library/"),
];

use DistroId as D;
use ImageKind as K;

macro_rules! image {
    ($names:expr, $title:expr, $kind:expr, $base:expr, $description:expr $(, $field:ident : $value:expr)* $(,)?) => {
        ImageEntry {
            names: $names,
            title: $title,
            kind: $kind,
            base: $base,
            description: $description,
            $($field: $value,)*
            ..ImageEntry::DEFAULT
        }
    };
}

const DEBIAN: Option<Hint> = Some(on(D::Debian));
const UBUNTU: Option<Hint> = Some(on(D::Ubuntu));
const ALPINE: Option<Hint> = Some(on(D::Alpine));
const FILES_ONLY: BaseRule = BaseRule::Fixed(on(D::Scratch));

#[rustfmt::skip]
pub static IMAGES: &[ImageEntry] = &[
    // Distributions.
    image!(&["scratch"], "scratch", K::OperatingSystem, BaseRule::Distro(D::Scratch),
        "Docker's reserved name for an empty image.",
        env: Some(&[])),
    image!(&["busybox"], "BusyBox", K::OperatingSystem, BaseRule::Distro(D::Busybox),
        "BusyBox's shell and utilities in about 1 MB. `-glibc`, `-musl` and `-uclibc` tags pick the C library.",
        env: Some(&[])),
    image!(&["alpine", "alpinelinux/docker-alpine"],
        "Alpine Linux", K::OperatingSystem, BaseRule::Distro(D::Alpine),
        "The official Alpine Linux image.",
        env: Some(&[])),
    image!(&["debian", "debian/eol"], "Debian", K::OperatingSystem, BaseRule::Distro(D::Debian),
        "The official Debian image; `-slim` tags drop documentation and locales.",
        env: Some(&[])),
    image!(&["bitnami/minideb"], "minideb", K::OperatingSystem, BaseRule::Distro(D::Debian),
        "Bitnami's minimal Debian with the `install_packages` helper (apt-get install, retried, lists removed).",
        page: "https://hub.docker.com/r/bitnami/minideb",
        homepage: "https://github.com/bitnami/minideb"),
    image!(&["ubuntu", "ubuntu-debootstrap"],
        "Ubuntu", K::OperatingSystem, BaseRule::Distro(D::Ubuntu),
        "The official Ubuntu image (a minimised Ubuntu: `unminimize` restores man pages).",
        env: Some(&[])),
    image!(&["centos"], "CentOS Linux", K::OperatingSystem, BaseRule::Distro(D::CentOs),
        "The official CentOS Linux image, deprecated: no release is supported any more."),
    image!(&["quay.io/centos/centos"],
        "CentOS Stream", K::OperatingSystem, BaseRule::Distro(D::CentOsStream),
        "CentOS Stream images from the CentOS project (`stream9`, `stream10`).",
        words: &[("centos7", on_release(D::CentOs, "7")), ("centos8", on_release(D::CentOs, "8"))],
        page: "https://quay.io/repository/centos/centos"),
    image!(&["rockylinux", "rockylinux/rockylinux", "quay.io/rockylinux/rockylinux"],
        "Rocky Linux", K::OperatingSystem, BaseRule::Distro(D::RockyLinux),
        "Rocky Linux; `-minimal` tags have microdnf instead of dnf."),
    image!(&["almalinux", "almalinux/*", "quay.io/almalinuxorg/*"],
        "AlmaLinux", K::OperatingSystem, BaseRule::Distro(D::AlmaLinux),
        "AlmaLinux; `-minimal` images have microdnf, `-micro` images no package manager."),
    image!(&["fedora", "registry.fedoraproject.org/*", "quay.io/fedora/*"],
        "Fedora", K::OperatingSystem, BaseRule::Distro(D::Fedora),
        "Fedora; `fedora-minimal` has microdnf (dnf5 on newer releases)."),
    image!(&["oraclelinux", "container-registry.oracle.com/os/oraclelinux"],
        "Oracle Linux", K::OperatingSystem, BaseRule::Distro(D::OracleLinux),
        "Oracle Linux; `-slim` tags have microdnf only (7-slim: yum)."),
    image!(&["amazonlinux", "public.ecr.aws/amazonlinux/amazonlinux"],
        "Amazon Linux", K::OperatingSystem, BaseRule::Distro(D::AmazonLinux),
        "Amazon Linux 2023 (`2023`, `latest`) and Amazon Linux 2 (`2`)."),
    image!(&["redhat/*", "registry.access.redhat.com/*", "registry.redhat.io/*"],
        "Red Hat Universal Base Image", K::OperatingSystem, BaseRule::Distro(D::RedHatUbi),
        "Red Hat images: `ubiN` (dnf), `ubiN-minimal` (microdnf), `ubiN-micro` (no package manager) and images built on them.",
        words: &[("openjdk", variant_only(Variant::Minimal))],
        page: "https://catalog.redhat.com/software/base-images"),
    image!(&["registry.suse.com/bci/*", "registry.suse.com/suse/*"],
        "SUSE BCI", K::OperatingSystem, BaseRule::Distro(D::SuseEnterprise),
        "SUSE Linux Enterprise Base Container Images.",
        page: "https://registry.suse.com"),
    image!(&["opensuse/leap", "registry.opensuse.org/opensuse/leap", "opensuse"],
        "openSUSE Leap", K::OperatingSystem, BaseRule::Distro(D::OpenSuseLeap),
        "openSUSE Leap (the old `opensuse` image also had `tumbleweed` tags).",
        words: &[("tumbleweed", on(D::OpenSuseTumbleweed))]),
    image!(&["opensuse/tumbleweed", "registry.opensuse.org/opensuse/tumbleweed"],
        "openSUSE Tumbleweed", K::OperatingSystem, BaseRule::Distro(D::OpenSuseTumbleweed),
        "openSUSE Tumbleweed, the rolling release."),
    image!(&["archlinux", "archlinux/archlinux", "ghcr.io/archlinux/archlinux", "archlinux/base"],
        "Arch Linux", K::OperatingSystem, BaseRule::Distro(D::ArchLinux),
        "The official Arch Linux image (`base`, `base-devel`, `multilib-devel`)."),
    image!(&["photon"], "Photon OS", K::OperatingSystem, BaseRule::Distro(D::Photon),
        "VMware's Photon OS."),
    image!(&["cgr.dev/chainguard/wolfi-base", "chainguard/wolfi-base"],
        "Wolfi base", K::OperatingSystem, BaseRule::Distro(D::Wolfi),
        "Chainguard's Wolfi base: BusyBox and apk on glibc.",
        page: "https://images.chainguard.dev/directory/image/wolfi-base/overview"),
    image!(&["cgr.dev/chainguard/static", "chainguard/static"],
        "Chainguard static", K::OperatingSystem, BaseRule::Fixed(on_variant(D::Wolfi, None, Variant::Distroless)),
        "Chainguard's image for static binaries: CA certificates, tzdata and users, no libc, no shell.",
        libc: Some(Libc::None),
        page: "https://images.chainguard.dev/directory/image/static/overview"),
    image!(&["cgr.dev/chainguard/*", "chainguard/*"],
        "Chainguard image", K::Application, BaseRule::Chainguard,
        "A Chainguard image on Wolfi: `latest` has no shell and no apk; `latest-dev` adds both.",
        page: "https://images.chainguard.dev"),
    image!(&["gcr.io/distroless/*", "nvcr.io/nvidia/distroless/*"],
        "Distroless", K::OperatingSystem, BaseRule::GoogleDistroless,
        "Google's distroless images: the runtime and its dependencies only; `:debug` adds a BusyBox shell.",
        page: "https://github.com/GoogleContainerTools/distroless"),
    image!(&["mcr.microsoft.com/cbl-mariner/*", "mcr.microsoft.com/azurelinux/*"],
        "Azure Linux", K::OperatingSystem, BaseRule::Distro(D::AzureLinux),
        "Microsoft's Azure Linux (formerly CBL-Mariner) base and distroless images."),
    image!(&["mcr.microsoft.com/windows/servercore", "microsoft/windowsservercore",
        "mcr.microsoft.com/windows/servercore/*", "mcr.microsoft.com/windows/servercore-insider"],
        "Windows Server Core", K::OperatingSystem, BaseRule::Distro(D::WindowsServerCore),
        "Windows Server Core. There is no `latest` tag: name a release (`ltsc2022`) that matches the host."),
    image!(&["mcr.microsoft.com/windows/nanoserver", "microsoft/nanoserver"],
        "Windows Nano Server", K::OperatingSystem, BaseRule::Distro(D::NanoServer),
        "Windows Nano Server. There is no `latest` tag: name a release (`ltsc2022`) that matches the host."),
    image!(&["mcr.microsoft.com/windows/server", "mcr.microsoft.com/windows"],
        "Windows", K::OperatingSystem, BaseRule::Distro(D::Windows),
        "The full Windows image."),
    // Languages.
    image!(&["python"], "Python", K::Language, BaseRule::Tagged(DEBIAN),
        "The Python interpreter with pip, built from source.",
        runtime: Some(RuntimeId::Python),
        env: Some(&["LANG", "GPG_KEY", "PYTHON_VERSION", "PYTHON_SHA256", "PYTHON_RELEASE",
            "PYTHON_PIP_VERSION", "PYTHON_SETUPTOOLS_VERSION", "PYTHON_GET_PIP_URL",
            "PYTHON_GET_PIP_SHA256"]),
        homepage: "https://www.python.org"),
    image!(&["pypy"], "PyPy", K::Language, BaseRule::Tagged(DEBIAN),
        "PyPy, the fast Python implementation, with pip."),
    image!(&["node"], "Node.js", K::Language, BaseRule::Tagged(DEBIAN),
        "Node.js with npm and yarn; runs as root, with a `node` user (uid 1000).",
        runtime: Some(RuntimeId::Node),
        env: Some(&["NODE_VERSION", "YARN_VERSION", "NPM_CONFIG_LOGLEVEL"]),
        homepage: "https://nodejs.org"),
    image!(&["golang"], "Go", K::Language, BaseRule::Tagged(DEBIAN),
        "The Go toolchain (GOPATH /go).",
        runtime: Some(RuntimeId::Go),
        env: Some(&["GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN", "GOLANG_DOWNLOAD_URL",
            "GOLANG_DOWNLOAD_SHA256", "GOLANG_SRC_URL", "GOLANG_SRC_SHA256", "GIT_VERSION",
            "GIT_TAG", "GIT_DOWNLOAD_URL", "GIT_DOWNLOAD_SHA256"]),
        homepage: "https://go.dev"),
    image!(&["ruby"], "Ruby", K::Language, BaseRule::Tagged(DEBIAN),
        "Ruby with RubyGems and Bundler.",
        runtime: Some(RuntimeId::Ruby),
        homepage: "https://www.ruby-lang.org"),
    image!(&["php"], "PHP", K::Language, BaseRule::Tagged(DEBIAN),
        "PHP (cli, fpm, apache and zts variants) with the `docker-php-ext-install` helpers.",
        runtime: Some(RuntimeId::Php),
        homepage: "https://www.php.net"),
    image!(&["perl"], "Perl", K::Language, BaseRule::Tagged(DEBIAN),
        "Perl 5 with cpanm."),
    image!(&["rust"], "Rust", K::Language, BaseRule::Tagged(DEBIAN),
        "The Rust toolchain via rustup (CARGO_HOME /usr/local/cargo).",
        env: Some(&["RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"])),
    image!(&["gcc"], "GCC", K::Language, BaseRule::Tagged(DEBIAN),
        "The GNU Compiler Collection."),
    image!(&["haskell"], "Haskell", K::Language, BaseRule::Tagged(DEBIAN),
        "GHC, cabal and stack."),
    image!(&["erlang"], "Erlang/OTP", K::Language, BaseRule::Tagged(DEBIAN),
        "Erlang/OTP with rebar3."),
    image!(&["elixir"], "Elixir", K::Language, BaseRule::Tagged(DEBIAN),
        "Elixir on Erlang/OTP."),
    image!(&["julia"], "Julia", K::Language, BaseRule::Tagged(DEBIAN),
        "The Julia language."),
    image!(&["r-base"], "R", K::Language, BaseRule::Tagged(DEBIAN),
        "R from Debian testing."),
    image!(&["rocker/*"], "Rocker", K::Language, BaseRule::Tagged(UBUNTU),
        "The Rocker project's R images, on Ubuntu LTS.",
        homepage: "https://rocker-project.org"),
    image!(&["buildpack-deps"], "buildpack-deps", K::Tool, BaseRule::Tagged(DEBIAN),
        "Debian or Ubuntu with the common build dependencies (`curl`, `scm` and full tags)."),
    image!(&["swift"], "Swift", K::Language, BaseRule::Tagged(UBUNTU),
        "The Swift toolchain."),
    image!(&["dart"], "Dart", K::Language, BaseRule::Tagged(DEBIAN),
        "The Dart SDK."),
    image!(&["clojure"], "Clojure", K::Language, BaseRule::Tagged(DEBIAN),
        "Clojure with Leiningen or the Clojure CLI."),
    image!(&["groovy"], "Groovy", K::Language, BaseRule::Tagged(UBUNTU),
        "Apache Groovy on Eclipse Temurin."),
    image!(&["openjdk"], "OpenJDK", K::Language, BaseRule::OpenJdk,
        "OpenJDK builds, deprecated since 2022: use eclipse-temurin, amazoncorretto or another vendor's image.",
        words: &[
            ("oraclelinux7", on_variant(D::OracleLinux, Some("7"), Variant::Minimal)),
            ("oraclelinux8", on_variant(D::OracleLinux, Some("8"), Variant::Minimal)),
            ("oraclelinux9", on_variant(D::OracleLinux, Some("9"), Variant::Minimal)),
        ]),
    image!(&["java"], "Java", K::Language, BaseRule::Tagged(DEBIAN),
        "The old Java image, deprecated long ago in favour of openjdk."),
    image!(&["eclipse-temurin"], "Eclipse Temurin", K::Language, BaseRule::Tagged(UBUNTU),
        "Adoptium's OpenJDK builds (`-jdk`, `-jre`), on Ubuntu by default.",
        homepage: "https://adoptium.net"),
    image!(&["adoptopenjdk", "adoptopenjdk/*"],
        "AdoptOpenJDK", K::Language, BaseRule::Tagged(UBUNTU),
        "AdoptOpenJDK builds, deprecated: use eclipse-temurin."),
    image!(&["amazoncorretto"],
        "Amazon Corretto", K::Language, BaseRule::Tagged(Some(on(D::AmazonLinux))),
        "Amazon's OpenJDK distribution, on Amazon Linux (`-al2023`, `-al2`) or Alpine.",
        homepage: "https://aws.amazon.com/corretto/"),
    image!(&["ibm-semeru-runtimes", "icr.io/appcafe/ibm-semeru-runtimes"],
        "IBM Semeru Runtimes", K::Language, BaseRule::Tagged(UBUNTU),
        "IBM's OpenJDK builds with the OpenJ9 VM."),
    image!(&["ibmjava"], "IBM Java", K::Language, BaseRule::Tagged(UBUNTU),
        "IBM SDK, Java Technology Edition."),
    image!(&["sapmachine"], "SapMachine", K::Language, BaseRule::Tagged(UBUNTU),
        "SAP's OpenJDK distribution."),
    image!(&["maven"], "Maven", K::Tool, BaseRule::Tagged(UBUNTU),
        "Apache Maven on a JDK image named by the tag."),
    image!(&["gradle"], "Gradle", K::Tool, BaseRule::Tagged(UBUNTU),
        "Gradle on a JDK image named by the tag."),
    image!(&["lukemathwalker/cargo-chef"], "cargo-chef", K::Tool, BaseRule::Tagged(DEBIAN),
        "cargo-chef on the Rust image."),
    image!(&["golangci/golangci-lint"], "golangci-lint", K::Tool, BaseRule::Tagged(DEBIAN),
        "The golangci-lint Go linter, on the golang image."),
    image!(&["ghcr.io/astral-sh/uv"], "uv", K::Tool, BaseRule::Tagged(Some(on(D::Scratch))),
        "The uv Python package manager: `latest` holds only the binaries; tags such as `python3.12-bookworm` are full images."),
    image!(&["squidfunk/mkdocs-material"], "Material for MkDocs", K::Tool, BaseRule::Tagged(ALPINE),
        "MkDocs with the Material theme."),
    // Servers and applications.
    image!(&["nginx", "nginxinc/nginx-unprivileged"],
        "NGINX", K::Application, BaseRule::Tagged(DEBIAN),
        "The nginx web server; `-alpine-slim` and `-perl` variants exist.",
        homepage: "https://nginx.org"),
    image!(&["httpd"], "Apache HTTP Server", K::Application, BaseRule::Tagged(DEBIAN),
        "The Apache web server."),
    image!(&["tomcat"], "Apache Tomcat", K::Application, BaseRule::Tagged(UBUNTU),
        "Apache Tomcat on Eclipse Temurin."),
    image!(&["jetty"], "Eclipse Jetty", K::Application, BaseRule::Tagged(UBUNTU),
        "Eclipse Jetty on a JDK image."),
    image!(&["postgres"], "PostgreSQL", K::Application, BaseRule::Tagged(DEBIAN),
        "The PostgreSQL database."),
    image!(&["redis"], "Redis", K::Application, BaseRule::Tagged(DEBIAN),
        "The Redis key-value store."),
    image!(&["mysql"], "MySQL", K::Application, BaseRule::Mysql,
        "The MySQL database, on Oracle Linux slim since 5.7 (`-debian` tags on Debian).",
        words: &[
            ("oracle", on_variant(D::OracleLinux, None, Variant::Minimal)),
            ("oraclelinux8", on_variant(D::OracleLinux, Some("8"), Variant::Minimal)),
            ("oraclelinux9", on_variant(D::OracleLinux, Some("9"), Variant::Minimal)),
        ]),
    image!(&["mariadb"], "MariaDB", K::Application, BaseRule::Tagged(UBUNTU),
        "The MariaDB database."),
    image!(&["mongo"], "MongoDB", K::Application, BaseRule::Tagged(UBUNTU),
        "The MongoDB database."),
    image!(&["haproxy"], "HAProxy", K::Application, BaseRule::Tagged(DEBIAN),
        "The HAProxy load balancer."),
    image!(&["memcached"], "Memcached", K::Application, BaseRule::Tagged(DEBIAN),
        "The memcached cache."),
    image!(&["rabbitmq"], "RabbitMQ", K::Application, BaseRule::Tagged(UBUNTU),
        "The RabbitMQ message broker (`-management` adds the UI)."),
    image!(&["elasticsearch", "kibana", "logstash"],
        "Elastic Stack", K::Application, BaseRule::Tagged(None),
        "Elastic's images: CentOS up to 7.x, Ubuntu later; the catalog cannot tell from the tag."),
    image!(&["wordpress"], "WordPress", K::Application, BaseRule::Tagged(DEBIAN),
        "WordPress on PHP; `cli` tags are Alpine.",
        words: &[("cli", on(D::Alpine))]),
    image!(&["drupal", "joomla", "nextcloud", "ghost", "matomo", "mediawiki", "redmine", "odoo",
        "couchdb", "neo4j", "sentry", "friendica", "monica", "yourls", "phpmyadmin", "adminer",
        "owncloud", "bonita", "xwiki", "znc", "irssi", "silverpeas"],
        "Official application image", K::Application, BaseRule::Tagged(DEBIAN),
        "An official application image, on Debian unless the tag says otherwise."),
    image!(&["cassandra", "solr", "zookeeper", "flink", "storm", "spark", "unit", "geonetwork",
        "tomee"],
        "Official Java application image", K::Application, BaseRule::Tagged(UBUNTU),
        "An official application image on Eclipse Temurin (Ubuntu) unless the tag says otherwise."),
    image!(&["influxdb", "telegraf", "chronograf", "kapacitor"],
        "InfluxData", K::Application, BaseRule::Tagged(DEBIAN),
        "InfluxData's TICK stack; `-alpine` tags exist."),
    image!(&["traefik"], "Traefik", K::Application, BaseRule::Tagged(ALPINE),
        "The Traefik proxy."),
    image!(&["caddy"], "Caddy", K::Application, BaseRule::Tagged(ALPINE),
        "The Caddy web server; `-builder` tags have xcaddy."),
    image!(&["registry"], "Distribution registry", K::Application, BaseRule::Tagged(ALPINE),
        "The CNCF Distribution registry."),
    image!(&["vault", "hashicorp/vault"], "Vault", K::Application, BaseRule::Tagged(ALPINE),
        "HashiCorp Vault."),
    image!(&["consul", "hashicorp/consul"], "Consul", K::Application, BaseRule::Tagged(ALPINE),
        "HashiCorp Consul."),
    image!(&["hashicorp/terraform"], "Terraform", K::Tool, BaseRule::Tagged(ALPINE),
        "HashiCorp Terraform."),
    image!(&["nats"], "NATS", K::Application, BaseRule::Tagged(Some(on(D::Scratch))),
        "The NATS server: only the binary by default; `-alpine` tags have a shell."),
    image!(&["docker"], "Docker", K::Tool, BaseRule::Tagged(ALPINE),
        "The Docker CLI and daemon (`dind`, `cli`) on Alpine."),
    image!(&["hello-world"], "hello-world", K::FilesOnly, FILES_ONLY,
        "One static binary that prints a greeting."),
    image!(&["fluentd", "fluent/fluentd"], "Fluentd", K::Application, BaseRule::Tagged(ALPINE),
        "The Fluentd log collector; `-debian` tags exist."),
    image!(&["bash"], "Bash", K::Tool, BaseRule::Tagged(ALPINE),
        "Several Bash versions on Alpine."),
    image!(&["alpine/*"], "Alpine-based tool", K::Tool, BaseRule::Tagged(ALPINE),
        "A tool image from the `alpine` organisation, on Alpine."),
    image!(&["tonistiigi/xx"], "xx", K::FilesOnly, FILES_ONLY,
        "Cross-compilation helper scripts (`xx-apk`, `xx-apt-get`, `xx-go`, ...) to copy into a build stage.",
        homepage: "https://github.com/tonistiigi/xx"),
    image!(&["docker/dockerfile", "docker/dockerfile-upstream", "docker/buildx-bin",
        "docker/compose-bin", "moby/moby-bin", "dockereng/cli-bin", "tonistiigi/binfmt"],
        "Binary image", K::FilesOnly, FILES_ONLY,
        "Binaries on an empty filesystem, to copy from or to run as a BuildKit frontend."),
    image!(&["moby/buildkit"], "BuildKit", K::Tool, BaseRule::Tagged(ALPINE),
        "The BuildKit daemon."),
    image!(&["jenkins/jenkins", "jenkins/inbound-agent", "jenkins/agent", "jenkins/ssh-agent",
        "jenkins"],
        "Jenkins", K::Application, BaseRule::Tagged(DEBIAN),
        "Jenkins; `-alpine`, `-rhel-ubi9` and Windows tags exist."),
    image!(&["gitlab/gitlab-runner", "gitlab/gitlab-ce", "gitlab/gitlab-ee"],
        "GitLab", K::Application, BaseRule::Tagged(UBUNTU),
        "GitLab and its runner."),
    image!(&["grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise"],
        "Grafana", K::Application, BaseRule::Tagged(ALPINE),
        "Grafana; `-ubuntu` tags exist."),
    image!(&["prom/*", "quay.io/prometheus/*"],
        "Prometheus", K::Application, BaseRule::Tagged(Some(on(D::Busybox))),
        "Prometheus project images, on the Prometheus BusyBox base."),
    image!(&["minio/minio", "quay.io/minio/minio", "minio/mc", "quay.io/minio/mc"],
        "MinIO", K::Application, BaseRule::Tagged(Some(on_variant(D::RedHatUbi, Some("9"), Variant::Micro))),
        "MinIO object storage on UBI micro."),
    image!(&["bitnami/*", "bitnamilegacy/*"], "Bitnami", K::Application, BaseRule::Tagged(DEBIAN),
        "A Bitnami image, on minideb (Debian) unless the name or tag says otherwise.",
        words: &[("minideb", on(D::Debian))]),
    image!(&["nvidia/cuda", "nvcr.io/nvidia/cuda"], "CUDA", K::Tool, BaseRule::Tagged(None),
        "NVIDIA CUDA: the tag names the distribution (`-ubuntu22.04`, `-ubi9`, `-rockylinux9`)."),
    image!(&["nvcr.io/nvidia/*"], "NVIDIA NGC", K::Tool, BaseRule::Tagged(UBUNTU),
        "An NVIDIA NGC image, on Ubuntu."),
    image!(&["ros", "osrf/ros", "osrf/ros2"], "ROS", K::Tool, BaseRule::Tagged(UBUNTU),
        "The Robot Operating System, on Ubuntu."),
    image!(&["mcr.microsoft.com/dotnet/framework/*", "microsoft/dotnet-framework",
        "microsoft/aspnet", "microsoft/iis", "microsoft/dotnet-framework-build", "microsoft/wcf"],
        ".NET Framework", K::Language, BaseRule::Tagged(Some(on(D::WindowsServerCore))),
        ".NET Framework on Windows Server Core."),
    image!(&["mcr.microsoft.com/dotnet/*", "microsoft/dotnet", "microsoft/aspnetcore",
        "microsoft/aspnetcore-build"],
        ".NET", K::Language, BaseRule::Tagged(DEBIAN),
        ".NET (sdk, aspnet, runtime, runtime-deps): Debian by default; `-alpine`, `-noble`, `-azurelinux3.0`, `-chiseled` and Windows tags exist."),
    image!(&["mcr.microsoft.com/powershell"], "PowerShell", K::Tool, BaseRule::Tagged(UBUNTU),
        "PowerShell; the tag names the distribution."),
    image!(&["mcr.microsoft.com/devcontainers/base", "mcr.microsoft.com/vscode/devcontainers/base"],
        "Dev Container base", K::Tool, BaseRule::Tagged(None),
        "Dev Container base images: the tag names the distribution (`ubuntu`, `bookworm`, `alpine`)."),
    image!(&["mcr.microsoft.com/devcontainers/*", "mcr.microsoft.com/vscode/devcontainers/*"],
        "Dev Container", K::Tool, BaseRule::Tagged(DEBIAN),
        "A Dev Container image, on Debian unless the tag says otherwise."),
    image!(&["mcr.microsoft.com/mssql/server"],
        "SQL Server", K::Application, BaseRule::Tagged(UBUNTU),
        "Microsoft SQL Server for Linux."),
    image!(&["oracle/*", "container-registry.oracle.com/*"],
        "Oracle", K::Application, BaseRule::Tagged(Some(on_variant(D::OracleLinux, None, Variant::Any))),
        "An Oracle image, on Oracle Linux (standard or slim)."),
    image!(&["webdevops/*"], "webdevops", K::Application, BaseRule::Tagged(DEBIAN),
        "webdevops images: Debian unless the tag names another distribution."),
    image!(&["composer"], "Composer", K::Tool, BaseRule::Tagged(ALPINE),
        "PHP's Composer on the PHP Alpine image."),
    image!(&["tonistiigi/git"], "git", K::Tool, BaseRule::Tagged(ALPINE),
        "Git on Alpine, for BuildKit's test and build stages."),
    image!(&["discourse/base"], "Discourse base", K::Application, BaseRule::Tagged(DEBIAN),
        "Discourse's base image, on Debian."),
    image!(&["stefanscherer/chocolatey", "stefanscherer/msbuild", "stefanscherer/openjdk-windows",
        "stefanscherer/node-windows"],
        "Windows tool image", K::Tool, BaseRule::Tagged(Some(on(D::WindowsServerCore))),
        "Stefan Scherer's Windows images, on Server Core."),
    image!(&["centos/*"],
        "CentOS project image", K::Application, BaseRule::Tagged(Some(on(D::CentOs))),
        "An image from the CentOS project's Docker Hub namespace, on CentOS Linux."),
    image!(&["continuumio/*", "mambaorg/micromamba"],
        "Conda", K::Language, BaseRule::Tagged(DEBIAN),
        "Anaconda and Miniconda (micromamba) images, on Debian."),
    image!(&["jupyter/*", "quay.io/jupyter/*"],
        "Jupyter Docker Stacks", K::Application, BaseRule::Tagged(UBUNTU),
        "The Jupyter Docker Stacks, on Ubuntu."),
    image!(&["apache/airflow"], "Apache Airflow", K::Application, BaseRule::Tagged(DEBIAN),
        "Apache Airflow on the Python slim image (Debian)."),
    image!(&["gitpod/*"], "Gitpod workspace", K::Tool, BaseRule::Tagged(UBUNTU),
        "Gitpod workspace images, on Ubuntu."),
    image!(&["google/cloud-sdk", "gcr.io/google.com/cloudsdktool/google-cloud-cli",
        "gcr.io/google.com/cloudsdktool/cloud-sdk"],
        "Google Cloud CLI", K::Tool, BaseRule::Tagged(DEBIAN),
        "The Google Cloud CLI; `-alpine` and `-slim` tags exist."),
    image!(&["linuxserver/*", "lscr.io/linuxserver/*", "ghcr.io/linuxserver/*"],
        "LinuxServer.io", K::Application, BaseRule::Tagged(None),
        "LinuxServer.io images: Alpine or Ubuntu, as the base image name says."),
    image!(&["phusion/*"], "Phusion", K::Application, BaseRule::Tagged(UBUNTU),
        "Phusion's baseimage and Passenger images, on Ubuntu."),
    image!(&["kong", "kong/kong-gateway", "kong/kong"],
        "Kong", K::Application, BaseRule::Tagged(UBUNTU),
        "The Kong gateway; `-alpine` tags for older versions."),
    image!(&["quay.io/sclorg/*"], "Software Collections", K::Application, BaseRule::Tagged(None),
        "Red Hat Software Collections images: `-c9s` (CentOS Stream), `-el9` (RHEL) or `fedora` in the name."),
    image!(&["ghcr.io/ublue-os/*", "quay.io/fedora-ostree-desktops/*"],
        "Universal Blue", K::OperatingSystem, BaseRule::Tagged(Some(on(D::Fedora))),
        "Fedora Atomic desktop images."),
];

/// Entries by exact name, and wildcard prefixes (without the `*`) longest first.
struct Index {
    exact: HashMap<&'static str, &'static ImageEntry>,
    wildcards: Vec<(&'static str, &'static ImageEntry)>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut wildcards = Vec::new();
    for entry in IMAGES {
        for name in entry.names {
            match name.strip_suffix('*') {
                Some(prefix) => wildcards.push((prefix, entry)),
                None => {
                    exact.entry(*name).or_insert(entry);
                }
            }
        }
    }
    wildcards.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
    Index { exact, wildcards }
});

/// The catalog entry for a familiar name, and the rest of the name after a wildcard.
fn entry_for(name: &str) -> Option<(&'static ImageEntry, &str)> {
    let index = &*INDEX;
    if let Some(entry) = index.exact.get(name) {
        return Some((entry, ""));
    }
    index
        .wildcards
        .iter()
        .find_map(|(prefix, entry)| name.strip_prefix(prefix).map(|rest| (*entry, rest)))
}

/// Docker Hub namespaces that hold the official images built for one architecture
/// (`arm64v8/alpine` is `alpine`).
const ARCHITECTURE_NAMESPACES: &[&str] = &[
    "amd64/",
    "arm64v8/",
    "arm32v7/",
    "arm32v6/",
    "arm32v5/",
    "i386/",
    "ppc64le/",
    "s390x/",
    "riscv64/",
    "mips64le/",
    "windows-amd64/",
];

/// What the catalog knows about an image; `None` for an image it does not know.
pub fn resolve(reference: &ImageReference) -> Option<ImageInfo> {
    let tag = reference.effective_tag().unwrap_or("").to_ascii_lowercase();
    let mut certainty = Certainty::Certain;
    let mut name = reference.familiar_name();
    if reference.is_docker_hub()
        && let Some(rest) = ARCHITECTURE_NAMESPACES
            .iter()
            .find_map(|namespace| name.strip_prefix(namespace))
    {
        name = rest.to_string();
    }
    for (registry, prefix) in HUB_MIRRORS {
        if reference.registry == *registry
            && let Some(rest) = reference.repository.strip_prefix(prefix)
        {
            name = rest.to_string();
        }
    }
    let mut found = entry_for(&name);
    if found.is_none()
        && !reference.is_docker_hub()
        && let Some(rest) = reference.repository.strip_prefix("library/")
    {
        // A private mirror of an official image keeps its `library/` path.
        found = entry_for(rest);
        certainty = Certainty::Inferred;
    }
    let Some((entry, rest)) = found else {
        return inferred_from_name(reference, &tag);
    };
    let name_words = tokens(rest);
    let tag_words = tokens(&tag);
    let mut info = match entry.base {
        BaseRule::Distro(id) => {
            let mut words = name_words.clone();
            words.extend(tag_words.iter().cloned());
            match entry_hint(entry, &words) {
                Some(hint) if hint.distro.is_some() => from_hint(hint, &words, Certainty::Certain),
                Some(hint) => {
                    let mut info = distro_image(distros::distro(id), &name_words, &tag_words);
                    if let Some(variant) = hint.variant {
                        info.variant = variant;
                    }
                    info
                }
                None => distro_image(distros::distro(id), &name_words, &tag_words),
            }
        }
        BaseRule::Tagged(default) => tagged(entry, default, &name_words, &tag_words),
        BaseRule::Fixed(hint) => from_hint(hint, &[], Certainty::Certain),
        BaseRule::GoogleDistroless => distroless(&name_words, &tag_words),
        BaseRule::Chainguard => {
            let development = tag_words.iter().any(|word| word == "dev");
            let variant = if development {
                Variant::Standard
            } else {
                Variant::Distroless
            };
            from_hint(on_variant(D::Wolfi, None, variant), &[], Certainty::Certain)
        }
        BaseRule::OpenJdk => {
            let major: Option<u32> = tag
                .split(['-', '.'])
                .next()
                .and_then(|major| major.parse().ok());
            let default = match major {
                Some(major) if major < 17 => on(D::Debian),
                _ => on_variant(D::OracleLinux, None, Variant::Minimal),
            };
            tagged(entry, Some(default), &name_words, &tag_words)
        }
        BaseRule::Mysql => {
            let version: Vec<u32> = tag
                .split('-')
                .next()
                .unwrap_or("")
                .split('.')
                .map_while(|part| part.parse().ok())
                .collect();
            let default = match version.as_slice() {
                [5, minor, ..] if *minor < 7 => on(D::Debian),
                [5, 7, ..] => on_variant(D::OracleLinux, Some("7"), Variant::Minimal),
                _ => on_variant(D::OracleLinux, None, Variant::Minimal),
            };
            tagged(entry, Some(default), &name_words, &tag_words)
        }
    };
    info.entry = Some(entry);
    info.certainty = info.certainty.max(certainty);
    info.moving = info.moving || is_moving(&tag);
    if let Some(id) = entry.runtime {
        let runtime = runtimes::runtime(id);
        info.runtime = runtime
            .release_for_tag(&tag)
            .map(|release| (runtime, release));
    }
    Some(info)
}

fn is_moving(tag: &str) -> bool {
    tag.split(['-', '_']).any(|word| word == "latest")
}

/// Lower-case words of a tag or name part, split at `-`, `_`, `/` and `:`.
fn tokens(text: &str) -> Vec<String> {
    text.split(['-', '_', '/', ':'])
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The first image-specific word in `words`.
fn entry_hint(entry: &ImageEntry, words: &[String]) -> Option<Hint> {
    words.iter().find_map(|word| {
        entry
            .words
            .iter()
            .find(|(known, _)| known == word)
            .map(|(_, hint)| *hint)
    })
}

/// The release of `distro` that `word` names (see `Release::is_named_by`).
fn release_named(distro: &'static Distro, word: &str) -> Option<&'static Release> {
    let releases: &'static [Release] = distro.releases;
    releases.iter().find(|release| release.is_named_by(word))
}

/// An image the catalog does not know, whose name or tag names a distribution
/// (`rocm/dev-ubuntu-22.04`, `mvdan/shfmt:v3-alpine`, `example.com/base/debian:12`): that
/// distribution, inferred. Short or ambiguous words (`el8`, `c9s`) are not enough here.
fn inferred_from_name(reference: &ImageReference, tag: &str) -> Option<ImageInfo> {
    let words: Vec<String> = tokens(&reference.repository)
        .into_iter()
        .chain(tokens(tag))
        .collect();
    let mut named = None;
    for (index, word) in words.iter().enumerate() {
        if let Some(found) = distro_word(word, words.get(index + 1).map(String::as_str))
            && is_strong_distro_word(word)
        {
            named = Some(found);
        }
    }
    let (id, release, unlisted) = named?;
    // The name does not say whether the image is the standard or a minimal variant.
    let mut info = from_hint(
        on_variant(id, None, Variant::Any),
        &words,
        Certainty::Inferred,
    );
    info.release = release;
    info.unlisted_version = unlisted;
    info.moving = release.is_none() && info.unlisted_version.is_none();
    let distro = distros::distro(id);
    for word in &words {
        if let Some((_, variant)) = distro.variant_words.iter().find(|(known, _)| known == word) {
            info.variant = *variant;
        }
    }
    Some(info)
}

/// A word that names a distribution unambiguously: a code name or a prefix of three or more
/// letters (`ubuntu22.04`, `alpine`, `ubi9`), not `el8`, `ol7` or `c9s`.
fn is_strong_distro_word(word: &str) -> bool {
    let starts_with_letters = word.bytes().take_while(u8::is_ascii_alphabetic).count();
    starts_with_letters >= 3
}

/// A distribution named in a word: `alpine3.20`, `ubi9`, `debian12`, `bookworm`, `c9s`, with
/// the release when the word gives one, and the version text when the catalog lacks it.
fn distro_word(
    word: &str,
    next: Option<&str>,
) -> Option<(DistroId, Option<&'static Release>, Option<String>)> {
    // Debian and Ubuntu code names.
    for id in [D::Debian, D::Ubuntu] {
        let distro = distros::distro(id);
        if let Some(release) = distro
            .releases
            .iter()
            .find(|release| release.codename == Some(word))
        {
            return Some((id, Some(release), None));
        }
    }
    // CentOS Stream in Software Collections names: `c9s`.
    if let Some(number) = word
        .strip_prefix('c')
        .and_then(|rest| rest.strip_suffix('s'))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
    {
        let distro = distros::distro(D::CentOsStream);
        let release = distro.release(number);
        let unlisted = release.is_none().then(|| number.to_string());
        return Some((D::CentOsStream, release, unlisted));
    }
    for distro in distros::DISTROS {
        if matches!(distro.id, D::Scratch | D::Distroless) {
            continue;
        }
        for prefix in distro.tag_prefixes {
            let Some(rest) = word.strip_prefix(prefix) else {
                continue;
            };
            if rest.is_empty() {
                // `windowsservercore-ltsc2022`, `ubuntu-22.04`: the release follows.
                let release = next.and_then(|next| release_named(distro, next));
                // Short prefixes (`el`, `ol`, `al`, `fc`) say nothing alone.
                if release.is_none() && prefix.len() <= 2 {
                    continue;
                }
                return Some((distro.id, release, None));
            }
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            if !is_version(rest) && release_named(distro, rest).is_none() {
                continue;
            }
            let release = release_named(distro, rest);
            let unlisted = release.is_none().then(|| rest.to_string());
            return Some((distro.id, release, unlisted));
        }
    }
    None
}

/// A distribution's own image: the release from the words, the variant from its words.
fn distro_image(distro: &'static Distro, name_words: &[String], tag_words: &[String]) -> ImageInfo {
    let mut release = None;
    let mut unlisted = None;
    let mut moving = false;
    let mut variant = Variant::Standard;
    let all: Vec<&String> = name_words.iter().chain(tag_words.iter()).collect();
    for (index, word) in all.iter().enumerate() {
        if let Some((_, known)) = distro
            .variant_words
            .iter()
            .chain(GLOBAL_VARIANT_WORDS.iter())
            .find(|(known, _)| known == word)
        {
            variant = *known;
            continue;
        }
        if release.is_some() {
            continue;
        }
        if let Some(found) = release_named(distro, word) {
            release = Some(found);
            continue;
        }
        // `ubi9`, `centos7`, `rhel8` in the name or tag.
        if let Some((id, found, version)) =
            distro_word(word, all.get(index + 1).map(|next| next.as_str()))
            && id == distro.id
        {
            if found.is_some() {
                release = found;
            } else if unlisted.is_none() {
                unlisted = version;
            }
            continue;
        }
        if word.as_str() == "latest" {
            moving = true;
            release = distro.latest_release();
            continue;
        }
        // The first version-looking word the catalog does not know.
        if unlisted.is_none() && is_version(word) && word.len() < 8 && index >= name_words.len() {
            unlisted = Some(word.to_string());
        }
    }
    if release.is_some() {
        unlisted = None;
    }
    ImageInfo {
        entry: None,
        distro: Some(distro),
        release,
        unlisted_version: unlisted,
        variant,
        certainty: Certainty::Certain,
        runtime: None,
        moving,
    }
}

fn from_hint(hint: Hint, words: &[String], certainty: Certainty) -> ImageInfo {
    let distro = hint.distro.map(distros::distro);
    let release = match (distro, hint.release) {
        (Some(distro), Some(version)) => distro.release(version),
        _ => None,
    };
    let mut info = ImageInfo {
        entry: None,
        distro,
        release,
        unlisted_version: None,
        variant: hint.variant.unwrap_or_default(),
        certainty,
        runtime: None,
        moving: false,
    };
    if let Some(distro) = distro {
        for word in words {
            if let Some((_, variant)) = distro
                .variant_words
                .iter()
                .chain(GLOBAL_VARIANT_WORDS.iter())
                .find(|(known, _)| known == word)
            {
                info.variant = *variant;
            }
        }
    }
    info
}

/// A language or application image: a distribution named in the tag (or the name after a
/// wildcard) wins; then image-specific words; then `slim` (Debian's convention); then JDK
/// vendor words; then the image's default.
fn tagged(
    entry: &ImageEntry,
    default: Option<Hint>,
    name_words: &[String],
    tag_words: &[String],
) -> ImageInfo {
    let words: Vec<String> = name_words.iter().chain(tag_words.iter()).cloned().collect();
    let mut named = None;
    for (index, word) in words.iter().enumerate() {
        if let Some(found) = distro_word(word, words.get(index + 1).map(String::as_str)) {
            named = Some(found);
        }
    }
    if let Some(hint) = entry_hint(entry, &words)
        && hint.distro.is_some()
    {
        let mut info = from_hint(hint, &words, Certainty::Certain);
        // The image's own word names the distribution; a release word may still name the
        // release (`bitnami/minideb-extras:jessie`).
        if let Some((id, release, unlisted)) = named
            && hint.distro == Some(id)
            && info.release.is_none()
        {
            info.release = release;
            info.unlisted_version = unlisted;
        }
        return info;
    }
    if let Some((id, release, unlisted)) = named {
        let distro = distros::distro(id);
        let mut info = from_hint(on(id), &words, Certainty::Certain);
        info.release = release;
        info.unlisted_version = unlisted;
        if release.is_none() && info.unlisted_version.is_none() {
            info.moving = true;
        }
        // A variant word for this distribution (`windowsservercore` has none; Oracle's
        // `slim` is minimal).
        for word in &words {
            if let Some((_, variant)) = distro.variant_words.iter().find(|(known, _)| known == word)
            {
                info.variant = *variant;
            }
        }
        if let Some(hint) = entry_hint(entry, &words)
            && hint.distro.is_none()
            && let Some(variant) = hint.variant
        {
            info.variant = variant;
        }
        return info;
    }
    if words.iter().any(|word| word == "slim") {
        let slim_on = match default.and_then(|hint| hint.distro) {
            Some(D::Ubuntu) => D::Ubuntu,
            _ => D::Debian,
        };
        let mut info = from_hint(
            on_variant(slim_on, None, Variant::Slim),
            &[],
            Certainty::Certain,
        );
        info.moving = true;
        return info;
    }
    if let Some((_, hint)) = WEAK_WORDS
        .iter()
        .find(|(weak, _)| words.iter().any(|word| word == weak))
    {
        let mut info = from_hint(*hint, &words, Certainty::Inferred);
        info.moving = true;
        return info;
    }
    match default {
        Some(hint) => {
            let mut info = from_hint(hint, &words, Certainty::Inferred);
            info.moving = info.release.is_none();
            info
        }
        None => ImageInfo {
            entry: None,
            distro: None,
            release: None,
            unlisted_version: None,
            variant: Variant::Standard,
            certainty: Certainty::Inferred,
            runtime: None,
            moving: true,
        },
    }
}

/// `gcr.io/distroless/<image>-debianN:<tag>`.
fn distroless(name_words: &[String], tag_words: &[String]) -> ImageInfo {
    let distro = distros::distro(D::Distroless);
    let mut release = None;
    for word in name_words {
        if let Some(version) = word.strip_prefix("debian") {
            release = distro.release(version);
        }
    }
    let debug = tag_words.iter().any(|word| word == "debug");
    ImageInfo {
        entry: None,
        distro: Some(distro),
        release,
        unlisted_version: None,
        variant: if debug {
            Variant::Debug
        } else {
            Variant::Distroless
        },
        certainty: Certainty::Certain,
        runtime: None,
        moving: release.is_none(),
    }
}

/// The tag to pin a distribution's own image to instead of `latest` or an ended release:
/// the suggested release, by code name for Debian (`trixie`), by number elsewhere (`3.24`).
/// `None` for other images (their tags are versions the catalog does not list), for images
/// named through a wildcard (`redhat/ubi9`: the release is in the name) and for Windows (the
/// release must match the host).
pub fn suggested_tag(
    reference: &ImageReference,
    info: &ImageInfo,
    today: distros::Date,
) -> Option<(String, &'static Release)> {
    let entry = info.entry?;
    let BaseRule::Distro(id) = entry.base else {
        return None;
    };
    if matches!(
        id,
        D::WindowsServerCore | D::NanoServer | D::Windows | D::Scratch
    ) {
        return None;
    }
    let name = reference.familiar_name();
    let official = ARCHITECTURE_NAMESPACES
        .iter()
        .find_map(|namespace| name.strip_prefix(namespace))
        .unwrap_or(&name);
    if !entry.names.contains(&official) {
        return None;
    }
    let release = distros::distro(id).suggested_release(today)?;
    let tag = match (id, release.codename) {
        (D::Debian, Some(codename)) => codename.to_string(),
        _ => release.version.to_string(),
    };
    Some((tag, release))
}

/// The image's static libc when its name says so (`gcr.io/distroless/static`).
pub fn libc_of(reference: &ImageReference, info: &ImageInfo) -> Option<Libc> {
    if info.distro.is_some_and(|distro| distro.id == D::Distroless)
        && reference.short_name().starts_with("static")
    {
        return Some(Libc::None);
    }
    if info.distro.is_some_and(|distro| distro.id == D::Busybox) {
        let tag = reference.tag.as_deref().unwrap_or("");
        if tag.contains("musl") {
            return Some(Libc::Musl);
        }
        if tag.contains("uclibc") {
            return Some(Libc::UClibc);
        }
    }
    info.libc()
}

#[cfg(test)]
mod tests;
