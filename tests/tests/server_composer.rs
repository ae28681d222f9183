//! The composer's server side: canned responses (the company's list for admins, each
//! operator's own, following the operator to every client), and typing signals with the
//! account's sneak peek setting, never stored as events.

use switchboard_protocol::{
    AgentEvent, AgentRequest, CannedDraft, CannedResponse, CannedScope, ErrorCode, EventBody,
    Status, VisitorEvent, VisitorRequest,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";

fn draft(scope: CannedScope, shortcut: &str, text: &str) -> CannedDraft {
    CannedDraft {
        scope,
        group: "Greetings".into(),
        shortcut: Some(shortcut.into()),
        title: String::new(),
        text: text.into(),
    }
}

/// Waits for a list of canned responses that `done` accepts (lists arrive after every
/// change; an Ack may come before or after the list of its change).
async fn canned_list(
    agent: &mut RawAgent,
    done: impl Fn(&[CannedResponse]) -> bool,
) -> anyhow::Result<Vec<CannedResponse>> {
    agent
        .wait_for(|event| match event {
            AgentEvent::CannedResponses { responses } if done(responses) => Some(responses.clone()),
            _ => None,
        })
        .await
}

fn shortcuts(list: &[CannedResponse]) -> Vec<(CannedScope, String)> {
    list.iter()
        .map(|r| (r.scope, r.shortcut.clone().unwrap_or_default()))
        .collect()
}

async fn save(
    agent: &mut RawAgent,
    req: u32,
    id: Option<String>,
    draft: CannedDraft,
) -> anyhow::Result<()> {
    agent
        .request(AgentRequest::SaveCanned { req, id, draft })
        .await
        .map(|_| ())
}

/// The error code a request is refused with (fails if it is acknowledged).
async fn refused(agent: &mut RawAgent, request: AgentRequest) -> anyhow::Result<ErrorCode> {
    agent.send(&request).await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::Error {
                req: Some(_),
                error,
            } => Some(Ok(error.code)),
            AgentEvent::Ack { .. } => Some(Err(anyhow::anyhow!("{request:?} was accepted"))),
            _ => None,
        })
        .await?
}

#[tokio::test]
async fn canned_responses_are_company_wide_or_personal_and_follow_the_operator(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    server
        .add_operator("ann@example.com", "Ann", PASSWORD)
        .await?;
    let (mut admin, _) =
        RawAgent::connect(&server, server.admin_email(), server.admin_password()).await?;
    let (mut ann, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    canned_list(&mut admin, <[_]>::is_empty).await?;
    canned_list(&mut ann, <[_]>::is_empty).await?;

    // The admin adds a company response: every operator gets it.
    save(
        &mut admin,
        1,
        None,
        draft(CannedScope::Company, "#hello", "Hello {visitor.name}!"),
    )
    .await?;
    let company = canned_list(&mut ann, |l| !l.is_empty()).await?;
    assert_eq!(
        shortcuts(&company),
        [(CannedScope::Company, "hello".to_owned())]
    );
    assert_eq!(company[0].title, "Hello {visitor.name}!");
    canned_list(&mut admin, |l| l.len() == 1).await?;

    // Ann may not change the company's list, but keeps her own; the admin does not see it.
    let forbidden = AgentRequest::SaveCanned {
        req: 2,
        id: None,
        draft: draft(CannedScope::Company, "x", "x"),
    };
    assert_eq!(refused(&mut ann, forbidden).await?, ErrorCode::Forbidden);
    save(
        &mut ann,
        3,
        None,
        draft(CannedScope::Personal, "thanks", "Thanks!"),
    )
    .await?;
    save(
        &mut ann,
        4,
        None,
        draft(CannedScope::Personal, "bye", "Bye :)"),
    )
    .await?;
    let mine = canned_list(&mut ann, |l| l.len() == 3).await?;
    assert_eq!(
        shortcuts(&mine),
        [
            (CannedScope::Company, "hello".to_owned()),
            (CannedScope::Personal, "thanks".to_owned()),
            (CannedScope::Personal, "bye".to_owned()),
        ]
    );

    // A shortcut is unique within its list; a bad shortcut is refused with a reason.
    let taken = AgentRequest::SaveCanned {
        req: 5,
        id: None,
        draft: draft(CannedScope::Personal, "THANKS", "again"),
    };
    assert_eq!(refused(&mut ann, taken).await?, ErrorCode::Conflict);
    let bad = AgentRequest::SaveCanned {
        req: 6,
        id: None,
        draft: draft(CannedScope::Personal, "two words", "x"),
    };
    assert_eq!(refused(&mut ann, bad).await?, ErrorCode::Invalid);

    // Reorder, edit, and delete her own; she cannot touch the company's.
    let ids: Vec<String> = mine[1..].iter().rev().map(|r| r.id.clone()).collect();
    ann.request(AgentRequest::ReorderCanned {
        req: 7,
        scope: CannedScope::Personal,
        ids,
    })
    .await?;
    let reordered = canned_list(&mut ann, |l| l[1].shortcut.as_deref() == Some("bye")).await?;
    assert_eq!(reordered[1].shortcut.as_deref(), Some("bye"));
    save(
        &mut ann,
        8,
        Some(reordered[1].id.clone()),
        draft(CannedScope::Personal, "bye", "See you"),
    )
    .await?;
    canned_list(&mut ann, |l| l[1].text == "See you").await?;
    let delete_company = AgentRequest::DeleteCanned {
        req: 9,
        id: company[0].id.clone(),
    };
    assert_eq!(
        refused(&mut ann, delete_company).await?,
        ErrorCode::Forbidden
    );
    ann.request(AgentRequest::DeleteCanned {
        req: 10,
        id: reordered[2].id.clone(),
    })
    .await?;
    canned_list(&mut ann, |l| l.len() == 2).await?;

    // Another client of Ann's (another machine) starts with the same list, in the same order.
    let (mut elsewhere, _) = RawAgent::connect(&server, "ann@example.com", PASSWORD).await?;
    assert_eq!(
        shortcuts(&canned_list(&mut elsewhere, |_| true).await?),
        [
            (CannedScope::Company, "hello".to_owned()),
            (CannedScope::Personal, "bye".to_owned()),
        ]
    );
    Ok(())
}

/// An operator in an active chat with a visitor; returns both and the conversation id.
async fn chatting(server: &TestServer) -> anyhow::Result<(RawAgent, RawVisitor, String)> {
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
    let (mut visitor, _) = RawVisitor::connect(server, None, None).await?;
    visitor
        .request(VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await?;
    let id = agent
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation } => Some(conversation.id.clone()),
            _ => None,
        })
        .await?;
    agent
        .request(AgentRequest::Accept {
            req: 2,
            conversation_id: id.clone(),
        })
        .await?;
    Ok((agent, visitor, id))
}

async fn visitor_typing(agent: &mut RawAgent) -> anyhow::Result<(bool, Option<String>)> {
    agent
        .wait_for(|event| match event {
            AgentEvent::Typing { typing, text, .. } => Some((*typing, text.clone())),
            _ => None,
        })
        .await
}

#[tokio::test]
async fn typing_is_relayed_both_ways_without_the_text_unless_sneak_peek_is_on() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let (mut agent, mut visitor, id) = chatting(&server).await?;

    // Sneak peek is off: the operator learns that the visitor types, not what.
    visitor
        .send(&VisitorRequest::Typing {
            typing: true,
            text: Some("my secret".into()),
        })
        .await?;
    assert_eq!(visitor_typing(&mut agent).await?, (true, None));

    // The visitor sees the operator typing, with the operator's name.
    agent
        .send(&AgentRequest::Typing {
            conversation_id: id.clone(),
            typing: true,
        })
        .await?;
    let shown = visitor
        .wait_for(|event| match event {
            VisitorEvent::Typing { typing, name } => Some((*typing, name.clone())),
            _ => None,
        })
        .await?;
    assert_eq!(shown, (true, Some("Ann".to_owned())));

    // With sneak peek on, a new widget is told so, and the operator sees the unsent text.
    server.set_setting("sneak_peek", "on").await?;
    let (mut again, _) = RawVisitor::connect(&server, None, None).await?;
    let policy = again
        .wait_for(|event| match event {
            VisitorEvent::TypingPolicy { sneak_peek } => Some(*sneak_peek),
            _ => None,
        })
        .await?;
    assert!(policy);
    visitor
        .send(&VisitorRequest::Typing {
            typing: false,
            text: None,
        })
        .await?;
    assert_eq!(visitor_typing(&mut agent).await?, (false, None));
    visitor
        .send(&VisitorRequest::Typing {
            typing: true,
            text: Some("where is my order".into()),
        })
        .await?;
    assert_eq!(
        visitor_typing(&mut agent).await?,
        (true, Some("where is my order".to_owned()))
    );

    // Typing never becomes part of the conversation's history.
    agent
        .send(&AgentRequest::History {
            req: 3,
            conversation_id: id,
            before_seq: None,
            limit: 50,
        })
        .await?;
    let history = agent
        .wait_for(|event| match event {
            AgentEvent::HistoryPage { events, .. } => Some(events.clone()),
            _ => None,
        })
        .await?;
    assert!(!history.is_empty());
    assert!(history
        .iter()
        .all(|event| !matches!(event.body, EventBody::Message { .. })));
    Ok(())
}

#[tokio::test]
async fn a_flood_of_typing_signals_is_thinned_but_stopping_gets_through() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (mut agent, mut visitor, _) = chatting(&server).await?;
    for _ in 0..30 {
        visitor
            .send(&VisitorRequest::Typing {
                typing: true,
                text: None,
            })
            .await?;
    }
    visitor
        .send(&VisitorRequest::Typing {
            typing: false,
            text: None,
        })
        .await?;
    let mut relayed = 0;
    while let (true, _) = visitor_typing(&mut agent).await? {
        relayed += 1;
    }
    assert!(
        (1..30).contains(&relayed),
        "{relayed} of 30 typing signals relayed"
    );
    Ok(())
}

#[tokio::test]
async fn typing_into_a_chat_of_others_is_refused() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let (_, _, id) = chatting(&server).await?;
    server
        .add_operator("bob@example.com", "Bob", PASSWORD)
        .await?;
    let (mut bob, _) = RawAgent::connect(&server, "bob@example.com", PASSWORD).await?;
    bob.send(&AgentRequest::Typing {
        conversation_id: id,
        typing: true,
    })
    .await?;
    let code = bob
        .wait_for(|event| match event {
            AgentEvent::Error { error, .. } => Some(error.code),
            _ => None,
        })
        .await?;
    assert_eq!(code, ErrorCode::Forbidden);
    Ok(())
}
