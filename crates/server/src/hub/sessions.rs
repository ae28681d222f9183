//! Which agent sockets each session opened, so that ending a session (logout, or its expiry)
//! closes them at once: a revoked or expired token must not keep a socket opened with it.

use std::collections::HashMap;

use switchboard_protocol::{AgentEvent, ErrorCode, ProtocolError};

use super::{frame_of, Frame, Hub, Live};

/// Agent sockets by the hash of the session token that opened them.
#[derive(Default)]
pub(super) struct AgentSessions {
    by_token: HashMap<String, Vec<(String, u64)>>,
    expires_at: HashMap<String, i64>,
}

impl Hub {
    /// Ties an agent socket (registered by [`Hub::connect_agent`]) to the session that opened it.
    pub fn bind_session(&self, token_hash: &str, operator_id: &str, socket_id: u64) {
        self.live()
            .sessions
            .by_token
            .entry(token_hash.to_string())
            .or_default()
            .push((operator_id.to_string(), socket_id));
    }

    /// Forgets a closed socket.
    pub fn unbind_session(&self, token_hash: &str, socket_id: u64) {
        let mut live = self.live();
        if let Some(sockets) = live.sessions.by_token.get_mut(token_hash) {
            sockets.retain(|(_, id)| *id != socket_id);
            if sockets.is_empty() {
                live.sessions.by_token.remove(token_hash);
                live.sessions.expires_at.remove(token_hash);
            }
        }
    }

    /// Remembers when a bound session expires: its sockets close then.
    pub fn expire_session_at(&self, token_hash: &str, expires_at: i64) {
        let mut live = self.live();
        if live.sessions.by_token.contains_key(token_hash) {
            live.sessions
                .expires_at
                .insert(token_hash.to_string(), expires_at);
        }
    }

    /// Closes the sockets of every session that has expired by `now` (the hub's clock).
    pub(super) fn end_expired_sessions(&self, now: i64) {
        let expired: Vec<String> = self
            .live()
            .sessions
            .expires_at
            .iter()
            .filter(|(_, expires_at)| **expires_at <= now)
            .map(|(token_hash, _)| token_hash.clone())
            .collect();
        for token_hash in expired {
            self.close_session(&token_hash, "this session expired; log in again");
        }
    }

    /// The session ended: each socket it opened gets an `Unauthorized` error and is closed.
    pub fn end_session(&self, token_hash: &str) {
        self.close_session(token_hash, "this session was logged out; log in again");
    }

    fn close_session(&self, token_hash: &str, message: &str) {
        let mut live = self.live();
        live.sessions.expires_at.remove(token_hash);
        let Some(sockets) = live.sessions.by_token.remove(token_hash) else {
            return;
        };
        let ended = unauthorized(message);
        for (operator_id, socket_id) in sockets {
            let sender = live
                .agents
                .get_mut(&operator_id)
                .and_then(|agent| agent.sockets.remove(&socket_id));
            if let Some(sender) = sender {
                // Dropping the sender ends the socket after this last frame.
                let _ = sender.try_send(ended.clone());
            }
        }
        live.refresh_availability();
    }
}

impl Live {
    /// Closes every socket of an operator whose sessions were revoked: each gets an
    /// `Unauthorized` error with `message` as its last frame.
    pub(super) fn close_operator_sockets(&mut self, operator_id: &str, message: &str) {
        let sessions = &mut self.sessions;
        sessions.by_token.retain(|_, sockets| {
            sockets.retain(|(owner, _)| owner != operator_id);
            !sockets.is_empty()
        });
        let by_token = &sessions.by_token;
        sessions
            .expires_at
            .retain(|token_hash, _| by_token.contains_key(token_hash));
        let ended = unauthorized(message);
        if let Some(agent) = self.agents.get_mut(operator_id) {
            for (_, sender) in agent.sockets.drain() {
                // Dropping the sender ends the socket after this last frame.
                let _ = sender.try_send(ended.clone());
            }
        }
        self.refresh_availability();
    }
}

fn unauthorized(message: &str) -> Frame {
    frame_of(&AgentEvent::Error {
        req: None,
        error: ProtocolError::new(ErrorCode::Unauthorized, message),
    })
}
