//! Fuzz target: see [`switchboard_fuzz::upload`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::upload::check(data));
