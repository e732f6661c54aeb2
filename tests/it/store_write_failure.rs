//! A commit-log write that fails on a real full disk (a small tmpfs; the segment's preallocation
//! undone with a punched hole, so the write itself meets ENOSPC): the store keeps the records,
//! refuses appends, never lets a read skip the unwritten record, and once space is freed writes
//! it exactly once and takes appends again, with no restart. Needs root (mount), as tests/run.sh.

use crate::common;

use common::{all, body, msg, SmallDisk};
use rmqctl::broker::store::{FlushMode, GetStatus, MessageStore, PutStatus};
use std::time::{Duration, Instant};

const BODY: usize = 16 * 1024;
const CAP: Duration = Duration::from_secs(60);

fn stored_bodies(store: &MessageStore) -> Vec<Vec<u8>> {
    let r = store.get_messages("T", 0, 0, 1000, usize::MAX, &all);
    r.records
        .iter()
        .map(|raw| {
            rmqctl::protocol::message::MessageRecord::decode(raw)
                .unwrap()
                .body
                .to_vec()
        })
        .collect()
}

#[tokio::test]
async fn failed_commit_log_write_is_kept_and_written_once_when_space_returns() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk"), 4) else {
        return;
    };
    let root = dir.path().join("disk/store");
    let mut cfg = common::config(&root, FlushMode::Async);
    cfg.commit_log_file_size = 1 << 20;
    let store = MessageStore::open(cfg.clone()).unwrap();

    let mut acked = Vec::new();
    for i in 0..4 {
        let b = body(i, BODY);
        let r = store.put_message(msg("T", 0, b.clone(), "")).await;
        assert_eq!(r.status, PutStatus::PutOk);
        store.write_staged().unwrap();
        acked.push(b);
    }
    // Room for a few more records in the segment's allocated pages, then a hole; then no space.
    let written = store.max_phys_offset();
    let hole_from = (written / 4096 + 16) * 4096;
    common::punch_hole(&root.join("commitlog/00000000000000000000"), hole_from);
    let ballast = dir.path().join("disk/ballast");
    disk.fill(&ballast);

    let mut kept = None;
    for i in 4..64 {
        let b = body(i, BODY);
        let r = store.put_message(msg("T", 0, b.clone(), "")).await;
        assert_eq!(r.status, PutStatus::PutOk, "put {i} before any failure");
        if store.write_staged().is_err() {
            // Appended, not written, so not acknowledged: kept for a retry.
            kept = Some(b);
            break;
        }
        acked.push(b);
    }
    let kept = kept.expect("the write into the hole never failed");
    assert!(store.max_phys_offset() > store.written_offset());

    // While failing: appends are refused, reads stop before the unwritten record.
    let r = store.put_message(msg("T", 0, body(99, BODY), "")).await;
    assert_eq!(r.status, PutStatus::ServiceNotAvailable);
    let reason = store
        .write_failure_reason()
        .expect("a reason while failing");
    assert!(reason.contains("No space left"), "{reason}");
    let r = store.get_messages("T", 0, 0, 1000, usize::MAX, &all);
    assert_eq!(r.records.len(), acked.len());
    assert_eq!(
        r.next_begin_offset,
        acked.len() as i64,
        "the reader skipped the unwritten record"
    );
    let r = store.get_messages("T", 0, acked.len() as i64, 10, usize::MAX, &all);
    assert_eq!(r.status, GetStatus::OffsetFoundNull);
    assert_eq!(r.next_begin_offset, acked.len() as i64);

    // Space returns: the kept record is written (by the retry), appends are taken again.
    std::fs::remove_file(&ballast).unwrap();
    let start = Instant::now();
    while store.write_staged().is_err() {
        assert!(start.elapsed() < CAP, "no recovery in {CAP:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(store.written_offset(), store.max_phys_offset());
    assert_eq!(store.write_failure_reason(), None);
    let mut expected = acked.clone();
    expected.push(kept);
    for i in 100..104 {
        let b = body(i, BODY);
        let r = store.put_message(msg("T", 0, b.clone(), "")).await;
        assert_eq!(r.status, PutStatus::PutOk);
        store.write_staged().unwrap();
        expected.push(b);
    }
    assert_eq!(stored_bodies(&store), expected);

    // And so it stays after a restart.
    store.shutdown().await;
    let store = MessageStore::open(cfg).unwrap();
    assert!(store.recovery_report().corruptions.is_empty());
    assert_eq!(stored_bodies(&store), expected);
    store.shutdown().await;
}
