//! Caps on the connections one listening port holds: in total and per remote IP address. A
//! connection over a cap is closed at once, before anything is read from it; connections already
//! open are untouched. Each admitted connection holds a [`ConnectionSlot`] that gives its place
//! back when the connection ends, however it ends. Refusals are logged once per address per
//! [`REFUSAL_LOG_INTERVAL`], so a client hammering a full server cannot flood the log.

use crate::locks::lock;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Default cap on the connections of one listening port. Every client instance (producer or
/// consumer process) keeps one connection per broker port it uses, so a broker serving a few
/// thousand client processes needs a few thousand; 10000 leaves room for that while keeping a
/// connection leak or flood from exhausting file descriptors and memory (each connection holds
/// buffers and a task). Raise it together with the process's `ulimit -n`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
/// Default cap per remote IP address. Real deployments put many clients behind one address
/// (a Kubernetes node's SNAT: up to 110 pods, each with a client instance or more, two
/// connections each when the VIP channel is on; a NAT gateway in front of a whole subnet), so
/// the cap is generous: it only stops one host that leaks connections from taking the whole
/// total. Deployments behind a NAT gateway for more than ~500 client processes should raise it.
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 1_000;
/// A refused address is logged at most once per this interval.
pub const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(60);
/// Addresses remembered for the log interval; older entries are dropped when it is full.
const LOGGED_ADDRESSES_CAP: usize = 4096;

/// The configured caps; 0 means no cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections one listening port holds at once (`serverMaxConnections`).
    pub total: usize,
    /// Connections from one remote IP address (`serverMaxConnectionsPerAddress`).
    pub per_address: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            total: DEFAULT_MAX_CONNECTIONS,
            per_address: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        }
    }
}

impl ConnectionLimits {
    /// No cap at all (in-process test servers, tools).
    pub fn unlimited() -> Self {
        ConnectionLimits {
            total: 0,
            per_address: 0,
        }
    }
}

/// Why a new connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the listener holds {held} connections, its limit (serverMaxConnections={limit})")]
    Total { held: usize, limit: usize },
    #[error("{held} connections from this address are open, its limit (serverMaxConnectionsPerAddress={limit})")]
    PerAddress { held: usize, limit: usize },
}

/// The counts of one listening port.
#[derive(Debug)]
pub struct ConnectionLimiter {
    limits: ConnectionLimits,
    /// Names the port in log lines (`listenPort`, `fast port`, `HA port`, `name server`).
    port_name: &'static str,
    held: Mutex<Held>,
    last_logged: Mutex<HashMap<IpAddr, Instant>>,
}

#[derive(Debug, Default)]
struct Held {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

impl ConnectionLimiter {
    pub fn new(limits: ConnectionLimits, port_name: &'static str) -> Arc<Self> {
        Arc::new(ConnectionLimiter {
            limits,
            port_name,
            held: Mutex::new(Held::default()),
            last_logged: Mutex::new(HashMap::new()),
        })
    }

    pub fn limits(&self) -> ConnectionLimits {
        self.limits
    }

    /// Connections held now (total).
    pub fn held(&self) -> usize {
        lock(&self.held).total
    }

    /// Takes a place for a new connection from `peer`; on a refusal the caller closes the
    /// connection at once (the refusal is logged here, once per address per interval).
    pub fn admit(self: &Arc<Self>, peer: SocketAddr) -> Option<ConnectionSlot> {
        match self.try_admit(peer.ip()) {
            Ok(slot) => Some(slot),
            Err(refusal) => {
                self.log_refusal(peer, refusal);
                None
            }
        }
    }

    fn try_admit(self: &Arc<Self>, ip: IpAddr) -> Result<ConnectionSlot, Refusal> {
        let mut held = lock(&self.held);
        let limits = self.limits;
        if limits.total > 0 && held.total >= limits.total {
            return Err(Refusal::Total {
                held: held.total,
                limit: limits.total,
            });
        }
        let from_ip = held.by_address.get(&ip).copied().unwrap_or(0);
        if limits.per_address > 0 && from_ip >= limits.per_address {
            return Err(Refusal::PerAddress {
                held: from_ip,
                limit: limits.per_address,
            });
        }
        held.total += 1;
        held.by_address.insert(ip, from_ip + 1);
        Ok(ConnectionSlot {
            limiter: self.clone(),
            ip,
        })
    }

    fn release(&self, ip: IpAddr) {
        let mut held = lock(&self.held);
        held.total = held.total.saturating_sub(1);
        if let Some(n) = held.by_address.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                held.by_address.remove(&ip);
            }
        }
    }

    fn log_refusal(&self, peer: SocketAddr, refusal: Refusal) {
        let now = Instant::now();
        let due = {
            let mut logged = lock(&self.last_logged);
            let due = logged
                .get(&peer.ip())
                .is_none_or(|at| now.duration_since(*at) >= REFUSAL_LOG_INTERVAL);
            if due {
                if logged.len() >= LOGGED_ADDRESSES_CAP {
                    logged.retain(|_, at| now.duration_since(*at) < REFUSAL_LOG_INTERVAL);
                }
                if logged.len() < LOGGED_ADDRESSES_CAP {
                    logged.insert(peer.ip(), now);
                }
            }
            due
        };
        if due {
            tracing::warn!(%peer, port = self.port_name,
                "connection limit reached: closing the new connection at once: {refusal}; open connections are served as before (further refusals of this address are logged again after {}s)",
                REFUSAL_LOG_INTERVAL.as_secs());
        } else {
            tracing::debug!(%peer, port = self.port_name, "connection refused: {refusal}");
        }
    }
}

/// A connection's place under the caps; dropping it gives the place back.
#[derive(Debug)]
pub struct ConnectionSlot {
    limiter: Arc<ConnectionLimiter>,
    ip: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.limiter.release(self.ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: [u8; 4], port: u16) -> SocketAddr {
        SocketAddr::from((ip, port))
    }

    #[test]
    fn per_address_cap_refuses_then_a_freed_place_is_reused() {
        let limiter = ConnectionLimiter::new(
            ConnectionLimits {
                total: 10,
                per_address: 2,
            },
            "test",
        );
        let a = limiter.admit(peer([10, 0, 0, 1], 1)).unwrap();
        let _b = limiter.admit(peer([10, 0, 0, 1], 2)).unwrap();
        assert!(limiter.admit(peer([10, 0, 0, 1], 3)).is_none());
        // Another address is not affected.
        let _c = limiter.admit(peer([10, 0, 0, 2], 1)).unwrap();
        drop(a);
        assert!(limiter.admit(peer([10, 0, 0, 1], 4)).is_some());
        // That slot was dropped at once: b and c remain.
        assert_eq!(limiter.held(), 2);
    }

    #[test]
    fn total_cap_counts_every_address_and_zero_means_no_cap() {
        let limiter = ConnectionLimiter::new(
            ConnectionLimits {
                total: 2,
                per_address: 0,
            },
            "test",
        );
        let slots: Vec<_> = (1..=2)
            .map(|i| limiter.admit(peer([10, 0, 0, i], 1)).unwrap())
            .collect();
        assert_eq!(
            limiter.try_admit([10, 0, 0, 9].into()).err(),
            Some(Refusal::Total { held: 2, limit: 2 })
        );
        drop(slots);
        assert_eq!(limiter.held(), 0);
        let unlimited = ConnectionLimiter::new(ConnectionLimits::unlimited(), "test");
        let many: Vec<_> = (0..5000)
            .map(|i| unlimited.admit(peer([10, 0, 0, 1], i)).unwrap())
            .collect();
        assert_eq!(unlimited.held(), many.len());
    }
}
