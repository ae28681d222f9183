//! Team events that need the operator's attention even when the window is hidden: a colleague
//! invites them into a chat (or hands one over), or a call they did not answer in time moved on
//! and set them Away. Shown as OS notifications; a click on an invitation brings the window up,
//! and an invitation's notification goes away once it is answered, here or on another device, or
//! lapses.

use std::collections::HashSet;
use std::sync::Mutex;

use switchboard_protocol::{AgentEvent, RingEnd};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// The team notifications on screen: the open invitations into chats.
#[derive(Default)]
pub struct TeamNotices {
    invitations: Mutex<HashSet<String>>,
}

impl TeamNotices {
    /// Shows a notification for `event` when it is a team event that needs one, and closes an
    /// invitation's when `event` ends it: operator `operator_id` joined (the chat lists them),
    /// declined, or the invitation lapsed.
    pub fn on_event(&self, app: &AppHandle, event: &AgentEvent, operator_id: &str) {
        let change = track(&mut self.lock(), event, operator_id);
        match change {
            Some(Invitation::Ended(id)) => {
                crate::notify::close_notifications(app, vec![crate::notify::notification_id(&id)]);
            }
            // sent again after a reconnect: its notification is still there
            Some(Invitation::Repeated) => return,
            Some(Invitation::Opened) | None => {}
        }
        announce(app, event);
    }

    /// Closes every invitation's notification (the session ended).
    pub fn reset(&self, app: &AppHandle) {
        let ids = self
            .lock()
            .drain()
            .map(|id| crate::notify::notification_id(&id))
            .collect::<Vec<_>>();
        if !ids.is_empty() {
            crate::notify::close_notifications(app, ids);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        crate::locks::lock(&self.invitations)
    }
}

/// What an event did to the open invitations.
#[derive(Debug, PartialEq)]
enum Invitation {
    /// A new invitation.
    Opened,
    /// An invitation already open, sent again (the server does after a reconnect).
    Repeated,
    /// The invitation into this chat ended.
    Ended(String),
}

/// Keeps `open` (the chats this operator is invited into) in step with `event`.
fn track(open: &mut HashSet<String>, event: &AgentEvent, operator_id: &str) -> Option<Invitation> {
    let ended = match event {
        AgentEvent::InvitedToChat { conversation, .. } => {
            let new = open.insert(conversation.id.clone());
            return Some(if new {
                Invitation::Opened
            } else {
                Invitation::Repeated
            });
        }
        AgentEvent::RingStopped {
            conversation_id, ..
        } => conversation_id,
        AgentEvent::ConversationUpdated { conversation }
            if conversation.operators.iter().any(|o| o.id == operator_id) =>
        {
            &conversation.id
        }
        _ => return None,
    };
    open.remove(ended).then(|| Invitation::Ended(ended.clone()))
}

fn announce(app: &AppHandle, event: &AgentEvent) {
    let (id, title, body) = match event {
        AgentEvent::InvitedToChat {
            conversation,
            by,
            transfer,
        } => {
            let title = if *transfer {
                format!("{} transfers a chat to you", by.name)
            } else {
                format!("{} invites you to a chat", by.name)
            };
            let body = format!(
                "with {} — Join or Decline in Switchboard",
                conversation.visitor.name
            );
            (
                crate::notify::notification_id(&conversation.id),
                title,
                body,
            )
        }
        AgentEvent::RingStopped {
            conversation_id,
            reason: RingEnd::NotAnswered,
        } => (
            // not the call's id: closing the call's notification must leave this one
            crate::notify::notification_id(&format!("missed:{conversation_id}")),
            "You missed a call".to_owned(),
            "It went to a colleague, and you are now Away.".to_owned(),
        ),
        _ => return,
    };
    let shown = app
        .notification()
        .builder()
        .id(id)
        .title(title)
        .body(body)
        .show();
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show a team notification");
    }
}

#[cfg(test)]
mod tests {
    use switchboard_protocol::{ConversationSummary, OperatorRef};

    use super::*;
    use crate::session::tests::call;

    fn bob() -> OperatorRef {
        OperatorRef {
            id: "op-2".into(),
            name: "Bob".into(),
        }
    }

    fn invited(id: &str) -> AgentEvent {
        AgentEvent::InvitedToChat {
            conversation: call(id, 1),
            by: bob(),
            transfer: false,
        }
    }

    #[test]
    fn an_invitation_ends_when_joined_declined_or_lapsed_and_a_repeat_is_not_new() {
        let mut open = HashSet::new();
        for id in ["joined", "declined", "lapsed"] {
            assert_eq!(
                track(&mut open, &invited(id), "op-1"),
                Some(Invitation::Opened)
            );
        }
        assert_eq!(
            track(&mut open, &invited("joined"), "op-1"),
            Some(Invitation::Repeated)
        );

        // updates of a chat this operator is only invited into end nothing; joining it does
        let mut chat = call("joined", 1);
        chat.operators.push(bob());
        let update = |chat: &ConversationSummary| AgentEvent::ConversationUpdated {
            conversation: chat.clone(),
        };
        assert_eq!(track(&mut open, &update(&chat), "op-1"), None);
        chat.operators.push(OperatorRef {
            id: "op-1".into(),
            name: "Ann".into(),
        });
        assert_eq!(
            track(&mut open, &update(&chat), "op-1"),
            Some(Invitation::Ended("joined".into()))
        );
        assert_eq!(track(&mut open, &update(&chat), "op-1"), None);

        for (id, reason) in [
            ("declined", RingEnd::Declined),
            ("lapsed", RingEnd::ChatEnded),
        ] {
            let stopped = AgentEvent::RingStopped {
                conversation_id: id.into(),
                reason,
            };
            assert_eq!(
                track(&mut open, &stopped, "op-1"),
                Some(Invitation::Ended(id.into()))
            );
        }
        assert!(open.is_empty());
    }
}
