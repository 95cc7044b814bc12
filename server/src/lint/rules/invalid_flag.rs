//! InvalidFlag: a `--flag` BuildKit rejects when it parses the instruction: unknown for that
//! instruction (or for the frontend `# syntax=` names), given twice, without the value it
//! needs, or with a value it cannot read.

use crate::knowledge::frontend::Frontend;
use crate::knowledge::go_values::{self, DurationError, MILLISECOND};
use crate::knowledge::instructions::{self, FlagInfo, FlagKind};
use crate::knowledge::suggest;
use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Flag, Instruction, Keyword, Mount};

pub static RULE: Rule = Rule {
    name: "InvalidFlag",
    aliases: &[],
    severity: Severity::Error,
    summary: "BuildKit rejects this flag or its value",
    documentation: "\
## What it does
Checks every `--flag` written after an instruction keyword the way BuildKit reads it when it \
turns the instruction into a build step, and reports what it rejects:

- a flag the instruction does not have: `COPY --form=build`, `ADD --from=build` (a `COPY` \
flag), any flag on `ENV`, `LABEL`, `WORKDIR`, `USER`, `EXPOSE`, `VOLUME`, `SHELL`, \
`MAINTAINER`, `ONBUILD`, `CMD` and `ENTRYPOINT` (a shell-form `CMD --help` is read as a flag \
too). The flags are: `FROM --platform`; `RUN --mount`, `--network`, `--security`, \
`--device`; `COPY --from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`; `ADD \
--chown`, `--chmod`, `--link`, `--checksum`, `--keep-git-dir`, `--unpack`, `--exclude`; \
`HEALTHCHECK --interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries`. \
Names are case-sensitive;
- a flag older frontends do not know, when `# syntax=` names one: `--chmod` needs \
Dockerfile 1.2, `--link` 1.4, `ADD --checksum` 1.6 (1.5-labs), `ADD --unpack` 1.17, \
`--exclude` 1.19 (1.7-labs), `COPY --parents` 1.20 (1.7-labs), `RUN --mount` 1.2 and `RUN \
--network` 1.3 (both in the experimental channel before);
- a flag given twice, except the repeatable `--mount`, `--exclude` and `--device`;
- a flag without the value it needs (`--chown`, `--from=`... take `=value`), and a boolean \
flag (`--link`, `--parents`, `--keep-git-dir`, `--unpack`) with an empty value or a value \
other than `true` or `false` (any case);
- values BuildKit checks while parsing: `--network` must be `default`, `none` or `host`, \
`--security` `insecure` or `sandbox` (both exactly, and not expanded from variables); \
`--device` a device name with an optional `required[=<bool>]`; the `HEALTHCHECK` durations \
must be Go durations (`30s`, `1m30s`, `500ms`: a number alone, `1min` or `1d` are not) of \
at least 1ms, or 0 to keep the base image's value; `--retries` a whole number, not \
negative; a numeric `--chmod` an octal mode up to `7777`.

`ARG` and `STOPSIGNAL` flags, and the flags of `HEALTHCHECK NONE`, are not reported: BuildKit \
ignores them. `--mount` values have their own rule, InvalidMount. A file whose `# syntax=` \
names another frontend than Docker's is not checked.

Inside `ONBUILD`, the trigger's flags are reported as warnings: this build stores the \
trigger as text, and builds based on the image fail on it.

## Why
BuildKit stops the build with `unknown flag`, `duplicate flag specified`, `missing a value \
on flag` or a parse error of the value, before anything runs.

## Fixes
**Change to --NAME** (unsafe): the nearest flag of the instruction, for a misspelt name; \
the spelling is a guess. **Change to DURATION** (unsafe): a `HEALTHCHECK` duration without a \
unit read as seconds (`--interval=5` → `5s`, Docker's usual unit for it), or a spelled-out \
unit written as Go writes it (`1min` → `1m`, `30sec` → `30s`); what was meant is a guess.

## Example
```dockerfile
FROM golang:1.22 AS build
FROM alpine
COPY --form=build /app /app
HEALTHCHECK --interval=5 CMD wget -q -O- localhost
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
FROM alpine
COPY --from=build /app /app
HEALTHCHECK --interval=5s CMD wget -q -O- localhost
```
",
    syntax: true,
    on_by_default: true,
    check,
};

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The findings of one instruction with flags ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    let context = pass.context;
    let instruction = parsed.instruction;
    if !parsed.has_flags || !flags_are_parsed(instruction) {
        return;
    }
    let known = instructions::instruction(instruction.keyword)
        .map(|info| info.flags)
        .unwrap_or(&[]);
    for (position, flag) in instruction.flags.iter().enumerate() {
        let problem = match known.iter().find(|info| info.name == flag.name) {
            None => Some(unknown(context, instruction, flag, known)),
            Some(info) => problem_with(context, pass.frontend, instruction, position, flag, info),
        };
        if let Some(diagnostic) = problem {
            found.push(parsed.finish(diagnostic));
        }
    }
}

/// BuildKit reads the flags of every instruction but `ARG`, `STOPSIGNAL` and `HEALTHCHECK
/// NONE`, which never call its flag parser.
fn flags_are_parsed(instruction: &Instruction) -> bool {
    match instruction.keyword {
        Keyword::Arg | Keyword::Stopsignal | Keyword::Unknown => false,
        Keyword::Healthcheck => !instruction
            .values
            .first()
            .is_some_and(|kind| kind.text.eq_ignore_ascii_case("none")),
        _ => true,
    }
}

/// From the dashes to the end of the name: what an unknown flag underlines.
fn name_span(flag: &Flag) -> crate::text::Span {
    flag.span.start..flag.name_span.end.max(flag.span.start)
}

fn listing(known: &[FlagInfo]) -> String {
    known
        .iter()
        .map(|info| format!("--{}", info.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown(
    context: &Context,
    instruction: &Instruction,
    flag: &Flag,
    known: &[FlagInfo],
) -> Diagnostic {
    let keyword = instruction.keyword.name();
    let name = &flag.name;
    let mut message = if known.is_empty() {
        format!("`--{name}` is read as a flag, and {keyword} takes no flags")
    } else {
        format!("{keyword} has no flag `--{name}`")
    };
    let lower = name.to_ascii_lowercase();
    let suggestion = known
        .iter()
        .find(|info| info.name == lower)
        .map(|info| info.name)
        .or_else(|| suggest::nearest(&lower, known.iter().map(|info| info.name)));
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(": did you mean `--{suggestion}`?"));
    } else if let Some(owner) = other_owner(name) {
        message.push_str(&format!(" (`--{name}` is a {} flag)", owner.name()));
    }
    if known.is_empty() {
        if matches!(instruction.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            message.push_str(&format!(
                "; to pass it to the program, write the exec form: {keyword} [\"--{name}\", ...]"
            ));
        }
    } else if suggestion.is_none() {
        message.push_str(&format!("; {keyword} takes {}", listing(known)));
    }
    let diagnostic = Diagnostic::new(&RULE, name_span(flag), message);
    diagnostic.fix_with(context, || {
        let suggestion = suggestion?;
        // Only where the name is written as read (no quotes or escapes in it).
        if context.source.slice(&flag.name_span) != flag.name {
            return None;
        }
        Some(Fix::new(
            format!("Change to --{suggestion}"),
            vec![Edit::replace(flag.name_span.clone(), suggestion)],
        ))
    })
}

/// Another instruction that has a flag of this name, for a hint (`ADD --from`).
fn other_owner(name: &str) -> Option<Keyword> {
    instructions::INSTRUCTIONS
        .iter()
        .find(|info| info.flags.iter().any(|flag| flag.name == name))
        .map(|info| info.keyword)
}

fn problem_with(
    context: &Context,
    frontend: Frontend,
    instruction: &Instruction,
    position: usize,
    flag: &Flag,
    info: &FlagInfo,
) -> Option<Diagnostic> {
    let keyword = instruction.keyword.name();
    let name = info.name;
    if let Some(since) = info.since
        && !frontend.knows(since)
    {
        let directive = context
            .source
            .file
            .directives
            .iter()
            .find(|directive| directive.name == "syntax");
        let mut diagnostic = Diagnostic::new(
            &RULE,
            name_span(flag),
            format!(
                "`{keyword} --{name}` needs Dockerfile frontend {}; the `# syntax=` directive asks for an older one, which rejects it as an unknown flag",
                since.describe()
            ),
        );
        if let Some(directive) = directive {
            diagnostic = diagnostic.related(directive.value_span.clone(), "the frontend asked for");
        }
        return Some(diagnostic);
    }
    if info.kind != FlagKind::Repeatable
        && instruction.flags[..position]
            .iter()
            .any(|earlier| earlier.name == flag.name)
    {
        return Some(Diagnostic::new(
            &RULE,
            name_span(flag),
            format!("`--{name}` is given twice: {keyword} takes it once"),
        ));
    }
    let value_span = flag.value_span.clone().unwrap_or(flag.span.clone());
    let at_value = |message: String| Some(Diagnostic::new(&RULE, value_span.clone(), message));
    let value = match (&flag.value, info.kind) {
        (None, FlagKind::Switch) => return None,
        (Some(value), FlagKind::Switch) => {
            if value.is_empty() {
                return Some(Diagnostic::new(
                    &RULE,
                    flag.span.clone(),
                    format!(
                        "`--{name}=` has no value: write `--{name}`, `--{name}=true` or `--{name}=false`"
                    ),
                ));
            }
            if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") {
                return at_value(format!("`--{name}` takes `true` or `false`, not `{value}`"));
            }
            return None;
        }
        (None, _) => {
            return Some(Diagnostic::new(
                &RULE,
                flag.span.clone(),
                format!(
                    "`--{name}` needs a value: `--{name}={}`",
                    if info.value.is_empty() {
                        "..."
                    } else {
                        info.value
                    }
                ),
            ));
        }
        (Some(value), _) => value.as_str(),
    };
    if instruction.keyword == Keyword::Healthcheck && name != "retries" {
        let message = duration_problem(name, value)?;
        let diagnostic = Diagnostic::new(&RULE, value_span.clone(), message);
        return Some(diagnostic.fix_with(context, || {
            let corrected = duration_guess(value)?;
            (context.source.slice(&value_span) == value).then(|| {
                Fix::new(
                    format!("Change to {corrected}"),
                    vec![Edit::replace(value_span.clone(), corrected)],
                )
            })
        }));
    }
    let message = match (instruction.keyword, name) {
        (Keyword::Run, "network") => (!matches!(value, "default" | "none" | "host")).then(|| {
            format!("`--network` takes `default`, `none` or `host` (exactly, not expanded), not `{value}`")
        }),
        (Keyword::Run, "security") => (!matches!(value, "insecure" | "sandbox")).then(|| {
            format!("`--security` takes `insecure` or `sandbox` (exactly, not expanded), not `{value}`")
        }),
        (Keyword::Run, "device") => device_problem(value),
        (Keyword::Healthcheck, "retries") => retries_problem(value),
        (Keyword::Copy | Keyword::Add, "chmod") => chmod_problem(value),
        _ => None,
    };
    message.and_then(at_value)
}

/// `HEALTHCHECK` durations, as `parseOptInterval` reads them: empty or 0 keeps the base
/// image's value; otherwise a Go duration of at least 1ms.
fn duration_problem(name: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let units = "ns, us, ms, s, m or h";
    match go_values::parse_duration(value) {
        Ok(0) => None,
        Ok(nanoseconds) if nanoseconds < MILLISECOND => Some(format!(
            "`--{name}={value}` is less than 1ms: use a positive duration, or 0 to keep the base image's value"
        )),
        Ok(_) => None,
        Err(DurationError::MissingUnit(range)) => Some(format!(
            "`--{name}={value}` has no unit after `{}`: durations need one of {units} (`{}s`)",
            &value[range.clone()],
            &value[range]
        )),
        Err(DurationError::UnknownUnit(range)) => Some(format!(
            "`{}` in `--{name}={value}` is not a duration unit: use {units} (`1m` is a minute)",
            &value[range]
        )),
        Err(DurationError::Invalid) => Some(format!(
            "`--{name}={value}` is not a duration: write a number with a unit, such as `30s` or `1m30s`"
        )),
    }
}

/// What a duration without a unit (`5`) or with a spelled-out one (`1min`, `30sec`) most
/// likely meant: seconds for a bare number (Docker's usual unit for these), the Go unit for a
/// spelled-out one. A guess, so the fix is unsafe.
fn duration_guess(value: &str) -> Option<String> {
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(format!("{value}s"));
    }
    let digits = value
        .bytes()
        .take_while(|byte| byte.is_ascii_digit() || *byte == b'.')
        .count();
    let (number, unit) = value.split_at(digits);
    if number.is_empty() {
        return None;
    }
    let unit = match unit.to_ascii_lowercase().as_str() {
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" => "h",
        "msec" | "msecs" | "millisecond" | "milliseconds" => "ms",
        _ => return None,
    };
    Some(format!("{number}{unit}"))
}

/// `--retries`, as `strconv.ParseInt(value, 10, 32)` reads it, not negative.
fn retries_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    match go_values::parse_signed(value, 32) {
        None => Some(format!("`--retries` takes a whole number, not `{value}`")),
        Some(retries) if retries < 0 => Some(format!("`--retries` cannot be negative ({retries})")),
        Some(_) => None,
    }
}

/// A numeric `--chmod`: BuildKit reads digits as an octal mode of at most 7777, and fails
/// when that is impossible (symbolic modes are not judged here).
fn chmod_problem(value: &str) -> Option<String> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    match go_values::parse_unsigned(value, 8, 32) {
        Some(mode) if mode <= 0o7777 => None,
        _ => Some(format!(
            "`--chmod={value}` is not an octal mode: use octal digits up to 7777 (`755`, `0644`) or a symbolic mode (`u+x`)"
        )),
    }
}

/// `RUN --device`, as BuildKit's `ParseDevice` reads it: a CSV record of a device name (bare
/// or `name=`) and `required[=<bool>]`.
fn device_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let record = Mount::parse_text(value);
    if let Some(error) = &record.error {
        return Some(format!(
            "`--device={value}` is not a CSV record BuildKit reads: {}",
            error.message
        ));
    }
    let mut named = false;
    for field in &record.fields {
        let key = field.key.to_ascii_lowercase();
        let Some(flag) = &field.value else {
            if key == "required" {
                continue;
            }
            if !named {
                // The first bare field is the device name.
                named = !field.key.is_empty();
                continue;
            }
            return Some(format!(
                "`{}` in `--device={value}` must be a key=value pair: the device is already named",
                field.key
            ));
        };
        match key.as_str() {
            "name" if named => {
                return Some(format!("`--device` names the device twice in `{value}`"));
            }
            "name" => named = true,
            "required" => {
                if go_values::parse_bool(flag).is_none() {
                    return Some(format!(
                        "`required` in `--device` takes a boolean (`true`, `false`, `1`, `0`), not `{flag}`"
                    ));
                }
            }
            // A CDI name (`vendor.com/class=name`) holds a `=`: the first such field is the name.
            _ if !named => named = true,
            _ => {
                return Some(format!(
                    "`{}` is not a `--device` key: use `name` and `required`",
                    field.key
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    fn messages(text: &str) -> Vec<String> {
        run(&RULE, text)
            .into_iter()
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    #[test]
    fn unknown_flags_with_suggestions() {
        let text = "FROM a AS build\nFROM b\nCOPY --form=build /x /y\n";
        assert_eq!(underlined(&RULE, text), vec!["--form"]);
        assert!(messages(text)[0].contains("did you mean `--from`"));
        let fixed = apply_fix(&RULE, text, "Change to --from");
        assert_eq!(fixed, "FROM a AS build\nFROM b\nCOPY --from=build /x /y\n");
        assert!(messages("FROM a\nADD --from=a x y\n")[0].contains("a COPY flag"));
        assert_eq!(underlined(&RULE, "FROM a\nENV --x=1 A=b\n"), vec!["--x"]);
        let cmd = messages("FROM a\nCMD --help\n");
        assert!(cmd[0].contains("exec form"), "{cmd:?}");
        assert_eq!(
            underlined(&RULE, "FROM --platfrom=linux/amd64 a\n"),
            vec!["--platfrom"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nONBUILD --x RUN y\n"),
            vec!["--x"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --FROM=b x y\n"),
            vec!["--FROM"]
        );
    }

    #[test]
    fn duplicates_missing_values_and_booleans() {
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --from=a --from=b x y\n"),
            vec!["--from"]
        );
        let text = "FROM a\nCOPY --link --link=false x y\n";
        assert_eq!(
            run(&RULE, text)[0].span.start,
            text.find("--link=").unwrap()
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --chown x y\n"),
            vec!["--chown"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --link=yes x y\n"),
            vec!["yes"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --link= x y\n"),
            vec!["--link="]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --mount x\n"),
            vec!["--mount"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --network=HOST x\n"),
            vec!["HOST"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --network=$N x\n"),
            vec!["$N"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --security=root x\n"),
            vec!["root"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --device=a,b x\n"),
            vec!["a,b"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nRUN --device=a,required=maybe x\n"),
            vec!["a,required=maybe"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --chmod=789 x y\n"),
            vec!["789"]
        );
        assert_eq!(
            underlined(&RULE, "FROM a\nCOPY --chmod=17777 x y\n"),
            vec!["17777"]
        );
    }

    #[test]
    fn healthcheck_durations_and_retries() {
        let at =
            |flags: &str| underlined(&RULE, &format!("FROM a\nHEALTHCHECK {flags} CMD true\n"));
        assert_eq!(at("--interval=5"), vec!["5"]);
        assert_eq!(at("--timeout=1min"), vec!["1min"]);
        assert_eq!(at("--start-period=-5s"), vec!["-5s"]);
        assert_eq!(at("--start-interval=100us"), vec!["100us"]);
        assert_eq!(at("--interval=x"), vec!["x"]);
        assert_eq!(at("--retries=-1"), vec!["-1"]);
        assert_eq!(at("--retries=two"), vec!["two"]);
        assert_eq!(at("--retry=3"), vec!["--retry"]);
        assert!(messages("FROM a\nHEALTHCHECK --interval=5 CMD true\n")[0].contains("`5s`"));
        let fixed = apply_fix(
            &RULE,
            "FROM a\nHEALTHCHECK --interval=5 CMD true\n",
            "Change to 5s",
        );
        assert_eq!(fixed, "FROM a\nHEALTHCHECK --interval=5s CMD true\n");
        let fixed = apply_fix(
            &RULE,
            "FROM a\nHEALTHCHECK --timeout=1min CMD true\n",
            "Change to 1m",
        );
        assert_eq!(fixed, "FROM a\nHEALTHCHECK --timeout=1m CMD true\n");
        let fix = &run(&RULE, "FROM a\nHEALTHCHECK --interval=5 CMD true\n")[0].fixes[0];
        assert!(!fix.safe);
        assert!(
            run(&RULE, "FROM a\nHEALTHCHECK --interval=3d CMD true\n")[0]
                .fixes
                .is_empty()
        );
        for fine in [
            "--interval=0",
            "--interval=0s",
            "--timeout=",
            "--interval=1m30s",
            "--start-period=1.5s",
            "--retries=0",
            "--retries=3",
            "--interval=1ms",
        ] {
            assert!(at(fine).is_empty(), "{fine}");
        }
        // BuildKit does not read the flags of HEALTHCHECK NONE.
        assert!(run(&RULE, "FROM a\nHEALTHCHECK --interval=5 NONE\n").is_empty());
    }

    #[test]
    fn older_frontends_reject_newer_flags() {
        let text = "# syntax=docker/dockerfile:1.4\nFROM a\nCOPY --parents x /y/\n";
        assert_eq!(underlined(&RULE, text), vec!["--parents"]);
        assert!(messages(text)[0].contains("1.20"));
        assert!(
            run(
                &RULE,
                "# syntax=docker/dockerfile:1.7-labs\nFROM a\nCOPY --parents --exclude=*.md x /y/\n"
            )
            .is_empty()
        );
        assert_eq!(
            underlined(
                &RULE,
                "# syntax=docker/dockerfile:1.3\nFROM a\nCOPY --link x /y/\n"
            ),
            vec!["--link"]
        );
        assert!(
            run(
                &RULE,
                "# syntax=docker/dockerfile:1.0-experimental\nFROM a\nRUN --mount=type=cache,target=/x y\n"
            )
            .is_empty()
        );
        assert_eq!(
            underlined(
                &RULE,
                "# syntax=docker/dockerfile:1.1\nFROM a\nRUN --mount=type=cache,target=/x y\n"
            ),
            vec!["--mount"]
        );
        // Another frontend's syntax is its own.
        assert!(
            run(
                &RULE,
                "# syntax=example.com/frontend:1\nFROM a\nCOPY --magic x y\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn what_current_buildkit_accepts() {
        let text = "\
FROM --platform=$BUILDPLATFORM golang AS build
RUN --mount=type=cache,target=/x --mount=type=secret,id=s --network=none --security=insecure --device=nvidia.com/gpu=all,required true
RUN --device=/dev/fuse --device=name=x,required=false true
COPY --from=build --chown=1:1 --chmod=0755 --link --parents --exclude=*.md --exclude=*.txt a b /c/
COPY --chmod=u+x,go=rx --link=TRUE a /b
ADD --chown=a --chmod=644 --link=false --checksum=sha256:abc --keep-git-dir --unpack=true --exclude=x a /b
ADD --unpack a.tar /b
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --start-interval=1s --retries=3 CMD true
ARG --anything NAME
STOPSIGNAL --whatever SIGTERM
ONBUILD RUN --mount=type=cache,target=/y true
";
        assert!(run(&RULE, text).is_empty(), "{:?}", messages(text));
    }

    #[test]
    fn onbuild_triggers_are_warnings() {
        let found = run(&RULE, "FROM a\nONBUILD COPY --form=x a b\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("ONBUILD trigger"));
    }
}
