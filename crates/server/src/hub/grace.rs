//! Presence that tells a blip from a departure: an operator whose last connection drops keeps
//! their chats for a grace period (the visitor sees "reconnecting"); if they are not back by
//! then they leave those chats, and a chat left with no operator returns to the queue and
//! rings the others.

use std::collections::HashMap;

use switchboard_protocol::{Author, ConversationState, EventBody, OperatorRef, VisitorEvent};

use super::{frame_of, internal, Frame, Hub, HubResult, Live};

/// Operators whose last connection dropped, and when.
#[derive(Default)]
pub(super) struct Dropped {
    since: HashMap<String, i64>,
}

impl Live {
    /// Open chats an operator takes part in.
    pub(super) fn chats_of(&self, operator_id: &str) -> Vec<String> {
        self.conversations
            .iter()
            .filter(|(_, c)| c.summary.operators.iter().any(|o| o.id == operator_id))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Tells the visitors of an operator's chats whether the operator is connected.
    fn tell_visitors(&mut self, operator_id: &str, connected: bool) {
        for id in self.chats_of(operator_id) {
            let Some(conversation) = self.conversations.get(&id) else {
                continue;
            };
            let Some(operator) = conversation
                .summary
                .operators
                .iter()
                .find(|o| o.id == operator_id)
                .cloned()
            else {
                continue;
            };
            let visitor_id = conversation.visitor_id.clone();
            let frame = frame_of(&VisitorEvent::OperatorConnection {
                operator,
                connected,
            });
            self.push_visitor(&visitor_id, &frame);
        }
    }

    /// Starts an operator's grace period if their last socket closed while they had chats.
    pub(super) fn operator_dropped(&mut self, operator_id: &str, now: i64) {
        let gone = self
            .agents
            .get(operator_id)
            .is_some_and(|agent| agent.sockets.is_empty());
        if gone && !self.chats_of(operator_id).is_empty() {
            self.dropped.since.insert(operator_id.to_string(), now);
            self.tell_visitors(operator_id, false);
        }
    }

    /// After a restart every operator with open chats is away until their app reconnects:
    /// each gets the grace period from now.
    pub(super) fn all_dropped(&mut self, now: i64) {
        let operators: Vec<String> = self
            .conversations
            .values()
            .flat_map(|c| c.summary.operators.iter().map(|o| o.id.clone()))
            .collect();
        for operator in operators {
            self.dropped.since.insert(operator, now);
        }
    }

    /// `OperatorConnection` frames for a (re)connecting visitor: which operators of its chat
    /// are reconnecting right now.
    pub(super) fn reconnecting_frames(&self, conversation_id: &str) -> Vec<Frame> {
        let Some(conversation) = self.conversations.get(conversation_id) else {
            return Vec::new();
        };
        conversation
            .summary
            .operators
            .iter()
            .filter(|o| self.dropped.since.contains_key(&o.id))
            .map(|operator| {
                frame_of(&VisitorEvent::OperatorConnection {
                    operator: operator.clone(),
                    connected: false,
                })
            })
            .collect()
    }

    /// Forgets an operator's grace period without telling anyone (they are leaving for good).
    pub(super) fn forget_dropped(&mut self, operator_id: &str) {
        self.dropped.since.remove(operator_id);
    }

    /// Ends an operator's grace period when they are back in time.
    pub(super) fn operator_back(&mut self, operator_id: &str) {
        if self.dropped.since.remove(operator_id).is_some() {
            self.tell_visitors(operator_id, true);
        }
    }
}

impl Hub {
    /// Takes operators whose grace period ran out out of their chats; chats left with nobody
    /// ring again. Called with the writer lock held.
    pub(super) async fn expire_grace(&self, now: i64) -> HubResult<()> {
        if self.live().dropped.since.is_empty() {
            return Ok(());
        }
        let grace = crate::routing::policy(&self.store)
            .await
            .map_err(internal)?
            .grace_ms;
        let expired: Vec<(String, Vec<String>)> = {
            let mut live = self.live();
            let expired: Vec<String> = live
                .dropped
                .since
                .iter()
                .filter(|(_, since)| since.saturating_add(grace) <= now)
                .map(|(id, _)| id.clone())
                .collect();
            expired
                .into_iter()
                .map(|id| {
                    live.dropped.since.remove(&id);
                    let chats = live.chats_of(&id);
                    (id, chats)
                })
                .collect()
        };
        for (operator_id, chats) in expired {
            for conversation_id in chats {
                self.lapse(&operator_id, &conversation_id, now).await?;
            }
        }
        Ok(())
    }

    /// An operator leaves one chat because they are gone (their grace ran out, or they were
    /// disabled); a chat left with nobody goes back to the queue. Called with the writer lock
    /// held.
    pub(super) async fn lapse(
        &self,
        operator_id: &str,
        conversation_id: &str,
        now: i64,
    ) -> HubResult<()> {
        let Some(leaving) = self
            .live()
            .conversations
            .get(conversation_id)
            .and_then(|c| {
                c.summary
                    .operators
                    .iter()
                    .find(|o| o.id == operator_id)
                    .cloned()
            })
        else {
            return Ok(());
        };
        let body = EventBody::OperatorLeft {
            operator: OperatorRef {
                id: leaving.id,
                name: leaving.name,
            },
        };
        let mut deserted = false;
        let mut internal = false;
        self.commit(conversation_id, body, |live, _| {
            if let Some(conversation) = live.conversations.get_mut(conversation_id) {
                conversation
                    .summary
                    .operators
                    .retain(|o| o.id != operator_id);
                deserted = conversation.summary.operators.is_empty();
                internal = conversation.summary.internal;
                if deserted && !internal {
                    // Back to the queue: it rings again, for everyone who may take it.
                    conversation.summary.state = ConversationState::Ringing;
                    conversation.declined.clear();
                    conversation.assignee = None;
                }
            }
        })
        .await?;
        if deserted && internal {
            // Nobody is left in a team chat: it ends.
            return self.close_locked(conversation_id, Author::System).await;
        }
        let mut live = self.live();
        live.push_conversation_update(conversation_id);
        live.team_changed([operator_id]);
        live.chat_changed(conversation_id);
        live.sync_rings(now);
        Ok(())
    }
}
