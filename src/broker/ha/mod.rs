//! Master/slave replication (Apache's classic HA, remoting-protocol.md section 7): the master
//! streams its commit log to each slave over plain TCP on haListenPort, the slave appends it at the
//! same offsets and acknowledges, and SYNC_MASTER puts wait on those acknowledgements.
//!
//! `HaStatus` is what both sides publish for runtime info and pull routing. GET_BROKER_RUNTIME_INFO
//! carries these replication keys (`processor/admin.rs`, `replication_info`):
//!
//! | key | on | meaning |
//! |---|---|---|
//! | `haServerAddr` | both | this broker's HA address (brokerIP2:haListenPort) |
//! | `haConnectionState` | both | `TRANSFER` when replicating (master: ≥ 1 slave reported; slave: connected to its master), else `READY` (`SHUTDOWN` while stopping) |
//! | `slaveConnected` | master | a slave is connected and has reported its offset |
//! | `slaveNum` / `inSyncSlaveNums` | master | connected slaves / of those, within `haMaxGapNotInSync` |
//! | `slaveAckOffset` | both | master: highest commit-log offset a slave acknowledged; slave: its own commit-log max offset (what it holds) |
//! | `slaveFallBehindBytes` | both | master: commitLogMaxOffset − slaveAckOffset; slave: haMasterOffsetSeen − own max (lower bound; the master's number is authoritative) |
//! | `slaveInSync` | both | master: a slave is connected and ≤ `haMaxGapNotInSync` behind (SYNC sends can succeed); slave: connected and heard from the master within `haHousekeepingInterval` |
//! | `haSlave.<i>.addr` / `.ackOffset` / `.fallBehindBytes` / `.inSync` | master | the same per connected slave (i = 0, 1, ... oldest first) |
//! | `masterAddr` | slave | the master's remoting address (from the name server) |
//! | `haMasterAddr` | slave | the master HA address in use (`haMasterAddress` or the name server's `haServerAddr`) |
//! | `haMasterOffsetSeen` | slave | highest offset the master has sent (chunk end or heartbeat offset) |
//! | `haLastReadTimestamp` | slave | ms since epoch of the last bytes read from the master (0 = never) |
//! | `haLastError` | slave | why the last HA connection ended (empty if none) |

pub mod frame;
pub mod master;
pub mod slave;

pub use master::HaMasterService;
pub use slave::HaSlaveClient;

use crate::broker::config::BrokerConfig;
use crate::broker::store::StoreError;
use crate::locks::lock;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Timers and sizes of the HA protocol.
#[derive(Debug, Clone)]
pub struct HaConfig {
    /// Largest chunk body the master sends (`haTransferBatchSize`).
    pub transfer_batch_size: usize,
    /// Slave report period and master idle heartbeat (`haSendHeartbeatInterval`).
    pub heartbeat_interval: Duration,
    /// Either side closes after this long without reading anything (`haHousekeepingInterval`).
    pub housekeeping_interval: Duration,
    /// Slave reconnect period (5 s in Apache).
    pub reconnect_interval: Duration,
    /// A slave further behind than this is not in sync (`haMaxGapNotInSync`).
    pub max_gap_not_in_sync: u64,
    /// Master: the HA port's TLS gate (the broker's `tls.server.mode`); `None`: plain only.
    pub tls_gate: Option<std::sync::Arc<crate::remoting::tls::TlsGate>>,
    /// Slave: connect to the master's HA port with TLS (`tls.enable=true`).
    pub tls_connect: Option<crate::remoting::tls::TlsConnect>,
    /// Master: caps on the HA port's connections (the broker's `serverMaxConnections*`).
    pub connection_limits: crate::remoting::connection_limit::ConnectionLimits,
}

impl Default for HaConfig {
    fn default() -> Self {
        HaConfig {
            transfer_batch_size: 32 * 1024,
            heartbeat_interval: Duration::from_secs(5),
            housekeeping_interval: Duration::from_secs(20),
            reconnect_interval: Duration::from_secs(5),
            max_gap_not_in_sync: 256 * 1024 * 1024,
            tls_gate: None,
            tls_connect: None,
            connection_limits: Default::default(),
        }
    }
}

impl HaConfig {
    pub fn from_broker(c: &BrokerConfig) -> Self {
        HaConfig {
            transfer_batch_size: (c.ha_transfer_batch_size as usize).max(1024),
            heartbeat_interval: Duration::from_millis(c.ha_send_heartbeat_interval.max(100)),
            housekeeping_interval: Duration::from_millis(c.ha_housekeeping_interval.max(200)),
            reconnect_interval: Duration::from_secs(5),
            max_gap_not_in_sync: c.ha_max_gap_not_in_sync,
            tls_gate: None,
            tls_connect: None,
            connection_limits: c.connection_limits(),
        }
    }
}

/// Why an HA connection ended; every variant names the peer and the offsets involved.
#[derive(Debug, thiserror::Error)]
pub enum HaError {
    #[error("cannot connect to master HA address {addr}: {source}")]
    Connect {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("HA connection with {addr}: {source}")]
    Io {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("HA connection with {addr} closed by the peer")]
    Closed { addr: String },
    #[error("nothing read from {addr} for {secs} s (haHousekeepingInterval); closing")]
    Silent { addr: String, secs: u64 },
    #[error("bad HA data from {addr}: {source}")]
    Frame {
        addr: String,
        #[source]
        source: frame::HaFrameError,
    },
    #[error("master {addr} pushed data at offset {master_offset} but the slave's commit log ends at {slave_offset}; closing (diverged or out-of-place data)")]
    OffsetMismatch {
        addr: String,
        master_offset: u64,
        slave_offset: u64,
    },
    #[error("slave {addr} reports offset {slave_offset} which this master does not have (master commit log [{master_min}, {master_max}]); closing")]
    SlaveOffsetUnknown {
        addr: String,
        slave_offset: u64,
        master_min: u64,
        master_max: u64,
    },
    #[error("store error replicating with {addr} at offset {offset}: {source}")]
    Store {
        addr: String,
        offset: u64,
        #[source]
        source: StoreError,
    },
}

/// Apache 5.x `HAConnectionState` names, as shown in runtime info.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HaConnectionState {
    /// No connection; the slave will (re)connect.
    Ready,
    /// Connected and transferring.
    Transfer,
    Shutdown,
}

impl HaConnectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "READY",
            Self::Transfer => "TRANSFER",
            Self::Shutdown => "SHUTDOWN",
        }
    }
}

/// One slave connected to this master.
#[derive(Debug, Clone)]
pub struct SlaveLink {
    pub addr: SocketAddr,
    /// Last offset the slave reported (it holds everything below).
    pub ack_offset: u64,
    /// Whether the slave has sent its first report yet.
    pub reported: bool,
    pub connected_at_ms: i64,
}

/// The slave's view of its master link.
#[derive(Debug, Clone)]
pub struct MasterLink {
    pub state: HaConnectionState,
    /// The master HA address in use (or last tried).
    pub master_ha_addr: Option<String>,
    /// When something was last read from the master (ms since epoch, 0 = never).
    pub last_read_ms: i64,
    /// Highest offset the master has sent (end of its last chunk or heartbeat offset).
    pub master_offset_seen: u64,
    /// Why the last connection ended.
    pub last_error: Option<String>,
}

impl Default for MasterLink {
    fn default() -> Self {
        MasterLink {
            state: HaConnectionState::Ready,
            master_ha_addr: None,
            last_read_ms: 0,
            master_offset_seen: 0,
            last_error: None,
        }
    }
}

/// HA state shared between the HA services and request processors.
#[derive(Debug, Default)]
pub struct HaStatus {
    next_id: AtomicU64,
    slaves: Mutex<BTreeMap<u64, SlaveLink>>,
    master: Mutex<MasterLink>,
}

impl HaStatus {
    // ---- master side ----

    /// A slave connected; returns its connection id.
    pub fn add_slave(&self, addr: SocketAddr) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock_slaves().insert(
            id,
            SlaveLink {
                addr,
                ack_offset: 0,
                reported: false,
                connected_at_ms: crate::calendar::now_millis(),
            },
        );
        id
    }

    /// Records a report; returns the highest ack among slaves that have reported.
    pub fn slave_reported(&self, id: u64, offset: u64) -> u64 {
        let mut slaves = self.lock_slaves();
        if let Some(s) = slaves.get_mut(&id) {
            s.ack_offset = offset;
            s.reported = true;
        }
        max_ack(&slaves)
    }

    /// A slave's connection ended; returns the highest ack among those left, if any.
    pub fn remove_slave(&self, id: u64) -> Option<u64> {
        let mut slaves = self.lock_slaves();
        slaves.remove(&id);
        slaves
            .values()
            .any(|s| s.reported)
            .then(|| max_ack(&slaves))
    }

    /// Connected slaves, oldest first.
    pub fn slaves(&self) -> Vec<SlaveLink> {
        self.lock_slaves().values().cloned().collect()
    }

    /// Number of slaves that have reported at least once.
    pub fn reported_slaves(&self) -> usize {
        self.lock_slaves().values().filter(|s| s.reported).count()
    }

    fn lock_slaves(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, SlaveLink>> {
        lock(&self.slaves)
    }

    // ---- slave side ----

    pub fn master_link(&self) -> MasterLink {
        self.lock_master().clone()
    }

    /// Whether the slave is connected to its master and has heard from it within `within`.
    pub fn master_online(&self, within: Duration) -> bool {
        let link = self.lock_master();
        link.state == HaConnectionState::Transfer
            && crate::calendar::now_millis() - link.last_read_ms <= within.as_millis() as i64
    }

    pub(crate) fn update_master(&self, f: impl FnOnce(&mut MasterLink)) {
        f(&mut self.lock_master());
    }

    fn lock_master(&self) -> std::sync::MutexGuard<'_, MasterLink> {
        lock(&self.master)
    }
}

fn max_ack(slaves: &BTreeMap<u64, SlaveLink>) -> u64 {
    slaves
        .values()
        .filter(|s| s.reported)
        .map(|s| s.ack_offset)
        .max()
        .unwrap_or(0)
}
