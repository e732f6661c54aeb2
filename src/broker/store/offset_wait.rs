//! `OffsetWaiters`: puts waiting until a commit-log offset is reached (flushed to disk for
//! SYNC_FLUSH, acknowledged by the slave for SYNC_MASTER). Each waiter is woken exactly once,
//! when the offset passes its end. A `watch` channel woke every waiting put on every change,
//! and each of them checked and slept again: with 64 producers that was dozens of task polls per
//! message.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::oneshot;

#[derive(Debug, Default)]
struct State {
    reached: u64,
    /// End offset -> puts waiting for it.
    waiting: BTreeMap<u64, Vec<oneshot::Sender<()>>>,
}

/// A monotonic offset with the puts waiting for it.
#[derive(Debug, Default)]
pub struct OffsetWaiters {
    state: Mutex<State>,
}

impl OffsetWaiters {
    pub fn new(reached: u64) -> Self {
        Self {
            state: Mutex::new(State {
                reached,
                waiting: BTreeMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        crate::locks::lock(&self.state)
    }

    pub fn reached(&self) -> u64 {
        self.lock().reached
    }

    /// Waits until the offset is at least `end`; false after `timeout`.
    pub async fn wait(&self, end: u64, timeout: Duration) -> bool {
        let rx = {
            let mut s = self.lock();
            if s.reached >= end {
                return true;
            }
            let (tx, rx) = oneshot::channel();
            s.waiting.entry(end).or_default().push(tx);
            rx
        };
        matches!(tokio::time::timeout(timeout, rx).await, Ok(Ok(())))
    }

    /// Moves the offset forward (never back) and wakes every put it now covers.
    pub fn advance(&self, to: u64) {
        let ready = {
            let mut s = self.lock();
            if to <= s.reached {
                return;
            }
            s.reached = to;
            take_covered(&mut s)
        };
        wake(ready);
    }

    /// Sets the offset, also backwards (a slave reconnecting reports where it really is).
    /// Puts above the new offset keep waiting.
    pub fn reset(&self, to: u64) {
        let ready = {
            let mut s = self.lock();
            s.reached = to;
            take_covered(&mut s)
        };
        wake(ready);
    }

    /// Waiters not yet woken.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        self.lock().waiting.values().map(Vec::len).sum()
    }
}

fn take_covered(s: &mut State) -> BTreeMap<u64, Vec<oneshot::Sender<()>>> {
    let above = s.waiting.split_off(&(s.reached + 1));
    std::mem::replace(&mut s.waiting, above)
}

fn wake(ready: BTreeMap<u64, Vec<oneshot::Sender<()>>>) {
    for tx in ready.into_values().flatten() {
        // A put that timed out dropped its receiver; nothing to do.
        let _ = tx.send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn wakes_each_waiter_once_when_covered() {
        let w = Arc::new(OffsetWaiters::new(100));
        assert!(
            w.wait(100, Duration::from_millis(1)).await,
            "already reached"
        );
        let spawn = |end: u64| {
            let w = w.clone();
            tokio::spawn(async move { w.wait(end, Duration::from_secs(5)).await })
        };
        let (a, b, c) = (spawn(150), spawn(150), spawn(300));
        while w.waiting() < 3 {
            tokio::task::yield_now().await;
        }
        w.advance(120);
        assert_eq!(w.waiting(), 3);
        w.advance(200);
        assert!(a.await.unwrap() && b.await.unwrap());
        assert_eq!(w.waiting(), 1);
        w.advance(150); // never backwards
        assert_eq!(w.reached(), 200);
        w.reset(50); // a reconnecting slave: lower, and the waiter at 300 still waits
        assert_eq!(w.reached(), 50);
        assert_eq!(w.waiting(), 1);
        w.advance(300);
        assert!(c.await.unwrap());
        assert_eq!(w.waiting(), 0);
    }

    #[tokio::test]
    async fn times_out() {
        let w = OffsetWaiters::new(0);
        assert!(!w.wait(10, Duration::from_millis(20)).await);
        // The expired waiter is dropped at the next advance.
        w.advance(10);
        assert_eq!(w.waiting(), 0);
    }
}
