//! The published JSON schema of `dockerfile-ls.toml` (`schemas/dockerfile-ls.schema.json`)
//! agrees with the loader: it accepts the README's example (which the loader reads without a
//! warning), rejects what the loader rejects, and names exactly the keys the loader knows.

use std::collections::BTreeSet;
use std::path::Path;

use dockerfile_ls::config::{ConfigFile, project};
use dockerfile_ls_tests::workspace;
use serde_json::Value;

fn schema() -> Value {
    let text =
        std::fs::read_to_string(workspace().join("schemas/dockerfile-ls.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn errors(toml_text: &str) -> Vec<String> {
    let instance: Value = toml::from_str(toml_text).expect("valid TOML");
    let schema = schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema is a valid draft-07 schema");
    validator
        .iter_errors(&instance)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

fn load(toml_text: &str) -> Result<ConfigFile, String> {
    ConfigFile::parse(Path::new("/repo/dockerfile-ls.toml"), toml_text)
        .map_err(|problem| problem.to_string())
}

/// The first TOML block of the README's Configuration section.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let section = readme
        .split_once("## Configuration\n")
        .expect("a Configuration section")
        .1;
    let block = section.split_once("```toml\n").expect("a TOML example").1;
    block.split_once("```").unwrap().0.to_string()
}

#[test]
fn the_documented_example_is_valid_for_the_schema_and_the_loader() {
    let example = readme_example();
    assert!(example.contains("[[overrides]]"), "{example}");
    let found = errors(&example);
    assert!(found.is_empty(), "{found:#?}");
    let file = load(&example).unwrap();
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    assert_eq!(file.overrides.len(), 2);
}

#[test]
fn wrong_files_are_rejected_by_both() {
    for wrong in [
        "fail-level = \"loud\"\n",
        "colour = true\n",
        "[rules]\nImageTagLatest = \"fatal\"\n",
        "ignore = \"DL3059\"\n",
        "[label-schema]\nversion = \"number\"\n",
        "[[overrides]]\nignore = [\"DL3059\"]\n",
        "[[overrides]]\nfiles = []\n",
        "[[overrides]]\nfiles = [\"a\"]\n[[overrides.overrides]]\nfiles = [\"b\"]\n",
        "strict-labels = \"yes\"\n",
    ] {
        assert!(!errors(wrong).is_empty(), "the schema accepts {wrong:?}");
        assert!(load(wrong).is_err(), "the loader accepts {wrong:?}");
    }
}

fn property_names(object: &Value) -> BTreeSet<String> {
    object["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_schema_names_exactly_the_keys_the_loader_knows() {
    let schema = schema();
    let (top, entry) = project::known_keys();
    let top: BTreeSet<String> = top.iter().map(|key| key.to_string()).collect();
    let entry: BTreeSet<String> = entry.iter().map(|key| key.to_string()).collect();
    assert_eq!(property_names(&schema), top);
    assert_eq!(property_names(&schema["definitions"]["override"]), entry);
    // And each key of the schema loads with a value the schema accepts.
    let samples = [
        ("rules", "[rules]\nUnusedStage = \"off\"\n"),
        ("ignore", "ignore = [\"DL3059\"]\n"),
        ("target-stages", "target-stages = [\"test\"]\n"),
        (
            "trusted-registries",
            "trusted-registries = [\"docker.io\"]\n",
        ),
        ("label-schema", "[label-schema]\nversion = \"semver\"\n"),
        ("strict-labels", "strict-labels = true\n"),
        ("experimental", "experimental = [\"all\"]\n"),
        ("disable-ignore-pragma", "disable-ignore-pragma = true\n"),
        ("fail-level", "fail-level = \"none\"\n"),
        ("build-context", "build-context = \"services\"\n"),
        ("overrides", "[[overrides]]\nfiles = [\"a/**\"]\n"),
        (
            "$schema",
            "\"$schema\" = \"schemas/dockerfile-ls.schema.json\"\n",
        ),
    ];
    let sampled: BTreeSet<String> = samples.iter().map(|(key, _)| key.to_string()).collect();
    assert_eq!(sampled, top, "a sample per key");
    for (key, text) in samples {
        assert!(errors(text).is_empty(), "{key}: {:?}", errors(text));
        let file = load(text).unwrap_or_else(|error| panic!("{key}: {error}"));
        assert!(file.warnings.is_empty(), "{key}: {:?}", file.warnings);
    }
}
