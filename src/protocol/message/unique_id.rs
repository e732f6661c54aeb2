//! Message unique ids (UNIQ_KEY) in the Java client's `MessageClientIDSetter` layout: client IP,
//! process id, a per-process random hash, milliseconds since the start of the month and a
//! counter, as uppercase hex (32 characters for IPv4, 56 for IPv6). The admin producer, the
//! broker (for a message that arrives without one) and the load generator all use it.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::OnceLock;

use super::hex_encode;

/// A new unique id for a message sent from `client_ip`.
pub fn new_unique_id(client_ip: IpAddr) -> String {
    static COUNTER: AtomicU16 = AtomicU16::new(0);
    let mut bytes = Vec::with_capacity(28);
    match client_ip {
        IpAddr::V4(ip) => bytes.extend_from_slice(&ip.octets()),
        IpAddr::V6(ip) => bytes.extend_from_slice(&ip.octets()),
    }
    bytes.extend_from_slice(process_part());
    let now = crate::calendar::now_millis();
    let since_month = (now - crate::calendar::month_start_millis(now)) as i32;
    bytes.extend_from_slice(&since_month.to_be_bytes());
    bytes.extend_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    hex_encode(&bytes)
}

/// Process id (low 16 bits) and a random per-process hash, computed once (`getpid` is a
/// syscall, and the load generator makes an id per message).
fn process_part() -> &'static [u8; 6] {
    static PART: OnceLock<[u8; 6]> = OnceLock::new();
    PART.get_or_init(|| {
        let mut part = [0u8; 6];
        part[..2].copy_from_slice(&(std::process::id() as u16).to_be_bytes());
        part[2..].copy_from_slice(&rand::random::<i32>().to_be_bytes());
        part
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_uniqueness() {
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        let a = new_unique_id(ip);
        let b = new_unique_id(ip);
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.starts_with("0A010203"), "{a}");
        let pid = format!("{:04X}", std::process::id() as u16);
        assert_eq!(&a[8..12], pid);
        assert_eq!(&a[..20], &b[..20], "same ip, pid and process hash");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
        let v6 = new_unique_id("::1".parse().unwrap());
        assert_eq!(v6.len(), 56);
    }
}
