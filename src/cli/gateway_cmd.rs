//! `rmqctl gateway`: run the HTTP send service (gateway.toml, flags that override it) until
//! SIGTERM or Ctrl-C.

use super::connect_args::NAMESRV_ADDR_ENV;
use super::InputError;
use crate::admin::namesrv_set::NamesrvSet;
use crate::admin::Admin;
use crate::gateway::config::GatewayConfig;
use crate::gateway::delivery::{self, DeliveryEvents};
use crate::gateway::service::{self, BackgroundStart, GatewayError, ServiceContext};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Timeout of the gateway's admin requests (route look-ups, topic creation, health checks).
const ADMIN_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    /// gateway.toml: topic, allow_callbacks, tokens, max_body_bytes, [tls], [account],
    /// [cluster_tls], [delivery], [[subscription]] (all optional).
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address the HTTP listener binds, `host:port` (overrides `listen`; default 0.0.0.0:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Name servers, `host:port;host:port` (overrides `namesrv`; else $NAMESRV_ADDR).
    #[arg(short = 'n', long = "namesrv", value_name = "ADDRS")]
    pub namesrv: Option<String>,
    /// TLS towards the cluster (overrides gateway.toml's `[cluster_tls]`; the listener's own TLS
    /// is `[tls]` in gateway.toml).
    #[command(flatten)]
    pub tls: super::tls_args::TlsArgs,
    /// The ACL account the gateway's requests to the cluster are signed with.
    #[command(flatten)]
    pub credentials: super::credential_args::CredentialArgs,
}

pub fn run(args: GatewayArgs) -> anyhow::Result<i32> {
    super::init_logging("info");
    let config = load_config(&args)?;
    let admin = admin(&args, &config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // Mistakes in the delivery part of gateway.toml stop the start (exit 2) before anything
    // listens; delivery itself (backurls and [[subscription]] pushes) is background work of the
    // service, on the gateway's own cluster session (its TLS and ACL account).
    crate::gateway::delivery::check_delivery_config(&config)
        .map_err(|e| InputError(format!("gateway.toml: {e}")))?;
    let background: Vec<BackgroundStart> = vec![Box::new(start_delivery)];
    let served = runtime.block_on(service::run(config, admin, background));
    runtime.shutdown_timeout(super::RUNTIME_SHUTDOWN_LIMIT);
    match served {
        Ok(()) => Ok(super::exit::OK),
        Err(e @ GatewayError::Config(_)) => Err(InputError(e.to_string()).into()),
        Err(GatewayError::Listen(e)) => Err(InputError(e.to_string()).into()),
    }
}

/// Start callback delivery with the service's session, metrics and shutdown token.
fn start_delivery(context: &ServiceContext) -> tokio::task::JoinHandle<()> {
    let events = context.metrics.clone() as std::sync::Arc<dyn DeliveryEvents>;
    match delivery::start_delivery(
        &context.config,
        context.admin.clone(),
        events,
        context.shutdown.clone(),
    ) {
        Ok(task) => task,
        Err(e) => {
            // check_delivery_config passed before the start, so only the HTTP client's set-up
            // can fail here: the gateway still sends; deliveries wait for a restart.
            tracing::error!(error = %e, "callback delivery did not start");
            tokio::spawn(async {})
        }
    }
}

/// gateway.toml (defaults without `-c`), with the flags applied.
fn load_config(args: &GatewayArgs) -> anyhow::Result<GatewayConfig> {
    let mut config = match &args.config {
        Some(path) => read_config(path)?,
        None => GatewayConfig::default(),
    };
    if let Some(listen) = &args.listen {
        config.listen = listen.clone();
    }
    if let Some(namesrv) = &args.namesrv {
        config.namesrv = Some(namesrv.clone());
    }
    Ok(config)
}

fn read_config(path: &Path) -> anyhow::Result<GatewayConfig> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError(format!("{}: cannot read: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| InputError(format!("{}: {e}", path.display())).into())
}

/// TLS towards the cluster: the flags when any asks for TLS (they win, as `--access-key` does
/// over `[account]`), else `[cluster_tls]`, else plain TCP. Unusable files exit 2.
fn cluster_tls(
    args: &GatewayArgs,
    config: &GatewayConfig,
) -> anyhow::Result<Option<crate::remoting::tls::TlsConnect>> {
    if args.tls.wanted() {
        return args.tls.connector();
    }
    let Some(tls) = &config.cluster_tls else {
        return Ok(None);
    };
    let file = args
        .config
        .as_ref()
        .map_or_else(|| "gateway.toml".to_owned(), |p| p.display().to_string());
    tls.connector(super::tls_args::KEY_PASSWORD_ENV)
        .map(Some)
        .map_err(|e| InputError(format!("{file}: {e}")).into())
}

/// The cluster session: name servers from -n, gateway.toml, or $NAMESRV_ADDR; TLS from the
/// `--tls*` flags, else gateway.toml's `[cluster_tls]`; signed with the flags' account, else
/// gateway.toml's `[account]`.
fn admin(args: &GatewayArgs, config: &GatewayConfig) -> anyhow::Result<Admin> {
    let text = match (&config.namesrv, std::env::var(NAMESRV_ADDR_ENV)) {
        (Some(n), _) => n.clone(),
        (None, Ok(env)) => env,
        (None, Err(_)) => {
            return Err(InputError(
                "no name server address: pass -n \"host:port;host:port\", set `namesrv` in gateway.toml or $NAMESRV_ADDR".into(),
            )
            .into())
        }
    };
    let namesrvs = NamesrvSet::parse(&text).map_err(|e| InputError(e.to_string()))?;
    let mut admin = Admin::with_tls(namesrvs, ADMIN_TIMEOUT, cluster_tls(args, config)?);
    let hook = match args.credentials.hook()? {
        Some(hook) => Some(hook),
        None => config.account.as_ref().map(|a| {
            std::sync::Arc::new(crate::acl::Credentials::new(
                a.access_key.clone(),
                a.secret_key.clone(),
            )) as std::sync::Arc<dyn crate::remoting::request_hook::RequestHook>
        }),
    };
    if let Some(hook) = hook {
        admin.client = admin.client.with_hook(hook);
    }
    Ok(admin)
}
