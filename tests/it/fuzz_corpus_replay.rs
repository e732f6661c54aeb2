//! Replays every input of the fuzz corpora (fuzz/corpus/<target>/) through the same entry points
//! the cargo-fuzz targets use, so a crash found once stays fixed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use rmqctl::fuzz_targets;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            run(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    assert!(count > 0, "empty corpus in {}", dir.display());
}

#[test]
fn frame_stream_corpus() {
    replay("frame_stream", fuzz_targets::frame_stream);
}

#[test]
fn bodies_corpus() {
    replay("bodies", fuzz_targets::bodies);
}

#[test]
fn ha_stream_corpus() {
    replay("ha_stream", fuzz_targets::ha_stream);
}
