//! What makes a label key or value well formed: Docker's advice on label keys and the formats
//! a label schema can ask of a value (hadolint's `label-schema` types).

use crate::lint::LabelType;

/// Key prefixes Docker reserves for its own labels.
pub const RESERVED_KEY_PREFIXES: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

/// Why a label key goes against Docker's advice for keys, if it does: lower-case letters,
/// digits, `.` and `-` (and `_`, which hadolint takes too and many images use), starting with
/// a letter and ending with a letter or digit, no `..` or `--`, outside the namespaces Docker
/// reserves.
pub fn key_problem(key: &str) -> Option<&'static str> {
    if RESERVED_KEY_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        return Some("uses a namespace Docker reserves for itself");
    }
    if !key.bytes().all(|byte| {
        byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'-' | b'_')
    }) {
        return Some("may only hold lower-case letters, digits, `.`, `-` and `_`");
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    if key.contains("..") || key.contains("--") {
        return Some("must not repeat a separator (`..` or `--`)");
    }
    None
}

/// True when `value` is of the kind `kind` asks for. Text takes anything.
pub fn fits(kind: LabelType, value: &str) -> bool {
    match kind {
        LabelType::Text => true,
        LabelType::Url => is_url(value),
        LabelType::Email => is_email(value),
        LabelType::Hash => is_git_hash(value),
        LabelType::Rfc3339 => is_rfc3339(value),
        LabelType::Semver => semver::Version::parse(value).is_ok(),
        LabelType::Spdx => is_spdx_expression(value),
    }
}

/// An absolute URI by RFC 3986 (a scheme, then anything the grammar allows): what hadolint's
/// URI parser accepts, so `mailto:` and `urn:` count and `example.com` does not.
fn is_url(value: &str) -> bool {
    fluent_uri::Uri::parse(value).is_ok()
}

/// An address as RFC 5322 writes one in a header (`local@domain`, the local part quoted or
/// not, the domain a name or an address literal), without a display name: `Jane
/// <jane@example.com>` is a mailbox, not an address.
fn is_email(value: &str) -> bool {
    let options = email_address::Options::default().without_display_text();
    email_address::EmailAddress::parse_with_options(value, options).is_ok()
}

/// A full (40) or abbreviated (7) commit hash in lower-case hexadecimal, as git prints them.
fn is_git_hash(value: &str) -> bool {
    matches!(value.len(), 7 | 40)
        && value
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// A date and time with an offset, by RFC 3339's grammar (`2024-05-01T12:00:00Z`). The RFC
/// lets applications write a space for the `T`; its grammar (and hadolint) does not, and a
/// label is read by programs: the `T` is required.
fn is_rfc3339(value: &str) -> bool {
    matches!(value.as_bytes().get(10), Some(b'T' | b't'))
        && time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
            .is_ok()
}

/// An SPDX license expression (`MIT`, `MIT OR Apache-2.0`, `GPL-2.0-or-later WITH
/// Classpath-exception-2.0`), read strictly: known, current identifiers in their exact case.
fn is_spdx_expression(value: &str) -> bool {
    spdx::Expression::parse_mode(value, spdx::ParseMode::STRICT).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys_follow_dockers_advice() {
        for good in [
            "org.opencontainers.image.source",
            "validlabel",
            "a1",
            "x-y.z",
        ] {
            assert_eq!(key_problem(good), None, "{good}");
        }
        for bad in [
            "com.docker.label",
            "io.docker.x",
            "org.dockerproject.y",
            "invalid$character",
            "Vendor",
            ".invalid",
            "-invalid",
            "1invalid",
            "ends.",
            "invalid..separator",
            "invalid--separator",
            "",
        ] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }

    /// The values hadolint 2.15.1 accepts and rejects for each type (checked against its
    /// binary), and where we read the format's own definition more closely.
    #[test]
    fn values_of_each_type() {
        let cases: &[(LabelType, &str, bool)] = &[
            (LabelType::Url, "http://example.com", true),
            (LabelType::Url, "https://x.y/a?b#c", true),
            (LabelType::Url, "mailto:a@b", true),
            (LabelType::Url, "urn:isbn:1", true),
            (LabelType::Url, "http://[::1]/", true),
            (LabelType::Url, "file:///x", true),
            (LabelType::Url, "not-url", false),
            (LabelType::Url, "example.com", false),
            (LabelType::Url, "ftp://a b", false),
            (LabelType::Url, "/relative", false),
            (LabelType::Url, "git@github.com:a/b", false),
            (LabelType::Url, "http://a%zz", false),
            (
                LabelType::Rfc3339,
                "2021-03-10T10:26:33.564595127+01:00",
                true,
            ),
            (LabelType::Rfc3339, "2021-03-10T10:26:33Z", true),
            (LabelType::Rfc3339, "2021-03-10T10:26:33-00:00", true),
            (LabelType::Rfc3339, "2021-03-10t10:26:33z", true),
            (LabelType::Rfc3339, "2021-03-10 10:26:33Z", false),
            (LabelType::Rfc3339, "2021-03-10", false),
            (LabelType::Rfc3339, "2021-03-10T10:26:33", false),
            (LabelType::Rfc3339, "2021-02-30T10:00:00Z", false),
            (LabelType::Rfc3339, "2021-03-10T24:00:00Z", false),
            (LabelType::Rfc3339, "1999-13-01T00:00:00Z", false),
            (LabelType::Rfc3339, "not-date", false),
            (LabelType::Spdx, "MIT", true),
            (LabelType::Spdx, "BSD-3-Clause", true),
            (LabelType::Spdx, "GPL-2.0-or-later", true),
            // OCI's `org.opencontainers.image.licenses` is an expression; hadolint only
            // takes a single identifier.
            (LabelType::Spdx, "MIT OR Apache-2.0", true),
            (LabelType::Spdx, "Apache-2.0 WITH LLVM-exception", true),
            (LabelType::Spdx, "not-spdx", false),
            (LabelType::Spdx, "mit", false),
            (LabelType::Spdx, "Apache 2.0", false),
            (LabelType::Hash, "2dbfae9", true),
            (
                LabelType::Hash,
                "43c572f1272b6b3171dd1db9e41b7027128ce080",
                true,
            ),
            (LabelType::Hash, "2DBFAE9", false),
            (LabelType::Hash, "2dbfae91", false),
            (LabelType::Hash, "not-git-hash", false),
            (LabelType::Semver, "1.0.0", true),
            (LabelType::Semver, "2.0.1-rc1", true),
            (LabelType::Semver, "1.0.0+build.1", true),
            (LabelType::Semver, "1.0.0-rc.1+b", true),
            (LabelType::Semver, "v1.0.0", false),
            (LabelType::Semver, "1.0", false),
            (LabelType::Semver, "not-sem-ver", false),
            // SemVer 2.0 forbids leading zeros; hadolint's parser lets this one through.
            (LabelType::Semver, "01.0.0", false),
            (LabelType::Email, "abcd@google.com", true),
            (LabelType::Email, "user+tag@x.org", true),
            (LabelType::Email, "\"a b\"@c.com", true),
            (LabelType::Email, "a@[127.0.0.1]", true),
            (LabelType::Email, "not-email", false),
            (LabelType::Email, "Jane <a@b.com>", false),
            (LabelType::Email, "a.@b.com", false),
            (LabelType::Email, "a..b@c.com", false),
            (LabelType::Text, "", true),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(kind, value, expected)| fits(*kind, value) != *expected)
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }
}
