//! BuildKit's build checks against fixtures that exercise what BuildKit's own check tests
//! expect (`frontend/dockerfile/dockerfile_lint_test.go`, replayed in our own words): each
//! `tests/fixtures/checks/NAME.Dockerfile` comes with `NAME.expected`, one `LINE RuleName` per
//! finding BuildKit reports (`docker build --check`: every stage), nothing when it reports
//! none. Our findings of BuildKit's checks must be exactly those: same rule, same line, none
//! more.

use std::collections::BTreeMap;

use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::{self, Settings, Severity, rules};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::workspace;

type Findings = Vec<(usize, String)>;

/// The findings of BuildKit's checks in `text`, by line and rule.
fn checks(text: &str, settings: &Settings) -> Vec<(usize, String, Severity)> {
    let source = SourceFile::parse(text);
    let mut found: Vec<(usize, String, Severity)> = lint::lint(&source, settings, AS_OF)
        .into_iter()
        .filter(|finding| {
            rules::BUILDKIT_CHECKS
                .iter()
                .any(|check| check.name == finding.rule.name)
        })
        .map(|finding| {
            (
                source.line_number(finding.span.start),
                finding.rule.name.to_string(),
                finding.severity,
            )
        })
        .collect();
    found.sort();
    found
}

fn fixtures() -> BTreeMap<String, (String, Findings)> {
    let directory = workspace().join("tests/fixtures/checks");
    let mut fixtures = BTreeMap::new();
    for entry in std::fs::read_dir(&directory).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".Dockerfile"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(directory.join(format!("{name}.expected")))
            .unwrap_or_else(|_| panic!("{name}.expected is missing"));
        let mut findings: Findings = expected
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let (number, rule) = line.split_once(' ').expect("LINE RuleName");
                (
                    number.parse().expect("a line number"),
                    rule.trim().to_string(),
                )
            })
            .collect();
        findings.sort();
        fixtures.insert(name.to_string(), (text, findings));
    }
    assert!(fixtures.len() > 70, "only {} fixtures", fixtures.len());
    fixtures
}

#[test]
fn buildkit_checks_fire_where_buildkit_expects_them() {
    let mut expected_total = 0;
    let mut matched = 0;
    let mut extra = 0;
    let mut differences = Vec::new();
    for (name, (text, expected)) in fixtures() {
        let found: Findings = checks(&text, &Settings::default())
            .into_iter()
            .map(|(line, rule, _)| (line, rule))
            .collect();
        expected_total += expected.len();
        let mut unmatched = found.clone();
        for want in &expected {
            match unmatched.iter().position(|got| got == want) {
                Some(at) => {
                    unmatched.remove(at);
                    matched += 1;
                }
                None => differences.push(format!("{name}: missing {} at line {}", want.1, want.0)),
            }
        }
        extra += unmatched.len();
        for (line, rule) in unmatched {
            differences.push(format!("{name}: unexpected {rule} at line {line}"));
        }
    }
    eprintln!(
        "BuildKit checks: {matched}/{expected_total} expected findings at the same line under the same name, {extra} unexpected"
    );
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn error_true_makes_the_checks_errors_and_nothing_else() {
    let text = "#check=skip=ConsistentInstructionCasing;error=true\nFROM alpine as build\nrun echo ok\nFROM alpine\nRUN apt-get install -y curl\n";
    let found = checks(text, &Settings::default());
    assert_eq!(
        found,
        vec![(2, "FromAsCasing".to_string(), Severity::Error)]
    );
    // Our own rules keep their level: a warning stays a warning.
    let source = SourceFile::parse(text);
    let untagged = lint::lint(&source, &Settings::default(), AS_OF)
        .into_iter()
        .find(|finding| finding.rule.name == "ImageTagMissing")
        .unwrap();
    assert_eq!(untagged.severity, Severity::Warning);
    // Without `error=true` the same check is a warning.
    let found = checks(&text.replacen(";error=true", "", 1), &Settings::default());
    assert_eq!(found[0].2, Severity::Warning);
}

#[test]
fn error_true_fails_only_on_the_checks_that_run() {
    // JSONArgsRecommended runs as BuildKit builds a stage: the skipped `test` stage does not
    // get it, so it cannot fail the build there. FromAsCasing runs as the file is parsed, on
    // every stage.
    let text =
        "# check=error=true\nFROM alpine:3.20 as test\nCMD echo x\nFROM alpine:3.20\nCMD echo y\n";
    let found = checks(text, &Settings::default());
    assert_eq!(
        found,
        vec![
            (2, "FromAsCasing".to_string(), Severity::Error),
            (3, "JSONArgsRecommended".to_string(), Severity::Warning),
            (5, "JSONArgsRecommended".to_string(), Severity::Error),
        ]
    );
}

#[test]
fn skip_all_leaves_our_own_rules_alone() {
    let text = "# check=skip=all\nFROM alpine as build\nRUN apt-get install -y curl\n";
    let source = SourceFile::parse(text);
    let names: Vec<&str> = lint::lint(&source, &Settings::default(), AS_OF)
        .iter()
        .map(|finding| finding.rule.name)
        .collect();
    assert!(!names.contains(&"FromAsCasing"), "{names:?}");
    assert!(names.contains(&"PackageManagerMismatch"), "{names:?}");
    // A rule of ours named exactly is skipped.
    let text = "# check=skip=PackageManagerMismatch\nFROM alpine\nRUN apt-get install -y curl\n";
    let source = SourceFile::parse(text);
    assert!(
        lint::lint(&source, &Settings::default(), AS_OF)
            .iter()
            .all(|finding| finding.rule.name != "PackageManagerMismatch")
    );
}

#[test]
fn hadolint_codes_still_silence_the_checks_they_alias() {
    for (code, text) in [
        (
            "DL3025",
            "FROM alpine\n# hadolint ignore=DL3025\nCMD serve\n",
        ),
        (
            "DL3000",
            "FROM alpine\n# hadolint ignore=DL3000\nWORKDIR srv\n",
        ),
        (
            "DL4003",
            "FROM alpine\nCMD [\"a\"]\n# hadolint ignore=DL4003\nCMD [\"b\"]\n",
        ),
        (
            "DL3064",
            "FROM alpine\n# hadolint ignore=DL3064\nARG API_TOKEN\n",
        ),
        (
            "DL3029",
            "# hadolint ignore=DL3029\nFROM --platform=linux/amd64 alpine\n",
        ),
    ] {
        assert!(checks(text, &Settings::default()).is_empty(), "{code}");
    }
}

#[test]
fn the_target_stages_setting_limits_the_checks_of_built_stages() {
    let text = "FROM alpine AS test\nENV mode value\nFROM alpine AS app\nCMD serve\n";
    let all = checks(text, &Settings::default());
    assert_eq!(all.len(), 2);
    let settings = Settings {
        target_stages: vec!["app".into()],
        ..Settings::default()
    };
    let built: Vec<String> = checks(text, &settings)
        .into_iter()
        .map(|(_, rule, _)| rule)
        .collect();
    assert_eq!(built, vec!["JSONArgsRecommended".to_string()]);
}
