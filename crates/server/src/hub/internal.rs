//! Operator-to-operator (internal) chats: started from the team list, accepted for both at
//! once, allowed while Away, and invisible to visitors (their placeholder visitor never has a
//! socket). Messages, invitations, leaving and closing work as in any chat.

use switchboard_protocol::{
    AgentEvent, ConversationState, ConversationSummary, ErrorCode, EventBody, OperatorRef,
    ProtocolError, ReadMarks, Status, VisitorInfo,
};

use super::{frame_of, internal, Hub, HubResult, LiveConversation};
use crate::routing::Policy;
use crate::store::placeholder_visitor;

/// What an internal chat's placeholder visitor is called.
const TEAM_CHAT: &str = "Team chat";

impl Hub {
    /// Starts an internal chat between `operator_id` and a connected colleague; both get
    /// `ConversationUpdated` with it, already active.
    pub async fn start_internal_chat(
        &self,
        operator_id: &str,
        colleague_id: &str,
    ) -> HubResult<()> {
        if operator_id == colleague_id {
            return Err(ProtocolError::new(
                ErrorCode::Invalid,
                "pick a colleague to chat with",
            ));
        }
        let _writer = self.writer.lock().await;
        let (me, colleague) = {
            let live = self.live();
            let me = live.operator_ref(operator_id)?;
            let colleague = live
                .agents
                .get(colleague_id)
                .filter(|a| !a.sockets.is_empty() && a.status != Status::Offline)
                .map(|a| OperatorRef {
                    id: a.operator.id.clone(),
                    name: a.operator.name.clone(),
                })
                .ok_or_else(|| {
                    ProtocolError::new(
                        ErrorCode::Conflict,
                        "this colleague is offline; pick someone who is online or away",
                    )
                })?;
            (me, colleague)
        };
        let id = uuid::Uuid::new_v4().to_string();
        let started_at = self
            .store
            .create_internal_chat(&id, TEAM_CHAT)
            .await
            .map_err(internal)?;
        let visitor_id = placeholder_visitor(&id);
        let summary = ConversationSummary {
            id: id.clone(),
            state: ConversationState::Active,
            visitor: VisitorInfo {
                id: visitor_id.clone(),
                name: TEAM_CHAT.to_string(),
                email: None,
                survey: Vec::new(),
                called_from: None,
                current_page: None,
                connected: true,
            },
            operators: Vec::new(),
            first_message: None,
            last_seq: 0,
            started_at,
            visitor_marks: ReadMarks::default(),
            operator_marks: ReadMarks::default(),
            internal: true,
        };
        self.live().conversations.insert(
            id.clone(),
            LiveConversation::new(visitor_id, summary, Policy::default()),
        );
        for operator in [me, colleague] {
            let body = EventBody::OperatorJoined {
                operator: operator.clone(),
            };
            self.commit(&id, body, |live, _| {
                if let Some(conversation) = live.conversations.get_mut(&id) {
                    conversation.summary.operators.push(operator);
                }
            })
            .await?;
        }
        let mut live = self.live();
        if let Some(conversation) = live.conversations.get(&id) {
            let update = frame_of(&AgentEvent::ConversationUpdated {
                conversation: conversation.summary.clone(),
            });
            for operator in [operator_id, colleague_id] {
                live.push_agent(operator, &update);
            }
        }
        Ok(())
    }
}
