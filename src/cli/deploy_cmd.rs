//! `rmqctl deploy|start|stop|restart|status|logs|destroy INVENTORY`: the provisioning commands.
//! Each renders and lints the inventory first (exit 2 before any host is touched), then hands
//! over to `deploy`; lifecycle commands that change something ask on a terminal unless `--yes`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use super::connect_args::{block_on, parse_duration};
use super::render_cmd::{load_templates, report_findings};
use super::topic_cmd::confirm;
use super::InputError;
use crate::deploy::lifecycle::{self, plan_without_binary, Selection};
use crate::deploy::order::Waits;
use crate::deploy::pipeline::{self, DeployError, DeployOptions};
use crate::deploy::plan::{DeployPlan, Role};
use crate::deploy::report::DeployReport;
use crate::deploy::transport::{connect, ConnectOptions};
use crate::output::OutputFormat;
use crate::render::derive::ClusterPlan;
use crate::render::lint::has_errors;
use crate::render::pipeline::{render_inventory, PipelineError};
use crate::render::templates::RenderedFile;

/// Options every provisioning command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct InventoryArgs {
    /// The inventory (TOML) of the cluster.
    pub inventory: PathBuf,
    /// Trust host keys seen for the first time (default: strict checking against known_hosts).
    #[arg(long)]
    pub accept_new_host_keys: bool,
    /// Give up connecting to a host after this long (e.g. 5s).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// Output format of the result.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// `--host`, `--instance`, `--role`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SelectArgs {
    /// Only instances on this host (repeatable).
    #[arg(long = "host", value_name = "HOST")]
    pub hosts: Vec<String>,
    /// Only this instance: `namesrv`, `broker-a`, `broker-a-s`, `gateway`... (repeatable).
    #[arg(long = "instance", value_name = "INSTANCE")]
    pub instances: Vec<String>,
    /// Only instances of this role (repeatable).
    #[arg(long = "role", value_enum)]
    pub roles: Vec<RoleArg>,
}

/// `--role` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Namesrv,
    Master,
    Slave,
    Gateway,
}

impl SelectArgs {
    fn selection(&self) -> Selection {
        Selection {
            hosts: self.hosts.clone(),
            instances: self.instances.clone(),
            roles: self
                .roles
                .iter()
                .map(|r| match r {
                    RoleArg::Namesrv => Role::Namesrv,
                    RoleArg::Master => Role::Master,
                    RoleArg::Slave => Role::Slave,
                    RoleArg::Gateway => Role::Gateway,
                })
                .collect(),
        }
    }
}

/// Arguments of `rmqctl deploy`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub common: InventoryArgs,
    /// Show per host what would change (files with a diff summary, firewall rules, starts,
    /// restarts) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask before changing hosts (required without a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Do not open firewall ports.
    #[arg(long)]
    pub no_firewall: bool,
    /// The rmqctl executable to upload (default: this one).
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
    /// How long to wait for instances to answer and register, and slaves to get in sync.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub wait: Duration,
    /// Directory of templates replacing the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Arguments of `rmqctl start|stop|restart`.
#[derive(Debug, Clone, clap::Args)]
pub struct LifecycleArgs {
    #[command(flatten)]
    pub common: InventoryArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Do not ask before stopping anything (required without a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// How long to wait for instances to answer, register and get in sync.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub wait: Duration,
}

/// Arguments of `rmqctl status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub common: InventoryArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Arguments of `rmqctl logs`.
#[derive(Debug, Clone, clap::Args)]
pub struct LogsArgs {
    #[command(flatten)]
    pub common: InventoryArgs,
    /// The instance: `namesrv`, `broker-a`, `broker-a-s`...
    pub instance: String,
    /// The host, when the instance runs on several (name servers).
    #[arg(long)]
    pub host: Option<String>,
    /// Lines to show.
    #[arg(short = 'n', long, default_value_t = 100)]
    pub lines: u32,
    /// Keep printing new lines.
    #[arg(short = 'f', long)]
    pub follow: bool,
}

/// Arguments of `rmqctl destroy`.
#[derive(Debug, Clone, clap::Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub common: InventoryArgs,
    /// Do not ask (required without a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Keep the stores and logs (remove only processes, units, firewall rules, binary, configs).
    #[arg(long)]
    pub keep_data: bool,
}

/// Renders and lints the inventory; bad input is exit 2 before any host is touched.
fn load(
    inventory: &std::path::Path,
    templates: Option<&std::path::Path>,
) -> anyhow::Result<(ClusterPlan, Vec<RenderedFile>)> {
    let templates = load_templates(templates).map_err(|e| InputError(e.to_string()))?;
    match render_inventory(inventory, &templates) {
        Ok(out) => {
            report_findings(&out.findings);
            if has_errors(&out.findings) {
                return Err(InputError(format!(
                    "{}: the rendered files would not work (see the errors above); nothing was changed",
                    inventory.display()
                ))
                .into());
            }
            Ok((out.plan, out.files))
        }
        Err(PipelineError::Inventory(findings)) => {
            report_findings(&findings);
            Err(InputError(format!(
                "{}: fix the inventory first; nothing was changed",
                inventory.display()
            ))
            .into())
        }
        Err(PipelineError::Template(e)) => Err(InputError(e.to_string()).into()),
    }
}

fn connect_options(common: &InventoryArgs) -> ConnectOptions {
    ConnectOptions {
        accept_new_host_keys: common.accept_new_host_keys,
        connect_timeout: common.connect_timeout,
    }
}

fn waits(wait: Duration) -> Waits {
    Waits {
        start: wait,
        sync: wait,
    }
}

/// Prints a report and returns the exit code (1 when a host or a check failed).
fn finish(report: &DeployReport, format: OutputFormat) -> i32 {
    crate::output::print(report, format);
    if report.ok {
        super::exit::OK
    } else {
        super::exit::FAILED
    }
}

/// Whether to go on: yes with `--yes`, else the operator's answer; a "no" prints `refused`
/// (what was left alone) and the caller exits 1.
fn confirm_or_refuse(yes: bool, question: &str, refused: &str) -> anyhow::Result<bool> {
    if yes || confirm(question)? {
        return Ok(true);
    }
    eprintln!("{refused}");
    Ok(false)
}

/// Runs `rmqctl deploy`.
pub fn run_deploy(args: &DeployArgs) -> anyhow::Result<i32> {
    let (plan, files) = load(&args.common.inventory, args.templates.as_deref())?;
    let options = DeployOptions {
        dry_run: args.dry_run,
        firewall: !args.no_firewall,
        connect: connect_options(&args.common),
        binary: args.binary.clone(),
        waits: waits(args.wait),
    };
    let yes = args.yes;
    let ask = move |plan_text: &str| -> anyhow::Result<bool> {
        eprint!("{plan_text}");
        if yes {
            return Ok(true);
        }
        confirm("Apply these changes?")
    };
    match block_on(pipeline::deploy(&plan, &files, &options, &ask))? {
        Ok(report) => Ok(finish(&report, args.common.output)),
        Err(DeployError::NotConfirmed) => {
            eprintln!("nothing was changed");
            Ok(super::exit::FAILED)
        }
        Err(DeployError::Confirm(e)) => Err(e),
        Err(e) => Err(e.into()),
    }
}

fn lifecycle_plan(
    common: &InventoryArgs,
    select: &SelectArgs,
) -> anyhow::Result<(DeployPlan, Selection)> {
    let (plan, files) = load(&common.inventory, None)?;
    let plan = plan_without_binary(&plan, &files);
    let selection = select.selection();
    let unknown = selection.unknown(&plan);
    if !unknown.is_empty() {
        let instances: Vec<String> = plan
            .instances()
            .map(|i| format!("{}@{}", i.name, i.host))
            .collect();
        return Err(InputError(format!(
            "{} not in {}; it has: {}",
            unknown.join(", "),
            common.inventory.display(),
            instances.join(" ")
        ))
        .into());
    }
    Ok((plan, selection))
}

/// Runs `rmqctl start`.
pub fn run_start(args: &LifecycleArgs) -> anyhow::Result<i32> {
    let (plan, selection) = lifecycle_plan(&args.common, &args.select)?;
    let report = block_on(lifecycle::start(
        plan,
        &selection,
        &connect_options(&args.common),
        waits(args.wait),
    ))?;
    Ok(finish(&report, args.common.output))
}

/// Runs `rmqctl stop`.
pub fn run_stop(args: &LifecycleArgs) -> anyhow::Result<i32> {
    let (plan, selection) = lifecycle_plan(&args.common, &args.select)?;
    let question = format!("Stop the selected instances of {}?", plan.cluster);
    if !confirm_or_refuse(args.yes, &question, "nothing was stopped")? {
        return Ok(super::exit::FAILED);
    }
    let report = block_on(lifecycle::stop(
        plan,
        &selection,
        &connect_options(&args.common),
    ))?;
    Ok(finish(&report, args.common.output))
}

/// Runs `rmqctl restart`.
pub fn run_restart(args: &LifecycleArgs) -> anyhow::Result<i32> {
    let (plan, selection) = lifecycle_plan(&args.common, &args.select)?;
    let question = format!(
        "Restart the selected instances of {} (rolling)?",
        plan.cluster
    );
    if !confirm_or_refuse(args.yes, &question, "nothing was restarted")? {
        return Ok(super::exit::FAILED);
    }
    let report = block_on(lifecycle::restart(
        plan,
        &selection,
        &connect_options(&args.common),
        waits(args.wait),
    ))?;
    Ok(finish(&report, args.common.output))
}

/// Runs `rmqctl status`; exit 1 when a selected instance does not run.
pub fn run_status(args: &StatusArgs) -> anyhow::Result<i32> {
    let (plan, selection) = lifecycle_plan(&args.common, &args.select)?;
    let report = block_on(lifecycle::status(
        plan,
        &selection,
        &connect_options(&args.common),
    ))?;
    crate::output::print(&report, args.common.output);
    Ok(if report.all_running() {
        super::exit::OK
    } else {
        super::exit::FAILED
    })
}

/// Runs `rmqctl logs`.
pub fn run_logs(args: &LogsArgs) -> anyhow::Result<i32> {
    let (plan, _) = lifecycle_plan(&args.common, &SelectArgs::default())?;
    let matches: Vec<_> = plan
        .instances()
        .filter(|i| i.name == args.instance && args.host.as_ref().is_none_or(|h| *h == i.host))
        .collect();
    let instance = match matches.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err(InputError(format!(
                "no instance `{}`{} in the inventory",
                args.instance,
                args.host
                    .as_ref()
                    .map(|h| format!(" on {h}"))
                    .unwrap_or_default()
            ))
            .into())
        }
        many => {
            let hosts: Vec<&str> = many.iter().map(|i| i.host.as_str()).collect();
            return Err(InputError(format!(
                "`{}` runs on {}: choose one with --host",
                args.instance,
                hosts.join(", ")
            ))
            .into());
        }
    };
    let host = plan
        .host(&instance.host)
        .context("the instance's host")?
        .clone();
    let script = lifecycle::logs_script(&instance, args.lines, args.follow);
    let options = connect_options(&args.common);
    let code = block_on(async move {
        let transport = connect(&host.access, &options).await?;
        transport.stream(&script).await
    })?
    .with_context(|| format!("reading the log of {} on {}", instance.name, instance.host))?;
    Ok(if code == 0 {
        super::exit::OK
    } else {
        super::exit::FAILED
    })
}

/// Runs `rmqctl destroy`.
pub fn run_destroy(args: &DestroyArgs) -> anyhow::Result<i32> {
    let (plan, _) = lifecycle_plan(&args.common, &SelectArgs::default())?;
    let what = if args.keep_data {
        "processes, units, firewall rules, binary and configs (stores and logs are kept)"
    } else {
        "processes, units, firewall rules, binary, configs, stores and logs"
    };
    let question = format!(
        "Destroy cluster {} on {} host(s): {what}?",
        plan.cluster,
        plan.hosts.len()
    );
    if !confirm_or_refuse(args.yes, &question, "nothing was removed")? {
        return Ok(super::exit::FAILED);
    }
    let report = block_on(lifecycle::destroy(
        plan,
        &connect_options(&args.common),
        args.keep_data,
    ))?;
    Ok(finish(&report, args.common.output))
}

/// Arguments of the hidden `rmqctl __probe` (run by deploy on a peer host).
#[derive(Debug, Clone, clap::Args)]
pub struct ProbeArgs {
    /// `host:port` addresses to try.
    pub addrs: Vec<String>,
    #[arg(long, default_value_t = 1000)]
    pub timeout_ms: u64,
}

/// Runs `rmqctl __probe`: one line per address, `open` or `closed REASON`.
pub fn run_probe(args: &ProbeArgs) -> anyhow::Result<i32> {
    let out = block_on(crate::deploy::verify::probe(
        &args.addrs,
        Duration::from_millis(args.timeout_ms),
    ))?;
    crate::output::emit(&out);
    Ok(0)
}
