//! Tests of PackageManagerMismatch: every package manager on every family, guards, stage
//! chains, and the fixes.

use super::*;
use crate::lint::testing::{apply_fix, run, underlined};

/// A command line for each manager.
const CALLS: &[(&str, &str)] = &[
    ("apt-get", "apt-get install -y curl"),
    ("apt", "apt install -y curl"),
    ("apk", "apk add --no-cache curl"),
    ("yum", "yum install -y curl"),
    ("dnf", "dnf install -y curl"),
    ("microdnf", "microdnf install -y curl"),
    ("zypper", "zypper -n install curl"),
    ("tdnf", "tdnf install -y curl"),
    ("pacman", "pacman -S --noconfirm curl"),
    ("pip", "pip install requests"),
    ("npm", "npm ci"),
    ("yarn", "yarn install"),
];

const LANGUAGES: &[&str] = &["pip", "npm", "yarn"];

/// Each family's image and the programs that may run there.
const FAMILIES: &[(&str, &[&str])] = &[
    ("alpine:3.20", &["apk", "pip", "npm", "yarn"]),
    ("debian:bookworm", &["apt-get", "apt", "pip", "npm", "yarn"]),
    ("ubuntu:24.04", &["apt-get", "apt", "pip", "npm", "yarn"]),
    ("centos:7", &["yum", "pip", "npm", "yarn"]),
    ("rockylinux:9", &["yum", "dnf", "pip", "npm", "yarn"]),
    ("almalinux:9", &["yum", "dnf", "pip", "npm", "yarn"]),
    ("fedora:40", &["yum", "dnf", "pip", "npm", "yarn"]),
    ("oraclelinux:9", &["yum", "dnf", "pip", "npm", "yarn"]),
    ("oraclelinux:8-slim", &["microdnf", "pip", "npm", "yarn"]),
    ("redhat/ubi9-minimal", &["microdnf", "pip", "npm", "yarn"]),
    ("redhat/ubi9-micro", &[]),
    ("amazonlinux:2", &["yum", "pip", "npm", "yarn"]),
    ("amazonlinux:2023", &["yum", "dnf", "pip", "npm", "yarn"]),
    ("opensuse/leap:15.6", &["zypper", "pip", "npm", "yarn"]),
    ("archlinux", &["pacman", "pip", "npm", "yarn"]),
    ("photon:5.0", &["tdnf", "yum", "dnf", "pip", "npm", "yarn"]),
    (
        "mcr.microsoft.com/azurelinux/base/core:3.0",
        &["tdnf", "yum", "dnf", "pip", "npm", "yarn"],
    ),
    (
        "cgr.dev/chainguard/wolfi-base",
        &["apk", "pip", "npm", "yarn"],
    ),
    ("cgr.dev/chainguard/python:latest", &[]),
    ("gcr.io/distroless/base-debian12", &[]),
    ("busybox:1.36", &[]),
    ("scratch", &[]),
    ("tonistiigi/xx", &[]),
    (
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        &["pip", "npm", "yarn"],
    ),
];

#[test]
fn every_manager_on_every_family() {
    let mut wrong = Vec::new();
    for (image, allowed) in FAMILIES {
        for (program, line) in CALLS {
            let text = format!("FROM {image}\nRUN {line}\n");
            let found = run(&RULE, &text);
            let expected = !allowed.contains(program);
            if found.is_empty() == expected {
                wrong.push(format!(
                    "{image} + {program}: expected {}, got {:?}",
                    if expected { "a finding" } else { "none" },
                    found
                        .iter()
                        .map(|diagnostic| &diagnostic.message)
                        .collect::<Vec<_>>()
                ));
                continue;
            }
            if let Some(diagnostic) = found.first() {
                assert_eq!(&text[diagnostic.span.clone()], *program, "{text}");
                assert_eq!(diagnostic.severity, Severity::Error, "{text}");
                // System managers get a fix on images that have a package manager.
                let has_manager = allowed.iter().any(|allowed| !LANGUAGES.contains(allowed));
                let translatable = !LANGUAGES.contains(program) && *program != "pacman";
                assert_eq!(
                    !diagnostic.fixes.is_empty(),
                    has_manager && translatable,
                    "{text}: {:?}",
                    diagnostic.fixes
                );
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn inferred_distributions_are_warnings() {
    let found = run(&RULE, "FROM python:3.12\nRUN apk add --no-cache gcc\n");
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(
        found[0]
            .message
            .contains("`python:3.12` (Debian, the image's default)"),
        "{}",
        found[0].message
    );
    let found = run(
        &RULE,
        "ARG BASE=alpine:3.20\nFROM $BASE\nRUN apt-get install -y curl\n",
    );
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(
        found[0].message.contains("from an ARG default"),
        "{}",
        found[0].message
    );
    let found = run(
        &RULE,
        "FROM python:3.12-alpine\nRUN apt-get install -y gcc\n",
    );
    assert_eq!(found[0].severity, Severity::Error);
}

#[test]
fn a_stage_the_build_skips_gets_a_warning() {
    // BuildKit builds the last stage and what it needs: `check` is never built, so the
    // default build succeeds however wrong its RUN is.
    let text = "FROM alpine:3.20 AS check\nRUN apt-get install -y curl\nFROM alpine:3.20\nRUN apt-get install -y curl\n";
    let found = run(&RULE, text);
    let severities: Vec<Severity> = found.iter().map(|finding| finding.severity).collect();
    assert_eq!(severities, vec![Severity::Warning, Severity::Error]);
    // Once the final stage needs it, it is built and the error is certain.
    let needed = "FROM alpine:3.20 AS check\nRUN apt-get install -y curl\nFROM alpine:3.20\nCOPY --from=check /a /a\n";
    assert_eq!(run(&RULE, needed)[0].severity, Severity::Error);
}

#[test]
fn stages_inherit_and_unknowns_are_skipped() {
    let text = "FROM alpine:3.20 AS base\nFROM base AS build\nRUN apt-get install -y gcc\nFROM myorg/app:1\nRUN apk add x\nFROM $UNSET\nRUN apk add x\n";
    let found = run(&RULE, text);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .contains("stage `base`, built on `alpine:3.20` (Alpine Linux 3.20)"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("whose package manager is `apk`"),
        "{}",
        found[0].message
    );
}

#[test]
fn scripts_in_heredocs_sh_c_and_onbuild() {
    let text = "FROM alpine\nRUN <<EOF\nset -e\napt-get install -y x\nEOF\nRUN sh -c 'yum install -y y'\nONBUILD RUN dnf install -y z\n";
    assert_eq!(underlined(&RULE, text), vec!["apt-get", "yum", "dnf"]);
}

#[test]
fn portable_scripts_are_not_reported() {
    for text in [
        "FROM alpine\nRUN if [ -f /etc/debian_version ]; then apt-get install -y x; else apk add x; fi\n",
        "FROM alpine\nRUN command -v apt-get && apt-get install -y x || apk add x\n",
        "FROM alpine\nRUN apk add x || apt-get install -y x\n",
        "FROM alpine\nRUN case \"$DISTRO\" in debian) apt-get install -y x ;; *) apk add x ;; esac\n",
        "FROM debian\nRUN . /etc/os-release; if [ \"$ID\" = alpine ]; then apk add x; fi\n",
    ] {
        assert!(run(&RULE, text).is_empty(), "{text}");
    }
    // An unconditional call, or one whose only alternative is `true`, is still wrong.
    assert_eq!(
        underlined(&RULE, "FROM alpine\nRUN apt-get install -y x || true\n"),
        vec!["apt-get"]
    );
    assert_eq!(
        underlined(
            &RULE,
            "FROM alpine\nRUN apk add x && apt-get install -y y\n"
        ),
        vec!["apt-get"]
    );
}

#[test]
fn installed_managers_and_replaced_filesystems() {
    assert!(
        run(
            &RULE,
            "FROM centos:7\nRUN yum install -y dnf\nRUN dnf install -y x\n"
        )
        .is_empty()
    );
    assert!(
        run(
            &RULE,
            "FROM centos:7 AS base\nRUN yum install -y dnf\nFROM base\nRUN dnf install -y x\n"
        )
        .is_empty()
    );
    assert!(
        run(
            &RULE,
            "FROM scratch\nADD rootfs.tar.gz /\nRUN apt-get update\n"
        )
        .is_empty()
    );
    assert!(
        run(
            &RULE,
            "FROM scratch\nCOPY --from=rootfs /out/ /\nRUN apk add x\n"
        )
        .is_empty()
    );
    // Copying one file is not a new filesystem, and files copied to `/` on a distribution
    // do not change its package manager.
    assert_eq!(
        underlined(&RULE, "FROM busybox\nCOPY app /app\nRUN apk add x\n"),
        vec!["apk"]
    );
    assert_eq!(
        underlined(
            &RULE,
            "FROM golang:1.16-alpine\nCOPY --from=xx / /\nRUN apt-get update\n"
        ),
        vec!["apt-get"]
    );
}

#[test]
fn install_fixes_keep_the_packages_in_place() {
    let fixed = apply_fix(
        &RULE,
        "FROM alpine:3.20\nRUN apt-get install -y --no-install-recommends \\\n    curl \\\n    git\n",
        "Use apk",
    );
    assert_eq!(
        fixed,
        "FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl \\\n    git\n"
    );
    let fixed = apply_fix(
        &RULE,
        "FROM debian:12\nRUN apk add --no-cache --virtual .deps gcc musl-dev\n",
        "Use apt",
    );
    assert_eq!(
        fixed,
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc musl-dev && rm -rf /var/lib/apt/lists/*\n"
    );
    let fixed = apply_fix(
        &RULE,
        "FROM redhat/ubi9-minimal\nRUN yum install -y httpd && yum clean all\n",
        "Use microdnf",
    );
    assert_eq!(
        fixed,
        "FROM redhat/ubi9-minimal\nRUN microdnf install -y httpd && yum clean all\n"
    );
    let fixed = apply_fix(
        &RULE,
        "FROM redhat/ubi9-minimal\nRUN yum clean all\n",
        "Use microdnf",
    );
    assert_eq!(fixed, "FROM redhat/ubi9-minimal\nRUN microdnf clean all\n");
    let fixed = apply_fix(&RULE, "FROM alpine\nRUN sudo apt-get update\n", "Use apk");
    assert_eq!(fixed, "FROM alpine\nRUN sudo apk update\n");
    let fixed = apply_fix(
        &RULE,
        "FROM opensuse/leap:15.6\nRUN dnf -y install a b\n",
        "Use zypper",
    );
    assert_eq!(
        fixed,
        "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install a b && zypper clean --all\n"
    );
    // An option alone on its continuation line leaves an empty continued line.
    let fixed = apply_fix(
        &RULE,
        "FROM alpine\nRUN apt-get install -y \\\n    --no-install-recommends \\\n    curl\n",
        "Use apk",
    );
    assert_eq!(
        fixed,
        "FROM alpine\nRUN apk add --no-cache \\\n \\\n    curl\n"
    );
}

#[test]
fn no_fix_where_it_is_not_mechanical() {
    for text in [
        // A pipeline.
        "FROM alpine\nRUN apt-get install -y x | tee log\n",
        // No packages.
        "FROM alpine\nRUN apt-get install -y\n",
        // Upgrading named packages.
        "FROM alpine\nRUN apt-get upgrade -y openssl\n",
        // An unknown sub-command.
        "FROM alpine\nRUN apt-get source x\n",
    ] {
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1, "{text}");
        assert!(found[0].fixes.is_empty(), "{text}: {:?}", found[0].fixes);
    }
}
