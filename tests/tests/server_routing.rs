//! Call distribution through the real server, on a manual clock (`--manual-clock`, advanced
//! over HTTP) so timeouts are tested without sleeping: round robin, least busy, the ring
//! timeout that moves a call on and sets the silent operator Away, the chat cap, and the grace
//! period that keeps a dropped operator's chats before they ring others.

use switchboard_protocol::{
    AgentEvent, AgentRequest, ErrorCode, EventBody, RingEnd, Status, VisitorEvent, VisitorRequest,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";
const RING_TIMEOUT_MS: u64 = 20_000;
const GRACE_MS: u64 = 45_000;

async fn server(distribution: &str) -> anyhow::Result<TestServer> {
    let server = TestServer::start_with(&["--manual-clock"]).await?;
    server.set_setting("distribution", distribution).await?;
    server
        .set_setting("ring_timeout_secs", &(RING_TIMEOUT_MS / 1000).to_string())
        .await?;
    server
        .set_setting("operator_grace_secs", &(GRACE_MS / 1000).to_string())
        .await?;
    Ok(server)
}

async fn online(server: &TestServer, email: &str, name: &str) -> anyhow::Result<RawAgent> {
    server.add_operator(email, name, PASSWORD).await?;
    reconnect(server, email).await
}

async fn reconnect(server: &TestServer, email: &str) -> anyhow::Result<RawAgent> {
    let (agent, _) = RawAgent::connect_with_status(server, email, PASSWORD, Status::Online).await?;
    Ok(agent)
}

async fn call(server: &TestServer) -> anyhow::Result<(RawVisitor, String)> {
    let (mut visitor, _) = RawVisitor::connect(server, None, None).await?;
    let id = visitor.start_chat().await?;
    Ok((visitor, id))
}

async fn rings(agent: &mut RawAgent, id: &str) -> anyhow::Result<()> {
    agent
        .wait_for(|event| {
            matches!(event, AgentEvent::Ringing { conversation } if conversation.id == id)
                .then_some(())
        })
        .await
}

/// Whether a call rings for an operator, from the Welcome of an extra session of theirs
/// (which lists the calls ringing for them).
async fn rings_for(server: &TestServer, email: &str, id: &str) -> anyhow::Result<bool> {
    let (_, welcome) = RawAgent::connect(server, email, PASSWORD).await?;
    let AgentEvent::Welcome { conversations, .. } = welcome else {
        anyhow::bail!("expected welcome, got {welcome:?}");
    };
    Ok(conversations.iter().any(|c| c.id == id))
}

fn accept(id: &str) -> AgentRequest {
    AgentRequest::Accept {
        req: 9,
        conversation_id: id.into(),
    }
}

/// Tries to accept; `Ok(true)` when accepted, `Ok(false)` when refused as not ringing for them.
async fn try_accept(agent: &mut RawAgent, id: &str) -> anyhow::Result<bool> {
    agent.send(&accept(id)).await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::Ack { req: 9, .. } => Some(Ok(true)),
            AgentEvent::Error {
                req: Some(9),
                error,
            } if error.code == ErrorCode::Conflict => Some(Ok(false)),
            AgentEvent::Error {
                req: Some(9),
                error,
            } => Some(Err(anyhow::anyhow!("accept failed: {error}"))),
            _ => None,
        })
        .await?
}

/// Lets whichever of Ann and Bob a one-at-a-time call rings for take it (the other is
/// refused); returns whether it was Ann.
async fn taken_by_ann(ann: &mut RawAgent, bob: &mut RawAgent, id: &str) -> anyhow::Result<bool> {
    if try_accept(ann, id).await? {
        assert!(!try_accept(bob, id).await?, "only one operator may take it");
        Ok(true)
    } else {
        assert!(try_accept(bob, id).await?, "the call rings for someone");
        Ok(false)
    }
}

#[tokio::test]
async fn round_robin_rings_one_operator_at_a_time_taking_turns() -> anyhow::Result<()> {
    let server = server("round_robin").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let mut bob = online(&server, "bob@example.com", "Bob").await?;

    let (_v1, first) = call(&server).await?;
    let ann_took_first = taken_by_ann(&mut ann, &mut bob, &first).await?;
    let (_v2, second) = call(&server).await?;
    let ann_took_second = taken_by_ann(&mut ann, &mut bob, &second).await?;
    assert_ne!(ann_took_first, ann_took_second, "they take turns");
    let (_v3, third) = call(&server).await?;
    let ann_took_third = taken_by_ann(&mut ann, &mut bob, &third).await?;
    assert_eq!(
        ann_took_first, ann_took_third,
        "and the turn comes round again"
    );
    Ok(())
}

#[tokio::test]
async fn an_unanswered_call_moves_on_at_the_timeout_and_the_silent_operator_is_set_away(
) -> anyhow::Result<()> {
    let server = server("round_robin").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let mut bob = online(&server, "bob@example.com", "Bob").await?;
    let (_visitor, id) = call(&server).await?;
    let ann_is_rung = rings_for(&server, "ann@example.com", &id).await?;
    assert_ne!(
        ann_is_rung,
        rings_for(&server, "bob@example.com", &id).await?
    );
    let (silent, other) = if ann_is_rung {
        (&mut ann, &mut bob)
    } else {
        (&mut bob, &mut ann)
    };
    rings(silent, &id).await?;

    server.advance_clock(RING_TIMEOUT_MS - 1).await?;
    assert!(
        !try_accept(other, &id).await?,
        "one millisecond before the timeout it still rings for the first operator"
    );
    server.advance_clock(1).await?;
    let (reason, status) = {
        let mut reason = None;
        let mut status = None;
        while reason.is_none() || status.is_none() {
            match silent.next().await? {
                AgentEvent::RingStopped {
                    conversation_id,
                    reason: r,
                } if conversation_id == id => reason = Some(r),
                AgentEvent::StatusChanged { status: s } => status = Some(s),
                _ => {}
            }
        }
        (reason, status)
    };
    assert_eq!(reason, Some(RingEnd::NotAnswered));
    assert_eq!(status, Some(Status::Away));
    rings(other, &id).await?;
    assert!(try_accept(other, &id).await?);
    Ok(())
}

#[tokio::test]
async fn least_busy_rings_the_operator_with_the_fewest_chats() -> anyhow::Result<()> {
    let server = server("least_busy").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let mut bob = online(&server, "bob@example.com", "Bob").await?;
    let (_v1, first) = call(&server).await?;
    let ann_took_first = taken_by_ann(&mut ann, &mut bob, &first).await?;
    let (mut v2, second) = call(&server).await?;
    let ann_took_second = taken_by_ann(&mut ann, &mut bob, &second).await?;
    assert_ne!(ann_took_first, ann_took_second, "the idle operator gets it");
    // The second one's chat ends: they are idle again while the first still has a chat, so
    // the next call is theirs again (round robin would give it to the first).
    v2.request(VisitorRequest::Close { req: 5 }).await?;
    let (_v3, third) = call(&server).await?;
    let ann_took_third = taken_by_ann(&mut ann, &mut bob, &third).await?;
    assert_eq!(
        ann_took_second, ann_took_third,
        "the least busy operator gets it"
    );
    Ok(())
}

#[tokio::test]
async fn a_chat_cap_stops_calls_ringing_for_a_full_operator_until_a_chat_ends() -> anyhow::Result<()>
{
    let server = server("to_all").await?;
    server.set_setting("max_chats", "1").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let (mut first_visitor, first) = call(&server).await?;
    rings(&mut ann, &first).await?;
    assert!(try_accept(&mut ann, &first).await?);

    let (_v2, second) = call(&server).await?;
    assert!(
        !try_accept(&mut ann, &second).await?,
        "Ann is at her cap: the second call does not ring for her"
    );
    first_visitor
        .request(VisitorRequest::Close { req: 5 })
        .await?;
    rings(&mut ann, &second).await?;
    assert!(try_accept(&mut ann, &second).await?);
    Ok(())
}

async fn visitor_sees_connection(visitor: &mut RawVisitor) -> anyhow::Result<(String, bool)> {
    visitor
        .wait_for(|event| match event {
            VisitorEvent::OperatorConnection {
                operator,
                connected,
            } => Some((operator.name.clone(), *connected)),
            _ => None,
        })
        .await
}

#[tokio::test]
async fn a_dropped_operator_keeps_chats_for_the_grace_period_then_they_ring_others(
) -> anyhow::Result<()> {
    let server = server("to_all").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let id = visitor.start_chat().await?;
    rings(&mut ann, &id).await?;
    assert!(try_accept(&mut ann, &id).await?);
    let mut bob = online(&server, "bob@example.com", "Bob").await?;

    // A blip: Ann drops and is back within the grace period; the chat stays hers.
    drop(ann);
    assert_eq!(
        visitor_sees_connection(&mut visitor).await?,
        ("Ann".into(), false)
    );
    server.advance_clock(GRACE_MS - 1).await?;
    let _ann = reconnect(&server, "ann@example.com").await?;
    assert_eq!(
        visitor_sees_connection(&mut visitor).await?,
        ("Ann".into(), true)
    );
    assert!(!try_accept(&mut bob, &id).await?, "the chat is still Ann's");

    // A departure: Ann drops and stays away; after the grace period the chat rings Bob.
    drop(_ann);
    assert_eq!(
        visitor_sees_connection(&mut visitor).await?,
        ("Ann".into(), false)
    );
    // A visitor reconnecting meanwhile (a new page) is told at once.
    let token = match welcome {
        VisitorEvent::Welcome { visitor_token, .. } => visitor_token,
        other => anyhow::bail!("expected welcome, got {other:?}"),
    };
    drop(visitor);
    let (mut visitor, _) = RawVisitor::connect(&server, Some(token), None).await?;
    assert_eq!(
        visitor_sees_connection(&mut visitor).await?,
        ("Ann".into(), false)
    );
    server.advance_clock(GRACE_MS).await?;
    let left = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::OperatorLeft { operator } => Some(operator.name.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(left, "Ann");
    rings(&mut bob, &id).await?;
    assert!(try_accept(&mut bob, &id).await?);
    let joined = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::OperatorJoined { operator } => Some(operator.name.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(joined, "Bob");
    Ok(())
}

/// The account settings an administrator's app receives next.
async fn account(agent: &mut RawAgent) -> anyhow::Result<Vec<(String, String)>> {
    agent
        .wait_for(|event| match event {
            AgentEvent::AccountSettings { settings } => Some(
                settings
                    .iter()
                    .map(|s| (s.key.clone(), s.value.clone()))
                    .collect(),
            ),
            _ => None,
        })
        .await
}

#[tokio::test]
async fn administrators_change_distribution_from_the_app_and_agents_may_not() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let (mut admin, _) =
        RawAgent::connect(&server, server.admin_email(), server.admin_password()).await?;
    admin.request(AgentRequest::ReadAccount { req: 2 }).await?;
    let settings = account(&mut admin).await?;
    assert!(
        settings.contains(&("distribution".into(), String::new())),
        "{settings:?}"
    );
    assert!(settings.iter().all(|(key, _)| !key.contains("secret")));

    admin
        .request(AgentRequest::SetAccountSetting {
            req: 3,
            key: "distribution".into(),
            value: "least_busy".into(),
        })
        .await?;
    let settings = account(&mut admin).await?;
    assert!(settings.contains(&("distribution".into(), "least_busy".into())));

    let refused = admin
        .request(AgentRequest::SetAccountSetting {
            req: 4,
            key: "ring_timeout_secs".into(),
            value: "soon".into(),
        })
        .await
        .expect_err("not a number of seconds");
    assert!(refused.to_string().contains("seconds"), "{refused}");

    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let refused = ann
        .request(AgentRequest::SetAccountSetting {
            req: 5,
            key: "distribution".into(),
            value: "to_all".into(),
        })
        .await
        .expect_err("agents do not manage the account");
    assert!(refused.to_string().contains("administrators"), "{refused}");
    Ok(())
}

#[tokio::test]
async fn after_a_restart_operators_get_the_grace_period_to_come_back() -> anyhow::Result<()> {
    let mut server = server("to_all").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let id = visitor.start_chat().await?;
    rings(&mut ann, &id).await?;
    assert!(try_accept(&mut ann, &id).await?);
    let VisitorEvent::Welcome { visitor_token, .. } = welcome else {
        anyhow::bail!("expected welcome");
    };
    server
        .add_operator("bob@example.com", "Bob", PASSWORD)
        .await?;

    server.restart().await?;
    drop((ann, visitor));
    let (mut visitor, _) = RawVisitor::connect(&server, Some(visitor_token), None).await?;
    assert_eq!(
        visitor_sees_connection(&mut visitor).await?,
        ("Ann".into(), false),
        "nobody knows yet whether Ann comes back"
    );
    let mut bob = reconnect(&server, "bob@example.com").await?;
    server.advance_clock(GRACE_MS).await?;
    rings(&mut bob, &id).await?;
    assert!(try_accept(&mut bob, &id).await?);
    Ok(())
}

/// An administrator's socket, and an operator's id by name from the team list.
async fn admin_and_id(server: &TestServer, name: &str) -> anyhow::Result<(RawAgent, String)> {
    let (mut admin, _) =
        RawAgent::connect(server, server.admin_email(), server.admin_password()).await?;
    admin.request(AgentRequest::WatchTeam { req: 2 }).await?;
    let id = admin
        .wait_for(|event| match event {
            AgentEvent::TeamList { members } => members
                .iter()
                .find(|m| m.operator.name == name)
                .map(|m| m.operator.id.clone()),
            _ => None,
        })
        .await?;
    Ok((admin, id))
}

fn cap(operator_id: &str, max_chats: Option<u32>) -> AgentRequest {
    AgentRequest::SetOperatorCap {
        req: 3,
        operator_id: operator_id.into(),
        max_chats,
    }
}

/// With a per-operator cap of one for Ann (and no account cap), a second call rings Bob only,
/// in every distribution mode; lifting her cap lets it ring her again.
async fn own_cap_holds(distribution: &str) -> anyhow::Result<()> {
    let server = server(distribution).await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let mut bob = online(&server, "bob@example.com", "Bob").await?;
    let (mut admin, ann_id) = admin_and_id(&server, "Ann").await?;
    admin.request(cap(&ann_id, Some(1))).await?;

    let (_v1, first) = call(&server).await?;
    if !taken_by_ann(&mut ann, &mut bob, &first).await? {
        // Bob took the first: give Ann one of her own.
        let (_v, another) = call(&server).await?;
        rings(&mut ann, &another).await?;
        assert!(try_accept(&mut ann, &another).await?);
    }
    let (_v2, second) = call(&server).await?;
    rings(&mut bob, &second).await?;
    assert!(
        !rings_for(&server, "ann@example.com", &second).await?,
        "{distribution}: Ann is at her own cap"
    );
    assert!(!try_accept(&mut ann, &second).await?);

    admin.request(cap(&ann_id, None)).await?;
    if distribution == "to_all" {
        rings(&mut ann, &second).await?;
        assert!(try_accept(&mut ann, &second).await?);
    } else {
        assert!(try_accept(&mut bob, &second).await?);
    }
    Ok(())
}

#[tokio::test]
async fn a_per_operator_cap_stops_calls_ringing_for_that_operator_to_all() -> anyhow::Result<()> {
    own_cap_holds("to_all").await
}

#[tokio::test]
async fn a_per_operator_cap_stops_calls_ringing_for_that_operator_round_robin() -> anyhow::Result<()>
{
    own_cap_holds("round_robin").await
}

#[tokio::test]
async fn a_per_operator_cap_stops_calls_ringing_for_that_operator_least_busy() -> anyhow::Result<()>
{
    own_cap_holds("least_busy").await
}

#[tokio::test]
async fn a_per_operator_cap_is_checked_and_only_for_administrators() -> anyhow::Result<()> {
    let server = server("to_all").await?;
    let mut ann = online(&server, "ann@example.com", "Ann").await?;
    let (mut admin, ann_id) = admin_and_id(&server, "Ann").await?;
    let refused = admin
        .request(cap(&ann_id, Some(0)))
        .await
        .expect_err("a cap of zero chats");
    assert!(refused.to_string().contains("empty"), "{refused}");
    let refused = ann
        .request(cap(&ann_id, Some(3)))
        .await
        .expect_err("agents do not set caps");
    assert!(refused.to_string().contains("administrators"), "{refused}");
    admin.request(cap(&ann_id, Some(3))).await?;
    let shown = admin
        .wait_for(|event| match event {
            AgentEvent::TeamMemberUpdated { member } if member.operator.id == ann_id => {
                Some(member.max_chats)
            }
            _ => None,
        })
        .await?;
    assert_eq!(shown, Some(3));
    Ok(())
}
