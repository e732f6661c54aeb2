//! The `rmqctl` binary: parse the command line and run one command.

use clap::Parser;

/// mimalloc instead of glibc's malloc: the broker allocates and frees small header strings and
/// buffers for every request, and glibc's allocator took about 15% of the broker's CPU under
/// load (bench produce) where mimalloc's per-thread free lists take a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = rmqctl::cli::Cli::parse();
    std::process::exit(rmqctl::cli::run(cli));
}
