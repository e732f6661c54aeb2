//! `Broker`: starts a bundled broker from its config (identity, ports, store, metadata,
//! servers and background services) and stops it cleanly.

use super::clients::ClientRegistry;
use super::config::{BrokerConfig, LoadedBrokerConfig};
use super::context::{BrokerContext, BrokerIdentity};
use super::ha::{HaConfig, HaMasterService, HaSlaveClient, HaStatus};
use super::long_poll::ArrivalWaiters;
use super::metadata::groups::SubscriptionGroupManager;
use super::metadata::json_file::MetadataError;
use super::metadata::offsets::ConsumerOffsetManager;
use super::metadata::topics::{SystemTopics, TopicConfigManager};
use super::mq_locks::QueueLocks;
use super::processor::BrokerProcessor;
use super::stats::BrokerStats;
use super::store::{
    parse_delete_when, FlushMode, MessageStore, ReplicationRole, StoreConfig, StoreError,
};
use super::{registration, schedule, slave_sync, transaction};
use crate::apache_config::values::{BrokerRole, FlushDiskType};
use crate::broker::tls_setup::{broker_tls, BrokerTls};
use crate::protocol::topic::DataVersion;
use crate::remoting::client::{local_ip_towards, ClientConfig, RemotingClient};
use crate::remoting::server::{RemotingServer, ServerConfig};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// Why the broker could not start; each names what to change.
#[derive(Debug, thiserror::Error)]
pub enum BrokerStartError {
    #[error("{0}")]
    Config(String),
    #[error("cannot listen on {addr} ({what}): {source}; another broker or program uses it. Each broker needs listenPort-2, listenPort and listenPort+1 free; choose another listenPort")]
    Port {
        addr: SocketAddr,
        what: &'static str,
        source: std::io::Error,
    },
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot load broker metadata: {0}")]
    Metadata(#[from] MetadataError),
}

/// A running broker.
pub struct Broker {
    pub ctx: Arc<BrokerContext>,
    /// The main remoting address actually bound.
    pub listen_addr: SocketAddr,
    /// The HA listener, bound at start; the replication service takes it.
    pub ha_listener: Option<TcpListener>,
    shutdown: watch::Sender<bool>,
    /// The remoting servers (listenPort and the fast port): they return once their connections
    /// ran every request they had received.
    servers: Vec<JoinHandle<()>>,
    /// Background services, stopped after the servers.
    tasks: Vec<JoinHandle<()>>,
    /// TLS of the listeners, the HA port and outbound connections.
    tls: BrokerTls,
}

impl Broker {
    /// Start everything; returns once all ports are bound and the store is open.
    pub async fn start(loaded: LoadedBrokerConfig) -> Result<Broker, BrokerStartError> {
        Self::start_signed(loaded, None).await
    }

    /// [`Broker::start`], signing the broker's own requests (registration, slave to master)
    /// with an ACL account.
    pub async fn start_signed(
        loaded: LoadedBrokerConfig,
        credentials: Option<crate::acl::Credentials>,
    ) -> Result<Broker, BrokerStartError> {
        let config_file = loaded.path.clone();
        let mut config = loaded.config;
        if config.namesrv_addr.is_none() {
            config.namesrv_addr = std::env::var("NAMESRV_ADDR").ok().filter(|s| !s.is_empty());
        }
        let tls = broker_tls(&config)?;
        let identity = identity(&mut config)?;
        let bind_ip: IpAddr = config.bind_address.parse().map_err(|_| {
            BrokerStartError::Config(format!(
                "bindAddress `{}` is not an IP address",
                config.bind_address
            ))
        })?;
        let listeners = bind_ports(bind_ip, &config)?;
        let store = MessageStore::open(store_config(&config, identity.addr)?)?;
        log_recovery(&store);
        let ctx = Arc::new(context(
            config,
            config_file,
            identity,
            store,
            &tls,
            credentials,
        )?);
        schedule::load_offsets(&ctx);
        transaction::recovery::recover(&ctx).await;
        for key in &loaded.not_acted_on {
            tracing::info!(key = %key, "config key accepted but not acted on by the bundled broker");
        }
        let (shutdown, rx) = watch::channel(false);
        let mut broker = Broker {
            listen_addr: listeners.main.local_addr().unwrap_or(ctx.identity.addr),
            ha_listener: Some(listeners.ha),
            ctx: ctx.clone(),
            shutdown,
            servers: Vec::new(),
            tasks: Vec::new(),
            tls: tls.clone(),
        };
        broker
            .serve(listeners.main, false, &tls, rx.clone())
            .await?;
        broker.serve(listeners.fast, true, &tls, rx.clone()).await?;
        broker.spawn_services(rx);
        tracing::info!(broker = %ctx.identity.broker_name, id = ctx.identity.broker_id,
            role = ctx.identity.role.as_str(), addr = %ctx.identity.addr, "broker started");
        Ok(broker)
    }

    async fn serve(
        &mut self,
        listener: TcpListener,
        fast: bool,
        tls: &BrokerTls,
        rx: watch::Receiver<bool>,
    ) -> Result<(), BrokerStartError> {
        let addr = listener.local_addr().unwrap_or(self.listen_addr);
        let mut server_config = ServerConfig::new(addr);
        server_config.tls = tls.gate.clone();
        server_config.connection_limits = self.ctx.config().connection_limits();
        server_config.port_name = if fast { "fast port" } else { "listenPort" };
        server_config.idle_timeout =
            Duration::from_secs(self.ctx.config().server_channel_max_idle_time_seconds as u64);
        let processor = BrokerProcessor::new(self.ctx.clone(), fast);
        let server =
            RemotingServer::from_std(listener, server_config, processor).map_err(|source| {
                BrokerStartError::Port {
                    addr,
                    what: if fast { "fast port" } else { "listenPort" },
                    source,
                }
            })?;
        self.servers.push(tokio::spawn(server.run(rx)));
        Ok(())
    }

    fn spawn_services(&mut self, rx: watch::Receiver<bool>) {
        let ctx = self.ctx.clone();
        let arrivals = ctx.arrivals.clone();
        self.tasks
            .push(tokio::spawn(arrivals.run(ctx.store.clone())));
        self.tasks
            .push(tokio::spawn(registration::run(ctx.clone(), rx.clone())));
        self.tasks
            .push(tokio::spawn(schedule::run(ctx.clone(), rx.clone())));
        self.tasks.push(tokio::spawn(transaction::check::run(
            ctx.clone(),
            rx.clone(),
        )));
        if let Some(acl) = ctx.acl.clone() {
            self.tasks.push(tokio::spawn(acl.watch(rx.clone())));
        }
        self.tasks.push(tokio::spawn(housekeeping(ctx, rx.clone())));
        self.spawn_replication(rx);
    }

    /// Masters serve slaves on the HA port; slaves replicate from their master and copy its
    /// metadata (SlaveSynchronize).
    fn spawn_replication(&mut self, rx: watch::Receiver<bool>) {
        let ctx = self.ctx.clone();
        let mut config = HaConfig::from_broker(&ctx.config());
        config.tls_gate = self.tls.gate.clone();
        config.tls_connect = self.tls.outbound.clone();
        if ctx.identity.is_slave() {
            let addr_ctx = ctx.clone();
            let master = Arc::new(move || addr_ctx.master_ha_addr());
            let client = HaSlaveClient::new(ctx.store.clone(), config, ctx.ha.clone(), master);
            self.tasks.push(tokio::spawn(client.run(rx.clone())));
            self.tasks.push(tokio::spawn(slave_sync::run(ctx, rx)));
            return;
        }
        let Some(listener) = self.ha_listener.take() else {
            return;
        };
        match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => {
                let service = HaMasterService::new(ctx.store.clone(), config, ctx.ha.clone());
                self.tasks.push(tokio::spawn(service.run(listener, rx)));
            }
            Err(e) => tracing::error!(addr = %ctx.identity.ha_addr, error = %e,
                "cannot serve the HA port; slaves will not replicate"),
        }
    }

    /// The address a slave connects to for replication.
    pub fn ha_addr(&self) -> SocketAddr {
        self.ctx.identity.ha_addr
    }

    /// Stop accepting, unregister from name servers, let every connection run the requests it
    /// had received (a consumer's last UPDATE_CONSUMER_OFFSET, oneway or not), then stop the
    /// services, persist the consumer offsets and close the store: as Apache's shutdown does,
    /// the offsets saved are those after the last request the broker accepted.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        registration::unregister_all(&self.ctx).await;
        for server in self.servers.drain(..) {
            let _ = server.await;
        }
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
        if !self.ctx.identity.is_slave() {
            self.ctx.transactions.save_progress(&self.ctx);
        }
        if let Err(e) = self.ctx.offsets.persist_if_dirty() {
            tracing::warn!(error = %e, "consumer offsets not saved");
        }
        self.ctx.store.shutdown().await;
        tracing::info!("broker stopped");
    }
}

struct Listeners {
    main: TcpListener,
    fast: TcpListener,
    ha: TcpListener,
}

fn bind_ports(ip: IpAddr, config: &BrokerConfig) -> Result<Listeners, BrokerStartError> {
    let bind = |port: u16, what: &'static str| {
        let addr = SocketAddr::new(ip, port);
        TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|_| l))
            .map_err(|source| BrokerStartError::Port { addr, what, source })
    };
    if config.listen_port < 3 {
        return Err(BrokerStartError::Config(format!(
            "listenPort {} leaves no room for the fast port listenPort-2",
            config.listen_port
        )));
    }
    Ok(Listeners {
        main: bind(config.listen_port, "listenPort")?,
        fast: bind(config.fast_port(), "fast port listenPort-2")?,
        ha: bind(config.ha_port(), "HA port")?,
    })
}

/// Work out who this broker is; enforce Apache's id rules.
fn identity(config: &mut BrokerConfig) -> Result<BrokerIdentity, BrokerStartError> {
    match config.broker_role {
        BrokerRole::Slave if config.broker_id <= 0 => {
            return Err(BrokerStartError::Config(format!(
                "brokerRole=SLAVE needs brokerId > 0 (found {}); give each slave of {} its own id 1, 2, ...",
                config.broker_id, config.broker_name
            )))
        }
        BrokerRole::AsyncMaster | BrokerRole::SyncMaster if config.broker_id != 0 => {
            tracing::warn!(id = config.broker_id, "a master always has brokerId 0; using 0");
            config.broker_id = 0;
        }
        _ => {}
    }
    let ip1 =
        parse_ip(config.broker_ip1.as_deref(), "brokerIP1")?.unwrap_or_else(|| detect_ip(config));
    let ip2 = parse_ip(config.broker_ip2.as_deref(), "brokerIP2")?.unwrap_or(ip1);
    Ok(BrokerIdentity {
        cluster: config.broker_cluster_name.clone(),
        broker_name: config.broker_name.clone(),
        broker_id: config.broker_id,
        role: config.broker_role,
        addr: SocketAddr::new(ip1, config.listen_port),
        ha_addr: SocketAddr::new(ip2, config.ha_port()),
    })
}

/// The address of `brokerIP1`/`brokerIP2`: an IP as it is, a host name resolved once at start as
/// Java's `InetSocketAddress` does for Apache's broker (the first IPv4 address, else the first
/// one). Message ids and the store record hold the address itself, so the broker registers the
/// resolved address, where Apache registers the name.
fn parse_ip(value: Option<&str>, key: &str) -> Result<Option<IpAddr>, BrokerStartError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(ip) = v.parse() {
        return Ok(Some(ip));
    }
    let not_found = |why: String| {
        BrokerStartError::Config(format!(
            "{key} `{v}` is neither an IP address nor a host name that resolves ({why}): set it to the address clients and slaves reach this broker at"
        ))
    };
    use std::net::ToSocketAddrs;
    let found: Vec<IpAddr> = (v, 0)
        .to_socket_addrs()
        .map_err(|e| not_found(e.to_string()))?
        .map(|a| a.ip())
        .collect();
    let ip = found
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(found.first())
        .copied()
        .ok_or_else(|| not_found("no address".into()))?;
    tracing::info!(key, host = v, %ip, "broker address resolved from a host name");
    Ok(Some(ip))
}

/// The local address used to reach the first name server, else loopback.
fn detect_ip(config: &BrokerConfig) -> IpAddr {
    let first = config
        .namesrv_addr
        .as_deref()
        .and_then(|a| a.split(';').next())
        .map(str::trim)
        .filter(|a| !a.is_empty());
    first.map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), local_ip_towards)
}

/// Logs what store recovery found, as fields (each corruption was logged where it was found).
fn log_recovery(store: &MessageStore) {
    let report = store.recovery_report();
    let index = store.index_recovery();
    tracing::info!(
        abnormal_shutdown = report.abnormal_shutdown,
        records = report.records,
        corruptions = report.corruptions.len(),
        truncated_at = report.truncated_at,
        max_phys_offset = report.max_phys_offset,
        last_store_timestamp = report.last_store_timestamp,
        index_reindexed_from = index.reindexed_from,
        index_records = index.records,
        index_problems = index.problems.len(),
        "store opened"
    );
}

fn store_config(
    config: &BrokerConfig,
    store_host: SocketAddr,
) -> Result<StoreConfig, BrokerStartError> {
    let mut c = StoreConfig::new(config.store_root(), store_host);
    c.commit_log_dir = config.commit_log_dir();
    c.commit_log_file_size = config.mapped_file_size_commit_log as u64;
    c.consume_queue_file_size = config.mapped_file_size_consume_queue as u64;
    c.flush_mode = match config.flush_disk_type {
        FlushDiskType::SyncFlush => FlushMode::Sync,
        FlushDiskType::AsyncFlush => FlushMode::Async,
    };
    c.flush_interval_ms = config.flush_interval_commit_log as u64;
    c.flush_least_pages = config.flush_commit_log_least_pages;
    c.flush_thorough_interval_ms = config.flush_commit_log_thorough_interval as u64;
    c.sync_flush_timeout_ms = config.sync_flush_timeout;
    c.flush_consume_queue_interval_ms = config.flush_interval_consume_queue as u64;
    c.replication = match config.broker_role {
        BrokerRole::AsyncMaster => ReplicationRole::AsyncMaster,
        BrokerRole::SyncMaster => ReplicationRole::SyncMaster,
        BrokerRole::Slave => ReplicationRole::Slave,
    };
    c.slave_timeout_ms = config.slave_timeout;
    c.ha_max_gap_not_in_sync = config.ha_max_gap_not_in_sync;
    c.max_message_size = config.max_message_size as usize;
    c.delete_when = parse_delete_when(&config.delete_when)
        .map_err(|e| BrokerStartError::Config(format!("deleteWhen: {e}")))?;
    c.file_reserved_hours = config.file_reserved_time as u64;
    c.disk_max_used_space_ratio = config.disk_max_used_space_ratio.min(100) as u8;
    c.max_hash_slot_num = config.max_hash_slot_num;
    c.max_index_num = config.max_index_num;
    c.validate().map_err(BrokerStartError::Config)?;
    Ok(c)
}

fn context(
    config: BrokerConfig,
    config_file: std::path::PathBuf,
    identity: BrokerIdentity,
    store: MessageStore,
    tls: &BrokerTls,
    credentials: Option<crate::acl::Credentials>,
) -> Result<BrokerContext, BrokerStartError> {
    let root = config.store_root().to_path_buf();
    let system = SystemTopics {
        cluster_name: identity.cluster.clone(),
        broker_name: identity.broker_name.clone(),
        auto_create_topic_enable: config.auto_create_topic_enable,
        default_topic_queue_nums: config.default_topic_queue_nums as i32,
    };
    let master_ha = config.ha_master_address.clone();
    let acl = super::acl_gate::load(&config, &config_file).map_err(BrokerStartError::Config)?;
    Ok(BrokerContext {
        topics: TopicConfigManager::open(&root, &system)?,
        offsets: ConsumerOffsetManager::open(&root)?,
        groups: SubscriptionGroupManager::open(&root, config.auto_create_subscription_group)?,
        clients: ClientRegistry::default(),
        arrivals: Arc::new(ArrivalWaiters::default()),
        stats: BrokerStats::default(),
        register_now: Notify::new(),
        master_addr: RwLock::new(None),
        master_ha_addr: RwLock::new(master_ha),
        client: {
            let client = RemotingClient::new(ClientConfig {
                tls: tls.outbound.clone(),
                ..ClientConfig::default()
            });
            match credentials {
                Some(c) => client.with_hook(Arc::new(c)),
                None => client,
            }
        },
        locks: QueueLocks::default(),
        config_version: Mutex::new(DataVersion::now()),
        delay_offsets: Mutex::new(BTreeMap::new()),
        ha: Arc::new(HaStatus::default()),
        transactions: Default::default(),
        acl,
        identity,
        config: RwLock::new(config),
        config_file,
        store,
    })
}

/// Periodic work: stats samples (1 s), offset persistence (5 s), client expiry (10 s).
async fn housekeeping(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    let mut tick = 0u64;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
        tick += 1;
        ctx.stats.sample();
        if tick % 5 == 0 {
            if let Err(e) = ctx.offsets.persist_if_dirty() {
                tracing::warn!(error = %e, "consumer offsets not saved");
            }
        }
        if tick % 10 == 0 {
            for group in ctx.clients.expire(Instant::now(), Duration::from_secs(120)) {
                tracing::info!(%group, "consumer expired: no heartbeat for 120 s");
                ctx.clients.notify_consumers_changed(&group);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_ips_take_addresses_and_resolve_host_names() {
        assert_eq!(
            parse_ip(Some(" 10.1.2.3 "), "brokerIP1").unwrap(),
            Some("10.1.2.3".parse().unwrap())
        );
        assert_eq!(parse_ip(Some(""), "brokerIP1").unwrap(), None);
        // /etc/hosts names localhost on every Debian machine; IPv4 is preferred as in Java.
        assert_eq!(
            parse_ip(Some("localhost"), "brokerIP2").unwrap(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        let error = parse_ip(Some("no-such-broker.invalid"), "brokerIP1")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("brokerIP1 `no-such-broker.invalid` is neither an IP address nor a host name that resolves"),
            "{error}"
        );
    }
}
