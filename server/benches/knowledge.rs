//! Base-image knowledge benchmarks: catalog lookups, the hovers that read the catalog (a
//! `FROM` image, a stage name, a package-manager command), inlay hints, document links and
//! the four base-image rules, on a multi-stage Dockerfile of about 1,000 lines. Hovers should
//! stay in microseconds.
//!
//! Run with `cargo bench -p dockerfile-ls --bench knowledge`.

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dockerfile_ls::analysis::{hover, inlay_hints, links};
use dockerfile_ls::knowledge::catalog;
use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::knowledge::images::ImageReference;
use dockerfile_ls::knowledge::stage_bases;
use dockerfile_ls::lint::{self, Context, Rule, Settings};
use dockerfile_ls::syntax::SourceFile;

const BASES: [&str; 8] = [
    "debian:bookworm-slim",
    "alpine:3.22",
    "rockylinux:9",
    "python:3.12-slim",
    "node:20-alpine",
    "golang:1.22",
    "registry.access.redhat.com/ubi9/ubi-minimal:9.4",
    "mcr.microsoft.com/dotnet/sdk:8.0-jammy",
];

/// A multi-stage Dockerfile of about `lines` lines, each stage on one of [`BASES`] and
/// installing packages with its own package manager, with stages built on stages.
fn dockerfile(lines: usize) -> String {
    let mut text = String::from("ARG BASE=alpine:3.22\n");
    let mut stage = 0;
    while text.lines().count() < lines {
        let base = BASES[stage % BASES.len()];
        let install = match stage % BASES.len() {
            0 | 3 | 5 | 7 => {
                "apt-get update && apt-get install -y --no-install-recommends curl git && rm -rf /var/lib/apt/lists/*"
            }
            1 | 4 => "apk add --no-cache curl git",
            2 => "dnf install -y curl git && dnf clean all",
            _ => "microdnf install -y curl git && microdnf clean all",
        };
        let _ = write!(
            text,
            "\nFROM {base} AS stage{stage}\nARG VERSION=1.{stage}\nRUN {install}\nWORKDIR /opt/app{stage}\nCOPY . .\n"
        );
        if stage > 0 {
            let _ = writeln!(text, "COPY --from=stage{} /opt/app /opt/app", stage - 1);
        }
        let _ = write!(
            text,
            "FROM stage{stage} AS test{stage}\nRUN make test\nFROM $BASE\nRUN apk add --no-cache ca-certificates\n"
        );
        stage += 1;
    }
    text
}

fn benches(criterion: &mut Criterion) {
    let text = dockerfile(1_000);
    let source = SourceFile::parse(&text);
    // The scripts are parsed once per document version; measure the steady state.
    let _ = source.scripts(0);

    let references: Vec<ImageReference> = BASES
        .iter()
        .map(|base| ImageReference::parse(base).expect("valid"))
        .collect();
    criterion.bench_function("catalog/resolve 8 images", |bench| {
        bench.iter(|| {
            for reference in &references {
                black_box(catalog::resolve(black_box(reference)));
            }
        })
    });

    let middle = text.len() / 2;
    let from_image = middle + text[middle..].find("FROM rockylinux").expect("a FROM") + 7;
    let stage_name = middle + text[middle..].find("FROM stage").expect("a FROM stage") + 7;
    let package_manager = middle + text[middle..].find("apt-get install").expect("an install") + 9;
    for (name, offset) in [
        ("hover/FROM image", from_image),
        ("hover/FROM stage", stage_name),
        ("hover/package manager", package_manager),
    ] {
        assert!(hover::hover(&source, offset, AS_OF).is_some(), "{name}");
        criterion.bench_function(name, |bench| {
            bench.iter(|| black_box(hover::hover(&source, black_box(offset), AS_OF)))
        });
    }

    let screen = middle..(middle + 3_000).min(text.len());
    criterion.bench_function("inlay hints/one screen", |bench| {
        bench.iter(|| black_box(inlay_hints::inlay_hints(&source, black_box(screen.clone()))))
    });
    criterion.bench_function("stage bases/whole file", |bench| {
        bench.iter(|| black_box(stage_bases::stage_bases(&source)))
    });
    criterion.bench_function("document links/whole file", |bench| {
        bench.iter(|| black_box(links::document_links(&source)))
    });

    let settings = Settings::default();
    let rules: Vec<&Rule> = [
        "ImageTagMissing",
        "ImageTagLatest",
        "BaseImageEndOfLife",
        "PackageManagerMismatch",
    ]
    .iter()
    .map(|name| lint::find_rule(name).expect("registered"))
    .collect();
    criterion.bench_function("rules/the four base-image rules, whole file", |bench| {
        bench.iter(|| {
            // A fresh context each time: it caches the stages' bases.
            let context = Context::new(&source, &settings, AS_OF);
            let mut found = Vec::new();
            for rule in &rules {
                (rule.check)(&context, &mut found);
            }
            black_box(found)
        })
    });
}

criterion_group!(knowledge, benches);
criterion_main!(knowledge);
