//! The server's settings as the editor sends them (section `dockerfileLs`, camelCase keys):
//!
//! ```json
//! { "rules": { "ConsecutiveRunInstructions": "off", "DL3008": "error" },
//!   "ignore": ["UnusedStage"],
//!   "targetStages": ["test"] }
//! ```
//!
//! Everything is optional; unknown keys and bad values are logged and skipped.

use serde_json::Value;

use crate::lint::{self, Level};

/// The settings section name.
pub const SECTION: &str = "dockerfileLs";

/// The keys this module understands (the VS Code extension mirrors them one to one).
pub const KEYS: &[&str] = &["rules", "ignore", "targetStages"];

/// Reads settings from `value`, which is either the section itself or an object holding it.
/// Returns the settings and a warning per thing it skipped.
pub fn parse(value: &Value) -> (lint::Settings, Vec<String>) {
    let mut settings = lint::Settings::default();
    let mut warnings = Vec::new();
    let section = match value.get(SECTION) {
        Some(section) => section,
        None => value,
    };
    let Some(object) = section.as_object() else {
        if !section.is_null() {
            warnings.push(format!("settings: expected an object, got {section}"));
        }
        return (settings, warnings);
    };
    for (key, value) in object {
        match key.as_str() {
            "rules" => read_rules(value, &mut settings, &mut warnings),
            "ignore" => settings.ignore = read_names(key, value, &mut warnings, true),
            "targetStages" => settings.target_stages = read_names(key, value, &mut warnings, false),
            // Client-side settings of the VS Code extension, not for the server.
            "server" | "trace" => {}
            other => warnings.push(format!("settings: unknown key \"{other}\" ignored")),
        }
    }
    (settings, warnings)
}

fn read_rules(value: &Value, settings: &mut lint::Settings, warnings: &mut Vec<String>) {
    let Some(rules) = value.as_object() else {
        warnings.push(format!(
            "settings: \"rules\" should be an object, got {value}"
        ));
        return;
    };
    for (name, level) in rules {
        if lint::find_rule(name).is_none() {
            warnings.push(format!("settings: unknown rule \"{name}\" ignored"));
            continue;
        }
        match level.as_str().and_then(Level::parse) {
            Some(level) => {
                settings.levels.insert(name.clone(), level);
            }
            None => warnings.push(format!(
                "settings: rule \"{name}\": expected off, hint, info, warning or error, got {level}"
            )),
        }
    }
}

fn read_names(key: &str, value: &Value, warnings: &mut Vec<String>, rules: bool) -> Vec<String> {
    let Some(items) = value.as_array() else {
        warnings.push(format!(
            "settings: \"{key}\" should be a list of names, got {value}"
        ));
        return Vec::new();
    };
    let mut names = Vec::new();
    for item in items {
        match item.as_str() {
            Some(name) if rules && lint::find_rule(name).is_none() => {
                warnings.push(format!(
                    "settings: \"{key}\": unknown rule \"{name}\" ignored"
                ));
            }
            Some(name) => names.push(name.to_string()),
            None => warnings.push(format!("settings: \"{key}\": {item} is not a name")),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_levels_ignores_and_targets() {
        let (settings, warnings) = parse(&json!({
            "dockerfileLs": {
                "rules": {"MaintainerDeprecated": "error", "DL3024": "off", "Nope": "error", "ParseError": "loud"},
                "ignore": ["UnknownInstruction", "Nope"],
                "targetStages": ["test"],
                "colour": true
            }
        }));
        let maintainer = lint::find_rule("MaintainerDeprecated").unwrap();
        assert_eq!(settings.level(maintainer), Level::On(lint::Severity::Error));
        assert_eq!(
            settings.level(lint::find_rule("DuplicateStageName").unwrap()),
            Level::Off
        );
        assert_eq!(
            settings.level(lint::find_rule("UnknownInstruction").unwrap()),
            Level::Off
        );
        assert_eq!(settings.target_stages, vec!["test".to_string()]);
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn the_section_itself_and_null_are_accepted() {
        let (settings, warnings) = parse(&json!({"ignore": ["DL4000"]}));
        assert_eq!(settings.ignore, vec!["DL4000".to_string()]);
        assert!(warnings.is_empty());
        assert!(parse(&Value::Null).1.is_empty());
    }
}
