//! Image references parsed the way Docker parses them (`distribution/reference`): registry
//! host detection, `docker.io` and `library/` normalisation, tag and digest, with the byte
//! range of each part so features can point at the tag alone.

use std::ops::Range;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference such as `ghcr.io/owner/app:1.2@sha256:…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReference {
    /// The registry host (with its port), `docker.io` when none is written.
    pub registry: String,
    /// The repository path inside the registry, `library/alpine` for official images.
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`.
    pub digest: Option<String>,
    /// Where the name (registry and path) sits in the parsed text.
    pub name_range: Range<usize>,
    /// Where the tag sits in the parsed text (after the `:`).
    pub tag_range: Option<Range<usize>>,
    /// Where the digest sits in the parsed text (after the `@`).
    pub digest_range: Option<Range<usize>>,
}

impl ImageReference {
    /// Parses a reference; `None` when Docker would reject it (upper-case path, bad
    /// characters, an unexpanded variable).
    pub fn parse(text: &str) -> Option<ImageReference> {
        if text.is_empty() || text.len() > 4096 {
            return None;
        }
        let (before_digest, digest_range) = match text.find('@') {
            Some(at) => (&text[..at], Some(at + 1..text.len())),
            None => (text, None),
        };
        let digest = match &digest_range {
            Some(range) => {
                let digest = &text[range.clone()];
                if !valid_digest(digest) {
                    return None;
                }
                Some(digest.to_string())
            }
            None => None,
        };
        // The tag follows the last `:` that comes after the last `/` (a `:` before it is a
        // registry port).
        let last_slash = before_digest.rfind('/').map(|at| at + 1).unwrap_or(0);
        let (name, tag_range) = match before_digest[last_slash..].find(':') {
            Some(colon) => {
                let at = last_slash + colon;
                (&before_digest[..at], Some(at + 1..before_digest.len()))
            }
            None => (before_digest, None),
        };
        let tag = match &tag_range {
            Some(range) => {
                let tag = &text[range.clone()];
                if !valid_tag(tag) {
                    return None;
                }
                Some(tag.to_string())
            }
            None => None,
        };
        let (registry, path) = split_registry(name);
        if registry.is_empty() || path.is_empty() {
            return None;
        }
        if !path.split('/').all(valid_path_component) {
            return None;
        }
        let mut registry = registry.to_string();
        let mut repository = path.to_string();
        // Docker's aliases for Docker Hub (reference.splitDockerDomain).
        if registry == "index.docker.io" {
            registry = DOCKER_HUB.to_string();
        }
        if registry == DOCKER_HUB && !repository.contains('/') {
            repository = format!("library/{repository}");
        }
        Some(ImageReference {
            registry,
            repository,
            tag,
            digest,
            name_range: 0..name.len(),
            tag_range,
            digest_range,
        })
    }

    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB
    }

    /// A Docker Official Image (`docker.io/library/...`).
    pub fn is_official(&self) -> bool {
        self.is_docker_hub() && self.repository.starts_with("library/")
    }

    /// The name as Docker prints it: `alpine`, `bitnami/minideb`, `gcr.io/distroless/static`.
    pub fn familiar_name(&self) -> String {
        if self.is_docker_hub() {
            return self
                .repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string();
        }
        format!("{}/{}", self.registry, self.repository)
    }

    /// The last path component (`python` in `docker.io/library/python`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// The tag Docker pulls: the written one, `latest` when there is neither a tag nor a
    /// digest, and `None` when only a digest pins it.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The reference as Docker prints it, with its tag and digest.
    pub fn familiar(&self) -> String {
        let mut text = self.familiar_name();
        if let Some(tag) = &self.tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            text.push('@');
            text.push_str(digest);
        }
        text
    }
}

/// Splits `name` into registry and path like Docker: the first component is a registry when
/// there is a `/` after it and it has a `.` or a `:`, is `localhost`, or has upper-case
/// letters (which a path may not have).
fn split_registry(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            if valid_host(first) {
                (first, rest)
            } else {
                ("", "")
            }
        }
        _ => (DOCKER_HUB, name),
    }
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !alphanumeric(bytes[0]) || !alphanumeric(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if alphanumeric(byte) {
            index += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or a run of `-`.
        let start = index;
        match byte {
            b'.' => index += 1,
            b'_' => {
                index += 1;
                if bytes.get(index) == Some(&b'_') {
                    index += 1;
                }
            }
            b'-' => {
                while bytes.get(index) == Some(&b'-') {
                    index += 1;
                }
            }
            _ => return false,
        }
        if index == start || !bytes.get(index).copied().is_some_and(alphanumeric) {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = tag.chars();
    matches!(chars.next(), Some(c) if word(c))
        && tag.len() <= 128
        && chars.all(|c| word(c) || c == '.' || c == '-')
}

/// `algorithm:hex` with a known-looking algorithm and at least 32 hex digits.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    !algorithm.is_empty()
        && algorithm.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '.' | '_' | '-')
        })
        && hex.len() >= 32
        && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Why Docker's reference parser (`distribution/reference`'s `ParseNormalizedNamed`, which
/// BuildKit applies to a `FROM` image) rejects a reference, with the byte range at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceProblem {
    pub message: String,
    pub range: Range<usize>,
}

fn problem(message: impl Into<String>, range: Range<usize>) -> Option<ReferenceProblem> {
    Some(ReferenceProblem {
        message: message.into(),
        range,
    })
}

/// The longest name (registry and path) Docker accepts.
const NAME_LENGTH_LIMIT: usize = 255;

/// Checks `text` (variables expanded, quotes removed) the way Docker parses an image
/// reference, strictly: `None` when Docker accepts it. Unlike [`ImageReference::parse`], which
/// reads what it can for hovers and lookups, this follows the grammar exactly (registry host
/// and port, lower-case path components and their separators, the tag's characters and
/// length, a digest of a known algorithm and length) so that what it reports is what the build
/// reports.
pub fn check_reference(text: &str) -> Option<ReferenceProblem> {
    if text.is_empty() {
        return problem("the image name is empty", 0..0);
    }
    if text.len() == 64
        && text
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    {
        return problem(
            "a 64-character hexadecimal string is an image ID, which FROM does not take: name the image",
            0..text.len(),
        );
    }
    let (host, remainder_start) = match text.find('/') {
        Some(slash)
            if text[..slash].contains(['.', ':'])
                || &text[..slash] == "localhost"
                || text[..slash].bytes().any(|byte| byte.is_ascii_uppercase()) =>
        {
            (Some(0..slash), slash + 1)
        }
        _ => (None, 0),
    };
    let remainder = &text[remainder_start..];
    let at = |offset: usize| remainder_start + offset;
    let digest_at = remainder.find('@');
    let before_digest = &remainder[..digest_at.unwrap_or(remainder.len())];
    let tag_at = before_digest.find(':');
    let path = &before_digest[..tag_at.unwrap_or(before_digest.len())];
    if let Some(host) = &host
        && let Some(message) = host_problem(&text[host.clone()])
    {
        return problem(message, host.clone());
    }
    if path.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return problem(
            format!("the repository name `{path}` must be lower case"),
            at(0)..at(path.len()),
        );
    }
    let mut component_start = 0;
    for component in path.split('/') {
        let range = at(component_start)..at(component_start + component.len());
        if component.is_empty() {
            return problem(
                "the repository name has an empty path component (`//`, or a `/` at an end)",
                range,
            );
        }
        if !valid_path_component(component) {
            return problem(
                format!(
                    "`{component}` is not a valid repository name component: use lower-case letters and digits, separated by `.`, `_`, `__` or dashes"
                ),
                range,
            );
        }
        component_start += component.len() + 1;
    }
    let registry_length = host
        .as_ref()
        .map(|host| host.len())
        .unwrap_or(DOCKER_HUB.len());
    let library = if host.is_none() && !path.contains('/') {
        "library/".len()
    } else {
        0
    };
    if registry_length + 1 + library + path.len() > NAME_LENGTH_LIMIT {
        return problem(
            format!("the image name is longer than {NAME_LENGTH_LIMIT} characters"),
            0..at(path.len()),
        );
    }
    if let Some(colon) = tag_at {
        let tag = &before_digest[colon + 1..];
        let range = at(colon + 1)..at(before_digest.len());
        if tag.is_empty() {
            return problem(
                "the tag after `:` is empty: write a tag (`alpine:3.20`) or leave out the `:`",
                at(colon)..at(colon + 1),
            );
        }
        if !valid_tag(tag) {
            return problem(
                format!(
                    "`{tag}` is not a valid tag: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
                ),
                range,
            );
        }
    }
    if let Some(digest_start) = digest_at {
        let digest = &remainder[digest_start + 1..];
        let range = at(digest_start + 1)..text.len();
        if let Some(message) = digest_problem(digest) {
            return problem(message, range);
        }
    }
    None
}

/// `host[:port]` of a registry: DNS labels (letters, digits, inner dashes) separated by dots,
/// or a bracketed IPv6 address; the port is digits.
fn host_problem(host: &str) -> Option<String> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some(close) = rest.find(']') else {
            return Some(format!(
                "`{host}` is not a registry host: the IPv6 address has no `]`"
            ));
        };
        let address = &rest[..close];
        if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Some(format!("`{host}` is not a registry host"));
        }
        let after = &rest[close + 1..];
        match after.strip_prefix(':') {
            Some(port) => (None, Some(port)),
            None if after.is_empty() => (None, None),
            None => return Some(format!("`{host}` is not a registry host")),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|byte| byte.is_ascii_digit()))
    {
        return Some(format!("`{port}` is not a registry port: use digits"));
    }
    let label = |label: &str| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes
                .iter()
                .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    };
    if let Some(name) = name
        && !name.split('.').all(label)
    {
        return Some(format!(
            "`{name}` is not a registry host: use letters, digits, dots and inner dashes"
        ));
    }
    None
}

/// A digest Docker accepts: `algorithm:hex` with a registered algorithm (`sha256`, `sha384`,
/// `sha512`) and its exact number of lower-case hexadecimal digits.
fn digest_problem(digest: &str) -> Option<String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Some(format!(
            "`{digest}` is not a digest: write `sha256:` and 64 hexadecimal digits"
        ));
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            return Some(format!(
                "`{algorithm}` is not a digest algorithm Docker supports: use `sha256`"
            ));
        }
    };
    if hex.len() != length {
        return Some(format!(
            "a {algorithm} digest has {length} hexadecimal digits, this one has {}",
            hex.len()
        ));
    }
    if !hex
        .bytes()
        .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Some("the digest must be lower-case hexadecimal digits".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, String, Option<String>, Option<String>) {
        let reference = ImageReference::parse(text).expect(text);
        (
            reference.registry,
            reference.repository,
            reference.tag,
            reference.digest,
        )
    }

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn docker_hub_names_are_normalised() {
        assert_eq!(
            parts("alpine"),
            ("docker.io".into(), "library/alpine".into(), None, None)
        );
        assert_eq!(
            parts("docker.io/library/ubuntu:22.04"),
            (
                "docker.io".into(),
                "library/ubuntu".into(),
                Some("22.04".into()),
                None
            )
        );
        assert_eq!(
            parts("index.docker.io/bitnami/minideb:bookworm").1,
            "bitnami/minideb"
        );
        assert_eq!(parts("docker.io/python").1, "library/python");
        let reference = ImageReference::parse("bitnami/minideb").unwrap();
        assert_eq!(reference.familiar_name(), "bitnami/minideb");
        assert!(!reference.is_official());
        assert!(ImageReference::parse("node:20").unwrap().is_official());
    }

    #[test]
    fn registries_ports_tags_and_digests() {
        assert_eq!(
            parts("localhost:5000/app:1.0"),
            (
                "localhost:5000".into(),
                "app".into(),
                Some("1.0".into()),
                None
            )
        );
        assert_eq!(parts("localhost/app").0, "localhost");
        assert_eq!(
            parts("gcr.io/distroless/static-debian12:nonroot").1,
            "distroless/static-debian12"
        );
        let with_digest = format!("alpine:3.20@{DIGEST}");
        let reference = ImageReference::parse(&with_digest).unwrap();
        assert_eq!(reference.tag.as_deref(), Some("3.20"));
        assert_eq!(reference.digest.as_deref(), Some(DIGEST));
        assert_eq!(&with_digest[reference.tag_range.clone().unwrap()], "3.20");
        assert_eq!(reference.effective_tag(), Some("3.20"));
        let pinned = ImageReference::parse(&format!("alpine@{DIGEST}")).unwrap();
        assert_eq!(pinned.effective_tag(), None);
        assert_eq!(
            ImageReference::parse("alpine").unwrap().effective_tag(),
            Some("latest")
        );
        // A `:` before the last `/` is a port, not a tag.
        assert_eq!(parts("registry:5000/team/app").0, "registry:5000");
        assert_eq!(parts("registry:5000/team/app").2, None);
    }

    #[test]
    fn invalid_references_are_rejected() {
        for text in [
            "",
            "Alpine",
            "alpine:",
            "alpine:-x",
            "$BASE",
            "${IMAGE}:latest",
            "a//b",
            "alpine@sha256:short",
            "-alpine",
        ] {
            assert!(ImageReference::parse(text).is_none(), "{text}");
        }
        // An upper-case first component is a registry host, as in Docker.
        assert_eq!(parts("MyRegistry/app").0, "MyRegistry");
    }

    #[test]
    fn familiar_forms() {
        let reference = ImageReference::parse("docker.io/library/alpine:3.20").unwrap();
        assert_eq!(reference.familiar(), "alpine:3.20");
        assert_eq!(reference.short_name(), "alpine");
        let reference = ImageReference::parse("quay.io/centos/centos:stream9").unwrap();
        assert_eq!(reference.familiar(), "quay.io/centos/centos:stream9");
    }

    #[test]
    fn strict_check_accepts_what_docker_accepts() {
        let digest = format!("alpine@{DIGEST}");
        let tagged_digest = format!("alpine:3.20@{DIGEST}");
        for valid in [
            "alpine",
            "alpine:3.20",
            "library/alpine:latest",
            "docker.io/library/alpine",
            "localhost:5000/app:1.0",
            "localhost/app",
            "my.registry.example.com:443/team/app:v1.2.3-rc_1",
            "MyRegistry/app",
            "[::1]:5000/app",
            "gcr.io/distroless/static-debian12:nonroot",
            "a__b/c--d/e.f/g_h:_tag",
            "192.168.0.1/app",
            digest.as_str(),
            tagged_digest.as_str(),
        ] {
            assert_eq!(check_reference(valid), None, "{valid}");
        }
    }

    #[test]
    fn strict_check_points_at_the_part_at_fault() {
        let at = |text: &str| {
            let problem = check_reference(text).expect(text);
            text[problem.range].to_string()
        };
        assert_eq!(at("alpine:"), ":");
        assert_eq!(at("alpine:-x"), "-x");
        assert_eq!(at("alpine:3.20:1"), "3.20:1");
        assert_eq!(at("Alpine:3.20"), "Alpine");
        assert_eq!(at("library/Alpine"), "library/Alpine");
        assert_eq!(at("a//b"), "");
        assert_eq!(at("-alpine"), "-alpine");
        assert_eq!(at("alpine@sha256:short"), "sha256:short");
        assert_eq!(
            at("alpine@md5:0123456789abcdef0123456789abcdef"),
            "md5:0123456789abcdef0123456789abcdef"
        );
        assert_eq!(at("my_registry.io/app"), "my_registry.io");
        assert_eq!(at("registry.io:port/app"), "registry.io:port");
        assert_eq!(at("alpine@"), "");
        let upper = DIGEST.to_uppercase().replace("SHA", "sha");
        assert_eq!(at(&format!("alpine@{upper}")), upper);
        assert!(check_reference("").is_some());
        assert!(check_reference(&"a".repeat(300)).is_some());
        assert!(check_reference(&"0123456789abcdef".repeat(4)).is_some());
    }
}
