//! OCI platforms (`linux/amd64`, `linux/arm/v7`, `arm64`) read the way BuildKit reads a
//! `--platform` value (containerd's `platforms.Parse`): normalised operating system and
//! architecture names, an architecture alone meaning the build host's system.

/// The platform of the machine a build runs on when none is named: what a lone
/// architecture or operating system is completed with.
pub const HOST_OS: &str = "linux";
pub const HOST_ARCHITECTURE: &str = "amd64";

/// A parsed platform, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: String,
}

const KNOWN_OS: [&str; 17] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

const KNOWN_ARCHITECTURES: [&str; 25] = [
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
    "wasi",
];

fn normalize_os(os: &str) -> String {
    let os = os.to_ascii_lowercase();
    if os == "macos" { "darwin".into() } else { os }
}

/// The architecture and variant as containerd names them (`x86_64` is `amd64`, `aarch64` is
/// `arm64`, `armhf` is `arm` v7).
fn normalize_architecture(architecture: &str, variant: &str) -> (String, String) {
    let architecture = architecture.to_ascii_lowercase();
    let variant = variant.to_ascii_lowercase();
    match architecture.as_str() {
        "i386" => ("386".into(), String::new()),
        "x86_64" | "x86-64" | "amd64" => {
            let variant = if variant == "v1" {
                String::new()
            } else {
                variant
            };
            ("amd64".into(), variant)
        }
        "aarch64" | "arm64" => {
            let variant = if matches!(variant.as_str(), "8" | "v8" | "v8.0") {
                String::new()
            } else {
                variant
            };
            ("arm64".into(), variant)
        }
        "armhf" => ("arm".into(), "v7".into()),
        "armel" => ("arm".into(), "v6".into()),
        "arm" => {
            let variant = match variant.as_str() {
                "" | "7" => "v7".to_string(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            };
            ("arm".into(), variant)
        }
        _ => (architecture, variant),
    }
}

fn valid_component(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-'))
}

/// Parses `os[/architecture[/variant]]` or a lone architecture; `None` where BuildKit would
/// refuse the value.
pub fn parse(text: &str) -> Option<Platform> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|part| valid_component(part)) {
        return None;
    }
    match parts[..] {
        [one] => {
            let os = normalize_os(one);
            if KNOWN_OS.contains(&os.as_str()) {
                return Some(Platform {
                    os,
                    architecture: HOST_ARCHITECTURE.into(),
                    variant: String::new(),
                });
            }
            let (architecture, variant) = normalize_architecture(one, "");
            KNOWN_ARCHITECTURES
                .contains(&architecture.as_str())
                .then(|| Platform {
                    os: HOST_OS.into(),
                    architecture,
                    variant,
                })
        }
        [os, architecture] => {
            let (architecture, variant) = normalize_architecture(architecture, "");
            Some(Platform {
                os: normalize_os(os),
                architecture,
                variant,
            })
        }
        [os, architecture, variant] => {
            let (architecture, variant) = normalize_architecture(architecture, variant);
            Some(Platform {
                os: normalize_os(os),
                architecture,
                variant,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_like_containerd() {
        let platform = |text: &str| parse(text).map(|p| (p.os, p.architecture, p.variant));
        let owned = |os: &str, architecture: &str, variant: &str| {
            Some((
                os.to_string(),
                architecture.to_string(),
                variant.to_string(),
            ))
        };
        assert_eq!(platform("linux/amd64"), owned("linux", "amd64", ""));
        assert_eq!(platform("Linux/x86_64"), owned("linux", "amd64", ""));
        assert_eq!(platform("linux/arm/v7"), owned("linux", "arm", "v7"));
        assert_eq!(platform("linux/aarch64"), owned("linux", "arm64", ""));
        assert_eq!(platform("arm64"), owned("linux", "arm64", ""));
        assert_eq!(platform("windows"), owned("windows", "amd64", ""));
        assert_eq!(platform("macos/arm64"), owned("darwin", "arm64", ""));
        assert_eq!(platform("nonsense"), None);
        assert_eq!(platform("linux/"), None);
        assert_eq!(platform("linux/amd64/v2/x"), None);
        assert_eq!(platform("linux/*"), None);
    }
}
