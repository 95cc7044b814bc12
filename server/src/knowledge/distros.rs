//! Linux distributions (and Windows) that base images are built on: what each is, its C
//! library, `/bin/sh`, package managers, and every release with its support dates.
//!
//! The dates are public facts collected by hand; [`AS_OF`] says when. A release newer than
//! the catalog is reported as unknown, never as out of support.

use std::fmt;

use super::package_managers::ManagerId;

/// A calendar date, for support windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

pub const fn date(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

/// When the catalog's dates were last checked.
pub const AS_OF: Date = date(2026, 11, 25);

impl Date {
    /// Today in UTC from the system clock, never earlier than [`AS_OF`] (a clock that is
    /// wrong in the past must not hide what the catalog already knows has ended).
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((seconds / 86_400) as i64).max(AS_OF)
    }

    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        date(year.clamp(0, 9999) as u16, month as u8, day as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistroId {
    /// `FROM scratch`, and images that are only files on an empty filesystem.
    Scratch,
    Busybox,
    Alpine,
    Debian,
    Ubuntu,
    CentOs,
    CentOsStream,
    RockyLinux,
    AlmaLinux,
    Fedora,
    OracleLinux,
    AmazonLinux,
    RedHatUbi,
    SuseEnterprise,
    OpenSuseLeap,
    OpenSuseTumbleweed,
    ArchLinux,
    Photon,
    Wolfi,
    Distroless,
    AzureLinux,
    WindowsServerCore,
    NanoServer,
    Windows,
}

/// The lineage a distribution belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    None,
    Busybox,
    Alpine,
    Debian,
    RedHat,
    Suse,
    Arch,
    Photon,
    Wolfi,
    AzureLinux,
    Windows,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::None => "none (empty filesystem)",
            Family::Busybox => "BusyBox",
            Family::Alpine => "Alpine",
            Family::Debian => "Debian (dpkg/apt)",
            Family::RedHat => "Red Hat (RPM)",
            Family::Suse => "SUSE (RPM)",
            Family::Arch => "Arch",
            Family::Photon => "Photon (RPM)",
            Family::Wolfi => "Wolfi (apk, glibc)",
            Family::AzureLinux => "Azure Linux (RPM)",
            Family::Windows => "Windows",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Libc {
    Musl,
    Glibc,
    UClibc,
    /// No C library: static binaries only.
    None,
    /// The Windows C runtime.
    Windows,
}

impl Libc {
    pub fn name(self) -> &'static str {
        match self {
            Libc::Musl => "musl",
            Libc::Glibc => "glibc",
            Libc::UClibc => "uClibc",
            Libc::None => "none (static binaries only)",
            Libc::Windows => "Windows C runtime (UCRT)",
        }
    }
}

/// What `/bin/sh` is (the shell `RUN` uses in shell form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shell {
    BusyboxAsh,
    Dash,
    Bash,
    /// No shell at all: only exec-form `RUN ["..."]` of a binary in the image works.
    None,
    /// Windows: `cmd /S /C` unless `SHELL` says otherwise.
    Cmd,
}

impl Shell {
    pub fn name(self) -> &'static str {
        match self {
            Shell::BusyboxAsh => "BusyBox `ash`",
            Shell::Dash => "`dash`",
            Shell::Bash => "`bash`",
            Shell::None => "none (no shell: shell-form RUN fails)",
            Shell::Cmd => "`cmd.exe` (`cmd /S /C`)",
        }
    }
}

/// A trimmed or extended flavour of a distribution's image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Variant {
    #[default]
    Standard,
    /// Debian's `-slim`: fewer files, same package manager.
    Slim,
    /// RHEL-family `-minimal` / Oracle `-slim`: `microdnf` instead of `dnf`/`yum`.
    Minimal,
    /// UBI `-micro` and the like: a shell but no package manager.
    Micro,
    /// No shell and no package manager (distroless, chiseled, Chainguard without `-dev`).
    Distroless,
    /// Distroless `:debug`: a BusyBox shell, still no package manager.
    Debug,
    /// Not known: the standard image or its minimal variant (a third-party image whose
    /// base the catalog only infers).
    Any,
}

impl Variant {
    pub fn name(self) -> Option<&'static str> {
        match self {
            Variant::Standard => None,
            Variant::Slim => Some("slim"),
            Variant::Minimal => Some("minimal"),
            Variant::Micro => Some("micro"),
            Variant::Distroless => Some("distroless"),
            Variant::Debug => Some("debug"),
            Variant::Any => None,
        }
    }
}

/// One release of a distribution.
#[derive(Debug)]
pub struct Release {
    /// The version as tags write it (`3.20`, `12`, `22.04`, `ltsc2022`, `stream9`).
    pub version: &'static str,
    pub codename: Option<&'static str>,
    /// Other tag names for it (`stable`, `1809`).
    pub aliases: &'static [&'static str],
    pub released: Option<Date>,
    /// End of regular (security) support; `None` when not announced or not in the catalog.
    pub support_until: Option<Date>,
    /// End of free extended support that the same image still receives (Debian LTS).
    pub extended_until: Option<Date>,
    /// A long-term-support release (Ubuntu LTS, Node-style even releases elsewhere).
    pub long_term: bool,
    /// What `latest` (or no tag) points to.
    pub latest: bool,
    /// Package managers when they differ from the distribution's.
    pub package_managers: Option<&'static [ManagerId]>,
    /// Package managers of the minimal variant when they differ from the distribution's.
    pub minimal_managers: Option<&'static [ManagerId]>,
    /// Something worth knowing (where the mirrors went).
    pub note: &'static str,
}

impl Release {
    /// True when a tag word names this release: its version (or a longer patch version), its
    /// code name or an alias.
    pub fn is_named_by(&self, word: &str) -> bool {
        word.eq_ignore_ascii_case(self.version)
            || self
                .codename
                .is_some_and(|codename| word.eq_ignore_ascii_case(codename))
            || self
                .aliases
                .iter()
                .any(|alias| word.eq_ignore_ascii_case(alias))
            || version_extends(word, self.version)
            || self
                .aliases
                .iter()
                .any(|alias| is_version(alias) && version_extends(word, alias))
    }

    /// The last day anything still updates it.
    pub fn end_of_life(&self) -> Option<Date> {
        self.extended_until.or(self.support_until)
    }

    /// `12 (bookworm)`, `3.20`, `Stream 9`.
    pub fn label(&self) -> String {
        match self.codename {
            Some(codename) => format!("{} ({codename})", self.version),
            None => self.version.to_string(),
        }
    }
}

const fn release(version: &'static str) -> Release {
    Release {
        version,
        codename: None,
        aliases: &[],
        released: None,
        support_until: None,
        extended_until: None,
        long_term: false,
        latest: false,
        package_managers: None,
        minimal_managers: None,
        note: "",
    }
}

/// `release(version)` with released and end-of-support dates.
const fn dated(version: &'static str, released: Option<Date>, until: Date) -> Release {
    Release {
        released,
        support_until: Some(until),
        ..release(version)
    }
}

const fn named(
    version: &'static str,
    codename: &'static str,
    released: Date,
    until: Option<Date>,
) -> Release {
    Release {
        codename: Some(codename),
        released: Some(released),
        support_until: until,
        ..release(version)
    }
}

const fn latest(release: Release) -> Release {
    Release {
        latest: true,
        ..release
    }
}

const fn lts(release: Release) -> Release {
    Release {
        long_term: true,
        ..release
    }
}

const fn managers(release: Release, managers: &'static [ManagerId]) -> Release {
    Release {
        package_managers: Some(managers),
        ..release
    }
}

const fn noted(release: Release, note: &'static str) -> Release {
    Release { note, ..release }
}

#[derive(Debug)]
pub struct Distro {
    pub id: DistroId,
    /// Short lower-case name for inlay hints (`alpine`, `debian`).
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub family: Family,
    pub libc: Libc,
    pub shell: Shell,
    /// The package managers of the standard image, the one to recommend first.
    pub package_managers: &'static [ManagerId],
    /// Managers that may exist in some releases or as aliases: never reported as missing.
    pub possible_managers: &'static [ManagerId],
    /// The package managers of the `Minimal` variant.
    pub minimal_managers: &'static [ManagerId],
    pub default_user: &'static str,
    pub homepage: &'static str,
    pub image_page: &'static str,
    /// Words that name it inside tags of other images (`alpine3.20`, `ubi9`, `debian12`).
    pub tag_prefixes: &'static [&'static str],
    /// Tag words that select a variant (`slim`, `minimal`).
    pub variant_words: &'static [(&'static str, Variant)],
    /// A rolling release: no versions to go out of support.
    pub rolling: bool,
    /// How its support works, for hovers.
    pub lifecycle: &'static str,
    /// What to move to when no release is supported any more.
    pub successor: &'static str,
    pub releases: &'static [Release],
}

impl Distro {
    pub fn release(&self, version: &str) -> Option<&'static Release> {
        let releases: &'static [Release] = self.releases;
        releases.iter().find(|release| release.version == version)
    }

    /// The release `latest` points to.
    pub fn latest_release(&self) -> Option<&'static Release> {
        distro(self.id)
            .releases
            .iter()
            .find(|release| release.latest)
    }

    /// The release to suggest instead of an old one: what `latest` points to unless it has
    /// ended, else [`Distro::recommended_release`].
    pub fn suggested_release(&self, today: Date) -> Option<&'static Release> {
        let latest = self
            .latest_release()
            .filter(|release| release.end_of_life().is_none_or(|end| end >= today));
        latest.or_else(|| self.recommended_release(today))
    }

    /// The newest release still supported on `today` that `latest` or a long-term release
    /// would recommend: for distributions with long-term releases, the newest of those.
    pub fn recommended_release(&self, today: Date) -> Option<&'static Release> {
        let releases = distro(self.id).releases;
        let supported = |release: &&'static Release| {
            release.released.is_some_and(|released| released <= today)
                && release.support_until.is_some_and(|until| until >= today)
        };
        let has_long_term = releases.iter().any(|release| release.long_term);
        releases
            .iter()
            .filter(supported)
            .filter(|release| !has_long_term || release.long_term)
            .max_by_key(|release| release.released)
    }
}

use DistroId as D;
use ManagerId as M;

const DEBIAN_LIKE: &[M] = &[M::Apt];
const RPM_DNF: &[M] = &[M::Dnf, M::Yum];
const RPM_YUM: &[M] = &[M::Yum];
const MICRODNF: &[M] = &[M::Microdnf];
const NONE: &[M] = &[];
const RHEL_VARIANTS: &[(&str, Variant)] =
    &[("minimal", Variant::Minimal), ("micro", Variant::Micro)];

pub static DISTROS: &[Distro] = &[
    Distro {
        id: D::Scratch,
        key: "scratch",
        name: "scratch (empty filesystem)",
        description: "No files at all: the build adds everything itself. Only static binaries run; there is no shell, so shell-form `RUN` fails.",
        family: Family::None,
        libc: Libc::None,
        shell: Shell::None,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "root (uid 0; there is no /etc/passwd)",
        homepage: "https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch",
        image_page: "https://hub.docker.com/_/scratch",
        tag_prefixes: &["scratch"],
        variant_words: &[],
        rolling: true,
        lifecycle: "Nothing to update: the image has no files.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::Busybox,
        key: "busybox",
        name: "BusyBox",
        description: "About 1 MB: the BusyBox multi-call binary (shell and core utilities) and nothing else. No package manager.",
        family: Family::Busybox,
        libc: Libc::Glibc,
        shell: Shell::BusyboxAsh,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "root",
        homepage: "https://busybox.net",
        image_page: "https://hub.docker.com/_/busybox",
        tag_prefixes: &["busybox"],
        variant_words: &[],
        rolling: true,
        lifecycle: "Rebuilt with each BusyBox release; use a recent tag.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::Alpine,
        key: "alpine",
        name: "Alpine Linux",
        description: "A small security-oriented distribution built on musl libc and BusyBox; the base image is about 8 MB.",
        family: Family::Alpine,
        libc: Libc::Musl,
        shell: Shell::BusyboxAsh,
        package_managers: &[M::Apk],
        possible_managers: NONE,
        minimal_managers: &[M::Apk],
        default_user: "root",
        homepage: "https://alpinelinux.org",
        image_page: "https://hub.docker.com/_/alpine",
        tag_prefixes: &["alpine"],
        variant_words: &[],
        rolling: false,
        lifecycle: "A stable branch every six months; each branch gets security fixes in main for two years.",
        successor: "",
        releases: &[
            release("edge"),
            // Released in 2026; the catalog has no dates for it yet.
            latest(release("3.24")),
            dated("3.23", Some(date(2025, 12, 3)), date(2027, 11, 1)),
            dated("3.22", Some(date(2025, 5, 30)), date(2027, 5, 1)),
            dated("3.21", Some(date(2024, 12, 5)), date(2026, 11, 1)),
            dated("3.20", Some(date(2024, 5, 22)), date(2026, 4, 1)),
            dated("3.19", Some(date(2023, 12, 7)), date(2025, 11, 1)),
            dated("3.18", Some(date(2023, 5, 9)), date(2025, 5, 9)),
            dated("3.17", Some(date(2022, 11, 22)), date(2024, 11, 22)),
            dated("3.16", Some(date(2022, 5, 23)), date(2024, 5, 23)),
            dated("3.15", Some(date(2021, 11, 24)), date(2023, 11, 1)),
            dated("3.14", Some(date(2021, 6, 15)), date(2023, 5, 1)),
            dated("3.13", Some(date(2021, 1, 14)), date(2022, 11, 1)),
            dated("3.12", Some(date(2020, 5, 29)), date(2022, 5, 1)),
            dated("3.11", Some(date(2019, 12, 19)), date(2021, 11, 1)),
            dated("3.10", Some(date(2019, 6, 19)), date(2021, 5, 1)),
            dated("3.9", Some(date(2019, 1, 29)), date(2020, 11, 1)),
            dated("3.8", Some(date(2018, 6, 26)), date(2020, 5, 1)),
            dated("3.7", Some(date(2017, 11, 30)), date(2019, 11, 1)),
            dated("3.6", Some(date(2017, 5, 24)), date(2019, 5, 1)),
            dated("3.5", Some(date(2016, 12, 22)), date(2018, 11, 1)),
            dated("3.4", Some(date(2016, 5, 31)), date(2018, 5, 1)),
            dated("3.3", Some(date(2015, 12, 18)), date(2017, 11, 1)),
            dated("3.2", Some(date(2015, 6, 4)), date(2017, 5, 1)),
            dated("3.1", Some(date(2014, 12, 11)), date(2016, 11, 1)),
            dated("3.0", Some(date(2014, 6, 4)), date(2016, 5, 1)),
        ],
    },
    Distro {
        id: D::Debian,
        key: "debian",
        name: "Debian",
        description: "The universal operating system: a large, conservative archive with glibc and apt. Most official language images are built on it.",
        family: Family::Debian,
        libc: Libc::Glibc,
        shell: Shell::Dash,
        package_managers: DEBIAN_LIKE,
        possible_managers: NONE,
        minimal_managers: DEBIAN_LIKE,
        default_user: "root",
        homepage: "https://www.debian.org",
        image_page: "https://hub.docker.com/_/debian",
        tag_prefixes: &["debian"],
        variant_words: &[("slim", Variant::Slim)],
        rolling: false,
        lifecycle: "A stable release about every two years; security support for three years, then Debian LTS (same archive, free) to five years.",
        successor: "",
        releases: &[
            Release {
                aliases: &["unstable", "rc-buggy", "experimental"],
                note: "Unstable: packages change daily.",
                ..named("sid", "sid", date(1993, 8, 16), None)
            },
            Release {
                codename: Some("forky"),
                aliases: &["testing"],
                note: "Testing: the next stable release, not yet released.",
                ..release("14")
            },
            Release {
                aliases: &["stable"],
                latest: true,
                extended_until: Some(date(2030, 6, 30)),
                ..named("13", "trixie", date(2025, 8, 9), Some(date(2028, 8, 9)))
            },
            Release {
                aliases: &["oldstable"],
                extended_until: Some(date(2028, 6, 30)),
                ..named("12", "bookworm", date(2023, 6, 10), Some(date(2026, 6, 10)))
            },
            Release {
                aliases: &["oldoldstable"],
                extended_until: Some(date(2026, 8, 31)),
                ..named("11", "bullseye", date(2021, 8, 14), Some(date(2024, 8, 14)))
            },
            Release {
                extended_until: Some(date(2024, 6, 30)),
                ..named("10", "buster", date(2019, 7, 6), Some(date(2022, 9, 10)))
            },
            Release {
                extended_until: Some(date(2022, 6, 30)),
                ..named("9", "stretch", date(2017, 6, 17), Some(date(2020, 7, 6)))
            },
            Release {
                extended_until: Some(date(2020, 6, 30)),
                ..named("8", "jessie", date(2015, 4, 26), Some(date(2018, 6, 17)))
            },
            Release {
                extended_until: Some(date(2018, 5, 31)),
                ..named("7", "wheezy", date(2013, 5, 4), Some(date(2016, 4, 25)))
            },
            Release {
                extended_until: Some(date(2016, 2, 29)),
                ..named("6", "squeeze", date(2011, 2, 6), Some(date(2014, 5, 31)))
            },
        ],
    },
    Distro {
        id: D::Ubuntu,
        key: "ubuntu",
        name: "Ubuntu",
        description: "Canonical's Debian derivative: glibc and apt, a release every six months and a long-term-support (LTS) release every two years.",
        family: Family::Debian,
        libc: Libc::Glibc,
        shell: Shell::Dash,
        package_managers: DEBIAN_LIKE,
        possible_managers: NONE,
        minimal_managers: DEBIAN_LIKE,
        default_user: "root (24.04 and later also have an `ubuntu` user, uid 1000)",
        homepage: "https://ubuntu.com",
        image_page: "https://hub.docker.com/_/ubuntu",
        tag_prefixes: &["ubuntu"],
        variant_words: &[("chiseled", Variant::Distroless)],
        rolling: false,
        lifecycle: "LTS releases get five years of standard support (longer with a paid Ubuntu Pro subscription, which images do not have); interim releases get nine months.",
        successor: "",
        releases: &[
            latest(lts(named(
                "26.04",
                "resolute",
                date(2026, 4, 23),
                Some(date(2031, 5, 31)),
            ))),
            named(
                "25.10",
                "questing",
                date(2025, 10, 9),
                Some(date(2026, 7, 9)),
            ),
            named(
                "25.04",
                "plucky",
                date(2025, 4, 17),
                Some(date(2026, 1, 15)),
            ),
            named(
                "24.10",
                "oracular",
                date(2024, 10, 10),
                Some(date(2025, 7, 10)),
            ),
            lts(named(
                "24.04",
                "noble",
                date(2024, 4, 25),
                Some(date(2029, 5, 31)),
            )),
            named(
                "23.10",
                "mantic",
                date(2023, 10, 12),
                Some(date(2024, 7, 11)),
            ),
            named("23.04", "lunar", date(2023, 4, 20), Some(date(2024, 1, 25))),
            named(
                "22.10",
                "kinetic",
                date(2022, 10, 20),
                Some(date(2023, 7, 20)),
            ),
            lts(named(
                "22.04",
                "jammy",
                date(2022, 4, 21),
                Some(date(2027, 6, 1)),
            )),
            named(
                "21.10",
                "impish",
                date(2021, 10, 14),
                Some(date(2022, 7, 14)),
            ),
            named(
                "21.04",
                "hirsute",
                date(2021, 4, 22),
                Some(date(2022, 1, 20)),
            ),
            named(
                "20.10",
                "groovy",
                date(2020, 10, 22),
                Some(date(2021, 7, 22)),
            ),
            noted(
                lts(named(
                    "20.04",
                    "focal",
                    date(2020, 4, 23),
                    Some(date(2025, 5, 29)),
                )),
                "Security updates after 2025-05-29 only through a paid Ubuntu Pro subscription.",
            ),
            named("19.10", "eoan", date(2019, 10, 17), Some(date(2020, 7, 17))),
            named("19.04", "disco", date(2019, 4, 18), Some(date(2020, 1, 23))),
            named(
                "18.10",
                "cosmic",
                date(2018, 10, 18),
                Some(date(2019, 7, 18)),
            ),
            noted(
                lts(named(
                    "18.04",
                    "bionic",
                    date(2018, 4, 26),
                    Some(date(2023, 5, 31)),
                )),
                "Security updates after 2023-05-31 only through a paid Ubuntu Pro subscription.",
            ),
            named(
                "17.10",
                "artful",
                date(2017, 10, 19),
                Some(date(2018, 7, 19)),
            ),
            named("17.04", "zesty", date(2017, 4, 13), Some(date(2018, 1, 13))),
            named(
                "16.10",
                "yakkety",
                date(2016, 10, 13),
                Some(date(2017, 7, 20)),
            ),
            noted(
                lts(named(
                    "16.04",
                    "xenial",
                    date(2016, 4, 21),
                    Some(date(2021, 4, 30)),
                )),
                "Security updates after 2021-04-30 only through a paid Ubuntu Pro subscription.",
            ),
            named("15.10", "wily", date(2015, 10, 22), Some(date(2016, 7, 28))),
            named("15.04", "vivid", date(2015, 4, 23), Some(date(2016, 2, 4))),
            named(
                "14.10",
                "utopic",
                date(2014, 10, 23),
                Some(date(2015, 7, 23)),
            ),
            lts(named(
                "14.04",
                "trusty",
                date(2014, 4, 17),
                Some(date(2019, 4, 25)),
            )),
            named(
                "13.10",
                "saucy",
                date(2013, 10, 17),
                Some(date(2014, 7, 17)),
            ),
            lts(named(
                "12.04",
                "precise",
                date(2012, 4, 26),
                Some(date(2017, 4, 28)),
            )),
        ],
    },
    Distro {
        id: D::CentOs,
        key: "centos",
        name: "CentOS Linux",
        description: "A rebuild of Red Hat Enterprise Linux. Discontinued: CentOS Linux 8 ended in 2021 and CentOS Linux 7 in 2024; the project continues only as CentOS Stream.",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_YUM,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://www.centos.org",
        image_page: "https://hub.docker.com/_/centos",
        tag_prefixes: &["centos", "el"],
        variant_words: &[],
        rolling: false,
        lifecycle: "Discontinued. Every release is past its end of life and its mirrors moved to vault.centos.org, so `yum install` fails unless the repositories are pointed there. Move to Rocky Linux, AlmaLinux, UBI or CentOS Stream.",
        successor: "Move to a maintained RHEL-compatible image such as `rockylinux:9`, `almalinux:9` or `redhat/ubi9` (or `quay.io/centos/centos:stream9`)",
        releases: &[
            latest(managers(
                noted(
                    dated("8", Some(date(2019, 9, 24)), date(2021, 12, 31)),
                    "Mirrors moved to vault.centos.org in January 2022: `dnf`/`yum` fail against the default repositories.",
                ),
                RPM_DNF,
            )),
            noted(
                dated("7", Some(date(2014, 7, 7)), date(2024, 6, 30)),
                "Mirrors moved to vault.centos.org in July 2024: `yum` fails against the default repositories.",
            ),
            noted(
                dated("6", Some(date(2011, 7, 10)), date(2020, 11, 30)),
                "Mirrors moved to vault.centos.org.",
            ),
            noted(
                dated("5", Some(date(2007, 4, 12)), date(2017, 3, 31)),
                "Mirrors moved to vault.centos.org.",
            ),
        ],
    },
    Distro {
        id: D::CentOsStream,
        key: "centos-stream",
        name: "CentOS Stream",
        description: "The continuously delivered distribution just ahead of the next Red Hat Enterprise Linux minor release.",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_DNF,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://www.centos.org/centos-stream/",
        image_page: "https://quay.io/repository/centos/centos",
        tag_prefixes: &["stream", "c", "centos-stream"],
        variant_words: RHEL_VARIANTS,
        rolling: false,
        lifecycle: "Each major stream ends when the matching RHEL release leaves full support (about five years).",
        successor: "",
        releases: &[
            noted(
                dated("8", Some(date(2019, 9, 24)), date(2024, 5, 31)),
                "Mirrors moved to vault.centos.org in June 2024.",
            ),
            dated("9", Some(date(2021, 12, 3)), date(2027, 5, 31)),
            latest(Release {
                released: Some(date(2024, 12, 12)),
                ..release("10")
            }),
        ],
    },
    Distro {
        id: D::RockyLinux,
        key: "rocky",
        name: "Rocky Linux",
        description: "A community rebuild of Red Hat Enterprise Linux, bug-for-bug compatible.",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_DNF,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://rockylinux.org",
        image_page: "https://hub.docker.com/r/rockylinux/rockylinux",
        tag_prefixes: &["rockylinux", "rocky"],
        variant_words: RHEL_VARIANTS,
        rolling: false,
        lifecycle: "Follows RHEL: about ten years per major release.",
        successor: "",
        releases: &[
            dated("8", Some(date(2021, 6, 21)), date(2029, 5, 31)),
            dated("9", Some(date(2022, 7, 14)), date(2032, 5, 31)),
            latest(dated("10", Some(date(2025, 6, 11)), date(2035, 5, 31))),
        ],
    },
    Distro {
        id: D::AlmaLinux,
        key: "almalinux",
        name: "AlmaLinux",
        description: "A community enterprise distribution binary-compatible with Red Hat Enterprise Linux.",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_DNF,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://almalinux.org",
        image_page: "https://hub.docker.com/_/almalinux",
        tag_prefixes: &["almalinux", "alma"],
        variant_words: RHEL_VARIANTS,
        rolling: false,
        lifecycle: "Follows RHEL: about ten years per major release.",
        successor: "",
        releases: &[
            dated("8", Some(date(2021, 3, 30)), date(2029, 3, 1)),
            dated("9", Some(date(2022, 5, 26)), date(2032, 5, 31)),
            latest(dated("10", Some(date(2025, 5, 27)), date(2035, 5, 31))),
        ],
    },
    Distro {
        id: D::Fedora,
        key: "fedora",
        name: "Fedora",
        description: "Red Hat's community distribution with recent packages; RHEL is branched from it.",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_DNF,
        possible_managers: NONE,
        minimal_managers: &[M::Microdnf, M::Dnf],
        default_user: "root",
        homepage: "https://fedoraproject.org",
        image_page: "https://hub.docker.com/_/fedora",
        tag_prefixes: &["fedora", "fc", "f"],
        variant_words: &[("minimal", Variant::Minimal)],
        rolling: false,
        lifecycle: "A release every six months, each supported for about thirteen months.",
        successor: "",
        releases: &[
            release("rawhide"),
            latest(release("44")),
            dated("43", Some(date(2025, 10, 28)), date(2026, 12, 9)),
            dated("42", Some(date(2025, 4, 15)), date(2026, 5, 13)),
            dated("41", Some(date(2024, 10, 29)), date(2025, 12, 15)),
            dated("40", Some(date(2024, 4, 23)), date(2025, 5, 13)),
            dated("39", Some(date(2023, 11, 7)), date(2024, 11, 26)),
            dated("38", Some(date(2023, 4, 18)), date(2024, 5, 21)),
            dated("37", Some(date(2022, 11, 15)), date(2023, 12, 5)),
            dated("36", Some(date(2022, 5, 10)), date(2023, 5, 16)),
            dated("35", Some(date(2021, 11, 2)), date(2022, 12, 13)),
            dated("34", Some(date(2021, 4, 27)), date(2022, 6, 7)),
            dated("33", Some(date(2020, 10, 27)), date(2021, 11, 30)),
            dated("32", Some(date(2020, 4, 28)), date(2021, 5, 25)),
            dated("31", Some(date(2019, 10, 29)), date(2020, 11, 24)),
            dated("30", Some(date(2019, 4, 30)), date(2020, 5, 26)),
            dated("29", Some(date(2018, 10, 30)), date(2019, 11, 26)),
            dated("28", Some(date(2018, 5, 1)), date(2019, 5, 28)),
            dated("27", Some(date(2017, 11, 14)), date(2018, 11, 30)),
            dated("26", Some(date(2017, 7, 11)), date(2018, 5, 29)),
            dated("25", Some(date(2016, 11, 22)), date(2017, 12, 12)),
            dated("24", Some(date(2016, 6, 21)), date(2017, 8, 8)),
            dated("23", Some(date(2015, 11, 3)), date(2016, 12, 20)),
            dated("22", Some(date(2015, 5, 26)), date(2016, 7, 19)),
            managers(
                dated("21", Some(date(2014, 12, 9)), date(2015, 12, 1)),
                RPM_YUM,
            ),
            managers(
                dated("20", Some(date(2013, 12, 17)), date(2015, 6, 23)),
                RPM_YUM,
            ),
        ],
    },
    Distro {
        id: D::OracleLinux,
        key: "oraclelinux",
        name: "Oracle Linux",
        description: "Oracle's RHEL-compatible distribution. The `-slim` images have only `microdnf` (7-slim: `yum`).",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_YUM,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://www.oracle.com/linux/",
        image_page: "https://hub.docker.com/_/oraclelinux",
        tag_prefixes: &["oraclelinux", "ol", "oracle"],
        variant_words: &[("slim", Variant::Minimal)],
        rolling: false,
        lifecycle: "Premier support for about ten years per major release, then paid extended support.",
        successor: "",
        releases: &[
            managers(
                dated("10", Some(date(2025, 6, 26)), date(2035, 6, 30)),
                RPM_DNF,
            ),
            latest(managers(
                dated("9", Some(date(2022, 6, 30)), date(2032, 6, 30)),
                RPM_DNF,
            )),
            managers(
                dated("8", Some(date(2019, 7, 18)), date(2029, 7, 31)),
                RPM_DNF,
            ),
            Release {
                minimal_managers: Some(RPM_YUM),
                note: "Premier support ended; only paid extended support remains.",
                ..dated("7", Some(date(2014, 7, 23)), date(2024, 12, 31))
            },
            noted(
                dated("6", Some(date(2011, 2, 14)), date(2021, 3, 1)),
                "Premier support ended; extended support ended in 2024.",
            ),
        ],
    },
    Distro {
        id: D::AmazonLinux,
        key: "amazonlinux",
        name: "Amazon Linux",
        description: "AWS's distribution for EC2 and Lambda. Amazon Linux 2 uses `yum`; Amazon Linux 2023 uses `dnf` (with `yum` as an alias).",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_YUM,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://aws.amazon.com/linux/",
        image_page: "https://hub.docker.com/_/amazonlinux",
        tag_prefixes: &["amazonlinux", "al"],
        variant_words: &[],
        rolling: false,
        lifecycle: "Amazon Linux 2023 gets a new minor version quarterly and support until 2029; Amazon Linux 2 ended in 2026.",
        successor: "",
        releases: &[
            latest(managers(
                dated("2023", Some(date(2023, 3, 15)), date(2029, 6, 30)),
                RPM_DNF,
            )),
            dated("2", Some(date(2018, 6, 26)), date(2026, 6, 30)),
            Release {
                aliases: &["1"],
                ..dated("2018.03", Some(date(2018, 3, 1)), date(2023, 12, 31))
            },
        ],
    },
    Distro {
        id: D::RedHatUbi,
        key: "ubi",
        name: "Red Hat Universal Base Image",
        description: "Freely redistributable Red Hat Enterprise Linux content: `ubi` (dnf), `ubi-minimal` (microdnf), `ubi-micro` (no package manager), `ubi-init` (systemd).",
        family: Family::RedHat,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: RPM_DNF,
        possible_managers: NONE,
        minimal_managers: MICRODNF,
        default_user: "root",
        homepage: "https://www.redhat.com/en/blog/introducing-red-hat-universal-base-image",
        image_page: "https://catalog.redhat.com/software/base-images",
        tag_prefixes: &["ubi", "rhel", "el"],
        variant_words: RHEL_VARIANTS,
        rolling: false,
        lifecycle: "Follows RHEL: ten years of maintenance per major release.",
        successor: "",
        releases: &[
            latest(dated("10", Some(date(2025, 5, 20)), date(2035, 5, 31))),
            dated("9", Some(date(2022, 5, 18)), date(2032, 5, 31)),
            dated("8", Some(date(2019, 5, 7)), date(2029, 5, 31)),
            managers(
                dated("7", Some(date(2019, 5, 7)), date(2024, 6, 30)),
                RPM_YUM,
            ),
        ],
    },
    Distro {
        id: D::SuseEnterprise,
        key: "sle",
        name: "SUSE Linux Enterprise (BCI)",
        description: "SUSE's Base Container Images: `bci-base` has zypper; `bci-minimal` and `bci-micro` have no package manager.",
        family: Family::Suse,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Zypper],
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "root",
        homepage: "https://www.suse.com/products/base-container-images/",
        image_page: "https://registry.suse.com",
        tag_prefixes: &["sle", "bci"],
        variant_words: &[("minimal", Variant::Micro), ("micro", Variant::Micro)],
        rolling: false,
        lifecycle: "Each service pack is supported until six months after the next one.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::OpenSuseLeap,
        key: "leap",
        name: "openSUSE Leap",
        description: "openSUSE's regular release, built from SUSE Linux Enterprise sources.",
        family: Family::Suse,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Zypper],
        possible_managers: NONE,
        minimal_managers: &[M::Zypper],
        default_user: "root",
        homepage: "https://www.opensuse.org",
        image_page: "https://hub.docker.com/r/opensuse/leap",
        tag_prefixes: &["leap", "opensuse"],
        variant_words: &[],
        rolling: false,
        lifecycle: "Each minor release is supported for about 18 months, until six months after the next one.",
        successor: "",
        releases: &[
            latest(Release {
                released: Some(date(2025, 10, 1)),
                ..release("16.0")
            }),
            dated("15.6", Some(date(2024, 6, 12)), date(2026, 4, 30)),
            dated("15.5", Some(date(2023, 6, 7)), date(2024, 12, 31)),
            dated("15.4", Some(date(2022, 6, 8)), date(2023, 12, 7)),
            dated("15.3", Some(date(2021, 6, 2)), date(2022, 12, 31)),
            dated("15.2", Some(date(2020, 7, 2)), date(2022, 1, 4)),
            dated("15.1", Some(date(2019, 5, 22)), date(2021, 2, 2)),
            dated("15.0", Some(date(2018, 5, 25)), date(2019, 12, 3)),
            dated("42.3", Some(date(2017, 7, 26)), date(2019, 7, 1)),
        ],
    },
    Distro {
        id: D::OpenSuseTumbleweed,
        key: "tumbleweed",
        name: "openSUSE Tumbleweed",
        description: "openSUSE's rolling release: always the latest tested packages.",
        family: Family::Suse,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Zypper],
        possible_managers: NONE,
        minimal_managers: &[M::Zypper],
        default_user: "root",
        homepage: "https://get.opensuse.org/tumbleweed/",
        image_page: "https://hub.docker.com/r/opensuse/tumbleweed",
        tag_prefixes: &["tumbleweed"],
        variant_words: &[],
        rolling: true,
        lifecycle: "Rolling release: only the latest snapshot is supported.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::ArchLinux,
        key: "arch",
        name: "Arch Linux",
        description: "A rolling-release distribution with pacman; `base-devel` tags add the build toolchain.",
        family: Family::Arch,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Pacman],
        possible_managers: NONE,
        minimal_managers: &[M::Pacman],
        default_user: "root",
        homepage: "https://archlinux.org",
        image_page: "https://hub.docker.com/_/archlinux",
        tag_prefixes: &["archlinux", "arch"],
        variant_words: &[],
        rolling: true,
        lifecycle: "Rolling release: only the latest snapshot is supported.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::Photon,
        key: "photon",
        name: "VMware Photon OS",
        description: "A small container-host distribution from VMware (Broadcom) with the tdnf package manager.",
        family: Family::Photon,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Tdnf],
        // `yum` is an alias of tdnf in Photon; `dnf` is not certain either way.
        possible_managers: &[M::Yum, M::Dnf],
        minimal_managers: &[M::Tdnf],
        default_user: "root",
        homepage: "https://vmware.github.io/photon/",
        image_page: "https://hub.docker.com/_/photon",
        tag_prefixes: &["photon"],
        variant_words: &[],
        rolling: false,
        lifecycle: "A major release every couple of years, each supported for about five years.",
        successor: "",
        releases: &[
            latest(Release {
                released: Some(date(2023, 5, 1)),
                ..release("5.0")
            }),
            release("4.0"),
            dated("3.0", Some(date(2019, 2, 27)), date(2024, 3, 1)),
            dated("2.0", Some(date(2018, 3, 15)), date(2022, 12, 31)),
            release("1.0"),
        ],
    },
    Distro {
        id: D::Wolfi,
        key: "wolfi",
        name: "Wolfi (Chainguard)",
        description: "Chainguard's \"undistro\": glibc with apk packages, built for containers. Chainguard images without `-dev` have no shell and no apk.",
        family: Family::Wolfi,
        libc: Libc::Glibc,
        shell: Shell::BusyboxAsh,
        package_managers: &[M::Apk],
        possible_managers: NONE,
        minimal_managers: &[M::Apk],
        default_user: "root (most Chainguard images run as `nonroot`, uid 65532)",
        homepage: "https://wolfi.dev",
        image_page: "https://images.chainguard.dev",
        tag_prefixes: &["wolfi"],
        variant_words: &[],
        rolling: true,
        lifecycle: "Rolling: packages are rebuilt continuously; free images are only `latest` and `latest-dev`.",
        successor: "",
        releases: &[],
    },
    Distro {
        id: D::Distroless,
        key: "distroless",
        name: "Distroless (Google, Debian)",
        description: "Only the application's runtime dependencies, from Debian packages: no shell, no package manager. `:debug` tags add a BusyBox shell.",
        family: Family::Debian,
        libc: Libc::Glibc,
        shell: Shell::None,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "root (`:nonroot` tags run as uid 65532)",
        homepage: "https://github.com/GoogleContainerTools/distroless",
        image_page: "https://github.com/GoogleContainerTools/distroless",
        tag_prefixes: &["debian"],
        variant_words: &[("debug", Variant::Debug)],
        rolling: false,
        lifecycle: "Follows the Debian release it is built from.",
        successor: "",
        releases: &[
            latest(Release {
                released: Some(date(2025, 8, 9)),
                ..release("13")
            }),
            Release {
                extended_until: Some(date(2028, 6, 30)),
                ..dated("12", Some(date(2023, 6, 10)), date(2026, 6, 10))
            },
            Release {
                extended_until: Some(date(2026, 8, 31)),
                ..dated("11", Some(date(2021, 8, 14)), date(2024, 8, 14))
            },
            Release {
                extended_until: Some(date(2024, 6, 30)),
                ..dated("10", Some(date(2019, 7, 6)), date(2022, 9, 10))
            },
            Release {
                extended_until: Some(date(2022, 6, 30)),
                ..dated("9", Some(date(2017, 6, 17)), date(2020, 7, 6))
            },
        ],
    },
    Distro {
        id: D::AzureLinux,
        key: "azurelinux",
        name: "Azure Linux (CBL-Mariner)",
        description: "Microsoft's RPM-based distribution for Azure and its container images, with tdnf.",
        family: Family::AzureLinux,
        libc: Libc::Glibc,
        shell: Shell::Bash,
        package_managers: &[M::Tdnf],
        possible_managers: &[M::Dnf, M::Yum],
        minimal_managers: &[M::Tdnf],
        default_user: "root",
        homepage: "https://github.com/microsoft/azurelinux",
        image_page: "https://mcr.microsoft.com/en-us/artifact/mar/azurelinux/base/core",
        tag_prefixes: &["azurelinux", "cbl-mariner", "mariner"],
        variant_words: &[("distroless", Variant::Distroless)],
        rolling: false,
        lifecycle: "A major release about every three years.",
        successor: "",
        releases: &[
            latest(Release {
                released: Some(date(2024, 7, 31)),
                ..release("3.0")
            }),
            Release {
                aliases: &["cbl-mariner2.0"],
                ..dated("2.0", Some(date(2022, 5, 1)), date(2025, 7, 31))
            },
        ],
    },
    Distro {
        id: D::WindowsServerCore,
        key: "servercore",
        name: "Windows Server Core",
        description: "Windows Server without the desktop: the Win32 API, PowerShell and .NET Framework. Large (several GB); runs only on Windows hosts.",
        family: Family::Windows,
        libc: Libc::Windows,
        shell: Shell::Cmd,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "ContainerAdministrator",
        homepage: "https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images",
        image_page: "https://mcr.microsoft.com/en-us/artifact/mar/windows/servercore",
        tag_prefixes: &["windowsservercore", "servercore"],
        variant_words: &[],
        rolling: false,
        lifecycle: "LTSC releases follow the Windows Server lifecycle (five years mainstream, five extended); semi-annual releases got 18 months.",
        successor: "",
        releases: WINDOWS_RELEASES,
    },
    Distro {
        id: D::NanoServer,
        key: "nanoserver",
        name: "Windows Nano Server",
        description: "The smallest Windows image: no PowerShell, no 32-bit support, no MSI installers; for .NET (Core) and native applications.",
        family: Family::Windows,
        libc: Libc::Windows,
        shell: Shell::Cmd,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "ContainerUser",
        homepage: "https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images",
        image_page: "https://mcr.microsoft.com/en-us/artifact/mar/windows/nanoserver",
        tag_prefixes: &["nanoserver"],
        variant_words: &[],
        rolling: false,
        lifecycle: "Follows the Windows Server release it matches.",
        successor: "",
        releases: WINDOWS_RELEASES,
    },
    Distro {
        id: D::Windows,
        key: "windows",
        name: "Windows (full)",
        description: "The full Windows image, with the graphics and media components Server Core lacks.",
        family: Family::Windows,
        libc: Libc::Windows,
        shell: Shell::Cmd,
        package_managers: NONE,
        possible_managers: NONE,
        minimal_managers: NONE,
        default_user: "ContainerAdministrator",
        homepage: "https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-base-images",
        image_page: "https://mcr.microsoft.com/en-us/artifact/mar/windows/server",
        tag_prefixes: &["windows"],
        variant_words: &[],
        rolling: false,
        lifecycle: "Follows the Windows Server lifecycle.",
        successor: "",
        releases: WINDOWS_RELEASES,
    },
];

// Windows images have no `latest` tag: the host's release decides.
static WINDOWS_RELEASES: &[Release] = &[
    Release {
        aliases: &["10.0.26100"],
        ..dated("ltsc2025", Some(date(2024, 11, 1)), date(2034, 10, 10))
    },
    Release {
        aliases: &["10.0.20348"],
        ..dated("ltsc2022", Some(date(2021, 8, 18)), date(2031, 10, 14))
    },
    dated("20H2", Some(date(2020, 10, 20)), date(2022, 8, 9)),
    dated("2004", Some(date(2020, 5, 27)), date(2021, 12, 14)),
    dated("1909", Some(date(2019, 11, 12)), date(2021, 5, 11)),
    dated("1903", Some(date(2019, 5, 21)), date(2020, 12, 8)),
    Release {
        aliases: &["1809", "10.0.17763"],
        ..dated("ltsc2019", Some(date(2018, 11, 13)), date(2029, 1, 9))
    },
    dated("1803", Some(date(2018, 4, 30)), date(2019, 11, 12)),
    dated("1709", Some(date(2017, 10, 17)), date(2019, 4, 9)),
    Release {
        aliases: &["10.0.14393", "sac2016"],
        ..dated("ltsc2016", Some(date(2016, 10, 12)), date(2027, 1, 12))
    },
];

pub fn distro(id: DistroId) -> &'static Distro {
    DISTROS
        .iter()
        .find(|distro| distro.id == id)
        .unwrap_or(&DISTROS[0])
}

/// True for `3`, `3.20`, `7.9.2009`, `2023`: a version, not a word.
pub(crate) fn is_version(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `3.20.1` extends `3.20`; `3.2` does not extend `3.20`; `7.9.2009` extends `7`.
fn version_extends(word: &str, version: &str) -> bool {
    is_version(version)
        && word.len() > version.len()
        && word.starts_with(version)
        && word.as_bytes()[version.len()] == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_from_the_epoch() {
        assert_eq!(Date::from_days_since_epoch(0), date(1970, 1, 1));
        assert_eq!(Date::from_days_since_epoch(19_723), date(2024, 1, 1));
        assert_eq!(Date::from_days_since_epoch(20_417), date(2025, 11, 25));
        assert_eq!(date(2024, 6, 30).to_string(), "2024-06-30");
        assert!(Date::today() >= AS_OF);
    }

    #[test]
    fn every_distro_is_listed_once_and_consistent() {
        for (index, distro) in DISTROS.iter().enumerate() {
            assert!(
                DISTROS[index + 1..]
                    .iter()
                    .all(|other| other.id != distro.id),
                "{:?} twice",
                distro.id
            );
            assert_eq!(super::distro(distro.id).name, distro.name);
            let latest = distro
                .releases
                .iter()
                .filter(|release| release.latest)
                .count();
            assert!(latest <= 1, "{} has {latest} latest releases", distro.name);
            for release in distro.releases {
                if let (Some(released), Some(until)) = (release.released, release.support_until) {
                    assert!(released < until, "{} {}", distro.name, release.version);
                }
                if let (Some(until), Some(extended)) =
                    (release.support_until, release.extended_until)
                {
                    assert!(until < extended, "{} {}", distro.name, release.version);
                }
            }
            assert!(distro.homepage.starts_with("https://"), "{}", distro.name);
        }
    }

    #[test]
    fn known_support_dates() {
        let centos = distro(DistroId::CentOs);
        assert_eq!(
            centos.release("7").unwrap().end_of_life(),
            Some(date(2024, 6, 30))
        );
        assert!(
            centos
                .release("7")
                .unwrap()
                .note
                .contains("vault.centos.org")
        );
        assert_eq!(
            centos.release("8").unwrap().end_of_life(),
            Some(date(2021, 12, 31))
        );
        let debian = distro(DistroId::Debian);
        let bookworm = debian.release("12").unwrap();
        assert_eq!(bookworm.codename, Some("bookworm"));
        assert_eq!(bookworm.end_of_life(), Some(date(2028, 6, 30)));
        assert_eq!(debian.latest_release().unwrap().codename, Some("trixie"));
        let ubuntu = distro(DistroId::Ubuntu);
        assert_eq!(ubuntu.recommended_release(AS_OF).unwrap().version, "26.04");
        assert_eq!(
            ubuntu
                .recommended_release(date(2025, 1, 1))
                .unwrap()
                .version,
            "24.04"
        );
        let alpine = distro(DistroId::Alpine);
        assert_eq!(alpine.recommended_release(AS_OF).unwrap().version, "3.23");
        assert_eq!(alpine.suggested_release(AS_OF).unwrap().version, "3.24");
        assert!(distro(DistroId::CentOs).suggested_release(AS_OF).is_none());
        assert_eq!(
            distro(DistroId::Debian)
                .recommended_release(AS_OF)
                .unwrap()
                .version,
            "13"
        );
    }
}
