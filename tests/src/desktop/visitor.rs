//! A visitor in scenario terms (call, say, read the operator's answer, come back), on top of
//! the raw widget socket of [`crate::wire`].

use switchboard_protocol::{
    Author, EventBody, FileInfo, SurveyAnswer, VisitorEvent, VisitorRequest,
};

use crate::server::TestServer;
use crate::wire::RawVisitor;

/// A pre-chat survey that asks the visitor's name, so calls show who is calling.
const NAME_SURVEY: &str = r#"[{"key":"name","label":"Your name","kind":"text","required":false}]"#;

/// Configures the server's pre-chat survey to ask for the visitor's name ([`Visitor::call`]
/// answers it).
pub async fn ask_for_names(server: &TestServer) -> anyhow::Result<()> {
    server.set_setting("survey", NAME_SURVEY).await
}

/// A connected visitor.
pub struct Visitor {
    socket: RawVisitor,
    next_req: u32,
    /// The token the widget would keep in localStorage.
    pub token: String,
    /// Whether the last Welcome or Availability said an operator is online.
    pub online: bool,
}

impl Visitor {
    /// A new visitor opens the widget.
    pub async fn connect(server: &TestServer) -> anyhow::Result<Visitor> {
        let (socket, welcome) = RawVisitor::connect(server, None, None).await?;
        Visitor::welcomed(socket, welcome)
    }

    /// The same visitor comes back (e.g. after the server restarted) and gets every event of
    /// the open conversation again.
    pub async fn reconnect(&mut self, server: &TestServer) -> anyhow::Result<()> {
        let (socket, welcome) = RawVisitor::connect(server, Some(self.token.clone()), None).await?;
        *self = Visitor {
            next_req: self.next_req,
            ..Visitor::welcomed(socket, welcome)?
        };
        Ok(())
    }

    fn welcomed(socket: RawVisitor, welcome: VisitorEvent) -> anyhow::Result<Visitor> {
        let VisitorEvent::Welcome {
            visitor_token,
            online,
            ..
        } = welcome
        else {
            anyhow::bail!("expected Welcome, got {welcome:?}");
        };
        Ok(Visitor {
            socket,
            next_req: 0,
            token: visitor_token,
            online,
        })
    }

    /// Waits for the next file shared in the chat.
    pub async fn shared_file(&mut self) -> anyhow::Result<FileInfo> {
        self.socket
            .wait_for(|event| match event {
                VisitorEvent::Event { event, .. } => match &event.body {
                    EventBody::File { file, .. } => Some(file.clone()),
                    _ => None,
                },
                _ => None,
            })
            .await
    }

    /// Calls (starts a chat), giving `name` in the pre-chat survey.
    pub async fn call(&mut self, name: &str) -> anyhow::Result<()> {
        let req = self.req();
        let survey = vec![SurveyAnswer {
            key: "name".into(),
            value: name.into(),
        }];
        self.socket
            .request(VisitorRequest::StartChat { req, survey })
            .await?;
        Ok(())
    }

    /// Sends a chat message; returns its seq.
    pub async fn say(&mut self, text: &str) -> anyhow::Result<u32> {
        let req = self.req();
        let client_msg_id = uuid::Uuid::new_v4().to_string();
        let text = text.to_owned();
        let seq = self
            .socket
            .request(VisitorRequest::Send {
                req,
                client_msg_id,
                text,
            })
            .await?;
        seq.ok_or_else(|| anyhow::anyhow!("the server acked a message without its seq"))
    }

    /// Tells the server the visitor has seen the chat up to `seq` (as the widget does).
    pub async fn mark_seen(&mut self, seq: u32) -> anyhow::Result<()> {
        self.socket
            .send(&VisitorRequest::Receipt {
                delivered: seq,
                seen: seq,
            })
            .await
    }

    /// Waits until the operators have seen the chat up to `seq`.
    pub async fn seen_by_operator(&mut self, seq: u32) -> anyhow::Result<()> {
        self.socket
            .wait_for(|event| match event {
                VisitorEvent::Receipt { seen, .. } if *seen >= seq => Some(()),
                _ => None,
            })
            .await
    }

    /// Waits for the next message from an operator; returns its seq and text.
    pub async fn operator_message(&mut self) -> anyhow::Result<(u32, String)> {
        self.socket
            .wait_for(|event| match event {
                VisitorEvent::Event { event, .. } => match &event.body {
                    EventBody::Message {
                        author: Author::Operator { .. },
                        text,
                        ..
                    } => Some((event.seq, text.clone())),
                    _ => None,
                },
                _ => None,
            })
            .await
    }

    /// Waits until the conversation is closed; returns who closed it.
    pub async fn chat_closed(&mut self) -> anyhow::Result<Author> {
        self.socket
            .wait_for(|event| match event {
                VisitorEvent::Event { event, .. } => match &event.body {
                    EventBody::Closed { by } => Some(by.clone()),
                    _ => None,
                },
                _ => None,
            })
            .await
    }

    /// Waits until the chat button's availability is `online`.
    pub async fn availability(&mut self, online: bool) -> anyhow::Result<()> {
        if self.online == online {
            return Ok(());
        }
        self.socket
            .wait_for(|event| match event {
                VisitorEvent::Availability { online: now } if *now == online => Some(()),
                _ => None,
            })
            .await?;
        self.online = online;
        Ok(())
    }

    fn req(&mut self) -> u32 {
        self.next_req += 1;
        self.next_req
    }
}
