//! Put throughput of 1 KiB messages from 64 concurrent producers, ASYNC_FLUSH and SYNC_FLUSH.
//! Run: `cargo bench --bench store_put`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore, PutStatus, StoreConfig};

const PRODUCERS: usize = 64;
const PUTS_PER_PRODUCER: usize = 50;

fn open(dir: &std::path::Path, mode: FlushMode) -> MessageStore {
    let mut cfg = StoreConfig::new(dir, "127.0.0.1:10911".parse().unwrap());
    cfg.commit_log_file_size = 128 * 1024 * 1024;
    cfg.flush_mode = mode;
    cfg.disk_max_used_space_ratio = 100;
    MessageStore::open(cfg).expect("open store")
}

async fn round(store: &MessageStore) {
    let mut tasks = Vec::with_capacity(PRODUCERS);
    for p in 0..PRODUCERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..PUTS_PER_PRODUCER {
                let m = MessageToStore::new(
                    "BenchTopic",
                    (p % 8) as i32,
                    vec![b'x'; 1024],
                    "TAGS\u{1}bench\u{2}",
                    "127.0.0.1:5555".parse().unwrap(),
                );
                let r = store.put_message(m).await;
                assert_eq!(r.status, PutStatus::PutOk);
            }
        }));
    }
    for t in tasks {
        t.await.expect("producer task");
    }
}

fn bench_puts(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("store_put_1KiB_64_producers");
    group.throughput(Throughput::Elements((PRODUCERS * PUTS_PER_PRODUCER) as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for (name, mode) in [
        ("async_flush", FlushMode::Async),
        ("sync_flush", FlushMode::Sync),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(dir.path(), mode);
        group.bench_function(name, |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let store = store.clone();
                async move {
                    let start = Instant::now();
                    for _ in 0..iters {
                        round(&store).await;
                    }
                    start.elapsed()
                }
            })
        });
        let stats = store.runtime_stats();
        eprintln!(
            "{name}: {} puts, {} fdatasyncs",
            stats.put_message_times_total, stats.flush_count
        );
        store.shutdown_blocking();
    }
    group.finish();
}

criterion_group!(benches, bench_puts);
criterion_main!(benches);
