//! Remote-address white lists in Apache's notation (`globalWhiteRemoteAddresses`,
//! `whiteRemoteAddress`): `*`, one address, a comma-separated list, a `{a,b}` list in the last
//! part (`192.168.1.{1,2}`), or a range in one part with `*` after it (`192.168.0.*`,
//! `192.168.1-10.*`), for IPv4 and IPv6. Parsed once when the ACL file is read; matching a peer
//! is a few integer comparisons.

use std::fmt;
use std::net::IpAddr;

/// A parsed white-list entry; `text` keeps what the file said.
#[derive(Clone, PartialEq, Eq)]
pub struct AddressPattern {
    text: String,
    rule: Rule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    /// Blank: matches nothing (Apache's BlankRemoteAddressStrategy).
    Nothing,
    /// `*`, `*.*.*.*`, `*:*:*:*:*:*:*:*`.
    Any,
    /// One address or a list of them.
    Exact(Vec<IpAddr>),
    /// The first `prefix.len()` parts fixed, the next one in `low..=high`, the rest free.
    Range {
        prefix: Vec<u16>,
        low: u16,
        high: u16,
        v6: bool,
    },
}

impl AddressPattern {
    /// Parses one entry; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<AddressPattern, String> {
        let trimmed = text.trim();
        let rule = if trimmed.is_empty() {
            Rule::Nothing
        } else if matches!(trimmed, "*" | "*.*.*.*" | "*:*:*:*:*:*:*:*") {
            Rule::Any
        } else if trimmed.ends_with('}') {
            Rule::Exact(braced_list(trimmed)?)
        } else if trimmed.contains(',') {
            let addrs = trimmed
                .split(',')
                .map(|a| one_address(a.trim(), trimmed))
                .collect::<Result<Vec<_>, _>>()?;
            Rule::Exact(addrs)
        } else if trimmed.contains('*') || trimmed.contains('-') {
            range(trimmed)?
        } else {
            Rule::Exact(vec![one_address(trimmed, trimmed)?])
        };
        Ok(AddressPattern {
            text: text.to_string(),
            rule,
        })
    }

    /// The entry as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a peer with this address is on the list.
    pub fn matches(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        match &self.rule {
            Rule::Nothing => false,
            Rule::Any => true,
            Rule::Exact(addrs) => addrs.contains(&peer),
            Rule::Range {
                prefix,
                low,
                high,
                v6,
            } => {
                let parts = parts_of(peer);
                if *v6 != peer.is_ipv6() {
                    return false;
                }
                parts.starts_with(prefix)
                    && parts
                        .get(prefix.len())
                        .is_some_and(|p| (*low..=*high).contains(p))
            }
        }
    }
}

fn parts_of(ip: IpAddr) -> Vec<u16> {
    match ip {
        IpAddr::V4(v4) => v4.octets().iter().map(|o| u16::from(*o)).collect(),
        IpAddr::V6(v6) => v6.segments().to_vec(),
    }
}

fn one_address(text: &str, whole: &str) -> Result<IpAddr, String> {
    text.parse::<IpAddr>()
        .map(|ip| ip.to_canonical())
        .map_err(|_| {
            format!("`{text}` in white list entry `{whole}` is not an IPv4 or IPv6 address")
        })
}

/// `192.168.1.{1,2,3}`: the list replaces the last part.
fn braced_list(text: &str) -> Result<Vec<IpAddr>, String> {
    let Some(open) = text.rfind('{') else {
        return Err(format!(
            "white list entry `{text}` ends with `}}` but has no `{{`"
        ));
    };
    let head = &text[..open];
    if !(head.ends_with('.') || head.ends_with(':')) {
        return Err(format!(
            "white list entry `{text}`: the `{{a,b}}` list must be the whole last part, as in 192.168.1.{{1,2}}"
        ));
    }
    let inner = &text[open + 1..text.len() - 1];
    inner
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| one_address(&format!("{head}{p}"), text))
        .collect()
}

/// One part of a range: `*`, `a-b` or a fixed number.
enum Part {
    Fixed(u16),
    Span(u16, u16),
}

fn range(text: &str) -> Result<Rule, String> {
    let v6 = text.contains(':');
    let parts = if v6 {
        expand_v6(text)?
    } else {
        text.split('.').map(str::to_string).collect()
    };
    let (width, max): (usize, u32) = if v6 { (8, 0xffff) } else { (4, 255) };
    if parts.len() > width {
        return Err(format!(
            "white list entry `{text}` has more than {width} parts"
        ));
    }
    let parsed = parts
        .iter()
        .map(|p| part(p.trim(), v6, max, text))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(at) = parsed.iter().position(|p| matches!(p, Part::Span(..))) else {
        return Err(format!(
            "white list entry `{text}` has no `*` or `a-b` part"
        ));
    };
    if at == 0 {
        return Err(format!(
            "white list entry `{text}`: the first part cannot be a range (write `*` for every address)"
        ));
    }
    if parsed[at + 1..]
        .iter()
        .any(|p| !matches!(p, Part::Span(0, m) if u32::from(*m) == max))
    {
        return Err(format!(
            "white list entry `{text}`: only `*` may follow the range part (as in 192.168.1-10.*)"
        ));
    }
    let prefix = parsed[..at]
        .iter()
        .map(|p| match p {
            Part::Fixed(v) => *v,
            Part::Span(..) => 0,
        })
        .collect();
    let Part::Span(low, high) = parsed[at] else {
        return Err(format!("white list entry `{text}` has no range part"));
    };
    Ok(Rule::Range {
        prefix,
        low,
        high,
        v6,
    })
}

fn part(p: &str, v6: bool, max: u32, whole: &str) -> Result<Part, String> {
    let number = |n: &str| {
        let value = if v6 {
            u32::from_str_radix(n.trim(), 16).ok()
        } else {
            n.trim().parse::<u32>().ok()
        };
        value
            .filter(|v| *v <= max)
            .map(|v| v as u16)
            .ok_or_else(|| {
                format!(
                    "`{n}` in white list entry `{whole}` is not a number from 0 to {}",
                    if v6 { "ffff" } else { "255" }
                )
            })
    };
    if p == "*" {
        return Ok(Part::Span(0, max as u16));
    }
    if let Some((a, b)) = p.split_once('-') {
        let (low, high) = (number(a)?, number(b)?);
        if low > high {
            return Err(format!(
                "range `{p}` in white list entry `{whole}` ends below its start"
            ));
        }
        return Ok(Part::Span(low, high));
    }
    number(p).map(Part::Fixed)
}

/// Splits an IPv6 range pattern into its parts, expanding `::` to zero parts.
fn expand_v6(text: &str) -> Result<Vec<String>, String> {
    match text.split_once("::") {
        None => Ok(text.split(':').map(str::to_string).collect()),
        Some((head, tail)) => {
            let split = |s: &str| -> Vec<String> {
                if s.is_empty() {
                    Vec::new()
                } else {
                    s.split(':').map(str::to_string).collect()
                }
            };
            let (head, tail) = (split(head), split(tail));
            let zeros = 8usize
                .checked_sub(head.len() + tail.len())
                .ok_or_else(|| format!("white list entry `{text}` has more than 8 parts"))?;
            Ok(head
                .into_iter()
                .chain(std::iter::repeat_n("0".to_string(), zeros))
                .chain(tail)
                .collect())
        }
    }
}

impl fmt::Debug for AddressPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)
    }
}

impl fmt::Display for AddressPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for AddressPattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = super::plain_acl::scalar_text(d)?.unwrap_or_default();
        AddressPattern::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for AddressPattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Whether `ip` is on any of `patterns`.
pub fn any_matches(patterns: &[AddressPattern], ip: IpAddr) -> bool {
    patterns.iter().any(|p| p.matches(ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn p(text: &str) -> AddressPattern {
        AddressPattern::parse(text).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    fn v6_loopback() -> IpAddr {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    }

    #[test]
    fn any_and_blank() {
        assert!(p("*").matches(v4(1, 2, 3, 4)));
        assert!(p("*.*.*.*").matches(v4(1, 2, 3, 4)));
        assert!(p("*:*:*:*:*:*:*:*").matches(v6_loopback()));
        assert!(!p("").matches(v4(1, 2, 3, 4)));
        assert!(!p("  ").matches(v4(127, 0, 0, 1)));
    }

    #[test]
    fn exact_and_lists() {
        assert!(p("192.168.0.1").matches(v4(192, 168, 0, 1)));
        assert!(!p("192.168.0.1").matches(v4(192, 168, 0, 2)));
        let list = p("192.168.0.1, 10.0.0.2");
        assert!(list.matches(v4(10, 0, 0, 2)));
        assert!(!list.matches(v4(10, 0, 0, 3)));
        let braces = p("192.168.1.{1,2}");
        assert!(braces.matches(v4(192, 168, 1, 2)));
        assert!(!braces.matches(v4(192, 168, 1, 3)));
        assert!(p("::1").matches(v6_loopback()));
        assert!(p("1050:0:0:0:5:600:300c:{1,2}").matches(ip("1050::5:600:300c:2")));
    }

    #[test]
    fn ranges() {
        let star = p("192.168.0.*");
        assert!(star.matches(v4(192, 168, 0, 200)));
        assert!(!star.matches(v4(192, 168, 1, 200)));
        let span = p("192.168.1-10.*");
        assert!(span.matches(v4(192, 168, 1, 0)));
        assert!(span.matches(v4(192, 168, 10, 255)));
        assert!(!span.matches(v4(192, 168, 11, 1)));
        assert!(!span.matches(v4(192, 168, 0, 1)));
        let last = p("10.0.0.5-9");
        assert!(last.matches(v4(10, 0, 0, 7)));
        assert!(!last.matches(v4(10, 0, 0, 4)));
        assert!(p("127.*").matches(v4(127, 3, 4, 5)));
        assert!(!p("127.*").matches(ip("::1")));
        assert!(p("::ffff:*").matches(ip("::ffff:1")));
        let v6 = p("1050::5:600:300c:1-ff");
        assert!(v6.matches(ip("1050::5:600:300c:fe")));
        assert!(!v6.matches(ip("1050::5:600:300c:100")));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_patterns() {
        assert!(p("127.0.0.*").matches(ip("::ffff:127.0.0.1")));
        assert!(p("127.0.0.1").matches(ip("::ffff:127.0.0.1")));
    }

    #[test]
    fn bad_patterns_say_why() {
        for (bad, why) in [
            ("192.168.0.300", "not an IPv4 or IPv6 address"),
            ("192.168.*.5", "only `*` may follow"),
            ("192.168.10-1.*", "ends below its start"),
            ("*.1.2.3", "first part cannot be a range"),
            ("192.168.1-x.*", "not a number"),
            ("192.168.1.{1,x}", "not an IPv4 or IPv6 address"),
            ("192.168.1{1,2}", "whole last part"),
            ("1.2.3.4.*", "more than 4 parts"),
        ] {
            let err = AddressPattern::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
