//! Call distribution: who a ringing call rings for right now, moving one-at-a-time calls on
//! when they are not answered in time, and keeping every operator's ringing tabs in step.
//!
//! Each ringing conversation remembers the operators it was shown to (`rung`). After any change
//! that may move a call (a call starts, a status changes, an operator connects or drops, a
//! chat starts or ends, a ring times out) [`Live::sync_rings`] assigns one-at-a-time calls and
//! pushes `Ringing` to operators it newly rings for and `RingStopped` to those it no longer
//! does. Paths with a more precise reason (taken, declined, not answered) push their own
//! `RingStopped` and forget the operator first.

use std::collections::HashSet;

use switchboard_protocol::{AgentEvent, ConversationState, RingEnd, Status};

use super::{frame_of, internal, Hub, HubResult, Live, LiveConversation};
use crate::routing::Mode;

/// Routing state shared by all calls.
#[derive(Default)]
pub(super) struct Queue {
    /// The operator the last one-at-a-time call was assigned to (round robin's turn).
    last_assigned: Option<String>,
}

impl Live {
    /// Whether `conversation` may ring for `operator_id`: Online, connected, has not declined
    /// it, below the account's chat cap and their own, and not disabled.
    fn may_ring(&self, operator_id: &str, conversation: &LiveConversation) -> bool {
        let Some(agent) = self.agents.get(operator_id) else {
            return false;
        };
        agent.status == Status::Online
            && !agent.sockets.is_empty()
            && !conversation.declined.contains(operator_id)
            && conversation
                .policy
                .max_chats
                .is_none_or(|cap| self.chat_count(operator_id) < cap)
            && self.may_get_chats(operator_id)
    }

    /// Operators a ringing conversation rings for right now.
    pub(super) fn ring_targets(&self, conversation: &LiveConversation) -> Vec<String> {
        if conversation.summary.state != ConversationState::Ringing {
            return Vec::new();
        }
        match conversation.policy.mode {
            Mode::ToAll => self
                .agents
                .keys()
                .filter(|id| self.may_ring(id, conversation))
                .cloned()
                .collect(),
            Mode::RoundRobin | Mode::LeastBusy => conversation
                .assignee
                .iter()
                .map(|(id, _)| id)
                .filter(|id| self.may_ring(id, conversation))
                .cloned()
                .collect(),
        }
    }

    /// Whether an operator may accept a ringing call: in To All without any cap anyone may; in
    /// the other modes, or with a cap (the account's or their own), only an operator it rings
    /// for.
    pub(super) fn may_take(&self, operator_id: &str, conversation: &LiveConversation) -> bool {
        (conversation.policy.mode == Mode::ToAll
            && conversation.policy.max_chats.is_none()
            && !self.has_own_cap(operator_id))
            || self
                .ring_targets(conversation)
                .iter()
                .any(|id| id == operator_id)
    }

    /// Gives a one-at-a-time call an operator if it has none it may ring for.
    fn assign(&mut self, conversation_id: &str, now: i64) {
        let Some(conversation) = self.conversations.get(conversation_id) else {
            return;
        };
        let mode = conversation.policy.mode;
        if mode == Mode::ToAll
            || conversation
                .assignee
                .as_ref()
                .is_some_and(|(id, _)| self.may_ring(id, conversation))
        {
            return;
        }
        let mut candidates: Vec<&String> = self
            .agents
            .keys()
            .filter(|id| self.may_ring(id, conversation))
            .collect();
        candidates.sort();
        // Round-robin order: whoever comes after the last assigned operator goes first.
        let last = self.queue.last_assigned.as_ref();
        let turn = candidates
            .iter()
            .position(|id| Some(*id) > last)
            .unwrap_or(0);
        candidates.rotate_left(turn);
        let chosen = match mode {
            Mode::LeastBusy => candidates
                .iter()
                .enumerate()
                .min_by_key(|(rank, id)| (self.chat_count(id), *rank))
                .map(|(_, id)| (*id).clone()),
            _ => candidates.first().map(|id| (*id).clone()),
        };
        let timeout = conversation.policy.ring_timeout_ms;
        if let Some(chosen) = &chosen {
            self.queue.last_assigned = Some(chosen.clone());
        }
        if let Some(conversation) = self.conversations.get_mut(conversation_id) {
            conversation.assignee = chosen.map(|id| (id, now.saturating_add(timeout)));
        }
    }

    /// Assigns one-at-a-time calls and brings every operator's ringing tabs in step, oldest
    /// call first.
    pub(super) fn sync_rings(&mut self, now: i64) {
        let mut ringing: Vec<(i64, String)> = self
            .conversations
            .iter()
            .filter(|(_, c)| c.summary.state == ConversationState::Ringing || !c.rung.is_empty())
            .map(|(id, c)| (c.summary.started_at, id.clone()))
            .collect();
        ringing.sort();
        for (_, id) in ringing {
            self.assign(&id, now);
            let Some(conversation) = self.conversations.get(&id) else {
                continue;
            };
            let targets: HashSet<String> = self.ring_targets(conversation).into_iter().collect();
            let started: Vec<String> = targets.difference(&conversation.rung).cloned().collect();
            let stopped: Vec<String> = conversation.rung.difference(&targets).cloned().collect();
            let ringing_frame = frame_of(&AgentEvent::Ringing {
                conversation: conversation.summary.clone(),
            });
            let stopped_frame = frame_of(&AgentEvent::RingStopped {
                conversation_id: id.clone(),
                reason: RingEnd::StatusChanged,
            });
            for operator in &stopped {
                self.push_agent(operator, &stopped_frame);
            }
            for operator in &started {
                self.push_agent(operator, &ringing_frame);
            }
            if let Some(conversation) = self.conversations.get_mut(&id) {
                conversation.rung = targets;
            }
        }
    }

    /// Forgets that a call rang for these operators (their `RingStopped` went out already).
    pub(super) fn forget_rung<'a>(
        &mut self,
        conversation_id: &str,
        operators: impl IntoIterator<Item = &'a String>,
    ) {
        if let Some(conversation) = self.conversations.get_mut(conversation_id) {
            for operator in operators {
                conversation.rung.remove(operator);
            }
        }
    }

    /// One-at-a-time calls whose operator let them ring past the timeout.
    fn missed(&self, now: i64) -> Vec<(String, String)> {
        self.conversations
            .iter()
            .filter_map(|(id, c)| match &c.assignee {
                Some((operator, deadline)) if *deadline <= now && c.rung.contains(operator) => {
                    Some((id.clone(), operator.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

impl Hub {
    /// Moves calls that were not answered in time on to the next operator and sets whoever
    /// let them ring Away, telling them why. Runs on every clock tick.
    pub async fn run_timers(&self) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let now = self.clock.now();
        let missed = self.live().missed(now);
        let operators: HashSet<&String> = missed.iter().map(|(_, op)| op).collect();
        for operator in &operators {
            self.store
                .set_status(operator, Status::Away)
                .await
                .map_err(internal)?;
        }
        {
            let mut live = self.live();
            self.miss(&mut live, &missed, operators, now);
        }
        self.end_expired_sessions(now);
        self.expire_grace(now).await
    }

    /// Tells operators who let calls ring past the timeout why they stopped ringing and that
    /// they are Away now, and moves the calls on.
    fn miss(
        &self,
        live: &mut Live,
        missed: &[(String, String)],
        operators: HashSet<&String>,
        now: i64,
    ) {
        for (conversation_id, operator) in missed {
            let stopped = frame_of(&AgentEvent::RingStopped {
                conversation_id: conversation_id.clone(),
                reason: RingEnd::NotAnswered,
            });
            live.push_agent(operator, &stopped);
            live.forget_rung(conversation_id, [operator]);
        }
        for operator in operators {
            if let Some(agent) = live.agents.get_mut(operator.as_str()) {
                agent.status = Status::Away;
            }
            let changed = frame_of(&AgentEvent::StatusChanged {
                status: Status::Away,
            });
            live.push_agent(operator, &changed);
            live.team_changed([operator.as_str()]);
        }
        live.sync_rings(now);
        live.refresh_availability();
    }

    /// Runs the timers every half second until the process ends.
    pub async fn run_timers_forever(self: std::sync::Arc<Self>) {
        let mut ticks = tokio::time::interval(std::time::Duration::from_millis(500));
        loop {
            ticks.tick().await;
            if let Err(error) = self.run_timers().await {
                tracing::warn!(%error, "ring timers failed; retrying on the next tick");
            }
        }
    }

    /// Moves a manual clock forward and runs the timers at once; `false` on the system clock.
    pub async fn advance_clock(&self, millis: i64) -> HubResult<bool> {
        if !self.clock.advance(millis) {
            return Ok(false);
        }
        self.run_timers().await?;
        Ok(true)
    }
}
