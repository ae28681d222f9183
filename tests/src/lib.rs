//! Shared harness for Switchboard's end-to-end tests: start the real server on a free port with a
//! temporary data directory, speak the raw protocol, drive a real headless Chromium visitor, and
//! the real desktop app through tauri-driver. Each module owns one of those parts.

pub mod browser;
pub mod chaos_proxy;
pub mod cluster;
pub mod desktop;
pub mod files;
pub mod forwarded;
pub mod nats;
pub mod postgres;
pub mod process;
pub mod server;
pub mod urls;
pub mod wire;
pub mod xss;
