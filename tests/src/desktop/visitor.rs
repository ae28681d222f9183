//! A visitor on the raw `/ws/v1/visitor` socket: what the widget does, without a browser.

use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::{SinkExt, StreamExt};
use switchboard_protocol::{
    EventBody, PageInfo, SurveyAnswer, VisitorEvent, VisitorRequest, PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::server::TestServer;

/// How long a visitor waits for an expected event.
const WAIT: Duration = Duration::from_secs(20);

/// A connected visitor.
pub struct Visitor {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_req: u32,
    /// The token the widget would keep in localStorage.
    pub token: String,
}

impl Visitor {
    /// Opens the visitor socket and says hello (a new visitor).
    pub async fn connect(server: &TestServer) -> anyhow::Result<Visitor> {
        let (socket, _) =
            tokio_tungstenite::connect_async(server.ws_url("/ws/v1/visitor").as_str())
                .await
                .context("connecting the visitor socket")?;
        let mut visitor = Visitor {
            socket,
            next_req: 1,
            token: String::new(),
        };
        visitor
            .send(&VisitorRequest::Hello {
                protocol: PROTOCOL_VERSION,
                visitor_token: None,
                page: PageInfo {
                    url: "https://shop.example.com/pricing".into(),
                    title: "Pricing".into(),
                    referrer: None,
                },
                time_zone: Some("Europe/Berlin".into()),
                last_seq: None,
            })
            .await?;
        let welcome = visitor
            .wait_for(|event| matches!(event, VisitorEvent::Welcome { .. }))
            .await?;
        if let VisitorEvent::Welcome { visitor_token, .. } = welcome {
            visitor.token = visitor_token;
        }
        Ok(visitor)
    }

    /// Calls (starts a chat) as `name`, and waits for the server to take the call.
    pub async fn call(&mut self, name: &str) -> anyhow::Result<()> {
        let req = self.req();
        self.send(&VisitorRequest::StartChat {
            req,
            survey: vec![SurveyAnswer {
                key: "name".into(),
                value: name.into(),
            }],
        })
        .await?;
        self.wait_for_ack(req).await
    }

    /// Sends a chat message and waits for its ack.
    pub async fn say(&mut self, text: &str) -> anyhow::Result<()> {
        let req = self.req();
        self.send(&VisitorRequest::Send {
            req,
            client_msg_id: uuid::Uuid::new_v4().to_string(),
            text: text.into(),
        })
        .await?;
        self.wait_for_ack(req).await
    }

    /// Waits for a message from an operator and returns its text.
    pub async fn wait_for_operator_message(&mut self) -> anyhow::Result<String> {
        let event = self
            .wait_for(|event| {
                matches!(event, VisitorEvent::Event { event, .. }
                    if matches!(&event.body, EventBody::Message { author, .. }
                        if matches!(author, switchboard_protocol::Author::Operator { .. })))
            })
            .await?;
        match event {
            VisitorEvent::Event { event, .. } => match event.body {
                EventBody::Message { text, .. } => Ok(text),
                _ => unreachable!("matched a message"),
            },
            _ => unreachable!("matched an event"),
        }
    }

    /// Waits for the next event `wanted` accepts (others are skipped) and returns it.
    pub async fn wait_for(
        &mut self,
        wanted: impl Fn(&VisitorEvent) -> bool,
    ) -> anyhow::Result<VisitorEvent> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .context("timed out waiting for a visitor event")?;
            let Some(frame) = frame else {
                bail!("the server closed the visitor socket");
            };
            if let Message::Text(text) = frame? {
                let event: VisitorEvent = serde_json::from_str(&text)
                    .with_context(|| format!("unexpected visitor frame {text}"))?;
                if let VisitorEvent::Error { req: None, error } = &event {
                    bail!("the server reported {error}");
                }
                if wanted(&event) {
                    return Ok(event);
                }
            }
        }
    }

    async fn wait_for_ack(&mut self, req: u32) -> anyhow::Result<()> {
        let answer = self
            .wait_for(|event| match event {
                VisitorEvent::Ack { req: r, .. } | VisitorEvent::Error { req: Some(r), .. } => {
                    *r == req
                }
                _ => false,
            })
            .await?;
        match answer {
            VisitorEvent::Error { error, .. } => bail!("request {req} failed: {error}"),
            _ => Ok(()),
        }
    }

    fn req(&mut self) -> u32 {
        self.next_req += 1;
        self.next_req
    }

    async fn send(&mut self, request: &VisitorRequest) -> anyhow::Result<()> {
        let text = serde_json::to_string(request)?;
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }
}
