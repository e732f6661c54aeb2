//! `BrokerContext`: everything a running broker shares between its request processors and
//! background services: identity, config, store, metadata, clients and wake-ups.

use super::clients::ClientRegistry;
use super::config::BrokerConfig;
use super::ha::HaStatus;
use super::long_poll::ArrivalWaiters;
use super::metadata::groups::SubscriptionGroupManager;
use super::metadata::offsets::ConsumerOffsetManager;
use super::metadata::topics::TopicConfigManager;
use super::mq_locks::QueueLocks;
use super::stats::BrokerStats;
use super::store::MessageStore;
use super::transaction::TransactionService;
use crate::apache_config::values::BrokerRole;
use crate::locks::read_lock;
use crate::protocol::topic::DataVersion;
use crate::remoting::client::RemotingClient;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Mutex, RwLock};
use tokio::sync::Notify;

/// Who this broker is, fixed at start.
#[derive(Debug, Clone)]
pub struct BrokerIdentity {
    pub cluster: String,
    pub broker_name: String,
    pub broker_id: i64,
    pub role: BrokerRole,
    /// brokerIP1:listenPort, registered with name servers and encoded in message ids.
    pub addr: SocketAddr,
    /// brokerIP2:haPort, where slaves connect.
    pub ha_addr: SocketAddr,
}

impl BrokerIdentity {
    pub fn is_slave(&self) -> bool {
        self.role == BrokerRole::Slave
    }
}

/// Shared state of one broker process.
pub struct BrokerContext {
    pub identity: BrokerIdentity,
    pub config: RwLock<BrokerConfig>,
    /// The file the config was read from (`-c`); UPDATE_BROKER_CONFIG writes changes back.
    pub config_file: std::path::PathBuf,
    pub store: MessageStore,
    pub topics: TopicConfigManager,
    pub offsets: ConsumerOffsetManager,
    pub groups: SubscriptionGroupManager,
    pub clients: ClientRegistry,
    pub arrivals: std::sync::Arc<ArrivalWaiters>,
    pub stats: BrokerStats,
    /// Wakes the registrar to register with every name server now (topic or perm change).
    pub register_now: Notify,
    /// The master's remoting address, learnt from name servers (slaves only).
    pub master_addr: RwLock<Option<String>>,
    /// The master's HA address, from config or name servers (slaves only).
    pub master_ha_addr: RwLock<Option<String>>,
    /// Client for broker -> name server and broker -> broker calls.
    pub client: RemotingClient,
    /// Ordered consumers' queue locks.
    pub locks: QueueLocks,
    /// Version of the runtime config (GET_BROKER_CONFIG).
    pub config_version: Mutex<DataVersion>,
    /// Delay level -> next SCHEDULE_TOPIC_XXXX offset to deliver (the schedule service).
    pub delay_offsets: Mutex<BTreeMap<i32, i64>>,
    /// Replication state: connected slaves (master) or the master link (slave).
    pub ha: std::sync::Arc<HaStatus>,
    /// Unresolved transactions (half messages) and the check-back progress.
    pub transactions: TransactionService,
    /// The ACL in force (`aclEnable=true`), checked before any processor runs.
    pub acl: Option<std::sync::Arc<crate::acl::AccessValidator>>,
}

impl BrokerContext {
    /// A copy of the config as it is now.
    pub fn config(&self) -> BrokerConfig {
        read_lock(&self.config).clone()
    }

    /// `brokerPermission` now in force.
    pub fn permission(&self) -> i32 {
        read_lock(&self.config).broker_permission as i32
    }

    /// Name-server addresses from `namesrvAddr` (`;`-separated).
    pub fn namesrv_addrs(&self) -> Vec<String> {
        self.config()
            .namesrv_addr
            .unwrap_or_default()
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The master's HA address: `haMasterAddress` or the one the name server reported.
    pub fn master_ha_addr(&self) -> Option<String> {
        read_lock(&self.master_ha_addr).clone()
    }

    pub fn master_addr(&self) -> Option<String> {
        read_lock(&self.master_addr).clone()
    }
}
