//! `EXPOSE` port specifications read the way BuildKit reads them (`convert_expose.go`):
//! `[ip:][host_port:]container_port[/protocol]`, ports and ranges from 0 to 65535, protocols
//! `tcp`, `udp` and `sctp` in any case. BuildKit checks the protocol first, then (as warnings)
//! the case of the protocol and whether an address or host port is given, then the address and
//! the ports: [`split`] and [`validate`] follow that order.

use std::ops::Range;

/// One port specification, split; every range is a byte range into the specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec<'a> {
    /// The host address (`127.0.0.1`, `[::1]`), empty when not given.
    pub ip: &'a str,
    /// The host port or range, empty when not given.
    pub host_port: &'a str,
    /// The container port or range.
    pub container_port: &'a str,
    pub container_range: Range<usize>,
    /// The protocol as written, empty when not given (BuildKit's default is `tcp`).
    pub protocol: &'a str,
    pub protocol_range: Range<usize>,
}

impl PortSpec<'_> {
    /// The protocol BuildKit records: lower case, `tcp` by default.
    pub fn protocol_or_default(&self) -> String {
        if self.protocol.is_empty() {
            "tcp".into()
        } else {
            self.protocol.to_ascii_lowercase()
        }
    }
}

/// What BuildKit rejects in a port specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortError {
    /// Nothing before `/`, or nothing at all.
    NoPort,
    /// A protocol other than tcp, udp or sctp.
    InvalidProtocol(String),
    InvalidAddress(String),
    InvalidContainerPort(String),
    InvalidHostPort(String),
    /// A host port range of another length than the container port range.
    MismatchedRanges,
}

impl std::fmt::Display for PortError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortError::NoPort => write!(formatter, "no port given"),
            PortError::InvalidProtocol(protocol) => write!(
                formatter,
                "invalid protocol \"{protocol}\": use tcp, udp or sctp"
            ),
            PortError::InvalidAddress(address) => {
                write!(formatter, "invalid IP address \"{address}\"")
            }
            PortError::InvalidContainerPort(port) => write!(
                formatter,
                "invalid port \"{port}\": use a number or a range from 0 to 65535"
            ),
            PortError::InvalidHostPort(port) => write!(
                formatter,
                "invalid host port \"{port}\": use a number or a range from 0 to 65535"
            ),
            PortError::MismatchedRanges => write!(
                formatter,
                "the host port range and the container port range differ in length"
            ),
        }
    }
}

/// Splits a specification into its parts and checks the protocol (BuildKit's first step).
pub fn split(raw: &str) -> Result<PortSpec<'_>, PortError> {
    let colons: Vec<usize> = raw.match_indices(':').map(|(at, _)| at).collect();
    // With more than two colons the address takes everything before the last two (IPv6).
    let (ip, host_port, container_start) = match colons.len() {
        0 => ("", "", 0),
        1 => ("", &raw[..colons[0]], colons[0] + 1),
        count => {
            let (second_last, last) = (colons[count - 2], colons[count - 1]);
            (&raw[..second_last], &raw[second_last + 1..last], last + 1)
        }
    };
    let container = &raw[container_start..];
    let (port, protocol, protocol_start) = match container.find('/') {
        Some(slash) => (
            &container[..slash],
            &container[slash + 1..],
            container_start + slash + 1,
        ),
        None => (container, "", raw.len()),
    };
    if port.is_empty() {
        return Err(PortError::NoPort);
    }
    if !protocol.is_empty()
        && !["tcp", "udp", "sctp"]
            .iter()
            .any(|known| known.eq_ignore_ascii_case(protocol))
    {
        return Err(PortError::InvalidProtocol(protocol.to_string()));
    }
    Ok(PortSpec {
        ip,
        host_port,
        container_port: port,
        container_range: container_start..container_start + port.len(),
        protocol,
        protocol_range: protocol_start..protocol_start + protocol.len(),
    })
}

/// Checks the address and the ports (BuildKit's steps after the warnings).
pub fn validate(spec: &PortSpec) -> Result<(), PortError> {
    if !spec.ip.is_empty() {
        let address = spec
            .ip
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or(spec.ip);
        if address.parse::<std::net::IpAddr>().is_err() {
            return Err(PortError::InvalidAddress(spec.ip.to_string()));
        }
    }
    let container = port_range(spec.container_port)
        .ok_or_else(|| PortError::InvalidContainerPort(spec.container_port.to_string()))?;
    if !spec.host_port.is_empty() {
        let host = port_range(spec.host_port)
            .ok_or_else(|| PortError::InvalidHostPort(spec.host_port.to_string()))?;
        // A host range is allowed with a single container port (ports to pick from).
        if container.1 - container.0 != host.1 - host.0 && container.0 != container.1 {
            return Err(PortError::MismatchedRanges);
        }
    }
    Ok(())
}

/// `80` or `8000-8010`, each from 0 to 65535, the range in order.
pub fn port_range(text: &str) -> Option<(u32, u32)> {
    let (start, end) = match text.split_once('-') {
        Some((start, end)) if start != end => (start, Some(end)),
        Some((start, _)) => (start, None),
        None => (text, None),
    };
    let start = port_number(start)?;
    let Some(end) = end else {
        return Some((start, start));
    };
    let end = port_number(end)?;
    (end >= start).then_some((start, end))
}

/// Go's `strconv.ParseInt` of a port: digits after an optional sign, 0 to 65535.
fn port_number(text: &str) -> Option<u32> {
    let value: i64 = text.parse().ok()?;
    u32::try_from(value).ok().filter(|port| *port <= 65535)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_buildkit() {
        let spec = split("127.0.0.1:8080:80/TcP").unwrap();
        assert_eq!(
            (spec.ip, spec.host_port, spec.container_port, spec.protocol),
            ("127.0.0.1", "8080", "80", "TcP")
        );
        assert_eq!(&"127.0.0.1:8080:80/TcP"[spec.protocol_range.clone()], "TcP");
        assert_eq!(spec.protocol_or_default(), "tcp");
        let spec = split("[::1]:8080:8080").unwrap();
        assert_eq!((spec.ip, spec.host_port), ("[::1]", "8080"));
        let spec = split("2001:4860:0:2001::68::333").unwrap();
        assert_eq!(
            (spec.ip, spec.host_port, spec.container_port),
            ("2001:4860:0:2001::68", "", "333")
        );
        assert_eq!(split("80").unwrap().protocol_or_default(), "tcp");
        assert_eq!(split("/tcp"), Err(PortError::NoPort));
        assert_eq!(
            split("80/foo"),
            Err(PortError::InvalidProtocol("foo".into()))
        );
    }

    #[test]
    fn validates_addresses_and_ports() {
        let ok = |raw: &str| validate(&split(raw).unwrap());
        assert_eq!(ok("8000-8010/udp"), Ok(()));
        assert_eq!(ok("[::1]:80:80"), Ok(()));
        assert_eq!(ok("5000-5010:80"), Ok(()));
        assert_eq!(ok("0"), Ok(()));
        assert!(matches!(
            ok("65536"),
            Err(PortError::InvalidContainerPort(_))
        ));
        assert!(matches!(
            ok("90-80"),
            Err(PortError::InvalidContainerPort(_))
        ));
        assert!(matches!(ok("x:80:80"), Err(PortError::InvalidAddress(_))));
        assert!(matches!(ok("a:80"), Err(PortError::InvalidHostPort(_))));
        assert_eq!(ok("1-2:1-3"), Err(PortError::MismatchedRanges));
        assert_eq!(port_range("80-80"), Some((80, 80)));
        assert_eq!(port_range("80-"), None);
    }
}
