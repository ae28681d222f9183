//! Incoming calls get the operator's attention: an OS notification with the visitor's name and
//! first message (a click opens that chat's tab), the window asks for attention, and the UI
//! rings (a repeating sound) for as long as [`RingState`] lists a call. Everything stops when
//! the call is accepted, declined, taken by a colleague or abandoned.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use switchboard_protocol::{ConversationState, ConversationSummary};
use tauri::{AppHandle, Emitter, Manager, UserAttentionType};
use tauri_plugin_notification::NotificationExt;

use crate::ipc::{self, OpenChat, RingState};

/// Freedesktop sound name of an incoming call (servers that play sounds use it).
const CALL_SOUND: &str = "phone-incoming-call";
/// Key of the conversation id in a notification's extra payload.
const CONVERSATION_KEY: &str = "conversation_id";

/// Tracks the calls ringing for this operator.
#[derive(Default)]
pub struct Ringer {
    ringing: Mutex<Vec<String>>,
}

impl Ringer {
    /// Brings notifications and the ring in line with `conversations` (the session's view).
    pub fn sync(&self, app: &AppHandle, conversations: &[ConversationSummary]) {
        let now: Vec<&ConversationSummary> = conversations
            .iter()
            .filter(|c| c.state == ConversationState::Ringing)
            .collect();
        let mut ringing = self.ringing.lock().unwrap_or_else(PoisonError::into_inner);
        let started: Vec<&ConversationSummary> = now
            .iter()
            .copied()
            .filter(|c| !ringing.contains(&c.id))
            .collect();
        let ended: Vec<String> = ringing
            .iter()
            .filter(|id| !now.iter().any(|c| &c.id == *id))
            .cloned()
            .collect();
        if started.is_empty() && ended.is_empty() {
            return;
        }
        ringing.retain(|id| !ended.contains(id));
        ringing.extend(started.iter().map(|c| c.id.clone()));
        let state = RingState {
            ringing: ringing.clone(),
        };
        drop(ringing);

        for call in &started {
            announce(app, call);
        }
        if !ended.is_empty() {
            close_notifications(app, ended.iter().map(|id| notification_id(id)).collect());
        }
        request_attention(app, !state.ringing.is_empty());
        if let Err(error) = app.emit(ipc::RING_CHANGED, &state) {
            tracing::warn!(%error, "could not tell the UI about ringing calls");
        }
    }

    /// Forgets every call (the session ended).
    pub fn reset(&self, app: &AppHandle) {
        self.sync(app, &[]);
    }
}

/// Opens the chat a clicked call notification belongs to.
pub fn listen_for_clicks(app: &AppHandle) -> tauri::Result<()> {
    let handle = app.clone();
    let registered = app.notification().on_action(move |action| {
        let conversation_id = action
            .notification()
            .and_then(|n| n.extra().get(CONVERSATION_KEY))
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        if let Some(conversation_id) = conversation_id {
            crate::window::show_main(&handle);
            let _ = handle.emit(ipc::CHAT_OPEN, OpenChat { conversation_id });
        }
    });
    registered.map_err(|error| tauri::Error::Anyhow(error.into()))
}

fn announce(app: &AppHandle, call: &ConversationSummary) {
    let body = call
        .first_message
        .clone()
        .unwrap_or_else(|| "wants to chat".to_owned());
    let shown = app
        .notification()
        .builder()
        .id(notification_id(&call.id))
        .title(format!("Incoming chat: {}", call.visitor.name))
        .body(body)
        .sound(CALL_SOUND)
        .extra(CONVERSATION_KEY, &call.id)
        .show();
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show the call notification");
    }
}

/// Closes shown notifications (by id) on a thread of their own: closing is a blocking D-Bus call,
/// which must not run on (and would panic on) a thread of the async runtime.
pub(crate) fn close_notifications(app: &AppHandle, ids: Vec<i32>) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("close-notifications".into())
        .spawn(move || {
            if let Err(error) = app.notification().remove_active(ids) {
                tracing::debug!(%error, "could not close notifications");
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not close notifications");
    }
}

fn request_attention(app: &AppHandle, ringing: bool) {
    if let Some(window) = app.get_webview_window(crate::window::MAIN) {
        let kind = ringing.then_some(UserAttentionType::Critical);
        if let Err(error) = window.request_user_attention(kind) {
            tracing::debug!(%error, "could not request attention");
        }
    }
}

/// A stable notification id for a conversation.
pub(crate) fn notification_id(conversation_id: &str) -> i32 {
    let mut hasher = DefaultHasher::new();
    conversation_id.hash(&mut hasher);
    (hasher.finish() & 0x7fff_ffff) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_ids_are_stable_and_positive() {
        assert_eq!(notification_id("abc"), notification_id("abc"));
        assert_ne!(notification_id("abc"), notification_id("abd"));
        assert!(notification_id("abc") >= 0);
    }
}
