//! Team work: the live team list (every operator's presence, chat count and time in status),
//! inviting an operator into a chat, transfers (invite, then leave once accepted) and leaving.
//!
//! An invitation lives on its conversation until the invitee accepts, declines, or the chat
//! ends. While it is open the invitee may read the history and receives the chat's new events,
//! so they join knowing what was said. Joins and leaves are ordinary conversation events, so
//! the visitor and every operator see who joined and who left, in order.

use std::collections::{HashMap, HashSet};

use switchboard_protocol::{
    AgentEvent, ConversationState, ErrorCode, EventBody, OperatorRef, ProtocolError, RingEnd, Role,
    Status, TeamMember,
};

use super::{frame_of, internal, not_found, not_participant, Frame, Hub, HubResult, Live};
use crate::now_millis;
use crate::store::OperatorRecord;

/// An open invitation of one operator into a conversation.
#[derive(Debug, Clone)]
pub(super) struct Invitation {
    /// Who invited.
    by: OperatorRef,
    /// Whether the inviter leaves once the invitee accepts.
    transfer: bool,
}

/// One operator as the hub knows them from the store.
#[derive(Debug, Clone)]
pub(super) struct Enrolled {
    /// Who.
    operator: OperatorRef,
    /// Their permissions.
    role: Role,
    /// Disabled by an administrator.
    pub(super) disabled: bool,
    /// Their own cap on concurrent chats (`None`: the account's).
    pub(super) max_chats: Option<u32>,
}

impl From<&OperatorRecord> for Enrolled {
    fn from(record: &OperatorRecord) -> Self {
        Enrolled {
            operator: OperatorRef {
                id: record.operator.id.clone(),
                name: record.operator.name.clone(),
            },
            role: record.operator.role,
            disabled: record.disabled,
            max_chats: record.max_chats,
        }
    }
}

/// What the team list keeps live.
pub(super) struct Team {
    /// Operators who watch the team list.
    watchers: HashSet<String>,
    /// Every operator known to the hub.
    roster: HashMap<String, Enrolled>,
    /// The presence last computed per operator: status, chats, since when in that status.
    shown: HashMap<String, (Status, u32, i64)>,
    /// When the hub started: "since" for operators not seen since.
    started_at: i64,
}

impl Default for Team {
    fn default() -> Self {
        Team {
            watchers: HashSet::new(),
            roster: HashMap::new(),
            shown: HashMap::new(),
            started_at: now_millis(),
        }
    }
}

fn conflict(message: impl Into<String>) -> ProtocolError {
    ProtocolError::new(ErrorCode::Conflict, message)
}

impl Live {
    /// An operator's status as others see it: `Offline` while none of their sockets is open.
    fn presence(&self, operator_id: &str) -> Status {
        self.agents
            .get(operator_id)
            .filter(|agent| !agent.sockets.is_empty())
            .map_or(Status::Offline, |agent| agent.status)
    }

    /// Open visitor chats an operator takes part in (internal chats do not count).
    pub(super) fn chat_count(&self, operator_id: &str) -> u32 {
        let count = self
            .conversations
            .values()
            .filter(|c| {
                !c.summary.internal && c.summary.operators.iter().any(|o| o.id == operator_id)
            })
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The team list entry of one operator, as it is now.
    fn member(&mut self, operator_id: &str) -> Option<TeamMember> {
        let enrolled = self.team.roster.get(operator_id)?.clone();
        let status = self.presence(operator_id);
        let chats = self.chat_count(operator_id);
        let started_at = self.team.started_at;
        let shown = self.team.shown.entry(operator_id.to_string()).or_insert((
            Status::Offline,
            0,
            started_at,
        ));
        if shown.0 != status {
            shown.2 = now_millis();
        }
        shown.0 = status;
        shown.1 = chats;
        Some(TeamMember {
            operator: enrolled.operator,
            role: enrolled.role,
            status,
            chats,
            status_since: shown.2,
            disabled: enrolled.disabled,
            max_chats: enrolled.max_chats,
        })
    }

    /// Every open chat an operator takes part in, internal ones included.
    pub(super) fn chat_count_all(&self, operator_id: &str) -> usize {
        self.conversations
            .values()
            .filter(|c| c.summary.operators.iter().any(|o| o.id == operator_id))
            .count()
    }

    /// Forgets a removed operator.
    pub(super) fn forget_member(&mut self, operator_id: &str) {
        self.team.roster.remove(operator_id);
        self.team.shown.remove(operator_id);
    }

    /// The whole team list, by name.
    pub(super) fn members(&mut self) -> Vec<TeamMember> {
        let ids: Vec<String> = self.team.roster.keys().cloned().collect();
        let mut members: Vec<TeamMember> = ids.iter().filter_map(|id| self.member(id)).collect();
        members.sort_by(|a, b| {
            a.operator
                .name
                .to_lowercase()
                .cmp(&b.operator.name.to_lowercase())
        });
        members
    }

    /// Sends a frame to every operator watching the team list.
    pub(super) fn push_team_watchers(&mut self, frame: &Frame) {
        let watchers: Vec<String> = self.team.watchers.iter().cloned().collect();
        for watcher in watchers {
            self.push_agent(&watcher, frame);
        }
    }

    /// Recomputes operators' presence and tells team watchers about those that changed.
    pub(super) fn team_changed<'a>(&mut self, operator_ids: impl IntoIterator<Item = &'a str>) {
        let ids: Vec<String> = operator_ids.into_iter().map(str::to_string).collect();
        for id in ids {
            let before = self.team.shown.get(&id).map(|s| (s.0, s.1));
            let Some(member) = self.member(&id) else {
                continue;
            };
            if before != Some((member.status, member.chats)) {
                let frame = frame_of(&AgentEvent::TeamMemberUpdated { member });
                self.push_team_watchers(&frame);
            }
        }
    }

    /// Tells team watchers how an operator is now, even if only an admin setting changed.
    pub(super) fn push_member(&mut self, operator_id: &str) {
        if let Some(member) = self.member(operator_id) {
            let frame = frame_of(&AgentEvent::TeamMemberUpdated { member });
            self.push_team_watchers(&frame);
        }
    }

    /// Adds an operator to the roster or updates them (name, role, admin settings).
    pub(super) fn enrol(&mut self, record: &OperatorRecord) {
        self.team
            .roster
            .insert(record.operator.id.clone(), Enrolled::from(record));
    }

    /// An operator's roster entry, to change admin settings live.
    pub(super) fn enrolled_mut(&mut self, operator_id: &str) -> Option<&mut Enrolled> {
        self.team.roster.get_mut(operator_id)
    }

    /// Whether an operator is below their own chat cap (if they have one) and not disabled.
    pub(super) fn may_get_chats(&self, operator_id: &str) -> bool {
        self.team.roster.get(operator_id).is_some_and(|enrolled| {
            !enrolled.disabled
                && enrolled
                    .max_chats
                    .is_none_or(|cap| self.chat_count(operator_id) < cap)
        })
    }

    /// Whether an operator has a cap of their own.
    pub(super) fn has_own_cap(&self, operator_id: &str) -> bool {
        self.team
            .roster
            .get(operator_id)
            .is_some_and(|enrolled| enrolled.max_chats.is_some())
    }

    /// Whether an operator holds an open invitation into a conversation.
    pub(super) fn is_invited(&self, operator_id: &str, conversation_id: &str) -> bool {
        self.conversations
            .get(conversation_id)
            .is_some_and(|c| c.invited.contains_key(operator_id))
    }

    /// `InvitedToChat` frames for every open invitation of an operator (sent after Welcome).
    pub(super) fn invitations_for(&self, operator_id: &str) -> Vec<Frame> {
        self.conversations
            .values()
            .filter_map(|c| {
                c.invited.get(operator_id).map(|invitation| {
                    frame_of(&AgentEvent::InvitedToChat {
                        conversation: c.summary.clone(),
                        by: invitation.by.clone(),
                        transfer: invitation.transfer,
                    })
                })
            })
            .collect()
    }

    /// Tells every invitee of a closing conversation that their invitation lapsed.
    pub(super) fn invitations_lapsed(&mut self, conversation_id: &str) {
        let invitees: Vec<String> = self
            .conversations
            .get_mut(conversation_id)
            .map(|c| c.invited.drain().map(|(id, _)| id).collect())
            .unwrap_or_default();
        let stopped = frame_of(&AgentEvent::RingStopped {
            conversation_id: conversation_id.to_string(),
            reason: RingEnd::ChatEnded,
        });
        for invitee in invitees {
            self.push_agent(&invitee, &stopped);
        }
    }

    /// Declines an open invitation; the inviter is told.
    pub(super) fn decline_invitation(&mut self, operator_id: &str, conversation_id: &str) {
        let Some(invitation) = self
            .conversations
            .get_mut(conversation_id)
            .and_then(|c| c.invited.remove(operator_id))
        else {
            return;
        };
        let stopped = frame_of(&AgentEvent::RingStopped {
            conversation_id: conversation_id.to_string(),
            reason: RingEnd::Declined,
        });
        self.push_agent(operator_id, &stopped);
        if let Ok(operator) = self.operator_ref(operator_id) {
            let declined = frame_of(&AgentEvent::InvitationDeclined {
                conversation_id: conversation_id.to_string(),
                operator,
            });
            self.push_agent(&invitation.by.id, &declined);
        }
    }

    /// Declines every open invitation of an operator (they are leaving for good).
    pub(super) fn decline_all_invitations(&mut self, operator_id: &str) {
        let invited: Vec<String> = self
            .conversations
            .iter()
            .filter(|(_, c)| c.invited.contains_key(operator_id))
            .map(|(id, _)| id.clone())
            .collect();
        for conversation_id in invited {
            self.decline_invitation(operator_id, &conversation_id);
        }
    }

    /// An operator's reference (id and name), if they are known to the hub.
    pub(super) fn operator_ref(&self, operator_id: &str) -> HubResult<OperatorRef> {
        let agent = self.agents.get(operator_id).ok_or_else(not_found)?;
        Ok(OperatorRef {
            id: agent.operator.id.clone(),
            name: agent.operator.name.clone(),
        })
    }
}

impl Hub {
    /// Starts (or renews) an operator's subscription to the team list; the whole list goes out
    /// to their sockets at once.
    pub async fn watch_team(&self, operator_id: &str) -> HubResult<()> {
        let operators = self.store.operators().await.map_err(internal)?;
        let mut live = self.live();
        for record in &operators {
            live.enrol(record);
        }
        live.team.watchers.insert(operator_id.to_string());
        let members = live.members();
        let list = frame_of(&AgentEvent::TeamList { members });
        live.push_agent(operator_id, &list);
        Ok(())
    }

    /// Invites `invitee` into a chat `operator_id` takes part in (see
    /// [`switchboard_protocol::AgentRequest::InviteOperator`]).
    pub async fn invite_operator(
        &self,
        operator_id: &str,
        conversation_id: &str,
        invitee: &str,
        transfer: bool,
    ) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        let mut live = self.live();
        if !live.is_participant(operator_id, conversation_id) {
            return Err(not_participant(&live, conversation_id));
        }
        if invitee == operator_id {
            return Err(ProtocolError::new(
                ErrorCode::Invalid,
                "you already take part in this chat",
            ));
        }
        let by = live.operator_ref(operator_id)?;
        let Some(target) = live.agents.get(invitee).filter(|a| !a.sockets.is_empty()) else {
            return Err(conflict(
                "this operator is offline; invite someone who is online or away",
            ));
        };
        let name = target.operator.name.clone();
        if target.status == Status::Offline {
            return Err(conflict(format!(
                "{name} is offline; invite someone who is online or away"
            )));
        }
        if live.is_participant(invitee, conversation_id) {
            return Err(conflict(format!("{name} already takes part in this chat")));
        }
        let conversation = live
            .conversations
            .get_mut(conversation_id)
            .ok_or_else(not_found)?;
        conversation.invited.insert(
            invitee.to_string(),
            Invitation {
                by: by.clone(),
                transfer,
            },
        );
        let invited = frame_of(&AgentEvent::InvitedToChat {
            conversation: conversation.summary.clone(),
            by,
            transfer,
        });
        live.push_agent(invitee, &invited);
        Ok(())
    }

    /// Accepts an open invitation: the invitee joins; on a transfer the inviter then leaves
    /// (if they are still there). Called with the writer lock held.
    pub(super) async fn join_invited(
        &self,
        operator_id: &str,
        conversation_id: &str,
    ) -> HubResult<()> {
        let (joining, invitation) = {
            let live = self.live();
            let invitation = live
                .conversations
                .get(conversation_id)
                .and_then(|c| c.invited.get(operator_id).cloned())
                .ok_or_else(not_found)?;
            (live.operator_ref(operator_id)?, invitation)
        };
        let body = EventBody::OperatorJoined {
            operator: joining.clone(),
        };
        self.commit(conversation_id, body, |live, _| {
            if let Some(conversation) = live.conversations.get_mut(conversation_id) {
                conversation.invited.remove(operator_id);
                conversation.summary.state = ConversationState::Active;
                conversation.summary.operators.push(joining);
            }
        })
        .await?;
        {
            let mut live = self.live();
            // the joiner's app learns the chat is theirs now; the others see who takes part
            live.push_conversation_update(conversation_id);
            live.team_changed([operator_id]);
            live.sync_rings(self.clock.now());
        }
        let inviter = invitation.by.id;
        if invitation.transfer && self.live().is_participant(&inviter, conversation_id) {
            self.leave_locked(&inviter, conversation_id).await?;
        }
        Ok(())
    }

    /// An operator leaves a chat without closing it.
    pub async fn leave(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        let _writer = self.writer.lock().await;
        {
            let live = self.live();
            if !live.is_participant(operator_id, conversation_id) {
                return Err(not_participant(&live, conversation_id));
            }
            let others = live.conversations[conversation_id].summary.operators.len() - 1;
            if others == 0 {
                return Err(conflict(
                    "you are the only operator in this chat; close it or transfer it instead",
                ));
            }
        }
        self.leave_locked(operator_id, conversation_id).await
    }

    /// Stores that an operator left and takes them out of the live conversation afterwards,
    /// so they too receive their `OperatorLeft` event. Called with the writer lock held.
    async fn leave_locked(&self, operator_id: &str, conversation_id: &str) -> HubResult<()> {
        let leaving = self.live().operator_ref(operator_id)?;
        self.commit(
            conversation_id,
            EventBody::OperatorLeft { operator: leaving },
            |_, _| {},
        )
        .await?;
        let mut live = self.live();
        if let Some(conversation) = live.conversations.get_mut(conversation_id) {
            conversation
                .summary
                .operators
                .retain(|o| o.id != operator_id);
        }
        live.push_conversation_update(conversation_id);
        live.team_changed([operator_id]);
        live.chat_changed(conversation_id);
        live.sync_rings(self.clock.now());
        Ok(())
    }
}
