//! Fuzz the frame codec and header decoders (JSON and ROCKETMQ) as a server reads a connection.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rmqctl::fuzz_targets::frame_stream(data));
