//! Offset message ids: store host + commit-log offset as uppercase hex (32 chars for IPv4,
//! 56 for IPv6), as `MessageDecoder.createMessageId` / `decodeMessageId` write and read them.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::DecodeError;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The broker-side message id: where the record lives (store host) and its commit-log offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OffsetMsgId {
    pub store_host: SocketAddr,
    pub commit_log_offset: i64,
}

impl OffsetMsgId {
    pub fn new(store_host: SocketAddr, commit_log_offset: i64) -> Self {
        Self {
            store_host,
            commit_log_offset,
        }
    }

    /// The 16 (IPv4) or 28 (IPv6) raw bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(28);
        match self.store_host.ip() {
            IpAddr::V4(ip) => out.extend_from_slice(&ip.octets()),
            IpAddr::V6(ip) => out.extend_from_slice(&ip.octets()),
        }
        out.extend_from_slice(&(self.store_host.port() as i32).to_be_bytes());
        out.extend_from_slice(&self.commit_log_offset.to_be_bytes());
        out
    }

    /// Parses the hex text; 32 chars means IPv4, 56 chars IPv6. Lower-case hex is accepted.
    pub fn decode(id: &str) -> Result<Self, DecodeError> {
        let bad = |reason| DecodeError::BadMessageId {
            id: id.chars().take(80).collect(),
            reason,
        };
        let ip_len = match id.len() {
            32 => 4,
            56 => 16,
            _ => return Err(bad("length must be 32 (IPv4) or 56 (IPv6) hex chars")),
        };
        let bytes = hex_decode(id).ok_or_else(|| bad("not hexadecimal"))?;
        let ip = if ip_len == 4 {
            let o: [u8; 4] = bytes[..4].try_into().map_err(|_| bad("short"))?;
            IpAddr::V4(Ipv4Addr::from(o))
        } else {
            let o: [u8; 16] = bytes[..16].try_into().map_err(|_| bad("short"))?;
            IpAddr::V6(Ipv6Addr::from(o))
        };
        let port_bytes: [u8; 4] = bytes[ip_len..ip_len + 4]
            .try_into()
            .map_err(|_| bad("short"))?;
        let port = i32::from_be_bytes(port_bytes);
        let port = u16::try_from(port).map_err(|_| bad("port out of range"))?;
        let off: [u8; 8] = bytes[ip_len + 4..ip_len + 12]
            .try_into()
            .map_err(|_| bad("short"))?;
        Ok(Self::new(
            SocketAddr::new(ip, port),
            i64::from_be_bytes(off),
        ))
    }
}

impl fmt::Display for OffsetMsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex_encode(&self.to_bytes()))
    }
}

/// Uppercase hex, as `UtilAll.bytes2string`.
pub fn hex_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 0xF) as usize] as char);
    }
    s
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    s.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(digit(*hi)? << 4 | digit(*lo)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_round_trip_uppercase() {
        let id = OffsetMsgId::new("10.1.2.3:10911".parse().unwrap(), 0x1234_5678_9ABC);
        let s = id.to_string();
        assert_eq!(s, "0A01020300002A9F0000123456789ABC");
        assert_eq!(OffsetMsgId::decode(&s).unwrap(), id);
        assert_eq!(OffsetMsgId::decode(&s.to_lowercase()).unwrap(), id);
    }

    #[test]
    fn ipv6_round_trip() {
        let id = OffsetMsgId::new("[::1]:10911".parse().unwrap(), 42);
        let s = id.to_string();
        assert_eq!(s.len(), 56);
        assert_eq!(OffsetMsgId::decode(&s).unwrap(), id);
    }

    #[test]
    fn rejects_bad_ids() {
        assert!(OffsetMsgId::decode("").is_err());
        assert!(OffsetMsgId::decode("0A01020300002A9F000012345678").is_err());
        assert!(OffsetMsgId::decode("ZZ01020300002A9F0000123456789ABC").is_err());
        assert!(OffsetMsgId::decode("0A010203FFFFFFFF0000123456789ABC").is_err());
        assert!(OffsetMsgId::decode("éééééééééééééééé").is_err());
    }
}
