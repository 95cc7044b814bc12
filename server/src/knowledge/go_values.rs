//! The value syntaxes BuildKit reads with Go's parsers: `time.ParseDuration`,
//! `strconv.ParseBool`, `strconv.ParseInt`/`ParseUint` with an explicit base, `strconv.Atoi`
//! and go-units' `RAMInBytes`. Each function accepts exactly what the Go function accepts
//! (written from the Go documentation and behaviour), so a check built on them never rejects a
//! value BuildKit takes.

use std::ops::Range;

/// Nanoseconds in one millisecond: BuildKit's smallest HEALTHCHECK interval.
pub const MILLISECOND: i128 = 1_000_000;

/// Why a text is not a Go duration, with the byte range at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// Not a duration at all (no digits where a number must be, overflow, empty).
    Invalid,
    /// A number without a unit (`5`, `1h30`): the range of the number.
    MissingUnit(Range<usize>),
    /// A unit Go does not know (`5min`, `3d`): the range of the unit.
    UnknownUnit(Range<usize>),
}

/// The units Go knows, in nanoseconds (`µs` is written with the micro sign or the Greek mu).
fn unit_nanoseconds(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or `0`. The result is in
/// nanoseconds; fractions are kept as Go keeps them (truncated to whole nanoseconds).
pub fn parse_duration(text: &str) -> Result<i128, DurationError> {
    let bytes = text.as_bytes();
    let mut position = 0;
    let mut negative = false;
    if let Some(sign @ (b'-' | b'+')) = bytes.first() {
        negative = *sign == b'-';
        position = 1;
    }
    if &text[position..] == "0" {
        return Ok(0);
    }
    if position == bytes.len() {
        return Err(DurationError::Invalid);
    }
    let limit: u128 = 1 << 63;
    let mut total: u128 = 0;
    while position < bytes.len() {
        let number_start = position;
        if !(bytes[position] == b'.' || bytes[position].is_ascii_digit()) {
            return Err(DurationError::Invalid);
        }
        let mut whole: u128 = 0;
        let digits_start = position;
        while position < bytes.len() && bytes[position].is_ascii_digit() {
            whole = whole * 10 + u128::from(bytes[position] - b'0');
            if whole > limit {
                return Err(DurationError::Invalid);
            }
            position += 1;
        }
        let has_whole = position > digits_start;
        let mut fraction: u128 = 0;
        let mut scale: u128 = 1;
        let mut has_fraction = false;
        if position < bytes.len() && bytes[position] == b'.' {
            position += 1;
            let fraction_start = position;
            while position < bytes.len() && bytes[position].is_ascii_digit() {
                // Go stops adding digits once they would overflow; the value is unchanged.
                if scale < 1_000_000_000_000_000_000 {
                    fraction = fraction * 10 + u128::from(bytes[position] - b'0');
                    scale *= 10;
                }
                position += 1;
            }
            has_fraction = position > fraction_start;
        }
        if !has_whole && !has_fraction {
            return Err(DurationError::Invalid);
        }
        let unit_start = position;
        while position < bytes.len()
            && !(bytes[position] == b'.' || bytes[position].is_ascii_digit())
        {
            position += 1;
        }
        if position == unit_start {
            return Err(DurationError::MissingUnit(number_start..unit_start));
        }
        // The unit may end inside a multi-byte character only if the text is odd; widen to
        // a character boundary for the range.
        let unit = &text[unit_start..position];
        let Some(nanoseconds) = unit_nanoseconds(unit) else {
            return Err(DurationError::UnknownUnit(unit_start..position));
        };
        let mut value = whole
            .checked_mul(nanoseconds)
            .ok_or(DurationError::Invalid)?;
        if value > limit {
            return Err(DurationError::Invalid);
        }
        value += fraction * nanoseconds / scale;
        total += value;
        if total > limit {
            return Err(DurationError::Invalid);
        }
    }
    if negative {
        return Ok(-(total as i128));
    }
    if total > limit - 1 {
        return Err(DurationError::Invalid);
    }
    Ok(total as i128)
}

/// Go's `strconv.ParseBool`: the mount parser's, which the syntax layer holds.
pub use crate::syntax::mount::parse_bool;

/// Go's `strconv.ParseUint(text, base, bits)` for bases up to 10: digits of the base only (no
/// sign, no prefix, no underscores when a base is given), within `bits` bits.
pub fn parse_unsigned(text: &str, base: u32, bits: u32) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let maximum: u128 = (1u128 << bits) - 1;
    let mut value: u128 = 0;
    for c in text.chars() {
        let digit = c.to_digit(base)?;
        value = value * u128::from(base) + u128::from(digit);
        if value > maximum {
            return None;
        }
    }
    Some(value as u64)
}

/// Go's `strconv.ParseInt(text, 10, bits)`: an optional sign, then decimal digits.
pub fn parse_signed(text: &str, bits: u32) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_unsigned(digits, 10, bits)?;
    let limit = 1u64 << (bits - 1);
    if negative {
        (magnitude <= limit).then(|| -(magnitude as i128) as i64)
    } else {
        (magnitude < limit).then_some(magnitude as i64)
    }
}

/// Go's `strconv.Atoi` on a 64-bit platform.
pub fn atoi(text: &str) -> Option<i64> {
    parse_signed(text, 64)
}

/// Whether go-units' `RAMInBytes` rejects `text` for certain: no digit at all, a negative
/// size, a number with letters no Go float has, or a suffix other than `b`, or
/// `k`/`m`/`g`/`t`/`p` with an optional `b` or `ib` (any case). Go's float syntax is wider than
/// plain decimals (`1e3`, `0x1p4`), so a number part made of float characters is accepted.
pub fn size_is_invalid(text: &str) -> bool {
    let Some(separator) = text.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return true;
    };
    let (number, suffix) = if text.as_bytes()[separator] == b' ' {
        (&text[..separator], &text[separator + 1..])
    } else {
        (&text[..separator + 1], &text[separator + 1..])
    };
    if number.starts_with('-') && number[1..].bytes().any(|byte| byte.is_ascii_digit()) {
        return true;
    }
    if !number.bytes().any(|byte| byte.is_ascii_digit()) {
        // `.`, ` ` or a sign alone: Go's float parser rejects these.
        return number
            .bytes()
            .all(|byte| matches!(byte, b'.' | b' ' | b'-' | b'+'));
    }
    // Letters no Go float can hold (its syntax has hex digits, exponents, `_`, `inf`, `nan`).
    let float_character = |c: char| c.is_ascii_hexdigit() || ".+-_xXpPiInNtTyY".contains(c);
    if !number.chars().all(float_character) {
        return true;
    }
    if suffix.is_empty() {
        return false;
    }
    let suffix = suffix.to_ascii_lowercase();
    if suffix.len() > 3 {
        return true;
    }
    let mut chars = suffix.chars();
    match chars.next() {
        Some('b') => suffix.len() > 1,
        Some('k' | 'm' | 'g' | 't' | 'p') => !matches!(chars.as_str(), "" | "b" | "ib"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_go_reads_them() {
        let second = 1_000_000_000;
        assert_eq!(parse_duration("5s"), Ok(5 * second));
        assert_eq!(parse_duration("1h30m"), Ok(5400 * second));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_duration("5.s"), Ok(5 * second));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("-0"), Ok(0));
        assert_eq!(parse_duration("+0s"), Ok(0));
        assert_eq!(parse_duration("-5s"), Ok(-5 * second));
        assert_eq!(parse_duration("300\u{b5}s"), Ok(300_000));
        assert_eq!(parse_duration("300\u{3bc}s"), Ok(300_000));
        assert_eq!(parse_duration("5"), Err(DurationError::MissingUnit(0..1)));
        assert_eq!(
            parse_duration("1h30"),
            Err(DurationError::MissingUnit(2..4))
        );
        assert_eq!(
            parse_duration("1min"),
            Err(DurationError::UnknownUnit(1..4))
        );
        assert_eq!(parse_duration("3d"), Err(DurationError::UnknownUnit(1..2)));
        assert_eq!(parse_duration("5 s"), Err(DurationError::UnknownUnit(1..3)));
        for invalid in ["", "-", ".s", "s", "1.5.5s", "9999999999999999999h"] {
            assert!(parse_duration(invalid).is_err(), "{invalid}");
        }
    }

    #[test]
    fn integers_and_booleans() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("tRuE"), None);
        assert_eq!(parse_unsigned("0755", 8, 32), Some(0o755));
        assert_eq!(parse_unsigned("0789", 8, 32), None);
        assert_eq!(
            parse_unsigned("4294967295", 10, 32),
            Some(u64::from(u32::MAX))
        );
        assert_eq!(parse_unsigned("4294967296", 10, 32), None);
        assert_eq!(parse_unsigned("+1", 10, 32), None);
        assert_eq!(parse_unsigned("1_000", 10, 32), None);
        assert_eq!(parse_signed("-3", 32), Some(-3));
        assert_eq!(parse_signed("+3", 32), Some(3));
        assert_eq!(parse_signed("2147483648", 32), None);
        assert_eq!(parse_signed("-2147483648", 32), Some(-2_147_483_648));
        assert_eq!(parse_signed("3.0", 32), None);
        assert_eq!(atoi("15"), Some(15));
        assert_eq!(atoi(""), None);
    }

    #[test]
    fn sizes() {
        for valid in ["100", "1g", "512m", "1.5GiB", "64 MB", "10b", "1KB", "2.5"] {
            assert!(!size_is_invalid(valid), "{valid}");
        }
        for invalid in [
            "", "abc", "1x", "1gb2", "1 gigs", "1bb", "-1", "1mbb", "1kib2",
        ] {
            assert!(size_is_invalid(invalid), "{invalid}");
        }
    }
}
