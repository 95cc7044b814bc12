//! InvalidStageReference: `COPY --from` or `RUN --mount=from=` naming a stage that does not
//! exist, the stage itself, or a stage defined later.

use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::stages::{Dependency, DependencyKind, Target};

pub static RULE: Rule = Rule {
    name: "InvalidStageReference",
    aliases: &["DL3022", "DL3023"],
    severity: Severity::Error,
    summary: "A --from reference names no earlier stage",
    documentation: "\
## What it does
Checks every `COPY --from=`, `ADD --from=` and `RUN --mount=...,from=` reference:

- an index (`--from=1`) must be an earlier stage: the stage itself or a stage that does not \
exist is an error;
- a name must not be the stage's own name (an error: a stage cannot read itself), and \
should be an earlier stage (a later one works with BuildKit but reads backwards and fails \
with the classic builder);
- a name that is close to a stage name is probably a typo (a warning with the fix);
- any other plain name is not a stage: BuildKit then reads a named build context or pulls \
an image of that name (reported as information), unless a compose service or bake target \
that builds the file passes a named context of that name (`additional_contexts`, \
`contexts`): then nothing is reported.

## Why
A misspelt stage name is not an error for BuildKit: it quietly tries to pull an image \
called `buidler` from Docker Hub and fails with a confusing registry error, or worse, \
succeeds.

## Fixes
**Change to NAME** (unsafe): the nearest stage name. The reference may have meant an \
image or a named build context.

## Example
```dockerfile
FROM golang AS builder
RUN go build -o /app .
FROM alpine
COPY --from=buidler /app /app
```

## Use instead
```dockerfile
FROM golang AS builder
RUN go build -o /app .
FROM alpine
COPY --from=builder /app /app
```
",
    syntax: false,
    on_by_default: true,
    check,
};

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            current.push(
                (previous[j] + usize::from(ca != cb))
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

fn what(kind: DependencyKind) -> &'static str {
    match kind {
        DependencyKind::CopyFrom => "--from",
        DependencyKind::MountFrom => "--mount from",
        DependencyKind::From => "FROM",
    }
}

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    let stages = &context.source.stages.stages;
    for stage in stages {
        for dependency in &stage.dependencies {
            if let Some(diagnostic) = judge(context, stage.index, dependency) {
                found.push(diagnostic);
            }
        }
    }
}

fn judge(context: &Context, current: usize, dependency: &Dependency) -> Option<Diagnostic> {
    let stages = &context.source.stages.stages;
    let span = dependency.span.clone();
    let flag = what(dependency.kind);
    match &dependency.target {
        Target::Stage(target) if *target == current => Some(Diagnostic::new(
            &RULE,
            span,
            format!("{flag} refers to its own stage: a stage cannot read from itself"),
        )),
        Target::Stage(target) if *target > current && dependency.kind != DependencyKind::From => {
            let line_start = stages[*target].from;
            let from_span = context.instructions()[line_start].keyword_word.span.clone();
            Some(
                Diagnostic::new(&RULE, span, format!("{flag} refers to stage \"{}\", which is defined later: refer to earlier stages only", stages[*target].label()))
                    .severity(Severity::Warning)
                    .related(from_span, "defined here"),
            )
        }
        Target::Missing(name) if name.parse::<usize>().is_ok() => Some(Diagnostic::new(
            &RULE,
            span,
            format!(
                "{flag}={name}: there is no stage {name} (stages are numbered from 0; this file has {})",
                stages.len()
            ),
        )),
        // A named context a compose or bake build passes (`additional_contexts`, `contexts`).
        Target::Missing(name)
            if context
                .build()
                .is_some_and(|build| build.is_named_context(name)) =>
        {
            None
        }
        Target::Missing(name) => {
            let lower = name.to_lowercase();
            let names: Vec<String> = stages
                .iter()
                .filter_map(|stage| stage.name.as_ref().map(|word| word.text.to_string()))
                .collect();
            // A name whose dash-separated part is the reference (`set` → `license-set`) beats
            // a merely similar one.
            let by_part: Vec<&String> = names
                .iter()
                .filter(|candidate| {
                    candidate
                        .to_lowercase()
                        .split(['-', '_', '.'])
                        .any(|part| part == lower)
                })
                .collect();
            let close = match by_part.as_slice() {
                [only] => Some((0, (*only).clone())),
                _ => names
                    .iter()
                    .filter(|candidate| candidate.len() > 2)
                    .map(|candidate| {
                        (
                            distance(&lower, &candidate.to_lowercase()),
                            candidate.clone(),
                        )
                    })
                    .filter(|(distance, _)| *distance <= 2)
                    .min(),
            };
            match close {
                Some((_, candidate)) => Some(
                    Diagnostic::new(&RULE, span.clone(), format!("No stage named \"{name}\" (did you mean \"{candidate}\"?); BuildKit would look for an image or build context called \"{name}\""))
                        .severity(Severity::Warning)
                        .fix_with(context, || Some(Fix::new(format!("Change to {candidate}"), vec![Edit::replace(span, candidate.clone())]).preferred())),
                ),
                None => Some(
                    Diagnostic::new(&RULE, span, format!("No stage named \"{name}\": BuildKit reads a build context or pulls an image called \"{name}\""))
                        .severity(Severity::Info),
                ),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run};

    #[test]
    fn index_and_self_references() {
        let found = run(
            &RULE,
            "FROM a AS one\nCOPY --from=one /a /a\nFROM b\nCOPY --from=3 /a /a\nCOPY --from=1 /b /b\n",
        );
        let severities: Vec<_> = found.iter().map(|d| d.severity).collect();
        assert_eq!(
            severities,
            vec![Severity::Error, Severity::Error, Severity::Error]
        );
    }

    #[test]
    fn named_contexts_of_compose_builds_are_not_stages() {
        use crate::lint::rules::copy_ignored_file::tests::lint_in;
        let compose = "services:\n  app:\n    build:\n      context: .\n      additional_contexts:\n        assets: ./assets\n";
        let text = "FROM a\nCOPY --from=assets /x /x\nCOPY --from=other /y /y\n";
        let found = lint_in(&RULE, &[("compose.yaml", compose)], text);
        let names: Vec<&str> = found.iter().map(|d| &text[d.span.clone()]).collect();
        assert_eq!(names, vec!["other"]);
    }

    #[test]
    fn later_stages_and_typos() {
        let text = "FROM golang AS builder\nRUN --mount=type=bind,from=assets,target=/x true\nFROM alpine AS assets\nCOPY --from=buidler /app /app\nCOPY --from=nginx:1 /a /a\nCOPY --from=alpine /b /b\n";
        let found = run(&RULE, text);
        let summary: Vec<_> = found
            .iter()
            .map(|d| (d.severity, text[d.span.clone()].to_string()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Severity::Warning, "assets".to_string()),
                (Severity::Warning, "buidler".to_string()),
                (Severity::Info, "alpine".to_string()),
            ]
        );
        let fixed = apply_fix(
            &RULE,
            "FROM golang AS builder\nFROM alpine\nCOPY --from=buidler /app /app\n",
            "Change to builder",
        );
        assert!(fixed.contains("--from=builder"));
        let found = run(
            &RULE,
            "FROM a AS test\nFROM a AS license-set\nFROM scratch\nCOPY --from=set /out /\n",
        );
        assert!(
            found[0].message.contains("did you mean \"license-set\""),
            "{}",
            found[0].message
        );
    }
}
