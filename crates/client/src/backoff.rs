//! How long to wait before the next reconnect: exponential backoff from 0.5 s up to 20 s with
//! "full jitter" (a uniformly random delay between zero and the current ceiling), so that many
//! clients cut off by the same server restart do not all come back in the same instant.
//!
//! Pure logic: the caller supplies the random fraction, which keeps this testable.

use std::time::Duration;

/// Ceiling of the first retry.
const FIRST_CEILING: Duration = Duration::from_millis(500);
/// Highest ceiling; reached after seven failed attempts.
const MAX_CEILING: Duration = Duration::from_secs(20);

/// The next retry: which attempt it is and how long to wait before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retry {
    /// 1 for the first retry after a connection was lost or refused.
    pub attempt: u32,
    /// Time to wait before connecting again.
    pub delay: Duration,
}

/// Counts failed attempts since the last successful connection.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Records a failed (or lost) connection and returns when to try again. `jitter` is a random
    /// fraction in `[0, 1)`; values outside are clamped.
    pub fn next_retry(&mut self, jitter: f64) -> Retry {
        self.failures = self.failures.saturating_add(1);
        let ceiling = ceiling(self.failures);
        Retry {
            attempt: self.failures,
            delay: ceiling.mul_f64(jitter.clamp(0.0, 1.0)),
        }
    }

    /// The connection is up again: the next failure starts from the first ceiling.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// `FIRST_CEILING * 2^(attempt-1)`, capped at `MAX_CEILING`.
fn ceiling(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_CEILING
        .saturating_mul(1 << doublings)
        .min(MAX_CEILING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_from_half_a_second_and_stop_at_twenty() {
        let mut backoff = Backoff::default();
        let ceilings: Vec<u64> = (0..10)
            .map(|_| backoff.next_retry(1.0).delay.as_millis() as u64)
            .collect();
        assert_eq!(
            ceilings,
            [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000, 20000]
        );
    }

    #[test]
    fn full_jitter_scales_the_whole_ceiling() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.next_retry(0.0).delay, Duration::ZERO);
        assert_eq!(backoff.next_retry(0.5).delay, Duration::from_millis(500));
        assert_eq!(backoff.next_retry(0.25).delay, Duration::from_millis(500));
    }

    #[test]
    fn attempts_count_up_and_reset_after_a_good_connection() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.next_retry(0.5).attempt, 1);
        assert_eq!(backoff.next_retry(0.5).attempt, 2);
        backoff.reset();
        let retry = backoff.next_retry(1.0);
        assert_eq!(retry.attempt, 1);
        assert_eq!(retry.delay, FIRST_CEILING);
    }

    #[test]
    fn jitter_outside_the_unit_range_never_exceeds_the_ceiling() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.next_retry(7.0).delay, FIRST_CEILING);
        assert_eq!(backoff.next_retry(-1.0).delay, Duration::ZERO);
    }

    #[test]
    fn thousands_of_failures_stay_capped() {
        let mut backoff = Backoff::default();
        let last = (0..5000).map(|_| backoff.next_retry(1.0)).last();
        assert_eq!(last.map(|retry| retry.delay), Some(MAX_CEILING));
    }
}
