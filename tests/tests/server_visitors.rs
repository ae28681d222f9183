//! Visitor tracking through the real server: the live visitor list with location (from the
//! shipped GeoIP database), browser, time zone and pages in order; visits across a grace
//! period; proactive invitations; blocking by IP and country; earlier chats readable by the team.

use switchboard_protocol::visitors::{BlockTarget, LiveVisitor, VisitorChatState};
use switchboard_protocol::{
    AgentEvent, AgentRequest, Author, ConversationState, EventBody, PageInfo, Status, VisitorEvent,
    VisitorRequest,
};
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::{demo_page, RawAgent, RawVisitor};

const PASSWORD: &str = "operator-password";
const CHROME_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
/// A public address the shipped database places in Mountain View, California, US.
const US_IP: &str = "8.8.8.8";
/// A public address the shipped database places in Berlin, Germany.
const DE_IP: &str = "2001:638::1";

/// An operator who watches the visitor list (and is Online unless `status` says otherwise).
async fn watching_operator(
    server: &TestServer,
    email: &str,
    name: &str,
    status: Status,
) -> anyhow::Result<RawAgent> {
    server.add_operator(email, name, PASSWORD).await?;
    let (mut agent, _) = RawAgent::connect(server, email, PASSWORD).await?;
    agent
        .request(AgentRequest::SetStatus { req: 1, status })
        .await?;
    agent
        .request(AgentRequest::WatchVisitors { req: 2 })
        .await?;
    Ok(agent)
}

/// Waits until the operator hears of a visitor for which `pick` holds.
async fn visitor_where(
    agent: &mut RawAgent,
    pick: impl Fn(&LiveVisitor) -> bool,
) -> anyhow::Result<LiveVisitor> {
    agent
        .wait_for(|event| match event {
            AgentEvent::VisitorUpdated { visitor } if pick(visitor) => Some(visitor.clone()),
            AgentEvent::VisitorList { visitors } => visitors.iter().find(|v| pick(v)).cloned(),
            _ => None,
        })
        .await
}

/// The visitor as the server lists it now (asks for the list again, so that updates skipped
/// while waiting for a request's answer do not matter).
async fn listed(agent: &mut RawAgent, id: &str) -> anyhow::Result<LiveVisitor> {
    agent.send(&AgentRequest::WatchVisitors { req: 99 }).await?;
    agent
        .wait_for(|event| match event {
            AgentEvent::VisitorList { visitors } => visitors.iter().find(|v| v.id == id).cloned(),
            _ => None,
        })
        .await
}

fn welcome_ids(welcome: &VisitorEvent) -> (String, String) {
    match welcome {
        VisitorEvent::Welcome {
            visitor_id,
            visitor_token,
            ..
        } => (visitor_id.clone(), visitor_token.clone()),
        other => panic!("expected a welcome, got {other:?}"),
    }
}

fn urls(visitor: &LiveVisitor) -> Vec<String> {
    visitor.pages.iter().map(|p| p.url.clone()).collect()
}

fn page(server: &TestServer, path: &str) -> PageInfo {
    demo_page(server, path)
}

#[tokio::test]
async fn operators_see_a_visitors_location_browser_and_pages_in_order() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (mut visitor, welcome) =
        RawVisitor::connect_from(&server, US_IP, CHROME_LINUX, None, page(&server, "demo/"))
            .await?;
    let (id, token) = welcome_ids(&welcome);

    let seen = visitor_where(&mut ann, |v| v.id == id).await?;
    assert_eq!(seen.ip, US_IP);
    let location = seen.location.clone().expect("8.8.8.8 is in the database");
    assert_eq!(location.country_code.as_deref(), Some("US"));
    assert_eq!(location.city.as_deref(), Some("Mountain View"));
    assert_eq!(seen.browser.name, "Chrome");
    assert_eq!(seen.browser.os, "Linux");
    assert_eq!(seen.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!((seen.visits, seen.chats), (1, 0));
    assert!(seen.connected);
    assert_eq!(seen.chat, VisitorChatState::Idle);

    for path in ["demo/pricing.html", "demo/contact.html"] {
        visitor
            .send(&VisitorRequest::PageView {
                page: page(&server, path),
            })
            .await?;
    }
    let walked = visitor_where(&mut ann, |v| v.id == id && v.pages.len() == 3).await?;
    let expected: Vec<String> = ["demo/", "demo/pricing.html", "demo/contact.html"]
        .iter()
        .map(|p| page(&server, p).url)
        .collect();
    assert_eq!(urls(&walked), expected);
    assert_eq!(walked.pages[1].title, "Acme Cloud demo/pricing.html");
    assert!(walked.pages[..2].iter().all(|p| p.left_at.is_some()));
    assert!(walked.pages[0].left_at.unwrap() >= walked.pages[0].entered_at);
    assert_eq!(walked.pages[2].left_at, None, "still on the last page");

    // Moving to another page reconnects the widget: the same visit goes on.
    drop(visitor);
    let left = visitor_where(&mut ann, |v| v.id == id && !v.connected).await?;
    assert!(
        left.pages[2].left_at.is_some(),
        "time on page ends on leaving"
    );
    let (_visitor, _) = RawVisitor::connect_from(
        &server,
        US_IP,
        CHROME_LINUX,
        Some(token),
        page(&server, "demo/index.html"),
    )
    .await?;
    let back = visitor_where(&mut ann, |v| v.id == id && v.connected).await?;
    assert_eq!(back.visits, 1);
    assert_eq!(back.pages.len(), 4);

    // A colleague who starts watching later gets everyone at once.
    let mut bob = watching_operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let listed = bob
        .wait_for(|event| match event {
            AgentEvent::VisitorList { visitors } => Some(visitors.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].pages.len(), 4);
    Ok(())
}

#[tokio::test]
async fn a_visitor_who_leaves_disappears_after_the_grace_period_and_comes_back_as_a_new_visit(
) -> anyhow::Result<()> {
    let server = TestServer::start_with(&["--visitor-grace-secs", "1"]).await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (visitor, welcome) = RawVisitor::connect_from(
        &server,
        DE_IP,
        FIREFOX_WINDOWS,
        None,
        page(&server, "demo/"),
    )
    .await?;
    let (id, token) = welcome_ids(&welcome);
    let seen = visitor_where(&mut ann, |v| v.id == id).await?;
    let location = seen.location.expect("the address is in the database");
    assert_eq!(location.country_code.as_deref(), Some("DE"));
    assert_eq!(seen.browser.name, "Firefox");
    assert_eq!(seen.browser.os, "Windows 10");

    drop(visitor);
    ann.wait_for(|event| match event {
        AgentEvent::VisitorGone { visitor_id } if *visitor_id == id => Some(()),
        _ => None,
    })
    .await?;

    let (_visitor, _) = RawVisitor::connect_from(
        &server,
        DE_IP,
        FIREFOX_WINDOWS,
        Some(token),
        page(&server, "demo/pricing.html"),
    )
    .await?;
    let again = visitor_where(&mut ann, |v| v.id == id).await?;
    assert_eq!(again.visits, 2);
    assert_eq!(
        urls(&again),
        vec![page(&server, "demo/pricing.html").url],
        "a new visit starts a new history"
    );
    Ok(())
}

#[tokio::test]
async fn an_invitation_pops_up_and_the_answer_starts_a_chat_the_operator_already_accepted(
) -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (mut visitor, welcome) = RawVisitor::connect_from(
        &server,
        US_IP,
        CHROME_LINUX,
        None,
        page(&server, "demo/pricing.html"),
    )
    .await?;
    let (id, _) = welcome_ids(&welcome);
    visitor_where(&mut ann, |v| v.id == id).await?;

    ann.request(AgentRequest::Invite {
        req: 3,
        visitor_id: id.clone(),
        text: "Hi! Questions about pricing?".into(),
    })
    .await?;
    let invitation = visitor
        .wait_for(|event| match event {
            VisitorEvent::Invited { invitation } => Some(invitation.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(invitation.operator.name, "Ann");
    assert_eq!(invitation.text, "Hi! Questions about pricing?");
    let invited = visitor_where(&mut ann, |v| {
        v.id == id && matches!(v.chat, VisitorChatState::Invited { .. })
    })
    .await?;
    assert!(matches!(invited.chat, VisitorChatState::Invited { by } if by.name == "Ann"));

    // A second invitation while the first is open is refused.
    let twice = ann
        .request(AgentRequest::Invite {
            req: 4,
            visitor_id: id.clone(),
            text: "Hello?".into(),
        })
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("already invited"), "{twice}");

    visitor
        .send(&VisitorRequest::AnswerInvitation {
            req: 1,
            client_msg_id: "reply-1".into(),
            text: "Yes, is there a discount?".into(),
        })
        .await?;
    let conversation = visitor
        .wait_for(|event| match event {
            VisitorEvent::Ack {
                req: 1,
                conversation: Some(c),
                ..
            } => Some(c.clone()),
            VisitorEvent::Error { error, .. } => panic!("answer refused: {error}"),
            _ => None,
        })
        .await?;
    assert_eq!(conversation.state, ConversationState::Active);
    assert_eq!(conversation.operators[0].name, "Ann");

    let summary = ann
        .wait_for(|event| match event {
            AgentEvent::ConversationUpdated { conversation } => Some(conversation.clone()),
            AgentEvent::Ringing { .. } => panic!("an answered invitation never rings"),
            _ => None,
        })
        .await?;
    assert_eq!(summary.id, conversation.id);
    assert_eq!(summary.state, ConversationState::Active);
    let mut bodies = Vec::new();
    while bodies.len() < 3 {
        let body = ann
            .wait_for(|event| match event {
                AgentEvent::Event {
                    conversation_id,
                    event,
                } if *conversation_id == summary.id => Some(event.body.clone()),
                _ => None,
            })
            .await?;
        if !matches!(body, EventBody::Started { .. }) {
            bodies.push(body);
        }
    }
    assert!(matches!(&bodies[0], EventBody::OperatorJoined { operator } if operator.name == "Ann"));
    assert!(
        matches!(&bodies[1], EventBody::Message { text, author: Author::Operator { name, .. }, .. }
        if text == "Hi! Questions about pricing?" && name == "Ann")
    );
    assert!(
        matches!(&bodies[2], EventBody::Message { text, author: Author::Visitor { .. }, .. }
        if text == "Yes, is there a discount?")
    );
    let chatting = listed(&mut ann, &id).await?;
    assert!(
        matches!(&chatting.chat, VisitorChatState::Chatting { conversation_id, operators }
            if *conversation_id == summary.id && operators[0].name == "Ann"),
        "{chatting:?}"
    );
    assert_eq!(chatting.chats, 1);
    Ok(())
}

#[tokio::test]
async fn invitations_are_refused_while_away_and_for_visitors_who_left() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Away).await?;
    let (visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let (id, _) = welcome_ids(&welcome);
    visitor_where(&mut ann, |v| v.id == id).await?;
    let away = ann
        .request(AgentRequest::Invite {
            req: 3,
            visitor_id: id.clone(),
            text: "Hello".into(),
        })
        .await
        .unwrap_err();
    assert!(
        away.to_string().contains("only be sent while Online"),
        "{away}"
    );

    ann.request(AgentRequest::SetStatus {
        req: 4,
        status: Status::Online,
    })
    .await?;
    let empty = ann
        .request(AgentRequest::Invite {
            req: 5,
            visitor_id: id.clone(),
            text: "   ".into(),
        })
        .await
        .unwrap_err();
    assert!(empty.to_string().contains("Invalid"), "{empty}");
    let long = ann
        .request(AgentRequest::Invite {
            req: 6,
            visitor_id: id.clone(),
            text: "x".repeat(5000),
        })
        .await
        .unwrap_err();
    assert!(long.to_string().contains("TooLarge"), "{long}");

    drop(visitor);
    visitor_where(&mut ann, |v| v.id == id && !v.connected).await?;
    let gone = ann
        .request(AgentRequest::Invite {
            req: 7,
            visitor_id: id,
            text: "Hello".into(),
        })
        .await
        .unwrap_err();
    assert!(gone.to_string().contains("no longer on the site"), "{gone}");
    Ok(())
}

fn refused(event: &VisitorEvent) -> bool {
    matches!(event, VisitorEvent::Error { error, .. }
        if error.code == switchboard_protocol::ErrorCode::OriginDenied)
}

#[tokio::test]
async fn blocking_an_address_or_a_country_keeps_visitors_out_until_unblocked() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (mut visitor, welcome) =
        RawVisitor::connect_from(&server, US_IP, CHROME_LINUX, None, page(&server, "demo/"))
            .await?;
    let (id, token) = welcome_ids(&welcome);
    visitor_where(&mut ann, |v| v.id == id).await?;

    ann.request(AgentRequest::Block {
        req: 3,
        target: BlockTarget::Ip { ip: US_IP.into() },
    })
    .await?;
    visitor.wait_for(|e| refused(e).then_some(())).await?;
    ann.wait_for(|event| match event {
        AgentEvent::VisitorGone { visitor_id } if *visitor_id == id => Some(()),
        _ => None,
    })
    .await?;
    let blocks = ann
        .wait_for(|event| match event {
            AgentEvent::BlockList { blocks } if !blocks.is_empty() => Some(blocks.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(blocks[0].target, BlockTarget::Ip { ip: US_IP.into() });
    assert_eq!(blocks[0].by.name, "Ann");

    // The same address cannot come back, not even with its token.
    let (_, again) = RawVisitor::connect_from(
        &server,
        US_IP,
        CHROME_LINUX,
        Some(token),
        page(&server, "demo/"),
    )
    .await?;
    assert!(refused(&again), "{again:?}");
    let twice = ann
        .request(AgentRequest::Block {
            req: 4,
            target: BlockTarget::Ip { ip: US_IP.into() },
        })
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("blocked already"), "{twice}");
    let bad = ann
        .request(AgentRequest::Block {
            req: 5,
            target: BlockTarget::Ip {
                ip: "not-an-ip".into(),
            },
        })
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("Invalid"), "{bad}");

    ann.request(AgentRequest::Unblock {
        req: 6,
        block_id: blocks[0].id.clone(),
    })
    .await?;
    let (_, welcome) =
        RawVisitor::connect_from(&server, US_IP, CHROME_LINUX, None, page(&server, "demo/"))
            .await?;
    assert!(
        matches!(welcome, VisitorEvent::Welcome { .. }),
        "{welcome:?}"
    );

    // A country: every address the database places there, and only those.
    ann.request(AgentRequest::Block {
        req: 7,
        target: BlockTarget::Country {
            country_code: "us".into(),
        },
    })
    .await?;
    let (_, american) =
        RawVisitor::connect_from(&server, US_IP, CHROME_LINUX, None, page(&server, "demo/"))
            .await?;
    assert!(refused(&american), "{american:?}");
    let (_, german) =
        RawVisitor::connect_from(&server, DE_IP, CHROME_LINUX, None, page(&server, "demo/"))
            .await?;
    assert!(matches!(german, VisitorEvent::Welcome { .. }), "{german:?}");
    Ok(())
}

#[tokio::test]
async fn earlier_chats_are_listed_and_any_operator_reads_them() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let (mut visitor, welcome) = RawVisitor::connect(&server, None, None).await?;
    let (id, _) = welcome_ids(&welcome);
    visitor
        .request(VisitorRequest::StartChat {
            req: 1,
            survey: Vec::new(),
        })
        .await?;
    let conversation_id = ann
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation } => Some(conversation.id.clone()),
            _ => None,
        })
        .await?;
    let ringing = listed(&mut ann, &id).await?;
    assert!(
        matches!(ringing.chat, VisitorChatState::Ringing { .. }),
        "{ringing:?}"
    );
    assert_eq!(ringing.chats, 1);
    visitor
        .request(VisitorRequest::Send {
            req: 2,
            client_msg_id: "m1".into(),
            text: "My order is late".into(),
        })
        .await?;
    ann.request(AgentRequest::Accept {
        req: 3,
        conversation_id: conversation_id.clone(),
    })
    .await?;
    ann.request(AgentRequest::Close {
        req: 4,
        conversation_id: conversation_id.clone(),
    })
    .await?;
    let after = listed(&mut ann, &id).await?;
    assert_eq!(after.chat, VisitorChatState::Idle);
    assert_eq!(after.previous_chats[0].id, conversation_id);
    assert_eq!(after.previous_chats[0].operators, vec!["Ann".to_string()]);
    assert_eq!(
        after.previous_chats[0].first_message.as_deref(),
        Some("My order is late")
    );

    // Bob never took part, but the closed chat is the team's history.
    let mut bob = watching_operator(&server, "bob@example.com", "Bob", Status::Online).await?;
    let listed = bob
        .wait_for(|event| match event {
            AgentEvent::VisitorList { visitors } => Some(visitors.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(listed[0].previous_chats[0].id, conversation_id);
    bob.send(&AgentRequest::History {
        req: 9,
        conversation_id: conversation_id.clone(),
        before_seq: None,
        limit: 50,
    })
    .await?;
    let events = bob
        .wait_for(|event| match event {
            AgentEvent::HistoryPage { req: 9, events, .. } => Some(events.clone()),
            AgentEvent::Error {
                req: Some(9),
                error,
            } => panic!("history refused: {error}"),
            _ => None,
        })
        .await?;
    assert!(events.iter().any(|e| matches!(&e.body,
        EventBody::Message { text, .. } if text == "My order is late")));
    Ok(())
}

#[tokio::test]
async fn hostile_page_reports_reach_operators_bounded_and_cleaned() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let mut ann = watching_operator(&server, "ann@example.com", "Ann", Status::Online).await?;
    let hostile = PageInfo {
        url: "javascript:alert(1)".into(),
        title: "<script>x</script>".repeat(100),
        referrer: Some("data:text/html,<b>x</b>".into()),
    };
    let headers = [
        ("x-forwarded-for", "not-an-address"),
        ("user-agent", &*"A".repeat(10_000)),
    ];
    let mut visitor =
        RawVisitor::open_with_headers(&server.ws_url("ws/v1/visitor"), &headers).await?;
    visitor
        .send(&VisitorRequest::Hello {
            protocol: switchboard_protocol::PROTOCOL_VERSION,
            visitor_token: None,
            page: hostile,
            time_zone: Some("<img src=x>".into()),
            last_seq: None,
        })
        .await?;
    let (id, _) = welcome_ids(&visitor.next().await?);
    let seen = visitor_where(&mut ann, |v| v.id == id).await?;
    assert_eq!(seen.pages[0].url, "", "only web URLs are kept");
    assert_eq!(
        seen.pages[0].title.chars().count(),
        switchboard_protocol::limits::MAX_TITLE_CHARS
    );
    assert_eq!(seen.referrer, None);
    assert_eq!(seen.time_zone, None);
    assert_eq!(
        seen.ip, "127.0.0.1",
        "an unreadable forwarded address is ignored"
    );
    assert_eq!(seen.location, None);
    Ok(())
}
