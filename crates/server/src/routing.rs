//! Call distribution as account settings: who a new call rings for, for how long, and how many
//! chats an operator may hold at once.
//!
//! - `distribution`: `to_all` (default; every Online operator rings, the first accept wins),
//!   `round_robin` (one operator at a time, taking turns) or `least_busy` (one operator at a
//!   time, the one with the fewest open chats first).
//! - `ring_timeout_secs`: how long a one-at-a-time call rings before it moves on to the next
//!   operator; the operator who did not answer is set Away.
//! - `max_chats`: the most chats one operator holds before calls stop ringing for them
//!   (empty or 0: no cap).
//! - `operator_grace_secs`: how long a dropped operator keeps their chats before the chats
//!   return to the queue.

use crate::store::{Store, StoreError};

/// The settings this module owns, with what each holds (for `settings show`).
pub const SETTINGS: &[(&str, &str)] = &[
    ("distribution", "to_all (default), round_robin or least_busy: who a new call rings for"),
    ("ring_timeout_secs", "seconds a round-robin or least-busy call rings one operator before moving on; they are set Away (default 30)"),
    ("max_chats", "most open chats per operator before calls stop ringing for them (empty or 0: no cap)"),
    ("operator_grace_secs", "seconds a dropped operator keeps their chats before they return to the queue (default 60)"),
];

const DEFAULT_RING_TIMEOUT_SECS: u64 = 30;
const DEFAULT_GRACE_SECS: u64 = 60;
/// Longest ring timeout or grace period an administrator may set.
const MAX_SECS: u64 = 3600;

/// Who a new call rings for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Every eligible operator at once.
    #[default]
    ToAll,
    /// One operator at a time, taking turns.
    RoundRobin,
    /// One operator at a time, fewest open chats first.
    LeastBusy,
}

/// The distribution policy a call is routed with (read when it starts ringing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Who it rings for.
    pub mode: Mode,
    /// How long it rings one operator (one-at-a-time modes), in milliseconds.
    pub ring_timeout_ms: i64,
    /// Most open chats per operator, if capped.
    pub max_chats: Option<u32>,
    /// How long a dropped operator keeps their chats, in milliseconds.
    pub grace_ms: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::ToAll,
            ring_timeout_ms: secs_ms(DEFAULT_RING_TIMEOUT_SECS),
            max_chats: None,
            grace_ms: secs_ms(DEFAULT_GRACE_SECS),
        }
    }
}

fn secs_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

/// Checks a value for one of [`SETTINGS`]; `None` when `key` is not a routing setting.
pub fn validate(key: &str, value: &str) -> Option<Result<(), String>> {
    let value = value.trim();
    Some(match key {
        "distribution" => parse_mode(value)
            .map(|_| ())
            .ok_or_else(|| "use to_all, round_robin or least_busy".to_string()),
        "ring_timeout_secs" | "operator_grace_secs" => match value.parse::<u64>() {
            Ok(secs) if (1..=MAX_SECS).contains(&secs) => Ok(()),
            _ => Err(format!("expected a number of seconds from 1 to {MAX_SECS}")),
        },
        "max_chats" => match value {
            "" => Ok(()),
            _ => value
                .parse::<u32>()
                .map(|_| ())
                .map_err(|_| "expected a number of chats (0: no cap)".to_string()),
        },
        _ => return None,
    })
}

fn parse_mode(value: &str) -> Option<Mode> {
    match value {
        "" | "to_all" => Some(Mode::ToAll),
        "round_robin" => Some(Mode::RoundRobin),
        "least_busy" => Some(Mode::LeastBusy),
        _ => None,
    }
}

/// Reads the current policy (defaults for anything unset or unreadable).
pub async fn policy(store: &Store) -> Result<Policy, StoreError> {
    let defaults = Policy::default();
    let secs = |value: Option<String>, default: i64| {
        value
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|secs| (1..=MAX_SECS).contains(secs))
            .map_or(default, secs_ms)
    };
    Ok(Policy {
        mode: store
            .setting("distribution")
            .await?
            .and_then(|v| parse_mode(v.trim()))
            .unwrap_or_default(),
        ring_timeout_ms: secs(
            store.setting("ring_timeout_secs").await?,
            defaults.ring_timeout_ms,
        ),
        max_chats: store
            .setting("max_chats")
            .await?
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|cap| *cap > 0),
        grace_ms: secs(
            store.setting("operator_grace_secs").await?,
            defaults.grace_ms,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_per_setting() {
        assert_eq!(validate("distribution", "round_robin"), Some(Ok(())));
        assert!(matches!(validate("distribution", "random"), Some(Err(_))));
        assert_eq!(validate("ring_timeout_secs", "15"), Some(Ok(())));
        assert!(matches!(validate("ring_timeout_secs", "0"), Some(Err(_))));
        assert!(matches!(
            validate("operator_grace_secs", "soon"),
            Some(Err(_))
        ));
        assert_eq!(validate("max_chats", ""), Some(Ok(())));
        assert!(matches!(validate("max_chats", "-1"), Some(Err(_))));
        assert_eq!(validate("survey", "[]"), None);
    }
}
