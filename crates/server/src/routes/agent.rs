//! `/ws/v1/agent`: an operator's socket. Hello (token + resume points) first, then requests
//! answered with Ack / HistoryPage / Error, while hub frames flow out.

use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use switchboard_protocol::{AgentEvent, AgentRequest, ErrorCode, ProtocolError, PROTOCOL_VERSION};

use super::socket::{self, FrameSocket, Incoming, Metered, Reader};
use super::AppState;
use crate::auth;
use crate::hub::{frame_of, Hub};
use crate::store::OperatorRecord;

/// Upgrades to an agent socket.
pub async fn upgrade(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    socket::bounded(upgrade).on_upgrade(move |socket| run(socket, state))
}

fn error(req: Option<u32>, error: ProtocolError) -> AgentEvent {
    AgentEvent::Error { req, error }
}

/// Serves one operator's socket from hello to close.
pub(crate) async fn run(mut socket: impl FrameSocket, state: AppState) {
    let mut reader = Reader::default();
    let Some((record, resume, token)) = handshake(&mut socket, &mut reader, &state.hub).await
    else {
        return;
    };
    let operator = record.operator.id.clone();
    let greeting = match state.hub.connect_agent(record, &resume).await {
        Ok(greeting) => greeting,
        Err(e) => return socket::refuse(&mut socket, frame_of(&error(None, e))).await,
    };
    let mut link = greeting.link;
    let session = auth::token_hash(&token);
    state.hub.bind_session(&session, &operator, link.id);
    // A logout between the handshake and the binding did not see this socket: check again,
    // and learn when the session expires, so that the socket closes then.
    match state.hub.session_expiry(&session).await {
        Ok(Some(expires_at)) => state.hub.expire_session_at(&session, expires_at),
        _ => state.hub.end_session(&session),
    }
    socket::serve(
        &mut socket,
        &mut reader,
        greeting.frames,
        &mut link,
        |request: AgentRequest| handle(&state.hub, &operator, request),
        error,
    )
    .await;
    state.hub.unbind_session(&session, link.id);
    state.hub.disconnect_agent(&operator, link.id);
}

/// Waits for Hello, checks version and token. Refuses the socket on failure. Returns the
/// operator, the resume points and the session token.
async fn handshake(
    socket: &mut impl FrameSocket,
    reader: &mut Reader,
    hub: &Hub,
) -> Option<(
    OperatorRecord,
    Vec<switchboard_protocol::ResumePoint>,
    String,
)> {
    let received = tokio::time::timeout(socket::HELLO_TIMEOUT, socket.recv())
        .await
        .ok()?;
    let refusal = match reader.decode::<AgentRequest>(socket, received).await {
        Incoming::Request(AgentRequest::Hello {
            protocol,
            token,
            resume,
        }) => {
            if protocol != PROTOCOL_VERSION {
                ProtocolError::new(
                    ErrorCode::UnsupportedVersion,
                    format!("this server speaks protocol {PROTOCOL_VERSION}"),
                )
            } else {
                match hub.authenticate(&token).await {
                    Ok(Some(record)) => return Some((record, resume, token)),
                    Ok(None) => ProtocolError::new(
                        ErrorCode::Unauthorized,
                        "the session is invalid or expired; log in again",
                    ),
                    Err(e) => e,
                }
            }
        }
        Incoming::Request(_) => {
            ProtocolError::new(ErrorCode::Unauthorized, "the first frame must be hello")
        }
        Incoming::Bad(_, e) => e,
        Incoming::Control | Incoming::Closed => return None,
    };
    socket::refuse(socket, frame_of(&error(None, refusal))).await;
    None
}

/// Carries out one request; returns the answer to send (if any).
async fn handle(hub: &Hub, operator: &str, request: AgentRequest) -> Option<AgentEvent> {
    let ack = |req: u32, result: Result<(), ProtocolError>| match result {
        Ok(()) => AgentEvent::Ack { req, seq: None },
        Err(e) => error(Some(req), e),
    };
    Some(match request {
        AgentRequest::Hello { .. } => error(
            None,
            ProtocolError::new(ErrorCode::Conflict, "already authenticated"),
        ),
        AgentRequest::SetStatus { req, status } => ack(req, hub.set_status(operator, status).await),
        AgentRequest::Accept {
            req,
            conversation_id,
        } => ack(req, hub.accept(operator, &conversation_id).await),
        AgentRequest::Decline {
            req,
            conversation_id,
        } => ack(req, hub.decline(operator, &conversation_id)),
        AgentRequest::Close {
            req,
            conversation_id,
        } => ack(req, hub.operator_close(operator, &conversation_id).await),
        AgentRequest::Send {
            req,
            conversation_id,
            client_msg_id,
            text,
        } => {
            match hub
                .operator_send(operator, &conversation_id, client_msg_id, &text)
                .await
            {
                Ok(seq) => AgentEvent::Ack {
                    req,
                    seq: Some(seq),
                },
                Err(e) => error(Some(req), e),
            }
        }
        AgentRequest::Receipt {
            conversation_id,
            delivered,
            seen,
        } => {
            match hub
                .operator_receipt(operator, &conversation_id, delivered, seen)
                .await
            {
                Ok(()) => return None,
                Err(e) => error(None, e),
            }
        }
        AgentRequest::History {
            req,
            conversation_id,
            before_seq,
            limit,
        } => {
            match hub
                .history(operator, &conversation_id, before_seq, limit)
                .await
            {
                Ok((events, has_more)) => AgentEvent::HistoryPage {
                    req,
                    conversation_id,
                    events,
                    has_more,
                },
                Err(e) => error(Some(req), e),
            }
        }
        AgentRequest::Ping { req } => AgentEvent::Ack { req, seq: None },
        AgentRequest::WatchVisitors { req } => {
            hub.watch_visitors(operator);
            AgentEvent::Ack { req, seq: None }
        }
        AgentRequest::Invite {
            req,
            visitor_id,
            text,
        } => ack(req, hub.invite(operator, &visitor_id, &text)),
        AgentRequest::Block { req, target } => ack(req, hub.block(operator, target).await),
        AgentRequest::Unblock { req, block_id } => ack(req, hub.unblock(&block_id).await),
        AgentRequest::SaveCanned { req, id, draft } => {
            ack(req, hub.save_canned(operator, id, draft).await)
        }
        AgentRequest::DeleteCanned { req, id } => ack(req, hub.delete_canned(operator, &id).await),
        AgentRequest::ReorderCanned { req, scope, ids } => {
            ack(req, hub.reorder_canned(operator, scope, &ids).await)
        }
        AgentRequest::WatchTeam { req } => ack(req, hub.watch_team(operator).await),
        AgentRequest::InviteOperator {
            req,
            conversation_id,
            operator_id,
            transfer,
        } => ack(
            req,
            hub.invite_operator(operator, &conversation_id, &operator_id, transfer)
                .await,
        ),
        AgentRequest::ReadAccount { req } => ack(req, hub.read_account(operator).await),
        AgentRequest::SetAccountSetting { req, key, value } => {
            ack(req, hub.set_account_setting(operator, &key, &value).await)
        }
        AgentRequest::AddOperator {
            req,
            email,
            name,
            password,
            admin,
        } => ack(
            req,
            hub.add_operator(operator, &email, &name, password, admin)
                .await,
        ),
        AgentRequest::ResetPassword {
            req,
            operator_id,
            password,
        } => ack(
            req,
            hub.reset_password(operator, &operator_id, password).await,
        ),
        AgentRequest::RemoveOperator { req, operator_id } => {
            ack(req, hub.remove_operator(operator, &operator_id).await)
        }
        AgentRequest::SetOperatorDisabled {
            req,
            operator_id,
            disabled,
        } => ack(
            req,
            hub.set_operator_disabled(operator, &operator_id, disabled)
                .await,
        ),
        AgentRequest::SetOperatorCap {
            req,
            operator_id,
            max_chats,
        } => ack(
            req,
            hub.set_operator_cap(operator, &operator_id, max_chats)
                .await,
        ),
        AgentRequest::StartInternalChat { req, operator_id } => {
            ack(req, hub.start_internal_chat(operator, &operator_id).await)
        }
        AgentRequest::Leave {
            req,
            conversation_id,
        } => ack(req, hub.leave(operator, &conversation_id).await),
        AgentRequest::Typing {
            conversation_id,
            typing,
        } => match hub.operator_typing(operator, &conversation_id, typing) {
            Ok(()) => return None,
            Err(e) => error(None, e),
        },
    })
}

impl Metered for AgentRequest {
    fn req(&self) -> Option<u32> {
        AgentRequest::req(self)
    }

    fn metered(&self) -> bool {
        !matches!(
            self,
            AgentRequest::Receipt { .. } | AgentRequest::Ping { .. }
        )
    }
}
