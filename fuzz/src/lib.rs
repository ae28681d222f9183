//! Invariant checks behind Switchboard's fuzz targets. Each module's `check` takes arbitrary
//! bytes and panics when an invariant breaks; the fuzz targets in `fuzz_targets/` call them
//! under libFuzzer, and `tests/seeds.rs` runs every saved input through them on stable Rust so
//! the seeds and past findings are exercised by a plain `cargo test`.

pub mod message_text;
pub mod protocol_frame;
pub mod upload;
