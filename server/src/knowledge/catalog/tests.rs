//! Tests of the image catalog: every distribution family, every tag rule.

use super::*;

/// `label · managers · certainty` for a reference, or `unknown`.
fn summary(text: &str) -> String {
    let reference = ImageReference::parse(text).unwrap_or_else(|| panic!("parses: {text}"));
    let Some(info) = resolve(&reference) else {
        return "unknown".to_string();
    };
    let label = info.short_label().unwrap_or_else(|| "?".to_string());
    let managers: Vec<&str> = info
        .package_managers()
        .iter()
        .map(|id| super::super::package_managers::manager(*id).name)
        .collect();
    let certainty = match info.certainty {
        Certainty::Certain => "certain",
        Certainty::Inferred => "inferred",
    };
    format!("{label} · {} · {certainty}", managers.join(","))
}

fn check(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let actual = summary(text);
        if actual != *expected {
            failures.push(format!("{text}: expected {expected:?}, got {actual:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn distribution_images_name_their_releases() {
    check(&[
        ("scratch", "scratch ·  · certain"),
        ("busybox:1.36", "busybox 1.36 ·  · certain"),
        ("alpine", "alpine 3.24 · apk · certain"),
        ("alpine:3.24.1", "alpine 3.24 · apk · certain"),
        ("alpine:3.20", "alpine 3.20 · apk · certain"),
        ("alpine:3.20.3", "alpine 3.20 · apk · certain"),
        ("alpine:3.2", "alpine 3.2 · apk · certain"),
        ("alpine:edge", "alpine edge · apk · certain"),
        ("alpine:3.99", "alpine 3.99 · apk · certain"),
        (
            "docker.io/library/alpine:3.19",
            "alpine 3.19 · apk · certain",
        ),
        ("debian:bookworm-slim", "debian 12 slim · apt · certain"),
        ("debian:12.5", "debian 12 · apt · certain"),
        ("debian:stable-slim", "debian 13 slim · apt · certain"),
        ("debian:buster-20240110", "debian 10 · apt · certain"),
        ("debian:sid", "debian sid · apt · certain"),
        ("bitnami/minideb:bullseye", "debian 11 · apt · certain"),
        ("ubuntu:22.04", "ubuntu 22.04 · apt · certain"),
        ("ubuntu:jammy-20240111", "ubuntu 22.04 · apt · certain"),
        ("ubuntu", "ubuntu 26.04 · apt · certain"),
        ("centos:7", "centos 7 · yum · certain"),
        ("centos:centos7.9.2009", "centos 7 · yum · certain"),
        ("centos:8", "centos 8 · dnf,yum · certain"),
        ("centos", "centos 8 · dnf,yum · certain"),
        (
            "quay.io/centos/centos:stream9",
            "centos-stream 9 · dnf,yum · certain",
        ),
        (
            "quay.io/centos/centos:stream9-minimal",
            "centos-stream 9 minimal · microdnf · certain",
        ),
        ("quay.io/centos/centos:centos7", "centos 7 · yum · certain"),
        ("rockylinux:9", "rocky 9 · dnf,yum · certain"),
        (
            "rockylinux/rockylinux:9-minimal",
            "rocky 9 minimal · microdnf · certain",
        ),
        ("almalinux:8", "almalinux 8 · dnf,yum · certain"),
        (
            "almalinux/9-minimal",
            "almalinux 9 minimal · microdnf · certain",
        ),
        ("almalinux/9-micro", "almalinux 9 micro ·  · certain"),
        ("fedora:39", "fedora 39 · dnf,yum · certain"),
        ("fedora:21", "fedora 21 · yum · certain"),
        (
            "registry.fedoraproject.org/fedora-minimal:40",
            "fedora 40 minimal · microdnf,dnf · certain",
        ),
        ("oraclelinux:9", "oraclelinux 9 · dnf,yum · certain"),
        (
            "oraclelinux:8-slim",
            "oraclelinux 8 minimal · microdnf · certain",
        ),
        (
            "oraclelinux:7-slim",
            "oraclelinux 7 minimal · yum · certain",
        ),
        ("oraclelinux:7", "oraclelinux 7 · yum · certain"),
        ("amazonlinux:2", "amazonlinux 2 · yum · certain"),
        (
            "amazonlinux:2.0.20240109.0",
            "amazonlinux 2 · yum · certain",
        ),
        ("amazonlinux:2023", "amazonlinux 2023 · dnf,yum · certain"),
        ("amazonlinux", "amazonlinux 2023 · dnf,yum · certain"),
        ("redhat/ubi9", "ubi 9 · dnf,yum · certain"),
        (
            "redhat/ubi9-minimal:9.3",
            "ubi 9 minimal · microdnf · certain",
        ),
        (
            "registry.access.redhat.com/ubi8/ubi-minimal",
            "ubi 8 minimal · microdnf · certain",
        ),
        (
            "registry.redhat.io/ubi9/ubi-micro:latest",
            "ubi 9 micro ·  · certain",
        ),
        (
            "registry.access.redhat.com/ubi7/ubi",
            "ubi 7 · yum · certain",
        ),
        (
            "registry.access.redhat.com/ubi9/python-311",
            "ubi 9 · dnf,yum · certain",
        ),
        (
            "registry.access.redhat.com/ubi9/nodejs-20-minimal",
            "ubi 9 minimal · microdnf · certain",
        ),
        (
            "registry.access.redhat.com/ubi8/openjdk-17",
            "ubi 8 minimal · microdnf · certain",
        ),
        (
            "registry.suse.com/bci/bci-base:15.6",
            "sle 15.6 · zypper · certain",
        ),
        (
            "registry.suse.com/bci/bci-micro:15.6",
            "sle 15.6 micro ·  · certain",
        ),
        ("opensuse/leap:15.6", "leap 15.6 · zypper · certain"),
        ("opensuse/tumbleweed", "tumbleweed · zypper · certain"),
        ("archlinux:base-devel", "arch · pacman · certain"),
        ("photon:5.0", "photon 5.0 · tdnf · certain"),
        ("cgr.dev/chainguard/wolfi-base", "wolfi · apk · certain"),
        (
            "cgr.dev/chainguard/python:latest",
            "wolfi distroless ·  · certain",
        ),
        (
            "cgr.dev/chainguard/python:latest-dev",
            "wolfi · apk · certain",
        ),
        ("cgr.dev/chainguard/static", "wolfi distroless ·  · certain"),
        (
            "gcr.io/distroless/static-debian12",
            "distroless 12 ·  · certain",
        ),
        (
            "gcr.io/distroless/base-debian11:debug",
            "distroless 11 debug ·  · certain",
        ),
        ("gcr.io/distroless/static", "distroless ·  · certain"),
        (
            "mcr.microsoft.com/cbl-mariner/base/core:2.0",
            "azurelinux 2.0 · tdnf · certain",
        ),
        (
            "mcr.microsoft.com/azurelinux/distroless/base:3.0",
            "azurelinux 3.0 distroless ·  · certain",
        ),
        (
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "servercore ltsc2022 ·  · certain",
        ),
        (
            "mcr.microsoft.com/windows/servercore:10.0.17763.5329",
            "servercore ltsc2019 ·  · certain",
        ),
        (
            "mcr.microsoft.com/windows/nanoserver:1809",
            "nanoserver ltsc2019 ·  · certain",
        ),
        ("microsoft/windowsservercore", "servercore ·  · certain"),
        (
            "mcr.microsoft.com/windows/server:ltsc2025",
            "windows ltsc2025 ·  · certain",
        ),
    ]);
}

#[test]
fn language_images_follow_their_tags() {
    check(&[
        // Untagged and plain version tags: the image's default.
        ("python", "debian · apt · inferred"),
        ("python:3.12", "debian · apt · inferred"),
        ("node:20", "debian · apt · inferred"),
        ("golang:1.22", "debian · apt · inferred"),
        ("eclipse-temurin:21", "ubuntu · apt · inferred"),
        ("mongo:7", "ubuntu · apt · inferred"),
        // `-alpine*`.
        ("python:3.12-alpine", "alpine · apk · certain"),
        ("python:3.12-alpine3.20", "alpine 3.20 · apk · certain"),
        ("node:lts-alpine3.19", "alpine 3.19 · apk · certain"),
        ("golang:alpine", "alpine · apk · certain"),
        ("php:8.3-fpm-alpine3.20", "alpine 3.20 · apk · certain"),
        ("nginx:1.27-alpine-slim", "alpine · apk · certain"),
        ("eclipse-temurin:21-jre-alpine", "alpine · apk · certain"),
        // Debian code names and `-slim`.
        ("python:3.12-slim", "debian slim · apt · certain"),
        (
            "python:3.12-slim-bookworm",
            "debian 12 slim · apt · certain",
        ),
        ("node:20-bookworm", "debian 12 · apt · certain"),
        ("ruby:3.3-bullseye", "debian 11 · apt · certain"),
        ("golang:1.16-buster", "debian 10 · apt · certain"),
        ("rust:1-slim-bookworm", "debian 12 slim · apt · certain"),
        ("openjdk:11-jre-slim", "debian slim · apt · certain"),
        // Ubuntu code names.
        (
            "eclipse-temurin:17-jdk-jammy",
            "ubuntu 22.04 · apt · certain",
        ),
        ("buildpack-deps:noble-curl", "ubuntu 24.04 · apt · certain"),
        ("swift:5.10-slim", "ubuntu slim · apt · certain"),
        // Windows.
        (
            "python:3.12-windowsservercore-ltsc2022",
            "servercore ltsc2022 ·  · certain",
        ),
        (
            "golang:1.22-nanoserver-1809",
            "nanoserver ltsc2019 ·  · certain",
        ),
        (
            "mcr.microsoft.com/dotnet/framework/sdk:4.8",
            "servercore ·  · inferred",
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "debian · apt · inferred",
        ),
        (
            "mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled",
            "ubuntu 22.04 distroless ·  · certain",
        ),
        (
            "mcr.microsoft.com/dotnet/sdk:8.0-azurelinux3.0",
            "azurelinux 3.0 · tdnf · certain",
        ),
        (
            "mcr.microsoft.com/dotnet/sdk:6.0-cbl-mariner2.0",
            "azurelinux 2.0 · tdnf · certain",
        ),
        // Red Hat family words.
        (
            "eclipse-temurin:21-ubi9-minimal",
            "ubi 9 minimal · microdnf · certain",
        ),
        (
            "nvidia/cuda:12.2.0-devel-ubuntu22.04",
            "ubuntu 22.04 · apt · certain",
        ),
        ("nvidia/cuda:12.2.0-base-ubi8", "ubi 8 · dnf,yum · certain"),
        (
            "nvidia/cuda:11.8.0-runtime-rockylinux8",
            "rocky 8 · dnf,yum · certain",
        ),
        (
            "nvidia/cuda:11.4.3-base-centos7",
            "centos 7 · yum · certain",
        ),
        (
            "quay.io/sclorg/s2i-base-c9s",
            "centos-stream 9 · dnf,yum · certain",
        ),
        ("amazoncorretto:17", "amazonlinux · yum · inferred"),
        (
            "amazoncorretto:17-al2023",
            "amazonlinux 2023 · dnf,yum · certain",
        ),
        (
            "amazoncorretto:21-alpine3.19",
            "alpine 3.19 · apk · certain",
        ),
        ("maven:3-amazoncorretto-21", "amazonlinux · yum · inferred"),
        (
            "maven:3.9-eclipse-temurin-21-alpine",
            "alpine · apk · certain",
        ),
        // Image-specific rules.
        ("openjdk:8", "debian · apt · inferred"),
        ("openjdk:8-jdk-alpine", "alpine · apk · certain"),
        ("openjdk:17", "oraclelinux minimal · microdnf · inferred"),
        (
            "openjdk:18-jdk-oraclelinux8",
            "oraclelinux 8 minimal · microdnf · certain",
        ),
        ("mysql:8.0", "oraclelinux minimal · microdnf · inferred"),
        ("mysql:5.7", "oraclelinux 7 minimal · yum · inferred"),
        ("mysql:5.6", "debian · apt · inferred"),
        (
            "mysql:8.0-oracle",
            "oraclelinux minimal · microdnf · certain",
        ),
        ("mysql:8.0-debian", "debian · apt · certain"),
        ("wordpress:cli", "alpine · apk · certain"),
        ("nats:2.10", "scratch ·  · inferred"),
        ("nats:2.10-alpine", "alpine · apk · certain"),
        ("tonistiigi/xx", "scratch ·  · certain"),
        ("bitnami/node:18", "debian · apt · inferred"),
        (
            "bitnami/oraclelinux-extras:7",
            "oraclelinux · yum · certain",
        ),
        (
            "bitnami/minideb-extras:jessie-r17",
            "debian 8 · apt · certain",
        ),
        ("prom/prometheus", "busybox ·  · inferred"),
        ("minio/minio", "ubi 9 micro ·  · inferred"),
        ("elasticsearch:8.11.0", "? ·  · inferred"),
    ]);
}

#[test]
fn mirrors_and_unknown_images() {
    check(&[
        (
            "public.ecr.aws/docker/library/python:3.12-slim",
            "debian slim · apt · certain",
        ),
        (
            "mirror.gcr.io/library/alpine:3.20",
            "alpine 3.20 · apk · certain",
        ),
        (
            "registry.example.com/library/node:20-alpine",
            "alpine · apk · inferred",
        ),
        (
            "registry.example.com/base/ubuntu:22.04",
            "ubuntu 22.04 · apt · inferred",
        ),
        ("myorg/myapp:1.0", "unknown"),
        ("ghcr.io/owner/tool", "unknown"),
    ]);
}

#[test]
fn runtimes_come_from_the_tag() {
    let info = |text: &str| resolve(&ImageReference::parse(text).unwrap()).unwrap();
    let python = info("python:3.8-slim-buster");
    let (runtime, line) = python.runtime.unwrap();
    assert_eq!((runtime.name, line.version), ("Python", "3.8"));
    assert_eq!(info("node:gallium-alpine").runtime.unwrap().1.version, "16");
    assert!(info("node:lts").runtime.is_none());
    assert_eq!(info("golang:1.21.5").runtime.unwrap().1.version, "1.21");
    assert!(info("nginx:1.25").runtime.is_none());
}

#[test]
fn shells_libc_and_moving_tags() {
    let info = |text: &str| {
        let reference = ImageReference::parse(text).unwrap();
        let info = resolve(&reference).unwrap();
        (info.shell(), libc_of(&reference, &info), info.moving)
    };
    assert_eq!(
        info("alpine:3.20"),
        (Shell::BusyboxAsh, Some(Libc::Musl), false)
    );
    assert_eq!(info("alpine"), (Shell::BusyboxAsh, Some(Libc::Musl), true));
    assert_eq!(info("debian:12").0, Shell::Dash);
    assert_eq!(
        info("gcr.io/distroless/static-debian12").1,
        Some(Libc::None)
    );
    assert_eq!(
        info("gcr.io/distroless/base-debian12:debug").0,
        Shell::BusyboxAsh
    );
    assert_eq!(info("busybox:musl").1, Some(Libc::Musl));
    assert_eq!(
        info("mcr.microsoft.com/windows/nanoserver:ltsc2022").0,
        Shell::Cmd
    );
    // An unnamed Alpine branch moves with the image; a named one does not.
    assert!(info("node:20-alpine").2);
    assert!(!info("node:20-alpine3.20").2);
    assert!(info("node:latest").2);
}

#[test]
fn possible_managers_cover_unknown_releases() {
    let info = |text: &str| resolve(&ImageReference::parse(text).unwrap()).unwrap();
    // Amazon Linux 2023 has dnf; when the release is unknown dnf may exist.
    assert!(info("amazoncorretto:17").may_have(ManagerId::Dnf));
    assert!(!info("amazonlinux:2").may_have(ManagerId::Dnf));
    assert!(!info("centos:7").may_have(ManagerId::Dnf));
    assert!(info("centos:8").may_have(ManagerId::Yum));
    assert!(!info("redhat/ubi9-minimal").may_have(ManagerId::Yum));
    assert!(info("photon:5.0").may_have(ManagerId::Yum));
    assert!(!info("alpine").may_have(ManagerId::Apt));
    assert!(!info("gcr.io/distroless/base").may_have(ManagerId::Apt));
}

#[test]
fn every_entry_has_names_and_a_page_or_homepage() {
    for entry in IMAGES {
        assert!(!entry.names.is_empty() && !entry.title.is_empty());
        assert!(!entry.description.is_empty(), "{}", entry.title);
        for name in entry.names {
            let probe = name.replace('*', "probe");
            let reference = ImageReference::parse(&probe)
                .unwrap_or_else(|| panic!("catalog name {name} does not parse"));
            assert!(resolve(&reference).is_some(), "{name} does not resolve");
        }
    }
    assert_eq!(
        IMAGES[2].page().as_deref(),
        Some("https://hub.docker.com/_/alpine")
    );
    assert_eq!(
        hub_page("bitnami/minideb").as_deref(),
        Some("https://hub.docker.com/r/bitnami/minideb")
    );
    assert_eq!(hub_page("gcr.io/distroless/static"), None);
}
