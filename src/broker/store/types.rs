//! What goes into and comes out of the store: messages to put, put and get results, statuses
//! and the Apache response codes they map to.

use std::net::SocketAddr;

use bytes::Bytes;

/// A message to append (the broker has already set UNIQ_KEY, CLUSTER etc. in `properties`).
#[derive(Debug, Clone)]
pub struct MessageToStore {
    pub topic: String,
    pub queue_id: i32,
    pub flag: i32,
    /// Stored as is (compressed if `sys_flag` says so).
    pub body: Bytes,
    /// Encoded properties string (section 6.4).
    pub properties: String,
    pub sys_flag: i32,
    pub born_timestamp: i64,
    pub born_host: SocketAddr,
    pub reconsume_times: i32,
    pub prepared_tx_offset: i64,
}

impl MessageToStore {
    /// A plain message born now at `born_host`.
    pub fn new(
        topic: &str,
        queue_id: i32,
        body: impl Into<Bytes>,
        properties: &str,
        born_host: SocketAddr,
    ) -> Self {
        Self {
            topic: topic.to_string(),
            queue_id,
            flag: 0,
            body: body.into(),
            properties: properties.to_string(),
            sys_flag: 0,
            born_timestamp: crate::calendar::now_millis(),
            born_host,
            reconsume_times: 0,
            prepared_tx_offset: 0,
        }
    }
}

/// Store result of a put (Java's `PutMessageStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutStatus {
    PutOk,
    FlushDiskTimeout,
    FlushSlaveTimeout,
    SlaveNotAvailable,
    /// Too large, empty topic, or a batch mixing queues.
    MessageIllegal,
    PropertiesSizeExceeded,
    /// Disk above diskMaxUsedSpaceRatio or full, slave role, or shutting down.
    ServiceNotAvailable,
    OsPageCacheBusy,
    UnknownError,
}

impl PutStatus {
    /// The SEND response code (`SendMessageProcessor.handlePutMessageResult`).
    pub fn response_code(self) -> i32 {
        match self {
            Self::PutOk => 0,
            Self::FlushDiskTimeout => 10,
            Self::FlushSlaveTimeout => 12,
            Self::SlaveNotAvailable => 11,
            Self::MessageIllegal | Self::PropertiesSizeExceeded => 13,
            Self::ServiceNotAvailable => 14,
            Self::OsPageCacheBusy => 2,
            Self::UnknownError => 1,
        }
    }

    /// Java's enum name (`PUT_OK`, ...), usable in remarks.
    pub fn name(self) -> &'static str {
        match self {
            Self::PutOk => "PUT_OK",
            Self::FlushDiskTimeout => "FLUSH_DISK_TIMEOUT",
            Self::FlushSlaveTimeout => "FLUSH_SLAVE_TIMEOUT",
            Self::SlaveNotAvailable => "SLAVE_NOT_AVAILABLE",
            Self::MessageIllegal => "MESSAGE_ILLEGAL",
            Self::PropertiesSizeExceeded => "PROPERTIES_SIZE_EXCEEDED",
            Self::ServiceNotAvailable => "SERVICE_NOT_AVAILABLE",
            Self::OsPageCacheBusy => "OS_PAGECACHE_BUSY",
            Self::UnknownError => "UNKNOWN_ERROR",
        }
    }

    /// Whether the message was stored (the client treats 10/11/12 as sent, too).
    pub fn is_stored(self) -> bool {
        matches!(
            self,
            Self::PutOk
                | Self::FlushDiskTimeout
                | Self::FlushSlaveTimeout
                | Self::SlaveNotAvailable
        )
    }
}

/// Where a put landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendInfo {
    /// Commit-log offset of the first record.
    pub phys_offset: u64,
    /// Bytes of all records (excluding any end-of-file filler written before them).
    pub wrote_bytes: u64,
    /// Queue offset of the first record (0 for prepared/rollback transaction records).
    pub queue_offset: i64,
    /// Offset message id(s), comma-joined for a batch.
    pub msg_id: String,
    pub store_timestamp: i64,
    pub msg_count: u32,
}

/// Outcome of a put: the status, and where it went if it was appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutResult {
    pub status: PutStatus,
    pub appended: Option<AppendInfo>,
}

impl PutResult {
    pub fn refused(status: PutStatus) -> Self {
        Self {
            status,
            appended: None,
        }
    }
}

/// Java's `GetMessageStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetStatus {
    Found,
    NoMatchedMessage,
    MessageWasRemoving,
    OffsetFoundNull,
    OffsetOverflowBadly,
    OffsetOverflowOne,
    OffsetTooSmall,
    NoMatchedLogicQueue,
    NoMessageInQueue,
}

impl GetStatus {
    /// The enum name Java puts in the PULL response remark.
    pub fn name(self) -> &'static str {
        match self {
            Self::Found => "FOUND",
            Self::NoMatchedMessage => "NO_MATCHED_MESSAGE",
            Self::MessageWasRemoving => "MESSAGE_WAS_REMOVING",
            Self::OffsetFoundNull => "OFFSET_FOUND_NULL",
            Self::OffsetOverflowBadly => "OFFSET_OVERFLOW_BADLY",
            Self::OffsetOverflowOne => "OFFSET_OVERFLOW_ONE",
            Self::OffsetTooSmall => "OFFSET_TOO_SMALL",
            Self::NoMatchedLogicQueue => "NO_MATCHED_LOGIC_QUEUE",
            Self::NoMessageInQueue => "NO_MESSAGE_IN_QUEUE",
        }
    }

    /// PULL response code (`PullMessageProcessor.composeResponseHeader`) for a request at
    /// `queue_offset`.
    pub fn pull_response_code(self, queue_offset: i64) -> i32 {
        match self {
            Self::Found => 0,
            Self::NoMatchedMessage | Self::MessageWasRemoving => 20,
            Self::NoMessageInQueue | Self::NoMatchedLogicQueue => {
                if queue_offset != 0 {
                    21
                } else {
                    19
                }
            }
            Self::OffsetFoundNull | Self::OffsetOverflowOne => 19,
            Self::OffsetOverflowBadly | Self::OffsetTooSmall => 21,
        }
    }
}

/// Result of `get_messages`.
#[derive(Debug, Clone)]
pub struct GetResult {
    pub status: GetStatus,
    pub next_begin_offset: i64,
    pub min_offset: i64,
    pub max_offset: i64,
    /// Raw stored records, ready to concatenate into a PULL body.
    pub records: Vec<Bytes>,
    /// Queue offset of each record in `records`.
    pub queue_offsets: Vec<i64>,
}

impl GetResult {
    /// Total bytes of `records`.
    pub fn body_size(&self) -> usize {
        self.records.iter().map(|r| r.len()).sum()
    }
}

/// Which side of a timestamp `offset_by_timestamp` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryType {
    /// First offset stored at or after the timestamp.
    Lower,
    /// Last offset stored at or before the timestamp.
    Upper,
}

/// A queue and its logical bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueInfo {
    pub topic: String,
    pub queue_id: i32,
    pub min_offset: i64,
    pub max_offset: i64,
}

/// Sent on every arrival so long-polling pulls can wake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageArrival {
    pub topic: String,
    pub queue_id: i32,
    /// The queue's max offset after the arrival.
    pub max_offset: i64,
}

/// Counters for GET_BROKER_RUNTIME_INFO.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreStats {
    pub put_message_times_total: u64,
    pub put_message_size_total: u64,
    pub put_message_failed_times: u64,
    pub get_message_times_total: u64,
    pub get_message_found_total: u64,
    pub flush_count: u64,
    pub commit_log_min_offset: u64,
    pub commit_log_max_offset: u64,
    pub flushed_offset: u64,
    /// Used fraction (0.0-1.0) of the commit log's file system.
    pub commit_log_disk_ratio: f64,
    pub disk_full: bool,
    pub start_timestamp: i64,
}
