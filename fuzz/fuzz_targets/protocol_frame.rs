//! Fuzz target: see [`switchboard_fuzz_checks::protocol_frame`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz_checks::protocol_frame::check(data));
