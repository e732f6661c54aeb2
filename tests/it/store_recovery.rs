//! Crash recovery: truncated tail, corrupt record in the last file, consume-queue rebuild, and
//! a broker killed with SIGKILL during sustained SYNC_FLUSH sends.

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use rmqctl::broker::store::{FlushMode, GetStatus, MessageStore, PutStatus};
use rmqctl::protocol::message::{decode_all, MessageRecord};

/// Puts `n` messages of ~`len` bytes on T/0; returns (phys, size) of each.
async fn fill(store: &MessageStore, n: usize, len: usize) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = store.put_message(msg("T", 0, body(i, len), "tag")).await;
        let a = r.appended.unwrap();
        out.push((a.phys_offset, a.wrote_bytes));
    }
    out
}

fn first_segment(dir: &Path) -> std::path::PathBuf {
    dir.join("commitlog/00000000000000000000")
}

fn mark_abnormal(dir: &Path) {
    std::fs::write(dir.join("abort"), b"").unwrap();
}

#[tokio::test]
async fn truncated_tail_is_cut_at_the_last_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    let recs = fill(&store, 20, 500).await;
    store.shutdown().await;
    // Crash mid-write of the last record: the file ends in the middle of it.
    let (last_phys, last_len) = recs[19];
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(first_segment(dir.path()))
        .unwrap();
    f.set_len(last_phys + last_len / 2).unwrap();
    drop(f);
    mark_abnormal(dir.path());

    let store = open(dir.path(), FlushMode::Sync);
    let report = store.recovery_report().clone();
    assert!(report.abnormal_shutdown);
    assert_eq!(report.truncated_at, Some(last_phys));
    assert_eq!(report.corruptions.len(), 1);
    assert_eq!(report.corruptions[0].path, first_segment(dir.path()));
    assert_eq!(report.corruptions[0].file_offset, last_phys);
    assert_eq!(store.max_phys_offset(), last_phys);
    assert_eq!(store.max_offset("T", 0), 19);
    assert_eq!(
        std::fs::metadata(first_segment(dir.path())).unwrap().len(),
        SEGMENT
    );
    let r = store.put_message(msg("T", 0, body(100, 500), "tag")).await;
    let a = r.appended.unwrap();
    assert_eq!((a.phys_offset, a.queue_offset), (last_phys, 19));
    let g = store.get_messages("T", 0, 0, 100, 1 << 20, &all);
    let got = decode_all(&g.records.concat()).unwrap();
    assert_eq!(got.len(), 20);
    assert_eq!(got[19].body.as_ref(), body(100, 500).as_slice());
    store.shutdown().await;
    // A clean restart after that finds nothing wrong.
    let store = open(dir.path(), FlushMode::Sync);
    assert!(store.recovery_report().corruptions.is_empty());
    assert_eq!(store.max_offset("T", 0), 20);
    store.shutdown().await;
}

#[tokio::test]
async fn corrupt_record_in_the_last_file_is_reported_and_the_intact_part_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    let recs = fill(&store, 20, 300).await;
    store.shutdown().await;
    let (bad_phys, _) = recs[10];
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(first_segment(dir.path()))
        .unwrap();
    let mut b = [0u8; 1];
    f.read_exact_at(&mut b, bad_phys + 100).unwrap(); // inside the body
    f.write_all_at(&[b[0] ^ 0x55], bad_phys + 100).unwrap();
    drop(f);

    let store = open(dir.path(), FlushMode::Sync);
    let report = store.recovery_report().clone();
    assert_eq!(report.truncated_at, Some(bad_phys));
    let c = &report.corruptions[0];
    assert_eq!(
        (c.path.clone(), c.file_offset),
        (first_segment(dir.path()), bad_phys)
    );
    assert!(c.reason.contains("CRC"), "{}", c.reason);
    assert_eq!(store.max_offset("T", 0), 10);
    let g = store.get_messages("T", 0, 0, 100, 1 << 20, &all);
    let got = decode_all(&g.records.concat()).unwrap();
    assert_eq!(got.len(), 10);
    for (i, r) in got.iter().enumerate() {
        assert_eq!(r.body.as_ref(), body(i, 300).as_slice());
    }
    // The cut tail is zeroed: no stale record can come back.
    let tail = std::fs::read(first_segment(dir.path())).unwrap();
    assert!(tail[bad_phys as usize..].iter().all(|b| *b == 0));
    store.shutdown().await;
}

#[tokio::test]
async fn consume_queues_are_rebuilt_identically_from_the_commit_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    for i in 0..500 {
        let qid = (i % 2) as i32;
        store
            .put_message(msg(
                "CQ",
                qid,
                body(i, 200),
                if i % 3 == 0 { "a" } else { "b" },
            ))
            .await;
    }
    store.shutdown().await;
    let cq_dir = dir.path().join("consumequeue/CQ");
    let snapshot = read_tree(&cq_dir);
    assert!(
        snapshot.len() >= 6,
        "expected several CQ files, got {}",
        snapshot.len()
    );
    std::fs::remove_dir_all(dir.path().join("consumequeue")).unwrap();

    let store = open(dir.path(), FlushMode::Async);
    assert_eq!(store.max_offset("CQ", 0), 250);
    assert_eq!(store.max_offset("CQ", 1), 250);
    assert_eq!(body_at(&store, "CQ", 1, 100), body(201, 200));
    store.shutdown().await;
    assert_eq!(read_tree(&cq_dir), snapshot);
}

/// Start-up walks only the segments that may hold undispatched data (Apache's rule), so it does
/// not grow with the commit log: after a clean stop the last three; after a crash from the last
/// segment whose first record was stored before the checkpoint less 3 s (worked out here from
/// the store times the puts reported and the checkpoint file, so a slow machine changes where
/// the walk starts but not whether the test holds). A deleted `consumequeue` directory is still
/// rebuilt from the first segment.
#[tokio::test]
async fn restart_walks_only_the_segments_that_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let mut stored = Vec::new();
    for i in 0..1_000 {
        stored.push(put_timed(&store, i).await);
    }
    // Older than the checkpoint's safety margin by the time the second half is stored (a longer
    // sleep on a busy machine only makes them older).
    tokio::time::sleep(Duration::from_millis(3_300)).await;
    for i in 0..1_000 {
        stored.push(put_timed(&store, i).await);
    }
    let total = 2_000;
    let segments = std::fs::read_dir(dir.path().join("commitlog"))
        .unwrap()
        .count() as u64;
    assert!(segments >= 8, "{segments} segments");
    store.shutdown().await;

    // Clean stop: three segments walked, everything readable.
    let store = open(dir.path(), FlushMode::Async);
    let walked = store.recovery_report().records;
    let per_segment = SEGMENT / (stored[1].0 - stored[0].0);
    assert!(
        walked > 0 && walked <= 3 * per_segment,
        "walked {walked} records after a clean stop"
    );
    assert_eq!(store.max_offset("T", 0), total);
    assert_eq!(body_at(&store, "T", 0, 10), body(10, 300));
    store.shutdown().await;

    // Crash: from the last segment whose first record is at or before the checkpoint's
    // min(physicMsgTimestamp, logicsMsgTimestamp) less 3 s; inside the log, not its beginning.
    let safe_ts = checkpoint_min_timestamp(dir.path()) - 3_000;
    let walk_from = stored
        .iter()
        .filter(|(phys, ts)| phys % SEGMENT == 0 && *ts <= safe_ts)
        .map(|(phys, _)| *phys)
        .max()
        .unwrap_or(0);
    assert!(
        walk_from > 0,
        "the first half is older than the checkpoint margin"
    );
    let expected = stored.iter().filter(|(phys, _)| *phys >= walk_from).count() as u64;
    mark_abnormal(dir.path());
    let store = open(dir.path(), FlushMode::Async);
    assert!(store.recovery_report().abnormal_shutdown);
    assert_eq!(
        store.recovery_report().records,
        expected,
        "records walked after a crash (from commit-log offset {walk_from})"
    );
    assert_eq!(store.max_offset("T", 0), total);
    store.shutdown().await;

    // No consume queues at all: everything is walked and every queue entry rebuilt.
    std::fs::remove_dir_all(dir.path().join("consumequeue")).unwrap();
    let store = open(dir.path(), FlushMode::Async);
    assert_eq!(store.recovery_report().records, total as u64);
    assert_eq!(store.max_offset("T", 0), total);
    assert_eq!(body_at(&store, "T", 0, 999), body(999, 300));
    store.shutdown().await;
}

/// Puts message `i` (~300 bytes) on T/0; returns its commit-log offset and store time.
async fn put_timed(store: &MessageStore, i: usize) -> (u64, i64) {
    let r = store.put_message(msg("T", 0, body(i, 300), "tag")).await;
    let a = r.appended.unwrap();
    (a.phys_offset, a.store_timestamp)
}

/// min(physicMsgTimestamp, logicsMsgTimestamp) of `<root>/checkpoint` (Apache's layout: int64
/// big-endian fields at 0 and 8).
fn checkpoint_min_timestamp(root: &Path) -> i64 {
    let raw = std::fs::read(root.join("checkpoint")).unwrap();
    let field = |at: usize| i64::from_be_bytes(raw[at..at + 8].try_into().unwrap());
    field(0).min(field(8))
}

/// The body of the message at `offset` of a queue.
fn body_at(store: &MessageStore, topic: &str, queue_id: i32, offset: i64) -> Vec<u8> {
    let g = store.get_messages(topic, queue_id, offset, 1, 1 << 20, &all);
    decode_all(&g.records[0]).unwrap()[0].body.to_vec()
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for q in std::fs::read_dir(dir).unwrap() {
        let q = q.unwrap().path();
        for f in std::fs::read_dir(&q).unwrap() {
            let f = f.unwrap().path();
            out.push((
                f.strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(&f).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

const CHILD_ENV: &str = "RMQCTL_STORE_SIGKILL_CHILD_DIR";

fn child_body(task: usize, seq: usize) -> Vec<u8> {
    let len = 50 + (task * 7919 + seq * 104_729) % 3000;
    let mut b = format!("t{task}-s{seq}-").into_bytes();
    b.resize(len, b'A' + (seq % 26) as u8);
    b
}

/// The child: SYNC_FLUSH puts from 8 concurrent producers forever, printing every ack.
async fn run_child_writer(dir: &str) {
    let store = open(Path::new(dir), FlushMode::Sync);
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let mut tasks = Vec::new();
    for task in 0..8usize {
        let store = store.clone();
        let out = out.clone();
        tasks.push(tokio::spawn(async move {
            for seq in 0.. {
                let r = store
                    .put_message(msg("K", task as i32, child_body(task, seq), "x"))
                    .await;
                if r.status == PutStatus::PutOk {
                    let a = r.appended.unwrap();
                    use std::io::Write;
                    let mut o = out.lock().unwrap();
                    let _ = writeln!(
                        o,
                        "ACK {} {} {} {} {}",
                        a.phys_offset, a.queue_offset, task, seq, a.msg_id
                    );
                    let _ = o.flush();
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_sync_flush_sends_loses_no_acked_message() {
    if let Ok(dir) = std::env::var(CHILD_ENV) {
        run_child_writer(&dir).await;
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let test = common::test_path(
        module_path!(),
        "sigkill_during_sync_flush_sends_loses_no_acked_message",
    );
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let acks = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let acks = acks.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ACK ") {
                    acks.lock().unwrap().push(rest.to_string());
                }
            }
        })
    };
    // Kill once the child has acked a good number, however long that takes on this machine.
    let start = std::time::Instant::now();
    while acks.lock().unwrap().len() < 200 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "child acked only {} messages in 120 s",
            acks.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    let acks = acks.lock().unwrap().clone();

    let store = open(dir.path(), FlushMode::Sync);
    let report = store.recovery_report().clone();
    assert!(report.abnormal_shutdown);
    for line in &acks {
        let f: Vec<&str> = line.split(' ').collect();
        let (phys, qo, task, seq): (u64, i64, usize, usize) = (
            f[0].parse().unwrap(),
            f[1].parse().unwrap(),
            f[2].parse().unwrap(),
            f[3].parse().unwrap(),
        );
        let raw = store
            .look_message(phys)
            .unwrap_or_else(|| panic!("acked message at {phys} is missing"));
        let rec = MessageRecord::decode_verified(&raw).unwrap();
        assert_eq!(rec.body.as_ref(), child_body(task, seq).as_slice());
        assert_eq!((rec.queue_id, rec.queue_offset), (task as i32, qo));
        assert_eq!(rec.offset_msg_id(), f[4]);
        let g = store.get_messages("K", task as i32, qo, 1, 1 << 20, &all);
        assert_eq!(g.status, GetStatus::Found);
        assert_eq!(g.records[0], raw, "CQ entry points at the same bytes");
    }
    store.shutdown().await;
}
