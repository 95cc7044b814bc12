//! Bake files (`docker-bake.hcl`, `docker-bake.json`): every `target` block with its context,
//! Dockerfile, stage, build arguments and named contexts, `inherits` followed. Strings may use
//! `${NAME}` where `NAME` is a `variable` block with a literal default; anything else (a
//! function call, an expression, a variable set only from the environment) leaves the value
//! unknown. HCL is read with hcl-edit, for the byte span of each `target = "..."`; JSON with
//! serde_json, where the span of a target's stage is found by its key in the text.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::template::Element;

use super::builds::{self, BuildDefinition, Tool};

/// A target as written, before inheritance: every field optional.
#[derive(Clone, Debug, Default)]
struct RawTarget {
    context: Option<Value>,
    dockerfile: Option<Value>,
    dockerfile_inline: bool,
    /// The stage, with the byte span of its string when known.
    target: Option<(Value, Option<std::ops::Range<usize>>)>,
    args: BTreeMap<String, Value>,
    contexts: BTreeMap<String, Value>,
    inherits: Vec<String>,
}

/// A value: known text, or unknown.
type Value = Option<String>;

/// Bake's `${NAME}` in a JSON string, with `variables` (literal defaults) known.
fn template(text: &str, variables: &HashMap<String, String>) -> Value {
    let mut output = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        // `$${` writes `${` literally.
        if at > 0 && rest[..at].ends_with('$') {
            output.push_str(&rest[..at - 1]);
            output.push_str("${");
            rest = &rest[at + 2..];
            continue;
        }
        output.push_str(&rest[..at]);
        let inner = &rest[at + 2..];
        let end = inner.find('}')?;
        output.push_str(variables.get(inner[..end].trim())?);
        rest = &inner[end + 1..];
    }
    output.push_str(rest);
    Some(output)
}

/// An HCL expression's value where it is a literal, or a template of literals and known
/// variables.
fn evaluate(expression: &Expression, variables: &HashMap<String, String>) -> Value {
    match expression {
        Expression::String(text) => Some(text.value().clone()),
        Expression::Number(number) => Some(number.value().to_string()),
        Expression::Bool(value) => Some(value.value().to_string()),
        Expression::StringTemplate(parts) => {
            let mut output = String::new();
            for element in parts.iter() {
                match element {
                    Element::Literal(literal) => output.push_str(literal.value()),
                    Element::Interpolation(interpolation) => match &interpolation.expr {
                        Expression::Variable(name) => {
                            output.push_str(variables.get(name.value().as_str())?)
                        }
                        other => output.push_str(&evaluate(other, variables)?),
                    },
                    Element::Directive(_) => return None,
                }
            }
            Some(output)
        }
        Expression::Variable(name) => variables.get(name.value().as_str()).cloned(),
        Expression::Parenthesis(inner) => evaluate(inner.inner(), variables),
        _ => None,
    }
}

/// An object's `key = value` pairs, keys as text.
fn object_pairs(
    expression: &Expression,
    variables: &HashMap<String, String>,
) -> BTreeMap<String, Value> {
    let mut pairs = BTreeMap::new();
    let Expression::Object(object) = expression else {
        return pairs;
    };
    for (key, value) in object.iter() {
        let key = match key {
            ObjectKey::Ident(ident) => Some(ident.value().to_string()),
            ObjectKey::Expression(expression) => evaluate(expression, variables),
        };
        if let Some(key) = key {
            pairs.insert(key, evaluate(value.expr(), variables));
        }
    }
    pairs
}

fn block_name(labels: &[BlockLabel]) -> Option<String> {
    match labels.first()? {
        BlockLabel::String(text) => Some(text.value().clone()),
        BlockLabel::Ident(ident) => Some(ident.value().to_string()),
    }
}

/// The literal defaults of `variable` blocks.
fn hcl_variables(body: &Body) -> HashMap<String, String> {
    let mut variables = HashMap::new();
    // Defaults may use earlier variables; a few rounds settle chains.
    for _ in 0..4 {
        for block in body.get_blocks("variable") {
            let Some(name) = block_name(&block.labels) else {
                continue;
            };
            if let Some(default) = block.body.get_attribute("default")
                && let Some(value) = evaluate(&default.value, &variables)
            {
                variables.insert(name, value);
            }
        }
    }
    variables
}

/// The builds of a `docker-bake.hcl`.
pub fn parse_hcl(path: &Path, text: &str) -> Result<Vec<BuildDefinition>, String> {
    let body: Body = hcl_edit::parser::parse_body(text).map_err(|error| error.to_string())?;
    let variables = hcl_variables(&body);
    let mut targets = BTreeMap::new();
    for block in body.get_blocks("target") {
        let Some(name) = block_name(&block.labels) else {
            continue;
        };
        let mut raw = RawTarget::default();
        for attribute in block.body.attributes() {
            let value = &attribute.value;
            match attribute.key.value().as_str() {
                "context" => raw.context = Some(evaluate(value, &variables)),
                "dockerfile" => raw.dockerfile = Some(evaluate(value, &variables)),
                "dockerfile-inline" => raw.dockerfile_inline = true,
                "target" => raw.target = Some((evaluate(value, &variables), value.span())),
                "args" => raw.args = object_pairs(value, &variables),
                "contexts" => raw.contexts = object_pairs(value, &variables),
                "inherits" => {
                    if let Expression::Array(array) = value {
                        raw.inherits = array
                            .iter()
                            .filter_map(|item| evaluate(item, &variables))
                            .collect();
                    }
                }
                _ => {}
            }
        }
        targets.insert(name, raw);
    }
    Ok(definitions(path, text, &targets))
}

/// The builds of a `docker-bake.json`.
pub fn parse_json(path: &Path, text: &str) -> Result<Vec<BuildDefinition>, String> {
    let document: serde_json::Value =
        serde_json::from_str(text).map_err(|error| error.to_string())?;
    let mut variables = HashMap::new();
    if let Some(declared) = document.get("variable").and_then(|value| value.as_object()) {
        for _ in 0..4 {
            for (name, variable) in declared {
                if let Some(default) = variable.get("default").and_then(json_text)
                    && let Some(value) = template(&default, &variables)
                {
                    variables.insert(name.clone(), value);
                }
            }
        }
    }
    let mut targets = BTreeMap::new();
    let declared = document.get("target").and_then(|value| value.as_object());
    for (name, target) in declared.into_iter().flatten() {
        let field = |key: &str| -> Option<Value> {
            target
                .get(key)
                .map(|value| json_text(value).and_then(|text| template(&text, &variables)))
        };
        let pairs = |key: &str| -> BTreeMap<String, Value> {
            target
                .get(key)
                .and_then(|value| value.as_object())
                .map(|object| {
                    object
                        .iter()
                        .map(|(key, value)| {
                            let value =
                                json_text(value).and_then(|text| template(&text, &variables));
                            (key.clone(), value)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let stage = field("target");
        let span = stage
            .as_ref()
            .and_then(|_| target.get("target")?.as_str())
            .and_then(|written| json_string_span(text, name, written));
        targets.insert(
            name.clone(),
            RawTarget {
                context: field("context"),
                dockerfile: field("dockerfile"),
                dockerfile_inline: target.get("dockerfile-inline").is_some(),
                target: stage.map(|stage| (stage, span)),
                args: pairs("args"),
                contexts: pairs("contexts"),
                inherits: target
                    .get("inherits")
                    .and_then(|value| value.as_array())
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|item| item.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        );
    }
    Ok(definitions(path, text, &targets))
}

/// A JSON scalar as text.
fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}

/// Where the `"target": "<written>"` of target `name` is in the JSON text: the string after
/// the target's key, found by searching forward from `"<name>"` for `"target"` and the quoted
/// value. (serde_json keeps no positions; a target whose stage cannot be found this way still
/// counts, it only cannot be renamed.)
fn json_string_span(text: &str, name: &str, written: &str) -> Option<std::ops::Range<usize>> {
    let quoted_name = serde_json::to_string(name).ok()?;
    let quoted_value = serde_json::to_string(written).ok()?;
    let mut search = 0;
    while let Some(found) = text[search..].find(&quoted_name) {
        let after_name = search + found + quoted_name.len();
        let rest = &text[after_name..];
        if rest.trim_start().starts_with(':') {
            let key = rest.find("\"target\"")?;
            let after_key = after_name + key + "\"target\"".len();
            let colon = text[after_key..].trim_start();
            if let Some(value) = colon.strip_prefix(':') {
                let value_start = text.len() - value.trim_start().len();
                if text[value_start..].starts_with(&quoted_value) {
                    return Some(value_start..value_start + quoted_value.len());
                }
            }
            return None;
        }
        search = after_name;
    }
    None
}

/// A target with its parents' fields filled in (`inherits`, the later parent winning, the
/// target itself over all).
fn inherited(name: &str, targets: &BTreeMap<String, RawTarget>, depth: usize) -> RawTarget {
    let Some(own) = targets.get(name) else {
        return RawTarget::default();
    };
    if depth > 16 || own.inherits.is_empty() {
        return own.clone();
    }
    let mut merged = RawTarget::default();
    for parent in &own.inherits {
        let parent = inherited(parent, targets, depth + 1);
        overlay(&mut merged, parent);
    }
    overlay(&mut merged, own.clone());
    merged
}

fn overlay(base: &mut RawTarget, top: RawTarget) {
    if top.context.is_some() {
        base.context = top.context;
    }
    if top.dockerfile.is_some() {
        base.dockerfile = top.dockerfile;
    }
    base.dockerfile_inline |= top.dockerfile_inline;
    if top.target.is_some() {
        base.target = top.target;
    }
    base.args.extend(top.args);
    base.contexts.extend(top.contexts);
}

fn definitions(
    path: &Path,
    text: &str,
    targets: &BTreeMap<String, RawTarget>,
) -> Vec<BuildDefinition> {
    let directory = path.parent().unwrap_or(Path::new("/"));
    let mut found = Vec::new();
    for name in targets.keys() {
        let target = inherited(name, targets, 0);
        let resolved = target.clone();
        if target.dockerfile_inline {
            continue;
        }
        let context = match target.context {
            None => ".".to_string(),
            Some(Some(context)) => context,
            Some(None) => continue,
        };
        if builds::is_remote(&context) {
            continue;
        }
        let dockerfile = match target.dockerfile {
            None => "Dockerfile".to_string(),
            Some(Some(dockerfile)) => dockerfile,
            Some(None) => continue,
        };
        let context = builds::resolve_path(directory, &context);
        let dockerfile = builds::resolve_path(&context, &dockerfile);
        let (target, target_place) = match target.target {
            Some((Some(stage), span)) => {
                let place = span
                    .map(|span| builds::place(path, text, span))
                    .filter(|place| text.get(place.span.clone()) == Some(stage.as_str()));
                (Some(stage), place)
            }
            _ => (None, None),
        };
        let definition = BuildDefinition {
            file: path.to_path_buf(),
            tool: Tool::Bake,
            name: name.clone(),
            context,
            dockerfile,
            target,
            target_place,
            args: resolved
                .args
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            contexts: resolved
                .contexts
                .iter()
                .filter_map(|(name, value)| Some((name.clone(), value.clone()?)))
                .collect(),
        };
        found.push(definition);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn hcl_targets_with_variables_and_inheritance() {
        let text = r#"
variable "TAG" { default = "3.20" }
variable "FROM_ENV" {}
group "default" { targets = ["app", "test"] }
target "_common" {
  args = { BASE = "alpine:${TAG}" }
}
target "app" {
  inherits = ["_common"]
  context = "./app"
  dockerfile = "build/Dockerfile"
  target = "runtime"
  args = { VERSION = "1.0", WHO = "${FROM_ENV}", N = 3 }
  contexts = { assets = "./assets" }
}
target "test" {
  inherits = ["app"]
  target = "test"
}
target "inline" { dockerfile-inline = "FROM alpine" }
target "remote" { context = "https://github.com/a/b.git" }
"#;
        let path = Path::new("/repo/docker-bake.hcl");
        let found = parse_hcl(path, text).unwrap();
        let names: Vec<&str> = found.iter().map(|build| build.name.as_str()).collect();
        assert_eq!(names, vec!["_common", "app", "test"]);
        let app = &found[1];
        assert_eq!(app.context, PathBuf::from("/repo/app"));
        assert_eq!(app.dockerfile, PathBuf::from("/repo/app/build/Dockerfile"));
        assert_eq!(app.target.as_deref(), Some("runtime"));
        let place = app.target_place.as_ref().unwrap();
        assert_eq!(&text[place.span.clone()], "runtime");
        let args: BTreeMap<_, _> = app.args.iter().cloned().collect();
        assert_eq!(args["BASE"].as_deref(), Some("alpine:3.20"));
        assert_eq!(args["VERSION"].as_deref(), Some("1.0"));
        assert_eq!(args["N"].as_deref(), Some("3"));
        assert_eq!(args["WHO"], None);
        assert_eq!(
            app.contexts,
            vec![("assets".to_string(), "./assets".to_string())]
        );
        let test = &found[2];
        assert_eq!(test.dockerfile, app.dockerfile);
        assert_eq!(
            &text[test.target_place.as_ref().unwrap().span.clone()],
            "test"
        );
        assert!(parse_hcl(path, "target \"x\" {").is_err());
    }

    #[test]
    fn json_targets() {
        let text = r#"{
  "variable": {"TAG": {"default": "1"}},
  "target": {
    "api": {"context": "api", "target": "prod", "args": {"V": "${TAG}"}},
    "web": {"dockerfile": "web.Dockerfile"}
  }
}"#;
        let path = Path::new("/r/docker-bake.json");
        let found = parse_json(path, text).unwrap();
        assert_eq!(found.len(), 2);
        let api = &found[0];
        assert_eq!(api.dockerfile, PathBuf::from("/r/api/Dockerfile"));
        assert_eq!(api.args, vec![("V".to_string(), Some("1".to_string()))]);
        assert_eq!(api.target.as_deref(), Some("prod"));
        let place = api.target_place.as_ref().unwrap();
        assert_eq!(&text[place.span.clone()], "prod");
        assert_eq!(found[1].dockerfile, PathBuf::from("/r/web.Dockerfile"));
        assert_eq!(template("$${x}", &HashMap::new()).as_deref(), Some("${x}"));
        assert!(parse_json(path, "{").is_err());
    }
}
