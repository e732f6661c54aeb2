//! The key index keeps no per-message heap data: while keys arrive it holds at most the last
//! file's slot area (the write-back cache) plus a bounded entry buffer, and it gives that back
//! once the index has been idle for a checkpoint. Measured in a process of its own
//! (`common::in_own_process`) so no other test shares it.

use crate::common;

use common::*;
use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore};

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn index_memory_does_not_grow_with_keys() {
    if common::in_own_process(module_path!(), "index_memory_does_not_grow_with_keys") {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(measure_index_memory());
    }
}

async fn measure_index_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path(), FlushMode::Async);
    c.commit_log_file_size = 64 * 1024 * 1024;
    c.consume_queue_file_size = 20 * 300_000;
    c.flush_consume_queue_interval_ms = 200;
    let slot_area_kb = c.max_hash_slot_num as u64 * 4 / 1024;
    let store = MessageStore::open(c).unwrap();
    let put = |from: usize, n: usize| {
        let store = store.clone();
        async move {
            for b in 0..n / 100 {
                let batch: Vec<_> = (0..100)
                    .map(|j| {
                        let i = from + b * 100 + j;
                        MessageToStore::new(
                            "M",
                            0,
                            vec![b'x'; 8],
                            &props("", &format!("key-{i} k2-{i}"), &format!("U{i}")),
                            born_host(),
                        )
                    })
                    .collect();
                assert!(store.put_messages(batch).await.appended.is_some());
            }
        }
    };
    put(0, 2_000).await;
    let Some(before) = rss_kb() else {
        common::prerequisite_missing("/proc/self/status (VmRSS) to measure memory");
        return;
    };
    put(2_000, 300_000).await;
    let after = rss_kb().unwrap();
    eprintln!("RSS {before} kB -> {after} kB while adding 900,000 keys");
    // An in-memory index of 900,000 keys would take well over 50 MB; the cache is bounded by
    // the slot area (19.5 MB with the default 5,000,000 slots) and a 1 MiB entry buffer.
    assert!(
        after.saturating_sub(before) < slot_area_kb + 6 * 1024,
        "RSS grew from {before} kB to {after} kB"
    );
    // Checkpoints without keys (every 200 ms): the cache is written and released.
    let start = std::time::Instant::now();
    let idle = loop {
        let idle = rss_kb().unwrap();
        if idle.saturating_sub(before) < 6 * 1024 || start.elapsed().as_secs() >= 60 {
            break idle;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    eprintln!(
        "RSS {idle} kB {:?} after the index went idle",
        start.elapsed()
    );
    assert!(
        idle.saturating_sub(before) < 6 * 1024,
        "idle RSS {idle} kB after 60 s, {before} kB before the keys"
    );
    assert_eq!(
        store
            .query_by_key("M", "key-12345", 10, 0, i64::MAX, false)
            .len(),
        1
    );
    store.shutdown().await;
}
