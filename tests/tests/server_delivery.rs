//! Delivery guarantees through the real server: gap-free seqs, idempotent resends, resume after
//! a dropped socket with exactly the missing events, and history that survives a SIGKILL.

use switchboard_protocol::{
    AgentEvent, AgentRequest, ConversationEvent, EventBody, ResumePoint, Status, VisitorEvent,
    VisitorRequest, PROTOCOL_VERSION,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{login, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";

/// An online operator with an accepted chat; returns (agent, visitor, token, conversation id).
async fn accepted_chat(
    server: &TestServer,
) -> anyhow::Result<(RawAgent, RawVisitor, String, String)> {
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let (mut agent, _) = RawAgent::connect(server, "ann@example.com", PASSWORD).await?;
    agent
        .request(AgentRequest::SetStatus {
            req: 1,
            status: Status::Online,
        })
        .await?;
    let (mut visitor, welcome) = RawVisitor::connect(server, None, None).await?;
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}");
    };
    let id = visitor.start_chat().await?;
    agent
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: id.clone(),
        })
        .await?;
    Ok((agent, visitor, visitor_token, id))
}

fn visitor_send(req: u32, client_msg_id: &str, text: &str) -> VisitorRequest {
    VisitorRequest::Send {
        req,
        client_msg_id: client_msg_id.into(),
        text: text.into(),
    }
}

/// Every event of the conversation the operator may read, through History.
async fn history(agent: &mut RawAgent, id: &str) -> anyhow::Result<Vec<ConversationEvent>> {
    agent
        .send(&AgentRequest::History {
            req: 99,
            conversation_id: id.into(),
            before_seq: None,
            limit: 500,
        })
        .await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::HistoryPage {
                req: 99, events, ..
            } => Some(events.clone()),
            _ => None,
        })
        .await
}

fn texts(events: &[ConversationEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Message { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn seqs_are_gap_free_and_a_resent_message_is_stored_once() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut agent, mut visitor, _, id) = accepted_chat(&server).await?;
    let first = visitor.request(visitor_send(2, "m-1", "one")).await?;
    let again = visitor.request(visitor_send(3, "m-1", "one")).await?;
    assert_eq!(first, again, "the same client_msg_id gets the original seq");
    visitor.request(visitor_send(4, "m-2", "two")).await?;

    let events = history(&mut agent, &id).await?;
    let seqs: Vec<u32> = events.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=events.len() as u32).collect::<Vec<_>>(),
        "gap-free from 1"
    );
    assert_eq!(texts(&events), ["one", "two"]);
    Ok(())
}

#[tokio::test]
async fn an_operator_who_reconnects_gets_exactly_the_missed_events() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (agent, mut visitor, _, id) = accepted_chat(&server).await?;
    let seen = visitor
        .request(visitor_send(2, "m-1", "before the drop"))
        .await?
        .unwrap();
    drop(agent);
    for (n, text) in ["missed one", "missed two", "missed three"]
        .iter()
        .enumerate()
    {
        visitor
            .request(visitor_send(3 + n as u32, &format!("m-{}", n + 2), text))
            .await?;
    }

    let session = login(&server, "ann@example.com", PASSWORD).await?;
    let mut agent = RawAgent::open(&server.ws_url("ws/v1/agent")).await?;
    agent
        .send(&AgentRequest::Hello {
            protocol: PROTOCOL_VERSION,
            token: session.token,
            resume: vec![ResumePoint {
                conversation_id: id.clone(),
                last_seq: seen,
            }],
        })
        .await?;
    assert!(matches!(agent.next().await?, AgentEvent::Welcome { .. }));
    let mut replayed = Vec::new();
    for _ in 0..3 {
        match agent.next().await? {
            AgentEvent::Event { event, .. } => replayed.push(event),
            other => anyhow::bail!("expected a replayed event, got {other:?}"),
        }
    }
    assert_eq!(
        replayed.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [seen + 1, seen + 2, seen + 3]
    );
    assert_eq!(
        texts(&replayed),
        ["missed one", "missed two", "missed three"]
    );
    // The greeting ends with the operator's canned responses; nothing else follows: a ping is
    // answered next, not a duplicate event.
    assert!(matches!(
        agent.next().await?,
        AgentEvent::CannedResponses { .. }
    ));
    agent.send(&AgentRequest::Ping { req: 50 }).await?;
    assert!(matches!(
        agent.next().await?,
        AgentEvent::Ack { req: 50, .. }
    ));
    Ok(())
}

#[tokio::test]
async fn a_visitor_reload_resumes_the_same_chat_with_its_history() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut agent, mut visitor, token, id) = accepted_chat(&server).await?;
    visitor
        .request(visitor_send(2, "m-1", "my question"))
        .await?;
    agent
        .request(AgentRequest::Send {
            req: 3,
            conversation_id: id.clone(),
            client_msg_id: "a-1".into(),
            text: "the answer".into(),
        })
        .await?;
    drop(visitor);

    let (mut visitor, welcome) = RawVisitor::connect(&server, Some(token), None).await?;
    let VisitorEvent::Welcome {
        conversation: Some(conversation),
        ..
    } = welcome
    else {
        anyhow::bail!("the reload did not resume the chat: {welcome:?}");
    };
    assert_eq!(conversation.id, id);
    let mut replayed = Vec::new();
    while replayed.len() < conversation.last_seq as usize {
        if let VisitorEvent::Event { event, .. } = visitor.next().await? {
            replayed.push(event);
        }
    }
    assert_eq!(texts(&replayed), ["my question", "the answer"]);
    Ok(())
}

#[tokio::test]
async fn history_survives_a_server_kill_and_restart() -> anyhow::Result<()> {
    let mut server = TestServer::start().await?;
    let (agent, mut visitor, token, id) = accepted_chat(&server).await?;
    visitor
        .request(visitor_send(2, "m-1", "acknowledged before the crash"))
        .await?;
    drop((agent, visitor));
    server.restart().await?;

    let (mut agent, welcome) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    let AgentEvent::Welcome { conversations, .. } = welcome else {
        anyhow::bail!("expected a welcome, got {welcome:?}");
    };
    let open: Vec<&str> = conversations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(open, [id.as_str()]);
    assert_eq!(
        texts(&history(&mut agent, &id).await?),
        ["acknowledged before the crash"]
    );
    let (_, welcome) = RawVisitor::connect(&server, Some(token), None).await?;
    assert!(matches!(welcome, VisitorEvent::Welcome { conversation: Some(c), .. } if c.id == id));
    Ok(())
}

#[tokio::test]
async fn concurrent_messages_and_read_receipts_in_many_chats_all_commit() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let mut chats = Vec::new();
    for _ in 0..8 {
        let (mut agent, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
        let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
        let id = visitor.start_chat().await?;
        agent
            .request(AgentRequest::Accept {
                req: 1,
                conversation_id: id.clone(),
            })
            .await?;
        chats.push((agent, visitor, id));
    }
    // Every chat at once: the visitor writes messages while the operator writes read marks.
    let tasks = chats
        .into_iter()
        .map(|(mut agent, mut visitor, id)| async move {
            let marks = async {
                for seq in 2..30 {
                    agent
                        .send(&AgentRequest::Receipt {
                            conversation_id: id.clone(),
                            delivered: seq,
                            seen: seq,
                        })
                        .await?;
                }
                anyhow::Ok(())
            };
            let messages = async {
                for n in 0..25u32 {
                    visitor
                        .request(visitor_send(n + 2, &format!("m-{n}"), "hello"))
                        .await?;
                }
                anyhow::Ok(())
            };
            tokio::try_join!(marks, messages)?;
            anyhow::Ok(())
        });
    futures_util::future::try_join_all(tasks).await?;
    Ok(())
}
