//! Fuzz target: see [`switchboard_fuzz::message_text`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::message_text::check(data));
