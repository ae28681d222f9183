//! The agent client crate against the real server: login, ringing and chatting through
//! `AgentClient`, a dropped link and a killed server mid-chat (nothing lost, nothing twice),
//! idempotent resends, a session token that stops working, and the headless
//! `switchboard-agent-cli` answering a call.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use switchboard_client::{
    login, logout, AgentClient, ClientError, ClientEvent, ConnectionState, Delivery,
};
use switchboard_protocol::limits::{MESSAGES_PER_SECOND, MESSAGE_BURST};
use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, ConversationEvent, EventBody, Status, VisitorEvent,
    VisitorRequest,
};
use switchboard_tests::chaos_proxy::ChaosProxy;
use switchboard_tests::server::{repo_root, TestServer};
use switchboard_tests::wire::{RawAgent, RawVisitor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;
use url::Url;

const PASSWORD: &str = "operator-password";
/// Longest wait for one expected client event; covers a reconnect after several backoff steps.
const WAIT: Duration = Duration::from_secs(30);

/// An operator driven through the client crate, with every event it has received so far.
struct Operator {
    client: AgentClient,
    events: mpsc::Receiver<ClientEvent>,
    received: Vec<ClientEvent>,
}

impl Operator {
    /// Adds the operator, logs in through `server_url`, connects and goes Online.
    async fn online(server: &TestServer, server_url: &Url, email: &str) -> anyhow::Result<Self> {
        server.add_operator(email, "Ann", PASSWORD).await?;
        let session = login(server_url, email, PASSWORD).await?;
        let (client, events) = AgentClient::connect(server_url.clone(), session.token);
        let mut operator = Operator {
            client,
            events,
            received: Vec::new(),
        };
        operator.wait_for_state(ConnectionState::Connected).await?;
        operator.client.set_status(Status::Online).await?;
        Ok(operator)
    }

    /// Skips events until `pick` returns `Some`; fails after [`WAIT`] or when the task ends.
    async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ClientEvent) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.recv())
                .await
                .with_context(|| format!("no {what} within {WAIT:?}"))?
                .with_context(|| format!("the client ended before {what}"))?;
            let found = pick(&event);
            self.received.push(event);
            if let Some(found) = found {
                return Ok(found);
            }
        }
    }

    async fn wait_for_state(&mut self, state: ConnectionState) -> anyhow::Result<()> {
        self.wait_for(&format!("{state:?}"), |event| {
            (*event == ClientEvent::Connection(state.clone())).then_some(())
        })
        .await
    }

    async fn wait_for_ringing(&mut self) -> anyhow::Result<String> {
        self.wait_for("a ringing call", |event| match event {
            ClientEvent::Server(AgentEvent::Ringing { conversation }) => {
                Some(conversation.id.clone())
            }
            _ => None,
        })
        .await
    }

    /// The seq of the message event with `text`, received already or waited for.
    async fn wait_for_message(&mut self, text: &str) -> anyhow::Result<u32> {
        if let Some(seq) = self
            .received
            .iter()
            .find_map(|event| message_seq(event, text))
        {
            return Ok(seq);
        }
        self.wait_for(&format!("message {text:?}"), |event| {
            message_seq(event, text)
        })
        .await
    }

    /// Waits until the outbox reports `client_msg_id` as sent; returns its seq.
    async fn wait_until_sent(&mut self, client_msg_id: &str) -> anyhow::Result<u32> {
        self.wait_for(
            &format!("message {client_msg_id} sent"),
            |event| match event {
                ClientEvent::Outbox(update) if update.client_msg_id == client_msg_id => {
                    match &update.delivery {
                        Delivery::Sent { seq } => Some(Ok(*seq)),
                        Delivery::Failed { error } => Some(Err(error.clone())),
                        Delivery::Queued => None,
                    }
                }
                _ => None,
            },
        )
        .await?
        .map_err(|error| anyhow::anyhow!("message {client_msg_id} failed: {error}"))
    }

    /// Every conversation event of `conversation_id` handed to the application, in order.
    fn conversation_events(&self, conversation_id: &str) -> Vec<&ConversationEvent> {
        self.received
            .iter()
            .filter_map(|event| match event {
                ClientEvent::Server(AgentEvent::Event {
                    conversation_id: id,
                    event,
                }) if id == conversation_id => Some(event),
                _ => None,
            })
            .collect()
    }
}

/// The seq of `event` if it is the message event with `text`.
fn message_seq(event: &ClientEvent, text: &str) -> Option<u32> {
    match event {
        ClientEvent::Server(AgentEvent::Event { event, .. }) => {
            (message_text(event) == Some(text)).then_some(event.seq)
        }
        _ => None,
    }
}

fn message_text(event: &ConversationEvent) -> Option<&str> {
    match &event.body {
        EventBody::Message { text, .. } => Some(text),
        _ => None,
    }
}

/// The visitor's token from its welcome.
fn visitor_token(welcome: &VisitorEvent) -> anyhow::Result<String> {
    match welcome {
        VisitorEvent::Welcome { visitor_token, .. } => Ok(visitor_token.clone()),
        other => bail!("expected a welcome, got {other:?}"),
    }
}

/// The visitor calls; returns the conversation id.
async fn call(visitor: &mut RawVisitor) -> anyhow::Result<String> {
    visitor
        .send(&VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await?;
    visitor
        .wait_for(|event| match event {
            VisitorEvent::Ack {
                req: 1,
                conversation: Some(conversation),
                ..
            } => Some(Ok(conversation.id.clone())),
            VisitorEvent::Error { error, .. } => Some(Err(error.clone())),
            _ => None,
        })
        .await?
        .map_err(|error| anyhow::anyhow!("start chat failed: {error}"))
}

/// The visitor sends `text` and waits for its ack; returns the seq.
async fn visitor_says(visitor: &mut RawVisitor, req: u32, text: &str) -> anyhow::Result<u32> {
    visitor
        .request(VisitorRequest::Send {
            req,
            client_msg_id: uuid::Uuid::new_v4().to_string(),
            text: text.into(),
        })
        .await?
        .context("a visitor message is acked with its seq")
}

/// Collects the visitor's message events (seq, text, author) up to and including `last`.
async fn visitor_messages_until(
    visitor: &mut RawVisitor,
    last: &str,
) -> anyhow::Result<Vec<(u32, String, Author)>> {
    let mut messages = Vec::new();
    visitor
        .wait_for_event(|event| match &event.body {
            EventBody::Message { text, author, .. } => {
                messages.push((event.seq, text.clone(), author.clone()));
                (text == last).then_some(())
            }
            _ => None,
        })
        .await?;
    Ok(messages)
}

fn count<'a>(texts: impl IntoIterator<Item = &'a str>, wanted: &str) -> usize {
    texts.into_iter().filter(|text| *text == wanted).count()
}

#[tokio::test]
async fn wrong_password_is_refused_and_a_logged_out_token_stops_the_client() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let url = server.base_url();
    let refused = login(&url, server.admin_email(), "not the password").await;
    assert!(
        matches!(refused, Err(ClientError::Unauthorized)),
        "{refused:?}"
    );

    let session = login(&url, server.admin_email(), server.admin_password()).await?;
    assert_eq!(session.operator.email, server.admin_email());
    logout(&url, &session.token).await?;

    let (client, mut events) = AgentClient::connect(url, session.token);
    let mut states = Vec::new();
    let ended = tokio::time::timeout(WAIT, async {
        while let Some(event) = events.recv().await {
            if let ClientEvent::Connection(state) = event {
                states.push(state);
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "the task stops instead of reconnecting: {states:?}"
    );
    assert_eq!(
        states,
        [ConnectionState::Connecting, ConnectionState::Unauthorized]
    );
    assert!(matches!(
        client.set_status(Status::Online).await,
        Err(ClientError::Unauthorized)
    ));
    assert!(matches!(
        client.send("any", "hello"),
        Err(ClientError::Unauthorized)
    ));
    Ok(())
}

#[tokio::test]
async fn operator_online_is_rung_accepts_and_chats_both_ways() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = Operator::online(&server, &server.base_url(), "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    assert!(
        matches!(welcome, VisitorEvent::Welcome { online: true, .. }),
        "an operator is online: {welcome:?}"
    );

    let conversation_id = call(&mut visitor).await?;
    assert_eq!(ann.wait_for_ringing().await?, conversation_id);
    ann.client.accept(&conversation_id).await?;
    let joined = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::OperatorJoined { operator } => Some(operator.name.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(joined, "Ann");

    let visitor_seq = visitor_says(&mut visitor, 2, "Hello, my invoice is wrong").await?;
    assert_eq!(
        ann.wait_for_message("Hello, my invoice is wrong").await?,
        visitor_seq
    );

    let id = ann
        .client
        .send(&conversation_id, "Let me check that for you")?;
    let seq = ann.wait_until_sent(&id).await?;
    let messages = visitor_messages_until(&mut visitor, "Let me check that for you").await?;
    let (got_seq, _, author) = messages.last().context("the reply arrived")?;
    assert_eq!(*got_seq, seq);
    assert!(matches!(author, Author::Operator { name, .. } if name == "Ann"));

    ann.client.mark_seen(&conversation_id, visitor_seq);
    let seen = visitor
        .wait_for(|event| match event {
            VisitorEvent::Receipt { seen, .. } if *seen >= visitor_seq => Some(*seen),
            _ => None,
        })
        .await?;
    assert_eq!(
        seen, visitor_seq,
        "the operator's seen mark reaches the visitor"
    );

    let page = ann.client.history(&conversation_id, None, 50).await?;
    assert_eq!(
        page.events
            .iter()
            .filter_map(message_text)
            .collect::<Vec<_>>(),
        ["Hello, my invoice is wrong", "Let me check that for you"]
    );

    ann.client.close(&conversation_id).await?;
    visitor
        .wait_for_event(|event| matches!(event.body, EventBody::Closed { .. }).then_some(()))
        .await?;

    ann.client.shutdown().await;
    assert!(matches!(
        ann.client.accept(&conversation_id).await,
        Err(ClientError::Closed)
    ));
    Ok(())
}

#[tokio::test]
async fn a_dropped_link_and_a_killed_server_mid_chat_lose_nothing_and_repeat_nothing(
) -> anyhow::Result<()> {
    let mut server = TestServer::start().await?;
    let relay = ChaosProxy::start(&server.base_url()).await?;
    let mut ann = Operator::online(&server, &relay.url(), "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let token = visitor_token(&welcome)?;
    let conversation_id = call(&mut visitor).await?;
    assert_eq!(ann.wait_for_ringing().await?, conversation_id);
    ann.client.accept(&conversation_id).await?;

    visitor_says(&mut visitor, 2, "before the cut").await?;
    ann.wait_for_message("before the cut").await?;
    let id = ann.client.send(&conversation_id, "reply before the cut")?;
    ann.wait_until_sent(&id).await?;
    let before = visitor_messages_until(&mut visitor, "reply before the cut").await?;
    let visitor_last_seq = before.last().context("the reply arrived")?.0;

    // The operator's link drops and the server is killed and started again on the same data.
    relay.cut();
    ann.wait_for("reconnecting", |event| {
        matches!(
            event,
            ClientEvent::Connection(ConnectionState::Reconnecting { .. })
        )
        .then_some(())
    })
    .await?;
    server.restart().await?;

    // Offline: requests fail at once, messages queue.
    assert!(matches!(
        ann.client.set_status(Status::Online).await,
        Err(ClientError::Disconnected)
    ));
    let queued = [
        ann.client.send(&conversation_id, "queued one")?,
        ann.client.send(&conversation_id, "queued two")?,
    ];

    // The visitor comes back first and writes three messages.
    let (mut visitor, _) =
        RawVisitor::connect(&server, Some(token), Some(visitor_last_seq)).await?;
    for (req, text) in (10..).zip(["while away 1", "while away 2", "while away 3"]) {
        visitor_says(&mut visitor, req, text).await?;
    }

    relay.mend();
    ann.wait_for_state(ConnectionState::Connected).await?;
    let mut sent_seqs = Vec::new();
    for id in &queued {
        sent_seqs.push(ann.wait_until_sent(id).await?);
    }
    ann.wait_for_message("while away 3").await?;

    // The visitor gets each queued message exactly once (a duplicate would come before this).
    let marker = ann.client.send(&conversation_id, "operator marker")?;
    ann.wait_until_sent(&marker).await?;
    let after = visitor_messages_until(&mut visitor, "operator marker").await?;
    let texts: Vec<&str> = after.iter().map(|(_, text, _)| text.as_str()).collect();
    assert_eq!(count(texts.iter().copied(), "queued one"), 1, "{texts:?}");
    assert_eq!(count(texts.iter().copied(), "queued two"), 1, "{texts:?}");
    let visitor_seqs: Vec<u32> = after.iter().map(|(seq, _, _)| *seq).collect();
    assert!(
        visitor_seqs.windows(2).all(|pair| pair[0] < pair[1]),
        "visitor sees seqs in order: {visitor_seqs:?}"
    );
    assert!(
        after
            .iter()
            .filter(|(_, text, _)| text.starts_with("queued"))
            .all(|(seq, _, _)| sent_seqs.contains(seq)),
        "the visitor's copies carry the acked seqs {sent_seqs:?}: {after:?}"
    );

    // The operator saw every event exactly once, gap-free and in order.
    visitor_says(&mut visitor, 20, "visitor marker").await?;
    ann.wait_for_message("visitor marker").await?;
    let events = ann.conversation_events(&conversation_id);
    let seqs: Vec<u32> = events.iter().map(|event| event.seq).collect();
    assert!(
        seqs.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "operator sees every seq once, in order: {seqs:?}"
    );
    let operator_texts: Vec<&str> = events
        .iter()
        .filter_map(|event| message_text(event))
        .collect();
    for text in [
        "before the cut",
        "reply before the cut",
        "while away 1",
        "while away 2",
        "while away 3",
        "queued one",
        "queued two",
        "operator marker",
        "visitor marker",
    ] {
        assert_eq!(
            count(operator_texts.iter().copied(), text),
            1,
            "{text:?} in {operator_texts:?}"
        );
    }

    // And the server stored each message once.
    let page = ann.client.history(&conversation_id, None, 100).await?;
    let mut stored: HashMap<String, usize> = HashMap::new();
    for event in &page.events {
        if let EventBody::Message { client_msg_id, .. } = &event.body {
            *stored.entry(client_msg_id.clone()).or_default() += 1;
        }
    }
    assert!(stored.values().all(|n| *n == 1), "{stored:?}");
    assert_eq!(stored.len(), 9, "{stored:?}");
    Ok(())
}

#[tokio::test]
async fn more_queued_messages_than_the_rate_burst_all_go_out_after_a_reconnect(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let proxy = ChaosProxy::start(&server.base_url()).await?;
    let mut ann = Operator::online(&server, &proxy.url(), "ann@example.com").await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let conversation_id = call(&mut visitor).await?;
    assert_eq!(ann.wait_for_ringing().await?, conversation_id);
    ann.client.accept(&conversation_id).await?;

    proxy.cut();
    ann.wait_for("reconnecting", |event| {
        matches!(
            event,
            ClientEvent::Connection(ConnectionState::Reconnecting { .. })
        )
        .then_some(())
    })
    .await?;
    let queued = (MESSAGE_BURST + MESSAGES_PER_SECOND) as usize;
    let mut waiting = Vec::new();
    for n in 0..queued {
        waiting.push(ann.client.send(&conversation_id, &format!("queued {n}"))?);
    }
    proxy.mend();

    let mut seqs = Vec::new();
    while !waiting.is_empty() {
        let (id, delivery) = ann
            .wait_for("an outbox update", |event| match event {
                ClientEvent::Outbox(update) if update.delivery != Delivery::Queued => {
                    Some((update.client_msg_id.clone(), update.delivery.clone()))
                }
                _ => None,
            })
            .await?;
        match delivery {
            Delivery::Sent { seq } => seqs.push(seq),
            other => bail!("a queued message was not delivered: {other:?}"),
        }
        waiting.retain(|queued_id| *queued_id != id);
    }
    assert!(
        seqs.windows(2).all(|pair| pair[0] < pair[1]),
        "sent in the order written: {seqs:?}"
    );
    let last = format!("queued {}", queued - 1);
    let messages = visitor_messages_until(&mut visitor, &last).await?;
    assert_eq!(
        messages
            .iter()
            .filter(|(_, text, _)| text.starts_with("queued"))
            .count(),
        queued,
        "{messages:?}"
    );
    Ok(())
}

#[tokio::test]
async fn resending_a_client_msg_id_stores_nothing_new_even_after_a_restart() -> anyhow::Result<()> {
    let mut server = TestServer::start().await?;
    let mut ann = Operator::online(&server, &server.base_url(), "ann@example.com").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let token = visitor_token(&welcome)?;
    let conversation_id = call(&mut visitor).await?;
    ann.wait_for_ringing().await?;
    ann.client.accept(&conversation_id).await?;

    let send = |req| AgentRequest::Send {
        req,
        conversation_id: conversation_id.clone(),
        client_msg_id: "3f0c9b1e-resent-once".into(),
        text: "only once".into(),
    };
    let (mut raw, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    let first = raw.request(send(1)).await?;
    assert!(first.is_some(), "a send is acked with its seq");
    assert_eq!(raw.request(send(2)).await?, first, "same id, same seq");

    let visitor_send = |req| VisitorRequest::Send {
        req,
        client_msg_id: "visitor-resent-once".into(),
        text: "me too, once".into(),
    };
    let visitor_first = visitor.request(visitor_send(2)).await?;
    assert_eq!(visitor.request(visitor_send(3)).await?, visitor_first);

    server.restart().await?;
    let (mut raw, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    assert_eq!(
        raw.request(send(1)).await?,
        first,
        "the id is remembered across a restart"
    );
    let (mut visitor, _) = RawVisitor::connect(&server, Some(token), None).await?;
    assert_eq!(visitor.request(visitor_send(4)).await?, visitor_first);

    ann.wait_for("reconnecting", |event| {
        matches!(
            event,
            ClientEvent::Connection(ConnectionState::Reconnecting { .. })
        )
        .then_some(())
    })
    .await?;
    ann.wait_for_state(ConnectionState::Connected).await?;
    let page = ann.client.history(&conversation_id, None, 100).await?;
    let texts: Vec<&str> = page.events.iter().filter_map(message_text).collect();
    assert_eq!(texts, ["only once", "me too, once"]);
    Ok(())
}

/// The CLI binary: `SWITCHBOARD_AGENT_CLI_BIN` or `<repo>/target/debug/switchboard-agent-cli`
/// (the test script builds every binary first).
fn agent_cli_bin() -> PathBuf {
    std::env::var_os("SWITCHBOARD_AGENT_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/switchboard-agent-cli"))
}

#[tokio::test]
async fn agent_cli_answers_the_first_call_replies_and_closes() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("script@example.com", "Script", PASSWORD)
        .await?;
    let mut cli = Command::new(agent_cli_bin())
        .args(["--server", server.base_url().as_str()])
        .args(["--email", "script@example.com", "--password-stdin"])
        .args(["answer", "--reply", "Hello from a script", "--close"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start switchboard-agent-cli (build it first)")?;
    let mut stdin = cli.stdin.take().context("stdin is piped")?;
    stdin.write_all(format!("{PASSWORD}\n").as_bytes()).await?;
    drop(stdin);
    let mut stdout = BufReader::new(cli.stdout.take().context("stdout is piped")?).lines();
    let printed = tokio::spawn(async move {
        let mut lines = Vec::new();
        while let Ok(Some(line)) = stdout.next_line().await {
            lines.push(line);
        }
        lines
    });

    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    if !matches!(welcome, VisitorEvent::Welcome { online: true, .. }) {
        visitor
            .wait_for(|event| {
                matches!(event, VisitorEvent::Availability { online: true }).then_some(())
            })
            .await?;
    }
    call(&mut visitor).await?;
    let mut seen = Vec::new();
    visitor
        .wait_for_event(|event| {
            seen.push(event.body.clone());
            matches!(event.body, EventBody::Closed { .. }).then_some(())
        })
        .await?;
    assert!(
        seen.iter()
            .any(|body| matches!(body, EventBody::OperatorJoined { operator } if operator.name == "Script")),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(
            |body| matches!(body, EventBody::Message { text, .. } if text == "Hello from a script")
        ),
        "{seen:?}"
    );

    let status = tokio::time::timeout(WAIT, cli.wait()).await??;
    assert!(
        status.success(),
        "the CLI exits cleanly once the chat is closed: {status}"
    );
    let lines = printed.await?;
    let events = lines
        .iter()
        .map(|line| serde_json::from_str::<serde_json::Value>(line))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("every line is JSON: {lines:#?}"))?;
    let has = |kind: &str, key: &str, value: &str| {
        events.iter().any(|event| {
            event["kind"] == kind && event.pointer(key).and_then(|v| v.as_str()) == Some(value)
        })
    };
    assert!(has("server", "/type", "ringing"), "{lines:#?}");
    assert!(has("outbox", "/delivery/state", "sent"), "{lines:#?}");
    assert!(has("connection", "/state", "closed"), "{lines:#?}");
    Ok(())
}
