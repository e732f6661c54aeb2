//! Helpers shared by the store integration tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;

use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore, StoreConfig};
use rmqctl::protocol::message::Properties;

pub const SEGMENT: u64 = 64 * 1024;

pub fn store_host() -> SocketAddr {
    "10.0.0.1:10911".parse().unwrap()
}

pub fn born_host() -> SocketAddr {
    "192.168.1.2:40000".parse().unwrap()
}

/// Small files so tests roll segments and CQ files quickly.
pub fn config(dir: &Path, flush: FlushMode) -> StoreConfig {
    let mut c = StoreConfig::new(dir, store_host());
    c.commit_log_file_size = SEGMENT;
    c.consume_queue_file_size = 20 * 100;
    c.flush_mode = flush;
    c.flush_interval_ms = 10;
    c.disk_max_used_space_ratio = 100;
    c.retention_check_interval_ms = 3_600_000;
    c
}

pub fn open(dir: &Path, flush: FlushMode) -> MessageStore {
    MessageStore::open(config(dir, flush)).unwrap()
}

pub fn props(tags: &str, keys: &str, uniq: &str) -> String {
    let mut p = Properties::new();
    if !tags.is_empty() {
        p.insert("TAGS", tags);
    }
    if !keys.is_empty() {
        p.insert("KEYS", keys);
    }
    if !uniq.is_empty() {
        p.insert("UNIQ_KEY", uniq);
    }
    p.encode()
}

pub fn msg(topic: &str, qid: i32, body: Vec<u8>, tags: &str) -> MessageToStore {
    let uniq = format!("U{:x}", rand_u64());
    MessageToStore::new(topic, qid, body, &props(tags, "", &uniq), born_host())
}

pub fn rand_u64() -> u64 {
    rand::random()
}

pub fn body(i: usize, len: usize) -> Vec<u8> {
    let mut b = format!("msg-{i}-").into_bytes();
    b.resize(len, b'a' + (i % 26) as u8);
    b
}

pub fn all(_: i64) -> bool {
    true
}
