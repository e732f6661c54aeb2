//! The key index keeps no per-message heap data: RSS stays flat while keys are added. Alone in
//! its own test binary so no other test shares the process.

mod common;

use common::*;
use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore};

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn index_memory_does_not_grow_with_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path(), FlushMode::Async);
    c.commit_log_file_size = 64 * 1024 * 1024;
    c.consume_queue_file_size = 20 * 300_000;
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
    put(0, 20_000).await;
    let Some(before) = rss_kb() else { return };
    put(20_000, 70_000).await;
    let after = rss_kb().unwrap();
    eprintln!("RSS {before} kB -> {after} kB");
    // 70 000 messages × 3 keys: the old in-memory index grew by ~20 MB here.
    assert!(
        after.saturating_sub(before) < 6 * 1024,
        "RSS grew from {before} kB to {after} kB"
    );
    assert_eq!(
        store
            .query_by_key("M", "key-12345", 10, 0, i64::MAX, false)
            .len(),
        1
    );
    store.shutdown().await;
}
