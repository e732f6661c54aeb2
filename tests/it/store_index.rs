//! On-disk key index: survives restarts without a commit-log scan, rolls over, filters by time
//! and unique key, follows commit-log truncation, rebuilds corrupt files, keeps memory flat.

use crate::common;

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use common::*;
use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore, StoreConfig};
use rmqctl::protocol::message::MessageRecord;

fn keyed(topic: &str, i: usize, keys: &str, uniq: &str) -> MessageToStore {
    MessageToStore::new(topic, 0, body(i, 100), &props("", keys, uniq), born_host())
}

fn small_index(dir: &Path) -> StoreConfig {
    let mut c = config(dir, FlushMode::Sync);
    c.max_hash_slot_num = 8;
    c.max_index_num = 5;
    c
}

fn index_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn bodies(hits: &[bytes::Bytes]) -> Vec<Vec<u8>> {
    hits.iter()
        .map(|h| MessageRecord::decode(h).unwrap().body.to_vec())
        .collect()
}

#[tokio::test]
async fn index_survives_restart_without_rescanning_and_rolls_over() {
    let dir = tempfile::tempdir().unwrap();
    let store = MessageStore::open(small_index(dir.path())).unwrap();
    for i in 0..30 {
        let k = format!("k{} all", i % 3);
        let r = store.put_message(keyed("T", i, &k, &format!("U{i}"))).await;
        assert!(r.appended.is_some());
    }
    // 4 usable entries per file, 3 keys per message.
    assert!(
        store.index_file_count() >= 20,
        "{}",
        store.index_file_count()
    );
    let (ts, phy) = store.index_last_update();
    assert!(ts > 0);
    store.shutdown().await;

    let store = MessageStore::open(small_index(dir.path())).unwrap();
    // Only the last indexed record is looked at again.
    assert!(store.index_recovery().records <= 1);
    assert!(store.index_recovery().problems.is_empty());
    assert_eq!(store.index_last_update(), (ts, phy));
    let hits = store.query_by_key("T", "all", 100, 0, i64::MAX, false);
    let expected: Vec<Vec<u8>> = (0..30).rev().map(|i| body(i, 100)).collect();
    assert_eq!(bodies(&hits), expected);
    let hits = store.query_by_key("T", "k1", 3, 0, i64::MAX, false);
    assert_eq!(
        bodies(&hits),
        vec![body(28, 100), body(25, 100), body(22, 100)]
    );
    // Unique lookups see only UNIQ_KEY.
    assert_eq!(
        bodies(&store.query_by_key("T", "U7", 10, 0, i64::MAX, true)),
        vec![body(7, 100)]
    );
    assert!(store
        .query_by_key("T", "all", 10, 0, i64::MAX, true)
        .is_empty());
    assert!(store
        .query_by_key("Other", "all", 10, 0, i64::MAX, false)
        .is_empty());
    store.shutdown().await;
}

#[tokio::test]
async fn index_is_not_rebuilt_from_old_commit_log_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    for i in 0..40 {
        store
            .put_message(keyed("T", i, "k", &format!("U{i}")))
            .await
            .appended
            .unwrap();
    }
    store.shutdown().await;
    // Remove the keys from an old record: a full re-index would lose it; the index file keeps it.
    let seg = dir.path().join("commitlog/00000000000000000000");
    let raw = std::fs::read(&seg).unwrap();
    let at = raw
        .windows(4)
        .position(|w| w == b"KEYS")
        .expect("first record's KEYS");
    let f = std::fs::OpenOptions::new().write(true).open(&seg).unwrap();
    f.write_all_at(b"XXXX", at as u64).unwrap();
    drop(f);

    let store = open(dir.path(), FlushMode::Sync);
    assert!(store.index_recovery().records <= 1);
    let idx = dir.path().join("index");
    assert_eq!(std::fs::read_dir(&idx).unwrap().count(), 1);
    // 40 candidates from the index; the edited record no longer carries KEYS, so 39 match.
    assert_eq!(
        store.query_by_key("T", "k", 100, 0, i64::MAX, false).len(),
        39
    );
    store.shutdown().await;
}

#[tokio::test]
async fn time_range_filtering() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    let a = store
        .put_message(keyed("T", 1, "k", ""))
        .await
        .appended
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let b = store
        .put_message(keyed("T", 2, "k", ""))
        .await
        .appended
        .unwrap();
    let q = |begin, end| bodies(&store.query_by_key("T", "k", 10, begin, end, false));
    assert_eq!(q(0, i64::MAX), vec![body(2, 100), body(1, 100)]);
    assert_eq!(q(a.store_timestamp, a.store_timestamp), vec![body(1, 100)]);
    assert_eq!(q(a.store_timestamp + 1, i64::MAX), vec![body(2, 100)]);
    assert_eq!(q(0, b.store_timestamp - 1), vec![body(1, 100)]);
    assert!(q(b.store_timestamp + 1, i64::MAX).is_empty());
    store.shutdown().await;
}

#[tokio::test]
async fn truncated_commit_log_drops_index_entries_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = MessageStore::open(small_index(dir.path())).unwrap();
    let mut offsets = Vec::new();
    for i in 0..10 {
        let a = store
            .put_message(keyed("T", i, "k", ""))
            .await
            .appended
            .unwrap();
        offsets.push(a.phys_offset);
    }
    store.shutdown().await;
    let seg = dir.path().join("commitlog/00000000000000000000");
    let f = std::fs::OpenOptions::new().write(true).open(&seg).unwrap();
    f.set_len(offsets[7] + 10).unwrap();
    drop(f);
    std::fs::write(dir.path().join("abort"), b"").unwrap();

    let store = MessageStore::open(small_index(dir.path())).unwrap();
    assert_eq!(store.max_phys_offset(), offsets[7]);
    let hits = store.query_by_key("T", "k", 100, 0, i64::MAX, false);
    let expected: Vec<Vec<u8>> = (0..7).rev().map(|i| body(i, 100)).collect();
    assert_eq!(bodies(&hits), expected);
    assert!(store.index_last_update().1 < offsets[7]);
    // New records at the truncated offsets are indexed again.
    store
        .put_message(keyed("T", 77, "k", ""))
        .await
        .appended
        .unwrap();
    let hits = store.query_by_key("T", "k", 1, 0, i64::MAX, false);
    assert_eq!(bodies(&hits), vec![body(77, 100)]);
    store.shutdown().await;
}

#[tokio::test]
async fn corrupt_index_file_is_reported_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let store = MessageStore::open(small_index(dir.path())).unwrap();
    for i in 0..10 {
        store
            .put_message(keyed("T", i, "k", ""))
            .await
            .appended
            .unwrap();
    }
    store.shutdown().await;
    let files = index_files(dir.path());
    assert!(files.len() >= 3);
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&files[1])
        .unwrap();
    f.set_len(7).unwrap();
    drop(f);

    let store = MessageStore::open(small_index(dir.path())).unwrap();
    let problems = &store.index_recovery().problems;
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains(&files[1].display().to_string()),
        "{problems:?}"
    );
    assert!(store.index_recovery().records >= 6);
    let hits = store.query_by_key("T", "k", 100, 0, i64::MAX, false);
    assert_eq!(hits.len(), 10);
    store.shutdown().await;
}

#[tokio::test]
async fn deleted_index_directory_is_rebuilt_from_the_commit_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    for i in 0..5 {
        store
            .put_message(keyed("T", i, "k", ""))
            .await
            .appended
            .unwrap();
    }
    store.shutdown().await;
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    assert_eq!(store.index_recovery().records, 5);
    assert_eq!(
        store.query_by_key("T", "k", 100, 0, i64::MAX, false).len(),
        5
    );
    store.shutdown().await;
}
