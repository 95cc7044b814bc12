//! The cases that once broke builds, fixed with the fix engine as `check --fix` fixes them
//! (safe fixes, and every fix): the package index an install reads is still there, simulated
//! per stage with `lint::package_index::missing_indexes`. The corpus gets the same check in
//! `fix_corpus.rs`.

use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::knowledge::package_managers::ManagerId;
use dockerfile_ls::lint::fix::{FixOptions, fix_text};
use dockerfile_ls::lint::{Settings, package_index};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::workspace;

fn fixed(text: &str, unsafe_fixes: bool) -> String {
    let options = FixOptions {
        unsafe_fixes,
        ..FixOptions::default()
    };
    let result = fix_text(text, &Settings::default(), AS_OF, options);
    assert!(result.settled && result.refused.is_none(), "{result:?}");
    result.text
}

/// How many reads of a certainly missing apt or apk index `text` has.
fn missing(text: &str, manager: ManagerId) -> usize {
    package_index::missing_indexes(&SourceFile::new(text.to_string(), None))
        .iter()
        .filter(|(_, found)| *found == manager)
        .count()
}

#[test]
fn the_cases_that_broke_builds_keep_their_index() {
    let example = std::fs::read_to_string(workspace().join("examples/Dockerfile")).unwrap();
    let cases = [
        (example.as_str(), ManagerId::Apt),
        (
            "FROM debian:bookworm-slim\nRUN apt-get update\nENV X=1\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            ManagerId::Apt,
        ),
        (
            "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y ca-certificates curl\n",
            ManagerId::Apt,
        ),
        (
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n",
            ManagerId::Apt,
        ),
        (
            "FROM alpine:3.20 AS base\nRUN apk update && apk add curl\nFROM base\nRUN apk add git\n",
            ManagerId::Apk,
        ),
    ];
    for (text, manager) in cases {
        for unsafe_fixes in [false, true] {
            let after = fixed(text, unsafe_fixes);
            assert_eq!(
                missing(&after, manager),
                missing(text, manager),
                "unsafe fixes: {unsafe_fixes}\n{after}"
            );
        }
    }
}

/// The simulation itself sees the break the old fixes made: a cleanup between the update and
/// the install, in one RUN or across two.
#[test]
fn the_simulation_sees_a_removed_index() {
    let broken = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/* \\\n    && apt-get install -y curl\n";
    assert_eq!(missing(broken, ManagerId::Apt), 1);
    let broken = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nENV X=1\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(missing(broken, ManagerId::Apt), 1);
}

/// The example's safe fixes give the one RUN a reviewer would write.
#[test]
fn the_example_is_fixed_into_one_run() {
    let text = std::fs::read_to_string(workspace().join("examples/Dockerfile")).unwrap();
    let after = fixed(&text, false);
    assert!(
        after.contains(
            "RUN apt-get update && apt-get install -y ca-certificates curl && rm -rf /var/lib/apt/lists/*\n"
        ),
        "{after}"
    );
    // The merge stays the user's call: the builder's two RUNs are still two.
    assert!(
        after.contains("RUN go mod download\nCOPY . .\nRUN CGO_ENABLED"),
        "{after}"
    );
}
