//! `rmqctl acl list|add|remove|whitelist`: the ACL accounts and global white list of a running
//! cluster, changed on every broker through Apache's ACL admin requests (the command itself
//! signs with an admin account: --access-key / $RMQCTL_ACCESS_KEY and $RMQCTL_SECRET_KEY).

use super::connect_args::{run_admin, ConnectArgs};
use super::topic_cmd::confirm;
use super::InputError;
use crate::acl::admin_requests::CreateAccessConfigRequestHeader;
use crate::acl::permission::{Perm, ResourcePerm};
use crate::acl::plain_acl::KEY_MIN_LENGTH;
use crate::acl::white_list::AddressPattern;
use crate::acl::Secret;
use crate::admin::acl::AclChange;
use crate::output::acl::{AclChanges, AclList};

/// Environment variable holding the secret key of the account `acl add` creates.
pub const ACCOUNT_SECRET_ENV: &str = "RMQCTL_ACCOUNT_SECRET";

#[derive(Debug, clap::Subcommand)]
pub enum AclCommand {
    /// Every broker's accounts and global white list (secret keys are never shown).
    List(ListArgs),
    /// Create an account, or update one (only the options given change), on every broker.
    Add(AddArgs),
    /// Delete an account from every broker.
    Remove(RemoveArgs),
    /// Replace the global white list of every broker (peers on it need no account).
    Whitelist(WhitelistArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only the brokers of this cluster.
    #[arg(short = 'c', long)]
    pub cluster: Option<String>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The account's access key (at least 7 characters, as Apache requires).
    #[arg(value_name = "ACCESS_KEY")]
    pub account: String,
    /// The account's secret key (at least 7 characters), needed for a new account. Prefer
    /// $RMQCTL_ACCOUNT_SECRET: other users of the machine can read a process's arguments.
    #[arg(long = "account-secret", env = ACCOUNT_SECRET_ENV, hide_env_values = true,
        value_name = "SECRET", value_parser = parse_secret)]
    pub account_secret: Option<Secret>,
    /// May send admin requests (topic and group changes, config updates, offset resets, ACL).
    #[arg(long)]
    pub admin: bool,
    /// Permission on topics not listed with --topic-perm: DENY, PUB, SUB or PUB|SUB.
    #[arg(long, value_name = "PERM")]
    pub default_topic_perm: Option<String>,
    /// Permission on groups not listed with --group-perm.
    #[arg(long, value_name = "PERM")]
    pub default_group_perm: Option<String>,
    /// A topic's permission, `TOPIC=PERM` (repeat; replaces the account's list).
    #[arg(long = "topic-perm", value_name = "TOPIC=PERM")]
    pub topic_perms: Vec<String>,
    /// A group's permission, `GROUP=PERM` (repeat; replaces the account's list).
    #[arg(long = "group-perm", value_name = "GROUP=PERM")]
    pub group_perms: Vec<String>,
    /// Addresses from which this account's requests skip the signature check (Apache's
    /// whiteRemoteAddress: `192.168.0.*`, `192.168.1-10.*`, `10.0.0.{1,2}`).
    #[arg(long, value_name = "PATTERN")]
    pub white_remote_address: Option<String>,
    /// Only the brokers of this cluster.
    #[arg(short = 'c', long)]
    pub cluster: Option<String>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The account's access key.
    #[arg(value_name = "ACCESS_KEY")]
    pub account: String,
    /// Only the brokers of this cluster.
    #[arg(short = 'c', long)]
    pub cluster: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

#[derive(Debug, clap::Args)]
pub struct WhitelistArgs {
    /// The new global white list (Apache patterns); none with --clear.
    #[arg(value_name = "PATTERN", required_unless_present = "clear")]
    pub patterns: Vec<String>,
    /// Empty the global white list.
    #[arg(long, conflicts_with = "patterns")]
    pub clear: bool,
    /// Only the brokers of this cluster.
    #[arg(short = 'c', long)]
    pub cluster: Option<String>,
    #[command(flatten)]
    pub conn: ConnectArgs,
}

fn parse_secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::new(text))
}

/// Runs an `acl` command; returns the exit code.
pub fn run(cmd: &AclCommand) -> anyhow::Result<i32> {
    match cmd {
        AclCommand::List(a) => {
            let admin = a.conn.admin()?;
            let brokers = run_admin(admin.acl_list(a.cluster.as_deref()))?;
            let failed = brokers.iter().any(|b| b.error.is_some());
            crate::output::print(&AclList { brokers }, a.conn.output);
            Ok(if failed {
                super::exit::FAILED
            } else {
                super::exit::OK
            })
        }
        AclCommand::Add(a) => {
            let header = account_header(a)?;
            let admin = a.conn.admin()?;
            let changes = run_admin(admin.acl_update(a.cluster.as_deref(), &header))?;
            finish("account updated", changes, a.conn.output)
        }
        AclCommand::Remove(a) => {
            if !a.yes
                && !confirm(&format!(
                    "Delete ACL account {} from every broker?",
                    a.account
                ))?
            {
                eprintln!("not deleted");
                return Ok(super::exit::FAILED);
            }
            let admin = a.conn.admin()?;
            let changes = run_admin(admin.acl_delete(a.cluster.as_deref(), &a.account))?;
            finish("account deleted", changes, a.conn.output)
        }
        AclCommand::Whitelist(a) => {
            for p in &a.patterns {
                AddressPattern::parse(p).map_err(InputError)?;
            }
            let admin = a.conn.admin()?;
            let changes =
                run_admin(admin.acl_global_white_list(a.cluster.as_deref(), &a.patterns))?;
            finish("global white list replaced", changes, a.conn.output)
        }
    }
}

fn finish(
    what: &str,
    changes: Vec<AclChange>,
    format: crate::output::OutputFormat,
) -> anyhow::Result<i32> {
    let ok = changes.iter().all(|c| c.ok);
    let report = AclChanges {
        change: what.to_string(),
        brokers: changes,
    };
    crate::output::print(&report, format);
    Ok(if ok {
        super::exit::OK
    } else {
        super::exit::FAILED
    })
}

/// The UPDATE_AND_CREATE_ACL_CONFIG header, checked here so mistakes exit 2 before any broker
/// is asked.
fn account_header(a: &AddArgs) -> Result<CreateAccessConfigRequestHeader, InputError> {
    if a.account.chars().count() < KEY_MIN_LENGTH {
        return Err(InputError(format!(
            "access key `{}` is too short: Apache needs at least {KEY_MIN_LENGTH} characters",
            a.account
        )));
    }
    if let Some(s) = &a.account_secret {
        if s.len() < KEY_MIN_LENGTH {
            return Err(InputError(format!(
                "the account's secret key is too short: Apache needs at least {KEY_MIN_LENGTH} characters"
            )));
        }
    }
    for (what, word) in [
        ("--default-topic-perm", &a.default_topic_perm),
        ("--default-group-perm", &a.default_group_perm),
    ] {
        if let Some(w) = word {
            Perm::parse(w)
                .ok_or_else(|| InputError(format!("{what} `{w}`: write {}", Perm::WORDS)))?;
        }
    }
    for entry in a.topic_perms.iter().chain(&a.group_perms) {
        ResourcePerm::parse(entry).map_err(InputError)?;
    }
    if let Some(w) = &a.white_remote_address {
        AddressPattern::parse(w).map_err(InputError)?;
    }
    let list = |items: &[String]| (!items.is_empty()).then(|| items.join(","));
    Ok(CreateAccessConfigRequestHeader {
        access_key: a.account.clone(),
        admin: a.admin,
        default_group_perm: a.default_group_perm.clone(),
        default_topic_perm: a.default_topic_perm.clone(),
        group_perms: list(&a.group_perms),
        secret_key: a.account_secret.clone(),
        topic_perms: list(&a.topic_perms),
        white_remote_address: a.white_remote_address.clone(),
    })
}
