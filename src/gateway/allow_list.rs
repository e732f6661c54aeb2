//! Which callback URLs the gateway may call. `allow_callbacks` in gateway.toml lists URL prefixes
//! (`https://orders.example.com/hooks/`, `http://10.0.0.7:8080/`, `https://*.example.com/`); a
//! backurl is allowed when, both normalised by the WHATWG URL rules (the `url` crate: lowercase
//! host, IDNA, IPv4 forms such as `2130706433` or `0x7f.1`, `..` and `%2e%2e` segments,
//! backslashes) plus RFC 3986 percent-encoding normalisation of the path, its scheme, host and
//! port equal an entry's and its path starts with the entry's path. Userinfo is refused (so
//! `http://good.example.com@evil/` cannot pass as `good.example.com`).
//!
//! Loopback, link-local, unspecified and cloud-metadata addresses are refused unless an entry
//! names them: an entry whose host is that IP literal, or `localhost` (exactly, no `*.`) for
//! loopback. [`AllowList::check`] applies this to IP-literal and well-known metadata hosts;
//! [`AllowList::permits_addr`] applies it at connect time to what DNS answered (a wildcard host
//! that resolves to 127.0.0.1, the DNS-rebinding case).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use thiserror::Error;
use url::{Host, Url};

/// The configured prefixes, parsed once at start.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: Vec<Entry>,
}

/// A prefix in gateway.toml that is not a usable http(s) URL prefix.
#[derive(Debug, Error)]
#[error("allow_callbacks entry {entry:?}: {reason}")]
pub struct AllowListError {
    pub entry: String,
    pub reason: String,
}

/// Why a backurl may not be called (said to the HTTP client with status 403, or 400 when the
/// URL is not an http(s) URL at all).
#[derive(Debug, Error)]
pub enum CallbackRefused {
    #[error("backurl {0:?} is not an http or https URL")]
    NotHttp(String),
    #[error("backurl {0:?} is not on the gateway's allow_callbacks list")]
    NotAllowed(String),
}

/// One parsed `allow_callbacks` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    scheme: String,
    host: EntryHost,
    port: u16,
    /// Normalised path the URL's normalised path must start with.
    path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum EntryHost {
    /// A domain, lowercase, without a trailing dot; `wildcard`: `*.` + domain (subdomains only).
    Domain {
        name: String,
        wildcard: bool,
    },
    Ip(IpAddr),
}

impl AllowList {
    /// Parse the configured prefixes; each must be an http(s) URL with a host, no userinfo,
    /// query or fragment. A host may begin with `*.` (any subdomain, not the domain itself).
    pub fn parse(prefixes: &[String]) -> Result<Self, AllowListError> {
        let entries = prefixes
            .iter()
            .map(|p| Entry::parse(p))
            .collect::<Result<_, _>>()?;
        Ok(Self { entries })
    }

    /// True when no prefix is configured (every backurl is refused).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The normalised URL when `url` may be called.
    pub fn check(&self, url: &str) -> Result<String, CallbackRefused> {
        let parsed = parse_http(url).ok_or_else(|| CallbackRefused::NotHttp(url.to_owned()))?;
        let refused = || CallbackRefused::NotAllowed(url.to_owned());
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refused());
        }
        let target = Target::of(&parsed).ok_or_else(refused)?;
        let matched = self
            .entries
            .iter()
            .find(|e| e.matches(&target))
            .ok_or_else(refused)?;
        if target.is_special() && !matched.names_special(&target.host) {
            return Err(refused());
        }
        Ok(parsed.into())
    }

    /// Whether a connection to `addr` for a callback to `host` (the URL's host as DNS saw it)
    /// is allowed: ordinary addresses are; loopback, link-local, unspecified and metadata ones
    /// only when an entry names that IP, or names `localhost` exactly for a loopback address.
    pub fn permits_addr(&self, host: &str, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        if !is_special_ip(addr) {
            return true;
        }
        let host = normalise_domain(host);
        self.entries.iter().any(|e| match &e.host {
            EntryHost::Ip(ip) => *ip == addr,
            EntryHost::Domain { name, wildcard } => {
                !wildcard && addr.is_loopback() && *name == host && is_localhost_name(name)
            }
        })
    }
}

impl Entry {
    fn parse(raw: &str) -> Result<Self, AllowListError> {
        let error = |reason: &str| AllowListError {
            entry: raw.to_owned(),
            reason: reason.to_owned(),
        };
        let (text, wildcard) = strip_wildcard(raw.trim());
        let url = parse_http(&text).ok_or_else(|| {
            error("not an http:// or https:// URL prefix such as \"https://orders.example.com/hooks/\"")
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(error("a prefix may not carry user:password@"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(error(
                "a prefix may not carry a ?query or #fragment; end it at the path",
            ));
        }
        let target = Target::of(&url).ok_or_else(|| error("no host"))?;
        let host = match target.host {
            TargetHost::Domain(name) => EntryHost::Domain { name, wildcard },
            TargetHost::Ip(_) if wildcard => {
                return Err(error(
                    "`*.` may only begin a domain name, not an IP address",
                ))
            }
            TargetHost::Ip(ip) => EntryHost::Ip(ip),
        };
        Ok(Entry {
            scheme: target.scheme,
            host,
            port: target.port,
            path: target.path,
        })
    }

    fn matches(&self, t: &Target) -> bool {
        let host_matches = match (&self.host, &t.host) {
            (EntryHost::Ip(a), TargetHost::Ip(b)) => a == b,
            (EntryHost::Domain { name, wildcard }, TargetHost::Domain(d)) => {
                if *wildcard {
                    d.len() > name.len() + 1
                        && d.ends_with(name.as_str())
                        && d.as_bytes()[d.len() - name.len() - 1] == b'.'
                } else {
                    d == name
                }
            }
            _ => false,
        };
        host_matches
            && self.scheme == t.scheme
            && self.port == t.port
            && t.path.starts_with(&self.path)
    }

    /// Whether this (matching) entry names a special host explicitly: the same IP literal, or
    /// the same localhost/metadata name without `*.`.
    fn names_special(&self, host: &TargetHost) -> bool {
        match (&self.host, host) {
            (EntryHost::Ip(a), TargetHost::Ip(b)) => a == b,
            (EntryHost::Domain { name, wildcard }, TargetHost::Domain(d)) => !wildcard && name == d,
            _ => false,
        }
    }
}

/// `https://*.example.com/x` → (`https://example.com/x`, true).
fn strip_wildcard(raw: &str) -> (String, bool) {
    match raw.split_once("://") {
        Some((scheme, rest)) if rest.starts_with("*.") => {
            (format!("{scheme}://{}", &rest[2..]), true)
        }
        _ => (raw.to_owned(), false),
    }
}

fn parse_http(text: &str) -> Option<Url> {
    let url = Url::parse(text.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// The parts of a URL the allow-list compares, normalised.
#[derive(Debug)]
struct Target {
    scheme: String,
    host: TargetHost,
    port: u16,
    path: String,
}

#[derive(Debug)]
enum TargetHost {
    Domain(String),
    Ip(IpAddr),
}

impl Target {
    fn of(url: &Url) -> Option<Self> {
        let host = match url.host()? {
            Host::Domain(d) => TargetHost::Domain(normalise_domain(d)),
            Host::Ipv4(ip) => TargetHost::Ip(IpAddr::V4(ip)),
            Host::Ipv6(ip) => TargetHost::Ip(canonical(IpAddr::V6(ip))),
        };
        Some(Target {
            scheme: url.scheme().to_owned(),
            host,
            port: url.port_or_known_default()?,
            path: normalise_path(url.path()),
        })
    }

    /// A host that is a loopback/link-local/metadata address or name.
    fn is_special(&self) -> bool {
        match &self.host {
            TargetHost::Ip(ip) => is_special_ip(*ip),
            TargetHost::Domain(d) => is_localhost_name(d) || METADATA_NAMES.contains(&d.as_str()),
        }
    }
}

/// Host names of cloud metadata services.
const METADATA_NAMES: &[&str] = &[
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
];

fn is_localhost_name(d: &str) -> bool {
    d == "localhost" || d.ends_with(".localhost")
}

/// Lowercase without one trailing dot (`Example.COM.` and `example.com` are one host).
fn normalise_domain(d: &str) -> String {
    d.strip_suffix('.').unwrap_or(d).to_ascii_lowercase()
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) as the IPv4 address they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Loopback, unspecified, link-local (169.254.0.0/16 holds the usual metadata address
/// 169.254.169.254; fe80::/10), and the metadata addresses outside link-local (Alibaba's
/// 100.100.100.200, AWS's fd00:ec2::254).
pub fn is_special_ip(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_link_local()
                || v4 == Ipv4Addr::new(100, 100, 100, 200)
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
        }
    }
}

/// RFC 3986 6.2.2 on an already WHATWG-normalised path: percent-encoded unreserved characters
/// decoded, other escapes with uppercase hex digits.
fn normalise_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = &path[i + 1..i + 3];
            if let Ok(value) = u8::from_str_radix(hex, 16) {
                if value.is_ascii_alphanumeric() || b"-._~".contains(&value) {
                    out.push(value as char);
                } else {
                    out.push('%');
                    out.push_str(&hex.to_ascii_uppercase());
                }
                i += 3;
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests;
