//! `SlaveSynchronize`: a slave copies its master's metadata over remoting every 10 s (Apache
//! 4.9.8's schedule): topic configs, consumer offsets, delay offsets and subscription groups, so a
//! consumer that moves to the slave resumes where it was and the slave can take over reads.

use super::context::BrokerContext;
use crate::locks::lock;
use crate::protocol::consumer::{ConsumerOffsetSerializeWrapper, SubscriptionGroupWrapper};
use crate::protocol::fastjson;
use crate::protocol::topic::TopicConfigSerializeWrapper;
use crate::remoting::{RemotingCommand, RequestCode};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Period of a full sync (Apache 4.9.8: 10 s).
pub const SYNC_PERIOD: Duration = Duration::from_secs(10);
const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// Why one sync step failed.
#[derive(Debug, thiserror::Error)]
pub enum SlaveSyncError {
    #[error("{what} from master {addr}: {source}")]
    Call {
        what: &'static str,
        addr: String,
        #[source]
        source: crate::remoting::client::ClientError,
    },
    #[error("{what} from master {addr}: unreadable body: {reason}")]
    Body {
        what: &'static str,
        addr: String,
        reason: String,
    },
    #[error("{what}: cannot save: {reason}")]
    Save { what: &'static str, reason: String },
}

/// GET_ALL_DELAY_OFFSET body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DelayOffsetWrapper {
    offset_table: BTreeMap<i32, i64>,
}

/// Syncs every [`SYNC_PERIOD`] until shutdown; until the first sync it checks every second
/// whether the master is known yet.
pub async fn run(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    let mut synced = false;
    loop {
        let wait = if synced {
            SYNC_PERIOD
        } else {
            Duration::from_secs(1)
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => return,
        }
        if let Some(master) = ctx.master_addr() {
            sync_all(&ctx, &master).await;
            synced = true;
        }
    }
}

/// One full sync; each part is independent, failures are logged.
pub async fn sync_all(ctx: &BrokerContext, master: &str) {
    let results = [
        sync_topics(ctx, master).await,
        sync_offsets(ctx, master).await,
        sync_delay_offsets(ctx, master).await,
        sync_groups(ctx, master).await,
    ];
    for e in results.into_iter().filter_map(Result::err) {
        tracing::warn!(master, error = %e, "slave sync step failed; retrying next period");
    }
}

async fn fetch<T: serde::de::DeserializeOwned>(
    ctx: &BrokerContext,
    master: &str,
    code: RequestCode,
    what: &'static str,
) -> Result<T, SlaveSyncError> {
    let response = ctx
        .client
        .invoke_ok(master, RemotingCommand::request(code), CALL_TIMEOUT)
        .await
        .map_err(|source| SlaveSyncError::Call {
            what,
            addr: master.to_string(),
            source,
        })?;
    fastjson::from_slice(response.body_bytes()).map_err(|e| SlaveSyncError::Body {
        what,
        addr: master.to_string(),
        reason: e.to_string(),
    })
}

async fn sync_topics(ctx: &BrokerContext, master: &str) -> Result<(), SlaveSyncError> {
    let what = "topic configs";
    let wrapper: TopicConfigSerializeWrapper =
        fetch(ctx, master, RequestCode::GET_ALL_TOPIC_CONFIG, what).await?;
    let changed = wrapper.data_version != ctx.topics.data_version();
    ctx.topics
        .replace_all(wrapper)
        .map_err(|e| save_error(what, e))?;
    if changed {
        tracing::info!(master, "topic configs copied from the master");
    }
    Ok(())
}

/// Master entries win; groups only the slave knows are kept (Java's `putAll`).
async fn sync_offsets(ctx: &BrokerContext, master: &str) -> Result<(), SlaveSyncError> {
    let from_master: ConsumerOffsetSerializeWrapper = fetch(
        ctx,
        master,
        RequestCode::GET_ALL_CONSUMER_OFFSET,
        "consumer offsets",
    )
    .await?;
    let mut merged = ctx.offsets.wrapper();
    if merged.offset_table == from_master.offset_table {
        return Ok(());
    }
    merged.offset_table.extend(from_master.offset_table);
    merged.data_version = from_master.data_version;
    ctx.offsets.replace_all(merged);
    ctx.offsets
        .persist_if_dirty()
        .map_err(|e| save_error("consumer offsets", e))
}

async fn sync_delay_offsets(ctx: &BrokerContext, master: &str) -> Result<(), SlaveSyncError> {
    let wrapper: DelayOffsetWrapper = fetch(
        ctx,
        master,
        RequestCode::GET_ALL_DELAY_OFFSET,
        "delay offsets",
    )
    .await?;
    *lock(&ctx.delay_offsets) = wrapper.offset_table;
    Ok(())
}

async fn sync_groups(ctx: &BrokerContext, master: &str) -> Result<(), SlaveSyncError> {
    let what = "subscription groups";
    let wrapper: SubscriptionGroupWrapper = fetch(
        ctx,
        master,
        RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
        what,
    )
    .await?;
    if wrapper == ctx.groups.wrapper() {
        return Ok(());
    }
    ctx.groups
        .replace_all(wrapper)
        .map_err(|e| save_error(what, e))
}

fn save_error(what: &'static str, e: impl std::fmt::Display) -> SlaveSyncError {
    SlaveSyncError::Save {
        what,
        reason: e.to_string(),
    }
}
