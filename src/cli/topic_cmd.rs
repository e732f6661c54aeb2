//! `rmqctl topic create|delete|list|route|status`.

use super::connect_args::{run_admin, ConnectArgs};
use super::InputError;
use crate::admin::topics::{CreateTarget, TopicSpec};
use crate::output::{self, TopicCreated, TopicList, TopicStatus};

/// `rmqctl topic ...`
#[derive(Debug, clap::Subcommand)]
pub enum TopicCommand {
    /// Create a topic on every master of a cluster (or one broker); re-running with the same
    /// values changes nothing, with new values updates.
    Create(CreateArgs),
    /// Delete a topic from every master of a cluster and from every name server.
    Delete(DeleteArgs),
    /// List topics (all, or one cluster's).
    List(ListArgs),
    /// Show which brokers serve a topic, with queue counts and permissions.
    Route(TopicArgs),
    /// Per queue: broker, queue id, min and max offset, last store time.
    Status(TopicArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    /// Cluster whose masters get the topic (default: the only cluster).
    #[arg(short = 'c', long, value_name = "CLUSTER", conflicts_with = "broker")]
    pub cluster: Option<String>,
    /// One broker instead, by address (host:port) or broker name.
    #[arg(short = 'b', long, value_name = "BROKER")]
    pub broker: Option<String>,
    /// Read queues per broker.
    #[arg(
        short = 'r',
        long = "read-queues",
        default_value_t = 8,
        value_name = "N"
    )]
    pub read_queues: i32,
    /// Write queues per broker.
    #[arg(
        short = 'w',
        long = "write-queues",
        default_value_t = 8,
        value_name = "N"
    )]
    pub write_queues: i32,
    /// Permission: 2 write, 4 read, 6 read-write.
    #[arg(short = 'p', long, default_value_t = 6, value_name = "PERM")]
    pub perm: i32,
    /// Ordered topic (also writes the order config to the name servers).
    #[arg(long)]
    pub order: bool,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    /// Cluster to delete from (default: the only cluster).
    #[arg(short = 'c', long, value_name = "CLUSTER")]
    pub cluster: Option<String>,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only the topics of this cluster.
    #[arg(short = 'c', long, value_name = "CLUSTER")]
    pub cluster: Option<String>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct TopicArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Run a topic command; returns the exit code.
pub fn run(cmd: &TopicCommand) -> anyhow::Result<i32> {
    match cmd {
        TopicCommand::Create(a) => create(a),
        TopicCommand::Delete(a) => delete(a),
        TopicCommand::List(a) => {
            let admin = a.conn.admin()?;
            let topics = run_admin(admin.topic_list(a.cluster.as_deref()))?;
            super::completions_cmd::remember_names("topics", &topics);
            output::print(&TopicList { topics: &topics }, a.conn.output);
            Ok(0)
        }
        TopicCommand::Route(a) => {
            let admin = a.conn.admin()?;
            let route = run_admin(admin.topic_route(&a.topic))?;
            output::print(&route, a.conn.output);
            Ok(0)
        }
        TopicCommand::Status(a) => {
            let admin = a.conn.admin()?;
            let queues = run_admin(admin.topic_status(&a.topic))?;
            output::print(
                &TopicStatus {
                    topic: &a.topic,
                    queues: &queues,
                },
                a.conn.output,
            );
            Ok(0)
        }
    }
}

fn create(a: &CreateArgs) -> anyhow::Result<i32> {
    let spec = TopicSpec {
        topic: a.topic.clone(),
        read_queues: a.read_queues,
        write_queues: a.write_queues,
        perm: a.perm,
        order: a.order,
    };
    spec.validate().map_err(super::connect_args::admin_error)?;
    let target = match &a.broker {
        Some(b) => CreateTarget::Broker(b.clone()),
        None => CreateTarget::Cluster(a.cluster.clone()),
    };
    let admin = a.conn.admin()?;
    let outcomes = run_admin(admin.topic_create(&spec, &target))?;
    output::print(
        &TopicCreated {
            topic: &a.topic,
            brokers: &outcomes,
        },
        a.conn.output,
    );
    Ok(0)
}

fn delete(a: &DeleteArgs) -> anyhow::Result<i32> {
    let admin = a.conn.admin()?;
    if !a.yes
        && !confirm(&format!(
            "Delete topic {} from its brokers and name servers?",
            a.topic
        ))?
    {
        eprintln!("not deleted");
        return Ok(super::exit::FAILED);
    }
    let outcome = run_admin(admin.topic_delete(&a.topic, a.cluster.as_deref()))?;
    output::print(&outcome, a.conn.output);
    Ok(0)
}

/// Ask a yes/no question on the terminal; without a terminal, refuse (use --yes).
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(InputError(
            "refusing to change anything without confirmation: not a terminal; pass --yes".into(),
        )
        .into());
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()?)
}
