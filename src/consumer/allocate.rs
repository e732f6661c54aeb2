//! Apache's `AllocateMessageQueueAveragely`: every member of a group sorts the queues and the
//! member ids the same way and takes its own contiguous share, so the members agree on who owns
//! each queue without talking to each other.

/// The share of `queues` (sorted by the caller, the same order on every member) that belongs to
/// `me` among `members` (sorted likewise). Empty when `me` is not a member yet.
pub fn allocate_averagely<'q, Q>(queues: &'q [Q], members: &[String], me: &str) -> &'q [Q] {
    let Some(index) = members.iter().position(|m| m == me) else {
        return &[];
    };
    let (n, m) = (queues.len(), members.len());
    let base = n / m;
    let extra = n % m;
    // The first `extra` members take one queue more (Java's mod/averageSize arithmetic).
    let size = if index < extra { base + 1 } else { base };
    let start = if index < extra {
        index * (base + 1)
    } else {
        index * base + extra
    };
    if size == 0 || start >= n {
        return &[];
    }
    &queues[start..(start + size).min(n)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn members(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn matches_apache_examples() {
        let q: Vec<i32> = (0..8).collect();
        let m = members(3);
        assert_eq!(allocate_averagely(&q, &m, "c0"), &[0, 1, 2]);
        assert_eq!(allocate_averagely(&q, &m, "c1"), &[3, 4, 5]);
        assert_eq!(allocate_averagely(&q, &m, "c2"), &[6, 7]);
        assert!(allocate_averagely(&q, &m, "stranger").is_empty());
        let m = members(10);
        assert_eq!(allocate_averagely(&q, &m, "c7"), &[7]);
        assert!(allocate_averagely(&q, &m, "c8").is_empty());
    }

    proptest! {
        /// Every queue has exactly one owner and shares differ by at most one.
        #[test]
        fn every_queue_owned_once(nq in 0usize..64, nm in 1usize..12) {
            let q: Vec<usize> = (0..nq).collect();
            let m = members(nm);
            let shares: Vec<&[usize]> = m.iter().map(|me| allocate_averagely(&q, &m, me)).collect();
            let all: Vec<usize> = shares.iter().flat_map(|s| s.iter().copied()).collect();
            prop_assert_eq!(&all, &q);
            let (lo, hi) = (shares.iter().map(|s| s.len()).min().unwrap(), shares.iter().map(|s| s.len()).max().unwrap());
            prop_assert!(hi - lo <= 1);
        }
    }
}
