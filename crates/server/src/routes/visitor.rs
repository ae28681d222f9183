//! `/ws/v1/visitor`: a widget's socket. Hello (token, page, last seq) first; then page views,
//! the call, messages, receipts, close and offline messages.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use switchboard_protocol::{
    ErrorCode, PageInfo, ProtocolError, VisitorEvent, VisitorRequest, PROTOCOL_VERSION,
};

use super::socket::{self, FrameSocket, Incoming, Metered, Reader};
use super::AppState;
use crate::arrival::Arrival;
use crate::hub::{frame_of, Hub, VisitorGreeting};

/// Upgrades to a visitor socket; the origin is checked against the allowlist after hello.
pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let from = VisitorSocketFrom::new(peer.ip(), &headers);
    socket::bounded(upgrade).on_upgrade(move |socket| run(socket, state, from))
}

/// Where a visitor socket comes from: the connecting address and the headers that matter. A
/// relay node of a cluster sends this along with the socket it carries.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VisitorSocketFrom {
    /// The connecting address (a proxy's, when `forwarded_for` is set).
    pub peer: IpAddr,
    /// `Origin`.
    pub origin: Option<String>,
    /// `Host`.
    pub host: Option<String>,
    /// `X-Forwarded-For`.
    pub forwarded_for: Option<String>,
    /// `User-Agent`.
    pub user_agent: Option<String>,
}

impl VisitorSocketFrom {
    /// Reads the headers of the upgrade request.
    pub fn new(peer: IpAddr, headers: &HeaderMap) -> Self {
        Self {
            peer,
            origin: header_text(headers, header::ORIGIN),
            host: header_text(headers, header::HOST),
            forwarded_for: header_text(headers, header::HeaderName::from_static("x-forwarded-for")),
            user_agent: header_text(headers, header::USER_AGENT),
        }
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Where a visitor socket comes from: the `Origin` and `Host` headers.
struct Origins {
    origin: Option<String>,
    host: Option<String>,
}

impl Origins {
    /// Allowed when the list is empty, or the socket's origin and the reported page's origin
    /// are each this server's own origin or on the list.
    fn allow(&self, allowed: &[String], page: &PageInfo) -> bool {
        if allowed.is_empty() {
            return true;
        }
        let acceptable = |origin: &str| {
            allowed.iter().any(|a| a == origin)
                || self.host.as_deref().is_some_and(|host| {
                    url::Url::parse(origin).is_ok_and(|url| {
                        url.host_str().is_some_and(|h| {
                            let with_port =
                                url.port().map_or(h.to_string(), |p| format!("{h}:{p}"));
                            with_port == host
                        })
                    })
                })
        };
        let socket_ok = self.origin.as_deref().is_none_or(acceptable);
        let page_origin = url::Url::parse(&page.url).map(|u| u.origin().ascii_serialization());
        let page_ok = page_origin.is_ok_and(|origin| acceptable(&origin));
        socket_ok && page_ok
    }
}

fn error(req: Option<u32>, error: ProtocolError) -> VisitorEvent {
    VisitorEvent::Error { req, error }
}

/// Serves one visitor's socket from hello to close.
pub(crate) async fn run(mut socket: impl FrameSocket, state: AppState, from: VisitorSocketFrom) {
    let arrival = Arrival::new(
        from.peer,
        from.forwarded_for.as_deref(),
        from.user_agent.as_deref(),
        state.hub.trusted_proxies(),
    );
    let origins = Origins {
        origin: from.origin,
        host: from.host,
    };
    let Some(_permit) = state.visitor_sockets.admit(arrival.ip) else {
        let refusal = ProtocolError::new(
            ErrorCode::RateLimited,
            format!(
                "at most {} chat connections from one address; close another tab and try again",
                state.visitor_sockets.max()
            ),
        );
        return socket::refuse(&mut socket, frame_of(&error(None, refusal))).await;
    };
    let mut reader = Reader::default();
    let Some(VisitorGreeting {
        visitor_id,
        greeting,
    }) = handshake(&mut socket, &mut reader, &state.hub, &origins, &arrival).await
    else {
        return;
    };
    let mut link = greeting.link;
    socket::serve(
        &mut socket,
        &mut reader,
        greeting.frames,
        &mut link,
        |request: VisitorRequest| handle(&state.hub, &visitor_id, request),
        error,
    )
    .await;
    state.hub.disconnect_visitor(&visitor_id, link.id);
}

async fn handshake(
    socket: &mut impl FrameSocket,
    reader: &mut Reader,
    hub: &Hub,
    origins: &Origins,
    arrival: &Arrival,
) -> Option<VisitorGreeting> {
    let received = tokio::time::timeout(socket::HELLO_TIMEOUT, socket.recv())
        .await
        .ok()?;
    let refusal = match reader.decode::<VisitorRequest>(socket, received).await {
        Incoming::Request(VisitorRequest::Hello {
            protocol,
            visitor_token,
            page,
            time_zone,
            last_seq,
        }) => {
            if protocol != PROTOCOL_VERSION {
                ProtocolError::new(
                    ErrorCode::UnsupportedVersion,
                    format!("this server speaks protocol {PROTOCOL_VERSION}"),
                )
            } else {
                match hub.settings().allowed_origins().await {
                    Ok(allowed) if !origins.allow(&allowed, &page) => ProtocolError::new(
                        ErrorCode::OriginDenied,
                        "this site may not use the chat",
                    ),
                    Ok(_) => match hub
                        .connect_visitor(
                            visitor_token.as_deref(),
                            page,
                            time_zone,
                            last_seq,
                            arrival,
                        )
                        .await
                    {
                        Ok(greeting) => return Some(greeting),
                        Err(e) => e,
                    },
                    Err(e) => {
                        tracing::error!(%e, "reading allowed origins failed");
                        ProtocolError::new(ErrorCode::Internal, "the server failed; try again")
                    }
                }
            }
        }
        Incoming::Request(_) => {
            ProtocolError::new(ErrorCode::Invalid, "the first frame must be hello")
        }
        Incoming::Bad(_, e) => e,
        Incoming::Control | Incoming::Closed => return None,
    };
    socket::refuse(socket, frame_of(&error(None, refusal))).await;
    None
}

/// Carries out one request; returns the answer to send (if any).
async fn handle(hub: &Hub, visitor_id: &str, request: VisitorRequest) -> Option<VisitorEvent> {
    let ack = |req: u32, result: Result<(), ProtocolError>| match result {
        Ok(()) => VisitorEvent::Ack {
            req,
            seq: None,
            conversation: None,
        },
        Err(e) => error(Some(req), e),
    };
    Some(match request {
        VisitorRequest::Hello { .. } => error(
            None,
            ProtocolError::new(ErrorCode::Conflict, "already identified"),
        ),
        VisitorRequest::PageView { page } => match hub.page_view(visitor_id, page).await {
            Ok(()) => return None,
            Err(e) => error(None, e),
        },
        VisitorRequest::StartChat { req, survey } => match hub.start_chat(visitor_id, survey).await
        {
            Ok(conversation) => VisitorEvent::Ack {
                req,
                seq: None,
                conversation: Some(conversation),
            },
            Err(e) => error(Some(req), e),
        },
        VisitorRequest::Send {
            req,
            client_msg_id,
            text,
        } => match hub.visitor_send(visitor_id, client_msg_id, &text).await {
            Ok(seq) => VisitorEvent::Ack {
                req,
                seq: Some(seq),
                conversation: None,
            },
            Err(e) => error(Some(req), e),
        },
        VisitorRequest::Receipt { delivered, seen } => {
            match hub.visitor_receipt(visitor_id, delivered, seen).await {
                Ok(()) => return None,
                Err(e) => error(None, e),
            }
        }
        VisitorRequest::Close { req } => ack(req, hub.visitor_close(visitor_id).await),
        VisitorRequest::AnswerInvitation {
            req,
            client_msg_id,
            text,
        } => match hub
            .answer_invitation(visitor_id, client_msg_id, &text)
            .await
        {
            Ok(conversation) => VisitorEvent::Ack {
                req,
                seq: None,
                conversation: Some(conversation),
            },
            Err(e) => error(Some(req), e),
        },
        VisitorRequest::DismissInvitation => {
            hub.dismiss_invitation(visitor_id);
            return None;
        }
        VisitorRequest::Typing { typing, text } => {
            match hub.visitor_typing(visitor_id, typing, text).await {
                Ok(()) => return None,
                Err(e) => error(None, e),
            }
        }
        VisitorRequest::OfflineMessage {
            req,
            name,
            email,
            text,
        } => ack(
            req,
            hub.offline_message(visitor_id, &name, &email, &text).await,
        ),
    })
}

impl Metered for VisitorRequest {
    fn req(&self) -> Option<u32> {
        VisitorRequest::req(self)
    }

    fn metered(&self) -> bool {
        !matches!(self, VisitorRequest::Receipt { .. })
    }
}
