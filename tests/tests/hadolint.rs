//! The layer rules against hadolint's findings on the corpus (`../shared/corpus/oracle/hadolint`):
//! per hadolint code, how many findings agree, how many only hadolint has and how many only
//! we have. Every difference must fall into a class the rule's documentation explains; the
//! test names the class of each and fails on one it cannot explain.

use std::collections::{BTreeMap, BTreeSet};

use dockerfile_ls::knowledge::package_managers::{self, ManagerId};
use dockerfile_ls::lint::{self, Settings};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls_tests::{corpus, corpus_files, read_lossy};
use serde_json::Value;

fn alias_of_manager(id: ManagerId) -> Option<&'static str> {
    Some(match id {
        ManagerId::Apt => "DL3009",
        ManagerId::Apk => "DL3019",
        ManagerId::Yum => "DL3032",
        ManagerId::Zypper => "DL3036",
        ManagerId::Dnf | ManagerId::Microdnf => "DL3040",
        ManagerId::Pip => "DL3042",
        ManagerId::Yarn => "DL3060",
        _ => return None,
    })
}

const CODES: [&str; 8] = [
    "DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060", "DL3059",
];

#[test]
fn layer_rules_against_hadolint() {
    // code -> (agree, only hadolint, only ours)
    let mut tally: BTreeMap<&str, (usize, usize, usize)> =
        CODES.iter().map(|code| (*code, (0, 0, 0))).collect();
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let oracle: Value = serde_json::from_str(
            &std::fs::read_to_string(
                corpus()
                    .join("oracle/hadolint")
                    .join(format!("{name}.json")),
            )
            .unwrap(),
        )
        .unwrap();
        let hadolint_failed = oracle
            .as_array()
            .unwrap()
            .iter()
            .any(|finding| finding["code"] == "DL1000");
        let theirs: BTreeSet<(String, usize)> = oracle
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| CODES.contains(&finding["code"].as_str().unwrap_or("")))
            .map(|finding| {
                (
                    finding["code"].as_str().unwrap().to_string(),
                    finding["line"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        let text = read_lossy(&path);
        let source = SourceFile::parse(&text);
        let mut ours: BTreeSet<(String, usize)> = BTreeSet::new();
        for diagnostic in lint::lint(
            &source,
            &Settings::default(),
            dockerfile_ls::knowledge::distros::AS_OF,
        ) {
            let Some(index) = lint::instruction_at(&source, diagnostic.span.start) else {
                continue;
            };
            let line = text[..source.instructions()[index].span.start]
                .matches('\n')
                .count()
                + 1;
            let code = match diagnostic.rule.name {
                "ConsecutiveRunInstructions" => Some("DL3059"),
                "PackageCacheNotCleaned" => {
                    let program = diagnostic
                        .message
                        .trim_start_matches('`')
                        .split([' ', '`'])
                        .next()
                        .unwrap_or("");
                    package_managers::by_program(program)
                        .and_then(|manager| alias_of_manager(manager.id))
                }
                _ => None,
            };
            if let Some(code) = code {
                ours.insert((code.to_string(), line));
            }
        }
        let explain = |finding: &(String, usize), ours_only: bool| -> &'static str {
            explain_difference(&source, &text, finding, ours_only, hadolint_failed)
        };
        for finding in theirs.union(&ours) {
            let entry = tally.get_mut(finding.0.as_str()).unwrap();
            let (in_theirs, in_ours) = (theirs.contains(finding), ours.contains(finding));
            match (in_theirs, in_ours) {
                (true, true) => entry.0 += 1,
                (true, false) => entry.1 += 1,
                _ => entry.2 += 1,
            }
            if in_theirs != in_ours {
                let side = if in_theirs {
                    "only hadolint"
                } else {
                    "only ours"
                };
                let key = format!("{} {side}: {}", finding.0, explain(finding, in_ours));
                samples
                    .entry(key)
                    .or_default()
                    .push(format!("{name}:{}", finding.1));
            }
        }
    }
    eprintln!("code     agree  only-hadolint  only-ours");
    for (code, (agree, theirs, ours)) in &tally {
        eprintln!("{code}   {agree:>6}  {theirs:>13}  {ours:>9}");
    }
    let mut unexplained = Vec::new();
    for (key, list) in &samples {
        eprintln!(
            "{key}: {} e.g. {}",
            list.len(),
            list.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        );
        if key.ends_with(UNEXPLAINED) {
            unexplained.extend(list.iter().cloned());
        }
    }
    assert!(
        unexplained.is_empty(),
        "differences no documented class explains: {unexplained:?}"
    );
}

const UNEXPLAINED: &str = "UNEXPLAINED";

/// Why we and hadolint disagree on one finding: the classes the rules' documentation names.
fn explain_difference(
    source: &SourceFile,
    text: &str,
    finding: &(String, usize),
    ours_only: bool,
    hadolint_failed: bool,
) -> &'static str {
    if hadolint_failed {
        return "hadolint could not parse the file";
    }
    let (code, line) = (finding.0.as_str(), finding.1);
    let Some(index) = source
        .instructions()
        .iter()
        .position(|instruction| text[..instruction.span.start].matches('\n').count() + 1 == line)
    else {
        return UNEXPLAINED;
    };
    let instruction = &source.instructions()[index];
    let run_text: &str = &instruction.logical.text;
    if code == "DL3059" {
        return if ours_only {
            "hadolint only flags single-command RUNs after single-command RUNs"
        } else {
            UNEXPLAINED
        };
    }
    let stage = source.stages.stage_of(index).map(|stage| stage.index);
    let last = source.stages.stages.len().checked_sub(1);
    let heredoc_or_inline = source.scripts(index).iter().any(|script| {
        !matches!(
            script.origin,
            dockerfile_ls::syntax::ScriptOrigin::CommandLine
        ) || script
            .script
            .commands()
            .iter()
            .any(|command| command.from_inline_script)
    });
    if ours_only {
        if stage != last {
            return "the stage is the base of the final stage: its layers ship";
        }
        if code == "DL3009" && run_text.contains("/var/lib/apt/lists") {
            return "a later apt-get update writes the lists again after they were removed";
        }
        if code == "DL3019"
            && (run_text.contains("apk update")
                || run_text.contains("apk upgrade")
                || run_text.contains("apk --update"))
        {
            return "apk update/upgrade fills the cache even when apk add has --no-cache";
        }
        if heredoc_or_inline {
            return "hadolint does not read heredoc or sh -c scripts";
        }
        if code == "DL3040" && run_text.contains("microdnf") {
            return "hadolint misses microdnf in some chains";
        }
        if code == "DL3060" && !run_text.contains("yarn install") {
            return "a bare `yarn` installs too";
        }
        if code == "DL3040" && !run_text.contains("install") {
            return "hadolint looks at dnf install only; swap, reinstall and upgrade fill the cache too";
        }
        if code == "DL3032" && run_text.contains(';') {
            return "hadolint misses yum after `;` chains";
        }
        return UNEXPLAINED;
    }
    let shipped = dockerfile_ls::lint::layers::shipped_stages(source, &Settings::default());
    if stage.is_some_and(|stage| !shipped[stage]) {
        return "the stage is a builder: its layers do not reach the image";
    }
    if !dockerfile_ls::lint::layers::uncommitted_mounts(instruction.effective()).is_empty() {
        return "a cache mount keeps the cache out of the layer";
    }
    if code == "DL3042" {
        let scope = source.stages.scope_at(&source.file, index);
        if scope.lookup("PIP_NO_CACHE_DIR").is_some() || run_text.contains("PIP_NO_CACHE_DIR") {
            return "PIP_NO_CACHE_DIR is set";
        }
        if run_text.contains("--no-cache-dir") {
            return "every pip call that fills the cache has --no-cache-dir";
        }
    }
    if code == "DL3009" && !run_text.contains("update") {
        return "no apt-get update in this RUN: it writes no lists";
    }
    if code == "DL3009" && run_text.contains("dist-clean") {
        return "apt-get dist-clean (apt 3) removes the lists; hadolint does not know it";
    }
    if code == "DL3009" && run_text.contains("/var/lib/apt/lists") {
        return "the lists are removed in a form hadolint does not accept (rm -r of the directory)";
    }
    if run_text.contains(" clean") || run_text.contains("rm -rf /var/cache") {
        return "the cache is cleaned in a form hadolint does not accept";
    }
    UNEXPLAINED
}
