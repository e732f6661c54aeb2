//! The `rmqctl` binary: parse the command line and run one command.

use clap::Parser;

fn main() {
    let cli = rmqctl::cli::Cli::parse();
    std::process::exit(rmqctl::cli::run(cli));
}
