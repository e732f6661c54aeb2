//! Minimal entry point for the `render` branch (the lead's main replaces it on merge).

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "rmqctl",
    version,
    about = "Provision, serve and operate Apache RocketMQ clusters"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render broker/name-server properties and units from an inventory.
    Render(rmqctl::cli::render_cmd::RenderArgs),
    /// Lint an inventory or existing Apache properties files.
    Check(rmqctl::cli::check_cmd::CheckArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Render(args) => rmqctl::cli::render_cmd::run(args),
        Command::Check(args) => rmqctl::cli::check_cmd::run(args),
    };
    let code = result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        1
    });
    std::process::exit(code);
}
