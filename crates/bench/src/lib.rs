//! Benchmarks for Switchboard: the server under load (`switchboard-bench`) and the desktop
//! app's cold start and memory (`switchboard-desktop-bench`). Each measures real processes.

pub mod cluster;
pub mod desktop;
pub mod files;
pub mod memory;
pub mod peers;
pub mod server;
pub mod stats;
