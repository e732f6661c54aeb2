//! The bundled name server (`rmqctl namesrv`): route table, broker liveness, KV config and the
//! request processor that serves them.

pub mod acl_gate;
pub mod config;
pub mod kv_config;
pub mod processor;
pub mod route_table;

use crate::remoting::server::{RemotingServer, ServerConfig};
use config::NamesrvConfig;
use kv_config::KvConfigStore;
use processor::NamesrvProcessor;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Why the name server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}; is another name server running there? choose another port with --listen or listenPort")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    KvConfig(#[from] kv_config::KvConfigError),
    #[error(transparent)]
    Tls(#[from] crate::remoting::tls::server_config::TlsSetupError),
}

/// A running name server.
pub struct NameServer {
    pub local_addr: SocketAddr,
    pub processor: Arc<NamesrvProcessor>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl NameServer {
    /// Bind, then serve and scan for dead brokers in the background.
    pub async fn start(config: NamesrvConfig) -> Result<Self, StartError> {
        Self::start_with_acl(config, None).await
    }

    /// [`NameServer::start`] checking the requests that change it against `acl`.
    pub async fn start_with_acl(
        config: NamesrvConfig,
        acl: Option<Arc<crate::acl::AccessValidator>>,
    ) -> Result<Self, StartError> {
        let kv = KvConfigStore::open(&config.kv_config_path)?;
        let mut server_config = ServerConfig::new(config.listen_addr());
        server_config.idle_timeout = config.server_channel_max_idle;
        server_config.tls = crate::remoting::tls::gate_for(&config.tls)?;
        server_config.connection_limits = config.connection_limits;
        server_config.port_name = "name server port";
        let processor = NamesrvProcessor::new(config.clone(), kv, acl.clone());
        let server = RemotingServer::bind(server_config, processor.clone())
            .await
            .map_err(|source| StartError::Bind {
                addr: config.listen_addr(),
                source,
            })?;
        let local_addr = server.local_addr().unwrap_or(config.listen_addr());
        let (shutdown, rx) = watch::channel(false);
        let serve = tokio::spawn(server.run(rx.clone()));
        let mut tasks = vec![serve];
        if let Some(acl) = acl {
            tasks.push(tokio::spawn(acl.watch(rx.clone())));
        }
        tasks.push(tokio::spawn(scan_loop(processor.clone(), rx)));
        Ok(NameServer {
            local_addr,
            processor,
            shutdown,
            tasks,
        })
    }

    /// Stop accepting, close connections and stop the scanner.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

async fn scan_loop(processor: Arc<NamesrvProcessor>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(processor.scan_interval()) => { processor.expire_brokers(); }
            _ = shutdown.changed() => return,
        }
    }
}
