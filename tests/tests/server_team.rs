//! Team work through the real server: the live team list, inviting an operator into a chat,
//! leaving, transfers, and the races between them and the chat ending.

use serde::de::DeserializeOwned;
use serde::Serialize;
use switchboard_protocol::{
    AgentEvent, AgentRequest, ConversationEvent, ErrorCode, EventBody, RingEnd, Status, TeamMember,
    VisitorEvent, VisitorRequest,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{CarriesEvent, RawAgent, RawSocket, RawVisitor};

const PASSWORD: &str = "operator-password";

/// A connected operator and their id.
struct Op {
    agent: RawAgent,
    id: String,
}

async fn operator(
    server: &TestServer,
    email: &str,
    name: &str,
    status: Status,
) -> anyhow::Result<Op> {
    server.add_operator(email, name, PASSWORD).await?;
    connect(server, email, status).await
}

async fn connect(server: &TestServer, email: &str, status: Status) -> anyhow::Result<Op> {
    let (agent, welcome) = RawAgent::connect_with_status(server, email, PASSWORD, status).await?;
    let AgentEvent::Welcome { operator, .. } = welcome else {
        anyhow::bail!("expected welcome, got {welcome:?}");
    };
    Ok(Op {
        agent,
        id: operator.id,
    })
}

/// A visitor calls and `op` accepts; returns the visitor and the conversation id.
async fn chat_with(server: &TestServer, op: &mut Op) -> anyhow::Result<(RawVisitor, String)> {
    let (mut visitor, _) = RawVisitor::connect(server, None, None).await?;
    let id = visitor.start_chat().await?;
    op.agent
        .wait_for(|e| {
            matches!(e, AgentEvent::Ringing { conversation } if conversation.id == id).then_some(())
        })
        .await?;
    op.agent
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: id.clone(),
        })
        .await?;
    Ok((visitor, id))
}

fn invite(conversation_id: &str, operator_id: &str, transfer: bool) -> AgentRequest {
    AgentRequest::InviteOperator {
        req: 10,
        conversation_id: conversation_id.into(),
        operator_id: operator_id.into(),
        transfer,
    }
}

fn accept(conversation_id: &str) -> AgentRequest {
    AgentRequest::Accept {
        req: 11,
        conversation_id: conversation_id.into(),
    }
}

fn send(conversation_id: &str, client_msg_id: &str, text: &str) -> AgentRequest {
    AgentRequest::Send {
        req: 12,
        conversation_id: conversation_id.into(),
        client_msg_id: client_msg_id.into(),
        text: text.into(),
    }
}

/// What a conversation event says about operators joining and leaving, as "+Name" / "-Name".
fn membership(body: &EventBody) -> Option<String> {
    match body {
        EventBody::OperatorJoined { operator } => Some(format!("+{}", operator.name)),
        EventBody::OperatorLeft { operator } => Some(format!("-{}", operator.name)),
        _ => None,
    }
}

/// Skips membership changes until `expected[0]`, then requires the rest of `expected` to follow
/// in order (earlier joins, like the first operator's, may or may not have been read yet).
fn follows(seen: &mut Vec<String>, change: String, expected: &[&str]) -> Option<()> {
    if seen.is_empty() && change != expected[0] {
        return None;
    }
    seen.push(change);
    (seen.len() == expected.len()).then_some(())
}

/// Waits until an operator or the visitor sees the membership changes `expected`, in order.
async fn sees<Req, Ev>(socket: &mut RawSocket<Req, Ev>, expected: &[&str]) -> anyhow::Result<()>
where
    Req: Serialize,
    Ev: DeserializeOwned + std::fmt::Debug + CarriesEvent,
{
    let mut seen = Vec::new();
    socket
        .wait_for_event(|event| {
            membership(&event.body).and_then(|change| follows(&mut seen, change, expected))
        })
        .await?;
    assert_eq!(seen, expected);
    Ok(())
}

/// Waits until the operator receives the message `text` (skipping others, e.g. their own).
async fn agent_gets(agent: &mut RawAgent, text: &str) -> anyhow::Result<()> {
    agent
        .wait_for_event(|event| {
            matches!(&event.body, EventBody::Message { text: t, .. } if t == text).then_some(())
        })
        .await
}

async fn visitor_message(visitor: &mut RawVisitor) -> anyhow::Result<String> {
    visitor
        .wait_for_event(|event| match &event.body {
            EventBody::Message { text, .. } => Some(text.clone()),
            _ => None,
        })
        .await
}

async fn history(
    agent: &mut RawAgent,
    conversation_id: &str,
) -> anyhow::Result<Vec<ConversationEvent>> {
    agent
        .send(&AgentRequest::History {
            req: 20,
            conversation_id: conversation_id.into(),
            before_seq: None,
            limit: 50,
        })
        .await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::HistoryPage {
                req: 20, events, ..
            } => Some(Ok(events.clone())),
            AgentEvent::Error {
                req: Some(20),
                error,
            } => Some(Err(error.clone())),
            _ => None,
        })
        .await?
        .map_err(|error| anyhow::anyhow!("history failed: {error}"))
}

/// The error code a request is answered with (fails if it succeeds).
async fn refused(agent: &mut RawAgent, request: AgentRequest) -> anyhow::Result<ErrorCode> {
    let req = match &request {
        AgentRequest::InviteOperator { req, .. }
        | AgentRequest::Accept { req, .. }
        | AgentRequest::Send { req, .. }
        | AgentRequest::Leave { req, .. }
        | AgentRequest::StartInternalChat { req, .. }
        | AgentRequest::AddOperator { req, .. }
        | AgentRequest::RemoveOperator { req, .. }
        | AgentRequest::SetOperatorDisabled { req, .. } => *req,
        other => anyhow::bail!("not a request this test refuses: {other:?}"),
    };
    agent.send(&request).await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::Ack { req: r, .. } if *r == req => {
                Some(Err(anyhow::anyhow!("{request:?} succeeded")))
            }
            AgentEvent::Error {
                req: Some(r),
                error,
            } if *r == req => Some(Ok(error.code)),
            _ => None,
        })
        .await?
}

async fn team_update(agent: &mut RawAgent, name: &str) -> anyhow::Result<TeamMember> {
    agent
        .wait_for(|event| match event {
            AgentEvent::TeamMemberUpdated { member } if member.operator.name == name => {
                Some(member.clone())
            }
            _ => None,
        })
        .await
}

#[tokio::test]
async fn the_team_list_shows_every_operator_with_live_status_and_chat_count() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    server
        .add_operator("bob@example.com", "Bob", PASSWORD)
        .await?;

    ann.agent.send(&AgentRequest::WatchTeam { req: 5 }).await?;
    let members = ann
        .agent
        .wait_for(|event| match event {
            AgentEvent::TeamList { members } => Some(members.clone()),
            _ => None,
        })
        .await?;
    let shown: Vec<(String, Status, u32)> = members
        .iter()
        .map(|m| (m.operator.name.clone(), m.status, m.chats))
        .collect();
    assert!(
        shown.contains(&("Ann".into(), Status::Online, 0)),
        "{shown:?}"
    );
    assert!(
        shown.contains(&("Bob".into(), Status::Offline, 0)),
        "{shown:?}"
    );
    let bob_offline_since = members
        .iter()
        .find(|m| m.operator.name == "Bob")
        .map(|m| m.status_since)
        .expect("Bob is listed");

    // Bob comes online: Ann sees it, with a fresh "since".
    let mut bob = connect(&server, "bob@example.com", Status::Online).await?;
    let update = ann
        .agent
        .wait_for(|event| match event {
            AgentEvent::TeamMemberUpdated { member }
                if member.operator.name == "Bob" && member.status == Status::Online =>
            {
                Some(member.clone())
            }
            _ => None,
        })
        .await?;
    assert!(update.status_since >= bob_offline_since);

    // Bob takes a chat: his count goes to 1; the chat ends: back to 0.
    let (mut visitor, _) = chat_with(&server, &mut bob).await?;
    assert_eq!(team_update(&mut ann.agent, "Bob").await?.chats, 1);
    visitor.request(VisitorRequest::Close { req: 3 }).await?;
    assert_eq!(team_update(&mut ann.agent, "Bob").await?.chats, 0);

    // Away, then gone.
    bob.agent
        .request(AgentRequest::SetStatus {
            req: 4,
            status: Status::Away,
        })
        .await?;
    assert_eq!(
        team_update(&mut ann.agent, "Bob").await?.status,
        Status::Away
    );
    drop(bob);
    assert_eq!(
        team_update(&mut ann.agent, "Bob").await?.status,
        Status::Offline
    );
    Ok(())
}

#[tokio::test]
async fn an_invited_operator_reads_the_history_joins_and_everyone_sees_each_other(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    // Away operators can be invited.
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Away).await?;
    let (mut visitor, id) = chat_with(&server, &mut ann).await?;
    visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "v1".into(),
            text: "My invoice is wrong".into(),
        })
        .await?;

    ann.agent.request(invite(&id, &bob.id, false)).await?;
    assert_eq!(
        bob.agent.wait_for_invitation().await?,
        (id.clone(), "Ann".into(), false)
    );
    let earlier = history(&mut bob.agent, &id).await?;
    assert!(
        earlier.iter().any(
            |e| matches!(&e.body, EventBody::Message { text, .. } if text == "My invoice is wrong")
        ),
        "the invitee reads the history so far: {earlier:?}"
    );

    bob.agent.request(accept(&id)).await?;
    sees(&mut visitor, &["+Bob"]).await?;
    sees(&mut ann.agent, &["+Bob"]).await?;

    bob.agent.request(send(&id, "b1", "Billing here")).await?;
    assert_eq!(visitor_message(&mut visitor).await?, "Billing here");
    agent_gets(&mut ann.agent, "Billing here").await?;
    ann.agent.request(send(&id, "a1", "Thanks Bob")).await?;
    agent_gets(&mut bob.agent, "Thanks Bob").await?;
    visitor
        .request(VisitorRequest::Send {
            req: 3,
            client_msg_id: "v2".into(),
            text: "Thank you both".into(),
        })
        .await?;
    agent_gets(&mut ann.agent, "Thank you both").await?;
    agent_gets(&mut bob.agent, "Thank you both").await?;

    // Ann leaves: the visitor and Bob see it, Ann can no longer write, Bob carries on.
    ann.agent
        .request(AgentRequest::Leave {
            req: 13,
            conversation_id: id.clone(),
        })
        .await?;
    sees(&mut visitor, &["-Ann"]).await?;
    sees(&mut bob.agent, &["-Ann"]).await?;
    assert_eq!(
        refused(&mut ann.agent, send(&id, "a2", "still here?")).await?,
        ErrorCode::Forbidden
    );
    bob.agent.request(send(&id, "b2", "All fixed")).await?;
    assert_eq!(visitor_message(&mut visitor).await?, "All fixed");

    // The last operator cannot leave: the visitor would be left alone.
    assert_eq!(
        refused(
            &mut bob.agent,
            AgentRequest::Leave {
                req: 14,
                conversation_id: id.clone()
            }
        )
        .await?,
        ErrorCode::Conflict
    );
    Ok(())
}

#[tokio::test]
async fn a_transfer_hands_the_chat_over_only_once_the_colleague_accepts() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let (mut visitor, id) = chat_with(&server, &mut ann).await?;

    ann.agent.request(invite(&id, &bob.id, true)).await?;
    assert_eq!(
        bob.agent.wait_for_invitation().await?,
        (id.clone(), "Ann".into(), true)
    );
    // Until Bob accepts, the chat is still Ann's.
    ann.agent
        .request(send(&id, "a1", "One moment please"))
        .await?;
    assert_eq!(visitor_message(&mut visitor).await?, "One moment please");

    bob.agent.request(accept(&id)).await?;
    sees(&mut visitor, &["+Bob", "-Ann"]).await?;
    sees(&mut ann.agent, &["+Bob", "-Ann"]).await?;
    assert_eq!(
        refused(&mut ann.agent, send(&id, "a2", "hello?")).await?,
        ErrorCode::Forbidden
    );
    bob.agent.request(send(&id, "b1", "Bob here")).await?;
    assert_eq!(visitor_message(&mut visitor).await?, "Bob here");
    Ok(())
}

#[tokio::test]
async fn a_declined_invitation_tells_the_inviter_and_cannot_be_accepted_later() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let (_visitor, id) = chat_with(&server, &mut ann).await?;

    ann.agent.request(invite(&id, &bob.id, true)).await?;
    bob.agent.wait_for_invitation().await?;
    bob.agent
        .request(AgentRequest::Decline {
            req: 15,
            conversation_id: id.clone(),
        })
        .await?;
    let reason = bob
        .agent
        .wait_for(|event| match event {
            AgentEvent::RingStopped { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(reason, RingEnd::Declined);
    let who = ann
        .agent
        .wait_for(|event| match event {
            AgentEvent::InvitationDeclined { operator, .. } => Some(operator.name.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(who, "Bob");
    assert_eq!(
        refused(&mut bob.agent, accept(&id)).await?,
        ErrorCode::Conflict
    );
    // The declined transfer left the chat with Ann.
    ann.agent.request(send(&id, "a1", "still mine")).await?;
    Ok(())
}

#[tokio::test]
async fn invitations_are_refused_for_offline_operators_participants_and_outsiders(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let cid = operator(&server, "cid@example.com", "Cid", Status::Offline).await?;
    let (_visitor, id) = chat_with(&server, &mut ann).await?;

    assert_eq!(
        refused(&mut ann.agent, invite(&id, &cid.id, false)).await?,
        ErrorCode::Conflict,
        "Cid is offline"
    );
    assert_eq!(
        refused(&mut ann.agent, invite(&id, &ann.id, false)).await?,
        ErrorCode::Invalid,
        "Ann is already in"
    );
    assert_eq!(
        refused(&mut bob.agent, invite(&id, &cid.id, false)).await?,
        ErrorCode::Forbidden,
        "Bob does not take part"
    );
    assert_eq!(
        refused(&mut bob.agent, accept(&id)).await?,
        ErrorCode::Conflict,
        "an uninvited operator cannot join a taken chat"
    );
    ann.agent.request(invite(&id, &bob.id, false)).await?;
    bob.agent.request(accept(&id)).await?;
    assert_eq!(
        refused(&mut ann.agent, invite(&id, &bob.id, false)).await?,
        ErrorCode::Conflict,
        "Bob already takes part"
    );
    Ok(())
}

#[tokio::test]
async fn an_open_invitation_survives_the_invitees_reconnect_and_lapses_when_the_chat_ends(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let (mut visitor, id) = chat_with(&server, &mut ann).await?;
    ann.agent.request(invite(&id, &bob.id, false)).await?;
    bob.agent.wait_for_invitation().await?;

    drop(bob);
    let (mut bob, _) = RawAgent::connect(&server, "bob@example.com", PASSWORD).await?;
    assert_eq!(
        bob.wait_for_invitation().await?.0,
        id,
        "the invitation follows Welcome"
    );

    visitor.request(VisitorRequest::Close { req: 4 }).await?;
    let reason = bob
        .wait_for(|event| match event {
            AgentEvent::RingStopped { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(reason, RingEnd::ChatEnded);
    assert_eq!(refused(&mut bob, accept(&id)).await?, ErrorCode::NotFound);
    Ok(())
}

#[tokio::test]
async fn accepting_while_the_inviter_closes_either_joins_before_the_close_or_is_refused(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let (_visitor, id) = chat_with(&server, &mut ann).await?;
    ann.agent.request(invite(&id, &bob.id, false)).await?;
    bob.agent.wait_for_invitation().await?;

    ann.agent
        .send(&AgentRequest::Close {
            req: 16,
            conversation_id: id.clone(),
        })
        .await?;
    bob.agent.send(&accept(&id)).await?;
    let joined = bob
        .agent
        .wait_for(|event| match event {
            AgentEvent::Ack { req: 11, .. } => Some(true),
            AgentEvent::Error { req: Some(11), .. } => Some(false),
            _ => None,
        })
        .await?;
    ann.agent
        .wait_for(|event| matches!(event, AgentEvent::Ack { req: 16, .. }).then_some(()))
        .await?;
    let log: Vec<String> = history(&mut ann.agent, &id)
        .await?
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Closed { .. } => Some("closed".to_string()),
            body => membership(body),
        })
        .collect();
    if joined {
        assert_eq!(log, ["+Ann", "+Bob", "closed"]);
    } else {
        assert_eq!(log, ["+Ann", "closed"]);
    }
    Ok(())
}

#[tokio::test]
async fn two_colleagues_accepting_one_transfer_at_once_both_join_and_the_inviter_leaves_once(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let mut cid = operator(&server, "cid@example.com", "Cid", Status::Away).await?;
    let (_visitor, id) = chat_with(&server, &mut ann).await?;
    ann.agent.request(invite(&id, &bob.id, true)).await?;
    ann.agent.request(invite(&id, &cid.id, true)).await?;
    bob.agent.wait_for_invitation().await?;
    cid.agent.wait_for_invitation().await?;

    bob.agent.send(&accept(&id)).await?;
    cid.agent.send(&accept(&id)).await?;
    for agent in [&mut bob.agent, &mut cid.agent] {
        agent
            .wait_for(|event| match event {
                AgentEvent::Ack { req: 11, .. } => Some(Ok(())),
                AgentEvent::Error {
                    req: Some(11),
                    error,
                } => Some(Err(error.clone())),
                _ => None,
            })
            .await?
            .map_err(|error| anyhow::anyhow!("accept failed: {error}"))?;
    }
    let mut log: Vec<String> = history(&mut bob.agent, &id)
        .await?
        .iter()
        .filter_map(|e| membership(&e.body))
        .collect();
    assert_eq!(log.iter().filter(|m| *m == "-Ann").count(), 1, "{log:?}");
    assert_eq!(log.remove(0), "+Ann");
    log.sort();
    assert_eq!(log, ["+Bob", "+Cid", "-Ann"]);
    Ok(())
}

#[tokio::test]
async fn colleagues_chat_internally_while_away_and_no_visitor_ever_sees_it() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Away).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Away).await?;
    let cid = operator(&server, "cid@example.com", "Cid", Status::Offline).await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;

    assert_eq!(
        refused(
            &mut ann.agent,
            AgentRequest::StartInternalChat {
                req: 30,
                operator_id: cid.id.clone()
            }
        )
        .await?,
        ErrorCode::Conflict,
        "Cid is offline"
    );
    ann.agent
        .request(AgentRequest::StartInternalChat {
            req: 31,
            operator_id: bob.id.clone(),
        })
        .await?;
    let mut ids = Vec::new();
    for agent in [&mut ann.agent, &mut bob.agent] {
        let chat = agent
            .wait_for(|event| match event {
                AgentEvent::ConversationUpdated { conversation } => Some(conversation.clone()),
                _ => None,
            })
            .await?;
        assert!(chat.internal);
        assert_eq!(chat.state, switchboard_protocol::ConversationState::Active);
        let names: Vec<&str> = chat.operators.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bob"], "accepted for both at once");
        ids.push(chat.id);
    }
    assert_eq!(ids[0], ids[1]);
    let id = ids.remove(0);

    ann.agent
        .request(send(&id, "a1", "Can you take billing today?"))
        .await?;
    agent_gets(&mut bob.agent, "Can you take billing today?").await?;
    bob.agent.request(send(&id, "b1", "Sure")).await?;
    agent_gets(&mut ann.agent, "Sure").await?;

    // The visitor on the site hears nothing of it: its first chat is its own.
    let own = visitor.start_chat().await?;
    assert_ne!(own, id);
    visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "v1".into(),
            text: "hello?".into(),
        })
        .await?;
    let seen_ids = {
        let mut seen = Vec::new();
        visitor
            .wait_for(|event| {
                if let VisitorEvent::Event {
                    conversation_id,
                    event,
                } = event
                {
                    seen.push(conversation_id.clone());
                    if let EventBody::Message { text, .. } = &event.body {
                        return Some(text.clone());
                    }
                }
                None
            })
            .await?;
        seen
    };
    assert!(seen_ids.iter().all(|c| *c == own), "{seen_ids:?}");

    // Internal chats do not count as chats on the team list.
    ann.agent.send(&AgentRequest::WatchTeam { req: 32 }).await?;
    let members = ann
        .agent
        .wait_for(|event| match event {
            AgentEvent::TeamList { members } => Some(members.clone()),
            _ => None,
        })
        .await?;
    assert!(members.iter().all(|m| m.chats == 0), "{members:?}");

    bob.agent
        .request(AgentRequest::Close {
            req: 33,
            conversation_id: id.clone(),
        })
        .await?;
    ann.agent
        .wait_for(|event| match event {
            AgentEvent::Event {
                conversation_id,
                event,
            } if *conversation_id == id => {
                matches!(event.body, EventBody::Closed { .. }).then_some(())
            }
            _ => None,
        })
        .await?;
    Ok(())
}

#[tokio::test]
async fn administrators_add_reset_and_remove_operators_from_the_app() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut admin, _) =
        RawAgent::connect(&server, server.admin_email(), server.admin_password()).await?;
    admin.send(&AgentRequest::WatchTeam { req: 2 }).await?;
    admin
        .wait_for(|e| matches!(e, AgentEvent::TeamList { .. }).then_some(()))
        .await?;
    let add = |req, password: &str| AgentRequest::AddOperator {
        req,
        email: "Dee@Example.com".into(),
        name: "Dee".into(),
        password: password.into(),
        admin: false,
    };

    assert_eq!(
        refused(&mut admin, add(40, "short")).await?,
        ErrorCode::Invalid
    );
    admin.request(add(41, "first password")).await?;
    let dee = team_update(&mut admin, "Dee").await?;
    assert_eq!(dee.status, Status::Offline);
    assert_eq!(
        refused(&mut admin, add(42, "first password")).await?,
        ErrorCode::Conflict
    );
    let (mut dee_app, _) = RawAgent::connect(&server, "dee@example.com", "first password").await?;

    // Agents manage nobody.
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    assert_eq!(
        refused(
            &mut ann.agent,
            AgentRequest::RemoveOperator {
                req: 43,
                operator_id: dee.operator.id.clone()
            }
        )
        .await?,
        ErrorCode::Forbidden
    );

    admin
        .request(AgentRequest::ResetPassword {
            req: 44,
            operator_id: dee.operator.id.clone(),
            password: "second password".into(),
        })
        .await?;
    assert!(
        RawAgent::connect(&server, "dee@example.com", "first password")
            .await
            .is_err()
    );
    RawAgent::connect(&server, "dee@example.com", "second password").await?;

    // Someone with an open chat stays until it is closed or handed over.
    let (_visitor, id) = chat_with(&server, &mut ann).await?;
    assert_eq!(
        refused(
            &mut admin,
            AgentRequest::RemoveOperator {
                req: 45,
                operator_id: ann.id.clone()
            }
        )
        .await?,
        ErrorCode::Conflict
    );
    ann.agent
        .request(AgentRequest::Close {
            req: 46,
            conversation_id: id,
        })
        .await?;

    admin
        .request(AgentRequest::RemoveOperator {
            req: 47,
            operator_id: dee.operator.id.clone(),
        })
        .await?;
    let names = admin
        .wait_for(|event| match event {
            AgentEvent::TeamList { members } => Some(
                members
                    .iter()
                    .map(|m| m.operator.name.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .await?;
    assert!(!names.contains(&"Dee".to_string()), "{names:?}");
    dee_app.closed().await?;
    assert!(
        RawAgent::connect(&server, "dee@example.com", "second password")
            .await
            .is_err()
    );
    Ok(())
}

fn disable(req: u32, operator_id: &str, disabled: bool) -> AgentRequest {
    AgentRequest::SetOperatorDisabled {
        req,
        operator_id: operator_id.into(),
        disabled,
    }
}

#[tokio::test]
async fn a_disabled_operator_is_logged_out_their_chats_ring_again_and_enabling_undoes_it(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut admin, welcome) =
        RawAgent::connect(&server, server.admin_email(), server.admin_password()).await?;
    let AgentEvent::Welcome { operator: me, .. } = welcome else {
        anyhow::bail!("expected welcome, got {welcome:?}");
    };
    admin.request(AgentRequest::WatchTeam { req: 2 }).await?;
    let mut ann = operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (mut visitor, id) = chat_with(&server, &mut ann).await?;
    let mut bob = operator(&server, "bob@example.com", "Bob", Status::Online).await?;

    // Agents disable nobody, and an administrator not themselves.
    assert_eq!(
        refused(&mut bob.agent, disable(30, &ann.id, true)).await?,
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&mut admin, disable(33, &me.id, true)).await?,
        ErrorCode::Invalid
    );
    admin.request(disable(31, &ann.id, true)).await?;

    // Ann's live socket is told why and closed at once.
    let (events, _) = ann.agent.events_until_closed().await?;
    assert!(
        events.iter().any(|e| matches!(e,
            AgentEvent::Error { req: None, error }
                if error.code == ErrorCode::Unauthorized && error.message.contains("disabled"))),
        "{events:?}"
    );
    // Her chat goes back to the queue: the visitor sees her leave and Bob is rung.
    sees(&mut visitor, &["-Ann"]).await?;
    bob.agent
        .wait_for(|e| {
            matches!(e, AgentEvent::Ringing { conversation } if conversation.id == id).then_some(())
        })
        .await?;
    admin
        .wait_for(|e| match e {
            AgentEvent::TeamMemberUpdated { member }
                if member.operator.name == "Ann"
                    && member.disabled
                    && member.status == Status::Offline
                    && member.chats == 0 =>
            {
                Some(())
            }
            _ => None,
        })
        .await?;

    // She cannot log in, and says so clearly.
    let response = reqwest::Client::new()
        .post(server.base_url().join("api/v1/login")?)
        .json(&serde_json::json!({ "email": "ann@example.com", "password": PASSWORD }))
        .send()
        .await?;
    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);
    let body = response.text().await?;
    assert!(body.contains("this account is disabled"), "{body}");

    admin.request(disable(32, &ann.id, false)).await?;
    let shown = team_update(&mut admin, "Ann").await?;
    assert!(!shown.disabled);
    let (mut ann, welcome) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    let AgentEvent::Welcome { conversations, .. } = welcome else {
        anyhow::bail!("expected welcome, got {welcome:?}");
    };
    assert!(
        conversations.iter().any(|c| c.id == id),
        "the waiting call rings for Ann again"
    );
    ann.request(accept(&id)).await?;
    Ok(())
}
