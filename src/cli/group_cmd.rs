//! `rmqctl group list|describe|reset`.

use super::connect_args::{admin_error, run_admin, ConnectArgs};
use crate::admin::groups::ResetTarget;
use crate::admin::AdminError;
use crate::output::{self, GroupList};

/// `rmqctl group ...`
#[derive(Debug, clap::Subcommand)]
pub enum GroupCommand {
    /// Consumer groups known to the masters.
    List(ListArgs),
    /// Every topic a group consumes, per-queue lag, totals and connected clients.
    Describe(DescribeArgs),
    /// Move a group's offsets on a topic; shows a before/after preview and changes nothing
    /// unless --execute.
    Reset(ResetArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Include the brokers' own groups (TOOLS_CONSUMER, CID_RMQ_SYS_...).
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct DescribeArgs {
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: String,
    /// Exit with code 3 when the total lag exceeds N (for cron and CI).
    #[arg(long, value_name = "N")]
    pub fail_above: Option<i64>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["to_time", "to_earliest", "to_latest"])))]
pub struct ResetArgs {
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: String,
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    /// First message stored at or after TIME: epoch ms, `YYYY-MM-DD[THH:MM[:SS[.mmm]]]` (UTC) or `now`.
    #[arg(long, value_name = "TIME")]
    pub to_time: Option<String>,
    /// The oldest message still stored.
    #[arg(long)]
    pub to_earliest: bool,
    /// After the newest message (skip everything pending).
    #[arg(long)]
    pub to_latest: bool,
    /// Apply the change (without it, only the preview is shown).
    #[arg(long)]
    pub execute: bool,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Exit code 3 when `lag` is above the threshold.
pub fn threshold_exit(lag: i64, fail_above: Option<i64>) -> i32 {
    match fail_above {
        Some(n) if lag > n => {
            eprintln!("total lag {lag} is above {n}");
            super::exit::THRESHOLD
        }
        _ => super::exit::OK,
    }
}

/// Run a group command; returns the exit code.
pub fn run(cmd: &GroupCommand) -> anyhow::Result<i32> {
    match cmd {
        GroupCommand::List(a) => {
            let admin = a.conn.admin()?;
            let groups = run_admin(admin.group_list(a.all))?;
            let names: Vec<String> = groups.iter().map(|g| g.group.clone()).collect();
            super::completions_cmd::remember_names("groups", &names);
            output::print(&GroupList { groups: &groups }, a.conn.output);
            Ok(0)
        }
        GroupCommand::Describe(a) => {
            let admin = a.conn.admin()?;
            let d = run_admin(admin.group_describe(&a.group))?;
            output::print(&d, a.conn.output);
            Ok(threshold_exit(d.total_lag, a.fail_above))
        }
        GroupCommand::Reset(a) => {
            let target = reset_target(a)?;
            let admin = a.conn.admin()?;
            let plan = run_admin(admin.group_reset(&a.group, &a.topic, target, a.execute))?;
            output::print(&plan, a.conn.output);
            Ok(0)
        }
    }
}

fn reset_target(a: &ResetArgs) -> anyhow::Result<ResetTarget> {
    if a.to_earliest {
        return Ok(ResetTarget::Earliest);
    }
    if a.to_latest {
        return Ok(ResetTarget::Latest);
    }
    let text = a.to_time.as_deref().unwrap_or_default();
    crate::calendar::parse_time(text, crate::calendar::now_millis())
        .map(ResetTarget::Time)
        .ok_or_else(|| {
            admin_error(AdminError::InvalidInput(format!(
                "--to-time {text:?} is not a time; use epoch ms, YYYY-MM-DDTHH:MM:SS (UTC) or now"
            )))
        })
}
