//! Document links: every image a `FROM` or a `--from` names links to its page (Docker Hub,
//! GitHub Container Registry, Quay, Microsoft Artifact Registry, Google and Amazon
//! registries); `scratch` links to its Docker Hub page. Stage names and variables without a
//! value get no link.

use crate::knowledge::images::ImageReference;
use crate::syntax::stages::{DependencyKind, Target};
use crate::syntax::{Base, SourceFile};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    pub span: Span,
    pub target: String,
    pub tooltip: String,
}

/// The links of a document, in document order.
pub fn document_links(source: &SourceFile) -> Vec<DocumentLink> {
    let mut links = Vec::new();
    for stage in &source.stages.stages {
        if let (Base::Image(text), Some(word)) = (&stage.base, &stage.image)
            && let Some(link) = link(text, word.span.clone())
        {
            links.push(link);
        }
        if let (Base::Scratch, Some(word)) = (&stage.base, &stage.image) {
            links.push(DocumentLink {
                span: word.span.clone(),
                target: "https://hub.docker.com/_/scratch".to_string(),
                tooltip: "Open scratch (Docker Hub): the empty image, with no files at all"
                    .to_string(),
            });
        }
        for dependency in &stage.dependencies {
            if dependency.kind == DependencyKind::From {
                continue;
            }
            if let Target::Image(text) = &dependency.target
                && let Some(link) = link(text, dependency.span.clone())
            {
                links.push(link);
            }
        }
    }
    links.sort_by_key(|link| link.span.start);
    links
}

fn link(text: &str, span: Span) -> Option<DocumentLink> {
    let reference = ImageReference::parse(text)?;
    let target = image_url(&reference)?;
    Some(DocumentLink {
        span,
        tooltip: format!(
            "Open {} ({})",
            reference.familiar_name(),
            registry_name(&reference)
        ),
        target,
    })
}

fn registry_name(reference: &ImageReference) -> &str {
    match reference.registry.as_str() {
        "docker.io" => "Docker Hub",
        "ghcr.io" => "GitHub Container Registry",
        "quay.io" => "Quay",
        "mcr.microsoft.com" => "Microsoft Artifact Registry",
        "gcr.io" => "Google Container Registry",
        "public.ecr.aws" => "Amazon ECR Public Gallery",
        "cgr.dev" => "Chainguard Images",
        "nvcr.io" => "NVIDIA NGC",
        other => other,
    }
}

/// The web page of an image, for registries whose pages follow from the name.
pub fn image_url(reference: &ImageReference) -> Option<String> {
    let path = reference.repository.as_str();
    Some(match reference.registry.as_str() {
        "docker.io" => match path.strip_prefix("library/") {
            Some(name) => format!("https://hub.docker.com/_/{name}"),
            None => format!("https://hub.docker.com/r/{path}"),
        },
        // The registry sends browsers to the package's page on GitHub.
        "ghcr.io" => format!("https://ghcr.io/{path}"),
        "quay.io" => format!("https://quay.io/repository/{path}"),
        "mcr.microsoft.com" => format!("https://mcr.microsoft.com/en-us/artifact/mar/{path}"),
        "gcr.io" if path.starts_with("distroless/") => {
            "https://github.com/GoogleContainerTools/distroless".to_string()
        }
        // The registry sends browsers to the image's page in the Google Cloud console.
        "gcr.io" => format!("https://gcr.io/{path}"),
        "public.ecr.aws" => format!("https://gallery.ecr.aws/{path}"),
        "cgr.dev" => {
            let name = path.strip_prefix("chainguard/")?;
            format!("https://images.chainguard.dev/directory/image/{name}/overview")
        }
        "nvcr.io" => {
            let (organisation, name) = path.split_once('/')?;
            if name.contains('/') {
                return None;
            }
            format!("https://catalog.ngc.nvidia.com/orgs/{organisation}/containers/{name}")
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        document_links(&SourceFile::parse(text))
            .into_iter()
            .map(|link| (text[link.span].to_string(), link.target))
            .collect()
    }

    #[test]
    fn registries_link_to_their_pages() {
        let cases = [
            ("alpine:3.20", "https://hub.docker.com/_/alpine"),
            (
                "docker.io/library/python:3.12",
                "https://hub.docker.com/_/python",
            ),
            (
                "bitnami/minideb",
                "https://hub.docker.com/r/bitnami/minideb",
            ),
            (
                "ghcr.io/astral-sh/uv:latest",
                "https://ghcr.io/astral-sh/uv",
            ),
            (
                "quay.io/centos/centos:stream9",
                "https://quay.io/repository/centos/centos",
            ),
            (
                "mcr.microsoft.com/dotnet/sdk:8.0",
                "https://mcr.microsoft.com/en-us/artifact/mar/dotnet/sdk",
            ),
            (
                "gcr.io/distroless/static-debian12",
                "https://github.com/GoogleContainerTools/distroless",
            ),
            (
                "gcr.io/kaniko-project/executor",
                "https://gcr.io/kaniko-project/executor",
            ),
            (
                "public.ecr.aws/lambda/python:3.12",
                "https://gallery.ecr.aws/lambda/python",
            ),
            (
                "cgr.dev/chainguard/node:latest",
                "https://images.chainguard.dev/directory/image/node/overview",
            ),
            (
                "nvcr.io/nvidia/cuda:12.4.0-base-ubuntu22.04",
                "https://catalog.ngc.nvidia.com/orgs/nvidia/containers/cuda",
            ),
        ];
        for (image, url) in cases {
            let text = format!("FROM {image}\n");
            assert_eq!(
                links(&text),
                vec![(image.to_string(), url.to_string())],
                "{image}"
            );
        }
        assert!(links("FROM registry.example.com/team/app:1\n").is_empty());
    }

    #[test]
    fn stages_and_open_variables_have_no_link_scratch_has_one() {
        let text = "ARG BASE=node:20\nARG OPEN\nFROM golang:1.22 AS build\nFROM build\nFROM scratch\nFROM $OPEN\nFROM ${BASE}\nCOPY --from=build /a /a\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nRUN --mount=type=bind,from=busybox:1.36,target=/b true\n";
        assert_eq!(
            links(text),
            vec![
                (
                    "golang:1.22".to_string(),
                    "https://hub.docker.com/_/golang".to_string()
                ),
                (
                    "scratch".to_string(),
                    "https://hub.docker.com/_/scratch".to_string()
                ),
                (
                    "${BASE}".to_string(),
                    "https://hub.docker.com/_/node".to_string()
                ),
                (
                    "nginx:1.27".to_string(),
                    "https://hub.docker.com/_/nginx".to_string()
                ),
                (
                    "busybox:1.36".to_string(),
                    "https://hub.docker.com/_/busybox".to_string()
                ),
            ]
        );
        let found = document_links(&SourceFile::parse("FROM quay.io/prometheus/busybox\n"));
        assert_eq!(found[0].tooltip, "Open quay.io/prometheus/busybox (Quay)");
        let found = document_links(&SourceFile::parse("FROM scratch AS empty\n"));
        assert_eq!(found[0].target, "https://hub.docker.com/_/scratch");
        assert!(found[0].tooltip.contains("the empty image"));
    }
}
