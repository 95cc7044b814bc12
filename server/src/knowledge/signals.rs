//! The stop signals BuildKit accepts (`STOPSIGNAL`), read as moby's `signal.ParseSignal`
//! reads them on Linux: a non-zero integer, or a signal name with or without `SIG`, in any
//! case.

use super::go_values;

/// Linux signal names without `SIG`, as moby's signal table lists them (`UNUSED` is kept
/// from older tables: accepting a name BuildKit once knew costs nothing).
const NAMES: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN",
    "RTMAX",
];

/// Whether BuildKit accepts `text` (variables already expanded) as a stop signal.
pub fn is_valid(text: &str) -> bool {
    if let Some(number) = go_values::atoi(text) {
        return number != 0;
    }
    let upper = text.to_ascii_uppercase();
    // Go trims one `SIG` prefix.
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    NAMES.contains(&name) || is_realtime(name)
}

/// `RTMIN+1` … `RTMIN+15` and `RTMAX-14` … `RTMAX-1`.
fn is_realtime(name: &str) -> bool {
    let offset = |rest: &str| {
        !rest.starts_with('0') && rest.parse::<u32>().is_ok_and(|n| (1..=15).contains(&n))
    };
    match (name.strip_prefix("RTMIN+"), name.strip_prefix("RTMAX-")) {
        (Some(rest), _) => offset(rest),
        (_, Some(rest)) => offset(rest) && rest != "15",
        _ => false,
    }
}

/// The closest name to a mistyped signal, for a suggestion (`SIGTREM` → `SIGTERM`).
pub fn suggestion(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let candidates = NAMES
        .iter()
        .copied()
        .filter(|candidate| *candidate != "UNUSED");
    super::suggest::nearest(name, candidates).map(|best| format!("SIG{best}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_case() {
        for valid in [
            "SIGTERM",
            "TERM",
            "sigterm",
            "term",
            "SigKill",
            "9",
            "-1",
            "+15",
            "RTMIN+3",
            "SIGRTMAX-14",
            "sigrtmin",
        ] {
            assert!(is_valid(valid), "{valid}");
        }
        for invalid in [
            "0",
            "SIGFOO",
            "SIGSIGTERM",
            "",
            "RTMIN+16",
            "RTMAX-15",
            "RTMIN+01",
            "9 ",
            "SIG",
        ] {
            assert!(!is_valid(invalid), "{invalid}");
        }
        assert_eq!(suggestion("SIGTREM").as_deref(), Some("SIGTERM"));
        assert_eq!(suggestion("sigkil").as_deref(), Some("SIGKILL"));
        assert_eq!(suggestion("SIGFOOBARBAZ"), None);
        assert_eq!(suggestion("SIGFOO"), None);
    }
}
