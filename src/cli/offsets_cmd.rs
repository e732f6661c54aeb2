//! `rmqctl offsets -t TOPIC [-g GROUP] [--fail-above N]`.

use super::connect_args::{run_admin, ConnectArgs};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct OffsetsArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    /// Consumer group: adds its offset, lag and the age of the oldest unconsumed message.
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Exit with code 3 when the group's total lag on the topic exceeds N.
    #[arg(long, value_name = "N", requires = "group")]
    pub fail_above: Option<i64>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Run `rmqctl offsets`; returns the exit code.
pub fn run(a: &OffsetsArgs) -> anyhow::Result<i32> {
    let admin = a.conn.admin()?;
    let offsets = run_admin(admin.topic_offsets(&a.topic, a.group.as_deref()))?;
    output::print(&offsets, a.conn.output);
    Ok(super::group_cmd::threshold_exit(
        offsets.total_lag.unwrap_or(0),
        a.fail_above,
    ))
}
