//! Which Dockerfile frontend a file asks for (`# syntax=`), and whether it knows a feature.
//!
//! BuildKit builds a Dockerfile with the frontend image the `syntax` directive names
//! (`docker/dockerfile:1.4`), or with its built-in current frontend. Older frontends reject
//! flags that came later (`COPY --link` before 1.4: "unknown flag: link"); `-labs` channels
//! had some of them earlier. Versions are those of the Dockerfile reference's option tables.

/// A Dockerfile frontend version `major.minor`.
pub type Version = (u32, u32);

/// What a `# syntax=` directive names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frontend {
    /// Docker's Dockerfile frontend (`docker/dockerfile`, `docker/dockerfile-upstream`).
    /// `version` is `None` for the current one (no directive, `:1`, `:latest`, a digest, or a
    /// tag not read here); `labs` for the `-labs` and old `-experimental` channels.
    Docker {
        version: Option<Version>,
        labs: bool,
    },
    /// Another frontend image: its syntax is its own, nothing is known about it.
    Other,
}

/// When a feature came to the frontend: a stable version, and (when earlier) a labs one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Since {
    pub stable: Version,
    pub labs: Option<Version>,
}

impl Since {
    pub const fn stable(major: u32, minor: u32) -> Since {
        Since {
            stable: (major, minor),
            labs: None,
        }
    }

    pub const fn labs(self, major: u32, minor: u32) -> Since {
        Since {
            labs: Some((major, minor)),
            ..self
        }
    }

    /// How the Dockerfile reference writes it: `1.20 (1.7-labs)`.
    pub fn describe(&self) -> String {
        let (major, minor) = self.stable;
        match self.labs {
            Some((labs_major, labs_minor)) => {
                format!("{major}.{minor} (or {labs_major}.{labs_minor}-labs)")
            }
            None => format!("{major}.{minor}"),
        }
    }
}

impl Frontend {
    /// The current frontend, as when no directive is given.
    pub const CURRENT: Frontend = Frontend::Docker {
        version: None,
        labs: false,
    };

    /// Reads a `syntax` directive's value.
    pub fn from_syntax(value: &str) -> Frontend {
        let value = value.trim();
        let without_digest = value.split('@').next().unwrap_or(value);
        let (image, tag) = match without_digest.rsplit_once(':') {
            Some((image, tag)) if !tag.contains('/') => (image, Some(tag)),
            _ => (without_digest, None),
        };
        let image = ["docker.io/", "index.docker.io/", "registry-1.docker.io/"]
            .iter()
            .find_map(|prefix| image.strip_prefix(prefix))
            .unwrap_or(image);
        let image = image.strip_prefix("library/").unwrap_or(image);
        if !matches!(image, "docker/dockerfile" | "docker/dockerfile-upstream") {
            return Frontend::Other;
        }
        let Some(tag) = tag else {
            return Frontend::CURRENT;
        };
        let (number, labs) = match tag
            .strip_suffix("-labs")
            .or_else(|| tag.strip_suffix("-experimental"))
        {
            Some(number) => (number, true),
            None => (tag, matches!(tag, "labs" | "experimental")),
        };
        let mut parts = number.split('.');
        let major = parts.next().and_then(|part| part.parse::<u32>().ok());
        let minor = parts.next().and_then(|part| part.parse::<u32>().ok());
        let version = match (major, minor) {
            (Some(major), Some(minor)) => Some((major, minor)),
            _ => None,
        };
        Frontend::Docker { version, labs }
    }

    /// The frontend of a lowered file: its `syntax` directive, else the current one.
    pub fn of(file: &crate::syntax::Dockerfile) -> Frontend {
        file.directives
            .iter()
            .find(|directive| directive.name == "syntax")
            .map(|directive| Frontend::from_syntax(&directive.value))
            .unwrap_or(Frontend::CURRENT)
    }

    /// Whether this frontend knows a feature that came in `since`. The current frontend and
    /// versions not read here know everything; another frontend is not judged (true).
    pub fn knows(&self, since: Since) -> bool {
        let Frontend::Docker {
            version: Some(version),
            labs,
        } = *self
        else {
            return true;
        };
        version >= since.stable || (labs && since.labs.is_some_and(|labs| version >= labs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_syntax_directives() {
        let docker = |version, labs| Frontend::Docker { version, labs };
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:1"),
            docker(None, false)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:1-labs"),
            docker(None, true)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:1.4"),
            docker(Some((1, 4)), false)
        );
        assert_eq!(
            Frontend::from_syntax("docker.io/docker/dockerfile:1.7-labs"),
            docker(Some((1, 7)), true)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:1.4.3@sha256:abc"),
            docker(Some((1, 4)), false)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:1.1-experimental"),
            docker(Some((1, 1)), true)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile-upstream:master"),
            docker(None, false)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile"),
            docker(None, false)
        );
        assert_eq!(
            Frontend::from_syntax("docker/dockerfile:experimental"),
            docker(None, true)
        );
        assert_eq!(
            Frontend::from_syntax("ghcr.io/someone/frontend:1.4"),
            Frontend::Other
        );
    }

    #[test]
    fn knows_features_by_version_and_channel() {
        let parents = Since::stable(1, 20).labs(1, 7);
        assert!(Frontend::CURRENT.knows(parents));
        assert!(!Frontend::from_syntax("docker/dockerfile:1.7").knows(parents));
        assert!(Frontend::from_syntax("docker/dockerfile:1.7-labs").knows(parents));
        assert!(!Frontend::from_syntax("docker/dockerfile:1.6-labs").knows(parents));
        assert!(Frontend::from_syntax("docker/dockerfile:1.20").knows(parents));
        assert!(Frontend::from_syntax("other/frontend:1.0").knows(parents));
        assert!(!Frontend::from_syntax("docker/dockerfile:1.3").knows(Since::stable(1, 4)));
    }
}
