//! Command-line interface: clap definitions and the dispatch to one thin handler per command.

pub mod bench_cmd;
pub mod broker_cmd;
pub mod check_cmd;
pub mod namesrv_cmd;
pub mod render_cmd;

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
    /// Run the bundled name server.
    Namesrv(namesrv_cmd::NamesrvArgs),
    /// Run the bundled broker.
    Broker(broker_cmd::BrokerArgs),
    /// Load generator: produce to or consume from a broker and report messages/s and latency.
    Bench(bench_cmd::BenchArgs),
}

/// Exit codes users rely on (design.md).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// An operation failed (remote error, I/O).
    pub const FAILED: i32 = 1;
    /// Invalid input or usage.
    pub const INPUT: i32 = 2;
}

/// Run the parsed command and return the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Render(args) => render_cmd::run(&args),
        Command::Check(args) => check_cmd::run(&args),
        Command::Namesrv(args) => namesrv_cmd::run(args),
        Command::Broker(args) => broker_cmd::run(args),
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
