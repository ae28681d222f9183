//! Invariant checks behind Switchboard's fuzz targets. Each module's `check` takes arbitrary
//! bytes and panics when an invariant breaks; the fuzz targets in `fuzz/fuzz_targets/` call
//! them under libFuzzer, and `tests/seeds.rs` runs every saved input through them with the rest
//! of the workspace's tests, so the seeds and past findings stay checked.

pub mod message_text;
pub mod protocol_frame;
pub mod upload;
