//! Engine benchmarks: a whole parse and lint, and one keystroke (edit, re-lower, lint), on
//! realistic multi-stage Dockerfiles of 1,000 and 10,000 lines; hover latency; the IDE requests
//! (completion, signature help, navigation, the variable index, folding, selection, semantic
//! tokens, formatting) on the 10,000-line file.
//!
//! Run with `cargo bench -p dockerfile-ls`. Figures are for comparison between commits on one
//! machine; the comparison with other servers is lspbench's job (see README).

use std::fmt::Write;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dockerfile_ls::analysis::{
    completion, folding, format, hover, navigation, selection, semantic_tokens, signature_help,
};
use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::{self, Settings};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::syntax::variables::VariableIndex;
use dockerfile_ls::text::ByteEdit;

/// A deterministic multi-stage Dockerfile of about `lines` lines: apt, apk and yum installs
/// with continuations, ENV/ARG/LABEL, COPY --from, heredocs, exec-form commands, comments in
/// English and Chinese.
fn dockerfile(lines: usize) -> String {
    let bases = [
        "debian:bookworm-slim",
        "alpine:3.20",
        "rockylinux:9",
        "python:3.12-slim",
        "node:20-alpine",
        "golang:1.22",
    ];
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG REGISTRY=docker.io\n");
    let mut stage = 0;
    while text.lines().count() < lines {
        let base = bases[stage % bases.len()];
        let _ = write!(
            text,
            "\n# 第 {stage} 阶段: build stage {stage}\nFROM $REGISTRY/{base} AS stage{stage}\nARG VERSION=1.{stage}\nENV APP_HOME=/opt/app{stage} \\\n    PATH=/opt/app{stage}/bin:$PATH\nLABEL org.opencontainers.image.title=\"app {stage} 📦\"\n"
        );
        match stage % 3 {
            0 => text.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        curl \\\n        ca-certificates \\\n        git \\\n    && rm -rf /var/lib/apt/lists/*\n"),
            1 => text.push_str("RUN apk add --no-cache curl git \\\n    && adduser -D app\n"),
            _ => text.push_str("RUN yum install -y curl git && yum clean all\n"),
        }
        let _ = write!(
            text,
            "WORKDIR /opt/app{stage}\nCOPY --chown=1000:1000 . .\n"
        );
        if stage > 0 {
            let _ = writeln!(
                text,
                "COPY --from=stage{} /opt/app{}/bin /usr/local/bin/",
                stage - 1,
                stage - 1
            );
        }
        text.push_str("RUN <<EOF\nset -e\nmake -j\"$(nproc)\"\nmake install\nEOF\nRUN mkdir -p /var/log/app && chown -R 1000:1000 /var/log/app\n");
        let _ = write!(
            text,
            "EXPOSE 8080\nUSER 1000\nENTRYPOINT [\"/usr/local/bin/app{stage}\"]\nCMD [\"--port\", \"8080\"]\n"
        );
        stage += 1;
    }
    text
}

fn whole_file(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("parse and lint");
    for lines in [1_000, 10_000] {
        let text = dockerfile(lines);
        group.bench_with_input(BenchmarkId::from_parameter(lines), &text, |bench, text| {
            bench.iter(|| {
                let source = SourceFile::new(text.clone(), None);
                black_box(lint::lint(&source, &Settings::default(), AS_OF))
            })
        });
    }
    group.finish();
}

fn keystroke(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("edit, re-lower and lint");
    for lines in [1_000, 10_000] {
        let original = dockerfile(lines);
        let at = original[..original.len() / 2].rfind("\nRUN ").unwrap_or(0) + 5;
        group.bench_function(BenchmarkId::from_parameter(lines), |bench| {
            bench.iter_batched(
                || {
                    // The version before the edit as the server keeps it: linted, so with its
                    // RUN scripts and the variables BuildKit expands in each instruction.
                    let previous = SourceFile::new(original.clone(), None);
                    lint::lint_with(&previous, &Settings::default(), AS_OF, false);
                    for index in 0..previous.instructions().len() {
                        previous.scripts(index);
                    }
                    (previous, original.clone())
                },
                |(previous, mut text)| {
                    text.insert(at, 'x');
                    let edit = ByteEdit {
                        start: at,
                        old_end: at,
                        new_end: at + 1,
                    };
                    let source = SourceFile::edited(previous, text, edit);
                    // What the editor is sent: the findings without their fixes.
                    let diagnostics = lint::lint_with(&source, &Settings::default(), AS_OF, false);
                    // Returned, so dropping them is not timed (the server frees old versions
                    // after it has published).
                    (source, diagnostics)
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn hovers(criterion: &mut Criterion) {
    let text = dockerfile(10_000);
    let source = SourceFile::new(text.clone(), None);
    let keyword = text.find("\nRUN ").unwrap_or(0) + 2;
    let flag = text.find("--from=").unwrap_or(0) + 3;
    criterion.bench_function("hover on a keyword (10,000 lines)", |bench| {
        bench.iter(|| black_box(hover::hover(&source, keyword, AS_OF)))
    });
    criterion.bench_function("hover on a flag (10,000 lines)", |bench| {
        bench.iter(|| black_box(hover::hover(&source, flag, AS_OF)))
    });
}

fn ide_requests(criterion: &mut Criterion) {
    let text = dockerfile(10_000);
    let source = SourceFile::parse(&text);
    let tree = source.tree.clone().expect("a tree");
    // Where editors ask: a new line in the middle, a `$`, a flag, a stage reference.
    let middle = text[..text.len() / 2].rfind("\nRUN ").unwrap_or(0) + 1;
    let variable = text[middle..]
        .find("$PATH")
        .map(|at| middle + at + 2)
        .unwrap_or(0);
    let flag = text[middle..]
        .find("--chown")
        .map(|at| middle + at + 4)
        .unwrap_or(0);
    let stage = text[middle..]
        .find("--from=")
        .map(|at| middle + at + 8)
        .unwrap_or(0);
    let mut group = criterion.benchmark_group("IDE requests (10,000 lines)");
    group.bench_function("completion: instruction", |bench| {
        bench.iter(|| black_box(completion::completions(&source, middle, true, AS_OF)))
    });
    group.bench_function("completion: variable", |bench| {
        bench.iter(|| black_box(completion::completions(&source, variable, true, AS_OF)))
    });
    group.bench_function("completion: flag", |bench| {
        bench.iter(|| black_box(completion::completions(&source, flag, true, AS_OF)))
    });
    group.bench_function("signature help", |bench| {
        bench.iter(|| black_box(signature_help::signature_help(&source, flag)))
    });
    group.bench_function("references to a stage", |bench| {
        bench.iter(|| black_box(navigation::references(&source, stage, true)))
    });
    group.bench_function("references to a variable", |bench| {
        bench.iter(|| black_box(navigation::references(&source, variable, true)))
    });
    // What the first variable request (or a rule reading variables) pays once per version;
    // later requests read the index kept on the source file.
    group.bench_function("variable index, built once per version", |bench| {
        bench.iter(|| black_box(VariableIndex::build(&source)))
    });
    group.bench_function("folding ranges", |bench| {
        bench.iter(|| black_box(folding::folding_ranges(&source)))
    });
    group.bench_function("selection ranges", |bench| {
        bench.iter(|| black_box(selection::selection_ranges(&source, flag)))
    });
    group.bench_function("formatting", |bench| {
        bench.iter(|| black_box(format::format(&source, &format::FormatOptions::default())))
    });
    group.bench_function("semantic tokens", |bench| {
        bench.iter(|| black_box(semantic_tokens::semantic_tokens(&source, &tree, None)))
    });
    group.finish();
}

criterion_group!(benches, whole_file, keystroke, hovers, ide_requests);
criterion_main!(benches);
