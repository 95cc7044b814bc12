//! Compose files (`compose.yaml` and its other names): each service's `build` section, read
//! with serde-saphyr (spans of the values, YAML anchors and merge keys). Compose's variable
//! interpolation is applied where it needs nothing from the environment: `$$` is a dollar,
//! `${NAME:-default}` and `${NAME-default}` take their literal default; any other variable
//! leaves the value unknown (compose would read it from the environment or `.env`, which a
//! language server cannot know to match the build).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::builds::{self, BuildDefinition, Tool};

#[derive(Deserialize)]
struct ComposeFile {
    #[serde(default)]
    services: Option<BTreeMap<String, Option<Service>>>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    build: Option<Build>,
}

/// `build:` is a context path or a map.
enum Build {
    Context(String),
    Full(BuildMap),
}

#[derive(Deserialize, Default)]
struct BuildMap {
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    dockerfile: Option<String>,
    #[serde(default)]
    dockerfile_inline: Option<de::IgnoredAny>,
    #[serde(default)]
    target: Option<Spanned<String>>,
    #[serde(default)]
    args: Option<Pairs>,
    #[serde(default)]
    additional_contexts: Option<Pairs>,
}

impl<'de> Deserialize<'de> for Build {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Build, D::Error> {
        struct BuildVisitor;
        impl<'de> Visitor<'de> for BuildVisitor {
            type Value = Build;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a build context or a build section")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Build, E> {
                Ok(Build::Context(value.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Build, A::Error> {
                BuildMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(Build::Full)
            }
        }
        deserializer.deserialize_any(BuildVisitor)
    }
}

/// `KEY: value` pairs written as a map or as a list of `KEY=value` (compose accepts both for
/// `args` and `additional_contexts`); a value is `None` when none is given (`KEY`, `KEY:`).
#[derive(Default)]
struct Pairs(Vec<(String, Option<String>)>);

/// A scalar of any YAML type, as text (`1`, `true`), or nothing (`null`).
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(value.to_string())))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Scalar, E> {
                Ok(Scalar(Some(value.to_string())))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(value.to_string())))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(value.to_string())))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(value.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_some<D: de::Deserializer<'de>>(self, inner: D) -> Result<Scalar, D::Error> {
                Scalar::deserialize(inner)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Pairs, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a map or a list of KEY=value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Scalar>()? {
                    pairs.push((key, value.0));
                }
                Ok(Pairs(pairs))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(Scalar(item)) = sequence.next_element::<Scalar>()? {
                    let Some(item) = item else { continue };
                    match item.split_once('=') {
                        Some((key, value)) => {
                            pairs.push((key.to_string(), Some(value.to_string())))
                        }
                        None => pairs.push((item, None)),
                    }
                }
                Ok(Pairs(pairs))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
        }
        deserializer.deserialize_any(PairsVisitor)
    }
}

/// Compose's interpolation of `text` where it needs no environment: `None` when a variable
/// without a literal default is used.
pub fn interpolate(text: &str) -> Option<String> {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        output.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(more) = after.strip_prefix('$') {
            output.push('$');
            rest = more;
            continue;
        }
        let Some(inner) = after.strip_prefix('{') else {
            // `$NAME` (or a lone `$` before something that is no name: kept).
            let name_length = after
                .find(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
                .unwrap_or(after.len());
            if name_length == 0 {
                output.push('$');
                rest = after;
                continue;
            }
            return None;
        };
        let end = closing_brace(inner)?;
        let expression = &inner[..end];
        output.push_str(&default_of(expression)?);
        rest = &inner[end + 1..];
    }
    output.push_str(rest);
    Some(output)
}

/// The index of the `}` that closes a `${` whose contents start `text`, nested braces counted.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// What `${expression}` is without an environment: the literal default of `NAME:-default` or
/// `NAME-default` (interpolated in turn); `None` for anything else.
fn default_of(expression: &str) -> Option<String> {
    let name_length = expression
        .find(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .unwrap_or(expression.len());
    let operator = &expression[name_length..];
    let default = operator
        .strip_prefix(":-")
        .or_else(|| operator.strip_prefix('-'))?;
    interpolate(default)
}

/// The builds of a compose file's text (services with a local `build`).
pub fn parse(path: &Path, text: &str) -> Result<Vec<BuildDefinition>, String> {
    let file: ComposeFile = serde_saphyr::from_str(text).map_err(|error| error.to_string())?;
    let directory = path.parent().unwrap_or(Path::new("/"));
    let mut found = Vec::new();
    for (name, service) in file.services.unwrap_or_default() {
        let Some(build) = service.and_then(|service| service.build) else {
            continue;
        };
        let map = match build {
            Build::Context(context) => BuildMap {
                context: Some(context),
                ..BuildMap::default()
            },
            Build::Full(map) => map,
        };
        if map.dockerfile_inline.is_some() {
            continue;
        }
        let Some(context) = interpolate(map.context.as_deref().unwrap_or(".")) else {
            continue;
        };
        if builds::is_remote(&context) {
            continue;
        }
        let Some(dockerfile) = interpolate(map.dockerfile.as_deref().unwrap_or("Dockerfile"))
        else {
            continue;
        };
        let context = builds::resolve_path(directory, &context);
        let dockerfile = builds::resolve_path(&context, &dockerfile);
        let target = map
            .target
            .as_ref()
            .and_then(|target| interpolate(&target.value));
        // Renaming in place is only right where the stage is written as it is read.
        let target_place = map.target.as_ref().and_then(|written| {
            let span = written.referenced.span();
            let start = span.byte_offset()? as usize;
            let length = span.byte_len()? as usize;
            let place = builds::place(path, text, start..start + length);
            (text.get(place.span.clone()) == Some(written.value.as_str())).then_some(place)
        });
        let resolve = |pairs: Option<Pairs>| -> Vec<(String, Option<String>)> {
            pairs
                .unwrap_or_default()
                .0
                .into_iter()
                .map(|(key, value)| (key, value.as_deref().and_then(interpolate)))
                .collect()
        };
        found.push(BuildDefinition {
            file: path.to_path_buf(),
            tool: Tool::Compose,
            name,
            context,
            dockerfile,
            target,
            target_place,
            args: resolve(map.args),
            contexts: resolve(map.additional_contexts)
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect(),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn interpolation_without_an_environment() {
        assert_eq!(interpolate("plain").as_deref(), Some("plain"));
        assert_eq!(interpolate("a$$b").as_deref(), Some("a$b"));
        assert_eq!(interpolate("${TAG:-3.20}").as_deref(), Some("3.20"));
        assert_eq!(
            interpolate("alpine:${TAG-latest}").as_deref(),
            Some("alpine:latest")
        );
        assert_eq!(interpolate("${A:-${B:-x}}").as_deref(), Some("x"));
        assert_eq!(interpolate("${TAG}"), None);
        assert_eq!(interpolate("$TAG"), None);
        assert_eq!(interpolate("${TAG:?required}"), None);
        assert_eq!(interpolate("${A:-$B}"), None);
        assert_eq!(interpolate("cost $ 5").as_deref(), Some("cost $ 5"));
    }

    #[test]
    fn services_with_builds() {
        let text = r#"
x-common: &common
  args:
    BASE: "alpine:${TAG:-3.20}"
services:
  web:
    build:
      context: ./app
      dockerfile: docker/Dockerfile.web
      target: "runtime"
      <<: *common
      additional_contexts:
        - assets=./assets
  worker:
    build: ./worker
  tool:
    build:
      context: .
      args:
        - VERSION=1.2
        - TOKEN
        - UNSET=${NOPE}
      additional_contexts:
        base: docker-image://alpine
  db:
    image: postgres
  remote:
    build: https://github.com/a/b.git
  inline:
    build:
      dockerfile_inline: "FROM alpine"
"#;
        let path = Path::new("/repo/compose.yaml");
        let found = parse(path, text).unwrap();
        let names: Vec<&str> = found.iter().map(|build| build.name.as_str()).collect();
        assert_eq!(names, vec!["tool", "web", "worker"]);
        let web = &found[1];
        assert_eq!(web.context, PathBuf::from("/repo/app"));
        assert_eq!(
            web.dockerfile,
            PathBuf::from("/repo/app/docker/Dockerfile.web")
        );
        assert_eq!(web.target.as_deref(), Some("runtime"));
        let place = web.target_place.as_ref().unwrap();
        assert_eq!(&text[place.span.clone()], "runtime");
        assert_eq!(place.start.line, 9);
        assert_eq!(
            web.args,
            vec![("BASE".to_string(), Some("alpine:3.20".to_string()))]
        );
        assert_eq!(
            web.contexts,
            vec![("assets".to_string(), "./assets".to_string())]
        );
        assert_eq!(web.label(), "compose.yaml service `web`");
        let worker = &found[2];
        assert_eq!(worker.dockerfile, PathBuf::from("/repo/worker/Dockerfile"));
        let tool = &found[0];
        assert_eq!(
            tool.args,
            vec![
                ("VERSION".to_string(), Some("1.2".to_string())),
                ("TOKEN".to_string(), None),
                ("UNSET".to_string(), None)
            ]
        );
        assert_eq!(tool.contexts[0].0, "base");
        assert!(parse(path, "services: [").is_err());
        assert!(parse(path, "").unwrap().is_empty());
    }

    #[test]
    fn numbers_and_booleans_are_text() {
        let text = "services:\n  a:\n    build:\n      context: .\n      args:\n        N: 3\n        F: true\n        E:\n";
        let found = parse(Path::new("/r/compose.yml"), text).unwrap();
        assert_eq!(
            found[0].args,
            vec![
                ("N".to_string(), Some("3".to_string())),
                ("F".to_string(), Some("true".to_string())),
                ("E".to_string(), None)
            ]
        );
    }
}
