//! InvalidMount: a `RUN --mount=...` value BuildKit rejects: not a CSV record, an unknown
//! type or key, a key the mount type does not take, a value it cannot read, or a secret
//! mount without what it needs.

use crate::knowledge::go_values;
use crate::knowledge::suggest;
use crate::lint::parsed::{self, Parsed, Pass};
use crate::lint::{Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::syntax::{Keyword, Mount, MountField, MountKey, MountType};

pub static RULE: Rule = Rule {
    name: "InvalidMount",
    aliases: &[],
    severity: Severity::Error,
    summary: "BuildKit rejects this --mount value",
    documentation: "\
## What it does
Reads every `RUN --mount=...` the way BuildKit reads it (a CSV record of `key=value` fields, \
keys in any case, `type` defaulting to `bind`) and reports what BuildKit rejects:

- a value that is not a CSV record (a stray `\"`), and an empty field (a doubled or trailing \
comma);
- a field without `=` other than `readonly`/`ro`, `readwrite`/`rw` and, for secret and ssh \
mounts, `required`;
- an unknown key (the keys are `type`, `from`, `source`/`src`, `target`/`dst`/`destination`, \
`readonly`/`ro`, `readwrite`/`rw`, `required`, `size`, `id`, `sharing`, `mode`, `uid`, \
`gid`, `env`) and an unknown `type` (`bind`, `cache`, `tmpfs`, `secret`, `ssh`);
- a key the type does not take: `required` outside secret and ssh mounts, `size` outside \
tmpfs, `sharing` outside cache, `mode`/`uid`/`gid` on bind and tmpfs mounts. BuildKit reads \
the fields in order, so `required` or `size` written before the `type=` that allows them is \
rejected too;
- a value it cannot read: `readonly`, `readwrite` and `required` take Go booleans (`true`, \
`false`, `1`, `0`, `t`, `f`...), `sharing` takes `shared`, `private` or `locked`, `mode` an \
octal number, `uid` and `gid` decimal numbers, `size` a size such as `512m`;
- `from` with a variable (`from=$STAGE`): BuildKit does not expand it;
- a secret mount without `id`, `source` or `target`, with both `source` and `id`, or with \
`from` or `sharing`;
- a bind, cache or tmpfs mount on `/`.

Values with variables are judged once BuildKit would expand them, so they are not judged \
here. A mount inside an `ONBUILD RUN` trigger is reported as a warning: builds based on the \
image fail on it, not this one.

## Why
BuildKit stops before running anything, with errors such as `unexpected key 'traget'`, \
`unsupported mount type`, or `invalid secret mount`.

## Fixes
**Change to KEY** (unsafe): the nearest key, for a misspelt one; the spelling is a guess.

## Example
```dockerfile
FROM debian
RUN --mount=type=cache,traget=/var/cache/apt apt-get update
RUN --mount=type=secret,required cat /run/secrets/token
```

## Use instead
```dockerfile
FROM debian
RUN --mount=type=cache,target=/var/cache/apt apt-get update
RUN --mount=type=secret,id=token,required cat /run/secrets/token
```
",
    syntax: true,
    on_by_default: true,
    check,
};

/// The keys BuildKit reads, for suggestions.
const KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "src",
    "target",
    "dst",
    "destination",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "required",
    "size",
    "id",
    "sharing",
    "mode",
    "uid",
    "gid",
    "env",
];

fn check(context: &Context, found: &mut Vec<Diagnostic>) {
    parsed::report(context, &RULE, found);
}

/// The findings of one `RUN` ([`parsed::findings`] calls it).
pub(crate) fn check_instruction(pass: &Pass, parsed: Parsed, found: &mut Vec<Diagnostic>) {
    if !parsed.has_flags {
        return;
    }
    let mount_flag = crate::knowledge::instructions::flag_info(Keyword::Run, "mount");
    if mount_flag
        .and_then(|info| info.since)
        .is_some_and(|since| !pass.frontend.knows(since))
    {
        // InvalidFlag reports the flag itself.
        return;
    }
    for mount in parsed.instruction.mounts() {
        if let Some(diagnostic) = problem(pass.context, &mount) {
            found.push(parsed.finish(diagnostic));
        }
    }
}

/// The first thing BuildKit rejects in `mount`, as it reads the fields in order.
fn problem(context: &Context, mount: &Mount) -> Option<Diagnostic> {
    if let Some(error) = &mount.error {
        // A flag without a value is InvalidFlag's.
        if error.message == "--mount needs a value" {
            return None;
        }
        return Some(Diagnostic::new(
            &RULE,
            error.span.clone(),
            format!(
                "the --mount value is not a CSV record BuildKit reads: {}",
                error.message
            ),
        ));
    }
    // The type as BuildKit knows it at each field: `None` once a `type=` holds a variable.
    let mut kind = Some(MountType::Bind);
    for field in &mount.fields {
        if let Some(diagnostic) = field_problem(context, field, kind) {
            return Some(diagnostic);
        }
        if field.name == MountKey::Type {
            kind = match field.value.as_deref() {
                Some(value) if value.contains('$') => None,
                Some(value) => Some(MountType::parse(value)),
                None => kind,
            };
        }
    }
    let kind = kind?;
    whole_mount_problem(mount, kind)
}

fn at(field: &MountField, message: String) -> Option<Diagnostic> {
    Some(Diagnostic::new(&RULE, field.span.clone(), message))
}

fn at_value(field: &MountField, message: String) -> Option<Diagnostic> {
    let span = field.value_span.clone().unwrap_or(field.span.clone());
    Some(Diagnostic::new(&RULE, span, message))
}

fn field_problem(
    context: &Context,
    field: &MountField,
    kind: Option<MountType>,
) -> Option<Diagnostic> {
    let key = field.key.as_ref();
    let type_name = |kind: MountType| match kind {
        MountType::Unknown => "unknown",
        known => known.name(),
    };
    let Some(value) = field.value.as_deref() else {
        return match field.name {
            MountKey::ReadOnly | MountKey::ReadWrite => None,
            MountKey::Required => match kind {
                Some(kind @ (MountType::Bind | MountType::Cache | MountType::Tmpfs)) => at(
                    field,
                    format!(
                        "`required` applies to secret and ssh mounts, not to this {} mount (a `type=` written after it comes too late)",
                        type_name(kind)
                    ),
                ),
                _ => None,
            },
            _ if key.is_empty() => at(
                field,
                "empty field in --mount (a doubled or trailing comma)".to_string(),
            ),
            _ => at(
                field,
                format!("`{key}` in --mount needs a value: write `{key}=...`"),
            ),
        };
    };
    if field.name == MountKey::From {
        // BuildKit refuses a `$` followed by anything in `from` before expanding.
        if let Some(dollar) = value.find('$')
            && dollar + 1 < value.len()
        {
            return at_value(
                field,
                "`from` in --mount does not expand variables: name a stage (`FROM ${IMAGE} AS deps`) and mount from it"
                    .to_string(),
            );
        }
        return None;
    }
    if field.name == MountKey::Unknown {
        let lower = key.to_ascii_lowercase();
        let suggestion = suggest::nearest(&lower, KEYS.iter().copied());
        let mut message = format!("--mount has no key `{key}`");
        match suggestion {
            Some(suggestion) => message.push_str(&format!(": did you mean `{suggestion}`?")),
            None => message.push_str(&format!("; the keys are {}", KEYS.join(", "))),
        }
        let diagnostic = Diagnostic::new(&RULE, field.key_span.clone(), message);
        return Some(diagnostic.fix_with(context, || {
            let suggestion = suggestion?;
            (context.source.slice(&field.key_span) == key).then(|| {
                Fix::new(
                    format!("Change to {suggestion}"),
                    vec![Edit::replace(field.key_span.clone(), suggestion)],
                )
            })
        }));
    }
    if value.contains('$') {
        // Expanded at build time: judged then.
        return None;
    }
    let boolean = |name: &str| {
        go_values::parse_bool(value).is_none().then(|| {
            format!(
                "`{name}` in --mount takes a boolean (`true`, `false`, `1`, `0`), not `{value}`"
            )
        })
    };
    let message = match field.name {
        MountKey::Type => (MountType::parse(value) == MountType::Unknown).then(|| {
            format!("unknown mount type `{value}`: use bind, cache, tmpfs, secret or ssh")
        }),
        MountKey::ReadOnly | MountKey::ReadWrite => boolean(key),
        MountKey::Required => match kind {
            Some(kind @ (MountType::Bind | MountType::Cache | MountType::Tmpfs)) => {
                return at(
                    field,
                    format!(
                        "`required` applies to secret and ssh mounts, not to this {} mount (a `type=` written after it comes too late)",
                        type_name(kind)
                    ),
                );
            }
            _ => boolean(key),
        },
        MountKey::Size => match kind {
            Some(MountType::Tmpfs) | None => go_values::size_is_invalid(value).then(|| {
                format!("`size={value}` is not a size: write bytes or a size such as `64m` or `1g`")
            }),
            Some(kind) => {
                return at(
                    field,
                    format!(
                        "`size` applies to tmpfs mounts, not to this {} mount (a `type=` written after it comes too late)",
                        type_name(kind)
                    ),
                );
            }
        },
        MountKey::Sharing => (!matches!(
            value.to_ascii_lowercase().as_str(),
            "shared" | "private" | "locked"
        ))
        .then(|| format!("`sharing` takes `shared`, `private` or `locked`, not `{value}`")),
        MountKey::Mode => go_values::parse_unsigned(value, 8, 32)
            .is_none()
            .then(|| format!("`mode={value}` is not an octal number such as `0755`")),
        MountKey::Uid | MountKey::Gid => go_values::parse_unsigned(value, 10, 32)
            .is_none()
            .then(|| format!("`{key}={value}` is not a numeric id")),
        _ => None,
    };
    message.and_then(|message| at_value(field, message))
}

/// What BuildKit checks once every field is read: keys the final type does not take, and
/// what a secret mount needs.
fn whole_mount_problem(mount: &Mount, kind: MountType) -> Option<Diagnostic> {
    // A field that counts, with a value known here (no variable).
    let set = |key: MountKey| {
        mount.get(key).filter(|field| {
            field
                .value
                .as_deref()
                .is_some_and(|value| !value.is_empty())
        })
    };
    let unknown = |key: MountKey| {
        mount
            .get(key)
            .and_then(|field| field.value.as_deref())
            .is_some_and(|value| value.contains('$'))
    };
    if matches!(kind, MountType::Bind | MountType::Tmpfs) {
        for key in [MountKey::Mode, MountKey::Uid, MountKey::Gid] {
            if let Some(field) = mount.get(key) {
                return at(
                    field,
                    format!(
                        "`{}` applies to cache, secret and ssh mounts, not to {} mounts",
                        key.name(),
                        kind.name()
                    ),
                );
            }
        }
    }
    if kind == MountType::Secret {
        if let Some(field) = set(MountKey::From) {
            return at(field, "a secret mount takes no `from`".to_string());
        }
        if let Some(field) = set(MountKey::Sharing) {
            return at(field, "a secret mount takes no `sharing`".to_string());
        }
        let keys = [MountKey::Source, MountKey::Target, MountKey::Id];
        if keys.iter().all(|key| set(*key).is_none() && !unknown(*key)) {
            return Some(Diagnostic::new(
                &RULE,
                mount.span.clone(),
                "a secret mount needs `id` (the secret's id) or a `target`: `--mount=type=secret,id=name`",
            ));
        }
        if let (Some(_), Some(id)) = (set(MountKey::Source), set(MountKey::Id)) {
            return at(
                id,
                "a secret mount takes `source` or `id`, not both".to_string(),
            );
        }
    }
    if kind != MountType::Cache
        && let Some(field) = set(MountKey::Sharing)
    {
        return at(
            field,
            format!(
                "`sharing` applies to cache mounts, not to {} mounts",
                kind.name()
            ),
        );
    }
    if matches!(kind, MountType::Bind | MountType::Cache | MountType::Tmpfs)
        && let Some(field) = set(MountKey::Target)
        && let Some(value) = field.value.as_deref()
        && value.starts_with('/')
        && value.split('/').all(|part| part.is_empty() || part == ".")
    {
        return at_value(
            field,
            "a mount on `/` would hide the whole file system: BuildKit refuses it".to_string(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{apply_fix, run, underlined};

    fn mount(value: &str) -> Vec<String> {
        underlined(&RULE, &format!("FROM a\nRUN --mount={value} true\n"))
    }

    #[test]
    fn keys_types_and_values() {
        assert_eq!(mount("type=cache,traget=/x"), vec!["traget"]);
        assert_eq!(mount("type=nfs,target=/x"), vec!["nfs"]);
        assert_eq!(
            mount("type=cache,target=/x,sharing=shared,ro=maybe"),
            vec!["maybe"]
        );
        assert_eq!(
            mount("type=cache,target=/x,sharing=exclusive"),
            vec!["exclusive"]
        );
        assert_eq!(mount("type=cache,target=/x,mode=0789"), vec!["0789"]);
        assert_eq!(mount("type=cache,target=/x,uid=root"), vec!["root"]);
        assert_eq!(mount("type=tmpfs,target=/x,size=lots"), vec!["lots"]);
        assert_eq!(mount("type=cache,target=/x,"), vec![""]);
        assert_eq!(mount("type=cache,target"), vec!["target"]);
        assert_eq!(mount("type=bind,target=/x,from=$STAGE"), vec!["$STAGE"]);
        assert_eq!(mount("type=cache,target=/"), vec!["/"]);
        // An escaped quote reaches the CSV reader as a bare quote.
        assert_eq!(mount("type=cache,target=\\\"/x").len(), 1);
    }

    #[test]
    fn keys_the_type_does_not_take() {
        assert_eq!(mount("type=cache,target=/x,required"), vec!["required"]);
        assert_eq!(mount("required,type=secret,id=a"), vec!["required"]);
        assert_eq!(mount("type=cache,target=/x,size=1g"), vec!["size=1g"]);
        assert_eq!(mount("type=bind,target=/x,uid=1"), vec!["uid=1"]);
        assert_eq!(
            mount("type=tmpfs,target=/x,sharing=locked"),
            vec!["sharing=locked"]
        );
        assert_eq!(mount("type=secret,id=a,from=b"), vec!["from=b"]);
        assert_eq!(mount("type=secret,id=a,source=b"), vec!["id=a"]);
        assert_eq!(
            mount("type=secret,required"),
            vec!["--mount=type=secret,required"]
        );
    }

    #[test]
    fn misspelt_keys_are_fixed_to_the_nearest() {
        let text = "FROM a\nRUN --mount=type=cache,traget=/x true\n";
        let fixed = apply_fix(&RULE, text, "Change to target");
        assert_eq!(fixed, "FROM a\nRUN --mount=type=cache,target=/x true\n");
    }

    #[test]
    fn what_buildkit_accepts() {
        for fine in [
            "type=cache,target=/root/.cache,sharing=locked,id=pip,mode=0777,uid=1000,gid=1000",
            "type=cache,target=/x,ro,readonly=true,rw=false",
            "TYPE=Cache,Target=/x,Sharing=LOCKED",
            "type=bind,source=.,target=/src,rw",
            "type=bind,from=build,source=/out,target=/out",
            "target=/src",
            "type=secret,id=token,required",
            "type=secret,id=token,required=true,env=TOKEN",
            "type=secret,target=/run/secrets/x",
            "type=ssh",
            "type=ssh,required,mode=0600",
            "type=tmpfs,target=/tmp,size=512m",
            "type=cache,target=$HOME/.cache,uid=$UID",
            "type=$TYPE,size=1g",
            "type=cache,target=/x,from=$",
            "type=cache,dst=/x",
            // Single quotes are the flag's; the double quotes reach the CSV reader.
            "'type=bind,target=/x,\"source=a,b\"'",
        ] {
            assert!(mount(fine).is_empty(), "{fine}: {:?}", mount(fine));
        }
        // A mount flag without a value is InvalidFlag's.
        assert!(run(&RULE, "FROM a\nRUN --mount true\n").is_empty());
        // Quotes the flag reader removes leave a field without `=`.
        assert_eq!(mount("type=bind,target=/x,\"source=a,b\"").len(), 1);
    }
}
