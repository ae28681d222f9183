//! Team work end to end: the real desktop app (Ann), a colleague on the raw agent protocol
//! (Bob) and a visitor in headless Chromium. Ann sees Bob on the Team page, invites him into
//! the chat from its header, they both chat with the visitor, Ann leaves, and the visitor sees
//! who joined and who left. Invited the other way round, Ann's app notifies her and she joins
//! from the invitation; internal chats start from the Team page, and so do invitations into
//! the chat open in the Chats tab; an administrator sets the call distribution there.

use std::time::Duration;

use switchboard_protocol::{AgentEvent, AgentRequest, EventBody, Status};
use switchboard_tests::browser::WidgetVisitor;
use switchboard_tests::desktop::notifications::NotificationWatch;
use switchboard_tests::desktop::DesktopApp;
use switchboard_tests::server::TestServer;
use switchboard_tests::wire::RawAgent;

const ANN: &str = "ann@example.com";
const BOB: &str = "bob@example.com";
const PASSWORD: &str = "correct horse battery";

/// A server with the operators Ann and Bob.
async fn server_with_ann_and_bob() -> anyhow::Result<TestServer> {
    let server = TestServer::start().await?;
    server.add_operator(ANN, "Ann Operator", PASSWORD).await?;
    server.add_operator(BOB, "Bob Colleague", PASSWORD).await?;
    Ok(server)
}

/// Bob on the raw agent protocol, with `status`.
async fn bob_with_status(server: &TestServer, status: Status) -> anyhow::Result<RawAgent> {
    let (bob, _) = RawAgent::connect_with_status(server, BOB, PASSWORD, status).await?;
    Ok(bob)
}

/// The app logged in as Ann, connected, with `status` (`online` or `away`).
async fn ann_in_the_app(server: &TestServer, status: &str) -> anyhow::Result<DesktopApp> {
    DesktopApp::start_logged_in(&server.base_url(), ANN, PASSWORD, status).await
}

/// Waits until Bob receives a message with `text`.
async fn bob_hears(bob: &mut RawAgent, text: &str) -> anyhow::Result<()> {
    bob.wait_for_event(|event| {
        matches!(&event.body, EventBody::Message { text: t, .. } if t == text).then_some(())
    })
    .await
}

#[tokio::test]
async fn an_operator_invites_a_colleague_they_both_chat_and_the_visitor_sees_who_left(
) -> anyhow::Result<()> {
    let server = server_with_ann_and_bob().await?;
    // Bob is Away: calls do not ring for him, but colleagues can invite him.
    let mut bob = bob_with_status(&server, Status::Away).await?;

    let app = ann_in_the_app(&server, "online").await?;

    // The Team page lists Bob, Away, with no chats.
    app.click("[data-testid=nav-team]").await?;
    let row = app
        .wait_for_text("[data-testid=team-row][data-status=away]", "Bob Colleague")
        .await?;
    assert!(row.text().await?.contains("Away"));
    app.click("[data-testid=nav-chats]").await?;

    let widget = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    widget.start_chat(&[]).await?;
    widget.send("My invoice is wrong").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text("[data-testid=message-text]", "My invoice is wrong")
        .await?;

    // Ann invites Bob from the chat header.
    app.click("[data-testid=invite-operator]").await?;
    app.wait_for_text("[data-testid=pick-operator]", "Bob Colleague")
        .await?;
    app.click("[data-testid=pick-operator]").await?;
    app.wait_for_text(
        "[data-testid=team-feedback]",
        "Invitation sent to Bob Colleague",
    )
    .await?;

    // Bob's call says who invites him, and he reads the history so far before joining.
    let (id, by, _) = bob.wait_for_invitation().await?;
    assert_eq!(by, "Ann Operator");
    bob.send(&AgentRequest::History {
        req: 2,
        conversation_id: id.clone(),
        before_seq: None,
        limit: 50,
    })
    .await?;
    let history = bob
        .wait_for(|event| match event {
            AgentEvent::HistoryPage { req: 2, events, .. } => Some(events.clone()),
            _ => None,
        })
        .await?;
    assert!(history.iter().any(
        |e| matches!(&e.body, EventBody::Message { text, .. } if text == "My invoice is wrong")
    ));
    bob.request(AgentRequest::Accept {
        req: 3,
        conversation_id: id.clone(),
    })
    .await?;
    widget
        .wait_for_notice("Bob Colleague joined the chat")
        .await?;
    app.wait_for_text("[data-testid=messages] .note", "Bob Colleague joined")
        .await?;

    // Everyone sees everyone's messages.
    bob.request(AgentRequest::Send {
        req: 4,
        conversation_id: id.clone(),
        client_msg_id: "bob-1".into(),
        text: "Bob from billing here".into(),
    })
    .await?;
    widget.wait_for_message("Bob from billing here").await?;
    app.wait_for_text("[data-testid=message-text]", "Bob from billing here")
        .await?;
    app.send_message("Thanks Bob, over to you").await?;
    widget.wait_for_message("Thanks Bob, over to you").await?;
    bob_hears(&mut bob, "Thanks Bob, over to you").await?;
    widget.send("Great, thank you both").await?;
    bob_hears(&mut bob, "Great, thank you both").await?;
    app.wait_for_text("[data-testid=message-text]", "Great, thank you both")
        .await?;
    app.screenshot("desktop-team-chat").await?;

    // Ann leaves: her tab goes, the visitor sees it, Bob carries on.
    app.click("[data-testid=leave-chat]").await?;
    app.wait_until_gone("[data-testid=chat-tab]").await?;
    widget.wait_for_notice("Ann Operator left the chat").await?;
    bob.request(AgentRequest::Send {
        req: 5,
        conversation_id: id.clone(),
        client_msg_id: "bob-2".into(),
        text: "All fixed".into(),
    })
    .await?;
    widget.wait_for_message("All fixed").await?;
    widget.close().await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_internal_chat_starts_from_the_team_page_while_away() -> anyhow::Result<()> {
    let server = server_with_ann_and_bob().await?;
    let mut bob = bob_with_status(&server, Status::Away).await?;
    let app = ann_in_the_app(&server, "away").await?;

    app.click("[data-testid=nav-team]").await?;
    app.wait_for_text("[data-testid=team-row][data-status=away]", "Bob Colleague")
        .await?;
    app.click("[data-testid=team-row][data-status=away] [data-testid=start-internal-chat]")
        .await?;
    app.wait_for_text(
        "[data-testid=chat-tab].active",
        "Team chat with Bob Colleague",
    )
    .await?;
    let id = bob
        .wait_for(|event| match event {
            AgentEvent::ConversationUpdated { conversation } if conversation.internal => {
                Some(conversation.id.clone())
            }
            _ => None,
        })
        .await?;
    bob.request(AgentRequest::Send {
        req: 2,
        conversation_id: id,
        client_msg_id: "bob-1".into(),
        text: "Got a minute?".into(),
    })
    .await?;
    app.wait_for_text("[data-testid=message-text]", "Got a minute?")
        .await?;
    app.send_message("Sure, what's up?").await?;
    bob_hears(&mut bob, "Sure, what's up?").await?;
    app.screenshot("desktop-team-internal").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_administrator_sets_call_distribution_on_the_team_page() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let app = DesktopApp::start().await?;
    app.log_in(
        &server.base_url(),
        server.admin_email(),
        server.admin_password(),
        false,
    )
    .await?;
    app.wait_until_gone("[data-testid=connection-banner]")
        .await?;
    app.click("[data-testid=nav-team]").await?;
    app.wait_for("[data-testid=account-setting][data-key=distribution]")
        .await?;

    // A wrong value is refused with the server's reason and changes nothing.
    let distribution = "[data-testid=account-setting][data-key=distribution]";
    app.fill(
        &format!("{distribution} [data-testid=account-value]"),
        "random",
    )
    .await?;
    app.click(&format!(
        "{distribution} [data-testid=save-account-setting]"
    ))
    .await?;
    app.wait_for_text(
        &format!("{distribution} [data-testid=account-status]"),
        "round_robin",
    )
    .await?;

    app.fill(
        &format!("{distribution} [data-testid=account-value]"),
        "round_robin",
    )
    .await?;
    app.click(&format!(
        "{distribution} [data-testid=save-account-setting]"
    ))
    .await?;
    app.wait_for_text(
        &format!("{distribution} [data-testid=account-status]"),
        "Saved",
    )
    .await?;

    // The server keeps it: another session of the administrator reads it back.
    let (mut admin, _) =
        RawAgent::connect(&server, server.admin_email(), server.admin_password()).await?;
    admin.request(AgentRequest::ReadAccount { req: 2 }).await?;
    let value = admin
        .wait_for(|event| match event {
            AgentEvent::AccountSettings { settings } => settings
                .iter()
                .find(|s| s.key == "distribution")
                .map(|s| s.value.clone()),
            _ => None,
        })
        .await?;
    assert_eq!(value, "round_robin");

    // Adding an operator: they show on the team list and can log in.
    app.fill("[data-testid=new-operator-email]", "dee@example.com")
        .await?;
    app.fill("[data-testid=new-operator-name]", "Dee Newcomer")
        .await?;
    app.fill("[data-testid=new-operator-password]", "welcome aboard")
        .await?;
    app.click("[data-testid=add-operator-button]").await?;
    app.wait_for_text("[data-testid=operators-status]", "Added Dee Newcomer")
        .await?;
    app.wait_for_text("[data-testid=team-row]", "Dee Newcomer")
        .await?;
    RawAgent::connect(&server, "dee@example.com", "welcome aboard").await?;
    app.screenshot("desktop-team-account").await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_invited_operator_is_notified_and_joins_from_the_app() -> anyhow::Result<()> {
    let server = server_with_ann_and_bob().await?;
    let app = ann_in_the_app(&server, "away").await?;
    let mut notifications = NotificationWatch::start().await?;

    // Bob takes a call on the raw protocol and invites Ann.
    let mut bob = bob_with_status(&server, Status::Online).await?;
    let widget = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    widget.start_chat(&[]).await?;
    widget.send("Can someone from sales help?").await?;
    let id = bob
        .wait_for(|event| match event {
            AgentEvent::Ringing { conversation } => Some(conversation.id.clone()),
            _ => None,
        })
        .await?;
    bob.request(AgentRequest::Accept {
        req: 2,
        conversation_id: id.clone(),
    })
    .await?;
    bob.send(&AgentRequest::WatchTeam { req: 3 }).await?;
    let ann_id = bob
        .wait_for(|event| match event {
            AgentEvent::TeamList { members } => members
                .iter()
                .find(|m| m.operator.name == "Ann Operator")
                .map(|m| m.operator.id.clone()),
            _ => None,
        })
        .await?;
    bob.request(AgentRequest::InviteOperator {
        req: 4,
        conversation_id: id.clone(),
        operator_id: ann_id,
        transfer: false,
    })
    .await?;

    notifications
        .wait_for(
            "Bob Colleague invites you to a chat",
            Duration::from_secs(20),
        )
        .await?;
    app.wait_for_text(
        "[data-testid=invitation-text]",
        "Bob Colleague invites you to a chat with",
    )
    .await?;
    app.click("[data-testid=join-chat]").await?;
    app.wait_for("[data-testid=chat-tab][data-state=active]")
        .await?;
    // Answered, the invitation's notification goes away.
    notifications
        .wait_for_close(Duration::from_secs(10))
        .await?;
    // She joins knowing what was said.
    app.wait_for_text("[data-testid=message-text]", "Can someone from sales help?")
        .await?;
    widget
        .wait_for_notice("Ann Operator joined the chat")
        .await?;
    app.send_message("Ann from sales here").await?;
    widget.wait_for_message("Ann from sales here").await?;
    bob_hears(&mut bob, "Ann from sales here").await?;
    widget.close().await?;
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn an_operator_invites_a_colleague_into_the_open_chat_from_the_team_page(
) -> anyhow::Result<()> {
    let server = server_with_ann_and_bob().await?;
    let mut bob = bob_with_status(&server, Status::Away).await?;

    let app = ann_in_the_app(&server, "online").await?;

    // With no chat open, the Team page says how to pick one and cannot invite yet.
    app.click("[data-testid=nav-team]").await?;
    app.wait_for_text("[data-testid=team-invite-target]", "Open a visitor chat")
        .await?;
    app.wait_for("[data-testid=team-row][data-status=away] [data-testid=invite-to-chat][disabled]")
        .await?;
    app.click("[data-testid=nav-chats]").await?;

    let widget = WidgetVisitor::open(&server.base_url().join("demo/")?).await?;
    widget.start_chat(&[]).await?;
    widget.send("Can someone from billing help?").await?;
    app.click("[data-testid=accept-call]").await?;
    app.wait_for_text(
        "[data-testid=message-text]",
        "Can someone from billing help?",
    )
    .await?;

    // The Team page names the open chat and invites Bob into it.
    app.click("[data-testid=nav-team]").await?;
    app.wait_for_text(
        "[data-testid=team-invite-target]",
        "Invite into: the chat with",
    )
    .await?;
    app.click(
        "[data-testid=team-row][data-status=away] [data-testid=invite-to-chat]:not([disabled])",
    )
    .await?;
    app.wait_for_text("[data-testid=team-page-feedback]", "Invited Bob Colleague")
        .await?;
    let (id, by, transfer) = bob.wait_for_invitation().await?;
    assert_eq!((by.as_str(), transfer), ("Ann Operator", false));
    bob.request(AgentRequest::Accept {
        req: 2,
        conversation_id: id,
    })
    .await?;
    widget
        .wait_for_notice("Bob Colleague joined the chat")
        .await?;
    // Bob takes part now: there is nothing more to invite him into.
    app.wait_for("[data-testid=team-row][data-status=away] [data-testid=invite-to-chat][disabled]")
        .await?;
    app.screenshot("desktop-team-invite-from-team-page").await?;
    app.quit().await?;
    Ok(())
}
