//! `rmqctl broker status BROKER` and `rmqctl broker config get|set`: the admin subcommands of
//! `rmqctl broker` (which, with `-c FILE` and no subcommand, runs a broker).

use super::connect_args::{admin_error, run_admin, ConnectArgs};
use crate::admin::brokers::BrokerSelection;
use crate::admin::AdminError;
use crate::output::{self, ConfigSet};

/// Admin subcommands of `rmqctl broker`.
#[derive(Debug, clap::Subcommand)]
pub enum BrokerAdminCommand {
    /// Runtime key/values of a broker (GET_BROKER_RUNTIME_INFO).
    Status(BrokerStatusArgs),
    /// Read or change a broker's configuration.
    #[command(subcommand)]
    Config(BrokerConfigCommand),
}

#[derive(Debug, clap::Args)]
pub struct BrokerStatusArgs {
    /// Broker address (host:port) or broker name (its master).
    #[arg(value_name = "BROKER")]
    pub broker: String,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// `rmqctl broker config ...`
#[derive(Debug, clap::Subcommand)]
pub enum BrokerConfigCommand {
    /// Print a broker's configuration.
    Get(BrokerStatusArgs),
    /// Change one key at runtime; the broker also writes it into its config file (the bundled
    /// broker changes only that key's line, Apache's rewrites the whole file).
    Set(ConfigSetArgs),
}

#[derive(Debug, clap::Args)]
pub struct ConfigSetArgs {
    /// Broker address or name; or use -c for every master of a cluster.
    #[arg(
        short = 'b',
        long,
        value_name = "BROKER",
        required_unless_present = "cluster"
    )]
    pub broker: Option<String>,
    /// Every master of this cluster.
    #[arg(short = 'c', long, value_name = "CLUSTER", conflicts_with = "broker")]
    pub cluster: Option<String>,
    /// With -c: slaves too.
    #[arg(long, requires = "cluster")]
    pub with_slaves: bool,
    /// Key (Apache spelling, e.g. brokerPermission).
    #[arg(value_name = "KEY")]
    pub key: String,
    #[arg(value_name = "VALUE")]
    pub value: String,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Run a broker admin command; returns the exit code.
pub fn run(cmd: &BrokerAdminCommand) -> anyhow::Result<i32> {
    match cmd {
        BrokerAdminCommand::Status(a) => {
            let admin = a.conn.admin()?;
            let kv = run_admin(admin.broker_status(&a.broker))?;
            output::print(&kv, a.conn.output);
        }
        BrokerAdminCommand::Config(BrokerConfigCommand::Get(a)) => {
            let admin = a.conn.admin()?;
            let kv = run_admin(admin.broker_config(&a.broker))?;
            output::print(&kv, a.conn.output);
        }
        BrokerAdminCommand::Config(BrokerConfigCommand::Set(a)) => {
            let selection = match (&a.broker, &a.cluster) {
                (_, Some(cluster)) => BrokerSelection::Cluster {
                    cluster: cluster.clone(),
                    with_slaves: a.with_slaves,
                },
                (Some(b), None) => BrokerSelection::One(b.clone()),
                (None, None) => {
                    return Err(admin_error(AdminError::InvalidInput(
                        "name a BROKER or pass -c CLUSTER".into(),
                    )))
                }
            };
            let admin = a.conn.admin()?;
            let addrs = run_admin(admin.broker_config_set(&selection, &a.key, &a.value))?;
            output::print(
                &ConfigSet {
                    key: &a.key,
                    value: &a.value,
                    brokers: &addrs,
                },
                a.conn.output,
            );
        }
    }
    Ok(0)
}
