//! One queue's consume progress when messages finish out of order: the offset that may be
//! committed is the lowest one not yet finished (acked or sent back), or the next offset to pull
//! when nothing is in flight. Committing it never skips an unfinished message (at-least-once).

use std::collections::BTreeSet;

#[derive(Debug, Clone, Default)]
pub struct OffsetTracker {
    in_flight: BTreeSet<i64>,
    /// The offset the next pull starts at (the broker's `nextBeginOffset`).
    next: i64,
}

impl OffsetTracker {
    /// A queue whose consumption starts at `offset`.
    pub fn starting_at(offset: i64) -> Self {
        OffsetTracker {
            in_flight: BTreeSet::new(),
            next: offset,
        }
    }

    /// Messages at `offsets` were pulled; the next pull starts at `next` (filtered-out offsets
    /// between them are done at once).
    pub fn pulled(&mut self, offsets: impl IntoIterator<Item = i64>, next: i64) {
        self.in_flight.extend(offsets);
        self.next = self.next.max(next);
    }

    /// The broker moved the pull offset (offset illegal/reset): only when nothing is in flight.
    pub fn reset(&mut self, offset: i64) -> bool {
        if self.in_flight.is_empty() {
            self.next = offset;
            true
        } else {
            false
        }
    }

    /// The message at `offset` was acked or sent back.
    pub fn finished(&mut self, offset: i64) {
        self.in_flight.remove(&offset);
    }

    /// What may be committed now.
    pub fn committable(&self) -> i64 {
        self.in_flight.first().copied().unwrap_or(self.next)
    }

    pub fn next_pull(&self) -> i64 {
        self.next
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn commit_waits_for_the_lowest_unfinished() {
        let mut t = OffsetTracker::starting_at(10);
        assert_eq!(t.committable(), 10);
        t.pulled([10, 11, 12], 13);
        t.finished(11);
        t.finished(12);
        assert_eq!(t.committable(), 10);
        t.finished(10);
        assert_eq!(t.committable(), 13);
        assert!(t.reset(20));
        t.pulled([20], 25);
        assert!(!t.reset(0));
        assert_eq!(t.committable(), 20);
    }

    proptest! {
        /// Whatever order messages finish in, the committable offset never passes an
        /// unfinished one and never goes back.
        #[test]
        fn never_passes_an_unfinished_message(order in Just((0i64..40).collect::<Vec<_>>()).prop_shuffle()) {
            let mut t = OffsetTracker::starting_at(0);
            t.pulled(0..40, 40);
            let mut done = BTreeSet::new();
            let mut last = 0;
            for o in order {
                t.finished(o);
                done.insert(o);
                let c = t.committable();
                prop_assert!(c >= last);
                prop_assert!((0..c).all(|x| done.contains(&x)));
                last = c;
            }
            prop_assert_eq!(t.committable(), 40);
        }
    }
}
