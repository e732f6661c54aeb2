//! `rmqctl namesrv`: run the bundled name server until SIGTERM or Ctrl-C.

use super::InputError;
use crate::namesrv::config::NamesrvConfig;
use crate::namesrv::NameServer;
use crate::remoting::server::Termination;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct NamesrvArgs {
    /// Apache-format namesrv.properties (listenPort, kvConfigPath, scanNotActiveBrokerInterval...).
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on; overrides bindAddress/listenPort from the file.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Directory for kvConfig.json and the persisted config (default ~/namesrv).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

pub fn run(args: NamesrvArgs) -> anyhow::Result<i32> {
    super::init_logging("info");
    let config = load_config(&args)?;
    let acl =
        crate::namesrv::acl_gate::load(&config, args.config.as_deref()).map_err(InputError)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let served = runtime.block_on(serve(config, acl));
    runtime.shutdown_timeout(super::RUNTIME_SHUTDOWN_LIMIT);
    served?;
    Ok(super::exit::OK)
}

fn load_config(args: &NamesrvArgs) -> anyhow::Result<NamesrvConfig> {
    let mut config = match &args.config {
        Some(path) => NamesrvConfig::load(path).map_err(|e| InputError(e.to_string()))?,
        None => NamesrvConfig::default(),
    };
    if let Some(dir) = &args.data_dir {
        config.kv_config_path = dir.join("kvConfig.json");
        config.config_store_path = dir.join("namesrv.properties");
    }
    if let Some(listen) = args.listen {
        config.bind_address = listen.ip();
        config.listen_port = listen.port();
    }
    Ok(config)
}

async fn serve(
    config: NamesrvConfig,
    acl: Option<std::sync::Arc<crate::acl::AccessValidator>>,
) -> anyhow::Result<()> {
    let termination = Termination::listen();
    let server = NameServer::start_with_acl(config, acl)
        .await
        .map_err(|e| InputError(e.to_string()))?;
    tracing::info!(addr = %server.local_addr, "name server listening");
    termination.received().await;
    tracing::info!("shutting down");
    server.stop().await;
    Ok(())
}
