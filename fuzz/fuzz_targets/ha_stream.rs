//! Fuzz the HA replication codec: the master's transfer chunks and the slave's offset reports.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rmqctl::fuzz_targets::ha_stream(data));
