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
    #[error("{0}")]
    KeyPassword(String),
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

/// The rustls acceptor of `[tls]` (HTTP/1.1 only), with the remoting layer's PEM loaders; an
/// encrypted key is opened with the password of `key_password_file`.
pub fn tls_acceptor(tls: &ListenerTls) -> Result<tokio_rustls::TlsAcceptor, ListenError> {
    let chain = load_certs("[tls] cert", &tls.cert)?;
    let password = tls.key_password().map_err(ListenError::KeyPassword)?;
    let key = load_key("[tls] key", &tls.key, password.as_deref())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
    use std::path::Path;

    /// An encrypted listener key opens with the password of `key_password_file` only: without
    /// the file, with a wrong password or an unreadable file the start stops, saying why.
    #[test]
    fn an_encrypted_listener_key_opens_with_its_password_file() {
        let dir = tempfile::tempdir().unwrap();
        let ca = CertificateAuthority::generate("listener CA", Validity::days(10)).unwrap();
        let issued = ca
            .issue(&["127.0.0.1".into()], Usage::Server, Validity::days(5))
            .unwrap();
        let (cert, key, pw) = (
            dir.path().join("gw.pem"),
            dir.path().join("gw-key.pem"),
            dir.path().join("pw"),
        );
        std::fs::write(&cert, issued.cert_pem).unwrap();
        std::fs::write(&key, issued.key_pem).unwrap();
        crate::render::tls::tests::encrypt_key(&key, "listener-pw");
        let tls = |password_file: Option<&Path>| ListenerTls {
            cert: cert.clone(),
            key: key.clone(),
            key_password_file: password_file.map(Path::to_path_buf),
        };

        let error = tls_acceptor(&tls(None)).err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains("encrypted")),
            "{error:?}"
        );
        std::fs::write(&pw, "listener-pw\n").unwrap();
        assert!(tls_acceptor(&tls(Some(&pw))).is_ok());
        std::fs::write(&pw, "wrong-pw\n").unwrap();
        let error = tls_acceptor(&tls(Some(&pw))).err().map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("[tls] key") && !e.contains("wrong-pw")),
            "{error:?}"
        );
        let missing = dir.path().join("no-such-pw");
        let error = tls_acceptor(&tls(Some(&missing)))
            .err()
            .map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.starts_with(&format!(
                "[tls] key_password_file {}: cannot read",
                missing.display()
            ))),
            "{error:?}"
        );
    }
}
