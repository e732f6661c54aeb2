//! `ScheduleService`: delivers delayed messages. A message with delay level L waits on
//! SCHEDULE_TOPIC_XXXX queue L-1; once its store time plus the level's delay has passed it is
//! stored again on its real topic and queue (Apache's `ScheduleMessageService`). Progress per
//! level is kept in `config/delayOffset.json`.

use super::context::BrokerContext;
use super::metadata::json_file::JsonFile;
use super::metadata::topics::SCHEDULE_TOPIC;
use super::store::{GetStatus, MessageToStore, PutStatus};
use crate::locks::lock;
use crate::protocol::message::{MessageConst, MessageRecord, Properties};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DelayOffsetFile {
    offset_table: BTreeMap<i32, i64>,
}

fn delay_file(ctx: &BrokerContext) -> JsonFile {
    JsonFile::new(
        ctx.config()
            .store_path_root_dir
            .join("config")
            .join("delayOffset.json"),
    )
}

/// Load saved progress into the context.
pub fn load_offsets(ctx: &BrokerContext) {
    match delay_file(ctx).load::<DelayOffsetFile>() {
        Ok(Some(f)) => *lock(&ctx.delay_offsets) = f.offset_table,
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(error = %e, "delay offsets not loaded; delayed messages restart from the beginning")
        }
    }
}

fn save_offsets(ctx: &BrokerContext) {
    let offset_table = lock(&ctx.delay_offsets).clone();
    if let Err(e) = delay_file(ctx).store(&DelayOffsetFile { offset_table }) {
        tracing::warn!(error = %e, "delay offsets not saved");
    }
}

/// Deliver due messages until shutdown (masters only).
pub async fn run(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    let mut ticks = 0u64;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = shutdown.changed() => break,
        }
        if ctx.identity.is_slave() {
            continue;
        }
        let levels = ctx.config().message_delay_level.levels().to_vec();
        let mut moved = false;
        for (i, delay) in levels.iter().enumerate() {
            moved |= deliver_level(&ctx, i as i32 + 1, *delay).await;
        }
        ticks += 1;
        if moved || ticks % 100 == 0 {
            save_offsets(&ctx);
        }
    }
    save_offsets(&ctx);
}

/// Deliver what is due on one level; returns whether progress was made.
async fn deliver_level(ctx: &BrokerContext, level: i32, delay: Duration) -> bool {
    let queue_id = level - 1;
    let mut offset = current_offset(ctx, level);
    let min = ctx.store.min_offset(SCHEDULE_TOPIC, queue_id);
    offset = offset.max(min);
    let result = ctx
        .store
        .get_messages(SCHEDULE_TOPIC, queue_id, offset, 32, 1 << 20, &|_| true);
    if result.status != GetStatus::Found {
        return false;
    }
    let now = crate::calendar::now_millis();
    let mut progressed = false;
    for (raw, queue_offset) in result.records.iter().zip(&result.queue_offsets) {
        let Ok(record) = MessageRecord::decode(raw) else {
            tracing::warn!(
                level,
                offset = queue_offset,
                "undecodable delayed message skipped"
            );
            set_offset(ctx, level, queue_offset + 1);
            continue;
        };
        if record.store_timestamp + delay.as_millis() as i64 > now {
            break;
        }
        let status = ctx.store.put_message(real_message(&record)).await.status;
        if status != PutStatus::PutOk
            && status != PutStatus::FlushSlaveTimeout
            && status != PutStatus::SlaveNotAvailable
        {
            tracing::warn!(
                level,
                status = status.name(),
                "delayed delivery failed; will retry"
            );
            break;
        }
        set_offset(ctx, level, queue_offset + 1);
        progressed = true;
    }
    progressed
}

fn current_offset(ctx: &BrokerContext, level: i32) -> i64 {
    *lock(&ctx.delay_offsets).get(&level).unwrap_or(&0)
}

fn set_offset(ctx: &BrokerContext, level: i32, offset: i64) {
    lock(&ctx.delay_offsets).insert(level, offset);
}

/// The delayed message as it goes to its real topic.
fn real_message(record: &MessageRecord) -> MessageToStore {
    let mut props = Properties::parse(&record.properties);
    let topic = props
        .remove(MessageConst::REAL_TOPIC)
        .unwrap_or_else(|| record.topic.clone());
    let queue_id = props
        .remove(MessageConst::REAL_QUEUE_ID)
        .and_then(|q| q.parse().ok())
        .unwrap_or(0);
    props.remove(MessageConst::DELAY_TIME_LEVEL);
    MessageToStore {
        topic,
        queue_id,
        flag: record.flag,
        body: record.body.clone(),
        properties: props.encode(),
        sys_flag: record.sys_flag,
        born_timestamp: record.born_timestamp,
        born_host: record.born_host,
        reconsume_times: record.reconsume_times,
        prepared_tx_offset: record.prepared_transaction_offset,
    }
}
