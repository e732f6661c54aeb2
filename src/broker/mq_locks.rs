//! `QueueLocks`: which client holds each message queue of a group, for ordered consumers
//! (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ); a lock lapses after 60 s without renewal, as in Java.

use crate::locks::lock;
use crate::protocol::consumer::MessageQueue;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a lock lives without renewal (`REBALANCE_LOCK_MAX_LIVE_TIME`).
pub const LOCK_LIFETIME: Duration = Duration::from_secs(60);

/// Holder client id and when it last locked, per queue.
type GroupLocks = HashMap<MessageQueue, (String, Instant)>;

#[derive(Debug, Default)]
pub struct QueueLocks {
    table: Mutex<HashMap<String, GroupLocks>>,
}

impl QueueLocks {
    /// Lock (or renew) every queue free or already held by `client`; returns those it holds.
    pub fn lock(
        &self,
        group: &str,
        client: &str,
        mqs: &BTreeSet<MessageQueue>,
        now: Instant,
    ) -> BTreeSet<MessageQueue> {
        let mut table = lock(&self.table);
        let locks = table.entry(group.to_string()).or_default();
        let mut held = BTreeSet::new();
        for mq in mqs {
            let free = match locks.get(mq) {
                None => true,
                Some((owner, at)) => owner == client || now.duration_since(*at) > LOCK_LIFETIME,
            };
            if free {
                locks.insert(mq.clone(), (client.to_string(), now));
                held.insert(mq.clone());
            }
        }
        held
    }

    /// Release the queues `client` holds.
    pub fn unlock(&self, group: &str, client: &str, mqs: &BTreeSet<MessageQueue>) {
        let mut table = lock(&self.table);
        if let Some(locks) = table.get_mut(group) {
            for mq in mqs {
                if locks.get(mq).is_some_and(|(owner, _)| owner == client) {
                    locks.remove(mq);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_owner_until_unlock_or_expiry() {
        let l = QueueLocks::default();
        let mq = MessageQueue {
            broker_name: "b".into(),
            queue_id: 0,
            topic: "t".into(),
        };
        let set: BTreeSet<_> = [mq].into();
        let t0 = Instant::now();
        assert_eq!(l.lock("g", "c1", &set, t0).len(), 1);
        assert!(l.lock("g", "c2", &set, t0).is_empty());
        assert_eq!(
            l.lock("g", "c2", &set, t0 + LOCK_LIFETIME + Duration::from_secs(1))
                .len(),
            1
        );
        l.unlock("g", "c2", &set);
        assert_eq!(l.lock("g", "c1", &set, t0).len(), 1);
    }
}
