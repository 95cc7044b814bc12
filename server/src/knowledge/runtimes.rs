//! Language runtimes whose official images name their version in the tag (`python:3.8`,
//! `node:16-alpine`): release lines and the dates their upstream support ends.

use super::distros::{Date, date};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeId {
    Python,
    Node,
    Php,
    Ruby,
    Go,
}

#[derive(Debug)]
pub struct RuntimeRelease {
    /// `3.12`, `20`, `8.3`.
    pub version: &'static str,
    /// Node.js LTS code names (`iron`).
    pub codename: Option<&'static str>,
    pub released: Option<Date>,
    /// When upstream stops all fixes, security ones included.
    pub end_of_life: Option<Date>,
    /// A long-term-support line (Node.js even releases).
    pub long_term: bool,
}

#[derive(Debug)]
pub struct Runtime {
    pub id: RuntimeId,
    pub name: &'static str,
    /// How many dot-separated numbers name a release line (`3.12` → 2, `20` → 1).
    pub version_parts: usize,
    pub lifecycle_page: &'static str,
    pub releases: &'static [RuntimeRelease],
}

const fn line(version: &'static str, released: Option<Date>, end: Date) -> RuntimeRelease {
    RuntimeRelease {
        version,
        codename: None,
        released,
        end_of_life: Some(end),
        long_term: false,
    }
}

const fn node_lts(
    version: &'static str,
    codename: &'static str,
    released: Date,
    end: Date,
) -> RuntimeRelease {
    RuntimeRelease {
        version,
        codename: Some(codename),
        released: Some(released),
        end_of_life: Some(end),
        long_term: true,
    }
}

pub static RUNTIMES: &[Runtime] = &[
    Runtime {
        id: RuntimeId::Python,
        name: "Python",
        version_parts: 2,
        lifecycle_page: "https://devguide.python.org/versions/",
        releases: &[
            line("3.14", Some(date(2025, 10, 7)), date(2030, 10, 31)),
            line("3.13", Some(date(2024, 10, 7)), date(2029, 10, 31)),
            line("3.12", Some(date(2023, 10, 2)), date(2028, 10, 31)),
            line("3.11", Some(date(2022, 10, 24)), date(2027, 10, 31)),
            line("3.10", Some(date(2021, 10, 4)), date(2026, 10, 31)),
            line("3.9", Some(date(2020, 10, 5)), date(2025, 10, 31)),
            line("3.8", Some(date(2019, 10, 14)), date(2024, 10, 7)),
            line("3.7", Some(date(2018, 6, 27)), date(2023, 6, 27)),
            line("3.6", Some(date(2016, 12, 23)), date(2021, 12, 23)),
            line("3.5", Some(date(2015, 9, 13)), date(2020, 9, 13)),
            line("3.4", Some(date(2014, 3, 16)), date(2019, 3, 18)),
            line("3.3", Some(date(2012, 9, 29)), date(2017, 9, 29)),
            line("2.7", Some(date(2010, 7, 3)), date(2020, 1, 1)),
        ],
    },
    Runtime {
        id: RuntimeId::Node,
        name: "Node.js",
        version_parts: 1,
        lifecycle_page: "https://nodejs.org/en/about/previous-releases",
        releases: &[
            line("25", Some(date(2025, 10, 15)), date(2026, 6, 1)),
            node_lts("24", "krypton", date(2025, 5, 6), date(2028, 4, 30)),
            line("23", Some(date(2024, 10, 16)), date(2025, 6, 1)),
            node_lts("22", "jod", date(2024, 4, 24), date(2027, 4, 30)),
            line("21", Some(date(2023, 10, 17)), date(2024, 6, 1)),
            node_lts("20", "iron", date(2023, 4, 18), date(2026, 4, 30)),
            line("19", Some(date(2022, 10, 18)), date(2023, 6, 1)),
            node_lts("18", "hydrogen", date(2022, 4, 19), date(2025, 4, 30)),
            line("17", Some(date(2021, 10, 19)), date(2022, 6, 1)),
            node_lts("16", "gallium", date(2021, 4, 20), date(2023, 9, 11)),
            line("15", Some(date(2020, 10, 20)), date(2021, 6, 1)),
            node_lts("14", "fermium", date(2020, 4, 21), date(2023, 4, 30)),
            line("13", Some(date(2019, 10, 22)), date(2020, 6, 1)),
            node_lts("12", "erbium", date(2019, 4, 23), date(2022, 4, 30)),
            line("11", Some(date(2018, 10, 23)), date(2019, 6, 1)),
            node_lts("10", "dubnium", date(2018, 4, 24), date(2021, 4, 30)),
            line("9", Some(date(2017, 10, 31)), date(2018, 6, 30)),
            node_lts("8", "carbon", date(2017, 5, 30), date(2019, 12, 31)),
            line("7", Some(date(2016, 10, 25)), date(2017, 6, 30)),
            node_lts("6", "boron", date(2016, 4, 26), date(2019, 4, 30)),
            line("5", Some(date(2015, 10, 29)), date(2016, 6, 30)),
            node_lts("4", "argon", date(2015, 9, 8), date(2018, 4, 30)),
            line("0.12", Some(date(2015, 2, 6)), date(2016, 12, 31)),
            line("0.10", Some(date(2013, 3, 11)), date(2016, 10, 31)),
        ],
    },
    Runtime {
        id: RuntimeId::Php,
        name: "PHP",
        version_parts: 2,
        lifecycle_page: "https://www.php.net/supported-versions.php",
        releases: &[
            line("8.5", Some(date(2025, 11, 20)), date(2029, 12, 31)),
            line("8.4", Some(date(2024, 11, 21)), date(2028, 12, 31)),
            line("8.3", Some(date(2023, 11, 23)), date(2027, 12, 31)),
            line("8.2", Some(date(2022, 12, 8)), date(2026, 12, 31)),
            line("8.1", Some(date(2021, 11, 25)), date(2025, 12, 31)),
            line("8.0", Some(date(2020, 11, 26)), date(2023, 11, 26)),
            line("7.4", Some(date(2019, 11, 28)), date(2022, 11, 28)),
            line("7.3", Some(date(2018, 12, 6)), date(2021, 12, 6)),
            line("7.2", Some(date(2017, 11, 30)), date(2020, 11, 30)),
            line("7.1", Some(date(2016, 12, 1)), date(2019, 12, 1)),
            line("7.0", Some(date(2015, 12, 3)), date(2019, 1, 10)),
            line("5.6", Some(date(2014, 8, 28)), date(2018, 12, 31)),
            line("5.5", Some(date(2013, 6, 20)), date(2016, 7, 21)),
            line("5.4", Some(date(2012, 3, 1)), date(2015, 9, 3)),
        ],
    },
    Runtime {
        id: RuntimeId::Ruby,
        name: "Ruby",
        version_parts: 2,
        lifecycle_page: "https://www.ruby-lang.org/en/downloads/branches/",
        releases: &[
            line("3.4", Some(date(2024, 12, 25)), date(2028, 3, 31)),
            line("3.3", Some(date(2023, 12, 25)), date(2027, 3, 31)),
            line("3.2", Some(date(2022, 12, 25)), date(2026, 3, 31)),
            line("3.1", Some(date(2021, 12, 25)), date(2025, 3, 26)),
            line("3.0", Some(date(2020, 12, 25)), date(2024, 4, 23)),
            line("2.7", Some(date(2019, 12, 25)), date(2023, 3, 31)),
            line("2.6", Some(date(2018, 12, 25)), date(2022, 4, 12)),
            line("2.5", Some(date(2017, 12, 25)), date(2021, 4, 5)),
            line("2.4", Some(date(2016, 12, 25)), date(2020, 3, 31)),
            line("2.3", Some(date(2015, 12, 25)), date(2019, 3, 31)),
            line("2.2", Some(date(2014, 12, 25)), date(2018, 3, 31)),
            line("2.1", Some(date(2013, 12, 25)), date(2017, 3, 31)),
        ],
    },
    Runtime {
        id: RuntimeId::Go,
        name: "Go",
        version_parts: 2,
        lifecycle_page: "https://go.dev/doc/devel/release",
        // Each Go release is supported until the second newer one is out.
        releases: &[
            // Released in 2026; the catalog has no dates for them yet.
            RuntimeRelease {
                version: "1.27",
                codename: None,
                released: None,
                end_of_life: None,
                long_term: false,
            },
            RuntimeRelease {
                version: "1.26",
                codename: None,
                released: None,
                end_of_life: None,
                long_term: false,
            },
            RuntimeRelease {
                version: "1.25",
                codename: None,
                released: Some(date(2025, 8, 12)),
                // Ended with Go 1.27's release in 2026; the catalog does not have the date.
                end_of_life: None,
                long_term: false,
            },
            // Ended with Go 1.26's release in February 2026.
            line("1.24", Some(date(2025, 2, 11)), date(2026, 2, 10)),
            line("1.23", Some(date(2024, 8, 13)), date(2025, 8, 12)),
            line("1.22", Some(date(2024, 2, 6)), date(2025, 2, 11)),
            line("1.21", Some(date(2023, 8, 8)), date(2024, 8, 13)),
            line("1.20", Some(date(2023, 2, 1)), date(2024, 2, 6)),
            line("1.19", Some(date(2022, 8, 2)), date(2023, 8, 8)),
            line("1.18", Some(date(2022, 3, 15)), date(2023, 2, 1)),
            line("1.17", Some(date(2021, 8, 16)), date(2022, 8, 2)),
            line("1.16", Some(date(2021, 2, 16)), date(2022, 3, 15)),
            line("1.15", Some(date(2020, 8, 11)), date(2021, 8, 16)),
            line("1.14", Some(date(2020, 2, 25)), date(2021, 2, 16)),
            line("1.13", Some(date(2019, 9, 3)), date(2020, 8, 11)),
            line("1.12", Some(date(2019, 2, 25)), date(2020, 2, 25)),
            line("1.11", Some(date(2018, 8, 24)), date(2019, 9, 3)),
            line("1.10", Some(date(2018, 2, 16)), date(2019, 2, 25)),
            line("1.9", Some(date(2017, 8, 24)), date(2018, 8, 24)),
            line("1.8", Some(date(2017, 2, 16)), date(2018, 2, 16)),
        ],
    },
];

pub fn runtime(id: RuntimeId) -> &'static Runtime {
    RUNTIMES
        .iter()
        .find(|runtime| runtime.id == id)
        .unwrap_or(&RUNTIMES[0])
}

impl Runtime {
    /// The release line a tag's leading version names: `3.8.10` → 3.8, `16.20-alpine` → 16,
    /// a Node.js code name (`gallium`) → 16. A major version alone (`python:2`) names its
    /// newest line only when every line of that major has ended, so it is certainly out of
    /// support; otherwise it moves and names no line.
    pub fn release_for_tag(&self, tag: &str) -> Option<&'static RuntimeRelease> {
        let releases: &'static [RuntimeRelease] = self.releases;
        let first = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        let first = first.strip_prefix('v').unwrap_or(&first);
        if let Some(found) = releases
            .iter()
            .find(|release| release.codename == Some(first))
        {
            return Some(found);
        }
        let numbers: Vec<&str> = first.split('.').collect();
        if numbers.is_empty()
            || numbers
                .iter()
                .any(|part| part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        // Node.js 0.x lines are named by two numbers.
        let parts = if numbers[0] == "0" {
            2
        } else {
            self.version_parts
        };
        if numbers.len() >= parts {
            let line = numbers[..parts].join(".");
            return releases.iter().find(|release| release.version == line);
        }
        let prefix = format!("{}.", numbers.join("."));
        let mut lines = releases
            .iter()
            .filter(|release| release.version.starts_with(&prefix));
        let newest = lines.next()?;
        let all_ended = releases
            .iter()
            .filter(|release| release.version.starts_with(&prefix))
            .all(|release| {
                release
                    .end_of_life
                    .is_some_and(|end| end < super::distros::AS_OF)
            });
        all_ended.then_some(newest)
    }

    /// The newest line supported on `today` (for Node.js, the newest LTS line).
    pub fn recommended(&self, today: Date) -> Option<&'static RuntimeRelease> {
        let releases: &'static [RuntimeRelease] = self.releases;
        let has_long_term = releases.iter().any(|release| release.long_term);
        releases.iter().find(|release| {
            release.released.is_none_or(|released| released <= today)
                && release.end_of_life.is_none_or(|end| end >= today)
                && (!has_long_term || release.long_term)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::distros::AS_OF;

    #[test]
    fn tags_name_release_lines() {
        let python = runtime(RuntimeId::Python);
        assert_eq!(
            python.release_for_tag("3.8.10-slim").unwrap().version,
            "3.8"
        );
        assert_eq!(python.release_for_tag("2").unwrap().version, "2.7");
        assert!(python.release_for_tag("3").is_none());
        assert!(python.release_for_tag("latest").is_none());
        assert!(python.release_for_tag("alpine").is_none());
        let node = runtime(RuntimeId::Node);
        assert_eq!(
            node.release_for_tag("16.20.1-alpine").unwrap().version,
            "16"
        );
        assert_eq!(node.release_for_tag("gallium-slim").unwrap().version, "16");
        assert_eq!(node.release_for_tag("0.10").unwrap().version, "0.10");
        assert!(node.release_for_tag("lts-alpine").is_none());
        let php = runtime(RuntimeId::Php);
        assert_eq!(php.release_for_tag("7").unwrap().version, "7.4");
        assert!(php.release_for_tag("8").is_none());
        let go = runtime(RuntimeId::Go);
        assert_eq!(go.release_for_tag("1.16-alpine").unwrap().version, "1.16");
    }

    #[test]
    fn recommendations_are_supported_lines() {
        assert_eq!(
            runtime(RuntimeId::Node).recommended(AS_OF).unwrap().version,
            "24"
        );
        assert_eq!(
            runtime(RuntimeId::Python)
                .recommended(AS_OF)
                .unwrap()
                .version,
            "3.14"
        );
        for runtime in RUNTIMES {
            let mut previous: Option<Date> = None;
            for release in runtime.releases {
                if let (Some(released), Some(end)) = (release.released, release.end_of_life) {
                    assert!(released < end, "{} {}", runtime.name, release.version);
                }
                // Newest first.
                if let (Some(before), Some(released)) = (previous, release.released) {
                    assert!(released < before, "{} {}", runtime.name, release.version);
                }
                previous = release.released.or(previous);
            }
        }
    }
}
