//! The topics Apache's `TopicValidator` reserves: the ones the broker alone writes (delayed
//! messages, transaction halves and ops, its events), which producers may not send to, and the
//! wider set of system topics an admin may not create, change or delete.

use super::message::MessageConst;
use super::topic::AUTO_CREATE_TOPIC_KEY;

/// Delayed messages wait here, on queue `level - 1`, until their delivery time.
pub const SCHEDULE_TOPIC: &str = MessageConst::SCHEDULE_TOPIC;
/// Half (prepared transaction) messages, queue 0.
pub const TRANS_HALF_TOPIC: &str = MessageConst::TRANS_HALF_TOPIC;
/// Op messages that mark half messages resolved, queue 0.
pub const TRANS_OP_HALF_TOPIC: &str = MessageConst::TRANS_OP_HALF_TOPIC;
/// Half messages given up after `transactionCheckMax` checks.
pub const TRANS_CHECK_MAX_TIME_TOPIC: &str = MessageConst::TRANS_CHECK_MAX_TIME_TOPIC;
pub const SELF_TEST_TOPIC: &str = "SELF_TEST_TOPIC";
pub const OFFSET_MOVED_EVENT: &str = "OFFSET_MOVED_EVENT";
pub const BENCHMARK_TOPIC: &str = "BenchmarkTest";

/// The transaction topics: written by the broker only.
pub fn is_transaction_topic(name: &str) -> bool {
    matches!(
        name,
        TRANS_HALF_TOPIC | TRANS_OP_HALF_TOPIC | TRANS_CHECK_MAX_TIME_TOPIC
    )
}

/// Topics producers may not send to (`TopicValidator.NOT_ALLOWED_SEND_TOPIC_SET`): a message
/// sent there directly would be taken for one of the broker's own.
pub fn is_not_allowed_send_topic(name: &str) -> bool {
    matches!(name, SCHEDULE_TOPIC | SELF_TEST_TOPIC | OFFSET_MOVED_EVENT)
        || is_transaction_topic(name)
}

/// Topics an admin may not create, change or delete: the not-allowed-send set, TBW102 and the
/// `rmq_sys_`/`RMQ_SYS_` names.
pub fn is_system_topic(name: &str) -> bool {
    is_not_allowed_send_topic(name)
        || name == AUTO_CREATE_TOPIC_KEY
        || name.starts_with("rmq_sys_")
        || name.starts_with("RMQ_SYS_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_refusals_are_apaches_set_and_system_topics_widen_it() {
        for t in [
            "SCHEDULE_TOPIC_XXXX",
            "RMQ_SYS_TRANS_HALF_TOPIC",
            "RMQ_SYS_TRANS_OP_HALF_TOPIC",
            "TRANS_CHECK_MAX_TIME_TOPIC",
            "SELF_TEST_TOPIC",
            "OFFSET_MOVED_EVENT",
        ] {
            assert!(is_not_allowed_send_topic(t), "{t}");
            assert!(is_system_topic(t), "{t}");
        }
        for t in ["TBW102", "RMQ_SYS_TRACE_TOPIC", "rmq_sys_x"] {
            assert!(!is_not_allowed_send_topic(t), "{t}");
            assert!(is_system_topic(t), "{t}");
        }
        for t in ["BenchmarkTest", "Orders", "%RETRY%g"] {
            assert!(!is_system_topic(t), "{t}");
        }
    }
}
