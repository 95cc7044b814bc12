//! `check --format sarif|github|gitlab|checkstyle` against what their consumers accept: SARIF
//! against the official 2.1.0 JSON schema (the copy the `serde-sarif` crate ships), GitLab's
//! Code Quality report against `tests/schemas/gitlab-code-quality.schema.json` (written from
//! GitLab's documentation; no registry ships GitLab's own), GitHub's workflow commands against
//! their documented grammar, Checkstyle XML against its documented structure (no registry
//! ships an XSD for it). Each report must hold exactly one entry per finding of the JSON
//! report, at the same place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use dockerfile_ls_tests::{binary, workspace};
use serde_json::Value;

/// A project with findings of every severity, fixes, a file without findings, and awkward
/// characters in paths and messages.
fn project() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    let write = |relative: &str, text: &str| {
        let path = directory.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Dockerfile",
        "FROM ubuntu AS base\nMAINTAINER Jane <jane@example.com>\nRUN apt-get update\nRUN apt-get install -y curl\nFROM base AS unused\nFROM base\nCOPY --from=bse /a /b\n",
    );
    write(
        "svc, 50% off/api.Dockerfile",
        "FROM alpine:latest\nRUN apk add curl\nRUN echo \"<&'>\"\nFRM x\n",
    );
    write("clean/Dockerfile", "FROM scratch\nCOPY a /a\n");
    directory
}

fn run(directory: &Path, args: &[&str]) -> Output {
    std::process::Command::new(binary())
        .args(args)
        .current_dir(directory)
        .env("HOME", directory)
        .env("XDG_CONFIG_HOME", directory.join(".config"))
        .output()
        .expect("the binary runs")
}

/// (path, line, rule) of every finding, from the JSON report: what every format must list.
fn expected(directory: &Path) -> Vec<(String, u64, String)> {
    let output = run(directory, &["check", "--format", "json", "."]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap().trim_start_matches("./");
        for diagnostic in file["diagnostics"].as_array().unwrap() {
            found.push((
                path.to_string(),
                diagnostic["range"]["start"]["line"].as_u64().unwrap(),
                diagnostic["rule"].as_str().unwrap().to_string(),
            ));
        }
    }
    found.sort();
    assert!(
        found.len() >= 8,
        "the project should have many findings: {found:?}"
    );
    found
}

/// The SARIF 2.1.0 schema in the `serde-sarif` crate's sources (found through `cargo
/// metadata`, wherever the registry keeps them).
fn sarif_schema() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(workspace())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|package| package["name"] == "serde-sarif")
        .expect("serde-sarif is a dependency")["manifest_path"]
        .as_str()
        .unwrap()
        .to_string();
    let schema = PathBuf::from(manifest).with_file_name("src/schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap();
    let mut schema = schema;
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The schema's pattern for `language` (of runs, tools and artifacts) ends in a stray `]`,
    // which ECMAScript regexes (the ones JSON Schema names) read as a literal `]` but the
    // validator's regex engine refuses. Escaped, it means the same; we never write `language`.
    let replaced = replace_strings(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$",
    );
    assert!(replaced > 0);
    schema
}

/// Replaces every string equal to `from` in `value`; returns how many.
fn replace_strings(value: &mut Value, from: &str, to: &str) -> usize {
    match value {
        Value::String(text) if text == from => {
            *text = to.to_string();
            1
        }
        Value::Array(items) => items
            .iter_mut()
            .map(|item| replace_strings(item, from, to))
            .sum(),
        Value::Object(members) => members
            .values_mut()
            .map(|member| replace_strings(member, from, to))
            .sum(),
        _ => 0,
    }
}

fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema");
    validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema_with_one_result_per_finding() {
    let directory = project();
    let expected = expected(directory.path());
    let output = run(directory.path(), &["check", "--format", "sarif", "."]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema = sarif_schema();
    let errors = validate(&schema, &log);
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject a broken log (the test can fail).
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validate(&schema, &broken).is_empty());
    // Formats are checked too: a path with a raw space is no URI reference.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b/Dockerfile".into();
    assert!(!validate(&schema, &broken).is_empty());

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|rule| {
        rule["helpUri"]
            .as_str()
            .unwrap()
            .contains("/docs/rules.md#")
            && rule["shortDescription"]["text"].is_string()
    }));
    let mut found = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        found.push((
            uri.replace("%2C", ",")
                .replace("%20", " ")
                .replace("%25", "%"),
            location["region"]["startLine"].as_u64().unwrap(),
            result["ruleId"].as_str().unwrap().to_string(),
        ));
    }
    found.sort();
    assert_eq!(found, expected);
    // Fixes are SARIF fixes: the merge of the two RUNs replaces text in the Dockerfile.
    let merge = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| {
            result["ruleId"] == "ConsecutiveRunInstructions"
                && result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "Dockerfile"
        })
        .expect("the RUNs of Dockerfile");
    let change = &merge["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    let replacement = &change["replacements"][0];
    assert!(replacement["deletedRegion"]["startLine"].as_u64().unwrap() >= 3);
    assert!(replacement["insertedContent"]["text"].is_string());
}

#[test]
fn gitlab_code_quality_validates_with_stable_fingerprints() {
    let directory = project();
    let expected = expected(directory.path());
    let output = run(directory.path(), &["check", "--format", "gitlab", "."]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("tests/schemas/gitlab-code-quality.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let errors = validate(&schema, &report);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = report.clone();
    broken[0]["severity"] = "warning".into();
    assert!(!validate(&schema, &broken).is_empty());
    let issues = report.as_array().unwrap();
    let mut found: Vec<(String, u64, String)> = issues
        .iter()
        .map(|issue| {
            (
                issue["location"]["path"].as_str().unwrap().to_string(),
                issue["location"]["lines"]["begin"].as_u64().unwrap(),
                issue["check_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found, expected);
    let fingerprints: BTreeSet<&str> = issues
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // Stable: a line added at the top moves every finding, not one fingerprint.
    let path = directory.path().join("Dockerfile");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# a comment\n\n{text}")).unwrap();
    let output = run(directory.path(), &["check", "--format", "gitlab", "."]);
    let moved: Value = serde_json::from_slice(&output.stdout).unwrap();
    let moved: BTreeSet<&str> = moved
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(moved, fingerprints);
}

/// GitHub's unescaping of a workflow command's message and property values.
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_follow_the_workflow_command_grammar() {
    let directory = project();
    let expected = expected(directory.path());
    let output = run(directory.path(), &["check", "--format", "github", "."]);
    let text = String::from_utf8(output.stdout).unwrap();
    let mut found = Vec::new();
    for line in text.lines() {
        let rest = line.strip_prefix("::").expect("a workflow command");
        let (command, rest) = rest.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").unwrap();
        assert!(!message.is_empty() && !message.contains('\n'));
        let mut values = std::collections::BTreeMap::new();
        for property in properties.split(',') {
            let (key, value) = property.split_once('=').expect("key=value");
            // Escaped values hold no raw separator.
            assert!(!value.contains(':'), "{line}");
            values.insert(key, unescape(value));
        }
        let keys: Vec<&&str> = values.keys().collect();
        assert_eq!(
            keys,
            [&"col", &"endColumn", &"endLine", &"file", &"line", &"title"]
        );
        for number in ["line", "col", "endLine", "endColumn"] {
            assert!(values[number].parse::<u32>().unwrap() >= 1, "{line}");
        }
        let rule = values["title"]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        found.push((
            values["file"].clone(),
            values["line"].parse().unwrap(),
            rule,
        ));
    }
    found.sort();
    assert_eq!(found, expected);
    assert!(
        text.contains("file=svc%2C 50%25 off/api.Dockerfile"),
        "{text}"
    );
}

#[test]
fn checkstyle_is_well_formed_xml_of_the_documented_shape() {
    use quick_xml::events::Event;

    let directory = project();
    let expected = expected(directory.path());
    let output = run(directory.path(), &["check", "--format", "checkstyle", "."]);
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut file = String::new();
    let mut files = Vec::new();
    let mut found = Vec::new();
    let mut messages = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (element, empty) = match &event {
            Event::Start(element) => (Some(element.clone()), false),
            Event::Empty(element) => (Some(element.clone()), true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Text(_) => continue,
            other => panic!("unexpected {other:?}"),
        };
        let element = element.unwrap();
        let name = element.name().as_ref().to_string();
        let attributes: std::collections::BTreeMap<String, String> = element
            .attributes()
            .map(|attribute| {
                let attribute = attribute.unwrap();
                (
                    attribute.key.as_ref().to_string(),
                    attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect();
        let parent = stack.last().map(String::as_str);
        match (parent, name.as_str()) {
            (None, "checkstyle") => assert!(attributes.contains_key("version")),
            (Some("checkstyle"), "file") => {
                file = attributes["name"].clone();
                files.push(file.clone());
            }
            (Some("file"), "error") => {
                assert!(["error", "warning", "info"].contains(&attributes["severity"].as_str()));
                assert!(attributes["column"].parse::<u32>().unwrap() >= 1);
                let rule = attributes["source"]
                    .strip_prefix("dockerfile-ls.")
                    .unwrap()
                    .to_string();
                messages.push(attributes["message"].clone());
                found.push((file.clone(), attributes["line"].parse().unwrap(), rule));
            }
            other => panic!("unexpected element {other:?}"),
        }
        if !empty {
            stack.push(name);
        }
    }
    assert!(stack.is_empty());
    found.sort();
    assert_eq!(found, expected);
    // Every checked file is listed, findings or not.
    assert!(files.contains(&"clean/Dockerfile".to_string()), "{files:?}");
    assert!(!messages.is_empty());
}
