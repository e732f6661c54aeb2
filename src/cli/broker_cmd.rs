//! `rmqctl broker -c broker-a.properties`: run the bundled broker until SIGTERM or Ctrl-C.

use super::InputError;
use crate::broker::config::BrokerConfig;
use crate::broker::runtime::Broker;
use crate::remoting::server::termination_signal;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BrokerArgs {
    /// Apache-format broker properties (the files `rmqctl render` writes).
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: PathBuf,
    /// Name servers, `host:port;host:port`; overrides namesrvAddr from the file.
    #[arg(short = 'n', long = "namesrv", value_name = "ADDRS")]
    pub namesrv: Option<String>,
}

pub fn run(args: BrokerArgs) -> anyhow::Result<i32> {
    super::init_logging("info");
    let mut loaded = BrokerConfig::load(&args.config).map_err(|e| InputError(e.to_string()))?;
    if let Some(n) = args.namesrv {
        loaded.config.namesrv_addr = Some(n);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let broker = Broker::start(loaded)
            .await
            .map_err(|e| InputError(e.to_string()))?;
        tracing::info!(addr = %broker.listen_addr, "broker listening");
        termination_signal().await;
        tracing::info!("shutting down");
        broker.stop().await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(super::exit::OK)
}
