//! `rmqctl broker -c broker-a.properties`: run the bundled broker until SIGTERM or Ctrl-C.

use super::InputError;
use crate::broker::config::BrokerConfig;
use crate::broker::runtime::Broker;
use crate::remoting::server::Termination;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BrokerArgs {
    /// Apache-format broker properties (the files `rmqctl render` writes).
    #[arg(short = 'c', long = "config", value_name = "FILE", required = true)]
    pub config: Option<PathBuf>,
    /// Name servers, `host:port;host:port`; overrides namesrvAddr from the file.
    #[arg(short = 'n', long = "namesrv", value_name = "ADDRS")]
    pub namesrv: Option<String>,
    /// The ACL account this broker signs its own requests with (registration, slave to
    /// master). Without a secret ($RMQCTL_SECRET_KEY), the account's secretKey is taken from
    /// this broker's plain_acl.yml.
    #[command(flatten)]
    pub credentials: super::credential_args::CredentialArgs,
    /// Admin subcommands (`status`, `config`) instead of running a broker.
    #[command(subcommand)]
    pub admin: Option<super::broker_admin_cmd::BrokerAdminCommand>,
}

pub fn run(args: BrokerArgs) -> anyhow::Result<i32> {
    if let Some(admin) = &args.admin {
        return super::broker_admin_cmd::run(admin);
    }
    let Some(config) = &args.config else {
        return Err(InputError(
            "pass -c FILE to run a broker, or a subcommand (status, config)".into(),
        )
        .into());
    };
    super::init_logging("info");
    let mut loaded = BrokerConfig::load(config).map_err(|e| InputError(e.to_string()))?;
    if let Some(n) = args.namesrv {
        loaded.config.namesrv_addr = Some(n);
    }
    let credentials = crate::broker::acl_gate::own_credentials(
        &loaded.config,
        &loaded.path,
        args.credentials.access_key.as_deref(),
        args.credentials.secret_key.clone(),
    )
    .map_err(InputError)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let served = runtime.block_on(async {
        let termination = Termination::listen();
        let broker = Broker::start_signed(loaded, credentials)
            .await
            .map_err(|e| InputError(e.to_string()))?;
        tracing::info!(addr = %broker.listen_addr, "broker listening");
        termination.received().await;
        tracing::info!("shutting down");
        broker.stop().await;
        Ok::<_, anyhow::Error>(())
    });
    runtime.shutdown_timeout(super::RUNTIME_SHUTDOWN_LIMIT);
    served?;
    Ok(super::exit::OK)
}
