//! What agent and visitor sockets share: bounded buffers, reading typed frames with a rate
//! limit and clear error frames, the handshake timeout, and pumping hub frames out.

use std::future::Future;
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::de::DeserializeOwned;
use switchboard_protocol::limits::{MAX_FRAME_BYTES, MESSAGES_PER_SECOND, MESSAGE_BURST};
use switchboard_protocol::{ErrorCode, ProtocolError};

use crate::hub::{frame_of, Frame, SocketLink};

/// How long a new socket may take to send its hello.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Rate-limit violations in a row after which a socket is closed.
const MAX_VIOLATIONS: u32 = 200;

/// WebSocket close code: the message was too big.
const CLOSE_TOO_BIG: u16 = 1009;
/// WebSocket close code: policy violation.
pub const CLOSE_POLICY: u16 = 1008;
/// WebSocket close code: the service restarts; reconnect.
pub const CLOSE_RESTART: u16 = 1012;
/// WebSocket close code: try again later.
pub const CLOSE_TRY_AGAIN: u16 = 1013;

/// Small buffers so that an idle socket costs little memory; frames are bounded.
pub fn bounded(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 * MAX_FRAME_BYTES)
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
}

/// A WebSocket as the handlers see it: one this node accepted, or one that another node of a
/// cluster accepted and carries over the bus ([`crate::cluster`]).
pub trait FrameSocket: Send {
    /// The next message; `None` once the socket is gone.
    fn recv(&mut self) -> impl Future<Output = Option<Result<Message, axum::Error>>> + Send;
    /// Sends one message.
    fn send(&mut self, message: Message) -> impl Future<Output = Result<(), axum::Error>> + Send;
}

impl FrameSocket for WebSocket {
    async fn recv(&mut self) -> Option<Result<Message, axum::Error>> {
        WebSocket::recv(self).await
    }

    async fn send(&mut self, message: Message) -> Result<(), axum::Error> {
        WebSocket::send(self, message).await
    }
}

/// One read from a socket.
pub enum Incoming<T> {
    /// A well-formed request.
    Request(T),
    /// A ping or pong (answered by the WebSocket layer): nothing to do.
    Control,
    /// A bad frame: answer with this error (for request `req`, when it could be read) and
    /// carry on.
    Bad(Option<u32>, ProtocolError),
    /// The socket is gone (or was closed for a violation).
    Closed,
}

/// Reads typed requests from one socket, enforcing the message rate.
pub struct Reader {
    limiter: DefaultDirectRateLimiter,
    violations: u32,
}

impl Default for Reader {
    fn default() -> Self {
        let rate = NonZeroU32::new(MESSAGES_PER_SECOND).expect("rate is not zero");
        let burst = NonZeroU32::new(MESSAGE_BURST).expect("burst is not zero");
        Self {
            limiter: RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)),
            violations: 0,
        }
    }
}

impl Reader {
    /// Turns what the socket produced into a request, an error to report, or the end.
    pub async fn decode<T: DeserializeOwned + Metered>(
        &mut self,
        socket: &mut impl FrameSocket,
        received: Option<Result<Message, axum::Error>>,
    ) -> Incoming<T> {
        let text = match received {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Binary(_))) => {
                return Incoming::Bad(
                    None,
                    ProtocolError::new(
                        ErrorCode::MalformedFrame,
                        "frames are JSON text, not binary",
                    ),
                )
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => return Incoming::Control,
            Some(Ok(Message::Close(_))) | None => return Incoming::Closed,
            Some(Err(error)) => {
                close_after_error(socket, &error).await;
                return Incoming::Closed;
            }
        };
        let parsed = serde_json::from_str::<T>(&text);
        if parsed.as_ref().map_or(true, Metered::metered) {
            if self.limiter.check().is_err() {
                self.violations += 1;
                if self.violations > MAX_VIOLATIONS {
                    close(socket, CLOSE_POLICY, "too many messages").await;
                    return Incoming::Closed;
                }
                let req = parsed.as_ref().ok().and_then(Metered::req);
                return Incoming::Bad(
                    req,
                    ProtocolError::new(
                        ErrorCode::RateLimited,
                        format!("at most {MESSAGES_PER_SECOND} frames per second; slow down"),
                    ),
                );
            }
            self.violations = 0;
        }
        match parsed {
            Ok(request) => Incoming::Request(request),
            Err(error) => Incoming::Bad(
                None,
                ProtocolError::new(
                    ErrorCode::MalformedFrame,
                    format!("not a valid request: {error}"),
                ),
            ),
        }
    }
}

/// Whether a request counts against the per-connection rate limit. Read receipts and pings
/// do not: a receipt can only move marks forward up to the last seq, so it cannot cause more
/// work than the events it acknowledges, and an operator with many busy chats sends many.
/// Malformed frames always count.
pub trait Metered {
    /// True when the request uses up the rate limit.
    fn metered(&self) -> bool;
    /// The request number its answer carries, so that a refusal names the request.
    fn req(&self) -> Option<u32>;
}

/// Writes the greeting, then serves the socket until it closes: each request is answered by
/// `handle` (`None`: no answer), each bad frame by the frame `bad` makes of its request
/// number and error, and
/// frames the hub pushes are passed through. A socket the hub dropped as too slow is closed.
pub async fn serve<T, R, Fut>(
    socket: &mut impl FrameSocket,
    reader: &mut Reader,
    greeting: Vec<Frame>,
    link: &mut SocketLink,
    mut handle: impl FnMut(T) -> Fut,
    bad: impl Fn(Option<u32>, ProtocolError) -> R,
) where
    T: DeserializeOwned + Metered,
    R: serde::Serialize,
    Fut: std::future::Future<Output = Option<R>>,
{
    let mut alive = true;
    for frame in greeting {
        alive = alive && send(socket, frame).await;
    }
    while alive {
        tokio::select! {
            received = socket.recv() => {
                let reply = match reader.decode::<T>(socket, received).await {
                    Incoming::Request(request) => handle(request).await,
                    Incoming::Bad(req, e) => Some(bad(req, e)),
                    Incoming::Control => None,
                    Incoming::Closed => break,
                };
                if let Some(reply) = reply {
                    alive = send(socket, frame_of(&reply)).await;
                }
            }
            pushed = link.frames.recv() => match pushed {
                Some(frame) => alive = send(socket, frame).await,
                None => {
                    close_too_slow(socket).await;
                    break;
                }
            },
        }
    }
}

/// Sends one frame; false if the socket is gone.
pub async fn send(socket: &mut impl FrameSocket, frame: Frame) -> bool {
    socket.send(Message::Text(frame)).await.is_ok()
}

/// Closes with a code and a reason.
pub async fn close(socket: &mut impl FrameSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Ends a socket that failed to read: a frame over the limit gets a close frame saying so.
pub async fn close_after_error(socket: &mut impl FrameSocket, error: &axum::Error) {
    let too_big =
        error.to_string().contains("too long") || error.to_string().contains("Space limit");
    if too_big {
        close(
            socket,
            CLOSE_TOO_BIG,
            &format!("frames are limited to {MAX_FRAME_BYTES} bytes"),
        )
        .await;
    }
}

/// Closes a socket the hub dropped because it could not keep up.
pub async fn close_too_slow(socket: &mut impl FrameSocket) {
    close(
        socket,
        CLOSE_TRY_AGAIN,
        "too slow to receive; reconnect and resume",
    )
    .await;
}

/// Closes after an error frame that ends the connection (bad hello, unauthorized, …).
pub async fn refuse(socket: &mut impl FrameSocket, frame: Frame) {
    let _ = send(socket, frame).await;
    close(socket, CLOSE_POLICY, "refused").await;
}
