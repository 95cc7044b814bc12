//! `EXPOSE` port specifications read as BuildKit reads them (`dockerfile2llb`'s
//! `parsePortSpec`, after variable expansion): `[[ip:]host-port:]port[-end][/protocol]`, every
//! part with its byte range so checks can point at the part at fault. Shared by the checks of
//! what BuildKit rejects (a port out of range, an unknown protocol) and of what it merely
//! warns about (a host port or IP in `EXPOSE`, an upper-case protocol).

use std::ops::Range;

use super::go_values::parse_unsigned;

/// One port specification, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    /// The IP part (`[::1]` or `127.0.0.1`), when there are three or more `:`-parts.
    pub ip: Option<Range<usize>>,
    /// The host port (range) part, when there are two or more `:`-parts.
    pub host: Option<Range<usize>>,
    /// The container port or range.
    pub port: Range<usize>,
    /// The protocol after `/`, as written (BuildKit lower-cases it); `None` without a `/`.
    pub protocol: Option<Range<usize>>,
    /// The first and last container port.
    pub first: u16,
    pub last: u16,
}

/// What BuildKit rejects, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortError {
    pub message: String,
    pub range: Range<usize>,
}

fn error(message: impl Into<String>, range: Range<usize>) -> PortError {
    PortError {
        message: message.into(),
        range,
    }
}

/// Parses one port specification (an `EXPOSE` word with variables expanded).
pub fn parse(text: &str) -> Result<PortSpec, PortError> {
    // `ip:host:port`; with more than three parts the IP takes the leading ones (IPv6).
    let last = text.rfind(':');
    let before = last.and_then(|last| text[..last].rfind(':'));
    let (ip, host, container) = match (before, last) {
        (_, None) => (None, None, 0..text.len()),
        (None, Some(last)) => (None, Some(0..last), last + 1..text.len()),
        (Some(before), Some(last)) => (
            Some(0..before),
            Some(before + 1..last),
            last + 1..text.len(),
        ),
    };
    let written = &text[container.clone()];
    let (port, protocol) = match written.find('/') {
        Some(slash) => (
            container.start..container.start + slash,
            Some(container.start + slash + 1..container.end),
        ),
        None => (container.clone(), None),
    };
    if port.is_empty() {
        return Err(error(
            "no port given: write a number (`80`), a range (`8000-8010`), optionally with `/tcp`, `/udp` or `/sctp`",
            container,
        ));
    }
    if let Some(protocol) = &protocol {
        let name = text[protocol.clone()].to_ascii_lowercase();
        if !matches!(name.as_str(), "" | "tcp" | "udp" | "sctp") {
            let shown = if protocol.is_empty() {
                container.clone()
            } else {
                protocol.clone()
            };
            return Err(error(
                format!(
                    "unknown protocol `{}`: use `tcp`, `udp` or `sctp`",
                    &text[protocol.clone()]
                ),
                shown,
            ));
        }
    }
    // An empty IP or host port is no IP or host port: BuildKit skips both (`:80`, `::80`).
    if let Some(ip) = &ip
        && !ip.is_empty()
        && !valid_ip(&text[ip.clone()])
    {
        return Err(error(
            format!("`{}` is not an IP address", &text[ip.clone()]),
            ip.clone(),
        ));
    }
    let Some((first, last)) = port_range(&text[port.clone()]) else {
        return Err(error(
            format!(
                "`{}` is not a port: ports are numbers from 0 to 65535, a range is written `8000-8010`",
                &text[port.clone()]
            ),
            port,
        ));
    };
    if let Some(host) = host.as_ref().filter(|host| !host.is_empty()) {
        let Some((host_first, host_last)) = port_range(&text[host.clone()]) else {
            return Err(error(
                format!(
                    "`{}` is not a host port: ports are numbers from 0 to 65535",
                    &text[host.clone()]
                ),
                host.clone(),
            ));
        };
        if last - first != host_last - host_first && first != last {
            return Err(error(
                "the host and container port ranges differ in size",
                host.start..port.end,
            ));
        }
    }
    Ok(PortSpec {
        ip,
        host,
        port,
        protocol,
        first,
        last,
    })
}

/// `parsePortRange`: a port, or `start-end` with `start <= end`, each 0–65535.
fn port_range(text: &str) -> Option<(u16, u16)> {
    let number = |part: &str| parse_unsigned(part, 10, 16).map(|value| value as u16);
    match text.split_once('-') {
        None => number(text).map(|port| (port, port)),
        Some((start, end)) => {
            if end.contains('-') {
                return None;
            }
            let (start, end) = (number(start)?, number(end)?);
            (start <= end).then_some((start, end))
        }
    }
}

/// Go's `net.ParseIP`, with the brackets of an IPv6 address removed first.
fn valid_ip(text: &str) -> bool {
    let bare = text
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(text);
    if text.starts_with('[') && bare.len() + 2 != text.len() {
        return false;
    }
    bare.parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> (String, &str) {
        let error = parse(text).expect_err(text);
        (error.message, &text[error.range])
    }

    #[test]
    fn valid_specifications() {
        for valid in [
            "80",
            "80/tcp",
            "80/TCP",
            "53/udp",
            "9/sctp",
            "0",
            "65535",
            "8000-8010",
            "80/",
            "8080:80",
            "127.0.0.1:8080:80",
            "[::1]:8080:80",
            "::1:8080:80",
            "8000-8010:80",
            "8000-8001:9000-9001",
            "007",
            ":80",
            ":8080:80",
            "::80",
        ] {
            assert!(parse(valid).is_ok(), "{valid}");
        }
        let spec = parse("1.2.3.4:8080-8081:80-81/udp").unwrap();
        assert_eq!((spec.first, spec.last), (80, 81));
        assert_eq!(spec.protocol, Some(24..27));
        assert_eq!(spec.host, Some(8..17));
        assert_eq!(spec.ip, Some(0..7));
    }

    #[test]
    fn what_buildkit_rejects() {
        assert_eq!(message("80/tcpp").1, "tcpp");
        assert_eq!(message("65536").1, "65536");
        assert_eq!(message("-1").1, "-1");
        assert_eq!(message("80-70").1, "80-70");
        assert_eq!(message("80-90-100").1, "80-90-100");
        assert_eq!(message("http").1, "http");
        assert_eq!(message("/tcp").1, "/tcp");
        assert_eq!(message("abc:80").1, "abc");
        assert_eq!(message("a.b:8080:80").1, "a.b");
        assert_eq!(message("8000-8002:80-81").1, "8000-8002:80-81");
        assert!(message("80/tcpp").0.contains("tcp"));
    }
}
