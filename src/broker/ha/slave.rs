//! `HaSlaveClient`: the slave's side of replication. Connects to the master's HA address,
//! reports its commit-log max offset (at connect, after applying chunks and every heartbeat
//! interval), checks each chunk continues its own log exactly, appends it, and reconnects after
//! any failure.

use super::frame::{decode_chunk, encode_report, TransferChunk, MAX_CHUNK_BODY};
use super::{HaConfig, HaConnectionState, HaError, HaStatus};
use crate::broker::store::MessageStore;
use bytes::BytesMut;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How often a slave without a known master address looks again.
const ADDRESS_POLL: Duration = Duration::from_millis(200);

/// Where the slave finds its master's HA address (config or the name server's reply).
pub type MasterHaAddr = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// Replicates the master's commit log into a slave store.
pub struct HaSlaveClient {
    store: MessageStore,
    config: HaConfig,
    status: Arc<HaStatus>,
    master: MasterHaAddr,
}

impl HaSlaveClient {
    pub fn new(
        store: MessageStore,
        config: HaConfig,
        status: Arc<HaStatus>,
        master: MasterHaAddr,
    ) -> Self {
        HaSlaveClient {
            store,
            config,
            status,
            master,
        }
    }

    /// Connects, replicates and reconnects until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            // Until the master's address is known (config or first registration) look often;
            // after a failed or closed connection wait the reconnect interval.
            let wait = match (self.master)() {
                Some(addr) => {
                    let result = tokio::select! {
                        r = self.replicate_from(&addr) => r,
                        _ = shutdown.changed() => break,
                    };
                    self.link_down(&addr, result);
                    self.config.reconnect_interval
                }
                None => ADDRESS_POLL.min(self.config.reconnect_interval),
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => break,
            }
        }
        self.status
            .update_master(|l| l.state = HaConnectionState::Shutdown);
    }

    fn link_down(&self, addr: &str, result: Result<(), HaError>) {
        let offset = self.store.max_phys_offset();
        let error = match result {
            Ok(()) => None,
            Err(HaError::Connect { .. }) => {
                tracing::debug!(master = %addr, "master HA address not reachable; retrying");
                Some(format!("cannot connect to {addr}"))
            }
            Err(e) => {
                tracing::warn!(master = %addr, slave_offset = offset, error = %e,
                    "HA connection to the master closed; reconnecting");
                Some(e.to_string())
            }
        };
        self.status.update_master(|l| {
            l.state = HaConnectionState::Ready;
            l.last_error = error;
        });
    }

    async fn replicate_from(&self, addr: &str) -> Result<(), HaError> {
        let stream = connect(addr).await?;
        let Some(tls) = &self.config.tls_connect else {
            let (reader, writer) = stream.into_split();
            return self.replicate_over(addr, reader, writer).await;
        };
        let handshake = tokio::time::timeout(CONNECT_TIMEOUT, tls.handshake(addr, stream)).await;
        let stream = match handshake {
            Ok(Ok(stream)) => stream,
            Ok(Err(reason)) => return Err(tls_failed(addr, reason)),
            Err(_) => return Err(tls_failed(addr, "the TLS handshake did not finish".into())),
        };
        let (reader, writer) = tokio::io::split(stream);
        self.replicate_over(addr, reader, writer).await
    }

    async fn replicate_over(
        &self,
        addr: &str,
        mut reader: impl AsyncRead + Unpin,
        mut writer: impl AsyncWrite + Unpin,
    ) -> Result<(), HaError> {
        let start = self.store.max_phys_offset();
        tracing::info!(master = %addr, offset = start, "connected to the master's HA service");
        self.status.update_master(|l| {
            l.state = HaConnectionState::Transfer;
            l.master_ha_addr = Some(addr.to_string());
            l.last_read_ms = crate::calendar::now_millis();
            l.last_error = None;
        });
        report(&mut writer, addr, start).await?;
        let mut last_report = Instant::now();
        let mut last_read = Instant::now();
        let mut buf = BytesMut::with_capacity(64 * 1024);
        loop {
            let report_due = last_report + self.config.heartbeat_interval;
            tokio::select! {
                n = reader.read_buf(&mut buf) => {
                    match n {
                        Ok(0) => return Err(HaError::Closed { addr: addr.to_string() }),
                        Err(source) => return Err(HaError::Io { addr: addr.to_string(), source }),
                        Ok(_) => {}
                    }
                    last_read = Instant::now();
                    self.status.update_master(|l| l.last_read_ms = crate::calendar::now_millis());
                    let applied = self.apply_chunks(addr, &mut buf);
                    if matches!(applied, Ok(true)) {
                        // Report before building consume queues and the index: a SYNC_MASTER
                        // send is waiting for this ack.
                        report(&mut writer, addr, self.store.max_phys_offset()).await?;
                        last_report = Instant::now();
                    }
                    // Good chunks before a refused one are dispatched too.
                    self.store.dispatch_replicated().map_err(|source| HaError::Store {
                        addr: addr.to_string(),
                        offset: self.store.max_phys_offset(),
                        source,
                    })?;
                    applied?;
                }
                _ = tokio::time::sleep_until(report_due) => {
                    if last_read.elapsed() > self.config.housekeeping_interval {
                        return Err(HaError::Silent {
                            addr: addr.to_string(),
                            secs: self.config.housekeeping_interval.as_secs(),
                        });
                    }
                    report(&mut writer, addr, self.store.max_phys_offset()).await?;
                    last_report = Instant::now();
                }
            }
        }
    }

    /// Applies every complete chunk in `buf`; returns whether any bytes were appended.
    fn apply_chunks(&self, addr: &str, buf: &mut BytesMut) -> Result<bool, HaError> {
        let mut appended = false;
        while let Some(chunk) =
            decode_chunk(buf, MAX_CHUNK_BODY).map_err(|source| HaError::Frame {
                addr: addr.to_string(),
                source,
            })?
        {
            appended |= self.apply_chunk(addr, &chunk)?;
        }
        Ok(appended)
    }

    fn apply_chunk(&self, addr: &str, chunk: &TransferChunk) -> Result<bool, HaError> {
        let own = self.store.max_phys_offset();
        let master_offset = chunk.header.master_phy_offset;
        if own != 0 && master_offset != own {
            return Err(HaError::OffsetMismatch {
                addr: addr.to_string(),
                master_offset,
                slave_offset: own,
            });
        }
        self.status
            .update_master(|l| l.master_offset_seen = l.master_offset_seen.max(chunk.header.end()));
        if chunk.is_heartbeat() {
            return Ok(false);
        }
        self.store
            .append_replicated_deferred(master_offset, &chunk.body)
            .map_err(|source| HaError::Store {
                addr: addr.to_string(),
                offset: master_offset,
                source,
            })?;
        Ok(true)
    }
}

async fn connect(addr: &str) -> Result<TcpStream, HaError> {
    crate::remoting::client::connect_tcp(addr, CONNECT_TIMEOUT)
        .await
        .map_err(|source| HaError::Connect {
            addr: addr.to_string(),
            source,
        })
}

/// A failed TLS handshake with the master, as an I/O error of the link (its reason in words).
fn tls_failed(addr: &str, reason: String) -> HaError {
    HaError::Io {
        addr: addr.to_string(),
        source: std::io::Error::other(reason),
    }
}

async fn report(
    writer: &mut (impl AsyncWrite + Unpin),
    addr: &str,
    offset: u64,
) -> Result<(), HaError> {
    writer
        .write_all(&encode_report(offset))
        .await
        .map_err(|source| HaError::Io {
            addr: addr.to_string(),
            source,
        })
}
