//! The TLS gate in front of a listener: looks at the first byte of each new connection (a TLS
//! handshake record starts with 0x16), then, as `tls.server.mode` says, runs the TLS handshake,
//! passes the connection on as plain TCP, or closes it. Handshakes have a time limit and a cap
//! on how many run at once; a refused or failed connection is logged once per peer address.

use super::settings::TlsMode;
use crate::locks::lock;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_rustls::server::TlsStream;
use tracing::warn;

/// First byte of a TLS record carrying a handshake message.
pub const TLS_HANDSHAKE_BYTE: u8 = 0x16;
/// The first byte and the TLS handshake must arrive within this.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes running at once per listener; connections beyond are closed at once.
pub const HANDSHAKES_IN_FLIGHT: usize = 256;
/// Peer addresses remembered for "log once"; the set is emptied when full.
const LOGGED_PEERS_CAP: usize = 4096;

/// What the gate made of a new connection.
pub enum Admitted {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    /// Closed (refused by the mode, a failed or slow handshake, or the peer went away).
    Closed,
}

/// One listener's TLS policy.
pub struct TlsGate {
    mode: TlsMode,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    handshakes: Semaphore,
    logged: Mutex<HashSet<IpAddr>>,
}

impl std::fmt::Debug for TlsGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsGate").field("mode", &self.mode).finish()
    }
}

impl TlsGate {
    /// A gate for `mode`; permissive and enforcing need a server configuration.
    pub fn new(mode: TlsMode, config: Option<Arc<rustls::ServerConfig>>) -> Arc<Self> {
        Arc::new(TlsGate {
            mode,
            acceptor: config.map(tokio_rustls::TlsAcceptor::from),
            handshakes: Semaphore::new(HANDSHAKES_IN_FLIGHT),
            logged: Mutex::new(HashSet::new()),
        })
    }

    pub fn mode(&self) -> TlsMode {
        self.mode
    }

    /// Decide what to do with a freshly accepted connection.
    pub async fn admit(&self, stream: TcpStream, peer: SocketAddr) -> Admitted {
        let Ok(_turn) = self.handshakes.try_acquire() else {
            self.log_once(
                peer,
                "closing connection: too many TLS handshakes in flight",
            );
            return Admitted::Closed;
        };
        let mut first = [0u8; 1];
        let peeked = tokio::time::timeout(HANDSHAKE_TIMEOUT, stream.peek(&mut first)).await;
        match peeked {
            Err(_) => {
                self.log_once(
                    peer,
                    "closing connection: nothing received within the handshake timeout",
                );
                return Admitted::Closed;
            }
            Ok(Err(_)) | Ok(Ok(0)) => return Admitted::Closed,
            Ok(Ok(_)) => {}
        }
        let tls = first[0] == TLS_HANDSHAKE_BYTE;
        match (tls, self.mode, &self.acceptor) {
            (false, TlsMode::Enforcing, _) => {
                self.log_once(
                    peer,
                    "closing plain TCP connection: tls.server.mode=enforcing accepts TLS only",
                );
                Admitted::Closed
            }
            (false, _, _) => Admitted::Plain(stream),
            (true, TlsMode::Disabled, _) | (true, _, None) => {
                self.log_once(
                    peer,
                    "closing TLS connection: tls.server.mode=disabled serves plain TCP only",
                );
                Admitted::Closed
            }
            (true, _, Some(acceptor)) => {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => Admitted::Tls(Box::new(tls)),
                    Ok(Err(e)) => {
                        self.log_once(peer, &format!("TLS handshake failed: {e}"));
                        Admitted::Closed
                    }
                    Err(_) => {
                        self.log_once(
                            peer,
                            &format!(
                                "TLS handshake not finished within {HANDSHAKE_TIMEOUT:?}; closing"
                            ),
                        );
                        Admitted::Closed
                    }
                }
            }
        }
    }

    /// Warns the first time a peer address is refused; later refusals of it are quiet.
    fn log_once(&self, peer: SocketAddr, what: &str) {
        let first_time = {
            let mut logged = lock(&self.logged);
            if logged.len() >= LOGGED_PEERS_CAP {
                logged.clear();
            }
            logged.insert(peer.ip())
        };
        if first_time {
            warn!(%peer, "{what} (further refusals of this address are not logged)");
        } else {
            tracing::debug!(%peer, "{what}");
        }
    }
}
