//! Team events that need the operator's attention even when the window is hidden: a colleague
//! invites them into a chat (or hands one over), or a call they did not answer in time moved on
//! and set them Away. Shown as OS notifications; a click on an invitation brings the window up.

use switchboard_protocol::{AgentEvent, RingEnd};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Shows a notification for `event` when it is a team event that needs one.
pub fn announce(app: &AppHandle, event: &AgentEvent) {
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
            crate::notify::notification_id(conversation_id),
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
