//! Command-line interface: clap definitions and the dispatch to one thin handler per command.

pub mod acl_cmd;
pub mod bench_cmd;
pub mod broker_admin_cmd;
pub mod broker_cmd;
pub mod check_cmd;
pub mod cluster_cmd;
pub mod completions_cmd;
pub mod connect_args;
pub mod credential_args;
pub mod deploy_cmd;
pub mod gateway_cmd;
pub mod group_cmd;
pub mod message_cmd;
pub mod namesrv_cmd;
pub mod offsets_cmd;
pub mod render_cmd;
pub mod tls_args;
pub mod tls_cmd;
pub mod topic_cmd;

use clap::{Parser, Subcommand};

/// Provision, serve and operate Apache RocketMQ clusters.
#[derive(Debug, Parser)]
#[command(name = "rmqctl", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render Apache-format broker and name-server properties (and units) from an inventory.
    Render(render_cmd::RenderArgs),
    /// Lint an inventory or existing Apache properties files.
    Check(check_cmd::CheckArgs),
    /// Deploy an inventory: upload, supervise, open the firewall, start in order, verify.
    Deploy(deploy_cmd::DeployArgs),
    /// Start the instances of a deployed inventory that do not run (name servers, masters, slaves).
    Start(deploy_cmd::LifecycleArgs),
    /// Stop instances of a deployed inventory (slaves, masters, then name servers).
    Stop(deploy_cmd::LifecycleArgs),
    /// Restart instances of a deployed inventory, rolling (slave in sync before its master).
    Restart(deploy_cmd::LifecycleArgs),
    /// Every instance of a deployed inventory: process state, registration, sync.
    Status(deploy_cmd::StatusArgs),
    /// Show (or follow) an instance's log.
    Logs(deploy_cmd::LogsArgs),
    /// Stop and remove a deployed inventory from its hosts.
    Destroy(deploy_cmd::DestroyArgs),
    /// Run the bundled name server.
    Namesrv(namesrv_cmd::NamesrvArgs),
    /// Run the bundled broker (`-c FILE`), or show a broker's status and configuration.
    Broker(broker_cmd::BrokerArgs),
    /// Run the HTTP send service: POST JSON to send, messages delivered to their backurl.
    Gateway(gateway_cmd::GatewayArgs),
    /// Create, delete, list and inspect topics.
    #[command(subcommand)]
    Topic(topic_cmd::TopicCommand),
    /// Cluster overview.
    #[command(subcommand)]
    Cluster(cluster_cmd::ClusterCommand),
    /// Per-queue offsets of a topic, with a consumer group's lag.
    Offsets(offsets_cmd::OffsetsArgs),
    /// Consumer groups: list, describe (lag, clients), reset offsets.
    #[command(subcommand)]
    Group(group_cmd::GroupCommand),
    /// Send, consume, get and query messages.
    #[command(subcommand)]
    Message(message_cmd::MessageCommand),
    /// ACL accounts and white lists of a running cluster (brokers with aclEnable=true).
    #[command(subcommand)]
    Acl(acl_cmd::AclCommand),
    /// Print a shell completion script.
    Completions(completions_cmd::CompletionsArgs),
    /// Probe TCP ports (run by deploy on a peer host).
    #[command(name = "__probe", hide = true)]
    Probe(deploy_cmd::ProbeArgs),
    /// Topic or group names for shell completion.
    #[command(name = "__complete", hide = true)]
    Complete(completions_cmd::CompleteArgs),
    /// Load generator: produce to or consume from a broker and report messages/s and latency.
    Bench(bench_cmd::BenchArgs),
    /// TLS certificates: a private CA and one certificate per host.
    #[command(subcommand)]
    Tls(tls_cmd::TlsCommand),
}

/// Exit codes users rely on (design.md).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// An operation failed (remote error, I/O).
    pub const FAILED: i32 = 1;
    /// Invalid input or usage.
    pub const INPUT: i32 = 2;
    /// A `--fail-above` threshold was crossed.
    pub const THRESHOLD: i32 = 3;
}

/// Run the parsed command and return the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Render(args) => render_cmd::run(&args),
        Command::Check(args) => check_cmd::run(&args),
        Command::Deploy(args) => deploy_cmd::run_deploy(&args),
        Command::Start(args) => deploy_cmd::run_start(&args),
        Command::Stop(args) => deploy_cmd::run_stop(&args),
        Command::Restart(args) => deploy_cmd::run_restart(&args),
        Command::Status(args) => deploy_cmd::run_status(&args),
        Command::Logs(args) => deploy_cmd::run_logs(&args),
        Command::Destroy(args) => deploy_cmd::run_destroy(&args),
        Command::Probe(args) => deploy_cmd::run_probe(&args),
        Command::Namesrv(args) => namesrv_cmd::run(args),
        Command::Broker(args) => broker_cmd::run(args),
        Command::Gateway(args) => gateway_cmd::run(args),
        Command::Topic(cmd) => topic_cmd::run(&cmd),
        Command::Cluster(cmd) => cluster_cmd::run(&cmd),
        Command::Offsets(args) => offsets_cmd::run(&args),
        Command::Group(cmd) => group_cmd::run(&cmd),
        Command::Message(cmd) => message_cmd::run(&cmd),
        Command::Tls(cmd) => tls_cmd::run(&cmd),
        Command::Acl(cmd) => acl_cmd::run(&cmd),
        Command::Completions(args) => completions_cmd::run(&args),
        Command::Complete(args) => completions_cmd::run_complete(&args),
        Command::Bench(args) => bench_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit_code_of(&e)
        }
    }
}

/// Bad input (config files, arguments) exits 2; everything else 1.
fn exit_code_of(e: &anyhow::Error) -> i32 {
    if e.chain().any(|c| c.downcast_ref::<InputError>().is_some()) {
        exit::INPUT
    } else {
        exit::FAILED
    }
}

/// How long a stopped server's runtime may wait for blocking work (a large header being decoded)
/// before the process exits anyway: SIGTERM stops it within seconds whatever a client sends.
pub const RUNTIME_SHUTDOWN_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Marks an error as caused by the user's input (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Install the tracing subscriber: `RUST_LOG`-style filter, to stderr.
pub fn init_logging(default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
