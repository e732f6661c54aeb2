//! Fuzz the body decoders: fastjson dialects, compressed registrations, stored records, batches.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rmqctl::fuzz_targets::bodies(data));
