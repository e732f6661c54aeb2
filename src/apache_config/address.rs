//! Address values of broker keys: `brokerIP1`/`brokerIP2` (a host), `haMasterAddress`
//! (`host:port`) and `namesrvAddr` (`host:port;host:port`), where a host is an IPv4 or IPv6
//! address or a host name.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::values::ValueError;

/// Which address shape a key takes; `None` for keys that are not addresses.
pub(super) fn check_address_key(key: &str, value: &str) -> Option<Result<(), ValueError>> {
    let v = value.trim();
    let ok = match key {
        "brokerIP1" | "brokerIP2" => v.is_empty() || is_host(v),
        "haMasterAddress" => v.is_empty() || is_host_port(v),
        "namesrvAddr" => v.is_empty() || is_host_port_list(v),
        _ => return None,
    };
    Some(if ok {
        Ok(())
    } else if key == "namesrvAddr" {
        Err(ValueError::new(
            "expected host:port;host:port",
            "separate name servers with `;` (not `,`), each as host:port",
        ))
    } else if key == "haMasterAddress" {
        Err(ValueError::new(
            "expected host:port (the master's HA address)",
            "e.g. 10.0.0.1:10912",
        ))
    } else {
        Err(ValueError::new(
            "expected an IPv4 or IPv6 address or a host name",
            "e.g. 10.0.0.1: the address clients and slaves use to reach this broker",
        ))
    })
}

/// `host:port;host:port` (blanks around each address allowed, as Apache trims them).
pub fn is_host_port_list(value: &str) -> bool {
    !value.is_empty() && value.split(';').all(|addr| is_host_port(addr.trim()))
}

/// `host:port` with a port 1..65535; an IPv6 host in brackets.
pub fn is_host_port(value: &str) -> bool {
    let Some((host, port)) = value.rsplit_once(':') else {
        return false;
    };
    let host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => return v6.parse::<Ipv6Addr>().is_ok() && is_port(port),
        None => host,
    };
    (host.parse::<Ipv4Addr>().is_ok() || is_host_name(host)) && is_port(port)
}

fn is_port(text: &str) -> bool {
    text.parse::<u16>().is_ok_and(|p| p > 0)
}

/// An IPv4 address, an IPv6 address (bare or in brackets) or a host name.
pub fn is_host(value: &str) -> bool {
    let bare = value
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(value);
    bare.parse::<Ipv4Addr>().is_ok() || bare.parse::<Ipv6Addr>().is_ok() || is_host_name(value)
}

/// Dot-separated labels of letters, digits, `-` and `_` (not at a label's ends), at most 63
/// characters each and 253 in all; not all digits and dots (that is a mistyped IPv4 address).
fn is_host_name(value: &str) -> bool {
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let name = value.strip_suffix('.').unwrap_or(value);
    (1..=253).contains(&name.len())
        && name.split('.').all(label_ok)
        && !name.chars().all(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for good in [
            "10.1.236.1",
            "::1",
            "fe80::1",
            "[::1]",
            "broker-a",
            "mq1.example.com",
        ] {
            assert!(is_host(good), "{good}");
        }
        for bad in [
            "",
            "10.1.236.1 #本机IP地址",
            "10.1.236.1,10.1.236.2",
            "10.1.236",
            "999.1.1.1",
            "-a",
            "a b",
            "host:10911",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
    }

    #[test]
    fn host_ports_and_lists() {
        for good in ["10.0.0.1:9876", "[::1]:9876", "ns1.example.com:9876"] {
            assert!(is_host_port(good), "{good}");
        }
        for bad in [
            "10.0.0.1",
            "10.0.0.1:0",
            "10.0.0.1:65536",
            "::1:9876",
            "ns1:x",
            ":9876",
        ] {
            assert!(!is_host_port(bad), "{bad}");
        }
        assert!(is_host_port_list("10.0.0.1:9876;10.0.0.2:9876"));
        assert!(is_host_port_list("10.0.0.1:9876; 10.0.0.2:9876"));
        assert!(!is_host_port_list("10.0.0.1:9876,10.0.0.2:9876"));
        assert!(!is_host_port_list("10.0.0.1:9876;10.0.0.2:9876 #名字服务"));
        assert!(!is_host_port_list("10.0.0.1:9876;"));
        assert!(!is_host_port_list(""));
    }
}
