//! `ArrivalWaiters`: long-polling support. Pull requests that found nothing wait on a per-queue
//! `Notify` that the store's arrival feed wakes when a message lands in that queue.

use super::store::MessageStore;
use crate::locks::lock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Per-queue wake-ups for suspended pulls.
#[derive(Debug, Default)]
pub struct ArrivalWaiters {
    queues: Mutex<HashMap<(String, i32), Arc<Notify>>>,
}

impl ArrivalWaiters {
    /// The notifier of one queue; create the `notified()` future before checking the queue so
    /// no arrival is missed.
    pub fn notifier(&self, topic: &str, queue_id: i32) -> Arc<Notify> {
        lock(&self.queues)
            .entry((topic.to_string(), queue_id))
            .or_default()
            .clone()
    }

    fn wake(&self, topic: &str, queue_id: i32) {
        let queues = lock(&self.queues);
        if let Some(n) = queues.get(&(topic.to_string(), queue_id)) {
            n.notify_waiters();
        }
    }

    /// Feed arrivals from the store until it shuts down.
    pub async fn run(self: Arc<Self>, store: MessageStore) {
        let mut rx = store.subscribe_arrivals();
        loop {
            match rx.recv().await {
                Ok(a) => self.wake(&a.topic, a.queue_id),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => self.wake_all(),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    fn wake_all(&self) {
        for n in lock(&self.queues).values() {
            n.notify_waiters();
        }
    }
}
