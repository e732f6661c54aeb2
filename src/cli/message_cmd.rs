//! `rmqctl message send|consume|get|query`: smoke tests and debugging.

use super::connect_args::{admin_error, run_admin, ConnectArgs};
use super::InputError;
use crate::admin::messages::OutgoingMessage;
use crate::admin::AdminError;
use crate::output::{self, MessageList};
use std::path::PathBuf;

/// `rmqctl message ...`
#[derive(Debug, clap::Subcommand)]
pub enum MessageCommand {
    /// Send one message.
    Send(SendArgs),
    /// Read messages (from the group's offsets, or from the start); commits nothing.
    Consume(ConsumeArgs),
    /// Show one message by offset id, or by unique id with -t.
    Get(GetArgs),
    /// Find messages by key.
    Query(QueryArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("payload").required(true).args(["body", "file"])))]
pub struct SendArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Message key (repeatable).
    #[arg(short = 'k', long = "key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// Body text.
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// Body from a file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConsumeArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    /// Start from this group's committed offsets (default: from the oldest message).
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: Option<String>,
    /// At most N messages.
    #[arg(short = 'N', long = "count", default_value_t = 32, value_name = "N")]
    pub count: usize,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// Offset message id, or unique id (UNIQ_KEY) together with -t.
    #[arg(value_name = "MSGID")]
    pub msg_id: String,
    /// Topic to search the unique id in.
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: Option<String>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    #[arg(short = 't', long, value_name = "TOPIC")]
    pub topic: String,
    #[arg(short = 'k', long, value_name = "KEY")]
    pub key: String,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

/// Run a message command; returns the exit code.
pub fn run(cmd: &MessageCommand) -> anyhow::Result<i32> {
    match cmd {
        MessageCommand::Send(a) => {
            let msg = OutgoingMessage {
                topic: a.topic.clone(),
                tag: a.tag.clone(),
                keys: a.keys.clone(),
                body: read_body(a)?,
            };
            let admin = a.conn.admin()?;
            let sent = run_admin(admin.send_message(&msg))?;
            output::print(&sent, a.conn.output);
        }
        MessageCommand::Consume(a) => {
            if a.count == 0 {
                return Err(admin_error(AdminError::InvalidInput(
                    "--count must be at least 1".into(),
                )));
            }
            let admin = a.conn.admin()?;
            let messages = run_admin(admin.consume(&a.topic, a.group.as_deref(), a.count))?;
            output::print(
                &MessageList {
                    messages: &messages,
                },
                a.conn.output,
            );
        }
        MessageCommand::Get(a) => {
            let admin = a.conn.admin()?;
            let message = run_admin(admin.get_message(&a.msg_id, a.topic.as_deref()))?;
            output::print(&message, a.conn.output);
        }
        MessageCommand::Query(a) => {
            let admin = a.conn.admin()?;
            let messages = run_admin(admin.query_messages(&a.topic, &a.key, false))?;
            output::print(
                &MessageList {
                    messages: &messages,
                },
                a.conn.output,
            );
        }
    }
    Ok(0)
}

fn read_body(a: &SendArgs) -> anyhow::Result<Vec<u8>> {
    match (&a.body, &a.file) {
        (Some(text), _) => Ok(text.clone().into_bytes()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
            Ok(buf)
        }
        (None, Some(path)) => std::fs::read(path)
            .map_err(|e| InputError(format!("cannot read {}: {e}", path.display())).into()),
        (None, None) => Err(InputError("pass --body TEXT or --file FILE".into()).into()),
    }
}
