//! Single-defect mutants of one realistic Dockerfile, with the finding each must produce on
//! the mutated line, and valid-syntax controls that must produce none. The fixed, committed
//! counterpart of `tools/mutants.py` (which measures the same kinds of mutants of the corpus
//! against docker-langserver).

use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::{self, Severity};
use dockerfile_ls::syntax::SourceFile;

/// A multi-stage build that builds: every mutant below changes one line of it.
const BASE: &str = "\
# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app

FROM alpine:3.20
RUN apk add --no-cache ca-certificates
COPY --from=build --chown=10001:10001 /out/app /usr/local/bin/app
USER 10001
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT [\"/usr/local/bin/app\"]
";

/// The rules of what BuildKit rejects after its line parser, and the two warnings beside them.
const BUILD_RULES: &[&str] = &[
    "InvalidInstructionArguments",
    "InvalidFlag",
    "InvalidMount",
    "InvalidOnbuildTrigger",
    "ShellNotJson",
    "InvalidStageName",
    "InvalidImageReference",
    "InvalidPort",
    "InvalidStopSignal",
    "InvalidVariableExpansion",
    "CopyDestinationNotDirectory",
    "SingleQuotedExecForm",
];

/// `(kind, line as written in BASE, the mutated line, the rule expected on it, its severity)`.
const MUTANTS: &[(&str, &str, &str, &str, Severity)] = &[
    (
        "drop destination",
        "COPY go.mod go.sum ./",
        "COPY go.mod",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "drop arguments",
        "USER 10001",
        "USER",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "drop arguments",
        "WORKDIR /src",
        "WORKDIR",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "drop arguments",
        "ENV CGO_ENABLED=0 GOOS=linux",
        "ENV",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "drop arguments",
        "EXPOSE 8080/tcp",
        "EXPOSE",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "as typo",
        "FROM golang:${GO_VERSION}-alpine AS build",
        "FROM golang:${GO_VERSION}-alpine ASS build",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "as without name",
        "FROM golang:${GO_VERSION}-alpine AS build",
        "FROM golang:${GO_VERSION}-alpine AS",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "extra FROM word",
        "FROM alpine:3.20",
        "FROM alpine:3.20 latest",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "healthcheck without command",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK --interval=30s CMD",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "healthcheck none with arguments",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK NONE wget localhost",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "healthcheck unknown type",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK CHECK wget localhost",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "blank ENV name",
        "ENV CGO_ENABLED=0 GOOS=linux",
        "ENV =0 GOOS=linux",
        "InvalidInstructionArguments",
        Severity::Error,
    ),
    (
        "flag typo",
        "COPY --from=build --chown=10001:10001 /out/app /usr/local/bin/app",
        "COPY --form=build --chown=10001:10001 /out/app /usr/local/bin/app",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "flag on ENV",
        "ENV CGO_ENABLED=0 GOOS=linux",
        "ENV --global CGO_ENABLED=0 GOOS=linux",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "duplicate flag",
        "COPY --from=build --chown=10001:10001 /out/app /usr/local/bin/app",
        "COPY --from=build --chown=1 --chown=2 /out/app /usr/local/bin/app",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "flag without value",
        "COPY --from=build --chown=10001:10001 /out/app /usr/local/bin/app",
        "COPY --from=build --chown /out/app /usr/local/bin/app",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "non-boolean",
        "COPY . .",
        "COPY --link=yes . .",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "bad network",
        "RUN apk add --no-cache ca-certificates",
        "RUN --network=hosts apk add --no-cache ca-certificates",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "duration without unit",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK --interval=30 --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "unknown duration unit",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK --interval=1min --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "negative retries",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "HEALTHCHECK --interval=30s --timeout=3s --retries=-1 CMD wget -q -O- http://localhost:8080/health || exit 1",
        "InvalidFlag",
        Severity::Error,
    ),
    (
        "mount key typo",
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
        "RUN --mount=type=cache,traget=/go/pkg/mod go mod download",
        "InvalidMount",
        Severity::Error,
    ),
    (
        "mount type typo",
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download",
        "RUN --mount=type=cahce,target=/go/pkg/mod go mod download",
        "InvalidMount",
        Severity::Error,
    ),
    (
        "ONBUILD ONBUILD",
        "RUN apk add --no-cache ca-certificates",
        "ONBUILD ONBUILD RUN apk add --no-cache ca-certificates",
        "InvalidOnbuildTrigger",
        Severity::Error,
    ),
    (
        "ONBUILD FROM",
        "USER 10001",
        "ONBUILD FROM alpine",
        "InvalidOnbuildTrigger",
        Severity::Error,
    ),
    (
        "SHELL in shell form",
        "WORKDIR /src",
        "SHELL /bin/ash -eo pipefail -c",
        "ShellNotJson",
        Severity::Error,
    ),
    (
        "bad stage name",
        "FROM golang:${GO_VERSION}-alpine AS build",
        "FROM golang:${GO_VERSION}-alpine AS 1build",
        "InvalidStageName",
        Severity::Error,
    ),
    (
        "empty tag",
        "FROM alpine:3.20",
        "FROM alpine:",
        "InvalidImageReference",
        Severity::Error,
    ),
    (
        "upper-case image",
        "FROM alpine:3.20",
        "FROM Alpine:3.20",
        "InvalidImageReference",
        Severity::Error,
    ),
    (
        "bad digest",
        "FROM alpine:3.20",
        "FROM alpine@sha256:1234",
        "InvalidImageReference",
        Severity::Error,
    ),
    (
        "undeclared base",
        "FROM alpine:3.20",
        "FROM ${BASE_IMAGE}",
        "InvalidImageReference",
        Severity::Error,
    ),
    (
        "bad protocol",
        "EXPOSE 8080/tcp",
        "EXPOSE 8080/tcpp",
        "InvalidPort",
        Severity::Error,
    ),
    (
        "port out of range",
        "EXPOSE 8080/tcp",
        "EXPOSE 80800",
        "InvalidPort",
        Severity::Error,
    ),
    (
        "bad signal",
        "STOPSIGNAL SIGTERM",
        "STOPSIGNAL SIGTREM",
        "InvalidStopSignal",
        Severity::Error,
    ),
    (
        "unterminated quote",
        "ENV CGO_ENABLED=0 GOOS=linux",
        "ENV CGO_ENABLED=\"0 GOOS=linux",
        "InvalidVariableExpansion",
        Severity::Error,
    ),
    (
        "unsupported modifier",
        "WORKDIR /src",
        "WORKDIR ${HOME:src}",
        "InvalidVariableExpansion",
        Severity::Error,
    ),
    (
        "several sources to a file path",
        "COPY go.mod go.sum ./",
        "COPY go.mod go.sum /src",
        "CopyDestinationNotDirectory",
        Severity::Warning,
    ),
    (
        "single-quoted exec form",
        "ENTRYPOINT [\"/usr/local/bin/app\"]",
        "ENTRYPOINT ['/usr/local/bin/app']",
        "SingleQuotedExecForm",
        Severity::Warning,
    ),
    (
        "trigger missing destination",
        "USER 10001",
        "ONBUILD COPY go.mod",
        "InvalidInstructionArguments",
        Severity::Warning,
    ),
];

/// Lines current BuildKit accepts, which docker-langserver (in part) reports.
const CONTROLS: &[&str] = &[
    "ADD --unpack=true https://example.com/archive.tar.gz /opt/",
    "ADD --unpack archive.tar /opt/",
    "COPY --parents ./a/b ./c/d /opt/",
    "COPY --exclude=*.md --exclude=*.txt . /opt/",
    "ADD --exclude=*.md . /opt/",
    "RUN --device=/dev/fuse true",
    "RUN --device=vendor.com/gpu=all,required true",
    "HEALTHCHECK --interval=0 --timeout=0s --start-period=0 --start-interval=0 --retries=0 CMD true",
    "STOPSIGNAL TERM",
    "STOPSIGNAL sigterm",
    "STOPSIGNAL 9",
    "ENTRYPOINT",
    "COPY package.json package-lock.json .",
    "COPY a b ./",
    "HEALTHCHECK NONE",
    "EXPOSE 53/UDP 8000-8010",
    "FROM --platform=$BUILDPLATFORM alpine:3.20 AS Tools",
];

/// Findings of `text` on its 1-based line `line`, as (rule, severity).
fn findings_on(text: &str, line: usize) -> Vec<(&'static str, Severity)> {
    let source = SourceFile::parse(text);
    let found = lint::lint(&source, &lint::Settings::default(), AS_OF);
    found
        .iter()
        .filter(|finding| source.line_number(finding.span.start) == line)
        .map(|finding| (finding.rule.name, finding.severity))
        .collect()
}

#[test]
fn the_base_file_has_no_build_finding() {
    let source = SourceFile::parse(BASE);
    let found = lint::lint(&source, &lint::Settings::default(), AS_OF);
    let build: Vec<_> = found
        .iter()
        .filter(|finding| BUILD_RULES.contains(&finding.rule.name))
        .map(|finding| format!("{}: {}", finding.rule.name, finding.message))
        .collect();
    assert!(build.is_empty(), "{build:?}");
}

#[test]
fn every_mutant_is_reported_on_its_line() {
    let mut failures = Vec::new();
    for (kind, original, mutated, rule, severity) in MUTANTS {
        assert!(
            BASE.contains(original),
            "{kind}: {original:?} is not in the base"
        );
        let text = BASE.replacen(original, mutated, 1);
        let line = BASE[..BASE.find(original).unwrap()].matches('\n').count() + 1;
        let found = findings_on(&text, line);
        if !found.contains(&(*rule, *severity)) {
            failures.push(format!(
                "{kind}: `{mutated}` gave {found:?}, not {rule} ({severity:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_syntax_controls_stay_clean() {
    let mut failures = Vec::new();
    for control in CONTROLS {
        let text = format!("{BASE}{control}\n");
        let line = text.matches('\n').count();
        let found: Vec<_> = findings_on(&text, line)
            .into_iter()
            .filter(|(rule, severity)| BUILD_RULES.contains(rule) || *severity == Severity::Error)
            .collect();
        if !found.is_empty() {
            failures.push(format!("`{control}`: {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
