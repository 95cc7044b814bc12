//! The base image of each stage, followed along the stage graph: `FROM builder AS x` is
//! built on whatever `builder` is built on, `ARG BASE=alpine:3.20` then `FROM $BASE` on
//! Alpine 3.20 (inferred: a build argument can change it), an unknown image stays unknown.

use std::sync::Arc;

use super::catalog::{self, Certainty, ImageInfo};
use super::images::ImageReference;
use crate::memo::Memo;
use crate::syntax::{Base, SourceFile};

/// The value a build argument is given where the build is known (a compose service's or
/// bake target's `args`), by name.
pub type Arguments<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What a stage's filesystem starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseKind {
    /// `FROM scratch`.
    Scratch,
    /// An image; `info` is `None` when the catalog does not know it. Shared: the same image
    /// text resolves to the same answer in every stage and every version of a document.
    Image {
        reference: Arc<ImageReference>,
        info: Option<Arc<ImageInfo>>,
    },
    /// A variable with no value here (`FROM $IMAGE` without a default).
    Unresolved(String),
    /// Text that is not an image reference once expanded.
    Invalid(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageBase {
    pub stage: usize,
    /// The stages walked through to reach the image, parent first; empty when the stage
    /// names the image itself.
    pub via: Vec<usize>,
    /// The stage whose `FROM` names the image (or scratch).
    pub root: usize,
    pub kind: BaseKind,
    /// An `ARG` default decided the image (in this stage's `FROM` or along the way).
    pub from_variable: bool,
    /// A build argument a compose or bake build gives decided it (rather than the default).
    pub from_build_argument: bool,
}

impl StageBase {
    pub fn info(&self) -> Option<&ImageInfo> {
        match &self.kind {
            BaseKind::Image { info, .. } => info.as_deref(),
            _ => None,
        }
    }

    pub fn reference(&self) -> Option<&ImageReference> {
        match &self.kind {
            BaseKind::Image { reference, .. } => Some(reference),
            _ => None,
        }
    }

    pub fn is_scratch(&self) -> bool {
        self.kind == BaseKind::Scratch
    }

    /// How sure the distribution is: `None` when it is unknown; inferred when a build
    /// argument or an image default decided it.
    pub fn certainty(&self) -> Option<Certainty> {
        let certainty = match &self.kind {
            BaseKind::Scratch => Certainty::Certain,
            BaseKind::Image {
                info: Some(info), ..
            } if info.distro.is_some() => info.certainty,
            _ => return None,
        };
        Some(if self.from_variable {
            Certainty::Inferred
        } else {
            certainty
        })
    }

    /// How messages and hovers name the base: `` `alpine:3.20` (Alpine Linux 3.20) ``, with
    /// the stage it goes through and whether a build argument chose it.
    pub fn describe(&self, source: &SourceFile) -> String {
        let mut text = match &self.kind {
            BaseKind::Scratch => "`scratch` (an empty filesystem)".to_string(),
            BaseKind::Image { reference, info } => {
                let name = format!("`{}`", reference.familiar());
                match info
                    .as_deref()
                    .and_then(|info| info.distro_label().map(|label| (info, label)))
                {
                    Some((info, label)) if info.certainty == Certainty::Inferred => {
                        let why = if info.entry.is_some() {
                            "the image's default"
                        } else {
                            "going by its name"
                        };
                        format!("{name} ({label}, {why})")
                    }
                    Some((_, label)) => format!("{name} ({label})"),
                    None => format!("{name} (not in the catalog)"),
                }
            }
            BaseKind::Unresolved(text) => format!("`{text}` (a build argument without a default)"),
            BaseKind::Invalid(text) => format!("`{text}`"),
        };
        if self.from_build_argument
            && matches!(self.kind, BaseKind::Image { .. } | BaseKind::Scratch)
        {
            text.push_str(", from a build argument of the compose or bake build");
        } else if self.from_variable
            && matches!(self.kind, BaseKind::Image { .. } | BaseKind::Scratch)
        {
            text.push_str(", from an ARG default");
        }
        if let Some(parent) = self.via.first()
            && let Some(stage) = source.stages.stages.get(*parent)
        {
            text = format!("stage `{}`, built on {text}", stage.label());
        }
        text
    }

    /// True when the catalog knows the distribution and so the package managers (scratch
    /// included: it has none).
    pub fn is_resolved(&self) -> bool {
        self.certainty().is_some()
    }
}

/// What an image reference (variables expanded) is: looked up in the catalog once per text, as
/// the same `FROM` lines come back on every keystroke.
fn image_kind(text: &str) -> BaseKind {
    static KINDS: Memo<BaseKind> = Memo::new(4096);
    KINDS.get_or_insert_with(text, || match ImageReference::parse(text) {
        Some(reference) => BaseKind::Image {
            info: catalog::resolve(&reference).map(Arc::new),
            reference: Arc::new(reference),
        },
        None => BaseKind::Invalid(text.to_string()),
    })
}

/// The base of stage `index`, following `FROM <stage>` links.
pub fn stage_base(source: &SourceFile, index: usize) -> Option<StageBase> {
    let bases = Bases::written(source);
    stage_base_from(source, index, &bases)
}

/// [`stage_base`] with the build arguments `arguments` gives.
pub fn stage_base_in(
    source: &SourceFile,
    index: usize,
    arguments: Option<Arguments>,
) -> Option<StageBase> {
    let bases = Bases::given(source, arguments);
    stage_base_from(source, index, &bases)
}

/// What each stage's `FROM` names: as written (ARG defaults), or with build arguments.
struct Bases<'a> {
    source: &'a SourceFile,
    /// With build arguments: every stage's base, and whether an argument decided it.
    given: Option<Vec<(Base, bool)>>,
}

impl<'a> Bases<'a> {
    fn written(source: &'a SourceFile) -> Bases<'a> {
        Bases {
            source,
            given: None,
        }
    }

    /// The bases under the build arguments `arguments` gives; as written without.
    fn given(source: &'a SourceFile, arguments: Option<Arguments>) -> Bases<'a> {
        let Some(arguments) = arguments else {
            return Bases::written(source);
        };
        let graph = &source.stages;
        let escape = source.file.escape;
        let uses_argument = |text: &str| {
            crate::syntax::expand::references(text, escape)
                .iter()
                .any(|used| arguments(&used.name).is_some())
        };
        // Arguments may reach `FROM` through other global ARGs' defaults: any FROM with a
        // variable is read again under the arguments.
        if !graph.stages.iter().any(|stage| {
            stage
                .image
                .as_ref()
                .is_some_and(|image| image.text.contains('$'))
        }) {
            return Bases::written(source);
        }
        let scope = graph.global_with(&source.file, arguments);
        let given = graph
            .stages
            .iter()
            .map(|stage| match &stage.image {
                Some(image) if image.text.contains('$') => {
                    let base = graph.base_in(&image.text, &scope, stage.index);
                    let decided = base != stage.base || uses_argument(&image.text);
                    (base, decided)
                }
                _ => (stage.base.clone(), false),
            })
            .collect();
        Bases {
            source,
            given: Some(given),
        }
    }

    fn base(&self, index: usize) -> &Base {
        match &self.given {
            Some(given) => &given[index].0,
            None => &self.source.stages.stages[index].base,
        }
    }

    fn decided_by_argument(&self, index: usize) -> bool {
        self.given.as_ref().is_some_and(|given| given[index].1)
    }
}

fn stage_base_from(source: &SourceFile, index: usize, bases: &Bases) -> Option<StageBase> {
    let stages = &source.stages.stages;
    stages.get(index)?;
    let mut via = Vec::new();
    let mut current = index;
    let mut from_variable = false;
    let mut from_build_argument = false;
    loop {
        let stage = &stages[current];
        from_variable |= stage
            .image
            .as_ref()
            .is_some_and(|image| image.text.contains('$'));
        from_build_argument |= bases.decided_by_argument(current);
        let kind = match bases.base(current) {
            Base::Stage(parent) => {
                // BuildKit only lets a stage name an earlier one, so this ends; the check
                // keeps a broken graph from looping.
                if *parent >= current || via.contains(parent) {
                    return None;
                }
                via.push(*parent);
                current = *parent;
                continue;
            }
            Base::Scratch => BaseKind::Scratch,
            Base::Unresolved(text) => BaseKind::Unresolved(text.clone()),
            Base::Image(text) => image_kind(text),
        };
        return Some(StageBase {
            stage: index,
            via,
            root: current,
            kind,
            from_variable,
            from_build_argument,
        });
    }
}

/// The base of every stage, in order.
pub fn stage_bases(source: &SourceFile) -> Vec<StageBase> {
    stage_bases_from(source, &Bases::written(source))
}

/// [`stage_bases`] with the build arguments `arguments` gives.
pub fn stage_bases_in(source: &SourceFile, arguments: Option<Arguments>) -> Vec<StageBase> {
    stage_bases_from(source, &Bases::given(source, arguments))
}

fn stage_bases_from(source: &SourceFile, given: &Bases) -> Vec<StageBase> {
    let count = source.stages.stages.len();
    let mut bases: Vec<StageBase> = Vec::with_capacity(count);
    for index in 0..count {
        // A stage built on an earlier stage reuses that stage's answer.
        let stage = &source.stages.stages[index];
        let inherited = match given.base(index) {
            Base::Stage(parent) if *parent < index => bases.get(*parent).map(|parent_base| {
                let mut via = vec![*parent];
                via.extend(parent_base.via.iter().copied());
                let written_with_variable = stage
                    .image
                    .as_ref()
                    .is_some_and(|image| image.text.contains('$'));
                StageBase {
                    stage: index,
                    via,
                    root: parent_base.root,
                    kind: parent_base.kind.clone(),
                    from_variable: parent_base.from_variable || written_with_variable,
                    from_build_argument: parent_base.from_build_argument
                        || given.decided_by_argument(index),
                }
            }),
            _ => None,
        };
        let base = inherited.or_else(|| stage_base_from(source, index, given));
        bases.push(base.unwrap_or(StageBase {
            stage: index,
            via: Vec::new(),
            root: index,
            kind: BaseKind::Invalid(String::new()),
            from_variable: false,
            from_build_argument: false,
        }));
    }
    bases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::distros::DistroId;

    fn distro_of(base: &StageBase) -> Option<DistroId> {
        base.info()
            .and_then(|info| info.distro)
            .map(|distro| distro.id)
    }

    #[test]
    fn stages_inherit_their_parents_base() {
        let source = SourceFile::parse(
            "FROM alpine:3.20 AS builder\nFROM builder AS test\nFROM test\nFROM scratch\nFROM golang:1.22\n",
        );
        let bases = stage_bases(&source);
        assert_eq!(distro_of(&bases[0]), Some(DistroId::Alpine));
        assert_eq!(distro_of(&bases[2]), Some(DistroId::Alpine));
        assert_eq!(bases[2].via, vec![1, 0]);
        assert_eq!(bases[2].root, 0);
        assert_eq!(bases[2].certainty(), Some(Certainty::Certain));
        assert!(bases[3].is_scratch());
        assert_eq!(bases[3].certainty(), Some(Certainty::Certain));
        assert_eq!(distro_of(&bases[4]), Some(DistroId::Debian));
        assert_eq!(bases[4].certainty(), Some(Certainty::Inferred));
        for (index, base) in bases.iter().enumerate() {
            assert_eq!(Some(base), stage_base(&source, index).as_ref());
        }
    }

    #[test]
    fn build_arguments_decide_the_base() {
        let source =
            SourceFile::parse("ARG BASE=alpine:3.20\nFROM $BASE AS a\nFROM a\nFROM debian:12\n");
        let given = |name: &str| (name == "BASE").then(|| "ubuntu:24.04".to_string());
        let bases = stage_bases_in(&source, Some(&given));
        assert_eq!(distro_of(&bases[0]), Some(DistroId::Ubuntu));
        assert!(bases[0].from_build_argument && bases[1].from_build_argument);
        assert_eq!(distro_of(&bases[1]), Some(DistroId::Ubuntu));
        assert!(!bases[2].from_build_argument);
        assert!(bases[0].describe(&source).contains("build argument"));
        assert_eq!(
            stage_base_in(&source, 1, Some(&given)),
            Some(bases[1].clone())
        );
        let written = stage_bases_in(&source, None);
        assert_eq!(distro_of(&written[0]), Some(DistroId::Alpine));
        assert_eq!(written, stage_bases(&source));
    }

    #[test]
    fn variables_resolve_through_arg_defaults() {
        let source = SourceFile::parse(
            "ARG BASE=alpine:3.20\nARG IMAGE\nARG STAGE=base\nFROM $BASE AS base\nFROM ${IMAGE}\nFROM $STAGE\nFROM myorg/app:1\nFROM ${REGISTRY}alpine:3.19\n",
        );
        let bases = stage_bases(&source);
        assert_eq!(distro_of(&bases[0]), Some(DistroId::Alpine));
        assert!(bases[0].from_variable);
        assert_eq!(bases[0].certainty(), Some(Certainty::Inferred));
        assert_eq!(bases[1].kind, BaseKind::Unresolved("${IMAGE}".into()));
        assert!(!bases[1].is_resolved());
        // A stage named through a variable still inherits.
        assert_eq!(distro_of(&bases[2]), Some(DistroId::Alpine));
        assert_eq!(bases[2].via, vec![0]);
        // An image the catalog does not know stays unknown.
        assert!(matches!(&bases[3].kind, BaseKind::Image { info: None, .. }));
        assert!(!bases[3].is_resolved());
        // An undeclared variable expands to nothing, as in BuildKit.
        assert_eq!(bases[4].info().unwrap().release.unwrap().version, "3.19");
    }
}
