//! The records of a transaction, in Apache's layout: the half message a prepared send becomes,
//! the copies the check-back appends, the committed message, the op message that marks a half
//! message resolved, the copy kept in TRANS_CHECK_MAX_TIME_TOPIC, and the facts the broker
//! reads back from a stored half message.

use crate::broker::store::MessageToStore;
use crate::protocol::message::{
    new_unique_id, MessageConst, MessageRecord, MessageSysFlag, Properties,
};
use std::net::SocketAddr;

/// Where half messages wait (queue 0), invisible to consumers of their real topic.
pub const HALF_TOPIC: &str = MessageConst::TRANS_HALF_TOPIC;
/// One op message per resolved half message (queue 0): "never check this one again".
pub const OP_TOPIC: &str = MessageConst::TRANS_OP_HALF_TOPIC;
/// Half messages checked `transactionCheckMax` times without an answer end up here.
pub const CHECK_MAX_TIME_TOPIC: &str = MessageConst::TRANS_CHECK_MAX_TIME_TOPIC;
/// The consumer group whose offsets on the half and op queues record the check progress
/// (Apache's `MixAll.CID_SYS_RMQ_TRANS`).
pub const PROGRESS_GROUP: &str = "CID_RMQ_SYS_TRANS";
/// Tag of op messages (Apache's `TransactionalMessageUtil.REMOVE_TAG`).
pub const REMOVE_TAG: &str = "d";
/// The only queue of the half and op topics.
pub const QUEUE_ID: i32 = 0;

/// Whether a send is the first phase of a transaction: its sysFlag says TRANSACTION_PREPARED,
/// or its properties carry `TRAN_MSG=true` (what Apache's broker looks at).
pub fn is_prepared(sys_flag: i32, properties: Option<&str>) -> bool {
    MessageSysFlag::transaction_type(sys_flag) == MessageSysFlag::TRANSACTION_PREPARED_TYPE
        || properties
            .and_then(|p| {
                crate::protocol::message::find_property(p, MessageConst::TRANSACTION_PREPARED)
            })
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// A prepared send as it is stored: on the half topic, queue 0, with its real topic and queue
/// in `REAL_TOPIC`/`REAL_QID`, the producer group in `PGROUP` and the unique key as the
/// transaction id; the transaction bits cleared so the half queue indexes it.
pub fn half_message(mut msg: MessageToStore, producer_group: &str) -> MessageToStore {
    let mut props = Properties::parse(&msg.properties);
    if let Some(uniq) = props
        .get(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
        .map(str::to_string)
    {
        props.insert(MessageConst::TRANSACTION_ID, &uniq);
    }
    props.insert(MessageConst::TRANSACTION_PREPARED, "true");
    if props.get(MessageConst::PRODUCER_GROUP).is_none() && !producer_group.is_empty() {
        props.insert(MessageConst::PRODUCER_GROUP, producer_group);
    }
    props.insert(MessageConst::REAL_TOPIC, &msg.topic);
    props.insert(MessageConst::REAL_QUEUE_ID, &msg.queue_id.to_string());
    msg.properties = props.encode();
    msg.topic = HALF_TOPIC.to_string();
    msg.queue_id = QUEUE_ID;
    msg.sys_flag =
        MessageSysFlag::with_transaction_type(msg.sys_flag, MessageSysFlag::TRANSACTION_NOT_TYPE);
    msg
}

/// What the broker needs to know about a stored half message (or one of its copies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfFacts {
    /// Half-queue offset of the first half message of this transaction: the transaction's
    /// identity across the copies the check-back appends.
    pub origin: i64,
    pub real_topic: String,
    pub real_queue_id: i32,
    pub producer_group: String,
    /// The unique key (UNIQ_KEY) the producer knows the message by.
    pub uniq_key: String,
    /// Check requests sent so far (`TRANSACTION_CHECK_TIMES`).
    pub check_times: u32,
    /// The producer's `CHECK_IMMUNITY_TIME_IN_SECONDS`, if any.
    pub immunity_secs: Option<i64>,
}

/// Why a stored record is not a usable half message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotHalf {
    #[error("it is a message of topic {0}, not a half message")]
    Topic(String),
    #[error("it has no REAL_TOPIC/REAL_QID")]
    NoRealQueue,
}

impl HalfFacts {
    /// The facts of `record`, which must be on the half topic.
    pub fn of(record: &MessageRecord) -> Result<HalfFacts, NotHalf> {
        if record.topic != HALF_TOPIC {
            return Err(NotHalf::Topic(record.topic.clone()));
        }
        let props = record.properties_map();
        let real_topic = props
            .get(MessageConst::REAL_TOPIC)
            .ok_or(NotHalf::NoRealQueue)?
            .to_string();
        let real_queue_id = props
            .get(MessageConst::REAL_QUEUE_ID)
            .and_then(|q| q.trim().parse().ok())
            .ok_or(NotHalf::NoRealQueue)?;
        let number = |key: &str| props.get(key).and_then(|v| v.trim().parse::<i64>().ok());
        Ok(HalfFacts {
            origin: number(MessageConst::TRANSACTION_PREPARED_QUEUE_OFFSET)
                .unwrap_or(record.queue_offset),
            real_topic,
            real_queue_id,
            producer_group: props
                .get(MessageConst::PRODUCER_GROUP)
                .unwrap_or_default()
                .to_string(),
            uniq_key: props
                .get(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
                .unwrap_or_default()
                .to_string(),
            check_times: number(MessageConst::TRANSACTION_CHECK_TIMES)
                .map_or(0, |n| n.clamp(0, u32::MAX as i64) as u32),
            immunity_secs: number(MessageConst::CHECK_IMMUNITY_TIME_IN_SECONDS),
        })
    }

    /// How long after its birth the message is left alone: `transactionTimeOut`, or the
    /// producer's immunity time when that is longer (Apache's `getImmunityTime`).
    pub fn immunity_ms(&self, transaction_timeout_ms: u64) -> u64 {
        immunity_ms(self.immunity_secs, transaction_timeout_ms)
    }
}

/// `transactionTimeOut`, or the producer's `CHECK_IMMUNITY_TIME_IN_SECONDS` when longer.
pub fn immunity_ms(immunity_secs: Option<i64>, transaction_timeout_ms: u64) -> u64 {
    let custom = immunity_secs.map_or(0, |s| s.max(0).saturating_mul(1000) as u64);
    custom.max(transaction_timeout_ms)
}

/// The committed message: the half message on its real topic and queue, with sysFlag
/// TRANSACTION_COMMIT and the half message's commit-log offset as prepared-transaction offset.
pub fn committed_message(half: &MessageRecord, facts: &HalfFacts) -> MessageToStore {
    let mut props = half.properties_map();
    props.remove(MessageConst::REAL_TOPIC);
    props.remove(MessageConst::REAL_QUEUE_ID);
    props.remove(MessageConst::TRANSACTION_PREPARED);
    MessageToStore {
        topic: facts.real_topic.clone(),
        queue_id: facts.real_queue_id,
        flag: half.flag,
        body: half.body.clone(),
        properties: props.encode(),
        sys_flag: MessageSysFlag::with_transaction_type(
            half.sys_flag,
            MessageSysFlag::TRANSACTION_COMMIT_TYPE,
        ),
        born_timestamp: half.born_timestamp,
        born_host: half.born_host,
        reconsume_times: half.reconsume_times,
        prepared_tx_offset: half.commit_log_offset,
    }
}

/// The copy a check appends to the half queue: the same message with the number of checks
/// sent and the first half message's queue offset (`TRAN_PREPARED_QUEUE_OFFSET`, which Apache
/// also reads as "this copy belongs to that half message").
pub fn renewed_copy(latest: &MessageRecord, origin: i64, check_times: u32) -> MessageToStore {
    let mut props = latest.properties_map();
    props.insert(
        MessageConst::TRANSACTION_CHECK_TIMES,
        &check_times.to_string(),
    );
    props.insert(
        MessageConst::TRANSACTION_PREPARED_QUEUE_OFFSET,
        &origin.to_string(),
    );
    MessageToStore {
        topic: HALF_TOPIC.to_string(),
        queue_id: QUEUE_ID,
        flag: latest.flag,
        body: latest.body.clone(),
        properties: props.encode(),
        sys_flag: latest.sys_flag,
        born_timestamp: latest.born_timestamp,
        born_host: latest.born_host,
        reconsume_times: latest.reconsume_times,
        prepared_tx_offset: 0,
    }
}

/// The op message that resolves a transaction: tag `d`, body = the half-queue offsets it
/// removes, each followed by a comma (Apache 5.x format; 4.x wrote one offset without the
/// comma). The copy the producer answered and the first half message are both listed.
pub fn op_message(copy_offset: i64, origin: i64, store_host: SocketAddr) -> MessageToStore {
    let mut body = format!("{copy_offset},");
    if origin != copy_offset {
        body.push_str(&format!("{origin},"));
    }
    let mut props = Properties::new();
    props.insert(MessageConst::TAGS, REMOVE_TAG);
    props.insert(
        MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
        &new_unique_id(store_host.ip()),
    );
    MessageToStore::new(OP_TOPIC, QUEUE_ID, body, &props.encode(), store_host)
}

/// The half-queue offsets an op message removes; anything that is not a number is skipped.
pub fn op_offsets(body: &[u8]) -> Vec<i64> {
    String::from_utf8_lossy(body)
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The copy of a half message given up after `transactionCheckMax` checks.
pub fn discarded_message(latest: &MessageRecord) -> MessageToStore {
    MessageToStore {
        topic: CHECK_MAX_TIME_TOPIC.to_string(),
        queue_id: 0,
        flag: latest.flag,
        body: latest.body.clone(),
        properties: latest.properties.clone(),
        sys_flag: latest.sys_flag,
        born_timestamp: latest.born_timestamp,
        born_host: latest.born_host,
        reconsume_times: latest.reconsume_times,
        prepared_tx_offset: 0,
    }
}

/// The body of CHECK_TRANSACTION_STATE: the copy in stored format, shown with its real topic
/// and queue (Apache's `sendCheckMessage`).
pub fn check_body(copy: &MessageRecord, facts: &HalfFacts) -> Option<Vec<u8>> {
    let mut shown = copy.clone();
    shown.topic = facts.real_topic.clone();
    shown.queue_id = facts.real_queue_id;
    shown.version = crate::protocol::message::MessageVersion::for_topic(&shown.topic);
    shown.encode().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::message::MessageVersion;

    fn prepared_send() -> MessageToStore {
        let mut props = Properties::new();
        props.insert("TAGS", "TagA");
        props.insert("UNIQ_KEY", "U1");
        props.insert("TRAN_MSG", "true");
        props.insert("PGROUP", "pg");
        let mut m = MessageToStore::new(
            "Orders",
            3,
            "body",
            &props.encode(),
            "10.0.0.2:5000".parse().unwrap(),
        );
        m.sys_flag = MessageSysFlag::TRANSACTION_PREPARED_TYPE;
        m
    }

    fn stored(msg: &MessageToStore, queue_offset: i64, phys: i64) -> MessageRecord {
        MessageRecord {
            version: MessageVersion::V1,
            body_crc: 0,
            queue_id: msg.queue_id,
            flag: msg.flag,
            queue_offset,
            commit_log_offset: phys,
            sys_flag: msg.sys_flag,
            born_timestamp: msg.born_timestamp,
            born_host: msg.born_host,
            store_timestamp: msg.born_timestamp + 1,
            store_host: "10.0.0.1:10911".parse().unwrap(),
            reconsume_times: 0,
            prepared_transaction_offset: msg.prepared_tx_offset,
            body: msg.body.clone(),
            topic: msg.topic.clone(),
            properties: msg.properties.clone(),
        }
    }

    #[test]
    fn a_prepared_send_is_recognised_by_sys_flag_or_property() {
        assert!(is_prepared(4, None));
        assert!(is_prepared(4 | 1, Some("")));
        assert!(is_prepared(0, Some("TRAN_MSG\u{1}true\u{2}")));
        assert!(!is_prepared(0, Some("TRAN_MSG\u{1}false\u{2}")));
        assert!(!is_prepared(8, None));
    }

    #[test]
    fn a_half_message_waits_on_the_half_topic_and_commits_to_its_real_queue() {
        let half = half_message(prepared_send(), "pg");
        assert_eq!((half.topic.as_str(), half.queue_id), (HALF_TOPIC, 0));
        assert_eq!(MessageSysFlag::transaction_type(half.sys_flag), 0);
        let record = stored(&half, 7, 4096);
        let facts = HalfFacts::of(&record).unwrap();
        assert_eq!(facts.origin, 7);
        assert_eq!(
            (facts.real_topic.as_str(), facts.real_queue_id),
            ("Orders", 3)
        );
        assert_eq!(facts.producer_group, "pg");
        assert_eq!(facts.uniq_key, "U1");
        assert_eq!(record.property("__transactionId__"), Some("U1"));

        let committed = committed_message(&record, &facts);
        assert_eq!(
            (committed.topic.as_str(), committed.queue_id),
            ("Orders", 3)
        );
        assert_eq!(committed.sys_flag, MessageSysFlag::TRANSACTION_COMMIT_TYPE);
        assert_eq!(committed.prepared_tx_offset, 4096);
        let props = Properties::parse(&committed.properties);
        assert_eq!(props.get("REAL_TOPIC"), None);
        assert_eq!(props.get("TRAN_MSG"), None);
        assert_eq!(props.get("TAGS"), Some("TagA"));
        assert_eq!(props.get("UNIQ_KEY"), Some("U1"));
    }

    #[test]
    fn a_half_message_without_pgroup_takes_the_senders_group() {
        let mut send = prepared_send();
        send.properties = "UNIQ_KEY\u{1}U2\u{2}".into();
        let half = half_message(send, "from-header");
        let facts = HalfFacts::of(&stored(&half, 0, 0)).unwrap();
        assert_eq!(facts.producer_group, "from-header");
    }

    #[test]
    fn copies_count_checks_and_point_at_the_first_half_message() {
        let half = half_message(prepared_send(), "pg");
        let first = stored(&half, 7, 4096);
        let copy = renewed_copy(&first, 7, 1);
        let copy_record = stored(&copy, 12, 9000);
        let facts = HalfFacts::of(&copy_record).unwrap();
        assert_eq!((facts.origin, facts.check_times), (7, 1));
        let again = renewed_copy(&copy_record, facts.origin, 2);
        let facts = HalfFacts::of(&stored(&again, 20, 9900)).unwrap();
        assert_eq!((facts.origin, facts.check_times), (7, 2));
    }

    #[test]
    fn op_bodies_list_offsets_with_trailing_commas_and_parse_both_formats() {
        let host = "10.0.0.1:10911".parse().unwrap();
        let op = op_message(12, 7, host);
        assert_eq!(op.body.as_ref(), b"12,7,");
        assert_eq!(op_message(7, 7, host).body.as_ref(), b"7,");
        assert_eq!(op_offsets(b"12,7,"), vec![12, 7]);
        assert_eq!(op_offsets(b"5"), vec![5]);
        assert_eq!(op_offsets(b"x,,3,"), vec![3]);
        assert_eq!(Properties::parse(&op.properties).get("TAGS"), Some("d"));
    }

    #[test]
    fn records_that_are_not_half_messages_are_refused() {
        let plain = MessageToStore::new("T", 0, "x", "", "10.0.0.2:1".parse().unwrap());
        assert_eq!(
            HalfFacts::of(&stored(&plain, 0, 0)),
            Err(NotHalf::Topic("T".into()))
        );
        let mut no_real = plain.clone();
        no_real.topic = HALF_TOPIC.into();
        assert_eq!(
            HalfFacts::of(&stored(&no_real, 0, 0)),
            Err(NotHalf::NoRealQueue)
        );
    }

    #[test]
    fn the_immunity_time_is_never_shorter_than_the_transaction_timeout() {
        let mut facts = HalfFacts::of(&stored(&half_message(prepared_send(), "pg"), 0, 0)).unwrap();
        assert_eq!(facts.immunity_ms(6000), 6000);
        facts.immunity_secs = Some(20);
        assert_eq!(facts.immunity_ms(6000), 20_000);
        facts.immunity_secs = Some(2);
        assert_eq!(facts.immunity_ms(6000), 6000);
    }

    #[test]
    fn the_check_body_shows_the_real_topic_and_queue() {
        let half = half_message(prepared_send(), "pg");
        let record = stored(&half, 7, 4096);
        let facts = HalfFacts::of(&record).unwrap();
        let body = check_body(&record, &facts).unwrap();
        let shown = MessageRecord::decode(&body).unwrap();
        assert_eq!((shown.topic.as_str(), shown.queue_id), ("Orders", 3));
        assert_eq!((shown.queue_offset, shown.commit_log_offset), (7, 4096));
        assert_eq!(shown.uniq_key(), Some("U1"));
    }
}
