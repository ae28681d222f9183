//! Typing signals: "visitor is typing" (with a sneak peek of the unsent text when the account
//! enables it) to the operators, "operator is typing" to the visitor. They are relayed live,
//! never stored as conversation events, and each side of a conversation is rate-limited: a
//! signal over the limit is dropped, except "stopped typing", which always gets through.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use switchboard_protocol::composer::{MAX_SNEAK_PEEK_BYTES, TYPING_FRAMES_PER_SECOND};
use switchboard_protocol::{AgentEvent, VisitorEvent};

use super::{frame_of, internal, not_participant, Frame, Hub, HubResult};

/// Checks after which the limiter forgets keys that went quiet.
const FORGET_EVERY: u32 = 4096;

/// The rate limit of typing signals, per conversation side.
pub struct TypingGate {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU32,
}

impl Default for TypingGate {
    fn default() -> Self {
        let rate = NonZeroU32::new(TYPING_FRAMES_PER_SECOND).expect("rate is not zero");
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(rate)),
            checks: AtomicU32::new(0),
        }
    }
}

impl TypingGate {
    /// Whether a signal from `who` goes through now. "Stopped typing" always does.
    fn admit(&self, who: String, typing: bool) -> bool {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(FORGET_EVERY)
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        !typing || self.limiter.check_key(&who).is_ok()
    }
}

impl Hub {
    /// The `TypingPolicy` frame a widget gets after `Welcome`.
    pub(super) async fn typing_policy_frame(&self) -> HubResult<Frame> {
        let sneak_peek = self.settings.sneak_peek().await.map_err(internal)?;
        Ok(frame_of(&VisitorEvent::TypingPolicy { sneak_peek }))
    }

    /// The visitor typed (or stopped): tells the operators of its open conversation, with the
    /// unsent text only when the account enables sneak peek.
    pub async fn visitor_typing(
        &self,
        visitor_id: &str,
        typing: bool,
        text: Option<String>,
    ) -> HubResult<()> {
        if !self.typing.admit(format!("v:{visitor_id}"), typing) {
            return Ok(());
        }
        let sneak_peek = self.settings.sneak_peek().await.map_err(internal)?;
        let text = text
            .filter(|_| sneak_peek && typing)
            .map(|text| truncate_bytes(text, MAX_SNEAK_PEEK_BYTES));
        // typing before the chat starts concerns nobody
        let Ok((conversation_id, _)) = self.open_conversation(visitor_id) else {
            return Ok(());
        };
        let mut live = self.live();
        let frame = frame_of(&AgentEvent::Typing {
            conversation_id: conversation_id.clone(),
            typing,
            text,
        });
        for operator in live.audience(&conversation_id) {
            live.push_agent(&operator, &frame);
        }
        Ok(())
    }

    /// An operator typed (or stopped) in a conversation they take part in: tells the visitor.
    pub fn operator_typing(
        &self,
        operator_id: &str,
        conversation_id: &str,
        typing: bool,
    ) -> HubResult<()> {
        let mut live = self.live();
        if !live.is_participant(operator_id, conversation_id) {
            return Err(not_participant(&live, conversation_id));
        }
        if !self
            .typing
            .admit(format!("o:{operator_id}:{conversation_id}"), typing)
        {
            return Ok(());
        }
        let name = live
            .agents
            .get(operator_id)
            .map(|agent| agent.operator.name.clone())
            .filter(|_| typing);
        let Some(visitor_id) = live
            .conversations
            .get(conversation_id)
            .map(|c| c.visitor_id.clone())
        else {
            return Ok(());
        };
        live.push_visitor(
            &visitor_id,
            &frame_of(&VisitorEvent::Typing { typing, name }),
        );
        Ok(())
    }
}

/// Cuts `text` to at most `max` bytes at a character boundary.
fn truncate_bytes(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_signals_over_the_rate_are_dropped_but_stopping_always_passes() {
        let gate = TypingGate::default();
        let admitted = (0..20).filter(|_| gate.admit("v:1".into(), true)).count();
        assert!((1..20).contains(&admitted), "admitted {admitted}");
        assert!(gate.admit("v:1".into(), false));
        assert!(
            gate.admit("v:2".into(), true),
            "each side has its own limit"
        );
    }

    #[test]
    fn a_long_sneak_peek_is_cut_at_a_character_boundary() {
        assert_eq!(truncate_bytes("héllo".into(), 2), "h");
        assert_eq!(truncate_bytes("héllo".into(), 3), "hé");
        assert_eq!(truncate_bytes("hi".into(), 10), "hi");
    }
}
