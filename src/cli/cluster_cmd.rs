//! `rmqctl cluster status [--watch [SECS]]`.

use super::connect_args::{block_on, run_admin, ConnectArgs};
use crate::output::{self, ClusterStatus};
use std::io::IsTerminal;
use std::time::Duration;

/// `rmqctl cluster ...`
#[derive(Debug, clap::Subcommand)]
pub enum ClusterCommand {
    /// Per broker: role, address, version, TPS, today's traffic, commit-log offset, replication lag.
    Status(StatusArgs),
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Only this cluster.
    #[arg(short = 'c', long, value_name = "CLUSTER")]
    pub cluster: Option<String>,
    /// Refresh every SECS seconds (default 2) until interrupted.
    #[arg(short = 'w', long, value_name = "SECS", num_args = 0..=1, default_missing_value = "2")]
    pub watch: Option<u64>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Run a cluster command; returns the exit code (1 when a broker did not answer).
pub fn run(cmd: &ClusterCommand) -> anyhow::Result<i32> {
    let ClusterCommand::Status(a) = cmd;
    let admin = a.conn.admin()?;
    let Some(every) = a.watch else {
        let rows = run_admin(admin.cluster_status(a.cluster.as_deref()))?;
        output::print(&ClusterStatus { brokers: &rows }, a.conn.output);
        return Ok(if rows.iter().any(|r| r.error.is_some()) {
            super::exit::FAILED
        } else {
            super::exit::OK
        });
    };
    let clear = std::io::stdout().is_terminal();
    block_on(async {
        loop {
            let text = match admin.cluster_status(a.cluster.as_deref()).await {
                Ok(rows) => output::render(&ClusterStatus { brokers: &rows }, a.conn.output),
                Err(e) => format!("error: {e}\n"),
            };
            if clear {
                output::emit("\x1b[2J\x1b[H");
            }
            output::emit(&text);
            tokio::time::sleep(Duration::from_secs(every.max(1))).await;
        }
    })
}
