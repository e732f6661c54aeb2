//! The durable message store of the bundled broker, in Apache RocketMQ's on-disk layout
//! (remoting-protocol.md section 6): commit log in fixed-size segments, 20-byte consume-queue
//! entries, `checkpoint`, `abort` marker and `lock` file, crash recovery, group-commit flushing,
//! retention, an on-disk key index (Apache `IndexFile` layout) and the hooks master/slave replication needs.
//!
//! Layout under `storePathRootDir`: `commitlog/<20-digit offset>`,
//! `consumequeue/<topic>/<queueId>/<20-digit offset>`, `index/<yyyyMMddHHmmssSSS>`, `checkpoint`, `abort`, `lock`.

mod checkpoint;
mod commit_log;
mod config;
mod consume_queue;
mod dispatch;
mod error;
mod flush;
mod index;
mod lock;
mod message_store;
mod offset_wait;
mod recovery;
mod replica;
mod retention;
mod segment;
mod types;
mod write_failure;

pub use config::{parse_delete_when, FlushMode, ReplicationRole, StoreConfig};
pub use consume_queue::{CqEntry, CQ_ENTRY_SIZE};
pub use dispatch::tags_code;
pub use error::StoreError;
pub use message_store::{unspecified_host, ArrivalInterest, MessageStore};
pub use recovery::{Corruption, IndexRecovery, RecoveryReport};
pub use replica::ReplicaProgress;
pub use retention::disk_used_ratio;
pub use types::{
    AppendInfo, BoundaryType, GetResult, GetStatus, MessageArrival, MessageToStore, PutResult,
    PutStatus, QueueInfo, StoreStats,
};
