//! Hostile clients through the real server, beyond the bad input of `server_bad_input.rs`: a
//! session token replayed after logout or after it expired, and an operator flooding the
//! socket. Nothing gets through, and nothing acknowledged is lost or stored twice.

use std::collections::HashMap;

use switchboard_protocol::limits::MESSAGE_BURST;
use switchboard_protocol::{
    AgentEvent, AgentRequest, ErrorCode, EventBody, Status, PROTOCOL_VERSION,
};
use switchboard_tests::files::{Credentials, FileApi};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{login, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";
/// WebSocket close code: policy violation.
const CLOSE_POLICY: u16 = 1008;

/// Opens an agent socket with `token` and says hello; returns the socket and the first answer.
async fn hello(server: &TestServer, token: &str) -> anyhow::Result<(RawAgent, AgentEvent)> {
    let mut agent = RawAgent::open(&server.ws_url("ws/v1/agent")).await?;
    agent
        .send(&AgentRequest::Hello {
            protocol: PROTOCOL_VERSION,
            token: token.into(),
            resume: Vec::new(),
        })
        .await?;
    let answer = agent.next().await?;
    Ok((agent, answer))
}

fn is_unauthorized(event: &AgentEvent) -> bool {
    matches!(event, AgentEvent::Error { error, .. } if error.code == ErrorCode::Unauthorized)
}

async fn logout(server: &TestServer, token: &str) -> anyhow::Result<()> {
    let response = reqwest::Client::new()
        .post(server.base_url().join("api/v1/logout")?)
        .bearer_auth(token)
        .send()
        .await?;
    anyhow::ensure!(response.status() == 204, "logout: {}", response.status());
    Ok(())
}

#[tokio::test]
async fn logging_out_closes_the_sockets_of_that_session_only() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let laptop = login(&server, server.admin_email(), server.admin_password()).await?;
    let phone = login(&server, server.admin_email(), server.admin_password()).await?;
    let (mut laptop_socket, welcome) = hello(&server, &laptop.token).await?;
    assert!(matches!(welcome, AgentEvent::Welcome { .. }), "{welcome:?}");
    let (mut phone_socket, welcome) = hello(&server, &phone.token).await?;
    assert!(matches!(welcome, AgentEvent::Welcome { .. }), "{welcome:?}");

    logout(&server, &laptop.token).await?;
    let (events, _) = laptop_socket.events_until_closed().await?;
    assert!(
        events.iter().any(is_unauthorized),
        "the socket is told why it ends: {events:?}"
    );

    let (_, refused) = hello(&server, &laptop.token).await?;
    assert!(is_unauthorized(&refused), "a replayed token: {refused:?}");
    let upload = FileApi::new(&server, Credentials::Operator(laptop.token.clone()))
        .announce("any", "a.txt", 1)
        .await?;
    assert_eq!(upload.status(), 401, "a replayed token over HTTP");

    phone_socket.request(AgentRequest::Ping { req: 1 }).await?;
    Ok(())
}

#[tokio::test]
async fn an_expired_session_token_opens_nothing() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let session = login(&server, server.admin_email(), server.admin_password()).await?;
    server.sql("UPDATE sessions SET expires_at = 1").await?;

    let (mut agent, refused) = hello(&server, &session.token).await?;
    assert!(is_unauthorized(&refused), "{refused:?}");
    agent.closed().await?;
    let upload = FileApi::new(&server, Credentials::Operator(session.token))
        .announce("any", "a.txt", 1)
        .await?;
    assert_eq!(upload.status(), 401);
    Ok(())
}

#[tokio::test]
async fn a_live_socket_closes_when_its_session_expires() -> anyhow::Result<()> {
    let server = TestServer::start_with(&["--manual-clock"]).await?;
    let session = login(&server, server.admin_email(), server.admin_password()).await?;
    let (mut agent, welcome) = hello(&server, &session.token).await?;
    assert!(matches!(welcome, AgentEvent::Welcome { .. }), "{welcome:?}");

    let a_day = 24 * 60 * 60 * 1000;
    server.advance_clock(29 * a_day).await?;
    agent.request(AgentRequest::Ping { req: 1 }).await?;
    server.advance_clock(2 * a_day).await?;
    let (events, code) = agent.events_until_closed().await?;
    assert!(
        events.iter().any(is_unauthorized),
        "the socket is told its session expired: {events:?}"
    );
    assert!(code.is_some(), "and it is closed");
    Ok(())
}

#[tokio::test]
async fn an_operator_flooding_messages_is_refused_then_cut_off_and_nothing_is_stored_twice(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let (mut ann, _) =
        RawAgent::connect_with_status(&server, "ann@example.com", PASSWORD, Status::Online).await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let conversation_id = visitor.start_chat().await?;
    ann.request(AgentRequest::Accept {
        req: 2,
        conversation_id: conversation_id.clone(),
    })
    .await?;

    let flood = 1000;
    for req in 100..100 + flood {
        ann.send(&AgentRequest::Send {
            req,
            conversation_id: conversation_id.clone(),
            client_msg_id: format!("flood-{req}"),
            text: format!("flood {req}"),
        })
        .await?;
    }
    // A sustained flood is cut off (with 1008; the refusals and the close frame may be lost
    // when the server resets the connection with our unread frames still queued).
    let (events, code) = ann.events_until_closed().await?;
    assert!(matches!(code, None | Some(CLOSE_POLICY)), "{code:?}");
    let mut acked = HashMap::new();
    for event in &events {
        if let AgentEvent::Ack {
            req,
            seq: Some(seq),
        } = event
        {
            acked.insert(format!("flood-{req}"), *seq);
        }
    }
    // Every acknowledged message is stored once, at its seq; the flood is not all stored.
    let (mut reader, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    reader
        .send(&AgentRequest::History {
            req: 1,
            conversation_id,
            before_seq: None,
            limit: switchboard_protocol::limits::MAX_HISTORY_PAGE,
        })
        .await?;
    let stored = reader
        .wait_for(|event| match event {
            AgentEvent::HistoryPage { events, .. } => Some(events.clone()),
            _ => None,
        })
        .await?;
    let stored: Vec<(String, u32)> = stored
        .iter()
        .filter_map(|event| match &event.body {
            EventBody::Message { client_msg_id, .. } => Some((client_msg_id.clone(), event.seq)),
            _ => None,
        })
        .collect();
    let by_id: HashMap<String, u32> = stored.iter().cloned().collect();
    assert_eq!(by_id.len(), stored.len(), "no message is stored twice");
    // The hello, status and accept frames took a little of the burst.
    assert!(
        stored.len() >= MESSAGE_BURST as usize / 2,
        "the burst goes through: {} stored",
        stored.len()
    );
    assert!(stored.len() < flood as usize, "the flood was refused");
    for (id, seq) in &acked {
        assert_eq!(
            by_id.get(id),
            Some(seq),
            "{id} was acknowledged as seq {seq}"
        );
    }
    Ok(())
}
