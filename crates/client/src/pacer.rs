//! Paces the outbox under the server's per-connection rate limit.
//!
//! The server refuses frames past [`MESSAGE_BURST`] at once and [`MESSAGES_PER_SECOND`] after
//! that, per socket. An outbox that filled up while offline must not go out in one burst after
//! the reconnect: the frames past the limit would be refused. The pacer is a token bucket per
//! socket with half the server's budget, which leaves the other half for the operator's own
//! requests (accept, status, typing) made meanwhile.
//!
//! Pure logic: the caller supplies the time.

use std::time::Duration;

use switchboard_protocol::limits::{MESSAGES_PER_SECOND, MESSAGE_BURST};
use tokio::time::Instant;

/// Messages the outbox may send at once on a fresh socket.
const BURST: u32 = MESSAGE_BURST / 2;
/// Messages per second the outbox may send after its burst.
const PER_SECOND: u32 = MESSAGES_PER_SECOND / 2;

/// A token bucket: each sent message takes a token; tokens come back at a steady rate.
#[derive(Debug)]
pub(crate) struct Pacer {
    burst: u32,
    interval: Duration,
    tokens: u32,
    /// When the bucket was last full, or when the last counted token came back.
    since: Instant,
}

impl Pacer {
    /// A full bucket for a socket opened at `now`.
    pub fn new(now: Instant) -> Self {
        Self::with_rate(now, BURST, PER_SECOND)
    }

    fn with_rate(now: Instant, burst: u32, per_second: u32) -> Self {
        Pacer {
            burst,
            interval: Duration::from_secs(1) / per_second.max(1),
            tokens: burst,
            since: now,
        }
    }

    /// Takes up to `wanted` tokens at `now`; returns how many may be sent now.
    pub fn take(&mut self, now: Instant, wanted: usize) -> usize {
        self.refill(now);
        let granted = self.tokens.min(u32::try_from(wanted).unwrap_or(u32::MAX));
        self.tokens -= granted;
        granted as usize
    }

    /// Empties the bucket at `now` (the server said the socket is over its limit).
    pub fn exhaust(&mut self, now: Instant) {
        self.tokens = 0;
        self.since = now;
    }

    /// When the next token comes back (when the bucket is empty, the earliest time
    /// [`Pacer::take`] grants anything again).
    pub fn next_token_at(&self) -> Instant {
        self.since + self.interval
    }

    fn refill(&mut self, now: Instant) {
        if self.tokens >= self.burst {
            self.since = now;
            return;
        }
        let elapsed = now.saturating_duration_since(self.since);
        let earned = elapsed.as_nanos() / self.interval.as_nanos().max(1);
        let earned = u32::try_from(earned).unwrap_or(u32::MAX);
        if earned == 0 {
            return;
        }
        self.tokens = self.tokens.saturating_add(earned).min(self.burst);
        if self.tokens == self.burst {
            self.since = now;
        } else {
            self.since += self.interval * earned;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_socket_gets_the_burst_then_tokens_at_the_rate() {
        let start = Instant::now();
        let mut pacer = Pacer::with_rate(start, 4, 2);
        assert_eq!(pacer.take(start, 10), 4);
        assert_eq!(pacer.take(start, 10), 0);
        assert_eq!(pacer.next_token_at(), start + Duration::from_millis(500));
        assert_eq!(pacer.take(start + Duration::from_millis(499), 10), 0);
        assert_eq!(pacer.take(start + Duration::from_millis(500), 10), 1);
        assert_eq!(pacer.take(start + Duration::from_millis(1600), 10), 2);
        assert_eq!(
            pacer.next_token_at(),
            start + Duration::from_millis(2000),
            "the part of a token earned before is kept"
        );
    }

    #[test]
    fn an_idle_bucket_fills_up_to_the_burst_only() {
        let start = Instant::now();
        let mut pacer = Pacer::with_rate(start, 4, 2);
        assert_eq!(pacer.take(start, 3), 3);
        assert_eq!(pacer.take(start + Duration::from_secs(60), 10), 4);
    }

    #[test]
    fn the_default_stays_within_the_server_limit() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        let mut sent = pacer.take(start, usize::MAX);
        assert!(sent <= MESSAGE_BURST as usize);
        for ms in (0..=10_000).step_by(10) {
            sent += pacer.take(start + Duration::from_millis(ms), usize::MAX);
        }
        assert!(sent <= (MESSAGE_BURST + 10 * MESSAGES_PER_SECOND) as usize);
    }
}
