//! Calls through the real server: ringing, To All distribution, accept races, decline,
//! status and the widget's online button, messages both ways, close.

use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, ConversationState, EventBody, RingEnd, Status, SurveyAnswer,
    VisitorEvent, VisitorRequest,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";
/// A pre-chat survey asking for the visitor's name.
const NAME_SURVEY: &str = r#"[{"key":"name","label":"Your name","kind":"text","required":false}]"#;

async fn online_operator(server: &TestServer, email: &str, name: &str) -> anyhow::Result<RawAgent> {
    server.add_operator(email, name, PASSWORD).await?;
    let (agent, _) = RawAgent::connect_with_status(server, email, PASSWORD, Status::Online).await?;
    Ok(agent)
}

fn visitor_welcome_online(welcome: &VisitorEvent) -> bool {
    matches!(welcome, VisitorEvent::Welcome { online: true, .. })
}

async fn call(visitor: &mut RawVisitor, name: &str) -> anyhow::Result<String> {
    let survey = if name.is_empty() {
        Vec::new()
    } else {
        vec![SurveyAnswer {
            key: "name".into(),
            value: name.into(),
        }]
    };
    visitor
        .send(&VisitorRequest::StartChat { req: 1, survey })
        .await?;
    visitor
        .wait_for(|event| match event {
            VisitorEvent::Ack {
                req: 1,
                conversation: Some(c),
                ..
            } => Some(c.id.clone()),
            VisitorEvent::Error { error, .. } => panic!("start chat failed: {error}"),
            _ => None,
        })
        .await
}

async fn ringing(agent: &mut RawAgent) -> anyhow::Result<String> {
    agent
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation } => Some(conversation.id.clone()),
            _ => None,
        })
        .await
}

fn message_text(event: &AgentEvent) -> Option<String> {
    match event {
        AgentEvent::Event { event, .. } => match &event.body {
            EventBody::Message { text, .. } => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn visitor_message(event: &VisitorEvent) -> Option<(u32, String, Author)> {
    match event {
        VisitorEvent::Event { event, .. } => match &event.body {
            EventBody::Message { text, author, .. } => {
                Some((event.seq, text.clone(), author.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn visitor_calls_operator_accepts_they_chat_and_the_operator_closes() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("survey", NAME_SURVEY).await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    assert!(
        visitor_welcome_online(&welcome),
        "an operator is online: {welcome:?}"
    );

    let conversation_id = call(&mut visitor, "Vera").await?;
    assert_eq!(ringing(&mut ann).await?, conversation_id);
    visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "v1".into(),
            text: "Hello :)".into(),
        })
        .await?;
    assert_eq!(ann.wait_for(message_text).await?, "Hello 🙂");

    ann.request(AgentRequest::Accept {
        req: 2,
        conversation_id: conversation_id.clone(),
    })
    .await?;
    let joined = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::OperatorJoined { operator } => Some(operator.name.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(joined, "Ann");

    let seq = ann
        .request(AgentRequest::Send {
            req: 3,
            conversation_id: conversation_id.clone(),
            client_msg_id: "a1".into(),
            text: "Hi Vera, see https://example.com".into(),
        })
        .await?
        .expect("a send is acked with its seq");
    let (got_seq, text, author) = visitor.wait_for(visitor_message).await?;
    assert_eq!(
        (got_seq, text.as_str()),
        (seq, "Hi Vera, see https://example.com")
    );
    assert!(matches!(author, Author::Operator { name, .. } if name == "Ann"));

    ann.request(AgentRequest::Close {
        req: 4,
        conversation_id: conversation_id.clone(),
    })
    .await?;
    visitor
        .wait_for_event(|event| matches!(event.body, EventBody::Closed { .. }).then_some(()))
        .await?;
    let error = visitor
        .request(VisitorRequest::Send {
            req: 3,
            client_msg_id: "v2".into(),
            text: "still there?".into(),
        })
        .await
        .expect_err("a closed chat takes no messages");
    assert!(error.to_string().contains("no open chat"), "{error}");
    Ok(())
}

#[tokio::test]
async fn to_all_rings_every_online_operator_and_exactly_one_accept_wins() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let mut bob = online_operator(&server, "bob@example.com", "Bob").await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let id = call(&mut visitor, "").await?;
    assert_eq!(ringing(&mut ann).await?, id);
    assert_eq!(ringing(&mut bob).await?, id);

    // Both accept at once: one Ack, one conflict, and the loser's ring is withdrawn (the
    // withdrawal may reach the loser before or after its conflict answer).
    ann.send(&AgentRequest::Accept {
        req: 7,
        conversation_id: id.clone(),
    })
    .await?;
    bob.send(&AgentRequest::Accept {
        req: 7,
        conversation_id: id.clone(),
    })
    .await?;
    let mut outcomes = Vec::new();
    for agent in [&mut ann, &mut bob] {
        let (mut answer, mut withdrawn) = (None, None);
        while answer.is_none() || (answer == Some(false) && withdrawn.is_none()) {
            match agent.next().await? {
                AgentEvent::Ack { req: 7, .. } => answer = Some(true),
                AgentEvent::Error {
                    req: Some(7),
                    error,
                } => {
                    assert_eq!(error.code, switchboard_protocol::ErrorCode::Conflict);
                    answer = Some(false);
                }
                AgentEvent::RingStopped {
                    conversation_id,
                    reason,
                } if conversation_id == id => withdrawn = Some(reason),
                _ => {}
            }
        }
        if answer == Some(false) {
            assert!(
                matches!(withdrawn, Some(RingEnd::Taken { .. })),
                "{withdrawn:?}"
            );
        }
        outcomes.push(answer == Some(true));
    }
    assert_eq!(
        outcomes.iter().filter(|won| **won).count(),
        1,
        "{outcomes:?}"
    );
    Ok(())
}

#[tokio::test]
async fn sending_into_a_ringing_call_accepts_it() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let id = call(&mut visitor, "").await?;
    ringing(&mut ann).await?;
    ann.request(AgentRequest::Send {
        req: 5,
        conversation_id: id.clone(),
        client_msg_id: "first".into(),
        text: "How can I help?".into(),
    })
    .await?;
    let joined_then_message = visitor
        .wait_for_event(|event| match &event.body {
            EventBody::OperatorJoined { .. } => Some(event.seq),
            _ => None,
        })
        .await?;
    let (seq, text, _) = visitor.wait_for(visitor_message).await?;
    assert_eq!(seq, joined_then_message + 1);
    assert_eq!(text, "How can I help?");
    Ok(())
}

#[tokio::test]
async fn away_operators_do_not_ring_and_the_button_goes_offline_live() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    assert!(visitor_welcome_online(&welcome));

    ann.request(AgentRequest::SetStatus {
        req: 2,
        status: Status::Away,
    })
    .await?;
    let online = visitor
        .wait_for(|event| match event {
            VisitorEvent::Availability { online } => Some(*online),
            _ => None,
        })
        .await?;
    assert!(!online, "the last online operator went away");

    // A call made now does not ring Ann; it rings when she comes back online.
    let id = call(&mut visitor, "").await?;
    ann.request(AgentRequest::SetStatus {
        req: 3,
        status: Status::Online,
    })
    .await?;
    assert_eq!(ringing(&mut ann).await?, id);
    let online = visitor
        .wait_for(|event| match event {
            VisitorEvent::Availability { online } => Some(*online),
            _ => None,
        })
        .await?;
    assert!(online);

    // Going offline withdraws the ring.
    ann.send(&AgentRequest::SetStatus {
        req: 4,
        status: Status::Offline,
    })
    .await?;
    let reason = ann
        .wait_for(|event| match event {
            AgentEvent::RingStopped { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(reason, RingEnd::StatusChanged);
    Ok(())
}

#[tokio::test]
async fn a_declined_call_keeps_ringing_for_the_others() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let mut bob = online_operator(&server, "bob@example.com", "Bob").await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let id = call(&mut visitor, "").await?;
    ringing(&mut ann).await?;
    ringing(&mut bob).await?;
    ann.request(AgentRequest::Decline {
        req: 2,
        conversation_id: id.clone(),
    })
    .await?;
    let reason = ann
        .wait_for(|event| match event {
            AgentEvent::RingStopped { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(reason, RingEnd::Declined);
    bob.request(AgentRequest::Accept {
        req: 2,
        conversation_id: id.clone(),
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_new_session_lists_open_chats_in_its_welcome() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server.set_setting("survey", NAME_SURVEY).await?;
    let mut ann = online_operator(&server, "ann@example.com", "Ann").await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let id = call(&mut visitor, "Vera").await?;
    ann.request(AgentRequest::Accept {
        req: 2,
        conversation_id: id.clone(),
    })
    .await?;

    let (_, welcome) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    let AgentEvent::Welcome {
        status,
        conversations,
        ..
    } = welcome
    else {
        panic!("expected a welcome, got {welcome:?}");
    };
    assert_eq!(status, Status::Online);
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].id, id);
    assert_eq!(conversations[0].state, ConversationState::Active);
    assert_eq!(conversations[0].visitor.name, "Vera");
    assert!(conversations[0].visitor.connected);
    Ok(())
}

#[tokio::test]
async fn a_chat_accepted_on_one_device_shows_on_the_operators_others() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    // Away: the call rings for nobody, so the second session has not heard of it.
    let (mut phone, _) =
        RawAgent::connect_with_status(&server, "ann@example.com", PASSWORD, Status::Away).await?;
    let (mut desktop, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    let (mut visitor, _) = RawVisitor::connect(&server, None, None).await?;
    let id = call(&mut visitor, "").await?;
    phone
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: id.clone(),
        })
        .await?;
    let shown = desktop
        .wait_for(|event| match event {
            AgentEvent::ConversationUpdated { conversation } if conversation.id == id => {
                Some(conversation.clone())
            }
            _ => None,
        })
        .await?;
    assert_eq!(shown.state, ConversationState::Active);
    assert_eq!(shown.operators.len(), 1);
    assert_eq!(shown.operators[0].name, "Ann");
    Ok(())
}

#[tokio::test]
async fn a_required_survey_field_must_be_answered() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let required = r#"[{"key":"name","label":"Your name","kind":"text","required":true}]"#;
    server.set_setting("survey", required).await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    assert!(matches!(&welcome, VisitorEvent::Welcome { survey, .. } if survey.len() == 1));
    let error = visitor
        .request(VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await
        .expect_err("the name is required");
    assert!(
        error.to_string().contains("'Your name' is required"),
        "{error}"
    );
    Ok(())
}
