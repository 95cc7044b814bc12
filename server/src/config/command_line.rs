//! The command line's view of configuration: one resolver for the run, the flags as the top
//! layer, and each configuration file's warnings reported once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{FailLevel, Layer, Problem, Resolution, Resolver};
use crate::lint;

/// The configuration of a `check` (or `rules --explain-config`) run.
pub struct Configuration {
    resolver: Resolver,
    flags: Layer,
    /// Configuration files whose warnings were printed already.
    reported: HashSet<PathBuf>,
}

/// What one file is checked with.
pub struct Effective {
    pub settings: lint::Settings,
    /// The configuration's fail level, if it sets one (the command line's flag wins over it).
    pub fail_level: Option<FailLevel>,
    /// The configuration file's warnings not printed before.
    pub warnings: Vec<Problem>,
    pub resolution: Resolution,
}

impl Configuration {
    /// `explicit`: `--config FILE`; `isolated`: `--isolated`; `flags`: the other flags as a
    /// layer. An explicit file that cannot be read is an error now, before any file is read.
    pub fn new(
        explicit: Option<&Path>,
        isolated: bool,
        flags: Layer,
    ) -> Result<Configuration, Problem> {
        let resolver = match (explicit, isolated) {
            (_, true) => Resolver::isolated(),
            (Some(file), false) => {
                if !file.is_file() {
                    return Err(Problem::new(file, None, "no such configuration file"));
                }
                Resolver::explicit(file)
            }
            (None, false) => Resolver::discover(),
        };
        Ok(Configuration {
            resolver,
            flags,
            reported: HashSet::new(),
        })
    }

    /// The settings for `file`; standard input (`None`) takes the current directory's
    /// configuration. A broken configuration file is an error, named relative to the
    /// current directory.
    pub fn for_file(&mut self, file: Option<&Path>) -> Result<Effective, Problem> {
        let path = match file {
            Some(path) => path.to_path_buf(),
            None => PathBuf::from("-"),
        };
        let resolution = self.resolver.resolve(&path);
        if let Some(problem) = &resolution.error {
            return Err(shown(problem));
        }
        let mut warnings = Vec::new();
        if let Some(source) = &resolution.source
            && self.reported.insert(source.path.clone())
        {
            warnings.extend(source.warnings.iter().map(shown));
        }
        let (settings, fail_level) = resolution.with_layer(&self.flags);
        Ok(Effective {
            settings,
            fail_level,
            warnings,
            resolution,
        })
    }
}

/// `problem` with its path relative to the current directory when it is below it (what a
/// person typed, and what terminals and CI logs link).
fn shown(problem: &Problem) -> Problem {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|directory| {
            problem
                .path
                .strip_prefix(&directory)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| problem.path.clone());
    Problem {
        path: relative,
        ..problem.clone()
    }
}
