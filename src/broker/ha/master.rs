//! `HaMasterService`: serves slaves on haListenPort. One task per slave reads its 8-byte
//! offset reports (acks for SYNC_MASTER waits) and another streams commit-log chunks from where
//! the slave stands, with a 0-size heartbeat header when idle and a close after housekeeping
//! silence.

use super::frame::{encode_chunk, take_last_report, TransferHeader};
use super::{HaConfig, HaError, HaStatus};
use crate::broker::store::MessageStore;
use crate::remoting::connection_limit::{ConnectionLimiter, ConnectionSlot};
use crate::remoting::tls::gate::Admitted;
use bytes::BytesMut;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Accepts slave connections and replicates the store to them.
#[derive(Clone)]
pub struct HaMasterService {
    store: MessageStore,
    config: HaConfig,
    status: Arc<HaStatus>,
}

impl HaMasterService {
    pub fn new(store: MessageStore, config: HaConfig, status: Arc<HaStatus>) -> Self {
        HaMasterService {
            store,
            config,
            status,
        }
    }

    /// Serves `listener` until `shutdown` turns true; open connections are closed then.
    pub async fn run(self, listener: TcpListener, mut shutdown: watch::Receiver<bool>) {
        let local = listener.local_addr().ok();
        tracing::info!(addr = ?local, "HA service listening for slaves");
        let mut connections = JoinSet::new();
        let limiter = ConnectionLimiter::new(self.config.connection_limits, "HA port");
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        // Over a cap: closed at once, before anything is read (logged there).
                        let Some(slot) = limiter.admit(peer) else {
                            drop(stream);
                            continue;
                        };
                        let service = self.clone();
                        connections.spawn(async move { service.serve_slave(stream, peer, slot).await });
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "HA accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                _ = shutdown.changed() => break,
            }
        }
        connections.shutdown().await;
        self.store.replica().set_connected(false);
    }

    /// Serves one slave; its place under the connection caps is given back when this returns.
    async fn serve_slave(self, stream: TcpStream, peer: SocketAddr, _slot: ConnectionSlot) {
        let _ = stream.set_nodelay(true);
        let admitted = match &self.config.tls_gate {
            None => Admitted::Plain(stream),
            Some(gate) => gate.admit(stream, peer).await,
        };
        match admitted {
            Admitted::Plain(stream) => {
                let (reader, writer) = stream.into_split();
                self.serve_halves(peer, reader, writer).await
            }
            Admitted::Tls(stream) => {
                let (reader, writer) = tokio::io::split(*stream);
                self.serve_halves(peer, reader, writer).await
            }
            Admitted::Closed => {}
        }
    }

    async fn serve_halves(
        self,
        peer: SocketAddr,
        reader: impl AsyncRead + Unpin,
        writer: impl AsyncWrite + Unpin,
    ) {
        let id = self.status.add_slave(peer);
        tracing::info!(slave = %peer, "slave connected to the HA service");
        let (start_tx, start_rx) = watch::channel(None);
        let result = tokio::select! {
            r = self.read_reports(id, peer, reader, start_tx) => r,
            r = self.stream_chunks(peer, writer, start_rx) => r,
        };
        self.slave_gone(id);
        match result {
            Err(HaError::Closed { .. }) | Ok(()) => {
                tracing::info!(slave = %peer, acked = self.store.replica().acked(), "slave disconnected")
            }
            Err(e) => tracing::warn!(slave = %peer, error = %e, "HA connection closed"),
        }
    }

    fn slave_gone(&self, id: u64) {
        let replica = self.store.replica();
        match self.status.remove_slave(id) {
            Some(max) => replica.reset_acked(max),
            None => replica.set_connected(self.status.reported_slaves() > 0),
        }
    }

    /// Reads reports until the slave goes away or stays silent for the housekeeping interval.
    async fn read_reports(
        &self,
        id: u64,
        peer: SocketAddr,
        mut reader: impl AsyncRead + Unpin,
        start: watch::Sender<Option<u64>>,
    ) -> Result<(), HaError> {
        let addr = peer.to_string();
        let mut buf = BytesMut::with_capacity(64);
        loop {
            let read =
                tokio::time::timeout(self.config.housekeeping_interval, reader.read_buf(&mut buf))
                    .await;
            match read {
                Err(_) => {
                    return Err(HaError::Silent {
                        addr,
                        secs: self.config.housekeeping_interval.as_secs(),
                    })
                }
                Ok(Err(source)) => return Err(HaError::Io { addr, source }),
                Ok(Ok(0)) => return Err(HaError::Closed { addr }),
                Ok(Ok(_)) => {}
            }
            let report = take_last_report(&mut buf).map_err(|source| HaError::Frame {
                addr: addr.clone(),
                source,
            })?;
            if let Some(offset) = report {
                self.check_report(&addr, offset)?;
                self.record_report(id, offset, start.borrow().is_none());
                if start.borrow().is_none() {
                    tracing::info!(slave = %peer, offset, "slave reported its commit-log max offset");
                    start.send_replace(Some(offset));
                }
            }
        }
    }

    /// A slave must not claim bytes the master does not have.
    fn check_report(&self, addr: &str, offset: u64) -> Result<(), HaError> {
        let master_max = self.store.max_phys_offset();
        let master_min = self.store.min_phys_offset();
        let below_start = offset != 0 && offset < master_min;
        if offset > master_max || below_start {
            return Err(HaError::SlaveOffsetUnknown {
                addr: addr.to_string(),
                slave_offset: offset,
                master_min,
                master_max,
            });
        }
        Ok(())
    }

    fn record_report(&self, id: u64, offset: u64, first: bool) {
        let replica = self.store.replica();
        let max = self.status.slave_reported(id, offset);
        if first && self.status.reported_slaves() == 1 {
            replica.reset_acked(offset);
        } else {
            replica.update_acked(max);
        }
        replica.set_connected(true);
    }

    /// Waits for the first report, then streams the commit log from where the slave stands.
    async fn stream_chunks(
        &self,
        peer: SocketAddr,
        mut writer: impl AsyncWrite + Unpin,
        mut start: watch::Receiver<Option<u64>>,
    ) -> Result<(), HaError> {
        let addr = peer.to_string();
        let reported = match start.wait_for(|s| s.is_some()).await {
            Ok(s) => s.unwrap_or(0),
            Err(_) => return Ok(()),
        };
        let mut arrivals = self.store.subscribe_arrivals();
        let _interest = self.store.arrival_interest();
        let mut next = self.store.ha_transfer_start(reported);
        tracing::info!(slave = %peer, from = next, "streaming the commit log to the slave");
        let mut last_write = Instant::now();
        loop {
            let chunk = self
                .store
                .read_commit_log(next, self.config.transfer_batch_size)
                .map_err(|source| HaError::Store {
                    addr: addr.clone(),
                    offset: next,
                    source,
                })?;
            if let Some((at, data)) = chunk {
                write(&mut writer, &addr, &encode_chunk(at, &data)).await?;
                next = at + data.len() as u64;
                last_write = Instant::now();
                continue;
            }
            if last_write.elapsed() >= self.config.heartbeat_interval {
                let heartbeat = TransferHeader {
                    master_phy_offset: next,
                    body_size: 0,
                };
                write(&mut writer, &addr, &heartbeat.encode()).await?;
                last_write = Instant::now();
            }
            let wake_at = last_write + self.config.heartbeat_interval;
            tokio::select! {
                r = arrivals.recv() => {
                    if matches!(r, Err(broadcast::error::RecvError::Closed)) {
                        return Ok(());
                    }
                    while arrivals.try_recv().is_ok() {}
                }
                _ = tokio::time::sleep_until(wake_at) => {}
            }
        }
    }
}

async fn write(
    writer: &mut (impl AsyncWrite + Unpin),
    addr: &str,
    bytes: &[u8],
) -> Result<(), HaError> {
    writer.write_all(bytes).await.map_err(|source| HaError::Io {
        addr: addr.to_string(),
        source,
    })
}
