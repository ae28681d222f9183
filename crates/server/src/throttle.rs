//! Login throttling: after [`LOGIN_ATTEMPTS_PER_MINUTE`] failed logins for one email within a
//! minute, further attempts are refused until the oldest failure is a minute old. Successful
//! logins do not count, so an operator restarting the app many times is never locked out.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use switchboard_protocol::limits::LOGIN_ATTEMPTS_PER_MINUTE;

const WINDOW: Duration = Duration::from_secs(60);

/// Recent failed logins per email address.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    /// Whether `email` may try to log in at `now`.
    pub fn allows(&self, email: &str, now: Instant) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(recent) = failures.get_mut(email) else {
            return true;
        };
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= WINDOW)
        {
            recent.pop_front();
        }
        if recent.is_empty() {
            failures.remove(email);
            return true;
        }
        recent.len() < LOGIN_ATTEMPTS_PER_MINUTE as usize
    }

    /// Counts a failed login for `email`.
    pub fn failed(&self, email: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures
            .entry(email.to_string())
            .or_default()
            .push_back(now);
    }

    /// Forgets the failures of `email` after a successful login.
    pub fn succeeded(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(email);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_lock_an_email_for_a_minute_and_successes_do_not_count() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for _ in 0..LOGIN_ATTEMPTS_PER_MINUTE {
            assert!(throttle.allows("ann@example.com", start));
            throttle.failed("ann@example.com", start);
        }
        assert!(!throttle.allows("ann@example.com", start + Duration::from_secs(59)));
        assert!(
            throttle.allows("bob@example.com", start),
            "other emails are not affected"
        );
        assert!(throttle.allows("ann@example.com", start + WINDOW));

        for _ in 0..100 {
            throttle.succeeded("bob@example.com");
        }
        assert!(throttle.allows("bob@example.com", start));
    }
}
