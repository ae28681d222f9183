//! The hub's clock for ring timeouts and the operators' reconnect grace.
//!
//! Normally it is the system clock. Started with `--manual-clock`, it stands still and only
//! moves when `POST /api/v1/test/clock` advances it, so tests of timeouts wait for the concrete
//! event instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::now_millis;

/// Where the hub reads the time.
#[derive(Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// A clock that moves only when advanced; holds its offset from the system clock at start.
    Manual {
        /// The fixed time it shows, in milliseconds since the Unix epoch.
        now: AtomicI64,
    },
}

impl Clock {
    /// A manual clock standing at the current system time.
    pub fn manual() -> Clock {
        Clock::Manual {
            now: AtomicI64::new(now_millis()),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => now_millis(),
            Clock::Manual { now } => now.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward; `false` for the system clock, which cannot be moved.
    pub fn advance(&self, millis: i64) -> bool {
        match self {
            Clock::System => false,
            Clock::Manual { now } => {
                now.fetch_add(millis.max(0), Ordering::SeqCst);
                true
            }
        }
    }
}
