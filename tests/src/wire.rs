//! Raw protocol peers for server tests: a typed WebSocket that sends requests and waits for
//! the events a test expects, with a timeout instead of sleeps.

use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use switchboard_protocol::http::{LoginRequest, LoginResponse};
use switchboard_protocol::{
    AgentEvent, AgentRequest, ConversationEvent, PageInfo, Status, VisitorEvent, VisitorRequest,
    PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderName;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::server::TestServer;

/// How long a test waits for an expected frame.
pub const WAIT: Duration = Duration::from_secs(10);

/// A WebSocket speaking one role's frames: requests `Req` out, events `Ev` in.
pub struct RawSocket<Req, Ev> {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    _types: std::marker::PhantomData<(Req, Ev)>,
}

/// A raw operator socket.
pub type RawAgent = RawSocket<AgentRequest, AgentEvent>;
/// A raw widget socket.
pub type RawVisitor = RawSocket<VisitorRequest, VisitorEvent>;

impl<Req: Serialize, Ev: DeserializeOwned + std::fmt::Debug> RawSocket<Req, Ev> {
    /// Opens a socket to `url`.
    pub async fn open(url: &Url) -> anyhow::Result<Self> {
        Self::open_with_headers(url, &[]).await
    }

    /// Opens a socket to `url`, sending extra HTTP headers with the upgrade request.
    pub async fn open_with_headers(url: &Url, headers: &[(&str, &str)]) -> anyhow::Result<Self> {
        let mut request = url.as_str().into_client_request()?;
        for (name, value) in headers {
            request
                .headers_mut()
                .insert(HeaderName::from_bytes(name.as_bytes())?, value.parse()?);
        }
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .with_context(|| format!("cannot connect to {url}"))?;
        Ok(Self {
            socket,
            _types: std::marker::PhantomData,
        })
    }

    /// Sends a typed request.
    pub async fn send(&mut self, request: &Req) -> anyhow::Result<()> {
        self.send_text(serde_json::to_string(request)?).await
    }

    /// Sends any text frame (for malformed-input tests).
    pub async fn send_text(&mut self, text: String) -> anyhow::Result<()> {
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    /// The next event, or an error if none arrives within [`WAIT`] or the socket closes.
    pub async fn next(&mut self) -> anyhow::Result<Ev> {
        tokio::time::timeout(WAIT, self.next_event())
            .await
            .context("no frame arrived in time")?
    }

    /// The next event, however long it takes; an error when the socket closes. Cancel-safe:
    /// a frame is consumed only when this returns.
    pub async fn next_event(&mut self) -> anyhow::Result<Ev> {
        loop {
            let message = self.socket.next().await.context("the socket closed")??;
            match message {
                Message::Text(text) => {
                    return serde_json::from_str(&text)
                        .with_context(|| format!("unexpected frame {text}"))
                }
                Message::Close(frame) => bail!("the server closed the socket: {frame:?}"),
                _ => continue,
            }
        }
    }

    /// Skips events until `pick` returns `Some`, and returns that.
    pub async fn wait_for<T>(
        &mut self,
        mut pick: impl FnMut(&Ev) -> Option<T>,
    ) -> anyhow::Result<T> {
        loop {
            let event = self.next().await?;
            if let Some(found) = pick(&event) {
                return Ok(found);
            }
        }
    }

    /// Every event until the server closes the socket, and the close code, if any.
    pub async fn events_until_closed(&mut self) -> anyhow::Result<(Vec<Ev>, Option<u16>)> {
        let mut events = Vec::new();
        loop {
            match tokio::time::timeout(WAIT, self.socket.next()).await? {
                None | Some(Err(_)) => return Ok((events, None)),
                Some(Ok(Message::Close(frame))) => {
                    return Ok((events, frame.map(|f| f.code.into())))
                }
                Some(Ok(Message::Text(text))) => events.push(
                    serde_json::from_str(&text)
                        .with_context(|| format!("unexpected frame {text}"))?,
                ),
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Waits for the server to close the socket; returns the close code, if any.
    pub async fn closed(&mut self) -> anyhow::Result<Option<u16>> {
        loop {
            match tokio::time::timeout(WAIT, self.socket.next()).await? {
                None | Some(Err(_)) => return Ok(None),
                Some(Ok(Message::Close(frame))) => return Ok(frame.map(|f| f.code.into())),
                Some(Ok(_)) => continue,
            }
        }
    }
}

/// Logs in over HTTP and returns the session.
pub async fn login(
    server: &TestServer,
    email: &str,
    password: &str,
) -> anyhow::Result<LoginResponse> {
    let response = reqwest::Client::new()
        .post(server.base_url().join("api/v1/login")?)
        .json(&LoginRequest {
            email: email.into(),
            password: password.into(),
        })
        .send()
        .await?
        .error_for_status()?;
    Ok(response.json().await?)
}

/// A frame that may carry a conversation event (agents' and visitors' `Event`).
pub trait CarriesEvent {
    /// The conversation event in this frame, if it is one.
    fn conversation_event(&self) -> Option<&ConversationEvent>;
}

impl CarriesEvent for AgentEvent {
    fn conversation_event(&self) -> Option<&ConversationEvent> {
        match self {
            AgentEvent::Event { event, .. } => Some(event),
            _ => None,
        }
    }
}

impl CarriesEvent for VisitorEvent {
    fn conversation_event(&self) -> Option<&ConversationEvent> {
        match self {
            VisitorEvent::Event { event, .. } => Some(event),
            _ => None,
        }
    }
}

impl<Req: Serialize, Ev: DeserializeOwned + std::fmt::Debug + CarriesEvent> RawSocket<Req, Ev> {
    /// Skips frames until a conversation event for which `pick` returns `Some`, and returns that.
    pub async fn wait_for_event<T>(
        &mut self,
        mut pick: impl FnMut(&ConversationEvent) -> Option<T>,
    ) -> anyhow::Result<T> {
        self.wait_for(|frame| frame.conversation_event().and_then(&mut pick))
            .await
    }
}

impl RawAgent {
    /// Logs in, opens the agent socket and completes the hello; returns the socket and Welcome.
    pub async fn connect(
        server: &TestServer,
        email: &str,
        password: &str,
    ) -> anyhow::Result<(RawAgent, AgentEvent)> {
        let session = login(server, email, password).await?;
        let mut agent = RawAgent::open(&server.ws_url("ws/v1/agent")).await?;
        agent
            .send(&AgentRequest::Hello {
                protocol: PROTOCOL_VERSION,
                token: session.token,
                resume: Vec::new(),
            })
            .await?;
        let welcome = agent.next().await?;
        Ok((agent, welcome))
    }

    /// Connects like [`RawAgent::connect`], then sets `status` (request number 1).
    pub async fn connect_with_status(
        server: &TestServer,
        email: &str,
        password: &str,
        status: Status,
    ) -> anyhow::Result<(RawAgent, AgentEvent)> {
        let (mut agent, welcome) = RawAgent::connect(server, email, password).await?;
        agent
            .request(AgentRequest::SetStatus { req: 1, status })
            .await?;
        Ok((agent, welcome))
    }

    /// Waits for an invitation into a chat; returns the conversation id, the inviter's name and
    /// whether it is a transfer.
    pub async fn wait_for_invitation(&mut self) -> anyhow::Result<(String, String, bool)> {
        self.wait_for(|event| match event {
            AgentEvent::InvitedToChat {
                conversation,
                by,
                transfer,
            } => Some((conversation.id.clone(), by.name.clone(), *transfer)),
            _ => None,
        })
        .await
    }

    /// Sends a request and waits for its Ack (error if the server answers with an Error).
    pub async fn request(&mut self, request: AgentRequest) -> anyhow::Result<Option<u32>> {
        let req = request
            .req()
            .context("this request carries no req number")?;
        self.send(&request).await?;
        self.wait_for(|event| match event {
            AgentEvent::Ack { req: r, seq } if *r == req => Some(Ok(*seq)),
            AgentEvent::Error {
                req: Some(r),
                error,
            } if *r == req => Some(Err(error.clone())),
            _ => None,
        })
        .await?
        .map_err(|error| anyhow::anyhow!("request failed: {error}"))
    }
}

/// A page of the demo site, for visitor hellos.
pub fn demo_page(server: &TestServer, path: &str) -> PageInfo {
    PageInfo {
        url: server
            .base_url()
            .join(path)
            .expect("path is valid")
            .to_string(),
        title: format!("Acme Cloud {path}"),
        referrer: None,
    }
}

impl RawVisitor {
    /// Opens the visitor socket and says hello; returns the socket and Welcome.
    pub async fn connect(
        server: &TestServer,
        visitor_token: Option<String>,
        last_seq: Option<u32>,
    ) -> anyhow::Result<(RawVisitor, VisitorEvent)> {
        let mut visitor = RawVisitor::open(&server.ws_url("ws/v1/visitor")).await?;
        visitor
            .send(&VisitorRequest::Hello {
                protocol: PROTOCOL_VERSION,
                visitor_token,
                page: demo_page(server, "demo/"),
                time_zone: Some("Europe/Berlin".into()),
                last_seq,
            })
            .await?;
        let welcome = visitor.next().await?;
        Ok((visitor, welcome))
    }

    /// Opens the visitor socket as a browser at `ip` (through the trusted proxy the tests are)
    /// with `user_agent`, and says hello from `page`; returns the socket and Welcome.
    pub async fn connect_from(
        server: &TestServer,
        ip: &str,
        user_agent: &str,
        visitor_token: Option<String>,
        page: PageInfo,
    ) -> anyhow::Result<(RawVisitor, VisitorEvent)> {
        let headers = [("x-forwarded-for", ip), ("user-agent", user_agent)];
        let mut visitor =
            RawVisitor::open_with_headers(&server.ws_url("ws/v1/visitor"), &headers).await?;
        visitor
            .send(&VisitorRequest::Hello {
                protocol: PROTOCOL_VERSION,
                visitor_token,
                page,
                time_zone: Some("Europe/Berlin".into()),
                last_seq: None,
            })
            .await?;
        let welcome = visitor.next().await?;
        Ok((visitor, welcome))
    }

    /// Calls (starts a chat with no survey answers) and returns the new conversation's id.
    pub async fn start_chat(&mut self) -> anyhow::Result<String> {
        self.send(&VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await?;
        self.wait_for(|event| match event {
            VisitorEvent::Ack {
                req: 1,
                conversation: Some(c),
                ..
            } => Some(c.id.clone()),
            _ => None,
        })
        .await
    }

    /// Sends a request and waits for its Ack; returns the Ack's seq.
    pub async fn request(&mut self, request: VisitorRequest) -> anyhow::Result<Option<u32>> {
        let Some(req) = request.req() else {
            bail!("this request carries no req number")
        };
        self.send(&request).await?;
        self.wait_for(|event| match event {
            VisitorEvent::Ack { req: r, seq, .. } if *r == req => Some(Ok(*seq)),
            VisitorEvent::Error {
                req: Some(r),
                error,
            } if *r == req => Some(Err(error.clone())),
            _ => None,
        })
        .await?
        .map_err(|error| anyhow::anyhow!("request failed: {error}"))
    }
}
