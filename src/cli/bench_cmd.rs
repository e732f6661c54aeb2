//! `rmqctl bench produce|consume`: drive load at a broker (found through `-n` name servers or
//! given with `-b`) and print messages/s and p50/p99/p999 latency as a table or JSON.

use super::InputError;
use crate::bench::{self, ConsumeOptions, Endpoint, ProduceOptions};
use crate::output::{self, OutputFormat};
use anyhow::Context;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub mode: BenchMode,
}

#[derive(Debug, clap::Subcommand)]
pub enum BenchMode {
    /// Send messages as fast as the broker acknowledges them.
    Produce(ProduceArgs),
    /// Pull every queue of a topic from its start.
    Consume(ConsumeArgs),
}

/// Options shared by both modes.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// Name servers, `host:port;host:port` (the topic's master broker is loaded).
    #[arg(
        short = 'n',
        long = "namesrv",
        env = "NAMESRV_ADDR",
        value_name = "ADDRS"
    )]
    pub namesrv: Option<String>,
    /// A broker address `host:port`, used directly instead of a name-server lookup.
    #[arg(short = 'b', long = "broker", value_name = "ADDR")]
    pub broker: Option<String>,
    /// Topic to use; a new topic is auto-created by the broker from TBW102.
    #[arg(short = 't', long = "topic", default_value = "BenchmarkTopic")]
    pub topic: String,
    /// TCP connections to open to the broker.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Queues of the topic when it is new or given with -b.
    #[arg(long, default_value_t = 4)]
    pub queues: i32,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    #[command(flatten)]
    pub tls: super::tls_args::TlsArgs,
    /// The ACL account requests are signed with.
    #[command(flatten)]
    pub credentials: super::credential_args::CredentialArgs,
}

#[derive(Debug, clap::Args)]
pub struct ProduceArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Concurrent producers (each keeps one send in flight).
    #[arg(long, default_value_t = 16)]
    pub producers: usize,
    /// Message body size in bytes.
    #[arg(long, default_value_t = 1024)]
    pub size: usize,
    /// Messages per request; above 1 sends SEND_BATCH_MESSAGE.
    #[arg(long, default_value_t = 1)]
    pub batch: usize,
}

#[derive(Debug, clap::Args)]
pub struct ConsumeArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Consumer group named in the pulls.
    #[arg(long, default_value = "rmqctl_bench_cg")]
    pub group: String,
}

pub fn run(args: BenchArgs) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (report, format) = match args.mode {
        BenchMode::Produce(p) => {
            let opts = ProduceOptions {
                endpoint: endpoint(&p.target)?,
                topic: p.target.topic.clone(),
                connections: p.target.connections,
                producers: p.producers,
                size: p.size,
                batch: p.batch,
                duration: Duration::from_secs(p.target.duration),
                queues: p.target.queues,
                tls: p.target.tls.connector()?,
                hook: p.target.credentials.hook()?,
            };
            (runtime.block_on(bench::run_produce(&opts)), p.target.output)
        }
        BenchMode::Consume(c) => {
            let opts = ConsumeOptions {
                endpoint: endpoint(&c.target)?,
                topic: c.target.topic.clone(),
                group: c.group.clone(),
                connections: c.target.connections,
                duration: Duration::from_secs(c.target.duration),
                queues: c.target.queues,
                tls: c.target.tls.connector()?,
                hook: c.target.credentials.hook()?,
            };
            (runtime.block_on(bench::run_consume(&opts)), c.target.output)
        }
    };
    let report = report.map_err(|e| match e {
        bench::BenchError::Option(m) => anyhow::Error::new(InputError(m)),
        other => anyhow::Error::new(other),
    })?;
    output::print(&report, format);
    if let Some(e) = &report.first_error {
        eprintln!("{} requests failed; first error: {e}", report.errors);
    }
    Ok(if report.messages == 0 {
        super::exit::FAILED
    } else {
        super::exit::OK
    })
}

fn endpoint(t: &TargetArgs) -> anyhow::Result<Endpoint> {
    match (&t.broker, &t.namesrv) {
        (Some(b), _) => Ok(Endpoint::Broker(b.clone())),
        (None, Some(n)) => Ok(Endpoint::Namesrv(n.clone())),
        (None, None) => Err(InputError(
            "give a broker with -b ADDR or name servers with -n ADDRS (or NAMESRV_ADDR)".into(),
        )
        .into()),
    }
}
