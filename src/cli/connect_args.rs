//! Flags shared by every admin command: where the name servers are (`-n`, `NAMESRV_ADDR`,
//! `-i INVENTORY`, which also brings its `[tls]` and `[acl]` settings), the per-request timeout
//! and the output format; plus the glue that runs an admin future and maps its errors to exit
//! codes.

use super::InputError;
use crate::admin::namesrv_set::NamesrvSet;
use crate::admin::{Admin, AdminError};
use crate::output::OutputFormat;
use crate::remoting::request_hook::RequestHook;
use crate::render::inventory::LoadedInventory;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable naming the name servers (as Apache's tools read it).
pub const NAMESRV_ADDR_ENV: &str = "NAMESRV_ADDR";

/// Connection and output flags of the admin commands.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// Name servers, `host:port;host:port`. Default: $NAMESRV_ADDR, then -i.
    #[arg(
        short = 'n',
        long = "namesrv",
        value_name = "ADDRS",
        conflicts_with = "inventory"
    )]
    pub namesrv: Option<String>,
    /// Inventory (TOML) to take the name servers from (used when -n is not given; wins over $NAMESRV_ADDR).
    #[arg(short = 'i', long = "inventory", value_name = "INVENTORY")]
    pub inventory: Option<PathBuf>,
    /// Per-request timeout: `3s`, `500ms` or a number of seconds.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    #[command(flatten)]
    pub tls: super::tls_args::TlsArgs,
    /// The ACL account requests are signed with.
    #[command(flatten)]
    pub credentials: super::credential_args::CredentialArgs,
}

/// `3s`, `250ms`, `1.5` (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(s) = text.strip_suffix('s') {
        (s, 1.0)
    } else {
        (text, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v * scale <= 3600.0 => {
            Ok(Duration::from_secs_f64(v * scale))
        }
        _ => Err(format!("{text:?} is not a duration like 3s or 500ms")),
    }
}

impl ConnectArgs {
    /// An admin session for these flags. `-i INVENTORY` is read once, for the name servers,
    /// and for TLS and the account when no flag gives them.
    pub fn admin(&self) -> anyhow::Result<Admin> {
        let inventory = self.inventory.as_deref().map(load_inventory).transpose()?;
        let tls = match (self.tls.connector()?, &inventory) {
            (Some(tls), _) => Some(tls),
            (None, Some(loaded)) => inventory_tls(loaded)?,
            (None, None) => None,
        };
        let mut admin = Admin::with_tls(self.namesrv_set(inventory.as_ref())?, self.timeout, tls);
        let hook = match (self.credentials.hook()?, &inventory) {
            (Some(hook), _) => Some(hook),
            (None, Some(loaded)) => inventory_credentials(loaded)
                .map(|c| std::sync::Arc::new(c) as std::sync::Arc<dyn RequestHook>),
            (None, None) => None,
        };
        if let Some(hook) = hook {
            admin.client = admin.client.with_hook(hook);
        }
        Ok(admin)
    }

    /// The name-server addresses: -n, else the inventory of -i, else $NAMESRV_ADDR.
    fn namesrv_set(&self, inventory: Option<&LoadedInventory>) -> anyhow::Result<NamesrvSet> {
        let text = if let Some(n) = &self.namesrv {
            n.clone()
        } else if let Some(loaded) = inventory {
            namesrvs_of_inventory(loaded)?
        } else if let Ok(env) = std::env::var(NAMESRV_ADDR_ENV) {
            env
        } else {
            return Err(admin_error(AdminError::NoNamesrv));
        };
        NamesrvSet::parse(&text).map_err(admin_error)
    }
}

fn load_inventory(path: &Path) -> anyhow::Result<LoadedInventory> {
    LoadedInventory::load(path).map_err(|e| InputError(e.to_string()).into())
}

/// TLS as the inventory's `[tls]` says (its CA, rmqctl's client certificate), if it has one
/// and no --tls flag was given.
fn inventory_tls(
    loaded: &LoadedInventory,
) -> anyhow::Result<Option<crate::remoting::tls::TlsConnect>> {
    let options = crate::render::tls::client_options_of(loaded).map_err(InputError)?;
    options
        .map(|o| o.connector())
        .transpose()
        .map_err(|e| InputError(format!("{}: [tls]: {e}", loaded.path.display())).into())
}

/// The account of the inventory's `[acl]` that rmqctl signs with, if any.
fn inventory_credentials(loaded: &LoadedInventory) -> Option<crate::acl::Credentials> {
    loaded
        .inventory
        .acl
        .as_ref()
        .and_then(|acl| acl.admin_credentials())
}

fn namesrvs_of_inventory(loaded: &LoadedInventory) -> anyhow::Result<String> {
    let plan = crate::render::derive::derive(loaded).map_err(|e| InputError(e.to_string()))?;
    Ok(plan.namesrv_addr)
}

/// Turn an admin failure into the CLI error: input mistakes exit 2, the rest 1.
pub fn admin_error(e: AdminError) -> anyhow::Error {
    if e.is_input() {
        anyhow::Error::new(InputError(e.to_string()))
    } else {
        anyhow::Error::new(e)
    }
}

/// Run an admin future on a single-threaded runtime (fast start, no worker threads).
pub fn block_on<F: std::future::Future>(future: F) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(runtime.block_on(future))
}

/// Run an admin operation and map its error.
pub fn run_admin<T, F>(future: F) -> anyhow::Result<T>
where
    F: std::future::Future<Output = Result<T, AdminError>>,
{
    block_on(future)?.map_err(admin_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
