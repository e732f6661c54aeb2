//! The gateway's HTTP/1.1 listener: an accept loop that serves each connection (plain TCP, or
//! rustls when `[tls]` is configured) with hyper, keep-alive on, and stops gracefully: on
//! shutdown it accepts nothing more, lets every request in progress finish and be answered,
//! closes idle keep-alive connections, and waits for the last one (up to [`DRAIN_LIMIT`]).
//! Our own loop rather than `axum::serve` because that serves plain TCP only.

use super::config::ListenerTls;
use crate::remoting::tls::pem_files::{load_certs, load_key, PemError};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// How long requests in progress may take to finish after shutdown starts.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(30);
/// How long a client may take for its TLS handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// Why the listener cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("[tls]: {0}")]
    Pem(#[from] PemError),
    #[error("[tls] cert {cert} with key {key}: {reason}")]
    Tls {
        cert: String,
        key: String,
        reason: String,
    },
}

/// A bound listener, not yet serving.
pub struct HttpListener {
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// The rustls acceptor of `[tls]` (HTTP/1.1 only), with the remoting layer's PEM loaders.
pub fn tls_acceptor(tls: &ListenerTls) -> Result<tokio_rustls::TlsAcceptor, ListenError> {
    let chain = load_certs("[tls] cert", &tls.cert)?;
    let key = load_key("[tls] key", &tls.key, None)?;
    let rejected = |reason: String| ListenError::Tls {
        cert: tls.cert.display().to_string(),
        key: tls.key.display().to_string(),
        reason,
    };
    let mut config = rustls::ServerConfig::builder_with_provider(
        crate::remoting::tls::server_config::provider(),
    )
    .with_safe_default_protocol_versions()
    .map_err(|e| rejected(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| {
        rejected(format!(
            "the certificate and the key do not go together: {e}"
        ))
    })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

impl HttpListener {
    /// Bind `addr` (`host:port`), with TLS when `tls` is given.
    pub async fn bind(addr: &str, tls: Option<&ListenerTls>) -> Result<Self, ListenError> {
        let tls = tls.map(tls_acceptor).transpose()?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ListenError::Bind {
                addr: addr.to_string(),
                source,
            })?;
        Ok(HttpListener { listener, tls })
    }

    /// The bound address (the real port when `:0` was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Whether connections are TLS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serve `router` until `shutdown` is cancelled, then drain; the task ends when every
    /// connection is closed (or [`DRAIN_LIMIT`] passed).
    pub fn serve(self, router: Router, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.accept_loop(router, shutdown))
    }

    async fn accept_loop(self, router: Router, shutdown: CancellationToken) {
        let graceful = GracefulShutdown::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.keep_alive(true).timer(TokioTimer::new());
        loop {
            let accepted = tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = self.listener.accept() => accepted,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(router.clone());
            let watcher = graceful.watcher();
            let http = http.clone();
            let tls = self.tls.clone();
            tokio::spawn(async move {
                let served = match tls {
                    None => {
                        watcher
                            .watch(http.serve_connection(TokioIo::new(stream), service))
                            .await
                    }
                    Some(acceptor) => {
                        let Some(stream) = handshake(&acceptor, stream, peer).await else {
                            return;
                        };
                        watcher
                            .watch(http.serve_connection(TokioIo::new(stream), service))
                            .await
                    }
                };
                if let Err(e) = served {
                    tracing::debug!(%peer, error = %e, "HTTP connection ended with an error");
                }
            });
        }
        drop(self.listener);
        tracing::info!(
            connections = graceful.count(),
            "HTTP listener closed; finishing requests in progress"
        );
        if tokio::time::timeout(DRAIN_LIMIT, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(limit = ?DRAIN_LIMIT, "HTTP requests still running at the drain limit; closing them");
        }
    }
}

async fn handshake(
    acceptor: &tokio_rustls::TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    match tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => Some(stream),
        Ok(Err(e)) => {
            tracing::debug!(%peer, error = %e, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!(%peer, "TLS handshake timed out");
            None
        }
    }
}
